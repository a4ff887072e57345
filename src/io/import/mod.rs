//! `kyodo import`: CSV files (UTF-8, UTF-8 with BOM or CP932), one per record type, with a
//! header row (columns documented in
//! data/demo/README.md). A whole import is all-or-nothing as to its rows: every file is parsed
//! and checked first, every error is listed with file, line and column, and nothing is written
//! unless every row is valid. A clean import is then written in transactions of
//! [`IMPORT_CHUNK`] records (bounded memory); only a disk failure part-way could leave part of it.

use super::decoded::Input;
use crate::domain::*;
use crate::store::{Batch, Store, StoreError};
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::path::Path;

mod draft;
mod file;
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

/// New records an import (and a restore) writes at a time, as one chunk of its bulk write.
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
    let mut files: Vec<(String, std::path::PathBuf)> = Vec::new();
    if path.is_dir() {
        let entries = std::fs::read_dir(path)
            .map_err(|e| ImportError::Io(format!("cannot read {}: {e}", path.display())))?;
        for entry in entries.flatten() {
            let p = entry.path();
            if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
                files.push((entry.file_name().to_string_lossy().into_owned(), p));
            }
        }
        if files.is_empty() {
            return Err(ImportError::Io(format!(
                "{} holds no .csv files; expected files named {}.csv",
                path.display(),
                FILE_ORDER.join(".csv, ")
            )));
        }
    } else {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        files.push((name, path.to_path_buf()));
    }
    for (_, p) in &files {
        std::fs::File::open(p)
            .map_err(|e| ImportError::Io(format!("cannot read {}: {e}", p.display())))?;
    }
    if store.socket().is_some() {
        // Sent whole to the server, which imports them.
        let mut sources = Vec::new();
        for (name, p) in files {
            let bytes = std::fs::read(&p)
                .map_err(|e| ImportError::Io(format!("cannot read {}: {e}", p.display())))?;
            sources.push(Source { name, bytes });
        }
        return import_sources_with(store, sources, progress);
    }
    // Read from disk a block at a time: memory does not grow with the files.
    let named = files
        .into_iter()
        .map(|(name, p)| Named {
            name,
            input: Input::File(p),
        })
        .collect();
    import_named(store, named, progress, &|_| Ok(()))
}

/// What an import asks before it writes a chunk (the server's role checks); its refusal
/// undoes the import.
pub type Allow<'a> = dyn Fn(&Batch) -> Result<(), StoreError> + 'a;

/// One file of an import: its name (its stem says the record type) and where its bytes are.
struct Named {
    name: String,
    input: Input,
}

impl From<Source> for Named {
    fn from(s: Source) -> Named {
        Named {
            name: s.name,
            input: Input::Bytes(s.bytes),
        }
    }
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
    import_local(store, sources, progress, &|_| Ok(()))
}

/// Imports `sources` into the database open in this process (the embedded program, or the
/// server for its clients), streaming: rows are read and checked one at a time, and each
/// [`IMPORT_CHUNK`] new records go to the store as they are read ([`Store::bulk`]), so memory
/// does not grow with the file. All or nothing all the same: the first bad row stops the
/// writing (every row is still checked, so every error is listed) and what was written is
/// undone; a crash before the end is undone when the database is next opened. Changes to
/// stored records, and the import's audit entry, go in the one transaction that closes the
/// import, after which everything is durable. `allow` is asked before anything is written (the
/// server's role checks); its refusal undoes the import too.
///
/// Errors: [`ImportError::Rows`] listing every problem; a store error, or `allow`'s.
pub fn import_local(
    store: &Store,
    sources: Vec<Source>,
    progress: &dyn Fn(u64, u64),
    allow: &Allow<'_>,
) -> Result<ImportSummary, ImportError> {
    let named = sources.into_iter().map(Named::from).collect();
    import_named(store, named, progress, allow)
}

/// [`import_local`] of files wherever their bytes are.
fn import_named(
    store: &Store,
    sources: Vec<Named>,
    progress: &dyn Fn(u64, u64),
    allow: &Allow<'_>,
) -> Result<ImportSummary, ImportError> {
    let bulk = store.bulk(true).map_err(ImportError::Store)?;
    let mut ctx = Ctx::new(store).map_err(ImportError::Store)?;
    ctx.bulk = Some(bulk);
    ctx.allow = Some(allow);
    let summary = match read_all(&mut ctx, sources, progress) {
        Ok(summary) => summary,
        Err(e) => {
            // Undone as the bulk write is dropped; a failure there is for the next open.
            drop(ctx);
            return Err(e);
        }
    };
    ctx.flush().map_err(ImportError::Store)?;
    let mut last = std::mem::take(&mut ctx.batch);
    last.as_import(summary_note(&summary));
    allow(&last).map_err(ImportError::Store)?;
    let Some(bulk) = ctx.bulk.take() else {
        return Err(ImportError::Store(StoreError::Invalid(
            "the import lost its bulk write".into(),
        )));
    };
    bulk.finish(last).map_err(ImportError::Store)?;
    Ok(summary)
}

/// The import's audit note: `imported: <type> N (+added ~updated =unchanged), …`.
fn summary_note(summary: &ImportSummary) -> String {
    let parts: Vec<String> = summary
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
    format!("imported: {}", parts.join(", "))
}

/// Reads and checks every row of `sources`, in [`FILE_ORDER`], through `ctx` (which writes as
/// it goes while no error has been found), with what it did per type.
///
/// Errors: [`ImportError::Rows`] listing every problem.
fn read_all(
    ctx: &mut Ctx<'_>,
    sources: Vec<Named>,
    progress: &dyn Fn(u64, u64),
) -> Result<ImportSummary, ImportError> {
    let total: u64 = sources.iter().map(|s| s.input.len()).sum();
    let mut done = 0u64;
    let mut by_kind: HashMap<String, Named> = HashMap::new();
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
        let size = src.input.len();
        let n = ctx.read_file(kind, src, &mut errors, &|b| progress(done + b, total));
        if let Some(e) = ctx.failed.take() {
            return Err(ImportError::Store(e));
        }
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
    Ok(summary)
}

/// Parsing state: what is known by name so far (stored records plus earlier rows).
struct Ctx<'a> {
    store: &'a Store,
    /// Changes to stored records (audited): written by the transaction that closes the import.
    batch: Batch,
    /// New records read since the last chunk was written.
    fresh: Batch,
    /// The import's bulk write (none when only reading, [`read_records`]).
    bulk: Option<crate::store::Bulk<'a>>,
    /// Asked before each chunk is written (the server's role checks).
    allow: Option<&'a Allow<'a>>,
    /// A write that failed while reading (the import stops with it).
    failed: Option<StoreError>,
    /// The kinds whose rows' labels were loaded ([`Ctx::load_labels`], once per kind).
    labels_loaded: std::collections::HashSet<RecordKind>,
    bodies: HashMap<String, BodyId>,
    staff: HashMap<String, StaffId>,
    programs: HashMap<(String, FiscalYear), SubsidyProgramId>,
    grants: HashMap<(SubsidyProgramId, Recipient), GrantId>,
    indicators: HashMap<String, ()>,
    plan_actions: std::collections::HashSet<(String, u32)>,
    /// Stored records by natural key, per type (loaded when the type's file is read).
    existing: HashMap<String, natural::Stored>,
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
            fresh: Batch::new(),
            bulk: None,
            allow: None,
            failed: None,
            labels_loaded: Default::default(),
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
        if !self.labels_loaded.insert(kind) {
            return Ok(());
        }
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

    /// Writes the new records read so far as one chunk of the bulk write (after `allow`).
    ///
    /// Errors: `allow`'s refusal, or the store's.
    fn flush(&mut self) -> Result<(), StoreError> {
        let chunk = std::mem::take(&mut self.fresh);
        if chunk.is_empty() {
            return Ok(());
        }
        if let Some(allow) = self.allow {
            allow(&chunk)?;
        }
        match self.bulk.as_mut() {
            Some(b) => b.put_new(chunk.into_puts()),
            None => Ok(()),
        }
    }

    /// After a row: a full chunk is written while no error has been found, and dropped once
    /// one has (nothing more is written; the rows are still checked for their errors).
    fn row_done(&mut self, errors: &[RowError]) {
        if self.fresh.len() < IMPORT_CHUNK {
            return;
        }
        if !errors.is_empty() || self.failed.is_some() {
            self.fresh = Batch::new();
        } else if let Err(e) = self.flush() {
            self.failed = Some(e);
        }
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
