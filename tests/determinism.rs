//! Same scenario, same seed, same orders: same hashes, turn by turn. Another seed: other dice.

use khitomer::content::{ContentPaths, Library, build_world};
use khitomer::core::events::GameEvent;
use khitomer::core::game::Game;
use khitomer::core::generate::{GalaxyParams, generate};
use khitomer::core::seat::Seats;
use khitomer::core::state::{StateHash, WorldState};
use khitomer::core::testing::Sandbox;
use khitomer::driver::{Driver, Step};
use khitomer::session::Session;

fn scenario(seed: u64) -> WorldState {
    let lib = Library::load(&ContentPaths::under(std::path::Path::new(env!(
        "CARGO_MANIFEST_DIR"
    ))));
    let index = lib
        .scenarios
        .iter()
        .position(|s| s.id() == "tau_dewa_2409")
        .expect("shipped");
    build_world(&lib, index, Some(seed)).expect("the shipped scenario resolves")
}

/// A game of this world with the AI in every seat.
fn ai_game(state: WorldState) -> Driver {
    Driver::new(Session::single(state), Seats::default())
}

/// Plays with the AI for everyone; returns each turn's hash and events.
fn play(state: WorldState, turns: u32) -> Vec<(StateHash, Vec<GameEvent>)> {
    let mut out = Vec::new();
    ai_game(state)
        .play_on(
            Some(turns),
            |_, _| Ok::<(), ()>(()),
            |_, step| {
                if let Step::Turn(played) = step {
                    out.push((played.report.hash, played.report.events.clone()));
                }
                Ok(())
            },
        )
        .unwrap();
    out
}

#[test]
fn same_seed_gives_the_same_hash_every_turn() {
    let a = play(scenario(7), 24);
    let b = play(scenario(7), 24);
    assert!(a.len() > 5);
    assert_eq!(a.len(), b.len());
    for (turn, (x, y)) in a.iter().zip(&b).enumerate() {
        assert_eq!(x.0, y.0, "turn {} differs", turn + 1);
        assert_eq!(x.1, y.1, "turn {} logs differ", turn + 1);
    }
}

#[test]
fn same_seed_on_a_generated_galaxy_gives_the_same_hashes() {
    let params = GalaxyParams::proportional(1_500, 11);
    let a: Vec<StateHash> = play(generate(params), 8).into_iter().map(|t| t.0).collect();
    let b: Vec<StateHash> = play(generate(params), 8).into_iter().map(|t| t.0).collect();
    assert_eq!(a, b);
    assert_eq!(a.len(), 8);
}

#[test]
fn the_hash_depends_on_the_world() {
    let mut x = scenario(7);
    let h = x.hash();
    x.fleets[0].strength += 1;
    assert_ne!(x.hash(), h);
    let mut y = scenario(7);
    let owned = y
        .sectors
        .iter()
        .position(|s| s.owner.is_some())
        .expect("an owned sector");
    y.sectors[owned].owner = None;
    assert_ne!(y.hash(), h);
    assert_eq!(scenario(7).hash(), h);
}

#[test]
fn a_different_seed_changes_combat() {
    // One battle, many seeds: the losses must not all be the same.
    let outcomes: std::collections::BTreeSet<Vec<u32>> = (0..12)
        .map(|seed| {
            let mut sb = Sandbox::row(&["a"]);
            let fed = sb.faction("federation");
            let kdf = sb.faction("klingon");
            sb.own(0, fed).war(fed, kdf).seed(seed);
            sb.fleet(fed, 0, 50);
            sb.fleet(kdf, 0, 50);
            let mut game = sb.game();
            let report = game.play_turn().unwrap();
            report
                .events
                .iter()
                .find_map(|e| match e {
                    GameEvent::Battle(b) => {
                        Some(b.sides.iter().flatten().map(|l| l.after).collect())
                    }
                    _ => None,
                })
                .expect("a battle")
        })
        .collect();
    assert!(outcomes.len() > 3, "seeds gave only {outcomes:?}");

    // And whole games part ways.
    let a: Vec<StateHash> = play(scenario(1), 6).into_iter().map(|t| t.0).collect();
    let b: Vec<StateHash> = play(scenario(2), 6).into_iter().map(|t| t.0).collect();
    assert_ne!(a, b);
}

#[test]
fn a_live_game_and_its_extracted_state_hash_alike() {
    let mut driver = ai_game(scenario(3));
    for _ in 0..6 {
        let report = driver.resolve().unwrap().report;
        let game = driver.game();
        assert_eq!(report.hash, game.state().hash());
        assert_eq!(
            Game::new(game.state()).state_hash(),
            report.hash,
            "a reloaded world hashes the same"
        );
    }
}
