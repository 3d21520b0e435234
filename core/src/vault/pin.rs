//! What a PIN may be, and how long to wait after wrong ones.
//!
//! A PIN is a passcode of 6 to 64 characters: digits, letters, anything printable. The
//! shells offer a digit pad and a switch to a full keyboard. The most common PINs are
//! refused, because an attacker tries them first: every run of one repeated digit, every
//! ascending or descending run, and the list below.

use crate::error::{CoreError, CoreResult};
use chrono::Duration;

pub const PIN_MIN_LEN: usize = 6;
pub const PIN_MAX_LEN: usize = 64;
/// Wrong PINs in a row before the PIN wrap is destroyed (the recovery key opens the vault).
pub const MAX_PIN_ATTEMPTS: u32 = 10;

/// Six-digit PINs that top published frequency analyses of leaked PIN and passcode sets
/// (keyboard and pad patterns, pairs and triples, dates people pick), beyond the repeated
/// and sequential runs that [`is_too_common`] catches by rule.
const COMMON: &[&str] = &[
    "112233",
    "121212",
    "123123",
    "123321",
    "131313",
    "159753",
    "147258",
    "258369",
    "369258",
    "147852",
    "741852",
    "852963",
    "963852",
    "789456",
    "456789",
    "456123",
    "654321",
    "159357",
    "951753",
    "102030",
    "101010",
    "112211",
    "121314",
    "123654",
    "147369",
    "159951",
    "100200",
    "111222",
    "112112",
    "121121",
    "131415",
    "200000",
    "222333",
    "232323",
    "252525",
    "282828",
    "292929",
    "311311",
    "332211",
    "445566",
    "456456",
    "520520",
    "521521",
    "556677",
    "666999",
    "696969",
    "777888",
    "778899",
    "789789",
    "789987",
    "852456",
    "888999",
    "987654",
    "998877",
    "999888",
    "000111",
    "000123",
    "001122",
    "010101",
    "010203",
    "020202",
    "050505",
    "070707",
    "080808",
    "090909",
    "100100",
    "110110",
    "111000",
    "120120",
    "123000",
    "123450",
    "123789",
    "124578",
    "135246",
    "142536",
    "147147",
    "159159",
    "161616",
    "171717",
    "181818",
    "191919",
    "212121",
    "246810",
    "258258",
    "313131",
    "321321",
    "343434",
    "369369",
    "454545",
    "474747",
    "505050",
    "515151",
    "565656",
    "585858",
    "606060",
    "616161",
    "636363",
    "676767",
    "707070",
    "717171",
    "737373",
    "753951",
    "757575",
    "808080",
    "818181",
    "838383",
    "858585",
    "878787",
    "909090",
    "919191",
    "939393",
    "959595",
    "979797",
    "987987",
    "password",
    "adgangskode",
    "kodeord",
    "qwerty",
    "qwertz",
    "abc123",
    "abcdef",
    "brobygger",
];

/// Whether `pin` is one attackers try first.
pub fn is_too_common(pin: &str) -> bool {
    let lower = pin.to_lowercase();
    if COMMON.contains(&lower.as_str()) {
        return true;
    }
    let chars: Vec<char> = lower.chars().collect();
    if chars.iter().all(|c| *c == chars[0]) {
        return true;
    }
    // Ascending or descending runs of digits or letters: 123456, 654321, 345678, abcdef.
    let steps: Vec<i64> = chars.windows(2).map(|w| w[1] as i64 - w[0] as i64).collect();
    let all_digits_or_letters = chars.iter().all(char::is_ascii_digit) || chars.iter().all(|c| c.is_ascii_lowercase());
    all_digits_or_letters && (steps.iter().all(|s| *s == 1) || steps.iter().all(|s| *s == -1))
}

/// Checks a PIN being tried (length and characters only: an old common PIN must still open).
pub fn check_entered(field: &'static str, pin: &str) -> CoreResult<()> {
    let len = pin.chars().count();
    if len < PIN_MIN_LEN {
        return Err(CoreError::invalid(field, "too short (at least 6 characters)"));
    }
    if len > PIN_MAX_LEN {
        return Err(CoreError::invalid(field, "too long (at most 64 characters)"));
    }
    if pin.chars().any(char::is_control) {
        return Err(CoreError::invalid(field, "contains control characters"));
    }
    Ok(())
}

/// Checks a PIN being chosen: as [`check_entered`], and not one of the most common.
pub fn check_new(field: &'static str, pin: &str) -> CoreResult<()> {
    check_entered(field, pin)?;
    if is_too_common(pin) {
        return Err(CoreError::invalid(field, "too easy to guess; choose another"));
    }
    Ok(())
}

/// How long to wait before the next try after `failed` wrong PINs in a row: nothing for the
/// first three (typos), then growing, so ten tries take well over an hour and a half.
pub fn delay_after(failed: u32) -> Duration {
    Duration::seconds(match failed {
        0..=3 => 0,
        4 => 30,
        5 => 60,
        6 => 5 * 60,
        7 => 15 * 60,
        8 => 30 * 60,
        _ => 60 * 60,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn common_pins_are_refused_and_others_accepted() {
        for bad in
            ["123456", "654321", "000000", "999999", "345678", "876543", "112233", "121212", "abcdef", "Password"]
        {
            assert!(
                matches!(check_new("pin", bad), Err(CoreError::InvalidInput { field: "pin", .. })),
                "{bad} should be refused"
            );
        }
        for good in ["583920", "740163", "hestesko-42", "Æblegrød9", "917364"] {
            assert_eq!(check_new("pin", good), Ok(()), "{good}");
        }
        // Trying an old common PIN is allowed (it was chosen before the rule).
        assert_eq!(check_entered("pin", "123456"), Ok(()));
    }

    #[test]
    fn the_common_list_is_six_digits_or_words() {
        for p in COMMON {
            assert!(p.len() >= 6, "{p}");
        }
    }

    #[test]
    fn delays_grow_and_ten_tries_take_over_an_hour_and_a_half() {
        let total: i64 = (1..MAX_PIN_ATTEMPTS).map(|n| delay_after(n).num_seconds()).sum();
        assert!(total > 90 * 60, "{total}");
        for n in 1..20 {
            assert!(delay_after(n + 1) >= delay_after(n));
        }
    }

    proptest! {
        #[test]
        fn any_repeated_character_is_too_common(c in proptest::char::any(), n in 6usize..20) {
            prop_assume!(!c.is_control());
            let pin: String = std::iter::repeat_n(c, n).collect();
            prop_assert!(is_too_common(&pin));
        }

        #[test]
        fn every_six_digit_run_is_too_common(start in 0u32..5) {
            let up: String = (start..start + 6).map(|d| char::from(b'0' + d as u8)).collect();
            let down: String = up.chars().rev().collect();
            prop_assert!(is_too_common(&up));
            prop_assert!(is_too_common(&down));
        }
    }
}
