//! The state hash: BLAKE3 over the world's canonical form (see [`super::canonical`]), in two
//! levels so that a turn only re-reads what can change.
//!
//! `hash = BLAKE3(BLAKE3(fixed half) ‖ changing half)`, each half every part's tag and value
//! in postcard's encoding, in order. The fixed half's digest is taken once when a game starts;
//! the changing half is read straight from the ECS each turn. A [`WorldState`] hashes through
//! the very same parts, so a save, a replay and a live game agree.

use bevy::prelude::*;

use super::canonical::{self, Changing, Fixed, Part, Sink};
use super::state::{StateHash, WorldState};
use super::turn::TurnSystems;

/// A sink that streams every part, tag then value in postcard's encoding, straight into
/// BLAKE3: the same bytes as [`canonical::Bytes`] gathers, hashed as they come, so a large
/// world is never held twice in memory to be hashed.
#[derive(Default)]
struct Streamed {
    hasher: blake3::Hasher,
    scratch: Vec<u8>,
}

impl Sink for Streamed {
    fn part<T: serde::Serialize + ?Sized>(&mut self, part: Part, value: &T) {
        let mut buf = std::mem::take(&mut self.scratch);
        buf.clear();
        let buf = postcard::to_extend(&part, buf).expect("serialising into memory cannot fail");
        let buf = postcard::to_extend(value, buf).expect("serialising into memory cannot fail");
        self.hasher.update(&buf);
        self.scratch = buf;
    }
}

fn fixed_of(fixed: &Fixed) -> [u8; 32] {
    let mut sink = Streamed::default();
    fixed.visit(&mut sink);
    *sink.hasher.finalize().as_bytes()
}

fn combine(fixed: &[u8; 32], changing: &Changing) -> StateHash {
    let mut sink = Streamed::default();
    sink.hasher.update(fixed);
    changing.visit(&mut sink);
    StateHash(*sink.hasher.finalize().as_bytes())
}

/// The digest of the fixed half of a world state.
pub fn fixed_digest(state: &WorldState) -> [u8; 32] {
    fixed_of(&canonical::of_state(state).0)
}

/// The state hash of a world state.
pub fn hash_state(state: &WorldState) -> StateHash {
    let (fixed, changing) = canonical::of_state(state);
    combine(&fixed_of(&fixed), &changing)
}

/// When present, the world's hash after each phase of the turn being played. The replayer
/// inserts it to find the first phase in which a replay and its recording part.
#[derive(Resource, Clone, Debug, Default)]
pub struct PhaseHashes(pub Vec<(TurnSystems, StateHash)>);

/// Takes the hash at the end of a phase.
pub(super) fn probe(world: &mut World, phase: TurnSystems) {
    let hash = hash_world(world);
    world.resource_mut::<PhaseHashes>().0.push((phase, hash));
}

/// The digest of a live world's fixed half, taken once when its game starts.
#[derive(Resource, Clone, Copy, Debug)]
pub struct FixedDigest(pub [u8; 32]);

/// The state hash of a live world, read from the ECS without copying it out.
pub fn hash_world(world: &World) -> StateHash {
    combine(
        &world.resource::<FixedDigest>().0,
        &canonical::of_world(world),
    )
}
