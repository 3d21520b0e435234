//! Appointments with citizens at venues or outside places: booking with warnings,
//! rescheduling, cancelling, outcomes, agendas, and planning their reminders.

pub mod model;

pub use model::*;

use crate::citizens::{self, Citizen};
use crate::sms::SmsLanguage;
use crate::time::local as localtime;
use crate::time::{from_millis, millis};
use crate::crypto::Aad;
use crate::error::{CoreError, CoreResult};
use crate::ids;
use crate::reminders::outbox::{self, Hold, Payload};
use crate::reminders::planner::{self, ReminderKind};
use crate::sms::phone::PhoneKind;
use crate::sms::template::{self, TemplateKind};
use crate::store;
use crate::text;
use crate::vault::{keyring::Keyring, Vault};
use crate::venues::{self, holidays, parse_zone, DEFAULT_TIME_ZONE};
use crate::worker;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use localtime::Resolution;
use rusqlite::{params, Connection, Row};

pub const MIN_DURATION_MINUTES: u32 = 5;
pub const MAX_DURATION_MINUTES: u32 = 12 * 60;
const PLACE: text::Rule = text::Rule {
    field: "outside_place",
    max: 120,
    multiline: false,
    allow_empty: false,
    too_long: "too long (at most 120 characters)",
};

const SELECT: &str =
    "SELECT id, citizen_id, key_id, venue_id, kind, starts_at, ends_at, time_zone, status, rescheduled_from,
    rescheduled_to, outside_place, created_at, updated_at FROM appointments";

fn decode(conn: &Connection, keys: &mut Keyring, r: &Row<'_>) -> CoreResult<Appointment> {
    let id: String = r.get(0)?;
    let key_id: Option<i64> = r.get(2)?;
    let tz_name: String = r.get(7)?;
    let tz = parse_zone(&tz_name).map_err(|_| CoreError::Corrupt)?;
    let starts_at = from_millis(r.get(5)?)?;
    let ends_at = from_millis(r.get(6)?)?;
    let outside_place = match (key_id, r.get::<_, Option<Vec<u8>>>(11)?) {
        (Some(k), Some(sealed)) => {
            Some(keys.open_string(conn, k as u64, Aad::new("appointments", &id, "outside_place"), &sealed)?)
        }
        _ => None,
    };
    Ok(Appointment {
        citizen_id: r.get(1)?,
        venue_id: r.get(3)?,
        kind: AppointmentKind::parse(&r.get::<_, String>(4)?).ok_or(CoreError::Corrupt)?,
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

fn query(
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

fn warnings(conn: &Connection, a: &Appointment, now: DateTime<Utc>) -> CoreResult<Vec<Warning>> {
    let mut w = Vec::new();
    if a.starts_at < now {
        w.push(Warning::InPast);
    }
    let overlaps: i64 = conn.query_row(
        "SELECT count(*) FROM appointments WHERE id != ?1 AND status IN ('planned', 'confirmed') AND starts_at < ?3 AND ends_at > ?2",
        params![a.id, millis(a.starts_at), millis(a.ends_at)],
        |r| r.get(0),
    )?;
    if overlaps > 0 {
        w.push(Warning::Overlap);
    }
    let date = a.local_start.date();
    if holidays::holiday_on(date).is_some() {
        w.push(Warning::Holiday);
    }
    if venues::absences_of(conn)?.iter().any(|ab| ab.from <= date && date <= ab.to) {
        w.push(Warning::Absence);
    }
    if let Some(v) = &a.venue_id {
        let hours = venues::office_hours_of(conn, Some(v))?;
        let end = if a.local_end.date() > date {
            NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default()
        } else {
            a.local_end.time()
        };
        if !venues::within_office_hours(&hours, date, a.local_start.time(), end) {
            w.push(Warning::OutsideOfficeHours);
        }
    }
    Ok(w)
}

/// Plans and stores the reminders for `a`. `with_confirmation` is false when re-planning
/// (a confirmation belongs to the moment of booking only).
fn plan_reminders(
    vault: &Vault,
    conn: &Connection,
    keys: &mut Keyring,
    a: &Appointment,
    citizen: &Citizen,
    now: DateTime<Utc>,
    with_confirmation: bool,
) -> CoreResult<Result<Vec<String>, NoReminderReason>> {
    if !a.status.is_active() {
        return Ok(Err(NoReminderReason::NotActive));
    }
    if citizen.sms_consent.is_none() {
        return Ok(Err(NoReminderReason::NoSmsConsent));
    }
    let Some(phone) = &citizen.phone else { return Ok(Err(NoReminderReason::NoPhone)) };
    if phone.kind != PhoneKind::Mobile {
        return Ok(Err(NoReminderReason::NotMobile));
    }
    let Some(profile) = worker::load_profile(conn, keys)? else { return Ok(Err(NoReminderReason::NoWorkerProfile)) };
    let rules = match &citizen.reminder_rules {
        Some(r) => r.clone(),
        None => worker::load_rules(conn)?,
    };
    let tz = parse_zone(&a.time_zone).map_err(|_| CoreError::Corrupt)?;
    let sends: Vec<_> = planner::plan(&rules, tz, a.starts_at, now)
        .into_iter()
        .filter(|p| with_confirmation || p.kind != ReminderKind::Confirmation)
        .collect();
    if sends.is_empty() {
        return Ok(Err(NoReminderReason::NoneFitTheRules));
    }
    let place = match (&a.venue_id, &a.outside_place, a.kind, citizen.language) {
        (Some(v), _, _, _) => venues::load_venue(conn, v)?.name,
        (None, Some(p), _, _) => p.clone(),
        (None, None, AppointmentKind::HomeVisit, SmsLanguage::Da) => "hjemme hos dig".into(),
        (None, None, AppointmentKind::HomeVisit, SmsLanguage::En) => "at your home".into(),
        (None, None, _, SmsLanguage::Da) => "som aftalt".into(),
        (None, None, _, SmsLanguage::En) => "as agreed".into(),
    };
    let key = vault.outbox_key(conn, true)?.ok_or(CoreError::Internal { reason: "outbox key" })?;
    let mut ids = Vec::new();
    for send in sends {
        let kind =
            if send.kind == ReminderKind::Confirmation { TemplateKind::Confirmation } else { TemplateKind::Reminder };
        let tpl = worker::template(conn, citizen.language, kind)?;
        let text = template::render(
            &tpl,
            citizen.language,
            &template::Values {
                first_name: template::first_name(&citizen.nickname),
                local_start: a.local_start,
                place: &place,
                worker_name: &profile.name,
                worker_phone: &profile.phone_for_sms(),
            },
        )?;
        let check = crate::sms::check(&text);
        let hold = if !check.flags.is_empty() {
            Some(Hold::Lint)
        } else if check.segments > crate::sms::MAX_SEGMENTS {
            Some(Hold::TooLong)
        } else {
            None
        };
        let payload = Payload { number: phone.e164.clone(), text: check.normalized };
        ids.push(outbox::insert(conn, &key, &a.id, send.kind, send.send_at, &payload, hold, now)?);
    }
    Ok(Ok(ids))
}

/// Re-plans the reminders of a citizen's future appointments after their consent, number
/// or rules changed: what is pending is cancelled, and what the new settings allow is planned.
pub(crate) fn replan_citizen(
    vault: &Vault,
    conn: &Connection,
    keys: &mut Keyring,
    citizen: &Citizen,
    now: DateTime<Utc>,
    reason: &str,
) -> CoreResult<()> {
    let future = query(
        conn,
        keys,
        "WHERE citizen_id = ?1 AND status IN ('planned', 'confirmed') AND starts_at > ?2",
        params![citizen.id, millis(now)],
    )?;
    for a in future {
        outbox::cancel_pending(conn, &a.id, reason, now)?;
        plan_reminders(vault, conn, keys, &a, citizen, now, false)?.ok();
    }
    Ok(())
}

/// Before a citizen's key is destroyed: pending reminders are cancelled, every reminder
/// text and number destroyed, and their appointments kept only as anonymous counts.
pub(crate) fn forget_citizen(conn: &Connection, citizen_id: &str, now: DateTime<Utc>) -> CoreResult<()> {
    let ids: Vec<String> = {
        let mut stmt = conn.prepare_cached("SELECT id FROM appointments WHERE citizen_id = ?1")?;
        let rows = stmt.query_map([citizen_id], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    for id in &ids {
        outbox::cancel_pending(conn, id, "citizen_deleted", now)?;
        conn.execute("UPDATE reminders SET payload = NULL WHERE appointment_id = ?1", [id])?;
    }
    conn.execute(
        "UPDATE appointments SET citizen_id = NULL, key_id = NULL, outside_place = NULL, updated_at = ?2 WHERE citizen_id = ?1",
        params![citizen_id, millis(now)],
    )?;
    Ok(())
}

fn check_new(new: &NewAppointment) -> CoreResult<Option<String>> {
    ids::check_id("citizen_id", &new.citizen_id)?;
    if let Some(v) = &new.venue_id {
        ids::check_id("venue_id", v)?;
    }
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

/// Inserts the appointment and plans its reminders; the caller holds the transaction.
#[allow(clippy::too_many_arguments)]
fn book(
    vault: &Vault,
    conn: &Connection,
    keys: &mut Keyring,
    new: &NewAppointment,
    place: Option<String>,
    rescheduled_from: Option<&str>,
    now: DateTime<Utc>,
) -> CoreResult<Booking> {
    let citizen = citizens::load_in(conn, keys, &new.citizen_id)?;
    let key_id = citizens::key_of(conn, &new.citizen_id)?;
    let zone = match &new.venue_id {
        Some(v) => venues::load_venue(conn, v)?.time_zone,
        None => DEFAULT_TIME_ZONE.to_string(),
    };
    let tz = parse_zone(&zone)?;
    let (starts_at, resolution) = localtime::resolve(tz, new.local_start);
    let ends_at = starts_at + Duration::minutes(new.duration_minutes as i64);
    let id = ids::new_id()?;
    let sealed_place = match &place {
        Some(p) => Some(keys.seal(conn, key_id, Aad::new("appointments", &id, "outside_place"), p.as_bytes())?),
        None => None,
    };
    conn.execute(
        "INSERT INTO appointments (id, citizen_id, key_id, venue_id, kind, starts_at, ends_at, time_zone, status, rescheduled_from,
            outside_place, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'planned', ?9, ?10, ?11, ?11)",
        params![
            id,
            new.citizen_id,
            key_id as i64,
            new.venue_id,
            new.kind.as_str(),
            millis(starts_at),
            millis(ends_at),
            zone,
            rescheduled_from,
            sealed_place,
            millis(now)
        ],
    )?;
    let appointment = load(conn, keys, &id)?;
    let mut w = warnings(conn, &appointment, now)?;
    match resolution {
        Resolution::Exact => {}
        Resolution::ShiftedOutOfGap => w.push(Warning::DstGap),
        Resolution::EarlierOfTwo => w.push(Warning::DstAmbiguous),
    }
    let planned = plan_reminders(vault, conn, keys, &appointment, &citizen, now, true)?;
    let key = vault.outbox_key(conn, false)?;
    let (reminders, no_reminders) = match planned {
        Ok(ids) => {
            let all = outbox::for_appointment(conn, key.as_ref(), &id, now)?;
            debug_assert_eq!(all.len(), ids.len());
            (all, None)
        }
        Err(reason) => (Vec::new(), Some(reason)),
    };
    if reminders.iter().any(|r| r.hold.is_some()) {
        w.push(Warning::SmsHeld);
    }
    w.sort();
    w.dedup();
    Ok(Booking { appointment, warnings: w, reminders, no_reminders })
}

fn active(conn: &Connection, keys: &mut Keyring, id: &str) -> CoreResult<Appointment> {
    let a = load(conn, keys, id)?;
    if !a.status.is_active() {
        return Err(CoreError::InvalidState { reason: "the appointment is no longer planned" });
    }
    Ok(a)
}

fn set_status(
    conn: &Connection,
    id: &str,
    status: AppointmentStatus,
    now: DateTime<Utc>,
    outcome: bool,
) -> CoreResult<()> {
    conn.execute(
        "UPDATE appointments SET status = ?2, updated_at = ?3, outcome_at = CASE WHEN ?4 THEN ?3 ELSE outcome_at END WHERE id = ?1",
        params![id, status.as_str(), millis(now), outcome],
    )?;
    Ok(())
}

impl Vault {
    /// Books an appointment. Problems with the time are warnings, not errors; reminders are
    /// planned when the citizen can receive them, and the answer says why when not.
    pub fn book_appointment(&self, new: NewAppointment) -> CoreResult<Booking> {
        let place = check_new(&new)?;
        self.with_session(|ctx| {
            let now = ctx.now;
            let keys = &mut *ctx.keys;
            store::write_tx(ctx.conn, |tx| book(self, tx, keys, &new, place, None, now))
        })
    }

    /// Moves an appointment: the old one becomes `rescheduled` and links to a new one at
    /// `local_start` (same citizen, venue, kind, place); its pending reminders are cancelled
    /// and the new one's planned.
    pub fn reschedule_appointment(
        &self,
        id: &str,
        local_start: chrono::NaiveDateTime,
        duration_minutes: Option<u32>,
    ) -> CoreResult<Booking> {
        self.with_session(|ctx| {
            let now = ctx.now;
            let keys = &mut *ctx.keys;
            store::write_tx(ctx.conn, |tx| {
                let old = active(tx, keys, id)?;
                let citizen_id =
                    old.citizen_id.clone().ok_or(CoreError::InvalidState { reason: "the citizen has been deleted" })?;
                let new = NewAppointment {
                    citizen_id,
                    venue_id: old.venue_id.clone(),
                    local_start,
                    duration_minutes: duration_minutes
                        .unwrap_or(((old.ends_at - old.starts_at).num_minutes()).clamp(5, 720) as u32),
                    kind: old.kind,
                    outside_place: old.outside_place.clone(),
                };
                let place = check_new(&new)?;
                outbox::cancel_pending(tx, id, "rescheduled", now)?;
                let booking = book(self, tx, keys, &new, place, Some(id), now)?;
                set_status(tx, id, AppointmentStatus::Rescheduled, now, false)?;
                tx.execute(
                    "UPDATE appointments SET rescheduled_to = ?2 WHERE id = ?1",
                    params![id, booking.appointment.id],
                )?;
                Ok(booking)
            })
        })
    }

    /// Cancels an appointment and whatever reminders have not gone out.
    pub fn cancel_appointment(&self, id: &str, by: CancelledBy) -> CoreResult<Appointment> {
        let status = match by {
            CancelledBy::Citizen => AppointmentStatus::CancelledByCitizen,
            CancelledBy::Worker => AppointmentStatus::CancelledByWorker,
        };
        self.change_active(id, status, "appointment_cancelled", false)
    }

    /// Records whether the citizen came. Recording early cancels reminders still pending.
    pub fn set_outcome(&self, id: &str, outcome: Outcome) -> CoreResult<Appointment> {
        let status = match outcome {
            Outcome::Attended => AppointmentStatus::Attended,
            Outcome::NoShow => AppointmentStatus::NoShow,
        };
        self.change_active(id, status, "outcome_recorded", true)
    }

    /// The citizen confirmed they will come.
    pub fn confirm_appointment(&self, id: &str) -> CoreResult<Appointment> {
        self.with_session(|ctx| {
            let a = active(ctx.conn, ctx.keys, id)?;
            set_status(ctx.conn, &a.id, AppointmentStatus::Confirmed, ctx.now, false)?;
            load(ctx.conn, ctx.keys, id)
        })
    }

    fn change_active(
        &self,
        id: &str,
        status: AppointmentStatus,
        reason: &str,
        outcome: bool,
    ) -> CoreResult<Appointment> {
        self.with_session(|ctx| {
            let now = ctx.now;
            let keys = &mut *ctx.keys;
            store::write_tx(ctx.conn, |tx| {
                active(tx, keys, id)?;
                outbox::cancel_pending(tx, id, reason, now)?;
                set_status(tx, id, status, now, outcome)?;
                load(tx, keys, id)
            })
        })
    }

    pub fn get_appointment(&self, id: &str) -> CoreResult<Appointment> {
        self.with_session(|ctx| load(ctx.conn, ctx.keys, id))
    }

    /// Appointments whose local start falls on `date` (superseded ones left out), by time.
    pub fn agenda_day(&self, date: NaiveDate) -> CoreResult<Vec<Appointment>> {
        self.agenda(date, date)
    }

    /// Monday to Sunday of the week holding `date`.
    pub fn agenda_week(&self, date: NaiveDate) -> CoreResult<Vec<Appointment>> {
        let monday = date - Duration::days(date.weekday().num_days_from_monday() as i64);
        self.agenda(monday, monday + Duration::days(6))
    }

    fn agenda(&self, first: NaiveDate, last: NaiveDate) -> CoreResult<Vec<Appointment>> {
        // Any zone is within ±14 h of UTC: query a generous UTC window, then keep local dates.
        let from = first
            .and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc() - Duration::hours(14))
            .ok_or(CoreError::Internal { reason: "date" })?;
        let to = last
            .and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc() + Duration::hours(38))
            .ok_or(CoreError::Internal { reason: "date" })?;
        self.with_session(|ctx| {
            let all = query(
                ctx.conn,
                ctx.keys,
                "WHERE starts_at >= ?1 AND starts_at < ?2 AND status != 'rescheduled' ORDER BY starts_at, id",
                params![millis(from), millis(to)],
            )?;
            Ok(all.into_iter().filter(|a| (first..=last).contains(&a.local_start.date())).collect())
        })
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
