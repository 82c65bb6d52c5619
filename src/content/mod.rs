//! Content: the map, roster and scenario files, read from the base game's folders.
//!
//! Data in, validated types out: files are parsed into the raw types of [`raw`] (a syntax or
//! type error points at its line and column), then a scenario is resolved against its map and
//! the roster into a [`WorldState`](crate::core::state::WorldState) — every unknown id, every
//! duplicate and every impossible start is reported at once, each pointing at the text that
//! caused it.

pub mod locate;
pub mod raw;
pub mod report;
mod resolve;
mod script;

use std::path::{Path as FsPath, PathBuf};

use serde::de::DeserializeOwned;

pub use report::{FileId, Report, Sources};
pub use resolve::build_world;

use raw::{MapFile, RosterFile, ScenarioFile};

/// Where the base game's content lives.
#[derive(Clone, Debug)]
pub struct ContentPaths {
    /// Maps and rosters: `assets/maps/*.ron`, `assets/factions/*.ron`.
    pub assets: PathBuf,
    /// Scenarios: `scenarios/*.ron`.
    pub scenarios: PathBuf,
}

impl ContentPaths {
    /// The layout of a checkout or an installed game rooted at `root`.
    pub fn under(root: &FsPath) -> Self {
        Self {
            assets: root.join("assets"),
            scenarios: root.join("scenarios"),
        }
    }
}

/// A parsed file and where it came from.
#[derive(Clone, Debug)]
pub struct Loaded<T> {
    /// The file, for diagnostics.
    pub file: FileId,
    /// What it says.
    pub value: T,
}

/// Every content file read, parsed but not yet resolved.
#[derive(Clone, Debug, Default)]
pub struct Library {
    /// Files and the problems found parsing them.
    pub report: Report,
    /// Maps.
    pub maps: Vec<Loaded<MapFile>>,
    /// Faction and character rosters.
    pub rosters: Vec<Loaded<RosterFile>>,
    /// Scenarios.
    pub scenarios: Vec<Loaded<ScenarioFile>>,
    /// How many of the report's first diagnostics concern the shared files (maps, rosters)
    /// that every scenario needs; the rest concern single scenarios.
    pub shared_diagnostics: usize,
}

impl Library {
    /// Reads the base game. Problems are kept in the report; what parsed is kept too.
    pub fn load(paths: &ContentPaths) -> Self {
        let mut lib = Library::default();
        for path in ron_files(&mut lib.report, &paths.assets.join("maps")) {
            if let Some(map) = lib.parse::<MapFile>(&path, "a map file holds one `Map(...)`") {
                lib.maps.push(map);
            }
        }
        for path in ron_files(&mut lib.report, &paths.assets.join("factions")) {
            if let Some(roster) =
                lib.parse::<RosterFile>(&path, "a roster file holds one `Roster(...)`")
            {
                lib.rosters.push(roster);
            }
        }
        lib.shared_diagnostics = lib.report.diagnostics.len();
        for path in ron_files(&mut lib.report, &paths.scenarios) {
            lib.add_scenario_file(&path);
        }
        lib
    }

    /// Reads one more scenario file (one given by path). Returns its position among the
    /// scenarios, or `None` if it could not be parsed (the report says why).
    pub fn add_scenario_file(&mut self, path: &FsPath) -> Option<usize> {
        let scenario =
            self.parse::<ScenarioFile>(path, "a scenario file holds one `Scenario(...)`")?;
        self.scenarios.push(scenario);
        Some(self.scenarios.len() - 1)
    }

    /// The scenario with this id.
    pub fn scenario(&self, id: &str) -> Option<&Loaded<ScenarioFile>> {
        self.scenarios.iter().find(|s| s.value.id == id)
    }

    fn parse<T: DeserializeOwned>(&mut self, path: &FsPath, what: &str) -> Option<Loaded<T>> {
        let shown = display_path(path);
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                self.report.error(format!("cannot read `{shown}`: {e}"));
                return None;
            }
        };
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                self.report
                    .error(format!("`{shown}` is not UTF-8 text"))
                    .notes
                    .push(format!(
                        "the first bad byte is at offset {}",
                        e.utf8_error().valid_up_to()
                    ));
                return None;
            }
        };
        let file = self.report.sources.add(shown.clone(), text);
        let text = self.report.sources.text(file);
        if is_blank(text) {
            self.report
                .error_at(
                    file,
                    &locate::Path::root(),
                    format!("`{shown}` is empty"),
                    "nothing here",
                )
                .notes
                .push(what.to_owned());
            return None;
        }
        let options = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
        match options.from_str::<T>(text) {
            Ok(value) => Some(Loaded { file, value }),
            Err(e) => {
                let start = self
                    .report
                    .sources
                    .offset(file, e.span.start.line, e.span.start.col);
                let end = self
                    .report
                    .sources
                    .offset(file, e.span.end.line, e.span.end.col)
                    .max(start);
                let label = codespan_reporting::diagnostic::Label::primary(file, start..end)
                    .with_message("here");
                self.report.diagnostics.push(
                    codespan_reporting::diagnostic::Diagnostic::error()
                        .with_message(format!("cannot parse `{shown}`: {}", e.code))
                        .with_labels(vec![label])
                        .with_notes(vec![what.to_owned()]),
                );
                None
            }
        }
    }
}

/// Whether a file holds nothing but whitespace and comments.
fn is_blank(text: &str) -> bool {
    text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with("//")
    })
}

/// The `.ron` files of a folder, sorted by name. A missing folder is no error (a mod need
/// not have every kind of file); an unreadable one is.
fn ron_files(report: &mut Report, dir: &FsPath) -> Vec<PathBuf> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(e) => {
            report.error(format!("cannot read folder `{}`: {e}", display_path(dir)));
            return Vec::new();
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron") && p.is_file())
        .collect();
    files.sort();
    files
}

/// A path as a person typed it: relative to the working folder when it is inside it.
pub fn display_path(path: &FsPath) -> String {
    let shown = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(FsPath::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf());
    shown.display().to_string()
}
