//! The tunable numbers of the rules: data a scenario may change, not constants in the code.

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

/// Every number the turn's phases use. A scenario can override any of them.
#[derive(Resource, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rules {
    /// Combat rounds fought in a sector each turn.
    pub combat_rounds: u32,
    /// Lowest per-mille of its strength a fleet deals as damage in one round.
    pub damage_min_permille: u32,
    /// Highest per-mille of its strength a fleet deals as damage in one round.
    pub damage_max_permille: u32,
    /// Bonus firepower, in percent, for fleets fighting in a sector their side owns.
    pub home_defence_pct: u32,
    /// Bonus firepower, in percent, for a fleet with a living commander.
    pub commander_bonus_pct: u32,
    /// Turns a sector must be held, uncontested, before it changes hands.
    pub capture_turns: u32,
    /// Industry spent per point of strength built.
    pub ship_cost: u32,
    /// Most strength one shipyard can build in a turn.
    pub shipyard_capacity: u32,
    /// Speed of a newly built fleet.
    pub built_fleet_speed: u8,
    /// Strength points that cost one industry of upkeep per turn.
    pub upkeep_strength_per_industry: u32,
    /// How far (in steps over neighbours and open links) a fleet can be from a friendly
    /// sector and still be supplied.
    pub supply_range: u32,
    /// Strength lost per turn, in percent, by a fleet out of supply.
    pub out_of_supply_loss_pct: u32,
    /// Strength lost per turn, in percent, by every fleet of a faction that cannot pay upkeep.
    pub unpaid_loss_pct: u32,
    /// Turns a proposal waits for its answers before it lapses.
    pub proposal_lapse_turns: u32,
    /// Opinion points every modifier moves toward zero each turn (unless it is permanent).
    pub opinion_decay: i32,
    /// Opinion the victim of a broken cease-fire or treaty loses toward the breaker.
    pub breach_victim_opinion: i32,
    /// Opinion the other signatories of a broken treaty lose toward the breaker.
    pub breach_party_opinion: i32,
    /// Opinion every other faction loses toward a breaker of a treaty.
    pub breach_witness_opinion: i32,
    /// Opinion gained toward a faction fighting the same enemy.
    pub common_enemy_opinion: i32,
    /// Opinion a faction loses toward one that declares war on it.
    pub war_declared_opinion: i32,
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            combat_rounds: 3,
            damage_min_permille: 60,
            damage_max_permille: 140,
            home_defence_pct: 25,
            commander_bonus_pct: 10,
            capture_turns: 1,
            ship_cost: 2,
            shipyard_capacity: 20,
            built_fleet_speed: 2,
            upkeep_strength_per_industry: 10,
            supply_range: 2,
            out_of_supply_loss_pct: 10,
            unpaid_loss_pct: 5,
            proposal_lapse_turns: 3,
            opinion_decay: 2,
            breach_victim_opinion: -40,
            breach_party_opinion: -25,
            breach_witness_opinion: -10,
            common_enemy_opinion: 15,
            war_declared_opinion: -30,
        }
    }
}

impl Rules {
    /// Every rule with its value and its allowed range, inclusive: `(name, value, lowest,
    /// highest)`. A scenario's rules outside these are refused, so that no rule can make a
    /// turn loop without end, divide by zero or overflow.
    pub fn ranged(&self) -> [(&'static str, i64, i64, i64); 20] {
        let u = |v: u32| i64::from(v);
        let i = |v: i32| i64::from(v);
        [
            ("combat_rounds", u(self.combat_rounds), 1, 20),
            ("damage_min_permille", u(self.damage_min_permille), 0, 1000),
            ("damage_max_permille", u(self.damage_max_permille), 0, 1000),
            ("home_defence_pct", u(self.home_defence_pct), 0, 500),
            ("commander_bonus_pct", u(self.commander_bonus_pct), 0, 500),
            ("capture_turns", u(self.capture_turns), 1, 12),
            ("ship_cost", u(self.ship_cost), 1, 1000),
            ("shipyard_capacity", u(self.shipyard_capacity), 0, 10_000),
            (
                "built_fleet_speed",
                i64::from(self.built_fleet_speed),
                1,
                10,
            ),
            (
                "upkeep_strength_per_industry",
                u(self.upkeep_strength_per_industry),
                1,
                1000,
            ),
            ("supply_range", u(self.supply_range), 0, 50),
            (
                "out_of_supply_loss_pct",
                u(self.out_of_supply_loss_pct),
                0,
                100,
            ),
            ("unpaid_loss_pct", u(self.unpaid_loss_pct), 0, 100),
            ("proposal_lapse_turns", u(self.proposal_lapse_turns), 1, 24),
            ("opinion_decay", i(self.opinion_decay), 0, 100),
            (
                "breach_victim_opinion",
                i(self.breach_victim_opinion),
                -200,
                0,
            ),
            (
                "breach_party_opinion",
                i(self.breach_party_opinion),
                -200,
                0,
            ),
            (
                "breach_witness_opinion",
                i(self.breach_witness_opinion),
                -200,
                0,
            ),
            ("common_enemy_opinion", i(self.common_enemy_opinion), 0, 200),
            (
                "war_declared_opinion",
                i(self.war_declared_opinion),
                -200,
                0,
            ),
        ]
    }
}
