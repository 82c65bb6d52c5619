//! The economy phase: sectors yield industry, fleets cost upkeep, shipyards turn industry
//! into new fleets, and fleets far from friendly space waste away.
//!
//! A faction that cannot pay its upkeep loses strength in every fleet instead of going into
//! debt; a fleet beyond the rules' supply range of a sector held by its side loses strength
//! each turn until it comes back or dies.

use std::collections::BTreeMap;

use bevy::prelude::*;

use super::diplomacy::Diplomacy;
use super::events::{AttritionCause, GameEvent, TurnLog};
use super::faction::{Defeated, FactionIndex, Treasury};
use super::fleet::{Assignment, Fleet, FleetName, Location, NextFleetId, Speed, Strength, Task};
use super::galaxy::Galaxy;
use super::ids::{FactionId, FleetId, SectorId};
use super::orders::{Order, TurnOrders};
use super::rules::Rules;
use super::sector::{Industry, Occupation, Owner, Sector};
use super::turn::{Turn, TurnSystems};
use super::view::WorldView;

/// Adds the economy phase's systems.
pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Ledger>().add_systems(
        Turn,
        (
            pay_upkeep,
            build_ships,
            supply_lines,
            scrap_empty_fleets,
            report_accounts,
        )
            .chain()
            .in_set(TurnSystems::Economy),
    );
}

/// This turn's accounts per faction, for the log. Scratch, rebuilt every turn.
#[derive(Resource, Default)]
struct Ledger(BTreeMap<FactionId, Accounts>);

#[derive(Default, Clone, Copy)]
struct Accounts {
    income: i64,
    upkeep: i64,
    spent: i64,
}

/// The industry a faction pays each turn for fleets of this total strength.
pub fn upkeep(strength: i64, rules: &Rules) -> i64 {
    strength / i64::from(rules.upkeep_strength_per_industry.max(1))
}

/// Strength lost for `pct` percent of attrition: at least one point, at most all of it. The
/// product is taken in 64 bits, so no strength and percentage can overflow it.
fn attrition_loss(strength: u32, pct: u32) -> u32 {
    let loss = u64::from(strength) * u64::from(pct) / 100;
    u32::try_from(loss).unwrap_or(u32::MAX).max(1).min(strength)
}

fn pay_upkeep(
    rules: Res<Rules>,
    faction_index: Res<FactionIndex>,
    sectors: Query<(&Owner, &Industry, Option<&Occupation>)>,
    mut treasuries: Query<&mut Treasury>,
    mut fleets: Query<(&Fleet, &Location, &mut Strength)>,
    mut ledger: ResMut<Ledger>,
    mut log: ResMut<TurnLog>,
) {
    ledger.0.clear();
    let n = faction_index.len();
    let mut income = vec![0i64; n];
    for (owner, industry, occupation) in &sectors {
        // An occupied sector yields nothing to its owner.
        if let (Some(o), None) = (owner.0, occupation) {
            income[o.index()] += i64::from(industry.0);
        }
    }
    let mut strength = vec![0i64; n];
    for (fleet, _, s) in &fleets {
        strength[fleet.owner.index()] += i64::from(s.0);
    }
    let mut unpaid = vec![false; n];
    for f in faction_index.ids() {
        let upkeep = upkeep(strength[f.index()], &rules);
        let mut treasury = treasuries
            .get_mut(faction_index.entity(f))
            .expect("every faction has an entity");
        // At the limits a treasury saturates rather than wraps: a fortune beyond `i64::MAX`
        // stays there, in debug and release builds alike.
        treasury.0 = treasury
            .0
            .saturating_add(income[f.index()].saturating_sub(upkeep));
        if treasury.0 < 0 {
            unpaid[f.index()] = true;
            treasury.0 = 0;
        }
        ledger.0.insert(
            f,
            Accounts {
                income: income[f.index()],
                upkeep,
                spent: 0,
            },
        );
    }
    let mut losses: Vec<(FleetId, SectorId, u32, u32)> = Vec::new();
    for (fleet, location, mut s) in &mut fleets {
        if unpaid[fleet.owner.index()] && s.0 > 0 {
            let before = s.0;
            s.0 -= attrition_loss(before, rules.unpaid_loss_pct);
            losses.push((fleet.id, location.0, before, s.0));
        }
    }
    report_attrition(&mut log, losses, AttritionCause::Unpaid);
}

fn build_ships(
    orders: Res<TurnOrders>,
    mut world: ParamSet<(WorldView, Query<&mut Treasury>)>,
    faction_index: Res<FactionIndex>,
    mut next_id: ResMut<NextFleetId>,
    mut ledger: ResMut<Ledger>,
    mut commands: Commands,
    mut log: ResMut<TurnLog>,
) {
    let mut built: Vec<(FactionId, SectorId, u32, i64)> = Vec::new();
    let speed;
    {
        let view = world.p0();
        speed = view.rules.built_fleet_speed;
        let mut spent: BTreeMap<FactionId, i64> = BTreeMap::new();
        let mut built_at: BTreeMap<SectorId, u32> = BTreeMap::new();
        // The fleets on every shipyard with an order, found in one pass over the fleets.
        let mut yards: BTreeMap<SectorId, Vec<(FleetId, FactionId)>> = orders
            .iter()
            .filter_map(|(_, o)| match o {
                Order::Build { sector, .. } => Some((*sector, Vec::new())),
                _ => None,
            })
            .collect();
        for f in &view.fleets {
            if let Some(list) = yards.get_mut(&f.location.0) {
                list.push((f.fleet.id, f.fleet.owner));
            }
        }
        for (faction, order) in orders.iter() {
            let Order::Build { sector, strength } = *order else {
                continue;
            };
            let so_far = spent.get(&faction).copied().unwrap_or(0);
            let here = built_at.get(&sector).copied().unwrap_or(0);
            let blockade = view.galaxy.contains(sector).then(|| {
                let block = view.galaxy.block_of(sector);
                yards[&sector]
                    .iter()
                    .filter(|(_, owner)| view.diplomacy.hostile_in(*owner, faction, block))
                    .min()
                    .map(|&(_, owner)| owner)
            });
            let have = view.faction(faction).treasury.0 - so_far;
            match view.check_build(faction, order, have, here, blockade.flatten()) {
                Ok(()) => {
                    let cost = i64::from(strength) * i64::from(view.rules.ship_cost);
                    *spent.entry(faction).or_default() += cost;
                    *built_at.entry(sector).or_default() += strength;
                    built.push((faction, sector, strength, cost));
                }
                Err(reason) => {
                    log.write(GameEvent::OrderRefused {
                        faction,
                        order: order.clone(),
                        reason,
                    });
                }
            }
        }
    }
    let mut treasuries = world.p1();
    for (faction, sector, strength, cost) in built {
        if next_id.0 >= super::validate::MAX_FLEET_ID {
            // Every id has been given out: nothing more is built, and nothing is paid.
            break;
        }
        treasuries
            .get_mut(faction_index.entity(faction))
            .expect("every faction has an entity")
            .0 -= cost;
        ledger.0.entry(faction).or_default().spent += cost;
        let id = FleetId(next_id.0);
        next_id.0 += 1;
        commands.spawn((
            Fleet { id, owner: faction },
            FleetName {
                key: format!("squadron_{}", id.0),
                name: format!("Squadron {}", id.0),
            },
            Strength(strength),
            Speed(speed),
            Location(sector),
            Task::Hold,
        ));
        log.write(GameEvent::FleetBuilt {
            fleet: id,
            owner: faction,
            sector,
            strength,
            cost,
        });
    }
}

fn supply_lines(
    galaxy: Res<Galaxy>,
    diplomacy: Res<Diplomacy>,
    rules: Res<Rules>,
    owners: Query<(&Sector, &Owner)>,
    mut fleets: Query<(&Fleet, &Location, &mut Strength, Option<&Assignment>)>,
    mut log: ResMut<TurnLog>,
) {
    // Every owner read in one pass over the sectors: the searches below then look each one
    // up in a flat table instead of going to the sector's entity, wherever it lies in memory.
    let mut owner_at = vec![None; galaxy.sector_count()];
    for (sector, owner) in &owners {
        if let Some(slot) = owner_at.get_mut(sector.0.index()) {
            *slot = owner.0;
        }
    }
    let owner_of = |s: SectorId| owner_at.get(s.index()).copied().flatten();
    let mut losses: Vec<(FleetId, SectorId, u32, u32)> = Vec::new();
    for (fleet, location, mut strength, assignment) in &mut fleets {
        if strength.0 == 0 {
            continue;
        }
        let command_members = assignment
            .and_then(|a| diplomacy.command(*a))
            .map(|c| &c.members);
        let supplies = |s: SectorId| {
            owner_of(s).is_some_and(|o| {
                diplomacy.friendly(o, fleet.owner)
                    || command_members.is_some_and(|m| m.contains(&o))
            })
        };
        if !galaxy.any_within(location.0, rules.supply_range, supplies) {
            let before = strength.0;
            strength.0 -= attrition_loss(before, rules.out_of_supply_loss_pct);
            losses.push((fleet.id, location.0, before, strength.0));
        }
    }
    report_attrition(&mut log, losses, AttritionCause::OutOfSupply);
}

fn scrap_empty_fleets(
    fleets: Query<(Entity, &Fleet, &Location, &Strength)>,
    mut commands: Commands,
    mut log: ResMut<TurnLog>,
) {
    let mut gone: Vec<(FleetId, FactionId, SectorId, Entity)> = fleets
        .iter()
        .filter(|(_, _, _, s)| s.0 == 0)
        .map(|(e, f, l, _)| (f.id, f.owner, l.0, e))
        .collect();
    gone.sort_unstable_by_key(|g| g.0);
    for (fleet, owner, sector, entity) in gone {
        commands.entity(entity).despawn();
        log.write(GameEvent::FleetDestroyed {
            fleet,
            owner,
            sector,
        });
    }
}

fn report_accounts(
    ledger: Res<Ledger>,
    faction_index: Res<FactionIndex>,
    treasuries: Query<(&Treasury, Has<Defeated>)>,
    mut log: ResMut<TurnLog>,
) {
    for (&faction, accounts) in &ledger.0 {
        let Ok((treasury, defeated)) = treasuries.get(faction_index.entity(faction)) else {
            continue;
        };
        // A fallen faction, or one with nothing to count (no income, no upkeep, nothing
        // spent or saved), keeps no accounts worth reading.
        let treasury = treasury.0;
        let nothing =
            accounts.income == 0 && accounts.upkeep == 0 && accounts.spent == 0 && treasury == 0;
        if defeated || nothing {
            continue;
        }
        log.write(GameEvent::Accounts {
            faction,
            income: accounts.income,
            upkeep: accounts.upkeep,
            spent: accounts.spent,
            treasury,
        });
    }
}

/// Logs fleets' losses to attrition, (fleet, sector, before, after), in fleet order.
fn report_attrition(
    log: &mut TurnLog,
    mut losses: Vec<(FleetId, SectorId, u32, u32)>,
    cause: AttritionCause,
) {
    losses.sort_unstable_by_key(|l| l.0);
    log.write_batch(losses.into_iter().map(|(fleet, sector, before, after)| {
        GameEvent::Attrition {
            fleet,
            sector,
            before,
            after,
            cause,
        }
    }));
}
