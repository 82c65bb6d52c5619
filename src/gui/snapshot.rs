//! The world as the window draws it: one copy of the world's state, taken when the world
//! changes (a turn played, a chapter begun, a game loaded) rather than read every frame, with
//! the lookups the map and the panels need.

use bevy::prelude::*;

use crate::core::ids::{FactionId, FleetId, SectorId};
use crate::core::state::{FleetState, WorldState};

use super::playing::Playing;

/// The world the window shows.
#[derive(Resource, Clone, Debug)]
pub struct Snapshot {
    /// The world.
    pub state: WorldState,
    /// The generation of the game it was taken at (see [`Playing::generation`]).
    pub generation: u64,
    /// The chapter, from 0.
    pub chapter: usize,
    /// For each sector, the positions in `state.fleets` of the fleets in it, in id order.
    fleets_at: Vec<Vec<usize>>,
}

impl Snapshot {
    /// A snapshot of a world.
    pub fn new(state: WorldState, generation: u64, chapter: usize) -> Self {
        let mut fleets_at = vec![Vec::new(); state.sectors.len()];
        for (i, f) in state.fleets.iter().enumerate() {
            if let Some(list) = fleets_at.get_mut(f.sector.index()) {
                list.push(i);
            }
        }
        Self {
            state,
            generation,
            chapter,
            fleets_at,
        }
    }

    /// A living fleet.
    pub fn fleet(&self, id: FleetId) -> Option<&FleetState> {
        self.state
            .fleets
            .binary_search_by_key(&id, |f| f.id)
            .ok()
            .map(|i| &self.state.fleets[i])
    }

    /// The fleets in a sector, in id order.
    pub fn fleets_at(&self, sector: SectorId) -> impl Iterator<Item = &FleetState> + '_ {
        self.fleets_at
            .get(sector.index())
            .into_iter()
            .flatten()
            .map(|&i| &self.state.fleets[i])
    }

    /// The faction's fleet in the sector after `current` (the first if `current` is not
    /// there), so that clicking a sector again goes through the fleets in it.
    pub fn next_fleet_at(
        &self,
        sector: SectorId,
        owner: FactionId,
        current: Option<FleetId>,
    ) -> Option<FleetId> {
        let mine: Vec<FleetId> = self
            .fleets_at(sector)
            .filter(|f| f.owner == owner)
            .map(|f| f.id)
            .collect();
        let after = current
            .and_then(|c| mine.iter().position(|&f| f == c))
            .map_or(0, |i| i + 1);
        mine.get(after).or(mine.first()).copied()
    }

    /// A faction's name.
    pub fn faction_name(&self, id: FactionId) -> &str {
        self.state
            .factions
            .get(id.index())
            .map_or("?", |f| f.name.as_str())
    }

    /// A sector's name.
    pub fn sector_name(&self, id: SectorId) -> &str {
        self.state
            .sectors
            .get(id.index())
            .map_or("?", |s| &s.place.name)
    }
}

/// Takes a new snapshot when the game has changed since the last one.
pub(super) fn refresh(
    mut commands: Commands,
    playing: Option<Res<Playing>>,
    snapshot: Option<Res<Snapshot>>,
) {
    let Some(playing) = playing else { return };
    if snapshot.is_some_and(|s| s.generation == playing.generation) {
        return;
    }
    let Some(driver) = playing.driver() else {
        return;
    };
    commands.insert_resource(Snapshot::new(
        driver.game().state(),
        playing.generation,
        driver.session().chapter(),
    ));
}
