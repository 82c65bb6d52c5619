//! A whole turn on generated galaxies: every faction's AI decides, then the turn is resolved
//! and hashed. The design's budget: 10,000 sectors, 24 factions, 2,000 fleets under 10 ms.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use khitomer::ai;
use khitomer::core::game::Game;
use khitomer::core::generate::{GalaxyParams, generate};
use khitomer::core::ids::FactionId;

fn whole_turn(game: &mut Game, factions: &[FactionId]) {
    for (f, orders) in ai::plan(game.world_mut(), factions) {
        game.give_orders(f, orders);
    }
    black_box(game.play_turn().expect("the benchmark game never ends"));
}

fn turns(c: &mut Criterion) {
    let mut group = c.benchmark_group("whole_turn");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    for sectors in [1_000, 10_000, 100_000] {
        let mut params = GalaxyParams::proportional(sectors, 2409);
        params.turns = u32::MAX;
        let state = generate(params);
        let factions: Vec<FactionId> = (0..state.factions.len())
            .map(FactionId::from_index)
            .collect();
        let label = format!(
            "{sectors}_sectors_{}_factions_{}_fleets",
            params.factions, params.fleets
        );
        let mut game = Game::new(state);
        // Past the opening, when every faction has orders under way.
        for _ in 0..3 {
            whole_turn(&mut game, &factions);
        }
        group.bench_function(BenchmarkId::from_parameter(label), |b| {
            b.iter(|| whole_turn(&mut game, &factions))
        });
    }
    group.finish();
}

criterion_group!(benches, turns);
criterion_main!(benches);
