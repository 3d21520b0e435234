//! SMS encoding and segment counting (3GPP TS 23.038).
//!
//! A text that fits the GSM 7-bit alphabet is sent as GSM-7: 160 septets in one segment,
//! 153 per segment when split (the rest carries the concatenation header). Characters from
//! the extension table (`^ { } \ [ ~ ] | €` and form feed) take two septets. Anything else
//! forces UCS-2: 70 UTF-16 units in one segment, 67 per segment when split. A split
//! never cuts a character in two, so a part may carry less (see [`measure`]); the count
//! is what the message really costs, as Android's `SmsManager.divideMessage` and Twilio's
//! segment calculator split it. (Android's `SmsMessage.calculateLength` divides septets
//! by 153 for GSM-7 and so reports one part fewer when an extension character straddles
//! a boundary; for UCS-2 it packs characters whole as here.) Before measuring, typographic quotes, dashes, ellipses and odd spaces are normalised to their
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

/// One segment on its own: 140 octets of user data.
const GSM7_SINGLE: usize = 160;
const UCS2_SINGLE: usize = 70;
/// One part of a concatenated message: 140 octets less the 6-octet concatenation header.
const GSM7_PART: usize = 153;
const UCS2_PART: usize = 67;

/// Encoding, length and segment count of `text` as it stands (normalise first).
///
/// A text that fits one segment is one segment. A longer one is packed greedily into
/// parts the way phones and gateways split it: a part ends before a character that would
/// not fit whole, so an extension character (escape + character, two septets) or an emoji
/// (a UTF-16 surrogate pair, or an emoji sequence) is never split across two parts and
/// the part before it may carry fewer than 153 septets / 67 units. 152 plain characters,
/// '€', 152 plain characters (306 septets) are therefore 3 segments, not 2.
pub fn measure(text: &str) -> Measure {
    let (encoding, units, starts) = layout(text);
    Measure { encoding, units, segments: starts.len() }
}

/// The encoding, the total length in units, and the byte offset in `text` where each
/// segment starts.
fn layout(text: &str) -> (Encoding, usize, Vec<usize>) {
    let gsm: Option<Vec<(usize, usize)>> = text.char_indices().map(|(at, c)| gsm_cost(c).map(|n| (at, n))).collect();
    match gsm {
        Some(pieces) => {
            let units = pieces.iter().map(|(_, n)| n).sum();
            (Encoding::Gsm7, units, pack(&pieces, units, GSM7_SINGLE, GSM7_PART))
        }
        None => {
            let pieces = ucs2_pieces(text);
            let units = text.encode_utf16().count();
            (Encoding::Ucs2, units, pack(&pieces, units, UCS2_SINGLE, UCS2_PART))
        }
    }
}

/// Greedy packing of unsplittable pieces (byte offset, cost), each at most `part`:
/// the byte offsets where segments start.
fn pack(pieces: &[(usize, usize)], units: usize, single: usize, part: usize) -> Vec<usize> {
    let Some((first, _)) = pieces.first() else {
        return Vec::new();
    };
    if units <= single {
        return vec![*first];
    }
    let mut starts = Vec::with_capacity(units.div_ceil(part) + 1);
    let mut used = part;
    for &(at, cost) in pieces {
        if used + cost > part {
            starts.push(at);
            used = 0;
        }
        used += cost;
    }
    starts
}

/// UCS-2 pieces: user-perceived characters, which Android (`SmsMessage`, a character
/// `BreakIterator`) and Twilio (grapheme splitting) keep whole when splitting a text. A
/// piece longer than one part (a pathological run of combining marks) falls back to code
/// points, as Android does, so a surrogate pair is still never split.
fn ucs2_pieces(text: &str) -> Vec<(usize, usize)> {
    let mut clusters: Vec<(usize, usize)> = Vec::new();
    let mut prev: Option<char> = None;
    let mut regional_run = 0usize;
    for (at, c) in text.char_indices() {
        let joins = prev.is_some_and(|p| continues_cluster(p, c, regional_run));
        regional_run = if is_regional_indicator(c) { regional_run + 1 } else { 0 };
        match clusters.last_mut() {
            Some(last) if joins => last.1 += c.len_utf16(),
            _ => clusters.push((at, c.len_utf16())),
        }
        prev = Some(c);
    }
    if clusters.iter().all(|(_, units)| *units <= UCS2_PART) {
        return clusters;
    }
    let mut out = Vec::with_capacity(clusters.len());
    for (i, &(at, units)) in clusters.iter().enumerate() {
        if units <= UCS2_PART {
            out.push((at, units));
        } else {
            let end = clusters.get(i + 1).map_or(text.len(), |(next, _)| *next);
            let cluster = text.get(at..end).unwrap_or("");
            out.extend(cluster.char_indices().map(|(j, c)| (at + j, c.len_utf16())));
        }
    }
    out
}

/// Whether `c` belongs to the same user-perceived character as `prev` (`regional_run`
/// regional indicators end at `prev`). A hand-written subset of Unicode's extended
/// grapheme cluster rules (UAX #29) that covers what SMS texts hold: CR LF, combining
/// marks, variation selectors, emoji skin-tone modifiers and tags, zero-width-joiner
/// emoji sequences and flag pairs. Hangul syllable sequences and Indic spacing marks are
/// not covered; they would only matter at a segment boundary.
fn continues_cluster(prev: char, c: char, regional_run: usize) -> bool {
    if prev == '\r' {
        return c == '\n';
    }
    if prev.is_control() {
        return false;
    }
    let extend = matches!(
        c as u32,
        0x0300..=0x036F          // combining diacritical marks
            | 0x1AB0..=0x1AFF
            | 0x1DC0..=0x1DFF
            | 0x20D0..=0x20FF    // combining marks for symbols (keycap U+20E3)
            | 0xFE20..=0xFE2F
            | 0xFE00..=0xFE0F    // variation selectors (emoji presentation U+FE0F)
            | 0xE0100..=0xE01EF
            | 0x1F3FB..=0x1F3FF  // emoji skin-tone modifiers
            | 0xE0020..=0xE007F  // emoji tag sequences (subdivision flags)
            | 0x200D // zero-width joiner
    );
    extend
        || (prev == '\u{200d}' && is_pictographic(c))
        || (is_regional_indicator(c) && is_regional_indicator(prev) && regional_run % 2 == 1)
}

fn is_regional_indicator(c: char) -> bool {
    (0x1F1E6..=0x1F1FF).contains(&(c as u32))
}

/// Approximates Extended_Pictographic: the symbol and emoji blocks.
fn is_pictographic(c: char) -> bool {
    matches!(c as u32, 0x00A9 | 0x00AE | 0x203C | 0x2049 | 0x2122 | 0x2139 | 0x2190..=0x2BFF | 0x1F000..=0x1FAFF)
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

    /// An independent model of how a sender cuts the encoded stream: lay the text out as
    /// septets (escape and character separately) or UTF-16 units, cut every `part` units,
    /// and step back one unit when the cut would fall between an escape and its character
    /// or between the halves of a surrogate pair (3GPP TS 23.038 §6.2.1.1; Android's
    /// `GsmAlphabet.findGsmSeptetLimitIndex` and `findNextUnicodePosition`). Knows nothing
    /// of emoji sequences, so it is used on texts without them.
    fn cut_stream(text: &str) -> usize {
        // (unit may start a segment)
        let mut stream: Vec<bool> = Vec::new();
        let gsm = text.chars().all(|c| gsm_cost(c).is_some());
        let (single, part) = if gsm { (160, 153) } else { (70, 67) };
        if gsm {
            for c in text.chars() {
                stream.push(true);
                if EXTENSION.contains(c) {
                    stream.push(false);
                }
            }
        } else {
            for u in text.encode_utf16() {
                stream.push(!(0xdc00..=0xdfff).contains(&u));
            }
        }
        if stream.is_empty() {
            return 0;
        }
        if stream.len() <= single {
            return 1;
        }
        let (mut pos, mut count) = (0, 0);
        while pos < stream.len() {
            let mut end = (pos + part).min(stream.len());
            if end < stream.len() && !stream[end] {
                end -= 1;
            }
            pos = end;
            count += 1;
        }
        count
    }

    /// A text built to straddle a boundary: random characters from `alphabet` placed
    /// `back` units before the end of part `j`, padded with plain letters to a total of
    /// `k` parts plus `d` units, so mixed characters land on the cut and the total sits
    /// right at a limit.
    fn text_of(shape: &Shape, alphabet: &[&str]) -> String {
        let (picks, j, back, k, d) = shape;
        let mixed: String = picks.iter().map(|i| alphabet[*i % alphabet.len()]).collect();
        let (gsm, cost) = match mixed.chars().map(gsm_cost).sum::<Option<usize>>() {
            Some(septets) => (true, septets),
            None => (false, mixed.encode_utf16().count()),
        };
        let part: usize = if gsm { 153 } else { 67 };
        let pre = (part * j).saturating_sub(*back);
        let total = (part * k).saturating_add_signed(*d);
        let post = total.saturating_sub(pre + cost);
        format!("{}{mixed}{}", "a".repeat(pre), "a".repeat(post))
    }

    type Shape = (Vec<usize>, usize, usize, usize, isize);

    fn shapes() -> impl proptest::strategy::Strategy<Value = Shape> {
        (proptest::collection::vec(0usize..64, 0..30), 0usize..4, 0usize..12, 0usize..5, -3isize..4)
    }

    /// Plain letters, extension characters, Danish letters, a non-GSM letter and an emoji.
    const MIXED: &[&str] = &["a", "a", "a", "a", "æ", " ", "€", "[", "~", "ő", "😀", "\n"];
    /// The same with emoji sequences: flags, skin tones, ZWJ families, keycaps, accents.
    const SEQUENCES: &[&str] = &[
        "a",
        "a",
        "b",
        "ő",
        "😀",
        "🇩🇰",
        "👍🏽",
        "👩\u{200d}👩\u{200d}👧",
        "❤\u{fe0f}",
        "1\u{fe0f}\u{20e3}",
        "e\u{301}",
        "\r\n",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]

        /// The packing agrees with cutting the encoded stream wherever a text holds no
        /// emoji sequence, at every length around every boundary.
        #[test]
        fn packing_equals_cutting_the_stream(
            picks in shapes(),
            gsm_only in proptest::bool::ANY,
        ) {
            let alphabet: &[&str] = if gsm_only { &MIXED[..9] } else { MIXED };
            let text = text_of(&picks, alphabet);
            proptest::prop_assert_eq!(measure(&text).segments, cut_stream(&text), "{:?}", text);
        }

        /// Appending a character never lowers the segment count.
        #[test]
        fn segments_are_monotone_in_length(
            picks in shapes(),
            next in 0usize..64,
            sequences in proptest::bool::ANY,
        ) {
            let alphabet = if sequences { SEQUENCES } else { MIXED };
            let text = text_of(&picks, alphabet);
            let longer = format!("{text}{}", alphabet[next % alphabet.len()]);
            proptest::prop_assert!(measure(&text).segments <= measure(&longer).segments, "{:?}", longer);
        }

        /// Every part holds at most its capacity in real units, every part but the last is
        /// full (the next piece would not fit), and no part starts inside a pair or a sequence.
        #[test]
        fn packing_never_splits_pairs_or_sequences(
            picks in shapes(),
            sequences in proptest::bool::ANY,
        ) {
            let text = text_of(&picks, if sequences { SEQUENCES } else { MIXED });
            let (encoding, units, starts) = layout(&text);
            let (single, part) = match encoding { Encoding::Gsm7 => (160, 153), Encoding::Ucs2 => (70, 67) };
            let cost = |s: &str| match encoding {
                Encoding::Gsm7 => s.chars().map(|c| gsm_cost(c).unwrap_or(99)).sum::<usize>(),
                Encoding::Ucs2 => s.encode_utf16().count(),
            };
            proptest::prop_assert_eq!(cost(&text), units);
            if units <= single {
                proptest::prop_assert_eq!(starts.len(), usize::from(units > 0));
                return Ok(());
            }
            let mut ends: Vec<usize> = starts.iter().skip(1).copied().collect();
            ends.push(text.len());
            for (i, (start, end)) in starts.iter().zip(&ends).enumerate() {
                let body = &text[*start..*end];
                proptest::prop_assert!(cost(body) <= part, "part {} holds {}", i, cost(body));
                if *end < text.len() {
                    let rest = &text[*end..];
                    let next_piece = match encoding {
                        Encoding::Gsm7 => rest.chars().next().map_or(0, |c| cost(&c.to_string())),
                        Encoding::Ucs2 => ucs2_pieces(rest).first().map_or(0, |p| p.1),
                    };
                    proptest::prop_assert!(cost(body) + next_piece > part, "part {} was closed early", i);
                    let before = text[..*end].chars().next_back();
                    let after = rest.chars().next();
                    let run = text[..*end].chars().rev().take_while(|c| is_regional_indicator(*c)).count();
                    if let (Some(b), Some(a)) = (before, after) {
                        proptest::prop_assert!(!continues_cluster(b, a, run), "split {:?}|{:?}", b, a);
                    }
                }
            }
            proptest::prop_assert_eq!(starts[0], 0);
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
