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
