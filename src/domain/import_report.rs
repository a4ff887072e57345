//! What an import found and did (issue 10; data/demo/README.md): a problem in an input file
//! with its place, and the rows per record type added, updated and left unchanged. Plain data,
//! shared by the import code, the CLI and the server's reply.

use super::Text;
use std::fmt;

/// One problem in an input file, with its place: `file:line:column`, the column being the
/// cell's position in its row (1 = A in Excel).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RowError {
    /// File name.
    pub file: String,
    /// 1-based line in the file (the header is line 1); 0 for the file as a whole.
    pub line: u64,
    /// 1-based cell position in the row; 0 when the problem is the whole line or file.
    pub col: u32,
    /// Column name (header), or empty for a whole-row/file problem.
    pub column: String,
    /// The offending value (an excerpt when long).
    pub value: String,
    /// What is wrong and how to fix it, in both languages.
    pub message: Text,
}

impl RowError {
    /// The error in `lang`: `file:line:column: column 'name' = 'value': message`.
    pub fn text(&self, lang: crate::domain::lang::Lang) -> String {
        let mut place = format!("{}:{}", self.file, self.line);
        if self.col > 0 {
            place.push_str(&format!(":{}", self.col));
        }
        let msg = self.message.get(lang);
        match (self.column.is_empty(), lang) {
            (true, _) => format!("{place}: {msg}"),
            (false, crate::domain::lang::Lang::Ja) if self.value.is_empty() => {
                format!("{place}: 列「{}」: {msg}", self.column)
            }
            (false, crate::domain::lang::Lang::En) if self.value.is_empty() => {
                format!("{place}: column '{}': {msg}", self.column)
            }
            (false, crate::domain::lang::Lang::Ja) => {
                format!("{place}: 列「{}」= 「{}」: {msg}", self.column, self.value)
            }
            (false, crate::domain::lang::Lang::En) => {
                format!(
                    "{place}: column '{}' = '{}': {msg}",
                    self.column, self.value
                )
            }
        }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(crate::domain::lang::Lang::En))
    }
}

/// Rows imported per record type, in [`FILE_ORDER`].
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImportSummary {
    /// `(type, rows)` for each file read.
    pub per_type: Vec<(String, usize)>,
    /// What happened to each type's rows.
    pub outcome: Vec<(String, TypeSummary)>,
}

/// What an import did with one type's rows (matched on the type's natural key).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TypeSummary {
    /// New records.
    pub added: usize,
    /// Existing records changed.
    pub updated: usize,
    /// Existing records already equal to their row.
    pub unchanged: usize,
}

impl ImportSummary {
    /// Rows of one type.
    pub fn rows(&self, kind: &str) -> usize {
        self.per_type
            .iter()
            .find(|(k, _)| k == kind)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    }

    /// Added / updated / unchanged of one type.
    pub fn outcome(&self, kind: &str) -> TypeSummary {
        self.outcome
            .iter()
            .find(|(k, _)| k == kind)
            .map(|(_, t)| *t)
            .unwrap_or_default()
    }
}
