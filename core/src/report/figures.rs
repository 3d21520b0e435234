//! The raw figures of a period: counts read from the vault in memory, nothing written,
//! nothing personal kept (ids are used only to count distinct citizens, then dropped).
//!
//! Definitions (what a team leader reads in the report's notes):
//! - a date belongs to the period by its local date: an appointment's at its venue, a note's
//!   conversation time, a citizen's creation and a note's journalising in Europe/Copenhagen;
//! - **citizens met**: distinct citizens with an attended appointment in the period (at the
//!   venue, when one is chosen), or, for all venues, a note of a conversation in the period.
//!   Deleted citizens cannot be told apart any more and are not counted here (their
//!   appointments still count in the no-show figures); nor can the citizens of notes purged
//!   and appointments reduced after the retention period;
//! - **new citizens**: created in the period (at a venue: and met there in the period);
//! - **conversations**: notes whose conversation took place in the period, drafts included;
//!   anonymous ones have no citizen; topics and help are counted per conversation, so one
//!   conversation counts under every topic it was about; notes purged after the retention
//!   period count through the tallies they leave (conversations, topics, help, journalising,
//!   follow-ups), so these figures do not change when notes are purged;
//! - **appointments**: those whose start is in the period; a rescheduled one counts once, as
//!   its new appointment;
//! - **no-shows**: only outcomes recorded after the appointment started count (the core refuses
//!   earlier ones; older data may have them, and they are counted apart). "With a reminder"
//!   means a reminder known to be sent or delivered; every other appointment is "without",
//!   including one whose only reminder may or may not have gone out (state `unknown`). That
//!   errs against finding an effect of reminders, never for it; and a separate small group of
//!   them would, once suppressed, force the hiding of the with/without figures themselves;
//! - **follow-ups**: those due in the period; done on time when done on or before the due date;
//!   overdue when not done and due before today.
//!
//! Notes carry no venue, so with a venue chosen the note figures are left out (`notes: None`)
//! rather than shown for all venues under a venue's name.

use super::stats::{self, Interval, Proportion};
use crate::appointments::{self, AppointmentKind, AppointmentStatus};
use crate::error::{CoreError, CoreResult};
use crate::ids;
use crate::notes::{self, HelpGiven, NoteState, Topic};
use crate::reminders::ReminderKind;
use crate::retention;
use crate::survey::{self, SurveyKey, SurveyTally};
use crate::time::local::local;
use crate::time::{date_from_sql, date_to_sql, from_millis, millis};
use crate::vault::{Ctx, Vault};
use crate::venues::{self, parse_zone, DEFAULT_TIME_ZONE};
use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use chrono_tz::Tz;
use rusqlite::{params, Connection};
use std::collections::{HashMap, HashSet};

/// The longest period a report covers: five years.
pub const MAX_PERIOD_MONTHS: u32 = 60;

/// Every appointment kind, in the order the report lists them.
pub const KINDS: [AppointmentKind; 5] = [
    AppointmentKind::Conversation,
    AppointmentKind::StatutoryMeeting,
    AppointmentKind::Accompaniment,
    AppointmentKind::HomeVisit,
    AppointmentKind::GroupActivity,
];

/// Every reminder kind, in the order the report lists them.
pub const REMINDER_KINDS: [ReminderKind; 3] =
    [ReminderKind::Confirmation, ReminderKind::DayBefore, ReminderKind::HoursBefore];

/// The venue a report is for (a public place: its name is not personal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportVenue {
    pub id: String,
    pub name: String,
}

/// Appointments of one kind by what became of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindCounts {
    pub kind: AppointmentKind,
    /// Attended, the outcome recorded after the start.
    pub attended: u32,
    /// No-show, the outcome recorded after the start.
    pub no_show: u32,
    /// Attended or no-show recorded before the start (older data): counted apart.
    pub outcome_before_start: u32,
    pub cancelled_by_citizen: u32,
    pub cancelled_by_worker: u32,
    /// Planned or confirmed: still ahead, or past with no outcome recorded.
    pub open: u32,
}

impl KindCounts {
    fn new(kind: AppointmentKind) -> Self {
        KindCounts {
            kind,
            attended: 0,
            no_show: 0,
            outcome_before_start: 0,
            cancelled_by_citizen: 0,
            cancelled_by_worker: 0,
            open: 0,
        }
    }

    pub fn total(&self) -> u32 {
        self.attended
            + self.no_show
            + self.outcome_before_start
            + self.cancelled_by_citizen
            + self.cancelled_by_worker
            + self.open
    }
}

/// Follow-ups due in the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FollowUpFigures {
    pub done_on_time: u32,
    pub done_late: u32,
    /// Not done, due before the report's day.
    pub overdue: u32,
    /// Not done, due on or after the report's day.
    pub not_yet_due: u32,
}

impl FollowUpFigures {
    pub fn due(&self) -> u32 {
        self.done_on_time + self.done_late + self.overdue + self.not_yet_due
    }
}

/// What the notes of the period say (for all venues only: notes carry no venue).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NoteFigures {
    pub conversations: u32,
    pub anonymous_conversations: u32,
    /// Conversations with at least one topic recorded: the base of the topics' shares.
    pub with_topics: u32,
    /// Conversations about each topic, in [`Topic::ALL`] order.
    pub topics: Vec<(Topic, u32)>,
    /// Conversations with at least one kind of help recorded.
    pub with_help: u32,
    /// Conversations in which each kind of help was given, in [`HelpGiven::ALL`] order.
    pub help_given: Vec<(HelpGiven, u32)>,
    /// Notes journalised in the period (whenever the conversation was).
    pub journalised: u32,
    pub follow_ups: FollowUpFigures,
    /// Notes whose topics and help could not be read (damaged): counted as conversations,
    /// without topics or help.
    pub unreadable: u32,
}

/// No-shows among appointments of one calendar month of the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthFigures {
    pub year: i32,
    pub month: u32,
    pub overall: Proportion,
    pub with_reminder: Proportion,
    pub without_reminder: Proportion,
}

/// No-shows (events) among appointments with an outcome recorded after the start (n).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoShowFigures {
    pub overall: Proportion,
    pub statutory: Proportion,
    /// At least one reminder sent or delivered.
    pub with_reminder: Proportion,
    /// No reminder known to be sent or delivered.
    pub without_reminder: Proportion,
    /// Of `without_reminder`: those with a reminder that may have gone out (state `unknown`).
    /// Not published on its own (see the module comment).
    pub reminder_unknown: Proportion,
    /// With a reminder of each kind sent (an appointment may have several), in
    /// [`REMINDER_KINDS`] order.
    pub by_reminder_kind: Vec<(ReminderKind, Proportion)>,
    /// Attended or no-show recorded before the start: not counted above.
    pub outcome_before_start: u32,
    /// Every calendar month the period touches, in order.
    pub months: Vec<MonthFigures>,
}

impl NoShowFigures {
    /// The no-show rate with a reminder minus without, with Newcombe's 95 % interval;
    /// `None` when either group is empty.
    pub fn difference(&self) -> Option<(f64, Interval)> {
        stats::difference(self.with_reminder, self.without_reminder)
    }
}

/// Everything the evaluation report counts, before suppression.
#[derive(Debug, Clone, PartialEq)]
pub struct EvaluationFigures {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub venue: Option<ReportVenue>,
    /// The report's day (today in Europe/Copenhagen): follow-ups due before it are overdue.
    pub as_of: NaiveDate,
    pub citizens_met: u32,
    pub new_citizens: u32,
    /// One row per kind, in [`KINDS`] order.
    pub appointments: Vec<KindCounts>,
    /// `None` when a venue is chosen (notes carry no venue).
    pub notes: Option<NoteFigures>,
    pub no_shows: NoShowFigures,
    pub survey: SurveyTally,
}

impl EvaluationFigures {
    /// Accompaniments carried out: attended appointments of that kind.
    pub fn accompaniments(&self) -> u32 {
        self.appointments.iter().filter(|k| k.kind == AppointmentKind::Accompaniment).map(|k| k.attended).sum()
    }

    /// True when nothing at all was recorded in the period.
    pub fn is_empty(&self) -> bool {
        self.citizens_met == 0
            && self.new_citizens == 0
            && self.appointments.iter().all(|k| k.total() == 0)
            && self.notes.as_ref().is_none_or(|n| n.conversations == 0 && n.journalised == 0 && n.follow_ups.due() == 0)
            && self.survey.responses == 0
            && self.survey.unreadable == 0
    }
}

/// Refuses a period that is back to front, outside the years the core accepts, or longer
/// than five years.
pub fn check_period(from: NaiveDate, to: NaiveDate) -> CoreResult<()> {
    crate::time::check_date("from", from)?;
    crate::time::check_date("to", to)?;
    if to < from {
        return Err(CoreError::invalid("to", "must not be before from"));
    }
    let too_long = CoreError::invalid("to", "the period may be at most five years");
    let limit = from.checked_add_months(Months::new(MAX_PERIOD_MONTHS)).ok_or(too_long.clone())?;
    if to >= limit {
        return Err(too_long);
    }
    Ok(())
}

/// The calendar months `from..=to` touches.
fn months_of(from: NaiveDate, to: NaiveDate) -> Vec<MonthFigures> {
    let mut out = Vec::new();
    let (mut y, mut m) = (from.year(), from.month());
    while (y, m) <= (to.year(), to.month()) {
        out.push(MonthFigures {
            year: y,
            month: m,
            overall: Proportion::default(),
            with_reminder: Proportion::default(),
            without_reminder: Proportion::default(),
        });
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

/// Which reminders of an appointment went out: a kind sent or delivered, or one that may have.
#[derive(Default, Clone, Copy)]
struct Reminded {
    sent: [bool; 3],
    unknown: bool,
}

fn kind_index(k: ReminderKind) -> usize {
    REMINDER_KINDS.iter().position(|x| *x == k).unwrap_or(0)
}

fn reminded(conn: &Connection, lo: DateTime<Utc>, hi: DateTime<Utc>) -> CoreResult<HashMap<String, Reminded>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.appointment_id, r.kind, r.state FROM reminders r JOIN appointments a ON a.id = r.appointment_id
         WHERE a.starts_at >= ?1 AND a.starts_at < ?2 AND r.state IN ('sent', 'delivered', 'unknown')",
    )?;
    let mut rows = stmt.query(params![millis(lo), millis(hi)])?;
    let mut out: HashMap<String, Reminded> = HashMap::new();
    while let Some(r) = rows.next()? {
        let kind = ReminderKind::parse(&r.get::<_, String>(1)?).ok_or(CoreError::Corrupt)?;
        let entry = out.entry(r.get(0)?).or_default();
        if r.get::<_, String>(2)? == "unknown" {
            entry.unknown = true;
        } else {
            entry.sent[kind_index(kind)] = true;
        }
    }
    Ok(out)
}

impl Vault {
    /// The evaluation's figures for `from..=to` (local dates), at `venue_id` or all venues,
    /// before suppression. For the published report use [`Vault::evaluation_report`].
    pub fn evaluation_figures(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        venue_id: Option<&str>,
    ) -> CoreResult<EvaluationFigures> {
        check_period(from, to)?;
        if let Some(v) = venue_id {
            ids::check_id("venue_id", v)?;
        }
        self.with_session(|ctx| gather(ctx, from, to, venue_id))
    }
}

fn gather(ctx: &mut Ctx<'_>, from: NaiveDate, to: NaiveDate, venue_id: Option<&str>) -> CoreResult<EvaluationFigures> {
    let conn: &Connection = ctx.conn;
    let venue = match venue_id {
        Some(v) => Some(ReportVenue { id: v.to_string(), name: venues::venue_name_and_zone(conn, v)?.0 }),
        None => None,
    };
    let home: Tz = parse_zone(DEFAULT_TIME_ZONE)?;
    let as_of = local(home, ctx.now).date();
    let in_period = |d: NaiveDate| from <= d && d <= to;
    let (lo, hi) = appointments::utc_window(from, to)?;

    // Appointments: kinds and outcomes, citizens met, no-shows.
    let list = appointments::query(
        conn,
        ctx.keys,
        "WHERE starts_at >= ?1 AND starts_at < ?2 AND status != 'rescheduled' AND (?3 IS NULL OR venue_id = ?3)",
        params![millis(lo), millis(hi), venue_id],
    )?;
    let sent = reminded(conn, lo, hi)?;
    let mut kinds: Vec<KindCounts> = KINDS.iter().map(|k| KindCounts::new(*k)).collect();
    let mut met: HashSet<String> = HashSet::new();
    let mut ns = NoShowFigures {
        overall: Proportion::default(),
        statutory: Proportion::default(),
        with_reminder: Proportion::default(),
        without_reminder: Proportion::default(),
        reminder_unknown: Proportion::default(),
        by_reminder_kind: REMINDER_KINDS.iter().map(|k| (*k, Proportion::default())).collect(),
        outcome_before_start: 0,
        months: months_of(from, to),
    };
    for a in list {
        let date = a.local_start.date();
        if !in_period(date) {
            continue;
        }
        let Some(row) = kinds.iter_mut().find(|k| k.kind == a.kind) else { continue };
        match a.status {
            AppointmentStatus::Attended | AppointmentStatus::NoShow => {
                let no_show = a.status == AppointmentStatus::NoShow;
                if !no_show {
                    if let Some(c) = &a.citizen_id {
                        met.insert(c.clone());
                    }
                }
                if a.outcome_at.is_none_or(|o| o < a.starts_at) {
                    row.outcome_before_start += 1;
                    ns.outcome_before_start += 1;
                    continue;
                }
                if no_show {
                    row.no_show += 1;
                } else {
                    row.attended += 1;
                }
                ns.overall.add(no_show);
                if a.kind == AppointmentKind::StatutoryMeeting {
                    ns.statutory.add(no_show);
                }
                let r = sent.get(&a.id).copied().unwrap_or_default();
                let mut month = ns.months.iter_mut().find(|m| (m.year, m.month) == (date.year(), date.month()));
                if let Some(m) = month.as_deref_mut() {
                    m.overall.add(no_show);
                }
                if r.sent.iter().any(|s| *s) {
                    ns.with_reminder.add(no_show);
                    if let Some(m) = month {
                        m.with_reminder.add(no_show);
                    }
                    for (i, (_, p)) in ns.by_reminder_kind.iter_mut().enumerate() {
                        if r.sent[i] {
                            p.add(no_show);
                        }
                    }
                } else {
                    ns.without_reminder.add(no_show);
                    if r.unknown {
                        ns.reminder_unknown.add(no_show);
                    }
                    if let Some(m) = month {
                        m.without_reminder.add(no_show);
                    }
                }
            }
            AppointmentStatus::CancelledByCitizen => row.cancelled_by_citizen += 1,
            AppointmentStatus::CancelledByWorker => row.cancelled_by_worker += 1,
            AppointmentStatus::Planned | AppointmentStatus::Confirmed => row.open += 1,
            AppointmentStatus::Rescheduled => {}
        }
    }

    let notes = match venue_id {
        None => Some(note_figures(ctx, home, lo, hi, from, to, as_of, &mut met)?),
        Some(_) => None,
    };
    let conn: &Connection = ctx.conn;

    // New citizens: created in the period (at a venue: and met there).
    let mut new_citizens = 0;
    {
        let mut stmt =
            conn.prepare_cached("SELECT id, created_at FROM citizens WHERE created_at >= ?1 AND created_at < ?2")?;
        let mut rows = stmt.query(params![millis(lo), millis(hi)])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let created = local(home, from_millis(r.get(1)?)?).date();
            if in_period(created) && (venue_id.is_none() || met.contains(&id)) {
                new_citizens += 1;
            }
        }
    }

    let key = SurveyKey::of(ctx.keys)?;
    let survey = survey::tally(conn, &key, from, to, venue_id)?;

    Ok(EvaluationFigures {
        from,
        to,
        venue,
        as_of,
        citizens_met: met.len() as u32,
        new_citizens,
        appointments: kinds,
        notes,
        no_shows: ns,
        survey,
    })
}

#[allow(clippy::too_many_arguments)]
fn note_figures(
    ctx: &mut Ctx<'_>,
    home: Tz,
    lo: DateTime<Utc>,
    hi: DateTime<Utc>,
    from: NaiveDate,
    to: NaiveDate,
    as_of: NaiveDate,
    met: &mut HashSet<String>,
) -> CoreResult<NoteFigures> {
    let conn: &Connection = ctx.conn;
    let in_period = |d: NaiveDate| from <= d && d <= to;
    let mut f = NoteFigures {
        topics: Topic::ALL.iter().map(|t| (*t, 0)).collect(),
        help_given: HelpGiven::ALL.iter().map(|h| (*h, 0)).collect(),
        ..Default::default()
    };
    {
        let mut stmt = conn.prepare_cached(
            "SELECT id, citizen_id, key_id, state, occurred_at, amendment_count, details FROM notes
             WHERE occurred_at >= ?1 AND occurred_at < ?2",
        )?;
        let mut rows = stmt.query(params![millis(lo), millis(hi)])?;
        while let Some(r) = rows.next()? {
            let occurred_at: i64 = r.get(4)?;
            if !in_period(local(home, from_millis(occurred_at)?).date()) {
                continue;
            }
            let h = notes::Header {
                id: r.get(0)?,
                citizen_id: r.get(1)?,
                key_id: r.get::<_, i64>(2)? as u64,
                state: NoteState::parse(&r.get::<_, String>(3)?).ok_or(CoreError::Corrupt)?,
                occurred_at,
                amendment_count: r.get(5)?,
            };
            f.conversations += 1;
            match &h.citizen_id {
                Some(c) => {
                    met.insert(c.clone());
                }
                None => f.anonymous_conversations += 1,
            }
            let sealed = r.get_ref(6)?.as_blob().map_err(|_| CoreError::Corrupt)?;
            let Ok(details) = notes::open_details(conn, ctx.keys, &h, sealed) else {
                f.unreadable += 1;
                continue;
            };
            if !details.topics.is_empty() {
                f.with_topics += 1;
            }
            for (t, n) in f.topics.iter_mut() {
                if details.topics.contains(t) {
                    *n += 1;
                }
            }
            if !details.help_given.is_empty() {
                f.with_help += 1;
            }
            for (h, n) in f.help_given.iter_mut() {
                if details.help_given.contains(h) {
                    *n += 1;
                }
            }
        }
    }
    {
        let mut stmt =
            conn.prepare_cached("SELECT journalised_at FROM notes WHERE journalised_at >= ?1 AND journalised_at < ?2")?;
        let mut rows = stmt.query(params![millis(lo), millis(hi)])?;
        while let Some(r) = rows.next()? {
            if in_period(local(home, from_millis(r.get(0)?)?).date()) {
                f.journalised += 1;
            }
        }
    }
    {
        let mut stmt =
            conn.prepare_cached("SELECT due_date, done_at FROM follow_ups WHERE due_date >= ?1 AND due_date <= ?2")?;
        let mut rows = stmt.query(params![date_to_sql(from), date_to_sql(to)])?;
        while let Some(r) = rows.next()? {
            let due = date_from_sql(&r.get::<_, String>(0)?)?;
            match r.get::<_, Option<i64>>(1)? {
                Some(done) if local(home, from_millis(done)?).date() <= due => f.follow_ups.done_on_time += 1,
                Some(_) => f.follow_ups.done_late += 1,
                None if due < as_of => f.follow_ups.overdue += 1,
                None => f.follow_ups.not_yet_due += 1,
            }
        }
    }
    // What stays of notes purged after the retention period counts the same way.
    for (date, t) in retention::purged_by_date(conn, ctx.keys, from, to)? {
        f.conversations += t.notes;
        f.anonymous_conversations += t.anonymous;
        f.unreadable += t.unreadable;
        f.with_topics += t.with_topics;
        f.with_help += t.with_help;
        for ((_, n), (_, add)) in f.topics.iter_mut().zip(&t.topics) {
            *n += add;
        }
        for ((_, n), (_, add)) in f.help_given.iter_mut().zip(&t.help_given) {
            *n += add;
        }
        f.journalised += t.journalised;
        f.follow_ups.done_on_time += t.follow_ups_done_on_time;
        f.follow_ups.done_late += t.follow_ups_done_late;
        if date < as_of {
            f.follow_ups.overdue += t.follow_ups_open;
        } else {
            f.follow_ups.not_yet_due += t.follow_ups_open;
        }
    }
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn periods_are_checked() {
        assert_eq!(check_period(d(2026, 1, 1), d(2026, 1, 1)), Ok(()));
        assert_eq!(check_period(d(2021, 1, 1), d(2025, 12, 31)), Ok(()), "five years to the day");
        assert_eq!(
            check_period(d(2021, 1, 1), d(2026, 1, 1)),
            Err(CoreError::InvalidInput { field: "to", reason: "the period may be at most five years" })
        );
        assert_eq!(
            check_period(d(2026, 2, 1), d(2026, 1, 31)),
            Err(CoreError::InvalidInput { field: "to", reason: "must not be before from" })
        );
        assert!(matches!(
            check_period(d(1800, 1, 1), d(1800, 2, 1)),
            Err(CoreError::InvalidInput { field: "from", .. })
        ));
        // Leap day: five years from 29 February 2024 ends before 1 March 2029.
        assert_eq!(check_period(d(2024, 2, 29), d(2029, 2, 27)), Ok(()));
        assert!(check_period(d(2024, 2, 29), d(2029, 2, 28)).is_err());
    }

    #[test]
    fn every_month_the_period_touches() {
        let m = months_of(d(2025, 11, 15), d(2026, 2, 3));
        let ym: Vec<(i32, u32)> = m.iter().map(|x| (x.year, x.month)).collect();
        assert_eq!(ym, vec![(2025, 11), (2025, 12), (2026, 1), (2026, 2)]);
        assert_eq!(months_of(d(2026, 5, 1), d(2026, 5, 31)).len(), 1);
        assert_eq!(months_of(d(2021, 1, 1), d(2025, 12, 31)).len(), 60);
    }
}
