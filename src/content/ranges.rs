//! The documented range of every number a content file gives. A value outside its range is an
//! error where it is written: no file can make the rules overflow, loop for billions of
//! rounds or divide by zero. The same ranges are listed in the modders' reference.

use super::ScenarioEntry;
use super::locate::Path;
use super::raw::{ConditionDef, EffectDef, EventDef, TriggerDef};
use super::report::{FileId, Report};

/// A documented, inclusive range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    /// Where the value is written, as the reference names it.
    pub field: &'static str,
    /// The lowest value allowed.
    pub min: i64,
    /// The highest value allowed.
    pub max: i64,
}

const fn range(field: &'static str, min: i64, max: i64) -> Range {
    Range { field, min, max }
}

/// Turns a scenario may last (a century of months).
pub const TURNS: Range = range("Scenario.turns", 1, 1200);
/// Years a scenario may start in.
pub const YEAR: Range = range("Date.year", 1000, 9999);
/// A faction's treasury at the start.
pub const TREASURY: Range = range(
    "ScenarioFaction.treasury",
    crate::core::validate::MIN_TREASURY,
    1_000_000_000,
);
/// Opinion given at the start, and by a `ChangeOpinion` effect.
pub const OPINION: Range = range("Relation.opinion", -200, 200);
/// An opinion change by an effect.
pub const OPINION_CHANGE: Range = range("ChangeOpinion.value", -200, 200);
/// A fleet's strength, at the start or spawned.
pub const STRENGTH: Range = range(
    "Fleet.strength",
    1,
    crate::core::validate::MAX_FLEET_STRENGTH as i64,
);
/// A fleet's speed, in sectors a turn.
pub const SPEED: Range = range("Fleet.speed", 1, 10);
/// A sector's industry.
pub const INDUSTRY: Range = range(
    "Sector.industry",
    0,
    crate::core::validate::MAX_INDUSTRY as i64,
);
/// A sector's place on the hex grid, either coordinate.
pub const COORDINATE: Range = range("Sector.at", -1_000_000, 1_000_000);
/// Turns between an event's trigger and its firing.
pub const DELAY: Range = range("Event.delay", 0, 1200);
/// A faction's total fleet strength compared with (`StrengthBelow`, `StrengthAtLeast`).
pub const TOTAL_STRENGTH: Range = range("StrengthBelow.value", 0, 100_000_000_000);
/// A fleet's strength compared with (`FleetBelow`).
pub const FLEET_STRENGTH: Range = range("FleetBelow.value", 0, 1_000_000);
/// The turn compared with (`TurnAtLeast`).
pub const TURN: Range = range("TurnAtLeast", 0, 1200);

/// A personality's appetite for war.
pub const AGGRESSION: Range = range("Personality.aggression", 0, 100);
/// A personality's care for its own.
pub const CAUTION: Range = range("Personality.caution", 0, 100);
/// A personality's faith in treaties.
pub const HONOUR: Range = range("Personality.honour", 0, 100);

/// Every range above, for the reference.
pub const ALL: [Range; 16] = [
    AGGRESSION,
    CAUTION,
    HONOUR,
    TURNS,
    YEAR,
    TREASURY,
    OPINION,
    OPINION_CHANGE,
    STRENGTH,
    SPEED,
    INDUSTRY,
    COORDINATE,
    DELAY,
    TOTAL_STRENGTH,
    FLEET_STRENGTH,
    TURN,
];

/// Reports `value` at `path` if it is outside `range`.
pub fn check(report: &mut Report, file: FileId, path: &Path, what: &str, value: i64, r: Range) {
    if value < r.min || value > r.max {
        let d = report.error_at(
            file,
            path,
            format!("{what} is {value}: it must be from {} to {}", r.min, r.max),
            "out of range",
        );
        d.code = Some("out-of-range".into());
    }
}

fn effects(report: &mut Report, file: FileId, path: &Path, list: &[EffectDef]) {
    for (k, e) in list.iter().enumerate() {
        let at = path.index(k);
        match e {
            EffectDef::SpawnFleet {
                id,
                strength,
                speed,
                ..
            } => {
                let what = format!("the strength of spawned fleet `{id}`");
                check(
                    report,
                    file,
                    &at.field("strength"),
                    &what,
                    i64::from(*strength),
                    STRENGTH,
                );
                let what = format!("the speed of spawned fleet `{id}`");
                check(
                    report,
                    file,
                    &at.field("speed"),
                    &what,
                    i64::from(*speed),
                    SPEED,
                );
            }
            EffectDef::ChangeOpinion { value, .. } => check(
                report,
                file,
                &at.field("value"),
                "an opinion change",
                i64::from(*value),
                OPINION_CHANGE,
            ),
            _ => {}
        }
    }
}

fn condition(report: &mut Report, file: FileId, path: &Path, c: &ConditionDef) {
    match c {
        ConditionDef::All(list) | ConditionDef::Any(list) => {
            for (i, c) in list.iter().enumerate() {
                condition(report, file, &path.index(0).index(i), c);
            }
        }
        ConditionDef::Not(c) => condition(report, file, &path.index(0), c),
        ConditionDef::StrengthAtLeast(_, v) => check(
            report,
            file,
            &path.index(1),
            "a strength compared with",
            i64::try_from(*v).unwrap_or(i64::MAX),
            TOTAL_STRENGTH,
        ),
        ConditionDef::TurnAtLeast(t) => check(
            report,
            file,
            &path.index(0),
            "a turn compared with",
            i64::from(*t),
            TURN,
        ),
        _ => {}
    }
}

fn event(report: &mut Report, file: FileId, path: &Path, e: &EventDef) {
    check(
        report,
        file,
        &path.field("delay"),
        &format!("the delay of event `{}`", e.id),
        i64::from(e.delay),
        DELAY,
    );
    match &e.trigger {
        TriggerDef::StrengthBelow { value, .. } => check(
            report,
            file,
            &path.field("trigger").field("value"),
            "a strength compared with",
            i64::try_from(*value).unwrap_or(i64::MAX),
            TOTAL_STRENGTH,
        ),
        TriggerDef::FleetBelow { value, .. } => check(
            report,
            file,
            &path.field("trigger").field("value"),
            "a fleet's strength compared with",
            i64::from(*value),
            FLEET_STRENGTH,
        ),
        TriggerDef::Date(d) => check(
            report,
            file,
            &path.field("trigger").index(0).field("year"),
            "a year",
            i64::from(d.year),
            YEAR,
        ),
        _ => {}
    }
    if let Some(c) = &e.condition {
        condition(report, file, &path.field("condition"), c);
    }
    effects(report, file, &path.field("effects"), &e.effects);
    if let Some(choice) = &e.choice {
        for (o, option) in choice.options.iter().enumerate() {
            let at = path
                .field("choice")
                .field("options")
                .index(o)
                .field("effects");
            effects(report, file, &at, &option.effects);
        }
    }
}

/// Checks a personality's leanings.
pub fn check_personality(
    report: &mut Report,
    file: FileId,
    path: &Path,
    whose: &str,
    p: &crate::core::faction::Personality,
) {
    for (name, value, range) in [
        ("aggression", p.aggression, AGGRESSION),
        ("caution", p.caution, CAUTION),
        ("honour", p.honour, HONOUR),
    ] {
        check(
            report,
            file,
            &path.field(name),
            &format!("the {name} of `{whose}`"),
            i64::from(value),
            range,
        );
    }
}

/// Checks every number of a scenario, its patches' included, against its range.
pub fn check_scenario(entry: &ScenarioEntry, report: &mut Report) {
    let s = &entry.scenario.value;
    let file = entry.scenario.file;
    let root = entry.scenario.path.clone();
    check(
        report,
        file,
        &root.field("turns"),
        "the number of turns",
        i64::from(s.turns),
        TURNS,
    );
    check(
        report,
        file,
        &root.field("start").field("year"),
        "the starting year",
        i64::from(s.start.year),
        YEAR,
    );
    for (i, f) in s.factions.iter().enumerate() {
        check(
            report,
            file,
            &root.field("factions").index(i).field("treasury"),
            &format!("the treasury of `{}`", f.id),
            f.treasury,
            TREASURY,
        );
        if let Some(p) = &f.personality {
            let at = root.field("factions").index(i).field("personality");
            check_personality(report, file, &at, &f.id, p);
        }
    }
    for (i, r) in s.relations.iter().enumerate() {
        check(
            report,
            file,
            &root.field("relations").index(i).field("opinion"),
            "an opinion",
            i64::from(r.opinion),
            OPINION,
        );
    }
    for (fleet, (file, path)) in s.fleets.iter().zip(&entry.fleet_at) {
        check(
            report,
            *file,
            &path.field("strength"),
            &format!("the strength of fleet `{}`", fleet.id),
            i64::from(fleet.strength),
            STRENGTH,
        );
        check(
            report,
            *file,
            &path.field("speed"),
            &format!("the speed of fleet `{}`", fleet.id),
            i64::from(fleet.speed),
            SPEED,
        );
    }
    for (e, (file, path)) in s.events.iter().zip(&entry.event_at) {
        event(report, *file, path, e);
    }
    let rules = root.field("rules");
    let ranged = s.rules.ranged();
    for (name, value, min, max) in ranged {
        check(
            report,
            file,
            &rules.field(name),
            &format!("rule `{name}`"),
            value,
            range("Rules.*", min, max),
        );
    }
    if s.rules.damage_min_permille > s.rules.damage_max_permille {
        report.error_at(
            file,
            &rules.field("damage_min_permille"),
            format!(
                "rule `damage_min_permille` ({}) is above `damage_max_permille` ({})",
                s.rules.damage_min_permille, s.rules.damage_max_permille
            ),
            "the lowest damage must not be above the highest",
        );
    }
}

/// Checks the numbers of a map.
pub fn check_map(report: &mut Report, file: FileId, map: &super::raw::MapFile) {
    for (i, sector) in map.sectors.iter().enumerate() {
        let at = Path::root().field("sectors").index(i);
        check(
            report,
            file,
            &at.field("industry"),
            &format!("the industry of sector `{}`", sector.id),
            i64::from(sector.industry),
            INDUSTRY,
        );
        for (k, c) in [sector.at.0, sector.at.1].into_iter().enumerate() {
            check(
                report,
                file,
                &at.field("at").index(k),
                &format!("a coordinate of sector `{}`", sector.id),
                i64::from(c),
                COORDINATE,
            );
        }
    }
}
