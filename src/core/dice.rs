//! The world's one source of chance: a portable seeded generator (ChaCha8) whose whole state
//! is part of the world, so saves, replays and hashes carry it.

use bevy::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// The generator. Phases draw from it in a fixed order (sorted by ids), never from elsewhere.
#[derive(Resource, Clone, Debug, PartialEq, Eq)]
pub struct Dice(ChaCha8Rng);

/// The generator's state, for saves and hashes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiceState {
    /// The seed it was made from, expanded.
    pub seed: [u8; 32],
    /// Words drawn so far.
    pub word_pos: u128,
}

impl Dice {
    /// A generator for a game seed.
    pub fn from_seed(seed: u64) -> Self {
        Self(ChaCha8Rng::seed_from_u64(seed))
    }

    /// A number in `low..=high`.
    pub fn roll(&mut self, low: u32, high: u32) -> u32 {
        if low >= high {
            low
        } else {
            self.0.random_range(low..=high)
        }
    }

    /// Its state.
    pub fn state(&self) -> DiceState {
        DiceState {
            seed: self.0.get_seed(),
            word_pos: self.0.get_word_pos(),
        }
    }

    /// A generator in a given state.
    pub fn from_state(state: &DiceState) -> Self {
        let mut rng = ChaCha8Rng::from_seed(state.seed);
        rng.set_word_pos(state.word_pos);
        Self(rng)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_round_trips_mid_stream() {
        let mut a = Dice::from_seed(42);
        for _ in 0..17 {
            a.roll(1, 100);
        }
        let mut b = Dice::from_state(&a.state());
        let xs: Vec<u32> = (0..50).map(|_| a.roll(1, 1000)).collect();
        let ys: Vec<u32> = (0..50).map(|_| b.roll(1, 1000)).collect();
        assert_eq!(xs, ys);
    }

    #[test]
    fn known_first_rolls_are_stable() {
        // Recorded once: a change here means saves and replays from other builds would part.
        let mut d = Dice::from_seed(7);
        let rolls: Vec<u32> = (0..8).map(|_| d.roll(1, 6)).collect();
        assert_eq!(rolls, vec![1, 1, 2, 2, 2, 5, 1, 5]);
    }
}
