//! Replays and saves: a replay always verifies, a save always resumes exactly, tampering is
//! caught, and a crash while saving never loses the save before.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use khitomer::content::{ContentPaths, Library, build_world};
use khitomer::core::generate::{GalaxyParams, generate};
use khitomer::core::seat::{Policy, Seats};
use khitomer::core::state::{StateHash, WorldState};
use khitomer::driver::Driver;
use khitomer::record::replay::{OLDEST_REPLAY_FORMAT, REPLAY_FORMAT, Replay};
use khitomer::record::save::{self, SaveError, SaveFile};
use khitomer::session::{ChapterStart, Session};
use proptest::prelude::*;

fn library() -> &'static Library {
    static LIB: std::sync::LazyLock<Library> = std::sync::LazyLock::new(|| {
        Library::load(&ContentPaths::under(Path::new(env!("CARGO_MANIFEST_DIR"))))
    });
    &LIB
}

fn scenario(id: &str, seed: u64) -> WorldState {
    let lib = library();
    let index = lib.scenarios.iter().position(|s| s.id() == id).unwrap();
    build_world(lib, index, Some(seed)).unwrap()
}

fn chapters(which: usize, seed: u64) -> Vec<ChapterStart> {
    let single = |world| {
        vec![ChapterStart {
            world,
            carry: vec![],
        }]
    };
    match which {
        0 => single(scenario("tau_dewa_2409", seed)),
        1 => single(scenario("surface_tension", seed)),
        2 => {
            let mut params = GalaxyParams::proportional(400, seed);
            params.turns = 12;
            single(generate(params))
        }
        _ => {
            khitomer::content::campaign::start_campaign(library(), "road_to_jenolan", Some(seed))
                .expect("the campaign is shipped")
                .expect("the campaign starts")
                .chapters
        }
    }
}

/// A driver for a session with the AI in every seat.
fn ai_game(chapters: Vec<ChapterStart>) -> Driver {
    Driver::new(Session::new(chapters), Seats::ai(Policy::Baseline))
}

/// Plays one turn with the AI for everyone; `None` when the session is over.
fn step(driver: &mut Driver) -> Option<StateHash> {
    if driver.chapter_over() && !driver.next_chapter() {
        return None;
    }
    driver.resolve().ok().map(|played| played.report.hash)
}

/// The game saved to bytes and loaded back.
fn through_a_save(driver: &Driver) -> Driver {
    let session = driver.session();
    let saved = SaveFile {
        game: "test".into(),
        play: "test".into(),
        mods: vec![],
        seed: 0,
        seats: driver.seats().clone(),
        chapter: session.chapter(),
        chapters: session.chapters().to_vec(),
        world: session.game.state(),
    };
    let loaded = save::decode(&save::encode(&saved)).expect("a save reads back");
    assert_eq!(loaded, saved);
    Driver::new(
        Session::resume(loaded.chapters, loaded.chapter, loaded.world),
        loaded.seats,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn saving_and_loading_midway_gives_the_hashes_of_never_stopping(
        which in 0usize..4,
        seed in any::<u64>(),
        n in 2usize..14,
        k_frac in 0.0f64..1.0,
    ) {
        let k = ((n as f64 * k_frac) as usize).clamp(1, n - 1);
        let mut straight = ai_game(chapters(which, seed));
        let through: Vec<StateHash> = (0..n).map_while(|_| step(&mut straight)).collect();

        let mut first = ai_game(chapters(which, seed));
        let mut hashes: Vec<StateHash> = (0..k).map_while(|_| step(&mut first)).collect();
        let mut resumed = through_a_save(&first);
        hashes.extend((0..n - k).map_while(|_| step(&mut resumed)));
        prop_assert_eq!(hashes, through);
    }
}

/// Records a whole game with the AI for everyone.
fn record(which: usize, seed: u64) -> Replay {
    let replay = Replay::new("test".into(), vec![], vec![], seed, Seats::default());
    let mut driver = ai_game(chapters(which, seed)).record_into(replay);
    driver
        .play_on(None, |_, _| Ok::<(), ()>(()), |_, _| Ok(()))
        .unwrap();
    driver.take_recording().expect("it was recording")
}

#[test]
fn fifty_recorded_games_all_verify() {
    let mut seeds = rand_seeds(50);
    for (i, seed) in seeds.drain(..).enumerate() {
        let which = [0, 1, 3][i % 3];
        let replay = record(which, seed);
        assert!(!replay.turns.is_empty());
        // Through its text, as on disk.
        let text = replay.to_ron();
        let read: Replay = ron::from_str(&text).expect("a replay reads back");
        assert_eq!(read, replay);
        let mut driver = ai_game(chapters(which, seed));
        for record in &read.turns {
            let turn = driver
                .replay_turn(record)
                .expect("every recorded turn replays");
            assert_eq!(
                turn.parting, None,
                "game {i} (seed {seed}) parts at turn {}",
                record.turn
            );
        }
        assert_eq!(
            driver.game().state_hash().to_string(),
            read.final_hash().unwrap()
        );
    }
}

fn rand_seeds(n: usize) -> Vec<u64> {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0x5eed);
    (0..n).map(|_| rng.random()).collect()
}

#[test]
fn a_changed_order_is_caught_at_its_turn_and_phase() {
    let mut replay = record(0, 77);
    let turn = 3;
    let record = &mut replay.turns[turn - 1];
    let (_, orders) = record
        .orders
        .iter_mut()
        .next()
        .expect("someone gave orders");
    orders.clear();
    let mut driver = ai_game(chapters(0, 77));
    for (i, record) in replay.turns.iter().enumerate() {
        let played = driver.replay_turn(record).unwrap();
        if i + 1 < turn {
            assert_eq!(played.parting, None);
        } else {
            let parting = played.parting.expect("the changed turn parts");
            assert!(parting.phase.is_some());
            assert!(!parting.parts.is_empty());
            return;
        }
    }
    panic!("never parted");
}

// ---- the command line, on a copy of the game's content ----

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A private copy of the game's content, so that a test may change it.
fn content_copy(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&root);
    for dir in ["assets", "scenarios", "campaigns"] {
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join(dir),
            &root.join(dir),
        );
    }
    root
}

fn khitomer(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_khitomer"))
        .args(args)
        .current_dir(home)
        .env("KHITOMER_HOME", home)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn last_line(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .unwrap_or("")
        .to_owned()
}

#[test]
fn replay_prints_the_same_log_and_final_hash_as_run() {
    let home = content_copy("replay_same");
    let run = khitomer(
        &home,
        &[
            "run",
            "tau_dewa_2409",
            "--seed",
            "9",
            "--record",
            "game.ron",
        ],
    );
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let replay = khitomer(&home, &["replay", "game.ron"]);
    assert_eq!(replay.status.code(), Some(0), "{}", stderr(&replay));
    assert_eq!(
        replay.stdout, run.stdout,
        "the same turn log, line for line"
    );
    assert!(last_line(&replay).starts_with("final hash: "));
    // A campaign too: each chapter's heading comes before its first turn, as when it was played.
    let run = khitomer(
        &home,
        &["run", "road_to_jenolan", "--record", "campaign.ron"],
    );
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let replay = khitomer(&home, &["replay", "campaign.ron"]);
    assert_eq!(replay.stdout, run.stdout);
    let until = khitomer(&home, &["replay", "game.ron", "--until", "3"]);
    let text = String::from_utf8_lossy(&until.stdout).into_owned();
    assert!(
        text.contains("Turn 3,") && !text.contains("Turn 4,"),
        "{text}"
    );
}

#[test]
fn a_tampered_order_fails_naming_its_turn() {
    let home = content_copy("replay_tampered");
    khitomer(&home, &["run", "tau_dewa_2409", "--record", "game.ron"]);
    let text = std::fs::read_to_string(home.join("game.ron")).unwrap();
    // The third turn's first order list loses its first order.
    let third = text.match_indices("turn: 3,").next().unwrap().0;
    let open = third + text[third..].find(": [").unwrap() + 3;
    let close = open
        + text[open..]
            .find("), ")
            .or_else(|| text[open..].find(")]"))
            .unwrap()
        + 1;
    let tampered = format!(
        "{}{}",
        &text[..open],
        text[close..].trim_start_matches(", ")
    );
    std::fs::write(home.join("tampered.ron"), tampered).unwrap();
    let out = khitomer(&home, &["replay", "tampered.ron"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("on turn 3 (2409-05)"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("phase"), "{}", stderr(&out));
}

#[test]
fn a_replay_of_changed_content_is_refused_naming_the_file() {
    let home = content_copy("replay_changed");
    khitomer(
        &home,
        &[
            "run",
            "tau_dewa_2409",
            "--turns",
            "3",
            "--record",
            "game.ron",
        ],
    );
    let path = home.join("scenarios/tau_dewa_2409.ron");
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "strength: 45, speed: 2, commander: \"quinn\"",
        "strength: 46, speed: 2, commander: \"quinn\"",
    );
    std::fs::write(&path, text).unwrap();
    let out = khitomer(&home, &["replay", "game.ron"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("changed since: scenarios/tau_dewa_2409.ron"),
        "{}",
        stderr(&out)
    );
    assert!(
        !stderr(&out).contains("galaxy.ron"),
        "only the changed file is named: {}",
        stderr(&out)
    );
}

#[test]
fn taking_the_helm_records_a_branch_that_shares_the_first_turns() {
    let home = content_copy("replay_branch");
    khitomer(&home, &["run", "tau_dewa_2409", "--record", "game.ron"]);
    // A person who gives no orders at all: the fleets keep their standing orders.
    std::fs::write(home.join("none.ron"), "Orders(turns: [])").unwrap();
    // The Klingons taken at turn 4 of `replay`, the branch recorded into `record` and read.
    let take = |replay: &str, record: &str| {
        let out = khitomer(
            &home,
            &[
                "replay", replay, "--take", "klingon", "--at", "4", "--orders", "none.ron",
                "--record", record,
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        ron::from_str::<Replay>(&std::fs::read_to_string(home.join(record)).unwrap()).unwrap()
    };
    let branch = take("game.ron", "branch.ron");
    let original: Replay =
        ron::from_str(&std::fs::read_to_string(home.join("game.ron")).unwrap()).unwrap();
    assert_eq!(branch.turns[..4], original.turns[..4]);
    assert_eq!(
        branch.seats.seat("klingon"),
        khitomer::core::seat::Seat::Person
    );
    assert_eq!(branch.branch.as_ref().map(|b| b.after_turns), Some(4));
    // The AI played the Klingons in the original; in the branch no one gave them orders.
    assert!(
        branch.turns[4..]
            .iter()
            .all(|t| !t.orders.contains_key("klingon"))
    );
    assert_ne!(branch.final_hash(), original.final_hash());
    // A branch of a replay of an older format is written in this build's: the turns it adds
    // are this build's.
    let text = std::fs::read_to_string(home.join("game.ron")).unwrap();
    let current = format!("format: {REPLAY_FORMAT},");
    let older = text.replacen(&current, &format!("format: {OLDEST_REPLAY_FORMAT},"), 1);
    assert_ne!(older, text);
    std::fs::write(home.join("older.ron"), older).unwrap();
    let branch_of_older = take("older.ron", "branch_of_older.ron");
    assert_eq!(branch_of_older.format, REPLAY_FORMAT);
    assert_eq!(branch_of_older.turns, branch.turns);
    let again = khitomer(&home, &["replay", "branch.ron"]);
    assert_eq!(
        again.status.code(),
        Some(0),
        "the branch verifies: {}",
        stderr(&again)
    );
    let bad = khitomer(
        &home,
        &[
            "replay", "game.ron", "--take", "klingon", "--at", "400", "--orders", "none.ron",
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
}

/// A replay of the older format this build still reads verifies with the same final hash; one
/// older still, or newer, is refused with both formats named, exit 2. (The historical replay
/// shipped in `replays/` is of format 5, written by an earlier build; the history's tests
/// verify it.)
#[test]
fn replays_of_an_older_format_verify_and_others_are_refused() {
    let home = content_copy("replay_formats");
    let run = khitomer(
        &home,
        &[
            "run",
            "tau_dewa_2409",
            "--seed",
            "3",
            "--record",
            "game.ron",
        ],
    );
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let text = std::fs::read_to_string(home.join("game.ron")).unwrap();
    let current = format!("format: {REPLAY_FORMAT},");
    assert!(
        text.contains(&current),
        "the replay is written in this build's format"
    );
    let at = |format: u32| {
        let name = format!("format{format}.ron");
        let changed = text.replacen(&current, &format!("format: {format},"), 1);
        std::fs::write(home.join(&name), changed).unwrap();
        khitomer(&home, &["replay", &name])
    };
    let older = at(OLDEST_REPLAY_FORMAT);
    assert_eq!(older.status.code(), Some(0), "{}", stderr(&older));
    assert_eq!(last_line(&older), last_line(&run), "the same final hash");
    for format in [OLDEST_REPLAY_FORMAT - 1, REPLAY_FORMAT + 1] {
        let out = at(format);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        let said = stderr(&out);
        assert!(
            said.contains(&format!("a replay of format {format},"))
                && said.contains(&format!(
                    "reads formats {OLDEST_REPLAY_FORMAT} to {REPLAY_FORMAT}"
                )),
            "{said}"
        );
        assert!(!said.contains("panicked"));
    }
}

/// A save of the older format this build still reads loads and plays on as one of its own
/// format does; one older still is refused with both formats named, exit 2.
#[test]
fn a_save_of_an_older_format_loads_and_others_are_refused() {
    use khitomer::record::save::{FORMAT_AT, OLDEST_SAVE_FORMAT, SAVE_FORMAT};
    let home = content_copy("saves_formats");
    let out = khitomer(
        &home,
        &["run", "tau_dewa_2409", "--turns", "3", "--save", "game.sav"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let good = std::fs::read(home.join("game.sav")).unwrap();
    assert_eq!(good[FORMAT_AT..FORMAT_AT + 4], SAVE_FORMAT.to_le_bytes());
    let with_format = |format: u32, name: &str| {
        let mut bytes = good.clone();
        bytes[FORMAT_AT..FORMAT_AT + 4].copy_from_slice(&format.to_le_bytes());
        std::fs::write(home.join(name), bytes).unwrap();
        khitomer(&home, &["run", "--load", name, "--turns", "2"])
    };
    let ours = with_format(SAVE_FORMAT, "ours.sav");
    let older = with_format(OLDEST_SAVE_FORMAT, "older.sav");
    assert_eq!(older.status.code(), Some(0), "{}", stderr(&older));
    assert_eq!(older.stdout, ours.stdout, "the same game from there");
    let oldest = with_format(OLDEST_SAVE_FORMAT - 1, "oldest.sav");
    assert_eq!(oldest.status.code(), Some(2), "{}", stderr(&oldest));
    assert!(
        stderr(&oldest).contains(&format!(
            "save format {}, and this version of the game reads formats {OLDEST_SAVE_FORMAT} to {SAVE_FORMAT}",
            OLDEST_SAVE_FORMAT - 1
        )),
        "{}",
        stderr(&oldest)
    );
}

#[test]
fn damaged_saves_are_refused_cleanly() {
    let home = content_copy("saves_damaged");
    let out = khitomer(
        &home,
        &["run", "tau_dewa_2409", "--turns", "4", "--save", "game.sav"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let good = std::fs::read(home.join("game.sav")).unwrap();
    let half = good[..good.len() / 2].to_vec();
    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x10;
    let mut newer = good.clone();
    newer[khitomer::record::save::FORMAT_AT] = 9;
    for (name, bytes, expected) in [
        ("half.sav", half, "damaged"),
        ("flipped.sav", flipped, "damaged"),
        ("newer.sav", newer, "format 9"),
        (
            "text.sav",
            b"Replay(format: 1)".to_vec(),
            "not a Khitomer save",
        ),
        ("empty.sav", Vec::new(), "not a Khitomer save"),
    ] {
        std::fs::write(home.join(name), bytes).unwrap();
        let out = khitomer(&home, &["run", "--load", name]);
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
        assert!(stderr(&out).contains(expected), "{name}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"));
    }
    let missing = khitomer(&home, &["run", "--load", "nowhere.sav"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn a_loaded_save_plays_on_like_the_game_never_stopped() {
    let home = content_copy("saves_resume");
    let straight = khitomer(
        &home,
        &["run", "tau_dewa_2409", "--seed", "4", "--turns", "7"],
    );
    khitomer(
        &home,
        &[
            "run",
            "tau_dewa_2409",
            "--seed",
            "4",
            "--turns",
            "3",
            "--save",
            "game.sav",
        ],
    );
    let resumed = khitomer(&home, &["run", "--load", "game.sav", "--turns", "4"]);
    assert_eq!(resumed.status.code(), Some(0), "{}", stderr(&resumed));
    assert_eq!(last_line(&resumed), last_line(&straight));
}

#[test]
fn a_crash_while_saving_leaves_the_previous_save_whole() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("crash_save");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("game.sav");
    let mut driver = ai_game(chapters(0, 5));
    step(&mut driver);
    let first = SaveFile {
        game: "test".into(),
        play: "tau_dewa_2409".into(),
        mods: vec![],
        seed: 5,
        seats: driver.seats().clone(),
        chapter: 0,
        chapters: driver.session().chapters().to_vec(),
        world: driver.game().state(),
    };
    save::write_atomically(&path, &save::encode(&first)).unwrap();
    step(&mut driver);
    let second = SaveFile {
        world: driver.game().state(),
        ..first.clone()
    };
    let bytes = save::encode(&second);

    // The write fails halfway, as if the process died or the disk filled.
    let failed = save::write_with(&path, |file| {
        file.write_all(&bytes[..bytes.len() / 2])?;
        Err(std::io::Error::other("killed"))
    });
    assert!(failed.is_err());
    assert_eq!(
        save::read(&path).unwrap().unwrap(),
        first,
        "the previous save is whole"
    );
    assert!(!save::temporary_for(&path).exists());

    // A hard crash leaves a half-written temporary file behind: it is never read.
    std::fs::write(save::temporary_for(&path), &bytes[..100]).unwrap();
    assert_eq!(save::read(&path).unwrap().unwrap(), first);
    save::write_atomically(&path, &bytes).unwrap();
    assert_eq!(save::read(&path).unwrap().unwrap(), second);
    assert!(matches!(
        save::decode(&bytes[..bytes.len() - 1]),
        Err(SaveError::Damaged(_))
    ));
}
