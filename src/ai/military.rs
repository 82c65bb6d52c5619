//! Fleet orders and shipbuilding for one AI faction.
//!
//! Priorities, per fleet in id order: a crippled fleet falls back to a shipyard; a fleet near
//! a threatened shipyard or capital goes to defend it; a fleet with a weaker enemy fleet in
//! reach attacks it; the rest advance on the weakest enemy within reach (or unclaimed space)
//! along a distance field computed once for the faction. Nothing targets a sector or fleet
//! where a cease-fire with its owner holds.

use crate::core::diplomacy::FleetSide;
use crate::core::ids::{FactionId, SectorId};
use crate::core::orders::Order;
use crate::core::view::WorldView;

use super::Situation;

/// Buffers reused across factions and turns.
#[derive(Default)]
pub struct Scratch {
    dist: Vec<u32>,
}

/// How far (in steps) the AI looks for objectives.
const HORIZON: u32 = 24;
/// Below this strength a fleet goes home to rebuild.
const CRIPPLED: u32 = 6;

/// The fleet orders and builds of one faction.
pub fn orders(
    view: &WorldView,
    sit: &Situation,
    faction: FactionId,
    scratch: &mut Scratch,
) -> Vec<Order> {
    let d = &view.diplomacy;
    let g = &view.galaxy;
    let me = FleetSide {
        owner: faction,
        command: None,
    };
    let mut out = Vec::new();

    let hostile_strength_near = |sector: SectorId, radius: u32| -> u64 {
        let hex = g.place(sector).hex;
        hex.range(radius)
            .filter_map(|h| g.sector_at(h))
            .flat_map(|s| sit.fleets_at(s))
            .filter(|f| d.fleets_hostile(me, f.side, g.block_of(f.at)))
            .map(|f| u64::from(f.strength))
            .sum()
    };
    let own_strength_near = |sector: SectorId, radius: u32| -> u64 {
        let hex = g.place(sector).hex;
        hex.range(radius)
            .filter_map(|h| g.sector_at(h))
            .flat_map(|s| sit.fleets_at(s))
            .filter(|f| f.side.owner == faction)
            .map(|f| u64::from(f.strength))
            .sum()
    };

    // The enemy to march on: the weakest one whose ground we can fight over.
    let enemies: Vec<FactionId> = d
        .enemies(faction)
        .filter(|e| !sit.defeated[e.index()])
        .collect();
    let fightable = |e: FactionId| {
        sit.border_blocks(faction, e)
            .iter()
            .any(|&b| d.hostile_in(faction, e, b))
    };
    let target = enemies
        .iter()
        .copied()
        .filter(|&e| fightable(e))
        .min_by_key(|&e| (sit.strength[e.index()], e))
        .or_else(|| {
            enemies
                .iter()
                .copied()
                .min_by_key(|&e| (sit.strength[e.index()], e))
        });

    // Key sectors under threat: own shipyards and the capital with more hostile strength near
    // them than own strength on them.
    let mut key_sectors: Vec<SectorId> = (0..sit.owners.len())
        .filter(|&i| sit.owners[i] == Some(faction) && sit.shipyard[i])
        .map(SectorId::from_index)
        .collect();
    if let Some(c) = sit.capital[faction.index()]
        && sit.owners[c.index()] == Some(faction)
        && !key_sectors.contains(&c)
    {
        key_sectors.push(c);
    }
    let mut threatened: Vec<(SectorId, u64)> = key_sectors
        .iter()
        .filter_map(|&s| {
            let threat = hostile_strength_near(s, 2);
            let guard = own_strength_near(s, 1);
            (threat > guard).then(|| (s, threat - guard))
        })
        .collect();

    let my_fleets: Vec<_> = sit
        .fleets
        .iter()
        .filter(|f| f.side.owner == faction)
        .collect();
    if !my_fleets.is_empty() {
        let targets = (0..sit.owners.len())
            .map(SectorId::from_index)
            .filter(|&s| {
                let block = g.block_of(s);
                match sit.owners[s.index()] {
                    Some(o) => Some(o) == target && d.hostile_in(faction, o, block),
                    None => true,
                }
            });
        g.distances(targets, HORIZON, &mut scratch.dist);
    }

    for f in my_fleets {
        let speed = u32::from(f.speed);
        // A crippled fleet goes home.
        if f.strength < CRIPPLED
            && !(sit.shipyard[f.at.index()] && sit.owners[f.at.index()] == Some(faction))
        {
            if view.route_to_friendly_shipyard(faction, f.at).is_some() {
                out.push(Order::Withdraw { fleet: f.id });
                continue;
            }
        }
        if speed == 0 {
            continue;
        }
        // Defend a threatened key sector: stay on one, or go to the nearest in reach.
        let defend = threatened
            .iter()
            .enumerate()
            .filter(|(_, (s, need))| *need > 0 && g.grid_distance(f.at, *s) <= speed + 1)
            .min_by_key(|(_, (s, need))| (g.grid_distance(f.at, *s), std::cmp::Reverse(*need), *s))
            .map(|(k, _)| k);
        if let Some(k) = defend {
            let (s, need) = threatened[k];
            if f.at == s {
                if !f.holding {
                    out.push(Order::Hold { fleet: f.id });
                }
            } else if let Ok(mut route) = g.route(f.at, s) {
                route.truncate(speed as usize);
                out.push(Order::Move { fleet: f.id, route });
            }
            threatened[k].1 = need.saturating_sub(u64::from(f.strength));
            continue;
        }
        // Strike a weaker hostile fleet within reach this turn.
        let prey = g
            .place(f.at)
            .hex
            .range(speed)
            .filter_map(|h| g.sector_at(h))
            .flat_map(|s| sit.fleets_at(s))
            .filter(|t| {
                d.fleets_hostile(f.side, t.side, g.block_of(t.at))
                    && t.strength * 5 < f.strength * 4
            })
            .min_by_key(|t| (t.strength, t.id));
        if let Some(t) = prey
            && g.route(f.at, t.at).is_ok_and(|r| r.len() <= speed as usize)
        {
            out.push(Order::Attack {
                fleet: f.id,
                target: t.id,
            });
            continue;
        }
        // Advance down the distance field, stopping short of a much stronger enemy.
        let here = scratch.dist[f.at.index()];
        if here == 0 || here == u32::MAX {
            if !f.holding {
                out.push(Order::Hold { fleet: f.id });
            }
            continue;
        }
        let mut route = Vec::new();
        let mut at = f.at;
        while route.len() < speed as usize && scratch.dist[at.index()] > 0 {
            let want = scratch.dist[at.index()] - 1;
            let Some(next) = g.exits(at).find(|s| scratch.dist[s.index()] == want) else {
                break;
            };
            if hostile_strength_near(next, 0) * 4 > u64::from(f.strength) * 5 {
                break;
            }
            route.push(next);
            at = next;
        }
        if route.is_empty() {
            if !f.holding {
                out.push(Order::Hold { fleet: f.id });
            }
        } else {
            out.push(Order::Move { fleet: f.id, route });
        }
    }

    // Build where the need is greatest: a threatened shipyard, else the capital, else any.
    let rules = &view.rules;
    let upkeep =
        sit.strength[faction.index()] as i64 / i64::from(rules.upkeep_strength_per_industry.max(1));
    let spare = sit.treasury[faction.index()] - 2 * upkeep;
    let strength =
        (spare / i64::from(rules.ship_cost.max(1))).min(i64::from(rules.shipyard_capacity));
    if strength >= 5 {
        let yard = threatened
            .iter()
            .map(|t| t.0)
            .chain(sit.capital[faction.index()])
            .chain(key_sectors.iter().copied())
            .find(|&s| {
                sit.shipyard[s.index()]
                    && sit.owners[s.index()] == Some(faction)
                    && hostile_strength_near(s, 0) == 0
            });
        if let Some(sector) = yard {
            out.push(Order::Build {
                sector,
                strength: strength as u32,
            });
        }
    }
    out
}
