//! Digests of each part of the world's canonical form (see [`crate::core::canonical`]): a
//! short hash per sector, fleet, faction, character, relation, treaty, alliance, proposal,
//! the calendar, the dice, the script's parts and the fixed half, written into replays so that
//! a replay that parts from its recording can say which of them differ, and describe them
//! before and after.

use std::collections::BTreeMap;

use crate::core::canonical::{self, Digests};
use crate::core::ids::FactionId;
use crate::core::state::WorldState;

fn short(hash: &[u8; 32]) -> String {
    hash.iter().take(4).map(|b| format!("{b:02x}")).collect()
}

/// Every changing part of the world with its short hash, and the fixed half's, as `tag=hash`
/// pairs in tag order.
pub fn digests(state: &WorldState) -> BTreeMap<String, String> {
    let (_, changing) = canonical::of_state(state);
    let mut sink = Digests::default();
    changing.visit(&mut sink);
    let mut out: BTreeMap<String, String> = sink
        .parts
        .iter()
        .map(|(part, hash)| (part.to_string(), short(hash)))
        .collect();
    out.insert(
        canonical::Part::Fixed.to_string(),
        short(&crate::core::hash::fixed_digest(state)),
    );
    out
}

/// Digests as one line: `tag=hash tag=hash ...`.
pub fn to_line(digests: &BTreeMap<String, String>) -> String {
    digests
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A line of digests back into pairs; malformed pairs are skipped.
pub fn from_line(line: &str) -> BTreeMap<String, String> {
    line.split_whitespace()
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn faction(state: &WorldState, f: Option<FactionId>) -> String {
    f.and_then(|f| state.factions.get(f.index()))
        .map_or_else(|| "no one".into(), |f| f.key.clone())
}

/// A part of the world in words, or "absent" if it is not there.
pub fn describe(state: &WorldState, tag: &str) -> String {
    let (kind, id) = tag.split_once(':').unwrap_or((tag, ""));
    let index = |s: &str| s.parse::<usize>().ok();
    match kind {
        "sector" => index(id).and_then(|i| state.sectors.get(i)).map_or_else(
            || "absent".into(),
            |s| {
                let mut text = format!(
                    "held by {}, industry {}",
                    faction(state, s.owner),
                    s.industry
                );
                if s.shipyard {
                    text.push_str(", shipyard");
                }
                if let Some(o) = s.occupation {
                    text.push_str(&format!(
                        ", occupied by {} since turn {}",
                        faction(state, Some(o.by)),
                        o.since
                    ));
                }
                text
            },
        ),
        "fleet" => index(id)
            .and_then(|i| state.fleets.iter().find(|f| f.id.index() == i))
            .map_or_else(
                || "absent (destroyed or not yet built)".into(),
                |f| {
                    format!(
                        "`{}` of {} at {}, strength {}, order {:?}",
                        f.name,
                        faction(state, Some(f.owner)),
                        state.sectors[f.sector.index()].place.key,
                        f.strength,
                        f.task
                    )
                },
            ),
        "faction" => index(id).and_then(|i| state.factions.get(i)).map_or_else(
            || "absent".into(),
            |f| match f.defeated {
                Some(t) => format!("{}: defeated on turn {t}", f.key),
                None => format!("{}: treasury {}", f.key, f.treasury),
            },
        ),
        "relation" => {
            let pair = id
                .split_once('-')
                .and_then(|(a, b)| Some((index(a)?, index(b)?)));
            match pair {
                Some((a, b)) if a < state.factions.len() && b < state.factions.len() => {
                    let (fa, fb) = (FactionId::from_index(a), FactionId::from_index(b));
                    let rel = state.diplomacy.relation(fa, fb);
                    let blocks: Vec<&str> = rel
                        .ceasefire_blocks
                        .iter()
                        .map(|b| state.blocks[b.index()].key.as_str())
                        .collect();
                    format!(
                        "{}–{}: {:?}{}, opinions {} and {}",
                        state.factions[a].key,
                        state.factions[b].key,
                        rel.stance,
                        if blocks.is_empty() {
                            String::new()
                        } else {
                            format!(" with a cease-fire in {}", blocks.join(", "))
                        },
                        state.diplomacy.opinion(fa, fb),
                        state.diplomacy.opinion(fb, fa)
                    )
                }
                _ => "absent".into(),
            }
        }
        "alliance" => index(id)
            .and_then(|i| state.diplomacy.alliances.get(i))
            .map_or_else(
                || "absent".into(),
                |a| {
                    let members: Vec<String> =
                        a.members.iter().map(|&m| faction(state, Some(m))).collect();
                    format!("the {}: {}", a.name, members.join(", "))
                },
            ),
        "character" => index(id)
            .and_then(|i| state.characters.get(i))
            .map_or_else(|| "absent".into(), |c| format!("{}: {:?}", c.key, c.fate)),
        "script" => match id {
            "flags" => format!("flags {:?}", state.script.flags),
            "fired" => format!(
                "{} events fired",
                state.script.fired.iter().flatten().count()
            ),
            "delayed" => format!("{} events waiting out a delay", state.script.delayed.len()),
            "choices" => format!("{} choices awaiting answers", state.script.choices.len()),
            "events" => format!("{} events", state.script.events.len()),
            "pacts" => format!("{} secret pacts", state.script.pacts.len()),
            _ => "unknown".into(),
        },
        "treaty" => index(id)
            .and_then(|i| state.diplomacy.treaties.get(i))
            .map_or_else(
                || "absent".into(),
                |t| {
                    let signatories: Vec<String> = t
                        .signatories
                        .iter()
                        .map(|&f| faction(state, Some(f)))
                        .collect();
                    format!(
                        "{}, signed on turn {} by {}{}",
                        t.name,
                        t.signed,
                        signatories.join(", "),
                        if t.breach.is_some() { ", broken" } else { "" }
                    )
                },
            ),
        "proposal" => index(id)
            .and_then(|i| state.diplomacy.proposals.get(i))
            .map_or_else(
                || "absent".into(),
                |p| {
                    format!(
                        "{} from {}, made on turn {}, {} answers",
                        p.name,
                        faction(state, Some(p.from)),
                        p.made,
                        p.answers.len()
                    )
                },
            ),
        "calendar" => format!(
            "turn {} of {}, {}",
            state.calendar.turn,
            state.calendar.last_turn,
            state.calendar.date()
        ),
        "dice" => format!("{} words drawn", state.dice.word_pos),
        "next-fleet" => format!("the next fleet built is fleet {}", state.next_fleet),
        "tables" => format!(
            "{} proposals waiting, {} treaties",
            state.diplomacy.proposals.len(),
            state.diplomacy.treaties.len()
        ),
        "scenario" => format!("{:?}", state.scenario),
        "rules" => format!("{:?}", state.rules),
        "fixed" => "the map, and the names of factions, links and characters".into(),
        "links" => {
            let open: Vec<&str> = state
                .links
                .iter()
                .filter(|l| l.open)
                .map(|l| l.key.as_str())
                .collect();
            format!(
                "open: {}",
                if open.is_empty() {
                    "none".into()
                } else {
                    open.join(", ")
                }
            )
        }
        _ => "unknown".into(),
    }
}
