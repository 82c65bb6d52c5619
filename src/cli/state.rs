//! `--state`: the world as one JSON object with names rather than numbers — a public shape for
//! modders and tools (the README documents it). Everything is by id (`klingon`, `sol`):
//!
//! - `scenario`, `title`, `date` (the month of the turn to come, or of the last one played
//!   when the scenario is over), `turn`, `last_turn`, `seed`, `outcome`;
//! - `sectors`: `id`, `name`, `block`, `owner`, `occupier`, `industry`, `shipyard`;
//! - `fleets`: `id`, `name`, `owner`, `sector`, `strength`, `speed`, `commander`, `command`;
//! - `factions`: `id`, `name`, `treasury`, `capital`, `defeated` (the turn, or null);
//! - `relations`: one per pair: `between`, `stance`, `since`, `ceasefire_blocks`, and
//!   `opinions` (what each thinks of the other);
//! - `treaties`: `name`, `signatories`, `signed` (a date), `broken_by`;
//! - `alliances`: `id`, `name`, `members`, `chair`, `hq`, `keeps_wars`, `dissolved`,
//!   `commands` (`id`, `name`, `members`, `commander`);
//! - `characters`: `id`, `name`, `faction`, `role`, `alive`, `died` and `traitor_since`
//!   (dates, or null);
//! - `flags`.

use serde_json::{Value, json};

use crate::core::diplomacy::Stance;
use crate::core::ids::FactionId;
use crate::core::state::WorldState;

/// The world as JSON with names.
pub fn world_json(state: &WorldState) -> Value {
    let faction = |f: FactionId| state.factions[f.index()].key.clone();
    let sector = |s: crate::core::ids::SectorId| state.sectors[s.index()].place.key.to_string();
    let character = |c: crate::core::ids::CharacterId| state.characters[c.index()].key.clone();
    let cal = &state.calendar;
    let shown_turn = state
        .scenario
        .outcome
        .as_ref()
        .map_or(cal.turn, |o| o.turn)
        .min(cal.last_turn.max(1));
    let sectors: Vec<Value> = state
        .sectors
        .iter()
        .map(|s| {
            json!({
                "id": &*s.place.key,
                "name": &*s.place.name,
                "block": state.blocks[s.place.block.index()].key,
                "owner": s.owner.map(faction),
                "occupier": s.occupation.map(|o| faction(o.by)),
                "industry": s.industry,
                "shipyard": s.shipyard,
            })
        })
        .collect();
    let fleets: Vec<Value> = state
        .fleets
        .iter()
        .map(|f| {
            let command = f.assignment.and_then(|a| {
                state.diplomacy.alliances[a.alliance.index()]
                    .commands
                    .get(a.command as usize)
                    .map(|c| c.key.clone())
            });
            json!({
                "id": f.key,
                "name": f.name,
                "owner": faction(f.owner),
                "sector": sector(f.sector),
                "strength": f.strength,
                "speed": f.speed,
                "commander": f.commander.map(character),
                "command": command,
            })
        })
        .collect();
    let factions: Vec<Value> = state
        .factions
        .iter()
        .map(|f| {
            json!({
                "id": f.key,
                "name": f.name,
                "treasury": f.treasury,
                "capital": f.capital.map(sector),
                "defeated": f.defeated,
            })
        })
        .collect();
    let n = state.factions.len();
    let mut relations = Vec::new();
    for a in 0..n {
        for b in a + 1..n {
            let (fa, fb) = (FactionId::from_index(a), FactionId::from_index(b));
            let rel = state.diplomacy.relation(fa, fb);
            let stance = match rel.stance {
                Stance::War => "war",
                Stance::CeaseFire => "cease-fire",
                Stance::Peace => "peace",
                Stance::Alliance => "alliance",
            };
            relations.push(json!({
                "between": [faction(fa), faction(fb)],
                "stance": stance,
                "since": rel.since,
                "ceasefire_blocks": rel
                    .ceasefire_blocks
                    .iter()
                    .map(|b| state.blocks[b.index()].key.clone())
                    .collect::<Vec<_>>(),
                "opinions": {
                    faction(fa): state.diplomacy.opinion(fa, fb),
                    faction(fb): state.diplomacy.opinion(fb, fa),
                },
            }));
        }
    }
    let treaties: Vec<Value> = state
        .diplomacy
        .treaties
        .iter()
        .map(|t| {
            json!({
                "name": t.name,
                "signatories": t.signatories.iter().map(|&f| faction(f)).collect::<Vec<_>>(),
                "signed": cal.date_of(t.signed.max(1)).to_string(),
                "broken_by": t.breach.map(|b| faction(b.by)),
            })
        })
        .collect();
    let alliances: Vec<Value> = state
        .diplomacy
        .alliances
        .iter()
        .map(|a| {
            json!({
                "id": a.key,
                "name": a.name,
                "members": a.members.iter().map(|&f| faction(f)).collect::<Vec<_>>(),
                "chair": a.chair.map(character),
                "hq": a.hq.map(sector),
                "keeps_wars": a.keeps_wars,
                "dissolved": a.dissolved.is_some(),
                "commands": a.commands.iter().map(|c| json!({
                    "id": c.key,
                    "name": c.name,
                    "members": c.members.iter().map(|&f| faction(f)).collect::<Vec<_>>(),
                    "commander": c.commander.map(character),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let characters: Vec<Value> = state
        .characters
        .iter()
        .map(|c| {
            json!({
                "id": c.key,
                "name": c.name,
                "faction": c.faction.map(faction),
                "role": c.role,
                "alive": c.fate.alive(),
                "died": c.fate.died.map(|t| cal.date_of(t.max(1)).to_string()),
                "traitor_since": c.fate.traitor_since.map(|t| cal.date_of(t.max(1)).to_string()),
            })
        })
        .collect();
    json!({
        "scenario": state.scenario.id,
        "title": state.scenario.title,
        "date": cal.date_of(shown_turn).to_string(),
        "turn": cal.turn,
        "last_turn": cal.last_turn,
        "seed": state.scenario.seed,
        "outcome": state.scenario.outcome.as_ref().map(|o| json!({
            "winners": o.winners.iter().map(|&f| faction(f)).collect::<Vec<_>>(),
            "turn": o.turn,
            "note": o.note,
        })),
        "sectors": sectors,
        "fleets": fleets,
        "factions": factions,
        "relations": relations,
        "treaties": treaties,
        "alliances": alliances,
        "characters": characters,
        "flags": state.script.flags.iter().collect::<Vec<_>>(),
    })
}
