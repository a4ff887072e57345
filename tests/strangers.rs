//! The server bounds strangers (issue 10, item 8), measured on the real `kyodo serve` process
//! from /proc: connections that announce 8 MiB frames before their hello cost it almost nothing
//! and are closed; no more than 64 may wait for a hello; idle connections hold no thread; and a
//! legitimate client is served throughout.

mod common;

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;

/// A field of /proc/<pid>/status (e.g. `VmRSS`, `Threads`), as its first number.
fn status(pid: u32, field: &str) -> u64 {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    s.lines()
        .find(|l| l.starts_with(&format!("{field}:")))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap()
}

/// Whether the server still holds `s` open: a read that would block (nothing arrived, no end).
fn open(s: &mut UnixStream) -> bool {
    s.set_nonblocking(true).unwrap();
    let mut b = [0u8; 1];
    matches!(s.read(&mut b), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock)
}

/// Whether the server closed `s` (a blocking read ends).
fn closed(s: &mut UnixStream) -> bool {
    s.set_nonblocking(false).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    let mut b = Vec::new();
    // A close with our bytes still unread arrives as a reset.
    match s.read_to_end(&mut b) {
        Ok(_) => true,
        Err(e) => e.kind() == std::io::ErrorKind::ConnectionReset,
    }
}

#[test]
fn strangers_cost_the_server_what_they_sent_and_no_thread() {
    let (dir, db) = common::demo_db();
    let d = db.to_str().unwrap().to_string();
    let (mut server, mut log) = common::serve_child(&d);
    std::thread::spawn(move || std::io::copy(&mut log, &mut std::io::sink()));
    let pid = server.id();
    let socket = db.join("kyodo.sock");
    let client = kyodo::store::Store::connect(&socket, &db).unwrap();
    assert!(!client.list::<kyodo::domain::Body>().items.is_empty());
    let rss_before = status(pid, "VmRSS");
    let threads_before = status(pid, "Threads");

    // 100 connections each announcing an 8 MiB frame before any hello, and sending 64 KiB.
    let mut attackers: Vec<UnixStream> = (0..100)
        .map(|_| {
            let mut s = UnixStream::connect(&socket).unwrap();
            let _ = s.write_all(&(8u32 << 20).to_le_bytes());
            let _ = s.write_all(&[0x55; 64 << 10]);
            s
        })
        .collect();
    // A legitimate client is served meanwhile.
    let mut b = kyodo::store::Batch::new();
    b.put(kyodo::domain::ConsultationTally {
        id: 0,
        date: chrono::NaiveDate::from_ymd_opt(2024, 6, 1).unwrap(),
        category: kyodo::domain::Category::Publicity,
        channel: kyodo::domain::Channel::Phone,
        count: 1,
    });
    client.write(b).unwrap();
    for s in attackers.iter_mut() {
        assert!(closed(s), "an oversize hello is refused");
    }
    let rss_after = status(pid, "VmRSS");
    let grown_mib = rss_after.saturating_sub(rss_before) / 1024;
    eprintln!("server RSS {rss_before} kB before, {rss_after} kB after 100 attackers");
    assert!(grown_mib < 16, "the server grew by {grown_mib} MiB");

    // At most 64 silent connections wait for their hello; the rest are closed on arrival.
    let mut silent: Vec<UnixStream> = (0..70)
        .map(|_| UnixStream::connect(&socket).unwrap())
        .collect();
    // The server has seen all 70 once it answers a request made after them.
    assert!(!client.list::<kyodo::domain::Body>().items.is_empty());
    let waiting = silent.iter_mut().map(open).filter(|o| *o).count();
    assert_eq!(waiting, 64, "64 may wait, 6 are turned away");
    drop(silent);

    // 200 idle, authenticated connections hold no thread of the server's.
    let idle: Vec<kyodo::store::Store> = (0..200)
        .map(|_| kyodo::store::Store::connect(&socket, &db).unwrap())
        .collect();
    assert!(!idle[199].list::<kyodo::domain::Staff>().items.is_empty());
    assert_eq!(
        status(pid, "Threads"),
        threads_before,
        "no thread per connection"
    );
    drop(idle);
    assert!(common::terminate(&mut server));
    drop(dir);
}
