//! Phone numbers: validated and normalised to E.164 with libphonenumber's metadata
//! (the `rlibphonenumber` crate, built on `regex-lite` to keep the library small).
//! Numbers without a country code are read as Danish.

use crate::error::{CoreError, CoreResult};
use rlibphonenumber::{PhoneNumberFormat, PhoneNumberType, Region, PHONE_NUMBER_UTIL};
use serde::{Deserialize, Serialize};

/// Whether a number can receive SMS. Only `Mobile` numbers get reminders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhoneKind {
    Mobile,
    Fixed,
    /// The numbering plan cannot tell (for example US numbers) or it is a special service.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phone {
    pub e164: String,
    pub kind: PhoneKind,
}

pub const PHONE_MAX_LEN: usize = 40;

/// Parses a number written any common way: `20 30 40 50`, `+45 2030 4050`,
/// `0045 20304050`, `+46 70 123 45 67`.
pub fn parse_phone(input: &str) -> CoreResult<Phone> {
    let text = input.trim();
    if text.is_empty() {
        return Err(CoreError::invalid("phone", "empty"));
    }
    if text.chars().count() > PHONE_MAX_LEN {
        return Err(CoreError::invalid("phone", "too long (at most 40 characters)"));
    }
    if !text.chars().all(|c| c.is_ascii_digit() || " +-().\u{a0}/".contains(c)) {
        return Err(CoreError::invalid("phone", "may hold only digits, spaces, + - ( ) . /"));
    }
    let number = PHONE_NUMBER_UTIL
        .parse(text, Some(Region::DK))
        .map_err(|_| CoreError::invalid("phone", "not a phone number"))?;
    if !number.is_valid() {
        return Err(CoreError::invalid("phone", "not a valid number in its country's numbering plan"));
    }
    let e164 = number.format_as(PhoneNumberFormat::E164).into_owned();
    let kind = match number.get_type() {
        PhoneNumberType::Mobile => PhoneKind::Mobile,
        PhoneNumberType::FixedLine => PhoneKind::Fixed,
        PhoneNumberType::FixedLineOrMobile => match e164.strip_prefix("+45") {
            Some(national) => danish_kind(national),
            None => PhoneKind::Unknown,
        },
        _ => PhoneKind::Unknown,
    };
    Ok(Phone { e164, kind })
}

/// A number as people read it: Danish numbers in national format ("20 30 40 50"), others
/// in international format ("+46 70 123 45 67"). Made for E.164 as stored; anything that
/// does not parse as a valid number comes back unchanged, so nothing is ever hidden.
pub fn display(e164: &str) -> String {
    let Ok(number) = PHONE_NUMBER_UTIL.parse(e164, Some(Region::DK)) else {
        return e164.to_string();
    };
    if !number.is_valid() {
        return e164.to_string();
    }
    let format = match number.get_region_code() {
        Some(Region::DK) => PhoneNumberFormat::National,
        _ => PhoneNumberFormat::International,
    };
    number.format_as(format).into_owned()
}

/// libphonenumber's Danish metadata cannot tell mobile from fixed (one pattern covers
/// every 8-digit number), but the Danish numbering plan assigns whole series: these two-
/// digit series are mobile, those fixed; anything else (70 company numbers, 80 freephone,
/// 90 premium, newer sub-series) stays unknown and so gets no SMS.
fn danish_kind(national: &str) -> PhoneKind {
    const MOBILE: &[&str] = &[
        "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31", "40", "41", "42", "50", "51", "52",
        "53", "60", "61", "71", "81", "91", "92", "93",
    ];
    const FIXED_FIRST: &[(char, &str)] = &[
        ('3', "23456789"),
        ('4', "3456789"),
        ('5', "456789"),
        ('6', "2345689"),
        ('7', "2345679"),
        ('8', "6789"),
        ('9', "6789"),
    ];
    let series = national.get(..2).unwrap_or("");
    if MOBILE.contains(&series) {
        return PhoneKind::Mobile;
    }
    let mut chars = series.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if FIXED_FIRST.iter().any(|(first, seconds)| *first == a && seconds.contains(b)) => {
            PhoneKind::Fixed
        }
        _ => PhoneKind::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danish_numbers_any_common_way() {
        for written in ["20 30 40 50", "+45 2030 4050", "0045 20304050", "20304050", "+4520304050", "(+45) 20-30-40-50"]
        {
            let p = parse_phone(written).unwrap_or_else(|e| panic!("{written}: {e}"));
            assert_eq!(p.e164, "+4520304050", "{written}");
            assert_eq!(p.kind, PhoneKind::Mobile, "{written}");
        }
    }

    #[test]
    fn danish_landline_is_fixed() {
        // Copenhagen municipality's switchboard style number (33 xx xx xx is a fixed-line range).
        let p = parse_phone("33 66 33 66").unwrap();
        assert_eq!(p.e164, "+4533663366");
        assert_eq!(p.kind, PhoneKind::Fixed);
    }

    #[test]
    fn danish_series() {
        for (n, kind) in [
            ("31 12 34 56", PhoneKind::Mobile),
            ("42 12 34 56", PhoneKind::Mobile),
            ("93 12 34 56", PhoneKind::Mobile),
            ("86 12 34 56", PhoneKind::Fixed),
            ("36 12 34 56", PhoneKind::Fixed),
            ("70 12 34 56", PhoneKind::Unknown),
        ] {
            match parse_phone(n) {
                Ok(p) => assert_eq!(p.kind, kind, "{n}"),
                Err(e) => panic!("{n}: {e}"),
            }
        }
    }

    #[test]
    fn foreign_numbers_keep_their_country() {
        let se = parse_phone("+46 70 123 45 67").unwrap();
        assert_eq!(se.e164, "+46701234567");
        assert_eq!(se.kind, PhoneKind::Mobile);
        let de = parse_phone("0049 151 23456789").unwrap();
        assert_eq!(de.e164, "+4915123456789");
        assert_eq!(de.kind, PhoneKind::Mobile);
        let de_fixed = parse_phone("+49 30 12345678").unwrap();
        assert_eq!(de_fixed.kind, PhoneKind::Fixed);
    }

    #[test]
    fn display_is_national_for_danish_numbers_and_international_otherwise() {
        for (stored, shown) in [
            ("+4520304050", "20 30 40 50"),         // DK mobile
            ("+4533663366", "33 66 33 66"),         // DK fixed line
            ("+4570123456", "70 12 34 56"),         // DK company number
            ("+46701234567", "+46 70 123 45 67"),   // SE mobile
            ("+4915123456789", "+49 1512 3456789"), // DE mobile
            ("+493012345678", "+49 30 12345678"),   // DE fixed line (Berlin)
            ("+298211234", "+298 21 12 34"),        // Faroe Islands: a numbering plan of its own
        ] {
            assert_eq!(display(stored), shown, "{stored}");
        }
    }

    #[test]
    fn display_of_what_is_stored_reads_back_to_the_same_number() {
        for written in ["20 30 40 50", "+45 3366 3366", "+46 70 123 45 67", "0049 151 23456789"] {
            let stored = parse_phone(written).unwrap().e164;
            assert_eq!(parse_phone(&display(&stored)).unwrap().e164, stored, "{written}");
        }
    }

    #[test]
    fn display_leaves_what_it_cannot_parse_unchanged() {
        for garbage in ["", "not a number", "+45 1234", "+999 123", "☎ ring mig", "++45"] {
            assert_eq!(display(garbage), garbage);
        }
    }

    #[test]
    fn rejects_bad_numbers_with_typed_errors() {
        for bad in ["", "   ", "1234", "20 30 40", "abc", "+45 2030 4050 6070 8090", "2030x4050", "+999 123"] {
            match parse_phone(bad) {
                Err(CoreError::InvalidInput { field: "phone", .. }) => {}
                other => panic!("{bad:?} gave {other:?}"),
            }
        }
    }
}
