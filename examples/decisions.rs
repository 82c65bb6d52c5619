//! The AI's decisions in brief: for every policy, plays generated galaxies and the shipped
//! scenarios with the AI in every seat and prints, per game, a digest of every order given
//! and the final state hash. Two builds whose lines agree made the same decisions, turn by
//! turn; a change meant only to make the AI faster must leave every line as it was.
//!
//! ```sh
//! cargo run --release --no-default-features --example decisions -- 30
//! ```

use std::path::Path;

use khitomer::content::{ContentPaths, Library, build_world};
use khitomer::core::generate::{GalaxyParams, generate};
use khitomer::core::seat::{Policy, Seats};
use khitomer::core::state::WorldState;
use khitomer::driver::Driver;
use khitomer::session::Session;

/// Plays up to `turns` turns and returns (turns played, digest of the orders, final hash).
fn play(world: WorldState, policy: Policy, turns: u32) -> (u32, String, String) {
    let mut driver = Driver::new(Session::single(world), Seats::ai(policy));
    let mut orders = blake3::Hasher::new();
    let mut played = 0;
    while played < turns {
        let Ok(turn) = driver.resolve() else { break };
        orders.update(format!("{:?}", turn.orders).as_bytes());
        played += 1;
    }
    let digest = orders.finalize().to_hex()[..16].to_owned();
    let hash = driver.game().state_hash().to_string()[..16].to_owned();
    (played, digest, hash)
}

fn main() {
    let turns: u32 = std::env::args()
        .nth(1)
        .map_or(30, |t| t.parse().expect("turns: a number"));
    let lib = Library::load(&ContentPaths::under(Path::new(env!("CARGO_MANIFEST_DIR"))));
    for policy in Policy::ALL {
        for (sectors, seed) in [
            (1_000, 1),
            (1_000, 2409),
            (1_000, 77),
            (10_000, 2409),
            (10_000, 5),
            (100_000, 2409),
        ] {
            let mut params = GalaxyParams::proportional(sectors, seed);
            params.turns = turns + 1;
            let (n, digest, hash) = play(generate(params), policy, turns);
            println!(
                "{:<10} galaxy {sectors:>6} seed {seed:>5}  turns {n:>3}  orders {digest}  state {hash}",
                policy.name()
            );
        }
        for (index, entry) in lib.scenarios.iter().enumerate() {
            let world = build_world(&lib, index, Some(7)).expect("a shipped scenario builds");
            let (n, digest, hash) = play(world, policy, turns);
            println!(
                "{:<10} scenario {:<26} turns {n:>3}  orders {digest}  state {hash}",
                policy.name(),
                entry.id()
            );
        }
    }
}
