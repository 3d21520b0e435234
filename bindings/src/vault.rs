//! The `Vault` object: the whole surface of the core for the shells. Every method
//! checks the lock state and idle time in the core; every error is a `BrobyggerError`.

use crate::error::guard;
use crate::platform::{Clock, ClockAdapter, KeyStore, KeyStoreAdapter};
use crate::scheduling::*;
use crate::types::*;
use crate::BrobyggerError;
use brobygger_core as core;
use std::path::PathBuf;
use std::sync::Arc;

type R<T> = Result<T, BrobyggerError>;

#[derive(uniffi::Object)]
pub struct Vault {
    inner: core::Vault,
}

/// A new vault and its recovery key. Show the key to the worker once, then forget it.
#[derive(uniffi::Record)]
pub struct CreatedVault {
    pub vault: Arc<Vault>,
    pub recovery_key: String,
}

/// Sets up a new vault in `dir` (the app's private files folder), unlocked.
#[uniffi::export]
pub fn create_vault(dir: String, pin: String, key_store: Arc<dyn KeyStore>, clock: Arc<dyn Clock>) -> R<CreatedVault> {
    guard(|| {
        let created = core::Vault::create(
            &PathBuf::from(dir),
            &pin,
            Arc::new(KeyStoreAdapter(key_store)),
            Arc::new(ClockAdapter(clock)),
        )?;
        Ok(CreatedVault { vault: Arc::new(Vault { inner: created.vault }), recovery_key: created.recovery_key })
    })
}

/// Whether `dir` holds a vault, so the app knows to show set-up or the PIN screen.
#[uniffi::export]
pub fn vault_exists(dir: String) -> bool {
    core::store::db_path(&PathBuf::from(dir)).is_file()
}

fn ids<T, U: From<T>>(items: Vec<T>) -> Vec<U> {
    items.into_iter().map(Into::into).collect()
}

#[uniffi::export]
impl Vault {
    /// Opens the vault in `dir`, locked. A damaged file gives `Corrupt` and is left untouched.
    #[uniffi::constructor]
    pub fn open(dir: String, key_store: Arc<dyn KeyStore>, clock: Arc<dyn Clock>) -> R<Arc<Self>> {
        guard(|| {
            let inner = core::Vault::open(
                &PathBuf::from(dir),
                Arc::new(KeyStoreAdapter(key_store)),
                Arc::new(ClockAdapter(clock)),
            )?;
            Ok(Arc::new(Vault { inner }))
        })
    }

    pub fn unlock(&self, pin: String) -> R<()> {
        guard(|| Ok(self.inner.unlock(&pin)?))
    }

    /// Opens the vault with the recovery key and sets a new PIN.
    pub fn unlock_with_recovery_key(&self, recovery_key: String, new_pin: String) -> R<()> {
        guard(|| Ok(self.inner.unlock_with_recovery_key(&recovery_key, &new_pin)?))
    }

    pub fn lock(&self) {
        self.inner.lock()
    }

    pub fn is_unlocked(&self) -> bool {
        self.inner.is_unlocked()
    }

    pub fn status(&self) -> R<VaultStatus> {
        guard(|| Ok(self.inner.status()?.into()))
    }

    pub fn change_pin(&self, old_pin: String, new_pin: String) -> R<()> {
        guard(|| Ok(self.inner.change_pin(&old_pin, &new_pin)?))
    }

    pub fn set_auto_lock_minutes(&self, minutes: u32) -> R<()> {
        guard(|| Ok(self.inner.set_auto_lock_minutes(minutes)?))
    }

    /// Destroys the vault's keys and files. Works while locked.
    pub fn wipe(&self) -> R<()> {
        guard(|| Ok(self.inner.wipe()?))
    }

    // Citizens

    pub fn add_citizen(&self, citizen: NewCitizen) -> R<Citizen> {
        guard(|| Ok(self.inner.add_citizen(citizen.into())?.into()))
    }

    pub fn edit_citizen(&self, id: String, edit: CitizenEdit) -> R<Citizen> {
        guard(|| Ok(self.inner.edit_citizen(&id, edit.into())?.into()))
    }

    pub fn give_sms_consent(&self, id: String, method: ConsentMethod) -> R<Citizen> {
        guard(|| Ok(self.inner.give_sms_consent(&id, method.into())?.into()))
    }

    pub fn withdraw_sms_consent(&self, id: String) -> R<Citizen> {
        guard(|| Ok(self.inner.withdraw_sms_consent(&id)?.into()))
    }

    pub fn get_citizen(&self, id: String) -> R<Citizen> {
        guard(|| Ok(self.inner.get_citizen(&id)?.into()))
    }

    pub fn list_citizens(&self) -> R<Vec<Citizen>> {
        guard(|| Ok(ids(self.inner.list_citizens()?)))
    }

    pub fn find_citizens_by_phone(&self, phone: String) -> R<Vec<Citizen>> {
        guard(|| Ok(ids(self.inner.find_citizens_by_phone(&phone)?)))
    }

    /// Deletes the citizen and all their notes beyond recovery.
    pub fn delete_citizen(&self, id: String) -> R<()> {
        guard(|| Ok(self.inner.delete_citizen(&id)?))
    }

    // Notes

    pub fn create_note(&self, note: NoteInput) -> R<Note> {
        guard(|| Ok(self.inner.create_note(note.into())?.into()))
    }

    /// Saves the draft as typed; durable when it returns.
    pub fn save_draft(&self, id: String, note: NoteInput) -> R<Note> {
        guard(|| Ok(self.inner.save_draft(&id, note.into())?.into()))
    }

    pub fn discard_draft(&self, id: String) -> R<()> {
        guard(|| Ok(self.inner.discard_draft(&id)?))
    }

    pub fn finalize_note(&self, id: String) -> R<Note> {
        guard(|| Ok(self.inner.finalize_note(&id)?.into()))
    }

    pub fn amend_note(&self, id: String, text: String) -> R<Note> {
        guard(|| Ok(self.inner.amend_note(&id, &text)?.into()))
    }

    pub fn mark_journalised(&self, id: String, reference: String) -> R<Note> {
        guard(|| Ok(self.inner.mark_journalised(&id, &reference)?.into()))
    }

    pub fn get_note(&self, id: String) -> R<Note> {
        guard(|| Ok(self.inner.get_note(&id)?.into()))
    }

    /// Newest first; one citizen's when `citizen_id` is set. `limit` defaults to 50.
    pub fn list_notes(&self, citizen_id: Option<String>, limit: Option<u32>) -> R<Vec<Note>> {
        guard(|| Ok(ids(self.inner.list_notes(citizen_id.as_deref(), limit)?)))
    }

    pub fn search_notes(&self, query: String) -> R<Vec<Note>> {
        guard(|| Ok(ids(self.inner.search_notes(&query)?)))
    }

    pub fn add_follow_up(&self, note_id: String, follow_up: FollowUpInput) -> R<FollowUp> {
        guard(|| Ok(self.inner.add_follow_up(&note_id, follow_up.try_into()?)?.into()))
    }

    pub fn set_follow_up_done(&self, follow_up_id: String, done: bool) -> R<FollowUp> {
        guard(|| Ok(self.inner.set_follow_up_done(&follow_up_id, done)?.into()))
    }
}

#[uniffi::export]
impl Vault {
    // The worker's settings

    /// Who signs the reminders (name and phone appear in every SMS). Needed before reminders.
    pub fn set_worker_profile(&self, name: String, phone: String, role: WorkerRole) -> R<WorkerProfile> {
        guard(|| Ok(self.inner.set_worker_profile(&name, &phone, role.into())?.into()))
    }

    pub fn worker_profile(&self) -> R<Option<WorkerProfile>> {
        guard(|| Ok(self.inner.worker_profile()?.map(Into::into)))
    }

    pub fn reminder_rules(&self) -> R<ReminderRules> {
        guard(|| Ok(self.inner.reminder_rules()?.into()))
    }

    pub fn set_reminder_rules(&self, rules: ReminderRules) -> R<()> {
        guard(|| Ok(self.inner.set_reminder_rules(rules.try_into()?)?))
    }

    /// Reminder rules for one citizen; null returns them to the worker's rules.
    pub fn set_citizen_reminder_rules(&self, citizen_id: String, rules: Option<ReminderRules>) -> R<Citizen> {
        guard(|| {
            let rules = rules.map(TryInto::try_into).transpose()?;
            Ok(self.inner.set_citizen_reminder_rules(&citizen_id, rules)?.into())
        })
    }

    /// Sets a template (null: back to the default) and returns the one now in force.
    pub fn set_sms_template(&self, language: SmsLanguage, kind: TemplateKind, text: Option<String>) -> R<String> {
        guard(|| Ok(self.inner.set_sms_template(language.into(), kind.into(), text.as_deref())?))
    }

    pub fn sms_template(&self, language: SmsLanguage, kind: TemplateKind) -> R<String> {
        guard(|| Ok(self.inner.sms_template(language.into(), kind.into())?))
    }

    // Venues, office hours, absences

    pub fn add_venue(&self, venue: NewVenue) -> R<Venue> {
        guard(|| {
            Ok(self
                .inner
                .add_venue(core::NewVenue {
                    name: venue.name,
                    address: venue.address,
                    kind: venue.kind.into(),
                    has_private_room: venue.has_private_room,
                    time_zone: venue.time_zone,
                })?
                .into())
        })
    }

    pub fn list_venues(&self) -> R<Vec<Venue>> {
        guard(|| Ok(ids(self.inner.list_venues()?)))
    }

    pub fn get_venue(&self, id: String) -> R<Venue> {
        guard(|| Ok(self.inner.get_venue(&id)?.into()))
    }

    /// Weekly hours at a venue; times `HH:MM`, optional validity dates `YYYY-MM-DD`.
    pub fn add_office_hours(
        &self,
        venue_id: String,
        weekday: Weekday,
        from: String,
        to: String,
        valid_from: Option<String>,
        valid_until: Option<String>,
    ) -> R<OfficeHours> {
        guard(|| {
            let valid_from = valid_from.as_deref().map(|d| parse_date("valid_from", d)).transpose()?;
            let valid_until = valid_until.as_deref().map(|d| parse_date("valid_until", d)).transpose()?;
            Ok(self
                .inner
                .add_office_hours(
                    &venue_id,
                    weekday.into(),
                    parse_time("from", &from)?,
                    parse_time("to", &to)?,
                    valid_from,
                    valid_until,
                )?
                .into())
        })
    }

    pub fn list_office_hours(&self, venue_id: Option<String>) -> R<Vec<OfficeHours>> {
        guard(|| Ok(ids(self.inner.list_office_hours(venue_id.as_deref())?)))
    }

    pub fn remove_office_hours(&self, id: String) -> R<()> {
        guard(|| Ok(self.inner.remove_office_hours(&id)?))
    }

    /// An absence over whole days, `from` to `to` inclusive (`YYYY-MM-DD`).
    pub fn add_absence(&self, from: String, to: String, reason: AbsenceReason) -> R<Absence> {
        guard(|| Ok(self.inner.add_absence(parse_date("from", &from)?, parse_date("to", &to)?, reason.into())?.into()))
    }

    pub fn list_absences(&self) -> R<Vec<Absence>> {
        guard(|| Ok(ids(self.inner.list_absences()?)))
    }

    pub fn remove_absence(&self, id: String) -> R<()> {
        guard(|| Ok(self.inner.remove_absence(&id)?))
    }

    // Appointments

    /// Books an appointment; warnings and the planned reminders come back with it.
    pub fn book_appointment(&self, appointment: NewAppointment) -> R<Booking> {
        guard(|| Ok(self.inner.book_appointment(appointment.try_into()?)?.into()))
    }

    /// Moves an appointment to `local_start` (`YYYY-MM-DDTHH:MM`); the old one links to the new.
    pub fn reschedule_appointment(&self, id: String, local_start: String, duration_minutes: Option<u32>) -> R<Booking> {
        guard(|| {
            let at = parse_local("local_start", &local_start)?;
            Ok(self.inner.reschedule_appointment(&id, at, duration_minutes)?.into())
        })
    }

    pub fn cancel_appointment(&self, id: String, by: CancelledBy) -> R<Appointment> {
        guard(|| Ok(self.inner.cancel_appointment(&id, by.into())?.into()))
    }

    pub fn set_outcome(&self, id: String, outcome: Outcome) -> R<Appointment> {
        guard(|| Ok(self.inner.set_outcome(&id, outcome.into())?.into()))
    }

    pub fn confirm_appointment(&self, id: String) -> R<Appointment> {
        guard(|| Ok(self.inner.confirm_appointment(&id)?.into()))
    }

    pub fn get_appointment(&self, id: String) -> R<Appointment> {
        guard(|| Ok(self.inner.get_appointment(&id)?.into()))
    }

    /// The appointments on a local date (`YYYY-MM-DD`).
    pub fn agenda_day(&self, date: String) -> R<Vec<Appointment>> {
        guard(|| Ok(ids(self.inner.agenda_day(parse_date("date", &date)?)?)))
    }

    /// Monday to Sunday of the week holding `date`.
    pub fn agenda_week(&self, date: String) -> R<Vec<Appointment>> {
        guard(|| Ok(ids(self.inner.agenda_week(parse_date("date", &date)?)?)))
    }

    pub fn appointments_for_citizen(&self, citizen_id: String) -> R<Vec<Appointment>> {
        guard(|| Ok(ids(self.inner.appointments_for_citizen(&citizen_id)?)))
    }

    /// Ended appointments still without an outcome.
    pub fn past_without_outcome(&self) -> R<Vec<Appointment>> {
        guard(|| Ok(ids(self.inner.past_without_outcome()?)))
    }

    // Reminders

    /// Hands every due reminder to `sender` and records the outcomes. Works while locked.
    pub fn run_outbox(&self, sender: Arc<dyn SmsSender>) -> R<OutboxRun> {
        guard(|| Ok(self.inner.run_outbox(&SenderAdapter(sender))?.into()))
    }

    /// When the platform should run the outbox next (null: nothing pending).
    pub fn next_outbox_run_at(&self) -> R<Option<std::time::SystemTime>> {
        guard(|| Ok(self.inner.next_outbox_run_at()?.map(crate::types::at)))
    }

    pub fn record_delivery(&self, reminder_id: String, delivered: bool) -> R<Reminder> {
        guard(|| Ok(self.inner.record_delivery(&reminder_id, delivered)?.into()))
    }

    /// The result of a text handed to the user by a `NeedsUser` answer.
    pub fn record_user_send_result(&self, reminder_id: String, sent: bool) -> R<Reminder> {
        guard(|| Ok(self.inner.record_user_send_result(&reminder_id, sent)?.into()))
    }

    /// The worker's decision on an unknown or failed reminder.
    pub fn resolve_reminder(&self, reminder_id: String, resolution: Resolution) -> R<Reminder> {
        guard(|| Ok(self.inner.resolve_reminder(&reminder_id, resolution.into())?.into()))
    }

    /// Lets one held text (flagged, or over 3 segments) go out.
    pub fn approve_reminder_text(&self, reminder_id: String) -> R<Reminder> {
        guard(|| Ok(self.inner.approve_reminder_text(&reminder_id)?.into()))
    }

    /// One appointment's reminders, or (null) everything open plus the last 7 days.
    pub fn list_reminders(&self, appointment_id: Option<String>) -> R<Vec<Reminder>> {
        guard(|| Ok(ids(self.inner.list_reminders(appointment_id.as_deref())?)))
    }

    // Reports

    /// No-show figures for local dates `from..=to` (`YYYY-MM-DD`), optionally one venue.
    pub fn no_show_report(&self, from: String, to: String, venue_id: Option<String>) -> R<NoShowReport> {
        guard(|| {
            Ok(self
                .inner
                .no_show_report(parse_date("from", &from)?, parse_date("to", &to)?, venue_id.as_deref())?
                .into())
        })
    }
}

impl Vault {
    /// The core vault, for Rust callers (tests, harnesses) that need it directly.
    pub fn core(&self) -> &core::Vault {
        &self.inner
    }
}
