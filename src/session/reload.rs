//! Content changed while a game is in progress: what of the new content a game can take at a
//! turn boundary, and what it cannot.
//!
//! A game keeps its map, its powers and what has happened in it: owners, fleets, treasuries,
//! relations, what has fired. It takes from the changed content what does not undo that: the
//! rules, the scenario's events and pacts (matched by id, so an event that has fired stays
//! fired), its objectives, title and last turn, and the names and colours of everything.
//! Characters may be added at the end of the roster. A change to the map's sectors, blocks or
//! links, or to the powers taking part, cannot be played in a game already under way; it is
//! refused with the reason, and the game goes on as it was.

use std::collections::BTreeMap;

use crate::core::script::Script;
use crate::core::state::WorldState;

/// A world with the changed content taken in, and what changed, in words.
#[derive(Clone, Debug)]
pub struct Merged {
    /// The world to play on.
    pub world: WorldState,
    /// What the game took from the change (empty when nothing it plays changed).
    pub changes: Vec<String>,
}

/// Why a change cannot be played in a game under way.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{what}; a game under way keeps its {keeps}: start it again to play the change")]
pub struct Refused {
    /// What changed.
    pub what: String,
    /// What a game keeps.
    pub keeps: &'static str,
}

fn refuse(what: impl Into<String>, keeps: &'static str) -> Refused {
    Refused {
        what: what.into(),
        keeps,
    }
}

/// The first key in `a` and not in `b`, or that stands elsewhere.
fn first_difference<'a>(a: &'a [&'a str], b: &[&str]) -> Option<String> {
    for (i, key) in a.iter().enumerate() {
        match b.iter().position(|k| k == key) {
            None => return Some(format!("`{key}` is gone")),
            Some(j) if j != i => return Some(format!("`{key}` has moved")),
            _ => {}
        }
    }
    b.get(a.len()).map(|k| format!("`{k}` is new"))
}

/// Takes the changed content of a chapter (`fresh`, its start as the files now set it up)
/// into the world of a game of that chapter under way (`old`).
pub fn merge(old: &WorldState, fresh: &WorldState) -> Result<Merged, Refused> {
    if old.scenario.id != fresh.scenario.id {
        return Err(refuse(
            format!(
                "the chapter's scenario is now `{}`, not `{}`",
                fresh.scenario.id, old.scenario.id
            ),
            "scenarios",
        ));
    }
    let keys = |w: &WorldState| -> Vec<String> {
        w.sectors.iter().map(|s| s.place.key.to_string()).collect()
    };
    let (a, b) = (keys(old), keys(fresh));
    let (a, b): (Vec<&str>, Vec<&str>) = (
        a.iter().map(String::as_str).collect(),
        b.iter().map(String::as_str).collect(),
    );
    if let Some(d) = first_difference(&a, &b) {
        return Err(refuse(format!("the map's sectors changed: {d}"), "map"));
    }
    for (x, y) in old.sectors.iter().zip(&fresh.sectors) {
        if x.place.hex != y.place.hex || x.place.block != y.place.block {
            return Err(refuse(
                format!("sector `{}` has moved on the map", x.place.key),
                "map",
            ));
        }
    }
    let blocks = |w: &WorldState| w.blocks.iter().map(|b| b.key.clone()).collect::<Vec<_>>();
    if blocks(old) != blocks(fresh) {
        return Err(refuse("the map's sector blocks changed", "map"));
    }
    let links_same = old.links.len() == fresh.links.len()
        && old
            .links
            .iter()
            .zip(&fresh.links)
            .all(|(x, y)| x.key == y.key && x.ends == y.ends && x.kind == y.kind);
    if !links_same {
        return Err(refuse("the map's links changed", "map"));
    }
    let factions = |w: &WorldState| w.factions.iter().map(|f| f.key.clone()).collect::<Vec<_>>();
    let (a, b) = (factions(old), factions(fresh));
    if a != b {
        let (a, b): (Vec<&str>, Vec<&str>) = (
            a.iter().map(String::as_str).collect(),
            b.iter().map(String::as_str).collect(),
        );
        let d = first_difference(&a, &b).unwrap_or_default();
        return Err(refuse(
            format!("the powers taking part changed: {d}"),
            "powers",
        ));
    }
    let characters_kept = old.characters.len() <= fresh.characters.len()
        && old
            .characters
            .iter()
            .zip(&fresh.characters)
            .all(|(x, y)| x.key == y.key);
    if !characters_kept {
        return Err(refuse(
            "characters were removed or reordered (new ones may only be added at the end)",
            "characters",
        ));
    }

    let mut world = old.clone();
    let mut changes = Vec::new();
    if world.scenario.title != fresh.scenario.title {
        changes.push(format!("the title is now \"{}\"", fresh.scenario.title));
        world.scenario.title = fresh.scenario.title.clone();
    }
    if world.scenario.goals != fresh.scenario.goals
        || world.scenario.playable != fresh.scenario.playable
    {
        changes.push("objectives".to_owned());
        world.scenario.goals = fresh.scenario.goals.clone();
        world.scenario.playable = fresh.scenario.playable.clone();
    }
    let last = fresh.calendar.last_turn.max(world.calendar.turn);
    if world.calendar.last_turn != last {
        changes.push(format!("the last turn is now {last}"));
        world.calendar.last_turn = last;
    }
    if world.rules != fresh.rules {
        changes.push("rules".to_owned());
        world.rules = fresh.rules.clone();
    }
    let mut renamed = false;
    for (f, n) in world.factions.iter_mut().zip(&fresh.factions) {
        if f.name != n.name || f.colour != n.colour || f.personality != n.personality {
            renamed = true;
            f.name = n.name.clone();
            f.colour = n.colour;
            f.personality = n.personality;
        }
    }
    for (s, n) in world.sectors.iter_mut().zip(&fresh.sectors) {
        if s.place != n.place {
            renamed = true;
            s.place = n.place.clone();
        }
    }
    for (b, n) in world.blocks.iter_mut().zip(&fresh.blocks) {
        if b.name != n.name {
            renamed = true;
            b.name = n.name.clone();
        }
    }
    for (c, n) in world.characters.iter_mut().zip(&fresh.characters) {
        if c.name != n.name || c.role != n.role {
            renamed = true;
            c.name = n.name.clone();
            c.role = n.role.clone();
        }
    }
    let fleet_names: BTreeMap<&str, &str> = fresh
        .fleets
        .iter()
        .map(|f| (f.key.as_str(), f.name.as_str()))
        .collect();
    for f in &mut world.fleets {
        if let Some(name) = fleet_names.get(f.key.as_str())
            && f.name != *name
        {
            renamed = true;
            f.name = (*name).to_owned();
        }
    }
    if renamed {
        changes.push("names and colours".to_owned());
    }
    let added = fresh.characters.len() - old.characters.len();
    if added > 0 {
        changes.push(format!("{added} new character(s)"));
        world
            .characters
            .extend(fresh.characters[old.characters.len()..].iter().cloned());
    }
    if let Some(said) = merge_script(&mut world.script, &fresh.script) {
        changes.push(said);
    }
    Ok(Merged { world, changes })
}

/// The fresh script's events and pacts, with what has fired, waits or was revealed carried
/// over by id; what changed, in words.
fn merge_script(script: &mut Script, fresh: &Script) -> Option<String> {
    let old_index: BTreeMap<&str, usize> = script
        .events
        .iter()
        .enumerate()
        .map(|(i, e)| (e.key.as_str(), i))
        .collect();
    let new_index: BTreeMap<&str, usize> = fresh
        .events
        .iter()
        .enumerate()
        .map(|(i, e)| (e.key.as_str(), i))
        .collect();
    let (mut changed, mut added) = (0, 0);
    for e in &fresh.events {
        match old_index.get(e.key.as_str()) {
            Some(&i) if script.events[i] != *e => changed += 1,
            Some(_) => {}
            None => added += 1,
        }
    }
    let removed = script
        .events
        .iter()
        .filter(|e| !new_index.contains_key(e.key.as_str()))
        .count();
    let pacts_changed = script.pacts.len() != fresh.pacts.len()
        || script
            .pacts
            .iter()
            .zip(&fresh.pacts)
            .any(|(a, b)| a.key != b.key || a.name != b.name || a.terms != b.terms);
    let reordered = script
        .events
        .iter()
        .map(|e| &e.key)
        .ne(fresh.events.iter().map(|e| &e.key));
    if changed + added + removed == 0 && !pacts_changed && !reordered {
        return None;
    }
    let moved = |i: usize| new_index.get(script.events[i].key.as_str()).copied();
    let fired = fresh
        .events
        .iter()
        .map(|e| {
            old_index
                .get(e.key.as_str())
                .and_then(|&i| script.fired.get(i).copied().flatten())
        })
        .collect();
    let delayed = script
        .delayed
        .iter()
        .filter_map(|d| moved(d.event).map(|event| crate::core::script::Delayed { event, ..*d }))
        .collect();
    let choices = script
        .choices
        .iter()
        .filter_map(|c| {
            moved(c.event).map(|event| crate::core::script::PendingChoice { event, ..*c })
        })
        .collect();
    let revealed: BTreeMap<&str, Option<u32>> = script
        .pacts
        .iter()
        .map(|p| (p.key.as_str(), p.revealed))
        .collect();
    let pacts = fresh
        .pacts
        .iter()
        .map(|p| {
            let mut p = p.clone();
            p.revealed = revealed.get(p.key.as_str()).copied().flatten();
            p
        })
        .collect();
    *script = Script {
        events: fresh.events.clone(),
        pacts,
        fired,
        delayed,
        choices,
        flags: std::mem::take(&mut script.flags),
    };
    let mut parts = Vec::new();
    if changed > 0 {
        parts.push(format!("{changed} changed"));
    }
    if added > 0 {
        parts.push(format!("{added} new"));
    }
    if removed > 0 {
        parts.push(format!("{removed} gone"));
    }
    if parts.is_empty() && reordered {
        parts.push("reordered".to_owned());
    }
    let mut said = if parts.is_empty() {
        String::new()
    } else {
        format!("events: {}", parts.join(", "))
    };
    if pacts_changed {
        if !said.is_empty() {
            said.push_str("; ");
        }
        said.push_str("secret pacts");
    }
    Some(said)
}
