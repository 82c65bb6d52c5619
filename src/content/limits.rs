//! Caps on what content files may hold: a mod is data, and no file, however written, may make
//! the game read without end, nest without end or allocate without bound.

use super::locate::Path;
use super::raw::{MapFile, RosterFile, ScenarioFile};
use super::report::{FileId, Report};

/// Largest content file, in bytes.
pub const MAX_FILE_BYTES: u64 = 1 << 20;
/// Deepest nesting of brackets in a file.
pub const MAX_NESTING: usize = 48;
/// Most files a mod may hold.
pub const MAX_MOD_FILES: usize = 512;
/// Most sectors on a map.
pub const MAX_SECTORS: usize = 250_000;
/// Most blocks or links on a map.
pub const MAX_BLOCKS_OR_LINKS: usize = 10_000;
/// Most factions or characters in a roster, and characters in a scenario.
pub const MAX_FACTIONS_OR_CHARACTERS: usize = 10_000;
/// Most factions taking part in a scenario. Relations and opinions are kept for every pair of
/// them, so this bounds their memory: at the cap, a million pairs (see
/// `tests/hardening.rs`, which measures it).
pub const MAX_SCENARIO_FACTIONS: usize = 1_000;
/// Most fleets or events in a scenario.
pub const MAX_FLEETS_OR_EVENTS: usize = 100_000;

fn cap(report: &mut Report, file: FileId, path: Path, what: &str, count: usize, max: usize) {
    if count > max {
        report.error_at(
            file,
            &path,
            format!("{count} {what}: at most {max} are allowed"),
            "too many",
        );
    }
}

/// Checks a map's counts.
pub fn check_map(report: &mut Report, file: FileId, map: &MapFile) {
    let root = Path::root();
    cap(
        report,
        file,
        root.field("sectors"),
        "sectors",
        map.sectors.len(),
        MAX_SECTORS,
    );
    cap(
        report,
        file,
        root.field("blocks"),
        "blocks",
        map.blocks.len(),
        MAX_BLOCKS_OR_LINKS,
    );
    cap(
        report,
        file,
        root.field("links"),
        "links",
        map.links.len(),
        MAX_BLOCKS_OR_LINKS,
    );
}

/// Checks a roster's counts.
pub fn check_roster(report: &mut Report, file: FileId, roster: &RosterFile) {
    let root = Path::root();
    cap(
        report,
        file,
        root.field("factions"),
        "factions",
        roster.factions.len(),
        MAX_FACTIONS_OR_CHARACTERS,
    );
    cap(
        report,
        file,
        root.field("characters"),
        "characters",
        roster.characters.len(),
        MAX_FACTIONS_OR_CHARACTERS,
    );
}

/// Checks a scenario's counts.
pub fn check_scenario(report: &mut Report, file: FileId, s: &ScenarioFile) {
    let root = Path::root();
    cap(
        report,
        file,
        root.field("factions"),
        "factions",
        s.factions.len(),
        MAX_SCENARIO_FACTIONS,
    );
    cap(
        report,
        file,
        root.field("fleets"),
        "fleets",
        s.fleets.len(),
        MAX_FLEETS_OR_EVENTS,
    );
    cap(
        report,
        file,
        root.field("events"),
        "events",
        s.events.len(),
        MAX_FLEETS_OR_EVENTS,
    );
}
