//! Helpers shared by the integration tests.
#![allow(dead_code)]

use kyodo::store::Store;
use tempfile::TempDir;

/// A fresh store in a temporary directory (sled locks a directory per process, so every test
/// gets its own).
pub fn empty_store() -> (TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    (dir, store)
}

/// A fresh store holding the demo dataset, loaded through the import code.
pub fn demo_store() -> (TempDir, Store) {
    let (dir, store) = empty_store();
    kyodo::io::import::import_sources(&store, kyodo::io::demo::sources()).unwrap();
    (dir, store)
}
