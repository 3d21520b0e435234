//! The envelope: how every personal value is stored.
//!
//! ```text
//! byte 0      version (1 = AES-256-GCM)
//! bytes 1..9  key id, big-endian u64 (0 = the vault key, else a row of `data_keys`)
//! bytes 9..21 random 96-bit nonce
//! rest        ciphertext and 16-byte tag
//! ```
//!
//! The associated data binds the ciphertext to its table, row id and column, and to the
//! header, so a ciphertext copied into another row, column or table, or given another key
//! id, fails to open instead of yielding someone else's data.

use crate::crypto::keys::SecretKey;
use crate::crypto::random;
use ring::aead::{Aad as RingAad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use zeroize::Zeroizing;

pub const VERSION_AES256_GCM: u8 = 1;
pub const HEADER_LEN: usize = 1 + 8 + NONCE_LEN;
pub const TAG_LEN: usize = 16;

/// Which key sealed an envelope.
pub type KeyId = u64;

/// Where a ciphertext lives. Part of the associated data.
#[derive(Debug, Clone, Copy)]
pub struct Aad<'a> {
    pub table: &'a str,
    pub row: &'a str,
    pub column: &'a str,
}

impl<'a> Aad<'a> {
    pub fn new(table: &'a str, row: &'a str, column: &'a str) -> Self {
        Aad { table, row, column }
    }

    fn encode(&self, header: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(32 + self.table.len() + self.row.len() + self.column.len());
        out.extend_from_slice(b"brobygger-envelope\0");
        out.extend_from_slice(header);
        self.encode_location(&mut out);
        out
    }

    /// Appends table, row and column, each length-prefixed so ("ab","c") and ("a","bc") differ.
    pub fn encode_location(&self, out: &mut Vec<u8>) {
        for part in [self.table, self.row, self.column] {
            out.extend_from_slice(&(part.len() as u32).to_be_bytes());
            out.extend_from_slice(part.as_bytes());
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    #[error("envelope too short or malformed")]
    Malformed,
    #[error("unknown envelope version")]
    UnknownVersion,
    #[error("envelope failed authentication")]
    Forged,
    #[error("random generator failed")]
    Random,
    #[error("the AEAD key was rejected")]
    KeyRejected,
}

/// Reads the key id without decrypting, so the caller can fetch the right key.
pub fn key_id_of(envelope: &[u8]) -> Result<KeyId, EnvelopeError> {
    if envelope.len() < HEADER_LEN + TAG_LEN {
        return Err(EnvelopeError::Malformed);
    }
    if envelope[0] != VERSION_AES256_GCM {
        return Err(EnvelopeError::UnknownVersion);
    }
    let mut id = [0u8; 8];
    id.copy_from_slice(&envelope[1..9]);
    Ok(u64::from_be_bytes(id))
}

/// The expanded AES-GCM key. The keyring keeps these, so that opening thousands of
/// envelopes (search) does not redo the key schedule each time.
pub fn aead_key(key: &SecretKey) -> Result<LessSafeKey, EnvelopeError> {
    // AES-256 accepts any 32-byte key; ring's error is still passed on, never unwrapped.
    let unbound = UnboundKey::new(&AES_256_GCM, key.as_bytes()).map_err(|_| EnvelopeError::KeyRejected)?;
    Ok(LessSafeKey::new(unbound))
}

/// Seals `plaintext` under `key` (known as `key_id`) for the place `aad` names.
pub fn seal(key: &SecretKey, key_id: KeyId, aad: Aad<'_>, plaintext: &[u8]) -> Result<Vec<u8>, EnvelopeError> {
    seal_with(&aead_key(key)?, key_id, aad, plaintext)
}

/// [`seal`] with an already expanded key.
pub fn seal_with(key: &LessSafeKey, key_id: KeyId, aad: Aad<'_>, plaintext: &[u8]) -> Result<Vec<u8>, EnvelopeError> {
    let mut nonce = [0u8; NONCE_LEN];
    random::fill(&mut nonce).map_err(|_| EnvelopeError::Random)?;
    let mut out = Vec::with_capacity(HEADER_LEN + plaintext.len() + TAG_LEN);
    out.push(VERSION_AES256_GCM);
    out.extend_from_slice(&key_id.to_be_bytes());
    out.extend_from_slice(&nonce);
    let aad_bytes = aad.encode(&out[..HEADER_LEN]);
    let mut body = plaintext.to_vec();
    let tag = key
        .seal_in_place_separate_tag(Nonce::assume_unique_for_key(nonce), RingAad::from(&aad_bytes), &mut body)
        .map_err(|_| EnvelopeError::Random)?;
    out.extend_from_slice(&body);
    out.extend_from_slice(tag.as_ref());
    body.iter_mut().for_each(|b| *b = 0);
    Ok(out)
}

/// Opens an envelope sealed by [`seal`]; any change to it, or to where it is said to
/// live, gives [`EnvelopeError::Forged`]. The plaintext is wiped when dropped.
pub fn open(key: &SecretKey, aad: Aad<'_>, envelope: &[u8]) -> Result<Zeroizing<Vec<u8>>, EnvelopeError> {
    open_with(&aead_key(key)?, aad, envelope)
}

/// [`open`] with an already expanded key.
pub fn open_with(key: &LessSafeKey, aad: Aad<'_>, envelope: &[u8]) -> Result<Zeroizing<Vec<u8>>, EnvelopeError> {
    key_id_of(envelope)?;
    let (header, sealed) = envelope.split_at(HEADER_LEN);
    let mut nonce = [0u8; NONCE_LEN];
    nonce.copy_from_slice(&header[9..HEADER_LEN]);
    let aad_bytes = aad.encode(header);
    let mut buf = Zeroizing::new(sealed.to_vec());
    let len = key
        .open_in_place(Nonce::assume_unique_for_key(nonce), RingAad::from(&aad_bytes), buf.as_mut_slice())
        .map_err(|_| EnvelopeError::Forged)?
        .len();
    buf.truncate(len);
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key() -> SecretKey {
        SecretKey::generate().unwrap()
    }

    #[test]
    fn round_trip_and_header() {
        let k = key();
        let env = seal(&k, 7, Aad::new("notes", "abc", "body"), b"hej med dig").unwrap();
        assert_eq!(env[0], VERSION_AES256_GCM);
        assert_eq!(key_id_of(&env).unwrap(), 7);
        assert_eq!(env.len(), HEADER_LEN + 11 + TAG_LEN);
        let pt = open(&k, Aad::new("notes", "abc", "body"), &env).unwrap();
        assert_eq!(pt.as_slice(), b"hej med dig");
    }

    #[test]
    fn nonces_differ() {
        let k = key();
        let a = seal(&k, 1, Aad::new("t", "r", "c"), b"same").unwrap();
        let b = seal(&k, 1, Aad::new("t", "r", "c"), b"same").unwrap();
        assert_ne!(a, b);
    }

    #[test]
    fn short_and_unknown_version_are_typed() {
        let k = key();
        assert_eq!(open(&k, Aad::new("t", "r", "c"), &[1, 2, 3]).unwrap_err(), EnvelopeError::Malformed);
        let mut env = seal(&k, 1, Aad::new("t", "r", "c"), b"x").unwrap();
        env[0] = 9;
        assert_eq!(open(&k, Aad::new("t", "r", "c"), &env).unwrap_err(), EnvelopeError::UnknownVersion);
    }

    proptest! {
        #[test]
        fn round_trips(pt in proptest::collection::vec(any::<u8>(), 0..2048), id in any::<u64>(),
                       table in "[a-z_]{1,12}", row in "[0-9a-f]{1,32}", col in "[a-z_]{1,12}") {
            let k = key();
            let env = seal(&k, id, Aad::new(&table, &row, &col), &pt).unwrap();
            prop_assert_eq!(key_id_of(&env).unwrap(), id);
            let back = open(&k, Aad::new(&table, &row, &col), &env).unwrap();
            prop_assert_eq!(back.as_slice(), pt.as_slice());
        }

        #[test]
        fn aad_binds_table_row_column(pt in proptest::collection::vec(any::<u8>(), 0..256),
                                      row in "[0-9a-f]{8}", other in "[0-9a-f]{8}", which in 0usize..3) {
            prop_assume!(row != other);
            let k = key();
            let env = seal(&k, 3, Aad::new("citizens", &row, "nickname"), &pt).unwrap();
            let moved = match which {
                0 => Aad::new("notes", &row, "nickname"),
                1 => Aad::new("citizens", &other, "nickname"),
                _ => Aad::new("citizens", &row, "phone"),
            };
            prop_assert_eq!(open(&k, moved, &env).unwrap_err(), EnvelopeError::Forged);
        }

        #[test]
        fn any_bit_flip_is_caught(pt in proptest::collection::vec(any::<u8>(), 1..128), bit in any::<proptest::sample::Index>()) {
            let k = key();
            let aad = Aad::new("notes", "r", "body");
            let mut env = seal(&k, 2, aad, &pt).unwrap();
            let i = bit.index(env.len() * 8);
            env[i / 8] ^= 1 << (i % 8);
            prop_assert!(open(&k, aad, &env).is_err());
        }

        #[test]
        fn wrong_key_never_opens(pt in proptest::collection::vec(any::<u8>(), 0..128)) {
            let env = seal(&key(), 2, Aad::new("t", "r", "c"), &pt).unwrap();
            prop_assert_eq!(open(&key(), Aad::new("t", "r", "c"), &env).unwrap_err(), EnvelopeError::Forged);
        }
    }
}
