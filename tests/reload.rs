//! Live reload, headless: the game's logic with Bevy's asset file watching on a copy of the
//! game's files. A scenario changed to a valid variant while a game of it runs comes into play
//! when the turn ends; changed to a broken one, its diagnostics are shown and the game goes on
//! with the last good content.
#![cfg(feature = "gui")]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bevy::prelude::*;
use bevy::state::app::StatesPlugin;

use khitomer::core::state::WorldState;
use khitomer::gui::catalog::Catalog;
use khitomer::gui::command::Command;
use khitomer::gui::playing::{Phase, Playing};
use khitomer::gui::reload::{self, ContentWatch};
use khitomer::gui::{Screen, logic};

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

/// The game's files copied into a folder of their own.
fn content() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let source = Path::new(env!("CARGO_MANIFEST_DIR"));
    for folder in ["scenarios", "campaigns", "assets"] {
        copy_dir(&source.join(folder), &root.join(folder));
    }
    (dir, root)
}

fn app(root: &Path, play: &str, person: &str) -> App {
    let mut app = App::new();
    reload::sources(&mut app, root, &[]);
    app.add_plugins((
        MinimalPlugins,
        StatesPlugin,
        reload::asset_plugin(root),
        logic::plugin,
        reload::plugin(root.to_path_buf(), Vec::new()),
    ));
    let catalog = Catalog::load_at(root, &[]);
    let playing = catalog
        .start(play, &[person.to_owned()])
        .expect("the game starts");
    app.insert_resource(catalog).insert_resource(playing);
    app.world_mut()
        .resource_mut::<NextState<Screen>>()
        .set(Screen::Game);
    // The watcher's first load of every file.
    frames_until(&mut app, "the files are watched", |app| {
        app.world().resource::<ContentWatch>().is_watching()
    });
    app
}

/// Runs frames until `done` holds (at most a minute).
fn frames_until(app: &mut App, what: &str, done: impl Fn(&App) -> bool) {
    let started = Instant::now();
    while !done(app) {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "waited a minute for: {what}"
        );
        app.update();
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn playing(app: &App) -> &Playing {
    app.world().resource::<Playing>()
}

fn world(app: &App) -> WorldState {
    playing(app).driver().unwrap().game().state()
}

/// Ends the person's turn and waits for the next one (or the result).
fn end_turn(app: &mut App) {
    app.world_mut().write_message(Command::EndTurn);
    app.update();
    frames_until(app, "the turn comes back", |app| {
        matches!(
            playing(app).phase,
            Phase::Playback | Phase::Orders(_) | Phase::Ended
        )
    });
    if playing(app).phase == Phase::Playback {
        app.world_mut().write_message(Command::SkipPlayback);
        app.update();
    }
}

const EVENT: &str = r#"    events: [
        (
            id: "reloaded_dispatch",
            trigger: Turn(2),
            effects: [Message(text: "A dispatch written while the game ran.", source: "the modder")],
        ),
    ],
    playable:"#;

#[test]
fn a_changed_scenario_comes_into_play_at_the_turns_end_and_a_broken_one_is_shown() {
    let (_dir, root) = content();
    let file = root.join("scenarios/tau_dewa_2409.ron");
    let original = std::fs::read_to_string(&file).unwrap();
    let mut app = app(&root, "tau_dewa_2409", "klingon");
    let before = world(&app);
    assert!(before.script.events.is_empty());

    // A valid variant: a new title, a fleet renamed and an event for turn 2.
    let variant = original
        .replacen(
            "title: \"Fronts of 2409: Eta Eridani and the Tau Dewa cease-fire\"",
            "title: \"Fronts of 2409, as changed\"",
            1,
        )
        .replacen(
            "name: \"Seventh Fleet\"",
            "name: \"Seventh Fleet of Klag\"",
            1,
        )
        .replacen("    playable:", EVENT, 1);
    assert_ne!(variant, original);
    std::fs::write(&file, &variant).unwrap();
    frames_until(&mut app, "the change is read and waits", |app| {
        playing(app).content.is_some()
    });
    let watch = app.world().resource::<ContentWatch>();
    assert!(watch.problems.is_none(), "{:?}", watch.problems);
    // Not before the turn ends.
    assert_eq!(world(&app).scenario.title, before.scenario.title);
    assert!(world(&app).script.events.is_empty());

    end_turn(&mut app);
    let after = world(&app);
    assert_eq!(after.calendar.turn, 2);
    assert_eq!(after.scenario.title, "Fronts of 2409, as changed");
    let seventh = after
        .fleets
        .iter()
        .find(|f| f.key == "kdf_seventh")
        .unwrap();
    assert_eq!(seventh.name, "Seventh Fleet of Klag");
    let at = after
        .script
        .events
        .iter()
        .position(|e| e.key == "reloaded_dispatch")
        .expect("the new event is in the game");
    assert_eq!(after.script.fired[at], None, "it waits for turn 2");
    assert!(playing(&app).content.is_none());

    end_turn(&mut app);
    let after = world(&app);
    assert_eq!(
        after.script.fired[at],
        Some(2),
        "the new event fired on turn 2"
    );
    assert!(
        playing(&app)
            .dispatches
            .iter()
            .any(|d| d.event == "reloaded_dispatch"),
        "its message was delivered"
    );

    // A broken variant: a misspelt field. The diagnostics are shown; nothing waits; the game
    // goes on with the last good content.
    let broken = variant.replacen("    title:", "    titel:", 1);
    std::fs::write(&file, &broken).unwrap();
    frames_until(&mut app, "the broken file is read", |app| {
        app.world().resource::<ContentWatch>().problems.is_some()
    });
    let problems = app
        .world()
        .resource::<ContentWatch>()
        .problems
        .clone()
        .unwrap();
    assert!(problems.contains("tau_dewa_2409.ron"), "{problems}");
    let line = broken.lines().position(|l| l.contains("titel:")).unwrap() + 1;
    assert!(
        problems.contains(&format!("tau_dewa_2409.ron:{line}:")),
        "the diagnostic gives the line ({line}): {problems}"
    );
    assert!(
        problems.contains("title"),
        "the fix names the field: {problems}"
    );
    assert!(playing(&app).content.is_none());
    let turn = world(&app).calendar.turn;
    end_turn(&mut app);
    let after = world(&app);
    assert_eq!(after.calendar.turn, turn + 1, "the game goes on");
    assert_eq!(after.scenario.title, "Fronts of 2409, as changed");

    // Fixed again: the problems go.
    std::fs::write(&file, &variant).unwrap();
    frames_until(&mut app, "the fixed file is read", |app| {
        app.world().resource::<ContentWatch>().problems.is_none()
    });
}

#[test]
fn a_change_to_the_map_under_way_is_refused_and_the_game_goes_on() {
    let (_dir, root) = content();
    let file = root.join("assets/maps/galaxy.ron");
    let original = std::fs::read_to_string(&file).unwrap();
    let mut app = app(&root, "tau_dewa_2409", "federation");
    let before = world(&app);
    // A sector renamed is taken in; ...
    let renamed = original.replacen("name: \"Archanis\"", "name: \"Archanis IV\"", 1);
    assert_ne!(renamed, original, "the map names Archanis");
    std::fs::write(&file, &renamed).unwrap();
    frames_until(&mut app, "the rename waits", |app| {
        playing(app).content.is_some()
    });
    end_turn(&mut app);
    let after = world(&app);
    let archanis = after
        .sectors
        .iter()
        .find(|s| &*s.place.key == "archanis")
        .unwrap();
    assert_eq!(&*archanis.place.name, "Archanis IV");
    // ... a sector moved is not: the notice says why, and the map stays as it was.
    let moved = moved_sector(&renamed, "archanis");
    std::fs::write(&file, &moved).unwrap();
    frames_until(&mut app, "the move waits", |app| {
        playing(app).content.is_some()
    });
    end_turn(&mut app);
    let notice = playing(&app).notice.clone().expect("a notice");
    assert!(notice.refused, "{notice:?}");
    assert!(notice.text.contains("archanis"), "{}", notice.text);
    let now = world(&app);
    assert_eq!(now.calendar.turn, before.calendar.turn + 2);
    for (a, b) in now.sectors.iter().zip(&before.sectors) {
        assert_eq!(a.place.hex, b.place.hex);
    }
}

/// The map's text with one sector given another place on the grid (one step off the map).
fn moved_sector(map: &str, key: &str) -> String {
    let start = map
        .find(&format!("id: \"{key}\""))
        .unwrap_or_else(|| panic!("`{key}` in the map"));
    let rest = &map[start..];
    let hex = rest.find("at: (").unwrap() + start + "at: (".len();
    let close = map[hex..].find(')').unwrap() + hex;
    format!("{}900, 900{}", &map[..hex], &map[close..])
}

/// A named pipe with a content file's name in a watched folder is refused unopened: the
/// watcher still finishes its first load (it used to wait on the pipe for ever), and the
/// content check names the pipe.
#[cfg(unix)]
#[test]
fn a_named_pipe_in_a_watched_folder_holds_nothing_up() {
    let (_dir, root) = content();
    let pipe = root.join("scenarios/pipe.ron");
    let made = std::process::Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    // `app` waits (at most a minute) for the watcher's first load of every file.
    let app = app(&root, "tau_dewa_2409", "klingon");
    assert!(app.world().resource::<ContentWatch>().is_watching());
    let lib = khitomer::content::Library::load(&khitomer::content::ContentPaths::under(&root));
    let problems = lib.report.render(false);
    assert!(problems.contains("pipe.ron"), "{problems}");
}

/// With no file touched, the watcher reports no change, however long the game runs: the first
/// load of every file is not a change.
#[test]
fn untouched_files_are_no_change() {
    let (_dir, root) = content();
    let mut app = app(&root, "tau_dewa_2409", "klingon");
    for _ in 0..200 {
        app.update();
        std::thread::sleep(Duration::from_millis(5));
    }
    let watch = app.world().resource::<ContentWatch>();
    assert_eq!(watch.changes, 0, "{:?}", watch.status);
}
