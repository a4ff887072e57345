//! Shared mode, client side: a [`super::Store`] whose operations are requests to `kyodo serve`
//! over its Unix socket (docs/DESIGN.md, "Shared use on one server"). Requests and replies are the
//! serde enums below, length-framed bincode ([`crate::wire::frame`]). Reads that fail because
//! the server went away are retried once on a fresh connection; writes are never retried (the
//! caller sees [`StoreError::Disconnected`] and its input is kept).

use super::framed::{read_frame, write_frame};
use super::records::{ErasedRecord, RefKind, erased_from, stored_fn};
use super::{Batch, Op, Result, StoreError, TreeName};
use crate::domain::{Actor, AuditEntry, Role, Text};
use crate::wire::frame::FrameError;
use serde::{Deserialize, Serialize};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Protocol version; a server refuses a client that speaks another one. Thousands: the
/// layout (2: the server decides what is audited; imports run on the server; 3: trees come from
/// [`crate::record_types!`]); units: the number of trees, which a record type added changes,
/// so two binaries that number trees differently never talk.
pub const PROTOCOL: u32 = 3_000 + TreeName::ALL.len() as u32;

/// Most pairs in one page of a scan.
pub const PAGE: u32 = 2_000;

/// Most value bytes in one page (well inside the frame limit).
pub const PAGE_BYTES: usize = 4 << 20;

/// `(key, value)` pairs of one page, in key order.
pub type Pairs = Vec<(Vec<u8>, Vec<u8>)>;

/// A request from a client.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Request {
    /// First frame on every connection. `subscribe` turns the connection into a stream of
    /// [`Reply::Notice`]s. `claimed_login` is honoured only by a server started for tests.
    Hello {
        /// [`PROTOCOL`].
        protocol: u32,
        /// Receive change notices instead of making requests.
        subscribe: bool,
        /// Test servers only: who the client says it is.
        claimed_login: Option<String>,
    },
    /// One value by key.
    Get {
        /// Tree.
        tree: TreeName,
        /// Key.
        key: Vec<u8>,
    },
    /// A page of `(key, value)` pairs whose key starts with `prefix`, after `after`.
    Scan {
        /// Tree.
        tree: TreeName,
        /// Key prefix (empty: the whole tree).
        prefix: Vec<u8>,
        /// Last key of the previous page.
        after: Option<Vec<u8>>,
    },
    /// A page of one fiscal year's records of `tree`, in the order of its date index `index`;
    /// pairs are `(index key, record value)`.
    ListFy {
        /// Record tree.
        tree: TreeName,
        /// Its date index.
        index: TreeName,
        /// Fiscal year.
        fy: i32,
        /// Last index key of the previous page.
        after: Option<Vec<u8>>,
    },
    /// Index entries of one fiscal year.
    CountFy {
        /// Date index.
        index: TreeName,
        /// Fiscal year.
        fy: i32,
    },
    /// A page of audit entries, newest first, older than sequence number `before`.
    AuditPage {
        /// Sequence number to start below (`None`: the newest).
        before: Option<u64>,
    },
    /// The latest fiscal year with dated records.
    LatestFy,
    /// Whether the database holds no records.
    IsEmpty,
    /// Entries in a tree.
    TreeLen(TreeName),
    /// Records referring to `id` of `kind`.
    References {
        /// Kind referred to.
        kind: RefKind,
        /// Its id.
        id: u64,
    },
    /// The schema version.
    SchemaVersion,
    /// Verify the audit chain (on the server, over the unredacted entries).
    VerifyAuditChain,
    /// Apply a batch.
    Write(WireBatch),
    /// Keep the caller's draft.
    PutDraft(Vec<u8>),
    /// The caller's draft.
    GetDraft,
    /// Forget the caller's draft.
    DeleteDraft,
    /// A record's version.
    Version {
        /// Tree.
        tree: TreeName,
        /// Key.
        key: Vec<u8>,
    },
    /// `kyodo check`, run by the server.
    Check,
    /// `kyodo check --repair`, run by the server (admin).
    Repair,
    /// A backup archive, made by the server while writes wait, sent as [`Reply::Chunk`]s
    /// (admin).
    Backup,
    /// Part of a CSV file to import on this connection (appended to the file of that name).
    UploadPart {
        /// File name (its stem is the record type).
        name: String,
        /// The next bytes of it.
        bytes: Vec<u8>,
    },
    /// Import the files uploaded on this connection, as the connection's user: checked whole,
    /// then written with ids the server gives, every record judged by the role table.
    Import,
}

/// A server's answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Reply {
    /// The connection is accepted: who the server verified, and their role.
    Welcome {
        /// The verified user.
        actor: Actor,
        /// Their role.
        role: Role,
    },
    /// The connection is refused (unknown login, wrong protocol); the server closes it.
    Refused(Text),
    /// One value, if present.
    Value(Option<Vec<u8>>),
    /// A page of pairs; `more` when another page follows.
    Pairs {
        /// `(key, value)` pairs.
        pairs: Pairs,
        /// Whether to ask for the next page.
        more: bool,
    },
    /// A page of audit entries.
    Audit {
        /// Entries, newest first.
        entries: Vec<AuditEntry>,
        /// Whether older entries remain.
        more: bool,
    },
    /// A count.
    Count(u64),
    /// An optional number (fiscal year, schema version).
    Number(Option<i64>),
    /// A yes/no answer.
    Flag(bool),
    /// `(referring tree, count)` pairs.
    Refs(Vec<(String, i64)>),
    /// Messages (audit chain problems).
    Lines(Vec<crate::domain::Text>),
    /// Keys written, in batch order.
    Written(Vec<Vec<u8>>),
    /// A record's version.
    Version(Version),
    /// `kyodo check`'s report.
    Report(super::check::Report),
    /// What a repair changed.
    Repaired(super::check::Repair),
    /// Part of a backup archive.
    Chunk {
        /// Bytes.
        bytes: Vec<u8>,
        /// With the last part: the counts in the archive's trailer.
        last: Option<std::collections::BTreeMap<String, u64>>,
    },
    /// Done (drafts).
    Done,
    /// The request failed; nothing was changed.
    Error(WireError),
    /// A committed change (subscriptions only).
    Notice(Notice),
    /// What an import did.
    Imported(crate::domain::import_report::ImportSummary),
    /// An import refused for its rows; nothing was written.
    ImportRefused(Vec<crate::domain::import_report::RowError>),
}

/// A record's version: how many times it was written, by whom and when (0: never written
/// since versions were kept). An update made against an older version is refused.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Version {
    /// Writes so far.
    pub n: u64,
    /// OS login of the last writer.
    pub by: String,
    /// When, in milliseconds since the Unix epoch (UTC).
    pub at_ms: i64,
}

/// A committed write, pushed to every subscribed client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// Trees it touched.
    pub trees: Vec<TreeName>,
    /// Who wrote (OS login).
    pub by: String,
    /// When, in milliseconds since the Unix epoch (UTC).
    pub at_ms: i64,
}

/// A batch on the wire: each record encoded as stored. There is no way to ask for a write
/// without its audit entry: the server audits, versions and checks every operation itself
/// (issue 11, item 2); an update or delete must name the version it changes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WireBatch {
    /// Operations in order.
    pub ops: Vec<WireOp>,
    /// Audit note (e.g. the reason for a correction), recorded with every entry.
    pub note: String,
    /// Versions the writer saw: `(tree, key, version)`.
    pub expect: Vec<(TreeName, Vec<u8>, u64)>,
}

/// One operation of a [`WireBatch`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum WireOp {
    /// Put a record (its stored encoding).
    Put {
        /// Tree.
        tree: TreeName,
        /// Encoded record.
        value: Vec<u8>,
    },
    /// Delete the record at `key`.
    Delete {
        /// Tree.
        tree: TreeName,
        /// Key.
        key: Vec<u8>,
    },
}

/// A [`StoreError`] on the wire.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum WireError {
    /// See [`StoreError::Referenced`].
    Referenced {
        /// Kind.
        kind: String,
        /// Referring trees and counts.
        refs: Vec<(String, i64)>,
    },
    /// See [`StoreError::NotFound`].
    NotFound {
        /// Tree.
        tree: String,
        /// Key.
        key: String,
    },
    /// See [`StoreError::Denied`].
    Denied(Text),
    /// See [`StoreError::Stale`].
    Stale(Version),
    /// Anything else, as its message.
    Other(String),
}

/// The static name of a tree or reference kind received as text (`records` if unknown).
pub(crate) fn static_name(s: &str) -> &'static str {
    TreeName::ALL
        .iter()
        .map(|t| t.name())
        .chain(RefKind::ALL.iter().map(|k| k.name()))
        .find(|n| *n == s)
        .unwrap_or("records")
}

impl From<&StoreError> for WireError {
    fn from(e: &StoreError) -> WireError {
        match e {
            StoreError::Referenced { kind, refs } => WireError::Referenced {
                kind: kind.to_string(),
                refs: refs.iter().map(|(t, n)| (t.to_string(), *n)).collect(),
            },
            StoreError::NotFound { tree, key } => WireError::NotFound {
                tree: tree.to_string(),
                key: key.clone(),
            },
            StoreError::Denied(t) => WireError::Denied(t.clone()),
            StoreError::Stale(v) => WireError::Stale(v.clone()),
            other => WireError::Other(other.to_string()),
        }
    }
}

impl From<WireError> for StoreError {
    fn from(e: WireError) -> StoreError {
        match e {
            WireError::Referenced { kind, refs } => StoreError::Referenced {
                kind: static_name(&kind),
                refs: refs.iter().map(|(t, n)| (static_name(t), *n)).collect(),
            },
            WireError::NotFound { tree, key } => StoreError::NotFound {
                tree: static_name(&tree),
                key,
            },
            WireError::Denied(t) => StoreError::Denied(t),
            WireError::Stale(v) => StoreError::Stale(v),
            WireError::Other(m) => StoreError::Remote(m),
        }
    }
}

impl Batch {
    /// The batch as sent to a server. A restoring batch cannot be sent (restore works on a
    /// database file directly).
    ///
    /// Errors: encode errors; [`StoreError::Invalid`] for a restoring batch.
    pub(crate) fn to_wire(&self) -> Result<WireBatch> {
        if self.restoring {
            return Err(StoreError::Invalid(
                "restore writes a database directly; stop `kyodo serve` and name an empty --db"
                    .into(),
            ));
        }
        let ops = self
            .ops
            .iter()
            .map(|op| {
                Ok(match op {
                    Op::Put(r, _) => WireOp::Put {
                        tree: r.tree(),
                        value: r.encode()?,
                    },
                    Op::Delete { tree, key, .. } => WireOp::Delete {
                        tree: *tree,
                        key: key.clone(),
                    },
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(WireBatch {
            ops,
            note: self.note.clone(),
            expect: self.expect.clone(),
        })
    }

    /// A batch received by the server: every put is audited, whatever the client meant.
    ///
    /// Errors: [`StoreError::Invalid`] for a tree that holds no records; decode errors.
    pub(crate) fn from_wire(w: WireBatch) -> Result<Batch> {
        let mut b = Batch::new();
        for op in w.ops {
            match op {
                WireOp::Put { tree, value } => {
                    let rec: Box<dyn ErasedRecord> =
                        erased_from(tree, &value).ok_or_else(|| {
                            StoreError::Invalid(format!("{} holds no records", tree.name()))
                        })??;
                    b.ops.push(Op::Put(rec, true));
                }
                WireOp::Delete { tree, key } => {
                    let stored = stored_fn(tree).ok_or_else(|| {
                        StoreError::Invalid(format!("{} holds no records", tree.name()))
                    })?;
                    b.ops.push(Op::Delete { tree, key, stored });
                }
            }
        }
        b.note = w.note;
        b.expect = w.expect;
        Ok(b)
    }
}

/// Connects to `socket` and says hello.
///
/// Errors: [`StoreError::Disconnected`] when nothing answers there; [`StoreError::Denied`]
/// when the server refuses this user.
pub(crate) fn connect(
    socket: &Path,
    subscribe: bool,
    claimed_login: Option<&str>,
) -> Result<(UnixStream, Actor, Role)> {
    let gone = |e: &dyn std::fmt::Display| {
        StoreError::Disconnected(format!("no kyodo server at {}: {e}", socket.display()))
    };
    let mut s = UnixStream::connect(socket).map_err(|e| gone(&e))?;
    write_frame(
        &mut s,
        &Request::Hello {
            protocol: PROTOCOL,
            subscribe,
            claimed_login: claimed_login.map(String::from),
        },
    )
    .map_err(|e| gone(&e))?;
    match read_frame::<_, Reply>(&mut s).map_err(|e| gone(&e))? {
        Some(Reply::Welcome { actor, role }) => Ok((s, actor, role)),
        Some(Reply::Refused(t)) => Err(StoreError::Denied(t)),
        Some(other) => Err(StoreError::Remote(format!(
            "unexpected first reply from the server: {other:?}"
        ))),
        None => Err(gone(&"it closed the connection")),
    }
}

/// A connection to `kyodo serve`, re-established when the server comes back.
pub(crate) struct Client {
    socket: PathBuf,
    claimed_login: Option<String>,
    conn: Mutex<Option<UnixStream>>,
    /// The verified user and role.
    pub(crate) who: (Actor, Role),
}

impl Client {
    /// Connects to the server at `socket`.
    ///
    /// Errors: as [`connect`].
    pub(crate) fn open(socket: &Path, claimed_login: Option<String>) -> Result<Client> {
        let (s, actor, role) = connect(socket, false, claimed_login.as_deref())?;
        Ok(Client {
            socket: socket.to_path_buf(),
            claimed_login,
            conn: Mutex::new(Some(s)),
            who: (actor, role),
        })
    }

    /// The socket path.
    pub(crate) fn socket(&self) -> &Path {
        &self.socket
    }

    /// Who may claim a login (test servers).
    pub(crate) fn claimed_login(&self) -> Option<&str> {
        self.claimed_login.as_deref()
    }

    /// Sends `req` and hands every reply to `each` until it returns `false` (one reply for
    /// most requests; a backup sends several). A broken connection is dropped, so the next
    /// call connects again.
    fn exchange(&self, req: &Request, mut each: impl FnMut(Reply) -> Result<bool>) -> Result<()> {
        let mut guard = self
            .conn
            .lock()
            .map_err(|_| StoreError::Remote("connection lock poisoned".into()))?;
        if guard.is_none() {
            let (s, _, _) = connect(&self.socket, false, self.claimed_login.as_deref())?;
            *guard = Some(s);
        }
        let Some(stream) = guard.as_mut() else {
            return Err(StoreError::Disconnected("not connected".into()));
        };
        // Any framing error leaves the stream at an unknown position: start afresh next time.
        let reset = std::cell::Cell::new(false);
        let broken = |e: FrameError| {
            reset.set(true);
            match e {
                FrameError::Oversize(n) => StoreError::Invalid(format!(
                    "a request or reply of {n} bytes is over the server's limit; nothing was written. Split the work (e.g. import fewer files at once)"
                )),
                e => StoreError::Disconnected(format!("the kyodo server: {e}")),
            }
        };
        let result = (|| {
            write_frame(stream, req).map_err(broken)?;
            loop {
                match read_frame::<_, Reply>(stream).map_err(broken)? {
                    None => {
                        return Err(StoreError::Disconnected(
                            "the kyodo server closed the connection".into(),
                        ));
                    }
                    Some(Reply::Error(e)) => return Err(e.into()),
                    // The server closed this connection: the person no longer has access.
                    Some(Reply::Refused(t)) => {
                        reset.set(true);
                        return Err(StoreError::Denied(t));
                    }
                    Some(r) => {
                        if !each(r)? {
                            return Ok(());
                        }
                    }
                }
            }
        })();
        if reset.get() || matches!(result, Err(StoreError::Disconnected(_))) {
            *guard = None;
        }
        result
    }

    /// One request, one reply. Reads (`retry`) are sent again once on a fresh connection if the
    /// old one broke; writes are not.
    pub(crate) fn call(&self, req: &Request, retry: bool) -> Result<Reply> {
        let once = || {
            let mut out = None;
            self.exchange(req, |r| {
                out = Some(r);
                Ok(false)
            })?;
            out.ok_or_else(|| StoreError::Remote("no reply".into()))
        };
        match once() {
            Err(StoreError::Disconnected(_)) if retry => once(),
            other => other,
        }
    }

    /// Every page of a paged request, as `(key, value)` pairs, to `f`.
    pub(crate) fn pages(
        &self,
        mut req: impl FnMut(Option<Vec<u8>>) -> Request,
        mut f: impl FnMut(Vec<u8>, Vec<u8>) -> Result<()>,
    ) -> Result<()> {
        let mut after = None;
        loop {
            match self.call(&req(after.take()), true)? {
                Reply::Pairs { pairs, more } => {
                    let last = pairs.last().map(|(k, _)| k.clone());
                    for (k, v) in pairs {
                        f(k, v)?;
                    }
                    match (more, last) {
                        (true, Some(k)) => after = Some(k),
                        _ => return Ok(()),
                    }
                }
                other => return Err(unexpected(&other)),
            }
        }
    }

    /// A streamed reply (backup chunks) to `f`, the last one with the archive's counts.
    pub(crate) fn stream(
        &self,
        req: &Request,
        mut f: impl FnMut(&[u8], Option<std::collections::BTreeMap<String, u64>>) -> Result<()>,
    ) -> Result<()> {
        self.exchange(req, |r| match r {
            Reply::Chunk { bytes, last } => {
                let more = last.is_none();
                f(&bytes, last)?;
                Ok(more)
            }
            other => Err(unexpected(&other)),
        })
    }
}

/// The error for a reply of the wrong kind (a server of another version).
pub(crate) fn unexpected(r: &Reply) -> StoreError {
    let name = format!("{r:?}");
    StoreError::Remote(format!(
        "unexpected reply from the kyodo server: {}",
        name.chars().take(60).collect::<String>()
    ))
}

impl Batch {
    /// What the batch touches, for the server's role check: `(tree, key, record as JSON)` per
    /// operation; a delete has no JSON here (the server reads the stored record).
    pub(crate) fn touched(&self) -> Vec<(TreeName, Vec<u8>, Option<serde_json::Value>)> {
        self.ops
            .iter()
            .map(|op| match op {
                Op::Put(r, _) => (r.tree(), r.key(), Some(r.json())),
                Op::Delete { tree, key, .. } => (*tree, key.clone(), None),
            })
            .collect()
    }
}
