//! The command line as a user meets it: exit codes, the last line of `run`, and one-screen
//! errors for bad input, never a panic.

mod common;

use std::path::Path;
use std::process::Output;

use common::{khitomer, text};

/// Exit code 2, a message naming what is wrong, no panic, no backtrace, one screen.
fn assert_clean_failure(out: &Output, expected: &[&str]) {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("stack backtrace"),
        "{stderr}"
    );
    assert!(
        stderr.lines().count() <= 40,
        "more than a screen:\n{stderr}"
    );
    for e in expected {
        assert!(stderr.contains(e), "expected {e:?} in:\n{stderr}");
    }
}

fn fixture(name: &str) -> String {
    Path::new("tests/fixtures/bad_scenarios")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn list_shows_the_shipped_scenario() {
    let out = khitomer(&["list"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    assert!(
        stdout.lines().any(|l| l.starts_with("tau_dewa_2409 ")
            && l.contains("2409")
            && l.contains("federation")),
        "{stdout}"
    );
}

#[test]
fn run_prints_the_turn_log_and_ends_with_the_final_hash() {
    let out = khitomer(&["run", "tau_dewa_2409", "--turns", "3", "--seed", "5"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("Turn 1, 2409-03") && stdout.contains("Turn 3, 2409-05"),
        "{stdout}"
    );
    assert!(stdout.contains("economy    Klingon Empire"), "{stdout}");
    let last = stdout.lines().last().unwrap();
    let hash = last
        .strip_prefix("final hash: ")
        .expect("last line is the final hash");
    assert_eq!(hash.len(), 64);
    assert!(hash.chars().all(|c| c.is_ascii_hexdigit()));
    // Not on a terminal: no progress bar, nothing on standard error at all.
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
    // The same again gives the same hash.
    let again = text(&khitomer(&["run", "tau_dewa_2409", "--turns", "3", "--seed", "5"]).stdout);
    assert_eq!(again.lines().last().unwrap(), last);
}

#[test]
fn run_json_prints_one_object_per_line_with_the_final_hash() {
    let out = khitomer(&["run", "tau_dewa_2409", "--turns", "2", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    let values: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is JSON"))
        .collect();
    assert_eq!(values[0]["scenario"], "tau_dewa_2409");
    assert!(
        values
            .iter()
            .any(|v| v["event"] == "fleet_moved" && v["turn"] == 1 && v["text"].is_string())
    );
    assert_eq!(values.iter().filter(|v| v.get("hash").is_some()).count(), 2);
    let last = values.last().unwrap();
    assert_eq!(last["final_hash"].as_str().map(str::len), Some(64));
    let text_run = text(&khitomer(&["run", "tau_dewa_2409", "--turns", "2"]).stdout);
    assert!(text_run.ends_with(&format!(
        "final hash: {}\n",
        last["final_hash"].as_str().unwrap()
    )));
}

#[test]
fn a_syntax_error_names_file_line_and_column() {
    let out = khitomer(&["run", &fixture("syntax.ron")]);
    assert_clean_failure(&out, &["syntax.ron:15:5", "Expected comma"]);
}

#[test]
fn an_unknown_faction_names_the_id_where_it_is_used_and_the_nearest() {
    let out = khitomer(&["run", &fixture("unknown_faction.ron")]);
    assert_clean_failure(
        &out,
        &[
            "unknown faction `klingonn`",
            "unknown_faction.ron:35:59",
            "the owner of fleet `kdf_seventh`",
            "did you mean `klingon`?",
        ],
    );
}

#[test]
fn a_fleet_in_a_missing_sector_is_reported() {
    let out = khitomer(&["run", &fixture("bad_sector.ron")]);
    assert_clean_failure(
        &out,
        &[
            "unknown sector `hromy_cluster`",
            "bad_sector.ron:36:",
            "where fleet `kdf_hromi` starts",
        ],
    );
}

#[test]
fn an_empty_file_is_reported() {
    let out = khitomer(&["run", &fixture("empty.ron")]);
    assert_clean_failure(&out, &["empty.ron", "is empty"]);
}

#[test]
fn bad_usage_exits_with_two() {
    assert_clean_failure(
        &khitomer(&["run", "no_such_scenario"]),
        &["unknown scenario `no_such_scenario`"],
    );
    assert_clean_failure(
        &khitomer(&["run", "tau_dewa_240"]),
        &["did you mean `tau_dewa_2409`?"],
    );
    assert_clean_failure(
        &khitomer(&["run", "tau_dewa_2409", "--as", "klingonn"]),
        &["did you mean `klingon`?", "playable:"],
    );
    assert_clean_failure(
        &khitomer(&["run", "tau_dewa_2409", "--turns", "many"]),
        &["invalid value"],
    );
    assert_clean_failure(&khitomer(&["fly"]), &["unrecognized subcommand"]);
    assert_clean_failure(
        &khitomer(&["run", "missing/file.ron"]),
        &["no scenario file at `missing/file.ron`"],
    );
    let help = khitomer(&["run", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(text(&help.stdout).contains("--seed"));
}

#[test]
fn autoplay_counts_each_factions_wins_over_a_run_of_seeds() {
    let out = khitomer(&["autoplay", "cold_call", "--games", "3", "--seed", "10"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    for seed in ["10", "11", "12"] {
        assert!(
            stdout
                .lines()
                .any(|l| l.split_whitespace().next() == Some(seed)),
            "a line for seed {seed}:\n{stdout}"
        );
    }
    let wins: u32 = stdout
        .lines()
        .skip_while(|l| *l != "wins")
        .skip(1)
        .filter(|l| !l.contains("(no winner)") && !l.starts_with("note"))
        .map(|l| {
            let n = l.split_whitespace().last().unwrap();
            n.split('/').next().unwrap().parse::<u32>().unwrap()
        })
        .sum();
    let winners: u32 = stdout
        .lines()
        .filter(|l| l.contains("objectives met") || l.contains("time ran out"))
        .map(|l| {
            let tail = l.rsplit("  ").next().unwrap();
            if tail == "no one" {
                0
            } else {
                tail.split(", ").count() as u32
            }
        })
        .sum();
    assert_eq!(wins, winners, "the totals add up the games:\n{stdout}");

    // The same seeds give the same results.
    let again = khitomer(&["autoplay", "cold_call", "--games", "3", "--seed", "10"]);
    assert_eq!(text(&again.stdout), stdout);

    assert_clean_failure(
        &khitomer(&["autoplay", "cold_call", "--games", "0"]),
        &["0"],
    );
    assert_clean_failure(
        &khitomer(&["autoplay", "no_such_scenario"]),
        &["no_such_scenario"],
    );
}
