//! A citizen's overview in one call: who they are, whether they can get reminders (and
//! why not), their next appointments, their latest notes and their open follow-ups.

use super::today::{agenda_items, AgendaItem};
use crate::appointments::{self, NoReminderReason};
use crate::citizens::{self, Citizen, Nicknames};
use crate::error::CoreResult;
use crate::notes::{self, FollowUp, NotePage};
use crate::reminders::plan;
use crate::time::millis;
use crate::vault::Vault;

/// How many of each list the overview shows (the full lists have their own calls).
pub const OVERVIEW_APPOINTMENTS: u32 = 10;
pub const OVERVIEW_NOTES: u32 = 5;
pub const OVERVIEW_FOLLOW_UPS: u32 = 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitizenOverview {
    pub citizen: Citizen,
    /// `None` when reminders can be planned; otherwise why not (no consent, no number, not a
    /// mobile number, no worker profile yet).
    pub reminders_blocked: Option<NoReminderReason>,
    /// Appointments still to come (planned or confirmed), soonest first.
    pub next_appointments: Vec<AgendaItem>,
    /// Past appointments without an outcome.
    pub awaiting_outcome: u32,
    pub latest_notes: NotePage,
    pub open_follow_ups: Vec<FollowUp>,
    pub open_follow_ups_total: u32,
}

impl Vault {
    pub fn citizen_overview(&self, citizen_id: &str) -> CoreResult<CitizenOverview> {
        self.with_session(|ctx| {
            let now = ctx.now;
            let citizen = citizens::load_in(ctx.conn, ctx.keys, citizen_id)?;
            let reminders_blocked = plan::blocked(ctx.conn, ctx.keys, &citizen)?;
            let upcoming = appointments::query(
                ctx.conn,
                ctx.keys,
                "WHERE citizen_id = ?1 AND status IN ('planned', 'confirmed') AND ends_at > ?2 ORDER BY starts_at, id LIMIT ?3",
                rusqlite::params![citizen_id, millis(now), OVERVIEW_APPOINTMENTS],
            )?;
            let awaiting_outcome: u32 = ctx.conn.query_row(
                "SELECT count(*) FROM appointments WHERE citizen_id = ?1 AND status IN ('planned', 'confirmed') AND ends_at <= ?2",
                rusqlite::params![citizen_id, millis(now)],
                |r| r.get(0),
            )?;
            let mut names = Nicknames::default();
            let next_appointments = agenda_items(ctx.conn, ctx.keys, &mut names, upcoming, now)?;
            let (open_follow_ups, open_follow_ups_total) =
                notes::follow_ups_due(ctx.conn, ctx.keys, Some(citizen_id), None, OVERVIEW_FOLLOW_UPS)?;
            let latest_notes = notes::page::latest_of(ctx, citizen_id, OVERVIEW_NOTES)?;
            Ok(CitizenOverview {
                citizen,
                reminders_blocked,
                next_appointments,
                awaiting_outcome,
                latest_notes,
                open_follow_ups,
                open_follow_ups_total,
            })
        })
    }
}
