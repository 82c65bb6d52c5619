//! The rules, one situation at a time: given a world and orders, the turn gives these events.

use khitomer::core::diplomacy::{Answer, Clause, Diplomacy, OpinionCause, RefusalReason};
use khitomer::core::events::{AttritionCause, GameEvent};
use khitomer::core::fleet::{FleetIndex, Location, Strength};
use khitomer::core::game::{Game, TurnReport};
use khitomer::core::ids::{FactionId, FleetId, SectorId};
use khitomer::core::orders::{Order, OrderRefusal};
use khitomer::core::seat::Seats;
use khitomer::core::sector::{Owner, SectorIndex};
use khitomer::core::testing::Sandbox;
use khitomer::driver::Driver;
use khitomer::session::Session;

fn play(game: &mut Game, orders: Vec<(FactionId, Order)>) -> TurnReport {
    for (faction, order) in orders {
        game.give_orders(faction, [order]);
    }
    game.play_turn().expect("the game is not over")
}

fn battles(report: &TurnReport) -> Vec<SectorId> {
    report
        .events
        .iter()
        .filter_map(|e| match e {
            GameEvent::Battle(b) => Some(b.sector),
            _ => None,
        })
        .collect()
}

fn owner(game: &Game, sector: usize) -> Option<FactionId> {
    let e = game
        .world()
        .resource::<SectorIndex>()
        .entity(SectorId::from_index(sector));
    game.world().get::<Owner>(e).expect("sector").0
}

fn fleet_at(game: &Game, fleet: FleetId) -> Option<(SectorId, u32)> {
    let e = game.world().resource::<FleetIndex>().get(fleet)?;
    Some((
        game.world().get::<Location>(e)?.0,
        game.world().get::<Strength>(e)?.0,
    ))
}

fn s(i: usize) -> SectorId {
    SectorId::from_index(i)
}

/// Two powers at war with a cease-fire in the `tau_dewa` block: sectors 0-1 are the front
/// (`eta_eridani`, the first held by the Federation), 2-3 are Tau Dewa, held by the Klingons.
/// Supply reaches everywhere, so that only fighting changes strength.
fn front_and_ceasefire() -> (Sandbox, FactionId, FactionId) {
    let mut sb = Sandbox::row(&["eta_eridani", "eta_eridani", "tau_dewa", "tau_dewa"]);
    let fed = sb.faction("federation");
    let kdf = sb.faction("klingon");
    sb.own(0, fed);
    for i in 1..4 {
        sb.own(i, kdf);
    }
    sb.war(fed, kdf)
        .ceasefire(fed, kdf, &["tau_dewa"])
        .rules(|r| r.supply_range = 10);
    (sb, fed, kdf)
}

#[test]
fn a_ceasefire_block_stops_combat_and_capture_between_its_parties() {
    let (mut sb, fed, kdf) = front_and_ceasefire();
    sb.fleet(fed, 2, 30);
    sb.fleet(kdf, 2, 30);
    let lone = sb.fleet(fed, 3, 30);
    let mut game = sb.game();
    for _ in 0..3 {
        let report = play(&mut game, vec![]);
        assert!(
            battles(&report).is_empty(),
            "no battle inside the cease-fire block: {:?}",
            report.events
        );
        assert!(
            !report.events.iter().any(|e| matches!(
                e,
                GameEvent::OccupationBegun { .. } | GameEvent::SectorCaptured { .. }
            )),
            "no occupation inside the cease-fire block"
        );
    }
    assert_eq!(owner(&game, 3), Some(kdf));
    assert_eq!(fleet_at(&game, lone), Some((s(3), 30)));
}

#[test]
fn the_same_fleets_fight_one_hex_outside_the_block() {
    let (mut sb, fed, kdf) = front_and_ceasefire();
    let a = sb.fleet(fed, 2, 30);
    let b = sb.fleet(kdf, 2, 30);
    let mut game = sb.game();
    let report = play(
        &mut game,
        vec![
            (
                fed,
                Order::Move {
                    fleet: a,
                    route: vec![s(1)],
                },
            ),
            (
                kdf,
                Order::Move {
                    fleet: b,
                    route: vec![s(1)],
                },
            ),
        ],
    );
    assert_eq!(
        battles(&report),
        vec![s(1)],
        "they meet in Eta Eridani and fight: {:?}",
        report.events
    );
    let battle = report
        .events
        .iter()
        .find_map(|e| {
            if let GameEvent::Battle(b) = e {
                Some(b)
            } else {
                None
            }
        })
        .unwrap();
    assert_eq!(battle.sides.len(), 2);
    assert!(
        battle.sides.iter().flatten().all(|l| l.after < l.before),
        "both sides lose strength: {battle:?}"
    );
}

#[test]
fn a_ceasefire_binds_only_its_parties() {
    let (mut sb, fed, kdf) = front_and_ceasefire();
    let _ = fed;
    let mut sb = {
        // A third power at war with the Klingons, with no cease-fire of its own.
        let orion = sb.faction("orion");
        let mut state = sb.state();
        state
            .diplomacy
            .set_stance(orion, kdf, khitomer::core::diplomacy::Stance::War, 0);
        (state, orion)
    };
    let (state, orion) = (&mut sb.0, sb.1);
    state.fleets.push(khitomer::core::state::FleetState {
        id: FleetId(0),
        key: "raiders".into(),
        name: "raiders".into(),
        owner: orion,
        sector: s(3),
        strength: 20,
        speed: 2,
        commander: None,
        task: Default::default(),
        assignment: None,
    });
    state.next_fleet = 1;
    let mut game = Game::new(state.clone());
    let first = play(&mut game, vec![]);
    assert!(
        first
            .events
            .iter()
            .any(|e| matches!(e, GameEvent::OccupationBegun { by, .. } if *by == orion))
    );
    let second = play(&mut game, vec![]);
    assert!(
        second
            .events
            .iter()
            .any(|e| matches!(e, GameEvent::SectorCaptured { by, .. } if *by == orion))
    );
    assert_eq!(owner(&game, 3), Some(orion));
}

#[test]
fn a_sector_is_captured_after_it_is_held_through_a_turn() {
    let mut sb = Sandbox::row(&["a", "a", "a"]);
    let fed = sb.faction("federation");
    let kdf = sb.faction("klingon");
    sb.own(0, fed).own(2, kdf).war(fed, kdf);
    let f = sb.fleet(fed, 0, 20);
    let mut game = sb.game();
    let t1 = play(
        &mut game,
        vec![(
            fed,
            Order::Move {
                fleet: f,
                route: vec![s(1), s(2)],
            },
        )],
    );
    assert!(t1.events.contains(&GameEvent::OccupationBegun {
        sector: s(2),
        by: fed,
        owner: Some(kdf)
    }));
    assert_eq!(
        owner(&game, 2),
        Some(kdf),
        "not yet: it must be held through a turn"
    );
    let t2 = play(&mut game, vec![]);
    assert!(t2.events.contains(&GameEvent::SectorCaptured {
        sector: s(2),
        by: fed,
        from: Some(kdf)
    }));
    assert_eq!(owner(&game, 2), Some(fed));
}

#[test]
fn an_occupation_is_lifted_when_the_occupier_leaves() {
    let mut sb = Sandbox::row(&["a", "a", "a"]);
    let fed = sb.faction("federation");
    let kdf = sb.faction("klingon");
    sb.own(0, fed).own(2, kdf).war(fed, kdf);
    let f = sb.fleet(fed, 2, 20);
    let mut game = sb.game();
    play(&mut game, vec![]);
    play(
        &mut game,
        vec![(
            fed,
            Order::Move {
                fleet: f,
                route: vec![s(1)],
            },
        )],
    );
    let t3 = play(
        &mut game,
        vec![(
            fed,
            Order::Move {
                fleet: f,
                route: vec![s(2)],
            },
        )],
    );
    assert!(
        t3.events.contains(&GameEvent::OccupationBegun {
            sector: s(2),
            by: fed,
            owner: Some(kdf)
        }),
        "leaving ended the first occupation; coming back starts a new one: {:?}",
        t3.events
    );
    assert_eq!(owner(&game, 2), Some(kdf));
}

#[test]
fn alliance_members_share_sectors_and_fight_together() {
    let mut sb = Sandbox::row(&["a", "a", "a", "a", "a", "a", "a"]);
    let fed = sb.faction("federation");
    let rr = sb.faction("republic");
    let borg = sb.faction("borg");
    sb.own(0, fed);
    for i in 4..7 {
        sb.own(i, rr);
    }
    sb.war(fed, borg).war(rr, borg);
    sb.alliance(&[fed, rr]);
    // A Federation fleet deep in Republic space: no capture, and supplied there.
    let guest = sb.fleet(fed, 6, 20);
    // Both meet a Borg cube at sector 5.
    let f = sb.fleet(fed, 4, 25);
    let r = sb.fleet(rr, 4, 25);
    let cube = sb.fleet(borg, 5, 60);
    let mut game = sb.game();
    let report = play(
        &mut game,
        vec![
            (
                fed,
                Order::Move {
                    fleet: f,
                    route: vec![s(5)],
                },
            ),
            (
                rr,
                Order::Move {
                    fleet: r,
                    route: vec![s(5)],
                },
            ),
        ],
    );
    let battle = report.events.iter().find_map(|e| {
        if let GameEvent::Battle(b) = e {
            Some(b)
        } else {
            None
        }
    });
    let battle = battle.expect("the allies engage the cube");
    assert_eq!(battle.sides.len(), 2, "two sides, not three: {battle:?}");
    let allied_side = battle
        .sides
        .iter()
        .find(|side| side.iter().any(|l| l.fleet == f))
        .unwrap();
    assert!(
        allied_side.iter().any(|l| l.fleet == r),
        "the allies fight on one side: {battle:?}"
    );
    assert!(!allied_side.iter().any(|l| l.fleet == cube));
    assert!(
        !report
            .events
            .iter()
            .any(|e| matches!(e, GameEvent::OccupationBegun { sector, .. } if *sector == s(6)))
    );
    assert!(!report
        .events
        .iter()
        .any(|e| matches!(e, GameEvent::Attrition { fleet, cause: AttritionCause::OutOfSupply, .. } if *fleet == guest)));
    assert_eq!(owner(&game, 6), Some(rr));
}

#[test]
fn a_joint_command_fights_together_outside_any_ceasefire() {
    // Task Force Omega: Federation and Klingon fleets at war with each other, one command.
    let mut sb = Sandbox::row(&["orion", "orion"]);
    let fed = sb.faction("federation");
    let kdf = sb.faction("klingon");
    let borg = sb.faction("borg");
    sb.war(fed, kdf).war(fed, borg).war(kdf, borg);
    let tfo = sb.joint_command(&[fed, kdf]);
    let f = sb.fleet(fed, 0, 20);
    let k = sb.fleet(kdf, 0, 20);
    sb.assign(f, tfo, 0).assign(k, tfo, 0);
    let cube = sb.fleet(borg, 1, 30);
    let mut game = sb.game();
    let report = play(
        &mut game,
        vec![
            (
                fed,
                Order::Move {
                    fleet: f,
                    route: vec![s(1)],
                },
            ),
            (
                kdf,
                Order::Move {
                    fleet: k,
                    route: vec![s(1)],
                },
            ),
        ],
    );
    let battle = report
        .events
        .iter()
        .find_map(|e| {
            if let GameEvent::Battle(b) = e {
                Some(b)
            } else {
                None
            }
        })
        .unwrap();
    assert_eq!(battle.sides.len(), 2, "{battle:?}");
    assert!(
        battle
            .sides
            .iter()
            .any(|side| side.iter().any(|l| l.fleet == f) && side.iter().any(|l| l.fleet == k))
    );
    assert!(
        battle
            .sides
            .iter()
            .any(|side| side.iter().all(|l| l.fleet == cube))
    );
}

#[test]
fn fleets_move_through_an_open_gateway_and_are_refused_through_a_closed_one() {
    let mut sb = Sandbox::row(&["a", "a", "a", "a", "a", "a", "a", "a"]);
    let fed = sb.faction("federation");
    sb.own(0, fed);
    let open = sb.link(0, 7, true);
    let closed = sb.link(1, 6, false);
    let a = sb.fleet(fed, 0, 10);
    let b = sb.fleet(fed, 1, 10);
    let mut game = sb.game();
    let report = play(
        &mut game,
        vec![
            (
                fed,
                Order::Move {
                    fleet: a,
                    route: vec![s(7)],
                },
            ),
            (
                fed,
                Order::Move {
                    fleet: b,
                    route: vec![s(6)],
                },
            ),
        ],
    );
    assert!(report.events.contains(&GameEvent::FleetMoved {
        fleet: a,
        from: s(0),
        to: s(7),
        steps: 1
    }));
    assert!(
        report.events.iter().any(|e| matches!(e,
            GameEvent::OrderRefused { reason: OrderRefusal::LinkClosed(l), .. } if *l == closed)),
        "{:?}",
        report.events
    );
    assert_eq!(fleet_at(&game, b), Some((s(1), 10)));
    let _ = open;
}

#[test]
fn a_move_without_a_connection_is_refused_with_its_reason() {
    let mut sb = Sandbox::row(&["a", "a", "a", "a"]);
    let fed = sb.faction("federation");
    let kdf = sb.faction("klingon");
    let f = sb.fleet(fed, 0, 10);
    let k = sb.fleet(kdf, 3, 10);
    let mut game = sb.game();
    let report = play(
        &mut game,
        vec![
            (
                fed,
                Order::Move {
                    fleet: f,
                    route: vec![s(2)],
                },
            ),
            (
                fed,
                Order::Move {
                    fleet: k,
                    route: vec![s(2)],
                },
            ),
            (
                fed,
                Order::Attack {
                    fleet: f,
                    target: k,
                },
            ),
        ],
    );
    let refusals: Vec<&OrderRefusal> = report
        .events
        .iter()
        .filter_map(|e| {
            if let GameEvent::OrderRefused { reason, .. } = e {
                Some(reason)
            } else {
                None
            }
        })
        .collect();
    assert_eq!(
        refusals,
        vec![
            &OrderRefusal::NotConnected {
                from: s(0),
                to: s(2)
            },
            &OrderRefusal::NotYourFleet {
                fleet: k,
                owner: kdf
            },
            &OrderRefusal::NotHostile {
                target: k,
                owner: kdf
            },
        ]
    );
}

#[test]
fn an_attack_out_of_reach_or_under_a_ceasefire_is_refused() {
    let (mut sb, fed, kdf) = front_and_ceasefire();
    let f = sb.fleet(fed, 0, 30);
    let far = sb.fleet(kdf, 3, 10);
    let near = sb.fleet(kdf, 1, 10);
    sb.speed(f, 1);
    let mut game = sb.game();
    let report = play(
        &mut game,
        vec![
            (
                fed,
                Order::Attack {
                    fleet: f,
                    target: far,
                },
            ),
            (
                fed,
                Order::Attack {
                    fleet: f,
                    target: near,
                },
            ),
        ],
    );
    assert!(report.events.iter().any(|e| matches!(e,
        GameEvent::OrderRefused { reason: OrderRefusal::UnderCeaseFire { sector, with }, .. } if *sector == s(3) && *with == kdf)));
    assert_eq!(battles(&report), vec![s(1)], "the attack in reach goes in");

    let (mut sb, fed, kdf) = front_and_ceasefire();
    let f = sb.fleet(fed, 0, 30);
    let k = sb.fleet(kdf, 1, 10);
    sb.speed(f, 0);
    let mut game = sb.game();
    let report = play(
        &mut game,
        vec![(
            fed,
            Order::Attack {
                fleet: f,
                target: k,
            },
        )],
    );
    assert!(report.events.iter().any(|e| matches!(
        e,
        GameEvent::OrderRefused {
            reason: OrderRefusal::NotEnoughSpeed {
                needed: 1,
                speed: 0
            },
            ..
        }
    )));
}

#[test]
fn a_shipyard_builds_a_fleet_from_industry() {
    let mut sb = Sandbox::row(&["a", "a", "a"]);
    let fed = sb.faction("federation");
    let kdf = sb.faction("klingon");
    sb.own(0, fed).shipyard(0).industry(0, 5).treasury(fed, 100);
    sb.own(1, fed).shipyard(1);
    sb.own(2, fed).war(fed, kdf);
    sb.fleet(kdf, 1, 5);
    let mut game = sb.game();
    let report = play(
        &mut game,
        vec![
            (
                fed,
                Order::Build {
                    sector: s(0),
                    strength: 15,
                },
            ),
            (
                fed,
                Order::Build {
                    sector: s(1),
                    strength: 5,
                },
            ),
            (
                fed,
                Order::Build {
                    sector: s(2),
                    strength: 5,
                },
            ),
            (
                fed,
                Order::Build {
                    sector: s(0),
                    strength: 10,
                },
            ),
        ],
    );
    let built: Vec<&GameEvent> = report
        .events
        .iter()
        .filter(|e| matches!(e, GameEvent::FleetBuilt { .. }))
        .collect();
    assert_eq!(built.len(), 1, "{:?}", report.events);
    let GameEvent::FleetBuilt {
        fleet,
        owner,
        sector,
        strength,
        cost,
    } = built[0]
    else {
        unreachable!()
    };
    assert_eq!((*owner, *sector, *strength, *cost), (fed, s(0), 15, 30));
    assert_eq!(fleet_at(&game, *fleet), Some((s(0), 15)));
    let reasons: Vec<&OrderRefusal> = report
        .events
        .iter()
        .filter_map(|e| {
            if let GameEvent::OrderRefused { reason, .. } = e {
                Some(reason)
            } else {
                None
            }
        })
        .collect();
    assert_eq!(
        reasons,
        vec![
            &OrderRefusal::Blockaded {
                sector: s(1),
                by: kdf
            },
            &OrderRefusal::NoShipyard(s(2)),
            &OrderRefusal::OverCapacity { capacity: 5 },
        ]
    );
    let accounts = report.events.iter().find_map(|e| match e {
        GameEvent::Accounts {
            faction,
            income,
            spent,
            treasury,
            ..
        } if *faction == fed => Some((*income, *spent, *treasury)),
        _ => None,
    });
    assert_eq!(accounts, Some((5, 30, 75)));
}

#[test]
fn a_build_beyond_the_treasury_is_refused() {
    let mut sb = Sandbox::row(&["a"]);
    let fed = sb.faction("federation");
    sb.own(0, fed).shipyard(0).treasury(fed, 10);
    let mut game = sb.game();
    let report = play(
        &mut game,
        vec![(
            fed,
            Order::Build {
                sector: s(0),
                strength: 10,
            },
        )],
    );
    assert!(report.events.iter().any(|e| matches!(
        e,
        GameEvent::OrderRefused {
            reason: OrderRefusal::NotEnoughIndustry {
                needed: 20,
                have: 10
            },
            ..
        }
    )));
}

#[test]
fn a_fleet_out_of_supply_wastes_away() {
    let mut sb = Sandbox::row(&["a", "a", "a", "a", "a"]);
    let fed = sb.faction("federation");
    sb.own(0, fed);
    let near = sb.fleet(fed, 2, 20);
    let far = sb.fleet(fed, 4, 20);
    let mut game = sb.game();
    let report = play(&mut game, vec![]);
    assert!(report.events.contains(&GameEvent::Attrition {
        fleet: far,
        sector: s(4),
        before: 20,
        after: 18,
        cause: AttritionCause::OutOfSupply
    }));
    assert!(
        !report
            .events
            .iter()
            .any(|e| matches!(e, GameEvent::Attrition { fleet, .. } if *fleet == near))
    );
}

#[test]
fn a_refused_proposal_lists_its_reasons() {
    let mut sb = Sandbox::row(&["front", "front", "quiet"]);
    let fed = sb.faction("federation");
    let kdf = sb.faction("klingon");
    let rr = sb.faction("republic");
    sb.own(0, fed).own(1, kdf);
    sb.war(fed, kdf).opinion(kdf, fed, -60);
    // The Federation broke a cease-fire with the Republic: it is not trusted.
    sb.war(fed, rr).ceasefire(fed, rr, &["quiet"]);
    sb.fleet(fed, 0, 10);
    sb.fleet(kdf, 1, 80);
    let mut game = sb.game();
    let (quiet, front) = (game_block(&game, "quiet"), game_block(&game, "front"));
    play(
        &mut game,
        vec![(
            fed,
            Order::EndCeaseFire {
                with: rr,
                blocks: vec![quiet],
                why: Vec::new(),
            },
        )],
    );
    let made = play(
        &mut game,
        vec![(
            fed,
            Order::Propose {
                name: "Armistice".into(),
                to: vec![kdf],
                clauses: vec![Clause::CeaseFire {
                    blocks: vec![front],
                }],
            },
        )],
    );
    assert!(
        made.events
            .iter()
            .any(|e| matches!(e, GameEvent::ProposalMade { from, .. } if *from == fed))
    );
    // The Klingons' AI answers; the Federation's seat is a person's, who gives no orders.
    let mut driver = Driver::new(
        Session::single(game.state()),
        Seats::default().with_person("federation"),
    );
    driver.end_turn(fed);
    let answered = driver.resolve().unwrap().report;
    let reasons = answered
        .events
        .iter()
        .find_map(|e| match e {
            GameEvent::ProposalRefused { by, reasons, .. } if *by == kdf => Some(reasons.clone()),
            _ => None,
        })
        .expect("the Klingons refuse");
    assert!(
        reasons
            .iter()
            .any(|r| matches!(r, RefusalReason::LowOpinion { .. })),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| matches!(
            r,
            RefusalReason::WinningAgainst {
                enemy,
                ours: 80,
                theirs: 10
            } if *enemy == fed
        )),
        "{reasons:?}"
    );
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert!(
        reasons
            .iter()
            .any(|r| matches!(r, RefusalReason::Untrustworthy { .. })),
        "{reasons:?}"
    );
    let d = game.world().resource::<Diplomacy>();
    assert!(d.at_war(fed, kdf) && !d.ceasefire_in(fed, kdf, front));
}

fn game_block(game: &Game, name: &str) -> khitomer::core::ids::BlockId {
    let galaxy = game.world().resource::<khitomer::core::galaxy::Galaxy>();
    khitomer::core::ids::BlockId::from_index(
        galaxy.blocks().iter().position(|b| b.key == name).unwrap(),
    )
}

#[test]
fn an_accepted_proposal_is_signed_and_applied() {
    let mut sb = Sandbox::row(&["front", "front"]);
    let fed = sb.faction("federation");
    let kdf = sb.faction("klingon");
    sb.own(0, fed).own(1, kdf).war(fed, kdf);
    let mut game = sb.game();
    let front = game_block(&game, "front");
    play(
        &mut game,
        vec![(
            fed,
            Order::Propose {
                name: "Front truce".into(),
                to: vec![kdf],
                clauses: vec![Clause::CeaseFire {
                    blocks: vec![front],
                }],
            },
        )],
    );
    let report = play(
        &mut game,
        vec![(
            kdf,
            Order::Answer {
                proposal: khitomer::core::ids::ProposalId(0),
                answer: Answer::Accept,
            },
        )],
    );
    assert!(
        report
            .events
            .iter()
            .any(|e| matches!(e, GameEvent::TreatySigned { .. }))
    );
    assert!(
        report.events.iter().any(
            |e| matches!(e, GameEvent::CeaseFireAgreed { blocks, .. } if *blocks == vec![front])
        )
    );
    assert!(
        game.world()
            .resource::<Diplomacy>()
            .ceasefire_in(fed, kdf, front)
    );
}

#[test]
fn a_proposal_that_cannot_apply_is_refused_by_the_rules() {
    let mut sb = Sandbox::row(&["a", "a"]);
    let fed = sb.faction("federation");
    let rr = sb.faction("republic");
    sb.own(0, fed).own(1, rr);
    let mut game = sb.game();
    let a = game_block(&game, "a");
    let report = play(
        &mut game,
        vec![(
            fed,
            Order::Propose {
                name: "Pointless".into(),
                to: vec![rr],
                clauses: vec![Clause::CeaseFire { blocks: vec![a] }],
            },
        )],
    );
    assert!(report.events.iter().any(|e| matches!(e,
        GameEvent::OrderRefused { reason: OrderRefusal::InvalidProposal(r), .. } if *r == vec![RefusalReason::NotAtWar(fed, rr)])));
}

#[test]
fn breaking_a_ceasefire_costs_opinion_with_every_faction() {
    let mut sb = Sandbox::row(&["tau_dewa", "orellius"]);
    let fed = sb.faction("federation");
    let kdf = sb.faction("klingon");
    let rr = sb.faction("republic");
    let deferi = sb.faction("deferi");
    sb.war(fed, kdf).ceasefire(fed, kdf, &["tau_dewa"]);
    let mut game = sb.game();
    let before: Vec<i32> = [kdf, rr, deferi]
        .iter()
        .map(|&f| game.world().resource::<Diplomacy>().opinion(f, fed))
        .collect();
    let tau_dewa = game_block(&game, "tau_dewa");
    let report = play(
        &mut game,
        vec![(
            fed,
            Order::EndCeaseFire {
                with: kdf,
                blocks: vec![tau_dewa],
                why: Vec::new(),
            },
        )],
    );
    let broken = report.events.iter().find_map(|e| match e {
        GameEvent::TreatyBroken {
            by,
            victim,
            opinion,
            ..
        } => Some((*by, *victim, opinion.clone())),
        _ => None,
    });
    let (by, victim, changes) = broken.expect("the treaty is broken in the open");
    assert_eq!((by, victim), (fed, kdf));
    assert_eq!(
        changes.iter().map(|c| c.0).collect::<Vec<_>>(),
        vec![kdf, rr, deferi],
        "every other faction sees it"
    );
    let d = game.world().resource::<Diplomacy>();
    let after: Vec<i32> = [kdf, rr, deferi]
        .iter()
        .map(|&f| d.opinion(f, fed))
        .collect();
    for ((b, a), (faction, change)) in before.iter().zip(&after).zip(&changes) {
        assert!(
            a < b,
            "{faction:?}'s opinion of the breaker fell: {b} -> {a}"
        );
        assert!(*change < 0);
    }
    assert!(after[0] < after[1], "the victim minds most");
    assert!(
        d.opinion_modifiers(kdf, fed)
            .iter()
            .any(|m| m.cause == OpinionCause::BrokeFaithWithUs)
    );
    assert!(
        d.hostile_in(fed, kdf, tau_dewa),
        "the war reaches Tau Dewa again"
    );
    assert!(
        report
            .events
            .iter()
            .any(|e| matches!(e, GameEvent::CeaseFireEnded { .. }))
    );
}

#[test]
fn declaring_war_on_an_ally_is_refused_and_on_a_treaty_partner_breaks_the_treaty() {
    let mut sb = Sandbox::row(&["a"]);
    let fed = sb.faction("federation");
    let kdf = sb.faction("klingon");
    let rr = sb.faction("republic");
    sb.alliance(&[fed, rr]);
    sb.war(fed, kdf)
        .treaty("Peace of Khitomer", &[fed, kdf], vec![Clause::EndWar]);
    let mut game = sb.game();
    assert!(
        !game.world().resource::<Diplomacy>().at_war(fed, kdf),
        "the treaty made peace"
    );
    let report = play(
        &mut game,
        vec![
            (
                fed,
                Order::DeclareWar {
                    on: rr,
                    why: Vec::new(),
                },
            ),
            (
                fed,
                Order::DeclareWar {
                    on: kdf,
                    why: Vec::new(),
                },
            ),
        ],
    );
    assert!(report.events.iter().any(|e| matches!(e,
        GameEvent::OrderRefused { reason: OrderRefusal::Allied(f), .. } if *f == rr)));
    assert!(report.events.contains(&GameEvent::WarDeclared {
        by: fed,
        on: kdf,
        why: Vec::new(),
    }));
    assert!(report.events.iter().any(
        |e| matches!(e, GameEvent::TreatyBroken { by, victim, .. } if *by == fed && *victim == kdf)
    ));
    assert!(game.world().resource::<Diplomacy>().at_war(fed, kdf));
}

#[test]
fn hostile_fleets_swapping_places_meet_and_fight() {
    let mut sb = Sandbox::row(&["a", "a"]);
    let fed = sb.faction("federation");
    let kdf = sb.faction("klingon");
    sb.war(fed, kdf);
    let f = sb.fleet(fed, 0, 20);
    let k = sb.fleet(kdf, 1, 20);
    sb.speed(k, 3);
    let mut game = sb.game();
    let report = play(
        &mut game,
        vec![
            (
                fed,
                Order::Move {
                    fleet: f,
                    route: vec![s(1)],
                },
            ),
            (
                kdf,
                Order::Move {
                    fleet: k,
                    route: vec![s(0)],
                },
            ),
        ],
    );
    // The faster Klingon gets through to sector 0 and the Federation fleet, held, fights there.
    assert_eq!(battles(&report), vec![s(0)], "{:?}", report.events);
}

#[test]
fn a_sector_of_a_power_outside_the_scenario_is_not_taken() {
    let mut sb = Sandbox::row(&["a", "a", "a", "b"]);
    let fed = sb.faction("federation");
    let kdf = sb.faction("klingon");
    sb.own(0, fed).own(3, kdf);
    let f = sb.fleet(fed, 0, 20);
    let mut state = sb.state();
    // Sector 1 belongs to a power that takes no part; sector 2 to no one at all.
    state.sectors[1].place.outside = true;
    let mut game = khitomer::core::game::Game::new(state);
    let orders = |route: Vec<SectorId>| vec![(fed, Order::Move { fleet: f, route })];
    let t1 = play(&mut game, orders(vec![s(1)]));
    let t2 = play(&mut game, vec![]);
    for t in [&t1, &t2] {
        assert!(
            !t.events.iter().any(|e| matches!(
                e,
                GameEvent::OccupationBegun { .. } | GameEvent::SectorCaptured { .. }
            )),
            "no one takes it: {:?}",
            t.events
        );
    }
    assert_eq!(owner(&game, 1), None);
    // Passing through it to a sector no one holds, that one is taken.
    play(&mut game, orders(vec![s(2)]));
    play(&mut game, vec![]);
    assert_eq!(owner(&game, 2), Some(fed));
}

/// Each turn's log starts with room for as many events as the last turn logged, so that
/// it is written without growing step by step: the room is read as the first phase ends.
#[test]
fn the_turn_log_keeps_the_room_the_last_turn_took() {
    use bevy::prelude::*;
    use khitomer::core::events::TurnLog;
    use khitomer::core::generate::{GalaxyParams, generate};
    use khitomer::core::seat::Policy;
    use khitomer::core::turn::{PhaseEnd, Turn, TurnSystems};

    #[derive(Resource, Default)]
    struct Room(usize);
    let mut driver = Driver::new(
        Session::single(generate(GalaxyParams::proportional(2_000, 3))),
        Seats::ai(Policy::Strategic),
    );
    let world = driver.game_mut().world_mut();
    world.init_resource::<Room>();
    world.schedule_scope(Turn, |_, schedule| {
        schedule.add_systems(
            (|log: Res<TurnLog>, mut room: ResMut<Room>| room.0 = log.room())
                .in_set(PhaseEnd(TurnSystems::ALL[0]))
                .ambiguous_with_all(),
        );
    });
    let mut logged = driver
        .resolve()
        .expect("the game goes on")
        .report
        .events
        .len();
    for _ in 0..3 {
        assert!(logged > 100, "a turn of 2,000 sectors logs much: {logged}");
        let next = driver
            .resolve()
            .expect("the game goes on")
            .report
            .events
            .len();
        let room = driver.game().world().resource::<Room>().0;
        assert!(
            room >= logged,
            "room for {room} of the last turn's {logged}"
        );
        logged = next;
    }
}
