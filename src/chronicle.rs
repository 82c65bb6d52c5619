//! The turn log in words: every event, order and reason as a line a person reads. The CLI
//! prints these lines and the GUI shows them; both read the names from the world.

use bevy::prelude::*;

use crate::core::character::{Character, CharacterIndex};
use crate::core::diplomacy::{Clause, Diplomacy, Motive, RefusalReason};
use crate::core::events::{AttritionCause, Decision, GameEvent, ScriptFault};
use crate::core::faction::{Faction, FactionIndex};
use crate::core::fleet::{Assignment, FleetRoll};
use crate::core::galaxy::Galaxy;
use crate::core::ids::{
    AllianceId, BlockId, CharacterId, FactionId, FleetId, LinkId, SectorId, TreatyId,
};
use crate::core::orders::{Order, OrderRefusal};
use crate::core::scenario::{Objective, ScenarioInfo};

/// Names things by reading them from a world.
pub struct Chronicle<'w> {
    world: &'w World,
}

impl<'w> Chronicle<'w> {
    /// A chronicle of this world.
    pub fn new(world: &'w World) -> Self {
        Self { world }
    }

    /// A faction's name.
    pub fn faction(&self, id: FactionId) -> String {
        let index = self.world.resource::<FactionIndex>();
        index
            .0
            .get(id.index())
            .and_then(|&e| self.world.get::<Faction>(e))
            .map_or_else(|| id.to_string(), |f| f.name.clone())
    }

    fn factions(&self, ids: &[FactionId]) -> String {
        let names: Vec<String> = ids.iter().map(|&f| self.faction(f)).collect();
        match names.len() {
            0 => "no one".into(),
            1 => names[0].clone(),
            n => format!("{} and {}", names[..n - 1].join(", "), names[n - 1]),
        }
    }

    /// A sector's name with its block.
    pub fn sector(&self, id: SectorId) -> String {
        let galaxy = self.world.resource::<Galaxy>();
        if !galaxy.contains(id) {
            return id.to_string();
        }
        let place = galaxy.place(id);
        format!("{} ({})", place.name, galaxy.block(place.block).name)
    }

    fn sector_name(&self, id: SectorId) -> String {
        let galaxy = self.world.resource::<Galaxy>();
        if galaxy.contains(id) {
            galaxy.place(id).name.to_string()
        } else {
            id.to_string()
        }
    }

    /// A block's name.
    pub fn block(&self, id: BlockId) -> String {
        let galaxy = self.world.resource::<Galaxy>();
        galaxy
            .blocks()
            .get(id.index())
            .map_or_else(|| id.to_string(), |b| b.name.clone())
    }

    fn blocks(&self, ids: &[BlockId]) -> String {
        ids.iter()
            .map(|&b| self.block(b))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn link(&self, id: LinkId) -> String {
        let galaxy = self.world.resource::<Galaxy>();
        galaxy
            .links()
            .get(id.index())
            .map_or_else(|| id.to_string(), |l| l.name.clone())
    }

    /// A fleet's name, even after it is gone.
    pub fn fleet(&self, id: FleetId) -> String {
        self.world
            .resource::<FleetRoll>()
            .0
            .get(&id)
            .map_or_else(|| id.to_string(), |r| r.name.clone())
    }

    fn fleet_of(&self, id: FleetId) -> String {
        match self.world.resource::<FleetRoll>().0.get(&id) {
            Some(r) => format!("{} ({})", r.name, unbracketed(&self.faction(r.owner))),
            None => id.to_string(),
        }
    }

    /// A character's name.
    pub fn character(&self, id: CharacterId) -> String {
        let index = self.world.resource::<CharacterIndex>();
        index
            .0
            .get(id.index())
            .and_then(|&e| self.world.get::<Character>(e))
            .map_or_else(|| id.to_string(), |c| c.name.clone())
    }

    /// An objective in words.
    pub fn objective(&self, objective: &Objective) -> String {
        match objective {
            Objective::Hold { sectors } => {
                format!(
                    "hold {}",
                    sectors
                        .iter()
                        .map(|&s| self.sector_name(s))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
            Objective::Protect { sectors } => {
                format!(
                    "keep {} out of enemy hands",
                    sectors
                        .iter()
                        .map(|&s| self.sector_name(s))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
            Objective::Defeat { faction } => format!("defeat {}", self.faction(*faction)),
            Objective::Survive => "survive".into(),
            Objective::SurviveUntil(date) => format!("survive until {date}"),
            Objective::SignTreaty(name) => format!("sign the {name}"),
            Objective::Flag(flag) => format!("see `{flag}` come to pass"),
        }
    }

    /// Why a scripted effect could not apply, in words.
    pub fn fault(&self, fault: &ScriptFault) -> String {
        match fault {
            ScriptFault::NoSuchAlliance(k) => format!("there is no alliance `{k}`"),
            ScriptFault::AllianceExists(k) => format!("an alliance `{k}` already exists"),
            ScriptFault::NoSuchFleet(k) => format!("there is no fleet `{k}`"),
            ScriptFault::FleetExists(k) => format!("a fleet `{k}` already exists"),
            ScriptFault::NoFleetIds => "every fleet id has been given out".into(),
            ScriptFault::AlreadyDead(c) => format!("{} is already dead", self.character(*c)),
            ScriptFault::Refused(r) => self.refusal(r),
            ScriptFault::Invalid(reasons) => reasons
                .iter()
                .map(|r| self.reason(r))
                .collect::<Vec<_>>()
                .join("; "),
        }
    }

    fn alliance(&self, id: AllianceId) -> String {
        self.world
            .resource::<Diplomacy>()
            .alliance(id)
            .map_or_else(|| id.to_string(), |a| a.name.clone())
    }

    fn treaty(&self, id: TreatyId) -> String {
        self.world
            .resource::<Diplomacy>()
            .treaties
            .get(id.index())
            .map_or_else(|| id.to_string(), |t| t.name.clone())
    }

    fn command(&self, a: Assignment) -> String {
        self.world
            .resource::<Diplomacy>()
            .command(a)
            .map_or_else(|| format!("command {}", a.command), |c| c.name.clone())
    }

    /// A fleet's standing order in words.
    pub fn task(&self, task: &crate::core::fleet::Task) -> String {
        use crate::core::fleet::Task;
        match task {
            Task::Hold => "hold".into(),
            Task::Move { route } => match route.last() {
                Some(&to) => format!(
                    "move to {} ({} step(s) left)",
                    self.sector_name(to),
                    route.len()
                ),
                None => "move nowhere".into(),
            },
            Task::Patrol { stations, .. } => format!(
                "patrol between {} and {}",
                self.sector_name(stations[0]),
                self.sector_name(stations[1])
            ),
            Task::Attack { target } => format!("attack {}", self.fleet(*target)),
            Task::Withdraw => "withdraw to a friendly shipyard".into(),
        }
    }

    /// An order in words.
    pub fn order(&self, order: &Order) -> String {
        match order {
            Order::Move { fleet, route } => match route.last() {
                Some(&to) => format!("move {} to {}", self.fleet(*fleet), self.sector_name(to)),
                None => format!("move {} nowhere", self.fleet(*fleet)),
            },
            Order::Hold { fleet } => format!("hold with {}", self.fleet(*fleet)),
            Order::Patrol { fleet, stations } => format!(
                "patrol with {} between {} and {}",
                self.fleet(*fleet),
                self.sector_name(stations[0]),
                self.sector_name(stations[1])
            ),
            Order::Attack { fleet, target } => format!(
                "attack {} with {}",
                self.fleet_of(*target),
                self.fleet(*fleet)
            ),
            Order::Withdraw { fleet } => format!("withdraw {}", self.fleet(*fleet)),
            Order::Assign {
                fleet,
                command: Some(a),
            } => format!("put {} under {}", self.fleet(*fleet), self.command(*a)),
            Order::Assign {
                fleet,
                command: None,
            } => format!("take {} out of its joint command", self.fleet(*fleet)),
            Order::Build { sector, strength } => {
                format!("build {strength} strength at {}", self.sector_name(*sector))
            }
            Order::DeclareWar { on, why } => {
                format!("declare war on {}{}", self.faction(*on), self.motives(why))
            }
            Order::EndCeaseFire { with, blocks, why } => {
                format!(
                    "end the cease-fire with {} in {}{}",
                    self.faction(*with),
                    self.blocks(blocks),
                    self.motives(why)
                )
            }
            Order::Propose { name, to, clauses } => format!(
                "propose the {name} to {}: {}",
                self.factions(to),
                clauses
                    .iter()
                    .map(|c| self.clause(c))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            Order::Answer { proposal, .. } => format!("answer proposal #{}", proposal.0),
            Order::LeaveAlliance { alliance } => format!("leave the {}", self.alliance(*alliance)),
            Order::Choose { event, option } => format!("choose `{option}` in `{event}`"),
        }
    }

    /// A treaty clause in words.
    pub fn clause(&self, clause: &Clause) -> String {
        match clause {
            Clause::EndWar => "end the war".into(),
            Clause::Truce => "a truce everywhere".into(),
            Clause::CeaseFire { blocks } => format!("a cease-fire in {}", self.blocks(blocks)),
            Clause::FormAlliance { name, .. } => format!("found the {name}"),
            Clause::JoinAlliance { alliance } => format!("join the {}", self.alliance(*alliance)),
        }
    }

    /// Why an order was refused, in words.
    pub fn refusal(&self, reason: &OrderRefusal) -> String {
        match reason {
            OrderRefusal::NoSuchFleet(f) => format!("there is no fleet {f} any more"),
            OrderRefusal::NotYourFleet { fleet, owner } => {
                format!("{} belongs to {}", self.fleet(*fleet), self.faction(*owner))
            }
            OrderRefusal::NoSuchSector(s) => format!("there is no sector {s}"),
            OrderRefusal::EmptyRoute => "the route is empty".into(),
            OrderRefusal::NotConnected { from, to } => {
                format!(
                    "{} and {} are not neighbours and no link joins them",
                    self.sector_name(*from),
                    self.sector_name(*to)
                )
            }
            OrderRefusal::LinkClosed(link) => format!("the {} is closed", self.link(*link)),
            OrderRefusal::NoRoute(to) => format!("no route leads to {}", self.sector_name(*to)),
            OrderRefusal::NotEnoughSpeed { needed, speed } => {
                format!("the target is {needed} steps away and the fleet makes {speed} a turn")
            }
            OrderRefusal::Immobile => "the fleet cannot move".into(),
            OrderRefusal::NotHostile { target, owner } => {
                format!(
                    "{} of {} is not an enemy there",
                    self.fleet(*target),
                    self.faction(*owner)
                )
            }
            OrderRefusal::UnderCeaseFire { sector, with } => {
                format!(
                    "a cease-fire with {} holds at {}",
                    self.faction(*with),
                    self.sector(*sector)
                )
            }
            OrderRefusal::NowhereToWithdraw => "no friendly shipyard can be reached".into(),
            OrderRefusal::NoSuchCommand(a) => format!("there is no joint command {}", a.command),
            OrderRefusal::NotInCommand(a) => {
                format!("the faction does not serve in {}", self.command(*a))
            }
            OrderRefusal::NotYourSector(s) => {
                format!("{} is not the faction's", self.sector_name(*s))
            }
            OrderRefusal::NoShipyard(s) => format!("{} has no shipyard", self.sector_name(*s)),
            OrderRefusal::Blockaded { sector, by } => {
                format!(
                    "{} fleets blockade {}",
                    self.faction(*by),
                    self.sector_name(*sector)
                )
            }
            OrderRefusal::NotEnoughIndustry { needed, have } => {
                format!("it costs {needed} industry and only {have} is saved")
            }
            OrderRefusal::OverCapacity { capacity } => {
                format!("the shipyard can build only {capacity} more this turn")
            }
            OrderRefusal::NothingToBuild => "nothing to build".into(),
            OrderRefusal::NoSuchFaction(f) => format!("there is no faction {f}"),
            OrderRefusal::ItsYou => "a faction cannot do that to itself".into(),
            OrderRefusal::AlreadyAtWar(f) => format!("already at war with {}", self.faction(*f)),
            OrderRefusal::Allied(f) => {
                format!("{} is an ally; leave the alliance first", self.faction(*f))
            }
            OrderRefusal::NotAtWar(f) => format!("not at war with {}", self.faction(*f)),
            OrderRefusal::NoCeaseFireIn { with, block } => {
                format!(
                    "no cease-fire with {} holds in {}",
                    self.faction(*with),
                    self.block(*block)
                )
            }
            OrderRefusal::NoBlocksNamed => "no block is named".into(),
            OrderRefusal::NoSuchProposal(p) => format!("no proposal #{} is waiting", p.0),
            OrderRefusal::NotAddressed(p) => {
                format!("proposal #{} was not made to this faction", p.0)
            }
            OrderRefusal::AlreadyAnswered(p) => format!("proposal #{} was already answered", p.0),
            OrderRefusal::InvalidProposal(reasons) => reasons
                .iter()
                .map(|r| self.reason(r))
                .collect::<Vec<_>>()
                .join("; "),
            OrderRefusal::NoSuchAlliance(a) => format!("there is no alliance {a}"),
            OrderRefusal::NotAMember(a) => format!("not a member of the {}", self.alliance(*a)),
            OrderRefusal::Defeated => "the faction is defeated".into(),
            OrderRefusal::AiSeat => "the AI holds this faction's seat".into(),
            OrderRefusal::NoSuchChoice(e) => format!("no choice of `{e}` waits for an answer"),
            OrderRefusal::NoSuchOption(o) => format!("the choice has no option `{o}`"),
        }
    }

    /// Why a faction went to war or ended a cease-fire, in words.
    pub fn motive(&self, motive: &Motive) -> String {
        match motive {
            Motive::Weaker { ours, theirs } => {
                format!("they are far weaker ({theirs} strength to its {ours})")
            }
            Motive::Grievance { opinion } => {
                format!("no treaty binds them, and it thinks ill of them ({opinion:+})")
            }
            Motive::Prize { sector } => {
                format!("{} lies behind the cease-fire", self.sector_name(*sector))
            }
            Motive::Outmatched { ours, theirs } => {
                format!("its fleets there outmatch theirs ({ours} strength to {theirs})")
            }
            Motive::TruceOutlived { since } => format!(
                "the truce of turn {since} has outlived its reason: no power much stronger \
                 than both is at war with both any longer"
            ),
        }
    }

    /// The reasons a declaration gives, after a colon; nothing when it gives none.
    fn motives(&self, why: &[Motive]) -> String {
        if why.is_empty() {
            return String::new();
        }
        let said: Vec<String> = why.iter().map(|m| self.motive(m)).collect();
        format!(": {}", said.join("; "))
    }

    /// Why a proposal was refused, in words.
    pub fn reason(&self, reason: &RefusalReason) -> String {
        match reason {
            RefusalReason::NotAtWar(a, b) => format!(
                "{} and {} are not at war",
                self.faction(*a),
                self.faction(*b)
            ),
            RefusalReason::NothingToAgree => "it would change nothing".into(),
            RefusalReason::StillAtWar(a, b) => {
                format!(
                    "{} and {} would be allies while at war",
                    self.faction(*a),
                    self.faction(*b)
                )
            }
            RefusalReason::NoSuchAlliance(a) => format!("there is no alliance {a}"),
            RefusalReason::AlreadyMembers(a) => {
                format!("everyone is already in the {}", self.alliance(*a))
            }
            RefusalReason::NoMemberSigns(a) => {
                format!("no member of the {} signs", self.alliance(*a))
            }
            RefusalReason::NoAddressee => "it is addressed to no one".into(),
            RefusalReason::NoBlocks => "the cease-fire names no block".into(),
            RefusalReason::LowOpinion { opinion, needed } => {
                format!("opinion of the proposer is {opinion}, and {needed} is needed")
            }
            RefusalReason::Winning { ours, theirs } => {
                format!("it is winning the war ({ours} strength against {theirs})")
            }
            RefusalReason::WinningAgainst {
                enemy,
                ours,
                theirs,
            } => format!(
                "it is winning its war with {} ({ours} strength against {theirs})",
                self.faction(*enemy)
            ),
            RefusalReason::Untrustworthy { turns_ago } => {
                format!("the proposer broke a treaty {turns_ago} turns ago")
            }
            RefusalReason::AtWarWithAlly(f) => {
                format!("the proposer is at war with its ally {}", self.faction(*f))
            }
            RefusalReason::NoCommonEnemy => "they have no enemy in common".into(),
            RefusalReason::AlliedToEnemy(f) => {
                format!("the proposer is allied to its enemy {}", self.faction(*f))
            }
            RefusalReason::Unfavourable { value, needed } => {
                format!("the terms are worth {value} to it, and it asks {needed}")
            }
            RefusalReason::Defeated => "a party is defeated".into(),
            RefusalReason::NoAnswer => "no answer came in time".into(),
            RefusalReason::Declined => "declined".into(),
            RefusalReason::PartnerAlliedToEnemy { partner, enemy } => format!(
                "{}, which would be its ally, is allied to its enemy {}",
                self.faction(*partner),
                self.faction(*enemy)
            ),
            RefusalReason::PartnerAtWarWithAlly { partner, ally } => format!(
                "{}, which would be its ally, is at war with its ally {}",
                self.faction(*partner),
                self.faction(*ally)
            ),
        }
    }

    /// One event as the story tells it, or `None` for what only the full log tells (moves,
    /// interceptions, accounts, builds, orders refused, opinions, flags...): scripted messages
    /// and choices, treaties and wars, alliances, deaths and traitors, captures of places that
    /// matter (capitals, shipyards, places the scenario's objectives name), defeats, the end;
    /// and a battle as one line of its sides' strength before and after.
    pub fn story(&self, event: &GameEvent) -> Option<String> {
        use GameEvent as E;
        match event {
            E::Message { text, source, .. } => Some(match source {
                Some(source) => format!("{text} ({source})"),
                None => text.clone(),
            }),
            E::Battle(report) => Some(self.battle_summary(report)),
            E::SectorCaptured { sector, .. } | E::SectorTransferred { sector, .. }
                if self.matters(*sector) =>
            {
                Some(self.event(event))
            }
            E::ChoiceOffered { .. }
            | E::ChoiceMade { .. }
            | E::WarDeclared { .. }
            | E::CeaseFireEnded { .. }
            | E::TreatyBroken { .. }
            | E::TreatySigned { .. }
            | E::AllianceFormed { .. }
            | E::AllianceJoined { .. }
            | E::AllianceLeft { .. }
            | E::AllianceRenamed { .. }
            | E::AllianceExpelled { .. }
            | E::AllianceHqSet { .. }
            | E::JointCommandFormed { .. }
            | E::PactRevealed { .. }
            | E::CharacterDied { .. }
            | E::TraitorDeclared { .. }
            | E::FactionDefeated { .. }
            | E::ScenarioEnded(_) => Some(self.event(event)),
            _ => None,
        }
    }

    /// Whether a sector changing hands is worth the story: a capital, a shipyard, or a place
    /// the scenario's objectives name.
    fn matters(&self, sector: SectorId) -> bool {
        let capital = {
            let index = self.world.resource::<FactionIndex>();
            index.0.iter().any(|&e| {
                self.world
                    .get::<crate::core::faction::Capital>(e)
                    .is_some_and(|c| c.0 == Some(sector))
            })
        };
        let shipyard = {
            let index = self.world.resource::<crate::core::sector::SectorIndex>();
            index
                .0
                .get(sector.index())
                .is_some_and(|&e| self.world.get::<crate::core::sector::Shipyard>(e).is_some())
        };
        let named = self
            .world
            .resource::<ScenarioInfo>()
            .goals
            .iter()
            .flat_map(|g| &g.objectives)
            .any(|o| match o {
                Objective::Hold { sectors } | Objective::Protect { sectors } => {
                    sectors.contains(&sector)
                }
                _ => false,
            });
        capital || shipyard || named
    }

    /// A battle in one line: each side's powers and their strength before and after.
    fn battle_summary(&self, report: &crate::core::events::BattleReport) -> String {
        let sides: Vec<String> = report
            .sides
            .iter()
            .map(|side| {
                let mut owners: Vec<FactionId> = side.iter().map(|l| l.owner).collect();
                owners.sort_unstable();
                owners.dedup();
                let before: u32 = side.iter().map(|l| l.before).sum();
                let after: u32 = side.iter().map(|l| l.after).sum();
                format!("{} {before}→{after}", self.factions(&owners))
            })
            .collect();
        format!(
            "battle     at {}: {}",
            self.sector(report.sector),
            battle_sides(&sides, &report.foes)
        )
    }

    /// One event in words.
    pub fn event(&self, event: &GameEvent) -> String {
        match event {
            GameEvent::OrderRefused {
                faction,
                order,
                reason,
            } => format!(
                "refused    {}: {} — {}",
                self.faction(*faction),
                self.order(order),
                self.refusal(reason)
            ),
            GameEvent::FleetMoved {
                fleet,
                from,
                to,
                steps,
            } => format!(
                "move       {} {} → {} ({} step{})",
                self.fleet_of(*fleet),
                self.sector_name(*from),
                self.sector(*to),
                steps,
                if *steps == 1 { "" } else { "s" }
            ),
            GameEvent::FleetIntercepted { fleet, sector } => {
                format!(
                    "intercept  {} stopped by enemies at {}",
                    self.fleet_of(*fleet),
                    self.sector_name(*sector)
                )
            }
            GameEvent::FleetBlocked {
                fleet,
                sector,
                reason,
            } => format!(
                "blocked    {} halts at {}: {}",
                self.fleet_of(*fleet),
                self.sector_name(*sector),
                self.refusal(reason)
            ),
            GameEvent::FleetArrived { fleet, sector } => {
                format!(
                    "arrive     {} at {}",
                    self.fleet_of(*fleet),
                    self.sector_name(*sector)
                )
            }
            GameEvent::Battle(report) => {
                let sides: Vec<String> = report
                    .sides
                    .iter()
                    .map(|side| {
                        side.iter()
                            .map(|l| format!("{} {}→{}", self.fleet_of(l.fleet), l.before, l.after))
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .collect();
                format!(
                    "battle     at {}: {}",
                    self.sector(report.sector),
                    battle_sides(&sides, &report.foes)
                )
            }
            GameEvent::FleetDestroyed {
                fleet,
                owner,
                sector,
            } => format!(
                "destroyed  {} of {} at {}",
                self.fleet(*fleet),
                self.faction(*owner),
                self.sector_name(*sector)
            ),
            GameEvent::OccupationEnded { sector, by } => format!(
                "freed      {} no longer occupies {}",
                self.faction(*by),
                self.sector(*sector)
            ),
            GameEvent::OccupationBegun { sector, by, owner } => format!(
                "occupy     {} holds {}{}",
                self.faction(*by),
                self.sector(*sector),
                owner.map_or_else(String::new, |o| format!(", held by {}", self.faction(o)))
            ),
            GameEvent::SectorCaptured { sector, by, from } => format!(
                "capture    {} takes {}{}",
                self.faction(*by),
                self.sector(*sector),
                from.map_or_else(String::new, |o| format!(" from {}", self.faction(o)))
            ),
            GameEvent::Accounts {
                faction,
                income,
                upkeep,
                spent,
                treasury,
            } => format!(
                "economy    {}: +{income} industry, -{upkeep} upkeep, -{spent} on ships, {treasury} saved",
                self.faction(*faction)
            ),
            GameEvent::FleetBuilt {
                fleet,
                owner,
                sector,
                strength,
                cost,
            } => format!(
                "built      {} launches {} ({strength} strength, {cost} industry) at {}",
                self.faction(*owner),
                self.fleet(*fleet),
                self.sector_name(*sector)
            ),
            GameEvent::Attrition {
                fleet,
                sector,
                before,
                after,
                cause,
            } => format!(
                "attrition  {} at {} {before}→{after}: {}",
                self.fleet_of(*fleet),
                self.sector_name(*sector),
                match cause {
                    AttritionCause::OutOfSupply => "out of supply",
                    AttritionCause::Unpaid => "upkeep unpaid",
                }
            ),
            GameEvent::WarDeclared { by, on, why } => {
                format!(
                    "war        {} declares war on {}{}",
                    self.faction(*by),
                    self.faction(*on),
                    self.motives(why)
                )
            }
            GameEvent::CeaseFireEnded {
                by,
                with,
                blocks,
                why,
            } => format!(
                "cease-fire {} ends its cease-fire with {}{}{}",
                self.faction(*by),
                self.faction(*with),
                if blocks.is_empty() {
                    String::new()
                } else {
                    format!(" in {}", self.blocks(blocks))
                },
                self.motives(why)
            ),
            GameEvent::TreatyBroken {
                treaty,
                by,
                victim,
                opinion,
            } => {
                let changes: Vec<String> = opinion
                    .iter()
                    .map(|(f, d)| format!("{} {:+}", self.faction(*f), d))
                    .collect();
                format!(
                    "breach     {} breaks the {} with {}; opinion of it: {}",
                    self.faction(*by),
                    self.treaty(*treaty),
                    self.faction(*victim),
                    changes.join(", ")
                )
            }
            GameEvent::ProposalMade { proposal, from, to } => {
                let diplomacy = self.world.resource::<Diplomacy>();
                let terms = diplomacy.proposal(*proposal).map_or_else(String::new, |p| {
                    format!(
                        ": {}",
                        p.clauses
                            .iter()
                            .map(|c| self.clause(c))
                            .collect::<Vec<_>>()
                            .join("; ")
                    )
                });
                format!(
                    "proposal   #{} {} to {}{terms}",
                    proposal.0,
                    self.faction(*from),
                    self.factions(to)
                )
            }
            GameEvent::ProposalRefused {
                proposal,
                from,
                by,
                reasons,
            } => {
                let why = reasons
                    .iter()
                    .map(|r| self.reason(r))
                    .collect::<Vec<_>>()
                    .join("; ");
                // The proposer itself stands for the rules, which let the proposal lapse.
                if by == from {
                    format!(
                        "refusal    proposal #{} of {} lapses: {why}",
                        proposal.0,
                        self.faction(*from)
                    )
                } else {
                    format!(
                        "refusal    {} refuses proposal #{} of {}: {why}",
                        self.faction(*by),
                        proposal.0,
                        self.faction(*from)
                    )
                }
            }
            GameEvent::TreatySigned {
                name, signatories, ..
            } => {
                format!(
                    "treaty     the {name} is signed by {}",
                    self.factions(signatories)
                )
            }
            GameEvent::PeaceMade { between, treaty } => format!(
                "peace      {} and {} make peace ({})",
                self.faction(between.0),
                self.faction(between.1),
                self.treaty(*treaty)
            ),
            GameEvent::TruceAgreed { between, treaty } => format!(
                "truce      {} and {} stop fighting everywhere ({})",
                self.faction(between.0),
                self.faction(between.1),
                self.treaty(*treaty)
            ),
            GameEvent::CeaseFireAgreed {
                between,
                blocks,
                treaty,
            } => format!(
                "cease-fire {} and {} stop fighting in {} ({})",
                self.faction(between.0),
                self.faction(between.1),
                self.blocks(blocks),
                self.treaty(*treaty)
            ),
            GameEvent::AllianceFormed {
                alliance, members, ..
            } => {
                format!(
                    "alliance   the {} is founded by {}",
                    self.alliance(*alliance),
                    self.factions(members)
                )
            }
            GameEvent::AllianceJoined { alliance, faction } => {
                format!(
                    "alliance   {} joins the {}",
                    self.faction(*faction),
                    self.alliance(*alliance)
                )
            }
            GameEvent::AllianceLeft { alliance, faction } => {
                format!(
                    "alliance   {} leaves the {}",
                    self.faction(*faction),
                    self.alliance(*alliance)
                )
            }
            GameEvent::FactionDefeated { faction } => {
                format!("defeat     {} is defeated", self.faction(*faction))
            }
            GameEvent::ScenarioEnded(outcome) => {
                let how = match outcome.decision {
                    Decision::ObjectivesMet => "by meeting their objectives",
                    Decision::LastStanding => "as the last standing",
                    Decision::TimeRanOut => "with their objectives met when time ran out",
                    Decision::Scripted => "as the story has it",
                };
                let mut line = if outcome.winners.is_empty() {
                    format!(
                        "end        the scenario ends on turn {} with no winner",
                        outcome.turn
                    )
                } else {
                    format!(
                        "end        on turn {} {how}: {}",
                        outcome.turn,
                        self.factions(&outcome.winners)
                    )
                };
                if let Some(note) = &outcome.note {
                    line.push_str(&format!(" — {note}"));
                }
                // Each winner and what it did to win.
                let goals = &self.world.resource::<ScenarioInfo>().goals;
                for w in &outcome.winners {
                    if let Some(g) = goals.iter().find(|g| g.faction == *w)
                        && matches!(
                            outcome.decision,
                            Decision::ObjectivesMet | Decision::TimeRanOut
                        )
                    {
                        let list: Vec<String> =
                            g.objectives.iter().map(|o| self.objective(o)).collect();
                        line.push_str(&format!(
                            "\n             {} won, having met every objective: {}",
                            self.faction(*w),
                            list.join("; ")
                        ));
                    }
                }
                line
            }
            GameEvent::EventFired { event } => format!("event      `{event}`"),
            GameEvent::Message { text, source, .. } => match source {
                Some(source) => format!("message    {text} ({source})"),
                None => format!("message    {text}"),
            },
            GameEvent::ChoiceOffered {
                faction,
                prompt,
                options,
                ..
            } => format!(
                "choice     {} must choose: {prompt} [{}]",
                self.faction(*faction),
                options
                    .iter()
                    .map(|(k, t)| format!("{k}: {t}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            GameEvent::ChoiceMade {
                faction,
                option,
                by_rule,
                ..
            } => format!(
                "chosen     {} chooses `{option}`{}",
                self.faction(*faction),
                if *by_rule {
                    " (by the scenario's rule)"
                } else {
                    ""
                }
            ),
            GameEvent::EventChainCut { chain } => {
                format!(
                    "loop       events kept setting each other off and were stopped: {}",
                    chain.join(" → ")
                )
            }
            GameEvent::EffectSkipped { event, reason } => {
                format!(
                    "skipped    an effect of `{event}` could not apply: {}",
                    self.fault(reason)
                )
            }
            GameEvent::SectorTransferred { sector, to, from } if to == from => format!(
                "restored   {} is {} again, free of its occupiers",
                self.sector(*sector),
                to.map_or_else(|| "no one's".into(), |f| format!("{}'s", self.faction(f)))
            ),
            GameEvent::SectorTransferred { sector, to, from } => format!(
                "transfer   {} passes{}{}",
                self.sector(*sector),
                from.map_or_else(String::new, |f| format!(" from {}", self.faction(f))),
                to.map_or_else(
                    || " to no one".into(),
                    |f| format!(" to {}", self.faction(f))
                )
            ),
            GameEvent::FacilitiesDestroyed { sector } => {
                format!(
                    "destroyed  the shipyards and industry of {}",
                    self.sector(*sector)
                )
            }
            GameEvent::FleetSpawned {
                fleet,
                sector,
                strength,
                ..
            } => {
                format!(
                    "appears    {} at {} ({strength} strength)",
                    self.fleet_of(*fleet),
                    self.sector(*sector)
                )
            }
            GameEvent::FleetRelocated { fleet, from, to } => format!(
                "relocated  {} {} → {}",
                self.fleet_of(*fleet),
                self.sector_name(*from),
                self.sector(*to)
            ),
            GameEvent::LinkChanged { link, open } => {
                format!(
                    "link       the {} {}",
                    self.link(*link),
                    if *open { "opens" } else { "closes" }
                )
            }
            GameEvent::CharacterDied { character } => {
                format!("death      {} dies", self.character(*character))
            }
            GameEvent::TraitorDeclared { character, by } => format!(
                "traitor    {} is declared a traitor{}",
                self.character(*character),
                by.map_or_else(String::new, |f| format!(" by {}", self.faction(f)))
            ),
            GameEvent::OpinionChanged { holder, of, delta } => format!(
                "opinion    {} thinks {:+} of {}",
                self.faction(*holder),
                delta,
                self.faction(*of)
            ),
            GameEvent::AllianceRenamed { from, to, .. } => {
                format!("alliance   the {from} is renamed the {to}")
            }
            GameEvent::AllianceExpelled { alliance, faction } => {
                format!(
                    "alliance   {} is expelled from the {}",
                    self.faction(*faction),
                    self.alliance(*alliance)
                )
            }
            GameEvent::AllianceChairSet { alliance, chair } => match chair {
                Some(c) => format!(
                    "alliance   {} chairs the {}",
                    self.character(*c),
                    self.alliance(*alliance)
                ),
                None => format!("alliance   the {} has no chair", self.alliance(*alliance)),
            },
            GameEvent::AllianceHqSet { alliance, hq } => match hq {
                Some(s) => format!(
                    "alliance   the {} is headquartered at {}",
                    self.alliance(*alliance),
                    self.sector(*s)
                ),
                None => format!(
                    "alliance   the {} has lost its headquarters",
                    self.alliance(*alliance)
                ),
            },
            GameEvent::JointCommandFormed { alliance, name } => {
                format!("alliance   the {} forms {name}", self.alliance(*alliance))
            }
            GameEvent::PactRevealed {
                name,
                factions,
                characters,
                terms,
                ..
            } => {
                let mut parties: Vec<String> = factions.iter().map(|&f| self.faction(f)).collect();
                parties.extend(characters.iter().map(|&c| self.character(c)));
                format!(
                    "revealed   the {name} between {}: {terms}",
                    parties.join(", ")
                )
            }
            GameEvent::FlagSet { flag } => format!("flag       `{flag}`"),
        }
    }
}

/// A name that may carry a bracket of its own ("Romulan Star Empire (Tal Shiar)"), written so
/// that it can stand inside brackets: "Romulan Star Empire, Tal Shiar".
fn unbracketed(name: &str) -> String {
    name.replace(" (", ", ").replace(['(', ')'], "")
}

/// The sides of a battle in words. Two sides fight each other; with more, the words say who
/// fought whom, so that sides that were not at war with each other do not read as foes.
fn battle_sides(sides: &[String], foes: &[(u16, u16)]) -> String {
    let n = sides.len();
    if n <= 2 {
        return sides.join(" against ");
    }
    let fights = |a: usize, b: usize| {
        foes.iter().any(|&(x, y)| {
            (usize::from(x), usize::from(y)) == (a, b) || (usize::from(x), usize::from(y)) == (b, a)
        })
    };
    // One side against all the others, which do not fight each other.
    if let Some(hub) = (0..n).find(|&h| (0..n).filter(|&o| o != h).all(|o| fights(h, o)))
        && (0..n).filter(|&a| a != hub).all(|a| {
            (0..n)
                .filter(|&b| b != hub && b != a)
                .all(|b| !fights(a, b))
        })
    {
        let others: Vec<&str> = (0..n)
            .filter(|&o| o != hub)
            .map(|o| sides[o].as_str())
            .collect();
        return format!(
            "{} against {} (these do not fight each other)",
            sides[hub],
            others.join("; ")
        );
    }
    let mut text: Vec<String> = sides
        .iter()
        .enumerate()
        .map(|(i, s)| format!("[{}] {s}", i + 1))
        .collect();
    let pairs: Vec<String> = (0..n)
        .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
        .filter(|&(a, b)| fights(a, b))
        .map(|(a, b)| format!("{} fights {}", a + 1, b + 1))
        .collect();
    text.push(format!("({})", pairs.join(", ")));
    text.join(" ")
}
