//! The Today screen in one call: the day's agenda with names, places and local times, and
//! the attention list — everything that waits for the worker, with what a one-tap action
//! needs (ids). Each part is read through an index; only what is shown is decrypted.

use crate::appointments::{self, Appointment, AppointmentKind, AppointmentStatus};
use crate::citizens::Nicknames;
use crate::error::CoreResult;
use crate::notes::{self, FollowUp, NoteState};
use crate::reminders::{outbox, Reminder, ReminderState};
use crate::time::local;
use crate::time::millis;
use crate::vault::keyring::Keyring;
use crate::vault::{IntegrityState, Vault};
use crate::venues::{self, holidays, parse_zone};
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use rusqlite::Connection;

/// At most this many attention items of one kind (the rest are counted in `more`).
pub const ATTENTION_PER_KIND: u32 = 20;

/// How an appointment's reminders stand, in counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReminderSummary {
    pub planned: u32,
    pub held: u32,
    pub sent: u32,
    pub delivered: u32,
    pub failed: u32,
    pub unknown: u32,
    pub cancelled: u32,
    /// The next send time of a planned reminder, on the venue's clock.
    pub next_local_send_at: Option<NaiveDateTime>,
}

impl ReminderSummary {
    fn of(reminders: &[Reminder], tz: chrono_tz::Tz) -> Self {
        let mut s = ReminderSummary::default();
        for r in reminders {
            match r.state {
                ReminderState::Planned | ReminderState::Due if r.hold.is_some() => s.held += 1,
                ReminderState::Planned | ReminderState::Due | ReminderState::Claimed => s.planned += 1,
                ReminderState::Sent => s.sent += 1,
                ReminderState::Delivered => s.delivered += 1,
                ReminderState::Failed => s.failed += 1,
                ReminderState::Unknown => s.unknown += 1,
                ReminderState::Cancelled => s.cancelled += 1,
            }
        }
        s.next_local_send_at = reminders
            .iter()
            .filter(|r| matches!(r.state, ReminderState::Planned | ReminderState::Due) && r.hold.is_none())
            .map(|r| local::local(tz, r.send_at))
            .min();
        s
    }
}

/// One row of an agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaItem {
    pub appointment_id: String,
    pub citizen_id: Option<String>,
    /// `None` when the citizen was deleted or does not open.
    pub citizen: Option<String>,
    pub venue: Option<String>,
    pub outside_place: Option<String>,
    pub local_start: NaiveDateTime,
    pub local_end: NaiveDateTime,
    pub time_zone: String,
    pub kind: AppointmentKind,
    pub status: AppointmentStatus,
    pub reminders: ReminderSummary,
}

/// Something that waits for the worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttentionItem {
    /// A reminder whose outcome never came back: resend or drop.
    ReminderUnknown {
        reminder_id: String,
        appointment_id: String,
        citizen: Option<String>,
        local_send_at: NaiveDateTime,
    },
    /// A reminder that failed for good (in the last 7 days): resend or drop.
    ReminderFailed { reminder_id: String, appointment_id: String, citizen: Option<String>, reason: Option<String> },
    /// A text waiting for approval: the words that held it, or too long.
    ReminderHeld {
        reminder_id: String,
        appointment_id: String,
        citizen: Option<String>,
        local_send_at: NaiveDateTime,
        words: Vec<String>,
        too_long: bool,
    },
    /// An appointment that has ended without an outcome.
    OutcomeMissing { appointment_id: String, citizen: Option<String>, local_start: NaiveDateTime },
    /// A follow-up due today or overdue.
    FollowUpDue {
        follow_up_id: String,
        note_id: String,
        citizen: Option<String>,
        text: String,
        due_date: NaiveDate,
        overdue: bool,
    },
    /// A draft not touched for more than a day.
    DraftWaiting { note_id: String, citizen: Option<String>, occurred_at: DateTime<Utc> },
    /// A final note not yet copied into the case system.
    NotJournalised { note_id: String, citizen: Option<String>, occurred_at: DateTime<Utc> },
    /// The platform key store lost the outbox key: reminders wait until the recovery key is used.
    OutboxKeyMissing { waiting: u32 },
    /// The recovery key was used; replace it.
    RecoveryKeyRotationAdvised,
    /// The vault file needs support's attention (damaged or rolled back).
    IntegrityProblem { state: IntegrityState },
}

impl AttentionItem {
    /// The stable code of the item's kind.
    pub fn code(&self) -> &'static str {
        match self {
            AttentionItem::ReminderUnknown { .. } => "reminder_unknown",
            AttentionItem::ReminderFailed { .. } => "reminder_failed",
            AttentionItem::ReminderHeld { .. } => "reminder_held",
            AttentionItem::OutcomeMissing { .. } => "outcome_missing",
            AttentionItem::FollowUpDue { .. } => "follow_up_due",
            AttentionItem::DraftWaiting { .. } => "draft_waiting",
            AttentionItem::NotJournalised { .. } => "not_journalised",
            AttentionItem::OutboxKeyMissing { .. } => "outbox_key_missing",
            AttentionItem::RecoveryKeyRotationAdvised => "recovery_key_rotation_advised",
            AttentionItem::IntegrityProblem { .. } => "integrity_problem",
        }
    }
}

/// Why nobody may be at the drop-in centre on the day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayNote {
    Holiday { name_da: &'static str, name_en: &'static str, official: bool },
    Absence { from: NaiveDate, to: NaiveDate },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Today {
    pub date: NaiveDate,
    pub day_notes: Vec<DayNote>,
    pub appointments: Vec<AgendaItem>,
    pub attention: Vec<AttentionItem>,
    /// Attention items beyond [`ATTENTION_PER_KIND`] of their kind, not listed.
    pub more: u32,
}

/// Agenda rows for appointments (with their reminders summarised).
pub(crate) fn agenda_items(
    conn: &Connection,
    keys: &mut Keyring,
    names: &mut Nicknames,
    list: Vec<Appointment>,
    now: DateTime<Utc>,
) -> CoreResult<Vec<AgendaItem>> {
    let mut out = Vec::with_capacity(list.len());
    for a in list {
        let tz = parse_zone(&a.time_zone)?;
        let reminders = outbox::for_appointment(conn, keys, &a.id, now)?;
        out.push(AgendaItem {
            citizen: a.citizen_id.as_deref().and_then(|c| names.get(conn, keys, c)),
            venue: a.venue_id.as_deref().map(|v| venues::venue_name_and_zone(conn, v).map(|(n, _)| n)).transpose()?,
            reminders: ReminderSummary::of(&reminders, tz),
            appointment_id: a.id,
            citizen_id: a.citizen_id,
            outside_place: a.outside_place,
            local_start: a.local_start,
            local_end: a.local_end,
            time_zone: a.time_zone,
            kind: a.kind,
            status: a.status,
        });
    }
    Ok(out)
}

fn citizen_of_appointment(
    conn: &Connection,
    keys: &mut Keyring,
    names: &mut Nicknames,
    appointment_id: &str,
) -> Option<String> {
    let citizen: Option<String> = conn
        .prepare_cached("SELECT citizen_id FROM appointments WHERE id = ?1")
        .ok()?
        .query_row([appointment_id], |r| r.get(0))
        .ok()
        .flatten();
    citizen.and_then(|c| names.get(conn, keys, &c))
}

fn local_of_appointment(conn: &Connection, appointment_id: &str, t: DateTime<Utc>) -> NaiveDateTime {
    let zone: Option<String> = conn
        .prepare_cached("SELECT time_zone FROM appointments WHERE id = ?1")
        .ok()
        .and_then(|mut s| s.query_row([appointment_id], |r| r.get(0)).ok());
    match zone.as_deref().map(parse_zone) {
        Some(Ok(tz)) => local::local(tz, t),
        _ => t.naive_utc(),
    }
}

impl Vault {
    /// Today's screen for `date` (the worker's local date): the agenda and the attention list.
    pub fn today(&self, date: NaiveDate) -> CoreResult<Today> {
        let flags = self.flags();
        self.with_session(|ctx| {
            self.settle_outbox(ctx.conn, ctx.now)?;
            let conn: &Connection = ctx.conn;
            let keys = &mut *ctx.keys;
            let now = ctx.now;
            let mut names = Nicknames::default();
            let mut day_notes = Vec::new();
            if let Some(h) = holidays::holiday_on(crate::time::check_date("date", date)?) {
                day_notes.push(DayNote::Holiday { name_da: h.name_da, name_en: h.name_en, official: h.official });
            }
            for (from, to) in venues::absence_dates(conn)? {
                if from <= date && date <= to {
                    day_notes.push(DayNote::Absence { from, to });
                }
            }
            let list = appointments::between(conn, keys, date, date)?;
            let agenda = agenda_items(conn, keys, &mut names, list, now)?;

            let mut attention = Vec::new();
            let mut more = 0;
            let cap = ATTENTION_PER_KIND as usize;
            if flags.integrity == IntegrityState::Damaged || flags.integrity == IntegrityState::RolledBack {
                attention.push(AttentionItem::IntegrityProblem { state: flags.integrity });
            }
            if flags.recovery_key_rotation_advised {
                attention.push(AttentionItem::RecoveryKeyRotationAdvised);
            }
            if flags.outbox_key_missing {
                let waiting: u32 = conn.query_row(
                    "SELECT count(*) FROM reminders WHERE state = 'planned' OR (state = 'failed' AND next_attempt_at IS NOT NULL)",
                    [],
                    |r| r.get(0),
                )?;
                attention.push(AttentionItem::OutboxKeyMissing { waiting });
            }

            let (unknown, total) = first_reminders(conn, keys, UNKNOWN.0, UNKNOWN.1, None, now)?;
            more += total.saturating_sub(ATTENTION_PER_KIND);
            for r in unknown {
                attention.push(AttentionItem::ReminderUnknown {
                    citizen: citizen_of_appointment(conn, keys, &mut names, &r.appointment_id),
                    local_send_at: local_of_appointment(conn, &r.appointment_id, r.send_at),
                    reminder_id: r.id,
                    appointment_id: r.appointment_id,
                });
            }
            let (failed, total) = first_reminders(
                conn,
                keys,
                FAILED.0,
                FAILED.1,
                Some(millis(now - Duration::days(7))),
                now,
            )?;
            more += total.saturating_sub(ATTENTION_PER_KIND);
            for r in failed {
                attention.push(AttentionItem::ReminderFailed {
                    citizen: citizen_of_appointment(conn, keys, &mut names, &r.appointment_id),
                    reminder_id: r.id,
                    appointment_id: r.appointment_id,
                    reason: r.reason,
                });
            }
            let (held, total) =
                first_reminders(conn, keys, HELD.0, HELD.1, None, now)?;
            more += total.saturating_sub(ATTENTION_PER_KIND);
            for r in held {
                attention.push(AttentionItem::ReminderHeld {
                    citizen: citizen_of_appointment(conn, keys, &mut names, &r.appointment_id),
                    local_send_at: local_of_appointment(conn, &r.appointment_id, r.send_at),
                    words: r.held_for.iter().map(|w| w.word.clone()).collect(),
                    too_long: r.hold == Some(crate::reminders::Hold::TooLong),
                    reminder_id: r.id,
                    appointment_id: r.appointment_id,
                });
            }
            let open = appointments::query(
                conn,
                keys,
                "WHERE status IN ('planned', 'confirmed') AND ends_at <= ?1 ORDER BY starts_at, id LIMIT ?2",
                rusqlite::params![millis(now), ATTENTION_PER_KIND + 1],
            )?;
            let total_open: u32 = conn.query_row(
                "SELECT count(*) FROM appointments WHERE status IN ('planned', 'confirmed') AND ends_at <= ?1",
                [millis(now)],
                |r| r.get(0),
            )?;
            more += total_open.saturating_sub(ATTENTION_PER_KIND);
            for a in open.into_iter().take(cap) {
                attention.push(AttentionItem::OutcomeMissing {
                    citizen: a.citizen_id.as_deref().and_then(|c| names.get(conn, keys, c)),
                    appointment_id: a.id,
                    local_start: a.local_start,
                });
            }
            let (due, total_due) = notes::follow_ups_due(conn, keys, None, Some(date), ATTENTION_PER_KIND)?;
            more += total_due.saturating_sub(ATTENTION_PER_KIND);
            for f in due {
                attention.push(follow_up_item(conn, keys, &mut names, f, date));
            }
            for (state, before) in [(NoteState::Draft, now - Duration::days(1)), (NoteState::Final, now)] {
                let (waiting, total) = notes::waiting(conn, state, before, ATTENTION_PER_KIND)?;
                more += total.saturating_sub(ATTENTION_PER_KIND);
                for (note_id, citizen, occurred_at) in waiting {
                    let citizen = citizen.as_deref().and_then(|c| names.get(conn, keys, c));
                    attention.push(match state {
                        NoteState::Draft => AttentionItem::DraftWaiting { note_id, citizen, occurred_at },
                        _ => AttentionItem::NotJournalised { note_id, citizen, occurred_at },
                    });
                }
            }
            Ok(Today { date, day_notes, appointments: agenda, attention, more })
        })
    }
}

// The attention list's reminders (filter, order): each read through its partial index in
// the index's own order, so the first page stops after a page, whatever the ties.
const UNKNOWN: (&str, &str) = ("r.state = 'unknown'", "r.send_at, r.id");
const FAILED: (&str, &str) =
    ("r.state = 'failed' AND r.next_attempt_at IS NULL AND r.updated_at >= ?1", "r.updated_at DESC, r.id DESC");
const HELD: (&str, &str) = ("r.state = 'planned' AND r.hold IS NOT NULL", "r.send_at, r.id");

/// The first [`ATTENTION_PER_KIND`] reminders matching `filter` in `order` (only those are
/// decrypted), and how many match in all (counted through the same partial index).
fn first_reminders(
    conn: &Connection,
    keys: &mut Keyring,
    filter: &str,
    order: &str,
    since: Option<i64>,
    now: DateTime<Utc>,
) -> CoreResult<(Vec<Reminder>, u32)> {
    let limit = i64::from(ATTENTION_PER_KIND);
    let (list, total) = match since {
        Some(t) => (
            outbox::query(
                conn,
                keys,
                &format!("WHERE {filter} ORDER BY {order} LIMIT ?2"),
                rusqlite::params![t, limit],
                now,
            )?,
            conn.prepare_cached(&format!("SELECT count(*) FROM reminders r WHERE {filter}"))?
                .query_row([t], |r| r.get(0))?,
        ),
        None => (
            outbox::query(conn, keys, &format!("WHERE {filter} ORDER BY {order} LIMIT ?1"), [limit], now)?,
            conn.prepare_cached(&format!("SELECT count(*) FROM reminders r WHERE {filter}"))?
                .query_row([], |r| r.get(0))?,
        ),
    };
    Ok((list, total))
}

pub(crate) fn follow_up_item(
    conn: &Connection,
    keys: &mut Keyring,
    names: &mut Nicknames,
    f: FollowUp,
    today: NaiveDate,
) -> AttentionItem {
    let citizen: Option<String> = conn
        .prepare_cached("SELECT citizen_id FROM notes WHERE id = ?1")
        .ok()
        .and_then(|mut s| s.query_row([&f.note_id], |r| r.get(0)).ok())
        .flatten();
    let due_date = f.due_date.unwrap_or(today);
    AttentionItem::FollowUpDue {
        citizen: citizen.and_then(|c| names.get(conn, keys, &c)),
        overdue: due_date < today,
        due_date,
        follow_up_id: f.id,
        note_id: f.note_id,
        text: f.text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Today's screen opens many times a day: its reminder queries must read a page through
    /// their partial indexes, never sort every failed reminder (4 600 failed ones at the same
    /// moment cost 3 ms before).
    #[test]
    fn the_attention_queries_read_their_indexes_in_order() {
        let conn = Connection::open_in_memory().unwrap();
        crate::store::migrations::migrate(&conn).unwrap();
        for ((filter, order), index) in
            [(UNKNOWN, "reminders_unknown"), (FAILED, "reminders_failed_final"), (HELD, "reminders_held")]
        {
            let sql = format!("EXPLAIN QUERY PLAN SELECT * FROM reminders r WHERE {filter} ORDER BY {order} LIMIT 20");
            let plan: Vec<String> = conn
                .prepare(&sql.replace("?1", "0"))
                .unwrap()
                .query_map([], |r| r.get(3))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            assert!(plan.iter().any(|p| p.contains(index)), "{plan:?}");
            if index != "reminders_held" {
                assert!(!plan.iter().any(|p| p.contains("TEMP B-TREE")), "{plan:?}");
            }
        }
    }
}
