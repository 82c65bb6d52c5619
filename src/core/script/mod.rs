//! Scripted events: what a scenario makes happen when something happens. Each event has a
//! trigger, an optional condition, effects, and optionally a delay, a once-only flag and a
//! choice offered to a faction. They are data from the scenario's file, resolved to ids; the
//! events phase (`phase.rs`) fires them and carries out their effects (`effects.rs`).

mod effects;
mod phase;

use std::collections::BTreeSet;

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

pub(super) use phase::{plugin, watch};

use super::calendar::Date;
use super::diplomacy::Stance;
use super::ids::{BlockId, CharacterId, FactionId, LinkId, SectorId};

/// A sector or a whole block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Place {
    /// One sector.
    Sector(SectorId),
    /// Every sector of a block.
    Block(BlockId),
}

/// What sets an event off. Triggers that watch for happenings look at what happened this
/// turn, including what earlier events of the same turn did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Trigger {
    /// The events phase of this turn.
    Turn(u32),
    /// The events phase of the turn of this month.
    Date(Date),
    /// A fleet of the faction ends its move in the place.
    FleetEnters {
        /// Whose fleet.
        faction: FactionId,
        /// Where.
        place: Place,
    },
    /// A sector of the place changes hands (to this faction, if named).
    ChangesHands {
        /// Where.
        place: Place,
        /// The new owner, if it matters.
        to: Option<FactionId>,
    },
    /// Two factions come to stand this way toward each other.
    RelationBecomes {
        /// One of the pair.
        a: FactionId,
        /// The other.
        b: FactionId,
        /// The stance.
        stance: Stance,
    },
    /// A treaty is signed (with this name, by this party, if named).
    TreatySigned {
        /// The treaty's name.
        name: Option<String>,
        /// A signatory.
        party: Option<FactionId>,
    },
    /// A treaty is broken (with this name, by this faction, if named).
    TreatyBroken {
        /// The treaty's name.
        name: Option<String>,
        /// The breaker.
        by: Option<FactionId>,
    },
    /// Another event fires.
    EventFired(usize),
    /// A faction's total fleet strength is below a value.
    StrengthBelow {
        /// The faction.
        faction: FactionId,
        /// The value.
        value: u64,
    },
    /// The fleet with this id is below a strength, or no longer exists.
    FleetBelow {
        /// The fleet's id.
        fleet: String,
        /// The value.
        value: u32,
    },
    /// A character dies.
    CharacterDies(CharacterId),
}

/// A test of the world when an event would fire.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Condition {
    /// Every one holds.
    All(Vec<Condition>),
    /// At least one holds.
    Any(Vec<Condition>),
    /// It does not hold.
    Not(Box<Condition>),
    /// The two are at war.
    AtWar(FactionId, FactionId),
    /// The two stand so toward each other.
    Stance(FactionId, FactionId, Stance),
    /// The faction holds the sector, or every sector of the block.
    Holds(FactionId, Place),
    /// The character lives.
    Alive(CharacterId),
    /// The faction is defeated.
    Defeated(FactionId),
    /// A flag is set.
    Flag(String),
    /// The event has fired before.
    Fired(usize),
    /// The faction's total fleet strength is at least this.
    StrengthAtLeast(FactionId, u64),
    /// The faction belongs to the alliance (by its id).
    Member(FactionId, String),
    /// The turn is at least this.
    TurnAtLeast(u32),
}

/// A clause of a scripted treaty; alliances are named by id because some are founded by the
/// script itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScriptClause {
    /// End the war between the signatories.
    EndWar,
    /// A general cease-fire.
    Truce,
    /// A cease-fire in these blocks.
    CeaseFire(Vec<BlockId>),
    /// Found an alliance (id, name).
    FormAlliance(String, String),
    /// Join an alliance (by id).
    JoinAlliance(String),
}

/// A fleet a script brings into play.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FleetSpawn {
    /// Its id, for later effects.
    pub key: String,
    /// Its name.
    pub name: String,
    /// Its owner.
    pub owner: FactionId,
    /// Where it appears.
    pub sector: SectorId,
    /// Its strength.
    pub strength: u32,
    /// Its speed.
    pub speed: u8,
    /// Its commander.
    pub commander: Option<CharacterId>,
}

/// What an event does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Effect {
    /// A message in the turn log, with the mission it comes from.
    Message {
        /// The text.
        text: String,
        /// Its source, e.g. `STO - "Surface Tension"`.
        source: Option<String>,
    },
    /// The first declares war on the second.
    DeclareWar(FactionId, FactionId),
    /// The two make peace.
    MakePeace(FactionId, FactionId),
    /// The two, at war, agree a cease-fire in these blocks.
    CeaseFire(FactionId, FactionId, Vec<BlockId>),
    /// The first ends its cease-fire with the second in these blocks.
    EndCeaseFire(FactionId, FactionId, Vec<BlockId>),
    /// A treaty is signed.
    SignTreaty {
        /// Its name.
        name: String,
        /// Who signs.
        signatories: Vec<FactionId>,
        /// Its terms.
        clauses: Vec<ScriptClause>,
    },
    /// An alliance is founded.
    FormAlliance {
        /// Its id.
        key: String,
        /// Its name.
        name: String,
        /// Its members.
        members: Vec<FactionId>,
    },
    /// An alliance takes a new name.
    RenameAlliance {
        /// The alliance's id.
        alliance: String,
        /// The new name.
        name: String,
    },
    /// A faction joins an alliance.
    Admit {
        /// The alliance's id.
        alliance: String,
        /// The new member.
        faction: FactionId,
    },
    /// A faction is expelled from an alliance.
    Expel {
        /// The alliance's id.
        alliance: String,
        /// The member.
        faction: FactionId,
    },
    /// An alliance gets a chair (or none).
    SetChair {
        /// The alliance's id.
        alliance: String,
        /// The chair.
        chair: Option<CharacterId>,
    },
    /// An alliance gets a headquarters (or loses it).
    SetHq {
        /// The alliance's id.
        alliance: String,
        /// The sector.
        hq: Option<SectorId>,
    },
    /// An alliance forms a joint command.
    FormJointCommand {
        /// The alliance's id.
        alliance: String,
        /// The command's id.
        key: String,
        /// Its name.
        name: String,
        /// The factions serving in it.
        members: Vec<FactionId>,
        /// Its commander.
        commander: Option<CharacterId>,
    },
    /// A secret pact comes to light.
    RevealPact(usize),
    /// A link opens or closes.
    SetLink(LinkId, bool),
    /// A fleet appears.
    SpawnFleet(FleetSpawn),
    /// A fleet (by id) is moved to a sector.
    MoveFleet(String, SectorId),
    /// Every fleet of a faction in a place goes to a sector, and its occupations there end.
    DriveOut {
        /// The faction.
        faction: FactionId,
        /// Where from.
        from: Place,
        /// Where to.
        to: SectorId,
    },
    /// A fleet (by id) is destroyed.
    DestroyFleet(String),
    /// A sector changes hands (or is abandoned).
    TransferSector(SectorId, Option<FactionId>),
    /// A sector loses its shipyard and industry.
    DestroyFacilities(SectorId),
    /// A character dies.
    KillCharacter(CharacterId),
    /// A character is declared a traitor (by a faction, if named).
    DeclareTraitor(CharacterId, Option<FactionId>),
    /// One faction's opinion of another changes.
    ChangeOpinion {
        /// Whose opinion.
        holder: FactionId,
        /// Of whom.
        of: FactionId,
        /// By how much.
        value: i32,
    },
    /// A flag is set, for conditions and objectives.
    SetFlag(String),
    /// The scenario ends with these winners.
    EndScenario {
        /// The winners (none: no one wins).
        winners: Vec<FactionId>,
        /// Why, for the result.
        text: String,
    },
}

/// One option of a choice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChoiceOption {
    /// Its id, as orders name it.
    pub key: String,
    /// Its text.
    pub text: String,
    /// What it does.
    pub effects: Vec<Effect>,
}

/// A choice an event offers a faction. The faction answers with an order the next turn; if
/// it does not (or is played by the AI), the option `ai_picks` is taken.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// Who chooses.
    pub faction: FactionId,
    /// The question.
    pub prompt: String,
    /// The options.
    pub options: Vec<ChoiceOption>,
    /// The option taken by the AI and when no answer comes.
    pub ai_picks: usize,
}

/// A scripted event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScriptedEvent {
    /// Its id.
    pub key: String,
    /// What sets it off.
    pub trigger: Trigger,
    /// What must hold when it fires.
    pub condition: Option<Condition>,
    /// What it does.
    pub effects: Vec<Effect>,
    /// Whether it fires at most once in a game.
    pub once: bool,
    /// Turns between the trigger and the firing.
    pub delay: u32,
    /// A choice it offers.
    pub choice: Option<Choice>,
}

/// A secret pact, hidden until an event reveals it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretPact {
    /// Its id.
    pub key: String,
    /// Its name.
    pub name: String,
    /// Factions party to it.
    pub factions: Vec<FactionId>,
    /// Characters party to it.
    pub characters: Vec<CharacterId>,
    /// What it says.
    pub terms: String,
    /// The turn it came to light, if it has.
    pub revealed: Option<u32>,
}

/// An event triggered with a delay, waiting for its turn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delayed {
    /// The event.
    pub event: usize,
    /// The turn it fires.
    pub due: u32,
}

/// A choice waiting for its answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingChoice {
    /// The event that offered it.
    pub event: usize,
    /// The turn it was offered.
    pub offered: u32,
}

/// The scenario's script and where it stands.
#[derive(Resource, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Script {
    /// The events, in the order they are considered.
    pub events: Vec<ScriptedEvent>,
    /// The secret pacts.
    pub pacts: Vec<SecretPact>,
    /// The last turn each event fired, if it has.
    pub fired: Vec<Option<u32>>,
    /// Events triggered and waiting out their delay.
    pub delayed: Vec<Delayed>,
    /// Choices waiting for answers.
    pub choices: Vec<PendingChoice>,
    /// Flags set by events.
    pub flags: BTreeSet<String>,
}

impl Script {
    /// A script of these events and pacts, none fired yet.
    pub fn new(events: Vec<ScriptedEvent>, pacts: Vec<SecretPact>) -> Self {
        let fired = vec![None; events.len()];
        Self {
            events,
            pacts,
            fired,
            ..default()
        }
    }

    /// The event with this id.
    pub fn event(&self, key: &str) -> Option<usize> {
        self.events.iter().position(|e| e.key == key)
    }

    /// The choices waiting for a faction's answer: (event id, choice).
    pub fn choices_for(&self, faction: FactionId) -> impl Iterator<Item = (&str, &Choice)> + '_ {
        self.choices.iter().filter_map(move |p| {
            let event = &self.events[p.event];
            event
                .choice
                .as_ref()
                .filter(|c| c.faction == faction)
                .map(|c| (event.key.as_str(), c))
        })
    }
}

/// Most times events may fire in one turn before the chain is cut as a loop.
pub const CHAIN_CAP: usize = 64;
