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
//! the world: on a large galaxy the fleets' plans are shared out among the machine's cores,
//! and the orders are the same as on one (see `plan_system`).

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
use situation::Incoming;

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
    // A small game's plans take less time than starting a thread does.
    let fleets = world
        .query_filtered::<(), With<crate::core::fleet::Fleet>>()
        .iter(world)
        .len();
    let threads = if fleets >= SHARED_FROM_FLEETS {
        threads()
    } else {
        1
    };
    plan_seats_on(world, seats, threads)
}

/// The threads work that comes out the same on any number of them is shared out among: the
/// machine's cores, at most 8. Asked of the system once (the answer reads the process's
/// limits from files), not every turn.
pub fn threads() -> usize {
    static THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *THREADS.get_or_init(|| {
        std::thread::available_parallelism()
            .map_or(1, std::num::NonZero::get)
            .min(8)
    })
}

/// The fewest fleets for which the plans are shared out among the machine's cores.
const SHARED_FROM_FLEETS: usize = 500;

/// [`plan_seats`] on at most `threads` threads (at least one). The orders are the same
/// whatever the number (see the fleets' plans in `plan_system`).
pub fn plan_seats_on(
    world: &mut World,
    seats: &[(FactionId, Policy)],
    threads: usize,
) -> Vec<(FactionId, Vec<Order>)> {
    world
        .run_system_cached_with(plan_system, (seats.to_vec(), threads.max(1)))
        .expect("the planning system has no parameters that can fail")
}

fn plan_system(
    In((factions, threads)): In<(Vec<(FactionId, Policy)>, usize)>,
    view: WorldView,
    script: Res<Script>,
    scenario: Res<ScenarioInfo>,
    // The search tables, one set per thread, kept with the game from one turn to the next:
    // each search forgets the last in a step, so a table the size of the map is made once,
    // not every turn.
    mut scratches: Local<Vec<military::Scratch>>,
) -> Vec<(FactionId, Vec<Order>)> {
    let situation = Situation::read(&view);
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
    let mut struck = Incoming::new(view.galaxy.sector_count());
    for (f, orders) in &strikes.orders {
        situation.commit(*f, orders, &mut struck);
    }
    // Then each faction's fleets, in the order of the map: a fleet counts its friends' moves
    // planned before it (its allies', its joint command's), so that it joins their fight.
    let plan = |k: usize, scratch: &mut military::Scratch, incoming: &Incoming| {
        let (_, f, policy) = playing[k];
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
        military::orders(
            &view,
            &situation,
            f,
            scratch,
            doctrine,
            &goals[f.index()],
            &settled[f.index()],
            &strikes.taken,
            incoming,
        )
    };
    let threads = threads.min(playing.len()).max(1);
    // Only ever more: a turn with fewer factions to plan keeps the others' map-sized tables.
    if scratches.len() < threads {
        scratches.resize_with(threads, Default::default);
    }
    let mut incoming = struck;
    let fleets: Vec<Vec<Order>> = if threads == 1 {
        (0..playing.len())
            .map(|k| {
                let fleets = plan(k, &mut scratches[0], &incoming);
                situation.commit(playing[k].1, &fleets, &mut incoming);
                fleets
            })
            .collect()
    } else {
        // On several threads, every faction's plan is first made from the joint strikes'
        // moves alone, each noting the sectors where it looked for friends on their way.
        // Then, in the order of the map, a plan that looked where a friend planned before it
        // has since sent fleets is made again, counting them; the others stand as made, since
        // they would have come out the same. The orders are those of one thread.
        let mut workers: Vec<(&mut military::Scratch, Incoming)> = scratches[..threads]
            .iter_mut()
            .map(|scratch| (scratch, incoming.recording()))
            .collect();
        let made = crate::core::parallel::share_out(playing.len(), &mut workers, |worker, k| {
            let (scratch, alone) = worker;
            let fleets = plan(k, scratch, alone);
            (fleets, alone.take_asked())
        });
        drop(workers);
        let mine = &mut scratches[0];
        let since = incoming.mark();
        made.into_iter()
            .enumerate()
            .map(|(k, (fleets, asked))| {
                let f = playing[k].1;
                let fleets = if incoming.friends_since(since, &asked, f, &view.diplomacy) {
                    plan(k, mine, &incoming)
                } else {
                    fleets
                };
                situation.commit(f, &fleets, &mut incoming);
                fleets
            })
            .collect()
    };
    for (k, fleets) in fleets.into_iter().enumerate() {
        let orders = &mut plans[k].2;
        orders.extend(fleets);
        orders.extend(strikes.of(playing[k].1).iter().cloned());
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
