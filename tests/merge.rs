//! Content changed under a game in progress: what a game keeps, what it takes of the new
//! content, and what it refuses, with its reason.
use khitomer::content::{ContentPaths, Library, build_world};
use khitomer::core::script::ScriptedEvent;
use khitomer::core::state::WorldState;
use khitomer::session::reload::merge;

/// A scenario of the game's own files at its start.
fn world() -> WorldState {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib = Library::load(&ContentPaths::under(root));
    let index = lib
        .scenarios
        .iter()
        .position(|s| s.id() == "surface_tension")
        .expect("shipped");
    build_world(&lib, index, None).expect("the shipped scenario resolves")
}

#[test]
fn a_game_keeps_what_happened_and_takes_the_new_names_rules_and_events() {
    let mut old = world();
    old.sectors[0].owner = old.sectors[1].owner;
    old.calendar.turn = 3;
    let mut fresh = world();
    fresh.factions[0].name = "Renamed".into();
    fresh.rules = khitomer::core::rules::Rules {
        combat_rounds: fresh.rules.combat_rounds + 1,
        ..fresh.rules.clone()
    };
    fresh.script.events.push(ScriptedEvent {
        key: "new_event".into(),
        ..fresh.script.events[0].clone()
    });
    fresh.script.fired.push(None);
    let merged = merge(&old, &fresh).unwrap();
    assert_eq!(merged.world.factions[0].name, "Renamed");
    assert_eq!(merged.world.rules, fresh.rules);
    assert_eq!(merged.world.sectors[0].owner, old.sectors[1].owner);
    assert_eq!(merged.world.calendar.turn, 3);
    assert!(
        merged
            .world
            .script
            .events
            .iter()
            .any(|e| e.key == "new_event")
    );
    assert_eq!(
        merged.world.script.fired.len(),
        merged.world.script.events.len()
    );
    assert!(merged.changes.iter().any(|c| c == "rules"));
    assert!(merged.changes.iter().any(|c| c == "names and colours"));
    assert!(merged.changes.iter().any(|c| c.starts_with("events:")));
    // Nothing changed: nothing to say.
    assert!(merge(&old, &old).unwrap().changes.is_empty());
}

#[test]
fn an_event_that_fired_stays_fired_and_waiting_ones_follow_their_event() {
    let mut old = world();
    assert!(old.script.events.len() >= 2, "the scenario has two events");
    old.script.fired[1] = Some(2);
    old.script
        .delayed
        .push(khitomer::core::script::Delayed { event: 1, due: 5 });
    let mut fresh = world();
    fresh.script.events.swap(0, 1);
    fresh.script.fired.swap(0, 1);
    let merged = merge(&old, &fresh).unwrap();
    let key = &old.script.events[1].key;
    let at = merged
        .world
        .script
        .events
        .iter()
        .position(|e| &e.key == key)
        .unwrap();
    assert_eq!(at, 0);
    assert_eq!(merged.world.script.fired[0], Some(2));
    assert_eq!(merged.world.script.fired[1], None);
    assert_eq!(merged.world.script.delayed[0].event, 0);
}

#[test]
fn a_changed_map_or_cast_of_powers_is_refused_with_its_reason() {
    let old = world();
    let mut fresh = world();
    fresh.sectors.pop();
    let e = merge(&old, &fresh).unwrap_err();
    assert_eq!(e.keeps, "map");
    assert!(e.what.contains("is gone"), "{e}");
    let mut fresh = world();
    fresh.factions[0].key = "someone_else".into();
    assert_eq!(merge(&old, &fresh).unwrap_err().keeps, "powers");
    let mut fresh = world();
    fresh.scenario.id = "another".into();
    assert_eq!(merge(&old, &fresh).unwrap_err().keeps, "scenarios");
}
