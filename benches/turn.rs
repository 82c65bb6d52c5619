//! A whole turn on generated galaxies: every faction's AI decides, then the turn is resolved
//! and its state hash taken. DESIGN.md's budget: 10,000 sectors, 24 factions and 2,000 fleets
//! under 10 ms median, and a cost that grows no worse than linearly with the map.
//!
//! Each measured turn is played from the same world (three turns into the game, when every
//! faction has orders under way), so the figures do not drift as a game grows: a game of that
//! world plays one turn untimed, then the turn timed, as a player meets every turn after the
//! first of a game just loaded (whose search tables, log and threads' tables are made in it).
//! Every seat is the strategic AI, the game's own.
//!
//! After the group it prints each size's median turn and how the cost grew from one size to
//! the next beside how the map grew: a ratio of times no greater than the ratio of sizes is
//! linear or better. The medians are of every turn timed at that size (warm-up included),
//! measured here rather than read back from criterion's files; then again from rounds that
//! time one turn of each size in turn, so that a machine whose speed drifts while the group
//! runs skews no ratio (the growth to read). The rounds also time the untimed first turn, the
//! one after loading, and print its growth too.
//!
//! The same rounds also time a reference: the AI's region search alone (every sector within 8
//! steps of a faction's fleets, a bounded breadth-first search over the map's ways on; the
//! AI's own also starts from the faction's shipyards and capital), run for every faction of
//! each size on a copy of the map that nothing else reads. It visits about as many sectors per
//! faction at every size (it prints how many), so its work grows about as the map does; how
//! its time grows beside that is what such work costs on this machine as the map's tables
//! outgrow a core's own cache.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use khitomer::ai::HORIZON;
use khitomer::ai::field::Field;
use khitomer::core::galaxy::Galaxy;
use khitomer::core::generate::{GalaxyParams, generate};
use khitomer::core::ids::SectorId;
use khitomer::core::seat::{Policy, Seats};
use khitomer::core::state::WorldState;
use khitomer::driver::Driver;
use khitomer::session::Session;
use khitomer::stats::median;

/// A game of this world with the strategic AI in every seat.
fn ai_game(world: WorldState) -> Driver {
    Driver::new(Session::single(world), Seats::ai(Policy::Strategic))
}

const WHOLE_TURN: &str = "whole turn, strategic AI in every seat";

/// Each size's median turn, and the growth from each size to the next.
fn print_growth(what: &str, medians: &[(usize, Duration)]) {
    println!("{what}: median per size");
    for &(sectors, t) in medians {
        println!("  {sectors:>7} sectors: {:8.3} ms", t.as_secs_f64() * 1e3);
    }
    for pair in medians.windows(2) {
        let ((small, a), (large, b)) = (pair[0], pair[1]);
        println!(
            "  {large}/{small}: time x{:.2} for size x{:.0}",
            b.as_secs_f64() / a.as_secs_f64(),
            large as f64 / small as f64
        );
    }
}

/// The reference: each faction's region search on one size's map, by the AI's own search.
struct RegionSearches {
    galaxy: Galaxy,
    /// Each faction's fleets' sectors.
    sources: Vec<Vec<SectorId>>,
    field: Field,
}

impl RegionSearches {
    fn new(driver: &mut Driver, state: &WorldState) -> Self {
        let galaxy = driver.game_mut().world_mut().resource::<Galaxy>().clone();
        let mut sources = vec![Vec::new(); state.factions.len()];
        for fleet in &state.fleets {
            sources[fleet.owner.index()].push(fleet.sector);
        }
        Self {
            galaxy,
            sources,
            field: Field::default(),
        }
    }

    /// Searches every faction's region in turn, out to the AI's horizon; the sectors visited
    /// in all.
    fn run(&mut self) -> usize {
        let mut visited = 0;
        for sources in &self.sources {
            self.field
                .search(&self.galaxy, sources.iter().copied(), HORIZON, |_| true);
            visited += self.field.reached().len();
        }
        visited
    }
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
    let mut medians = Vec::new();
    let mut warm_worlds = Vec::new();
    for sectors in [1_000, 10_000, 100_000] {
        let mut params = GalaxyParams::proportional(sectors, 2409);
        params.turns = 1_000;
        let start = generate(params);
        let mut game = ai_game(start);
        for _ in 0..3 {
            whole_turn(&mut game);
        }
        let warm = game.game().state();
        warm_worlds.push((sectors, warm.clone()));
        let label = format!(
            "{sectors}_sectors_{}_factions_{}_fleets",
            params.factions, params.fleets
        );
        if sectors >= 100_000 {
            group.sample_size(10);
        }
        let mut timed: Vec<Duration> = Vec::new();
        group.bench_function(BenchmarkId::from_parameter(label), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let mut game = ai_game(warm.clone());
                    whole_turn(&mut game);
                    let started = Instant::now();
                    whole_turn(&mut game);
                    let took = started.elapsed();
                    timed.push(took);
                    total += took;
                }
                total
            })
        });
        // Sizes a filter left out were not timed.
        if !timed.is_empty() {
            medians.push((sectors, median(&mut timed)));
        }
    }
    group.finish();
    println!("in criterion's runs, one size after another:");
    print_growth(WHOLE_TURN, &medians);
    // The machine's speed may drift between one size's runs and the next's; timed in turn,
    // a turn of each size per round, the sizes share whatever drift there is.
    let rounds = 15;
    let mut interleaved: Vec<Vec<Duration>> = vec![Vec::new(); warm_worlds.len()];
    let mut first_turns: Vec<Vec<Duration>> = vec![Vec::new(); warm_worlds.len()];
    let mut references: Vec<RegionSearches> = warm_worlds
        .iter()
        .map(|(_, warm)| RegionSearches::new(&mut ai_game(warm.clone()), warm))
        .collect();
    let mut reference_times: Vec<Vec<Duration>> = vec![Vec::new(); warm_worlds.len()];
    let mut visited = vec![0; warm_worlds.len()];
    for _ in 0..rounds {
        for (k, (_, warm)) in warm_worlds.iter().enumerate() {
            let mut game = ai_game(warm.clone());
            let started = Instant::now();
            whole_turn(&mut game);
            first_turns[k].push(started.elapsed());
            let started = Instant::now();
            whole_turn(&mut game);
            interleaved[k].push(started.elapsed());
            let started = Instant::now();
            visited[k] = black_box(references[k].run());
            reference_times[k].push(started.elapsed());
        }
    }
    let sizes = || warm_worlds.iter().map(|(sectors, _)| *sectors);
    let medians: Vec<(usize, Duration)> = sizes()
        .zip(interleaved)
        .map(|(sectors, mut times)| (sectors, median(&mut times)))
        .collect();
    println!("timed in turn, {rounds} rounds of one turn of each size:");
    print_growth(WHOLE_TURN, &medians);
    let medians: Vec<(usize, Duration)> = sizes()
        .zip(first_turns)
        .map(|(sectors, mut times)| (sectors, median(&mut times)))
        .collect();
    print_growth(
        "the first turn of a game just loaded, in the same rounds",
        &medians,
    );
    println!("reference, in the same rounds:");
    for (sectors, (r, &n)) in sizes().zip(references.iter().zip(&visited)) {
        println!(
            "  {sectors:>7} sectors: {n} sectors visited, {:.0} per faction",
            n as f64 / r.sources.len() as f64
        );
    }
    let medians: Vec<(usize, Duration)> = sizes()
        .zip(reference_times)
        .map(|(sectors, mut times)| (sectors, median(&mut times)))
        .collect();
    print_growth("every faction's region search alone", &medians);
}

criterion_group! {
    name = benches;
    // No plots: criterion's plotting reaches the game's own `plotters`, built to draw text
    // with fonts the game registers itself, and fails without them.
    config = Criterion::default().without_plots();
    targets = turns
}
criterion_main!(benches);
