//! Retention (SPEC §2 F; GDPR's storage limitation): personal data is kept only as long as
//! the work needs it.
//!
//! - A journalised note is **purged** `purge_after_days` after it was journalised: the row
//!   goes, and with it its text, topics, amendments, follow-ups and journal reference (their
//!   ledger entries go by trigger). With `secure_delete` on and the write-ahead log truncated
//!   afterwards, no byte of them stays in any file. What the reports need stays, detached from
//!   the citizen and the note: per local date, the number of conversations, their topics and
//!   the help given (`note_tallies`, sealed under the general key).
//! - A final note not journalised after `flag_final_after_days` is **flagged** for the worker
//!   (it is the official record's source and is not purged unjournalised).
//! - An appointment that ended `reduce_appointments_after_days` ago is **reduced**: it loses
//!   its citizen, key and outside place, its reminders their texts and numbers; it stays as
//!   an anonymous count for the no-show figures (kind, status, venue, time).
//!
//! It runs at every unlock (after the upgrades) and on demand, in one transaction with its
//! audit entry, so a kill mid-way leaves everything or nothing purged.

use crate::audit::{AuditKind, AuditObject, Event};
use crate::crypto::Aad;
use crate::error::{CoreError, CoreResult};
use crate::notes::{self, HelpGiven, NoteState, Topic};
use crate::reminders::outbox;
use crate::store;
use crate::time::{date_from_sql, date_to_sql, days_before, from_millis, millis};
use crate::vault::keyring::{Bound, Keyring};
use crate::vault::Vault;
use crate::venues::{parse_zone, DEFAULT_TIME_ZONE};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::BTreeMap;

pub use crate::vault::lifecycle::RetentionSettings;

const TALLIES: &str = "note_tallies";

/// Journalised notes past the period (index `notes_journalised`, migration 12).
const DUE_NOTES: &str =
    "SELECT id, citizen_id, key_id, state, occurred_at, amendment_count, details, journalised_at FROM notes
    WHERE state = 'journalised' AND journalised_at <= ?1";
/// Appointments still linked to a citizen that ended before the period (index
/// `appointments_linked_by_end`).
const DUE_APPOINTMENTS: &str =
    "SELECT id, citizen_id, key_id, sealed FROM appointments WHERE citizen_id IS NOT NULL AND ends_at <= ?1";

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetentionReport {
    pub notes_purged: u32,
    /// Of those, notes whose contents did not open (damaged or tampered): purged all the
    /// same, counted as conversations without topics.
    pub unreadable_purged: u32,
    pub appointments_reduced: u32,
    /// Final notes waiting longer than the period to be journalised.
    pub final_notes_flagged: u32,
}

/// A final note not yet journalised after the period, for the worker's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueNote {
    pub note_id: String,
    pub citizen_id: Option<String>,
    pub occurred_at: DateTime<Utc>,
    pub finalized_at: DateTime<Utc>,
}

/// What stays of purged notes, added up over local dates: every count the evaluation's note
/// figures read, so a report on a period gives the same numbers before and after a purge
/// (except citizens met, which needs the citizen).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoteTally {
    /// Conversations on these dates.
    pub notes: u32,
    /// Conversations whose topics could not be read when purged.
    pub unreadable: u32,
    /// Conversations with no citizen.
    pub anonymous: u32,
    /// Conversations with at least one topic, and with at least one kind of help.
    pub with_topics: u32,
    pub with_help: u32,
    /// Purged notes journalised on these dates.
    pub journalised: u32,
    /// Purged notes' follow-ups due on these dates: done by the due date, done later, and
    /// still open when purged.
    pub follow_ups_done_on_time: u32,
    pub follow_ups_done_late: u32,
    pub follow_ups_open: u32,
    /// How many conversations had each topic (every topic listed, in `Topic::ALL`'s order).
    pub topics: Vec<(Topic, u32)>,
    pub help_given: Vec<(HelpGiven, u32)>,
}

// A tally as it is sealed: these counts, then one per topic and per kind of help in the
// order of `Topic::ALL` and `HelpGiven::ALL`, each a big-endian u32. Each count belongs to the
// date of its own event (conversation, journalising, follow-up due date).
const NOTES: usize = 0;
const UNREADABLE: usize = 1;
const ANONYMOUS: usize = 2;
const WITH_TOPICS: usize = 3;
const WITH_HELP: usize = 4;
const JOURNALISED: usize = 5;
const FOLLOW_UP_ON_TIME: usize = 6;
const FOLLOW_UP_LATE: usize = 7;
const FOLLOW_UP_OPEN: usize = 8;
const FIRST_TOPIC: usize = 9;
const FIRST_HELP: usize = FIRST_TOPIC + Topic::ALL.len();
const TALLY_LEN: usize = FIRST_HELP + HelpGiven::ALL.len();

#[derive(Clone, Copy, Default)]
struct Counts([u32; TALLY_LEN]);

impl Counts {
    fn add(&mut self, other: &Counts) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a = a.saturating_add(b);
        }
    }

    /// One conversation; `None` when its contents did not open.
    fn conversation(&mut self, anonymous: bool, contents: Option<(&[Topic], &[HelpGiven])>) {
        self.0[NOTES] += 1;
        if anonymous {
            self.0[ANONYMOUS] += 1;
        }
        let Some((topics, help)) = contents else {
            self.0[UNREADABLE] += 1;
            return;
        };
        if !topics.is_empty() {
            self.0[WITH_TOPICS] += 1;
        }
        if !help.is_empty() {
            self.0[WITH_HELP] += 1;
        }
        for (i, t) in Topic::ALL.iter().enumerate() {
            if topics.contains(t) {
                self.0[FIRST_TOPIC + i] += 1;
            }
        }
        for (i, h) in HelpGiven::ALL.iter().enumerate() {
            if help.contains(h) {
                self.0[FIRST_HELP + i] += 1;
            }
        }
    }

    fn encode(&self) -> Vec<u8> {
        self.0.iter().flat_map(|n| n.to_be_bytes()).collect()
    }

    fn decode(raw: &[u8]) -> Option<Counts> {
        if raw.len() != TALLY_LEN * 4 {
            return None;
        }
        let mut c = Counts::default();
        for (n, b) in c.0.iter_mut().zip(raw.chunks_exact(4)) {
            *n = u32::from_be_bytes(b.try_into().ok()?);
        }
        Some(c)
    }

    fn tally(&self) -> NoteTally {
        let at = |i: usize| self.0[i];
        NoteTally {
            notes: at(NOTES),
            unreadable: at(UNREADABLE),
            anonymous: at(ANONYMOUS),
            with_topics: at(WITH_TOPICS),
            with_help: at(WITH_HELP),
            journalised: at(JOURNALISED),
            follow_ups_done_on_time: at(FOLLOW_UP_ON_TIME),
            follow_ups_done_late: at(FOLLOW_UP_LATE),
            follow_ups_open: at(FOLLOW_UP_OPEN),
            topics: Topic::ALL.iter().enumerate().map(|(i, t)| (*t, at(FIRST_TOPIC + i))).collect(),
            help_given: HelpGiven::ALL.iter().enumerate().map(|(i, h)| (*h, at(FIRST_HELP + i))).collect(),
        }
    }
}

fn open_tally(conn: &Connection, keys: &mut Keyring, date: &str, sealed: &[u8]) -> CoreResult<Counts> {
    let general = keys.general_key_id();
    let raw = keys.open(conn, general, Aad::new(TALLIES, date, "counts"), Bound::NONE, sealed)?;
    Counts::decode(&raw).ok_or(CoreError::Tampered)
}

/// Adds `add` to the tally of `date`, sealed anew.
fn merge_tally(conn: &Connection, keys: &mut Keyring, date: &str, add: &Counts) -> CoreResult<()> {
    let existing: Option<Vec<u8>> =
        conn.query_row("SELECT counts FROM note_tallies WHERE on_date = ?1", [date], |r| r.get(0)).optional()?;
    let mut tally = match existing {
        Some(sealed) => match open_tally(conn, keys, date, &sealed) {
            Ok(t) => t,
            // A tally edited behind the app's back cannot be added to; it is started anew
            // rather than let it stop every later purge (the notes must go either way).
            Err(CoreError::Tampered) => {
                log::warn!("a day's tally of purged notes did not open; it is started anew");
                Counts::default()
            }
            Err(e) => return Err(e),
        },
        None => Counts::default(),
    };
    tally.add(add);
    let general = keys.general_key_id();
    let sealed = keys.seal(conn, general, Aad::new(TALLIES, date, "counts"), Bound::NONE, &tally.encode())?;
    conn.execute(
        "INSERT INTO note_tallies (on_date, counts) VALUES (?1, ?2) ON CONFLICT (on_date) DO UPDATE SET counts = excluded.counts",
        params![date, sealed],
    )?;
    Ok(())
}

/// Purges journalised notes older than the period, in the caller's transaction. Returns
/// (purged, of which unreadable).
fn purge_notes(conn: &Connection, keys: &mut Keyring, now: DateTime<Utc>, days: u32) -> CoreResult<(u32, u32)> {
    let cutoff = days_before(now, days);
    let zone = parse_zone(DEFAULT_TIME_ZONE)?;
    let due: Vec<(notes::Header, Vec<u8>, i64)> = {
        let mut stmt = conn.prepare(DUE_NOTES)?;
        let mut rows = stmt.query([cutoff])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let h = notes::Header {
                id: r.get(0)?,
                citizen_id: r.get(1)?,
                key_id: r.get::<_, i64>(2)? as u64,
                state: NoteState::Journalised,
                occurred_at: r.get(4)?,
                amendment_count: r.get(5)?,
            };
            out.push((h, r.get(6)?, r.get(7)?));
        }
        out
    };
    let local_date =
        |t: i64| -> CoreResult<String> { Ok(date_to_sql(from_millis(t)?.with_timezone(&zone).date_naive())) };
    let mut by_date: BTreeMap<String, Counts> = BTreeMap::new();
    let mut unreadable = 0;
    for (h, sealed, journalised_at) in &due {
        let contents = match notes::open_details(conn, keys, h, sealed) {
            Ok(d) => Some(d),
            Err(CoreError::Tampered) => {
                unreadable += 1;
                None
            }
            Err(e) => return Err(e),
        };
        let on = by_date.entry(local_date(h.occurred_at)?).or_default();
        on.conversation(
            h.citizen_id.is_none(),
            contents.as_ref().map(|d| (d.topics.as_slice(), d.help_given.as_slice())),
        );
        by_date.entry(local_date(*journalised_at)?).or_default().0[JOURNALISED] += 1;
        // Follow-ups count on their due dates, as the report counts them.
        let follow_ups: Vec<(Option<String>, Option<i64>)> = {
            let mut stmt = conn.prepare_cached("SELECT due_date, done_at FROM follow_ups WHERE note_id = ?1")?;
            let rows = stmt.query_map([&h.id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        for (due_date, done_at) in follow_ups {
            let Some(due_date) = due_date else { continue };
            let slot = match done_at {
                Some(done) if local_date(done)? <= due_date => FOLLOW_UP_ON_TIME,
                Some(_) => FOLLOW_UP_LATE,
                None => FOLLOW_UP_OPEN,
            };
            by_date.entry(due_date).or_default().0[slot] += 1;
        }
        // Amendments and follow-ups go by cascade, ledger entries by trigger.
        conn.prepare_cached("DELETE FROM notes WHERE id = ?1")?.execute([&h.id])?;
    }
    for (date, tally) in &by_date {
        merge_tally(conn, keys, date, tally)?;
    }
    Ok((due.len() as u32, unreadable))
}

/// Reduces appointments that ended before the period to anonymous counts, in the caller's
/// transaction. Returns how many.
/// An appointment to reduce: id, citizen, key, sealed kind.
type Owned = (String, String, Option<i64>, Option<Vec<u8>>);

fn reduce_appointments(conn: &Connection, keys: &mut Keyring, now: DateTime<Utc>, days: u32) -> CoreResult<u32> {
    let cutoff = days_before(now, days);
    let due: Vec<Owned> = {
        let mut stmt = conn.prepare(DUE_APPOINTMENTS)?;
        let rows = stmt.query_map([cutoff], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    for (id, citizen_id, key_id, sealed) in &due {
        // The kind stays (under the general key), bound now to no owner. A kind whose entry
        // does not verify is not re-blessed: it stays unreadable.
        if let Some(sealed) = sealed {
            let old = [ValueRef::Text(citizen_id.as_bytes()), key_id.map_or(ValueRef::Null, ValueRef::Integer)];
            let new = [ValueRef::Null, ValueRef::Null];
            match keys.rebind(conn, &Aad::new("appointments", id, "sealed"), Bound(&old), Bound(&new), sealed) {
                Ok(()) | Err(CoreError::Tampered) => {}
                Err(e) => return Err(e),
            }
        }
        outbox::forget(conn, id, now)?;
        conn.execute(
            "UPDATE appointments SET citizen_id = NULL, key_id = NULL, outside_place = NULL, updated_at = ?2 WHERE id = ?1",
            params![id, millis(now)],
        )?;
    }
    Ok(due.len() as u32)
}

fn flagged(conn: &Connection, now: DateTime<Utc>, days: u32) -> CoreResult<u32> {
    let cutoff = days_before(now, days);
    Ok(conn
        .query_row("SELECT count(*) FROM notes WHERE state = 'final' AND finalized_at <= ?1", [cutoff], |r| r.get(0))?)
}

impl Vault {
    /// Applies the retention settings now (it also runs at every unlock): purges, reduces,
    /// and counts the final notes to flag. Audited when anything was purged or reduced.
    pub fn run_retention(&self) -> CoreResult<RetentionReport> {
        let settings = self.retention_settings()?;
        self.with_session(|ctx| {
            let now = ctx.now;
            let keys = &mut *ctx.keys;
            let (mut report, rotation) = store::write_tx(ctx.conn, |tx| {
                let (purged, unreadable) = purge_notes(tx, keys, now, settings.purge_after_days)?;
                let reduced = reduce_appointments(tx, keys, now, settings.reduce_appointments_after_days)?;
                let mut events = Vec::new();
                if purged > 0 {
                    events.push(Event::counted(AuditKind::NotesPurged, AuditObject::Note, purged as u64));
                }
                if reduced > 0 {
                    events.push(Event::counted(
                        AuditKind::AppointmentsReduced,
                        AuditObject::Appointment,
                        reduced as u64,
                    ));
                }
                let rotation = if events.is_empty() { None } else { Some(self.audit_tx(tx, now, &events)?) };
                let report = RetentionReport {
                    notes_purged: purged,
                    unreadable_purged: unreadable,
                    appointments_reduced: reduced,
                    final_notes_flagged: 0,
                };
                Ok((report, rotation))
            })?;
            if let Some(r) = rotation {
                self.finish_rotation(r);
                // What was purged must not linger in a WAL frame.
                store::checkpoint_truncate(ctx.conn)?;
                log::info!(
                    "retention: {} notes purged, {} appointments reduced",
                    report.notes_purged,
                    report.appointments_reduced
                );
            }
            report.final_notes_flagged = flagged(ctx.conn, now, settings.flag_final_after_days)?;
            Ok(report)
        })
    }

    /// Final notes waiting longer than `flag_final_after_days` to be journalised, oldest
    /// first, at most `limit`; with how many there are.
    pub fn overdue_final_notes(&self, limit: u32) -> CoreResult<(Vec<OverdueNote>, u32)> {
        if limit == 0 || limit > 1000 {
            return Err(CoreError::invalid("limit", "must be between 1 and 1000"));
        }
        let days = self.retention_settings()?.flag_final_after_days;
        self.with_session(|ctx| {
            let cutoff = days_before(ctx.now, days);
            let total = flagged(ctx.conn, ctx.now, days)?;
            let mut stmt = ctx.conn.prepare(
                "SELECT id, citizen_id, occurred_at, finalized_at FROM notes WHERE state = 'final' AND finalized_at <= ?1
                 ORDER BY finalized_at, id LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![cutoff, limit], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (note_id, citizen_id, occurred, finalized) = row?;
                out.push(OverdueNote {
                    note_id,
                    citizen_id,
                    occurred_at: from_millis(occurred)?,
                    finalized_at: from_millis(finalized)?,
                });
            }
            Ok((out, total))
        })
    }

    /// What stays of the notes purged from local dates `from..=to`, added up: for the
    /// evaluation's figures, beside the notes that are still there.
    pub fn purged_note_counts(&self, from: NaiveDate, to: NaiveDate) -> CoreResult<NoteTally> {
        let from = crate::time::check_date("from", from)?;
        let to = crate::time::check_date("to", to)?;
        if to < from {
            return Err(CoreError::invalid("to", "must not be before from"));
        }
        self.with_session(|ctx| {
            let mut total = Counts::default();
            for (_, day) in day_tallies(ctx.conn, ctx.keys, from, to)? {
                total.add(&day);
            }
            Ok(total.tally())
        })
    }
}

/// The tallies of local dates `from..=to`, one per date that has one, in date order.
fn day_tallies(
    conn: &Connection,
    keys: &mut Keyring,
    from: NaiveDate,
    to: NaiveDate,
) -> CoreResult<Vec<(NaiveDate, Counts)>> {
    let rows: Vec<(String, Vec<u8>)> = {
        let mut stmt = conn.prepare_cached(
            "SELECT on_date, counts FROM note_tallies WHERE on_date BETWEEN ?1 AND ?2 ORDER BY on_date",
        )?;
        let rows = stmt.query_map(params![date_to_sql(from), date_to_sql(to)], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    let mut out = Vec::with_capacity(rows.len());
    for (date, sealed) in rows {
        out.push((date_from_sql(&date)?, open_tally(conn, keys, &date, &sealed)?));
    }
    Ok(out)
}

/// The purged notes' tallies of local dates `from..=to`, one per date, for the report (which
/// needs the date to tell an overdue follow-up from one not yet due).
pub(crate) fn purged_by_date(
    conn: &Connection,
    keys: &mut Keyring,
    from: NaiveDate,
    to: NaiveDate,
) -> CoreResult<Vec<(NaiveDate, NoteTally)>> {
    Ok(day_tallies(conn, keys, from, to)?.into_iter().map(|(d, c)| (d, c.tally())).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Retention runs at every unlock: its look-ups must not read every note or appointment.
    #[test]
    fn the_lookups_at_unlock_use_their_indexes() {
        let conn = Connection::open_in_memory().unwrap();
        crate::store::migrations::migrate(&conn).unwrap();
        for (sql, index) in [(DUE_NOTES, "notes_journalised"), (DUE_APPOINTMENTS, "appointments_linked_by_end")] {
            let plan: Vec<String> = conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap()
                .query_map([0], |r| r.get(3))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            assert!(plan.iter().any(|p| p.contains(index)), "{plan:?}");
        }
    }
}
