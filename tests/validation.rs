//! One validation path: every command that plays, lists or draws content refuses content that
//! `khitomer check` finds errors in, with the same diagnostics and exit code 2; and a replay of
//! a scenario file verifies whatever folder it is replayed from.

mod common;

use std::path::Path;
use std::process::Command;

fn khitomer(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_khitomer"))
        .args(args)
        .current_dir(dir)
        .env_remove("KHITOMER_HOME")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

use common::{root, scratch};

/// A small scenario; with `broken`, an event is set for a turn the scenario never reaches —
/// an error only the whole-scenario checks find, not the parser or the resolver.
fn scenario(id: &str, broken: bool) -> String {
    let turn = if broken { 9 } else { 2 };
    format!(
        r#"Scenario(
    id: "{id}",
    title: "Mini",
    map: "galaxy",
    start: (year: 2409, month: 3),
    turns: 6,
    factions: [
        (id: "federation", treasury: 10, capital: "sol"),
        (id: "klingon", treasury: 10, capital: "qonos"),
    ],
    relations: [(between: ("federation", "klingon"), stance: War)],
    fleets: [
        (id: "fed_home", name: "Home Fleet", owner: "federation", sector: "sol", strength: 20),
        (id: "kdf_home", name: "Home Guard", owner: "klingon", sector: "qonos", strength: 20),
    ],
    playable: ["federation", "klingon"],
    events: [
        (id: "hello", trigger: Turn({turn}), effects: [Message(text: "Hello.", source: "STO - test")]),
    ],
)
"#
    )
}

const DIAGNOSTIC: &str = "error: event `hello` can never fire: it is set for turn 9";

#[test]
fn every_command_refuses_a_scenario_that_check_finds_errors_in() {
    let dir = scratch("validation_commands");
    let file = dir.join("mini.ron");
    std::fs::write(&file, scenario("mini", true)).unwrap();
    let s = file.to_str().unwrap();
    let (code, checked) = khitomer(root(), &["check", s]);
    assert_eq!(code, 1, "{checked}");
    assert!(checked.contains(DIAGNOSTIC), "{checked}");
    let at = "mini.ron:18:32";
    assert!(
        checked.contains(at),
        "check names file, line and column: {checked}"
    );

    let png = dir.join("map.png");
    #[allow(
        unused_mut,
        reason = "the window's command is there only in a build with it"
    )]
    let mut commands: Vec<Vec<&str>> = vec![
        vec!["run", s],
        vec!["run", s, "--as", "klingon", "--orders", "/dev/null"],
        vec!["autoplay", s, "--games", "2"],
        vec!["map", s, "-o", png.to_str().unwrap()],
    ];
    #[cfg(feature = "gui")]
    commands.push(vec!["play", s, "--as", "klingon"]);
    for args in &commands {
        let (code, err) = khitomer(root(), args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(DIAGNOSTIC), "{args:?}: {err}");
        assert!(err.contains(at), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    assert!(!png.exists(), "no picture of a refused scenario");

    // A mod's scenario with the error: `list` tells it, as `check` does, and leaves it out.
    let m = dir.join("broken_mod");
    std::fs::create_dir_all(m.join("scenarios")).unwrap();
    std::fs::write(
        m.join("mod.ron"),
        r#"Mod(id: "broken", name: "Broken", version: "0.1.0")"#,
    )
    .unwrap();
    std::fs::write(m.join("scenarios/mini.ron"), scenario("mini", true)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_khitomer"))
        .args(["list", "--mod", m.to_str().unwrap()])
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(DIAGNOSTIC), "{stderr}");
    assert!(stderr.contains("scenarios/mini.ron:18:32"), "{stderr}");
    assert!(
        !stdout.contains("mini "),
        "a broken scenario is not listed: {stdout}"
    );
    assert!(stdout.contains("tau_dewa_2409"), "the others are: {stdout}");

    // A replay of the scenario made while it was sound is refused once it has the error.
    let sound = dir.join("sound.ron");
    std::fs::write(&sound, scenario("sound", false)).unwrap();
    let replay = dir.join("sound.replay.ron");
    let (code, err) = khitomer(
        root(),
        &[
            "run",
            sound.to_str().unwrap(),
            "--record",
            replay.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    std::fs::write(&sound, scenario("sound", true)).unwrap();
    let (code, err) = khitomer(root(), &["replay", replay.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(DIAGNOSTIC), "{err}");
}

#[test]
fn warnings_are_told_and_play_goes_on() {
    let dir = scratch("validation_warnings");
    let file = dir.join("noted.ron");
    let text = scenario("noted", false).replace(
        r#"effects: [Message(text: "Hello.", source: "STO - test")]"#,
        r#"effects: [SetFlag("noted")]"#,
    );
    std::fs::write(&file, text).unwrap();
    let (code, err) = khitomer(root(), &["run", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning: flag `noted` is set but never read"),
        "{err}"
    );
}

#[test]
fn a_replay_of_a_scenario_file_verifies_from_another_folder() {
    let dir = scratch("validation_folders");
    let made_in = dir.join("made_in");
    let elsewhere = dir.join("elsewhere/deeper");
    std::fs::create_dir_all(made_in.join("mine")).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::write(made_in.join("mine/mini.ron"), scenario("mini", false)).unwrap();
    std::fs::create_dir_all(made_in.join("replays")).unwrap();
    // Recorded with paths relative to the folder it is made in.
    let (code, err) = khitomer(
        &made_in,
        &[
            "run",
            "mine/mini.ron",
            "--record",
            "replays/mini.replay.ron",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let replay = made_in.join("replays/mini.replay.ron");
    let text = std::fs::read_to_string(&replay).unwrap();
    assert!(
        text.contains("play: \"../mine/mini.ron\""),
        "recorded beside the replay: {text}"
    );
    for cwd in [elsewhere.as_path(), root(), made_in.as_path()] {
        let (code, err) = khitomer(cwd, &["replay", replay.to_str().unwrap()]);
        assert_eq!(code, 0, "from {}: {err}", cwd.display());
    }
    // A relative path to the replay, from another folder.
    let (code, err) = khitomer(
        &elsewhere,
        &["replay", "../../made_in/replays/mini.replay.ron"],
    );
    assert_eq!(code, 0, "{err}");
    // And the whole folder moved somewhere else.
    let moved = dir.join("moved");
    std::fs::rename(&made_in, &moved).unwrap();
    let (code, err) = khitomer(
        &elsewhere,
        &[
            "replay",
            moved.join("replays/mini.replay.ron").to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
}
