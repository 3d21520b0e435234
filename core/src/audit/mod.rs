//! The audit log (SPEC §2 I): who unlocked, exported, backed up, restored, deleted or purged
//! what, without personal data. An entry is a kind, a time, the kind of object and a count:
//! never a name, a number, a text or an id.
//!
//! Append-only and hash-chained: entry `n` stores `SHA-256(label ‖ hash(n-1) ‖ n ‖ time ‖ kind
//! ‖ object ‖ count)`, the first one chaining from 32 zero bytes. The head (sequence number and
//! hash of the last entry) lives in the sealed vault state (`vault::state`), written in the
//! same transaction as the entry and anchored by the platform key store, which replaces its key
//! at every change. So an entry edited or deleted breaks the chain at that entry, entries cut
//! off the end leave the head pointing past the last one, and entries added behind the app's
//! back lie beyond the head; [`verify`] says which, and where.
//!
//! Triggers refuse `UPDATE` and `DELETE` on the table (migration 12); dropping them is a
//! schema change, which the schema check at open refuses.
//!
//! This module sits below `vault` (the vault writes its own entries: unlocks, wrong PINs);
//! the head travels in the vault's state, not here.

use crate::error::{CoreError, CoreResult};
use crate::ids;
use crate::time::{from_millis, millis};
use chrono::{DateTime, Utc};
use ring::digest;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// What happened. The stable codes are what the table stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AuditKind {
    VaultCreated,
    Unlocked,
    WrongPin,
    /// Ten wrong PINs in a row destroyed the PIN wrap.
    PinDisabled,
    RecoveryKeyUsed,
    PinChanged,
    BiometricEnrolled,
    BiometricRemoved,
    BiometricSettingChanged,
    RecoveryKeyReplaced,
    CitizenExported,
    BackupCreated,
    /// This vault was restored from a backup (the first entry after the backup's own ones).
    Restored,
    Deleted,
    NotesPurged,
    AppointmentsReduced,
    ReminderResent,
    ReminderDropped,
    DuressPinSet,
    DuressPinRemoved,
    SettingsChanged,
    /// The vault that was in this folder before was wiped (after days without an unlock).
    PreviousVaultWiped,
}

impl AuditKind {
    pub const ALL: [AuditKind; 22] = [
        AuditKind::VaultCreated,
        AuditKind::Unlocked,
        AuditKind::WrongPin,
        AuditKind::PinDisabled,
        AuditKind::RecoveryKeyUsed,
        AuditKind::PinChanged,
        AuditKind::BiometricEnrolled,
        AuditKind::BiometricRemoved,
        AuditKind::BiometricSettingChanged,
        AuditKind::RecoveryKeyReplaced,
        AuditKind::CitizenExported,
        AuditKind::BackupCreated,
        AuditKind::Restored,
        AuditKind::Deleted,
        AuditKind::NotesPurged,
        AuditKind::AppointmentsReduced,
        AuditKind::ReminderResent,
        AuditKind::ReminderDropped,
        AuditKind::DuressPinSet,
        AuditKind::DuressPinRemoved,
        AuditKind::SettingsChanged,
        AuditKind::PreviousVaultWiped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditKind::VaultCreated => "vault_created",
            AuditKind::Unlocked => "unlocked",
            AuditKind::WrongPin => "wrong_pin",
            AuditKind::PinDisabled => "pin_disabled",
            AuditKind::RecoveryKeyUsed => "recovery_key_used",
            AuditKind::PinChanged => "pin_changed",
            AuditKind::BiometricEnrolled => "biometric_enrolled",
            AuditKind::BiometricRemoved => "biometric_removed",
            AuditKind::BiometricSettingChanged => "biometric_setting_changed",
            AuditKind::RecoveryKeyReplaced => "recovery_key_replaced",
            AuditKind::CitizenExported => "citizen_exported",
            AuditKind::BackupCreated => "backup_created",
            AuditKind::Restored => "restored",
            AuditKind::Deleted => "deleted",
            AuditKind::NotesPurged => "notes_purged",
            AuditKind::AppointmentsReduced => "appointments_reduced",
            AuditKind::ReminderResent => "reminder_resent",
            AuditKind::ReminderDropped => "reminder_dropped",
            AuditKind::DuressPinSet => "duress_pin_set",
            AuditKind::DuressPinRemoved => "duress_pin_removed",
            AuditKind::SettingsChanged => "settings_changed",
            AuditKind::PreviousVaultWiped => "previous_vault_wiped",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The kind of thing an entry is about (never which one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AuditObject {
    Pin,
    Biometric,
    RecoveryKey,
    Citizen,
    Draft,
    Note,
    Appointment,
    Reminder,
    Backup,
    Retention,
    InactivityWipe,
    /// A wipe after days without an unlock.
    Inactivity,
}

impl AuditObject {
    pub const ALL: [AuditObject; 12] = [
        AuditObject::Pin,
        AuditObject::Biometric,
        AuditObject::RecoveryKey,
        AuditObject::Citizen,
        AuditObject::Draft,
        AuditObject::Note,
        AuditObject::Appointment,
        AuditObject::Reminder,
        AuditObject::Backup,
        AuditObject::Retention,
        AuditObject::InactivityWipe,
        AuditObject::Inactivity,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditObject::Pin => "pin",
            AuditObject::Biometric => "biometric",
            AuditObject::RecoveryKey => "recovery_key",
            AuditObject::Citizen => "citizen",
            AuditObject::Draft => "draft",
            AuditObject::Note => "note",
            AuditObject::Appointment => "appointment",
            AuditObject::Reminder => "reminder",
            AuditObject::Backup => "backup",
            AuditObject::Retention => "retention",
            AuditObject::InactivityWipe => "inactivity_wipe",
            AuditObject::Inactivity => "inactivity",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One thing to record: kind, object and count (the time is the call's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    pub kind: AuditKind,
    pub object: Option<AuditObject>,
    pub count: u64,
}

impl Event {
    pub const fn new(kind: AuditKind) -> Self {
        Event { kind, object: None, count: 0 }
    }

    pub const fn about(kind: AuditKind, object: AuditObject) -> Self {
        Event { kind, object: Some(object), count: 0 }
    }

    pub const fn counted(kind: AuditKind, object: AuditObject, count: u64) -> Self {
        Event { kind, object: Some(object), count }
    }
}

/// One entry as listed after unlocking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub kind: AuditKind,
    pub object: Option<AuditObject>,
    pub count: u64,
}

/// A page of entries, newest first. Rows whose kind this version does not know (written by a
/// newer version, or edited) are counted, not shown; [`verify`] tells an edit apart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub unreadable: u32,
    /// Pass as `before` for the next (older) page; `None` at the first entry.
    pub next_before: Option<u64>,
}

/// The last entry the sealed state knows of: sequence number and hash (hex; empty before the
/// first entry).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditHead {
    pub seq: u64,
    pub hash: String,
}

impl AuditHead {
    fn hash_bytes(&self) -> CoreResult<[u8; 32]> {
        if self.hash.is_empty() {
            return Ok([0u8; 32]);
        }
        decode_hex32(&self.hash).ok_or(CoreError::Tampered)
    }
}

/// What [`verify`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditProblem {
    /// The entry at `at_seq` is not the one the chain recorded (edited, or replaced).
    EntryChanged,
    /// The entry at `at_seq` is missing (deleted from the middle).
    EntryMissing,
    /// Entries from `at_seq` on were cut off: the sealed head names a later entry.
    Truncated,
    /// Entries from `at_seq` on were added behind the app's back: the sealed head ends before.
    UnknownEntries,
}

impl AuditProblem {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditProblem::EntryChanged => "entry_changed",
            AuditProblem::EntryMissing => "entry_missing",
            AuditProblem::Truncated => "truncated",
            AuditProblem::UnknownEntries => "unknown_entries",
        }
    }
}

/// The result of checking the chain against the sealed head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditCheck {
    /// Entries in the table.
    pub entries: u64,
    /// The sequence number the sealed head names (the entries the app wrote).
    pub sealed_entries: u64,
    /// The first problem, and the sequence number where the chain breaks.
    pub problem: Option<(AuditProblem, u64)>,
}

impl AuditCheck {
    pub fn intact(&self) -> bool {
        self.problem.is_none()
    }
}

/// How many entries of each kind, and the time of the last: what may be read while locked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditSummary {
    pub entries: u64,
    pub by_kind: Vec<(AuditKind, u64)>,
    pub last_at: Option<DateTime<Utc>>,
}

const LABEL: &[u8] = b"brobygger-audit-v1";

fn entry_hash(prev: &[u8; 32], seq: u64, at: i64, kind: &str, object: &str, count: u64) -> [u8; 32] {
    let mut ctx = digest::Context::new(&digest::SHA256);
    ctx.update(LABEL);
    ctx.update(prev);
    ctx.update(&seq.to_be_bytes());
    ctx.update(&at.to_be_bytes());
    for part in [kind, object] {
        ctx.update(&(part.len() as u32).to_be_bytes());
        ctx.update(part.as_bytes());
    }
    ctx.update(&count.to_be_bytes());
    let mut out = [0u8; 32];
    out.copy_from_slice(ctx.finish().as_ref());
    out
}

fn decode_hex32(s: &str) -> Option<[u8; 32]> {
    if s.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// Appends `event` after `head`, in the caller's transaction, and moves `head` on. The caller
/// writes `head` into the sealed state in the same transaction.
pub(crate) fn append(conn: &Connection, head: &mut AuditHead, at: DateTime<Utc>, event: &Event) -> CoreResult<()> {
    let prev = head.hash_bytes()?;
    // After the head, unless rows were planted beyond it: their numbers are skipped (the
    // chain then breaks there, and says so), so a planted row can never block a write.
    let last: Option<i64> = conn.prepare_cached("SELECT max(seq) FROM audit_log")?.query_row([], |r| r.get(0))?;
    let seq = head.seq.max(last.unwrap_or(0).max(0) as u64) + 1;
    let at = millis(at);
    let object = event.object.map(AuditObject::as_str);
    let hash = entry_hash(&prev, seq, at, event.kind.as_str(), object.unwrap_or(""), event.count);
    conn.prepare_cached("INSERT INTO audit_log (seq, at, kind, object, count, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?
        .execute(params![seq as i64, at, event.kind.as_str(), object, event.count as i64, hash.to_vec()])?;
    *head = AuditHead { seq, hash: ids::hex(&hash) };
    Ok(())
}

/// The last entry in the table, as a head. Used only where the sealed head is gone (the
/// platform keys were lost and the recovery key opened the vault): the chain is anchored
/// anew from the file, which is then trusted as it stands.
pub(crate) fn tail(conn: &Connection) -> CoreResult<AuditHead> {
    let last: Option<(i64, Vec<u8>)> = conn
        .query_row("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(match last {
        Some((seq, hash)) => AuditHead { seq: seq as u64, hash: ids::hex(&hash) },
        None => AuditHead::default(),
    })
}

/// Walks the chain from the first entry and compares its end with `head`.
pub(crate) fn verify(conn: &Connection, head: &AuditHead) -> CoreResult<AuditCheck> {
    let mut stmt = conn.prepare("SELECT seq, at, kind, object, count, hash FROM audit_log ORDER BY seq")?;
    let mut rows = stmt.query([])?;
    let mut prev = [0u8; 32];
    let mut expected_seq = 1u64;
    let mut entries = 0u64;
    let mut problem = None;
    // The hash of the entry the head names, as the table has it.
    let mut at_head: Option<[u8; 32]> = if head.seq == 0 { Some([0u8; 32]) } else { None };
    while let Some(r) = rows.next()? {
        entries += 1;
        let seq = r.get::<_, i64>(0)? as u64;
        let at: i64 = r.get(1)?;
        let kind: String = r.get(2)?;
        let object: Option<String> = r.get(3)?;
        let count = r.get::<_, i64>(4)? as u64;
        let stored: Vec<u8> = r.get(5)?;
        if problem.is_some() {
            continue;
        }
        if seq != expected_seq {
            problem = Some((AuditProblem::EntryMissing, expected_seq));
            continue;
        }
        let hash = entry_hash(&prev, seq, at, &kind, object.as_deref().unwrap_or(""), count);
        if hash.as_slice() != stored.as_slice() {
            problem = Some((AuditProblem::EntryChanged, seq));
            continue;
        }
        if seq == head.seq {
            at_head = Some(hash);
        }
        prev = hash;
        expected_seq += 1;
    }
    let last_good = expected_seq - 1;
    if problem.is_none() {
        let head_hash = head.hash_bytes()?;
        problem = if last_good < head.seq {
            Some((AuditProblem::Truncated, last_good + 1))
        } else if at_head != Some(head_hash) {
            // The chain is whole but does not pass through the sealed head: rewritten.
            Some((AuditProblem::EntryChanged, head.seq.max(1)))
        } else if last_good > head.seq {
            Some((AuditProblem::UnknownEntries, head.seq + 1))
        } else {
            None
        };
    }
    Ok(AuditCheck { entries, sealed_entries: head.seq, problem })
}

/// Newest first, at most `limit`, before sequence number `before` when given.
pub(crate) fn list(conn: &Connection, before: Option<u64>, limit: u32) -> CoreResult<AuditPage> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, at, kind, object, count FROM audit_log WHERE ?1 IS NULL OR seq < ?1 ORDER BY seq DESC LIMIT ?2",
    )?;
    let mut rows = stmt.query(params![before.map(|b| b as i64), limit])?;
    let mut page = AuditPage::default();
    let mut last_seq = None;
    let mut seen = 0u32;
    while let Some(r) = rows.next()? {
        seen += 1;
        let seq = r.get::<_, i64>(0)? as u64;
        last_seq = Some(seq);
        let kind = AuditKind::parse(&r.get::<_, String>(2)?);
        let object = match r.get::<_, Option<String>>(3)? {
            Some(o) => AuditObject::parse(&o).map(Some),
            None => Some(None),
        };
        match (kind, object, from_millis(r.get(1)?)) {
            (Some(kind), Some(object), Ok(at)) => {
                page.entries.push(AuditEntry { seq, at, kind, object, count: r.get::<_, i64>(4)?.max(0) as u64 })
            }
            _ => page.unreadable += 1,
        }
    }
    if seen == limit {
        page.next_before = last_seq.filter(|s| *s > 1);
    }
    Ok(page)
}

/// Counts by kind (no times but the last): what the log says while the vault is locked.
pub(crate) fn summary(conn: &Connection) -> CoreResult<AuditSummary> {
    let mut stmt = conn.prepare("SELECT kind, count(*) FROM audit_log GROUP BY kind")?;
    let mut rows = stmt.query([])?;
    let mut out = AuditSummary::default();
    while let Some(r) = rows.next()? {
        let n = r.get::<_, i64>(1)? as u64;
        out.entries += n;
        if let Some(k) = AuditKind::parse(&r.get::<_, String>(0)?) {
            out.by_kind.push((k, n));
        }
    }
    out.by_kind.sort();
    let last: Option<i64> = conn.query_row("SELECT max(at) FROM audit_log", [], |r| r.get(0))?;
    out.last_at = last.map(from_millis).transpose()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn db() -> Connection {
        let c = Connection::open_in_memory().unwrap();
        crate::store::migrations::migrate(&c).unwrap();
        c
    }

    fn t(min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 4, 1, 8, min, 0).unwrap()
    }

    fn filled(n: u64) -> (Connection, AuditHead) {
        let c = db();
        let mut head = AuditHead::default();
        for i in 0..n {
            let e = Event::counted(AuditKind::NotesPurged, AuditObject::Note, i);
            append(&c, &mut head, t(i as u32 % 60), &e).unwrap();
        }
        (c, head)
    }

    fn unguarded(c: &Connection, sql: &str) {
        c.execute_batch(&format!(
            "DROP TRIGGER audit_log_append_only_update; DROP TRIGGER audit_log_append_only_delete; {sql}"
        ))
        .unwrap();
    }

    #[test]
    fn codes_round_trip() {
        for k in AuditKind::ALL {
            assert_eq!(AuditKind::parse(k.as_str()), Some(k));
        }
        for o in AuditObject::ALL {
            assert_eq!(AuditObject::parse(o.as_str()), Some(o));
        }
    }

    #[test]
    fn an_intact_chain_verifies_and_each_break_is_placed() {
        let (c, head) = filled(6);
        assert_eq!(verify(&c, &head).unwrap(), AuditCheck { entries: 6, sealed_entries: 6, problem: None });
        assert_eq!(tail(&c).unwrap(), head);

        let (c, head) = filled(6);
        unguarded(&c, "UPDATE audit_log SET count = 99 WHERE seq = 3");
        assert_eq!(verify(&c, &head).unwrap().problem, Some((AuditProblem::EntryChanged, 3)));

        let (c, head) = filled(6);
        unguarded(&c, "DELETE FROM audit_log WHERE seq = 4");
        assert_eq!(verify(&c, &head).unwrap().problem, Some((AuditProblem::EntryMissing, 4)));

        let (c, head) = filled(6);
        unguarded(&c, "DELETE FROM audit_log WHERE seq >= 5");
        assert_eq!(verify(&c, &head).unwrap().problem, Some((AuditProblem::Truncated, 5)));

        // A chain recomputed from the start after an edit does not end in the sealed head.
        let (c, head) = filled(3);
        unguarded(&c, "DELETE FROM audit_log");
        let mut forged = AuditHead::default();
        for i in 0..3 {
            append(&c, &mut forged, t(i), &Event::new(AuditKind::Unlocked)).unwrap();
        }
        assert_eq!(verify(&c, &head).unwrap().problem, Some((AuditProblem::EntryChanged, 3)));

        // Entries added beyond the head the app sealed.
        let (c, head) = filled(3);
        let mut extra = head.clone();
        append(&c, &mut extra, t(9), &Event::new(AuditKind::Unlocked)).unwrap();
        assert_eq!(verify(&c, &head).unwrap().problem, Some((AuditProblem::UnknownEntries, 4)));
    }

    #[test]
    fn a_planted_row_beyond_the_head_never_blocks_the_next_entry() {
        let (c, mut head) = filled(3);
        let sealed = head.clone();
        let mut planted = head.clone();
        append(&c, &mut planted, t(9), &Event::new(AuditKind::Unlocked)).unwrap();
        append(&c, &mut head, t(10), &Event::new(AuditKind::WrongPin)).unwrap();
        assert_eq!(head.seq, 5);
        assert_eq!(verify(&c, &head).unwrap().problem, Some((AuditProblem::EntryChanged, 5)));
        assert_eq!(verify(&c, &sealed).unwrap().problem, Some((AuditProblem::EntryChanged, 5)));
    }

    #[test]
    fn the_table_refuses_updates_and_deletes() {
        let (c, _) = filled(2);
        assert!(c.execute("UPDATE audit_log SET count = 5", []).is_err());
        assert!(c.execute("DELETE FROM audit_log", []).is_err());
    }

    #[test]
    fn pages_go_back_in_time_and_summaries_count() {
        let (c, _) = filled(5);
        let p = list(&c, None, 2).unwrap();
        assert_eq!(p.entries.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![5, 4]);
        let p2 = list(&c, p.next_before, 2).unwrap();
        assert_eq!(p2.entries.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![3, 2]);
        let p3 = list(&c, p2.next_before, 2).unwrap();
        assert_eq!(p3.entries.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![1]);
        assert_eq!(p3.next_before, None);
        let s = summary(&c).unwrap();
        assert_eq!(s.entries, 5);
        assert_eq!(s.by_kind, vec![(AuditKind::NotesPurged, 5)]);
    }
}
