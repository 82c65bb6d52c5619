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
    assert_eq!(world.scenario.playable.len(), 2);
}

fn base_with(mods: &[&str]) -> Library {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mods: Vec<std::path::PathBuf> = mods.iter().map(|m| root.join(m)).collect();
    Library::load_with_mods(&ContentPaths::under(root), &mods)
}

fn play_out(world: khitomer::core::state::WorldState) -> khitomer::driver::Driver {
    let mut driver = khitomer::driver::Driver::new(
        khitomer::session::Session::single(world),
        khitomer::core::seat::Seats::default(),
    );
    driver
        .play_on(None, |_, _| Ok::<(), ()>(()), |_, _| Ok(()))
        .unwrap();
    driver
}

#[test]
fn the_base_game_and_the_example_mod_check_clean() {
    for lib in [base_with(&[]), base_with(&["mods/klingon_refusal"])] {
        let report = khitomer::content::check::check_all(&lib);
        assert!(!report.has_errors(), "{}", report.render(false));
    }
}

#[test]
fn the_example_mod_changes_history() {
    let key = |w: &khitomer::core::state::WorldState, k: &str| {
        FactionId::from_index(w.factions.iter().position(|f| f.key == k).unwrap())
    };
    for (mods, klingons_sign) in [(vec![], true), (vec!["mods/klingon_refusal"], false)] {
        let lib = base_with(&mods);
        let index = lib
            .scenarios
            .iter()
            .position(|s| s.id() == "surface_tension")
            .unwrap();
        let world = build_world(&lib, index, Some(1)).unwrap();
        let (fed, kdf) = (key(&world, "federation"), key(&world, "klingon"));
        let state = play_out(world).game().state();
        let accord = state
            .diplomacy
            .treaties
            .iter()
            .find(|t| t.name == "Jenolan Accord")
            .expect("signed");
        assert_eq!(accord.signatories.contains(&kdf), klingons_sign);
        assert_eq!(state.diplomacy.at_war(fed, kdf), !klingons_sign);
    }
}

#[test]
fn a_campaign_carries_fleets_relations_and_flags() {
    use khitomer::session::Carry;
    use khitomer::session::carry_over;
    let lib = base();
    let first = build_world(
        &lib,
        lib.scenarios
            .iter()
            .position(|s| s.id() == "tau_dewa_2409")
            .unwrap(),
        None,
    )
    .unwrap();
    let next = build_world(
        &lib,
        lib.scenarios
            .iter()
            .position(|s| s.id() == "surface_tension")
            .unwrap(),
        None,
    )
    .unwrap();
    let mut end = first.clone();
    end.script.flags.insert("remembered".into());
    let fed = FactionId::from_index(
        end.factions
            .iter()
            .position(|f| f.key == "federation")
            .unwrap(),
    );
    let rr = FactionId::from_index(
        end.factions
            .iter()
            .position(|f| f.key == "romulan_republic")
            .unwrap(),
    );
    end.diplomacy.set_stance(fed, rr, Stance::War, 5);
    let third = end
        .fleets
        .iter_mut()
        .find(|f| f.key == "fed_third")
        .unwrap();
    third.strength = 7;

    let nothing = carry_over(&end, next.clone(), &[]);
    assert_eq!(nothing, next);

    let all = carry_over(
        &end,
        next.clone(),
        &[Carry::Fleets, Carry::Relations, Carry::Flags],
    );
    assert!(all.script.flags.contains("remembered"));
    let nf = |k: &str| FactionId::from_index(all.factions.iter().position(|f| f.key == k).unwrap());
    assert_eq!(
        all.diplomacy
            .stance(nf("federation"), nf("romulan_republic")),
        Stance::War
    );
    let carried = all
        .fleets
        .iter()
        .find(|f| f.key == "fed_third")
        .expect("the survivor comes along");
    assert_eq!(carried.strength, 7);
    assert_eq!(
        all.sectors[carried.sector.index()].place.key.as_ref(),
        "archanis"
    );
    // Fleets that were only in the first chapter are added; the second's own stay.
    assert!(all.fleets.len() > next.fleets.len());
    assert!(
        next.fleets
            .iter()
            .all(|f| all.fleets.iter().any(|g| g.key == f.key))
    );
}
