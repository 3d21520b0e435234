//! The language a citizen's texts are written in.

use serde::{Deserialize, Serialize};

/// Danish by default; English for citizens who prefer it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmsLanguage {
    #[default]
    Da,
    En,
}

impl SmsLanguage {
    /// The stable code (`da`, `en`), as stored and as the CLI spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            SmsLanguage::Da => "da",
            SmsLanguage::En => "en",
        }
    }
}
