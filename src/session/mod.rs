//! A session: one scenario, or a campaign of scenarios played one after another, each chapter
//! starting from its scenario with what the campaign carries over from the chapter before.
//! It stands on the rules core alone; the turn driver ([`crate::driver`]) plays through it.

pub mod chapter;

pub use chapter::{Carry, ChapterStart, carry_over};

use crate::core::game::Game;
use crate::core::state::WorldState;

/// A game in progress, across chapters.
pub struct Session {
    chapters: Vec<ChapterStart>,
    chapter: usize,
    /// The chapter being played.
    pub game: Game,
}

impl Session {
    /// A session of one or more chapters, at the start of the first.
    pub fn new(chapters: Vec<ChapterStart>) -> Self {
        assert!(!chapters.is_empty(), "a session has at least one chapter");
        let game = Game::new(chapters[0].world.clone());
        Self {
            chapters,
            chapter: 0,
            game,
        }
    }

    /// A session resumed in chapter `chapter` from a world saved in it.
    pub fn resume(chapters: Vec<ChapterStart>, chapter: usize, world: WorldState) -> Self {
        assert!(
            chapter < chapters.len(),
            "the chapter is one of the session's"
        );
        Self {
            chapters,
            chapter,
            game: Game::new(world),
        }
    }

    /// Every chapter's start, for saving.
    pub fn chapters(&self) -> &[ChapterStart] {
        &self.chapters
    }

    /// A session of a single scenario.
    pub fn single(world: WorldState) -> Self {
        Self::new(vec![ChapterStart {
            world,
            carry: Vec::new(),
        }])
    }

    /// The chapter being played, from 0.
    pub fn chapter(&self) -> usize {
        self.chapter
    }

    /// How many chapters there are.
    pub fn chapter_count(&self) -> usize {
        self.chapters.len()
    }

    /// At most how many turns are left to play, to the end of the last chapter.
    pub fn turns_left(&self) -> u32 {
        let here = (self.game.last_turn() + 1).saturating_sub(self.game.turn());
        let later: u32 = self.chapters[self.chapter + 1..]
            .iter()
            .map(|c| c.world.calendar.last_turn)
            .sum();
        if self.game.outcome().is_some() {
            later
        } else {
            here + later
        }
    }

    /// Whether the last chapter has ended.
    pub fn is_over(&self) -> bool {
        self.game.outcome().is_some() && self.chapter + 1 == self.chapters.len()
    }

    /// When the current chapter has ended and another follows: starts it, carrying over what
    /// it says, and returns true.
    pub fn next_chapter(&mut self) -> bool {
        if self.game.outcome().is_none() || self.chapter + 1 >= self.chapters.len() {
            return false;
        }
        let end = self.game.state();
        self.chapter += 1;
        let next = &self.chapters[self.chapter];
        self.game = Game::new(carry_over(&end, next.world.clone(), &next.carry));
        true
    }
}
