//! The `Vault` object: the whole surface of the core for the shells. Every method checks the
//! lock state and idle time in the core; every error is a `BrobyggerError`.
//!
//! ## Threads
//! Every method is synchronous and may block: unlocking runs the PIN KDF (a few hundred
//! milliseconds on a phone) and a key store call; every write waits for the disk (fsync);
//! key store calls may take milliseconds. **Call none of them on the main (UI) thread** —
//! Kotlin: `withContext(Dispatchers.IO)`; Swift: an actor or `Task.detached`.
//!
//! A `Vault` is safe to share between threads: calls are serialised by one lock inside the
//! core, so two calls never interleave. `run_outbox` releases the lock while the `SmsSender`
//! runs, so the sender may call back into the vault (and the UI stays usable); the outbox's
//! claim in the database keeps a second run from sending the same reminder. Open one `Vault`
//! per process for a folder; the app's screens and its background sender share it.

use crate::error::guard;
use crate::platform::{Clock, ClockAdapter, KeyStore, KeyStoreAdapter};
use crate::scheduling::*;
use crate::screens::{CitizenOverview, Today};
use crate::time::{LocalDate, LocalDateTime, LocalTime};
use crate::types::*;
use crate::BrobyggerError;
use brobygger_core as core;
use std::path::PathBuf;
use std::sync::Arc;

type R<T> = Result<T, BrobyggerError>;

#[derive(uniffi::Object)]
pub struct Vault {
    /// Crate-visible for the other modules' `#[uniffi::export] impl Vault` blocks (report.rs).
    pub(crate) inner: core::Vault,
}

/// A new vault and its recovery key. Show the key to the worker once (`reveal()`), have them
/// write it down, then drop it.
#[derive(uniffi::Record)]
pub struct CreatedVault {
    pub vault: Arc<Vault>,
    pub recovery_key: Arc<RecoveryKey>,
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
        Ok(CreatedVault {
            vault: Arc::new(Vault { inner: created.vault }),
            recovery_key: RecoveryKey::new(created.recovery_key),
        })
    })
}

/// How much of one table a salvage brought across.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TableSalvage {
    pub table: String,
    pub copied: u32,
    pub skipped: u32,
}

/// A vault salvaged from a damaged one, unlocked, and what was copied and skipped.
#[derive(uniffi::Record)]
pub struct SalvagedVault {
    pub vault: Arc<Vault>,
    pub tables: Vec<TableSalvage>,
}

/// Reads what can be read of the damaged vault in `source` into a new vault in `target`, with
/// the recovery key, under a new PIN (support's tool when a file is too damaged to use).
/// `source` is never written; rows that cannot be read are skipped and counted.
#[uniffi::export]
pub fn salvage_vault(
    source: String,
    recovery_key: String,
    target: String,
    new_pin: String,
    key_store: Arc<dyn KeyStore>,
    clock: Arc<dyn Clock>,
) -> R<SalvagedVault> {
    guard(|| {
        let (inner, report) = core::Vault::salvage(
            &PathBuf::from(source),
            &recovery_key,
            &PathBuf::from(target),
            &new_pin,
            Arc::new(KeyStoreAdapter(key_store)),
            Arc::new(ClockAdapter(clock)),
        )?;
        Ok(SalvagedVault {
            vault: Arc::new(Vault { inner }),
            tables: report
                .tables
                .into_iter()
                .map(|t| TableSalvage { table: t.table.into(), copied: t.copied, skipped: t.skipped })
                .collect(),
        })
    })
}

/// Whether `dir` holds a vault, so the app knows to show set-up or the PIN screen.
#[uniffi::export]
pub fn vault_exists(dir: String) -> bool {
    core::store::db_path(&PathBuf::from(dir)).is_file()
}

/// Whether a PIN may be chosen (length, characters, not one of the most common): `null` when
/// it may, else the error the set-up screen shows. No vault needed.
#[uniffi::export]
pub fn check_new_pin(pin: String) -> Option<BrobyggerError> {
    core::vault::pin::check_new("pin", &pin).err().map(Into::into)
}

fn all<T, U: From<T>>(items: Vec<T>) -> Vec<U> {
    items.into_iter().map(Into::into).collect()
}

#[uniffi::export]
impl Vault {
    /// Opens the vault in `dir`, locked. Cheap: no key store call and no scan of the file.
    /// A damaged file gives `Corrupt` and is left untouched.
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

    /// Unlocks with the PIN. Wrong PINs are counted (`WrongPin` with attempts left); after the
    /// third each try waits longer (`PinDelay`); the tenth disables the PIN (`PinDisabled`).
    pub fn unlock(&self, pin: String) -> R<()> {
        guard(|| Ok(self.inner.unlock(&pin)?))
    }

    /// Opens the vault with the recovery key and sets a new PIN; works on a new phone.
    pub fn unlock_with_recovery_key(&self, recovery_key: String, new_pin: String) -> R<()> {
        guard(|| Ok(self.inner.unlock_with_recovery_key(&recovery_key, &new_pin)?))
    }

    /// Unlocks with the secret kept behind the platform's biometric prompt.
    pub fn unlock_with_biometric(&self, secret: Vec<u8>) -> R<()> {
        guard(|| Ok(self.inner.unlock_with_biometric(&secret)?))
    }

    /// Adds biometric unlock (unlocked only): returns 32 random bytes to keep behind the
    /// platform's biometric prompt (Android: BiometricPrompt + CryptoObject; iOS: a Keychain
    /// item with `.biometryCurrentSet`).
    pub fn enroll_biometric(&self) -> R<Vec<u8>> {
        guard(|| Ok(self.inner.enroll_biometric()?.to_vec()))
    }

    pub fn remove_biometric(&self) -> R<()> {
        guard(|| Ok(self.inner.remove_biometric()?))
    }

    /// Whether biometric unlock stays when ten wrong PINs disable the PIN (default: it does).
    pub fn set_biometric_survives_pin_lockout(&self, survives: bool) -> R<()> {
        guard(|| Ok(self.inner.set_biometric_survives_pin_lockout(survives)?))
    }

    /// Replaces the recovery key (unlocked only); offer it after every use of the key.
    pub fn rotate_recovery_key(&self) -> R<Arc<RecoveryKey>> {
        guard(|| Ok(RecoveryKey::new(self.inner.rotate_recovery_key()?)))
    }

    /// Locks: the keys leave memory. Call it when the app leaves the foreground and when the
    /// shell's auto-lock timer fires.
    pub fn lock(&self) {
        self.inner.lock()
    }

    pub fn is_unlocked(&self) -> bool {
        self.inner.is_unlocked()
    }

    /// Lock state, PIN attempts and delay, biometric and key store situation. Works locked.
    pub fn status(&self) -> R<VaultStatus> {
        guard(|| Ok(self.inner.status()?.into()))
    }

    /// Scans the file for damage (tens of milliseconds on a large vault): run it after
    /// unlocking, off the main thread. The result also shows in `status().integrity`.
    pub fn check_integrity(&self) -> R<IntegrityState> {
        guard(|| Ok(self.inner.check_integrity()?.into()))
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

    // Screens

    /// Today's screen: the agenda of `date` and everything waiting for the worker.
    pub fn today(&self, date: LocalDate) -> R<Today> {
        guard(|| Ok(self.inner.today(date.0)?.into()))
    }

    /// A citizen's overview: details, reminder eligibility, next appointments, latest notes,
    /// open follow-ups.
    pub fn citizen_overview(&self, citizen_id: String) -> R<CitizenOverview> {
        guard(|| Ok(self.inner.citizen_overview(&citizen_id)?.into()))
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

    /// Reminder rules for one citizen; null returns them to the worker's rules.
    pub fn set_citizen_reminder_rules(&self, citizen_id: String, rules: Option<ReminderRules>) -> R<Citizen> {
        guard(|| Ok(self.inner.set_citizen_reminder_rules(&citizen_id, rules.map(Into::into))?.into()))
    }

    pub fn get_citizen(&self, id: String) -> R<Citizen> {
        guard(|| Ok(self.inner.get_citizen(&id)?.into()))
    }

    /// Every citizen, in Danish name order.
    pub fn list_citizens(&self) -> R<CitizenList> {
        guard(|| Ok(self.inner.list_citizens()?.into()))
    }

    pub fn find_citizens_by_phone(&self, phone: String) -> R<Vec<Citizen>> {
        guard(|| Ok(all(self.inner.find_citizens_by_phone(&phone)?)))
    }

    /// Deletes the citizen and all their notes beyond recovery; their future appointments are
    /// cancelled and every appointment stays only as an anonymous count.
    pub fn delete_citizen(&self, id: String) -> R<()> {
        guard(|| Ok(self.inner.delete_citizen(&id)?))
    }

    // Notes

    /// Starts a draft; returns its id and times (not the whole note).
    pub fn create_note(&self, note: NoteInput) -> R<NoteSaved> {
        guard(|| Ok(self.inner.create_note(note.into())?.into()))
    }

    /// Saves the draft as typed; durable when it returns. The input replaces the draft: a
    /// null citizen makes it anonymous, empty topics clear them.
    pub fn save_draft(&self, id: String, note: NoteInput) -> R<NoteSaved> {
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

    /// The whole note, with amendments and follow-ups.
    pub fn get_note(&self, id: String) -> R<Note> {
        guard(|| Ok(self.inner.get_note(&id)?.into()))
    }

    /// A page of note summaries, newest conversation first; one citizen's when set. `limit`
    /// defaults to 50; `cursor` is the previous page's `next_cursor`.
    pub fn list_notes(&self, citizen_id: Option<String>, limit: Option<u32>, cursor: Option<String>) -> R<NotePage> {
        guard(|| Ok(self.inner.list_notes(citizen_id.as_deref(), limit, cursor.as_deref())?.into()))
    }

    /// A page of notes matching `query` in text, amendments, follow-ups or journal reference
    /// (case and accents ignored), newest first.
    pub fn search_notes(&self, query: String, limit: Option<u32>, cursor: Option<String>) -> R<NotePage> {
        guard(|| Ok(self.inner.search_notes(&query, limit, cursor.as_deref())?.into()))
    }

    /// How many notes match `query` (a full scan; for a screen that shows a count).
    pub fn count_note_matches(&self, query: String) -> R<NoteCount> {
        guard(|| {
            let c = self.inner.count_note_matches(&query)?;
            Ok(NoteCount { matches: c.matches, unreadable: c.unreadable })
        })
    }

    pub fn add_follow_up(&self, note_id: String, follow_up: FollowUpInput) -> R<FollowUp> {
        guard(|| Ok(self.inner.add_follow_up(&note_id, follow_up.into())?.into()))
    }

    pub fn set_follow_up_done(&self, follow_up_id: String, done: bool) -> R<FollowUp> {
        guard(|| Ok(self.inner.set_follow_up_done(&follow_up_id, done)?.into()))
    }
}

#[uniffi::export]
impl Vault {
    // The worker's settings

    /// Who signs the reminders (name and phone appear in every SMS). Texts waiting in the
    /// outbox are written anew; bookings made without a profile get their reminders now.
    pub fn set_worker_profile(&self, name: String, phone: String, role: WorkerRole) -> R<ProfileSaved> {
        guard(|| Ok(self.inner.set_worker_profile(&name, &phone, role.into())?.into()))
    }

    pub fn worker_profile(&self) -> R<Option<WorkerProfile>> {
        guard(|| Ok(self.inner.worker_profile()?.map(Into::into)))
    }

    pub fn reminder_rules(&self) -> R<ReminderRules> {
        guard(|| Ok(self.inner.reminder_rules()?.into()))
    }

    pub fn set_reminder_rules(&self, rules: ReminderRules) -> R<()> {
        guard(|| Ok(self.inner.set_reminder_rules(rules.into())?))
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
        guard(|| Ok(all(self.inner.list_venues()?)))
    }

    pub fn get_venue(&self, id: String) -> R<Venue> {
        guard(|| Ok(self.inner.get_venue(&id)?.into()))
    }

    /// Weekly hours at a venue, local time there.
    pub fn add_office_hours(
        &self,
        venue_id: String,
        weekday: Weekday,
        from: LocalTime,
        to: LocalTime,
        valid_from: Option<LocalDate>,
        valid_until: Option<LocalDate>,
    ) -> R<OfficeHours> {
        guard(|| {
            Ok(self
                .inner
                .add_office_hours(
                    &venue_id,
                    weekday.into(),
                    from.0,
                    to.0,
                    valid_from.map(|d| d.0),
                    valid_until.map(|d| d.0),
                )?
                .into())
        })
    }

    pub fn list_office_hours(&self, venue_id: Option<String>) -> R<Vec<OfficeHours>> {
        guard(|| Ok(all(self.inner.list_office_hours(venue_id.as_deref())?)))
    }

    pub fn remove_office_hours(&self, id: String) -> R<()> {
        guard(|| Ok(self.inner.remove_office_hours(&id)?))
    }

    /// An absence over whole days, `from` to `to` inclusive.
    pub fn add_absence(&self, from: LocalDate, to: LocalDate, reason: AbsenceReason) -> R<Absence> {
        guard(|| Ok(self.inner.add_absence(from.0, to.0, reason.into())?.into()))
    }

    pub fn list_absences(&self) -> R<Vec<Absence>> {
        guard(|| Ok(all(self.inner.list_absences()?)))
    }

    pub fn remove_absence(&self, id: String) -> R<()> {
        guard(|| Ok(self.inner.remove_absence(&id)?))
    }

    // Appointments

    /// What booking would do, without keeping anything: warnings with details, and the
    /// reminders with their local send times and texts.
    pub fn preview_booking(&self, appointment: NewAppointment) -> R<Booking> {
        guard(|| Ok(self.inner.preview_booking(appointment.into())?.into()))
    }

    /// Books an appointment; warnings and the planned reminders come back with it.
    pub fn book_appointment(&self, appointment: NewAppointment) -> R<Booking> {
        guard(|| Ok(self.inner.book_appointment(appointment.into())?.into()))
    }

    /// Moves an appointment to `local_start`; the old one links to the new.
    pub fn reschedule_appointment(
        &self,
        id: String,
        local_start: LocalDateTime,
        duration_minutes: Option<u32>,
    ) -> R<Booking> {
        guard(|| Ok(self.inner.reschedule_appointment(&id, local_start.0, duration_minutes)?.into()))
    }

    pub fn cancel_appointment(&self, id: String, by: CancelledBy) -> R<Appointment> {
        guard(|| Ok(self.inner.cancel_appointment(&id, by.into())?.into()))
    }

    /// Records attended or no-show once the appointment has started; also corrects one.
    pub fn set_outcome(&self, id: String, outcome: Outcome) -> R<Appointment> {
        guard(|| Ok(self.inner.set_outcome(&id, outcome.into())?.into()))
    }

    pub fn confirm_appointment(&self, id: String) -> R<Appointment> {
        guard(|| Ok(self.inner.confirm_appointment(&id)?.into()))
    }

    pub fn get_appointment(&self, id: String) -> R<Appointment> {
        guard(|| Ok(self.inner.get_appointment(&id)?.into()))
    }

    /// The appointments on a local date.
    pub fn agenda_day(&self, date: LocalDate) -> R<Vec<Appointment>> {
        guard(|| Ok(all(self.inner.agenda_day(date.0)?)))
    }

    /// Monday to Sunday of the week holding `date`.
    pub fn agenda_week(&self, date: LocalDate) -> R<Vec<Appointment>> {
        guard(|| Ok(all(self.inner.agenda_week(date.0)?)))
    }

    pub fn appointments_for_citizen(&self, citizen_id: String) -> R<Vec<Appointment>> {
        guard(|| Ok(all(self.inner.appointments_for_citizen(&citizen_id)?)))
    }

    /// Ended appointments still without an outcome.
    pub fn past_without_outcome(&self) -> R<Vec<Appointment>> {
        guard(|| Ok(all(self.inner.past_without_outcome()?)))
    }

    // Reminders

    /// Hands due reminders to `sender` (at most `limit`; null: all) and records the outcomes.
    /// Works while locked. A lost outbox key is `PlatformKeysMissing`.
    pub fn run_outbox(&self, sender: Arc<dyn SmsSender>, limit: Option<u32>) -> R<OutboxRun> {
        guard(|| Ok(self.inner.run_outbox(&SenderAdapter(sender), limit)?.into()))
    }

    /// When the platform should run the outbox next (null: nothing pending). Works locked.
    pub fn next_outbox_run_at(&self) -> R<Option<std::time::SystemTime>> {
        guard(|| Ok(self.inner.next_outbox_run_at()?.map(crate::types::at)))
    }

    /// The coming send times, grouped, at most `limit`: for iOS's local notifications and
    /// Android's alarm. Works locked; nothing personal.
    pub fn upcoming_sends(&self, limit: u32) -> R<Vec<crate::scheduling::UpcomingSend>> {
        guard(|| Ok(all(self.inner.upcoming_sends(limit)?)))
    }

    pub fn record_delivery(&self, reminder_id: String, delivered: bool) -> R<Reminder> {
        guard(|| Ok(self.inner.record_delivery(&reminder_id, delivered)?.into()))
    }

    /// The result of a text handed to the user (`NeedsUser`), or a platform report that
    /// arrives after the claim was given up as unknown (the app died, or the sender stopped
    /// waiting). `failure_reason`: a code saying why it was not sent (`partially_sent`, ...).
    #[uniffi::method(default(failure_reason = None))]
    pub fn record_send_result(&self, reminder_id: String, sent: bool, failure_reason: Option<String>) -> R<Reminder> {
        guard(|| Ok(self.inner.record_send_result(&reminder_id, sent, failure_reason.as_deref())?.into()))
    }

    /// The worker's decision on an unknown or failed reminder.
    pub fn resolve_reminder(&self, reminder_id: String, resolution: Resolution) -> R<Reminder> {
        guard(|| Ok(self.inner.resolve_reminder(&reminder_id, resolution.into())?.into()))
    }

    /// Lets one held text (flagged, or over 3 segments) go out.
    pub fn approve_reminder_text(&self, reminder_id: String) -> R<Reminder> {
        guard(|| Ok(self.inner.approve_reminder_text(&reminder_id)?.into()))
    }

    /// The worker rewrites a text not yet handed to a sender; it is linted and measured again.
    pub fn edit_reminder_text(&self, reminder_id: String, text: String) -> R<Reminder> {
        guard(|| Ok(self.inner.edit_reminder_text(&reminder_id, &text)?.into()))
    }

    /// One appointment's reminders, or (null) everything open plus the last 7 days.
    pub fn list_reminders(&self, appointment_id: Option<String>) -> R<Vec<Reminder>> {
        guard(|| Ok(all(self.inner.list_reminders(appointment_id.as_deref())?)))
    }

    // Reports

    /// No-show figures for local dates `from..=to`, optionally one venue.
    pub fn no_show_report(&self, from: LocalDate, to: LocalDate, venue_id: Option<String>) -> R<NoShowReport> {
        guard(|| Ok(self.inner.no_show_report(from.0, to.0, venue_id.as_deref())?.into()))
    }
}

impl Vault {
    /// The core vault, for Rust callers (tests, harnesses) that need it directly.
    pub fn core(&self) -> &core::Vault {
        &self.inner
    }
}
