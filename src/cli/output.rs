//! What `run` and `replay` print: a heading per chapter, the turn log, the result and the
//! final hash — as text, or as one JSON object per line — and a progress bar on a terminal.

use std::io::{self, IsTerminal, Write};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;

use crate::chronicle::Chronicle;
use crate::core::faction::{Faction, FactionIndex};
use crate::core::game::{Game, TurnReport};
use crate::core::ids::FactionId;
use crate::core::state::WorldState;
use crate::session::Session;

/// The player's faction in the chapter being played, found by its id.
pub fn yours(game: &Game, key: Option<&str>) -> Option<FactionId> {
    let key = key?;
    let index = game.world().resource::<FactionIndex>();
    index.ids().find(|&f| {
        game.world()
            .get::<Faction>(index.entity(f))
            .is_some_and(|x| x.key == key)
    })
}

fn legend(state: &WorldState, seed: u64) -> serde_json::Value {
    json!({
        "scenario": state.scenario.id,
        "title": state.scenario.title,
        "seed": seed,
        "first_turn": state.calendar.turn,
        "last_turn": state.calendar.last_turn,
        "factions": state.factions.iter().map(|f| json!({"key": f.key, "name": f.name})).collect::<Vec<_>>(),
        "blocks": state.blocks.iter().map(|b| b.key.as_str()).collect::<Vec<_>>(),
        "sectors": state.sectors.iter().map(|s| &*s.place.key).collect::<Vec<_>>(),
    })
}

/// The heading of the chapter about to be played.
pub fn heading(
    session: &mut Session,
    seed: u64,
    you: Option<&str>,
    json: bool,
    out: &mut impl Write,
) -> io::Result<()> {
    let state = session.game.state();
    if json {
        let mut legend = legend(&state, seed);
        legend["chapter"] = json!(session.chapter() + 1);
        legend["chapters"] = json!(session.chapter_count());
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
    write!(
        out,
        "{} ({}), seed {seed}, {} to {}",
        state.scenario.title,
        state.scenario.id,
        state.calendar.date_of(state.calendar.turn),
        state.calendar.date_of(state.calendar.last_turn)
    )?;
    match you.and_then(|key| state.factions.iter().find(|f| f.key == key)) {
        Some(f) => writeln!(out, ", you play {}", f.name),
        None => writeln!(out),
    }
}

/// One turn's log.
pub fn print_turn(
    game: &Game,
    report: &TurnReport,
    json: bool,
    out: &mut impl Write,
) -> io::Result<()> {
    let chronicle = Chronicle::new(game.world());
    if json {
        for event in &report.events {
            let mut value = serde_json::to_value(event).map_err(io::Error::other)?;
            if let Some(map) = value.as_object_mut() {
                map.insert("turn".into(), json!(report.turn));
                map.insert("date".into(), json!(report.date.to_string()));
                map.insert("text".into(), json!(chronicle.event(event)));
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
    for event in &report.events {
        writeln!(out, "  {}", chronicle.event(event))?;
    }
    writeln!(out, "  hash       {}", report.hash)
}

/// The result for the player's faction, and the last line: the final hash.
pub fn finish(
    session: &mut Session,
    you: Option<&str>,
    json: bool,
    out: &mut impl Write,
) -> io::Result<()> {
    let game = &mut session.game;
    let hash = game.state_hash();
    if json {
        return writeln!(out, "{}", json!({ "final_hash": hash.to_string() }));
    }
    if let Some(you) = yours(game, you) {
        let name = Chronicle::new(game.world()).faction(you);
        match game.outcome() {
            Some(o) if o.winners.contains(&you) => {
                writeln!(out, "Result: {name} won on turn {}.", o.turn)?
            }
            Some(o) => writeln!(
                out,
                "Result: {name} did not win; the scenario ended on turn {}.",
                o.turn
            )?,
            None => writeln!(
                out,
                "Result: the game goes on after turn {}.",
                game.turn() - 1
            )?,
        }
    }
    writeln!(out, "final hash: {hash}")
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
