//! 交付先 (`Recipient`): who a grant goes to — a 地域協働体, a 自治会 or another organisation
//! (NPO法人, 市民活動団体…); seed 003 事業9/13 (自治会等活動費総合補助金 to 自治会), issue 18.1.
//! A file or form names the recipient by its name in the `body` column; [`recipient_ref`]
//! looks it up among bodies, then 自治会, then organisations.

use super::fields::reader::{FieldReader, Resolver};
use super::neighborhood_association::NeighborhoodAssociationId;
use super::organisation::OrganisationId;
use super::record_type::{RecordKind, RefKind};
use super::{BodyId, Text};
use serde::{Deserialize, Serialize};

/// Who a grant goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Recipient {
    /// A 地域協働体.
    Body(BodyId),
    /// A 自治会.
    Association(NeighborhoodAssociationId),
    /// Another organisation.
    Organisation(OrganisationId),
}

impl Default for Recipient {
    fn default() -> Self {
        Recipient::Body(0)
    }
}

impl Recipient {
    /// The body, when the recipient is one.
    pub fn body(self) -> Option<BodyId> {
        match self {
            Recipient::Body(b) => Some(b),
            _ => None,
        }
    }

    /// The reference the store counts for it (so that a recipient cannot be deleted while a
    /// grant names it).
    pub fn reference(self) -> (RefKind, u64) {
        match self {
            Recipient::Body(b) => (RefKind::Body, b),
            Recipient::Association(a) => (RefKind::Association, a),
            Recipient::Organisation(o) => (RefKind::Organisation, o),
        }
    }

    /// A short stable key for natural keys: a body's number as it was before recipients of
    /// other kinds (`12`), `a12` for a 自治会, `o12` for an organisation (stored in natural
    /// keys: never change one).
    pub fn key(self) -> String {
        match self {
            Recipient::Body(b) => b.to_string(),
            Recipient::Association(a) => format!("a{a}"),
            Recipient::Organisation(o) => format!("o{o}"),
        }
    }

    /// Its name, through `res` (empty when unknown).
    pub fn name(self, res: &dyn Resolver) -> String {
        match self {
            Recipient::Body(b) => res.body_name(b),
            Recipient::Association(a) => res.label_of(RecordKind::NeighborhoodAssociation, a),
            Recipient::Organisation(o) => res.label_of(RecordKind::Organisation, o),
        }
    }

    /// The kind as a stable code for files: `body`, `association` or `organisation`.
    pub fn kind_code(self) -> &'static str {
        match self {
            Recipient::Body(_) => "body",
            Recipient::Association(_) => "association",
            Recipient::Organisation(_) => "organisation",
        }
    }

    /// The kind in words, e.g. `自治会`.
    pub fn kind_title(self, lang: super::Lang) -> &'static str {
        match self {
            Recipient::Body(_) => RecordKind::Body.title(lang),
            Recipient::Association(_) => RecordKind::NeighborhoodAssociation.title(lang),
            Recipient::Organisation(_) => RecordKind::Organisation.title(lang),
        }
    }
}

/// The kinds of record a grant may name as its recipient by label (load their labels where
/// grants are read or written).
pub const LABELLED: &[RecordKind] = &[
    RecordKind::NeighborhoodAssociation,
    RecordKind::Organisation,
];

/// Finds the recipient named `name`: a body (by name or kana), else a 自治会, else an
/// organisation.
///
/// Errors: no such name (the body lookup's message, which lists candidates), or a name that
/// both a 自治会 and an organisation carry.
pub fn find(res: &dyn Resolver, name: &str) -> Result<Recipient, Text> {
    let body = match res.body(name) {
        Ok(b) => return Ok(Recipient::Body(b)),
        Err(e) => e,
    };
    let a = res.labelled(RecordKind::NeighborhoodAssociation, name).ok();
    let o = res.labelled(RecordKind::Organisation, name).ok();
    match (a, o) {
        (Some(a), None) => Ok(Recipient::Association(a)),
        (None, Some(o)) => Ok(Recipient::Organisation(o)),
        (Some(_), Some(_)) => Err(Text::new(
            format!("「{name}」は自治会と団体の両方の名前です。どちらかの名前を変えてください"),
            format!("'{name}' names both an association and an organisation; rename one of them"),
        )),
        (None, None) => Err(Text::new(
            format!("{}(自治会・団体にもありません)", body.ja),
            format!("{} (nor any association or organisation)", body.en),
        )),
    }
}

/// Reads the recipient from field `key`, reporting a bad name to `r` (then a body 0).
pub(crate) fn recipient_ref(r: &mut dyn FieldReader, res: &dyn Resolver, key: &str) -> Recipient {
    let v = r.req(key);
    if v.is_empty() {
        return Recipient::default();
    }
    find(res, &v).unwrap_or_else(|e| {
        r.error(key, &v, e);
        Recipient::default()
    })
}
