//! The evaluation report checked against a reference: a vault is built, through the same
//! calls the phones make, from tables of expected counts (appointment blocks, notes,
//! follow-ups, survey forms); the expected figures are sums over those tables, computed
//! here without the core's code, and every figure and interval of the report is compared.
//! The intervals are recomputed here by a second formula (the quadratic's roots), and the
//! core's formulas are checked against the published tables in `report/stats.rs`.
//!
//! The same vault then gives the exports, which are scanned for every personal marker the
//! data holds.

mod common;

use brobygger_core::messages::Language;
use brobygger_core::report::{Cell, EvaluationFigures, EvaluationReport, Pct, Proportion, Shown};
use brobygger_core::*;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Copenhagen;
use common::*;
use std::collections::BTreeMap;
use std::sync::OnceLock;

// ---------------------------------------------------------------------------------------
// The tables.

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Pattern {
    /// No SMS consent: no reminders.
    NoSms,
    DayBefore,
    HoursBefore,
    Both,
    Confirmation,
    /// The one reminder was handed over and the app died: state `unknown`.
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Pool {
    NoneA,
    NoneB,
    NoneX,
    BothA,
    DayA,
    HoursB,
    ConfA,
    UnknownA,
    DeletedB,
    NotesOnly,
    CancelOnly,
    Old,
}

/// Citizens: (pool, how many, created on, reminder pattern).
type PoolSpec = (Pool, usize, (i32, u32, u32), Pattern);
const POOLS: &[PoolSpec] = &[
    (Pool::NoneA, 20, (2025, 12, 1), Pattern::NoSms),
    (Pool::NoneB, 15, (2025, 12, 1), Pattern::NoSms),
    (Pool::NoneX, 2, (2025, 12, 1), Pattern::NoSms),
    (Pool::BothA, 15, (2025, 12, 1), Pattern::Both),
    (Pool::DayA, 8, (2025, 12, 1), Pattern::DayBefore),
    (Pool::HoursB, 10, (2025, 12, 1), Pattern::HoursBefore),
    (Pool::ConfA, 2, (2026, 3, 1), Pattern::Confirmation),
    (Pool::UnknownA, 1, (2025, 12, 1), Pattern::Unknown),
    (Pool::DeletedB, 1, (2026, 1, 5), Pattern::NoSms),
    (Pool::NotesOnly, 5, (2026, 2, 1), Pattern::NoSms),
    (Pool::CancelOnly, 2, (2026, 4, 1), Pattern::NoSms),
    (Pool::Old, 2, (2025, 11, 1), Pattern::NoSms),
];

fn pattern_of(pool: Pool) -> Pattern {
    POOLS.iter().find(|p| p.0 == pool).map(|p| p.3).unwrap()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Venue {
    A,
    B,
    None,
}

/// A block of appointments of one pool, kind and venue in one month.
#[derive(Debug, Clone, Copy)]
struct Block {
    pool: Pool,
    kind: AppointmentKind,
    venue: Venue,
    year: i32,
    month: u32,
    attended: u32,
    no_show: u32,
    cancelled_by_citizen: u32,
    cancelled_by_worker: u32,
    open: u32,
    /// Attended / no-show with the outcome's time put before the start (older data).
    before_attended: u32,
    before_no_show: u32,
    /// Attended appointments that were rescheduled once first.
    rescheduled: u32,
    /// A fixed local start (day, hour, minute) for every appointment of the block.
    at: Option<(u32, u32, u32)>,
}

const fn block(
    pool: Pool,
    kind: AppointmentKind,
    venue: Venue,
    year: i32,
    month: u32,
    attended: u32,
    no_show: u32,
) -> Block {
    Block {
        pool,
        kind,
        venue,
        year,
        month,
        attended,
        no_show,
        cancelled_by_citizen: 0,
        cancelled_by_worker: 0,
        open: 0,
        before_attended: 0,
        before_no_show: 0,
        rescheduled: 0,
        at: None,
    }
}

/// Appointments with an outcome and no-shows per month of 2026, January first.
const STAT_NONE_A: [(u32, u32); 12] =
    [(12, 3), (12, 2), (12, 2), (9, 1), (9, 1), (9, 1), (9, 1), (9, 1), (9, 1), (9, 1), (9, 1), (12, 1)];
const CONV_NONE_B: [(u32, u32); 12] =
    [(8, 1), (8, 1), (8, 1), (6, 1), (6, 1), (6, 1), (6, 1), (6, 1), (6, 1), (6, 1), (6, 0), (8, 0)];
const STAT_BOTH_A: [(u32, u32); 12] =
    [(15, 1), (15, 0), (15, 0), (15, 0), (15, 1), (15, 0), (15, 0), (15, 0), (15, 1), (15, 0), (15, 0), (15, 0)];
const CONV_DAY_A: [(u32, u32); 12] =
    [(8, 0), (8, 0), (8, 1), (8, 0), (8, 0), (8, 0), (8, 0), (8, 0), (8, 1), (8, 0), (8, 0), (8, 0)];
const CONV_HOURS_B: [(u32, u32); 12] =
    [(10, 0), (10, 0), (10, 0), (10, 0), (10, 0), (10, 1), (10, 0), (10, 0), (10, 0), (10, 0), (10, 0), (10, 0)];

fn blocks() -> Vec<Block> {
    use AppointmentKind::*;
    let mut out = Vec::new();
    for (table, pool, kind, venue) in [
        (STAT_NONE_A, Pool::NoneA, StatutoryMeeting, Venue::A),
        (CONV_NONE_B, Pool::NoneB, Conversation, Venue::B),
        (STAT_BOTH_A, Pool::BothA, StatutoryMeeting, Venue::A),
        (CONV_DAY_A, Pool::DayA, Conversation, Venue::A),
        (CONV_HOURS_B, Pool::HoursB, Conversation, Venue::B),
    ] {
        for (i, (n, ns)) in table.iter().enumerate() {
            out.push(block(pool, kind, venue, 2026, i as u32 + 1, n - ns, *ns));
        }
    }
    for m in [3, 6, 9, 12] {
        out.push(block(Pool::ConfA, Conversation, Venue::A, 2026, m, 1, 0));
    }
    out.push(block(Pool::UnknownA, StatutoryMeeting, Venue::A, 2026, 6, 1, 1));
    for m in [2, 4, 6, 8, 10, 12] {
        out.push(block(Pool::NoneA, Accompaniment, Venue::A, 2026, m, 1, 0));
    }
    out.push(block(Pool::NoneX, HomeVisit, Venue::None, 2026, 5, 3, 0));
    out.push(block(Pool::DeletedB, GroupActivity, Venue::B, 2026, 7, 5, 1));
    out.push(Block {
        cancelled_by_citizen: 7,
        cancelled_by_worker: 3,
        ..block(Pool::CancelOnly, Conversation, Venue::A, 2026, 5, 0, 0)
    });
    out.push(Block { open: 4, ..block(Pool::NoneB, Conversation, Venue::B, 2026, 12, 0, 0) });
    out.push(Block {
        before_attended: 3,
        before_no_show: 2,
        ..block(Pool::NoneA, StatutoryMeeting, Venue::A, 2026, 8, 0, 0)
    });
    out.push(Block { rescheduled: 1, ..block(Pool::NoneA, Conversation, Venue::A, 2026, 10, 1, 0) });
    // The period's edges, in local time: the last evening counts, the first night after does not.
    out.push(Block { at: Some((31, 23, 0)), ..block(Pool::NoneB, Conversation, Venue::B, 2026, 12, 1, 0) });
    out.push(Block { at: Some((1, 0, 30)), ..block(Pool::NoneB, Conversation, Venue::B, 2027, 1, 1, 0) });
    // Outside the period.
    out.push(block(Pool::Old, StatutoryMeeting, Venue::A, 2025, 12, 4, 1));
    out.push(Block { at: Some((5, 10, 0)), ..block(Pool::NoneA, StatutoryMeeting, Venue::A, 2027, 1, 2, 0) });
    out
}

/// A note of a conversation.
#[derive(Debug, Clone)]
struct NoteSpec {
    /// Local time of the conversation.
    at: NaiveDateTime,
    /// `None`: anonymous.
    citizen: Option<(Pool, usize)>,
    topics: Vec<Topic>,
    help: Vec<HelpGiven>,
    /// 0 draft, 1 final, 2 journalised (with the note, half an hour after the conversation).
    state: u8,
    /// (due date, done: local date and time) of follow-ups.
    follow_ups: Vec<(Option<NaiveDate>, Option<NaiveDateTime>)>,
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn dt(y: i32, m: u32, day: u32, h: u32, min: u32) -> NaiveDateTime {
    d(y, m, day).and_hms_opt(h, min, 0).unwrap()
}

fn notes() -> Vec<NoteSpec> {
    use HelpGiven::*;
    use Topic::*;
    let mut out = Vec::new();
    for i in 0..120usize {
        let month = 1 + (i % 12) as u32;
        let at = dt(2026, month, 3 + (i / 12) as u32, 10 + (i % 5) as u32, 0);
        let mut topics = Vec::new();
        if i < 100 {
            if i < 88 {
                topics.push(FinancesHousing);
            } else {
                topics.push(JobEducationRehabilitation);
            }
            if i % 10 < 3 {
                topics.push(MentalHealth);
            }
            if (5..8).contains(&(i % 10)) {
                topics.push(PhysicalHealth);
            }
            if i < 31 {
                topics.push(AlcoholDrugs);
            }
            if i % 20 == 7 {
                topics.push(Other);
            }
        }
        let mut help = Vec::new();
        if i < 100 {
            for (h, has) in [
                (AdviceOnSupport, i < 40),
                (ActionPlan, i % 10 == 1),
                (Forms, i % 4 == 0),
                (FinancesOverview, i % 5 == 2),
                (Accompaniment, i % 20 == 3),
                (HealthSubstanceAdvice, [4, 9, 14].contains(&(i % 20))),
                (HelpIntoTreatment, (1..=3).contains(&i)),
                (DailyLifeSupport, [0, 6, 8].contains(&(i % 10))),
            ] {
                if has {
                    help.push(h);
                }
            }
        }
        let citizen = if i >= 105 {
            None
        } else if i % 2 == 0 && month >= 3 {
            Some((Pool::NotesOnly, (i / 2) % 5))
        } else {
            Some((Pool::BothA, i % 15))
        };
        let mut follow_ups = Vec::new();
        if i < 20 {
            let due = d(2026, month, 15);
            follow_ups.push((Some(due), Some(due.and_hms_opt(12, 0, 0).unwrap())));
        } else if i < 26 {
            let due = d(2026, month, 15);
            follow_ups.push((Some(due), Some((due + Duration::days(3)).and_hms_opt(9, 0, 0).unwrap())));
        } else if i < 30 {
            follow_ups.push((Some(d(2026, 12, 10 + (i - 26) as u32)), None));
        } else if i < 33 {
            follow_ups.push((None, None));
        } else if i < 35 {
            follow_ups.push((Some(d(2027, 2, 1)), None));
        }
        out.push(NoteSpec { at, citizen, topics, help, state: (i % 3) as u8, follow_ups });
    }
    // The last evening of the period: the conversation counts, its journalising (after
    // midnight) does not.
    out.push(NoteSpec {
        at: dt(2026, 12, 31, 23, 40),
        citizen: Some((Pool::BothA, 0)),
        topics: vec![],
        help: vec![],
        state: 2,
        follow_ups: vec![],
    });
    // Outside the period (a follow-up due in it counts, whenever its note was written).
    for (at, who) in [
        (dt(2025, 12, 10, 10, 0), Pool::Old),
        (dt(2025, 12, 11, 10, 0), Pool::Old),
        (dt(2027, 1, 2, 10, 0), Pool::NoneA),
    ] {
        let follow_ups =
            if at.year() == 2025 { vec![(Some(d(2026, 6, 1)), Some(dt(2026, 6, 1, 12, 0)))] } else { vec![] };
        out.push(NoteSpec {
            at,
            citizen: Some((who, 0)),
            topics: vec![Topic::MentalHealth],
            help: vec![HelpGiven::Forms],
            state: 2,
            follow_ups,
        });
    }
    // A citizen deleted at the end: their notes go with them.
    for k in 0..3u32 {
        out.push(NoteSpec {
            at: dt(2026, 7, 10 + k, 11, 0),
            citizen: Some((Pool::DeletedB, 0)),
            topics: vec![Topic::AlcoholDrugs],
            help: vec![HelpGiven::HelpIntoTreatment],
            state: 2,
            follow_ups: vec![(Some(d(2026, 8, 1)), None)],
        });
    }
    out
}

/// Survey forms: (date, venue, answers). Per statement (answered, agreeing) over the 100
/// forms of 2026: (100, 95), (100, 96), (100, 96), (98, 97), (100, 98) — the evaluation's
/// 95, 96, 96, 99 and 98 %.
const SURVEY: [(u32, u32); 5] = [(100, 95), (100, 96), (100, 96), (98, 97), (100, 98)];

fn forms() -> Vec<(NaiveDate, Venue, [Option<u8>; 5])> {
    let mut out = Vec::new();
    for j in 0..100u32 {
        let date = d(2026, 1 + j % 12, 1 + j % 28);
        let venue = if j < 60 { Venue::A } else { Venue::B };
        let mut a = [None; 5];
        for (s, (answered, agree)) in SURVEY.iter().enumerate() {
            a[s] = if j < *agree {
                Some(4 + (j % 2) as u8)
            } else if j < *answered {
                Some(1 + (j % 3) as u8)
            } else {
                None
            };
        }
        out.push((date, venue, a));
    }
    for j in 0..3 {
        out.push((d(2027, 1, 2 + j), Venue::A, [Some(1); 5]));
    }
    out
}

// ---------------------------------------------------------------------------------------
// Building the vault.

const END: (i32, u32, u32) = (2027, 1, 15);

fn cph(t: NaiveDateTime) -> DateTime<Utc> {
    Copenhagen.from_local_datetime(&t).earliest().unwrap().with_timezone(&Utc)
}

struct Accept;
impl SmsSender for Accept {
    fn send(&self, _: &str, _: &str, _: &str) -> Result<SendOutcome, SenderFailure> {
        Ok(SendOutcome::Accepted)
    }
}

/// The app dies while the text is with the sender.
struct Dies;
impl SmsSender for Dies {
    fn send(&self, _: &str, _: &str, _: &str) -> Result<SendOutcome, SenderFailure> {
        panic!("the app was killed");
    }
}

#[derive(Debug, Clone)]
enum Ev {
    CreatePool(Pool),
    Book { appt: usize },
    Run,
    RunDies,
    Outcome { appt: usize },
    Cancel { appt: usize, by: CancelledBy },
    Reschedule { appt: usize },
    Note { note: usize },
    FollowUpDone { note: usize, k: usize },
}

/// One appointment to make.
#[derive(Debug, Clone)]
struct Appt {
    pool: Pool,
    member: usize,
    kind: AppointmentKind,
    venue: Venue,
    start: NaiveDateTime,
    /// Attended (true), no-show (false) or none (cancelled / open).
    outcome: Option<bool>,
    before_start: bool,
    rescheduled: bool,
}

struct World {
    f: Fixture,
    venue_a: Venue_,
    venue_b: Venue_,
    blocks: Vec<Block>,
    notes: Vec<NoteSpec>,
    forms: Vec<(NaiveDate, Venue, [Option<u8>; 5])>,
    /// Every personal value the data holds.
    markers: Vec<String>,
}

type Venue_ = brobygger_core::Venue;

fn rules(p: Pattern) -> Option<ReminderRules> {
    let base = ReminderRules {
        day_before_at: None,
        hours_before_minutes: None,
        confirmation_within_minutes: None,
        ..ReminderRules::default()
    };
    Some(match p {
        Pattern::NoSms => return None,
        Pattern::DayBefore => ReminderRules { day_before_at: NaiveTime::from_hms_opt(17, 0, 0), ..base },
        Pattern::HoursBefore => ReminderRules { hours_before_minutes: Some(120), ..base },
        Pattern::Both => {
            ReminderRules { day_before_at: NaiveTime::from_hms_opt(17, 0, 0), hours_before_minutes: Some(120), ..base }
        }
        Pattern::Confirmation => ReminderRules { confirmation_within_minutes: Some(24 * 60), ..base },
        Pattern::Unknown => ReminderRules { day_before_at: NaiveTime::from_hms_opt(16, 0, 0), ..base },
    })
}

fn build() -> World {
    let f = fixture();
    let v = &f.vault;
    let blocks = blocks();
    let notes = notes();
    let forms = forms();
    let mut markers = Vec::new();
    f.clock.set(cph(dt(2025, 10, 1, 9, 0)));
    v.set_auto_lock_minutes(240).unwrap();
    // The tables follow every note and appointment for a year and a half: nothing is purged
    // or reduced here (tests/lifecycle_retention.rs shows the figures survive a purge).
    v.set_retention_settings(brobygger_core::RetentionSettings {
        purge_after_days: 3650,
        reduce_appointments_after_days: 3650,
        ..Default::default()
    })
    .unwrap();
    v.set_worker_profile("Mette", "+45 61 22 33 44", WorkerRole::Caseworker).unwrap();
    let venue = |name: &str| {
        v.add_venue(NewVenue {
            name: name.into(),
            address: None,
            kind: VenueKind::Municipal,
            has_private_room: true,
            time_zone: None,
        })
        .unwrap()
    };
    let venue_a = venue("Borgercaféen");
    let venue_b = venue("Værestedet Perlen");

    // Appointments, one by one, from the blocks.
    let mut appts: Vec<Appt> = Vec::new();
    let mut attended_seen: BTreeMap<Pool, usize> = BTreeMap::new();
    let mut other_seen: BTreeMap<Pool, usize> = BTreeMap::new();
    for (b_i, b) in blocks.iter().enumerate() {
        let size = POOLS.iter().find(|p| p.0 == b.pool).unwrap().1;
        let mut outcomes: Vec<(Option<bool>, bool, bool, Option<CancelledBy>)> = Vec::new();
        outcomes.extend((0..b.attended - b.rescheduled).map(|_| (Some(true), false, false, None)));
        outcomes.extend((0..b.rescheduled).map(|_| (Some(true), false, true, None)));
        outcomes.extend((0..b.no_show).map(|_| (Some(false), false, false, None)));
        outcomes.extend((0..b.before_attended).map(|_| (Some(true), true, false, None)));
        outcomes.extend((0..b.before_no_show).map(|_| (Some(false), true, false, None)));
        outcomes.extend((0..b.cancelled_by_citizen).map(|_| (None, false, false, Some(CancelledBy::Citizen))));
        outcomes.extend((0..b.cancelled_by_worker).map(|_| (None, false, false, Some(CancelledBy::Worker))));
        outcomes.extend((0..b.open).map(|_| (None, false, false, None)));
        for (k, (outcome, before_start, rescheduled, _)) in outcomes.iter().enumerate() {
            // Attended appointments go round the pool first, so every member is met.
            let seen = if *outcome == Some(true) { &mut attended_seen } else { &mut other_seen };
            let n = seen.entry(b.pool).or_insert(0);
            let member = *n % size;
            *n += 1;
            let start = match b.at {
                Some((day, h, m)) => dt(b.year, b.month, day, h, m),
                None => dt(b.year, b.month, 2 + ((k * 7 + b_i * 3) % 26) as u32, 9 + ((k + b_i) % 7) as u32, 0),
            };
            appts.push(Appt {
                pool: b.pool,
                member,
                kind: b.kind,
                venue: b.venue,
                start,
                outcome: *outcome,
                before_start: *before_start,
                rescheduled: *rescheduled,
            });
        }
    }
    let cancels: Vec<Option<CancelledBy>> = blocks
        .iter()
        .flat_map(|b| {
            let mut c: Vec<Option<CancelledBy>> = Vec::new();
            c.extend((0..b.attended + b.no_show + b.before_attended + b.before_no_show).map(|_| None));
            c.extend((0..b.cancelled_by_citizen).map(|_| Some(CancelledBy::Citizen)));
            c.extend((0..b.cancelled_by_worker).map(|_| Some(CancelledBy::Worker)));
            c.extend((0..b.open).map(|_| None));
            c
        })
        .collect();
    assert_eq!(cancels.len(), appts.len());

    // The timeline: every event at its local time, run in order.
    let mut events: Vec<(NaiveDateTime, usize, Ev)> = Vec::new();
    let mut push = |t: NaiveDateTime, e: Ev| {
        let seq = events.len();
        events.push((t, seq, e));
    };
    for (pool, _, (y, m, day), _) in POOLS {
        push(dt(*y, *m, *day, 8, 0), Ev::CreatePool(*pool));
    }
    for (i, a) in appts.iter().enumerate() {
        let p = pattern_of(a.pool);
        // A confirmation goes at booking when the start is less than a day ahead.
        let book_at = if p == Pattern::Confirmation {
            a.start.date().and_hms_opt(8, 10, 0).unwrap()
        } else {
            (a.start.date() - Duration::days(2)).and_hms_opt(12, 0, 0).unwrap()
        };
        push(book_at, Ev::Book { appt: i });
        if a.rescheduled {
            push((a.start.date() - Duration::days(1)).and_hms_opt(12, 0, 0).unwrap(), Ev::Reschedule { appt: i });
        }
        let eve = a.start.date() - Duration::days(1);
        match p {
            Pattern::DayBefore | Pattern::Both => push(eve.and_hms_opt(17, 1, 0).unwrap(), Ev::Run),
            Pattern::Unknown => push(eve.and_hms_opt(16, 1, 0).unwrap(), Ev::RunDies),
            Pattern::Confirmation => push(book_at + Duration::minutes(1), Ev::Run),
            _ => {}
        }
        if matches!(p, Pattern::HoursBefore | Pattern::Both) {
            let hb = (a.start - Duration::hours(2)).max(a.start.date().and_hms_opt(8, 0, 0).unwrap());
            push(hb + Duration::minutes(1), Ev::Run);
        }
        match (a.outcome, cancels[i]) {
            (Some(_), _) => push(a.start + Duration::hours(1), Ev::Outcome { appt: i }),
            (None, Some(by)) => push(book_at + Duration::minutes(1), Ev::Cancel { appt: i, by }),
            (None, None) => {}
        }
    }
    for (i, n) in notes.iter().enumerate() {
        push(n.at + Duration::minutes(30), Ev::Note { note: i });
        for (k, (_, done)) in n.follow_ups.iter().enumerate() {
            if let Some(t) = done {
                push(*t, Ev::FollowUpDone { note: i, k });
            }
        }
    }
    events.sort_by_key(|(t, seq, _)| (*t, *seq));

    let mut citizens: BTreeMap<Pool, Vec<Citizen>> = BTreeMap::new();
    let mut booked: Vec<Option<String>> = vec![None; appts.len()];
    let mut note_ids: Vec<Option<(String, Vec<String>)>> = vec![None; notes.len()];
    let mut phone = 20_304_000u32;
    let at = |t: NaiveDateTime| {
        f.clock.set(cph(t));
        if !v.is_unlocked() {
            v.unlock(PIN).unwrap();
        }
    };
    for (t, _, e) in events {
        at(t);
        match e {
            Ev::CreatePool(pool) => {
                let (_, size, _, pattern) = POOLS.iter().find(|p| p.0 == pool).unwrap();
                let mut list = Vec::new();
                for k in 0..*size {
                    let nickname = format!("MARKERNICK{pool:?}{k}");
                    let case_ref = format!("MARKERCASE{pool:?}{k}");
                    phone += 1;
                    let number = format!("{phone}");
                    markers.extend([nickname.clone(), case_ref.clone(), number.clone()]);
                    let c = v
                        .add_citizen(NewCitizen {
                            nickname,
                            phone: Some(number),
                            sms_consent: (*pattern != Pattern::NoSms).then_some(ConsentMethod::Verbal),
                            case_reference: Some(case_ref),
                            ..Default::default()
                        })
                        .unwrap();
                    if let Some(r) = rules(*pattern) {
                        v.set_citizen_reminder_rules(&c.id, Some(r)).unwrap();
                    }
                    markers.push(c.id.clone());
                    list.push(c);
                }
                citizens.insert(pool, list);
            }
            Ev::Book { appt } => {
                let a = &appts[appt];
                let place = (a.kind == AppointmentKind::Accompaniment).then(|| format!("MARKERPLACE{appt}"));
                markers.extend(place.clone());
                let start = if a.rescheduled { a.start - Duration::hours(1) } else { a.start };
                let b = v
                    .book_appointment(NewAppointment {
                        citizen_id: citizens[&a.pool][a.member].id.clone(),
                        venue_id: match a.venue {
                            Venue::A => Some(venue_a.id.clone()),
                            Venue::B => Some(venue_b.id.clone()),
                            Venue::None => None,
                        },
                        local_start: start,
                        duration_minutes: 45,
                        kind: a.kind,
                        outside_place: place,
                    })
                    .unwrap();
                booked[appt] = Some(b.appointment.id);
            }
            Ev::Reschedule { appt } => {
                let old = booked[appt].clone().unwrap();
                let b = v.reschedule_appointment(&old, appts[appt].start, None).unwrap();
                booked[appt] = Some(b.appointment.id);
            }
            Ev::Run => {
                v.run_outbox(&Accept, None).unwrap();
            }
            Ev::RunDies => {
                let hook = std::panic::take_hook();
                std::panic::set_hook(Box::new(|_| {}));
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| v.run_outbox(&Dies, None)));
                std::panic::set_hook(hook);
                assert!(r.is_err(), "the sender was reached");
            }
            Ev::Outcome { appt } => {
                let o = if appts[appt].outcome == Some(true) { Outcome::Attended } else { Outcome::NoShow };
                v.set_outcome(booked[appt].as_ref().unwrap(), o).unwrap();
            }
            Ev::Cancel { appt, by } => {
                v.cancel_appointment(booked[appt].as_ref().unwrap(), by).unwrap();
            }
            Ev::Note { note } => {
                let n = &notes[note];
                let text = format!("MARKERNOTE{note}");
                markers.push(text.clone());
                let saved = v
                    .create_note(NoteInput {
                        citizen_id: n.citizen.map(|(p, k)| citizens[&p][k].id.clone()),
                        text,
                        topics: n.topics.clone(),
                        help_given: n.help.clone(),
                        occurred_at: Some(cph(n.at)),
                    })
                    .unwrap();
                let mut fus = Vec::new();
                for (k, (due, _)) in n.follow_ups.iter().enumerate() {
                    let text = format!("MARKERFOLLOWUP{note}x{k}");
                    markers.push(text.clone());
                    let fu = v
                        .add_follow_up(&saved.id, FollowUpInput { text, due_date: *due, owner: WorkerRole::Caseworker })
                        .unwrap();
                    fus.push(fu.id);
                }
                if n.state >= 1 {
                    v.finalize_note(&saved.id).unwrap();
                }
                if n.state == 2 {
                    let r = format!("MARKERJOURNAL{note}");
                    markers.push(r.clone());
                    v.mark_journalised(&saved.id, &r).unwrap();
                }
                note_ids[note] = Some((saved.id, fus));
            }
            Ev::FollowUpDone { note, k } => {
                let (_, fus) = note_ids[note].as_ref().unwrap();
                v.set_follow_up_done(&fus[k], true).unwrap();
            }
        }
    }

    // The end: the day of the report.
    at(dt(END.0, END.1, END.2, 12, 0));
    for (date, venue, answers) in &forms {
        let id = if *venue == Venue::A { &venue_a.id } else { &venue_b.id };
        v.add_survey_answer(id, Some(*date), answers).unwrap();
    }
    v.delete_citizen(&citizens[&Pool::DeletedB][0].id).unwrap();
    // Older data: outcomes recorded before the start, which the core now refuses.
    let before: Vec<String> =
        appts.iter().zip(&booked).filter(|(a, _)| a.before_start).map(|(_, id)| id.clone().unwrap()).collect();
    assert_eq!(before.len(), 5);
    {
        let conn = rusqlite::Connection::open(f.dir.join("vault.db")).unwrap();
        for id in &before {
            let n =
                conn.execute("UPDATE appointments SET outcome_at = starts_at - 3600000 WHERE id = ?1", [id]).unwrap();
            assert_eq!(n, 1);
        }
    }
    // The reminder that went to a dying sender is unknown, no more, no less.
    let unknown: Vec<Reminder> = appts
        .iter()
        .zip(&booked)
        .filter(|(a, _)| a.pool == Pool::UnknownA)
        .flat_map(|(_, id)| v.list_reminders(id.as_deref()).unwrap())
        .collect();
    assert_eq!(unknown.len(), 2);
    assert!(unknown.iter().all(|r| r.state == ReminderState::Unknown), "{unknown:?}");
    markers.extend(["Mette".to_string(), "61223344".to_string()]);
    World { f, venue_a, venue_b, blocks, notes, forms, markers }
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(build)
}

// ---------------------------------------------------------------------------------------
// What the tables say the figures are (sums over the tables, without the core's code).

fn period() -> (NaiveDate, NaiveDate) {
    (d(2026, 1, 1), d(2026, 12, 31))
}

fn in_2026(b: &Block) -> bool {
    b.year == 2026
}

fn blocks_of(w: &World, venue: Option<Venue>) -> impl Iterator<Item = &Block> {
    w.blocks.iter().filter(move |b| in_2026(b) && venue.is_none_or(|v| b.venue == v))
}

/// Independent Wilson interval: the roots of the score test's quadratic.
fn wilson_roots(x: u32, n: u32) -> (f64, f64) {
    let z = 1.959_963_984_540_054f64;
    let (x, n) = (x as f64, n as f64);
    let root = z * (z * z + 4.0 * x * (n - x) / n).sqrt();
    let lo = (2.0 * x + z * z - root) / (2.0 * (n + z * z));
    let hi = (2.0 * x + z * z + root) / (2.0 * (n + z * z));
    (lo.max(0.0), hi.min(1.0))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn expected_proportion(w: &World, venue: Option<Venue>, keep: impl Fn(&Block) -> bool) -> Proportion {
    let (mut n, mut ns) = (0, 0);
    for b in blocks_of(w, venue).filter(|b| keep(b)) {
        n += b.attended + b.no_show;
        ns += b.no_show;
    }
    Proportion { events: ns, n }
}

fn check_proportion(what: &str, got: Proportion, want: Proportion) {
    assert_eq!(got, want, "{what}");
    if want.n > 0 {
        let (lo, hi) = wilson_roots(want.events, want.n);
        let i = got.wilson().unwrap();
        assert!(close(i.low, lo) && close(i.high, hi), "{what}: {i:?} vs ({lo}, {hi})");
    }
}

fn check_figures(w: &World, f: &EvaluationFigures, venue: Option<Venue>) {
    use AppointmentKind::*;
    let (from, to) = period();
    assert_eq!((f.from, f.to, f.as_of), (from, to, d(END.0, END.1, END.2)));
    // Appointments by kind and outcome.
    for k in &f.appointments {
        let of_kind: Vec<&Block> = blocks_of(w, venue).filter(|b| b.kind == k.kind).collect();
        let sum = |g: fn(&Block) -> u32| of_kind.iter().map(|b| g(b)).sum::<u32>();
        assert_eq!(k.attended, sum(|b| b.attended), "{:?} attended", k.kind);
        assert_eq!(k.no_show, sum(|b| b.no_show), "{:?} no-show", k.kind);
        assert_eq!(k.outcome_before_start, sum(|b| b.before_attended + b.before_no_show), "{:?}", k.kind);
        assert_eq!(k.cancelled_by_citizen, sum(|b| b.cancelled_by_citizen), "{:?}", k.kind);
        assert_eq!(k.cancelled_by_worker, sum(|b| b.cancelled_by_worker), "{:?}", k.kind);
        assert_eq!(k.open, sum(|b| b.open), "{:?}", k.kind);
    }
    assert_eq!(
        f.accompaniments(),
        blocks_of(w, venue).filter(|b| b.kind == Accompaniment).map(|b| b.attended).sum::<u32>()
    );
    // No-shows.
    let ns = &f.no_shows;
    let has = |b: &Block, p: &[Pattern]| p.contains(&pattern_of(b.pool));
    let sent = [Pattern::DayBefore, Pattern::HoursBefore, Pattern::Both, Pattern::Confirmation];
    check_proportion("overall", ns.overall, expected_proportion(w, venue, |_| true));
    check_proportion("statutory", ns.statutory, expected_proportion(w, venue, |b| b.kind == StatutoryMeeting));
    check_proportion("with", ns.with_reminder, expected_proportion(w, venue, |b| has(b, &sent)));
    let none_sent = [Pattern::NoSms, Pattern::Unknown];
    check_proportion("without", ns.without_reminder, expected_proportion(w, venue, |b| has(b, &none_sent)));
    check_proportion("unknown", ns.reminder_unknown, expected_proportion(w, venue, |b| has(b, &[Pattern::Unknown])));
    let by_kind = [
        (ReminderKind::Confirmation, vec![Pattern::Confirmation]),
        (ReminderKind::DayBefore, vec![Pattern::DayBefore, Pattern::Both]),
        (ReminderKind::HoursBefore, vec![Pattern::HoursBefore, Pattern::Both]),
    ];
    for ((kind, got), (want_kind, patterns)) in ns.by_reminder_kind.iter().zip(by_kind) {
        assert_eq!(*kind, want_kind);
        check_proportion(kind.as_str(), *got, expected_proportion(w, venue, |b| has(b, &patterns)));
    }
    assert_eq!(ns.outcome_before_start, blocks_of(w, venue).map(|b| b.before_attended + b.before_no_show).sum::<u32>());
    assert_eq!(ns.months.len(), 12);
    for m in &ns.months {
        check_proportion(
            &format!("month {}", m.month),
            m.overall,
            expected_proportion(w, venue, |b| b.month == m.month),
        );
        check_proportion(
            "month with",
            m.with_reminder,
            expected_proportion(w, venue, |b| b.month == m.month && has(b, &sent)),
        );
        check_proportion(
            "month without",
            m.without_reminder,
            expected_proportion(w, venue, |b| b.month == m.month && has(b, &none_sent)),
        );
    }
    // The difference, by Newcombe's method from the independent Wilson intervals.
    let (a, b) = (ns.with_reminder, ns.without_reminder);
    let (p1, p2) = (a.events as f64 / a.n as f64, b.events as f64 / b.n as f64);
    let ((l1, u1), (l2, u2)) = (wilson_roots(a.events, a.n), wilson_roots(b.events, b.n));
    let (dd, i) = ns.difference().unwrap();
    assert!(close(dd, p1 - p2));
    assert!(close(i.low, p1 - p2 - ((p1 - l1).powi(2) + (u2 - p2).powi(2)).sqrt()));
    assert!(close(i.high, p1 - p2 + ((u1 - p1).powi(2) + (p2 - l2).powi(2)).sqrt()));

    // Citizens met and new.
    let met_pools: &[Pool] = match venue {
        None => &[
            Pool::NoneA,
            Pool::NoneB,
            Pool::NoneX,
            Pool::BothA,
            Pool::DayA,
            Pool::HoursB,
            Pool::ConfA,
            Pool::UnknownA,
            Pool::NotesOnly,
        ],
        Some(Venue::A) => &[Pool::NoneA, Pool::BothA, Pool::DayA, Pool::ConfA, Pool::UnknownA],
        Some(_) => &[Pool::NoneB, Pool::HoursB],
    };
    let size = |p: &Pool| POOLS.iter().find(|x| x.0 == *p).unwrap().1 as u32;
    assert_eq!(f.citizens_met, met_pools.iter().map(size).sum::<u32>(), "citizens met");
    let created_2026 = |p: &&PoolSpec| p.2 .0 == 2026 && p.0 != Pool::DeletedB;
    let new: u32 = POOLS
        .iter()
        .filter(created_2026)
        .filter(|p| venue.is_none() || met_pools.contains(&p.0))
        .map(|p| p.1 as u32)
        .sum();
    assert_eq!(f.new_citizens, new, "new citizens");

    // Notes: all venues only.
    let Some(n) = &f.notes else {
        assert!(venue.is_some(), "notes are there for all venues");
        return;
    };
    assert!(venue.is_none(), "notes carry no venue");
    let counted: Vec<&NoteSpec> =
        w.notes.iter().filter(|s| s.at.year() == 2026 && s.citizen.is_none_or(|(p, _)| p != Pool::DeletedB)).collect();
    assert_eq!(n.conversations, counted.len() as u32);
    assert_eq!(n.anonymous_conversations, counted.iter().filter(|s| s.citizen.is_none()).count() as u32);
    assert_eq!(n.with_topics, counted.iter().filter(|s| !s.topics.is_empty()).count() as u32);
    for (t, c) in &n.topics {
        assert_eq!(*c, counted.iter().filter(|s| s.topics.contains(t)).count() as u32, "{t:?}");
    }
    assert_eq!(n.with_help, counted.iter().filter(|s| !s.help.is_empty()).count() as u32);
    for (h, c) in &n.help_given {
        assert_eq!(*c, counted.iter().filter(|s| s.help.contains(h)).count() as u32, "{h:?}");
    }
    // Journalised half an hour after the conversation, counted by that local date.
    let journalised = w
        .notes
        .iter()
        .filter(|s| s.state == 2 && s.citizen.is_none_or(|(p, _)| p != Pool::DeletedB))
        .filter(|s| (s.at + Duration::minutes(30)).year() == 2026)
        .count();
    assert_eq!(n.journalised, journalised as u32);
    let due: Vec<(NaiveDate, Option<NaiveDateTime>)> = w
        .notes
        .iter()
        .filter(|s| s.citizen.is_none_or(|(p, _)| p != Pool::DeletedB))
        .flat_map(|s| s.follow_ups.iter())
        .filter_map(|(due, done)| due.filter(|d| (from..=to).contains(d)).map(|d| (d, *done)))
        .collect();
    let fu = &n.follow_ups;
    assert_eq!(fu.done_on_time, due.iter().filter(|(d, done)| done.is_some_and(|t| t.date() <= *d)).count() as u32);
    assert_eq!(fu.done_late, due.iter().filter(|(d, done)| done.is_some_and(|t| t.date() > *d)).count() as u32);
    assert_eq!(fu.overdue, due.iter().filter(|(_, done)| done.is_none()).count() as u32);
    assert_eq!(fu.not_yet_due, 0);
    assert_eq!(n.unreadable, 0);
}

fn check_survey(w: &World, f: &EvaluationFigures, venue: Option<Venue>) {
    let forms: Vec<&(NaiveDate, Venue, [Option<u8>; 5])> =
        w.forms.iter().filter(|(date, v, _)| date.year() == 2026 && venue.is_none_or(|x| x == *v)).collect();
    assert_eq!(f.survey.responses, forms.len() as u32);
    for (s, t) in f.survey.statements.iter().enumerate() {
        assert_eq!(t.answered, forms.iter().filter(|x| x.2[s].is_some()).count() as u32);
        assert_eq!(t.agree(), forms.iter().filter(|x| x.2[s].is_some_and(|a| a >= 4)).count() as u32);
    }
    assert_eq!(f.survey.unreadable, 0);
}

#[test]
fn every_figure_for_all_venues_matches_the_tables() {
    let w = world();
    let (from, to) = period();
    let f = w.f.vault.evaluation_figures(from, to, None).unwrap();
    check_figures(w, &f, None);
    check_survey(w, &f, None);
    // The headline of the evaluation, as this vault has it.
    let ns = &f.no_shows;
    assert_eq!((ns.without_reminder.events, ns.without_reminder.n), (28, 219));
    assert_eq!((ns.reminder_unknown.events, ns.reminder_unknown.n), (1, 2));
    assert_eq!((ns.with_reminder.events, ns.with_reminder.n), (6, 400));
    let t: Vec<u32> = f.notes.as_ref().unwrap().topics.iter().map(|(_, n)| *n).collect();
    assert_eq!(
        t,
        vec![12, 30, 30, 31, 88, 5],
        "KORA's table: 12, 30, 30, 31 and 88 % of 100 conversations with topics"
    );
}

#[test]
fn every_figure_for_each_venue_matches_the_tables() {
    let w = world();
    let (from, to) = period();
    for (venue, id) in [(Venue::A, &w.venue_a.id), (Venue::B, &w.venue_b.id)] {
        let f = w.f.vault.evaluation_figures(from, to, Some(id)).unwrap();
        check_figures(w, &f, Some(venue));
        check_survey(w, &f, Some(venue));
        assert_eq!(f.venue.as_ref().map(|v| v.id.as_str()), Some(id.as_str()));
    }
}

fn cell<'a>(r: &'a EvaluationReport, table: &str, row: &str, column: &str) -> &'a Cell {
    let t = r.table(table).unwrap_or_else(|| panic!("table {table}"));
    let c = t.columns.iter().position(|c| c.code == column).unwrap_or_else(|| panic!("{table}.{column}"));
    let r = t.rows.iter().find(|r| r.code == row).unwrap_or_else(|| panic!("{table}: row {row}"));
    &r.cells[c]
}

#[test]
fn the_published_report_shows_the_figures_with_small_counts_hidden() {
    let w = world();
    let (from, to) = period();
    let r = w.f.vault.evaluation_report(from, to, None, Language::Da).unwrap();
    let f = w.f.vault.evaluation_figures(from, to, None).unwrap();
    assert!(!r.empty);
    assert_eq!(r.period, "1. januar 2026 – 31. december 2026");
    assert_eq!(r.venue, "Alle væresteder");
    assert_eq!(r.as_of_text, "Opgjort 15. januar 2027");
    // Topics as KORA showed them.
    for (code, share) in [
        ("job_education_rehabilitation", "12,0"),
        ("mental_health", "30,0"),
        ("physical_health", "30,0"),
        ("alcohol_drugs", "31,0"),
        ("finances_housing", "88,0"),
        ("other", "5,0"),
    ] {
        assert_eq!(cell(&r, "topics", code, "share").text(Language::Da), share, "{code}");
    }
    let bars: Vec<(String, Option<f64>)> = r.topics.iter().map(|b| (b.code.clone(), b.share.value())).collect();
    assert_eq!(bars[4], ("finances_housing".to_string(), Some(0.88)));
    // Help into treatment: 3 conversations, shown as "<5", its share hidden.
    assert_eq!(cell(&r, "help_given", "help_into_treatment", "conversations"), &Cell::Count(Shown::Small));
    assert_eq!(cell(&r, "help_given", "help_into_treatment", "share"), &Cell::Percent(Pct::Hidden));
    // Follow-ups: 4 overdue ("<5") takes the next smallest (6 done late) with it; the total stays.
    assert_eq!(cell(&r, "follow_ups", "overdue", "count"), &Cell::Count(Shown::Small));
    assert_eq!(cell(&r, "follow_ups", "done_late", "count"), &Cell::Count(Shown::Hidden));
    assert_eq!(cell(&r, "follow_ups", "done_on_time", "count"), &Cell::Count(Shown::Count(22)));
    assert_eq!(cell(&r, "follow_ups", "total", "count"), &Cell::Count(Shown::Count(32)));
    // No-shows: the rates and Wilson intervals, in per cent with one decimal.
    let ns = &f.no_shows;
    for (row, p) in [
        ("all", ns.overall),
        ("statutory_meeting", ns.statutory),
        ("with_reminder", ns.with_reminder),
        ("without_reminder", ns.without_reminder),
    ] {
        let (lo, hi) = wilson_roots(p.events, p.n);
        assert_eq!(cell(&r, "no_shows", row, "appointments_with_outcome"), &Cell::Count(Shown::Count(p.n)), "{row}");
        assert_eq!(cell(&r, "no_shows", row, "rate").number(), Some(p.events as f64 / p.n as f64), "{row}");
        assert!(close(cell(&r, "no_shows", row, "low").number().unwrap(), lo), "{row}");
        assert!(close(cell(&r, "no_shows", row, "high").number().unwrap(), hi), "{row}");
    }
    assert_eq!(cell(&r, "no_shows", "with_reminder", "rate").text(Language::Da), "1,5");
    assert_eq!(cell(&r, "no_shows", "without_reminder", "rate").text(Language::Da), "12,8");
    // The difference with and without, shown: both groups are large enough.
    let (dd, i) = ns.difference().unwrap();
    assert_eq!(cell(&r, "no_show_difference", "with_minus_without", "difference").number(), Some(dd));
    assert_eq!(cell(&r, "no_show_difference", "with_minus_without", "low").number(), Some(i.low));
    assert!(i.high < 0.0, "reminders make a difference here: {i:?}");
    // Month by month: a month with 1-4 no-shows hides them and its rate.
    for (m, p) in r.trend.iter().zip(&ns.months) {
        let small = (1..=4).contains(&p.overall.events);
        assert_eq!(m.no_shows == Shown::Small, small, "{}", m.label);
        let hidden = !m.no_shows.is_shown() || !m.n.is_shown();
        assert_eq!(m.rate.value().is_none(), hidden, "{}", m.label);
        assert_eq!(m.low.is_some(), !hidden);
    }
    // The statutory no-shows are one figure in two tables, shown alike.
    assert_eq!(
        cell(&r, "appointments", "statutory_meeting", "no_show"),
        cell(&r, "no_shows", "statutory_meeting", "no_shows")
    );
    // Survey: the evaluation's percentages.
    for (code, share) in [
        ("held_at_venue_positive", "95,0"),
        ("safe_and_at_ease", "96,0"),
        ("listened_to", "96,0"),
        ("about_what_mattered", "99,0"),
        ("right_time", "98,0"),
    ] {
        assert_eq!(cell(&r, "survey", code, "share_agreeing").text(Language::Da), share, "{code}");
    }
    assert_eq!(cell(&r, "survey", "about_what_mattered", "answers"), &Cell::Count(Shown::Count(98)));
    assert_eq!(cell(&r, "survey", "responses", "answers"), &Cell::Count(Shown::Count(100)));
    // Every count 1-4 anywhere is hidden.
    for t in &r.tables {
        for row in &t.rows {
            for c in &row.cells {
                if let Cell::Count(Shown::Count(n)) = c {
                    assert!(!(1..=4).contains(n), "{} {}: {n}", t.code, row.code);
                }
            }
        }
    }
}

#[test]
fn a_venue_report_leaves_out_what_notes_say_and_says_why() {
    let w = world();
    let (from, to) = period();
    let r = w.f.vault.evaluation_report(from, to, Some(&w.venue_b.id), Language::En).unwrap();
    assert_eq!(r.venue, "Værestedet Perlen");
    for code in ["topics", "help_given", "follow_ups"] {
        assert!(r.table(code).is_none(), "{code}");
    }
    assert!(r.topics.is_empty());
    assert!(r.notes.iter().any(|n| n.contains("Notes carry no drop-in centre")));
    let rows: Vec<&str> = r.table("activity").unwrap().rows.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(rows, vec!["citizens_met", "new_citizens", "accompaniments"]);
}

#[test]
fn no_export_holds_a_personal_marker() {
    let w = world();
    let (from, to) = period();
    assert!(w.markers.len() > 400, "{}", w.markers.len());
    let mut exports: Vec<(String, String)> = Vec::new();
    for lang in Language::ALL {
        for venue in [None, Some(w.venue_a.id.as_str()), Some(w.venue_b.id.as_str())] {
            let r = w.f.vault.evaluation_report(from, to, venue, lang).unwrap();
            exports.push((format!("html {lang:?} {venue:?}"), r.to_html()));
            for file in r.to_csv() {
                exports.push((format!("{} {lang:?} {venue:?}", file.name), file.content));
            }
            exports.push((format!("report {lang:?} {venue:?}"), format!("{r:?}")));
        }
    }
    for (name, content) in &exports {
        for m in &w.markers {
            assert!(!content.contains(m.as_str()), "{name} holds {m}");
        }
        // Not even a fragment of one.
        assert!(!content.contains("MARKER"), "{name}");
    }
    // The markers are in the data: the scan would see them.
    let note = w.f.vault.list_notes(None, Some(1), None).unwrap();
    assert!(note.items.iter().all(|n| n.snippet.contains("MARKER")));
}

/// Writes the reference report's exports to `$BROBYGGER_REPORT_DIR` (for looking at them,
/// and for the README's pictures): `cargo test -p brobygger-core --test report_reference --
/// --ignored write_the_exports`.
#[test]
#[ignore]
fn write_the_exports() {
    let dir = std::path::PathBuf::from(std::env::var("BROBYGGER_REPORT_DIR").expect("set BROBYGGER_REPORT_DIR"));
    let w = world();
    let (from, to) = period();
    for lang in Language::ALL {
        let r = w.f.vault.evaluation_report(from, to, None, lang).unwrap();
        let sub = dir.join(lang.as_str());
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join("report.html"), r.to_html()).unwrap();
        for f in r.to_csv() {
            std::fs::write(sub.join(&f.name), &f.content).unwrap();
        }
        assert!(sub.join("report.html").is_file());
    }
}
