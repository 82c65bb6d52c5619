//! The AI: orders for every faction not played by a person, given through the same
//! [`Order`]s a player gives and refused by the same checks, by one of three policies (the
//! strategic one is the game's; the baseline is kept to measure it against; the historical
//! one leaves the story to the scenario's events).
//!
//! Each turn it reads the world once into a [`Situation`]; then each faction answers the
//! proposals waiting for it and takes its diplomatic initiatives (cease-fires when losing,
//! alliances against a common enemy, war on a weak neighbour when its character leans that
//! way); then each joint command's fleets under the strategic AI strike together where none
//! could alone ([`joint`]); then each faction moves its other fleets: defend what is
//! threatened, strike weaker fleets in reach, march on the weakest reachable enemy, never
//! fight or take ground where a cease-fire holds. Everything it does is a pure function of
//! the world.

pub mod appraise;
pub mod diplomacy;
pub mod field;
mod joint;
mod military;
mod situation;
mod statecraft;

pub use military::HORIZON;
pub use situation::Situation;
pub use statecraft::{TRUCE_KEPT_HONOUR, TRUCE_KEPT_TURNS};

use bevy::prelude::*;

use crate::core::ids::{FactionId, SectorId};
use crate::core::orders::Order;
use crate::core::scenario::{Objective, ScenarioInfo};
use crate::core::script::Script;
use crate::core::view::WorldView;

/// The answers to choices waiting for the faction: the option the scenario says the AI takes.
fn choices(script: &Script, faction: FactionId) -> Vec<Order> {
    script
        .choices_for(faction)
        .map(|(event, choice)| Order::Choose {
            event: event.to_owned(),
            option: choice.options[choice.ai_picks].key.clone(),
        })
        .collect()
}

/// The sectors a faction's objectives ask it to hold or keep in friendly hands.
fn goal_sectors(scenario: &ScenarioInfo, faction: FactionId) -> Vec<SectorId> {
    let mut out: Vec<SectorId> = scenario
        .goals
        .iter()
        .filter(|g| g.faction == faction)
        .flat_map(|g| &g.objectives)
        .flat_map(|o| match o {
            Objective::Hold { sectors } | Objective::Protect { sectors } => sectors.as_slice(),
            _ => &[],
        })
        .copied()
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

pub use crate::core::seat::Policy;

/// The orders of each faction of `seats` for the coming turn, each played by its policy, in
/// the order given. Only the factions named are planned for: the turn driver names the AI's
/// seats and never a person's.
pub fn plan_seats(
    world: &mut World,
    seats: &[(FactionId, Policy)],
) -> Vec<(FactionId, Vec<Order>)> {
    world
        .run_system_cached_with(plan_system, seats.to_vec())
        .expect("the planning system has no parameters that can fail")
}

fn plan_system(
    In(factions): In<Vec<(FactionId, Policy)>>,
    view: WorldView,
    script: Res<Script>,
    scenario: Res<ScenarioInfo>,
    // The search tables, kept with the game from one turn to the next: each search forgets
    // the last in a step, so a table the size of the map is made once, not every turn.
    mut scratch: Local<military::Scratch>,
) -> Vec<(FactionId, Vec<Order>)> {
    let mut situation = Situation::read(&view);
    let scratch = &mut *scratch;
    let mut playing: Vec<(usize, FactionId, Policy)> = factions
        .into_iter()
        .filter(|(f, _)| f.index() < situation.faction_count() && !situation.defeated[f.index()])
        .enumerate()
        .map(|(k, (f, policy))| (k, f, policy))
        .collect();
    // The plans are made in the order of where the factions stand on the map: one faction's
    // searches start among sectors the last one's left in the caches, and a faction counts the
    // moves of the friends planned before it (neighbours, mostly). The plans are handed back
    // in the order asked for.
    playing.sort_by_key(|&(k, f, _)| (map_order(&view, &situation, f), k));
    // First every faction's diplomacy: its answers, its choices and its overtures, and the
    // wars it agreed this turn to stop.
    let mut settled = vec![Vec::new(); situation.faction_count()];
    let mut goals = vec![Vec::new(); situation.faction_count()];
    let mut plans: Vec<(usize, FactionId, Vec<Order>)> = playing
        .iter()
        .map(|&(k, f, policy)| {
            let (mut orders, stopped) = match policy {
                Policy::Strategic => statecraft::answers(&view, &situation, f),
                _ => (diplomacy::answers(&view, &situation, f), Vec::new()),
            };
            settled[f.index()] = stopped;
            goals[f.index()] = goal_sectors(&scenario, f);
            orders.extend(choices(&script, f));
            match policy {
                Policy::Baseline => orders.extend(diplomacy::initiatives(&view, &situation, f)),
                Policy::Strategic => orders.extend(statecraft::overtures(
                    &view,
                    &situation,
                    f,
                    &goals[f.index()],
                )),
                Policy::Historical => {}
            }
            (k, f, orders)
        })
        .collect();
    // Then the joint commands' strikes, planned as one across the factions the strategic AI
    // plays, and noted as on their way before any faction plans the rest of its fleets.
    let mut strategic: Vec<FactionId> = playing
        .iter()
        .filter(|p| p.2 == Policy::Strategic)
        .map(|p| p.1)
        .collect();
    strategic.sort_unstable();
    let strikes = joint::strikes(&view, &situation, &strategic, &settled, |f, s| {
        goals[f.index()].binary_search(&s).is_ok()
    });
    for (f, orders) in &strikes.orders {
        situation.commit(*f, orders);
    }
    // Then each faction's fleets.
    for ((_, f, policy), (_, _, orders)) in playing.iter().zip(&mut plans) {
        let (f, policy) = (*f, *policy);
        let doctrine = match policy {
            Policy::Baseline => military::Doctrine::BASELINE,
            Policy::Historical => military::Doctrine {
                conquer: false,
                ..military::Doctrine::BASELINE
            },
            Policy::Strategic => {
                military::Doctrine::strategic(situation.personality[f.index()].archetype)
            }
        };
        let fleets = military::orders(
            &view,
            &situation,
            f,
            scratch,
            doctrine,
            &goals[f.index()],
            &settled[f.index()],
            &strikes.taken,
        );
        orders.extend(fleets);
        situation.commit(f, orders);
        orders.extend(strikes.of(f).iter().cloned());
    }
    plans.sort_unstable_by_key(|p| p.0);
    plans
        .into_iter()
        .map(|(_, f, orders)| (f, orders))
        .collect()
}

/// Where a faction stands, as a place on a curve that keeps near places near: its capital,
/// else its first sector, else its first fleet; a faction with none of these comes last.
fn map_order(view: &WorldView, situation: &Situation, faction: FactionId) -> u64 {
    let i = faction.index();
    let anchor = situation.capital[i]
        .or_else(|| situation.owned[i].first().copied())
        .or_else(|| {
            situation.fleets_of[i]
                .first()
                .map(|&k| situation.fleets[k].at)
        });
    let Some(at) = anchor.filter(|&s| view.galaxy.contains(s)) else {
        return u64::MAX;
    };
    let hex = view.galaxy.place(at).hex;
    // Each coordinate's bits, interleaved (a Z-order curve); the sign bit flipped so that
    // negative coordinates sort before positive ones.
    let spread = |v: i32| -> u64 {
        let mut v = u64::from((v as u32) ^ 0x8000_0000);
        v = (v | (v << 16)) & 0x0000_ffff_0000_ffff;
        v = (v | (v << 8)) & 0x00ff_00ff_00ff_00ff;
        v = (v | (v << 4)) & 0x0f0f_0f0f_0f0f_0f0f;
        v = (v | (v << 2)) & 0x3333_3333_3333_3333;
        (v | (v << 1)) & 0x5555_5555_5555_5555
    };
    spread(hex.x) | (spread(hex.y) << 1)
}

/// What a proposal is worth to `faction` by the strategic AI's reckoning, read from a live
/// world: for tests and for the window's diplomacy panel.
pub fn appraisal(
    world: &mut World,
    faction: FactionId,
    proposal: &crate::core::diplomacy::Proposal,
) -> appraise::Appraisal {
    world
        .run_system_cached_with(appraisal_system, (faction, proposal.clone()))
        .expect("the appraisal system has no parameters that can fail")
}

fn appraisal_system(
    In((faction, proposal)): In<(FactionId, crate::core::diplomacy::Proposal)>,
    view: WorldView,
) -> appraise::Appraisal {
    let situation = Situation::read(&view);
    appraise::appraise(&view, &situation, faction, &proposal)
}
