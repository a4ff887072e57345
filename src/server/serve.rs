//! `kyodo serve`: one process owns the database and answers clients on a Unix socket (issue 6;
//! docs/DESIGN.md, "Shared use on one server").
//!
//! - One event loop ([`super::reactor`]) holds every connection; a small pool of workers
//!   answers requests ([`super::respond`]). An idle connection holds a few bytes, not a thread,
//!   and a stranger cannot make the server hold more than it sent (issue 10, item 8).
//! - The first frame is a hello (at most [`HELLO_MAX`] bytes, within [`HELLO_TIMEOUT`]; at most
//!   [`MAX_PENDING`] connections may be waiting for theirs), answered with the user the server
//!   verified from the socket's peer credentials and their role, or a refusal naming the login.
//! - Writes are serialised by one lock, applied with the verified user as the actor, checked
//!   against the role table, made durable together (group commit) and announced to every
//!   subscribed connection; a subscriber that does not keep up misses notices.
//! - Once a day the server writes an automatic backup beside the database
//!   ([`crate::io::autobackup`]); writes wait while it is made, reads go on.
//! - On stop (SIGTERM), new connections and writes are refused, in-flight requests finish and
//!   the database is flushed before the process exits.

use super::peer;
use crate::domain::{Actor, Role, Staff, Text};
use crate::store::Store;
use crate::store::remote::Notice;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
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

/// Largest hello frame, in bytes: a stranger may not make the server hold more.
pub const HELLO_MAX: usize = 4 << 10;

/// Time a new connection has to send its hello.
pub const HELLO_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections that may be waiting for their hello at once; more are closed on arrival.
pub const MAX_PENDING: usize = 64;

/// Most bytes one connection may upload for one import (256 MiB).
pub const UPLOAD_MAX: usize = 256 << 20;

/// Worker threads answering requests.
pub(super) const WORKERS: usize = 8;

/// Notices queued per subscriber before further ones are dropped for it.
pub(super) const NOTICE_QUEUE: usize = 64;

/// Files as `(name, bytes)`.
type Files = Vec<(String, Vec<u8>)>;

/// The server's state shared by the event loop and the workers.
pub(super) struct Shared {
    pub(super) store: Store,
    pub(super) writes: Mutex<()>,
    /// Writes committed so far (taken under `writes`).
    pub(super) committed: std::sync::atomic::AtomicU64,
    /// Committed writes known to be on disk; held while a sync runs (group commit).
    pub(super) synced: Mutex<u64>,
    staff: Mutex<Option<Vec<Staff>>>,
    pub(super) service_uid: u32,
    pub(super) identify: Identify,
    log: Mutex<Box<dyn Write + Send>>,
    pub(super) stopping: AtomicBool,
    /// Wakes the event loop (set once it runs).
    pub(super) waker: OnceLock<Arc<mio::Waker>>,
    /// Committed changes for the event loop to announce.
    pub(super) notices: Mutex<Vec<Notice>>,
    /// The automatic-backup thread, woken to stop.
    backup_thread: Mutex<Option<std::thread::Thread>>,
    /// Files being uploaded for an import, per connection: `(name, bytes)`.
    uploads: Mutex<std::collections::HashMap<usize, Files>>,
}

impl Shared {
    pub(super) fn log(&self, msg: &str) {
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
    pub(super) fn staff_with_login(&self, login: &str) -> Option<(u64, Role)> {
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

    pub(super) fn forget_staff(&self) {
        if let Ok(mut c) = self.staff.lock() {
            *c = None;
        }
    }

    /// Queues `notice` for every subscriber and wakes the event loop.
    pub(super) fn notify(&self, notice: Notice) {
        if let Ok(mut q) = self.notices.lock() {
            q.push(notice);
        }
        self.wake();
    }

    /// Appends `bytes` to the file `name` being uploaded on connection `conn`.
    ///
    /// Errors: the connection's uploads would pass [`UPLOAD_MAX`].
    pub(super) fn upload(&self, conn: usize, name: String, bytes: Vec<u8>) -> Result<(), Text> {
        let mut u = self.uploads.lock().unwrap_or_else(|p| p.into_inner());
        let files = u.entry(conn).or_default();
        let held: usize = files.iter().map(|(_, b)| b.len()).sum();
        if held + bytes.len() > UPLOAD_MAX {
            files.clear();
            return Err(Text::new(
                format!(
                    "一度に取り込めるのは {} MiB までです。ファイルを分けて取り込んでください",
                    UPLOAD_MAX >> 20
                ),
                format!(
                    "one import through the server may hold at most {} MiB; import the files in parts",
                    UPLOAD_MAX >> 20
                ),
            ));
        }
        match files.iter_mut().find(|(n, _)| *n == name) {
            Some((_, b)) => b.extend_from_slice(&bytes),
            None => files.push((name, bytes)),
        }
        Ok(())
    }

    /// The files uploaded on connection `conn` (forgotten here).
    pub(super) fn take_uploads(&self, conn: usize) -> Vec<(String, Vec<u8>)> {
        self.uploads
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&conn)
            .unwrap_or_default()
    }

    pub(super) fn wake(&self) {
        if let Some(w) = self.waker.get() {
            let _ = w.wake();
        }
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
}

impl Stopper {
    /// Asks the server to stop: no new connections or writes; in-flight requests complete.
    pub fn stop(&self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        self.shared.wake();
        if let Ok(t) = self.shared.backup_thread.lock()
            && let Some(t) = t.as_ref()
        {
            t.unpark();
        }
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
        let lang = crate::i18n::Lang::from_env();
        let said = |ja: String, en: String| anyhow::anyhow!("{}", Text::new(ja, en).get(lang));
        let at = socket.display();
        if store.socket().is_some() {
            return Err(said(
                "kyodo serve にはサーバー経由ではなく、データベースそのものが要ります".into(),
                "kyodo serve needs the database itself, not a server connection".into(),
            ));
        }
        if socket.exists() {
            if UnixStream::connect(socket).is_ok() {
                return Err(said(
                    format!(
                        "{at} ではすでに kyodo サーバーが応答しています。1 つのデータベースを共有できるサーバーは 1 つだけです"
                    ),
                    format!(
                        "a kyodo server already answers at {at}; only one may serve a database"
                    ),
                ));
            }
            std::fs::remove_file(socket).map_err(|e| {
                said(
                    format!("古いソケット {at} を置き換えられません: {e}"),
                    format!("cannot replace the old socket {at}: {e}"),
                )
            })?;
        }
        let listener = UnixListener::bind(socket).map_err(|e| {
            said(
                format!("{at} で待ち受けられません: {e}"),
                format!("cannot listen at {at}: {e}"),
            )
        })?;
        std::fs::set_permissions(socket, std::fs::Permissions::from_mode(0o660))?;
        // The default socket sits in the database directory, which kyodo creates 0700: let
        // the group reach the socket, not list the directory (the files stay 0600).
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
                staff: Mutex::new(None),
                service_uid,
                identify,
                log: Mutex::new(log),
                stopping: AtomicBool::new(false),
                waker: OnceLock::new(),
                notices: Mutex::new(Vec::new()),
                backup_thread: Mutex::new(None),
                uploads: Mutex::new(std::collections::HashMap::new()),
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
        }
    }

    /// Serves until stopped, then lets in-flight requests finish, flushes the database and
    /// removes the socket file.
    ///
    /// Errors: the event loop could not start; the final flush failed.
    pub fn run(self) -> anyhow::Result<()> {
        let shared = self.shared;
        shared.log(&format!(
            "serving {} at {}",
            shared.store.path().display(),
            self.socket.display()
        ));
        for note in shared.store.open_notes() {
            shared.log(&note.en);
        }
        // A database made under a loose umask (an import before the unit's UMask applied, an
        // old kyodo) is tightened: group and others may not read it.
        let keep_search = self.socket.parent() == Some(shared.store.path());
        match crate::store::private::tighten(shared.store.path(), keep_search) {
            Ok(changed) => {
                for c in changed {
                    shared.log(&format!("made private: {c}"));
                }
            }
            Err(e) => shared.log(&format!(
                "cannot check the modes of {}: {e}",
                shared.store.path().display()
            )),
        }
        if let Some(dir) = crate::io::autobackup::dir_for(shared.store.path())
            && dir.exists()
            && let Ok(changed) = crate::store::private::tighten(&dir, false)
        {
            for c in changed {
                shared.log(&format!("made private: {c}"));
            }
        }
        let backups = spawn_backups(shared.clone());
        let served = super::reactor::run(shared.clone(), self.listener);
        // In-flight writes hold this lock; taking it waits for them. Later ones are refused.
        let synced = {
            let _writes = match shared.writes.lock() {
                Ok(g) => g,
                Err(p) => p.into_inner(),
            };
            shared.store.sync()
        };
        if let Some(b) = backups {
            let _ = b.join();
        }
        if synced.is_ok() {
            // Nothing more can be written, so the files are as they will stay.
            shared.store.mark_closed();
        }
        let _ = std::fs::remove_file(&self.socket);
        shared.log("stopped; every acknowledged write is on disk");
        served?;
        synced.map_err(|e| {
            let t = Text::new(
                format!("最後の書き出しに失敗しました: {e}"),
                format!("final flush: {e}"),
            );
            anyhow::anyhow!("{}", t.get(crate::i18n::Lang::from_env()))
        })
    }
}

/// The automatic-backup thread: an archive when one is due (checked at start and hourly),
/// made while writes wait. `None` when automatic backups are off.
fn spawn_backups(shared: Arc<Shared>) -> Option<std::thread::JoinHandle<()>> {
    let dir = crate::io::autobackup::dir_for(shared.store.path())?;
    let keep = crate::io::autobackup::Keep::from_env();
    let s = shared.clone();
    let handle = std::thread::spawn(move || {
        while !s.stopping.load(Ordering::SeqCst) {
            let now = chrono::Local::now().naive_local();
            if crate::io::autobackup::due(&dir, now) {
                let started = std::time::Instant::now();
                let r = {
                    let _w = match s.writes.lock() {
                        Ok(g) => g,
                        Err(p) => p.into_inner(),
                    };
                    crate::io::autobackup::run(&s.store, &dir, keep, now)
                };
                match r {
                    Ok((path, removed)) => s.log(&format!(
                        "automatic backup {} in {} ms; {} old archive(s) removed",
                        path.display(),
                        started.elapsed().as_millis(),
                        removed.len()
                    )),
                    Err(t) => s.log(&format!("automatic backup failed: {}", t.en)),
                }
            }
            std::thread::park_timeout(Duration::from_secs(3600));
        }
    });
    if let Ok(mut t) = shared.backup_thread.lock() {
        *t = Some(handle.thread().clone());
    }
    Some(handle)
}

/// The user behind one connection.
#[derive(Debug, Clone)]
pub(super) struct Session {
    pub(super) actor: Actor,
    pub(super) service: bool,
}

impl Session {
    /// The role now (staff records can change while connected; a person who left loses
    /// access at once).
    pub(super) fn role(&self, shared: &Shared) -> Result<Role, Text> {
        if self.service {
            return Ok(Role::Admin);
        }
        shared
            .staff_with_login(&self.actor.login)
            .map(|(_, role)| role)
            .ok_or_else(|| unknown_login(&self.actor.login))
    }
}

pub(super) fn unknown_login(login: &str) -> Text {
    Text::new(
        format!(
            "OSユーザー「{login}」はkyodoの職員として登録されていません。管理者に `kyodo staff set-login 氏名 {login}` を頼んでください"
        ),
        format!(
            "the OS user '{login}' is not a kyodo staff member; ask an admin to run `kyodo staff set-login NAME {login}`"
        ),
    )
}
