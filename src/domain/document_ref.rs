//! 文書の参照 (`DocumentRef`): the paper behind a record — a 文書番号, its title, its date and
//! where it is kept (a path or URL; the file itself stays where it is), optionally for one body
//! (seed 005 第6条–第9条: the 交付決定通知 and 実績報告 a grant goes through are numbered
//! documents). The whole record type is declared in this one file and registered by one line of
//! [`crate::record_types!`] (docs/RECORD-TYPES.md).

use super::access::Area;
use super::fields::reader::{FieldReader, Fields, Resolver, body_ref, d};
use super::limits::Limit;
use super::record_type::{RecordKind, RecordType, RefKind};
use super::{BodyId, FiscalYear};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Record id of a [`DocumentRef`].
pub type DocumentRefId = u64;

/// 文書の参照: one numbered document a record rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRef {
    /// Record id.
    pub id: DocumentRefId,
    /// 文書番号, e.g. `一関市指令まち第123号` (unique: importing the same number updates it).
    pub number: String,
    /// 件名, e.g. `令和4年度地域協働体交付金交付決定通知書`.
    pub title: String,
    /// 文書の日付 (the date it bears).
    pub date: NaiveDate,
    /// Where it is kept: a path on the office's file server or a URL; empty if only on paper.
    pub location: String,
    /// The body it concerns; 0 for none.
    pub body_id: BodyId,
}

impl RecordType for DocumentRef {
    const KIND: RecordKind = RecordKind::DocumentRef;
    const NAME: &'static str = "document_refs";
    const TITLE: (&'static str, &'static str) = ("文書", "Document");
    const PLURAL: (&'static str, &'static str) = ("文書", "documents");
    const LABEL: &'static str = "document";
    const FIELDS: &'static [(&'static str, bool)] = &[
        ("number", true),
        ("title", true),
        ("date", true),
        ("location", false),
        ("body", false),
    ];
    const LIMITS: &'static [(&'static str, Limit)] =
        &[("number", Limit::Name), ("location", Limit::Line)];
    const FIELD_LABELS: &'static [(&'static str, &'static str, &'static str)] = &[
        ("number", "文書番号", "Document no."),
        ("title", "件名", "Title"),
        ("date", "日付", "Date"),
        ("location", "保管場所", "Kept at"),
        ("body", "地域協働体", "Body"),
    ];
    const LIST_COLUMNS: &'static [(&'static str, u16)] =
        &[("date", 10), ("number", 22), ("title", 0), ("body", 16)];
    const AREA: Area = Area::Bodies;
    const REFERS_TO: &'static [RefKind] = &[RefKind::Body];

    crate::numeric_id!();
    fn natural_key(&self) -> String {
        self.number.clone()
    }
    fn read(r: &mut dyn FieldReader, res: &dyn Resolver, id: u64) -> Option<Self> {
        let body_id = match r.opt("body") {
            Some(_) => body_ref(r, res, "body"),
            None => 0,
        };
        let doc = DocumentRef {
            id,
            number: r.req("number"),
            title: r.req("title"),
            date: r.date("date"),
            location: r.raw("location"),
            body_id,
        };
        r.ok().then_some(doc)
    }
    fn write(&self, res: &dyn Resolver) -> Fields {
        let body = match self.body_id {
            0 => String::new(),
            b => res.body_name(b),
        };
        vec![
            ("number", self.number.clone()),
            ("title", self.title.clone()),
            ("date", d(self.date)),
            ("location", self.location.clone()),
            ("body", body),
        ]
    }
    fn refs(&self) -> Vec<(RefKind, u64)> {
        vec![(RefKind::Body, self.body_id)]
    }
    fn in_year(&self, fy: FiscalYear, _res: &dyn Resolver) -> bool {
        fy.contains(self.date)
    }
    fn export_order(&self, other: &Self, _res: &dyn Resolver) -> Ordering {
        (self.date, &self.number).cmp(&(other.date, &other.number))
    }
}
