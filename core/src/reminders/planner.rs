//! When reminders are sent: a pure function of the rules, the venue's time zone, the
//! appointment's start and the time of booking. No database, no clock.
//!
//! The rule, step by step (defaults in brackets):
//! 1. Candidates. A *confirmation* at the time of booking when the start is less than
//!    [24 h] ahead; a *day-before* reminder at [17:00] local time on the calendar day
//!    before the start; an *hours-before* reminder [2 h] before the start.
//! 2. Never later than 30 minutes before the start: a later candidate is moved to that time.
//! 3. Never in quiet hours [21:00–08:00 local]: a candidate inside them moves forward to the
//!    end of the quiet hours if that is still no later than 30 minutes before the start,
//!    otherwise back to 30 minutes before the quiet hours began (20:30 by default).
//! 4. A candidate that now lies before the time of booking is dropped (the confirmation is
//!    at the time of booking, so it is dropped only when step 3 moved it back).
//! 5. No two reminders within 3 hours of each other: candidates are kept in the order
//!    confirmation, hours-before, day-before, each only if it is at least 3 hours from every
//!    one already kept.
//!
//! Local times go through `appointments::localtime::resolve`, so the rule holds across
//! daylight-saving changes (17:00 and 08:00 exist on every day in Europe/Copenhagen).

use crate::time::local::{self as localtime, resolve};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

pub use crate::worker::ReminderRules;

/// Never later than this before the start.
pub const MIN_LEAD: Duration = Duration::minutes(30);
/// Never two reminders closer than this.
pub const MIN_SPACING: Duration = Duration::hours(3);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    Confirmation,
    DayBefore,
    HoursBefore,
}

impl ReminderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReminderKind::Confirmation => "confirmation",
            ReminderKind::DayBefore => "day_before",
            ReminderKind::HoursBefore => "hours_before",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "confirmation" => Some(ReminderKind::Confirmation),
            "day_before" => Some(ReminderKind::DayBefore),
            "hours_before" => Some(ReminderKind::HoursBefore),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedSend {
    pub kind: ReminderKind,
    pub send_at: DateTime<Utc>,
}

impl ReminderRules {
    /// Whether `t` falls in quiet hours at `tz`.
    pub fn is_quiet(&self, tz: Tz, t: DateTime<Utc>) -> bool {
        let time = localtime::local(tz, t).time();
        if self.quiet_start == self.quiet_end {
            false
        } else if self.quiet_start > self.quiet_end {
            time >= self.quiet_start || time < self.quiet_end
        } else {
            time >= self.quiet_start && time < self.quiet_end
        }
    }

    /// Step 3 for one candidate: out of quiet hours, or `None` when that is impossible.
    fn out_of_quiet(&self, tz: Tz, t: DateTime<Utc>, latest: DateTime<Utc>) -> DateTime<Utc> {
        if !self.is_quiet(tz, t) {
            return t;
        }
        let local = localtime::local(tz, t);
        let wraps = self.quiet_start > self.quiet_end;
        let in_evening_part = wraps && local.time() >= self.quiet_start;
        // When the quiet period containing `t` began and ends.
        let began_day = if wraps && !in_evening_part { local.date() - Duration::days(1) } else { local.date() };
        let ends_day = if in_evening_part { local.date() + Duration::days(1) } else { local.date() };
        let end = resolve(tz, ends_day.and_time(self.quiet_end)).0;
        if end <= latest {
            end
        } else {
            resolve(tz, began_day.and_time(self.quiet_start)).0 - MIN_LEAD
        }
    }
}

/// The reminders for an appointment starting at `start`, booked at `now`, sorted by time.
pub fn plan(rules: &ReminderRules, tz: Tz, start: DateTime<Utc>, now: DateTime<Utc>) -> Vec<PlannedSend> {
    let latest = start - MIN_LEAD;
    let mut candidates: Vec<PlannedSend> = Vec::new();
    if let Some(within) = rules.confirmation_within_minutes {
        if start - now < Duration::minutes(within as i64) {
            candidates.push(PlannedSend { kind: ReminderKind::Confirmation, send_at: now });
        }
    }
    if let Some(minutes) = rules.hours_before_minutes {
        candidates
            .push(PlannedSend { kind: ReminderKind::HoursBefore, send_at: start - Duration::minutes(minutes as i64) });
    }
    if let Some(at) = rules.day_before_at {
        let day_before = localtime::local(tz, start).date() - Duration::days(1);
        candidates.push(PlannedSend { kind: ReminderKind::DayBefore, send_at: resolve(tz, day_before.and_time(at)).0 });
    }
    let mut kept: Vec<PlannedSend> = Vec::new();
    for c in candidates {
        let send_at = rules.out_of_quiet(tz, c.send_at.min(latest), latest);
        let ok = send_at >= now
            && send_at <= latest
            && !rules.is_quiet(tz, send_at)
            && kept.iter().all(|k| (k.send_at - send_at).abs() >= MIN_SPACING);
        if ok {
            kept.push(PlannedSend { kind: c.kind, send_at });
        }
    }
    kept.sort_by_key(|p| p.send_at);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, NaiveTime, TimeZone};
    use chrono_tz::Europe::Copenhagen;
    use proptest::prelude::*;

    fn cph(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        resolve(Copenhagen, NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()).0
    }

    fn kinds(p: &[PlannedSend]) -> Vec<(ReminderKind, DateTime<Utc>)> {
        p.iter().map(|p| (p.kind, p.send_at)).collect()
    }

    use ReminderKind::*;

    #[test]
    fn the_usual_case() {
        let rules = ReminderRules::default();
        let p = plan(&rules, Copenhagen, cph(2026, 3, 31, 10, 0), cph(2026, 3, 20, 12, 0));
        assert_eq!(kinds(&p), vec![(DayBefore, cph(2026, 3, 30, 17, 0)), (HoursBefore, cph(2026, 3, 31, 8, 0))]);
    }

    #[test]
    fn short_notice_gets_a_confirmation_and_spacing_drops_the_day_before() {
        let rules = ReminderRules::default();
        // Booked 16:00 for tomorrow 13:00: confirmation now; 17:00 is within 3 h of it.
        let p = plan(&rules, Copenhagen, cph(2026, 4, 14, 13, 0), cph(2026, 4, 13, 16, 0));
        assert_eq!(kinds(&p), vec![(Confirmation, cph(2026, 4, 13, 16, 0)), (HoursBefore, cph(2026, 4, 14, 11, 0))]);
    }

    #[test]
    fn early_meetings_move_out_of_quiet_hours() {
        let rules = ReminderRules::default();
        // 09:00: two hours before is 07:00 (quiet) → 08:00, still 60 min ahead.
        let p = plan(&rules, Copenhagen, cph(2026, 5, 5, 9, 0), cph(2026, 5, 1, 9, 0));
        assert_eq!(kinds(&p), vec![(DayBefore, cph(2026, 5, 4, 17, 0)), (HoursBefore, cph(2026, 5, 5, 8, 0))]);
        // 08:15: 08:00 would be 15 min ahead → back to 20:30 the evening before.
        let p = plan(&rules, Copenhagen, cph(2026, 5, 5, 8, 15), cph(2026, 5, 1, 9, 0));
        assert_eq!(kinds(&p), vec![(DayBefore, cph(2026, 5, 4, 17, 0)), (HoursBefore, cph(2026, 5, 4, 20, 30))]);
        // With the day-before reminder at 18:00, 20:30 is within 3 h of it: it gives way.
        let late = ReminderRules { day_before_at: NaiveTime::from_hms_opt(18, 0, 0), ..Default::default() };
        let p = plan(&late, Copenhagen, cph(2026, 5, 5, 8, 15), cph(2026, 5, 1, 9, 0));
        assert_eq!(kinds(&p), vec![(HoursBefore, cph(2026, 5, 4, 20, 30))]);
    }

    #[test]
    fn booking_late_at_night_for_the_morning() {
        let rules = ReminderRules::default();
        // Booked 22:00 for 10:00 next day: confirmation would be quiet → 08:00; hours-before
        // also 08:00 → spacing keeps only the confirmation.
        let p = plan(&rules, Copenhagen, cph(2026, 6, 2, 10, 0), cph(2026, 6, 1, 22, 0));
        assert_eq!(kinds(&p), vec![(Confirmation, cph(2026, 6, 2, 8, 0))]);
        // Booked 22:00 for 08:20: nothing can be sent in time.
        assert!(plan(&rules, Copenhagen, cph(2026, 6, 2, 8, 20), cph(2026, 6, 1, 22, 0)).is_empty());
    }

    #[test]
    fn too_close_means_none() {
        let rules = ReminderRules::default();
        assert!(plan(&rules, Copenhagen, cph(2026, 6, 2, 12, 0), cph(2026, 6, 2, 11, 40)).is_empty());
        let p = plan(&rules, Copenhagen, cph(2026, 6, 2, 12, 0), cph(2026, 6, 2, 11, 0));
        assert_eq!(kinds(&p), vec![(Confirmation, cph(2026, 6, 2, 11, 0))]);
    }

    #[test]
    fn dst_days() {
        let rules = ReminderRules::default();
        // Monday after spring-forward: day-before is Sunday 29 March 17:00 CEST (15:00 UTC).
        let p = plan(&rules, Copenhagen, cph(2026, 3, 30, 10, 0), cph(2026, 3, 20, 10, 0));
        assert_eq!(p[0].send_at, Utc.with_ymd_and_hms(2026, 3, 29, 15, 0, 0).unwrap());
        // Sunday of fall-back, 10:00 CET: two real hours before is 08:00 CET.
        let p = plan(&rules, Copenhagen, cph(2026, 10, 25, 10, 0), cph(2026, 10, 1, 10, 0));
        assert_eq!(
            kinds(&p),
            vec![
                (DayBefore, Utc.with_ymd_and_hms(2026, 10, 24, 15, 0, 0).unwrap()),
                (HoursBefore, Utc.with_ymd_and_hms(2026, 10, 25, 7, 0, 0).unwrap())
            ]
        );
    }

    #[test]
    fn switched_off_kinds() {
        let rules = ReminderRules { day_before_at: None, confirmation_within_minutes: None, ..Default::default() };
        let p = plan(&rules, Copenhagen, cph(2026, 4, 14, 13, 0), cph(2026, 4, 13, 16, 0));
        assert_eq!(kinds(&p), vec![(HoursBefore, cph(2026, 4, 14, 11, 0))]);
    }

    /// Every week around a DST change in 2026–2030.
    fn dst_weeks() -> Vec<DateTime<Utc>> {
        let mut out = Vec::new();
        for year in 2026..=2030 {
            for month in [3u32, 10] {
                // Last Sunday of the month.
                let mut d = NaiveDate::from_ymd_opt(year, month, 31).unwrap();
                while chrono::Datelike::weekday(&d) != chrono::Weekday::Sun {
                    d -= Duration::days(1);
                }
                out.push(Utc.from_utc_datetime(&(d - Duration::days(4)).and_hms_opt(0, 0, 0).unwrap()));
            }
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn invariants_hold_over_every_dst_week(
            week in 0usize..10,
            start_minutes in 0i64..(8 * 24 * 60),
            lead_minutes in 0i64..(10 * 24 * 60),
            quiet_start_h in 19u32..24, quiet_end_h in 5u32..10,
            day_before_h in 8u32..21, hours_before in 30u32..360,
        ) {
            let rules = ReminderRules {
                day_before_at: NaiveTime::from_hms_opt(day_before_h, 0, 0),
                hours_before_minutes: Some(hours_before),
                confirmation_within_minutes: Some(24 * 60),
                quiet_start: NaiveTime::from_hms_opt(quiet_start_h, 0, 0).unwrap(),
                quiet_end: NaiveTime::from_hms_opt(quiet_end_h, 0, 0).unwrap(),
            };
            let start = dst_weeks()[week] + Duration::minutes(start_minutes);
            let now = start - Duration::minutes(lead_minutes);
            let p = plan(&rules, Copenhagen, start, now);
            for (i, r) in p.iter().enumerate() {
                prop_assert!(!rules.is_quiet(Copenhagen, r.send_at), "quiet: {r:?}");
                prop_assert!(r.send_at <= start - MIN_LEAD, "too late: {r:?}");
                prop_assert!(r.send_at >= now, "in the past: {r:?}");
                for other in &p[i + 1..] {
                    prop_assert!(other.send_at - r.send_at >= MIN_SPACING, "too close: {r:?} {other:?}");
                    prop_assert!(other.kind != r.kind);
                }
            }
            // Sorted, and a confirmation only at short notice.
            prop_assert!(p.windows(2).all(|w| w[0].send_at <= w[1].send_at));
            if p.iter().any(|r| r.kind == ReminderKind::Confirmation) {
                prop_assert!(start - now < Duration::hours(24));
            }
            // Far enough ahead, the hours-before reminder is never lost.
            if start - now > Duration::hours(24) && lead_minutes > 0 {
                prop_assert!(p.iter().any(|r| r.kind == ReminderKind::HoursBefore || r.kind == ReminderKind::DayBefore));
            }
        }
    }
}
