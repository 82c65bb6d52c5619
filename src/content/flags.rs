//! Flags are plain names: nothing declares them, so a typo in one (`Flag("web_brokn")`) would
//! make a condition or an objective false for ever without a word. A flag read where nothing
//! can have set it is an error, with the flags that are set as suggestions; a flag set that
//! nothing reads is a warning. A campaign chapter that carries `Flags` sees the flags of the
//! chapters before it, as long as every chapter in between carries them too.

use std::collections::BTreeSet;

use codespan_reporting::diagnostic::{Diagnostic, Label};

use super::locate::Path;
use super::raw::{ConditionDef, EffectDef, ObjectiveDef};
use super::report::{FileId, Report, nearest};
use super::{Library, ScenarioEntry};
use crate::session::chapter::Carry;

/// Where a flag is named.
#[derive(Clone, Debug)]
pub struct FlagAt {
    /// The flag.
    pub name: String,
    /// The file that names it.
    pub file: FileId,
    /// Where in that file.
    pub path: Path,
}

/// The flags a scenario reads (in conditions and objectives) and sets (in effects, choices'
/// options included), with where each is written.
#[derive(Clone, Debug, Default)]
pub struct FlagUses {
    /// Flags read.
    pub reads: Vec<FlagAt>,
    /// Flags set.
    pub sets: Vec<FlagAt>,
}

fn condition(c: &ConditionDef, file: FileId, path: &Path, out: &mut Vec<FlagAt>) {
    match c {
        ConditionDef::All(list) | ConditionDef::Any(list) => {
            for (i, c) in list.iter().enumerate() {
                condition(c, file, &path.index(0).index(i), out);
            }
        }
        ConditionDef::Not(c) => condition(c, file, &path.index(0), out),
        ConditionDef::Flag(name) => out.push(FlagAt {
            name: name.clone(),
            file,
            path: path.index(0),
        }),
        _ => {}
    }
}

fn effects(list: &[EffectDef], file: FileId, path: &Path, out: &mut Vec<FlagAt>) {
    for (k, e) in list.iter().enumerate() {
        if let EffectDef::SetFlag(name) = e {
            out.push(FlagAt {
                name: name.clone(),
                file,
                path: path.index(k).index(0),
            });
        }
    }
}

/// Every flag a scenario reads and sets, its patches' included.
pub fn uses(entry: &ScenarioEntry) -> FlagUses {
    let mut out = FlagUses::default();
    let s = &entry.scenario.value;
    for (def, (file, path)) in s.events.iter().zip(&entry.event_at) {
        if let Some(c) = &def.condition {
            condition(c, *file, &path.field("condition"), &mut out.reads);
        }
        effects(&def.effects, *file, &path.field("effects"), &mut out.sets);
        if let Some(choice) = &def.choice {
            for (o, option) in choice.options.iter().enumerate() {
                let at = path.field("choice").field("options").index(o);
                effects(&option.effects, *file, &at.field("effects"), &mut out.sets);
            }
        }
    }
    for (faction, objectives) in &s.objectives {
        let (file, list) = entry
            .objectives_at
            .iter()
            .find(|(f, _, _)| f == faction)
            .map_or_else(
                || {
                    (
                        entry.scenario.file,
                        entry.scenario.path.field("objectives").key(faction),
                    )
                },
                |(_, file, path)| (*file, path.clone()),
            );
        for (i, o) in objectives.iter().enumerate() {
            if let ObjectiveDef::Flag(name) = o {
                out.reads.push(FlagAt {
                    name: name.clone(),
                    file,
                    path: list.index(i).index(0),
                });
            }
        }
    }
    out
}

/// The scenarios whose flags reach the scenario `id` through campaigns (`before`), or that
/// the flags of `id` reach (`after`): chapters linked by `Flags` carries.
fn linked(lib: &Library, id: &str, after: bool) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for campaign in &lib.campaigns {
        let chapters = &campaign.value.chapters;
        for (k, chapter) in chapters.iter().enumerate() {
            if chapter.scenario != id {
                continue;
            }
            if after {
                for next in &chapters[k + 1..] {
                    if !next.carry.contains(&Carry::Flags) {
                        break;
                    }
                    out.insert(next.scenario.clone());
                }
            } else {
                let mut at = k;
                while at > 0 && chapters[at].carry.contains(&Carry::Flags) {
                    at -= 1;
                    out.insert(chapters[at].scenario.clone());
                }
            }
        }
    }
    out.remove(id);
    out
}

/// Checks the flags of the scenario at `index`: read but never set (an error), set but never
/// read (a warning).
pub fn check_flags(lib: &Library, index: usize, report: &mut Report) {
    let entry = &lib.scenarios[index];
    let own = uses(entry);
    if own.reads.is_empty() && own.sets.is_empty() {
        return;
    }
    let others = |ids: BTreeSet<String>| -> Vec<FlagUses> {
        ids.iter()
            .filter_map(|id| lib.scenario(id))
            .map(uses)
            .collect()
    };
    let before = others(linked(lib, entry.id(), false));
    let after = others(linked(lib, entry.id(), true));
    let set: BTreeSet<&str> = own
        .sets
        .iter()
        .chain(before.iter().flat_map(|u| &u.sets))
        .map(|f| f.name.as_str())
        .collect();
    let read: BTreeSet<&str> = own
        .reads
        .iter()
        .chain(after.iter().flat_map(|u| &u.reads))
        .map(|f| f.name.as_str())
        .collect();
    for r in &own.reads {
        if set.contains(r.name.as_str()) {
            continue;
        }
        let span = report.sources.span(r.file, &r.path);
        let note = match nearest(&r.name, set.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None if set.is_empty() => {
                "no event of this scenario sets a flag: a `SetFlag(\"...\")` effect sets one"
                    .to_owned()
            }
            None => format!(
                "the flags set are {}",
                set.iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        report.diagnostics.push(
            Diagnostic::error()
                .with_message(format!(
                    "flag `{}` is read but never set in scenario `{}`",
                    r.name,
                    entry.id()
                ))
                .with_labels(vec![
                    Label::primary(r.file, span).with_message("nothing sets this flag"),
                ])
                .with_notes(vec![note]),
        );
    }
    let mut warned = BTreeSet::new();
    for s in &own.sets {
        if read.contains(s.name.as_str()) || !warned.insert(s.name.as_str()) {
            continue;
        }
        let span = report.sources.span(s.file, &s.path);
        report.diagnostics.push(
            Diagnostic::warning()
                .with_message(format!(
                    "flag `{}` is set but never read in scenario `{}`",
                    s.name,
                    entry.id()
                ))
                .with_labels(vec![
                    Label::primary(s.file, span).with_message("nothing reads this flag"),
                ])
                .with_notes(vec![
                    "a `Flag(\"...\")` condition or objective reads a flag; in a campaign, a later chapter that carries `Flags` may read it".to_owned(),
                ]),
        );
    }
}
