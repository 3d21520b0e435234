//! Damaged vault files (`Vault::open`, `unlock`, reading): a real vault file, changed as the
//! input says, is opened, unlocked and read; every call answers with a value or a
//! `CoreError`, never a panic.
//!
//! The template vault (a worker profile, a citizen, a note, an appointment) is made once
//! per process with the cheap test KDF, locked, and its file bytes kept. Each input then
//! changes a copy of those bytes, writes it to a folder of its own and runs: `open`,
//! `status`, `unlock`, `list_citizens`, `list_notes(None, None, None)`, `today(date)`,
//! `check_integrity`, `lock`.
//!
//! Input: up to [`MAX_CHANGES`] changes, each a kind byte and its arguments; positions are
//! 3 bytes, taken modulo the file length. The file never grows, so the template caps its size.
//! - 0 overwrite: position, length byte (1..=32), then that many bytes;
//! - 1 truncate: position (the new length);
//! - 2 flip: position, mask byte (XOR, never zero);
//! - 3 copy: from, to, length byte (1..=64): moves real structure (cells, pages) around.
//!
//! The key store. The vault's platform keys live in one [`MemoryKeyStore`] for the life of
//! the process, and the vault replaces its state key at every unlock and lock (deleting the
//! old one, see `core/src/vault/state.rs`). So that every input starts from the same keys,
//! [`TemplateKeys`] wraps that store: the keys the template file names are never deleted
//! (the delete is acknowledged and ignored), and every key made while running an input is
//! deleted after it. Unchanged bytes therefore unlock every time, which [`template`] checks
//! once at start (twice in a row).

use brobygger_core::testing::MemoryKeyStore;
use brobygger_core::vault::{KeyPurpose, KeyStore, KeyStoreFailure};
use brobygger_core::{
    AppointmentKind, ConsentMethod, CoreError, ManualClock, NewAppointment, NewCitizen, NoteInput, Vault, WorkerRole,
};
use chrono::{NaiveDate, TimeZone, Utc};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

pub const PIN: &str = "135790";
/// The cheapest PIN KDF the test feature allows: the target is the file, not PBKDF2.
const KDF_ITERATIONS: u32 = 1;
pub const MAX_CHANGES: usize = 64;

/// The platform key store of the template vault (see the module comment).
#[derive(Default)]
pub struct TemplateKeys {
    inner: MemoryKeyStore,
    kept: Mutex<HashSet<String>>,
}

impl TemplateKeys {
    fn kept(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The keys held now are the template's: kept from here on.
    fn freeze(&self) {
        *self.kept() = self.inner.key_names().into_iter().collect();
    }

    /// Deletes every key made since [`TemplateKeys::freeze`].
    fn reset(&self) {
        let kept = self.kept().clone();
        for name in self.inner.key_names() {
            if !kept.contains(&name) {
                let _ = self.inner.delete_key(&name);
            }
        }
    }

    pub fn key_count(&self) -> usize {
        self.inner.key_count()
    }
}

impl KeyStore for TemplateKeys {
    fn pin_factor(&self, key_name: &str, input: &[u8], create: bool) -> Result<Vec<u8>, KeyStoreFailure> {
        self.inner.pin_factor(key_name, input, create)
    }

    fn wrap(&self, key_name: &str, purpose: KeyPurpose, secret: &[u8]) -> Result<Vec<u8>, KeyStoreFailure> {
        self.inner.wrap(key_name, purpose, secret)
    }

    fn unwrap(&self, key_name: &str, purpose: KeyPurpose, wrapped: &[u8]) -> Result<Vec<u8>, KeyStoreFailure> {
        self.inner.unwrap(key_name, purpose, wrapped)
    }

    fn delete_key(&self, key_name: &str) -> Result<(), KeyStoreFailure> {
        if self.kept().contains(key_name) {
            return Ok(());
        }
        self.inner.delete_key(key_name)
    }
}

/// The template vault of this process.
pub struct Template {
    pub bytes: Vec<u8>,
    pub keys: Arc<TemplateKeys>,
    clock: Arc<ManualClock>,
    /// The date `today` is asked for: the appointment's.
    day: NaiveDate,
}

/// What one run of a file gave: counts where a call succeeded.
#[derive(Debug, PartialEq, Eq)]
pub struct Seen {
    pub opened: Result<(), CoreError>,
    pub unlocked: Result<(), CoreError>,
    pub citizens: Result<usize, CoreError>,
    pub notes: Result<usize, CoreError>,
    pub appointments_today: Result<usize, CoreError>,
}

/// Where the per-input folders go: `BROBYGGER_FUZZ_TMP`, else `/dev/shm` (memory: the
/// vault syncs every write), else the system's temp folder.
fn scratch_root() -> PathBuf {
    if let Some(dir) = std::env::var_os("BROBYGGER_FUZZ_TMP") {
        return PathBuf::from(dir);
    }
    let shm = Path::new("/dev/shm");
    if shm.is_dir() && tempfile::tempdir_in(shm).is_ok() {
        return shm.to_path_buf();
    }
    std::env::temp_dir()
}

pub(crate) fn scratch() -> tempfile::TempDir {
    match tempfile::Builder::new().prefix("brobygger-fuzz-").tempdir_in(scratch_root()) {
        Ok(t) => t,
        Err(e) => panic!("no scratch folder: {e}"),
    }
}

/// Set-up steps must succeed: a failure here is a broken harness, not a finding.
pub(crate) fn ok<T>(step: &str, r: Result<T, CoreError>) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("template vault: {step} failed: {e:?}"),
    }
}

/// The template of this process, made at first use and checked: its unchanged bytes
/// unlock and read back what was written, twice in a row.
pub fn template() -> &'static Template {
    static TEMPLATE: OnceLock<Template> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let t = make_template();
        let expected =
            Seen { opened: Ok(()), unlocked: Ok(()), citizens: Ok(1), notes: Ok(1), appointments_today: Ok(1) };
        for round in 0..2 {
            assert_eq!(exec(&t, &t.bytes), expected, "the unchanged template, round {round}");
        }
        t
    })
}

fn make_template() -> Template {
    let tmp = scratch();
    let dir = tmp.path().join("vault");
    let keys = Arc::new(TemplateKeys::default());
    let Some(start) = Utc.with_ymd_and_hms(2026, 3, 31, 8, 0, 0).single() else { panic!("fixed instant") };
    let clock = Arc::new(ManualClock::new(start));
    let Some(day) = NaiveDate::from_ymd_opt(2026, 4, 2) else { panic!("fixed date") };
    let Some(local_start) = day.and_hms_opt(10, 0, 0) else { panic!("fixed time") };

    let created = ok("create", Vault::create_with_test_kdf(&dir, PIN, keys.clone(), clock.clone(), KDF_ITERATIONS));
    let vault = created.vault;
    fill(&vault, local_start);
    vault.lock();
    drop(vault);
    let bytes = match std::fs::read(brobygger_core::store::db_path(&dir)) {
        Ok(b) => b,
        Err(e) => panic!("template vault: cannot read the file: {e}"),
    };
    keys.freeze();
    Template { bytes, keys, clock, day }
}

/// The template's rows, written into an unlocked `vault`: a worker profile, a citizen, a
/// note about them and an appointment at `local_start`. Returns the citizen's and the
/// note's ids. Shared with the backup target, whose backups hold the same rows.
pub(crate) fn fill(vault: &Vault, local_start: chrono::NaiveDateTime) -> (String, String) {
    ok("worker profile", vault.set_worker_profile("Mette", "61223344", WorkerRole::Caseworker));
    let citizen = ok(
        "citizen",
        vault.add_citizen(NewCitizen {
            nickname: "Ole B.".into(),
            phone: Some("20304050".into()),
            sms_consent: Some(ConsentMethod::Verbal),
            case_reference: Some("sag-17".into()),
            ..Default::default()
        }),
    );
    let note = ok(
        "note",
        vault.create_note(NoteInput {
            citizen_id: Some(citizen.id.clone()),
            text: "Talte om boligen og næste skridt".into(),
            ..Default::default()
        }),
    );
    ok(
        "appointment",
        vault.book_appointment(NewAppointment {
            citizen_id: citizen.id.clone(),
            venue_id: None,
            local_start,
            duration_minutes: 30,
            kind: AppointmentKind::Conversation,
            outside_place: None,
        }),
    );
    (citizen.id, note.id)
}

/// Writes `bytes` as the vault file of a new folder and runs every call on it.
pub fn exec(t: &Template, bytes: &[u8]) -> Seen {
    let tmp = scratch();
    let dir = tmp.path();
    if let Err(e) = std::fs::write(brobygger_core::store::db_path(dir), bytes) {
        panic!("cannot write the vault file: {e}");
    }
    let seen = match Vault::open(dir, t.keys.clone(), t.clock.clone()) {
        Err(e) => Seen {
            opened: Err(e.clone()),
            unlocked: Err(e.clone()),
            citizens: Err(e.clone()),
            notes: Err(e.clone()),
            appointments_today: Err(e),
        },
        Ok(vault) => {
            let _ = vault.status();
            let unlocked = vault.unlock(PIN);
            let seen = Seen {
                opened: Ok(()),
                unlocked,
                citizens: vault.list_citizens().map(|l| l.citizens.len()),
                notes: vault.list_notes(None, None, None).map(|p| p.items.len()),
                appointments_today: vault.today(t.day).map(|d| d.appointments.len()),
            };
            let _ = vault.check_integrity();
            vault.lock();
            seen
        }
    };
    drop(tmp);
    t.keys.reset();
    seen
}

/// Applies the changes `data` describes to a copy of `template`.
pub fn mutate(template: &[u8], data: &[u8]) -> Vec<u8> {
    let mut file = template.to_vec();
    let mut input = crate::Bytes::new(data);
    let mut changes = 0;
    while !input.is_empty() && changes < MAX_CHANGES && !file.is_empty() {
        changes += 1;
        let kind = input.u8() % 4;
        let at = input.uint(3) as usize % file.len();
        match kind {
            0 => {
                let len = usize::from(input.u8() % 32) + 1;
                let new = input.take(len);
                let end = (at + new.len()).min(file.len());
                file[at..end].copy_from_slice(&new[..end - at]);
            }
            1 => file.truncate(at),
            2 => file[at] ^= input.u8().max(1),
            _ => {
                let to = input.uint(3) as usize % file.len();
                let len = usize::from(input.u8() % 64) + 1;
                let len = len.min(file.len() - at).min(file.len() - to);
                file.copy_within(at..at + len, to);
            }
        }
    }
    file
}

pub fn run(data: &[u8]) {
    let t = template();
    let file = mutate(&t.bytes, data);
    let _ = exec(t, &file);
}
