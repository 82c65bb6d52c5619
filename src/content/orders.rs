//! Orders files: a person's orders for a seat, turn by turn, written with content ids.
//!
//! ```ron
//! Orders(
//!     faction: "klingon",
//!     turns: [
//!         Turn(turn: 1, orders: [
//!             Move(fleet: "kdf_seventh", to: "tau_dewa_2"),
//!             Build(at: "qonos", strength: 4),
//!         ]),
//!         Turn(turn: 2, orders: [Answer(proposal: 0, accept: true)]),
//!     ],
//! )
//! ```
//!
//! In a campaign, `chapter: "cold_call"` names the chapter a turn belongs to. The names of
//! sectors, blocks, factions and events are checked against the game before it starts
//! (fleets are checked turn by turn: fleets built in play are named `squadron_N`).

use std::path::Path as FilePath;

use serde::Deserialize;

use super::locate::Path;
use super::report::{Report, nearest};
use super::{FileId, parse_text};
use crate::core::orders::named::{NamedClause, NamedOrder};
use crate::session::ChapterStart;

/// An orders file.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename = "Orders")]
pub struct OrdersFile {
    /// The faction whose orders these are; when given, it must be the seat played.
    #[serde(default)]
    pub faction: Option<String>,
    /// The turns with orders; a turn that is not listed gets none.
    pub turns: Vec<OrdersTurn>,
}

/// One turn's orders.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename = "Turn")]
pub struct OrdersTurn {
    /// The turn, as the turn log numbers it (`Turn 3, 2409-05`).
    pub turn: u32,
    /// In a campaign, the scenario id of the chapter; by default the first chapter.
    #[serde(default)]
    pub chapter: Option<String>,
    /// The orders and answers, in the order given.
    pub orders: Vec<NamedOrder>,
}

/// An orders file, read and checked, with where it came from.
pub struct Orders {
    /// The file's contents.
    pub file: OrdersFile,
    /// Each entry of `file.turns` as (chapter from 0, turn).
    pub at: Vec<(usize, u32)>,
}

impl Orders {
    /// The orders of a turn of a chapter, in the order given (none if the file has none).
    pub fn for_turn(&self, chapter: usize, turn: u32) -> &[NamedOrder] {
        self.at
            .iter()
            .position(|&a| a == (chapter, turn))
            .map_or(&[], |i| self.file.turns[i].orders.as_slice())
    }
}

/// Reads an orders file and checks it against the chapters of the game it is for, and the
/// faction it plays. Every problem is reported at once, with the file, line and column.
pub fn read_orders(
    path: &FilePath,
    chapters: &[ChapterStart],
    faction: &str,
) -> Result<Orders, Report> {
    let shown = super::display_path(path);
    let mut report = Report::default();
    let text = match crate::files::read_limited(path, crate::files::MAX_SCRIPT_BYTES) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => {
                report.error(format!("`{shown}` is not an orders file: it is not text"));
                return Err(report);
            }
        },
        Err(e) => {
            report.error(format!("cannot read `{shown}`: {e}"));
            return Err(report);
        }
    };
    let file = report.sources.add(shown, text);
    let parsed: Option<OrdersFile> = parse_text(
        &mut report,
        file,
        "an orders file holds one `Orders(faction: \"...\", turns: [Turn(turn: 1, orders: [...]), ...])`",
    );
    let Some(orders) = parsed else {
        return Err(report);
    };
    let at = check_orders(&mut report, file, &orders, chapters, faction);
    if report.has_errors() {
        return Err(report);
    }
    Ok(Orders { file: orders, at })
}

/// Known names of one kind across every chapter.
struct Known {
    sectors: Vec<String>,
    blocks: Vec<String>,
    factions: Vec<String>,
    events: Vec<String>,
}

impl Known {
    fn of(chapters: &[ChapterStart]) -> Self {
        let mut known = Known {
            sectors: Vec::new(),
            blocks: Vec::new(),
            factions: Vec::new(),
            events: Vec::new(),
        };
        for c in chapters {
            let w = &c.world;
            known
                .sectors
                .extend(w.sectors.iter().map(|s| s.place.key.to_string()));
            known.blocks.extend(w.blocks.iter().map(|b| b.key.clone()));
            known
                .factions
                .extend(w.factions.iter().map(|f| f.key.clone()));
            known
                .events
                .extend(w.script.events.iter().map(|e| e.key.clone()));
        }
        for list in [
            &mut known.sectors,
            &mut known.blocks,
            &mut known.factions,
            &mut known.events,
        ] {
            list.sort();
            list.dedup();
        }
        known
    }
}

fn unknown(
    report: &mut Report,
    file: FileId,
    path: &Path,
    kind: &str,
    key: &str,
    known: &[String],
) {
    if known.binary_search_by(|k| k.as_str().cmp(key)).is_ok() {
        return;
    }
    let d = report.error_at(
        file,
        path,
        format!("unknown {kind} `{key}`"),
        format!("no {kind} of the game has this id"),
    );
    d.code = Some("unknown-id".into());
    if let Some(near) = nearest(key, known.iter().map(String::as_str)) {
        d.notes.push(format!("did you mean `{near}`?"));
    }
}

fn check_orders(
    report: &mut Report,
    file: FileId,
    orders: &OrdersFile,
    chapters: &[ChapterStart],
    faction: &str,
) -> Vec<(usize, u32)> {
    let known = Known::of(chapters);
    if let Some(f) = &orders.faction
        && f != faction
    {
        report
            .error_at(
                file,
                &Path::root().field("faction"),
                format!("these are the orders of `{f}`, and the seat played is `{faction}`"),
                "another faction",
            )
            .notes
            .push(format!("play them with `--as {f}`, or change `faction`"));
    }
    let mut at = Vec::new();
    for (i, entry) in orders.turns.iter().enumerate() {
        let path = Path::root().field("turns").index(i);
        let chapter = match &entry.chapter {
            None => 0,
            Some(id) => match chapters.iter().position(|c| c.world.scenario.id == *id) {
                Some(k) => k,
                None => {
                    let ids: Vec<&str> = chapters
                        .iter()
                        .map(|c| c.world.scenario.id.as_str())
                        .collect();
                    let d = report.error_at(
                        file,
                        &path.field("chapter"),
                        format!("no chapter `{id}` in this game"),
                        "not one of its chapters",
                    );
                    d.notes.push(format!("its chapters: {}", ids.join(", ")));
                    continue;
                }
            },
        };
        let calendar = &chapters[chapter].world.calendar;
        if entry.turn < calendar.turn || entry.turn > calendar.last_turn {
            report.error_at(
                file,
                &path.field("turn"),
                format!(
                    "turn {} is not a turn of `{}`, which runs from turn {} to turn {}",
                    entry.turn,
                    chapters[chapter].world.scenario.id,
                    calendar.turn,
                    calendar.last_turn
                ),
                "no such turn",
            );
        }
        if let Some(first) = at.iter().position(|&a| a == (chapter, entry.turn)) {
            report
                .error_at(
                    file,
                    &path,
                    format!("turn {} is listed twice", entry.turn),
                    "again here",
                )
                .notes
                .push(format!(
                    "its orders are first listed at `turns[{first}]`: put them in one list"
                ));
        }
        at.push((chapter, entry.turn));
        for (j, order) in entry.orders.iter().enumerate() {
            check_order(report, file, &path.field("orders").index(j), order, &known);
        }
    }
    at
}

fn check_order(report: &mut Report, file: FileId, path: &Path, order: &NamedOrder, known: &Known) {
    let sector = |report: &mut Report, field: Path, key: &str| {
        unknown(report, file, &field, "sector", key, &known.sectors)
    };
    match order {
        NamedOrder::Move { to, route, .. } => {
            if let Some(to) = to {
                sector(report, path.field("to"), to);
            }
            for (k, s) in route.iter().enumerate() {
                sector(report, path.field("route").index(k), s);
            }
            if to.is_some() != route.is_empty() {
                report.error_at(
                    file,
                    path,
                    "a move names either `to` or `route`",
                    if to.is_some() {
                        "both named"
                    } else {
                        "neither named"
                    },
                );
            }
        }
        NamedOrder::Patrol { between, .. } => {
            sector(report, path.field("between").index(0), &between.0);
            sector(report, path.field("between").index(1), &between.1);
        }
        NamedOrder::Build { at, .. } => sector(report, path.field("at"), at),
        NamedOrder::DeclareWar { on } => unknown(
            report,
            file,
            &path.field("on"),
            "faction",
            on,
            &known.factions,
        ),
        NamedOrder::EndCeaseFire { with, blocks } => {
            unknown(
                report,
                file,
                &path.field("with"),
                "faction",
                with,
                &known.factions,
            );
            for (k, b) in blocks.iter().enumerate() {
                unknown(
                    report,
                    file,
                    &path.field("blocks").index(k),
                    "block",
                    b,
                    &known.blocks,
                );
            }
        }
        NamedOrder::Propose { to, clauses, .. } => {
            for (k, f) in to.iter().enumerate() {
                unknown(
                    report,
                    file,
                    &path.field("to").index(k),
                    "faction",
                    f,
                    &known.factions,
                );
            }
            for (k, c) in clauses.iter().enumerate() {
                if let NamedClause::CeaseFire { blocks } = c {
                    for (m, b) in blocks.iter().enumerate() {
                        let p = path.field("clauses").index(k).field("blocks").index(m);
                        unknown(report, file, &p, "block", b, &known.blocks);
                    }
                }
            }
        }
        NamedOrder::Choose { event, .. } => unknown(
            report,
            file,
            &path.field("event"),
            "event",
            event,
            &known.events,
        ),
        NamedOrder::Hold { .. }
        | NamedOrder::Attack { .. }
        | NamedOrder::Withdraw { .. }
        | NamedOrder::Assign { .. }
        | NamedOrder::Answer { .. }
        | NamedOrder::LeaveAlliance { .. } => {}
    }
}
