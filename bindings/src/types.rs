//! Records and enums as the shells see them, and their conversion from the core's types.
//! Instants are `SystemTime` (Kotlin `java.time.Instant`, Swift `Date`); calendar dates and
//! wall-clock times are the typed values of `time.rs`.

use brobygger_core as core;
use std::time::SystemTime;

use crate::time::LocalDate;

pub(crate) fn at(t: chrono::DateTime<chrono::Utc>) -> SystemTime {
    SystemTime::from(t)
}

/// Declares an FFI enum with the same variants as a core enum, and conversions both ways.
macro_rules! mirror_enum_impl {
    ($(#[$doc:meta])* $name:ident => $core:path { $($variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
        pub enum $name { $($variant),+ }

        impl From<$core> for $name {
            fn from(v: $core) -> Self {
                use $core as C;
                match v { $(C::$variant => $name::$variant),+ }
            }
        }

        impl From<$name> for $core {
            fn from(v: $name) -> Self {
                use $core as C;
                match v { $($name::$variant => C::$variant),+ }
            }
        }
    };
}

pub(crate) use mirror_enum_impl as mirror_enum;

mirror_enum!(
    /// Whether a number can receive SMS; only `MOBILE` numbers get reminders.
    PhoneKind => core::PhoneKind { Mobile, Fixed, Unknown });
mirror_enum!(
    /// The language of the citizen's SMS reminders.
    SmsLanguage => core::SmsLanguage { Da, En });
mirror_enum!(
    /// How the citizen gave consent to SMS.
    ConsentMethod => core::ConsentMethod { Verbal, Written, Sms, Other });
mirror_enum!(
    /// draft → final → journalised.
    NoteState => core::NoteState { Draft, Final, Journalised });
mirror_enum!(
    /// Conversation topics, as the municipalities' evaluation counts them.
    Topic => core::Topic { JobEducationRehabilitation, MentalHealth, PhysicalHealth, AlcoholDrugs, FinancesHousing, Other });
mirror_enum!(
/// Help given in the conversation.
HelpGiven => core::HelpGiven {
    AdviceOnSupport, ActionPlan, Forms, FinancesOverview, Accompaniment,
    HealthSubstanceAdvice, HelpIntoTreatment, DailyLifeSupport
});
mirror_enum!(
    /// The outreach role that owns a follow-up.
    WorkerRole => core::WorkerRole { Caseworker, SubstanceAbuseWorker, SupportContactPerson });

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PhoneNumber {
    /// E.164, e.g. `+4520304050`.
    pub e164: String,
    pub kind: PhoneKind,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SmsConsent {
    pub given_at: SystemTime,
    pub method: ConsentMethod,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Citizen {
    pub id: String,
    pub nickname: String,
    pub phone: Option<PhoneNumber>,
    pub language: SmsLanguage,
    pub sms_consent: Option<SmsConsent>,
    pub sms_consent_withdrawn_at: Option<SystemTime>,
    pub case_reference: Option<String>,
    /// Consent given and a mobile number: reminders can be sent.
    pub can_receive_sms: bool,
    /// The phone number as people read it (national format for Danish numbers).
    pub phone_display: Option<String>,
    pub created_at: SystemTime,
    pub updated_at: SystemTime,
}

impl From<core::Citizen> for Citizen {
    fn from(c: core::Citizen) -> Self {
        Citizen {
            can_receive_sms: c.can_receive_sms(),
            phone_display: c.phone.as_ref().map(|p| core::sms::phone::display(&p.e164)),
            phone: c.phone.map(|p| PhoneNumber { e164: p.e164, kind: p.kind.into() }),
            sms_consent: c.sms_consent.map(|s| SmsConsent { given_at: at(s.given_at), method: s.method.into() }),
            sms_consent_withdrawn_at: c.sms_consent_withdrawn_at.map(at),
            language: c.language.into(),
            id: c.id,
            nickname: c.nickname,
            case_reference: c.case_reference,
            created_at: at(c.created_at),
            updated_at: at(c.updated_at),
        }
    }
}

/// A citizen to register. Only the nickname is required.
#[derive(Debug, Clone, uniffi::Record)]
pub struct NewCitizen {
    pub nickname: String,
    /// Any common way of writing a number; Danish when it has no country code.
    #[uniffi(default = None)]
    pub phone: Option<String>,
    /// Consent given now, in this way.
    #[uniffi(default = None)]
    pub sms_consent: Option<ConsentMethod>,
    pub language: SmsLanguage,
    #[uniffi(default = None)]
    pub case_reference: Option<String>,
}

impl From<NewCitizen> for core::NewCitizen {
    fn from(n: NewCitizen) -> Self {
        core::NewCitizen {
            nickname: n.nickname,
            phone: n.phone,
            sms_consent: n.sms_consent.map(Into::into),
            language: n.language.into(),
            case_reference: n.case_reference,
        }
    }
}

/// The editable fields of a citizen, replaced as a whole.
#[derive(Debug, Clone, uniffi::Record)]
pub struct CitizenEdit {
    pub nickname: String,
    #[uniffi(default = None)]
    pub phone: Option<String>,
    pub language: SmsLanguage,
    #[uniffi(default = None)]
    pub case_reference: Option<String>,
}

impl From<CitizenEdit> for core::CitizenEdit {
    fn from(e: CitizenEdit) -> Self {
        core::CitizenEdit {
            nickname: e.nickname,
            phone: e.phone,
            language: e.language.into(),
            case_reference: e.case_reference,
        }
    }
}

/// The note as typed; used to start a draft and for every save of it.
#[derive(Debug, Clone, uniffi::Record)]
pub struct NoteInput {
    /// `null` for an anonymous conversation.
    #[uniffi(default = None)]
    pub citizen_id: Option<String>,
    pub text: String,
    #[uniffi(default = [])]
    pub topics: Vec<Topic>,
    #[uniffi(default = [])]
    pub help_given: Vec<HelpGiven>,
    /// When the conversation took place; null keeps it (a new draft: now). May be earlier.
    #[uniffi(default = None)]
    pub occurred_at: Option<SystemTime>,
}

impl From<NoteInput> for core::NoteInput {
    fn from(n: NoteInput) -> Self {
        core::NoteInput {
            citizen_id: n.citizen_id,
            text: n.text,
            topics: n.topics.into_iter().map(Into::into).collect(),
            help_given: n.help_given.into_iter().map(Into::into).collect(),
            occurred_at: n.occurred_at.map(chrono::DateTime::<chrono::Utc>::from),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Amendment {
    pub id: String,
    pub text: String,
    pub created_at: SystemTime,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FollowUp {
    pub id: String,
    pub note_id: String,
    pub text: String,
    pub due_date: Option<LocalDate>,
    pub owner: WorkerRole,
    pub done: bool,
    pub done_at: Option<SystemTime>,
    pub created_at: SystemTime,
}

impl From<core::FollowUp> for FollowUp {
    fn from(f: core::FollowUp) -> Self {
        FollowUp {
            due_date: f.due_date.map(LocalDate),
            owner: f.owner.into(),
            done: f.done_at.is_some(),
            done_at: f.done_at.map(at),
            created_at: at(f.created_at),
            id: f.id,
            note_id: f.note_id,
            text: f.text,
        }
    }
}

#[derive(Debug, Clone, uniffi::Record)]
pub struct FollowUpInput {
    pub text: String,
    #[uniffi(default = None)]
    pub due_date: Option<LocalDate>,
    pub owner: WorkerRole,
}

impl From<FollowUpInput> for core::FollowUpInput {
    fn from(f: FollowUpInput) -> Self {
        core::FollowUpInput { text: f.text, due_date: f.due_date.map(|d| d.0), owner: f.owner.into() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Note {
    pub id: String,
    pub citizen_id: Option<String>,
    pub state: NoteState,
    pub text: String,
    pub topics: Vec<Topic>,
    pub help_given: Vec<HelpGiven>,
    pub amendments: Vec<Amendment>,
    pub follow_ups: Vec<FollowUp>,
    pub journal_reference: Option<String>,
    /// When the conversation took place (the last edit is `updated_at`).
    pub occurred_at: SystemTime,
    pub created_at: SystemTime,
    pub updated_at: SystemTime,
    pub finalized_at: Option<SystemTime>,
    pub journalised_at: Option<SystemTime>,
}

impl From<core::Note> for Note {
    fn from(n: core::Note) -> Self {
        Note {
            state: n.state.into(),
            topics: n.topics.into_iter().map(Into::into).collect(),
            help_given: n.help_given.into_iter().map(Into::into).collect(),
            amendments: n
                .amendments
                .into_iter()
                .map(|a| Amendment { id: a.id, text: a.text, created_at: at(a.created_at) })
                .collect(),
            follow_ups: n.follow_ups.into_iter().map(Into::into).collect(),
            occurred_at: at(n.occurred_at),
            created_at: at(n.created_at),
            updated_at: at(n.updated_at),
            finalized_at: n.finalized_at.map(at),
            journalised_at: n.journalised_at.map(at),
            id: n.id,
            citizen_id: n.citizen_id,
            text: n.text,
            journal_reference: n.journal_reference,
        }
    }
}

/// What a note screen needs back after a save: not the whole note.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NoteSaved {
    pub id: String,
    pub state: NoteState,
    pub occurred_at: SystemTime,
    pub updated_at: SystemTime,
}

impl From<core::NoteSaved> for NoteSaved {
    fn from(n: core::NoteSaved) -> Self {
        NoteSaved { id: n.id, state: n.state.into(), occurred_at: at(n.occurred_at), updated_at: at(n.updated_at) }
    }
}

/// One row of a note list or search.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NoteSummary {
    pub id: String,
    pub citizen_id: Option<String>,
    pub citizen_nickname: Option<String>,
    pub state: NoteState,
    pub occurred_at: SystemTime,
    pub updated_at: SystemTime,
    pub topics: Vec<Topic>,
    pub help_given: Vec<HelpGiven>,
    /// A line of the text: around the match in a search, the beginning in a list.
    pub snippet: String,
    pub amendments: u32,
    pub open_follow_ups: u32,
}

impl From<core::NoteSummary> for NoteSummary {
    fn from(n: core::NoteSummary) -> Self {
        NoteSummary {
            state: n.state.into(),
            occurred_at: at(n.occurred_at),
            updated_at: at(n.updated_at),
            topics: n.topics.into_iter().map(Into::into).collect(),
            help_given: n.help_given.into_iter().map(Into::into).collect(),
            id: n.id,
            citizen_id: n.citizen_id,
            citizen_nickname: n.citizen_nickname,
            snippet: n.snippet,
            amendments: n.amendments,
            open_follow_ups: n.open_follow_ups,
        }
    }
}

/// A page of a note list or search. Pass `next_cursor` back for the next page.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NotePage {
    pub items: Vec<NoteSummary>,
    pub next_cursor: Option<String>,
    /// Notes passed over on this page because they did not open (tampered or damaged).
    pub unreadable: u32,
}

impl From<core::NotePage> for NotePage {
    fn from(p: core::NotePage) -> Self {
        NotePage {
            items: p.items.into_iter().map(Into::into).collect(),
            next_cursor: p.next_cursor,
            unreadable: p.unreadable,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct NoteCount {
    pub matches: u32,
    pub unreadable: u32,
}

/// Every citizen that opened, by Danish name order, and how many did not open.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CitizenList {
    pub citizens: Vec<Citizen>,
    pub unreadable: u32,
}

impl From<core::CitizenList> for CitizenList {
    fn from(l: core::CitizenList) -> Self {
        CitizenList { citizens: l.citizens.into_iter().map(Into::into).collect(), unreadable: l.unreadable }
    }
}

mirror_enum!(
    /// What is known of the vault file's integrity (see `check_integrity`).
    IntegrityState => core::IntegrityState { Unchecked, CheckAdvised, Ok, Damaged, RolledBack });

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct VaultStatus {
    pub unlocked: bool,
    pub pin_attempts_left: u32,
    /// True after too many wrong PINs: only the recovery key (or biometrics) opens the vault.
    pub pin_disabled: bool,
    /// Seconds until the next PIN attempt is allowed (0: now).
    pub pin_retry_after_seconds: u32,
    pub auto_lock_minutes: u32,
    pub kdf_algorithm: String,
    pub kdf_iterations: u32,
    /// The key store no longer holds this vault's keys (new phone, key store reset, or an
    /// older copy of the file): only the recovery key opens it.
    pub platform_keys_missing: bool,
    pub biometric_enrolled: bool,
    /// The recovery key was used: offer to replace it (`rotate_recovery_key`).
    pub recovery_key_rotation_advised: bool,
    pub integrity: IntegrityState,
}

impl From<core::VaultStatus> for VaultStatus {
    fn from(s: core::VaultStatus) -> Self {
        VaultStatus {
            unlocked: s.unlocked,
            pin_attempts_left: s.pin_attempts_left,
            pin_disabled: s.pin_disabled,
            pin_retry_after_seconds: s.pin_retry_after_seconds,
            auto_lock_minutes: s.auto_lock_minutes,
            kdf_algorithm: s.kdf_algorithm.into(),
            kdf_iterations: s.kdf_iterations,
            platform_keys_missing: s.platform_keys_missing,
            biometric_enrolled: s.biometric_enrolled,
            recovery_key_rotation_advised: s.recovery_key_rotation_advised,
            integrity: s.integrity.into(),
        }
    }
}

/// A recovery key, shown to the worker once. An object, not a string, so it never reaches a
/// log through a generated `toString()`/`description`: call `reveal()` only to display it.
#[derive(uniffi::Object)]
pub struct RecoveryKey {
    key: zeroize::Zeroizing<String>,
}

impl RecoveryKey {
    pub(crate) fn new(key: zeroize::Zeroizing<String>) -> std::sync::Arc<Self> {
        std::sync::Arc::new(RecoveryKey { key })
    }
}

#[uniffi::export]
impl RecoveryKey {
    /// The key as shown: 13 groups of four letters and digits 2–7, joined by dashes.
    pub fn reveal(&self) -> String {
        self.key.to_string()
    }

    /// The groups, for a screen that shows them in a grid.
    pub fn groups(&self) -> Vec<String> {
        self.key.split('-').map(str::to_string).collect()
    }
}

impl std::fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryKey(..)")
    }
}
