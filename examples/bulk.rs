//! The bulk paths measured as a city would run them (issue 20): generates N consultations as CSV
//! (with the bodies and counselors they name), then runs the release binary's `import`, `backup`,
//! `restore` and `check` as whole processes, each timed with its peak memory (VmHWM, from
//! `/usr/bin/time`), beside `sqlite3 .import` of the same consultations file when sqlite3 is
//! installed. Not a test: it prints figures for the closing note.
//!
//! `cargo build --release && cargo run --release --example bulk -- [N ...]` (default 100000);
//! `KYODO_BIN=PATH` measures another build of kyodo, `KYODO_BEFORE=PATH` runs a second build
//! beside it step by step (a before/after table in one run), `KYODO_BULK_DIR=DIR` keeps the
//! files. The day's automatic backup is off, so import is the import alone.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// One run: wall seconds and peak resident memory in MiB (None when /usr/bin/time is missing).
fn run(what: &str, cmd: &mut Command) -> (f64, Option<f64>) {
    let timed = Path::new("/usr/bin/time").exists();
    let mut c = if timed {
        let mut t = Command::new("/usr/bin/time");
        t.arg("-f").arg("%M").arg(cmd.get_program());
        t.args(cmd.get_args());
        for (k, v) in cmd.get_envs() {
            if let Some(v) = v {
                t.env(k, v);
            }
        }
        t
    } else {
        std::mem::replace(cmd, Command::new("true"))
    };
    let start = Instant::now();
    let out = c.output().expect("the command runs");
    let secs = start.elapsed().as_secs_f64();
    let err = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        panic!("{what} failed: {err}");
    }
    let kib = err.lines().rev().find_map(|l| l.trim().parse::<f64>().ok());
    (secs, kib.map(|k| k / 1024.0))
}

fn write_csv(dir: &Path, n: usize) {
    let bodies: Vec<String> = (0..33)
        .map(|i| format!("第{i}地区まちづくり協議会"))
        .collect();
    let mut b =
        String::from("name,kana,district,branch_office,established_on,households,population\n");
    for (i, name) in bodies.iter().enumerate() {
        b += &format!("{name},だい{i:03}ちく,一関,本庁,2015-04-01,1000,2500\n");
    }
    std::fs::write(dir.join("bodies.csv"), b).unwrap();
    let counselors: Vec<String> = (0..6).map(|i| format!("相談員 {i}")).collect();
    let mut s = String::from("name,kana,organization,section,login,role,active\n");
    for (i, name) in counselors.iter().enumerate() {
        s += &format!(
            "{name},そうだんいん {i},support_center,いちのせき市民活動センター,,counselor,1\n"
        );
    }
    std::fs::write(dir.join("staff.csv"), s).unwrap();
    let mut c = String::with_capacity(n * 160);
    c += "date,counselor,client_type,client_name,channel,categories,people,minutes,summary,case\n";
    let channels = ["電話", "来所", "メール", "訪問"];
    let cats = ["話し合い支援", "団体運営", "資金・助成", "事業企画"];
    let mut x: u64 = 12345;
    for i in 0..n {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let day = (x >> 33) % 730;
        let date = chrono::NaiveDate::from_ymd_opt(2023, 4, 1).unwrap()
            + chrono::Duration::days(day as i64);
        c += &format!(
            "{date},{},地域協働体,{},{},{},{},{},相談 {i} の内容の要約(生成),\n",
            counselors[(x >> 20) as usize % 6],
            bodies[(x >> 24) as usize % 33],
            channels[(x >> 28) as usize % 4],
            cats[(x >> 30) as usize % 4],
            1 + (x >> 40) % 4,
            15 + (x >> 44) % 90,
        );
    }
    std::fs::write(dir.join("consultations.csv"), c).unwrap();
}

fn main() {
    let ns: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let ns = if ns.is_empty() { vec![100_000] } else { ns };
    // KYODO_BIN: another build to measure (e.g. the one before a change), else this tree's;
    // KYODO_BEFORE: a second build run beside it, step by step, on its own copy of the files.
    let bin = std::env::var_os("KYODO_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/kyodo"));
    assert!(
        bin.exists(),
        "build the release binary first: cargo build --release"
    );
    let mut bins = vec![("kyodo", bin)];
    if let Some(b) = std::env::var_os("KYODO_BEFORE") {
        bins.insert(0, ("before", PathBuf::from(b)));
    }
    let kyodo = |bin: &Path, db: &Path| {
        let mut c = Command::new(bin);
        c.arg("--db")
            .arg(db)
            .env("LANG", "C")
            // The day's automatic backup would follow the first command; it is measured as
            // the backup step instead of inside the import.
            .env("KYODO_BACKUP_DIR", "off")
            .env_remove("KYODO_SOCKET");
        c
    };
    println!("| N | build | step | seconds | records/s | peak MiB |");
    println!("|---:|---|---|---:|---:|---:|");
    for n in ns {
        let dir = tempfile::tempdir().unwrap();
        let dir_path = std::env::var_os("KYODO_BULK_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| dir.path().to_path_buf());
        struct D(PathBuf);
        impl D {
            fn path(&self) -> &Path {
                &self.0
            }
        }
        let dir = D(dir_path.join(format!("n{n}")));
        std::fs::create_dir_all(dir.path()).unwrap();
        let csv = dir.path().join("csv");
        std::fs::create_dir(&csv).unwrap();
        write_csv(&csv, n);
        for what in ["import", "backup", "restore", "check"] {
            for (label, bin) in &bins {
                let db = dir.path().join(format!("db-{label}"));
                let archive = dir.path().join(format!("backup-{label}.kyodo"));
                let restored = dir.path().join(format!("restored-{label}"));
                let mut cmd = match what {
                    "import" => {
                        let mut c = kyodo(bin, &db);
                        c.arg("import").arg(&csv);
                        c
                    }
                    "backup" => {
                        let mut c = kyodo(bin, &db);
                        c.arg("backup").arg(&archive);
                        c
                    }
                    "restore" => {
                        let mut c = kyodo(bin, &restored);
                        c.arg("restore").arg(&archive);
                        c
                    }
                    _ => {
                        let mut c = kyodo(bin, &db);
                        c.arg("check");
                        c
                    }
                };
                let (secs, mib) = run(what, &mut cmd);
                println!(
                    "| {n} | {label} | {what} | {secs:.2} | {:.0} | {} |",
                    n as f64 / secs,
                    mib.map_or("-".into(), |m| format!("{m:.0}"))
                );
            }
        }
        if Path::new("/usr/bin/sqlite3").exists() {
            let sq = dir.path().join("s.db");
            let mut c = Command::new("/usr/bin/sqlite3");
            c.arg(&sq).arg(".mode csv").arg(format!(
                ".import {} consultations",
                csv.join("consultations.csv").display()
            ));
            let (secs, mib) = run("sqlite3", &mut c);
            println!(
                "| {n} | sqlite3 | .import | {secs:.2} | {:.0} | {} |",
                n as f64 / secs,
                mib.map_or("-".into(), |m| format!("{m:.0}"))
            );
        }
    }
}
