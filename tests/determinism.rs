//! Same scenario, same seed, same orders: same hashes, turn by turn. Another seed: other dice.

use khitomer::ai;
use khitomer::content::{ContentPaths, Library, build_world};
use khitomer::core::canonical;
use khitomer::core::events::GameEvent;
use khitomer::core::game::Game;
use khitomer::core::generate::{GalaxyParams, generate};
use khitomer::core::hash::HashThreads;
use khitomer::core::seat::{Policy, Seats};
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

/// Two games of one world, the AI in every seat: one planned on one thread, the other with
/// the plans shared out among `threads`. Each turn their orders and then their hashes must
/// agree. Returns how many factions' plans were compared.
fn planned_alike(state: WorldState, turns: u32, threads: usize) -> usize {
    let game = |state| Driver::new(Session::single(state), Seats::ai(Policy::Strategic));
    let (mut one, mut many) = (game(state.clone()), game(state));
    let mut compared = 0;
    for turn in 0..turns {
        let seats: Vec<_> = one
            .game()
            .factions()
            .map(|f| (f, Policy::Strategic))
            .collect();
        let a = ai::plan_seats_on(one.game_mut().world_mut(), &seats, 1);
        let b = ai::plan_seats_on(many.game_mut().world_mut(), &seats, threads);
        assert_eq!(a, b, "turn {turn}: the plans differ");
        compared += a.len();
        for (f, orders) in a {
            one.game_mut().give_orders(f, orders.clone());
            many.game_mut().give_orders(f, orders);
        }
        let (x, y) = (one.game_mut().play_turn(), many.game_mut().play_turn());
        match (x, y) {
            (Ok(x), Ok(y)) => assert_eq!(x.hash, y.hash, "turn {turn}"),
            (Err(_), Err(_)) => break,
            _ => panic!("turn {turn}: one game ended, the other did not"),
        }
    }
    compared
}

/// On several threads the fleets' plans are made first from the joint strikes alone, then
/// those that looked where a friend planned before them has since sent fleets are made again:
/// the orders are exactly those of one thread. A generated galaxy of 10,000 sectors has
/// alliances, a joint command and friends advancing into the same fights: in this one's first
/// twelve turns, plans that kept the orders they made from the joint strikes alone would give
/// other orders than one thread does. The shipped scenarios are played too.
#[test]
fn the_ai_plans_alike_on_one_thread_and_on_several() {
    let mut params = GalaxyParams::proportional(10_000, 1);
    params.turns = 100;
    assert!(planned_alike(generate(params), 12, 3) >= 12 * 20);
    let lib = Library::load(&ContentPaths::under(std::path::Path::new(env!(
        "CARGO_MANIFEST_DIR"
    ))));
    for (index, scenario) in lib.scenarios.iter().enumerate() {
        let state = build_world(&lib, index, Some(5)).expect("the shipped scenario resolves");
        assert!(
            planned_alike(state, 6, 2) > 0,
            "{}: no faction planned",
            scenario.id()
        );
    }
}

/// The state hash of a large world is encoded in runs on several threads: the runs one after
/// another are the parts as one thread encodes them, for any number of threads, and a live
/// world large enough to be split hashes the same on one thread, on several, and extracted.
#[test]
fn the_hash_is_the_same_encoded_on_several_threads() {
    let state = scenario(4);
    let (_, changing) = canonical::of_state(&state);
    let mut whole = canonical::Bytes::default();
    changing.visit(&mut whole);
    for threads in [1, 2, 3, 7, 64] {
        let joined: Vec<u8> = changing
            .visit_split(threads, canonical::Bytes::default)
            .into_iter()
            .flat_map(|run| run.0)
            .collect();
        assert_eq!(joined, whole.0, "{threads} threads");
    }

    let mut params = GalaxyParams::proportional(30_000, 9);
    params.turns = 10;
    let mut game = Game::new(generate(params));
    assert!(canonical::of_world(game.world()).rows() >= 30_000);
    let one = game.state_hash();
    game.world_mut().insert_resource(HashThreads(3));
    assert_eq!(game.state_hash(), one);
    assert_eq!(game.state().hash(), one);
}
