//! How an import finds a record already stored (by its natural key, e.g. a body's name or a
//! grant's program and body) and names other records (the resolver behind every reference).

use super::*;

impl Ctx<'_> {
    /// Puts a read record: if an existing record has the same natural key (the n-th row with a
    /// key matches the n-th stored record with it), the row updates that record — or changes
    /// nothing when equal; otherwise it is added. Returns the record's final id.
    pub(super) fn place<T: Natural>(&mut self, kind: &str, mut rec: T) -> Result<u64, String> {
        if !self.existing.contains_key(kind) {
            let index = Stored::load::<T>(self.store).map_err(|e| e.to_string())?;
            self.existing.insert(kind.to_string(), index);
        }
        let key = rec.natural_key();
        let matched = match self.existing.get_mut(kind) {
            Some(index) => index.take::<T>(self.store, &key)?,
            None => None,
        };
        let stats = self.stats.entry(kind.to_string()).or_default();
        match matched {
            Some((id, old)) => {
                rec.set_record_id(id);
                let encode = |r: &T| crate::store::codec::encode(r).map_err(|e| e.to_string());
                if encode(&rec)? == encode(&old)? {
                    stats.unchanged += 1;
                } else {
                    stats.updated += 1;
                    self.batch.put(rec);
                }
                Ok(id)
            }
            None => {
                stats.added += 1;
                let id = rec.record_id();
                // A record keyed by id goes out with the next chunk; one keyed by name (which
                // an undone import could not tell from a stored one) with the closing write.
                if T::NUMERIC {
                    self.fresh.put_unaudited(rec);
                } else {
                    self.batch.put_unaudited(rec);
                }
                Ok(id)
            }
        }
    }
}

/// The stored records of one type by natural key, as an import matches rows against them.
/// A record keyed by id is held as 16 bytes (its key's hash and its id; the record is read
/// again when a row matches), so an import into a database of any size holds a fraction of
/// it; the few kept by name are held whole.
pub(super) struct Stored {
    /// `(hash of the natural key, id)`, sorted: oldest first within a hash; the id is 0 once
    /// a row has matched it (ids are never 0).
    by_hash: Vec<(u64, u64)>,
    /// Records keyed by name: natural key -> encoded records, oldest first.
    named: HashMap<String, VecDeque<Vec<u8>>>,
}

fn hash_of(key: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    key.hash(&mut h);
    h.finish()
}

impl Stored {
    /// Reads every stored `T` once, one at a time.
    ///
    /// Errors: a record that cannot be read.
    fn load<T: Natural>(store: &Store) -> Result<Stored, StoreError> {
        let mut s = Stored {
            by_hash: Vec::new(),
            named: HashMap::new(),
        };
        store.for_each::<T>(|r| {
            if T::NUMERIC {
                s.by_hash.push((hash_of(&r.natural_key()), r.record_id()));
            } else {
                let bytes = crate::store::codec::encode(&r)
                    .map_err(|e| StoreError::Encode(T::TREE.name(), e))?;
                s.named.entry(r.natural_key()).or_default().push_back(bytes);
            }
            Ok(())
        })?;
        s.by_hash.sort_unstable();
        Ok(s)
    }

    /// The oldest stored record with natural key `key` not matched yet, taken: its id and the
    /// record.
    ///
    /// Errors: a stored record that cannot be read or decoded.
    fn take<T: Natural>(&mut self, store: &Store, key: &str) -> Result<Option<(u64, T)>, String> {
        if !T::NUMERIC {
            let Some(bytes) = self.named.get_mut(key).and_then(|q| q.pop_front()) else {
                return Ok(None);
            };
            let r: T = crate::store::codec::decode(&bytes).map_err(|e| e.to_string())?;
            return Ok(Some((r.record_id(), r)));
        }
        let h = hash_of(key);
        let from = self.by_hash.partition_point(|(x, _)| *x < h);
        for i in from..self.by_hash.len() {
            let (x, id) = self.by_hash[i];
            if x != h {
                break;
            }
            if id == 0 {
                continue; // matched already
            }
            let Some(r) = store
                .get::<T>(&crate::store::keys::id_key(id))
                .map_err(|e| e.to_string())?
            else {
                continue;
            };
            // Another key with the same hash is not this one.
            if r.natural_key() == key {
                self.by_hash[i].1 = 0;
                return Ok(Some((id, r)));
            }
        }
        Ok(None)
    }
}

/// The key by which an imported row finds the record it re-imports (documented per type in
/// data/demo/README.md).
pub(super) trait Natural: crate::store::records::Record {
    /// Whether it is keyed by numeric id ([`RecordType::NUMERIC_ID`]).
    const NUMERIC: bool;
    fn natural_key(&self) -> String;
    fn record_id(&self) -> u64;
    fn set_record_id(&mut self, id: u64);
}

impl<T: RecordType> Natural for T {
    const NUMERIC: bool = <T as RecordType>::NUMERIC_ID;
    fn natural_key(&self) -> String {
        RecordType::natural_key(self)
    }
    fn record_id(&self) -> u64 {
        match self.key() {
            Key::Id(id) => id,
            Key::Name(_) => 0,
        }
    }
    fn set_record_id(&mut self, id: u64) {
        self.set_id(id)
    }
}

impl crate::domain::fields::Resolver for Ctx<'_> {
    fn body(&self, name: &str) -> Result<BodyId, Text> {
        self.bodies.get(name).copied().ok_or_else(|| {
            let near = candidates(self.bodies.keys(), name);
            Text::new(
                format!("この名称・よみの地域協働体はありません{near}"),
                format!("no body of this name or kana{near}"),
            )
        })
    }
    fn staff(&self, name: &str) -> Result<StaffId, Text> {
        let key = name.trim();
        self.staff
            .get(key)
            .or_else(|| self.staff.get(&key.replace([' ', '　'], "")))
            .copied()
            .ok_or_else(|| {
                let near = candidates(self.staff.keys(), key);
                Text::new(
                    format!("この名前・ログイン名の職員はいません{near}"),
                    format!("no staff member with this name or login{near}"),
                )
            })
    }
    fn program(&self, name: &str, fy: FiscalYear) -> Result<SubsidyProgramId, Text> {
        self.programs.get(&(name.to_string(), fy)).copied().ok_or_else(|| {
            Text::new(
                format!("{}にこの名称の交付金はありません。先に subsidy_programs.csv を取り込んでください", fy.ja_label()),
                format!("no program of this name for {fy}; import subsidy_programs.csv first"),
            )
        })
    }
    fn grant(&self, program: SubsidyProgramId, body: Recipient) -> Result<GrantId, Text> {
        self.grants.get(&(program, body)).copied().ok_or_else(|| {
            Text::new(
                "この交付先にはこの交付金の交付申請・決定がありません。先に grants.csv を取り込んでください",
                "no grant to this recipient under that program; import grants.csv first",
            )
        })
    }
    fn indicator(&self, id: &str) -> bool {
        self.indicators.contains_key(id)
    }
    fn plan_action(&self, plan: &str, number: u32) -> bool {
        self.plan_actions.contains(&(plan.to_string(), number))
    }
    fn body_name(&self, id: BodyId) -> String {
        self.names.body_name(id)
    }
    fn staff_name(&self, id: StaffId) -> String {
        self.names.staff_name(id)
    }
    fn program_of(&self, id: SubsidyProgramId) -> (String, FiscalYear) {
        self.names.program_of(id)
    }
    fn grant_of(&self, id: GrantId) -> (SubsidyProgramId, Recipient) {
        self.names.grant_of(id)
    }
    fn labelled(&self, kind: RecordKind, label: &str) -> Result<u64, Text> {
        self.label_ids
            .get(&(kind, label.trim().to_string()))
            .copied()
            .ok_or_else(|| crate::domain::fields::no_label(kind, label))
    }
    fn label_of(&self, kind: RecordKind, id: u64) -> String {
        self.names.label_of(kind, id)
    }
    fn body_founded(&self, id: BodyId) -> Option<chrono::NaiveDate> {
        self.names.body_founded(id)
    }
    fn award_terms(&self, id: SubsidyProgramId) -> Option<crate::domain::award::AwardTerms> {
        self.names.award_terms(id)
    }
    fn award(&self, id: crate::domain::award::AwardId) -> crate::domain::award::AwardFacts {
        self.names.award(id)
    }
}

/// Up to three known names that contain or are contained in `v`, as " (did you mean …?)".
pub(super) fn candidates<'k>(keys: impl Iterator<Item = &'k String>, v: &str) -> String {
    let first: String = v.chars().take(2).collect();
    let mut c: Vec<&String> = keys
        .filter(|k| !first.is_empty() && (k.contains(&first) || v.contains(k.as_str())))
        .collect();
    c.sort();
    c.dedup();
    c.truncate(3);
    if c.is_empty() {
        String::new()
    } else {
        format!(
            " (did you mean {}?)",
            c.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
        )
    }
}
