//! Bringing stored values of an earlier layout forward (a field added to a record type,
//! [`RecordType::LAYOUT`]). Each record tree's layout is kept in meta (`layout/<tree>`, absent
//! = 1). When the database is opened and a type's layout is newer than its tree's, every value
//! that does not decode as the new layout is read as an older one ([`RecordType::upgrade`]) and
//! written back, in batches of [`BATCH`] (memory bounded whatever the tree's size); the tree's
//! layout is recorded last. A run cut short is taken up again at the next open: values already
//! brought forward decode as the new layout and are left alone, so nothing is converted twice.

use super::batch::decode_at;
use super::local::Local;
use super::{Result, StoreError, TreeName, codec};
use crate::domain::{Older, RecordKind, RecordType, Text, Visit};
use serde::de::DeserializeOwned;

/// Values rewritten per sled batch.
const BATCH: usize = 4096;

/// The meta key of a record tree's layout.
fn layout_key(tree: TreeName) -> Vec<u8> {
    format!("layout/{}", tree.name()).into_bytes()
}

/// A stored value's bytes, readable as an earlier layout's struct.
struct Stored<'a>(&'a [u8]);

impl Older for Stored<'_> {
    fn read<V: DeserializeOwned>(&self) -> Option<V> {
        codec::decode::<V>(self.0).ok()
    }
}

/// Brings one type's tree to its layout. Returns how many values were rewritten.
struct Upgrade<'a>(&'a Local);

impl Visit for Upgrade<'_> {
    type Out = Result<u64>;
    fn visit<T: RecordType>(self) -> Result<u64> {
        let tree = TreeName::of_kind(T::KIND);
        let meta = self.0.tree(TreeName::Meta);
        let key = layout_key(tree);
        let stored =
            match meta.get(&key)? {
                Some(v) => v.as_ref().try_into().map(u32::from_be_bytes).map_err(|_| {
                    StoreError::Decode {
                        tree: "meta",
                        key: String::from_utf8_lossy(&key).into_owned(),
                        reason: format!("expected 4 bytes, found {}", v.len()),
                    }
                })?,
                None => 1,
            };
        if stored >= T::LAYOUT {
            return Ok(0);
        }
        let t = self.0.tree(tree);
        let mut done = 0u64;
        let mut batch = sled::Batch::default();
        let mut pending = 0usize;
        for kv in self.0.walk(tree, |t| t.iter(), false) {
            let (k, v) = kv?;
            if codec::decode::<T>(&v).is_ok() {
                continue;
            }
            let Some(new) = T::upgrade(&Stored(&v)) else {
                // Neither layout: report what the new one says is wrong.
                return decode_at::<T>(tree, &k, &v).map(|_| 0);
            };
            let bytes = codec::encode(&new).map_err(|e| StoreError::Encode(T::NAME, e))?;
            batch.insert(k.as_ref(), bytes);
            pending += 1;
            done += 1;
            if pending == BATCH {
                t.apply_batch(std::mem::take(&mut batch))?;
                pending = 0;
            }
        }
        if pending > 0 {
            t.apply_batch(batch)?;
        }
        self.0.sync()?;
        meta.insert(key, &T::LAYOUT.to_be_bytes())?;
        self.0.sync()?;
        Ok(done)
    }
}

impl Local {
    /// Brings every record tree to its type's layout (see the module's doc). Returns what it
    /// did, for the opening notes (nothing when there was nothing to do).
    ///
    /// Errors: a value that decodes as no layout of its type ([`StoreError::Decode`], naming
    /// the tree and key; nothing of that tree is switched to the new layout); sled errors.
    pub(super) fn upgrade_layouts(&self) -> Result<Vec<Text>> {
        let mut notes = Vec::new();
        for &kind in RecordKind::ALL {
            let n = kind.visit(Upgrade(self))?;
            if n > 0 {
                notes.push(Text::new(
                    format!(
                        "{} {n} 件を新しい形式に移しました",
                        kind.title(crate::domain::Lang::Ja)
                    ),
                    format!(
                        "brought {n} {} forward to the new layout",
                        kind.plural(crate::domain::Lang::En)
                    ),
                ));
            }
        }
        Ok(notes)
    }
}
