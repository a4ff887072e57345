//! 年度 (fiscal year, April–March) and 和暦 (Japanese era) labels.
//!
//! Rules from docs/DOMAIN.md, "Fiscal year": a fiscal year is named by the calendar year in which it
//! starts (`FiscalYear(2024)` = 2024-04-01..=2025-03-31 = 令和6年度). It takes the era in force on
//! its April 1, except FY2019, which official usage writes 令和元年度; year 1 of an era is 元.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// 年度: a Japanese fiscal year, April 1 to March 31, named by the year it starts.
///
/// `FiscalYear(2022)` covers 2022-04-01..=2023-03-31 and is labelled 令和4年度 / FY2022.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FiscalYear(pub i32);

impl FiscalYear {
    /// The fiscal year that contains `date` (dates January–March belong to the previous year's FY).
    pub fn of(date: NaiveDate) -> FiscalYear {
        if date.month() >= 4 {
            FiscalYear(date.year())
        } else {
            FiscalYear(date.year() - 1)
        }
    }

    /// First day, April 1. Returns `None` only for years outside chrono's range.
    pub fn start(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.0, 4, 1)
    }

    /// Last day, March 31 of the following calendar year.
    pub fn end(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.0 + 1, 3, 31)
    }

    /// Whether `date` falls in this fiscal year.
    pub fn contains(self, date: NaiveDate) -> bool {
        FiscalYear::of(date) == self
    }

    /// Next fiscal year.
    pub fn next(self) -> FiscalYear {
        FiscalYear(self.0 + 1)
    }

    /// Previous fiscal year.
    pub fn prev(self) -> FiscalYear {
        FiscalYear(self.0 - 1)
    }

    /// 0-based month slot within the fiscal year: April = 0 … March = 11.
    pub fn month_slot(date: NaiveDate) -> usize {
        ((date.month() + 8) % 12) as usize
    }

    /// Calendar month (1–12) of a 0-based fiscal month slot (0 = April).
    pub fn slot_month(slot: usize) -> u32 {
        ((slot as u32 + 3) % 12) + 1
    }

    /// Japanese label with the era, e.g. `令和6年度`, `令和元年度`, `平成30年度`.
    pub fn ja_label(self) -> String {
        match self.era() {
            Some((era, y)) => format!("{}{}年度", era.ja(), era_year(y)),
            None => format!("{}年度", self.0),
        }
    }

    /// The era and era year the year is named by: the era of its 1 April, except FY2019, which
    /// is 令和元年度 (the era changed on 1 May 2019). `None` before 昭和.
    pub fn era(self) -> Option<(Era, i32)> {
        if self.0 == 2019 {
            return Some((Era::Reiwa, 1));
        }
        Era::of(self.start()?)
    }

    /// English label, e.g. `FY2024`.
    pub fn en_label(self) -> String {
        format!("FY{}", self.0)
    }
}

impl fmt::Display for FiscalYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FY{}", self.0)
    }
}

/// Writes an era year, using 元 for year 1 (official usage).
pub fn era_year(y: i32) -> String {
    if y == 1 {
        "元".to_string()
    } else {
        y.to_string()
    }
}

/// 元号: the eras kyodo reads and writes (Showa onwards; earlier dates are written in 西暦).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Era {
    /// 昭和, 1926-12-25 to 1989-01-07.
    Showa,
    /// 平成, 1989-01-08 to 2019-04-30.
    Heisei,
    /// 令和, from 2019-05-01.
    Reiwa,
}

impl Era {
    /// All eras, oldest first.
    pub const ALL: [Era; 3] = [Era::Showa, Era::Heisei, Era::Reiwa];

    /// First day of the era.
    pub fn first_day(self) -> NaiveDate {
        let (y, m, d) = match self {
            Era::Showa => (1926, 12, 25),
            Era::Heisei => (1989, 1, 8),
            Era::Reiwa => (2019, 5, 1),
        };
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }

    /// Last day of the era, `None` for the current one.
    pub fn last_day(self) -> Option<NaiveDate> {
        match self {
            Era::Showa => NaiveDate::from_ymd_opt(1989, 1, 7),
            Era::Heisei => NaiveDate::from_ymd_opt(2019, 4, 30),
            Era::Reiwa => None,
        }
    }

    /// Japanese name (令和).
    pub fn ja(self) -> &'static str {
        match self {
            Era::Showa => "昭和",
            Era::Heisei => "平成",
            Era::Reiwa => "令和",
        }
    }

    /// One-letter abbreviation used in forms (R6.4.1).
    pub fn letter(self) -> char {
        match self {
            Era::Showa => 'S',
            Era::Heisei => 'H',
            Era::Reiwa => 'R',
        }
    }

    /// Gregorian year of the era's year 1.
    pub fn base_year(self) -> i32 {
        use chrono::Datelike;
        self.first_day().year()
    }

    /// The era in force on `date` and the era year, or `None` before 昭和.
    pub fn of(date: NaiveDate) -> Option<(Era, i32)> {
        Era::ALL
            .iter()
            .rev()
            .find(|e| date >= e.first_day())
            .map(|e| (*e, date.year() - e.base_year() + 1))
    }
}

/// Formats a date in Japanese with its era, e.g. `令和6年4月1日`.
pub fn ja_date(date: NaiveDate) -> String {
    match Era::of(date) {
        Some((era, y)) => format!(
            "{}{}年{}月{}日",
            era.ja(),
            era_year(y),
            date.month(),
            date.day()
        ),
        None => date.format("%Y年%-m月%-d日").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn fiscal_year_boundaries() {
        assert_eq!(FiscalYear::of(d(2024, 4, 1)), FiscalYear(2024));
        assert_eq!(FiscalYear::of(d(2025, 3, 31)), FiscalYear(2024));
        assert_eq!(FiscalYear::of(d(2024, 3, 31)), FiscalYear(2023));
        assert_eq!(FiscalYear(2024).start(), Some(d(2024, 4, 1)));
        assert_eq!(FiscalYear(2024).end(), Some(d(2025, 3, 31)));
        assert_eq!(FiscalYear::month_slot(d(2024, 4, 10)), 0);
        assert_eq!(FiscalYear::month_slot(d(2025, 3, 10)), 11);
        assert_eq!(FiscalYear::slot_month(0), 4);
        assert_eq!(FiscalYear::slot_month(9), 1);
    }

    #[test]
    fn wareki_labels() {
        assert_eq!(FiscalYear(2024).ja_label(), "令和6年度");
        assert_eq!(FiscalYear(2022).ja_label(), "令和4年度");
        assert_eq!(FiscalYear(2019).ja_label(), "令和元年度");
        assert_eq!(FiscalYear(2020).ja_label(), "令和2年度");
        assert_eq!(FiscalYear(2018).ja_label(), "平成30年度");
        assert_eq!(FiscalYear(1989).ja_label(), "平成元年度");
        assert_eq!(FiscalYear(1988).ja_label(), "昭和63年度");
        assert_eq!(FiscalYear(2028).en_label(), "FY2028");
    }

    #[test]
    fn era_dates() {
        assert_eq!(ja_date(d(2019, 4, 30)), "平成31年4月30日");
        assert_eq!(ja_date(d(2019, 5, 1)), "令和元年5月1日");
        assert_eq!(ja_date(d(2024, 4, 1)), "令和6年4月1日");
        assert_eq!(ja_date(d(1989, 1, 7)), "昭和64年1月7日");
        assert_eq!(ja_date(d(1989, 1, 8)), "平成元年1月8日");
    }

    proptest::proptest! {
        #[test]
        fn every_date_is_in_exactly_its_fiscal_year(days in 0i64..40_000) {
            let date = d(1950, 1, 1) + chrono::Duration::days(days);
            let fy = FiscalYear::of(date);
            proptest::prop_assert!(fy.start().unwrap() <= date && date <= fy.end().unwrap());
            proptest::prop_assert!(!fy.next().contains(date) && !fy.prev().contains(date));
        }
    }
}

/// Reads a fiscal year as typed: `2022`, `FY2022`, `令和4年度`, `R4`, `令和元年度`, `H30年度`,
/// full-width digits.
///
/// Errors: a message (both languages) naming the accepted forms.
pub fn parse_fiscal_year(input: &str) -> Result<FiscalYear, super::Text> {
    let s = super::date_parse::normalize_width(input);
    let err = || {
        super::Text::new(
            format!(
                "「{}」は年度として読めません。2024、FY2024、R6、令和6年度 のように入力してください",
                input.trim()
            ),
            format!(
                "'{}' is not a fiscal year; type 2024, FY2024, R6 or 令和6年度",
                input.trim()
            ),
        )
    };
    let s = s.trim_end_matches("年度").trim();
    let upper = s.to_ascii_uppercase();
    if let Some(rest) = upper.strip_prefix("FY") {
        return rest.trim().parse().map(FiscalYear).map_err(|_| err());
    }
    for e in Era::ALL {
        let rest = s.strip_prefix(e.ja()).or_else(|| {
            s.strip_prefix(e.letter())
                .or_else(|| s.strip_prefix(e.letter().to_ascii_lowercase()))
        });
        if let Some(rest) = rest {
            let y: i32 = if rest == "元" {
                1
            } else {
                rest.parse().map_err(|_| err())?
            };
            if y < 1 {
                return Err(err());
            }
            return Ok(FiscalYear(e.base_year() + y - 1));
        }
    }
    match s.parse::<i32>() {
        Ok(y) if (1900..=2200).contains(&y) => Ok(FiscalYear(y)),
        _ => Err(err()),
    }
}

#[cfg(test)]
mod parse_fy_tests {
    use super::*;

    #[test]
    fn fiscal_year_forms() {
        for s in [
            "2022",
            "FY2022",
            "fy2022",
            "令和4年度",
            "R4",
            "令和４年度",
            "Ｒ４",
        ] {
            assert_eq!(parse_fiscal_year(s), Ok(FiscalYear(2022)), "{s}");
        }
        assert_eq!(parse_fiscal_year("令和元年度"), Ok(FiscalYear(2019)));
        assert_eq!(parse_fiscal_year("H30年度"), Ok(FiscalYear(2018)));
        assert!(parse_fiscal_year("next").is_err());
        assert!(parse_fiscal_year("22").is_err());
    }
}
