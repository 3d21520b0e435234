//! The platform key store, as the core sees it. Android implements it with the Android
//! Keystore (StrongBox when present), iOS with the Secure Enclave and the Keychain, the CLI
//! with a key file (weaker; see README).
//!
//! The core names every key (`brobygger.vault.<vault id>.<purpose>[.<random>]`) and says
//! what it is for, so a shell can give each the right protection:
//!
//! | call | purpose | protection the shell gives the key |
//! | --- | --- | --- |
//! | `pin_factor` | every PIN guess | non-exportable; HMAC-SHA256 (Android) / P-256 ECDH in the Secure Enclave (iOS); no user-authentication binding (the PIN is the authentication) |
//! | `wrap`/`unwrap` with [`KeyPurpose::VaultState`] | the sealed vault state: PIN attempts, delays, the PIN wrap; its key is replaced at every attempt, unlock and lock | non-exportable AES-GCM; usable after the first unlock of the device |
//! | `wrap`/`unwrap` with [`KeyPurpose::Outbox`] | the outbox key: reminders go out with the phone locked in a pocket | non-exportable AES-GCM; usable after the first unlock of the device; never bound to user authentication |

/// What a wrapping key is for (see the table above).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyPurpose {
    /// The sealed vault state, whose key is rotated at every PIN attempt, unlock and lock.
    VaultState,
    /// The outbox key, unwrapped without the PIN so reminders go out while the vault is locked.
    Outbox,
}

impl KeyPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyPurpose::VaultState => "vault_state",
            KeyPurpose::Outbox => "outbox",
        }
    }
}

/// The kind of a key store failure, so the core can tell a lost key from a passing fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyStoreFailureKind {
    /// The named key does not exist (a new phone, a key store reset, or a rolled-back file
    /// naming a key that was already replaced).
    KeyMissing,
    /// The key store cannot be used right now (device locked before first unlock, busy).
    Unavailable,
    /// The key needs the user to authenticate first.
    UserAuthenticationRequired,
    /// Anything else.
    Failed,
}

/// Why the platform key store could not do what was asked. The reason is fixed text from the
/// platform adapter, never key material or personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyStoreFailure {
    pub kind: KeyStoreFailureKind,
    pub reason: String,
}

impl KeyStoreFailure {
    pub fn new(kind: KeyStoreFailureKind, reason: &str) -> Self {
        KeyStoreFailure { kind, reason: reason.into() }
    }

    pub fn missing() -> Self {
        Self::new(KeyStoreFailureKind::KeyMissing, "the platform key does not exist")
    }
}

/// Keys that never leave the platform.
pub trait KeyStore: Send + Sync {
    /// A keyed one-way function of `input` (32 bytes) computed inside the key store with the
    /// key `key_name`, at least 16 bytes out. The same key and input always give the same
    /// output. When `create` is set and the key does not exist, it is created first; when
    /// `create` is not set, a missing key is [`KeyStoreFailureKind::KeyMissing`] (never a new key:
    /// that would turn the right PIN into a wrong one).
    fn pin_factor(&self, key_name: &str, input: &[u8], create: bool) -> Result<Vec<u8>, KeyStoreFailure>;
    /// Encrypts `secret` under the platform key `key_name`, creating the key if needed.
    fn wrap(&self, key_name: &str, purpose: KeyPurpose, secret: &[u8]) -> Result<Vec<u8>, KeyStoreFailure>;
    /// Reverses [`KeyStore::wrap`]; a missing key is [`KeyStoreFailureKind::KeyMissing`].
    fn unwrap(&self, key_name: &str, purpose: KeyPurpose, wrapped: &[u8]) -> Result<Vec<u8>, KeyStoreFailure>;
    /// Destroys the platform key; everything wrapped by it becomes unreadable. Deleting a key
    /// that does not exist is not an error.
    fn delete_key(&self, key_name: &str) -> Result<(), KeyStoreFailure>;
}
