//! The user's language (表示言語): Japanese or English, chosen once from the environment and
//! passed everywhere a text is shown. The lowest layer that needs it (domain texts and labels);
//! the message table itself is [`crate::i18n`].

/// UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// 日本語.
    Ja,
    /// English.
    En,
}

impl Lang {
    /// Picks the language from `KYODO_LANG`, else the locale (the first set of `LC_ALL`,
    /// `LC_MESSAGES`, `LANG`, as POSIX orders them), else English.
    pub fn from_env() -> Lang {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()));
        Lang::from_values(
            std::env::var("KYODO_LANG").ok().as_deref(),
            locale.as_deref(),
        )
    }

    /// The rule behind [`Lang::from_env`], on given values (testable without the environment).
    pub fn from_values(kyodo_lang: Option<&str>, lang: Option<&str>) -> Lang {
        let pick = |v: &str| {
            if v.to_ascii_lowercase().starts_with("ja") {
                Lang::Ja
            } else {
                Lang::En
            }
        };
        match (
            kyodo_lang.filter(|v| !v.is_empty()),
            lang.filter(|v| !v.is_empty()),
        ) {
            (Some(k), _) => pick(k),
            (None, Some(l)) => pick(l),
            (None, None) => Lang::En,
        }
    }

    /// A fiscal year's label: 令和4年度 / FY2022.
    pub fn fy(self, fy: super::FiscalYear) -> String {
        match self {
            Lang::Ja => fy.ja_label(),
            Lang::En => fy.en_label(),
        }
    }

    /// A fiscal year in a column's few cells: the era's initial and year in Japanese (`R6`,
    /// `H27`, `R1`), the year in English (`2024`).
    pub fn fy_short(self, fy: super::FiscalYear) -> String {
        match self {
            Lang::Ja => match fy.era() {
                Some((era, y)) => format!("{}{y}", era.letter()),
                None => fy.0.to_string(),
            },
            Lang::En => fy.0.to_string(),
        }
    }

    /// Yen with separators: 1,500,000円 / ¥1,500,000.
    pub fn yen(self, yen: i64) -> String {
        match self {
            Lang::Ja => super::money::yen_ja(yen),
            Lang::En => super::money::yen_en(yen),
        }
    }

    /// A date in lists: `2024/04/01` / `2024-04-01`.
    pub fn date(self, d: chrono::NaiveDate) -> String {
        match self {
            Lang::Ja => d.format("%Y/%m/%d").to_string(),
            Lang::En => d.format("%Y-%m-%d").to_string(),
        }
    }
}
