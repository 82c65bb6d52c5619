//! The replay viewer without a renderer: a Bevy app with `MinimalPlugins` and the game's
//! logic plugin, showing the historical campaign's replay. Stepping on and back shows the
//! worlds the replay recorded; taking the helm at a turn starts from the recorded world of
//! that turn, and the branch it records verifies; back at the replay, another helm is taken.
#![cfg(feature = "gui")]

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use bevy::prelude::*;
use bevy::state::app::StatesPlugin;

use khitomer::core::calendar::Date;
use khitomer::gui::command::Command;
use khitomer::gui::playing::{Phase, Playing};
use khitomer::gui::snapshot::Snapshot;
use khitomer::gui::viewer::{Moment, Viewer};
use khitomer::gui::{Screen, logic};
use khitomer::record::replay::Replay;

const HISTORY: &str = "replays/history_2409_2411.ron";

/// The historical replay copied into a folder of its own, so that branches are recorded there.
fn history_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history_2409_2411.ron");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join(HISTORY), &path).unwrap();
    (dir, path)
}

fn viewer_app(path: &Path) -> App {
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, StatesPlugin, logic::plugin));
    app.insert_resource(Viewer::open(path, &[]).expect("the replay opens"));
    app.world_mut()
        .resource_mut::<NextState<Screen>>()
        .set(Screen::Viewer);
    app.update();
    app.update();
    app
}

fn viewer(app: &mut App) -> Mut<'_, Viewer> {
    app.world_mut().resource_mut::<Viewer>()
}

/// The hash of the world the map shows.
fn shown_hash(app: &App) -> String {
    app.world().resource::<Snapshot>().state.hash().to_string()
}

fn screen(app: &App) -> Screen {
    *app.world().resource::<State<Screen>>().get()
}

/// The recorded hash after `n` turns, or none for the start.
fn recorded_hash(recorded: &Replay, n: usize) -> Option<&str> {
    n.checked_sub(1).map(|i| recorded.turns[i].hash.as_str())
}

#[test]
fn stepping_on_and_back_shows_the_worlds_the_replay_recorded() {
    let (_dir, path) = history_copy();
    let mut app = viewer_app(&path);
    let recorded = viewer(&mut app).recorded.clone();
    assert!(recorded.turns.len() > 20, "the history has its turns");
    // On, one place at a time, to the end: every turn's world is the recorded one.
    let mut turns_seen = 0;
    let mut openings = 0;
    let mut places = vec![(0usize, shown_hash(&app))];
    while viewer(&mut app).step() {
        app.update();
        let (moment, played) = {
            let v = viewer(&mut app);
            (v.shown().moment, v.shown().played)
        };
        let hash = shown_hash(&app);
        match moment {
            Moment::Turn { .. } => {
                turns_seen += 1;
                assert_eq!(played, turns_seen);
                assert_eq!(
                    Some(hash.as_str()),
                    recorded_hash(&recorded, played),
                    "the world after turn {played}"
                );
            }
            Moment::Opening => openings += 1,
        }
        places.push((played, hash));
    }
    assert_eq!(turns_seen, recorded.turns.len(), "every turn is shown");
    assert_eq!(
        openings, 10,
        "the ten chapters after the first open in turn"
    );
    assert!(viewer(&mut app).parting.is_none());
    // Back, one place at a time: the same worlds in reverse.
    for (played, hash) in places.iter().rev().skip(1) {
        viewer(&mut app).back();
        app.update();
        assert_eq!(viewer(&mut app).shown().played, *played);
        assert_eq!(&shown_hash(&app), hash, "back at {played} turns");
    }
    // Jumps, by turn and by month.
    for n in [5, 17, 1, recorded.turns.len()] {
        viewer(&mut app).jump_to(n);
        app.update();
        assert_eq!(
            Some(shown_hash(&app).as_str()),
            recorded_hash(&recorded, n),
            "jumped to {n}"
        );
    }
    viewer(&mut app).jump_to_date(Date::new(2410, 3));
    app.update();
    let shown = viewer(&mut app).shown().clone();
    assert_eq!(shown.world.scenario.id, "surface_tension");
    assert_eq!(shown.world.calendar.date(), Date::new(2410, 3));
    assert_eq!(
        Some(shown_hash(&app).as_str()),
        recorded_hash(&recorded, shown.played)
    );
}

#[test]
fn a_month_is_shown_as_it_begins_a_chapter_at_its_opening() {
    let (_dir, path) = history_copy();
    let mut app = viewer_app(&path);
    // The Jenolan Accord's month: the eve of the Accord, the Dyson Joint Command still
    // allied, the Federation and the Empire at war with their cease-fires.
    viewer(&mut app).jump_to_date(Date::new(2410, 3));
    app.update();
    let world = app.world().resource::<Snapshot>().state.clone();
    let alliance = |name: &str| {
        world
            .diplomacy
            .alliances
            .iter()
            .any(|a| a.name == name && a.dissolved.is_none())
    };
    assert!(alliance("Dyson Joint Command"));
    assert!(!alliance("Alpha Quadrant Alliance"));
    assert!(!world.diplomacy.ceasefire_blocks().is_empty());
    // A turn on, the Accord is signed.
    viewer(&mut app).step();
    app.update();
    let world = app.world().resource::<Snapshot>().state.clone();
    assert!(matches!(
        viewer(&mut app).shown().moment,
        Moment::Turn {
            date,
            ..
        } if date == Date::new(2410, 3)
    ));
    assert!(
        world
            .diplomacy
            .alliances
            .iter()
            .any(|a| a.name == "Alpha Quadrant Alliance")
    );
    assert!(world.diplomacy.ceasefire_blocks().is_empty());
    // A chapter's first month shows its opening.
    viewer(&mut app).jump_to_date(Date::new(2410, 5));
    app.update();
    let v = viewer(&mut app);
    assert_eq!(v.shown().moment, Moment::Opening);
    assert_eq!(v.shown().world.scenario.id, "delta_rising");
    assert_eq!(v.shown().world.calendar.start, Date::new(2410, 5));
}

/// Plays frames until the person's orders are asked for (or the chapter has ended).
fn until_orders(app: &mut App) {
    for _ in 0..20_000 {
        let phase = app.world().resource::<Playing>().phase.clone();
        match phase {
            Phase::Orders(_) | Phase::Ended => return,
            Phase::Playback => {
                app.world_mut().write_message(Command::SkipPlayback);
                app.update();
            }
            _ => {
                std::thread::sleep(std::time::Duration::from_millis(2));
                app.update();
            }
        }
    }
    panic!("the turn never came back");
}

fn verify(path: &Path) -> std::process::Output {
    Process::new(env!("CARGO_BIN_EXE_khitomer"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("replay")
        .arg(path)
        .output()
        .unwrap()
}

#[test]
fn the_helm_taken_at_a_turn_starts_from_its_recorded_world_and_the_branch_verifies() {
    let (dir, path) = history_copy();
    let mut app = viewer_app(&path);
    let recorded = viewer(&mut app).recorded.clone();
    let n = 6;
    viewer(&mut app).jump_to(n);
    app.update();
    let playing = viewer(&mut app)
        .take_helm("klingon")
        .expect("the helm is taken");
    let branch_file = playing.branch_file.clone().unwrap();
    assert_eq!(branch_file.parent(), Some(dir.path()));
    app.insert_resource(playing);
    app.world_mut()
        .resource_mut::<NextState<Screen>>()
        .set(Screen::Game);
    app.update();
    app.update();
    assert_eq!(screen(&app), Screen::Game);
    {
        let playing = app.world().resource::<Playing>();
        let game = playing.driver().unwrap().game();
        assert_eq!(
            Some(game.state_hash().to_string().as_str()),
            recorded_hash(&recorded, n),
            "the branch starts from the recorded world of turn {n}"
        );
        let klingon = game.faction_id("klingon").unwrap();
        assert_eq!(playing.phase, Phase::Orders(klingon), "the person plays");
        assert_eq!(
            app.world().resource::<Snapshot>().state.hash(),
            game.state_hash(),
            "the map shows the game's world, not the viewer's"
        );
    }
    // Two turns as the Klingon Empire (standing orders: none), the others as recorded.
    for _ in 0..2 {
        if app.world().resource::<Playing>().phase == Phase::Ended {
            break;
        }
        app.world_mut().write_message(Command::EndTurn);
        app.update();
        until_orders(&mut app);
    }
    let branch = std::fs::read_to_string(&branch_file).expect("the branch is recorded");
    let branch: Replay = ron::from_str(&branch).unwrap();
    assert!(branch.turns.len() > n, "the branch has turns of its own");
    assert_eq!(branch.turns[..n], recorded.turns[..n]);
    let b = branch.branch.as_ref().unwrap();
    assert_eq!(b.after_turns as usize, n);
    assert_eq!(Some(b.from_hash.as_str()), recorded_hash(&recorded, n));
    let out = verify(&branch_file);
    assert!(
        out.status.success(),
        "the branch verifies: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Back to the replay, and another faction at another turn, without starting again.
    app.world_mut().write_message(Command::ToReplay);
    app.update();
    app.update();
    assert_eq!(screen(&app), Screen::Viewer);
    assert!(app.world().get_resource::<Playing>().is_none());
    assert_eq!(
        viewer(&mut app).shown().played,
        n,
        "the viewer is where it was"
    );
    assert_eq!(Some(shown_hash(&app).as_str()), recorded_hash(&recorded, n));
    // A turn in the middle of a chapter (taken at a chapter's end, the game opens on its
    // result).
    let mut m = 13;
    loop {
        viewer(&mut app).jump_to(m);
        if matches!(
            viewer(&mut app).shown().moment,
            Moment::Turn { last: false, .. }
        ) {
            break;
        }
        m += 1;
    }
    app.update();
    let faction = {
        let v = viewer(&mut app);
        let w = v.world();
        w.scenario
            .playable
            .iter()
            .map(|f| w.factions[f.index()].key.clone())
            .find(|k| k != "klingon")
            .expect("another playable faction")
    };
    let playing = viewer(&mut app).take_helm(&faction).unwrap();
    let second = playing.branch_file.clone().unwrap();
    assert_ne!(second, branch_file);
    app.insert_resource(playing);
    app.world_mut()
        .resource_mut::<NextState<Screen>>()
        .set(Screen::Game);
    app.update();
    let game_hash = app
        .world()
        .resource::<Playing>()
        .driver()
        .unwrap()
        .game()
        .state_hash()
        .to_string();
    assert_eq!(Some(game_hash.as_str()), recorded_hash(&recorded, m));
    app.world_mut().write_message(Command::EndTurn);
    app.update();
    until_orders(&mut app);
    let out = verify(&second);
    assert!(
        out.status.success(),
        "the second branch verifies: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_replay_that_parts_from_its_recording_is_stopped_where_it_parts() {
    let (dir, path) = history_copy();
    let text = std::fs::read_to_string(&path).unwrap();
    let mut replay: Replay = ron::from_str(&text).unwrap();
    let k = 4;
    replay.turns[k - 1].hash = "0".repeat(64);
    let tampered = dir.path().join("tampered.ron");
    std::fs::write(&tampered, replay.to_ron()).unwrap();
    let mut app = viewer_app(&tampered);
    viewer(&mut app).jump_to(10);
    app.update();
    assert_eq!(
        viewer(&mut app).shown().played,
        k - 1,
        "the last turn that verifies is shown"
    );
    let parting = viewer(&mut app)
        .parting
        .clone()
        .expect("the parting is told");
    assert!(parting.contains(&format!("on turn {}", replay.turns[k - 1].turn)));
    assert!(!viewer(&mut app).step(), "it goes no further");
    // The command line tells the same.
    let out = verify(&tampered);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(parting.lines().next().unwrap()),
        "the window says what the command line says"
    );
}

#[test]
fn a_replay_that_cannot_be_opened_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.ron");
    std::fs::write(&path, "Replay(format: 2, game: ").unwrap();
    let error = Viewer::open(&path, &[]).err().expect("it does not open");
    assert!(error.contains("broken.ron"), "{error}");
    assert!(!error.contains('\u{1b}'), "no terminal colour codes");
    // And from the command line, before any window opens.
    let out = Process::new(env!("CARGO_BIN_EXE_khitomer"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("DISPLAY")
        .args(["replay", "--window"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken.ron"));
}
