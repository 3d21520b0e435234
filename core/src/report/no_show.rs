//! The first no-show figures (kept for the screens and the CLI that use them): for a period
//! and optionally a venue, how many were booked, attended, did not show, were cancelled, and
//! the no-show rate overall, for statutory meetings, and with versus without a reminder sent.
//! Counts only: nothing here is personal, and appointments of deleted citizens still count.
//! The evaluation report (`figures.rs`) gives these with intervals, by month, and counting
//! only outcomes recorded after the start.

use crate::appointments::{AppointmentKind, AppointmentStatus};
use crate::error::{CoreError, CoreResult};
use crate::ids;
use crate::vault::Vault;
use chrono::NaiveDate;

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
        let (lo, hi) = crate::appointments::utc_window(from, to)?;
        self.with_session(|ctx| {
            if let Some(v) = venue_id {
                crate::venues::venue_name_and_zone(ctx.conn, v)?;
            }
            let list = crate::appointments::query(
                ctx.conn,
                ctx.keys,
                "WHERE starts_at >= ?1 AND starts_at < ?2 AND (?3 IS NULL OR venue_id = ?3)",
                rusqlite::params![lo.timestamp_millis(), hi.timestamp_millis(), venue_id],
            )?;
            let mut reminded = ctx.conn.prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM reminders r WHERE r.appointment_id = ?1 AND r.state IN ('sent', 'delivered'))",
            )?;
            let mut r = NoShowReport::default();
            for a in list {
                let date = a.local_start.date();
                if date < from || date > to {
                    continue;
                }
                let with_reminder: bool = reminded.query_row([&a.id], |row| row.get(0))?;
                let status = a.status.as_str();
                match a.status {
                    AppointmentStatus::Rescheduled => {
                        r.rescheduled += 1;
                        continue;
                    }
                    AppointmentStatus::Attended => r.attended += 1,
                    AppointmentStatus::NoShow => r.no_show += 1,
                    AppointmentStatus::CancelledByCitizen | AppointmentStatus::CancelledByWorker => r.cancelled += 1,
                    AppointmentStatus::Planned | AppointmentStatus::Confirmed => r.open += 1,
                }
                r.booked += 1;
                r.overall.add(status);
                if a.kind == AppointmentKind::StatutoryMeeting {
                    r.statutory.add(status);
                }
                if with_reminder {
                    r.with_reminder.add(status);
                } else {
                    r.without_reminder.add(status);
                }
            }
            Ok(r)
        })
    }
}
