//! What a save says and where the record went (issue 14): the confirmation names the record
//! type, its date and its fiscal year, and the list moves to that year with the record selected.

use super::*;
use chrono::NaiveDate;

impl Form {
    /// The saved record's date, if it has one (its `date`, or the day it applies from), read as
    /// the form reads it.
    pub fn saved_date(&self) -> Option<NaiveDate> {
        ["date", "applied_on", "as_of", "from"]
            .iter()
            .map(|k| self.text_of(k))
            .find(|t| !t.is_empty())
            .and_then(|t| parse_date_near(&t, self.ctx.today).ok())
    }

    /// The fiscal year the saved record belongs to: its date's, its `fiscal_year`, or for a
    /// grant or payment the year on screen (its program's); `None` for records of no year
    /// (bodies, staff, indicators).
    pub fn saved_fy(&self) -> Option<FiscalYear> {
        match self.kind {
            FormKind::Grant | FormKind::Disbursement | FormKind::GrantStep => Some(self.ctx.fy),
            FormKind::Body | FormKind::Staff | FormKind::Indicator | FormKind::PlanAction => None,
            _ => self
                .saved_date()
                .map(FiscalYear::of)
                .or_else(|| parse_fiscal_year(&self.text_of("fiscal_year")).ok()),
        }
    }

    /// `保存しました: 相談 令和8年12月2日 (令和8年度)` / `Saved: Consultation 2026-12-02 (FY2026)`.
    pub fn saved_message(&self, lang: Lang) -> String {
        let mut s = format!(
            "{}: {}",
            lang.t(crate::i18n::Msg::Saved),
            self.kind.title(lang)
        );
        if let Some(d) = self.saved_date() {
            s.push(' ');
            s.push_str(&match lang {
                Lang::Ja => ja_date(d),
                Lang::En => d.to_string(),
            });
        }
        if let Some(fy) = self.saved_fy() {
            s.push_str(&format!(" ({})", lang.fy(fy)));
        }
        s
    }
}
