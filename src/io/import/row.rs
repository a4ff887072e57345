//! One CSV row as named fields, with its errors placed at file, line and column.

use super::*;

pub(super) fn file_error(file: &str, line: u64, message: Text) -> RowError {
    RowError {
        file: file.to_string(),
        line,
        col: 0,
        column: String::new(),
        value: String::new(),
        message,
    }
}

/// One CSV row; its typed accessors (from `FieldReader`) record errors instead of failing.
pub(super) struct Row<'r> {
    pub(super) file: &'r str,
    pub(super) line: u64,
    pub(super) headers: &'r [String],
    pub(super) rec: &'r csv::StringRecord,
    pub(super) errors: Vec<RowError>,
}

impl crate::domain::fields::FieldReader for Row<'_> {
    /// The cell under header `col`: the `'` that export adds against formula injection is
    /// removed, then spaces around the value (never TAB or CR, which are part of it).
    fn raw(&self, col: &str) -> String {
        self.headers
            .iter()
            .position(|h| h == col)
            .and_then(|i| self.rec.get(i))
            .map(|s| {
                crate::io::cells::unneutralise(s)
                    .trim_matches([' ', '\u{3000}'])
                    .to_string()
            })
            .unwrap_or_default()
    }

    fn error(&mut self, col: &str, value: &str, message: Text) {
        let at = self.headers.iter().position(|h| h == col);
        self.errors.push(RowError {
            file: self.file.to_string(),
            line: self.line,
            col: at.map_or(0, |i| i as u32 + 1),
            column: col.to_string(),
            value: value.to_string(),
            message,
        });
    }

    fn ok(&self) -> bool {
        self.errors.is_empty()
    }

    fn excel_serials(&self) -> bool {
        true
    }
}
