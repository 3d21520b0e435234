//! The words for everything the core tells the shells, in Danish or English, from the
//! core's one message catalogue (`brobygger_core::messages`): errors, booking warnings,
//! reasons, reminder states, attention items, and labels for lists. The shells keep no
//! message tables of their own, so Android, iOS and the CLI say the same thing.

use crate::scheduling::*;
use crate::screens::{AttentionItem, DayNote};
use crate::types::*;
use crate::BrobyggerError;
use brobygger_core as core;
use core::messages as m;

crate::types::mirror_enum!(
    /// The language of the words shown to the worker.
    Language => m::Language { Da, En });

/// `da` or `en` from a locale tag as the phone gives it (`da-DK`, `en_GB`); Danish otherwise.
#[uniffi::export]
pub fn language_from_locale(locale: String) -> Language {
    m::Language::parse(&locale).unwrap_or_default().into()
}

/// An error as the worker should read it.
#[uniffi::export]
pub fn error_message(error: &BrobyggerError, language: Language) -> String {
    let lang: m::Language = language.into();
    let generic = |da: &str, en: &str| if lang == m::Language::Da { da.to_string() } else { en.to_string() };
    use core::CoreError as C;
    let core_error = match error {
        BrobyggerError::Locked => C::Locked,
        BrobyggerError::WrongPin { attempts_left } => C::WrongPin { attempts_left: *attempts_left },
        BrobyggerError::PinDelay { seconds } => C::PinDelay { seconds: *seconds },
        BrobyggerError::PinDisabled => C::PinDisabled,
        BrobyggerError::WrongRecoveryKey => C::WrongRecoveryKey,
        BrobyggerError::BiometricUnavailable => C::BiometricUnavailable,
        BrobyggerError::PlatformKeysMissing => C::PlatformKeysMissing,
        BrobyggerError::NotFound { what } => {
            return m::not_found(what, lang)
                .map(str::to_string)
                .unwrap_or_else(|| generic("Det blev ikke fundet.", "It was not found."))
        }
        BrobyggerError::InvalidInput { field, reason } => return m::invalid_input(field, reason, lang),
        BrobyggerError::InvalidState { reason } => {
            return m::state_reason(reason, lang)
                .map(str::to_string)
                .unwrap_or_else(|| generic("Det kan ikke lade sig gøre nu.", "That is not possible now."))
        }
        BrobyggerError::KeyStore { reason } => C::KeyStore { reason: reason.clone() },
        BrobyggerError::Storage { reason } => C::Storage { reason: reason.clone() },
        BrobyggerError::Tampered => C::Tampered,
        BrobyggerError::Corrupt => C::Corrupt,
        BrobyggerError::NewerSchema { found, supported } => C::NewerSchema { found: *found, supported: *supported },
        BrobyggerError::VaultExists => C::VaultExists,
        BrobyggerError::NoVault => C::NoVault,
        BrobyggerError::Internal { .. } => C::Internal { reason: "ffi" },
    };
    m::error(&core_error, lang)
}

/// The stable code of an error (`wrong_pin`, `invalid_input`, ...), for logs and scripts.
#[uniffi::export]
pub fn error_code(error: &BrobyggerError) -> String {
    error.code().to_string()
}

/// A booking warning with its details, as the worker should read it.
#[uniffi::export]
pub fn warning_message(warning: BookingWarning, language: Language) -> String {
    m::warning(&warning.into_core(), language.into())
}

#[uniffi::export]
pub fn no_reminders_message(reason: NoReminderReason, language: Language) -> String {
    m::no_reminders(reason.into(), language.into())
}

#[uniffi::export]
pub fn reminder_state_label(state: ReminderState, language: Language) -> String {
    m::reminder_state(state.into(), language.into())
}

/// A reminder's reason (`too_late`, `consent_withdrawn`, a sender's code) in words.
#[uniffi::export]
pub fn reminder_reason_message(reason: String, language: Language) -> String {
    m::reminder_reason(&reason, language.into())
}

#[uniffi::export]
pub fn attention_message(item: AttentionItem, language: Language) -> String {
    m::attention(&item.into_core(), language.into())
}

#[uniffi::export]
pub fn day_note_message(note: DayNote, language: Language) -> String {
    m::day_note(&note.into_core(), language.into())
}

/// Names for the values the screens list and pick from.
#[uniffi::export]
pub fn appointment_kind_label(kind: AppointmentKind, language: Language) -> String {
    m::label(core::AppointmentKind::from(kind).into(), language.into()).to_string()
}

#[uniffi::export]
pub fn appointment_status_label(status: AppointmentStatus, language: Language) -> String {
    m::label(core::AppointmentStatus::from(status).into(), language.into()).to_string()
}

#[uniffi::export]
pub fn topic_label(topic: Topic, language: Language) -> String {
    m::label(core::Topic::from(topic).into(), language.into()).to_string()
}

#[uniffi::export]
pub fn help_given_label(help: HelpGiven, language: Language) -> String {
    m::label(core::HelpGiven::from(help).into(), language.into()).to_string()
}

#[uniffi::export]
pub fn worker_role_label(role: WorkerRole, language: Language) -> String {
    m::label(core::WorkerRole::from(role).into(), language.into()).to_string()
}

#[uniffi::export]
pub fn consent_method_label(method: ConsentMethod, language: Language) -> String {
    m::label(core::ConsentMethod::from(method).into(), language.into()).to_string()
}

#[uniffi::export]
pub fn absence_reason_label(reason: AbsenceReason, language: Language) -> String {
    m::label(core::AbsenceReason::from(reason).into(), language.into()).to_string()
}

#[uniffi::export]
pub fn reminder_kind_label(kind: ReminderKind, language: Language) -> String {
    m::label(core::ReminderKind::from(kind).into(), language.into()).to_string()
}

#[uniffi::export]
pub fn note_state_label(state: NoteState, language: Language) -> String {
    m::label(core::NoteState::from(state).into(), language.into()).to_string()
}

#[uniffi::export]
pub fn integrity_label(state: IntegrityState, language: Language) -> String {
    m::label(core::IntegrityState::from(state).into(), language.into()).to_string()
}

/// A form field's name (`nickname`, `phone`, ...) as a label.
#[uniffi::export]
pub fn field_label(field: String, language: Language) -> Option<String> {
    m::field(&field, language.into()).map(str::to_string)
}
