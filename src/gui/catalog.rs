//! What the menu offers: every scenario and campaign of the game's files (mods included), with
//! its briefing and each playable faction's objectives; and starting one of them, or a save,
//! as a game in the window.

use std::path::{Path, PathBuf};

use bevy::prelude::*;

use crate::chronicle::Chronicle;
use crate::cli::find::{campaign_chapters, content_root, load_library_at, open_session, years};
use crate::content::Library;
use crate::core::game::Game;
use crate::core::seat::Seats;
use crate::driver::Driver;
use crate::record::save;
use crate::session::Session;

use super::playing::{Origin, Playing, seats_for};

/// A faction a person may play, with what it must do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Side {
    /// Its id.
    pub key: String,
    /// Its name.
    pub name: String,
    /// Its objectives, in words.
    pub objectives: Vec<String>,
}

/// One thing the menu offers to play.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// `2409`, `2410–2411`.
    pub years: String,
    /// The briefing.
    pub description: String,
    /// How many chapters (1 for a scenario).
    pub chapters: usize,
    /// The factions a person may play (in the first chapter, for a campaign).
    pub sides: Vec<Side>,
    /// The errors `khitomer check` finds in it, which keep it from being played.
    pub problems: Option<String>,
}

/// Everything the menu offers, and the mods it was read with.
#[derive(Resource)]
pub struct Catalog {
    /// Scenarios, then campaigns, each sorted by id.
    pub entries: Vec<Entry>,
    /// The folder of the game's own files.
    pub root: PathBuf,
    /// The mod folders given with `--mod`.
    pub mod_dirs: Vec<PathBuf>,
    /// What kept content from being read, if anything.
    pub problem: Option<String>,
}

impl Catalog {
    /// Reads the game's files and mods.
    pub fn load(mod_dirs: &[PathBuf]) -> Self {
        Self::load_at(&content_root(), mod_dirs)
    }

    /// Reads the game's files under `root`, and mods.
    pub fn load_at(root: &Path, mod_dirs: &[PathBuf]) -> Self {
        match load_library_at(root, mod_dirs) {
            Ok(lib) => Self {
                entries: entries(&lib),
                root: root.to_path_buf(),
                mod_dirs: mod_dirs.to_vec(),
                problem: None,
            },
            Err(failure) => Self {
                entries: Vec::new(),
                root: root.to_path_buf(),
                mod_dirs: mod_dirs.to_vec(),
                problem: Some(super::plain_text(&failure.to_string())),
            },
        }
    }

    /// The game's files and the mods, read again.
    pub fn library(&self) -> Result<Library, String> {
        load_library_at(&self.root, &self.mod_dirs).map_err(|f| super::plain_text(&f.to_string()))
    }

    /// The entry with this id.
    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// Starts a game of an entry (or a scenario file) with these factions played by persons.
    pub fn start(&self, play: &str, persons: &[String]) -> Result<Playing, String> {
        if persons.is_empty() {
            return Err("choose at least one faction to play".into());
        }
        let mut lib = self.library()?;
        let opened = open_session(&mut lib, play, None).map_err(|f| f.to_string())?;
        let state = opened.session.game.state();
        for p in persons {
            let playable = state
                .scenario
                .playable
                .iter()
                .any(|f| state.factions[f.index()].key == *p);
            if !playable {
                return Err(format!("`{p}` cannot be played in `{play}`"));
            }
        }
        let driver = Driver::new(opened.session, seats_for(persons));
        Ok(Playing::new(
            driver,
            Origin {
                play: play.to_owned(),
                seed: opened.seed,
                mods: mod_ids(&lib),
            },
        ))
    }

    /// Loads a save made in the window or by `run --save`; `persons` adds seats to the
    /// save's own.
    pub fn load_save(&self, path: &Path, persons: &[String]) -> Result<Playing, String> {
        let lib = self.library()?;
        let shown = crate::content::display_path(path);
        let saved = save::read(path)
            .map_err(|e| format!("cannot read `{shown}`: {e}"))?
            .map_err(|e| format!("cannot load `{shown}`: {e}"))?;
        if saved.mods != mod_ids(&lib) {
            return Err(format!(
                "`{shown}` was saved with mods [{}]; start the game with the same `--mod` folders",
                saved.mods.join(", ")
            ));
        }
        if saved.chapter >= saved.chapters.len() {
            return Err(format!(
                "cannot load `{shown}`: it is damaged (no such chapter)"
            ));
        }
        let seats = persons
            .iter()
            .fold(saved.seats.clone(), |s: Seats, f| s.with_person(f));
        let session = Session::resume(saved.chapters, saved.chapter, saved.world);
        Ok(Playing::new(
            Driver::new(session, seats),
            Origin {
                play: saved.play,
                seed: saved.seed,
                mods: saved.mods,
            },
        ))
    }
}

fn mod_ids(lib: &Library) -> Vec<String> {
    lib.mods.iter().map(|m| m.id.clone()).collect()
}

fn entries(lib: &Library) -> Vec<Entry> {
    let mut scenarios: Vec<Entry> = lib
        .scenarios
        .iter()
        .map(|s| {
            let v = &s.scenario.value;
            Entry {
                id: v.id.clone(),
                title: v.title.clone(),
                years: years(v, v),
                description: v.description.clone(),
                chapters: 1,
                sides: sides(lib, &v.id),
                problems: lib
                    .scenarios
                    .iter()
                    .position(|x| x.id() == v.id)
                    .and_then(|i| crate::content::check::checked_world(lib, i, None).err())
                    .map(|report| super::plain_text(&report.render(false))),
            }
        })
        .collect();
    scenarios.sort_by(|a, b| a.id.cmp(&b.id));
    let mut campaigns: Vec<Entry> = lib
        .campaigns
        .iter()
        .map(|c| {
            let chapters = campaign_chapters(lib, &c.value);
            let years = match (chapters.first(), chapters.last()) {
                (Some(a), Some(b)) => years(&a.scenario.value, &b.scenario.value),
                _ => String::new(),
            };
            Entry {
                id: c.value.id.clone(),
                title: c.value.title.clone(),
                years,
                description: c.value.description.clone(),
                chapters: c.value.chapters.len(),
                sides: chapters
                    .first()
                    .map_or_else(Vec::new, |s| sides(lib, s.id())),
                problems: crate::content::campaign::start_campaign(lib, &c.value.id, None)
                    .and_then(Result::err)
                    .map(|report| super::plain_text(&report.render(false))),
            }
        })
        .collect();
    campaigns.sort_by(|a, b| a.id.cmp(&b.id));
    scenarios.extend(campaigns);
    scenarios
}

/// The playable factions of a scenario with their objectives in words, read from its world.
fn sides(lib: &Library, id: &str) -> Vec<Side> {
    let Some(index) = lib.scenarios.iter().position(|s| s.id() == id) else {
        return Vec::new();
    };
    let Ok(state) = crate::content::build_world(lib, index, None) else {
        return Vec::new();
    };
    let game = Game::new(state.clone());
    let chronicle = Chronicle::new(game.world());
    state
        .scenario
        .playable
        .iter()
        .map(|&f| Side {
            key: state.factions[f.index()].key.clone(),
            name: state.factions[f.index()].name.clone(),
            objectives: state
                .scenario
                .goals
                .iter()
                .filter(|g| g.faction == f)
                .flat_map(|g| &g.objectives)
                .map(|o| chronicle.objective(o))
                .collect(),
        })
        .collect()
}
