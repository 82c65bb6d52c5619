//! The game being played in the window: the turn driver as one resource, where the turn
//! stands (a person giving orders, the hand-over between hotseat players, the AI resolving on
//! another thread, the turn's events playing on the map), the turn log so far, and what the
//! map draws from (a snapshot of the world, taken whenever the world changes).
//!
//! Nothing here writes the rules' components: every change of the world goes through the
//! driver, as on the command line.

use std::path::PathBuf;

use bevy::prelude::*;
use bevy::tasks::{AsyncComputeTaskPool, Task, block_on, futures_lite::future};

use crate::ai::appraise::Appraisal;
use crate::chronicle::Chronicle;
use crate::core::diplomacy::{Clause, Proposal};
use crate::core::events::GameEvent;
use crate::core::game::TurnReport;
use crate::core::ids::{FactionId, ProposalId, SectorId};
use crate::core::orders::Order;
use crate::core::seat::{Policy, Seat, Seats};
use crate::core::state::WorldState;
use crate::driver::{Driver, NotReady, Played};
use crate::record::save::{self, SaveFile};
use crate::session::ChapterStart;

use super::Screen;

/// What a game was started from, for saves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// A scenario or campaign id, or a scenario file.
    pub play: String,
    /// The seed of the first chapter.
    pub seed: u64,
    /// The mods, by id, in load order.
    pub mods: Vec<String>,
}

/// Where the turn stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    /// This person seat gives its orders.
    Orders(FactionId),
    /// The screen waits for the next hotseat player to take it.
    Handover(FactionId),
    /// Every person has ended the turn; the AI plans and the turn is resolved off the main
    /// thread.
    Resolving,
    /// The turn's events play on the map.
    Playback,
    /// The chapter (or the game) has ended: the result screen.
    Ended,
}

/// What kind of line a log entry is, for the log's filters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LogKind {
    /// Scripted events, messages, choices, the end of the scenario.
    Story,
    /// Moves, battles, captures, losses.
    War,
    /// Declarations, proposals, treaties, alliances.
    Diplomacy,
    /// Ships built, accounts, attrition.
    Economy,
    /// Refused orders.
    Refusal,
}

impl LogKind {
    /// The kind of an event of the turn log.
    pub fn of(event: &GameEvent) -> LogKind {
        use GameEvent as E;
        match event {
            E::OrderRefused { .. } | E::EffectSkipped { .. } => LogKind::Refusal,
            E::FleetMoved { .. }
            | E::FleetIntercepted { .. }
            | E::FleetBlocked { .. }
            | E::FleetArrived { .. }
            | E::Battle(_)
            | E::FleetDestroyed { .. }
            | E::OccupationBegun { .. }
            | E::SectorCaptured { .. }
            | E::FactionDefeated { .. } => LogKind::War,
            E::Accounts { .. } | E::FleetBuilt { .. } | E::Attrition { .. } => LogKind::Economy,
            E::WarDeclared { .. }
            | E::CeaseFireEnded { .. }
            | E::TreatyBroken { .. }
            | E::ProposalMade { .. }
            | E::ProposalRefused { .. }
            | E::TreatySigned { .. }
            | E::PeaceMade { .. }
            | E::TruceAgreed { .. }
            | E::CeaseFireAgreed { .. }
            | E::AllianceFormed { .. }
            | E::AllianceJoined { .. }
            | E::AllianceLeft { .. }
            | E::OpinionChanged { .. }
            | E::AllianceRenamed { .. }
            | E::AllianceExpelled { .. }
            | E::AllianceChairSet { .. }
            | E::AllianceHqSet { .. }
            | E::JointCommandFormed { .. }
            | E::PactRevealed { .. } => LogKind::Diplomacy,
            _ => LogKind::Story,
        }
    }
}

/// One line of the turn log as the window shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    /// The chapter, from 0.
    pub chapter: usize,
    /// The turn.
    pub turn: u32,
    /// The date, `2409-05`.
    pub date: String,
    /// What kind of line.
    pub kind: LogKind,
    /// The line, as the command line prints it.
    pub text: String,
}

/// A scripted message or a choice to show in a pop-up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dispatch {
    /// The event's id.
    pub event: String,
    /// The text.
    pub text: String,
    /// The mission or document it cites.
    pub source: Option<String>,
}

/// What the thread that resolves a turn hands back: the driver, the turn, and the world after
/// it, copied out there.
type Resolved = (Driver, Result<Played, NotReady>, WorldState);

/// The game in the window.
#[derive(Resource)]
pub struct Playing {
    driver: Option<Driver>,
    task: Option<Task<Resolved>>,
    /// The world after the last turn, copied out on the thread that resolved it so that the
    /// frame that shows it does not pay for it; with the generation it belongs to.
    fresh: Option<(u64, WorldState)>,
    /// What it was started from.
    pub origin: Origin,
    /// Where the turn stands.
    pub phase: Phase,
    /// Every line logged so far, oldest first.
    pub log: Vec<LogLine>,
    /// The last turn played, for its playback.
    pub last_turn: Option<TurnReport>,
    /// Scripted messages not yet read.
    pub dispatches: Vec<Dispatch>,
    /// What the window says about the last thing the player did (a refusal's reason).
    pub notice: Option<Notice>,
    /// Bumped whenever the world changes, so views know to redraw.
    pub generation: u64,
    /// Where the game's recording is written after every turn: a branch taken from a replay.
    pub branch_file: Option<PathBuf>,
    /// Changed content, validated, waiting for the turn to end (see [`super::reload`]).
    pub content: Option<Vec<ChapterStart>>,
}

/// A message for the player about an order: where it was given and what came of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// The sector the order was about, to show it there on the map.
    pub at: Option<SectorId>,
    /// The text.
    pub text: String,
    /// Whether it is a refusal.
    pub refused: bool,
    /// The rules' reason, when the order was refused.
    pub reason: Option<crate::core::orders::OrderRefusal>,
}

impl Playing {
    /// A game starting now.
    pub fn new(driver: Driver, origin: Origin) -> Self {
        let mut playing = Self {
            driver: Some(driver),
            task: None,
            origin,
            phase: Phase::Resolving,
            log: Vec::new(),
            last_turn: None,
            fresh: None,
            dispatches: Vec::new(),
            notice: None,
            generation: 0,
            branch_file: None,
            content: None,
        };
        playing.next_phase();
        playing
    }

    /// The driver, unless the AI is resolving the turn on another thread.
    pub fn driver(&self) -> Option<&Driver> {
        self.driver.as_ref()
    }

    /// The driver, to give orders through.
    pub fn driver_mut(&mut self) -> Option<&mut Driver> {
        self.driver.as_mut()
    }

    /// The person seat giving orders now, if one is.
    pub fn seat_at_hand(&self) -> Option<FactionId> {
        match self.phase {
            Phase::Orders(f) => Some(f),
            _ => None,
        }
    }

    /// Gives an order of the seat at hand through the driver's checks; the notice says what
    /// came of it.
    pub fn give(&mut self, order: Order, at: Option<SectorId>) -> bool {
        let Some(faction) = self.seat_at_hand() else {
            return false;
        };
        let Some(driver) = self.driver.as_mut() else {
            return false;
        };
        let chronicle_text =
            |driver: &Driver, order: &Order| Chronicle::new(driver.game().world()).order(order);
        match driver.give(faction, order.clone()) {
            Ok(()) => {
                self.notice = Some(Notice {
                    at,
                    text: format!("ordered: {}", chronicle_text(driver, &order)),
                    refused: false,
                    reason: None,
                });
                true
            }
            Err(reason) => {
                let chronicle = Chronicle::new(driver.game().world());
                self.notice = Some(Notice {
                    at,
                    text: format!(
                        "refused: {} — {}",
                        chronicle.order(&order),
                        chronicle.refusal(&reason)
                    ),
                    refused: true,
                    reason: Some(reason),
                });
                false
            }
        }
    }

    /// Takes back an order of the seat at hand.
    pub fn withdraw(&mut self, index: usize) -> Option<Order> {
        let faction = self.seat_at_hand()?;
        self.driver.as_mut()?.withdraw(faction, index)
    }

    /// The seat at hand ends its turn: the next hotseat player is handed the screen, or the
    /// turn is resolved on another thread.
    pub fn end_turn(&mut self) {
        let Some(faction) = self.seat_at_hand() else {
            return;
        };
        let Some(driver) = self.driver.as_mut() else {
            return;
        };
        driver.end_turn(faction);
        self.notice = None;
        match driver.waiting_for().first() {
            Some(&next) => self.phase = Phase::Handover(next),
            None => self.resolve(),
        }
    }

    /// The next hotseat player has the screen.
    pub fn take_over(&mut self) {
        if let Phase::Handover(f) = self.phase {
            self.phase = Phase::Orders(f);
        }
    }

    fn resolve(&mut self) {
        let Some(mut driver) = self.driver.take() else {
            return;
        };
        self.phase = Phase::Resolving;
        self.task = Some(AsyncComputeTaskPool::get().spawn(async move {
            let result = driver.resolve();
            let state = driver.game().state();
            (driver, result, state)
        }));
    }

    /// Collects the resolved turn when the other thread is done; true when it was collected.
    pub fn poll(&mut self) -> bool {
        let Some(task) = self.task.as_mut() else {
            return false;
        };
        let Some((driver, result, state)) = block_on(future::poll_once(task)) else {
            return false;
        };
        self.task = None;
        self.driver = Some(driver);
        match result {
            Ok(played) => {
                self.record(&played);
                self.last_turn = Some(played.report);
                self.phase = Phase::Playback;
                self.write_branch();
            }
            Err(_) => self.next_phase(),
        }
        // The turn boundary: changed content is taken in here.
        let state = match self.take_in_content() {
            true => self.driver.as_ref().expect("collected").game().state(),
            false => state,
        };
        self.world_changed(state);
        true
    }

    /// Takes in changed content waiting for the turn to end; what came of it is told in the
    /// notice and the log. True when the world changed.
    fn take_in_content(&mut self) -> bool {
        let (Some(fresh), Some(driver)) = (self.content.take(), self.driver.as_mut()) else {
            return false;
        };
        let (text, refused, changed) = match driver.reload(fresh) {
            Ok((changes, _)) if changes.is_empty() => (
                "the changed files change nothing in this game".to_owned(),
                false,
                false,
            ),
            Ok((changes, stopped)) => {
                let mut text = format!("the changed content is in play: {}", changes.join("; "));
                if stopped {
                    self.branch_file = None;
                    text.push_str(" (the game's recording stops here: a replay is of one content)");
                }
                (text, false, true)
            }
            Err(refused) => (
                format!("the changed content is not in play: {refused}"),
                true,
                false,
            ),
        };
        let session = driver.session();
        let (chapter, turn) = (session.chapter(), session.game.turn());
        self.log.push(LogLine {
            chapter,
            turn,
            date: session.game.state().calendar.date().to_string(),
            kind: LogKind::Story,
            text: text.clone(),
        });
        self.notice = Some(Notice {
            at: None,
            text,
            refused,
            reason: None,
        });
        changed
    }

    /// Writes the recording so far to the branch's file, if the game is a branch; a failure
    /// is told in the notice and the game goes on.
    fn write_branch(&mut self) {
        let (Some(path), Some(driver)) = (&self.branch_file, &self.driver) else {
            return;
        };
        let Some(recording) = driver.recording() else {
            return;
        };
        let recording = crate::record::replay::Replay {
            play: crate::cli::find::play_for(&recording.play, path),
            ..recording.clone()
        };
        if let Err(e) = save::write_atomically(path, recording.to_ron().as_bytes()) {
            self.notice = Some(Notice {
                at: None,
                text: format!(
                    "cannot record the branch in `{}`: {e}",
                    crate::content::display_path(path)
                ),
                refused: true,
                reason: None,
            });
        }
    }

    /// The world has changed to `state` (copied out of the game off the main thread): the
    /// views redraw from it.
    pub fn world_changed(&mut self, state: WorldState) {
        self.generation += 1;
        self.fresh = Some((self.generation, state));
    }

    /// What the last turn said of the faction's proposals: refusals with their reasons, and
    /// the treaties it signed.
    pub fn answers_to(&self, faction: FactionId) -> Vec<&GameEvent> {
        let Some(report) = &self.last_turn else {
            return Vec::new();
        };
        report
            .events
            .iter()
            .filter(|e| match e {
                GameEvent::ProposalRefused { from, .. } => *from == faction,
                GameEvent::TreatySigned { signatories, .. } => signatories.contains(&faction),
                _ => false,
            })
            .collect()
    }

    /// The world after the turn just collected, if it was copied out on the resolving thread
    /// and belongs to the game's present generation.
    pub fn take_fresh(&mut self) -> Option<WorldState> {
        match self.fresh.take() {
            Some((generation, state)) if generation == self.generation => Some(state),
            _ => None,
        }
    }

    /// What each addressee the game's AI plays would answer a proposal from `from` now, by
    /// its own reckoning: the same appraisal it answers by when the turn is resolved. Nothing
    /// while the turn is being resolved, and nothing for seats a person or another policy
    /// holds.
    pub fn forecast(
        &mut self,
        from: FactionId,
        to: &[FactionId],
        clauses: &[Clause],
    ) -> Vec<(FactionId, Appraisal)> {
        let Some(driver) = self.driver.as_mut() else {
            return Vec::new();
        };
        let mut to = to.to_vec();
        to.sort_unstable();
        to.dedup();
        let proposal = Proposal {
            id: ProposalId(0),
            name: String::new(),
            from,
            to: to.clone(),
            clauses: clauses.to_vec(),
            made: driver.game().turn(),
            answers: Vec::new(),
        };
        let judges: Vec<FactionId> = to
            .into_iter()
            .filter(|&f| driver.seat(f) == Seat::Ai(Policy::Strategic))
            .collect();
        let world = driver.game_mut().world_mut();
        judges
            .into_iter()
            .map(|f| (f, crate::ai::appraisal(world, f, &proposal)))
            .collect()
    }

    /// Whether the AI is resolving the turn on another thread.
    pub fn is_resolving(&self) -> bool {
        self.task.is_some()
    }

    /// Waits for the turn being resolved (tests, and closing the window mid-turn).
    pub fn finish_resolving(&mut self) {
        while self.task.is_some() {
            if !self.poll() {
                std::thread::yield_now();
            }
        }
    }

    fn record(&mut self, played: &Played) {
        let Some(driver) = &self.driver else { return };
        let chronicle = Chronicle::new(driver.game().world());
        let date = played.report.date.to_string();
        for event in &played.report.events {
            if let GameEvent::Message {
                event,
                text,
                source,
            } = event
            {
                self.dispatches.push(Dispatch {
                    event: event.clone(),
                    text: text.clone(),
                    source: source.clone(),
                });
            }
            self.log.push(LogLine {
                chapter: played.chapter,
                turn: played.report.turn,
                date: date.clone(),
                kind: LogKind::of(event),
                text: plain(chronicle.event(event)),
            });
        }
    }

    /// The turn's playback is over (or skipped): the next person's orders, or the result.
    pub fn end_playback(&mut self) {
        if self.phase == Phase::Playback {
            self.next_phase();
        }
    }

    fn next_phase(&mut self) {
        let Some(driver) = &self.driver else { return };
        self.phase = if driver.chapter_over() {
            Phase::Ended
        } else {
            match driver.waiting_for().first() {
                Some(&f) => Phase::Orders(f),
                // No person plays: the AI plays on by itself.
                None => {
                    self.resolve();
                    return;
                }
            }
        };
    }

    /// After a chapter's result: the next chapter, if the campaign has one.
    pub fn next_chapter(&mut self) -> bool {
        // Between chapters is a turn boundary too: the next one starts as the files now say.
        self.take_in_content();
        let Some(driver) = self.driver.as_mut() else {
            return false;
        };
        if !driver.next_chapter() {
            return false;
        }
        self.generation += 1;
        self.last_turn = None;
        self.next_phase();
        true
    }

    /// Saves the game, as `run --save` does; any earlier save at the path is kept until the
    /// new one is whole.
    pub fn save(&self, path: &std::path::Path) -> Result<(), String> {
        let driver = self
            .driver
            .as_ref()
            .ok_or("the turn is being resolved; save after it")?;
        let session = driver.session();
        let saved = SaveFile {
            game: env!("CARGO_PKG_VERSION").to_owned(),
            play: self.origin.play.clone(),
            mods: self.origin.mods.clone(),
            seed: self.origin.seed,
            seats: driver.seats().clone(),
            chapter: session.chapter(),
            chapters: session.chapters().to_vec(),
            world: session.game.state(),
        };
        save::write_atomically(path, &save::encode(&saved))
            .map_err(|e| format!("cannot write `{}`: {e}", path.display()))
    }
}

/// A line of the turn log as the window's fonts can draw it: they have no arrows.
pub fn plain(text: String) -> String {
    text.replace('→', "->")
}

/// Where a game is saved from the window by default.
pub fn default_save_path() -> PathBuf {
    PathBuf::from("khitomer.sav")
}

/// A game's seats from the factions the persons play.
pub fn seats_for(persons: &[String]) -> Seats {
    persons
        .iter()
        .fold(Seats::default(), |seats, f| seats.with_person(f))
}

/// Collects the turn resolved on another thread, and moves to the result screen when the
/// chapter ends.
pub(super) fn poll_resolving(
    playing: Option<ResMut<Playing>>,
    screen: Res<State<Screen>>,
    mut next: ResMut<NextState<Screen>>,
) {
    let Some(mut playing) = playing else { return };
    if playing.is_resolving() {
        playing.poll();
    }
    let ended = playing.phase == Phase::Ended;
    if ended && *screen.get() == Screen::Game {
        next.set(Screen::Result);
    }
}
