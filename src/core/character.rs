//! Characters as entities: leaders and commanders, who can die or be declared traitors.

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

use super::ids::{CharacterId, FactionId};

/// A leader or commander.
#[derive(Component, Clone, Debug)]
pub struct Character {
    /// Its id.
    pub id: CharacterId,
    /// The id used in files and replays, e.g. `jmpok`.
    pub key: String,
    /// The name players read, e.g. "J'mpok".
    pub name: String,
    /// The faction served, if any.
    pub faction: Option<FactionId>,
    /// Title or office, e.g. "Chancellor".
    pub role: String,
}

/// Whether a character lives and in whose eyes they are a traitor.
#[derive(Component, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fate {
    /// The turn the character died, if dead.
    pub died: Option<u32>,
    /// The turn the character was declared a traitor, if so.
    pub traitor_since: Option<u32>,
    /// The faction that declared it, if one did.
    pub traitor_to: Option<FactionId>,
}

impl Fate {
    /// Whether the character is alive.
    pub fn alive(&self) -> bool {
        self.died.is_none()
    }
}

/// Character entities by id.
#[derive(Resource, Clone, Debug, Default)]
pub struct CharacterIndex(pub Vec<Entity>);

impl CharacterIndex {
    /// The entity of a character.
    #[inline]
    pub fn entity(&self, character: CharacterId) -> Entity {
        self.0[character.index()]
    }
}
