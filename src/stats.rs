//! Win rates and their 95% Wilson score intervals, shared by `autoplay` and the tests that
//! hold the AI to its figures.

/// The number of successes out of a number of tries, as a rate with its 95% interval.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rate {
    /// Games won.
    pub wins: u32,
    /// Games played.
    pub games: u32,
}

/// A rate and its 95% Wilson score interval, each from 0 to 1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// The rate seen.
    pub rate: f64,
    /// The interval's lower end.
    pub low: f64,
    /// The interval's upper end.
    pub high: f64,
}

/// The normal quantile of a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;

impl Rate {
    /// The rate with its 95% Wilson score interval; none when no game was played.
    pub fn interval(self) -> Option<Interval> {
        if self.games == 0 {
            return None;
        }
        let n = f64::from(self.games);
        let p = f64::from(self.wins) / n;
        let z2 = Z95 * Z95;
        let denominator = 1.0 + z2 / n;
        let centre = (p + z2 / (2.0 * n)) / denominator;
        let half = Z95 / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
        Some(Interval {
            rate: p,
            low: (centre - half).clamp(0.0, p),
            high: (centre + half).clamp(p, 1.0),
        })
    }
}
