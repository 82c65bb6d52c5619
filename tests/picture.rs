//! `khitomer map`: every shipped scenario drawn as a PNG with no GPU or display, and the
//! owners' colours where the sectors are.

mod common;

use std::path::Path;

use khitomer::content::{ContentPaths, Library, build_world};
use khitomer::core::ids::SectorId;
use khitomer::picture::{place, sector_colour};

use common::khitomer;

fn scratch(name: &str) -> std::path::PathBuf {
    common::scratch(&format!("picture/{name}"))
}

fn distance(a: [u8; 3], b: [u8; 3]) -> u32 {
    a.iter()
        .zip(&b)
        .map(|(x, y)| (i32::from(*x) - i32::from(*y)).unsigned_abs())
        .max()
        .unwrap()
}

#[test]
fn every_shipped_scenario_is_drawn_with_its_owners_colours() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib = Library::load(&ContentPaths::under(root));
    let dir = scratch("scenarios");
    assert!(lib.scenarios.len() >= 12);
    for (index, entry) in lib.scenarios.iter().enumerate() {
        let id = entry.id();
        let png = dir.join(format!("{id}.png"));
        let out = khitomer(&["map", id, "-o", png.to_str().unwrap()]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{id}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let picture = image::open(&png).unwrap().to_rgb8();
        let state = build_world(&lib, index, None).unwrap();
        let placement = place(&state, 1600);
        assert_eq!((picture.width(), picture.height()), placement.size, "{id}");
        let r = placement.radius;
        let mut checked = 0;
        for (i, s) in state.sectors.iter().enumerate() {
            let Some(owner) = s.owner else { continue };
            // Fleets' discs cover much of a crowded sector.
            if state.fleets.iter().any(|f| f.sector.index() == i) {
                continue;
            }
            let expected = sector_colour(&state, SectorId::from_index(i));
            let (x, y) = placement.centres[i];
            // Away from the middle (fleets), the lower corners (marks) and the block names.
            let samples = [(-0.55, 0.1), (0.55, 0.1), (0.0, 0.62)];
            let hits = samples
                .iter()
                .filter(|(dx, dy)| {
                    let p = picture
                        .get_pixel((x + dx * r) as u32, (y + dy * r) as u32)
                        .0;
                    distance(p, expected) <= 3
                })
                .count();
            assert!(
                hits >= 2,
                "{id}: {} shows {}'s colour",
                s.place.key,
                state.factions[owner.index()].key
            );
            checked += 1;
        }
        assert!(checked >= 3, "{id}: only {checked} held sectors");
    }
}

#[test]
fn a_replay_is_drawn_after_any_turn_and_bad_input_is_refused() {
    let dir = scratch("replay");
    let png = dir.join("history.png");
    let out = khitomer(&[
        "map",
        "replays/history_2409_2411.ron",
        "--turn",
        "20",
        "-o",
        png.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(image::open(&png).is_ok());
    let far = khitomer(&[
        "map",
        "replays/history_2409_2411.ron",
        "--turn",
        "999",
        "-o",
        png.to_str().unwrap(),
    ]);
    assert_eq!(far.status.code(), Some(2));
    let unknown = khitomer(&["map", "tau_dewa_2490", "-o", png.to_str().unwrap()]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("did you mean `tau_dewa_2409`?"));
    let nowhere = khitomer(&["map", "tau_dewa_2409", "-o", "/nonexistent/dir/x.png"]);
    assert_eq!(nowhere.status.code(), Some(2));
    if std::env::var("KHITOMER_UPDATE_DOCS").is_ok_and(|v| v == "1") {
        let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/map.png");
        let out = khitomer(&[
            "map",
            "replays/history_2409_2411.ron",
            "--turn",
            "21",
            "-o",
            docs.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(0));
    }
}

#[test]
fn block_names_never_cover_each_other_and_each_cease_fire_is_named_once() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib = Library::load(&ContentPaths::under(root));
    let mut crowded = 0;
    for index in 0..lib.scenarios.len() {
        let id = lib.scenarios[index].id();
        let state = build_world(&lib, index, None).unwrap();
        let (_, placement) = khitomer::picture::draw(&state, 1600);
        let names = &placement.names;
        let (w, h) = placement.size;
        for (k, a) in names.iter().enumerate() {
            assert!(
                a.rect[0] >= 0.0
                    && a.rect[2] <= w as f32
                    && a.rect[1] >= 0.0
                    && a.rect[3] <= h as f32,
                "{id}: {} is written off the picture",
                state.blocks[a.block].key
            );
            for b in &names[k + 1..] {
                let apart = a.rect[2] <= b.rect[0]
                    || b.rect[2] <= a.rect[0]
                    || a.rect[3] <= b.rect[1]
                    || b.rect[3] <= a.rect[1];
                assert!(
                    apart,
                    "{id}: {} and {} are written over each other",
                    state.blocks[a.block].key, state.blocks[b.block].key
                );
            }
        }
        // Every block that has sectors is named, but for the odd one with no room.
        let with_sectors = (0..state.blocks.len())
            .filter(|&b| state.sectors.iter().any(|s| s.place.block.index() == b))
            .count();
        assert!(
            names.len() + 2 >= with_sectors,
            "{id}: {} of {with_sectors} blocks named",
            names.len()
        );
        crowded += with_sectors - names.len();
        // Each pair of powers under a cease-fire is named once, under one of its blocks.
        let truces = state.diplomacy.ceasefire_blocks();
        let mut pairs: Vec<_> = truces.iter().flat_map(|(_, p)| p.iter().copied()).collect();
        pairs.sort_unstable();
        pairs.dedup();
        let mut written: Vec<_> = names
            .iter()
            .flat_map(|n| n.ceasefires.iter().copied())
            .collect();
        written.sort_unstable();
        assert_eq!(written, pairs, "{id}: the cease-fires named");
        for n in names.iter().filter(|n| !n.ceasefires.is_empty()) {
            assert!(
                truces.iter().any(
                    |(b, p)| b.index() == n.block && n.ceasefires.iter().all(|x| p.contains(x))
                ),
                "{id}: a cease-fire is named under a block it does not hold in"
            );
        }
    }
    assert!(
        crowded <= 3,
        "{crowded} block names gave way across the scenarios"
    );
}
