//! Replay files: RON, so that two replays can be read and diffed. A replay names what was
//! played and with which files (each with its BLAKE3 hash), the seed, and for every turn the
//! orders of every faction, the state hash, the hash after each phase and the digests of the
//! world's parts.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::digest::{digests, from_line, to_line};
use crate::core::faction::{Faction, FactionIndex};
use crate::core::game::{GameOver, TurnReport};
use crate::core::hash::PhaseHashes;
use crate::core::ids::FactionId;
use crate::core::orders::Order;
use crate::core::state::StateHash;
use crate::core::turn::TurnSystems;
use crate::session::Session;

/// The replay format this build writes and reads.
pub const REPLAY_FORMAT: u32 = 1;

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
    /// How the AI played the factions no one had taken; after `--take`, the other factions
    /// go on playing this way.
    #[serde(default)]
    pub policy: crate::ai::Policy,
    /// The faction given to a player, in a branch.
    #[serde(default)]
    pub player: Option<String>,
    /// Where this replay branches from another.
    #[serde(default)]
    pub branch: Option<Branch>,
    /// The turns.
    pub turns: Vec<TurnRecord>,
}

impl Replay {
    /// A replay with no turns yet.
    pub fn new(play: String, mods: Vec<String>, content: Vec<(String, String)>, seed: u64) -> Self {
        Self {
            format: REPLAY_FORMAT,
            game: env!("CARGO_PKG_VERSION").to_owned(),
            play,
            mods,
            content,
            seed,
            policy: crate::ai::Policy::Free,
            player: None,
            branch: None,
            turns: Vec::new(),
        }
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

/// The key of a faction of the game being played.
pub fn faction_key(session: &Session, faction: FactionId) -> String {
    let world = session.game.world();
    let entity = world.resource::<FactionIndex>().entity(faction);
    world
        .get::<Faction>(entity)
        .map_or_else(|| faction.to_string(), |f| f.key.clone())
}

/// The id of a faction of the game being played, by key.
pub fn faction_by_key(session: &Session, key: &str) -> Option<FactionId> {
    let world = session.game.world();
    let index = world.resource::<FactionIndex>();
    index.ids().find(|&f| {
        world
            .get::<Faction>(index.entity(f))
            .is_some_and(|x| x.key == key)
    })
}

/// One turn played with the hash taken after every phase.
pub struct PlayedTurn {
    /// What happened.
    pub report: TurnReport,
    /// The hash after each phase, in order.
    pub phases: Vec<(TurnSystems, StateHash)>,
}

/// Plays the session's next turn with the orders already given, taking the hash after every
/// phase.
pub fn play_probed(session: &mut Session) -> Result<PlayedTurn, GameOver> {
    session
        .game
        .world_mut()
        .insert_resource(PhaseHashes::default());
    let report = session.game.play_turn();
    let phases = session
        .game
        .world_mut()
        .remove_resource::<PhaseHashes>()
        .unwrap_or_default()
        .0;
    report.map(|report| PlayedTurn { report, phases })
}

/// A short form of a hash for the per-phase list.
pub fn short_hash(hash: &StateHash) -> String {
    hash.to_string()[..16].to_owned()
}

/// The record of a turn just played: the orders given before it, and what it came to.
pub fn record_turn(
    session: &mut Session,
    orders: &BTreeMap<FactionId, Vec<Order>>,
    played: &PlayedTurn,
) -> TurnRecord {
    let orders = orders
        .iter()
        .filter(|(_, o)| !o.is_empty())
        .map(|(f, o)| (faction_key(session, *f), o.clone()))
        .collect();
    let state = session.game.state();
    TurnRecord {
        chapter: session.chapter() as u32,
        turn: played.report.turn,
        orders,
        hash: played.report.hash.to_string(),
        phases: played.phases.iter().map(|(_, h)| short_hash(h)).collect(),
        digest: to_line(&digests(&state)),
    }
}

/// Where a replayed turn parts from its recording.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parting {
    /// The first phase whose hash differs, if the recording has phase hashes.
    pub phase: Option<TurnSystems>,
    /// The parts of the world whose digests differ after the turn.
    pub parts: Vec<String>,
}

/// Compares a replayed turn with its record. `None` when they agree.
pub fn compare(record: &TurnRecord, replayed: &TurnRecord) -> Option<Parting> {
    if record.hash == replayed.hash {
        return None;
    }
    let phase = TurnSystems::ALL
        .iter()
        .zip(record.phases.iter().zip(&replayed.phases))
        .find(|(_, (a, b))| a != b)
        .map(|(p, _)| *p);
    let (a, b) = (from_line(&record.digest), from_line(&replayed.digest));
    let mut parts: Vec<String> = a
        .keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect();
    parts.sort();
    parts.dedup();
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

/// One recorded turn, replayed.
pub struct Replayed {
    /// The world before the turn.
    pub before: crate::core::state::WorldState,
    /// The turn as played now.
    pub played: PlayedTurn,
    /// Where it parts from the recording, if it does.
    pub parting: Option<Parting>,
}

/// Replays one recorded turn: starts the next chapter if the last one ended, gives the
/// recorded orders, plays the turn and compares it with the recording.
pub fn replay_turn(session: &mut Session, record: &TurnRecord) -> Result<Replayed, ReplayError> {
    if session.game.outcome().is_some() {
        session.next_chapter();
    }
    if record.chapter as usize != session.chapter() || record.turn != session.game.turn() {
        return Err(ReplayError::OutOfStep {
            game_turn: session.game.turn(),
            game_chapter: session.chapter() as u32 + 1,
            turn: record.turn,
            chapter: record.chapter + 1,
        });
    }
    let mut orders: BTreeMap<FactionId, Vec<Order>> = BTreeMap::new();
    for (key, list) in &record.orders {
        let faction =
            faction_by_key(session, key).ok_or_else(|| ReplayError::UnknownFaction(key.clone()))?;
        orders.insert(faction, list.clone());
    }
    for (faction, list) in &orders {
        session.game.give_orders(*faction, list.iter().cloned());
    }
    let before = session.game.state();
    let played = play_probed(session).map_err(|_| ReplayError::Ended)?;
    let replayed = record_turn(session, &orders, &played);
    let parting = compare(record, &replayed);
    Ok(Replayed {
        before,
        played,
        parting,
    })
}
