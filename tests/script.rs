//! Scripted events: every trigger, condition and effect kind, the order events fire in, delays,
//! choices and the cap on loops.

use khitomer::core::calendar::Date;
use khitomer::core::character::{CharacterIndex, Fate};
use khitomer::core::diplomacy::{Diplomacy, OpinionCause, Stance};
use khitomer::core::events::{Decision, GameEvent, ScriptFault};
use khitomer::core::fleet::{FleetIndex, FleetName, Location};
use khitomer::core::galaxy::Galaxy;
use khitomer::core::game::{Game, TurnReport};
use khitomer::core::ids::{BlockId, CharacterId, FactionId, LinkId, SectorId};
use khitomer::core::orders::{Order, OrderRefusal};
use khitomer::core::scenario::ScenarioInfo;
use khitomer::core::script::{
    Choice, ChoiceOption, Condition, Effect, FleetSpawn, Place, Script, ScriptClause,
    ScriptedEvent, SecretPact, Trigger,
};
use khitomer::core::sector::{Industry, Owner, SectorIndex, Shipyard};
use khitomer::core::testing::Sandbox;

fn s(i: usize) -> SectorId {
    SectorId::from_index(i)
}

fn event(key: &str, trigger: Trigger, effects: Vec<Effect>) -> ScriptedEvent {
    ScriptedEvent {
        key: key.into(),
        trigger,
        condition: None,
        effects,
        once: true,
        delay: 0,
        choice: None,
    }
}

fn say(text: &str) -> Effect {
    Effect::Message {
        text: text.into(),
        source: Some("STO - test".into()),
    }
}

fn fired(report: &TurnReport) -> Vec<String> {
    report
        .events
        .iter()
        .filter_map(|e| match e {
            GameEvent::EventFired { event } => Some(event.clone()),
            _ => None,
        })
        .collect()
}

fn play(game: &mut Game, orders: Vec<(FactionId, Order)>) -> TurnReport {
    for (f, o) in orders {
        game.give_orders(f, [o]);
    }
    game.play_turn().expect("not over")
}

/// Four sectors in two blocks, Federation and Klingons at war, the Romulans at peace; each
/// holds a sector with a fleet on it. The Borg, at peace with all and holding a fifth
/// sector, keep the game from ending when the others all become allies.
fn world() -> (Sandbox, [FactionId; 3]) {
    let mut sb = Sandbox::row(&["west", "west", "east", "east", "far"]);
    let fed = sb.faction("federation");
    let kdf = sb.faction("klingon");
    let rr = sb.faction("republic");
    let borg = sb.faction("borg");
    sb.own(0, fed)
        .own(2, kdf)
        .own(3, rr)
        .own(4, borg)
        .war(fed, kdf);
    sb.fleet(fed, 0, 30);
    sb.fleet(kdf, 2, 30);
    sb.fleet(rr, 3, 30);
    (sb, [fed, kdf, rr])
}

#[test]
fn turn_and_date_triggers_fire_on_their_turn_once() {
    let (mut sb, _) = world();
    sb.script(
        vec![
            event("on_two", Trigger::Turn(2), vec![say("two")]),
            event(
                "in_march",
                Trigger::Date(Date::new(2409, 3)),
                vec![say("march")],
            ),
        ],
        vec![],
    );
    let mut game = sb.game();
    assert!(fired(&play(&mut game, vec![])).is_empty());
    let t2 = play(&mut game, vec![]);
    assert_eq!(fired(&t2), vec!["on_two"]);
    assert!(
        t2.events.iter().any(
            |e| matches!(e, GameEvent::Message { text, source: Some(_), .. } if text == "two")
        )
    );
    assert_eq!(fired(&play(&mut game, vec![])), vec!["in_march"]);
    assert!(fired(&play(&mut game, vec![])).is_empty());
}

#[test]
fn a_fleet_entering_a_block_or_sector_fires() {
    let (mut sb, [fed, ..]) = world();
    let east = sb.block("east");
    sb.script(
        vec![
            event(
                "into_east",
                Trigger::FleetEnters {
                    faction: fed,
                    place: Place::Block(east),
                },
                vec![],
            ),
            event(
                "into_s1",
                Trigger::FleetEnters {
                    faction: fed,
                    place: Place::Sector(s(1)),
                },
                vec![],
            ),
        ],
        vec![],
    );
    let mut game = sb.game();
    let fleet = khitomer::core::ids::FleetId(0);
    assert_eq!(
        fired(&play(
            &mut game,
            vec![(
                fed,
                Order::Move {
                    fleet,
                    route: vec![s(1)]
                }
            )]
        )),
        vec!["into_s1"]
    );
    assert_eq!(
        fired(&play(
            &mut game,
            vec![(
                fed,
                Order::Move {
                    fleet,
                    route: vec![s(2)]
                }
            )]
        )),
        vec!["into_east"]
    );
}

#[test]
fn a_sector_or_block_changing_hands_fires() {
    let (mut sb, [fed, kdf, _]) = world();
    let west = sb.block("west");
    sb.script(
        vec![
            event(
                "s1_to_kdf",
                Trigger::ChangesHands {
                    place: Place::Sector(s(1)),
                    to: Some(kdf),
                },
                vec![],
            ),
            event(
                "west_any",
                Trigger::ChangesHands {
                    place: Place::Block(west),
                    to: None,
                },
                vec![],
            ),
            event(
                "west_to_fed",
                Trigger::ChangesHands {
                    place: Place::Block(west),
                    to: Some(fed),
                },
                vec![],
            ),
        ],
        vec![],
    );
    let mut game = sb.game();
    let k = khitomer::core::ids::FleetId(1);
    play(
        &mut game,
        vec![(
            kdf,
            Order::Move {
                fleet: k,
                route: vec![s(1)],
            },
        )],
    );
    let t2 = play(&mut game, vec![]);
    assert_eq!(fired(&t2), vec!["s1_to_kdf", "west_any"], "{:?}", t2.events);
}

#[test]
fn a_relation_becoming_a_stance_fires_even_when_an_event_changes_it() {
    let (mut sb, [fed, kdf, rr]) = world();
    sb.script(
        vec![
            event(
                "peace",
                Trigger::RelationBecomes {
                    a: fed,
                    b: kdf,
                    stance: Stance::Peace,
                },
                vec![],
            ),
            event(
                "romulans_attack",
                Trigger::Turn(2),
                vec![Effect::DeclareWar(rr, kdf)],
            ),
            event(
                "new_war",
                Trigger::RelationBecomes {
                    a: kdf,
                    b: rr,
                    stance: Stance::War,
                },
                vec![],
            ),
        ],
        vec![],
    );
    let mut game = sb.game();
    play(
        &mut game,
        vec![(
            fed,
            Order::Propose {
                name: "Peace".into(),
                to: vec![kdf],
                clauses: vec![khitomer::core::diplomacy::Clause::EndWar],
            },
        )],
    );
    let t2 = play(
        &mut game,
        vec![(
            kdf,
            Order::Answer {
                proposal: khitomer::core::ids::ProposalId(0),
                answer: khitomer::core::diplomacy::Answer::Accept,
            },
        )],
    );
    assert_eq!(fired(&t2), vec!["peace", "romulans_attack", "new_war"]);
}

#[test]
fn treaty_signed_and_broken_fire() {
    let (mut sb, [fed, kdf, _]) = world();
    let east = sb.block("east");
    sb.script(
        vec![
            event(
                "truce",
                Trigger::Turn(1),
                vec![Effect::CeaseFire(fed, kdf, vec![east])],
            ),
            event(
                "signed",
                Trigger::TreatySigned {
                    name: None,
                    party: Some(kdf),
                },
                vec![],
            ),
            event(
                "broken",
                Trigger::TreatyBroken {
                    name: None,
                    by: Some(fed),
                },
                vec![],
            ),
        ],
        vec![],
    );
    let mut game = sb.game();
    assert_eq!(fired(&play(&mut game, vec![])), vec!["truce", "signed"]);
    let t2 = play(
        &mut game,
        vec![(
            fed,
            Order::EndCeaseFire {
                with: kdf,
                blocks: vec![east],
                why: Vec::new(),
            },
        )],
    );
    assert_eq!(fired(&t2), vec!["broken"]);
}

#[test]
fn events_chain_through_event_fired_in_file_order() {
    let (mut sb, _) = world();
    sb.script(
        vec![
            event("c", Trigger::EventFired(1), vec![]),
            event("b", Trigger::EventFired(2), vec![]),
            event("a", Trigger::Turn(1), vec![]),
            event("d", Trigger::Turn(1), vec![]),
        ],
        vec![],
    );
    let mut game = sb.game();
    // Round one: a and d (file order); round two: b (set off by a); round three: c.
    assert_eq!(fired(&play(&mut game, vec![])), vec!["a", "d", "b", "c"]);
}

#[test]
fn strength_below_and_character_death_fire() {
    let (mut sb, [_, kdf, _]) = world();
    let hero = sb.character(Some(kdf));
    sb.script(
        vec![
            event(
                "weak",
                Trigger::StrengthBelow {
                    faction: kdf,
                    value: 31,
                },
                vec![Effect::KillCharacter(hero)],
            ),
            event("mourn", Trigger::CharacterDies(hero), vec![]),
            event(
                "never",
                Trigger::StrengthBelow {
                    faction: kdf,
                    value: 30,
                },
                vec![],
            ),
        ],
        vec![],
    );
    let mut game = sb.game();
    let t1 = play(&mut game, vec![]);
    assert_eq!(fired(&t1), vec!["weak", "mourn"]);
    assert!(
        t1.events
            .contains(&GameEvent::CharacterDied { character: hero })
    );
}

#[test]
fn conditions_all_any_not_and_atoms_decide() {
    let (mut sb, [fed, kdf, rr]) = world();
    let hero = sb.character(Some(fed));
    let west = sb.block("west");
    let cond = |key: &str, c: Condition| ScriptedEvent {
        condition: Some(c),
        ..event(key, Trigger::Turn(1), vec![])
    };
    sb.script(
        vec![
            cond("war", Condition::AtWar(fed, kdf)),
            cond("no_war", Condition::AtWar(fed, rr)),
            cond("peace", Condition::Stance(fed, rr, Stance::Peace)),
            cond("holds_s0", Condition::Holds(fed, Place::Sector(s(0)))),
            cond("holds_west", Condition::Holds(fed, Place::Block(west))),
            cond("alive", Condition::Alive(hero)),
            cond("defeated", Condition::Defeated(rr)),
            cond("flag", Condition::Flag("x".into())),
            cond("strong", Condition::StrengthAtLeast(fed, 30)),
            cond("member", Condition::Member(fed, "none".into())),
            cond("turn", Condition::TurnAtLeast(1)),
            cond(
                "all",
                Condition::All(vec![Condition::AtWar(fed, kdf), Condition::TurnAtLeast(1)]),
            ),
            cond(
                "any",
                Condition::Any(vec![Condition::AtWar(fed, rr), Condition::Alive(hero)]),
            ),
            cond("not", Condition::Not(Box::new(Condition::Defeated(kdf)))),
            cond("fired", Condition::Fired(0)),
        ],
        vec![],
    );
    let mut game = sb.game();
    assert_eq!(
        fired(&play(&mut game, vec![])),
        vec![
            "war", "peace", "holds_s0", "alive", "strong", "turn", "all", "any", "not", "fired"
        ]
    );
}

#[test]
fn a_delayed_event_fires_later_if_its_condition_still_holds() {
    let (mut sb, [fed, kdf, _]) = world();
    let mut later = event("later", Trigger::Turn(1), vec![say("later")]);
    later.delay = 2;
    let mut conditional = event("only_at_war", Trigger::Turn(1), vec![]);
    conditional.delay = 2;
    conditional.condition = Some(Condition::AtWar(fed, kdf));
    sb.script(
        vec![
            later,
            conditional,
            event("peace", Trigger::Turn(2), vec![Effect::MakePeace(fed, kdf)]),
        ],
        vec![],
    );
    let mut game = sb.game();
    assert!(fired(&play(&mut game, vec![])).is_empty());
    assert_eq!(fired(&play(&mut game, vec![])), vec!["peace"]);
    assert_eq!(
        fired(&play(&mut game, vec![])),
        vec!["later"],
        "the other's condition no longer holds"
    );
}

#[test]
fn a_choice_is_answered_by_order_or_by_the_scenarios_rule() {
    for answer in [Some("refuse"), None] {
        let (mut sb, [fed, kdf, _]) = world();
        let offer = ScriptedEvent {
            choice: Some(Choice {
                faction: kdf,
                prompt: "Sign the accord?".into(),
                options: vec![
                    ChoiceOption {
                        key: "sign".into(),
                        text: "Sign".into(),
                        effects: vec![Effect::MakePeace(fed, kdf)],
                    },
                    ChoiceOption {
                        key: "refuse".into(),
                        text: "Refuse".into(),
                        effects: vec![Effect::SetFlag("refused".into())],
                    },
                ],
                ai_picks: 0,
            }),
            ..event("accord", Trigger::Turn(1), vec![])
        };
        sb.script(vec![offer], vec![]);
        let mut game = sb.game();
        let t1 = play(&mut game, vec![]);
        assert!(
            t1.events
                .iter()
                .any(|e| matches!(e, GameEvent::ChoiceOffered { faction, .. } if *faction == kdf))
        );
        let orders = answer
            .map(|o| {
                (
                    kdf,
                    Order::Choose {
                        event: "accord".into(),
                        option: o.into(),
                    },
                )
            })
            .into_iter()
            .collect();
        let t2 = play(&mut game, orders);
        let made = t2.events.iter().find_map(|e| match e {
            GameEvent::ChoiceMade {
                option, by_rule, ..
            } => Some((option.clone(), *by_rule)),
            _ => None,
        });
        let d = game.world().resource::<Diplomacy>();
        match answer {
            Some(_) => {
                assert_eq!(made, Some(("refuse".into(), false)));
                assert!(d.at_war(fed, kdf));
                assert!(game.world().resource::<Script>().flags.contains("refused"));
            }
            None => {
                assert_eq!(made, Some(("sign".into(), true)));
                assert!(!d.at_war(fed, kdf));
            }
        }
    }
}

#[test]
fn a_choose_order_with_nothing_to_answer_is_refused() {
    let (mut sb, [fed, ..]) = world();
    let mut game = sb.game();
    let t1 = play(
        &mut game,
        vec![(
            fed,
            Order::Choose {
                event: "nothing".into(),
                option: "x".into(),
            },
        )],
    );
    assert!(t1.events.iter().any(|e| matches!(
        e,
        GameEvent::OrderRefused {
            reason: OrderRefusal::NoSuchChoice(_),
            ..
        }
    )));
}

#[test]
fn a_loop_of_repeating_events_is_cut_and_named() {
    // Peace sets off war and war sets off peace: a loop that must be cut.
    let (mut sb, [fed, kdf, _]) = world();
    let mut to_war = event(
        "to_war",
        Trigger::RelationBecomes {
            a: fed,
            b: kdf,
            stance: Stance::Peace,
        },
        vec![Effect::DeclareWar(fed, kdf)],
    );
    to_war.once = false;
    let mut to_peace = event(
        "to_peace",
        Trigger::RelationBecomes {
            a: fed,
            b: kdf,
            stance: Stance::War,
        },
        vec![Effect::MakePeace(fed, kdf)],
    );
    to_peace.once = false;
    sb.script(
        vec![
            to_war,
            to_peace,
            event("start", Trigger::Turn(1), vec![Effect::MakePeace(fed, kdf)]),
        ],
        vec![],
    );
    let mut game = sb.game();
    let t1 = play(&mut game, vec![]);
    let chain = t1.events.iter().find_map(|e| match e {
        GameEvent::EventChainCut { chain } => Some(chain.clone()),
        _ => None,
    });
    let chain = chain.expect("the loop is cut");
    assert_eq!(chain.len(), 2, "{chain:?}");
    assert!(chain.contains(&"to_war".to_string()) && chain.contains(&"to_peace".to_string()));
    assert!(fired(&t1).len() <= khitomer::core::script::CHAIN_CAP);
    // The next turn goes on.
    assert!(game.play_turn().is_ok());
}

#[test]
fn diplomatic_effects_change_relations_and_alliances() {
    let (mut sb, [fed, kdf, rr]) = world();
    let east = sb.block("east");
    let chair = sb.character(None);
    let admiral = sb.character(Some(fed));
    sb.script(
        vec![
            event(
                "t1",
                Trigger::Turn(1),
                vec![
                    Effect::CeaseFire(fed, kdf, vec![east]),
                    Effect::DeclareWar(rr, kdf),
                    Effect::ChangeOpinion {
                        holder: rr,
                        of: fed,
                        value: 25,
                    },
                ],
            ),
            event(
                "t2",
                Trigger::Turn(2),
                vec![
                    Effect::EndCeaseFire(fed, kdf, vec![east]),
                    Effect::MakePeace(rr, kdf),
                    Effect::SignTreaty {
                        name: "Accord".into(),
                        signatories: vec![fed, kdf],
                        clauses: vec![
                            ScriptClause::EndWar,
                            ScriptClause::FormAlliance(
                                "aqa".into(),
                                "Alpha Quadrant Alliance".into(),
                            ),
                        ],
                    },
                ],
            ),
            event(
                "t3",
                Trigger::Turn(3),
                vec![
                    Effect::RenameAlliance {
                        alliance: "aqa".into(),
                        name: "Khitomer Alliance".into(),
                    },
                    Effect::Admit {
                        alliance: "aqa".into(),
                        faction: rr,
                    },
                    Effect::SetChair {
                        alliance: "aqa".into(),
                        chair: Some(chair),
                    },
                    Effect::SetHq {
                        alliance: "aqa".into(),
                        hq: Some(s(2)),
                    },
                    Effect::FormJointCommand {
                        alliance: "aqa".into(),
                        key: "tfo".into(),
                        name: "Task Force Omega".into(),
                        members: vec![fed, kdf],
                        commander: Some(admiral),
                    },
                ],
            ),
            event(
                "t4",
                Trigger::Turn(4),
                vec![
                    Effect::Expel {
                        alliance: "aqa".into(),
                        faction: kdf,
                    },
                    Effect::FormAlliance {
                        key: "front".into(),
                        name: "Front".into(),
                        members: vec![kdf],
                    },
                    Effect::RenameAlliance {
                        alliance: "nope".into(),
                        name: "x".into(),
                    },
                ],
            ),
        ],
        vec![],
    );
    let mut game = sb.game();
    let t1 = play(&mut game, vec![]);
    {
        let d = game.world().resource::<Diplomacy>();
        assert!(d.ceasefire_in(fed, kdf, east));
        assert!(d.at_war(rr, kdf));
        assert!(
            d.opinion_modifiers(rr, fed)
                .iter()
                .any(|m| m.cause == OpinionCause::Scripted && m.value == 25)
        );
    }
    assert!(t1.events.contains(&GameEvent::OpinionChanged {
        holder: rr,
        of: fed,
        delta: 25
    }));
    let t2 = play(&mut game, vec![]);
    {
        let d = game.world().resource::<Diplomacy>();
        assert!(!d.at_war(rr, kdf));
        assert_eq!(d.stance(fed, kdf), Stance::Alliance);
        assert_eq!(d.alliances[0].name, "Alpha Quadrant Alliance");
    }
    assert!(
        t2.events
            .iter()
            .any(|e| matches!(e, GameEvent::TreatyBroken { by, .. } if *by == fed))
    );
    let t3 = play(&mut game, vec![]);
    {
        let d = game.world().resource::<Diplomacy>();
        let a = &d.alliances[0];
        assert_eq!(a.name, "Khitomer Alliance");
        assert_eq!(a.members, vec![fed, kdf, rr]);
        assert_eq!((a.chair, a.hq), (Some(chair), Some(s(2))));
        assert_eq!(a.commands[0].name, "Task Force Omega");
        assert_eq!(a.commands[0].commander, Some(admiral));
    }
    assert!(
        t3.events.iter().any(
            |e| matches!(e, GameEvent::AllianceRenamed { to, .. } if to == "Khitomer Alliance")
        )
    );
    let t4 = play(&mut game, vec![]);
    let d = game.world().resource::<Diplomacy>();
    assert_eq!(d.alliances[0].members, vec![fed, rr]);
    assert_eq!(d.stance(fed, kdf), Stance::Peace);
    assert_eq!(d.alliances[1].members, vec![kdf]);
    assert!(t4.events.contains(&GameEvent::EffectSkipped {
        event: "t4".into(),
        reason: ScriptFault::NoSuchAlliance("nope".into())
    }));
}

#[test]
fn world_effects_change_sectors_fleets_links_and_characters() {
    let (mut sb, [fed, kdf, rr]) = world();
    sb.shipyard(2).industry(2, 5);
    let gate = sb.link(0, 3, false);
    let hero = sb.character(Some(kdf));
    let traitor = sb.character(None);
    sb.script(
        vec![
            event(
                "t1",
                Trigger::Turn(1),
                vec![
                    Effect::SetLink(gate, true),
                    Effect::SpawnFleet(FleetSpawn {
                        key: "lukara".into(),
                        name: "IKS Lukara".into(),
                        owner: kdf,
                        sector: s(1),
                        strength: 15,
                        speed: 3,
                        commander: Some(hero),
                    }),
                    Effect::TransferSector(s(3), Some(fed)),
                    Effect::DestroyFacilities(s(2)),
                    Effect::KillCharacter(hero),
                    Effect::KillCharacter(hero),
                    Effect::DeclareTraitor(traitor, Some(rr)),
                    Effect::SetFlag("discord".into()),
                ],
            ),
            event(
                "t2",
                Trigger::Turn(2),
                vec![
                    Effect::MoveFleet("lukara".into(), s(3)),
                    Effect::SetLink(gate, false),
                ],
            ),
            event(
                "t3",
                Trigger::Turn(3),
                vec![
                    Effect::DestroyFleet("lukara".into()),
                    Effect::DestroyFleet("lukara".into()),
                ],
            ),
        ],
        vec![],
    );
    let mut game = sb.game();
    let t1 = play(&mut game, vec![]);
    let w = game.world();
    assert!(w.resource::<Galaxy>().link(gate).open);
    assert!(t1.events.contains(&GameEvent::LinkChanged {
        link: gate,
        open: true
    }));
    assert!(t1.events.iter().any(
        |e| matches!(e, GameEvent::FleetSpawned { owner, strength: 15, .. } if *owner == kdf)
    ));
    let sector = |i: usize| w.resource::<SectorIndex>().entity(s(i));
    assert_eq!(w.get::<Owner>(sector(3)).unwrap().0, Some(fed));
    assert!(w.get::<Shipyard>(sector(2)).is_none());
    assert_eq!(w.get::<Industry>(sector(2)).unwrap().0, 0);
    let fate = |c: CharacterId| {
        w.get::<Fate>(w.resource::<CharacterIndex>().entity(c))
            .unwrap()
            .clone()
    };
    assert_eq!(fate(hero).died, Some(1));
    assert_eq!(
        (fate(traitor).traitor_since, fate(traitor).traitor_to),
        (Some(1), Some(rr))
    );
    assert!(t1.events.contains(&GameEvent::EffectSkipped {
        event: "t1".into(),
        reason: ScriptFault::AlreadyDead(hero)
    }));
    assert!(w.resource::<Script>().flags.contains("discord"));
    assert!(t1.events.contains(&GameEvent::SectorTransferred {
        sector: s(3),
        to: Some(fed),
        from: Some(rr)
    }));

    play(&mut game, vec![]);
    let w = game.world();
    let lukara = w
        .resource::<FleetIndex>()
        .iter()
        .map(|(_, e)| e)
        .find(|&e| w.get::<FleetName>(e).unwrap().key == "lukara")
        .expect("spawned");
    assert_eq!(w.get::<Location>(lukara).unwrap().0, s(3));
    assert!(!w.resource::<Galaxy>().link(gate).open);
    let t3 = play(&mut game, vec![]);
    assert!(
        t3.events
            .iter()
            .any(|e| matches!(e, GameEvent::FleetDestroyed { owner, .. } if *owner == kdf))
    );
    assert!(t3.events.contains(&GameEvent::EffectSkipped {
        event: "t3".into(),
        reason: ScriptFault::NoSuchFleet("lukara".into())
    }));
}

#[test]
fn a_revealed_pact_costs_its_parties_opinion_and_a_scripted_end_decides() {
    let (mut sb, [fed, kdf, rr]) = world();
    let chair = sb.character(None);
    sb.script(
        vec![
            event(
                "discord",
                Trigger::Turn(2),
                vec![
                    Effect::RevealPact(0),
                    Effect::EndScenario {
                        winners: vec![rr],
                        text: "The Alliance survives, barely.".into(),
                    },
                ],
            ),
            event("too_late", Trigger::Turn(3), vec![]),
        ],
        vec![SecretPact {
            key: "pact".into(),
            name: "Ksenneta's pact".into(),
            factions: vec![kdf],
            characters: vec![chair],
            terms: "shelter on Khitomer".into(),
            revealed: None,
        }],
    );
    let mut game = sb.game();
    play(&mut game, vec![]);
    let before = game.world().resource::<Diplomacy>().opinion(fed, kdf);
    let t2 = play(&mut game, vec![]);
    assert!(t2.events.iter().any(
        |e| matches!(e, GameEvent::PactRevealed { characters, .. } if *characters == vec![chair])
    ));
    assert!(game.world().resource::<Diplomacy>().opinion(fed, kdf) < before);
    assert_eq!(game.world().resource::<Script>().pacts[0].revealed, Some(2));
    let outcome = game
        .world()
        .resource::<ScenarioInfo>()
        .outcome
        .clone()
        .expect("ended");
    assert_eq!(
        (outcome.winners, outcome.decision, outcome.turn),
        (vec![rr], Decision::Scripted, 2)
    );
    assert!(game.play_turn().is_err(), "no turn after the end");
}

#[test]
fn scripted_objectives_win_at_once() {
    let (mut sb, [fed, ..]) = world();
    sb.script(
        vec![event(
            "win",
            Trigger::Turn(2),
            vec![Effect::SetFlag("won".into())],
        )],
        vec![],
    );
    let mut state = sb.state();
    state.scenario.goals = vec![khitomer::core::scenario::Goals {
        faction: fed,
        objectives: vec![khitomer::core::scenario::Objective::Flag("won".into())],
    }];
    let mut game = Game::new(state);
    play(&mut game, vec![]);
    assert!(game.outcome().is_none());
    play(&mut game, vec![]);
    let outcome = game.outcome().expect("won");
    assert_eq!(
        (outcome.winners.clone(), outcome.decision, outcome.turn),
        (vec![fed], Decision::ObjectivesMet, 2)
    );
    let _ = (BlockId(0), LinkId(0));
}

#[test]
fn fleet_below_waits_for_its_fleet_and_fires_when_it_is_weak_or_destroyed() {
    let (mut sb, [fed, _, _]) = world();
    let spawn = |key: &str| {
        Effect::SpawnFleet(FleetSpawn {
            key: key.into(),
            name: key.into(),
            owner: fed,
            sector: s(0),
            strength: 10,
            speed: 2,
            commander: None,
        })
    };
    let below = |fleet: &str, value: u32| Trigger::FleetBelow {
        fleet: fleet.into(),
        value,
    };
    sb.script(
        vec![
            // Spawned on turn 1 and watched from the start: not yet in being is not "below".
            event("spawn", Trigger::Turn(1), vec![spawn("scout")]),
            event("scout_weak", below("scout", 5), vec![]),
            event("scout_strong_enough", below("scout", 11), vec![]),
            event(
                "kill",
                Trigger::Turn(3),
                vec![Effect::DestroyFleet("scout".into())],
            ),
            event("scout_gone", below("scout", 1), vec![]),
            // One that starts in the world and is below from the first turn.
            event("f0_below", below("f0", 31), vec![]),
        ],
        vec![],
    );
    let mut game = sb.game();
    assert_eq!(fired(&play(&mut game, vec![])), vec!["spawn", "f0_below"]);
    assert_eq!(fired(&play(&mut game, vec![])), vec!["scout_strong_enough"]);
    // Destroyed by an effect in round one: every watch on it fires in the round after, in file
    // order; destroyed is below any strength.
    assert_eq!(
        fired(&play(&mut game, vec![])),
        vec!["kill", "scout_weak", "scout_gone"]
    );
}

#[test]
fn protect_is_met_while_no_enemy_holds_the_sector() {
    let outcome = |ceasefire: bool| {
        let (mut sb, [fed, kdf, rr]) = world();
        if ceasefire {
            sb.ceasefire(fed, kdf, &["west"]);
        }
        let protect = |sector: usize| khitomer::core::scenario::Objective::Protect {
            sectors: vec![s(sector)],
        };
        let mut state = sb.state();
        state.calendar.last_turn = 1;
        // Sector 1 is no one's: it does not count as kept, so the Borg never win.
        let borg = FactionId::from_index(3);
        state.scenario.goals = [(fed, 0), (kdf, 0), (rr, 0), (borg, 1)]
            .into_iter()
            .map(|(faction, sector)| khitomer::core::scenario::Goals {
                faction,
                objectives: vec![protect(sector)],
            })
            .collect();
        let mut game = Game::new(state);
        play(&mut game, vec![]);
        game.outcome().expect("one turn long").winners.clone()
    };
    let (_, [fed, kdf, rr]) = world();
    // The Federation's own sector: kept for itself and for the Republic at peace with it, not
    // for the Klingons at war with it there ...
    assert_eq!(outcome(false), vec![fed, rr]);
    // ... unless a cease-fire holds in its block.
    assert_eq!(outcome(true), vec![fed, kdf, rr]);
}
