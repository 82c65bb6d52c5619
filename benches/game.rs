//! A whole AI game, as a player waits through it: 150 turns of the generated galaxy of
//! 10,000 sectors, 24 factions and 2,000 fleets from its start, every seat the strategic AI
//! (`--sectors N` plays a galaxy of another size, with factions and fleets in proportion).
//! Each turn is timed from the AI's first plan to the state hash after it — what the player
//! waits for between pressing "end turn" and seeing the next — and the game reports the median
//! turn, the mean of the last ten (the turns of a game grown late, with its wars spread), the
//! slowest, and the memory it took. DESIGN.md's budget: median under 10 ms, last ten under
//! 15 ms.
//!
//! ```sh
//! cargo bench --bench game                          # three games
//! cargo bench --bench game -- 1                     # one
//! cargo bench --bench game -- 1 --sectors 100000    # one, ten times the map
//! ```

use std::hint::black_box;
use std::time::{Duration, Instant};

use khitomer::core::generate::{GalaxyParams, generate};
use khitomer::core::seat::{Policy, Seats};
use khitomer::driver::Driver;
use khitomer::session::Session;

const SECTORS: usize = 10_000;
const TURNS: usize = 150;
const SEED: u64 = 2409;

/// A figure of `/proc/self/status` in MiB (`VmHWM`, `VmRSS`); `None` off Linux.
fn status_mib(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn mib(figure: Option<f64>) -> String {
    figure.map_or_else(|| "unknown".into(), |m| format!("{m:.1} MiB"))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// One game: each turn as long as it took, the resident memory at its first turn and after
/// its last, and what was left standing at the end (factions, fleets).
struct Played {
    turns: Vec<Duration>,
    start: Option<f64>,
    end: Option<f64>,
    factions: usize,
    fleets: usize,
}

fn game(policy: Policy, sectors: usize) -> Played {
    let mut params = GalaxyParams::proportional(sectors, SEED);
    params.turns = TURNS as u32 + 1;
    let mut driver = Driver::new(Session::single(generate(params)), Seats::ai(policy));
    let start = status_mib("VmRSS:");
    let mut turns = Vec::with_capacity(TURNS);
    for _ in 0..TURNS {
        let started = Instant::now();
        let played = driver.resolve();
        turns.push(started.elapsed());
        black_box(played.expect("the benchmark game lasts its 150 turns"));
    }
    let end = status_mib("VmRSS:");
    let game = driver.game();
    Played {
        turns,
        start,
        end,
        factions: game.factions().filter(|&f| !game.is_defeated(f)).count(),
        fleets: game.state().fleets.len(),
    }
}

fn main() {
    // `cargo bench` passes `--bench`; `--sectors N` sets the size, and another number among
    // the arguments is the games to play.
    let (mut games, mut sectors) = (3, SECTORS);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--sectors" {
            sectors = args
                .next()
                .and_then(|n| n.parse().ok())
                .filter(|&n| n > 0)
                .expect("--sectors takes a number of sectors");
        } else if let Ok(n) = arg.parse() {
            games = n;
        }
    }
    let params = GalaxyParams::proportional(sectors, SEED);
    println!(
        "whole game: {TURNS} turns of {} sectors, {} factions, {} fleets (seed {SEED}), \
         every seat the strategic AI",
        params.sectors, params.factions, params.fleets
    );
    for k in 1..=games {
        let Played {
            mut turns,
            start,
            end,
            factions,
            fleets,
        } = game(Policy::Strategic, sectors);
        let last_ten = turns[TURNS - 10..].iter().sum::<Duration>() / 10;
        let total: Duration = turns.iter().sum();
        // Sorts the turns: the slowest is the last.
        let median = khitomer::stats::median(&mut turns);
        println!(
            "game {k}: median {:.2} ms, last ten {:.2} ms (mean), slowest {:.2} ms, \
             whole game {:.2} s; resident {} at the start, {} at the end ({}), peak {}; \
             at the end {factions} factions standing, {fleets} fleets",
            ms(median),
            ms(last_ten),
            ms(turns[TURNS - 1]),
            total.as_secs_f64(),
            mib(start),
            mib(end),
            match (start, end) {
                (Some(start), Some(end)) => format!("{:+.1} MiB", end - start),
                _ => "growth unknown".into(),
            },
            // The kernel brings its counters up to date lazily: the peak is never below the
            // last reading.
            mib(match (status_mib("VmHWM:"), end) {
                (Some(peak), Some(end)) => Some(peak.max(end)),
                (peak, end) => peak.or(end),
            }),
        );
    }
}
