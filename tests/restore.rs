//! Restore is all or nothing and verified (issue 10, item 6), and automatic backups rotate
//! beside the database (item 3): cut, flipped, edited and inflated archives are refused and
//! leave no directory behind; a refused database is replaced by the latest backup and kept
//! aside; an archive of the older kind restores with a warning.

mod common;

use kyodo::io::restore::restore;
use kyodo::store::Store;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

fn gunzip(b: &[u8]) -> String {
    let mut s = String::new();
    flate2::read::GzDecoder::new(b)
        .read_to_string(&mut s)
        .unwrap();
    s
}

fn gzip(s: &str) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(s.as_bytes()).unwrap();
    e.finish().unwrap()
}

/// A demo database with some audited history, and its archive.
fn archive(dir: &Path) -> (PathBuf, Vec<u8>) {
    let (_d, mut store) = common::demo_store();
    store.set_actor(kyodo::domain::Actor {
        login: "chiba.megumi".into(),
        staff_id: None,
    });
    let mut b = store.list::<kyodo::domain::Body>().items.remove(0);
    b.households += 1;
    store.insert(b).unwrap();
    let file = dir.join("a.backup.gz");
    kyodo::io::backup::backup(&store, &file).unwrap();
    let bytes = std::fs::read(&file).unwrap();
    (file, bytes)
}

/// Restores `bytes` into a new target under `dir`; the error, and that nothing is left behind.
fn refused(dir: &Path, bytes: &[u8]) -> Option<String> {
    let file = dir.join("try.backup.gz");
    std::fs::write(&file, bytes).unwrap();
    let target = dir.join("target");
    let before: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    let r = restore(&target, &file, 500, &|_| {});
    let after: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    match r {
        Err(t) => {
            assert!(
                !target.exists(),
                "a refused restore leaves no database: {}",
                t.en
            );
            assert_eq!(before, after, "and no directory being built");
            Some(t.en)
        }
        Ok(_) => {
            let _ = std::fs::remove_dir_all(&target);
            None
        }
    }
}

/// Sets the trailer's (last line's) digest to the SHA-256 of the lines before it, as a forger
/// who edited them would.
fn redigest(lines: &mut [String]) {
    let last = lines.len() - 1;
    let mut h = <sha2::Sha256 as sha2::Digest>::new();
    for l in &lines[..last] {
        sha2::Digest::update(&mut h, l.as_bytes());
        sha2::Digest::update(&mut h, b"\n");
    }
    let digest: String = sha2::Digest::finalize(h)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let mut trailer: serde_json::Value = serde_json::from_str(&lines[last]).unwrap();
    trailer["sha256"] = serde_json::json!(digest);
    lines[last] = trailer.to_string();
}

#[test]
fn cut_flipped_and_edited_archives_are_refused_leaving_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (_file, bytes) = archive(dir.path());
    for frac in [0.6, 0.9, 0.999] {
        let n = (bytes.len() as f64 * frac) as usize;
        let e = refused(dir.path(), &bytes[..n]).expect("a cut archive is refused");
        assert!(e.contains("cut off") || e.contains("line"), "{frac}: {e}");
    }
    // Ten single-bit flips in the compressed bytes: refused, or (a flip in gzip's header
    // fields, which nothing reads) restored identical.
    for k in 1..=10 {
        let mut b = bytes.clone();
        let i = b.len() * k / 11;
        b[i] ^= 0x04;
        if refused(dir.path(), &b).is_none() {
            let target = dir.path().join("same");
            let f = dir.path().join("same.gz");
            std::fs::write(&f, &b).unwrap();
            restore(&target, &f, 500, &|_| {}).unwrap();
            panic!("a flip at byte {i} restored");
        }
    }
    // A record edited inside the archive.
    let text = gunzip(&bytes);
    let edited = text.replacen("一関地区まちづくり協議会", "一関地区まちづくり協議会X", 1);
    assert_ne!(edited, text);
    let e = refused(dir.path(), &gzip(&edited)).unwrap();
    assert!(e.contains("digest"), "{e}");
    // … and the digest recomputed too: the record no longer reads as its audit trail says.
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let i = lines
        .iter()
        .position(|l| l.contains("\"households\"") && l.starts_with("{\"t\":\"bodies\""))
        .unwrap();
    let audited_id = {
        let audit = lines
            .iter()
            .rev()
            .find(|l| l.contains("\"Update\""))
            .unwrap();
        let v: serde_json::Value = serde_json::from_str(audit).unwrap();
        v["r"]["record"]["record_key"].as_str().unwrap().to_string()
    };
    let i = lines
        .iter()
        .position(|l| {
            l.starts_with("{\"t\":\"bodies\"") && l.contains(&format!("\"id\":{audited_id},"))
        })
        .unwrap_or(i);
    let mut v: serde_json::Value = serde_json::from_str(&lines[i]).unwrap();
    v["r"]["households"] = serde_json::json!(v["r"]["households"].as_u64().unwrap() + 100);
    lines[i] = v.to_string();
    redigest(&mut lines);
    let forged: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let e = refused(dir.path(), &gzip(&forged)).unwrap();
    assert!(e.contains("audit trail"), "{e}");
    // An archive of the older kind (no digest) restores, with a warning.
    let last = lines.len() - 1;
    let mut trailer: serde_json::Value = serde_json::from_str(&lines[last]).unwrap();
    trailer.as_object_mut().unwrap().remove("sha256");
    let old: String = text
        .lines()
        .take(text.lines().count() - 1)
        .map(|l| format!("{l}\n"))
        .chain(std::iter::once(format!("{trailer}\n")))
        .collect();
    let f = dir.path().join("old.backup.gz");
    std::fs::write(&f, gzip(&old)).unwrap();
    let r = restore(&dir.path().join("old"), &f, 500, &|_| {}).unwrap();
    assert!(
        r.warnings[0].en.contains("without a digest"),
        "{:?}",
        r.warnings
    );
}

#[test]
fn a_gzip_bomb_is_refused_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    // A valid header, then a gigabyte of zeros on one line (about 1 MiB compressed).
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(b"{\"format\":\"kyodo-backup\",\"version\":2}\n")
        .unwrap();
    let zeros = vec![b'0'; 1 << 20];
    for _ in 0..1024 {
        e.write_all(&zeros).unwrap();
    }
    let bomb = e.finish().unwrap();
    assert!(bomb.len() < 2 << 20, "{}", bomb.len());
    let file = dir.path().join("bomb.gz");
    std::fs::write(&file, &bomb).unwrap();
    let target = dir.path().join("db");
    #[allow(clippy::zombie_processes)] // reaped by wait4 below, which also gives its rusage
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_kyodo"))
        .arg("--db")
        .arg(&target)
        .arg("restore")
        .arg(&file)
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("KYODO_BACKUP_DIR", "off")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as i32;
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(rc, pid);
    let mut err = String::new();
    child.stderr.unwrap().read_to_string(&mut err).unwrap();
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 1,
        "{err}"
    );
    assert!(err.contains("longer than"), "{err}");
    let peak_mib = usage.ru_maxrss / 1024;
    assert!(peak_mib < 128, "peak {peak_mib} MiB");
    assert!(!target.exists());
}

#[test]
fn a_refused_database_is_replaced_by_the_latest_automatic_backup_and_kept_aside() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let d = db.to_str().unwrap();
    common::kyodo_ok(&["--db", d, "import", "data/demo"]);
    // The first command of the day made the automatic backup beside the database.
    let backups = dir.path().join("db.backups");
    let made: Vec<_> = std::fs::read_dir(&backups).unwrap().flatten().collect();
    assert_eq!(made.len(), 1, "one archive a day");
    common::kyodo_ok(&[
        "--db",
        d,
        "log",
        "tally",
        "--category",
        "広報",
        "--channel",
        "電話",
    ]);
    assert_eq!(
        std::fs::read_dir(&backups).unwrap().count(),
        1,
        "not twice a day"
    );
    // Lose the database's log (as a bad copy or a failed disk would): sled alone would open
    // it empty.
    std::fs::remove_file(db.join("db")).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kyodo"))
        .args(["--db", d, "check"])
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("restore --latest"), "{err}");
    let said = common::kyodo_ok(&["--db", d, "restore", "--latest"]);
    assert!(said.contains("damaged database is kept at"), "{said}");
    let aside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("db.damaged-"))
        .collect();
    assert_eq!(aside.len(), 1);
    let ok = common::kyodo_ok(&["--db", d, "check"]);
    let whole = format!("ok: {} records", common::demo_records());
    assert!(ok.starts_with(&whole), "{ok}");
    // A database that holds records is never replaced.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kyodo"))
        .args(["--db", d, "restore", "--latest"])
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not empty"));
    drop(Store::open(&db).unwrap());
}

/// The audit trail is compared with the records it names by key (issue 20: a restore no longer
/// walks every record into JSON). A record keyed by a name of eight bytes is named in its
/// audit entries by the number those bytes make; it is found, and an edit to it is refused.
#[test]
fn an_audited_record_keyed_by_an_eight_byte_name_restores_and_is_verified() {
    let dir = tempfile::tempdir().unwrap();
    let (_d, mut store) = common::demo_store();
    store.set_actor(kyodo::domain::Actor {
        login: "chiba.megumi".into(),
        staff_id: None,
    });
    let mut ind = store
        .list::<kyodo::domain::Indicator>()
        .items
        .into_iter()
        .next()
        .unwrap();
    ind.id = "peer_hub".into();
    assert_eq!(ind.id.len(), 8);
    ind.name_ja = "八文字の指標".into();
    store.insert(ind).unwrap();
    let file = dir.path().join("eight.backup.gz");
    kyodo::io::backup::backup(&store, &file).unwrap();
    let text = gunzip(&std::fs::read(&file).unwrap());
    let entry = text
        .lines()
        .find(|l| l.contains("\"t\":\"audit\"") && l.contains("八文字の指標"))
        .expect("the insert is audited");
    let key = u64::from_be_bytes(*b"peer_hub").to_string();
    assert!(
        entry.contains(&key),
        "the entry names it by number: {entry}"
    );
    let target = dir.path().join("restored");
    restore(&target, &file, 500, &|_| {}).expect("it restores");
    let back = Store::open(&target).unwrap();
    let got: kyodo::domain::Indicator = back.get(b"peer_hub").unwrap().unwrap();
    assert_eq!(got.name_ja, "八文字の指標");
    drop(back);
    // The same record edited in the archive, its digest made again: refused.
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let i = lines
        .iter()
        .position(|l| l.contains("\"id\":\"peer_hub\"") && !l.contains("\"t\":\"audit\""))
        .unwrap();
    lines[i] = lines[i].replace("八文字の指標", "書き換えた指標");
    redigest(&mut lines);
    let forged: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let e = refused(dir.path(), &gzip(&forged)).unwrap();
    assert!(e.contains("peer_hub") || e.contains(&key), "{e}");
    assert!(e.contains("audit trail"), "{e}");
}
