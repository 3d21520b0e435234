//! Phone numbers (`sms::phone`): any text gives a number or a typed error; a number read
//! back from its E.164 form, or from how it is displayed, is the same number.

use brobygger_core::sms::phone::{display, parse_phone, Phone};
use brobygger_core::CoreError;

pub fn run(data: &[u8]) {
    let text = crate::text(data);
    // Never panics, whatever it is given.
    let _ = display(&text);
    let Some(phone) = parse(&text) else { return };
    assert!(phone.e164.starts_with('+'), "{:?}", phone.e164);
    assert!(phone.e164.len() > 1 && phone.e164[1..].bytes().all(|b| b.is_ascii_digit()), "{:?}", phone.e164);
    assert_eq!(parse(&phone.e164).as_ref(), Some(&phone), "E.164 read back");
    let shown = display(&phone.e164);
    assert_eq!(parse(&shown).as_ref(), Some(&phone), "displayed as {shown:?}");
}

/// `Some` number, `None` for the one error a parser of outside text may give.
fn parse(text: &str) -> Option<Phone> {
    match parse_phone(text) {
        Ok(p) => Some(p),
        Err(CoreError::InvalidInput { field: "phone", .. }) => None,
        Err(e) => panic!("parse_phone gave {e:?}"),
    }
}
