//! The PIN key derivation.
//!
//! PBKDF2-HMAC-SHA256 with 600 000 iterations (OWASP's 2023 figure for this PRF), then
//! HKDF with the device secret from the platform key store as salt. The result is the
//! key that wraps the vault key. Without the device secret, which a hardware key store
//! never releases, a copied vault cannot be attacked offline through the short PIN.
//! The iteration count is stored in the vault, so it can be raised later.

use crate::crypto::keys::{SecretKey, KEY_LEN};
use crate::error::{CoreError, CoreResult};
use ring::{hkdf, pbkdf2};
use std::num::NonZeroU32;
use zeroize::Zeroizing;

pub const PIN_KDF_ALGORITHM: &str = "pbkdf2-hmac-sha256+hkdf-device";
pub const PIN_KDF_ITERATIONS: u32 = 600_000;
pub const SALT_LEN: usize = 16;

/// The slow half: PBKDF2 over the PIN.
pub fn stretch_pin(pin: &str, salt: &[u8], iterations: NonZeroU32) -> Zeroizing<[u8; KEY_LEN]> {
    let mut out = Zeroizing::new([0u8; KEY_LEN]);
    pbkdf2::derive(pbkdf2::PBKDF2_HMAC_SHA256, iterations, salt, pin.as_bytes(), out.as_mut());
    out
}

struct KeyLen;
impl hkdf::KeyType for KeyLen {
    fn len(&self) -> usize {
        KEY_LEN
    }
}

/// The fast half: binds the stretched PIN to the device secret.
pub fn bind_to_device(stretched: &[u8; KEY_LEN], device_secret: &SecretKey) -> CoreResult<SecretKey> {
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, device_secret.as_bytes()).extract(stretched);
    let mut out = Zeroizing::new([0u8; KEY_LEN]);
    // 32 bytes from SHA-256 are always within HKDF's limit; ring's error is passed on anyway.
    let failed = |_| CoreError::Internal { reason: "HKDF failed" };
    prk.expand(&[b"brobygger pin wrap v1"], KeyLen).map_err(failed)?.fill(out.as_mut()).map_err(failed)?;
    SecretKey::from_slice(out.as_ref())
}

pub fn pin_wrapping_key(
    pin: &str,
    salt: &[u8],
    iterations: NonZeroU32,
    device_secret: &SecretKey,
) -> CoreResult<SecretKey> {
    bind_to_device(&stretch_pin(pin, salt, iterations), device_secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn it(n: u32) -> NonZeroU32 {
        NonZeroU32::new(n).unwrap()
    }

    #[test]
    fn same_inputs_same_key_and_each_input_matters() {
        let dev = SecretKey::generate().unwrap();
        let other_dev = SecretKey::generate().unwrap();
        let a = pin_wrapping_key("123456", b"salt-salt-salt-1", it(10), &dev).unwrap();
        let b = pin_wrapping_key("123456", b"salt-salt-salt-1", it(10), &dev).unwrap();
        assert_eq!(a.as_bytes(), b.as_bytes());
        for other in [
            pin_wrapping_key("123457", b"salt-salt-salt-1", it(10), &dev).unwrap(),
            pin_wrapping_key("123456", b"salt-salt-salt-2", it(10), &dev).unwrap(),
            pin_wrapping_key("123456", b"salt-salt-salt-1", it(11), &dev).unwrap(),
            pin_wrapping_key("123456", b"salt-salt-salt-1", it(10), &other_dev).unwrap(),
        ] {
            assert_ne!(a.as_bytes(), other.as_bytes());
        }
    }

    #[test]
    fn pbkdf2_matches_rfc_vector() {
        // RFC 7914 §11 PBKDF2-HMAC-SHA256 test vector ("passwd", "salt", c=1), first 32 bytes.
        let out = stretch_pin("passwd", b"salt", it(1));
        assert_eq!(crate::ids::hex(out.as_ref()), "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
    }
}
