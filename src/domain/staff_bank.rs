//! まちづくりスタッフバンク (`StaffBankRegistrant`): citizens registered to be appointed to the
//! city's 審議会 and committees (issue 19.6; seed 003 事業4 市政への参画, whose indicator 登録者数
//! 41 → 61 counts them). The indicator is the number registered at the fiscal year's end (a
//! stock, [`active_at`]). Contacts are personal information: only coordinators and admins see them
//! ([`RecordType::redacts`]), the audit trail records that a contact was set or erased but never
//! what it was ([`RecordType::PRIVATE`]), and a registrant who withdraws may have it erased on
//! request (`erased_on`), leaving the audited tombstone of name, dates and fields. Appointments
//! are [`super::appointment`]. Declared in this one file and registered by one line of
//! [`crate::record_types!`].

use super::access::Area;
use super::fields::reader::{FieldReader, Fields, Resolver, d, od, t};
use super::limits::Limit;
use super::record_type::{RecordKind, RecordType, RefKind};
use super::{FiscalYear, Role};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Record id of a [`StaffBankRegistrant`].
pub type RegistrantId = u64;

/// スタッフバンク登録者.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffBankRegistrant {
    /// Record id.
    pub id: RegistrantId,
    /// 氏名: unique among registrants, how appointments name them.
    pub name: String,
    /// よみがな.
    pub kana: String,
    /// 専門分野, e.g. `防災`, `福祉`.
    pub fields: Vec<String>,
    /// 連絡先 (phone, mail, address): coordinators only; empty once erased.
    pub contact: String,
    /// 登録に同意した日: registered from this day.
    pub consented_on: NaiveDate,
    /// 登録を辞退した日, once withdrawn (no longer registered from that day).
    pub withdrawn_on: Option<NaiveDate>,
    /// 連絡先を消去した日, when the registrant asked for it on withdrawing.
    pub erased_on: Option<NaiveDate>,
}

impl StaffBankRegistrant {
    /// Whether registered on `day`: consented on or before it and not withdrawn by then.
    pub fn active_on(&self, day: NaiveDate) -> bool {
        self.consented_on <= day && self.withdrawn_on.is_none_or(|w| w > day)
    }
}

/// 登録者数 of fiscal year `fy`: registrants registered on its last day (the indicator
/// `staff_bank`, a stock).
pub fn active_at(all: &[StaffBankRegistrant], fy: FiscalYear) -> i64 {
    fy.end().map_or(0, |end| {
        all.iter().filter(|r| r.active_on(end)).count() as i64
    })
}

/// Whether `role` sees registrants' contacts (coordinators, who appoint them, and admins).
pub fn sees_contacts(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Coordinator)
}

impl RecordType for StaffBankRegistrant {
    const KIND: RecordKind = RecordKind::StaffBankRegistrant;
    const NAME: &'static str = "staff_bank";
    const TITLE: (&'static str, &'static str) = ("スタッフバンク登録者", "Staff bank registrant");
    const PLURAL: (&'static str, &'static str) = ("スタッフバンク登録者", "staff bank registrants");
    const LABEL: &'static str = "registrant";
    const IMPORT_RANK: u32 = 23;
    const FIELDS: &'static [(&'static str, bool)] = &[
        ("name", true),
        ("kana", false),
        ("fields", false),
        ("contact", false),
        ("consented_on", true),
        ("withdrawn_on", false),
        ("erased_on", false),
    ];
    const LIMITS: &'static [(&'static str, Limit)] = &[
        ("name", Limit::Name),
        ("kana", Limit::Name),
        ("fields", Limit::List),
        ("contact", Limit::Line),
    ];
    const FIELD_LABELS: &'static [(&'static str, &'static str, &'static str)] = &[
        ("name", "氏名", "Name"),
        ("fields", "専門分野", "Fields"),
        ("contact", "連絡先", "Contact"),
        ("consented_on", "同意日(登録日)", "Consented on"),
        ("withdrawn_on", "辞退日", "Withdrawn on"),
        ("erased_on", "連絡先の消去日", "Contact erased on"),
    ];
    const LIST_COLUMNS: &'static [(&'static str, u16)] = &[
        ("name", 14),
        ("consented_on", 10),
        ("withdrawn_on", 10),
        ("fields", 0),
    ];
    const AREA: Area = Area::Plan;
    const REF: Option<RefKind> = Some(RefKind::Registrant);
    const PRIVATE: &'static [&'static str] = &["contact"];

    crate::numeric_id!();
    fn natural_key(&self) -> String {
        self.name.clone()
    }
    fn read(r: &mut dyn FieldReader, _res: &dyn Resolver, id: u64) -> Option<Self> {
        let name = r.req("name");
        let kana = r.raw("kana");
        let fields = r.list("fields");
        let contact = r.raw("contact");
        let consented_on = r.date("consented_on");
        let withdrawn_on = r.opt_date("withdrawn_on");
        let erased_on = r.opt_date("erased_on");
        if let Some(w) = withdrawn_on
            && w < consented_on
            && r.ok()
        {
            r.error(
                "withdrawn_on",
                &w.to_string(),
                t("辞退日が同意日より前です", "withdrawn before consenting"),
            );
        }
        if let Some(e) = erased_on {
            if withdrawn_on.is_none_or(|w| e < w) {
                r.error(
                    "erased_on",
                    &e.to_string(),
                    t(
                        "連絡先の消去は辞退の日以降に記録します。先に辞退日を入れてください",
                        "a contact is erased on or after withdrawing; give withdrawn_on first",
                    ),
                );
            } else if !contact.is_empty() {
                r.error(
                    "contact",
                    "",
                    t(
                        "連絡先を消去した登録者には連絡先を残せません。連絡先を空にしてください",
                        "an erased registrant keeps no contact; empty it",
                    ),
                );
            }
        }
        r.ok().then_some(StaffBankRegistrant {
            id,
            name,
            kana,
            fields,
            contact,
            consented_on,
            withdrawn_on,
            erased_on,
        })
    }
    fn write(&self, _res: &dyn Resolver) -> Fields {
        vec![
            ("name", self.name.clone()),
            ("kana", self.kana.clone()),
            ("fields", self.fields.join(";")),
            ("contact", self.contact.clone()),
            ("consented_on", d(self.consented_on)),
            ("withdrawn_on", od(self.withdrawn_on)),
            ("erased_on", od(self.erased_on)),
        ]
    }
    fn in_year(&self, fy: FiscalYear, _res: &dyn Resolver) -> bool {
        match (fy.start(), fy.end()) {
            (Some(s), Some(e)) => {
                self.consented_on <= e && self.withdrawn_on.is_none_or(|w| w >= s)
            }
            _ => false,
        }
    }
    fn export_order(&self, other: &Self, _res: &dyn Resolver) -> Ordering {
        (&self.kana, &self.name).cmp(&(&other.kana, &other.name))
    }
    fn redacts(role: Role) -> bool {
        !sees_contacts(role)
    }
    fn redact(&mut self, role: Role) {
        if Self::redacts(role) {
            self.contact.clear();
        }
    }
    fn redact_field(field: &str, value: serde_json::Value, role: Role) -> serde_json::Value {
        if field == "contact" && Self::redacts(role) {
            serde_json::Value::String(String::new())
        } else {
            value
        }
    }
}
