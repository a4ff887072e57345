//! 文書の参照 (`DocumentRef`): the paper behind a record — a 文書番号, its title, its date and
//! where it is kept (a path or URL; the file itself stays where it is), optionally for one body,
//! and optionally attached to one record: a grant, team meeting, request, payment or body
//! (issue 17.4; seed 005 第6条–第9条: the 交付決定通知 and 実績報告 a grant goes through are
//! numbered documents). The record is named in files by its label (a grant's
//! `交付金/年度/地域協働体`, a meeting's `地域協働体/日付/議題`, a request's 受付番号). The whole record type is declared in this one file and registered by one line of
//! [`crate::record_types!`] (docs/RECORD-TYPES.md).

use super::access::Area;
use super::fields::reader::{FieldReader, Fields, Resolver, body_ref, d, t};
use super::limits::Limit;
use super::record_type::{RecordKind, RecordType, RefKind};
use super::{BodyId, FiscalYear};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Record id of a [`DocumentRef`].
pub type DocumentRefId = u64;

/// The counter prefix of the documents attached to record `id` of `kind` (see
/// [`DocumentRef`]'s keyed counts).
pub fn documents_prefix(kind: RecordKind, id: u64) -> String {
    format!("docs/{}/{id:020}/", kind.name())
}

/// Reads `record_type` and `record`: both or neither; the type one of [`SUBJECTS`], the record
/// found by its label.
fn read_subject(r: &mut dyn FieldReader, res: &dyn Resolver) -> Option<(RecordKind, u64)> {
    let (kind, label) = (r.opt("record_type"), r.opt("record"));
    let names = || {
        SUBJECTS
            .iter()
            .map(|k| k.name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (kind, label) {
        (None, None) => None,
        (Some(k), label) => {
            let Some(kind) = RecordKind::of_name(&k)
                .or_else(|| {
                    SUBJECTS.iter().copied().find(|s| {
                        s.title(super::Lang::Ja) == k
                            || s.title(super::Lang::En).eq_ignore_ascii_case(&k)
                    })
                })
                .filter(|k| SUBJECTS.contains(k))
            else {
                r.error(
                    "record_type",
                    &k,
                    t(
                        format!("文書を添付できるのは次の種類です: {}", names()),
                        format!("a document can be attached to: {}", names()),
                    ),
                );
                return None;
            };
            let Some(label) = label else {
                r.error(
                    "record",
                    "",
                    t(
                        "添付先の記録を入力してください(交付金は 交付金/年度/地域協働体、会議は 地域協働体/日付/議題、要望は受付番号)",
                        "name the record (a grant as program/year/body, a meeting as body/date/agenda, a request by its number)",
                    ),
                );
                return None;
            };
            match res.labelled(kind, &label) {
                Ok(id) => Some((kind, id)),
                Err(e) => {
                    r.error("record", &label, e);
                    None
                }
            }
        }
        (None, Some(label)) => {
            r.error(
                "record_type",
                &label,
                t(
                    format!("添付先の種類を入力してください: {}", names()),
                    format!("give the type of the record: {}", names()),
                ),
            );
            None
        }
    }
}

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
    /// The record it is attached to: its kind (one of [`SUBJECTS`]) and id (layout 2).
    #[serde(default)]
    pub subject: Option<(RecordKind, u64)>,
}

/// The kinds of record a document may be attached to.
pub const SUBJECTS: &[RecordKind] = &[
    RecordKind::Grant,
    RecordKind::TeamMeeting,
    RecordKind::Request,
    RecordKind::Disbursement,
    RecordKind::Body,
];

/// [`DocumentRef`], layout 1 (before it could be attached to a record). Never change it.
#[derive(Deserialize)]
pub struct DocumentRefV1 {
    id: DocumentRefId,
    number: String,
    title: String,
    date: NaiveDate,
    location: String,
    body_id: BodyId,
}

impl From<DocumentRefV1> for DocumentRef {
    fn from(d: DocumentRefV1) -> DocumentRef {
        DocumentRef {
            id: d.id,
            number: d.number,
            title: d.title,
            date: d.date,
            location: d.location,
            body_id: d.body_id,
            subject: None,
        }
    }
}

impl DocumentRef {
    /// Whether `location` names a file (a path), not a URL or nothing: what `kyodo check
    /// --files` looks for.
    pub fn is_path(&self) -> bool {
        let l = self.location.trim();
        !l.is_empty() && !l.contains("://")
    }
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
        ("record_type", false),
        ("record", false),
    ];
    const LIMITS: &'static [(&'static str, Limit)] =
        &[("number", Limit::Name), ("location", Limit::Line)];
    const FIELD_LABELS: &'static [(&'static str, &'static str, &'static str)] = &[
        ("number", "文書番号", "Document no."),
        ("title", "件名", "Title"),
        ("date", "日付", "Date"),
        ("location", "保管場所", "Kept at"),
        ("body", "地域協働体", "Body"),
        ("record_type", "添付先の種類", "Attached to (type)"),
        ("record", "添付先", "Attached to"),
    ];
    const LIST_COLUMNS: &'static [(&'static str, u16)] =
        &[("date", 10), ("number", 22), ("title", 0), ("body", 16)];
    const AREA: Area = Area::Bodies;
    const REFERS_TO: &'static [RefKind] = &[RefKind::Body, RefKind::Grant];
    const LAYOUT: u32 = 2;
    const NAMES_BY_LABEL: &'static [RecordKind] = SUBJECTS;

    crate::numeric_id!();
    fn upgrade<O: super::Older>(older: &O) -> Option<Self> {
        older.read::<DocumentRefV1>().map(Into::into)
    }
    fn natural_key(&self) -> String {
        self.number.clone()
    }
    fn read(r: &mut dyn FieldReader, res: &dyn Resolver, id: u64) -> Option<Self> {
        let body_id = match r.opt("body") {
            Some(_) => body_ref(r, res, "body"),
            None => 0,
        };
        let subject = read_subject(r, res);
        let doc = DocumentRef {
            id,
            number: r.req("number"),
            title: r.req("title"),
            date: r.date("date"),
            location: r.raw("location"),
            body_id,
            subject,
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
            (
                "record_type",
                self.subject
                    .map(|(k, _)| k.name().to_string())
                    .unwrap_or_default(),
            ),
            (
                "record",
                self.subject
                    .map(|(k, id)| res.label_of(k, id))
                    .unwrap_or_default(),
            ),
        ]
    }
    fn refs(&self) -> Vec<(RefKind, u64)> {
        let mut v = vec![(RefKind::Body, self.body_id)];
        match self.subject {
            Some((RecordKind::Grant, g)) => v.push((RefKind::Grant, g)),
            Some((RecordKind::Body, b)) => v.push((RefKind::Body, b)),
            _ => {}
        }
        v
    }
    /// Its place among the documents of the record it is attached to: `docs/<type>/<id>/<doc>`
    /// (so a record's detail finds its documents without reading them all).
    fn keyed_counts(&self) -> Vec<(String, i64)> {
        match self.subject {
            Some((k, id)) => vec![(format!("{}{:020}", documents_prefix(k, id), self.id), 1)],
            None => Vec::new(),
        }
    }
    fn in_year(&self, fy: FiscalYear, _res: &dyn Resolver) -> bool {
        fy.contains(self.date)
    }
    fn export_order(&self, other: &Self, _res: &dyn Resolver) -> Ordering {
        (self.date, &self.number).cmp(&(other.date, &other.number))
    }
}
