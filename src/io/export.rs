//! `kyodo export TYPE`: one record type as CSV with the column layout `kyodo import` reads
//! (data/demo/README.md), written by the same field codec (`domain::fields::write_*`), so an
//! exported file imports back to the same records. Excel-ready: UTF-8, UTF-8 with BOM or CP932.

use super::encoding::{Encoding, check_field};
use crate::domain::fields::{NameTables, columns};
use crate::domain::*;
use crate::store::{Loaded, Store};

/// The record types `export` writes: exactly the ones `kyodo import` reads, in its order.
pub use super::import::FILE_ORDER as TYPES;

/// The rows of the visited type: its records of the year (by its date index when it has one,
/// else by [`RecordType::in_year`]), in [`RecordType::export_order`].
struct Rows<'a> {
    store: &'a Store,
    fy: Option<FiscalYear>,
    names: &'a NameTables,
}

impl Visit for Rows<'_> {
    type Out = Result<Vec<ExportRow>, Text>;
    fn visit<T: RecordType>(self) -> Self::Out {
        let mut v: Vec<T> = match self.fy {
            Some(f) => all(self.store.list_year::<T>(f, self.names))?,
            None => all(self.store.list::<T>())?,
        };
        v.sort_by(|a, b| a.export_order(b, self.names));
        Ok(v.iter()
            .map(|r| {
                let id = match RecordType::key(r) {
                    Key::Id(id) => id.to_string(),
                    Key::Name(n) => n.to_string(),
                };
                (format!("{} {id}", T::LABEL), r.write(self.names))
            })
            .collect())
    }
}

/// One exported record: a label for messages (e.g. `grant 12`) and its fields by column name.
pub type ExportRow = (String, Vec<(&'static str, String)>);

fn all<T>(l: Loaded<T>) -> Result<Vec<T>, Text> {
    match l.problems.into_iter().next() {
        Some(e) => Err(Text::new(e.to_string(), e.to_string())),
        None => Ok(l.items),
    }
}

/// Rows of `kind` (fields by column name), limited to fiscal year `fy` when given: dated records
/// by their date, programs by their year, grants and payments by their program's year,
/// assignments that overlap it, counts taken in it. Bodies, staff and indicators are always whole.
///
/// Errors: an unknown type (the message lists the types), or a record that cannot be read.
pub fn rows(store: &Store, kind: &str, fy: Option<FiscalYear>) -> Result<Vec<ExportRow>, Text> {
    let (mut names, problems) = store.name_tables();
    if let Some(e) = problems.into_iter().next() {
        return Err(Text::new(e.to_string(), e.to_string()));
    }
    let Some(k) = RecordKind::of_name(kind) else {
        return Err(Text::new(
            format!(
                "「{kind}」という種類はありません。次のどれかです: {}",
                TYPES.join(", ")
            ),
            format!("no record type '{kind}'; use one of {}", TYPES.join(", ")),
        ));
    };
    if let Some(e) = store.add_labels(&mut names, k).into_iter().next() {
        return Err(Text::new(e.to_string(), e.to_string()));
    }
    let out = k.visit(Rows {
        store,
        fy,
        names: &names,
    })?;
    // Dated records are exported in date order (the index order).
    Ok(out)
}

/// The CSV text of `kind` with a header row of the import's column names, every field checked
/// for `enc` first.
///
/// Errors: see [`rows`]; for CP932, the record and column holding a character it cannot write.
pub fn csv_text(
    store: &Store,
    kind: &str,
    fy: Option<FiscalYear>,
    enc: Encoding,
) -> Result<String, Text> {
    csv_text_with(store, kind, fy, enc, &|_, _| {})
}

/// [`csv_text`], calling `progress(rows written, rows)` as it goes.
pub fn csv_text_with(
    store: &Store,
    kind: &str,
    fy: Option<FiscalYear>,
    enc: Encoding,
    progress: &dyn Fn(u64, u64),
) -> Result<String, Text> {
    let cols: Vec<&str> = columns::of(kind).iter().map(|(c, _)| *c).collect();
    let data = rows(store, kind, fy)?;
    let mut w = super::cells::CsvOut::new();
    w.row(&cols)?;
    let total = data.len() as u64;
    for (n, (record, fields)) in data.iter().enumerate() {
        if n % 5_000 == 0 {
            progress(n as u64, total);
        }
        let mut line = Vec::with_capacity(cols.len());
        for c in &cols {
            let v = fields
                .iter()
                .find(|(k, _)| k == c)
                .map(|(_, v)| v.as_str())
                .unwrap_or("");
            check_field(enc, record, c, v)?;
            line.push(v);
        }
        w.row(&line)?;
    }
    w.finish()
}
