//! 協働推進会議の意見 (`CommitteeOpinion`): an opinion the committee gave at one of its meetings,
//! attached to a plan action and fiscal year, to an indicator, or to the plan as a whole, and the
//! city's response to it (seed 003 第4章 (1): the city hears the committee's opinions and adjusts;
//! issue 16.4). Declared in this one file and registered by one line of [`crate::record_types!`].

use super::FiscalYear;
use super::access::Area;
use super::fields::reader::{FieldReader, Fields, Resolver, d, t};
use super::limits::Limit;
use super::record_type::{RecordKind, RecordType};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Record id of a [`CommitteeOpinion`].
pub type CommitteeOpinionId = u64;

/// 意見: one opinion of a committee meeting and the city's response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitteeOpinion {
    /// Record id.
    pub id: CommitteeOpinionId,
    /// The plan, by name.
    pub plan: String,
    /// The date of the meeting it was given at (a [`super::committee_meeting::CommitteeMeeting`]
    /// of the same plan).
    pub meeting_date: NaiveDate,
    /// The plan action it is about (its number), if any.
    pub action: Option<u32>,
    /// The fiscal year of the action it is about (required with `action`).
    pub fiscal_year: Option<FiscalYear>,
    /// The indicator it is about (its id), if any.
    pub indicator: Option<String>,
    /// 意見.
    pub opinion: String,
    /// 市の対応: what the city answered or did; empty while it has not answered.
    pub response: String,
}

impl RecordType for CommitteeOpinion {
    const KIND: RecordKind = RecordKind::CommitteeOpinion;
    const NAME: &'static str = "committee_opinions";
    const TITLE: (&'static str, &'static str) = ("協働推進会議の意見", "Committee opinion");
    const PLURAL: (&'static str, &'static str) = ("会議の意見", "committee opinions");
    const LABEL: &'static str = "committee opinion";
    const FIELDS: &'static [(&'static str, bool)] = &[
        ("plan", true),
        ("meeting_date", true),
        ("action", false),
        ("fiscal_year", false),
        ("indicator", false),
        ("opinion", true),
        ("response", false),
    ];
    const LIMITS: &'static [(&'static str, Limit)] = &[
        ("plan", Limit::Name),
        ("meeting_date", Limit::Value),
        ("action", Limit::Value),
        ("indicator", Limit::Name),
        ("opinion", Limit::Text),
        ("response", Limit::Text),
    ];
    const FIELD_LABELS: &'static [(&'static str, &'static str, &'static str)] = &[
        ("plan", "計画", "Plan"),
        ("meeting_date", "会議の開催日", "Meeting date"),
        ("action", "事業番号", "Action no."),
        ("fiscal_year", "年度", "Fiscal year"),
        ("indicator", "成果指標", "Indicator"),
        ("opinion", "意見", "Opinion"),
        ("response", "市の対応", "City's response"),
    ];
    const LIST_COLUMNS: &'static [(&'static str, u16)] = &[
        ("meeting_date", 10),
        ("action", 4),
        ("opinion", 0),
        ("response", 24),
    ];
    const AREA: Area = Area::Plan;
    const IMPORT_RANK: u32 = 16;

    crate::numeric_id!();
    fn natural_key(&self) -> String {
        format!(
            "{}|{}|{:?}|{:?}|{}",
            self.plan, self.meeting_date, self.action, self.indicator, self.opinion
        )
    }
    fn read(r: &mut dyn FieldReader, res: &dyn Resolver, id: u64) -> Option<Self> {
        let action = r.opt("action").map(|_| r.num("action"));
        let fiscal_year = r.opt("fiscal_year").map(|_| r.fy("fiscal_year"));
        if action.is_some() && fiscal_year.is_none() && r.ok() {
            r.error(
                "fiscal_year",
                "",
                t(
                    "事業への意見には年度が要ります(例: 令和6年度)",
                    "an opinion on an action needs its fiscal year (e.g. 2024)",
                ),
            );
        }
        let plan = r.req("plan");
        if let Some(n) = action
            && !plan.is_empty()
            && r.ok()
            && !res.plan_action(&plan, n)
        {
            r.error(
                "action",
                &n.to_string(),
                super::plan::no_such_action(&plan, n),
            );
        }
        let o = CommitteeOpinion {
            id,
            plan,
            meeting_date: r.date("meeting_date"),
            action,
            fiscal_year,
            indicator: r.opt("indicator"),
            opinion: r.req("opinion"),
            response: r.raw("response"),
        };
        r.ok().then_some(o)
    }
    fn write(&self, _res: &dyn Resolver) -> Fields {
        vec![
            ("plan", self.plan.clone()),
            ("meeting_date", d(self.meeting_date)),
            (
                "action",
                self.action.map(|n| n.to_string()).unwrap_or_default(),
            ),
            (
                "fiscal_year",
                self.fiscal_year
                    .map(|y| y.0.to_string())
                    .unwrap_or_default(),
            ),
            ("indicator", self.indicator.clone().unwrap_or_default()),
            ("opinion", self.opinion.clone()),
            ("response", self.response.clone()),
        ]
    }
    fn in_year(&self, fy: FiscalYear, _res: &dyn Resolver) -> bool {
        fy.contains(self.meeting_date)
    }
    fn export_order(&self, other: &Self, _res: &dyn Resolver) -> Ordering {
        (&self.plan, self.meeting_date, self.action, &self.opinion).cmp(&(
            &other.plan,
            other.meeting_date,
            other.action,
            &other.opinion,
        ))
    }
}
