//! The lifecycle of the data for the shells: backup and restore, retention, the audit log,
//! the access-request export and the emergency wipes, with their words.
//!
//! Files: the core reads and writes paths only. On Android the shell writes a backup into the
//! app's cache (`create_backup`), then copies it to where the user picked with the system file
//! picker (`ACTION_CREATE_DOCUMENT`) and deletes the cache copy; a restore copies the picked
//! document (`ACTION_OPEN_DOCUMENT`) into the cache first. On iOS the same with the document
//! picker (`UIDocumentPickerViewController`, export / open). The file is encrypted whole, so
//! the copies hold nothing in clear. An access-request export comes back as a string, which
//! the shell writes where the user points; the core keeps no copy.
//!
//! Like everything on `Vault`, none of these may run on the main thread: a backup or restore
//! of a large vault takes a second or two.

use crate::error::guard;
use crate::messages::Language;
use crate::platform::{Clock, ClockAdapter, KeyStore, KeyStoreAdapter};
use crate::time::LocalDate;
use crate::types::{at, mirror_enum};
use crate::vault::Vault;
use crate::BrobyggerError;
use brobygger_core as core;
use core::messages as m;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

type R<T> = Result<T, BrobyggerError>;

/// A backup written and read back whole.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BackupInfo {
    pub path: String,
    pub bytes: u64,
    pub created_at: SystemTime,
}

/// Why a file is not a backup that opens (see `docs/BACKUP_FORMAT.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum BackupDefect {
    NotABackup,
    NewerFormat { found: u8 },
    WrongKey,
    HeaderDamaged,
    Damaged { chunk: u64 },
    Truncated { chunks: u64 },
    TrailingData { chunks: u64 },
    Malformed,
}

impl From<core::BackupDefect> for BackupDefect {
    fn from(d: core::BackupDefect) -> Self {
        use core::BackupDefect as D;
        match d {
            D::NotABackup => BackupDefect::NotABackup,
            D::NewerFormat { found } => BackupDefect::NewerFormat { found },
            D::WrongKey => BackupDefect::WrongKey,
            D::HeaderDamaged => BackupDefect::HeaderDamaged,
            D::Damaged { chunk } => BackupDefect::Damaged { chunk },
            D::Truncated { chunks } => BackupDefect::Truncated { chunks },
            D::TrailingData { chunks } => BackupDefect::TrailingData { chunks },
            D::Malformed => BackupDefect::Malformed,
        }
    }
}

impl From<BackupDefect> for core::BackupDefect {
    fn from(d: BackupDefect) -> Self {
        use core::BackupDefect as D;
        match d {
            BackupDefect::NotABackup => D::NotABackup,
            BackupDefect::NewerFormat { found } => D::NewerFormat { found },
            BackupDefect::WrongKey => D::WrongKey,
            BackupDefect::HeaderDamaged => D::HeaderDamaged,
            BackupDefect::Damaged { chunk } => D::Damaged { chunk },
            BackupDefect::Truncated { chunks } => D::Truncated { chunks },
            BackupDefect::TrailingData { chunks } => D::TrailingData { chunks },
            BackupDefect::Malformed => D::Malformed,
        }
    }
}

impl BackupDefect {
    /// The defect's stable code, as the core spells it (`not_a_backup`, `damaged`, ...).
    pub fn code(self) -> &'static str {
        core::BackupDefect::from(self).code()
    }
}

/// What checking a backup found: `defect` (and `message`, in words) is null when it opens whole.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BackupCheck {
    pub defect: Option<BackupDefect>,
    pub message: Option<String>,
    pub created_at: Option<SystemTime>,
    pub schema: Option<u32>,
    pub bytes: u64,
}

/// What a restore brought back.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RestoreReport {
    /// Nothing after this moment is in the restored vault.
    pub backup_created_at: SystemTime,
    pub citizens: u32,
    pub notes: u32,
    pub appointments: u32,
    /// Reminders handed over before the backup without a known outcome: now `UNKNOWN`.
    pub reminders_made_unknown: u32,
    /// False when the backup's audit log did not match its sealed head (say so once).
    pub audit_intact: bool,
}

impl From<core::backup::RestoreReport> for RestoreReport {
    fn from(r: core::backup::RestoreReport) -> Self {
        RestoreReport {
            backup_created_at: at(r.backup_created_at),
            citizens: r.citizens,
            notes: r.notes,
            appointments: r.appointments,
            reminders_made_unknown: r.reminders_made_unknown,
            audit_intact: r.audit_intact,
        }
    }
}

impl From<RestoreReport> for core::backup::RestoreReport {
    fn from(r: RestoreReport) -> Self {
        core::backup::RestoreReport {
            backup_created_at: r.backup_created_at.into(),
            citizens: r.citizens,
            notes: r.notes,
            appointments: r.appointments,
            reminders_made_unknown: r.reminders_made_unknown,
            audit_intact: r.audit_intact,
        }
    }
}

#[derive(uniffi::Record)]
pub struct RestoredVault {
    pub vault: Arc<Vault>,
    pub report: RestoreReport,
}

/// How long personal data is kept (days), and when to remind about backups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct RetentionSettings {
    /// 1–3650, default 30.
    pub purge_after_days: u32,
    /// 1–365, default 14.
    pub flag_final_after_days: u32,
    /// 30–3650, default 180.
    pub reduce_appointments_after_days: u32,
    /// 1–365, default 7.
    pub backup_reminder_days: u32,
}

impl From<core::RetentionSettings> for RetentionSettings {
    fn from(s: core::RetentionSettings) -> Self {
        RetentionSettings {
            purge_after_days: s.purge_after_days,
            flag_final_after_days: s.flag_final_after_days,
            reduce_appointments_after_days: s.reduce_appointments_after_days,
            backup_reminder_days: s.backup_reminder_days,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct RetentionReport {
    pub notes_purged: u32,
    pub unreadable_purged: u32,
    pub appointments_reduced: u32,
    pub final_notes_flagged: u32,
}

impl From<core::RetentionReport> for RetentionReport {
    fn from(r: core::RetentionReport) -> Self {
        RetentionReport {
            notes_purged: r.notes_purged,
            unreadable_purged: r.unreadable_purged,
            appointments_reduced: r.appointments_reduced,
            final_notes_flagged: r.final_notes_flagged,
        }
    }
}

impl From<RetentionReport> for core::RetentionReport {
    fn from(r: RetentionReport) -> Self {
        core::RetentionReport {
            notes_purged: r.notes_purged,
            unreadable_purged: r.unreadable_purged,
            appointments_reduced: r.appointments_reduced,
            final_notes_flagged: r.final_notes_flagged,
        }
    }
}

/// Backups, retention, the wipes and the log at a glance; readable while locked.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LifecycleStatus {
    pub last_backup_at: Option<SystemTime>,
    pub backup_age_days: Option<u32>,
    /// No backup yet, or older than `retention.backup_reminder_days`: remind the worker.
    pub backup_overdue: bool,
    /// The backup's age (and the reminder) in words.
    pub backup_message: String,
    /// False: the recovery key must be replaced once before the first backup.
    pub backup_ready: bool,
    pub retention: RetentionSettings,
    pub final_notes_flagged: u32,
    pub inactivity_wipe_days: Option<u32>,
    pub days_until_inactivity_wipe: Option<u32>,
    pub duress_pin_set: bool,
    pub audit_entries: u64,
}

/// What a wipe after days without an unlock left in the folder.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct WipeNotice {
    pub wiped_on: LocalDate,
    pub after_days: u32,
    pub message: String,
}

mirror_enum!(
/// What an audit entry records.
AuditKind => core::AuditKind {
    VaultCreated, Unlocked, WrongPin, PinDisabled, RecoveryKeyUsed, PinChanged, BiometricEnrolled,
    BiometricRemoved, BiometricSettingChanged, RecoveryKeyReplaced, CitizenExported, BackupCreated,
    Restored, Deleted, NotesPurged, AppointmentsReduced, ReminderResent, ReminderDropped, DuressPinSet,
    DuressPinRemoved, SettingsChanged, PreviousVaultWiped
});
mirror_enum!(
    /// How the audit log's chain breaks.
    AuditProblem => core::AuditProblem { EntryChanged, EntryMissing, Truncated, UnknownEntries });

/// An audit entry, with what it records in words.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AuditEntry {
    pub seq: u64,
    pub at: SystemTime,
    pub kind: AuditKind,
    pub text: String,
}

/// Entries newest first; pass `next_before` for the next (older) page.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub unreadable: u32,
    pub next_before: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AuditCheck {
    pub entries: u64,
    pub sealed_entries: u64,
    /// Null when the chain is whole.
    pub problem: Option<AuditProblem>,
    /// The entry from which the chain breaks.
    pub broken_at: Option<u64>,
    pub message: String,
}

fn check(c: core::BackupCheck, lang: m::Language) -> BackupCheck {
    BackupCheck {
        defect: c.defect.map(Into::into),
        message: c.defect.map(|d| m::backup_defect(d, lang)),
        created_at: c.created_at.map(at),
        schema: c.schema,
        bytes: c.bytes,
    }
}

/// Checks a backup with the recovery key it was made under (no vault needed): every chunk is
/// opened and authenticated, nothing is written.
#[uniffi::export]
pub fn verify_backup_with_recovery_key(
    backup_path: String,
    recovery_key: String,
    language: Language,
) -> R<BackupCheck> {
    guard(|| {
        let c = core::backup::verify_backup_with_recovery_key(&PathBuf::from(backup_path), &recovery_key)?;
        Ok(check(c, language.into()))
    })
}

/// Restores a backup into `target_dir` (which must not hold a vault) with the recovery key and
/// a new PIN; returns the vault unlocked. The whole file is verified before anything is
/// written; a failure leaves no vault behind.
#[uniffi::export]
pub fn restore_backup(
    backup_path: String,
    recovery_key: String,
    target_dir: String,
    new_pin: String,
    key_store: Arc<dyn KeyStore>,
    clock: Arc<dyn Clock>,
) -> R<RestoredVault> {
    guard(|| {
        let r = core::backup::restore_files(
            &PathBuf::from(backup_path),
            &recovery_key,
            &PathBuf::from(&target_dir),
            &new_pin,
            Arc::new(KeyStoreAdapter(key_store.clone())),
            Arc::new(ClockAdapter(clock.clone())),
        )?;
        let vault = Vault::open(target_dir, key_store, clock)?;
        vault.unlock(new_pin)?;
        Ok(RestoredVault { vault, report: r.into() })
    })
}

/// What a restore brought back, in words (the backup's time shown in Danish local time).
#[uniffi::export]
pub fn restore_report_message(report: RestoreReport, language: Language) -> String {
    let r = core::backup::RestoreReport::from(report);
    let local = match core::venues::parse_zone(core::venues::DEFAULT_TIME_ZONE) {
        Ok(home) => r.backup_created_at.with_timezone(&home).naive_local(),
        Err(_) => r.backup_created_at.naive_utc(),
    };
    m::restore_report(&r, local, language.into())
}

/// What applying the retention did, in words.
#[uniffi::export]
pub fn retention_report_message(report: RetentionReport, language: Language) -> String {
    m::retention_report(&report.into(), language.into())
}

/// What a wipe after days without an unlock left in `dir`: show it once on the set-up screen.
#[uniffi::export]
pub fn wipe_notice(dir: String, language: Language) -> Option<WipeNotice> {
    core::vault::lifecycle::wipe_notice(&PathBuf::from(dir)).map(|n| WipeNotice {
        wiped_on: n.wiped_on.into(),
        after_days: n.after_days,
        message: m::wipe_notice(n.wiped_on, n.after_days, language.into()),
    })
}

#[uniffi::export]
pub fn dismiss_wipe_notice(dir: String) -> R<()> {
    guard(|| Ok(core::vault::lifecycle::dismiss_wipe_notice(&PathBuf::from(dir))?))
}

#[uniffi::export]
impl Vault {
    /// Writes a backup of the whole vault to `out_path` (a new file in the app's cache, which the
    /// shell then copies where the user picked) and reads it back. Unlocked only; audited.
    pub fn create_backup(&self, out_path: String) -> R<BackupInfo> {
        guard(|| {
            let i = self.core().create_backup(&PathBuf::from(out_path))?;
            Ok(BackupInfo { path: i.path.to_string_lossy().into_owned(), bytes: i.bytes, created_at: at(i.created_at) })
        })
    }

    /// The backup made at `created_at` was not kept (the file picker was cancelled, or the
    /// copy failed): the backup before it counts as the last one again. Call it before
    /// deleting the cache copy.
    pub fn backup_not_kept(&self, created_at: SystemTime) -> R<()> {
        guard(|| Ok(self.core().backup_not_kept(chrono::DateTime::<chrono::Utc>::from(created_at))?))
    }

    /// Backup age, retention, flagged notes, the wipes, the log's size. Works locked.
    pub fn lifecycle_status(&self, language: Language) -> R<LifecycleStatus> {
        guard(|| {
            let s = self.core().lifecycle_status()?;
            Ok(LifecycleStatus {
                last_backup_at: s.last_backup_at.map(at),
                backup_age_days: s.backup_age_days,
                backup_overdue: s.backup_overdue,
                backup_message: m::backup_age(s.backup_age_days, s.backup_overdue, language.into()),
                backup_ready: s.backup_ready,
                retention: s.retention.into(),
                final_notes_flagged: s.final_notes_flagged,
                inactivity_wipe_days: s.inactivity_wipe_days,
                days_until_inactivity_wipe: s.days_until_inactivity_wipe,
                duress_pin_set: s.duress_pin_set,
                audit_entries: s.audit_entries,
            })
        })
    }

    /// Sets the retention (audited) and applies it now; every unlock applies it too.
    pub fn set_retention_settings(&self, settings: RetentionSettings) -> R<RetentionReport> {
        guard(|| {
            let c = self.core();
            c.set_retention_settings(core::RetentionSettings {
                purge_after_days: settings.purge_after_days,
                flag_final_after_days: settings.flag_final_after_days,
                reduce_appointments_after_days: settings.reduce_appointments_after_days,
                backup_reminder_days: settings.backup_reminder_days,
            })?;
            Ok(c.run_retention()?.into())
        })
    }

    /// Audit entries newest first (unlocked), `limit` 1–1000, in words.
    pub fn audit_list(&self, before: Option<u64>, limit: u32, language: Language) -> R<AuditPage> {
        guard(|| {
            let p = self.core().audit_list(before, limit)?;
            let lang = language.into();
            let entries = p
                .entries
                .into_iter()
                .map(|e| AuditEntry {
                    seq: e.seq,
                    at: at(e.at),
                    kind: e.kind.into(),
                    text: m::audit_entry(e.kind, e.object, e.count, lang),
                })
                .collect();
            Ok(AuditPage { entries, unreadable: p.unreadable, next_before: p.next_before })
        })
    }

    /// Walks the chain against the head sealed in the vault state. Works locked.
    pub fn audit_verify(&self, language: Language) -> R<AuditCheck> {
        guard(|| {
            let c = self.core().audit_verify()?;
            Ok(AuditCheck {
                entries: c.entries,
                sealed_entries: c.sealed_entries,
                problem: c.problem.map(|(p, _)| p.into()),
                broken_at: c.problem.map(|(_, at)| at),
                message: m::audit_problem(c.problem, language.into()),
            })
        })
    }

    /// Everything recorded about one citizen as one self-contained HTML document (GDPR art.
    /// 15). Unlocked only; audited. Write it where the user points.
    pub fn export_citizen(&self, citizen_id: String, language: Language) -> R<String> {
        guard(|| Ok(self.core().export_citizen(&citizen_id, language.into())?.html))
    }

    /// A PIN that silently wipes the vault when entered at the PIN screen (`unlock` then throws
    /// `NoVault`: show set-up as on a fresh install, and delete the biometric item); null
    /// removes it. Must differ from the PIN; a PIN change or a recovery removes it.
    pub fn set_duress_pin(&self, duress_pin: Option<String>) -> R<()> {
        guard(|| match duress_pin {
            Some(pin) => Ok(self.core().set_duress_pin(&pin)?),
            None => Ok(self.core().remove_duress_pin()?),
        })
    }

    /// Wipe after `days` without an unlock (null: never).
    pub fn set_inactivity_wipe_days(&self, days: Option<u32>) -> R<()> {
        guard(|| Ok(self.core().set_inactivity_wipe_days(days)?))
    }

    /// Call at app start and in the background job: wipes when the days have run out (true:
    /// the object is unusable afterwards; `wipe_notice` says what happened).
    pub fn enforce_inactivity_wipe(&self) -> R<bool> {
        guard(|| Ok(self.core().enforce_inactivity_wipe()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::CoreKeyStore;
    use brobygger_core::testing::MemoryKeyStore;

    struct At(SystemTime);
    impl Clock for At {
        fn now(&self) -> SystemTime {
            self.0
        }
    }

    #[test]
    fn a_backup_restores_through_the_ffi_with_its_words() {
        let tmp = tempfile::tempdir().unwrap();
        let clock: Arc<dyn Clock> =
            Arc::new(At(SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_775_000_000)));
        let keys: Arc<dyn KeyStore> = Arc::new(CoreKeyStore(Arc::new(MemoryKeyStore::new())));
        let dir = tmp.path().join("v").to_string_lossy().into_owned();
        let created = crate::vault::create_vault(dir.clone(), "135790".into(), keys, clock.clone()).unwrap();
        let v = created.vault;
        let recovery = created.recovery_key.reveal();
        let out = tmp.path().join("b.bbk").to_string_lossy().into_owned();
        let info = v.create_backup(out.clone()).unwrap();
        assert!(info.bytes > 0);
        let status = v.lifecycle_status(Language::Da).unwrap();
        assert_eq!(
            (status.backup_age_days, status.backup_message.as_str()),
            (Some(0), "Seneste sikkerhedskopi: i dag.")
        );
        assert!(verify_backup_with_recovery_key(out.clone(), recovery.clone(), Language::Da).unwrap().defect.is_none());
        let wrong = verify_backup_with_recovery_key(out.clone(), created_key_of_another(&tmp), Language::Da).unwrap();
        assert_eq!(wrong.defect, Some(BackupDefect::WrongKey));
        assert!(wrong.message.unwrap().contains("Gendannelsesnøglen"));

        let new_keys: Arc<dyn KeyStore> = Arc::new(CoreKeyStore(Arc::new(MemoryKeyStore::new())));
        let target = tmp.path().join("new").to_string_lossy().into_owned();
        let restored = restore_backup(out, recovery, target.clone(), "975310".into(), new_keys, clock).unwrap();
        assert!(restored.vault.is_unlocked());
        let page = restored.vault.audit_list(None, 10, Language::En).unwrap();
        // Newest first: the unlock under the new PIN, then the restore.
        assert_eq!(page.entries[0].kind, AuditKind::Unlocked);
        assert_eq!(page.entries[1].kind, AuditKind::Restored);
        assert_eq!(page.entries[1].text, "Restored from a backup on this phone.");
        let check = restored.vault.audit_verify(Language::Da).unwrap();
        assert_eq!(check.problem, None);
        assert!(check.message.starts_with("Loggen er hel"));
        assert_eq!(wipe_notice(target, Language::Da), None);
    }

    fn created_key_of_another(tmp: &tempfile::TempDir) -> String {
        let clock: Arc<dyn Clock> =
            Arc::new(At(SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_775_000_000)));
        let keys: Arc<dyn KeyStore> = Arc::new(CoreKeyStore(Arc::new(MemoryKeyStore::new())));
        let dir = tmp.path().join("other").to_string_lossy().into_owned();
        crate::vault::create_vault(dir, "135790".into(), keys, clock).unwrap().recovery_key.reveal()
    }
}
