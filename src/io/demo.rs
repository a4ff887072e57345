//! The demo dataset (data/demo/*.csv), compiled into the binary so `kyodo --demo` works from any
//! directory. It is loaded through the same import code users get.

use super::import::Source;

macro_rules! demo_files {
    ($($name:literal),+) => {
        /// `(file name, contents)` of every demo CSV file.
        pub const FILES: &[(&str, &str)] = &[
            $(($name, include_str!(concat!("../../data/demo/", $name)))),+
        ];
    };
}

demo_files!(
    "bodies.csv",
    "body_counts.csv",
    "staff.csv",
    "assignments.csv",
    "subsidy_programs.csv",
    "grants.csv",
    "disbursements.csv",
    "team_meetings.csv",
    "consultations.csv",
    "consultation_tallies.csv",
    "body_activities.csv",
    "indicators.csv",
    "indicator_values.csv",
    "plan_actions.csv"
);

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
