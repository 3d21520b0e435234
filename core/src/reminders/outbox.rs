//! The reminder outbox (SPEC §5): `planned → (send time reached: due) → claimed → sent →
//! delivered`, `failed` (retried with back-off while the sender says it is retryable and the
//! appointment is still ahead), `cancelled`, and `unknown`.
//!
//! The two promises and how they are kept:
//! - **Never handed to the sender twice without a human asking.** A reminder is claimed
//!   (state, claim id, lease) in a committed transaction *before* the sender sees it. Every
//!   outcome is recorded against that claim. A claim whose outcome never came back — the app
//!   died, the lease ran out, the sender threw — becomes `unknown`, and `unknown` is left only
//!   by the worker's `resend` or `drop`, or by a late result from the platform saying what
//!   really happened (Android's sent report arriving after a restart).
//! - **Never lost silently.** Every reminder ends `sent`/`delivered`, `cancelled` (with a
//!   reason), `failed` (with a reason, shown) or `unknown` (shown). One not sent before its
//!   appointment starts becomes `failed` with reason `too_late`.
//!
//! What the outbox key can read, and for how long: a reminder's number and text are sealed
//! under the outbox key (`payload`), which the platform key store unwraps without the PIN, so
//! reminders go out with the phone locked. The payload exists only while the reminder may
//! still be handed to a sender (`planned`, `claimed`, `failed` awaiting a retry); it is cleared
//! in the same transaction that records any other state. What the worker sees afterwards (the
//! text that went out, which words held it, why it was cancelled) is `history`, sealed under
//! the citizen's key behind the PIN, and it goes with the citizen.
//!
//! Only the injected clock is read. A clock set backwards delays sends (nothing is sent
//! early, nothing already sent is sent again); a clock set forwards sends what is due.

use crate::crypto::envelope::{self, Aad};
use crate::error::{CoreError, CoreResult};
use crate::ids;
use crate::reminders::planner::ReminderKind;
use crate::store;
use crate::time::{from_millis, millis};
use crate::vault::keyring::{envelope_error, Bound, Keyring};
use crate::vault::Vault;
use chrono::{DateTime, Duration, Utc};
use ring::aead::LessSafeKey;
use rusqlite::types::ValueRef;
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

    fn parse(s: Option<&str>) -> CoreResult<Option<Self>> {
        Ok(match s {
            Some("lint") => Some(Hold::Lint),
            Some("too_long") => Some(Hold::TooLong),
            Some(_) => return Err(CoreError::Corrupt),
            None => None,
        })
    }
}

/// A word that held a text, with its lint category code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldWord {
    pub word: String,
    pub category: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub id: String,
    pub appointment_id: String,
    pub kind: ReminderKind,
    pub send_at: DateTime<Utc>,
    pub state: ReminderState,
    pub hold: Option<Hold>,
    /// The words that held the text (empty unless held by the lint).
    pub held_for: Vec<HeldWord>,
    /// The text (behind the PIN; `None` once the citizen was deleted).
    pub text: Option<String>,
    /// The worker changed the text by hand (it is not re-rendered when the profile changes).
    pub edited: bool,
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
    /// Texts waiting for the worker's approval (held by the lint or for their length).
    pub held: u32,
    /// Due reminders left for the next run because the batch limit was reached.
    pub left_for_next_run: u32,
}

/// The worker's decision on an `unknown` (or finally `failed`) reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// Send it (again): the worker knows it did not arrive.
    Resend,
    /// Leave it: it arrived, or it no longer matters.
    Drop,
}

/// A moment when the outbox has something to send, for the platform's scheduler (Android's
/// alarm) and iOS's local notifications. No personal data: a time and a count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpcomingSend {
    pub at: DateTime<Utc>,
    pub count: u32,
}

/// What the outbox key seals: all a sender needs, nothing more.
#[derive(Serialize, Deserialize)]
pub(crate) struct Payload {
    pub number: String,
    pub text: String,
}

/// What the worker sees of a reminder, sealed under the citizen's key.
#[derive(Clone, Default, Serialize, Deserialize)]
pub(crate) struct History {
    pub text: String,
    #[serde(default)]
    pub held_for: Vec<HeldWord>,
    #[serde(default)]
    pub edited: bool,
    /// Why it was cancelled (`rescheduled`, `appointment_cancelled`, `consent_withdrawn`, ...).
    #[serde(default)]
    pub cancel_reason: Option<String>,
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

/// Seals a reminder's history under its citizen's key, with its ledger entry.
pub(crate) fn seal_history(
    conn: &Connection,
    keys: &mut Keyring,
    key_id: u64,
    id: &str,
    appointment_id: &str,
    h: &History,
) -> CoreResult<Vec<u8>> {
    let json =
        zeroize::Zeroizing::new(serde_json::to_vec(h).map_err(|_| CoreError::Internal { reason: "encode history" })?);
    let bound = [ValueRef::Text(appointment_id.as_bytes())];
    keys.seal(conn, key_id, Aad::new("reminders", id, "history"), Bound(&bound), &json)
}

fn open_history(
    conn: &Connection,
    keys: &mut Keyring,
    key_id: u64,
    id: &str,
    appointment_id: &str,
    sealed: &[u8],
) -> CoreResult<History> {
    let bound = [ValueRef::Text(appointment_id.as_bytes())];
    let raw = keys.open(conn, key_id, Aad::new("reminders", id, "history"), Bound(&bound), sealed)?;
    serde_json::from_slice(&raw).map_err(|_| CoreError::Tampered)
}

/// A sender's failure reason is stored and shown, so it must be a code (`radio_off`,
/// `RESULT_ERROR_NO_SERVICE`, `generic_failure:4`), never free text that could carry a
/// number or a name: anything else is recorded as `sender_failed`.
fn clean_reason(reason: &str) -> String {
    let r = reason.trim();
    let code_like = !r.is_empty()
        && r.len() <= 48
        && r.starts_with(|c: char| c.is_ascii_alphabetic())
        && r.chars().all(|c| c.is_ascii_alphanumeric() || "_.:-".contains(c))
        && !r.split(|c: char| !c.is_ascii_digit()).any(|digits| digits.len() > 4);
    if code_like {
        r.to_ascii_lowercase()
    } else {
        "sender_failed".into()
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
    "SELECT r.id, r.appointment_id, r.kind, r.send_at, r.state, r.hold, r.history, r.attempts, r.next_attempt_at,
    r.reason, r.sent_at, r.delivered_at, r.awaiting_user, a.key_id FROM reminders r
    JOIN appointments a ON a.id = r.appointment_id";

/// Decodes a reminder; its history is opened when `keys` are given (unlocked).
fn decode(conn: &Connection, r: &Row<'_>, keys: Option<&mut Keyring>, now: DateTime<Utc>) -> CoreResult<Reminder> {
    let id: String = r.get(0)?;
    let appointment_id: String = r.get(1)?;
    let state = ReminderState::parse(&r.get::<_, String>(4)?)?;
    let send_at = from_millis(r.get(3)?)?;
    let hold = Hold::parse(r.get::<_, Option<String>>(5)?.as_deref())?;
    let history = match (keys, r.get::<_, Option<Vec<u8>>>(6)?, r.get::<_, Option<i64>>(13)?) {
        (Some(keys), Some(sealed), Some(key_id)) => {
            Some(open_history(conn, keys, key_id as u64, &id, &appointment_id, &sealed)?)
        }
        _ => None,
    };
    let mut reason: Option<String> = r.get(9)?;
    if let Some(cancel) = history.as_ref().and_then(|h| h.cancel_reason.clone()) {
        reason = Some(cancel);
    }
    Ok(Reminder {
        kind: ReminderKind::parse(&r.get::<_, String>(2)?).ok_or(CoreError::Corrupt)?,
        state: if state == ReminderState::Planned && send_at <= now && hold.is_none() {
            ReminderState::Due
        } else {
            state
        },
        send_at,
        hold,
        held_for: history.as_ref().map(|h| h.held_for.clone()).unwrap_or_default(),
        edited: history.as_ref().is_some_and(|h| h.edited),
        text: history.map(|h| h.text),
        attempts: r.get(7)?,
        next_attempt_at: r.get::<_, Option<i64>>(8)?.map(from_millis).transpose()?,
        reason,
        sent_at: r.get::<_, Option<i64>>(10)?.map(from_millis).transpose()?,
        delivered_at: r.get::<_, Option<i64>>(11)?.map(from_millis).transpose()?,
        awaiting_user: r.get(12)?,
        appointment_id,
        id,
    })
}

pub(crate) fn load(
    conn: &Connection,
    keys: Option<&mut Keyring>,
    id: &str,
    now: DateTime<Utc>,
) -> CoreResult<Reminder> {
    ids::check_id("reminder_id", id)?;
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE r.id = ?1"))?;
    let mut rows = stmt.query([id])?;
    match rows.next()? {
        Some(r) => decode(conn, r, keys, now),
        None => Err(CoreError::NotFound { what: "reminder" }),
    }
}

/// Reminders matching `sql_where`, histories opened.
pub(crate) fn query(
    conn: &Connection,
    keys: &mut Keyring,
    sql_where: &str,
    args: impl rusqlite::Params,
    now: DateTime<Utc>,
) -> CoreResult<Vec<Reminder>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} {sql_where}"))?;
    let mut rows = stmt.query(args)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(decode(conn, r, Some(&mut *keys), now)?);
    }
    Ok(out)
}

pub(crate) fn for_appointment(
    conn: &Connection,
    keys: &mut Keyring,
    appointment_id: &str,
    now: DateTime<Utc>,
) -> CoreResult<Vec<Reminder>> {
    query(conn, keys, "WHERE r.appointment_id = ?1 ORDER BY r.send_at, r.id", [appointment_id], now)
}

/// Stores a planned reminder: the payload under the outbox key, the history under the
/// citizen's key.
#[allow(clippy::too_many_arguments)]
pub(crate) fn insert(
    conn: &Connection,
    keys: &mut Keyring,
    outbox_key: &LessSafeKey,
    citizen_key: u64,
    appointment_id: &str,
    kind: ReminderKind,
    send_at: DateTime<Utc>,
    payload: &Payload,
    history: &History,
    hold: Option<Hold>,
    now: DateTime<Utc>,
) -> CoreResult<String> {
    let id = ids::new_id()?;
    let sealed = seal_payload(outbox_key, &id, payload)?;
    let history = seal_history(conn, keys, citizen_key, &id, appointment_id, history)?;
    conn.execute(
        "INSERT INTO reminders (id, appointment_id, kind, send_at, state, hold, payload, history, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, 'planned', ?5, ?6, ?7, ?8, ?8)",
        params![
            id,
            appointment_id,
            kind.as_str(),
            millis(send_at),
            hold.map(Hold::as_str),
            sealed,
            history,
            millis(now)
        ],
    )?;
    Ok(id)
}

/// Replaces a planned reminder's text (payload and history) and hold, in the caller's
/// transaction.
#[allow(clippy::too_many_arguments)]
pub(crate) fn replace_text(
    conn: &Connection,
    keys: &mut Keyring,
    outbox_key: &LessSafeKey,
    citizen_key: u64,
    id: &str,
    appointment_id: &str,
    payload: &Payload,
    history: &History,
    hold: Option<Hold>,
    now: DateTime<Utc>,
) -> CoreResult<()> {
    let sealed = seal_payload(outbox_key, id, payload)?;
    let history = seal_history(conn, keys, citizen_key, id, appointment_id, history)?;
    let changed = conn.execute(
        "UPDATE reminders SET payload = ?2, history = ?3, hold = ?4, updated_at = ?5 WHERE id = ?1 AND state = 'planned'",
        params![id, sealed, history, hold.map(Hold::as_str), millis(now)],
    )?;
    if changed != 1 {
        return Err(CoreError::InvalidState { reason: "only a reminder not yet handed to the sender can be changed" });
    }
    Ok(())
}

/// The history of one reminder (unlocked), with its citizen's key id; `None` when the
/// citizen was deleted.
pub(crate) fn history_of(
    conn: &Connection,
    keys: &mut Keyring,
    id: &str,
) -> CoreResult<Option<(History, u64, String)>> {
    let row: Option<(String, Option<Vec<u8>>, Option<i64>)> = conn
        .prepare_cached(
            "SELECT r.appointment_id, r.history, a.key_id FROM reminders r JOIN appointments a ON a.id = r.appointment_id
             WHERE r.id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let (appointment_id, sealed, key_id) = row.ok_or(CoreError::NotFound { what: "reminder" })?;
    match (sealed, key_id) {
        (Some(s), Some(k)) => {
            let h = open_history(conn, keys, k as u64, id, &appointment_id, &s)?;
            Ok(Some((h, k as u64, appointment_id)))
        }
        _ => Ok(None),
    }
}

/// Cancels everything for `appointment_id` that has not been handed over yet, saying why in
/// the sealed history; the payload goes. Returns how many.
pub(crate) fn cancel_pending(
    conn: &Connection,
    keys: &mut Keyring,
    appointment_id: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> CoreResult<usize> {
    let pending: Vec<String> = {
        let mut stmt = conn.prepare_cached(
            "SELECT id FROM reminders WHERE appointment_id = ?1
             AND (state = 'planned' OR (state = 'failed' AND next_attempt_at IS NOT NULL))",
        )?;
        let rows = stmt.query_map([appointment_id], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    for id in &pending {
        if let Some((mut h, key_id, appointment_id)) = history_of(conn, keys, id)? {
            h.cancel_reason = Some(reason.to_string());
            let sealed = seal_history(conn, keys, key_id, id, &appointment_id, &h)?;
            conn.execute("UPDATE reminders SET history = ?2 WHERE id = ?1", params![id, sealed])?;
        }
        conn.execute(
            "UPDATE reminders SET state = 'cancelled', reason = 'cancelled', next_attempt_at = NULL, payload = NULL,
                updated_at = ?2 WHERE id = ?1",
            params![id, millis(now)],
        )?;
    }
    Ok(pending.len())
}

/// Before a citizen's key is destroyed: whatever is pending for these appointments is
/// cancelled and every reminder's payload and history destroyed.
pub(crate) fn forget(conn: &Connection, appointment_id: &str, now: DateTime<Utc>) -> CoreResult<()> {
    conn.execute(
        "UPDATE reminders SET state = 'cancelled', reason = 'cancelled', next_attempt_at = NULL, updated_at = ?2
         WHERE appointment_id = ?1 AND (state = 'planned' OR (state = 'failed' AND next_attempt_at IS NOT NULL))",
        params![appointment_id, millis(now)],
    )?;
    conn.execute("UPDATE reminders SET payload = NULL, history = NULL WHERE appointment_id = ?1", [appointment_id])?;
    Ok(())
}

/// Claims left by an earlier process (a different instance) have no outcome and never will
/// from that process: they become `unknown`, for the worker (or a late platform report).
fn settle_orphans(conn: &Connection, instance: &str, now: DateTime<Utc>) -> CoreResult<usize> {
    let n = conn.execute(
        "UPDATE reminders SET state = 'unknown', reason = 'no_outcome_before_restart', claim_id = NULL, lease_until = NULL,
            awaiting_user = 0, payload = NULL, updated_at = ?1
         WHERE state = 'claimed' AND substr(claim_id, 1, 32) != ?2",
        params![millis(now), instance],
    )?;
    if n > 0 {
        log::warn!("{n} reminder claims had no outcome before a restart; marked unknown for the worker");
    }
    Ok(n)
}

struct Claim {
    id: String,
    claim_id: String,
    payload: Payload,
    attempts: u32,
    starts_at: DateTime<Utc>,
}

fn sweep(conn: &Connection, instance: &str, now: DateTime<Utc>, run: &mut OutboxRun) -> CoreResult<()> {
    let t = millis(now);
    run.unknown += settle_orphans(conn, instance, now)? as u32;
    // Leases that ran out without an outcome.
    run.unknown += conn.execute(
        "UPDATE reminders SET state = 'unknown', reason = 'no_outcome_within_lease', claim_id = NULL, lease_until = NULL,
            awaiting_user = 0, payload = NULL, updated_at = ?1 WHERE state = 'claimed' AND lease_until < ?1",
        [t],
    )? as u32;
    // Not sent before the appointment began: final, and shown. A reminder's send time is
    // before its appointment's start, so only reminders already due can be too late.
    run.too_late += conn.execute(
        "UPDATE reminders SET state = 'failed', reason = CASE WHEN hold IS NOT NULL THEN 'held_until_too_late' ELSE 'too_late' END,
            next_attempt_at = NULL, payload = NULL, updated_at = ?1
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

/// Claims a due reminder. One whose payload does not open (damaged or tampered) ends
/// `failed` with reason `payload_unreadable`, shown to the worker, and the run goes on.
fn claim(
    conn: &Connection,
    instance: &str,
    key: &LessSafeKey,
    due: Due,
    now: DateTime<Utc>,
    run: &mut OutboxRun,
) -> CoreResult<Option<Claim>> {
    let Due { id, sealed, attempts, starts_at, .. } = due;
    let t = millis(now);
    let payload = match open_payload(key, &id, &sealed) {
        Ok(p) => p,
        Err(CoreError::Tampered) => {
            conn.execute(
                "UPDATE reminders SET state = 'failed', reason = 'payload_unreadable', next_attempt_at = NULL, payload = NULL,
                    updated_at = ?2 WHERE id = ?1",
                params![id, t],
            )?;
            run.failed += 1;
            log::warn!("a reminder's outbox payload did not open; it is marked failed");
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    let claim_id = format!("{instance}{}", ids::new_id()?);
    let changed = conn.execute(
        "UPDATE reminders SET state = 'claimed', claim_id = ?2, claimed_at = ?3, lease_until = ?4, attempts = attempts + 1,
            next_attempt_at = NULL, awaiting_user = 0, updated_at = ?3
         WHERE id = ?1 AND state IN ('planned', 'failed')",
        params![id, claim_id, t, millis(now + CLAIM_LEASE)],
    )?;
    if changed != 1 {
        return Err(CoreError::Internal { reason: "claim raced" });
    }
    Ok(Some(Claim { id, claim_id, payload, attempts: attempts + 1, starts_at: from_millis(starts_at)? }))
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
                &format!("UPDATE reminders SET state = 'sent', sent_at = ?3, claim_id = NULL, lease_until = NULL, reason = NULL, payload = NULL, updated_at = ?3 {by_claim}"),
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
                &format!("UPDATE reminders SET state = 'failed', reason = ?3, next_attempt_at = ?4, claim_id = NULL, lease_until = NULL,
                    payload = CASE WHEN ?4 IS NULL THEN NULL ELSE payload END, updated_at = ?5 {by_claim}"),
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
                &format!("UPDATE reminders SET state = 'unknown', reason = ?3, claim_id = NULL, lease_until = NULL, payload = NULL, updated_at = ?4 {by_claim}"),
                params![claim.id, claim.claim_id, format!("sender_error: {}", clean_reason(&failure.reason)), t],
            )?;
            run.unknown += 1;
        }
    }
    Ok(())
}

fn held_count(conn: &Connection, now: DateTime<Utc>) -> CoreResult<u32> {
    let _ = now;
    Ok(conn
        .prepare_cached("SELECT count(*) FROM reminders WHERE state = 'planned' AND hold IS NOT NULL")?
        .query_row([], |r| r.get(0))?)
}

impl Vault {
    /// Hands due reminders to `sender`, one at a time, and records each outcome; at most
    /// `limit` in this run (`None`: all that are due). Works while the vault is locked
    /// (reminders go out with the phone in a pocket): only the outbox key, from the platform
    /// key store, is used. The vault is not held while the sender runs, so the sender may
    /// call back into it. A missing outbox key is [`CoreError::PlatformKeysMissing`]; the due
    /// reminders stay planned (and end `too_late`, shown, if it is not restored in time).
    pub fn run_outbox(&self, sender: &dyn SmsSender, limit: Option<u32>) -> CoreResult<OutboxRun> {
        let mut run = OutboxRun::default();
        let instance = self.instance().to_string();
        self.with_store(|conn, now| store::write_tx(conn, |tx| sweep(tx, &instance, now, &mut run)))?;
        // The platform key store is asked for the outbox key only when something is due.
        let mut key: Option<LessSafeKey> = None;
        loop {
            if limit.is_some_and(|l| run.handed_over >= l) {
                run.left_for_next_run = self.with_store(|conn, now| {
                    Ok(conn
                        .prepare_cached(
                            "SELECT count(*) FROM reminders WHERE (state = 'planned' AND hold IS NULL AND send_at <= ?1)
                             OR (state = 'failed' AND next_attempt_at IS NOT NULL AND next_attempt_at <= ?1)",
                        )?
                        .query_row([millis(now)], |r| r.get(0))?)
                })?;
                break;
            }
            let claim = self.with_store(|conn, now| {
                store::write_tx(conn, |tx| {
                    let Some(due) = find_due(tx, now)? else { return Ok(None) };
                    if key.is_none() {
                        key = self.outbox_key(tx, false)?;
                    }
                    let key = key.as_ref().ok_or(CoreError::PlatformKeysMissing)?;
                    claim(tx, &instance, key, due, now, &mut run).map(Some)
                })
            })?;
            let claim = match claim {
                None => break,
                Some(None) => continue,
                Some(Some(c)) => c,
            };
            run.handed_over += 1;
            log::info!("reminder handed to the sender");
            let outcome = sender.send(&claim.id, &claim.payload.number, &claim.payload.text);
            self.with_store(|conn, now| store::write_tx(conn, |tx| record(tx, &claim, outcome, now, &mut run)))?;
        }
        run.held = self.with_store(|conn, now| held_count(conn, now))?;
        Ok(run)
    }

    /// The earliest time something in the outbox needs attention, for the platform's
    /// scheduler (Android's alarm, iOS's background task).
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

    /// The coming send times (planned, not held, and retries), grouped by instant, earliest
    /// first, at most `limit` groups: what iOS schedules local notifications for and Android
    /// its alarm. No PIN needed, and nothing personal: times and counts.
    pub fn upcoming_sends(&self, limit: u32) -> CoreResult<Vec<UpcomingSend>> {
        self.with_store(|conn, now| {
            let mut stmt = conn.prepare_cached(
                "SELECT t, count(*) FROM (
                    SELECT max(send_at, ?1) AS t FROM reminders WHERE state = 'planned' AND hold IS NULL
                    UNION ALL
                    SELECT max(next_attempt_at, ?1) FROM reminders WHERE state = 'failed' AND next_attempt_at IS NOT NULL)
                 GROUP BY t ORDER BY t LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![millis(now), limit], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, u32>(1)?)))?;
            let mut out = Vec::new();
            for row in rows {
                let (t, count) = row?;
                out.push(UpcomingSend { at: from_millis(t)?, count });
            }
            Ok(out)
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

    /// What became of a text whose outcome the sender could not give at once: the user's
    /// answer to the iOS compose sheet, or a platform report (Android's sent broadcast) that
    /// arrives after the claim was given up as `unknown` — because the app died, the lease ran
    /// out or the sender gave up waiting. Accepted for a claimed reminder and for an `unknown`
    /// one (which only the worker, or this report, moves on); never for one the worker has
    /// already resolved. `failure_reason` (a code, as a sender's) says why it was not sent.
    pub fn record_send_result(
        &self,
        reminder_id: &str,
        sent: bool,
        failure_reason: Option<&str>,
    ) -> CoreResult<Reminder> {
        ids::check_id("reminder_id", reminder_id)?;
        self.with_store(|conn, now| {
            let t = millis(now);
            let which = "WHERE id = ?1 AND state IN ('claimed', 'unknown')";
            let changed = if sent {
                conn.execute(
                    &format!("UPDATE reminders SET state = 'sent', sent_at = ?2, reason = NULL, claim_id = NULL, lease_until = NULL,
                        awaiting_user = 0, payload = NULL, updated_at = ?2 {which}"),
                    params![reminder_id, t],
                )?
            } else {
                let reason = failure_reason.map(clean_reason);
                conn.execute(
                    &format!("UPDATE reminders SET state = 'failed',
                        reason = CASE WHEN ?3 IS NOT NULL THEN ?3 WHEN awaiting_user = 1 THEN 'not_sent_by_user' ELSE 'not_sent' END,
                        next_attempt_at = NULL, claim_id = NULL, lease_until = NULL, awaiting_user = 0, payload = NULL, updated_at = ?2 {which}"),
                    params![reminder_id, t, reason],
                )?
            };
            if changed == 0 {
                load(conn, None, reminder_id, now)?;
                return Err(CoreError::InvalidState { reason: "the reminder is not waiting for a send result" });
            }
            load(conn, None, reminder_id, now)
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
            load(ctx.conn, Some(ctx.keys), reminder_id, ctx.now)
        })
    }

    /// Reminders, with their texts: one appointment's, or all not yet final plus the final
    /// ones of the last 7 days when `appointment_id` is `None`.
    pub fn list_reminders(&self, appointment_id: Option<&str>) -> CoreResult<Vec<Reminder>> {
        if let Some(a) = appointment_id {
            ids::check_id("appointment_id", a)?;
        }
        let instance = self.instance().to_string();
        self.with_session(|ctx| {
            settle_orphans(ctx.conn, &instance, ctx.now)?;
            match appointment_id {
                Some(a) => {
                    let exists: Option<String> = ctx
                        .conn
                        .query_row("SELECT id FROM appointments WHERE id = ?1", [a], |r| r.get(0))
                        .optional()?;
                    exists.ok_or(CoreError::NotFound { what: "appointment" })?;
                    for_appointment(ctx.conn, ctx.keys, a, ctx.now)
                }
                None => query(
                    ctx.conn,
                    ctx.keys,
                    "WHERE r.state IN ('planned', 'claimed', 'unknown') OR r.updated_at >= ?1 ORDER BY r.send_at, r.id",
                    [millis(ctx.now - Duration::days(7))],
                    ctx.now,
                ),
            }
        })
    }

    /// Marks claims of earlier processes `unknown` (also done by every outbox run).
    pub(crate) fn settle_outbox(&self, conn: &Connection, now: DateTime<Utc>) -> CoreResult<usize> {
        settle_orphans(conn, self.instance(), now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sender_reasons_are_codes_or_nothing() {
        assert_eq!(clean_reason("RESULT_ERROR_NO_SERVICE"), "result_error_no_service");
        assert_eq!(clean_reason("generic_failure:4"), "generic_failure:4");
        for free_text in ["failed for +45 20 30 40 50", "x20304050", "Ole Hansen", "123", "", "a".repeat(49).as_str()] {
            assert_eq!(clean_reason(free_text), "sender_failed", "{free_text}");
        }
    }
}
