//! 自治会 (`NeighborhoodAssociation`): a neighbourhood association, the unit below a 地域協働体
//! (a body is made of its 自治会 and groups, seed 003 第2章), and a grantee in its own right:
//! the 自治会等活動費総合補助金 goes to 自治会, e.g. for their 自治集会所 (seed 003 事業9/13;
//! issue 18.1). Others name it by its name ([`RecordType::label`]). Declared in this one file
//! and registered by one line of [`crate::record_types!`].

use super::BodyId;
use super::access::Area;
use super::fields::reader::{FieldReader, Fields, Resolver, t};
use super::limits::Limit;
use super::record_type::{RecordKind, RecordType, RefKind};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Record id of a [`NeighborhoodAssociation`].
pub type NeighborhoodAssociationId = u64;

/// 自治会・町内会: one neighbourhood association.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeighborhoodAssociation {
    /// Record id.
    pub id: NeighborhoodAssociationId,
    /// Name, e.g. `上町自治会`; unique among 自治会 (how grants name it).
    pub name: String,
    /// よみがな, for sorting.
    pub kana: String,
    /// The 地域協働体 it belongs to, if any.
    pub body_id: Option<BodyId>,
    /// 世帯数, when known.
    pub households: Option<u32>,
}

impl RecordType for NeighborhoodAssociation {
    const KIND: RecordKind = RecordKind::NeighborhoodAssociation;
    const NAME: &'static str = "neighborhood_associations";
    const TITLE: (&'static str, &'static str) = ("自治会", "Neighbourhood association");
    const PLURAL: (&'static str, &'static str) = ("自治会", "neighbourhood associations");
    const LABEL: &'static str = "association";
    /// After bodies, before the grants made to it.
    const IMPORT_RANK: u32 = 4;
    const FIELDS: &'static [(&'static str, bool)] = &[
        ("name", true),
        ("kana", false),
        ("body", false),
        ("households", false),
    ];
    const LIMITS: &'static [(&'static str, Limit)] =
        &[("name", Limit::Name), ("kana", Limit::Name)];
    const FIELD_LABELS: &'static [(&'static str, &'static str, &'static str)] = &[
        ("name", "自治会名", "Association"),
        ("body", "所属する地域協働体", "Body"),
    ];
    const LIST_COLUMNS: &'static [(&'static str, u16)] =
        &[("name", 18), ("kana", 16), ("households", 8), ("body", 0)];
    const AREA: Area = Area::Bodies;
    const REF: Option<RefKind> = Some(RefKind::Association);
    const REFERS_TO: &'static [RefKind] = &[RefKind::Body];

    crate::numeric_id!();
    fn natural_key(&self) -> String {
        self.name.clone()
    }
    fn read(r: &mut dyn FieldReader, res: &dyn Resolver, id: u64) -> Option<Self> {
        let name = r.req("name");
        let body_id = match r.opt("body") {
            Some(b) => match res.body(&b) {
                Ok(id) => Some(id),
                Err(e) => {
                    r.error("body", &b, e);
                    None
                }
            },
            None => None,
        };
        if let Ok(b) = res.body(&name)
            && !name.is_empty()
        {
            r.error(
                "name",
                &name,
                t(
                    format!("「{name}」は地域協働体の名前です(番号 {b})。自治会には別の名前を付けてください"),
                    format!("'{name}' is the name of a body (number {b}); give the association a name of its own"),
                ),
            );
        }
        let x = NeighborhoodAssociation {
            id,
            kana: r.opt("kana").unwrap_or_default(),
            body_id,
            households: r.opt("households").map(|_| r.num("households")),
            name,
        };
        r.ok().then_some(x)
    }
    fn write(&self, res: &dyn Resolver) -> Fields {
        vec![
            ("name", self.name.clone()),
            ("kana", self.kana.clone()),
            (
                "body",
                self.body_id.map(|b| res.body_name(b)).unwrap_or_default(),
            ),
            (
                "households",
                self.households.map(|h| h.to_string()).unwrap_or_default(),
            ),
        ]
    }
    fn refs(&self) -> Vec<(RefKind, u64)> {
        self.body_id
            .map(|b| (RefKind::Body, b))
            .into_iter()
            .collect()
    }
    fn export_order(&self, other: &Self, _res: &dyn Resolver) -> Ordering {
        (&self.kana, &self.name).cmp(&(&other.kana, &other.name))
    }
}
