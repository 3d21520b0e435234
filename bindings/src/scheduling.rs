//! Venues, appointments, reminders and reports as the shells see them. Local dates and
//! times cross the FFI as ISO strings (`2026-03-31`, `10:00`, `2026-03-31T10:00`): Kotlin's
//! `LocalDate/LocalTime/LocalDateTime.toString()` and Swift's ISO formatters produce them.

use crate::types::{at, mirror_enum, WorkerRole};
use crate::BrobyggerError;
use brobygger_core as core;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use std::sync::Arc;
use std::time::SystemTime;

fn invalid(field: &str, reason: &str) -> BrobyggerError {
    BrobyggerError::InvalidInput { field: field.into(), reason: reason.into() }
}

pub(crate) fn parse_date(field: &str, s: &str) -> Result<NaiveDate, BrobyggerError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| invalid(field, "not a date (YYYY-MM-DD)"))
}

pub(crate) fn parse_time(field: &str, s: &str) -> Result<NaiveTime, BrobyggerError> {
    let s = s.trim();
    NaiveTime::parse_from_str(s, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M:%S"))
        .or_else(|_| NaiveTime::parse_from_str(s, "%H.%M"))
        .map_err(|_| invalid(field, "not a time (HH:MM)"))
}

pub(crate) fn parse_local(field: &str, s: &str) -> Result<NaiveDateTime, BrobyggerError> {
    let s = s.trim();
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M"))
        .map_err(|_| invalid(field, "not a local date and time (YYYY-MM-DDTHH:MM)"))
}

fn date_str(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn time_str(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

fn local_str(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

mirror_enum!(VenueKind => core::VenueKind { Municipal, Private });
mirror_enum!(AbsenceReason => core::AbsenceReason { Vacation, Sick, Course, Other });
mirror_enum!(AppointmentKind => core::AppointmentKind { Conversation, StatutoryMeeting, Accompaniment, HomeVisit, GroupActivity });
mirror_enum!(AppointmentStatus => core::AppointmentStatus {
    Planned, Confirmed, Attended, NoShow, CancelledByCitizen, CancelledByWorker, Rescheduled
});
mirror_enum!(Outcome => core::Outcome { Attended, NoShow });
mirror_enum!(CancelledBy => core::CancelledBy { Citizen, Worker });
mirror_enum!(
    /// Booking warnings; `code()` in the core gives the stable string (`overlap`, ...).
    BookingWarning => core::Warning { Overlap, OutsideOfficeHours, Absence, Holiday, InPast, DstGap, DstAmbiguous, SmsHeld });
mirror_enum!(NoReminderReason => core::NoReminderReason {
    NoSmsConsent, NoPhone, NotMobile, NoWorkerProfile, NoneFitTheRules, NotActive
});
mirror_enum!(ReminderKind => core::ReminderKind { Confirmation, DayBefore, HoursBefore });
mirror_enum!(ReminderState => core::ReminderState { Planned, Due, Claimed, Sent, Delivered, Failed, Cancelled, Unknown });
mirror_enum!(ReminderHold => core::Hold { Lint, TooLong });
mirror_enum!(Resolution => core::Resolution { Resend, Drop });
mirror_enum!(SmsEncoding => core::sms::gsm::Encoding { Gsm7, Ucs2 });
mirror_enum!(TemplateKind => core::sms::template::TemplateKind { Reminder, Confirmation });
mirror_enum!(Weekday => chrono::Weekday { Mon, Tue, Wed, Thu, Fri, Sat, Sun });

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Venue {
    pub id: String,
    pub name: String,
    pub address: Option<String>,
    pub kind: VenueKind,
    pub has_private_room: bool,
    pub time_zone: String,
}

impl From<core::Venue> for Venue {
    fn from(v: core::Venue) -> Self {
        Venue {
            id: v.id,
            name: v.name,
            address: v.address,
            kind: v.kind.into(),
            has_private_room: v.has_private_room,
            time_zone: v.time_zone,
        }
    }
}

#[derive(Debug, Clone, uniffi::Record)]
pub struct NewVenue {
    pub name: String,
    #[uniffi(default = None)]
    pub address: Option<String>,
    pub kind: VenueKind,
    #[uniffi(default = false)]
    pub has_private_room: bool,
    /// IANA zone; null means Europe/Copenhagen.
    #[uniffi(default = None)]
    pub time_zone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OfficeHours {
    pub id: String,
    pub venue_id: String,
    pub weekday: Weekday,
    /// `HH:MM`, local time at the venue.
    pub from: String,
    pub to: String,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
}

impl From<core::OfficeHours> for OfficeHours {
    fn from(h: core::OfficeHours) -> Self {
        OfficeHours {
            id: h.id,
            venue_id: h.venue_id,
            weekday: h.weekday.into(),
            from: time_str(h.from),
            to: time_str(h.to),
            valid_from: h.valid_from.map(date_str),
            valid_until: h.valid_until.map(date_str),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Absence {
    pub id: String,
    pub from: String,
    /// Inclusive.
    pub to: String,
    pub reason: AbsenceReason,
}

impl From<core::Absence> for Absence {
    fn from(a: core::Absence) -> Self {
        Absence { id: a.id, from: date_str(a.from), to: date_str(a.to), reason: a.reason.into() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Holiday {
    pub date: String,
    pub name_da: String,
    pub name_en: String,
    /// False for customary closing days (Constitution Day, Christmas Eve, New Year's Eve).
    pub official: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Appointment {
    pub id: String,
    pub citizen_id: Option<String>,
    pub venue_id: Option<String>,
    pub kind: AppointmentKind,
    pub starts_at: SystemTime,
    pub ends_at: SystemTime,
    pub time_zone: String,
    /// Wall-clock start and end at the venue, `YYYY-MM-DDTHH:MM`.
    pub local_start: String,
    pub local_end: String,
    pub status: AppointmentStatus,
    pub outside_place: Option<String>,
    pub rescheduled_from: Option<String>,
    pub rescheduled_to: Option<String>,
}

impl From<core::Appointment> for Appointment {
    fn from(a: core::Appointment) -> Self {
        Appointment {
            id: a.id,
            citizen_id: a.citizen_id,
            venue_id: a.venue_id,
            kind: a.kind.into(),
            starts_at: at(a.starts_at),
            ends_at: at(a.ends_at),
            time_zone: a.time_zone,
            local_start: local_str(a.local_start),
            local_end: local_str(a.local_end),
            status: a.status.into(),
            outside_place: a.outside_place,
            rescheduled_from: a.rescheduled_from,
            rescheduled_to: a.rescheduled_to,
        }
    }
}

#[derive(Debug, Clone, uniffi::Record)]
pub struct NewAppointment {
    pub citizen_id: String,
    #[uniffi(default = None)]
    pub venue_id: Option<String>,
    /// Wall-clock time at the venue, `YYYY-MM-DDTHH:MM`.
    pub local_start: String,
    #[uniffi(default = 60)]
    pub duration_minutes: u32,
    pub kind: AppointmentKind,
    #[uniffi(default = None)]
    pub outside_place: Option<String>,
}

impl TryFrom<NewAppointment> for core::NewAppointment {
    type Error = BrobyggerError;
    fn try_from(n: NewAppointment) -> Result<Self, BrobyggerError> {
        Ok(core::NewAppointment {
            local_start: parse_local("local_start", &n.local_start)?,
            citizen_id: n.citizen_id,
            venue_id: n.venue_id,
            duration_minutes: n.duration_minutes,
            kind: n.kind.into(),
            outside_place: n.outside_place,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Reminder {
    pub id: String,
    pub appointment_id: String,
    pub kind: ReminderKind,
    pub send_at: SystemTime,
    pub state: ReminderState,
    pub hold: Option<ReminderHold>,
    pub text: Option<String>,
    pub attempts: u32,
    pub next_attempt_at: Option<SystemTime>,
    pub reason: Option<String>,
    pub sent_at: Option<SystemTime>,
    pub delivered_at: Option<SystemTime>,
    pub awaiting_user: bool,
}

impl From<core::Reminder> for Reminder {
    fn from(r: core::Reminder) -> Self {
        Reminder {
            id: r.id,
            appointment_id: r.appointment_id,
            kind: r.kind.into(),
            send_at: at(r.send_at),
            state: r.state.into(),
            hold: r.hold.map(Into::into),
            text: r.text,
            attempts: r.attempts,
            next_attempt_at: r.next_attempt_at.map(at),
            reason: r.reason,
            sent_at: r.sent_at.map(at),
            delivered_at: r.delivered_at.map(at),
            awaiting_user: r.awaiting_user,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Booking {
    pub appointment: Appointment,
    pub warnings: Vec<BookingWarning>,
    pub reminders: Vec<Reminder>,
    /// Set when no reminders were planned, saying why.
    pub no_reminders: Option<NoReminderReason>,
}

impl From<core::Booking> for Booking {
    fn from(b: core::Booking) -> Self {
        Booking {
            appointment: b.appointment.into(),
            warnings: b.warnings.into_iter().map(Into::into).collect(),
            reminders: b.reminders.into_iter().map(Into::into).collect(),
            no_reminders: b.no_reminders.map(Into::into),
        }
    }
}

/// The stable code of a warning, for shells that translate by code.
#[uniffi::export]
pub fn booking_warning_code(warning: BookingWarning) -> String {
    core::Warning::from(warning).code().to_string()
}

/// The stable code of a no-reminder reason.
#[uniffi::export]
pub fn no_reminder_reason_code(reason: NoReminderReason) -> String {
    core::NoReminderReason::from(reason).code().to_string()
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReminderRules {
    /// `HH:MM`, or null for no day-before reminder.
    pub day_before_at: Option<String>,
    pub hours_before_minutes: Option<u32>,
    pub confirmation_within_minutes: Option<u32>,
    pub quiet_start: String,
    pub quiet_end: String,
}

impl From<core::ReminderRules> for ReminderRules {
    fn from(r: core::ReminderRules) -> Self {
        ReminderRules {
            day_before_at: r.day_before_at.map(time_str),
            hours_before_minutes: r.hours_before_minutes,
            confirmation_within_minutes: r.confirmation_within_minutes,
            quiet_start: time_str(r.quiet_start),
            quiet_end: time_str(r.quiet_end),
        }
    }
}

impl TryFrom<ReminderRules> for core::ReminderRules {
    type Error = BrobyggerError;
    fn try_from(r: ReminderRules) -> Result<Self, BrobyggerError> {
        Ok(core::ReminderRules {
            day_before_at: r.day_before_at.as_deref().map(|t| parse_time("day_before_at", t)).transpose()?,
            hours_before_minutes: r.hours_before_minutes,
            confirmation_within_minutes: r.confirmation_within_minutes,
            quiet_start: parse_time("quiet_start", &r.quiet_start)?,
            quiet_end: parse_time("quiet_end", &r.quiet_end)?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct WorkerProfile {
    pub name: String,
    pub phone: String,
    pub role: WorkerRole,
}

impl From<core::WorkerProfile> for WorkerProfile {
    fn from(p: core::WorkerProfile) -> Self {
        WorkerProfile { name: p.name, phone: p.phone, role: p.role.into() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LintFlag {
    pub word: String,
    /// `substance_abuse`, `alcohol`, `mental_health`, `debt`, `sanctions`, `job_centre`, `treatment`, `benefits`.
    pub category: String,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TextCheck {
    pub normalized: String,
    pub encoding: SmsEncoding,
    /// Septets (GSM-7) or UTF-16 units (UCS-2).
    pub units: u32,
    pub segments: u32,
    pub lint: Vec<LintFlag>,
    /// No flags and at most 3 segments: it may go without an override.
    pub acceptable: bool,
}

/// Normalises, measures and lints an SMS text (no vault needed).
#[uniffi::export]
pub fn check_sms_text(text: String) -> TextCheck {
    let c = core::sms::check(&text);
    TextCheck {
        acceptable: c.acceptable(),
        encoding: c.encoding.into(),
        units: c.units as u32,
        segments: c.segments as u32,
        lint: c.flags.into_iter().map(|f| LintFlag { word: f.word, category: f.category.as_str().into() }).collect(),
        normalized: c.normalized,
    }
}

/// Danish public holidays and customary closing days of `year`.
#[uniffi::export]
pub fn danish_holidays(year: i32) -> Vec<Holiday> {
    core::venues::holidays::holidays(year)
        .into_iter()
        .map(|h| Holiday {
            date: date_str(h.date),
            name_da: h.name_da.into(),
            name_en: h.name_en.into(),
            official: h.official,
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RateFigures {
    pub attended: u32,
    pub no_show: u32,
    /// no_show / (attended + no_show); null when both are 0.
    pub rate: Option<f64>,
}

impl From<core::Rate> for RateFigures {
    fn from(r: core::Rate) -> Self {
        RateFigures { attended: r.attended, no_show: r.no_show, rate: r.rate() }
    }
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct NoShowReport {
    pub booked: u32,
    pub attended: u32,
    pub no_show: u32,
    pub cancelled: u32,
    pub rescheduled: u32,
    pub open: u32,
    pub overall: RateFigures,
    pub statutory: RateFigures,
    pub with_reminder: RateFigures,
    pub without_reminder: RateFigures,
}

impl From<core::NoShowReport> for NoShowReport {
    fn from(r: core::NoShowReport) -> Self {
        NoShowReport {
            booked: r.booked,
            attended: r.attended,
            no_show: r.no_show,
            cancelled: r.cancelled,
            rescheduled: r.rescheduled,
            open: r.open,
            overall: r.overall.into(),
            statutory: r.statutory.into(),
            with_reminder: r.with_reminder.into(),
            without_reminder: r.without_reminder.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OutboxRun {
    pub handed_over: u32,
    pub sent: u32,
    pub failed: u32,
    pub retry_scheduled: u32,
    pub needs_user: u32,
    pub unknown: u32,
    pub too_late: u32,
}

impl From<core::OutboxRun> for OutboxRun {
    fn from(r: core::OutboxRun) -> Self {
        OutboxRun {
            handed_over: r.handed_over,
            sent: r.sent,
            failed: r.failed,
            retry_scheduled: r.retry_scheduled,
            needs_user: r.needs_user,
            unknown: r.unknown,
            too_late: r.too_late,
        }
    }
}

/// What the platform's sender answers for one text.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum SendOutcome {
    /// The platform took it (Android: SmsManager accepted it for sending).
    Accepted,
    /// Not sent. `retryable`: worth another try later (no service); the reason is a fixed code.
    Failed { retryable: bool, reason: String },
    /// Handed to the user (iOS compose sheet); report the result with `record_user_send_result`.
    NeedsUser,
}

#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum SmsSenderError {
    /// The sender failed so that it is unclear whether the text went out.
    #[error("sender failed: {reason}")]
    Unclear { reason: String },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for SmsSenderError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        SmsSenderError::Unclear { reason: format!("unexpected callback error: {}", e.reason) }
    }
}

/// Sends one text. Android: SmsManager; iOS: MessageUI (answers `NeedsUser`); CLI: console/file.
#[uniffi::export(foreign)]
pub trait SmsSender: Send + Sync {
    fn send(&self, reminder_id: String, number: String, text: String) -> Result<SendOutcome, SmsSenderError>;
}

pub(crate) struct SenderAdapter(pub Arc<dyn SmsSender>);

impl core::SmsSender for SenderAdapter {
    fn send(&self, reminder_id: &str, number: &str, text: &str) -> Result<core::SendOutcome, core::SenderFailure> {
        match self.0.send(reminder_id.into(), number.into(), text.into()) {
            Ok(SendOutcome::Accepted) => Ok(core::SendOutcome::Accepted),
            Ok(SendOutcome::Failed { retryable, reason }) => Ok(core::SendOutcome::Failed { retryable, reason }),
            Ok(SendOutcome::NeedsUser) => Ok(core::SendOutcome::NeedsUser),
            Err(SmsSenderError::Unclear { reason }) => Err(core::SenderFailure { reason }),
        }
    }
}
