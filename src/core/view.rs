//! A read-only view of the whole world as one system parameter, with the checks that decide
//! whether an order can be carried out. The orders' phases, the AI and the GUI all look at
//! the world through it, so a player sees exactly the refusal the rules would give.

use bevy::ecs::query::QueryData;
use bevy::ecs::system::SystemParam;
use bevy::prelude::*;

use super::calendar::Calendar;
use super::diplomacy::Diplomacy;
use super::faction::{Capital, Defeated, Faction, FactionIndex, Personality, Treasury};
use super::fleet::{Assignment, Commander, Fleet, FleetIndex, Location, Speed, Strength, Task};
use super::galaxy::Galaxy;
use super::ids::{FactionId, FleetId, SectorId};
use super::orders::{Order, OrderRefusal};
use super::rules::Rules;
use super::sector::{Industry, Occupation, Owner, Sector, SectorIndex, Shipyard};

/// Everything about a fleet, read-only.
#[derive(QueryData)]
pub struct FleetData {
    /// The entity.
    pub entity: Entity,
    /// Id, owner, name.
    pub fleet: &'static Fleet,
    /// Where it is.
    pub location: &'static Location,
    /// Its strength.
    pub strength: &'static Strength,
    /// Its speed.
    pub speed: &'static Speed,
    /// Its standing order.
    pub task: &'static Task,
    /// Who commands it.
    pub commander: Option<&'static Commander>,
    /// The joint command it serves in.
    pub assignment: Option<&'static Assignment>,
}

/// Everything about a sector that changes, read-only.
#[derive(QueryData)]
pub struct SectorData {
    /// Its id.
    pub sector: &'static Sector,
    /// Its owner.
    pub owner: &'static Owner,
    /// Its industry.
    pub industry: &'static Industry,
    /// Whether it has a shipyard.
    pub shipyard: Has<Shipyard>,
    /// Who is occupying it.
    pub occupation: Option<&'static Occupation>,
}

/// Everything about a faction that changes, read-only.
#[derive(QueryData)]
pub struct FactionData {
    /// Id, name, colour.
    pub faction: &'static Faction,
    /// Its stockpile.
    pub treasury: &'static Treasury,
    /// Its capital.
    pub capital: &'static Capital,
    /// Its AI's leanings.
    pub personality: &'static Personality,
    /// Whether and when it fell.
    pub defeated: Option<&'static Defeated>,
}

/// The whole world, read-only.
#[derive(SystemParam)]
pub struct WorldView<'w, 's> {
    /// The map.
    pub galaxy: Res<'w, Galaxy>,
    /// Relations.
    pub diplomacy: Res<'w, Diplomacy>,
    /// The numbers of the rules.
    pub rules: Res<'w, Rules>,
    /// The date.
    pub calendar: Res<'w, Calendar>,
    sector_index: Res<'w, SectorIndex>,
    faction_index: Res<'w, FactionIndex>,
    fleet_index: Res<'w, FleetIndex>,
    /// Every sector.
    pub sectors: Query<'w, 's, SectorData>,
    /// Every faction.
    pub factions: Query<'w, 's, FactionData>,
    /// Every fleet.
    pub fleets: Query<'w, 's, FleetData>,
}

impl<'w, 's> WorldView<'w, 's> {
    /// How many factions the scenario has.
    pub fn faction_count(&self) -> usize {
        self.faction_index.len()
    }

    /// A living fleet's entity, by id.
    pub fn fleet_entity(&self, id: FleetId) -> Option<Entity> {
        self.fleet_index.get(id)
    }

    /// A living fleet's state, by id.
    pub fn fleet(&self, id: FleetId) -> Option<FleetDataItem<'_, 's>> {
        self.fleet_index
            .get(id)
            .and_then(|e| self.fleets.get(e).ok())
    }

    /// A sector's changing state.
    pub fn sector(&self, id: SectorId) -> SectorDataItem<'_, 's> {
        self.sectors
            .get(self.sector_index.entity(id))
            .expect("every sector has an entity")
    }

    /// A faction's changing state.
    pub fn faction(&self, id: FactionId) -> FactionDataItem<'_, 's> {
        self.factions
            .get(self.faction_index.entity(id))
            .expect("every faction has an entity")
    }

    /// Who owns a sector.
    pub fn owner(&self, sector: SectorId) -> Option<FactionId> {
        self.sector(sector).owner.0
    }

    /// What the faction will have to build with in this turn's economy phase: its treasury
    /// plus its income less its upkeep, as its sectors and fleets stand now.
    pub fn treasury_after_upkeep(&self, faction: FactionId) -> i64 {
        let income: i64 = self
            .sectors
            .iter()
            .filter(|s| s.owner.0 == Some(faction) && s.occupation.is_none())
            .map(|s| i64::from(s.industry.0))
            .sum();
        let strength: i64 = self
            .fleets
            .iter()
            .filter(|f| f.fleet.owner == faction)
            .map(|f| i64::from(f.strength.0))
            .sum();
        let upkeep = super::economy::upkeep(strength, &self.rules);
        self.faction(faction)
            .treasury
            .0
            .saturating_add(income.saturating_sub(upkeep))
            .max(0)
    }

    /// The faction of the lowest-numbered fleet in `sector` that is hostile there to
    /// `faction`, if any.
    pub fn hostile_presence(&self, sector: SectorId, faction: FactionId) -> Option<FactionId> {
        self.hostile_presence_in(&self.diplomacy, sector, faction)
    }

    /// [`WorldView::hostile_presence`], with relations as `diplomacy` has them.
    pub fn hostile_presence_in(
        &self,
        diplomacy: &Diplomacy,
        sector: SectorId,
        faction: FactionId,
    ) -> Option<FactionId> {
        let block = self.galaxy.block_of(sector);
        self.fleets
            .iter()
            .filter(|f| {
                f.location.0 == sector && diplomacy.hostile_in(f.fleet.owner, faction, block)
            })
            .min_by_key(|f| f.fleet.id)
            .map(|f| f.fleet.owner)
    }

    /// The route to the nearest shipyard held by the faction or an ally.
    pub fn route_to_friendly_shipyard(
        &self,
        faction: FactionId,
        from: SectorId,
    ) -> Option<Vec<SectorId>> {
        self.route_to_friendly_shipyard_in(&self.diplomacy, faction, from)
    }

    /// [`WorldView::route_to_friendly_shipyard`], with relations as `diplomacy` has them.
    fn route_to_friendly_shipyard_in(
        &self,
        diplomacy: &Diplomacy,
        faction: FactionId,
        from: SectorId,
    ) -> Option<Vec<SectorId>> {
        self.galaxy.route_to_nearest(from, |s| {
            let sector = self.sector(s);
            sector.shipyard
                && sector
                    .owner
                    .0
                    .is_some_and(|o| diplomacy.friendly(o, faction))
        })
    }

    fn own_fleet(
        &self,
        faction: FactionId,
        fleet: FleetId,
    ) -> Result<FleetDataItem<'_, 's>, OrderRefusal> {
        let f = self.fleet(fleet).ok_or(OrderRefusal::NoSuchFleet(fleet))?;
        if f.fleet.owner != faction {
            return Err(OrderRefusal::NotYourFleet {
                fleet,
                owner: f.fleet.owner,
            });
        }
        Ok(f)
    }

    fn sector_exists(&self, sector: SectorId) -> Result<(), OrderRefusal> {
        if self.galaxy.contains(sector) {
            Ok(())
        } else {
            Err(OrderRefusal::NoSuchSector(sector))
        }
    }

    fn route(&self, from: SectorId, to: SectorId) -> Result<Vec<SectorId>, OrderRefusal> {
        self.galaxy
            .route(from, to)
            .map_err(|e| OrderRefusal::no_route(e, to))
    }

    /// Whether a fleet order can be carried out now. Build orders need what earlier builds of
    /// the turn spent: see [`WorldView::check_build`]. Diplomatic orders are checked by the
    /// diplomacy phase against [`Diplomacy`].
    pub fn check_fleet_order(&self, faction: FactionId, order: &Order) -> Result<(), OrderRefusal> {
        self.check_fleet_order_in(&self.diplomacy, faction, order)
    }

    /// [`WorldView::check_fleet_order`], with relations as `diplomacy` has them: the check
    /// before a turn passes relations as the faction's own diplomatic orders will leave them.
    pub fn check_fleet_order_in(
        &self,
        diplomacy: &Diplomacy,
        faction: FactionId,
        order: &Order,
    ) -> Result<(), OrderRefusal> {
        if self.faction(faction).defeated.is_some() {
            return Err(OrderRefusal::Defeated);
        }
        match order {
            Order::Move { fleet, route } => {
                let f = self.own_fleet(faction, *fleet)?;
                if f.speed.0 == 0 {
                    return Err(OrderRefusal::Immobile);
                }
                if route.is_empty() {
                    return Err(OrderRefusal::EmptyRoute);
                }
                let mut at = f.location.0;
                for &next in route {
                    self.sector_exists(next)?;
                    self.galaxy.step(at, next).map_err(|link| match link {
                        Some(link) => OrderRefusal::LinkClosed(link),
                        None => OrderRefusal::NotConnected { from: at, to: next },
                    })?;
                    at = next;
                }
                Ok(())
            }
            Order::Hold { fleet } => self.own_fleet(faction, *fleet).map(|_| ()),
            Order::Patrol { fleet, stations } => {
                let f = self.own_fleet(faction, *fleet)?;
                if f.speed.0 == 0 {
                    return Err(OrderRefusal::Immobile);
                }
                for &s in stations {
                    self.sector_exists(s)?;
                }
                self.route(f.location.0, stations[0])?;
                self.route(stations[0], stations[1])?;
                Ok(())
            }
            Order::Attack { fleet, target } => {
                let f = self.own_fleet(faction, *fleet)?;
                let t = self
                    .fleet(*target)
                    .ok_or(OrderRefusal::NoSuchFleet(*target))?;
                let sector = t.location.0;
                let owner = t.fleet.owner;
                let block = self.galaxy.block_of(sector);
                let same_command = f.assignment.is_some() && f.assignment == t.assignment;
                if diplomacy.ceasefire_in(faction, owner, block) {
                    return Err(OrderRefusal::UnderCeaseFire {
                        sector,
                        with: owner,
                    });
                }
                if same_command || !diplomacy.hostile_in(faction, owner, block) {
                    return Err(OrderRefusal::NotHostile {
                        target: *target,
                        owner,
                    });
                }
                let speed = u32::from(f.speed.0);
                if self
                    .galaxy
                    .route_within(f.location.0, sector, speed)
                    .is_none()
                {
                    let needed = self.route(f.location.0, sector)?.len() as u32;
                    return Err(OrderRefusal::NotEnoughSpeed {
                        needed,
                        speed: f.speed.0,
                    });
                }
                Ok(())
            }
            Order::Withdraw { fleet } => {
                let f = self.own_fleet(faction, *fleet)?;
                self.route_to_friendly_shipyard_in(diplomacy, faction, f.location.0)
                    .map(|_| ())
                    .ok_or(OrderRefusal::NowhereToWithdraw)
            }
            Order::Assign { fleet, command } => {
                self.own_fleet(faction, *fleet)?;
                let Some(assignment) = command else {
                    return Ok(());
                };
                let alliance = diplomacy
                    .alliance(assignment.alliance)
                    .filter(|a| a.dissolved.is_none());
                let cmd = alliance
                    .and_then(|a| a.commands.get(assignment.command as usize))
                    .ok_or(OrderRefusal::NoSuchCommand(*assignment))?;
                if cmd.members.contains(&faction) {
                    Ok(())
                } else {
                    Err(OrderRefusal::NotInCommand(*assignment))
                }
            }
            Order::Build { sector, .. } => {
                self.sector_exists(*sector)?;
                let blockade = self.hostile_presence_in(diplomacy, *sector, faction);
                let have = self.faction(faction).treasury.0;
                self.check_build(faction, order, have, 0, blockade)
            }
            _ => Ok(()),
        }
    }

    /// Whether a build order can be carried out, given the industry the faction has left for
    /// it (its treasury after upkeep, less what earlier builds of the turn spent), what this
    /// shipyard already built, and which faction (if any) blockades it (see
    /// [`WorldView::hostile_presence`]; the economy phase works that out for all shipyards at
    /// once).
    pub fn check_build(
        &self,
        faction: FactionId,
        order: &Order,
        have: i64,
        built_here: u32,
        blockade: Option<FactionId>,
    ) -> Result<(), OrderRefusal> {
        let Order::Build { sector, strength } = *order else {
            return Ok(());
        };
        self.sector_exists(sector)?;
        let s = self.sector(sector);
        if s.owner.0 != Some(faction) {
            return Err(OrderRefusal::NotYourSector(sector));
        }
        if !s.shipyard {
            return Err(OrderRefusal::NoShipyard(sector));
        }
        if let Some(by) = blockade {
            return Err(OrderRefusal::Blockaded { sector, by });
        }
        if strength == 0 {
            return Err(OrderRefusal::NothingToBuild);
        }
        let capacity = self.rules.shipyard_capacity.saturating_sub(built_here);
        if strength > capacity {
            return Err(OrderRefusal::OverCapacity { capacity });
        }
        let needed = i64::from(strength) * i64::from(self.rules.ship_cost);
        if needed > have {
            return Err(OrderRefusal::NotEnoughIndustry { needed, have });
        }
        Ok(())
    }
}
