//! Recovery keys (`vault::recovery`): any text gives a key or a typed error; a key that
//! parses is shown again as 13 dashed groups of four that parse back to it; and any 32 bytes
//! shown and read back are the same key.

use brobygger_core::crypto::SecretKey;
use brobygger_core::vault::recovery::{format, parse};
use brobygger_core::CoreError;

pub fn run(data: &[u8]) {
    if let Some(key) = parse_key(&crate::text(data)) {
        round_trip(&key);
    }
    if let Some(first) = data.get(..32) {
        match SecretKey::from_slice(first) {
            Ok(key) => round_trip(&key),
            Err(e) => panic!("32 bytes refused as a key: {e:?}"),
        }
    }
}

fn round_trip(key: &SecretKey) {
    let shown = format(key);
    assert_eq!(shown.len(), 52 + 12, "{shown:?}");
    for (i, group) in shown.split('-').enumerate() {
        assert!(i < 13 && group.len() == 4, "{shown:?}");
        assert!(group.bytes().all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)), "{shown:?}");
    }
    match parse_key(&shown) {
        Some(back) => assert_eq!(back.as_bytes(), key.as_bytes()),
        None => panic!("a formatted key did not parse"),
    }
    // As a person might copy it: lower case, spaces for dashes.
    match parse_key(&shown.to_lowercase().replace('-', " ")) {
        Some(back) => assert_eq!(back.as_bytes(), key.as_bytes()),
        None => panic!("a sloppily copied key did not parse"),
    }
}

fn parse_key(text: &str) -> Option<SecretKey> {
    match parse(text) {
        Ok(k) => Some(k),
        Err(CoreError::InvalidInput { field: "recovery_key", .. }) => None,
        Err(e) => panic!("recovery::parse gave {e:?}"),
    }
}
