//! One call per screen: Today and a citizen's overview, as the shells render them.

use crate::scheduling::NoReminderReason;
use crate::scheduling::{AppointmentKind, AppointmentStatus};
use crate::time::{LocalDate, LocalDateTime};
use crate::types::{at, Citizen, FollowUp, IntegrityState, NotePage};
use brobygger_core as core;
use std::time::SystemTime;

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReminderSummary {
    pub planned: u32,
    pub held: u32,
    pub sent: u32,
    pub delivered: u32,
    pub failed: u32,
    pub unknown: u32,
    pub cancelled: u32,
    pub next_local_send_at: Option<LocalDateTime>,
}

impl From<core::ReminderSummary> for ReminderSummary {
    fn from(s: core::ReminderSummary) -> Self {
        ReminderSummary {
            planned: s.planned,
            held: s.held,
            sent: s.sent,
            delivered: s.delivered,
            failed: s.failed,
            unknown: s.unknown,
            cancelled: s.cancelled,
            next_local_send_at: s.next_local_send_at.map(LocalDateTime),
        }
    }
}

/// One row of an agenda: names, places and local times, ready to show.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AgendaItem {
    pub appointment_id: String,
    pub citizen_id: Option<String>,
    pub citizen: Option<String>,
    pub venue: Option<String>,
    pub outside_place: Option<String>,
    pub local_start: LocalDateTime,
    pub local_end: LocalDateTime,
    pub time_zone: String,
    pub kind: AppointmentKind,
    pub status: AppointmentStatus,
    pub reminders: ReminderSummary,
}

impl From<core::AgendaItem> for AgendaItem {
    fn from(a: core::AgendaItem) -> Self {
        AgendaItem {
            appointment_id: a.appointment_id,
            citizen_id: a.citizen_id,
            citizen: a.citizen,
            venue: a.venue,
            outside_place: a.outside_place,
            local_start: LocalDateTime(a.local_start),
            local_end: LocalDateTime(a.local_end),
            time_zone: a.time_zone,
            kind: a.kind.into(),
            status: a.status.into(),
            reminders: a.reminders.into(),
        }
    }
}

/// Something that waits for the worker, with the ids a one-tap action needs.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum AttentionItem {
    ReminderUnknown {
        reminder_id: String,
        appointment_id: String,
        citizen: Option<String>,
        local_send_at: LocalDateTime,
    },
    ReminderFailed {
        reminder_id: String,
        appointment_id: String,
        citizen: Option<String>,
        reason: Option<String>,
    },
    ReminderHeld {
        reminder_id: String,
        appointment_id: String,
        citizen: Option<String>,
        local_send_at: LocalDateTime,
        words: Vec<String>,
        too_long: bool,
    },
    OutcomeMissing {
        appointment_id: String,
        citizen: Option<String>,
        local_start: LocalDateTime,
    },
    FollowUpDue {
        follow_up_id: String,
        note_id: String,
        citizen: Option<String>,
        text: String,
        due_date: LocalDate,
        overdue: bool,
    },
    DraftWaiting {
        note_id: String,
        citizen: Option<String>,
        occurred_at: SystemTime,
    },
    NotJournalised {
        note_id: String,
        citizen: Option<String>,
        occurred_at: SystemTime,
    },
    OutboxKeyMissing {
        waiting: u32,
    },
    RecoveryKeyRotationAdvised,
    IntegrityProblem {
        state: IntegrityState,
    },
}

impl From<core::AttentionItem> for AttentionItem {
    fn from(i: core::AttentionItem) -> Self {
        use core::AttentionItem as A;
        match i {
            A::ReminderUnknown { reminder_id, appointment_id, citizen, local_send_at } => {
                AttentionItem::ReminderUnknown {
                    reminder_id,
                    appointment_id,
                    citizen,
                    local_send_at: LocalDateTime(local_send_at),
                }
            }
            A::ReminderFailed { reminder_id, appointment_id, citizen, reason } => {
                AttentionItem::ReminderFailed { reminder_id, appointment_id, citizen, reason }
            }
            A::ReminderHeld { reminder_id, appointment_id, citizen, local_send_at, words, too_long } => {
                AttentionItem::ReminderHeld {
                    reminder_id,
                    appointment_id,
                    citizen,
                    local_send_at: LocalDateTime(local_send_at),
                    words,
                    too_long,
                }
            }
            A::OutcomeMissing { appointment_id, citizen, local_start } => {
                AttentionItem::OutcomeMissing { appointment_id, citizen, local_start: LocalDateTime(local_start) }
            }
            A::FollowUpDue { follow_up_id, note_id, citizen, text, due_date, overdue } => AttentionItem::FollowUpDue {
                follow_up_id,
                note_id,
                citizen,
                text,
                due_date: LocalDate(due_date),
                overdue,
            },
            A::DraftWaiting { note_id, citizen, occurred_at } => {
                AttentionItem::DraftWaiting { note_id, citizen, occurred_at: at(occurred_at) }
            }
            A::NotJournalised { note_id, citizen, occurred_at } => {
                AttentionItem::NotJournalised { note_id, citizen, occurred_at: at(occurred_at) }
            }
            A::OutboxKeyMissing { waiting } => AttentionItem::OutboxKeyMissing { waiting },
            A::RecoveryKeyRotationAdvised => AttentionItem::RecoveryKeyRotationAdvised,
            A::IntegrityProblem { state } => AttentionItem::IntegrityProblem { state: state.into() },
        }
    }
}

impl AttentionItem {
    /// The core's item again (for the message catalogue).
    pub(crate) fn into_core(self) -> core::AttentionItem {
        use core::AttentionItem as A;
        match self {
            AttentionItem::ReminderUnknown { reminder_id, appointment_id, citizen, local_send_at } => {
                A::ReminderUnknown { reminder_id, appointment_id, citizen, local_send_at: local_send_at.0 }
            }
            AttentionItem::ReminderFailed { reminder_id, appointment_id, citizen, reason } => {
                A::ReminderFailed { reminder_id, appointment_id, citizen, reason }
            }
            AttentionItem::ReminderHeld { reminder_id, appointment_id, citizen, local_send_at, words, too_long } => {
                A::ReminderHeld {
                    reminder_id,
                    appointment_id,
                    citizen,
                    local_send_at: local_send_at.0,
                    words,
                    too_long,
                }
            }
            AttentionItem::OutcomeMissing { appointment_id, citizen, local_start } => {
                A::OutcomeMissing { appointment_id, citizen, local_start: local_start.0 }
            }
            AttentionItem::FollowUpDue { follow_up_id, note_id, citizen, text, due_date, overdue } => {
                A::FollowUpDue { follow_up_id, note_id, citizen, text, due_date: due_date.0, overdue }
            }
            AttentionItem::DraftWaiting { note_id, citizen, occurred_at } => {
                A::DraftWaiting { note_id, citizen, occurred_at: occurred_at.into() }
            }
            AttentionItem::NotJournalised { note_id, citizen, occurred_at } => {
                A::NotJournalised { note_id, citizen, occurred_at: occurred_at.into() }
            }
            AttentionItem::OutboxKeyMissing { waiting } => A::OutboxKeyMissing { waiting },
            AttentionItem::RecoveryKeyRotationAdvised => A::RecoveryKeyRotationAdvised,
            AttentionItem::IntegrityProblem { state } => A::IntegrityProblem { state: state.into() },
        }
    }
}

/// Why nobody may be at the drop-in centre that day.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum DayNote {
    Holiday { name_da: String, name_en: String, official: bool },
    Absence { from: LocalDate, to: LocalDate },
}

impl DayNote {
    pub(crate) fn into_core(self) -> core::DayNote {
        match self {
            DayNote::Holiday { name_da, official, .. } => {
                let known = core::venues::holidays::holidays(2023).into_iter().find(|h| h.name_da == name_da);
                let (name_da, name_en) = known.map_or(("", ""), |h| (h.name_da, h.name_en));
                core::DayNote::Holiday { name_da, name_en, official }
            }
            DayNote::Absence { from, to } => core::DayNote::Absence { from: from.0, to: to.0 },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Today {
    pub date: LocalDate,
    pub day_notes: Vec<DayNote>,
    pub appointments: Vec<AgendaItem>,
    pub attention: Vec<AttentionItem>,
    /// Attention items beyond the first 20 of their kind, not listed.
    pub more: u32,
}

impl From<core::Today> for Today {
    fn from(t: core::Today) -> Self {
        Today {
            date: LocalDate(t.date),
            day_notes: t
                .day_notes
                .into_iter()
                .map(|n| match n {
                    core::DayNote::Holiday { name_da, name_en, official } => {
                        DayNote::Holiday { name_da: name_da.into(), name_en: name_en.into(), official }
                    }
                    core::DayNote::Absence { from, to } => {
                        DayNote::Absence { from: LocalDate(from), to: LocalDate(to) }
                    }
                })
                .collect(),
            appointments: t.appointments.into_iter().map(Into::into).collect(),
            attention: t.attention.into_iter().map(Into::into).collect(),
            more: t.more,
        }
    }
}

/// The stable code of an attention item's kind (`reminder_unknown`, `follow_up_due`, ...).
#[uniffi::export]
pub fn attention_code(item: AttentionItem) -> String {
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
    .to_string()
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CitizenOverview {
    pub citizen: Citizen,
    /// Null when reminders can be planned; otherwise why not.
    pub reminders_blocked: Option<NoReminderReason>,
    pub next_appointments: Vec<AgendaItem>,
    pub awaiting_outcome: u32,
    pub latest_notes: NotePage,
    pub open_follow_ups: Vec<FollowUp>,
    pub open_follow_ups_total: u32,
}

impl From<core::CitizenOverview> for CitizenOverview {
    fn from(o: core::CitizenOverview) -> Self {
        CitizenOverview {
            citizen: o.citizen.into(),
            reminders_blocked: o.reminders_blocked.map(Into::into),
            next_appointments: o.next_appointments.into_iter().map(Into::into).collect(),
            awaiting_outcome: o.awaiting_outcome,
            latest_notes: o.latest_notes.into(),
            open_follow_ups: o.open_follow_ups.into_iter().map(Into::into).collect(),
            open_follow_ups_total: o.open_follow_ups_total,
        }
    }
}
