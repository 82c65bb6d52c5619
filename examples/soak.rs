//! Long games: an AI-only soak on a generated galaxy with memory measured as it goes, and
//! many seeds played with a save and a load after every turn.
//!
//! ```sh
//! cargo run --release --example soak -- turns --turns 10000 --sectors 2000
//! cargo run --release --example soak -- saves --seeds 1000 --turns 40
//! ```
//!
//! `turns` plays one game of a generated galaxy for the turns asked (its last turn is set
//! past them) and prints the resident memory and the size of the saved world at the start,
//! every tenth of the way, and at the end. `saves` plays each seed's game twice: straight
//! through, and saved to bytes and loaded back after every turn; every turn's state hash must
//! be the same. Exit code 1 when the hashes differ or the game stops before its time.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use khitomer::core::generate::{GalaxyParams, generate};
use khitomer::core::seat::{Policy, Seats};
use khitomer::core::state::WorldState;
use khitomer::driver::Driver;
use khitomer::record::save::{self, SaveFile};
use khitomer::session::Session;

#[derive(Parser)]
#[command(about = "Long AI-only games: memory over many turns, saves and loads over many seeds")]
struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(Subcommand)]
enum What {
    /// One long game with memory measured.
    Turns {
        /// Turns to play.
        #[arg(long, default_value_t = 10_000)]
        turns: u32,
        /// Sectors of the generated galaxy (24 factions and 2,000 fleets per 10,000).
        #[arg(long, default_value_t = 2_000)]
        sectors: usize,
        /// The galaxy's seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Many seeds, each saved and loaded after every turn.
    Saves {
        /// Seeds to play, from 0.
        #[arg(long, default_value_t = 1_000)]
        seeds: u64,
        /// Turns of each game.
        #[arg(long, default_value_t = 40)]
        turns: u32,
        /// Sectors of each generated galaxy.
        #[arg(long, default_value_t = 300)]
        sectors: usize,
    },
}

/// Resident memory in MiB, from `/proc/self/status` (Linux); `None` elsewhere.
fn resident_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn shown(mib: Option<f64>) -> String {
    mib.map_or_else(|| "unknown".into(), |m| format!("{m:.1} MiB"))
}

fn driver_for(world: WorldState) -> Driver {
    Driver::new(Session::single(world), Seats::ai(Policy::Baseline))
}

fn soak(turns: u32, sectors: usize, seed: u64) -> ExitCode {
    let mut params = GalaxyParams::proportional(sectors, seed);
    params.turns = turns.saturating_add(1);
    let world = generate(params);
    println!(
        "a generated galaxy of {} sectors, {} factions, {} fleets; {turns} turns",
        world.sectors.len(),
        world.factions.len(),
        world.fleets.len()
    );
    let mut driver = driver_for(world);
    let started = std::time::Instant::now();
    let report = |driver: &Driver, turn: u32| {
        let state = driver.game().state();
        let bytes = postcard::to_allocvec(&state).map_or(0, |b| b.len());
        println!(
            "turn {turn:>6}: resident {:>10}, world {:>8} KiB, {:>4} fleets, {:>4} treaties, {:.0} s",
            shown(resident_mib()),
            bytes / 1024,
            state.fleets.len(),
            state.diplomacy.treaties.len(),
            started.elapsed().as_secs_f64()
        );
    };
    report(&driver, 0);
    let step = (turns / 10).max(1);
    for turn in 1..=turns {
        if let Err(e) = driver.resolve() {
            println!("the game stopped on turn {turn}: {e:?}");
            report(&driver, turn);
            return ExitCode::from(1);
        }
        if driver.chapter_over() {
            let outcome = driver.game().state().scenario.outcome;
            println!("the game ended on turn {turn}: {outcome:?}");
            report(&driver, turn);
            return ExitCode::from(1);
        }
        if turn % step == 0 {
            report(&driver, turn);
        }
    }
    ExitCode::SUCCESS
}

fn through_a_save(driver: &Driver) -> Driver {
    let session = driver.session();
    let bytes = save::encode(&SaveFile {
        game: "soak".into(),
        play: "generated".into(),
        mods: Vec::new(),
        seed: 0,
        seats: driver.seats().clone(),
        chapter: session.chapter(),
        chapters: session.chapters().to_vec(),
        world: session.game.state(),
    });
    let loaded = save::decode(&bytes).expect("a save just written reads back");
    Driver::new(
        Session::resume(loaded.chapters, loaded.chapter, loaded.world),
        loaded.seats,
    )
}

fn saves(seeds: u64, turns: u32, sectors: usize) -> ExitCode {
    let started = std::time::Instant::now();
    let (mut compared, mut differ) = (0u64, 0u64);
    for seed in 0..seeds {
        let mut params = GalaxyParams::proportional(sectors, seed);
        params.turns = turns;
        let world = generate(params);
        let mut straight = driver_for(world.clone());
        let mut saved = driver_for(world);
        for turn in 1..=turns {
            if straight.chapter_over() {
                break;
            }
            saved = through_a_save(&saved);
            let (a, b) = (straight.resolve(), saved.resolve());
            match (a, b) {
                (Ok(a), Ok(b)) => {
                    compared += 1;
                    if a.report.hash != b.report.hash {
                        differ += 1;
                        println!("seed {seed}, turn {turn}: the hashes differ after a load");
                        break;
                    }
                }
                (Err(_), Err(_)) => break,
                _ => {
                    differ += 1;
                    println!("seed {seed}, turn {turn}: one game played on, the other did not");
                    break;
                }
            }
        }
    }
    println!(
        "{seeds} seeds, {compared} turns each played after a save and a load: {differ} differ ({:.0} s)",
        started.elapsed().as_secs_f64()
    );
    if differ == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match args.what {
        What::Turns {
            turns,
            sectors,
            seed,
        } => soak(turns, sectors, seed),
        What::Saves {
            seeds,
            turns,
            sectors,
        } => saves(seeds, turns, sectors),
    }
}
