//! The control phase: a sector held by fleets of one side, hostile to its owner there (or
//! unowned), is occupied; held so through the next turn, it changes hands. Allies never take
//! each other's sectors, and a cease-fire in the block stops any taking between its parties.

use bevy::prelude::*;

use super::calendar::Calendar;
use super::diplomacy::{Diplomacy, FleetSide};
use super::events::{GameEvent, TurnLog};
use super::fleet::{Assignment, Fleet, Location, Strength};
use super::galaxy::Galaxy;
use super::ids::{FactionId, SectorId};
use super::rules::Rules;
use super::sector::{Occupation, Owner, Sector, SectorIndex};
use super::turn::{Turn, TurnSystems};

/// Adds the control phase's systems.
pub(super) fn plugin(app: &mut App) {
    app.add_systems(Turn, take_sectors.in_set(TurnSystems::Control));
}

#[expect(
    clippy::too_many_arguments,
    reason = "control reads fleets, relations and the map, and writes sectors"
)]
fn take_sectors(
    galaxy: Res<Galaxy>,
    diplomacy: Res<Diplomacy>,
    rules: Res<Rules>,
    calendar: Res<Calendar>,
    sector_index: Res<SectorIndex>,
    fleets: Query<(&Fleet, &Location, &Strength, Option<&Assignment>)>,
    mut sectors: Query<(&mut Owner, Option<&Occupation>)>,
    occupied: Query<&Sector, With<Occupation>>,
    mut commands: Commands,
    mut log: ResMut<TurnLog>,
) {
    let turn = calendar.turn;
    let mut present: Vec<(SectorId, FleetSide, u32)> = fleets
        .iter()
        .filter(|(_, _, s, _)| s.0 > 0)
        .map(|(f, l, s, a)| {
            (
                l.0,
                FleetSide {
                    owner: f.owner,
                    command: a.copied(),
                },
                s.0,
            )
        })
        .collect();
    // By sector, in a radix sort: a sector's fleets come in any order, as nothing below
    // depends on it.
    radsort::sort_by_key(&mut present, |p| p.0.0);

    // Sectors occupied last turn that no one holds now lose their occupation.
    let mut lapsed: Vec<SectorId> = occupied
        .iter()
        .filter(|s| present.binary_search_by_key(&s.0, |p| p.0).is_err())
        .map(|s| s.0)
        .collect();
    lapsed.sort_unstable();
    for s in lapsed {
        commands
            .entity(sector_index.entity(s))
            .remove::<Occupation>();
    }

    let mut out = Vec::new();
    for group in present.chunk_by(|a, b| a.0 == b.0) {
        let sector = group[0].0;
        let block = galaxy.block_of(sector);
        let entity = sector_index.entity(sector);
        let (mut owner, occupation) = sectors.get_mut(entity).expect("every sector has an entity");
        if owner.0.is_none() && galaxy.outside(sector) {
            continue;
        }
        let contested = group.iter().enumerate().any(|(i, a)| {
            group[i + 1..]
                .iter()
                .any(|b| diplomacy.fleets_hostile(a.1, b.1, block))
        });
        let claimant = if contested {
            None
        } else {
            claimant(group, owner.0, block, &diplomacy)
        };
        match claimant {
            None => {
                if occupation.is_some() {
                    commands.entity(entity).remove::<Occupation>();
                }
            }
            Some(by) => match occupation {
                Some(occ) if occ.by == by && turn >= occ.since + rules.capture_turns => {
                    out.push(GameEvent::SectorCaptured {
                        sector,
                        by,
                        from: owner.0,
                    });
                    owner.0 = Some(by);
                    commands.entity(entity).remove::<Occupation>();
                }
                Some(occ) if occ.by == by => {}
                _ => {
                    out.push(GameEvent::OccupationBegun {
                        sector,
                        by,
                        owner: owner.0,
                    });
                    commands
                        .entity(entity)
                        .insert(Occupation { by, since: turn });
                }
            },
        }
    }
    log.write_batch(out);
}

/// Among the factions present (none hostile to another), the one that would take the sector:
/// the strongest of those hostile to the owner there, or of all present if it has no owner.
fn claimant(
    group: &[(SectorId, FleetSide, u32)],
    owner: Option<FactionId>,
    block: super::ids::BlockId,
    diplomacy: &Diplomacy,
) -> Option<FactionId> {
    let mut totals: Vec<(FactionId, u64)> = Vec::new();
    for (_, side, strength) in group {
        let can_take = match owner {
            None => true,
            Some(o) => diplomacy.hostile_in(side.owner, o, block),
        };
        // A faction's own or an ally's fleet on the sector defends it.
        if owner.is_some_and(|o| diplomacy.friendly(o, side.owner)) {
            return None;
        }
        // Fleets of a joint command do not take the sectors of its members.
        let shares_command = side
            .command
            .and_then(|a| diplomacy.command(a))
            .is_some_and(|cmd| owner.is_some_and(|o| cmd.members.contains(&o)));
        if !can_take || shares_command {
            continue;
        }
        match totals.iter_mut().find(|(f, _)| *f == side.owner) {
            Some((_, t)) => *t += u64::from(*strength),
            None => totals.push((side.owner, u64::from(*strength))),
        }
    }
    totals
        .into_iter()
        .max_by_key(|&(f, t)| (t, std::cmp::Reverse(f)))
        .map(|(f, _)| f)
}
