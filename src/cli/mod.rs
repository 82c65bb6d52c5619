//! The command line: `khitomer list`, `khitomer run`, ... One binary, clap subcommands.
//!
//! Exit codes: 0 success; 1 a check or verification failed; 2 bad usage or an input that
//! cannot be read. Errors are one screen, never a panic.

mod autoplay;
mod check;
pub(crate) mod find;
mod map;
mod output;
mod outputs;
mod plot;
pub(crate) mod replay;
mod run;
pub(crate) mod seat;
mod state;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use run::RunArgs;

/// Khitomer: a turn-based grand-strategy game of the Khitomer Alliance, 2409–2411.
#[derive(Debug, Parser)]
#[command(name = "khitomer", version, about, long_about = None)]
pub struct Cli {
    /// What to do; with none, the game window opens at its menu.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A mod folder to load over the base game; repeat for several, in load order.
    #[arg(long = "mod", value_name = "DIR", global = true)]
    pub mods: Vec<std::path::PathBuf>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the game window: the menu, or straight into a scenario, campaign or save.
    Play(PlayArgs),
    /// List the scenarios: id, title, years, playable factions.
    List,
    /// Play a headless game, printing the turn log: the AI plays every faction, or every one
    /// but a person's seat played from an orders file (`--as FACTION --orders FILE`).
    Run(RunArgs),
    /// Check the base game, extra scenario files or folders, and mods, without playing.
    Check(check::CheckArgs),
    /// Play a replay back, verifying every turn; or take a faction's helm partway through and
    /// play it on from an orders file.
    Replay(replay::ReplayArgs),
    /// Play many AI-only games over a run of seeds and count each faction's wins.
    Autoplay(autoplay::AutoplayArgs),
    /// Draw the map of a scenario or a replay as a PNG picture, with no GPU or display.
    Map(map::MapArgs),
}

/// Arguments of `khitomer play`.
#[derive(Debug, clap::Args, Default)]
pub struct PlayArgs {
    /// A scenario or campaign id from `khitomer list` (or a scenario file) to open at once.
    pub scenario: Option<String>,
    /// A faction to play; repeat for several persons taking turns at one screen.
    #[arg(long = "as", value_name = "FACTION")]
    pub as_faction: Vec<String>,
    /// A save to go on from.
    #[arg(long, value_name = "SAVE", conflicts_with = "scenario")]
    pub load: Option<std::path::PathBuf>,
    /// Scripted steps to play (the window's own test uses this).
    #[arg(long, value_name = "FILE", hide = true)]
    pub autopilot: Option<std::path::PathBuf>,
}

/// How a command failed.
#[derive(Debug)]
pub enum Failure {
    /// Bad usage or unreadable input: exit code 2. The message is ready to print.
    Input(String),
    /// A check or verification failed: exit code 1.
    Check(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (Failure::Input(message) | Failure::Check(message)) = self;
        f.write_str(message.trim_end())
    }
}

impl Failure {
    fn code(&self) -> u8 {
        match self {
            Failure::Input(_) => 2,
            Failure::Check(_) => 1,
        }
    }
}

/// A policy named on the command line (`--ai`, `--challenger`).
fn policy(name: &str) -> Result<crate::core::seat::Policy, String> {
    use crate::core::seat::Policy;
    Policy::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = Policy::ALL.iter().map(|p| p.name()).collect();
        format!(
            "unknown policy `{name}`; the policies are {}",
            names.join(", ")
        )
    })
}

/// Whether to colour what goes to standard error.
pub(crate) fn colour_stderr() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Runs the command line and returns the process's exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version with code 0, usage errors with code 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let Some(command) = cli.command else {
        return play(PlayArgs::default(), &cli.mods, None);
    };
    let mods = &cli.mods;
    let result = match command {
        Command::Play(args) => return play(args, mods, None),
        Command::Replay(args) if args.window => {
            // A replay that cannot be opened is told here, as without the window.
            if let Err(failure) = replay::open_replay(&args.file, mods) {
                eprintln!("{failure}");
                return ExitCode::from(failure.code());
            }
            let play_args = PlayArgs {
                autopilot: args.autopilot.clone(),
                ..PlayArgs::default()
            };
            return play(play_args, mods, Some(args.file));
        }
        Command::List => find::list(mods),
        Command::Run(args) => run::run(&args, mods),
        Command::Check(args) => check::check(&args, mods),
        Command::Autoplay(args) => autoplay::autoplay(&args, mods),
        Command::Replay(args) => replay::replay(&args, mods),
        Command::Map(args) => map::map(&args, mods),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            let (Failure::Input(message) | Failure::Check(message)) = &failure;
            eprint!("{message}");
            if !message.ends_with('\n') {
                eprintln!();
            }
            ExitCode::from(failure.code())
        }
    }
}

/// Opens the game window (on a replay's viewer, if one is given).
#[cfg(feature = "gui")]
fn play(
    args: PlayArgs,
    mods: &[std::path::PathBuf],
    replay: Option<std::path::PathBuf>,
) -> ExitCode {
    let autopilot = match &args.autopilot {
        Some(path) => {
            let steps = crate::files::read_limited(path, crate::files::MAX_SCRIPT_BYTES)
                .map_err(|e| e.to_string())
                .and_then(|b| String::from_utf8(b).map_err(|_| "it is not text".to_owned()))
                .and_then(|t| {
                    ron::from_str::<Vec<crate::gui::Step>>(&t).map_err(|e| e.to_string())
                });
            match steps {
                Ok(steps) => Some(crate::gui::Autopilot::new(steps)),
                Err(e) => {
                    eprintln!("error: cannot read the autopilot `{}`: {e}", path.display());
                    return ExitCode::from(2);
                }
            }
        }
        None => None,
    };
    // A scenario that cannot be played is told here, as without the window.
    if let Some(scenario) = &args.scenario {
        let opened = find::load_library(mods)
            .and_then(|mut lib| find::open_session(&mut lib, scenario, None).map(|_| ()));
        if let Err(failure) = opened {
            eprint!("{failure}");
            return ExitCode::from(failure.code());
        }
    }
    crate::gui::run(
        crate::gui::Launch {
            play: args.scenario,
            persons: args.as_faction,
            load: args.load,
            mods: mods.to_vec(),
            replay,
        },
        autopilot,
    )
}

/// Without the window: says so.
#[cfg(not(feature = "gui"))]
fn play(
    _args: PlayArgs,
    _mods: &[std::path::PathBuf],
    _replay: Option<std::path::PathBuf>,
) -> ExitCode {
    eprintln!(
        "khitomer: this build has no window (built without the `gui` feature); play from the command line: `khitomer run SCENARIO --as FACTION --orders FILE` (see `khitomer --help`)"
    );
    ExitCode::from(2)
}
