//! Time as the core stores and shows it. Instants are stored as milliseconds since the
//! epoch (UTC); calendar dates as `YYYY-MM-DD`; wall-clock times at a venue go through
//! [`local`], which holds the one rule for the daylight-saving hours.
//!
//! This module reads no clock: "now" always comes from the injected [`crate::clock::Clock`].

pub mod local;

use crate::error::{CoreError, CoreResult};
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};

/// The earliest and latest calendar years the core accepts from people. Anything outside
/// is refused before it reaches chrono's arithmetic (which panics or overflows near its
/// own limits), and no appointment, absence or report needs more.
pub const MIN_YEAR: i32 = 1900;
pub const MAX_YEAR: i32 = 2200;

/// An instant as stored: milliseconds since the epoch, UTC.
pub fn millis(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// An instant read back from the database; a value chrono cannot represent is damage.
pub fn from_millis(ms: i64) -> CoreResult<DateTime<Utc>> {
    Utc.timestamp_millis_opt(ms).single().ok_or(CoreError::Corrupt)
}

/// The instant `days` days before `now`, in ms since the epoch, for "older than" queries:
/// saturating, so no setting or stored value can make it panic.
pub fn days_before(now: DateTime<Utc>, days: u32) -> i64 {
    millis(now).saturating_sub(i64::from(days).saturating_mul(86_400_000))
}

/// A calendar date as stored (`YYYY-MM-DD`).
pub fn date_to_sql(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A calendar date read back from the database.
pub fn date_from_sql(s: &str) -> CoreResult<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| CoreError::Corrupt)
}

/// Refuses a date a person gave that lies outside [`MIN_YEAR`]..=[`MAX_YEAR`].
pub fn check_date(field: &'static str, d: NaiveDate) -> CoreResult<NaiveDate> {
    if (MIN_YEAR..=MAX_YEAR).contains(&d.year()) {
        Ok(d)
    } else {
        Err(CoreError::invalid(field, "outside the years 1900 to 2200"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millis_round_trip_and_damage() {
        let t = Utc.with_ymd_and_hms(2026, 3, 31, 8, 0, 0).unwrap();
        assert_eq!(from_millis(millis(t)).unwrap(), t);
        assert_eq!(from_millis(i64::MAX), Err(CoreError::Corrupt));
    }

    #[test]
    fn extreme_dates_are_refused() {
        let ok = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        assert_eq!(check_date("date", ok), Ok(ok));
        for y in [1899, 2201, 99_999, -5] {
            let d = NaiveDate::from_ymd_opt(y, 1, 1).unwrap();
            assert!(matches!(check_date("date", d), Err(CoreError::InvalidInput { field: "date", .. })), "{y}");
        }
    }
}
