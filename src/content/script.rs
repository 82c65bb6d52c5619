//! Resolves a scenario's events and secret pacts: every id checked against the scenario, every
//! problem reported where it is written. An id that exists in the game but not in this
//! scenario (a faction that does not take part) gets its own message: the event could never
//! fire, or the effect never apply.

use super::locate::Path;
use super::raw::{ClauseDef, ConditionDef, EffectDef, EventDef, ScenarioFile, TriggerDef};
use super::report::FileId;
use super::resolve::{Names, Resolver};
use crate::core::calendar::Date;
use crate::core::ids::{BlockId, CharacterId, FactionId, LinkId, SectorId};
use crate::core::script::{
    Choice, ChoiceOption, Condition, Effect, FleetSpawn, Place, Script, ScriptClause,
    ScriptedEvent, SecretPact, Trigger,
};

/// The ids a scenario's script may name.
pub(super) struct Scope<'s, 'a> {
    /// Factions taking part.
    pub factions: &'s Names<'a>,
    /// Every faction of the roster, to tell "unknown" from "not taking part".
    pub roster: &'s Names<'a>,
    /// Sectors of the map.
    pub sectors: &'s Names<'a>,
    /// Blocks of the map.
    pub blocks: &'s Names<'a>,
    /// Characters of the scenario.
    pub characters: &'s Names<'a>,
    /// Links of the map.
    pub links: &'s Names<'a>,
    /// Alliances at the start.
    pub alliances: &'s Names<'a>,
    /// Fleets at the start.
    pub fleets: &'s Names<'a>,
}

struct Ctx<'s, 'a, 'r, 'rr> {
    r: &'r mut Resolver<'rr>,
    scope: &'s Scope<'s, 'a>,
    events: Names<'a>,
    pacts: Names<'a>,
    alliances: Names<'a>,
    fleets: Names<'a>,
}

impl Ctx<'_, '_, '_, '_> {
    fn faction(&mut self, id: &str, path: &Path, what: &str) -> Option<FactionId> {
        if let Some(i) = self.scope.factions.get(id) {
            return Some(FactionId::from_index(i));
        }
        if self.scope.roster.get(id).is_some() {
            self.r.error(
                path,
                format!("faction `{id}` does not take part in this scenario"),
                format!("{what} can never happen"),
            );
            return None;
        }
        self.r
            .lookup(self.scope.factions, id, path, || what.to_owned())
            .map(FactionId::from_index)
    }

    fn sector(&mut self, id: &str, path: &Path, what: &str) -> Option<SectorId> {
        self.r
            .lookup(self.scope.sectors, id, path, || what.to_owned())
            .map(SectorId::from_index)
    }

    fn block(&mut self, id: &str, path: &Path, what: &str) -> Option<BlockId> {
        self.r
            .lookup(self.scope.blocks, id, path, || what.to_owned())
            .map(BlockId::from_index)
    }

    fn blocks(&mut self, ids: &[String], path: &Path, what: &str) -> Vec<BlockId> {
        ids.iter()
            .enumerate()
            .filter_map(|(i, b)| self.block(b, &path.index(i), what))
            .collect()
    }

    fn character(&mut self, id: &str, path: &Path, what: &str) -> Option<CharacterId> {
        self.r
            .lookup(self.scope.characters, id, path, || what.to_owned())
            .map(CharacterId::from_index)
    }

    fn link(&mut self, id: &str, path: &Path, what: &str) -> Option<LinkId> {
        self.r
            .lookup(self.scope.links, id, path, || what.to_owned())
            .map(LinkId::from_index)
    }

    fn alliance(&mut self, id: &str, path: &Path, what: &str) -> Option<String> {
        self.r
            .lookup(&self.alliances, id, path, || what.to_owned())
            .map(|_| id.to_owned())
    }

    fn fleet(&mut self, id: &str, path: &Path, what: &str) -> Option<String> {
        self.r
            .lookup(&self.fleets, id, path, || what.to_owned())
            .map(|_| id.to_owned())
    }

    fn event(&mut self, id: &str, path: &Path, what: &str) -> Option<usize> {
        self.r.lookup(&self.events, id, path, || what.to_owned())
    }

    fn factions(&mut self, ids: &[String], path: &Path, what: &str) -> Vec<FactionId> {
        ids.iter()
            .enumerate()
            .filter_map(|(i, f)| self.faction(f, &path.index(i), what))
            .collect()
    }

    /// Exactly one of `sector` and `block`.
    fn place(
        &mut self,
        sector: &Option<String>,
        block: &Option<String>,
        path: &Path,
        what: &str,
    ) -> Option<Place> {
        match (sector, block) {
            (Some(s), None) => self
                .sector(s, &path.field("sector"), what)
                .map(Place::Sector),
            (None, Some(b)) => self.block(b, &path.field("block"), what).map(Place::Block),
            _ => {
                self.r.error(
                    path,
                    "name a `sector` or a `block`, not both or neither",
                    "here",
                );
                None
            }
        }
    }

    fn date(&mut self, year: i32, month: u8, path: &Path) -> Option<Date> {
        if (1..=12).contains(&month) {
            Some(Date::new(year, month))
        } else {
            self.r.error(
                &path.field("month"),
                format!("month {month} does not exist"),
                "expected 1 to 12",
            );
            None
        }
    }

    fn trigger(&mut self, t: &TriggerDef, path: &Path) -> Option<Trigger> {
        const W: &str = "this trigger";
        Some(match t {
            TriggerDef::Turn(n) => Trigger::Turn(*n),
            TriggerDef::Date(d) => Trigger::Date(self.date(d.year, d.month, &path.index(0))?),
            TriggerDef::FleetEnters {
                faction,
                sector,
                block,
            } => {
                let faction = self.faction(faction, &path.field("faction"), W);
                let place = self.place(sector, block, path, W);
                Trigger::FleetEnters {
                    faction: faction?,
                    place: place?,
                }
            }
            TriggerDef::ChangesHands { sector, block, to } => {
                let place = self.place(sector, block, path, W);
                let to = match to {
                    Some(f) => Some(self.faction(f, &path.field("to"), W)?),
                    None => None,
                };
                Trigger::ChangesHands { place: place?, to }
            }
            TriggerDef::RelationBecomes { between, stance } => {
                let a = self.faction(&between.0, &path.field("between").index(0), W);
                let b = self.faction(&between.1, &path.field("between").index(1), W);
                Trigger::RelationBecomes {
                    a: a?,
                    b: b?,
                    stance: *stance,
                }
            }
            TriggerDef::TreatySigned { name, party } => {
                let party = match party {
                    Some(p) => Some(self.faction(p, &path.field("party"), W)?),
                    None => None,
                };
                Trigger::TreatySigned {
                    name: name.clone(),
                    party,
                }
            }
            TriggerDef::TreatyBroken { name, by } => {
                let by = match by {
                    Some(p) => Some(self.faction(p, &path.field("by"), W)?),
                    None => None,
                };
                Trigger::TreatyBroken {
                    name: name.clone(),
                    by,
                }
            }
            TriggerDef::EventFired(e) => {
                Trigger::EventFired(self.event(e, &path.index(0), "the event this one follows")?)
            }
            TriggerDef::StrengthBelow { faction, value } => {
                let faction = self.faction(faction, &path.field("faction"), W)?;
                if *value == 0 {
                    self.r.error(
                        &path.field("value"),
                        "no strength is below 0",
                        "this trigger can never fire",
                    );
                }
                Trigger::StrengthBelow {
                    faction,
                    value: *value,
                }
            }
            TriggerDef::FleetBelow { fleet, value } => {
                if *value == 0 {
                    self.r.error(
                        &path.field("value"),
                        "no strength is below 0",
                        "this trigger can never fire",
                    );
                }
                Trigger::FleetBelow {
                    fleet: fleet.clone(),
                    value: *value,
                }
            }
            TriggerDef::CharacterDies(c) => {
                Trigger::CharacterDies(self.character(c, &path.index(0), W)?)
            }
        })
    }

    fn condition(&mut self, c: &ConditionDef, path: &Path) -> Option<Condition> {
        const W: &str = "this condition";
        Some(match c {
            ConditionDef::All(list) | ConditionDef::Any(list) => {
                let inner: Vec<Option<Condition>> = list
                    .iter()
                    .enumerate()
                    .map(|(i, c)| self.condition(c, &path.index(0).index(i)))
                    .collect();
                let inner: Option<Vec<Condition>> = inner.into_iter().collect();
                if matches!(c, ConditionDef::All(_)) {
                    Condition::All(inner?)
                } else {
                    Condition::Any(inner?)
                }
            }
            ConditionDef::Not(c) => Condition::Not(Box::new(self.condition(c, &path.index(0))?)),
            ConditionDef::AtWar(a, b) => {
                let a = self.faction(a, &path.index(0), W);
                let b = self.faction(b, &path.index(1), W);
                Condition::AtWar(a?, b?)
            }
            ConditionDef::Stance(a, b, s) => {
                let a = self.faction(a, &path.index(0), W);
                let b = self.faction(b, &path.index(1), W);
                Condition::Stance(a?, b?, *s)
            }
            ConditionDef::Holds {
                faction,
                sector,
                block,
            } => {
                let f = self.faction(faction, &path.field("faction"), W);
                let place = self.place(sector, block, path, W);
                Condition::Holds(f?, place?)
            }
            ConditionDef::Alive(c) => Condition::Alive(self.character(c, &path.index(0), W)?),
            ConditionDef::Defeated(f) => Condition::Defeated(self.faction(f, &path.index(0), W)?),
            ConditionDef::Flag(f) => Condition::Flag(f.clone()),
            ConditionDef::Fired(e) => Condition::Fired(self.event(e, &path.index(0), W)?),
            ConditionDef::StrengthAtLeast(f, v) => {
                Condition::StrengthAtLeast(self.faction(f, &path.index(0), W)?, *v)
            }
            ConditionDef::Member(f, a) => {
                let f = self.faction(f, &path.index(0), W);
                let a = self.alliance(a, &path.index(1), W);
                Condition::Member(f?, a?)
            }
            ConditionDef::TurnAtLeast(t) => Condition::TurnAtLeast(*t),
        })
    }

    fn clause(&mut self, c: &ClauseDef, path: &Path) -> Option<ScriptClause> {
        Some(match c {
            ClauseDef::EndWar => ScriptClause::EndWar,
            ClauseDef::Truce => ScriptClause::Truce,
            ClauseDef::CeaseFire(blocks) => ScriptClause::CeaseFire(self.blocks(
                blocks,
                &path.index(0),
                "a block of this clause",
            )),
            ClauseDef::FormAlliance { id, name } => {
                ScriptClause::FormAlliance(id.clone(), name.clone())
            }
            ClauseDef::JoinAlliance(a) => ScriptClause::JoinAlliance(self.alliance(
                a,
                &path.index(0),
                "the alliance to join",
            )?),
        })
    }

    fn effect(&mut self, e: &EffectDef, path: &Path) -> Option<Effect> {
        const W: &str = "this effect";
        Some(match e {
            EffectDef::Message { text, source } => Effect::Message {
                text: text.clone(),
                source: source.clone(),
            },
            EffectDef::DeclareWar { by, on } => {
                let by = self.faction(by, &path.field("by"), W);
                let on = self.faction(on, &path.field("on"), W);
                Effect::DeclareWar(by?, on?)
            }
            EffectDef::MakePeace(a, b) => {
                let a = self.faction(a, &path.index(0), W);
                let b = self.faction(b, &path.index(1), W);
                Effect::MakePeace(a?, b?)
            }
            EffectDef::CeaseFire { between, blocks } => {
                let a = self.faction(&between.0, &path.field("between").index(0), W);
                let b = self.faction(&between.1, &path.field("between").index(1), W);
                let blocks =
                    self.blocks(blocks, &path.field("blocks"), "a block of the cease-fire");
                Effect::CeaseFire(a?, b?, blocks)
            }
            EffectDef::EndCeaseFire { by, with, blocks } => {
                let a = self.faction(by, &path.field("by"), W);
                let b = self.faction(with, &path.field("with"), W);
                let blocks =
                    self.blocks(blocks, &path.field("blocks"), "a block of the cease-fire");
                Effect::EndCeaseFire(a?, b?, blocks)
            }
            EffectDef::SignTreaty {
                name,
                signatories,
                clauses,
            } => {
                let signatories =
                    self.factions(signatories, &path.field("signatories"), "a signatory");
                let clauses: Option<Vec<_>> = clauses
                    .iter()
                    .enumerate()
                    .map(|(i, c)| self.clause(c, &path.field("clauses").index(i)))
                    .collect();
                Effect::SignTreaty {
                    name: name.clone(),
                    signatories,
                    clauses: clauses?,
                }
            }
            EffectDef::FormAlliance { id, name, members } => Effect::FormAlliance {
                key: id.clone(),
                name: name.clone(),
                members: self.factions(members, &path.field("members"), "a founding member"),
            },
            EffectDef::RenameAlliance { alliance, name } => Effect::RenameAlliance {
                alliance: self.alliance(alliance, &path.field("alliance"), W)?,
                name: name.clone(),
            },
            EffectDef::Admit { alliance, faction } => {
                let a = self.alliance(alliance, &path.field("alliance"), W);
                let f = self.faction(faction, &path.field("faction"), W);
                Effect::Admit {
                    alliance: a?,
                    faction: f?,
                }
            }
            EffectDef::Expel { alliance, faction } => {
                let a = self.alliance(alliance, &path.field("alliance"), W);
                let f = self.faction(faction, &path.field("faction"), W);
                Effect::Expel {
                    alliance: a?,
                    faction: f?,
                }
            }
            EffectDef::SetChair { alliance, chair } => {
                let a = self.alliance(alliance, &path.field("alliance"), W);
                let chair = match chair {
                    Some(c) => Some(self.character(c, &path.field("chair"), "the chair")?),
                    None => None,
                };
                Effect::SetChair {
                    alliance: a?,
                    chair,
                }
            }
            EffectDef::SetHq { alliance, hq } => {
                let a = self.alliance(alliance, &path.field("alliance"), W);
                let hq = match hq {
                    Some(s) => Some(self.sector(s, &path.field("hq"), "the headquarters")?),
                    None => None,
                };
                Effect::SetHq { alliance: a?, hq }
            }
            EffectDef::FormJointCommand {
                alliance,
                id,
                name,
                members,
                commander,
            } => {
                let a = self.alliance(alliance, &path.field("alliance"), W);
                let members =
                    self.factions(members, &path.field("members"), "a member of the command");
                let commander = match commander {
                    Some(c) => {
                        Some(self.character(c, &path.field("commander"), "the commander")?)
                    }
                    None => None,
                };
                Effect::FormJointCommand {
                    alliance: a?,
                    key: id.clone(),
                    name: name.clone(),
                    members,
                    commander,
                }
            }
            EffectDef::RevealPact(p) => {
                Effect::RevealPact(self.r.lookup(&self.pacts, p, &path.index(0), || {
                    "the pact to reveal".into()
                })?)
            }
            EffectDef::OpenLink(l) => {
                Effect::SetLink(self.link(l, &path.index(0), "the link to open")?, true)
            }
            EffectDef::CloseLink(l) => {
                Effect::SetLink(self.link(l, &path.index(0), "the link to close")?, false)
            }
            EffectDef::SpawnFleet {
                id,
                name,
                owner,
                sector,
                strength,
                speed,
                commander,
            } => {
                let owner = self.faction(owner, &path.field("owner"), "the owner of the new fleet");
                let sector =
                    self.sector(sector, &path.field("sector"), "where the new fleet appears");
                let commander = match commander {
                    Some(c) => {
                        Some(self.character(c, &path.field("commander"), "the commander")?)
                    }
                    None => None,
                };
                if *strength == 0 {
                    self.r.error(
                        &path.field("strength"),
                        "a fleet needs strength above zero",
                        "zero",
                    );
                }
                Effect::SpawnFleet(FleetSpawn {
                    key: id.clone(),
                    name: name.clone(),
                    owner: owner?,
                    sector: sector?,
                    strength: *strength,
                    speed: *speed,
                    commander,
                })
            }
            EffectDef::MoveFleet { fleet, sector } => {
                let f = self.fleet(fleet, &path.field("fleet"), "the fleet to move");
                let s = self.sector(sector, &path.field("sector"), "where the fleet goes");
                Effect::MoveFleet(f?, s?)
            }
            EffectDef::DriveOut {
                faction,
                sector,
                block,
                to,
            } => {
                let f = self.faction(faction, &path.field("faction"), "the faction driven out");
                let from = self.place(sector, block, path, "where it is driven out of");
                let to = self.sector(to, &path.field("to"), "where its fleets go");
                Effect::DriveOut {
                    faction: f?,
                    from: from?,
                    to: to?,
                }
            }
            EffectDef::DestroyFleet(f) => {
                Effect::DestroyFleet(self.fleet(f, &path.index(0), "the fleet to destroy")?)
            }
            EffectDef::TransferSector { sector, to } => {
                let s = self.sector(sector, &path.field("sector"), W);
                let to = match to {
                    Some(f) => Some(self.faction(f, &path.field("to"), W)?),
                    None => None,
                };
                Effect::TransferSector(s?, to)
            }
            EffectDef::DestroyFacilities(s) => {
                Effect::DestroyFacilities(self.sector(s, &path.index(0), W)?)
            }
            EffectDef::KillCharacter(c) => {
                Effect::KillCharacter(self.character(c, &path.index(0), W)?)
            }
            EffectDef::DeclareTraitor { character, by } => {
                let c = self.character(character, &path.field("character"), W);
                let by = match by {
                    Some(f) => Some(self.faction(f, &path.field("by"), W)?),
                    None => None,
                };
                Effect::DeclareTraitor(c?, by)
            }
            EffectDef::ChangeOpinion { holder, of, value } => {
                let h = self.faction(holder, &path.field("holder"), W);
                let o = self.faction(of, &path.field("of"), W);
                Effect::ChangeOpinion {
                    holder: h?,
                    of: o?,
                    value: *value,
                }
            }
            EffectDef::SetFlag(f) => Effect::SetFlag(f.clone()),
            EffectDef::EndScenario { winners, text } => Effect::EndScenario {
                winners: self.factions(winners, &path.field("winners"), "a winner"),
                text: text.clone(),
            },
        })
    }

    fn effects(&mut self, list: &[EffectDef], path: &Path) -> Vec<Effect> {
        list.iter()
            .enumerate()
            .filter_map(|(i, e)| self.effect(e, &path.index(i)))
            .collect()
    }

    fn scripted_event(&mut self, e: &EventDef, path: &Path) -> Option<ScriptedEvent> {
        let trigger = self.trigger(&e.trigger, &path.field("trigger"));
        let condition = match &e.condition {
            Some(c) => Some(self.condition(c, &path.field("condition"))?),
            None => None,
        };
        let effects = self.effects(&e.effects, &path.field("effects"));
        let choice = match &e.choice {
            Some(c) => {
                let cpath = path.field("choice");
                let faction = self.faction(
                    &c.faction,
                    &cpath.field("faction"),
                    "the faction that chooses",
                );
                let mut options = Vec::new();
                let mut keys = Names::new("option");
                for (i, o) in c.options.iter().enumerate() {
                    let opath = cpath.field("options").index(i);
                    self.r.define(&mut keys, &o.id, i, &opath.field("id"));
                    options.push(ChoiceOption {
                        key: o.id.clone(),
                        text: o.text.clone(),
                        effects: self.effects(&o.effects, &opath.field("effects")),
                    });
                }
                if options.is_empty() {
                    self.r.error(
                        &cpath.field("options"),
                        "a choice needs options",
                        "none here",
                    );
                }
                let ai_picks = self
                    .r
                    .lookup(&keys, &c.ai_picks, &cpath.field("ai_picks"), || {
                        "the option the AI takes".into()
                    });
                Some(Choice {
                    faction: faction?,
                    prompt: c.prompt.clone(),
                    options,
                    ai_picks: ai_picks?,
                })
            }
            None => None,
        };
        Some(ScriptedEvent {
            key: e.id.clone(),
            trigger: trigger?,
            condition,
            effects,
            once: e.once,
            delay: e.delay,
            choice,
        })
    }
}

/// The alliances and fleets a script's effects bring into being.
fn created(events: &[EventDef]) -> (Vec<&str>, Vec<&str>) {
    fn walk<'a>(effects: &'a [EffectDef], alliances: &mut Vec<&'a str>, fleets: &mut Vec<&'a str>) {
        for e in effects {
            match e {
                EffectDef::FormAlliance { id, .. } => alliances.push(id),
                EffectDef::SignTreaty { clauses, .. } => {
                    for c in clauses {
                        if let ClauseDef::FormAlliance { id, .. } = c {
                            alliances.push(id);
                        }
                    }
                }
                EffectDef::SpawnFleet { id, .. } => fleets.push(id),
                _ => {}
            }
        }
    }
    let (mut alliances, mut fleets) = (Vec::new(), Vec::new());
    for e in events {
        walk(&e.effects, &mut alliances, &mut fleets);
        for o in e.choice.iter().flat_map(|c| &c.options) {
            walk(&o.effects, &mut alliances, &mut fleets);
        }
    }
    (alliances, fleets)
}

/// Resolves the scenario's events and pacts.
pub(super) fn resolve_script<'a>(
    r: &mut Resolver,
    scope: &Scope<'_, 'a>,
    s: &'a ScenarioFile,
    event_at: &[(FileId, Path)],
) -> Script {
    let root = Path::root();
    let scenario_file = r.file;
    let mut events = Names::new("event");
    for (i, e) in s.events.iter().enumerate() {
        r.file = event_at[i].0;
        r.define(&mut events, &e.id, i, &event_at[i].1.field("id"));
    }
    r.file = scenario_file;
    let mut pacts = Names::new("pact");
    for (i, p) in s.pacts.iter().enumerate() {
        r.define(
            &mut pacts,
            &p.id,
            i,
            &root.field("pacts").index(i).field("id"),
        );
    }
    let (new_alliances, new_fleets) = created(&s.events);
    let mut alliances = Names::new("alliance");
    alliances.ids = scope.alliances.ids.clone();
    for a in new_alliances {
        alliances.ids.entry(a).or_insert(usize::MAX);
    }
    let mut fleets = Names::new("fleet");
    fleets.ids = scope.fleets.ids.clone();
    for f in new_fleets {
        fleets.ids.entry(f).or_insert(usize::MAX);
    }
    let mut ctx = Ctx {
        r,
        scope,
        events,
        pacts,
        alliances,
        fleets,
    };
    let mut resolved_pacts = Vec::new();
    for (i, p) in s.pacts.iter().enumerate() {
        let path = root.field("pacts").index(i);
        let factions = ctx.factions(&p.factions, &path.field("factions"), "a party to the pact");
        let characters = p
            .characters
            .iter()
            .enumerate()
            .filter_map(|(k, c)| {
                ctx.character(c, &path.field("characters").index(k), "a party to the pact")
            })
            .collect();
        resolved_pacts.push(SecretPact {
            key: p.id.clone(),
            name: p.name.clone(),
            factions,
            characters,
            terms: p.terms.clone(),
            revealed: None,
        });
    }
    let resolved: Vec<ScriptedEvent> = s
        .events
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            // A mod's patch may have added or replaced the event: point into its file.
            ctx.r.file = event_at[i].0;
            ctx.scripted_event(e, &event_at[i].1)
        })
        .collect();
    ctx.r.file = scenario_file;
    Script::new(resolved, resolved_pacts)
}
