//! Record ids: 128 random bits, lowercase hex. Random so an id says nothing about
//! the citizen or when they were registered.

use crate::crypto::random;
use crate::error::CoreResult;

pub const ID_LEN: usize = 32;

pub fn new_id() -> CoreResult<String> {
    let mut bytes = [0u8; 16];
    random::fill(&mut bytes)?;
    Ok(hex(&bytes))
}

/// Lower-case hex, two digits per byte.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Ids arrive from shells and scripts: check their shape before touching the database.
pub fn check_id(field: &'static str, id: &str) -> CoreResult<()> {
    if id.len() == ID_LEN && id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        Ok(())
    } else {
        Err(crate::error::CoreError::invalid(field, "not a Brobygger id (32 hex digits)"))
    }
}
