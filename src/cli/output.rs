//! What `run` and `replay` print: a heading per chapter with every seat, the turn log, the
//! result and the final hash — as text, or as one JSON object per line — and a progress bar on a terminal.

use std::cell::RefCell;
use std::io::{self, IsTerminal, Write};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;

use crate::chronicle::Chronicle;
use crate::content::orders::Orders;
use crate::core::game::{Game, TurnReport};
use crate::core::seat::Seat;
use crate::core::state::WorldState;
use crate::driver::{Driver, Step};

use super::seat::{NotGiven, give_from_file};

fn legend(state: &WorldState, seed: u64) -> serde_json::Value {
    json!({
        "scenario": state.scenario.id,
        "title": state.scenario.title,
        "seed": state.scenario.seed,
        "game_seed": seed,
        "first_turn": state.calendar.turn,
        "last_turn": state.calendar.last_turn,
        "factions": state.factions.iter().map(|f| json!({"key": f.key, "name": f.name})).collect::<Vec<_>>(),
        "blocks": state.blocks.iter().map(|b| b.key.as_str()).collect::<Vec<_>>(),
        "sectors": state.sectors.iter().map(|s| &*s.place.key).collect::<Vec<_>>(),
    })
}

/// What a game's output shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Show {
    /// The full turn log, as text.
    Log,
    /// The full turn log, one JSON object per line.
    Json,
    /// The story: what a reader of the history wants, without the mechanics.
    Story,
    /// Nothing while playing; at the end, the world as JSON (`--state`).
    State,
}

impl Show {
    /// From the flags of `run` and `replay`.
    pub fn from_flags(json: bool, story: bool, state: bool) -> Self {
        match (state, story, json) {
            (true, _, _) => Show::State,
            (false, true, _) => Show::Story,
            (false, false, true) => Show::Json,
            _ => Show::Log,
        }
    }
}

/// Who plays a seat, as the heading says it: "you" for a person playing now, "a person
/// (recorded)" for one whose recorded game is being replayed, "AI (strategic)".
fn seat_label(seat: Seat, live: bool) -> String {
    if seat.is_person() && !live {
        "a person (recorded)".to_owned()
    } else {
        seat.to_string()
    }
}

/// Who plays each faction of the chapter: "Klingon Empire: you", "Federation: AI (strategic)".
fn seat_lines(driver: &Driver, live: bool) -> Vec<(String, String, String)> {
    let game = driver.game();
    let chronicle = Chronicle::new(game.world());
    game.factions()
        .map(|f| {
            (
                game.faction_key(f).unwrap_or_default().to_owned(),
                chronicle.faction(f),
                seat_label(driver.seat(f), live),
            )
        })
        .collect()
}

/// The heading of the chapter about to be played, with every faction's seat; `live` when the
/// seats are playing now rather than replayed from a recording.
pub fn heading(
    driver: &Driver,
    seed: u64,
    show: Show,
    live: bool,
    out: &mut impl Write,
) -> io::Result<()> {
    if show == Show::State {
        return Ok(());
    }
    let session = driver.session();
    let state = driver.game().state();
    let seats = seat_lines(driver, live);
    if show == Show::Json {
        let mut legend = legend(&state, seed);
        legend["chapter"] = json!(session.chapter() + 1);
        legend["chapters"] = json!(session.chapter_count());
        legend["seats"] = seats
            .iter()
            .map(|(key, _, seat)| (key.clone(), json!(seat)))
            .collect::<serde_json::Map<_, _>>()
            .into();
        return writeln!(out, "{legend}");
    }
    if session.chapter_count() > 1 {
        writeln!(
            out,
            "Chapter {} of {}",
            session.chapter() + 1,
            session.chapter_count()
        )?;
    }
    let seed = state.scenario.seed;
    writeln!(
        out,
        "{} ({}), seed {seed}, {} to {}",
        state.scenario.title,
        state.scenario.id,
        state.calendar.date_of(state.calendar.turn),
        state.calendar.date_of(state.calendar.last_turn)
    )?;
    if show == Show::Story {
        return Ok(());
    }
    let seats: Vec<String> = seats
        .into_iter()
        .map(|(_, name, seat)| format!("{name}: {seat}"))
        .collect();
    writeln!(out, "Seats: {}", seats.join("; "))
}

/// One turn's log, after the lines for the orders of person seats that the turn will never see
/// (refused as they were given).
pub fn print_turn(
    game: &Game,
    report: &TurnReport,
    not_given: &[NotGiven],
    show: Show,
    out: &mut impl Write,
) -> io::Result<()> {
    let chronicle = Chronicle::new(game.world());
    if show == Show::State {
        return Ok(());
    }
    if show == Show::Story {
        let lines: Vec<String> = report
            .events
            .iter()
            .filter_map(|e| chronicle.story(e))
            .collect();
        if lines.is_empty() {
            return Ok(());
        }
        writeln!(out, "{}", report.date)?;
        for line in lines {
            writeln!(out, "  {line}")?;
        }
        return Ok(());
    }
    if show == Show::Json {
        let given = not_given.iter().map(|n| n.json(&chronicle));
        let events = report.events.iter().map(|event| {
            let mut value = serde_json::to_value(event).unwrap_or_default();
            if let Some(map) = value.as_object_mut() {
                map.insert("text".into(), json!(chronicle.event(event)));
            }
            value
        });
        for mut value in given.chain(events) {
            if let Some(map) = value.as_object_mut() {
                map.insert("turn".into(), json!(report.turn));
                map.insert("date".into(), json!(report.date.to_string()));
            }
            writeln!(out, "{value}")?;
        }
        return writeln!(
            out,
            "{}",
            json!({ "turn": report.turn, "hash": report.hash.to_string() })
        );
    }
    writeln!(out, "Turn {}, {}", report.turn, report.date)?;
    for n in not_given {
        writeln!(out, "  {}", n.text(&chronicle))?;
    }
    for event in &report.events {
        writeln!(out, "  {}", chronicle.event(event))?;
    }
    writeln!(out, "  hash       {}", report.hash)
}

/// The result — who won, and who played them — and the last line: the final hash.
pub fn finish(driver: &Driver, show: Show, live: bool, out: &mut impl Write) -> io::Result<()> {
    let game = driver.game();
    if show == Show::State {
        return writeln!(out, "{}", super::state::world_json(&game.state()));
    }
    let hash = game.state_hash();
    if show == Show::Json {
        return writeln!(out, "{}", json!({ "final_hash": hash.to_string() }));
    }
    let chronicle = Chronicle::new(game.world());
    let named = |f| {
        format!(
            "{} ({})",
            chronicle.faction(f),
            seat_label(driver.seat(f), live)
        )
    };
    match game.outcome() {
        Some(o) => {
            let winners: Vec<String> = o.winners.iter().map(|&f| named(f)).collect();
            let won = if winners.is_empty() {
                "no one won".to_owned()
            } else {
                format!("won by {}", winners.join(", "))
            };
            writeln!(out, "Result: the scenario ended on turn {}; {won}.", o.turn)?;
            for f in game.factions().filter(|&f| driver.seat(f).is_person()) {
                let verdict = if o.winners.contains(&f) {
                    "won"
                } else {
                    "did not win"
                };
                writeln!(out, "Result for {}: {verdict}.", named(f))?;
            }
        }
        None => writeln!(
            out,
            "Result: the game goes on after turn {}.",
            game.turn() - 1
        )?,
    }
    if show == Show::Story {
        return Ok(());
    }
    writeln!(out, "final hash: {hash}")
}

/// Plays on through the driver, printing every chapter's heading and every turn: the person
/// seat's orders come from `orders` (with the lines of those refused as given), the AI plays
/// the rest. Stops after `turns` turns, or at the end of the game.
pub fn play_and_print(
    driver: &mut Driver,
    turns: Option<u32>,
    orders: Option<&Orders>,
    seed: u64,
    show: Show,
    bar: &ProgressBar,
    out: &mut impl Write,
) -> io::Result<()> {
    let refused = RefCell::new(Vec::new());
    driver.play_on(
        turns,
        |driver, faction| {
            if let Some(orders) = orders {
                refused
                    .borrow_mut()
                    .extend(give_from_file(driver, faction, orders));
            }
            Ok(())
        },
        |driver, step| match step {
            Step::Chapter => heading(driver, seed, show, true, out),
            Step::Turn(played) => {
                bar.inc(1);
                let not_given = std::mem::take(&mut *refused.borrow_mut());
                print_turn(driver.game(), &played.report, &not_given, show, out)
            }
        },
    )?;
    bar.finish_and_clear();
    Ok(())
}

/// A progress bar on standard error — only when it is a terminal and the turn log goes
/// elsewhere, so that the two never mix; otherwise nothing at all.
pub fn progress(total: u64, what: &str) -> ProgressBar {
    if !io::stderr().is_terminal() || io::stdout().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} turns ({elapsed})")
    {
        bar.set_style(style);
    }
    bar.set_message(what.to_owned());
    bar
}
