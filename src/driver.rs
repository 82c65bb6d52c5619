//! The turn driver: the one place where turns are planned and played. The command line
//! (`run`, `replay`, `autoplay`), the window, the tests and the benchmarks all play through
//! it.
//!
//! Every faction has a [`Seat`]. For each turn the driver collects the orders of the person
//! seats — each checked as it is given, with the refusal the turn would give — and lists the
//! decisions waiting for them; when every person seat has ended its turn, it fills in the
//! documented defaults for what a person left unanswered, has the AI plan the other seats
//! (and only those), resolves the turn, records it if a replay is being made, and moves on to
//! the next chapter of a campaign when asked to.
//!
//! Defaults for a person's unanswered decisions, applied when the turn is resolved:
//! - a proposal addressed to the person is refused with [`RefusalReason::NoAnswer`], as an
//!   order of the person's seat, so the log and the replay show it;
//! - a choice an event offered is left to the turn, which takes the scenario's own pick for
//!   it and logs it as taken by rule.

use std::collections::{BTreeMap, BTreeSet};

use crate::ai;
use crate::core::diplomacy::{Answer, RefusalReason};
use crate::core::game::{Game, GameOver, TurnReport};
use crate::core::hash::{HashThreads, PhaseHashes};
use crate::core::ids::{FactionId, FleetId, SectorId};
use crate::core::orders::{Decision, Order, OrderRefusal, RoutePreview};
use crate::core::seat::{Policy, Seat, Seats};
use crate::core::state::WorldState;
use crate::record::replay::{Parting, PlayedTurn, Replay, ReplayError, TurnRecord, compare};
use crate::session::Session;

/// One turn resolved by the driver.
pub struct Played {
    /// The chapter it was played in, from 0.
    pub chapter: usize,
    /// What happened, and the state hash after it.
    pub report: TurnReport,
    /// Every faction's orders for the turn, as given.
    pub orders: BTreeMap<FactionId, Vec<Order>>,
    /// The factions a person played this turn.
    pub persons: Vec<FactionId>,
}

/// Why a turn cannot be resolved now.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotReady {
    /// These person seats have not ended their turn.
    #[error("waiting for {} person seat(s) to end the turn", .0.len())]
    Waiting(Vec<FactionId>),
    /// The chapter has ended; [`Driver::next_chapter`] starts the next one.
    #[error("the chapter has ended")]
    ChapterOver,
    /// The last chapter has ended.
    #[error(transparent)]
    Over(#[from] GameOver),
}

/// One recorded turn, replayed through the driver.
pub struct Replayed {
    /// The world before the turn.
    pub before: WorldState,
    /// The turn as played now.
    pub played: PlayedTurn,
    /// Where it parts from the recording, if it does.
    pub parting: Option<Parting>,
}

/// What [`Driver::play_on`] shows its observer.
pub enum Step<'a> {
    /// A new chapter has started (not said of the first).
    Chapter,
    /// A turn was played.
    Turn(&'a Played),
}

/// A game being played: the session, its seats, the person seats' orders for the coming turn
/// and, when one is being made, the replay.
pub struct Driver {
    session: Session,
    seats: Seats,
    given: BTreeMap<FactionId, Vec<Order>>,
    ended: BTreeSet<FactionId>,
    recording: Option<Replay>,
}

impl Driver {
    /// A driver for a session with these seats.
    pub fn new(session: Session, seats: Seats) -> Self {
        Self {
            session,
            seats,
            given: BTreeMap::new(),
            ended: BTreeSet::new(),
            recording: None,
        }
    }

    /// Records every turn played from now into `replay` (see [`Driver::recording`]).
    pub fn record_into(mut self, mut replay: Replay) -> Self {
        replay.seats = self.seats.clone();
        // The turns it adds may hold what the format of a replay a branch continues cannot.
        replay.stamp();
        self.recording = Some(replay);
        self
    }

    /// Takes changed content in between turns (see [`Session::reload`]). A replay is of one
    /// content, so the recording, if one was being made, stops: the second value says so.
    pub fn reload(
        &mut self,
        fresh: Vec<crate::session::ChapterStart>,
    ) -> Result<(Vec<String>, bool), crate::session::reload::Refused> {
        let changes = self.session.reload(fresh)?;
        let stopped = !changes.is_empty() && self.recording.take().is_some();
        Ok((changes, stopped))
    }

    /// The replay being made, if any.
    pub fn recording(&self) -> Option<&Replay> {
        self.recording.as_ref()
    }

    /// The replay being made, to change its header.
    pub fn recording_mut(&mut self) -> Option<&mut Replay> {
        self.recording.as_mut()
    }

    /// Takes the replay being made; turns played after this are not recorded.
    pub fn take_recording(&mut self) -> Option<Replay> {
        self.recording.take()
    }

    /// The session: the chapters and the game of the one being played.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The game of the chapter being played.
    pub fn game(&self) -> &Game {
        &self.session.game
    }

    /// The game, to change outside the turn (tests, scripted setups).
    pub fn game_mut(&mut self) -> &mut Game {
        &mut self.session.game
    }

    /// Every faction's seat.
    pub fn seats(&self) -> &Seats {
        &self.seats
    }

    /// Gives a faction's seat to a person from now on (taking the helm). The seats of a
    /// replay being made change with it.
    pub fn take_seat(&mut self, faction: &str, seat: Seat) {
        self.seats.taken.insert(faction.to_owned(), seat);
        if let Some(replay) = &mut self.recording {
            replay.seats = self.seats.clone();
        }
    }

    /// The seat of a faction of the chapter being played.
    pub fn seat(&self, faction: FactionId) -> Seat {
        match self.game().faction_key(faction) {
            Some(key) => self.seats.seat(key),
            None => Seat::Ai(self.seats.ai),
        }
    }

    /// The factions of this chapter a person plays and that are still in the game, in
    /// faction order: hotseat players take their turns in this order.
    pub fn persons(&self) -> Vec<FactionId> {
        let game = self.game();
        game.factions()
            .filter(|&f| self.seat(f).is_person() && !game.is_defeated(f))
            .collect()
    }

    /// The person seats that have not ended the coming turn, in order.
    pub fn waiting_for(&self) -> Vec<FactionId> {
        self.persons()
            .into_iter()
            .filter(|f| !self.ended.contains(f))
            .collect()
    }

    /// Whether a faction's seat is a person's who may still give orders this turn.
    fn may_give(&self, faction: FactionId) -> Result<(), OrderRefusal> {
        if faction.index() >= self.game().factions().count() {
            return Err(OrderRefusal::NoSuchFaction(faction));
        }
        if self.game().is_defeated(faction) {
            return Err(OrderRefusal::Defeated);
        }
        if !self.seat(faction).is_person() {
            return Err(OrderRefusal::AiSeat);
        }
        Ok(())
    }

    /// Whether the turn would carry out this order of the faction, after the orders it has
    /// already given this turn (leaving out one it would replace); if not, why not.
    pub fn check(&mut self, faction: FactionId, order: &Order) -> Result<(), OrderRefusal> {
        self.may_give(faction)?;
        let earlier: Vec<Order> = self
            .orders(faction)
            .iter()
            .filter(|o| !replaces(order, o))
            .cloned()
            .collect();
        self.session.game.check(faction, order, &earlier)
    }

    /// Gives an order of a person seat for the coming turn, if the turn would carry it out;
    /// it takes the place of an earlier order it replaces (the same fleet's movement, the same
    /// fleet's assignment, the answer to the same proposal or choice). Returns the refusal
    /// otherwise, and keeps nothing.
    pub fn give(&mut self, faction: FactionId, order: Order) -> Result<(), OrderRefusal> {
        self.check(faction, &order)?;
        let list = self.given.entry(faction).or_default();
        match list.iter().position(|o| replaces(&order, o)) {
            Some(i) => list[i] = order,
            None => list.push(order),
        }
        Ok(())
    }

    /// The orders a faction has given for the coming turn, in order.
    pub fn orders(&self, faction: FactionId) -> &[Order] {
        self.given.get(&faction).map_or(&[], Vec::as_slice)
    }

    /// Takes back the order at `index` of the faction's list.
    pub fn withdraw(&mut self, faction: FactionId, index: usize) -> Option<Order> {
        let list = self.given.get_mut(&faction)?;
        (index < list.len()).then(|| list.remove(index))
    }

    /// The decisions waiting for the faction this turn that its orders do not answer yet.
    pub fn decisions(&self, faction: FactionId) -> Vec<Decision> {
        let given = self.orders(faction);
        self.game()
            .decisions(faction)
            .into_iter()
            .filter(|d| match d {
                Decision::Proposal(p) => !given
                    .iter()
                    .any(|o| matches!(o, Order::Answer { proposal, .. } if *proposal == p.id)),
                Decision::Choice { event, .. } => !given
                    .iter()
                    .any(|o| matches!(o, Order::Choose { event: e, .. } if e == event)),
            })
            .collect()
    }

    /// The route a fleet would take to a sector and the turns it would need.
    pub fn route(&self, fleet: FleetId, to: SectorId) -> Result<RoutePreview, OrderRefusal> {
        self.game().route(fleet, to)
    }

    /// The person seat is done with the coming turn. Orders can still be changed until the
    /// turn is resolved; [`Driver::reopen`] takes the end back.
    pub fn end_turn(&mut self, faction: FactionId) {
        self.ended.insert(faction);
    }

    /// Takes back a person seat's end of turn.
    pub fn reopen(&mut self, faction: FactionId) {
        self.ended.remove(&faction);
    }

    /// Whether the chapter being played has ended.
    pub fn chapter_over(&self) -> bool {
        self.game().outcome().is_some()
    }

    /// Whether the whole game has ended.
    pub fn is_over(&self) -> bool {
        self.session.is_over()
    }

    /// When the chapter has ended and another follows: starts it, and returns true. Orders
    /// given in the chapter that ended are dropped.
    pub fn next_chapter(&mut self) -> bool {
        let started = self.session.next_chapter();
        if started {
            self.given.clear();
            self.ended.clear();
        }
        started
    }

    /// Resolves the coming turn, once every person seat has ended it: the defaults for what a
    /// person left unanswered, the AI's orders for every other seat, the turn, its record.
    pub fn resolve(&mut self) -> Result<Played, NotReady> {
        if let Some(outcome) = self.game().outcome() {
            return Err(if self.session.is_over() {
                NotReady::Over(GameOver(outcome.clone()))
            } else {
                NotReady::ChapterOver
            });
        }
        let waiting = self.waiting_for();
        if !waiting.is_empty() {
            return Err(NotReady::Waiting(waiting));
        }
        let persons = self.persons();
        for &p in &persons {
            for decision in self.decisions(p) {
                if let Decision::Proposal(proposal) = decision {
                    self.given.entry(p).or_default().push(Order::Answer {
                        proposal: proposal.id,
                        answer: Answer::Refuse(vec![RefusalReason::NoAnswer]),
                    });
                }
            }
        }
        let ai_seats: Vec<(FactionId, Policy)> = self
            .game()
            .factions()
            .filter_map(|f| match self.seat(f) {
                Seat::Ai(policy) => Some((f, policy)),
                Seat::Person => None,
            })
            .collect();
        let mut orders: BTreeMap<FactionId, Vec<Order>> =
            ai::plan_seats(self.session.game.world_mut(), &ai_seats)
                .into_iter()
                .collect();
        for &p in &persons {
            orders.insert(p, self.given.remove(&p).unwrap_or_default());
        }
        self.given.clear();
        self.ended.clear();
        let played = self.play_given(&orders).map_err(NotReady::Over)?;
        if self.recording.is_some() {
            let record = self.record(&played, &orders, &persons);
            if let Some(replay) = &mut self.recording {
                replay.turns.push(record);
            }
        }
        Ok(Played {
            chapter: self.session.chapter(),
            report: played.report,
            orders,
            persons,
        })
    }

    /// Gives every faction's orders and plays the turn, taking the hash after every phase
    /// when a replay is being made or checked.
    fn play_given(
        &mut self,
        orders: &BTreeMap<FactionId, Vec<Order>>,
    ) -> Result<PlayedTurn, GameOver> {
        let probe = self.recording.is_some();
        let game = &mut self.session.game;
        for (faction, list) in orders {
            game.give_orders(*faction, list.iter().cloned());
        }
        play_turn(game, probe)
    }

    fn record(
        &self,
        played: &PlayedTurn,
        orders: &BTreeMap<FactionId, Vec<Order>>,
        persons: &[FactionId],
    ) -> TurnRecord {
        let key = |f: FactionId| {
            self.game()
                .faction_key(f)
                .map_or_else(|| f.to_string(), str::to_owned)
        };
        TurnRecord::new(
            self.session.chapter(),
            played,
            orders.iter().map(|(f, o)| (key(*f), o.clone())).collect(),
            persons.iter().map(|&f| key(f)).collect(),
            &self.game().state(),
        )
    }

    /// Plays on until the game ends or `turns` turns have been played: for each turn,
    /// `persons` is asked for the orders of each person seat still in the game (its end of
    /// turn is taken when it returns), then the turn is resolved; `observe` is shown each new
    /// chapter and each turn. Returns the number of turns played. This is the loop of every
    /// headless game: `run`, a branch of `replay`, `autoplay`, the tests and the benchmarks.
    pub fn play_on<E>(
        &mut self,
        turns: Option<u32>,
        mut persons: impl FnMut(&mut Driver, FactionId) -> Result<(), E>,
        mut observe: impl FnMut(&Driver, Step<'_>) -> Result<(), E>,
    ) -> Result<u32, E> {
        let mut played = 0;
        loop {
            if self.chapter_over() {
                if !self.next_chapter() {
                    break;
                }
                observe(self, Step::Chapter)?;
            }
            if turns.is_some_and(|n| played >= n) {
                break;
            }
            for faction in self.waiting_for() {
                persons(self, faction)?;
                self.end_turn(faction);
            }
            match self.resolve() {
                Ok(turn) => {
                    played += 1;
                    observe(self, Step::Turn(&turn))?;
                }
                Err(_) => break,
            }
        }
        Ok(played)
    }

    /// Replays one recorded turn: starts the next chapter if the last one ended, gives the
    /// recorded orders, plays the turn and compares it with the recording. The seats play no
    /// part: every order comes from the record.
    pub fn replay_turn(&mut self, record: &TurnRecord) -> Result<Replayed, ReplayError> {
        if self.chapter_over() {
            self.next_chapter();
        }
        let game = self.game();
        if record.chapter as usize != self.session.chapter() || record.turn != game.turn() {
            return Err(ReplayError::OutOfStep {
                game_turn: game.turn(),
                game_chapter: self.session.chapter() as u32 + 1,
                turn: record.turn,
                chapter: record.chapter.saturating_add(1),
            });
        }
        let mut orders: BTreeMap<FactionId, Vec<Order>> = BTreeMap::new();
        for (key, list) in &record.orders {
            let faction = game
                .faction_id(key)
                .ok_or_else(|| ReplayError::UnknownFaction(key.clone()))?;
            orders.insert(faction, list.clone());
        }
        let persons: Vec<FactionId> = record
            .persons
            .iter()
            .filter_map(|k| game.faction_id(k))
            .collect();
        let before = game.state();
        let game = &mut self.session.game;
        for (faction, list) in &orders {
            game.give_orders(*faction, list.iter().cloned());
        }
        let played = play_turn(game, true).map_err(|_| ReplayError::Ended)?;
        let replayed = self.record(&played, &orders, &persons);
        let parting = compare(record, &replayed);
        if let Some(replay) = &mut self.recording {
            replay.turns.push(replayed);
        }
        Ok(Replayed {
            before,
            played,
            parting,
        })
    }
}

/// Whether a new order takes the place of an earlier one of the same faction's turn.
fn replaces(new: &Order, old: &Order) -> bool {
    let moves = |o: &Order| o.fleet().filter(|_| !matches!(o, Order::Assign { .. }));
    let assigns = |o: &Order| match o {
        Order::Assign { fleet, .. } => Some(*fleet),
        _ => None,
    };
    match (new, old) {
        (Order::Answer { proposal: a, .. }, Order::Answer { proposal: b, .. }) => a == b,
        (Order::Choose { event: a, .. }, Order::Choose { event: b, .. }) => a == b,
        _ => {
            (moves(new).is_some() && moves(new) == moves(old))
                || (assigns(new).is_some() && assigns(new) == assigns(old))
        }
    }
}

/// Plays the game's next turn with the orders already given, taking the hash after every
/// phase if `probe`.
fn play_turn(game: &mut Game, probe: bool) -> Result<PlayedTurn, GameOver> {
    // The state hash is encoded on the machine's cores; it is the same on one.
    game.world_mut()
        .insert_resource(HashThreads(crate::ai::threads()));
    if probe {
        game.world_mut().insert_resource(PhaseHashes::default());
    }
    let report = game.play_turn();
    let phases = game
        .world_mut()
        .remove_resource::<PhaseHashes>()
        .unwrap_or_default()
        .0;
    report.map(|report| PlayedTurn { report, phases })
}
