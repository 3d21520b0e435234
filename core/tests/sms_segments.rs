//! Segment counts at every boundary, against rules taken from outside references.
//!
//! Reference: Twilio's open-source segment calculator (github.com/TwilioDevEd/
//! message-segment-calculator, MIT), `src/libs/Segment.ts`, `EncodedChar.ts`,
//! `SegmentedMessage.ts` and its tests `tests/index.test.js`, `tests/segments.test.js`.
//! Its rules, restated: a segment carries 1120 bits (140 octets); a part of a
//! concatenated message gives 48 of them (6 octets) to the user data header; a GSM-7
//! character takes 7 bits and an extension-table character 14 (escape + character); in
//! UCS-2 every UTF-16 unit takes 16 bits; characters are added whole (the calculator
//! works on graphemes), and a character that does not fit opens the next part. Hence
//! 160 septets / 70 units in one segment, 153 / 67 per part, nothing split. The cases
//! below are derived from those rules by hand; no code of the calculator is used.
//! The same packing is what a phone does when it sends (Android's
//! `SmsManager.divideMessage`, 3GPP TS 23.038 §6.2.1.1 on escape sequences).

use brobygger_core::sms::gsm::{measure, Encoding};

fn a(n: usize) -> String {
    "a".repeat(n)
}

fn rep(s: &str, n: usize) -> String {
    s.repeat(n)
}

/// (case, text, encoding, units, segments)
fn cases() -> Vec<(&'static str, String, Encoding, usize, usize)> {
    use Encoding::{Gsm7, Ucs2};
    let o = "ő"; // not in GSM-7: forces UCS-2, one UTF-16 unit
    let e = "😀"; // a surrogate pair: two UTF-16 units
    vec![
        // Twilio tests/index.test.js, restated: an escape character plus digits.
        ("twilio: '{' + 158 digits = 160 septets", format!("{{{}", "7".repeat(158)), Gsm7, 160, 1),
        ("twilio: '{' + 159 digits = 161 septets", format!("{{{}", "7".repeat(159)), Gsm7, 161, 2),
        ("twilio: emoji + 68 digits = 70 units", format!("😜{}", "7".repeat(68)), Ucs2, 70, 1),
        ("twilio: emoji + 69 digits = 71 units", format!("😜{}", "7".repeat(69)), Ucs2, 71, 2),
        // Twilio tests/segments.test.js: the third part holds a single character.
        ("twilio: 307 digits", "7".repeat(307), Gsm7, 307, 3),
        ("twilio: emoji + 133 digits = 135 units", format!("😜{}", "7".repeat(133)), Ucs2, 135, 3),
        // GSM-7, plain characters on both sides of every limit.
        ("empty", String::new(), Gsm7, 0, 0),
        ("160", a(160), Gsm7, 160, 1),
        ("161", a(161), Gsm7, 161, 2),
        ("306", a(306), Gsm7, 306, 2),
        ("307", a(307), Gsm7, 307, 3),
        ("459", a(459), Gsm7, 459, 3),
        ("460", a(460), Gsm7, 460, 4),
        ("612", a(612), Gsm7, 612, 4),
        ("613", a(613), Gsm7, 613, 5),
        // An extension character at the single-segment limit.
        ("158 + [ = 160", format!("{}[", a(158)), Gsm7, 160, 1),
        ("159 + [ = 161", format!("{}[", a(159)), Gsm7, 161, 2),
        ("form feed costs two", format!("{}\u{c}", a(158)), Gsm7, 160, 1),
        ("80 €", rep("€", 80), Gsm7, 160, 1),
        ("81 €: 76 + 5", rep("€", 81), Gsm7, 162, 2),
        // An extension character on the first part boundary (septets 153-154).
        ("152 + € + 152 = 306: € opens part 2", format!("{}€{}", a(152), a(152)), Gsm7, 306, 3),
        ("152 + € + 151 = 305", format!("{}€{}", a(152), a(151)), Gsm7, 305, 2),
        ("151 + € + 153 = 306: € ends part 1", format!("{}€{}", a(151), a(153)), Gsm7, 306, 2),
        ("153 + € + 151 = 306: € starts part 2", format!("{}€{}", a(153), a(151)), Gsm7, 306, 2),
        ("152 + € + 153 = 307", format!("{}€{}", a(152), a(153)), Gsm7, 307, 3),
        ("152 + ~ + 152 = 306", format!("{}~{}", a(152), a(152)), Gsm7, 306, 3),
        ("152 + \\ + 152 = 306", format!("{}\\{}", a(152), a(152)), Gsm7, 306, 3),
        // On the second boundary (septets 306-307).
        ("305 + € + 152 = 459: € opens part 3", format!("{}€{}", a(305), a(152)), Gsm7, 459, 4),
        ("306 + € + 151 = 459", format!("{}€{}", a(306), a(151)), Gsm7, 459, 3),
        ("304 + € + 153 = 459", format!("{}€{}", a(304), a(153)), Gsm7, 459, 3),
        ("305 + € + 151 = 458", format!("{}€{}", a(305), a(151)), Gsm7, 458, 3),
        // All extension characters: 76 per part, never 76.5.
        ("152 €: 76 + 76", rep("€", 152), Gsm7, 304, 2),
        ("153 € = 306 septets: 76 + 76 + 1", rep("€", 153), Gsm7, 306, 3),
        ("228 €: 76 × 3", rep("€", 228), Gsm7, 456, 3),
        ("229 € = 458 septets", rep("€", 229), Gsm7, 458, 4),
        // Danish letters are in the basic table.
        ("æøå ÆØÅ", "Æble, øl og å på Ærø".into(), Gsm7, 20, 1),
        ("160 Danish letters", rep("æøå", 53) + "Å", Gsm7, 160, 1),
        // UCS-2, one-unit characters on both sides of every limit.
        ("70 units", rep(o, 70), Ucs2, 70, 1),
        ("71 units", rep(o, 71), Ucs2, 71, 2),
        ("134 units", rep(o, 134), Ucs2, 134, 2),
        ("135 units", rep(o, 135), Ucs2, 135, 3),
        ("201 units", rep(o, 201), Ucs2, 201, 3),
        ("202 units", rep(o, 202), Ucs2, 202, 4),
        // An emoji at the single-segment limit.
        ("68 + emoji = 70", format!("{}{e}", rep(o, 68)), Ucs2, 70, 1),
        ("69 + emoji = 71", format!("{}{e}", rep(o, 69)), Ucs2, 71, 2),
        ("35 emoji = 70", rep(e, 35), Ucs2, 70, 1),
        ("36 emoji = 72: 33 + 3", rep(e, 36), Ucs2, 72, 2),
        // An emoji straddling unit 67/68.
        ("66 + emoji + 66 = 134: emoji opens part 2", format!("{}{e}{}", rep(o, 66), rep(o, 66)), Ucs2, 134, 3),
        ("66 + emoji + 65 = 133", format!("{}{e}{}", rep(o, 66), rep(o, 65)), Ucs2, 133, 2),
        ("65 + emoji + 67 = 134: emoji ends part 1", format!("{}{e}{}", rep(o, 65), rep(o, 67)), Ucs2, 134, 2),
        ("67 + emoji + 65 = 134: emoji starts part 2", format!("{}{e}{}", rep(o, 67), rep(o, 65)), Ucs2, 134, 2),
        // An emoji straddling unit 134/135.
        ("133 + emoji + 66 = 201", format!("{}{e}{}", rep(o, 133), rep(o, 66)), Ucs2, 201, 4),
        ("132 + emoji + 67 = 201", format!("{}{e}{}", rep(o, 132), rep(o, 67)), Ucs2, 201, 3),
        ("67 emoji = 134 units: 33 + 33 + 1", rep(e, 67), Ucs2, 134, 3),
        ("66 emoji = 132 units", rep(e, 66), Ucs2, 132, 2),
        // Sequences the calculator and Android keep whole (graphemes).
        ("65 + thumbs-up medium skin + 65", format!("{}👍🏽{}", rep(o, 65), rep(o, 65)), Ucs2, 134, 3),
        ("63 + thumbs-up medium skin + 67", format!("{}👍🏽{}", rep(o, 63), rep(o, 67)), Ucs2, 134, 2),
        ("64 + Danish flag + 66", format!("{}🇩🇰{}", rep(o, 64), rep(o, 66)), Ucs2, 134, 3),
        ("63 + Danish flag + 67", format!("{}🇩🇰{}", rep(o, 63), rep(o, 67)), Ucs2, 134, 2),
        ("two flags back to back split between them", format!("{}🇩🇰🇸🇪{}", rep(o, 63), rep(o, 63)), Ucs2, 134, 2),
        ("62 + family (8 units) + 64", format!("{}👩\u{200d}👩\u{200d}👧{}", rep(o, 62), rep(o, 64)), Ucs2, 134, 3),
        ("59 + family + 67", format!("{}👩\u{200d}👩\u{200d}👧{}", rep(o, 59), rep(o, 67)), Ucs2, 134, 2),
        ("66 + e + acute + 66", format!("{}e\u{301}{}", rep(o, 66), rep(o, 66)), Ucs2, 134, 3),
        ("66 + heart + VS16 + 66", format!("{}❤\u{fe0f}{}", rep(o, 66), rep(o, 66)), Ucs2, 134, 3),
        // A short mixed text.
        ("greeting with emoji", "Hej 😀".into(), Ucs2, 6, 1),
        ("one non-GSM letter makes all UCS-2", format!("{}ő", a(69)), Ucs2, 70, 1),
    ]
}

#[test]
fn segment_counts_at_every_boundary() {
    let mut failures = Vec::new();
    for (case, text, encoding, units, segments) in cases() {
        let m = measure(&text);
        if (m.encoding, m.units, m.segments) != (encoding, units, segments) {
            failures.push(format!(
                "{case}: got {:?}/{}/{}, want {encoding:?}/{units}/{segments}",
                m.encoding, m.units, m.segments
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The expected units in the table are the text's own length in its encoding.
#[test]
fn table_units_are_the_encoded_length() {
    for (case, text, encoding, units, _) in cases() {
        let counted = match encoding {
            Encoding::Gsm7 => text.chars().map(|c| if "€[]{}\\^~|\u{c}".contains(c) { 2 } else { 1 }).sum(),
            Encoding::Ucs2 => text.encode_utf16().count(),
        };
        assert_eq!(counted, units, "{case}");
    }
}
