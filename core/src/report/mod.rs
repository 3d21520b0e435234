//! The no-show figures the municipalities report (SPEC §2 G): for a period and optionally
//! a venue, how many were booked, attended, did not show, were cancelled, and the no-show
//! rate overall, for statutory meetings, and with versus without a reminder sent.
//! Counts only: nothing here is personal, and appointments of deleted citizens still count.

use crate::time::from_millis;
use crate::error::{CoreError, CoreResult};
use crate::ids;
use crate::vault::Vault;
use crate::venues::parse_zone;
use chrono::{Duration, NaiveDate};

/// Attended and no-show counts, and the no-show rate among them (`None` when both are 0).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rate {
    pub attended: u32,
    pub no_show: u32,
}

impl Rate {
    pub fn rate(&self) -> Option<f64> {
        let n = self.attended + self.no_show;
        (n > 0).then(|| self.no_show as f64 / n as f64)
    }

    fn add(&mut self, status: &str) {
        match status {
            "attended" => self.attended += 1,
            "no_show" => self.no_show += 1,
            _ => {}
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct NoShowReport {
    /// Every appointment in the period except those replaced by a rescheduling.
    pub booked: u32,
    pub attended: u32,
    pub no_show: u32,
    pub cancelled: u32,
    pub rescheduled: u32,
    /// Planned or confirmed: still ahead, or past and waiting for an outcome.
    pub open: u32,
    pub overall: Rate,
    pub statutory: Rate,
    pub with_reminder: Rate,
    pub without_reminder: Rate,
}

impl Vault {
    /// Figures for appointments whose local start date is in `from..=to`.
    pub fn no_show_report(&self, from: NaiveDate, to: NaiveDate, venue_id: Option<&str>) -> CoreResult<NoShowReport> {
        if from > to {
            return Err(CoreError::invalid("to", "must not be before from"));
        }
        if let Some(v) = venue_id {
            ids::check_id("venue_id", v)?;
        }
        let lo = from
            .and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc() - Duration::hours(14))
            .ok_or(CoreError::Internal { reason: "date" })?;
        let hi = to
            .and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc() + Duration::hours(38))
            .ok_or(CoreError::Internal { reason: "date" })?;
        self.with_session(|ctx| {
            if let Some(v) = venue_id {
                crate::venues::load_venue(ctx.conn, v)?;
            }
            let mut stmt = ctx.conn.prepare_cached(
                "SELECT a.kind, a.status, a.starts_at, a.time_zone,
                    EXISTS (SELECT 1 FROM reminders r WHERE r.appointment_id = a.id AND r.state IN ('sent', 'delivered'))
                 FROM appointments a
                 WHERE a.starts_at >= ?1 AND a.starts_at < ?2 AND (?3 IS NULL OR a.venue_id = ?3)",
            )?;
            let mut rows = stmt.query(rusqlite::params![lo.timestamp_millis(), hi.timestamp_millis(), venue_id])?;
            let mut r = NoShowReport::default();
            while let Some(row) = rows.next()? {
                let kind: String = row.get(0)?;
                let status: String = row.get(1)?;
                let tz = parse_zone(&row.get::<_, String>(3)?).map_err(|_| CoreError::Corrupt)?;
                let date = crate::time::local::local(tz, from_millis(row.get(2)?)?).date();
                if date < from || date > to {
                    continue;
                }
                let reminded: bool = row.get(4)?;
                match status.as_str() {
                    "rescheduled" => {
                        r.rescheduled += 1;
                        continue;
                    }
                    "attended" => r.attended += 1,
                    "no_show" => r.no_show += 1,
                    "cancelled_by_citizen" | "cancelled_by_worker" => r.cancelled += 1,
                    _ => r.open += 1,
                }
                r.booked += 1;
                r.overall.add(&status);
                if kind == "statutory_meeting" {
                    r.statutory.add(&status);
                }
                if reminded {
                    r.with_reminder.add(&status);
                } else {
                    r.without_reminder.add(&status);
                }
            }
            Ok(r)
        })
    }
}
