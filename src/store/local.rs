//! The database opened in this process (embedded mode, and the server's side of shared mode):
//! every sled access of kyodo is here or in [`super::check`].

use super::*;
use crate::domain::audit;
use crate::domain::{AuditAction, AuditRecord};
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};
use std::fs::File;

/// The database opened in this process: the sled instance and its trees.
pub(crate) struct Local {
    pub(super) db: sled::Db,
    pub(super) trees: Vec<sled::Tree>,
    pub(super) db_file: Option<File>,
    /// Added to every generated id: above every id a restore brought in (meta `id_floor`).
    pub(super) id_floor: std::sync::atomic::AtomicU64,
    /// kyodo's lock on the directory, held while open.
    pub(super) _lock: File,
    /// The durable record of the last acknowledged write.
    pub(super) ack: std::sync::Mutex<ack::AckFile>,
    /// The state after the latest committed transaction (acknowledged at the next sync).
    pub(super) committed: std::sync::Mutex<ack::AckState>,
    /// Held by every write's transaction, and by whoever needs a view no write changes
    /// meanwhile (a backup).
    pub(super) gate: std::sync::Mutex<()>,
    /// What opening found and did (leftovers removed, a migration), for the caller to show.
    pub(super) notes: Vec<crate::domain::Text>,
    /// The key of the audit chain's HMAC (`kyodo.key`).
    pub(super) audit_key: std::sync::RwLock<[u8; 32]>,
    /// Marks a clean close after everything above is dropped (must stay the last field).
    pub(super) _closer: recovery::CloseMarker,
}

impl Local {
    pub(crate) fn tree(&self, t: TreeName) -> &sled::Tree {
        &self.trees[t.index()]
    }

    /// The schema version recorded in the `meta` tree.
    pub fn schema_version(&self) -> Result<Option<u32>> {
        Ok(self
            .tree(TreeName::Meta)
            .get(b"schema_version")?
            .and_then(|v| v.as_ref().try_into().ok().map(u32::from_be_bytes)))
    }

    /// Makes everything written so far durable: sled `flush()` (which uses `sync_file_range`),
    /// then `fsync` of the database file (docs/DESIGN.md, "sled facts"), then the record of the last
    /// acknowledged write ([`ack`]) with the state committed before the flush began.
    ///
    /// Errors: sled, fsync or acknowledgement-file errors (then nothing may be acknowledged).
    pub fn sync(&self) -> Result<()> {
        let mut state = self
            .committed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        self.db.flush()?;
        if let Some(f) = &self.db_file {
            f.sync_all().map_err(|source| StoreError::Io {
                what: "cannot fsync the database file".into(),
                source,
            })?;
        }
        state.at_ms = chrono::Utc::now().timestamp_millis();
        self.ack
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .write(&state)
            .map_err(|source| StoreError::Io {
                what: "cannot write the record of the last acknowledged write (kyodo.ack)".into(),
                source,
            })
    }

    /// Runs `f` while no write can commit (writes wait; reads go on).
    pub(super) fn paused_writes<T>(&self, f: impl FnOnce() -> T) -> T {
        let _gate = self.gate.lock().unwrap_or_else(|p| p.into_inner());
        f()
    }

    /// The state after the latest committed write: sequence, audit head and records per tree.
    pub(super) fn acknowledged(&self) -> ack::AckState {
        self.committed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Records that a transaction committed `state` (kept if newer than what is recorded).
    fn committed(&self, state: ack::AckState) {
        let mut c = self.committed.lock().unwrap_or_else(|p| p.into_inner());
        if state.seq > c.seq {
            *c = state;
        }
    }

    /// A fresh record id (never 0, and above every id a restore brought in).
    pub fn new_id(&self) -> Result<u64> {
        Ok(self.db.generate_id()? + 1 + self.id_floor.load(std::sync::atomic::Ordering::SeqCst))
    }

    /// Makes every later id greater than `max` (after restoring records that keep their ids),
    /// durably.
    pub fn raise_id_floor(&self, max: u64) -> Result<()> {
        let floor = self
            .id_floor
            .fetch_max(max, std::sync::atomic::Ordering::SeqCst)
            .max(max);
        self.tree(TreeName::Meta)
            .insert(ID_FLOOR, &floor.to_be_bytes())?;
        self.sync()
    }

    /// Applies a batch in one transaction over every tree it touches (records, indexes,
    /// counters, references, audit), then makes it durable. Returns the keys in batch order
    /// (fresh ids assigned to records that had id 0).
    ///
    /// Errors: [`StoreError::Referenced`] and [`StoreError::NotFound`] for deletes, encode and
    /// decode errors, sled and fsync errors. On any error nothing is written.
    pub fn write(&self, batch: Batch, actor: &Actor) -> Result<Vec<Vec<u8>>> {
        let keys = self.write_unsynced(batch, actor)?;
        self.sync()?;
        Ok(keys)
    }

    /// [`Local::write`] without the final flush and fsync: the server commits several writers'
    /// transactions and makes them durable with one sync (group commit) before it answers any
    /// of them.
    pub fn write_unsynced(&self, batch: Batch, actor: &Actor) -> Result<Vec<Vec<u8>>> {
        let _gate = self.gate.lock().unwrap_or_else(|p| p.into_inner());
        self.write_gated(batch, actor)
    }

    /// [`Local::write_unsynced`] by a caller that holds the write gate (a bulk write).
    pub(super) fn write_gated(&self, mut batch: Batch, actor: &Actor) -> Result<Vec<Vec<u8>>> {
        for op in batch.ops.iter_mut() {
            if let Op::Put(rec, _) = op
                && rec.needs_id()
            {
                let id = self.new_id()?;
                rec.assign_id(id);
            }
        }
        // Encode once, outside the transaction (its closure may run more than once).
        let prepared: Vec<Prepared> = batch
            .ops
            .iter()
            .map(|op| {
                Ok(match op {
                    Op::Put(r, audited) => Prepared {
                        tree: r.tree(),
                        key: r.key(),
                        value: Some(r.encode()?),
                        effects: r.effects(),
                        // Unaudited puts (bulk-imported new records) need no diff.
                        json: audited.then(|| r.json()),
                        audited: *audited,
                        stored: r.stored(),
                    },
                    Op::Delete { tree, key, stored } => Prepared {
                        tree: *tree,
                        key: key.clone(),
                        value: None,
                        effects: records::Effects::default(),
                        json: None,
                        audited: true,
                        stored: *stored,
                    },
                })
            })
            .collect::<Result<_>>()?;
        let at_ms = chrono::Utc::now().timestamp_millis();
        let actor = actor.clone();
        let abort = ConflictableTransactionError::Abort;
        let key = *self.audit_key.read().unwrap_or_else(|p| p.into_inner());
        // The state this transaction commits (set by its last, successful run).
        let outcome: std::cell::RefCell<ack::AckState> = Default::default();
        let result = self
            .trees
            .as_slice()
            .transaction(|txs: &Vec<TransactionalTree>| {
                let tx = |t: TreeName| &txs[t.index()];
                let counters = tx(TreeName::Counters);
                let mut deltas: BTreeMap<Vec<u8>, i64> = BTreeMap::new();
                let mut tree_deltas: BTreeMap<TreeName, i64> = batch.counted.clone();
                let mut audits: Vec<AuditRecord> = Vec::new();
                let versions = tx(TreeName::Versions);
                for (tree, key, seen) in &batch.expect {
                    let now = read_version(versions.get(version_key(*tree, key))?);
                    if now.n != *seen {
                        return Err(abort(StoreError::Stale(now)));
                    }
                }
                for p in &prepared {
                    let t = tx(p.tree);
                    let old = match &p.value {
                        Some(v) => t.insert(p.key.as_slice(), v.as_slice())?,
                        None => t.remove(p.key.as_slice())?,
                    };
                    match (&old, &p.value) {
                        (None, Some(_)) => *tree_deltas.entry(p.tree).or_default() += 1,
                        (Some(_), None) => *tree_deltas.entry(p.tree).or_default() -= 1,
                        _ => {}
                    }
                    if let (Some(o), Some(n)) = (&old, &p.value)
                        && let Some(may) = records::kind(p.tree).and_then(|k| k.replace)
                    {
                        may(o, n).map_err(|t| abort(StoreError::Denied(t)))?;
                    }
                    let old_json = match &old {
                        Some(bytes) => {
                            let (eff, json) = (p.stored)(bytes, &p.key).map_err(abort)?;
                            for (it, k) in &eff.index {
                                tx(*it).remove(k.as_slice())?;
                            }
                            for (k, d) in eff.counts {
                                *deltas.entry(k).or_default() -= d;
                            }
                            Some(json)
                        }
                        None if p.value.is_none() => {
                            return Err(abort(StoreError::NotFound {
                                tree: p.tree.name(),
                                key: keys::show_key(&p.key),
                            }));
                        }
                        None => None,
                    };
                    for (it, k) in &p.effects.index {
                        tx(*it).insert(k.as_slice(), &[][..])?;
                    }
                    for (k, d) in &p.effects.counts {
                        *deltas.entry(k.clone()).or_default() += d;
                    }
                    if p.value.is_none()
                        && let (Some(kind), Some(id)) =
                            (records::ref_of_tree(p.tree), keys::parse_id(&p.key))
                    {
                        let mut refs = Vec::new();
                        for from in records::referrers(kind) {
                            let k = records::ref_key(kind, id, from);
                            let n = read_i64(counters.get(k.as_slice())?)
                                + deltas.get(&k).copied().unwrap_or(0);
                            if n > 0 {
                                refs.push((from.name(), n));
                            }
                        }
                        if !refs.is_empty() {
                            return Err(abort(StoreError::Referenced {
                                kind: kind.name(),
                                refs,
                            }));
                        }
                    }
                    let action = match (&old, &p.value) {
                        (None, _) => AuditAction::Create,
                        (Some(_), Some(_)) => AuditAction::Update,
                        (Some(_), None) => AuditAction::Delete,
                    };
                    // Only a new record may go without an entry of its own (a bulk import's,
                    // covered by its summary): a change to an existing one is always audited
                    // and versioned, whatever the batch said.
                    if !p.audited && action == AuditAction::Create {
                        continue;
                    }
                    let vk = version_key(p.tree, &p.key);
                    let next = remote::Version {
                        n: read_version(versions.get(vk.as_slice())?).n + 1,
                        by: actor.login.clone(),
                        at_ms,
                    };
                    let bytes = codec::encode(&next)
                        .map_err(|e| abort(StoreError::Encode("version", e)))?;
                    versions.insert(vk, bytes)?;
                    // A put sent without its JSON (an unaudited one that turned out to change
                    // a record) is read back from its encoding.
                    let after = match (&p.json, &p.value) {
                        (Some(j), _) => Some(j.clone()),
                        (None, Some(v)) => Some((p.stored)(v, &p.key).map_err(abort)?.1),
                        (None, None) => None,
                    };
                    // Private fields (a registrant's contact) reach the trail masked.
                    let private = records::kind(p.tree).map_or(&[][..], |k| k.private);
                    let mask = |v: Option<serde_json::Value>| {
                        v.map(|v| super::records::masked(v, private))
                    };
                    let changes = audit::diff(mask(old_json).as_ref(), mask(after).as_ref());
                    if action == AuditAction::Update && changes.is_empty() {
                        continue;
                    }
                    audits.push(AuditRecord {
                        seq: 0,
                        at_ms,
                        actor: actor.clone(),
                        action,
                        record_type: p.tree.name().to_string(),
                        record_key: keys::parse_id(&p.key)
                            .map(|i| i.to_string())
                            .unwrap_or_else(|| keys::show_key(&p.key)),
                        changes,
                        note: batch.note.clone(),
                    });
                }
                for (k, d) in deltas {
                    if d == 0 {
                        continue;
                    }
                    let cur = read_i64(counters.get(k.as_slice())?);
                    counters.insert(k.as_slice(), &(cur + d).to_be_bytes())?;
                }
                if let Some(note) = &batch.migration {
                    audits.push(AuditRecord {
                        seq: 0,
                        at_ms,
                        actor: actor.clone(),
                        action: AuditAction::Migrate,
                        record_type: "database".into(),
                        record_key: String::new(),
                        changes: Vec::new(),
                        note: note.clone(),
                    });
                }
                if let Some(summary) = &batch.import_summary {
                    audits.push(AuditRecord {
                        seq: 0,
                        at_ms,
                        actor: actor.clone(),
                        action: AuditAction::Import,
                        record_type: "import".into(),
                        record_key: String::new(),
                        changes: Vec::new(),
                        note: summary.clone(),
                    });
                }
                if !batch.restoring {
                    *tree_deltas.entry(TreeName::Audit).or_default() += audits.len() as i64;
                    super::local_audit::append_audit(
                        &key,
                        tx(TreeName::Meta),
                        tx(TreeName::Audit),
                        audits,
                    )
                    .map_err(abort)?;
                }
                if batch.ends_bulk {
                    tx(TreeName::Meta).remove(BULK_PENDING)?;
                }
                *outcome.borrow_mut() = bump_meta(tx(TreeName::Meta), &tree_deltas)?;
                Ok(())
            });
        match result {
            Ok(()) => {}
            Err(TransactionError::Abort(e)) => return Err(e),
            Err(TransactionError::Storage(e)) => return Err(StoreError::from(e)),
        }
        self.committed(outcome.into_inner());
        Ok(prepared.into_iter().map(|p| p.key).collect())
    }

    /// Counts a write made outside [`Local::write_unsynced`] (a restored audit trail): one
    /// more write in the sequence and `deltas` records per tree, durably.
    ///
    /// Errors: sled errors.
    pub(super) fn count_write(&self, deltas: &BTreeMap<TreeName, i64>) -> Result<()> {
        let r = self
            .tree(TreeName::Meta)
            .transaction(|meta| bump_meta(meta, deltas));
        match r {
            Ok(state) => self.committed(state),
            Err(TransactionError::Abort(e)) => return Err(e),
            Err(TransactionError::Storage(e)) => return Err(StoreError::from(e)),
        }
        self.sync()
    }

    /// The version of the record at `key` in `tree` (0 when never written since versions were
    /// kept).
    pub fn version(&self, tree: TreeName, key: &[u8]) -> Result<remote::Version> {
        Ok(read_version(
            self.tree(TreeName::Versions).get(version_key(tree, key))?,
        ))
    }

    /// Keeps `draft` (an encoded unsaved form) for `login`, durably.
    pub fn put_draft(&self, login: &str, draft: &[u8]) -> Result<()> {
        self.tree(TreeName::Drafts)
            .insert(login.as_bytes(), draft)?;
        self.sync()
    }

    /// The draft kept for `login`, if any.
    pub fn draft(&self, login: &str) -> Result<Option<Vec<u8>>> {
        Ok(self
            .tree(TreeName::Drafts)
            .get(login.as_bytes())?
            .map(|v| v.to_vec()))
    }

    /// Forgets `login`'s draft.
    pub fn delete_draft(&self, login: &str) -> Result<()> {
        self.tree(TreeName::Drafts).remove(login.as_bytes())?;
        self.sync()
    }

    /// How many records of each referring type point at record `id` of `kind`.
    pub fn references(&self, kind: records::RefKind, id: u64) -> Result<Vec<(&'static str, i64)>> {
        let mut out = Vec::new();
        for from in records::referrers(kind) {
            let n = read_i64(
                self.tree(TreeName::Counters)
                    .get(records::ref_key(kind, id, from))?,
            );
            if n > 0 {
                out.push((from.name(), n));
            }
        }
        Ok(out)
    }
}

/// Meta key of an unfinished undoable bulk write (see `store/bulk.rs`): the smallest id it
/// added (8 bytes, big-endian). Written durably before its first chunk, removed by its closing
/// write.
pub(super) const BULK_PENDING: &[u8] = b"bulk_pending";

/// Meta key of the id floor (see [`Store::raise_id_floor`]).
pub(super) const ID_FLOOR: &[u8] = b"id_floor";

/// Meta key of the audit chain's head: `seq (8, big-endian) ++ hash (32)`.
pub(super) const AUDIT_HEAD: &[u8] = b"audit_head";

/// Key of a record's version: its tree's position, then its key.
pub(super) fn version_key(tree: TreeName, key: &[u8]) -> Vec<u8> {
    let mut k = vec![tree.index() as u8];
    k.extend_from_slice(key);
    k
}

/// A stored version; an absent or unreadable one counts as never written.
pub(super) fn read_version(v: Option<sled::IVec>) -> remote::Version {
    v.and_then(|b| codec::decode(&b).ok()).unwrap_or_default()
}

pub(super) fn read_i64(v: Option<sled::IVec>) -> i64 {
    v.and_then(|v| v.as_ref().try_into().ok().map(i64::from_be_bytes))
        .unwrap_or(0)
}

/// Inside a transaction: one more write in the meta write sequence, `deltas` added to the
/// record counts; returns the state the transaction commits (for the acknowledgement).
fn bump_meta(
    meta: &TransactionalTree,
    deltas: &BTreeMap<TreeName, i64>,
) -> std::result::Result<ack::AckState, ConflictableTransactionError<StoreError>> {
    let seq = recovery::read_u64(meta.get(recovery::WRITE_SEQ)?) + 1;
    meta.insert(recovery::WRITE_SEQ, &seq.to_be_bytes())?;
    let mut state = ack::AckState {
        seq,
        ..Default::default()
    };
    for t in recovery::counted_trees() {
        let k = recovery::count_key(t);
        let mut n = recovery::read_u64(meta.get(k.as_slice())?);
        if let Some(d) = deltas.get(&t).filter(|d| **d != 0) {
            n = n.saturating_add_signed(*d);
            meta.insert(k.as_slice(), &n.to_be_bytes())?;
        }
        state.counts.insert(t.name().to_string(), n);
    }
    if let Some(h) = meta.get(AUDIT_HEAD)?
        && h.len() == 40
    {
        state.audit_seq = keys::parse_id(&h[..8]).unwrap_or(0);
        state.audit_hash.copy_from_slice(&h[8..]);
    }
    Ok(state)
}
