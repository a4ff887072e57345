//! `kyodo check`: every invariant the store keeps; each problem printed with the record it
//! concerns; exit status 1 when any.

use crate::store::Store;

/// Runs the check and prints the result; returns the exit code.
pub fn run(store: &Store) -> i32 {
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
