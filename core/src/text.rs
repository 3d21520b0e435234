//! Checking text that people type. Limits are in characters (Unicode scalar values),
//! documented in README.md, and every refusal names the field and the reason.

use crate::error::{CoreError, CoreResult};
use unicode_normalization::UnicodeNormalization;

pub const NICKNAME_MAX: usize = 60;
pub const CASE_REFERENCE_MAX: usize = 40;
pub const NOTE_TEXT_MAX: usize = 20_000;
pub const AMENDMENT_MAX: usize = 5_000;
pub const FOLLOW_UP_MAX: usize = 500;
pub const JOURNAL_REFERENCE_MAX: usize = 60;
pub const SEARCH_QUERY_MAX: usize = 200;

/// How a field may look.
#[derive(Clone, Copy)]
pub struct Rule {
    pub field: &'static str,
    pub max: usize,
    /// Multi-line fields (note text) keep newlines and tabs.
    pub multiline: bool,
    pub allow_empty: bool,
    pub too_long: &'static str,
}

/// Trims, normalises to NFC (so "å" typed two ways is stored one way) and checks `rule`.
pub fn clean(rule: Rule, value: &str) -> CoreResult<String> {
    let value: String = value.trim().nfc().collect();
    if value.is_empty() && !rule.allow_empty {
        return Err(CoreError::invalid(rule.field, "empty"));
    }
    if value.chars().count() > rule.max {
        return Err(CoreError::invalid(rule.field, rule.too_long));
    }
    let bad = |c: char| c.is_control() && !(rule.multiline && (c == '\n' || c == '\t' || c == '\r'));
    if value.chars().any(bad) {
        return Err(CoreError::invalid(rule.field, "contains control characters"));
    }
    Ok(value)
}

pub const NICKNAME: Rule = Rule {
    field: "nickname",
    max: NICKNAME_MAX,
    multiline: false,
    allow_empty: false,
    too_long: "too long (at most 60 characters)",
};
pub const CASE_REFERENCE: Rule = Rule {
    field: "case_reference",
    max: CASE_REFERENCE_MAX,
    multiline: false,
    allow_empty: false,
    too_long: "too long (at most 40 characters)",
};
pub const NOTE_TEXT: Rule = Rule {
    field: "text",
    max: NOTE_TEXT_MAX,
    multiline: true,
    allow_empty: true,
    too_long: "too long (at most 20000 characters)",
};
pub const AMENDMENT: Rule = Rule {
    field: "text",
    max: AMENDMENT_MAX,
    multiline: true,
    allow_empty: false,
    too_long: "too long (at most 5000 characters)",
};
pub const FOLLOW_UP: Rule = Rule {
    field: "text",
    max: FOLLOW_UP_MAX,
    multiline: false,
    allow_empty: false,
    too_long: "too long (at most 500 characters)",
};
pub const JOURNAL_REFERENCE: Rule = Rule {
    field: "journal_reference",
    max: JOURNAL_REFERENCE_MAX,
    multiline: false,
    allow_empty: false,
    too_long: "too long (at most 60 characters)",
};
pub const SEARCH_QUERY: Rule = Rule {
    field: "query",
    max: SEARCH_QUERY_MAX,
    multiline: false,
    allow_empty: false,
    too_long: "too long (at most 200 characters)",
};

/// The form text is compared in for search: compatibility-normalised and lower-cased,
/// so "ÆRØ" finds "ærø" and a decomposed "å" finds a composed one.
pub fn fold(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    fold_into(text.as_bytes(), &mut out);
    // fold_into only ever writes whole UTF-8 sequences.
    String::from_utf8(out).unwrap_or_default()
}

/// [`fold`] of UTF-8 bytes into a buffer the caller reuses; false (and nothing useful in
/// `out`) when `text` is not UTF-8. Searching folds every note, so this is the hot loop:
/// text made of ASCII, Latin-1 letters (æ ø å é ü ...) and common dashes and quotes is
/// already in NFKC and is lower-cased byte by byte, without a separate UTF-8 validation
/// pass; anything else takes the full Unicode path.
pub fn fold_into(text: &[u8], out: &mut Vec<u8>) -> bool {
    out.clear();
    let mut i = 0;
    while i < text.len() {
        // A run of ASCII, lower-cased in one vectorisable pass.
        let run = text[i..].iter().position(|b| *b >= 0x80).unwrap_or(text.len() - i);
        out.extend(text[i..i + run].iter().map(u8::to_ascii_lowercase));
        i += run;
        if i >= text.len() {
            break;
        }
        match text[i..] {
            // U+00C0..=U+00DE (À..Þ, not ×): lower case is 0x20 higher in the second byte.
            [0xc3, b, ..] if (0x80..=0x9e).contains(&b) && b != 0x97 => {
                out.extend_from_slice(&[0xc3, b + 0x20]);
                i += 2;
            }
            // U+00D7 ×, U+00DF..=U+00FF (ß..ÿ): already lower case and in NFKC.
            [0xc3, b, ..] if (0x97..=0xbf).contains(&b) => {
                out.extend_from_slice(&[0xc3, b]);
                i += 2;
            }
            // U+2010..=U+2022: dashes, quotes, bullet.
            [0xe2, 0x80, b, ..] if (0x90..=0xa2).contains(&b) => {
                out.extend_from_slice(&[0xe2, 0x80, b]);
                i += 3;
            }
            _ => {
                out.clear();
                let Ok(text) = std::str::from_utf8(text) else {
                    return false;
                };
                out.extend_from_slice(text.nfkc().collect::<String>().to_lowercase().as_bytes());
                return true;
            }
        }
    }
    true
}

/// Sort key for names in Danish alphabetical order: æ, ø, å come after z, in that order.
pub fn danish_sort_key(text: &str) -> String {
    fold(text)
        .chars()
        .map(|c| match c {
            'æ' | 'ä' => '\u{e001}',
            'ø' | 'ö' => '\u{e002}',
            'å' => '\u{e003}',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_handles_danish_letters() {
        assert_eq!(fold("ÆRØ"), "ærø");
        assert_eq!(fold("Åben"), fold("a\u{30a}ben"));
        assert!(fold("Mødte Ærøskøbing-Åge i Café").contains(&fold("ÆRØSKØBING")));
    }

    #[test]
    fn fold_fast_and_slow_paths_agree() {
        for s in
            ["ÆRØ", "Ærø", "ﬁle", "Å", "A\u{30a}", "½ kop", "ǅemal", "İstanbul", "ΣΑΣ", "ÀÉÎÕÜÝÞß ×÷ “x” – …", "Straße"]
        {
            let slow: String = s.nfkc().collect::<String>().to_lowercase();
            assert_eq!(fold(s), slow, "{s}");
        }
    }

    #[test]
    fn fold_rejects_invalid_utf8() {
        let mut out = Vec::new();
        assert!(!fold_into(b"abc\xc3", &mut out));
        assert!(!fold_into(b"\xff\xfe", &mut out));
        assert!(fold_into("ÆØÅ æøå".as_bytes(), &mut out));
        assert_eq!(out, "æøå æøå".as_bytes());
    }

    proptest::proptest! {
        #[test]
        fn fold_fast_path_equals_full_unicode_path(s in "[a-zA-Z0-9 .,ÀÆØÅæøåÉéÜüßÞþ×÷–—‘’“”•…½ﬁΣσ\u{30a}]{0,40}") {
            let slow = s.nfkc().collect::<String>().to_lowercase();
            proptest::prop_assert_eq!(fold(&s), slow);
        }
    }

    #[test]
    fn danish_order() {
        let mut names = vec!["Åse", "Ørn", "Zenia", "Æble", "anna"];
        names.sort_by_key(|n| danish_sort_key(n));
        assert_eq!(names, vec!["anna", "Zenia", "Æble", "Ørn", "Åse"]);
    }

    #[test]
    fn clean_checks_and_normalises() {
        assert_eq!(clean(NICKNAME, "  Ole  ").unwrap(), "Ole");
        assert_eq!(clean(NICKNAME, "a\u{30a}ge").unwrap(), "åge");
        assert!(matches!(clean(NICKNAME, "   "), Err(CoreError::InvalidInput { field: "nickname", reason: "empty" })));
        assert!(clean(NICKNAME, &"x".repeat(60)).is_ok());
        assert!(clean(NICKNAME, &"x".repeat(61)).is_err());
        assert!(clean(NICKNAME, &"æ".repeat(60)).is_ok(), "limits count characters, not bytes");
        assert!(clean(NICKNAME, "a\nb").is_err());
        assert_eq!(clean(NOTE_TEXT, "line 1\nline 2").unwrap(), "line 1\nline 2");
        assert!(clean(NOTE_TEXT, "bell\u{7}").is_err());
    }
}
