//! 相談案件 (`ConsultationCase`): one person's or group's matter followed across several
//! consultations by a counselor of the 中間支援組織 — continuing (継続) or closed (終結), the next
//! contact due, and where it was referred (つなぎ先: a city section, an NPO, another support
//! centre) with the outcome (seed 003 第3章 事業: いちのせき市民活動センターによる相談・つなぎ;
//! issue 17.6). A case is not a consultation: the consultations counted stay as they are; each
//! consultation names its case ([`super::Consultation::case_id`]). Declared in this one file and
//! registered by one line of [`crate::record_types!`].

use super::access::Area;
use super::fields::reader::{FieldReader, Fields, Resolver, d, od, staff_ref, t, vocab};
use super::limits::Limit;
use super::record_type::{RecordKind, RecordType, RefKind};
use super::{FiscalYear, Role, StaffId};
use crate::vocab;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Record id of a [`ConsultationCase`].
pub type ConsultationCaseId = u64;

vocab! {
    /// Where a case stands.
    CaseStatus {
        /// 継続: still followed.
        Continuing = ("continuing", "継続", "Continuing"),
        /// 終結: closed.
        Closed = ("closed", "終結", "Closed"),
    }
}

vocab! {
    /// Where a case was referred (つなぎ先の種別).
    ReferralKind {
        /// なし: not referred.
        None = ("none", "なし", "None"),
        /// 市の担当課.
        Section = ("section", "市の担当課", "City section"),
        /// NPO・団体.
        Organisation = ("organisation", "NPO・団体", "NPO or group"),
        /// 他の支援機関 (社会福祉協議会, another support centre).
        SupportCentre = ("support_centre", "他の支援機関", "Other support centre"),
    }
}

/// 相談案件: one matter across several consultations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultationCase {
    /// Record id.
    pub id: ConsultationCaseId,
    /// 案件番号, e.g. `C2023-004` (unique: importing the same number updates it; how a
    /// consultation names its case).
    pub number: String,
    /// 件名: what it is about, e.g. `子ども食堂の立ち上げ`.
    pub title: String,
    /// 相談者: the person or group (personal information: shown to counselors and admins only,
    /// as a consultation's summary).
    pub client: String,
    /// 担当: the counselor who follows it.
    pub counselor_id: StaffId,
    /// 受付日: when it was opened.
    pub opened_on: NaiveDate,
    /// 状態.
    pub status: CaseStatus,
    /// 終結日.
    pub closed_on: Option<NaiveDate>,
    /// 次回連絡予定日 (due in the counselor's list while the case continues).
    pub next_contact: Option<NaiveDate>,
    /// つなぎ先の種別.
    pub referral_kind: ReferralKind,
    /// つなぎ先: who it was referred to, e.g. `社会福祉協議会`.
    pub referral: String,
    /// つなぎの結果.
    pub referral_outcome: String,
}

impl RecordType for ConsultationCase {
    const KIND: RecordKind = RecordKind::ConsultationCase;
    const NAME: &'static str = "consultation_cases";
    const TITLE: (&'static str, &'static str) = ("相談案件", "Case");
    const PLURAL: (&'static str, &'static str) = ("相談案件", "cases");
    const LABEL: &'static str = "case";
    const IMPORT_RANK: u32 = 7;
    const FIELDS: &'static [(&'static str, bool)] = &[
        ("number", true),
        ("title", true),
        ("client", false),
        ("counselor", true),
        ("opened_on", true),
        ("status", false),
        ("closed_on", false),
        ("next_contact", false),
        ("referral_kind", false),
        ("referral", false),
        ("referral_outcome", false),
    ];
    const LIMITS: &'static [(&'static str, Limit)] = &[
        ("number", Limit::Name),
        ("client", Limit::Line),
        ("referral", Limit::Line),
        ("referral_outcome", Limit::Text),
    ];
    const FIELD_LABELS: &'static [(&'static str, &'static str, &'static str)] = &[
        ("number", "案件番号", "Case no."),
        ("title", "件名", "Title"),
        ("client", "相談者", "Client"),
        ("counselor", "担当", "Counselor"),
        ("opened_on", "受付日", "Opened"),
        ("status", "状態", "Status"),
        ("closed_on", "終結日", "Closed"),
        ("next_contact", "次回連絡予定日", "Next contact"),
        ("referral_kind", "つなぎ先の種別", "Referred to (kind)"),
        ("referral", "つなぎ先", "Referred to"),
        ("referral_outcome", "つなぎの結果", "Referral outcome"),
    ];
    const LIST_COLUMNS: &'static [(&'static str, u16)] = &[
        ("opened_on", 10),
        ("number", 10),
        ("status", 10),
        ("next_contact", 10),
        ("counselor", 10),
        ("title", 0),
    ];
    const AREA: Area = Area::Consultations;
    const REF: Option<RefKind> = Some(RefKind::Case);
    const REFERS_TO: &'static [RefKind] = &[RefKind::Staff];

    crate::numeric_id!();
    fn natural_key(&self) -> String {
        self.number.clone()
    }
    fn read(r: &mut dyn FieldReader, res: &dyn Resolver, id: u64) -> Option<Self> {
        let status = match r.opt("status") {
            Some(_) => vocab(r, "status", CaseStatus::parse, CaseStatus::choices),
            None => Some(CaseStatus::Continuing),
        }
        .unwrap_or(CaseStatus::Continuing);
        let referral_kind = match r.opt("referral_kind") {
            Some(_) => vocab(
                r,
                "referral_kind",
                ReferralKind::parse,
                ReferralKind::choices,
            ),
            None => Some(ReferralKind::None),
        }
        .unwrap_or(ReferralKind::None);
        let counselor = r.req("counselor");
        let counselor_id = if counselor.is_empty() {
            0
        } else {
            staff_ref(r, res, "counselor", &counselor)
        };
        let c = ConsultationCase {
            id,
            number: r.req("number"),
            title: r.req("title"),
            client: r.raw("client"),
            counselor_id,
            opened_on: r.date("opened_on"),
            status,
            closed_on: r.opt_date("closed_on"),
            next_contact: r.opt_date("next_contact"),
            referral_kind,
            referral: r.raw("referral"),
            referral_outcome: r.raw("referral_outcome"),
        };
        if r.ok() {
            match (c.status, c.closed_on) {
                (CaseStatus::Closed, None) => r.error(
                    "closed_on",
                    "",
                    t(
                        "「終結」にするには終結日が要ります",
                        "a closed case needs the date it was closed",
                    ),
                ),
                (CaseStatus::Continuing, Some(d)) => r.error(
                    "status",
                    &d.to_string(),
                    t(
                        "終結日があるときは状態を「終結」にしてください",
                        "a case with a closing date is closed (終結): set its status",
                    ),
                ),
                (_, Some(d)) if d < c.opened_on => r.error(
                    "closed_on",
                    &d.to_string(),
                    t(
                        format!("終結日 {d} が受付日 {} より前です", c.opened_on),
                        format!("closed {d} is before it was opened ({})", c.opened_on),
                    ),
                ),
                _ => {}
            }
            if c.referral_kind != ReferralKind::None && c.referral.trim().is_empty() {
                r.error(
                    "referral",
                    "",
                    t(
                        "つなぎ先の種別を選んだときは、つなぎ先の名前も入力してください",
                        "name who the case was referred to",
                    ),
                );
            }
        }
        r.ok().then_some(c)
    }
    fn write(&self, res: &dyn Resolver) -> Fields {
        vec![
            ("number", self.number.clone()),
            ("title", self.title.clone()),
            ("client", self.client.clone()),
            ("counselor", res.staff_name(self.counselor_id)),
            ("opened_on", d(self.opened_on)),
            ("status", self.status.ja().into()),
            ("closed_on", od(self.closed_on)),
            ("next_contact", od(self.next_contact)),
            ("referral_kind", self.referral_kind.ja().into()),
            ("referral", self.referral.clone()),
            ("referral_outcome", self.referral_outcome.clone()),
        ]
    }
    fn refs(&self) -> Vec<(RefKind, u64)> {
        vec![(RefKind::Staff, self.counselor_id)]
    }
    /// A case belongs to every year it was open in.
    fn in_year(&self, fy: FiscalYear, _res: &dyn Resolver) -> bool {
        let (Some(start), Some(end)) = (fy.start(), fy.end()) else {
            return false;
        };
        self.opened_on <= end && self.closed_on.is_none_or(|c| c >= start)
    }
    fn export_order(&self, other: &Self, _res: &dyn Resolver) -> Ordering {
        (self.opened_on, &self.number).cmp(&(other.opened_on, &other.number))
    }
    fn redacts(role: Role) -> bool {
        !super::access::sees_summaries(role)
    }
    fn redact(&mut self, role: Role) {
        if Self::redacts(role) {
            self.client.clear();
        }
    }
    fn redact_field(field: &str, value: serde_json::Value, role: Role) -> serde_json::Value {
        if field == "client" && Self::redacts(role) {
            serde_json::Value::String(String::new())
        } else {
            value
        }
    }
}
