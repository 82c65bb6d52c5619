use khitomer::ai;
use khitomer::core::game::Game;
use khitomer::core::generate::{GalaxyParams, generate};
use khitomer::core::ids::FactionId;
use std::time::Instant;

fn main() {
    let sectors: usize = std::env::args()
        .nth(1)
        .map(|s| s.parse().unwrap())
        .unwrap_or(10_000);
    let mut params = GalaxyParams::proportional(sectors, 2409);
    params.turns = u32::MAX;
    let state = generate(params);
    let factions: Vec<FactionId> = (0..state.factions.len())
        .map(FactionId::from_index)
        .collect();
    let mut game = Game::new(state);
    for turn in 0..8 {
        let t0 = Instant::now();
        let plans = ai::plan(game.world_mut(), &factions);
        let t1 = Instant::now();
        for (f, o) in plans {
            game.give_orders(f, o);
        }
        game.world_mut().run_schedule(khitomer::core::turn::Turn);
        let t2 = Instant::now();
        let state = game.state();
        let t3 = Instant::now();
        let h = state.hash();
        let t4 = Instant::now();
        game.world_mut()
            .resource_mut::<bevy::prelude::Messages<khitomer::core::events::GameEvent>>()
            .clear();
        game.world_mut()
            .resource_mut::<khitomer::core::orders::TurnOrders>()
            .0
            .clear();
        println!(
            "turn {turn}: ai {:?} schedule {:?} extract {:?} hash {:?} ({})",
            t1 - t0,
            t2 - t1,
            t3 - t2,
            t4 - t3,
            &h.to_string()[..8]
        );
    }
}
