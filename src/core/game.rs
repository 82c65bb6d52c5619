//! A game in progress: a world and its [`Turn`] schedule, driven from outside — give each
//! faction's orders, play the turn, read what happened and the state hash. It is a plain
//! `World` rather than a Bevy `App`, so it is `Send` and `Sync`: the window keeps it as a
//! resource and can hand it to another thread while the AI plans; the turn driver
//! ([`crate::driver`]) is the one place that plans and plays turns with it.

use bevy::prelude::*;

use super::RulesPlugin;
use super::calendar::{Calendar, Date};
use super::diplomacy::Diplomacy;
use super::events::{GameEvent, Outcome, TurnLog};
use super::faction::{Defeated, Faction, FactionIndex};
use super::fleet::{Fleet, FleetIndex, Location, Speed};
use super::galaxy::Galaxy;
use super::ids::{FactionId, FleetId, SectorId};
use super::orders::{
    Decision, Order, OrderRefusal, Question, RoutePreview, TurnOrders, check_order,
};
use super::scenario::ScenarioInfo;
use super::script::Script;
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

/// A game: the world with the rules' schedule and resources.
pub struct Game {
    world: World,
}

impl Game {
    /// A game starting from a world state (a scenario's start, or a save).
    pub fn new(state: WorldState) -> Self {
        let mut app = App::empty();
        app.add_plugins(RulesPlugin);
        let mut world = std::mem::take(app.world_mut());
        state.install(&mut world);
        // The turn's schedule is built once, as the game starts, rather than in its first
        // turn: the order of the systems, their state and the executor.
        world.schedule_scope(Turn, |world, schedule| {
            schedule
                .initialize(world)
                .unwrap_or_else(|e| panic!("the rules' schedule cannot be built: {e:?}"));
        });
        Self { world }
    }

    /// The ECS world, to read.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// The ECS world, to change (scripted setups, tests, the AI's planning systems).
    pub fn world_mut(&mut self) -> &mut World {
        &mut self.world
    }

    /// The turn to be played next.
    pub fn turn(&self) -> u32 {
        self.world.resource::<Calendar>().turn
    }

    /// The scenario's last turn.
    pub fn last_turn(&self) -> u32 {
        self.world.resource::<Calendar>().last_turn
    }

    /// How the scenario ended, if it has.
    pub fn outcome(&self) -> Option<&Outcome> {
        self.world.resource::<ScenarioInfo>().outcome.as_ref()
    }

    /// Every faction of the game, by number.
    pub fn factions(&self) -> impl Iterator<Item = FactionId> + '_ {
        self.world.resource::<FactionIndex>().ids()
    }

    /// A faction's id in files and replays (`klingon`).
    pub fn faction_key(&self, faction: FactionId) -> Option<&str> {
        let index = self.world.resource::<FactionIndex>();
        let entity = *index.0.get(faction.index())?;
        self.world.get::<Faction>(entity).map(|f| f.key.as_str())
    }

    /// The faction with this id in files and replays, if the game has it.
    pub fn faction_id(&self, key: &str) -> Option<FactionId> {
        self.factions().find(|&f| self.faction_key(f) == Some(key))
    }

    /// Whether the faction has been defeated.
    pub fn is_defeated(&self, faction: FactionId) -> bool {
        let index = self.world.resource::<FactionIndex>();
        index
            .0
            .get(faction.index())
            .is_some_and(|&e| self.world.get::<Defeated>(e).is_some())
    }

    /// Adds orders for a faction for the coming turn, after any it already gave. They are not
    /// checked here: the turn checks each and logs the refused ones.
    pub fn give_orders(&mut self, faction: FactionId, orders: impl IntoIterator<Item = Order>) {
        let mut turn_orders = self.world.resource_mut::<TurnOrders>();
        turn_orders.0.entry(faction).or_default().extend(orders);
    }

    /// The orders given so far for the coming turn.
    pub fn pending_orders(&self) -> &TurnOrders {
        self.world.resource::<TurnOrders>()
    }

    /// Whether the turn would carry out `order` of `faction` if it were played now, after
    /// the faction's `earlier` orders of the turn; if not, the reason the turn would give.
    /// Changes nothing.
    pub fn check(
        &mut self,
        faction: FactionId,
        order: &Order,
        earlier: &[Order],
    ) -> Result<(), OrderRefusal> {
        let question = Question {
            faction,
            order: order.clone(),
            earlier: earlier.to_vec(),
        };
        self.world
            .run_system_cached_with(check_order, question)
            .expect("the order check has no parameters that can fail")
    }

    /// The route a fleet would take to `to` and the turns it would need, or why it cannot go.
    pub fn route(&self, fleet: FleetId, to: SectorId) -> Result<RoutePreview, OrderRefusal> {
        let galaxy = self.world.resource::<Galaxy>();
        if !galaxy.contains(to) {
            return Err(OrderRefusal::NoSuchSector(to));
        }
        let entity = self
            .world
            .resource::<FleetIndex>()
            .get(fleet)
            .ok_or(OrderRefusal::NoSuchFleet(fleet))?;
        let (Some(at), Some(speed)) = (
            self.world.get::<Location>(entity),
            self.world.get::<Speed>(entity),
        ) else {
            return Err(OrderRefusal::NoSuchFleet(fleet));
        };
        if speed.0 == 0 {
            return Err(OrderRefusal::Immobile);
        }
        let path = galaxy
            .route(at.0, to)
            .map_err(|e| OrderRefusal::no_route(e, to))?;
        let turns = (path.len() as u32).div_ceil(u32::from(speed.0));
        Ok(RoutePreview { path, turns })
    }

    /// The decisions waiting for the faction: proposals addressed to it that it has not
    /// answered, and choices events offered it.
    pub fn decisions(&self, faction: FactionId) -> Vec<Decision> {
        let diplomacy = self.world.resource::<Diplomacy>();
        let script = self.world.resource::<Script>();
        let proposals = diplomacy
            .proposals_to(faction)
            .cloned()
            .map(Decision::Proposal);
        let choices = script
            .choices_for(faction)
            .map(|(event, c)| Decision::Choice {
                event: event.to_owned(),
                prompt: c.prompt.clone(),
                options: c
                    .options
                    .iter()
                    .map(|o| (o.key.clone(), o.text.clone()))
                    .collect(),
                default: c.options[c.ai_picks].key.clone(),
            });
        proposals.chain(choices).collect()
    }

    /// Plays one turn with the orders given, then clears them.
    pub fn play_turn(&mut self) -> Result<TurnReport, GameOver> {
        if let Some(outcome) = self.outcome() {
            return Err(GameOver(outcome.clone()));
        }
        let calendar = self.world.resource::<Calendar>();
        let (turn, date) = (calendar.turn, calendar.date());
        // Room in the log, before any phase writes to it, for an event of every fleet and
        // every order (most turns log about that many: moves, refusals). Grown by doubling
        // instead, a large galaxy's first turn would copy its log over and over.
        let fleets = self
            .world
            .query_filtered::<(), With<Fleet>>()
            .iter(&self.world)
            .len();
        let orders = self.world.resource::<TurnOrders>().len();
        self.world.resource_mut::<TurnLog>().start(fleets + orders);
        self.world.run_schedule(Turn);
        let events = self.world.resource_mut::<TurnLog>().drain();
        self.world.resource_mut::<TurnOrders>().0.clear();
        let hash = self.state_hash();
        Ok(TurnReport {
            turn,
            date,
            events,
            hash,
        })
    }

    /// The whole world as one value.
    pub fn state(&self) -> WorldState {
        WorldState::extract(&self.world)
    }

    /// The state hash of the world now.
    pub fn state_hash(&self) -> StateHash {
        super::hash::hash_world(&self.world)
    }
}

#[cfg(test)]
mod tests {
    /// The window keeps a game as a resource and plans on another thread.
    #[test]
    fn a_game_can_move_between_threads() {
        fn shared<T: Send + Sync + 'static>() {}
        shared::<super::Game>();
    }
}
