//! 監査記録 (audit trail): who changed what, when, field by field. Entries are append-only and
//! hash-chained: each holds the hash of the previous entry, so a changed or removed entry
//! breaks the chain (issue 3, "Audit trail"; docs/DOMAIN.md, "Who did it"). The hash is keyed
//! (HMAC-SHA256 with a key kept with the database, issue 11): a hash shown to someone who may
//! not see a field (a consultation's summary) tells them nothing about it.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Who is acting: the OS login, and the `Staff` record it maps to, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Actor {
    /// OS login (e.g. `sato.hanako`).
    pub login: String,
    /// Matching staff record id.
    pub staff_id: Option<u64>,
}

/// What happened to a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditAction {
    /// Created.
    Create,
    /// Changed.
    Update,
    /// Deleted.
    Delete,
    /// A bulk import (one entry per import, with counts in the note).
    Import,
    /// A change to the database's form (e.g. the audit chain re-hashed with a key), noted
    /// with what was done.
    Migrate,
}

impl AuditAction {
    /// Stable code for text and JSON output.
    pub fn code(self) -> &'static str {
        match self {
            AuditAction::Create => "create",
            AuditAction::Update => "update",
            AuditAction::Delete => "delete",
            AuditAction::Import => "import",
            AuditAction::Migrate => "migrate",
        }
    }
}

/// One field's value before and after, as compact JSON text (`None` = absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// Field name, e.g. `name` or `follow_ups`.
    pub field: String,
    /// Value before (JSON), `None` for a create.
    pub before: Option<String>,
    /// Value after (JSON), `None` for a delete.
    pub after: Option<String>,
}

/// The content of an audit entry (what the hash covers, with the previous hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// Sequence number, from 1, without gaps.
    pub seq: u64,
    /// When, as Unix milliseconds (UTC).
    pub at_ms: i64,
    /// Who.
    pub actor: Actor,
    /// What happened.
    pub action: AuditAction,
    /// Record type (tree name), e.g. `bodies`.
    pub record_type: String,
    /// Record key, e.g. the id in decimal.
    pub record_key: String,
    /// Field-level changes.
    pub changes: Vec<FieldChange>,
    /// Free text: a reason for a correction, an import's counts.
    pub note: String,
}

/// A stored audit entry: the record, the previous entry's hash, and this entry's hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Content.
    pub record: AuditRecord,
    /// SHA-256 of the previous entry (zeros for the first).
    pub prev_hash: [u8; 32],
    /// SHA-256 of `prev_hash ++ encoded record`.
    pub hash: [u8; 32],
}

/// The chain hash: HMAC-SHA256 under the database's audit key over the previous hash and the
/// encoded record bytes.
pub fn chain_hash(key: &[u8; 32], prev: &[u8; 32], record_bytes: &[u8]) -> [u8; 32] {
    use hmac::{KeyInit, Mac};
    // HMAC accepts a key of any length; a 32-byte key cannot fail.
    let Ok(mut m) = hmac::Hmac::<Sha256>::new_from_slice(key) else {
        return [0; 32];
    };
    m.update(prev);
    m.update(record_bytes);
    m.finalize().into_bytes().into()
}

/// The chain hash of databases made before the key (plain SHA-256), read only to verify an old
/// chain before it is re-hashed with a key.
pub fn plain_chain_hash(prev: &[u8; 32], record_bytes: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(record_bytes);
    h.finalize().into()
}

/// Field-level differences between two JSON objects (records serialised with serde_json).
/// Fields equal in both are left out; a non-object value is compared as one field `value`.
pub fn diff(
    before: Option<&serde_json::Value>,
    after: Option<&serde_json::Value>,
) -> Vec<FieldChange> {
    use serde_json::Value;
    let empty = serde_json::Map::new();
    let obj = |v: Option<&Value>| match v {
        Some(Value::Object(m)) => Some(m.clone()),
        Some(other) => {
            let mut m = serde_json::Map::new();
            m.insert("value".into(), other.clone());
            Some(m)
        }
        None => None,
    };
    let (b, a) = (obj(before), obj(after));
    let bm = b.as_ref().unwrap_or(&empty);
    let am = a.as_ref().unwrap_or(&empty);
    let mut fields: Vec<&String> = bm.keys().collect();
    for k in am.keys() {
        if !bm.contains_key(k) {
            fields.push(k);
        }
    }
    fields
        .into_iter()
        .filter_map(|f| {
            let bv = b.as_ref().and_then(|m| m.get(f));
            let av = a.as_ref().and_then(|m| m.get(f));
            if bv == av {
                return None;
            }
            Some(FieldChange {
                field: f.clone(),
                before: bv.map(|v| v.to_string()),
                after: av.map(|v| v.to_string()),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn diff_lists_changed_fields_only() {
        let a = json!({"name": "花泉", "households": 10, "kana": "はないずみ"});
        let b = json!({"name": "花泉", "households": 12, "kana": "はないずみ"});
        let d = diff(Some(&a), Some(&b));
        assert_eq!(
            d,
            vec![FieldChange {
                field: "households".into(),
                before: Some("10".into()),
                after: Some("12".into())
            }]
        );
        let created = diff(None, Some(&b));
        assert_eq!(created.len(), 3);
        assert!(created.iter().all(|c| c.before.is_none()));
        let deleted = diff(Some(&a), None);
        assert!(deleted.iter().all(|c| c.after.is_none()));
    }

    #[test]
    fn chain_hash_depends_on_previous_and_on_the_key() {
        let k = [7u8; 32];
        let h1 = chain_hash(&k, &[0; 32], b"one");
        let h2 = chain_hash(&k, &h1, b"two");
        assert_ne!(h2, chain_hash(&k, &[0; 32], b"two"));
        assert_eq!(h2, chain_hash(&k, &h1, b"two"));
        assert_ne!(h1, chain_hash(&[8u8; 32], &[0; 32], b"one"), "another key");
        assert_ne!(
            h1,
            plain_chain_hash(&[0; 32], b"one"),
            "not guessable without the key"
        );
    }
}
