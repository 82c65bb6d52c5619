//! Finding the game's content and the scenario a command names, and `khitomer list`.

use std::path::{Path, PathBuf};

use crate::content::check::checked_world;
use crate::content::raw::{CampaignFile, ScenarioFile};
use crate::content::report::nearest;
use crate::content::{ContentPaths, Library};
use crate::core::state::WorldState;
use crate::session::Session;

use super::{Failure, colour_stderr};

/// The folder holding `assets/` and `scenarios/`: `KHITOMER_HOME` if set, else the working
/// folder or one above the executable that has both, else the source checkout it was built
/// from.
pub fn content_root() -> PathBuf {
    let has_content = |dir: &Path| dir.join("scenarios").is_dir() && dir.join("assets").is_dir();
    if let Some(home) = std::env::var_os("KHITOMER_HOME") {
        return PathBuf::from(home);
    }
    if let Ok(cwd) = std::env::current_dir()
        && has_content(&cwd)
    {
        return cwd;
    }
    if let Ok(exe) = std::env::current_exe()
        && let Some(dir) = exe.ancestors().skip(1).find(|d| has_content(d))
    {
        return dir.to_path_buf();
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Reads the base game and the mods. Problems in the shared files (maps, rosters, mods) stop
/// every command.
pub fn load_library(mods: &[PathBuf]) -> Result<Library, Failure> {
    load_library_at(&content_root(), mods)
}

/// Reads the game's files under `root` and the mods, as [`load_library`] does.
pub fn load_library_at(root: &Path, mods: &[PathBuf]) -> Result<Library, Failure> {
    let lib = Library::load_with_mods(&ContentPaths::under(root), mods);
    let shared = lib.report.subset(0..lib.shared_diagnostics);
    if shared.has_errors() {
        return Err(Failure::Input(format!(
            "{}error: the game's shared content files or mods have {} problem(s); nothing can be played until they are fixed\n",
            shared.render(colour_stderr()),
            shared.error_count()
        )));
    }
    Ok(lib)
}

/// Whether what a command is given to play is the path of a scenario file, not an id.
fn looks_like_path(arg: &str) -> bool {
    arg.ends_with(".ron") || arg.contains('/') || arg.contains('\\')
}

/// `target` as a path from the folder `base` (both absolute): `../scenarios/x.ron`.
fn relative_to(target: &Path, base: &Path) -> PathBuf {
    let t: Vec<_> = target.components().collect();
    let b: Vec<_> = base.components().collect();
    let common = t.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c);
    }
    out
}

/// What a replay or save written to `file` records as what was played: a scenario file is
/// recorded by its path from the folder of `file`, so that the recording can be played from
/// any working folder (and moved along with the scenario); ids are kept as they are.
pub fn play_for(play: &str, file: &Path) -> String {
    if !looks_like_path(play) {
        return play.to_owned();
    }
    let Ok(target) = Path::new(play).canonicalize() else {
        return play.to_owned();
    };
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    match dir.canonicalize() {
        Ok(dir) => relative_to(&target, &dir).to_string_lossy().into_owned(),
        Err(_) => target.to_string_lossy().into_owned(),
    }
}

/// What a recording read from `file` played, as a command opens it: a scenario file's
/// relative path is taken from the folder of `file` (as [`play_for`] wrote it), or, for a
/// recording written before, from the working folder.
pub fn play_from(play: &str, file: &Path) -> String {
    let path = Path::new(play);
    if !looks_like_path(play) || path.is_absolute() {
        return play.to_owned();
    }
    match file.parent().map(|d| d.join(path)) {
        Some(beside) if beside.is_file() => beside.to_string_lossy().into_owned(),
        _ => play.to_owned(),
    }
}

/// The scenario a command names: an id from `khitomer list`, or the path of a file.
pub fn open_scenario(lib: &mut Library, arg: &str) -> Result<usize, Failure> {
    if looks_like_path(arg) {
        let path = Path::new(arg);
        if !path.is_file() {
            return Err(Failure::Input(format!(
                "error: no scenario file at `{arg}`\n"
            )));
        }
        let before = lib.report.diagnostics.len();
        return match lib.add_scenario_file(path) {
            Some(index) => Ok(index),
            None => {
                let problems = lib.report.subset(before..lib.report.diagnostics.len());
                Err(Failure::Input(problems.render(colour_stderr())))
            }
        };
    }
    if let Some(index) = lib.scenarios.iter().position(|s| s.id() == arg) {
        return Ok(index);
    }
    let mut message = format!("error: unknown scenario `{arg}`\n");
    let ids = lib
        .scenarios
        .iter()
        .map(|s| s.id())
        .chain(lib.campaigns.iter().map(|c| c.value.id.as_str()));
    match nearest(arg, ids) {
        Some(near) => message.push_str(&format!("  = did you mean `{near}`?\n")),
        None => message.push_str("  = `khitomer list` shows the scenarios\n"),
    }
    let unreadable = lib.report.diagnostics.len() - lib.shared_diagnostics;
    if unreadable > 0 {
        message.push_str(&format!(
            "  = {unreadable} problem(s) kept some scenario files from being read; `khitomer check` lists them\n"
        ));
    }
    Err(Failure::Input(message))
}

/// A session opened from the content, with what a replay of it must record.
pub struct Opened {
    /// The session, at its start.
    pub session: Session,
    /// The seed of its first chapter.
    pub seed: u64,
    /// The files it is made of.
    pub files: Vec<crate::content::FileId>,
}

/// What a command plays: a scenario (an id or a file) or a campaign (an id), ready to start,
/// with the seed of its first chapter.
pub fn open_session(lib: &mut Library, arg: &str, seed: Option<u64>) -> Result<Opened, Failure> {
    if let Some(started) = crate::content::campaign::start_campaign(lib, arg, seed) {
        let started = started.map_err(|report| {
            Failure::Input(format!(
                "{}error: campaign `{arg}` cannot be played: {} problem(s)\n",
                report.render(colour_stderr()),
                report.error_count()
            ))
        })?;
        eprint!("{}", started.warnings.render(colour_stderr()));
        return Ok(Opened {
            session: Session::new(started.chapters),
            seed: started.seed,
            files: started.files,
        });
    }
    let index = open_scenario(lib, arg)?;
    let seed = seed.unwrap_or(lib.scenarios[index].scenario.value.seed);
    let session = Session::single(start_world(lib, index, Some(seed))?);
    Ok(Opened {
        session,
        seed,
        files: lib.files_of_scenario(index),
    })
}

/// Resolves a scenario into its starting world, through every check `khitomer check` runs;
/// its warnings are printed, its errors refuse it.
pub fn start_world(lib: &Library, index: usize, seed: Option<u64>) -> Result<WorldState, Failure> {
    let checked = checked_world(lib, index, seed).map_err(|report| {
        Failure::Input(format!(
            "{}error: scenario `{}` cannot be played: {} problem(s)\n",
            report.render(colour_stderr()),
            lib.scenarios[index].id(),
            report.error_count()
        ))
    })?;
    eprint!("{}", checked.warnings.render(colour_stderr()));
    Ok(checked.world)
}

/// The years from the start of `first` to the end of `last`: `2409`, or `2410–2411`.
pub fn years(first: &ScenarioFile, last: &ScenarioFile) -> String {
    let end = crate::core::calendar::Date::new(last.start.year, last.start.month.clamp(1, 12))
        .plus_months(last.turns.saturating_sub(1));
    if end.year == first.start.year {
        first.start.year.to_string()
    } else {
        format!("{}–{}", first.start.year, end.year)
    }
}

/// The scenarios of a campaign's chapters that the library has, in order.
pub fn campaign_chapters<'l>(
    lib: &'l crate::content::Library,
    campaign: &CampaignFile,
) -> Vec<&'l crate::content::ScenarioEntry> {
    campaign
        .chapters
        .iter()
        .filter_map(|ch| lib.scenario(&ch.scenario))
        .collect()
}

/// `khitomer list`.
pub fn list(mods: &[PathBuf]) -> Result<(), Failure> {
    let lib = load_library(mods)?;
    // What cannot be played is not listed: its errors are told instead, as `check` tells them.
    let mut broken = crate::content::Report {
        sources: lib.report.sources.clone(),
        diagnostics: Vec::new(),
    };
    let mut broken_ids = Vec::new();
    let mut refuse = |id: &str, report: crate::content::Report| {
        broken_ids.push(format!("`{id}`"));
        for d in report.diagnostics {
            if !broken.diagnostics.contains(&d) {
                broken.diagnostics.push(d);
            }
        }
    };
    let mut playable_scenarios = Vec::new();
    for (i, s) in lib.scenarios.iter().enumerate() {
        match checked_world(&lib, i, None) {
            Ok(_) => playable_scenarios.push(s),
            Err(report) => refuse(s.id(), report),
        }
    }
    let mut playable_campaigns = Vec::new();
    for c in &lib.campaigns {
        match crate::content::campaign::start_campaign(&lib, &c.value.id, None) {
            Some(Err(report)) => refuse(&c.value.id, report),
            _ => playable_campaigns.push(c),
        }
    }
    let mut rows: Vec<[String; 4]> = Vec::new();
    for s in playable_scenarios {
        let v = &s.scenario.value;
        rows.push([
            v.id.clone(),
            v.title.clone(),
            years(v, v),
            v.playable.join(", "),
        ]);
    }
    rows.sort();
    let mut campaigns: Vec<[String; 4]> = Vec::new();
    for c in playable_campaigns {
        let chapters = campaign_chapters(&lib, &c.value);
        let years = match (chapters.first(), chapters.last()) {
            (Some(a), Some(b)) => years(&a.scenario.value, &b.scenario.value),
            _ => String::new(),
        };
        let playable = chapters
            .first()
            .map_or_else(String::new, |s| s.scenario.value.playable.join(", "));
        campaigns.push([
            c.value.id.clone(),
            format!(
                "{} (campaign, {} chapters)",
                c.value.title,
                c.value.chapters.len()
            ),
            years,
            playable,
        ]);
    }
    campaigns.sort();
    rows.extend(campaigns);
    let header = ["ID", "TITLE", "YEARS", "PLAYABLE"];
    let width = |c: usize| {
        rows.iter()
            .map(|r| r[c].chars().count())
            .chain([header[c].len()])
            .max()
            .unwrap_or(0)
    };
    let (w0, w1, w2) = (width(0), width(1), width(2));
    println!(
        "{:w0$}  {:w1$}  {:w2$}  {}",
        header[0], header[1], header[2], header[3]
    );
    for r in &rows {
        println!("{:w0$}  {:w1$}  {:w2$}  {}", r[0], r[1], r[2], r[3]);
    }
    let unreadable = lib.report.diagnostics.len() - lib.shared_diagnostics;
    if unreadable > 0 {
        eprintln!(
            "note: {unreadable} problem(s) kept some scenario files from being read; `khitomer check` lists them"
        );
    }
    if !broken_ids.is_empty() {
        return Err(Failure::Input(format!(
            "{}error: {} cannot be played and {} not listed: {} error(s)\n",
            broken.render(colour_stderr()),
            broken_ids.join(", "),
            if broken_ids.len() == 1 { "is" } else { "are" },
            broken.error_count()
        )));
    }
    Ok(())
}
