//! The walk of every record that `kyodo check`, `check --repair` and a restore's verification
//! make (issue 20): each record's effects decoded once, with no JSON, in two threads. A large
//! record tree is cut in two at the middle of its ids; the parts are shared out as each thread
//! finishes one, and what they find is put together in part order, so the report reads as one
//! walk in key order would. Memory: a record at a time per thread, the counters, and what is
//! wrong.

use super::records::{self, RefKind};
use super::{Local, TreeName, keys};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

/// An order-free digest of a set of keys (their number and two sums of 64-bit hashes): the
/// records' expected index entries and the index's own are compared by digest, so a check
/// holds no set of keys; only when they differ is the index gone through entry by entry.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Digest {
    n: u64,
    a: u64,
    b: u64,
}

impl Digest {
    /// Adds the digest of another set of keys (the union, for sets that do not overlap).
    pub(super) fn merge(&mut self, other: Digest) {
        self.n = self.n.wrapping_add(other.n);
        self.a = self.a.wrapping_add(other.a);
        self.b = self.b.wrapping_add(other.b);
    }

    /// A digest no set of records implies: an index that could not be read to its end.
    pub(super) fn unreadable() -> Digest {
        Digest {
            n: u64::MAX,
            ..Digest::default()
        }
    }

    /// Adds one key to the set.
    pub(super) fn add(&mut self, key: &[u8]) {
        use std::hash::{Hash, Hasher};
        let h = |seed: u64| {
            let mut s = std::collections::hash_map::DefaultHasher::new();
            seed.hash(&mut s);
            key.hash(&mut s);
            s.finish()
        };
        self.n += 1;
        self.a = self.a.wrapping_add(h(0));
        self.b = self.b.wrapping_add(h(1));
    }
}

/// Threads that walk the records.
const WALKERS: usize = 2;

/// A record tree with more records than this is walked in two parts.
const SPLIT_FROM: u64 = 20_000;

/// What the records imply, gathered in one walk: a digest of each index's entries and every
/// counter's value (as many as there are counters, not records), and the records in each tree.
#[derive(Default)]
pub(super) struct Expected {
    /// The index entries the records imply, per index tree.
    pub index: BTreeMap<TreeName, Digest>,
    /// Each counter's value as the records count it.
    pub counts: BTreeMap<Vec<u8>, i64>,
    /// Entries found in each record tree (readable or not).
    pub walked: BTreeMap<TreeName, u64>,
    /// Records decoded.
    pub records: usize,
    /// Walk errors and records that do not decode, in tree and key order.
    pub unreadable: Vec<Finding>,
    /// References to records that do not exist, in tree and key order (when asked for).
    pub dangling: Vec<Finding>,
}

/// Something wrong the walk found, for `kyodo check` to word as a problem.
pub(super) enum Finding {
    /// The walk of a tree stopped with this error.
    Unwalkable(TreeName, String),
    /// The value at a key does not decode, for this reason.
    Unreadable(TreeName, Vec<u8>, String),
    /// The record at a key refers to a record of a kind, by id, that does not exist.
    Dangling(TreeName, Vec<u8>, RefKind, u64),
}

/// A key range of one record tree.
struct Part {
    tree: TreeName,
    from: Vec<u8>,
    to: Option<Vec<u8>>,
}

/// The parts of the walk, in tree and key order.
fn parts(l: &Local) -> Vec<Part> {
    let mut out = Vec::new();
    for &tree in TreeName::ALL {
        let Some(kind) = records::kind(tree) else {
            continue;
        };
        let t = l.tree(tree);
        let ends = |k: sled::Result<Option<(sled::IVec, sled::IVec)>>| {
            k.ok().flatten().and_then(|(k, _)| keys::parse_id(&k))
        };
        let mid = match (kind.numeric, ends(t.first()), ends(t.last())) {
            (true, Some(lo), Some(hi)) if hi - lo > SPLIT_FROM => Some(lo + (hi - lo) / 2),
            _ => None,
        };
        match mid {
            Some(mid) => {
                out.push(Part {
                    tree,
                    from: Vec::new(),
                    to: Some(keys::id_key(mid)),
                });
                out.push(Part {
                    tree,
                    from: keys::id_key(mid),
                    to: None,
                });
            }
            None => out.push(Part {
                tree,
                from: Vec::new(),
                to: None,
            }),
        }
    }
    out
}

/// Walks `part`, counting each record walked into `done`; `progress`, on the thread that has
/// it, is told the count whenever the count this thread takes is a multiple of 4,096 (about
/// every 8,192 records, as the two threads share it). With `refs`, every reference is
/// looked up (once per referenced record in this part) and a missing one reported.
fn walk_part(
    l: &Local,
    part: &Part,
    refs: bool,
    done: &AtomicU64,
    progress: Option<&dyn Fn(u64)>,
) -> Expected {
    let mut f = Expected::default();
    let Some(kind) = records::kind(part.tree) else {
        return f;
    };
    let tree = part.tree;
    let mut known: HashMap<(RefKind, u64), bool> = HashMap::new();
    let walk = l.walk(
        tree,
        |t| match &part.to {
            Some(to) => t.range(part.from.as_slice()..to.as_slice()),
            None => t.range(part.from.as_slice()..),
        },
        false,
    );
    for kv in walk {
        let (k, v) = match kv {
            Ok(kv) => kv,
            Err(e) => {
                f.unreadable.push(Finding::Unwalkable(tree, e.to_string()));
                continue;
            }
        };
        *f.walked.entry(tree).or_default() += 1;
        let d = done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(progress) = progress
            && d.is_multiple_of(4096)
        {
            progress(d);
        }
        let eff = match (kind.effects)(&v, &k) {
            Ok(eff) => eff,
            Err(e) => {
                f.unreadable
                    .push(Finding::Unreadable(tree, k.to_vec(), e.to_string()));
                continue;
            }
        };
        f.records += 1;
        for (t, key) in &eff.index {
            f.index.entry(*t).or_default().add(key);
        }
        for (key, d) in eff.counts {
            *f.counts.entry(key).or_default() += d;
        }
        if !refs {
            continue;
        }
        for (kind, id) in eff.refs {
            if id != 0
                && !*known
                    .entry((kind, id))
                    .or_insert_with(|| exists(l, kind, id))
            {
                f.dangling
                    .push(Finding::Dangling(tree, k.to_vec(), kind, id));
            }
        }
    }
    f
}

/// Whether record `id` of `kind` exists.
fn exists(l: &Local, kind: RefKind, id: u64) -> bool {
    records::tree_of_ref(kind)
        .is_some_and(|t| l.tree(t).contains_key(keys::id_key(id)).unwrap_or(false))
}

/// Walks every record tree once (see the module comment); with `refs`, every reference is
/// looked up. `progress(records read, records in all)` is called from this thread as it goes.
pub(super) fn expected(l: &Local, progress: &dyn Fn(u64, u64), refs: bool) -> Expected {
    let acked = l.acknowledged();
    let total: u64 = TreeName::ALL
        .iter()
        .filter(|t| records::kind(**t).is_some())
        .map(|t| acked.counts.get(t.name()).copied().unwrap_or(0))
        .sum();
    let parts = parts(l);
    let next = AtomicUsize::new(0);
    let done = AtomicU64::new(0);
    let found: Mutex<Vec<Option<Expected>>> = Mutex::new((0..parts.len()).map(|_| None).collect());
    let work = |progress: Option<&dyn Fn(u64)>| {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(part) = parts.get(i) else { break };
            let f = walk_part(l, part, refs, &done, progress);
            if let Some(slot) = found
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get_mut(i)
            {
                *slot = Some(f);
            }
        }
    };
    std::thread::scope(|s| {
        for _ in 1..WALKERS {
            s.spawn(|| work(None));
        }
        work(Some(&|d| progress(d, total.max(d))));
    });
    let d = done.load(Ordering::Relaxed);
    progress(d, total.max(d));
    let mut out = Expected::default();
    for f in found
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
        .into_iter()
        .flatten()
    {
        for (t, d) in f.index {
            out.index.entry(t).or_default().merge(d);
        }
        for (k, d) in f.counts {
            *out.counts.entry(k).or_default() += d;
        }
        for (t, n) in f.walked {
            *out.walked.entry(t).or_default() += n;
        }
        out.records += f.records;
        out.unreadable.extend(f.unreadable);
        out.dangling.extend(f.dangling);
    }
    out
}

/// The digest of each date index's entries, as they are stored (an unreadable index gets a
/// count no records can imply, and is gone through entry by entry, which says where).
pub(super) fn index_digests(l: &Local) -> BTreeMap<TreeName, Digest> {
    let mut out = BTreeMap::new();
    for &tree in TreeName::DATE_INDEXES {
        let mut have = Digest::default();
        for kv in l.walk(tree, |t| t.iter(), false) {
            match kv {
                Ok((k, _)) => have.add(&k),
                Err(_) => {
                    have = Digest::unreadable();
                    break;
                }
            }
        }
        out.insert(tree, have);
    }
    out
}
