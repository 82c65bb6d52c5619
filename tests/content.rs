//! The shipped content: every file parses, every scenario resolves, and what it says is there.

use khitomer::content::{ContentPaths, Library, build_world};
use khitomer::core::diplomacy::Stance;
use khitomer::core::ids::FactionId;

fn base() -> Library {
    Library::load(&ContentPaths::under(std::path::Path::new(env!(
        "CARGO_MANIFEST_DIR"
    ))))
}

#[test]
fn every_shipped_file_parses_and_every_scenario_resolves() {
    let lib = base();
    assert!(
        lib.report.diagnostics.is_empty(),
        "{}",
        lib.report.render(false)
    );
    assert!(!lib.maps.is_empty() && !lib.factions.is_empty() && !lib.scenarios.is_empty());
    for (i, s) in lib.scenarios.iter().enumerate() {
        if let Err(report) = build_world(&lib, i, None) {
            panic!(
                "scenario {} does not resolve:\n{}",
                s.id(),
                report.render(false)
            );
        }
    }
}

#[test]
fn tau_dewa_2409_has_a_ceasefire_block_beside_a_war_front() {
    let lib = base();
    let index = lib
        .scenarios
        .iter()
        .position(|s| s.id() == "tau_dewa_2409")
        .unwrap();
    let world = build_world(&lib, index, None).unwrap();
    let faction = |key: &str| {
        FactionId::from_index(world.factions.iter().position(|f| f.key == key).unwrap())
    };
    let block = |key: &str| {
        khitomer::core::ids::BlockId::from_index(
            world.blocks.iter().position(|b| b.key == key).unwrap(),
        )
    };
    let (fed, kdf) = (faction("federation"), faction("klingon"));
    let d = &world.diplomacy;
    assert_eq!(d.stance(fed, kdf), Stance::War);
    assert!(d.ceasefire_in(fed, kdf, block("tau_dewa")));
    assert!(d.hostile_in(fed, kdf, block("eta_eridani")));
    // Tau Dewa touches Eta Eridani: the cease-fire is one hex from the front.
    let galaxy = khitomer::core::galaxy::Galaxy::new(
        world.blocks.clone(),
        world.sectors.iter().map(|s| s.place.clone()).collect(),
        world.links.clone(),
    );
    let touching = (0..galaxy.sector_count())
        .map(khitomer::core::ids::SectorId::from_index)
        .any(|s| {
            galaxy.block_of(s) == block("tau_dewa")
                && galaxy
                    .neighbours(s)
                    .iter()
                    .any(|&n| galaxy.block_of(n) == block("eta_eridani"))
        });
    assert!(touching);
    assert_eq!(world.scenario.playable.len(), 3);
}
