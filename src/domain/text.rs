//! A user-facing message in both languages. Rules produce these, so a form shows the message in
//! the UI's language; `Display` gives the English one (logs, the CLI's default).

use std::fmt;

/// A message in Japanese and English.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Text {
    /// Japanese.
    pub ja: String,
    /// English.
    pub en: String,
}

impl Text {
    /// A message from its two wordings.
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            ja: ja.into(),
            en: en.into(),
        }
    }

    /// The wording for `lang`.
    pub fn get(&self, lang: crate::domain::lang::Lang) -> &str {
        match lang {
            crate::domain::lang::Lang::Ja => &self.ja,
            crate::domain::lang::Lang::En => &self.en,
        }
    }

    /// Both wordings with a prefix (e.g. the CLI flag or a line number).
    pub fn prefixed(&self, p: &str) -> Text {
        Text::new(format!("{p}{}", self.ja), format!("{p}{}", self.en))
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

impl std::error::Error for Text {}
