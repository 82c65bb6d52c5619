//! `khitomer autoplay`: many AI-only games of one scenario or campaign over a run of seeds,
//! and how each faction fared. For balancing a scenario: a side that wins every game, or a
//! scenario that never ends with a winner, shows here at once. With `--challenger`, one
//! playable faction a game is played by another policy, the seat changing from game to game,
//! to compare two policies on the same ground.
//!
//! Each game depends only on its seed, so the games are played side by side on every core
//! and the results are the same, and printed in the same order, whatever the thread count.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use clap::Args;

use crate::content::Library;
use crate::core::events::Decision;
use crate::core::faction::Faction;
use crate::core::fleet::{Fleet, Strength};
use crate::core::game::Game;
use crate::core::scenario::ScenarioInfo;
use crate::core::seat::{Policy, Seat, Seats};
use crate::driver::{Driver, Step};
use crate::session::Session;
use crate::stats::Rate;

use super::Failure;
use super::find::{load_library, open_session};
use super::output::progress;
use super::plot::{self, Bar, Picture, Track};

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
    /// How the AI plays every seat: strategic (the default), baseline or historical.
    #[arg(long, value_name = "POLICY", value_parser = super::policy)]
    pub ai: Option<Policy>,
    /// Play every faction as the history did: the same as `--ai historical`.
    #[arg(long, conflicts_with = "ai")]
    pub historical: bool,
    /// In each game one playable faction, taken in turn from game to game, is played by this
    /// policy and every other by `--ai`; its win rate is reported beside theirs.
    #[arg(long, value_name = "POLICY", value_parser = super::policy)]
    pub challenger: Option<Policy>,
    /// How many games to play at once. By default one for each core.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub threads: Option<u32>,
    /// Draw the first game's fleet strength per turn and the win rates to FILE, a PNG or an
    /// SVG picture as its name ends in `.png` or `.svg`.
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,
    /// Print one JSON object per game, then one with the totals, instead of text.
    #[arg(long)]
    pub json: bool,
}

/// A policy by its name on the command line.
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
    /// The faction the challenger played, by id, when there is a challenger.
    challenger: Option<String>,
    /// The state hash of the world at the end.
    hash: String,
    /// Each faction's fleet strength after every turn, when it was followed.
    strengths: Option<Vec<Track>>,
}

/// What every game is played with.
struct Plan {
    /// How the AI plays every seat but the challenger's.
    ai: Policy,
    /// The challenger's policy, if there is one.
    challenger: Option<Policy>,
}

impl Rate {
    /// One more game, won or not.
    fn add(&mut self, won: bool) {
        self.games += 1;
        self.wins += u32::from(won);
    }

    /// The rate and its interval as text, 23 characters wide: ` 37.5% [13.7%, 69.4%]`, or
    /// `-` with no games.
    fn text(self) -> String {
        let text = match self.interval() {
            Some(i) => format!(
                "{:>6} {}",
                percent(i.rate),
                format_args!("[{}, {}]", percent(i.low), percent(i.high))
            ),
            None => format!("{:>6}", "-"),
        };
        format!("{text:<23}")
    }

    /// The rate, its interval and its counts as JSON.
    fn json(self) -> serde_json::Value {
        let i = self.interval();
        serde_json::json!({
            "wins": self.wins,
            "games": self.games,
            "rate": i.map(|i| i.rate),
            "low": i.map(|i| i.low),
            "high": i.map(|i| i.high),
        })
    }
}

fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// The lengths of the games in turns: mean, standard deviation (of the sample; none for a
/// single game), shortest and longest.
struct Lengths {
    mean: f64,
    sd: Option<f64>,
    min: u32,
    max: u32,
}

fn lengths(results: &[GameResult]) -> Lengths {
    let n = results.len() as f64;
    let mean = results.iter().map(|r| f64::from(r.turns)).sum::<f64>() / n;
    let sd = (results.len() > 1).then(|| {
        let squares: f64 = results
            .iter()
            .map(|r| (f64::from(r.turns) - mean).powi(2))
            .sum();
        (squares / (n - 1.0)).sqrt()
    });
    Lengths {
        mean,
        sd,
        min: results.iter().map(|r| r.turns).min().unwrap_or(0),
        max: results.iter().map(|r| r.turns).max().unwrap_or(0),
    }
}

fn decision_text(d: Decision) -> &'static str {
    match d {
        Decision::ObjectivesMet => "objectives met",
        Decision::LastStanding => "last standing",
        Decision::TimeRanOut => "time ran out",
        Decision::Scripted => "scripted ending",
    }
}

/// Adds every faction's total fleet strength in `game` after `turn` turns to `tracks`.
fn follow_strength(game: &Game, turn: u32, tracks: &mut Vec<Track>) {
    let world = game.world();
    let mut totals: Vec<u32> = Vec::new();
    if let Some(mut fleets) = world.try_query::<(&Fleet, &Strength)>() {
        for (fleet, strength) in fleets.iter(world) {
            let i = fleet.owner.index();
            if totals.len() <= i {
                totals.resize(i + 1, 0);
            }
            totals[i] = totals[i].saturating_add(strength.0);
        }
    }
    let Some(mut factions) = world.try_query::<&Faction>() else {
        return;
    };
    let mut factions: Vec<&Faction> = factions.iter(world).collect();
    factions.sort_by_key(|f| f.id.index());
    for faction in factions {
        let total = totals.get(faction.id.index()).copied().unwrap_or(0);
        let at = match tracks.iter().position(|t| t.key == faction.key) {
            Some(at) => at,
            None => {
                tracks.push(Track {
                    key: faction.key.clone(),
                    name: faction.name.clone(),
                    colour: faction.colour,
                    points: Vec::new(),
                });
                tracks.len() - 1
            }
        };
        tracks[at].points.push((turn, total));
    }
}

/// Plays game `index` out with the seed `seed`; `follow` adds each faction's fleet strength
/// after every turn.
fn play_game(session: Session, index: usize, seed: u64, plan: &Plan, follow: bool) -> GameResult {
    let mut seats = Seats::ai(plan.ai);
    let mut challenger = None;
    if let Some(policy) = plan.challenger {
        let game = &session.game;
        let playable = &game.world().resource::<ScenarioInfo>().playable;
        if !playable.is_empty() {
            let faction = playable[index % playable.len()];
            if let Some(key) = game.faction_key(faction) {
                seats.taken.insert(key.to_owned(), Seat::Ai(policy));
                challenger = Some(key.to_owned());
            }
        }
    }
    let mut driver = Driver::new(session, seats);
    let mut tracks = Vec::new();
    if follow {
        follow_strength(driver.game(), 0, &mut tracks);
    }
    let mut played = 0;
    let turns = driver
        .play_on(
            None,
            |_, _| Ok::<(), ()>(()),
            |driver, step| {
                if let Step::Turn(_) = step {
                    played += 1;
                }
                // A new chapter's opening is drawn too, at the turn the last one ended.
                if follow {
                    follow_strength(driver.game(), played, &mut tracks);
                }
                Ok(())
            },
        )
        .unwrap_or_default();
    let game = driver.game();
    let state = game.state();
    let outcome = game.outcome().expect("a played-out session has an outcome");
    GameResult {
        seed,
        turns,
        decision: outcome.decision,
        winners: outcome
            .winners
            .iter()
            .map(|w| state.factions[w.index()].key.clone())
            .collect(),
        factions: state.factions.iter().map(|f| f.key.clone()).collect(),
        challenger,
        hash: game.state_hash().to_string(),
        strengths: follow.then_some(tracks),
    }
}

/// The factions a challenger can be given, in the order games give them: the first
/// chapter's playable factions.
fn playable(session: &Session) -> Vec<String> {
    let game = &session.game;
    game.world()
        .resource::<ScenarioInfo>()
        .playable
        .iter()
        .filter_map(|&f| game.faction_key(f).map(str::to_owned))
        .collect()
}

/// Plays the games `0..games` on `threads` threads, the first with `first`, every other with
/// a session opened for its seed; the results in seed order, or the failure of the first
/// game that could not be opened.
fn play_all(
    lib: Library,
    args: &AutoplayArgs,
    first: Session,
    base: u64,
    plan: &Plan,
    threads: usize,
) -> Result<Vec<GameResult>, Failure> {
    let games = args.games as usize;
    let lib = Mutex::new(lib);
    let first = Mutex::new(Some(first));
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let bar = progress(u64::from(args.games), "games");
    let follow = args.plot.is_some();
    let one = |index: usize| -> Result<GameResult, Failure> {
        let seed = base.wrapping_add(index as u64);
        let taken = match index {
            0 => first.lock().unwrap_or_else(|e| e.into_inner()).take(),
            _ => None,
        };
        let session = match taken {
            Some(session) => session,
            None => {
                let mut lib = lib.lock().unwrap_or_else(|e| e.into_inner());
                open_session(&mut lib, &args.scenario, Some(seed))?.session
            }
        };
        Ok(play_game(session, index, seed, plan, follow && index == 0))
    };
    let mut slots: Vec<Option<Result<GameResult, Failure>>> = Vec::new();
    slots.resize_with(games, || None);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.clamp(1, games))
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    // Games are taken in seed order, so when one fails every game before it
                    // has been taken and is played to its end.
                    while !failed.load(Ordering::Relaxed) {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        if index >= games {
                            break;
                        }
                        let result = one(index);
                        if result.is_err() {
                            failed.store(true, Ordering::Relaxed);
                        }
                        bar.inc(1);
                        done.push((index, result));
                    }
                    done
                })
            })
            .collect();
        for worker in workers {
            match worker.join() {
                Ok(done) => {
                    for (index, result) in done {
                        slots[index] = Some(result);
                    }
                }
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    bar.finish_and_clear();
    let mut results = Vec::with_capacity(games);
    for slot in slots {
        match slot {
            Some(Ok(result)) => results.push(result),
            Some(Err(failure)) => return Err(failure),
            None => break,
        }
    }
    Ok(results)
}

/// `khitomer autoplay`.
pub fn autoplay(args: &AutoplayArgs, mods: &[PathBuf]) -> Result<(), Failure> {
    let plot = match &args.plot {
        Some(path) => {
            let format = plot::Format::of(path)?;
            let scenario = Path::new(&args.scenario);
            if scenario.is_file() {
                super::outputs::distinct(&[("--plot", path)], &[("the scenario", scenario)])?;
            }
            super::outputs::writable("--plot", path)?;
            Some((path, format))
        }
        None => None,
    };
    let plan = Plan {
        ai: if args.historical {
            Policy::Historical
        } else {
            args.ai.unwrap_or_default()
        },
        challenger: args.challenger,
    };
    let mut lib = load_library(mods)?;
    let first = open_session(&mut lib, &args.scenario, args.seed)?;
    if plan.challenger.is_some() && playable(&first.session).is_empty() {
        return Err(Failure::Input(format!(
            "error: `--challenger`: `{}` has no playable faction to give it\n",
            args.scenario
        )));
    }
    let threads = match args.threads {
        Some(n) => n as usize,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let results = play_all(lib, args, first.session, first.seed, &plan, threads)?;

    let out = io::stdout();
    let mut out = io::BufWriter::new(crate::terminal::Printable(out.lock()));
    let written = if args.json {
        write_json(&plan, &results, &mut out)
    } else {
        write_text(&args.scenario, &plan, &results, &mut out)
    }
    .and_then(|()| out.flush());
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => {
            return Err(Failure::Input(format!(
                "error: cannot write the results: {e}\n"
            )));
        }
    }
    if let Some((path, format)) = plot {
        draw(&args.scenario, &plan, &results, path, format)?;
    }
    Ok(())
}

/// Draws the picture of `--plot`.
fn draw(
    play: &str,
    plan: &Plan,
    results: &[GameResult],
    path: &Path,
    format: plot::Format,
) -> Result<(), Failure> {
    let first = &results[0];
    let tracks = first.strengths.as_deref().unwrap_or_default();
    let colour = |key: &str| {
        tracks
            .iter()
            .find(|t| t.key == key)
            .map_or([128, 128, 128], |t| t.colour)
    };
    let mut bars: Vec<Bar> = tally(results)
        .into_iter()
        .map(|(key, rate)| Bar {
            label: key.to_owned(),
            colour: colour(key),
            rate,
        })
        .collect();
    if let Some(challenger) = challenger_rates(results) {
        bars.push(Bar {
            label: format!("challenger ({})", plan.challenger.map_or("", Policy::name)),
            colour: [96, 96, 96],
            rate: challenger.overall,
        });
    }
    let picture = Picture {
        title: format!(
            "autoplay {play}: {} game(s), AI {}",
            results.len(),
            plan.ai.name()
        ),
        strength_caption: format!("Fleet strength per turn, first game (seed {})", first.seed),
        tracks,
        bars: &bars,
    };
    plot::write(path, format, &picture)
}

/// Wins per faction, every faction that took part counted (with zero wins too), out of the
/// games it took part in.
fn tally(results: &[GameResult]) -> BTreeMap<&str, Rate> {
    let mut rates: BTreeMap<&str, Rate> = BTreeMap::new();
    for r in results {
        for f in &r.factions {
            rates.entry(f).or_default().add(r.winners.contains(f));
        }
        for w in &r.winners {
            if !r.factions.contains(w) {
                rates.entry(w).or_default().add(true);
            }
        }
    }
    rates
}

/// The games that ended with no winner, as a rate.
fn no_winner(results: &[GameResult]) -> Rate {
    let mut rate = Rate::default();
    for r in results {
        rate.add(r.winners.is_empty());
    }
    rate
}

/// How the challenger fared: over every game, and for each faction the games the
/// challenger played it and the games the AI by `--ai` played it.
struct ChallengerRates<'a> {
    overall: Rate,
    /// By faction id, in the order the seats were first given: (challenger, AI).
    by_faction: Vec<(&'a str, Rate, Rate)>,
}

fn challenger_rates(results: &[GameResult]) -> Option<ChallengerRates<'_>> {
    let mut overall = Rate::default();
    let mut by_faction: Vec<(&str, Rate, Rate)> = Vec::new();
    for r in results {
        let seat = r.challenger.as_deref()?;
        let won = r.winners.iter().any(|w| w == seat);
        overall.add(won);
        match by_faction.iter_mut().find(|(f, _, _)| *f == seat) {
            Some((_, challenger, _)) => challenger.add(won),
            None => {
                let mut challenger = Rate::default();
                challenger.add(won);
                by_faction.push((seat, challenger, Rate::default()));
            }
        }
    }
    for (faction, _, ai) in &mut by_faction {
        for r in results {
            if r.challenger.as_deref() != Some(*faction) && r.factions.iter().any(|f| f == faction)
            {
                ai.add(r.winners.iter().any(|w| w == faction));
            }
        }
    }
    Some(ChallengerRates {
        overall,
        by_faction,
    })
}

fn write_text(
    play: &str,
    plan: &Plan,
    results: &[GameResult],
    out: &mut impl Write,
) -> io::Result<()> {
    let games = results.len();
    write!(
        out,
        "autoplay `{play}`: {games} game(s), AI {}",
        plan.ai.name()
    )?;
    if let Some(challenger) = plan.challenger {
        write!(out, ", challenger {}", challenger.name())?;
    }
    writeln!(out)?;
    let seat_column = |seat: &str| {
        if plan.challenger.is_some() {
            format!("  {seat:<20}")
        } else {
            String::new()
        }
    };
    writeln!(
        out,
        "  {:>8}  {:>5}  {:<16}{}  winners",
        "seed",
        "turns",
        "ended by",
        seat_column("challenger")
    )?;
    for r in results {
        let winners = if r.winners.is_empty() {
            "no one".to_owned()
        } else {
            r.winners.join(", ")
        };
        writeln!(
            out,
            "  {:>8}  {:>5}  {:<16}{}  {winners}",
            r.seed,
            r.turns,
            decision_text(r.decision),
            seat_column(r.challenger.as_deref().unwrap_or("-"))
        )?;
    }
    let length = lengths(results);
    write!(out, "game length: mean {:.1} turns", length.mean)?;
    if let Some(sd) = length.sd {
        write!(out, ", sd {sd:.1}")?;
    }
    writeln!(out, ", shortest {}, longest {}", length.min, length.max)?;
    if let (Some(policy), Some(rates)) = (plan.challenger, challenger_rates(results)) {
        writeln!(
            out,
            "challenger {} against {}: win rate [95% interval]",
            policy.name(),
            plan.ai.name()
        )?;
        writeln!(
            out,
            "  {:<24} {:<34} {}",
            "seat",
            policy.name(),
            plan.ai.name()
        )?;
        for (faction, challenger, ai) in &rates.by_faction {
            writeln!(
                out,
                "  {faction:<24} {:<34} {}",
                counted(*challenger),
                counted(*ai)
            )?;
        }
        writeln!(out, "  {:<24} {}", "overall", counted(rates.overall))?;
    }
    writeln!(out, "wins")?;
    let wins = tally(results);
    for (faction, rate) in &wins {
        writeln!(
            out,
            "  {faction:<24} {}  {}/{}",
            rate.text(),
            rate.wins,
            rate.games
        )?;
    }
    let draws = no_winner(results);
    writeln!(
        out,
        "  {:<24} {}  {}/{games}",
        "(no winner)",
        draws.text(),
        draws.wins
    )?;
    if let Some((always, _)) = wins.iter().find(|(_, r)| r.wins as usize == games) {
        writeln!(out, "note: `{always}` won every game")?;
    }
    Ok(())
}

/// A rate with its interval and counts: `50.0% [15.0%, 85.0%]  2/4`.
fn counted(rate: Rate) -> String {
    format!("{}  {}/{}", rate.text(), rate.wins, rate.games)
}

fn write_json(plan: &Plan, results: &[GameResult], out: &mut impl Write) -> io::Result<()> {
    for r in results {
        let mut line = serde_json::json!({
            "seed": r.seed,
            "turns": r.turns,
            "decision": decision_text(r.decision),
            "winners": r.winners,
            "final_hash": r.hash,
        });
        if let Some(seat) = &r.challenger {
            line["challenger"] = serde_json::json!(seat);
        }
        writeln!(out, "{line}")?;
    }
    let rates = tally(results);
    let wins: BTreeMap<&str, u32> = rates.iter().map(|(f, r)| (*f, r.wins)).collect();
    let win_rate: BTreeMap<&str, serde_json::Value> =
        rates.iter().map(|(f, r)| (*f, r.json())).collect();
    let draws = no_winner(results);
    let length = lengths(results);
    let challenger = match (plan.challenger, challenger_rates(results)) {
        (Some(policy), Some(rates)) => {
            let by_faction: serde_json::Map<String, serde_json::Value> = rates
                .by_faction
                .iter()
                .map(|(f, challenger, ai)| {
                    (
                        (*f).to_owned(),
                        serde_json::json!({ "challenger": challenger.json(), "ai": ai.json() }),
                    )
                })
                .collect();
            serde_json::json!({
                "policy": policy.name(),
                "win_rate": rates.overall.json(),
                "by_faction": by_faction,
            })
        }
        _ => serde_json::Value::Null,
    };
    let line = serde_json::json!({
        "games": results.len(),
        "wins": wins,
        "no_winner": draws.wins,
        "ai": plan.ai.name(),
        "win_rate": win_rate,
        "no_winner_rate": draws.json(),
        "turns": {
            "mean": length.mean,
            "sd": length.sd,
            "min": length.min,
            "max": length.max,
        },
        "challenger": challenger,
    });
    writeln!(out, "{line}")
}

#[cfg(test)]
mod tests {
    use super::Rate;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 5e-4
    }

    #[test]
    fn the_wilson_interval_matches_the_textbook_values() {
        let i = Rate { wins: 3, games: 8 }.interval().unwrap();
        assert!(close(i.rate, 0.375), "{i:?}");
        assert!(close(i.low, 0.1368) && close(i.high, 0.6943), "{i:?}");
        let all = Rate { wins: 4, games: 4 }.interval().unwrap();
        assert!(close(all.low, 0.5101) && all.high == 1.0, "{all:?}");
        let none = Rate { wins: 0, games: 10 }.interval().unwrap();
        assert!(none.low == 0.0 && close(none.high, 0.2775), "{none:?}");
        assert_eq!(Rate { wins: 0, games: 0 }.interval(), None);
    }

    #[test]
    fn the_interval_narrows_with_more_games() {
        let width = |wins, games| {
            let i = Rate { wins, games }.interval().unwrap();
            i.high - i.low
        };
        assert!(width(10, 20) < width(5, 10));
        assert!(width(50, 100) < width(10, 20));
    }
}
