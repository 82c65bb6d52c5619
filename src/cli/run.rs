//! `khitomer run`: a headless game of a scenario or a campaign, the AI playing every faction,
//! the turn log on stdout.

use std::io::{self, Write};

use clap::Args;
use serde_json::json;

use crate::ai;
use crate::chronicle::Chronicle;
use crate::content::report::nearest;
use crate::core::game::{Game, TurnReport};
use crate::core::ids::FactionId;
use crate::core::state::WorldState;
use crate::session::Session;

use super::Failure;
use super::find::{load_library, open_session};

/// Arguments of `khitomer run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// A scenario or campaign id from `khitomer list`, or the path of a scenario file.
    pub scenario: String,
    /// The faction whose result is reported (in a headless game the AI plays it too).
    #[arg(long = "as", value_name = "FACTION")]
    pub as_faction: Option<String>,
    /// How many turns to play; by default until the scenario (or campaign) ends.
    #[arg(long, value_name = "N")]
    pub turns: Option<u32>,
    /// Seed for the dice; by default the scenario's own.
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Print one JSON object per line instead of text.
    #[arg(long)]
    pub json: bool,
}

/// The faction named by `--as`, which must be playable.
fn player(state: &WorldState, key: &str) -> Result<FactionId, Failure> {
    let playable: Vec<&str> = state
        .scenario
        .playable
        .iter()
        .map(|f| state.factions[f.index()].key.as_str())
        .collect();
    match state.factions.iter().position(|f| f.key == key) {
        Some(i) if state.scenario.playable.contains(&FactionId::from_index(i)) => {
            Ok(FactionId::from_index(i))
        }
        found => {
            let mut message = if found.is_some() {
                format!(
                    "error: `{key}` cannot be played in `{}`\n",
                    state.scenario.id
                )
            } else {
                format!("error: no faction `{key}` in `{}`\n", state.scenario.id)
            };
            if let Some(near) = nearest(key, playable.iter().copied()) {
                message.push_str(&format!("  = did you mean `{near}`?\n"));
            }
            message.push_str(&format!("  = playable: {}\n", playable.join(", ")));
            Err(Failure::Input(message))
        }
    }
}

/// `khitomer run`.
pub fn run(args: &RunArgs, mods: &[std::path::PathBuf]) -> Result<(), Failure> {
    let mut lib = load_library(mods)?;
    let (mut session, seed) = open_session(&mut lib, &args.scenario, args.seed)?;
    if let Some(key) = args.as_faction.as_deref() {
        player(&session.game.state(), key)?;
    }
    let you = args.as_faction.clone();
    let out = io::stdout();
    let mut out = io::BufWriter::new(out.lock());
    match play(&mut session, args, seed, you, &mut out).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`| head`) ends the output, not the game's right to exit cleanly.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Input(format!(
            "error: cannot write the turn log: {e}\n"
        ))),
    }
}

/// The player's faction in the chapter being played, found by its id.
fn yours(game: &Game, key: Option<&str>) -> Option<FactionId> {
    let key = key?;
    let index = game
        .world()
        .resource::<crate::core::faction::FactionIndex>();
    index.ids().find(|&f| {
        game.world()
            .get::<crate::core::faction::Faction>(index.entity(f))
            .is_some_and(|x| x.key == key)
    })
}

fn heading(
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

fn play(
    session: &mut Session,
    args: &RunArgs,
    seed: u64,
    you: Option<String>,
    out: &mut impl Write,
) -> io::Result<()> {
    let you = you.as_deref();
    heading(session, seed, you, args.json, out)?;
    let mut played = 0;
    loop {
        if session.game.outcome().is_some() {
            if !session.next_chapter() {
                break;
            }
            heading(
                session,
                seed.wrapping_add(session.chapter() as u64),
                you,
                args.json,
                out,
            )?;
        }
        if args.turns.is_some_and(|n| played >= n) {
            break;
        }
        let all: Vec<FactionId> = (0..session
            .game
            .world()
            .resource::<crate::core::faction::FactionIndex>()
            .len())
            .map(FactionId::from_index)
            .collect();
        for (faction, orders) in ai::plan(session.game.world_mut(), &all) {
            session.game.give_orders(faction, orders);
        }
        let Ok(report) = session.game.play_turn() else {
            break;
        };
        played += 1;
        print_turn(&session.game, &report, args.json, out)?;
    }
    let game = &mut session.game;
    let hash = game.state_hash();
    if args.json {
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

fn print_turn(
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
