//! The recovery key: 256 random bits shown once at set-up, written as 13 groups of
//! four base-32 characters so it can be copied by hand onto paper.

use crate::crypto::SecretKey;
use crate::error::{CoreError, CoreResult};
use base32::Alphabet;

/// RFC 4648 base 32 without padding: letters and the digits 2-7, nothing to mistake for 0 or 1.
const ALPHABET: Alphabet = Alphabet::Rfc4648 { padding: false };
use zeroize::Zeroizing;

pub fn format(key: &SecretKey) -> String {
    let plain = Zeroizing::new(base32::encode(ALPHABET, key.as_bytes()));
    let mut out = String::with_capacity(plain.len() + plain.len() / 4);
    for (i, c) in plain.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        out.push(c);
    }
    out
}

/// Accepts the key as shown, in any case, with or without dashes and spaces.
pub fn parse(text: &str) -> CoreResult<SecretKey> {
    let cleaned: Zeroizing<String> = Zeroizing::new(
        text.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect(),
    );
    let bytes = Zeroizing::new(
        base32::decode(ALPHABET, &cleaned)
            .ok_or_else(|| CoreError::invalid("recovery_key", "not a recovery key (52 letters and digits 2-7)"))?,
    );
    if bytes.len() != 32 {
        return Err(CoreError::invalid("recovery_key", "not a recovery key (52 letters and digits 2-7)"));
    }
    SecretKey::from_slice(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_forgivingly() {
        let k = SecretKey::generate().unwrap();
        let shown = format(&k);
        assert_eq!(shown.len(), 52 + 12);
        assert_eq!(parse(&shown).unwrap().as_bytes(), k.as_bytes());
        let sloppy = shown.to_lowercase().replace('-', " ");
        assert_eq!(parse(&sloppy).unwrap().as_bytes(), k.as_bytes());
        assert!(matches!(parse("ABCD-EFGH"), Err(CoreError::InvalidInput { field: "recovery_key", .. })));
        // '1' is not in the base-32 alphabet, so a mistyped key is refused, not misread.
        let typo = format!("1{}", &shown[1..]);
        assert!(parse(&typo).is_err());
    }
}
