//! The vault's part in the lifecycle of the data: the audit entries it writes with every
//! change of its sealed state, the settings kept in that state (retention, backup reminder,
//! the time of the last backup and unlock), the key backups are sealed under, and the two
//! emergency wipes (a duress PIN; days without an unlock).
//!
//! Everything here lives in the sealed vault state (`state.rs`), readable without the PIN
//! through the platform key store: the status screen shows the backup age while locked, and
//! the inactivity wipe is judged before any PIN is tried. Secrets in it (the backup key, the
//! duress check) are sealed again under keys the PIN or the vault key give.
//!
//! A child of `vault`, so it reaches the vault's private key work; the capabilities that
//! use it (`backup`, `retention`, `export`) sit above.

use super::keyring::{envelope_error, subkey, Keyring, VAULT_KEY_ID};
use super::state::{self, VaultState};
use super::{read_meta, Inner, Vault};
use crate::audit::{self, AuditCheck, AuditKind, AuditObject, AuditPage, AuditSummary, Event};
use crate::crypto::envelope::{self, Aad};
use crate::crypto::{kdf, SecretKey};
use crate::error::{CoreError, CoreResult};
use crate::time::{from_millis, millis};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const DEFAULT_PURGE_AFTER_DAYS: u32 = 30;
pub const DEFAULT_FLAG_FINAL_AFTER_DAYS: u32 = 14;
pub const DEFAULT_REDUCE_APPOINTMENTS_AFTER_DAYS: u32 = 180;
pub const DEFAULT_BACKUP_REMINDER_DAYS: u32 = 7;

/// The file a wipe after days without an unlock leaves in the vault folder: a date and a
/// number of days, nothing else. A duress wipe and a manual wipe leave nothing.
pub const WIPE_NOTICE_FILE: &str = "wiped.json";
/// The snapshot a backup encrypts, in the vault's own (private) folder while it is made.
pub const SNAPSHOT_FILE: &str = "backup-snapshot.tmp";
/// The decrypted backup a restore prepares before it becomes `vault.db`.
pub const RESTORE_FILE: &str = "restore.tmp";
/// Every temporary file of a backup or restore, with what SQLite may keep beside them; a
/// wipe removes them too.
pub const TEMP_FILES: [&str; 6] = [
    SNAPSHOT_FILE,
    RESTORE_FILE,
    "restore.tmp-journal",
    "restore.tmp-wal",
    "restore.tmp-shm",
    "backup-snapshot.tmp-journal",
];

/// How long personal data is kept (SPEC §2 F; GDPR's storage limitation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RetentionSettings {
    /// A journalised note is purged this many days after it was journalised: its text,
    /// amendments and follow-ups are destroyed; the day's counts of topics and help remain.
    pub purge_after_days: u32,
    /// A final note not journalised after this many days is flagged for the worker.
    pub flag_final_after_days: u32,
    /// Appointments that ended this many days ago lose their citizen, place and reminder
    /// texts, and stay as anonymous counts for the no-show figures.
    pub reduce_appointments_after_days: u32,
    /// The worker is reminded to make a backup when the last one is older than this.
    pub backup_reminder_days: u32,
}

impl Default for RetentionSettings {
    fn default() -> Self {
        RetentionSettings {
            purge_after_days: DEFAULT_PURGE_AFTER_DAYS,
            flag_final_after_days: DEFAULT_FLAG_FINAL_AFTER_DAYS,
            reduce_appointments_after_days: DEFAULT_REDUCE_APPOINTMENTS_AFTER_DAYS,
            backup_reminder_days: DEFAULT_BACKUP_REMINDER_DAYS,
        }
    }
}

impl RetentionSettings {
    pub fn check(&self) -> CoreResult<()> {
        if !(1..=3650).contains(&self.purge_after_days) {
            return Err(CoreError::invalid("purge_after_days", "must be between 1 and 3650"));
        }
        if !(1..=365).contains(&self.flag_final_after_days) {
            return Err(CoreError::invalid("flag_final_after_days", "must be between 1 and 365"));
        }
        if !(30..=3650).contains(&self.reduce_appointments_after_days) {
            return Err(CoreError::invalid("reduce_appointments_after_days", "must be between 30 and 3650"));
        }
        if !(1..=365).contains(&self.backup_reminder_days) {
            return Err(CoreError::invalid("backup_reminder_days", "must be between 1 and 365"));
        }
        Ok(())
    }
}

/// What the sealed state keeps of the lifecycle.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Lifecycle {
    pub retention: RetentionSettings,
    /// ms since the epoch, on the injected clock.
    pub last_backup_at: Option<i64>,
    /// The backup before the last one: it counts again when the last one was not kept.
    pub previous_backup_at: Option<i64>,
    pub last_unlock_at: Option<i64>,
    /// Wipe the vault after this many days without an unlock (opt-in).
    pub inactivity_wipe_days: Option<u32>,
    /// A known value sealed under the duress key (from the duress PIN, the PIN wrap's salt
    /// and the key store's factor): it opens only for the duress PIN.
    pub duress: Option<Vec<u8>>,
    /// The backup key (derived from the recovery key) sealed under a subkey of the vault key.
    pub backup_key: Option<Vec<u8>>,
}

/// The lifecycle as the status screen shows it; readable while locked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LifecycleStatus {
    pub last_backup_at: Option<DateTime<Utc>>,
    /// Whole days since the last backup.
    pub backup_age_days: Option<u32>,
    /// No backup yet, or the last is older than `retention.backup_reminder_days`.
    pub backup_overdue: bool,
    /// False when backups need the recovery key replaced first (a vault from before backups).
    pub backup_ready: bool,
    pub retention: RetentionSettings,
    pub inactivity_wipe_days: Option<u32>,
    /// Whole days left before the inactivity wipe, when it is on.
    pub days_until_inactivity_wipe: Option<u32>,
    pub duress_pin_set: bool,
    pub audit_entries: u64,
    /// Final notes waiting longer than `retention.flag_final_after_days` to be journalised.
    pub final_notes_flagged: u32,
}

/// What a wipe after days without an unlock left behind: the file holds one line,
/// `YYYY-MM-DD N` (the date and the number of days).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WipeNotice {
    pub wiped_on: NaiveDate,
    pub after_days: u32,
}

/// The change of the sealed state a flow made in its transaction: the old platform key goes
/// once that transaction has committed ([`Vault::finish_rotation`]).
#[must_use]
pub(crate) struct Rotation(Option<String>);

fn backup_key_aad(vault_id: &str) -> Aad<'_> {
    Aad::new("vault_meta", vault_id, "backup_key")
}

fn duress_aad(vault_id: &str) -> Aad<'_> {
    Aad::new("vault_meta", vault_id, "duress")
}

const DURESS_CHECK: &[u8] = b"brobygger duress check";

/// The backup key: derived from the recovery key alone, so a backup opens on a new phone with
/// nothing but the recovery key (`docs/BACKUP_FORMAT.md`).
pub fn backup_key_from_recovery(recovery: &SecretKey) -> CoreResult<SecretKey> {
    kdf::hkdf(b"brobygger backup", recovery.as_bytes(), b"backup key v1")
}

/// The backup key sealed for the sealed state, under a subkey of the vault key.
pub(crate) fn seal_backup_key(vault_key: &SecretKey, vault_id: &str, backup_key: &SecretKey) -> CoreResult<Vec<u8>> {
    let k = subkey(vault_key, b"backup key wrap v1")?;
    envelope::seal(&k, VAULT_KEY_ID, backup_key_aad(vault_id), backup_key.as_bytes()).map_err(envelope_error)
}

fn open_backup_key(vault_key: &SecretKey, vault_id: &str, sealed: &[u8]) -> CoreResult<SecretKey> {
    let k = subkey(vault_key, b"backup key wrap v1")?;
    let raw = envelope::open(&k, backup_key_aad(vault_id), sealed).map_err(envelope_error)?;
    SecretKey::from_slice(&raw)
}

/// The duress key, from the same stretched PIN and key-store factor as the PIN key (so a
/// guess costs one PBKDF2 and one key store call, whichever PIN it turns out to be).
pub(crate) fn duress_key(stretched: &[u8; 32], factor: &[u8], iterations: u32) -> CoreResult<SecretKey> {
    let mut info = b"brobygger duress v1".to_vec();
    info.extend_from_slice(&kdf::parameters(kdf::PIN_KDF_ALGORITHM, iterations));
    kdf::hkdf(factor, stretched, &info)
}

/// Whether the duress key opens the check sealed in the state.
pub(crate) fn is_duress(key: &SecretKey, vault_id: &str, sealed: &[u8]) -> bool {
    envelope::open(key, duress_aad(vault_id), sealed).is_ok_and(|v| v.as_slice() == DURESS_CHECK)
}

/// Whether the days without an unlock have run out (judged on the injected clock; a clock
/// set back never brings the wipe closer).
pub(crate) fn inactivity_due(st: &VaultState, now: DateTime<Utc>) -> bool {
    match (st.lifecycle.inactivity_wipe_days, st.lifecycle.last_unlock_at) {
        (Some(days), Some(last)) => millis(now) - last >= Duration::days(days as i64).num_milliseconds(),
        _ => false,
    }
}

/// The notice a wipe after days without an unlock left in `dir`, if any.
pub fn wipe_notice(dir: &Path) -> Option<WipeNotice> {
    let raw = std::fs::read_to_string(dir.join(WIPE_NOTICE_FILE)).ok()?;
    let (date, days) = raw.trim().split_once(' ')?;
    Some(WipeNotice { wiped_on: crate::time::date_from_sql(date).ok()?, after_days: days.parse().ok()? })
}

/// Removes the notice (the worker has read it, or a new vault took its place in the audit log).
pub fn dismiss_wipe_notice(dir: &Path) -> CoreResult<()> {
    match std::fs::remove_file(dir.join(WIPE_NOTICE_FILE)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(CoreError::Storage { reason: "cannot remove the wipe notice".into() })
        }
        _ => Ok(()),
    }
}

fn write_wipe_notice(dir: &Path, notice: &WipeNotice) {
    let line = format!("{} {}\n", crate::time::date_to_sql(notice.wiped_on), notice.after_days);
    if std::fs::write(dir.join(WIPE_NOTICE_FILE), line).is_err() {
        log::warn!("the wipe notice could not be written");
    }
}

/// The entry a new vault's log starts with when the one before it was wiped for inactivity.
pub(crate) fn previous_wipe_event(dir: &Path) -> Option<(Event, DateTime<Utc>)> {
    let n = wipe_notice(dir)?;
    let at = n.wiped_on.and_hms_opt(0, 0, 0)?.and_utc();
    Some((Event::counted(AuditKind::PreviousVaultWiped, AuditObject::Inactivity, n.after_days as u64), at))
}

impl Vault {
    /// Writes `st` under a new platform key with `events` appended to the audit log first, in
    /// one transaction (the head in the state and the entries land together).
    pub(super) fn rotate_state_with(
        &self,
        conn: &mut Connection,
        vault_id: &str,
        st: &mut VaultState,
        now: DateTime<Utc>,
        events: &[Event],
    ) -> CoreResult<()> {
        let old = crate::store::write_tx(conn, |tx| {
            for e in events {
                audit::append(tx, &mut st.audit, now, e)?;
            }
            state::write_rotated(tx, &*self.key_store, vault_id, st)
        })?;
        state::delete_old(&*self.key_store, old);
        Ok(())
    }

    /// Appends `events` to the audit log and rotates the sealed state to its new head, in the
    /// caller's transaction; pass the result to [`Vault::finish_rotation`] after the commit.
    /// A state the key store cannot open fails the caller's whole action: nothing that must
    /// be audited happens unaudited.
    pub(crate) fn audit_tx(&self, tx: &Connection, now: DateTime<Utc>, events: &[Event]) -> CoreResult<Rotation> {
        let meta = read_meta(tx)?;
        let (mut st, _) = state::read(tx, &*self.key_store)?;
        for e in events {
            audit::append(tx, &mut st.audit, now, e)?;
        }
        Ok(Rotation(state::write_rotated(tx, &*self.key_store, &meta.vault_id, &st)?))
    }

    pub(crate) fn finish_rotation(&self, rotation: Rotation) {
        state::delete_old(&*self.key_store, rotation.0);
    }

    /// Changes the lifecycle part of the state while unlocked, with audit entries.
    pub(crate) fn change_lifecycle(
        &self,
        events: &[Event],
        f: impl FnOnce(&mut Lifecycle, &str, &Keyring) -> CoreResult<()>,
    ) -> CoreResult<()> {
        self.change_state(events, |st, vault_id, keys| f(&mut st.lifecycle, vault_id, keys))
    }

    /// The state as it stands (no PIN needed).
    fn read_state(&self) -> CoreResult<VaultState> {
        let inner = self.inner();
        let conn = inner.conn.as_ref().ok_or(CoreError::NoVault)?;
        Ok(state::read(conn, &*self.key_store)?.0)
    }

    /// Backups, retention, the emergency wipes and the audit log at a glance. Works locked.
    pub fn lifecycle_status(&self) -> CoreResult<LifecycleStatus> {
        let now = self.clock.now();
        let (st, audit_entries, flagged) = {
            let inner = self.inner();
            let conn = inner.conn.as_ref().ok_or(CoreError::NoVault)?;
            let st = state::read(conn, &*self.key_store)?.0;
            let cutoff = crate::time::days_before(now, st.lifecycle.retention.flag_final_after_days);
            let flagged: u32 = conn.query_row(
                "SELECT count(*) FROM notes WHERE state = 'final' AND finalized_at <= ?1",
                [cutoff],
                |r| r.get(0),
            )?;
            (st, st_entries(conn)?, flagged)
        };
        let l = &st.lifecycle;
        let days_since = |t: i64| ((millis(now) - t).max(0) / Duration::days(1).num_milliseconds()) as u32;
        let backup_age_days = l.last_backup_at.map(days_since);
        Ok(LifecycleStatus {
            last_backup_at: l.last_backup_at.map(from_millis).transpose()?,
            backup_age_days,
            backup_overdue: backup_age_days.is_none_or(|d| d >= l.retention.backup_reminder_days),
            backup_ready: l.backup_key.is_some(),
            retention: l.retention,
            inactivity_wipe_days: l.inactivity_wipe_days,
            days_until_inactivity_wipe: match (l.inactivity_wipe_days, l.last_unlock_at) {
                (Some(days), Some(last)) => Some(days.saturating_sub(days_since(last))),
                _ => None,
            },
            duress_pin_set: l.duress.is_some(),
            audit_entries,
            final_notes_flagged: flagged,
        })
    }

    /// The retention settings (readable while locked).
    pub fn retention_settings(&self) -> CoreResult<RetentionSettings> {
        Ok(self.read_state()?.lifecycle.retention)
    }

    /// Sets how long data is kept, and when the worker is reminded to back up. Audited. The
    /// next [`Vault::run_retention`] (at every unlock) applies it.
    pub fn set_retention_settings(&self, settings: RetentionSettings) -> CoreResult<()> {
        settings.check()?;
        self.change_lifecycle(&[Event::about(AuditKind::SettingsChanged, AuditObject::Retention)], |l, _, _| {
            l.retention = settings;
            Ok(())
        })
    }

    /// Wipes the vault after `days` without an unlock (`None`: never). Judged before every
    /// unlock and by [`Vault::enforce_inactivity_wipe`]; a wipe leaves only a notice with
    /// its date and this number (see [`wipe_notice`]). The count starts now.
    pub fn set_inactivity_wipe_days(&self, days: Option<u32>) -> CoreResult<()> {
        if days.is_some_and(|d| !(1..=365).contains(&d)) {
            return Err(CoreError::invalid("inactivity_wipe_days", "must be between 1 and 365"));
        }
        let now = millis(self.clock.now());
        let event = Event::counted(AuditKind::SettingsChanged, AuditObject::InactivityWipe, days.unwrap_or(0) as u64);
        self.change_lifecycle(&[event], |l, _, _| {
            l.inactivity_wipe_days = days;
            l.last_unlock_at = Some(now);
            Ok(())
        })
    }

    /// For the shells at start and in their background job: wipes the vault when the days
    /// without an unlock have run out. Returns whether it did (the vault object is unusable
    /// afterwards; the folder holds only the notice).
    pub fn enforce_inactivity_wipe(&self) -> CoreResult<bool> {
        let mut guard = self.inner();
        let now = self.clock.now();
        let due = {
            let Some(conn) = guard.conn.as_ref() else { return Ok(false) };
            match state::read(conn, &*self.key_store) {
                Ok((st, _)) => inactivity_due(&st, now).then(|| st.lifecycle.inactivity_wipe_days.unwrap_or(0)),
                // Keys the store no longer has cannot be judged; the recovery key decides.
                Err(CoreError::PlatformKeysMissing) => None,
                Err(e) => return Err(e),
            }
        };
        match due {
            Some(days) => {
                self.wipe_for_inactivity(&mut guard, days, now);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    pub(super) fn wipe_for_inactivity(&self, inner: &mut Inner, days: u32, now: DateTime<Utc>) {
        log::warn!("no unlock for {days} days: the vault is wiped");
        if self.wipe_inner(inner).is_err() {
            log::warn!("the inactivity wipe did not remove everything");
        }
        write_wipe_notice(&self.dir, &WipeNotice { wiped_on: now.date_naive(), after_days: days });
    }

    /// Sets a duress PIN: entered at the PIN screen, it silently wipes the vault, which then
    /// looks freshly installed. It must differ from the PIN. A PIN change or a recovery
    /// removes it (it is tied to the PIN's salt, so that each guess costs one PBKDF2).
    pub fn set_duress_pin(&self, duress_pin: &str) -> CoreResult<()> {
        super::pin::check_new("duress_pin", duress_pin)?;
        let (st, factor_key) = {
            let inner = self.inner();
            let conn = inner.conn.as_ref().ok_or(CoreError::NoVault)?;
            if inner.session.is_none() {
                return Err(CoreError::Locked);
            }
            (state::read(conn, &*self.key_store)?.0, read_meta(conn)?.pin_factor_key.ok_or(CoreError::Corrupt)?)
        };
        let wrap = st.pin.clone().ok_or(CoreError::PinDisabled)?;
        let cost = kdf::checked_iterations(wrap.iterations)?;
        let stretched = kdf::stretch_pin(duress_pin, &wrap.salt, cost);
        let factor = zeroize::Zeroizing::new(
            self.key_store.pin_factor(&factor_key, stretched.as_ref(), false).map_err(state::key_store_error)?,
        );
        let pin_key = kdf::pin_key(&stretched, &factor, wrap.iterations)?;
        let key = duress_key(&stretched, &factor, wrap.iterations)?;
        self.change_state(&[Event::about(AuditKind::DuressPinSet, AuditObject::Pin)], |st, vault_id, _| {
            // The salt must still be the one the check was derived with.
            if st.pin.as_ref().map(|p| &p.salt) != Some(&wrap.salt) {
                return Err(CoreError::InvalidState { reason: "the PIN changed meanwhile; try again" });
            }
            let params = super::pin_params(wrap.iterations);
            if envelope::open(&pin_key, super::pin_aad(vault_id, &params), &wrap.wrap).is_ok() {
                return Err(CoreError::invalid("duress_pin", "must differ from the PIN"));
            }
            st.lifecycle.duress =
                Some(envelope::seal(&key, VAULT_KEY_ID, duress_aad(vault_id), DURESS_CHECK).map_err(envelope_error)?);
            Ok(())
        })
    }

    pub fn remove_duress_pin(&self) -> CoreResult<()> {
        self.change_state(&[Event::about(AuditKind::DuressPinRemoved, AuditObject::Pin)], |st, _, _| {
            st.lifecycle.duress = None;
            Ok(())
        })
    }

    /// The key backups are sealed under (unlocked). `None` for a vault made before backups
    /// existed, until its recovery key is used or replaced.
    pub(crate) fn backup_key_in(
        &self,
        conn: &Connection,
        keys: &Keyring,
    ) -> CoreResult<Option<(SecretKey, VaultState)>> {
        let meta = read_meta(conn)?;
        let (st, _) = state::read(conn, &*self.key_store)?;
        match &st.lifecycle.backup_key {
            Some(sealed) => Ok(Some((open_backup_key(keys.vault_key(), &meta.vault_id, sealed)?, st))),
            None => Ok(None),
        }
    }

    /// How many entries, of what kinds, and when the last: what the audit log shows while locked.
    pub fn audit_summary(&self) -> CoreResult<AuditSummary> {
        let inner = self.inner();
        let conn = inner.conn.as_ref().ok_or(CoreError::NoVault)?;
        audit::summary(conn)
    }

    /// Entries newest first (unlocked): `before` is the previous page's `next_before`.
    pub fn audit_list(&self, before: Option<u64>, limit: u32) -> CoreResult<AuditPage> {
        if limit == 0 || limit > 1000 {
            return Err(CoreError::invalid("limit", "must be between 1 and 1000"));
        }
        self.with_session(|ctx| audit::list(ctx.conn, before, limit))
    }

    /// Walks the chain and compares it with the head sealed in the state: says whether
    /// entries were changed, removed, cut off or added, and from which entry on. Works locked
    /// (it shows positions and counts only).
    pub fn audit_verify(&self) -> CoreResult<AuditCheck> {
        let inner = self.inner();
        let conn = inner.conn.as_ref().ok_or(CoreError::NoVault)?;
        let (st, _) = state::read(conn, &*self.key_store)?;
        audit::verify(conn, &st.audit)
    }
}

fn st_entries(conn: &Connection) -> CoreResult<u64> {
    Ok(conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get::<_, i64>(0))? as u64)
}

/// What [`adopt_restored`] did.
pub(crate) struct Adopted {
    pub reminders_made_unknown: u32,
    pub audit_intact: bool,
    /// The platform keys made for the restored vault (deleted again if the restore fails
    /// after this step).
    pub platform_keys: Vec<String>,
}

/// Makes a restored database this phone's, in one transaction: a new vault id (so its
/// platform keys never meet those of the vault it was copied from, should that still be on
/// the phone), the recovery wrap sealed for it, a new PIN-factor key and PIN wrap, a new
/// sealed state carrying the backup's retention settings and audit head, no outbox key (the
/// first unlock makes one and seals what waits again), claims without an outcome `unknown`,
/// and the restore in the audit log. The vault key stays, so every sealed value and ledger
/// entry stays as it was; the ledger is anchored as it is now.
#[allow(clippy::too_many_arguments)]
pub(crate) fn adopt_restored(
    conn: &mut Connection,
    recovery: &SecretKey,
    new_pin: &str,
    key_store: &dyn super::KeyStore,
    now: DateTime<Utc>,
    head: &audit::AuditHead,
    retention: RetentionSettings,
    backup_created_at: i64,
    previous_wipe: Option<(Event, DateTime<Utc>)>,
) -> CoreResult<Adopted> {
    let (vault_id, recovery_wrap): (String, Vec<u8>) = conn
        .query_row("SELECT vault_id, recovery_wrap FROM vault_meta WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(|_| CoreError::Corrupt)?;
    let raw = envelope::open(recovery, super::recovery_aad(&vault_id), &recovery_wrap)
        .map_err(|_| CoreError::WrongRecoveryKey)?;
    let vault_key = SecretKey::from_slice(&raw)?;
    let new_id = crate::ids::new_id()?;
    let new_wrap = envelope::seal(recovery, VAULT_KEY_ID, super::recovery_aad(&new_id), vault_key.as_bytes())
        .map_err(envelope_error)?;
    let factor_key = state::fresh_key_name(&new_id, "pin")?;
    let mut platform_keys = vec![factor_key.clone()];
    let made = (|| {
        let pin_wrap = super::make_pin_wrap(
            key_store,
            &factor_key,
            &new_id,
            new_pin,
            &vault_key,
            super::PIN_KDF_ITERATIONS_FOR_NEW,
        )?;
        let mut st = VaultState::new(pin_wrap, super::keyring::LEDGER_VERSION);
        st.lifecycle.retention = retention;
        st.lifecycle.last_backup_at = Some(backup_created_at);
        // The recovery key was used: the shells offer a new one, as after every use.
        st.recovery_key_rotation_advised = true;
        st.lifecycle.last_unlock_at = Some(millis(now));
        st.lifecycle.backup_key = Some(seal_backup_key(&vault_key, &new_id, &backup_key_from_recovery(recovery)?)?);
        let audit_intact = audit::verify(conn, head)?.intact();
        st.audit = if audit_intact { head.clone() } else { audit::tail(conn)? };
        st.ledger.digest = Some(crate::ids::hex(&Keyring::ledger_digest(conn)?));
        let mut state_key = None;
        let unknown = crate::store::write_tx(conn, |tx| {
            tx.execute(
                "UPDATE vault_meta SET vault_id = ?1, format = 2, recovery_wrap = ?2, pin_factor_key = ?3,
                    outbox_key_wrapped = NULL, state_key = '', state_secret = x'', state = x'', previous_state_key = NULL,
                    legacy_kdf_iterations = NULL, legacy_failed_pin_attempts = NULL, legacy_device_key_name = NULL,
                    legacy_device_secret_wrapped = NULL, legacy_pin_salt = NULL, legacy_pin_wrap = NULL
                 WHERE id = 1",
                rusqlite::params![new_id, new_wrap, factor_key],
            )?;
            let unknown = tx.execute(
                "UPDATE reminders SET state = 'unknown', reason = 'no_outcome_before_restart', claim_id = NULL,
                    lease_until = NULL, awaiting_user = 0, payload = NULL, updated_at = ?1
                 WHERE state = 'claimed'",
                [millis(now)],
            )?;
            // What the old outbox key sealed cannot be opened here; the first unlock seals
            // what still waits again from the sealed history.
            tx.execute("UPDATE reminders SET payload = NULL WHERE payload IS NOT NULL", [])?;
            // A vault wiped here for inactivity before this restore: its log says so, as a
            // new vault's does.
            if let Some((e, at)) = &previous_wipe {
                audit::append(tx, &mut st.audit, *at, e)?;
            }
            audit::append(tx, &mut st.audit, now, &Event::about(AuditKind::Restored, AuditObject::Backup))?;
            state::write_rotated(tx, key_store, &new_id, &st)?;
            state_key = tx.query_row("SELECT state_key FROM vault_meta WHERE id = 1", [], |r| r.get(0)).ok();
            Ok(unknown as u32)
        });
        platform_keys.extend(state_key);
        Ok::<_, CoreError>((unknown?, audit_intact))
    })();
    match made {
        Ok((reminders_made_unknown, audit_intact)) => {
            Ok(Adopted { reminders_made_unknown, audit_intact, platform_keys })
        }
        Err(e) => {
            for k in &platform_keys {
                let _ = key_store.delete_key(k);
            }
            Err(e)
        }
    }
}
