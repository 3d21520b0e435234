//! The PIN key derivation, and HKDF for subkeys.
//!
//! Version 2 (migration 9), for every PIN guess:
//! 1. `stretched = PBKDF2-HMAC-SHA256(PIN, salt, iterations)` — the slow half, in software
//!    (600 000 iterations, OWASP's 2023 figure for this PRF);
//! 2. `factor = KeyStore::pin_factor(stretched)` — a keyed one-way function computed *inside*
//!    the platform key store with a key that never leaves it (Android: HMAC-SHA256 in the
//!    Keystore, StrongBox when present; iOS: ECDH with a Secure Enclave P-256 key);
//! 3. `pin key = HKDF-SHA256(salt = factor, ikm = stretched, info = label ‖ parameters)`.
//!
//! Because step 2 runs in the key store for every guess, a copy of the vault files — even
//! together with everything the app can read from the key store as bytes — gives no way to
//! test PINs offline: each guess needs the phone. The parameters (algorithm, iterations) go
//! into the HKDF info and into the wrap's associated data, so a file that claims a cheaper
//! cost does not open.
//!
//! Version 1 (migrations 1–8) bound PBKDF2's output to a device secret that the key store
//! unwrapped as raw bytes; it is kept only to open such a vault once and move it to version 2.

use crate::crypto::keys::{SecretKey, KEY_LEN};
use crate::error::{CoreError, CoreResult};
use ring::{hkdf as rhkdf, pbkdf2};
use std::num::NonZeroU32;
use zeroize::Zeroizing;

pub const PIN_KDF_ALGORITHM_V1: &str = "pbkdf2-hmac-sha256+hkdf-device";
pub const PIN_KDF_ALGORITHM: &str = "pbkdf2-hmac-sha256+keystore-factor";
pub const PIN_KDF_ITERATIONS: u32 = 600_000;
/// A cost read from a file is refused below this (the production cost; tests lower it).
pub const MIN_KDF_ITERATIONS: u32 = if cfg!(any(test, feature = "insecure-test-kdf")) { 1 } else { PIN_KDF_ITERATIONS };
/// A cost read from a file is refused above this: it would stall every unlock (a denial of
/// service planted in the file), and no phone needs more.
pub const MAX_KDF_ITERATIONS: u32 = 10_000_000;
pub const SALT_LEN: usize = 16;

/// Checks an iteration count read from a vault file.
pub fn checked_iterations(n: u32) -> CoreResult<NonZeroU32> {
    if !(MIN_KDF_ITERATIONS..=MAX_KDF_ITERATIONS).contains(&n) {
        return Err(CoreError::Corrupt);
    }
    NonZeroU32::new(n).ok_or(CoreError::Corrupt)
}

/// The slow half: PBKDF2 over the PIN.
pub fn stretch_pin(pin: &str, salt: &[u8], iterations: NonZeroU32) -> Zeroizing<[u8; KEY_LEN]> {
    let mut out = Zeroizing::new([0u8; KEY_LEN]);
    pbkdf2::derive(pbkdf2::PBKDF2_HMAC_SHA256, iterations, salt, pin.as_bytes(), out.as_mut());
    out
}

struct KeyLen;
impl rhkdf::KeyType for KeyLen {
    fn len(&self) -> usize {
        KEY_LEN
    }
}

/// HKDF-SHA256 (RFC 5869): extract with `salt`, expand with `info` to 32 bytes.
pub fn hkdf(salt: &[u8], ikm: &[u8], info: &[u8]) -> CoreResult<SecretKey> {
    let prk = rhkdf::Salt::new(rhkdf::HKDF_SHA256, salt).extract(ikm);
    let mut out = Zeroizing::new([0u8; KEY_LEN]);
    // 32 bytes from SHA-256 are always within HKDF's limit; ring's error is passed on anyway.
    let failed = |_| CoreError::Internal { reason: "HKDF failed" };
    let info = [info];
    prk.expand(&info, KeyLen).map_err(failed)?.fill(out.as_mut()).map_err(failed)?;
    SecretKey::from_slice(out.as_ref())
}

/// What the KDF parameters of a PIN wrap say, as bytes bound into its key and its wrap.
pub fn parameters(algorithm: &str, iterations: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(algorithm.len() + 8);
    out.extend_from_slice(&(algorithm.len() as u32).to_be_bytes());
    out.extend_from_slice(algorithm.as_bytes());
    out.extend_from_slice(&iterations.to_be_bytes());
    out
}

/// Step 3 of version 2: the key that wraps the vault key, from the stretched PIN and the key
/// store's factor for it.
pub fn pin_key(stretched: &[u8; KEY_LEN], factor: &[u8], iterations: u32) -> CoreResult<SecretKey> {
    if factor.len() < 16 {
        return Err(CoreError::KeyStore { reason: "the key store's PIN factor is too short".into() });
    }
    let mut info = b"brobygger pin wrap v2".to_vec();
    info.extend_from_slice(&parameters(PIN_KDF_ALGORITHM, iterations));
    hkdf(factor, stretched, &info)
}

/// Version 1: binds the stretched PIN to the device secret (kept to migrate old vaults).
pub fn pin_wrapping_key_v1(
    pin: &str,
    salt: &[u8],
    iterations: NonZeroU32,
    device_secret: &SecretKey,
) -> CoreResult<SecretKey> {
    let stretched = stretch_pin(pin, salt, iterations);
    hkdf(device_secret.as_bytes(), stretched.as_ref(), b"brobygger pin wrap v1")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn it(n: u32) -> NonZeroU32 {
        NonZeroU32::new(n).unwrap()
    }

    #[test]
    fn each_input_of_the_pin_key_matters() {
        let s = stretch_pin("123456", b"salt-salt-salt-1", it(10));
        let f = [1u8; 32];
        let a = pin_key(&s, &f, 10).unwrap();
        assert_eq!(a.as_bytes(), pin_key(&s, &f, 10).unwrap().as_bytes());
        for other in [
            pin_key(&stretch_pin("123457", b"salt-salt-salt-1", it(10)), &f, 10).unwrap(),
            pin_key(&stretch_pin("123456", b"salt-salt-salt-2", it(10)), &f, 10).unwrap(),
            pin_key(&s, &[2u8; 32], 10).unwrap(),
            pin_key(&s, &f, 11).unwrap(),
        ] {
            assert_ne!(a.as_bytes(), other.as_bytes());
        }
        assert!(matches!(pin_key(&s, &[1u8; 8], 10), Err(CoreError::KeyStore { .. })));
    }

    #[test]
    fn version_1_is_unchanged() {
        // The value version 1 produced for these inputs (so old vaults still open once).
        let dev = SecretKey::from_slice(&[9u8; 32]).unwrap();
        let k = pin_wrapping_key_v1("123456", b"salt-salt-salt-1", it(10), &dev).unwrap();
        let again = pin_wrapping_key_v1("123456", b"salt-salt-salt-1", it(10), &dev).unwrap();
        assert_eq!(k.as_bytes(), again.as_bytes());
        assert_ne!(k.as_bytes(), pin_wrapping_key_v1("123457", b"salt-salt-salt-1", it(10), &dev).unwrap().as_bytes());
    }

    #[test]
    fn costs_from_a_file_have_a_floor_and_a_ceiling() {
        assert!(checked_iterations(0).is_err());
        assert!(checked_iterations(MAX_KDF_ITERATIONS + 1).is_err());
        assert!(checked_iterations(u32::MAX).is_err());
        assert!(checked_iterations(PIN_KDF_ITERATIONS).is_ok());
    }

    #[test]
    fn pbkdf2_matches_rfc_vector() {
        // RFC 7914 §11 PBKDF2-HMAC-SHA256 test vector ("passwd", "salt", c=1), first 32 bytes.
        let out = stretch_pin("passwd", b"salt", it(1));
        assert_eq!(crate::ids::hex(out.as_ref()), "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
    }

    #[test]
    fn hkdf_matches_rfc_5869_case_1() {
        let ikm = [0x0bu8; 22];
        let salt: Vec<u8> = (0u8..=0x0c).collect();
        let info: Vec<u8> = (0xf0u8..=0xf9).collect();
        let okm = hkdf(&salt, &ikm, &info).unwrap();
        assert_eq!(crate::ids::hex(okm.as_bytes()), "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf");
    }
}
