//! One canonical form of the world: the state hash, the replay digests and the save all derive
//! from it, every part of the world is in it, and a golden save guards the save format.
//!
//! The golden save is `tests/fixtures/golden.sav`, with its state hash in
//! `tests/fixtures/golden.hash`. When the save format changes on purpose, bump `SAVE_FORMAT`
//! (and `REPLAY_FORMAT` if the hash changed) and write them again with
//! `cargo test --test persistence -- --ignored write_the_golden_save`.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use khitomer::content::{ContentPaths, Library, build_world};
use khitomer::core::canonical::{self, Digests, Part};
use khitomer::core::diplomacy::OpinionCause;
use khitomer::core::diplomacy::{Clause, Proposal, Treaty};
use khitomer::core::fleet::FleetIndex;
use khitomer::core::game::Game;
use khitomer::core::hash::hash_world;
use khitomer::core::ids::{FactionId, ProposalId};
use khitomer::core::seat::{Policy, Seats};
use khitomer::core::sector::SectorIndex;
use khitomer::core::state::WorldState;
use khitomer::driver::Driver;
use khitomer::record::digest::digests;
use khitomer::record::save::{
    self, FORMAT_AT, OLDEST_SAVE_FORMAT, SAVE_FORMAT, SaveError, SaveFile,
};
use khitomer::session::{ChapterStart, Session};

use common::root;

fn library() -> &'static Library {
    static LIB: std::sync::LazyLock<Library> =
        std::sync::LazyLock::new(|| Library::load(&ContentPaths::under(root())));
    &LIB
}

fn scenario(id: &str, seed: u64) -> WorldState {
    let lib = library();
    let index = lib.scenarios.iter().position(|s| s.id() == id).unwrap();
    build_world(lib, index, Some(seed)).unwrap()
}

fn ai_game(world: WorldState) -> Driver {
    Driver::new(
        Session::new(vec![ChapterStart {
            world,
            carry: vec![],
        }]),
        Seats::ai(Policy::Baseline),
    )
}

fn parts_of_world(game: &Game) -> Vec<(Part, [u8; 32])> {
    let mut sink = Digests::default();
    canonical::of_world(game.world()).visit(&mut sink);
    sink.parts
}

fn parts_of_state(state: &WorldState) -> Vec<(Part, [u8; 32])> {
    let mut sink = Digests::default();
    canonical::of_state(state).1.visit(&mut sink);
    sink.parts
}

/// The live form reads sectors and fleets in the order of the world's indexes, but does not
/// lean on them: with the sector index out of order and the fleet index empty or gone, it still
/// reads every row in id order.
#[test]
fn the_live_form_holds_without_the_indexes_it_reads_by() {
    let mut driver = ai_game(scenario("tau_dewa_2409", 3));
    for _ in 0..2 {
        driver.resolve().expect("the game goes on");
    }
    let state = driver.session().game.state();
    let game = driver.game_mut();
    let world = game.world_mut();
    world.resource_mut::<SectorIndex>().0.reverse();
    world.insert_resource(FleetIndex::default());
    assert!(!state.fleets.is_empty() && state.sectors.len() > 1);
    assert_eq!(parts_of_world(game), parts_of_state(&state));
    assert_eq!(hash_world(game.world()), state.hash());
    // And with no fleet index at all.
    game.world_mut().remove_resource::<FleetIndex>();
    assert_eq!(parts_of_world(game), parts_of_state(&state));
}

/// The form read from the live ECS and the form of the state taken out of it agree, part by
/// part, turn after turn, in scenarios with treaties, alliances, occupations and events.
#[test]
fn a_live_world_and_its_state_have_one_canonical_form() {
    for (id, seed) in [
        ("tau_dewa_2409", 3),
        ("second_wave", 8),
        ("surface_tension", 5),
    ] {
        let mut driver = ai_game(scenario(id, seed));
        for _ in 0..8 {
            let game = &driver.session().game;
            let state = game.state();
            assert_eq!(parts_of_world(game), parts_of_state(&state), "{id}");
            assert_eq!(game.state_hash(), state.hash(), "{id}");
            assert_eq!(hash_world(game.world()), state.hash());
            if driver.chapter_over() || driver.resolve().is_err() {
                break;
            }
        }
    }
}

fn save_of(world: WorldState) -> SaveFile {
    SaveFile {
        game: "test".into(),
        play: "tau_dewa_2409".into(),
        mods: vec![],
        seed: 1,
        seats: Seats::ai(Policy::Baseline),
        chapter: 0,
        chapters: vec![ChapterStart {
            world: world.clone(),
            carry: vec![],
        }],
        world,
    }
}

fn changed_tags(a: &WorldState, b: &WorldState) -> Vec<String> {
    let (a, b) = (digests(a), digests(b));
    let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect()
}

/// Each kind of change to the world — the ones the digests used to leave out included —
/// changes the state hash and exactly the digest of the part changed, and a save keeps it.
#[test]
fn every_part_of_the_world_is_in_the_hash_the_digests_and_the_save() {
    let mut driver = ai_game(scenario("khitomer_discord", 4));
    for _ in 0..3 {
        driver.resolve().unwrap();
    }
    let base = driver.session().game.state();
    assert!(!base.script.events.is_empty() && !base.links.is_empty());
    let (f0, f1) = (FactionId::from_index(0), FactionId::from_index(1));
    type Simple = fn(&mut WorldState);
    let changes: Vec<(&str, Simple)> = vec![
        ("dice", |w| w.dice.word_pos += 1),
        ("calendar", |w| w.calendar.last_turn += 1),
        ("rules", |w| w.rules.combat_rounds += 1),
        ("scenario", |w| w.scenario.title.push('!')),
        ("sector:0", |w| w.sectors[0].industry += 1),
        ("faction:1", |w| w.factions[1].treasury += 1),
        ("character:0", |w| {
            w.characters[0].fate.died = Some(2);
        }),
        ("links", |w| w.links[0].open = !w.links[0].open),
        ("next-fleet", |w| w.next_fleet += 1),
        ("script:flags", |w| {
            w.script.flags.insert("a_new_flag".into());
        }),
        ("script:fired", |w| {
            w.script.fired[0] = w.script.fired[0].map_or(Some(1), |_| None)
        }),
        ("fixed", |w| {
            w.sectors[0].place.name = format!("{}!", w.sectors[0].place.name).into()
        }),
    ];
    let fleet = base.fleets[0].id.0;
    type Change = Box<dyn Fn(&mut WorldState)>;
    let mut owned: Vec<(String, Change)> = changes
        .into_iter()
        .map(|(t, c)| (t.to_owned(), Box::new(c) as Change))
        .collect();
    owned.push((
        format!("fleet:{fleet}"),
        Box::new(|w: &mut WorldState| w.fleets[0].strength += 1),
    ));
    owned.push((
        "relation:0-1".into(),
        Box::new(move |w: &mut WorldState| {
            w.diplomacy
                .add_opinion(f1, f0, OpinionCause::BrokeFaithWithUs, -7)
        }),
    ));
    let treaties = base.diplomacy.treaties.len();
    owned.push((
        format!("treaty:{treaties}"),
        Box::new(move |w: &mut WorldState| {
            w.diplomacy.treaties.push(Treaty {
                name: "A truce".into(),
                signatories: vec![f0, f1],
                clauses: vec![Clause::Truce],
                signed: 2,
                breach: None,
            })
        }),
    ));
    let proposals = base.diplomacy.proposals.len();
    owned.push((
        format!("proposal:{proposals}"),
        Box::new(move |w: &mut WorldState| {
            w.diplomacy.proposals.push(Proposal {
                id: ProposalId(99),
                name: "A truce".into(),
                from: f0,
                to: vec![f1],
                clauses: vec![Clause::Truce],
                made: 3,
                answers: vec![],
            })
        }),
    ));

    for (tag, change) in &owned {
        let mut changed = base.clone();
        change(&mut changed);
        assert_ne!(changed.hash(), base.hash(), "{tag}: the hash must change");
        assert_eq!(
            changed_tags(&base, &changed),
            vec![tag.clone()],
            "{tag}: exactly its digest must change"
        );
        let bytes = save::encode(&save_of(changed.clone()));
        let loaded = save::decode(&bytes).unwrap_or_else(|e| panic!("{tag}: {e}"));
        assert_eq!(
            loaded.world.hash(),
            changed.hash(),
            "{tag}: the save keeps it"
        );
    }
}

fn golden_world() -> WorldState {
    let mut driver = ai_game(scenario("tau_dewa_2409", 2409));
    for _ in 0..5 {
        driver.resolve().unwrap();
    }
    driver.session().game.state()
}

fn golden_paths() -> (PathBuf, PathBuf) {
    let dir = root().join("tests/fixtures");
    (dir.join("golden.sav"), dir.join("golden.hash"))
}

/// Writes the golden save again. Run it only when the save format changed on purpose.
#[test]
#[ignore = "writes tests/fixtures/golden.sav; run when the save format changes on purpose"]
fn write_the_golden_save() {
    let world = golden_world();
    let (sav, hash) = golden_paths();
    let mut file = save_of(world.clone());
    file.game = "golden".into();
    std::fs::write(&sav, save::encode(&file)).unwrap();
    std::fs::write(&hash, format!("{}\n", world.hash())).unwrap();
}

/// The golden save, written by an earlier build, still loads, holds the world it held (its
/// state hash), and this build writes it back byte for byte, but for the format it writes (the
/// golden save may be of an older format this build still reads). A change to what a save
/// holds that does not bump `SAVE_FORMAT` fails here.
#[test]
fn the_golden_save_reads_and_writes_back_byte_for_byte() {
    let (sav, hash) = golden_paths();
    let bytes = std::fs::read(&sav).unwrap();
    let expected = std::fs::read_to_string(&hash).unwrap();
    let how =
        "write it again with `cargo test --test persistence -- --ignored write_the_golden_save`";
    let loaded = match save::decode(&bytes) {
        Ok(loaded) => loaded,
        Err(SaveError::UnknownFormat { found }) => panic!(
            "this build reads save formats from {OLDEST_SAVE_FORMAT} and the golden save is \
             format {found}: {how}"
        ),
        Err(e) => panic!(
            "the golden save no longer reads ({e}): what a save holds changed without \
             SAVE_FORMAT changing; bump it, then {how}"
        ),
    };
    // The magic, then the format's four bytes, then the checksum and the session.
    let format = |b: &[u8]| u32::from_le_bytes(b[FORMAT_AT..FORMAT_AT + 4].try_into().unwrap());
    let but_format = |b: &[u8]| [&b[..FORMAT_AT], &b[FORMAT_AT + 4..]].concat();
    let written = save::encode(&loaded);
    assert_eq!(format(&written), SAVE_FORMAT);
    assert!(format(&bytes) <= SAVE_FORMAT);
    assert_eq!(
        but_format(&written),
        but_format(&bytes),
        "the golden save reads but writes back differently: what a save holds changed \
         without SAVE_FORMAT changing; bump it, then {how}"
    );
    assert_eq!(
        loaded.world.hash().to_string(),
        expected.trim(),
        "the golden save's world hashes differently: the canonical form changed; bump \
         REPLAY_FORMAT (recorded hashes no longer hold), then {how}"
    );
}

/// The digests name every part a replay can part on; none is missing from the form.
#[test]
fn the_digests_cover_the_treaties_proposals_dice_and_calendar() {
    let world = golden_world();
    let tags: BTreeMap<String, String> = digests(&world);
    for tag in [
        "dice",
        "calendar",
        "rules",
        "scenario",
        "tables",
        "fixed",
        "next-fleet",
    ] {
        assert!(tags.contains_key(tag), "{tag} missing from {tags:?}");
    }
    let treaties = tags.keys().filter(|k| k.starts_with("treaty:")).count();
    assert_eq!(treaties, world.diplomacy.treaties.len());
    let relations = tags.keys().filter(|k| k.starts_with("relation:")).count();
    let n = world.factions.len();
    assert_eq!(relations, n * (n - 1) / 2);
}
