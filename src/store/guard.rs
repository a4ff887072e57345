//! Walking a sled tree that may be damaged (issue 10, item 7). On a damaged file sled's
//! iterator can return the same error forever, go round in circles, or panic after a million
//! retries; anything that collects what it yields then grows without bound. [`Walk`] yields
//! each pair once, stops after the first error (reported once, as
//! [`StoreError::Damaged`] when sled says the data is corrupt), stops when keys stop moving in
//! the direction of the walk, and turns a panic inside sled into an error. So every walk ends,
//! and its memory is bounded by what the tree really holds.
//!
//! A walk also keeps sled's page cache to its size. sled 0.34 notes each page read in a queue
//! per cache shard (256 shards) and evicts only when a shard's queue holds 64 reads; a walk reads
//! each leaf once, so up to 16,384 leaves it has passed stay in memory (29 MiB of a 500k backup's
//! 68, issue 20). [`Walk`] looks keys up again as it yields them, reads of the leaf just read
//! (already in memory), so each shard's queue fills every few leaves and sled pages out what the
//! walk has left: a 500k backup peaks at about 44 MiB, of which 40 are the open database. A
//! walk looks up again only after [`Walk::TOUCH_AFTER`] pairs, and then one key in
//! [`Walk::TOUCH_EVERY`]: the short walks of everyday screens (a due list, a dashboard) read a
//! few leaves and do not pay for it.

use super::StoreError;
use std::cell::Cell;
use std::panic::AssertUnwindSafe;

thread_local! {
    static GUARDING: Cell<u32> = const { Cell::new(0) };
}

/// Whether this thread is inside a guarded sled call, so that a panic hook can stay silent
/// (the panic becomes an error, and the terminal must not be restored for it).
pub fn guarding() -> bool {
    GUARDING.with(|g| g.get() > 0)
}

/// Runs `f`, turning a panic into `None` (with the hooks told to stay quiet).
pub fn catch<T>(f: impl FnOnce() -> T) -> Option<T> {
    GUARDING.with(|g| g.set(g.get() + 1));
    let r = std::panic::catch_unwind(AssertUnwindSafe(f)).ok();
    GUARDING.with(|g| g.set(g.get() - 1));
    r
}

/// A bounded walk over `(key, value)` pairs (see the module comment).
pub struct Walk<I> {
    inner: I,
    /// The tree walked, in which keys are looked up again (see the module comment).
    touch: Option<sled::Tree>,
    /// Pairs yielded so far.
    seen: u64,
    tree: &'static str,
    reverse: bool,
    last: Option<sled::IVec>,
    done: bool,
}

/// Walks `iter` (sled's, over the tree `t`, named `tree` in messages) forwards, or backwards
/// when `reverse`, keeping sled's page cache to its size as it goes (see the module comment).
pub fn walk<I>(t: &sled::Tree, tree: &'static str, iter: I, reverse: bool) -> Walk<I>
where
    I: Iterator<Item = sled::Result<(sled::IVec, sled::IVec)>>,
{
    Walk {
        touch: Some(t.clone()),
        ..walk_pairs(tree, iter, reverse)
    }
}

/// [`walk`] over pairs that may not come from a sled tree (nothing is looked up again).
fn walk_pairs<I>(tree: &'static str, iter: I, reverse: bool) -> Walk<I>
where
    I: Iterator<Item = sled::Result<(sled::IVec, sled::IVec)>>,
{
    Walk {
        inner: iter,
        touch: None,
        seen: 0,
        tree,
        reverse,
        last: None,
        done: false,
    }
}

impl<I> Walk<I> {
    /// Pairs a walk yields before it starts looking keys up again: at most a few hundred
    /// leaves, well under a megabyte, are left in memory by then.
    pub const TOUCH_AFTER: u64 = 2048;

    /// A long walk looks up every other key again: a leaf holds 9 to 16 keys, so each leaf read
    /// adds five to nine reads to its shard's queue, which then fills every 6 to 11 leaves (64
    /// reads), and at most about 3,000 leaves wait there, against 16,384. On a 500k backup,
    /// every key cost 15 % more time for 2 MiB less; every fourth, 5 % but twice the leaves
    /// left on a database whose leaves hold 9 keys; every other key costs 8 %.
    pub const TOUCH_EVERY: u64 = 2;
}

fn damaged(tree: &str, what: String) -> StoreError {
    StoreError::Damaged {
        path: Default::default(),
        detail: format!("tree '{tree}': {what}"),
    }
}

impl<I> Iterator for Walk<I>
where
    I: Iterator<Item = sled::Result<(sled::IVec, sled::IVec)>>,
{
    type Item = Result<(sled::IVec, sled::IVec), StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let next = match catch(|| self.inner.next()) {
            Some(n) => n?,
            None => {
                self.done = true;
                return Some(Err(damaged(
                    self.tree,
                    "sled could not walk it (its structure is damaged)".into(),
                )));
            }
        };
        match next {
            Err(e) => {
                self.done = true;
                Some(Err(e.into()))
            }
            Ok((k, v)) => {
                let moved = match &self.last {
                    None => true,
                    Some(l) if self.reverse => k < *l,
                    Some(l) => k > *l,
                };
                if !moved {
                    self.done = true;
                    return Some(Err(damaged(
                        self.tree,
                        format!(
                            "keys go back after {} (its structure is damaged)",
                            super::keys::show_key(&k)
                        ),
                    )));
                }
                self.seen = self.seen.saturating_add(1);
                if let Some(t) = &self.touch
                    && self.seen >= Self::TOUCH_AFTER
                    && self.seen.is_multiple_of(Self::TOUCH_EVERY)
                {
                    // Only to fill the shard's queue: the answer is known, and an error here
                    // is the walk's own to report when it reads on.
                    let _ = catch(|| t.contains_key(&k));
                }
                self.last = Some(k.clone());
                Some(Ok((k, v)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(k: &[u8]) -> sled::Result<(sled::IVec, sled::IVec)> {
        Ok((k.into(), b"v".as_slice().into()))
    }

    #[test]
    fn a_walk_stops_at_the_first_error_and_when_keys_go_round() {
        let forever_err = std::iter::repeat_with(|| {
            Err::<(sled::IVec, sled::IVec), _>(sled::Error::Unsupported("x".into()))
        });
        assert_eq!(walk_pairs("t", forever_err, false).count(), 1);
        let circle = [b"a", b"b", b"a", b"b"]
            .into_iter()
            .map(|k| pair(k))
            .cycle();
        let items: Vec<_> = walk_pairs("t", circle, false).collect();
        assert_eq!(items.len(), 3);
        assert!(matches!(items[2], Err(StoreError::Damaged { .. })));
        let panicking = std::iter::from_fn(|| -> Option<sled::Result<(sled::IVec, sled::IVec)>> {
            panic!("fucked up tree traversal")
        });
        let items: Vec<_> = walk_pairs("t", panicking, false).collect();
        assert!(matches!(items[..], [Err(StoreError::Damaged { .. })]));
    }
}
