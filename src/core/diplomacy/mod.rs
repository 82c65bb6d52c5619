//! Relations between factions: war, cease-fire, peace and alliance per pair; cease-fires held
//! only in some sector blocks; opinion with typed, decaying modifiers; treaties; alliances as
//! organisations with joint commands; proposals and their answers.
//!
//! Everything here is plain data with methods that keep it consistent and say what happened
//! as [`GameEvent`]s; the diplomacy phase (`phase.rs`) feeds it the turn's orders.

mod phase;
mod treaty;

pub(super) use phase::{carry_out, plugin};
pub use treaty::{Answer, Breach, Clause, Motive, Proposal, RefusalReason, Treaty};

use std::collections::BTreeSet;

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

use super::events::GameEvent;
use super::ids::{
    AllianceId, BlockId, CharacterId, FactionId, ProposalId, SectorId, TreatyId, narrow,
};
use super::rules::Rules;

/// What decides which side a fleet is on: its owner and its joint command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FleetSide {
    /// The fleet's owner.
    pub owner: FactionId,
    /// The joint command it serves in.
    pub command: Option<super::fleet::Assignment>,
}

/// How two factions stand toward each other.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Stance {
    /// They fight wherever they meet, except in the blocks where a cease-fire holds.
    War,
    /// A general cease-fire: no fighting anywhere, but no peace either.
    CeaseFire,
    /// At peace.
    Peace,
    /// Members of the same alliance: they share sectors and fight on one side.
    Alliance,
}

/// The relation of one pair of factions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    /// War, cease-fire, peace or alliance.
    pub stance: Stance,
    /// The turn the stance began (0: before the scenario).
    pub since: u32,
    /// While at war: the blocks where a cease-fire holds, sorted.
    pub ceasefire_blocks: Vec<BlockId>,
}

impl Default for Relation {
    fn default() -> Self {
        Self {
            stance: Stance::Peace,
            since: 0,
            ceasefire_blocks: Vec::new(),
        }
    }
}

/// Why one faction's opinion of another moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum OpinionCause {
    /// What they think of each other from before the scenario.
    History,
    /// The other declared war on this one.
    WarDeclared,
    /// Both fight the same enemy.
    CommonEnemy,
    /// The other broke a cease-fire or treaty with this one.
    BrokeFaithWithUs,
    /// The other broke a treaty this one also signed.
    BrokeOurTreaty,
    /// The other broke a treaty with someone else.
    BrokeFaithElsewhere,
    /// They signed a treaty together.
    TreatySigned,
    /// Set by a scenario event.
    Scripted,
    /// The other was party to a secret pact now revealed.
    SecretPact,
}

/// One typed part of an opinion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpinionModifier {
    /// Why.
    pub cause: OpinionCause,
    /// How much, positive or negative.
    pub value: i32,
    /// Permanent modifiers do not decay.
    pub permanent: bool,
}

/// A joint command of an alliance: its fleets fight together (Task Force Omega, ...).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JointCommand {
    /// The id used in files and replays.
    pub key: String,
    /// The name players read.
    pub name: String,
    /// The factions whose fleets may serve in it.
    pub members: Vec<FactionId>,
    /// Who commands it.
    pub commander: Option<CharacterId>,
}

/// An alliance as an organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alliance {
    /// The id used in files and replays.
    pub key: String,
    /// Its current name; it can change.
    pub name: String,
    /// Member factions, sorted.
    pub members: Vec<FactionId>,
    /// Who chairs it.
    pub chair: Option<CharacterId>,
    /// Where it is headquartered.
    pub hq: Option<SectorId>,
    /// Its joint commands.
    pub commands: Vec<JointCommand>,
    /// The turn it was founded (0: before the scenario).
    pub founded: u32,
    /// The turn it was dissolved, if it was.
    pub dissolved: Option<u32>,
    /// Whether members at war with each other stay at war when they join (a theatre alliance,
    /// like Dyson Joint Command in 2409): they are members, and their fleets in its joint
    /// commands fight together, but they are not allies elsewhere.
    #[serde(default)]
    pub keeps_wars: bool,
}

/// A pair's stance and whether it lists block cease-fires, in one byte: what the hot checks
/// (is this fleet hostile, is that faction an ally) ask of a pair, from a table small enough
/// to stay in the caches on a map of hundreds of factions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Standing(u8);

impl Standing {
    const BLOCKS: u8 = 4;

    fn of(relation: &Relation) -> Self {
        let stance = relation.stance as u8;
        let blocks = if relation.ceasefire_blocks.is_empty() {
            0
        } else {
            Self::BLOCKS
        };
        Self(stance | blocks)
    }

    #[inline]
    fn stance(self) -> Stance {
        match self.0 & 3 {
            0 => Stance::War,
            1 => Stance::CeaseFire,
            2 => Stance::Peace,
            _ => Stance::Alliance,
        }
    }

    #[inline]
    fn blocks(self) -> bool {
        self.0 & Self::BLOCKS != 0
    }
}

/// All relations between factions.
#[derive(Resource, Clone, Debug, Serialize)]
pub struct Diplomacy {
    factions: usize,
    /// `relations[a * factions + b]`, kept symmetric.
    relations: Vec<Relation>,
    /// `standings[a * factions + b]`: each relation's [`Standing`], kept with it.
    #[serde(skip)]
    standings: Vec<Standing>,
    /// `opinions[holder * factions + of]`: what `holder` thinks of `of`.
    opinions: Vec<Vec<OpinionModifier>>,
    /// Every treaty signed, in force or broken, by id.
    pub treaties: Vec<Treaty>,
    /// Every alliance, by id.
    pub alliances: Vec<Alliance>,
    /// Proposals awaiting answers, by id.
    pub proposals: Vec<Proposal>,
    next_proposal: u32,
    /// The pairs whose relation or opinions have been set, as `a * factions + b` with `a`
    /// the lower id, in that order (the pairs' id order): every pair that may differ from
    /// the default (some may have gone back to it). What reads or ages only the pairs that
    /// exist goes through these, so that it costs them and not the square of the factions.
    #[serde(skip)]
    touched: BTreeSet<u32>,
}

/// Two tables are equal when their relations, opinions, treaties, alliances and proposals
/// are: which pairs were touched on the way is how they are read, not what they hold.
impl PartialEq for Diplomacy {
    fn eq(&self, other: &Self) -> bool {
        self.factions == other.factions
            && self.relations == other.relations
            && self.opinions == other.opinions
            && self.treaties == other.treaties
            && self.alliances == other.alliances
            && self.proposals == other.proposals
            && self.next_proposal == other.next_proposal
    }
}

impl Eq for Diplomacy {}

/// [`Diplomacy`] as saves hold it: everything but what is worked out from the rest.
#[derive(Deserialize)]
#[serde(rename = "Diplomacy")]
struct Stored {
    factions: usize,
    relations: Vec<Relation>,
    opinions: Vec<Vec<OpinionModifier>>,
    treaties: Vec<Treaty>,
    alliances: Vec<Alliance>,
    proposals: Vec<Proposal>,
    next_proposal: u32,
}

impl<'de> Deserialize<'de> for Diplomacy {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Stored {
            factions,
            relations,
            opinions,
            treaties,
            alliances,
            proposals,
            next_proposal,
        } = Stored::deserialize(deserializer)?;
        let mut d = Self {
            factions,
            standings: relations.iter().map(Standing::of).collect(),
            relations,
            opinions,
            treaties,
            alliances,
            proposals,
            next_proposal,
            touched: BTreeSet::new(),
        };
        d.list_touched();
        Ok(d)
    }
}

impl Diplomacy {
    /// Everyone at peace with everyone, no opinions, no treaties.
    pub fn new(factions: usize) -> Self {
        Self {
            factions,
            relations: vec![Relation::default(); factions * factions],
            standings: vec![Standing::of(&Relation::default()); factions * factions],
            opinions: vec![Vec::new(); factions * factions],
            treaties: Vec::new(),
            alliances: Vec::new(),
            proposals: Vec::new(),
            next_proposal: 0,
            touched: BTreeSet::new(),
        }
    }

    /// Lists every pair that differs from the default, from a pass over the whole tables (a
    /// loaded save); a table that is not whole (see [`Self::is_whole`]) lists nothing.
    fn list_touched(&mut self) {
        let n = self.factions;
        self.touched.clear();
        if !self.is_whole() {
            return;
        }
        for a in 0..n {
            for b in a + 1..n {
                if !self.is_default(a, b) {
                    self.touched.insert(Self::pair_key(a * n + b));
                }
            }
        }
    }

    fn pair_key(cell: usize) -> u32 {
        u32::try_from(cell).expect("the limits keep the tables far below u32::MAX cells")
    }

    /// Notes that a pair's relation or an opinion between them is about to be set.
    fn touch(&mut self, a: FactionId, b: FactionId) {
        let k = self.cell(a.min(b), a.max(b));
        self.touched.insert(Self::pair_key(k));
    }

    /// The pairs that may differ from the default, `(lower, higher)`, in id order.
    fn touched_pairs(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        Self::pairs(&self.touched, self.factions)
    }

    /// The pairs listed in `touched`, for tables of `n` factions. A function of the set alone,
    /// so that what walks it may write the other tables meanwhile.
    fn pairs(touched: &BTreeSet<u32>, n: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        let n = n.max(1);
        touched
            .iter()
            .map(move |&k| (k as usize / n, k as usize % n))
    }

    /// Whether a pair (`a` < `b`) is as the tables start: at peace since before the
    /// scenario, with no opinion of each other.
    fn is_default(&self, a: usize, b: usize) -> bool {
        let n = self.factions;
        let (ab, ba) = (a * n + b, b * n + a);
        self.relations[ab] == Relation::default()
            && self.opinions[ab].is_empty()
            && self.opinions[ba].is_empty()
    }

    /// Whether its tables have a cell for every pair of its factions, and each pair's
    /// relation reads the same from either side.
    pub fn is_whole(&self) -> bool {
        let cells = self.factions.checked_mul(self.factions);
        if cells != Some(self.relations.len()) || cells != Some(self.opinions.len()) {
            return false;
        }
        let n = self.factions;
        (0..n).all(|a| (a + 1..n).all(|b| self.relations[a * n + b] == self.relations[b * n + a]))
    }

    /// Every part of the diplomacy tables in the world's canonical form, in order: each pair
    /// once (lower id first) with both opinions, then treaties, alliances and proposals. A
    /// pair at peace since before the scenario, with no opinion of each other, is the
    /// tables' default and is left out: the form grows with the relations that exist (wars,
    /// treaties, alliances, opinions), not with the square of the factions, and `Tables`
    /// gives the number of factions, so the pairs left out are known.
    pub fn visit(&self, sink: &mut impl super::canonical::Sink) {
        use super::canonical::Part;
        let Diplomacy {
            factions,
            relations,
            standings: _,
            touched: _,
            opinions,
            treaties,
            alliances,
            proposals,
            next_proposal,
        } = self;
        let n = *factions;
        for (a, b) in self.touched_pairs() {
            if self.is_default(a, b) {
                continue;
            }
            let (ab, ba) = (a * n + b, b * n + a);
            sink.part(
                Part::Relation(narrow(a), narrow(b)),
                &(&relations[ab], &opinions[ab], &opinions[ba]),
            );
        }
        for (i, t) in treaties.iter().enumerate() {
            sink.part(Part::Treaty(narrow(i)), t);
        }
        for (i, a) in alliances.iter().enumerate() {
            sink.part(Part::Alliance(narrow(i)), a);
        }
        for (i, p) in proposals.iter().enumerate() {
            sink.part(Part::Proposal(narrow(i)), p);
        }
        sink.part(Part::Tables, &(n, next_proposal));
    }

    /// How many factions the table covers.
    pub fn faction_count(&self) -> usize {
        self.factions
    }

    #[inline]
    fn cell(&self, a: FactionId, b: FactionId) -> usize {
        a.index() * self.factions + b.index()
    }

    /// The relation of a pair (order does not matter).
    #[inline]
    pub fn relation(&self, a: FactionId, b: FactionId) -> &Relation {
        &self.relations[self.cell(a, b)]
    }

    /// The stance of a pair; a faction is allied to itself.
    #[inline]
    pub fn stance(&self, a: FactionId, b: FactionId) -> Stance {
        if a == b {
            Stance::Alliance
        } else {
            self.standing(a, b).stance()
        }
    }

    #[inline]
    fn standing(&self, a: FactionId, b: FactionId) -> Standing {
        self.standings[self.cell(a, b)]
    }

    fn set_relation(&mut self, a: FactionId, b: FactionId, relation: Relation) {
        self.touch(a, b);
        let (ab, ba) = (self.cell(a, b), self.cell(b, a));
        let standing = Standing::of(&relation);
        self.standings[ab] = standing;
        self.standings[ba] = standing;
        self.relations[ab] = relation.clone();
        self.relations[ba] = relation;
    }

    /// Sets the stance of a pair, clearing block cease-fires unless it is war.
    pub fn set_stance(&mut self, a: FactionId, b: FactionId, stance: Stance, turn: u32) {
        if a == b {
            return;
        }
        let mut rel = self.relation(a, b).clone();
        if rel.stance != stance {
            rel.since = turn;
        }
        rel.stance = stance;
        if stance != Stance::War {
            rel.ceasefire_blocks.clear();
        }
        self.set_relation(a, b, rel);
    }

    /// Whether two factions are at war (block cease-fires or not).
    #[inline]
    pub fn at_war(&self, a: FactionId, b: FactionId) -> bool {
        a != b && self.standing(a, b).stance() == Stance::War
    }

    /// Whether two factions fight and take ground from each other in a block: at war, and
    /// no cease-fire holds there.
    #[inline]
    pub fn hostile_in(&self, a: FactionId, b: FactionId, block: BlockId) -> bool {
        if a == b {
            return false;
        }
        let standing = self.standing(a, b);
        standing.stance() == Stance::War
            && (!standing.blocks()
                || self
                    .relation(a, b)
                    .ceasefire_blocks
                    .binary_search(&block)
                    .is_err())
    }

    /// Whether a cease-fire between the two holds in this block.
    pub fn ceasefire_in(&self, a: FactionId, b: FactionId, block: BlockId) -> bool {
        let standing = self.standing(a, b);
        a != b
            && match standing.stance() {
                Stance::War => {
                    standing.blocks()
                        && self
                            .relation(a, b)
                            .ceasefire_blocks
                            .binary_search(&block)
                            .is_ok()
                }
                Stance::CeaseFire => true,
                _ => false,
            }
    }

    /// Whether the two share sectors and fight on one side: the same faction or allied.
    #[inline]
    pub fn friendly(&self, a: FactionId, b: FactionId) -> bool {
        a == b || self.standing(a, b).stance() == Stance::Alliance
    }

    /// Whether two fleets, given their owners and joint commands, fight each other in a
    /// block. Fleets of one joint command never do.
    #[inline]
    pub fn fleets_hostile(&self, a: FleetSide, b: FleetSide, block: BlockId) -> bool {
        !(a.command.is_some() && a.command == b.command) && self.hostile_in(a.owner, b.owner, block)
    }

    /// Whether two fleets fight on one side: same owner, allied owners, or one joint command.
    #[inline]
    pub fn fleets_friendly(&self, a: FleetSide, b: FleetSide) -> bool {
        (a.command.is_some() && a.command == b.command) || self.friendly(a.owner, b.owner)
    }

    /// Adds cease-fire blocks to a pair at war. Returns the blocks that were new.
    pub fn add_ceasefire_blocks(
        &mut self,
        a: FactionId,
        b: FactionId,
        blocks: &[BlockId],
    ) -> Vec<BlockId> {
        let mut rel = self.relation(a, b).clone();
        if rel.stance != Stance::War {
            return Vec::new();
        }
        let mut added = Vec::new();
        for &block in blocks {
            if let Err(at) = rel.ceasefire_blocks.binary_search(&block) {
                rel.ceasefire_blocks.insert(at, block);
                added.push(block);
            }
        }
        self.set_relation(a, b, rel);
        added
    }

    /// Removes cease-fire blocks from a pair. Returns the blocks that were there.
    pub fn remove_ceasefire_blocks(
        &mut self,
        a: FactionId,
        b: FactionId,
        blocks: &[BlockId],
    ) -> Vec<BlockId> {
        let mut rel = self.relation(a, b).clone();
        let mut removed = Vec::new();
        for block in blocks {
            if let Ok(at) = rel.ceasefire_blocks.binary_search(block) {
                rel.ceasefire_blocks.remove(at);
                removed.push(*block);
            }
        }
        self.set_relation(a, b, rel);
        removed
    }

    /// What `holder` thinks of `of`: the sum of its modifiers.
    pub fn opinion(&self, holder: FactionId, of: FactionId) -> i32 {
        let sum: i64 = self.opinions[self.cell(holder, of)]
            .iter()
            .map(|m| i64::from(m.value))
            .sum();
        // Saturates at the limits of an `i32` rather than wrapping.
        sum.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
    }

    /// The typed modifiers behind an opinion.
    pub fn opinion_modifiers(&self, holder: FactionId, of: FactionId) -> &[OpinionModifier] {
        &self.opinions[self.cell(holder, of)]
    }

    /// Adds to `holder`'s opinion of `of`; modifiers of one cause add up.
    pub fn add_opinion(
        &mut self,
        holder: FactionId,
        of: FactionId,
        cause: OpinionCause,
        value: i32,
    ) {
        if holder == of || value == 0 {
            return;
        }
        self.touch(holder, of);
        let cell = self.cell(holder, of);
        let list = &mut self.opinions[cell];
        match list.iter_mut().find(|m| m.cause == cause) {
            Some(m) => m.value = m.value.saturating_add(value),
            None => {
                list.push(OpinionModifier {
                    cause,
                    value,
                    permanent: cause == OpinionCause::History,
                });
                list.sort_by_key(|m| m.cause);
            }
        }
    }

    /// Replaces every modifier of `holder`'s opinion of `of` (a campaign carrying opinions
    /// from one chapter to the next).
    pub fn set_opinion_modifiers(
        &mut self,
        holder: FactionId,
        of: FactionId,
        modifiers: Vec<OpinionModifier>,
    ) {
        self.touch(holder, of);
        let cell = self.cell(holder, of);
        self.opinions[cell] = modifiers;
    }

    /// Raises a modifier to at least `value` (for standing causes refreshed each turn).
    pub fn refresh_opinion(
        &mut self,
        holder: FactionId,
        of: FactionId,
        cause: OpinionCause,
        value: i32,
    ) {
        let cell = self.cell(holder, of);
        let current = self.opinions[cell]
            .iter()
            .find(|m| m.cause == cause)
            .map_or(0, |m| m.value);
        if current < value {
            self.add_opinion(holder, of, cause, value - current);
        }
    }

    /// Moves every non-permanent modifier `step` points toward zero, dropping spent ones.
    /// Only the pairs ever given an opinion hold any, so only theirs are gone through.
    pub fn decay_opinions(&mut self, step: i32) {
        let n = self.factions;
        for (a, b) in Self::pairs(&self.touched, n) {
            for cell in [a * n + b, b * n + a] {
                Self::decay(&mut self.opinions[cell], step);
            }
        }
    }

    fn decay(list: &mut Vec<OpinionModifier>, step: i32) {
        list.retain_mut(|m| {
            if !m.permanent {
                m.value = if m.value > 0 {
                    (m.value - step).max(0)
                } else {
                    (m.value + step).min(0)
                };
            }
            m.value != 0
        });
    }

    /// Every faction's enemies, each list in id order, found from the pairs ever set (a pair
    /// never set is at peace): what this costs is the relations that exist, where asking
    /// [`Self::enemies`] of every faction reads every pair of factions.
    pub fn all_enemies(&self) -> Vec<Vec<FactionId>> {
        let mut out = vec![Vec::new(); self.factions];
        // The pairs come in id order, lower id first, so each faction's list is filled in
        // order: first the lower ids it fights (as the pair's higher), then the higher ones.
        for (a, b) in self.touched_pairs() {
            let (fa, fb) = (FactionId::from_index(a), FactionId::from_index(b));
            if self.at_war(fa, fb) {
                out[a].push(fb);
                out[b].push(fa);
            }
        }
        out
    }

    /// Every pair of factions allied to each other, lower id first, in id order: found, as
    /// [`Self::all_enemies`] finds the wars, from the pairs ever set.
    pub fn allied_pairs(&self) -> impl Iterator<Item = (FactionId, FactionId)> + '_ {
        self.touched_pairs()
            .map(|(a, b)| (FactionId::from_index(a), FactionId::from_index(b)))
            .filter(|&(a, b)| self.friendly(a, b))
    }

    /// The factions this one is at war with, in id order.
    pub fn enemies(&self, of: FactionId) -> impl Iterator<Item = FactionId> + '_ {
        (0..self.factions)
            .map(FactionId::from_index)
            .filter(move |&b| self.at_war(of, b))
    }

    /// An alliance by id.
    pub fn alliance(&self, id: AllianceId) -> Option<&Alliance> {
        self.alliances.get(id.index())
    }

    /// The alliances a faction belongs to now.
    pub fn alliances_of(&self, faction: FactionId) -> impl Iterator<Item = AllianceId> + '_ {
        self.alliances
            .iter()
            .enumerate()
            .filter(move |(_, a)| {
                a.dissolved.is_none() && a.members.binary_search(&faction).is_ok()
            })
            .map(|(i, _)| AllianceId::from_index(i))
    }

    /// The joint command a fleet is assigned to, if it still exists.
    pub fn command(&self, assignment: super::fleet::Assignment) -> Option<&JointCommand> {
        self.alliance(assignment.alliance)
            .and_then(|a| a.commands.get(assignment.command as usize))
    }

    /// Founds an alliance; its members become allies of each other.
    pub fn form_alliance(
        &mut self,
        key: String,
        name: String,
        members: &[FactionId],
        keeps_wars: bool,
        turn: u32,
    ) -> AllianceId {
        let id = AllianceId::from_index(self.alliances.len());
        let mut members = members.to_vec();
        members.sort_unstable();
        members.dedup();
        self.alliances.push(Alliance {
            key,
            name,
            members: Vec::new(),
            chair: None,
            hq: None,
            commands: Vec::new(),
            founded: turn,
            dissolved: None,
            keeps_wars,
        });
        for m in members {
            self.join_alliance(id, m, turn);
        }
        id
    }

    /// Admits a faction: it becomes the ally of every member (but of those it is at war with,
    /// in an alliance that keeps wars). Returns false if it already was one.
    pub fn join_alliance(&mut self, id: AllianceId, faction: FactionId, turn: u32) -> bool {
        let alliance = &mut self.alliances[id.index()];
        let keeps_wars = alliance.keeps_wars;
        let Err(at) = alliance.members.binary_search(&faction) else {
            return false;
        };
        alliance.members.insert(at, faction);
        for other in self.alliances[id.index()].members.clone() {
            if keeps_wars && self.at_war(faction, other) {
                continue;
            }
            self.set_stance(faction, other, Stance::Alliance, turn);
        }
        true
    }

    /// A faction leaves: it is at peace with the members it no longer shares an alliance with.
    pub fn leave_alliance(&mut self, id: AllianceId, faction: FactionId, turn: u32) -> bool {
        let alliance = &mut self.alliances[id.index()];
        let Ok(at) = alliance.members.binary_search(&faction) else {
            return false;
        };
        alliance.members.remove(at);
        for cmd in &mut alliance.commands {
            cmd.members.retain(|&m| m != faction);
        }
        for other in alliance.members.clone() {
            let still_allied = self
                .alliances_of(faction)
                .any(|a| self.alliances[a.index()].members.contains(&other));
            if !still_allied {
                self.set_stance(faction, other, Stance::Peace, turn);
            }
        }
        true
    }

    /// Records a signed treaty and returns its id.
    pub fn record_treaty(&mut self, treaty: Treaty) -> TreatyId {
        let id = TreatyId::from_index(self.treaties.len());
        self.treaties.push(treaty);
        id
    }

    /// Files a proposal and returns its id.
    pub fn file_proposal(&mut self, mut proposal: Proposal) -> ProposalId {
        let id = ProposalId(self.next_proposal);
        self.next_proposal += 1;
        proposal.id = id;
        self.proposals.push(proposal);
        id
    }

    /// A pending proposal.
    pub fn proposal(&self, id: ProposalId) -> Option<&Proposal> {
        self.proposals.iter().find(|p| p.id == id)
    }

    /// Every block where a cease-fire holds between two powers at war, in block order, with
    /// the pairs it binds there (in faction order).
    pub fn ceasefire_blocks(&self) -> Vec<(BlockId, Vec<(FactionId, FactionId)>)> {
        let mut out: Vec<(BlockId, Vec<(FactionId, FactionId)>)> = Vec::new();
        // Only a pair ever set can be at war: the pairs set, in id order, lower id first.
        for (a, b) in self.touched_pairs() {
            let (fa, fb) = (FactionId::from_index(a), FactionId::from_index(b));
            let rel = self.relation(fa, fb);
            if rel.stance != Stance::War {
                continue;
            }
            for &block in &rel.ceasefire_blocks {
                match out.iter_mut().find(|(x, _)| *x == block) {
                    Some((_, pairs)) => pairs.push((fa, fb)),
                    None => out.push((block, vec![(fa, fb)])),
                }
            }
        }
        out.sort_by_key(|(b, _)| *b);
        out
    }

    /// Proposals waiting for this faction's answer.
    pub fn proposals_to(&self, faction: FactionId) -> impl Iterator<Item = &Proposal> + '_ {
        self.proposals.iter().filter(move |p| {
            p.to.contains(&faction) && !p.answers.iter().any(|(f, _)| *f == faction)
        })
    }

    /// In-force treaties that both factions signed.
    pub fn treaties_between(
        &self,
        a: FactionId,
        b: FactionId,
    ) -> impl Iterator<Item = TreatyId> + '_ {
        self.treaties
            .iter()
            .enumerate()
            .filter(move |(_, t)| {
                t.breach.is_none() && t.signatories.contains(&a) && t.signatories.contains(&b)
            })
            .map(|(i, _)| TreatyId::from_index(i))
    }

    /// The most recent turn `faction` broke a treaty, if ever.
    pub fn last_breach_by(&self, faction: FactionId) -> Option<u32> {
        self.treaties
            .iter()
            .filter_map(|t| t.breach.filter(|b| b.by == faction).map(|b| b.turn))
            .max()
    }

    /// Marks treaties broken by `by` to the harm of `victim`, and moves every faction's opinion
    /// of the breaker: the victim most, the other signatories less, every other faction a
    /// little. Each change is reported.
    pub fn break_treaties(
        &mut self,
        treaties: &[TreatyId],
        by: FactionId,
        victim: FactionId,
        turn: u32,
        rules: &Rules,
        out: &mut Vec<GameEvent>,
    ) {
        for &id in treaties {
            let treaty = &mut self.treaties[id.index()];
            if treaty.breach.is_some() {
                continue;
            }
            treaty.breach = Some(Breach { by, turn });
            let signatories = treaty.signatories.clone();
            let mut changes = Vec::new();
            for holder in (0..self.factions)
                .map(FactionId::from_index)
                .filter(|&f| f != by)
            {
                let (cause, value) = if holder == victim {
                    (OpinionCause::BrokeFaithWithUs, rules.breach_victim_opinion)
                } else if signatories.contains(&holder) {
                    (OpinionCause::BrokeOurTreaty, rules.breach_party_opinion)
                } else {
                    (
                        OpinionCause::BrokeFaithElsewhere,
                        rules.breach_witness_opinion,
                    )
                };
                self.add_opinion(holder, by, cause, value);
                changes.push((holder, value));
            }
            out.push(GameEvent::TreatyBroken {
                treaty: id,
                by,
                victim,
                opinion: changes,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_loaded_table_answers_as_the_one_saved() {
        let (a, b, c) = (FactionId(0), FactionId(1), FactionId(2));
        let mut d = Diplomacy::new(3);
        d.set_stance(a, b, Stance::War, 1);
        d.add_ceasefire_blocks(a, b, &[BlockId(4)]);
        d.set_stance(b, c, Stance::Alliance, 2);
        let text = ron::to_string(&d).expect("serialises");
        let loaded: Diplomacy = ron::from_str(&text).expect("reads back");
        assert_eq!(loaded, d);
        for x in [&d, &loaded] {
            assert!(x.hostile_in(a, b, BlockId(3)));
            assert!(
                !x.hostile_in(b, a, BlockId(4)),
                "the cease-fire holds there"
            );
            assert!(x.ceasefire_in(a, b, BlockId(4)));
            assert!(x.friendly(c, b) && !x.friendly(a, c));
            assert_eq!(x.stance(a, c), Stance::Peace);
        }
        d.set_stance(a, b, Stance::Peace, 3);
        assert!(!d.hostile_in(a, b, BlockId(3)) && !d.ceasefire_in(a, b, BlockId(4)));
    }

    #[test]
    fn enemies_and_truces_are_found_from_the_pairs_set() {
        let n = 7;
        let f = FactionId::from_index;
        let mut d = Diplomacy::new(n);
        // Wars declared out of order, one of them ended, and an alliance (a pair set, not at war).
        for (a, b) in [(5, 1), (0, 6), (3, 2), (1, 3), (6, 1), (4, 0)] {
            d.set_stance(f(a), f(b), Stance::War, 1);
        }
        d.set_stance(f(4), f(0), Stance::Peace, 2);
        d.set_stance(f(2), f(5), Stance::Alliance, 2);
        let each = |d: &Diplomacy| -> Vec<Vec<FactionId>> {
            (0..n).map(|c| d.enemies(f(c)).collect()).collect()
        };
        let all = d.all_enemies();
        assert_eq!(all, each(&d));
        assert_eq!(
            all[1],
            vec![f(3), f(5), f(6)],
            "in id order, either side of 1"
        );
        assert!(all[4].is_empty(), "the war with 0 ended");
        // The cease-fires in blocks, found the same way: by block, the pairs in id order.
        d.add_ceasefire_blocks(f(6), f(1), &[BlockId(2)]);
        d.add_ceasefire_blocks(f(5), f(1), &[BlockId(2), BlockId(0)]);
        let truces = vec![
            (BlockId(0), vec![(f(1), f(5))]),
            (BlockId(2), vec![(f(1), f(5)), (f(1), f(6))]),
        ];
        assert_eq!(d.ceasefire_blocks(), truces);
        let loaded: Diplomacy =
            ron::from_str(&ron::to_string(&d).expect("serialises")).expect("reads back");
        assert_eq!(
            loaded.all_enemies(),
            all,
            "a loaded table lists its pairs again"
        );
        assert_eq!(loaded.ceasefire_blocks(), truces);
    }

    /// The relations in the canonical form, as (pair, digest).
    fn relation_parts(d: &Diplomacy) -> Vec<(String, [u8; 32])> {
        let mut sink = crate::core::canonical::Digests::default();
        d.visit(&mut sink);
        sink.parts
            .into_iter()
            .filter(|(p, _)| matches!(p, crate::core::canonical::Part::Relation(..)))
            .map(|(p, h)| (p.to_string(), h))
            .collect()
    }

    #[test]
    fn the_canonical_form_names_the_relations_that_differ_from_the_default() {
        let (a, b, c, e) = (FactionId(0), FactionId(1), FactionId(2), FactionId(3));
        let mut d = Diplomacy::new(4);
        assert!(
            relation_parts(&d).is_empty(),
            "four powers at peace: no relation to name"
        );
        d.set_stance(a, c, Stance::War, 1);
        let parts = relation_parts(&d);
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].0, "relation:0-2");
        // One side's opinion alone brings a pair in, and changes what the form holds.
        d.add_opinion(e, b, OpinionCause::CommonEnemy, 5);
        let names: Vec<String> = relation_parts(&d).into_iter().map(|p| p.0).collect();
        assert_eq!(names, ["relation:0-2", "relation:1-3"]);
        // A peace made during the game is not the default: it began on a turn.
        d.set_stance(a, c, Stance::Peace, 4);
        let at_peace = relation_parts(&d);
        assert_eq!(at_peace.len(), 2);
        assert_ne!(at_peace[0].1, parts[0].1);
        d.decay_opinions(5);
        let names: Vec<String> = relation_parts(&d).into_iter().map(|p| p.0).collect();
        assert_eq!(
            names,
            ["relation:0-2"],
            "a spent opinion leaves the pair at the default"
        );
    }

    #[test]
    fn pairs_are_named_and_aged_in_id_order_however_they_were_set_and_after_a_load() {
        let f = FactionId;
        let mut d = Diplomacy::new(5);
        d.add_opinion(f(4), f(3), OpinionCause::CommonEnemy, 6);
        d.set_stance(f(2), f(0), Stance::War, 1);
        d.add_opinion(f(0), f(1), OpinionCause::CommonEnemy, 3);
        let names =
            |d: &Diplomacy| -> Vec<String> { relation_parts(d).into_iter().map(|p| p.0).collect() };
        assert_eq!(names(&d), ["relation:0-1", "relation:0-2", "relation:3-4"]);
        let text = ron::to_string(&d).expect("serialises");
        let mut loaded: Diplomacy = ron::from_str(&text).expect("reads back");
        assert_eq!(relation_parts(&loaded), relation_parts(&d));
        // The table loaded ages the opinions the one saved holds, and no others.
        d.decay_opinions(3);
        loaded.decay_opinions(3);
        assert_eq!(loaded, d);
        assert_eq!(names(&loaded), ["relation:0-2", "relation:3-4"]);
        assert_eq!((d.opinion(f(4), f(3)), d.opinion(f(0), f(1))), (3, 0));
    }
}
