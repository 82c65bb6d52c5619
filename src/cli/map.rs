//! `khitomer map`: the map of a scenario (at its start, or after some turns played by the AI)
//! or of a replay (after any turn, every turn verified on the way) as a PNG picture, drawn on
//! the CPU: no GPU or display needed.

use std::path::PathBuf;

use clap::Args;

use crate::content::display_path;
use crate::core::seat::Seats;
use crate::core::state::WorldState;
use crate::driver::Driver;

use super::Failure;
use super::find::{load_library, open_session};

/// Arguments of `khitomer map`.
#[derive(Debug, Args)]
pub struct MapArgs {
    /// A scenario or campaign id from `khitomer list`, a scenario file, or a replay file.
    pub what: String,
    /// Draw the world after this many turns (a replay's, verified; or played by the AI). By
    /// default a scenario's start and a replay's end.
    #[arg(long, value_name = "N")]
    pub turn: Option<u32>,
    /// Seed for the dice of turns played by the AI.
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// The picture's width in pixels.
    #[arg(long, value_name = "PIXELS", default_value_t = 1600, value_parser = clap::value_parser!(u32).range(600..=8192))]
    pub width: u32,
    /// Where to write the PNG.
    #[arg(short = 'o', long = "output", value_name = "FILE.png")]
    pub output: PathBuf,
}

/// Whether a file holds a replay rather than a scenario.
fn is_replay(path: &std::path::Path) -> bool {
    crate::files::read_limited(path, crate::files::MAX_RECORD_BYTES)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .is_some_and(|t| {
            t.lines()
                .map(str::trim)
                .find(|l| !l.is_empty() && !l.starts_with("//"))
                .is_some_and(|l| l.starts_with("Replay("))
        })
}

/// The world to draw.
fn world(args: &MapArgs, mods: &[PathBuf]) -> Result<WorldState, Failure> {
    let path = std::path::Path::new(&args.what);
    if path.is_file() && is_replay(path) {
        let recorded = super::replay::read_replay(path)?;
        let mut lib = load_library(mods)?;
        let opened = open_session(&mut lib, &recorded.play, Some(recorded.seed))?;
        let mut driver = Driver::new(opened.session, recorded.seats.clone());
        let n = args.turn.map_or(recorded.turns.len(), |n| n as usize);
        if n > recorded.turns.len() {
            return Err(Failure::Input(format!(
                "error: `--turn {n}`: `{}` has only {} turns\n",
                display_path(path),
                recorded.turns.len()
            )));
        }
        for record in &recorded.turns[..n] {
            let turn = driver.replay_turn(record).map_err(|e| {
                Failure::Check(format!("error: the replay parts from its recording: {e}\n"))
            })?;
            if turn.parting.is_some() {
                return Err(Failure::Check(format!(
                    "error: the replay parts from its recording on turn {} of chapter {}; `khitomer replay` says where\n",
                    record.turn,
                    record.chapter.saturating_add(1)
                )));
            }
        }
        return Ok(driver.game().state());
    }
    let mut lib = load_library(mods)?;
    let opened = open_session(&mut lib, &args.what, args.seed)?;
    let mut driver = Driver::new(opened.session, Seats::default());
    let turns = args.turn.unwrap_or(0);
    if turns > 0 {
        driver
            .play_on(Some(turns), |_, _| Ok::<(), ()>(()), |_, _| Ok(()))
            .map_err(|()| Failure::Input("error: the game could not be played\n".into()))?;
    }
    Ok(driver.game().state())
}

/// `khitomer map`.
pub fn map(args: &MapArgs, mods: &[PathBuf]) -> Result<(), Failure> {
    let what = std::path::Path::new(&args.what);
    if what.is_file() {
        super::outputs::distinct(&[("-o", &args.output)], &[("the file drawn", what)])?;
    }
    super::outputs::writable("-o", &args.output)?;
    let state = world(args, mods)?;
    let (pixmap, _) = crate::picture::draw(&state, args.width);
    let png = pixmap
        .encode_png()
        .map_err(|e| Failure::Input(format!("error: cannot encode the picture: {e}\n")))?;
    crate::record::save::write_atomically(&args.output, &png).map_err(|e| {
        Failure::Input(format!(
            "error: cannot write `{}`: {e}\n",
            display_path(&args.output)
        ))
    })?;
    Ok(())
}
