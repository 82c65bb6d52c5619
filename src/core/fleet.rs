//! Fleets as entities: who owns them, where they are, how strong and fast, who commands them,
//! and the standing order they carry out each turn until told otherwise.

use std::collections::BTreeMap;

use bevy::ecs::lifecycle::HookContext;
use bevy::ecs::world::DeferredWorld;
use bevy::prelude::*;
use serde::{Deserialize, Serialize};

use super::ids::{AllianceId, CharacterId, FactionId, FleetId, SectorId};

/// A fleet: its id and owner, all that most of a turn reads of it (its names are a
/// [`FleetName`] beside it, so that a pass over every fleet reads 8 bytes of each, not the
/// names' 48). Spawning or despawning one keeps [`FleetIndex`] and [`FleetRoll`] up to date.
/// A fleet always has a [`FleetName`]: it is spawned with one (one left out is empty).
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
#[component(on_add = index_fleet, on_remove = unindex_fleet)]
#[require(FleetName)]
pub struct Fleet {
    /// Its id.
    pub id: FleetId,
    /// The faction it belongs to.
    pub owner: FactionId,
}

/// What a fleet is called: in files and scripts, and by players.
#[derive(Component, Clone, Debug, Default, PartialEq, Eq)]
pub struct FleetName {
    /// The id used in files and scripts, e.g. `kdf_seventh`.
    pub key: String,
    /// The name players read, e.g. "Third Fleet".
    pub name: String,
}

/// Fighting power; the fleet is destroyed at zero.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Strength(pub u32);

/// Steps per turn over neighbours and open links.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Speed(pub u8);

/// The sector the fleet is in.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location(pub SectorId);

/// The character commanding the fleet.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Commander(pub CharacterId);

/// A joint command of an alliance the fleet serves in (Task Force Omega, ...). Fleets of one
/// joint command fight on one side and use each other's sectors, whatever their owners'
/// relations elsewhere.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Assignment {
    /// The alliance.
    pub alliance: AllianceId,
    /// The joint command's position in the alliance's list.
    pub command: u16,
}

/// What a fleet does each turn until given another order.
#[derive(Component, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Task {
    /// Stay and defend.
    #[default]
    Hold,
    /// Follow a route; the steps left are kept here.
    Move {
        /// The sectors still to enter, in order.
        route: Vec<SectorId>,
    },
    /// Go back and forth between two sectors.
    Patrol {
        /// The two ends of the beat.
        stations: [SectorId; 2],
        /// Which station the fleet is heading for (0 or 1).
        toward: u8,
    },
    /// Close with a hostile fleet and fight it this turn.
    Attack {
        /// The fleet to engage.
        target: FleetId,
    },
    /// Fall back to the nearest friendly shipyard, then hold.
    Withdraw,
}

/// Fleet entities by id, kept by the [`Fleet`] component's hooks. Ids are given out in
/// order, so the living fleets' ids are dense: they index a table, read in one step whatever
/// the number of fleets. An id past what a table should hold (a save may give any up to the
/// limit) is kept in a tree instead.
#[derive(Resource, Clone, Debug, Default)]
pub struct FleetIndex {
    dense: Vec<Option<Entity>>,
    sparse: BTreeMap<FleetId, Entity>,
}

impl FleetIndex {
    /// Ids below this are kept in the table.
    const DENSE: usize = 1 << 20;

    /// The entity of a living fleet.
    #[inline]
    pub fn get(&self, fleet: FleetId) -> Option<Entity> {
        if fleet.index() < Self::DENSE {
            self.dense.get(fleet.index()).copied().flatten()
        } else {
            self.sparse.get(&fleet).copied()
        }
    }

    fn insert(&mut self, fleet: FleetId, entity: Entity) {
        let i = fleet.index();
        if i < Self::DENSE {
            if self.dense.len() <= i {
                self.dense.resize(i + 1, None);
            }
            self.dense[i] = Some(entity);
        } else {
            self.sparse.insert(fleet, entity);
        }
    }

    fn remove(&mut self, fleet: FleetId) {
        let i = fleet.index();
        if i < Self::DENSE {
            if let Some(slot) = self.dense.get_mut(i) {
                *slot = None;
            }
        } else {
            self.sparse.remove(&fleet);
        }
    }

    /// How many ids a pass over [`FleetIndex::iter`] goes through: every id the table has
    /// room for, living or not, and those kept in the tree.
    pub fn span(&self) -> usize {
        self.dense.len() + self.sparse.len()
    }

    /// Every living fleet and its entity, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (FleetId, Entity)> + '_ {
        self.dense
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.map(|e| (FleetId::from_index(i), e)))
            .chain(self.sparse.iter().map(|(&id, &e)| (id, e)))
    }
}

/// The name and owner of every fleet seen in this session, destroyed ones included, so that
/// the turn log can name a fleet after it is gone. Not part of the world's state.
#[derive(Resource, Clone, Debug, Default)]
pub struct FleetRoll(pub BTreeMap<FleetId, RollEntry>);

/// What the [`FleetRoll`] keeps of a fleet.
#[derive(Clone, Debug)]
pub struct RollEntry {
    /// Its id in files and scripts.
    pub key: String,
    /// Its name.
    pub name: String,
    /// Its owner.
    pub owner: FactionId,
}

/// The id the next fleet built will get.
#[derive(Resource, Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextFleetId(pub u32);

fn index_fleet(mut world: DeferredWorld, ctx: HookContext) {
    // A fleet's name is required with it, so both are there when the fleet is added.
    let (Some(&fleet), Some(name)) = (
        world.get::<Fleet>(ctx.entity),
        world.get::<FleetName>(ctx.entity),
    ) else {
        return;
    };
    let (id, entry) = (
        fleet.id,
        RollEntry {
            key: name.key.clone(),
            name: name.name.clone(),
            owner: fleet.owner,
        },
    );
    if let Some(mut index) = world.get_resource_mut::<FleetIndex>() {
        index.insert(id, ctx.entity);
    }
    if let Some(mut roll) = world.get_resource_mut::<FleetRoll>() {
        roll.0.insert(id, entry);
    }
}

fn unindex_fleet(mut world: DeferredWorld, ctx: HookContext) {
    let Some(id) = world.get::<Fleet>(ctx.entity).map(|f| f.id) else {
        return;
    };
    if let Some(mut index) = world.get_resource_mut::<FleetIndex>() {
        index.remove(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fleet_is_indexed_and_rolled_with_its_name_and_always_has_one() {
        let mut world = World::new();
        world.init_resource::<FleetIndex>();
        world.init_resource::<FleetRoll>();
        let named = world
            .spawn((
                Fleet {
                    id: FleetId(4),
                    owner: FactionId::from_index(1),
                },
                FleetName {
                    key: "kdf_seventh".into(),
                    name: "Seventh Fleet".into(),
                },
            ))
            .id();
        let bare = world
            .spawn(Fleet {
                id: FleetId(5),
                owner: FactionId::from_index(2),
            })
            .id();
        let index = world.resource::<FleetIndex>();
        assert_eq!(index.get(FleetId(4)), Some(named));
        assert_eq!(index.get(FleetId(5)), Some(bare));
        let roll = &world.resource::<FleetRoll>().0;
        assert_eq!(roll[&FleetId(4)].key, "kdf_seventh");
        assert_eq!(roll[&FleetId(4)].name, "Seventh Fleet");
        assert_eq!(roll[&FleetId(4)].owner, FactionId::from_index(1));
        assert_eq!(roll[&FleetId(5)].owner, FactionId::from_index(2));
        // A fleet spawned without a name still has one (empty), so no query of fleets with
        // their names (the state, the hash) leaves it out.
        assert_eq!(world.get::<FleetName>(bare), Some(&FleetName::default()));
        world.despawn(named);
        assert_eq!(world.resource::<FleetIndex>().get(FleetId(4)), None);
        assert!(
            world.resource::<FleetRoll>().0.contains_key(&FleetId(4)),
            "the roll keeps the dead"
        );
    }

    #[test]
    fn the_index_finds_dense_and_far_ids_and_lists_them_in_order() {
        let mut index = FleetIndex::default();
        let e = |n: u32| Entity::from_raw_u32(n).expect("a valid index");
        let far = FleetId((FleetIndex::DENSE as u32) + 7);
        index.insert(far, e(1));
        index.insert(FleetId(3), e(2));
        index.insert(FleetId(0), e(3));
        assert_eq!(index.get(FleetId(3)), Some(e(2)));
        assert_eq!(index.get(far), Some(e(1)));
        assert_eq!(index.get(FleetId(1)), None);
        assert_eq!(index.get(FleetId(9)), None, "past the table");
        assert_eq!(
            index.iter().collect::<Vec<_>>(),
            vec![(FleetId(0), e(3)), (FleetId(3), e(2)), (far, e(1))]
        );
        index.remove(FleetId(3));
        index.remove(far);
        index.remove(FleetId(500));
        assert_eq!(index.iter().collect::<Vec<_>>(), vec![(FleetId(0), e(3))]);
    }
}
