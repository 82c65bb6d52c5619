//! The world as the window draws it: one copy of the world's state, taken when the world
//! changes (a turn played, a chapter begun, a game loaded) rather than read every frame, with
//! the lookups the map and the panels need.

use bevy::prelude::*;

use crate::core::ids::{BlockId, FactionId, FleetId, SectorId};
use crate::core::scenario::Standing;
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
    /// The blocks where a cease-fire holds, with the pairs it binds.
    truces: Vec<(BlockId, Vec<(FactionId, FactionId)>)>,
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
        let truces = state.diplomacy.ceasefire_blocks();
        Self {
            state,
            generation,
            chapter,
            fleets_at,
            truces,
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

    /// A faction's colour on the map.
    pub fn faction_colour(&self, faction: FactionId) -> Color {
        self.state
            .factions
            .get(faction.index())
            .map_or(Color::srgb(0.5, 0.5, 0.5), |f| {
                Color::srgb_u8(f.colour[0], f.colour[1], f.colour[2])
            })
    }

    /// The colour a sector's tile shows, as in the map's picture: its owner's, darker while
    /// another power occupies it; grey when no one holds it, darker for a power outside the
    /// scenario.
    pub fn sector_colour(&self, sector: SectorId) -> Color {
        let [r, g, b] = crate::picture::sector_colour(&self.state, sector);
        Color::srgb_u8(r, g, b)
    }

    /// The blocks where a cease-fire holds, with the pairs of factions it binds there.
    pub fn ceasefires(&self) -> &[(BlockId, Vec<(FactionId, FactionId)>)] {
        &self.truces
    }

    /// A fleet in words: name, owner, strength, commander.
    pub fn fleet_line(&self, f: &FleetState) -> String {
        let commander = f
            .commander
            .and_then(|c| self.state.characters.get(c.index()))
            .map_or_else(String::new, |c| format!(", under {}", c.name));
        format!(
            "{} ({}), strength {}{commander}",
            f.name,
            self.faction_name(f.owner),
            f.strength
        )
    }

    /// What the tooltip of a sector says: its block, owner, industry, occupation, shipyard,
    /// the cease-fires that hold there and the fleets in it.
    pub fn describe(&self, sector: SectorId) -> Vec<String> {
        let state = &self.state;
        let s = &state.sectors[sector.index()];
        let block = &state.blocks[s.place.block.index()];
        let mut lines = vec![format!("{} — {}", s.place.name, block.name)];
        let owner = s.owner.map_or("no one", |o| self.faction_name(o));
        lines.push(format!("held by {owner}; industry {}", s.industry));
        if let Some(occ) = &s.occupation {
            lines.push(format!("occupied by {}", self.faction_name(occ.by)));
        }
        if s.shipyard {
            lines.push("shipyard".into());
        }
        for (blk, pairs) in self.ceasefires() {
            if *blk == s.place.block {
                for &(a, b) in pairs {
                    lines.push(format!(
                        "cease-fire here: {} and {}",
                        self.faction_name(a),
                        self.faction_name(b)
                    ));
                }
            }
        }
        for f in self.fleets_at(sector) {
            lines.push(self.fleet_line(f));
        }
        lines
    }

    /// Each objective of a faction and whether the world at the end meets it.
    pub fn objectives_met(&self, faction: FactionId) -> Vec<(usize, bool)> {
        let state = &self.state;
        let owners: Vec<Option<FactionId>> = state.sectors.iter().map(|s| s.owner).collect();
        let defeated: Vec<bool> = state
            .factions
            .iter()
            .map(|f| f.defeated.is_some())
            .collect();
        let block_of = |s: SectorId| state.sectors[s.index()].place.block;
        // The calendar has moved on past the last turn played: the date decided is the one before.
        let date = state
            .calendar
            .date_of(state.calendar.turn.saturating_sub(1).max(1));
        let occupiers: Vec<Option<FactionId>> = state
            .sectors
            .iter()
            .map(|s| s.occupation.map(|o| o.by))
            .collect();
        let standing = Standing {
            owners: &owners,
            occupiers: &occupiers,
            block_of: &block_of,
            defeated: &defeated,
            date,
            diplomacy: &state.diplomacy,
            flags: &state.script.flags,
        };
        state
            .scenario
            .goals
            .iter()
            .filter(|g| g.faction == faction)
            .flat_map(|g| g.objectives.iter().enumerate())
            .map(|(i, o)| (i, standing.met(faction, o)))
            .collect()
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
    playing: Option<ResMut<Playing>>,
    snapshot: Option<Res<Snapshot>>,
) {
    let Some(mut playing) = playing else { return };
    if snapshot.is_some_and(|s| s.generation == playing.generation) {
        return;
    }
    let Some(chapter) = playing.driver().map(|d| d.session().chapter()) else {
        return;
    };
    let state = match playing.take_fresh() {
        Some(state) => state,
        None => playing.driver().expect("the driver is here").game().state(),
    };
    commands.insert_resource(Snapshot::new(state, playing.generation, chapter));
}
