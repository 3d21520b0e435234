//! Helpers for tests, benchmarks and harnesses (feature `insecure-test-kdf`).
//! Never compiled into the FFI library or the CLI.

use crate::crypto::envelope::{self, Aad};
use crate::crypto::SecretKey;
use crate::vault::{KeyPurpose, KeyStore, KeyStoreFailure, KeyStoreFailureKind};
use ring::hmac;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

/// A key store holding its platform keys in memory, like a hardware key store would (keys
/// never leave it). `forget_all` simulates moving the files to another device; `refuse`
/// makes the next calls of one operation fail, to test what the core does then.
#[derive(Default)]
pub struct MemoryKeyStore {
    keys: Mutex<HashMap<String, SecretKey>>,
    pin_factor_calls: AtomicU32,
    refused: Mutex<Option<(&'static str, u32)>>,
}

impl MemoryKeyStore {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn forget_all(&self) {
        self.keys.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    pub fn key_count(&self) -> usize {
        self.keys.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn key_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.keys.lock().unwrap_or_else(|e| e.into_inner()).keys().cloned().collect();
        names.sort();
        names
    }

    /// How many times the PIN factor was computed (once per PIN guess).
    pub fn pin_factor_calls(&self) -> u32 {
        self.pin_factor_calls.load(Ordering::SeqCst)
    }

    /// The next `times` calls of `operation` (`pin_factor`, `wrap`, `unwrap`, `delete_key`) fail.
    pub fn refuse(&self, operation: &'static str, times: u32) {
        *self.refused.lock().unwrap_or_else(|e| e.into_inner()) = Some((operation, times));
    }

    fn check(&self, operation: &'static str) -> Result<(), KeyStoreFailure> {
        let mut refused = self.refused.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((op, n)) = refused.as_mut() {
            if *op == operation && *n > 0 {
                *n -= 1;
                return Err(failure(KeyStoreFailureKind::Unavailable, "refused by the test"));
            }
        }
        Ok(())
    }
}

fn failure(kind: KeyStoreFailureKind, reason: &str) -> KeyStoreFailure {
    KeyStoreFailure::new(kind, reason)
}

impl KeyStore for MemoryKeyStore {
    fn pin_factor(&self, key_name: &str, input: &[u8], create: bool) -> Result<Vec<u8>, KeyStoreFailure> {
        self.check("pin_factor")?;
        self.pin_factor_calls.fetch_add(1, Ordering::SeqCst);
        let mut keys = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        if !keys.contains_key(key_name) {
            if !create {
                return Err(KeyStoreFailure::missing());
            }
            let key = SecretKey::generate().map_err(|_| failure(KeyStoreFailureKind::Failed, "rng"))?;
            keys.insert(key_name.to_string(), key);
        }
        let key = &keys[key_name];
        Ok(hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key.as_bytes()), input).as_ref().to_vec())
    }

    fn wrap(&self, key_name: &str, purpose: KeyPurpose, secret: &[u8]) -> Result<Vec<u8>, KeyStoreFailure> {
        self.check("wrap")?;
        let mut keys = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        if !keys.contains_key(key_name) {
            let key = SecretKey::generate().map_err(|_| failure(KeyStoreFailureKind::Failed, "rng"))?;
            keys.insert(key_name.to_string(), key);
        }
        let key = &keys[key_name];
        envelope::seal(key, 0, Aad::new("keystore", key_name, purpose.as_str()), secret)
            .map_err(|_| failure(KeyStoreFailureKind::Failed, "seal"))
    }

    fn unwrap(&self, key_name: &str, purpose: KeyPurpose, wrapped: &[u8]) -> Result<Vec<u8>, KeyStoreFailure> {
        self.check("unwrap")?;
        let keys = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        let key = keys.get(key_name).ok_or_else(KeyStoreFailure::missing)?;
        envelope::open(key, Aad::new("keystore", key_name, purpose.as_str()), wrapped)
            .map(|z| z.to_vec())
            .map_err(|_| failure(KeyStoreFailureKind::Failed, "unwrap failed"))
    }

    fn delete_key(&self, key_name: &str) -> Result<(), KeyStoreFailure> {
        self.check("delete_key")?;
        self.keys.lock().unwrap_or_else(|e| e.into_inner()).remove(key_name);
        Ok(())
    }
}

/// Exported from any library built with `insecure-test-kdf`, so that a check of the
/// shipped library (`scripts/check-shipped-library.sh`, `nm -D`) can prove it carries no
/// test-only code: Rust functions such as `Vault::create_with_test_kdf` leave no symbol
/// once the linker drops them as unused, while an exported C symbol always stays.
#[cfg(feature = "insecure-test-kdf")]
#[no_mangle]
pub extern "C" fn brobygger_insecure_test_kdf_marker() {}

/// Turns an unlocked vault of this version back into what a vault from before migration 9
/// looked like after migrating (format 1): the PIN wrapped the old way under a device secret
/// from the key store, a plaintext wrong-PIN counter, data keys sealed directly by the vault
/// key, ledger entries without bound values, and the kind of appointments, private venues'
/// addresses, absence reasons and the worker's rules and templates in clear. For the tests
/// of the upgrade at the next unlock. The vault is locked afterwards.
pub fn downgrade_to_format_1(vault: &crate::Vault, pin: &str, iterations: u32) -> crate::CoreResult<()> {
    use crate::crypto::kdf;
    use crate::error::CoreError;
    use crate::vault::keyring::SEALED_COLUMNS;
    use ring::aead::LessSafeKey;
    use rusqlite::params;
    let key_store = vault.key_store_for_tests();
    vault.with_session(|ctx| {
        let vault_id: String = ctx.conn.query_row("SELECT vault_id FROM vault_meta", [], |r| r.get(0))?;
        let vk = ctx.keys.vault_key().clone();
        // PIN wrap, version 1.
        let device = SecretKey::generate()?;
        let device_name = format!("brobygger.vault.{vault_id}.device");
        let device_wrapped = key_store
            .wrap(&device_name, KeyPurpose::VaultState, device.as_bytes())
            .map_err(|_| CoreError::Internal { reason: "test key store" })?;
        let salt = [3u8; 16];
        let cost = kdf::checked_iterations(iterations)?;
        let pin_key = kdf::pin_wrapping_key_v1(pin, &salt, cost, &device)?;
        let wrap = envelope::seal(&pin_key, 0, Aad::new("vault_meta", &vault_id, "pin_wrap"), vk.as_bytes())
            .map_err(|_| CoreError::Internal { reason: "seal" })?;
        // Data keys sealed directly by the vault key.
        let legacy: LessSafeKey = envelope::aead_key(&vk).map_err(|_| CoreError::Internal { reason: "key" })?;
        let ids: Vec<i64> = {
            let mut stmt = ctx.conn.prepare("SELECT id FROM data_keys")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        let mut rewrapped = Vec::new();
        for id in ids {
            let key = ctx.keys.data_key_bytes_for_tests(ctx.conn, id as u64)?;
            let w = envelope::seal_with(&legacy, 0, Aad::new("data_keys", &id.to_string(), "wrapped"), key.as_bytes())
                .map_err(|_| CoreError::Internal { reason: "seal" })?;
            rewrapped.push((id, w));
        }
        // Plaintext columns as they were.
        let kinds: Vec<(String, crate::AppointmentKind)> = {
            let mut stmt = ctx.conn.prepare("SELECT id FROM appointments")?;
            let ids: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
            let mut out = Vec::new();
            for id in ids {
                let a = crate::appointments::load(ctx.conn, ctx.keys, &id)?;
                out.push((id, a.kind));
            }
            out
        };
        let venues: Vec<(String, Option<String>)> = {
            let mut stmt = ctx.conn.prepare("SELECT id FROM venues WHERE sealed IS NOT NULL")?;
            let ids: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
            let mut out = Vec::new();
            for id in ids {
                out.push((id.clone(), crate::venues::load_venue(ctx.conn, ctx.keys, &id)?.address));
            }
            out
        };
        let absences = crate::venues::absences_of(ctx.conn, ctx.keys)?;
        let rules = crate::worker::load_rules(ctx.conn, ctx.keys)?;
        let tx = ctx.conn.transaction()?;
        tx.execute(
            "UPDATE vault_meta SET format = 1, legacy_kdf_iterations = ?1, legacy_failed_pin_attempts = 0,
                legacy_device_key_name = ?2, legacy_device_secret_wrapped = ?3, legacy_pin_salt = ?4, legacy_pin_wrap = ?5",
            params![iterations, device_name, device_wrapped, salt.to_vec(), wrap],
        )?;
        for (id, w) in rewrapped {
            tx.execute("UPDATE data_keys SET wrapped = ?2 WHERE id = ?1", params![id, w])?;
        }
        for (id, kind) in kinds {
            tx.execute("UPDATE appointments SET kind = ?2, sealed = NULL WHERE id = ?1", params![id, kind.as_str()])?;
        }
        for (id, address) in venues {
            tx.execute("UPDATE venues SET address = ?2, sealed = NULL WHERE id = ?1", params![id, address])?;
        }
        for a in absences {
            tx.execute("UPDATE absences SET reason = ?2, sealed = NULL WHERE id = ?1", params![a.id, a.reason.as_str()])?;
        }
        let rules_json = serde_json::to_string(&rules).map_err(|_| CoreError::Internal { reason: "json" })?;
        tx.execute("UPDATE worker_settings SET rules = ?1, templates = NULL WHERE id = 1", [rules_json])?;
        // Ledger entries as migration 8 wrote them.
        let mut entries = Vec::new();
        for c in SEALED_COLUMNS {
            let id_sql = if c.id == "id" { "id" } else { "CAST(id AS TEXT)" };
            let mut stmt = tx.prepare(&format!("SELECT {id_sql}, {} FROM {} WHERE typeof({}) = 'blob'", c.column, c.table, c.column))?;
            let rows: Vec<(String, Vec<u8>)> = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
            for (row, sealed) in rows {
                let mac = ctx.keys.ledger_mac_v1_for_tests(&Aad::new(c.table, &row, c.column), &sealed)?;
                entries.push((c.table, row, c.column, mac));
            }
        }
        tx.execute("DELETE FROM seal_ledger", [])?;
        for (t, row, col, mac) in entries {
            tx.execute("INSERT INTO seal_ledger (tbl, row_id, col, mac) VALUES (?1, ?2, ?3, ?4)", params![t, row, col, mac])?;
        }
        tx.execute("UPDATE seal_ledger_state SET version = 1, complete = 1", [])?;
        tx.execute("UPDATE vault_upgrades SET version = 0", [])?;
        tx.commit()?;
        Ok(())
    })?;
    vault.lock();
    Ok(())
}
