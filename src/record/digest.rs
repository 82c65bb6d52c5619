//! Digests of each part of the world: a short hash per fleet, sector, faction, relation,
//! alliance and character, written into replays so that a replay that parts from its
//! recording can say which of them differ, and describe them before and after.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::core::ids::FactionId;
use crate::core::state::WorldState;

fn short<T: Serialize>(value: &T) -> String {
    let bytes = postcard::to_allocvec(value).expect("serialising into memory cannot fail");
    blake3::hash(&bytes).to_hex()[..8].to_owned()
}

/// Every part of the world with its short hash, as `tag=hash` pairs in tag order.
pub fn digests(state: &WorldState) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (i, s) in state.sectors.iter().enumerate() {
        out.insert(
            format!("sector:{i}"),
            short(&(s.owner, s.industry, s.shipyard, s.occupation)),
        );
    }
    for f in &state.fleets {
        out.insert(format!("fleet:{}", f.id.0), short(f));
    }
    for (i, f) in state.factions.iter().enumerate() {
        out.insert(
            format!("faction:{i}"),
            short(&(f.capital, f.treasury, f.defeated)),
        );
    }
    let n = state.factions.len();
    for a in 0..n {
        for b in a + 1..n {
            let (fa, fb) = (FactionId::from_index(a), FactionId::from_index(b));
            let rel = state.diplomacy.relation(fa, fb);
            let opinions = (
                state.diplomacy.opinion(fa, fb),
                state.diplomacy.opinion(fb, fa),
            );
            out.insert(format!("relation:{a}-{b}"), short(&(rel, opinions)));
        }
    }
    for (i, a) in state.diplomacy.alliances.iter().enumerate() {
        out.insert(format!("alliance:{i}"), short(a));
    }
    for (i, c) in state.characters.iter().enumerate() {
        out.insert(format!("character:{i}"), short(&(c.faction, &c.fate)));
    }
    out.insert("script".into(), short(&state.script));
    out.insert(
        "links".into(),
        short(&state.links.iter().map(|l| l.open).collect::<Vec<_>>()),
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
        "script" => format!(
            "flags {:?}, {} events fired",
            state.script.flags,
            state.script.fired.iter().flatten().count()
        ),
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
