//! The vault: one encrypted store per worker, its keys and its lock state.
//!
//! Key hierarchy (SPEC §4, README "Security"): a random vault key, stored only sealed
//! 1. under the key derived from the PIN: PBKDF2 in software, then a factor computed inside
//!    the platform key store for every guess (`crypto::kdf`), kept in the sealed vault state
//!    (`state`), whose platform key rotates at every attempt, unlock and lock;
//! 2. under a key from the shell's biometric secret, when enrolled (also in the state);
//! 3. under the recovery key shown once at set-up (an off-device escrow: it restores the
//!    vault on a new phone, so it is kept on paper, away from the phone).
//!
//! Every call checks the lock state and the idle time, measured on the injected clock.
//! The public unlock calls, which also bring each capability's data up to date, are in
//! `flows/session.rs`; this module holds the key work they build on.

pub mod keyring;
pub mod keystore;
pub mod lifecycle;
pub mod pin;
pub mod recovery;
pub mod state;

use crate::audit::{self, AuditKind, AuditObject, Event};
use crate::clock::Clock;
use crate::crypto::envelope::{self, Aad};
use crate::crypto::kdf::{self, PIN_KDF_ALGORITHM, PIN_KDF_ITERATIONS};
use crate::crypto::SecretKey;
use crate::error::{CoreError, CoreResult};
use crate::ids;
use crate::store;
use crate::time::millis;
use chrono::{DateTime, Duration, Utc};
use keyring::{envelope_error, Keyring, LEDGER_VERSION, VAULT_KEY_ID};
pub use keystore::{KeyPurpose, KeyStore, KeyStoreFailure, KeyStoreFailureKind};
pub use pin::{MAX_PIN_ATTEMPTS, PIN_MAX_LEN, PIN_MIN_LEN};
use rusqlite::{params, Connection, OptionalExtension};
use state::{key_store_error, LedgerAnchor, PinWrap, VaultState};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use zeroize::Zeroizing;

pub const DEFAULT_AUTO_LOCK_MINUTES: u32 = 5;
pub const MAX_AUTO_LOCK_MINUTES: u32 = 240;
/// Length of the secret a shell keeps behind the platform's biometric prompt.
pub const BIOMETRIC_SECRET_LEN: usize = 32;

/// A vault as the platform holds it: open on disk, locked or unlocked.
pub struct Vault {
    dir: PathBuf,
    key_store: Arc<dyn KeyStore>,
    clock: Arc<dyn Clock>,
    /// Random per open vault: the outbox marks its claims with it, so a claim left by an
    /// earlier process (which died before recording the outcome) is told from a live one.
    instance: String,
    /// The platform key store last answered that the outbox key is gone. Outside the lock:
    /// the outbox learns it while holding the connection.
    outbox_key_missing: std::sync::atomic::AtomicBool,
    inner: Mutex<Inner>,
}

struct Inner {
    /// `None` once the vault has been wiped.
    conn: Option<Connection>,
    session: Option<Session>,
    auto_lock: Duration,
    integrity: IntegrityState,
    /// Seen in the sealed state when it was last read or written in this process.
    recovery_key_rotation_advised: bool,
}

/// What the screens show about the vault without asking the key store again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VaultFlags {
    pub integrity: IntegrityState,
    pub recovery_key_rotation_advised: bool,
    pub outbox_key_missing: bool,
}

struct Session {
    keys: Keyring,
    last_activity: DateTime<Utc>,
}

/// What `create` hands back: the vault (unlocked) and the recovery key, shown once.
pub struct Created {
    pub vault: Vault,
    pub recovery_key: Zeroizing<String>,
}

/// What is known of the file's integrity. Opening the vault does not scan the file (it
/// costs tens of milliseconds on a large vault, before anything shows): the shells call
/// [`Vault::check_integrity`] after unlocking, off the main thread. Damage met while
/// reading is reported by that read as a typed error either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntegrityState {
    /// Not checked since the vault was opened.
    Unchecked,
    /// Not checked, and the last session did not close cleanly (an open write-ahead log was
    /// found): checking soon is advised.
    CheckAdvised,
    /// `PRAGMA quick_check` found nothing wrong.
    Ok,
    /// The file is damaged; what is readable is still shown, and support should look at it.
    Damaged,
    /// The seal ledger differs from the state anchored by the platform key store at the last
    /// lock: rows were written back from an older copy of the file.
    RolledBack,
}

/// Lock state and PIN situation, readable while locked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultStatus {
    pub unlocked: bool,
    pub pin_attempts_left: u32,
    pub pin_disabled: bool,
    /// Seconds until the next PIN attempt is allowed (0: now).
    pub pin_retry_after_seconds: u32,
    pub auto_lock_minutes: u32,
    pub kdf_algorithm: &'static str,
    pub kdf_iterations: u32,
    /// The platform key store no longer holds this vault's keys (a new phone, a key store
    /// reset, or an older copy of the vault file): only the recovery key opens it.
    pub platform_keys_missing: bool,
    pub biometric_enrolled: bool,
    /// The recovery key was used; the shells offer to replace it.
    pub recovery_key_rotation_advised: bool,
    pub integrity: IntegrityState,
}

/// Work done with the vault unlocked: the connection, the keys and the time of the call.
pub(crate) struct Ctx<'a> {
    pub conn: &'a mut Connection,
    pub keys: &'a mut Keyring,
    pub now: DateTime<Utc>,
}

fn pin_aad<'a>(vault_id: &'a str, params: &'a str) -> Aad<'a> {
    Aad::new("vault_meta", vault_id, params)
}

fn pin_params(iterations: u32) -> String {
    format!("pin_wrap/{PIN_KDF_ALGORITHM}/{iterations}")
}

fn recovery_aad(vault_id: &str) -> Aad<'_> {
    Aad::new("vault_meta", vault_id, "recovery_wrap")
}

fn biometric_aad(vault_id: &str) -> Aad<'_> {
    Aad::new("vault_meta", vault_id, "biometric_wrap")
}

fn biometric_key(secret: &[u8]) -> CoreResult<SecretKey> {
    if secret.len() != BIOMETRIC_SECRET_LEN {
        return Err(CoreError::invalid("biometric_secret", "must be 32 bytes"));
    }
    kdf::hkdf(b"brobygger biometric", secret, b"biometric wrap v1")
}

/// The vault's id and format, readable without any key.
struct Meta {
    vault_id: String,
    format: u32,
    pin_factor_key: Option<String>,
}

fn read_meta(conn: &Connection) -> CoreResult<Meta> {
    conn.query_row("SELECT vault_id, format, pin_factor_key FROM vault_meta WHERE id = 1", [], |r| {
        Ok(Meta { vault_id: r.get(0)?, format: r.get(1)?, pin_factor_key: r.get(2)? })
    })
    .optional()?
    .ok_or(CoreError::Corrupt)
}

/// The PIN wrap of `vault_key` for `pin`, computing the key store's factor with `factor_key`.
fn make_pin_wrap(
    key_store: &dyn KeyStore,
    factor_key: &str,
    vault_id: &str,
    pin: &str,
    vault_key: &SecretKey,
    iterations: u32,
) -> CoreResult<PinWrap> {
    let salt = state::salt()?;
    let cost = kdf::checked_iterations(iterations)?;
    let stretched = kdf::stretch_pin(pin, &salt, cost);
    let factor = Zeroizing::new(key_store.pin_factor(factor_key, stretched.as_ref(), true).map_err(key_store_error)?);
    let key = kdf::pin_key(&stretched, &factor, iterations)?;
    let params = pin_params(iterations);
    let wrap =
        envelope::seal(&key, VAULT_KEY_ID, pin_aad(vault_id, &params), vault_key.as_bytes()).map_err(envelope_error)?;
    Ok(PinWrap { salt, iterations, wrap })
}

/// What a PIN turned out to be.
enum PinOutcome {
    Right(SecretKey),
    /// The duress PIN (`lifecycle.rs`): the vault is to be wiped silently.
    Duress,
    Wrong,
}

/// Opens the PIN wrap with `pin`, and when it does not open, checks it against the duress
/// PIN from the same stretched PIN and key-store factor (one PBKDF2 and one key store call
/// per guess, whichever it is).
fn open_pin_wrap(
    key_store: &dyn KeyStore,
    factor_key: &str,
    vault_id: &str,
    pin: &str,
    wrap: &PinWrap,
    duress: Option<&[u8]>,
) -> CoreResult<PinOutcome> {
    let cost = kdf::checked_iterations(wrap.iterations)?;
    let stretched = kdf::stretch_pin(pin, &wrap.salt, cost);
    let factor = Zeroizing::new(key_store.pin_factor(factor_key, stretched.as_ref(), false).map_err(key_store_error)?);
    let key = kdf::pin_key(&stretched, &factor, wrap.iterations)?;
    let params = pin_params(wrap.iterations);
    if let Ok(raw) = envelope::open(&key, pin_aad(vault_id, &params), &wrap.wrap) {
        return Ok(PinOutcome::Right(SecretKey::from_slice(&raw)?));
    }
    if let Some(sealed) = duress {
        if lifecycle::is_duress(&lifecycle::duress_key(&stretched, &factor, wrap.iterations)?, vault_id, sealed) {
            return Ok(PinOutcome::Duress);
        }
    }
    Ok(PinOutcome::Wrong)
}

impl Vault {
    /// Sets up a new vault in `dir` with the production PIN KDF cost.
    pub fn create(dir: &Path, pin: &str, key_store: Arc<dyn KeyStore>, clock: Arc<dyn Clock>) -> CoreResult<Created> {
        Self::create_with_cost(dir, pin, key_store, clock, PIN_KDF_ITERATIONS)
    }

    /// Sets up a vault with a cheap KDF. Tests only: the FFI and the CLI never reach it.
    #[cfg(any(test, feature = "insecure-test-kdf"))]
    pub fn create_with_test_kdf(
        dir: &Path,
        pin: &str,
        key_store: Arc<dyn KeyStore>,
        clock: Arc<dyn Clock>,
        kdf_iterations: u32,
    ) -> CoreResult<Created> {
        Self::create_with_cost(dir, pin, key_store, clock, kdf_iterations)
    }

    fn create_with_cost(
        dir: &Path,
        pin: &str,
        key_store: Arc<dyn KeyStore>,
        clock: Arc<dyn Clock>,
        kdf_iterations: u32,
    ) -> CoreResult<Created> {
        pin::check_new("pin", pin)?;
        kdf::checked_iterations(kdf_iterations)?;
        if store::db_path(dir).exists() {
            return Err(CoreError::VaultExists);
        }
        // The folder first: a file-backed key store keeps its keys beside the vault.
        store::ensure_dir(dir)?;
        let now = clock.now();
        let vault_id = ids::new_id()?;
        let vault_key = SecretKey::generate()?;
        let recovery_key = SecretKey::generate()?;
        let factor_key = state::fresh_key_name(&vault_id, "pin")?;

        // Ask the platform first: if it refuses, nothing has been written.
        let pin_wrap = make_pin_wrap(&*key_store, &factor_key, &vault_id, pin, &vault_key, kdf_iterations)?;
        let recovery_wrap = envelope::seal(&recovery_key, VAULT_KEY_ID, recovery_aad(&vault_id), vault_key.as_bytes())
            .map_err(envelope_error)?;
        let mut st = VaultState::new(pin_wrap, LEDGER_VERSION);
        st.lifecycle.backup_key = Some(lifecycle::seal_backup_key(
            &vault_key,
            &vault_id,
            &lifecycle::backup_key_from_recovery(&recovery_key)?,
        )?);
        st.lifecycle.last_unlock_at = Some(millis(now));
        // The log starts with what a wipe for inactivity left of the vault before this one.
        let previous_wipe = lifecycle::previous_wipe_event(dir);

        let written = (|| {
            let mut conn = store::create(dir)?;
            let mut keys = Keyring::new(vault_key.clone(), 0)?;
            let general = store::write_tx(&mut conn, |tx| {
                tx.execute(
                    "INSERT INTO vault_meta (id, vault_id, created_at, format, auto_lock_minutes, recovery_wrap,
                        pin_factor_key, state_key, state_secret, state)
                     VALUES (1, ?1, ?2, 2, ?3, ?4, ?5, '', x'', x'')",
                    params![vault_id, millis(now), DEFAULT_AUTO_LOCK_MINUTES, recovery_wrap, factor_key],
                )?;
                tx.execute("UPDATE seal_ledger_state SET complete = 1, version = ?1 WHERE id = 1", [LEDGER_VERSION])?;
                tx.execute("UPDATE vault_upgrades SET version = ?1 WHERE id = 1", [crate::store::UPGRADES])?;
                if let Some((event, at)) = &previous_wipe {
                    audit::append(tx, &mut st.audit, *at, event)?;
                }
                audit::append(tx, &mut st.audit, now, &Event::new(AuditKind::VaultCreated))?;
                state::write_rotated(tx, &*key_store, &vault_id, &st)?;
                keys.create_data_key(tx, "general")
            })?;
            Ok::<_, CoreError>((conn, general))
        })();
        let (conn, general) = match written {
            Ok(v) => v,
            Err(e) => {
                if e != CoreError::VaultExists {
                    // Only files this call created are removed; the platform keys go too.
                    remove_vault_files(dir);
                }
                let _ = key_store.delete_key(&factor_key);
                return Err(e);
            }
        };
        if previous_wipe.is_some() {
            let _ = lifecycle::dismiss_wipe_notice(dir);
        }
        log::info!("vault created");
        let keys = Keyring::new(vault_key, general)?;
        let vault = Vault {
            dir: dir.to_path_buf(),
            key_store,
            clock,
            instance: ids::new_id()?,
            outbox_key_missing: std::sync::atomic::AtomicBool::new(false),
            inner: Mutex::new(Inner {
                conn: Some(conn),
                session: Some(Session { keys, last_activity: now }),
                auto_lock: Duration::minutes(DEFAULT_AUTO_LOCK_MINUTES as i64),
                integrity: IntegrityState::Ok,
                recovery_key_rotation_advised: false,
            }),
        };
        Ok(Created { vault, recovery_key: Zeroizing::new(recovery::format(&recovery_key)) })
    }

    /// Opens the vault in `dir`, locked. A damaged file is reported, never replaced. Cheap:
    /// no key store call and no scan of the file (see [`IntegrityState`]).
    pub fn open(dir: &Path, key_store: Arc<dyn KeyStore>, clock: Arc<dyn Clock>) -> CoreResult<Vault> {
        let opened = store::open(dir)?;
        let auto_lock: u32 = opened
            .conn
            .query_row("SELECT auto_lock_minutes FROM vault_meta WHERE id = 1", [], |r| r.get(0))
            .optional()?
            .ok_or(CoreError::Corrupt)?;
        Ok(Vault {
            dir: dir.to_path_buf(),
            key_store,
            clock,
            instance: ids::new_id()?,
            outbox_key_missing: std::sync::atomic::AtomicBool::new(false),
            inner: Mutex::new(Inner {
                conn: Some(opened.conn),
                session: None,
                auto_lock: Duration::minutes(auto_lock.clamp(1, MAX_AUTO_LOCK_MINUTES) as i64),
                integrity: if opened.unclean_shutdown {
                    IntegrityState::CheckAdvised
                } else {
                    IntegrityState::Unchecked
                },
                recovery_key_rotation_advised: false,
            }),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The random id of this open vault (see the field's comment).
    pub(crate) fn instance(&self) -> &str {
        &self.instance
    }

    /// The key store (tests that rebuild an old vault only).
    #[cfg(any(test, feature = "insecure-test-kdf"))]
    pub fn key_store_for_tests(&self) -> Arc<dyn KeyStore> {
        self.key_store.clone()
    }

    /// Flags the screens show, from memory (no key store call).
    pub fn flags(&self) -> VaultFlags {
        let inner = self.inner();
        VaultFlags {
            integrity: inner.integrity,
            recovery_key_rotation_advised: inner.recovery_key_rotation_advised,
            outbox_key_missing: self.outbox_key_missing.load(std::sync::atomic::Ordering::Relaxed),
        }
    }

    fn inner(&self) -> MutexGuard<'_, Inner> {
        // A panic elsewhere must not make the vault unusable; the state itself stays consistent
        // because every change is a single SQLite transaction.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Writes `state` under a new platform key, commits, then deletes the old key.
    fn rotate_state(&self, conn: &mut Connection, vault_id: &str, state: &VaultState) -> CoreResult<()> {
        let old = store::write_tx(conn, |tx| state::write_rotated(tx, &*self.key_store, vault_id, state))?;
        state::delete_old(&*self.key_store, old);
        Ok(())
    }

    /// Unlocks with the PIN: the key work only (see `flows/session.rs` for the public call).
    ///
    /// Each attempt is counted durably, under a new state key, before the PIN is tried, so
    /// killing the app mid-attempt gains nothing and an older copy of the file no longer
    /// opens. After the 3rd wrong PIN each try waits longer (`pin::delay_after`, judged on the
    /// injected clock); the 10th wrong PIN in a row destroys the PIN wrap.
    pub(crate) fn unlock_keys(&self, pin: &str) -> CoreResult<()> {
        pin::check_entered("pin", pin)?;
        let mut guard = self.inner();
        let now = self.clock.now();
        let inner = &mut *guard;
        let conn = inner.conn.as_mut().ok_or(CoreError::NoVault)?;
        let meta = read_meta(conn)?;
        if meta.format == 1 {
            let vault_key = self.unlock_legacy(conn, &meta, pin, now)?;
            let (st, _) = state::read(conn, &*self.key_store)?;
            let unlocked = [Event::about(AuditKind::Unlocked, AuditObject::Pin)];
            let (session, advised) =
                self.start_session_with(conn, &meta.vault_id, vault_key, now, &mut inner.integrity, st, &unlocked)?;
            inner.session = Some(session);
            inner.recovery_key_rotation_advised = advised;
            log::info!("vault unlocked with PIN; moved to the key-store PIN factor");
            return Ok(());
        }
        let (mut st, _) = state::read(conn, &*self.key_store)?;
        if lifecycle::inactivity_due(&st, now) {
            let days = st.lifecycle.inactivity_wipe_days.unwrap_or(0);
            self.wipe_for_inactivity(inner, days, now);
            return Err(CoreError::NoVault);
        }
        let Some(wrap) = st.pin.clone() else { return Err(CoreError::PinDisabled) };
        if let Some(wait) = retry_after(&st, now) {
            return Err(CoreError::PinDelay { seconds: wait });
        }
        let factor_key = meta.pin_factor_key.clone().ok_or(CoreError::Corrupt)?;
        // Count first.
        st.failed_attempts += 1;
        st.not_before = Some(millis(now + pin::delay_after(st.failed_attempts)));
        self.rotate_state(conn, &meta.vault_id, &st)?;
        let duress = st.lifecycle.duress.clone();
        match open_pin_wrap(&*self.key_store, &factor_key, &meta.vault_id, pin, &wrap, duress.as_deref())? {
            PinOutcome::Right(vault_key) => {
                let (session, advised) = self.start_session_with(
                    conn,
                    &meta.vault_id,
                    vault_key,
                    now,
                    &mut inner.integrity,
                    st,
                    &[Event::about(AuditKind::Unlocked, AuditObject::Pin)],
                )?;
                inner.session = Some(session);
                inner.recovery_key_rotation_advised = advised;
                log::info!("vault unlocked with PIN");
                Ok(())
            }
            PinOutcome::Duress => {
                // Silently: nothing is left that says a vault was here.
                let _ = self.wipe_inner(inner);
                Err(CoreError::NoVault)
            }
            PinOutcome::Wrong if st.failed_attempts >= MAX_PIN_ATTEMPTS => {
                st.pin = None;
                st.not_before = None;
                if !st.biometric_survives_pin_lockout {
                    st.biometric = None;
                }
                let events = [Event::new(AuditKind::WrongPin), Event::new(AuditKind::PinDisabled)];
                self.rotate_state_with(conn, &meta.vault_id, &mut st, now, &events)?;
                store::checkpoint_truncate(conn)?;
                log::warn!("PIN wrap destroyed after {MAX_PIN_ATTEMPTS} wrong PINs");
                Err(CoreError::PinDisabled)
            }
            PinOutcome::Wrong => {
                self.rotate_state_with(conn, &meta.vault_id, &mut st, now, &[Event::new(AuditKind::WrongPin)])?;
                log::info!("wrong PIN");
                Err(CoreError::WrongPin { attempts_left: MAX_PIN_ATTEMPTS - st.failed_attempts })
            }
        }
    }

    /// A vault from before migration 9 (format 1): its PIN is checked the old way, with its
    /// plaintext counter, and on success it moves to format 2 and its device key is deleted.
    fn unlock_legacy(
        &self,
        conn: &mut Connection,
        meta: &Meta,
        pin: &str,
        now: DateTime<Utc>,
    ) -> CoreResult<SecretKey> {
        let _ = now;
        type Legacy = (Option<u32>, Option<u32>, Option<String>, Option<Vec<u8>>, Option<Vec<u8>>, Option<Vec<u8>>);
        let (iterations, failed, device_key, device_wrapped, salt, wrap): Legacy = conn.query_row(
            "SELECT legacy_kdf_iterations, legacy_failed_pin_attempts, legacy_device_key_name,
                    legacy_device_secret_wrapped, legacy_pin_salt, legacy_pin_wrap FROM vault_meta WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )?;
        let (Some(salt), Some(wrap)) = (salt, wrap) else { return Err(CoreError::PinDisabled) };
        let (Some(iterations), Some(device_key), Some(device_wrapped)) = (iterations, device_key, device_wrapped)
        else {
            return Err(CoreError::Corrupt);
        };
        let raw = Zeroizing::new(
            self.key_store.unwrap(&device_key, KeyPurpose::VaultState, &device_wrapped).map_err(key_store_error)?,
        );
        let device_secret = SecretKey::from_slice(&raw)
            .map_err(|_| CoreError::KeyStore { reason: "device secret has the wrong size".into() })?;
        let failed = failed.unwrap_or(0) + 1;
        conn.execute("UPDATE vault_meta SET legacy_failed_pin_attempts = ?1 WHERE id = 1", [failed])?;
        let key = kdf::pin_wrapping_key_v1(pin, &salt, kdf::checked_iterations(iterations)?, &device_secret)?;
        match envelope::open(&key, Aad::new("vault_meta", &meta.vault_id, "pin_wrap"), &wrap) {
            Ok(raw) => {
                let vault_key = SecretKey::from_slice(&raw)?;
                let factor_key = state::fresh_key_name(&meta.vault_id, "pin")?;
                let pin_wrap =
                    make_pin_wrap(&*self.key_store, &factor_key, &meta.vault_id, pin, &vault_key, iterations)?;
                let mut st = VaultState::new(pin_wrap, 1);
                // No head was sealed before: the log (empty unless written by a newer build) is
                // anchored as it stands.
                st.audit = audit::tail(conn)?;
                let old = store::write_tx(conn, |tx| {
                    tx.execute(
                        "UPDATE vault_meta SET format = 2, pin_factor_key = ?1, legacy_kdf_iterations = NULL,
                            legacy_failed_pin_attempts = NULL, legacy_device_key_name = NULL,
                            legacy_device_secret_wrapped = NULL, legacy_pin_salt = NULL, legacy_pin_wrap = NULL
                         WHERE id = 1",
                        [&factor_key],
                    )?;
                    // The state columns are filled here for the first time.
                    state::write_rotated(tx, &*self.key_store, &meta.vault_id, &st)
                })?;
                state::delete_old(&*self.key_store, old);
                let _ = self.key_store.delete_key(&device_key);
                store::checkpoint_truncate(conn)?;
                Ok(vault_key)
            }
            Err(_) if failed >= MAX_PIN_ATTEMPTS => {
                conn.execute("UPDATE vault_meta SET legacy_pin_salt = NULL, legacy_pin_wrap = NULL WHERE id = 1", [])?;
                store::checkpoint_truncate(conn)?;
                Err(CoreError::PinDisabled)
            }
            Err(_) => Err(CoreError::WrongPin { attempts_left: MAX_PIN_ATTEMPTS - failed }),
        }
    }

    /// The keyring of a session, with the ledger checked against the state's anchor and the
    /// state rotated to "open session" (attempts reset, anchor dirty, the unlock audited).
    #[allow(clippy::too_many_arguments)]
    fn start_session_with(
        &self,
        conn: &mut Connection,
        vault_id: &str,
        vault_key: SecretKey,
        now: DateTime<Utc>,
        integrity: &mut IntegrityState,
        mut st: VaultState,
        events: &[Event],
    ) -> CoreResult<(Session, bool)> {
        let general = general_key_id(conn)?;
        let mut keys = Keyring::new(vault_key, general)?;
        // The ledger: brought up to version 2 once, then checked against the anchor of the
        // last lock. A file whose ledger says it is older than the anchor is refused.
        let (file_version, complete): (u32, bool) =
            conn.query_row("SELECT version, complete FROM seal_ledger_state WHERE id = 1", [], |r| {
                Ok((r.get(0)?, r.get::<_, i64>(1)? == 1))
            })?;
        // The anchor says the ledger was already upgraded: a file claiming otherwise was edited
        // (resetting the flags would otherwise let a deleted entry be recorded anew).
        if st.ledger.version >= LEDGER_VERSION && (file_version < LEDGER_VERSION || !complete) {
            return Err(CoreError::Tampered);
        }
        if file_version < LEDGER_VERSION || !complete {
            let unverified = store::write_tx(conn, |tx| {
                let n = keys.upgrade_from_v1(tx)?;
                tx.execute("UPDATE seal_ledger_state SET version = ?1, complete = 1 WHERE id = 1", [LEDGER_VERSION])?;
                Ok(n)
            })?;
            if unverified > 0 {
                log::warn!("{unverified} sealed values did not match the ledger when it was upgraded");
            }
        } else if let Some(expected) = st.ledger.digest.as_deref() {
            if ids::hex(&Keyring::ledger_digest(conn)?) != expected {
                log::warn!("the seal ledger differs from the one anchored at the last lock");
                *integrity = IntegrityState::RolledBack;
            }
        }
        st.ledger.version = LEDGER_VERSION;
        st.failed_attempts = 0;
        st.not_before = None;
        st.ledger.digest = None;
        st.lifecycle.last_unlock_at = Some(millis(now));
        self.rotate_state_with(conn, vault_id, &mut st, now, events)?;
        Ok((Session { keys, last_activity: now }, st.recovery_key_rotation_advised))
    }

    /// Opens the vault with the recovery key and sets a new PIN. Works when the platform key
    /// store has lost this vault's keys (a new phone, a key store reset): a new PIN-factor key
    /// and a new state key are made; the outbox key is kept if it still unwraps, otherwise
    /// dropped so the next reminder planning makes a new one (see `flows/session.rs`, which
    /// re-seals what waits in the outbox). Nothing is written when the key is wrong.
    pub(crate) fn unlock_with_recovery_keys(&self, recovery_key: &str, new_pin: &str) -> CoreResult<()> {
        pin::check_new("new_pin", new_pin)?;
        let recovery = recovery::parse(recovery_key)?;
        let mut guard = self.inner();
        let now = self.clock.now();
        let inner = &mut *guard;
        let conn = inner.conn.as_mut().ok_or(CoreError::NoVault)?;
        let meta = read_meta(conn)?;
        let recovery_wrap: Vec<u8> =
            conn.query_row("SELECT recovery_wrap FROM vault_meta WHERE id = 1", [], |r| r.get(0))?;
        let raw = envelope::open(&recovery, recovery_aad(&meta.vault_id), &recovery_wrap)
            .map_err(|_| CoreError::WrongRecoveryKey)?;
        let vault_key = SecretKey::from_slice(&raw)?;
        // What survives of the old state (the biometric wrap, the ledger anchor, the audit
        // head, the lifecycle settings), if it opens.
        let old_state = match meta.format {
            2 => state::read(conn, &*self.key_store).ok().map(|(s, _)| s),
            _ => None,
        };
        if old_state.as_ref().is_some_and(|s| lifecycle::inactivity_due(s, now)) {
            let days = old_state.as_ref().and_then(|s| s.lifecycle.inactivity_wipe_days).unwrap_or(0);
            self.wipe_for_inactivity(inner, days, now);
            return Err(CoreError::NoVault);
        }
        let old_factor_key = meta.pin_factor_key.clone();
        let factor_key = state::fresh_key_name(&meta.vault_id, "pin")?;
        let pin_wrap = make_pin_wrap(
            &*self.key_store,
            &factor_key,
            &meta.vault_id,
            new_pin,
            &vault_key,
            PIN_KDF_ITERATIONS_FOR_NEW,
        )?;
        let mut st = VaultState::new(pin_wrap, 1);
        if let Some(old) = &old_state {
            st.biometric = old.biometric.clone();
            st.biometric_survives_pin_lockout = old.biometric_survives_pin_lockout;
            st.ledger = LedgerAnchor { version: old.ledger.version, digest: old.ledger.digest.clone() };
            st.audit = old.audit.clone();
            st.lifecycle = old.lifecycle.clone();
        } else {
            // The sealed head went with the platform keys: the chain is anchored anew from
            // the file as it stands (verify still finds an edit inside it).
            st.audit = audit::tail(conn)?;
        }
        // A duress PIN belongs to the old PIN's salt; the recovery key in hand renews the
        // backup key (vaults from before backups get theirs here).
        st.lifecycle.duress = None;
        st.lifecycle.backup_key = Some(lifecycle::seal_backup_key(
            &vault_key,
            &meta.vault_id,
            &lifecycle::backup_key_from_recovery(&recovery)?,
        )?);
        st.recovery_key_rotation_advised = true;
        let outbox_lost = match self.outbox_key_raw(conn) {
            Ok(_) => false,
            Err(CoreError::PlatformKeysMissing) => true,
            Err(e) => return Err(e),
        };
        let legacy_device_key: Option<String> =
            conn.query_row("SELECT legacy_device_key_name FROM vault_meta WHERE id = 1", [], |r| r.get(0))?;
        let old = store::write_tx(conn, |tx| {
            tx.execute(
                "UPDATE vault_meta SET format = 2, pin_factor_key = ?1, legacy_kdf_iterations = NULL,
                    legacy_failed_pin_attempts = NULL, legacy_device_key_name = NULL,
                    legacy_device_secret_wrapped = NULL, legacy_pin_salt = NULL, legacy_pin_wrap = NULL
                 WHERE id = 1",
                [&factor_key],
            )?;
            if outbox_lost {
                tx.execute("UPDATE vault_meta SET outbox_key_wrapped = NULL WHERE id = 1", [])?;
            }
            state::write_rotated(tx, &*self.key_store, &meta.vault_id, &st)
        })?;
        state::delete_old(&*self.key_store, old);
        for name in old_factor_key.into_iter().chain(legacy_device_key) {
            let _ = self.key_store.delete_key(&name);
        }
        store::checkpoint_truncate(conn)?;
        let used = [Event::about(AuditKind::RecoveryKeyUsed, AuditObject::RecoveryKey)];
        let (session, advised) =
            self.start_session_with(conn, &meta.vault_id, vault_key, now, &mut inner.integrity, st, &used)?;
        inner.session = Some(session);
        inner.recovery_key_rotation_advised = advised;
        log::info!("vault unlocked with the recovery key; new PIN set");
        Ok(())
    }

    /// Unlocks with the secret the shell kept behind the platform's biometric prompt.
    pub(crate) fn unlock_with_biometric_keys(&self, secret: &[u8]) -> CoreResult<()> {
        let key = biometric_key(secret)?;
        let mut guard = self.inner();
        let now = self.clock.now();
        let inner = &mut *guard;
        let conn = inner.conn.as_mut().ok_or(CoreError::NoVault)?;
        let meta = read_meta(conn)?;
        if meta.format == 1 {
            return Err(CoreError::BiometricUnavailable);
        }
        let (st, _) = state::read(conn, &*self.key_store)?;
        if lifecycle::inactivity_due(&st, now) {
            let days = st.lifecycle.inactivity_wipe_days.unwrap_or(0);
            self.wipe_for_inactivity(inner, days, now);
            return Err(CoreError::NoVault);
        }
        let wrap = st.biometric.clone().ok_or(CoreError::BiometricUnavailable)?;
        let raw =
            envelope::open(&key, biometric_aad(&meta.vault_id), &wrap).map_err(|_| CoreError::BiometricUnavailable)?;
        let vault_key = SecretKey::from_slice(&raw)?;
        let unlocked = [Event::about(AuditKind::Unlocked, AuditObject::Biometric)];
        let (session, advised) =
            self.start_session_with(conn, &meta.vault_id, vault_key, now, &mut inner.integrity, st, &unlocked)?;
        inner.session = Some(session);
        inner.recovery_key_rotation_advised = advised;
        log::info!("vault unlocked with biometrics");
        Ok(())
    }

    /// Adds biometric unlock: returns 32 random bytes for the shell to keep behind the
    /// platform's biometric prompt (Android: a Keystore key bound to BiometricPrompt; iOS: a
    /// Keychain item with `.biometryCurrentSet`). A second enrolment replaces the first.
    pub fn enroll_biometric(&self) -> CoreResult<Zeroizing<Vec<u8>>> {
        let mut secret = Zeroizing::new(vec![0u8; BIOMETRIC_SECRET_LEN]);
        crate::crypto::random::fill(&mut secret)?;
        let key = biometric_key(&secret)?;
        self.change_state(
            &[Event::about(AuditKind::BiometricEnrolled, AuditObject::Biometric)],
            |st, vault_id, keys| {
                st.biometric = Some(
                    envelope::seal(&key, VAULT_KEY_ID, biometric_aad(vault_id), keys.vault_key().as_bytes())
                        .map_err(envelope_error)?,
                );
                Ok(())
            },
        )?;
        log::info!("biometric unlock enrolled");
        Ok(secret)
    }

    /// Removes biometric unlock (the shell deletes its secret too).
    pub fn remove_biometric(&self) -> CoreResult<()> {
        self.change_state(&[Event::about(AuditKind::BiometricRemoved, AuditObject::Biometric)], |st, _, _| {
            st.biometric = None;
            Ok(())
        })
    }

    /// Whether biometric unlock stays when wrong PINs disable the PIN (default: it stays).
    pub fn set_biometric_survives_pin_lockout(&self, survives: bool) -> CoreResult<()> {
        let event = Event::about(AuditKind::BiometricSettingChanged, AuditObject::Biometric);
        self.change_state(&[event], |st, _, _| {
            st.biometric_survives_pin_lockout = survives;
            Ok(())
        })
    }

    /// Replaces the recovery key (offered after every use of it). Returns the new one, shown once.
    pub fn rotate_recovery_key(&self) -> CoreResult<Zeroizing<String>> {
        let recovery = SecretKey::generate()?;
        let shown = Zeroizing::new(recovery::format(&recovery));
        let backup_key = lifecycle::backup_key_from_recovery(&recovery)?;
        let event = Event::about(AuditKind::RecoveryKeyReplaced, AuditObject::RecoveryKey);
        self.change_state(&[event], |st, vault_id, keys| {
            let wrap = envelope::seal(&recovery, VAULT_KEY_ID, recovery_aad(vault_id), keys.vault_key().as_bytes())
                .map_err(envelope_error)?;
            // Backups made from now on open with the new key only.
            st.lifecycle.backup_key = Some(lifecycle::seal_backup_key(keys.vault_key(), vault_id, &backup_key)?);
            st.recovery_key_rotation_advised = false;
            Ok(Some(wrap))
        })?;
        log::info!("recovery key replaced");
        Ok(shown)
    }

    /// Changes the state while unlocked, under a new state key. `f` may return a new
    /// recovery wrap to write in the same transaction.
    fn change_state<R: IntoRecoveryWrap>(
        &self,
        events: &[Event],
        f: impl FnOnce(&mut VaultState, &str, &Keyring) -> CoreResult<R>,
    ) -> CoreResult<()> {
        let mut guard = self.inner();
        let now = self.expire_if_idle(&mut guard);
        let inner = &mut *guard;
        let conn = inner.conn.as_mut().ok_or(CoreError::NoVault)?;
        let session = inner.session.as_mut().ok_or(CoreError::Locked)?;
        session.last_activity = now;
        let meta = read_meta(conn)?;
        let (mut st, _) = state::read(conn, &*self.key_store)?;
        let recovery_wrap = f(&mut st, &meta.vault_id, &session.keys)?.into_wrap();
        inner.recovery_key_rotation_advised = st.recovery_key_rotation_advised;
        let old = store::write_tx(conn, |tx| {
            if let Some(w) = &recovery_wrap {
                tx.execute("UPDATE vault_meta SET recovery_wrap = ?1 WHERE id = 1", [w])?;
            }
            for e in events {
                audit::append(tx, &mut st.audit, now, e)?;
            }
            state::write_rotated(tx, &*self.key_store, &meta.vault_id, &st)
        })?;
        state::delete_old(&*self.key_store, old);
        // Superseded wraps must not survive in a WAL frame.
        store::checkpoint_truncate(conn)
    }

    /// Re-wraps the vault key under a new PIN (same PIN-factor key). The data is not touched;
    /// biometric unlock stays. The old PIN is checked through the same counted path as unlock.
    pub fn change_pin(&self, old_pin: &str, new_pin: &str) -> CoreResult<()> {
        pin::check_entered("old_pin", old_pin)?;
        pin::check_new("new_pin", new_pin)?;
        if !self.is_unlocked() {
            return Err(CoreError::Locked);
        }
        self.unlock_keys(old_pin)?;
        let factor_key = {
            let inner = self.inner();
            let conn = inner.conn.as_ref().ok_or(CoreError::NoVault)?;
            read_meta(conn)?.pin_factor_key.ok_or(CoreError::Corrupt)?
        };
        let key_store = self.key_store.clone();
        self.change_state(&[Event::about(AuditKind::PinChanged, AuditObject::Pin)], |st, vault_id, keys| {
            let iterations = st.pin.as_ref().map_or(PIN_KDF_ITERATIONS_FOR_NEW, |p| p.iterations);
            st.pin = Some(make_pin_wrap(&*key_store, &factor_key, vault_id, new_pin, keys.vault_key(), iterations)?);
            // The duress check was derived with the old PIN's salt: it is set again if wanted.
            st.lifecycle.duress = None;
            Ok(())
        })?;
        log::info!("PIN changed");
        Ok(())
    }

    /// Locks: anchors the seal ledger with the platform key store (so rows written back while
    /// locked are caught at the next unlock), drops every key from memory and folds the
    /// write-ahead log into the file so no superseded page lingers. Never fails: if the
    /// anchor cannot be written, the keys are dropped anyway.
    pub fn lock(&self) {
        let mut guard = self.inner();
        let inner = &mut *guard;
        let had_session = inner.session.take().is_some();
        if let Some(conn) = inner.conn.as_mut() {
            if had_session {
                if let Err(e) = self.anchor_ledger(conn) {
                    log::warn!("the ledger could not be anchored at lock: {}", e.code());
                }
            }
            if store::checkpoint_truncate(conn).is_err() {
                log::warn!("the write-ahead log could not be truncated at lock");
            }
        }
        log::info!("vault locked");
    }

    fn anchor_ledger(&self, conn: &mut Connection) -> CoreResult<()> {
        let meta = read_meta(conn)?;
        if meta.format != 2 {
            return Ok(());
        }
        let (mut st, _) = state::read(conn, &*self.key_store)?;
        st.ledger.digest = Some(ids::hex(&Keyring::ledger_digest(conn)?));
        self.rotate_state(conn, &meta.vault_id, &st)
    }

    /// True while unlocked and not idle past the auto-lock limit (which this call enforces).
    pub fn is_unlocked(&self) -> bool {
        let mut inner = self.inner();
        self.expire_if_idle(&mut inner);
        inner.session.is_some()
    }

    fn expire_if_idle(&self, inner: &mut Inner) -> DateTime<Utc> {
        let now = self.clock.now();
        let auto_lock = inner.auto_lock;
        if let Some(session) = inner.session.as_ref() {
            // A clock set backwards counts as no idle time, never as negative idle time.
            if now - session.last_activity >= auto_lock {
                inner.session = None;
                log::info!("vault auto-locked after idle time");
            }
        }
        now
    }

    /// The lock state and the PIN situation. Reads the sealed state through the platform key
    /// store (no PIN needed); when the store no longer has the keys, says so.
    pub fn status(&self) -> CoreResult<VaultStatus> {
        let mut guard = self.inner();
        let now = self.expire_if_idle(&mut guard);
        let inner = &mut *guard;
        let conn = inner.conn.as_ref().ok_or(CoreError::NoVault)?;
        let meta = read_meta(conn)?;
        let auto_lock_minutes: u32 =
            conn.query_row("SELECT auto_lock_minutes FROM vault_meta WHERE id = 1", [], |r| r.get(0))?;
        let mut status = VaultStatus {
            unlocked: inner.session.is_some(),
            pin_attempts_left: 0,
            pin_disabled: false,
            pin_retry_after_seconds: 0,
            auto_lock_minutes,
            kdf_algorithm: PIN_KDF_ALGORITHM,
            kdf_iterations: 0,
            platform_keys_missing: false,
            biometric_enrolled: false,
            recovery_key_rotation_advised: false,
            integrity: inner.integrity,
        };
        if meta.format == 1 {
            let (iterations, failed, wrap): (Option<u32>, Option<u32>, Option<Vec<u8>>) = conn.query_row(
                "SELECT legacy_kdf_iterations, legacy_failed_pin_attempts, legacy_pin_wrap FROM vault_meta WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            status.kdf_algorithm = kdf::PIN_KDF_ALGORITHM_V1;
            status.kdf_iterations = iterations.unwrap_or(0);
            status.pin_disabled = wrap.is_none();
            status.pin_attempts_left =
                if status.pin_disabled { 0 } else { MAX_PIN_ATTEMPTS.saturating_sub(failed.unwrap_or(0)) };
            return Ok(status);
        }
        match state::read(conn, &*self.key_store) {
            Ok((st, _)) => {
                status.pin_disabled = st.pin.is_none();
                status.kdf_iterations = st.pin.as_ref().map_or(0, |p| p.iterations);
                status.pin_attempts_left =
                    if status.pin_disabled { 0 } else { MAX_PIN_ATTEMPTS.saturating_sub(st.failed_attempts) };
                status.pin_retry_after_seconds = retry_after(&st, now).unwrap_or(0);
                status.biometric_enrolled = st.biometric.is_some();
                status.recovery_key_rotation_advised = st.recovery_key_rotation_advised;
            }
            Err(CoreError::PlatformKeysMissing) => {
                status.platform_keys_missing = true;
                status.pin_disabled = true;
            }
            Err(e) => return Err(e),
        }
        Ok(status)
    }

    /// Scans the file (`PRAGMA quick_check`) and records the result in the status. Run it off
    /// the main thread after unlocking; it takes tens of milliseconds on a large vault.
    pub fn check_integrity(&self) -> CoreResult<IntegrityState> {
        let mut inner = self.inner();
        let conn = inner.conn.as_ref().ok_or(CoreError::NoVault)?;
        let ok = store::quick_check(conn)?;
        let state = match (ok, inner.integrity) {
            (_, IntegrityState::RolledBack) => IntegrityState::RolledBack,
            (true, _) => IntegrityState::Ok,
            (false, _) => IntegrityState::Damaged,
        };
        inner.integrity = state;
        Ok(state)
    }

    /// Runs `f` on the database whether locked or not; for the outbox only, which must send
    /// with the phone locked and touches nothing sealed under the vault key.
    pub(crate) fn with_store<T>(
        &self,
        f: impl FnOnce(&mut Connection, DateTime<Utc>) -> CoreResult<T>,
    ) -> CoreResult<T> {
        let mut inner = self.inner();
        let now = self.expire_if_idle(&mut inner);
        let conn = inner.conn.as_mut().ok_or(CoreError::NoVault)?;
        f(conn, now)
    }

    fn outbox_key_raw(&self, conn: &Connection) -> CoreResult<Option<SecretKey>> {
        let (vault_id, wrapped): (String, Option<Vec<u8>>) =
            conn.query_row("SELECT vault_id, outbox_key_wrapped FROM vault_meta WHERE id = 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        let Some(w) = wrapped else { return Ok(None) };
        let raw = Zeroizing::new(
            self.key_store
                .unwrap(&state::key_name(&vault_id, "outbox"), KeyPurpose::Outbox, &w)
                .map_err(key_store_error)?,
        );
        Ok(Some(
            SecretKey::from_slice(&raw)
                .map_err(|_| CoreError::KeyStore { reason: "outbox key has the wrong size".into() })?,
        ))
    }

    /// The outbox key, unwrapped by the platform key store without the PIN; created on first
    /// use when `create` is set. `None` when no reminder was ever planned. A key the store no
    /// longer has is [`CoreError::PlatformKeysMissing`], never tampering.
    pub(crate) fn outbox_key(&self, conn: &Connection, create: bool) -> CoreResult<Option<ring::aead::LessSafeKey>> {
        let found = self.outbox_key_raw(conn);
        self.outbox_key_missing
            .store(matches!(found, Err(CoreError::PlatformKeysMissing)), std::sync::atomic::Ordering::Relaxed);
        let key = match found? {
            Some(k) => k,
            None if create => {
                let vault_id: String =
                    conn.query_row("SELECT vault_id FROM vault_meta WHERE id = 1", [], |r| r.get(0))?;
                let key = SecretKey::generate()?;
                let w = self
                    .key_store
                    .wrap(&state::key_name(&vault_id, "outbox"), KeyPurpose::Outbox, key.as_bytes())
                    .map_err(key_store_error)?;
                conn.execute("UPDATE vault_meta SET outbox_key_wrapped = ?1 WHERE id = 1", [w])?;
                key
            }
            None => return Ok(None),
        };
        Ok(Some(envelope::aead_key(&key).map_err(envelope_error)?))
    }

    /// Runs `f` with the vault unlocked; counts as activity for auto-lock.
    pub(crate) fn with_session<T>(&self, f: impl FnOnce(&mut Ctx<'_>) -> CoreResult<T>) -> CoreResult<T> {
        let mut inner = self.inner();
        let now = self.expire_if_idle(&mut inner);
        let Inner { conn, session, .. } = &mut *inner;
        let conn = conn.as_mut().ok_or(CoreError::NoVault)?;
        let session = session.as_mut().ok_or(CoreError::Locked)?;
        session.last_activity = now;
        f(&mut Ctx { conn, keys: &mut session.keys, now })
    }

    pub fn set_auto_lock_minutes(&self, minutes: u32) -> CoreResult<()> {
        if minutes == 0 || minutes > MAX_AUTO_LOCK_MINUTES {
            return Err(CoreError::invalid("auto_lock_minutes", "must be between 1 and 240"));
        }
        self.with_session(|ctx| {
            ctx.conn.execute("UPDATE vault_meta SET auto_lock_minutes = ?1 WHERE id = 1", [minutes])?;
            Ok(())
        })?;
        self.inner().auto_lock = Duration::minutes(minutes as i64);
        Ok(())
    }

    /// Destroys the vault: key material first, then the files, then the platform keys.
    /// Works while locked (a lost-phone wipe must not need the PIN). The object is
    /// unusable afterwards.
    pub fn wipe(&self) -> CoreResult<()> {
        let mut inner = self.inner();
        self.wipe_inner(&mut inner)
    }

    /// The wipe, with the lock held (a duress PIN wipes from inside an unlock attempt).
    /// Leaves nothing: a notice of an earlier inactivity wipe and the temporary files of a
    /// backup or restore go too.
    fn wipe_inner(&self, inner: &mut Inner) -> CoreResult<()> {
        inner.session = None;
        let mut first_error = None;
        let mut platform_keys = Vec::new();
        if let Some(conn) = inner.conn.take() {
            if let Ok(names) = conn.query_row(
                "SELECT vault_id, pin_factor_key, state_key, previous_state_key, legacy_device_key_name
                 FROM vault_meta WHERE id = 1",
                [],
                |r| {
                    Ok([
                        Some(state::key_name(&r.get::<_, String>(0)?, "outbox")),
                        r.get::<_, Option<String>>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, Option<String>>(4)?,
                    ])
                },
            ) {
                platform_keys.extend(names.into_iter().flatten().filter(|n| !n.is_empty()));
            }
            let scrubbed = conn
                .execute_batch("PRAGMA foreign_keys=OFF; DELETE FROM data_keys; DELETE FROM vault_meta;")
                .map_err(CoreError::from)
                .and_then(|_| store::checkpoint_truncate(&conn));
            if let Err(e) = scrubbed {
                first_error.get_or_insert(e);
            }
            drop(conn);
        }
        let lifecycle_files = lifecycle::TEMP_FILES.into_iter().chain([lifecycle::WIPE_NOTICE_FILE]);
        for name in std::iter::once(store::DB_FILE).chain(store::SIDE_FILES).chain(lifecycle_files) {
            let path = self.dir.join(name);
            if path.exists() && std::fs::remove_file(&path).is_err() {
                first_error.get_or_insert(CoreError::Storage { reason: "cannot remove a vault file".into() });
            }
        }
        for name in platform_keys {
            if let Err(e) = self.key_store.delete_key(&name) {
                first_error.get_or_insert(key_store_error(e));
            }
        }
        log::warn!("vault wiped");
        first_error.map_or(Ok(()), Err)
    }
}

/// The cost a newly set PIN gets (the production cost outside tests; tests keep their vault's).
const PIN_KDF_ITERATIONS_FOR_NEW: u32 =
    if cfg!(any(test, feature = "insecure-test-kdf")) { 1_000 } else { PIN_KDF_ITERATIONS };

/// Seconds until the next PIN attempt, if a delay is in force. A clock set backwards never
/// makes the wait longer than the delay itself.
fn retry_after(st: &VaultState, now: DateTime<Utc>) -> Option<u32> {
    let not_before = st.not_before?;
    let cap = pin::delay_after(st.failed_attempts).num_milliseconds();
    let wait_ms = (not_before - millis(now)).min(cap);
    if wait_ms <= 0 {
        return None;
    }
    Some(((wait_ms + 999) / 1000) as u32)
}

trait IntoRecoveryWrap {
    fn into_wrap(self) -> Option<Vec<u8>>;
}
impl IntoRecoveryWrap for () {
    fn into_wrap(self) -> Option<Vec<u8>> {
        None
    }
}
impl IntoRecoveryWrap for Option<Vec<u8>> {
    fn into_wrap(self) -> Option<Vec<u8>> {
        self
    }
}

fn general_key_id(conn: &Connection) -> CoreResult<u64> {
    let id: Option<i64> = conn
        .query_row("SELECT id FROM data_keys WHERE purpose = 'general' ORDER BY id LIMIT 1", [], |r| r.get(0))
        .optional()?;
    id.map(|i| i as u64).ok_or(CoreError::Corrupt)
}

/// Removes the database and its side files (only used on a failed create).
fn remove_vault_files(dir: &Path) {
    for name in std::iter::once(store::DB_FILE).chain(store::SIDE_FILES) {
        let _ = std::fs::remove_file(dir.join(name));
    }
}
