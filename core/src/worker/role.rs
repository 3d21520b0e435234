//! The three outreach roles (SPEC §1): a worker has one, and a follow-up is owned by one.

use serde::{Deserialize, Serialize};

/// The three outreach roles; a follow-up is owned by one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkerRole {
    Caseworker,
    SubstanceAbuseWorker,
    SupportContactPerson,
}

impl WorkerRole {
    pub fn as_str(self) -> &'static str {
        match self {
            WorkerRole::Caseworker => "caseworker",
            WorkerRole::SubstanceAbuseWorker => "substance_abuse_worker",
            WorkerRole::SupportContactPerson => "support_contact_person",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "caseworker" => Some(WorkerRole::Caseworker),
            "substance_abuse_worker" => Some(WorkerRole::SubstanceAbuseWorker),
            "support_contact_person" => Some(WorkerRole::SupportContactPerson),
            _ => None,
        }
    }
}
