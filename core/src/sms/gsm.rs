//! SMS encoding and segment counting (3GPP TS 23.038).
//!
//! A text that fits the GSM 7-bit alphabet is sent as GSM-7: 160 septets in one segment,
//! 153 per segment when split (the rest carries the concatenation header). Characters from
//! the extension table (`^ { } \ [ ~ ] | €` and form feed) take two septets. Anything else
//! forces UCS-2: 70 UTF-16 units in one segment, 67 per segment when split. Before
//! measuring, typographic quotes, dashes, ellipses and odd spaces are normalised to their
//! GSM-7 equivalents so a pasted text does not silently triple in price.

/// The GSM 03.38 basic character set, in code order.
const BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u{1b}ÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// The extension table, each costing an escape plus the character.
const EXTENSION: &str = "\u{c}^{}\\[~]|€";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Gsm7,
    Ucs2,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Gsm7 => "gsm7",
            Encoding::Ucs2 => "ucs2",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measure {
    pub encoding: Encoding,
    /// Septets for GSM-7, UTF-16 units for UCS-2.
    pub units: usize,
    pub segments: usize,
}

fn gsm_cost(c: char) -> Option<usize> {
    if BASIC.contains(c) && c != '\u{1b}' {
        Some(1)
    } else if EXTENSION.contains(c) {
        Some(2)
    } else {
        None
    }
}

/// Replaces typographic characters by their GSM-7 look-alikes.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '`' | '\u{b4}' => out.push('\''),
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{ab}' | '\u{bb}' => out.push('"'),
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}' | '\u{2212}' => out.push('-'),
            '\u{2026}' => out.push_str("..."),
            '\u{a0}' | '\u{2007}' | '\u{2009}' | '\u{200a}' | '\u{202f}' | '\u{2002}' | '\u{2003}' => out.push(' '),
            '\u{200b}' | '\u{feff}' => {}
            '\t' => out.push(' '),
            other => out.push(other),
        }
    }
    out
}

/// Encoding, length and segment count of `text` as it stands (normalise first).
pub fn measure(text: &str) -> Measure {
    let septets: Option<usize> = text.chars().map(gsm_cost).sum();
    match septets {
        Some(units) => Measure { encoding: Encoding::Gsm7, units, segments: segments(units, 160, 153) },
        None => {
            let units = text.encode_utf16().count();
            Measure { encoding: Encoding::Ucs2, units, segments: segments(units, 70, 67) }
        }
    }
}

fn segments(units: usize, single: usize, multi: usize) -> usize {
    if units == 0 {
        0
    } else if units <= single {
        1
    } else {
        units.div_ceil(multi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_table() {
        let cases: &[(&str, Encoding, usize, usize)] = &[
            ("", Encoding::Gsm7, 0, 0),
            ("Hej", Encoding::Gsm7, 3, 1),
            ("Æble, øl og å", Encoding::Gsm7, 13, 1),
            (&"a".repeat(160), Encoding::Gsm7, 160, 1),
            (&"a".repeat(161), Encoding::Gsm7, 161, 2),
            (&"a".repeat(306), Encoding::Gsm7, 306, 2),
            (&"a".repeat(307), Encoding::Gsm7, 307, 3),
            (&"a".repeat(459), Encoding::Gsm7, 459, 3),
            (&"a".repeat(460), Encoding::Gsm7, 460, 4),
            ("€", Encoding::Gsm7, 2, 1),
            (&"€".repeat(80), Encoding::Gsm7, 160, 1),
            (&"€".repeat(81), Encoding::Gsm7, 162, 2),
            (&format!("{}[", "a".repeat(159)), Encoding::Gsm7, 161, 2),
            ("Hej 😀", Encoding::Ucs2, 6, 1),
            (&"ő".repeat(70), Encoding::Ucs2, 70, 1),
            (&"ő".repeat(71), Encoding::Ucs2, 71, 2),
            (&"ő".repeat(134), Encoding::Ucs2, 134, 2),
            (&"ő".repeat(135), Encoding::Ucs2, 135, 3),
            ("Çava ¿? ¡Sí! ñ ü ß", Encoding::Ucs2, 18, 1), // í is not GSM-7
            ("ÄÖÜ äöü à é è", Encoding::Gsm7, 13, 1),
            ("\u{1b}", Encoding::Ucs2, 1, 1), // a raw escape is not a character
        ];
        for (text, enc, units, segs) in cases {
            let m = measure(text);
            assert_eq!((m.encoding, m.units, m.segments), (*enc, *units, *segs), "{text:?}");
        }
    }

    #[test]
    fn typography_is_normalised_to_stay_gsm7() {
        let pasted = "“Husk” din aftale – kl. 10.00… ‘ok’\u{a0}";
        assert_eq!(measure(pasted).encoding, Encoding::Ucs2);
        let n = normalize(pasted);
        assert_eq!(n, "\"Husk\" din aftale - kl. 10.00... 'ok' ");
        assert_eq!(measure(&n).encoding, Encoding::Gsm7);
    }
}
