//! Records as named text fields, both ways: `read_*` turns fields (a CSV row, a TUI form) into a
//! record, reporting every bad field with a message that says how to fix it; `write_*` turns a
//! record into the same fields (to fill an edit form, or to export). One place per record type,
//! so import, forms and export accept and produce exactly the same thing. Field names are the
//! CSV column names documented in data/demo/README.md.

use super::access::Area;
use super::record_type::{Key, Metric, RecordKind, RecordType, RefKind};
use super::report_due::ReportDue;
use super::*;
use chrono::NaiveDate;
use std::cmp::Ordering;

mod activity;
mod award_link;
mod body;
mod consultation;
mod indicator;
mod meeting;
mod plan;
pub mod reader;
mod staff;
mod subsidy;
pub use activity::*;
pub use body::*;
pub use consultation::*;
pub use indicator::*;
pub use meeting::*;
pub use plan::*;
pub use reader::*;
pub use staff::*;
pub use subsidy::*;

/// Checks every field of `kind` present in `r` against its size limit
/// (the type's [`RecordType::LIMITS`], else [`super::limits::limit_of`]), recording an error (with a short excerpt of the value) for each
/// one over it. Import and forms call it before reading a record, so nothing over a limit is
/// ever written.
pub fn check_limits(kind: &str, r: &mut dyn FieldReader) {
    let own = RecordKind::of_name(kind).map_or(&[][..], RecordKind::limits);
    for (col, _) in columns::of(kind) {
        let v = r.raw(col);
        let limit = own
            .iter()
            .find(|(f, _)| f == col)
            .map_or_else(|| super::limits::limit_of(col), |(_, l)| *l);
        if let Err(t) = limit.check(&v) {
            let excerpt: String = v.chars().take(20).collect();
            r.error(col, &format!("{excerpt}…"), t);
        }
    }
}

/// The record types, their CSV/form field names, and which are required.
pub mod columns {
    use super::*;

    /// `(field, required)` of each record type, in file and form order.
    pub fn of(kind: &str) -> &'static [(&'static str, bool)] {
        match kind {
            "grant_steps" => subsidy::GRANT_STEPS,
            _ => RecordKind::of_name(kind).map_or(&[], RecordKind::fields),
        }
    }
}

#[cfg(test)]
mod serial_tests {
    use super::*;

    #[test]
    fn excel_serials() {
        assert_eq!(excel_serial("45383"), NaiveDate::from_ymd_opt(2024, 4, 1));
        assert_eq!(excel_serial("45383.0"), NaiveDate::from_ymd_opt(2024, 4, 1));
        assert_eq!(
            excel_serial("４５３８３"),
            NaiveDate::from_ymd_opt(2024, 4, 1)
        );
        assert_eq!(excel_serial("2024"), None);
        assert_eq!(excel_serial("45383.5"), None);
    }
}
