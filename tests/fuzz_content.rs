//! No input makes the loader or `check` panic. The shipped files are mutated — bytes flipped,
//! cut short, spans deleted or duplicated, brackets nested deep — and each result must load to
//! a clean error or to a world that plays.

use std::path::Path;

use khitomer::content::check::check_all;
use khitomer::content::{ContentKind, Library};
use khitomer::core::game::Game;
use proptest::prelude::*;

fn shipped() -> &'static [(ContentKind, String, Vec<u8>)] {
    static FILES: std::sync::LazyLock<Vec<(ContentKind, String, Vec<u8>)>> =
        std::sync::LazyLock::new(read_shipped);
    &FILES
}

fn read_shipped() -> Vec<(ContentKind, String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for (kind, dir) in [
        (ContentKind::Map, "assets/maps"),
        (ContentKind::Roster, "assets/factions"),
        (ContentKind::Scenario, "scenarios"),
    ] {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        for p in paths {
            files.push((kind, p.display().to_string(), std::fs::read(&p).unwrap()));
        }
    }
    files
}

#[derive(Clone, Debug)]
enum Mutation {
    Flip { at: usize, bit: u8 },
    Truncate { at: usize },
    Delete { at: usize, len: usize },
    Duplicate { at: usize, len: usize },
    Nest { at: usize, depth: usize },
    Insert { at: usize, text: String },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0u8..8).prop_map(|(at, bit)| Mutation::Flip { at, bit }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        (any::<usize>(), 1usize..200).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<usize>(), 1usize..200).prop_map(|(at, len)| Mutation::Duplicate { at, len }),
        (any::<usize>(), 1usize..400).prop_map(|(at, depth)| Mutation::Nest { at, depth }),
        (
            any::<usize>(),
            prop::sample::select(vec![
                "(",
                ")",
                "[",
                "]",
                "\"",
                ",",
                ":",
                "Some(",
                "-1",
                "99999999999",
                "r#\"",
                "/*",
                "\u{1F596}"
            ])
        )
            .prop_map(|(at, t)| Mutation::Insert {
                at,
                text: t.to_owned()
            }),
    ]
}

fn apply(bytes: &[u8], m: &Mutation) -> Vec<u8> {
    let mut b = bytes.to_vec();
    let n = b.len().max(1);
    match *m {
        Mutation::Flip { at, bit } => {
            let at = at % n;
            if at < b.len() {
                b[at] ^= 1 << bit;
            }
        }
        Mutation::Truncate { at } => b.truncate(at % n),
        Mutation::Delete { at, len } => {
            let at = at % n;
            let end = (at + len).min(b.len());
            b.drain(at.min(end)..end);
        }
        Mutation::Duplicate { at, len } => {
            let at = at % n;
            let end = (at + len).min(b.len());
            let piece: Vec<u8> = b[at.min(end)..end].to_vec();
            b.splice(end..end, piece);
        }
        Mutation::Nest { at, depth } => {
            let at = at % n;
            let open: Vec<u8> = "[".repeat(depth).into_bytes();
            b.splice(at.min(b.len())..at.min(b.len()), open);
        }
        Mutation::Insert { at, ref text } => {
            let at = (at % n).min(b.len());
            b.splice(at..at, text.bytes());
        }
    }
    b
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_files_load_to_an_error_or_a_playable_world(which in any::<usize>(), m in mutation()) {
        let files = shipped();
        let which = which % files.len();
        let mut lib = Library::default();
        for (i, (kind, name, bytes)) in files.iter().enumerate() {
            let bytes = if i == which { apply(bytes, &m) } else { bytes.clone() };
            lib.add_bytes(*kind, name, bytes);
        }
        let report = check_all(&lib);
        // Rendering must not panic either, whatever the spans.
        let _ = report.render(false);
        if !report.has_errors() {
            // Every scenario builds; one of them, a different one from case to case, plays.
            for i in 0..lib.scenarios.len() {
                let world = khitomer::content::build_world(&lib, i, None).expect("no errors were reported");
                if i == which % lib.scenarios.len() {
                    let mut game = Game::new(world);
                    let _ = game.play_turn();
                }
            }
        }
    }
}
