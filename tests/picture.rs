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
