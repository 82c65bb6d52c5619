//! A whole turn on generated galaxies: every faction's AI decides, then the turn is resolved
//! and its state hash taken. DESIGN.md's budget: 10,000 sectors, 24 factions and 2,000 fleets
//! under 10 ms median, and a cost that grows no worse than linearly with the map.
//!
//! Each measured turn starts from the same world (three turns into the game, when every
//! faction has orders under way), so the figures do not drift as a game grows.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use khitomer::core::generate::{GalaxyParams, generate};
use khitomer::core::seat::Seats;
use khitomer::core::state::WorldState;
use khitomer::driver::Driver;
use khitomer::session::Session;

/// A game of this world with the AI in every seat.
fn ai_game(world: WorldState) -> Driver {
    Driver::new(Session::single(world), Seats::default())
}

fn whole_turn(driver: &mut Driver) {
    black_box(driver.resolve().expect("the benchmark game does not end"));
}

fn turns(c: &mut Criterion) {
    let mut group = c.benchmark_group("whole_turn");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(6));
    for sectors in [1_000, 10_000, 100_000] {
        let mut params = GalaxyParams::proportional(sectors, 2409);
        params.turns = 1_000;
        let start = generate(params);
        let mut game = ai_game(start);
        for _ in 0..3 {
            whole_turn(&mut game);
        }
        let warm = game.game().state();
        let label = format!(
            "{sectors}_sectors_{}_factions_{}_fleets",
            params.factions, params.fleets
        );
        if sectors >= 100_000 {
            group.sample_size(10);
        }
        group.bench_function(BenchmarkId::from_parameter(label), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let mut game = ai_game(warm.clone());
                    let started = Instant::now();
                    whole_turn(&mut game);
                    total += started.elapsed();
                }
                total
            })
        });
    }
    group.finish();
}

criterion_group!(benches, turns);
criterion_main!(benches);
