//! The rules core: the world as ECS data and the turn as a Bevy schedule. No window, no
//! renderer, no clock, no environment: every plugin here runs headless, and the same world,
//! seed and orders always give the same turn.

pub mod buckets;
pub mod calendar;
pub mod canonical;
pub mod character;
pub mod combat;
pub mod control;
pub mod dice;
pub mod diplomacy;
pub mod economy;
pub mod events;
pub mod faction;
pub mod fleet;
pub mod galaxy;
pub mod game;
pub mod generate;
pub mod hash;
pub mod ids;
pub mod movement;
pub mod orders;
pub mod parallel;
pub mod rules;
pub mod scenario;
pub mod script;
pub mod seat;
pub mod sector;
pub mod stamped;
pub mod state;
pub mod testing;
pub mod turn;
pub mod validate;
pub mod view;

use bevy::prelude::*;

/// Everything the rules need: the [`turn::Turn`] schedule with its phases, the turn log and
/// the indexes kept by component hooks. A world to play is installed
/// separately, from a [`state::WorldState`].
pub struct RulesPlugin;

impl Plugin for RulesPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<events::TurnLog>()
            .init_resource::<fleet::FleetIndex>()
            .init_resource::<fleet::FleetRoll>()
            .init_resource::<orders::TurnOrders>();
        app.add_plugins((
            turn::plugin,
            diplomacy::plugin,
            movement::plugin,
            combat::plugin,
            control::plugin,
            economy::plugin,
            scenario::plugin,
            script::plugin,
        ));
    }
}
