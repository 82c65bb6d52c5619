//! `khitomer autoplay` as a user meets it: win rates with their intervals, the same results
//! on any number of threads, policies and a challenger, and the `--plot` picture.

mod common;

use std::process::Output;

use serde_json::Value;

use common::{khitomer, text};

/// Runs autoplay and returns its standard output, having checked that it succeeded.
fn autoplay(args: &[&str]) -> String {
    let mut all = vec!["autoplay", "tau_dewa_2409"];
    all.extend_from_slice(args);
    let out = khitomer(&all);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    text(&out.stdout)
}

/// The totals: the last JSON line of `--json`.
fn totals(stdout: &str) -> Value {
    let last = stdout.lines().last().expect("a line of totals");
    serde_json::from_str(last).expect("the totals are JSON")
}

/// Exit code 2 and a single error line naming what is wrong, no panic.
fn assert_one_line_failure(out: &Output, expected: &[&str]) {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    assert!(!stderr.contains("panicked"), "{stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(errors.len(), 1, "one error line:\n{stderr}");
    for e in expected {
        assert!(errors[0].contains(e), "expected {e:?} in:\n{stderr}");
    }
}

/// Checks a rate object: `low <= rate <= high`, all within 0 to 1; returns its width.
fn interval_width(rate: &Value) -> f64 {
    let get = |k: &str| {
        rate[k]
            .as_f64()
            .unwrap_or_else(|| panic!("`{k}` in {rate}"))
    };
    let (low, r, high) = (get("low"), get("rate"), get("high"));
    assert!(
        (0.0..=1.0).contains(&low) && low <= r && r <= high && high <= 1.0,
        "{rate}"
    );
    let (wins, games) = (
        rate["wins"].as_f64().unwrap(),
        rate["games"].as_f64().unwrap(),
    );
    assert!((r - wins / games).abs() < 1e-9, "{rate}");
    high - low
}

#[test]
fn the_json_gives_each_factions_win_rate_with_an_interval_that_narrows_with_more_games() {
    let few = totals(&autoplay(&["--games", "4", "--json"]));
    let more = totals(&autoplay(&["--games", "8", "--json"]));
    let factions = few["win_rate"].as_object().expect("win rates by faction");
    assert!(factions.contains_key("federation") && factions.contains_key("klingon"));
    for (faction, rate) in factions {
        assert_eq!(rate["games"], 4, "{faction}: {rate}");
        assert_eq!(rate["wins"], few["wins"][faction], "{faction}");
        let narrow = interval_width(&more["win_rate"][faction]);
        let wide = interval_width(rate);
        assert!(
            narrow < wide,
            "{faction}: {narrow} after 8 games, {wide} after 4"
        );
    }
    interval_width(&few["no_winner_rate"]);
    // The game lengths: a mean within the shortest and longest, and a spread.
    let turns = &few["turns"];
    let mean = turns["mean"].as_f64().unwrap();
    assert!(turns["min"].as_f64().unwrap() <= mean && mean <= turns["max"].as_f64().unwrap());
    assert!(turns["sd"].as_f64().unwrap() >= 0.0, "{turns}");
    // The game's AI is the strategic one.
    assert_eq!(few["ai"], "strategic");
    assert!(few["challenger"].is_null());
    // The existing fields stay.
    assert_eq!(few["games"], 4);
    assert!(few["no_winner"].is_u64());
}

#[test]
fn the_text_gives_the_win_rates_and_the_game_length() {
    let stdout = autoplay(&["--games", "4", "--seed", "7"]);
    assert!(stdout.contains("game length: mean "), "{stdout}");
    let wins: Vec<&str> = stdout
        .lines()
        .skip_while(|l| *l != "wins")
        .skip(1)
        .filter(|l| !l.starts_with("note"))
        .collect();
    assert!(wins.len() >= 3, "{stdout}");
    for line in wins {
        assert!(line.contains('%') && line.contains('['), "{line}");
        assert!(line.trim_end().ends_with("/4"), "{line}");
    }
}

#[test]
fn the_results_are_the_same_on_one_thread_or_two() {
    for format in [&[][..], &["--json"][..]] {
        let mut one = vec!["--games", "6", "--seed", "20", "--threads", "1"];
        one.extend_from_slice(format);
        let mut two = one.clone();
        two[5] = "2";
        let (one, two) = (autoplay(&one), autoplay(&two));
        assert_eq!(one, two);
        assert!(one.len() > 100, "{one}");
    }
    // And in seed order.
    let text = autoplay(&["--games", "6", "--seed", "20", "--threads", "2"]);
    let seeds: Vec<u64> = text
        .lines()
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect();
    assert_eq!(seeds, (20..26).collect::<Vec<_>>());
    let json = autoplay(&["--games", "6", "--seed", "20", "--threads", "2", "--json"]);
    let seeds: Vec<u64> = json
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok()?["seed"].as_u64())
        .collect();
    assert_eq!(seeds, (20..26).collect::<Vec<_>>());
    // Every game's final state hash is among what is compared.
    for line in json.lines().take(6) {
        let game: Value = serde_json::from_str(line).unwrap();
        let hash = game["final_hash"].as_str().expect("a final hash");
        assert!(
            hash.len() == 64 && hash.chars().all(|c| c.is_ascii_hexdigit()),
            "{line}"
        );
    }
}

#[test]
fn a_png_plot_is_a_picture() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.png");
    autoplay(&["--games", "4", "--plot", path.to_str().unwrap()]);
    let picture = image::open(&path).expect("the PNG decodes").to_rgb8();
    assert!(picture.width() >= 400 && picture.height() >= 300);
    let first = picture.get_pixel(0, 0);
    let differ = picture.pixels().filter(|p| *p != first).count();
    assert!(
        differ > (picture.width() * picture.height() / 50) as usize,
        "{differ} pixels differ from the background"
    );
    assert!(
        !dir.path().join("x.png.writing").exists(),
        "no temporary file is left"
    );
}

#[test]
fn an_svg_plot_names_every_faction() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.svg");
    let json = autoplay(&["--games", "4", "--json", "--plot", path.to_str().unwrap()]);
    let svg = std::fs::read_to_string(&path).expect("the SVG is written");
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    for faction in totals(&json)["win_rate"].as_object().unwrap().keys() {
        assert!(svg.contains(faction.as_str()), "`{faction}` in the SVG");
    }
    for name in ["United Federation of Planets", "Klingon Empire"] {
        assert!(svg.contains(name), "`{name}` in the SVG");
    }
}

#[test]
fn a_plot_that_cannot_be_drawn_or_written_is_refused_before_playing() {
    let dir = tempfile::tempdir().unwrap();
    let txt = dir.path().join("x.txt");
    let nowhere = dir.path().join("no_such_folder").join("x.png");
    for (plot, expected) in [
        (&txt, &["--plot", ".png", ".svg"][..]),
        (&nowhere, &["--plot", "nothing was played"][..]),
    ] {
        assert_one_line_failure(
            &khitomer(&[
                "autoplay",
                "tau_dewa_2409",
                "--games",
                "2",
                "--plot",
                plot.to_str().unwrap(),
            ]),
            expected,
        );
    }
    assert!(!txt.exists());
}

#[test]
fn an_unknown_policy_is_a_one_line_error() {
    assert_one_line_failure(
        &khitomer(&["autoplay", "tau_dewa_2409", "--ai", "cunning"]),
        &["cunning", "baseline", "historical", "strategic"],
    );
    assert_one_line_failure(
        &khitomer(&["autoplay", "tau_dewa_2409", "--challenger", "cunning"]),
        &["cunning", "strategic"],
    );
    let both = khitomer(&[
        "autoplay",
        "tau_dewa_2409",
        "--ai",
        "strategic",
        "--historical",
    ]);
    assert_eq!(both.status.code(), Some(2), "{}", text(&both.stderr));
}

#[test]
fn a_policy_plays_every_seat() {
    let historical = totals(&autoplay(&["--games", "2", "--json", "--historical"]));
    assert_eq!(historical["ai"], "historical");
    let strategic = totals(&autoplay(&["--games", "2", "--json", "--ai", "strategic"]));
    assert_eq!(strategic["ai"], "strategic");
}

#[test]
fn a_challenger_takes_each_playable_seat_in_turn() {
    let json = autoplay(&[
        "--games",
        "4",
        "--json",
        "--ai",
        "baseline",
        "--challenger",
        "strategic",
    ]);
    let seats: Vec<String> = json
        .lines()
        .filter_map(|l| {
            Some(
                serde_json::from_str::<Value>(l).ok()?["challenger"]
                    .as_str()?
                    .to_owned(),
            )
        })
        .collect();
    assert_eq!(seats, ["federation", "klingon", "federation", "klingon"]);
    let challenger = &totals(&json)["challenger"];
    assert_eq!(challenger["policy"], "strategic");
    let overall = &challenger["win_rate"];
    assert_eq!(overall["games"], 4);
    interval_width(overall);
    for faction in ["federation", "klingon"] {
        let seat = &challenger["by_faction"][faction];
        assert_eq!(seat["challenger"]["games"], 2, "{seat}");
        assert_eq!(seat["ai"]["games"], 2, "{seat}");
        interval_width(&seat["challenger"]);
        interval_width(&seat["ai"]);
    }

    let stdout = autoplay(&[
        "--games",
        "4",
        "--ai",
        "baseline",
        "--challenger",
        "strategic",
    ]);
    assert!(
        stdout.contains("challenger strategic against baseline"),
        "{stdout}"
    );
    let overall = stdout
        .lines()
        .find(|l| l.trim_start().starts_with("overall"))
        .expect("the challenger's overall win rate");
    assert!(
        overall.contains('%') && overall.trim_end().ends_with("/4"),
        "{overall}"
    );
}

/// A scenario named by its file plays every game: the shipped file (standing in for the
/// scenario of its id) as well as a copy elsewhere, each game read from the one file.
#[test]
fn a_scenario_file_given_by_path_plays_every_game() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("autoplay_path");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/wasteland.ron");
    let copy = dir.join("my_wasteland.ron");
    let text_of = std::fs::read_to_string(&shipped).unwrap();
    std::fs::write(
        &copy,
        text_of.replace("id: \"wasteland\"", "id: \"my_wasteland\""),
    )
    .unwrap();
    for path in [
        "scenarios/wasteland.ron".to_owned(),
        copy.to_string_lossy().into_owned(),
    ] {
        let out = khitomer(&["autoplay", &path, "--games", "4", "--json"]);
        assert_eq!(out.status.code(), Some(0), "{path}: {}", text(&out.stderr));
        let stdout = text(&out.stdout);
        assert_eq!(totals(&stdout)["games"], 4, "{path}: {stdout}");
        assert_eq!(stdout.lines().count(), 5, "a line per game and the totals");
    }
}
