//! Replays and saves. A replay is the recipe of a game — what was played, with which files and
//! seed, every turn's orders — and its proof: every turn's state hash, the hash after each
//! phase, and a digest of every fleet, sector and relation, so that replaying finds the first
//! turn and phase where two games part and says what differs. A save is the whole world at a
//! turn, written so that a crash never destroys the one before.

pub mod digest;
pub mod replay;
pub mod save;
