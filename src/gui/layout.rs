//! Where every sector lies on the screen's plane: the hex tilemap's geometry and each
//! sector's tile and centre. The map's files give axial `(q, r)` coordinates on a pointy-top
//! grid with `r` growing downward; the tilemap's `Row` hexagons grow upward, so a sector at
//! `(q, r)` is the tile `(q + r, -r)`, shifted so that the smallest is `(0, 0)` — the same
//! neighbours, the same picture.

use bevy::prelude::*;
use bevy_ecs_tilemap::prelude::*;

use crate::core::ids::SectorId;
use crate::core::state::WorldState;

use super::snapshot::Snapshot;

/// A hex tile's size on screen, in world units: a pointy-top hexagon `sqrt(3)` wide for 2 high.
pub const TILE: TilemapTileSize = TilemapTileSize { x: 56.0, y: 64.0 };

/// The map's geometry.
#[derive(Resource, Clone, Debug)]
pub struct MapLayout {
    /// The map's id and sector count, to know when a chapter brings another map.
    pub map: (usize, Vec<(i32, i32)>),
    /// The tilemap's size in tiles.
    pub size: TilemapSize,
    /// Each sector's tile, by sector id.
    pub tiles: Vec<TilePos>,
    /// Each sector's centre, by sector id.
    pub centres: Vec<Vec2>,
    /// The sector at each tile, `x + y * size.x`.
    at: Vec<Option<SectorId>>,
    /// The corner of the smallest and of the largest centre.
    pub bounds: Rect,
}

impl MapLayout {
    /// The layout of a world's map.
    pub fn of(state: &WorldState) -> Self {
        let axial: Vec<(i32, i32)> = state
            .sectors
            .iter()
            .map(|s| (s.place.hex.x, s.place.hex.y))
            .collect();
        let tile = |&(q, r): &(i32, i32)| (q + r, -r);
        let (min_x, min_y) = axial
            .iter()
            .map(tile)
            .fold((i32::MAX, i32::MAX), |a, t| (a.0.min(t.0), a.1.min(t.1)));
        let (max_x, max_y) = axial
            .iter()
            .map(tile)
            .fold((i32::MIN, i32::MIN), |a, t| (a.0.max(t.0), a.1.max(t.1)));
        let size = if axial.is_empty() {
            TilemapSize { x: 1, y: 1 }
        } else {
            TilemapSize {
                x: (max_x - min_x + 1) as u32,
                y: (max_y - min_y + 1) as u32,
            }
        };
        let tiles: Vec<TilePos> = axial
            .iter()
            .map(|a| {
                let (x, y) = tile(a);
                TilePos {
                    x: (x - min_x) as u32,
                    y: (y - min_y) as u32,
                }
            })
            .collect();
        let mut at = vec![None; (size.x * size.y) as usize];
        for (i, t) in tiles.iter().enumerate() {
            at[(t.x + t.y * size.x) as usize] = Some(SectorId::from_index(i));
        }
        let mut layout = Self {
            map: (state.sectors.len(), axial),
            size,
            tiles,
            centres: Vec::new(),
            at,
            bounds: Rect::default(),
        };
        layout.centres = layout.tiles.iter().map(|t| layout.centre_of(t)).collect();
        layout.bounds = layout
            .centres
            .iter()
            .fold(Rect::EMPTY, |r, c| r.union_point(*c));
        layout
    }

    /// The grid's size, the same as the tile's so that tiles meet edge to edge.
    pub fn grid(&self) -> TilemapGridSize {
        TilemapGridSize {
            x: TILE.x,
            y: TILE.y,
        }
    }

    /// The tilemap's kind: pointy-top hexagons in axial coordinates.
    pub fn map_type(&self) -> TilemapType {
        TilemapType::Hexagon(HexCoordSystem::Row)
    }

    fn centre_of(&self, tile: &TilePos) -> Vec2 {
        tile.center_in_world(
            &self.size,
            &self.grid(),
            &TILE,
            &self.map_type(),
            &TilemapAnchor::Center,
        )
    }

    /// The sector under a point of the world, if any.
    pub fn sector_at(&self, point: Vec2) -> Option<SectorId> {
        let tile = TilePos::from_world_pos(
            &point,
            &self.size,
            &self.grid(),
            &TILE,
            &self.map_type(),
            &TilemapAnchor::Center,
        )?;
        self.at
            .get((tile.x + tile.y * self.size.x) as usize)
            .copied()
            .flatten()
    }

    /// A sector's centre.
    pub fn centre(&self, sector: SectorId) -> Vec2 {
        self.centres
            .get(sector.index())
            .copied()
            .unwrap_or_default()
    }

    /// The six corners of a sector's hexagon, counter-clockwise from the right of its top.
    pub fn corners(&self, sector: SectorId) -> [Vec2; 6] {
        let c = self.centre(sector);
        let r = TILE.y / 2.0;
        std::array::from_fn(|k| {
            let angle = std::f32::consts::FRAC_PI_6 + std::f32::consts::FRAC_PI_3 * k as f32;
            c + r * Vec2::new(angle.cos(), angle.sin())
        })
    }

    /// Whether this layout is of the map in `state`.
    pub fn fits(&self, state: &WorldState) -> bool {
        self.map.0 == state.sectors.len()
            && self
                .map
                .1
                .iter()
                .zip(&state.sectors)
                .all(|(a, s)| *a == (s.place.hex.x, s.place.hex.y))
    }
}

/// Lays the map out again when a snapshot shows another map than the last.
pub(super) fn refresh(
    mut commands: Commands,
    snapshot: Option<Res<Snapshot>>,
    layout: Option<Res<MapLayout>>,
) {
    let Some(snapshot) = snapshot else { return };
    if !snapshot.is_changed() || layout.is_some_and(|l| l.fits(&snapshot.state)) {
        return;
    }
    commands.insert_resource(MapLayout::of(&snapshot.state));
}
