//! The store's writes: ids, batches, single inserts and deletes, versions for concurrent
//! edits, and drafts (embedded or through the server).

use super::served::done;
use super::*;

impl Store {
    /// The schema version recorded in the `meta` tree.
    pub fn schema_version(&self) -> Result<Option<u32>> {
        match &self.backend {
            Backend::Local(l) => l.schema_version(),
            Backend::Remote(c) => match c.call(&remote::Request::SchemaVersion, true)? {
                remote::Reply::Number(n) => Ok(n.map(|n| n as u32)),
                other => Err(remote::unexpected(&other)),
            },
        }
    }

    /// Makes everything written so far durable: sled `flush()` (which uses `sync_file_range`),
    /// then `fsync` of the database file (docs/DESIGN.md, "sled facts"). Through a server, every
    /// acknowledged write already is.
    pub fn sync(&self) -> Result<()> {
        match &self.backend {
            Backend::Local(l) => l.sync(),
            Backend::Remote(_) => Ok(()),
        }
    }

    /// A fresh record id (never 0, and above every id a restore brought in).
    ///
    /// Errors: sled errors; [`StoreError::Exclusive`] through a server (it assigns ids when it
    /// writes).
    pub fn new_id(&self) -> Result<u64> {
        match &self.backend {
            Backend::Local(l) => l.new_id(),
            Backend::Remote(_) => Err(StoreError::Exclusive("allocating ids")),
        }
    }

    /// Makes every later id greater than `max` (after restoring records that keep their ids),
    /// durably.
    ///
    /// Errors: sled errors; [`StoreError::Exclusive`] through a server.
    pub fn raise_id_floor(&self, max: u64) -> Result<()> {
        match &self.backend {
            Backend::Local(l) => l.raise_id_floor(max),
            Backend::Remote(_) => Err(StoreError::Exclusive("restore")),
        }
    }

    /// Applies a batch in one transaction over every tree it touches (records, indexes,
    /// counters, references, audit, versions), then makes it durable. Returns the keys in batch
    /// order (fresh ids assigned to records that had id 0).
    ///
    /// Errors: [`StoreError::Referenced`] and [`StoreError::NotFound`] for deletes,
    /// [`StoreError::Stale`] when a record changed after the writer read it, encode and decode
    /// errors, sled and fsync errors; through a server also [`StoreError::Denied`] and
    /// [`StoreError::Disconnected`]. On any error nothing is written.
    pub fn write(&self, batch: Batch) -> Result<Vec<Vec<u8>>> {
        match &self.backend {
            Backend::Local(l) => l.write(batch, &self.actor),
            Backend::Remote(c) => match c.call(&remote::Request::Write(batch.to_wire()?), false)? {
                remote::Reply::Written(keys) => Ok(keys),
                other => Err(remote::unexpected(&other)),
            },
        }
    }

    /// Inserts one record (id 0 → a fresh id) and returns its id.
    ///
    /// Errors: as [`Store::write`].
    pub fn insert<T: Record>(&self, record: T) -> Result<u64> {
        let mut b = Batch::new();
        b.put(record);
        let keys = self.write(b)?;
        Ok(keys.first().and_then(|k| keys::parse_id(k)).unwrap_or(0))
    }

    /// Deletes the `T` record with numeric id `id` (one transaction, audited).
    ///
    /// Errors: [`StoreError::Referenced`] naming what still refers to it; [`StoreError::NotFound`].
    pub fn delete<T: Record>(&self, id: u64) -> Result<()> {
        let mut b = Batch::new();
        let key = keys::id_key(id);
        let v = self.version(T::TREE, &key)?;
        b.expect_version(T::TREE, key.clone(), v.n);
        b.delete::<T>(key);
        self.write(b).map(|_| ())
    }

    /// The version of the record at `key` in `tree`, to pass to [`Batch::expect_version`] when
    /// writing it back.
    ///
    /// Errors: sled errors, or the server's.
    pub fn version(&self, tree: TreeName, key: &[u8]) -> Result<remote::Version> {
        match &self.backend {
            Backend::Local(l) => l.version(tree, key),
            Backend::Remote(c) => {
                let req = remote::Request::Version {
                    tree,
                    key: key.to_vec(),
                };
                match c.call(&req, true)? {
                    remote::Reply::Version(v) => Ok(v),
                    other => Err(remote::unexpected(&other)),
                }
            }
        }
    }

    /// Adds to `b` the check that the record stored under `seen`'s key is still `seen` (what
    /// the caller read and is about to change or delete): its current version is expected, so
    /// a change by someone else between now and the write is refused too
    /// ([`StoreError::Stale`]). Through a server, every update and delete needs this.
    ///
    /// Errors: [`StoreError::Stale`] when the record already differs from `seen` (or is gone);
    /// read errors.
    pub fn expect_unchanged<T: Record + PartialEq>(&self, b: &mut Batch, seen: &T) -> Result<()> {
        let key = seen.key();
        let v = self.version(T::TREE, &key)?;
        if self.get::<T>(&key)?.as_ref() != Some(seen) {
            return Err(StoreError::Stale(v));
        }
        b.expect_version(T::TREE, key, v.n);
        Ok(())
    }

    /// Keeps `draft` (an encoded unsaved form) for `login`, durably. Through a server, drafts
    /// belong to the verified user whatever `login` says.
    pub fn put_draft(&self, login: &str, draft: &[u8]) -> Result<()> {
        match &self.backend {
            Backend::Local(l) => l.put_draft(login, draft),
            Backend::Remote(c) => done(c.call(&remote::Request::PutDraft(draft.to_vec()), false)?),
        }
    }

    /// The draft kept for `login`, if any.
    pub fn draft(&self, login: &str) -> Result<Option<Vec<u8>>> {
        match &self.backend {
            Backend::Local(l) => l.draft(login),
            Backend::Remote(c) => match c.call(&remote::Request::GetDraft, true)? {
                remote::Reply::Value(v) => Ok(v),
                other => Err(remote::unexpected(&other)),
            },
        }
    }

    /// Forgets `login`'s draft.
    pub fn delete_draft(&self, login: &str) -> Result<()> {
        match &self.backend {
            Backend::Local(l) => l.delete_draft(login),
            Backend::Remote(c) => done(c.call(&remote::Request::DeleteDraft, false)?),
        }
    }
}
