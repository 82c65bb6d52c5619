//! A session: one scenario, or a campaign of scenarios played one after another, each chapter
//! starting from its scenario with what the campaign carries over from the chapter before.
//! It stands on the rules core alone; the turn driver ([`crate::driver`]) plays through it.

pub mod chapter;
pub mod reload;

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

    /// Takes changed content in (each chapter's start as the files now set it up): the
    /// chapter under way takes what [`reload::merge`] allows, the chapters to come start as
    /// the files now say. What changed, in words; or why the change cannot be played now, and
    /// the session is as it was.
    pub fn reload(&mut self, fresh: Vec<ChapterStart>) -> Result<Vec<String>, reload::Refused> {
        let here = self.chapter;
        let same_so_far = fresh.len() > here
            && self.chapters[..=here]
                .iter()
                .zip(&fresh)
                .all(|(a, b)| a.world.scenario.id == b.world.scenario.id);
        if !same_so_far {
            return Err(reload::Refused {
                what: "the campaign's chapters played so far changed".into(),
                keeps: "campaign",
            });
        }
        let merged = reload::merge(&self.game.state(), &fresh[here].world)?;
        let mut changes = merged.changes;
        let later = |c: &[ChapterStart]| -> Vec<ChapterStart> { c[here + 1..].to_vec() };
        if later(&self.chapters) != later(&fresh) {
            changes.push("the chapters to come".to_owned());
        }
        if !changes.is_empty() {
            self.game = Game::new(merged.world);
        }
        self.chapters = fresh;
        Ok(changes)
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
