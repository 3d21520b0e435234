//! Calendar dates and wall-clock times cross the FFI as typed values: `java.time.LocalDate`,
//! `LocalTime` and `LocalDateTime` in Kotlin, `DateComponents` in Swift (see uniffi.toml).
//! On the wire they are ISO strings (`2026-03-31`, `10:00`, `2026-03-31T10:00`), produced and
//! parsed by the generated code on both sides, so no shell parses dates by hand. Instants
//! are `SystemTime` (Kotlin `Instant`, Swift `Date`).

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// A calendar date (no time, no zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalDate(pub NaiveDate);

/// A wall-clock time of day (minutes; seconds are accepted and kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalTime(pub NaiveTime);

/// A wall-clock date and time at a venue (no zone: the venue's zone says which instant).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalDateTime(pub NaiveDateTime);

fn date_str(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn time_str(t: NaiveTime) -> String {
    use chrono::Timelike;
    if t.second() == 0 {
        t.format("%H:%M").to_string()
    } else {
        t.format("%H:%M:%S").to_string()
    }
}

fn parse_time(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s, "%H:%M").or_else(|_| NaiveTime::parse_from_str(s, "%H:%M:%S%.f")).ok()
}

uniffi::custom_type!(LocalDate, String, {
    lower: |d| date_str(d.0),
    try_lift: |s| NaiveDate::parse_from_str(&s, "%Y-%m-%d")
        .map(LocalDate)
        .map_err(|_| uniffi::deps::anyhow::anyhow!("not a date (YYYY-MM-DD)")),
});

uniffi::custom_type!(LocalTime, String, {
    lower: |t| time_str(t.0),
    try_lift: |s| parse_time(&s).map(LocalTime).ok_or_else(|| uniffi::deps::anyhow::anyhow!("not a time (HH:MM)")),
});

uniffi::custom_type!(LocalDateTime, String, {
    lower: |t| format!("{}T{}", date_str(t.0.date()), time_str(t.0.time())),
    try_lift: |s| {
        let (d, t) = s.split_once('T').ok_or_else(|| uniffi::deps::anyhow::anyhow!("not a local date and time"))?;
        let d = NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| uniffi::deps::anyhow::anyhow!("not a date"))?;
        let t = parse_time(t).ok_or_else(|| uniffi::deps::anyhow::anyhow!("not a time"))?;
        Ok(LocalDateTime(d.and_time(t)))
    },
});

impl From<NaiveDate> for LocalDate {
    fn from(d: NaiveDate) -> Self {
        LocalDate(d)
    }
}
impl From<NaiveTime> for LocalTime {
    fn from(t: NaiveTime) -> Self {
        LocalTime(t)
    }
}
impl From<NaiveDateTime> for LocalDateTime {
    fn from(t: NaiveDateTime) -> Self {
        LocalDateTime(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_forms_round_trip() {
        let t = NaiveTime::from_hms_opt(10, 0, 0).unwrap();
        assert_eq!(time_str(t), "10:00");
        assert_eq!(parse_time("10:00"), Some(t));
        assert_eq!(parse_time("10:00:00"), Some(t));
        assert_eq!(parse_time("25:00"), None);
        let with_secs = NaiveTime::from_hms_opt(10, 0, 30).unwrap();
        assert_eq!(parse_time(&time_str(with_secs)), Some(with_secs));
    }
}
