//! The one spelling of every enum value the CLI reads or writes: snake_case codes, declared
//! here by hand (never derived from `Debug`), the same as the core's stable codes. Input
//! takes the code in any case, with `-` for `_` (`no-show` = `no_show`); output, JSON and
//! plain, always writes the code. A renamed variant cannot change a code: the tables below are
//! exhaustive matches, and `tests::every_code_is_pinned` pins each one.

use brobygger_ffi::*;
use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use std::marker::PhantomData;

/// An enum with a stable code per variant.
pub trait Code: Sized + Copy + Send + Sync + 'static {
    /// Every variant, in the order help lists them.
    const ALL: &'static [Self];
    fn code(self) -> &'static str;

    /// The variant a user typed: any case, `-` or `_`.
    fn from_code(typed: &str) -> Option<Self> {
        let wanted = typed.trim().to_ascii_lowercase().replace('-', "_");
        Self::ALL.iter().copied().find(|v| v.code() == wanted)
    }

    fn all_codes() -> Vec<&'static str> {
        Self::ALL.iter().map(|v| v.code()).collect()
    }
}

macro_rules! codes {
    ($($ty:ident { $($variant:ident => $code:literal),+ $(,)? })+) => {$(
        impl Code for $ty {
            const ALL: &'static [Self] = &[$($ty::$variant),+];
            fn code(self) -> &'static str {
                match self { $($ty::$variant => $code),+ }
            }
        }
    )+};
}

codes! {
    PhoneKind { Mobile => "mobile", Fixed => "fixed", Unknown => "unknown" }
    SmsLanguage { Da => "da", En => "en" }
    ConsentMethod { Verbal => "verbal", Written => "written", Sms => "sms", Other => "other" }
    NoteState { Draft => "draft", Final => "final", Journalised => "journalised" }
    Topic {
        JobEducationRehabilitation => "job_education_rehabilitation",
        MentalHealth => "mental_health",
        PhysicalHealth => "physical_health",
        AlcoholDrugs => "alcohol_drugs",
        FinancesHousing => "finances_housing",
        Other => "other",
    }
    HelpGiven {
        AdviceOnSupport => "advice_on_support",
        ActionPlan => "action_plan",
        Forms => "forms",
        FinancesOverview => "finances_overview",
        Accompaniment => "accompaniment",
        HealthSubstanceAdvice => "health_substance_advice",
        HelpIntoTreatment => "help_into_treatment",
        DailyLifeSupport => "daily_life_support",
    }
    WorkerRole {
        Caseworker => "caseworker",
        SubstanceAbuseWorker => "substance_abuse_worker",
        SupportContactPerson => "support_contact_person",
    }
    IntegrityState {
        Unchecked => "unchecked",
        CheckAdvised => "check_advised",
        Ok => "ok",
        Damaged => "damaged",
        RolledBack => "rolled_back",
    }
    VenueKind { Municipal => "municipal", Private => "private" }
    AbsenceReason { Vacation => "vacation", Sick => "sick", Course => "course", Other => "other" }
    AppointmentKind {
        Conversation => "conversation",
        StatutoryMeeting => "statutory_meeting",
        Accompaniment => "accompaniment",
        HomeVisit => "home_visit",
        GroupActivity => "group_activity",
    }
    AppointmentStatus {
        Planned => "planned",
        Confirmed => "confirmed",
        Attended => "attended",
        NoShow => "no_show",
        CancelledByCitizen => "cancelled_by_citizen",
        CancelledByWorker => "cancelled_by_worker",
        Rescheduled => "rescheduled",
    }
    Outcome { Attended => "attended", NoShow => "no_show" }
    CancelledBy { Citizen => "citizen", Worker => "worker" }
    WarningKind {
        Overlap => "overlap",
        OutsideOfficeHours => "outside_office_hours",
        Absence => "absence",
        Holiday => "holiday",
        InPast => "in_past",
        DstGap => "dst_gap",
        DstAmbiguous => "dst_ambiguous",
        SmsHeld => "sms_held",
    }
    NoReminderReason {
        NoSmsConsent => "no_sms_consent",
        NoPhone => "no_phone",
        NotMobile => "not_mobile",
        NoWorkerProfile => "no_worker_profile",
        NoneFitTheRules => "none_fit_the_rules",
        NotActive => "not_active",
    }
    ReminderKind { Confirmation => "confirmation", DayBefore => "day_before", HoursBefore => "hours_before" }
    ReminderState {
        Planned => "planned",
        Due => "due",
        Claimed => "claimed",
        Sent => "sent",
        Delivered => "delivered",
        Failed => "failed",
        Cancelled => "cancelled",
        Unknown => "unknown",
    }
    ReminderHold { Lint => "lint", TooLong => "too_long" }
    Resolution { Resend => "resend", Drop => "drop" }
    SmsEncoding { Gsm7 => "gsm7", Ucs2 => "ucs2" }
    TemplateKind { Reminder => "reminder", Confirmation => "confirmation" }
    Weekday { Mon => "mon", Tue => "tue", Wed => "wed", Thu => "thu", Fri => "fri", Sat => "sat", Sun => "sun" }
    SendResult { Sent => "sent", Failed => "failed" }
    Language { Da => "da", En => "en" }
    ReportCellKind { Label => "label", Count => "count", Percent => "percent", Points => "points" }
    AuditKind {
        VaultCreated => "vault_created",
        Unlocked => "unlocked",
        WrongPin => "wrong_pin",
        PinDisabled => "pin_disabled",
        RecoveryKeyUsed => "recovery_key_used",
        PinChanged => "pin_changed",
        BiometricEnrolled => "biometric_enrolled",
        BiometricRemoved => "biometric_removed",
        BiometricSettingChanged => "biometric_setting_changed",
        RecoveryKeyReplaced => "recovery_key_replaced",
        CitizenExported => "citizen_exported",
        BackupCreated => "backup_created",
        Restored => "restored",
        Deleted => "deleted",
        NotesPurged => "notes_purged",
        AppointmentsReduced => "appointments_reduced",
        ReminderResent => "reminder_resent",
        ReminderDropped => "reminder_dropped",
        DuressPinSet => "duress_pin_set",
        DuressPinRemoved => "duress_pin_removed",
        SettingsChanged => "settings_changed",
        PreviousVaultWiped => "previous_vault_wiped",
    }
    AuditProblem {
        EntryChanged => "entry_changed",
        EntryMissing => "entry_missing",
        Truncated => "truncated",
        UnknownEntries => "unknown_entries",
    }
}

/// The code of a backup's defect, the core's own (`BackupDefect::code`); the error code of
/// `backup verify` and `restore` when the file does not open whole.
pub fn backup_defect_code(d: BackupDefect) -> &'static str {
    d.code()
}

/// `reminder result ID sent|failed`: what became of a text whose outcome came late.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendResult {
    Sent,
    Failed,
}

/// The code of a booking warning's kind.
pub fn warning_code(w: &BookingWarning) -> &'static str {
    booking_warning_kind(w.clone()).code()
}

/// The code of an attention item's kind.
pub fn attention_kind(item: &AttentionItem) -> &'static str {
    match item {
        AttentionItem::ReminderUnknown { .. } => "reminder_unknown",
        AttentionItem::ReminderFailed { .. } => "reminder_failed",
        AttentionItem::ReminderHeld { .. } => "reminder_held",
        AttentionItem::OutcomeMissing { .. } => "outcome_missing",
        AttentionItem::FollowUpDue { .. } => "follow_up_due",
        AttentionItem::DraftWaiting { .. } => "draft_waiting",
        AttentionItem::NotJournalised { .. } => "not_journalised",
        AttentionItem::OutboxKeyMissing { .. } => "outbox_key_missing",
        AttentionItem::RecoveryKeyRotationAdvised => "recovery_key_rotation_advised",
        AttentionItem::IntegrityProblem { .. } => "integrity_problem",
    }
}

/// The stable code of each error, for scripts (`{"error": CODE}`).
pub fn error_code(e: &BrobyggerError) -> &'static str {
    match e {
        BrobyggerError::Locked => "locked",
        BrobyggerError::WrongPin { .. } => "wrong_pin",
        BrobyggerError::PinDelay { .. } => "pin_delay",
        BrobyggerError::PinDisabled => "pin_disabled",
        BrobyggerError::WrongRecoveryKey => "wrong_recovery_key",
        BrobyggerError::BiometricUnavailable => "biometric_unavailable",
        BrobyggerError::PlatformKeysMissing => "platform_keys_missing",
        BrobyggerError::NotFound { .. } => "not_found",
        BrobyggerError::InvalidInput { .. } => "invalid_input",
        BrobyggerError::InvalidState { .. } => "invalid_state",
        BrobyggerError::KeyStore { .. } => "key_store",
        BrobyggerError::Storage { .. } => "storage",
        BrobyggerError::Tampered => "tampered",
        BrobyggerError::Corrupt => "corrupt",
        BrobyggerError::NewerSchema { .. } => "newer_schema",
        BrobyggerError::VaultExists => "vault_exists",
        BrobyggerError::NoVault => "no_vault",
        BrobyggerError::Internal { .. } => "internal",
    }
}

/// Reads a code-spelled value for clap, listing the codes in help and in its error.
#[derive(Clone)]
pub struct CodeParser<T>(PhantomData<T>);

pub fn parser<T: Code>() -> CodeParser<T> {
    CodeParser(PhantomData)
}

impl<T: Code> TypedValueParser for CodeParser<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, clap::Error> {
        let typed = value.to_string_lossy();
        T::from_code(&typed).ok_or_else(|| {
            let mut e = clap::Error::new(ErrorKind::InvalidValue).with_cmd(cmd);
            let name = arg.map(|a| a.to_string()).unwrap_or_else(|| "VALUE".into());
            e.insert(ContextKind::InvalidArg, ContextValue::String(name));
            e.insert(ContextKind::InvalidValue, ContextValue::String(typed.into_owned()));
            e.insert(
                ContextKind::ValidValue,
                ContextValue::Strings(T::all_codes().into_iter().map(String::from).collect()),
            );
            e
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(T::ALL.iter().map(|v| PossibleValue::new(v.code()))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pinned<T: Code + PartialEq + std::fmt::Debug>(expected: &[(T, &str)]) {
        assert_eq!(T::ALL.len(), expected.len(), "every variant is pinned");
        for (v, code) in expected {
            assert_eq!(v.code(), *code);
            assert_eq!(T::from_code(code), Some(*v), "{code} reads back");
            assert_eq!(T::from_code(&code.to_uppercase().replace('_', "-")), Some(*v), "{code} in another spelling");
        }
    }

    /// The README promises these codes to scripts: a change here is a breaking change.
    #[test]
    fn every_code_is_pinned() {
        use AppointmentStatus as S;
        pinned(&[(PhoneKind::Mobile, "mobile"), (PhoneKind::Fixed, "fixed"), (PhoneKind::Unknown, "unknown")]);
        pinned(&[(SmsLanguage::Da, "da"), (SmsLanguage::En, "en")]);
        pinned(&[
            (ConsentMethod::Verbal, "verbal"),
            (ConsentMethod::Written, "written"),
            (ConsentMethod::Sms, "sms"),
            (ConsentMethod::Other, "other"),
        ]);
        pinned(&[(NoteState::Draft, "draft"), (NoteState::Final, "final"), (NoteState::Journalised, "journalised")]);
        pinned(&[
            (Topic::JobEducationRehabilitation, "job_education_rehabilitation"),
            (Topic::MentalHealth, "mental_health"),
            (Topic::PhysicalHealth, "physical_health"),
            (Topic::AlcoholDrugs, "alcohol_drugs"),
            (Topic::FinancesHousing, "finances_housing"),
            (Topic::Other, "other"),
        ]);
        pinned(&[
            (HelpGiven::AdviceOnSupport, "advice_on_support"),
            (HelpGiven::ActionPlan, "action_plan"),
            (HelpGiven::Forms, "forms"),
            (HelpGiven::FinancesOverview, "finances_overview"),
            (HelpGiven::Accompaniment, "accompaniment"),
            (HelpGiven::HealthSubstanceAdvice, "health_substance_advice"),
            (HelpGiven::HelpIntoTreatment, "help_into_treatment"),
            (HelpGiven::DailyLifeSupport, "daily_life_support"),
        ]);
        pinned(&[
            (WorkerRole::Caseworker, "caseworker"),
            (WorkerRole::SubstanceAbuseWorker, "substance_abuse_worker"),
            (WorkerRole::SupportContactPerson, "support_contact_person"),
        ]);
        pinned(&[
            (IntegrityState::Unchecked, "unchecked"),
            (IntegrityState::CheckAdvised, "check_advised"),
            (IntegrityState::Ok, "ok"),
            (IntegrityState::Damaged, "damaged"),
            (IntegrityState::RolledBack, "rolled_back"),
        ]);
        pinned(&[(VenueKind::Municipal, "municipal"), (VenueKind::Private, "private")]);
        pinned(&[
            (AbsenceReason::Vacation, "vacation"),
            (AbsenceReason::Sick, "sick"),
            (AbsenceReason::Course, "course"),
            (AbsenceReason::Other, "other"),
        ]);
        pinned(&[
            (AppointmentKind::Conversation, "conversation"),
            (AppointmentKind::StatutoryMeeting, "statutory_meeting"),
            (AppointmentKind::Accompaniment, "accompaniment"),
            (AppointmentKind::HomeVisit, "home_visit"),
            (AppointmentKind::GroupActivity, "group_activity"),
        ]);
        pinned(&[
            (S::Planned, "planned"),
            (S::Confirmed, "confirmed"),
            (S::Attended, "attended"),
            (S::NoShow, "no_show"),
            (S::CancelledByCitizen, "cancelled_by_citizen"),
            (S::CancelledByWorker, "cancelled_by_worker"),
            (S::Rescheduled, "rescheduled"),
        ]);
        pinned(&[(Outcome::Attended, "attended"), (Outcome::NoShow, "no_show")]);
        pinned(&[(CancelledBy::Citizen, "citizen"), (CancelledBy::Worker, "worker")]);
        pinned(&[
            (WarningKind::Overlap, "overlap"),
            (WarningKind::OutsideOfficeHours, "outside_office_hours"),
            (WarningKind::Absence, "absence"),
            (WarningKind::Holiday, "holiday"),
            (WarningKind::InPast, "in_past"),
            (WarningKind::DstGap, "dst_gap"),
            (WarningKind::DstAmbiguous, "dst_ambiguous"),
            (WarningKind::SmsHeld, "sms_held"),
        ]);
        pinned(&[
            (NoReminderReason::NoSmsConsent, "no_sms_consent"),
            (NoReminderReason::NoPhone, "no_phone"),
            (NoReminderReason::NotMobile, "not_mobile"),
            (NoReminderReason::NoWorkerProfile, "no_worker_profile"),
            (NoReminderReason::NoneFitTheRules, "none_fit_the_rules"),
            (NoReminderReason::NotActive, "not_active"),
        ]);
        pinned(&[
            (ReminderKind::Confirmation, "confirmation"),
            (ReminderKind::DayBefore, "day_before"),
            (ReminderKind::HoursBefore, "hours_before"),
        ]);
        pinned(&[
            (ReminderState::Planned, "planned"),
            (ReminderState::Due, "due"),
            (ReminderState::Claimed, "claimed"),
            (ReminderState::Sent, "sent"),
            (ReminderState::Delivered, "delivered"),
            (ReminderState::Failed, "failed"),
            (ReminderState::Cancelled, "cancelled"),
            (ReminderState::Unknown, "unknown"),
        ]);
        pinned(&[(ReminderHold::Lint, "lint"), (ReminderHold::TooLong, "too_long")]);
        pinned(&[(Resolution::Resend, "resend"), (Resolution::Drop, "drop")]);
        pinned(&[(SmsEncoding::Gsm7, "gsm7"), (SmsEncoding::Ucs2, "ucs2")]);
        pinned(&[(TemplateKind::Reminder, "reminder"), (TemplateKind::Confirmation, "confirmation")]);
        pinned(&[
            (Weekday::Mon, "mon"),
            (Weekday::Tue, "tue"),
            (Weekday::Wed, "wed"),
            (Weekday::Thu, "thu"),
            (Weekday::Fri, "fri"),
            (Weekday::Sat, "sat"),
            (Weekday::Sun, "sun"),
        ]);
        pinned(&[(SendResult::Sent, "sent"), (SendResult::Failed, "failed")]);
        pinned(&[(Language::Da, "da"), (Language::En, "en")]);
        pinned(&[
            (ReportCellKind::Label, "label"),
            (ReportCellKind::Count, "count"),
            (ReportCellKind::Percent, "percent"),
            (ReportCellKind::Points, "points"),
        ]);
        use AuditKind as K;
        pinned(&[
            (K::VaultCreated, "vault_created"),
            (K::Unlocked, "unlocked"),
            (K::WrongPin, "wrong_pin"),
            (K::PinDisabled, "pin_disabled"),
            (K::RecoveryKeyUsed, "recovery_key_used"),
            (K::PinChanged, "pin_changed"),
            (K::BiometricEnrolled, "biometric_enrolled"),
            (K::BiometricRemoved, "biometric_removed"),
            (K::BiometricSettingChanged, "biometric_setting_changed"),
            (K::RecoveryKeyReplaced, "recovery_key_replaced"),
            (K::CitizenExported, "citizen_exported"),
            (K::BackupCreated, "backup_created"),
            (K::Restored, "restored"),
            (K::Deleted, "deleted"),
            (K::NotesPurged, "notes_purged"),
            (K::AppointmentsReduced, "appointments_reduced"),
            (K::ReminderResent, "reminder_resent"),
            (K::ReminderDropped, "reminder_dropped"),
            (K::DuressPinSet, "duress_pin_set"),
            (K::DuressPinRemoved, "duress_pin_removed"),
            (K::SettingsChanged, "settings_changed"),
            (K::PreviousVaultWiped, "previous_vault_wiped"),
        ]);
        pinned(&[
            (AuditProblem::EntryChanged, "entry_changed"),
            (AuditProblem::EntryMissing, "entry_missing"),
            (AuditProblem::Truncated, "truncated"),
            (AuditProblem::UnknownEntries, "unknown_entries"),
        ]);
        let defects = [
            (BackupDefect::NotABackup, "not_a_backup"),
            (BackupDefect::NewerFormat { found: 2 }, "newer_format"),
            (BackupDefect::WrongKey, "wrong_key"),
            (BackupDefect::HeaderDamaged, "header_damaged"),
            (BackupDefect::Damaged { chunk: 3 }, "damaged"),
            (BackupDefect::Truncated { chunks: 3 }, "truncated"),
            (BackupDefect::TrailingData { chunks: 3 }, "trailing_data"),
            (BackupDefect::Malformed, "malformed"),
        ];
        for (d, code) in defects {
            assert_eq!(backup_defect_code(d), code);
        }
    }

    #[test]
    fn the_cli_codes_agree_with_the_cores_declared_ones() {
        // The FFI's own code functions (declared in the core) give the same spelling.
        for kind in WarningKind::ALL {
            let w = match kind {
                WarningKind::Overlap => BookingWarning::Overlap {
                    appointment_id: String::new(),
                    citizen: None,
                    local_start: LocalDateTime(chrono::NaiveDateTime::MIN),
                    local_end: LocalDateTime(chrono::NaiveDateTime::MIN),
                },
                WarningKind::OutsideOfficeHours => BookingWarning::OutsideOfficeHours { hours: vec![] },
                WarningKind::Absence => BookingWarning::Absence {
                    from: LocalDate(chrono::NaiveDate::MIN),
                    to: LocalDate(chrono::NaiveDate::MIN),
                },
                WarningKind::Holiday => BookingWarning::Holiday { name_da: String::new(), name_en: String::new() },
                WarningKind::InPast => BookingWarning::InPast,
                WarningKind::DstGap => BookingWarning::DstGap {
                    asked: LocalTime(chrono::NaiveTime::MIN),
                    booked: LocalTime(chrono::NaiveTime::MIN),
                },
                WarningKind::DstAmbiguous => {
                    BookingWarning::DstAmbiguous { asked: LocalTime(chrono::NaiveTime::MIN), utc_offset_minutes: 120 }
                }
                WarningKind::SmsHeld => {
                    BookingWarning::SmsHeld { reminder_id: String::new(), words: vec![], too_long: false }
                }
            };
            assert_eq!(warning_code(&w), booking_warning_code(w.clone()));
            assert_eq!(warning_code(&w), kind.code());
        }
        for reason in NoReminderReason::ALL {
            assert_eq!(reason.code(), no_reminder_reason_code(*reason));
        }
        for lang in Language::ALL {
            assert_eq!(language_from_locale(lang.code().into()), *lang);
        }
        let items = [
            (
                AttentionItem::ReminderUnknown {
                    reminder_id: String::new(),
                    appointment_id: String::new(),
                    citizen: None,
                    local_send_at: LocalDateTime(chrono::NaiveDateTime::MIN),
                },
                "reminder_unknown",
            ),
            (
                AttentionItem::ReminderFailed {
                    reminder_id: String::new(),
                    appointment_id: String::new(),
                    citizen: None,
                    reason: None,
                },
                "reminder_failed",
            ),
            (
                AttentionItem::ReminderHeld {
                    reminder_id: String::new(),
                    appointment_id: String::new(),
                    citizen: None,
                    local_send_at: LocalDateTime(chrono::NaiveDateTime::MIN),
                    words: vec![],
                    too_long: false,
                },
                "reminder_held",
            ),
            (
                AttentionItem::OutcomeMissing {
                    appointment_id: String::new(),
                    citizen: None,
                    local_start: LocalDateTime(chrono::NaiveDateTime::MIN),
                },
                "outcome_missing",
            ),
            (
                AttentionItem::FollowUpDue {
                    follow_up_id: String::new(),
                    note_id: String::new(),
                    citizen: None,
                    text: String::new(),
                    due_date: LocalDate(chrono::NaiveDate::MIN),
                    overdue: false,
                },
                "follow_up_due",
            ),
            (
                AttentionItem::DraftWaiting {
                    note_id: String::new(),
                    citizen: None,
                    occurred_at: std::time::SystemTime::UNIX_EPOCH,
                },
                "draft_waiting",
            ),
            (
                AttentionItem::NotJournalised {
                    note_id: String::new(),
                    citizen: None,
                    occurred_at: std::time::SystemTime::UNIX_EPOCH,
                },
                "not_journalised",
            ),
            (AttentionItem::OutboxKeyMissing { waiting: 0 }, "outbox_key_missing"),
            (AttentionItem::RecoveryKeyRotationAdvised, "recovery_key_rotation_advised"),
            (AttentionItem::IntegrityProblem { state: IntegrityState::Damaged }, "integrity_problem"),
        ];
        for (item, code) in items {
            assert_eq!(attention_kind(&item), code);
            assert_eq!(attention_code(item), code);
        }
    }

    #[test]
    fn error_codes_are_pinned() {
        let s = String::new;
        let cases = [
            (BrobyggerError::Locked, "locked"),
            (BrobyggerError::WrongPin { attempts_left: 1 }, "wrong_pin"),
            (BrobyggerError::PinDelay { seconds: 1 }, "pin_delay"),
            (BrobyggerError::PinDisabled, "pin_disabled"),
            (BrobyggerError::WrongRecoveryKey, "wrong_recovery_key"),
            (BrobyggerError::BiometricUnavailable, "biometric_unavailable"),
            (BrobyggerError::PlatformKeysMissing, "platform_keys_missing"),
            (BrobyggerError::NotFound { what: s() }, "not_found"),
            (BrobyggerError::InvalidInput { field: s(), reason: s() }, "invalid_input"),
            (BrobyggerError::InvalidState { reason: s() }, "invalid_state"),
            (BrobyggerError::KeyStore { reason: s() }, "key_store"),
            (BrobyggerError::Storage { reason: s() }, "storage"),
            (BrobyggerError::Tampered, "tampered"),
            (BrobyggerError::Corrupt, "corrupt"),
            (BrobyggerError::NewerSchema { found: 2, supported: 1 }, "newer_schema"),
            (BrobyggerError::VaultExists, "vault_exists"),
            (BrobyggerError::NoVault, "no_vault"),
            (BrobyggerError::Internal { reason: s() }, "internal"),
        ];
        for (e, code) in cases {
            assert_eq!(error_code(&e), code);
        }
    }
}
