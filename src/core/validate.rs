//! One check that a world is whole before the rules see it: every id it holds names something
//! that exists, every count agrees with what it counts, every number is within its range. A
//! save or a replay's world that parses, and whose checksum is right, can still have been
//! edited by hand; the rules and the AI index by these ids, so a world that fails this check
//! is refused, naming what is wrong, rather than played into a panic. Scenario loading, save
//! loading and replay loading all use it.

use super::diplomacy::{Clause, Diplomacy};
use super::fleet::Task;
use super::ids::{AllianceId, BlockId, CharacterId, FactionId, FleetId, LinkId, SectorId};
use super::scenario::Objective;
use super::script::{Condition, Effect, Place, ScriptClause, Trigger};
use super::state::WorldState;

/// The highest fleet id a world may give out. Fleets built or spawned past it are not: a game
/// would have to build a fleet every turn for two billion turns to come near it.
pub const MAX_FLEET_ID: u32 = 1 << 31;
/// The strongest a fleet can be. The rules never make a fleet stronger than it was built or
/// spawned, and content allows no more than this, so every sum of strengths fits.
pub const MAX_FLEET_STRENGTH: u32 = 1_000_000;
/// The lowest a treasury can be: a scenario may start a faction in debt this deep, and the
/// rules never take a treasury below zero.
pub const MIN_TREASURY: i64 = -1_000_000_000;
/// The most a sector can yield.
pub const MAX_INDUSTRY: u32 = 100_000;
/// The longest a game can last, in turns.
pub const MAX_LAST_TURN: u32 = 1_000_000;

/// What is wrong with a world, in words: `fleet 3 (kdf_home): its owner is faction 9, and there
/// are 2 factions`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Invalid(pub String);

/// The sizes ids are checked against.
struct Bounds {
    sectors: usize,
    blocks: usize,
    links: usize,
    factions: usize,
    characters: usize,
    fleets: u32,
    alliances: usize,
    events: usize,
    pacts: usize,
}

type Checked = Result<(), Invalid>;

fn out(what: &str, kind: &str, id: usize, count: usize) -> Invalid {
    Invalid(format!(
        "{what}: {kind} {id} does not exist (there are {count})"
    ))
}

impl Bounds {
    fn sector(&self, what: &str, s: SectorId) -> Checked {
        (s.index() < self.sectors)
            .then_some(())
            .ok_or_else(|| out(what, "sector", s.index(), self.sectors))
    }
    fn block(&self, what: &str, b: BlockId) -> Checked {
        (b.index() < self.blocks)
            .then_some(())
            .ok_or_else(|| out(what, "block", b.index(), self.blocks))
    }
    fn link(&self, what: &str, l: LinkId) -> Checked {
        (l.index() < self.links)
            .then_some(())
            .ok_or_else(|| out(what, "link", l.index(), self.links))
    }
    fn faction(&self, what: &str, f: FactionId) -> Checked {
        (f.index() < self.factions)
            .then_some(())
            .ok_or_else(|| out(what, "faction", f.index(), self.factions))
    }
    fn character(&self, what: &str, c: CharacterId) -> Checked {
        (c.index() < self.characters)
            .then_some(())
            .ok_or_else(|| out(what, "character", c.index(), self.characters))
    }
    fn fleet(&self, what: &str, f: FleetId) -> Checked {
        (f.0 < self.fleets)
            .then_some(())
            .ok_or_else(|| out(what, "fleet", f.index(), self.fleets as usize))
    }
    fn alliance(&self, what: &str, a: AllianceId) -> Checked {
        (a.index() < self.alliances)
            .then_some(())
            .ok_or_else(|| out(what, "alliance", a.index(), self.alliances))
    }
    fn event(&self, what: &str, e: usize) -> Checked {
        (e < self.events)
            .then_some(())
            .ok_or_else(|| out(what, "event", e, self.events))
    }
    fn factions(&self, what: &str, list: &[FactionId]) -> Checked {
        list.iter().try_for_each(|&f| self.faction(what, f))
    }
    fn blocks(&self, what: &str, list: &[BlockId]) -> Checked {
        list.iter().try_for_each(|&b| self.block(what, b))
    }
    fn place(&self, what: &str, p: &Place) -> Checked {
        match *p {
            Place::Sector(s) => self.sector(what, s),
            Place::Block(b) => self.block(what, b),
        }
    }
    fn sector_opt(&self, what: &str, s: Option<SectorId>) -> Checked {
        s.map_or(Ok(()), |s| self.sector(what, s))
    }
    fn faction_opt(&self, what: &str, f: Option<FactionId>) -> Checked {
        f.map_or(Ok(()), |f| self.faction(what, f))
    }
    fn character_opt(&self, what: &str, c: Option<CharacterId>) -> Checked {
        c.map_or(Ok(()), |c| self.character(what, c))
    }

    fn trigger(&self, what: &str, t: &Trigger) -> Checked {
        match t {
            Trigger::Turn(_) | Trigger::Date(_) | Trigger::FleetBelow { .. } => Ok(()),
            Trigger::FleetEnters { faction, place } => {
                self.faction(what, *faction)?;
                self.place(what, place)
            }
            Trigger::ChangesHands { place, to } => {
                self.place(what, place)?;
                self.faction_opt(what, *to)
            }
            Trigger::RelationBecomes { a, b, .. } => self.factions(what, &[*a, *b]),
            Trigger::TreatySigned { party, .. } => self.faction_opt(what, *party),
            Trigger::TreatyBroken { by, .. } => self.faction_opt(what, *by),
            Trigger::EventFired(e) => self.event(what, *e),
            Trigger::StrengthBelow { faction, .. } => self.faction(what, *faction),
            Trigger::CharacterDies(c) => self.character(what, *c),
        }
    }

    fn condition(&self, what: &str, c: &Condition, depth: usize) -> Checked {
        if depth > 64 {
            return Err(Invalid(format!("{what}: conditions nested too deep")));
        }
        match c {
            Condition::All(list) | Condition::Any(list) => list
                .iter()
                .try_for_each(|c| self.condition(what, c, depth + 1)),
            Condition::Not(c) => self.condition(what, c, depth + 1),
            Condition::AtWar(a, b) | Condition::Stance(a, b, _) => self.factions(what, &[*a, *b]),
            Condition::Holds(f, p) => {
                self.faction(what, *f)?;
                self.place(what, p)
            }
            Condition::Alive(c) => self.character(what, *c),
            Condition::Defeated(f) | Condition::StrengthAtLeast(f, _) | Condition::Member(f, _) => {
                self.faction(what, *f)
            }
            Condition::Fired(e) => self.event(what, *e),
            Condition::Flag(_) | Condition::TurnAtLeast(_) => Ok(()),
        }
    }

    fn effect(&self, what: &str, e: &Effect) -> Checked {
        match e {
            Effect::Message { .. }
            | Effect::RenameAlliance { .. }
            | Effect::DestroyFleet(_)
            | Effect::SetFlag(_) => Ok(()),
            Effect::DeclareWar(a, b) | Effect::MakePeace(a, b) => self.factions(what, &[*a, *b]),
            Effect::CeaseFire(a, b, blocks) | Effect::EndCeaseFire(a, b, blocks) => {
                self.factions(what, &[*a, *b])?;
                self.blocks(what, blocks)
            }
            Effect::SignTreaty {
                signatories,
                clauses,
                ..
            } => {
                self.factions(what, signatories)?;
                clauses.iter().try_for_each(|c| match c {
                    ScriptClause::CeaseFire(blocks) => self.blocks(what, blocks),
                    _ => Ok(()),
                })
            }
            Effect::FormAlliance { members, .. } => self.factions(what, members),
            Effect::Admit { faction, .. } | Effect::Expel { faction, .. } => {
                self.faction(what, *faction)
            }
            Effect::SetChair { chair, .. } => self.character_opt(what, *chair),
            Effect::SetHq { hq, .. } => self.sector_opt(what, *hq),
            Effect::FormJointCommand {
                members, commander, ..
            } => {
                self.factions(what, members)?;
                self.character_opt(what, *commander)
            }
            Effect::RevealPact(p) => (*p < self.pacts)
                .then_some(())
                .ok_or_else(|| out(what, "pact", *p, self.pacts)),
            Effect::SetLink(l, _) => self.link(what, *l),
            Effect::SpawnFleet(spawn) => {
                self.faction(what, spawn.owner)?;
                self.sector(what, spawn.sector)?;
                self.character_opt(what, spawn.commander)?;
                speed(what, spawn.speed)
            }
            Effect::MoveFleet(_, s) | Effect::DestroyFacilities(s) => self.sector(what, *s),
            Effect::DriveOut { faction, from, to } => {
                self.faction(what, *faction)?;
                self.place(what, from)?;
                self.sector(what, *to)
            }
            Effect::TransferSector(s, f) => {
                self.sector(what, *s)?;
                self.faction_opt(what, *f)
            }
            Effect::KillCharacter(c) => self.character(what, *c),
            Effect::DeclareTraitor(c, f) => {
                self.character(what, *c)?;
                self.faction_opt(what, *f)
            }
            Effect::ChangeOpinion { holder, of, .. } => self.factions(what, &[*holder, *of]),
            Effect::EndScenario { winners, .. } => self.factions(what, winners),
        }
    }

    fn clauses(&self, what: &str, clauses: &[Clause]) -> Checked {
        clauses.iter().try_for_each(|c| match c {
            Clause::CeaseFire { blocks } => self.blocks(what, blocks),
            Clause::JoinAlliance { alliance } => self.alliance(what, *alliance),
            _ => Ok(()),
        })
    }
}

fn speed(what: &str, speed: u8) -> Checked {
    if speed == 0 {
        return Err(Invalid(format!("{what}: a speed of 0")));
    }
    Ok(())
}

fn diplomacy(b: &Bounds, d: &Diplomacy) -> Checked {
    if !d.is_whole() || d.faction_count() != b.factions {
        return Err(Invalid(format!(
            "diplomacy: it is kept for {} factions, and the world has {}",
            d.faction_count(),
            b.factions
        )));
    }
    for x in 0..b.factions {
        for y in 0..b.factions {
            let (fx, fy) = (FactionId::from_index(x), FactionId::from_index(y));
            b.blocks(
                &format!("the cease-fire between factions {x} and {y}"),
                &d.relation(fx, fy).ceasefire_blocks,
            )?;
        }
    }
    for (i, a) in d.alliances.iter().enumerate() {
        let what = format!("alliance {i} ({})", a.key);
        b.factions(&what, &a.members)?;
        b.character_opt(&what, a.chair)?;
        b.sector_opt(&what, a.hq)?;
        for c in &a.commands {
            b.factions(&what, &c.members)?;
            b.character_opt(&what, c.commander)?;
        }
    }
    for (i, t) in d.treaties.iter().enumerate() {
        let what = format!("treaty {i} ({})", t.name);
        b.factions(&what, &t.signatories)?;
        b.clauses(&what, &t.clauses)?;
        if let Some(breach) = &t.breach {
            b.faction(&what, breach.by)?;
        }
    }
    for p in &d.proposals {
        let what = format!("proposal {} ({})", p.id.0, p.name);
        b.faction(&what, p.from)?;
        b.factions(&what, &p.to)?;
        b.clauses(&what, &p.clauses)?;
        for (f, _) in &p.answers {
            b.faction(&what, *f)?;
        }
    }
    Ok(())
}

/// Checks that `world` is whole: see the module's text.
pub fn validate(world: &WorldState) -> Result<(), Invalid> {
    let b = Bounds {
        sectors: world.sectors.len(),
        blocks: world.blocks.len(),
        links: world.links.len(),
        factions: world.factions.len(),
        characters: world.characters.len(),
        fleets: world.next_fleet,
        alliances: world.diplomacy.alliances.len(),
        events: world.script.events.len(),
        pacts: world.script.pacts.len(),
    };
    if world.calendar.turn == 0
        || world.calendar.turn > world.calendar.last_turn.saturating_add(1)
        || world.calendar.last_turn > MAX_LAST_TURN
    {
        return Err(Invalid(format!(
            "the calendar: turn {} of a scenario of {} turns",
            world.calendar.turn, world.calendar.last_turn
        )));
    }
    for (name, value, min, max) in world.rules.ranged() {
        if value < min || value > max {
            return Err(Invalid(format!(
                "rule `{name}` is {value}: it must be from {min} to {max}"
            )));
        }
    }
    if world.next_fleet > MAX_FLEET_ID {
        return Err(Invalid(format!(
            "the next fleet's id is {}: ids go up to {MAX_FLEET_ID}",
            world.next_fleet
        )));
    }
    for (i, s) in world.sectors.iter().enumerate() {
        let what = format!("sector {i} ({})", s.place.key);
        if s.industry > MAX_INDUSTRY {
            return Err(Invalid(format!(
                "{what}: an industry of {}, and a sector yields at most {MAX_INDUSTRY}",
                s.industry
            )));
        }
        b.block(&what, s.place.block)?;
        b.faction_opt(&what, s.owner)?;
        if let Some(o) = &s.occupation {
            b.faction(&what, o.by)?;
        }
    }
    for (i, l) in world.links.iter().enumerate() {
        let what = format!("link {i} ({})", l.key);
        b.sector(&what, l.ends[0])?;
        b.sector(&what, l.ends[1])?;
    }
    for (i, f) in world.factions.iter().enumerate() {
        let what = format!("faction {i} ({})", f.key);
        b.sector_opt(&what, f.capital)?;
        if f.treasury < MIN_TREASURY {
            return Err(Invalid(format!(
                "{what}: a treasury of {}, and no treasury is below {MIN_TREASURY}",
                f.treasury
            )));
        }
        let p = f.personality;
        if [p.aggression, p.caution, p.honour].iter().any(|&v| v > 100) {
            return Err(Invalid(format!(
                "{what}: a personality's leanings are 0 to 100"
            )));
        }
    }
    for (i, c) in world.characters.iter().enumerate() {
        b.faction_opt(&format!("character {i} ({})", c.key), c.faction)?;
    }
    let mut last: Option<FleetId> = None;
    for f in &world.fleets {
        let what = format!("fleet {} ({})", f.id.0, f.key);
        b.fleet(&what, f.id)?;
        if last.is_some_and(|l| l >= f.id) {
            return Err(Invalid(format!(
                "{what}: the fleets are not in id order, or an id is given twice"
            )));
        }
        last = Some(f.id);
        b.faction(&what, f.owner)?;
        b.sector(&what, f.sector)?;
        b.character_opt(&what, f.commander)?;
        speed(&what, f.speed)?;
        if f.strength > MAX_FLEET_STRENGTH {
            return Err(Invalid(format!(
                "{what}: a strength of {}, and a fleet is at most {MAX_FLEET_STRENGTH}",
                f.strength
            )));
        }
        match &f.task {
            Task::Hold | Task::Withdraw => {}
            Task::Move { route } => route.iter().try_for_each(|&s| b.sector(&what, s))?,
            Task::Patrol { stations, toward } => {
                b.sector(&what, stations[0])?;
                b.sector(&what, stations[1])?;
                if *toward > 1 {
                    return Err(Invalid(format!(
                        "{what}: a patrol heads for station 0 or 1"
                    )));
                }
            }
            Task::Attack { target } => b.fleet(&what, *target)?,
        }
        if let Some(a) = &f.assignment {
            b.alliance(&what, a.alliance)?;
            let commands = world.diplomacy.alliances[a.alliance.index()].commands.len();
            if usize::from(a.command) >= commands {
                return Err(out(&what, "joint command", a.command.into(), commands));
            }
        }
    }
    diplomacy(&b, &world.diplomacy)?;
    let script = &world.script;
    if script.fired.len() != script.events.len() {
        return Err(Invalid(format!(
            "the script: {} events, and {} records of their firing",
            script.events.len(),
            script.fired.len()
        )));
    }
    for (i, e) in script.events.iter().enumerate() {
        let what = format!("event {i} ({})", e.key);
        b.trigger(&what, &e.trigger)?;
        if let Some(c) = &e.condition {
            b.condition(&what, c, 0)?;
        }
        e.effects.iter().try_for_each(|x| b.effect(&what, x))?;
        if let Some(choice) = &e.choice {
            b.faction(&what, choice.faction)?;
            if choice.ai_picks >= choice.options.len() {
                return Err(out(&what, "option", choice.ai_picks, choice.options.len()));
            }
            for o in &choice.options {
                o.effects.iter().try_for_each(|x| b.effect(&what, x))?;
            }
        }
    }
    for p in &script.pacts {
        let what = format!("pact {}", p.key);
        b.factions(&what, &p.factions)?;
        p.characters
            .iter()
            .try_for_each(|&c| b.character(&what, c))?;
    }
    for d in &script.delayed {
        b.event("a delayed event", d.event)?;
    }
    for c in &script.choices {
        b.event("a choice waiting for its answer", c.event)?;
        if script.events[c.event].choice.is_none() {
            return Err(Invalid(format!(
                "a choice waiting for its answer: event {} asks none",
                c.event
            )));
        }
    }
    let info = &world.scenario;
    b.factions("the playable factions", &info.playable)?;
    for g in &info.goals {
        let what = format!("the objectives of faction {}", g.faction.0);
        b.faction(&what, g.faction)?;
        for o in &g.objectives {
            match o {
                Objective::Hold { sectors } | Objective::Protect { sectors } => {
                    sectors.iter().try_for_each(|&s| b.sector(&what, s))?
                }
                Objective::Defeat { faction } => b.faction(&what, *faction)?,
                _ => {}
            }
        }
    }
    Ok(())
}
