//! Venues, appointments, reminders and reports as the shells see them. Dates and wall-clock
//! times are the typed values of `time.rs` (Kotlin `java.time`, Swift `DateComponents`).

use crate::time::{LocalDate, LocalDateTime, LocalTime};
use crate::types::{at, mirror_enum, WorkerRole};
use brobygger_core as core;
use std::sync::Arc;
use std::time::SystemTime;

mirror_enum!(VenueKind => core::VenueKind { Municipal, Private });
mirror_enum!(AbsenceReason => core::AbsenceReason { Vacation, Sick, Course, Other });
mirror_enum!(AppointmentKind => core::AppointmentKind { Conversation, StatutoryMeeting, Accompaniment, HomeVisit, GroupActivity });
mirror_enum!(AppointmentStatus => core::AppointmentStatus {
    Planned, Confirmed, Attended, NoShow, CancelledByCitizen, CancelledByWorker, Rescheduled
});
mirror_enum!(Outcome => core::Outcome { Attended, NoShow });
mirror_enum!(CancelledBy => core::CancelledBy { Citizen, Worker });
mirror_enum!(
    /// Booking warning kinds; `BookingWarning` carries the details.
    WarningKind => core::Warning { Overlap, OutsideOfficeHours, Absence, Holiday, InPast, DstGap, DstAmbiguous, SmsHeld });
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
    /// Local time at the venue.
    pub from: LocalTime,
    pub to: LocalTime,
    pub valid_from: Option<LocalDate>,
    pub valid_until: Option<LocalDate>,
}

impl From<core::OfficeHours> for OfficeHours {
    fn from(h: core::OfficeHours) -> Self {
        OfficeHours {
            id: h.id,
            venue_id: h.venue_id,
            weekday: h.weekday.into(),
            from: LocalTime(h.from),
            to: LocalTime(h.to),
            valid_from: h.valid_from.map(LocalDate),
            valid_until: h.valid_until.map(LocalDate),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Absence {
    pub id: String,
    pub from: LocalDate,
    /// Inclusive.
    pub to: LocalDate,
    pub reason: AbsenceReason,
}

impl From<core::Absence> for Absence {
    fn from(a: core::Absence) -> Self {
        Absence { id: a.id, from: LocalDate(a.from), to: LocalDate(a.to), reason: a.reason.into() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Holiday {
    pub date: LocalDate,
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
    /// Wall-clock start and end at the venue.
    pub local_start: LocalDateTime,
    pub local_end: LocalDateTime,
    pub status: AppointmentStatus,
    pub outcome_at: Option<SystemTime>,
    /// When the outcome was last corrected (attended ↔ no-show).
    pub outcome_corrected_at: Option<SystemTime>,
    /// Why the core cancelled it (`citizen_deleted`).
    pub cancel_reason: Option<String>,
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
            local_start: LocalDateTime(a.local_start),
            local_end: LocalDateTime(a.local_end),
            status: a.status.into(),
            outcome_at: a.outcome_at.map(at),
            outcome_corrected_at: a.outcome_corrected_at.map(at),
            cancel_reason: a.cancel_reason,
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
    /// Wall-clock time at the venue.
    pub local_start: LocalDateTime,
    #[uniffi(default = 60)]
    pub duration_minutes: u32,
    pub kind: AppointmentKind,
    #[uniffi(default = None)]
    pub outside_place: Option<String>,
}

impl From<NewAppointment> for core::NewAppointment {
    fn from(n: NewAppointment) -> Self {
        core::NewAppointment {
            local_start: n.local_start.0,
            citizen_id: n.citizen_id,
            venue_id: n.venue_id,
            duration_minutes: n.duration_minutes,
            kind: n.kind.into(),
            outside_place: n.outside_place,
        }
    }
}

/// A word that held a text, with its lint category code (`mental_health`, ...).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HeldWord {
    pub word: String,
    pub category: String,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Reminder {
    pub id: String,
    pub appointment_id: String,
    pub kind: ReminderKind,
    pub send_at: SystemTime,
    pub state: ReminderState,
    pub hold: Option<ReminderHold>,
    /// The words that held the text (empty unless held by the lint).
    pub held_for: Vec<HeldWord>,
    /// The text (null when the citizen was deleted).
    pub text: Option<String>,
    /// The worker rewrote the text by hand.
    pub edited: bool,
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
            held_for: r.held_for.into_iter().map(|w| HeldWord { word: w.word, category: w.category }).collect(),
            text: r.text,
            edited: r.edited,
            attempts: r.attempts,
            next_attempt_at: r.next_attempt_at.map(at),
            reason: r.reason,
            sent_at: r.sent_at.map(at),
            delivered_at: r.delivered_at.map(at),
            awaiting_user: r.awaiting_user,
        }
    }
}

/// A booking warning with what the worker needs to judge it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum BookingWarning {
    Overlap {
        appointment_id: String,
        citizen: Option<String>,
        local_start: LocalDateTime,
        local_end: LocalDateTime,
    },
    /// `hours`: the worker's hours at the venue that weekday, as (from, to) pairs.
    OutsideOfficeHours {
        hours: Vec<TimeRange>,
    },
    Absence {
        from: LocalDate,
        to: LocalDate,
    },
    Holiday {
        name_da: String,
        name_en: String,
    },
    InPast,
    /// The time asked for does not exist that day (spring forward); it was booked at `booked`.
    DstGap {
        asked: LocalTime,
        booked: LocalTime,
    },
    /// The time asked for happens twice (fall back); the first, summer time, was taken.
    DstAmbiguous {
        asked: LocalTime,
        utc_offset_minutes: i32,
    },
    SmsHeld {
        reminder_id: String,
        words: Vec<String>,
        too_long: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct TimeRange {
    pub from: LocalTime,
    pub to: LocalTime,
}

impl From<core::BookingWarning> for BookingWarning {
    fn from(w: core::BookingWarning) -> Self {
        use core::BookingWarning as W;
        match w {
            W::Overlap { appointment_id, citizen, local_start, local_end } => BookingWarning::Overlap {
                appointment_id,
                citizen,
                local_start: LocalDateTime(local_start),
                local_end: LocalDateTime(local_end),
            },
            W::OutsideOfficeHours { hours } => BookingWarning::OutsideOfficeHours {
                hours: hours.into_iter().map(|(f, t)| TimeRange { from: LocalTime(f), to: LocalTime(t) }).collect(),
            },
            W::Absence { from, to } => BookingWarning::Absence { from: LocalDate(from), to: LocalDate(to) },
            W::Holiday { name_da, name_en } => {
                BookingWarning::Holiday { name_da: name_da.into(), name_en: name_en.into() }
            }
            W::InPast => BookingWarning::InPast,
            W::DstGap { asked, booked } => {
                BookingWarning::DstGap { asked: LocalTime(asked), booked: LocalTime(booked) }
            }
            W::DstAmbiguous { asked, utc_offset_minutes } => {
                BookingWarning::DstAmbiguous { asked: LocalTime(asked), utc_offset_minutes }
            }
            W::SmsHeld { reminder_id, words, too_long } => BookingWarning::SmsHeld { reminder_id, words, too_long },
        }
    }
}

impl BookingWarning {
    /// The core's warning again (for the message catalogue).
    pub(crate) fn into_core(self) -> core::BookingWarning {
        use core::BookingWarning as W;
        match self {
            BookingWarning::Overlap { appointment_id, citizen, local_start, local_end } => {
                W::Overlap { appointment_id, citizen, local_start: local_start.0, local_end: local_end.0 }
            }
            BookingWarning::OutsideOfficeHours { hours } => {
                W::OutsideOfficeHours { hours: hours.into_iter().map(|r| (r.from.0, r.to.0)).collect() }
            }
            BookingWarning::Absence { from, to } => W::Absence { from: from.0, to: to.0 },
            BookingWarning::Holiday { name_da, name_en } => {
                // The names are the core's own (every one occurs in 2023, with Great Prayer Day).
                let known = core::venues::holidays::holidays(2023).into_iter().find(|h| h.name_da == name_da);
                match known {
                    Some(h) => W::Holiday { name_da: h.name_da, name_en: h.name_en },
                    None => {
                        let _ = name_en;
                        W::Holiday { name_da: "", name_en: "" }
                    }
                }
            }
            BookingWarning::InPast => W::InPast,
            BookingWarning::DstGap { asked, booked } => W::DstGap { asked: asked.0, booked: booked.0 },
            BookingWarning::DstAmbiguous { asked, utc_offset_minutes } => {
                W::DstAmbiguous { asked: asked.0, utc_offset_minutes }
            }
            BookingWarning::SmsHeld { reminder_id, words, too_long } => W::SmsHeld { reminder_id, words, too_long },
        }
    }

    fn kind(&self) -> core::Warning {
        use core::Warning as K;
        match self {
            BookingWarning::Overlap { .. } => K::Overlap,
            BookingWarning::OutsideOfficeHours { .. } => K::OutsideOfficeHours,
            BookingWarning::Absence { .. } => K::Absence,
            BookingWarning::Holiday { .. } => K::Holiday,
            BookingWarning::InPast => K::InPast,
            BookingWarning::DstGap { .. } => K::DstGap,
            BookingWarning::DstAmbiguous { .. } => K::DstAmbiguous,
            BookingWarning::SmsHeld { .. } => K::SmsHeld,
        }
    }
}

/// A reminder as a booking shows it: with its send time on the venue's clock.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BookingReminder {
    pub reminder: Reminder,
    pub local_send_at: LocalDateTime,
}

/// The answer to booking, previewing or rescheduling.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Booking {
    pub appointment: Appointment,
    pub warnings: Vec<BookingWarning>,
    pub reminders: Vec<BookingReminder>,
    /// Set when no reminders were planned, saying why.
    pub no_reminders: Option<NoReminderReason>,
}

impl From<core::Booking> for Booking {
    fn from(b: core::Booking) -> Self {
        Booking {
            appointment: b.appointment.into(),
            warnings: b.warnings.into_iter().map(Into::into).collect(),
            reminders: b
                .reminders
                .into_iter()
                .map(|r| BookingReminder { local_send_at: LocalDateTime(r.local_send_at), reminder: r.reminder.into() })
                .collect(),
            no_reminders: b.no_reminders.map(Into::into),
        }
    }
}

/// The kind of a booking warning (for shells that branch on it).
#[uniffi::export]
pub fn booking_warning_kind(warning: BookingWarning) -> WarningKind {
    warning.kind().into()
}

/// The stable code of a booking warning's kind (`overlap`, `dst_gap`, ...).
#[uniffi::export]
pub fn booking_warning_code(warning: BookingWarning) -> String {
    warning.kind().code().to_string()
}

/// The stable code of a no-reminder reason.
#[uniffi::export]
pub fn no_reminder_reason_code(reason: NoReminderReason) -> String {
    core::NoReminderReason::from(reason).code().to_string()
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReminderRules {
    /// Local time of the day-before reminder; null turns it off.
    pub day_before_at: Option<LocalTime>,
    pub hours_before_minutes: Option<u32>,
    pub confirmation_within_minutes: Option<u32>,
    pub quiet_start: LocalTime,
    pub quiet_end: LocalTime,
}

impl From<core::ReminderRules> for ReminderRules {
    fn from(r: core::ReminderRules) -> Self {
        ReminderRules {
            day_before_at: r.day_before_at.map(LocalTime),
            hours_before_minutes: r.hours_before_minutes,
            confirmation_within_minutes: r.confirmation_within_minutes,
            quiet_start: LocalTime(r.quiet_start),
            quiet_end: LocalTime(r.quiet_end),
        }
    }
}

impl From<ReminderRules> for core::ReminderRules {
    fn from(r: ReminderRules) -> Self {
        core::ReminderRules {
            day_before_at: r.day_before_at.map(|t| t.0),
            hours_before_minutes: r.hours_before_minutes,
            confirmation_within_minutes: r.confirmation_within_minutes,
            quiet_start: r.quiet_start.0,
            quiet_end: r.quiet_end.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct WorkerProfile {
    pub name: String,
    /// E.164.
    pub phone: String,
    /// As people read it (and as texts show it).
    pub phone_display: String,
    pub role: WorkerRole,
}

impl From<core::WorkerProfile> for WorkerProfile {
    fn from(p: core::WorkerProfile) -> Self {
        WorkerProfile { phone_display: p.phone_for_sms(), name: p.name, phone: p.phone, role: p.role.into() }
    }
}

/// What setting the worker's profile did to the texts waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ProfileSaved {
    pub profile: WorkerProfile,
    pub reminders_rewritten: u32,
    pub reminders_planned: u32,
}

impl From<core::ProfileSaved> for ProfileSaved {
    fn from(p: core::ProfileSaved) -> Self {
        ProfileSaved {
            profile: p.profile.into(),
            reminders_rewritten: p.reminders_rewritten,
            reminders_planned: p.reminders_planned,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LintFlag {
    pub word: String,
    /// `substance_abuse`, `alcohol`, `mental_health`, `debt`, `sanctions`, `job_centre`,
    /// `treatment`, `benefits`, `help_organisation`.
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
            date: LocalDate(h.date),
            name_da: h.name_da.into(),
            name_en: h.name_en.into(),
            official: h.official,
        })
        .collect()
}

/// A phone number as people read it: national format for Danish numbers, international
/// otherwise; anything that is not a number comes back unchanged.
#[uniffi::export]
pub fn display_phone_number(e164: String) -> String {
    core::sms::phone::display(&e164)
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
    /// Texts waiting for the worker's approval.
    pub held: u32,
    /// Due reminders left for the next run because the batch limit was reached.
    pub left_for_next_run: u32,
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
            held: r.held,
            left_for_next_run: r.left_for_next_run,
        }
    }
}

/// A moment when the outbox has something to send (no personal data: a time and a count).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct UpcomingSend {
    pub at: SystemTime,
    pub count: u32,
}

impl From<core::UpcomingSend> for UpcomingSend {
    fn from(u: core::UpcomingSend) -> Self {
        UpcomingSend { at: at(u.at), count: u.count }
    }
}

/// What the platform's sender answers for one text.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum SendOutcome {
    /// The platform took it (Android: every part reported sent).
    Accepted,
    /// Not sent. `retryable`: worth another try later (no service); `reason` is a fixed code
    /// (never free text: it is stored and shown).
    Failed { retryable: bool, reason: String },
    /// Handed to the user (iOS compose sheet); report the result with `record_send_result`.
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

/// Sends one text. Android: SmsManager (blocks its worker thread until every part reported,
/// within the claim lease); iOS: answers `NeedsUser` and queues a compose sheet; CLI: a
/// console or a file. Called from the thread that called `run_outbox`, never the main thread.
#[uniffi::export(with_foreign)]
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
