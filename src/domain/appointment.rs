//! 委嘱 (`Appointment`): a まちづくりスタッフバンク registrant appointed to a 審議会 or committee for
//! a term (issue 19.6; seed 003 事業4 市政への参画). The registrant must be registered when the term
//! starts. Declared in this one file and registered by one line of [`crate::record_types!`].

use super::FiscalYear;
use super::access::Area;
use super::fields::reader::{FieldReader, Fields, Resolver, d, t};
use super::limits::Limit;
use super::record_type::{RecordKind, RecordType, RefKind};
use super::staff_bank::RegistrantId;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Record id of an [`Appointment`].
pub type AppointmentId = u64;

/// 委嘱: one registrant on one committee for one term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appointment {
    /// Record id.
    pub id: AppointmentId,
    /// The registrant.
    pub registrant: RegistrantId,
    /// 審議会・委員会, e.g. `一関市協働推進会議`.
    pub committee: String,
    /// 任期の初日.
    pub from: NaiveDate,
    /// 任期の末日 (inclusive, ≥ `from`).
    pub to: NaiveDate,
}

impl RecordType for Appointment {
    const KIND: RecordKind = RecordKind::Appointment;
    const NAME: &'static str = "appointments";
    const TITLE: (&'static str, &'static str) = ("委嘱", "Appointment");
    const PLURAL: (&'static str, &'static str) = ("委嘱", "appointments");
    const LABEL: &'static str = "appointment";
    /// After the registrants it names.
    const IMPORT_RANK: u32 = 24;
    const FIELDS: &'static [(&'static str, bool)] = &[
        ("registrant", true),
        ("committee", true),
        ("from", true),
        ("to", true),
    ];
    const LIMITS: &'static [(&'static str, Limit)] =
        &[("registrant", Limit::Name), ("committee", Limit::Name)];
    const FIELD_LABELS: &'static [(&'static str, &'static str, &'static str)] = &[
        ("registrant", "登録者", "Registrant"),
        ("committee", "審議会・委員会", "Committee"),
        ("from", "任期(から)", "Term from"),
        ("to", "任期(まで)", "Term to"),
    ];
    const LIST_COLUMNS: &'static [(&'static str, u16)] = &[
        ("from", 10),
        ("to", 10),
        ("registrant", 14),
        ("committee", 0),
    ];
    const AREA: Area = Area::Plan;
    const REFERS_TO: &'static [RefKind] = &[RefKind::Registrant];
    const NAMES_BY_LABEL: &'static [RecordKind] = &[RecordKind::StaffBankRegistrant];

    crate::numeric_id!();
    fn natural_key(&self) -> String {
        format!("{}|{}|{}", self.registrant, self.committee, self.from)
    }
    fn read(r: &mut dyn FieldReader, res: &dyn Resolver, id: u64) -> Option<Self> {
        let name = r.req("registrant");
        let registrant = if name.is_empty() {
            0
        } else {
            res.labelled(RecordKind::StaffBankRegistrant, &name)
                .unwrap_or_else(|e| {
                    r.error("registrant", &name, e);
                    0
                })
        };
        let committee = r.req("committee");
        let from = r.date("from");
        let to = r.date("to");
        if to < from && r.ok() {
            r.error(
                "to",
                &to.to_string(),
                t(
                    "任期の末日が初日より前です",
                    "the term ends before it starts",
                ),
            );
        }
        r.ok().then_some(Appointment {
            id,
            registrant,
            committee,
            from,
            to,
        })
    }
    fn write(&self, res: &dyn Resolver) -> Fields {
        vec![
            (
                "registrant",
                res.label_of(RecordKind::StaffBankRegistrant, self.registrant),
            ),
            ("committee", self.committee.clone()),
            ("from", d(self.from)),
            ("to", d(self.to)),
        ]
    }
    fn refs(&self) -> Vec<(RefKind, u64)> {
        vec![(RefKind::Registrant, self.registrant)]
    }
    fn in_year(&self, fy: FiscalYear, _res: &dyn Resolver) -> bool {
        match (fy.start(), fy.end()) {
            (Some(s), Some(e)) => self.from <= e && self.to >= s,
            _ => false,
        }
    }
    fn export_order(&self, other: &Self, res: &dyn Resolver) -> Ordering {
        let name = |a: &Appointment| res.label_of(RecordKind::StaffBankRegistrant, a.registrant);
        (self.from, name(self), &self.committee).cmp(&(other.from, name(other), &other.committee))
    }
}
