//! The history the game is about: the shipped historical replay verifies and leaves the world
//! as the source tells it; the scenarios make sense when the history goes otherwise; every
//! scenario ends, and none is won by the same side every time; every message cites its
//! mission.

use std::collections::BTreeMap;
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
             `python3 tools/history_seeds.py` after `cargo build --release`"
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

#[test]
fn the_history_is_told_in_the_source_order() {
    let history = replay_history();
    let order: Vec<&str> = history
        .ends
        .iter()
        .map(|w| w.scenario.id.as_str())
        .collect();
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
        ]
    );
    let starts: Vec<Date> = history.ends.iter().map(|w| w.calendar.start).collect();
    assert!(
        starts.windows(2).all(|w| w[0] <= w[1]),
        "no chapter starts before the one before it: {starts:?}"
    );
}

#[test]
fn in_2409_the_war_goes_on_with_cease_fires_in_sector_blocks() {
    let history = replay_history();
    // The last chapter of 2409, before the Jenolan Accord.
    let world = history
        .ends
        .iter()
        .rfind(|w| w.calendar.date().year == 2409)
        .expect("chapters in 2409");
    let (fed, kdf) = (faction(world, "federation"), faction(world, "klingon"));
    let relation = world.diplomacy.relation(fed, kdf);
    assert_eq!(
        relation.stance,
        Stance::War,
        "the Federation-Klingon war goes on"
    );
    let blocks: Vec<&str> = relation
        .ceasefire_blocks
        .iter()
        .map(|b| world.blocks[b.index()].key.as_str())
        .collect();
    for block in ["tau_dewa", "orellius", "gamma_orionis"] {
        assert!(
            blocks.contains(&block),
            "a cease-fire holds in {block}: {blocks:?}"
        );
    }
    assert!(
        !blocks.contains(&"eta_eridani"),
        "the war goes on in Eta Eridani"
    );
    // The Republic stands beside both, at peace with each.
    let rr = faction(world, "romulan_republic");
    assert_ne!(world.diplomacy.stance(fed, rr), Stance::War);
    assert_ne!(world.diplomacy.stance(kdf, rr), Stance::War);
}

#[test]
fn early_in_2410_the_jenolan_accord_ends_the_war_and_founds_the_alliance() {
    let history = replay_history();
    let world = history
        .ends
        .iter()
        .find(|w| w.scenario.id == "surface_tension")
        .expect("the Surface Tension chapter");
    let accord = world
        .diplomacy
        .treaties
        .iter()
        .find(|t| t.name == "Jenolan Accord")
        .expect("the Jenolan Accord is signed");
    let signed = world.calendar.date_of(accord.signed);
    assert_eq!(signed.year, 2410);
    assert!(signed.month <= 4, "signed early in 2410, not {signed}");
    let mut signatories: Vec<&str> = accord
        .signatories
        .iter()
        .map(|f| world.factions[f.index()].key.as_str())
        .collect();
    signatories.sort_unstable();
    assert_eq!(signatories, ["federation", "klingon", "romulan_republic"]);
    let alliance = alliance(world, "alliance").expect("the alliance is founded");
    assert_eq!(alliance.name, "Alpha Quadrant Alliance");
    assert_eq!(
        members(world, alliance),
        ["federation", "klingon", "romulan_republic"]
    );
    let (fed, kdf) = (faction(world, "federation"), faction(world, "klingon"));
    assert_eq!(
        world.diplomacy.stance(fed, kdf),
        Stance::Alliance,
        "the war is over"
    );
}

#[test]
fn by_early_2411_it_is_the_khitomer_alliance() {
    let history = replay_history();
    let renamed = history
        .turns
        .iter()
        .find(|(_, w)| alliance(w, "alliance").is_some_and(|a| a.name == "Khitomer Alliance"))
        .map(|(date, _)| *date)
        .expect("the alliance is renamed");
    assert!(
        renamed >= Date::new(2410, 6) && renamed <= Date::new(2411, 2),
        "renamed by early 2411, after the Accord: {renamed}"
    );
    let end = history.ends.last().unwrap();
    assert_eq!(alliance(end, "alliance").unwrap().name, "Khitomer Alliance");
}

#[test]
fn the_later_members_join() {
    let history = replay_history();
    let joined = |key: &str| {
        history
            .turns
            .iter()
            .find(|(_, w)| {
                alliance(w, "alliance").is_some_and(|a| members(w, a).iter().any(|m| m == key))
            })
            .map(|(date, _)| *date)
    };
    // The Lukari and the Kentari after the Iconian War, the Dominion after the Hur'q.
    let lukari = joined("lukari").expect("the Lukari join");
    let kentari = joined("kentari").expect("the Kentari join");
    let dominion = joined("dominion").expect("the Dominion joins");
    assert!(
        lukari >= Date::new(2410, 9),
        "the Lukari join late in 2410: {lukari}"
    );
    assert!(kentari >= lukari);
    assert!(
        dominion >= kentari,
        "the Dominion joins after the Hur'q: {dominion}"
    );
    let end = history.ends.last().unwrap();
    let members = members(end, alliance(end, "alliance").unwrap());
    for key in [
        "federation",
        "klingon",
        "romulan_republic",
        "dominion",
        "cardassian_union",
        "deferi",
        "lukari",
        "kentari",
    ] {
        assert!(
            members.iter().any(|m| m == key),
            "{key} is a member in 2411"
        );
    }
    // The Delta Alliance of the Delta Quadrant friends, in its own chapter.
    let delta = history
        .ends
        .iter()
        .find(|w| w.scenario.id == "delta_rising")
        .unwrap();
    let delta_members = self::members(delta, alliance(delta, "delta_alliance").unwrap());
    for key in ["talaxians", "kobali", "borg_cooperative"] {
        assert!(
            delta_members.iter().any(|m| m == key),
            "{key} in the Delta Alliance"
        );
    }
}

#[test]
fn the_headquarters_on_khitomer_is_lost_and_the_discord_has_its_dead_and_its_traitors() {
    let history = replay_history();
    let discord: Vec<&WorldState> = history
        .turns
        .iter()
        .map(|(_, w)| w)
        .filter(|w| w.scenario.id == "khitomer_discord")
        .collect();
    let first = discord.first().expect("the Discord is played");
    let hq = alliance(first, "alliance")
        .unwrap()
        .hq
        .expect("a headquarters");
    assert_eq!(&*first.sectors[hq.index()].place.key, "khitomer");
    assert_eq!(
        first.calendar.date().year,
        2411,
        "headquarters on Khitomer in 2411"
    );
    let end = history.ends.last().unwrap();
    assert_eq!(end.scenario.id, "khitomer_discord");
    assert_eq!(
        alliance(end, "alliance").unwrap().hq,
        None,
        "the headquarters is lost"
    );
    let khitomer = end
        .sectors
        .iter()
        .find(|s| &*s.place.key == "khitomer")
        .unwrap();
    assert_eq!(khitomer.industry, 0, "the planet was fired on");
    let quvat = end
        .sectors
        .iter()
        .find(|s| &*s.place.key == "quvat")
        .unwrap();
    assert!(
        !quvat.shipyard && quvat.industry == 0,
        "Qu'Vat City is gone"
    );
    for dead in ["surah", "rugan_skyl"] {
        assert!(fate(end, dead).died.is_some(), "{dead} is killed");
    }
    for traitor in ["alliance_captain", "jula", "martok"] {
        let f = fate(end, traitor);
        assert!(f.traitor_since.is_some(), "{traitor} is declared a traitor");
        assert!(f.died.is_none(), "{traitor} survives");
    }
    assert!(
        end.script
            .pacts
            .iter()
            .any(|p| p.key == "ksenneta_pact" && p.revealed.is_some())
    );
    // Thot Trel fell at Defera in 2409.
    let cold_call = history
        .ends
        .iter()
        .find(|w| w.scenario.id == "cold_call")
        .unwrap();
    assert!(fate(cold_call, "thot_trel").died.is_some());
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
    // The Empire has already lost everything.
    world.fleets.retain(|f| f.owner != kdf);
    for s in &mut world.sectors {
        if s.owner == Some(kdf) {
            s.owner = None;
        }
    }
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

#[test]
fn every_scenario_ends_and_no_side_wins_every_game() {
    let lib = library();
    const GAMES: u64 = 24;
    for entry in &lib.scenarios {
        let id = entry.id();
        let first = entry.scenario.value.seed;
        let mut wins: BTreeMap<String, u64> = BTreeMap::new();
        for k in 0..GAMES {
            let world = scenario(id, first + k);
            let last = world.calendar.last_turn;
            for f in &world.factions {
                wins.entry(f.key.clone()).or_default();
            }
            let driver = play_out(Session::single(world), Policy::Baseline);
            let end = driver.game().state();
            let outcome = driver.game().outcome().expect("the game has a result");
            assert!(outcome.turn <= last, "`{id}` ends by its last turn");
            for w in &outcome.winners {
                *wins.get_mut(&end.factions[w.index()].key).unwrap() += 1;
            }
        }
        for (f, n) in &wins {
            assert!(
                *n < GAMES,
                "`{f}` won every one of {GAMES} games of `{id}`: {wins:?}"
            );
        }
        assert!(
            wins.values().filter(|n| **n > 0).count() >= 2,
            "`{id}` is won by more than one side over {GAMES} games: {wins:?}"
        );
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
