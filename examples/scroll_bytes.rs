//! Bytes per keypress over SSH (issue 12): the real binary in a pseudo-terminal at 80x24 on a
//! database of consultations, ↓ pressed 30 times in the consultations list (the view scrolls
//! after about 16 presses), then a key that changes nothing. Prints the bytes each press wrote
//! and the time to its first byte; medians and the figures of presses 23–30 (scrolling).
//!
//! ```sh
//! cargo run --release --example synth -- /tmp/c10k consultations 10000
//! cargo build --release && cargo run --release --example scroll_bytes -- /tmp/c10k
//! KYODO_SCROLL=off cargo run --release --example scroll_bytes -- /tmp/c10k   # plain diff
//! ```

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// Reads until the program has been quiet for `quiet`; returns the bytes and the time of the
/// first one.
fn settle(rx: &Receiver<Vec<u8>>, quiet: Duration, start: Instant) -> (usize, Option<Duration>) {
    let mut n = 0;
    let mut first = None;
    let mut all = Vec::new();
    while let Ok(b) = rx.recv_timeout(quiet) {
        if first.is_none() {
            first = Some(start.elapsed());
        }
        n += b.len();
        all.extend_from_slice(&b);
    }
    // SCROLL_DUMP=FILE appends what each key wrote, escaped, one line per key.
    if let Ok(path) = std::env::var("SCROLL_DUMP") {
        use std::io::Write;
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        {
            let _ = writeln!(f, "{}", String::from_utf8_lossy(&all).escape_debug());
        }
    }
    (n, first)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let db = args.next().expect("usage: scroll_bytes DB [KYODO_BINARY]");
    let bin = args
        .next()
        .unwrap_or_else(|| "target/release/kyodo".to_string());
    let bin = std::fs::canonicalize(&bin).expect("the kyodo binary");
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("pty");
    let mut cmd = CommandBuilder::new(bin);
    cmd.args(["--db", &db]);
    cmd.env("TERM", "xterm-256color");
    cmd.env("LANG", "ja_JP.UTF-8");
    cmd.env("KYODO_BACKUP_DIR", "off");
    if let Ok(v) = std::env::var("KYODO_SCROLL") {
        cmd.env("KYODO_SCROLL", v);
    }
    let mut child = pair.slave.spawn_command(cmd).expect("spawn");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("reader");
    let mut writer = pair.master.take_writer().expect("writer");
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 65536];
        while let Ok(n) = std::io::Read::read(&mut reader, &mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let quiet = Duration::from_millis(150);
    let key = |w: &mut Box<dyn std::io::Write + Send>, k: &[u8]| {
        w.write_all(k).expect("key");
        w.flush().expect("flush");
    };
    let (first, _) = settle(&rx, Duration::from_millis(1500), Instant::now());
    key(&mut writer, b"5");
    // Loading a large year's list may take a while: wait for it to start, then to finish.
    let mut pane = 0;
    if let Ok(b) = rx.recv_timeout(Duration::from_secs(20)) {
        pane = b.len() + settle(&rx, quiet, Instant::now()).0;
    }
    let mut bytes = Vec::new();
    let mut lat = Vec::new();
    for _ in 0..30 {
        let t = Instant::now();
        key(&mut writer, b"\x1b[B");
        let (n, f) = settle(&rx, quiet, t);
        bytes.push(n);
        if let Some(f) = f {
            lat.push(f);
        }
    }
    let t = Instant::now();
    key(&mut writer, b"\x1b[");
    key(&mut writer, b"Z"); // Shift-Tab back and forth is a change; an unbound key is not:
    let _ = settle(&rx, quiet, t);
    key(&mut writer, b"5");
    let _ = settle(&rx, quiet, t);
    let t = Instant::now();
    key(&mut writer, b"~");
    let (noop, _) = settle(&rx, quiet, t);
    key(&mut writer, b"q");
    let _ = child.wait();
    let median = |v: &mut Vec<usize>| {
        v.sort();
        v[v.len() / 2]
    };
    let mut all = bytes.clone();
    let mut scrolling: Vec<usize> = bytes[22..30].to_vec();
    lat.sort();
    println!("first frame {first} bytes; pane switch {pane} bytes");
    println!("bytes per ↓: {bytes:?}");
    println!(
        "median over 30 presses {} bytes, max {}; once scrolling (presses 23-30) median {} bytes",
        median(&mut all),
        bytes.iter().max().unwrap_or(&0),
        median(&mut scrolling)
    );
    println!(
        "key to first byte: median {:.2} ms, max {:.2} ms",
        lat.get(lat.len() / 2)
            .map_or(0.0, |d| d.as_secs_f64() * 1e3),
        lat.last().map_or(0.0, |d| d.as_secs_f64() * 1e3)
    );
    println!("a key that changes nothing: {noop} bytes");
}
