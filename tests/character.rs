//! A faction's character changes how the game's AI plays it: the same fleets in the same place
//! are thrown at an equal enemy by an aggressive power, held back by a cautious one, pulled out
//! of a fight they would lose; a cease-fire that shields a prize is broken by an aggressive
//! power, which pays its cost, and kept by an honour-bound one. The roster's powers have the
//! characters the lore gives them, so the Klingon Empire does not play like the Deferi.

use std::path::Path;

use khitomer::content::{ContentPaths, Library};
use khitomer::core::diplomacy::{Motive, Stance};
use khitomer::core::events::GameEvent;
use khitomer::core::faction::{Archetype, Personality};
use khitomer::core::ids::{FactionId, FleetId, SectorId};
use khitomer::core::orders::Order;
use khitomer::core::seat::{Policy, Seats};
use khitomer::core::state::WorldState;
use khitomer::core::testing::Sandbox;
use khitomer::driver::Driver;
use khitomer::session::Session;

fn with_character(mut state: WorldState, faction: FactionId, p: Personality) -> WorldState {
    state.factions[faction.index()].personality = p;
    state
}

fn character(archetype: Archetype) -> Personality {
    Personality {
        archetype,
        ..Personality::default()
    }
}

/// One turn of `state` with the game's AI in `faction`'s seat and every other seat a person's
/// who gives no orders: what it ordered, what happened, and the world after.
fn one_turn(state: WorldState, faction: FactionId) -> (Vec<Order>, Vec<GameEvent>, WorldState) {
    let others: Vec<(FactionId, String)> = state
        .factions
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != faction.index())
        .map(|(i, f)| (FactionId::from_index(i), f.key.clone()))
        .collect();
    let seats = others
        .iter()
        .fold(Seats::ai(Policy::Strategic), |seats, (_, key)| {
            seats.with_person(key)
        });
    let mut driver = Driver::new(Session::single(state), seats);
    for (f, _) in &others {
        driver.end_turn(*f);
    }
    let played = driver.resolve().expect("the turn is played");
    let orders = played.orders.get(&faction).cloned().unwrap_or_default();
    (orders, played.report.events, driver.game().state())
}

/// The orders the game's AI gives `faction` in `state`.
fn orders_of(state: WorldState, faction: FactionId) -> Vec<Order> {
    one_turn(state, faction).0
}

fn attacks(orders: &[Order], target: FleetId) -> bool {
    orders
        .iter()
        .any(|o| matches!(o, Order::Attack { target: t, .. } if *t == target))
}

fn moved_to(orders: &[Order], fleet: FleetId) -> Option<SectorId> {
    orders.iter().find_map(|o| match o {
        Order::Move { fleet: f, route } if *f == fleet => route.last().copied(),
        _ => None,
    })
}

/// Two powers at war, a fleet of each a step apart, of these strengths; the first power's
/// shipyard three steps behind its fleet.
fn front(mine: u32, theirs: u32) -> (WorldState, FactionId, FleetId, FleetId) {
    let mut s = Sandbox::row(&["a", "a", "a", "a", "a", "a"]);
    let me = s.faction("me");
    let them = s.faction("them");
    s.war(me, them);
    s.own(0, me).shipyard(0).own(5, them).shipyard(5);
    let mine = s.fleet(me, 3, mine);
    let theirs = s.fleet(them, 4, theirs);
    (s.state(), me, mine, theirs)
}

/// Two fleets of equal strength.
fn even_fight() -> (WorldState, FactionId, FleetId, FleetId) {
    front(20, 20)
}

#[test]
fn an_aggressive_power_attacks_an_equal_enemy_and_a_cautious_one_does_not() {
    let (state, me, _, theirs) = even_fight();
    let aggressive = orders_of(
        with_character(state.clone(), me, character(Archetype::Aggressive)),
        me,
    );
    assert!(attacks(&aggressive, theirs), "{aggressive:?}");
    for timid in [
        Archetype::Cautious,
        Archetype::Opportunist,
        Archetype::Balanced,
    ] {
        let orders = orders_of(with_character(state.clone(), me, character(timid)), me);
        assert!(!attacks(&orders, theirs), "{timid:?}: {orders:?}");
    }
}

#[test]
fn a_cautious_power_pulls_out_of_a_fight_it_would_lose_and_an_aggressive_one_stands() {
    let (state, me, mine, _) = front(10, 30);
    let at = state.fleets[mine.index()].sector;
    let toward_home = |a: Archetype| {
        let orders = orders_of(with_character(state.clone(), me, character(a)), me);
        moved_to(&orders, mine).is_some_and(|to| to.index() < at.index())
    };
    assert!(toward_home(Archetype::Cautious));
    assert!(toward_home(Archetype::Opportunist));
    assert!(!toward_home(Archetype::Aggressive));
    assert!(!toward_home(Archetype::HonourBound));
}

/// A cease-fire in block `c` shields the enemy's shipyard at s4; the first power's fleet, three
/// times the enemy's there, waits at s3 in the same block; a third power looks on.
fn shielded_prize() -> (WorldState, FactionId, FactionId, FactionId) {
    let mut s = Sandbox::row(&["a", "a", "a", "c", "c", "c"]);
    let me = s.faction("me");
    let them = s.faction("them");
    let witness = s.faction("witness");
    s.war(me, them);
    s.own(0, me)
        .shipyard(0)
        .own(4, them)
        .shipyard(4)
        .own(5, them);
    s.fleet(me, 3, 30);
    s.fleet(them, 5, 10);
    s.fleet(witness, 1, 5);
    s.ceasefire(me, them, &["c"]);
    (s.state(), me, them, witness)
}

#[test]
fn an_aggressive_power_breaks_a_cease_fire_over_a_prize_and_pays_for_it() {
    let (state, me, them, witness) = shielded_prize();
    let c = state
        .blocks
        .iter()
        .position(|b| b.key == "c")
        .map(khitomer::core::ids::BlockId::from_index)
        .unwrap();
    let ends = |a: Archetype| {
        orders_of(with_character(state.clone(), me, character(a)), me)
            .iter()
            .any(|o| matches!(o, Order::EndCeaseFire { with, blocks, .. } if *with == them && blocks == &[c]))
    };
    assert!(ends(Archetype::Aggressive));
    assert!(
        ends(Archetype::Opportunist),
        "no alliance stands behind the victim"
    );
    assert!(!ends(Archetype::HonourBound));
    assert!(!ends(Archetype::Cautious));
    assert!(!ends(Archetype::Balanced));

    // Played out, the breach is on the record and every witness thinks less of the breaker.
    let aggressive = with_character(state.clone(), me, character(Archetype::Aggressive));
    let before = aggressive.diplomacy.opinion(witness, me);
    let (_, events, after) = one_turn(aggressive, me);
    // The declaration gives its reasons: the shipyard behind the cease-fire, and the odds.
    let s4 = SectorId::from_index(4);
    let why = events
        .iter()
        .find_map(|e| match e {
            GameEvent::CeaseFireEnded { by, why, .. } if *by == me => Some(why.clone()),
            _ => None,
        })
        .expect("the cease-fire's end is reported");
    assert_eq!(
        why,
        [
            Motive::Prize { sector: s4 },
            Motive::Outmatched {
                ours: 30,
                theirs: 10
            }
        ]
    );
    assert!(
        after
            .diplomacy
            .treaties
            .iter()
            .any(|t| t.breach.is_some_and(|b| b.by == me)),
        "the cease-fire is broken on the record"
    );
    assert!(after.diplomacy.opinion(witness, me) < before);
    assert!(after.diplomacy.opinion(them, me) < before);
    assert!(
        !after
            .diplomacy
            .relation(me, them)
            .ceasefire_blocks
            .contains(&c)
    );
}

#[test]
fn a_power_of_honour_goes_to_its_ally_s_aid() {
    // The ally's shipyard at s0 has an enemy fleet beside it; the first power's fleet waits at
    // s3, by its own shipyard, and the enemy's sectors lie the other way, at s6.
    let mut s = Sandbox::row(&["a", "a", "a", "a", "a", "a", "a"]);
    let me = s.faction("me");
    let ally = s.faction("ally");
    let foe = s.faction("foe");
    s.alliance(&[me, ally]);
    s.war(me, foe).war(ally, foe);
    s.own(0, ally)
        .shipyard(0)
        .own(4, me)
        .shipyard(4)
        .own(6, foe);
    let mine = s.fleet(me, 3, 20);
    s.fleet(foe, 1, 25);
    let state = s.state();
    let to_the_ally = |a: Archetype| {
        let orders = orders_of(with_character(state.clone(), me, character(a)), me);
        moved_to(&orders, mine).is_some_and(|to| to.index() < 3)
    };
    assert!(to_the_ally(Archetype::HonourBound));
    assert!(to_the_ally(Archetype::Cautious));
    assert!(!to_the_ally(Archetype::Balanced));
    assert!(!to_the_ally(Archetype::Aggressive));
}

#[test]
fn the_klingon_empire_does_not_play_like_the_deferi() {
    let lib = Library::load(&ContentPaths::under(Path::new(env!("CARGO_MANIFEST_DIR"))));
    let personality = |id: &str| {
        lib.factions
            .iter()
            .find(|f| f.value.id == id)
            .map(|f| f.value.personality)
            .unwrap_or_else(|| panic!("`{id}` is in the roster"))
    };
    let (klingon, deferi) = (personality("klingon"), personality("deferi"));
    assert_eq!(klingon.archetype, Archetype::Aggressive);
    assert_eq!(deferi.archetype, Archetype::Cautious);
    let (state, me, _, theirs) = even_fight();
    let as_klingon = orders_of(with_character(state.clone(), me, klingon), me);
    let as_deferi = orders_of(with_character(state, me, deferi), me);
    assert!(attacks(&as_klingon, theirs), "{as_klingon:?}");
    assert!(!attacks(&as_deferi, theirs), "{as_deferi:?}");
}

#[test]
fn a_declaration_of_war_gives_its_reasons() {
    // An aggressive power at peace with a far weaker neighbour it thinks ill of.
    let mut s = Sandbox::row(&["a", "a", "a", "a", "a", "a"]);
    let me = s.faction("me");
    let them = s.faction("them");
    s.own(0, me)
        .own(1, me)
        .shipyard(0)
        .own(2, them)
        .own(3, them);
    s.fleet(me, 0, 40);
    s.fleet(me, 1, 40);
    s.fleet(them, 3, 10);
    s.opinion(me, them, -30);
    let mut state = s.state();
    state.diplomacy.set_stance(me, them, Stance::Peace, 0);
    let mut personality = character(Archetype::Aggressive);
    personality.aggression = 90;
    let state = with_character(state, me, personality);
    let (_, events, after) = one_turn(state, me);
    let why = events
        .iter()
        .find_map(|e| match e {
            GameEvent::WarDeclared { by, on, why } if *by == me && *on == them => Some(why.clone()),
            _ => None,
        })
        .expect("war is declared");
    assert_eq!(
        why,
        [
            Motive::Weaker {
                ours: 80,
                theirs: 10
            },
            Motive::Grievance { opinion: -30 }
        ]
    );
    assert!(after.diplomacy.at_war(me, them));
}
