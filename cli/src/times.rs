//! Dates and times as people type and read them. Input: `YYYY-MM-DD`, `HH:MM`,
//! `YYYY-MM-DDTHH:MM` (wall-clock time at the venue). Plain output: local time with the
//! zone's offset (`2026-04-07 10:00 +02:00`), never a bare UTC instant. JSON: ISO local
//! values beside RFC 3339 UTC instants.

use crate::app::CliError;
use crate::directory::HOME_ZONE;
use brobygger_ffi::{LocalDate, LocalDateTime, LocalTime};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Offset, SecondsFormat, TimeZone, Utc};
use chrono_tz::Tz;
use std::time::SystemTime;

pub fn parse_date(s: &str, flag: &str) -> Result<LocalDate, CliError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map(LocalDate)
        .map_err(|_| CliError::input(flag, format!("'{s}' is not a date (YYYY-MM-DD)")))
}

pub fn parse_time(s: &str, flag: &str) -> Result<LocalTime, CliError> {
    let s = s.trim();
    NaiveTime::parse_from_str(s, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(s, "%H.%M"))
        .map(LocalTime)
        .map_err(|_| CliError::input(flag, format!("'{s}' is not a time (HH:MM)")))
}

fn naive_date_time(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
}

pub fn parse_local(s: &str, flag: &str) -> Result<LocalDateTime, CliError> {
    naive_date_time(s)
        .map(LocalDateTime)
        .ok_or_else(|| CliError::input(flag, format!("'{s}' is not a local date and time (YYYY-MM-DDTHH:MM)")))
}

/// An instant typed as home-zone wall-clock time, or as RFC 3339.
pub fn parse_instant(s: &str, flag: &str) -> Result<SystemTime, CliError> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s.trim()) {
        return Ok(t.into());
    }
    let bad = || CliError::input(flag, format!("'{s}' is not a time (YYYY-MM-DDTHH:MM, local, or RFC 3339)"));
    let naive = naive_date_time(s).ok_or_else(bad)?;
    zone(HOME_ZONE).from_local_datetime(&naive).earliest().map(|t| t.with_timezone(&Utc).into()).ok_or_else(bad)
}

/// A zone by IANA name; the home zone if the name is not one this build knows.
pub fn zone(name: &str) -> Tz {
    name.parse().unwrap_or(chrono_tz::Europe::Copenhagen)
}

fn offset_of(tz: Tz, t: DateTime<Utc>) -> String {
    let secs = t.with_timezone(&tz).offset().fix().local_minus_utc();
    crate::words::offset_words(secs / 60)
}

/// An instant as wall-clock time in `zone`, with the offset.
pub fn at(t: SystemTime, zone_name: &str) -> String {
    let tz = zone(zone_name);
    let utc = DateTime::<Utc>::from(t);
    format!("{} {}", utc.with_timezone(&tz).format("%Y-%m-%d %H:%M"), offset_of(tz, utc))
}

/// An instant as ISO wall-clock time in `zone` and that zone's offset then, for JSON.
pub fn iso_at(t: SystemTime, zone_name: &str) -> (String, String) {
    let tz = zone(zone_name);
    let utc = DateTime::<Utc>::from(t);
    (utc.with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string(), offset_of(tz, utc))
}

/// An instant in the home zone, with the offset.
pub fn home(t: SystemTime) -> String {
    at(t, HOME_ZONE)
}

/// The offset a wall-clock time has in `zone` (the earlier one when it happens twice).
pub fn offset_at(local: &LocalDateTime, zone_name: &str) -> String {
    let tz = zone(zone_name);
    match tz.from_local_datetime(&local.0).earliest() {
        Some(t) => offset_of(tz, t.with_timezone(&Utc)),
        None => String::new(),
    }
}

/// A wall-clock time at a venue, with the zone's offset.
pub fn local(l: &LocalDateTime, zone_name: &str) -> String {
    format!("{} {}", l.0.format("%Y-%m-%d %H:%M"), offset_at(l, zone_name)).trim_end().to_string()
}

/// Start and end of an appointment: `2026-04-07 10:00–10:45 +02:00`.
pub fn span(start: &LocalDateTime, end: &LocalDateTime, zone_name: &str) -> String {
    let end_text = if start.0.date() == end.0.date() {
        end.0.format("%H:%M").to_string()
    } else {
        end.0.format("%Y-%m-%d %H:%M").to_string()
    };
    format!("{}–{} {}", start.0.format("%Y-%m-%d %H:%M"), end_text, offset_at(start, zone_name)).trim_end().to_string()
}

// JSON forms.

pub fn rfc3339(t: SystemTime) -> String {
    DateTime::<Utc>::from(t).to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn iso_date(d: &LocalDate) -> String {
    d.0.format("%Y-%m-%d").to_string()
}

pub fn iso_time(t: &LocalTime) -> String {
    t.0.format("%H:%M").to_string()
}

pub fn iso_local(l: &LocalDateTime) -> String {
    l.0.format("%Y-%m-%dT%H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_carry_the_offset_of_their_date() {
        let summer = parse_local("2026-04-07T10:00", "--at").unwrap();
        assert_eq!(local(&summer, "Europe/Copenhagen"), "2026-04-07 10:00 +02:00");
        let winter = parse_local("2026-01-07 10:00", "--at").unwrap();
        assert_eq!(local(&winter, "Europe/Copenhagen"), "2026-01-07 10:00 +01:00");
        let end = parse_local("2026-01-07T10:45", "--at").unwrap();
        assert_eq!(span(&winter, &end, "Europe/Copenhagen"), "2026-01-07 10:00–10:45 +01:00");
        let instant = parse_instant("2026-03-30T15:00:00Z", "--occurred-at").unwrap();
        assert_eq!(home(instant), "2026-03-30 17:00 +02:00");
        assert_eq!(rfc3339(parse_instant("2026-03-30T17:00", "--occurred-at").unwrap()), "2026-03-30T15:00:00Z");
    }

    #[test]
    fn bad_input_names_the_flag() {
        match parse_date("31-03-2026", "--date") {
            Err(CliError::Input { flag, message }) => {
                assert_eq!(flag, "--date");
                assert!(message.starts_with("--date: '31-03-2026' is not a date"), "{message}");
            }
            _ => panic!("accepted"),
        }
    }
}
