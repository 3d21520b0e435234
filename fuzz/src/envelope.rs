//! The envelope decoder (`crypto::envelope`), under one fixed key so that the corpus can
//! hold envelopes that really open.
//!
//! Input: a mode byte, then
//! - even: the bytes of an envelope, given to `key_id_of` and `open`;
//! - odd: a round trip: key id (8 bytes), a mutation (kind, position, mask: 6 bytes), table,
//!   row and column (each a length byte and its bytes), then the plaintext. Sealing then
//!   opening gives the plaintext back; the mutated envelope, or the envelope said to live
//!   elsewhere, does not open.

use crate::Bytes;
use brobygger_core::crypto::envelope::{self, Aad, EnvelopeError, HEADER_LEN, TAG_LEN, VERSION_AES256_GCM};
use brobygger_core::crypto::SecretKey;

/// The key every corpus envelope is sealed under (`FIXED_AAD` names where it lives).
pub fn fixed_key() -> SecretKey {
    match SecretKey::from_slice(&[0x42; 32]) {
        Ok(k) => k,
        Err(e) => panic!("a 32-byte key is refused: {e:?}"),
    }
}

pub const FIXED_AAD: (&str, &str, &str) = ("notes", "0123456789abcdef", "body");

fn fixed_aad() -> Aad<'static> {
    Aad::new(FIXED_AAD.0, FIXED_AAD.1, FIXED_AAD.2)
}

pub fn run(data: &[u8]) {
    let mut input = Bytes::new(data);
    let mode = input.u8();
    if mode & 1 == 0 {
        decode(input.rest());
    } else {
        round_trip(&mut input);
    }
}

/// What `key_id_of` must answer, read off the layout in `envelope.rs`'s header comment.
fn expected_key_id(bytes: &[u8]) -> Result<u64, EnvelopeError> {
    if bytes.len() < HEADER_LEN + TAG_LEN {
        return Err(EnvelopeError::Malformed);
    }
    if bytes[0] != VERSION_AES256_GCM {
        return Err(EnvelopeError::UnknownVersion);
    }
    let mut id = [0u8; 8];
    id.copy_from_slice(&bytes[1..9]);
    Ok(u64::from_be_bytes(id))
}

fn decode(bytes: &[u8]) {
    let expected = expected_key_id(bytes);
    assert_eq!(envelope::key_id_of(bytes), expected);
    match envelope::open(&fixed_key(), fixed_aad(), bytes) {
        Ok(plain) => {
            assert!(expected.is_ok(), "an envelope with a bad header opened");
            assert_eq!(plain.len(), bytes.len() - HEADER_LEN - TAG_LEN);
        }
        Err(e) => match expected {
            Err(header) => assert_eq!(e, header),
            Ok(_) => assert_eq!(e, EnvelopeError::Forged),
        },
    }
}

fn round_trip(input: &mut Bytes<'_>) {
    let key = fixed_key();
    let key_id = input.uint(8);
    let (kind, position, mask) = (input.u8(), input.uint(4) as usize, input.u8().max(1));
    let (table, row, column) = (aad_part(input), aad_part(input), aad_part(input));
    let plaintext = input.rest();
    let aad = Aad::new(&table, &row, &column);

    let sealed = match envelope::seal(&key, key_id, aad, plaintext) {
        Ok(s) => s,
        Err(e) => panic!("sealing failed: {e:?}"),
    };
    assert_eq!(sealed.len(), HEADER_LEN + plaintext.len() + TAG_LEN);
    assert_eq!(envelope::key_id_of(&sealed), Ok(key_id));
    match envelope::open(&key, aad, &sealed) {
        Ok(back) => assert_eq!(back.as_slice(), plaintext),
        Err(e) => panic!("a sealed envelope did not open: {e:?}"),
    }

    // Said to live in another column: refused.
    let elsewhere = format!("{column}.");
    assert_eq!(envelope::open(&key, Aad::new(&table, &row, &elsewhere), &sealed), Err(EnvelopeError::Forged));

    // Any change to the bytes: refused.
    let mut changed = sealed.clone();
    match kind % 3 {
        0 => {
            let i = position % changed.len();
            changed[i] ^= mask;
        }
        1 => changed.truncate(position % changed.len()),
        _ => changed.push(mask),
    }
    assert!(envelope::open(&key, aad, &changed).is_err(), "a changed envelope opened (change {})", kind % 3);
}

/// A part of the associated data: a length byte (at most 63) and that many bytes.
fn aad_part(input: &mut Bytes<'_>) -> String {
    let len = usize::from(input.u8() % 64);
    String::from_utf8_lossy(input.take(len)).into_owned()
}
