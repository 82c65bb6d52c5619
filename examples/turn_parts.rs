//! Where a turn's time goes on generated galaxies: the AI's planning for every seat, each
//! phase of the turn, and the state hash, as medians over many turns from the same world
//! (three turns into the game, as the `turn` benchmark measures). The sizes grow tenfold, and
//! each part's growth is printed beside it.
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
use khitomer::core::turn::{PhaseEnd, Turn, TurnSystems};
use khitomer::driver::Driver;
use khitomer::session::Session;

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

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort_unstable();
    v[v.len() / 2]
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
    let mut rows: Vec<(usize, Vec<Duration>)> = Vec::new();
    let sizes: Vec<usize> = std::env::args()
        .nth(2)
        .map_or(vec![1_000, 10_000, 100_000], |s| {
            s.split(',')
                .map(|n| n.parse().expect("sizes: numbers"))
                .collect()
        });
    for &sectors in &sizes {
        let mut params = GalaxyParams::proportional(sectors, 2409);
        params.turns = 1_000;
        let mut game = Driver::new(
            Session::single(generate(params)),
            Seats::ai(Policy::Strategic),
        );
        for _ in 0..3 {
            game.resolve().expect("the game goes on");
        }
        let warm = game.game().state();
        let mut times: Vec<Vec<Duration>> = vec![Vec::new(); parts.len()];
        for _ in 0..runs {
            let mut driver =
                Driver::new(Session::single(warm.clone()), Seats::ai(Policy::Strategic));
            let marks = Marks::default();
            let world = driver.game_mut().world_mut();
            world.insert_resource(marks.clone());
            world.schedule_scope(Turn, |_, schedule| {
                for phase in TurnSystems::ALL {
                    schedule.add_systems(
                        (|m: Res<Marks>| m.0.lock().unwrap().push(Instant::now()))
                            .in_set(PhaseEnd(phase))
                            .ambiguous_with_all(),
                    );
                }
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
            times[0].push(t1 - t0);
            let ends = marks.0.lock().unwrap().clone();
            let mut last = t2;
            for (k, &end) in ends.iter().enumerate() {
                times[1 + k].push(end - last);
                last = end;
            }
            times[8].push(t3 - last);
        }
        rows.push((sectors, times.into_iter().map(median).collect()));
    }
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
