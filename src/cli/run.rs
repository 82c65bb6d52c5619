//! `khitomer run`: a headless game of a scenario or a campaign, or one loaded from a save, the
//! turn log on stdout; the AI plays every faction but the one `--as` gives to a person, whose
//! orders come from `--orders FILE`. Optionally recorded as a replay and saved at the end.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::Args;

use crate::content::orders::Orders;
use crate::content::report::nearest;
use crate::core::seat::{Policy, Seats};
use crate::core::state::WorldState;
use crate::driver::Driver;
use crate::record::replay::Replay;
use crate::record::save::{self, SaveFile};
use crate::session::Session;

use super::Failure;
use super::find::{load_library, open_session};
use super::output::{Show, finish, heading, play_and_print, progress};
use super::seat::{load_orders, orders_missing};

/// Arguments of `khitomer run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// A scenario or campaign id from `khitomer list`, or the path of a scenario file.
    #[arg(required_unless_present = "load", conflicts_with = "load")]
    pub scenario: Option<String>,
    /// Play this faction as a person, from the orders in `--orders FILE`; the AI plays every
    /// other faction.
    #[arg(long = "as", value_name = "FACTION")]
    pub as_faction: Option<String>,
    /// The orders of the faction named by `--as`: a file of `Orders(turns: [Turn(turn: 1,
    /// orders: [...]), ...])` written with content ids (see examples/orders.ron).
    #[arg(long, value_name = "FILE", requires = "as_faction")]
    pub orders: Option<PathBuf>,
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
    /// Print the story instead of the full log: messages, treaties, alliances, deaths,
    /// captures of places that matter, one line per battle.
    #[arg(long, conflicts_with = "json")]
    pub story: bool,
    /// Print nothing while playing, then the world as JSON with names (see the README).
    #[arg(long, conflicts_with_all = ["json", "story"])]
    pub state: bool,
    /// Record the game as a replay in this file.
    #[arg(long, value_name = "FILE", conflicts_with = "load")]
    pub record: Option<PathBuf>,
    /// Save the game after the last turn played to this file.
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,
    /// How the AI plays its seats: strategic (the default), baseline or historical.
    #[arg(long, value_name = "POLICY", value_parser = super::policy, conflicts_with = "load")]
    pub ai: Option<Policy>,
    /// The AI plays every faction as the history did: no diplomacy or conquest of its own,
    /// the story left to the scenario's events (how the shipped historical replay was made).
    /// The same as `--ai historical`.
    #[arg(long, conflicts_with_all = ["load", "ai"])]
    pub historical: bool,
    /// Go on from a save instead of starting a scenario; the seats are the save's, and
    /// `--as` gives one more to a person.
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

fn read_save(path: &std::path::Path, mod_ids: &[String]) -> Result<SaveFile, Failure> {
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
    Ok(saved)
}

/// `khitomer run`.
pub fn run(args: &RunArgs, mods: &[PathBuf]) -> Result<(), Failure> {
    let mut outputs: Vec<(&str, &std::path::Path)> = Vec::new();
    if let Some(p) = &args.record {
        outputs.push(("--record", p));
    }
    if let Some(p) = &args.save {
        outputs.push(("--save", p));
    }
    let mut inputs: Vec<(&str, &std::path::Path)> = Vec::new();
    if let Some(s) = args
        .scenario
        .as_deref()
        .filter(|s| std::path::Path::new(s).is_file())
    {
        inputs.push(("the scenario played", std::path::Path::new(s)));
    }
    if let Some(o) = &args.orders {
        inputs.push(("the orders read", o));
    }
    super::outputs::distinct(&outputs, &inputs)?;
    for (flag, path) in &outputs {
        super::outputs::writable(flag, path)?;
    }
    let mut lib = load_library(mods)?;
    let mod_ids: Vec<String> = lib.mods.iter().map(|m| m.id.clone()).collect();
    let person = args.as_faction.as_deref();
    let (session, playing, mut seats, replay) = match (&args.load, &args.scenario) {
        (Some(path), _) => {
            let saved = read_save(path, &mod_ids)?;
            let playing = Playing {
                play: saved.play.clone(),
                seed: saved.seed,
                mods: saved.mods.clone(),
            };
            let session = Session::resume(saved.chapters, saved.chapter, saved.world);
            (session, playing, saved.seats, None)
        }
        (None, Some(arg)) => {
            let opened = open_session(&mut lib, arg, args.seed)?;
            let policy = if args.historical {
                Policy::Historical
            } else {
                args.ai.unwrap_or_default()
            };
            let seats = Seats::ai(policy);
            let replay = args.record.as_ref().map(|_| {
                Replay::new(
                    arg.clone(),
                    mod_ids.clone(),
                    lib.fingerprint(&opened.files),
                    opened.seed,
                    seats.clone(),
                )
            });
            let playing = Playing {
                play: arg.clone(),
                seed: opened.seed,
                mods: mod_ids.clone(),
            };
            (opened.session, playing, seats, replay)
        }
        (None, None) => {
            return Err(Failure::Input(
                "error: name a scenario, or `--load` a save\n".into(),
            ));
        }
    };
    if let Some(key) = person {
        check_player(&session.game.state(), key)?;
        seats = seats.with_person(key);
    }
    // Every person seat needs its orders: the command line plays one, from `--orders`.
    if let Some(other) = seats.persons().find(|&p| Some(p) != person) {
        return Err(Failure::Input(format!(
            "error: this game gives `{other}` to a person; play it with `--as {other} --orders FILE`\n"
        )));
    }
    let orders = match (person, &args.orders) {
        (Some(f), Some(path)) => Some(load_orders(path, session.chapters(), f)?),
        (Some(f), None) => return Err(orders_missing(f, &format!("--as {f}"))),
        (None, _) => None,
    };
    let mut driver = Driver::new(session, seats);
    if let Some(replay) = replay {
        driver = driver.record_into(replay);
    }
    let out = io::stdout();
    let mut out = io::BufWriter::new(crate::terminal::Printable(out.lock()));
    let result =
        play(&mut driver, args, playing.seed, orders.as_ref(), &mut out).and_then(|()| out.flush());
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
    if let (Some(path), Some(replay)) = (&args.record, driver.recording()) {
        let replay = Replay {
            play: super::find::play_for(&replay.play, path),
            ..replay.clone()
        };
        save::write_atomically(path, replay.to_ron().as_bytes()).map_err(|e| {
            Failure::Input(format!(
                "error: cannot write the replay `{}`: {e}\n",
                path.display()
            ))
        })?;
    }
    if let Some(path) = &args.save {
        let session = driver.session();
        let saved = SaveFile {
            game: env!("CARGO_PKG_VERSION").to_owned(),
            play: playing.play,
            mods: playing.mods,
            seed: playing.seed,
            seats: driver.seats().clone(),
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
    driver: &mut Driver,
    args: &RunArgs,
    seed: u64,
    orders: Option<&Orders>,
    out: &mut impl Write,
) -> io::Result<()> {
    let show = Show::from_flags(args.json, args.story, args.state);
    heading(driver, seed, show, true, out)?;
    let session = driver.session();
    let total = u64::from(
        args.turns
            .map_or(session.turns_left(), |n| n.min(session.turns_left())),
    );
    let bar = progress(total, "playing");
    play_and_print(driver, args.turns, orders, seed, show, &bar, out)?;
    finish(driver, show, true, out)
}
