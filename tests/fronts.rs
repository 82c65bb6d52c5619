//! Threat per sector block: the game's AI opens no front in a block where the enemy has massed
//! more than all its fleets around could bring, while there is ground to take elsewhere.

use khitomer::core::ids::{FactionId, FleetId, SectorId};
use khitomer::core::seat::{Policy, Seats};
use khitomer::core::state::WorldState;
use khitomer::core::testing::Sandbox;
use khitomer::driver::Driver;
use khitomer::session::Session;

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

/// One turn with the game's AI in the first power's seat and a person who gives no orders in
/// the enemy's.
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

fn sector_of(state: &WorldState, fleet: FleetId) -> SectorId {
    state
        .fleets
        .iter()
        .find(|f| f.id == fleet)
        .map(|f| f.sector)
        .expect("the fleet lives")
}

#[test]
fn a_fleet_opens_no_front_where_the_enemy_has_massed_beyond_its_strength() {
    let (state, fleet, foe) = two_fronts(30);
    let after = one_turn(state, foe);
    assert!(
        sector_of(&after, fleet).index() > 3,
        "it went east, away from the enemy's mass: {:?}",
        sector_of(&after, fleet)
    );
}

#[test]
fn against_a_weak_enemy_it_takes_the_nearest_ground() {
    let (state, fleet, foe) = two_fronts(5);
    let after = one_turn(state, foe);
    assert_eq!(sector_of(&after, fleet), SectorId(2), "it went west, to s2");
}
