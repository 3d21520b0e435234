//! What a note is: its states, the evaluation's topic and help categories, and follow-ups.

pub use crate::worker::WorkerRole;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// draft → final (amendments appended, never silent edits) → journalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoteState {
    Draft,
    Final,
    Journalised,
}

impl NoteState {
    pub fn as_str(self) -> &'static str {
        match self {
            NoteState::Draft => "draft",
            NoteState::Final => "final",
            NoteState::Journalised => "journalised",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "draft" => Some(NoteState::Draft),
            "final" => Some(NoteState::Final),
            "journalised" => Some(NoteState::Journalised),
            _ => None,
        }
    }
}

/// Conversation topics, as the evaluation counts them (SPEC §2 F).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    JobEducationRehabilitation,
    MentalHealth,
    PhysicalHealth,
    AlcoholDrugs,
    FinancesHousing,
    Other,
}

/// Help given during the conversation (SPEC §2 F).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HelpGiven {
    AdviceOnSupport,
    ActionPlan,
    Forms,
    FinancesOverview,
    Accompaniment,
    HealthSubstanceAdvice,
    HelpIntoTreatment,
    DailyLifeSupport,
}

impl Topic {
    pub const ALL: [Topic; 6] = [
        Topic::JobEducationRehabilitation,
        Topic::MentalHealth,
        Topic::PhysicalHealth,
        Topic::AlcoholDrugs,
        Topic::FinancesHousing,
        Topic::Other,
    ];

    /// The stable code, as stored in the sealed details and as the CLI spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Topic::JobEducationRehabilitation => "job_education_rehabilitation",
            Topic::MentalHealth => "mental_health",
            Topic::PhysicalHealth => "physical_health",
            Topic::AlcoholDrugs => "alcohol_drugs",
            Topic::FinancesHousing => "finances_housing",
            Topic::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

impl HelpGiven {
    pub const ALL: [HelpGiven; 8] = [
        HelpGiven::AdviceOnSupport,
        HelpGiven::ActionPlan,
        HelpGiven::Forms,
        HelpGiven::FinancesOverview,
        HelpGiven::Accompaniment,
        HelpGiven::HealthSubstanceAdvice,
        HelpGiven::HelpIntoTreatment,
        HelpGiven::DailyLifeSupport,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HelpGiven::AdviceOnSupport => "advice_on_support",
            HelpGiven::ActionPlan => "action_plan",
            HelpGiven::Forms => "forms",
            HelpGiven::FinancesOverview => "finances_overview",
            HelpGiven::Accompaniment => "accompaniment",
            HelpGiven::HealthSubstanceAdvice => "health_substance_advice",
            HelpGiven::HelpIntoTreatment => "help_into_treatment",
            HelpGiven::DailyLifeSupport => "daily_life_support",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|h| h.as_str() == s)
    }
}

/// What the worker typed; used to create a draft and for every save of it.
#[derive(Debug, Clone, Default)]
pub struct NoteInput {
    /// `None` for an anonymous conversation.
    pub citizen_id: Option<String>,
    pub text: String,
    pub topics: Vec<Topic>,
    pub help_given: Vec<HelpGiven>,
    /// When the conversation took place; `None` keeps it (a new draft: now).
    pub occurred_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amendment {
    pub id: String,
    pub text: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub id: String,
    pub note_id: String,
    pub text: String,
    pub due_date: Option<NaiveDate>,
    pub owner: WorkerRole,
    pub done_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct FollowUpInput {
    pub text: String,
    pub due_date: Option<NaiveDate>,
    pub owner: WorkerRole,
}

#[derive(Debug, Clone, PartialEq, Eq)]
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
    pub occurred_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub finalized_at: Option<DateTime<Utc>>,
    pub journalised_at: Option<DateTime<Utc>>,
}

/// Topics and help given, sealed together as one JSON value.
#[derive(Serialize, Deserialize)]
pub(crate) struct Details {
    pub topics: Vec<Topic>,
    pub help_given: Vec<HelpGiven>,
}
