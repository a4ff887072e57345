//! Killed writers and damaged files (issue 10, items 1, 2 and 7). A writer child is killed
//! with SIGKILL at moments chosen by how many writes it has acknowledged (no sleeps), over and
//! over on one database: every acknowledged write is there, the database opens every time
//! without a person, and `check` is clean. Single bits flipped in copies of a fresh and of a
//! long-used database either leave every record intact or are refused with the message that
//! says how to restore; `check` on them ends, under a memory cap.

mod common;

use kyodo::domain::{Category, Channel, ConsultationTally};
use kyodo::store::{Store, TreeName};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

/// Runs this test binary's `child` test in a child process with `mode` and `db`.
fn child_cmd(mode: &str, db: &Path) -> Command {
    let mut c = Command::new(std::env::current_exe().unwrap());
    c.args(["--exact", "child", "--nocapture", "--test-threads=1"])
        .env("KYODO_CRASH_CHILD", mode)
        .env("KYODO_CRASH_DB", db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    c
}

/// The child's side: `write` opens the store and writes tallies forever, printing `ack` after
/// each acknowledged write; `verify` prints the number of tallies and whether check is clean.
/// Without the environment variable (a normal test run) it does nothing.
#[test]
fn child() {
    let Ok(mode) = std::env::var("KYODO_CRASH_CHILD") else {
        return;
    };
    let db = std::env::var("KYODO_CRASH_DB").unwrap();
    let store = match Store::open(Path::new(&db)) {
        Ok(s) => s,
        Err(e) => {
            println!("@@open-failed {e}");
            return;
        }
    };
    match mode.as_str() {
        "write" => loop {
            let t = ConsultationTally {
                id: 0,
                date: chrono::NaiveDate::from_ymd_opt(2024, 6, 1).unwrap(),
                category: Category::DialogueSupport,
                channel: Channel::Visit,
                count: 1,
            };
            store.insert(t).unwrap();
            println!("@@ack");
        },
        _ => {
            let report = kyodo::store::check::check(&store);
            println!(
                "@@tallies {} problems {}",
                store.tree_len(TreeName::ConsultationTallies),
                report.problems.len()
            );
            for p in report.problems.iter().take(3) {
                println!("@@problem {p}");
            }
        }
    }
}

fn verify(db: &Path) -> (u64, String) {
    let out = child_cmd("verify", db).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let line = text
        .lines()
        .find_map(|l| l.split_once("@@").map(|(_, m)| m))
        .unwrap_or_else(|| panic!("the verifier said nothing: {text}"))
        .to_string();
    assert!(
        line.starts_with("tallies "),
        "the database did not open: {line}"
    );
    let n: u64 = line.split(' ').nth(1).unwrap().parse().unwrap();
    assert!(line.ends_with("problems 0"), "check: {text}");
    (n, text)
}

#[test]
fn killed_writers_lose_no_acknowledged_write_and_the_database_always_opens() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    drop(Store::open(&db).unwrap());
    let mut acked = 0u64;
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for cycle in 0..100u64 {
        // xorshift: how many acknowledgements to wait for before the kill (0 = during open).
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let wait = seed % 6;
        let mut w = child_cmd("write", &db).spawn().unwrap();
        let mut lines = BufReader::new(w.stdout.take().unwrap()).lines();
        let mut got = 0;
        while got < wait {
            match lines.next() {
                Some(Ok(l)) if l.ends_with("@@ack") => got += 1,
                Some(Ok(l)) if l.contains("@@open-failed") => panic!("cycle {cycle}: {l}"),
                Some(Ok(_)) => {}
                _ => break,
            }
        }
        // SAFETY: signalling our own child.
        unsafe { libc::kill(w.id() as i32, libc::SIGKILL) };
        // Acknowledgements already written to the pipe before the kill count too.
        for l in lines.map_while(Result::ok) {
            if l.ends_with("@@ack") {
                got += 1;
            }
        }
        w.wait().unwrap();
        acked += got;
        if cycle % 10 == 9 {
            let (n, text) = verify(&db);
            assert!(
                n >= acked,
                "cycle {cycle}: {n} tallies stored, {acked} acknowledged: {text}"
            );
            assert!(
                n <= acked + cycle + 1,
                "at most one unacknowledged write per kill"
            );
        }
    }
    assert!(acked > 100, "the writers got some work done: {acked}");
}

#[test]
fn an_unfinished_snapshot_left_by_a_kill_is_removed_at_open_and_said() {
    let (dir, db) = common::demo_db();
    // What sled leaves when killed while writing a snapshot: the next open used to fail with
    // "Read corrupted data" until a person deleted it.
    let junk = db.join("snap.00000000FFFFFFFF.generating");
    std::fs::write(&junk, b"half a snapshot").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kyodo"))
        .args(["--db", db.to_str().unwrap(), "check"])
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("removed") && err.contains(".generating"),
        "{err}"
    );
    assert!(!junk.exists());
    drop(dir);
}

/// Flips one bit at `pos` of the sled file in a copy of `src`.
fn flipped_copy(src: &Path, pos: u64, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        } else if e.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(to.join(e.file_name())).unwrap();
        }
    }
    let p = to.join("db");
    let mut b = std::fs::read(&p).unwrap();
    let i = (pos as usize).min(b.len() - 1);
    b[i] ^= 0x10;
    std::fs::write(&p, b).unwrap();
}

/// `kyodo --db D check` with its address space capped at 1 GiB: its exit code and output.
fn capped_check(db: &Path) -> (Option<i32>, String) {
    use std::os::unix::process::CommandExt;
    let mut c = Command::new(env!("CARGO_BIN_EXE_kyodo"));
    c.arg("--db")
        .arg(db)
        .arg("check")
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    // SAFETY: setrlimit in the child before exec; no allocation.
    unsafe {
        c.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: 1 << 30,
                rlim_max: 1 << 30,
            };
            libc::setrlimit(libc::RLIMIT_AS, &lim);
            Ok(())
        });
    }
    let out = c.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), text)
}

#[test]
fn a_flipped_bit_leaves_every_record_or_is_refused_with_how_to_restore() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("fresh");
    common::kyodo_ok(&["--db", fresh.to_str().unwrap(), "import", "data/demo"]);
    let used = dir.path().join("used");
    common::kyodo_ok(&["--db", used.to_str().unwrap(), "import", "data/demo"]);
    for _ in 0..20 {
        common::kyodo_ok(&[
            "--db",
            used.to_str().unwrap(),
            "log",
            "tally",
            "--category",
            "話し合い支援",
            "--channel",
            "来所",
        ]);
    }
    let mut table = Vec::new();
    let demo = common::demo_records();
    for (name, src, records) in [("fresh", &fresh, demo), ("used", &used, demo + 20)] {
        let size = std::fs::metadata(src.join("db")).unwrap().len();
        let (mut intact, mut refused) = (0, 0);
        for k in 1..=24u64 {
            let pos = size * k / 25;
            let copy = dir.path().join("copy");
            flipped_copy(src, pos, &copy);
            let (code, text) = capped_check(&copy);
            let whole = format!("ok: {records} records");
            if code == Some(0) && text.contains(&whole) {
                intact += 1;
            } else if code == Some(1) && text.contains("restore --latest") {
                refused += 1;
            } else {
                panic!(
                    "{name} copy, bit flipped at {pos}: neither intact nor refused ({code:?}): {text}"
                );
            }
        }
        table.push((name, intact, refused));
    }
    eprintln!("bit flips (copy, intact, refused): {table:?}");
}
