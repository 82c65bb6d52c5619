//! Orders: everything a faction can tell the world to do in a turn, and the typed reasons an
//! order is refused. Players, the AI and replays all give orders the same way; `Game::check` says
//! before a turn whether the turn would carry an order out; [`named`] writes orders with content
//! ids.

mod check;
pub mod named;

pub(crate) use check::{Question, check_order};

use std::collections::BTreeMap;

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

use super::diplomacy::{Answer, Clause, Motive, RefusalReason};
use super::fleet::Assignment;
use super::galaxy::NoRoute;
use super::ids::{AllianceId, BlockId, FactionId, FleetId, LinkId, ProposalId, SectorId};

/// One order of one faction for one turn.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Order {
    /// Follow a route, one sector after another, at the fleet's speed; over several turns if
    /// it is long. The route leaves out the sector the fleet is in.
    Move {
        /// The fleet.
        fleet: FleetId,
        /// The sectors to enter, in order.
        route: Vec<SectorId>,
    },
    /// Stay and defend.
    Hold {
        /// The fleet.
        fleet: FleetId,
    },
    /// Go back and forth between two sectors.
    Patrol {
        /// The fleet.
        fleet: FleetId,
        /// The two ends of the beat.
        stations: [SectorId; 2],
    },
    /// Close with a hostile fleet within reach this turn and fight it.
    Attack {
        /// The fleet.
        fleet: FleetId,
        /// The fleet to engage.
        target: FleetId,
    },
    /// Fall back to the nearest friendly shipyard.
    Withdraw {
        /// The fleet.
        fleet: FleetId,
    },
    /// Put the fleet under a joint command, or take it out (`None`).
    Assign {
        /// The fleet.
        fleet: FleetId,
        /// The joint command.
        command: Option<Assignment>,
    },
    /// Build a new fleet at an own shipyard.
    Build {
        /// The shipyard's sector.
        sector: SectorId,
        /// Strength of the new fleet.
        strength: u32,
    },
    /// Declare war. Breaks any treaty of peace or truce with that faction.
    DeclareWar {
        /// The enemy.
        on: FactionId,
        /// Why, as the declaration gives it (the AI's reasons; none from a person).
        #[serde(default)]
        why: Vec<Motive>,
    },
    /// End a cease-fire in some blocks; the treaties that made it are broken.
    EndCeaseFire {
        /// The other party.
        with: FactionId,
        /// The blocks.
        blocks: Vec<BlockId>,
        /// Why, as the declaration gives it.
        #[serde(default)]
        why: Vec<Motive>,
    },
    /// Offer a treaty.
    Propose {
        /// The treaty's name if signed.
        name: String,
        /// Who must accept.
        to: Vec<FactionId>,
        /// Its terms.
        clauses: Vec<Clause>,
    },
    /// Answer a proposal addressed to this faction.
    Answer {
        /// The proposal.
        proposal: ProposalId,
        /// Accept, or refuse with reasons.
        answer: Answer,
    },
    /// Leave an alliance.
    LeaveAlliance {
        /// The alliance.
        alliance: AllianceId,
    },
    /// Answer a choice a scripted event offered.
    Choose {
        /// The event's id.
        event: String,
        /// The option's id.
        option: String,
    },
}

impl Order {
    /// The fleet the order is for, if it is a fleet order.
    pub fn fleet(&self) -> Option<FleetId> {
        match self {
            Order::Move { fleet, .. }
            | Order::Hold { fleet }
            | Order::Patrol { fleet, .. }
            | Order::Attack { fleet, .. }
            | Order::Withdraw { fleet }
            | Order::Assign { fleet, .. } => Some(*fleet),
            _ => None,
        }
    }

    /// Whether the diplomacy phase handles it.
    pub fn is_diplomatic(&self) -> bool {
        matches!(
            self,
            Order::DeclareWar { .. }
                | Order::EndCeaseFire { .. }
                | Order::Propose { .. }
                | Order::Answer { .. }
                | Order::LeaveAlliance { .. }
        )
    }
}

/// Why an order cannot be carried out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderRefusal {
    /// There is no such fleet (any more).
    NoSuchFleet(FleetId),
    /// The fleet belongs to another faction.
    NotYourFleet {
        /// The fleet.
        fleet: FleetId,
        /// Its owner.
        owner: FactionId,
    },
    /// There is no such sector.
    NoSuchSector(SectorId),
    /// A move with an empty route.
    EmptyRoute,
    /// Two consecutive sectors of the route are neither neighbours nor linked.
    NotConnected {
        /// Where the step starts.
        from: SectorId,
        /// Where it was meant to go.
        to: SectorId,
    },
    /// The route goes through a closed link.
    LinkClosed(LinkId),
    /// No route leads there.
    NoRoute(SectorId),
    /// The target is further than the fleet can go this turn.
    NotEnoughSpeed {
        /// Steps needed.
        needed: u32,
        /// The fleet's speed.
        speed: u8,
    },
    /// The fleet cannot move at all.
    Immobile,
    /// The target fleet is not an enemy here.
    NotHostile {
        /// The target.
        target: FleetId,
        /// Its owner.
        owner: FactionId,
    },
    /// A cease-fire holds where the target is.
    UnderCeaseFire {
        /// Where.
        sector: SectorId,
        /// With whom.
        with: FactionId,
    },
    /// There is no friendly shipyard to fall back to.
    NowhereToWithdraw,
    /// No such joint command.
    NoSuchCommand(Assignment),
    /// The fleet's faction does not serve in that joint command.
    NotInCommand(Assignment),
    /// The sector is not the faction's.
    NotYourSector(SectorId),
    /// The sector has no shipyard.
    NoShipyard(SectorId),
    /// A hostile fleet sits on the shipyard.
    Blockaded {
        /// The shipyard's sector.
        sector: SectorId,
        /// The blockading faction.
        by: FactionId,
    },
    /// Not enough industry saved.
    NotEnoughIndustry {
        /// The cost.
        needed: i64,
        /// What the faction has.
        have: i64,
    },
    /// The shipyard cannot build that much this turn.
    OverCapacity {
        /// What is left of its capacity.
        capacity: u32,
    },
    /// A build of zero strength.
    NothingToBuild,
    /// There is no such faction.
    NoSuchFaction(FactionId),
    /// A faction cannot do that to itself.
    ItsYou,
    /// Already at war with them.
    AlreadyAtWar(FactionId),
    /// Allies cannot declare war on each other; leave the alliance first.
    Allied(FactionId),
    /// Not at war with them.
    NotAtWar(FactionId),
    /// No cease-fire holds with them in that block.
    NoCeaseFireIn {
        /// The other party.
        with: FactionId,
        /// The block.
        block: BlockId,
    },
    /// An order about cease-fire blocks names none.
    NoBlocksNamed,
    /// There is no such proposal waiting.
    NoSuchProposal(ProposalId),
    /// The proposal is not addressed to this faction.
    NotAddressed(ProposalId),
    /// This faction already answered it.
    AlreadyAnswered(ProposalId),
    /// The proposal cannot apply, for these reasons.
    InvalidProposal(Vec<RefusalReason>),
    /// There is no such alliance.
    NoSuchAlliance(AllianceId),
    /// The faction is not a member.
    NotAMember(AllianceId),
    /// A defeated faction gives no orders.
    Defeated,
    /// The AI holds this faction's seat; only a person's seat takes orders from outside.
    AiSeat,
    /// No choice of that event waits for this faction's answer.
    NoSuchChoice(String),
    /// The choice has no such option.
    NoSuchOption(String),
}

impl OrderRefusal {
    /// The refusal for a route that cannot be found to `to`.
    pub fn no_route(reason: NoRoute, to: SectorId) -> Self {
        match reason {
            NoRoute::Unreachable => OrderRefusal::NoRoute(to),
            NoRoute::LinkClosed(link) => OrderRefusal::LinkClosed(link),
        }
    }
}

/// The orders of every faction for the turn being played, in the order each gave them.
/// The phases take what is theirs; what is left after the turn is cleared.
#[derive(Resource, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TurnOrders(pub BTreeMap<FactionId, Vec<Order>>);

impl TurnOrders {
    /// Every order, faction by faction in id order, each faction's in the order given.
    pub fn iter(&self) -> impl Iterator<Item = (FactionId, &Order)> + '_ {
        self.0
            .iter()
            .flat_map(|(f, orders)| orders.iter().map(move |o| (*f, o)))
    }

    /// How many orders there are, of every faction.
    pub fn len(&self) -> usize {
        self.0.values().map(Vec::len).sum()
    }

    /// Whether no faction gave an order.
    pub fn is_empty(&self) -> bool {
        self.0.values().all(Vec::is_empty)
    }
}

/// A decision waiting for a faction's answer before the turn ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// A proposal addressed to it. Left unanswered by a person when the turn ends, it is
    /// refused with [`RefusalReason::NoAnswer`](super::diplomacy::RefusalReason::NoAnswer).
    Proposal(super::diplomacy::Proposal),
    /// A choice an event offered it. Left unanswered, the scenario's own pick for it is taken
    /// when the turn is played (logged as taken by rule).
    Choice {
        /// The event's id.
        event: String,
        /// The question.
        prompt: String,
        /// The options: id and text.
        options: Vec<(String, String)>,
        /// The option taken if no answer comes.
        default: String,
    },
}

/// Where a fleet would go and how long it would take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoutePreview {
    /// The sectors to enter, in order; the fleet's own sector is not in it.
    pub path: Vec<SectorId>,
    /// Turns to arrive, at the fleet's speed, if nothing stops it.
    pub turns: u32,
}
