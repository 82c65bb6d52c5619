//! Seats: who gives each faction's orders. Every faction of a game has one — a person, or the
//! AI playing by a [`Policy`]. The seat map belongs to the game (saves and replays keep it),
//! not to the world: whose hand gave an order never changes what the order does, so the same
//! orders give the same state hash whoever gave them.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// How the AI plays a seat.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Policy {
    /// To win, the simpler way: cease-fires when losing, alliances against a common enemy,
    /// war on a weak neighbour; kept to measure the strategic AI against.
    Baseline,
    /// As the history did: no diplomatic initiatives and no conquest of its own; it defends
    /// what it holds and fights for what the scenario's objectives name, and leaves the rest
    /// of the story to the scenario's events.
    Historical,
    /// To win, pricing every treaty against its interests: diplomacy that weighs wars,
    /// common threats, allies' enemies and broken words, and armies played by the faction's
    /// personality. The game's AI.
    #[default]
    Strategic,
}

impl Policy {
    /// Every policy.
    pub const ALL: [Policy; 3] = [Policy::Baseline, Policy::Historical, Policy::Strategic];

    /// The policy's name on the command line and in headings.
    pub fn name(self) -> &'static str {
        match self {
            Policy::Baseline => "baseline",
            Policy::Historical => "historical",
            Policy::Strategic => "strategic",
        }
    }

    /// The policy of a name, as [`Policy::name`] gives it.
    pub fn from_name(name: &str) -> Option<Policy> {
        Policy::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// Who gives a faction's orders.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Seat {
    /// A person: at the window, or from an orders file. The AI gives this faction no order.
    Person,
    /// The AI, playing by a policy.
    Ai(Policy),
}

impl Seat {
    /// Whether a person plays it.
    pub fn is_person(self) -> bool {
        self == Seat::Person
    }
}

impl fmt::Display for Seat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Seat::Person => f.write_str("you"),
            Seat::Ai(policy) => write!(f, "AI ({})", policy.name()),
        }
    }
}

/// Every faction's seat, by faction id (`klingon`): the seats named in `taken`, and the AI
/// playing by `ai` for every other faction. Keyed by id rather than by number so that a seat
/// holds across the chapters of a campaign, whose casts differ.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seats {
    /// How the AI plays every faction not named in `taken`.
    pub ai: Policy,
    /// The seats that differ from that: persons, or the AI by another policy.
    #[serde(default)]
    pub taken: BTreeMap<String, Seat>,
}

impl Seats {
    /// Every faction played by the AI with `policy`.
    pub fn ai(policy: Policy) -> Self {
        Self {
            ai: policy,
            taken: BTreeMap::new(),
        }
    }

    /// These seats with `faction` given to a person.
    pub fn with_person(mut self, faction: &str) -> Self {
        self.taken.insert(faction.to_owned(), Seat::Person);
        self
    }

    /// The seat of the faction with this id.
    pub fn seat(&self, faction: &str) -> Seat {
        self.taken
            .get(faction)
            .copied()
            .unwrap_or(Seat::Ai(self.ai))
    }

    /// The ids of the factions a person plays.
    pub fn persons(&self) -> impl Iterator<Item = &str> + '_ {
        self.taken
            .iter()
            .filter(|(_, s)| s.is_person())
            .map(|(k, _)| k.as_str())
    }
}
