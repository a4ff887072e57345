//! Crash soak (issue 10, item 1): `kyodo log tally` (embedded) or clients of `kyodo serve`
//! killed with SIGKILL at random moments, thousands of times, on one demo database. After each
//! kill the database must open without a person, hold every acknowledged write, and `kyodo
//! check` must be clean every 100 cycles and at the end.
//!
//! `cargo build --release && cargo run --release --example crash_soak -- embedded 3000`
//! `cargo run --release --example crash_soak -- served 1000`
//!
//! Prints: cycles, acknowledged, lost, unopenable, check failures.

use std::process::{Command, Stdio};
use std::time::Duration;

fn kyodo() -> Command {
    let mut c =
        Command::new(std::env::var("KYODO_BIN").unwrap_or_else(|_| "target/release/kyodo".into()));
    c.env_remove("KYODO_SOCKET").env("LANG", "C");
    c
}

fn tally(db: &str) -> Command {
    let mut c = kyodo();
    c.args([
        "--db",
        db,
        "log",
        "tally",
        "--category",
        "話し合い支援",
        "--channel",
        "来所",
        "--date",
        "2024-06-01",
    ]);
    c
}

/// Tallies stored, or `None` when the database does not open.
fn stored(db: &str) -> Option<u64> {
    let out = kyodo()
        .args([
            "--db",
            db,
            "export",
            "consultation_tallies",
            "--fy",
            "2024",
            "--encoding",
            "utf8",
        ])
        .output()
        .ok()?;
    if !out.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&out.stderr));
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    Some(text.lines().skip(1).filter(|l| !l.is_empty()).count() as u64)
}

fn check_ok(db: &str) -> bool {
    kyodo()
        .args(["--db", db, "check"])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map(String::as_str).unwrap_or("embedded");
    let cycles: u64 = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(300);
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("db");
    let db = db.to_str().expect("utf-8 path").to_string();
    let status = kyodo()
        .args(["--db", &db, "import", "data/demo"])
        .stdout(Stdio::null())
        .status()
        .expect("kyodo import");
    assert!(status.success(), "the demo imports");
    let base = stored(&db).unwrap_or(0);
    let (mut acked, mut lost, mut unopenable, mut check_failures) = (0u64, 0u64, 0u64, 0u64);
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut rnd = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n.max(1)
    };
    let mut server: Option<std::process::Child> = None;
    for cycle in 1..=cycles {
        if mode == "served" && server.is_none() {
            let mut s = kyodo()
                .args(["--db", &db, "serve"])
                .stderr(Stdio::piped())
                .spawn()
                .expect("kyodo serve");
            let mut log = std::io::BufReader::new(s.stderr.take().expect("log"));
            let mut first = String::new();
            std::io::BufRead::read_line(&mut log, &mut first).ok();
            std::thread::spawn(move || std::io::copy(&mut log, &mut std::io::sink()));
            server = Some(s);
        }
        // In served mode the server is the one killed, while a client writes.
        let w = tally(&db)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("kyodo log");
        let delay = Duration::from_micros(rnd(30_000));
        std::thread::sleep(delay);
        let victim = match (&server, mode) {
            (Some(s), "served") if rnd(3) == 0 => s.id(),
            _ => w.id(),
        };
        // SAFETY: signalling our own child.
        unsafe { libc::kill(victim as i32, libc::SIGKILL) };
        if server.as_ref().is_some_and(|s| s.id() == victim)
            && let Some(mut s) = server.take()
        {
            let _ = s.wait();
        }
        let out = w.wait_with_output().expect("wait");
        if String::from_utf8_lossy(&out.stdout).starts_with("saved") {
            acked += 1;
        }
        if cycle % 100 == 0 || cycle == cycles {
            if let Some(mut s) = server.take() {
                // SAFETY: signalling our own child.
                unsafe { libc::kill(s.id() as i32, libc::SIGKILL) };
                let _ = s.wait();
            }
            match stored(&db) {
                None => unopenable += 1,
                Some(n) if n < base + acked => lost += base + acked - n,
                Some(_) => {}
            }
            if !check_ok(&db) {
                check_failures += 1;
            }
            eprintln!(
                "{mode}: {cycle} cycles, {acked} acknowledged, {lost} lost, {unopenable} unopenable, {check_failures} check failures"
            );
        }
    }
    println!(
        "{mode}: cycles {cycles}, acknowledged {acked}, lost {lost}, unopenable {unopenable}, check failures {check_failures}"
    );
}
