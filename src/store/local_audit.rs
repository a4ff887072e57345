//! The audit trail in the database opened in this process: reading, verifying and restoring
//! the hash-chained entries, and appending them inside a write's transaction.

use super::local::{AUDIT_HEAD, Local};
use super::*;
use crate::domain::AuditRecord;
use crate::domain::audit;
use sled::transaction::TransactionalTree;

impl Local {
    /// Calls `f` with every audit entry, oldest first.
    ///
    /// Errors: an entry that cannot be decoded, or a sled error.
    pub fn for_each_audit(
        &self,
        mut f: impl FnMut(&AuditEntry) -> std::result::Result<(), String>,
    ) -> Result<usize> {
        let mut n = 0;
        for kv in self.walk(TreeName::Audit, |t| t.iter(), false) {
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

    /// Appends audit entries exactly as they were (sequence numbers, hashes) after the current
    /// head and moves the head to the last one, then makes it durable. Only for restoring a
    /// backup (in parts of any size, in order) into a database being built.
    ///
    /// Errors: the first entry does not follow the head (sequence numbers must run on without a
    /// gap); encode or sled errors.
    pub fn restore_audit(&self, entries: &[AuditEntry]) -> Result<()> {
        let audit = self.tree(TreeName::Audit);
        let head = self
            .tree(TreeName::Meta)
            .get(AUDIT_HEAD)?
            .and_then(|h| keys::parse_id(h.get(..8)?))
            .unwrap_or(0);
        if let Some(first) = entries.first()
            && first.record.seq != head + 1
        {
            return Err(StoreError::Invalid(format!(
                "audit entry {} does not follow entry {head}; restore only into a database being built",
                first.record.seq
            )));
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
        self.count_write(
            &[(TreeName::Audit, entries.len() as i64)]
                .into_iter()
                .collect(),
        )
    }

    /// Audit entries, newest first, that satisfy `keep`, at most `limit`.
    pub fn audit_entries(
        &self,
        limit: usize,
        keep: impl Fn(&AuditEntry) -> bool,
    ) -> Loaded<AuditEntry> {
        let mut out = Loaded::default();
        for kv in self.walk(TreeName::Audit, |t| t.iter().rev(), true) {
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
                Err(e) => out.problems.push(e),
            }
        }
        out
    }

    /// Checks the audit chain from the first entry: sequence without gaps, each entry's
    /// `prev_hash` equal to the previous entry's hash, each hash recomputed from its content,
    /// and the head in `meta` equal to the last entry. Returns one message per break.
    pub fn verify_audit_chain(&self) -> Vec<crate::domain::Text> {
        let key = *self.audit_key.read().unwrap_or_else(|p| p.into_inner());
        self.verify_chain_with(|prev, body| audit::chain_hash(&key, prev, body))
    }

    /// The chain's problems, its hashes computed by `hash(prev, encoded record)`.
    fn verify_chain_with(
        &self,
        hash: impl Fn(&[u8; 32], &[u8]) -> [u8; 32],
    ) -> Vec<crate::domain::Text> {
        use crate::domain::Text;
        let mut problems = Vec::new();
        let mut prev = [0u8; 32];
        let mut expected = 1u64;
        for kv in self.walk(TreeName::Audit, |t| t.iter(), false) {
            let (k, v) = match kv {
                Ok(kv) => kv,
                Err(e) => {
                    problems.push(Text::new(format!("監査記録: {e}"), format!("audit: {e}")));
                    continue;
                }
            };
            let seq = keys::parse_id(&k).unwrap_or(0);
            let entry = match codec::decode::<AuditEntry>(&v) {
                Ok(e) => e,
                Err(reason) => {
                    problems.push(Text::new(
                        format!("監査記録 {seq}: 読めません: {reason}"),
                        format!("audit entry {seq}: cannot be read: {reason}"),
                    ));
                    continue;
                }
            };
            if seq != expected || entry.record.seq != seq {
                problems.push(Text::new(
                    format!("監査記録 {seq}: 番号は {expected} のはずです(記録が抜けたか、移されています)"),
                    format!("audit entry {seq}: expected sequence number {expected} (an entry is missing or was moved)"),
                ));
            }
            if entry.prev_hash != prev {
                problems.push(Text::new(
                    format!("監査記録 {seq}: 前の記録に続いていません(連鎖が切れています)"),
                    format!("audit entry {seq}: does not follow the previous entry (chain broken)"),
                ));
            }
            let recomputed = codec::encode(&entry.record)
                .map(|b| hash(&entry.prev_hash, &b))
                .unwrap_or([0; 32]);
            if recomputed != entry.hash {
                problems.push(Text::new(
                    format!("監査記録 {seq}: 内容がハッシュと合いません(書かれた後に変えられています)"),
                    format!("audit entry {seq}: content does not match its hash (altered after it was written)"),
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
            problems.push(Text::new(
                format!(
                    "監査記録の末尾の印が最後の記録({})と合いません。末尾の記録が消されています",
                    expected - 1
                ),
                format!(
                    "audit head in meta does not match the last entry ({}); entries were removed at the end",
                    expected - 1
                ),
            ));
        }
        problems
    }
}

impl Local {
    /// Re-hashes an audit chain made before kyodo kept a key (plain SHA-256) with the key, in
    /// one batch, and appends a `migrate` entry saying so and whether the old chain verified
    /// (and if not, where it broke: that evidence stays in the trail). Returns a note.
    ///
    /// Errors: an entry that cannot be read or written.
    pub(super) fn rekey_audit(&self) -> Result<String> {
        let before = self.verify_chain_with(audit::plain_chain_hash);
        let key = *self.audit_key.read().unwrap_or_else(|p| p.into_inner());
        let mut b = sled::Batch::default();
        let mut prev = [0u8; 32];
        let mut n = 0u64;
        for kv in self.walk(TreeName::Audit, |t| t.iter(), false) {
            let (k, v) = kv?;
            let mut e: AuditEntry = codec::decode(&v).map_err(|reason| StoreError::Decode {
                tree: "audit",
                key: keys::show_key(&k),
                reason,
            })?;
            let body = codec::encode(&e.record).map_err(|m| StoreError::Encode("audit", m))?;
            e.prev_hash = prev;
            e.hash = audit::chain_hash(&key, &prev, &body);
            prev = e.hash;
            b.insert(
                k,
                codec::encode(&e).map_err(|m| StoreError::Encode("audit", m))?,
            );
            n += 1;
        }
        let seq = n;
        let mut h = seq.to_be_bytes().to_vec();
        h.extend_from_slice(&prev);
        self.tree(TreeName::Audit).apply_batch(b)?;
        self.tree(TreeName::Meta).insert(AUDIT_HEAD, h)?;
        let note = if before.is_empty() {
            format!(
                "audit chain of {n} entries verified, then re-hashed with the database's key (HMAC-SHA256)"
            )
        } else {
            format!(
                "audit chain of {n} entries re-hashed with the database's key (HMAC-SHA256); before, it had {} break(s): {}",
                before.len(),
                before
                    .iter()
                    .map(|t| t.en.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        };
        let mut batch = Batch::new();
        batch.migration(&note);
        self.write(
            batch,
            &Actor {
                login: "kyodo".into(),
                staff_id: None,
            },
        )?;
        Ok(note)
    }

    /// Replaces the audit key (restore puts the archive's back) of a database whose audit trail
    /// is still empty.
    ///
    /// Errors: the trail is not empty; the key cannot be written.
    pub(super) fn set_audit_key(&self, dir: &std::path::Path, key: [u8; 32]) -> Result<()> {
        if !self.tree(TreeName::Audit).is_empty() {
            return Err(StoreError::Invalid("the audit trail is not empty".into()));
        }
        super::recovery::write_key(dir, &key).map_err(|source| StoreError::Io {
            what: "cannot write the audit key".into(),
            source,
        })?;
        *self.audit_key.write().unwrap_or_else(|p| p.into_inner()) = key;
        Ok(())
    }

    /// The audit key (for a backup: an archive carries it, so its chain verifies on restore).
    pub(super) fn audit_key(&self) -> [u8; 32] {
        *self.audit_key.read().unwrap_or_else(|p| p.into_inner())
    }
}

/// Appends audit records after the chain head, inside the caller's transaction.
pub(super) fn append_audit(
    key: &[u8; 32],
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
        let hash = audit::chain_hash(key, &prev, &body);
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
