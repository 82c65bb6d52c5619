//! Win rates and their 95% Wilson score intervals, shared by `autoplay` and the tests that
//! hold the AI to its figures; the median the benchmarks report their times by.

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

/// The median of some durations (sorts them): the middle one, or the mean of the two middle
/// ones. The benchmarks and the turn's breakdown report their times with it.
pub fn median(times: &mut [std::time::Duration]) -> std::time::Duration {
    times.sort_unstable();
    let n = times.len();
    match n {
        0 => std::time::Duration::ZERO,
        _ if n % 2 == 1 => times[n / 2],
        _ => (times[n / 2 - 1] + times[n / 2]) / 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn the_median_is_the_middle_or_the_mean_of_the_two_middles() {
        let ms = Duration::from_millis;
        assert_eq!(median(&mut [ms(9), ms(1), ms(4)]), ms(4));
        assert_eq!(median(&mut [ms(9), ms(1), ms(4), ms(2)]), ms(3));
        assert_eq!(median(&mut []), Duration::ZERO);
    }
}
