//! Fair games: in AI-only games played by the game's AI, every playable faction of every
//! shipped scenario wins between 20% and 80% of 200 seeds (the scenario's own seed and the
//! 199 after it). The table of those win rates is `docs/FAIRNESS.md`, and this test holds the
//! document to what the games give: a change to the AI or to a scenario that moves a figure
//! fails here until the table is written again (the failure says how).

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use khitomer::content::{ContentPaths, Library, build_world};
use khitomer::core::seat::{Policy, Seats};
use khitomer::driver::Driver;
use khitomer::session::Session;
use khitomer::stats::Rate;

/// Seeds per scenario.
const GAMES: u64 = 200;
/// The fair range of a playable faction's wins, in percent.
const FAIR: std::ops::RangeInclusive<u64> = 20..=80;

use common::root;

/// One scenario's results: games won by each playable faction, and games no one won.
struct Tally {
    id: String,
    title: String,
    playable: Vec<String>,
    wins: BTreeMap<String, u64>,
    no_winner: u64,
    turns: u64,
}

fn play(lib: &Library, index: usize, seed: u64) -> (Vec<String>, u32) {
    let world = build_world(lib, index, Some(seed)).expect("a shipped scenario builds");
    let keys: Vec<String> = world.factions.iter().map(|f| f.key.clone()).collect();
    let mut driver = Driver::new(Session::single(world), Seats::ai(Policy::default()));
    let turns = driver
        .play_on(Some(1_000), |_, _| Ok::<(), ()>(()), |_, _| Ok(()))
        .expect("an AI game plays to its end");
    let outcome = driver.game().outcome().expect("the game has a result");
    let winners = outcome
        .winners
        .iter()
        .map(|w| keys[w.index()].clone())
        .collect();
    (winners, turns)
}

fn tally(lib: &Library, index: usize) -> Tally {
    let entry = &lib.scenarios[index];
    let first = entry.scenario.value.seed;
    let probe = build_world(lib, index, Some(first)).expect("a shipped scenario builds");
    let playable: Vec<String> = probe
        .scenario
        .playable
        .iter()
        .map(|f| probe.factions[f.index()].key.clone())
        .collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()) as u64;
    let results: Vec<(Vec<String>, u32)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    (0..GAMES)
                        .filter(|k| k % threads == t)
                        .map(|k| play(lib, index, first + k))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a game does not panic"))
            .collect()
    });
    let mut wins: BTreeMap<String, u64> = playable.iter().map(|f| (f.clone(), 0)).collect();
    let mut no_winner = 0;
    let mut turns = 0;
    for (winners, t) in &results {
        turns += u64::from(*t);
        if winners.is_empty() {
            no_winner += 1;
        }
        for w in winners {
            if let Some(n) = wins.get_mut(w) {
                *n += 1;
            }
        }
    }
    Tally {
        id: entry.id().to_owned(),
        title: probe.scenario.title.clone(),
        playable,
        wins,
        no_winner,
        turns,
    }
}

/// The 95% Wilson interval of `wins` out of `n`, in whole percent.
fn wilson(wins: u64, n: u64) -> (u64, u64) {
    let i = Rate {
        wins: wins as u32,
        games: n as u32,
    }
    .interval()
    .expect("games were played");
    let whole = |x: f64| (x * 100.0).round() as u64;
    (whole(i.low), whole(i.high))
}

fn percent(wins: u64) -> u64 {
    (wins * 100 + GAMES / 2) / GAMES
}

/// The table as `docs/FAIRNESS.md` shows it.
fn table(tallies: &[Tally]) -> String {
    let mut out = String::new();
    out.push_str("| scenario | faction | wins | win rate | 95% interval |\n");
    out.push_str("|---|---|---|---|---|\n");
    for t in tallies {
        for f in &t.playable {
            let w = t.wins[f];
            let (lo, hi) = wilson(w, GAMES);
            let _ = writeln!(
                out,
                "| `{}` | `{f}` | {w}/{GAMES} | {}% | {lo}–{hi}% |",
                t.id,
                percent(w)
            );
        }
        let _ = writeln!(
            out,
            "| `{}` | no winner | {}/{GAMES} | {}% | mean length {:.1} turns |",
            t.id,
            t.no_winner,
            percent(t.no_winner),
            t.turns as f64 / GAMES as f64
        );
    }
    out
}

const BEGIN: &str = "<!-- table: written by tests/fairness.rs -->\n";
const END: &str = "<!-- end of table -->";

fn document() -> std::path::PathBuf {
    root().join("docs").join("FAIRNESS.md")
}

fn every_tally() -> Vec<Tally> {
    let lib = Library::load(&ContentPaths::under(root()));
    assert_eq!(lib.report.error_count(), 0, "the shipped content loads");
    let mut order: Vec<usize> = (0..lib.scenarios.len()).collect();
    order.sort_by(|&a, &b| lib.scenarios[a].id().cmp(lib.scenarios[b].id()));
    order.into_iter().map(|i| tally(&lib, i)).collect()
}

#[test]
fn every_playable_faction_wins_a_fair_share_and_the_table_says_so() {
    let tallies = every_tally();
    assert!(tallies.len() >= 12, "every shipped scenario is played");
    let mut unfair = Vec::new();
    for t in &tallies {
        assert!(!t.playable.is_empty(), "`{}` has playable factions", t.id);
        for f in &t.playable {
            let rate = percent(t.wins[f]);
            if !FAIR.contains(&rate) {
                unfair.push(format!(
                    "`{}` ({}): `{f}` wins {}/{GAMES} ({rate}%)",
                    t.id, t.title, t.wins[f]
                ));
            }
        }
    }
    let measured = table(&tallies);
    assert!(
        unfair.is_empty(),
        "outside {}-{}% of {GAMES} AI games:\n{}\n\nthe table:\n{measured}",
        FAIR.start(),
        FAIR.end(),
        unfair.join("\n")
    );
    let doc = std::fs::read_to_string(document()).expect("docs/FAIRNESS.md is there");
    let shown = doc
        .split_once(BEGIN)
        .and_then(|(_, rest)| rest.split_once(END))
        .map(|(t, _)| t)
        .expect("docs/FAIRNESS.md has its table between the markers");
    assert_eq!(
        shown, measured,
        "docs/FAIRNESS.md's table is not what the games give; write it again with \
         `cargo test --test fairness -- --ignored write_the_fairness_table`"
    );
}

/// Writes the measured table into `docs/FAIRNESS.md`, between its markers.
#[test]
#[ignore = "writes docs/FAIRNESS.md; run by hand after a change the table test names"]
fn write_the_fairness_table() {
    let measured = table(&every_tally());
    let doc = std::fs::read_to_string(document()).expect("docs/FAIRNESS.md is there");
    let (head, rest) = doc.split_once(BEGIN).expect("the opening marker");
    let (_, tail) = rest.split_once(END).expect("the closing marker");
    std::fs::write(document(), format!("{head}{BEGIN}{measured}{END}{tail}"))
        .expect("docs/FAIRNESS.md is writable");
}

#[test]
fn the_interval_is_wilson_s() {
    assert_eq!(wilson(0, 200), (0, 2));
    assert_eq!(wilson(100, 200), (43, 57));
    assert_eq!(wilson(200, 200), (98, 100));
}
