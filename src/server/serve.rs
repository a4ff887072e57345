//! `kyodo serve`: one process owns the database and answers clients on a Unix socket (issue 6;
//! DESIGN.md, "Shared use on one server").
//!
//! - One thread per connection; the first frame is a hello, answered with the user the server
//!   verified from the socket's peer credentials and their role, or a refusal naming the login.
//! - An oversize or malformed frame closes that connection only.
//! - Writes are serialised by one lock, applied with the verified user as the actor (so the
//!   audit trail records who really wrote), checked against the role table
//!   ([`crate::domain::access`]), and announced to every subscribed connection. A subscriber
//!   that does not keep up misses notices (its queue is full) instead of slowing anyone down.
//! - Consultation summaries are emptied in everything sent to roles that may not see them.
//! - On stop (SIGTERM), the accept loop ends, the write lock is taken (in-flight writes complete)
//!   and the database is flushed before the process exits.

use super::frame::{FrameError, read_frame, write_frame};
use super::peer;
use crate::domain::access::{self, Area};
use crate::domain::{Actor, AuditEntry, Consultation, Role, Staff, Text};
use crate::store::remote::{Notice, PAGE_BYTES, PROTOCOL, Pairs, Reply, Request, WireError};
use crate::store::{Batch, Store, StoreError, TreeName, keys, records};
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How the server knows who a connection belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identify {
    /// The kernel's peer credentials (SO_PEERCRED): the only mode `kyodo serve` uses.
    PeerCred,
    /// The login the client names in its hello. For tests in one OS account only: never
    /// reachable from the command line.
    ClaimedLoginForTests,
}

/// Notices queued per subscriber before further ones are dropped for it.
const NOTICE_QUEUE: usize = 64;

/// Time a client has to send its hello, and a reply has to be taken up by a client.
const IO_TIMEOUT: Duration = Duration::from_secs(10);

struct Shared {
    store: Store,
    writes: Mutex<()>,
    /// Writes committed so far (taken under `writes`).
    committed: std::sync::atomic::AtomicU64,
    /// Committed writes known to be on disk; held while a sync runs (group commit).
    synced: Mutex<u64>,
    subscribers: Mutex<Vec<SyncSender<Notice>>>,
    staff: Mutex<Option<Vec<Staff>>>,
    service_uid: u32,
    identify: Identify,
    log: Mutex<Box<dyn Write + Send>>,
    stopping: AtomicBool,
}

impl Shared {
    fn log(&self, msg: &str) {
        if let Ok(mut w) = self.log.lock() {
            let _ = writeln!(
                w,
                "{} {}",
                chrono::Local::now().format("%Y-%m-%d %H:%M:%S%.3f"),
                crate::text::sanitize(msg)
            );
            let _ = w.flush();
        }
    }

    /// The active staff member with `login` (id and role), from the staff table read once and
    /// again after a write that touched it.
    fn staff_with_login(&self, login: &str) -> Option<(u64, Role)> {
        let mut cache = match self.staff.lock() {
            Ok(c) => c,
            Err(p) => p.into_inner(),
        };
        cache
            .get_or_insert_with(|| self.store.list::<Staff>().items)
            .iter()
            .find(|s| s.active && s.login.as_deref() == Some(login))
            .map(|s| (s.id, s.role))
    }

    fn forget_staff(&self) {
        if let Ok(mut c) = self.staff.lock() {
            *c = None;
        }
    }

    fn notify(&self, notice: Notice) {
        let Ok(mut subs) = self.subscribers.lock() else {
            return;
        };
        subs.retain(|tx| {
            !matches!(
                tx.try_send(notice.clone()),
                Err(TrySendError::Disconnected(_))
            )
        });
    }
}

/// A bound server, ready to [`Server::run`].
pub struct Server {
    shared: Arc<Shared>,
    listener: UnixListener,
    socket: PathBuf,
}

/// Stops a running server from another thread (a signal handler's thread, or a test).
#[derive(Clone)]
pub struct Stopper {
    shared: Arc<Shared>,
    socket: PathBuf,
}

impl Stopper {
    /// Asks the server to stop: no new connections or writes; in-flight writes complete.
    pub fn stop(&self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = UnixStream::connect(&self.socket);
    }
}

impl Server {
    /// Binds `socket` for the database `store` (opened in this process), logging to `log`.
    /// A socket file left by a server that is gone is replaced; the socket is made
    /// read-write for the owner and group (0660), and a database directory holding it gets
    /// group search permission, so members of the database's group can connect (README,
    /// "Shared server").
    ///
    /// Errors: another server already answers on `socket`; `store` is itself a server
    /// connection; the socket cannot be created.
    pub fn bind(
        store: Store,
        socket: &Path,
        identify: Identify,
        log: Box<dyn Write + Send>,
    ) -> anyhow::Result<Server> {
        if store.socket().is_some() {
            anyhow::bail!("kyodo serve needs the database itself, not a server connection");
        }
        if socket.exists() {
            if UnixStream::connect(socket).is_ok() {
                anyhow::bail!(
                    "a kyodo server already answers at {}; only one may serve a database",
                    socket.display()
                );
            }
            std::fs::remove_file(socket).map_err(|e| {
                anyhow::anyhow!("cannot replace the old socket {}: {e}", socket.display())
            })?;
        }
        let listener = UnixListener::bind(socket)
            .map_err(|e| anyhow::anyhow!("cannot listen at {}: {e}", socket.display()))?;
        std::fs::set_permissions(socket, std::fs::Permissions::from_mode(0o660))?;
        // The default socket sits in the database directory, which sled creates under the
        // service's umask (0700 with the shipped unit): let the group reach the socket, not
        // list the directory (the files themselves stay 0600).
        if socket.parent() == Some(store.path())
            && let Ok(meta) = std::fs::metadata(store.path())
        {
            let mode = meta.permissions().mode() & 0o7777;
            if mode & 0o010 == 0 {
                std::fs::set_permissions(
                    store.path(),
                    std::fs::Permissions::from_mode(mode | 0o010),
                )?;
            }
        }
        // SAFETY: getuid cannot fail.
        let service_uid = unsafe { libc::getuid() };
        let service_login = peer::login_of_uid(service_uid).unwrap_or(format!("uid:{service_uid}"));
        let mut store = store;
        store.set_actor(Actor {
            login: service_login,
            staff_id: None,
        });
        Ok(Server {
            shared: Arc::new(Shared {
                store,
                writes: Mutex::new(()),
                committed: std::sync::atomic::AtomicU64::new(0),
                synced: Mutex::new(0),
                subscribers: Mutex::new(Vec::new()),
                staff: Mutex::new(None),
                service_uid,
                identify,
                log: Mutex::new(log),
                stopping: AtomicBool::new(false),
            }),
            listener,
            socket: socket.to_path_buf(),
        })
    }

    /// The socket path.
    pub fn socket(&self) -> &Path {
        &self.socket
    }

    /// A handle that stops this server.
    pub fn stopper(&self) -> Stopper {
        Stopper {
            shared: self.shared.clone(),
            socket: self.socket.clone(),
        }
    }

    /// Accepts connections until stopped, then lets in-flight writes finish, flushes the
    /// database and removes the socket file.
    ///
    /// Errors: the final flush failed.
    pub fn run(self) -> anyhow::Result<()> {
        let shared = self.shared;
        shared.log(&format!(
            "serving {} at {}",
            shared.store.path().display(),
            self.socket.display()
        ));
        for note in shared.store.open_notes() {
            shared.log(note);
        }
        for conn in self.listener.incoming() {
            if shared.stopping.load(Ordering::SeqCst) {
                break;
            }
            match conn {
                Ok(stream) => {
                    let s = shared.clone();
                    std::thread::spawn(move || connection(s, stream));
                }
                Err(e) => shared.log(&format!("accept failed: {e}")),
            }
        }
        // In-flight writes hold this lock; taking it waits for them. Later ones are refused.
        let _writes = match shared.writes.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        let synced = shared.store.sync();
        if synced.is_ok() {
            // Connections may still hold the database open until the process ends; nothing
            // more can be written, so its files are as they will stay.
            shared.store.mark_closed();
        }
        let _ = std::fs::remove_file(&self.socket);
        shared.log("stopped; every acknowledged write is on disk");
        synced.map_err(|e| anyhow::anyhow!("final flush: {e}"))
    }
}

/// The user behind one connection.
struct Session {
    actor: Actor,
    service: bool,
}

impl Session {
    /// The role now (staff records can change while connected; a person who left loses
    /// access at once).
    fn role(&self, shared: &Shared) -> Result<Role, Text> {
        if self.service {
            return Ok(Role::Admin);
        }
        shared
            .staff_with_login(&self.actor.login)
            .map(|(_, role)| role)
            .ok_or_else(|| unknown_login(&self.actor.login))
    }
}

fn unknown_login(login: &str) -> Text {
    Text::new(
        format!(
            "OSユーザー「{login}」はkyodoの職員として登録されていません。管理者に `kyodo staff set-login 氏名 {login}` を頼んでください"
        ),
        format!(
            "the OS user '{login}' is not a kyodo staff member; ask an admin to run `kyodo staff set-login NAME {login}`"
        ),
    )
}

fn connection(shared: Arc<Shared>, mut stream: UnixStream) {
    let uid = peer::peer_uid(&stream).ok();
    let _ = stream.set_read_timeout(Some(IO_TIMEOUT));
    let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
    let hello = match read_frame::<_, Request>(&mut stream) {
        Ok(Some(Request::Hello {
            protocol,
            subscribe,
            claimed_login,
        })) => {
            if protocol != PROTOCOL {
                let _ = write_frame(
                    &mut stream,
                    &Reply::Refused(Text::new(
                        format!("kyodoのバージョンがサーバー(プロトコル{PROTOCOL})と合いません"),
                        format!(
                            "this kyodo speaks protocol {protocol}, the server {PROTOCOL}; use the server's kyodo binary"
                        ),
                    )),
                );
                return;
            }
            (subscribe, claimed_login)
        }
        Ok(None) => return,
        Ok(Some(_)) => {
            shared.log("connection closed: it did not start with a hello");
            return;
        }
        Err(e) => {
            shared.log(&format!("connection closed: {e}"));
            return;
        }
    };
    let (subscribe, claimed) = hello;
    let peer_login = uid
        .map(|u| peer::login_of_uid(u).unwrap_or(format!("uid:{u}")))
        .unwrap_or_else(|| "unknown".into());
    let (login, service) = match (shared.identify, claimed) {
        (Identify::ClaimedLoginForTests, Some(l)) => (l, false),
        _ => (peer_login, uid == Some(shared.service_uid)),
    };
    let staff_id = shared.staff_with_login(&login).map(|(id, _)| id);
    let session = Session {
        actor: Actor { login, staff_id },
        service,
    };
    let role = match session.role(&shared) {
        Ok(r) => r,
        Err(t) => {
            shared.log(&format!(
                "refused {}: not a staff member",
                session.actor.login
            ));
            let _ = write_frame(&mut stream, &Reply::Refused(t));
            return;
        }
    };
    // A subscriber is registered before it is welcomed, so no commit after the welcome is
    // missed.
    let notices = subscribe.then(|| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Notice>(NOTICE_QUEUE);
        if let Ok(mut subs) = shared.subscribers.lock() {
            subs.push(tx);
        }
        rx
    });
    if write_frame(
        &mut stream,
        &Reply::Welcome {
            actor: session.actor.clone(),
            role,
        },
    )
    .is_err()
    {
        return;
    }
    if let Some(rx) = notices {
        while let Ok(n) = rx.recv() {
            if write_frame(&mut stream, &Reply::Notice(n)).is_err() {
                break;
            }
        }
        return;
    }
    // A person may leave a screen open all day: no read timeout between requests.
    let _ = stream.set_read_timeout(None);
    let store = shared.store.with_actor(session.actor.clone());
    loop {
        let req = match read_frame::<_, Request>(&mut stream) {
            Ok(Some(r)) => r,
            Ok(None) => return,
            Err(e @ (FrameError::Oversize(_) | FrameError::Malformed(_))) => {
                shared.log(&format!("closed {}'s connection: {e}", session.actor.login));
                return;
            }
            Err(_) => return,
        };
        let sent = match session.role(&shared) {
            Err(t) => write_frame(&mut stream, &Reply::Error(WireError::Denied(t))),
            Ok(role) => respond(&shared, &store, &session, role, req, &mut stream),
        };
        if sent.is_err() {
            return;
        }
    }
}

fn err(e: &StoreError) -> Reply {
    Reply::Error(WireError::from(e))
}

/// Trees a client may read directly (not drafts, versions or the audit trail, which have their
/// own requests).
fn readable(tree: TreeName) -> bool {
    !matches!(
        tree,
        TreeName::Drafts | TreeName::Versions | TreeName::Audit
    )
}

/// A stored value as `role` may see it.
fn shown(tree: TreeName, value: Vec<u8>, role: Role) -> Vec<u8> {
    if tree != TreeName::Consultations || access::sees_summaries(role) {
        return value;
    }
    match crate::store::codec::decode::<Consultation>(&value) {
        Ok(c) => crate::store::codec::encode(&access::redact(c, role)).unwrap_or_default(),
        Err(_) => value,
    }
}

/// An audit entry as `role` may see it: summary changes of consultations are blanked.
fn shown_audit(mut e: AuditEntry, role: Role) -> AuditEntry {
    if !access::sees_summaries(role) && e.record.record_type == TreeName::Consultations.name() {
        for c in &mut e.record.changes {
            if c.field == "summary" {
                c.before = c.before.as_ref().map(|_| "\"\"".to_string());
                c.after = c.after.as_ref().map(|_| "\"\"".to_string());
            }
        }
    }
    e
}

fn respond(
    shared: &Shared,
    store: &Store,
    session: &Session,
    role: Role,
    req: Request,
    out: &mut UnixStream,
) -> Result<(), FrameError> {
    let Some(l) = shared.store.local() else {
        return write_frame(out, &err(&StoreError::Invalid("no database".into())));
    };
    if matches!(req, Request::Repair | Request::Backup)
        && let Err(t) = access::may_administer(role)
    {
        return write_frame(out, &Reply::Error(WireError::Denied(t)));
    }
    let reply = match req {
        Request::Hello { .. } => err(&StoreError::Invalid("hello twice".into())),
        Request::Get { tree, key } if readable(tree) => match l.get_raw(tree, &key) {
            Ok(v) => Reply::Value(v.map(|v| shown(tree, v, role))),
            Err(e) => err(&e),
        },
        Request::Scan {
            tree,
            prefix,
            after,
        } if readable(tree) => pairs(l.page(tree, &prefix, after.as_deref(), |_, v| {
            Some(shown(tree, v.to_vec(), role))
        })),
        Request::ListFy {
            tree,
            index,
            fy,
            after,
        } if readable(tree) && readable(index) => {
            let prefix = keys::fy_prefix(crate::domain::FiscalYear(fy));
            pairs(l.page(index, &prefix, after.as_deref(), |k, _| {
                let id = keys::date_index_id(k)?;
                let v = l.get_raw(tree, &keys::id_key(id)).ok()??;
                Some(shown(tree, v, role))
            }))
        }
        Request::CountFy { index, fy } => {
            Reply::Count(l.count_index(index, crate::domain::FiscalYear(fy)) as u64)
        }
        Request::AuditPage { before } => match l.audit_page(before, 500) {
            Ok((entries, more)) => Reply::Audit {
                entries: entries.into_iter().map(|e| shown_audit(e, role)).collect(),
                more,
            },
            Err(e) => err(&e),
        },
        Request::LatestFy => match store.latest_fy_with_data() {
            Ok(fy) => Reply::Number(fy.map(|f| f.0 as i64)),
            Err(e) => err(&e),
        },
        Request::IsEmpty => Reply::Flag(store.is_empty()),
        Request::TreeLen(t) => Reply::Count(store.tree_len(t) as u64),
        Request::References { kind, id } => match store.references(kind, id) {
            Ok(r) => Reply::Refs(r.iter().map(|(t, n)| (t.to_string(), *n)).collect()),
            Err(e) => err(&e),
        },
        Request::SchemaVersion => match store.schema_version() {
            Ok(v) => Reply::Number(v.map(i64::from)),
            Err(e) => err(&e),
        },
        Request::VerifyAuditChain => Reply::Lines(store.verify_audit_chain()),
        Request::Write(wb) => write(shared, store, session, role, wb),
        Request::PutDraft(d) => match store.put_draft(&session.actor.login, &d) {
            Ok(()) => Reply::Done,
            Err(e) => err(&e),
        },
        Request::GetDraft => match store.draft(&session.actor.login) {
            Ok(d) => Reply::Value(d),
            Err(e) => err(&e),
        },
        Request::DeleteDraft => match store.delete_draft(&session.actor.login) {
            Ok(()) => Reply::Done,
            Err(e) => err(&e),
        },
        Request::Version { tree, key } => match l.version(tree, &key) {
            Ok(v) => Reply::Version(v),
            Err(e) => err(&e),
        },
        Request::Check => Reply::Report(crate::store::check::check(store)),
        Request::Repair => {
            let _w = shared.writes.lock();
            match crate::store::check::repair(store) {
                Ok(r) => {
                    shared.log(&format!(
                        "{} repaired indexes and counters",
                        session.actor.login
                    ));
                    Reply::Repaired(r)
                }
                Err(e) => err(&e),
            }
        }
        Request::Backup => {
            let mut buf = Vec::new();
            let counts = {
                let _w = shared.writes.lock();
                crate::io::backup::write_archive(store, &mut buf)
            };
            return match counts {
                Ok(counts) => {
                    shared.log(&format!(
                        "{} took a backup ({} bytes)",
                        session.actor.login,
                        buf.len()
                    ));
                    // At least one chunk; the last carries the counts.
                    let n = buf.len().div_ceil(PAGE_BYTES).max(1);
                    for i in 0..n {
                        let part = &buf[(i * PAGE_BYTES).min(buf.len())
                            ..((i + 1) * PAGE_BYTES).min(buf.len())];
                        let last = (i + 1 == n).then(|| counts.clone());
                        write_frame(
                            out,
                            &Reply::Chunk {
                                bytes: part.to_vec(),
                                last,
                            },
                        )?;
                    }
                    Ok(())
                }
                Err(t) => write_frame(out, &Reply::Error(WireError::Other(t.en))),
            };
        }
        Request::Get { tree, .. } | Request::Scan { tree, .. } | Request::ListFy { tree, .. } => {
            err(&StoreError::Invalid(format!(
                "{} cannot be read directly",
                tree.name()
            )))
        }
    };
    write_frame(out, &reply)
}

/// A page of pairs as a reply.
fn pairs(page: Result<(Pairs, bool), StoreError>) -> Reply {
    match page {
        Ok((pairs, more)) => Reply::Pairs { pairs, more },
        Err(e) => err(&e),
    }
}

/// Checks every operation of a batch against the role table, then applies it.
fn write(
    shared: &Shared,
    store: &Store,
    session: &Session,
    role: Role,
    wb: crate::store::remote::WireBatch,
) -> Reply {
    if shared.stopping.load(Ordering::SeqCst) {
        return err(&StoreError::Remote(
            "the kyodo server is stopping; nothing was written. Try again when it is back".into(),
        ));
    }
    let batch = match Batch::from_wire(wb) {
        Ok(b) => b,
        Err(e) => return err(&e),
    };
    let today = chrono::Local::now().date_naive();
    let assigned: Vec<u64> = match (role, session.actor.staff_id) {
        (Role::Liaison, Some(me)) => store
            .list::<crate::domain::Assignment>()
            .items
            .into_iter()
            .filter(|a| a.staff_id == me && a.from <= today && a.to.is_none_or(|t| t >= today))
            .map(|a| a.body_id)
            .collect(),
        _ => Vec::new(),
    };
    let touched = batch.touched();
    for (tree, key, json) in &touched {
        let Some(area) = Area::of_type(tree.name()) else {
            return err(&StoreError::Invalid(format!(
                "{} cannot be written",
                tree.name()
            )));
        };
        // A put is judged by the new record, a delete by the stored one; a liaison's update by
        // both, so a meeting cannot be moved out of (or into) a body they are not assigned to.
        let body = |j: &serde_json::Value| j.get("body_id").and_then(|b| b.as_u64());
        let mut bodies: Vec<Option<u64>> = json.iter().map(body).collect();
        if (json.is_none() || role == Role::Liaison)
            && let Some(old) = stored_json(store, *tree, key)
        {
            bodies.push(body(&old));
        }
        if bodies.is_empty() {
            bodies.push(None);
        }
        for b in bodies {
            if let Err(t) = access::may_write(role, area, b, &assigned) {
                return Reply::Error(WireError::Denied(t));
            }
        }
    }
    let Some(l) = store.local() else {
        return err(&StoreError::Invalid("no database".into()));
    };
    let result = {
        let _w = match shared.writes.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        l.write_unsynced(batch, &session.actor)
            .map(|k| (k, shared.committed.fetch_add(1, Ordering::SeqCst) + 1))
    };
    // Group commit: one flush and fsync covers every write committed before it started, so
    // writers arriving together share it. Nobody is answered before their write is on disk.
    let result = result.and_then(|(keys, mine)| {
        let mut synced = match shared.synced.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        if *synced < mine {
            let upto = shared.committed.load(Ordering::SeqCst);
            l.sync()?;
            *synced = upto;
        }
        Ok(keys)
    });
    match result {
        Ok(keys) => {
            let mut trees: Vec<TreeName> = touched.iter().map(|(t, _, _)| *t).collect();
            trees.sort();
            trees.dedup();
            if trees.contains(&TreeName::Staff) {
                shared.forget_staff();
            }
            shared.notify(Notice {
                trees,
                by: session.actor.login.clone(),
                at_ms: chrono::Utc::now().timestamp_millis(),
            });
            Reply::Written(keys)
        }
        Err(e) => err(&e),
    }
}

/// The stored record at `key` in `tree` as JSON, if there is one.
fn stored_json(store: &Store, tree: TreeName, key: &[u8]) -> Option<serde_json::Value> {
    let bytes = store.local()?.get_raw(tree, key).ok()??;
    let decode = records::stored_fn(tree)?;
    decode(&bytes, key).ok().map(|(_, j)| j)
}
