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
use crate::types::{at, mirror_enum, HelpGiven, Topic};
use crate::vault::Vault;
use crate::BrobyggerError;
use brobygger_core as core;
use core::messages as m;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

type R<T> = Result<T, BrobyggerError>;

/// A backup written.
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

/// What checking a backup found: `defect` is null for a backup that opens whole.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BackupCheck {
    pub defect: Option<BackupDefect>,
    pub created_at: Option<SystemTime>,
    pub schema: Option<u32>,
    pub bytes: u64,
}

impl From<core::BackupCheck> for BackupCheck {
    fn from(c: core::BackupCheck) -> Self {
        BackupCheck {
            defect: c.defect.map(Into::into),
            created_at: c.created_at.map(at),
            schema: c.schema,
            bytes: c.bytes,
        }
    }
}

/// What a restore brought back.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RestoreReport {
    /// Everything after this moment is not in the restored vault.
    pub backup_created_at: SystemTime,
    pub citizens: u32,
    pub notes: u32,
    pub appointments: u32,
    /// Reminders whose sending the backup could not know the outcome of: now `UNKNOWN`,
    /// for the worker to resolve.
    pub reminders_made_unknown: u32,
    /// False when the backup's audit log did not match its sealed head (say so once).
    pub audit_intact: bool,
}

impl From<core::RestoreReport> for RestoreReport {
    fn from(r: core::RestoreReport) -> Self {
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

/// A restored vault, unlocked under the new PIN, and what came back.
#[derive(uniffi::Record)]
pub struct RestoredVault {
    pub vault: Arc<Vault>,
    pub report: RestoreReport,
}

/// How long personal data is kept, and when to remind about backups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct RetentionSettings {
    /// Journalised notes are purged this many days after journalisation (1–3650; 30).
    pub purge_after_days: u32,
    /// Final notes not journalised are flagged after this many days (1–365; 14).
    pub flag_final_after_days: u32,
    /// Appointments are made anonymous this many days after they ended (30–3650; 180).
    pub reduce_appointments_after_days: u32,
    /// The worker is reminded to back up when the last backup is older (1–365; 7).
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

impl From<RetentionSettings> for core::RetentionSettings {
    fn from(s: RetentionSettings) -> Self {
        core::RetentionSettings {
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

/// A final note waiting too long to be journalised.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OverdueNote {
    pub note_id: String,
    pub citizen_id: Option<String>,
    pub occurred_at: SystemTime,
    pub finalized_at: SystemTime,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OverdueNotes {
    pub notes: Vec<OverdueNote>,
    pub total: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TopicCount {
    pub topic: Topic,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HelpCount {
    pub help: HelpGiven,
    pub count: u32,
}

/// What stays of purged notes over a period.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NoteTally {
    pub notes: u32,
    pub unreadable: u32,
    pub topics: Vec<TopicCount>,
    pub help_given: Vec<HelpCount>,
}

impl From<core::NoteTally> for NoteTally {
    fn from(t: core::NoteTally) -> Self {
        NoteTally {
            notes: t.notes,
            unreadable: t.unreadable,
            topics: t.topics.into_iter().map(|(topic, count)| TopicCount { topic: topic.into(), count }).collect(),
            help_given: t.help_given.into_iter().map(|(h, count)| HelpCount { help: h.into(), count }).collect(),
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
    /// False: the recovery key must be replaced once before the first backup.
    pub backup_ready: bool,
    pub retention: RetentionSettings,
    pub inactivity_wipe_days: Option<u32>,
    pub days_until_inactivity_wipe: Option<u32>,
    pub duress_pin_set: bool,
    pub audit_entries: u64,
}

impl From<core::LifecycleStatus> for LifecycleStatus {
    fn from(s: core::LifecycleStatus) -> Self {
        LifecycleStatus {
            last_backup_at: s.last_backup_at.map(at),
            backup_age_days: s.backup_age_days,
            backup_overdue: s.backup_overdue,
            backup_ready: s.backup_ready,
            retention: s.retention.into(),
            inactivity_wipe_days: s.inactivity_wipe_days,
            days_until_inactivity_wipe: s.days_until_inactivity_wipe,
            duress_pin_set: s.duress_pin_set,
            audit_entries: s.audit_entries,
        }
    }
}

/// What a wipe after days without an unlock left in the folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct WipeNotice {
    pub wiped_on: LocalDate,
    pub after_days: u32,
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
/// The kind of thing an audit entry is about (never which one).
AuditObject => core::AuditObject {
    Pin, Biometric, RecoveryKey, Citizen, Draft, Note, Appointment, Reminder, Backup, Retention,
    InactivityWipe, Inactivity
});
mirror_enum!(
    /// Where and how the audit log's chain breaks.
    AuditProblem => core::AuditProblem { EntryChanged, EntryMissing, Truncated, UnknownEntries });

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AuditEntry {
    pub seq: u64,
    pub at: SystemTime,
    pub kind: AuditKind,
    pub object: Option<AuditObject>,
    pub count: u64,
}

/// Entries newest first; pass `next_before` for the next (older) page.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub unreadable: u32,
    pub next_before: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AuditKindCount {
    pub kind: AuditKind,
    pub count: u64,
}

/// The log as counts: what may be shown while locked.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AuditSummary {
    pub entries: u64,
    pub by_kind: Vec<AuditKindCount>,
    pub last_at: Option<SystemTime>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct AuditCheck {
    pub entries: u64,
    pub sealed_entries: u64,
    /// Null when the chain is whole.
    pub problem: Option<AuditProblem>,
    /// The entry from which the chain breaks.
    pub broken_at: Option<u64>,
}

impl From<core::AuditCheck> for AuditCheck {
    fn from(c: core::AuditCheck) -> Self {
        AuditCheck {
            entries: c.entries,
            sealed_entries: c.sealed_entries,
            problem: c.problem.map(|(p, _)| p.into()),
            broken_at: c.problem.map(|(_, at)| at),
        }
    }
}

/// An access-request document (HTML) and how many records it holds.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CitizenExport {
    pub html: String,
    pub records: u32,
}

/// Checks a backup with the recovery key it was made under, no vault needed: every chunk is
/// opened, nothing is written.
#[uniffi::export]
pub fn verify_backup_with_recovery_key(backup_path: String, recovery_key: String) -> R<BackupCheck> {
    guard(|| Ok(core::backup::verify_backup_with_recovery_key(&PathBuf::from(backup_path), &recovery_key)?.into()))
}

/// Restores a backup on a new phone into `target_dir` (which must not hold a vault), with the
/// recovery key and a new PIN, and returns the vault unlocked. The whole file is verified
/// before anything is written; any failure leaves no vault behind.
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
        let report = core::backup::restore_files(
            &PathBuf::from(backup_path),
            &recovery_key,
            &PathBuf::from(&target_dir),
            &new_pin,
            Arc::new(KeyStoreAdapter(key_store.clone())),
            Arc::new(ClockAdapter(clock.clone())),
        )?;
        let vault = Vault::open(target_dir, key_store, clock)?;
        vault.unlock(new_pin)?;
        Ok(RestoredVault { vault, report: report.into() })
    })
}

/// What a wipe after days without an unlock left in `dir` (show it once on the set-up screen).
#[uniffi::export]
pub fn wipe_notice(dir: String) -> Option<WipeNotice> {
    core::vault::lifecycle::wipe_notice(&PathBuf::from(dir))
        .map(|n| WipeNotice { wiped_on: n.wiped_on.into(), after_days: n.after_days })
}

#[uniffi::export]
pub fn dismiss_wipe_notice(dir: String) -> R<()> {
    guard(|| Ok(core::vault::lifecycle::dismiss_wipe_notice(&PathBuf::from(dir))?))
}

/// An audit entry as one sentence.
#[uniffi::export]
pub fn audit_entry_message(entry: AuditEntry, language: Language) -> String {
    m::audit_entry(entry.kind.into(), entry.object.map(Into::into), entry.count, language.into())
}

/// A short heading for an audit entry's kind.
#[uniffi::export]
pub fn audit_kind_label(kind: AuditKind, language: Language) -> String {
    m::audit_kind(kind.into(), language.into()).to_string()
}

/// What `audit_verify` found, as a sentence.
#[uniffi::export]
pub fn audit_check_message(check: AuditCheck, language: Language) -> String {
    let problem = check.problem.zip(check.broken_at).map(|(p, at)| (p.into(), at));
    m::audit_problem(problem, language.into())
}

/// What is wrong with a backup file.
#[uniffi::export]
pub fn backup_defect_message(defect: BackupDefect, language: Language) -> String {
    m::backup_defect(defect.into(), language.into())
}

/// "Seneste sikkerhedskopi: for 3 dage siden." / "No backup has been made yet. Make one now."
#[uniffi::export]
pub fn backup_age_message(status: LifecycleStatus, language: Language) -> String {
    m::backup_age(status.backup_age_days, status.backup_overdue, language.into())
}

#[uniffi::export]
pub fn wipe_notice_message(notice: WipeNotice, language: Language) -> String {
    m::wipe_notice(notice.wiped_on.0, notice.after_days, language.into())
}

#[uniffi::export]
impl Vault {
    // Backup

    /// Writes a backup of the whole vault to `out_path` (a new file in the app's cache; the
    /// shell then copies it where the user picked). Unlocked only; audited.
    pub fn create_backup(&self, out_path: String) -> R<BackupInfo> {
        guard(|| {
            let info = self.core().create_backup(&PathBuf::from(out_path))?;
            Ok(BackupInfo {
                path: info.path.to_string_lossy().into_owned(),
                bytes: info.bytes,
                created_at: at(info.created_at),
            })
        })
    }

    /// Checks a backup of this vault (unlocked): whether it opens whole, and when it was made.
    pub fn verify_backup(&self, backup_path: String) -> R<BackupCheck> {
        guard(|| Ok(self.core().verify_backup(&PathBuf::from(backup_path))?.into()))
    }

    /// Backup age and reminder, retention, the wipes, the log's size. Works locked.
    pub fn lifecycle_status(&self) -> R<LifecycleStatus> {
        guard(|| Ok(self.core().lifecycle_status()?.into()))
    }

    // Retention

    /// Works locked.
    pub fn retention_settings(&self) -> R<RetentionSettings> {
        guard(|| Ok(self.core().retention_settings()?.into()))
    }

    /// Audited; applied at the next unlock or `run_retention`.
    pub fn set_retention_settings(&self, settings: RetentionSettings) -> R<()> {
        guard(|| Ok(self.core().set_retention_settings(settings.into())?))
    }

    /// Purges and reduces what is past its period now (it also runs at every unlock).
    pub fn run_retention(&self) -> R<RetentionReport> {
        guard(|| Ok(self.core().run_retention()?.into()))
    }

    /// Final notes waiting longer than the period to be journalised, oldest first.
    pub fn overdue_final_notes(&self, limit: u32) -> R<OverdueNotes> {
        guard(|| {
            let (notes, total) = self.core().overdue_final_notes(limit)?;
            Ok(OverdueNotes {
                notes: notes
                    .into_iter()
                    .map(|n| OverdueNote {
                        note_id: n.note_id,
                        citizen_id: n.citizen_id,
                        occurred_at: at(n.occurred_at),
                        finalized_at: at(n.finalized_at),
                    })
                    .collect(),
                total,
            })
        })
    }

    /// What stays of the notes purged from local dates `from..=to`, for the reports.
    pub fn purged_note_counts(&self, from: LocalDate, to: LocalDate) -> R<NoteTally> {
        guard(|| Ok(self.core().purged_note_counts(from.0, to.0)?.into()))
    }

    // Audit log

    /// Counts by kind and the time of the last entry. Works locked.
    pub fn audit_summary(&self) -> R<AuditSummary> {
        guard(|| {
            let s = self.core().audit_summary()?;
            Ok(AuditSummary {
                entries: s.entries,
                by_kind: s
                    .by_kind
                    .into_iter()
                    .map(|(kind, count)| AuditKindCount { kind: kind.into(), count })
                    .collect(),
                last_at: s.last_at.map(at),
            })
        })
    }

    /// Entries newest first (unlocked), `limit` 1–1000.
    pub fn audit_list(&self, before: Option<u64>, limit: u32) -> R<AuditPage> {
        guard(|| {
            let p = self.core().audit_list(before, limit)?;
            Ok(AuditPage {
                entries: p
                    .entries
                    .into_iter()
                    .map(|e| AuditEntry {
                        seq: e.seq,
                        at: at(e.at),
                        kind: e.kind.into(),
                        object: e.object.map(Into::into),
                        count: e.count,
                    })
                    .collect(),
                unreadable: p.unreadable,
                next_before: p.next_before,
            })
        })
    }

    /// Walks the chain against the head sealed in the vault state. Works locked.
    pub fn audit_verify(&self) -> R<AuditCheck> {
        guard(|| Ok(self.core().audit_verify()?.into()))
    }

    // Access request

    /// Everything recorded about one citizen as one self-contained HTML document (GDPR art.
    /// 15). Unlocked only; audited. Write it where the user points.
    pub fn export_citizen(&self, citizen_id: String, language: Language) -> R<CitizenExport> {
        guard(|| {
            let e = self.core().export_citizen(&citizen_id, language.into())?;
            Ok(CitizenExport { html: e.html, records: e.records })
        })
    }

    // Emergency wipes

    /// A PIN that, entered at the PIN screen, silently wipes the vault (`unlock` then throws
    /// `NoVault`: show set-up, as on a fresh install, and delete the biometric item). Must
    /// differ from the PIN; a PIN change or a recovery removes it.
    pub fn set_duress_pin(&self, duress_pin: String) -> R<()> {
        guard(|| Ok(self.core().set_duress_pin(&duress_pin)?))
    }

    pub fn remove_duress_pin(&self) -> R<()> {
        guard(|| Ok(self.core().remove_duress_pin()?))
    }

    /// Wipe after `days` without an unlock (null: never).
    pub fn set_inactivity_wipe_days(&self, days: Option<u32>) -> R<()> {
        guard(|| Ok(self.core().set_inactivity_wipe_days(days)?))
    }

    /// Call at app start and in the background job: wipes when the days have run out
    /// (returns true; the object is unusable afterwards and `wipe_notice` says what happened).
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
        assert!(v.lifecycle_status().unwrap().backup_age_days == Some(0));
        assert!(verify_backup_with_recovery_key(out.clone(), recovery.clone()).unwrap().defect.is_none());
        let wrong = verify_backup_with_recovery_key(out.clone(), created_key_of_another(&tmp)).unwrap();
        assert_eq!(wrong.defect, Some(BackupDefect::WrongKey));
        assert!(backup_defect_message(BackupDefect::WrongKey, Language::Da).contains("Gendannelsesnøglen"));

        let new_keys: Arc<dyn KeyStore> = Arc::new(CoreKeyStore(Arc::new(MemoryKeyStore::new())));
        let target = tmp.path().join("new").to_string_lossy().into_owned();
        let restored = restore_backup(out, recovery, target.clone(), "975310".into(), new_keys, clock).unwrap();
        assert!(restored.vault.is_unlocked());
        let page = restored.vault.audit_list(None, 10).unwrap();
        // Newest first: the unlock under the new PIN, then the restore.
        assert_eq!(page.entries[0].kind, AuditKind::Unlocked);
        assert_eq!(page.entries[1].kind, AuditKind::Restored);
        assert_eq!(audit_entry_message(page.entries[1].clone(), Language::En), "Restored from a backup on this phone.");
        let check = restored.vault.audit_verify().unwrap();
        assert_eq!(check.problem, None);
        assert!(audit_check_message(check, Language::Da).starts_with("Loggen er hel"));
        assert_eq!(wipe_notice(target), None);
    }

    fn created_key_of_another(tmp: &tempfile::TempDir) -> String {
        let clock: Arc<dyn Clock> =
            Arc::new(At(SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_775_000_000)));
        let keys: Arc<dyn KeyStore> = Arc::new(CoreKeyStore(Arc::new(MemoryKeyStore::new())));
        let dir = tmp.path().join("other").to_string_lossy().into_owned();
        crate::vault::create_vault(dir, "135790".into(), keys, clock).unwrap().recovery_key.reveal()
    }
}
