//! Helpers for tests, benchmarks and harnesses (feature `insecure-test-kdf`).
//! Never compiled into the FFI library or the CLI.

use crate::crypto::envelope::{self, Aad};
use crate::crypto::SecretKey;
use crate::vault::{KeyStore, KeyStoreFailure};
use std::collections::HashMap;
use std::sync::Mutex;

/// A key store holding its platform keys in memory, like a hardware key store would
/// (keys never leave it). `forget_all` simulates moving the files to another device.
#[derive(Default)]
pub struct MemoryKeyStore {
    keys: Mutex<HashMap<String, SecretKey>>,
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
}

fn failure(reason: &str) -> KeyStoreFailure {
    KeyStoreFailure { reason: reason.into() }
}

impl KeyStore for MemoryKeyStore {
    fn wrap(&self, key_name: &str, secret: &[u8]) -> Result<Vec<u8>, KeyStoreFailure> {
        let mut keys = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        if !keys.contains_key(key_name) {
            keys.insert(key_name.to_string(), SecretKey::generate().map_err(|_| failure("rng"))?);
        }
        let key = &keys[key_name];
        envelope::seal(key, 0, Aad::new("keystore", key_name, "secret"), secret).map_err(|_| failure("seal"))
    }

    fn unwrap(&self, key_name: &str, wrapped: &[u8]) -> Result<Vec<u8>, KeyStoreFailure> {
        let keys = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        let key = keys.get(key_name).ok_or_else(|| failure("no such platform key"))?;
        envelope::open(key, Aad::new("keystore", key_name, "secret"), wrapped)
            .map(|z| z.to_vec())
            .map_err(|_| failure("unwrap failed"))
    }

    fn delete_key(&self, key_name: &str) -> Result<(), KeyStoreFailure> {
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
