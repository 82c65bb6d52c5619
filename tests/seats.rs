//! A person plays: a seat given to a person takes its orders from the person alone — from an
//! orders file on the command line, or through the driver's checked orders — the AI plans
//! every other seat, and replays record and verify what the person did.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use khitomer::content::campaign::start_campaign;
use khitomer::content::{ContentPaths, Library, build_world};
use khitomer::core::diplomacy::{Answer, RefusalReason, Stance};
use khitomer::core::events::GameEvent;
use khitomer::core::ids::FactionId;
use khitomer::core::orders::named::Names;
use khitomer::core::orders::{Decision, Order, OrderRefusal};
use khitomer::core::seat::{Policy, Seat, Seats};
use khitomer::core::state::WorldState;
use khitomer::driver::{Driver, NotReady};
use khitomer::record::replay::Replay;
use khitomer::record::save;
use khitomer::session::Session;

use common::root;

fn library() -> Library {
    Library::load(&ContentPaths::under(root()))
}

fn scenario(id: &str, seed: Option<u64>) -> WorldState {
    let lib = library();
    let index = lib.scenarios.iter().position(|s| s.id() == id).unwrap();
    build_world(&lib, index, seed).unwrap()
}

/// The test scenario: a strong Klingon Empire, a weak Federation that sues for a cease-fire on
/// turn 4, and a choice put to the Empire on turn 1.
fn seat_trial() -> WorldState {
    let mut lib = library();
    let index = lib
        .add_scenario_file(&root().join("tests/data/seat_trial.ron"))
        .expect("the test scenario reads");
    build_world(&lib, index, None).unwrap()
}

fn faction(world: &WorldState, key: &str) -> FactionId {
    FactionId::from_index(world.factions.iter().position(|f| f.key == key).unwrap())
}

fn sector(world: &WorldState, key: &str) -> khitomer::core::ids::SectorId {
    khitomer::core::ids::SectorId::from_index(
        world
            .sectors
            .iter()
            .position(|s| &*s.place.key == key)
            .unwrap(),
    )
}

fn fleet<'w>(world: &'w WorldState, key: &str) -> &'w khitomer::core::state::FleetState {
    world.fleets.iter().find(|f| f.key == key).unwrap()
}

fn khitomer(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_khitomer"))
        .args(args)
        .current_dir(dir)
        .env("KHITOMER_HOME", root())
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn scratch(name: &str) -> PathBuf {
    common::scratch(&format!("seats/{name}"))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is JSON"))
        .collect()
}

const TRIAL_ORDERS: &str = r#"
Orders(
    faction: "klingon",
    turns: [
        Turn(turn: 1, orders: [
            Move(fleet: "kdf_seventh", to: "hromi"),
            Hold(fleet: "kdf_home"),
            // Sol is the Federation's: refused as it is given.
            Build(at: "sol", strength: 4),
        ]),
        Turn(turn: 2, orders: [Choose(event: "council_vote", option: "hear")]),
        Turn(turn: 5, orders: [Answer(proposal: 0, accept: true)]),
    ],
)
"#;

#[test]
fn a_person_plays_a_scenario_from_an_orders_file() {
    let dir = scratch("trial");
    std::fs::write(dir.join("orders.ron"), TRIAL_ORDERS).unwrap();
    let scenario_file = root().join("tests/data/seat_trial.ron");
    let scenario_arg = scenario_file.to_str().unwrap();
    let out = khitomer(
        &dir,
        &[
            "run",
            scenario_arg,
            "--as",
            "klingon",
            "--orders",
            "orders.ron",
            // The baseline's Federation offers the cease-fire the orders answer.
            "--ai",
            "baseline",
            "--json",
            "--record",
            "game.ron",
            "--save",
            "end.sav",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines = json_lines(&out);
    let start = seat_trial();
    let (fed, kdf) = (faction(&start, "federation"), faction(&start, "klingon"));

    // The heading names every seat.
    assert_eq!(lines[0]["seats"]["klingon"], "you");
    assert_eq!(lines[0]["seats"]["federation"], "AI (baseline)");

    // The impossible order is refused on turn 1 with its typed reason.
    let sol = sector(&start, "sol");
    let refused: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|l| l["event"] == "order_refused")
        .collect();
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert_eq!(refused[0]["turn"], 1);
    assert_eq!(
        refused[0]["data"]["reason"],
        serde_json::to_value(OrderRefusal::NotYourSector(sol)).unwrap()
    );

    // The recorded orders of the person's seat are the file's, and nothing else: the AI
    // gave the Klingons no order; the proposal and the choice were answered by the file.
    let replay: Replay =
        ron::from_str(&std::fs::read_to_string(dir.join("game.ron")).unwrap()).unwrap();
    assert_eq!(replay.seats.seat("klingon"), Seat::Person);
    for record in &replay.turns {
        assert_eq!(record.persons, vec!["klingon".to_owned()]);
        let given = record.orders.get("klingon").cloned().unwrap_or_default();
        let expected: Vec<Order> = match record.turn {
            1 => {
                let seventh = fleet(&start, "kdf_seventh").id;
                let home = fleet(&start, "kdf_home").id;
                assert!(matches!(&given[0], Order::Move { fleet, route }
                        if *fleet == seventh && route.last() == Some(&sector(&start, "hromi"))));
                vec![given[0].clone(), Order::Hold { fleet: home }]
            }
            2 => vec![Order::Choose {
                event: "council_vote".into(),
                option: "hear".into(),
            }],
            5 => vec![Order::Answer {
                proposal: khitomer::core::ids::ProposalId(0),
                answer: Answer::Accept,
            }],
            _ => vec![],
        };
        assert_eq!(given, expected, "turn {}", record.turn);
    }

    // The orders took effect in the world.
    let end = save::read(&dir.join("end.sav")).unwrap().unwrap().world;
    let after_first = &replay.turns[0];
    assert!(after_first.orders.contains_key("klingon"));
    assert_eq!(fleet(&end, "kdf_seventh").sector, sector(&start, "hromi"));
    assert_eq!(fleet(&end, "kdf_home").sector, sector(&start, "qonos"));
    // The choice is the person's: the scenario's own pick would have been `press`.
    assert!(end.script.flags.contains("heard"), "{:?}", end.script.flags);
    assert!(!end.script.flags.contains("pressed"));
    // The Federation's proposal was accepted by the person (the AI, far stronger, refuses).
    assert!(
        end.diplomacy
            .treaties
            .iter()
            .any(|t| t.name == "Cease-fire" && t.signatories.contains(&kdf)),
        "the cease-fire is signed"
    );
    assert!(!end.diplomacy.relation(fed, kdf).ceasefire_blocks.is_empty());

    // The recorded replay verifies.
    let verified = khitomer(&dir, &["replay", "game.ron"]);
    assert_eq!(verified.status.code(), Some(0), "{}", stderr(&verified));
}

#[test]
fn with_the_ai_in_every_seat_the_klingons_refuse_and_the_rule_picks() {
    // The control for the test above: what the AI and the scenario's rule would have done.
    let mut driver = Driver::new(Session::single(seat_trial()), Seats::default());
    driver
        .play_on(None, |_, _| Ok::<(), ()>(()), |_, _| Ok(()))
        .unwrap();
    let end = driver.game().state();
    assert!(end.script.flags.contains("pressed"));
    assert!(
        !end.diplomacy
            .treaties
            .iter()
            .any(|t| t.name == "Cease-fire")
    );
}

#[test]
fn the_driver_checks_lists_replaces_and_withdraws_a_persons_orders() {
    let start = seat_trial();
    let (fed, kdf) = (faction(&start, "federation"), faction(&start, "klingon"));
    let seventh = fleet(&start, "kdf_seventh").id;
    let home = fleet(&start, "kdf_home").id;
    let (hromi, sol, qonos) = (
        sector(&start, "hromi"),
        sector(&start, "sol"),
        sector(&start, "qonos"),
    );
    let mut driver = Driver::new(
        Session::single(start.clone()),
        Seats::ai(Policy::Baseline).with_person("klingon"),
    );
    assert_eq!(driver.persons(), vec![kdf]);
    assert_eq!(driver.seat(fed), Seat::Ai(Policy::Baseline));

    // Refusals are typed, as the turn would give them; nothing refused is kept.
    assert_eq!(
        driver.give(
            kdf,
            Order::Build {
                sector: sol,
                strength: 4
            }
        ),
        Err(OrderRefusal::NotYourSector(sol))
    );
    assert_eq!(
        driver.give(fed, Order::Hold { fleet: home }),
        Err(OrderRefusal::AiSeat),
        "the AI's seat takes no order from outside"
    );
    let fed_fleet = fleet(&start, "fed_home").id;
    assert_eq!(
        driver.give(kdf, Order::Hold { fleet: fed_fleet }),
        Err(OrderRefusal::NotYourFleet {
            fleet: fed_fleet,
            owner: fed
        })
    );
    // Treasury 40 after income and upkeep pays for one build of 10 at 2 a point and not a
    // second one of the same size: the check counts what earlier builds spent.
    let cost = i64::from(start.rules.ship_cost);
    let first = Order::Build {
        sector: qonos,
        strength: 10,
    };
    assert_eq!(driver.give(kdf, first.clone()), Ok(()));
    let second = driver.check(
        kdf,
        &Order::Build {
            sector: qonos,
            strength: 40,
        },
    );
    assert!(
        matches!(second, Err(OrderRefusal::NotEnoughIndustry { needed, .. }) if needed == 40 * cost)
            || matches!(second, Err(OrderRefusal::OverCapacity { .. })),
        "{second:?}"
    );
    assert!(!driver.orders(kdf).is_empty());

    // A route preview, then the move; a second order for the same fleet replaces it.
    let preview = driver.route(seventh, hromi).unwrap();
    assert_eq!(preview.path.last(), Some(&hromi));
    assert_eq!(preview.turns, (preview.path.len() as u32).div_ceil(2));
    driver
        .give(
            kdf,
            Order::Move {
                fleet: seventh,
                route: preview.path.clone(),
            },
        )
        .unwrap();
    driver.give(kdf, Order::Hold { fleet: seventh }).unwrap();
    assert_eq!(
        driver.orders(kdf),
        &[first.clone(), Order::Hold { fleet: seventh }],
        "the hold replaced the move"
    );
    assert_eq!(
        driver.withdraw(kdf, 1),
        Some(Order::Hold { fleet: seventh })
    );
    assert_eq!(driver.orders(kdf), &[first]);

    // The turn waits for the person.
    assert!(matches!(driver.resolve(), Err(NotReady::Waiting(w)) if w == vec![kdf]));
    driver.end_turn(kdf);
    let played = driver.resolve().unwrap();
    assert_eq!(played.persons, vec![kdf]);
    assert_eq!(played.orders[&kdf].len(), 1, "only the person's own order");

    // The choice offered on turn 1 is listed for the person, with its default.
    let decisions = driver.decisions(kdf);
    assert!(
        decisions
            .iter()
            .any(|d| matches!(d, Decision::Choice { event, default, .. }
            if event == "council_vote" && default == "press")),
        "{decisions:?}"
    );
    // Answering it takes it off the list; a wrong option is refused as the turn would.
    assert_eq!(
        driver.give(
            kdf,
            Order::Choose {
                event: "council_vote".into(),
                option: "maybe".into()
            }
        ),
        Err(OrderRefusal::NoSuchOption("maybe".into()))
    );
    driver
        .give(
            kdf,
            Order::Choose {
                event: "council_vote".into(),
                option: "hear".into(),
            },
        )
        .unwrap();
    assert!(driver.decisions(kdf).is_empty());
}

#[test]
fn an_unanswered_proposal_is_refused_for_the_person_as_documented() {
    // The person gives no orders at all: the Federation's proposal of turn 4 is refused on
    // turn 5 with `NoAnswer`, as an order of the person's seat; the choice goes by the rule.
    let mut driver = Driver::new(
        Session::single(seat_trial()),
        Seats::ai(Policy::Baseline).with_person("klingon"),
    );
    let kdf = driver.game().faction_id("klingon").unwrap();
    let mut answered = None;
    let mut by_rule = Vec::new();
    driver
        .play_on(
            None,
            |_, _| Ok::<(), ()>(()),
            |_, step| {
                if let khitomer::driver::Step::Turn(played) = step {
                    if let Some(order) = played.orders[&kdf].first() {
                        answered.get_or_insert((played.report.turn, order.clone()));
                    }
                    by_rule.extend(played.report.events.iter().filter_map(|e| match e {
                        GameEvent::ChoiceMade {
                            faction, by_rule, ..
                        } if *faction == kdf => Some(*by_rule),
                        _ => None,
                    }));
                }
                Ok(())
            },
        )
        .unwrap();
    assert_eq!(
        by_rule,
        vec![true],
        "the choice was taken by the scenario's rule"
    );
    let (turn, order) = answered.expect("the person's seat answered by default");
    assert_eq!(turn, 5);
    assert!(
        matches!(order, Order::Answer { answer: Answer::Refuse(r), .. }
        if r == vec![RefusalReason::NoAnswer])
    );
    let end = driver.game().state();
    assert!(end.script.flags.contains("pressed"), "the scenario's pick");
    assert_eq!(
        end.diplomacy.stance(faction(&end, "federation"), kdf),
        Stance::War
    );
}

/// The AI's orders for one faction in a recorded game, turn by turn, written as an orders file
/// with content ids.
fn orders_file_of(replay: &Replay, session: Session, key: &str) -> String {
    let mut driver = Driver::new(session, replay.seats.clone());
    let mut turns = Vec::new();
    for record in &replay.turns {
        if driver.chapter_over() {
            driver.next_chapter();
        }
        let chapter = driver.game().state().scenario.id;
        let faction = driver.game().faction_id(key).unwrap();
        let names = Names::new(driver.game().world());
        let orders: Vec<String> = record
            .orders
            .get(key)
            .into_iter()
            .flatten()
            .map(|o| ron::to_string(&names.name(o)).unwrap())
            .collect();
        // Every named order resolves to the order the AI gave; only a refusal's reasons are
        // the AI's own (a person's refusal says it declined), and they change nothing.
        for o in record.orders.get(key).into_iter().flatten() {
            let back = names.resolve(faction, &names.name(o)).unwrap();
            match (o, &back) {
                (
                    Order::Answer {
                        proposal: a,
                        answer: Answer::Refuse(_),
                    },
                    Order::Answer {
                        proposal: b,
                        answer: Answer::Refuse(r),
                    },
                ) => assert!(a == b && *r == vec![RefusalReason::Declined]),
                _ => assert_eq!(&back, o),
            }
        }
        if !orders.is_empty() {
            turns.push(format!(
                "Turn(turn: {}, chapter: \"{chapter}\", orders: [{}])",
                record.turn,
                orders.join(", ")
            ));
        }
        assert!(driver.replay_turn(record).unwrap().parting.is_none());
    }
    format!("Orders(faction: \"{key}\", turns: [{}])", turns.join(",\n"))
}

/// The same order, but for a refusal's reasons (a person's refusal says it declined).
fn same_order(a: &Order, b: &Order) -> bool {
    match (a, b) {
        (
            Order::Answer {
                proposal: x,
                answer: Answer::Refuse(_),
            },
            Order::Answer {
                proposal: y,
                answer: Answer::Refuse(_),
            },
        ) => x == y,
        _ => a == b,
    }
}

#[test]
fn a_file_holding_the_ais_orders_gives_the_ais_hashes() {
    let dir = scratch("same_hashes");
    let games = [
        ("tau_dewa_2409", 3),
        ("tau_dewa_2409", 7),
        ("tau_dewa_2409", 2409),
        ("road_to_jenolan", 5),
    ];
    for (play, seed) in games {
        let ai = khitomer(
            &dir,
            &[
                "run",
                play,
                "--seed",
                &seed.to_string(),
                "--record",
                "ai.ron",
            ],
        );
        assert_eq!(ai.status.code(), Some(0), "{}", stderr(&ai));
        let replay: Replay =
            ron::from_str(&std::fs::read_to_string(dir.join("ai.ron")).unwrap()).unwrap();
        for key in ["klingon", "federation"] {
            let session = match start_campaign(&library(), play, Some(seed)) {
                Some(started) => Session::new(started.unwrap().chapters),
                None => Session::single(scenario(play, Some(seed))),
            };
            let file = orders_file_of(&replay, session, key);
            std::fs::write(dir.join("orders.ron"), file).unwrap();
            let person = khitomer(
                &dir,
                &[
                    "run",
                    play,
                    "--seed",
                    &seed.to_string(),
                    "--as",
                    key,
                    "--orders",
                    "orders.ron",
                    "--record",
                    "person.ron",
                ],
            );
            assert_eq!(person.status.code(), Some(0), "{}", stderr(&person));
            let played: Replay =
                ron::from_str(&std::fs::read_to_string(dir.join("person.ron")).unwrap()).unwrap();
            assert_eq!(played.turns.len(), replay.turns.len());
            for (a, b) in replay.turns.iter().zip(&played.turns) {
                assert_eq!(a.hash, b.hash, "seed {seed}, {key}, turn {}", a.turn);
                // The person's orders are the AI's, less any the check refused as they were
                // given (the turn refuses those too, and they change nothing).
                let theirs = a.orders.get(key).cloned().unwrap_or_default();
                let mine = b.orders.get(key).cloned().unwrap_or_default();
                let mut rest = theirs.iter();
                assert!(
                    mine.iter().all(|o| rest.any(|t| same_order(t, o))),
                    "seed {seed}, {key}, turn {}: {mine:?} is not drawn from {theirs:?}",
                    a.turn
                );
                assert_eq!(b.persons, vec![key.to_owned()]);
            }
        }
    }
}

#[test]
fn taking_the_helm_with_orders_branches_the_history_and_the_branch_verifies() {
    let dir = scratch("take");
    let run = khitomer(
        &dir,
        &[
            "run",
            "tau_dewa_2409",
            "--seed",
            "5",
            "--record",
            "game.ron",
        ],
    );
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let original: Replay =
        ron::from_str(&std::fs::read_to_string(dir.join("game.ron")).unwrap()).unwrap();
    std::fs::write(
        dir.join("orders.ron"),
        r#"Orders(turns: [
            Turn(turn: 4, orders: [Move(fleet: "kdf_home", to: "otha"), Build(at: "qonos", strength: 3)]),
            Turn(turn: 6, orders: [Withdraw(fleet: "kdf_hromi")]),
        ])"#,
    )
    .unwrap();
    let take = khitomer(
        &dir,
        &[
            "replay",
            "game.ron",
            "--take",
            "klingon",
            "--at",
            "3",
            "--orders",
            "orders.ron",
            "--record",
            "branch.ron",
        ],
    );
    assert_eq!(take.status.code(), Some(0), "{}", stderr(&take));
    let branch: Replay =
        ron::from_str(&std::fs::read_to_string(dir.join("branch.ron")).unwrap()).unwrap();
    assert_eq!(branch.turns[..3], original.turns[..3], "the shared turns");
    assert_eq!(branch.branch.as_ref().map(|b| b.after_turns), Some(3));
    assert_eq!(branch.seats.seat("klingon"), Seat::Person);
    assert_eq!(
        branch.seats.seat("federation"),
        original.seats.seat("federation")
    );
    // After the helm is taken, the Klingons' orders are the file's and no one else's.
    let start = scenario("tau_dewa_2409", Some(5));
    for record in &branch.turns[3..] {
        assert_eq!(record.persons, vec!["klingon".to_owned()]);
        let given = record.orders.get("klingon").cloned().unwrap_or_default();
        match record.turn {
            4 => {
                assert_eq!(given.len(), 2, "{given:?}");
                assert!(
                    matches!(&given[0], Order::Move { fleet, .. } if *fleet == fleet_id(&start, "kdf_home"))
                );
                assert!(matches!(given[1], Order::Build { strength: 3, .. }));
            }
            6 => assert!(
                given.is_empty()
                    || matches!(given.as_slice(), [Order::Withdraw { fleet }] if *fleet == fleet_id(&start, "kdf_hromi")),
                "{given:?}"
            ),
            _ => assert!(given.is_empty(), "the AI gave the person's seat {given:?}"),
        }
    }
    // Where the orders differ, the turns differ.
    assert_ne!(
        branch.turns[3].orders.get("klingon"),
        original.turns[3].orders.get("klingon")
    );
    assert_ne!(branch.turns[3].hash, original.turns[3].hash);
    // The branch verifies.
    let verify = khitomer(&dir, &["replay", "branch.ron"]);
    assert_eq!(verify.status.code(), Some(0), "{}", stderr(&verify));
}

fn fleet_id(world: &WorldState, key: &str) -> khitomer::core::ids::FleetId {
    fleet(world, key).id
}

#[test]
fn a_person_seat_without_orders_is_never_played_by_the_ai() {
    let dir = scratch("no_orders");
    for args in [
        &["run", "tau_dewa_2409", "--as", "klingon"][..],
        &["replay", "game.ron", "--take", "klingon", "--at", "2"][..],
    ] {
        if args[0] == "replay" {
            khitomer(
                &dir,
                &[
                    "run",
                    "tau_dewa_2409",
                    "--turns",
                    "3",
                    "--record",
                    "game.ron",
                ],
            );
        }
        let out = khitomer(&dir, args);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(
            String::from_utf8_lossy(&out.stdout).is_empty(),
            "nothing is played"
        );
        assert!(stderr(&out).contains("--orders FILE"), "{}", stderr(&out));
    }
}

#[test]
fn a_bad_orders_file_is_one_screen_with_its_line_and_column() {
    let dir = scratch("bad_orders");
    std::fs::write(
        dir.join("orders.ron"),
        "Orders(turns: [\n    Turn(turn: 1, orders: [Move(fleet: \"kdf_home\", to: \"otah\")]),\n    Turn(turn: 40, orders: []),\n])\n",
    )
    .unwrap();
    let out = khitomer(
        &dir,
        &[
            "run",
            "tau_dewa_2409",
            "--as",
            "klingon",
            "--orders",
            "orders.ron",
        ],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("orders.ron:2:"), "{err}");
    assert!(err.contains("did you mean `otha`?"), "{err}");
    assert!(err.contains("turn 40"), "{err}");
    assert!(!err.contains("panicked"));
    assert!(err.lines().count() <= 40, "{err}");
    assert!(String::from_utf8_lossy(&out.stdout).is_empty());
}

#[test]
fn the_example_orders_file_plays() {
    let dir = scratch("example");
    let example = root().join("examples/orders.ron");
    let out = khitomer(
        &dir,
        &[
            "run",
            "tau_dewa_2409",
            "--as",
            "klingon",
            "--orders",
            example.to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines = json_lines(&out);
    // Its deliberately refused order is refused, and the others are not.
    let refused: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|l| l["event"] == "order_refused" && l["data"]["faction"] == 1)
        .collect();
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(
        lines
            .iter()
            .any(|l| l["event"] == "fleet_built" && l["data"]["owner"] == 1 && l["turn"] == 1)
    );
}
