//! Content: the map, roster and scenario files of the base game and of mods.
//!
//! Data in, validated types out: files are parsed into the raw types of [`raw`] (a syntax or
//! type error points at its line and column), mods are layered over the base game by id
//! ([`mods`]), then a scenario is resolved against its map and the roster into a
//! [`WorldState`](crate::core::state::WorldState) — every unknown id, every duplicate and
//! every impossible start is reported at once, each pointing at the text that caused it.
//!
//! Files are data only: nothing is read outside the base game's folders and the mods' own,
//! and sizes and counts have caps ([`limits`]).

pub mod attribute;
pub mod campaign;
pub mod check;
pub mod flags;
pub mod limits;
pub mod locate;
pub mod mods;
pub mod orders;
pub mod ranges;
pub mod raw;
pub mod report;
mod resolve;
mod script;

use std::path::{Path as FsPath, PathBuf};

use serde::de::DeserializeOwned;

pub use report::{FileId, Report, Sources};
pub use resolve::build_world;

use locate::Path;
use raw::{CampaignFile, CharacterDef, FactionDef, MapFile, RosterFile, ScenarioFile};

/// Where the base game's content lives.
#[derive(Clone, Debug)]
pub struct ContentPaths {
    /// Maps and rosters: `assets/maps/*.ron`, `assets/factions/*.ron`.
    pub assets: PathBuf,
    /// Scenarios: `scenarios/*.ron`.
    pub scenarios: PathBuf,
    /// Campaigns: `campaigns/*.ron`.
    pub campaigns: PathBuf,
}

impl ContentPaths {
    /// The layout of a checkout or an installed game rooted at `root`.
    pub fn under(root: &FsPath) -> Self {
        Self {
            assets: root.join("assets"),
            scenarios: root.join("scenarios"),
            campaigns: root.join("campaigns"),
        }
    }
}

/// An entry and where it is written: which file, and where in it.
#[derive(Clone, Debug)]
pub struct Placed<T> {
    /// The file.
    pub file: FileId,
    /// Where in the file.
    pub path: Path,
    /// What it says.
    pub value: T,
    /// The mod it comes from; `None` for the base game.
    pub origin: Option<usize>,
}

impl<T> Placed<T> {
    fn new(file: FileId, path: Path, value: T, origin: Option<usize>) -> Self {
        Self {
            file,
            path,
            value,
            origin,
        }
    }
}

/// Puts a roster entry in its list: a mod's replaces the entry of the same id, a base-game
/// entry of an id already there is a duplicate, and the first one's place is returned.
fn place<T>(
    list: &mut Vec<Placed<T>>,
    placed: Placed<T>,
    same: impl Fn(&T) -> bool,
) -> Option<(FileId, Path)> {
    match list.iter().position(|x| same(&x.value)) {
        Some(k) if placed.origin.is_none() => Some((list[k].file, list[k].path.field("id"))),
        Some(k) => {
            list[k] = placed;
            None
        }
        None => {
            list.push(placed);
            None
        }
    }
}

/// A scenario, with where each of its events and fleets is written: in its own file, or in a
/// mod's patch.
#[derive(Clone, Debug)]
pub struct ScenarioEntry {
    /// The scenario, with every patch applied.
    pub scenario: Placed<ScenarioFile>,
    /// Where each event is written.
    pub event_at: Vec<(FileId, Path)>,
    /// Where each fleet is written.
    pub fleet_at: Vec<(FileId, Path)>,
    /// Where each faction's objectives are written.
    pub objectives_at: Vec<(String, FileId, Path)>,
    /// Whether it was given by path (to `run` or `check`) rather than found in a folder.
    pub given: bool,
    /// The mods' patch files that change it, in the order applied.
    pub patches: Vec<FileId>,
}

impl ScenarioEntry {
    fn new(scenario: Placed<ScenarioFile>) -> Self {
        let file = scenario.file;
        let at = |list: &str, n: usize| {
            (0..n)
                .map(|i| (file, scenario.path.field(list).index(i)))
                .collect()
        };
        let event_at = at("events", scenario.value.events.len());
        let fleet_at = at("fleets", scenario.value.fleets.len());
        let objectives_at = scenario
            .value
            .objectives
            .keys()
            .map(|k| (k.clone(), file, scenario.path.field("objectives").key(k)))
            .collect();
        Self {
            scenario,
            event_at,
            fleet_at,
            objectives_at,
            given: false,
            patches: Vec::new(),
        }
    }

    /// The files it is written in: its own, and the mods' patches that change it.
    pub fn own_files(&self) -> Vec<FileId> {
        let mut files = vec![self.scenario.file];
        files.extend(&self.patches);
        files.extend(self.event_at.iter().map(|(f, _)| *f));
        files.extend(self.fleet_at.iter().map(|(f, _)| *f));
        files.extend(self.objectives_at.iter().map(|(_, f, _)| *f));
        files
    }

    /// The scenario's id.
    pub fn id(&self) -> &str {
        &self.scenario.value.id
    }
}

/// The kinds of content file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentKind {
    /// A map.
    Map,
    /// A roster of factions and characters.
    Roster,
    /// A scenario.
    Scenario,
}

/// A mod that was loaded.
#[derive(Clone, Debug)]
pub struct ModInfo {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// Its folder.
    pub dir: PathBuf,
    /// Its manifest file.
    pub file: FileId,
    /// The ids of the mods it depends on.
    pub depends_on: Vec<String>,
}

/// Every content file read and layered, parsed but not yet resolved.
#[derive(Clone, Debug, Default)]
pub struct Library {
    /// Files and the problems found reading and layering them.
    pub report: Report,
    /// Maps, by id.
    pub maps: Vec<Placed<MapFile>>,
    /// Factions of the roster, by id.
    pub factions: Vec<Placed<FactionDef>>,
    /// Characters of the roster, by id.
    pub characters: Vec<Placed<CharacterDef>>,
    /// Scenarios, by id.
    pub scenarios: Vec<ScenarioEntry>,
    /// Campaigns, by id.
    pub campaigns: Vec<Placed<CampaignFile>>,
    /// The mods, in load order.
    pub mods: Vec<ModInfo>,
    /// How many of the report's first diagnostics concern the shared files (maps, rosters,
    /// mods) that every scenario needs; the rest concern single scenarios.
    pub shared_diagnostics: usize,
    /// Each file's name as a replay records it, the same on every machine: relative to the
    /// game's folder (`assets/maps/galaxy.ron`), or to its mod (`mods/<id>/...`).
    pub content_names: Vec<String>,
    /// Everything the mods change, in the order they change it.
    pub mod_changes: Vec<ModChange>,
    /// The folder the base game was read from.
    root: Option<PathBuf>,
    /// The scenario files given by path, as their real paths, and where each was put: a
    /// file named again (every game of an `autoplay`) is the scenario already read.
    given_files: Vec<(PathBuf, usize)>,
}

/// One entry a mod adds, replaces or removes.
#[derive(Clone, Debug)]
pub struct ModChange {
    /// What kind of entry: `map`, `faction`, `character`, `campaign`, `scenario`, `event`,
    /// `fleet`, `objectives`.
    pub kind: String,
    /// Its id; an event's, a fleet's or objectives' is `scenario/id`.
    pub id: String,
    /// The mod, by its place in the load order.
    pub by: usize,
    /// The mod's file that changes it.
    pub file: FileId,
    /// Where in that file.
    pub path: Path,
    /// Whether the mod removes it.
    pub removes: bool,
}

impl Library {
    /// Reads the base game. Problems are kept in the report; what parsed is kept too.
    pub fn load(paths: &ContentPaths) -> Self {
        Self::load_with_mods(paths, &[])
    }

    /// Reads the base game, then the mods in the order given.
    pub fn load_with_mods(paths: &ContentPaths, mod_dirs: &[PathBuf]) -> Self {
        let mut lib = Library {
            root: paths.scenarios.parent().and_then(|p| p.canonicalize().ok()),
            ..Library::default()
        };
        let mut scenario_files = Vec::new();
        for path in ron_files(&mut lib.report, &paths.assets.join("maps")) {
            if let Some((file, map)) =
                lib.parse::<MapFile>(&path, "a map file holds one `Map(...)`")
            {
                lib.add_map(file, map, None);
            }
        }
        for path in ron_files(&mut lib.report, &paths.assets.join("factions")) {
            if let Some((file, roster)) =
                lib.parse::<RosterFile>(&path, "a roster file holds one `Roster(...)`")
            {
                lib.add_roster(file, roster, None);
            }
        }
        for path in ron_files(&mut lib.report, &paths.scenarios) {
            scenario_files.push(path);
        }
        for path in ron_files(&mut lib.report, &paths.campaigns) {
            if let Some((file, campaign)) =
                lib.parse::<CampaignFile>(&path, "a campaign file holds one `Campaign(...)`")
            {
                lib.add_campaign(file, campaign, None);
            }
        }
        let layers = mods::layer(&mut lib, mod_dirs);
        lib.shared_diagnostics = lib.report.diagnostics.len();
        for path in scenario_files {
            lib.read_scenario(&path, false);
        }
        mods::layer_scenarios(&mut lib, layers);
        lib
    }

    /// Adds a file's content without reading the disk: a map, a roster or a scenario (a
    /// scenario takes the place of one with its id). `name` is how diagnostics show it.
    pub fn add_bytes(&mut self, kind: ContentKind, name: &str, bytes: Vec<u8>) -> Option<FileId> {
        match kind {
            ContentKind::Map => {
                let (file, map) = self.parse_bytes::<MapFile>(
                    name.into(),
                    bytes,
                    "a map file holds one `Map(...)`",
                )?;
                self.add_map(file, map, None);
                Some(file)
            }
            ContentKind::Roster => {
                let (file, roster) = self.parse_bytes::<RosterFile>(
                    name.into(),
                    bytes,
                    "a roster file holds one `Roster(...)`",
                )?;
                self.add_roster(file, roster, None);
                Some(file)
            }
            ContentKind::Scenario => {
                let (file, scenario) = self.parse_bytes::<ScenarioFile>(
                    name.into(),
                    bytes,
                    "a scenario file holds one `Scenario(...)`",
                )?;
                limits::check_scenario(&mut self.report, file, &scenario);
                let mut entry = ScenarioEntry::new(Placed {
                    file,
                    path: Path::root(),
                    value: scenario,
                    origin: None,
                });
                entry.given = true;
                self.put_scenario(entry, true);
                Some(file)
            }
        }
    }

    /// Reads one more scenario file, given by path: it takes the place of a scenario of the
    /// game with the same id (so that an edited copy can be checked or played). Returns its
    /// position among the scenarios, or `None` if it could not be parsed (the report says
    /// why).
    pub fn add_scenario_file(&mut self, path: &FsPath) -> Option<usize> {
        let real = path.canonicalize().ok();
        if let Some(real) = &real
            && let Some(&(_, index)) = self.given_files.iter().find(|(p, _)| p == real)
        {
            return Some(index);
        }
        let index = self.read_scenario(path, true)?;
        if let Some(real) = real {
            self.given_files.push((real, index));
        }
        Some(index)
    }

    fn read_scenario(&mut self, path: &FsPath, replaces: bool) -> Option<usize> {
        let (file, scenario) =
            self.parse::<ScenarioFile>(path, "a scenario file holds one `Scenario(...)`")?;
        if replaces {
            // A scenario file given by path is known by its name alone, wherever it lies: a
            // replay of it verifies after the folder it is in has moved.
            if let Some(name) = path.file_name() {
                self.content_names[file] = name.to_string_lossy().into_owned();
            }
        }
        limits::check_scenario(&mut self.report, file, &scenario);
        let mut entry = ScenarioEntry::new(Placed {
            file,
            path: Path::root(),
            value: scenario,
            origin: None,
        });
        entry.given = replaces;
        Some(self.put_scenario(entry, replaces))
    }

    /// Adds a scenario, or replaces the one with its id. Two of the base game's own with one
    /// id are an error. Returns its position.
    fn put_scenario(&mut self, entry: ScenarioEntry, replaces: bool) -> usize {
        match self.scenarios.iter().position(|s| s.id() == entry.id()) {
            // Two of the game's own with one id, or two given by path, cannot both be meant.
            Some(i)
                if (!replaces
                    && entry.scenario.origin.is_none()
                    && self.scenarios[i].scenario.origin.is_none())
                    || (entry.given && self.scenarios[i].given) =>
            {
                let first = self.scenarios[i].scenario.file;
                let again = entry.scenario.file;
                self.report.diagnostics.push(
                    codespan_reporting::diagnostic::Diagnostic::error()
                        .with_message(format!("two scenarios have the id `{}`", entry.id()))
                        .with_labels(vec![
                            codespan_reporting::diagnostic::Label::primary(
                                again,
                                self.report.sources.span(again, &Path::root().field("id")),
                            )
                            .with_message("defined again here"),
                            codespan_reporting::diagnostic::Label::secondary(
                                first,
                                self.report.sources.span(first, &Path::root().field("id")),
                            )
                            .with_message("first defined here"),
                        ]),
                );
                i
            }
            Some(i) => {
                self.scenarios[i] = entry;
                i
            }
            None => {
                self.scenarios.push(entry);
                self.scenarios.len() - 1
            }
        }
    }

    /// The scenario with this id.
    pub fn scenario(&self, id: &str) -> Option<&ScenarioEntry> {
        self.scenarios.iter().find(|s| s.id() == id)
    }

    fn add_map(&mut self, file: FileId, map: MapFile, origin: Option<usize>) {
        limits::check_map(&mut self.report, file, &map);
        ranges::check_map(&mut self.report, file, &map);
        let placed = Placed {
            file,
            path: Path::root(),
            value: map,
            origin,
        };
        match self.maps.iter().position(|m| m.value.id == placed.value.id) {
            Some(i) if origin.is_none() => self.duplicate(
                "map",
                &placed.value.id.clone(),
                (file, Path::root().field("id")),
                (self.maps[i].file, Path::root().field("id")),
            ),
            Some(i) => self.maps[i] = placed,
            None => self.maps.push(placed),
        }
    }

    fn add_campaign(&mut self, file: FileId, campaign: CampaignFile, origin: Option<usize>) {
        let placed = Placed {
            file,
            path: Path::root(),
            value: campaign,
            origin,
        };
        match self
            .campaigns
            .iter()
            .position(|c| c.value.id == placed.value.id)
        {
            Some(i) if origin.is_none() => {
                let first = (self.campaigns[i].file, Path::root().field("id"));
                self.duplicate(
                    "campaign",
                    &placed.value.id.clone(),
                    (file, Path::root().field("id")),
                    first,
                );
            }
            Some(i) => self.campaigns[i] = placed,
            None => self.campaigns.push(placed),
        }
    }

    /// The campaign with this id.
    pub fn campaign(&self, id: &str) -> Option<&Placed<CampaignFile>> {
        self.campaigns.iter().find(|c| c.value.id == id)
    }

    fn add_roster(&mut self, file: FileId, roster: RosterFile, origin: Option<usize>) {
        limits::check_roster(&mut self.report, file, &roster);
        for (i, f) in roster.factions.into_iter().enumerate() {
            let path = Path::root().field("factions").index(i);
            let id = f.id.clone();
            ranges::check_personality(
                &mut self.report,
                file,
                &path.field("personality"),
                &id,
                &f.personality,
            );
            let placed = Placed::new(file, path.clone(), f, origin);
            if let Some(first) = place(&mut self.factions, placed, |x| x.id == id) {
                self.duplicate("faction", &id, (file, path.field("id")), first);
            }
        }
        for (i, c) in roster.characters.into_iter().enumerate() {
            let path = Path::root().field("characters").index(i);
            let id = c.id.clone();
            let placed = Placed::new(file, path.clone(), c, origin);
            if let Some(first) = place(&mut self.characters, placed, |x| x.id == id) {
                self.duplicate("character", &id, (file, path.field("id")), first);
            }
        }
    }

    fn duplicate(&mut self, kind: &str, id: &str, again: (FileId, Path), first: (FileId, Path)) {
        use codespan_reporting::diagnostic::{Diagnostic, Label};
        let again_span = self.report.sources.span(again.0, &again.1);
        let first_span = self.report.sources.span(first.0, &first.1);
        self.report.diagnostics.push(
            Diagnostic::error()
                .with_message(format!("duplicate {kind} id `{id}`"))
                .with_labels(vec![
                    Label::primary(again.0, again_span).with_message("defined again here"),
                    Label::secondary(first.0, first_span).with_message("first defined here"),
                ])
                .with_notes(vec![format!("each {kind} needs an id of its own; a mod that means to replace it overrides it by id")]),
        );
    }

    /// Reads and parses one file, within the caps.
    fn parse<T: DeserializeOwned>(&mut self, path: &FsPath, what: &str) -> Option<(FileId, T)> {
        let shown = display_path(path);
        let bytes = match crate::files::read_limited(path, limits::MAX_FILE_BYTES) {
            Ok(bytes) => bytes,
            Err(crate::files::Refused::TooLarge { size, max }) => {
                self.report
                    .error(format!(
                        "`{shown}` is {size} bytes; a content file may be at most {max} bytes"
                    ))
                    .notes
                    .push("split it into several files".into());
                return None;
            }
            Err(why) => {
                self.report.error(format!("cannot read `{shown}`: {why}"));
                return None;
            }
        };
        self.parse_bytes(shown, bytes, what)
    }

    /// A file's name as replays record it.
    pub(crate) fn content_name(&self, shown: &str) -> String {
        let path = FsPath::new(shown);
        let real = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        for m in &self.mods {
            if let Ok(dir) = m.dir.canonicalize()
                && let Ok(rel) = real.strip_prefix(&dir)
            {
                return format!("mods/{}/{}", m.id, rel.display());
            }
        }
        if let Some(root) = &self.root
            && let Ok(rel) = real.strip_prefix(root)
        {
            return rel.display().to_string();
        }
        path.file_name()
            .map_or_else(|| shown.to_owned(), |n| n.to_string_lossy().into_owned())
    }

    /// The files a scenario is made of: its own, the patches that change it, its map, the
    /// roster, and the manifests of the mods loaded.
    pub fn files_of_scenario(&self, index: usize) -> Vec<FileId> {
        let entry = &self.scenarios[index];
        let mut files = entry.own_files();
        files.extend(
            self.maps
                .iter()
                .filter(|m| m.value.id == entry.scenario.value.map)
                .map(|m| m.file),
        );
        files.extend(self.factions.iter().map(|f| f.file));
        files.extend(self.characters.iter().map(|c| c.file));
        files.extend(self.mods.iter().map(|m| m.file));
        files.sort_unstable();
        files.dedup();
        files
    }

    /// Each file's recorded name and the BLAKE3 hash of its text, sorted by name.
    pub fn fingerprint(&self, files: &[FileId]) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = files
            .iter()
            .map(|&f| {
                let name = self.content_names.get(f).cloned().unwrap_or_default();
                (
                    name,
                    blake3::hash(self.report.sources.text(f).as_bytes())
                        .to_hex()
                        .to_string(),
                )
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Parses a file's bytes, shown under `name` in diagnostics.
    fn parse_bytes<T: DeserializeOwned>(
        &mut self,
        shown: String,
        bytes: Vec<u8>,
        what: &str,
    ) -> Option<(FileId, T)> {
        if bytes.len() as u64 > limits::MAX_FILE_BYTES {
            self.report.error(format!(
                "`{shown}` is {} bytes; a content file may be at most {} bytes",
                bytes.len(),
                limits::MAX_FILE_BYTES
            ));
            return None;
        }
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
        self.content_names.resize(file, String::new());
        self.content_names.push(self.content_name(&shown));
        parse_text(&mut self.report, file, what).map(|value| (file, value))
    }
}

/// Parses a file already among the report's sources.
pub fn parse_text<T: DeserializeOwned>(report: &mut Report, file: FileId, what: &str) -> Option<T> {
    let shown = report.sources.name(file).to_owned();
    let text = report.sources.text(file);
    if is_blank(text) {
        report
            .error_at(
                file,
                &Path::root(),
                format!("`{shown}` is empty"),
                "nothing here",
            )
            .notes
            .push(what.to_owned());
        return None;
    }
    let options = ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .with_recursion_limit(limits::MAX_NESTING);
    match options.from_str::<T>(text) {
        Ok(value) => Some(value),
        Err(e) => {
            let start = report
                .sources
                .offset(file, e.span.start.line, e.span.start.col);
            let end = report
                .sources
                .offset(file, e.span.end.line, e.span.end.col)
                .max(start);
            let label = codespan_reporting::diagnostic::Label::primary(file, start..end)
                .with_message("here");
            report.diagnostics.push(
                codespan_reporting::diagnostic::Diagnostic::error()
                    .with_message(format!("cannot parse `{shown}`: {}", explain(&e.code)))
                    .with_labels(vec![label])
                    .with_notes(vec![what.to_owned()]),
            );
            None
        }
    }
}

/// The parser's complaint in a modder's words, where its own are meant for programmers.
fn explain(code: &ron::Error) -> String {
    match code {
        ron::Error::ExceededRecursionLimit => {
            format!("brackets are nested more than {} deep", limits::MAX_NESTING)
        }
        other => other.to_string(),
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
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
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
