//! How the game's AI shares out its fleets, each rule set against the same world without it:
//!
//! - a joint command's fleets are planned as one: two fleets of different powers, each weaker
//!   than the enemy before them but together stronger, strike it in the same turn under one
//!   command (the stronger of two such enemies), and hold back when they serve no command
//!   together;
//! - a crippled fleet falling back past hostile fleets is escorted: the nearest sound fleet
//!   with nothing more pressing goes to where the crippled one will stop, and stands with it;
//! - threat per sector block: it opens no front in a block where the enemy has massed more
//!   than all its fleets around could bring, while there is ground to take elsewhere;
//! - gateways: a fleet goes through an open gateway to ground the grid leaves out of its
//!   reach, and never plans a way through a closed one.

use hexx::Hex;
use khitomer::core::events::GameEvent;
use khitomer::core::galaxy::LinkKind;
use khitomer::core::ids::{FactionId, FleetId, SectorId};
use khitomer::core::seat::{Policy, Seats};
use khitomer::core::state::WorldState;
use khitomer::core::testing::Sandbox;
use khitomer::driver::Driver;
use khitomer::session::Session;

/// One turn with the game's AI in every seat but the enemy's, a person's who gives no orders.
fn one_turn(state: WorldState, foe: FactionId) -> WorldState {
    played_turn(state, foe).0
}

/// [`one_turn`], with what happened in it.
fn played_turn(state: WorldState, foe: FactionId) -> (WorldState, Vec<GameEvent>) {
    let key = state.factions[foe.index()].key.clone();
    let mut driver = Driver::new(
        Session::single(state),
        Seats::ai(Policy::Strategic).with_person(&key),
    );
    driver.end_turn(foe);
    let played = driver.resolve().expect("the turn is played");
    (driver.game().state(), played.report.events)
}

fn sector_of(state: &WorldState, fleet: FleetId) -> Option<SectorId> {
    state
        .fleets
        .iter()
        .find(|f| f.id == fleet)
        .map(|f| f.sector)
}

fn strength_of(state: &WorldState, fleet: FleetId) -> u32 {
    state
        .fleets
        .iter()
        .find(|f| f.id == fleet)
        .map_or(0, |f| f.strength)
}

// Joint commands.

/// A row of eight sectors: the first power's shipyard at s0, the enemy's space from s5 (its
/// fleet in supply, so only a battle lowers its strength), its shipyard at s7. A fleet of 12
/// of each of two powers at s2 and s3, an enemy fleet of 18 at s4; with `joint`, the two
/// fleets serve in one joint command of the two powers; with `lesser`, a second enemy fleet,
/// of 14, waits at s1, also in both fleets' reach and also too strong for either alone.
fn front(joint: bool, lesser: bool) -> (WorldState, [FleetId; 2], FleetId, FactionId) {
    let mut s = Sandbox::row(&["a", "a", "a", "a", "a", "a", "a", "a"]);
    let fed = s.faction("fed");
    let kdf = s.faction("kdf");
    let foe = s.faction("foe");
    s.war(fed, foe).war(kdf, foe);
    s.own(0, fed)
        .shipyard(0)
        .own(1, kdf)
        .own(5, foe)
        .own(6, foe)
        .own(7, foe)
        .shipyard(7);
    let a = s.fleet(fed, 2, 12);
    let b = s.fleet(kdf, 3, 12);
    let enemy = s.fleet(foe, 4, 18);
    if lesser {
        s.fleet(foe, 1, 14);
    }
    if joint {
        let command = s.joint_command(&[fed, kdf]);
        s.assign(a, command, 0).assign(b, command, 0);
    }
    (s.state(), [a, b], enemy, foe)
}

#[test]
fn a_joint_command_strikes_together_what_neither_of_its_fleets_would_alone() {
    let (state, ours, enemy, foe) = front(true, false);
    let there = sector_of(&state, enemy).expect("the enemy fleet");
    let after = one_turn(state, foe);
    for fleet in ours {
        assert_eq!(
            sector_of(&after, fleet),
            Some(there),
            "fleet {fleet:?} went into the fight"
        );
    }
    assert!(
        strength_of(&after, enemy) < 18,
        "the enemy fleet was fought: {}",
        strength_of(&after, enemy)
    );
}

#[test]
fn of_two_enemies_it_could_beat_together_a_joint_command_strikes_the_stronger() {
    let (state, ours, enemy, foe) = front(true, true);
    let there = sector_of(&state, enemy).expect("the stronger enemy fleet");
    let after = one_turn(state, foe);
    for fleet in ours {
        assert_eq!(sector_of(&after, fleet), Some(there), "fleet {fleet:?}");
    }
    assert!(
        strength_of(&after, enemy) < 18,
        "the stronger enemy was fought"
    );
}

#[test]
fn without_a_command_in_common_each_fleet_holds_back_from_a_stronger_enemy() {
    let (state, ours, enemy, foe) = front(false, false);
    let there = sector_of(&state, enemy).expect("the enemy fleet");
    let after = one_turn(state, foe);
    for fleet in ours {
        assert_ne!(sector_of(&after, fleet), Some(there), "fleet {fleet:?}");
    }
    assert_eq!(strength_of(&after, enemy), 18, "no one fought the enemy");
}

// Escorts.

/// Six sectors in a row, s0 to s5, and two below it: s6 under s2 and s3, s7 under s5. The
/// first power's shipyard is at s0, the enemy's sectors are s5 and s7. A crippled fleet of
/// the first power at s4 falls back toward s0 and stops at s2 this turn; its sound fleet of
/// 12 waits at s3. With `danger`, an enemy fleet of 14 waits at s6, a step from s2.
fn retreat(danger: bool) -> (WorldState, FleetId, FleetId, FactionId) {
    let mut s = Sandbox::row(&["a", "a", "a", "a", "a", "a", "a", "a"]);
    let me = s.faction("me");
    let foe = s.faction("foe");
    s.war(me, foe);
    s.own(0, me).shipyard(0).own(5, foe).own(7, foe).shipyard(7);
    let crippled = s.fleet(me, 4, 4);
    let escort = s.fleet(me, 3, 12);
    if danger {
        s.fleet(foe, 6, 14);
    }
    let mut state = s.state();
    state.sectors[6].place.hex = Hex::new(2, 1);
    state.sectors[7].place.hex = Hex::new(5, 1);
    (state, crippled, escort, foe)
}

#[test]
fn a_crippled_fleet_falling_back_past_the_enemy_is_escorted() {
    let (state, crippled, escort, foe) = retreat(true);
    let after = one_turn(state, foe);
    let stop = sector_of(&after, crippled).expect("the crippled fleet lives");
    assert_eq!(stop, SectorId(2), "it fell back two steps");
    assert_eq!(
        sector_of(&after, escort),
        Some(stop),
        "its escort stands with it"
    );
}

#[test]
fn with_no_enemy_near_its_way_the_crippled_fleet_goes_alone() {
    let (state, crippled, escort, foe) = retreat(false);
    let after = one_turn(state, foe);
    assert_eq!(sector_of(&after, crippled), Some(SectorId(2)));
    assert_ne!(
        sector_of(&after, escort),
        Some(SectorId(2)),
        "the sound fleet goes about its own business"
    );
}

// Fronts.

/// Seven sectors in a row in three blocks: `west` (s0-s2, the enemy's), `home` (s3, the first
/// power's shipyard, where its fleet of 10 waits) and `east` (s4 the first power's, s5 no
/// one's, s6 the enemy's). The nearest ground to take is s2, in the west, where an enemy fleet
/// of `massed` waits at s0; the nearest in the east is s5, two steps off.
fn two_fronts(massed: u32) -> (WorldState, FleetId, FactionId) {
    let mut s = Sandbox::row(&["west", "west", "west", "home", "east", "east", "east"]);
    let me = s.faction("me");
    let foe = s.faction("foe");
    s.war(me, foe);
    s.own(0, foe)
        .own(1, foe)
        .own(2, foe)
        .own(6, foe)
        .shipyard(6);
    s.own(3, me).shipyard(3).own(4, me);
    let fleet = s.fleet(me, 3, 10);
    s.fleet(foe, 0, massed);
    (s.state(), fleet, foe)
}

#[test]
fn a_fleet_opens_no_front_where_the_enemy_has_massed_beyond_its_strength() {
    let (state, fleet, foe) = two_fronts(30);
    let after = one_turn(state, foe);
    assert!(
        sector_of(&after, fleet).is_some_and(|s| s.index() > 3),
        "it went east, away from the enemy's mass: {:?}",
        sector_of(&after, fleet)
    );
}

#[test]
fn against_a_weak_enemy_it_takes_the_nearest_ground() {
    let (state, fleet, foe) = two_fronts(5);
    let after = one_turn(state, foe);
    assert_eq!(
        sector_of(&after, fleet),
        Some(SectorId(2)),
        "it went west, to s2"
    );
}

// Gateways.

/// Fourteen sectors in a row: the first power's from s0 (its shipyard, where its fleet of 12
/// waits) to s9, the enemy's from s10 to s13 (its shipyard at s13, a fleet of 3 there). A
/// link of `kind` (a gateway, the wormhole, a conduit), open or closed, joins s0 and s11.
/// Along the grid the enemy's ground is ten steps off, beyond what the fleet plans for;
/// through the link it is one.
fn gateway(open: bool, kind: LinkKind) -> (WorldState, FleetId, FactionId) {
    let mut s = Sandbox::row(&["a"; 14]);
    let me = s.faction("me");
    let foe = s.faction("foe");
    s.war(me, foe);
    for k in 0..10 {
        s.own(k, me);
    }
    for k in 10..14 {
        s.own(k, foe);
    }
    s.shipyard(0).shipyard(13);
    let fleet = s.fleet(me, 0, 12);
    s.fleet(foe, 13, 3);
    s.link(0, 11, open);
    let mut state = s.state();
    state.links[0].kind = kind;
    (state, fleet, foe)
}

fn refused(events: &[GameEvent]) -> Vec<&GameEvent> {
    events
        .iter()
        .filter(|e| matches!(e, GameEvent::OrderRefused { .. }))
        .collect()
}

#[test]
fn a_fleet_goes_through_an_open_gateway_to_the_enemy_beyond() {
    for kind in [LinkKind::Gateway, LinkKind::Wormhole, LinkKind::Conduit] {
        let (state, fleet, foe) = gateway(true, kind);
        let (after, events) = played_turn(state, foe);
        assert!(
            sector_of(&after, fleet).is_some_and(|s| s.index() >= 10),
            "{kind:?}: it crossed into the enemy's space: {:?}",
            sector_of(&after, fleet)
        );
        assert!(
            refused(&events).is_empty(),
            "{kind:?}: {:?}",
            refused(&events)
        );
    }
}

#[test]
fn a_fleet_plans_no_way_through_a_closed_gateway() {
    let (state, fleet, foe) = gateway(false, LinkKind::Gateway);
    let (after, events) = played_turn(state, foe);
    assert!(
        sector_of(&after, fleet).is_some_and(|s| s.index() < 10),
        "it stayed on its side: {:?}",
        sector_of(&after, fleet)
    );
    assert!(
        refused(&events).is_empty(),
        "no order the rules refuse: {:?}",
        refused(&events)
    );
}
