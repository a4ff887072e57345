//! `kyodo import PATH`.

use crate::store::Store;
use std::path::Path;

/// Imports `path` and prints rows per type; on failure prints every error to stderr.
/// Returns the exit code: 0 on success, 1 when the import was refused.
pub fn run(store: &Store, path: &Path) -> i32 {
    let bar = std::cell::RefCell::new(None);
    let result = crate::io::import::import_path_with(store, path, &|done, total| {
        let mut b = bar.borrow_mut();
        if b.is_none() {
            *b = super::progress_bar(total, 1 << 20, "import");
        }
        if let Some(b) = b.as_ref() {
            b.set_position(done);
            if done >= total {
                b.set_message("writing");
            }
        }
    });
    if let Some(b) = bar.borrow().as_ref() {
        b.finish_and_clear();
    }
    match result {
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
            eprint!(
                "{}",
                crate::text::sanitize_multiline(&e.text(crate::i18n::Lang::from_env()))
            );
            eprintln!();
            1
        }
    }
}
