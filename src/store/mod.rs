//! The only code that touches sled (DESIGN.md, "Storage").
//!
//! One tree per record type; date index trees `fy|yyyymmdd|id` for fiscal-year range scans; a
//! `counters` tree updated in the same transaction as the records it counts; a `meta` tree with
//! the schema version. Every write is one transaction over all trees it touches, then `flush()`
//! and `fsync` of the database file, and only then is it acknowledged.
//!
//! The [`Store`] API is the seam: the TUI and CLI reach data only through it, and shared-server
//! mode will implement the same operations over a socket.

pub mod codec;
pub mod keys;
pub mod records;

use crate::domain::{Body, Category, Channel, FiscalYear, FyCounts};
use records::{Dated, Metric, Record};
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};
use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Schema version this build writes and reads (kept in the `meta` tree).
pub const SCHEMA_VERSION: u32 = 1;

/// Page cache size given to sled (its default of 1 GiB is far beyond what kyodo needs).
pub const CACHE_BYTES: u64 = 24 << 20;

/// Every tree kyodo keeps. Record trees hold `id → value`; `*ByDate` trees hold index keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TreeName {
    /// [`crate::domain::Body`] by id.
    Bodies,
    /// [`crate::domain::Staff`] by id.
    Staff,
    /// [`crate::domain::Assignment`] by id.
    Assignments,
    /// [`crate::domain::TeamMeeting`] by id.
    TeamMeetings,
    /// [`crate::domain::Consultation`] by id.
    Consultations,
    /// [`crate::domain::ConsultationTally`] by id.
    ConsultationTallies,
    /// [`crate::domain::BodyActivity`] by id.
    BodyActivities,
    /// [`crate::domain::SubsidyProgram`] by id.
    SubsidyPrograms,
    /// [`crate::domain::Grant`] by id.
    Grants,
    /// [`crate::domain::Disbursement`] by id.
    Disbursements,
    /// [`crate::domain::Indicator`] by its string id.
    Indicators,
    /// [`crate::domain::IndicatorEntry`] by id.
    IndicatorEntries,
    /// Index `fy|date|id` of team meetings.
    TeamMeetingsByDate,
    /// Index `fy|date|id` of consultations.
    ConsultationsByDate,
    /// Index `fy|date|id` of tallies.
    TalliesByDate,
    /// Index `fy|date|id` of activities.
    ActivitiesByDate,
    /// Counter cells `metric/FY/slot → i64`.
    Counters,
    /// Schema version and other metadata.
    Meta,
}

impl TreeName {
    /// Every tree, in the order they are opened (the index into [`Store`]'s tree vector).
    pub const ALL: [TreeName; 18] = [
        TreeName::Bodies,
        TreeName::Staff,
        TreeName::Assignments,
        TreeName::TeamMeetings,
        TreeName::Consultations,
        TreeName::ConsultationTallies,
        TreeName::BodyActivities,
        TreeName::SubsidyPrograms,
        TreeName::Grants,
        TreeName::Disbursements,
        TreeName::Indicators,
        TreeName::IndicatorEntries,
        TreeName::TeamMeetingsByDate,
        TreeName::ConsultationsByDate,
        TreeName::TalliesByDate,
        TreeName::ActivitiesByDate,
        TreeName::Counters,
        TreeName::Meta,
    ];

    /// The sled tree name (also the record type's name in CSV and messages).
    pub fn name(self) -> &'static str {
        match self {
            TreeName::Bodies => "bodies",
            TreeName::Staff => "staff",
            TreeName::Assignments => "assignments",
            TreeName::TeamMeetings => "team_meetings",
            TreeName::Consultations => "consultations",
            TreeName::ConsultationTallies => "consultation_tallies",
            TreeName::BodyActivities => "body_activities",
            TreeName::SubsidyPrograms => "subsidy_programs",
            TreeName::Grants => "grants",
            TreeName::Disbursements => "disbursements",
            TreeName::Indicators => "indicators",
            TreeName::IndicatorEntries => "indicator_entries",
            TreeName::TeamMeetingsByDate => "team_meetings_by_date",
            TreeName::ConsultationsByDate => "consultations_by_date",
            TreeName::TalliesByDate => "consultation_tallies_by_date",
            TreeName::ActivitiesByDate => "body_activities_by_date",
            TreeName::Counters => "counters",
            TreeName::Meta => "meta",
        }
    }

    fn index(self) -> usize {
        TreeName::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
}

/// What can go wrong in the store. Every variant's message says what happened and what to do.
#[derive(Debug, Error)]
pub enum StoreError {
    /// Another process has the database open (sled allows one).
    #[error(
        "the database at {0} is in use by another kyodo process; close it (or wait for it to finish) and try again"
    )]
    Locked(PathBuf),
    /// sled failed (I/O, corruption).
    #[error("database error: {0}")]
    Sled(#[from] sled::Error),
    /// File system error outside sled.
    #[error("{what}: {source}")]
    Io {
        /// What kyodo was doing.
        what: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// A stored value could not be decoded.
    #[error("cannot read the value in tree '{tree}' at key {key}: {reason} (run `kyodo check`)")]
    Decode {
        /// Tree name.
        tree: &'static str,
        /// Key, printable or hex.
        key: String,
        /// What was wrong.
        reason: String,
    },
    /// A value could not be encoded (a bug).
    #[error("cannot encode a {0} record: {1}")]
    Encode(&'static str, String),
    /// The database was written by a newer kyodo.
    #[error(
        "this database has schema version {found}, newer than this kyodo understands ({supported}); upgrade kyodo"
    )]
    SchemaTooNew {
        /// Version found.
        found: u32,
        /// Version this build supports.
        supported: u32,
    },
    /// A referenced record does not exist.
    #[error("{0}")]
    Invalid(String),
}

/// Result alias for store operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Records read from a tree, with the ones that could not be decoded reported beside them, so
/// one corrupt value never hides the rest (DESIGN.md: "the program keeps running").
#[derive(Debug)]
pub struct Loaded<T> {
    /// Records that decoded.
    pub items: Vec<T>,
    /// One error per value that did not.
    pub problems: Vec<StoreError>,
}

impl<T> Default for Loaded<T> {
    fn default() -> Self {
        Loaded {
            items: Vec::new(),
            problems: Vec::new(),
        }
    }
}

/// One write: records to put (insert or replace, with their indexes and counters) and records to
/// delete, applied in a single transaction by [`Store::write`].
#[derive(Default)]
pub struct Batch {
    puts: Vec<Box<dyn records::ErasedRecord>>,
}

impl Batch {
    /// An empty batch.
    pub fn new() -> Batch {
        Batch::default()
    }

    /// Adds a record to insert or replace. A record whose id is 0 gets a fresh id on write.
    pub fn put<T: Record>(&mut self, record: T) {
        self.puts.push(Box::new(record));
    }

    /// Number of records in the batch.
    pub fn len(&self) -> usize {
        self.puts.len()
    }

    /// Whether the batch is empty.
    pub fn is_empty(&self) -> bool {
        self.puts.is_empty()
    }
}

/// The database: an embedded sled instance (shared-server access comes in a later issue behind
/// the same API).
pub struct Store {
    db: sled::Db,
    trees: Vec<sled::Tree>,
    db_file: Option<File>,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the database directory at `path`.
    ///
    /// Errors: [`StoreError::Locked`] when another process has it open; [`StoreError::SchemaTooNew`];
    /// sled and I/O errors.
    pub fn open(path: &Path) -> Result<Store> {
        std::fs::create_dir_all(path).map_err(|source| StoreError::Io {
            what: format!("cannot create the database directory {}", path.display()),
            source,
        })?;
        let db = sled::Config::new()
            .path(path)
            .cache_capacity(CACHE_BYTES)
            .open()
            .map_err(|e| match e {
                sled::Error::Io(ref io)
                    if io.kind() == std::io::ErrorKind::Other
                        && io.to_string().contains("could not acquire lock") =>
                {
                    StoreError::Locked(path.to_path_buf())
                }
                other => StoreError::Sled(other),
            })?;
        let trees = TreeName::ALL
            .iter()
            .map(|t| db.open_tree(t.name()))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let db_file = File::open(path.join("db")).ok();
        let store = Store {
            db,
            trees,
            db_file,
            path: path.to_path_buf(),
        };
        store.check_schema()?;
        Ok(store)
    }

    /// The database directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn tree(&self, t: TreeName) -> &sled::Tree {
        &self.trees[t.index()]
    }

    fn check_schema(&self) -> Result<()> {
        let meta = self.tree(TreeName::Meta);
        match meta.get(b"schema_version")? {
            Some(v) => {
                let found = v.as_ref().try_into().map(u32::from_be_bytes).map_err(|_| {
                    StoreError::Decode {
                        tree: "meta",
                        key: "schema_version".into(),
                        reason: format!("expected 4 bytes, found {}", v.len()),
                    }
                })?;
                if found > SCHEMA_VERSION {
                    return Err(StoreError::SchemaTooNew {
                        found,
                        supported: SCHEMA_VERSION,
                    });
                }
                Ok(())
            }
            None => {
                meta.insert(b"schema_version", &SCHEMA_VERSION.to_be_bytes())?;
                self.sync()
            }
        }
    }

    /// The schema version recorded in the `meta` tree.
    pub fn schema_version(&self) -> Result<Option<u32>> {
        Ok(self
            .tree(TreeName::Meta)
            .get(b"schema_version")?
            .and_then(|v| v.as_ref().try_into().ok().map(u32::from_be_bytes)))
    }

    /// Makes everything written so far durable: sled `flush()` (which uses `sync_file_range`),
    /// then `fsync` of the database file (DESIGN.md, "sled facts").
    pub fn sync(&self) -> Result<()> {
        self.db.flush()?;
        if let Some(f) = &self.db_file {
            f.sync_all().map_err(|source| StoreError::Io {
                what: "cannot fsync the database file".into(),
                source,
            })?;
        }
        Ok(())
    }

    /// A fresh record id (never 0).
    pub fn new_id(&self) -> Result<u64> {
        Ok(self.db.generate_id()? + 1)
    }

    /// Applies a batch in one transaction over every tree it touches (records, indexes,
    /// counters), then makes it durable. Returns the records' ids in batch order (fresh ids
    /// assigned to records that had id 0).
    ///
    /// Errors: encode/decode errors (nothing is written), sled and fsync errors.
    pub fn write(&self, mut batch: Batch) -> Result<Vec<Vec<u8>>> {
        for rec in batch.puts.iter_mut() {
            if rec.needs_id() {
                let id = self.new_id()?;
                rec.assign_id(id);
            }
        }
        // Encode once, outside the transaction (its closure may run more than once).
        let prepared: Vec<(TreeName, Vec<u8>, Vec<u8>, records::Effects)> = batch
            .puts
            .iter()
            .map(|r| Ok((r.tree(), r.key(), r.encode()?, r.effects())))
            .collect::<Result<_>>()?;
        let olds: Vec<&dyn records::ErasedRecord> = batch.puts.iter().map(|b| b.as_ref()).collect();
        let result = self
            .trees
            .as_slice()
            .transaction(|txs: &Vec<TransactionalTree>| {
                let tx = |t: TreeName| &txs[t.index()];
                let mut deltas: BTreeMap<Vec<u8>, i64> = BTreeMap::new();
                for ((tree, key, value, effects), rec) in prepared.iter().zip(&olds) {
                    if let Some(old) = tx(*tree).insert(key.as_slice(), value.as_slice())? {
                        let old_eff = rec
                            .effects_of_stored(&old, key)
                            .map_err(ConflictableTransactionError::Abort)?;
                        for (t, k) in &old_eff.index {
                            tx(*t).remove(k.as_slice())?;
                        }
                        for (k, d) in old_eff.counts {
                            *deltas.entry(k).or_default() -= d;
                        }
                    }
                    for (t, k) in &effects.index {
                        tx(*t).insert(k.as_slice(), &[][..])?;
                    }
                    for (k, d) in &effects.counts {
                        *deltas.entry(k.clone()).or_default() += d;
                    }
                }
                let counters = tx(TreeName::Counters);
                for (k, d) in deltas {
                    if d == 0 {
                        continue;
                    }
                    let cur = counters
                        .get(k.as_slice())?
                        .and_then(|v| v.as_ref().try_into().ok().map(i64::from_be_bytes))
                        .unwrap_or(0);
                    counters.insert(k.as_slice(), &(cur + d).to_be_bytes())?;
                }
                Ok(())
            });
        match result {
            Ok(()) => {}
            Err(TransactionError::Abort(e)) => return Err(e),
            Err(TransactionError::Storage(e)) => return Err(StoreError::Sled(e)),
        }
        self.sync()?;
        Ok(prepared.into_iter().map(|(_, k, _, _)| k).collect())
    }

    /// Inserts one record (id 0 → a fresh id) and returns its id.
    pub fn insert<T: Record>(&self, mut record: T) -> Result<u64> {
        if record.needs_id() {
            record.assign_id(self.new_id()?);
        }
        let key = record.key();
        let mut b = Batch::new();
        b.put(record);
        self.write(b)?;
        Ok(keys::parse_id(&key).unwrap_or(0))
    }

    /// Reads one record by key.
    ///
    /// Errors: [`StoreError::Decode`] naming tree and key.
    pub fn get<T: Record>(&self, key: &[u8]) -> Result<Option<T>> {
        match self.tree(T::TREE).get(key)? {
            Some(v) => decode_at::<T>(T::TREE, key, &v).map(Some),
            None => Ok(None),
        }
    }

    /// Reads one record by numeric id.
    pub fn get_id<T: Record>(&self, id: u64) -> Result<Option<T>> {
        self.get(&keys::id_key(id))
    }

    /// Reads every record of a small table (bodies, staff, programs, indicators…), in key order.
    /// Not for the date-indexed tables at scale: use [`Store::list_fy`].
    pub fn list<T: Record>(&self) -> Loaded<T> {
        let mut out = Loaded::default();
        for kv in self.tree(T::TREE).iter() {
            match kv {
                Ok((k, v)) => match decode_at::<T>(T::TREE, &k, &v) {
                    Ok(r) => out.items.push(r),
                    Err(e) => out.problems.push(e),
                },
                Err(e) => out.problems.push(e.into()),
            }
        }
        out
    }

    /// Reads the records of one fiscal year through the date index, in date order.
    pub fn list_fy<T: Dated>(&self, fy: FiscalYear) -> Loaded<T> {
        let mut out = Loaded::default();
        for kv in self.tree(T::INDEX).scan_prefix(keys::fy_prefix(fy)) {
            let key = match kv {
                Ok((k, _)) => k,
                Err(e) => {
                    out.problems.push(e.into());
                    continue;
                }
            };
            let Some(id) = keys::date_index_id(&key) else {
                out.problems.push(StoreError::Decode {
                    tree: T::INDEX.name(),
                    key: keys::show_key(&key),
                    reason: "malformed index key".into(),
                });
                continue;
            };
            match self.get_id::<T>(id) {
                Ok(Some(r)) => out.items.push(r),
                Ok(None) => out.problems.push(StoreError::Decode {
                    tree: T::INDEX.name(),
                    key: keys::show_key(&key),
                    reason: format!("index points to missing {} record {id}", T::TREE.name()),
                }),
                Err(e) => out.problems.push(e),
            }
        }
        out
    }

    /// Number of index entries of a date-indexed type in one fiscal year (keys only).
    pub fn count_fy<T: Dated>(&self, fy: FiscalYear) -> usize {
        self.tree(T::INDEX)
            .scan_prefix(keys::fy_prefix(fy))
            .keys()
            .count()
    }

    /// Monthly cells of a counter for one fiscal year: index 0 = April … 11 = March.
    ///
    /// Errors: sled errors; a malformed cell is a [`StoreError::Decode`].
    pub fn counter_months(&self, metric: &Metric, fy: FiscalYear) -> Result<[i64; 12]> {
        let mut out = [0i64; 12];
        let name = metric.name();
        for (slot, cell) in out.iter_mut().enumerate() {
            let key = keys::counter_key(&name, fy, slot);
            if let Some(v) = self.tree(TreeName::Counters).get(&key)? {
                let arr: [u8; 8] = v.as_ref().try_into().map_err(|_| StoreError::Decode {
                    tree: "counters",
                    key: keys::show_key(&key),
                    reason: format!("expected 8 bytes, found {}", v.len()),
                })?;
                *cell = i64::from_be_bytes(arr);
            }
        }
        Ok(out)
    }

    /// A counter's total for one fiscal year.
    pub fn counter_total(&self, metric: &Metric, fy: FiscalYear) -> Result<i64> {
        Ok(self.counter_months(metric, fy)?.iter().sum())
    }

    /// Every counted indicator's figure for `fy`, from counters (plus the bodies table, which
    /// holds at most a few hundred records). Cost does not grow with the number of records.
    pub fn fy_counts(&self, fy: FiscalYear) -> Result<FyCounts> {
        let bodies = self.list::<Body>();
        if let Some(e) = bodies.problems.into_iter().next() {
            return Err(e);
        }
        Ok(FyCounts {
            body_activities: self.counter_total(&Metric::BodyActivities, fy)?,
            dialogue_support: self.counter_total(&Metric::DialogueSupport, fy)?,
            team_meetings: self.counter_total(&Metric::TeamMeetings, fy)?,
            consultations: self.counter_total(&Metric::Consultations, fy)?,
            bodies: bodies.items.iter().filter(|b| b.counts_in(fy)).count() as i64,
        })
    }

    /// Consultation counts (records + tallies) per category and fiscal month.
    pub fn consultations_by_category(&self, fy: FiscalYear) -> Result<Vec<(Category, [i64; 12])>> {
        Category::ALL
            .iter()
            .map(|c| Ok((*c, self.counter_months(&Metric::Category(*c), fy)?)))
            .collect()
    }

    /// Consultation counts (records + tallies) per channel for the fiscal year.
    pub fn consultations_by_channel(&self, fy: FiscalYear) -> Result<Vec<(Channel, i64)>> {
        Channel::ALL
            .iter()
            .map(|c| Ok((*c, self.counter_total(&Metric::Channel(*c), fy)?)))
            .collect()
    }

    /// The latest fiscal year that has any dated record (meetings, consultations, tallies,
    /// activities), read from the last key of each date index.
    pub fn latest_fy_with_data(&self) -> Result<Option<FiscalYear>> {
        let mut best: Option<FiscalYear> = None;
        for t in [
            TreeName::TeamMeetingsByDate,
            TreeName::ConsultationsByDate,
            TreeName::TalliesByDate,
            TreeName::ActivitiesByDate,
        ] {
            if let Some((k, _)) = self.tree(t).last()?
                && k.len() >= 2
            {
                let fy = FiscalYear(u16::from_be_bytes([k[0], k[1]]) as i32);
                best = Some(best.map_or(fy, |b| b.max(fy)));
            }
        }
        Ok(best)
    }

    /// Whether the database holds no records at all (meta aside).
    pub fn is_empty(&self) -> bool {
        TreeName::ALL
            .iter()
            .filter(|t| **t != TreeName::Meta)
            .all(|t| self.tree(*t).is_empty())
    }

    /// Raw access for tests of corruption handling: overwrite a value's bytes without decoding.
    #[doc(hidden)]
    pub fn raw_put(&self, tree: TreeName, key: &[u8], value: &[u8]) -> Result<()> {
        self.tree(tree).insert(key, value)?;
        self.sync()
    }

    /// Number of entries in a tree (tests and `check`).
    pub fn tree_len(&self, tree: TreeName) -> usize {
        self.tree(tree).len()
    }

    /// Every key of a tree (tests and `check`; never used on a hot path).
    pub fn tree_keys(&self, tree: TreeName) -> Vec<Vec<u8>> {
        self.tree(tree)
            .iter()
            .keys()
            .filter_map(|k| k.ok().map(|k| k.to_vec()))
            .collect()
    }
}

/// Decodes a value of type `T` found in `tree` at `key`, naming both on failure.
pub fn decode_at<T: Record>(tree: TreeName, key: &[u8], bytes: &[u8]) -> Result<T> {
    codec::decode::<T>(bytes).map_err(|reason| StoreError::Decode {
        tree: tree.name(),
        key: keys::show_key(key),
        reason,
    })
}
