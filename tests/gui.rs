//! The window's logic without a renderer: a Bevy app with `MinimalPlugins` and the game's
//! logic plugin, driven by the same commands the map, keys and panels send. Select a fleet,
//! preview its route, give and withdraw orders, see a refusal's reason, end the turn, answer a
//! choice, hand the screen over between hotseat players.
#![cfg(feature = "gui")]

use bevy::prelude::*;
use bevy::state::app::StatesPlugin;

use khitomer::core::events::GameEvent;
use khitomer::core::ids::{FactionId, FleetId, SectorId};
use khitomer::core::orders::{Decision, Order, OrderRefusal};
use khitomer::core::seat::{Policy, Seat};
use khitomer::core::state::WorldState;
use khitomer::gui::catalog::Catalog;
use khitomer::gui::command::{Command, Selection};
use khitomer::gui::playing::{Phase, Playing};
use khitomer::gui::snapshot::Snapshot;
use khitomer::gui::{DiplomacyOpen, Screen, logic};

fn app(play: &str, persons: &[&str]) -> App {
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, StatesPlugin, logic::plugin));
    let persons: Vec<String> = persons.iter().map(|p| (*p).to_owned()).collect();
    let playing = Catalog::load(&[])
        .start(play, &persons)
        .expect("the game starts");
    app.insert_resource(playing);
    app.world_mut()
        .resource_mut::<NextState<Screen>>()
        .set(Screen::Game);
    app.update();
    app.update();
    app
}

fn send(app: &mut App, command: Command) {
    app.world_mut().write_message(command);
    app.update();
}

fn playing(app: &App) -> &Playing {
    app.world().resource::<Playing>()
}

fn state(app: &App) -> WorldState {
    playing(app).driver().unwrap().game().state()
}

fn faction(state: &WorldState, key: &str) -> FactionId {
    FactionId::from_index(state.factions.iter().position(|f| f.key == key).unwrap())
}

fn sector(state: &WorldState, key: &str) -> SectorId {
    SectorId::from_index(
        state
            .sectors
            .iter()
            .position(|s| &*s.place.key == key)
            .unwrap(),
    )
}

fn fleet(state: &WorldState, key: &str) -> FleetId {
    state.fleets.iter().find(|f| f.key == key).unwrap().id
}

/// Plays frames until a person gives orders again (the turn resolved and played out).
fn until_orders(app: &mut App) {
    for _ in 0..10_000 {
        match playing(app).phase {
            Phase::Orders(_) | Phase::Ended => return,
            Phase::Playback => send(app, Command::SkipPlayback),
            _ => {
                std::thread::sleep(std::time::Duration::from_millis(2));
                app.update();
            }
        }
    }
    panic!("the turn never came back: {:?}", playing(app).phase);
}

#[test]
fn select_preview_order_withdraw_and_end_the_turn() {
    let mut app = app("tau_dewa_2409", &["klingon"]);
    let start = state(&app);
    let kdf = faction(&start, "klingon");
    let seventh = fleet(&start, "kdf_seventh");
    let (otha, archanis) = (sector(&start, "otha"), sector(&start, "archanis"));
    assert_eq!(playing(&app).phase, Phase::Orders(kdf));
    assert!(
        app.world().get_resource::<Snapshot>().is_some(),
        "the map has a world to draw"
    );

    // A left click on Otha selects the Seventh Fleet there.
    send(&mut app, Command::ClickSector(otha));
    assert_eq!(app.world().resource::<Selection>().fleet, Some(seventh));

    // A right click on Archanis previews the route and the turns it takes; no order yet.
    send(&mut app, Command::Aim(archanis));
    let aim = app.world().resource::<Selection>().aim.clone();
    let Some((target, Ok(preview))) = aim else {
        panic!("a route is previewed: {aim:?}");
    };
    assert_eq!(target, archanis);
    assert_eq!(preview.path.last(), Some(&archanis));
    assert_eq!(preview.turns, 1);
    assert!(playing(&app).driver().unwrap().orders(kdf).is_empty());

    // A second right click gives the move.
    send(&mut app, Command::Aim(archanis));
    assert_eq!(
        playing(&app).driver().unwrap().orders(kdf),
        &[Order::Move {
            fleet: seventh,
            route: preview.path.clone()
        }]
    );
    assert!(app.world().resource::<Selection>().aim.is_none());

    // A refused order: its typed reason is shown where it was given, and nothing is kept.
    let sol = sector(&start, "sol");
    send(
        &mut app,
        Command::Give(Order::Build {
            sector: sol,
            strength: 3,
        }),
    );
    let notice = playing(&app).notice.clone().expect("a notice");
    assert!(notice.refused);
    assert_eq!(notice.reason, Some(OrderRefusal::NotYourSector(sol)));
    assert_eq!(notice.at, Some(sol));
    assert_eq!(playing(&app).driver().unwrap().orders(kdf).len(), 1);

    // A hold for the home fleet, then withdrawn.
    let home = fleet(&start, "kdf_home");
    send(&mut app, Command::Give(Order::Hold { fleet: home }));
    assert_eq!(playing(&app).driver().unwrap().orders(kdf).len(), 2);
    send(&mut app, Command::Withdraw(1));
    assert_eq!(playing(&app).driver().unwrap().orders(kdf).len(), 1);

    // The end of the turn: the AI resolves it off the main thread, it plays out, and the
    // next turn's orders are the person's again, with the fleet where it was sent.
    send(&mut app, Command::EndTurn);
    assert_ne!(playing(&app).phase, Phase::Orders(kdf));
    until_orders(&mut app);
    let after = state(&app);
    assert_eq!(after.calendar.turn, 2);
    let moved = after.fleets.iter().find(|f| f.id == seventh).unwrap();
    assert_eq!(moved.sector, archanis);
    assert!(!playing(&app).log.is_empty(), "the turn's log is kept");
    assert!(playing(&app).driver().unwrap().orders(kdf).is_empty());
}

#[test]
fn a_choice_is_answered_in_the_window() {
    let scenario =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/seat_trial.ron");
    let mut app = app(scenario.to_str().unwrap(), &["klingon"]);
    let kdf = faction(&state(&app), "klingon");
    send(&mut app, Command::EndTurn);
    until_orders(&mut app);
    let decisions = playing(&app).driver().unwrap().decisions(kdf);
    assert!(
        decisions
            .iter()
            .any(|d| matches!(d, Decision::Choice { event, .. } if event == "council_vote")),
        "{decisions:?}"
    );
    send(
        &mut app,
        Command::Choose {
            event: "council_vote".into(),
            option: "hear".into(),
        },
    );
    assert!(playing(&app).driver().unwrap().decisions(kdf).is_empty());
    send(&mut app, Command::EndTurn);
    until_orders(&mut app);
    let flags = state(&app).script.flags;
    assert!(
        flags.contains("heard") && !flags.contains("pressed"),
        "{flags:?}"
    );
}

#[test]
fn hotseat_players_take_their_turns_in_order_before_the_turn_is_resolved() {
    let mut app = app("tau_dewa_2409", &["klingon", "federation"]);
    let start = state(&app);
    let (fed, kdf) = (faction(&start, "federation"), faction(&start, "klingon"));
    assert_eq!(playing(&app).phase, Phase::Orders(fed), "in faction order");
    let fed_home = fleet(&start, "fed_home");
    send(&mut app, Command::Give(Order::Hold { fleet: fed_home }));
    send(&mut app, Command::EndTurn);
    assert_eq!(playing(&app).phase, Phase::Handover(kdf));
    assert_eq!(
        state(&app).calendar.turn,
        1,
        "not resolved before every person ends it"
    );
    send(&mut app, Command::TakeOver);
    assert_eq!(playing(&app).phase, Phase::Orders(kdf));
    // The Klingons cannot give the Federation's orders.
    send(&mut app, Command::Give(Order::Hold { fleet: fed_home }));
    assert_eq!(
        playing(&app).notice.as_ref().and_then(|n| n.reason.clone()),
        Some(OrderRefusal::NotYourFleet {
            fleet: fed_home,
            owner: fed
        })
    );
    send(&mut app, Command::EndTurn);
    until_orders(&mut app);
    assert_eq!(state(&app).calendar.turn, 2);
    assert_eq!(playing(&app).phase, Phase::Orders(fed));
}

#[test]
fn a_game_is_saved_from_the_window_and_loads_in_it() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("gui_save");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("game.sav");
    let mut app = app("tau_dewa_2409", &["klingon"]);
    send(&mut app, Command::EndTurn);
    until_orders(&mut app);
    let hash = playing(&app).driver().unwrap().game().state_hash();
    send(&mut app, Command::Save(path.clone()));
    assert!(!playing(&app).notice.as_ref().unwrap().refused);
    let loaded = Catalog::load(&[]).load_save(&path, &[]).expect("it loads");
    assert_eq!(loaded.driver().unwrap().game().state_hash(), hash);
    let kdf = loaded
        .driver()
        .unwrap()
        .game()
        .faction_id("klingon")
        .unwrap();
    assert_eq!(
        loaded.phase,
        Phase::Orders(kdf),
        "the person's seat is kept"
    );
}

fn press(app: &mut App, key: KeyCode) {
    use bevy::input::ButtonState;
    use bevy::input::keyboard::{Key, KeyboardInput};
    let window = app.world_mut().spawn_empty().id();
    for state in [ButtonState::Pressed, ButtonState::Released] {
        app.world_mut().write_message(KeyboardInput {
            key_code: key,
            logical_key: Key::Unidentified(bevy::input::keyboard::NativeKey::Unidentified),
            state,
            text: None,
            repeat: false,
            window,
        });
        app.update();
        app.update();
    }
}

#[test]
fn keys_give_orders_end_the_turn_and_skip_the_playback() {
    let mut app = app("tau_dewa_2409", &["klingon"]);
    app.add_plugins(bevy::input::InputPlugin);
    let start = state(&app);
    let kdf = faction(&start, "klingon");
    let home = fleet(&start, "kdf_home");
    send(&mut app, Command::SelectFleet(Some(home)));
    press(&mut app, KeyCode::KeyH);
    assert_eq!(
        playing(&app).driver().unwrap().orders(kdf),
        &[Order::Hold { fleet: home }]
    );
    // Aim, then Space gives the move in place of the hold.
    let qonos_to = sector(&start, "otha");
    send(&mut app, Command::Aim(qonos_to));
    press(&mut app, KeyCode::Space);
    assert!(matches!(
        playing(&app).driver().unwrap().orders(kdf),
        [Order::Move { fleet, .. }] if *fleet == home
    ));
    press(&mut app, KeyCode::Enter);
    // The turn is resolved (on another thread), then plays out until Space skips it.
    for _ in 0..5_000 {
        if playing(&app).phase == Phase::Playback {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
        app.update();
    }
    assert_eq!(playing(&app).phase, Phase::Playback);
    press(&mut app, KeyCode::Space);
    assert_eq!(playing(&app).phase, Phase::Orders(kdf));
}

/// Escape closes the diplomacy screen where it is open, and only then drops a route being
/// previewed.
#[test]
fn escape_closes_the_diplomacy_screen_before_it_drops_the_preview() {
    let mut app = app("tau_dewa_2409", &["klingon"]);
    app.add_plugins(bevy::input::InputPlugin);
    let start = state(&app);
    send(
        &mut app,
        Command::SelectFleet(Some(fleet(&start, "kdf_home"))),
    );
    send(&mut app, Command::Aim(sector(&start, "otha")));
    app.insert_resource(DiplomacyOpen(true));
    press(&mut app, KeyCode::Escape);
    assert!(
        !app.world().resource::<DiplomacyOpen>().0,
        "the screen closed"
    );
    assert!(
        app.world().resource::<Selection>().aim.is_some(),
        "the preview stays while the screen closes"
    );
    press(&mut app, KeyCode::Escape);
    assert!(app.world().resource::<Selection>().aim.is_none());
    assert!(!app.world().resource::<DiplomacyOpen>().0);
}

#[test]
fn the_turn_is_resolved_off_the_main_thread() {
    let mut app = app("tau_dewa_2409", &["klingon"]);
    let mut playing = app.world_mut().remove_resource::<Playing>().unwrap();
    playing.end_turn();
    // The driver went with the task to another thread; the window keeps running meanwhile.
    assert!(playing.is_resolving());
    assert!(playing.driver().is_none());
    assert_eq!(playing.phase, Phase::Resolving);
    playing.finish_resolving();
    assert_eq!(playing.phase, Phase::Playback);
    assert_eq!(playing.driver().unwrap().game().turn(), 2);
}

fn app_for_trial() -> App {
    let scenario =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/seat_trial.ron");
    app(scenario.to_str().unwrap(), &["klingon"])
}

#[test]
fn proposals_are_answered_and_their_answers_shown() {
    let scenario =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/seat_trial.ron");
    let mut app = app(scenario.to_str().unwrap(), &["klingon"]);
    let start = state(&app);
    let (fed, kdf) = (faction(&start, "federation"), faction(&start, "klingon"));
    // The person proposes a truce on turn 1; the Federation's answer comes with turn 2.
    send(
        &mut app,
        Command::Give(Order::Propose {
            name: "Truce of Otha".into(),
            to: vec![fed],
            clauses: vec![khitomer::core::diplomacy::Clause::Truce],
        }),
    );
    assert!(!playing(&app).notice.as_ref().unwrap().refused);
    send(&mut app, Command::EndTurn);
    until_orders(&mut app);
    send(&mut app, Command::EndTurn);
    until_orders(&mut app);
    let answers = playing(&app).answers_to(kdf);
    assert_eq!(answers.len(), 1, "{answers:?}");
    let signed = state(&app)
        .diplomacy
        .treaties
        .iter()
        .any(|t| t.name == "Truce of Otha");
    assert_eq!(
        signed,
        matches!(
            answers[0],
            khitomer::core::events::GameEvent::TreatySigned { .. }
        ),
        "the answer shown is the one the world shows"
    );

    // Another game: the Federation, played by the baseline AI, proposes a cease-fire on turn
    // 4; the person accepts it.
    let mut app = app_for_trial();
    app.world_mut()
        .resource_mut::<Playing>()
        .driver_mut()
        .expect("a game is on")
        .take_seat("federation", Seat::Ai(Policy::Baseline));
    for _ in 0..4 {
        send(&mut app, Command::EndTurn);
        until_orders(&mut app);
    }
    let proposal = playing(&app)
        .driver()
        .unwrap()
        .decisions(kdf)
        .into_iter()
        .find_map(|d| match d {
            Decision::Proposal(p) => Some(p),
            _ => None,
        });
    let proposal = proposal.expect("the Federation's proposal waits for an answer");
    send(
        &mut app,
        Command::Answer {
            proposal: proposal.id,
            accept: true,
        },
    );
    send(&mut app, Command::EndTurn);
    until_orders(&mut app);
    let end = state(&app);
    assert!(!end.diplomacy.relation(fed, kdf).ceasefire_blocks.is_empty());
}

#[test]
fn a_game_played_to_its_end_shows_the_result_with_every_objective() {
    let mut app = app("tau_dewa_2409", &["klingon"]);
    for _ in 0..20 {
        if playing(&app).phase == Phase::Ended {
            break;
        }
        send(&mut app, Command::EndTurn);
        until_orders(&mut app);
    }
    app.update();
    assert_eq!(playing(&app).phase, Phase::Ended);
    assert_eq!(
        *app.world().resource::<State<Screen>>().get(),
        Screen::Result
    );
    let snapshot = app.world().resource::<Snapshot>();
    let outcome = snapshot.state.scenario.outcome.clone().expect("it ended");
    for goals in &snapshot.state.scenario.goals {
        let met = snapshot.objectives_met(goals.faction);
        assert_eq!(met.len(), goals.objectives.len());
        let all = met.iter().all(|(_, m)| *m);
        if outcome.decision == khitomer::core::events::Decision::TimeRanOut {
            assert_eq!(
                all,
                outcome.winners.contains(&goals.faction),
                "a faction won exactly when all its objectives were met"
            );
        }
    }
}

#[test]
fn the_map_colours_owners_marks_cease_fires_and_describes_sectors() {
    let app = app("tau_dewa_2409", &["klingon"]);
    let mut snapshot = app.world().resource::<Snapshot>().clone();
    let (fed, kdf) = (
        faction(&snapshot.state, "federation"),
        faction(&snapshot.state, "klingon"),
    );
    let tau_dewa = snapshot
        .state
        .blocks
        .iter()
        .position(|b| b.key == "tau_dewa")
        .unwrap();
    assert!(
        snapshot
            .ceasefires()
            .iter()
            .any(|(b, pairs)| b.index() == tau_dewa && pairs.contains(&(fed, kdf)))
    );
    let narendra = sector(&snapshot.state, "narendra");
    let lines = snapshot.describe(narendra);
    assert!(
        lines.iter().any(|l| l.starts_with("cease-fire here:")),
        "{lines:?}"
    );
    let fleets_there = snapshot.fleets_at(narendra).count();
    assert_eq!(
        lines.iter().filter(|l| l.contains("strength")).count(),
        fleets_there
    );
    // A sector shows its owner's colour, darker while another power occupies it.
    let qonos = sector(&snapshot.state, "qonos");
    let own = snapshot.faction_colour(kdf);
    assert_eq!(snapshot.sector_colour(qonos), own);
    snapshot.state.sectors[qonos.index()].occupation =
        Some(khitomer::core::sector::Occupation { by: fed, since: 1 });
    let occupied = snapshot.sector_colour(qonos);
    assert_ne!(occupied, own);
    assert!(occupied.to_linear().luminance() < own.to_linear().luminance() + 0.05);
}

#[test]
fn the_menu_shows_what_keeps_a_scenario_from_being_played_and_does_not_start_it() {
    let m = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("menu_broken_mod");
    let _ = std::fs::remove_dir_all(&m);
    std::fs::create_dir_all(m.join("scenarios")).unwrap();
    std::fs::write(
        m.join("mod.ron"),
        r#"Mod(id: "broken", name: "Broken", version: "0.1.0")"#,
    )
    .unwrap();
    let tau = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tau_dewa_2409.ron"),
    )
    .unwrap();
    // The same scenario under another id, with a flag read that nothing sets.
    let broken = tau
        .replacen("id: \"tau_dewa_2409\"", "id: \"tau_dewa_broken\"", 1)
        .replacen(
            "\"klingon\": [Hold(",
            "\"klingon\": [Flag(\"never_set_anywhere\"), Hold(",
            1,
        );
    std::fs::write(m.join("scenarios/tau_dewa_broken.ron"), broken).unwrap();
    let catalog = Catalog::load(&[m]);
    let entry = catalog
        .entry("tau_dewa_broken")
        .expect("listed, with its problems");
    let problems = entry.problems.as_deref().expect("its errors are shown");
    assert!(problems.contains("never_set_anywhere"), "{problems}");
    assert!(problems.contains("tau_dewa_broken.ron:"), "{problems}");
    assert!(
        catalog
            .start("tau_dewa_broken", &["klingon".into()])
            .is_err()
    );
    let sound = catalog.entry("tau_dewa_2409").expect("the base game's");
    assert!(sound.problems.is_none(), "{:?}", sound.problems);
    assert!(catalog.start("tau_dewa_2409", &["klingon".into()]).is_ok());
}

/// The diplomacy screen foretells how the AI's seats would answer a draft, with the reasons
/// they would give; the answer the AI then gives is the one foretold.
#[test]
fn the_window_foretells_the_ai_s_answer_and_its_reasons() {
    use khitomer::core::diplomacy::{Clause, Diplomacy, OpinionCause};
    let mut foretold_both = [false, false];
    // A truce the weak Federation wants; peace with a Klingon Empire it has come to loathe.
    for (clause, grudge) in [(Clause::Truce, 0), (Clause::EndWar, -150)] {
        let mut app = app_for_trial();
        let start = state(&app);
        let (fed, kdf) = (faction(&start, "federation"), faction(&start, "klingon"));
        app.world_mut()
            .resource_mut::<Playing>()
            .driver_mut()
            .expect("a game is on")
            .game_mut()
            .world_mut()
            .resource_mut::<Diplomacy>()
            .add_opinion(fed, kdf, OpinionCause::History, grudge);
        send(
            &mut app,
            Command::Give(Order::Propose {
                name: "Draft".into(),
                to: vec![fed],
                clauses: vec![clause.clone()],
            }),
        );
        send(&mut app, Command::EndTurn);
        until_orders(&mut app);
        // The proposal waits; the Federation answers it as it plans the coming turn, from the
        // world as it is now.
        let forecast = app.world_mut().resource_mut::<Playing>().forecast(
            kdf,
            &[fed],
            std::slice::from_ref(&clause),
        );
        assert_eq!(forecast.len(), 1, "the Federation is the game's AI");
        let (_, foretold) = &forecast[0];
        send(&mut app, Command::EndTurn);
        until_orders(&mut app);
        let answers = playing(&app).answers_to(kdf);
        assert_eq!(answers.len(), 1, "{answers:?}");
        match answers[0] {
            GameEvent::TreatySigned { .. } => assert!(foretold.accepts(), "{foretold:?}"),
            GameEvent::ProposalRefused { by, reasons, .. } => {
                assert_eq!(*by, fed);
                assert!(!foretold.accepts());
                assert_eq!(reasons, &foretold.reasons());
            }
            other => panic!("not an answer: {other:?}"),
        }
        foretold_both[usize::from(foretold.accepts())] = true;
    }
    assert_eq!(
        foretold_both,
        [true, true],
        "a refusal and a signature foretold"
    );
}
