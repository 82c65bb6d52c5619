//! The world's canonical form: every part of its state as a tagged value, in a fixed order.
//!
//! The state hash, the per-part digests written into replays and the save are all derived
//! from this one form. [`of_state`] takes it from a [`WorldState`] (what a save holds) by
//! destructuring every field, so a field added to the world that the form leaves out does not
//! compile; [`of_world`] reads the very same rows straight from a live ECS world, borrowing
//! rather than copying, and a test holds the two equal. A part is visited with its [`Part`]
//! tag; the hash streams every tag and value into one buffer, the digests hash each value on
//! its own.
//!
//! The form has two halves: what no rule ever changes (the map's geography, the names of
//! factions, links and characters), digested once when a game starts, and what a turn can
//! change, read every turn.

use std::fmt;

use bevy::prelude::*;
use serde::Serialize;

use super::calendar::Calendar;
use super::character::{Character, Fate};
use super::dice::{Dice, DiceState};
use super::diplomacy::Diplomacy;
use super::faction::{Capital, Defeated, Faction, Personality, Treasury};
use super::fleet::{
    Assignment, Commander, Fleet, FleetIndex, FleetName, Location, NextFleetId, Speed, Strength,
    Task,
};
use super::galaxy::{Galaxy, LinkKind, SectorBlock, SectorPlace};
use super::ids::{CharacterId, FactionId, FleetId, SectorId, narrow};
use super::rules::Rules;
use super::scenario::ScenarioInfo;
use super::script::Script;
use super::sector::{Industry, Occupation, Owner, Sector, SectorIndex, Shipyard};
use super::state::{CharacterState, FactionState, FleetState, SectorState, WorldState, registered};

/// The tag of one part of the canonical form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Part {
    /// The digest of the whole fixed half (in digests only; the hash takes it whole).
    Fixed,
    /// A sector block, by id.
    Block(u32),
    /// A sector's name, hex, block and systems, by id.
    Place(u32),
    /// A link's id, name, kind and ends, by id.
    Link(u32),
    /// A faction's id, name and colour, by id.
    FactionName(u32),
    /// A character's id, name and role, by id.
    CharacterName(u32),
    /// The scenario and how it stands.
    Scenario,
    /// The date and the last turn.
    Calendar,
    /// The numbers of the rules.
    Rules,
    /// The generator's state.
    Dice,
    /// A sector's owner, industry, shipyard and occupation, by id.
    Sector(u32),
    /// Which links are open.
    Links,
    /// A faction's capital, treasury, personality and defeat, by id.
    Faction(u32),
    /// A character's allegiance and fate, by id.
    Character(u32),
    /// A living fleet, by id.
    Fleet(u32),
    /// The id the next fleet built gets.
    NextFleet,
    /// The relation of a pair (lower id first) and each one's opinion of the other; only for
    /// a pair whose relation is not the default (peace since before the scenario, no
    /// opinions).
    Relation(u32, u32),
    /// A treaty, by id.
    Treaty(u32),
    /// An alliance, by id.
    Alliance(u32),
    /// A proposal awaiting answers, by its place in the list.
    Proposal(u32),
    /// The size of the diplomacy tables and the next proposal's id.
    Tables,
    /// The scripted events.
    Events,
    /// The secret pacts.
    Pacts,
    /// The last turn each event fired.
    Fired,
    /// Events waiting out their delay.
    Delayed,
    /// Choices waiting for answers.
    Choices,
    /// The flags set.
    Flags,
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Part::Fixed => write!(f, "fixed"),
            Part::Block(i) => write!(f, "block:{i}"),
            Part::Place(i) => write!(f, "place:{i}"),
            Part::Link(i) => write!(f, "link:{i}"),
            Part::FactionName(i) => write!(f, "faction-name:{i}"),
            Part::CharacterName(i) => write!(f, "character-name:{i}"),
            Part::Scenario => write!(f, "scenario"),
            Part::Calendar => write!(f, "calendar"),
            Part::Rules => write!(f, "rules"),
            Part::Dice => write!(f, "dice"),
            Part::Sector(i) => write!(f, "sector:{i}"),
            Part::Links => write!(f, "links"),
            Part::Faction(i) => write!(f, "faction:{i}"),
            Part::Character(i) => write!(f, "character:{i}"),
            Part::Fleet(i) => write!(f, "fleet:{i}"),
            Part::NextFleet => write!(f, "next-fleet"),
            Part::Relation(a, b) => write!(f, "relation:{a}-{b}"),
            Part::Treaty(i) => write!(f, "treaty:{i}"),
            Part::Alliance(i) => write!(f, "alliance:{i}"),
            Part::Proposal(i) => write!(f, "proposal:{i}"),
            Part::Tables => write!(f, "tables"),
            Part::Events => write!(f, "script:events"),
            Part::Pacts => write!(f, "script:pacts"),
            Part::Fired => write!(f, "script:fired"),
            Part::Delayed => write!(f, "script:delayed"),
            Part::Choices => write!(f, "script:choices"),
            Part::Flags => write!(f, "script:flags"),
        }
    }
}

/// Where the parts of the canonical form go, one by one, in order.
pub trait Sink {
    /// Takes one part.
    fn part<T: Serialize + ?Sized>(&mut self, part: Part, value: &T);
}

/// What never changes in a game.
pub struct Fixed<'a> {
    blocks: &'a [SectorBlock],
    places: Vec<&'a SectorPlace>,
    links: Vec<(&'a str, &'a str, LinkKind, [SectorId; 2])>,
    factions: Vec<(&'a str, &'a str, [u8; 3])>,
    characters: Vec<(&'a str, &'a str, &'a str)>,
}

/// A sector's changing state.
#[derive(Serialize)]
struct SectorRow {
    owner: Option<FactionId>,
    industry: u32,
    shipyard: bool,
    occupation: Option<Occupation>,
}

/// A faction's changing state.
#[derive(Serialize)]
struct FactionRow {
    capital: Option<SectorId>,
    treasury: i64,
    personality: Personality,
    defeated: Option<u32>,
}

/// A character's changing state.
#[derive(Serialize)]
struct CharacterRow<'a> {
    faction: Option<FactionId>,
    fate: &'a Fate,
}

/// A living fleet.
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

/// What a turn can change.
pub struct Changing<'a> {
    scenario: &'a ScenarioInfo,
    calendar: &'a Calendar,
    rules: &'a Rules,
    dice: DiceState,
    sectors: Vec<SectorRow>,
    links_open: Vec<bool>,
    factions: Vec<FactionRow>,
    characters: Vec<CharacterRow<'a>>,
    fleets: Vec<FleetRow<'a>>,
    next_fleet: u32,
    diplomacy: &'a Diplomacy,
    script: &'a Script,
}

impl Fixed<'_> {
    /// Every fixed part, in order.
    pub fn visit(&self, sink: &mut impl Sink) {
        let Fixed {
            blocks,
            places,
            links,
            factions,
            characters,
        } = self;
        for (i, b) in blocks.iter().enumerate() {
            sink.part(Part::Block(narrow(i)), b);
        }
        for (i, p) in places.iter().enumerate() {
            sink.part(Part::Place(narrow(i)), p);
        }
        for (i, l) in links.iter().enumerate() {
            sink.part(Part::Link(narrow(i)), l);
        }
        for (i, f) in factions.iter().enumerate() {
            sink.part(Part::FactionName(narrow(i)), f);
        }
        for (i, c) in characters.iter().enumerate() {
            sink.part(Part::CharacterName(narrow(i)), c);
        }
    }
}

/// A run of the changing parts, for [`Changing::visit_split`].
#[derive(Clone, Copy)]
enum Run {
    /// The scenario, the calendar, the rules and the dice.
    Head,
    /// Sectors, by index.
    Sectors(usize, usize),
    /// The links, the factions and the characters.
    Middle,
    /// Fleets, by place in the list.
    Fleets(usize, usize),
    /// The next fleet id, the diplomacy and the script.
    Tail,
}

impl Changing<'_> {
    /// How many sectors and fleets the form holds.
    pub fn rows(&self) -> usize {
        self.sectors.len() + self.fleets.len()
    }

    /// Every changing part, in order.
    pub fn visit(&self, sink: &mut impl Sink) {
        for run in self.runs(1) {
            self.visit_run(run, sink);
        }
    }

    /// Every changing part, as [`Changing::visit`] gives them, in runs shared out among up to
    /// `threads` threads, each run into a sink of its own made by `make`: the sinks come back
    /// in order, so that their parts one after another are `visit`'s, whatever the number.
    pub fn visit_split<S: Sink + Send>(&self, threads: usize, make: impl Fn() -> S + Sync) -> Vec<S>
    where
        Self: Sync,
    {
        let runs = self.runs(threads.max(1));
        let mut workers = vec![(); threads.clamp(1, runs.len())];
        super::parallel::share_out(runs.len(), &mut workers, |_, k| {
            let mut sink = make();
            self.visit_run(runs[k], &mut sink);
            sink
        })
    }

    /// The runs of parts, in order: the sectors and the fleets each in `pieces` runs of
    /// about one size.
    fn runs(&self, pieces: usize) -> Vec<Run> {
        let split = |n: usize| -> Vec<(usize, usize)> {
            let size = n.div_ceil(pieces).max(1);
            (0..n)
                .step_by(size)
                .map(|a| (a, (a + size).min(n)))
                .collect()
        };
        let mut runs = vec![Run::Head];
        runs.extend(
            split(self.sectors.len())
                .into_iter()
                .map(|(a, b)| Run::Sectors(a, b)),
        );
        runs.push(Run::Middle);
        runs.extend(
            split(self.fleets.len())
                .into_iter()
                .map(|(a, b)| Run::Fleets(a, b)),
        );
        runs.push(Run::Tail);
        runs
    }

    /// One run of parts.
    fn visit_run(&self, run: Run, sink: &mut impl Sink) {
        let Changing {
            scenario,
            calendar,
            rules,
            dice,
            sectors,
            links_open,
            factions,
            characters,
            fleets,
            next_fleet,
            diplomacy,
            script,
        } = self;
        match run {
            Run::Head => {
                sink.part(Part::Scenario, scenario);
                sink.part(Part::Calendar, calendar);
                sink.part(Part::Rules, rules);
                sink.part(Part::Dice, dice);
            }
            Run::Sectors(a, b) => {
                for (i, s) in (a..).zip(&sectors[a..b]) {
                    sink.part(Part::Sector(narrow(i)), s);
                }
            }
            Run::Middle => {
                sink.part(Part::Links, links_open);
                for (i, f) in factions.iter().enumerate() {
                    sink.part(Part::Faction(narrow(i)), f);
                }
                for (i, c) in characters.iter().enumerate() {
                    sink.part(Part::Character(narrow(i)), c);
                }
            }
            Run::Fleets(a, b) => {
                for f in &fleets[a..b] {
                    sink.part(Part::Fleet(f.id.0), f);
                }
            }
            Run::Tail => {
                sink.part(Part::NextFleet, next_fleet);
                diplomacy.visit(sink);
                let Script {
                    events,
                    pacts,
                    fired,
                    delayed,
                    choices,
                    flags,
                } = script;
                sink.part(Part::Events, events);
                sink.part(Part::Pacts, pacts);
                sink.part(Part::Fired, fired);
                sink.part(Part::Delayed, delayed);
                sink.part(Part::Choices, choices);
                sink.part(Part::Flags, flags);
            }
        }
    }
}

/// The canonical form of a world state. Every field of the state is taken: a new one must be
/// placed in the form before this compiles.
pub fn of_state(state: &WorldState) -> (Fixed<'_>, Changing<'_>) {
    let WorldState {
        scenario,
        calendar,
        rules,
        dice,
        blocks,
        sectors,
        links,
        factions,
        characters,
        fleets,
        next_fleet,
        diplomacy,
        script,
    } = state;
    let fixed = Fixed {
        blocks,
        places: sectors.iter().map(|s| &s.place).collect(),
        links: links
            .iter()
            .map(|l| (&*l.key, &*l.name, l.kind, l.ends))
            .collect(),
        factions: factions
            .iter()
            .map(|f| (&*f.key, &*f.name, f.colour))
            .collect(),
        characters: characters
            .iter()
            .map(|c| (&*c.key, &*c.name, &*c.role))
            .collect(),
    };
    let changing = Changing {
        scenario,
        calendar,
        rules,
        dice: dice.clone(),
        sectors: sectors
            .iter()
            .map(|s| {
                let SectorState {
                    place: _,
                    owner,
                    industry,
                    shipyard,
                    occupation,
                } = s;
                SectorRow {
                    owner: *owner,
                    industry: *industry,
                    shipyard: *shipyard,
                    occupation: *occupation,
                }
            })
            .collect(),
        links_open: links.iter().map(|l| l.open).collect(),
        factions: factions
            .iter()
            .map(|f| {
                let FactionState {
                    key: _,
                    name: _,
                    colour: _,
                    capital,
                    treasury,
                    personality,
                    defeated,
                } = f;
                FactionRow {
                    capital: *capital,
                    treasury: *treasury,
                    personality: *personality,
                    defeated: *defeated,
                }
            })
            .collect(),
        characters: characters
            .iter()
            .map(|c| {
                let CharacterState {
                    key: _,
                    name: _,
                    faction,
                    role: _,
                    fate,
                } = c;
                CharacterRow {
                    faction: *faction,
                    fate,
                }
            })
            .collect(),
        fleets: fleets
            .iter()
            .map(|f| {
                let FleetState {
                    id,
                    key,
                    name,
                    owner,
                    sector,
                    strength,
                    speed,
                    commander,
                    task,
                    assignment,
                } = f;
                FleetRow {
                    id: *id,
                    key,
                    name,
                    owner: *owner,
                    sector: *sector,
                    strength: *strength,
                    speed: *speed,
                    commander: *commander,
                    task,
                    assignment: *assignment,
                }
            })
            .collect(),
        next_fleet: *next_fleet,
        diplomacy,
        script,
    };
    (fixed, changing)
}

pub(super) type SectorParts<'a> = (
    &'a Sector,
    &'a Owner,
    &'a Industry,
    Has<Shipyard>,
    Option<&'a Occupation>,
);
pub(super) type FactionParts<'a> = (
    &'a Faction,
    &'a Treasury,
    &'a Capital,
    &'a Personality,
    Option<&'a Defeated>,
);
pub(super) type FleetParts<'a> = (
    (&'a Fleet, &'a FleetName),
    &'a Strength,
    &'a Speed,
    &'a Location,
    &'a Task,
    Option<&'a Commander>,
    Option<&'a Assignment>,
);

/// Rows in the order of their ids. Sector ids number the sectors from 0, so each row goes
/// straight to its place, in one pass rather than a sort; ids with gaps or repeats (never in
/// a valid world) fall back to sorting.
fn in_id_order<K: Ord + Copy, T>(rows: Vec<(K, T)>, index: fn(K) -> usize) -> Vec<T> {
    let n = rows.len();
    let mut placed: Vec<Option<(K, T)>> = std::iter::repeat_with(|| None).take(n).collect();
    let mut rest = Vec::new();
    for (id, row) in rows {
        match placed.get_mut(index(id)) {
            Some(slot @ None) => *slot = Some((id, row)),
            _ => rest.push((id, row)),
        }
    }
    if rest.is_empty() {
        return placed.into_iter().flatten().map(|(_, row)| row).collect();
    }
    rest.extend(placed.into_iter().flatten());
    rest.sort_by_key(|r| r.0);
    rest.into_iter().map(|(_, row)| row).collect()
}

fn sector_row(
    (_, owner, industry, shipyard, occupation): (
        &Sector,
        &Owner,
        &Industry,
        bool,
        Option<&Occupation>,
    ),
) -> SectorRow {
    SectorRow {
        owner: owner.0,
        industry: industry.0,
        shipyard,
        occupation: occupation.copied(),
    }
}

/// Every sector's row in id order. The sector index lists the sectors' entities in id order,
/// so the rows are written once, straight where they go: the table a turn's hash builds at
/// 100,000 sectors is written once rather than three times, in memory no cache holds. An index
/// that does not name each sector in its place (never in a valid world) falls back to
/// gathering the rows and placing them by id.
fn sector_rows(world: &World, query: &mut QueryState<SectorParts>) -> Vec<SectorRow> {
    query.update_archetypes(world);
    let query = &*query;
    let by_index = world
        .get_resource::<SectorIndex>()
        .filter(|index| index.0.len() == query.iter_manual(world).len())
        .and_then(|index| {
            let mut rows = Vec::with_capacity(index.0.len());
            for (k, &entity) in index.0.iter().enumerate() {
                let parts = query.get_manual(world, entity).ok();
                rows.push(sector_row(parts.filter(|p| p.0.0.index() == k)?));
            }
            Some(rows)
        });
    by_index.unwrap_or_else(|| {
        in_id_order(
            query
                .iter_manual(world)
                .map(|parts| (parts.0.0, sector_row(parts)))
                .collect(),
            SectorId::index,
        )
    })
}

fn fleet_row<'a>(((f, n), s, sp, l, t, c, a): FleetParts<'a>) -> FleetRow<'a> {
    FleetRow {
        id: f.id,
        key: &n.key,
        name: &n.name,
        owner: f.owner,
        sector: l.0,
        strength: s.0,
        speed: sp.0,
        commander: c.map(|c| c.0),
        task: t,
        assignment: a.copied(),
    }
}

/// Every living fleet's row in id order, read in the fleet index's order (kept by the fleets'
/// own hooks) rather than gathered and sorted. The rows are gathered and sorted instead when
/// the index holds far more ids than there are fleets alive (a long game's dead fleets would
/// make the pass over it cost more than the sort), and should it be missing or not name every
/// fleet under its id (never in a valid world).
fn fleet_rows<'w>(world: &'w World, query: &mut QueryState<FleetParts>) -> Vec<FleetRow<'w>> {
    query.update_archetypes(world);
    let query = &*query;
    let living = query.iter_manual(world).len();
    let by_index = world
        .get_resource::<FleetIndex>()
        .filter(|index| index.span() <= 2 * living + 1024)
        .and_then(|index| {
            let mut rows = Vec::with_capacity(living);
            for (id, entity) in index.iter() {
                let parts = query.get_manual(world, entity).ok();
                rows.push(fleet_row(
                    parts.filter(|p| p.0.0.id == id && rows.len() < living)?,
                ));
            }
            (rows.len() == living).then_some(rows)
        });
    by_index.unwrap_or_else(|| {
        let mut rows: Vec<FleetRow> = query.iter_manual(world).map(fleet_row).collect();
        radsort::sort_by_key(&mut rows, |f| f.id.0);
        rows
    })
}

/// The changing half of a live world's canonical form, read from the ECS without copying
/// it out: the same rows [`of_state`] gives for the world's [`WorldState`].
pub fn of_world(world: &World) -> Changing<'_> {
    let mut sector_q = registered::<SectorParts>(world);
    let mut faction_q = registered::<FactionParts>(world);
    let mut character_q = registered::<(&Character, &Fate)>(world);
    let mut fleet_q = registered::<FleetParts>(world);

    let sectors = sector_rows(world, &mut sector_q);
    let mut factions: Vec<_> = faction_q
        .iter(world)
        .map(|(f, t, c, p, d)| {
            (
                f.id,
                FactionRow {
                    capital: c.0,
                    treasury: t.0,
                    personality: *p,
                    defeated: d.map(|d| d.turn),
                },
            )
        })
        .collect();
    factions.sort_unstable_by_key(|f| f.0);
    let mut characters: Vec<_> = character_q
        .iter(world)
        .map(|(c, fate)| {
            (
                c.id,
                CharacterRow {
                    faction: c.faction,
                    fate,
                },
            )
        })
        .collect();
    characters.sort_unstable_by_key(|c| c.0);
    let fleets = fleet_rows(world, &mut fleet_q);

    Changing {
        scenario: world.resource::<ScenarioInfo>(),
        calendar: world.resource::<Calendar>(),
        rules: world.resource::<Rules>(),
        dice: world.resource::<Dice>().state(),
        sectors,
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
    }
}

/// Appends `value` to `out` in postcard's encoding: the same bytes as `postcard::to_extend`,
/// written straight into the buffer rather than a byte at a time through `Extend`, which the
/// state hash, taken every turn over every part of the world, would feel.
pub(crate) fn encode<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    postcard::serialize_with_flavor(value, Appending(out))
        .expect("serialising into memory cannot fail");
}

/// A postcard flavor that appends to a `Vec<u8>` it borrows.
struct Appending<'a>(&'a mut Vec<u8>);

impl postcard::ser_flavors::Flavor for Appending<'_> {
    type Output = ();

    #[inline(always)]
    fn try_push(&mut self, data: u8) -> postcard::Result<()> {
        self.0.push(data);
        Ok(())
    }

    #[inline(always)]
    fn try_extend(&mut self, data: &[u8]) -> postcard::Result<()> {
        self.0.extend_from_slice(data);
        Ok(())
    }

    fn finalize(self) -> postcard::Result<()> {
        Ok(())
    }
}

/// A sink that writes every part, tag then value, into one buffer in postcard's encoding:
/// the bytes the state hash is taken over.
#[derive(Default)]
pub struct Bytes(pub Vec<u8>);

impl Sink for Bytes {
    fn part<T: Serialize + ?Sized>(&mut self, part: Part, value: &T) {
        encode(&mut self.0, &part);
        encode(&mut self.0, value);
    }
}

/// A sink that hashes each part's value on its own: the digests a replay records.
#[derive(Default)]
pub struct Digests {
    /// Each part with the BLAKE3 hash of its value.
    pub parts: Vec<(Part, [u8; 32])>,
    scratch: Vec<u8>,
}

impl Sink for Digests {
    fn part<T: Serialize + ?Sized>(&mut self, part: Part, value: &T) {
        self.scratch.clear();
        encode(&mut self.scratch, value);
        self.parts
            .push((part, *blake3::hash(&self.scratch).as_bytes()));
    }
}
