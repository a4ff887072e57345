//! How each domain type is stored: its tree, key, index entries and counter contributions.
//! Which records count toward which indicator follows docs/DOMAIN.md's indicator table.

use super::keys::{counter_key, date_index_key, id_key};
use super::{Result, StoreError, TreeName, codec, decode_at};
use crate::domain::*;
use chrono::NaiveDate;
use serde::{Serialize, de::DeserializeOwned};

/// A counter kept in the `counters` tree, per fiscal year and fiscal month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Team meetings held.
    TeamMeetings,
    /// Consultations: detailed records count 1 each, tallies their count.
    Consultations,
    /// Consultations and tallies with category 話し合い支援.
    DialogueSupport,
    /// Body activities.
    BodyActivities,
    /// Consultations and tallies per category (a record with two categories counts in both).
    Category(Category),
    /// Consultations and tallies per channel.
    Channel(Channel),
    /// Detailed consultation records.
    ConsultationRecords,
}

impl Metric {
    /// The counter's name, the first part of its keys.
    pub fn name(&self) -> String {
        match self {
            Metric::TeamMeetings => "team_meetings".into(),
            Metric::Consultations => "consultations".into(),
            Metric::DialogueSupport => "dialogue_support".into(),
            Metric::BodyActivities => "body_activities".into(),
            Metric::Category(c) => format!("category.{}", c.code()),
            Metric::Channel(c) => format!("channel.{}", c.code()),
            Metric::ConsultationRecords => "consultation_records".into(),
        }
    }
}

/// What storing a record adds beside the record itself: index keys, counter deltas, and
/// references to other records (kept as `ref/…` counters, so a delete can check them in O(1)).
#[derive(Debug, Default, Clone)]
pub struct Effects {
    /// `(index tree, key)` pairs; the value stored is empty.
    pub index: Vec<(TreeName, Vec<u8>)>,
    /// `(counter key, delta)` pairs, reference counters included once [`Effects::finish`] ran.
    pub counts: Vec<(Vec<u8>, i64)>,
    /// Records this one refers to.
    pub refs: Vec<(RefKind, u64)>,
}

/// Kinds of record that others refer to and that therefore cannot simply be deleted.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum RefKind {
    /// A 地域協働体.
    Body,
    /// A staff member.
    Staff,
    /// A subsidy program.
    Program,
    /// A grant.
    Grant,
}

impl RefKind {
    /// Name used in counter keys and messages.
    pub fn name(self) -> &'static str {
        match self {
            RefKind::Body => "body",
            RefKind::Staff => "staff",
            RefKind::Program => "program",
            RefKind::Grant => "grant",
        }
    }

    /// The trees whose records may refer to this kind.
    pub fn referrers(self) -> &'static [TreeName] {
        match self {
            RefKind::Body => &[
                TreeName::BodyCounts,
                TreeName::Assignments,
                TreeName::TeamMeetings,
                TreeName::Consultations,
                TreeName::BodyActivities,
                TreeName::Grants,
            ],
            RefKind::Staff => &[
                TreeName::Assignments,
                TreeName::TeamMeetings,
                TreeName::Consultations,
            ],
            RefKind::Program => &[TreeName::Grants],
            RefKind::Grant => &[TreeName::Disbursements],
        }
    }

    /// The kind stored in `tree`, if others can refer to it.
    pub fn of_tree(tree: TreeName) -> Option<RefKind> {
        match tree {
            TreeName::Bodies => Some(RefKind::Body),
            TreeName::Staff => Some(RefKind::Staff),
            TreeName::SubsidyPrograms => Some(RefKind::Program),
            TreeName::Grants => Some(RefKind::Grant),
            _ => None,
        }
    }
}

/// Counter key of the number of `from` records referring to record `id` of `kind`.
pub fn ref_key(kind: RefKind, id: u64, from: TreeName) -> Vec<u8> {
    format!("ref/{}/{id:020}/{}", kind.name(), from.name()).into_bytes()
}

impl Effects {
    fn refer(&mut self, kind: RefKind, id: u64) {
        self.refs.push((kind, id));
    }

    /// Turns references into `ref/…` counter deltas for a record stored in `tree` (each
    /// referenced record counted once per referring record).
    pub fn finish(mut self, tree: TreeName) -> Effects {
        self.refs.sort();
        self.refs.dedup();
        for (kind, id) in &self.refs {
            if *id != 0 {
                self.counts.push((ref_key(*kind, *id, tree), 1));
            }
        }
        self
    }

    fn count(&mut self, metric: Metric, date: NaiveDate, n: i64) {
        let key = counter_key(
            &metric.name(),
            FiscalYear::of(date),
            FiscalYear::month_slot(date),
        );
        self.counts.push((key, n));
    }
}

/// A type kept in its own tree.
pub trait Record: Serialize + DeserializeOwned + Clone + Send + 'static {
    /// Its tree.
    const TREE: TreeName;
    /// Its key in that tree.
    fn key(&self) -> Vec<u8>;
    /// Whether it still needs an id (id 0).
    fn needs_id(&self) -> bool {
        false
    }
    /// Sets its id.
    fn assign_id(&mut self, _id: u64) {}
    /// Index entries and counter deltas it contributes.
    fn effects(&self) -> Effects {
        Effects::default()
    }
    /// Whether `role` sees less of this type than is stored (docs/DOMAIN.md "Privacy"): then every
    /// reply of the server passes through [`Record::redact`].
    fn redacts(_role: Role) -> bool {
        false
    }
    /// Removes what `role` may not see (e.g. a consultation's summary and a group client's
    /// name). Declared here, with the type, so every path applies the same rule.
    fn redact(&mut self, _role: Role) {}
    /// One field's value in an audit diff (JSON), as `role` may see it: the same rule as
    /// [`Record::redact`], field by field.
    fn redact_field(_field: &str, value: serde_json::Value, _role: Role) -> serde_json::Value {
        value
    }
}

/// A record type with a date index, listed per fiscal year.
pub trait Dated: Record {
    /// The `fy|date|id` index tree.
    const INDEX: TreeName;
}

/// Decodes a stored value (`bytes` at `key`) into its effects and JSON form.
pub type StoredFn = fn(&[u8], &[u8]) -> Result<(Effects, serde_json::Value)>;

/// [`StoredFn`] for type `T`.
pub fn stored<T: Record>(bytes: &[u8], key: &[u8]) -> Result<(Effects, serde_json::Value)> {
    let r = decode_at::<T>(T::TREE, key, bytes)?;
    Ok((Record::effects(&r), ErasedRecord::json(&r)))
}

/// Object-safe view of a [`Record`], so one batch can hold records of several types.
pub trait ErasedRecord: Send {
    /// Tree.
    fn tree(&self) -> TreeName;
    /// Key.
    fn key(&self) -> Vec<u8>;
    /// Encoded value.
    fn encode(&self) -> Result<Vec<u8>>;
    /// Effects of this record.
    fn effects(&self) -> Effects;
    /// The record as JSON (for field-level audit diffs).
    fn json(&self) -> serde_json::Value;
    /// Decoder of a stored value of the same type.
    fn stored(&self) -> StoredFn;
    /// See [`Record::needs_id`].
    fn needs_id(&self) -> bool;
    /// See [`Record::assign_id`].
    fn assign_id(&mut self, id: u64);
}

impl<T: Record> ErasedRecord for T {
    fn tree(&self) -> TreeName {
        T::TREE
    }
    fn key(&self) -> Vec<u8> {
        Record::key(self)
    }
    fn encode(&self) -> Result<Vec<u8>> {
        codec::encode(self).map_err(|e| StoreError::Encode(T::TREE.name(), e))
    }
    fn effects(&self) -> Effects {
        Record::effects(self)
    }
    fn json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
    fn stored(&self) -> StoredFn {
        stored::<T>
    }
    fn needs_id(&self) -> bool {
        Record::needs_id(self)
    }
    fn assign_id(&mut self, id: u64) {
        Record::assign_id(self, id)
    }
}

macro_rules! id_record {
    ($t:ty, $tree:expr) => {
        id_record!($t, $tree, |_r: &$t| Effects::default());
    };
    ($t:ty, $tree:expr, $effects:expr) => {
        impl Record for $t {
            const TREE: TreeName = $tree;
            fn key(&self) -> Vec<u8> {
                id_key(self.id)
            }
            fn needs_id(&self) -> bool {
                self.id == 0
            }
            fn assign_id(&mut self, id: u64) {
                self.id = id;
            }
            fn effects(&self) -> Effects {
                let e: Effects = ($effects)(self);
                e.finish($tree)
            }
        }
    };
}

id_record!(Body, TreeName::Bodies);
id_record!(Staff, TreeName::Staff);
id_record!(Assignment, TreeName::Assignments, |a: &Assignment| {
    let mut e = Effects::default();
    e.refer(RefKind::Staff, a.staff_id);
    e.refer(RefKind::Body, a.body_id);
    e
});
id_record!(SubsidyProgram, TreeName::SubsidyPrograms);
id_record!(BodyCount, TreeName::BodyCounts, |c: &BodyCount| {
    let mut e = Effects::default();
    e.refer(RefKind::Body, c.body_id);
    e
});
id_record!(Grant, TreeName::Grants, |g: &Grant| {
    let mut e = Effects::default();
    e.refer(RefKind::Program, g.program_id);
    e.refer(RefKind::Body, g.body_id);
    e
});
id_record!(Disbursement, TreeName::Disbursements, |d: &Disbursement| {
    let mut e = Effects::default();
    e.refer(RefKind::Grant, d.grant_id);
    e
});
id_record!(IndicatorEntry, TreeName::IndicatorEntries);
id_record!(PlanAction, TreeName::PlanActions);

id_record!(TeamMeeting, TreeName::TeamMeetings, |m: &TeamMeeting| {
    let mut e = Effects::default();
    e.index
        .push((TreeName::TeamMeetingsByDate, date_index_key(m.date, m.id)));
    e.count(Metric::TeamMeetings, m.date, 1);
    e.refer(RefKind::Body, m.body_id);
    for s in &m.attendees {
        e.refer(RefKind::Staff, *s);
    }
    for f in &m.follow_ups {
        if let Some(o) = f.owner {
            e.refer(RefKind::Staff, o);
        }
    }
    e
});

/// What a consultation counts toward (docs/DOMAIN.md's indicator table).
fn consultation_effects(c: &Consultation) -> Effects {
    let mut e = Effects::default();
    e.index
        .push((TreeName::ConsultationsByDate, date_index_key(c.date, c.id)));
    e.count(Metric::Consultations, c.date, 1);
    e.count(Metric::ConsultationRecords, c.date, 1);
    e.refer(RefKind::Staff, c.counselor_id);
    if let Client::Body(b) = c.client {
        e.refer(RefKind::Body, b);
    }
    e.count(Metric::Channel(c.channel), c.date, 1);
    let mut cats = c.categories.clone();
    cats.sort();
    cats.dedup();
    for cat in cats {
        e.count(Metric::Category(cat), c.date, 1);
        if cat == Category::DialogueSupport {
            e.count(Metric::DialogueSupport, c.date, 1);
        }
    }
    e
}

id_record!(
    ConsultationTally,
    TreeName::ConsultationTallies,
    |t: &ConsultationTally| {
        let mut e = Effects::default();
        let n = t.count as i64;
        e.index
            .push((TreeName::TalliesByDate, date_index_key(t.date, t.id)));
        e.count(Metric::Consultations, t.date, n);
        e.count(Metric::Channel(t.channel), t.date, n);
        e.count(Metric::Category(t.category), t.date, n);
        if t.category == Category::DialogueSupport {
            e.count(Metric::DialogueSupport, t.date, n);
        }
        e
    }
);

id_record!(
    BodyActivity,
    TreeName::BodyActivities,
    |a: &BodyActivity| {
        let mut e = Effects::default();
        e.index
            .push((TreeName::ActivitiesByDate, date_index_key(a.date, a.id)));
        e.count(Metric::BodyActivities, a.date, 1);
        e.refer(RefKind::Body, a.body_id);
        e
    }
);

impl Record for Indicator {
    const TREE: TreeName = TreeName::Indicators;
    fn key(&self) -> Vec<u8> {
        self.id.as_bytes().to_vec()
    }
}

impl Dated for TeamMeeting {
    const INDEX: TreeName = TreeName::TeamMeetingsByDate;
}
impl Dated for Consultation {
    const INDEX: TreeName = TreeName::ConsultationsByDate;
}
impl Dated for ConsultationTally {
    const INDEX: TreeName = TreeName::TalliesByDate;
}
impl Dated for BodyActivity {
    const INDEX: TreeName = TreeName::ActivitiesByDate;
}

/// What the generic machinery needs of one record type, whatever it is: made once per type by
/// [`kind_of`], found by tree with [`kind`].
pub struct Kind {
    /// Decodes a stored value into its effects and JSON.
    pub stored: StoredFn,
    /// Decodes a value sent over the socket into a record for a batch.
    pub erased: fn(&[u8]) -> Result<Box<dyn ErasedRecord>>,
    /// A record from its JSON form (a backup archive's line), for a batch; the error is serde's.
    pub from_json: fn(serde_json::Value) -> std::result::Result<Box<dyn ErasedRecord>, String>,
    /// A stored value as a role may see it (see [`Record::redact`]); `None` when it cannot be
    /// read (a role that may not see everything then gets nothing of it).
    pub shown: fn(&[u8], Role) -> Option<Vec<u8>>,
    /// A field's JSON in an audit diff as a role may see it (see [`Record::redact_field`]).
    pub audit_field: fn(&str, serde_json::Value, Role) -> serde_json::Value,
}

/// The [`Kind`] of type `T`.
pub fn kind_of<T: Record>() -> Kind {
    Kind {
        stored: stored::<T>,
        erased: |bytes| {
            decode_at::<T>(T::TREE, b"(sent)", bytes).map(|r| Box::new(r) as Box<dyn ErasedRecord>)
        },
        from_json: |v| {
            serde_json::from_value::<T>(v)
                .map(|r| Box::new(r) as Box<dyn ErasedRecord>)
                .map_err(|e| e.to_string())
        },
        shown: |bytes, role| {
            if !T::redacts(role) {
                return Some(bytes.to_vec());
            }
            let mut r: T = codec::decode(bytes).ok()?;
            r.redact(role);
            codec::encode(&r).ok()
        },
        audit_field: |field, value, role| T::redact_field(field, value, role),
    }
}

/// The record type kept in `tree`; `None` for index, counter and other trees.
pub fn kind(tree: TreeName) -> Option<&'static Kind> {
    use std::sync::OnceLock;
    static KINDS: OnceLock<Vec<(TreeName, Kind)>> = OnceLock::new();
    let all = KINDS.get_or_init(|| {
        vec![
            (TreeName::Bodies, kind_of::<Body>()),
            (TreeName::Staff, kind_of::<Staff>()),
            (TreeName::BodyCounts, kind_of::<BodyCount>()),
            (TreeName::Assignments, kind_of::<Assignment>()),
            (TreeName::TeamMeetings, kind_of::<TeamMeeting>()),
            (TreeName::Consultations, kind_of::<Consultation>()),
            (
                TreeName::ConsultationTallies,
                kind_of::<ConsultationTally>(),
            ),
            (TreeName::BodyActivities, kind_of::<BodyActivity>()),
            (TreeName::SubsidyPrograms, kind_of::<SubsidyProgram>()),
            (TreeName::Grants, kind_of::<Grant>()),
            (TreeName::Disbursements, kind_of::<Disbursement>()),
            (TreeName::Indicators, kind_of::<Indicator>()),
            (TreeName::IndicatorEntries, kind_of::<IndicatorEntry>()),
            (TreeName::PlanActions, kind_of::<PlanAction>()),
        ]
    });
    all.iter().find(|(t, _)| *t == tree).map(|(_, k)| k)
}

/// The decoder of each record tree's type (for checks that walk every tree).
pub fn stored_fn(tree: TreeName) -> Option<StoredFn> {
    kind(tree).map(|k| k.stored)
}

/// Decodes a stored value of `tree` into a record that can be put in a [`super::Batch`]
/// (a write that arrived over the server's socket). `None` for a tree that holds no records.
///
/// Errors: [`StoreError::Decode`] naming the tree.
pub fn erased_from(tree: TreeName, bytes: &[u8]) -> Option<Result<Box<dyn ErasedRecord>>> {
    kind(tree).map(|k| (k.erased)(bytes))
}

impl Record for Consultation {
    const TREE: TreeName = TreeName::Consultations;
    fn key(&self) -> Vec<u8> {
        id_key(self.id)
    }
    fn needs_id(&self) -> bool {
        self.id == 0
    }
    fn assign_id(&mut self, id: u64) {
        self.id = id;
    }
    fn effects(&self) -> Effects {
        consultation_effects(self).finish(Self::TREE)
    }
    fn redacts(role: Role) -> bool {
        !crate::domain::access::sees_summaries(role)
    }
    fn redact(&mut self, role: Role) {
        *self = crate::domain::access::redact(self.clone(), role);
    }
    fn redact_field(field: &str, value: serde_json::Value, role: Role) -> serde_json::Value {
        crate::domain::access::redact_field(field, value, role)
    }
}
