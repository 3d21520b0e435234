//! Records and enums as the shells see them, and their conversion from the core's types.
//! Instants are `SystemTime` (Kotlin `java.time.Instant`, Swift `Date`); calendar dates
//! are ISO strings `YYYY-MM-DD`.

use brobygger_core as core;
use std::time::SystemTime;

use crate::BrobyggerError;

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
    pub created_at: SystemTime,
    pub updated_at: SystemTime,
}

impl From<core::Citizen> for Citizen {
    fn from(c: core::Citizen) -> Self {
        Citizen {
            can_receive_sms: c.can_receive_sms(),
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
}

impl From<NoteInput> for core::NoteInput {
    fn from(n: NoteInput) -> Self {
        core::NoteInput {
            citizen_id: n.citizen_id,
            text: n.text,
            topics: n.topics.into_iter().map(Into::into).collect(),
            help_given: n.help_given.into_iter().map(Into::into).collect(),
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
    /// `YYYY-MM-DD`.
    pub due_date: Option<String>,
    pub owner: WorkerRole,
    pub done: bool,
    pub done_at: Option<SystemTime>,
    pub created_at: SystemTime,
}

impl From<core::FollowUp> for FollowUp {
    fn from(f: core::FollowUp) -> Self {
        FollowUp {
            due_date: f.due_date.map(|d| d.format("%Y-%m-%d").to_string()),
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
    /// `YYYY-MM-DD`.
    #[uniffi(default = None)]
    pub due_date: Option<String>,
    pub owner: WorkerRole,
}

impl TryFrom<FollowUpInput> for core::FollowUpInput {
    type Error = BrobyggerError;
    fn try_from(f: FollowUpInput) -> Result<Self, BrobyggerError> {
        let due_date = match f.due_date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => Some(chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                BrobyggerError::InvalidInput { field: "due_date".into(), reason: "not a date (YYYY-MM-DD)".into() }
            })?),
            None => None,
        };
        Ok(core::FollowUpInput { text: f.text, due_date, owner: f.owner.into() })
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

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct VaultStatus {
    pub unlocked: bool,
    pub pin_attempts_left: u32,
    /// True after too many wrong PINs: only the recovery key opens the vault.
    pub pin_disabled: bool,
    pub auto_lock_minutes: u32,
    pub kdf_iterations: u32,
}

impl From<core::VaultStatus> for VaultStatus {
    fn from(s: core::VaultStatus) -> Self {
        VaultStatus {
            unlocked: s.unlocked,
            pin_attempts_left: s.pin_attempts_left,
            pin_disabled: s.pin_disabled,
            auto_lock_minutes: s.auto_lock_minutes,
            kdf_iterations: s.kdf_iterations,
        }
    }
}
