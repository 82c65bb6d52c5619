//! Sectors as entities: who owns them, what they produce, whether they build ships, and who
//! is occupying them on the way to taking them.

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

use super::ids::{FactionId, SectorId};

/// A sector of the map. Its fixed facts are in [`Galaxy`](super::galaxy::Galaxy).
#[derive(Component, Clone, Copy, Debug)]
pub struct Sector(pub SectorId);

/// Who holds the sector, if anyone.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Owner(pub Option<FactionId>);

/// What the sector yields its owner each turn.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Industry(pub u32);

/// The sector has a shipyard: its owner can build ships here.
#[derive(Component, Clone, Copy, Debug)]
pub struct Shipyard;

/// A hostile faction holds the sector uncontested; it changes hands once held long enough.
/// Kept in a sparse set: an occupation begun or ended leaves the sector's other components
/// where they lie, so the sectors' table stays in the order they were made.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[component(storage = "SparseSet")]
pub struct Occupation {
    /// The occupier.
    pub by: FactionId,
    /// The turn the occupation began.
    pub since: u32,
}

/// Sector entities by id.
#[derive(Resource, Clone, Debug, Default)]
pub struct SectorIndex(pub Vec<Entity>);

impl SectorIndex {
    /// The entity of a sector.
    #[inline]
    pub fn entity(&self, sector: SectorId) -> Entity {
        self.0[sector.index()]
    }
}
