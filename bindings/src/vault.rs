//! The `Vault` object: the whole surface of the core for the shells. Every method
//! checks the lock state and idle time in the core; every error is a `BrobyggerError`.

use crate::error::guard;
use crate::platform::{Clock, ClockAdapter, KeyStore, KeyStoreAdapter};
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

impl Vault {
    /// The core vault, for Rust callers (tests, harnesses) that need it directly.
    pub fn core(&self) -> &core::Vault {
        &self.inner
    }
}
