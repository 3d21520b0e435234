//! The vault: one encrypted store per worker, its keys and its lock state.
//!
//! Key hierarchy (SPEC §4): a random vault key, stored only sealed
//! (1) under a key from the PIN, stretched by PBKDF2 and bound by HKDF to a device
//!     secret that only the platform `KeyStore` can unwrap, and
//! (2) under the recovery key shown once at set-up.
//! Every call checks the lock state and the idle time, measured on the injected clock.

pub mod keyring;
pub mod keystore;
pub mod recovery;

use crate::clock::Clock;
use crate::crypto::envelope::{self, Aad};
use crate::crypto::kdf::{self, PIN_KDF_ALGORITHM, PIN_KDF_ITERATIONS, SALT_LEN};
use crate::crypto::{random, SecretKey};
use crate::error::{CoreError, CoreResult};
use crate::ids;
use crate::store;
use chrono::{DateTime, Duration, Utc};
use keyring::{envelope_error, Keyring, VAULT_KEY_ID};
pub use keystore::{KeyStore, KeyStoreFailure};
use rusqlite::{params, Connection, OptionalExtension};
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

/// Wrong PINs in a row before the PIN wrap is destroyed.
pub const MAX_PIN_ATTEMPTS: u32 = 10;
pub const DEFAULT_AUTO_LOCK_MINUTES: u32 = 5;
pub const MAX_AUTO_LOCK_MINUTES: u32 = 240;
pub const PIN_MIN_LEN: usize = 6;
pub const PIN_MAX_LEN: usize = 64;

/// A vault as the platform holds it: open on disk, locked or unlocked.
pub struct Vault {
    dir: PathBuf,
    key_store: Arc<dyn KeyStore>,
    clock: Arc<dyn Clock>,
    inner: Mutex<Inner>,
}

struct Inner {
    /// `None` once the vault has been wiped.
    conn: Option<Connection>,
    session: Option<Session>,
    auto_lock: Duration,
}

struct Session {
    keys: Keyring,
    last_activity: DateTime<Utc>,
}

/// What `create` hands back: the vault (unlocked) and the recovery key, shown once.
pub struct Created {
    pub vault: Vault,
    pub recovery_key: String,
}

/// Lock state and PIN situation, readable while locked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultStatus {
    pub unlocked: bool,
    pub pin_attempts_left: u32,
    pub pin_disabled: bool,
    pub auto_lock_minutes: u32,
    pub kdf_iterations: u32,
}

/// Work done with the vault unlocked: the connection, the keys and the time of the call.
pub(crate) struct Ctx<'a> {
    pub conn: &'a mut Connection,
    pub keys: &'a mut Keyring,
    pub now: DateTime<Utc>,
}

struct Meta {
    vault_id: String,
    kdf_iterations: u32,
    failed: u32,
    device_key_name: String,
    device_secret_wrapped: Vec<u8>,
    pin_salt: Option<Vec<u8>>,
    pin_wrap: Option<Vec<u8>>,
    recovery_wrap: Vec<u8>,
    auto_lock_minutes: u32,
}

fn check_pin(field: &'static str, pin: &str) -> CoreResult<()> {
    let len = pin.chars().count();
    if len < PIN_MIN_LEN {
        return Err(CoreError::invalid(field, "too short (at least 6 characters)"));
    }
    if len > PIN_MAX_LEN {
        return Err(CoreError::invalid(field, "too long (at most 64 characters)"));
    }
    if pin.chars().any(char::is_control) {
        return Err(CoreError::invalid(field, "contains control characters"));
    }
    Ok(())
}

fn key_store_error(f: KeyStoreFailure) -> CoreError {
    CoreError::KeyStore { reason: f.reason }
}

fn pin_aad(vault_id: &str) -> Aad<'_> {
    Aad::new("vault_meta", vault_id, "pin_wrap")
}

fn recovery_aad(vault_id: &str) -> Aad<'_> {
    Aad::new("vault_meta", vault_id, "recovery_wrap")
}

fn iterations(n: u32) -> CoreResult<NonZeroU32> {
    NonZeroU32::new(n).ok_or(CoreError::Corrupt)
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
        check_pin("pin", pin)?;
        let cost = iterations(kdf_iterations)?;
        if store::db_path(dir).exists() {
            return Err(CoreError::VaultExists);
        }
        // The folder first: a file-backed key store keeps its key beside the vault.
        store::ensure_dir(dir)?;
        let now = clock.now();
        let vault_id = ids::new_id()?;
        let device_key_name = format!("brobygger.vault.{vault_id}.device");
        let vault_key = SecretKey::generate()?;
        let device_secret = SecretKey::generate()?;
        let recovery_key = SecretKey::generate()?;
        let mut salt = [0u8; SALT_LEN];
        random::fill(&mut salt)?;

        // Ask the platform first: if it refuses, nothing has been written.
        let device_secret_wrapped =
            key_store.wrap(&device_key_name, device_secret.as_bytes()).map_err(key_store_error)?;
        let pin_key = kdf::pin_wrapping_key(pin, &salt, cost, &device_secret)?;
        let pin_wrap =
            envelope::seal(&pin_key, VAULT_KEY_ID, pin_aad(&vault_id), vault_key.as_bytes()).map_err(envelope_error)?;
        let recovery_wrap = envelope::seal(&recovery_key, VAULT_KEY_ID, recovery_aad(&vault_id), vault_key.as_bytes())
            .map_err(envelope_error)?;

        let written = (|| {
            let mut conn = store::create(dir)?;
            let mut keys = Keyring::new(vault_key.clone(), 0);
            let general = store::write_tx(&mut conn, |tx| {
                tx.execute(
                    "INSERT INTO vault_meta (id, vault_id, created_at, kdf_algorithm, kdf_iterations, auto_lock_minutes,
                        failed_pin_attempts, device_key_name, device_secret_wrapped, pin_salt, pin_wrap, recovery_wrap)
                     VALUES (1, ?1, ?2, ?3, ?4, ?5, 0, ?6, ?7, ?8, ?9, ?10)",
                    params![
                        vault_id,
                        now.timestamp_millis(),
                        PIN_KDF_ALGORITHM,
                        kdf_iterations,
                        DEFAULT_AUTO_LOCK_MINUTES,
                        device_key_name,
                        device_secret_wrapped,
                        salt.to_vec(),
                        pin_wrap,
                        recovery_wrap
                    ],
                )?;
                keys.create_data_key(tx, "general")
            })?;
            keys.complete_ledger(&mut conn)?;
            Ok::<_, CoreError>((conn, general))
        })();
        let (conn, general) = match written {
            Ok(v) => v,
            Err(e) => {
                if e != CoreError::VaultExists {
                    // Only files this call created are removed; the platform key goes too.
                    remove_vault_files(dir);
                }
                let _ = key_store.delete_key(&device_key_name);
                return Err(e);
            }
        };
        log::info!("vault created");
        let vault = Vault {
            dir: dir.to_path_buf(),
            key_store,
            clock,
            inner: Mutex::new(Inner {
                conn: Some(conn),
                session: Some(Session { keys: Keyring::new(vault_key, general), last_activity: now }),
                auto_lock: Duration::minutes(DEFAULT_AUTO_LOCK_MINUTES as i64),
            }),
        };
        Ok(Created { vault, recovery_key: recovery::format(&recovery_key) })
    }

    /// Opens the vault in `dir`, locked. A damaged file is reported, never replaced.
    pub fn open(dir: &Path, key_store: Arc<dyn KeyStore>, clock: Arc<dyn Clock>) -> CoreResult<Vault> {
        let conn = store::open(dir)?;
        let meta = read_meta(&conn)?;
        // Claims left open by a process that is gone: their outcome is unknown.
        let orphaned = crate::reminders::outbox::recover_after_restart(&conn, clock.now())?;
        if orphaned > 0 {
            log::warn!("{orphaned} reminder claims had no outcome; marked unknown for the worker");
        }
        Ok(Vault {
            dir: dir.to_path_buf(),
            key_store,
            clock,
            inner: Mutex::new(Inner {
                conn: Some(conn),
                session: None,
                auto_lock: Duration::minutes(meta.auto_lock_minutes as i64),
            }),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn inner(&self) -> MutexGuard<'_, Inner> {
        // A panic elsewhere must not make the vault unusable; the state itself stays consistent
        // because every change is a single SQLite transaction.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn device_secret(&self, meta: &Meta) -> CoreResult<SecretKey> {
        let raw = zeroize::Zeroizing::new(
            self.key_store.unwrap(&meta.device_key_name, &meta.device_secret_wrapped).map_err(key_store_error)?,
        );
        SecretKey::from_slice(&raw)
            .map_err(|_| CoreError::KeyStore { reason: "device secret has the wrong size".into() })
    }

    /// Unlocks with the PIN. Each wrong PIN is counted durably before it is tried, so killing
    /// the app mid-attempt gains nothing; the tenth wrong PIN in a row destroys the PIN wrap.
    pub fn unlock(&self, pin: &str) -> CoreResult<()> {
        check_pin("pin", pin)?;
        let mut inner = self.inner();
        let now = self.clock.now();
        let conn = inner.conn.as_mut().ok_or(CoreError::NoVault)?;
        let meta = read_meta(conn)?;
        let (Some(salt), Some(wrap)) = (meta.pin_salt.as_ref(), meta.pin_wrap.as_ref()) else {
            return Err(CoreError::PinDisabled);
        };
        let device_secret = self.device_secret(&meta)?;
        let failed = meta.failed + 1;
        conn.execute("UPDATE vault_meta SET failed_pin_attempts = ?1 WHERE id = 1", [failed])?;
        let pin_key = kdf::pin_wrapping_key(pin, salt, iterations(meta.kdf_iterations)?, &device_secret)?;
        match envelope::open(&pin_key, pin_aad(&meta.vault_id), wrap) {
            Ok(raw) => {
                let vault_key = SecretKey::from_slice(&raw)?;
                conn.execute("UPDATE vault_meta SET failed_pin_attempts = 0 WHERE id = 1", [])?;
                inner.session = Some(Session { keys: session_keys(conn, vault_key)?, last_activity: now });
                log::info!("vault unlocked with PIN");
                Ok(())
            }
            Err(_) if failed >= MAX_PIN_ATTEMPTS => {
                destroy_pin_wrap(conn)?;
                log::warn!("PIN wrap destroyed after {MAX_PIN_ATTEMPTS} wrong PINs");
                Err(CoreError::PinDisabled)
            }
            Err(_) => {
                log::info!("wrong PIN");
                Err(CoreError::WrongPin { attempts_left: MAX_PIN_ATTEMPTS - failed })
            }
        }
    }

    /// Opens the vault with the recovery key and sets a new PIN (re-enabling PIN unlock).
    pub fn unlock_with_recovery_key(&self, recovery_key: &str, new_pin: &str) -> CoreResult<()> {
        check_pin("new_pin", new_pin)?;
        let recovery = recovery::parse(recovery_key)?;
        let mut inner = self.inner();
        let now = self.clock.now();
        let conn = inner.conn.as_mut().ok_or(CoreError::NoVault)?;
        let meta = read_meta(conn)?;
        let raw = envelope::open(&recovery, recovery_aad(&meta.vault_id), &meta.recovery_wrap)
            .map_err(|_| CoreError::WrongRecoveryKey)?;
        let vault_key = SecretKey::from_slice(&raw)?;
        let device_secret = self.device_secret(&meta)?;
        write_pin_wrap(conn, &meta, new_pin, &vault_key, &device_secret)?;
        inner.session = Some(Session { keys: session_keys(conn, vault_key)?, last_activity: now });
        log::info!("vault unlocked with recovery key; new PIN set");
        Ok(())
    }

    /// Drops every key from memory.
    pub fn lock(&self) {
        self.inner().session = None;
        log::info!("vault locked");
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

    pub fn status(&self) -> CoreResult<VaultStatus> {
        let mut inner = self.inner();
        self.expire_if_idle(&mut inner);
        let conn = inner.conn.as_ref().ok_or(CoreError::NoVault)?;
        let meta = read_meta(conn)?;
        let pin_disabled = meta.pin_wrap.is_none();
        Ok(VaultStatus {
            unlocked: inner.session.is_some(),
            pin_attempts_left: if pin_disabled { 0 } else { MAX_PIN_ATTEMPTS.saturating_sub(meta.failed) },
            pin_disabled,
            auto_lock_minutes: meta.auto_lock_minutes,
            kdf_iterations: meta.kdf_iterations,
        })
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

    /// The outbox key, unwrapped by the platform key store; created on first use when
    /// `create` is set. `None` when no reminder was ever planned.
    pub(crate) fn outbox_key(&self, conn: &Connection, create: bool) -> CoreResult<Option<ring::aead::LessSafeKey>> {
        let (vault_id, wrapped): (String, Option<Vec<u8>>) =
            conn.query_row("SELECT vault_id, outbox_key_wrapped FROM vault_meta WHERE id = 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        let name = outbox_key_name(&vault_id);
        let key = match wrapped {
            Some(w) => {
                let raw = zeroize::Zeroizing::new(self.key_store.unwrap(&name, &w).map_err(key_store_error)?);
                SecretKey::from_slice(&raw)
                    .map_err(|_| CoreError::KeyStore { reason: "outbox key has the wrong size".into() })?
            }
            None if create => {
                let key = SecretKey::generate()?;
                let w = self.key_store.wrap(&name, key.as_bytes()).map_err(key_store_error)?;
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

    /// Re-wraps the vault key under a new PIN. The data is not touched.
    pub fn change_pin(&self, old_pin: &str, new_pin: &str) -> CoreResult<()> {
        check_pin("old_pin", old_pin)?;
        check_pin("new_pin", new_pin)?;
        if !self.is_unlocked() {
            return Err(CoreError::Locked);
        }
        // Verifying the old PIN goes through the same counted path as unlocking.
        self.unlock(old_pin)?;
        let mut inner = self.inner();
        let Inner { conn, session, .. } = &mut *inner;
        let conn = conn.as_mut().ok_or(CoreError::NoVault)?;
        let session = session.as_mut().ok_or(CoreError::Locked)?;
        let meta = read_meta(conn)?;
        let device_secret = self.device_secret(&meta)?;
        write_pin_wrap(conn, &meta, new_pin, session.keys.vault_key(), &device_secret)?;
        // The old wrap must not survive in a WAL frame.
        store::checkpoint_truncate(conn)?;
        log::info!("PIN changed");
        Ok(())
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

    /// Destroys the vault: key material first, then the files, then the platform key.
    /// Works while locked (a lost-phone wipe must not need the PIN). The object is
    /// unusable afterwards.
    pub fn wipe(&self) -> CoreResult<()> {
        let mut inner = self.inner();
        inner.session = None;
        let mut first_error = None;
        let mut key_name = None;
        if let Some(conn) = inner.conn.take() {
            key_name = read_meta(&conn).ok().map(|m| (m.device_key_name, outbox_key_name(&m.vault_id)));
            let scrubbed = conn
                .execute_batch("PRAGMA foreign_keys=OFF; DELETE FROM data_keys; DELETE FROM vault_meta;")
                .map_err(CoreError::from)
                .and_then(|_| store::checkpoint_truncate(&conn));
            if let Err(e) = scrubbed {
                first_error.get_or_insert(e);
            }
            drop(conn);
        }
        for name in std::iter::once(store::DB_FILE).chain(store::SIDE_FILES) {
            let path = self.dir.join(name);
            if path.exists() {
                if let Err(_e) = std::fs::remove_file(&path) {
                    first_error.get_or_insert(CoreError::Storage { reason: "cannot remove a vault file".into() });
                }
            }
        }
        if let Some((device, outbox)) = key_name {
            for name in [device, outbox] {
                if let Err(e) = self.key_store.delete_key(&name) {
                    first_error.get_or_insert(key_store_error(e));
                }
            }
        }
        log::warn!("vault wiped");
        first_error.map_or(Ok(()), Err)
    }
}

fn outbox_key_name(vault_id: &str) -> String {
    format!("brobygger.vault.{vault_id}.outbox")
}

fn read_meta(conn: &Connection) -> CoreResult<Meta> {
    conn.query_row(
        "SELECT vault_id, kdf_iterations, failed_pin_attempts, device_key_name, device_secret_wrapped,
                pin_salt, pin_wrap, recovery_wrap, auto_lock_minutes
         FROM vault_meta WHERE id = 1",
        [],
        |r| {
            Ok(Meta {
                vault_id: r.get(0)?,
                kdf_iterations: r.get(1)?,
                failed: r.get(2)?,
                device_key_name: r.get(3)?,
                device_secret_wrapped: r.get(4)?,
                pin_salt: r.get(5)?,
                pin_wrap: r.get(6)?,
                recovery_wrap: r.get(7)?,
                auto_lock_minutes: r.get(8)?,
            })
        },
    )
    .optional()?
    .ok_or(CoreError::Corrupt)
}

/// The keyring of a session opened on an existing vault, with the seal ledger brought up to date.
fn session_keys(conn: &mut Connection, vault_key: SecretKey) -> CoreResult<Keyring> {
    let general = general_key_id(conn)?;
    let mut keys = Keyring::new(vault_key, general);
    keys.complete_ledger(conn)?;
    Ok(keys)
}

fn general_key_id(conn: &Connection) -> CoreResult<u64> {
    let id: Option<i64> = conn
        .query_row("SELECT id FROM data_keys WHERE purpose = 'general' ORDER BY id LIMIT 1", [], |r| r.get(0))
        .optional()?;
    id.map(|i| i as u64).ok_or(CoreError::Corrupt)
}

fn write_pin_wrap(
    conn: &Connection,
    meta: &Meta,
    pin: &str,
    vault_key: &SecretKey,
    device_secret: &SecretKey,
) -> CoreResult<()> {
    let mut salt = [0u8; SALT_LEN];
    random::fill(&mut salt)?;
    let pin_key = kdf::pin_wrapping_key(pin, &salt, iterations(meta.kdf_iterations)?, device_secret)?;
    let wrap = envelope::seal(&pin_key, VAULT_KEY_ID, pin_aad(&meta.vault_id), vault_key.as_bytes())
        .map_err(envelope_error)?;
    conn.execute(
        "UPDATE vault_meta SET pin_salt = ?1, pin_wrap = ?2, failed_pin_attempts = 0 WHERE id = 1",
        params![salt.to_vec(), wrap],
    )?;
    Ok(())
}

fn destroy_pin_wrap(conn: &Connection) -> CoreResult<()> {
    conn.execute("UPDATE vault_meta SET pin_salt = NULL, pin_wrap = NULL WHERE id = 1", [])?;
    store::checkpoint_truncate(conn)
}

/// Removes the database and its side files (only used on a failed create and by tests).
fn remove_vault_files(dir: &Path) {
    for name in std::iter::once(store::DB_FILE).chain(store::SIDE_FILES) {
        let _ = std::fs::remove_file(dir.join(name));
    }
}
