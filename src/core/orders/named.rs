//! Orders written with content ids — `Move(fleet: "fed_home", to: "sol")` — as a person writes
//! them in an orders file, and their translation to and from the rules' [`Order`]s against a
//! live world. Fleets built during play are named `squadron_N` by the rules, so every fleet
//! has a printable id an orders file can use.

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

use super::Order;
use crate::core::diplomacy::{Answer, Clause, Diplomacy, RefusalReason};
use crate::core::faction::{Faction, FactionIndex};
use crate::core::fleet::{Assignment, Fleet, FleetIndex, FleetName, FleetRoll, Location};
use crate::core::galaxy::Galaxy;
use crate::core::ids::{AllianceId, BlockId, FactionId, FleetId, ProposalId, SectorId};
use crate::core::orders::OrderRefusal;

/// One order, with every thing it names written by its id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum NamedOrder {
    /// Go to a sector: by the shortest open route (`to`), or along the sectors of `route`.
    Move {
        /// The fleet.
        fleet: String,
        /// Where to go, by the shortest open route.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<String>,
        /// Or the sectors to enter, in order.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        route: Vec<String>,
    },
    /// Stay and defend.
    Hold {
        /// The fleet.
        fleet: String,
    },
    /// Go back and forth between two sectors.
    Patrol {
        /// The fleet.
        fleet: String,
        /// The two ends of the beat.
        between: (String, String),
    },
    /// Close with a hostile fleet within reach this turn and fight it.
    Attack {
        /// The fleet.
        fleet: String,
        /// The fleet to engage.
        target: String,
    },
    /// Fall back to the nearest friendly shipyard.
    Withdraw {
        /// The fleet.
        fleet: String,
    },
    /// Put the fleet under a joint command (by its id), or take it out (`None`).
    Assign {
        /// The fleet.
        fleet: String,
        /// The joint command's id, e.g. `task_force_omega`.
        #[serde(default)]
        command: Option<String>,
    },
    /// Build a new fleet at an own shipyard.
    Build {
        /// The shipyard's sector.
        at: String,
        /// Strength of the new fleet.
        strength: u32,
    },
    /// Declare war.
    DeclareWar {
        /// The enemy.
        on: String,
    },
    /// End a cease-fire in some blocks.
    EndCeaseFire {
        /// The other party.
        with: String,
        /// The blocks.
        blocks: Vec<String>,
    },
    /// Offer a treaty.
    Propose {
        /// The treaty's name if signed.
        name: String,
        /// Who must accept.
        to: Vec<String>,
        /// Its terms.
        clauses: Vec<NamedClause>,
    },
    /// Answer a proposal (its number, as the turn log prints it: `proposal #3`).
    Answer {
        /// The proposal's number.
        proposal: u32,
        /// Sign it, or decline.
        accept: bool,
    },
    /// Leave an alliance.
    LeaveAlliance {
        /// The alliance.
        alliance: String,
    },
    /// Answer a choice an event offered.
    Choose {
        /// The event's id.
        event: String,
        /// The option's id.
        option: String,
    },
}

/// A clause of a proposed treaty, with ids.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum NamedClause {
    /// Make peace.
    EndWar,
    /// Stop fighting everywhere.
    Truce,
    /// Stop fighting in these blocks.
    CeaseFire {
        /// The blocks.
        blocks: Vec<String>,
    },
    /// Found an alliance.
    FormAlliance {
        /// Its id.
        key: String,
        /// Its name.
        name: String,
    },
    /// Join an alliance.
    JoinAlliance {
        /// The alliance.
        alliance: String,
    },
}

/// What kind of thing a name was looked up as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameKind {
    /// A living fleet.
    Fleet,
    /// A sector.
    Sector,
    /// A sector block.
    Block,
    /// A faction.
    Faction,
    /// An alliance in being.
    Alliance,
    /// A joint command.
    Command,
}

impl NameKind {
    /// The word for it.
    pub fn word(self) -> &'static str {
        match self {
            NameKind::Fleet => "fleet",
            NameKind::Sector => "sector",
            NameKind::Block => "sector block",
            NameKind::Faction => "faction",
            NameKind::Alliance => "alliance",
            NameKind::Command => "joint command",
        }
    }
}

/// Why a named order cannot become an order of the rules.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Unresolved {
    /// A name that nothing in the game has now.
    #[error("no {} `{key}` in the game now{}", kind.word(), nearest.as_ref().map_or_else(String::new, |n| format!(" (did you mean `{n}`?)")))]
    Unknown {
        /// What it was looked up as.
        kind: NameKind,
        /// The name.
        key: String,
        /// The nearest name there is.
        nearest: Option<String>,
    },
    /// A move names both `to` and `route`, or neither.
    #[error("a move names either `to` or `route`, not {}", if *both { "both" } else { "neither" })]
    MoveTarget {
        /// Whether both were named.
        both: bool,
    },
    /// The rules refuse it before it can be written as an order (no route to `to`).
    #[error("refused: {0:?}")]
    Refused(OrderRefusal),
}

/// Looks names up in a live world.
pub struct Names<'w> {
    world: &'w World,
}

impl<'w> Names<'w> {
    /// Names of this world.
    pub fn new(world: &'w World) -> Self {
        Self { world }
    }

    fn unknown(kind: NameKind, key: &str, known: Vec<&str>) -> Unresolved {
        Unresolved::Unknown {
            kind,
            key: key.to_owned(),
            nearest: crate::spelling::nearest(key, known).map(str::to_owned),
        }
    }

    /// Every living fleet in id order, with its owner and its id in files.
    fn living_fleets(&self) -> Vec<(FleetId, FactionId, &'w str)> {
        let index = self.world.resource::<FleetIndex>();
        index
            .iter()
            .filter_map(|(id, e)| {
                let fleet = self.world.get::<Fleet>(e)?;
                let name = self.world.get::<FleetName>(e)?;
                Some((id, fleet.owner, name.key.as_str()))
            })
            .collect()
    }

    /// A living fleet by id; the faction's own first, where two powers' fleets share one.
    pub fn fleet(&self, faction: FactionId, key: &str) -> Result<FleetId, Unresolved> {
        let fleets = self.living_fleets();
        let mut found = fleets.iter().filter(|f| f.2 == key);
        let first = found.clone().next();
        found
            .find(|f| f.1 == faction)
            .or(first)
            .map(|f| f.0)
            .ok_or_else(|| {
                Self::unknown(NameKind::Fleet, key, fleets.iter().map(|f| f.2).collect())
            })
    }

    /// A sector by id.
    pub fn sector(&self, key: &str) -> Result<SectorId, Unresolved> {
        let galaxy = self.world.resource::<Galaxy>();
        galaxy
            .places()
            .iter()
            .position(|p| &*p.key == key)
            .map(SectorId::from_index)
            .ok_or_else(|| {
                Self::unknown(
                    NameKind::Sector,
                    key,
                    galaxy.places().iter().map(|p| &*p.key).collect(),
                )
            })
    }

    /// A sector block by id.
    pub fn block(&self, key: &str) -> Result<BlockId, Unresolved> {
        let galaxy = self.world.resource::<Galaxy>();
        galaxy
            .blocks()
            .iter()
            .position(|b| b.key == key)
            .map(BlockId::from_index)
            .ok_or_else(|| {
                Self::unknown(
                    NameKind::Block,
                    key,
                    galaxy.blocks().iter().map(|b| b.key.as_str()).collect(),
                )
            })
    }

    fn faction_rows(&self) -> Vec<&'w Faction> {
        let index = self.world.resource::<FactionIndex>();
        index
            .0
            .iter()
            .filter_map(|&e| self.world.get::<Faction>(e))
            .collect()
    }

    /// A faction by id.
    pub fn faction(&self, key: &str) -> Result<FactionId, Unresolved> {
        let rows = self.faction_rows();
        rows.iter()
            .find(|f| f.key == key)
            .map(|f| f.id)
            .ok_or_else(|| {
                Self::unknown(
                    NameKind::Faction,
                    key,
                    rows.iter().map(|f| f.key.as_str()).collect(),
                )
            })
    }

    /// An alliance in being, by id.
    pub fn alliance(&self, key: &str) -> Result<AllianceId, Unresolved> {
        let diplomacy = self.world.resource::<Diplomacy>();
        let live = || {
            diplomacy
                .alliances
                .iter()
                .enumerate()
                .filter(|(_, a)| a.dissolved.is_none())
        };
        live()
            .find(|(_, a)| a.key == key)
            .map(|(i, _)| AllianceId::from_index(i))
            .ok_or_else(|| {
                Self::unknown(
                    NameKind::Alliance,
                    key,
                    live().map(|(_, a)| a.key.as_str()).collect(),
                )
            })
    }

    /// A joint command of an alliance in being, by id.
    pub fn command(&self, key: &str) -> Result<Assignment, Unresolved> {
        let diplomacy = self.world.resource::<Diplomacy>();
        let commands = || {
            diplomacy
                .alliances
                .iter()
                .enumerate()
                .filter(|(_, a)| a.dissolved.is_none())
                .flat_map(|(i, a)| {
                    a.commands.iter().enumerate().map(move |(k, c)| {
                        (
                            Assignment {
                                alliance: AllianceId::from_index(i),
                                command: k as u16,
                            },
                            c.key.as_str(),
                        )
                    })
                })
        };
        commands()
            .find(|(_, k)| *k == key)
            .map(|(a, _)| a)
            .ok_or_else(|| {
                Self::unknown(NameKind::Command, key, commands().map(|(_, k)| k).collect())
            })
    }

    /// The rules' order for a named one given by `faction`.
    pub fn resolve(&self, faction: FactionId, order: &NamedOrder) -> Result<Order, Unresolved> {
        Ok(match order {
            NamedOrder::Move { fleet, to, route } => {
                let fleet = self.fleet(faction, fleet)?;
                let route = match (to, route.is_empty()) {
                    (Some(to), true) => {
                        let to = self.sector(to)?;
                        let from = self.location(fleet);
                        self.world
                            .resource::<Galaxy>()
                            .route(from, to)
                            .map_err(|e| Unresolved::Refused(OrderRefusal::no_route(e, to)))?
                    }
                    (None, false) => route
                        .iter()
                        .map(|s| self.sector(s))
                        .collect::<Result<_, _>>()?,
                    (to, _) => return Err(Unresolved::MoveTarget { both: to.is_some() }),
                };
                Order::Move { fleet, route }
            }
            NamedOrder::Hold { fleet } => Order::Hold {
                fleet: self.fleet(faction, fleet)?,
            },
            NamedOrder::Patrol { fleet, between } => Order::Patrol {
                fleet: self.fleet(faction, fleet)?,
                stations: [self.sector(&between.0)?, self.sector(&between.1)?],
            },
            NamedOrder::Attack { fleet, target } => Order::Attack {
                fleet: self.fleet(faction, fleet)?,
                target: self.enemy_fleet(faction, target)?,
            },
            NamedOrder::Withdraw { fleet } => Order::Withdraw {
                fleet: self.fleet(faction, fleet)?,
            },
            NamedOrder::Assign { fleet, command } => Order::Assign {
                fleet: self.fleet(faction, fleet)?,
                command: command.as_deref().map(|c| self.command(c)).transpose()?,
            },
            NamedOrder::Build { at, strength } => Order::Build {
                sector: self.sector(at)?,
                strength: *strength,
            },
            NamedOrder::DeclareWar { on } => Order::DeclareWar {
                on: self.faction(on)?,
                why: Vec::new(),
            },
            NamedOrder::EndCeaseFire { with, blocks } => Order::EndCeaseFire {
                with: self.faction(with)?,
                blocks: blocks
                    .iter()
                    .map(|b| self.block(b))
                    .collect::<Result<_, _>>()?,
                why: Vec::new(),
            },
            NamedOrder::Propose { name, to, clauses } => Order::Propose {
                name: name.clone(),
                to: to
                    .iter()
                    .map(|f| self.faction(f))
                    .collect::<Result<_, _>>()?,
                clauses: clauses
                    .iter()
                    .map(|c| self.clause(c))
                    .collect::<Result<_, _>>()?,
            },
            NamedOrder::Answer { proposal, accept } => Order::Answer {
                proposal: ProposalId(*proposal),
                answer: if *accept {
                    Answer::Accept
                } else {
                    Answer::Refuse(vec![RefusalReason::Declined])
                },
            },
            NamedOrder::LeaveAlliance { alliance } => Order::LeaveAlliance {
                alliance: self.alliance(alliance)?,
            },
            NamedOrder::Choose { event, option } => Order::Choose {
                event: event.clone(),
                option: option.clone(),
            },
        })
    }

    /// A fleet to attack: another power's first, where two share an id.
    fn enemy_fleet(&self, faction: FactionId, key: &str) -> Result<FleetId, Unresolved> {
        let fleets = self.living_fleets();
        fleets
            .iter()
            .filter(|f| f.2 == key)
            .min_by_key(|f| f.1 == faction)
            .map(|f| f.0)
            .ok_or_else(|| {
                Self::unknown(NameKind::Fleet, key, fleets.iter().map(|f| f.2).collect())
            })
    }

    fn location(&self, fleet: FleetId) -> SectorId {
        let entity = self
            .world
            .resource::<FleetIndex>()
            .get(fleet)
            .expect("a fleet just looked up is alive");
        self.world
            .get::<Location>(entity)
            .expect("every fleet has a location")
            .0
    }

    fn clause(&self, clause: &NamedClause) -> Result<Clause, Unresolved> {
        Ok(match clause {
            NamedClause::EndWar => Clause::EndWar,
            NamedClause::Truce => Clause::Truce,
            NamedClause::CeaseFire { blocks } => Clause::CeaseFire {
                blocks: blocks
                    .iter()
                    .map(|b| self.block(b))
                    .collect::<Result<_, _>>()?,
            },
            NamedClause::FormAlliance { key, name } => Clause::FormAlliance {
                key: key.clone(),
                name: name.clone(),
            },
            NamedClause::JoinAlliance { alliance } => Clause::JoinAlliance {
                alliance: self.alliance(alliance)?,
            },
        })
    }

    fn fleet_key(&self, fleet: FleetId) -> String {
        self.world
            .resource::<FleetRoll>()
            .0
            .get(&fleet)
            .map_or_else(|| format!("fleet_{}", fleet.0), |r| r.key.clone())
    }

    fn sector_key(&self, sector: SectorId) -> String {
        let galaxy = self.world.resource::<Galaxy>();
        if galaxy.contains(sector) {
            galaxy.place(sector).key.to_string()
        } else {
            format!("sector_{}", sector.0)
        }
    }

    fn block_key(&self, block: BlockId) -> String {
        self.world
            .resource::<Galaxy>()
            .blocks()
            .get(block.index())
            .map_or_else(|| format!("block_{}", block.0), |b| b.key.clone())
    }

    fn faction_key(&self, faction: FactionId) -> String {
        self.faction_rows()
            .get(faction.index())
            .map_or_else(|| format!("faction_{}", faction.0), |f| f.key.clone())
    }

    fn alliance_key(&self, alliance: AllianceId) -> String {
        self.world
            .resource::<Diplomacy>()
            .alliances
            .get(alliance.index())
            .map_or_else(|| format!("alliance_{}", alliance.0), |a| a.key.clone())
    }

    fn command_key(&self, a: Assignment) -> String {
        self.world
            .resource::<Diplomacy>()
            .alliances
            .get(a.alliance.index())
            .and_then(|x| x.commands.get(a.command as usize))
            .map_or_else(
                || format!("command_{}_{}", a.alliance.0, a.command),
                |c| c.key.clone(),
            )
    }

    /// The named form of an order of the rules: what an orders file would say to give it.
    /// A move is written with its whole route, so the two give the same order.
    pub fn name(&self, order: &Order) -> NamedOrder {
        match order {
            Order::Move { fleet, route } => NamedOrder::Move {
                fleet: self.fleet_key(*fleet),
                to: None,
                route: route.iter().map(|&s| self.sector_key(s)).collect(),
            },
            Order::Hold { fleet } => NamedOrder::Hold {
                fleet: self.fleet_key(*fleet),
            },
            Order::Patrol { fleet, stations } => NamedOrder::Patrol {
                fleet: self.fleet_key(*fleet),
                between: (self.sector_key(stations[0]), self.sector_key(stations[1])),
            },
            Order::Attack { fleet, target } => NamedOrder::Attack {
                fleet: self.fleet_key(*fleet),
                target: self.fleet_key(*target),
            },
            Order::Withdraw { fleet } => NamedOrder::Withdraw {
                fleet: self.fleet_key(*fleet),
            },
            Order::Assign { fleet, command } => NamedOrder::Assign {
                fleet: self.fleet_key(*fleet),
                command: command.map(|c| self.command_key(c)),
            },
            Order::Build { sector, strength } => NamedOrder::Build {
                at: self.sector_key(*sector),
                strength: *strength,
            },
            Order::DeclareWar { on, .. } => NamedOrder::DeclareWar {
                on: self.faction_key(*on),
            },
            Order::EndCeaseFire { with, blocks, .. } => NamedOrder::EndCeaseFire {
                with: self.faction_key(*with),
                blocks: blocks.iter().map(|&b| self.block_key(b)).collect(),
            },
            Order::Propose { name, to, clauses } => NamedOrder::Propose {
                name: name.clone(),
                to: to.iter().map(|&f| self.faction_key(f)).collect(),
                clauses: clauses
                    .iter()
                    .map(|c| match c {
                        Clause::EndWar => NamedClause::EndWar,
                        Clause::Truce => NamedClause::Truce,
                        Clause::CeaseFire { blocks } => NamedClause::CeaseFire {
                            blocks: blocks.iter().map(|&b| self.block_key(b)).collect(),
                        },
                        Clause::FormAlliance { key, name } => NamedClause::FormAlliance {
                            key: key.clone(),
                            name: name.clone(),
                        },
                        Clause::JoinAlliance { alliance } => NamedClause::JoinAlliance {
                            alliance: self.alliance_key(*alliance),
                        },
                    })
                    .collect(),
            },
            Order::Answer { proposal, answer } => NamedOrder::Answer {
                proposal: proposal.0,
                accept: *answer == Answer::Accept,
            },
            Order::LeaveAlliance { alliance } => NamedOrder::LeaveAlliance {
                alliance: self.alliance_key(*alliance),
            },
            Order::Choose { event, option } => NamedOrder::Choose {
                event: event.clone(),
                option: option.clone(),
            },
        }
    }
}
