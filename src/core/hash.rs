//! The state hash: BLAKE3 over the world's canonical serialised form, in two levels so that a
//! turn only re-reads what can change.
//!
//! `hash = BLAKE3(BLAKE3(fixed part) ‖ changing part)`, each part in postcard's fixed encoding,
//! in id order. The fixed part is the map's geography and the names of factions and links,
//! which no rule ever changes; its digest is taken once when a game starts. The changing part
//! is read straight from the ECS each turn, borrowing rather than copying. A [`WorldState`]
//! hashes through the very same two structs, so a save, a replay and a live game agree.

use bevy::prelude::*;
use serde::Serialize;

use super::calendar::Calendar;
use super::character::{Character, Fate};
use super::dice::{Dice, DiceState};
use super::diplomacy::Diplomacy;
use super::faction::{Capital, Defeated, Faction, Personality, Treasury};
use super::fleet::{Assignment, Commander, Fleet, Location, NextFleetId, Speed, Strength, Task};
use super::galaxy::{Galaxy, LinkKind, SectorBlock, SectorPlace};
use super::ids::{CharacterId, FactionId, FleetId, SectorId};
use super::rules::Rules;
use super::scenario::ScenarioInfo;
use super::script::Script;
use super::sector::{Industry, Occupation, Owner, Sector, Shipyard};
use super::state::{StateHash, WorldState, registered};
use super::turn::TurnSystems;

/// What never changes in a game.
#[derive(Serialize)]
struct Fixed<'a> {
    blocks: &'a [SectorBlock],
    places: Vec<&'a SectorPlace>,
    links: Vec<(&'a str, &'a str, LinkKind, [SectorId; 2])>,
    factions: Vec<(&'a str, &'a str, [u8; 3])>,
    characters: Vec<(&'a str, &'a str, &'a str)>,
}

/// What a turn can change.
#[derive(Serialize)]
struct Changing<'a> {
    scenario: &'a ScenarioInfo,
    calendar: &'a Calendar,
    rules: &'a Rules,
    dice: DiceState,
    sectors: Vec<(Option<FactionId>, u32, bool, Option<Occupation>)>,
    links_open: Vec<bool>,
    factions: Vec<(Option<SectorId>, i64, Personality, Option<u32>)>,
    characters: Vec<(Option<FactionId>, &'a Fate)>,
    fleets: Vec<FleetRow<'a>>,
    next_fleet: u32,
    diplomacy: &'a Diplomacy,
    script: &'a Script,
}

#[derive(Serialize)]
struct FleetRow<'a> {
    id: FleetId,
    key: &'a str,
    name: &'a str,
    owner: FactionId,
    sector: SectorId,
    strength: u32,
    speed: u8,
    commander: Option<CharacterId>,
    task: &'a Task,
    assignment: Option<Assignment>,
}

fn digest<T: Serialize>(value: &T) -> [u8; 32] {
    // Serialising whole, then hashing in one call, lets BLAKE3 work on large blocks.
    let bytes = postcard::to_allocvec(value).expect("serialising into memory cannot fail");
    *blake3::hash(&bytes).as_bytes()
}

fn combine(fixed: &[u8; 32], changing: &Changing) -> StateHash {
    let bytes =
        postcard::to_extend(changing, fixed.to_vec()).expect("serialising into memory cannot fail");
    StateHash(*blake3::hash(&bytes).as_bytes())
}

/// The digest of the fixed part of a world state.
pub fn fixed_digest(state: &WorldState) -> [u8; 32] {
    digest(&Fixed {
        blocks: &state.blocks,
        places: state.sectors.iter().map(|s| &s.place).collect(),
        links: state
            .links
            .iter()
            .map(|l| (&*l.key, &*l.name, l.kind, l.ends))
            .collect(),
        factions: state
            .factions
            .iter()
            .map(|f| (&*f.key, &*f.name, f.colour))
            .collect(),
        characters: state
            .characters
            .iter()
            .map(|c| (&*c.key, &*c.name, &*c.role))
            .collect(),
    })
}

/// The state hash of a world state.
pub fn hash_state(state: &WorldState) -> StateHash {
    let changing = Changing {
        scenario: &state.scenario,
        calendar: &state.calendar,
        rules: &state.rules,
        dice: state.dice.clone(),
        sectors: state
            .sectors
            .iter()
            .map(|s| (s.owner, s.industry, s.shipyard, s.occupation))
            .collect(),
        links_open: state.links.iter().map(|l| l.open).collect(),
        factions: state
            .factions
            .iter()
            .map(|f| (f.capital, f.treasury, f.personality, f.defeated))
            .collect(),
        characters: state
            .characters
            .iter()
            .map(|c| (c.faction, &c.fate))
            .collect(),
        fleets: state
            .fleets
            .iter()
            .map(|f| FleetRow {
                id: f.id,
                key: &f.key,
                name: &f.name,
                owner: f.owner,
                sector: f.sector,
                strength: f.strength,
                speed: f.speed,
                commander: f.commander,
                task: &f.task,
                assignment: f.assignment,
            })
            .collect(),
        next_fleet: state.next_fleet,
        diplomacy: &state.diplomacy,
        script: &state.script,
    };
    combine(&fixed_digest(state), &changing)
}

/// When present, the world's hash after each phase of the turn being played. The replayer
/// inserts it to find the first phase in which a replay and its recording part.
#[derive(Resource, Clone, Debug, Default)]
pub struct PhaseHashes(pub Vec<(TurnSystems, StateHash)>);

/// Takes the hash at the end of a phase.
pub(super) fn probe(world: &mut World, phase: TurnSystems) {
    let hash = hash_world(world);
    world.resource_mut::<PhaseHashes>().0.push((phase, hash));
}

/// The digest of a live world's fixed part, taken once when its game starts.
#[derive(Resource, Clone, Copy, Debug)]
pub struct FixedDigest(pub [u8; 32]);

type SectorRow<'a> = (
    &'a Sector,
    &'a Owner,
    &'a Industry,
    Has<Shipyard>,
    Option<&'a Occupation>,
);
type FactionRow<'a> = (
    &'a Faction,
    &'a Treasury,
    &'a Capital,
    &'a Personality,
    Option<&'a Defeated>,
);
type FleetParts<'a> = (
    &'a Fleet,
    &'a Strength,
    &'a Speed,
    &'a Location,
    &'a Task,
    Option<&'a Commander>,
    Option<&'a Assignment>,
);

/// The state hash of a live world, read from the ECS without copying it out.
pub fn hash_world(world: &World) -> StateHash {
    let mut sector_q = registered::<SectorRow>(world);
    let mut faction_q = registered::<FactionRow>(world);
    let mut character_q = registered::<(&Character, &Fate)>(world);
    let mut fleet_q = registered::<FleetParts>(world);

    let mut sectors: Vec<_> = sector_q
        .iter(world)
        .map(|(s, o, i, y, occ)| (s.0, (o.0, i.0, y, occ.copied())))
        .collect();
    sectors.sort_unstable_by_key(|s| s.0);
    let mut factions: Vec<_> = faction_q
        .iter(world)
        .map(|(f, t, c, p, d)| (f.id, (c.0, t.0, *p, d.map(|d| d.turn))))
        .collect();
    factions.sort_unstable_by_key(|f| f.0);
    let mut characters: Vec<_> = character_q
        .iter(world)
        .map(|(c, fate)| (c.id, (c.faction, fate)))
        .collect();
    characters.sort_unstable_by_key(|c| c.0);
    let mut fleets: Vec<FleetRow> = fleet_q
        .iter(world)
        .map(|(f, s, sp, l, t, c, a)| FleetRow {
            id: f.id,
            key: &f.key,
            name: &f.name,
            owner: f.owner,
            sector: l.0,
            strength: s.0,
            speed: sp.0,
            commander: c.map(|c| c.0),
            task: t,
            assignment: a.copied(),
        })
        .collect();
    fleets.sort_unstable_by_key(|f| f.id);

    let changing = Changing {
        scenario: world.resource::<ScenarioInfo>(),
        calendar: world.resource::<Calendar>(),
        rules: world.resource::<Rules>(),
        dice: world.resource::<Dice>().state(),
        sectors: sectors.into_iter().map(|s| s.1).collect(),
        links_open: world
            .resource::<Galaxy>()
            .links()
            .iter()
            .map(|l| l.open)
            .collect(),
        factions: factions.into_iter().map(|f| f.1).collect(),
        characters: characters.into_iter().map(|c| c.1).collect(),
        fleets,
        next_fleet: world.resource::<NextFleetId>().0,
        diplomacy: world.resource::<Diplomacy>(),
        script: world.resource::<Script>(),
    };
    combine(&world.resource::<FixedDigest>().0, &changing)
}
