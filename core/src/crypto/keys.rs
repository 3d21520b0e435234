//! 256-bit keys held in memory that is wiped when the key is dropped.

use crate::crypto::random;
use crate::error::{CoreError, CoreResult};
use zeroize::Zeroizing;

pub const KEY_LEN: usize = 32;

/// A symmetric key (vault key, data key, wrapping key). Zeroed on drop; never printed.
#[derive(Clone)]
pub struct SecretKey(Zeroizing<[u8; KEY_LEN]>);

impl SecretKey {
    pub fn generate() -> CoreResult<Self> {
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        random::fill(key.as_mut())?;
        Ok(SecretKey(key))
    }

    pub fn from_slice(bytes: &[u8]) -> CoreResult<Self> {
        if bytes.len() != KEY_LEN {
            return Err(CoreError::Tampered);
        }
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        key.copy_from_slice(bytes);
        Ok(SecretKey(key))
    }

    pub fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(..)")
    }
}
