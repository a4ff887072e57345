//! `kyodo import PATH`.

use crate::io::import::import_path;
use crate::store::Store;
use std::path::Path;

/// Imports `path` and prints rows per type; on failure prints every error to stderr.
/// Returns the exit code: 0 on success, 1 when the import was refused.
pub fn run(store: &Store, path: &Path) -> i32 {
    match import_path(store, path) {
        Ok(summary) => {
            let total: usize = summary.per_type.iter().map(|(_, n)| n).sum();
            for (kind, n) in &summary.per_type {
                let t = summary.outcome(kind);
                println!(
                    "{kind:<22} {n:>7}  (added {}, updated {}, unchanged {})",
                    t.added, t.updated, t.unchanged
                );
            }
            println!("{:<22} {total:>7}", "total");
            0
        }
        Err(e) => {
            eprint!("{}", crate::text::sanitize_multiline(&e.to_string()));
            eprintln!();
            1
        }
    }
}
