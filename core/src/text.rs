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
    let bad =
        |c: char| c.is_control() && !(rule.multiline && (c == '\n' || c == '\t' || c == '\r'));
    if value.chars().any(bad) {
        return Err(CoreError::invalid(
            rule.field,
            "contains control characters",
        ));
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
    text.nfkc().flat_map(char::to_lowercase).collect()
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
    fn danish_order() {
        let mut names = vec!["Åse", "Ørn", "Zenia", "Æble", "anna"];
        names.sort_by_key(|n| danish_sort_key(n));
        assert_eq!(names, vec!["anna", "Zenia", "Æble", "Ørn", "Åse"]);
    }

    #[test]
    fn clean_checks_and_normalises() {
        assert_eq!(clean(NICKNAME, "  Ole  ").unwrap(), "Ole");
        assert_eq!(clean(NICKNAME, "a\u{30a}ge").unwrap(), "åge");
        assert!(matches!(
            clean(NICKNAME, "   "),
            Err(CoreError::InvalidInput {
                field: "nickname",
                reason: "empty"
            })
        ));
        assert!(clean(NICKNAME, &"x".repeat(60)).is_ok());
        assert!(clean(NICKNAME, &"x".repeat(61)).is_err());
        assert!(
            clean(NICKNAME, &"æ".repeat(60)).is_ok(),
            "limits count characters, not bytes"
        );
        assert!(clean(NICKNAME, "a\nb").is_err());
        assert_eq!(
            clean(NOTE_TEXT, "line 1\nline 2").unwrap(),
            "line 1\nline 2"
        );
        assert!(clean(NOTE_TEXT, "bell\u{7}").is_err());
    }
}
