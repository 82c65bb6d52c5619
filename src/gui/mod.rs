//! The game window: a menu of scenarios and campaigns, the hex map with fleets and orders,
//! diplomacy, events, the turn log, saves, and the result of each chapter.
//!
//! The window is a Bevy app whose screens are a [`Screen`] state. The game itself — the turn
//! driver and the world — is one resource, [`playing::Playing`]; the window reads it and sends
//! [`command::Command`]s, which one system turns into orders through the driver's checks.
//! The plugins in [`logic`] need no renderer, so tests drive the game through them with
//! `MinimalPlugins`; the others draw.

pub mod catalog;
pub mod command;
mod keys;
pub mod layout;
pub mod playing;
pub mod snapshot;

mod autopilot;
mod diplomacy;
mod fleets;
mod map;
mod menu;
mod panels;
mod playback;
pub mod reload;
mod result;
pub mod viewer;

use std::path::PathBuf;
use std::process::ExitCode;

use bevy::prelude::*;

pub use autopilot::{Autopilot, Step};
pub use diplomacy::DiplomacyOpen;

/// The screens of the window.
#[derive(States, Default, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Screen {
    /// Choose a scenario or campaign, the factions to play, or a save.
    #[default]
    Menu,
    /// The map: orders, diplomacy, events.
    Game,
    /// A chapter's (or the game's) result.
    Result,
    /// A replay shown turn by turn.
    Viewer,
}

/// The order of the window's work in a frame.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GuiSystems {
    /// Mouse, keyboard and scripted steps become commands.
    Input,
    /// Commands become orders and steps of the turn; a resolved turn is collected.
    Commands,
    /// The snapshot of the world and the map's layout follow the game.
    Refresh,
    /// What is drawn follows the snapshot.
    Draw,
}

/// How the window was asked to start.
#[derive(Resource, Clone, Debug, Default)]
pub struct Launch {
    /// A scenario or campaign to open straight away.
    pub play: Option<String>,
    /// The factions a person plays in it.
    pub persons: Vec<String>,
    /// A save to open instead.
    pub load: Option<PathBuf>,
    /// Mod folders.
    pub mods: Vec<PathBuf>,
    /// A replay to open in the viewer instead.
    pub replay: Option<PathBuf>,
}

/// The game's logic, with no renderer: the screens, commands, the game resource and its
/// snapshot. Needs `StatesPlugin` and a task pool (both in `MinimalPlugins` + `StatesPlugin`).
pub mod logic {
    use super::*;

    /// Adds the game's logic.
    pub fn plugin(app: &mut App) {
        app.init_state::<Screen>()
            .add_message::<command::Command>()
            .init_resource::<command::Selection>()
            .configure_sets(
                Update,
                (
                    GuiSystems::Input,
                    GuiSystems::Commands,
                    GuiSystems::Refresh,
                    GuiSystems::Draw,
                )
                    .chain(),
            )
            .add_systems(
                Update,
                (
                    keys::keys
                        .in_set(GuiSystems::Input)
                        .run_if(in_state(Screen::Game)),
                    (command::apply_commands, playing::poll_resolving)
                        .chain()
                        .in_set(GuiSystems::Commands),
                    (
                        snapshot::refresh.run_if(not(in_state(Screen::Viewer))),
                        layout::refresh,
                    )
                        .chain()
                        .in_set(GuiSystems::Refresh),
                ),
            )
            .add_systems(OnExit(Screen::Game), leave_game)
            .add_systems(OnEnter(Screen::Menu), (forget_game, forget_replay))
            .add_systems(OnEnter(Screen::Viewer), forget_game);
        app.add_plugins((playback::logic, viewer::logic));
    }

    /// Leaving the map keeps the game (for the result screen) but drops what was in hand.
    fn leave_game(mut selection: ResMut<command::Selection>) {
        *selection = command::Selection::default();
    }

    /// Back at the menu (or the replay a game branched from), the game is over; its branch
    /// is already recorded.
    fn forget_game(mut commands: Commands) {
        commands.remove_resource::<playing::Playing>();
        commands.remove_resource::<snapshot::Snapshot>();
    }

    /// Back at the menu, the replay is closed and the map goes.
    fn forget_replay(mut commands: Commands) {
        commands.remove_resource::<viewer::Viewer>();
        commands.remove_resource::<layout::MapLayout>();
    }
}

/// The game screen's work in a frame without a renderer or a window: the logic, the map's
/// tiles and fleet markers as entities, the route gizmos, the playback, and the panels drawn
/// into an egui context of their own. What the frame benchmark measures.
pub mod headless {
    use super::*;

    /// Adds the game screen's frame work, headless. Needs the logic plugin, `InputPlugin`,
    /// `AssetPlugin` and `GizmoPlugin`.
    pub fn plugin(app: &mut App) {
        app.init_resource::<panels::HeadlessEgui>()
            .init_resource::<diplomacy::DiplomacyOpen>()
            .init_resource::<panels::PanelState>()
            .add_plugins((map::cpu, fleets::cpu, playback::view))
            .add_systems(
                Update,
                panels::headless_game_ui
                    .after(GuiSystems::Draw)
                    .run_if(in_state(Screen::Game).and_then(resource_exists::<playing::Playing>)),
            );
    }
}

/// Everything the window draws: the map, fleets, panels, menu, result.
fn view_plugin(app: &mut App) {
    app.add_plugins((
        map::plugin,
        fleets::plugin,
        panels::plugin,
        diplomacy::plugin,
        menu::plugin,
        result::plugin,
        playback::view,
        viewer::view,
        reload::view,
        autopilot::plugin,
    ));
}

/// A message without the terminal's colour codes, which a window cannot show.
pub(crate) fn plain_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // `ESC [ ... letter`
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether an X server can be reached through `DISPLAY`: its socket answers. A missing or
/// silent display is said in one line rather than met with a panic deep in the windowing
/// library.
fn display_reachable() -> Result<(), String> {
    let Some(display) = std::env::var_os("DISPLAY").filter(|d| !d.is_empty()) else {
        return Err("no display: DISPLAY is not set".into());
    };
    let display = display.to_string_lossy().into_owned();
    let (host, rest) = display.split_once(':').unwrap_or(("", display.as_str()));
    let number: u16 = rest
        .split('.')
        .next()
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("no display: DISPLAY `{display}` is not a display name"))?;
    let reached = if host.is_empty() || host == "unix" {
        #[cfg(unix)]
        {
            std::os::unix::net::UnixStream::connect(format!("/tmp/.X11-unix/X{number}")).is_ok()
        }
        #[cfg(not(unix))]
        {
            false
        }
    } else {
        std::net::TcpStream::connect((host, 6000 + number)).is_ok()
    };
    if reached {
        Ok(())
    } else {
        Err(format!(
            "no display: the X server `{display}` does not answer"
        ))
    }
}

/// Opens the window and plays until it is closed.
pub fn run(launch: Launch, autopilot: Option<Autopilot>) -> ExitCode {
    if let Err(why) = display_reachable() {
        eprintln!(
            "khitomer: {why}; play from the command line instead: `khitomer run SCENARIO --as FACTION --orders FILE` (see `khitomer --help`)"
        );
        return ExitCode::from(2);
    }
    let root = crate::cli::find::content_root();
    let catalog = catalog::Catalog::load_at(&root, &launch.mods);
    let mods = launch.mods.clone();
    let mut app = App::new();
    reload::sources(&mut app, &root, &launch.mods);
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: Some(Window {
                    title: "Khitomer".into(),
                    resolution: (1280, 800).into(),
                    ..default()
                }),
                ..default()
            })
            .set(bevy::log::LogPlugin {
                filter: "warn,wgpu=error,naga=error,bevy_render::renderer=error,winit=error,bevy_egui=error".into(),
                ..default()
            })
            .set(reload::asset_plugin(&root)),
    )
    .add_plugins((
        bevy_ecs_tilemap::TilemapPlugin,
        bevy_egui::EguiPlugin::default(),
    ))
    .insert_resource(ClearColor(Color::srgb(0.03, 0.04, 0.07)))
    .insert_resource(catalog)
    .insert_resource(launch)
    .add_plugins((
        logic::plugin,
        view_plugin,
        reload::plugin(root, mods),
    ));
    if let Some(autopilot) = autopilot {
        app.insert_resource(autopilot);
    }
    match app.run() {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(code) => ExitCode::from(code.get()),
    }
}
