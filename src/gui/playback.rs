//! A turn's events played on the map before the next orders: the fleets move along their
//! routes, then battles flash with every fleet's strength before and after, then captured
//! sectors take their new colour. Space (or the button) skips it.

use bevy::prelude::*;

use crate::core::events::GameEvent;
use crate::core::galaxy::Galaxy;
use crate::core::ids::{FleetId, SectorId};

use super::fleets::FleetMarker;
use super::layout::MapLayout;
use super::playing::{Phase, Playing};
use super::snapshot::Snapshot;
use super::{GuiSystems, Screen};

/// How long each part of a turn's playback lasts, in seconds.
const MOVES: f32 = 1.2;
const BATTLES: f32 = 1.4;
const CAPTURES: f32 = 0.8;

/// The playback of the last turn.
#[derive(Resource, Debug, Clone)]
pub(super) struct Playback {
    /// The generation of the game it plays.
    generation: u64,
    /// Seconds since it began.
    pub elapsed: f32,
    /// Each moving fleet's path, from where it started.
    pub paths: Vec<(FleetId, Vec<SectorId>)>,
    /// Battles: where, and the line that tells them.
    pub battles: Vec<(SectorId, String)>,
    /// Sectors that changed hands, and to whom.
    pub captures: Vec<(SectorId, Option<crate::core::ids::FactionId>)>,
}

impl Playback {
    fn moves_end(&self) -> f32 {
        if self.paths.is_empty() { 0.0 } else { MOVES }
    }

    fn battles_end(&self) -> f32 {
        self.moves_end()
            + if self.battles.is_empty() {
                0.0
            } else {
                BATTLES
            }
    }

    /// How long the whole playback lasts.
    pub fn length(&self) -> f32 {
        self.battles_end()
            + if self.captures.is_empty() {
                0.0
            } else {
                CAPTURES
            }
    }

    /// How far the moves have gone, from 0 to 1.
    pub fn move_progress(&self) -> f32 {
        if self.paths.is_empty() {
            1.0
        } else {
            (self.elapsed / MOVES).clamp(0.0, 1.0)
        }
    }

    /// Whether the battles are being shown.
    pub fn showing_battles(&self) -> bool {
        self.elapsed >= self.moves_end() && self.elapsed < self.battles_end()
    }

    /// Whether the captures are being shown.
    pub fn showing_captures(&self) -> bool {
        self.elapsed >= self.battles_end()
    }
}

/// The playback's clock: it starts with a turn's result and ends the playback when done.
pub(super) fn logic(app: &mut App) {
    app.add_systems(
        Update,
        run_clock
            .in_set(GuiSystems::Refresh)
            .run_if(resource_exists::<Playing>),
    );
}

/// Drawing the playback: moving markers, battle and capture marks.
pub(super) fn view(app: &mut App) {
    app.add_systems(
        Update,
        (move_markers, mark_battles)
            .chain()
            .in_set(GuiSystems::Draw)
            .after(super::fleets::FleetsDrawn)
            .run_if(in_state(Screen::Game).and_then(resource_exists::<Playback>)),
    );
}

fn start(playing: &Playing) -> Playback {
    let mut playback = Playback {
        generation: playing.generation,
        elapsed: 0.0,
        paths: Vec::new(),
        battles: Vec::new(),
        captures: Vec::new(),
    };
    let (Some(report), Some(driver)) = (&playing.last_turn, playing.driver()) else {
        return playback;
    };
    let world = driver.game().world();
    let galaxy = world.resource::<Galaxy>();
    let chronicle = crate::chronicle::Chronicle::new(world);
    for event in &report.events {
        match event {
            GameEvent::FleetMoved {
                fleet, from, to, ..
            } => {
                let mut path = vec![*from];
                path.extend(galaxy.route(*from, *to).unwrap_or_else(|_| vec![*to]));
                playback.paths.push((*fleet, path));
            }
            GameEvent::Battle(b) => {
                playback
                    .battles
                    .push((b.sector, super::playing::plain(chronicle.event(event))));
            }
            GameEvent::SectorCaptured { sector, by, .. } => {
                playback.captures.push((*sector, Some(*by)));
            }
            GameEvent::SectorTransferred { sector, to, .. } => {
                playback.captures.push((*sector, *to))
            }
            _ => {}
        }
    }
    playback
}

fn run_clock(
    mut commands: Commands,
    time: Res<Time>,
    mut playing: ResMut<Playing>,
    playback: Option<ResMut<Playback>>,
) {
    if playing.phase != Phase::Playback {
        if playback.is_some() {
            commands.remove_resource::<Playback>();
        }
        return;
    }
    match playback {
        Some(mut p) if p.generation == playing.generation => {
            p.elapsed += time.delta_secs();
            if p.elapsed >= p.length() {
                playing.end_playback();
            }
        }
        _ => {
            let p = start(&playing);
            if p.length() == 0.0 {
                playing.end_playback();
            } else {
                commands.insert_resource(p);
            }
        }
    }
}

/// A point `t` (0 to 1) of the way along a path of sector centres.
fn along(layout: &MapLayout, path: &[SectorId], t: f32) -> Vec2 {
    if path.len() < 2 {
        return path.first().map_or(Vec2::ZERO, |&s| layout.centre(s));
    }
    let steps = (path.len() - 1) as f32;
    let x = t * steps;
    let i = (x.floor() as usize).min(path.len() - 2);
    let f = x - i as f32;
    layout.centre(path[i]).lerp(layout.centre(path[i + 1]), f)
}

fn move_markers(
    playback: Res<Playback>,
    layout: Res<MapLayout>,
    mut markers: Query<(&FleetMarker, &mut Transform)>,
) {
    let t = playback.move_progress();
    for (marker, mut transform) in &mut markers {
        let at = match playback.paths.iter().find(|(f, _)| *f == marker.fleet) {
            Some((_, path)) if t < 1.0 => along(&layout, path, t),
            _ => marker.home,
        };
        transform.translation = at.extend(transform.translation.z);
    }
}

fn mark_battles(
    mut gizmos: Gizmos,
    playback: Res<Playback>,
    layout: Res<MapLayout>,
    snapshot: Option<Res<Snapshot>>,
) {
    if playback.showing_battles() {
        let pulse = (playback.elapsed * 8.0).sin() * 3.0;
        for (sector, _) in &playback.battles {
            let c = layout.centre(*sector);
            gizmos.circle_2d(c, 26.0 + pulse, Color::srgb(1.0, 0.25, 0.1));
            gizmos.circle_2d(c, 22.0 + pulse, Color::srgb(1.0, 0.6, 0.1));
        }
    }
    if playback.showing_captures()
        && let Some(snapshot) = snapshot
    {
        for (sector, to) in &playback.captures {
            let colour = to.map_or(Color::WHITE, |f| snapshot.faction_colour(f));
            let c = layout.centre(*sector);
            gizmos.circle_2d(c, 24.0, colour);
            gizmos.circle_2d(c, 27.0, Color::WHITE);
        }
    }
}
