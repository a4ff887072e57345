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
    db: sled::Db,
    trees: Vec<sled::Tree>,
    db_file: Option<File>,
    /// Added to every generated id: above every id a restore brought in (meta `id_floor`).
    id_floor: std::sync::atomic::AtomicU64,
}

impl Local {
    /// Opens (creating if needed) the database directory at `path`.
    ///
    /// Errors: [`StoreError::Locked`] when another process has it open; [`StoreError::SchemaTooNew`];
    /// sled and I/O errors.
    pub fn open(path: &Path) -> Result<Local> {
        std::fs::create_dir_all(path).map_err(|source| StoreError::Io {
            what: format!("cannot create the database directory {}", path.display()),
            source,
        })?;
        let db = sled::Config::new()
            .path(path)
            .cache_capacity(CACHE_BYTES)
            .open()
            .map_err(|e| match e {
                sled::Error::Io(ref io)
                    if io.kind() == std::io::ErrorKind::Other
                        && io.to_string().contains("could not acquire lock") =>
                {
                    StoreError::Locked(path.to_path_buf())
                }
                other => StoreError::Sled(other),
            })?;
        let trees = TreeName::ALL
            .iter()
            .map(|t| db.open_tree(t.name()))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let db_file = File::open(path.join("db")).ok();
        let store = Local {
            db,
            trees,
            db_file,
            id_floor: std::sync::atomic::AtomicU64::new(0),
        };
        if let Some(v) = store.tree(TreeName::Meta).get(ID_FLOOR)?
            && let Ok(b) = <[u8; 8]>::try_from(v.as_ref())
        {
            store
                .id_floor
                .store(u64::from_be_bytes(b), std::sync::atomic::Ordering::SeqCst);
        }
        store.check_schema()?;
        Ok(store)
    }

    pub(crate) fn tree(&self, t: TreeName) -> &sled::Tree {
        &self.trees[t.index()]
    }

    fn check_schema(&self) -> Result<()> {
        let meta = self.tree(TreeName::Meta);
        match meta.get(b"schema_version")? {
            Some(v) => {
                let found = v.as_ref().try_into().map(u32::from_be_bytes).map_err(|_| {
                    StoreError::Decode {
                        tree: "meta",
                        key: "schema_version".into(),
                        reason: format!("expected 4 bytes, found {}", v.len()),
                    }
                })?;
                if found > SCHEMA_VERSION {
                    return Err(StoreError::SchemaTooNew {
                        found,
                        supported: SCHEMA_VERSION,
                    });
                }
                Ok(())
            }
            None => {
                meta.insert(b"schema_version", &SCHEMA_VERSION.to_be_bytes())?;
                self.sync()
            }
        }
    }

    /// The schema version recorded in the `meta` tree.
    pub fn schema_version(&self) -> Result<Option<u32>> {
        Ok(self
            .tree(TreeName::Meta)
            .get(b"schema_version")?
            .and_then(|v| v.as_ref().try_into().ok().map(u32::from_be_bytes)))
    }

    /// Makes everything written so far durable: sled `flush()` (which uses `sync_file_range`),
    /// then `fsync` of the database file (DESIGN.md, "sled facts").
    pub fn sync(&self) -> Result<()> {
        self.db.flush()?;
        if let Some(f) = &self.db_file {
            f.sync_all().map_err(|source| StoreError::Io {
                what: "cannot fsync the database file".into(),
                source,
            })?;
        }
        Ok(())
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
    pub fn write_unsynced(&self, mut batch: Batch, actor: &Actor) -> Result<Vec<Vec<u8>>> {
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
        let result = self
            .trees
            .as_slice()
            .transaction(|txs: &Vec<TransactionalTree>| {
                let tx = |t: TreeName| &txs[t.index()];
                let counters = tx(TreeName::Counters);
                let mut deltas: BTreeMap<Vec<u8>, i64> = BTreeMap::new();
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
                            (records::RefKind::of_tree(p.tree), keys::parse_id(&p.key))
                    {
                        let mut refs = Vec::new();
                        for from in kind.referrers() {
                            let k = records::ref_key(kind, id, *from);
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
                    if !p.audited {
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
                    let changes = audit::diff(old_json.as_ref(), p.json.as_ref());
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
                    append_audit(tx(TreeName::Meta), tx(TreeName::Audit), audits).map_err(abort)?;
                }
                Ok(())
            });
        match result {
            Ok(()) => {}
            Err(TransactionError::Abort(e)) => return Err(e),
            Err(TransactionError::Storage(e)) => return Err(StoreError::Sled(e)),
        }
        Ok(prepared.into_iter().map(|p| p.key).collect())
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

    /// Calls `f` with every audit entry, oldest first.
    ///
    /// Errors: an entry that cannot be decoded, or a sled error.
    pub fn for_each_audit(
        &self,
        mut f: impl FnMut(&AuditEntry) -> std::result::Result<(), String>,
    ) -> Result<usize> {
        let mut n = 0;
        for kv in self.tree(TreeName::Audit).iter() {
            let (k, v) = kv?;
            let e: AuditEntry = codec::decode(&v).map_err(|reason| StoreError::Decode {
                tree: "audit",
                key: keys::show_key(&k),
                reason,
            })?;
            f(&e).map_err(StoreError::Invalid)?;
            n += 1;
        }
        Ok(n)
    }

    /// Writes audit entries exactly as they were (sequence numbers, hashes) and sets the chain
    /// head to the last one, then makes it durable. Only for restoring a backup into a store
    /// whose audit tree is empty.
    ///
    /// Errors: the audit tree is not empty; encode or sled errors.
    pub fn restore_audit(&self, entries: &[AuditEntry]) -> Result<()> {
        let audit = self.tree(TreeName::Audit);
        if !audit.is_empty() {
            return Err(StoreError::Invalid(
                "the audit trail is not empty; restore only into an empty database".into(),
            ));
        }
        let mut b = sled::Batch::default();
        for e in entries {
            let bytes = codec::encode(e).map_err(|m| StoreError::Encode("audit", m))?;
            b.insert(&e.record.seq.to_be_bytes()[..], bytes);
        }
        audit.apply_batch(b)?;
        if let Some(last) = entries.last() {
            let mut h = last.record.seq.to_be_bytes().to_vec();
            h.extend_from_slice(&last.hash);
            self.tree(TreeName::Meta).insert(AUDIT_HEAD, h)?;
        }
        self.sync()
    }

    /// How many records of each referring type point at record `id` of `kind`.
    pub fn references(&self, kind: records::RefKind, id: u64) -> Result<Vec<(&'static str, i64)>> {
        let mut out = Vec::new();
        for from in kind.referrers() {
            let n = read_i64(
                self.tree(TreeName::Counters)
                    .get(records::ref_key(kind, id, *from))?,
            );
            if n > 0 {
                out.push((from.name(), n));
            }
        }
        Ok(out)
    }

    /// Audit entries, newest first, that satisfy `keep`, at most `limit`.
    pub fn audit_entries(
        &self,
        limit: usize,
        keep: impl Fn(&AuditEntry) -> bool,
    ) -> Loaded<AuditEntry> {
        let mut out = Loaded::default();
        for kv in self.tree(TreeName::Audit).iter().rev() {
            if out.items.len() >= limit {
                break;
            }
            match kv {
                Ok((k, v)) => match codec::decode::<AuditEntry>(&v) {
                    Ok(e) if keep(&e) => out.items.push(e),
                    Ok(_) => {}
                    Err(reason) => out.problems.push(StoreError::Decode {
                        tree: "audit",
                        key: keys::show_key(&k),
                        reason,
                    }),
                },
                Err(e) => out.problems.push(e.into()),
            }
        }
        out
    }

    /// Checks the audit chain from the first entry: sequence without gaps, each entry's
    /// `prev_hash` equal to the previous entry's hash, each hash recomputed from its content,
    /// and the head in `meta` equal to the last entry. Returns one message per break.
    pub fn verify_audit_chain(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut prev = [0u8; 32];
        let mut expected = 1u64;
        for kv in self.tree(TreeName::Audit).iter() {
            let (k, v) = match kv {
                Ok(kv) => kv,
                Err(e) => {
                    problems.push(format!("audit: {e}"));
                    continue;
                }
            };
            let seq = keys::parse_id(&k).unwrap_or(0);
            let entry = match codec::decode::<AuditEntry>(&v) {
                Ok(e) => e,
                Err(reason) => {
                    problems.push(format!("audit entry {seq}: cannot be read: {reason}"));
                    continue;
                }
            };
            if seq != expected || entry.record.seq != seq {
                problems.push(format!(
                    "audit entry {seq}: expected sequence number {expected} (an entry is missing or was moved)"
                ));
            }
            if entry.prev_hash != prev {
                problems.push(format!(
                    "audit entry {seq}: does not follow the previous entry (chain broken)"
                ));
            }
            let recomputed = codec::encode(&entry.record)
                .map(|b| audit::chain_hash(&entry.prev_hash, &b))
                .unwrap_or([0; 32]);
            if recomputed != entry.hash {
                problems.push(format!(
                    "audit entry {seq}: content does not match its hash (altered after it was written)"
                ));
            }
            prev = entry.hash;
            expected = seq + 1;
        }
        let head = self.tree(TreeName::Meta).get(AUDIT_HEAD).ok().flatten();
        let head_ok = match head {
            Some(h) if h.len() == 40 => {
                keys::parse_id(&h[..8]) == Some(expected - 1) && h[8..] == prev
            }
            None => expected == 1,
            Some(_) => false,
        };
        if !head_ok {
            problems.push(format!(
                "audit head in meta does not match the last entry ({}); entries were removed at the end",
                expected - 1
            ));
        }
        problems
    }
    /// Reads one record by key.
    ///
    /// Errors: [`StoreError::Decode`] naming tree and key.
    pub fn get<T: Record>(&self, key: &[u8]) -> Result<Option<T>> {
        match self.tree(T::TREE).get(key)? {
            Some(v) => decode_at::<T>(T::TREE, key, &v).map(Some),
            None => Ok(None),
        }
    }

    /// Reads every record of a small table (bodies, staff, programs, indicators…), in key order.
    /// Not for the date-indexed tables at scale: use [`Store::list_fy`].
    pub fn list<T: Record>(&self) -> Loaded<T> {
        let mut out = Loaded::default();
        for kv in self.tree(T::TREE).iter() {
            match kv {
                Ok((k, v)) => match decode_at::<T>(T::TREE, &k, &v) {
                    Ok(r) => out.items.push(r),
                    Err(e) => out.problems.push(e),
                },
                Err(e) => out.problems.push(e.into()),
            }
        }
        out
    }

    /// Reads the records of one fiscal year through the date index, in date order.
    pub fn list_fy<T: Dated>(&self, fy: FiscalYear) -> Loaded<T> {
        let mut out = Loaded::default();
        for kv in self.tree(T::INDEX).scan_prefix(keys::fy_prefix(fy)) {
            let key = match kv {
                Ok((k, _)) => k,
                Err(e) => {
                    out.problems.push(e.into());
                    continue;
                }
            };
            let Some(id) = keys::date_index_id(&key) else {
                out.problems.push(StoreError::Decode {
                    tree: T::INDEX.name(),
                    key: keys::show_key(&key),
                    reason: "malformed index key".into(),
                });
                continue;
            };
            match self.get::<T>(&keys::id_key(id)) {
                Ok(Some(r)) => out.items.push(r),
                Ok(None) => out.problems.push(StoreError::Decode {
                    tree: T::INDEX.name(),
                    key: keys::show_key(&key),
                    reason: format!("index points to missing {} record {id}", T::TREE.name()),
                }),
                Err(e) => out.problems.push(e),
            }
        }
        out
    }

    /// Number of index entries of a date-indexed type in one fiscal year (keys only).
    pub fn count_fy<T: Dated>(&self, fy: FiscalYear) -> usize {
        self.count_index(T::INDEX, fy)
    }

    /// Entries of date index `index` in fiscal year `fy` (keys only).
    pub(crate) fn count_index(&self, index: TreeName, fy: FiscalYear) -> usize {
        self.tree(index)
            .scan_prefix(keys::fy_prefix(fy))
            .keys()
            .count()
    }

    /// A stored value's bytes, undecoded (the server passes them on).
    pub(crate) fn get_raw(&self, tree: TreeName, key: &[u8]) -> Result<Option<Vec<u8>>> {
        Ok(self.tree(tree).get(key)?.map(|v| v.to_vec()))
    }

    /// One page of a server reply: the `(key, value)` pairs of `tree` under `prefix` whose key
    /// comes after `after`, each value mapped by `f` (`None` leaves the pair out), at most
    /// [`remote::PAGE`] pairs or [`remote::PAGE_BYTES`] bytes. Returns the pairs and whether
    /// more follow.
    ///
    /// Errors: sled errors.
    pub(crate) fn page(
        &self,
        tree: TreeName,
        prefix: &[u8],
        after: Option<&[u8]>,
        mut f: impl FnMut(&[u8], &[u8]) -> Option<Vec<u8>>,
    ) -> Result<(remote::Pairs, bool)> {
        let t = self.tree(tree);
        let iter: Box<dyn Iterator<Item = sled::Result<(sled::IVec, sled::IVec)>>> = match after {
            // The first key after `a` in sled's order is `a` followed by a zero byte.
            Some(a) => Box::new(t.range([a, &[0u8][..]].concat()..)),
            None => Box::new(t.scan_prefix(prefix)),
        };
        let mut pairs = Vec::new();
        let mut bytes = 0;
        for kv in iter {
            let (k, v) = kv?;
            if !k.starts_with(prefix) {
                break;
            }
            if pairs.len() >= remote::PAGE as usize || bytes >= remote::PAGE_BYTES {
                return Ok((pairs, true));
            }
            if let Some(v) = f(&k, &v) {
                bytes += k.len() + v.len();
                pairs.push((k.to_vec(), v));
            }
        }
        Ok((pairs, false))
    }

    /// Up to `n` audit entries older than sequence number `before` (all, when `None`), newest
    /// first, and whether older ones remain. Entries that cannot be read are left out (`kyodo
    /// check` reports them).
    ///
    /// Errors: sled errors.
    pub(crate) fn audit_page(
        &self,
        before: Option<u64>,
        n: usize,
    ) -> Result<(Vec<AuditEntry>, bool)> {
        let t = self.tree(TreeName::Audit);
        let iter: Box<dyn Iterator<Item = sled::Result<(sled::IVec, sled::IVec)>>> = match before {
            Some(b) => Box::new(t.range(..b.to_be_bytes().to_vec()).rev()),
            None => Box::new(t.iter().rev()),
        };
        let mut entries = Vec::new();
        for kv in iter {
            if entries.len() >= n {
                return Ok((entries, true));
            }
            let (_, v) = kv?;
            if let Ok(e) = codec::decode::<AuditEntry>(&v) {
                entries.push(e);
            }
        }
        Ok((entries, false))
    }

    /// The latest fiscal year that has any dated record (meetings, consultations, tallies,
    /// activities), read from the last key of each date index.
    pub fn latest_fy_with_data(&self) -> Result<Option<FiscalYear>> {
        let mut best: Option<FiscalYear> = None;
        for t in [
            TreeName::TeamMeetingsByDate,
            TreeName::ConsultationsByDate,
            TreeName::TalliesByDate,
            TreeName::ActivitiesByDate,
        ] {
            if let Some((k, _)) = self.tree(t).last()?
                && k.len() >= 2
            {
                let fy = FiscalYear(u16::from_be_bytes([k[0], k[1]]) as i32);
                best = Some(best.map_or(fy, |b| b.max(fy)));
            }
        }
        Ok(best)
    }

    /// Whether the database holds no records at all (meta aside).
    pub fn is_empty(&self) -> bool {
        TreeName::ALL
            .iter()
            .filter(|t| !matches!(**t, TreeName::Meta | TreeName::Drafts | TreeName::Versions))
            .all(|t| self.tree(*t).is_empty())
    }

    /// Raw access for tests of corruption handling: overwrite a value's bytes without decoding.
    #[doc(hidden)]
    pub fn raw_put(&self, tree: TreeName, key: &[u8], value: &[u8]) -> Result<()> {
        self.tree(tree).insert(key, value)?;
        self.sync()
    }

    /// Raw access for tests of corruption handling: remove a key without its effects.
    #[doc(hidden)]
    pub fn raw_remove(&self, tree: TreeName, key: &[u8]) -> Result<()> {
        self.tree(tree).remove(key)?;
        self.sync()
    }

    /// Number of entries in a tree (tests and `check`).
    pub fn tree_len(&self, tree: TreeName) -> usize {
        self.tree(tree).len()
    }

    /// Every key of a tree (tests and `check`; never used on a hot path).
    pub fn tree_keys(&self, tree: TreeName) -> Vec<Vec<u8>> {
        self.tree(tree)
            .iter()
            .keys()
            .filter_map(|k| k.ok().map(|k| k.to_vec()))
            .collect()
    }
}

/// Meta key of the id floor (see [`Store::raise_id_floor`]).
const ID_FLOOR: &[u8] = b"id_floor";

/// Meta key of the audit chain's head: `seq (8, big-endian) ++ hash (32)`.
const AUDIT_HEAD: &[u8] = b"audit_head";

/// Key of a record's version: its tree's position, then its key.
fn version_key(tree: TreeName, key: &[u8]) -> Vec<u8> {
    let mut k = vec![tree.index() as u8];
    k.extend_from_slice(key);
    k
}

/// A stored version; an absent or unreadable one counts as never written.
fn read_version(v: Option<sled::IVec>) -> remote::Version {
    v.and_then(|b| codec::decode(&b).ok()).unwrap_or_default()
}

fn read_i64(v: Option<sled::IVec>) -> i64 {
    v.and_then(|v| v.as_ref().try_into().ok().map(i64::from_be_bytes))
        .unwrap_or(0)
}

/// Appends audit records after the chain head, inside the caller's transaction.
fn append_audit(
    meta: &TransactionalTree,
    audit_tree: &TransactionalTree,
    records: Vec<AuditRecord>,
) -> std::result::Result<(), StoreError> {
    if records.is_empty() {
        return Ok(());
    }
    let head = meta
        .get(AUDIT_HEAD)
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    let (mut seq, mut prev) = match head {
        Some(h) if h.len() == 40 => {
            let mut hash = [0u8; 32];
            hash.copy_from_slice(&h[8..]);
            (keys::parse_id(&h[..8]).unwrap_or(0), hash)
        }
        _ => (0, [0u8; 32]),
    };
    for mut record in records {
        seq += 1;
        record.seq = seq;
        let body = codec::encode(&record).map_err(|e| StoreError::Encode("audit", e))?;
        let hash = audit::chain_hash(&prev, &body);
        let entry = AuditEntry {
            record,
            prev_hash: prev,
            hash,
        };
        let bytes = codec::encode(&entry).map_err(|e| StoreError::Encode("audit", e))?;
        audit_tree
            .insert(&seq.to_be_bytes()[..], bytes)
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        prev = hash;
    }
    let mut h = seq.to_be_bytes().to_vec();
    h.extend_from_slice(&prev);
    meta.insert(AUDIT_HEAD, h)
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    Ok(())
}
