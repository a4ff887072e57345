//! How each domain type is stored: its tree, key, index entries and counter contributions.
//! Which records count toward which indicator follows docs/DOMAIN.md's indicator table.

use super::keys::{counter_key_of, date_index_key, id_key};
use super::{Result, StoreError, TreeName, codec, decode_at};
use crate::domain::*;
use chrono::NaiveDate;
use serde::{Serialize, de::DeserializeOwned};

pub use crate::domain::{Metric, RefKind};

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

/// The trees whose records may refer to records of `kind` (their types'
/// [`RecordType::REFERS_TO`]).
pub fn referrers(kind: RefKind) -> impl Iterator<Item = TreeName> {
    RecordKind::referring_to(kind).map(TreeName::of_kind)
}

/// The kind stored in `tree`, if others can refer to it ([`RecordType::REF`]).
pub fn ref_of_tree(tree: TreeName) -> Option<RefKind> {
    tree.kind().and_then(RecordKind::as_ref)
}

/// The record tree of the records others refer to as `kind`.
pub fn tree_of_ref(kind: RefKind) -> Option<TreeName> {
    RecordKind::of_ref(kind).map(TreeName::of_kind)
}

/// Counter key of the number of `from` records referring to record `id` of `kind`.
pub fn ref_key(kind: RefKind, id: u64, from: TreeName) -> Vec<u8> {
    // As `format!("ref/{kind}/{id:020}/{from}")`, without its machinery (several per record in
    // an import, a restore and `kyodo check`).
    let (kind, from) = (kind.name(), from.name());
    let mut k = Vec::with_capacity(4 + kind.len() + 22 + from.len());
    k.extend_from_slice(b"ref/");
    k.extend_from_slice(kind.as_bytes());
    k.push(b'/');
    super::keys::push_padded(&mut k, id, 20);
    k.push(b'/');
    k.extend_from_slice(from.as_bytes());
    k
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
        let key = counter_key_of(
            &metric.name_parts(),
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
    /// Its `fy|date|id` index tree, if it is listed by date.
    const INDEX: Option<TreeName> = None;
    /// Fields the audit trail holds only as `●●●` (see [`RecordType::PRIVATE`]).
    const PRIVATE: &'static [&'static str] = &[];
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

/// A record type with a date index, listed per fiscal year (its [`Record::INDEX`] is set).
pub trait Dated: Record {
    /// Its `fy|date|id` index tree.
    const DATE_INDEX: TreeName = match Self::INDEX {
        Some(t) => t,
        None => Self::TREE,
    };
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

/// Every [`RecordType`] is stored the same way: its tree from [`crate::record_types!`], its
/// key, and the effects it declares (date index entry, counters, references).
impl<T: RecordType> Record for T {
    const TREE: TreeName = TreeName::of_kind(T::KIND);
    const INDEX: Option<TreeName> = TreeName::index_of(T::KIND);
    const PRIVATE: &'static [&'static str] = <T as RecordType>::PRIVATE;
    fn key(&self) -> Vec<u8> {
        match RecordType::key(self) {
            Key::Id(id) => id_key(id),
            Key::Name(name) => name.as_bytes().to_vec(),
        }
    }
    fn needs_id(&self) -> bool {
        RecordType::key(self) == Key::Id(0)
    }
    fn assign_id(&mut self, id: u64) {
        self.set_id(id);
    }
    fn effects(&self) -> Effects {
        let mut e = Effects::default();
        if let (Some(index), Some(date), Key::Id(id)) =
            (Self::INDEX, self.date(), RecordType::key(self))
        {
            e.index.push((index, date_index_key(date, id)));
        }
        for (metric, date, n) in self.counts() {
            e.count(metric, date, n);
        }
        for (name, n) in self.keyed_counts() {
            e.counts.push((name.into_bytes(), n));
        }
        for (kind, id) in self.refs() {
            e.refer(kind, id);
        }
        e.finish(Self::TREE)
    }
    fn redacts(role: Role) -> bool {
        <T as RecordType>::redacts(role)
    }
    fn redact(&mut self, role: Role) {
        <T as RecordType>::redact(self, role)
    }
    fn redact_field(field: &str, value: serde_json::Value, role: Role) -> serde_json::Value {
        <T as RecordType>::redact_field(field, value, role)
    }
}

macro_rules! dated {
    ($($t:ident $(in $m:ident)? => $tree:ident $(/ $index:ident)?,)*) => {
        $(dated!(@one [$($m)?] $t [$($index)?]);)*
    };
    (@one [$($m:ident)?] $t:ident [$index:ident]) => {
        #[doc = concat!("Listed per fiscal year by `", stringify!($index), "`.")]
        impl Dated for crate::domain::$($m::)?$t {}
    };
    (@one [$($m:ident)?] $t:ident []) => {};
}
crate::record_types!(dated);

/// What the generic machinery needs of one record type, whatever it is: made once per type by
/// [`kind_of`], found by tree with [`kind`].
pub struct Kind {
    /// Decodes a stored value into its effects and JSON.
    pub stored: StoredFn,
    /// Decodes a value sent over the socket into a record for a batch.
    pub erased: fn(&[u8]) -> Result<Box<dyn ErasedRecord>>,
    /// Writes a stored value as its domain JSON (a backup archive's record) straight to `out`,
    /// with no JSON tree built in between.
    pub json_to: fn(&[u8], &[u8], &mut dyn std::io::Write) -> Result<()>,
    /// Decodes a stored value into its effects only (what `kyodo check` compares).
    pub effects: fn(&[u8], &[u8]) -> Result<Effects>,
    /// A record from its JSON text (a backup archive's line), parsed straight into the type
    /// with no JSON tree in between, for a batch; the error is serde's.
    pub from_json: fn(&str) -> std::result::Result<Box<dyn ErasedRecord>, String>,
    /// A stored value as a role may see it (see [`Record::redact`]); `None` when it cannot be
    /// read (a role that may not see everything then gets nothing of it).
    pub shown: fn(&[u8], Role) -> Option<Vec<u8>>,
    /// A field's JSON in an audit diff as a role may see it (see [`Record::redact_field`]).
    pub audit_field: fn(&str, serde_json::Value, Role) -> serde_json::Value,
    /// Its [`Record::PRIVATE`] fields: masked in the audit diffs as they are written.
    pub private: &'static [&'static str],
    /// Whether its records are keyed by numeric id ([`RecordType::NUMERIC_ID`]).
    pub numeric: bool,
    /// For a [`RecordType::FORWARD_ONLY`] type: whether the new value (second) may replace
    /// the stored one (first), both encoded (see [`RecordType::may_replace`]).
    pub replace: Option<ReplaceFn>,
}

/// Whether an encoded new value may replace an encoded stored one; the refusal says why.
pub type ReplaceFn = fn(&[u8], &[u8]) -> std::result::Result<(), crate::domain::Text>;

/// [`ReplaceFn`] of type `T`. Values that do not decode are left to the write's own checks.
fn replace_of<T: RecordType>(
    old: &[u8],
    new: &[u8],
) -> std::result::Result<(), crate::domain::Text> {
    match (codec::decode::<T>(old), codec::decode::<T>(new)) {
        (Ok(o), Ok(n)) => n.may_replace(&o),
        _ => Ok(()),
    }
}

/// The [`Kind`] of type `T`.
pub fn kind_of<T: Record>() -> Kind {
    Kind {
        stored: stored::<T>,
        json_to: |bytes, key, out| {
            let r = decode_at::<T>(T::TREE, key, bytes)?;
            serde_json::to_writer(out, &r).map_err(|e| StoreError::Io {
                what: "cannot write a record".into(),
                source: e.into(),
            })
        },
        effects: |bytes, key| decode_at::<T>(T::TREE, key, bytes).map(|r| Record::effects(&r)),
        erased: |bytes| {
            decode_at::<T>(T::TREE, b"(sent)", bytes).map(|r| Box::new(r) as Box<dyn ErasedRecord>)
        },
        from_json: |json| {
            serde_json::from_str::<T>(json)
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
        private: <T as Record>::PRIVATE,
        numeric: false,
        replace: None,
    }
}

/// The record type kept in `tree`; `None` for index, counter and other trees.
pub fn kind(tree: TreeName) -> Option<&'static Kind> {
    use std::sync::OnceLock;
    static KINDS: OnceLock<Vec<Kind>> = OnceLock::new();
    struct Make;
    impl Visit for Make {
        type Out = Kind;
        fn visit<T: RecordType>(self) -> Kind {
            Kind {
                replace: T::FORWARD_ONLY.then_some(replace_of::<T> as ReplaceFn),
                numeric: T::NUMERIC_ID,
                ..kind_of::<T>()
            }
        }
    }
    let all = KINDS.get_or_init(|| RecordKind::ALL.iter().map(|k| k.visit(Make)).collect());
    let k = tree.kind()?;
    all.get(RecordKind::ALL.iter().position(|x| *x == k)?)
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

/// `v` with its `private` fields masked for the audit trail: a field that holds text becomes
/// `●●●`, an empty one stays empty, so an entry says a value was set or erased, never what it
/// was (the records and backups keep it; [`RecordType::PRIVATE`]).
pub fn masked(mut v: serde_json::Value, private: &[&str]) -> serde_json::Value {
    if let Some(o) = v.as_object_mut() {
        for f in private {
            if let Some(x) = o.get_mut(*f) {
                let held = x.as_str().is_some_and(|s| !s.is_empty());
                *x = serde_json::Value::String(if held {
                    "●●●".into()
                } else {
                    String::new()
                });
            }
        }
    }
    v
}
