//! `khitomer run`: a headless game of a scenario or a campaign, or one loaded from a save, the
//! AI playing every faction, the turn log on stdout; optionally recorded as a replay and
//! saved at the end.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::Args;

use crate::ai;
use crate::content::report::nearest;
use crate::core::state::WorldState;
use crate::record::replay::{Replay, play_probed, record_turn};
use crate::record::save::{self, SaveFile};
use crate::session::Session;

use super::Failure;
use super::find::{load_library, open_session};
use super::output::{finish, heading, print_turn, progress};

/// Arguments of `khitomer run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// A scenario or campaign id from `khitomer list`, or the path of a scenario file.
    #[arg(required_unless_present = "load", conflicts_with = "load")]
    pub scenario: Option<String>,
    /// The faction whose result is reported (in a headless game the AI plays it too).
    #[arg(long = "as", value_name = "FACTION")]
    pub as_faction: Option<String>,
    /// How many turns to play; by default until the scenario (or campaign) ends. After
    /// `--load`, that many more turns.
    #[arg(long, value_name = "N")]
    pub turns: Option<u32>,
    /// Seed for the dice; by default the scenario's own.
    #[arg(long, value_name = "S", conflicts_with = "load")]
    pub seed: Option<u64>,
    /// Print one JSON object per line instead of text.
    #[arg(long)]
    pub json: bool,
    /// Record the game as a replay in this file.
    #[arg(long, value_name = "FILE", conflicts_with = "load")]
    pub record: Option<PathBuf>,
    /// Save the game after the last turn played to this file.
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,
    /// Play every faction as the history did: no diplomacy or conquest of the AI's own, the
    /// story left to the scenario's events (how the shipped historical replay was made).
    #[arg(long, conflicts_with = "load")]
    pub historical: bool,
    /// Go on from a save instead of starting a scenario.
    #[arg(long, value_name = "SAVE")]
    pub load: Option<PathBuf>,
}

/// The faction named by `--as`, which must be playable.
fn check_player(state: &WorldState, key: &str) -> Result<(), Failure> {
    let playable: Vec<&str> = state
        .scenario
        .playable
        .iter()
        .map(|f| state.factions[f.index()].key.as_str())
        .collect();
    if playable.contains(&key) {
        return Ok(());
    }
    let mut message = if state.factions.iter().any(|f| f.key == key) {
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

/// What is being played and how it was started, for saves and replays.
struct Playing {
    play: String,
    seed: u64,
    mods: Vec<String>,
}

/// `khitomer run`.
pub fn run(args: &RunArgs, mods: &[PathBuf]) -> Result<(), Failure> {
    let mut lib = load_library(mods)?;
    let mod_ids: Vec<String> = lib.mods.iter().map(|m| m.id.clone()).collect();
    let (mut session, playing, mut replay) = match (&args.load, &args.scenario) {
        (Some(path), _) => {
            let shown = crate::content::display_path(path);
            let saved = match save::read(path) {
                Ok(Ok(saved)) => saved,
                Ok(Err(e)) => {
                    return Err(Failure::Input(format!(
                        "error: cannot load `{shown}`: {e}\n"
                    )));
                }
                Err(e) => {
                    return Err(Failure::Input(format!(
                        "error: cannot read `{shown}`: {e}\n"
                    )));
                }
            };
            if saved.mods != mod_ids {
                return Err(Failure::Input(format!(
                    "error: `{shown}` was saved with mods [{}]; load the same with `--mod`, in the same order\n",
                    saved.mods.join(", ")
                )));
            }
            if saved.chapter >= saved.chapters.len() {
                return Err(Failure::Input(format!(
                    "error: cannot load `{shown}`: it is damaged (no such chapter)\n"
                )));
            }
            let playing = Playing {
                play: saved.play.clone(),
                seed: saved.seed,
                mods: saved.mods.clone(),
            };
            (
                Session::resume(saved.chapters, saved.chapter, saved.world),
                playing,
                None,
            )
        }
        (None, Some(arg)) => {
            let opened = open_session(&mut lib, arg, args.seed)?;
            let replay = args.record.as_ref().map(|_| {
                let mut replay = Replay::new(
                    arg.clone(),
                    mod_ids.clone(),
                    lib.fingerprint(&opened.files),
                    opened.seed,
                );
                if args.historical {
                    replay.policy = ai::Policy::Historical;
                }
                replay
            });
            let playing = Playing {
                play: arg.clone(),
                seed: opened.seed,
                mods: mod_ids.clone(),
            };
            (opened.session, playing, replay)
        }
        (None, None) => {
            return Err(Failure::Input(
                "error: name a scenario, or `--load` a save\n".into(),
            ));
        }
    };
    if let Some(key) = args.as_faction.as_deref() {
        check_player(&session.game.state(), key)?;
    }
    let out = io::stdout();
    let mut out = io::BufWriter::new(out.lock());
    let result = play(&mut session, args, playing.seed, replay.as_mut(), &mut out)
        .and_then(|()| out.flush());
    match result {
        Ok(()) => {}
        // A closed pipe (`| head`) ends the output, not the game's right to exit cleanly.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => {
            return Err(Failure::Input(format!(
                "error: cannot write the turn log: {e}\n"
            )));
        }
    }
    if let (Some(path), Some(replay)) = (&args.record, &replay) {
        save::write_atomically(path, replay.to_ron().as_bytes()).map_err(|e| {
            Failure::Input(format!(
                "error: cannot write the replay `{}`: {e}\n",
                path.display()
            ))
        })?;
    }
    if let Some(path) = &args.save {
        let saved = SaveFile {
            game: env!("CARGO_PKG_VERSION").to_owned(),
            play: playing.play,
            mods: playing.mods,
            seed: playing.seed,
            chapter: session.chapter(),
            chapters: session.chapters().to_vec(),
            world: session.game.state(),
        };
        save::write_atomically(path, &save::encode(&saved)).map_err(|e| {
            Failure::Input(format!(
                "error: cannot write the save `{}`: {e}; any earlier save there is intact\n",
                path.display()
            ))
        })?;
    }
    Ok(())
}

fn play(
    session: &mut Session,
    args: &RunArgs,
    seed: u64,
    mut replay: Option<&mut Replay>,
    out: &mut impl Write,
) -> io::Result<()> {
    let you = args.as_faction.as_deref();
    let policy = if args.historical {
        ai::Policy::Historical
    } else {
        ai::Policy::Free
    };
    heading(session, seed, you, args.json, out)?;
    let total = u64::from(
        args.turns
            .map_or(session.turns_left(), |n| n.min(session.turns_left())),
    );
    let bar = progress(total, "playing");
    let mut played = 0;
    loop {
        if session.game.outcome().is_some() {
            if !session.next_chapter() {
                break;
            }
            heading(session, seed, you, args.json, out)?;
        }
        if args.turns.is_some_and(|n| played >= n) {
            break;
        }
        let orders = ai::plan_all(session.game.world_mut(), policy, None);
        for (faction, list) in &orders {
            session.game.give_orders(*faction, list.iter().cloned());
        }
        let report = match replay.as_deref_mut() {
            Some(replay) => {
                let Ok(played) = play_probed(session) else {
                    break;
                };
                replay.turns.push(record_turn(session, &orders, &played));
                played.report
            }
            None => match session.game.play_turn() {
                Ok(report) => report,
                Err(_) => break,
            },
        };
        played += 1;
        bar.inc(1);
        print_turn(&session.game, &report, args.json, out)?;
    }
    bar.finish_and_clear();
    finish(session, you, args.json, out)
}
