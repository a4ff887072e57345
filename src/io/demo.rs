//! The demo dataset (data/demo/*.csv, listed by build.rs), compiled into the binary so `kyodo --demo` works from any
//! directory. It is loaded through the same import code users get.

use super::import::Source;

include!(concat!(env!("OUT_DIR"), "/demo_files.rs"));

/// The demo files as import sources.
pub fn sources() -> Vec<Source> {
    FILES
        .iter()
        .map(|(n, c)| Source {
            name: n.to_string(),
            bytes: c.as_bytes().to_vec(),
        })
        .collect()
}
