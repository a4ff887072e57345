//! `kyodo check`: every invariant the store keeps; each problem printed with the record it
//! concerns; exit status 1 when any.

use crate::store::Store;

/// Runs the check (after a repair of indexes and counters when asked) and prints the result;
/// returns the exit code (1 when problems remain).
pub fn run(store: &Store, repair: bool) -> i32 {
    if repair {
        match crate::store::check::repair(store) {
            Ok(r) => println!(
                "repair: {} index entries added, {} removed, {} counters set to their recount",
                r.index_added, r.index_removed, r.counters_fixed
            ),
            Err(e) => {
                eprintln!("kyodo check: repair stopped: {e} (run it again to finish)");
                return 1;
            }
        }
    }
    let report = crate::store::check::check(store);
    for p in &report.problems {
        println!("{}", crate::text::sanitize(&p.to_string()));
    }
    if report.problems.is_empty() {
        println!(
            "ok: {} records, indexes, counters, references and the audit chain agree",
            report.records
        );
        0
    } else {
        println!(
            "{} problem(s) in {} records",
            report.problems.len(),
            report.records
        );
        1
    }
}
