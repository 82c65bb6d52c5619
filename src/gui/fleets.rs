//! Fleets on the map: a disc in the owner's colour with the fleet's strength and, under it,
//! its commander; the selected fleet ringed; the routes of the orders given this turn, and the
//! route being aimed with the turns it takes.

use bevy::prelude::*;

use crate::core::ids::{CharacterId, FactionId, FleetId, SectorId};
use crate::core::orders::Order;

use super::command::Selection;
use super::layout::MapLayout;
use super::map::on_map;
use super::playing::Playing;
use super::snapshot::Snapshot;
use super::{GuiSystems, Screen};

/// A fleet's marker; `home` is where it stands when nothing moves it.
#[derive(Component, Debug, Clone, Copy)]
pub(super) struct FleetMarker {
    /// The fleet.
    pub fleet: FleetId,
    /// Its place on the map.
    pub home: Vec2,
    /// The strength its label shows.
    strength: u32,
    /// The owner and commander it shows: a marker is reused only for a fleet that has the
    /// same (another chapter, or another turn of a replay, may give the id to another fleet).
    look: (FactionId, Option<CharacterId>),
    /// The label's entity.
    label: Entity,
}

/// The fleet markers are placed for this frame (the playback moves them after this).
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct FleetsDrawn;

/// The label of the route being aimed.
#[derive(Component)]
struct AimLabel;

/// The shapes fleet markers share.
#[derive(Resource)]
struct MarkerShapes {
    disc: Handle<Mesh>,
    rim: Handle<Mesh>,
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Startup, shapes);
    cpu(app);
}

/// The fleets' systems that need no renderer's assets (the frame benchmark runs them alone).
pub(super) fn cpu(app: &mut App) {
    app.add_systems(
        Update,
        (sync_markers, draw_routes, aim_label)
            .chain()
            .in_set(GuiSystems::Draw)
            .in_set(FleetsDrawn)
            .run_if(on_map.and_then(resource_exists::<MapLayout>)),
    );
}

fn shapes(mut commands: Commands, mut meshes: ResMut<Assets<Mesh>>) {
    commands.insert_resource(MarkerShapes {
        disc: meshes.add(Circle::new(9.0)),
        rim: meshes.add(Circle::new(11.0)),
    });
}

/// Where the `k`-th of `n` fleets in a sector stands, around the sector's centre.
pub(super) fn slot(centre: Vec2, k: usize, n: usize) -> Vec2 {
    if n <= 1 {
        return centre;
    }
    let angle = std::f32::consts::TAU * k as f32 / n as f32 + std::f32::consts::FRAC_PI_2;
    centre + 13.0 * Vec2::new(angle.cos(), angle.sin())
}

/// The materials markers are painted with, made once.
#[derive(Default)]
struct Paints {
    rim: Option<Handle<ColorMaterial>>,
    owners: std::collections::BTreeMap<crate::core::ids::FactionId, Handle<ColorMaterial>>,
}

/// Brings the fleet markers in line with the snapshot when it changes: markers of fleets
/// still there move and relabel in place, new fleets get one, gone fleets lose theirs.
#[expect(
    clippy::too_many_arguments,
    reason = "markers follow the snapshot, the layout, and the shapes and paints they share"
)]
fn sync_markers(
    mut commands: Commands,
    snapshot: Option<Res<Snapshot>>,
    layout: Res<MapLayout>,
    shapes: Option<Res<MarkerShapes>>,
    mut markers: Query<(Entity, &mut FleetMarker, &mut Transform)>,
    mut labels: Query<&mut Text2d>,
    mut materials: Option<ResMut<Assets<ColorMaterial>>>,
    mut paints: Local<Paints>,
) {
    let Some(snapshot) = snapshot else { return };
    if !snapshot.is_changed() && !layout.is_changed() {
        return;
    }
    let mut existing: std::collections::BTreeMap<FleetId, Entity> =
        markers.iter().map(|(e, m, _)| (m.fleet, e)).collect();
    let mut material = |c: Color| {
        materials
            .as_mut()
            .map_or_else(Handle::default, |m| m.add(c))
    };
    let (disc, rim) = shapes
        .as_ref()
        .map_or_else(Default::default, |s| (s.disc.clone(), s.rim.clone()));
    let dark = paints
        .rim
        .get_or_insert_with(|| material(Color::srgb(0.05, 0.05, 0.08)))
        .clone();
    for i in 0..snapshot.state.sectors.len() {
        let sector = SectorId::from_index(i);
        let here: Vec<_> = snapshot.fleets_at(sector).collect();
        for (k, f) in here.iter().enumerate() {
            let home = slot(layout.centre(sector), k, here.len());
            if let Some(&entity) = existing.get(&f.id)
                && let Ok((_, mut marker, mut transform)) = markers.get_mut(entity)
                && marker.look == (f.owner, f.commander)
            {
                existing.remove(&f.id);
                marker.home = home;
                transform.translation = home.extend(transform.translation.z);
                if marker.strength != f.strength {
                    marker.strength = f.strength;
                    if let Ok(mut text) = labels.get_mut(marker.label) {
                        text.0 = f.strength.to_string();
                    }
                }
                continue;
            }
            let colour = paints
                .owners
                .entry(f.owner)
                .or_insert_with(|| material(snapshot.faction_colour(f.owner)))
                .clone();
            let commander = f
                .commander
                .and_then(|c| snapshot.state.characters.get(c.index()))
                .map(|c| c.name.split_whitespace().last().unwrap_or("").to_owned());
            let parent = commands
                .spawn((
                    Mesh2d(rim.clone()),
                    MeshMaterial2d(dark.clone()),
                    Transform::from_translation(home.extend(10.0)),
                    DespawnOnEnter(Screen::Menu),
                ))
                .id();
            commands.spawn((
                Mesh2d(disc.clone()),
                MeshMaterial2d(colour),
                Transform::from_xyz(0.0, 0.0, 0.1),
                ChildOf(parent),
            ));
            let label = commands
                .spawn((
                    Text2d::new(f.strength.to_string()),
                    TextFont {
                        font_size: FontSize::Px(10.0),
                        ..default()
                    },
                    TextColor(Color::WHITE),
                    Transform::from_xyz(0.0, 0.0, 0.3),
                    ChildOf(parent),
                ))
                .id();
            if let Some(name) = commander {
                commands.spawn((
                    Text2d::new(name),
                    TextFont {
                        font_size: FontSize::Px(8.0),
                        ..default()
                    },
                    TextColor(Color::srgb(1.0, 0.95, 0.7)),
                    Transform::from_xyz(0.0, -15.0, 0.3),
                    ChildOf(parent),
                ));
            }
            commands.entity(parent).insert(FleetMarker {
                fleet: f.id,
                home,
                strength: f.strength,
                look: (f.owner, f.commander),
                label,
            });
        }
    }
    for (_, gone) in existing {
        commands.entity(gone).despawn();
    }
}

/// The selected fleet ringed; the routes of this turn's moves; the route being aimed.
fn draw_routes(
    mut gizmos: Gizmos,
    snapshot: Option<Res<Snapshot>>,
    layout: Res<MapLayout>,
    selection: Res<Selection>,
    playing: Option<Res<Playing>>,
    markers: Query<(&FleetMarker, &Transform)>,
) {
    let (Some(snapshot), Some(playing)) = (snapshot, playing) else {
        return;
    };
    let position = |fleet: FleetId| {
        markers
            .iter()
            .find(|(m, _)| m.fleet == fleet)
            .map(|(_, t)| t.translation.truncate())
    };
    if let Some(fleet) = selection.fleet
        && let Some(at) = position(fleet)
    {
        gizmos.circle_2d(at, 14.0, Color::WHITE);
        gizmos.circle_2d(at, 15.5, Color::BLACK);
    }
    if let (Some(seat), Some(driver)) = (playing.seat_at_hand(), playing.driver()) {
        for order in driver.orders(seat) {
            if let Order::Move { fleet, route } = order
                && let Some(f) = snapshot.fleet(*fleet)
            {
                let points = std::iter::once(layout.centre(f.sector))
                    .chain(route.iter().map(|&s| layout.centre(s)));
                gizmos.linestrip_2d(points, Color::srgb(0.6, 1.0, 0.6));
            }
        }
    }
    if let (Some(fleet), Some((target, aim))) = (selection.fleet, &selection.aim)
        && let Some(f) = snapshot.fleet(fleet)
    {
        match aim {
            Ok(preview) => {
                let points = std::iter::once(layout.centre(f.sector))
                    .chain(preview.path.iter().map(|&s| layout.centre(s)));
                gizmos.linestrip_2d(points, Color::srgb(1.0, 1.0, 0.3));
                for &s in &preview.path {
                    gizmos.circle_2d(layout.centre(s), 4.0, Color::srgb(1.0, 1.0, 0.3));
                }
            }
            Err(_) => {
                let c = layout.centre(*target);
                gizmos.line_2d(
                    c + Vec2::splat(-10.0),
                    c + Vec2::splat(10.0),
                    Color::srgb(1.0, 0.3, 0.3),
                );
                gizmos.line_2d(
                    c + Vec2::new(-10.0, 10.0),
                    c + Vec2::new(10.0, -10.0),
                    Color::srgb(1.0, 0.3, 0.3),
                );
            }
        }
    }
}

/// "2 turns" beside the sector aimed at.
fn aim_label(
    mut commands: Commands,
    selection: Res<Selection>,
    layout: Res<MapLayout>,
    label: Query<Entity, With<AimLabel>>,
) {
    if !selection.is_changed() {
        return;
    }
    for e in &label {
        commands.entity(e).despawn();
    }
    let Some((target, Ok(preview))) = &selection.aim else {
        return;
    };
    let turns = preview.turns;
    commands.spawn((
        AimLabel,
        Text2d::new(format!(
            "{turns} turn{} — right-click again or Space to order",
            if turns == 1 { "" } else { "s" }
        )),
        TextFont {
            font_size: FontSize::Px(12.0),
            ..default()
        },
        TextColor(Color::srgb(1.0, 1.0, 0.4)),
        Transform::from_translation((layout.centre(*target) + Vec2::new(0.0, -30.0)).extend(20.0)),
        DespawnOnEnter(Screen::Menu),
    ));
}
