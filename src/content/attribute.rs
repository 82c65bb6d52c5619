//! A mod's change can break the base game's files without a mistake in them: a patch removes a
//! fleet an event of the scenario moves, a mod's map drops a sector the scenario names. Such a
//! diagnostic points at the base file it affects and, beside it, at the mod's file and line
//! that caused it; one found in a mod's patch points at the scenario it changes as well.

use codespan_reporting::diagnostic::{Diagnostic, Label};

use super::locate::Path;
use super::{FileId, Library, ModChange};

fn mentions(message: &str, kind: &str, id: &str) -> bool {
    message.contains(&format!("{kind} `{id}`"))
}

/// Whether a mod's change of the scenario `scenario` is what `message` speaks of.
fn caused_by(change: &ModChange, scenario: &str, message: &str, map: Option<&str>) -> bool {
    match change.kind.as_str() {
        "event" | "fleet" | "objectives" | "pact" => change
            .id
            .strip_prefix(scenario)
            .and_then(|rest| rest.strip_prefix('/'))
            .is_some_and(|id| mentions(message, &change.kind, id)),
        // A map's places are spoken of by their own kinds.
        "map" if map == Some(change.id.as_str()) => ["sector `", "block `", "link `"]
            .iter()
            .any(|k| message.contains(k)),
        kind => mentions(message, kind, &change.id),
    }
}

/// Adds to each diagnostic about the scenario at `index` a label at every mod change that
/// caused it, and to one found in a mod's patch a label at the scenario it changes.
pub fn attribute(lib: &Library, index: usize, diagnostics: &mut [Diagnostic<FileId>]) {
    if lib.mods.is_empty() {
        return;
    }
    let entry = &lib.scenarios[index];
    let scenario = entry.id();
    let map = Some(entry.scenario.value.map.as_str());
    let sources = &lib.report.sources;
    for d in diagnostics.iter_mut() {
        let Some(primary) = d.labels.first().map(|l| l.file_id) else {
            continue;
        };
        let from_mod =
            lib.mod_changes.iter().any(|c| c.file == primary) || entry.patches.contains(&primary);
        if from_mod {
            if primary != entry.scenario.file
                && !d.labels.iter().any(|l| l.file_id == entry.scenario.file)
            {
                let base = entry.scenario.file;
                let span = sources.span(base, &Path::root().field("id"));
                d.labels.push(
                    Label::secondary(base, span)
                        .with_message(format!("in scenario `{scenario}`, which the mod changes")),
                );
            }
            continue;
        }
        let mut added = Vec::new();
        for change in &lib.mod_changes {
            if !caused_by(change, scenario, &d.message, map)
                || d.labels.iter().any(|l| l.file_id == change.file)
                || added.iter().any(|(f, _): &(FileId, _)| *f == change.file)
            {
                continue;
            }
            let verb = if change.removes { "removed" } else { "changed" };
            let who = &lib.mods[change.by].id;
            added.push((
                change.file,
                Label::secondary(change.file, sources.span(change.file, &change.path))
                    .with_message(format!("{verb} by mod `{who}`")),
            ));
        }
        if !added.is_empty() {
            // What a mod removed is not misspelt: no near id is meant instead.
            if lib
                .mod_changes
                .iter()
                .any(|c| c.removes && added.iter().any(|(f, _)| *f == c.file))
            {
                d.notes.retain(|n| !n.starts_with("did you mean"));
            }
            let names: Vec<String> = added
                .iter()
                .map(|(f, _)| format!("`{}`", sources.name(*f)))
                .collect();
            d.notes.push(format!(
                "this comes from a mod ({}), not from a mistake in the base game's file",
                names.join(", ")
            ));
            d.labels.extend(added.into_iter().map(|(_, l)| l));
        }
    }
}
