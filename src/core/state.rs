//! The world's whole state as one canonical value: what a save holds, what a scenario is
//! loaded into, and what the state hash is computed over.
//!
//! Everything is in id order, so the same world always serialises to the same bytes; the
//! state hash is taken over them (see [`super::hash`]).

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

use super::calendar::Calendar;
use super::character::{Character, CharacterIndex, Fate};
use super::dice::{Dice, DiceState};
use super::diplomacy::Diplomacy;
use super::faction::{Capital, Defeated, Faction, FactionIndex, Personality, Treasury};
use super::fleet::{
    Assignment, Commander, Fleet, FleetName, Location, NextFleetId, Speed, Strength, Task,
};
use super::galaxy::{Galaxy, Link, SectorBlock, SectorPlace};
use super::ids::{CharacterId, FactionId, FleetId, SectorId};
use super::rules::Rules;
use super::scenario::ScenarioInfo;
use super::script::Script;
use super::sector::{Industry, Occupation, Owner, Sector, SectorIndex, Shipyard};

/// A sector: its fixed facts and its state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectorState {
    /// Name, hex, block, systems.
    pub place: SectorPlace,
    /// Who holds it.
    pub owner: Option<FactionId>,
    /// What it yields.
    pub industry: u32,
    /// Whether it builds ships.
    pub shipyard: bool,
    /// Who is occupying it.
    pub occupation: Option<Occupation>,
}

/// A faction and its state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactionState {
    /// The id used in files and replays.
    pub key: String,
    /// The name players read.
    pub name: String,
    /// Map colour.
    pub colour: [u8; 3],
    /// Seat of government.
    pub capital: Option<SectorId>,
    /// Industry saved.
    pub treasury: i64,
    /// The AI's leanings.
    pub personality: Personality,
    /// The turn it was defeated, if it was.
    pub defeated: Option<u32>,
}

/// A character and their fate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CharacterState {
    /// The id used in files and replays.
    pub key: String,
    /// The name players read.
    pub name: String,
    /// Whom they serve.
    pub faction: Option<FactionId>,
    /// Title or office.
    pub role: String,
    /// Alive, dead, traitor.
    pub fate: Fate,
}

/// A fleet and its state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FleetState {
    /// Its id.
    pub id: FleetId,
    /// The id used in files and scripts.
    pub key: String,
    /// Its name.
    pub name: String,
    /// Its owner.
    pub owner: FactionId,
    /// Where it is.
    pub sector: SectorId,
    /// Its strength.
    pub strength: u32,
    /// Its speed.
    pub speed: u8,
    /// Who commands it.
    pub commander: Option<CharacterId>,
    /// Its standing order.
    pub task: Task,
    /// Its joint command.
    pub assignment: Option<Assignment>,
}

/// The whole world between two turns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorldState {
    /// Which scenario, and how it stands.
    pub scenario: ScenarioInfo,
    /// The date.
    pub calendar: Calendar,
    /// The numbers of the rules.
    pub rules: Rules,
    /// The generator's state.
    pub dice: DiceState,
    /// Sector blocks, by id.
    pub blocks: Vec<SectorBlock>,
    /// Sectors, by id.
    pub sectors: Vec<SectorState>,
    /// Links, by id.
    pub links: Vec<Link>,
    /// Factions, by id.
    pub factions: Vec<FactionState>,
    /// Characters, by id.
    pub characters: Vec<CharacterState>,
    /// Living fleets, by id.
    pub fleets: Vec<FleetState>,
    /// The id the next fleet built gets.
    pub next_fleet: u32,
    /// Relations, treaties, alliances, proposals.
    pub diplomacy: Diplomacy,
    /// Scripted events, secret pacts and flags, and where they stand.
    pub script: Script,
}

/// A state hash: BLAKE3 of the canonical serialised world.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StateHash(pub [u8; 32]);

impl std::fmt::Display for StateHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl std::fmt::Debug for StateHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StateHash({self})")
    }
}

impl WorldState {
    /// The state hash of this world.
    pub fn hash(&self) -> StateHash {
        super::hash::hash_state(self)
    }

    /// Puts this world into an empty ECS world: resources, then entities in id order.
    pub fn install(self, world: &mut World) {
        register_components(world);
        world.insert_resource(super::hash::FixedDigest(super::hash::fixed_digest(&self)));
        let galaxy = Galaxy::new(
            self.blocks,
            self.sectors.iter().map(|s| s.place.clone()).collect(),
            self.links,
        );
        world.insert_resource(galaxy);
        world.insert_resource(self.scenario);
        world.insert_resource(self.calendar);
        world.insert_resource(self.rules);
        world.insert_resource(Dice::from_state(&self.dice));
        world.insert_resource(self.diplomacy);
        world.insert_resource(self.script);
        super::script::watch(world);
        world.insert_resource(NextFleetId(self.next_fleet));

        let sectors: Vec<Entity> = self
            .sectors
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                let mut e = world.spawn((
                    Sector(SectorId::from_index(i)),
                    Owner(s.owner),
                    Industry(s.industry),
                ));
                if s.shipyard {
                    e.insert(Shipyard);
                }
                if let Some(occ) = s.occupation {
                    e.insert(occ);
                }
                e.id()
            })
            .collect();
        world.insert_resource(SectorIndex(sectors));

        let factions: Vec<Entity> = self
            .factions
            .into_iter()
            .enumerate()
            .map(|(i, f)| {
                let mut e = world.spawn((
                    Faction {
                        id: FactionId::from_index(i),
                        key: f.key,
                        name: f.name,
                        colour: f.colour,
                    },
                    Treasury(f.treasury),
                    Capital(f.capital),
                    f.personality,
                ));
                if let Some(turn) = f.defeated {
                    e.insert(Defeated { turn });
                }
                e.id()
            })
            .collect();
        world.insert_resource(FactionIndex(factions));

        let characters: Vec<Entity> = self
            .characters
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                world
                    .spawn((
                        Character {
                            id: CharacterId::from_index(i),
                            key: c.key,
                            name: c.name,
                            faction: c.faction,
                            role: c.role,
                        },
                        c.fate,
                    ))
                    .id()
            })
            .collect();
        world.insert_resource(CharacterIndex(characters));

        for f in self.fleets {
            let mut e = world.spawn((
                Fleet {
                    id: f.id,
                    owner: f.owner,
                },
                FleetName {
                    key: f.key,
                    name: f.name,
                },
                Strength(f.strength),
                Speed(f.speed),
                Location(f.sector),
                f.task,
            ));
            if let Some(c) = f.commander {
                e.insert(Commander(c));
            }
            if let Some(a) = f.assignment {
                e.insert(a);
            }
        }
    }

    /// Reads the whole world back out of the ECS.
    pub fn extract(world: &World) -> Self {
        let galaxy = world.resource::<Galaxy>();
        let blocks = galaxy.blocks().to_vec();
        let links = galaxy.links().to_vec();
        let places = galaxy.places().to_vec();

        let mut sector_q = registered::<super::canonical::SectorParts>(world);
        let mut sector_rows: Vec<_> = sector_q
            .iter(world)
            .map(|(s, o, i, y, occ)| (s.0, o.0, i.0, y, occ.copied()))
            .collect();
        sector_rows.sort_unstable_by_key(|r| r.0);
        let sectors = sector_rows
            .into_iter()
            .zip(places)
            .map(
                |((_, owner, industry, shipyard, occupation), place)| SectorState {
                    place,
                    owner,
                    industry,
                    shipyard,
                    occupation,
                },
            )
            .collect();

        let mut faction_q = registered::<super::canonical::FactionParts>(world);
        let mut factions: Vec<(FactionId, FactionState)> = faction_q
            .iter(world)
            .map(|(f, t, c, p, d)| {
                (
                    f.id,
                    FactionState {
                        key: f.key.clone(),
                        name: f.name.clone(),
                        colour: f.colour,
                        capital: c.0,
                        treasury: t.0,
                        personality: *p,
                        defeated: d.map(|d| d.turn),
                    },
                )
            })
            .collect();
        factions.sort_unstable_by_key(|f| f.0);

        let mut character_q = registered::<(&Character, &Fate)>(world);
        let mut characters: Vec<(CharacterId, CharacterState)> = character_q
            .iter(world)
            .map(|(c, fate)| {
                (
                    c.id,
                    CharacterState {
                        key: c.key.clone(),
                        name: c.name.clone(),
                        faction: c.faction,
                        role: c.role.clone(),
                        fate: fate.clone(),
                    },
                )
            })
            .collect();
        characters.sort_unstable_by_key(|c| c.0);

        let mut fleet_q = registered::<super::canonical::FleetParts>(world);
        let mut fleets: Vec<FleetState> = fleet_q
            .iter(world)
            .map(|((f, n), s, sp, l, t, c, a)| FleetState {
                id: f.id,
                key: n.key.clone(),
                name: n.name.clone(),
                owner: f.owner,
                sector: l.0,
                strength: s.0,
                speed: sp.0,
                commander: c.map(|c| c.0),
                task: t.clone(),
                assignment: a.copied(),
            })
            .collect();
        fleets.sort_unstable_by_key(|f| f.id);

        WorldState {
            scenario: world.resource::<ScenarioInfo>().clone(),
            calendar: world.resource::<Calendar>().clone(),
            rules: world.resource::<Rules>().clone(),
            dice: world.resource::<Dice>().state(),
            blocks,
            sectors,
            links,
            factions: factions.into_iter().map(|f| f.1).collect(),
            characters: characters.into_iter().map(|c| c.1).collect(),
            fleets,
            next_fleet: world.resource::<NextFleetId>().0,
            diplomacy: world.resource::<Diplomacy>().clone(),
            script: world.resource::<Script>().clone(),
        }
    }
}

/// Registers every component of the world's state, including those no entity may have yet
/// (an occupation, a defeat), so that reading the world never needs `&mut`.
fn register_components(world: &mut World) {
    world.register_component::<Sector>();
    world.register_component::<Owner>();
    world.register_component::<Industry>();
    world.register_component::<Shipyard>();
    world.register_component::<Occupation>();
    world.register_component::<Faction>();
    world.register_component::<Treasury>();
    world.register_component::<Capital>();
    world.register_component::<Personality>();
    world.register_component::<Defeated>();
    world.register_component::<Character>();
    world.register_component::<Fate>();
    world.register_component::<Fleet>();
    world.register_component::<Strength>();
    world.register_component::<Speed>();
    world.register_component::<Location>();
    world.register_component::<Task>();
    world.register_component::<Commander>();
    world.register_component::<Assignment>();
}

/// A query over a world whose components [`WorldState::install`] registered.
pub(super) fn registered<D: bevy::ecs::query::QueryData>(world: &World) -> QueryState<D> {
    world
        .try_query::<D>()
        .expect("a world installed from a state has every component registered")
}
