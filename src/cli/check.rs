//! `khitomer check`: reads, layers, resolves and checks everything without playing, and
//! reports every problem at once.

use std::path::{Path, PathBuf};

use clap::Args;

use crate::content::check::check_all;
use crate::content::{ContentPaths, Library};

use super::find::content_root;
use super::{Failure, colour_stderr};

/// Arguments of `khitomer check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Scenario files, or folders of them (such as a copy of `scenarios/`), to check with the
    /// base game; a scenario with the id of one of the game's takes its place.
    pub paths: Vec<PathBuf>,
}

/// `khitomer check`.
pub fn check(args: &CheckArgs, mods: &[PathBuf]) -> Result<(), Failure> {
    let mut lib = Library::load_with_mods(&ContentPaths::under(&content_root()), mods);
    for path in &args.paths {
        if path.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| {
                    Failure::Input(format!(
                        "error: cannot read folder `{}`: {e}\n",
                        path.display()
                    ))
                })?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "ron"))
                .collect();
            files.sort();
            for file in files {
                lib.add_scenario_file(&file);
            }
        } else if path.is_file() {
            lib.add_scenario_file(path);
        } else {
            return Err(Failure::Input(format!(
                "error: nothing to check at `{}`\n",
                display(path)
            )));
        }
    }
    let report = check_all(&lib);
    let errors = report.error_count();
    let warnings = report.diagnostics.len() - errors;
    eprint!("{}", report.render(colour_stderr()));
    let summary = format!(
        "checked {} scenario(s), {} map(s), {} faction(s), {} character(s) and {} mod(s): {errors} error(s), {warnings} warning(s)",
        lib.scenarios.len(),
        lib.maps.len(),
        lib.factions.len(),
        lib.characters.len(),
        lib.mods.len()
    );
    if errors > 0 {
        return Err(Failure::Check(format!("{summary}\n")));
    }
    println!("{summary}");
    Ok(())
}

fn display(path: &Path) -> String {
    crate::content::display_path(path)
}
