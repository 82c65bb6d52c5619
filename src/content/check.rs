//! Checks that need the whole of a resolved scenario: events that can never fire (set for a
//! turn the scenario never reaches, or following an event that never fires), and effects that
//! name an alliance or fleet that will not exist yet when they run.

use std::collections::BTreeMap;

use codespan_reporting::diagnostic::{Diagnostic, Label};

use super::locate::Path;
use super::raw::{ClauseDef, EffectDef, EventDef};
use super::report::{FileId, Report};
use super::{Library, ScenarioEntry};
use crate::core::calendar::Calendar;
use crate::core::script::Trigger;
use crate::core::state::WorldState;

/// When an event can fire, as far as the file says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum When {
    /// On this turn exactly.
    On(u32),
    /// On some turn, not known in advance.
    Any,
    /// Never.
    Never,
}

fn turn_of(calendar: &Calendar, date: crate::core::calendar::Date) -> i64 {
    calendar.start.months_until(date) + 1
}

/// When each event fires, following `EventFired` chains.
fn timing(world: &WorldState) -> Vec<When> {
    let events = &world.script.events;
    let calendar = &world.calendar;
    let mut when = vec![When::Any; events.len()];
    // Chains are followed to a fixed point; a chain can be no longer than the list.
    for _ in 0..=events.len() {
        let mut changed = false;
        for (i, e) in events.iter().enumerate() {
            let base = match &e.trigger {
                Trigger::Turn(t) if *t == 0 || *t > calendar.last_turn => When::Never,
                Trigger::Turn(t) => When::On(*t),
                Trigger::Date(d) => {
                    let t = turn_of(calendar, *d);
                    if t < 1 || t > i64::from(calendar.last_turn) {
                        When::Never
                    } else {
                        When::On(t as u32)
                    }
                }
                Trigger::EventFired(j) => when[*j],
                _ => When::Any,
            };
            let fires = match base {
                When::On(t) if t + e.delay > calendar.last_turn => When::Never,
                When::On(t) => When::On(t + e.delay),
                other => other,
            };
            if when[i] != fires {
                when[i] = fires;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    when
}

fn error(
    report: &mut Report,
    file: FileId,
    path: &Path,
    message: String,
    label: String,
    note: Option<String>,
) {
    let span = report.sources.span(file, path);
    let mut d = Diagnostic::error()
        .with_message(message)
        .with_labels(vec![Label::primary(file, span).with_message(label)]);
    if let Some(note) = note {
        d = d.with_notes(vec![note]);
    }
    report.diagnostics.push(d);
}

/// What each event's effects bring into being and what they need: (kind, id, index of the
/// effect in the list, whether it creates).
fn uses(event: &EventDef) -> Vec<(&'static str, &str, usize, bool)> {
    let mut out = Vec::new();
    for (k, e) in event.effects.iter().enumerate() {
        match e {
            EffectDef::FormAlliance { id, .. } => out.push(("alliance", id.as_str(), k, true)),
            EffectDef::SignTreaty { clauses, .. } => {
                for c in clauses {
                    match c {
                        ClauseDef::FormAlliance { id, .. } => {
                            out.push(("alliance", id.as_str(), k, true))
                        }
                        ClauseDef::JoinAlliance(id) => {
                            out.push(("alliance", id.as_str(), k, false))
                        }
                        _ => {}
                    }
                }
            }
            EffectDef::RenameAlliance { alliance, .. }
            | EffectDef::Admit { alliance, .. }
            | EffectDef::Expel { alliance, .. }
            | EffectDef::SetChair { alliance, .. }
            | EffectDef::SetHq { alliance, .. }
            | EffectDef::FormJointCommand { alliance, .. } => {
                out.push(("alliance", alliance.as_str(), k, false))
            }
            EffectDef::SpawnFleet { id, .. } => out.push(("fleet", id.as_str(), k, true)),
            EffectDef::MoveFleet { fleet, .. } | EffectDef::DestroyFleet(fleet) => {
                out.push(("fleet", fleet.as_str(), k, false))
            }
            _ => {}
        }
    }
    out
}

/// Checks one scenario that resolved without errors.
pub fn check_scenario(entry: &ScenarioEntry, world: &WorldState, report: &mut Report) {
    let defs = &entry.scenario.value.events;
    if defs.len() != world.script.events.len() {
        return;
    }
    let when = timing(world);
    let last = world.calendar.last_turn;
    // A fleet trigger must name a fleet that starts in the scenario or that an event spawns;
    // any other would fire at once, every time, which is never what was meant.
    for (i, e) in world.script.events.iter().enumerate() {
        let Trigger::FleetBelow { fleet, .. } = &e.trigger else {
            continue;
        };
        let starts = world.fleets.iter().any(|f| f.key == *fleet);
        let spawned = defs.iter().any(|d| {
            uses(d)
                .iter()
                .any(|u| u.0 == "fleet" && u.3 && u.1 == fleet)
        });
        if !starts && !spawned {
            let (file, path) = &entry.event_at[i];
            let spawns: Vec<String> = defs
                .iter()
                .flat_map(|d| {
                    uses(d)
                        .into_iter()
                        .filter(|u| u.0 == "fleet" && u.3)
                        .map(|u| u.1.to_owned())
                        .collect::<Vec<_>>()
                })
                .collect();
            let known = world
                .fleets
                .iter()
                .map(|f| f.key.as_str())
                .chain(spawns.iter().map(String::as_str));
            let note = match super::report::nearest(fleet, known) {
                Some(near) => format!("did you mean `{near}`?"),
                None => "a fleet trigger names a fleet of the scenario's `fleets`, or one an event spawns"
                    .into(),
            };
            error(
                report,
                *file,
                &path.field("trigger").field("fleet"),
                format!(
                    "event `{}` watches fleet `{fleet}`, which never exists",
                    e.key
                ),
                "no fleet with this id".into(),
                Some(note),
            );
        }
    }
    for (i, e) in world.script.events.iter().enumerate() {
        let (file, path) = &entry.event_at[i];
        if when[i] != When::Never {
            continue;
        }
        let trigger = path.field("trigger");
        match &e.trigger {
            Trigger::Turn(t) => error(
                report,
                *file,
                &trigger,
                format!("event `{}` can never fire: it is set for turn {t}", e.key),
                format!("the scenario plays turns 1 to {last}"),
                None,
            ),
            Trigger::Date(d) => error(
                report,
                *file,
                &trigger,
                format!("event `{}` can never fire: it is set for {d}", e.key),
                format!(
                    "the scenario runs from {} to {}",
                    world.calendar.date_of(1),
                    world.calendar.date_of(last)
                ),
                None,
            ),
            Trigger::EventFired(j) => error(
                report,
                *file,
                &trigger,
                format!(
                    "event `{}` can never fire: it follows `{}`, which never fires",
                    e.key, world.script.events[*j].key
                ),
                "this trigger".into(),
                None,
            ),
            _ => {}
        }
        if e.delay > 0 && !matches!(e.trigger, Trigger::EventFired(_)) {
            error(
                report,
                *file,
                &path.field("delay"),
                format!(
                    "event `{}` can never fire: its delay takes it past turn {last}",
                    e.key
                ),
                "this delay".into(),
                None,
            );
        }
    }

    // Things scripts bring into being, and when.
    let mut created: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (i, def) in defs.iter().enumerate() {
        for (kind, id, _, creates) in uses(def) {
            if creates {
                created.entry((kind, id)).or_default().push(i);
            }
        }
    }
    let at_start = |kind: &str, id: &str| match kind {
        "alliance" => world.diplomacy.alliances.iter().any(|a| a.key == id),
        _ => world.fleets.iter().any(|f| f.key == id),
    };
    for (i, def) in defs.iter().enumerate() {
        let When::On(t) = when[i] else { continue };
        for (kind, id, k, creates) in uses(def) {
            if creates || at_start(kind, id) {
                continue;
            }
            let Some(makers) = created.get(&(kind, id)) else {
                continue;
            };
            let first = makers
                .iter()
                .filter_map(|&m| match when[m] {
                    When::On(tm) => Some((tm, m)),
                    When::Any => Some((0, m)),
                    When::Never => None,
                })
                .min();
            let (file, path) = &entry.event_at[i];
            let effect = path.field("effects").index(k);
            match first {
                None => error(
                    report,
                    *file,
                    &effect,
                    format!(
                        "{kind} `{id}` will never exist: the only events that create it never fire"
                    ),
                    format!("event `{}` needs it", def.id),
                    None,
                ),
                Some((tm, m)) if tm > t => error(
                    report,
                    *file,
                    &effect,
                    format!("{kind} `{id}` does not exist yet on turn {t}"),
                    format!("event `{}` needs it", def.id),
                    Some(format!("event `{}` creates it on turn {tm}", defs[m].id)),
                ),
                _ => {}
            }
        }
    }
}

/// Runs on the scenario at `index` every check `khitomer check` runs on a scenario: the
/// ranges of its numbers, its flags, its resolution into a world (with `seed`) and the checks
/// of the resolved world. Every diagnostic goes into `report`; the world comes back only if
/// none of them is an error.
pub fn scenario_checks(
    lib: &Library,
    index: usize,
    seed: Option<u64>,
    report: &mut Report,
) -> Option<WorldState> {
    let errors = report.error_count();
    let start = report.diagnostics.len();
    let entry = &lib.scenarios[index];
    if !entry.patches.is_empty() {
        // The caps hold for the scenario as every mod leaves it, not only file by file.
        super::limits::check_scenario(report, entry.scenario.file, &entry.scenario.value);
    }
    super::ranges::check_scenario(entry, report);
    super::flags::check_flags(lib, index, report);
    let world = match super::build_world(lib, index, seed) {
        Ok(world) => {
            check_scenario(entry, &world, report);
            Some(world)
        }
        Err(problems) => {
            // A world that is not whole was found so by the checks of its files already.
            let found = report.error_count() > errors;
            report.diagnostics.extend(
                problems
                    .diagnostics
                    .into_iter()
                    .filter(|d| !(found && d.code.as_deref() == Some(super::resolve::NOT_WHOLE))),
            );
            None
        }
    };
    super::attribute::attribute(lib, index, &mut report.diagnostics[start..]);
    world.filter(|_| report.error_count() == errors)
}

/// A scenario's starting world that passed every check, with the warnings found.
pub struct Checked {
    /// The world at the start.
    pub world: WorldState,
    /// Warnings about the scenario's files; play goes on.
    pub warnings: Report,
}

/// The one way a scenario is opened to be played, by every command and the window: the
/// problems found reading its own files and its mods' patches, then [`scenario_checks`]. Any
/// error refuses it, with the diagnostics `khitomer check` gives.
pub fn checked_world(lib: &Library, index: usize, seed: Option<u64>) -> Result<Checked, Report> {
    let own = lib.scenarios[index].own_files();
    let mut report = Report {
        sources: lib.report.sources.clone(),
        diagnostics: lib.report.diagnostics[lib.shared_diagnostics..]
            .iter()
            .filter(|d| d.labels.iter().any(|l| own.contains(&l.file_id)))
            .cloned()
            .collect(),
    };
    match scenario_checks(lib, index, seed, &mut report) {
        Some(world) if !report.has_errors() => Ok(Checked {
            world,
            warnings: report,
        }),
        _ => Err(report),
    }
}

/// Builds every scenario of the library and checks it; every diagnostic goes into one
/// report, after those found reading and layering the files.
pub fn check_all(lib: &Library) -> Report {
    let mut report = lib.report.clone();
    for campaign in &lib.campaigns {
        super::campaign::check_campaign(lib, campaign, &mut report);
    }
    for i in 0..lib.scenarios.len() {
        scenario_checks(lib, i, None, &mut report);
    }
    report
}
