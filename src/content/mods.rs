//! Mods: folders of data layered over the base game, in the order given on the command line.
//!
//! A mod is a folder with a manifest, `mod.ron` (id, name, version, the mods it depends on,
//! and entries it removes), and any of `maps/`, `factions/`, `scenarios/` and `patches/`.
//! Maps, factions, characters and scenarios add to the game or replace the entry with the
//! same id; a patch adds, replaces or removes single events, fleets, pacts and objectives of
//! a scenario. Two mods that touch the same entry conflict unless the later depends on the
//! earlier. Nothing outside the mod's folder is read, and files and counts have caps.

use std::collections::BTreeMap;
use std::path::{Path as FsPath, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic, Label};

use super::locate::Path;
use super::raw::{CampaignFile, ModManifest, Removal, RosterFile, ScenarioFile, ScenarioPatch};
use super::report::{FileId, nearest};
use super::{Library, MapFile, ModInfo, Placed, ScenarioEntry, display_path, limits, ron_files};

/// The part of the mods that is applied once the base game's scenarios are read.
#[derive(Default)]
pub struct ModLayers {
    /// Per mod, in order: its scenario files and patch files.
    staged: Vec<(usize, Vec<PathBuf>, Vec<PathBuf>)>,
    /// Scenario removals: (mod, id, manifest, path in it).
    scenario_removals: Vec<(usize, String, FileId, Path)>,
    /// Who touched what first: (kind, id) → (mod, file, path).
    touched: BTreeMap<(String, String), (usize, FileId, Path)>,
    /// For each mod, the mods it depends on, directly or not.
    needs: Vec<Vec<usize>>,
}

impl ModLayers {
    /// Records that mod `by` touches an entry, reporting a conflict with an earlier mod that
    /// touched it too, unless `by` depends on that mod.
    fn touch(
        &mut self,
        lib: &mut Library,
        by: usize,
        kind: &str,
        id: &str,
        file: FileId,
        path: &Path,
    ) {
        let key = (kind.to_owned(), id.to_owned());
        let removes = matches!(path.0.first(), Some(super::locate::Step::Field(f)) if f.starts_with("remove"));
        lib.mod_changes.push(super::ModChange {
            kind: kind.to_owned(),
            id: id.to_owned(),
            by,
            file,
            path: path.clone(),
            removes,
        });
        match self.touched.get(&key) {
            Some(&(earlier, first_file, ref first_path))
                if earlier != by && !self.needs[by].contains(&earlier) =>
            {
                let (a, b) = (lib.mods[earlier].id.clone(), lib.mods[by].id.clone());
                let first_span = lib.report.sources.span(first_file, first_path);
                let span = lib.report.sources.span(file, path);
                lib.report.diagnostics.push(
                    Diagnostic::error()
                        .with_message(format!("mods `{a}` and `{b}` both change {kind} `{id}`"))
                        .with_code("mod-conflict")
                        .with_labels(vec![
                            Label::primary(file, span)
                                .with_message(format!("`{b}` changes it here")),
                            Label::secondary(first_file, first_span)
                                .with_message(format!("`{a}` changes it here")),
                        ])
                        .with_notes(vec![format!(
                            "if `{b}` is meant to build on `{a}`, add \"{a}\" to its `depends_on`"
                        )]),
                );
            }
            Some(_) => {}
            None => {
                self.touched.insert(key, (by, file, path.clone()));
            }
        }
    }
}

/// The `.ron` files of a mod's subfolder, each checked to be inside the mod's folder.
fn mod_files(lib: &mut Library, root: &FsPath, sub: &str, budget: &mut usize) -> Vec<PathBuf> {
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut out = Vec::new();
    let dir = root.join(sub);
    if dir.exists() {
        match dir.canonicalize() {
            Ok(real) if !real.starts_with(&canonical_root) => {
                lib.report.error(format!(
                    "`{}` leads outside the mod folder `{}`; a mod reads only its own files",
                    display_path(&dir),
                    display_path(root)
                ));
                return out;
            }
            _ => {}
        }
    }
    for file in ron_files(&mut lib.report, &dir) {
        match file.canonicalize() {
            Ok(real) if real.starts_with(&canonical_root) => {}
            _ => {
                lib.report.error(format!(
                    "`{}` leads outside the mod folder `{}`; a mod reads only its own files",
                    display_path(&file),
                    display_path(root)
                ));
                continue;
            }
        }
        if *budget == 0 {
            lib.report.error(format!(
                "mod `{}` has more than {} files; the rest are not read",
                display_path(root),
                limits::MAX_MOD_FILES
            ));
            break;
        }
        *budget -= 1;
        out.push(file);
    }
    out
}

/// Reads the mods' manifests, maps and rosters, checks their dependencies, and layers them
/// over the base game. Scenarios and patches wait for [`layer_scenarios`].
pub fn layer(lib: &mut Library, dirs: &[PathBuf]) -> ModLayers {
    let mut layers = ModLayers::default();
    let mut manifests: Vec<(usize, ModManifest)> = Vec::new();
    for dir in dirs {
        let shown = display_path(dir);
        if !dir.is_dir() {
            lib.report.error(format!("no mod folder at `{shown}`"));
            continue;
        }
        let manifest_path = dir.join("mod.ron");
        if !manifest_path.is_file() {
            lib.report
                .error(format!("`{shown}` has no `mod.ron`"))
                .notes
                .push(
                    "a mod's folder holds a manifest: Mod(id: ..., name: ..., version: ...)".into(),
                );
            continue;
        }
        let inside = match (manifest_path.canonicalize(), dir.canonicalize()) {
            (Ok(real), Ok(root)) => real.starts_with(root),
            _ => false,
        };
        if !inside {
            lib.report.error(format!(
                "`{}` leads outside the mod folder `{shown}`; a mod reads only its own files",
                display_path(&manifest_path)
            ));
            continue;
        }
        let Some((file, manifest)) =
            lib.parse::<ModManifest>(&manifest_path, "a manifest holds one `Mod(...)`")
        else {
            continue;
        };
        if let Some(other) = lib.mods.iter().find(|m| m.id == manifest.id) {
            let span = lib.report.sources.span(file, &Path::root().field("id"));
            lib.report.diagnostics.push(
                Diagnostic::error()
                    .with_message(format!("two mods have the id `{}`", manifest.id))
                    .with_labels(vec![
                        Label::primary(file, span).with_message("loaded again here"),
                    ])
                    .with_notes(vec![format!(
                        "the other is in `{}`",
                        display_path(&other.dir)
                    )]),
            );
            continue;
        }
        lib.mods.push(ModInfo {
            id: manifest.id.clone(),
            name: manifest.name.clone(),
            version: manifest.version.clone(),
            dir: dir.clone(),
            file,
            depends_on: manifest.depends_on.clone(),
        });
        // The manifest's recorded name is known only now that the mod is.
        let name = lib.content_name(lib.report.sources.name(file));
        lib.content_names[file] = name;
        manifests.push((lib.mods.len() - 1, manifest));
    }

    check_dependencies(lib, &mut layers);

    for (k, manifest) in &manifests {
        let k = *k;
        let root = lib.mods[k].dir.clone();
        let mut budget = limits::MAX_MOD_FILES;
        for path in mod_files(lib, &root, "maps", &mut budget) {
            if let Some((file, map)) =
                lib.parse::<MapFile>(&path, "a map file holds one `Map(...)`")
            {
                layers.touch(
                    lib,
                    k,
                    "map",
                    &map.id.clone(),
                    file,
                    &Path::root().field("id"),
                );
                lib.add_map(file, map, Some(k));
            }
        }
        for path in mod_files(lib, &root, "factions", &mut budget) {
            if let Some((file, roster)) =
                lib.parse::<RosterFile>(&path, "a roster file holds one `Roster(...)`")
            {
                for (i, f) in roster.factions.iter().enumerate() {
                    layers.touch(
                        lib,
                        k,
                        "faction",
                        &f.id,
                        file,
                        &Path::root().field("factions").index(i).field("id"),
                    );
                }
                for (i, c) in roster.characters.iter().enumerate() {
                    layers.touch(
                        lib,
                        k,
                        "character",
                        &c.id,
                        file,
                        &Path::root().field("characters").index(i).field("id"),
                    );
                }
                lib.add_roster(file, roster, Some(k));
            }
        }
        for path in mod_files(lib, &root, "campaigns", &mut budget) {
            if let Some((file, campaign)) =
                lib.parse::<CampaignFile>(&path, "a campaign file holds one `Campaign(...)`")
            {
                layers.touch(
                    lib,
                    k,
                    "campaign",
                    &campaign.id.clone(),
                    file,
                    &Path::root().field("id"),
                );
                lib.add_campaign(file, campaign, Some(k));
            }
        }
        let scenarios = mod_files(lib, &root, "scenarios", &mut budget);
        let patches = mod_files(lib, &root, "patches", &mut budget);
        layers.staged.push((k, scenarios, patches));

        let file = lib.mods[k].file;
        for (i, removal) in manifest.remove.iter().enumerate() {
            let path = Path::root().field("remove").index(i).index(0);
            let (kind, id) = removal.kind_and_id();
            layers.touch(lib, k, kind, id, file, &path);
            let found = match removal {
                Removal::Map(id) => remove_by(&mut lib.maps, |m| m.value.id == *id),
                Removal::Faction(id) => remove_by(&mut lib.factions, |f| f.value.id == *id),
                Removal::Character(id) => remove_by(&mut lib.characters, |c| c.value.id == *id),
                Removal::Scenario(id) => {
                    layers
                        .scenario_removals
                        .push((k, id.clone(), file, path.clone()));
                    true
                }
            };
            if !found {
                let known: Vec<String> = match removal {
                    Removal::Map(_) => lib.maps.iter().map(|m| m.value.id.clone()).collect(),
                    Removal::Faction(_) => {
                        lib.factions.iter().map(|f| f.value.id.clone()).collect()
                    }
                    _ => lib.characters.iter().map(|c| c.value.id.clone()).collect(),
                };
                unknown(
                    lib,
                    file,
                    &path,
                    kind,
                    id,
                    known.iter().map(String::as_str),
                    "the entry to remove",
                );
            }
        }
    }
    layers
}

fn remove_by<T>(list: &mut Vec<Placed<T>>, found: impl Fn(&Placed<T>) -> bool) -> bool {
    let before = list.len();
    list.retain(|x| !found(x));
    list.len() != before
}

/// A scenario's list of one kind of entry, with where each is written.
type Lists<T> = fn(&mut ScenarioEntry) -> (&mut Vec<T>, &mut Vec<(FileId, Path)>);

/// How a patch layers one kind of scenario entry (events, fleets): its entries add to the
/// scenario's or replace those with their ids, then its removals take entries away. The work
/// is linear in the sizes of the scenario and the patch; an id given twice in one patch is an
/// error, as in a scenario file.
struct Layered {
    kind: &'static str,
    list: &'static str,
    removals: &'static str,
}

impl Layered {
    #[allow(clippy::too_many_arguments)]
    fn apply<T>(
        &self,
        lib: &mut Library,
        layers: &mut ModLayers,
        (k, file, si): (usize, FileId, usize),
        items: Vec<T>,
        removals: &[String],
        id_of: fn(&T) -> &str,
        lists: Lists<T>,
    ) {
        let root = Path::root();
        let sid = lib.scenarios[si].id().to_owned();
        let mut at: BTreeMap<String, usize> = {
            let (list, _) = lists(&mut lib.scenarios[si]);
            list.iter()
                .enumerate()
                .map(|(i, x)| (id_of(x).to_owned(), i))
                .collect()
        };
        let mut given: BTreeMap<String, usize> = BTreeMap::new();
        for (i, item) in items.into_iter().enumerate() {
            let path = root.field(self.list).index(i);
            let id = id_of(&item).to_owned();
            if let Some(&first) = given.get(&id) {
                lib.duplicate(
                    self.kind,
                    &id,
                    (file, path.field("id")),
                    (file, root.field(self.list).index(first).field("id")),
                );
                continue;
            }
            given.insert(id.clone(), i);
            layers.touch(
                lib,
                k,
                self.kind,
                &format!("{sid}/{id}"),
                file,
                &path.field("id"),
            );
            let (list, places) = lists(&mut lib.scenarios[si]);
            match at.get(&id) {
                Some(&n) => {
                    list[n] = item;
                    places[n] = (file, path);
                }
                None => {
                    at.insert(id, list.len());
                    list.push(item);
                    places.push((file, path));
                }
            }
        }
        let mut gone: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, id) in removals.iter().enumerate() {
            let path = root.field(self.removals).index(i);
            if let Some(&first) = gone.get(id.as_str()) {
                lib.duplicate(
                    self.kind,
                    id,
                    (file, path.clone()),
                    (file, root.field(self.removals).index(first)),
                );
                continue;
            }
            gone.insert(id, i);
            layers.touch(lib, k, self.kind, &format!("{sid}/{id}"), file, &path);
            if !at.contains_key(id) {
                let known: Vec<String> = at.keys().cloned().collect();
                unknown(
                    lib,
                    file,
                    &path,
                    self.kind,
                    id,
                    known.iter().map(String::as_str),
                    &format!("the {} to remove", self.kind),
                );
            }
        }
        if gone.is_empty() {
            return;
        }
        let (list, places) = lists(&mut lib.scenarios[si]);
        let keep: Vec<bool> = list.iter().map(|x| !gone.contains_key(id_of(x))).collect();
        let mut flags = keep.iter();
        list.retain(|_| *flags.next().expect("one flag per item"));
        let mut flags = keep.iter();
        places.retain(|_| *flags.next().expect("one flag per place"));
    }
}

fn unknown<'a>(
    lib: &mut Library,
    file: FileId,
    path: &Path,
    kind: &str,
    id: &str,
    known: impl IntoIterator<Item = &'a str>,
    used_as: &str,
) {
    let hint = nearest(id, known).map(|n| format!("did you mean `{n}`?"));
    let d = lib
        .report
        .error_at(file, path, format!("unknown {kind} `{id}`"), used_as);
    d.code = Some("unknown-id".into());
    if let Some(hint) = hint {
        d.notes.push(hint);
    }
}

/// Every mod's dependencies must be loaded, before it, and without a cycle.
fn check_dependencies(lib: &mut Library, layers: &mut ModLayers) {
    let n = lib.mods.len();
    let index_of = |lib: &Library, id: &str| lib.mods.iter().position(|m| m.id == id);
    let mut direct: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (k, needs) in direct.iter_mut().enumerate() {
        for (i, dep) in lib.mods[k].depends_on.clone().iter().enumerate() {
            let file = lib.mods[k].file;
            let path = Path::root().field("depends_on").index(i);
            match index_of(lib, dep) {
                None => {
                    let me = lib.mods[k].id.clone();
                    let d = lib.report.error_at(
                        file,
                        &path,
                        format!("mod `{me}` depends on `{dep}`, which is not loaded"),
                        "missing dependency",
                    );
                    d.code = Some("missing-dependency".into());
                    d.notes
                        .push(format!("load `{dep}` with `--mod` before `{me}`"));
                }
                Some(j) => needs.push(j),
            }
        }
    }
    // A cycle: report it once, from the first mod on it.
    let mut reported = vec![false; n];
    for start in 0..n {
        if let Some(cycle) = find_cycle(&direct, start)
            && !cycle.iter().any(|&m| reported[m])
        {
            for &m in &cycle {
                reported[m] = true;
            }
            let names: Vec<String> = cycle
                .iter()
                .chain(cycle.first())
                .map(|&m| format!("`{}`", lib.mods[m].id))
                .collect();
            let file = lib.mods[start].file;
            let d = lib.report.error_at(
                file,
                &Path::root().field("depends_on"),
                format!(
                    "mods depend on each other in a cycle: {}",
                    names.join(" → ")
                ),
                "part of the cycle",
            );
            d.code = Some("dependency-cycle".into());
        }
    }
    for k in 0..n {
        if reported[k] {
            continue;
        }
        for (i, &j) in direct[k].iter().enumerate() {
            if j > k {
                let (me, dep) = (lib.mods[k].id.clone(), lib.mods[j].id.clone());
                let file = lib.mods[k].file;
                let d = lib.report.error_at(
                    file,
                    &Path::root().field("depends_on").index(i),
                    format!("mod `{me}` depends on `{dep}`, which is loaded after it"),
                    "loaded too late",
                );
                d.notes.push(format!(
                    "give `--mod` for `{dep}` before the one for `{me}`"
                ));
            }
        }
    }
    // Everything each mod builds on, directly or not.
    layers.needs = (0..n)
        .map(|k| {
            let mut seen = vec![false; n];
            let mut stack = direct[k].clone();
            while let Some(j) = stack.pop() {
                if !seen[j] {
                    seen[j] = true;
                    stack.extend(&direct[j]);
                }
            }
            (0..n).filter(|&j| seen[j]).collect()
        })
        .collect();
}

fn find_cycle(direct: &[Vec<usize>], start: usize) -> Option<Vec<usize>> {
    fn walk(
        direct: &[Vec<usize>],
        at: usize,
        start: usize,
        path: &mut Vec<usize>,
        depth: usize,
    ) -> bool {
        if depth > direct.len() {
            return false;
        }
        for &next in &direct[at] {
            if next == start {
                return true;
            }
            if !path.contains(&next) {
                path.push(next);
                if walk(direct, next, start, path, depth + 1) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut path = vec![start];
    walk(direct, start, start, &mut path, 0).then_some(path)
}

/// Layers the mods' scenarios, scenario removals and patches over the base game's scenarios.
pub fn layer_scenarios(lib: &mut Library, mut layers: ModLayers) {
    let staged = std::mem::take(&mut layers.staged);
    for (k, scenarios, patches) in staged {
        for path in scenarios {
            if let Some((file, scenario)) =
                lib.parse::<ScenarioFile>(&path, "a scenario file holds one `Scenario(...)`")
            {
                limits::check_scenario(&mut lib.report, file, &scenario);
                layers.touch(
                    lib,
                    k,
                    "scenario",
                    &scenario.id.clone(),
                    file,
                    &Path::root().field("id"),
                );
                lib.put_scenario(
                    ScenarioEntry::new(Placed {
                        file,
                        path: Path::root(),
                        value: scenario,
                        origin: Some(k),
                    }),
                    true,
                );
            }
        }
        for (m, id, file, path) in layers.scenario_removals.clone() {
            if m == k && remove_scenario(lib, &id).is_none() {
                let known: Vec<String> = lib.scenarios.iter().map(|s| s.id().to_owned()).collect();
                unknown(
                    lib,
                    file,
                    &path,
                    "scenario",
                    &id,
                    known.iter().map(String::as_str),
                    "the scenario to remove",
                );
            }
        }
        for path in patches {
            if let Some((file, patch)) =
                lib.parse::<ScenarioPatch>(&path, "a patch file holds one `Patch(...)`")
            {
                apply_patch(lib, &mut layers, k, file, patch);
            }
        }
    }
}

fn remove_scenario(lib: &mut Library, id: &str) -> Option<ScenarioEntry> {
    let i = lib.scenarios.iter().position(|s| s.id() == id)?;
    Some(lib.scenarios.remove(i))
}

fn apply_patch(
    lib: &mut Library,
    layers: &mut ModLayers,
    k: usize,
    file: FileId,
    patch: ScenarioPatch,
) {
    let root = Path::root();
    let Some(si) = lib.scenarios.iter().position(|s| s.id() == patch.scenario) else {
        let known: Vec<String> = lib.scenarios.iter().map(|s| s.id().to_owned()).collect();
        unknown(
            lib,
            file,
            &root.field("scenario"),
            "scenario",
            &patch.scenario,
            known.iter().map(String::as_str),
            "the scenario this patch changes",
        );
        return;
    };
    let sid = patch.scenario.clone();
    lib.scenarios[si].patches.push(file);
    let events = Layered {
        kind: "event",
        list: "events",
        removals: "remove_events",
    };
    events.apply(
        lib,
        layers,
        (k, file, si),
        patch.events,
        &patch.remove_events,
        |e| e.id.as_str(),
        |entry| (&mut entry.scenario.value.events, &mut entry.event_at),
    );
    let fleets = Layered {
        kind: "fleet",
        list: "fleets",
        removals: "remove_fleets",
    };
    fleets.apply(
        lib,
        layers,
        (k, file, si),
        patch.fleets,
        &patch.remove_fleets,
        |f| f.id.as_str(),
        |entry| (&mut entry.scenario.value.fleets, &mut entry.fleet_at),
    );
    for (faction, objectives) in patch.objectives {
        let path = root.field("objectives").key(&faction);
        layers.touch(
            lib,
            k,
            "objectives",
            &format!("{sid}/{faction}"),
            file,
            &root.field("objectives").key_itself(&faction),
        );
        let entry = &mut lib.scenarios[si];
        entry
            .scenario
            .value
            .objectives
            .insert(faction.clone(), objectives);
        entry.objectives_at.retain(|(f, _, _)| *f != faction);
        entry.objectives_at.push((faction, file, path));
    }
    // Pacts, as events and fleets: by id, each id once in the patch, and a conflict when two
    // mods change one pact.
    let sid = lib.scenarios[si].id().to_owned();
    let mut given: BTreeMap<String, usize> = BTreeMap::new();
    for (i, pact) in patch.pacts.into_iter().enumerate() {
        let path = root.field("pacts").index(i);
        if let Some(&first) = given.get(&pact.id) {
            lib.duplicate(
                "pact",
                &pact.id,
                (file, path.field("id")),
                (file, root.field("pacts").index(first).field("id")),
            );
            continue;
        }
        given.insert(pact.id.clone(), i);
        layers.touch(
            lib,
            k,
            "pact",
            &format!("{sid}/{}", pact.id),
            file,
            &path.field("id"),
        );
        let entry = &mut lib.scenarios[si];
        match entry
            .scenario
            .value
            .pacts
            .iter()
            .position(|p| p.id == pact.id)
        {
            Some(at) => entry.scenario.value.pacts[at] = pact,
            None => entry.scenario.value.pacts.push(pact),
        }
    }
}
