//! The combat phase: wherever fleets hostile to each other share a sector, they fight.
//!
//! Fleets group into sides (same owner, allies, one joint command). Each round every fleet
//! fires at once: its strength times a roll between the rules' bounds, plus bonuses for home
//! ground and a living commander. A side's fire is shared among the sides hostile to it by
//! their strength, then among their fleets by strength. Rolls are drawn from the world's
//! dice in a fixed order: sectors by id, then rounds, sides and fleets by id. All sums are
//! integers, so the outcome is the same on every machine.

use bevy::prelude::*;

use super::character::{CharacterIndex, Fate};
use super::dice::Dice;
use super::diplomacy::{Diplomacy, FleetSide};
use super::events::{BattleLoss, BattleReport, GameEvent, TurnLog};
use super::fleet::{Assignment, Commander, Fleet, Location, Strength};
use super::galaxy::Galaxy;
use super::ids::{FleetId, SectorId};
use super::rules::Rules;
use super::sector::{Owner, SectorIndex};
use super::turn::{Turn, TurnSystems};

/// Adds the combat phase's systems.
pub(super) fn plugin(app: &mut App) {
    app.add_systems(Turn, fight_battles.in_set(TurnSystems::Combat));
}

struct Combatant {
    entity: Entity,
    id: FleetId,
    side: FleetSide,
    sector: SectorId,
    before: u32,
    strength: u32,
    bonus_pct: u32,
}

/// Splits `total` among `weights` in proportion, by largest remainder; ties go to the
/// earlier index. The parts always add up to `total` (when any weight is non-zero).
pub fn apportion(total: u64, weights: &[u64]) -> Vec<u64> {
    let sum: u64 = weights.iter().sum();
    if sum == 0 {
        return vec![0; weights.len()];
    }
    let mut parts: Vec<u64> = weights
        .iter()
        .map(|w| (u128::from(total) * u128::from(*w) / u128::from(sum)) as u64)
        .collect();
    let mut left = total - parts.iter().sum::<u64>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| {
        let rem = u128::from(total) * u128::from(weights[i]) % u128::from(sum);
        (std::cmp::Reverse(rem), i)
    });
    for i in order {
        if left == 0 {
            break;
        }
        if weights[i] > 0 {
            parts[i] += 1;
            left -= 1;
        }
    }
    parts
}

/// The parts of a fleet a battle reads and writes.
type FighterParts = (
    Entity,
    &'static Fleet,
    &'static Location,
    &'static mut Strength,
    Option<&'static Assignment>,
    Option<&'static Commander>,
);

#[expect(
    clippy::too_many_arguments,
    reason = "a battle reads the map, relations, owners, commanders and dice"
)]
fn fight_battles(
    galaxy: Res<Galaxy>,
    diplomacy: Res<Diplomacy>,
    rules: Res<Rules>,
    sector_index: Res<SectorIndex>,
    owners: Query<&Owner>,
    character_index: Res<CharacterIndex>,
    fates: Query<&Fate>,
    mut dice: ResMut<Dice>,
    mut fleets: Query<FighterParts>,
    mut commands: Commands,
    mut log: ResMut<TurnLog>,
) {
    let mut all: Vec<Combatant> = fleets
        .iter()
        .map(
            |(entity, fleet, location, strength, assignment, commander)| Combatant {
                entity,
                id: fleet.id,
                side: FleetSide {
                    owner: fleet.owner,
                    command: assignment.copied(),
                },
                sector: location.0,
                before: strength.0,
                strength: strength.0,
                bonus_pct: commander
                    .filter(|c| {
                        fates
                            .get(character_index.entity(c.0))
                            .is_ok_and(|fate| fate.alive())
                    })
                    .map_or(0, |_| rules.commander_bonus_pct),
            },
        )
        .collect();
    radsort::sort_by_key(&mut all, |c| (c.sector.0, c.id.0));

    let mut out = Vec::new();
    let mut start = 0;
    while start < all.len() {
        let sector = all[start].sector;
        let end = start
            + all[start..]
                .iter()
                .take_while(|c| c.sector == sector)
                .count();
        let group = &mut all[start..end];
        start = end;
        if group.len() < 2 {
            continue;
        }
        let block = galaxy.block_of(sector);
        let any_hostile = group.iter().enumerate().any(|(i, a)| {
            group[i + 1..]
                .iter()
                .any(|b| diplomacy.fleets_hostile(a.side, b.side, block))
        });
        if !any_hostile {
            continue;
        }
        let owner = owners
            .get(sector_index.entity(sector))
            .ok()
            .and_then(|o| o.0);
        for c in group.iter_mut() {
            if owner.is_some_and(|o| diplomacy.friendly(o, c.side.owner)) {
                c.bonus_pct += rules.home_defence_pct;
            }
        }
        let report = fight(group, block, &diplomacy, &rules, &mut dice);
        for c in group.iter() {
            if c.strength == 0 {
                commands.entity(c.entity).despawn();
            } else if let Ok((_, _, _, mut strength, _, _)) = fleets.get_mut(c.entity) {
                strength.0 = c.strength;
            }
        }
        out.push(GameEvent::Battle(report));
        for c in group.iter().filter(|c| c.strength == 0) {
            out.push(GameEvent::FleetDestroyed {
                fleet: c.id,
                owner: c.side.owner,
                sector,
            });
        }
    }
    log.write_batch(out);
}

/// One battle in one sector, all rounds.
fn fight(
    group: &mut [Combatant],
    block: super::ids::BlockId,
    diplomacy: &Diplomacy,
    rules: &Rules,
    dice: &mut Dice,
) -> BattleReport {
    // Sides: each fleet joins the side of the first earlier fleet it is friendly with.
    let mut side_of = vec![0usize; group.len()];
    let mut sides: Vec<Vec<usize>> = Vec::new();
    for i in 0..group.len() {
        match (0..i).find(|&j| diplomacy.fleets_friendly(group[i].side, group[j].side)) {
            Some(j) => {
                side_of[i] = side_of[j];
                sides[side_of[j]].push(i);
            }
            None => {
                side_of[i] = sides.len();
                sides.push(vec![i]);
            }
        }
    }
    let n = sides.len();
    let mut hostile = vec![false; n * n];
    for i in 0..group.len() {
        for j in 0..group.len() {
            if side_of[i] != side_of[j]
                && diplomacy.fleets_hostile(group[i].side, group[j].side, block)
            {
                hostile[side_of[i] * n + side_of[j]] = true;
            }
        }
    }

    for _ in 0..rules.combat_rounds {
        let totals: Vec<u64> = sides
            .iter()
            .map(|s| s.iter().map(|&i| u64::from(group[i].strength)).sum())
            .collect();
        let fighting =
            (0..n).any(|s| (0..n).any(|t| hostile[s * n + t] && totals[s] > 0 && totals[t] > 0));
        if !fighting {
            break;
        }
        let mut damage_to = vec![0u64; n];
        for s in 0..n {
            if totals[s] == 0 {
                continue;
            }
            let mut fire_permille = 0u64;
            for &i in &sides[s] {
                let c = &group[i];
                if c.strength == 0 {
                    continue;
                }
                let roll = dice.roll(rules.damage_min_permille, rules.damage_max_permille);
                fire_permille +=
                    u64::from(c.strength) * u64::from(roll) * u64::from(100 + c.bonus_pct) / 100;
            }
            let targets: Vec<u64> = (0..n)
                .map(|t| if hostile[s * n + t] { totals[t] } else { 0 })
                .collect();
            let damage = (fire_permille + 500) / 1000;
            for (t, share) in apportion(damage, &targets).into_iter().enumerate() {
                damage_to[t] += share;
            }
        }
        for t in 0..n {
            let weights: Vec<u64> = sides[t]
                .iter()
                .map(|&i| u64::from(group[i].strength))
                .collect();
            let capped = damage_to[t].min(weights.iter().sum());
            for (k, loss) in apportion(capped, &weights).into_iter().enumerate() {
                let c = &mut group[sides[t][k]];
                c.strength -= loss as u32;
            }
        }
    }

    // Sides at peace with everyone present only watched: they are not part of the report.
    let fought: Vec<usize> = (0..n)
        .filter(|&s| (0..n).any(|t| hostile[s * n + t] || hostile[t * n + s]))
        .collect();
    let mut foes = Vec::new();
    for (a, &s) in fought.iter().enumerate() {
        for (b, &t) in fought.iter().enumerate().skip(a + 1) {
            if hostile[s * n + t] || hostile[t * n + s] {
                foes.push((a as u16, b as u16));
            }
        }
    }
    BattleReport {
        sector: group[0].sector,
        sides: fought
            .iter()
            .map(|&s| {
                sides[s]
                    .iter()
                    .map(|&i| {
                        let c = &group[i];
                        BattleLoss {
                            fleet: c.id,
                            owner: c.side.owner,
                            before: c.before,
                            after: c.strength,
                        }
                    })
                    .collect()
            })
            .collect(),
        foes,
    }
}

#[cfg(test)]
mod tests {
    use super::apportion;

    #[test]
    fn apportion_adds_up_and_is_proportional() {
        assert_eq!(apportion(10, &[1, 1]), vec![5, 5]);
        assert_eq!(apportion(10, &[3, 1]), vec![8, 2]);
        assert_eq!(apportion(7, &[1, 1, 1]), vec![3, 2, 2]);
        assert_eq!(apportion(5, &[0, 0]), vec![0, 0]);
        assert_eq!(apportion(3, &[0, 2]), vec![0, 3]);
        let parts = apportion(1_000, &[17, 29, 54]);
        assert_eq!(parts.iter().sum::<u64>(), 1_000);
    }
}
