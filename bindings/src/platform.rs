//! What only the platform can do for the vault, as foreign traits: keep keys that never
//! leave the device (`KeyStore`) and tell the time (`Clock`). The `SmsSender` is in
//! `scheduling.rs`.

use brobygger_core as core;
use std::sync::Arc;
use std::time::SystemTime;

/// Why the platform key store failed. Android: KeyStoreException, KeyPermanentlyInvalidated,
/// UserNotAuthenticated; iOS: errSecItemNotFound, errSecInteractionNotAllowed, ...
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum KeyStoreError {
    /// The named key does not exist (a new phone, a key store reset, a rolled-back file).
    #[error("the platform key does not exist")]
    KeyMissing,
    /// The key store cannot be used now (device locked before its first unlock, busy).
    #[error("the platform key store is unavailable: {reason}")]
    Unavailable { reason: String },
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

/// What a wrapping key is for, so the shell gives it the right protection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum KeyPurpose {
    /// The sealed vault state (PIN attempts, delays, the PIN wrap). The core replaces this key
    /// at every PIN attempt, unlock and lock, and deletes the old one. Non-exportable
    /// AES-GCM, usable after the device's first unlock, not bound to user authentication.
    VaultState,
    /// The outbox key: reminders go out with the phone locked in a pocket. Non-exportable
    /// AES-GCM, usable after the device's first unlock, never bound to user authentication.
    Outbox,
}

/// Keys that never leave the device: Android Keystore (StrongBox when present), iOS Secure
/// Enclave and Keychain. Every method may block (hardware key stores take milliseconds):
/// the core calls them from the thread that called the core, never the main thread.
#[uniffi::export(with_foreign)]
pub trait KeyStore: Send + Sync {
    /// A keyed one-way function of `input` (32 bytes), computed inside the key store with the
    /// key `key_name`; at least 16 bytes out, always the same for the same key and input.
    /// Android: HMAC-SHA256 with a non-exportable Keystore HMAC key. iOS: SHA-256 of the ECDH
    /// shared secret of a Secure Enclave P-256 key with a point derived from `input`. The core
    /// calls it once per PIN guess, so the PIN can only be tried on this phone. When `create` is
    /// true and the key does not exist, create it; when false, answer `KeyMissing`.
    fn pin_factor(&self, key_name: String, input: Vec<u8>, create: bool) -> Result<Vec<u8>, KeyStoreError>;
    /// Encrypts `secret` under the platform key `key_name`, creating the key if needed.
    fn wrap(&self, key_name: String, purpose: KeyPurpose, secret: Vec<u8>) -> Result<Vec<u8>, KeyStoreError>;
    /// Reverses `wrap`; `KeyMissing` when the key does not exist.
    fn unwrap(&self, key_name: String, purpose: KeyPurpose, wrapped: Vec<u8>) -> Result<Vec<u8>, KeyStoreError>;
    /// Destroys the key; deleting a key that does not exist is not an error.
    fn delete_key(&self, key_name: String) -> Result<(), KeyStoreError>;
}

/// The current time. Shells pass the system clock; tests pass a fixed or moving one.
#[uniffi::export(with_foreign)]
pub trait Clock: Send + Sync {
    fn now(&self) -> SystemTime;
}

fn failure(e: KeyStoreError) -> core::KeyStoreFailure {
    use core::KeyStoreFailureKind as K;
    // Only the variant's fixed text crosses into the core.
    let kind = match &e {
        KeyStoreError::KeyMissing => K::KeyMissing,
        KeyStoreError::Unavailable { .. } => K::Unavailable,
        KeyStoreError::UserAuthenticationRequired => K::UserAuthenticationRequired,
        KeyStoreError::Failed { .. } => K::Failed,
    };
    core::KeyStoreFailure { kind, reason: e.to_string() }
}

fn purpose(p: core::KeyPurpose) -> KeyPurpose {
    match p {
        core::KeyPurpose::VaultState => KeyPurpose::VaultState,
        core::KeyPurpose::Outbox => KeyPurpose::Outbox,
    }
}

/// A platform `KeyStore` as the core's key store (also for Rust callers such as the harness).
pub struct KeyStoreAdapter(pub Arc<dyn KeyStore>);

impl core::KeyStore for KeyStoreAdapter {
    fn pin_factor(&self, key_name: &str, input: &[u8], create: bool) -> Result<Vec<u8>, core::KeyStoreFailure> {
        self.0.pin_factor(key_name.to_string(), input.to_vec(), create).map_err(failure)
    }
    fn wrap(&self, key_name: &str, p: core::KeyPurpose, secret: &[u8]) -> Result<Vec<u8>, core::KeyStoreFailure> {
        self.0.wrap(key_name.to_string(), purpose(p), secret.to_vec()).map_err(failure)
    }
    fn unwrap(&self, key_name: &str, p: core::KeyPurpose, wrapped: &[u8]) -> Result<Vec<u8>, core::KeyStoreFailure> {
        self.0.unwrap(key_name.to_string(), purpose(p), wrapped.to_vec()).map_err(failure)
    }
    fn delete_key(&self, key_name: &str) -> Result<(), core::KeyStoreFailure> {
        self.0.delete_key(key_name.to_string()).map_err(failure)
    }
}

/// The core's key store as a platform `KeyStore` (for Rust callers that hold a core one,
/// such as tests with `MemoryKeyStore`).
pub struct CoreKeyStore(pub Arc<dyn core::KeyStore>);

fn back(f: core::KeyStoreFailure) -> KeyStoreError {
    use core::KeyStoreFailureKind as K;
    match f.kind {
        K::KeyMissing => KeyStoreError::KeyMissing,
        K::Unavailable => KeyStoreError::Unavailable { reason: f.reason },
        K::UserAuthenticationRequired => KeyStoreError::UserAuthenticationRequired,
        K::Failed => KeyStoreError::Failed { reason: f.reason },
    }
}

fn core_purpose(p: KeyPurpose) -> core::KeyPurpose {
    match p {
        KeyPurpose::VaultState => core::KeyPurpose::VaultState,
        KeyPurpose::Outbox => core::KeyPurpose::Outbox,
    }
}

impl KeyStore for CoreKeyStore {
    fn pin_factor(&self, key_name: String, input: Vec<u8>, create: bool) -> Result<Vec<u8>, KeyStoreError> {
        self.0.pin_factor(&key_name, &input, create).map_err(back)
    }
    fn wrap(&self, key_name: String, p: KeyPurpose, secret: Vec<u8>) -> Result<Vec<u8>, KeyStoreError> {
        self.0.wrap(&key_name, core_purpose(p), &secret).map_err(back)
    }
    fn unwrap(&self, key_name: String, p: KeyPurpose, wrapped: Vec<u8>) -> Result<Vec<u8>, KeyStoreError> {
        self.0.unwrap(&key_name, core_purpose(p), &wrapped).map_err(back)
    }
    fn delete_key(&self, key_name: String) -> Result<(), KeyStoreError> {
        self.0.delete_key(&key_name).map_err(back)
    }
}

pub(crate) struct ClockAdapter(pub Arc<dyn Clock>);

impl core::Clock for ClockAdapter {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::<chrono::Utc>::from(self.0.now())
    }
}
