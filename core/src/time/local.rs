//! Local wall-clock time at a venue ↔ instants, with one documented rule for the two
//! awkward hours of the year (Europe/Copenhagen: last Sunday of March and of October).
//!
//! - **Spring-forward gap** (02:00–03:00 does not exist): a time in the gap is moved later
//!   by the length of the gap, so 02:30 becomes 03:30 summer time. The booking says so
//!   with the warning `dst_gap`.
//! - **Fall-back overlap** (02:00–03:00 happens twice): the earlier of the two, i.e.
//!   summer time (+02:00). The booking says so with the warning `dst_ambiguous`.
//!
//! This is the rule java.time's `ZonedDateTime.of` and RFC 5545 use, so a time shown by
//! the Android shell with java.time agrees with the core.

use chrono::{DateTime, Duration, LocalResult, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    Exact,
    /// The local time did not exist; it was moved later by the gap.
    ShiftedOutOfGap,
    /// The local time happened twice; the earlier instant was taken.
    EarlierOfTwo,
}

/// The instant a local time at `tz` means, by the rule above.
pub fn resolve(tz: Tz, local: NaiveDateTime) -> (DateTime<Utc>, Resolution) {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => (t.with_timezone(&Utc), Resolution::Exact),
        LocalResult::Ambiguous(earlier, _) => (earlier.with_timezone(&Utc), Resolution::EarlierOfTwo),
        LocalResult::None => {
            // Read the wall-clock time with the offset in force before the gap: that instant
            // shows, after the jump, as the same time moved later by the gap's length.
            let before = offset_secs(tz, local - Duration::hours(3));
            let instant = local - Duration::seconds(before);
            (DateTime::<Utc>::from_naive_utc_and_offset(instant, Utc), Resolution::ShiftedOutOfGap)
        }
    }
}

fn offset_secs(tz: Tz, local: NaiveDateTime) -> i64 {
    use chrono::Offset;
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.offset().fix().local_minus_utc() as i64,
        LocalResult::None => 0,
    }
}

/// The wall-clock time of `instant` at `tz`.
pub fn local(tz: Tz, instant: DateTime<Utc>) -> NaiveDateTime {
    instant.with_timezone(&tz).naive_local()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use chrono_tz::Europe::Copenhagen;

    fn l(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.from_utc_datetime(&l(y, m, d, h, min))
    }

    #[test]
    fn ordinary_times_winter_and_summer() {
        assert_eq!(resolve(Copenhagen, l(2026, 1, 13, 10, 0)), (utc(2026, 1, 13, 9, 0), Resolution::Exact));
        assert_eq!(resolve(Copenhagen, l(2026, 6, 16, 10, 0)), (utc(2026, 6, 16, 8, 0), Resolution::Exact));
    }

    #[test]
    fn spring_forward_gap_moves_later_by_the_gap() {
        // 29 March 2026: 02:00 CET jumps to 03:00 CEST.
        let (t, r) = resolve(Copenhagen, l(2026, 3, 29, 2, 30));
        assert_eq!(r, Resolution::ShiftedOutOfGap);
        assert_eq!(t, utc(2026, 3, 29, 1, 30));
        assert_eq!(local(Copenhagen, t), l(2026, 3, 29, 3, 30));
        let (t, _) = resolve(Copenhagen, l(2026, 3, 29, 2, 0));
        assert_eq!(local(Copenhagen, t), l(2026, 3, 29, 3, 0));
    }

    #[test]
    fn fall_back_overlap_takes_the_earlier() {
        // 25 October 2026: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice.
        let (t, r) = resolve(Copenhagen, l(2026, 10, 25, 2, 30));
        assert_eq!(r, Resolution::EarlierOfTwo);
        assert_eq!(t, utc(2026, 10, 25, 0, 30));
        assert_eq!(local(Copenhagen, t), l(2026, 10, 25, 2, 30));
    }
}
