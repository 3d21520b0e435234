//! The SMS text checker (`sms::check`, `sms::gsm`, `sms::lint`): any text is measured and
//! linted without a panic; normalising twice changes nothing; and the segment count stays
//! within what the length allows: one segment up to 160 septets / 70 UTF-16 units, else
//! at least ⌈units / 153⌉ (GSM-7) or ⌈units / 67⌉ (UCS-2) and never more than one per unit.

use brobygger_core::sms::gsm::{self, Encoding, Measure};
use brobygger_core::sms::{check, lint};

pub fn run(data: &[u8]) {
    let text = crate::text(data);
    let checked = check(&text);
    let normalized = gsm::normalize(&text);
    assert_eq!(checked.normalized, normalized);
    assert_eq!(gsm::normalize(&normalized), normalized, "normalize is not idempotent");
    let m = gsm::measure(&normalized);
    assert_eq!((checked.encoding, checked.units, checked.segments), (m.encoding, m.units, m.segments));
    assert_bounds(&normalized, &m);
    // The text as typed, before normalising, too.
    assert_bounds(&text, &gsm::measure(&text));
    let _ = lint::lint(&text);
    let _ = checked.acceptable();
}

fn assert_bounds(text: &str, m: &Measure) {
    let (single, part) = match m.encoding {
        Encoding::Gsm7 => (160, 153),
        Encoding::Ucs2 => (70, 67),
    };
    if m.encoding == Encoding::Ucs2 {
        assert_eq!(m.units, text.encode_utf16().count());
    } else {
        assert!(m.units >= text.chars().count() && m.units <= 2 * text.chars().count());
    }
    if m.units == 0 {
        assert_eq!(m.segments, 0);
    } else if m.units <= single {
        assert_eq!(m.segments, 1, "{} units", m.units);
    } else {
        assert!(m.segments >= m.units.div_ceil(part), "{} units in {} segments", m.units, m.segments);
        assert!(m.segments <= m.units, "{} units in {} segments", m.units, m.segments);
    }
}
