//! A real `kyodo serve` in this process on a temporary socket, over a copy of the demo data,
//! with clients that claim a login (`Identify::ClaimedLoginForTests`): shared by the server,
//! privacy and staff-bank tests. Stopped and joined when dropped.

use kyodo::server::{Identify, Server, Stopper};
use kyodo::store::Store;
use kyodo::store::framed::{read_frame, write_frame};
use kyodo::store::remote::{PROTOCOL, Reply, Request};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;

pub struct Running {
    pub _dir: tempfile::TempDir,
    pub db: PathBuf,
    pub socket: PathBuf,
    stop: Stopper,
    handle: Option<std::thread::JoinHandle<anyhow::Result<()>>>,
}

impl Running {
    /// The server on the demo data.
    pub fn start() -> Running {
        Running::start_with(|_| {})
    }

    /// The server on the demo data after `prepare` has written to it directly.
    pub fn start_with(prepare: impl FnOnce(&Store)) -> Running {
        let (dir, store) = super::demo_store();
        prepare(&store);
        let db = store.path().to_path_buf();
        let socket = dir.path().join("kyodo.sock");
        let server = Server::bind(
            store,
            &socket,
            Identify::ClaimedLoginForTests,
            Box::new(std::io::sink()),
        )
        .unwrap();
        let stop = server.stopper();
        let handle = std::thread::spawn(move || server.run());
        Running {
            _dir: dir,
            db,
            socket,
            stop,
            handle: Some(handle),
        }
    }

    /// A client store acting as `login`.
    pub fn client(&self, login: &str) -> Store {
        Store::connect_claiming(&self.socket, &self.db, Some(login)).unwrap()
    }

    /// A raw connection that has said hello as `login`.
    pub fn raw(&self, login: &str) -> UnixStream {
        let mut s = UnixStream::connect(&self.socket).unwrap();
        write_frame(
            &mut s,
            &Request::Hello {
                protocol: PROTOCOL,
                subscribe: false,
                claimed_login: Some(login.into()),
            },
        )
        .unwrap();
        assert!(matches!(
            read_frame::<_, Reply>(&mut s).unwrap(),
            Some(Reply::Welcome { .. })
        ));
        s
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop.stop();
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}
