//! Replay files: RON, so that two replays can be read and diffed. A replay names what was
//! played and with which files (each with its BLAKE3 hash), the seed, and for every turn the
//! orders of every faction, the state hash, the hash after each phase and the digests of the
//! world's parts.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::digest::{digests, from_line, to_line};
use crate::core::game::TurnReport;
use crate::core::orders::Order;
use crate::core::seat::Seats;
use crate::core::state::{StateHash, WorldState};
use crate::core::turn::TurnSystems;

/// The replay format this build writes and reads. Format 2 records the seats, and which
/// factions a person played in each turn; format 3 takes its hashes and digests over the
/// world's canonical form, treaties, proposals, dice and calendar included; format 4's cover
/// each personality's archetype; format 5 leaves out of the form the pairs of factions whose
/// relation is the default (peace since before the scenario, no opinions). Format 6 is format
/// 5 that may hold refusal reasons and motives added since (a faction named as the would-be
/// ally or the enemy being beaten, a truce outlived): a build that reads only format 5 refuses
/// it as newer rather than as malformed.
pub const REPLAY_FORMAT: u32 = 6;

/// The oldest replay format this build reads: a format-5 replay is a format-6 replay that may
/// lack the later reasons and motives, with the same hashes.
pub const OLDEST_REPLAY_FORMAT: u32 = 5;

/// Whether this build reads replays of `format`.
pub fn readable(format: u32) -> bool {
    (OLDEST_REPLAY_FORMAT..=REPLAY_FORMAT).contains(&format)
}

/// A branch: a replay that shares its first turns with another and then goes its own way.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Branch {
    /// The state hash after the last shared turn.
    pub from_hash: String,
    /// How many turns are shared.
    pub after_turns: u32,
}

/// One turn of a replay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "Turn")]
pub struct TurnRecord {
    /// The chapter, from 0.
    pub chapter: u32,
    /// The turn within the chapter.
    pub turn: u32,
    /// Every faction's orders, by faction id.
    pub orders: BTreeMap<String, Vec<Order>>,
    /// The factions whose orders a person gave this turn, by id; the AI gave the rest.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub persons: Vec<String>,
    /// The state hash after the turn.
    pub hash: String,
    /// The state hash after each phase, in phase order.
    pub phases: Vec<String>,
    /// The digests of the world's parts after the turn: `tag=hash ...`.
    pub digest: String,
}

/// A replay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "Replay")]
pub struct Replay {
    /// The replay format.
    pub format: u32,
    /// The version of the game that recorded it.
    pub game: String,
    /// What was played: a scenario or campaign id, or a scenario file.
    pub play: String,
    /// The mods, by id, in load order.
    pub mods: Vec<String>,
    /// Every file the game was made of, with the BLAKE3 hash of its text.
    pub content: Vec<(String, String)>,
    /// The seed of the first chapter.
    pub seed: u64,
    /// Who gave each faction's orders: in a branch, from the turn it branches on (the shared
    /// turns were played by the seats of the replay it branches from, and each turn's
    /// `persons` says who played it). Taking the helm keeps the other seats as they are here.
    pub seats: Seats,
    /// Where this replay branches from another.
    #[serde(default)]
    pub branch: Option<Branch>,
    /// The turns.
    pub turns: Vec<TurnRecord>,
}

impl Replay {
    /// A replay with no turns yet.
    pub fn new(
        play: String,
        mods: Vec<String>,
        content: Vec<(String, String)>,
        seed: u64,
        seats: Seats,
    ) -> Self {
        let mut replay = Self {
            format: REPLAY_FORMAT,
            game: String::new(),
            play,
            mods,
            content,
            seed,
            seats,
            branch: None,
            turns: Vec::new(),
        };
        replay.stamp();
        replay
    }

    /// Marks it as written by this build, in this build's format: what a recording adds is,
    /// whatever build wrote the replay a branch continues.
    pub fn stamp(&mut self) {
        self.format = REPLAY_FORMAT;
        self.game = env!("CARGO_PKG_VERSION").to_owned();
    }

    /// The replay as RON text.
    pub fn to_ron(&self) -> String {
        let config = ron::ser::PrettyConfig::new()
            .depth_limit(4)
            .struct_names(true);
        ron::ser::to_string_pretty(self, config).expect("a replay always serialises")
    }

    /// The state hash after the last turn, if any.
    pub fn final_hash(&self) -> Option<&str> {
        self.turns.last().map(|t| t.hash.as_str())
    }
}

/// One turn played with the hash taken after every phase.
pub struct PlayedTurn {
    /// What happened.
    pub report: TurnReport,
    /// The hash after each phase, in order.
    pub phases: Vec<(TurnSystems, StateHash)>,
}

impl TurnRecord {
    /// The record of a turn just played in `chapter`: the orders given before it (by faction
    /// id, with the factions a person played), and the world it came to.
    pub fn new(
        chapter: usize,
        played: &PlayedTurn,
        orders: BTreeMap<String, Vec<Order>>,
        persons: Vec<String>,
        after: &WorldState,
    ) -> Self {
        Self {
            chapter: chapter as u32,
            turn: played.report.turn,
            orders: orders.into_iter().filter(|(_, o)| !o.is_empty()).collect(),
            persons,
            hash: played.report.hash.to_string(),
            phases: played.phases.iter().map(|(_, h)| short_hash(h)).collect(),
            digest: to_line(&digests(after)),
        }
    }
}

/// A short form of a hash for the per-phase list.
pub fn short_hash(hash: &StateHash) -> String {
    hash.to_string()[..16].to_owned()
}

/// Where a replayed turn parts from its recording.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parting {
    /// The first phase whose hash differs, if the recording has phase hashes.
    pub phase: Option<TurnSystems>,
    /// The parts of the world whose digests differ after the turn.
    pub parts: Vec<String>,
}

/// Compares a replayed turn with its record. `None` when they agree: the state hash, every
/// phase's hash and every digest the record gives are checked, so an edited phase hash or
/// digest is a parting even where the final hash agrees.
pub fn compare(record: &TurnRecord, replayed: &TurnRecord) -> Option<Parting> {
    let phases_agree = record.phases == replayed.phases;
    if record.hash == replayed.hash && phases_agree && record.digest == replayed.digest {
        return None;
    }
    let phase = TurnSystems::ALL
        .iter()
        .enumerate()
        .find(|(i, _)| record.phases.get(*i) != replayed.phases.get(*i))
        .map(|(_, p)| *p);
    let (a, b) = (from_line(&record.digest), from_line(&replayed.digest));
    let mut parts: Vec<String> = a
        .keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect();
    parts.sort();
    parts.dedup();
    if record.phases.len() != replayed.phases.len() {
        parts.push(format!(
            "the recording gives {} phase hashes, and a turn has {}",
            record.phases.len(),
            replayed.phases.len()
        ));
    }
    if record.hash != replayed.hash && parts.is_empty() && phase.is_none() {
        parts.push("the state hash".into());
    }
    Some(Parting { phase, parts })
}

/// Why a recorded turn cannot be replayed at all.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReplayError {
    /// The recording has another turn next than the game.
    #[error(
        "the game is at turn {game_turn} of chapter {game_chapter}, and the recording has turn {turn} of chapter {chapter} next"
    )]
    OutOfStep {
        /// The game's next turn.
        game_turn: u32,
        /// The game's chapter, from 1.
        game_chapter: u32,
        /// The recording's next turn.
        turn: u32,
        /// The recording's chapter, from 1.
        chapter: u32,
    },
    /// The recording gives orders to a faction the game does not have.
    #[error("the recording gives orders to `{0}`, which is not in the game")]
    UnknownFaction(String),
    /// The recording goes on after the game ended.
    #[error("the recording goes on after the game ended")]
    Ended,
}
