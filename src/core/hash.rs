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

/// A sink that streams every part, tag then value in postcard's encoding, into BLAKE3: the
/// same bytes as [`canonical::Bytes`] gathers, handed over in pieces large enough for BLAKE3
/// to hash many chunks at once, so that one thread hashing a world never holds its whole
/// encoding. (Encoded on several threads, see [`HashThreads`], the changing half is held
/// whole, in runs, while it is hashed: a few bytes per sector and some tens per fleet.)
#[derive(Default)]
struct Streamed {
    hasher: blake3::Hasher,
    pending: Vec<u8>,
}

impl Streamed {
    /// Bytes gathered before they are hashed: enough for every SIMD width BLAKE3 uses.
    const PIECE: usize = 64 * 1024;

    fn finish(mut self) -> [u8; 32] {
        self.hasher.update(&self.pending);
        *self.hasher.finalize().as_bytes()
    }
}

impl Sink for Streamed {
    fn part<T: serde::Serialize + ?Sized>(&mut self, part: Part, value: &T) {
        canonical::encode(&mut self.pending, &part);
        canonical::encode(&mut self.pending, value);
        if self.pending.len() >= Self::PIECE {
            self.hasher.update(&self.pending);
            self.pending.clear();
        }
    }
}

fn fixed_of(fixed: &Fixed) -> [u8; 32] {
    let mut sink = Streamed::default();
    fixed.visit(&mut sink);
    sink.finish()
}

fn combine(fixed: &[u8; 32], changing: &Changing, threads: usize) -> StateHash {
    if threads > 1 && changing.rows() >= SPLIT_FROM_ROWS {
        // Encoded in runs on several threads, then hashed in order: the same bytes.
        let mut hasher = blake3::Hasher::new();
        hasher.update(fixed);
        for run in changing.visit_split(threads, canonical::Bytes::default) {
            hasher.update(&run.0);
        }
        return StateHash(*hasher.finalize().as_bytes());
    }
    let mut sink = Streamed::default();
    sink.pending.extend_from_slice(fixed);
    changing.visit(&mut sink);
    StateHash(sink.finish())
}

/// The fewest sectors and fleets a world has for its hash to be encoded on several threads:
/// below it, starting a thread costs more than it saves.
const SPLIT_FROM_ROWS: usize = 20_000;

/// How many threads a live world's state hash may be encoded on; one when absent. Whoever
/// plays the turns says (the turn driver: as many as the machine has); the hash is the same
/// on any number.
#[derive(Resource, Clone, Copy, Debug, PartialEq, Eq)]
pub struct HashThreads(pub usize);

/// The digest of the fixed half of a world state.
pub fn fixed_digest(state: &WorldState) -> [u8; 32] {
    fixed_of(&canonical::of_state(state).0)
}

/// The state hash of a world state.
pub fn hash_state(state: &WorldState) -> StateHash {
    let (fixed, changing) = canonical::of_state(state);
    combine(&fixed_of(&fixed), &changing, 1)
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
    let threads = world.get_resource::<HashThreads>().map_or(1, |t| t.0);
    combine(
        &world.resource::<FixedDigest>().0,
        &canonical::of_world(world),
        threads,
    )
}
