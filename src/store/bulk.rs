//! Bulk writes (issue 20): an import or a restore adds its new records a chunk at a time, one
//! sled batch per tree and no transaction (a transaction over every tree was three quarters of
//! an import's time), and makes them durable once, at the end, with the write that closes it.
//!
//! All or nothing: a bulk write into a database in use ([`Store::bulk`] with `undoable`)
//! first records, durably, the smallest id it adds ([`BULK_PENDING`], before its first chunk).
//! Until the closing write removes that marker, nothing of it is acknowledged; if the process
//! dies first, the next open removes every record from that id on and rebuilds indexes and
//! counters from the records ([`Local::undo_bulk`]), so the database is as it was before the
//! import began. A refused import is undone the same way, as its bulk write is dropped. A restore builds
//! a new database aside, which is thrown away if it does not finish, so it needs no marker.
//! Chunks are written by a thread of their own while the next one is read.

use super::records::ErasedRecord;
use super::*;

use super::local::BULK_PENDING;

/// A bulk write in progress. It holds the database's write gate from [`Store::bulk`] to
/// [`Bulk::finish`] (other writers wait; readers go on and may see records it added), so no
/// other write can take an id in its range. Dropped unfinished, it is undone: its records
/// are removed and indexes and counters rebuilt, durably (an error there leaves the marker,
/// and the next open finishes the job).
pub struct Bulk<'s> {
    store: &'s Store,
    local: &'s Local,
    _gate: std::sync::MutexGuard<'s, ()>,
    counted: BTreeMap<TreeName, i64>,
    writers: Vec<Lane>,
    undoable: bool,
    /// For an undoable write, from its first chunk on: the smallest id it added (the marker's).
    undo_from: Option<u64>,
}

impl Store {
    /// Starts a bulk write. `undoable`: a crash, or dropping it, before [`Bulk::finish`]
    /// brings the database back to before it (an import); without it, the caller throws the
    /// database away on failure (a restore building one aside).
    ///
    /// Errors: [`StoreError::Exclusive`] through a server (the server runs bulk writes itself);
    /// sled and fsync errors writing the marker.
    pub fn bulk(&self, undoable: bool) -> Result<Bulk<'_>> {
        let Backend::Local(local) = &self.backend else {
            return Err(StoreError::Exclusive("bulk writes"));
        };
        let writers = (0..LANES)
            .map(|_| Lane::spawn(local.clone()))
            .collect::<Result<Vec<_>>>()?;
        let gate = local.gate.lock().unwrap_or_else(|p| p.into_inner());
        Ok(Bulk {
            writers,
            store: self,
            local,
            _gate: gate,
            counted: BTreeMap::new(),
            undoable,
            undo_from: None,
        })
    }
}

impl Bulk<'_> {
    /// Adds `records`, each new (for an undoable write, keyed by an id given after it began; a
    /// record with id 0 gets one now), with their index entries and counters: one sled batch
    /// per tree they touch. Not durable, and not acknowledged, until [`Bulk::finish`]. An
    /// undoable write's first chunk first writes its marker (the chunk's smallest id) durably.
    ///
    /// Errors: [`StoreError::Invalid`] for a record an undoable write could not undo (a key
    /// that is not a fresh id); encode errors (a value over its size limit); sled errors.
    pub fn put_new(&mut self, mut records: Vec<Box<dyn ErasedRecord>>) -> Result<()> {
        for r in records.iter_mut() {
            if r.needs_id() {
                r.assign_id(self.local.new_id()?);
            }
        }
        if self.undoable && self.undo_from.is_none() {
            // Ids only grow, and no other write takes one while the gate is held: every record
            // of this write has an id from the first chunk's smallest on.
            let Some(first) = records
                .iter()
                .filter_map(|r| keys::parse_id(&r.key()))
                .min()
            else {
                return Ok(());
            };
            self.local
                .tree(TreeName::Meta)
                .insert(BULK_PENDING, &first.to_be_bytes())?;
            self.local.sync()?;
            self.undo_from = Some(first);
        }
        // Lane 0 takes the record trees and the counters, lane 1 the index trees.
        let mut lanes: [Chunk; LANES] = Default::default();
        for r in records {
            let tree = r.tree();
            let key = r.key();
            if let Some(first) = self.undo_from
                && !(records::kind(tree).is_some_and(|k| k.numeric)
                    && keys::parse_id(&key).is_some_and(|id| id >= first))
            {
                return Err(StoreError::Invalid(format!(
                    "a bulk import adds only records with fresh ids ({})",
                    tree.name()
                )));
            }
            let value = r.encode()?;
            let eff = r.effects();
            lanes[0].puts.push((tree, key, value));
            for (t, k) in eff.index {
                lanes[1].puts.push((t, k, Vec::new()));
            }
            for (k, d) in eff.counts {
                *lanes[0].deltas.entry(k).or_default() += d;
            }
            *self.counted.entry(tree).or_default() += 1;
        }
        lanes[0].puts = fill_order(std::mem::take(&mut lanes[0].puts));
        // Index keys in key order: a chunk's inserts then walk each tree once, left to right.
        lanes[1]
            .puts
            .sort_unstable_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        // Written by the writer threads while the caller reads the next chunk.
        for (lane, chunk) in self.writers.iter().zip(lanes) {
            if !lane.send(chunk) {
                return self.wait_written();
            }
        }
        Ok(())
    }

    /// Waits until every chunk sent is written; the writers' first error, if any.
    fn wait_written(&mut self) -> Result<()> {
        let mut first = Ok(());
        for lane in &mut self.writers {
            let r = lane.join();
            if first.is_ok() {
                first = r;
            }
        }
        first
    }

    /// Closes the bulk write: `last` (what must go in one transaction with the close: changes
    /// to stored records, the import's audit entry) is written together with the meta counts of
    /// the records added and the removal of the marker, then everything is made durable (flush
    /// and fsync). Only now is any of it acknowledged. Returns `last`'s keys.
    ///
    /// Errors: as [`Store::write`]; on an error the bulk write is undone (as it is dropped).
    pub fn finish(mut self, mut last: Batch) -> Result<Vec<Vec<u8>>> {
        self.wait_written()?;
        last.counted = std::mem::take(&mut self.counted);
        last.ends_bulk = self.undo_from.is_some();
        let keys = self.local.write_gated(last, self.store.actor())?;
        self.undo_from = None;
        self.local.sync()?;
        Ok(keys)
    }
}

impl Drop for Bulk<'_> {
    fn drop(&mut self) {
        let _ = self.wait_written();
        if let Some(first) = self.undo_from.take() {
            // An error here leaves the marker: the next open undoes it.
            let _ = self.local.undo_bulk(first);
        }
    }
}

/// Writer threads of a bulk write. sled's `Tree::insert` takes only a shared lock, so two
/// trees are filled at once; `apply_batch` takes sled's exclusive lock and, over a thousand
/// keys, held so much garbage that it was twice as slow as inserting key by key.
const LANES: usize = 2;

/// What one lane writes of a chunk: `(tree, key, value)` in the order given, and counter
/// changes (read, added to and written back once per chunk).
#[derive(Default)]
struct Chunk {
    puts: Vec<(TreeName, Vec<u8>, Vec<u8>)>,
    deltas: BTreeMap<Vec<u8>, i64>,
}

/// A chunk's records in the order that leaves sled's leaves full.
///
/// sled 0.34 splits a leaf of more than 16 keys after its ninth, so keys added in key order
/// (fresh ids, a restore's archive) leave every leaf with 9: nearly twice the pages and the
/// splits (each rewrites the parent), and a page table nearly twice the size in every process
/// that later opens the database. Here each tree's keys are put in key order, and of every 16
/// the 1st, 3rd, … 15th and the 16th go first: each leaf is then split off holding 9 keys that
/// span 16, and the other 7 fill it to 16 with no split (a simulation of the split rule gives
/// 15.8 keys a leaf against 9.0).
fn fill_order(mut puts: Vec<(TreeName, Vec<u8>, Vec<u8>)>) -> Vec<(TreeName, Vec<u8>, Vec<u8>)> {
    puts.sort_unstable_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let mut first = Vec::with_capacity(puts.len());
    let mut then = Vec::with_capacity(puts.len() / 2 + 1);
    let mut i = 0usize;
    let mut tree = None;
    for p in puts {
        if tree != Some(p.0) {
            first.append(&mut then);
            tree = Some(p.0);
            i = 0;
        }
        if (i % 16).is_multiple_of(2) || i % 16 == 15 {
            first.push(p);
        } else {
            then.push(p);
        }
        i += 1;
    }
    first.append(&mut then);
    first
}

/// One writer thread: the channel to it (at most one chunk waits) and its handle, which gives
/// its first error.
struct Lane {
    tx: Option<std::sync::mpsc::SyncSender<Chunk>>,
    handle: Option<std::thread::JoinHandle<Result<()>>>,
}

impl Lane {
    fn spawn(local: std::sync::Arc<Local>) -> Result<Lane> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Chunk>(1);
        let handle = std::thread::Builder::new()
            .name("kyodo-bulk".into())
            .spawn(move || -> Result<()> {
                for chunk in rx {
                    for (t, k, v) in chunk.puts {
                        local.tree(t).insert(k, v)?;
                    }
                    let counters = local.tree(TreeName::Counters);
                    for (k, d) in chunk.deltas {
                        if d != 0 {
                            let cur = local::read_i64(counters.get(&k)?);
                            counters.insert(k, &(cur + d).to_be_bytes())?;
                        }
                    }
                }
                Ok(())
            })
            .map_err(|source| StoreError::Io {
                what: "cannot start the bulk write's writer".into(),
                source,
            })?;
        Ok(Lane {
            tx: Some(tx),
            handle: Some(handle),
        })
    }

    /// Hands `chunk` to the thread; false when it has stopped (its error is in [`Lane::join`]).
    fn send(&self, chunk: Chunk) -> bool {
        self.tx.as_ref().is_some_and(|tx| tx.send(chunk).is_ok())
    }

    /// Waits until the thread has written everything sent; its first error, if any.
    fn join(&mut self) -> Result<()> {
        self.tx = None;
        match self.handle.take().map(|h| h.join()) {
            Some(Ok(r)) => r,
            Some(Err(_)) => Err(StoreError::Invalid(
                "the bulk write's writer stopped".into(),
            )),
            None => Ok(()),
        }
    }
}

impl Local {
    /// Brings the database back to before an undoable bulk write that began at id `first`:
    /// removes every record with an id from `first` on, rebuilds indexes and counters from the
    /// records ([`super::check::repair_local`]), removes the marker and syncs. Running it again
    /// after an interruption finishes the job. Returns the records removed.
    ///
    /// Errors: sled and fsync errors.
    pub(super) fn undo_bulk(&self, first: u64) -> Result<u64> {
        let mut removed = 0u64;
        for &tree in TreeName::ALL {
            if !records::kind(tree).is_some_and(|k| k.numeric) {
                continue;
            }
            let t = self.tree(tree);
            loop {
                let mut b = sled::Batch::default();
                let mut n = 0u64;
                for k in t.range(keys::id_key(first)..).keys().take(10_000) {
                    b.remove(k?);
                    n += 1;
                }
                if n == 0 {
                    break;
                }
                t.apply_batch(b)?;
                removed += n;
            }
        }
        super::check::repair_local(self)?;
        self.tree(TreeName::Meta).remove(BULK_PENDING)?;
        self.sync()?;
        Ok(removed)
    }

    /// On open: undoes a bulk write that did not finish (see the module comment). Returns
    /// what it did, for the notes shown on open.
    ///
    /// Errors: as [`Local::undo_bulk`].
    pub(super) fn undo_unfinished_bulk(&self) -> Result<Option<crate::domain::Text>> {
        let Some(v) = self.tree(TreeName::Meta).get(BULK_PENDING)? else {
            return Ok(None);
        };
        let first = keys::parse_id(&v).unwrap_or(u64::MAX);
        let n = self.undo_bulk(first)?;
        Ok(Some(crate::domain::Text::new(
            format!(
                "途中で止まった取り込みを取り消しました({n} 件を除き、取り込み前の状態に戻しました)。取り込みをやり直してください"
            ),
            format!(
                "undid an import that did not finish (removed its {n} records; the database is as it was before it); run the import again"
            ),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// sled 0.34's leaf split as `Tree::view_for_key` makes it: a leaf of more than 16 keys is
    /// split, after its ninth key, when an insert next passes through it. Returns the mean
    /// number of keys a leaf after inserting `chunks` of 1,000 fresh ids in `order`.
    fn mean_leaf(
        order: impl Fn(Vec<(TreeName, Vec<u8>, Vec<u8>)>) -> Vec<(TreeName, Vec<u8>, Vec<u8>)>,
    ) -> f64 {
        let mut leaves: Vec<Vec<u64>> = vec![Vec::new()];
        let mut los: Vec<u64> = vec![0];
        for c in 0..20u64 {
            let chunk = (c * 1_000..(c + 1) * 1_000)
                .map(|id| (TreeName::Consultations, keys::id_key(id), Vec::new()))
                .collect();
            for (_, k, _) in order(chunk) {
                let k = keys::parse_id(&k).unwrap_or(0);
                let mut i = los.partition_point(|lo| *lo <= k) - 1;
                if leaves[i].len() > 16 {
                    let at = leaves[i].len() / 2 + 1;
                    let right = leaves[i].split_off(at);
                    los.insert(i + 1, right[0]);
                    leaves.insert(i + 1, right);
                    i = los.partition_point(|lo| *lo <= k) - 1;
                }
                let at = leaves[i].partition_point(|x| *x < k);
                leaves[i].insert(at, k);
            }
        }
        leaves.iter().map(Vec::len).sum::<usize>() as f64 / leaves.len() as f64
    }

    #[test]
    fn fill_order_leaves_leaves_nearly_full_where_key_order_leaves_them_at_nine() {
        let in_key_order = mean_leaf(|p| p);
        let filled = mean_leaf(fill_order);
        assert!((8.9..9.1).contains(&in_key_order), "{in_key_order}");
        assert!(filled > 15.5, "{filled}");
    }

    #[test]
    fn fill_order_keeps_every_put_once_and_each_tree_together() {
        let mut puts = Vec::new();
        for id in (1..=40u64).rev() {
            puts.push((TreeName::Consultations, keys::id_key(id), vec![id as u8]));
            if id % 4 == 0 {
                puts.push((TreeName::Bodies, keys::id_key(id), vec![0]));
            }
        }
        let out = fill_order(puts.clone());
        let mut sorted = out.clone();
        sorted.sort();
        puts.sort();
        assert_eq!(sorted, puts);
        let trees: Vec<TreeName> = out.iter().map(|p| p.0).collect();
        let first_other = trees.iter().position(|t| *t != trees[0]).unwrap_or(0);
        assert!(
            trees[first_other..]
                .iter()
                .all(|t| *t == trees[first_other])
        );
        let ids: Vec<u64> = out
            .iter()
            .filter(|p| p.0 == TreeName::Consultations)
            .filter_map(|p| keys::parse_id(&p.1))
            .take(10)
            .collect();
        assert_eq!(ids, vec![1, 3, 5, 7, 9, 11, 13, 15, 16, 17]);
    }
}
