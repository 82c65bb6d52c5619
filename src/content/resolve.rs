//! Resolves a scenario against its map and the roster into the world it starts from. Every
//! problem is reported, each at the text that caused it, with the nearest known id for an
//! unknown one; a world is returned only when there is none.

use std::collections::BTreeMap;

use hexx::Hex;

use super::locate::Path;
use super::raw::{MapFile, ObjectiveDef};
use super::report::{FileId, Report, nearest};
use super::{Library, Placed, ScenarioEntry};
use crate::core::calendar::{Calendar, Date};
use crate::core::character::Fate;
use crate::core::dice::Dice;
use crate::core::diplomacy::{Clause, Diplomacy, JointCommand, OpinionCause};
use crate::core::fleet::{Assignment, Task};
use crate::core::galaxy::{Link, SectorBlock, SectorPlace};
use crate::core::ids::{AllianceId, BlockId, CharacterId, FactionId, FleetId, SectorId};
use crate::core::scenario::{Goals, Objective, ScenarioInfo};
use crate::core::state::{CharacterState, FactionState, FleetState, SectorState, WorldState};

/// Ids of one kind, in order, for lookups and suggestions.
pub(super) struct Names<'a> {
    pub(super) kind: &'static str,
    pub(super) ids: BTreeMap<&'a str, usize>,
    /// Where each id was defined, for pointing at the first of two duplicates.
    defined_at: BTreeMap<&'a str, (FileId, Path)>,
    /// Ids that exist elsewhere but are not known here, with what to do about it.
    pub(super) elsewhere: BTreeMap<&'a str, String>,
}

impl<'a> Names<'a> {
    pub(super) fn new(kind: &'static str) -> Self {
        Self {
            kind,
            ids: BTreeMap::new(),
            defined_at: BTreeMap::new(),
            elsewhere: BTreeMap::new(),
        }
    }

    pub(super) fn get(&self, id: &str) -> Option<usize> {
        self.ids.get(id).copied()
    }
}

/// Looks ids up, reporting unknown and duplicate ones in one file.
pub(super) struct Resolver<'r> {
    pub(super) report: &'r mut Report,
    pub(super) file: FileId,
}

impl Resolver<'_> {
    /// Registers an id, reporting a duplicate.
    pub(super) fn define<'a>(
        &mut self,
        names: &mut Names<'a>,
        id: &'a str,
        index: usize,
        path: &Path,
    ) {
        if id.is_empty() {
            self.report.error_at(
                self.file,
                path,
                format!("empty {} id", names.kind),
                "an id cannot be empty",
            );
            return;
        }
        if !names.ids.contains_key(id) {
            names.defined_at.insert(id, (self.file, path.clone()));
        }
        if names.ids.insert(id, index).is_some() {
            let first = names.defined_at.get(id).cloned();
            let first_label = first.map(|(file, first_path)| {
                let span = self.report.sources.span(file, &first_path);
                codespan_reporting::diagnostic::Label::secondary(file, span)
                    .with_message("first defined here")
            });
            self.report
                .error_at(
                    self.file,
                    path,
                    format!("duplicate {} id `{id}`", names.kind),
                    "defined again here",
                )
                .labels
                .extend(first_label);
            self.report
                .diagnostics
                .last_mut()
                .expect("just added")
                .notes
                .push(format!("each {} needs an id of its own", names.kind));
        }
    }

    /// Resolves an id, reporting an unknown one with the nearest known id.
    pub(super) fn lookup(
        &mut self,
        names: &Names,
        id: &str,
        path: &Path,
        used_as: impl FnOnce() -> String,
    ) -> Option<usize> {
        if let Some(i) = names.get(id) {
            return Some(i);
        }
        let diagnostic = self.report.error_at(
            self.file,
            path,
            format!("unknown {} `{id}`", names.kind),
            used_as(),
        );
        diagnostic.code = Some("unknown-id".into());
        let hint = match nearest(id, names.ids.keys().copied()) {
            _ if names.elsewhere.contains_key(id) => names.elsewhere[id].clone(),
            Some(near) => format!("did you mean `{near}`?"),
            None if names.ids.is_empty() => format!("there are no {}s here", names.kind),
            None if names.ids.len() <= 8 => format!(
                "the known {}s are: {}",
                names.kind,
                names
                    .ids
                    .keys()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None => format!("no {} has an id near it", names.kind),
        };
        diagnostic.notes.push(hint);
        None
    }

    pub(super) fn error(
        &mut self,
        path: &Path,
        message: impl Into<String>,
        label: impl Into<String>,
    ) {
        self.report.error_at(self.file, path, message, label);
    }
}

/// A map, resolved.
struct ResolvedMap<'a> {
    blocks: Names<'a>,
    sectors: Names<'a>,
    link_names: Names<'a>,
    places: Vec<SectorPlace>,
    block_list: Vec<SectorBlock>,
    links: Vec<Link>,
}

fn resolve_map<'a>(report: &mut Report, map: &'a Placed<MapFile>) -> ResolvedMap<'a> {
    let mut r = Resolver {
        report,
        file: map.file,
    };
    let root = Path::root();
    let mut blocks = Names::new("block");
    for (i, b) in map.value.blocks.iter().enumerate() {
        r.define(
            &mut blocks,
            &b.id,
            i,
            &root.field("blocks").index(i).field("id"),
        );
    }
    let mut sectors = Names::new("sector");
    let mut hexes: BTreeMap<(i32, i32), &str> = BTreeMap::new();
    let mut places = Vec::new();
    for (i, s) in map.value.sectors.iter().enumerate() {
        let path = root.field("sectors").index(i);
        r.define(&mut sectors, &s.id, i, &path.field("id"));
        if let Some(other) = hexes.insert(s.at, &s.id) {
            r.error(
                &path.field("at"),
                format!("sectors `{other}` and `{}` are both at {:?}", s.id, s.at),
                "this hex is taken",
            );
        }
        let block = r.lookup(&blocks, &s.block, &path.field("block"), || {
            format!("the block of sector `{}`", s.id)
        });
        places.push(SectorPlace {
            key: s.id.as_str().into(),
            name: s.name.as_str().into(),
            hex: Hex::new(s.at.0, s.at.1),
            block: BlockId::from_index(block.unwrap_or(0)),
            systems: s.systems.as_slice().into(),
            outside: false,
        });
    }
    let mut link_names = Names::new("link");
    let mut links = Vec::new();
    for (i, l) in map.value.links.iter().enumerate() {
        let path = root.field("links").index(i);
        r.define(&mut link_names, &l.id, i, &path.field("id"));
        let a = r.lookup(
            &sectors,
            &l.between.0,
            &path.field("between").index(0),
            || format!("an end of link `{}`", l.id),
        );
        let b = r.lookup(
            &sectors,
            &l.between.1,
            &path.field("between").index(1),
            || format!("an end of link `{}`", l.id),
        );
        if let (Some(a), Some(b)) = (a, b) {
            if a == b {
                r.error(
                    &path.field("between"),
                    format!("link `{}` joins a sector to itself", l.id),
                    "both ends are the same",
                );
            }
            links.push(Link {
                key: l.id.clone(),
                name: l.name.clone(),
                kind: l.kind,
                ends: [SectorId::from_index(a), SectorId::from_index(b)],
                open: l.open,
            });
        }
    }
    let block_list = map
        .value
        .blocks
        .iter()
        .map(|b| SectorBlock {
            key: b.id.clone(),
            name: b.name.clone(),
        })
        .collect();
    ResolvedMap {
        blocks,
        sectors,
        link_names,
        places,
        block_list,
        links,
    }
}

fn parse_colour(text: &str) -> Option<[u8; 3]> {
    let hex = text.strip_prefix('#')?;
    if hex.len() != 6 || !hex.is_ascii() {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// The code of the error for a resolved world that fails [`crate::core::validate`]: a
/// backstop behind the checks of the files, which say the same where they have found it.
pub const NOT_WHOLE: &str = "not-whole";

/// Resolves the scenario at `index` of the library into its starting world, played with
/// `seed` (the scenario's own seed when `None`). On any problem, the report lists them all.
pub fn build_world(lib: &Library, index: usize, seed: Option<u64>) -> Result<WorldState, Report> {
    let mut report = Report {
        sources: lib.report.sources.clone(),
        diagnostics: Vec::new(),
    };
    let entry = &lib.scenarios[index];
    let world = resolve_scenario(lib, entry, seed, &mut report);
    match world {
        Some(world) if !report.has_errors() => {
            // The one check of a whole world that saves and replays pass too.
            match crate::core::validate::validate(&world) {
                Ok(()) => Ok(world),
                Err(e) => {
                    report
                        .error(format!(
                            "scenario `{}` resolves into a world that cannot be played: {e}",
                            entry.id()
                        ))
                        .code = Some(NOT_WHOLE.into());
                    Err(report)
                }
            }
        }
        _ => Err(report),
    }
}

fn resolve_scenario(
    lib: &Library,
    entry: &ScenarioEntry,
    seed: Option<u64>,
    report: &mut Report,
) -> Option<WorldState> {
    let scenario = &entry.scenario;
    let s = &scenario.value;
    let root = Path::root();

    // The map.
    let mut map_names = Names::new("map");
    for (i, m) in lib.maps.iter().enumerate() {
        map_names.ids.entry(m.value.id.as_str()).or_insert(i);
    }
    let map_index = Resolver {
        report,
        file: scenario.file,
    }
    .lookup(&map_names, &s.map, &root.field("map"), || {
        format!("the map of scenario `{}`", s.id)
    });
    let map = map_index.map(|i| resolve_map(report, &lib.maps[i]));

    // The roster: layering already found its duplicates.
    let mut roster_factions = Names::new("faction");
    for (i, f) in lib.factions.iter().enumerate() {
        roster_factions.ids.insert(f.value.id.as_str(), i);
    }
    let faction_defs: Vec<(FileId, &Path, &super::raw::FactionDef)> = lib
        .factions
        .iter()
        .map(|f| (f.file, &f.path, &f.value))
        .collect();
    let character_defs: Vec<(FileId, &Path, &super::raw::CharacterDef)> = lib
        .characters
        .iter()
        .map(|c| (c.file, &c.path, &c.value))
        .collect();
    for &(file, path, f) in &faction_defs {
        if parse_colour(&f.colour).is_none() {
            report.error_at(
                file,
                &path.field("colour"),
                format!("faction `{}` has a colour that is not `#rrggbb`", f.id),
                "expected something like \"#3366cc\"",
            );
        }
    }

    let mut r = Resolver {
        report,
        file: scenario.file,
    };
    if !(1..=12).contains(&s.start.month) {
        r.error(
            &root.field("start").field("month"),
            format!("month {} does not exist", s.start.month),
            "expected 1 to 12",
        );
    }
    if s.turns == 0 {
        r.error(
            &root.field("turns"),
            "a scenario needs at least one turn",
            "zero turns",
        );
    }

    // Factions taking part.
    let mut factions = Names::new("faction");
    let mut faction_states = Vec::new();
    for (i, f) in s.factions.iter().enumerate() {
        let path = root.field("factions").index(i);
        let def = r.lookup(&roster_factions, &f.id, &path.field("id"), || {
            "a faction taking part".into()
        });
        r.define(&mut factions, &f.id, i, &path.field("id"));
        let def = def.map(|d| faction_defs[d].2);
        faction_states.push(FactionState {
            key: f.id.clone(),
            name: def.map_or_else(|| f.id.clone(), |d| d.name.clone()),
            colour: def
                .and_then(|d| parse_colour(&d.colour))
                .unwrap_or([128, 128, 128]),
            capital: None,
            treasury: f.treasury,
            personality: f
                .personality
                .or(def.map(|d| d.personality))
                .unwrap_or_default(),
            defeated: None,
        });
    }
    for f in &lib.factions {
        let id = f.value.id.as_str();
        if factions.get(id).is_none() {
            factions.elsewhere.insert(
                id,
                format!("`{id}` is in the roster but does not take part in this scenario: add it to the scenario's `factions`"),
            );
        }
    }
    let faction_id = |i: usize| FactionId::from_index(i);

    // Sectors and who holds them: the map's defaults, then the scenario's `control`.
    let mut sector_states: Vec<SectorState> = Vec::new();
    if let (Some(map), Some(mi)) = (&map, map_index) {
        for (i, def) in lib.maps[mi].value.sectors.iter().enumerate() {
            let owner = def
                .owner
                .as_deref()
                .and_then(|o| factions.get(o))
                .map(faction_id);
            let mut place = map.places[i].clone();
            place.outside = def.owner.is_some() && owner.is_none();
            sector_states.push(SectorState {
                place,
                owner,
                industry: def.industry,
                shipyard: def.shipyard,
                occupation: None,
            });
        }
        for (faction, held) in &s.control {
            let owner = r.lookup(
                &factions,
                faction,
                &root.field("control").key_itself(faction),
                || "a faction given sectors, but not taking part".into(),
            );
            for (i, sector) in held.iter().enumerate() {
                let path = root.field("control").key(faction).index(i);
                let found = r.lookup(&map.sectors, sector, &path, || {
                    format!("a sector held by `{faction}`")
                });
                if let (Some(o), Some(sx)) = (owner, found) {
                    sector_states[sx].owner = Some(faction_id(o));
                }
            }
        }
    }
    let no_map = Names::new("sector");
    let sector_names = map.as_ref().map_or(&no_map, |m| &m.sectors);
    let no_blocks = Names::new("block");
    let block_names = map.as_ref().map_or(&no_blocks, |m| &m.blocks);
    for (i, f) in s.factions.iter().enumerate() {
        if let Some(capital) = &f.capital {
            let found = r.lookup(
                sector_names,
                capital,
                &root.field("factions").index(i).field("capital"),
                || format!("the capital of `{}`", f.id),
            );
            faction_states[i].capital = found.map(SectorId::from_index);
            if let Some(sx) = found
                && sector_states[sx].owner != Some(faction_id(i))
            {
                let held = sector_states[sx].owner.map_or("no one".to_owned(), |o| {
                    format!("`{}`", s.factions[o.index()].id)
                });
                r.error(
                    &root.field("factions").index(i).field("capital"),
                    format!(
                        "the capital of `{}` is `{capital}`, which is held by {held}",
                        f.id
                    ),
                    format!("not held by `{}`", f.id),
                );
                if let Some(d) = r.report.diagnostics.last_mut() {
                    d.notes.push(format!(
                        "give `{capital}` to `{}` (the map's `owner`, or the scenario's `control`), or name a sector it holds",
                        f.id
                    ));
                }
            }
        }
    }

    // Characters: the roster's, for the factions taking part and for those serving none.
    let mut characters = Names::new("character");
    let mut character_states = Vec::new();
    for &(_, _, c) in &character_defs {
        let faction = match &c.faction {
            None => None,
            Some(f) => match factions.get(f) {
                Some(i) => Some(faction_id(i)),
                None => continue,
            },
        };
        characters.ids.insert(c.id.as_str(), character_states.len());
        character_states.push(CharacterState {
            key: c.id.clone(),
            name: c.name.clone(),
            faction,
            role: c.role.clone(),
            fate: Fate::default(),
        });
    }
    for &(file, path, c) in &character_defs {
        if let Some(f) = &c.faction
            && roster_factions.get(f).is_none()
        {
            let mut rr = Resolver {
                report: r.report,
                file,
            };
            rr.lookup(&roster_factions, f, &path.field("faction"), || {
                format!("the faction of character `{}`", c.id)
            });
        }
    }

    // Relations.
    let mut diplomacy = Diplomacy::new(s.factions.len());
    let mut seen_pairs: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let pair = |r: &mut Resolver,
                between: &(String, String),
                path: &Path,
                what: &str|
     -> Option<(FactionId, FactionId)> {
        let a = r.lookup(&factions, &between.0, &path.index(0), || {
            format!("a party to {what}")
        });
        let b = r.lookup(&factions, &between.1, &path.index(1), || {
            format!("a party to {what}")
        });
        let (a, b) = (a?, b?);
        if a == b {
            r.error(
                path,
                format!("`{}` cannot have {what} with itself", between.0),
                "the same faction twice",
            );
            return None;
        }
        Some((faction_id(a), faction_id(b)))
    };
    for (i, rel) in s.relations.iter().enumerate() {
        let path = root.field("relations").index(i);
        let Some((a, b)) = pair(&mut r, &rel.between, &path.field("between"), "a relation") else {
            continue;
        };
        let key = (a.index().min(b.index()), a.index().max(b.index()));
        if let Some(first) = seen_pairs.insert(key, i) {
            r.error(
                &path.field("between"),
                format!(
                    "the relation of `{}` and `{}` is given twice",
                    rel.between.0, rel.between.1
                ),
                format!("already given as relation {first}"),
            );
            continue;
        }
        diplomacy.set_stance(a, b, rel.stance, 0);
        diplomacy.add_opinion(a, b, OpinionCause::History, rel.opinion);
        diplomacy.add_opinion(b, a, OpinionCause::History, rel.opinion);
    }

    // Cease-fires in blocks, each a treaty in force.
    let mut scratch = Vec::new();
    for (i, cf) in s.ceasefires.iter().enumerate() {
        let path = root.field("ceasefires").index(i);
        let Some((a, b)) = pair(&mut r, &cf.between, &path.field("between"), "a cease-fire") else {
            continue;
        };
        let blocks: Vec<BlockId> = cf
            .blocks
            .iter()
            .enumerate()
            .filter_map(|(k, block)| {
                r.lookup(block_names, block, &path.field("blocks").index(k), || {
                    format!("a block of cease-fire `{}`", cf.name)
                })
                .map(BlockId::from_index)
            })
            .collect();
        if cf.blocks.is_empty() {
            r.error(
                &path.field("blocks"),
                format!("cease-fire `{}` names no block", cf.name),
                "expected at least one block",
            );
        }
        if !diplomacy.at_war(a, b) {
            r.error(
                &path.field("between"),
                format!(
                    "cease-fire `{}` is between `{}` and `{}`, who are not at war",
                    cf.name, cf.between.0, cf.between.1
                ),
                "a block cease-fire needs a war",
            );
            continue;
        }
        let mut signatories = vec![a, b];
        signatories.sort_unstable();
        diplomacy.sign(
            cf.name.clone(),
            signatories,
            vec![Clause::CeaseFire { blocks }],
            0,
            &mut scratch,
        );
    }

    // Alliances and their joint commands.
    let mut commands: BTreeMap<&str, (AllianceId, u16, Vec<FactionId>)> = BTreeMap::new();
    let mut alliance_names = Names::new("alliance");
    for (i, al) in s.alliances.iter().enumerate() {
        let path = root.field("alliances").index(i);
        r.define(&mut alliance_names, &al.id, i, &path.field("id"));
        let members: Vec<FactionId> = al
            .members
            .iter()
            .enumerate()
            .filter_map(|(k, m)| {
                r.lookup(&factions, m, &path.field("members").index(k), || {
                    format!("a member of alliance `{}`", al.id)
                })
                .map(faction_id)
            })
            .collect();
        let id =
            diplomacy.form_alliance(al.id.clone(), al.name.clone(), &members, al.keeps_wars, 0);
        let chair = al.chair.as_ref().and_then(|c| {
            r.lookup(&characters, c, &path.field("chair"), || {
                format!("the chair of alliance `{}`", al.id)
            })
            .map(CharacterId::from_index)
        });
        let hq = al.hq.as_ref().and_then(|h| {
            r.lookup(sector_names, h, &path.field("hq"), || {
                format!("the headquarters of alliance `{}`", al.id)
            })
            .map(SectorId::from_index)
        });
        let mut joint = Vec::new();
        for (k, c) in al.commands.iter().enumerate() {
            let cpath = path.field("commands").index(k);
            let mut cmd_members = Vec::new();
            for (m, member) in c.members.iter().enumerate() {
                if let Some(f) =
                    r.lookup(&factions, member, &cpath.field("members").index(m), || {
                        format!("a member of joint command `{}`", c.id)
                    })
                {
                    // A joint command may include powers outside the alliance, even powers at
                    // war with each other: Task Force Omega joined the Federation and the
                    // Empire in 2409.
                    cmd_members.push(faction_id(f));
                }
            }
            let commander = c.commander.as_ref().and_then(|ch| {
                r.lookup(&characters, ch, &cpath.field("commander"), || {
                    format!("the commander of `{}`", c.id)
                })
                .map(CharacterId::from_index)
            });
            if commands
                .insert(c.id.as_str(), (id, k as u16, cmd_members.clone()))
                .is_some()
            {
                r.error(
                    &cpath.field("id"),
                    format!("duplicate joint command id `{}`", c.id),
                    "defined again here",
                );
            }
            joint.push(JointCommand {
                key: c.id.clone(),
                name: c.name.clone(),
                members: cmd_members,
                commander,
            });
        }
        let alliance = &mut diplomacy.alliances[id.index()];
        alliance.chair = chair;
        alliance.hq = hq;
        alliance.commands = joint;
    }

    // Fleets.
    let mut fleet_names = Names::new("fleet");
    let mut fleets = Vec::new();
    for (i, f) in s.fleets.iter().enumerate() {
        // A mod's patch may have added or replaced the fleet: point into its file.
        let (file, path) = entry.fleet_at[i].clone();
        r.file = file;
        r.define(&mut fleet_names, &f.id, i, &path.field("id"));
        let owner = r.lookup(&factions, &f.owner, &path.field("owner"), || {
            format!("the owner of fleet `{}`", f.id)
        });
        let sector = r.lookup(sector_names, &f.sector, &path.field("sector"), || {
            format!("where fleet `{}` starts", f.id)
        });
        let commander = f.commander.as_ref().and_then(|c| {
            r.lookup(&characters, c, &path.field("commander"), || {
                format!("the commander of fleet `{}`", f.id)
            })
            .map(CharacterId::from_index)
        });
        if f.strength == 0 {
            r.error(
                &path.field("strength"),
                format!("fleet `{}` has no strength", f.id),
                "a fleet needs strength above zero",
            );
        }
        let mut assignment = None;
        if let Some(c) = &f.command {
            match commands.get(c.as_str()) {
                Some((alliance, command, members)) => {
                    if owner.is_some_and(|o| !members.contains(&faction_id(o))) {
                        r.error(
                            &path.field("command"),
                            format!("fleet `{}` of `{}` cannot serve in `{c}`", f.id, f.owner),
                            "its owner is not a member of this joint command",
                        );
                    }
                    assignment = Some(Assignment {
                        alliance: *alliance,
                        command: *command,
                    });
                }
                None => {
                    let mut names = Names::new("joint command");
                    names.ids = commands.keys().map(|&k| (k, 0)).collect();
                    r.lookup(&names, c, &path.field("command"), || {
                        format!("the joint command of fleet `{}`", f.id)
                    });
                }
            }
        }
        if let (Some(owner), Some(sector)) = (owner, sector) {
            fleets.push(FleetState {
                id: FleetId::from_index(fleets.len()),
                key: f.id.clone(),
                name: f.name.clone(),
                owner: faction_id(owner),
                sector: SectorId::from_index(sector),
                strength: f.strength,
                speed: f.speed,
                commander,
                task: Task::Hold,
                assignment,
            });
        }
    }

    r.file = scenario.file;
    // Who can be played, and what each must do.
    let playable: Vec<FactionId> = s
        .playable
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            r.lookup(&factions, p, &root.field("playable").index(i), || {
                "a playable faction".into()
            })
            .map(faction_id)
        })
        .collect();
    if s.playable.is_empty() {
        r.error(
            &root.field("playable"),
            "no faction can be played",
            "name at least one faction",
        );
    }
    let mut goals = Vec::new();
    for (faction, objectives) in &s.objectives {
        let at = entry.objectives_at.iter().find(|(f, _, _)| f == faction);
        let (file, list_path) = at.map_or(
            (scenario.file, root.field("objectives").key(faction)),
            |(_, file, path)| (*file, path.clone()),
        );
        r.file = file;
        let mut key_path = list_path.clone();
        if let Some(super::locate::Step::Key(k)) = key_path.0.pop() {
            key_path.0.push(super::locate::Step::KeyItself(k));
        }
        let owner = r.lookup(&factions, faction, &key_path, || {
            "a faction with objectives".into()
        });
        let mut list = Vec::new();
        for (i, o) in objectives.iter().enumerate() {
            let path = list_path.index(i);
            match o {
                ObjectiveDef::Hold(sectors) => {
                    let ids = sectors
                        .iter()
                        .enumerate()
                        .filter_map(|(k, sx)| {
                            r.lookup(sector_names, sx, &path.index(0).index(k), || {
                                format!("a sector `{faction}` must hold")
                            })
                            .map(SectorId::from_index)
                        })
                        .collect();
                    list.push(Objective::Hold { sectors: ids });
                }
                ObjectiveDef::Protect(sectors) => {
                    let ids = sectors
                        .iter()
                        .enumerate()
                        .filter_map(|(k, sx)| {
                            r.lookup(sector_names, sx, &path.index(0).index(k), || {
                                format!("a sector `{faction}` must protect")
                            })
                            .map(SectorId::from_index)
                        })
                        .collect();
                    list.push(Objective::Protect { sectors: ids });
                }
                ObjectiveDef::Defeat(enemy) => {
                    if let Some(e) = r.lookup(&factions, enemy, &path.index(0), || {
                        format!("a faction `{faction}` must defeat")
                    }) {
                        list.push(Objective::Defeat {
                            faction: faction_id(e),
                        });
                    }
                }
                ObjectiveDef::Survive => list.push(Objective::Survive),
                ObjectiveDef::SurviveUntil(d) => {
                    if (1..=12).contains(&d.month) {
                        list.push(Objective::SurviveUntil(Date::new(d.year, d.month)));
                    } else {
                        r.error(
                            &path.index(0).field("month"),
                            format!("month {} does not exist", d.month),
                            "expected 1 to 12",
                        );
                    }
                }
                ObjectiveDef::SignTreaty(name) => list.push(Objective::SignTreaty(name.clone())),
                ObjectiveDef::Flag(flag) => list.push(Objective::Flag(flag.clone())),
            }
        }
        if let Some(o) = owner {
            goals.push(Goals {
                faction: faction_id(o),
                objectives: list,
            });
        }
    }
    goals.sort_by_key(|g| g.faction);
    r.file = scenario.file;

    let no_links = Names::new("link");
    let scope = super::script::Scope {
        factions: &factions,
        roster: &roster_factions,
        sectors: sector_names,
        blocks: block_names,
        characters: &characters,
        links: map.as_ref().map_or(&no_links, |m| &m.link_names),
        alliances: &alliance_names,
        fleets: &fleet_names,
    };
    let script = super::script::resolve_script(&mut r, &scope, s, &entry.event_at);

    let map = map?;
    let next_fleet = fleets.len() as u32;
    Some(WorldState {
        scenario: ScenarioInfo {
            id: s.id.clone(),
            title: s.title.clone(),
            playable,
            goals,
            outcome: None,
            seed: seed.unwrap_or(s.seed),
        },
        calendar: Calendar {
            start: Date::new(s.start.year, s.start.month.clamp(1, 12)),
            turn: 1,
            last_turn: s.turns,
        },
        rules: s.rules.clone(),
        dice: Dice::from_seed(seed.unwrap_or(s.seed)).state(),
        blocks: map.block_list,
        sectors: sector_states,
        links: map.links,
        factions: faction_states,
        characters: character_states,
        fleets,
        next_fleet,
        diplomacy,
        script,
    })
}

#[cfg(test)]
mod tests {
    use super::parse_colour;

    #[test]
    fn colours_parse() {
        assert_eq!(parse_colour("#3366cc"), Some([0x33, 0x66, 0xcc]));
        assert_eq!(parse_colour("3366cc"), None);
        assert_eq!(parse_colour("#3366c"), None);
        assert_eq!(parse_colour("#zz66cc"), None);
    }
}
