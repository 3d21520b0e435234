//! Turning an appointment into reminders in the outbox: when (the planner), what they say
//! (the templates), whether the worker must approve them (the lint and the length), and
//! keeping them right when the worker's profile changes, a held text is edited, or the
//! outbox key has to be replaced.
//!
//! A text names the venue (a public place) or says "som aftalt" / "as agreed": an outside
//! place (a court, a treatment centre) is never put in a text unless the worker writes it in.

use super::outbox::{self, HeldWord, History, Hold, Payload, Reminder, ReminderState, Resolution};
use super::planner::{self, ReminderKind};
use crate::appointments::{self, Appointment, AppointmentKind, NoReminderReason};
use crate::citizens::{self, Citizen, SmsEligibility};
use crate::error::{CoreError, CoreResult};
use crate::ids;
use crate::sms::template::{self, TemplateKind};
use crate::sms::{self, SmsLanguage};
use crate::time::millis;
use crate::vault::keyring::Keyring;
use crate::vault::Vault;
use crate::venues::{self, parse_zone};
use crate::worker::{self, WorkerProfile};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};

/// A text checked for sending: normalised, the words that hold it, and the hold.
struct Checked {
    text: String,
    held_for: Vec<HeldWord>,
    hold: Option<Hold>,
}

fn check_text(text: &str) -> Checked {
    let c = sms::check(text);
    let held_for: Vec<HeldWord> =
        c.flags.iter().map(|f| HeldWord { word: f.word.clone(), category: f.category.as_str().to_string() }).collect();
    let hold = if !held_for.is_empty() {
        Some(Hold::Lint)
    } else if c.segments > sms::MAX_SEGMENTS {
        Some(Hold::TooLong)
    } else {
        None
    };
    Checked { text: c.normalized, held_for, hold }
}

/// Where the text says the meeting is.
fn place_words(conn: &Connection, a: &Appointment, language: SmsLanguage) -> CoreResult<String> {
    Ok(match (&a.venue_id, a.kind, language) {
        (Some(v), _, _) => venues::venue_name_and_zone(conn, v)?.0,
        (None, AppointmentKind::HomeVisit, SmsLanguage::Da) => "hjemme hos dig".into(),
        (None, AppointmentKind::HomeVisit, SmsLanguage::En) => "at your home".into(),
        (None, _, SmsLanguage::Da) => "som aftalt".into(),
        (None, _, SmsLanguage::En) => "as agreed".into(),
    })
}

fn render(
    conn: &Connection,
    keys: &mut Keyring,
    a: &Appointment,
    citizen: &Citizen,
    profile: &WorkerProfile,
    kind: ReminderKind,
) -> CoreResult<String> {
    let tkind = if kind == ReminderKind::Confirmation { TemplateKind::Confirmation } else { TemplateKind::Reminder };
    let tpl = worker::template(conn, keys, citizen.language, tkind)?;
    let place = place_words(conn, a, citizen.language)?;
    template::render(
        &tpl,
        citizen.language,
        &template::Values {
            first_name: template::first_name(&citizen.nickname),
            local_start: a.local_start,
            place: &place,
            worker_name: &profile.name,
            worker_phone: &profile.phone_for_sms(),
        },
    )
}

/// Why reminders cannot be planned for this citizen right now, if they cannot.
pub(crate) fn blocked(
    conn: &Connection,
    keys: &mut Keyring,
    citizen: &Citizen,
) -> CoreResult<Option<NoReminderReason>> {
    Ok(match citizen.sms_eligibility() {
        SmsEligibility::NoSmsConsent => Some(NoReminderReason::NoSmsConsent),
        SmsEligibility::NoPhone => Some(NoReminderReason::NoPhone),
        SmsEligibility::NotMobile => Some(NoReminderReason::NotMobile),
        SmsEligibility::Eligible => {
            if worker::load_profile(conn, keys)?.is_none() {
                Some(NoReminderReason::NoWorkerProfile)
            } else {
                None
            }
        }
    })
}

/// Plans and stores the reminders for `a`, in the caller's transaction. `with_confirmation`
/// is false when re-planning (a confirmation belongs to the moment of booking only).
pub(crate) fn plan_for(
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
    if let Some(reason) = blocked(conn, keys, citizen)? {
        return Ok(Err(reason));
    }
    let (Some(phone), Some(profile)) = (&citizen.phone, worker::load_profile(conn, keys)?) else {
        return Ok(Err(NoReminderReason::NoWorkerProfile));
    };
    let rules = match &citizen.reminder_rules {
        Some(r) => r.clone(),
        None => worker::load_rules(conn, keys)?,
    };
    let tz = parse_zone(&a.time_zone).map_err(|_| CoreError::Corrupt)?;
    let sends: Vec<_> = planner::plan(&rules, tz, a.starts_at, now)
        .into_iter()
        .filter(|p| with_confirmation || p.kind != ReminderKind::Confirmation)
        .collect();
    if sends.is_empty() {
        return Ok(Err(NoReminderReason::NoneFitTheRules));
    }
    let outbox_key = vault.outbox_key(conn, true)?.ok_or(CoreError::Internal { reason: "outbox key" })?;
    let citizen_key = citizens::key_of(conn, &citizen.id)?;
    let mut ids = Vec::new();
    for send in sends {
        let checked = check_text(&render(conn, keys, a, citizen, &profile, send.kind)?);
        let payload = Payload { number: phone.e164.clone(), text: checked.text.clone() };
        let history = History { text: checked.text, held_for: checked.held_for, ..Default::default() };
        ids.push(outbox::insert(
            conn,
            keys,
            &outbox_key,
            citizen_key,
            &a.id,
            send.kind,
            send.send_at,
            &payload,
            &history,
            checked.hold,
            now,
        )?);
    }
    Ok(Ok(ids))
}

/// After the worker's profile changed: every reminder not yet handed to a sender is
/// written anew with the new name and number (and linted again); texts the worker edited by
/// hand are kept. Appointments that got no reminders because there was no profile get them
/// now. Returns (re-rendered, newly planned).
pub(crate) fn after_profile_change(
    vault: &Vault,
    conn: &Connection,
    keys: &mut Keyring,
    now: DateTime<Utc>,
) -> CoreResult<(u32, u32)> {
    let Some(profile) = worker::load_profile(conn, keys)? else { return Ok((0, 0)) };
    let future = appointments::query(
        conn,
        keys,
        "WHERE status IN ('planned', 'confirmed') AND starts_at > ?1 AND citizen_id IS NOT NULL ORDER BY starts_at",
        [millis(now)],
    )?;
    let mut rerendered = 0;
    let mut planned = 0;
    for a in future {
        let Some(citizen_id) = a.citizen_id.as_deref() else { continue };
        let citizen = citizens::load_in(conn, keys, citizen_id)?;
        let existing = outbox::for_appointment(conn, keys, &a.id, now)?;
        if existing.is_empty() {
            if let Ok(ids) = plan_for(vault, conn, keys, &a, &citizen, now, false)? {
                planned += ids.len() as u32;
            }
            continue;
        }
        let (Some(phone), Some(outbox_key)) = (&citizen.phone, vault.outbox_key(conn, true)?) else { continue };
        let citizen_key = citizens::key_of(conn, citizen_id)?;
        for r in existing.iter().filter(|r| matches!(r.state, ReminderState::Planned | ReminderState::Due)) {
            if r.edited {
                continue;
            }
            let checked = check_text(&render(conn, keys, &a, &citizen, &profile, r.kind)?);
            let payload = Payload { number: phone.e164.clone(), text: checked.text.clone() };
            let history = History { text: checked.text, held_for: checked.held_for, ..Default::default() };
            outbox::replace_text(
                conn,
                keys,
                &outbox_key,
                citizen_key,
                &r.id,
                &a.id,
                &payload,
                &history,
                checked.hold,
                now,
            )?;
            rerendered += 1;
        }
    }
    Ok((rerendered, planned))
}

/// After the outbox key was lost and replaced (recovery on a new phone): what still waits to
/// be sent is sealed again under the new key, from the sealed history and the citizen's number.
pub(crate) fn reseal_pending(
    vault: &Vault,
    conn: &Connection,
    keys: &mut Keyring,
    now: DateTime<Utc>,
) -> CoreResult<u32> {
    let pending: Vec<(String, String)> = {
        let mut stmt = conn.prepare(
            "SELECT r.id, a.citizen_id FROM reminders r JOIN appointments a ON a.id = r.appointment_id
             WHERE (r.state = 'planned' OR (r.state = 'failed' AND r.next_attempt_at IS NOT NULL))
               AND a.citizen_id IS NOT NULL",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    if pending.is_empty() {
        return Ok(0);
    }
    let outbox_key = vault.outbox_key(conn, true)?.ok_or(CoreError::Internal { reason: "outbox key" })?;
    let mut n = 0;
    for (id, citizen_id) in pending {
        // A damaged citizen or history stays local: that reminder fails with its reason for the
        // worker to see, and the others are sealed (an unlock never fails over one row).
        let read =
            citizens::load_in(conn, keys, &citizen_id).and_then(|c| Ok((c, outbox::history_of(conn, keys, &id)?)));
        let (citizen, history) = match read {
            Ok(v) => v,
            Err(CoreError::Tampered | CoreError::Corrupt) => {
                conn.execute(
                    "UPDATE reminders SET state = 'failed', reason = 'payload_unreadable', next_attempt_at = NULL,
                        payload = NULL, updated_at = ?2 WHERE id = ?1",
                    params![id, millis(now)],
                )?;
                log::warn!("a waiting reminder's text did not open at the reseal; it is marked failed");
                continue;
            }
            Err(e) => return Err(e),
        };
        let Some((history, _, _)) = history else { continue };
        let Some(phone) = &citizen.phone else { continue };
        let sealed =
            outbox::seal_payload(&outbox_key, &id, &Payload { number: phone.e164.clone(), text: history.text })?;
        conn.execute(
            "UPDATE reminders SET payload = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, sealed, millis(now)],
        )?;
        n += 1;
    }
    Ok(n)
}

impl Vault {
    /// The worker rewrites one text not yet handed to a sender (held or not). The new text
    /// is linted and measured again: it is held if it still names a sensitive matter or is
    /// over 3 segments, and goes without approval otherwise.
    pub fn edit_reminder_text(&self, reminder_id: &str, text: &str) -> CoreResult<Reminder> {
        ids::check_id("reminder_id", reminder_id)?;
        let text = crate::text::clean(REMINDER_TEXT, text)?;
        self.with_session(|ctx| {
            let now = ctx.now;
            let keys = &mut *ctx.keys;
            crate::store::write_tx(ctx.conn, |tx| {
                let r = outbox::load(tx, None, reminder_id, now)?;
                if !matches!(r.state, ReminderState::Planned | ReminderState::Due) {
                    return Err(CoreError::InvalidState {
                        reason: "only a reminder not yet handed to the sender can be changed",
                    });
                }
                let (old, citizen_key, appointment_id) =
                    outbox::history_of(tx, keys, reminder_id)?.ok_or(CoreError::NotFound { what: "citizen" })?;
                let a = appointments::load(tx, keys, &appointment_id)?;
                let citizen_id = a.citizen_id.as_deref().ok_or(CoreError::NotFound { what: "citizen" })?;
                let citizen = citizens::load_in(tx, keys, citizen_id)?;
                let phone = citizen
                    .phone
                    .as_ref()
                    .ok_or(CoreError::InvalidState { reason: "the citizen has no phone number" })?;
                let checked = check_text(&text);
                let outbox_key = self.outbox_key(tx, true)?.ok_or(CoreError::Internal { reason: "outbox key" })?;
                let payload = Payload { number: phone.e164.clone(), text: checked.text.clone() };
                let history = History {
                    text: checked.text,
                    held_for: checked.held_for,
                    edited: true,
                    cancel_reason: old.cancel_reason,
                };
                outbox::replace_text(
                    tx,
                    keys,
                    &outbox_key,
                    citizen_key,
                    reminder_id,
                    &appointment_id,
                    &payload,
                    &history,
                    checked.hold,
                    now,
                )?;
                outbox::load(tx, Some(keys), reminder_id, now)
            })
        })
    }

    /// The worker's decision on an `unknown` or finally `failed` reminder: send it (again)
    /// now, or drop it.
    pub fn resolve_reminder(&self, reminder_id: &str, resolution: Resolution) -> CoreResult<Reminder> {
        ids::check_id("reminder_id", reminder_id)?;
        self.with_session(|ctx| {
            let now = ctx.now;
            let t = millis(now);
            let keys = &mut *ctx.keys;
            crate::store::write_tx(ctx.conn, |tx| {
                self.settle_outbox(tx, now)?;
                let r = outbox::load(tx, None, reminder_id, now)?;
                let resolvable = r.state == ReminderState::Unknown
                    || (r.state == ReminderState::Failed && r.next_attempt_at.is_none());
                if !resolvable {
                    return Err(CoreError::InvalidState {
                        reason: "only unknown or failed reminders are resolved by the worker",
                    });
                }
                match resolution {
                    Resolution::Resend => {
                        let a = appointments::load(tx, keys, &r.appointment_id)?;
                        if a.starts_at <= now {
                            return Err(CoreError::InvalidState { reason: "the appointment has already started" });
                        }
                        let citizen_id =
                            a.citizen_id.as_deref().ok_or(CoreError::InvalidState { reason: "the citizen has been deleted" })?;
                        let citizen = citizens::load_in(tx, keys, citizen_id)?;
                        let phone = citizen
                            .phone
                            .as_ref()
                            .ok_or(CoreError::InvalidState { reason: "the citizen has no phone number" })?;
                        if !citizen.can_receive_sms() {
                            return Err(CoreError::InvalidState { reason: "the citizen cannot receive SMS now" });
                        }
                        let (history, _, _) =
                            outbox::history_of(tx, keys, reminder_id)?.ok_or(CoreError::NotFound { what: "citizen" })?;
                        let key = self.outbox_key(tx, true)?.ok_or(CoreError::Internal { reason: "outbox key" })?;
                        let sealed = outbox::seal_payload(&key, reminder_id, &Payload { number: phone.e164.clone(), text: history.text })?;
                        tx.execute(
                            "UPDATE reminders SET state = 'planned', send_at = ?2, reason = NULL, next_attempt_at = NULL,
                                payload = ?3, updated_at = ?2 WHERE id = ?1",
                            params![reminder_id, t, sealed],
                        )?;
                    }
                    Resolution::Drop => {
                        tx.execute(
                            "UPDATE reminders SET state = 'cancelled', reason = 'dropped_by_worker', payload = NULL, updated_at = ?2 WHERE id = ?1",
                            params![reminder_id, t],
                        )?;
                    }
                }
                let kind = match resolution {
                    Resolution::Resend => crate::audit::AuditKind::ReminderResent,
                    Resolution::Drop => crate::audit::AuditKind::ReminderDropped,
                };
                let event = crate::audit::Event::about(kind, crate::audit::AuditObject::Reminder);
                Ok((outbox::load(tx, Some(keys), reminder_id, now)?, self.audit_tx(tx, now, &[event])?))
            })
            .map(|(reminder, rotation)| {
                self.finish_rotation(rotation);
                reminder
            })
        })
    }
}

/// A reminder text the worker writes: one SMS's worth of characters at most a few times over.
const REMINDER_TEXT: crate::text::Rule = crate::text::Rule {
    field: "text",
    max: 640,
    multiline: false,
    allow_empty: false,
    too_long: "too long (at most 640 characters)",
};
