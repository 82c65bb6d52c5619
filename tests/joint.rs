//! A joint command's fleets are planned as one: two fleets of different powers, each weaker
//! than the enemy before them but together stronger, strike it in the same turn under one
//! command, and hold back when they serve no command together.

use khitomer::core::ids::{FactionId, FleetId, SectorId};
use khitomer::core::seat::{Policy, Seats};
use khitomer::core::state::WorldState;
use khitomer::core::testing::Sandbox;
use khitomer::driver::Driver;
use khitomer::session::Session;

/// A row of eight sectors: the first power's shipyard at s0, the enemy's space from s5 (its
/// fleet in supply, so only a battle lowers its strength), its shipyard at s7. A fleet of 12
/// of each of two powers at s2 and s3, an enemy fleet of 18 at s4; with `joint`, the two
/// fleets serve in one joint command of the two powers.
fn front(joint: bool) -> (WorldState, [FleetId; 2], FleetId, FactionId) {
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
    if joint {
        let command = s.joint_command(&[fed, kdf]);
        s.assign(a, command, 0).assign(b, command, 0);
    }
    (s.state(), [a, b], enemy, foe)
}

/// One turn with the game's AI in every seat but the enemy's, a person's who gives no orders.
fn one_turn(state: WorldState, foe: FactionId) -> WorldState {
    let key = state.factions[foe.index()].key.clone();
    let mut driver = Driver::new(
        Session::single(state),
        Seats::ai(Policy::Strategic).with_person(&key),
    );
    driver.end_turn(foe);
    driver.resolve().expect("the turn is played");
    driver.game().state()
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

#[test]
fn a_joint_command_strikes_together_what_neither_of_its_fleets_would_alone() {
    let (state, ours, enemy, foe) = front(true);
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
fn without_a_command_in_common_each_fleet_holds_back_from_a_stronger_enemy() {
    let (state, ours, enemy, foe) = front(false);
    let there = sector_of(&state, enemy).expect("the enemy fleet");
    let after = one_turn(state, foe);
    for fleet in ours {
        assert_ne!(sector_of(&after, fleet), Some(there), "fleet {fleet:?}");
    }
    assert_eq!(strength_of(&after, enemy), 18, "no one fought the enemy");
}
