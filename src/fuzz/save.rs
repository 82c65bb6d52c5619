//! Mutations of a save's values: ids pointed past their tables, counts that no longer agree,
//! numbers at their limits — each written back with a right checksum, so that only the game's
//! validation stands between the edit and the rules.

use rand::Rng;
use rand::seq::IndexedRandom;

use crate::core::diplomacy::OpinionCause;
use crate::core::fleet::{Assignment, Task};
use crate::core::ids::{AllianceId, BlockId, CharacterId, FactionId, FleetId, SectorId};
use crate::core::script::{Delayed, PendingChoice};
use crate::core::sector::Occupation;
use crate::core::state::WorldState;
use crate::record::save::SaveFile;

/// A number biased to the edges of a table of `len` entries: inside it, just past it, and at
/// the limits of the type.
fn near(len: usize, rng: &mut impl Rng) -> u32 {
    let len = u32::try_from(len).unwrap_or(u32::MAX);
    match rng.random_range(0..6) {
        0 => 0,
        1 => len,
        2 => len.saturating_add(1),
        3 => u32::MAX,
        4 => u32::MAX / 2,
        _ => rng.random_range(0..len.max(1)),
    }
}

/// As [`near`], for the tables with 16-bit ids.
fn near16(len: usize, rng: &mut impl Rng) -> u16 {
    let v = near(len, rng);
    match v {
        u32::MAX => u16::MAX,
        v if v == u32::MAX / 2 => u16::MAX / 2,
        v => u16::try_from(v).unwrap_or(u16::MAX),
    }
}

fn edge_i64(rng: &mut impl Rng) -> i64 {
    *[0, -1, 1, i64::MAX, i64::MIN, i64::MAX - 1, 1 << 40]
        .choose(rng)
        .expect("values")
}

fn pick<'a, T>(items: &'a mut [T], rng: &mut impl Rng) -> Option<&'a mut T> {
    if items.is_empty() {
        None
    } else {
        let i = rng.random_range(0..items.len());
        items.get_mut(i)
    }
}

/// Changes one of `items`, picked at random, if there is one.
fn edit<T>(items: &mut [T], rng: &mut impl Rng, change: impl FnOnce(&mut T)) {
    if let Some(item) = pick(items, rng) {
        change(item);
    }
}

/// One change to the world of a save, described for the report.
fn mutate_world(w: &mut WorldState, rng: &mut impl Rng) -> String {
    let (sectors, factions, fleets) = (w.sectors.len(), w.factions.len(), w.fleets.len());
    let (characters, blocks) = (w.characters.len(), w.blocks.len());
    let alliances = w.diplomacy.alliances.len();
    match rng.random_range(0..24) {
        0 => {
            let v = near(sectors, rng);
            edit(&mut w.fleets, rng, |f| f.sector = SectorId(v));
            format!("a fleet's sector to {v}")
        }
        1 => {
            let v = near16(factions, rng);
            edit(&mut w.fleets, rng, |f| f.owner = FactionId(v));
            format!("a fleet's owner to {v}")
        }
        2 => {
            let v = near(100_000, rng);
            edit(&mut w.fleets, rng, |f| f.strength = v);
            format!("a fleet's strength to {v}")
        }
        3 => {
            let v = rng.random::<u8>();
            edit(&mut w.fleets, rng, |f| f.speed = v);
            format!("a fleet's speed to {v}")
        }
        4 => {
            let v = near16(characters, rng);
            edit(&mut w.fleets, rng, |f| f.commander = Some(CharacterId(v)));
            format!("a fleet's commander to {v}")
        }
        5 => {
            let (a, c) = (near16(alliances, rng), rng.random::<u16>() % 4);
            edit(&mut w.fleets, rng, |f| {
                f.assignment = Some(Assignment {
                    alliance: AllianceId(a),
                    command: c,
                })
            });
            format!("a fleet's joint command to {a}/{c}")
        }
        6 => {
            let route: Vec<SectorId> = (0..rng.random_range(0..5))
                .map(|_| SectorId(near(sectors, rng)))
                .collect();
            let shown = format!("{route:?}");
            edit(&mut w.fleets, rng, |f| f.task = Task::Move { route });
            format!("a fleet's route to {shown}")
        }
        7 => {
            let id = near(fleets, rng);
            if let Some(f) = w.fleets.first().cloned() {
                w.fleets.push(crate::core::state::FleetState {
                    id: FleetId(id),
                    ..f
                });
            }
            format!("a copy of the first fleet as fleet {id}")
        }
        8 => {
            let v = near16(factions, rng);
            edit(&mut w.sectors, rng, |s| s.owner = Some(FactionId(v)));
            format!("a sector's owner to {v}")
        }
        9 => {
            let v = near(1_000_000, rng);
            edit(&mut w.sectors, rng, |s| s.industry = v);
            format!("a sector's industry to {v}")
        }
        10 => {
            let v = near16(factions, rng);
            edit(&mut w.sectors, rng, |s| {
                s.occupation = Some(Occupation {
                    by: FactionId(v),
                    since: 0,
                })
            });
            format!("a sector occupied by {v}")
        }
        11 => {
            let v = near(sectors, rng);
            edit(&mut w.factions, rng, |f| f.capital = Some(SectorId(v)));
            format!("a capital to {v}")
        }
        12 => {
            let v = edge_i64(rng);
            edit(&mut w.factions, rng, |f| f.treasury = v);
            format!("a treasury to {v}")
        }
        13 => {
            let (t, l) = (near(100, rng), near(100, rng));
            w.calendar.turn = t;
            w.calendar.last_turn = l;
            format!("the calendar to turn {t} of {l}")
        }
        14 => {
            let v = near(fleets, rng);
            w.next_fleet = v;
            format!("the next fleet id to {v}")
        }
        15 => {
            let (a, b) = (
                rng.random_range(0..factions.max(1)),
                rng.random_range(0..factions.max(1)),
            );
            let v = i32::try_from(edge_i64(rng).clamp(i32::MIN.into(), i32::MAX.into()))
                .expect("clamped");
            if a < factions && b < factions {
                w.diplomacy.add_opinion(
                    FactionId::from_index(a),
                    FactionId::from_index(b),
                    OpinionCause::History,
                    v,
                );
            }
            format!("an opinion of {a} for {b} by {v}")
        }
        16 => {
            let v = near16(factions, rng);
            edit(&mut w.diplomacy.treaties, rng, |t| {
                t.signatories.push(FactionId(v))
            });
            format!("a treaty signed by {v}")
        }
        17 => {
            let v = near16(factions, rng);
            edit(&mut w.diplomacy.alliances, rng, |a| {
                a.members.push(FactionId(v))
            });
            format!("an alliance joined by {v}")
        }
        18 => {
            let v = near(sectors, rng);
            edit(&mut w.diplomacy.alliances, rng, |a| {
                a.hq = Some(SectorId(v))
            });
            format!("an alliance's headquarters to {v}")
        }
        19 => {
            let (e, due) = (near(w.script.events.len(), rng), near(100, rng));
            w.script.delayed.push(Delayed {
                event: e as usize,
                due,
            });
            w.script.choices.push(PendingChoice {
                event: e as usize,
                offered: due,
            });
            format!("event {e} delayed to {due} and a choice of it pending")
        }
        20 => {
            let keep = rng.random_range(0..=w.script.fired.len());
            w.script.fired.truncate(keep);
            format!("the fired list cut to {keep}")
        }
        21 => {
            let what = rng.random_range(0..4);
            match what {
                0 => drop(w.sectors.pop()),
                1 => drop(w.factions.pop()),
                2 => drop(w.characters.pop()),
                _ => drop(w.blocks.pop()),
            }
            format!("the last of table {what} removed")
        }
        22 => {
            let v = near16(blocks, rng);
            edit(&mut w.sectors, rng, |s| s.place.block = BlockId(v));
            format!("a sector's block to {v}")
        }
        _ => {
            let v = near16(factions, rng);
            edit(&mut w.characters, rng, |c| c.faction = Some(FactionId(v)));
            format!("a character's faction to {v}")
        }
    }
}

/// One change to a save: to its world (most often), to a chapter's start, or to the session
/// around them.
pub fn mutate(save: &mut SaveFile, rng: &mut impl Rng) -> String {
    match rng.random_range(0..10) {
        0 => {
            let v = near(save.chapters.len(), rng) as usize;
            save.chapter = v;
            format!("the chapter to {v}")
        }
        1 => {
            let what = pick(&mut save.chapters, rng)
                .map(|c| mutate_world(&mut c.world, rng))
                .unwrap_or_default();
            format!("a chapter's start: {what}")
        }
        2 => {
            let key = save
                .world
                .factions
                .choose(rng)
                .map_or_else(|| "nobody".to_owned(), |f| f.key.clone());
            save.seats
                .taken
                .insert(key.clone(), crate::core::seat::Seat::Person);
            save.seats
                .taken
                .insert("no_such_faction".into(), crate::core::seat::Seat::Person);
            format!("seats taken for {key} and a faction that is not there")
        }
        _ => mutate_world(&mut save.world, rng),
    }
}
