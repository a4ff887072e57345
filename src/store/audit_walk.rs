//! The store's audit trail and whole-tree walks: every record or audit entry in order, the
//! audit key and chain, and reference counts.

use super::*;

impl Store {
    /// Every `(key, value)` pair of `tree` under `prefix`, in key order, to `f` (paged through a
    /// server), stopping at `f`'s first error.
    pub(super) fn scan_pairs(
        &self,
        tree: TreeName,
        prefix: &[u8],
        mut f: impl FnMut(&[u8], &[u8]) -> Result<()>,
    ) -> Result<()> {
        match &self.backend {
            Backend::Local(l) => {
                for kv in l.walk(tree, |t| t.scan_prefix(prefix), false) {
                    let (k, v) = kv?;
                    f(&k, &v)?;
                }
                Ok(())
            }
            Backend::Remote(c) => c.pages(
                |after| remote::Request::Scan {
                    tree,
                    prefix: prefix.to_vec(),
                    after,
                },
                |k, v| f(&k, &v),
            ),
        }
    }

    /// Writes every record of `tree` to `out` in key order as one line each,
    /// `{"t":"<tree>","r":<its JSON>}`, decoding each straight into the writer (a backup of any
    /// size streams through it); `each()` is called after every record. Returns the number of
    /// records.
    ///
    /// Errors: a value that cannot be decoded (named by tree and key), a sled error, or `out`'s.
    pub fn write_records_json(
        &self,
        tree: TreeName,
        out: &mut dyn std::io::Write,
        mut each: impl FnMut(),
    ) -> Result<usize> {
        let Some(kind) = records::kind(tree) else {
            return Ok(0);
        };
        let io = |source: std::io::Error| StoreError::Io {
            what: "cannot write a record".into(),
            source,
        };
        let head = format!("{{\"t\":\"{}\",\"r\":", tree.name());
        let mut n = 0;
        self.scan_pairs(tree, b"", |k, v| {
            out.write_all(head.as_bytes()).map_err(io)?;
            (kind.json_to)(v, k, out)?;
            out.write_all(b"}\n").map_err(io)?;
            n += 1;
            each();
            Ok(())
        })?;
        Ok(n)
    }

    /// Calls `f` with every `T` record in key order, one at a time (memory is one record).
    ///
    /// Errors: the first value that cannot be decoded (named by tree and key), or a sled
    /// error, or `f`'s.
    pub fn for_each<T: Record>(&self, mut f: impl FnMut(T) -> Result<()>) -> Result<()> {
        self.scan_pairs(T::TREE, b"", |k, v| {
            f(batch::decode_at::<T>(T::TREE, k, v)?)
        })
    }

    /// How many records `tree` holds, from the counts kept with every write (no walk); through
    /// a server, the server's count.
    pub fn record_count(&self, tree: TreeName) -> u64 {
        match &self.backend {
            Backend::Local(l) => l
                .acknowledged()
                .counts
                .get(tree.name())
                .copied()
                .unwrap_or(0),
            Backend::Remote(_) => self.tree_len(tree) as u64,
        }
    }

    /// Calls `f` with every record of `tree` as JSON (its serde form), in key order, one at a
    /// time (a backup of any size streams through it). Returns the number of records.
    ///
    /// Errors: a value that cannot be decoded (named by tree and key), or a sled error.
    pub fn for_each_record(
        &self,
        tree: TreeName,
        mut f: impl FnMut(serde_json::Value) -> std::result::Result<(), String>,
    ) -> Result<usize> {
        let Some(decode) = records::stored_fn(tree) else {
            return Ok(0);
        };
        let mut n = 0;
        self.scan_pairs(tree, b"", |k, v| {
            let (_, json) = decode(v, k)?;
            f(json).map_err(StoreError::Invalid)?;
            n += 1;
            Ok(())
        })?;
        Ok(n)
    }

    /// The record of `tree` stored at `key`, as JSON (its serde form); `None` when there is
    /// none, or `tree` holds no records.
    ///
    /// Errors: a value that cannot be decoded (named by tree and key), a sled error, or
    /// [`StoreError::Exclusive`] through a server (a restore reads the database it builds).
    pub fn record_json(&self, tree: TreeName, key: &[u8]) -> Result<Option<serde_json::Value>> {
        let Backend::Local(l) = &self.backend else {
            return Err(StoreError::Exclusive("reading a stored record's JSON"));
        };
        let Some(decode) = records::stored_fn(tree) else {
            return Ok(None);
        };
        match l.get_raw(tree, key)? {
            Some(v) => Ok(Some(decode(&v, key)?.1)),
            None => Ok(None),
        }
    }

    /// Calls `f` with every audit entry, oldest first.
    ///
    /// Errors: an entry that cannot be decoded, or a sled error.
    pub fn for_each_audit(
        &self,
        mut f: impl FnMut(&AuditEntry) -> std::result::Result<(), String>,
    ) -> Result<usize> {
        if let Backend::Local(l) = &self.backend {
            return l.for_each_audit(f);
        }
        let all = self.audit_entries(usize::MAX, |_| true);
        if let Some(e) = all.problems.into_iter().next() {
            return Err(e);
        }
        for e in all.items.iter().rev() {
            f(e).map_err(StoreError::Invalid)?;
        }
        Ok(all.items.len())
    }

    /// Appends audit entries exactly as they were (sequence numbers, hashes) after the head and
    /// moves the head to the last one, then makes it durable. Only for restoring a backup (in
    /// parts, in order) into a database being built.
    ///
    /// Errors: the first entry does not follow the head; encode or sled errors;
    /// [`StoreError::Exclusive`] through a server.
    pub fn restore_audit(&self, entries: &[AuditEntry]) -> Result<()> {
        match &self.backend {
            Backend::Local(l) => l.restore_audit(entries),
            Backend::Remote(_) => Err(StoreError::Exclusive("restore")),
        }
    }

    /// The key of this database's audit chain (in a backup archive, so its chain verifies when
    /// restored). `None` through a server.
    pub fn audit_key(&self) -> Option<[u8; 32]> {
        self.local().map(|l| l.audit_key())
    }

    /// Sets the audit key of a database being restored (its trail still empty).
    ///
    /// Errors: the trail is not empty; the key cannot be written; [`StoreError::Exclusive`]
    /// through a server.
    pub fn set_audit_key(&self, key: [u8; 32]) -> Result<()> {
        match &self.backend {
            Backend::Local(l) => l.set_audit_key(&self.path, key),
            Backend::Remote(_) => Err(StoreError::Exclusive("restore")),
        }
    }

    /// Re-hashes an audit chain restored from an archive made before chains were keyed (see
    /// the `migrate` entry it appends). Returns its note.
    ///
    /// Errors: read or write errors; [`StoreError::Exclusive`] through a server.
    pub fn rekey_audit(&self) -> Result<String> {
        match &self.backend {
            Backend::Local(l) => l.rekey_audit(),
            Backend::Remote(_) => Err(StoreError::Exclusive("restore")),
        }
    }

    /// How many records of each referring type point at record `id` of `kind`.
    ///
    /// Errors: sled errors, or the server's.
    pub fn references(&self, kind: records::RefKind, id: u64) -> Result<Vec<(&'static str, i64)>> {
        match &self.backend {
            Backend::Local(l) => l.references(kind, id),
            Backend::Remote(c) => match c.call(&remote::Request::References { kind, id }, true)? {
                remote::Reply::Refs(r) => Ok(r
                    .iter()
                    .map(|(t, n)| (remote::static_name(t), *n))
                    .collect()),
                other => Err(remote::unexpected(&other)),
            },
        }
    }

    /// Audit entries, newest first, that satisfy `keep`, at most `limit`.
    pub fn audit_entries(
        &self,
        limit: usize,
        keep: impl Fn(&AuditEntry) -> bool,
    ) -> Loaded<AuditEntry> {
        let c = match &self.backend {
            Backend::Local(l) => return l.audit_entries(limit, keep),
            Backend::Remote(c) => c,
        };
        let mut out = Loaded::default();
        let mut before = None;
        while out.items.len() < limit {
            match c.call(&remote::Request::AuditPage { before }, true) {
                Ok(remote::Reply::Audit { entries, more }) => {
                    before = entries.last().map(|e| e.record.seq);
                    out.items.extend(
                        entries
                            .into_iter()
                            .filter(|e| keep(e))
                            .take(limit - out.items.len()),
                    );
                    if !more || before.is_none() {
                        break;
                    }
                }
                Ok(other) => {
                    out.problems.push(remote::unexpected(&other));
                    break;
                }
                Err(e) => {
                    out.problems.push(e);
                    break;
                }
            }
        }
        out
    }

    /// Checks the audit chain from the first entry: sequence without gaps, each entry's
    /// `prev_hash` equal to the previous entry's hash, each hash recomputed from its content,
    /// and the head in `meta` equal to the last entry. Returns one message per break.
    pub fn verify_audit_chain(&self) -> Vec<crate::domain::Text> {
        match &self.backend {
            Backend::Local(l) => l.verify_audit_chain(),
            Backend::Remote(c) => match c.call(&remote::Request::VerifyAuditChain, true) {
                Ok(remote::Reply::Lines(l)) => l,
                Ok(other) => vec![crate::store::check::said(&remote::unexpected(&other))],
                Err(e) => vec![crate::store::check::said(&e)],
            },
        }
    }
}
