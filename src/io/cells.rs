//! Cells exported for Excel, neutralised against formula injection (the OWASP "CSV injection"
//! rule): a cell that begins with `=`, `+`, `-`, `@`, TAB or CR gets a leading `'`, so Excel
//! shows it as text instead of running it. Import undoes exactly that prefix, so
//! export → import → export is the identity for every value (issue 10, item 5).

use crate::domain::Text;

/// The characters that make a spreadsheet read a cell as a formula (or hide one).
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether `s` needs the `'` prefix: it begins with a trigger, or with `'` followed by a trigger
/// or another `'` (so that a value that really begins with `'=` survives the round trip).
fn needs_prefix(s: &str) -> bool {
    let mut c = s.chars();
    match c.next() {
        Some(first) if TRIGGERS.contains(&first) => true,
        Some('\'') => matches!(c.next(), Some(n) if TRIGGERS.contains(&n) || n == '\''),
        _ => false,
    }
}

/// The cell as written for Excel: `'` prepended when [`needs_prefix`].
pub fn neutralise(s: &str) -> std::borrow::Cow<'_, str> {
    if needs_prefix(s) {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// The value of a cell read from a file: the `'` that [`neutralise`] adds is removed (only
/// that: a lone leading `'` before ordinary text stays).
pub fn unneutralise(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if needs_prefix(rest) => rest,
        _ => s,
    }
}

/// A CSV writer (CRLF line ends, for Excel) whose every cell is neutralised.
pub struct CsvOut {
    w: csv::Writer<Vec<u8>>,
}

impl Default for CsvOut {
    fn default() -> Self {
        CsvOut::new()
    }
}

impl CsvOut {
    /// An empty CSV text.
    pub fn new() -> CsvOut {
        CsvOut {
            w: csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(Vec::new()),
        }
    }

    /// An empty CSV text whose rows may differ in length (several titled tables in one sheet).
    pub fn flexible() -> CsvOut {
        CsvOut {
            w: csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .flexible(true)
                .from_writer(Vec::new()),
        }
    }

    /// Writes one row.
    ///
    /// Errors: the CSV writer's (it writes to memory, so in practice none).
    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) -> Result<(), Text> {
        self.w
            .write_record(cells.iter().map(|c| neutralise(c.as_ref()).into_owned()))
            .map_err(|e| Text::new(e.to_string(), e.to_string()))
    }

    /// The CSV text.
    ///
    /// Errors: the CSV writer's.
    pub fn finish(self) -> Result<String, Text> {
        let bytes = self
            .w
            .into_inner()
            .map_err(|e| Text::new(e.to_string(), e.to_string()))?;
        String::from_utf8(bytes).map_err(|e| Text::new(e.to_string(), e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_six_payloads_are_neutralised_and_come_back() {
        for p in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0",
            "\t=1+1",
            "\r=1+1",
        ] {
            let out = neutralise(p);
            assert!(out.starts_with('\''), "{p:?}");
            assert_eq!(unneutralise(&out), p);
        }
        for p in ["'=1", "''", "'abc", "abc", "", "'", "一関"] {
            assert_eq!(unneutralise(&neutralise(p)), p, "{p:?}");
        }
        assert_eq!(neutralise("'abc"), "'abc", "ordinary text keeps its quote");
        assert_eq!(unneutralise("'abc"), "'abc");
    }
}
