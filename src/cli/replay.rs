//! `khitomer replay`: plays a replay back, checking every turn against its recording, and
//! prints the same turn log as `run`. It stops at the first turn that parts from the
//! recording and says in which phase, and which fleets, sectors and relations differ. With
//! `--take FACTION --at N --orders FILE` it goes on after turn N with that faction's seat
//! given to a person who plays from the orders file, the other seats as recorded, and records
//! the branch.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::PathBuf;

use clap::Args;
use indicatif::ProgressBar;

use crate::content::orders::Orders;
use crate::content::{Report, display_path, parse_text};
use crate::core::seat::Seat;
use crate::driver::{Driver, Replayed};
use crate::record::digest::describe;
use crate::record::replay::{
    Branch, OLDEST_REPLAY_FORMAT, Parting, REPLAY_FORMAT, Replay, TurnRecord, readable,
};
use crate::record::save;

use super::find::{load_library, open_session};
use super::output::{Show, finish, heading, play_and_print, print_turn, progress};
use super::seat::{branch_path, load_orders, orders_missing};
use super::{Failure, colour_stderr};

/// Arguments of `khitomer replay`.
#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// The replay file.
    pub file: PathBuf,
    /// Stop after this turn (counted across chapters).
    #[arg(long, value_name = "N")]
    pub until: Option<u32>,
    /// Take the helm of this faction after the turns given by `--at`.
    #[arg(long, value_name = "FACTION", requires = "at")]
    pub take: Option<String>,
    /// How many recorded turns to replay before taking the helm.
    #[arg(long, value_name = "N", requires = "take")]
    pub at: Option<u32>,
    /// The orders of the faction taken, after turn `--at`: a file as for `run --orders`.
    #[arg(long, value_name = "FILE", requires = "take")]
    pub orders: Option<PathBuf>,
    /// Where to record the branch (with `--take`); by default beside the replay.
    #[arg(long, value_name = "FILE", requires = "take")]
    pub record: Option<PathBuf>,
    /// Print one JSON object per line instead of text.
    #[arg(long)]
    pub json: bool,
    /// Print the story instead of the full log: messages, treaties, alliances, deaths,
    /// captures of places that matter, one line per battle.
    #[arg(long, conflicts_with = "json")]
    pub story: bool,
    /// Print nothing while replaying, then the world (after `--until N`) as JSON with names.
    #[arg(long, conflicts_with_all = ["json", "story"])]
    pub state: bool,
    /// Watch it in the window instead: play, pause, step back and forth, jump to a turn or a
    /// month, and take the helm of a faction at any turn.
    #[arg(long, conflicts_with_all = ["until", "take", "json", "story", "state"])]
    pub window: bool,
    /// Scripted steps for the window (its test uses this).
    #[arg(long, value_name = "FILE", hide = true, requires = "window")]
    pub autopilot: Option<PathBuf>,
}

pub(crate) fn read_replay(path: &std::path::Path) -> Result<Replay, Failure> {
    let shown = display_path(path);
    let bytes = crate::files::read_limited(path, crate::files::MAX_RECORD_BYTES)
        .map_err(|e| Failure::Input(format!("error: cannot read `{shown}`: {e}\n")))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Failure::Input(format!(
            "error: `{shown}` is not a replay: it is not text\n"
        ))
    })?;
    let mut report = Report::default();
    let file = report.sources.add(shown.clone(), text);
    let replay: Option<Replay> =
        parse_text(&mut report, file, "a replay file holds one `Replay(...)`");
    match replay {
        Some(mut r) if readable(r.format) => {
            r.play = super::find::play_from(&r.play, path);
            Ok(r)
        }
        Some(r) => Err(Failure::Input(format!(
            "error: `{shown}` is a replay of format {}, and this version of the game reads formats {OLDEST_REPLAY_FORMAT} to {REPLAY_FORMAT}\n",
            r.format
        ))),
        None => Err(Failure::Input(report.render(colour_stderr()))),
    }
}

/// A replay read and its game opened at the start, the content checked to be what it was
/// recorded with: ready to be played back.
pub(crate) fn open_replay(
    path: &std::path::Path,
    mods: &[PathBuf],
) -> Result<(Replay, crate::cli::find::Opened), Failure> {
    let recorded = read_replay(path)?;
    let shown = display_path(path);
    let mut lib = load_library(mods)?;
    let mod_ids: Vec<String> = lib.mods.iter().map(|m| m.id.clone()).collect();
    if mod_ids != recorded.mods {
        return Err(Failure::Check(format!(
            "error: `{shown}` was recorded with mods [{}], and this game has [{}]\n  = load the same mods with `--mod`, in the same order\n",
            recorded.mods.join(", "),
            mod_ids.join(", ")
        )));
    }
    let opened = open_session(&mut lib, &recorded.play, Some(recorded.seed))?;
    let now = lib.fingerprint(&opened.files);
    if now != recorded.content {
        return Err(Failure::Check(content_mismatch(
            &shown,
            &recorded.content,
            &now,
        )));
    }
    Ok((recorded, opened))
}

/// `khitomer replay`.
pub fn replay(args: &ReplayArgs, mods: &[PathBuf]) -> Result<(), Failure> {
    if let Some(faction) = &args.take {
        let branch = args
            .record
            .clone()
            .unwrap_or_else(|| branch_path(&args.file, faction, args.at.unwrap_or(0)));
        let mut inputs: Vec<(&str, &std::path::Path)> = vec![("the replay played", &args.file)];
        if let Some(o) = &args.orders {
            inputs.push(("the orders read", o));
        }
        super::outputs::distinct(&[("--record", &branch)], &inputs)?;
        super::outputs::writable("--record", &branch)?;
    }
    let (recorded, opened) = open_replay(&args.file, mods)?;
    let shown = display_path(&args.file);
    if let Some(at) = args.at
        && at as usize > recorded.turns.len()
    {
        return Err(Failure::Input(format!(
            "error: `--at {at}`: `{shown}` has only {} turns\n",
            recorded.turns.len()
        )));
    }
    let orders = match (&args.take, &args.orders) {
        (Some(f), Some(path)) => Some(load_orders(path, opened.session.chapters(), f)?),
        (Some(f), None) => return Err(orders_missing(f, &format!("--take {f}"))),
        (None, _) => None,
    };
    let mut driver = Driver::new(opened.session, recorded.seats.clone());
    if args.take.is_some() {
        driver = driver.record_into(Replay {
            turns: Vec::new(),
            ..recorded.clone()
        });
    }
    let out = io::stdout();
    let mut out = io::BufWriter::new(crate::terminal::Printable(out.lock()));
    let result = play_back(&mut driver, &recorded, args, orders.as_ref(), &mut out);
    let _ = out.flush();
    match result {
        Ok(()) => {}
        Err(Stop::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(()),
        Err(Stop::Io(e)) => {
            return Err(Failure::Input(format!(
                "error: cannot write the turn log: {e}\n"
            )));
        }
        Err(Stop::Failure(f)) => return Err(f),
    }
    if let (Some(mut branch), Some(faction)) = (driver.take_recording(), &args.take) {
        let path = args
            .record
            .clone()
            .unwrap_or_else(|| branch_path(&args.file, faction, args.at.unwrap_or(0)));
        branch.play = super::find::play_for(&branch.play, &path);
        save::write_atomically(&path, branch.to_ron().as_bytes()).map_err(|e| {
            Failure::Input(format!(
                "error: cannot write the branch `{}`: {e}\n",
                path.display()
            ))
        })?;
        eprintln!("the branch is recorded in `{}`", display_path(&path));
    }
    Ok(())
}

pub(crate) fn content_mismatch(
    shown: &str,
    recorded: &[(String, String)],
    now: &[(String, String)],
) -> String {
    let then: BTreeMap<&str, &str> = recorded
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let here: BTreeMap<&str, &str> = now.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let mut message =
        format!("error: `{shown}` was recorded with other content, and cannot be replayed\n");
    for (name, hash) in &then {
        match here.get(name) {
            Some(h) if h != hash => message.push_str(&format!("  changed since: {name}\n")),
            None => message.push_str(&format!("  missing now:   {name}\n")),
            _ => {}
        }
    }
    for name in here.keys().filter(|n| !then.contains_key(*n)) {
        message.push_str(&format!("  not in the recording: {name}\n"));
    }
    message.push_str("  = restore those files as they were when it was recorded (or the same mods) to replay it\n");
    message
}

enum Stop {
    Io(io::Error),
    Failure(Failure),
}

impl From<io::Error> for Stop {
    fn from(e: io::Error) -> Self {
        Stop::Io(e)
    }
}

/// Replays, verifying each turn; then, when taking the helm, gives the seat to the person and
/// plays on, recording the branch.
fn play_back(
    driver: &mut Driver,
    recorded: &Replay,
    args: &ReplayArgs,
    orders: Option<&Orders>,
    out: &mut impl Write,
) -> Result<(), Stop> {
    let show = Show::from_flags(args.json, args.story, args.state);
    heading(driver, recorded.seed, show, false, out)?;
    let limit = args.at.or(args.until).map_or(recorded.turns.len(), |n| {
        (n as usize).min(recorded.turns.len())
    });
    let bar = progress(limit as u64, "replaying");
    for record in recorded.turns.iter().take(limit) {
        if driver.chapter_over() && driver.next_chapter() {
            heading(driver, recorded.seed, show, false, out)?;
        }
        let turn = driver.replay_turn(record).map_err(|e| {
            Stop::Failure(Failure::Check(format!(
                "error: the replay parts from its recording: {e}\n"
            )))
        })?;
        print_turn(driver.game(), &turn.played.report, &[], show, out)?;
        bar.inc(1);
        if let Some(parting) = &turn.parting {
            out.flush()?;
            return Err(Stop::Failure(Failure::Check(parting_message(
                driver, record, &turn, parting,
            ))));
        }
    }
    bar.finish_and_clear();
    let Some(faction) = args.take.as_deref() else {
        finish(driver, show, false, out)?;
        return Ok(());
    };
    if driver.chapter_over() && !driver.next_chapter() {
        return Err(Stop::Failure(Failure::Input(format!(
            "error: the game is over after turn {}: there is nothing left to play as `{faction}`\n",
            args.at.unwrap_or(0)
        ))));
    }
    if driver.game().faction_id(faction).is_none() {
        return Err(Stop::Failure(Failure::Input(format!(
            "error: there is no faction `{faction}` at that point of the game\n"
        ))));
    }
    let shared = args.at.unwrap_or(0);
    let from_hash = driver.game().state_hash().to_string();
    driver.take_seat(faction, Seat::Person);
    if let Some(branch) = driver.recording_mut() {
        branch.branch = Some(Branch {
            from_hash,
            after_turns: shared,
        });
    }
    heading(driver, recorded.seed, show, true, out)?;
    play_and_print(
        driver,
        None,
        orders,
        recorded.seed,
        show,
        &ProgressBar::hidden(),
        out,
    )?;
    finish(driver, show, true, out)?;
    Ok(())
}

/// What the command says when a replayed turn parts from its recording.
pub(crate) fn parting_message(
    driver: &Driver,
    record: &TurnRecord,
    turn: &Replayed,
    parting: &Parting,
) -> String {
    let after = driver.game().state();
    let mut message = format!(
        "error: the replay parts from its recording on turn {} ({}){}\n  recorded hash {}\n  replayed hash {}\n",
        record.turn,
        turn.played.report.date,
        parting
            .phase
            .map_or_else(String::new, |p| format!(", in the {} phase", p.name())),
        record.hash,
        turn.played.report.hash
    );
    if parting.parts.is_empty() {
        message.push_str("  = the recording names no part that differs\n");
    } else {
        message.push_str("  these parts end the turn otherwise than recorded; as replayed, before the turn → after it:\n");
        for part in parting.parts.iter().take(12) {
            message.push_str(&format!(
                "    {part}: {} → {}\n",
                describe(&turn.before, part),
                describe(&after, part)
            ));
        }
        if parting.parts.len() > 12 {
            message.push_str(&format!("    and {} more\n", parting.parts.len() - 12));
        }
    }
    message
}
