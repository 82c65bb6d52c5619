//! `khitomer run`: a headless game, the AI playing every faction, the turn log on stdout.

use std::io::{self, Write};

use clap::Args;
use serde_json::json;

use crate::ai;
use crate::chronicle::Chronicle;
use crate::content::report::nearest;
use crate::core::game::{Game, TurnReport};
use crate::core::ids::FactionId;
use crate::core::state::WorldState;

use super::Failure;
use super::find::{load_library, open_scenario, start_world};

/// Arguments of `khitomer run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// A scenario id from `khitomer list`, or the path of a scenario file.
    pub scenario: String,
    /// The faction whose result is reported (in a headless game the AI plays it too).
    #[arg(long = "as", value_name = "FACTION")]
    pub as_faction: Option<String>,
    /// How many turns to play; by default until the scenario ends.
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
    let index = open_scenario(&mut lib, &args.scenario)?;
    let seed = args
        .seed
        .unwrap_or(lib.scenarios[index].scenario.value.seed);
    let state = start_world(&lib, index, Some(seed))?;
    let you = args
        .as_faction
        .as_deref()
        .map(|k| player(&state, k))
        .transpose()?;
    let mut game = Game::new(state);
    let out = io::stdout();
    let mut out = io::BufWriter::new(out.lock());
    match play(&mut game, args, seed, you, &mut out).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`| head`) ends the output, not the game's right to exit cleanly.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Input(format!(
            "error: cannot write the turn log: {e}\n"
        ))),
    }
}

fn play(
    game: &mut Game,
    args: &RunArgs,
    seed: u64,
    you: Option<FactionId>,
    out: &mut impl Write,
) -> io::Result<()> {
    let all: Vec<FactionId> = {
        let state = game.state();
        if args.json {
            writeln!(out, "{}", legend(&state, seed))?;
        } else {
            let last = state.calendar.last_turn;
            write!(
                out,
                "{} ({}), seed {seed}, {} to {}",
                state.scenario.title,
                state.scenario.id,
                state.calendar.date_of(state.calendar.turn),
                state.calendar.date_of(last)
            )?;
            match you {
                Some(f) => writeln!(out, ", you play {}", state.factions[f.index()].name)?,
                None => writeln!(out)?,
            }
        }
        (0..state.factions.len())
            .map(FactionId::from_index)
            .collect()
    };
    let mut played = 0;
    while args.turns.is_none_or(|n| played < n) && game.outcome().is_none() {
        for (faction, orders) in ai::plan(game.world_mut(), &all) {
            game.give_orders(faction, orders);
        }
        let Ok(report) = game.play_turn() else { break };
        played += 1;
        print_turn(game, &report, args.json, out)?;
    }
    let hash = game.state_hash();
    if args.json {
        writeln!(out, "{}", json!({ "final_hash": hash.to_string() }))?;
        return Ok(());
    }
    if let Some(you) = you {
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
