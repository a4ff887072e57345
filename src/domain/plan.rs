//! 協働推進計画 / 事業: the city's collaboration plan and its numbered actions, each under a
//! policy (基本方針), with the leading (◎) and co-operating (○) actors and a status per fiscal
//! year. Ichinoseki's 第3次協働推進計画 (seed 003) has 18 actions for FY2024–FY2028.

use super::FiscalYear;
use crate::vocab;
use serde::{Deserialize, Serialize};

/// Record id of a [`PlanAction`].
pub type PlanActionId = u64;

vocab! {
    /// An action's status in a fiscal year (issue 5, "Plan actions").
    ActionStatus {
        /// 検討.
        Considering = ("considering", "検討", "Considering"),
        /// 実施.
        Implementing = ("implementing", "実施", "Implementing"),
        /// 拡充.
        Expanding = ("expanding", "拡充", "Expanding"),
        /// 新規.
        New = ("new", "新規", "New"),
        /// 継続.
        Continuing = ("continuing", "継続", "Continuing"),
        /// 完了.
        Done = ("done", "完了", "Done"),
    }
}

/// 事業: one numbered action of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanAction {
    /// Record id.
    pub id: PlanActionId,
    /// The plan's name, e.g. `第3次一関市協働推進計画`.
    pub plan: String,
    /// First fiscal year of the plan.
    pub plan_start: FiscalYear,
    /// Last fiscal year of the plan.
    pub plan_end: FiscalYear,
    /// 事業 number within the plan (1…).
    pub number: u32,
    /// 基本方針, e.g. `協働のための人づくり`.
    pub policy: String,
    /// 施策 the action serves, e.g. `市民意識の啓発`.
    pub measure: String,
    /// Title, e.g. `情報発信機能及び体制の強化`.
    pub title: String,
    /// How the plan classes it (拡充 / 新規 / 継続).
    pub kind: ActionStatus,
    /// 先導的に取り組む主体 (◎), e.g. `市`.
    pub lead: String,
    /// 参加、協力する主体 (○), e.g. `市民等、協働体`.
    pub partners: String,
    /// What is done.
    pub description: String,
    /// Status per fiscal year, in year order.
    pub statuses: Vec<(FiscalYear, ActionStatus)>,
}

/// The refusal of a record that names an action its plan does not have (a result, an opinion):
/// what to check, in both languages.
pub fn no_such_action(plan: &str, number: u32) -> super::Text {
    super::Text::new(
        format!("「{plan}」に事業 {number} はありません。計画の名前と事業番号を確かめてください"),
        format!("'{plan}' has no action {number}; check the plan's name and the action's number"),
    )
}

impl ActionStatus {
    /// The term in a column of four cells: the Japanese term (two characters), or an English
    /// abbreviation (`Impl`, `Cons`, `Expd`, `New`, `Cont`, `Done`); the detail says it whole.
    pub fn short(self, lang: super::Lang) -> &'static str {
        match lang {
            super::Lang::Ja => self.ja(),
            super::Lang::En => match self {
                ActionStatus::Considering => "Cons",
                ActionStatus::Implementing => "Impl",
                ActionStatus::Expanding => "Expd",
                ActionStatus::New => "New",
                ActionStatus::Continuing => "Cont",
                ActionStatus::Done => "Done",
            },
        }
    }
}

impl PlanAction {
    /// The status in `fy`, if set.
    pub fn status(&self, fy: FiscalYear) -> Option<ActionStatus> {
        self.statuses
            .iter()
            .find(|(y, _)| *y == fy)
            .map(|(_, s)| *s)
    }
}

/// Reads `2024:実施;2025:検討` (years as 2024, FY2024, R6 or 令和6年度).
///
/// Errors: a message naming the piece that is wrong.
pub fn parse_statuses(s: &str) -> Result<Vec<(FiscalYear, ActionStatus)>, super::Text> {
    let mut out: Vec<(FiscalYear, ActionStatus)> = Vec::new();
    for piece in s
        .split([';', '；', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let bad = || {
            super::Text::new(
                format!(
                    "「{piece}」は「年度:状態」(例 2024:実施、R6:検討) として読めません。状態は {}",
                    ActionStatus::choices()
                ),
                format!(
                    "'{piece}' is not 'year:status' (e.g. 2024:実施, R6:検討); statuses: {}",
                    ActionStatus::choices()
                ),
            )
        };
        let (y, st) = piece.split_once([':', '：']).ok_or_else(bad)?;
        let fy = super::parse_fiscal_year(y).map_err(|_| bad())?;
        let status = ActionStatus::parse(st).ok_or_else(bad)?;
        out.retain(|(f, _)| *f != fy);
        out.push((fy, status));
    }
    out.sort_by_key(|(f, _)| *f);
    Ok(out)
}

/// Writes statuses as `2024:実施;2025:実施`.
pub fn write_statuses(s: &[(FiscalYear, ActionStatus)]) -> String {
    s.iter()
        .map(|(f, st)| format!("{}:{}", f.0, st.ja()))
        .collect::<Vec<_>>()
        .join(";")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_in_any_year_form() {
        let s = parse_statuses("R6:検討; 2025:検討;令和8年度:実施;FY2027:implementing").unwrap();
        assert_eq!(s.len(), 4);
        assert_eq!(s[2], (FiscalYear(2026), ActionStatus::Implementing));
        assert_eq!(
            write_statuses(&s),
            "2024:検討;2025:検討;2026:実施;2027:実施"
        );
        assert!(parse_statuses("2024-実施").is_err());
        assert!(parse_statuses("2024:終わり").is_err());
    }
}
