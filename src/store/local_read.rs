//! Reads from the database opened in this process: records by key, small tables whole, a
//! fiscal year through its date index, pages for the server, and sizes for `check`.

use super::local::Local;
use super::*;

impl Local {
    /// A [`guard::walk`] over `tree`, through the iterator `iter` makes of it (forwards, or
    /// backwards when `reverse`): every walk of kyodo's trees goes through here.
    pub(crate) fn walk<I>(
        &self,
        tree: TreeName,
        iter: impl FnOnce(&sled::Tree) -> I,
        reverse: bool,
    ) -> guard::Walk<I>
    where
        I: Iterator<Item = sled::Result<(sled::IVec, sled::IVec)>>,
    {
        let t = self.tree(tree);
        guard::walk(t, tree.name(), iter(t), reverse)
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
        for kv in self.walk(T::TREE, |t| t.iter(), false) {
            out.add(kv.and_then(|(k, v)| decode_at::<T>(T::TREE, &k, &v)));
        }
        out
    }

    /// Reads the records of one fiscal year through the date index, in date order; a type
    /// without one ([`Record::INDEX`]) gives a problem and no records.
    pub fn list_fy<T: Record>(&self, fy: FiscalYear) -> Loaded<T> {
        let mut out = Loaded::default();
        let Some(date_index) = T::INDEX else {
            out.problems.push(no_index(T::TREE));
            return out;
        };
        for kv in self.walk(date_index, |t| t.scan_prefix(keys::fy_prefix(fy)), false) {
            let key = match kv {
                Ok((k, _)) => k,
                Err(e) => {
                    out.problems.push(e);
                    continue;
                }
            };
            let Some(id) = keys::date_index_id(&key) else {
                out.problems.push(StoreError::Decode {
                    tree: date_index.name(),
                    key: keys::show_key(&key),
                    reason: "malformed index key".into(),
                });
                continue;
            };
            match self.get::<T>(&keys::id_key(id)) {
                Ok(Some(r)) => out.items.push(r),
                Ok(None) => out.problems.push(StoreError::Decode {
                    tree: date_index.name(),
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
        self.count_index(T::DATE_INDEX, fy)
    }

    /// Entries of date index `index` in fiscal year `fy` (keys only).
    pub(crate) fn count_index(&self, index: TreeName, fy: FiscalYear) -> usize {
        self.walk(index, |t| t.scan_prefix(keys::fy_prefix(fy)), false)
            .take_while(|kv| kv.is_ok())
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
        let iter = self.walk(
            tree,
            |t| -> Box<dyn Iterator<Item = _>> {
                match after {
                    // The first key after `a` in sled's order is `a` followed by a zero byte.
                    Some(a) => Box::new(t.range([a, &[0u8][..]].concat()..)),
                    None => Box::new(t.scan_prefix(prefix)),
                }
            },
            false,
        );
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
        let iter = self.walk(
            TreeName::Audit,
            |t| -> Box<dyn Iterator<Item = _>> {
                match before {
                    Some(b) => Box::new(t.range(..b.to_be_bytes().to_vec()).rev()),
                    None => Box::new(t.iter().rev()),
                }
            },
            true,
        );
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
    /// activities, any type with a date index), read from the last key of each date index.
    pub fn latest_fy_with_data(&self) -> Result<Option<FiscalYear>> {
        let mut best: Option<FiscalYear> = None;
        for &t in TreeName::DATE_INDEXES {
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

    /// Number of entries in a tree (tests and `check`), counted up to the first unreadable one.
    pub fn tree_len(&self, tree: TreeName) -> usize {
        self.walk(tree, |t| t.iter(), false)
            .take_while(|kv| kv.is_ok())
            .count()
    }

    /// Every key of a tree (tests and `check`; never used on a hot path), up to the first
    /// unreadable one.
    pub fn tree_keys(&self, tree: TreeName) -> Vec<Vec<u8>> {
        self.walk(tree, |t| t.iter(), false)
            .map_while(|kv| kv.ok().map(|(k, _)| k.to_vec()))
            .collect()
    }
}

/// The problem of listing a type by year that has no date index.
pub(super) fn no_index(tree: TreeName) -> StoreError {
    StoreError::Decode {
        tree: tree.name(),
        key: String::new(),
        reason: "this record type has no date index".into(),
    }
}
