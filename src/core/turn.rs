//! The turn as a Bevy schedule. Orders for the turn are collected first (into
//! [`TurnOrders`](super::orders::TurnOrders)); then [`Turn`] runs once and resolves them in a
//! fixed order of phases, each a [`TurnSystems`] set, chained, with ambiguity detection set
//! to error so that no two systems touching the same data can run in an undefined order.
//!
//! | phase | what may change |
//! |---|---|
//! | `Diplomacy` | relations, opinions, treaties, alliances, proposals |
//! | `Movement` | fleets' standing orders and locations |
//! | `Combat` | fleets' strength; destroyed fleets despawn; the dice advance |
//! | `Control` | sectors' owners and occupations |
//! | `Economy` | treasuries, new fleets, strength lost to upkeep and supply |
//! | `Events` | whatever a scenario's scripted events change |
//! | `EndChecks` | defeats, the scenario's outcome, the calendar |

use bevy::ecs::schedule::{LogLevel, ScheduleBuildSettings, ScheduleLabel, SingleThreadedExecutor};
use bevy::prelude::*;

/// The schedule that plays one turn.
#[derive(ScheduleLabel, Debug, Clone, PartialEq, Eq, Hash)]
pub struct Turn;

/// The phases of a turn, in the order they run.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TurnSystems {
    /// Proposals, answers, declarations; opinions decay.
    Diplomacy,
    /// Fleet orders take effect; fleets move simultaneously and stop where they meet enemies.
    Movement,
    /// Battles wherever hostile fleets share a sector.
    Combat,
    /// Uncontested hostile presence takes sectors.
    Control,
    /// Income, upkeep, shipbuilding, supply.
    Economy,
    /// A scenario's scripted events.
    Events,
    /// Defeats, objectives, the end of the scenario, the next month.
    EndChecks,
}

impl TurnSystems {
    /// Every phase, in order.
    pub const ALL: [TurnSystems; 7] = [
        TurnSystems::Diplomacy,
        TurnSystems::Movement,
        TurnSystems::Combat,
        TurnSystems::Control,
        TurnSystems::Economy,
        TurnSystems::Events,
        TurnSystems::EndChecks,
    ];

    /// The phase's name in the turn log and in replays.
    pub fn name(self) -> &'static str {
        match self {
            TurnSystems::Diplomacy => "diplomacy",
            TurnSystems::Movement => "movement",
            TurnSystems::Combat => "combat",
            TurnSystems::Control => "control",
            TurnSystems::Economy => "economy",
            TurnSystems::Events => "events",
            TurnSystems::EndChecks => "end checks",
        }
    }
}

/// The end of a phase, after all its systems: where the replayer takes the world's hash to
/// find the phase in which two games part (see [`super::hash::PhaseHashes`]).
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PhaseEnd(pub TurnSystems);

/// Builds the [`Turn`] schedule with its phases in order.
pub(super) fn plugin(app: &mut App) {
    let mut turn = Schedule::new(Turn);
    turn.set_build_settings(ScheduleBuildSettings {
        ambiguity_detection: LogLevel::Error,
        ..default()
    });
    // The phases are a strict chain, so one thread does the work without the cost of
    // handing systems between threads; results do not depend on it either way.
    turn.set_executor(SingleThreadedExecutor::new());
    turn.configure_sets(
        (
            TurnSystems::Diplomacy,
            PhaseEnd(TurnSystems::Diplomacy),
            TurnSystems::Movement,
            PhaseEnd(TurnSystems::Movement),
            TurnSystems::Combat,
            PhaseEnd(TurnSystems::Combat),
            TurnSystems::Control,
            PhaseEnd(TurnSystems::Control),
            TurnSystems::Economy,
            PhaseEnd(TurnSystems::Economy),
            TurnSystems::Events,
            PhaseEnd(TurnSystems::Events),
            TurnSystems::EndChecks,
            PhaseEnd(TurnSystems::EndChecks),
        )
            .chain(),
    );
    for phase in TurnSystems::ALL {
        turn.add_systems(
            (move |world: &mut World| super::hash::probe(world, phase))
                .run_if(resource_exists::<super::hash::PhaseHashes>)
                .in_set(PhaseEnd(phase)),
        );
    }
    app.add_schedule(turn);
}
