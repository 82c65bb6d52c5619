//! `khitomer autoplay`: many AI-only games of one scenario or campaign over a run of seeds,
//! and how each faction fared. For balancing a scenario: a side that wins every game, or a
//! scenario that never ends with a winner, shows here at once.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::PathBuf;

use clap::Args;

use crate::core::events::Decision;
use crate::core::seat::{Policy, Seats};
use crate::driver::Driver;
use crate::session::Session;

use super::Failure;
use super::find::{load_library, open_session};
use super::output::progress;

/// Arguments of `khitomer autoplay`.
#[derive(Debug, Args)]
pub struct AutoplayArgs {
    /// A scenario or campaign id from `khitomer list`, or the path of a scenario file.
    pub scenario: String,
    /// How many games to play.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub games: u32,
    /// The seed of the first game; game `i` is played with seed `S + i`. By default the
    /// scenario's own.
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Play every faction as the history did (see `run --historical`).
    #[arg(long)]
    pub historical: bool,
    /// Print one JSON object per game, then one with the totals, instead of text.
    #[arg(long)]
    pub json: bool,
}

/// How one game ended.
struct GameResult {
    seed: u64,
    /// Turns played, across chapters.
    turns: u32,
    /// The last chapter's ending.
    decision: Decision,
    /// The winners of the last chapter, by id.
    winners: Vec<String>,
    /// Every faction that took part in the last chapter, by id.
    factions: Vec<String>,
}

fn decision_text(d: Decision) -> &'static str {
    match d {
        Decision::ObjectivesMet => "objectives met",
        Decision::LastStanding => "last standing",
        Decision::TimeRanOut => "time ran out",
        Decision::Scripted => "scripted ending",
    }
}

/// Plays a session out with the AI in every seat; the number of turns played.
fn play_out(session: Session, policy: Policy) -> (u32, Driver) {
    let mut driver = Driver::new(session, Seats::ai(policy));
    let turns = driver
        .play_on(None, |_, _| Ok::<(), ()>(()), |_, _| Ok(()))
        .unwrap_or_default();
    (turns, driver)
}

/// `khitomer autoplay`.
pub fn autoplay(args: &AutoplayArgs, mods: &[PathBuf]) -> Result<(), Failure> {
    let mut lib = load_library(mods)?;
    let first = open_session(&mut lib, &args.scenario, args.seed)?;
    let base = first.seed;
    let policy = if args.historical {
        Policy::Historical
    } else {
        Policy::Baseline
    };
    let bar = progress(u64::from(args.games), "games");
    let mut results = Vec::with_capacity(args.games as usize);
    let mut first = Some(first.session);
    for i in 0..u64::from(args.games) {
        let seed = base.wrapping_add(i);
        let session = match first.take() {
            Some(session) => session,
            None => open_session(&mut lib, &args.scenario, Some(seed))?.session,
        };
        let (turns, driver) = play_out(session, policy);
        let state = driver.game().state();
        let outcome = driver
            .game()
            .outcome()
            .expect("a played-out session has an outcome");
        results.push(GameResult {
            seed,
            turns,
            decision: outcome.decision,
            winners: outcome
                .winners
                .iter()
                .map(|w| state.factions[w.index()].key.clone())
                .collect(),
            factions: state.factions.iter().map(|f| f.key.clone()).collect(),
        });
        bar.inc(1);
    }
    bar.finish_and_clear();
    let out = io::stdout();
    let mut out = io::BufWriter::new(crate::terminal::Printable(out.lock()));
    let written = if args.json {
        write_json(&results, &mut out)
    } else {
        write_text(&args.scenario, &results, &mut out)
    }
    .and_then(|()| out.flush());
    match written {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Input(format!(
            "error: cannot write the results: {e}\n"
        ))),
    }
}

/// Wins per faction, every faction that took part counted (with zero wins too).
fn tally(results: &[GameResult]) -> BTreeMap<&str, u32> {
    let mut wins: BTreeMap<&str, u32> = BTreeMap::new();
    for r in results {
        for f in &r.factions {
            wins.entry(f).or_default();
        }
        for w in &r.winners {
            *wins.entry(w).or_default() += 1;
        }
    }
    wins
}

fn write_text(play: &str, results: &[GameResult], out: &mut impl Write) -> io::Result<()> {
    let games = results.len();
    writeln!(out, "autoplay `{play}`: {games} game(s)")?;
    writeln!(
        out,
        "  {:>8}  {:>5}  {:<16}  winners",
        "seed", "turns", "ended by"
    )?;
    for r in results {
        let winners = if r.winners.is_empty() {
            "no one".to_owned()
        } else {
            r.winners.join(", ")
        };
        writeln!(
            out,
            "  {:>8}  {:>5}  {:<16}  {winners}",
            r.seed,
            r.turns,
            decision_text(r.decision)
        )?;
    }
    writeln!(out, "wins")?;
    let wins = tally(results);
    for (faction, n) in &wins {
        writeln!(out, "  {faction:<24} {n}/{games}")?;
    }
    let draws = results.iter().filter(|r| r.winners.is_empty()).count();
    writeln!(out, "  {:<24} {draws}/{games}", "(no winner)")?;
    if let Some((always, _)) = wins.iter().find(|(_, n)| **n as usize == games) {
        writeln!(out, "note: `{always}` won every game")?;
    }
    Ok(())
}

fn write_json(results: &[GameResult], out: &mut impl Write) -> io::Result<()> {
    for r in results {
        let line = serde_json::json!({
            "seed": r.seed,
            "turns": r.turns,
            "decision": decision_text(r.decision),
            "winners": r.winners,
        });
        writeln!(out, "{line}")?;
    }
    let wins = tally(results);
    let draws = results.iter().filter(|r| r.winners.is_empty()).count();
    let line = serde_json::json!({ "games": results.len(), "wins": wins, "no_winner": draws });
    writeln!(out, "{line}")
}
