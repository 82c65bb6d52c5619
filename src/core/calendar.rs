//! Dates and the turn counter: a turn is one month.

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

/// A month of the calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Date {
    /// The year, e.g. 2409.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u8,
}

impl Date {
    /// A date; `month` must be 1 to 12.
    pub fn new(year: i32, month: u8) -> Self {
        debug_assert!((1..=12).contains(&month));
        Self { year, month }
    }

    /// The date `months` months later.
    pub fn plus_months(self, months: u32) -> Self {
        let zero_based = self.year as i64 * 12 + (self.month as i64 - 1) + months as i64;
        Self {
            year: zero_based.div_euclid(12) as i32,
            month: (zero_based.rem_euclid(12) + 1) as u8,
        }
    }

    /// How many months from `self` to `later` (negative if `later` is earlier).
    pub fn months_until(self, later: Date) -> i64 {
        (later.year as i64 * 12 + later.month as i64) - (self.year as i64 * 12 + self.month as i64)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// Where the game stands in time.
#[derive(Resource, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calendar {
    /// The date of turn 1.
    pub start: Date,
    /// The turn being played, from 1. It advances at the end of each turn.
    pub turn: u32,
    /// The scenario's last turn; the game ends after it.
    pub last_turn: u32,
}

impl Calendar {
    /// The date of the turn being played.
    pub fn date(&self) -> Date {
        self.date_of(self.turn)
    }

    /// The date of any turn.
    pub fn date_of(&self, turn: u32) -> Date {
        self.start.plus_months(turn.saturating_sub(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_roll_over_years() {
        assert_eq!(Date::new(2409, 11).plus_months(3), Date::new(2410, 2));
        assert_eq!(Date::new(2409, 1).plus_months(0), Date::new(2409, 1));
        assert_eq!(Date::new(2409, 12).months_until(Date::new(2411, 1)), 13);
        assert_eq!(Date::new(2410, 2).to_string(), "2410-02");
    }
}
