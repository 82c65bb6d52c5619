//! Where a turn's time goes on generated galaxies: the AI's planning for every seat, each
//! phase of the turn, and the state hash, as medians over many turns from the same world
//! (three turns into the game, as the `turn` benchmark measures). The sizes grow tenfold, and
//! each part's growth is printed beside it. The sizes are timed in turn, one turn of each per
//! run, so that their ratios hold on a machine whose speed drifts.
//!
//! ```sh
//! cargo run --release --no-default-features --example turn_parts -- 30
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

/// The moments the last turn's phases ended, in order.
#[derive(Resource, Clone, Default)]
struct Marks(Arc<Mutex<Vec<Instant>>>);

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

/// One turn from `state`: the AI's planning, each phase, then the hash.
fn time_a_turn(state: WorldState) -> Vec<Duration> {
    let mut driver = Driver::new(Session::single(state), Seats::ai(Policy::Strategic));
    let marks = Marks::default();
    let world = driver.game_mut().world_mut();
    world.insert_resource(marks.clone());
    world.schedule_scope(Turn, |world, schedule| {
        for phase in TurnSystems::ALL {
            schedule.add_systems(
                (|m: Res<Marks>| m.0.lock().unwrap().push(Instant::now()))
                    .in_set(PhaseEnd(phase))
                    .ambiguous_with_all(),
            );
        }
        // Built again with the marks, before the timed turn, as a game builds it as it starts.
        schedule
            .initialize(world)
            .expect("the schedule with the marks builds");
    });
    let seats: Vec<_> = driver
        .game()
        .factions()
        .map(|f| (f, Policy::Strategic))
        .collect();
    perf("enable");
    let t0 = Instant::now();
    let orders = ai::plan_seats(driver.game_mut().world_mut(), &seats);
    let t1 = Instant::now();
    for (f, o) in orders {
        driver.game_mut().give_orders(f, o);
    }
    let t2 = Instant::now();
    driver.game_mut().play_turn().expect("the game goes on");
    let t3 = Instant::now();
    perf("disable");
    let mut parts = vec![t1 - t0];
    let mut last = t2;
    for &end in marks.0.lock().unwrap().iter() {
        parts.push(end - last);
        last = end;
    }
    parts.push(t3 - last);
    parts
}

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
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
    let sizes: Vec<usize> = std::env::args()
        .nth(2)
        .map_or(vec![1_000, 10_000, 100_000], |s| {
            s.split(',')
                .map(|n| n.parse().expect("sizes: numbers"))
                .collect()
        });
    let warm: Vec<_> = sizes
        .iter()
        .map(|&sectors| {
            let mut params = GalaxyParams::proportional(sectors, 2409);
            params.turns = 1_000;
            let mut game = Driver::new(
                Session::single(generate(params)),
                Seats::ai(Policy::Strategic),
            );
            for _ in 0..3 {
                game.resolve().expect("the game goes on");
            }
            game.game().state()
        })
        .collect();
    // The sizes take turns, run by run, so that a machine that speeds up or slows down
    // while this runs does so for every size alike and the growth stays true.
    let mut times: Vec<Vec<Vec<Duration>>> = vec![vec![Vec::new(); parts.len()]; sizes.len()];
    for _ in 0..runs {
        for (k, state) in warm.iter().enumerate() {
            for (part, took) in time_a_turn(state.clone()).into_iter().enumerate() {
                times[k][part].push(took);
            }
        }
    }
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
