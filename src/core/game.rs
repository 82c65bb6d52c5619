//! A game in progress, driven from outside: give each faction's orders, play the turn, read
//! what happened and the state hash. The CLI, the replayer, the tests and the GUI all play
//! through this.

use bevy::prelude::*;

use super::RulesPlugin;
use super::calendar::{Calendar, Date};
use super::events::{GameEvent, Outcome};
use super::ids::FactionId;
use super::orders::{Order, TurnOrders};
use super::scenario::ScenarioInfo;
use super::state::{StateHash, WorldState};
use super::turn::Turn;

/// What one turn did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TurnReport {
    /// The turn played.
    pub turn: u32,
    /// Its date.
    pub date: Date,
    /// What happened, in the order it happened.
    pub events: Vec<GameEvent>,
    /// The state hash after the turn.
    pub hash: StateHash,
}

/// The scenario has already ended; no more turns can be played.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the scenario ended on turn {}", .0.turn)]
pub struct GameOver(pub Outcome);

/// A game: the Bevy app holding the world and the turn schedule.
pub struct Game {
    app: App,
}

impl Game {
    /// A game starting from a world state (a scenario's start, or a save).
    pub fn new(state: WorldState) -> Self {
        let mut app = App::new();
        app.add_plugins(RulesPlugin);
        state.install(app.world_mut());
        Self { app }
    }

    /// The ECS world, to read.
    pub fn world(&self) -> &World {
        self.app.world()
    }

    /// The ECS world, to change (scripted setups, tests, the GUI's own resources).
    pub fn world_mut(&mut self) -> &mut World {
        self.app.world_mut()
    }

    /// The turn to be played next.
    pub fn turn(&self) -> u32 {
        self.world().resource::<Calendar>().turn
    }

    /// The scenario's last turn.
    pub fn last_turn(&self) -> u32 {
        self.world().resource::<Calendar>().last_turn
    }

    /// How the scenario ended, if it has.
    pub fn outcome(&self) -> Option<&Outcome> {
        self.world().resource::<ScenarioInfo>().outcome.as_ref()
    }

    /// Adds orders for a faction for the coming turn, after any it already gave.
    pub fn give_orders(&mut self, faction: FactionId, orders: impl IntoIterator<Item = Order>) {
        let mut turn_orders = self.world_mut().resource_mut::<TurnOrders>();
        turn_orders.0.entry(faction).or_default().extend(orders);
    }

    /// The orders given so far for the coming turn.
    pub fn pending_orders(&self) -> &TurnOrders {
        self.world().resource::<TurnOrders>()
    }

    /// Plays one turn with the orders given, then clears them.
    pub fn play_turn(&mut self) -> Result<TurnReport, GameOver> {
        if let Some(outcome) = self.outcome() {
            return Err(GameOver(outcome.clone()));
        }
        let calendar = self.world().resource::<Calendar>();
        let (turn, date) = (calendar.turn, calendar.date());
        let world = self.world_mut();
        world.run_schedule(Turn);
        let events: Vec<GameEvent> = world
            .resource_mut::<Messages<GameEvent>>()
            .drain()
            .collect();
        world.resource_mut::<TurnOrders>().0.clear();
        let hash = self.state_hash();
        Ok(TurnReport {
            turn,
            date,
            events,
            hash,
        })
    }

    /// The whole world as one value.
    pub fn state(&mut self) -> WorldState {
        WorldState::extract(self.world_mut())
    }

    /// The state hash of the world now.
    pub fn state_hash(&mut self) -> StateHash {
        super::hash::hash_world(self.world_mut())
    }
}
