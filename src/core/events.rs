//! The turn log: what happened, phase by phase. The phases write these into [`TurnLog`]; the
//! events phase reads this turn's log for its triggers; the turn driver drains it when the
//! turn is over, and the CLI prints it, the GUI animates it.

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

use super::diplomacy::{Motive, RefusalReason};
use super::ids::{
    AllianceId, BlockId, CharacterId, FactionId, FleetId, LinkId, ProposalId, SectorId, TreatyId,
};
use super::orders::{Order, OrderRefusal};

/// One fleet's part in a battle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BattleLoss {
    /// The fleet.
    pub fleet: FleetId,
    /// Its owner.
    pub owner: FactionId,
    /// Strength before the battle.
    pub before: u32,
    /// Strength after; zero means destroyed.
    pub after: u32,
}

/// A battle in one sector: every side and every fleet's losses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BattleReport {
    /// Where.
    pub sector: SectorId,
    /// The sides, each a list of fleets fighting together.
    pub sides: Vec<Vec<BattleLoss>>,
    /// The pairs of sides (by position in `sides`) that fought each other; with more than
    /// two sides, some may not have been at war with each other.
    #[serde(default)]
    pub foes: Vec<(u16, u16)>,
}

/// Why a fleet lost strength outside battle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AttritionCause {
    /// Too far from any friendly sector.
    OutOfSupply,
    /// Its faction could not pay upkeep.
    Unpaid,
}

/// What decided a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    /// The winners met every one of their objectives, one of them decisive.
    ObjectivesMet,
    /// Only the winners (and their allies) are left standing.
    LastStanding,
    /// The last turn was played; the winners are those whose objectives held then.
    TimeRanOut,
    /// A scripted event ended it.
    Scripted,
}

/// Why a scripted effect could not be carried out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScriptFault {
    /// No alliance has this id (yet, or any more).
    NoSuchAlliance(String),
    /// An alliance with this id already exists.
    AllianceExists(String),
    /// No living fleet has this id.
    NoSuchFleet(String),
    /// A living fleet already has this id.
    FleetExists(String),
    /// Every fleet id has been given out (see [`crate::core::validate::MAX_FLEET_ID`]).
    NoFleetIds,
    /// The character is already dead.
    AlreadyDead(CharacterId),
    /// The rules refuse it, as they would the same order.
    Refused(OrderRefusal),
    /// The treaty cannot apply.
    Invalid(Vec<RefusalReason>),
}

/// How a scenario ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// The factions that won; none is a draw.
    pub winners: Vec<FactionId>,
    /// What decided it.
    pub decision: Decision,
    /// The turn it ended.
    pub turn: u32,
    /// The scenario's own words on the ending, when a scripted event ended it.
    pub note: Option<String>,
}

/// Something that happened in a turn.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", content = "data", rename_all = "snake_case")]
pub enum GameEvent {
    /// An order was refused.
    OrderRefused {
        /// Whose.
        faction: FactionId,
        /// The order.
        order: Order,
        /// Why.
        reason: OrderRefusal,
    },
    /// A fleet moved this turn.
    FleetMoved {
        /// The fleet.
        fleet: FleetId,
        /// Where it started.
        from: SectorId,
        /// Where it ended.
        to: SectorId,
        /// Steps taken.
        steps: u32,
    },
    /// A fleet was stopped by hostile fleets and must fight.
    FleetIntercepted {
        /// The fleet.
        fleet: FleetId,
        /// Where.
        sector: SectorId,
    },
    /// A fleet could not go on with its route.
    FleetBlocked {
        /// The fleet.
        fleet: FleetId,
        /// Where it stands.
        sector: SectorId,
        /// Why.
        reason: OrderRefusal,
    },
    /// A fleet reached the end of its route or beat and holds.
    FleetArrived {
        /// The fleet.
        fleet: FleetId,
        /// Where.
        sector: SectorId,
    },
    /// A battle was fought.
    Battle(BattleReport),
    /// A fleet was destroyed.
    FleetDestroyed {
        /// The fleet.
        fleet: FleetId,
        /// Its owner.
        owner: FactionId,
        /// Where.
        sector: SectorId,
    },
    /// A hostile faction holds a sector uncontested and will take it if it stays.
    OccupationBegun {
        /// Where.
        sector: SectorId,
        /// The occupier.
        by: FactionId,
        /// The owner, if any.
        owner: Option<FactionId>,
    },
    /// A sector changed hands.
    SectorCaptured {
        /// Where.
        sector: SectorId,
        /// The new owner.
        by: FactionId,
        /// The old owner, if any.
        from: Option<FactionId>,
    },
    /// A faction's accounts for the turn.
    Accounts {
        /// The faction.
        faction: FactionId,
        /// Industry from its sectors.
        income: i64,
        /// Upkeep of its fleets.
        upkeep: i64,
        /// Spent on ships.
        spent: i64,
        /// Saved after all that.
        treasury: i64,
    },
    /// A shipyard launched a new fleet.
    FleetBuilt {
        /// The new fleet.
        fleet: FleetId,
        /// Its owner.
        owner: FactionId,
        /// The shipyard's sector.
        sector: SectorId,
        /// Its strength.
        strength: u32,
        /// Industry spent.
        cost: i64,
    },
    /// A fleet lost strength outside battle.
    Attrition {
        /// The fleet.
        fleet: FleetId,
        /// Where.
        sector: SectorId,
        /// Strength before.
        before: u32,
        /// Strength after.
        after: u32,
        /// Why.
        cause: AttritionCause,
    },
    /// War was declared.
    WarDeclared {
        /// The declaring faction.
        by: FactionId,
        /// Its new enemy.
        on: FactionId,
        /// The reasons it gave.
        #[serde(default)]
        why: Vec<Motive>,
    },
    /// A cease-fire was ended in some blocks.
    CeaseFireEnded {
        /// Who ended it.
        by: FactionId,
        /// The other party.
        with: FactionId,
        /// The blocks where fighting resumes.
        blocks: Vec<BlockId>,
        /// The reasons it gave.
        #[serde(default)]
        why: Vec<Motive>,
    },
    /// A treaty was broken; every faction's opinion of the breaker moved, as listed.
    TreatyBroken {
        /// The treaty.
        treaty: TreatyId,
        /// The breaker.
        by: FactionId,
        /// The party wronged.
        victim: FactionId,
        /// (faction, change of its opinion of the breaker) for every other faction.
        opinion: Vec<(FactionId, i32)>,
    },
    /// A proposal was made.
    ProposalMade {
        /// Its id.
        proposal: ProposalId,
        /// The proposer.
        from: FactionId,
        /// The addressees.
        to: Vec<FactionId>,
    },
    /// A proposal was refused, with reasons.
    ProposalRefused {
        /// The proposal.
        proposal: ProposalId,
        /// The proposer.
        from: FactionId,
        /// Who refused (the proposer itself when the rules refused it).
        by: FactionId,
        /// Why.
        reasons: Vec<RefusalReason>,
    },
    /// A treaty was signed.
    TreatySigned {
        /// The treaty.
        treaty: TreatyId,
        /// Its name.
        name: String,
        /// Who signed.
        signatories: Vec<FactionId>,
    },
    /// Two factions made peace.
    PeaceMade {
        /// The pair.
        between: (FactionId, FactionId),
        /// By which treaty.
        treaty: TreatyId,
    },
    /// Two factions at war agreed to stop fighting everywhere.
    TruceAgreed {
        /// The pair.
        between: (FactionId, FactionId),
        /// By which treaty.
        treaty: TreatyId,
    },
    /// Two factions at war agreed a cease-fire in some blocks.
    CeaseFireAgreed {
        /// The pair.
        between: (FactionId, FactionId),
        /// The blocks.
        blocks: Vec<BlockId>,
        /// By which treaty.
        treaty: TreatyId,
    },
    /// An alliance was founded.
    AllianceFormed {
        /// The alliance.
        alliance: AllianceId,
        /// Its name.
        name: String,
        /// Its founders.
        members: Vec<FactionId>,
    },
    /// A faction joined an alliance.
    AllianceJoined {
        /// The alliance.
        alliance: AllianceId,
        /// The new member.
        faction: FactionId,
    },
    /// A faction left an alliance.
    AllianceLeft {
        /// The alliance.
        alliance: AllianceId,
        /// The former member.
        faction: FactionId,
    },
    /// A faction lost its last sector and fleet.
    FactionDefeated {
        /// The faction.
        faction: FactionId,
    },
    /// The scenario is over.
    ScenarioEnded(Outcome),
    /// A scripted event fired.
    EventFired {
        /// The event's id.
        event: String,
    },
    /// A scripted event's message, with the mission it comes from.
    Message {
        /// The event's id.
        event: String,
        /// The text.
        text: String,
        /// Where it comes from.
        source: Option<String>,
    },
    /// A scripted event offers a faction a choice.
    ChoiceOffered {
        /// The event's id.
        event: String,
        /// Who chooses.
        faction: FactionId,
        /// The question.
        prompt: String,
        /// (id, text) of each option.
        options: Vec<(String, String)>,
    },
    /// A choice was made.
    ChoiceMade {
        /// The event's id.
        event: String,
        /// Who chose.
        faction: FactionId,
        /// The option's id.
        option: String,
        /// Whether the scenario's rule chose, for want of an answer.
        by_rule: bool,
    },
    /// Events kept setting each other off; the chain was cut.
    EventChainCut {
        /// The events that repeat, in order.
        chain: Vec<String>,
    },
    /// A scripted effect could not be carried out.
    EffectSkipped {
        /// The event's id.
        event: String,
        /// Why.
        reason: ScriptFault,
    },
    /// A sector was handed over by a scripted event.
    SectorTransferred {
        /// The sector.
        sector: SectorId,
        /// The new owner, if any.
        to: Option<FactionId>,
        /// The old owner, if any.
        from: Option<FactionId>,
    },
    /// A sector's shipyard and industry were destroyed.
    FacilitiesDestroyed {
        /// The sector.
        sector: SectorId,
    },
    /// A fleet appeared.
    FleetSpawned {
        /// The fleet.
        fleet: FleetId,
        /// Its owner.
        owner: FactionId,
        /// Where.
        sector: SectorId,
        /// Its strength.
        strength: u32,
    },
    /// A fleet was moved by a scripted event.
    FleetRelocated {
        /// The fleet.
        fleet: FleetId,
        /// From.
        from: SectorId,
        /// To.
        to: SectorId,
    },
    /// A scripted event ended a power's occupation of a sector.
    OccupationEnded {
        /// The sector.
        sector: SectorId,
        /// The power that occupied it.
        by: FactionId,
    },
    /// A link opened or closed.
    LinkChanged {
        /// The link.
        link: LinkId,
        /// Whether it is open now.
        open: bool,
    },
    /// A character died.
    CharacterDied {
        /// The character.
        character: CharacterId,
    },
    /// A character was declared a traitor.
    TraitorDeclared {
        /// The character.
        character: CharacterId,
        /// By whom, if a faction declared it.
        by: Option<FactionId>,
    },
    /// One faction's opinion of another was changed by a scripted event.
    OpinionChanged {
        /// Whose opinion.
        holder: FactionId,
        /// Of whom.
        of: FactionId,
        /// By how much.
        delta: i32,
    },
    /// An alliance took a new name.
    AllianceRenamed {
        /// The alliance.
        alliance: AllianceId,
        /// The old name.
        from: String,
        /// The new name.
        to: String,
    },
    /// A member was expelled from an alliance.
    AllianceExpelled {
        /// The alliance.
        alliance: AllianceId,
        /// The former member.
        faction: FactionId,
    },
    /// An alliance got a chair, or lost it.
    AllianceChairSet {
        /// The alliance.
        alliance: AllianceId,
        /// The chair.
        chair: Option<CharacterId>,
    },
    /// An alliance got a headquarters, or lost it.
    AllianceHqSet {
        /// The alliance.
        alliance: AllianceId,
        /// The headquarters.
        hq: Option<SectorId>,
    },
    /// An alliance formed a joint command.
    JointCommandFormed {
        /// The alliance.
        alliance: AllianceId,
        /// The command's name.
        name: String,
    },
    /// A secret pact came to light.
    PactRevealed {
        /// The pact's id.
        pact: String,
        /// Its name.
        name: String,
        /// Factions party to it.
        factions: Vec<FactionId>,
        /// Characters party to it.
        characters: Vec<CharacterId>,
        /// What it said.
        terms: String,
    },
    /// A flag was set.
    FlagSet {
        /// The flag.
        flag: String,
    },
}

/// The log of the turn being played: every [`GameEvent`] in the order the phases wrote them.
///
/// An explicit resource rather than a Bevy message buffer, so that what the events phase sees
/// does not depend on when a host's frame loop would rotate or clear message buffers: the log
/// is emptied when a turn starts and drained by [`crate::core::game::Game::play_turn`] when
/// it ends, and nothing else touches it.
#[derive(Resource, Clone, Debug, Default)]
pub struct TurnLog {
    events: Vec<GameEvent>,
    /// How many events the last turn logged.
    last_len: usize,
}

/// Two logs are equal when they hold the same events.
impl PartialEq for TurnLog {
    fn eq(&self, other: &Self) -> bool {
        self.events == other.events
    }
}

impl Eq for TurnLog {}

impl TurnLog {
    /// Adds one event.
    pub fn write(&mut self, event: GameEvent) {
        self.events.push(event);
    }

    /// Adds events in order.
    pub fn write_batch(&mut self, events: impl IntoIterator<Item = GameEvent>) {
        self.events.extend(events);
    }

    /// Empties the log for a turn, with room for `events` and for as many as the last turn
    /// logged, made at once. A log without the room gets a buffer of its own: growing the
    /// last one would copy it whole, though nothing in it is kept.
    pub fn start(&mut self, events: usize) {
        let room = events.max(self.last_len);
        if self.events.capacity() < room {
            self.events = Vec::with_capacity(room);
        } else {
            self.events.clear();
        }
    }

    /// What this turn has logged so far.
    pub fn events(&self) -> &[GameEvent] {
        &self.events
    }

    /// How many events the log has room for without growing.
    pub fn room(&self) -> usize {
        self.events.capacity()
    }

    /// Takes the whole log, leaving it empty; the next turn's log (see [`TurnLog::start`])
    /// has room for as many events as it held, most often about as many as it will write.
    pub fn drain(&mut self) -> Vec<GameEvent> {
        self.last_len = self.events.len();
        std::mem::take(&mut self.events)
    }
}
