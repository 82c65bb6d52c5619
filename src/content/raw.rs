//! The content files as written: serde types that mirror the RON exactly, with ids as
//! strings. Nothing here is checked beyond its shape; `resolve` turns them into a world.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::core::diplomacy::Stance;
use crate::core::faction::Personality;
use crate::core::galaxy::LinkKind;
use crate::core::rules::Rules;
use crate::session::Carry;

/// A map whose keys are each given once: a key given twice is an error, not a value that
/// silently replaces the first.
fn unique_keys<'de, D, V>(d: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: serde::Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct Unique<V>(std::marker::PhantomData<V>);
    impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Unique<V> {
        type Value = BTreeMap<String, V>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a map of ids")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some((key, value)) = map.next_entry::<String, V>()? {
                if out.contains_key(&key) {
                    return Err(serde::de::Error::custom(format!(
                        "`{key}` is given twice in this map; give each key once"
                    )));
                }
                out.insert(key, value);
            }
            Ok(out)
        }
    }
    d.deserialize_map(Unique(std::marker::PhantomData))
}

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
    #[serde(default, deserialize_with = "unique_keys")]
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
    #[serde(default, deserialize_with = "unique_keys")]
    pub objectives: BTreeMap<String, Vec<ObjectiveDef>>,
    /// Changes to the numbers of the rules.
    #[serde(default)]
    pub rules: Rules,
    /// Scripted events, in the order they are considered each turn.
    #[serde(default)]
    pub events: Vec<EventDef>,
    /// Secret pacts, hidden until an event reveals them.
    #[serde(default)]
    pub pacts: Vec<PactDef>,
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
    /// Whether members at war with each other stay at war (a theatre alliance): they are
    /// members, and fight together in its joint commands, but are not allies elsewhere.
    #[serde(default)]
    pub keeps_wars: bool,
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
    /// Keep all these sectors out of enemy hands.
    Protect(Vec<String>),
    /// See this faction defeated.
    Defeat(String),
    /// Not be defeated.
    Survive,
    /// Still stand on this date.
    SurviveUntil(DateDef),
    /// Sign a treaty of this name.
    SignTreaty(String),
    /// See this flag set.
    Flag(String),
}

/// A scripted event as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Event")]
pub struct EventDef {
    /// Its id.
    pub id: String,
    /// What sets it off.
    pub trigger: TriggerDef,
    /// What must hold when it fires.
    #[serde(default)]
    pub condition: Option<ConditionDef>,
    /// What it does.
    #[serde(default)]
    pub effects: Vec<EffectDef>,
    /// Whether it fires at most once (the default).
    #[serde(default = "yes")]
    pub once: bool,
    /// Turns between the trigger and the firing.
    #[serde(default)]
    pub delay: u32,
    /// A choice it offers a faction.
    #[serde(default)]
    pub choice: Option<ChoiceDef>,
}

/// A trigger as written.
#[derive(Clone, Debug, Deserialize)]
pub enum TriggerDef {
    /// On this turn.
    Turn(u32),
    /// On the turn of this month.
    Date(DateDef),
    /// A fleet of `faction` ends its move in `sector` or `block`.
    FleetEnters {
        /// Whose fleet.
        faction: String,
        /// A sector...
        #[serde(default)]
        sector: Option<String>,
        /// ...or a block.
        #[serde(default)]
        block: Option<String>,
    },
    /// A sector of `sector` or `block` changes hands (to `to`, if given).
    ChangesHands {
        /// A sector...
        #[serde(default)]
        sector: Option<String>,
        /// ...or a block.
        #[serde(default)]
        block: Option<String>,
        /// The new owner.
        #[serde(default)]
        to: Option<String>,
    },
    /// Two factions come to stand this way.
    RelationBecomes {
        /// The pair.
        between: (String, String),
        /// The stance.
        stance: Stance,
    },
    /// A treaty is signed.
    TreatySigned {
        /// Its name.
        #[serde(default)]
        name: Option<String>,
        /// A signatory.
        #[serde(default)]
        party: Option<String>,
    },
    /// A treaty is broken.
    TreatyBroken {
        /// Its name.
        #[serde(default)]
        name: Option<String>,
        /// The breaker.
        #[serde(default)]
        by: Option<String>,
    },
    /// Another event fires.
    EventFired(String),
    /// A faction's fleet strength falls below a value.
    StrengthBelow {
        /// The faction.
        faction: String,
        /// The value.
        value: u64,
    },
    /// A fleet falls below a strength, or is destroyed.
    FleetBelow {
        /// The fleet's id.
        fleet: String,
        /// The value.
        value: u32,
    },
    /// A character dies.
    CharacterDies(String),
}

/// A condition as written.
#[derive(Clone, Debug, Deserialize)]
pub enum ConditionDef {
    /// All hold.
    All(Vec<ConditionDef>),
    /// One holds.
    Any(Vec<ConditionDef>),
    /// It does not hold.
    Not(Box<ConditionDef>),
    /// At war.
    AtWar(String, String),
    /// In this stance.
    Stance(String, String, Stance),
    /// Holds a sector or every sector of a block.
    Holds {
        /// The faction.
        faction: String,
        /// A sector...
        #[serde(default)]
        sector: Option<String>,
        /// ...or a block.
        #[serde(default)]
        block: Option<String>,
    },
    /// The character lives.
    Alive(String),
    /// The faction is defeated.
    Defeated(String),
    /// A flag is set.
    Flag(String),
    /// The event has fired.
    Fired(String),
    /// Fleet strength at least.
    StrengthAtLeast(String, u64),
    /// Member of an alliance.
    Member(String, String),
    /// The turn is at least.
    TurnAtLeast(u32),
}

/// A treaty clause as written.
#[derive(Clone, Debug, Deserialize)]
pub enum ClauseDef {
    /// End the war.
    EndWar,
    /// A general cease-fire.
    Truce,
    /// A cease-fire in these blocks.
    CeaseFire(Vec<String>),
    /// Found an alliance.
    FormAlliance {
        /// Its id.
        id: String,
        /// Its name.
        name: String,
    },
    /// Join an alliance.
    JoinAlliance(String),
}

/// An effect as written.
#[derive(Clone, Debug, Deserialize)]
pub enum EffectDef {
    /// A message with its source.
    Message {
        /// The text.
        text: String,
        /// The mission it comes from.
        #[serde(default)]
        source: Option<String>,
    },
    /// `by` declares war on `on`.
    DeclareWar {
        /// The declaring faction.
        by: String,
        /// Its enemy.
        on: String,
    },
    /// The two make peace.
    MakePeace(String, String),
    /// A cease-fire in blocks between two at war.
    CeaseFire {
        /// The pair.
        between: (String, String),
        /// The blocks.
        blocks: Vec<String>,
    },
    /// `by` ends its cease-fire with `with` in blocks.
    EndCeaseFire {
        /// Who ends it.
        by: String,
        /// The other party.
        with: String,
        /// The blocks.
        blocks: Vec<String>,
    },
    /// A treaty is signed.
    SignTreaty {
        /// Its name.
        name: String,
        /// Who signs.
        signatories: Vec<String>,
        /// Its terms.
        clauses: Vec<ClauseDef>,
    },
    /// An alliance is founded.
    FormAlliance {
        /// Its id.
        id: String,
        /// Its name.
        name: String,
        /// Its members.
        members: Vec<String>,
    },
    /// An alliance is renamed.
    RenameAlliance {
        /// The alliance.
        alliance: String,
        /// The new name.
        name: String,
    },
    /// A faction joins an alliance.
    Admit {
        /// The alliance.
        alliance: String,
        /// The faction.
        faction: String,
    },
    /// A faction is expelled from an alliance.
    Expel {
        /// The alliance.
        alliance: String,
        /// The faction.
        faction: String,
    },
    /// An alliance's chair.
    SetChair {
        /// The alliance.
        alliance: String,
        /// The chair, or none.
        #[serde(default)]
        chair: Option<String>,
    },
    /// An alliance's headquarters.
    SetHq {
        /// The alliance.
        alliance: String,
        /// The sector, or none.
        #[serde(default)]
        hq: Option<String>,
    },
    /// An alliance forms a joint command.
    FormJointCommand {
        /// The alliance.
        alliance: String,
        /// The command's id.
        id: String,
        /// Its name.
        name: String,
        /// The factions serving.
        members: Vec<String>,
        /// Its commander.
        #[serde(default)]
        commander: Option<String>,
    },
    /// A secret pact comes to light.
    RevealPact(String),
    /// A link opens.
    OpenLink(String),
    /// A link closes.
    CloseLink(String),
    /// A fleet appears.
    SpawnFleet {
        /// Its id.
        id: String,
        /// Its name.
        name: String,
        /// Its owner.
        owner: String,
        /// Where.
        sector: String,
        /// Its strength.
        strength: u32,
        /// Its speed.
        #[serde(default = "default_speed")]
        speed: u8,
        /// Its commander.
        #[serde(default)]
        commander: Option<String>,
    },
    /// A fleet is moved.
    MoveFleet {
        /// The fleet's id.
        fleet: String,
        /// Where to.
        sector: String,
    },
    /// Every fleet of a faction in a sector (or a block) is driven out to another sector, and
    /// its occupations there end: the place is free of it, whatever ships it built or sent.
    DriveOut {
        /// The faction.
        faction: String,
        /// A sector...
        #[serde(default)]
        sector: Option<String>,
        /// ...or a block.
        #[serde(default)]
        block: Option<String>,
        /// Where its fleets go.
        to: String,
    },
    /// A fleet is destroyed.
    DestroyFleet(String),
    /// A sector changes hands (or is abandoned).
    TransferSector {
        /// The sector.
        sector: String,
        /// The new owner.
        #[serde(default)]
        to: Option<String>,
    },
    /// A sector's shipyard and industry are destroyed.
    DestroyFacilities(String),
    /// A character dies.
    KillCharacter(String),
    /// A character is declared a traitor.
    DeclareTraitor {
        /// The character.
        character: String,
        /// The declaring faction.
        #[serde(default)]
        by: Option<String>,
    },
    /// An opinion changes.
    ChangeOpinion {
        /// Whose opinion.
        holder: String,
        /// Of whom.
        of: String,
        /// By how much.
        value: i32,
    },
    /// A flag is set.
    SetFlag(String),
    /// The scenario ends.
    EndScenario {
        /// The winners.
        winners: Vec<String>,
        /// Why.
        text: String,
    },
}

/// A choice as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceDef {
    /// Who chooses.
    pub faction: String,
    /// The question.
    pub prompt: String,
    /// The options.
    pub options: Vec<OptionDef>,
    /// The option the AI takes, and the one taken when no answer comes.
    pub ai_picks: String,
}

/// An option of a choice.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionDef {
    /// Its id.
    pub id: String,
    /// Its text.
    pub text: String,
    /// What it does.
    #[serde(default)]
    pub effects: Vec<EffectDef>,
}

/// A secret pact as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PactDef {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Factions party to it.
    #[serde(default)]
    pub factions: Vec<String>,
    /// Characters party to it.
    #[serde(default)]
    pub characters: Vec<String>,
    /// What it says.
    pub terms: String,
}

/// A mod's manifest: `mod.ron` in the mod's folder.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Mod")]
pub struct ModManifest {
    /// Its id, which other mods name to depend on it.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its version, e.g. "1.0.0".
    pub version: String,
    /// What it does, for players.
    #[serde(default)]
    pub description: String,
    /// The mods it builds on; they must be loaded before it.
    #[serde(default)]
    pub depends_on: Vec<String>,
    /// Entries of the game (or of earlier mods) it removes.
    #[serde(default)]
    pub remove: Vec<Removal>,
}

/// An entry a mod removes.
#[derive(Clone, Debug, Deserialize)]
pub enum Removal {
    /// A map.
    Map(String),
    /// A faction of the roster.
    Faction(String),
    /// A character of the roster.
    Character(String),
    /// A scenario.
    Scenario(String),
}

impl Removal {
    /// What kind of entry, and its id.
    pub fn kind_and_id(&self) -> (&'static str, &str) {
        match self {
            Removal::Map(id) => ("map", id),
            Removal::Faction(id) => ("faction", id),
            Removal::Character(id) => ("character", id),
            Removal::Scenario(id) => ("scenario", id),
        }
    }
}

/// A mod's changes to one scenario: `patches/*.ron`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Patch")]
pub struct ScenarioPatch {
    /// The scenario it changes.
    pub scenario: String,
    /// Events added, or replacing the event with the same id.
    #[serde(default)]
    pub events: Vec<EventDef>,
    /// Events removed, by id.
    #[serde(default)]
    pub remove_events: Vec<String>,
    /// Fleets added, or replacing the fleet with the same id.
    #[serde(default)]
    pub fleets: Vec<FleetDef>,
    /// Fleets removed, by id.
    #[serde(default)]
    pub remove_fleets: Vec<String>,
    /// Objectives replacing a faction's.
    #[serde(default, deserialize_with = "unique_keys")]
    pub objectives: BTreeMap<String, Vec<ObjectiveDef>>,
    /// Secret pacts added, or replacing the pact with the same id.
    #[serde(default)]
    pub pacts: Vec<PactDef>,
}

/// A campaign: scenarios played one after another. `campaigns/*.ron`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Campaign")]
pub struct CampaignFile {
    /// Its id, as `khitomer list` shows it.
    pub id: String,
    /// Its title.
    pub title: String,
    /// A paragraph for the menu.
    #[serde(default)]
    pub description: String,
    /// The scenarios, in order.
    pub chapters: Vec<ChapterDef>,
}

/// One scenario of a campaign, and what it takes over from the one before.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Chapter")]
pub struct ChapterDef {
    /// The scenario.
    pub scenario: String,
    /// What carries over from the chapter before.
    #[serde(default)]
    pub carry: Vec<Carry>,
    /// The chapter's dice; by default the first chapter's seed plus the chapter's number. A
    /// game started with another seed shifts every chapter's by as much.
    #[serde(default)]
    pub seed: Option<u64>,
}
