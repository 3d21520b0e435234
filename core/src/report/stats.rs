//! Proportions and their 95 % intervals, by hand (a few lines each, checked against the
//! published tables):
//!
//! - a single proportion: Wilson's score interval (Wilson 1927; method 3 of Newcombe 1998,
//!   "Two-sided confidence intervals for the single proportion", Stat Med 17:857–872). It
//!   behaves at 0 and at small n, where the textbook p ± 1.96·SE gives nonsense;
//! - the difference of two independent proportions: Newcombe's hybrid score interval
//!   (method 10 of Newcombe 1998, "Interval estimation for the difference between
//!   independent proportions", Stat Med 17:873–890), built from the two Wilson intervals.

/// The standard normal quantile for a two-sided 95 % interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// A count of events among `n`: no-shows among appointments with an outcome, agreeing among
/// answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Proportion {
    pub events: u32,
    pub n: u32,
}

/// A two-sided interval on the scale of the estimate (a share 0..=1, or a difference -1..=1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

impl Proportion {
    pub fn new(events: u32, n: u32) -> Self {
        Proportion { events: events.min(n), n }
    }

    pub(crate) fn add(&mut self, event: bool) {
        self.n += 1;
        if event {
            self.events += 1;
        }
    }

    /// events / n; `None` when n is 0.
    pub fn rate(&self) -> Option<f64> {
        (self.n > 0).then(|| f64::from(self.events) / f64::from(self.n))
    }

    /// The 95 % Wilson score interval; `None` when n is 0.
    pub fn wilson(&self) -> Option<Interval> {
        wilson(self.events, self.n, Z95)
    }
}

/// Wilson's score interval for `x` events among `n` at normal quantile `z`.
pub fn wilson(x: u32, n: u32, z: f64) -> Option<Interval> {
    if n == 0 || x > n {
        return None;
    }
    let n = f64::from(n);
    let p = f64::from(x) / n;
    let z2 = z * z;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
    // At x = 0 and x = n the bounds are exactly 0 and 1; rounding must not leave them beside it.
    let low = if x == 0 { 0.0 } else { (centre - half).max(0.0) };
    let high = if x as f64 == n { 1.0 } else { (centre + half).min(1.0) };
    Some(Interval { low, high })
}

/// The difference p1 − p2 of two independent proportions with Newcombe's hybrid score
/// interval (method 10): the estimate and its 95 % interval; `None` when either n is 0.
pub fn difference(a: Proportion, b: Proportion) -> Option<(f64, Interval)> {
    newcombe(a.events, a.n, b.events, b.n, Z95)
}

/// Newcombe's method 10 at normal quantile `z`.
pub fn newcombe(x1: u32, n1: u32, x2: u32, n2: u32, z: f64) -> Option<(f64, Interval)> {
    let (w1, w2) = (wilson(x1, n1, z)?, wilson(x2, n2, z)?);
    let p1 = f64::from(x1) / f64::from(n1);
    let p2 = f64::from(x2) / f64::from(n2);
    let d = p1 - p2;
    let low = d - ((p1 - w1.low).powi(2) + (w2.high - p2).powi(2)).sqrt();
    let high = d + ((w1.high - p1).powi(2) + (p2 - w2.low).powi(2)).sqrt();
    Some((d, Interval { low: low.max(-1.0), high: high.min(1.0) }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round4(v: f64) -> f64 {
        (v * 10_000.0).round() / 10_000.0
    }

    /// Newcombe (1998), single proportion, Table I, method 3 (the score interval), as printed
    /// to four decimals.
    #[test]
    fn wilson_matches_newcombe_1998_table_i() {
        for (x, n, low, high) in
            [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0000, 0.1611), (1, 29, 0.0061, 0.1718)]
        {
            let i = wilson(x, n, Z95).unwrap();
            assert_eq!((round4(i.low), round4(i.high)), (low, high), "{x}/{n}");
        }
    }

    /// Newcombe (1998), difference of independent proportions, Table II, method 10, as
    /// printed to four decimals.
    #[test]
    fn hybrid_score_matches_newcombe_1998_table_ii() {
        for (x1, n1, x2, n2, low, high) in [
            (56, 70, 48, 80, 0.0524, 0.3339),
            (9, 10, 3, 10, 0.1705, 0.8090),
            (6, 7, 2, 7, 0.0582, 0.8062),
            (5, 56, 0, 29, -0.0381, 0.1926),
            (0, 10, 0, 20, -0.1611, 0.2775),
            (0, 10, 0, 10, -0.2775, 0.2775),
            (10, 10, 0, 20, 0.6791, 1.0000),
            (10, 10, 0, 10, 0.6075, 1.0000),
        ] {
            let (d, i) = newcombe(x1, n1, x2, n2, Z95).unwrap();
            assert_eq!(d, x1 as f64 / n1 as f64 - x2 as f64 / n2 as f64);
            assert_eq!((round4(i.low), round4(i.high)), (low, high), "{x1}/{n1} - {x2}/{n2}");
        }
    }

    #[test]
    fn the_interval_holds_the_estimate_and_stays_in_range() {
        for n in 1..60u32 {
            for x in 0..=n {
                let p = Proportion::new(x, n);
                let i = p.wilson().unwrap();
                let r = p.rate().unwrap();
                assert!(0.0 <= i.low && i.low <= r && r <= i.high && i.high <= 1.0, "{x}/{n}: {i:?}");
                // Symmetry: x of n and n-x of n mirror each other.
                let m = Proportion::new(n - x, n).wilson().unwrap();
                assert!((i.low - (1.0 - m.high)).abs() < 1e-12 && (i.high - (1.0 - m.low)).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn nothing_to_count_gives_no_interval() {
        assert_eq!(Proportion::default().rate(), None);
        assert_eq!(Proportion::default().wilson(), None);
        assert_eq!(wilson(3, 2, Z95), None);
        assert_eq!(difference(Proportion::new(1, 10), Proportion::default()), None);
    }

    #[test]
    fn narrower_with_more_data() {
        let small = Proportion::new(13, 100).wilson().unwrap();
        let large = Proportion::new(130, 1000).wilson().unwrap();
        assert!(large.high - large.low < small.high - small.low);
    }
}
