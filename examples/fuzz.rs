//! Fuzzes every input the game reads — scenario, map and roster files, mods, saves and
//! replays — on every core, and reports how each case ended.
//!
//! ```sh
//! cargo run --release --example fuzz -- --cases 100000
//! cargo run --release --example fuzz -- --cases 20000 --target save --seed 9
//! cargo run --release --example fuzz -- --only 4711 --seed 9   # one case again, alone
//! ```
//!
//! Exit code 0 when no case panicked, 1 when one did (each is listed with its changes), 2 for
//! a wrong flag.

use std::path::Path;
use std::process::ExitCode;

use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use khitomer::fuzz::{Corpus, Target, case_seed, case_target, run};

#[derive(Parser)]
#[command(about = "Fuzzes the game's inputs: content files, mods, saves and replays")]
struct Args {
    /// How many cases to run.
    #[arg(long, default_value_t = 100_000)]
    cases: u64,
    /// The run's seed: the same seed runs the same cases.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Only these targets (content, mod, save, replay); every one if not given.
    #[arg(long = "target", value_parser = parse_target)]
    targets: Vec<Target>,
    /// Run one case alone and print its changes and how it ended.
    #[arg(long, value_name = "CASE")]
    only: Option<u64>,
    /// Threads; every core if not given.
    #[arg(long)]
    threads: Option<usize>,
}

fn parse_target(name: &str) -> Result<Target, String> {
    Target::from_name(name)
        .ok_or_else(|| format!("no target `{name}`: the targets are content, mod, save and replay"))
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let targets = if args.targets.is_empty() {
        Target::ALL.to_vec()
    } else {
        args.targets
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = match Corpus::new(root) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: cannot build the corpus: {e}");
            return ExitCode::from(2);
        }
    };
    let scratch = std::env::temp_dir().join(format!("khitomer-fuzz-{}", std::process::id()));
    if let Some(case) = args.only {
        let target = case_target(&targets, case);
        let (changes, result) = corpus.case(target, case_seed(args.seed, case), &scratch);
        let _ = std::fs::remove_dir_all(&scratch);
        println!("case {case} ({}):", target.name());
        for c in &changes {
            println!("  {c}");
        }
        return match result {
            Ok(v) => {
                println!("ended: {v:?}");
                ExitCode::SUCCESS
            }
            Err(m) => {
                println!("panicked: {m}");
                ExitCode::from(1)
            }
        };
    }
    // Panics are counted and listed at the end, not printed as they happen.
    std::panic::set_hook(Box::new(|_| {}));
    let threads = args.threads.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    let bar = ProgressBar::new(args.cases).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} cases, {per_sec}, {eta} left")
            .expect("a fixed template"),
    );
    let started = std::time::Instant::now();
    let summary = run(
        &corpus,
        &targets,
        args.seed,
        0..args.cases,
        threads,
        &scratch,
        &|| bar.inc(1),
    );
    bar.finish_and_clear();
    let _ = std::fs::remove_dir_all(&scratch);
    println!(
        "{} cases in {:.0} s on {threads} threads, seed {}",
        args.cases,
        started.elapsed().as_secs_f64(),
        args.seed
    );
    println!(
        "{:<8} {:>8} {:>8} {:>8} {:>8}",
        "target", "cases", "refused", "played", "panics"
    );
    for target in Target::ALL {
        let t = summary.tallies[target as usize];
        if t.cases > 0 {
            println!(
                "{:<8} {:>8} {:>8} {:>8} {:>8}",
                target.name(),
                t.cases,
                t.refused,
                t.played,
                t.panicked
            );
        }
    }
    if let Some((took, target, case)) = summary.slowest {
        println!(
            "slowest case: {case} ({}), {:.2} s",
            target.name(),
            took.as_secs_f64()
        );
    }
    for f in &summary.findings {
        println!(
            "\ncase {} ({}) panicked: {}\n  run it alone: --seed {} --only {}",
            f.case,
            f.target.name(),
            f.message,
            args.seed,
            f.case
        );
        for c in &f.changes {
            println!("  {c}");
        }
    }
    if summary.findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
