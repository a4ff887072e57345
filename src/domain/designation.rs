//! 指定管理の期間 (`DesignationTerm`): one period during which a body manages a 市民センター as
//! its designated manager (指定管理者), with the yearly fee (指定管理料) — designations run for a
//! fixed term (usually five years) and are renewed by a new designation (seed 003 第2章 4: 30 of
//! the 33 市民センター are run by their body under 指定管理 by FY2023; issue 18.4). A period must
//! start on or after its manager's founding (checked where it is typed or imported) and not
//! overlap another period of the same centre (checked by `kyodo check` over the stored ones).
//! Declared in this one file and registered by one line of [`crate::record_types!`].

use super::access::Area;
use super::fields::reader::{FieldReader, Fields, Resolver, body_ref, d, t};
use super::limits::Limit;
use super::record_type::{RecordKind, RecordType, RefKind};
use super::{BodyId, FiscalYear, Text};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Record id of a [`DesignationTerm`].
pub type DesignationTermId = u64;

/// 指定管理の期間: one designation of a centre's manager.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesignationTerm {
    /// Record id.
    pub id: DesignationTermId,
    /// The 市民センター, by name (e.g. `花泉市民センター`).
    pub center: String,
    /// The body that manages it (指定管理者).
    pub manager_body_id: BodyId,
    /// First day of the designation.
    pub from: NaiveDate,
    /// Last day of the designation (inclusive).
    pub to: NaiveDate,
    /// 指定管理料: the yearly fee, in yen.
    pub yearly_fee: i64,
}

impl DesignationTerm {
    /// Whether it is in force at some time in fiscal year `fy`.
    pub fn in_force_in(&self, fy: FiscalYear) -> bool {
        match (fy.start(), fy.end()) {
            (Some(s), Some(e)) => self.from <= e && self.to >= s,
            _ => false,
        }
    }
}

/// Whether body `b` manages its 市民センター under 指定管理 on `day`: a period of that centre
/// with `b` as manager is in force that day, or, when no period of the centre is recorded, the
/// body's 指定管理開始日 is on or before it (as `kyodo report centers` counts).
pub fn manages_center_on(b: &super::Body, terms: &[DesignationTerm], day: NaiveDate) -> bool {
    let Some(c) = &b.citizen_center else {
        return false;
    };
    let mut mine = terms.iter().filter(|t| t.center == c.name).peekable();
    if mine.peek().is_none() {
        return c.designated_manager_since.is_some_and(|s| s <= day);
    }
    mine.any(|t| t.manager_body_id == b.id && t.from <= day && day <= t.to)
}

/// What is wrong with a set of stored periods: each one that starts before its manager was
/// founded (`founded`), and each that overlaps an earlier period of the same centre; as
/// `(period id, message)`.
pub fn problems(
    terms: &[DesignationTerm],
    founded: &dyn Fn(BodyId) -> Option<NaiveDate>,
) -> Vec<(DesignationTermId, Text)> {
    let mut out = Vec::new();
    for x in terms {
        if let Some(f) = founded(x.manager_body_id)
            && x.from < f
        {
            out.push((x.id, before_founding(x, f)));
        }
    }
    let mut sorted: Vec<&DesignationTerm> = terms.iter().collect();
    sorted.sort_by(|a, b| (&a.center, a.from, a.id).cmp(&(&b.center, b.from, b.id)));
    for w in sorted.windows(2) {
        let (a, b) = (w[0], w[1]);
        if a.center == b.center && b.from <= a.to {
            out.push((
                b.id,
                t(
                    format!(
                        "{} の指定管理の期間 {}〜{} が {}〜{} と重なっています",
                        b.center, b.from, b.to, a.from, a.to
                    ),
                    format!(
                        "{}'s designation {}–{} overlaps {}–{}",
                        b.center, b.from, b.to, a.from, a.to
                    ),
                ),
            ));
        }
    }
    out
}

fn before_founding(x: &DesignationTerm, founded: NaiveDate) -> Text {
    t(
        format!(
            "指定管理の開始 {} が指定管理者の設立日 {founded} より前です",
            x.from
        ),
        format!(
            "the designation starts {}, before its manager was founded ({founded})",
            x.from
        ),
    )
}

impl RecordType for DesignationTerm {
    const KIND: RecordKind = RecordKind::DesignationTerm;
    const NAME: &'static str = "designation_terms";
    const TITLE: (&'static str, &'static str) = ("指定管理の期間", "Designation");
    const PLURAL: (&'static str, &'static str) = ("指定管理の期間", "designations");
    const LABEL: &'static str = "designation";
    /// After everything ranked before it (it needs only bodies), so that adding it left the
    /// ids other records get in an import as they were.
    const IMPORT_RANK: u32 = 18;
    const FIELDS: &'static [(&'static str, bool)] = &[
        ("center", true),
        ("manager", true),
        ("from", true),
        ("to", true),
        ("yearly_fee", false),
    ];
    const LIMITS: &'static [(&'static str, Limit)] =
        &[("center", Limit::Name), ("manager", Limit::Name)];
    const FIELD_LABELS: &'static [(&'static str, &'static str, &'static str)] = &[
        ("center", "市民センター", "Citizen centre"),
        ("manager", "指定管理者", "Manager"),
        ("from", "期間の初日", "From"),
        ("to", "期間の末日", "To"),
        ("yearly_fee", "指定管理料(年額)", "Yearly fee"),
    ];
    const LIST_COLUMNS: &'static [(&'static str, u16)] = &[
        ("from", 10),
        ("to", 10),
        ("center", 16),
        ("yearly_fee", 12),
        ("manager", 0),
    ];
    const AREA: Area = Area::Bodies;
    const REFERS_TO: &'static [RefKind] = &[RefKind::Body];

    crate::numeric_id!();
    fn natural_key(&self) -> String {
        format!("{}|{}", self.center, self.from)
    }
    fn read(r: &mut dyn FieldReader, res: &dyn Resolver, id: u64) -> Option<Self> {
        let x = DesignationTerm {
            id,
            center: r.req("center"),
            manager_body_id: body_ref(r, res, "manager"),
            from: r.date("from"),
            to: r.date("to"),
            yearly_fee: r.opt_yen("yearly_fee").unwrap_or(0),
        };
        if r.ok() && x.to < x.from {
            r.error(
                "to",
                &x.to.to_string(),
                t(
                    format!("期間の末日 {} が初日 {} より前です", x.to, x.from),
                    format!("the period ends {} before it starts {}", x.to, x.from),
                ),
            );
        }
        if r.ok() && x.yearly_fee < 0 {
            r.error(
                "yearly_fee",
                &x.yearly_fee.to_string(),
                t("指定管理料は 0 円以上です", "the fee cannot be negative"),
            );
        }
        if r.ok()
            && let Some(f) = res.body_founded(x.manager_body_id)
            && x.from < f
        {
            r.error("from", &x.from.to_string(), before_founding(&x, f));
        }
        r.ok().then_some(x)
    }
    fn write(&self, res: &dyn Resolver) -> Fields {
        vec![
            ("center", self.center.clone()),
            ("manager", res.body_name(self.manager_body_id)),
            ("from", d(self.from)),
            ("to", d(self.to)),
            ("yearly_fee", self.yearly_fee.to_string()),
        ]
    }
    fn refs(&self) -> Vec<(RefKind, u64)> {
        vec![(RefKind::Body, self.manager_body_id)]
    }
    fn in_year(&self, fy: FiscalYear, _res: &dyn Resolver) -> bool {
        self.in_force_in(fy)
    }
    fn export_order(&self, other: &Self, _res: &dyn Resolver) -> Ordering {
        (&self.center, self.from).cmp(&(&other.center, other.from))
    }
}
