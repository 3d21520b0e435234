//! Brobygger's core: the encrypted offline vault for outreach workers' notes, citizens,
//! appointments and SMS reminders. No FFI and no platform code here: the shells reach it
//! through `brobygger-ffi`, and provide a `KeyStore`, a `Clock` and an `SmsSender`.
//!
//! The layers, from the bottom (a module only uses modules above it in this list;
//! `tests/layers.rs` checks it):
//! - foundations: `error`, `crypto`, `ids`, `clock`, `text`, `time`;
//! - `store`: the SQLite file, its pragmas and migrations;
//! - `audit`: the hash-chained audit log (its head is kept by `vault`);
//! - `vault`: keys, lock state, the sealed state and the seal ledger;
//! - `sms`: phone numbers, segments, the discretion lint, templates (pure);
//! - capabilities, each owning its tables: `venues`, `worker`, `citizens`, `notes`,
//!   `appointments`, `reminders`, `survey` (in that order);
//! - `flows` (what one action does across capabilities), `screens` (one call per screen) and
//!   `salvage` (reading a damaged vault into a new one);
//! - the lifecycle of the data: `retention` (purging and reducing what is past its period) and
//!   `backup` (backup and restore);
//! - `messages`: the Danish and English words for every code the core gives the shells;
//! - documents made of those words: `report` (the evaluation figures and their exports) and
//!   `export` (everything about one citizen, GDPR art. 15).

pub mod appointments;
pub mod audit;
pub mod backup;
pub mod citizens;
pub mod clock;
pub mod crypto;
pub mod error;
pub mod export;
pub mod flows;
pub mod ids;
pub mod messages;
pub mod notes;
pub mod reminders;
pub mod report;
pub mod retention;
pub mod salvage;
pub mod screens;
pub mod sms;
pub mod store;
pub mod survey;
pub mod text;
pub mod time;
pub mod vault;
pub mod venues;
pub mod worker;

pub use appointments::{
    Appointment, AppointmentKind, AppointmentStatus, BookingWarning, CancelledBy, NewAppointment, NoReminderReason,
    Outcome, Warning,
};
pub use audit::{AuditCheck, AuditEntry, AuditKind, AuditObject, AuditPage, AuditProblem, AuditSummary};
pub use backup::{BackupCheck, BackupDefect, BackupInfo, RestoreReport};
pub use citizens::{Citizen, CitizenEdit, CitizenList, ConsentMethod, NewCitizen, SmsConsent, SmsEligibility};
pub use clock::{Clock, ManualClock};
pub use error::{CoreError, CoreResult};
pub use export::CitizenExport;
pub use flows::worker::ProfileSaved;
pub use flows::{Booking, BookingReminder};
pub use notes::{
    Amendment, FollowUp, FollowUpInput, HelpGiven, Note, NoteCount, NoteInput, NotePage, NoteSaved, NoteState,
    NoteSummary, Topic,
};
pub use reminders::{
    HeldWord, Hold, OutboxRun, Reminder, ReminderKind, ReminderState, Resolution, SendOutcome, SenderFailure,
    SmsSender, UpcomingSend,
};
pub use report::{EvaluationFigures, EvaluationReport, NoShowReport, Rate};
pub use retention::{NoteTally, OverdueNote, RetentionReport, RetentionSettings};
pub use screens::{AgendaItem, AttentionItem, CitizenOverview, DayNote, ReminderSummary, Today};
pub use sms::phone::{Phone, PhoneKind};
pub use sms::SmsLanguage;
pub use survey::SurveyMode;
pub use vault::lifecycle::{LifecycleStatus, WipeNotice};
pub use vault::{
    Created, IntegrityState, KeyPurpose, KeyStore, KeyStoreFailure, KeyStoreFailureKind, Vault, VaultFlags, VaultStatus,
};
pub use venues::{Absence, AbsenceReason, NewVenue, OfficeHours, Venue, VenueKind};
pub use worker::{ReminderRules, WorkerProfile, WorkerRole};

#[cfg(any(test, feature = "insecure-test-kdf"))]
pub mod testing;
