//! Bulk paths (issue 20): an import streams its files and writes as it reads, yet stays all or
//! nothing: refused after chunks were written, or killed part-way (SIGKILL, at a moment chosen
//! by how many chunks the child has written, no sleeps), the database is as it was before it.
//! Files are read a block at a time in either encoding, with characters across the blocks.

mod common;

use kyodo::domain::{Category, Channel, Consultation, ConsultationTally};
use kyodo::store::{Store, TreeName};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

/// Runs this test binary's `child` test in a child process on `db`.
fn child_cmd(db: &Path) -> Command {
    let mut c = Command::new(std::env::current_exe().unwrap());
    c.args(["--exact", "child", "--nocapture", "--test-threads=1"])
        .env("KYODO_BULK_CHILD_DB", db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    c
}

fn tally(day: u32) -> ConsultationTally {
    ConsultationTally {
        id: 0,
        date: chrono::NaiveDate::from_ymd_opt(2024, 6, day).unwrap(),
        category: Category::DialogueSupport,
        channel: Channel::Visit,
        count: 1,
    }
}

/// The child's side: an undoable bulk write of tallies, 500 per chunk, printing `@@chunk`
/// after each, that never finishes (it is killed). Does nothing in a normal test run.
#[test]
fn child() {
    let Ok(db) = std::env::var("KYODO_BULK_CHILD_DB") else {
        return;
    };
    let store = Store::open(Path::new(&db)).unwrap();
    let mut bulk = store.bulk(true).unwrap();
    for _ in 0..10_000 {
        let chunk: Vec<Box<dyn kyodo::store::records::ErasedRecord>> = (0..500)
            .map(|i| Box::new(tally(1 + i % 28)) as Box<dyn kyodo::store::records::ErasedRecord>)
            .collect();
        bulk.put_new(chunk).unwrap();
        println!("@@chunk");
    }
    // Never reached in the test: the parent kills it first.
    std::mem::forget(bulk);
}

#[test]
fn a_bulk_write_killed_part_way_is_undone_when_the_database_is_next_opened() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    {
        let store = Store::open(&db).unwrap();
        for d in 1..=3 {
            store.insert(tally(d)).unwrap();
        }
    }
    for wait in [1usize, 4] {
        let mut w = child_cmd(&db).spawn().unwrap();
        let mut lines = BufReader::new(w.stdout.take().unwrap()).lines();
        let mut got = 0;
        while got < wait {
            match lines.next() {
                Some(Ok(l)) if l.ends_with("@@chunk") => got += 1,
                Some(Ok(_)) => {}
                _ => panic!("the child stopped before writing {wait} chunks"),
            }
        }
        // SAFETY: signalling our own child.
        unsafe { libc::kill(w.id() as i32, libc::SIGKILL) };
        w.wait().unwrap();
        let store = Store::open(&db).unwrap();
        let notes: Vec<String> = store.open_notes().iter().map(|n| n.en.clone()).collect();
        assert!(
            notes.iter().any(|n| n.contains("undid an import")),
            "{notes:?}"
        );
        assert_eq!(store.tree_len(TreeName::ConsultationTallies), 3);
        let report = kyodo::store::check::check(&store);
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        // Opened again, nothing more is undone or said.
        drop(store);
        let store = Store::open(&db).unwrap();
        assert!(
            store
                .open_notes()
                .iter()
                .all(|n| !n.en.contains("undid an import"))
        );
    }
}

/// Files for an import: two bodies, one counselor, and `n` consultations (then `extra` lines).
fn files(dir: &Path, n: usize, extra: &str) {
    std::fs::write(
        dir.join("bodies.csv"),
        "name,kana,district,branch_office,established_on,households,population\n\
         東地区まちづくり協議会,ひがし,一関,本庁,2015-04-01,1000,2500\n\
         西地区まちづくり協議会,にし,一関,本庁,2015-04-01,900,2100\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("staff.csv"),
        "name,kana,organization,section,login,role,active\n\
         相談 一郎,そうだん いちろう,support_center,いちのせき市民活動センター,,counselor,1\n",
    )
    .unwrap();
    let mut c = String::from(
        "date,counselor,client_type,client_name,channel,categories,people,minutes,summary,case\n",
    );
    for i in 0..n {
        let body = ["東地区まちづくり協議会", "西地区まちづくり協議会"][i % 2];
        c += &format!(
            "2024-05-{:02},相談 一郎,地域協働体,{body},電話,話し合い支援,2,30,相談 {i} の要約・話し合いの進め方,\n",
            1 + i % 28
        );
    }
    c += extra;
    std::fs::write(dir.join("consultations.csv"), c).unwrap();
}

#[test]
fn an_import_refused_after_chunks_were_written_leaves_the_database_as_it_was() {
    let (dir, store) = common::empty_store();
    let first = dir.path().join("first");
    std::fs::create_dir(&first).unwrap();
    files(&first, 10, "");
    kyodo::io::import::import_path(&store, &first).unwrap();
    let audit_before = store.tree_len(TreeName::Audit);
    let counts_before = store.fy_counts(kyodo::domain::FiscalYear(2024)).unwrap();
    // 2,600 good rows (two chunks written before the bad one is read), then a bad date.
    let second = dir.path().join("second");
    std::fs::create_dir(&second).unwrap();
    let bad = "2024-13-40,相談 一郎,地域協働体,東地区まちづくり協議会,電話,話し合い支援,2,30,x,\n";
    files(&second, 2_600, bad);
    let err = kyodo::io::import::import_path(&store, &second).unwrap_err();
    let kyodo::io::import::ImportError::Rows(rows) = &err else {
        panic!("{err}");
    };
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        (rows[0].file.as_str(), rows[0].line),
        ("consultations.csv", 2_602)
    );
    assert_eq!(store.list::<Consultation>().items.len(), 10);
    assert_eq!(store.tree_len(TreeName::Audit), audit_before);
    assert_eq!(
        store.fy_counts(kyodo::domain::FiscalYear(2024)).unwrap(),
        counts_before,
        "the counters are as before"
    );
    let report = kyodo::store::check::check(&store);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    // The same rows without the bad one go in (the first ten are the ten already stored),
    // with one audit entry for the import.
    files(&second, 2_600, "");
    let summary = kyodo::io::import::import_path(&store, &second).unwrap();
    let t = summary
        .outcome
        .iter()
        .find(|(k, _)| k == "consultations")
        .map(|(_, t)| *t)
        .unwrap();
    assert_eq!((t.added, t.unchanged), (2_590, 10));
    assert_eq!(store.list::<Consultation>().items.len(), 2_600);
    assert_eq!(store.tree_len(TreeName::Audit), audit_before + 1);
    let report = kyodo::store::check::check(&store);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

#[test]
fn files_are_read_in_blocks_in_either_encoding_with_characters_across_the_blocks() {
    // Rows long enough that the 64 KiB blocks end inside characters, over several blocks.
    for (enc, bom) in [("cp932", false), ("utf8", true), ("utf8", false)] {
        let (dir, store) = common::empty_store();
        let src = dir.path().join("csv");
        std::fs::create_dir(&src).unwrap();
        files(&src, 3_000, "");
        let path = src.join("consultations.csv");
        let text = std::fs::read_to_string(&path).unwrap();
        let bytes = match (enc, bom) {
            ("cp932", _) => encoding_rs::SHIFT_JIS.encode(&text).0.into_owned(),
            (_, true) => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
            _ => text.into_bytes(),
        };
        assert!(bytes.len() > 4 * 65_536, "{}", bytes.len());
        std::fs::write(&path, &bytes).unwrap();
        kyodo::io::import::import_path(&store, &src).unwrap();
        let mut all = store.list::<Consultation>().items;
        assert_eq!(all.len(), 3_000, "{enc}");
        all.sort_by_key(|c| c.id);
        assert_eq!(all[2_999].summary, "相談 2999 の要約・話し合いの進め方");
        assert!(
            all.iter().all(|c| c.summary.ends_with("話し合いの進め方")),
            "{enc}: a character broken at a block's end"
        );
    }
}

#[test]
fn a_bad_byte_deep_in_a_large_file_is_placed_at_its_line_and_cell() {
    let (dir, store) = common::empty_store();
    let src = dir.path().join("csv");
    std::fs::create_dir(&src).unwrap();
    files(&src, 3_000, "");
    let path = src.join("consultations.csv");
    let mut bytes = std::fs::read(&path).unwrap();
    // Row 2,500 is line 2,502 (after the header); the bad byte is in its summary (cell 9).
    let line_start = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(2_499)
        .map(|(i, _)| i + 1)
        .unwrap();
    let at = line_start
        + bytes[line_start..]
            .windows("相談 2500".len())
            .position(|w| w == "相談 2500".as_bytes())
            .unwrap();
    bytes[at] = 0xFF;
    std::fs::write(&path, &bytes).unwrap();
    let err = kyodo::io::import::import_path(&store, &src).unwrap_err();
    let kyodo::io::import::ImportError::Rows(rows) = &err else {
        panic!("{err}");
    };
    assert_eq!((rows[0].line, rows[0].col), (2_502, 9), "{rows:?}");
    assert!(
        rows[0].message.en.contains("0xFF"),
        "{}",
        rows[0].message.en
    );
    assert!(store.list::<Consultation>().items.is_empty());
}

#[test]
fn the_bulk_commands_say_nothing_on_stderr_when_it_is_not_a_terminal() {
    let (dir, db) = common::demo_db();
    let archive = dir.path().join("b.gz");
    for args in [
        vec!["check"],
        vec!["backup", archive.to_str().unwrap()],
        vec!["export", "consultations"],
    ] {
        let out = common::kyodo_cmd()
            .env("KYODO_BACKUP_DIR", "off")
            .arg("--db")
            .arg(&db)
            .args(&args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !err.contains('[') && !err.contains('%'),
            "{args:?}: no progress bar: {err}"
        );
    }
}

/// `kyodo check` walks a large record tree in two parts on two threads (issue 20); what it
/// reports is what one walk in key order would: every record counted once, unreadable records
/// and references to missing records in key order, whichever part they are in.
#[test]
fn check_walks_a_large_tree_in_two_parts_and_reports_as_one_walk_would() {
    let (_d, store) = common::demo_store();
    let staff = store.list::<kyodo::domain::Staff>();
    let counselor = staff.items[0].id;
    let template = Consultation {
        id: 0,
        date: chrono::NaiveDate::from_ymd_opt(2024, 4, 1).unwrap(),
        counselor_id: counselor,
        client: kyodo::domain::Client::Individual,
        channel: Channel::Phone,
        categories: vec![Category::DialogueSupport],
        people: 1,
        minutes: 30,
        summary: "相談の要約".into(),
        case_id: 0,
    };
    let mut bulk = store.bulk(false).unwrap();
    for chunk in 0..24u32 {
        let recs: Vec<Box<dyn kyodo::store::records::ErasedRecord>> = (0..1_000u32)
            .map(|i| {
                let mut c = template.clone();
                c.id = 0;
                c.date = chrono::NaiveDate::from_ymd_opt(2024, 4, 1).unwrap()
                    + chrono::Duration::days(i64::from((chunk * 1_000 + i) % 365));
                if i == 7 && (chunk == 3 || chunk == 20) {
                    c.counselor_id = 777_777; // nobody
                }
                Box::new(c) as Box<dyn kyodo::store::records::ErasedRecord>
            })
            .collect();
        bulk.put_new(recs).unwrap();
    }
    bulk.finish(kyodo::store::Batch::new()).unwrap();
    let clean = kyodo::store::check::check(&store);
    let dangling: Vec<u64> = store
        .list::<Consultation>()
        .items
        .iter()
        .filter(|c| c.counselor_id == 777_777)
        .map(|c| c.id)
        .collect();
    assert_eq!(dangling.len(), 2);
    // Two records made unreadable, one near each end of the tree.
    let ids: Vec<u64> = store
        .tree_keys(TreeName::Consultations)
        .iter()
        .filter_map(|k| kyodo::store::keys::parse_id(k))
        .collect();
    let (lo, hi) = (ids[1_500], ids[ids.len() - 1_500]);
    for id in [hi, lo] {
        store
            .raw_put(
                TreeName::Consultations,
                &kyodo::store::keys::id_key(id),
                &[9, 9, 9],
            )
            .unwrap();
    }
    let r = kyodo::store::check::check(&store);
    assert_eq!(r.records, clean.records - 2, "every record counted once");
    let keyed = |what: &str| -> Vec<String> {
        r.problems
            .iter()
            .filter(|p| p.tree == "consultations" && p.to_string().contains(what))
            .map(|p| p.key.clone())
            .collect()
    };
    assert_eq!(
        keyed("which does not exist"),
        vec![dangling[0].to_string(), dangling[1].to_string()],
        "{:#?}",
        r.problems
    );
    let unreadable: Vec<String> = r
        .problems
        .iter()
        .filter(|p| p.tree == "consultations" && !p.to_string().contains("which does not exist"))
        .map(|p| p.key.clone())
        .collect();
    assert_eq!(
        unreadable,
        vec![lo.to_string(), hi.to_string()],
        "{:#?}",
        r.problems
    );
    // The two records' counts are missing from the recount: the counters say so.
    assert!(
        r.problems.iter().any(|p| p.tree == "counters"),
        "{:#?}",
        r.problems
    );
}
