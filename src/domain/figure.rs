//! Exact decimal figures for indicator values (e.g. 3.77 回/年, 62.5 %), stored as hundredths.

use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

/// A decimal with two fixed places, stored as an integer number of hundredths
/// (`Figure(377)` = 3.77). Indicator values never go through floats in storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Figure(pub i64);

/// Why a figure could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("'{0}' is not a number with at most two decimals (e.g. 125, 3.77, 62.5)")]
pub struct FigureParseError(pub String);

impl FigureParseError {
    /// Both wordings.
    pub fn text(&self) -> super::Text {
        super::Text::new(
            format!(
                "「{}」は数値として読めません。125、3.77、62.5 のように小数第2位までで入力してください",
                self.0
            ),
            self.to_string(),
        )
    }
}

impl Figure {
    /// A whole number.
    pub fn whole(n: i64) -> Figure {
        Figure(n * 100)
    }

    /// As a float, for ratios and gauges only (never stored).
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// Whether the figure has no fractional part.
    pub fn is_whole(self) -> bool {
        self.0 % 100 == 0
    }

    /// Parses `125`, `3.77`, `62.5`, `7,033`, full-width digits.
    ///
    /// Errors: [`FigureParseError`] for anything else, including more than two decimals.
    pub fn parse(input: &str) -> Result<Figure, FigureParseError> {
        let s: String = super::date_parse::normalize_width(input)
            .chars()
            .filter(|c| *c != ',')
            .collect();
        let err = || FigureParseError(input.trim().to_string());
        let (neg, s) = match s.strip_prefix('-') {
            Some(r) => (true, r.to_string()),
            None => (false, s),
        };
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i.to_string(), f.to_string()),
            None => (s.clone(), String::new()),
        };
        let digits = |t: &str| t.chars().all(|c| c.is_ascii_digit());
        if int.is_empty() || !digits(&int) || !digits(&frac) || frac.len() > 2 {
            return Err(err());
        }
        let i: i64 = int.parse().map_err(|_| err())?;
        let f: i64 = format!("{frac:0<2}").parse().map_err(|_| err())?;
        let v = i
            .checked_mul(100)
            .and_then(|x| x.checked_add(f))
            .ok_or_else(err)?;
        Ok(Figure(if neg { -v } else { v }))
    }
}

impl Figure {
    /// As [`Display`](fmt::Display), the whole part with thousands separators, as the seeds
    /// and the screens write figures: `7,033`, `3.77`, `12,345.5` (seed 003 第3章 指標表).
    pub fn grouped(self) -> String {
        let plain = self.to_string();
        let (int, frac) = plain.split_once('.').unwrap_or((&plain, ""));
        let whole: i64 = int.trim_start_matches('-').parse().unwrap_or(0);
        let sign = if self.0 < 0 { "-" } else { "" };
        let grouped = super::money::group_digits(whole);
        if frac.is_empty() {
            format!("{sign}{grouped}")
        } else {
            format!("{sign}{grouped}.{frac}")
        }
    }
}

impl fmt::Display for Figure {
    /// `125`, `3.77`, `62.5` — trailing zeros of the fraction dropped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        let (i, frac) = (a / 100, a % 100);
        if frac == 0 {
            write!(f, "{sign}{i}")
        } else if frac % 10 == 0 {
            write!(f, "{sign}{i}.{}", frac / 10)
        } else {
            write!(f, "{sign}{i}.{frac:02}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouped_keeps_the_fraction_and_the_sign() {
        assert_eq!(Figure(703_300).grouped(), "7,033");
        assert_eq!(Figure(377).grouped(), "3.77");
        assert_eq!(Figure(1_234_550).grouped(), "12,345.5");
        assert_eq!(Figure(-123_456_700).grouped(), "-1,234,567");
        assert_eq!(Figure(-50).grouped(), "-0.5");
    }

    #[test]
    fn parse_and_show() {
        assert_eq!(Figure::parse("3.77"), Ok(Figure(377)));
        assert_eq!(Figure::parse("62.5"), Ok(Figure(6250)));
        assert_eq!(Figure::parse("7,033"), Ok(Figure(703300)));
        assert_eq!(Figure::parse("１２５"), Ok(Figure(12500)));
        assert!(Figure::parse("1.234").is_err());
        assert!(Figure::parse("x").is_err());
        assert_eq!(Figure(377).to_string(), "3.77");
        assert_eq!(Figure(6250).to_string(), "62.5");
        assert_eq!(Figure(12500).to_string(), "125");
        assert_eq!(Figure(5).to_string(), "0.05");
    }
}
