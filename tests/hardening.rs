//! Hostile and careless input: whatever lies at a path the game is given, and whatever
//! numbers a file holds, the game answers with a clear error or plays on within its limits —
//! never a hang, a panic or a silent wrap.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the game, killing it if it has not finished in 30 seconds (a hang is a failure).
fn khitomer(args: &[&str]) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_khitomer"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("DISPLAY")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            use std::io::Read;
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            return (status.code().unwrap_or(-1), err);
        }
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("`khitomer {}` hangs", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn fifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(made.success());
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_refused_unread_wherever_it_is_given() {
    let dir = scratch("hardening_pipes");
    // In a mod's patches.
    let m = dir.join("piped_mod");
    std::fs::create_dir_all(m.join("patches")).unwrap();
    std::fs::write(
        m.join("mod.ron"),
        r#"Mod(id: "piped", name: "Piped", version: "0.1.0")"#,
    )
    .unwrap();
    fifo(&m.join("patches/stuck.ron"));
    let (code, err) = khitomer(&["check", "--mod", m.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("stuck.ron") && err.contains("named pipe"),
        "{err}"
    );

    // As a scenario, a save, a replay, orders, a picture's replay.
    let pipe = dir.join("pipe.ron");
    fifo(&pipe);
    let p = pipe.to_str().unwrap();
    for args in [
        vec!["run", "--load", p],
        vec!["replay", p],
        vec!["map", p, "-o", "/tmp/never.png"],
        vec!["run", "tau_dewa_2409", "--as", "klingon", "--orders", p],
        vec![
            "replay",
            "replays/history_2409_2411.ron",
            "--take",
            "klingon",
            "--at",
            "2",
            "--orders",
            p,
        ],
    ] {
        let (code, err) = khitomer(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(err.contains("pipe.ron"), "{args:?} names the file: {err}");
    }
    let (code, err) = khitomer(&["check", p]);
    assert_ne!(code, 0, "{err}");
}

/// The rules at the limits of their numbers: a treasury at `i64::MAX` earning more stays at
/// `i64::MAX`, a fleet of `u32::MAX` strength that cannot be paid loses its percentage
/// without the product overflowing, and opinions saturate at the limits of an `i32`. The same
/// in debug and release builds: debug builds would panic on an overflow, release ones wrap.
#[test]
fn numbers_at_their_limits_saturate_and_never_wrap() {
    use khitomer::core::diplomacy::{Diplomacy, OpinionCause};
    use khitomer::core::ids::FactionId;
    use khitomer::core::testing::Sandbox;

    let mut sb = Sandbox::row(&["a", "a", "a"]);
    let rich = sb.faction("rich");
    let poor = sb.faction("poor");
    sb.own(0, rich)
        .industry(0, 100_000)
        .treasury(rich, i64::MAX - 5);
    sb.own(2, poor).treasury(poor, 0);
    let huge = sb.fleet(poor, 2, u32::MAX);
    sb.rules(|r| r.unpaid_loss_pct = 100);
    let mut game = sb.game();
    game.play_turn().expect("a turn is played");
    let state = game.state();
    assert_eq!(state.factions[rich.index()].treasury, i64::MAX);
    let fleet = state.fleets.iter().find(|f| f.id == huge);
    // All of its strength is lost (100%): the fleet is gone or at zero, not wrapped around.
    assert!(fleet.is_none_or(|f| f.strength == 0), "{fleet:?}");

    let mut d = Diplomacy::new(2);
    let (a, b) = (FactionId::from_index(0), FactionId::from_index(1));
    d.add_opinion(a, b, OpinionCause::History, i32::MAX - 1);
    d.add_opinion(a, b, OpinionCause::History, 100);
    d.add_opinion(a, b, OpinionCause::WarDeclared, i32::MAX);
    assert_eq!(d.opinion(a, b), i32::MAX);
    d.add_opinion(b, a, OpinionCause::History, i32::MIN + 1);
    d.add_opinion(b, a, OpinionCause::History, -100);
    d.add_opinion(b, a, OpinionCause::WarDeclared, -1000);
    assert_eq!(d.opinion(b, a), i32::MIN);
}

/// A verifier checks every hash it was given: a replay whose per-phase hash or part digest
/// was edited does not verify, even where the turn's final hash is untouched.
#[test]
fn a_replay_with_an_edited_phase_hash_or_digest_does_not_verify() {
    let dir = scratch("hardening_replays");
    let original = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("replays/history_2409_2411.ron"),
    )
    .unwrap();
    let (code, err) = khitomer(&["replay", "replays/history_2409_2411.ron"]);
    assert_eq!(code, 0, "the untouched replay verifies: {err}");

    // The second phase hash of the first turn, one digit changed.
    let at = original.find("phases: [").unwrap();
    let second = at + original[at..].find("\",\n").unwrap() + 3;
    let quote = second + original[second..].find('"').unwrap() + 1;
    let mut edited = original.clone();
    let digit = if &original[quote..quote + 1] == "0" {
        "1"
    } else {
        "0"
    };
    edited.replace_range(quote..quote + 1, digit);
    let path = dir.join("phase.ron");
    std::fs::write(&path, &edited).unwrap();
    let (code, err) = khitomer(&["replay", path.to_str().unwrap()]);
    assert_eq!(code, 1, "an edited phase hash is a parting: {err}");
    assert!(err.contains("turn 1"), "{err}");

    // One part's digest changed.
    let at = original.find("digest: \"").unwrap() + "digest: \"".len();
    let eq = at + original[at..].find('=').unwrap() + 1;
    let mut edited = original.clone();
    let digit = if &original[eq..eq + 1] == "0" {
        "1"
    } else {
        "0"
    };
    edited.replace_range(eq..eq + 1, digit);
    let path = dir.join("digest.ron");
    std::fs::write(&path, &edited).unwrap();
    let (code, err) = khitomer(&["replay", path.to_str().unwrap()]);
    assert_eq!(code, 1, "an edited digest is a parting: {err}");
}

/// The caps hold for the content as every mod leaves it: patches that each stay under the cap
/// on events, but together pass it, are refused — and layering them takes time linear in
/// their size (a hundred thousand events are read and layered within the hang limit).
#[test]
fn the_caps_hold_after_every_patch_is_applied() {
    let dir = scratch("hardening_caps");
    let m = dir.join("many_events");
    std::fs::create_dir_all(m.join("patches")).unwrap();
    std::fs::write(
        m.join("mod.ron"),
        r#"Mod(id: "many", name: "Many", version: "0.1.0")"#,
    )
    .unwrap();
    let per_file = 13_000;
    for p in 0..8 {
        let mut text = String::from("Patch(scenario: \"tau_dewa_2409\", events: [\n");
        for e in 0..per_file {
            text.push_str(&format!(
                "(id: \"e{p}_{e}\", trigger: Turn(2), effects: [SetFlag(\"f\")]),\n"
            ));
        }
        text.push_str("])\n");
        assert!(text.len() < 1 << 20, "each file is under the size cap");
        std::fs::write(m.join(format!("patches/p{p}.ron")), text).unwrap();
    }
    let (code, err) = khitomer(&["check", "--mod", m.to_str().unwrap()]);
    assert_eq!(code, 1, "{}", &err[..err.len().min(2000)]);
    assert!(
        err.contains("events: at most 100000 are allowed"),
        "{}",
        &err[..err.len().min(2000)]
    );
}
