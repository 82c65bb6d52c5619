//! The content files as written: serde types that mirror the RON exactly, with ids as
//! strings. Nothing here is checked beyond its shape; `resolve` turns them into a world.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::core::diplomacy::Stance;
use crate::core::faction::Personality;
use crate::core::galaxy::LinkKind;
use crate::core::rules::Rules;

/// A map file: sector blocks, sectors and links. `assets/maps/<id>.ron`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Map")]
pub struct MapFile {
    /// The map's id, named by scenarios.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The sector blocks.
    pub blocks: Vec<BlockDef>,
    /// The sectors.
    pub sectors: Vec<SectorDef>,
    /// Gateways, wormholes, conduits.
    #[serde(default)]
    pub links: Vec<LinkDef>,
}

/// A sector block.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Block")]
pub struct BlockDef {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
}

/// A sector and its defaults; a scenario can change who holds it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Sector")]
pub struct SectorDef {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The block it belongs to.
    pub block: String,
    /// Axial hex coordinates (q, r).
    pub at: (i32, i32),
    /// Star systems of note.
    #[serde(default)]
    pub systems: Vec<String>,
    /// Who holds it unless the scenario says otherwise.
    #[serde(default)]
    pub owner: Option<String>,
    /// Its yield per turn.
    #[serde(default)]
    pub industry: u32,
    /// Whether it has a shipyard.
    #[serde(default)]
    pub shipyard: bool,
}

/// A link between two sectors.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Link")]
pub struct LinkDef {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Gateway, Wormhole or Conduit.
    pub kind: LinkKind,
    /// Its two ends.
    pub between: (String, String),
    /// Whether it starts open.
    #[serde(default = "yes")]
    pub open: bool,
}

fn yes() -> bool {
    true
}

/// A roster file: factions and characters shared by every scenario. `assets/factions/*.ron`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename = "Roster")]
pub struct RosterFile {
    /// Factions.
    #[serde(default)]
    pub factions: Vec<FactionDef>,
    /// Characters.
    #[serde(default)]
    pub characters: Vec<CharacterDef>,
}

/// A faction.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Faction")]
pub struct FactionDef {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Map colour, `#rrggbb`.
    pub colour: String,
    /// Its AI's leanings.
    #[serde(default)]
    pub personality: Personality,
}

/// A character.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Character")]
pub struct CharacterDef {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Whom they serve.
    #[serde(default)]
    pub faction: Option<String>,
    /// Title or office.
    #[serde(default)]
    pub role: String,
}

/// A scenario. `scenarios/<id>.ron`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Scenario")]
pub struct ScenarioFile {
    /// Its id, as `khitomer list` shows it.
    pub id: String,
    /// Its title.
    pub title: String,
    /// A paragraph for the menu.
    #[serde(default)]
    pub description: String,
    /// The map it is played on.
    pub map: String,
    /// The date of turn 1.
    pub start: DateDef,
    /// How many turns it lasts.
    pub turns: u32,
    /// The seed used when none is given.
    #[serde(default)]
    pub seed: u64,
    /// The factions taking part and how they start.
    pub factions: Vec<ScenarioFactionDef>,
    /// Sectors each faction holds at the start, overriding the map.
    #[serde(default)]
    pub control: BTreeMap<String, Vec<String>>,
    /// Starting relations; unlisted pairs are at peace.
    #[serde(default)]
    pub relations: Vec<RelationDef>,
    /// Cease-fires in force at the start, in some blocks, between factions at war.
    #[serde(default)]
    pub ceasefires: Vec<CeaseFireDef>,
    /// Alliances in being at the start.
    #[serde(default)]
    pub alliances: Vec<AllianceDef>,
    /// Fleets at the start.
    pub fleets: Vec<FleetDef>,
    /// Factions a person may play.
    pub playable: Vec<String>,
    /// Each faction's objectives.
    #[serde(default)]
    pub objectives: BTreeMap<String, Vec<ObjectiveDef>>,
    /// Changes to the numbers of the rules.
    #[serde(default)]
    pub rules: Rules,
}

/// A month.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateDef {
    /// The year.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u8,
}

/// A faction taking part in a scenario.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFactionDef {
    /// The faction.
    pub id: String,
    /// Industry saved at the start.
    #[serde(default)]
    pub treasury: i64,
    /// Its capital.
    #[serde(default)]
    pub capital: Option<String>,
    /// A personality for this scenario instead of the roster's.
    #[serde(default)]
    pub personality: Option<Personality>,
}

/// The starting relation of a pair.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationDef {
    /// The pair.
    pub between: (String, String),
    /// War, CeaseFire, Peace or Alliance.
    pub stance: Stance,
    /// What each thinks of the other from history.
    #[serde(default)]
    pub opinion: i32,
}

/// A cease-fire in some blocks between two factions at war.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CeaseFireDef {
    /// The name of the agreement.
    pub name: String,
    /// The pair.
    pub between: (String, String),
    /// The blocks.
    pub blocks: Vec<String>,
}

/// An alliance in being.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllianceDef {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Members.
    pub members: Vec<String>,
    /// Its chair.
    #[serde(default)]
    pub chair: Option<String>,
    /// Its headquarters.
    #[serde(default)]
    pub hq: Option<String>,
    /// Its joint commands.
    #[serde(default)]
    pub commands: Vec<CommandDef>,
}

/// A joint command.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandDef {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The factions serving in it.
    pub members: Vec<String>,
    /// Its commander.
    #[serde(default)]
    pub commander: Option<String>,
}

/// A fleet at the start.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FleetDef {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its owner.
    pub owner: String,
    /// Where it is.
    pub sector: String,
    /// Its strength.
    pub strength: u32,
    /// Its speed.
    #[serde(default = "default_speed")]
    pub speed: u8,
    /// Its commander.
    #[serde(default)]
    pub commander: Option<String>,
    /// The joint command it serves in.
    #[serde(default)]
    pub command: Option<String>,
}

fn default_speed() -> u8 {
    2
}

/// An objective.
#[derive(Clone, Debug, Deserialize)]
pub enum ObjectiveDef {
    /// Hold all these sectors.
    Hold(Vec<String>),
    /// See this faction defeated.
    Defeat(String),
    /// Not be defeated.
    Survive,
}
