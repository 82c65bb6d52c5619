//! No input makes the game panic: a few thousand fuzz cases over content files, mods, saves
//! and replays (see `khitomer::fuzz`), each ending in a clean refusal or a game that plays.
//! `cargo run --release --example fuzz -- --cases 100000` runs many more.

use std::path::Path;

use khitomer::fuzz::{Corpus, Target, run};

/// Cases per target: the text targets cost more per case than saves and replays.
const CASES: [(Target, u64); 4] = [
    (Target::Content, 600),
    (Target::Mod, 600),
    (Target::Save, 1_400),
    (Target::Replay, 1_400),
];

#[test]
fn fuzzed_inputs_are_refused_cleanly_or_played() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = Corpus::new(root).expect("the corpus builds from the shipped files");
    let scratch = tempfile::tempdir().unwrap();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    for (target, cases) in CASES {
        // The same cases every run: a finding here is reproduced with
        // `cargo run --example fuzz -- --target TARGET --seed 20261202 --only CASE`.
        let summary = run(
            &corpus,
            &[target],
            20_261_202,
            0..cases,
            threads,
            scratch.path(),
            &|| {},
        );
        for f in &summary.findings {
            eprintln!(
                "case {} ({}) panicked: {}\n  {}",
                f.case,
                f.target.name(),
                f.message,
                f.changes.join("\n  ")
            );
        }
        let t = summary.tallies[target as usize];
        assert_eq!(t.cases, cases);
        assert_eq!(
            t.panicked,
            0,
            "{}: {} cases panicked",
            target.name(),
            t.panicked
        );
        // The cases reach both ends: some inputs are refused, and some get through to be
        // played — a fuzzer whose every case is refused at the door tests nothing.
        assert!(
            t.refused > 0 && t.played > 0,
            "{}: {} refused, {} played",
            target.name(),
            t.refused,
            t.played
        );
    }
}
