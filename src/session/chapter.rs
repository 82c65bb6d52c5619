//! A campaign's chapters: how each starts, and what it takes over from the end of the one
//! before — surviving fleets, relations and alliances, flags. Factions, sectors, blocks and
//! characters are matched by id, so each chapter may use its own map and cast.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::core::diplomacy::Stance;
use crate::core::fleet::Task;
use crate::core::ids::{AllianceId, BlockId, CharacterId, FactionId, FleetId, SectorId};
use crate::core::state::{FleetState, WorldState};

/// A chapter as it starts, before anything is carried into it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChapterStart {
    /// Its scenario's starting world.
    pub world: WorldState,
    /// What it takes over from the chapter before.
    pub carry: Vec<Carry>,
}

/// What a campaign carries from one chapter to the next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub enum Carry {
    /// Surviving fleets of the factions that take part in both.
    Fleets,
    /// Stances, cease-fires, opinions and alliances between them.
    Relations,
    /// Flags set by events.
    Flags,
}

fn key_map<T>(from: &[T], to: &[T], key: impl Fn(&T) -> &str) -> Vec<Option<usize>> {
    let index: BTreeMap<&str, usize> = to.iter().enumerate().map(|(i, t)| (key(t), i)).collect();
    from.iter().map(|t| index.get(key(t)).copied()).collect()
}

/// Whether a chapter's world had an alliance of this id, or a scripted event that could have
/// founded it.
fn knew_alliance(world: &WorldState, key: &str) -> bool {
    use crate::core::script::{Effect, ScriptClause};
    world.diplomacy.alliances.iter().any(|a| a.key == key)
        || world.script.events.iter().any(|e| {
            let options = e.choice.iter().flat_map(|c| &c.options);
            e.effects
                .iter()
                .chain(options.flat_map(|o| &o.effects))
                .any(|effect| match effect {
                    Effect::FormAlliance { key: k, .. } => k == key,
                    Effect::SignTreaty { clauses, .. } => clauses
                        .iter()
                        .any(|c| matches!(c, ScriptClause::FormAlliance(k, _) if k == key)),
                    _ => false,
                })
        })
}

/// The start of the next chapter, with what `carry` says taken over from the end of the last.
pub fn carry_over(prev: &WorldState, mut next: WorldState, carry: &[Carry]) -> WorldState {
    let faction = key_map(&prev.factions, &next.factions, |f| f.key.as_str());
    let sector = key_map(&prev.sectors, &next.sectors, |s| &s.place.key);
    let block = key_map(&prev.blocks, &next.blocks, |b| b.key.as_str());
    let character = key_map(&prev.characters, &next.characters, |c| c.key.as_str());
    let f = |id: FactionId| faction[id.index()].map(FactionId::from_index);
    let s = |id: SectorId| sector[id.index()].map(SectorId::from_index);
    let b = |id: BlockId| block[id.index()].map(BlockId::from_index);
    let c = |id: CharacterId| character[id.index()].map(CharacterId::from_index);

    if carry.contains(&Carry::Flags) {
        next.script.flags.extend(prev.script.flags.iter().cloned());
    }

    if carry.contains(&Carry::Relations) {
        // The chapter before decides who belongs to the alliances it knew (had, or could have
        // founded): a faction that took part in it and was not a member at its end is not one
        // now, whatever the scenario assumed. Alliances new to this chapter, and factions new
        // to it, are as the scenario gives them.
        for i in 0..next.diplomacy.alliances.len() {
            let id = AllianceId::from_index(i);
            let key = next.diplomacy.alliances[i].key.clone();
            if !knew_alliance(prev, &key) {
                continue;
            }
            let before = prev
                .diplomacy
                .alliances
                .iter()
                .find(|a| a.key == key && a.dissolved.is_none());
            for m in next.diplomacy.alliances[i].members.clone() {
                let member_key = &next.factions[m.index()].key;
                let Some(was) = prev.factions.iter().position(|x| &x.key == member_key) else {
                    continue;
                };
                let was = FactionId::from_index(was);
                if !before.is_some_and(|a| a.members.contains(&was)) {
                    next.diplomacy.leave_alliance(id, m, 0);
                }
            }
            if next.diplomacy.alliances[i].members.is_empty() {
                next.diplomacy.alliances[i].dissolved = Some(0);
            }
        }
        let n = prev.factions.len();
        for a in (0..n).map(FactionId::from_index) {
            for z in (0..n).map(FactionId::from_index) {
                let (Some(na), Some(nz)) = (f(a), f(z)) else {
                    continue;
                };
                if a == z {
                    continue;
                }
                let modifiers = prev.diplomacy.opinion_modifiers(a, z).to_vec();
                next.diplomacy.set_opinion_modifiers(na, nz, modifiers);
                if a < z {
                    let rel = prev.diplomacy.relation(a, z);
                    next.diplomacy.set_stance(na, nz, rel.stance, 0);
                    if rel.stance == Stance::War {
                        let blocks: Vec<BlockId> =
                            rel.ceasefire_blocks.iter().filter_map(|&x| b(x)).collect();
                        next.diplomacy.add_ceasefire_blocks(na, nz, &blocks);
                    }
                }
            }
        }
        for alliance in prev
            .diplomacy
            .alliances
            .iter()
            .filter(|a| a.dissolved.is_none())
        {
            let members: Vec<FactionId> = alliance.members.iter().filter_map(|&m| f(m)).collect();
            if members.is_empty() {
                continue;
            }
            let id = match next
                .diplomacy
                .alliances
                .iter()
                .position(|a| a.key == alliance.key)
            {
                Some(i) => {
                    let id = AllianceId::from_index(i);
                    next.diplomacy.alliances[i].dissolved = None;
                    for &m in &members {
                        next.diplomacy.join_alliance(id, m, 0);
                    }
                    id
                }
                None => next.diplomacy.form_alliance(
                    alliance.key.clone(),
                    alliance.name.clone(),
                    &members,
                    alliance.keeps_wars,
                    0,
                ),
            };
            let target = &mut next.diplomacy.alliances[id.index()];
            target.name = alliance.name.clone();
            target.chair = alliance.chair.and_then(c).or(target.chair);
            target.hq = alliance.hq.and_then(s).or(target.hq);
            for cmd in &alliance.commands {
                if !target.commands.iter().any(|x| x.key == cmd.key) {
                    let mut cmd = cmd.clone();
                    cmd.members = cmd.members.iter().filter_map(|&m| f(m)).collect();
                    cmd.commander = cmd.commander.and_then(c);
                    target.commands.push(cmd);
                }
            }
        }
    }

    if carry.contains(&Carry::Fleets) {
        for fleet in &prev.fleets {
            let Some(owner) = f(fleet.owner) else {
                continue;
            };
            let place = s(fleet.sector).or(next.factions[owner.index()].capital);
            let Some(place) = place else { continue };
            let commander = fleet.commander.and_then(c);
            match next
                .fleets
                .iter_mut()
                .find(|x| x.key == fleet.key && x.owner == owner)
            {
                // The survivor takes the place of the chapter's own fleet of that id.
                Some(own) => {
                    own.strength = fleet.strength;
                    own.commander = commander.or(own.commander);
                }
                None => {
                    let id = FleetId(next.next_fleet);
                    next.next_fleet += 1;
                    next.fleets.push(FleetState {
                        id,
                        key: fleet.key.clone(),
                        name: fleet.name.clone(),
                        owner,
                        sector: place,
                        strength: fleet.strength,
                        speed: fleet.speed,
                        commander,
                        task: Task::Hold,
                        assignment: None,
                    });
                }
            }
        }
    }
    next
}
