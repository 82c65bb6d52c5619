//! Hostile and careless input: whatever lies at a path the game is given, and whatever
//! numbers a file holds, the game answers with a clear error or plays on within its limits —
//! never a hang, a panic or a silent wrap.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::scratch;

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

fn play(driver: &mut khitomer::driver::Driver, turns: u32) {
    driver
        .play_on(Some(turns), |_, _| Ok::<(), ()>(()), |_, _| Ok(()))
        .unwrap();
}

/// A save edited by hand, its checksum recomputed: every single-byte change either is refused
/// when the save is loaded, naming what is wrong, or loads a world the game plays on without
/// a panic. Never a panic deep in the AI or the rules.
#[test]
fn a_save_edited_with_its_checksum_recomputed_is_refused_or_plays_on() {
    use khitomer::content::{ContentPaths, Library, build_world};
    use khitomer::core::seat::Seats;
    use khitomer::driver::Driver;
    use khitomer::record::save::{self, SaveFile};
    use khitomer::session::Session;

    let lib = Library::load(&ContentPaths::under(Path::new(env!("CARGO_MANIFEST_DIR"))));
    let index = lib
        .scenarios
        .iter()
        .position(|s| s.id() == "tau_dewa_2409")
        .unwrap();
    let world = build_world(&lib, index, None).unwrap();
    let mut driver = Driver::new(Session::single(world), Seats::default());
    play(&mut driver, 1);
    let session = driver.session();
    let saved = SaveFile {
        game: "test".into(),
        play: "tau_dewa_2409".into(),
        mods: Vec::new(),
        seed: 0,
        seats: Seats::default(),
        chapter: session.chapter(),
        chapters: session.chapters().to_vec(),
        world: session.game.state(),
    };
    let bytes = save::encode(&saved);
    let header = bytes.len() - postcard::to_allocvec(&saved).unwrap().len();
    let payload = &bytes[header..];
    let (mut refused, mut played, mut panicked) = (0, 0, Vec::new());
    // Every byte of the payload's world, each changed in a few ways.
    let step = (payload.len() / 600).max(1);
    for at in (0..payload.len()).step_by(step) {
        for delta in [1u8, 0x80, 0xff] {
            let mut edited = payload.to_vec();
            edited[at] = edited[at].wrapping_add(delta);
            let mut file = bytes[..header - 32].to_vec();
            file.extend_from_slice(blake3::hash(&edited).as_bytes());
            file.extend_from_slice(&edited);
            let outcome = std::panic::catch_unwind(|| match save::decode(&file) {
                Err(_) => false,
                Ok(s) => {
                    let session = Session::resume(s.chapters, s.chapter, s.world);
                    let mut driver = Driver::new(session, s.seats);
                    play(&mut driver, 1);
                    true
                }
            });
            match outcome {
                Ok(false) => refused += 1,
                Ok(true) => played += 1,
                Err(_) => panicked.push((at, delta)),
            }
        }
    }
    eprintln!(
        "save edits: {refused} refused, {played} played on, {} panicked",
        panicked.len()
    );
    assert!(panicked.is_empty(), "edits that panicked: {panicked:?}");
}

/// A game of the default scenario saved by `khitomer run` after one turn, in a scratch folder
/// of its own: the save's path and what it holds.
fn a_saved_game(name: &str) -> (PathBuf, khitomer::record::save::SaveFile) {
    let path = scratch(name).join("game.sav");
    let (code, err) = khitomer(&[
        "run",
        "tau_dewa_2409",
        "--turns",
        "1",
        "--save",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let saved = khitomer::record::save::read(&path).unwrap().unwrap();
    (path, saved)
}

/// A save whose world names a faction that does not exist is refused when it is loaded, with
/// exit code 2 and what is wrong — and the save itself is left as it was.
#[test]
fn an_inconsistent_save_is_refused_naming_what_is_wrong() {
    use khitomer::core::ids::FactionId;
    use khitomer::record::save;
    let (path, mut saved) = a_saved_game("hardening_saves");
    saved.world.fleets[0].owner = FactionId(99);
    let bytes = save::encode(&saved);
    std::fs::write(&path, &bytes).unwrap();
    let (code, err) = khitomer(&["run", "--load", path.to_str().unwrap(), "--turns", "1"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("faction 99 does not exist"), "{err}");
    assert!(err.lines().count() <= 4, "one short message: {err}");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        bytes,
        "the save is untouched"
    );
}

/// Numbers past the limits the rules keep — a fleet stronger than any can be, a treasury
/// deeper in debt than any can start, ids about to run out, a game longer than any — are
/// refused when a save is loaded, each named, rather than overflowing in the rules or the AI.
#[test]
fn a_save_with_numbers_past_the_rules_limits_is_refused() {
    use khitomer::core::state::WorldState;
    use khitomer::core::validate::{
        MAX_FLEET_ID, MAX_FLEET_STRENGTH, MAX_INDUSTRY, MAX_LAST_TURN, MIN_TREASURY,
    };
    use khitomer::record::save::{self, SaveError};
    let (path, saved) = a_saved_game("hardening_limits");
    type Edit = fn(&mut WorldState);
    let edits: [(Edit, &str); 5] = [
        (
            |w| w.fleets[0].strength = MAX_FLEET_STRENGTH + 1,
            "strength",
        ),
        (|w| w.factions[0].treasury = MIN_TREASURY - 1, "treasury"),
        (|w| w.next_fleet = MAX_FLEET_ID + 1, "next fleet"),
        (|w| w.calendar.last_turn = MAX_LAST_TURN + 1, "calendar"),
        (|w| w.sectors[0].industry = MAX_INDUSTRY + 1, "industry"),
    ];
    for (edit, what) in edits {
        let mut edited = saved.clone();
        edit(&mut edited.world);
        match save::decode(&save::encode(&edited)) {
            Err(SaveError::NotWhole(why)) => assert!(why.contains(what), "{what}: {why}"),
            other => panic!("{what}: {other:?}"),
        }
        // At the limit itself, the save loads and plays.
        let mut at_limit = saved.clone();
        edit(&mut at_limit.world);
        let w = &mut at_limit.world;
        w.fleets[0].strength = w.fleets[0].strength.min(MAX_FLEET_STRENGTH);
        w.factions[0].treasury = w.factions[0].treasury.max(MIN_TREASURY);
        w.next_fleet = w.next_fleet.min(MAX_FLEET_ID);
        w.calendar.last_turn = w.calendar.last_turn.min(MAX_LAST_TURN);
        w.sectors[0].industry = w.sectors[0].industry.min(MAX_INDUSTRY);
        std::fs::write(&path, save::encode(&at_limit)).unwrap();
        let (code, err) = khitomer(&["run", "--load", path.to_str().unwrap(), "--turns", "2"]);
        assert_eq!(code, 0, "{what} at its limit: {err}");
    }
}

/// A replay whose turn numbers are at the limit of their type is refused with its reason,
/// never overflowing while the error is worded.
#[test]
fn a_replay_with_numbers_at_their_limits_is_refused() {
    let dir = scratch("hardening_replay_limits");
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("replays/history_2409_2411.ron"),
    )
    .unwrap();
    for (from, to) in [
        ("chapter: 0,", "chapter: 4294967295,"),
        ("turn: 1,", "turn: 4294967295,"),
    ] {
        assert!(text.contains(from));
        let path = dir.join("edited.ron");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        let (code, err) = khitomer(&["replay", path.to_str().unwrap()]);
        assert!(code == 1 || code == 2, "{to}: exit {code}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(
            err.contains("4294967296") || err.contains("4294967295"),
            "{to}: {err}"
        );
    }
}

/// A mod whose manifest is a link to a file outside its folder is refused, the link never
/// followed into the file it names.
#[cfg(unix)]
#[test]
fn a_manifest_linked_from_outside_the_mod_is_refused() {
    let dir = scratch("hardening_linked_manifest");
    let outside = dir.join("elsewhere.ron");
    std::fs::write(
        &outside,
        "Mod(id: \"borrowed\", name: \"Borrowed\", version: \"1\")",
    )
    .unwrap();
    let m = dir.join("linked_mod");
    std::fs::create_dir_all(&m).unwrap();
    std::os::unix::fs::symlink(&outside, m.join("mod.ron")).unwrap();
    let (code, err) = khitomer(&["check", "--mod", m.to_str().unwrap()]);
    assert_eq!(code, 1, "a failed check: {err}");
    assert!(err.contains("leads outside the mod folder"), "{err}");
    let (code, err) = khitomer(&["run", "tau_dewa_2409", "--mod", m.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("leads outside the mod folder"), "{err}");
}

/// Text from content reaches the terminal with its control characters escaped: a message
/// that would clear the screen and retitle the window is printed as harmless text, in the
/// turn log and in diagnostics alike.
#[test]
fn control_characters_from_content_never_reach_the_terminal() {
    let dir = scratch("hardening_terminal");
    let evil = "\u{1b}]0;pwned\u{7}\u{1b}[2J";
    let scenario = format!(
        r#"Scenario(
    id: "evil",
    title: "Evil{evil}",
    map: "galaxy",
    start: (year: 2409, month: 3),
    turns: 2,
    factions: [
        (id: "federation", treasury: 10, capital: "sol"),
        (id: "klingon", treasury: 10, capital: "qonos"),
    ],
    fleets: [
        (id: "fed_home", name: "Home{evil}", owner: "federation", sector: "sol", strength: 20),
    ],
    playable: ["federation"],
    events: [
        (id: "hello", trigger: Turn(1), effects: [Message(text: "Raiders{evil} strike.", source: "Invented")]),
    ],
)
"#
    );
    let file = dir.join("evil.ron");
    std::fs::write(&file, &scenario).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_khitomer"))
        .args(["run", file.to_str().unwrap()])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("Raiders\\u{1b}]0;pwned\\u{7}"), "{stdout}");
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\u{7}'),
        "{stdout:?}"
    );

    // The same text in a file with an error: the diagnostic shows it harmlessly.
    let broken = scenario.replace("owner: \"federation\"", &format!("owner: \"fed{evil}\""));
    std::fs::write(&file, broken).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_khitomer"))
        .args(["check", file.to_str().unwrap()])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("unknown faction `fed\\u{1b}"), "{stderr}");
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{7}'),
        "{stderr:?}"
    );
}

/// The resident memory of this process, in bytes (Linux).
fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// Relations and opinions are kept for every pair of factions; the cap on a scenario's
/// factions bounds them. Measured: the tables for the most factions a scenario may have, with
/// an opinion held by each of every pair, fit in a few hundred MB.
#[test]
fn the_relations_of_the_most_factions_allowed_fit_in_a_few_hundred_mb() {
    use khitomer::content::limits::MAX_SCENARIO_FACTIONS;
    use khitomer::core::diplomacy::{Diplomacy, OpinionCause};
    use khitomer::core::ids::FactionId;
    let Some(before) = resident_bytes() else {
        return;
    };
    let n = MAX_SCENARIO_FACTIONS;
    let mut d = Diplomacy::new(n);
    for a in 0..n {
        for b in 0..n {
            let (fa, fb) = (FactionId::from_index(a), FactionId::from_index(b));
            d.add_opinion(fa, fb, OpinionCause::History, 1);
        }
    }
    let after = resident_bytes().unwrap();
    let grown = after.saturating_sub(before);
    eprintln!(
        "relations of {n} factions: {} MB resident",
        grown / (1 << 20)
    );
    assert!(grown < 400 << 20, "{} MB", grown / (1 << 20));
    assert_eq!(
        d.opinion(FactionId::from_index(1), FactionId::from_index(2)),
        1
    );
}

/// No silent data loss: two outputs on one path, an output over an input, or an output that
/// cannot be written are refused before anything is played, and every file is left as it was.
#[test]
fn outputs_never_replace_each_other_or_an_input_and_are_tried_first() {
    let dir = scratch("hardening_outputs");
    let same = dir.join("same.ron");
    let s = same.to_str().unwrap();
    let (code, err) = khitomer(&["run", "tau_dewa_2409", "--record", s, "--save", s]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--save") && err.contains("--record"), "{err}");
    assert!(!same.exists(), "nothing was written");

    // A replay's branch recorded over the replay itself.
    let replay = dir.join("game.ron");
    let (code, err) = khitomer(&[
        "run",
        "tau_dewa_2409",
        "--turns",
        "2",
        "--record",
        replay.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let before = std::fs::read(&replay).unwrap();
    let orders = dir.join("orders.ron");
    std::fs::write(&orders, "Orders(turns: [])").unwrap();
    let (code, err) = khitomer(&[
        "replay",
        replay.to_str().unwrap(),
        "--take",
        "klingon",
        "--at",
        "1",
        "--orders",
        orders.to_str().unwrap(),
        "--record",
        replay.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("which is the replay played"), "{err}");
    assert_eq!(
        std::fs::read(&replay).unwrap(),
        before,
        "the replay is untouched"
    );

    // A picture over the file it draws.
    let (code, err) = khitomer(&[
        "map",
        replay.to_str().unwrap(),
        "-o",
        replay.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        std::fs::read(&replay).unwrap(),
        before,
        "the replay is untouched"
    );

    // An output in a folder that does not exist is found out before the game is played.
    let nowhere = dir.join("no/such/folder/game.sav");
    let (code, err) = khitomer(&["run", "tau_dewa_2409", "--save", nowhere.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("nothing was played"), "{err}");
}

/// What `check` calls a conflict between mods stops `run` the same way, for a pact as for an
/// event (`tests/corpus/mod_conflict*` hold what `check` says of each).
#[test]
fn a_conflict_between_mods_stops_run_for_every_kind_of_id() {
    for (case, scenario) in [
        ("mod_conflict", "surface_tension"),
        ("mod_conflict_pact", "khitomer_discord"),
    ] {
        let a = format!("tests/corpus/{case}/a");
        let b = format!("tests/corpus/{case}/b");
        let (code, err) = khitomer(&["run", scenario, "--mod", &a, "--mod", &b]);
        assert_eq!(code, 2, "{case}: {err}");
        assert!(err.contains("error[mod-conflict]"), "{case}: {err}");
    }
}

/// An error in a file written on one very long line stays one screen: the line is cut around
/// the error, and the header still gives the error's true line and column.
#[test]
fn an_error_on_a_very_long_line_stays_one_screen() {
    let dir = scratch("hardening_long_line");
    let pad: Vec<String> = (0..2000)
        .map(|i| {
            format!(r#"(id: "f{i}", name: "F", owner: "federation", sector: "sol", strength: 5)"#)
        })
        .collect();
    let pad = pad.join(", ");
    let text = format!(
        r#"Scenario(id: "wide", title: "Wide", map: "galaxy", start: (year: 2409, month: 3), turns: 4, factions: [(id: "federation", capital: "sol"), (id: "klingon", capital: "qonos")], fleets: [{pad}, (id: "bad", name: "Bad", owner: "federation", sector: "nowhere_at_all", strength: 5)], playable: ["federation"])"#
    );
    let file = dir.join("wide.ron");
    std::fs::write(&file, &text).unwrap();
    let (code, err) = khitomer(&["check", file.to_str().unwrap()]);
    assert_eq!(code, 1, "{}", &err[..err.len().min(3000)]);
    let column = text.find("\"nowhere_at_all\"").unwrap() + 1;
    assert!(err.contains(&format!("wide.ron:1:{column}")), "{err}");
    assert!(err.contains("\"nowhere_at_all\""), "{err}");
    assert!(err.len() < 2000, "one screen: {} bytes", err.len());
}
