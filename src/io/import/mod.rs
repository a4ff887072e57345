//! `kyodo import`: CSV files (UTF-8, UTF-8 with BOM or CP932), one per record type, with a
//! header row (columns documented in
//! data/demo/README.md). A whole import is all-or-nothing as to its rows: every file is parsed
//! and checked first, every error is listed with file, line and column, and nothing is written
//! unless every row is valid. A clean import is then written in transactions of
//! [`IMPORT_CHUNK`] records (bounded memory); only a disk failure part-way could leave part of it.

use crate::domain::*;
use crate::store::{Batch, Store, StoreError};
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::path::Path;

mod draft;
mod natural;
mod row;
use row::*;

/// The record types import understands (their CSV file names), in the order they are read:
/// by [`RecordType::IMPORT_RANK`], so every type comes after the types it refers to.
pub const FILE_ORDER: &[&str] = &FILES;

macro_rules! file_order {
    ($($t:ident $(in $m:ident)? => $tree:ident $(/ $index:ident)?,)*) => {
        const FILES: [&str; [$(stringify!($t)),*].len()] = by_rank([$((
            <crate::domain::$($m::)?$t as RecordType>::IMPORT_RANK,
            <crate::domain::$($m::)?$t as RecordType>::FILE,
        )),*]);
    };
}
crate::record_types!(file_order);

/// The names of `ranked` by rank, equal ranks in their given order (an insertion sort: this
/// runs at compile time).
const fn by_rank<const N: usize>(mut ranked: [(u32, &'static str); N]) -> [&'static str; N] {
    let mut i = 1;
    while i < N {
        let mut j = i;
        while j > 0 && ranked[j - 1].0 > ranked[j].0 {
            let t = ranked[j - 1];
            ranked[j - 1] = ranked[j];
            ranked[j] = t;
            j -= 1;
        }
        i += 1;
    }
    let mut out = [""; N];
    let mut k = 0;
    while k < N {
        out[k] = ranked[k].1;
        k += 1;
    }
    out
}

/// Why an import was refused. Nothing was written.
#[derive(Debug)]
pub enum ImportError {
    /// The files had errors; every one is listed.
    Rows(Vec<RowError>),
    /// The path could not be read.
    Io(String),
    /// Writing failed.
    Store(StoreError),
}

impl ImportError {
    /// The refusal in `lang`, one error per line.
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        match self {
            ImportError::Rows(errs) => {
                let mut out = match lang {
                    crate::i18n::Lang::Ja => format!(
                        "取り込みを中止しました。何も書き込んでいません。エラー {} 件:\n",
                        errs.len()
                    ),
                    crate::i18n::Lang::En => format!(
                        "import refused, nothing was written; {} error(s):\n",
                        errs.len()
                    ),
                };
                for e in errs {
                    out.push_str(&format!("  {}\n", e.text(lang)));
                }
                out
            }
            ImportError::Io(m) => m.clone(),
            ImportError::Store(e) => e.text(lang),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(crate::i18n::Lang::En))
    }
}

impl std::error::Error for ImportError {}

/// Records written per transaction by an import (bounded memory at any file size).
pub const IMPORT_CHUNK: usize = 1_000;

pub use crate::domain::import_report::{ImportSummary, RowError, TypeSummary};
pub use draft::read_records;

/// A named input: file name (e.g. `bodies.csv`) and its bytes.
pub struct Source {
    /// File name; its stem says the record type.
    pub name: String,
    /// Contents (UTF-8, with or without BOM).
    pub bytes: Vec<u8>,
}

/// Imports a directory of CSV files (any of `<type>.csv`) or one such file.
///
/// Errors: [`ImportError`]; nothing is written unless every row of every file is valid.
pub fn import_path(store: &Store, path: &Path) -> Result<ImportSummary, ImportError> {
    import_path_with(store, path, &|_, _| {})
}

/// [`import_path`], calling `progress(bytes read, total bytes)` while the files are parsed.
pub fn import_path_with(
    store: &Store,
    path: &Path,
    progress: &dyn Fn(u64, u64),
) -> Result<ImportSummary, ImportError> {
    let read = |p: &Path| {
        std::fs::read(p).map_err(|e| ImportError::Io(format!("cannot read {}: {e}", p.display())))
    };
    let mut sources = Vec::new();
    if path.is_dir() {
        let entries = std::fs::read_dir(path)
            .map_err(|e| ImportError::Io(format!("cannot read {}: {e}", path.display())))?;
        for entry in entries.flatten() {
            let p = entry.path();
            if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
                sources.push(Source {
                    name: entry.file_name().to_string_lossy().into_owned(),
                    bytes: read(&p)?,
                });
            }
        }
        if sources.is_empty() {
            return Err(ImportError::Io(format!(
                "{} holds no .csv files; expected files named {}.csv",
                path.display(),
                FILE_ORDER.join(".csv, ")
            )));
        }
    } else {
        sources.push(Source {
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            bytes: read(path)?,
        });
    }
    import_sources_with(store, sources, progress)
}

/// Imports named sources (see [`import_path`]).
pub fn import_sources(store: &Store, sources: Vec<Source>) -> Result<ImportSummary, ImportError> {
    import_sources_with(store, sources, &|_, _| {})
}

/// [`import_sources`] with progress (bytes read, total bytes) while parsing.
pub fn import_sources_with(
    store: &Store,
    sources: Vec<Source>,
    progress: &dyn Fn(u64, u64),
) -> Result<ImportSummary, ImportError> {
    if store.socket().is_some() {
        // Through a server the files are sent and the server imports them (ids are its to
        // give), with the same checks and messages.
        let files = sources.into_iter().map(|s| (s.name, s.bytes)).collect();
        return store.remote_import(files, progress).map_err(|e| match e {
            crate::store::RemoteImportError::Rows(r) => ImportError::Rows(r),
            crate::store::RemoteImportError::Store(e) => ImportError::Store(e),
        });
    }
    let (batch, summary) = prepare(store, sources, progress)?;
    commit(store, batch)?;
    Ok(summary)
}

/// Reads and checks every row of `sources` into one batch (nothing is written), with what it
/// will do per type. The batch carries the import's audit summary.
///
/// Errors: [`ImportError::Rows`] listing every problem; a store error reading names.
pub fn prepare(
    store: &Store,
    sources: Vec<Source>,
    progress: &dyn Fn(u64, u64),
) -> Result<(Batch, ImportSummary), ImportError> {
    let total: u64 = sources.iter().map(|s| s.bytes.len() as u64).sum();
    let mut done = 0u64;
    let mut ctx = Ctx::new(store).map_err(ImportError::Store)?;
    let mut by_kind: HashMap<String, Source> = HashMap::new();
    let mut errors = Vec::new();
    for s in sources {
        let stem = s.name.strip_suffix(".csv").unwrap_or(&s.name).to_string();
        if FILE_ORDER.contains(&stem.as_str()) {
            by_kind.insert(stem, s);
        } else {
            errors.push(RowError {
                file: s.name.clone(),
                line: 0,
                col: 0,
                column: String::new(),
                value: String::new(),
                message: Text::new(
                    format!(
                        "ファイル名が記録の種類になっていません。次のどれかの名前にしてください: {}.csv",
                        FILE_ORDER.join(".csv, ")
                    ),
                    format!(
                        "unknown file name; name it after its record type: {}.csv",
                        FILE_ORDER.join(".csv, ")
                    ),
                ),
            });
        }
    }
    let mut summary = ImportSummary::default();
    for &kind in FILE_ORDER {
        let Some(src) = by_kind.remove(kind) else {
            continue;
        };
        let size = src.bytes.len() as u64;
        let n = ctx.read_file(kind, src, &mut errors, &|b| progress(done + b, total));
        done += size;
        progress(done, total);
        summary.per_type.push((kind.to_string(), n));
    }
    if !errors.is_empty() {
        return Err(ImportError::Rows(errors));
    }
    for (kind, _) in &summary.per_type {
        let t = ctx.stats.get(kind).copied().unwrap_or_default();
        summary.outcome.push((kind.clone(), t));
    }
    let summary_text: Vec<String> = summary
        .outcome
        .iter()
        .map(|(k, t)| {
            format!(
                "{k} {} (+{} ~{} ={})",
                t.added + t.updated + t.unchanged,
                t.added,
                t.updated,
                t.unchanged
            )
        })
        .collect();
    let mut batch = ctx.batch;
    batch.as_import(format!("imported: {}", summary_text.join(", ")));
    Ok((batch, summary))
}

/// Writes a prepared import. Every row was checked before, so a bad row writes nothing; the
/// records go in transactions of [`IMPORT_CHUNK`] (one transaction for a whole large-city file
/// held 7 GB in memory), so only a disk failure part-way could leave part of an import.
///
/// Errors: the store's.
pub fn commit(store: &Store, batch: Batch) -> Result<(), ImportError> {
    for part in batch.split(IMPORT_CHUNK) {
        store.write(part).map_err(ImportError::Store)?;
    }
    Ok(())
}

/// Parsing state: what is known by name so far (stored records plus earlier rows).
struct Ctx<'a> {
    store: &'a Store,
    batch: Batch,
    bodies: HashMap<String, BodyId>,
    staff: HashMap<String, StaffId>,
    programs: HashMap<(String, FiscalYear), SubsidyProgramId>,
    grants: HashMap<(SubsidyProgramId, Recipient), GrantId>,
    indicators: HashMap<String, ()>,
    plan_actions: std::collections::HashSet<(String, u32)>,
    /// Stored records by natural key, per type (loaded when the type's file is read).
    existing: HashMap<String, ByNaturalKey>,
    /// Names by id (what labels are made of), kept up to date as rows are read.
    names: crate::domain::fields::NameTables,
    /// Records others name by label ([`RecordType::label`]), by kind and label: loaded from the
    /// store before a file that names them is read, and learnt as rows are read.
    label_ids: HashMap<(RecordKind, String), u64>,
    /// Added / updated / unchanged per type.
    stats: HashMap<String, TypeSummary>,
    /// When reading a file only to use its records ([`read_records`]): the records read, and
    /// nothing placed in the batch.
    collected: Option<Vec<Box<dyn std::any::Any + Send>>>,
}

impl<'a> Ctx<'a> {
    fn new(store: &'a Store) -> Result<Ctx<'a>, StoreError> {
        let mut ctx = Ctx {
            store,
            batch: Batch::new(),
            bodies: HashMap::new(),
            staff: HashMap::new(),
            programs: HashMap::new(),
            grants: HashMap::new(),
            indicators: HashMap::new(),
            plan_actions: Default::default(),
            existing: HashMap::new(),
            names: store.name_tables().0,
            label_ids: HashMap::new(),
            stats: HashMap::new(),
            collected: None,
        };
        for b in store.list::<Body>().whole()? {
            ctx.bodies.insert(b.name.clone(), b.id);
            ctx.bodies.entry(b.kana.clone()).or_insert(b.id);
        }
        for s in store.list::<Staff>().whole()? {
            ctx.add_staff_names(&s);
        }
        for p in store.list::<SubsidyProgram>().whole()? {
            ctx.programs.insert((p.name.clone(), p.fiscal_year), p.id);
        }
        for g in store.list::<Grant>().whole()? {
            ctx.grants.insert((g.program_id, g.recipient), g.id);
        }
        for i in store.list::<Indicator>().whole()? {
            ctx.indicators.insert(i.id.clone(), ());
        }
        for a in store.list::<PlanAction>().whole()? {
            ctx.plan_actions.insert((a.plan, a.number));
        }
        Ok(ctx)
    }

    /// Loads the labels of the stored records that rows of `kind` name by label, once.
    fn load_labels(&mut self, kind: RecordKind) -> Result<(), String> {
        let before = self.names.labels.len();
        if let Some(e) = self
            .store
            .add_labels(&mut self.names, kind)
            .into_iter()
            .next()
        {
            return Err(e.to_string());
        }
        if self.names.labels.len() != before {
            for ((k, id), label) in &self.names.labels {
                self.label_ids.entry((*k, label.clone())).or_insert(*id);
            }
        }
        Ok(())
    }

    fn add_staff_names(&mut self, s: &Staff) {
        // The id's name too: labels made of it (a training's) are built as rows are read.
        self.names.staff.insert(s.id, s.name.clone());
        self.staff.insert(s.name.clone(), s.id);
        self.staff.insert(s.name.replace([' ', '　'], ""), s.id);
        if let Some(l) = &s.login {
            self.staff.insert(l.clone(), s.id);
        }
    }

    fn new_id(&self) -> Result<u64, String> {
        self.store.new_id().map_err(|e| e.to_string())
    }

    /// Reads one file's rows into the batch; returns the number of data rows.
    fn read_file(
        &mut self,
        kind: &str,
        src: Source,
        errors: &mut Vec<RowError>,
        progress: &dyn Fn(u64),
    ) -> usize {
        let text = match super::csv_in::decode_owned(&src.name, src.bytes) {
            Ok(t) => t,
            Err(e) => {
                errors.push(*e);
                return 0;
            }
        };
        let structural = super::csv_in::scan(&src.name, &text);
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
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
        let bad_header = super::csv_in::check_header(&src.name, &headers, &known);
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
            if let Some(e) = super::csv_in::check_cells(&src.name, line, &headers, &rec) {
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
        }
        n
    }

    fn read_row(&mut self, kind: &str, r: &mut Row) -> Result<(), String> {
        crate::domain::fields::check_limits(kind, r);
        let id = match self.collected {
            Some(_) => 0,
            None => self.new_id()?,
        };
        let Some(k) = RecordKind::of_name(kind) else {
            return Err(format!("unknown record type {kind}"));
        };
        self.load_labels(k)?;
        k.visit(ReadRow {
            ctx: self,
            kind,
            row: r,
            id,
        })
    }

    /// Remembers what later rows refer to this record by: a body's name and kana, a staff
    /// member's names and login, a program's name and year, a grant's program and body, an
    /// indicator's id (the [`Resolver`](crate::domain::fields::Resolver)'s tables).
    fn learn(&mut self, rec: &dyn std::any::Any) {
        if let Some(b) = rec.downcast_ref::<Body>() {
            self.names.bodies.insert(b.id, b.name.clone());
            self.names.founded.insert(b.id, b.established_on);
            self.bodies.insert(b.name.clone(), b.id);
            self.bodies.entry(b.kana.clone()).or_insert(b.id);
        } else if let Some(s) = rec.downcast_ref::<Staff>() {
            self.add_staff_names(s);
        } else if let Some(p) = rec.downcast_ref::<SubsidyProgram>() {
            self.programs.insert((p.name.clone(), p.fiscal_year), p.id);
            self.names
                .programs
                .insert(p.id, (p.name.clone(), p.fiscal_year));
            match p.award_terms {
                Some(t) => self.names.award_terms.insert(p.id, t),
                None => self.names.award_terms.remove(&p.id),
            };
        } else if let Some(g) = rec.downcast_ref::<Grant>() {
            self.grants.insert((g.program_id, g.recipient), g.id);
            self.names.grants.insert(g.id, (g.program_id, g.recipient));
            let fy = self.names.programs.get(&g.program_id).map(|p| p.1);
            if let Some(fy) = fy {
                self.names.learn_award_grant(g, fy);
            }
        } else if let Some(a) = rec.downcast_ref::<crate::domain::award::Award>() {
            self.names.awards.insert(a.id, a.clone());
        } else if let Some(i) = rec.downcast_ref::<Indicator>() {
            self.indicators.insert(i.id.clone(), ());
        } else if let Some(a) = rec.downcast_ref::<PlanAction>() {
            self.plan_actions.insert((a.plan.clone(), a.number));
        }
    }
}

/// Reads one row as a record of the visited type and places it (see [`Ctx::place`]).
struct ReadRow<'c, 's, 'r, 'k> {
    ctx: &'c mut Ctx<'s>,
    kind: &'k str,
    row: &'c mut Row<'r>,
    id: u64,
}

impl Visit for ReadRow<'_, '_, '_, '_> {
    type Out = Result<(), String>;
    fn visit<T: RecordType>(self) -> Result<(), String> {
        let Some(mut rec) = T::read(self.row, &*self.ctx, self.id) else {
            return Ok(());
        };
        if let Some(c) = self.ctx.collected.as_mut() {
            c.push(Box::new(rec));
            return Ok(());
        }
        let id = self.ctx.place(self.kind, rec.clone())?;
        if id != 0 {
            rec.set_id(id);
        }
        self.ctx.learn(&rec);
        if T::KIND.is_labelled() {
            let label = rec.label(&self.ctx.names);
            self.ctx.label_ids.insert((T::KIND, label.clone()), id);
            self.ctx.names.labels.insert((T::KIND, id), label);
        }
        Ok(())
    }
}

/// Stored records of one type by natural key: (id, encoded value), oldest first.
type ByNaturalKey = HashMap<String, VecDeque<(u64, Vec<u8>)>>;
