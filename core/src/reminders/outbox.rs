//! The reminder outbox (SPEC §5): `planned → (send time reached: due) → claimed → sent →
//! delivered`, `failed` (retried with back-off while the sender says it is retryable and the
//! appointment is still ahead), `cancelled`, and `unknown`.
//!
//! The two promises and how they are kept:
//! - **Never handed to the sender twice without a human asking.** A reminder is claimed
//!   (state, claim id, lease) in a committed transaction *before* the sender sees it. Every
//!   outcome is recorded against that claim id. A claim whose outcome never came back —
//!   the app died, the lease ran out, the sender threw — becomes `unknown`, and `unknown` is
//!   only ever left by the worker's `resend` or `drop`.
//! - **Never lost silently.** Every reminder ends `sent`/`delivered`, `cancelled` (with a
//!   reason), `failed` (with a reason, shown) or `unknown` (shown). One not sent before its
//!   appointment starts becomes `failed` with reason `too_late`.
//!
//! Only the injected clock is read. A clock set backwards delays sends (nothing is sent
//! early, nothing already sent is sent again); a clock set forwards sends what is due.

use crate::time::{from_millis, millis};
use crate::crypto::envelope::{self, Aad};
use crate::error::{CoreError, CoreResult};
use crate::ids;
use crate::reminders::planner::ReminderKind;
use crate::store;
use crate::vault::keyring::envelope_error;
use crate::vault::Vault;
use chrono::{DateTime, Duration, Utc};
use ring::aead::LessSafeKey;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

/// The key id written into outbox envelopes (not a `data_keys` row).
pub const OUTBOX_KEY_ID: u64 = u64::MAX - 1;
/// How long a claim may stay without an outcome before it is `unknown`.
pub const CLAIM_LEASE: Duration = Duration::minutes(5);
/// How long the worker has to send a text handed to them (iOS compose sheet).
pub const USER_LEASE: Duration = Duration::minutes(30);
/// Hand-overs per reminder before a retryable failure becomes final.
pub const MAX_ATTEMPTS: u32 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReminderState {
    Planned,
    /// Planned and its send time has come (derived, never stored).
    Due,
    Claimed,
    Sent,
    Delivered,
    Failed,
    Cancelled,
    Unknown,
}

impl ReminderState {
    pub fn as_str(self) -> &'static str {
        match self {
            ReminderState::Planned => "planned",
            ReminderState::Due => "due",
            ReminderState::Claimed => "claimed",
            ReminderState::Sent => "sent",
            ReminderState::Delivered => "delivered",
            ReminderState::Failed => "failed",
            ReminderState::Cancelled => "cancelled",
            ReminderState::Unknown => "unknown",
        }
    }

    fn parse(s: &str) -> CoreResult<Self> {
        Ok(match s {
            "planned" => ReminderState::Planned,
            "claimed" => ReminderState::Claimed,
            "sent" => ReminderState::Sent,
            "delivered" => ReminderState::Delivered,
            "failed" => ReminderState::Failed,
            "cancelled" => ReminderState::Cancelled,
            "unknown" => ReminderState::Unknown,
            _ => return Err(CoreError::Corrupt),
        })
    }

    /// Nothing more will happen without the worker.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            ReminderState::Sent
                | ReminderState::Delivered
                | ReminderState::Cancelled
                | ReminderState::Failed
                | ReminderState::Unknown
        )
    }
}

/// Why a planned reminder waits for the worker before it can go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    /// The text names a sensitive matter.
    Lint,
    /// The text is longer than 3 segments.
    TooLong,
}

impl Hold {
    pub fn as_str(self) -> &'static str {
        match self {
            Hold::Lint => "lint",
            Hold::TooLong => "too_long",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub id: String,
    pub appointment_id: String,
    pub kind: ReminderKind,
    pub send_at: DateTime<Utc>,
    pub state: ReminderState,
    pub hold: Option<Hold>,
    /// The text, while it is kept (it is destroyed with the citizen).
    pub text: Option<String>,
    pub attempts: u32,
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// A fixed, non-personal reason for `failed`, `cancelled` and `unknown`.
    pub reason: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub awaiting_user: bool,
}

/// What the platform's sender answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    Accepted,
    Failed {
        retryable: bool,
        reason: String,
    },
    /// Handed to the user (iOS compose sheet); the result comes later.
    NeedsUser,
}

/// The sender failed in a way that leaves it unclear whether the text went out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SenderFailure {
    pub reason: String,
}

/// The platform's SMS sender (Android SmsManager, iOS MessageUI, a console in the CLI).
pub trait SmsSender {
    fn send(&self, reminder_id: &str, number: &str, text: &str) -> Result<SendOutcome, SenderFailure>;
}

/// What one outbox run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutboxRun {
    pub handed_over: u32,
    pub sent: u32,
    pub failed: u32,
    pub retry_scheduled: u32,
    pub needs_user: u32,
    pub unknown: u32,
    pub too_late: u32,
}

/// The worker's decision on an `unknown` (or finally `failed`) reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// Send it (again): the worker knows it did not arrive.
    Resend,
    /// Leave it: it arrived, or it no longer matters.
    Drop,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct Payload {
    pub number: String,
    pub text: String,
}

fn payload_aad(id: &str) -> Aad<'_> {
    Aad::new("reminders", id, "payload")
}

pub(crate) fn seal_payload(key: &LessSafeKey, id: &str, p: &Payload) -> CoreResult<Vec<u8>> {
    let json =
        zeroize::Zeroizing::new(serde_json::to_vec(p).map_err(|_| CoreError::Internal { reason: "encode payload" })?);
    envelope::seal_with(key, OUTBOX_KEY_ID, payload_aad(id), &json).map_err(envelope_error)
}

fn open_payload(key: &LessSafeKey, id: &str, sealed: &[u8]) -> CoreResult<Payload> {
    if envelope::key_id_of(sealed).map_err(envelope_error)? != OUTBOX_KEY_ID {
        return Err(CoreError::Tampered);
    }
    let raw = envelope::open_with(key, payload_aad(id), sealed).map_err(envelope_error)?;
    serde_json::from_slice(&raw).map_err(|_| CoreError::Tampered)
}

/// Keeps a sender's reason printable and short: it is stored and shown, so it must not be
/// able to smuggle a phone number or a name in.
fn clean_reason(reason: &str) -> String {
    let cleaned: String = reason.chars().filter(|c| c.is_ascii_alphabetic() || " _-.:".contains(*c)).take(80).collect();
    if cleaned.trim().is_empty() {
        "sender_failed".into()
    } else {
        cleaned.trim().to_string()
    }
}

/// Back-off before the next attempt after `attempts` hand-overs: 1, 5, 15, 60 minutes.
fn backoff(attempts: u32) -> Duration {
    Duration::minutes(match attempts {
        0 | 1 => 1,
        2 => 5,
        3 => 15,
        _ => 60,
    })
}

const SELECT: &str =
    "SELECT r.id, r.appointment_id, r.kind, r.send_at, r.state, r.hold, r.payload, r.attempts, r.next_attempt_at,
    r.reason, r.sent_at, r.delivered_at, r.awaiting_user FROM reminders r";

fn decode(r: &Row<'_>, key: Option<&LessSafeKey>, now: DateTime<Utc>) -> CoreResult<Reminder> {
    let id: String = r.get(0)?;
    let state = ReminderState::parse(&r.get::<_, String>(4)?)?;
    let send_at = from_millis(r.get(3)?)?;
    let text = match (key, r.get::<_, Option<Vec<u8>>>(6)?) {
        (Some(k), Some(sealed)) => Some(open_payload(k, &id, &sealed)?.text),
        _ => None,
    };
    let hold = match r.get::<_, Option<String>>(5)?.as_deref() {
        Some("lint") => Some(Hold::Lint),
        Some("too_long") => Some(Hold::TooLong),
        Some(_) => return Err(CoreError::Corrupt),
        None => None,
    };
    Ok(Reminder {
        appointment_id: r.get(1)?,
        kind: ReminderKind::parse(&r.get::<_, String>(2)?).ok_or(CoreError::Corrupt)?,
        state: if state == ReminderState::Planned && send_at <= now && hold.is_none() {
            ReminderState::Due
        } else {
            state
        },
        send_at,
        hold,
        text,
        attempts: r.get(7)?,
        next_attempt_at: r.get::<_, Option<i64>>(8)?.map(from_millis).transpose()?,
        reason: r.get(9)?,
        sent_at: r.get::<_, Option<i64>>(10)?.map(from_millis).transpose()?,
        delivered_at: r.get::<_, Option<i64>>(11)?.map(from_millis).transpose()?,
        awaiting_user: r.get(12)?,
        id,
    })
}

pub(crate) fn load(conn: &Connection, key: Option<&LessSafeKey>, id: &str, now: DateTime<Utc>) -> CoreResult<Reminder> {
    ids::check_id("reminder_id", id)?;
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE r.id = ?1"))?;
    let mut rows = stmt.query([id])?;
    match rows.next()? {
        Some(r) => decode(r, key, now),
        None => Err(CoreError::NotFound { what: "reminder" }),
    }
}

pub(crate) fn for_appointment(
    conn: &Connection,
    key: Option<&LessSafeKey>,
    appointment_id: &str,
    now: DateTime<Utc>,
) -> CoreResult<Vec<Reminder>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE r.appointment_id = ?1 ORDER BY r.send_at, r.id"))?;
    let mut rows = stmt.query([appointment_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(decode(r, key, now)?);
    }
    Ok(out)
}

/// Stores a planned reminder.
#[allow(clippy::too_many_arguments)]
pub(crate) fn insert(
    conn: &Connection,
    key: &LessSafeKey,
    appointment_id: &str,
    kind: ReminderKind,
    send_at: DateTime<Utc>,
    payload: &Payload,
    hold: Option<Hold>,
    now: DateTime<Utc>,
) -> CoreResult<String> {
    let id = ids::new_id()?;
    let sealed = seal_payload(key, &id, payload)?;
    conn.execute(
        "INSERT INTO reminders (id, appointment_id, kind, send_at, state, hold, payload, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, 'planned', ?5, ?6, ?7, ?7)",
        params![id, appointment_id, kind.as_str(), millis(send_at), hold.map(Hold::as_str), sealed, millis(now)],
    )?;
    Ok(id)
}

/// Cancels everything for `appointment_id` that has not been handed over yet.
pub(crate) fn cancel_pending(
    conn: &Connection,
    appointment_id: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> CoreResult<usize> {
    Ok(conn.execute(
        "UPDATE reminders SET state = 'cancelled', reason = ?2, next_attempt_at = NULL, updated_at = ?3
         WHERE appointment_id = ?1 AND (state = 'planned' OR (state = 'failed' AND next_attempt_at IS NOT NULL))",
        params![appointment_id, reason, millis(now)],
    )?)
}

/// At start: every claim still open belongs to a process that is gone. Its outcome is
/// unknown; the worker decides.
pub(crate) fn recover_after_restart(conn: &Connection, now: DateTime<Utc>) -> CoreResult<usize> {
    Ok(conn.execute(
        "UPDATE reminders SET state = 'unknown', reason = 'no_outcome_before_restart', claim_id = NULL, lease_until = NULL,
            awaiting_user = 0, updated_at = ?1 WHERE state = 'claimed'",
        [millis(now)],
    )?)
}

struct Claim {
    id: String,
    claim_id: String,
    payload: Payload,
    attempts: u32,
    starts_at: DateTime<Utc>,
}

fn sweep(conn: &Connection, now: DateTime<Utc>, run: &mut OutboxRun) -> CoreResult<()> {
    let t = millis(now);
    // Leases that ran out without an outcome.
    run.unknown += conn.execute(
        "UPDATE reminders SET state = 'unknown', reason = 'no_outcome_within_lease', claim_id = NULL, lease_until = NULL,
            awaiting_user = 0, updated_at = ?1 WHERE state = 'claimed' AND lease_until < ?1",
        [t],
    )? as u32;
    // Not sent before the appointment began: final, and shown. A reminder's send time is
    // before its appointment's start, so only reminders already due can be too late.
    run.too_late += conn.execute(
        "UPDATE reminders SET state = 'failed', reason = CASE WHEN hold IS NOT NULL THEN 'held_until_too_late' ELSE 'too_late' END,
            next_attempt_at = NULL, updated_at = ?1
         WHERE rowid IN (
            SELECT r.rowid FROM reminders r JOIN appointments a ON a.id = r.appointment_id
            WHERE r.state = 'planned' AND r.send_at <= ?1 AND a.starts_at <= ?1
            UNION ALL
            SELECT r.rowid FROM reminders r JOIN appointments a ON a.id = r.appointment_id
            WHERE r.state = 'failed' AND r.next_attempt_at IS NOT NULL AND a.starts_at <= ?1)",
        [t],
    )? as u32;
    Ok(())
}

/// A reminder ready to be handed over.
struct Due {
    id: String,
    sealed: Vec<u8>,
    attempts: u32,
    starts_at: i64,
    /// When it became due (send time, or the retry time).
    due_at: i64,
}

/// The next reminder to hand over, if any.
fn find_due(conn: &Connection, now: DateTime<Utc>) -> CoreResult<Option<Due>> {
    let t = millis(now);
    let pick = |sql: &str| -> CoreResult<Option<Due>> {
        Ok(conn
            .prepare_cached(sql)?
            .query_row([t], |r| {
                Ok(Due {
                    id: r.get(0)?,
                    sealed: r.get(1)?,
                    attempts: r.get(2)?,
                    starts_at: r.get(3)?,
                    due_at: r.get(4)?,
                })
            })
            .optional()?)
    };
    let planned = pick(
        "SELECT r.id, r.payload, r.attempts, a.starts_at, r.send_at FROM reminders r JOIN appointments a ON a.id = r.appointment_id
         WHERE r.state = 'planned' AND r.send_at <= ?1 AND r.hold IS NULL AND r.payload IS NOT NULL AND a.starts_at > ?1
         ORDER BY r.send_at, r.id LIMIT 1",
    )?;
    let retry = pick(
        "SELECT r.id, r.payload, r.attempts, a.starts_at, r.next_attempt_at FROM reminders r JOIN appointments a ON a.id = r.appointment_id
         WHERE r.state = 'failed' AND r.next_attempt_at IS NOT NULL AND r.next_attempt_at <= ?1 AND r.payload IS NOT NULL AND a.starts_at > ?1
         ORDER BY r.next_attempt_at, r.id LIMIT 1",
    )?;
    Ok(match (planned, retry) {
        (Some(p), Some(r)) => Some(if r.due_at < p.due_at { r } else { p }),
        (p, r) => p.or(r),
    })
}

fn claim(conn: &Connection, key: &LessSafeKey, due: Due, now: DateTime<Utc>) -> CoreResult<Claim> {
    let Due { id, sealed, attempts, starts_at, .. } = due;
    let t = millis(now);
    let payload = open_payload(key, &id, &sealed)?;
    let claim_id = ids::new_id()?;
    let changed = conn.execute(
        "UPDATE reminders SET state = 'claimed', claim_id = ?2, claimed_at = ?3, lease_until = ?4, attempts = attempts + 1,
            next_attempt_at = NULL, awaiting_user = 0, updated_at = ?3
         WHERE id = ?1 AND state IN ('planned', 'failed')",
        params![id, claim_id, t, millis(now + CLAIM_LEASE)],
    )?;
    if changed != 1 {
        return Err(CoreError::Internal { reason: "claim raced" });
    }
    Ok(Claim { id, claim_id, payload, attempts: attempts + 1, starts_at: from_millis(starts_at)? })
}

fn record(
    conn: &Connection,
    claim: &Claim,
    outcome: Result<SendOutcome, SenderFailure>,
    now: DateTime<Utc>,
    run: &mut OutboxRun,
) -> CoreResult<()> {
    let t = millis(now);
    let by_claim = "WHERE id = ?1 AND state = 'claimed' AND claim_id = ?2";
    match outcome {
        Ok(SendOutcome::Accepted) => {
            conn.execute(
                &format!("UPDATE reminders SET state = 'sent', sent_at = ?3, claim_id = NULL, lease_until = NULL, reason = NULL, updated_at = ?3 {by_claim}"),
                params![claim.id, claim.claim_id, t],
            )?;
            run.sent += 1;
        }
        Ok(SendOutcome::Failed { retryable, reason }) => {
            let next = now + backoff(claim.attempts);
            let retry = retryable
                && claim.attempts < MAX_ATTEMPTS
                && next < claim.starts_at - crate::reminders::planner::MIN_LEAD;
            conn.execute(
                &format!("UPDATE reminders SET state = 'failed', reason = ?3, next_attempt_at = ?4, claim_id = NULL, lease_until = NULL, updated_at = ?5 {by_claim}"),
                params![claim.id, claim.claim_id, clean_reason(&reason), retry.then(|| millis(next)), t],
            )?;
            if retry {
                run.retry_scheduled += 1;
            } else {
                run.failed += 1;
            }
        }
        Ok(SendOutcome::NeedsUser) => {
            conn.execute(
                &format!("UPDATE reminders SET awaiting_user = 1, lease_until = ?3, updated_at = ?4 {by_claim}"),
                params![claim.id, claim.claim_id, millis(now + USER_LEASE), t],
            )?;
            run.needs_user += 1;
        }
        Err(failure) => {
            // It may or may not have gone out: never guess, never resend on our own.
            conn.execute(
                &format!("UPDATE reminders SET state = 'unknown', reason = ?3, claim_id = NULL, lease_until = NULL, updated_at = ?4 {by_claim}"),
                params![claim.id, claim.claim_id, format!("sender_error: {}", clean_reason(&failure.reason)), t],
            )?;
            run.unknown += 1;
        }
    }
    Ok(())
}

impl Vault {
    /// Hands every due reminder to `sender`, one at a time, and records each outcome.
    /// Works while the vault is locked (reminders go out with the phone in a pocket): only
    /// the outbox key, from the platform key store, is used. The vault is not held while
    /// the sender runs, so the sender may call back into it.
    pub fn run_outbox(&self, sender: &dyn SmsSender) -> CoreResult<OutboxRun> {
        let mut run = OutboxRun::default();
        self.with_store(|conn, now| store::write_tx(conn, |tx| sweep(tx, now, &mut run)))?;
        // The platform key store is asked for the outbox key only when something is due.
        let mut key: Option<LessSafeKey> = None;
        loop {
            let claim = self.with_store(|conn, now| {
                store::write_tx(conn, |tx| {
                    let Some(due) = find_due(tx, now)? else { return Ok(None) };
                    if key.is_none() {
                        key = self.outbox_key(tx, false)?;
                    }
                    let key = key.as_ref().ok_or(CoreError::Tampered)?;
                    claim(tx, key, due, now).map(Some)
                })
            })?;
            let Some(claim) = claim else { break };
            run.handed_over += 1;
            log::info!("reminder handed to the sender");
            let outcome = sender.send(&claim.id, &claim.payload.number, &claim.payload.text);
            self.with_store(|conn, now| store::write_tx(conn, |tx| record(tx, &claim, outcome, now, &mut run)))?;
        }
        Ok(run)
    }

    /// The earliest time something in the outbox needs attention, for the platform's
    /// scheduler (WorkManager, BGTaskScheduler).
    pub fn next_outbox_run_at(&self) -> CoreResult<Option<DateTime<Utc>>> {
        self.with_store(|conn, _| {
            let mut earliest: Option<i64> = None;
            for sql in [
                "SELECT send_at FROM reminders WHERE state = 'planned' AND hold IS NULL ORDER BY send_at LIMIT 1",
                "SELECT min(next_attempt_at) FROM reminders WHERE state = 'failed' AND next_attempt_at IS NOT NULL",
                "SELECT min(lease_until) FROM reminders WHERE state = 'claimed'",
            ] {
                let t: Option<i64> = conn.prepare_cached(sql)?.query_row([], |r| r.get(0)).optional()?.flatten();
                earliest = match (earliest, t) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
            earliest.map(from_millis).transpose()
        })
    }

    /// A delivery report from the network, by reminder id.
    pub fn record_delivery(&self, reminder_id: &str, delivered: bool) -> CoreResult<Reminder> {
        ids::check_id("reminder_id", reminder_id)?;
        self.with_store(|conn, now| {
            let t = millis(now);
            let changed = if delivered {
                conn.execute(
                    "UPDATE reminders SET state = 'delivered', delivered_at = ?2, updated_at = ?2 WHERE id = ?1 AND state IN ('sent', 'delivered')",
                    params![reminder_id, t],
                )?
            } else {
                conn.execute(
                    "UPDATE reminders SET state = 'failed', reason = 'not_delivered', updated_at = ?2 WHERE id = ?1 AND state = 'sent'",
                    params![reminder_id, t],
                )?
            };
            let r = load(conn, None, reminder_id, now)?;
            if changed == 0 && !(delivered && r.state == ReminderState::Delivered) {
                return Err(CoreError::InvalidState { reason: "only a sent reminder can get a delivery report" });
            }
            Ok(r)
        })
    }

    /// The result of a text handed to the user (iOS compose sheet).
    pub fn record_user_send_result(&self, reminder_id: &str, sent: bool) -> CoreResult<Reminder> {
        ids::check_id("reminder_id", reminder_id)?;
        self.with_store(|conn, now| {
            let t = millis(now);
            let changed = if sent {
                conn.execute(
                    "UPDATE reminders SET state = 'sent', sent_at = ?2, claim_id = NULL, lease_until = NULL, awaiting_user = 0, updated_at = ?2
                     WHERE id = ?1 AND state = 'claimed' AND awaiting_user = 1",
                    params![reminder_id, t],
                )?
            } else {
                conn.execute(
                    "UPDATE reminders SET state = 'failed', reason = 'not_sent_by_user', claim_id = NULL, lease_until = NULL, awaiting_user = 0, updated_at = ?2
                     WHERE id = ?1 AND state = 'claimed' AND awaiting_user = 1",
                    params![reminder_id, t],
                )?
            };
            if changed == 0 {
                load(conn, None, reminder_id, now)?;
                return Err(CoreError::InvalidState { reason: "the reminder is not waiting for the user" });
            }
            load(conn, None, reminder_id, now)
        })
    }

    /// The worker's decision on an `unknown` or finally `failed` reminder.
    pub fn resolve_reminder(&self, reminder_id: &str, resolution: Resolution) -> CoreResult<Reminder> {
        ids::check_id("reminder_id", reminder_id)?;
        self.with_session(|ctx| {
            let t = millis(ctx.now);
            let r = load(ctx.conn, None, reminder_id, ctx.now)?;
            let resolvable = r.state == ReminderState::Unknown || (r.state == ReminderState::Failed && r.next_attempt_at.is_none());
            if !resolvable {
                return Err(CoreError::InvalidState { reason: "only unknown or failed reminders are resolved by the worker" });
            }
            match resolution {
                Resolution::Resend => {
                    let starts_at: i64 =
                        ctx.conn.query_row("SELECT starts_at FROM appointments WHERE id = ?1", [&r.appointment_id], |row| row.get(0))?;
                    if starts_at <= t {
                        return Err(CoreError::InvalidState { reason: "the appointment has already started" });
                    }
                    ctx.conn.execute(
                        "UPDATE reminders SET state = 'planned', send_at = ?2, reason = NULL, next_attempt_at = NULL, updated_at = ?2
                         WHERE id = ?1 AND payload IS NOT NULL",
                        params![reminder_id, t],
                    )?;
                }
                Resolution::Drop => {
                    ctx.conn.execute(
                        "UPDATE reminders SET state = 'cancelled', reason = 'dropped_by_worker', updated_at = ?2 WHERE id = ?1",
                        params![reminder_id, t],
                    )?;
                }
            }
            let key = self.outbox_key(ctx.conn, false)?;
            load(ctx.conn, key.as_ref(), reminder_id, ctx.now)
        })
    }

    /// The worker approves this one held text (flagged by the lint, or over 3 segments).
    pub fn approve_reminder_text(&self, reminder_id: &str) -> CoreResult<Reminder> {
        ids::check_id("reminder_id", reminder_id)?;
        self.with_session(|ctx| {
            let changed = ctx.conn.execute(
                "UPDATE reminders SET hold = NULL, updated_at = ?2 WHERE id = ?1 AND state = 'planned' AND hold IS NOT NULL",
                params![reminder_id, millis(ctx.now)],
            )?;
            if changed == 0 {
                load(ctx.conn, None, reminder_id, ctx.now)?;
                return Err(CoreError::InvalidState { reason: "the reminder is not held" });
            }
            let key = self.outbox_key(ctx.conn, false)?;
            load(ctx.conn, key.as_ref(), reminder_id, ctx.now)
        })
    }

    /// Reminders, with their texts: one appointment's, or all not yet final plus the final
    /// ones of the last 7 days when `appointment_id` is `None`.
    pub fn list_reminders(&self, appointment_id: Option<&str>) -> CoreResult<Vec<Reminder>> {
        if let Some(a) = appointment_id {
            ids::check_id("appointment_id", a)?;
        }
        self.with_session(|ctx| {
            let key = self.outbox_key(ctx.conn, false)?;
            match appointment_id {
                Some(a) => {
                    let exists: Option<String> =
                        ctx.conn.query_row("SELECT id FROM appointments WHERE id = ?1", [a], |r| r.get(0)).optional()?;
                    exists.ok_or(CoreError::NotFound { what: "appointment" })?;
                    for_appointment(ctx.conn, key.as_ref(), a, ctx.now)
                }
                None => {
                    let mut stmt = ctx.conn.prepare_cached(&format!(
                        "{SELECT} WHERE r.state IN ('planned', 'claimed', 'unknown') OR r.updated_at >= ?1 ORDER BY r.send_at, r.id"
                    ))?;
                    let mut rows = stmt.query([millis(ctx.now - Duration::days(7))])?;
                    let mut out = Vec::new();
                    while let Some(r) = rows.next()? {
                        out.push(decode(r, key.as_ref(), ctx.now)?);
                    }
                    Ok(out)
                }
            }
        })
    }
}
