//! The map: sectors as hex tiles coloured by their owner (bevy_ecs_tilemap), sector-block
//! borders and names (placed so that none covers another), cease-fire blocks marked and each
//! pair of factions bound named once, links drawn (open ones solid, closed ones faint),
//! capitals, shipyards and alliance headquarters; the camera (drag or arrow keys to pan, the
//! wheel to zoom); and the mouse and keys turned into [`Command`]s: a left click selects, a
//! right click aims the selected fleet and a second one gives the move.

use bevy::asset::RenderAssetUsages;
use bevy::input::mouse::{AccumulatedMouseMotion, AccumulatedMouseScroll};
use bevy::prelude::*;
use bevy::render::render_resource::{Extent3d, TextureDimension, TextureFormat};
use bevy::window::PrimaryWindow;
use bevy_ecs_tilemap::prelude::*;
use bevy_egui::input::EguiWantsInput;

use crate::core::ids::{FactionId, SectorId};

use super::command::Command;
use super::layout::{MapLayout, TILE};
use super::playing::{Phase, Playing};
use super::snapshot::Snapshot;
use super::{GuiSystems, Screen};

/// The colour of a sector no power holds.
pub const UNHELD: Color = Color::srgb(0.22, 0.24, 0.28);
/// Block borders.
const BORDER: Color = Color::srgba(0.95, 0.95, 0.95, 0.8);
/// Blocks where a cease-fire holds.
pub(super) const CEASEFIRE: Color = Color::srgb(0.3, 1.0, 1.0);

/// The tile of every sector, by sector id, and the tilemap they belong to.
#[derive(Resource)]
pub(super) struct MapTiles {
    tilemap: Entity,
    tiles: Vec<Entity>,
    /// The generation of the snapshot the colours were last set from.
    coloured: Option<u64>,
}

/// Where the pointer is on the map, and the sector under it.
#[derive(Resource, Default, Debug, Clone, Copy, PartialEq)]
pub(super) struct Pointer {
    /// The pointer in world coordinates, when it is over the map (not over a panel).
    pub world: Option<Vec2>,
    /// The pointer in the window's logical pixels.
    pub screen: Option<Vec2>,
    /// The sector under it.
    pub sector: Option<SectorId>,
}

/// The rectangles the panels cover this frame, in logical pixels: clicks there are not the
/// map's.
#[derive(Resource, Default, Debug, Clone)]
pub(super) struct UiCover(pub Vec<Rect>);

/// The map's camera.
#[derive(Component)]
pub(super) struct MapCamera;

/// Something drawn from the snapshot, redrawn when it changes.
#[derive(Component)]
struct Overlay;

/// A sector's name on the map, shown only when the map is zoomed in enough to read it.
#[derive(Component)]
struct SectorName;

pub(super) fn plugin(app: &mut App) {
    cpu(app);
    app.add_systems(Startup, spawn_camera).add_systems(
        Update,
        (draw_overlays, fit_camera)
            .chain()
            .after(colour_tiles)
            .before(show_names)
            .in_set(GuiSystems::Draw)
            .run_if(resource_exists::<MapLayout>),
    );
}

/// The map's systems that need no renderer: the mouse and the camera, the tiles and their
/// colours. The window adds the drawing to them; the frame benchmark runs them alone.
pub(super) fn cpu(app: &mut App) {
    app.init_resource::<Pointer>()
        .init_resource::<UiCover>()
        .add_systems(
            Update,
            (
                (pan_and_zoom, point, click.run_if(in_state(Screen::Game)))
                    .chain()
                    .in_set(GuiSystems::Input)
                    .run_if(on_map),
                (spawn_tiles, colour_tiles, show_names)
                    .chain()
                    .in_set(GuiSystems::Draw)
                    .run_if(resource_exists::<MapLayout>),
            ),
        )
        .add_systems(OnEnter(Screen::Menu), despawn_map);
}

/// Whether the map is on screen: a game, or a replay shown.
pub(super) fn on_map(screen: Res<State<Screen>>) -> bool {
    matches!(screen.get(), Screen::Game | Screen::Viewer)
}

fn spawn_camera(mut commands: Commands) {
    commands.spawn((Camera2d, MapCamera));
}

/// A white pointy-top hexagon, a little inset so that neighbouring tiles show a dark seam.
fn hex_image() -> Image {
    let (w, h) = (TILE.x as u32, TILE.y as u32);
    let mut data = vec![0u8; (w * h * 4) as usize];
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let r = h as f32 / 2.0 - 1.5;
    for y in 0..h {
        for x in 0..w {
            let (dx, dy) = ((x as f32 + 0.5 - cx).abs(), (y as f32 + 0.5 - cy).abs());
            // Inside a pointy-top hexagon of circumradius r.
            let inside = dx <= r * 0.866 && dx * 0.5 + dy * 0.866 <= r * 0.866;
            if inside {
                let i = ((y * w + x) * 4) as usize;
                data[i..i + 4].copy_from_slice(&[255, 255, 255, 255]);
            }
        }
    }
    Image::new(
        Extent3d {
            width: w,
            height: h,
            depth_or_array_layers: 1,
        },
        TextureDimension::D2,
        data,
        TextureFormat::Rgba8UnormSrgb,
        RenderAssetUsages::RENDER_WORLD,
    )
}

/// Spawns the tilemap when a layout is new.
fn spawn_tiles(
    mut commands: Commands,
    layout: Res<MapLayout>,
    tiles: Option<Res<MapTiles>>,
    mut images: Option<ResMut<Assets<Image>>>,
) {
    if tiles.is_some() && !layout.is_changed() {
        return;
    }
    if let Some(old) = tiles {
        commands.entity(old.tilemap).despawn();
        for &t in &old.tiles {
            commands.entity(t).despawn();
        }
    }
    let texture = images
        .as_mut()
        .map(|images| images.add(hex_image()))
        .unwrap_or_default();
    let tilemap = commands.spawn_empty().id();
    let mut storage = TileStorage::empty(layout.size);
    let entities: Vec<Entity> = layout
        .tiles
        .iter()
        .map(|&position| {
            let tile = commands
                .spawn(TileBundle {
                    position,
                    tilemap_id: TilemapId(tilemap),
                    color: TileColor(UNHELD),
                    ..default()
                })
                .id();
            storage.set(&position, tile);
            tile
        })
        .collect();
    commands.entity(tilemap).insert(TilemapBundle {
        grid_size: layout.grid(),
        size: layout.size,
        storage,
        texture: TilemapTexture::Single(texture),
        tile_size: TILE,
        map_type: layout.map_type(),
        anchor: TilemapAnchor::Center,
        ..default()
    });
    commands.insert_resource(MapTiles {
        tilemap,
        tiles: entities,
        coloured: None,
    });
}

/// Colours every tile by its owner when the snapshot changes.
fn colour_tiles(
    snapshot: Option<Res<Snapshot>>,
    map: Option<ResMut<MapTiles>>,
    mut tiles: Query<&mut TileColor>,
) {
    let (Some(snapshot), Some(mut map)) = (snapshot, map) else {
        return;
    };
    if map.coloured == Some(snapshot.generation) || map.tiles.len() != snapshot.state.sectors.len()
    {
        return;
    }
    for (i, &tile) in map.tiles.iter().enumerate() {
        let wanted = snapshot.sector_colour(SectorId::from_index(i));
        // Only the tiles that change colour are touched, so only their chunks are redrawn.
        if let Ok(mut colour) = tiles.get_mut(tile)
            && colour.0 != wanted
        {
            colour.0 = wanted;
        }
    }
    map.coloured = Some(snapshot.generation);
}

/// Where a capital's mark and a shipyard's mark sit, from the sector's middle.
pub const CAPITAL: Vec2 = Vec2::new(17.0, -17.0);
/// See [`CAPITAL`].
pub const SHIPYARD: Vec2 = Vec2::new(-17.0, -17.0);

/// The assets the marks of capitals and shipyards are made of.
#[derive(bevy::ecs::system::SystemParam)]
struct Marks<'w> {
    meshes: ResMut<'w, Assets<Mesh>>,
    materials: ResMut<'w, Assets<ColorMaterial>>,
}

/// Borders, links, markers and labels, drawn again whenever the snapshot changes.
fn draw_overlays(
    mut commands: Commands,
    snapshot: Option<Res<Snapshot>>,
    layout: Res<MapLayout>,
    old: Query<Entity, With<Overlay>>,
    mut gizmos: Option<ResMut<Assets<GizmoAsset>>>,
    mut marks: Option<Marks>,
) {
    let Some(snapshot) = snapshot else { return };
    if !snapshot.is_changed() && !layout.is_changed() {
        return;
    }
    let Some(gizmo_assets) = gizmos.as_mut() else {
        return;
    };
    for e in &old {
        commands.entity(e).despawn();
    }
    let state = &snapshot.state;
    let truces = snapshot.ceasefires();
    let mut lines = GizmoAsset::default();
    let mut marked = GizmoAsset::default();
    // Block borders: every hex edge between two blocks, or at the map's edge.
    let block_of = |s: SectorId| state.sectors[s.index()].place.block;
    for i in 0..state.sectors.len() {
        let s = SectorId::from_index(i);
        let corners = layout.corners(s);
        let centre = layout.centre(s);
        for k in 0..6 {
            let (a, b) = (corners[k], corners[(k + 1) % 6]);
            let across = centre + (a + b - 2.0 * centre) * 0.98;
            let other = layout.sector_at(across);
            if other.is_some_and(|o| block_of(o) == block_of(s)) {
                continue;
            }
            let truce = truces.iter().any(|(blk, _)| *blk == block_of(s));
            if truce {
                marked.line_2d(a, b, CEASEFIRE);
            } else {
                lines.line_2d(a, b, BORDER);
            }
        }
    }
    // Links: gateways, wormholes, conduits; closed ones faint.
    for link in &state.links {
        let (a, b) = (layout.centre(link.ends[0]), layout.centre(link.ends[1]));
        let colour = if link.open {
            Color::srgb(1.0, 0.85, 0.3)
        } else {
            Color::srgba(0.6, 0.6, 0.6, 0.35)
        };
        lines.line_2d(a, b, colour);
        lines.circle_2d(a, 6.0, colour);
        lines.circle_2d(b, 6.0, colour);
    }
    // Capitals (a white disc in a ring, below right of the middle), shipyards (a white square,
    // below left), alliance headquarters (a gold triangle, above).
    if let Some(marks) = marks.as_mut() {
        let white = marks.materials.add(Color::WHITE);
        let disc = marks.meshes.add(Circle::new(3.5));
        let square = marks.meshes.add(Rectangle::new(7.0, 7.0));
        for (i, s) in state.sectors.iter().enumerate() {
            if s.shipyard {
                let c = layout.centre(SectorId::from_index(i)) + SHIPYARD;
                commands.spawn((
                    Mesh2d(square.clone()),
                    MeshMaterial2d(white.clone()),
                    Transform::from_translation(c.extend(3.0)),
                    Overlay,
                    DespawnOnEnter(Screen::Menu),
                ));
            }
        }
        for f in state.factions.iter().filter(|f| f.defeated.is_none()) {
            if let Some(capital) = f.capital {
                let c = layout.centre(capital) + CAPITAL;
                lines.circle_2d(c, 6.0, Color::WHITE);
                commands.spawn((
                    Mesh2d(disc.clone()),
                    MeshMaterial2d(white.clone()),
                    Transform::from_translation(c.extend(3.0)),
                    Overlay,
                    DespawnOnEnter(Screen::Menu),
                ));
            }
        }
    }
    for a in state
        .diplomacy
        .alliances
        .iter()
        .filter(|a| a.dissolved.is_none())
    {
        if let Some(hq) = a.hq {
            let c = layout.centre(hq) + Vec2::new(0.0, 20.0);
            lines.linestrip_2d(
                [
                    c + Vec2::new(-6.0, -4.0),
                    c + Vec2::new(6.0, -4.0),
                    c + Vec2::new(0.0, 6.0),
                    c + Vec2::new(-6.0, -4.0),
                ],
                Color::srgb(1.0, 0.9, 0.4),
            );
        }
    }
    commands.spawn((
        Gizmo {
            handle: gizmo_assets.add(lines),
            line_config: GizmoLineConfig {
                width: 1.5,
                ..default()
            },
            ..default()
        },
        Transform::from_xyz(0.0, 0.0, 1.0),
        Overlay,
        DespawnOnEnter(Screen::Menu),
    ));
    commands.spawn((
        Gizmo {
            handle: gizmo_assets.add(marked),
            line_config: GizmoLineConfig {
                width: 3.5,
                ..default()
            },
            ..default()
        },
        Transform::from_xyz(0.0, 0.0, 1.1),
        Overlay,
        DespawnOnEnter(Screen::Menu),
    ));
    // Block names at each block's middle.
    let mut sums: Vec<(Vec2, u32)> = vec![(Vec2::ZERO, 0); state.blocks.len()];
    for i in 0..state.sectors.len() {
        let b = block_of(SectorId::from_index(i)).index();
        sums[b].0 += layout.centre(SectorId::from_index(i));
        sums[b].1 += 1;
    }
    let few = state.sectors.len() <= 400;
    let blocks: Vec<(Vec2, u32, &str)> = sums
        .iter()
        .zip(&state.blocks)
        .map(|(&(sum, n), block)| (sum / n.max(1) as f32, n, block.name.as_str()))
        .collect();
    let labels = block_labels(&blocks, truces, few, |f| {
        snapshot.faction_name(f).to_owned()
    });
    for label in labels {
        let colour = if truces.iter().any(|(x, _)| x.index() == label.block) {
            CEASEFIRE
        } else {
            Color::srgba(1.0, 1.0, 1.0, 0.9)
        };
        for (offset, colour, z) in [
            (Vec2::new(1.2, -1.2), Color::srgba(0.0, 0.0, 0.0, 0.9), 5.0),
            (Vec2::ZERO, colour, 5.1),
        ] {
            commands.spawn((
                Text2d::new(label.text.clone()),
                TextFont {
                    font_size: FontSize::Px(BLOCK_FONT),
                    ..default()
                },
                TextColor(colour),
                Transform::from_translation((Vec2::from(label.at) + offset).extend(z)),
                Overlay,
                DespawnOnEnter(Screen::Menu),
            ));
        }
    }
    if few {
        for (i, s) in state.sectors.iter().enumerate() {
            let c = layout.centre(SectorId::from_index(i));
            commands.spawn((
                Text2d::new(s.place.name.to_string()),
                TextFont {
                    font_size: FontSize::Px(10.0),
                    ..default()
                },
                TextColor(Color::srgba(0.0, 0.0, 0.0, 0.9)),
                Transform::from_translation((c + Vec2::new(0.0, 17.0)).extend(4.0)),
                Visibility::Hidden,
                SectorName,
                Overlay,
                DespawnOnEnter(Screen::Menu),
            ));
        }
    }
}

/// The size of the blocks' names.
const BLOCK_FONT: f32 = 15.0;

/// The blocks' names, each block given as (its middle, its sectors, its name), with the
/// cease-fires per block, laid out by [`crate::labels::name_blocks`]: a name that would cover
/// one already there moves below its block's middle or further off, and gives way where it
/// cannot (as in the map picture). Each pair's cease-fire is named once, under the largest of
/// its blocks, where few blocks have one; its other blocks say only "cease-fire". On a large
/// map (`few` false) only blocks of 20 sectors or more are named.
fn block_labels(
    blocks: &[(Vec2, u32, &str)],
    truces: &[(crate::core::ids::BlockId, Vec<(FactionId, FactionId)>)],
    few: bool,
    faction_name: impl Fn(FactionId) -> String,
) -> Vec<crate::labels::Named<String>> {
    let truce_of = |b: usize| truces.iter().find(|(x, _)| x.index() == b);
    // Where many blocks have one, no pair is named: the tooltip and the panels say who is
    // bound.
    let to_name: Vec<(u32, &[(FactionId, FactionId)])> = blocks
        .iter()
        .enumerate()
        .map(|(b, &(_, n, _))| {
            let pairs = truce_of(b)
                .filter(|_| truces.len() <= 2)
                .map_or(&[][..], |(_, p)| p.as_slice());
            (n, pairs)
        })
        .collect();
    let min_sectors = if few { 1 } else { 20 };
    crate::labels::name_blocks(&to_name, min_sectors, |b, pairs| {
        let (middle, _, name) = blocks[b];
        let mut text = vec![name.to_owned()];
        match pairs {
            Some([]) if truce_of(b).is_some() => text.push("cease-fire".to_owned()),
            Some(pairs) => {
                text.extend(pairs.iter().map(|(x, y)| {
                    format!("cease-fire: {} / {}", faction_name(*x), faction_name(*y))
                }))
            }
            None => {}
        }
        // The font (Bevy's own, Fira Mono) is monospaced: each character advances 0.6 of its
        // size.
        let wide = text.iter().map(|l| l.chars().count()).max().unwrap_or(0) as f32;
        let size = (
            wide * BLOCK_FONT * 0.6 + 6.0,
            text.len() as f32 * BLOCK_FONT * 1.2,
        );
        let label = crate::labels::Label {
            at: (middle + Vec2::new(0.0, 26.0)).into(),
            size,
            instead: [-26.0, 60.0, -60.0]
                .into_iter()
                .map(|dy| (middle + Vec2::new(0.0, dy)).into())
                .collect(),
        };
        (label, text.join("\n"))
    })
}

/// Frames the whole map when a new layout comes.
fn fit_camera(
    layout: Res<MapLayout>,
    screen: Res<State<Screen>>,
    window: Option<Single<&Window, With<PrimaryWindow>>>,
    mut camera: Query<(&mut Transform, &mut Projection), With<MapCamera>>,
) {
    if !layout.is_changed() && !screen.is_changed() {
        return;
    }
    let Some(window) = window else { return };
    let Ok((mut transform, mut projection)) = camera.single_mut() else {
        return;
    };
    let Projection::Orthographic(ortho) = &mut *projection else {
        return;
    };
    // The room the panels leave: the left panel, the top bar and the log (the viewer has a
    // taller top bar and no log).
    let (left, top, bottom) = match screen.get() {
        Screen::Viewer => VIEWER_PANELS,
        _ => PANELS,
    };
    let room = Vec2::new(
        (window.width() - left).max(200.0),
        (window.height() - top - bottom).max(200.0),
    ) * 0.94;
    let span = layout.bounds.size() + Vec2::new(TILE.x, TILE.y);
    ortho.scale = (span.x / room.x).max(span.y / room.y).max(0.2);
    // Put the map's middle in the middle of that room.
    let room_centre = Vec2::new(
        left + (window.width() - left) / 2.0,
        top + (window.height() - top - bottom) / 2.0,
    );
    let off = room_centre - Vec2::new(window.width(), window.height()) / 2.0;
    let centre = layout.bounds.center() - Vec2::new(off.x, -off.y) * ortho.scale;
    transform.translation = centre.extend(transform.translation.z);
}

/// The space the game screen's panels take by default: left, top, bottom, in logical pixels.
pub(super) const PANELS: (f32, f32, f32) = (330.0, 26.0, 170.0);

/// The space the viewer's panels take: left, top, bottom.
pub(super) const VIEWER_PANELS: (f32, f32, f32) = (330.0, 84.0, 0.0);

/// Sector names show when a sector is large enough on the screen to carry one.
fn show_names(
    camera: Query<Ref<Projection>, With<MapCamera>>,
    mut names: Query<&mut Visibility, With<SectorName>>,
    fresh: Query<(), Added<SectorName>>,
) {
    let Ok(projection) = camera.single() else {
        return;
    };
    if !projection.is_changed() && fresh.is_empty() {
        return;
    }
    let Projection::Orthographic(ortho) = &*projection else {
        return;
    };
    let shown = if ortho.scale < 0.8 {
        Visibility::Inherited
    } else {
        Visibility::Hidden
    };
    for mut v in &mut names {
        v.set_if_neq(shown);
    }
}

/// Drag with the left or middle button, or the arrow keys, to pan; the wheel zooms.
#[expect(
    clippy::too_many_arguments,
    reason = "panning reads the mouse, the keys, the wheel, the clock and where egui is"
)]
fn pan_and_zoom(
    mouse: Res<ButtonInput<MouseButton>>,
    keys: Res<ButtonInput<KeyCode>>,
    motion: Res<AccumulatedMouseMotion>,
    scroll: Res<AccumulatedMouseScroll>,
    time: Res<Time>,
    wants: Option<Res<EguiWantsInput>>,
    pointer: Res<Pointer>,
    mut camera: Query<(&mut Transform, &mut Projection), With<MapCamera>>,
) {
    let Ok((mut transform, mut projection)) = camera.single_mut() else {
        return;
    };
    let Projection::Orthographic(ortho) = &mut *projection else {
        return;
    };
    let egui_pointer = wants.as_ref().is_some_and(|w| w.wants_pointer_input());
    let egui_keys = wants.as_ref().is_some_and(|w| w.wants_keyboard_input());
    if (mouse.pressed(MouseButton::Left) || mouse.pressed(MouseButton::Middle))
        && pointer.world.is_some()
        && !egui_pointer
    {
        let d = motion.delta;
        transform.translation.x -= d.x * ortho.scale;
        transform.translation.y += d.y * ortho.scale;
    }
    if !egui_keys {
        let mut dir = Vec2::ZERO;
        for (key, v) in [
            (KeyCode::ArrowLeft, Vec2::NEG_X),
            (KeyCode::ArrowRight, Vec2::X),
            (KeyCode::ArrowUp, Vec2::Y),
            (KeyCode::ArrowDown, Vec2::NEG_Y),
        ] {
            if keys.pressed(key) {
                dir += v;
            }
        }
        transform.translation += (dir * 600.0 * ortho.scale * time.delta_secs()).extend(0.0);
    }
    if scroll.delta.y != 0.0 && pointer.world.is_some() && !egui_pointer {
        let factor = (1.0 - scroll.delta.y.clamp(-3.0, 3.0) * 0.1).clamp(0.5, 2.0);
        ortho.scale = (ortho.scale * factor).clamp(0.05, 200.0);
    }
}

/// Finds the sector under the pointer, unless a panel is there.
fn point(
    window: Option<Single<&Window, With<PrimaryWindow>>>,
    camera: Query<(&Camera, &GlobalTransform), With<MapCamera>>,
    layout: Option<Res<MapLayout>>,
    cover: Res<UiCover>,
    wants: Option<Res<EguiWantsInput>>,
    mut pointer: ResMut<Pointer>,
) {
    let Some(window) = window else {
        return;
    };
    let mut now = Pointer::default();
    if let (Ok((camera, at)), Some(layout)) = (camera.single(), layout)
        && let Some(cursor) = window.cursor_position()
    {
        now.screen = Some(cursor);
        let over_ui = cover.0.iter().any(|r| r.contains(cursor))
            || wants.as_ref().is_some_and(|w| w.is_pointer_over_area());
        if !over_ui && let Ok(world) = camera.viewport_to_world_2d(at, cursor) {
            now.world = Some(world);
            now.sector = layout.sector_at(world);
        }
    }
    pointer.set_if_neq(now);
}

/// A click without a drag: left selects, right aims (and a second right click gives the move).
fn click(
    mouse: Res<ButtonInput<MouseButton>>,
    motion: Res<AccumulatedMouseMotion>,
    pointer: Res<Pointer>,
    playing: Option<Res<Playing>>,
    mut dragged: Local<f32>,
    mut out: MessageWriter<Command>,
) {
    if mouse.pressed(MouseButton::Left) {
        *dragged += motion.delta.length();
    }
    let dragging = *dragged > 6.0;
    if mouse.just_released(MouseButton::Left) {
        *dragged = 0.0;
    }
    let ordering = playing.is_some_and(|p| matches!(p.phase, Phase::Orders(_)));
    let Some(sector) = pointer.sector else { return };
    if mouse.just_released(MouseButton::Left) && !dragging {
        out.write(Command::ClickSector(sector));
    }
    if mouse.just_pressed(MouseButton::Right) && ordering {
        out.write(Command::Aim(sector));
    }
}

fn despawn_map(mut commands: Commands, tiles: Option<Res<MapTiles>>) {
    if let Some(tiles) = tiles {
        commands.entity(tiles.tilemap).despawn();
        for &t in &tiles.tiles {
            commands.entity(t).despawn();
        }
        commands.remove_resource::<MapTiles>();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ids::BlockId;
    use crate::labels::Named;

    fn rect(l: &Named<String>) -> [f32; 4] {
        let ((x, y), (w, h)) = (l.at, l.size);
        [x - w / 2.0, y - h / 2.0, x + w / 2.0, y + h / 2.0]
    }

    #[test]
    fn block_names_on_a_crowded_map_never_overlap_and_each_cease_fire_is_named_once() {
        // Twenty blocks, their middles a little more than a hex apart: far closer than their
        // names are wide.
        let names: Vec<String> = (0..20)
            .map(|k| format!("Block {} {}", k, "x".repeat(k % 7 * 2)))
            .collect();
        let blocks: Vec<(Vec2, u32, &str)> = names
            .iter()
            .enumerate()
            .map(|(k, name)| {
                let at = Vec2::new((k % 5) as f32 * 60.0, (k / 5) as f32 * 50.0);
                (at, 1 + (k % 4) as u32, name.as_str())
            })
            .collect();
        let pair = (FactionId(0), FactionId(1));
        let truces = vec![(BlockId(3), vec![pair]), (BlockId(7), vec![pair])];
        let labels = block_labels(&blocks, &truces, true, |f| format!("Power {}", f.0));
        assert!(
            labels.len() >= 12,
            "most blocks are named: {}",
            labels.len()
        );
        for (k, a) in labels.iter().enumerate() {
            for b in &labels[k + 1..] {
                let (a, b) = (rect(a), rect(b));
                let apart = a[2] <= b[0] || b[2] <= a[0] || a[3] <= b[1] || b[3] <= a[1];
                assert!(apart, "{a:?} and {b:?} overlap");
            }
        }
        let naming: Vec<&Named<String>> =
            labels.iter().filter(|l| !l.ceasefires.is_empty()).collect();
        assert_eq!(naming.len(), 1, "the pair is named once");
        assert_eq!(naming[0].ceasefires, vec![pair]);
        assert!(naming[0].text.contains("cease-fire: Power 0 / Power 1"));
        let under_ceasefire = |l: &&Named<String>| l.block == 3 || l.block == 7;
        assert!(labels.iter().filter(under_ceasefire).count() >= 1);
        // Where the pair is named, the block is one of its two.
        assert!(
            labels
                .iter()
                .filter(|l| l.text.contains("cease-fire"))
                .all(|l| l.text.starts_with("Block 3 ") || l.text.starts_with("Block 7 ")),
        );
    }

    #[test]
    fn on_a_large_map_only_large_blocks_are_named() {
        let blocks = [
            (Vec2::ZERO, 19, "small"),
            (Vec2::new(500.0, 0.0), 20, "large"),
        ];
        let labels = block_labels(&blocks, &[], false, |_| String::new());
        let texts: Vec<&str> = labels.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["large"]);
        let all = block_labels(&blocks, &[], true, |_| String::new());
        assert_eq!(all.len(), 2);
    }
}
