//! Joint commands planned as one: the fleets a joint command has under the game's AI, whatever
//! faction each belongs to, strike together where none of them could alone.
//!
//! Planned for each faction on its own, two fleets of one command facing an enemy stronger
//! than either would each hold back, though the enemy is weaker than both: each counts only
//! the friends already there or sent by a faction planned before it. Before any faction moves
//! its fleets, each command looks at the hostile fleets its fleets can reach this turn and
//! sends to the strongest stack that the fleets able to reach it outmatch together (by the
//! most cautious of their owners' doctrines) every one of them. What is left of the command
//! plans with its faction as before.

use std::collections::BTreeMap;

use crate::core::diplomacy::FleetSide;
use crate::core::fleet::Assignment;
use crate::core::ids::{FactionId, FleetId, SectorId};
use crate::core::orders::Order;
use crate::core::view::WorldView;

use super::Situation;
use super::military::{CRIPPLED, Doctrine};

/// The orders of the joint strikes, by faction, and the fleets they take (sorted).
pub struct Strikes {
    /// Each faction's orders for its fleets in the strikes.
    pub orders: BTreeMap<FactionId, Vec<Order>>,
    /// Every fleet sent, in id order: its faction plans no other order for it.
    pub taken: Vec<FleetId>,
}

impl Strikes {
    /// The strike orders given to `faction`'s fleets.
    pub fn of(&self, faction: FactionId) -> &[Order] {
        self.orders.get(&faction).map_or(&[], Vec::as_slice)
    }
}

/// A fleet of a command, as the joint plan sees it.
struct Member {
    id: FleetId,
    side: FleetSide,
    at: SectorId,
    speed: u32,
    strength: u64,
    strike_tenths: u64,
}

/// The joint strikes of every command with fleets under the game's AI.
///
/// `planned` names the factions the strategic AI plays this turn, `settled` (per faction) the
/// enemies each agreed this turn to stop fighting (no fleet strikes a power either side of
/// such a settlement), and `holding` whether a fleet stands on a sector its faction's
/// scenario asks it to hold (it stays).
pub fn strikes(
    view: &WorldView,
    sit: &Situation,
    planned: &[FactionId],
    settled: &[Vec<FactionId>],
    holding: impl Fn(FactionId, SectorId) -> bool,
) -> Strikes {
    // Every fleet under a command, by command: (command, fleet index), in command then id order.
    let mut under: Vec<(Assignment, usize)> = sit
        .fleets
        .iter()
        .enumerate()
        .filter_map(|(k, f)| f.side.command.map(|a| (a, k)))
        .filter(|&(_, k)| {
            let f = &sit.fleets[k];
            planned.binary_search(&f.side.owner).is_ok()
                && f.strength >= CRIPPLED
                && f.speed > 0
                && !holding(f.side.owner, f.at)
        })
        .collect();
    under.sort_unstable_by_key(|&(a, k)| (a.alliance, a.command, k));
    let mut orders: BTreeMap<FactionId, Vec<Order>> = BTreeMap::new();
    let mut taken = Vec::new();
    for group in under.chunk_by(|x, y| x.0 == y.0) {
        if group.len() < 2 {
            continue;
        }
        let mut members: Vec<Member> = group
            .iter()
            .map(|&(_, k)| {
                let f = &sit.fleets[k];
                let character = sit.personality[f.side.owner.index()].archetype;
                Member {
                    id: f.id,
                    side: f.side,
                    at: f.at,
                    speed: u32::from(f.speed),
                    strength: u64::from(f.strength),
                    strike_tenths: Doctrine::strategic(character).strike_tenths,
                }
            })
            .collect();
        // Strike after strike, each with the fleets the ones before left free.
        while members.len() >= 2 {
            let Some((target, striking)) = best_strike(view, sit, &members, settled) else {
                break;
            };
            for &k in &striking {
                let m = &members[k];
                orders.entry(m.side.owner).or_default().push(Order::Attack {
                    fleet: m.id,
                    target,
                });
                taken.push(m.id);
            }
            members = members
                .into_iter()
                .enumerate()
                .filter(|(k, _)| !striking.contains(k))
                .map(|(_, m)| m)
                .collect();
        }
    }
    taken.sort_unstable();
    Strikes { orders, taken }
}

/// The strike the members make together, if any: the fleet to attack (the strongest hostile
/// one in the sector struck), and the members that go (indexes into `members`). It is the
/// strongest stack of hostile fleets that the members able to reach it this turn outmatch
/// together and none of them alone; among equals, the lowest sector.
fn best_strike(
    view: &WorldView,
    sit: &Situation,
    members: &[Member],
    settled: &[Vec<FactionId>],
) -> Option<(FleetId, Vec<usize>)> {
    let d = &view.diplomacy;
    let g = &view.galaxy;
    // The sectors holding a fleet hostile to some member within its reach.
    let mut sectors: Vec<SectorId> = Vec::new();
    for m in members {
        for s in g.within(m.at, m.speed) {
            let block = g.block_of(s);
            if sit
                .fleets_at(s)
                .any(|t| d.fleets_hostile(m.side, t.side, block))
            {
                sectors.push(s);
            }
        }
    }
    sectors.sort_unstable();
    sectors.dedup();
    let mut best: Option<(u64, FleetId, Vec<usize>)> = None;
    for s in sectors {
        let block = g.block_of(s);
        // The fleets there that fight anyone of the command; a member goes only if it is
        // hostile to every one of them, so that no enemy there is left unfought.
        let hostile: Vec<_> = sit
            .fleets_at(s)
            .filter(|t| {
                members
                    .iter()
                    .any(|m| d.fleets_hostile(m.side, t.side, block))
            })
            .collect();
        let Some(target) = hostile
            .iter()
            .max_by_key(|t| (t.strength, std::cmp::Reverse(t.id)))
        else {
            continue;
        };
        let enemy: u64 = hostile.iter().map(|t| u64::from(t.strength)).sum();
        let going: Vec<usize> = members
            .iter()
            .enumerate()
            .filter(|(_, m)| {
                hostile.iter().all(|t| {
                    let (us, them) = (m.side.owner, t.side.owner);
                    d.fleets_hostile(m.side, t.side, block)
                        && !settled[us.index()].contains(&them)
                        && !settled.get(them.index()).is_some_and(|s| s.contains(&us))
                })
            })
            .filter(|(_, m)| clear_route(view, sit, m, s))
            .map(|(k, _)| k)
            .collect();
        if going.len() < 2 {
            continue;
        }
        let together: u64 = going.iter().map(|&k| members[k].strength).sum();
        let tenths = going
            .iter()
            .map(|&k| members[k].strike_tenths)
            .min()
            .unwrap_or(0);
        let alone = going
            .iter()
            .any(|&k| enemy * 10 < members[k].strength * members[k].strike_tenths);
        if alone || enemy * 10 >= together * tenths {
            continue;
        }
        if best.as_ref().is_none_or(|b| enemy > b.0) {
            best = Some((enemy, target.id, going));
        }
    }
    best.map(|(_, target, going)| (target, going))
}

/// Whether the member reaches `to` this turn, through no sector where a fleet hostile to it
/// would stop it short.
fn clear_route(view: &WorldView, sit: &Situation, m: &Member, to: SectorId) -> bool {
    let d = &view.diplomacy;
    let g = &view.galaxy;
    let Some(route) = g.route_within(m.at, to, m.speed) else {
        return false;
    };
    !route[..route.len().saturating_sub(1)].iter().any(|&s| {
        let block = g.block_of(s);
        sit.fleets_at(s)
            .any(|t| d.fleets_hostile(m.side, t.side, block))
    })
}
