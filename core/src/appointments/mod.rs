//! Appointments with citizens at venues or outside places: the records, the booking
//! warnings, outcomes and agendas. This module owns the `appointments` table.
//!
//! Booking plans reminders and cancelling cancels them: those actions span appointments and
//! reminders, so they are in `flows/booking.rs`, above both.
//!
//! What is plain and what is sealed: times, zone, status and venue are plain (the outbox and
//! the agenda index need them); the kind of appointment sits in `sealed`, under the general
//! key (so it outlives a deleted citizen as an anonymous count); an outside place (court,
//! doctor, treatment) is sealed under the citizen's key.

pub mod model;

pub use model::*;

use crate::citizens::{self, Nicknames};
use crate::crypto::Aad;
use crate::error::{CoreError, CoreResult};
use crate::ids;
use crate::text;
use crate::time::local::{self as localtime, Resolution};
use crate::time::{from_millis, millis};
use crate::vault::keyring::{Bound, Keyring};
use crate::vault::Vault;
use crate::venues::{self, holidays, parse_zone, DEFAULT_TIME_ZONE};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, Row};
use serde::{Deserialize, Serialize};

pub const MIN_DURATION_MINUTES: u32 = 5;
pub const MAX_DURATION_MINUTES: u32 = 12 * 60;
const PLACE: text::Rule = text::Rule {
    field: "outside_place",
    max: 120,
    multiline: false,
    allow_empty: false,
    too_long: "too long (at most 120 characters)",
};

/// What an appointment keeps sealed under the general key.
#[derive(Serialize, Deserialize)]
struct Sealed {
    kind: AppointmentKind,
}

const SELECT: &str = "SELECT id, citizen_id, key_id, venue_id, kind, starts_at, ends_at, time_zone, status,
    rescheduled_from, rescheduled_to, outside_place, created_at, updated_at, sealed, outcome_at,
    outcome_corrected_at, cancel_reason FROM appointments";

fn decode(conn: &Connection, keys: &mut Keyring, r: &Row<'_>) -> CoreResult<Appointment> {
    let id: String = r.get(0)?;
    let key_id: Option<i64> = r.get(2)?;
    let owner = [r.get_ref(1)?, r.get_ref(2)?];
    let tz_name: String = r.get(7)?;
    let tz = parse_zone(&tz_name).map_err(|_| CoreError::Corrupt)?;
    let starts_at = from_millis(r.get(5)?)?;
    let ends_at = from_millis(r.get(6)?)?;
    let outside_place = match (key_id, r.get::<_, Option<Vec<u8>>>(11)?) {
        (Some(k), Some(sealed)) => Some(keys.open_string(
            conn,
            k as u64,
            Aad::new("appointments", &id, "outside_place"),
            Bound(&owner),
            &sealed,
        )?),
        _ => None,
    };
    let kind = match (r.get::<_, Option<Vec<u8>>>(14)?, r.get::<_, Option<String>>(4)?) {
        (Some(sealed), _) => {
            let general = keys.general_key_id();
            let raw = keys.open(conn, general, Aad::new("appointments", &id, "sealed"), Bound(&owner), &sealed)?;
            serde_json::from_slice::<Sealed>(&raw).map_err(|_| CoreError::Tampered)?.kind
        }
        (None, Some(plain)) => AppointmentKind::parse(&plain).ok_or(CoreError::Corrupt)?,
        (None, None) => return Err(CoreError::Corrupt),
    };
    Ok(Appointment {
        citizen_id: r.get(1)?,
        venue_id: r.get(3)?,
        kind,
        local_start: localtime::local(tz, starts_at),
        local_end: localtime::local(tz, ends_at),
        starts_at,
        ends_at,
        time_zone: tz_name,
        status: AppointmentStatus::parse(&r.get::<_, String>(8)?).ok_or(CoreError::Corrupt)?,
        rescheduled_from: r.get(9)?,
        rescheduled_to: r.get(10)?,
        outside_place,
        created_at: from_millis(r.get(12)?)?,
        updated_at: from_millis(r.get(13)?)?,
        outcome_at: r.get::<_, Option<i64>>(15)?.map(from_millis).transpose()?,
        outcome_corrected_at: r.get::<_, Option<i64>>(16)?.map(from_millis).transpose()?,
        cancel_reason: r.get(17)?,
        id,
    })
}

pub(crate) fn load(conn: &Connection, keys: &mut Keyring, id: &str) -> CoreResult<Appointment> {
    ids::check_id("appointment_id", id)?;
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE id = ?1"))?;
    let mut rows = stmt.query([id])?;
    match rows.next()? {
        Some(r) => decode(conn, keys, r),
        None => Err(CoreError::NotFound { what: "appointment" }),
    }
}

/// Appointments matching `sql_where` (with `args`), in the order it gives.
pub(crate) fn query(
    conn: &Connection,
    keys: &mut Keyring,
    sql_where: &str,
    args: impl rusqlite::Params,
) -> CoreResult<Vec<Appointment>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} {sql_where}"))?;
    let mut rows = stmt.query(args)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(decode(conn, keys, r)?);
    }
    Ok(out)
}

/// The UTC window that holds every instant whose local date (in any zone, all within ±14 h
/// of UTC) lies in `first..=last`; callers keep the rows whose local date really is in range.
pub(crate) fn utc_window(first: NaiveDate, last: NaiveDate) -> CoreResult<(DateTime<Utc>, DateTime<Utc>)> {
    let first = crate::time::check_date("date", first)?;
    let last = crate::time::check_date("date", last)?;
    let from = first.and_time(NaiveTime::MIN).and_utc() - Duration::hours(14);
    let to = last.and_time(NaiveTime::MIN).and_utc() + Duration::hours(38);
    Ok((from, to))
}

/// Appointments whose local start falls in `first..=last` (superseded ones left out), by time.
pub(crate) fn between(
    conn: &Connection,
    keys: &mut Keyring,
    first: NaiveDate,
    last: NaiveDate,
) -> CoreResult<Vec<Appointment>> {
    let (from, to) = utc_window(first, last)?;
    let all = query(
        conn,
        keys,
        "WHERE starts_at >= ?1 AND starts_at < ?2 AND status != 'rescheduled' ORDER BY starts_at, id",
        params![millis(from), millis(to)],
    )?;
    Ok(all.into_iter().filter(|a| (first..=last).contains(&a.local_start.date())).collect())
}

/// Checks a booking as typed; returns the cleaned outside place.
pub(crate) fn check_new(new: &NewAppointment) -> CoreResult<Option<String>> {
    ids::check_id("citizen_id", &new.citizen_id)?;
    if let Some(v) = &new.venue_id {
        ids::check_id("venue_id", v)?;
    }
    crate::time::check_date("local_start", new.local_start.date())?;
    if !(MIN_DURATION_MINUTES..=MAX_DURATION_MINUTES).contains(&new.duration_minutes) {
        return Err(CoreError::invalid("duration_minutes", "must be between 5 minutes and 12 hours"));
    }
    let place = new
        .outside_place
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| text::clean(PLACE, p))
        .transpose()?;
    if new.kind == AppointmentKind::Accompaniment && place.is_none() {
        return Err(CoreError::invalid("outside_place", "an accompaniment needs the place it goes to"));
    }
    Ok(place)
}

/// Stores a new appointment (status planned), in the caller's transaction. Returns it and
/// how its local time was resolved (the DST rule in `time::local`).
pub(crate) fn insert(
    conn: &Connection,
    keys: &mut Keyring,
    new: &NewAppointment,
    place: Option<&str>,
    rescheduled_from: Option<&str>,
    now: DateTime<Utc>,
) -> CoreResult<(Appointment, Resolution)> {
    let key_id = citizens::key_of(conn, &new.citizen_id)?;
    let zone = match &new.venue_id {
        Some(v) => venues::venue_name_and_zone(conn, v)?.1,
        None => DEFAULT_TIME_ZONE.to_string(),
    };
    let tz = parse_zone(&zone)?;
    let (starts_at, resolution) = localtime::resolve(tz, new.local_start);
    let ends_at = starts_at + Duration::minutes(new.duration_minutes as i64);
    let id = ids::new_id()?;
    let owner = [ValueRef::Text(new.citizen_id.as_bytes()), ValueRef::Integer(key_id as i64)];
    let sealed_place = match place {
        Some(p) => Some(keys.seal(
            conn,
            key_id,
            Aad::new("appointments", &id, "outside_place"),
            Bound(&owner),
            p.as_bytes(),
        )?),
        None => None,
    };
    let json = serde_json::to_vec(&Sealed { kind: new.kind }).map_err(|_| CoreError::Internal { reason: "encode" })?;
    let general = keys.general_key_id();
    let sealed = keys.seal(conn, general, Aad::new("appointments", &id, "sealed"), Bound(&owner), &json)?;
    conn.execute(
        "INSERT INTO appointments (id, citizen_id, key_id, venue_id, sealed, starts_at, ends_at, time_zone, status,
            rescheduled_from, outside_place, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'planned', ?9, ?10, ?11, ?11)",
        params![
            id,
            new.citizen_id,
            key_id as i64,
            new.venue_id,
            sealed,
            millis(starts_at),
            millis(ends_at),
            zone,
            rescheduled_from,
            sealed_place,
            millis(now)
        ],
    )?;
    Ok((load(conn, keys, &id)?, resolution))
}

/// The warnings for a booked appointment (the reminders' `SmsHeld` is added by the caller).
pub(crate) fn warnings(
    conn: &Connection,
    keys: &mut Keyring,
    a: &Appointment,
    asked: NaiveDateTime,
    resolution: Resolution,
    now: DateTime<Utc>,
) -> CoreResult<Vec<BookingWarning>> {
    let mut w = Vec::new();
    if a.starts_at < now {
        w.push(BookingWarning::InPast);
    }
    let overlapping = query(
        conn,
        keys,
        "WHERE id != ?1 AND status IN ('planned', 'confirmed') AND starts_at < ?3 AND ends_at > ?2 ORDER BY starts_at, id",
        params![a.id, millis(a.starts_at), millis(a.ends_at)],
    )?;
    let mut names = Nicknames::default();
    for o in overlapping {
        let citizen = o.citizen_id.as_deref().and_then(|c| names.get(conn, keys, c));
        w.push(BookingWarning::Overlap {
            appointment_id: o.id,
            citizen,
            local_start: o.local_start,
            local_end: o.local_end,
        });
    }
    let date = a.local_start.date();
    if let Some(h) = holidays::holiday_on(date) {
        w.push(BookingWarning::Holiday { name_da: h.name_da, name_en: h.name_en });
    }
    if let Some((from, to)) = venues::absence_dates(conn)?.into_iter().find(|(f, t)| *f <= date && date <= *t) {
        w.push(BookingWarning::Absence { from, to });
    }
    if let Some(v) = &a.venue_id {
        let hours = venues::office_hours_of(conn, Some(v))?;
        let end = if a.local_end.date() > date {
            NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN)
        } else {
            a.local_end.time()
        };
        if !venues::within_office_hours(&hours, date, a.local_start.time(), end) {
            let that_day = hours
                .iter()
                .filter(|h| {
                    h.weekday == date.weekday()
                        && h.valid_from.is_none_or(|f| f <= date)
                        && h.valid_until.is_none_or(|u| date <= u)
                })
                .map(|h| (h.from, h.to))
                .collect();
            w.push(BookingWarning::OutsideOfficeHours { hours: that_day });
        }
    }
    match resolution {
        Resolution::Exact => {}
        Resolution::ShiftedOutOfGap => {
            w.push(BookingWarning::DstGap { asked: asked.time(), booked: a.local_start.time() })
        }
        Resolution::EarlierOfTwo => {
            let offset = (a.local_start - a.starts_at.naive_utc()).num_minutes() as i32;
            w.push(BookingWarning::DstAmbiguous { asked: asked.time(), utc_offset_minutes: offset })
        }
    }
    Ok(w)
}

/// Sets the status; `outcome` records the time of a first outcome, `correction` of a correction.
pub(crate) fn set_status(
    conn: &Connection,
    id: &str,
    status: AppointmentStatus,
    now: DateTime<Utc>,
    outcome: bool,
    correction: bool,
) -> CoreResult<()> {
    conn.execute(
        "UPDATE appointments SET status = ?2, updated_at = ?3,
            outcome_at = CASE WHEN ?4 THEN ?3 ELSE outcome_at END,
            outcome_corrected_at = CASE WHEN ?5 THEN ?3 ELSE outcome_corrected_at END
         WHERE id = ?1",
        params![id, status.as_str(), millis(now), outcome, correction],
    )?;
    Ok(())
}

/// An appointment still to happen, or `InvalidState` saying it is not.
pub(crate) fn active(conn: &Connection, keys: &mut Keyring, id: &str) -> CoreResult<Appointment> {
    let a = load(conn, keys, id)?;
    if !a.status.is_active() {
        return Err(CoreError::InvalidState { reason: "the appointment is no longer planned" });
    }
    Ok(a)
}

/// Before a citizen's key is destroyed: their future appointments are cancelled (reason
/// `citizen_deleted`), and all of them lose the link to the citizen, the key and the place,
/// staying only as anonymous counts for the no-show figures. Returns the ids of all of them
/// (the caller ends their reminders).
pub(crate) fn release_citizen(
    conn: &Connection,
    keys: &mut Keyring,
    citizen_id: &str,
    now: DateTime<Utc>,
) -> CoreResult<Vec<String>> {
    let all: Vec<(String, i64, Option<Vec<u8>>)> = {
        let mut stmt = conn.prepare_cached("SELECT id, key_id, sealed FROM appointments WHERE citizen_id = ?1")?;
        let rows = stmt.query_map([citizen_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    conn.execute(
        "UPDATE appointments SET status = 'cancelled_by_worker', cancel_reason = 'citizen_deleted', updated_at = ?2
         WHERE citizen_id = ?1 AND status IN ('planned', 'confirmed') AND starts_at > ?2",
        params![citizen_id, millis(now)],
    )?;
    for (id, key_id, sealed) in &all {
        // The kind stays (under the general key), bound now to no owner.
        if let Some(sealed) = sealed {
            let old = [ValueRef::Text(citizen_id.as_bytes()), ValueRef::Integer(*key_id)];
            let new = [ValueRef::Null, ValueRef::Null];
            keys.rebind(conn, &Aad::new("appointments", id, "sealed"), Bound(&old), Bound(&new), sealed)?;
        }
    }
    conn.execute(
        "UPDATE appointments SET citizen_id = NULL, key_id = NULL, outside_place = NULL, updated_at = ?2 WHERE citizen_id = ?1",
        params![citizen_id, millis(now)],
    )?;
    Ok(all.into_iter().map(|(id, _, _)| id).collect())
}

/// Seals the kind of appointments from before migration 9 (once, at the first unlock after it).
pub(crate) fn seal_legacy(conn: &Connection, keys: &mut Keyring) -> CoreResult<()> {
    let rows: Vec<(String, Option<String>, Option<i64>, String)> = {
        let mut stmt = conn.prepare(
            "SELECT id, citizen_id, key_id, kind FROM appointments WHERE sealed IS NULL AND kind IS NOT NULL",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    let general = keys.general_key_id();
    for (id, citizen_id, key_id, kind) in rows {
        let kind = AppointmentKind::parse(&kind).ok_or(CoreError::Corrupt)?;
        let owner = [
            citizen_id.as_deref().map_or(ValueRef::Null, |c| ValueRef::Text(c.as_bytes())),
            key_id.map_or(ValueRef::Null, ValueRef::Integer),
        ];
        let json = serde_json::to_vec(&Sealed { kind }).map_err(|_| CoreError::Internal { reason: "encode" })?;
        let sealed = keys.seal(conn, general, Aad::new("appointments", &id, "sealed"), Bound(&owner), &json)?;
        conn.execute("UPDATE appointments SET sealed = ?2, kind = NULL WHERE id = ?1", params![id, sealed])?;
    }
    Ok(())
}

impl Vault {
    pub fn get_appointment(&self, id: &str) -> CoreResult<Appointment> {
        self.with_session(|ctx| load(ctx.conn, ctx.keys, id))
    }

    /// Appointments whose local start falls on `date` (superseded ones left out), by time.
    pub fn agenda_day(&self, date: NaiveDate) -> CoreResult<Vec<Appointment>> {
        self.with_session(|ctx| between(ctx.conn, ctx.keys, date, date))
    }

    /// Monday to Sunday of the week holding `date`.
    pub fn agenda_week(&self, date: NaiveDate) -> CoreResult<Vec<Appointment>> {
        let date = crate::time::check_date("date", date)?;
        let monday = date - Duration::days(date.weekday().num_days_from_monday() as i64);
        self.with_session(|ctx| between(ctx.conn, ctx.keys, monday, monday + Duration::days(6)))
    }

    /// A citizen's appointments, oldest first.
    pub fn appointments_for_citizen(&self, citizen_id: &str) -> CoreResult<Vec<Appointment>> {
        self.with_session(|ctx| {
            citizens::key_of(ctx.conn, citizen_id)?;
            query(ctx.conn, ctx.keys, "WHERE citizen_id = ?1 ORDER BY starts_at, id", [citizen_id])
        })
    }

    /// Appointments that have ended but still have no outcome: the worker should record one.
    pub fn past_without_outcome(&self) -> CoreResult<Vec<Appointment>> {
        self.with_session(|ctx| {
            query(
                ctx.conn,
                ctx.keys,
                "WHERE status IN ('planned', 'confirmed') AND ends_at <= ?1 ORDER BY starts_at, id",
                [millis(ctx.now)],
            )
        })
    }
}
