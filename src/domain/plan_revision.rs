//! 地域づくり計画の改訂 (`CommunityPlanRevision`): one revision of a body's own community plan —
//! when it was revised and what changed (seed 003 第2章 2 (1): the bodies' plans were revised in
//! 14 areas; 第2章 3 (1) ③: drawing up and carrying out the plan is a body's role). A body's
//! detail lists its revisions, newest first; the body's own `plan_revised_on` is the latest.
//! Declared in this one file and registered by one line of [`crate::record_types!`]
//! (docs/RECORD-TYPES.md).

use super::access::Area;
use super::fields::reader::{FieldReader, Fields, Resolver, body_ref, d};
use super::limits::Limit;
use super::record_type::{RecordKind, RecordType, RefKind};
use super::{BodyId, FiscalYear};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Record id of a [`CommunityPlanRevision`].
pub type CommunityPlanRevisionId = u64;

/// 地域づくり計画の改訂: one dated revision of a body's 地域づくり計画.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityPlanRevision {
    /// Record id.
    pub id: CommunityPlanRevisionId,
    /// The body whose plan was revised.
    pub body_id: BodyId,
    /// 改訂日: the date the revised plan was adopted.
    pub date: NaiveDate,
    /// 改訂の内容: what changed, in a line (e.g. 「防災部会を新設し、事業計画に位置付けた」).
    pub summary: String,
}

impl RecordType for CommunityPlanRevision {
    const KIND: RecordKind = RecordKind::CommunityPlanRevision;
    const NAME: &'static str = "community_plan_revisions";
    const TITLE: (&'static str, &'static str) = ("地域づくり計画の改訂", "Community plan revision");
    const PLURAL: (&'static str, &'static str) = ("計画の改訂", "plan revisions");
    const LABEL: &'static str = "plan revision";
    const FIELDS: &'static [(&'static str, bool)] =
        &[("body", true), ("date", true), ("summary", true)];
    const LIMITS: &'static [(&'static str, Limit)] = &[("summary", Limit::Line)];
    const FIELD_LABELS: &'static [(&'static str, &'static str, &'static str)] = &[
        ("body", "地域協働体", "Body"),
        ("date", "改訂日", "Revised on"),
        ("summary", "改訂の内容", "What changed"),
    ];
    const LIST_COLUMNS: &'static [(&'static str, u16)] =
        &[("date", 10), ("body", 24), ("summary", 0)];
    const AREA: Area = Area::Bodies;
    const REFERS_TO: &'static [RefKind] = &[RefKind::Body];

    crate::numeric_id!();
    fn natural_key(&self) -> String {
        // One revision of a body's plan per day: re-importing the file updates it.
        format!("{}|{}", self.body_id, self.date)
    }
    fn read(r: &mut dyn FieldReader, res: &dyn Resolver, id: u64) -> Option<Self> {
        let rev = CommunityPlanRevision {
            id,
            body_id: body_ref(r, res, "body"),
            date: r.date("date"),
            summary: r.req("summary"),
        };
        r.ok().then_some(rev)
    }
    fn write(&self, res: &dyn Resolver) -> Fields {
        vec![
            ("body", res.body_name(self.body_id)),
            ("date", d(self.date)),
            ("summary", self.summary.clone()),
        ]
    }
    fn refs(&self) -> Vec<(RefKind, u64)> {
        vec![(RefKind::Body, self.body_id)]
    }
    fn in_year(&self, fy: FiscalYear, _res: &dyn Resolver) -> bool {
        fy.contains(self.date)
    }
    fn export_order(&self, other: &Self, res: &dyn Resolver) -> Ordering {
        // By date, then by body name: the same order whatever ids an import gave the bodies.
        (self.date, res.body_name(self.body_id)).cmp(&(other.date, res.body_name(other.body_id)))
    }
}
