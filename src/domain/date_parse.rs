//! Date input as people type it in a Japanese office (docs/DOMAIN.md, "Dates in input"):
//! ISO `2024-04-01`, `2024/4/1`, `2024.4.1`, `2024年4月1日`, era forms `R6.4.1`, `R6/4/1`,
//! `令和6年4月1日`, `令和元年5月1日`, `H31.4.1`, and full-width digits and punctuation.

use super::fiscal_year::Era;
use chrono::NaiveDate;
use thiserror::Error;

/// Why a date could not be read. The message says what was wrong and which forms are accepted.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DateParseError {
    /// Nothing was typed.
    #[error("date is empty; type it as 2024-04-01, 2024/4/1, R6.4.1 or 令和6年4月1日")]
    Empty,
    /// The text matches none of the accepted forms.
    #[error("'{0}' is not a date; type it as 2024-04-01, 2024/4/1, R6.4.1 or 令和6年4月1日")]
    Unrecognised(String),
    /// The parts are well-formed but name no real day (e.g. 2023-02-29).
    #[error("'{0}' is not a day in the calendar (check the month and day)")]
    NoSuchDay(String),
    /// An era year outside that era (e.g. 平成32年, or 平成31年5月1日 after the era ended).
    #[error(
        "'{input}' is outside the {era} era ({range}); write it in the era in force on that day"
    )]
    OutsideEra {
        /// What was typed.
        input: String,
        /// The era named, in Japanese.
        era: &'static str,
        /// The era's span, e.g. `1989-01-08..2019-04-30`.
        range: String,
    },
}

impl DateParseError {
    /// The message in Japanese.
    pub fn ja(&self) -> String {
        match self {
            DateParseError::Empty => {
                "日付が空です。2024-04-01、2024/4/1、R6.4.1、令和6年4月1日 のように入力してください"
                    .into()
            }
            DateParseError::Unrecognised(s) => format!(
                "「{s}」は日付として読めません。2024-04-01、2024/4/1、R6.4.1、令和6年4月1日 のように入力してください"
            ),
            DateParseError::NoSuchDay(s) => {
                format!("「{s}」という日はありません(月と日を確認してください)")
            }
            DateParseError::OutsideEra { input, era, range } => {
                format!("「{input}」は{era}の期間({range})の外です。その日の元号で入力してください")
            }
        }
    }

    /// Both wordings.
    pub fn text(&self) -> super::Text {
        super::Text::new(self.ja(), self.to_string())
    }
}

/// Replaces full-width digits, letters and date punctuation with their ASCII forms and trims.
pub fn normalize_width(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '／' | '－' | '．' | '，' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            '　' => ' ',
            'ー' | '―' | '‐' | '−' => '-',
            _ => c,
        })
        .collect()
}

/// Parses a date in any accepted form.
///
/// Errors: [`DateParseError`] naming what was wrong; never panics on any input.
pub fn parse_date(input: &str) -> Result<NaiveDate, DateParseError> {
    let s = normalize_width(input);
    if s.is_empty() {
        return Err(DateParseError::Empty);
    }
    let unrecognised = || DateParseError::Unrecognised(input.trim().to_string());
    // Era prefix: kanji name or one letter.
    let mut era = None;
    let mut rest = s.as_str();
    for e in Era::ALL {
        if let Some(r) = rest.strip_prefix(e.ja()) {
            era = Some(e);
            rest = r;
            break;
        }
        let first = rest.chars().next().map(|c| c.to_ascii_uppercase());
        if first == Some(e.letter()) {
            era = Some(e);
            rest = &rest[1..];
            break;
        }
    }
    let nums = split_numbers(rest).ok_or_else(unrecognised)?;
    let [y, m, d] = nums;
    match era {
        None => {
            if !(1000..=9999).contains(&y) {
                return Err(unrecognised());
            }
            NaiveDate::from_ymd_opt(y, m as u32, d as u32)
                .ok_or_else(|| DateParseError::NoSuchDay(input.trim().to_string()))
        }
        Some(e) => {
            let year = e.base_year() + y - 1;
            let date = NaiveDate::from_ymd_opt(year, m as u32, d as u32)
                .ok_or_else(|| DateParseError::NoSuchDay(input.trim().to_string()))?;
            let after_end = e.last_day().is_some_and(|l| date > l);
            if y < 1 || date < e.first_day() || after_end {
                let range = match e.last_day() {
                    Some(l) => format!("{}..{}", e.first_day(), l),
                    None => format!("from {}", e.first_day()),
                };
                return Err(DateParseError::OutsideEra {
                    input: input.trim().to_string(),
                    era: e.ja(),
                    range,
                });
            }
            Ok(date)
        }
    }
}

/// Parses a date in any accepted form, or a month and day alone (`1/10`, `1-10`, `1月10日`),
/// which is the day of that month nearest `today` (a follow-up due `1/10` typed in December is
/// next January's; a meeting on `12/1` typed on 2 December is this year's). For what people type
/// in forms; files always carry the year.
///
/// Errors: as [`parse_date`]; a month/day that names no day (`2/30`) is
/// [`DateParseError::NoSuchDay`].
pub fn parse_date_near(input: &str, today: NaiveDate) -> Result<NaiveDate, DateParseError> {
    use chrono::Datelike;
    let s = normalize_width(input);
    let md = s
        .strip_suffix('日')
        .and_then(|r| r.split_once('月'))
        .or_else(|| s.split_once(['/', '-', '.']))
        .filter(|(m, d)| {
            [m, d]
                .iter()
                .all(|p| (1..=2).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit()))
        });
    let Some((m, d)) = md else {
        return parse_date(input);
    };
    let (m, d): (u32, u32) = match (m.parse(), d.parse()) {
        (Ok(m), Ok(d)) => (m, d),
        _ => return parse_date(input),
    };
    let near = (today.year() - 1..=today.year() + 1)
        .filter_map(|y| NaiveDate::from_ymd_opt(y, m, d))
        .min_by_key(|x| (*x - today).num_days().abs());
    near.ok_or_else(|| DateParseError::NoSuchDay(input.trim().to_string()))
}

/// Splits `6.4.1`, `6/4/1`, `2024-04-01` or `6年4月1日` (with 元 for 1) into three numbers.
fn split_numbers(s: &str) -> Option<[i32; 3]> {
    let s = s.trim();
    let kanji = s.contains('年');
    let mut parts: Vec<String> = Vec::with_capacity(3);
    let mut cur = String::new();
    let mut seps = Vec::new();
    for c in s.chars() {
        match c {
            '0'..='9' => cur.push(c),
            '元' if cur.is_empty() => cur.push('1'),
            '-' | '/' | '.' | '年' | '月' => {
                if cur.is_empty() {
                    return None;
                }
                parts.push(std::mem::take(&mut cur));
                seps.push(c);
            }
            '日' => {}
            ' ' if kanji => {}
            _ => return None,
        }
    }
    if !cur.is_empty() {
        parts.push(cur);
    }
    if parts.len() != 3 {
        return None;
    }
    if kanji && (seps != ['年', '月'] || !s.ends_with('日')) {
        return None;
    }
    if !kanji && (seps[0] != seps[1] || s.ends_with('日')) {
        return None;
    }
    let mut out = [0i32; 3];
    for (o, p) in out.iter_mut().zip(parts) {
        if p.len() > 4 {
            return None;
        }
        *o = p.parse().ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn accepted_forms() {
        let want = d(2024, 4, 1);
        for s in [
            "2024-04-01",
            "2024/4/1",
            "2024.4.1",
            "2024年4月1日",
            "R6.4.1",
            "r6/4/1",
            "R06.04.01",
            "令和6年4月1日",
            "２０２４／４／１",
            "Ｒ６．４．１",
            "令和６年４月１日",
            " 2024-04-01 ",
        ] {
            assert_eq!(parse_date(s), Ok(want), "{s}");
        }
        assert_eq!(parse_date("H31.4.1"), Ok(d(2019, 4, 1)));
        assert_eq!(parse_date("平成31年4月30日"), Ok(d(2019, 4, 30)));
        assert_eq!(parse_date("令和元年5月1日"), Ok(d(2019, 5, 1)));
        assert_eq!(parse_date("R1.5.1"), Ok(d(2019, 5, 1)));
        assert_eq!(parse_date("S64.1.7"), Ok(d(1989, 1, 7)));
    }

    #[test]
    fn refused_forms_say_why() {
        assert_eq!(parse_date(""), Err(DateParseError::Empty));
        assert!(matches!(
            parse_date("2023-02-29"),
            Err(DateParseError::NoSuchDay(_))
        ));
        assert!(matches!(
            parse_date("H31.5.1"),
            Err(DateParseError::OutsideEra { era: "平成", .. })
        ));
        assert!(matches!(
            parse_date("R1.4.30"),
            Err(DateParseError::OutsideEra { era: "令和", .. })
        ));
        for s in [
            "tomorrow",
            "2024-4",
            "2024/4-1",
            "24-4-1",
            "令和6年4月1",
            "X6.4.1",
        ] {
            assert!(
                matches!(parse_date(s), Err(DateParseError::Unrecognised(_))),
                "{s}"
            );
        }
        let msg = parse_date("soon").unwrap_err().to_string();
        assert!(
            msg.contains("R6.4.1") && msg.contains("2024-04-01"),
            "{msg}"
        );
    }

    proptest::proptest! {
        #[test]
        fn iso_and_era_forms_round_trip(days in 0i64..30_000) {
            let date = d(1990, 1, 1) + chrono::Duration::days(days);
            proptest::prop_assert_eq!(parse_date(&date.to_string()), Ok(date));
            proptest::prop_assert_eq!(parse_date(&super::super::fiscal_year::ja_date(date)), Ok(date));
        }

        #[test]
        fn never_panics(s in "\\PC{0,20}") {
            let _ = parse_date(&s);
        }
    }

    #[test]
    fn a_month_and_day_alone_is_the_nearest_such_day() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(parse_date_near("1/10", today), Ok(d(2027, 1, 10)));
        assert_eq!(parse_date_near("12/1", today), Ok(d(2026, 12, 1)));
        assert_eq!(parse_date_near("１２月２４日", today), Ok(d(2026, 12, 24)));
        assert_eq!(parse_date_near("6-30", today), Ok(d(2026, 6, 30)));
        assert_eq!(parse_date_near("R8.4.1", today), Ok(d(2026, 4, 1)));
        assert!(matches!(
            parse_date_near("2/30", today),
            Err(DateParseError::NoSuchDay(_))
        ));
        assert!(parse_date_near("13/1", today).is_err());
        assert!(parse_date_near("1/", today).is_err());
    }
}
