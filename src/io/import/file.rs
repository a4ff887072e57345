//! Reading one file of an import: its encoding, the structural scan, the header, then its rows
//! one at a time, each placed (and the new ones written a chunk at a time) as it is read.

use super::*;

impl Ctx<'_> {
    /// Reads one file's rows into the batch; returns the number of data rows. The file is
    /// read a block at a time: once for what would make rows disappear or merge (which, read
    /// as UTF-8, also finds a file that is not; see [`crate::io::decoded::scan`]), then for its
    /// rows.
    pub(super) fn read_file(
        &mut self,
        kind: &str,
        src: Named,
        errors: &mut Vec<RowError>,
        progress: &dyn Fn(u64),
    ) -> usize {
        let (enc, structural) = match crate::io::decoded::scan(&src.name, &src.input) {
            Ok(found) => found,
            Err(e) => {
                errors.push(*e);
                return 0;
            }
        };
        let reader = match src
            .input
            .open()
            .and_then(|r| crate::io::decoded::Decoded::new(r, enc))
        {
            Ok(r) => r,
            Err(e) => {
                errors.push(*crate::io::decoded::io_error(&src.name, e));
                return 0;
            }
        };
        let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
        let headers: Vec<String> = match rdr.headers() {
            Ok(h) => h
                .iter()
                .map(|s| s.trim_matches([' ', '\u{3000}']).to_string())
                .collect(),
            Err(_) if !structural.is_empty() => Vec::new(),
            Err(e) => {
                errors.push(file_error(
                    &src.name,
                    1,
                    Text::new(
                        format!("見出し行が読めません: {e}"),
                        format!("cannot read the header: {e}"),
                    ),
                ));
                return 0;
            }
        };
        if !structural.is_empty() {
            // Name the column of each place, when the header has one.
            errors.extend(structural.into_iter().map(|mut e| {
                if e.line > 1
                    && let Some(h) = headers.get((e.col as usize).wrapping_sub(1))
                {
                    e.column = h.clone();
                }
                e
            }));
            return 0;
        }
        let columns = crate::domain::fields::columns::of(kind);
        let known: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
        // A header may also be the field's label as the screens write it (世帯数, Households).
        let headers: Vec<String> = headers
            .into_iter()
            .map(|h| {
                known
                    .iter()
                    .find(|c| {
                        [crate::i18n::Lang::Ja, crate::i18n::Lang::En]
                            .iter()
                            .any(|l| l.field_of(kind, c) == h && **c != h)
                    })
                    .map_or(h, |c| c.to_string())
            })
            .collect();
        let bad_header = crate::io::csv_in::check_header(&src.name, &headers, &known);
        if !bad_header.is_empty() {
            errors.extend(bad_header);
            return 0;
        }
        let missing: Vec<&str> = columns
            .iter()
            .filter(|(c, required)| *required && !headers.iter().any(|h| h == c))
            .map(|(c, _)| *c)
            .collect();
        if !missing.is_empty() {
            errors.push(file_error(
                &src.name,
                1,
                Text::new(
                    format!(
                        "必須の列 {} がありません。{kind}.csv の列は data/demo/README.md を見てください",
                        missing.join(", ")
                    ),
                    format!(
                        "missing column(s) {}; see data/demo/README.md for {kind}.csv",
                        missing.join(", ")
                    ),
                ),
            ));
            return 0;
        }
        let mut n = 0;
        for rec in rdr.records() {
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    let line = e.position().map(|p| p.line()).unwrap_or(0);
                    errors.push(file_error(
                        &src.name,
                        line,
                        Text::new(
                            format!("CSV として読めません: {e}"),
                            format!("malformed CSV: {e}"),
                        ),
                    ));
                    continue;
                }
            };
            if rec.iter().all(|f| f.trim().is_empty()) {
                continue; // Excel's trailing empty rows
            }
            let line = rec.position().map(|p| p.line()).unwrap_or(0);
            if let Some(e) = crate::io::csv_in::check_cells(&src.name, line, &headers, &rec) {
                errors.push(e);
                continue;
            }
            if line % 2_000 == 0 {
                progress(rec.position().map(|p| p.byte()).unwrap_or(0));
            }
            let mut row = Row {
                file: &src.name,
                line,
                headers: &headers,
                rec: &rec,
                errors: Vec::new(),
            };
            let result = self.read_row(kind, &mut row);
            let had_errors = !row.errors.is_empty();
            errors.append(&mut row.errors);
            match result {
                Ok(()) if !had_errors => n += 1,
                Ok(()) => {}
                Err(m) => errors.push(file_error(&src.name, line, Text::new(m.clone(), m))),
            }
            self.row_done(errors);
            if self.failed.is_some() {
                break;
            }
        }
        n
    }
}
