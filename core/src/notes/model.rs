//! What a note is: its states, the evaluation's topic and help categories, and follow-ups.

pub use crate::worker::WorkerRole;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// draft → final (amendments appended, never silent edits) → journalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// What the worker typed; used to create a draft and for every save of it.
#[derive(Debug, Clone, Default)]
pub struct NoteInput {
    /// `None` for an anonymous conversation.
    pub citizen_id: Option<String>,
    pub text: String,
    pub topics: Vec<Topic>,
    pub help_given: Vec<HelpGiven>,
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
