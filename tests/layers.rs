//! The shape of the code: each layer uses only the layers below it, and the turn driver is the
//! one place where the AI's orders are planned and turns are played with them.

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn all_sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["src", "tests", "benches"] {
        sources(&root.join(dir), &mut files);
    }
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let name = p
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (name, text)
        })
        .collect()
}

/// The top-level module a library file belongs to (`core`, `ai`, ...).
fn layer(file: &str) -> Option<&str> {
    let rest = file.strip_prefix("src/")?;
    let first = rest.split('/').next()?;
    Some(first.strip_suffix(".rs").unwrap_or(first))
}

#[test]
fn no_layer_uses_a_layer_above_it() {
    // What each layer may use besides itself; `spelling` is a leaf every layer may use.
    let allowed: &[(&str, &[&str])] = &[
        ("core", &[]),
        ("ai", &["core"]),
        ("session", &["core"]),
        ("content", &["core", "session"]),
        ("record", &["core", "session"]),
        ("chronicle", &["core"]),
        ("driver", &["core", "ai", "session", "record"]),
    ];
    let modules = [
        "core",
        "ai",
        "session",
        "content",
        "record",
        "chronicle",
        "driver",
        "cli",
        "gui",
    ];
    let mut wrong = Vec::new();
    for (file, text) in all_sources() {
        let Some(own) = layer(&file) else { continue };
        let Some((_, may)) = allowed.iter().find(|(l, _)| *l == own) else {
            continue;
        };
        for used in modules {
            if used != own && !may.contains(&used) && text.contains(&format!("crate::{used}::")) {
                wrong.push(format!("{file} uses `{used}`"));
            }
        }
    }
    assert!(wrong.is_empty(), "layers used from below: {wrong:#?}");
}

#[test]
fn only_the_driver_plans_and_plays_turns() {
    let mut planners = Vec::new();
    for (file, text) in all_sources() {
        let plans = text.contains("plan_seats(") || text.contains("ai::plan(");
        let own = ["src/driver.rs", "src/ai/mod.rs", "tests/layers.rs"];
        if plans && !own.contains(&file.as_str()) {
            planners.push(file);
        }
    }
    assert!(
        planners.is_empty(),
        "the AI's orders are planned outside the turn driver in {planners:?}"
    );
}
