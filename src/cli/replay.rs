//! `khitomer replay`: plays a replay back, checking every turn against its recording, and
//! prints the same turn log as `run`. It stops at the first turn that parts from the
//! recording and says in which phase, and which fleets, sectors and relations differ. With
//! `--take FACTION --at N` it goes on after turn N with that faction given to the player,
//! and records the branch.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::PathBuf;

use clap::Args;

use crate::ai;
use crate::content::{Report, display_path, parse_text};
use crate::record::digest::describe;
use crate::record::replay::{
    Branch, REPLAY_FORMAT, Replay, faction_by_key, play_probed, record_turn, replay_turn,
};
use crate::record::save;
use crate::session::Session;

use super::find::{load_library, open_session};
use super::output::{finish, heading, print_turn, progress};
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
    /// Where to record the branch (with `--take`); by default beside the replay.
    #[arg(long, value_name = "FILE", requires = "take")]
    pub record: Option<PathBuf>,
    /// Print one JSON object per line instead of text.
    #[arg(long)]
    pub json: bool,
}

fn read_replay(path: &PathBuf) -> Result<Replay, Failure> {
    let shown = display_path(path);
    let bytes = std::fs::read(path)
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
        Some(r) if r.format == REPLAY_FORMAT => Ok(r),
        Some(r) => Err(Failure::Input(format!(
            "error: `{shown}` is a replay of format {}, and this version of the game reads format {REPLAY_FORMAT}\n",
            r.format
        ))),
        None => Err(Failure::Input(report.render(colour_stderr()))),
    }
}

/// `khitomer replay`.
pub fn replay(args: &ReplayArgs, mods: &[PathBuf]) -> Result<(), Failure> {
    let recorded = read_replay(&args.file)?;
    let shown = display_path(&args.file);
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
    if let Some(at) = args.at
        && at as usize > recorded.turns.len()
    {
        return Err(Failure::Input(format!(
            "error: `--at {at}`: `{shown}` has only {} turns\n",
            recorded.turns.len()
        )));
    }
    let mut session = opened.session;
    let out = io::stdout();
    let mut out = io::BufWriter::new(out.lock());
    let result = play_back(&mut session, &recorded, args, &mut out);
    let _ = out.flush();
    let branch = match result {
        Ok(branch) => branch,
        Err(Stop::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(()),
        Err(Stop::Io(e)) => {
            return Err(Failure::Input(format!(
                "error: cannot write the turn log: {e}\n"
            )));
        }
        Err(Stop::Failure(f)) => return Err(f),
    };
    if let (Some(branch), Some(faction)) = (branch, &args.take) {
        let path = args.record.clone().unwrap_or_else(|| {
            let mut name = args.file.file_stem().unwrap_or_default().to_os_string();
            name.push(format!(".{faction}-after-{}.ron", args.at.unwrap_or(0)));
            args.file.with_file_name(name)
        });
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

fn content_mismatch(
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

/// Replays, verifying each turn; then plays on if taking the helm. Returns the branch, if any.
fn play_back(
    session: &mut Session,
    recorded: &Replay,
    args: &ReplayArgs,
    out: &mut impl Write,
) -> Result<Option<Replay>, Stop> {
    let you = args.take.as_deref();
    heading(session, recorded.seed, you, args.json, out)?;
    let limit = args.at.or(args.until).map_or(recorded.turns.len(), |n| {
        (n as usize).min(recorded.turns.len())
    });
    let bar = progress(limit as u64, "replaying");
    for record in recorded.turns.iter().take(limit) {
        if session.game.outcome().is_some() && session.next_chapter() {
            heading(session, recorded.seed, you, args.json, out)?;
        }
        let turn = replay_turn(session, record).map_err(|e| {
            Stop::Failure(Failure::Check(format!(
                "error: the replay parts from its recording: {e}\n"
            )))
        })?;
        print_turn(&session.game, &turn.played.report, args.json, out)?;
        bar.inc(1);
        if let Some(parting) = turn.parting {
            out.flush()?;
            let after = session.game.state();
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
            return Err(Stop::Failure(Failure::Check(message)));
        }
    }
    bar.finish_and_clear();
    let Some(faction) = args.take.as_deref() else {
        finish(session, you, args.json, out)?;
        return Ok(None);
    };
    // Taking the helm: the faction is the player's from here; in this command its orders come
    // from the AI like everyone else's, and the branch is recorded.
    if session.game.outcome().is_some() && session.next_chapter() {
        heading(session, recorded.seed, you, args.json, out)?;
    }
    if faction_by_key(session, faction).is_none() {
        return Err(Stop::Failure(Failure::Input(format!(
            "error: there is no faction `{faction}` at that point of the game\n"
        ))));
    }
    let shared = args.at.unwrap_or(0);
    let mut branch = recorded.clone();
    branch.turns.truncate(shared as usize);
    branch.player = Some(faction.to_owned());
    branch.branch = Some(Branch {
        from_hash: branch.final_hash().unwrap_or_default().to_owned(),
        after_turns: shared,
    });
    loop {
        if session.game.outcome().is_some() {
            if !session.next_chapter() {
                break;
            }
            heading(session, recorded.seed, you, args.json, out)?;
        }
        let taken = faction_by_key(session, faction);
        let orders = ai::plan_all(session.game.world_mut(), recorded.policy, taken);
        for (f, list) in &orders {
            session.game.give_orders(*f, list.iter().cloned());
        }
        let Ok(played) = play_probed(session) else {
            break;
        };
        branch.turns.push(record_turn(session, &orders, &played));
        print_turn(&session.game, &played.report, args.json, out)?;
    }
    finish(session, you, args.json, out)?;
    Ok(Some(branch))
}
