//! The server's event loop (issue 10, item 8): every connection lives here as a few buffers,
//! not a thread. Bytes are read as they arrive (a buffer grows with what arrived, never with
//! what a length prefix claims); a frame is decoded only when it is whole; a connection waiting
//! for its hello may send at most [`HELLO_MAX`] bytes within [`HELLO_TIMEOUT`], and at most
//! [`MAX_PENDING`] may wait at once. Hellos are answered here; requests go to a small pool of
//! workers ([`super::respond`]), one at a time per connection, and their replies come back to be
//! written without blocking. Change notices are queued per subscriber (at most
//! [`NOTICE_QUEUE`]); a connection whose person no longer has access is closed.

use super::serve::{
    HELLO_MAX, HELLO_TIMEOUT, Identify, MAX_PENDING, NOTICE_QUEUE, Session, Shared, WORKERS,
    unknown_login,
};
use super::{peer, respond};
use crate::domain::{Actor, Text};
use crate::store::TreeName;
use crate::store::framed::parse_frame;
use crate::store::remote::{PROTOCOL, Reply, Request};
use mio::net::{UnixListener, UnixStream};
use mio::{Events, Interest, Poll, Token};
use std::collections::{HashMap, VecDeque};
use std::io::{ErrorKind, Read, Write};
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Instant;

mod output;
use output::{flush, write_now};

const LISTENER: Token = Token(0);
const WAKER: Token = Token(1);

/// Largest frame an authenticated client may send.
const MAX_FRAME: usize = crate::wire::frame::MAX_FRAME_BYTES;

/// Where a connection is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Waiting for its hello (since the instant).
    Hello(Instant),
    /// Making requests.
    Ready,
    /// Receiving notices.
    Subscriber,
}

struct Conn {
    stream: UnixStream,
    phase: Phase,
    session: Option<Session>,
    inbuf: Vec<u8>,
    out: VecDeque<Vec<u8>>,
    /// Bytes of `out`'s first buffer already written.
    written: usize,
    /// A request of it is with a worker.
    busy: bool,
    /// Close once `out` is written.
    closing: bool,
    writable: bool,
}

impl Conn {
    fn limit(&self) -> usize {
        match self.phase {
            Phase::Hello(_) => HELLO_MAX,
            _ => MAX_FRAME,
        }
    }
}

/// A request handed to a worker, and what of its reply the worker could not write.
struct Job {
    token: Token,
    /// The connection's socket: the worker writes the reply itself (the reactor does not close
    /// or write to a connection while a request of it is with a worker).
    fd: std::os::fd::RawFd,
    session: Session,
    request: Request,
}

struct Done {
    token: Token,
    /// The part of the reply the socket did not take at once.
    rest: Vec<u8>,
    /// The socket is broken.
    broken: bool,
}

/// Runs the event loop on `listener` until the server is stopped and no request is in flight.
///
/// Errors: the poller or waker could not be made.
pub(super) fn run(
    shared: Arc<Shared>,
    listener: std::os::unix::net::UnixListener,
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let mut listener = UnixListener::from_std(listener);
    let mut poll = Poll::new()?;
    poll.registry()
        .register(&mut listener, LISTENER, Interest::READABLE)?;
    let waker = Arc::new(mio::Waker::new(poll.registry(), WAKER)?);
    let _ = shared.waker.set(waker.clone());
    let (job_tx, job_rx) = mpsc::channel::<Job>();
    let (done_tx, done_rx) = mpsc::channel::<Done>();
    let job_rx = Arc::new(Mutex::new(job_rx));
    let mut workers = Vec::new();
    for _ in 0..WORKERS {
        let (rx, tx, s, w) = (
            job_rx.clone(),
            done_tx.clone(),
            shared.clone(),
            waker.clone(),
        );
        workers.push(std::thread::spawn(move || {
            loop {
                let job = match rx.lock() {
                    Ok(r) => r.recv(),
                    Err(_) => return,
                };
                let Ok(job) = job else { return };
                let bytes = respond::answer(&s, job.token.0, &job.session, job.request);
                let (rest, broken) = match write_now(job.fd, &bytes) {
                    Ok(rest) => (rest, false),
                    Err(_) => (Vec::new(), true),
                };
                if tx
                    .send(Done {
                        token: job.token,
                        rest,
                        broken,
                    })
                    .is_err()
                {
                    return;
                }
                let _ = w.wake();
            }
        }));
    }
    drop(done_tx);
    let mut r = Reactor {
        shared,
        conns: HashMap::new(),
        next: 2,
        jobs: job_tx,
        listening: true,
    };
    let mut events = Events::with_capacity(256);
    loop {
        let timeout = r
            .next_deadline()
            .map(|d| d.saturating_duration_since(Instant::now()));
        if let Err(e) = poll.poll(&mut events, timeout)
            && e.kind() != ErrorKind::Interrupted
        {
            return Err(e);
        }
        for ev in events.iter() {
            match ev.token() {
                LISTENER => r.accept(&mut listener, &poll),
                WAKER => {}
                t => r.io(t, &poll),
            }
        }
        while let Ok(d) = done_rx.try_recv() {
            r.done(d, &poll);
        }
        r.announce(&poll);
        r.expire_hellos(&poll);
        if r.shared.stopping.load(Ordering::SeqCst) {
            if r.listening {
                let _ = poll.registry().deregister(&mut listener);
                r.listening = false;
                r.conns.retain(|_, c| c.busy || !c.out.is_empty());
            }
            if r.conns.values().all(|c| !c.busy) {
                break;
            }
        }
    }
    r.finish();
    drop(r);
    for w in workers {
        let _ = w.join();
    }
    Ok(())
}

struct Reactor {
    shared: Arc<Shared>,
    conns: HashMap<Token, Conn>,
    next: usize,
    jobs: mpsc::Sender<Job>,
    listening: bool,
}

impl Reactor {
    /// On stop: what is still queued for a client (the reply to a request that was in flight)
    /// is written with a blocking write, for at most a second each.
    fn finish(&mut self) {
        use std::os::fd::{FromRawFd, IntoRawFd};
        for (_, c) in self.conns.drain() {
            if c.out.is_empty() {
                continue;
            }
            // SAFETY: the descriptor is taken from the mio stream, which no longer owns it.
            let mut s =
                unsafe { std::os::unix::net::UnixStream::from_raw_fd(c.stream.into_raw_fd()) };
            let _ = s.set_nonblocking(false);
            let _ = s.set_write_timeout(Some(std::time::Duration::from_secs(1)));
            for (i, b) in c.out.iter().enumerate() {
                let from = if i == 0 { c.written } else { 0 };
                if s.write_all(&b[from..]).is_err() {
                    break;
                }
            }
        }
    }

    fn next_deadline(&self) -> Option<Instant> {
        self.conns
            .values()
            .filter_map(|c| match c.phase {
                Phase::Hello(t) => Some(t + HELLO_TIMEOUT),
                _ => None,
            })
            .min()
    }

    fn pending(&self) -> usize {
        self.conns
            .values()
            .filter(|c| matches!(c.phase, Phase::Hello(_)))
            .count()
    }

    fn accept(&mut self, listener: &mut UnixListener, poll: &Poll) {
        loop {
            match listener.accept() {
                Ok((mut stream, _)) => {
                    if self.shared.stopping.load(Ordering::SeqCst) {
                        continue;
                    }
                    if self.pending() >= MAX_PENDING {
                        // Dropped unanswered: too many strangers are waiting already.
                        continue;
                    }
                    let token = Token(self.next);
                    self.next += 1;
                    if poll
                        .registry()
                        .register(&mut stream, token, Interest::READABLE)
                        .is_err()
                    {
                        continue;
                    }
                    self.conns.insert(
                        token,
                        Conn {
                            stream,
                            phase: Phase::Hello(Instant::now()),
                            session: None,
                            inbuf: Vec::new(),
                            out: VecDeque::new(),
                            written: 0,
                            busy: false,
                            closing: false,
                            writable: false,
                        },
                    );
                    self.io(token, poll);
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => {
                    self.shared.log(&format!("accept failed: {e}"));
                    return;
                }
            }
        }
    }

    fn close(&mut self, token: Token, poll: &Poll, why: Option<String>) {
        self.shared.take_uploads(token.0);
        if let Some(mut c) = self.conns.remove(&token) {
            let _ = poll.registry().deregister(&mut c.stream);
            if let Some(why) = why {
                let who = c
                    .session
                    .as_ref()
                    .map(|s| s.actor.login.clone())
                    .unwrap_or_else(|| "a connection before its hello".into());
                self.shared.log(&format!("closed {who}: {why}"));
            }
        }
    }

    /// Reads what arrived, writes what is queued, and takes the next request, for `token`.
    fn io(&mut self, token: Token, poll: &Poll) {
        let Some(c) = self.conns.get_mut(&token) else {
            return;
        };
        let mut eof = false;
        let mut chunk = [0u8; 16 << 10];
        // Read while there is room for one more frame than is being handled.
        while c.inbuf.len() <= c.limit() + 4 {
            match c.stream.read(&mut chunk) {
                Ok(0) => {
                    eof = true;
                    break;
                }
                Ok(n) => c.inbuf.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => {
                    eof = true;
                    break;
                }
            }
        }
        if let Err(e) = flush(c) {
            let _ = e;
            self.close(token, poll, None);
            return;
        }
        if self
            .conns
            .get(&token)
            .is_some_and(|c| c.closing && c.out.is_empty())
        {
            self.close(token, poll, None);
            return;
        }
        self.advance(token, poll);
        if eof && self.conns.get(&token).is_some_and(|c| !c.busy) {
            self.close(token, poll, None);
        } else {
            self.interest(token, poll);
        }
    }

    /// Registers for writability while output is queued.
    fn interest(&mut self, token: Token, poll: &Poll) {
        if let Some(c) = self.conns.get_mut(&token) {
            let want = !c.out.is_empty();
            if want != c.writable {
                let i = if want {
                    Interest::READABLE | Interest::WRITABLE
                } else {
                    Interest::READABLE
                };
                if poll.registry().reregister(&mut c.stream, token, i).is_ok() {
                    c.writable = want;
                }
            }
        }
    }

    /// Takes the next whole frame of `token`, unless one is being answered or a reply is still
    /// being written (so a client that does not read cannot make replies pile up).
    fn advance(&mut self, token: Token, poll: &Poll) {
        let Some(c) = self.conns.get_mut(&token) else {
            return;
        };
        if c.busy || !c.out.is_empty() || c.closing {
            return;
        }
        let req = match parse_frame::<Request>(&c.inbuf, c.limit()) {
            Ok(Some((req, used))) => {
                c.inbuf.drain(..used);
                req
            }
            Ok(None) => {
                if c.inbuf.len() > c.limit() + 4 {
                    self.close(
                        token,
                        poll,
                        Some("sent more than one frame may hold".into()),
                    );
                }
                return;
            }
            Err(e) => {
                self.close(token, poll, Some(e.to_string()));
                return;
            }
        };
        match c.phase {
            Phase::Hello(_) => self.hello(token, req, poll),
            Phase::Subscriber => {
                self.close(token, poll, Some("a subscriber made a request".into()));
            }
            Phase::Ready => {
                let Some(session) = c.session.clone() else {
                    return;
                };
                c.busy = true;
                let fd = std::os::fd::AsRawFd::as_raw_fd(&c.stream);
                let _ = self.jobs.send(Job {
                    token,
                    fd,
                    session,
                    request: req,
                });
            }
        }
    }

    fn reply(&mut self, token: Token, bytes: Vec<u8>, poll: &Poll) {
        if let Some(c) = self.conns.get_mut(&token) {
            c.out.push_back(bytes);
            if flush(c).is_err() {
                self.close(token, poll, None);
                return;
            }
        }
        self.interest(token, poll);
    }

    fn hello(&mut self, token: Token, req: Request, poll: &Poll) {
        let Request::Hello {
            protocol,
            subscribe,
            claimed_login,
        } = req
        else {
            self.close(token, poll, Some("it did not start with a hello".into()));
            return;
        };
        let refuse = |r: &mut Reactor, t: Text| {
            if let Some(c) = r.conns.get_mut(&token) {
                c.closing = true;
            }
            r.reply(token, respond::frame(&Reply::Refused(t)), poll);
        };
        if protocol != PROTOCOL {
            refuse(
                self,
                Text::new(
                    format!("kyodoのバージョンがサーバー(プロトコル{PROTOCOL})と合いません"),
                    format!(
                        "this kyodo speaks protocol {protocol}, the server {PROTOCOL}; use the server's kyodo binary"
                    ),
                ),
            );
            return;
        }
        let Some(c) = self.conns.get(&token) else {
            return;
        };
        let uid = peer::peer_uid(&c.stream).ok();
        let peer_login = uid
            .map(|u| peer::login_of_uid(u).unwrap_or(format!("uid:{u}")))
            .unwrap_or_else(|| "unknown".into());
        let (login, service) = match (self.shared.identify, claimed_login) {
            (Identify::ClaimedLoginForTests, Some(l)) => (l, false),
            _ => (peer_login, uid == Some(self.shared.service_uid)),
        };
        let staff_id = self.shared.staff_with_login(&login).map(|(id, _)| id);
        let session = Session {
            actor: Actor { login, staff_id },
            service,
        };
        let role = match session.role(&self.shared) {
            Ok(r) => r,
            Err(t) => {
                self.shared.log(&format!(
                    "refused {}: not a staff member",
                    session.actor.login
                ));
                refuse(self, t);
                return;
            }
        };
        let welcome = respond::frame(&Reply::Welcome {
            actor: session.actor.clone(),
            role,
        });
        if let Some(c) = self.conns.get_mut(&token) {
            c.phase = if subscribe {
                Phase::Subscriber
            } else {
                Phase::Ready
            };
            c.session = Some(session);
        }
        self.reply(token, welcome, poll);
    }

    fn done(&mut self, d: Done, poll: &Poll) {
        if let Some(c) = self.conns.get_mut(&d.token) {
            c.busy = false;
        }
        if d.broken {
            self.close(d.token, poll, None);
            return;
        }
        if !d.rest.is_empty() {
            self.reply(d.token, d.rest, poll);
        }
        // The next request may already be waiting in the buffer (or in the socket).
        self.io(d.token, poll);
    }

    /// Sends queued change notices to every subscriber; after a change of staff, closes the
    /// connections of people who no longer have access.
    fn announce(&mut self, poll: &Poll) {
        let notices: Vec<_> = match self.shared.notices.lock() {
            Ok(mut q) => std::mem::take(&mut *q),
            Err(_) => return,
        };
        if notices.is_empty() {
            return;
        }
        let staff_changed = notices.iter().any(|n| n.trees.contains(&TreeName::Staff));
        let frames: Vec<Vec<u8>> = notices
            .into_iter()
            .map(|n| respond::frame(&Reply::Notice(n)))
            .collect();
        let subs: Vec<Token> = self
            .conns
            .iter()
            .filter(|(_, c)| c.phase == Phase::Subscriber)
            .map(|(t, _)| *t)
            .collect();
        for t in subs {
            for f in &frames {
                if self
                    .conns
                    .get(&t)
                    .is_some_and(|c| c.out.len() < NOTICE_QUEUE)
                {
                    self.reply(t, f.clone(), poll);
                }
            }
        }
        if staff_changed {
            let gone: Vec<(Token, String)> = self
                .conns
                .iter()
                .filter_map(|(t, c)| {
                    let s = c.session.as_ref()?;
                    (!s.service && self.shared.staff_with_login(&s.actor.login).is_none())
                        .then(|| (*t, s.actor.login.clone()))
                })
                .collect();
            for (t, login) in gone {
                let bye = respond::frame(&Reply::Refused(unknown_login(&login)));
                if let Some(c) = self.conns.get_mut(&t) {
                    c.closing = true;
                    if c.busy {
                        continue;
                    }
                }
                self.shared
                    .log(&format!("closed {login}: no longer an active staff member"));
                self.reply(t, bye, poll);
                if self.conns.get(&t).is_some_and(|c| c.out.is_empty()) {
                    self.close(t, poll, None);
                }
            }
        }
    }

    /// Closes connections that did not say hello in time.
    fn expire_hellos(&mut self, poll: &Poll) {
        let now = Instant::now();
        let late: Vec<Token> = self
            .conns
            .iter()
            .filter(|(_, c)| matches!(c.phase, Phase::Hello(t) if now >= t + HELLO_TIMEOUT))
            .map(|(t, _)| *t)
            .collect();
        for t in late {
            self.close(t, poll, None);
        }
    }
}
