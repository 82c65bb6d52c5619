//! The baseline AI: orders for every faction not played by a person, given through the same
//! [`Order`]s a player gives and refused by the same checks.
//!
//! Each turn it reads the world once into a [`Situation`], then for each faction in id order:
//! answers the proposals waiting for it ([`diplomacy::judge`]), takes diplomatic initiatives
//! (cease-fires when losing, alliances against a common enemy, war on a weak neighbour when
//! its personality leans that way), and moves its fleets: defend what is threatened, strike
//! weaker fleets in reach, march on the weakest reachable enemy, never fight or take ground
//! where a cease-fire holds. Everything it does is a pure function of the world.

pub mod diplomacy;
mod field;
mod military;
mod situation;

pub use situation::Situation;

use std::collections::BTreeMap;

use bevy::prelude::*;

use crate::core::faction::FactionIndex;
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

/// How the AI plays.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Policy {
    /// To win: diplomacy, conquest, expansion.
    #[default]
    Free,
    /// As the history did: no diplomatic initiatives and no conquest of its own; it defends
    /// what it holds and fights for what the scenario's objectives name, and leaves the rest
    /// of the story to the scenario's events.
    Historical,
}

/// The orders of each of `factions` for the coming turn, in faction order.
pub fn plan(world: &mut World, factions: &[FactionId]) -> Vec<(FactionId, Vec<Order>)> {
    plan_with(world, factions, Policy::Free)
}

/// The orders of each of `factions` for the coming turn, played by `policy`.
pub fn plan_with(
    world: &mut World,
    factions: &[FactionId],
    policy: Policy,
) -> Vec<(FactionId, Vec<Order>)> {
    let list = factions.iter().map(|&f| (f, policy)).collect();
    world
        .run_system_cached_with(plan_system, list)
        .expect("the planning system has no parameters that can fail")
}

/// The orders of every faction of the world for the coming turn: each played by `policy`,
/// except `free`, played to win whatever the policy (a faction a reader has taken over from
/// the history).
pub fn plan_all(
    world: &mut World,
    policy: Policy,
    free: Option<FactionId>,
) -> BTreeMap<FactionId, Vec<Order>> {
    let count = world.resource::<FactionIndex>().len();
    let list = (0..count)
        .map(FactionId::from_index)
        .map(|f| {
            (
                f,
                if Some(f) == free {
                    Policy::Free
                } else {
                    policy
                },
            )
        })
        .collect();
    world
        .run_system_cached_with(plan_system, list)
        .expect("the planning system has no parameters that can fail")
        .into_iter()
        .collect()
}

fn plan_system(
    In(factions): In<Vec<(FactionId, Policy)>>,
    view: WorldView,
    script: Res<Script>,
    scenario: Res<ScenarioInfo>,
) -> Vec<(FactionId, Vec<Order>)> {
    let situation = Situation::read(&view);
    let mut scratch = military::Scratch::default();
    factions
        .into_iter()
        .filter(|(f, _)| f.index() < situation.faction_count() && !situation.defeated[f.index()])
        .map(|(f, policy)| {
            let mut orders = diplomacy::answers(&view, &situation, f);
            orders.extend(choices(&script, f));
            if policy == Policy::Free {
                orders.extend(diplomacy::initiatives(&view, &situation, f));
            }
            let goals = goal_sectors(&scenario, f);
            orders.extend(military::orders(
                &view,
                &situation,
                f,
                &mut scratch,
                policy == Policy::Free,
                &goals,
            ));
            (f, orders)
        })
        .collect()
}
