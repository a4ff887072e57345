//! 実績報告の期限: when a grant's 実績報告 (report of results) is due, as a subsidy program's
//! 交付要綱 states it (seed 005 第9条 and the usual 要綱 wording: 「補助事業の完了の日から起算して
//! 30日を経過した日」, 「翌年度の4月10日まで」; issue 17.1).

use super::fields::reader::t;
use super::{FiscalYear, Text};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// How a program sets the due date of its grants' 実績報告.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ReportDue {
    /// The program states none (nothing is due).
    #[default]
    Unset,
    /// A fixed date, e.g. 2024-04-10 for every grant of a FY2023 program.
    On(NaiveDate),
    /// `n` days after the grant's project ends (事業完了日; the fiscal year's last day when the
    /// grant gives none, since a grant's project ends within its year).
    AfterProjectEnd(u32),
    /// `n` days after the program's fiscal year ends (31 March).
    AfterYearEnd(u32),
}

/// Most days a rule may count (a year and a half: no 要綱 gives more).
pub const MAX_DAYS: u32 = 540;

impl ReportDue {
    /// The due date for a grant of a program of fiscal year `fy` whose project ended on
    /// `project_end` (`None`: the end of `fy`); `None` when the program sets none.
    pub fn due(self, fy: FiscalYear, project_end: Option<NaiveDate>) -> Option<NaiveDate> {
        match self {
            ReportDue::Unset => None,
            ReportDue::On(d) => Some(d),
            ReportDue::AfterProjectEnd(n) => project_end
                .or(fy.end())?
                .checked_add_days(Days::new(n.into())),
            ReportDue::AfterYearEnd(n) => fy.end()?.checked_add_days(Days::new(n.into())),
        }
    }

    /// Reads a rule as written in a CSV cell or a form: empty (none), a date (`2024-04-10`,
    /// `R6.4.10`), `完了後30日` / `project+30` (days after the project ends), or `年度末後10日` /
    /// `fy+10` (days after the fiscal year ends). Full-width digits are accepted.
    ///
    /// Errors: anything else, or more than [`MAX_DAYS`] days, with the forms it accepts.
    pub fn parse(s: &str) -> Result<ReportDue, Text> {
        let raw = s.trim();
        let s = crate::text::fold(raw);
        if s.is_empty() {
            return Ok(ReportDue::Unset);
        }
        let days = |rest: &str| -> Option<u32> { rest.trim_end_matches('日').parse::<u32>().ok() };
        let rule = if let Some(n) = s
            .strip_prefix("完了後")
            .or_else(|| s.strip_prefix("project+"))
            .and_then(days)
        {
            Some(ReportDue::AfterProjectEnd(n))
        } else if let Some(n) = s
            .strip_prefix("年度末後")
            .or_else(|| s.strip_prefix("fy+"))
            .and_then(days)
        {
            Some(ReportDue::AfterYearEnd(n))
        } else {
            super::parse_date(raw).ok().map(ReportDue::On)
        };
        match rule {
            Some(ReportDue::AfterProjectEnd(n) | ReportDue::AfterYearEnd(n)) if n > MAX_DAYS => {
                Err(t(
                    format!("日数 {n} が長すぎます({MAX_DAYS}日まで)"),
                    format!("{n} days is too long (at most {MAX_DAYS})"),
                ))
            }
            Some(r) => Ok(r),
            None => Err(t(
                "実績報告の期限は 日付(2024-04-10)、完了後30日、年度末後10日 のどれかで書いてください",
                "give the report due as a date (2024-04-10), project+30 (days after the project ends) or fy+10 (days after the fiscal year ends)",
            )),
        }
    }

    /// The rule as [`ReportDue::parse`] reads it back (Japanese, as the 要綱 says it).
    pub fn write(self) -> String {
        match self {
            ReportDue::Unset => String::new(),
            ReportDue::On(d) => d.to_string(),
            ReportDue::AfterProjectEnd(n) => format!("完了後{n}日"),
            ReportDue::AfterYearEnd(n) => format!("年度末後{n}日"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn each_rule_gives_its_date_and_reads_back() {
        let fy = FiscalYear(2023);
        for (s, end, want) in [
            ("2024-04-10", None, Some("2024-04-10")),
            ("完了後30日", Some("2024-02-29"), Some("2024-03-30")),
            ("project+30", None, Some("2024-04-30")),
            ("年度末後10日", None, Some("2024-04-10")),
            ("ｆｙ＋１０", None, Some("2024-04-10")),
            ("", None, None),
        ] {
            let r = ReportDue::parse(s).unwrap();
            assert_eq!(r.due(fy, end.map(d)), want.map(d), "{s}");
            assert_eq!(ReportDue::parse(&r.write()).unwrap(), r, "{s}");
        }
    }

    #[test]
    fn a_bad_rule_says_what_is_accepted() {
        for s in ["完了後", "30日", "fy+9999", "next april"] {
            let e = ReportDue::parse(s).unwrap_err();
            assert!(!e.ja.is_empty() && !e.en.is_empty(), "{s}");
        }
    }
}
