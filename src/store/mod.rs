//! The only code that touches sled (docs/DESIGN.md, "Storage").
//!
//! One tree per record type; date index trees `fy|yyyymmdd|id` for fiscal-year range scans; a
//! `counters` tree updated in the same transaction as the records it counts; a `meta` tree with
//! the schema version. Every write is one transaction over all trees it touches, then `flush()`
//! and `fsync` of the database file, and only then is it acknowledged.
//!
//! The [`Store`] API is the seam: the TUI and CLI reach data only through it, and shared-server
//! mode will implement the same operations over a socket.

pub mod ack;
mod audit_walk;
mod batch;
mod bulk;
pub mod check;
mod check_rules;
mod check_walk;
pub mod codec;
mod error;
pub mod framed;
pub mod guard;
pub mod keys;
mod layout;
mod local;
mod local_audit;
mod local_open;
mod local_read;
pub mod private;
mod read;
pub mod records;
pub mod recovery;
pub mod remote;
mod served;
mod tree;
mod write;

use local::Local;

use crate::domain::{Actor, AuditEntry, Body, Category, Channel, FiscalYear, FyCounts};
use records::{Dated, Metric, Record};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Schema version this build writes and reads (kept in the `meta` tree). 2: the meta tree
/// keeps the write sequence and record counts, and the audit chain is keyed (HMAC); a version-1
/// database is brought forward when it is opened (counted once, its chain re-hashed). 3: the
/// counters keep each owner's open follow-ups (`follow_ups_open/…`), set from the meetings when a
/// version-2 database is opened. 4: record trees carry a layout (`layout/<tree>` in meta, see
/// `layout.rs`); subsidy programs and grants are at layout 2.
pub const SCHEMA_VERSION: u32 = 4;

/// Page cache size given to sled (its default of 1 GiB is far beyond what kyodo needs).
pub const CACHE_BYTES: u64 = 24 << 20;

/// sled's page cache for the bulk commands (import, backup, restore, check), which stream every
/// record once: a walk gains nothing from cached pages, and sled's real memory for its cache
/// is four to five times the figure it is given (issue 20: `check` of 500,000 records peaked at
/// 162 MiB with the 24 MiB cache, 68 MiB with 1 MiB).
pub const BULK_CACHE_BYTES: u64 = 4 << 20;

/// sled's page cache for `kyodo backup` and `kyodo check`, which read every page once in key
/// order (an import's index entries, in date order, still gain from [`BULK_CACHE_BYTES`];
/// check's lookups of what records name are remembered by check itself). At 500k, check peaks
/// at 56 MiB with it and 66 MiB with [`BULK_CACHE_BYTES`], in the same time.
pub const SCAN_CACHE_BYTES: u64 = 1 << 20;

pub use batch::*;
pub use bulk::Bulk;
pub use error::*;
pub use tree::TreeName;

/// The database as the TUI and CLI see it: opened in this process (embedded mode), or reached
/// through `kyodo serve` over its socket (shared mode, docs/DESIGN.md "Shared use on one server").
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
        Store::open_with_cache(path, CACHE_BYTES)
    }

    /// [`Store::open`] with sled's page cache at `cache_bytes`: [`BULK_CACHE_BYTES`] for a
    /// command that reads or writes everything once (import, backup, restore, check), where a
    /// cache only holds pages that are not read again.
    ///
    /// Errors: as [`Store::open`].
    pub fn open_with_cache(path: &Path, cache_bytes: u64) -> Result<Store> {
        Ok(Store {
            backend: Backend::Local(std::sync::Arc::new(Local::open(path, cache_bytes)?)),
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
    pub fn open_notes(&self) -> &[crate::domain::Text] {
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
}
