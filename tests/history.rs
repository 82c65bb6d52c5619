//! The history the game is about: the shipped historical replay verifies and leaves the world
//! as the source tells it; the scenarios make sense when the history goes otherwise; every
//! scenario ends; every message cites its mission.

mod common;

use std::path::Path;

use khitomer::content::campaign::{CampaignStart, start_campaign};
use khitomer::content::{ContentPaths, Library, build_world};
use khitomer::core::calendar::Date;
use khitomer::core::diplomacy::{Alliance, Stance};
use khitomer::core::script::Effect;
use khitomer::core::seat::{Policy, Seats};
use khitomer::core::state::WorldState;
use khitomer::driver::{Driver, Step};
use khitomer::record::replay::Replay;
use khitomer::session::{Session, carry_over};

fn library() -> &'static Library {
    static LIB: std::sync::LazyLock<Library> = std::sync::LazyLock::new(|| {
        Library::load(&ContentPaths::under(Path::new(env!("CARGO_MANIFEST_DIR"))))
    });
    &LIB
}

fn scenario(id: &str, seed: u64) -> WorldState {
    let lib = library();
    let index = lib
        .scenarios
        .iter()
        .position(|s| s.id() == id)
        .unwrap_or_else(|| panic!("no scenario `{id}`"));
    build_world(lib, index, Some(seed)).expect("the scenario builds")
}

fn faction(world: &WorldState, key: &str) -> khitomer::core::ids::FactionId {
    let i = world
        .factions
        .iter()
        .position(|f| f.key == key)
        .unwrap_or_else(|| panic!("no faction `{key}` in `{}`", world.scenario.id));
    khitomer::core::ids::FactionId::from_index(i)
}

fn alliance<'w>(world: &'w WorldState, key: &str) -> Option<&'w Alliance> {
    world
        .diplomacy
        .alliances
        .iter()
        .find(|a| a.key == key && a.dissolved.is_none())
}

fn members(world: &WorldState, alliance: &Alliance) -> Vec<String> {
    alliance
        .members
        .iter()
        .map(|m| world.factions[m.index()].key.clone())
        .collect()
}

fn fate<'w>(world: &'w WorldState, key: &str) -> &'w khitomer::core::character::Fate {
    &world
        .characters
        .iter()
        .find(|c| c.key == key)
        .unwrap_or_else(|| panic!("no character `{key}`"))
        .fate
}

/// What the replay of the history leaves behind: every chapter's world at its end, and the
/// world after every turn with its date.
struct History {
    ends: Vec<WorldState>,
    turns: Vec<(Date, WorldState)>,
}

fn replay_history() -> &'static History {
    static HISTORY: std::sync::LazyLock<History> = std::sync::LazyLock::new(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(root.join("replays/history_2409_2411.ron"))
            .expect("the historical replay is shipped");
        let replay: Replay = ron::from_str(&text).expect("the historical replay parses");
        let lib = library();
        let CampaignStart {
            chapters, files, ..
        } = start_campaign(lib, &replay.play, Some(replay.seed))
            .expect("the replay is of a campaign")
            .unwrap_or_else(|r| panic!("{}", r.render(false)));
        assert_eq!(
            lib.fingerprint(&files),
            replay.content,
            "the historical replay is of the content as shipped: record it again with \
             `khitomer run history_2409_2411 --historical --record replays/history_2409_2411.ron`"
        );
        let mut driver = Driver::new(Session::new(chapters), replay.seats.clone());
        let mut history = History {
            ends: Vec::new(),
            turns: Vec::new(),
        };
        for record in &replay.turns {
            let replayed = driver.replay_turn(record).expect("the replay keeps step");
            assert!(
                replayed.parting.is_none(),
                "the replay parts from its recording on turn {} of chapter {}",
                record.turn,
                record.chapter + 1
            );
            let state = driver.game().state();
            history
                .turns
                .push((replayed.played.report.date, state.clone()));
            if driver.chapter_over() {
                history.ends.push(state);
            }
        }
        assert!(driver.is_over(), "the replay plays the campaign to its end");
        history
    });
    &HISTORY
}

fn sector<'w>(world: &'w WorldState, key: &str) -> &'w khitomer::core::state::SectorState {
    world
        .sectors
        .iter()
        .find(|s| &*s.place.key == key)
        .unwrap_or_else(|| panic!("no sector `{key}` in `{}`", world.scenario.id))
}

/// The key of a sector's owner, if anyone holds it unoccupied.
fn held_by<'w>(world: &'w WorldState, key: &str) -> Option<&'w str> {
    let s = sector(world, key);
    match (s.owner, &s.occupation) {
        (Some(o), None) => Some(world.factions[o.index()].key.as_str()),
        _ => None,
    }
}

/// Whether a fleet of this id still exists.
fn fleet_alive(world: &WorldState, key: &str) -> bool {
    world.fleets.iter().any(|f| f.key == key)
}

/// The keys of the factions with fleets in a sector.
fn fleets_in<'w>(world: &'w WorldState, key: &str) -> Vec<&'w str> {
    let at = world
        .sectors
        .iter()
        .position(|s| &*s.place.key == key)
        .unwrap();
    world
        .fleets
        .iter()
        .filter(|f| f.sector.index() == at)
        .map(|f| world.factions[f.owner.index()].key.as_str())
        .collect()
}

/// The turn a scripted event of the chapter fired, if it did.
fn fired(world: &WorldState, event: &str) -> Option<u32> {
    let i = world
        .script
        .events
        .iter()
        .position(|e| e.key == event)
        .unwrap_or_else(|| panic!("no event `{event}` in `{}`", world.scenario.id));
    world.script.fired[i]
}

/// The turn the first of these events fired.
fn first_fired(world: &WorldState, events: &[&str]) -> Option<u32> {
    events.iter().filter_map(|e| fired(world, e)).min()
}

fn stance(world: &WorldState, a: &str, b: &str) -> Stance {
    world.diplomacy.stance(faction(world, a), faction(world, b))
}

fn ceasefire_blocks<'w>(world: &'w WorldState, a: &str, b: &str) -> Vec<&'w str> {
    world
        .diplomacy
        .relation(faction(world, a), faction(world, b))
        .ceasefire_blocks
        .iter()
        .map(|b| world.blocks[b.index()].key.as_str())
        .collect()
}

/// The source's beats, each asserted on the world at the end of its chapter (and, within a
/// chapter, the turns its events fired in the source's order). Returns the number of beats
/// checked.
fn the_source_is_told(ends: &[WorldState], run: &str) -> usize {
    let order: Vec<&str> = ends.iter().map(|w| w.scenario.id.as_str()).collect();
    assert_eq!(
        order,
        [
            "neutral_no_more",
            "cold_call",
            "wasteland",
            "report_to_gamma_orionis",
            "second_wave",
            "sphere_of_influence",
            "surface_tension",
            "delta_rising",
            "new_frontiers",
            "gamma_quadrant",
            "khitomer_discord",
        ],
        "{run}: every chapter is played, in order"
    );
    let chapter = |id: &str| ends.iter().find(|w| w.scenario.id == id).unwrap();
    let mut beats = 0;
    let mut beat = |ok: bool, what: &str| {
        assert!(ok, "{run}: {what}");
        beats += 1;
    };
    // In order within a chapter: each event fired, and no earlier than the one before it.
    let in_order = |w: &WorldState, events: &[&[&str]]| {
        let turns: Vec<Option<u32>> = events.iter().map(|e| first_fired(w, e)).collect();
        turns.iter().all(Option::is_some) && turns.windows(2).all(|t| t[0] <= t[1])
    };

    // 2409: the Republic at New Romulus, recognised and allied to both powers at war.
    let w = chapter("neutral_no_more");
    beat(
        in_order(w, &[&["recognition"], &["republic_stands"]]),
        "the Republic is recognised, and stands",
    );
    beat(
        held_by(w, "new_romulus") == Some("romulan_republic"),
        "New Romulus is the Republic's",
    );
    beat(
        stance(w, "romulan_republic", "federation") == Stance::Alliance
            && stance(w, "romulan_republic", "klingon") == Stance::Alliance,
        "the Republic is allied to both powers",
    );
    beat(
        stance(w, "federation", "klingon") == Stance::War
            && ceasefire_blocks(w, "federation", "klingon").contains(&"tau_dewa"),
        "the war goes on, with a cease-fire in Tau Dewa",
    );

    // Defera: Trel defeated (not killed), then the Preservers, then the Borg fought back.
    let w = chapter("cold_call");
    beat(
        in_order(
            w,
            &[
                &["orellius_ceasefire"],
                &["trel_broken", "trel_withdraws"],
                &["preservers_wake"],
                &["borg_at_defera"],
                &["borg_destroyed", "borg_driven_off"],
            ],
        ),
        "Orellius cease-fire, Trel's defeat, the Preservers, the Borg at Defera and driven off, in order",
    );
    beat(!fleet_alive(w, "trel_armada"), "Trel's armada is gone");
    beat(
        fate(w, "thot_trel").died.is_none(),
        "Thot Trel is defeated, not killed",
    );
    beat(
        held_by(w, "defera") == Some("deferi") && held_by(w, "laenas") == Some("deferi"),
        "Defera and Lae'nas are the Deferi's",
    );
    beat(
        !fleets_in(w, "defera").contains(&"borg"),
        "no Borg at Defera",
    );
    beat(
        ceasefire_blocks(w, "federation", "klingon").contains(&"orellius"),
        "a cease-fire holds in Orellius",
    );

    // Nimbus III cleared of the Syndicate, the Tal Shiar and the Elachi.
    let w = chapter("wasteland");
    beat(
        fired(w, "nimbus_cleared").is_some(),
        "Nimbus III is cleared",
    );
    let nimbus_foes = ["orion_syndicate", "tal_shiar", "elachi"];
    beat(
        !held_by(w, "nimbus_iii").is_some_and(|o| nimbus_foes.contains(&o))
            && fleets_in(w, "nimbus_iii")
                .iter()
                .all(|o| !nimbus_foes.contains(o)),
        "none of the three holds Nimbus III or has ships there",
    );

    // Task Force Omega in Gamma Orionis, then the Undine in Pelia and fluidic space.
    let w = chapter("report_to_gamma_orionis");
    beat(
        in_order(
            w,
            &[
                &["task_force_omega"],
                &["gamma_orionis_ceasefire"],
                &["fluid_dynamics"],
            ],
        ),
        "Task Force Omega, the Gamma Orionis cease-fire, then fluidic space, in order",
    );
    let tfo = alliance(w, "task_force_omega").expect("Task Force Omega");
    let command: Vec<String> = tfo.commands[0]
        .members
        .iter()
        .map(|m| w.factions[m.index()].key.clone())
        .collect();
    beat(
        ["federation", "klingon", "romulan_republic"]
            .iter()
            .all(|k| command.iter().any(|c| c == k)),
        "the Federation, the Empire and the Republic serve in Task Force Omega",
    );
    beat(
        ceasefire_blocks(w, "federation", "klingon").contains(&"gamma_orionis"),
        "a cease-fire holds in Gamma Orionis",
    );

    // The DS9 summit, the time-displaced Dominion repelled, DS9 reclaimed.
    let w = chapter("second_wave");
    beat(
        in_order(
            w,
            &[
                &["summit_broken"],
                &["boldly_they_rode"],
                &["ds9_reclaimed"],
            ],
        ),
        "the summit, the Dominion's help, DS9 reclaimed, in order",
    );
    beat(
        held_by(w, "deep_space_nine").is_some_and(|o| o != "displaced_dominion")
            && !fleets_in(w, "deep_space_nine").contains(&"displaced_dominion"),
        "DS9 is reclaimed from the Beta Jem'Hadar",
    );

    // The Solanae sphere: the first formal alliance of the three, while their war goes on.
    let w = chapter("sphere_of_influence");
    let djc = alliance(w, "dyson_joint_command").expect("Dyson Joint Command");
    let djc = members(w, djc);
    beat(
        [
            "federation",
            "klingon",
            "romulan_republic",
            "voth_separatists",
        ]
        .iter()
        .all(|k| djc.iter().any(|m| m == k)),
        "Dyson Joint Command: the three powers, and the Voth separatists",
    );
    beat(
        stance(w, "federation", "klingon") == Stance::War,
        "the Federation-Klingon war goes on beside Dyson Joint Command",
    );

    // Early 2410: the Undine strike, the Jenolan gateway, the Accord ends the war.
    let w = chapter("surface_tension");
    beat(
        in_order(
            w,
            &[
                &["undine_strike"],
                &["jenolan_gateway"],
                &["jenolan_accord"],
            ],
        ),
        "the Undine strike, the gateway, the Accord, in order",
    );
    let accord = w
        .diplomacy
        .treaties
        .iter()
        .find(|t| t.name == "Jenolan Accord");
    beat(
        accord.is_some_and(|t| {
            let d = w.calendar.date_of(t.signed);
            d.year == 2410 && d.month <= 4
        }),
        "the Jenolan Accord is signed early in 2410",
    );
    beat(
        stance(w, "federation", "klingon") == Stance::Alliance,
        "after the Accord the Federation and the Empire are allies",
    );
    let aqa = alliance(w, "alliance").expect("the alliance is founded");
    beat(
        aqa.name == "Alpha Quadrant Alliance"
            && members(w, aqa) == ["federation", "klingon", "romulan_republic"],
        "the Alpha Quadrant Alliance of the three",
    );

    // The Delta Quadrant: Delta Alliance Command, the Vaadwaur, the Delta Alliance.
    let w = chapter("delta_rising");
    beat(
        in_order(
            w,
            &[
                &["delta_alliance_command"],
                &["vaadwaur_supremacy"],
                &["delta_alliance"],
            ],
        ),
        "Delta Alliance Command, the Vaadwaur, the Delta Alliance, in order",
    );
    let delta = alliance(w, "delta_alliance").expect("the Delta Alliance");
    let delta = members(w, delta);
    beat(
        ["talaxians", "kobali", "borg_cooperative"]
            .iter()
            .all(|k| delta.iter().any(|m| m == k)),
        "the Delta Alliance includes the Talaxians, the Kobali and the Borg Cooperative",
    );

    // The Lukari sun saved, then the Kentari, Dranuur, the Tzenkethi repelled, both join.
    let w = chapter("new_frontiers");
    beat(
        in_order(
            w,
            &[
                &["plot_fails"],
                &["kentari_found"],
                &["dranuur_settled"],
                &["tzenkethi_attack"],
                &["tzenkethi_repelled"],
                &["lukari_join"],
                &["kentari_join"],
            ],
        ),
        "the Tholian plot fails before the Kentari are found; Dranuur, the Tzenkethi, the joins follow",
    );
    let alliance_members = members(w, alliance(w, "alliance").expect("the alliance"));
    beat(
        ["lukari", "kentari"]
            .iter()
            .all(|k| alliance_members.iter().any(|m| m == k)),
        "the Lukari and the Kentari join the Alliance",
    );
    beat(
        held_by(w, "dranuur").is_some_and(|o| o == "lukari" || o == "kentari"),
        "Dranuur is settled by the Lukari and the Kentari",
    );

    // The Hur'q, the Dominion joins, the Khitomer Alliance.
    let w = chapter("gamma_quadrant");
    beat(
        in_order(
            w,
            &[
                &["scylla_and_charybdis"],
                &["hurq_conflict_over"],
                &["home"],
            ],
        ),
        "the Hur'q at DS9, the Hur'q conflict, then the Dominion joins, in order",
    );
    let khitomer = alliance(w, "alliance").expect("the alliance");
    beat(
        khitomer.name == "Khitomer Alliance",
        "renamed the Khitomer Alliance",
    );
    beat(
        members(w, khitomer).iter().any(|m| m == "dominion"),
        "the Dominion is a member",
    );
    beat(
        held_by(w, "founders_world") == Some("dominion"),
        "the Founders' world is the Dominion's again",
    );

    // 2411: headquarters on Khitomer, the Discord, its dead and its traitors.
    let w = chapter("khitomer_discord");
    beat(
        in_order(
            w,
            &[
                &["alliance_headquarters"],
                &["house_divided"],
                &["war_spills_over"],
                &["quvat_city"],
                &["refuge"],
                &["pact_revealed"],
                &["khitomer_discord"],
                &["traitors"],
            ],
        ),
        "the Discord's beats, in the source's order",
    );
    beat(
        alliance(w, "alliance").is_some_and(|a| a.hq.is_none()),
        "the headquarters on Khitomer is lost",
    );
    beat(
        fate(w, "surah").died.is_some() && fate(w, "rugan_skyl").died.is_some(),
        "Surah and Rugan Skyl are among the dead",
    );
    beat(
        ["alliance_captain", "jula", "martok"].iter().all(|t| {
            let f = fate(w, t);
            f.traitor_since.is_some() && f.died.is_none()
        }),
        "the Captain, J'Ula and Martok survive, declared traitors",
    );
    beat(
        w.script
            .pacts
            .iter()
            .any(|p| p.key == "ksenneta_pact" && p.revealed.is_some()),
        "Ksenneta's pact with J'Ula comes to light",
    );
    let quvat = sector(w, "quvat");
    beat(
        quvat.industry == 0 && !quvat.shipyard,
        "Qu'Vat City is destroyed",
    );

    // The calendar never runs backwards: each chapter starts after the last month played in
    // the one before.
    for pair in ends.windows(2) {
        let before = &pair[0];
        let last_played = before
            .scenario
            .outcome
            .as_ref()
            .map_or(before.calendar.last_turn, |o| o.turn);
        beat(
            pair[1].calendar.start > before.calendar.date_of(last_played),
            &format!(
                "`{}` starts after `{}` ends",
                pair[1].scenario.id, before.scenario.id
            ),
        );
    }
    beats
}

#[test]
fn the_recorded_history_tells_the_source() {
    let history = replay_history();
    the_source_is_told(&history.ends, "the recorded replay");
}

/// The historical campaign played as the history did, with the dice of `seed`: the world at
/// the end of every chapter.
fn history_with(seed: u64) -> Vec<WorldState> {
    let lib = library();
    let start = start_campaign(lib, "history_2409_2411", Some(seed))
        .expect("the campaign is shipped")
        .unwrap_or_else(|r| panic!("{}", r.render(false)));
    let mut driver = Driver::new(Session::new(start.chapters), Seats::ai(Policy::Historical));
    let mut ends = Vec::new();
    driver
        .play_on(
            Some(1_000),
            |_, _| Ok::<(), ()>(()),
            |driver, step| {
                if let Step::Turn(_) = step
                    && driver.chapter_over()
                {
                    ends.push(driver.game().state());
                }
                Ok(())
            },
        )
        .unwrap();
    ends
}

#[test]
fn the_history_goes_as_the_source_tells_under_every_seed() {
    let mut beats = 0;
    for seed in 1..=100 {
        beats = the_source_is_told(&history_with(seed), &format!("seed {seed}"));
    }
    eprintln!("100 seeds, {beats} beats each");
}

/// Plays a session to its end with the AI for everyone.
fn play_out(session: Session, policy: Policy) -> Driver {
    let mut driver = Driver::new(session, Seats::ai(policy));
    let turns = driver
        .play_on(Some(1_000), |_, _| Ok::<(), ()>(()), |_, _| Ok(()))
        .unwrap();
    assert!(turns < 1_000, "the session ends");
    driver
}

#[test]
fn no_jenolan_accord_once_the_empire_has_fallen_and_the_campaign_goes_on() {
    let mut world = scenario("surface_tension", 2410);
    let kdf = faction(&world, "klingon");
    // The Empire has already lost everything, and fallen.
    world.fleets.retain(|f| f.owner != kdf);
    for s in &mut world.sectors {
        if s.owner == Some(kdf) {
            s.owner = None;
        }
    }
    world.factions[kdf.index()].defeated = Some(0);
    let next = scenario("delta_rising", 2411);
    let session = Session::new(vec![
        khitomer::session::ChapterStart {
            world,
            carry: vec![],
        },
        khitomer::session::ChapterStart {
            world: next,
            carry: vec![khitomer::session::Carry::Relations],
        },
    ]);
    let mut after_first = None;
    let mut driver = Driver::new(session, Seats::ai(Policy::Historical));
    driver
        .play_on(
            None,
            |_, _| Ok::<(), ()>(()),
            |driver, step| {
                if let Step::Turn(_) = step
                    && driver.chapter_over()
                    && after_first.is_none()
                {
                    after_first = Some(driver.game().state());
                }
                if let Step::Chapter = step {
                    // Delta Rising starts without the alliance that was never founded.
                    let start = driver.game().state();
                    assert!(
                        alliance(&start, "alliance").is_none_or(|a| a.members.is_empty()),
                        "no alliance the Accord would have founded"
                    );
                    let (fed, kdf) = (faction(&start, "federation"), faction(&start, "klingon"));
                    assert_eq!(
                        start.diplomacy.stance(fed, kdf),
                        Stance::War,
                        "the war carries on"
                    );
                }
                Ok(())
            },
        )
        .unwrap();
    let first = after_first.expect("the first chapter ends");
    assert!(
        !first
            .diplomacy
            .treaties
            .iter()
            .any(|t| t.name == "Jenolan Accord"),
        "no accord without the Empire"
    );
    let end = driver.game().state();
    assert_eq!(end.scenario.id, "delta_rising", "the campaign went on");
    assert!(
        alliance(&end, "delta_alliance").is_none(),
        "no Delta Alliance of powers still at war with each other"
    );
}

/// Every scenario ends by its last turn whoever plays it: the game's AI or the baseline. (That
/// no side wins every game, and more, is `tests/fairness.rs`'s.)
#[test]
fn every_scenario_ends_by_its_last_turn() {
    let lib = library();
    const GAMES: u64 = 12;
    for entry in &lib.scenarios {
        let id = entry.id();
        let first = entry.scenario.value.seed;
        for policy in [Policy::Strategic, Policy::Baseline] {
            let mut winners = 0;
            for k in 0..GAMES {
                let world = scenario(id, first + k);
                let last = world.calendar.last_turn;
                let driver = play_out(Session::single(world), policy);
                let outcome = driver.game().outcome().expect("the game has a result");
                assert!(outcome.turn <= last, "`{id}` ends by its last turn");
                winners += usize::from(!outcome.winners.is_empty());
            }
            assert!(
                winners > 0,
                "`{id}` played by the {} AI has a winner in some game",
                policy.name()
            );
        }
    }
}

#[test]
fn every_scenario_message_cites_its_mission() {
    let lib = library();
    let mut messages = 0;
    for entry in &lib.scenarios {
        let world = scenario(entry.id(), 1);
        for event in &world.script.events {
            let options = event.choice.iter().flat_map(|c| &c.options);
            for effect in event.effects.iter().chain(options.flat_map(|o| &o.effects)) {
                if let Effect::Message { text, source } = effect {
                    messages += 1;
                    let source = source.as_deref().unwrap_or("");
                    assert!(
                        source.starts_with("STO") && source.contains('"')
                            || source.starts_with("STO video game: "),
                        "`{}` event `{}`: \"{text}\" cites no mission: {source:?}",
                        entry.id(),
                        event.key
                    );
                }
            }
        }
    }
    assert!(
        messages >= 50,
        "the scenarios tell the history: {messages} messages"
    );
}

#[test]
fn the_historical_campaign_carries_the_powers_relations() {
    // A chapter's alliance that the chapter before never founded is not carried into being;
    // one it founded is.
    let lib = library();
    let start = start_campaign(lib, "history_2409_2411", None)
        .unwrap()
        .unwrap_or_else(|r| panic!("{}", r.render(false)));
    assert_eq!(start.chapters.len(), 11);
    let tension = &start.chapters[6].world;
    let delta = &start.chapters[7].world;
    let carried = carry_over(tension, delta.clone(), &start.chapters[7].carry);
    assert!(
        alliance(&carried, "alliance").is_none_or(|a| a.members.is_empty()),
        "before the Accord is signed there is no alliance to carry"
    );
}

/// Whether no fleet of `enemy` is in the sector, and the enemy neither holds nor occupies it.
fn clear_of(world: &WorldState, place: &str, enemy: &str) -> bool {
    let s = sector(world, place);
    let owner = s.owner.map(|o| world.factions[o.index()].key.as_str());
    let occupier = s
        .occupation
        .map(|o| world.factions[o.by.index()].key.as_str());
    !fleets_in(world, place).contains(&enemy) && owner != Some(enemy) && occupier != Some(enemy)
}

/// What the world must show at the end of the turn in which a message announcing a result
/// fires: each such event of each scenario, and the test of it.
/// A scenario, one of its events that announces a result, and what the world must show then.
type Announcement = (&'static str, &'static str, fn(&WorldState) -> bool);

fn announced_results() -> Vec<Announcement> {
    fn member(w: &WorldState, alliance_key: &str, who: &str) -> bool {
        alliance(w, alliance_key).is_some_and(|a| members(w, a).iter().any(|m| m == who))
    }
    vec![
        ("neutral_no_more", "raid_repelled", |w| {
            held_by(w, "new_romulus") == Some("romulan_republic")
                && clear_of(w, "new_romulus", "tal_shiar")
        }),
        ("neutral_no_more", "raid_called_off", |w| {
            held_by(w, "new_romulus") == Some("romulan_republic")
                && clear_of(w, "new_romulus", "tal_shiar")
        }),
        ("cold_call", "trel_withdraws", |w| {
            !fleet_alive(w, "trel_armada") && clear_of(w, "defera", "breen")
                || !fleet_alive(w, "trel_armada") && fate(w, "thot_trel").died.is_none()
        }),
        ("cold_call", "borg_destroyed", |w| {
            clear_of(w, "defera", "borg")
        }),
        ("cold_call", "borg_driven_off", |w| {
            clear_of(w, "defera", "borg")
        }),
        ("wasteland", "nimbus_cleared_told", |w| {
            ["orion_syndicate", "tal_shiar", "elachi"]
                .iter()
                .all(|e| clear_of(w, "nimbus_iii", e))
        }),
        ("report_to_gamma_orionis", "borg_force_destroyed", |w| {
            !fleet_alive(w, "borg_cubes")
        }),
        ("report_to_gamma_orionis", "undine_fought_back", |w| {
            clear_of(w, "pelia", "undine")
        }),
        ("second_wave", "ds9_reclaimed_told", |w| {
            clear_of(w, "deep_space_nine", "displaced_dominion")
        }),
        ("surface_tension", "sol_retaken", |w| {
            held_by(w, "sol") == Some("federation") && clear_of(w, "sol", "undine")
        }),
        ("surface_tension", "qonos_retaken", |w| {
            held_by(w, "qonos") == Some("klingon") && clear_of(w, "qonos", "undine")
        }),
        ("surface_tension", "new_romulus_retaken", |w| {
            held_by(w, "new_romulus") == Some("romulan_republic")
                && clear_of(w, "new_romulus", "undine")
        }),
        ("surface_tension", "jenolan_accord", |w| {
            stance(w, "federation", "klingon") == Stance::Alliance
                && w.diplomacy
                    .treaties
                    .iter()
                    .any(|t| t.name == "Jenolan Accord")
        }),
        ("delta_rising", "delta_alliance", |w| {
            ["talaxians", "kobali", "borg_cooperative"]
                .iter()
                .all(|k| member(w, "delta_alliance", k))
        }),
        ("delta_rising", "vaadwaur_beaten_back_told", |w| {
            held_by(w, "new_talax") == Some("talaxians") && clear_of(w, "new_talax", "vaadwaur")
        }),
        ("new_frontiers", "plot_fails", |w| {
            held_by(w, "lukari") == Some("lukari") && clear_of(w, "lukari", "tholians")
        }),
        ("new_frontiers", "dranuur_settled", |w| {
            held_by(w, "dranuur").is_some_and(|o| o == "lukari" || o == "kentari")
        }),
        ("new_frontiers", "tzenkethi_repelled", |w| {
            clear_of(w, "dranuur", "tzenkethi")
        }),
        ("new_frontiers", "lukari_join", |w| {
            member(w, "alliance", "lukari")
        }),
        ("new_frontiers", "kentari_join", |w| {
            member(w, "alliance", "kentari")
        }),
        ("gamma_quadrant", "hurq_conflict_over", |w| {
            ["founders_world", "deep_space_nine"]
                .iter()
                .all(|s| clear_of(w, s, "hurq"))
        }),
        ("gamma_quadrant", "home", |w| {
            member(w, "alliance", "dominion")
        }),
    ]
}

#[test]
fn no_message_announces_a_result_the_world_does_not_show() {
    let lib = library();
    let results = announced_results();
    let mut checked = 0;
    for entry in &lib.scenarios {
        let id = entry.id();
        let mine: Vec<_> = results.iter().filter(|(s, _, _)| *s == id).collect();
        for policy in [Policy::Historical, Policy::Baseline] {
            for seed in 1..=100 {
                let mut driver =
                    Driver::new(Session::single(scenario(id, seed)), Seats::ai(policy));
                driver
                    .play_on(
                        Some(200),
                        |_, _| Ok::<(), String>(()),
                        |driver, step| {
                            let Step::Turn(played) = step else { return Ok(()) };
                            let fired: Vec<&str> = played
                                .report
                                .events
                                .iter()
                                .filter_map(|e| match e {
                                    khitomer::core::events::GameEvent::EventFired { event } => {
                                        Some(event.as_str())
                                    }
                                    _ => None,
                                })
                                .collect();
                            let due: Vec<_> =
                                mine.iter().filter(|(_, e, _)| fired.contains(e)).collect();
                            if due.is_empty() {
                                return Ok(());
                            }
                            let world = driver.game().state();
                            for (_, event, shows) in due {
                                checked += 1;
                                if !shows(&world) {
                                    return Err(format!(
                                        "`{id}` ({policy:?}, seed {seed}), turn {}: `{event}` announces what the world does not show",
                                        played.report.turn
                                    ));
                                }
                            }
                            Ok(())
                        },
                    )
                    .unwrap_or_else(|e| panic!("{e}"));
            }
        }
    }
    assert!(checked > 1000, "only {checked} announcements were checked");
    eprintln!("{checked} announcements checked against the world");
}

use common::khitomer;

#[test]
fn the_story_of_the_history_is_short_and_has_no_mechanics() {
    let out = khitomer(&["replay", "replays/history_2409_2411.ron", "--story"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let story = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = story.lines().collect();
    assert!(lines.len() < 300, "{} lines", lines.len());
    for kind in [
        "move ",
        "arrive ",
        "intercept ",
        "economy ",
        "hash ",
        "built ",
        "refused ",
    ] {
        assert!(
            !lines.iter().any(|l| l.trim_start().starts_with(kind)),
            "the story has `{kind}` lines"
        );
    }
    // Every chapter, every source message, and a line per battle of the full log.
    let full =
        String::from_utf8(khitomer(&["replay", "replays/history_2409_2411.ron"]).stdout).unwrap();
    let count = |text: &str, start: &str| {
        text.lines()
            .filter(|l| l.trim_start().starts_with(start))
            .count()
    };
    assert_eq!(count(&story, "Chapter "), 11);
    assert_eq!(count(&story, "battle "), count(&full, "battle "));
    assert_eq!(
        count(&full, "message "),
        story.lines().filter(|l| l.contains("(STO")).count(),
        "every message of the log is in the story"
    );
}

#[test]
fn the_world_at_any_turn_is_printed_with_names() {
    let replay = replay_history();
    // The turn after which the Jenolan Accord is signed.
    let accord_turn = replay
        .turns
        .iter()
        .position(|(_, w)| {
            w.diplomacy
                .treaties
                .iter()
                .any(|t| t.name == "Jenolan Accord")
        })
        .expect("the Accord is in the history")
        + 1;
    let n = accord_turn.to_string();
    let out = khitomer(&[
        "replay",
        "replays/history_2409_2411.ron",
        "--until",
        &n,
        "--state",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let world = &replay.turns[accord_turn - 1].1;
    assert_eq!(json["scenario"], "surface_tension");
    // Every sector's owner and occupier, by id, as the world has them.
    for (i, s) in world.sectors.iter().enumerate() {
        let j = &json["sectors"][i];
        assert_eq!(j["id"], &*s.place.key);
        assert_eq!(
            j["owner"],
            serde_json::json!(s.owner.map(|o| world.factions[o.index()].key.clone()))
        );
        assert_eq!(
            j["occupier"],
            serde_json::json!(
                s.occupation
                    .map(|o| world.factions[o.by.index()].key.clone())
            )
        );
    }
    assert_eq!(json["fleets"].as_array().unwrap().len(), world.fleets.len());
    let pair = json["relations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["between"] == serde_json::json!(["federation", "klingon"]))
        .expect("the pair");
    assert_eq!(pair["stance"], "alliance");
    let aqa = json["alliances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "alliance")
        .expect("the alliance");
    assert_eq!(aqa["name"], "Alpha Quadrant Alliance");
    assert_eq!(
        aqa["members"],
        serde_json::json!(["federation", "klingon", "romulan_republic"])
    );
    assert!(
        json["treaties"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["name"] == "Jenolan Accord")
    );
    // `run --state` too.
    let out = khitomer(&["run", "tau_dewa_2409", "--turns", "2", "--state"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(json["turn"], 3);
    assert_eq!(json["date"], "2409-05");
}
