//! Bilingual text: every message a user reads exists in Vietnamese (first) and English.

use serde::{Deserialize, Serialize};

/// A user-facing message in Vietnamese and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    /// Vietnamese, the default language of every screen and report.
    pub vi: String,
    /// English.
    pub en: String,
}

impl Text {
    /// Builds a message from its two translations.
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self { vi: vi.into(), en: en.into() }
    }

    /// The message in the requested language.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }
}

impl std::fmt::Display for Text {
    /// "Vietnamese / English", the form used in logs read by people and on the command line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} / {}", self.vi, self.en)
    }
}

/// A display language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Tiếng Việt (default).
    #[default]
    Vi,
    /// English.
    En,
}

/// Folds text for search: lower case, Vietnamese diacritics removed, `đ` → `d`, so
/// "nguyen van an" finds "Nguyễn Văn An". The app and the registry both search with it.
pub fn search_key(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_key_ignores_diacritics_and_case() {
        assert_eq!(search_key("Nguyễn Văn An"), "nguyen van an");
        assert_eq!(search_key("ĐẶNG THỊ HỒNG"), "dang thi hong");
        assert_eq!(search_key("Phước Tân, tổ 5"), "phuoc tan, to 5");
    }
}
