//! The command line: `khitomer list`, `khitomer run`, ... One binary, clap subcommands.
//!
//! Exit codes: 0 success; 1 a check or verification failed; 2 bad usage or an input that
//! cannot be read. Errors are one screen, never a panic.

mod autoplay;
mod check;
mod find;
mod output;
mod replay;
mod run;
mod seat;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use run::RunArgs;

/// Khitomer: a turn-based grand-strategy game of the Khitomer Alliance, 2409–2411.
#[derive(Debug, Parser)]
#[command(name = "khitomer", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// A mod folder to load over the base game; repeat for several, in load order.
    #[arg(long = "mod", value_name = "DIR", global = true)]
    pub mods: Vec<std::path::PathBuf>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
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
}

/// How a command failed.
#[derive(Debug)]
pub enum Failure {
    /// Bad usage or unreadable input: exit code 2. The message is ready to print.
    Input(String),
    /// A check or verification failed: exit code 1.
    Check(String),
}

impl Failure {
    fn code(&self) -> u8 {
        match self {
            Failure::Input(_) => 2,
            Failure::Check(_) => 1,
        }
    }
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
    let result = match cli.command {
        Command::List => find::list(&cli.mods),
        Command::Run(args) => run::run(&args, &cli.mods),
        Command::Check(args) => check::check(&args, &cli.mods),
        Command::Autoplay(args) => autoplay::autoplay(&args, &cli.mods),
        Command::Replay(args) => replay::replay(&args, &cli.mods),
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
