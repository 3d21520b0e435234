//! The platform key store, as the core sees it. Android implements it with the
//! Android Keystore, iOS with the Keychain / Secure Enclave, the CLI with a key file.

/// Why the platform key store could not do what was asked. The reason is fixed text
/// from the platform adapter, never key material or personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyStoreFailure {
    pub reason: String,
}

/// Wraps and unwraps small secrets with a named key that never leaves the platform.
pub trait KeyStore: Send + Sync {
    /// Encrypts `secret` under the platform key `key_name`, creating the key if needed.
    fn wrap(&self, key_name: &str, secret: &[u8]) -> Result<Vec<u8>, KeyStoreFailure>;
    /// Reverses [`KeyStore::wrap`].
    fn unwrap(&self, key_name: &str, wrapped: &[u8]) -> Result<Vec<u8>, KeyStoreFailure>;
    /// Destroys the platform key; everything wrapped by it becomes unreadable.
    fn delete_key(&self, key_name: &str) -> Result<(), KeyStoreFailure>;
}
