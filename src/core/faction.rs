//! Factions as entities: the powers of the scenario, their stockpile and their character.

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

use super::ids::{FactionId, SectorId};

/// A faction. Its name and colour never change during a game.
#[derive(Component, Clone, Debug)]
pub struct Faction {
    /// Its id.
    pub id: FactionId,
    /// The id used in files and replays, e.g. `klingon`.
    pub key: String,
    /// The name players read, e.g. "Klingon Empire".
    pub name: String,
    /// Its colour on the map, RGB.
    pub colour: [u8; 3],
}

/// Industry saved up, spent on ships and upkeep. Negative when upkeep went unpaid.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Treasury(pub i64);

/// The sector the faction is governed from.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Capital(pub Option<SectorId>);

/// How the faction's AI plays: a named character, and three leanings of 0 to 100 that the
/// diplomacy weighs.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Personality {
    /// Its character: how its fleets fight and what it will sign and break.
    #[serde(default)]
    pub archetype: Archetype,
    /// Appetite for war and conquest.
    pub aggression: u8,
    /// Care for its own sectors before others'.
    pub caution: u8,
    /// Faith in treaties: how hard it is to get it to sign, and to break.
    pub honour: u8,
}

/// A faction's character, as the strategic AI plays it. The leanings of [`Personality`] weigh
/// its diplomacy; the character decides how hard its fleets press, when they give ground,
/// whether they go to an ally's aid, and whether it will ever break a cease-fire.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Archetype {
    /// Neither bold nor timid.
    #[default]
    Balanced,
    /// Attacks fleets as strong as its own, keeps nothing back, gives ground only when
    /// crippled, and breaks a cease-fire when a prize lies behind it, and a truce once the
    /// danger it was signed against has passed.
    Aggressive,
    /// Attacks only what it clearly outmatches, keeps a reserve, and falls back from a fight
    /// it would lose.
    Cautious,
    /// Keeps every treaty it signs and goes to its allies' aid.
    HonourBound,
    /// Strikes only the weak, saves its fleets, and breaks a cease-fire or an outlived truce
    /// whenever it pays, with a power no alliance will avenge.
    Opportunist,
}

impl Archetype {
    /// Every archetype.
    pub const ALL: [Archetype; 5] = [
        Archetype::Balanced,
        Archetype::Aggressive,
        Archetype::Cautious,
        Archetype::HonourBound,
        Archetype::Opportunist,
    ];

    /// Its name in content files.
    pub fn name(self) -> &'static str {
        match self {
            Archetype::Balanced => "Balanced",
            Archetype::Aggressive => "Aggressive",
            Archetype::Cautious => "Cautious",
            Archetype::HonourBound => "HonourBound",
            Archetype::Opportunist => "Opportunist",
        }
    }
}

impl Default for Personality {
    fn default() -> Self {
        Self {
            archetype: Archetype::Balanced,
            aggression: 50,
            caution: 50,
            honour: 50,
        }
    }
}

/// The faction has no sectors and no fleets left.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Defeated {
    /// The turn it fell.
    pub turn: u32,
}

/// Faction entities by id.
#[derive(Resource, Clone, Debug, Default)]
pub struct FactionIndex(pub Vec<Entity>);

impl FactionIndex {
    /// The entity of a faction.
    #[inline]
    pub fn entity(&self, faction: FactionId) -> Entity {
        self.0[faction.index()]
    }

    /// How many factions the scenario has.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every faction id, in order.
    pub fn ids(&self) -> impl Iterator<Item = FactionId> + use<> {
        (0..self.0.len()).map(FactionId::from_index)
    }
}
