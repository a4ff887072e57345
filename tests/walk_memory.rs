//! A walk over a whole tree (backup, check, export) holds only a bounded part of it in memory
//! (issue 20): sled 0.34 keeps every page a walk has read until its cache shard's queue of 64
//! reads fills, and a walk that reads each leaf once left up to 16,384 leaves in memory, 29 MiB
//! of a 500k backup. The store's walk looks each key up again, which fills the queues and lets
//! sled page out what the walk has passed. This file counts the bytes live on the heap (its own
//! process, one test), so the bound is measured, not timed.

use kyodo::io::synth::{Scale, generate};
use kyodo::store::{SCAN_CACHE_BYTES, Store, TreeName};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// The system allocator, counting the bytes live and the most that were live at once.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(n: usize) {
    let now = LIVE.fetch_add(n, Relaxed) + n;
    PEAK.fetch_max(now, Relaxed);
}

// SAFETY: every call is passed to the system allocator unchanged; the counters only add up the
// sizes it was asked for.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: as GlobalAlloc::alloc.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: as GlobalAlloc::alloc_zeroed.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        // SAFETY: as GlobalAlloc::dealloc.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        LIVE.fetch_sub(layout.size(), Relaxed);
        grew(new);
        // SAFETY: as GlobalAlloc::realloc.
        unsafe { System.realloc(ptr, layout, new) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// A writer that only counts what it is given.
struct Bytes(usize);

impl std::io::Write for Bytes {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_whole_tree_walk_holds_a_bounded_part_of_the_tree_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let scale = Scale {
        bodies: 10,
        staff: 10,
        years: 1,
        last_fy: 2024,
        consultations: 100_000,
        tallies: 0,
        meetings: 0,
        activities: 0,
    };
    {
        let store = Store::open(&path).unwrap();
        generate(&store, scale, 5_000).unwrap();
    }
    // Reopened, as a backup runs: the records are on disk, not in memory.
    let store = Store::open_with_cache(&path, SCAN_CACHE_BYTES).unwrap();
    let before = LIVE.load(Relaxed);
    PEAK.store(before, Relaxed);
    let mut n = 0;
    let mut out = Bytes(0);
    store
        .write_records_json(TreeName::Consultations, &mut out, || n += 1)
        .unwrap();
    let held = PEAK.load(Relaxed) - before;
    let tree_bytes = out.0;
    assert_eq!(n, 100_000);
    // Without the second look-ups every leaf of this tree (fewer than 16,384) stays in memory:
    // 16.7 MB held against 22.8 MB of JSON. With them, 5.3 MB: the 1 MiB cache as sled holds
    // it and the few leaves each shard's queue still names.
    eprintln!("walk held {held} bytes at most; the records' JSON is {tree_bytes} bytes");
    assert!(
        held < tree_bytes / 3,
        "the walk held {held} bytes at its peak, against {tree_bytes} bytes of records"
    );
}
