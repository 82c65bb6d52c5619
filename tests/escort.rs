//! A crippled fleet falling back past hostile fleets is escorted: the nearest sound fleet with
//! nothing more pressing to do goes to where the crippled one will stop, and stands with it.

use hexx::Hex;
use khitomer::core::ids::{FactionId, FleetId, SectorId};
use khitomer::core::seat::{Policy, Seats};
use khitomer::core::state::WorldState;
use khitomer::core::testing::Sandbox;
use khitomer::driver::Driver;
use khitomer::session::Session;

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

fn sector_of(state: &WorldState, fleet: FleetId) -> Option<SectorId> {
    state
        .fleets
        .iter()
        .find(|f| f.id == fleet)
        .map(|f| f.sector)
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
