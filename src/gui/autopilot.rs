//! Scripted play for the window, for its test and for bug reports: a list of steps — start a
//! game as the menu does, move the mouse to a sector and click as a hand would, press keys,
//! wait for the turn, take a screenshot with the screen positions of what is on it — run one
//! after another, through the same input the player's mouse and keyboard give.
//!
//! `khitomer play --autopilot FILE` reads the steps from a RON file:
//! `[Start(play: "tau_dewa_2409", persons: ["klingon"]), Click(sector: "otha"), ...]`.

use std::path::PathBuf;

use bevy::input::ButtonState;
use bevy::input::keyboard::{Key, KeyboardInput};
use bevy::input::mouse::MouseButtonInput;
use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, save_to_disk};
use bevy::window::PrimaryWindow;
use serde::Deserialize;

use super::Screen;
use super::catalog::Catalog;
use super::layout::MapLayout;
use super::map::MapCamera;
use super::menu::{MenuChoice, start};
use super::playing::{Phase, Playing};
use super::snapshot::Snapshot;

/// One scripted step.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub enum Step {
    /// Start a game as the menu's Start button does.
    Start {
        /// A scenario or campaign id.
        play: String,
        /// The factions a person plays.
        persons: Vec<String>,
    },
    /// Open a replay in the viewer as the menu's Open button does.
    OpenReplay(PathBuf),
    /// In the viewer, jump to the world after this many turns, as its turn field does.
    ViewTurn(usize),
    /// In the viewer, jump to the first turn of a month (`2410-03`), as its month field does.
    ViewMonth(String),
    /// In the viewer, take the helm of a faction at the turn shown.
    TakeHelm(String),
    /// From a branch, back to the replay it was taken from.
    BackToReplay,
    /// Open the diplomacy screen with a treaty drafted, as its buttons draft one.
    Draft {
        /// The factions it is addressed to, by id.
        to: Vec<String>,
        /// Its clauses.
        clauses: Vec<crate::core::diplomacy::Clause>,
    },
    /// Wait this many frames.
    Frames(u32),
    /// Move the mouse to a sector's centre on the screen and click it (the right button
    /// when `right`).
    Click {
        /// The sector's id.
        sector: String,
        /// Whether with the right button.
        #[serde(default)]
        right: bool,
    },
    /// Move the mouse to a point of the window, in logical pixels.
    Pointer(f32, f32),
    /// Press and release a key: `Enter`, `Space`, `Escape`, or a letter.
    Key(String),
    /// Wait until a person gives orders again (the turn resolved and played out), or the
    /// chapter has ended.
    AwaitOrders,
    /// Wait until this screen shows.
    AwaitScreen(String),
    /// Take a screenshot into this file, and beside it (`.json`) the screen positions of
    /// every sector and fleet, and the game saved (`.sav`).
    Screenshot(PathBuf),
    /// Write this file and wait (up to a minute) until another program removes it.
    Hold(PathBuf),
    /// Close the window.
    Exit,
}

/// The steps still to run.
#[derive(Resource, Debug, Clone)]
pub struct Autopilot {
    steps: Vec<Step>,
    next: usize,
    /// Frames spent on the current step.
    frames: u32,
}

impl Autopilot {
    /// Steps to run from the first frame.
    pub fn new(steps: Vec<Step>) -> Self {
        Self {
            steps,
            next: 0,
            frames: 0,
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        run.in_set(super::GuiSystems::Input)
            .run_if(resource_exists::<Autopilot>),
    );
}

/// Where a sector is on the screen, in logical pixels.
fn on_screen(
    camera: &(&Camera, &GlobalTransform),
    layout: &MapLayout,
    sector: crate::core::ids::SectorId,
) -> Option<Vec2> {
    camera
        .0
        .world_to_viewport(camera.1, layout.centre(sector).extend(0.0))
        .ok()
}

#[expect(
    clippy::too_many_arguments,
    reason = "a script step may touch the menu, the window, the mouse, the keys and the game"
)]
fn run(
    mut pilot: ResMut<Autopilot>,
    mut commands: Commands,
    catalog: Res<Catalog>,
    mut choice: ResMut<MenuChoice>,
    mut next: ResMut<NextState<Screen>>,
    screen: Res<State<Screen>>,
    playing: Option<Res<Playing>>,
    mut viewer: Option<ResMut<super::viewer::Viewer>>,
    snapshot: Option<Res<Snapshot>>,
    layout: Option<Res<MapLayout>>,
    mut window: Query<(Entity, &mut Window), With<PrimaryWindow>>,
    camera: Query<(&Camera, &GlobalTransform), With<MapCamera>>,
    markers: Query<(&super::fleets::FleetMarker, &GlobalTransform)>,
    mut mouse: MessageWriter<MouseButtonInput>,
    mut keys: MessageWriter<KeyboardInput>,
    mut exit: MessageWriter<AppExit>,
) {
    let Some(step) = pilot.steps.get(pilot.next).cloned() else {
        return;
    };
    pilot.frames += 1;
    let frames = pilot.frames;
    let done = match step {
        Step::Start { play, persons } => {
            let started = catalog.start(&play, &persons);
            if let Err(e) = &started {
                eprintln!("autopilot: cannot start `{play}`: {e}");
                exit.write(AppExit::error());
            }
            start(&mut commands, &mut next, &mut choice, started);
            true
        }
        Step::OpenReplay(path) => {
            super::menu::open(
                &mut commands,
                &mut next,
                &mut choice,
                &path,
                &catalog.mod_dirs,
            );
            if let Some(e) = &choice.error {
                eprintln!("autopilot: cannot open `{}`: {e}", path.display());
                exit.write(AppExit::error());
            }
            true
        }
        Step::ViewTurn(n) => {
            let Some(viewer) = viewer.as_mut() else {
                return;
            };
            viewer.jump_to(n);
            true
        }
        Step::ViewMonth(month) => {
            let Some(viewer) = viewer.as_mut() else {
                return;
            };
            match super::viewer::parse_date(&month) {
                Some(date) => viewer.jump_to_date(date),
                None => {
                    eprintln!("autopilot: `{month}` is not a month like 2410-03");
                    exit.write(AppExit::error());
                }
            }
            true
        }
        Step::TakeHelm(faction) => {
            let Some(viewer) = viewer.as_mut() else {
                return;
            };
            match viewer.take_helm(&faction) {
                Ok(game) => {
                    commands.insert_resource(game);
                    next.set(Screen::Game);
                }
                Err(e) => {
                    eprintln!("autopilot: cannot take the helm: {e}");
                    exit.write(AppExit::error());
                }
            }
            true
        }
        Step::BackToReplay => {
            next.set(Screen::Viewer);
            true
        }
        Step::Draft { to, clauses } => {
            let Some(snapshot) = snapshot.as_deref() else {
                return;
            };
            let to: Vec<_> = to
                .iter()
                .filter_map(|key| {
                    let found = snapshot.state.factions.iter().position(|f| &f.key == key);
                    if found.is_none() {
                        eprintln!("autopilot: no faction `{key}`");
                        exit.write(AppExit::error());
                    }
                    found.map(crate::core::ids::FactionId::from_index)
                })
                .collect();
            commands
                .queue(move |world: &mut World| super::diplomacy::open_with(world, to, clauses));
            true
        }
        Step::Frames(n) => frames >= n,
        Step::Click { sector, right } => {
            let (Some(snapshot), Some(layout), Ok(cam), Ok((entity, mut w))) = (
                snapshot.as_deref(),
                layout.as_deref(),
                camera.single(),
                window.single_mut(),
            ) else {
                return;
            };
            let Some(id) = snapshot
                .state
                .sectors
                .iter()
                .position(|s| *s.place.key == *sector)
            else {
                eprintln!("autopilot: no sector `{sector}`");
                exit.write(AppExit::error());
                return;
            };
            let id = crate::core::ids::SectorId::from_index(id);
            let button = if right {
                MouseButton::Right
            } else {
                MouseButton::Left
            };
            // Frame 1: the pointer moves there; 3: the button goes down; 5: up.
            match frames {
                1 => {
                    let at = on_screen(&cam, layout, id);
                    w.set_cursor_position(at);
                    false
                }
                3 => {
                    mouse.write(MouseButtonInput {
                        button,
                        state: ButtonState::Pressed,
                        window: entity,
                    });
                    false
                }
                5 => {
                    mouse.write(MouseButtonInput {
                        button,
                        state: ButtonState::Released,
                        window: entity,
                    });
                    false
                }
                n => n >= 7,
            }
        }
        Step::Pointer(x, y) => {
            if let Ok((_, mut w)) = window.single_mut() {
                w.set_cursor_position(Some(Vec2::new(x, y)));
            }
            frames >= 2
        }
        Step::Key(name) => {
            let Ok((entity, _)) = window.single() else {
                return;
            };
            let (code, logical) = match name.as_str() {
                "Enter" => (KeyCode::Enter, Key::Enter),
                "Space" => (KeyCode::Space, Key::Space),
                "Escape" => (KeyCode::Escape, Key::Escape),
                "H" => (KeyCode::KeyH, Key::Character("h".into())),
                "W" => (KeyCode::KeyW, Key::Character("w".into())),
                other => {
                    eprintln!("autopilot: no key `{other}`");
                    exit.write(AppExit::error());
                    return;
                }
            };
            let event = |state| KeyboardInput {
                key_code: code,
                logical_key: logical.clone(),
                state,
                text: None,
                repeat: false,
                window: entity,
            };
            match frames {
                1 => {
                    keys.write(event(ButtonState::Pressed));
                    false
                }
                3 => {
                    keys.write(event(ButtonState::Released));
                    false
                }
                n => n >= 5,
            }
        }
        Step::AwaitOrders => {
            frames > 2
                && playing.is_some_and(|p| matches!(p.phase, Phase::Orders(_) | Phase::Ended))
        }
        Step::AwaitScreen(name) => format!("{:?}", screen.get()) == name,
        Step::Screenshot(path) => {
            if frames == 1 {
                if let (Some(snapshot), Some(layout), Ok(cam), Ok((_, w))) = (
                    snapshot.as_deref(),
                    layout.as_deref(),
                    camera.single(),
                    window.single(),
                ) {
                    let scale = w.scale_factor();
                    let mut sectors = serde_json::Map::new();
                    for (i, s) in snapshot.state.sectors.iter().enumerate() {
                        let id = crate::core::ids::SectorId::from_index(i);
                        if let Some(p) = on_screen(&cam, layout, id) {
                            sectors.insert(
                                s.place.key.to_string(),
                                serde_json::json!([p.x * scale, p.y * scale]),
                            );
                        }
                    }
                    let mut fleets = serde_json::Map::new();
                    for (marker, at) in &markers {
                        if let (Some(f), Ok(p)) = (
                            snapshot.fleet(marker.fleet),
                            cam.0.world_to_viewport(cam.1, at.translation()),
                        ) {
                            fleets.insert(
                                f.key.clone(),
                                serde_json::json!([p.x * scale, p.y * scale]),
                            );
                        }
                    }
                    // How many pixels a world unit covers on the screen.
                    let unit = on_screen(&cam, layout, crate::core::ids::SectorId(0))
                        .zip(
                            cam.0
                                .world_to_viewport(
                                    cam.1,
                                    (layout.centre(crate::core::ids::SectorId(0)) + Vec2::X)
                                        .extend(0.0),
                                )
                                .ok(),
                        )
                        .map_or(1.0, |(a, b)| (b.x - a.x) * scale);
                    let sidecar = serde_json::json!({
                        "sectors": sectors,
                        "fleets": fleets,
                        "pixels_per_unit": unit,
                        "hash": snapshot.state.hash().to_string(),
                        "tile": [super::layout::TILE.x, super::layout::TILE.y],
                    });
                    let _ = std::fs::write(path.with_extension("json"), sidecar.to_string());
                }
                if let Some(p) = &playing {
                    let _ = p.save(&path.with_extension("sav"));
                }
                let _ = std::fs::remove_file(&path);
                commands
                    .spawn(Screenshot::primary_window())
                    .observe(save_to_disk(path.clone()));
            }
            // The screenshot is written a few frames later; wait for the file.
            frames > 3 && path.exists()
        }
        Step::Hold(path) => {
            if frames == 1 {
                let _ = std::fs::write(&path, b"waiting\n");
            }
            !path.exists() || frames > 60 * 60
        }
        Step::Exit => {
            exit.write(AppExit::Success);
            true
        }
    };
    if done {
        pilot.next += 1;
        pilot.frames = 0;
    }
}
