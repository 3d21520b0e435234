//! What an appointment is, and what booking one answers.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentKind {
    Conversation,
    /// The citizen must attend (lovpligtig samtale).
    StatutoryMeeting,
    /// Going with the citizen to court, the doctor, Borgerservice, the bank.
    Accompaniment,
    HomeVisit,
    GroupActivity,
}

impl AppointmentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AppointmentKind::Conversation => "conversation",
            AppointmentKind::StatutoryMeeting => "statutory_meeting",
            AppointmentKind::Accompaniment => "accompaniment",
            AppointmentKind::HomeVisit => "home_visit",
            AppointmentKind::GroupActivity => "group_activity",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "conversation" => AppointmentKind::Conversation,
            "statutory_meeting" => AppointmentKind::StatutoryMeeting,
            "accompaniment" => AppointmentKind::Accompaniment,
            "home_visit" => AppointmentKind::HomeVisit,
            "group_activity" => AppointmentKind::GroupActivity,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppointmentStatus {
    Planned,
    Confirmed,
    Attended,
    NoShow,
    CancelledByCitizen,
    CancelledByWorker,
    /// Replaced by a new appointment (`rescheduled_to`).
    Rescheduled,
}

impl AppointmentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AppointmentStatus::Planned => "planned",
            AppointmentStatus::Confirmed => "confirmed",
            AppointmentStatus::Attended => "attended",
            AppointmentStatus::NoShow => "no_show",
            AppointmentStatus::CancelledByCitizen => "cancelled_by_citizen",
            AppointmentStatus::CancelledByWorker => "cancelled_by_worker",
            AppointmentStatus::Rescheduled => "rescheduled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "planned" => AppointmentStatus::Planned,
            "confirmed" => AppointmentStatus::Confirmed,
            "attended" => AppointmentStatus::Attended,
            "no_show" => AppointmentStatus::NoShow,
            "cancelled_by_citizen" => AppointmentStatus::CancelledByCitizen,
            "cancelled_by_worker" => AppointmentStatus::CancelledByWorker,
            "rescheduled" => AppointmentStatus::Rescheduled,
            _ => return None,
        })
    }

    /// Still to happen: it can be rescheduled, cancelled or given an outcome.
    pub fn is_active(self) -> bool {
        matches!(self, AppointmentStatus::Planned | AppointmentStatus::Confirmed)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Attended,
    NoShow,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Attended => "attended",
            Outcome::NoShow => "no_show",
        }
    }

    pub fn status(self) -> AppointmentStatus {
        match self {
            Outcome::Attended => AppointmentStatus::Attended,
            Outcome::NoShow => AppointmentStatus::NoShow,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelledBy {
    Citizen,
    Worker,
}

impl CancelledBy {
    pub fn as_str(self) -> &'static str {
        match self {
            CancelledBy::Citizen => "citizen",
            CancelledBy::Worker => "worker",
        }
    }
}

/// Booking warnings: the booking goes through, and the shell shows these. Stable codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Warning {
    Overlap,
    OutsideOfficeHours,
    Absence,
    Holiday,
    InPast,
    /// The local time fell in the spring-forward gap and was moved later (see `localtime`).
    DstGap,
    /// The local time happened twice (fall-back); the earlier was taken.
    DstAmbiguous,
    /// A reminder text was flagged by the lint or is over 3 segments; it waits for approval.
    SmsHeld,
}

impl Warning {
    pub fn code(self) -> &'static str {
        match self {
            Warning::Overlap => "overlap",
            Warning::OutsideOfficeHours => "outside_office_hours",
            Warning::Absence => "absence",
            Warning::Holiday => "holiday",
            Warning::InPast => "in_past",
            Warning::DstGap => "dst_gap",
            Warning::DstAmbiguous => "dst_ambiguous",
            Warning::SmsHeld => "sms_held",
        }
    }
}

/// A booking warning with what the worker needs to judge it: the appointment it overlaps,
/// the holiday's name, the time the DST rule moved it to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BookingWarning {
    Overlap {
        appointment_id: String,
        /// `None` when that appointment's citizen was deleted or does not open.
        citizen: Option<String>,
        local_start: NaiveDateTime,
        local_end: NaiveDateTime,
    },
    /// Outside the worker's hours at the venue; `hours` are that weekday's hours there (empty: none).
    OutsideOfficeHours {
        hours: Vec<(NaiveTime, NaiveTime)>,
    },
    Absence {
        from: NaiveDate,
        to: NaiveDate,
    },
    Holiday {
        name_da: &'static str,
        name_en: &'static str,
    },
    InPast,
    /// The local time asked for does not exist that day; the booking is at `booked`.
    DstGap {
        asked: NaiveTime,
        booked: NaiveTime,
    },
    /// The local time asked for happens twice that day; the first (summer time) was taken.
    DstAmbiguous {
        asked: NaiveTime,
        utc_offset_minutes: i32,
    },
    /// A reminder text waits for the worker's approval; `words` are what held it.
    SmsHeld {
        reminder_id: String,
        words: Vec<String>,
        too_long: bool,
    },
}

impl BookingWarning {
    pub fn kind(&self) -> Warning {
        match self {
            BookingWarning::Overlap { .. } => Warning::Overlap,
            BookingWarning::OutsideOfficeHours { .. } => Warning::OutsideOfficeHours,
            BookingWarning::Absence { .. } => Warning::Absence,
            BookingWarning::Holiday { .. } => Warning::Holiday,
            BookingWarning::InPast => Warning::InPast,
            BookingWarning::DstGap { .. } => Warning::DstGap,
            BookingWarning::DstAmbiguous { .. } => Warning::DstAmbiguous,
            BookingWarning::SmsHeld { .. } => Warning::SmsHeld,
        }
    }

    pub fn code(&self) -> &'static str {
        self.kind().code()
    }
}

/// Why a booking got no reminders. Stable codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoReminderReason {
    NoSmsConsent,
    NoPhone,
    NotMobile,
    NoWorkerProfile,
    /// Consent and number are fine, but no send time fits the rules (too close to the start).
    NoneFitTheRules,
    NotActive,
}

impl NoReminderReason {
    pub fn code(self) -> &'static str {
        match self {
            NoReminderReason::NoSmsConsent => "no_sms_consent",
            NoReminderReason::NoPhone => "no_phone",
            NoReminderReason::NotMobile => "not_mobile",
            NoReminderReason::NoWorkerProfile => "no_worker_profile",
            NoReminderReason::NoneFitTheRules => "none_fit_the_rules",
            NoReminderReason::NotActive => "not_active",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appointment {
    pub id: String,
    /// `None` once the citizen has been deleted (kept as an anonymous count).
    pub citizen_id: Option<String>,
    pub venue_id: Option<String>,
    pub kind: AppointmentKind,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: String,
    /// Wall-clock start at the venue.
    pub local_start: NaiveDateTime,
    pub local_end: NaiveDateTime,
    pub status: AppointmentStatus,
    /// When the outcome was first recorded, and when it was last corrected.
    pub outcome_at: Option<DateTime<Utc>>,
    pub outcome_corrected_at: Option<DateTime<Utc>>,
    /// Why it was cancelled, when the core cancelled it (`citizen_deleted`).
    pub cancel_reason: Option<String>,
    pub outside_place: Option<String>,
    pub rescheduled_from: Option<String>,
    pub rescheduled_to: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewAppointment {
    pub citizen_id: String,
    pub venue_id: Option<String>,
    /// Wall-clock time at the venue (Europe/Copenhagen without a venue).
    pub local_start: NaiveDateTime,
    pub duration_minutes: u32,
    pub kind: AppointmentKind,
    /// Court, doctor, Borgerservice... Required for accompaniment.
    pub outside_place: Option<String>,
}
