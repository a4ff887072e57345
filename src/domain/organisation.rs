//! 団体 (`Organisation`): a grantee or partner that is neither a 地域協働体 nor a 自治会 — an
//! NPO法人, a 市民活動団体, a company (issue 18.1; the partners of 協働事業 in seed 001/003).
//! Others name it by its name ([`RecordType::label`]). Declared in this one file and registered
//! by one line of [`crate::record_types!`].

use super::access::Area;
use super::fields::reader::{FieldReader, Fields, Resolver, t, vocab};
use super::limits::Limit;
use super::record_type::{RecordKind, RecordType, RefKind};
use crate::vocab;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Record id of an [`Organisation`].
pub type OrganisationId = u64;

vocab! {
    /// 団体の種別: what kind of organisation it is.
    OrganisationKind {
        /// 特定非営利活動法人 (NPO法人).
        Npo = ("npo", "NPO法人", "NPO"),
        /// 市民活動団体 (任意団体).
        Group = ("group", "市民活動団体", "Citizens' group"),
        /// 企業.
        Company = ("company", "企業", "Company"),
        /// その他の団体 (社会福祉協議会, 学校…).
        Other = ("other", "その他", "Other"),
    }
}

/// 団体: one organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    /// Record id.
    pub id: OrganisationId,
    /// Name, e.g. `NPO法人いちのせき市民活動センター`; unique among organisations.
    pub name: String,
    /// よみがな, for sorting.
    pub kana: String,
    /// Its kind.
    pub kind: OrganisationKind,
}

impl RecordType for Organisation {
    const KIND: RecordKind = RecordKind::Organisation;
    const NAME: &'static str = "organisations";
    const TITLE: (&'static str, &'static str) = ("団体", "Organisation");
    const PLURAL: (&'static str, &'static str) = ("団体", "organisations");
    const LABEL: &'static str = "organisation";
    /// Before the grants made to it.
    const IMPORT_RANK: u32 = 4;
    const FIELDS: &'static [(&'static str, bool)] =
        &[("name", true), ("kana", false), ("kind", true)];
    const LIMITS: &'static [(&'static str, Limit)] =
        &[("name", Limit::Name), ("kana", Limit::Name)];
    const FIELD_LABELS: &'static [(&'static str, &'static str, &'static str)] =
        &[("name", "団体名", "Organisation"), ("kind", "種別", "Kind")];
    const LIST_COLUMNS: &'static [(&'static str, u16)] = &[("name", 28), ("kind", 12), ("kana", 0)];
    const AREA: Area = Area::Bodies;
    const REF: Option<RefKind> = Some(RefKind::Organisation);

    crate::numeric_id!();
    fn natural_key(&self) -> String {
        self.name.clone()
    }
    fn read(r: &mut dyn FieldReader, res: &dyn Resolver, id: u64) -> Option<Self> {
        let name = r.req("name");
        if !name.is_empty()
            && let Ok(b) = res.body(&name)
        {
            r.error(
                "name",
                &name,
                t(
                    format!("「{name}」は地域協働体の名前です(番号 {b})。団体には別の名前を付けてください"),
                    format!("'{name}' is the name of a body (number {b}); give the organisation a name of its own"),
                ),
            );
        }
        let x = Organisation {
            id,
            kana: r.opt("kana").unwrap_or_default(),
            kind: vocab(
                r,
                "kind",
                OrganisationKind::parse,
                OrganisationKind::choices,
            )
            .unwrap_or(OrganisationKind::Other),
            name,
        };
        r.ok().then_some(x)
    }
    fn write(&self, _res: &dyn Resolver) -> Fields {
        vec![
            ("name", self.name.clone()),
            ("kana", self.kana.clone()),
            ("kind", self.kind.ja().to_string()),
        ]
    }
    fn export_order(&self, other: &Self, _res: &dyn Resolver) -> Ordering {
        (&self.kana, &self.name).cmp(&(&other.kana, &other.name))
    }
}
