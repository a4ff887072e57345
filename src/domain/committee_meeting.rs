//! 協働推進会議 (`CommitteeMeeting`): a meeting of a plan's citizen committee — the date, the
//! members present and the agenda (seed 003 第4章 (1) 推進体制: each year the city reports the
//! progress of every 事業 and the indicators to the 協働推進会議 and hears its opinions; seed 001:
//! 市民協働推進委員会). Its opinions are [`crate::domain::committee_opinion::CommitteeOpinion`].
//! Declared in this one file and registered by one line of [`crate::record_types!`].

use super::FiscalYear;
use super::access::Area;
use super::fields::reader::{FieldReader, Fields, Resolver, d};
use super::limits::Limit;
use super::record_type::{RecordKind, RecordType};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Record id of a [`CommitteeMeeting`].
pub type CommitteeMeetingId = u64;

/// 協働推進会議: one meeting of a plan's committee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitteeMeeting {
    /// Record id.
    pub id: CommitteeMeetingId,
    /// The plan it oversees, by name (as its actions carry it).
    pub plan: String,
    /// 開催日.
    pub date: NaiveDate,
    /// 出席委員: the members present, as written (`;`-separated names or a count).
    pub members: String,
    /// 議題.
    pub agenda: String,
}

impl RecordType for CommitteeMeeting {
    const KIND: RecordKind = RecordKind::CommitteeMeeting;
    const NAME: &'static str = "committee_meetings";
    const TITLE: (&'static str, &'static str) = ("協働推進会議", "Committee meeting");
    const PLURAL: (&'static str, &'static str) = ("協働推進会議", "committee meetings");
    const LABEL: &'static str = "committee meeting";
    const FIELDS: &'static [(&'static str, bool)] = &[
        ("plan", true),
        ("date", true),
        ("members", false),
        ("agenda", true),
    ];
    const LIMITS: &'static [(&'static str, Limit)] =
        &[("plan", Limit::Name), ("agenda", Limit::Line)];
    const FIELD_LABELS: &'static [(&'static str, &'static str, &'static str)] = &[
        ("plan", "計画", "Plan"),
        ("date", "開催日", "Date"),
        ("members", "出席委員", "Members present"),
        ("agenda", "議題", "Agenda"),
    ];
    const LIST_COLUMNS: &'static [(&'static str, u16)] =
        &[("date", 10), ("agenda", 0), ("members", 20)];
    const AREA: Area = Area::Plan;
    const IMPORT_RANK: u32 = 15;

    crate::numeric_id!();
    fn natural_key(&self) -> String {
        format!("{}|{}", self.plan, self.date)
    }
    fn read(r: &mut dyn FieldReader, _res: &dyn Resolver, id: u64) -> Option<Self> {
        let m = CommitteeMeeting {
            id,
            plan: r.req("plan"),
            date: r.date("date"),
            members: r.raw("members"),
            agenda: r.req("agenda"),
        };
        r.ok().then_some(m)
    }
    fn write(&self, _res: &dyn Resolver) -> Fields {
        vec![
            ("plan", self.plan.clone()),
            ("date", d(self.date)),
            ("members", self.members.clone()),
            ("agenda", self.agenda.clone()),
        ]
    }
    fn in_year(&self, fy: FiscalYear, _res: &dyn Resolver) -> bool {
        fy.contains(self.date)
    }
    fn export_order(&self, other: &Self, _res: &dyn Resolver) -> Ordering {
        (&self.plan, self.date).cmp(&(&other.plan, other.date))
    }
}
