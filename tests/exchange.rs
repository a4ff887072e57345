//! CSV out and back in: every record type exported in every encoding imports into an empty store
//! and exports again to the same text (the field codec is one piece, read and write).

mod common;

use common::{demo_store, empty_store};
use kyodo::io::encoding::{Encoding, decode, encode};
use kyodo::io::export::{TYPES, csv_text};
use kyodo::io::import::import_path;

/// Data records in a CSV text (cells may hold line breaks).
fn records(text: &str) -> usize {
    csv::Reader::from_reader(text.as_bytes()).records().count()
}

#[test]
fn export_then_import_is_identity_for_every_type_and_encoding() {
    let (_d, store) = demo_store();
    for enc in [Encoding::Utf8, Encoding::Utf8Bom, Encoding::Cp932] {
        let dir = tempfile::tempdir().unwrap();
        let mut first = Vec::new();
        for t in TYPES {
            let text = csv_text(&store, t, None, enc).unwrap();
            assert!(records(&text) > 0, "{t} has rows");
            let bytes = encode(enc, &text).unwrap();
            std::fs::write(dir.path().join(format!("{t}.csv")), &bytes).unwrap();
            first.push((t, text));
        }
        let (_d2, fresh) = empty_store();
        let summary = import_path(&fresh, dir.path()).unwrap();
        for (t, text) in &first {
            assert_eq!(summary.rows(t), records(text), "{t} {enc:?}");
            let again = csv_text(&fresh, t, None, enc).unwrap();
            assert_eq!(&again, text, "{t} {enc:?}");
        }
        // The figures agree too.
        for fy in [2022, 2023] {
            let fy = kyodo::domain::FiscalYear(fy);
            assert_eq!(fresh.fy_counts(fy).unwrap(), store.fy_counts(fy).unwrap());
        }
        assert!(kyodo::store::check::check(&fresh).problems.is_empty());
    }
}

#[test]
fn import_detects_cp932_and_bom() {
    let (_d, store) = demo_store();
    let text = "date,category,channel,count\r\n2024-06-01,話し合い支援,来所,2\r\n";
    for enc in [Encoding::Utf8, Encoding::Utf8Bom, Encoding::Cp932] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("consultation_tallies.csv"),
            encode(enc, text).unwrap(),
        )
        .unwrap();
        let s = import_path(&store, dir.path()).unwrap();
        assert_eq!(s.rows("consultation_tallies"), 1, "{enc:?}");
    }
    assert_eq!(
        decode(&encode(Encoding::Cp932, text).unwrap()).unwrap(),
        text
    );
}

#[test]
fn export_limits_to_a_fiscal_year() {
    let (_d, store) = demo_store();
    let fy = Some(kyodo::domain::FiscalYear(2022));
    let meetings = csv_text(&store, "team_meetings", fy, Encoding::Utf8).unwrap();
    assert_eq!(records(&meetings), 125);
    let grants = csv_text(&store, "grants", fy, Encoding::Utf8).unwrap();
    assert_eq!(records(&grants), 33);
    let e = csv_text(&store, "nope", None, Encoding::Utf8).unwrap_err();
    assert!(e.en.contains("use one of bodies"), "{e}");
}

#[test]
fn import_takes_excel_habits_serial_dates_yen_and_trailing_empties() {
    let (_d, store) = demo_store();
    let dir = tempfile::tempdir().unwrap();
    // A date serial, an era date, full-width digits, "円" and commas, a trailing empty column and
    // trailing empty rows, as Excel saves them.
    let text = "program,fiscal_year,body,date,kind,amount,\r\n\
                地域づくり交付金,2023,猿沢地区まちづくり協議会,45383,返還,\"１０，０００円\",\r\n\
                地域づくり交付金,R5,猿沢地区まちづくり協議会,令和6年4月2日,返還,\"2,000円\",\r\n\
                ,,,,,,\r\n,,,,,,\r\n";
    std::fs::write(
        dir.path().join("disbursements.csv"),
        encode(Encoding::Cp932, text).unwrap(),
    )
    .unwrap();
    let s = import_path(&store, dir.path()).unwrap();
    assert_eq!(s.rows("disbursements"), 2);
    let d = store
        .list::<kyodo::domain::Disbursement>()
        .items
        .into_iter()
        .filter(|d| {
            d.kind == kyodo::domain::DisbursementKind::Refund
                && d.date >= chrono::NaiveDate::from_ymd_opt(2024, 4, 1).unwrap()
        })
        .map(|d| (d.date.to_string(), d.amount))
        .collect::<Vec<_>>();
    assert!(d.contains(&("2024-04-01".to_string(), 10_000)), "{d:?}");
    assert!(d.contains(&("2024-04-02".to_string(), 2_000)), "{d:?}");
}

/// Every record of every type, as JSON, for comparing two stores.
fn dump(store: &kyodo::store::Store) -> Vec<(String, serde_json::Value)> {
    let mut out = Vec::new();
    for t in kyodo::io::backup::record_trees() {
        store
            .for_each_record(t, |v| {
                out.push((t.name().to_string(), v));
                Ok(())
            })
            .unwrap();
    }
    out
}

#[test]
fn backup_then_restore_is_identity_and_keeps_the_audit_chain() {
    let (_d, mut store) = demo_store();
    store.set_actor(kyodo::domain::Actor {
        login: "chiba.megumi".into(),
        staff_id: None,
    });
    // Some audited history beyond the import.
    let mut b = store.list::<kyodo::domain::Body>().items.remove(0);
    b.households += 1;
    store.insert(b).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kyodo.backup");
    let counts = kyodo::io::backup::backup(&store, &file).unwrap();
    assert_eq!(counts["team_meetings"], 256);
    assert_eq!(counts["audit"], 2);
    let d2 = tempfile::tempdir().unwrap();
    let target = d2.path().join("db");
    kyodo::io::restore::restore(&target, &file, 500, &|_| {}).unwrap();
    let fresh = kyodo::store::Store::open(&target).unwrap();
    assert_eq!(dump(&fresh), dump(&store), "record for record");
    for fy in [2022, 2023] {
        let fy = kyodo::domain::FiscalYear(fy);
        assert_eq!(fresh.fy_counts(fy).unwrap(), store.fy_counts(fy).unwrap());
    }
    assert_eq!(
        fresh.audit_entries(10, |_| true).items,
        store.audit_entries(10, |_| true).items
    );
    assert!(kyodo::store::check::check(&fresh).problems.is_empty());
    // A record made after the restore gets a new id, not a restored one.
    let max_before = dump(&fresh)
        .iter()
        .filter_map(|(_, v)| v["id"].as_u64())
        .max()
        .unwrap();
    let id = fresh
        .insert(kyodo::domain::ConsultationTally {
            id: 0,
            date: chrono::NaiveDate::from_ymd_opt(2024, 5, 1).unwrap(),
            category: kyodo::domain::Category::Other,
            channel: kyodo::domain::Channel::Phone,
            count: 1,
        })
        .unwrap();
    assert!(id > max_before, "{id} > {max_before}");
    // Restore refuses a database in use, and a cut-off archive.
    let e = kyodo::io::restore::restore(&target, &file, 500, &|_| {}).unwrap_err();
    assert!(e.en.contains("in use"), "{e}");
    let bytes = std::fs::read(&file).unwrap();
    let cut = dir.path().join("cut.backup");
    let mut dec = String::new();
    use std::io::Read;
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut dec)
        .unwrap();
    let keep: String = dec.lines().take(100).map(|l| format!("{l}\n")).collect();
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut enc, keep.as_bytes()).unwrap();
    std::fs::write(&cut, enc.finish().unwrap()).unwrap();
    let other = dir.path().join("other");
    let e = kyodo::io::restore::restore(&other, &cut, 500, &|_| {}).unwrap_err();
    assert!(e.en.contains("cut off"), "{e}");
    assert!(!other.exists(), "nothing left behind");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        2,
        "no directory being built is left"
    );
}

#[test]
fn backup_and_restore_a_generated_larger_dataset() {
    let (_d, store) = empty_store();
    let scale = kyodo::io::synth::Scale {
        bodies: 200,
        staff: 500,
        years: 2,
        last_fy: 2024,
        consultations: 3_000,
        tallies: 3_000,
        meetings: 500,
        activities: 1_000,
    };
    kyodo::io::synth::generate(&store, scale, 5_000).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.backup");
    kyodo::io::backup::backup(&store, &file).unwrap();
    let d2 = tempfile::tempdir().unwrap();
    let target = d2.path().join("db");
    let counts = kyodo::io::restore::restore(&target, &file, 5_000, &|_| {})
        .unwrap()
        .counts;
    let fresh = kyodo::store::Store::open(&target).unwrap();
    assert_eq!(counts["consultations"], 6_000);
    assert_eq!(dump(&fresh), dump(&store));
    assert!(kyodo::store::check::check(&fresh).problems.is_empty());
}

#[test]
fn re_importing_matches_on_natural_keys_adds_nothing_and_audits_updates() {
    let (_d, store) = demo_store();
    let dir = tempfile::tempdir().unwrap();
    for t in TYPES {
        let text = csv_text(&store, t, None, Encoding::Utf8).unwrap();
        std::fs::write(dir.path().join(format!("{t}.csv")), text).unwrap();
    }
    let before = dump(&store);
    let s = import_path(&store, dir.path()).unwrap();
    for t in TYPES {
        let o = s.outcome(t);
        assert_eq!((o.added, o.updated), (0, 0), "{t}: {o:?}");
        assert_eq!(o.unchanged, s.rows(t), "{t}");
    }
    assert_eq!(dump(&store), before, "nothing duplicated or changed");
    // Change one body's households in the file: one update, audited field by field.
    let bodies = std::fs::read_to_string(dir.path().join("bodies.csv")).unwrap();
    let mut lines: Vec<String> = bodies.lines().map(str::to_string).collect();
    let name_line = lines
        .iter()
        .position(|l| l.starts_with("一関地区まちづくり協議会,"))
        .unwrap();
    let mut cells: Vec<String> = lines[name_line].split(',').map(str::to_string).collect();
    cells[6] = "999".into();
    lines[name_line] = cells.join(",");
    let only = tempfile::tempdir().unwrap();
    std::fs::write(only.path().join("bodies.csv"), lines.join("\r\n")).unwrap();
    let s = import_path(&store, only.path()).unwrap();
    assert_eq!(
        s.outcome("bodies"),
        kyodo::io::import::TypeSummary {
            added: 0,
            updated: 1,
            unchanged: 32
        }
    );
    let e = store.audit_entries(2, |_| true).items;
    let update = e
        .iter()
        .find(|e| e.record.action == kyodo::domain::AuditAction::Update)
        .unwrap();
    assert_eq!(update.record.changes.len(), 1);
    assert_eq!(update.record.changes[0].field, "households");
    assert_eq!(update.record.changes[0].after.as_deref(), Some("999"));
    assert!(
        e.iter()
            .any(|e| e.record.action == kyodo::domain::AuditAction::Import
                && e.record.note.contains("bodies 33 (+0 ~1 =32)"))
    );
    assert_eq!(store.list::<kyodo::domain::Body>().items.len(), 33);
}
