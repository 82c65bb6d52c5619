//! The menu: every scenario and campaign with its briefing and the factions one may play with
//! their objectives; one or more factions to play (several take their turns in order at one
//! screen); or a save to go on from.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::catalog::Catalog;
use super::playing::{Playing, default_save_path};
use super::viewer::Viewer;
use super::{Launch, Screen};

/// What the menu has chosen so far.
#[derive(Resource, Default)]
pub(super) struct MenuChoice {
    /// The entry shown.
    pub entry: Option<String>,
    /// The factions ticked to play.
    pub persons: BTreeSet<String>,
    /// The save to load.
    pub save_path: String,
    /// Why the last start failed.
    pub error: Option<String>,
    /// The replays offered, the historical campaign's first.
    pub replays: Vec<PathBuf>,
    /// A replay file to open that is not listed.
    pub replay_path: String,
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<MenuChoice>()
        .add_systems(Startup, launch)
        .add_systems(EguiPrimaryContextPass, menu.run_if(in_state(Screen::Menu)));
}

/// Starts the game named on the command line, if any.
fn launch(
    mut commands: Commands,
    launch: Res<Launch>,
    catalog: Res<Catalog>,
    mut choice: ResMut<MenuChoice>,
    mut next: ResMut<NextState<Screen>>,
) {
    choice.save_path = default_save_path().display().to_string();
    choice.replays = replays(&crate::cli::find::content_root().join("replays"));
    if let Some(path) = &launch.replay {
        open(
            &mut commands,
            &mut next,
            &mut choice,
            path,
            &catalog.mod_dirs,
        );
        return;
    }
    let started = match (&launch.load, &launch.play) {
        (Some(path), _) => Some(catalog.load_save(path, &launch.persons)),
        (None, Some(play)) => Some(catalog.start(play, &launch.persons)),
        (None, None) => None,
    };
    match started {
        Some(Ok(playing)) => {
            commands.insert_resource(playing);
            next.set(Screen::Game);
        }
        Some(Err(e)) => choice.error = Some(e),
        None => {}
    }
}

/// The replays in a folder: the historical campaign's (`history*`) first, then the others
/// by name.
pub fn replays(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    found.sort_by_key(|p| {
        let name = p
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        (!name.starts_with("history"), name)
    });
    found
}

/// Opens a replay in the viewer.
pub(super) fn open(
    commands: &mut Commands,
    next: &mut NextState<Screen>,
    choice: &mut MenuChoice,
    path: &Path,
    mods: &[PathBuf],
) {
    match Viewer::open(path, mods) {
        Ok(viewer) => {
            commands.insert_resource(viewer);
            choice.error = None;
            next.set(Screen::Viewer);
        }
        Err(e) => choice.error = Some(e),
    }
}

/// Starts a game from the menu.
pub(super) fn start(
    commands: &mut Commands,
    next: &mut NextState<Screen>,
    choice: &mut MenuChoice,
    started: Result<Playing, String>,
) {
    match started {
        Ok(playing) => {
            commands.insert_resource(playing);
            choice.error = None;
            next.set(Screen::Game);
        }
        Err(e) => choice.error = Some(e),
    }
}

fn menu(
    mut contexts: EguiContexts,
    mut commands: Commands,
    catalog: Res<Catalog>,
    mut choice: ResMut<MenuChoice>,
    mut next: ResMut<NextState<Screen>>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut root = super::panels::root_ui(ctx, "menu");
    egui::CentralPanel::default().show(&mut root, |ui| {
        ui.heading("Khitomer — the Khitomer Alliance, 2409–2411");
        if let Some(problem) = &catalog.problem {
            ui.colored_label(egui::Color32::LIGHT_RED, problem);
        }
        if let Some(error) = &choice.error {
            ui.colored_label(egui::Color32::LIGHT_RED, error);
        }
        ui.separator();
        ui.columns(2, |columns| {
            egui::ScrollArea::vertical()
                .id_salt("entries")
                .show(&mut columns[0], |ui| {
                    for entry in &catalog.entries {
                        let kind = if entry.chapters > 1 {
                            format!(" — campaign, {} chapters", entry.chapters)
                        } else {
                            String::new()
                        };
                        let picked = choice.entry.as_deref() == Some(entry.id.as_str());
                        let label = format!("{} ({}){kind}", entry.title, entry.years);
                        if ui.selectable_label(picked, label).clicked() && !picked {
                            choice.entry = Some(entry.id.clone());
                            choice.persons.clear();
                        }
                    }
                });
            let ui = &mut columns[1];
            let Some(entry) = choice.entry.as_deref().and_then(|id| catalog.entry(id)) else {
                ui.label("Choose a scenario or a campaign.");
                return;
            };
            let entry = entry.clone();
            ui.heading(&entry.title);
            ui.label(format!("`{}` — {}", entry.id, entry.years));
            ui.add_space(4.0);
            ui.label(&entry.description);
            ui.add_space(8.0);
            ui.label("Play as (tick one, or several to take turns at this screen):");
            for side in &entry.sides {
                let mut ticked = choice.persons.contains(&side.key);
                if ui.checkbox(&mut ticked, &side.name).changed() {
                    if ticked {
                        choice.persons.insert(side.key.clone());
                    } else {
                        choice.persons.remove(&side.key);
                    }
                }
                ui.indent(&side.key, |ui| {
                    ui.small(format!("objectives: {}", side.objectives.join("; ")));
                });
            }
            ui.add_space(8.0);
            if let Some(problems) = &entry.problems {
                ui.colored_label(
                    egui::Color32::from_rgb(230, 120, 100),
                    "It cannot be played until these errors are fixed:",
                );
                egui::ScrollArea::vertical()
                    .id_salt("entry_problems")
                    .max_height(200.0)
                    .show(ui, |ui| ui.monospace(problems));
            }
            let ready = !choice.persons.is_empty() && entry.problems.is_none();
            if ui.add_enabled(ready, egui::Button::new("Start")).clicked() {
                let persons: Vec<String> = choice.persons.iter().cloned().collect();
                let started = catalog.start(&entry.id, &persons);
                start(&mut commands, &mut next, &mut choice, started);
            }
        });
        ui.separator();
        ui.horizontal(|ui| {
            ui.label("Go on from a save:");
            ui.text_edit_singleline(&mut choice.save_path);
            if ui.button("Load").clicked() {
                let path = PathBuf::from(&choice.save_path);
                let started = catalog.load_save(&path, &[]);
                start(&mut commands, &mut next, &mut choice, started);
            }
        });
        ui.separator();
        ui.strong("Watch a replay (and take the helm at any turn):");
        let mut opened = None;
        for path in &choice.replays {
            ui.horizontal(|ui| {
                if ui.button("Open").clicked() {
                    opened = Some(path.clone());
                }
                ui.label(crate::content::display_path(path));
            });
        }
        ui.horizontal(|ui| {
            ui.label("another replay:");
            ui.text_edit_singleline(&mut choice.replay_path);
            if ui.button("Open").clicked() {
                opened = Some(PathBuf::from(choice.replay_path.trim()));
            }
        });
        if let Some(path) = opened {
            open(
                &mut commands,
                &mut next,
                &mut choice,
                &path,
                &catalog.mod_dirs,
            );
        }
    });
    Ok(())
}
