//! 事業の実績 (`ActionResult`): what was actually done for one action of a plan in one fiscal
//! year — the actual status beside the planned one, a 実績 text (with counts where the action
//! has them) and a self-rating on a fixed scale (issue 16.2; seed 003 第4章 計画の推進に向けて:
//! the city reports each 事業's progress yearly to the 協働推進会議; seed 001 方策7: 自己評価).
//! Declared in this one file and registered by one line of [`crate::record_types!`]
//! (docs/RECORD-TYPES.md).

use super::FiscalYear;
use super::access::Area;
use super::fields::reader::{FieldReader, Fields, Resolver, t, vocab};
use super::limits::Limit;
use super::plan::ActionStatus;
use super::record_type::{RecordKind, RecordType};
use crate::vocab;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Record id of an [`ActionResult`].
pub type ActionResultId = u64;

vocab! {
    /// 自己評価: how the section rates an action's year (the usual four-step scale of 事務事業評価).
    Rating {
        /// A 順調: done as planned.
        OnTrack = ("A", "A 順調", "A on track"),
        /// B 概ね順調: mostly as planned.
        MostlyOnTrack = ("B", "B 概ね順調", "B mostly on track"),
        /// C 遅れ: behind the plan.
        Behind = ("C", "C 遅れ", "C behind"),
        /// D 未着手: not started.
        NotStarted = ("D", "D 未着手", "D not started"),
    }
}

/// 事業の実績: one action's actual year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionResult {
    /// Record id.
    pub id: ActionResultId,
    /// The plan's name (as its actions carry it), e.g. `第3次一関市協働推進計画`.
    pub plan: String,
    /// The action's number within its plan (1…).
    pub number: u32,
    /// The fiscal year (April–March) this is the result of.
    pub fiscal_year: FiscalYear,
    /// 実績の状態: what the action actually was that year (the planned one is on the action).
    pub status: ActionStatus,
    /// 実績: what was done, in words.
    pub summary: String,
    /// 実績の件数: the count the action is measured by that year, where it has one (times held,
    /// participants, grants), as a number so the report can total and compare it.
    pub count: Option<i64>,
    /// 自己評価.
    pub rating: Rating,
}

impl RecordType for ActionResult {
    const KIND: RecordKind = RecordKind::ActionResult;
    const NAME: &'static str = "action_results";
    const TITLE: (&'static str, &'static str) = ("事業の実績", "Action result");
    const PLURAL: (&'static str, &'static str) = ("事業の実績", "action results");
    const LABEL: &'static str = "action result";
    const FIELDS: &'static [(&'static str, bool)] = &[
        ("plan", true),
        ("number", true),
        ("fiscal_year", true),
        ("status", true),
        ("rating", true),
        ("count", false),
        ("summary", false),
    ];
    const LIMITS: &'static [(&'static str, Limit)] = &[
        ("plan", Limit::Name),
        ("status", Limit::Value),
        ("rating", Limit::Value),
        ("count", Limit::Value),
        ("summary", Limit::Text),
    ];
    const FIELD_LABELS: &'static [(&'static str, &'static str, &'static str)] = &[
        ("plan", "計画", "Plan"),
        ("number", "事業番号", "Action no."),
        ("fiscal_year", "年度", "Fiscal year"),
        ("status", "実績の状態", "Actual status"),
        ("rating", "自己評価", "Self-rating"),
        ("count", "件数", "Count"),
        ("summary", "実績", "What was done"),
    ];
    const LIST_COLUMNS: &'static [(&'static str, u16)] =
        &[("number", 4), ("status", 6), ("rating", 12), ("summary", 0)];
    const AREA: Area = Area::Plan;
    const IMPORT_RANK: u32 = 14;

    crate::numeric_id!();
    fn natural_key(&self) -> String {
        format!("{}|{}|{}", self.plan, self.number, self.fiscal_year.0)
    }
    fn read(r: &mut dyn FieldReader, res: &dyn Resolver, id: u64) -> Option<Self> {
        let number = r.num("number");
        if number == 0 && r.ok() {
            r.error(
                "number",
                "0",
                t("事業番号は 1 から始まります", "action numbers start at 1"),
            );
        }
        let plan = r.req("plan");
        if number > 0 && !plan.is_empty() && r.ok() && !res.plan_action(&plan, number) {
            r.error(
                "number",
                &number.to_string(),
                super::plan::no_such_action(&plan, number),
            );
        }
        let res = ActionResult {
            id,
            plan,
            number,
            fiscal_year: r.fy("fiscal_year"),
            status: vocab(r, "status", ActionStatus::parse, ActionStatus::choices)
                .unwrap_or(ActionStatus::Implementing),
            rating: vocab(r, "rating", Rating::parse, Rating::choices).unwrap_or(Rating::OnTrack),
            count: r.opt("count").map(|_| r.num("count") as i64),
            summary: r.raw("summary"),
        };
        r.ok().then_some(res)
    }
    fn write(&self, _res: &dyn Resolver) -> Fields {
        vec![
            ("plan", self.plan.clone()),
            ("number", self.number.to_string()),
            ("fiscal_year", self.fiscal_year.0.to_string()),
            ("status", self.status.ja().to_string()),
            ("rating", self.rating.ja().to_string()),
            (
                "count",
                self.count.map(|c| c.to_string()).unwrap_or_default(),
            ),
            ("summary", self.summary.clone()),
        ]
    }
    fn in_year(&self, fy: FiscalYear, _res: &dyn Resolver) -> bool {
        self.fiscal_year == fy
    }
    fn export_order(&self, other: &Self, _res: &dyn Resolver) -> Ordering {
        (&self.plan, self.fiscal_year, self.number).cmp(&(
            &other.plan,
            other.fiscal_year,
            other.number,
        ))
    }
}
