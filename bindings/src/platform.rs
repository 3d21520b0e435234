//! The two things only the platform can do for the vault, as foreign traits:
//! wrap secrets with a hardware key (`KeyStore`) and tell the time (`Clock`).

use std::sync::Arc;
use std::time::SystemTime;

/// Why the platform key store failed. Android: KeyStoreException / UserNotAuthenticated;
/// iOS: errSecItemNotFound, errSecUserCanceled, ...
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum KeyStoreError {
    #[error("the platform key store is unavailable: {reason}")]
    Unavailable { reason: String },
    #[error("the platform key does not exist")]
    KeyMissing,
    #[error("the user did not authenticate")]
    UserAuthenticationRequired,
    #[error("the platform key store failed: {reason}")]
    Failed { reason: String },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for KeyStoreError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        KeyStoreError::Failed { reason: format!("unexpected callback error: {}", e.reason) }
    }
}

/// Wraps small secrets with a named key that never leaves the device's key store
/// (Android Keystore, iOS Keychain / Secure Enclave). `wrap` creates the key when it
/// does not exist yet; `delete_key` destroys it.
#[uniffi::export(foreign)]
pub trait KeyStore: Send + Sync {
    fn wrap(&self, key_name: String, secret: Vec<u8>) -> Result<Vec<u8>, KeyStoreError>;
    fn unwrap(&self, key_name: String, wrapped: Vec<u8>) -> Result<Vec<u8>, KeyStoreError>;
    fn delete_key(&self, key_name: String) -> Result<(), KeyStoreError>;
}

/// The current time. Shells pass the system clock; tests pass a fixed or moving one.
#[uniffi::export(foreign)]
pub trait Clock: Send + Sync {
    fn now(&self) -> SystemTime;
}

fn failure(e: KeyStoreError) -> brobygger_core::KeyStoreFailure {
    // Only the variant's fixed text crosses into the core.
    brobygger_core::KeyStoreFailure { reason: e.to_string() }
}

/// A platform `KeyStore` as the core's key store (for Rust callers that use the core directly,
/// such as the test harness).
pub struct KeyStoreAdapter(pub Arc<dyn KeyStore>);

impl brobygger_core::KeyStore for KeyStoreAdapter {
    fn wrap(&self, key_name: &str, secret: &[u8]) -> Result<Vec<u8>, brobygger_core::KeyStoreFailure> {
        self.0.wrap(key_name.to_string(), secret.to_vec()).map_err(failure)
    }
    fn unwrap(&self, key_name: &str, wrapped: &[u8]) -> Result<Vec<u8>, brobygger_core::KeyStoreFailure> {
        self.0.unwrap(key_name.to_string(), wrapped.to_vec()).map_err(failure)
    }
    fn delete_key(&self, key_name: &str) -> Result<(), brobygger_core::KeyStoreFailure> {
        self.0.delete_key(key_name.to_string()).map_err(failure)
    }
}

pub(crate) struct ClockAdapter(pub Arc<dyn Clock>);

impl brobygger_core::Clock for ClockAdapter {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::<chrono::Utc>::from(self.0.now())
    }
}
