//! What a write carries and what a read returns: [`Batch`] (records to put and delete, applied
//! in one transaction with their audit entries) and [`Loaded`] (records read, problems beside).

use super::*;

/// Records read from a tree, with the ones that could not be decoded reported beside them, so
/// one corrupt value never hides the rest (docs/DESIGN.md: "the program keeps running").
#[derive(Debug)]
pub struct Loaded<T> {
    /// Records that decoded.
    pub items: Vec<T>,
    /// One error per value that did not.
    pub problems: Vec<StoreError>,
}

impl<T> Loaded<T> {
    /// Every record, or the first that did not decode (for callers that need the whole tree).
    ///
    /// Errors: the first undecodable value's error.
    pub fn whole(self) -> Result<Vec<T>, super::StoreError> {
        match self.problems.into_iter().next() {
            Some(e) => Err(e),
            None => Ok(self.items),
        }
    }

    /// Keeps a record that decoded, or reports the one that did not beside the others.
    pub(crate) fn add(&mut self, r: Result<T>) {
        match r {
            Ok(item) => self.items.push(item),
            Err(e) => self.problems.push(e),
        }
    }
}

impl<T> Default for Loaded<T> {
    fn default() -> Self {
        Loaded {
            items: Vec::new(),
            problems: Vec::new(),
        }
    }
}

pub(crate) enum Op {
    Put(Box<dyn records::ErasedRecord>, bool),
    Delete {
        tree: TreeName,
        key: Vec<u8>,
        stored: records::StoredFn,
    },
}

/// One write: records to put (insert or replace, with their indexes, counters and references)
/// and records to delete, applied in a single transaction by [`Store::write`] together with their
/// audit entries.
#[derive(Default)]
pub struct Batch {
    pub(crate) ops: Vec<Op>,
    pub(crate) note: String,
    pub(crate) import_summary: Option<String>,
    pub(crate) migration: Option<String>,
    pub(crate) restoring: bool,
    /// Versions the writer saw: `(tree, key, version)`; a mismatch refuses the batch.
    pub(crate) expect: Vec<(TreeName, Vec<u8>, u64)>,
    /// Records a bulk write already added per tree, counted in meta by this batch (the one
    /// that closes it, see [`super::Bulk::finish`]).
    pub(crate) counted: BTreeMap<TreeName, i64>,
    /// Whether this batch closes an undoable bulk write (removes its marker).
    pub(crate) ends_bulk: bool,
}

impl Batch {
    /// An empty batch.
    pub fn new() -> Batch {
        Batch::default()
    }

    /// Adds a record to insert or replace. A record whose id is 0 gets a fresh id on write.
    pub fn put<T: Record>(&mut self, record: T) {
        self.ops.push(Op::Put(Box::new(record), true));
    }

    /// Adds a new record covered by the batch's import summary instead of an audit entry of its
    /// own (bulk imports of new records; a change to an existing record is always audited).
    pub fn put_unaudited<T: Record>(&mut self, record: T) {
        self.ops.push(Op::Put(Box::new(record), false));
    }

    /// Adds a deletion of the `T` record at `key`. The write fails with
    /// [`StoreError::Referenced`] if other records still refer to it, and with
    /// [`StoreError::NotFound`] if it is not there.
    pub fn delete<T: Record>(&mut self, key: Vec<u8>) {
        self.ops.push(Op::Delete {
            tree: T::TREE,
            key,
            stored: records::stored::<T>,
        });
    }

    /// Refuses the batch with [`StoreError::Stale`] unless the record at `key` in `tree` is
    /// still at `version` (what the writer read with [`Store::version`]).
    pub fn expect_version(&mut self, tree: TreeName, key: Vec<u8>, version: u64) {
        self.expect.push((tree, key, version));
    }

    /// Adds one `migrate` audit entry with this note (a change to the database's form).
    pub fn migration(&mut self, note: &str) {
        self.migration = Some(note.to_string());
    }

    /// A note recorded with every audit entry of this batch (e.g. the reason for a correction).
    pub fn note(&mut self, note: impl Into<String>) {
        self.note = note.into();
    }

    /// Adds one `import` audit entry with this summary (the records put with
    /// [`Batch::put_unaudited`] have no entry of their own).
    pub fn as_import(&mut self, summary: impl Into<String>) {
        self.import_summary = Some(summary.into());
    }

    /// Writes the records as they were, with no new audit entry: only for restoring a backup,
    /// whose audit trail is restored verbatim afterwards ([`Store::restore_audit`]).
    pub fn restoring(&mut self) {
        self.restoring = true;
    }

    /// The records the batch puts, in order (its deletions are dropped): for a bulk write's
    /// [`super::Bulk::put_new`].
    pub fn into_puts(self) -> Vec<Box<dyn records::ErasedRecord>> {
        self.ops
            .into_iter()
            .filter_map(|op| match op {
                Op::Put(r, _) => Some(r),
                Op::Delete { .. } => None,
            })
            .collect()
    }

    /// Whether the batch names the version it expects of the record at `key` in `tree`.
    pub fn expects(&self, tree: TreeName, key: &[u8]) -> bool {
        self.expect.iter().any(|(t, k, _)| *t == tree && k == key)
    }

    /// Number of operations in the batch.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// Whether the batch is empty.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }
}

pub(crate) struct Prepared {
    pub(crate) tree: TreeName,
    pub(crate) key: Vec<u8>,
    pub(crate) value: Option<Vec<u8>>,
    pub(crate) effects: records::Effects,
    pub(crate) json: Option<serde_json::Value>,
    pub(crate) audited: bool,
    pub(crate) stored: records::StoredFn,
}

/// Decodes a value of type `T` found in `tree` at `key`, naming both on failure.
pub fn decode_at<T: Record>(tree: TreeName, key: &[u8], bytes: &[u8]) -> Result<T> {
    codec::decode::<T>(bytes).map_err(|reason| StoreError::Decode {
        tree: tree.name(),
        key: keys::show_key(key),
        reason,
    })
}

/// Adds one counter cell `(k, v)` found under `prefix` to `out` (index 0 = April).
///
/// Errors: a malformed cell, as [`StoreError::Decode`].
pub(crate) fn put_month_cell(prefix: &[u8], k: &[u8], v: &[u8], out: &mut [i64; 12]) -> Result<()> {
    let slot = k
        .get(prefix.len()..)
        .and_then(|t| std::str::from_utf8(t).ok())
        .and_then(|t| t.parse::<usize>().ok())
        .filter(|s| *s < 12);
    let (Some(slot), Ok(arr)) = (slot, <[u8; 8]>::try_from(v)) else {
        return Err(StoreError::Decode {
            tree: "counters",
            key: keys::show_key(k),
            reason: format!("malformed counter cell ({} bytes)", v.len()),
        });
    };
    out[slot] = i64::from_be_bytes(arr);
    Ok(())
}
