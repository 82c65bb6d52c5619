//! Where a turn's time goes on generated galaxies: the AI's planning for every seat, each
//! phase of the turn, and the state hash, as medians over many turns from the same world
//! (three turns into the game, as the `turn` benchmark measures). The sizes grow tenfold, and
//! each part's growth is printed beside it. The sizes are timed in turn, one turn of each per
//! run, so that their ratios hold on a machine whose speed drifts. The planning is also split
//! in two: `reading`, what it costs with no seat to plan for (timed in a game of its own), and
//! `/faction`, the rest shared out among the factions. A third argument plans for only that
//! many factions, the first by id (`-- 30 10000,100000 24`).
//!
//! With `--running`, each size is instead one game played on, as a player goes from turn to
//! turn: the search tables and the log are already made, and the timed turn follows one of
//! its own game. (Every run then plays two turns of each size and times the second.)
//!
//! With `--from N`, the world timed is N turns into the game rather than three.
//!
//! With `--cold`, every part starts with the caches emptied (64 MiB written through before
//! the planning, before the first phase and after each phase, outside the times), so that the
//! sizes' parts are compared with nothing left in the caches by the part before.
//!
//! ```sh
//! cargo run --release --no-default-features --example turn_parts -- 30
//! cargo run --release --no-default-features --example turn_parts -- 30 10000,100000 --running
//! ```

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bevy::prelude::*;
use khitomer::ai;
use khitomer::core::generate::{GalaxyParams, generate};
use khitomer::core::seat::{Policy, Seats};
use khitomer::core::state::WorldState;
use khitomer::core::turn::{PhaseEnd, Turn, TurnSystems};
use khitomer::driver::Driver;
use khitomer::session::Session;
use khitomer::stats::median;

/// The moments the last turn's phases ended, in order, each with the moment timing resumed
/// (later, with `--cold`, by the time the caches took to empty).
#[derive(Resource, Clone, Default)]
struct Marks(Arc<Mutex<Vec<(Instant, Instant)>>>);

/// With `--cold`: memory written through to empty the caches.
#[derive(Resource, Clone)]
struct Flush(Arc<Mutex<Vec<u64>>>);

impl Flush {
    fn new() -> Self {
        Self(Arc::new(Mutex::new(vec![0; 64 << 20 >> 3])))
    }

    /// Writes a word of every cache line of the buffer.
    fn run(&self) {
        let mut buffer = self.0.lock().unwrap();
        for word in buffer.iter_mut().step_by(8) {
            *word = word.wrapping_add(1);
        }
        std::hint::black_box(&mut *buffer);
    }
}

/// Under `perf record --control fifo:PATH -D -1`, with `PERF_CTL=PATH`: samples only the
/// timed turns.
fn perf(command: &str) {
    if let Some(path) = std::env::var_os("PERF_CTL") {
        use std::io::Write;
        let mut fifo = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .expect("perf's fifo");
        writeln!(fifo, "{command}").expect("perf reads its fifo");
    }
}

/// The AI's planning for no seat from `state`: what planning costs before any faction plans
/// (reading the world into the AI's tables, the joint strikes' survey), timed in a game of its
/// own so that it warms nothing for the turn timed after it.
fn time_reading(state: WorldState) -> Duration {
    let mut driver = Driver::new(Session::single(state), Seats::ai(Policy::Strategic));
    let t0 = Instant::now();
    let orders = ai::plan_seats(driver.game_mut().world_mut(), &[]);
    let took = t0.elapsed();
    assert!(orders.is_empty(), "no seat, no orders");
    took
}

/// A game of `state`, every seat the strategic AI, its turn schedule marking the moment each
/// phase ends.
fn marked_game(state: WorldState, flush: Option<&Flush>) -> (Driver, Marks) {
    let mut driver = Driver::new(Session::single(state), Seats::ai(Policy::Strategic));
    let marks = Marks::default();
    let world = driver.game_mut().world_mut();
    world.insert_resource(marks.clone());
    // As the turn driver plays a turn: the state hash encoded on the machine's cores.
    world.insert_resource(khitomer::core::hash::HashThreads(ai::threads()));
    if let Some(flush) = flush {
        world.insert_resource(flush.clone());
    }
    world.schedule_scope(Turn, |world, schedule| {
        for phase in TurnSystems::ALL {
            schedule.add_systems(
                (|m: Res<Marks>, flush: Option<Res<Flush>>| {
                    let end = Instant::now();
                    if let Some(flush) = flush {
                        flush.run();
                    }
                    m.0.lock().unwrap().push((end, Instant::now()));
                })
                .in_set(PhaseEnd(phase))
                .ambiguous_with_all(),
            );
        }
        // Built again with the marks, before the timed turn, as a game builds it as it starts.
        schedule
            .initialize(world)
            .expect("the schedule with the marks builds");
    });
    (driver, marks)
}

/// The game's next turn: the AI's planning for the first `seats` factions, each phase, then
/// the hash.
fn time_next_turn(driver: &mut Driver, marks: &Marks, seats: usize) -> Vec<Duration> {
    marks.0.lock().unwrap().clear();
    let seats: Vec<_> = driver
        .game()
        .factions()
        .map(|f| (f, Policy::Strategic))
        .take(seats)
        .collect();
    perf("enable");
    let [t0, t1, t2, t3] = timed_turn(driver, &seats);
    perf("disable");
    let mut parts = vec![t1 - t0];
    let mut last = t2;
    for &(end, resumed) in marks.0.lock().unwrap().iter() {
        parts.push(end - last);
        last = resumed;
    }
    parts.push(t3 - last);
    parts
}

/// One turn from `state`, in a game of its own.
fn time_a_turn(state: WorldState, seats: usize, flush: Option<&Flush>) -> Vec<Duration> {
    let (mut driver, marks) = marked_game(state, flush);
    time_next_turn(&mut driver, &marks, seats)
}

/// The turn timed: the AI's planning for `seats`, their orders given, the turn played; the
/// moments between. Its own function, so that a profiler can be told to count only it
/// (`valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*timed_turn*'`).
#[inline(never)]
fn timed_turn(
    driver: &mut Driver,
    seats: &[(khitomer::core::ids::FactionId, Policy)],
) -> [Instant; 4] {
    let flush = driver
        .game_mut()
        .world_mut()
        .get_resource::<Flush>()
        .cloned();
    let empty = || flush.iter().for_each(Flush::run);
    empty();
    let t0 = Instant::now();
    let orders = ai::plan_seats(driver.game_mut().world_mut(), seats);
    let t1 = Instant::now();
    for (f, o) in orders {
        driver.game_mut().give_orders(f, o);
    }
    empty();
    let t2 = Instant::now();
    driver.game_mut().play_turn().expect("the game goes on");
    [t0, t1, t2, Instant::now()]
}

fn main() {
    // `--running` and `--cold` anywhere among the arguments, `--from N` too; the rest by
    // position.
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut flag = |name: &str| match args.iter().position(|a| a == name) {
        Some(k) => {
            args.remove(k);
            true
        }
        None => false,
    };
    let running = flag("--running");
    let flush = flag("--cold").then(Flush::new);
    // `--from N`: the timed turns start N turns into the game (3 unless told), as late in
    // a game as a player waits longest.
    let from: usize = match args.iter().position(|a| a == "--from") {
        Some(k) => {
            let n = args
                .get(k + 1)
                .and_then(|n| n.parse().ok())
                .expect("--from takes a number of turns");
            args.drain(k..k + 2);
            n
        }
        None => 3,
    };
    let runs: usize = args
        .first()
        .map_or(15, |t| t.parse().expect("runs: a number"));
    let parts = [
        "plan",
        "diplomacy",
        "movement",
        "combat",
        "control",
        "economy",
        "events",
        "end checks",
        "hash",
    ];
    let sizes: Vec<usize> = args.get(1).map_or(vec![1_000, 10_000, 100_000], |s| {
        s.split(',')
            .map(|n| n.parse().expect("sizes: numbers"))
            .collect()
    });
    // With a third argument, the AI plans only for that many factions (the first by id); the
    // others give no orders.
    let seats: usize = args
        .get(2)
        .map_or(usize::MAX, |n| n.parse().expect("seats: a number"));
    let warm: Vec<_> = sizes
        .iter()
        .map(|&sectors| {
            let mut params = GalaxyParams::proportional(sectors, 2409);
            params.turns = 1_000;
            let mut game = Driver::new(
                Session::single(generate(params)),
                Seats::ai(Policy::Strategic),
            );
            for _ in 0..from {
                game.resolve().expect("the game goes on");
            }
            game.game().state()
        })
        .collect();
    // The sizes take turns, run by run, so that a machine that speeds up or slows down
    // while this runs does so for every size alike and the growth stays true.
    let mut times: Vec<Vec<Vec<Duration>>> = vec![vec![Vec::new(); parts.len()]; sizes.len()];
    let mut reading: Vec<Vec<Duration>> = vec![Vec::new(); sizes.len()];
    // With `--running`, each size is one game played on: each round plays a turn of it
    // untimed, then times the next, so that the timed turn follows a turn of its own game (its
    // tables made, its caches warm) rather than the other size's.
    let mut games: Vec<(Driver, Marks)> = if running {
        warm.iter()
            .map(|state| marked_game(state.clone(), flush.as_ref()))
            .collect()
    } else {
        Vec::new()
    };
    for _ in 0..runs {
        for (k, state) in warm.iter().enumerate() {
            let parts = if let Some((driver, marks)) = games.get_mut(k) {
                time_next_turn(driver, marks, seats);
                time_next_turn(driver, marks, seats)
            } else {
                reading[k].push(time_reading(state.clone()));
                time_a_turn(state.clone(), seats, flush.as_ref())
            };
            for (part, took) in parts.into_iter().enumerate() {
                times[k][part].push(took);
            }
        }
    }
    let factions: Vec<usize> = warm.iter().map(|s| s.factions.len().min(seats)).collect();
    let rows: Vec<(usize, Vec<Duration>)> = sizes
        .iter()
        .zip(times)
        .map(|(&s, t)| (s, t.into_iter().map(|mut v| median(&mut v)).collect()))
        .collect();
    print!("{:>12}", "part");
    for (s, _) in &rows {
        print!("{:>12}", s);
    }
    println!("{:>10}{:>10}", "x10", "x100");
    for (k, name) in parts.iter().enumerate() {
        print!("{name:>12}");
        for (_, t) in &rows {
            print!("{:>10.3}ms", t[k].as_secs_f64() * 1e3);
        }
        let r = |a: usize, b: usize| {
            rows.get(b).map_or(f64::NAN, |row| {
                row.1[k].as_secs_f64() / rows[a].1[k].as_secs_f64()
            })
        };
        println!("{:>10.1}{:>10.1}", r(0, 1), r(1, 2));
    }
    // The planning split in two: what it costs before any faction plans, and what each
    // faction's own plan adds (the rest, shared out among the factions). Not in a running
    // game, whose reading would be timed on a world other than the one planned for.
    if !running {
        let reading: Vec<Duration> = reading.iter_mut().map(|t| median(t)).collect();
        let read: Vec<f64> = reading.iter().map(|t| t.as_secs_f64() * 1e3).collect();
        let per_faction: Vec<f64> = rows
            .iter()
            .enumerate()
            .map(|(k, (_, t))| {
                t[0].saturating_sub(reading[k]).as_secs_f64() * 1e3 / factions[k].max(1) as f64
            })
            .collect();
        for (name, values) in [("  reading", &read), ("  /faction", &per_faction)] {
            print!("{name:>12}");
            for v in values {
                print!("{v:>10.3}ms");
            }
            let r = |a: usize, b: usize| values.get(b).map_or(f64::NAN, |v| v / values[a]);
            println!("{:>10.1}{:>10.1}", r(0, 1), r(1, 2));
        }
    }
    let total = |t: &Vec<Duration>| t.iter().sum::<Duration>().as_secs_f64() * 1e3;
    print!("{:>12}", "total");
    for (_, t) in &rows {
        print!("{:>10.3}ms", total(t));
    }
    let grown = |a: usize, b: usize| {
        rows.get(b)
            .map_or(f64::NAN, |row| total(&row.1) / total(&rows[a].1))
    };
    println!("{:>10.1}{:>10.1}", grown(0, 1), grown(1, 2));
}
