//! The only code that touches sled (DESIGN.md, "Storage").
//!
//! One tree per record type; date index trees `fy|yyyymmdd|id` for fiscal-year range scans; a
//! `counters` tree updated in the same transaction as the records it counts; a `meta` tree with
//! the schema version. Every write is one transaction over all trees it touches, then `flush()`
//! and `fsync` of the database file, and only then is it acknowledged.
//!
//! The [`Store`] API is the seam: the TUI and CLI reach data only through it, and shared-server
//! mode will implement the same operations over a socket.

pub mod ack;
pub mod check;
pub mod codec;
pub mod framed;
pub mod guard;
pub mod keys;
mod local;
mod local_audit;
mod local_read;
pub mod private;
pub mod records;
pub mod recovery;
pub mod remote;

use local::Local;

use crate::domain::{Actor, AuditEntry, Body, Category, Channel, FiscalYear, FyCounts};
use records::{Dated, Metric, Record};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Schema version this build writes and reads (kept in the `meta` tree). 2: the meta tree
/// keeps the write sequence and record counts, and the audit chain is keyed (HMAC); a version-1
/// database is brought forward when it is opened (counted once, its chain re-hashed).
pub const SCHEMA_VERSION: u32 = 2;

/// Page cache size given to sled (its default of 1 GiB is far beyond what kyodo needs).
pub const CACHE_BYTES: u64 = 24 << 20;

/// Every tree kyodo keeps. Record trees hold `id → value`; `*ByDate` trees hold index keys.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum TreeName {
    /// [`crate::domain::Body`] by id.
    Bodies,
    /// [`crate::domain::Staff`] by id.
    Staff,
    /// [`crate::domain::BodyCount`] by id.
    BodyCounts,
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
    /// [`crate::domain::PlanAction`] by id.
    PlanActions,
    /// Index `fy|date|id` of team meetings.
    TeamMeetingsByDate,
    /// Index `fy|date|id` of consultations.
    ConsultationsByDate,
    /// Index `fy|date|id` of tallies.
    TalliesByDate,
    /// Index `fy|date|id` of activities.
    ActivitiesByDate,
    /// Counter cells `metric/FY/slot → i64` and reference counts `ref/kind/id/tree → i64`.
    Counters,
    /// Schema version, the audit chain's head, and other metadata.
    Meta,
    /// Audit entries by sequence number (append-only, hash-chained).
    Audit,
    /// Unsaved forms kept when a session was cut, by OS login (not records: not audited).
    Drafts,
    /// Record versions: `tree index (1) ++ key → Version` (shared-mode concurrent edits).
    Versions,
}

impl TreeName {
    /// Every tree, in the order they are opened (the index into [`Store`]'s tree vector).
    pub const ALL: [TreeName; 23] = [
        TreeName::Bodies,
        TreeName::Staff,
        TreeName::BodyCounts,
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
        TreeName::PlanActions,
        TreeName::TeamMeetingsByDate,
        TreeName::ConsultationsByDate,
        TreeName::TalliesByDate,
        TreeName::ActivitiesByDate,
        TreeName::Counters,
        TreeName::Meta,
        TreeName::Audit,
        TreeName::Drafts,
        TreeName::Versions,
    ];

    /// The record tree of a record type named as in CSV files (`indicator_values` is the
    /// `indicator_entries` tree); `None` for other names.
    pub fn of_type(name: &str) -> Option<TreeName> {
        let name = if name == "indicator_values" {
            "indicator_entries"
        } else {
            name
        };
        TreeName::ALL
            .into_iter()
            .find(|t| t.name() == name && records::stored_fn(*t).is_some())
    }

    /// The sled tree name (also the record type's name in CSV and messages).
    pub fn name(self) -> &'static str {
        match self {
            TreeName::Bodies => "bodies",
            TreeName::Staff => "staff",
            TreeName::BodyCounts => "body_counts",
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
            TreeName::PlanActions => "plan_actions",
            TreeName::TeamMeetingsByDate => "team_meetings_by_date",
            TreeName::ConsultationsByDate => "consultations_by_date",
            TreeName::TalliesByDate => "consultation_tallies_by_date",
            TreeName::ActivitiesByDate => "body_activities_by_date",
            TreeName::Counters => "counters",
            TreeName::Meta => "meta",
            TreeName::Audit => "audit",
            TreeName::Drafts => "drafts",
            TreeName::Versions => "versions",
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
    /// sled failed (I/O).
    #[error("database error: {0}")]
    Sled(sled::Error),
    /// sled found damage it cannot read past: the database must be restored.
    #[error("{}", recovery::damaged_message(.path, .detail, crate::i18n::Lang::En))]
    Damaged {
        /// The database directory ("" when not known where the error arose).
        path: PathBuf,
        /// sled's description.
        detail: String,
    },
    /// The database holds less than was acknowledged (issue 10): kyodo refuses to run on it.
    #[error("{}", .0.message(crate::i18n::Lang::En))]
    Lost(Box<recovery::Loss>),
    /// The user may not reach the database's directory or files.
    #[error("{}", no_access_message(.0, crate::i18n::Lang::En))]
    NoAccess(PathBuf),
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
    /// A referenced record does not exist, or a value breaks a rule.
    #[error("{0}")]
    Invalid(String),
    /// A record to change or delete is not there (another session may have deleted it).
    #[error("no {tree} record with key {key}; it may have been deleted meanwhile")]
    NotFound {
        /// Tree name.
        tree: &'static str,
        /// Key, printable.
        key: String,
    },
    /// The server refused this user the operation (role table, issue 6).
    #[error("{}", .0.en)]
    Denied(crate::domain::Text),
    /// The record changed after the caller read it (shared mode); nothing was written.
    #[error("{}", stale_message(.0, crate::i18n::Lang::En))]
    Stale(remote::Version),
    /// The kyodo server cannot be reached (it stopped, or the connection broke).
    #[error("{0}; reconnecting when it is back")]
    Disconnected(String),
    /// The kyodo server reported an error.
    #[error("{0}")]
    Remote(String),
    /// An operation that needs the database files to itself was asked of a server.
    #[error(
        "{0} needs the database to itself: stop `kyodo serve`, then run it on the server's --db"
    )]
    Exclusive(&'static str),
    /// A record others refer to cannot be deleted.
    #[error("cannot delete this {kind}: {}; mark it inactive (dissolved) instead", describe_refs(.refs))]
    Referenced {
        /// What was to be deleted (`body`, `staff`, …).
        kind: &'static str,
        /// `(referring tree, count)` for every tree that refers to it.
        refs: Vec<(&'static str, i64)>,
    },
}

/// What to do when the database cannot be reached for lack of permission, in `lang`.
pub fn no_access_message(path: &Path, lang: crate::i18n::Lang) -> String {
    let db = path.display();
    match lang {
        crate::i18n::Lang::Ja => format!(
            "{db} のデータベースを開く権限がありません。共有サーバー(kyodo serve)で使っているなら、管理者にあなたのログインを kyodo-users グループに加えてもらい(usermod -aG kyodo-users ログイン名)、ログインし直してください。自分のデータベースなら、そのディレクトリの持ち主と権限を確かめてください"
        ),
        crate::i18n::Lang::En => format!(
            "you may not open the database at {db} (permission denied). If it is shared through `kyodo serve`, ask an admin to add your login to the kyodo-users group (usermod -aG kyodo-users LOGIN) and log in again; if it is your own, check the directory's owner and mode"
        ),
    }
}

/// The message for a refused stale update, in `lang`: who changed the record and when.
pub fn stale_message(v: &remote::Version, lang: crate::i18n::Lang) -> String {
    let at = chrono::DateTime::from_timestamp_millis(v.at_ms)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_default();
    match lang {
        crate::i18n::Lang::Ja => format!(
            "この記録はあなたが開いた後に {} が {at} に変更しました。入力はそのまま残っています。内容を確かめ、上書きするならもう一度保存してください",
            v.by
        ),
        crate::i18n::Lang::En => format!(
            "{} changed this record at {at}, after you opened it; your input is kept. Check it, and save again to overwrite their change",
            v.by
        ),
    }
}

impl From<sled::Error> for StoreError {
    fn from(e: sled::Error) -> StoreError {
        match e {
            sled::Error::Corruption { .. } => StoreError::Damaged {
                path: PathBuf::new(),
                detail: e.to_string(),
            },
            other => StoreError::Sled(other),
        }
    }
}

impl StoreError {
    /// The message in `lang` (the UI language) where one exists in both, else the English one.
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        match self {
            StoreError::Denied(t) => t.get(lang).to_string(),
            StoreError::Stale(v) => stale_message(v, lang),
            StoreError::Lost(l) => l.message(lang),
            StoreError::NoAccess(p) => no_access_message(p, lang),
            StoreError::Damaged { path, detail } => recovery::damaged_message(path, detail, lang),
            other => other.to_string(),
        }
    }
}

fn describe_refs(refs: &[(&'static str, i64)]) -> String {
    let parts: Vec<String> = refs.iter().map(|(t, n)| format!("{n} {t}")).collect();
    format!("referred to by {}", parts.join(", "))
}

/// Why an import through a server did not happen.
#[derive(Debug)]
pub enum RemoteImportError {
    /// Rows were refused (every one listed); nothing was written.
    Rows(Vec<crate::domain::import_report::RowError>),
    /// The store (or server) failed or refused.
    Store(StoreError),
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

enum Op {
    Put(Box<dyn records::ErasedRecord>, bool),
    Delete {
        tree: TreeName,
        key: Vec<u8>,
        stored: records::StoredFn,
    },
}

/// One write: records to put (insert or replace, with their indexes, counters and references)
/// and records to delete, applied in a single transaction by [`Store::write`] together with their
/// audit entries.
#[derive(Default)]
pub struct Batch {
    ops: Vec<Op>,
    note: String,
    import_summary: Option<String>,
    migration: Option<String>,
    restoring: bool,
    /// Versions the writer saw: `(tree, key, version)`; a mismatch refuses the batch.
    expect: Vec<(TreeName, Vec<u8>, u64)>,
}

impl Batch {
    /// An empty batch.
    pub fn new() -> Batch {
        Batch::default()
    }

    /// Adds a record to insert or replace. A record whose id is 0 gets a fresh id on write.
    pub fn put<T: Record>(&mut self, record: T) {
        self.ops.push(Op::Put(Box::new(record), true));
    }

    /// Adds a new record covered by the batch's import summary instead of an audit entry of its
    /// own (bulk imports of new records; a change to an existing record is always audited).
    pub fn put_unaudited<T: Record>(&mut self, record: T) {
        self.ops.push(Op::Put(Box::new(record), false));
    }

    /// Adds a deletion of the `T` record at `key`. The write fails with
    /// [`StoreError::Referenced`] if other records still refer to it, and with
    /// [`StoreError::NotFound`] if it is not there.
    pub fn delete<T: Record>(&mut self, key: Vec<u8>) {
        self.ops.push(Op::Delete {
            tree: T::TREE,
            key,
            stored: records::stored::<T>,
        });
    }

    /// Refuses the batch with [`StoreError::Stale`] unless the record at `key` in `tree` is
    /// still at `version` (what the writer read with [`Store::version`]).
    pub fn expect_version(&mut self, tree: TreeName, key: Vec<u8>, version: u64) {
        self.expect.push((tree, key, version));
    }

    /// Adds one `migrate` audit entry with this note (a change to the database's form).
    pub fn migration(&mut self, note: &str) {
        self.migration = Some(note.to_string());
    }

    /// A note recorded with every audit entry of this batch (e.g. the reason for a correction).
    pub fn note(&mut self, note: impl Into<String>) {
        self.note = note.into();
    }

    /// Adds one `import` audit entry with this summary (the records put with
    /// [`Batch::put_unaudited`] have no entry of their own).
    pub fn as_import(&mut self, summary: impl Into<String>) {
        self.import_summary = Some(summary.into());
    }

    /// Writes the records as they were, with no new audit entry: only for restoring a backup,
    /// whose audit trail is restored verbatim afterwards ([`Store::restore_audit`]).
    pub fn restoring(&mut self) {
        self.restoring = true;
    }

    /// Splits the batch into batches of at most `n` operations (the note on each, the import
    /// summary on the last), for writes too large for one transaction's memory.
    pub fn split(self, n: usize) -> Vec<Batch> {
        let n = n.max(1);
        let mut out: Vec<Batch> = Vec::new();
        let mut ops = self.ops.into_iter().peekable();
        while ops.peek().is_some() {
            out.push(Batch {
                ops: ops.by_ref().take(n).collect(),
                note: self.note.clone(),
                import_summary: None,
                migration: None,
                restoring: self.restoring,
                expect: if out.is_empty() {
                    self.expect.clone()
                } else {
                    Vec::new()
                },
            });
        }
        match out.last_mut() {
            Some(last) => {
                last.import_summary = self.import_summary;
                last.migration = self.migration;
            }
            None => out.push(Batch {
                ops: Vec::new(),
                note: self.note,
                import_summary: self.import_summary,
                migration: self.migration,
                restoring: self.restoring,
                expect: self.expect,
            }),
        }
        out
    }

    /// Whether the batch names the version it expects of the record at `key` in `tree`.
    pub fn expects(&self, tree: TreeName, key: &[u8]) -> bool {
        self.expect.iter().any(|(t, k, _)| *t == tree && k == key)
    }

    /// Number of operations in the batch.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// Whether the batch is empty.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }
}

struct Prepared {
    tree: TreeName,
    key: Vec<u8>,
    value: Option<Vec<u8>>,
    effects: records::Effects,
    json: Option<serde_json::Value>,
    audited: bool,
    stored: records::StoredFn,
}

/// Decodes a value of type `T` found in `tree` at `key`, naming both on failure.
pub fn decode_at<T: Record>(tree: TreeName, key: &[u8], bytes: &[u8]) -> Result<T> {
    codec::decode::<T>(bytes).map_err(|reason| StoreError::Decode {
        tree: tree.name(),
        key: keys::show_key(key),
        reason,
    })
}

/// Adds one counter cell `(k, v)` found under `prefix` to `out` (index 0 = April).
///
/// Errors: a malformed cell, as [`StoreError::Decode`].
fn put_month_cell(prefix: &[u8], k: &[u8], v: &[u8], out: &mut [i64; 12]) -> Result<()> {
    let slot = k
        .get(prefix.len()..)
        .and_then(|t| std::str::from_utf8(t).ok())
        .and_then(|t| t.parse::<usize>().ok())
        .filter(|s| *s < 12);
    let (Some(slot), Ok(arr)) = (slot, <[u8; 8]>::try_from(v)) else {
        return Err(StoreError::Decode {
            tree: "counters",
            key: keys::show_key(k),
            reason: format!("malformed counter cell ({} bytes)", v.len()),
        });
    };
    out[slot] = i64::from_be_bytes(arr);
    Ok(())
}

/// The database as the TUI and CLI see it: opened in this process (embedded mode), or reached
/// through `kyodo serve` over its socket (shared mode, DESIGN.md "Shared use on one server").
/// Both answer the same operations, so no feature behaves differently.
pub struct Store {
    backend: Backend,
    path: PathBuf,
    actor: Actor,
}

enum Backend {
    Local(std::sync::Arc<Local>),
    Remote(std::sync::Arc<remote::Client>),
}

/// What a subscription reports (shared mode): a committed change, or the server going away and
/// coming back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Live {
    /// The subscription is in place: every later commit will be reported.
    Ready,
    /// Someone's write was committed.
    Changed(remote::Notice),
    /// The server cannot be reached; kyodo keeps trying.
    Lost,
    /// The server answers again.
    Back,
}

impl Store {
    /// Opens (creating if needed) the database directory at `path` in this process.
    ///
    /// Errors: [`StoreError::Locked`] when another process has it open; [`StoreError::SchemaTooNew`];
    /// sled and I/O errors.
    pub fn open(path: &Path) -> Result<Store> {
        Ok(Store {
            backend: Backend::Local(std::sync::Arc::new(Local::open(path)?)),
            path: path.to_path_buf(),
            actor: Actor::default(),
        })
    }

    /// Connects to the `kyodo serve` listening on `socket` (serving the database at `path`).
    /// The user is the one the server verified from the socket.
    ///
    /// Errors: [`StoreError::Disconnected`] when no server answers there; [`StoreError::Denied`]
    /// when the server does not know this OS user.
    pub fn connect(socket: &Path, path: &Path) -> Result<Store> {
        Store::connect_claiming(socket, path, None)
    }

    /// [`Store::connect`] for tests against a server started with
    /// claimed-login identification (the server's test mode): the client names its login.
    #[doc(hidden)]
    pub fn connect_claiming(socket: &Path, path: &Path, login: Option<&str>) -> Result<Store> {
        let client = remote::Client::open(socket, login.map(String::from))?;
        Ok(Store {
            actor: client.who.0.clone(),
            backend: Backend::Remote(std::sync::Arc::new(client)),
            path: path.to_path_buf(),
        })
    }

    /// This store as `actor` (the server gives each connection its verified user), sharing the
    /// same open database.
    pub fn with_actor(&self, actor: Actor) -> Store {
        Store {
            backend: match &self.backend {
                Backend::Local(l) => Backend::Local(l.clone()),
                Backend::Remote(c) => Backend::Remote(c.clone()),
            },
            path: self.path.clone(),
            actor,
        }
    }

    /// Sets who the following writes are recorded as (OS login and matching staff member).
    /// Through a server this changes nothing: the server records the user it verified.
    pub fn set_actor(&mut self, actor: Actor) {
        if self.local().is_some() {
            self.actor = actor;
        }
    }

    /// Who writes are recorded as.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The role the user acts in: the server's answer in shared mode; in embedded mode the
    /// owner of the database files acts as admin (issue 6).
    pub fn role(&self) -> crate::domain::Role {
        match &self.backend {
            Backend::Local(_) => crate::domain::Role::Admin,
            Backend::Remote(c) => c.who.1,
        }
    }

    /// The server's socket, when this store is reached through one.
    pub fn socket(&self) -> Option<&Path> {
        match &self.backend {
            Backend::Local(_) => None,
            Backend::Remote(c) => Some(c.socket()),
        }
    }

    /// The database directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` while no write can commit in this process (writes wait; reads go on), so that
    /// what it reads is one consistent state (a backup). Through a server, `f` simply runs: the
    /// server makes its own backups under its write lock.
    pub fn paused_writes<T>(&self, f: impl FnOnce() -> T) -> T {
        match &self.backend {
            Backend::Local(l) => l.paused_writes(f),
            Backend::Remote(_) => f(),
        }
    }

    /// Records that the database is closed cleanly as its files are now (the server, once its
    /// last write is durable and no more can come), so the next open need not read every
    /// record first. Embedded stores do it themselves when dropped.
    pub fn mark_closed(&self) {
        if self.local().is_some() {
            recovery::mark_closed(&self.path);
        }
    }

    /// What opening the database found and did, one line each: leftovers of a killed process
    /// removed, a first count of records (empty through a server, which logs its own).
    pub fn open_notes(&self) -> &[String] {
        match &self.backend {
            Backend::Local(l) => &l.notes,
            Backend::Remote(_) => &[],
        }
    }

    /// The in-process database, when this store is not reached through a server.
    pub(crate) fn local(&self) -> Option<&Local> {
        match &self.backend {
            Backend::Local(l) => Some(l),
            Backend::Remote(_) => None,
        }
    }

    /// Calls `on` from a background thread with every change another user commits, and when
    /// the server goes away and comes back (shared mode), until `on` returns `false`. In
    /// embedded mode nobody else can write, and nothing is started.
    pub fn subscribe(&self, mut on: impl FnMut(Live) -> bool + Send + 'static) {
        let Backend::Remote(c) = &self.backend else {
            return;
        };
        let socket = c.socket().to_path_buf();
        let claimed = c.claimed_login().map(String::from);
        std::thread::spawn(move || {
            let mut lost = false;
            let mut first = true;
            loop {
                if let Ok((mut s, _, _)) = remote::connect(&socket, true, claimed.as_deref()) {
                    let event = if first { Live::Ready } else { Live::Back };
                    first = false;
                    if (lost || event == Live::Ready) && !on(event) {
                        return;
                    }
                    lost = false;
                    while let Ok(Some(reply)) = framed::read_frame::<_, remote::Reply>(&mut s) {
                        if let remote::Reply::Notice(n) = reply
                            && !on(Live::Changed(n))
                        {
                            return;
                        }
                    }
                }
                if !lost {
                    lost = true;
                    if !on(Live::Lost) {
                        return;
                    }
                }
                // Try again twice a second while the server is away.
                std::thread::sleep(std::time::Duration::from_millis(500));
            }
        });
    }

    /// The schema version recorded in the `meta` tree.
    pub fn schema_version(&self) -> Result<Option<u32>> {
        match &self.backend {
            Backend::Local(l) => l.schema_version(),
            Backend::Remote(c) => match c.call(&remote::Request::SchemaVersion, true)? {
                remote::Reply::Number(n) => Ok(n.map(|n| n as u32)),
                other => Err(remote::unexpected(&other)),
            },
        }
    }

    /// Makes everything written so far durable: sled `flush()` (which uses `sync_file_range`),
    /// then `fsync` of the database file (DESIGN.md, "sled facts"). Through a server, every
    /// acknowledged write already is.
    pub fn sync(&self) -> Result<()> {
        match &self.backend {
            Backend::Local(l) => l.sync(),
            Backend::Remote(_) => Ok(()),
        }
    }

    /// A fresh record id (never 0, and above every id a restore brought in).
    ///
    /// Errors: sled errors; [`StoreError::Exclusive`] through a server (it assigns ids when it
    /// writes).
    pub fn new_id(&self) -> Result<u64> {
        match &self.backend {
            Backend::Local(l) => l.new_id(),
            Backend::Remote(_) => Err(StoreError::Exclusive("allocating ids")),
        }
    }

    /// Makes every later id greater than `max` (after restoring records that keep their ids),
    /// durably.
    ///
    /// Errors: sled errors; [`StoreError::Exclusive`] through a server.
    pub fn raise_id_floor(&self, max: u64) -> Result<()> {
        match &self.backend {
            Backend::Local(l) => l.raise_id_floor(max),
            Backend::Remote(_) => Err(StoreError::Exclusive("restore")),
        }
    }

    /// Applies a batch in one transaction over every tree it touches (records, indexes,
    /// counters, references, audit, versions), then makes it durable. Returns the keys in batch
    /// order (fresh ids assigned to records that had id 0).
    ///
    /// Errors: [`StoreError::Referenced`] and [`StoreError::NotFound`] for deletes,
    /// [`StoreError::Stale`] when a record changed after the writer read it, encode and decode
    /// errors, sled and fsync errors; through a server also [`StoreError::Denied`] and
    /// [`StoreError::Disconnected`]. On any error nothing is written.
    pub fn write(&self, batch: Batch) -> Result<Vec<Vec<u8>>> {
        match &self.backend {
            Backend::Local(l) => l.write(batch, &self.actor),
            Backend::Remote(c) => match c.call(&remote::Request::Write(batch.to_wire()?), false)? {
                remote::Reply::Written(keys) => Ok(keys),
                other => Err(remote::unexpected(&other)),
            },
        }
    }

    /// Inserts one record (id 0 → a fresh id) and returns its id.
    ///
    /// Errors: as [`Store::write`].
    pub fn insert<T: Record>(&self, record: T) -> Result<u64> {
        let mut b = Batch::new();
        b.put(record);
        let keys = self.write(b)?;
        Ok(keys.first().and_then(|k| keys::parse_id(k)).unwrap_or(0))
    }

    /// Deletes the `T` record with numeric id `id` (one transaction, audited).
    ///
    /// Errors: [`StoreError::Referenced`] naming what still refers to it; [`StoreError::NotFound`].
    pub fn delete<T: Record>(&self, id: u64) -> Result<()> {
        let mut b = Batch::new();
        let key = keys::id_key(id);
        let v = self.version(T::TREE, &key)?;
        b.expect_version(T::TREE, key.clone(), v.n);
        b.delete::<T>(key);
        self.write(b).map(|_| ())
    }

    /// The version of the record at `key` in `tree`, to pass to [`Batch::expect_version`] when
    /// writing it back.
    ///
    /// Errors: sled errors, or the server's.
    pub fn version(&self, tree: TreeName, key: &[u8]) -> Result<remote::Version> {
        match &self.backend {
            Backend::Local(l) => l.version(tree, key),
            Backend::Remote(c) => {
                let req = remote::Request::Version {
                    tree,
                    key: key.to_vec(),
                };
                match c.call(&req, true)? {
                    remote::Reply::Version(v) => Ok(v),
                    other => Err(remote::unexpected(&other)),
                }
            }
        }
    }

    /// Adds to `b` the check that the record stored under `seen`'s key is still `seen` (what
    /// the caller read and is about to change or delete): its current version is expected, so
    /// a change by someone else between now and the write is refused too
    /// ([`StoreError::Stale`]). Through a server, every update and delete needs this.
    ///
    /// Errors: [`StoreError::Stale`] when the record already differs from `seen` (or is gone);
    /// read errors.
    pub fn expect_unchanged<T: Record + PartialEq>(&self, b: &mut Batch, seen: &T) -> Result<()> {
        let key = seen.key();
        let v = self.version(T::TREE, &key)?;
        if self.get::<T>(&key)?.as_ref() != Some(seen) {
            return Err(StoreError::Stale(v));
        }
        b.expect_version(T::TREE, key, v.n);
        Ok(())
    }

    /// Keeps `draft` (an encoded unsaved form) for `login`, durably. Through a server, drafts
    /// belong to the verified user whatever `login` says.
    pub fn put_draft(&self, login: &str, draft: &[u8]) -> Result<()> {
        match &self.backend {
            Backend::Local(l) => l.put_draft(login, draft),
            Backend::Remote(c) => done(c.call(&remote::Request::PutDraft(draft.to_vec()), false)?),
        }
    }

    /// The draft kept for `login`, if any.
    pub fn draft(&self, login: &str) -> Result<Option<Vec<u8>>> {
        match &self.backend {
            Backend::Local(l) => l.draft(login),
            Backend::Remote(c) => match c.call(&remote::Request::GetDraft, true)? {
                remote::Reply::Value(v) => Ok(v),
                other => Err(remote::unexpected(&other)),
            },
        }
    }

    /// Forgets `login`'s draft.
    pub fn delete_draft(&self, login: &str) -> Result<()> {
        match &self.backend {
            Backend::Local(l) => l.delete_draft(login),
            Backend::Remote(c) => done(c.call(&remote::Request::DeleteDraft, false)?),
        }
    }

    /// Every `(key, value)` pair of `tree` under `prefix`, in key order, to `f` (paged through a
    /// server), stopping at `f`'s first error.
    fn scan_pairs(
        &self,
        tree: TreeName,
        prefix: &[u8],
        mut f: impl FnMut(&[u8], &[u8]) -> Result<()>,
    ) -> Result<()> {
        match &self.backend {
            Backend::Local(l) => {
                for kv in guard::walk(tree.name(), l.tree(tree).scan_prefix(prefix), false) {
                    let (k, v) = kv?;
                    f(&k, &v)?;
                }
                Ok(())
            }
            Backend::Remote(c) => c.pages(
                |after| remote::Request::Scan {
                    tree,
                    prefix: prefix.to_vec(),
                    after,
                },
                |k, v| f(&k, &v),
            ),
        }
    }

    /// Calls `f` with every record of `tree` as JSON (its serde form), in key order, one at a
    /// time (a backup of any size streams through it). Returns the number of records.
    ///
    /// Errors: a value that cannot be decoded (named by tree and key), or a sled error.
    pub fn for_each_record(
        &self,
        tree: TreeName,
        mut f: impl FnMut(serde_json::Value) -> std::result::Result<(), String>,
    ) -> Result<usize> {
        let Some(decode) = records::stored_fn(tree) else {
            return Ok(0);
        };
        let mut n = 0;
        self.scan_pairs(tree, b"", |k, v| {
            let (_, json) = decode(v, k)?;
            f(json).map_err(StoreError::Invalid)?;
            n += 1;
            Ok(())
        })?;
        Ok(n)
    }

    /// Calls `f` with every audit entry, oldest first.
    ///
    /// Errors: an entry that cannot be decoded, or a sled error.
    pub fn for_each_audit(
        &self,
        mut f: impl FnMut(&AuditEntry) -> std::result::Result<(), String>,
    ) -> Result<usize> {
        if let Backend::Local(l) = &self.backend {
            return l.for_each_audit(f);
        }
        let all = self.audit_entries(usize::MAX, |_| true);
        if let Some(e) = all.problems.into_iter().next() {
            return Err(e);
        }
        for e in all.items.iter().rev() {
            f(e).map_err(StoreError::Invalid)?;
        }
        Ok(all.items.len())
    }

    /// Appends audit entries exactly as they were (sequence numbers, hashes) after the head and
    /// moves the head to the last one, then makes it durable. Only for restoring a backup (in
    /// parts, in order) into a database being built.
    ///
    /// Errors: the first entry does not follow the head; encode or sled errors;
    /// [`StoreError::Exclusive`] through a server.
    pub fn restore_audit(&self, entries: &[AuditEntry]) -> Result<()> {
        match &self.backend {
            Backend::Local(l) => l.restore_audit(entries),
            Backend::Remote(_) => Err(StoreError::Exclusive("restore")),
        }
    }

    /// The key of this database's audit chain (in a backup archive, so its chain verifies when
    /// restored). `None` through a server.
    pub fn audit_key(&self) -> Option<[u8; 32]> {
        self.local().map(|l| l.audit_key())
    }

    /// Sets the audit key of a database being restored (its trail still empty).
    ///
    /// Errors: the trail is not empty; the key cannot be written; [`StoreError::Exclusive`]
    /// through a server.
    pub fn set_audit_key(&self, key: [u8; 32]) -> Result<()> {
        match &self.backend {
            Backend::Local(l) => l.set_audit_key(&self.path, key),
            Backend::Remote(_) => Err(StoreError::Exclusive("restore")),
        }
    }

    /// Re-hashes an audit chain restored from an archive made before chains were keyed (see
    /// the `migrate` entry it appends). Returns its note.
    ///
    /// Errors: read or write errors; [`StoreError::Exclusive`] through a server.
    pub fn rekey_audit(&self) -> Result<String> {
        match &self.backend {
            Backend::Local(l) => l.rekey_audit(),
            Backend::Remote(_) => Err(StoreError::Exclusive("restore")),
        }
    }

    /// How many records of each referring type point at record `id` of `kind`.
    ///
    /// Errors: sled errors, or the server's.
    pub fn references(&self, kind: records::RefKind, id: u64) -> Result<Vec<(&'static str, i64)>> {
        match &self.backend {
            Backend::Local(l) => l.references(kind, id),
            Backend::Remote(c) => match c.call(&remote::Request::References { kind, id }, true)? {
                remote::Reply::Refs(r) => Ok(r
                    .iter()
                    .map(|(t, n)| (remote::static_name(t), *n))
                    .collect()),
                other => Err(remote::unexpected(&other)),
            },
        }
    }

    /// Audit entries, newest first, that satisfy `keep`, at most `limit`.
    pub fn audit_entries(
        &self,
        limit: usize,
        keep: impl Fn(&AuditEntry) -> bool,
    ) -> Loaded<AuditEntry> {
        let c = match &self.backend {
            Backend::Local(l) => return l.audit_entries(limit, keep),
            Backend::Remote(c) => c,
        };
        let mut out = Loaded::default();
        let mut before = None;
        while out.items.len() < limit {
            match c.call(&remote::Request::AuditPage { before }, true) {
                Ok(remote::Reply::Audit { entries, more }) => {
                    before = entries.last().map(|e| e.record.seq);
                    out.items.extend(
                        entries
                            .into_iter()
                            .filter(|e| keep(e))
                            .take(limit - out.items.len()),
                    );
                    if !more || before.is_none() {
                        break;
                    }
                }
                Ok(other) => {
                    out.problems.push(remote::unexpected(&other));
                    break;
                }
                Err(e) => {
                    out.problems.push(e);
                    break;
                }
            }
        }
        out
    }

    /// Checks the audit chain from the first entry: sequence without gaps, each entry's
    /// `prev_hash` equal to the previous entry's hash, each hash recomputed from its content,
    /// and the head in `meta` equal to the last entry. Returns one message per break.
    pub fn verify_audit_chain(&self) -> Vec<String> {
        match &self.backend {
            Backend::Local(l) => l.verify_audit_chain(),
            Backend::Remote(c) => match c.call(&remote::Request::VerifyAuditChain, true) {
                Ok(remote::Reply::Lines(l)) => l,
                Ok(other) => vec![remote::unexpected(&other).to_string()],
                Err(e) => vec![e.to_string()],
            },
        }
    }

    /// Reads one record by key.
    ///
    /// Errors: [`StoreError::Decode`] naming tree and key.
    pub fn get<T: Record>(&self, key: &[u8]) -> Result<Option<T>> {
        match &self.backend {
            Backend::Local(l) => l.get(key),
            Backend::Remote(c) => {
                let req = remote::Request::Get {
                    tree: T::TREE,
                    key: key.to_vec(),
                };
                match c.call(&req, true)? {
                    remote::Reply::Value(Some(v)) => decode_at::<T>(T::TREE, key, &v).map(Some),
                    remote::Reply::Value(None) => Ok(None),
                    other => Err(remote::unexpected(&other)),
                }
            }
        }
    }

    /// Reads one record by numeric id.
    ///
    /// Errors: as [`Store::get`].
    pub fn get_id<T: Record>(&self, id: u64) -> Result<Option<T>> {
        self.get(&keys::id_key(id))
    }

    /// Reads every record of a small table (bodies, staff, programs, indicators…), in key order.
    /// Not for the date-indexed tables at scale: use [`Store::list_fy`].
    pub fn list<T: Record>(&self) -> Loaded<T> {
        if let Backend::Local(l) = &self.backend {
            return l.list();
        }
        let mut out = Loaded::default();
        let r = self.scan_pairs(T::TREE, b"", |k, v| {
            match decode_at::<T>(T::TREE, k, v) {
                Ok(r) => out.items.push(r),
                Err(e) => out.problems.push(e),
            }
            Ok(())
        });
        if let Err(e) = r {
            out.problems.push(e);
        }
        out
    }

    /// Reads the records of one fiscal year through the date index, in date order.
    pub fn list_fy<T: Dated>(&self, fy: FiscalYear) -> Loaded<T> {
        let c = match &self.backend {
            Backend::Local(l) => return l.list_fy(fy),
            Backend::Remote(c) => c,
        };
        let mut out = Loaded::default();
        let r = c.pages(
            |after| remote::Request::ListFy {
                tree: T::TREE,
                index: T::INDEX,
                fy: fy.0,
                after,
            },
            |k, v| {
                match decode_at::<T>(T::TREE, &k, &v) {
                    Ok(r) => out.items.push(r),
                    Err(e) => out.problems.push(e),
                }
                Ok(())
            },
        );
        if let Err(e) = r {
            out.problems.push(e);
        }
        out
    }

    /// Number of index entries of a date-indexed type in one fiscal year (keys only); 0 when
    /// the server cannot be reached.
    pub fn count_fy<T: Dated>(&self, fy: FiscalYear) -> usize {
        match &self.backend {
            Backend::Local(l) => l.count_fy::<T>(fy),
            Backend::Remote(c) => {
                let req = remote::Request::CountFy {
                    index: T::INDEX,
                    fy: fy.0,
                };
                match c.call(&req, true) {
                    Ok(remote::Reply::Count(n)) => n as usize,
                    _ => 0,
                }
            }
        }
    }

    /// Monthly cells of a counter for one fiscal year: index 0 = April … 11 = March.
    ///
    /// Errors: sled errors; a malformed cell is a [`StoreError::Decode`].
    pub fn counter_months(&self, metric: &Metric, fy: FiscalYear) -> Result<[i64; 12]> {
        // One range scan over the year's (at most twelve) cells.
        let mut out = [0i64; 12];
        let prefix = keys::counter_prefix(&metric.name(), fy);
        self.scan_pairs(TreeName::Counters, &prefix, |k, v| {
            put_month_cell(&prefix, k, v, &mut out)
        })?;
        Ok(out)
    }

    /// A counter's total for one fiscal year.
    ///
    /// Errors: as [`Store::counter_months`].
    pub fn counter_total(&self, metric: &Metric, fy: FiscalYear) -> Result<i64> {
        Ok(self.counter_months(metric, fy)?.iter().sum())
    }

    /// Every counted indicator's figure for `fy`, from counters (plus the bodies table, which
    /// holds at most a few hundred records). Cost does not grow with the number of records.
    ///
    /// Errors: the first body that cannot be read; counter errors.
    pub fn fy_counts(&self, fy: FiscalYear) -> Result<FyCounts> {
        let bodies = self.list::<Body>();
        if let Some(e) = bodies.problems.into_iter().next() {
            return Err(e);
        }
        self.fy_counts_with(fy, &bodies.items)
    }

    /// [`Store::fy_counts`] with the bodies already read.
    ///
    /// Errors: counter errors.
    pub fn fy_counts_with(&self, fy: FiscalYear, bodies: &[Body]) -> Result<FyCounts> {
        Ok(FyCounts {
            body_activities: self.counter_total(&Metric::BodyActivities, fy)?,
            dialogue_support: self.counter_total(&Metric::DialogueSupport, fy)?,
            team_meetings: self.counter_total(&Metric::TeamMeetings, fy)?,
            consultations: self.counter_total(&Metric::Consultations, fy)?,
            bodies: bodies.iter().filter(|b| b.counts_in(fy)).count() as i64,
        })
    }

    /// Consultation counts (records + tallies) per category and fiscal month.
    ///
    /// Errors: counter errors.
    pub fn consultations_by_category(&self, fy: FiscalYear) -> Result<Vec<(Category, [i64; 12])>> {
        Category::ALL
            .iter()
            .map(|c| Ok((*c, self.counter_months(&Metric::Category(*c), fy)?)))
            .collect()
    }

    /// Consultation counts (records + tallies) per channel for the fiscal year.
    ///
    /// Errors: counter errors.
    pub fn consultations_by_channel(&self, fy: FiscalYear) -> Result<Vec<(Channel, i64)>> {
        Channel::ALL
            .iter()
            .map(|c| Ok((*c, self.counter_total(&Metric::Channel(*c), fy)?)))
            .collect()
    }

    /// The latest fiscal year that has any dated record (meetings, consultations, tallies,
    /// activities), read from the last key of each date index.
    pub fn latest_fy_with_data(&self) -> Result<Option<FiscalYear>> {
        match &self.backend {
            Backend::Local(l) => l.latest_fy_with_data(),
            Backend::Remote(c) => match c.call(&remote::Request::LatestFy, true)? {
                remote::Reply::Number(n) => Ok(n.map(|n| FiscalYear(n as i32))),
                other => Err(remote::unexpected(&other)),
            },
        }
    }

    /// Whether the database holds no records at all (meta aside). Through a server that cannot
    /// be reached: `false`.
    pub fn is_empty(&self) -> bool {
        match &self.backend {
            Backend::Local(l) => l.is_empty(),
            Backend::Remote(c) => matches!(
                c.call(&remote::Request::IsEmpty, true),
                Ok(remote::Reply::Flag(true))
            ),
        }
    }

    /// Raw access for tests of corruption handling: overwrite a value's bytes without decoding.
    #[doc(hidden)]
    pub fn raw_put(&self, tree: TreeName, key: &[u8], value: &[u8]) -> Result<()> {
        match &self.backend {
            Backend::Local(l) => l.raw_put(tree, key, value),
            Backend::Remote(_) => Err(StoreError::Exclusive("raw access")),
        }
    }

    /// Raw access for tests of corruption handling: remove a key without its effects.
    #[doc(hidden)]
    pub fn raw_remove(&self, tree: TreeName, key: &[u8]) -> Result<()> {
        match &self.backend {
            Backend::Local(l) => l.raw_remove(tree, key),
            Backend::Remote(_) => Err(StoreError::Exclusive("raw access")),
        }
    }

    /// Number of entries in a tree (tests and `check`); 0 when the server cannot be reached.
    pub fn tree_len(&self, tree: TreeName) -> usize {
        match &self.backend {
            Backend::Local(l) => l.tree_len(tree),
            Backend::Remote(c) => match c.call(&remote::Request::TreeLen(tree), true) {
                Ok(remote::Reply::Count(n)) => n as usize,
                _ => 0,
            },
        }
    }

    /// Every key of a tree (tests and `check`; never used on a hot path).
    pub fn tree_keys(&self, tree: TreeName) -> Vec<Vec<u8>> {
        if let Backend::Local(l) = &self.backend {
            return l.tree_keys(tree);
        }
        let mut out = Vec::new();
        let _ = self.scan_pairs(tree, b"", |k, _| {
            out.push(k.to_vec());
            Ok(())
        });
        out
    }

    /// The server connection, for the operations only a server runs (check, repair, backup).
    fn client(&self) -> Result<&remote::Client> {
        match &self.backend {
            Backend::Remote(c) => Ok(c),
            Backend::Local(_) => Err(StoreError::Invalid("not a server connection".into())),
        }
    }

    /// `kyodo check` run by the server (shared mode). A failure is reported as a problem.
    pub(crate) fn remote_check(&self) -> check::Report {
        match self
            .client()
            .and_then(|c| c.call(&remote::Request::Check, true))
        {
            Ok(remote::Reply::Report(r)) => r,
            other => check::Report {
                records: 0,
                problems: vec![check::Problem {
                    tree: "server".into(),
                    key: String::new(),
                    message: match other {
                        Err(e) => e.to_string(),
                        Ok(reply) => remote::unexpected(&reply).to_string(),
                    },
                }],
            },
        }
    }

    /// `kyodo check --repair` run by the server (shared mode, admin).
    pub(crate) fn remote_repair(&self) -> Result<check::Repair> {
        match self.client()?.call(&remote::Request::Repair, false)? {
            remote::Reply::Repaired(r) => Ok(r),
            other => Err(remote::unexpected(&other)),
        }
    }

    /// Imports `files` (`(name, bytes)`) through the server: they are sent in parts, and the
    /// server checks and writes them as this connection's user ([`remote::Request::Import`]);
    /// `progress(bytes sent, total)`.
    ///
    /// Errors: [`RemoteImportError::Rows`] when rows are refused (nothing written), else the
    /// store's (a role that may not write a type gets [`StoreError::Denied`]).
    pub fn remote_import(
        &self,
        files: Vec<(String, Vec<u8>)>,
        progress: &dyn Fn(u64, u64),
    ) -> std::result::Result<crate::domain::import_report::ImportSummary, RemoteImportError> {
        let c = self.client().map_err(RemoteImportError::Store)?;
        let total: u64 = files.iter().map(|(_, b)| b.len() as u64).sum();
        let mut sent = 0u64;
        for (name, bytes) in files {
            // An empty file is still announced, so the server says what is wrong with it.
            let mut parts = bytes.chunks(remote::PAGE_BYTES).peekable();
            if parts.peek().is_none() {
                done(
                    c.call(
                        &remote::Request::UploadPart {
                            name: name.clone(),
                            bytes: Vec::new(),
                        },
                        false,
                    )
                    .map_err(RemoteImportError::Store)?,
                )
                .map_err(RemoteImportError::Store)?;
            }
            for part in parts {
                let req = remote::Request::UploadPart {
                    name: name.clone(),
                    bytes: part.to_vec(),
                };
                done(c.call(&req, false).map_err(RemoteImportError::Store)?)
                    .map_err(RemoteImportError::Store)?;
                sent += part.len() as u64;
                progress(sent, total);
            }
        }
        match c
            .call(&remote::Request::Import, false)
            .map_err(RemoteImportError::Store)?
        {
            remote::Reply::Imported(s) => Ok(s),
            remote::Reply::ImportRefused(rows) => Err(RemoteImportError::Rows(rows)),
            other => Err(RemoteImportError::Store(remote::unexpected(&other))),
        }
    }

    /// A backup archive made by the server, streamed to `f` (shared mode, admin).
    pub(crate) fn remote_backup(
        &self,
        f: impl FnMut(&[u8], Option<BTreeMap<String, u64>>) -> Result<()>,
    ) -> Result<()> {
        self.client()?.stream(&remote::Request::Backup, f)
    }
}

fn done(r: remote::Reply) -> Result<()> {
    match r {
        remote::Reply::Done => Ok(()),
        other => Err(remote::unexpected(&other)),
    }
}
