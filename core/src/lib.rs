//! Brobygger's core: the encrypted offline vault for outreach workers' notes, citizens
//! and (later) appointments and reminders. No FFI and no platform code here: the shells
//! reach it through `brobygger-ffi`, and provide a `KeyStore` and a `Clock`.

pub mod appointments;
pub mod citizens;
pub mod clock;
pub mod crypto;
pub mod error;
pub mod ids;
pub mod notes;
pub mod reminders;
pub mod report;
pub mod sms;
pub mod store;
pub mod text;
pub mod time;
pub mod vault;
pub mod venues;
pub mod worker;

pub use appointments::{
    Appointment, AppointmentKind, AppointmentStatus, Booking, CancelledBy, NewAppointment, NoReminderReason, Outcome,
    Warning,
};
pub use citizens::{Citizen, CitizenEdit, ConsentMethod, NewCitizen, SmsConsent};
pub use sms::SmsLanguage;
pub use clock::{Clock, ManualClock};
pub use error::{CoreError, CoreResult};
pub use notes::{Amendment, FollowUp, FollowUpInput, HelpGiven, Note, NoteInput, NoteState, Topic};
pub use reminders::{
    Hold, OutboxRun, Reminder, ReminderKind, ReminderState, Resolution, SendOutcome, SenderFailure,
    SmsSender,
};
pub use report::{NoShowReport, Rate};
pub use sms::phone::{Phone, PhoneKind};
pub use vault::{Created, KeyStore, KeyStoreFailure, Vault, VaultStatus};
pub use venues::{Absence, AbsenceReason, NewVenue, OfficeHours, Venue, VenueKind};
pub use worker::{ReminderRules, WorkerProfile, WorkerRole};

#[cfg(any(test, feature = "insecure-test-kdf"))]
pub mod testing;
