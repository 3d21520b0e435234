//! Everything about texting citizens: phone numbers, encoding and segments, the
//! discretion lint, and templates.

pub mod gsm;
pub mod language;
pub mod lint;
pub mod phone;
pub mod template;

pub use language::SmsLanguage;

/// What the worker sees before a text goes out (`sms check` in the CLI).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextCheck {
    pub normalized: String,
    pub encoding: gsm::Encoding,
    pub units: usize,
    pub segments: usize,
    pub flags: Vec<lint::Flag>,
}

/// Texts longer than this are refused unless the worker overrides that one message.
pub const MAX_SEGMENTS: usize = 3;

impl TextCheck {
    /// Whether the text may go out without the worker's explicit override.
    pub fn acceptable(&self) -> bool {
        self.flags.is_empty() && self.segments <= MAX_SEGMENTS
    }
}

/// Normalises, measures and lints a text.
pub fn check(text: &str) -> TextCheck {
    let normalized = gsm::normalize(text);
    let m = gsm::measure(&normalized);
    let flags = lint::lint(&normalized);
    TextCheck { normalized, encoding: m.encoding, units: m.units, segments: m.segments, flags }
}
