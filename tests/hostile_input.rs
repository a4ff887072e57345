//! Hostile and careless input (issue 10, items 4 and 5): CSV files that would lose or merge rows
//! are refused whole with their place; values over a limit are refused before anything is
//! written; what is written always reads back; exported cells cannot arm Excel.

mod common;

use common::{demo_store, empty_store};
use kyodo::io::encoding::Encoding;
use kyodo::io::export::csv_text;
use kyodo::io::import::{ImportError, RowError, Source, import_sources};
use kyodo::store::TreeName;

fn src(name: &str, bytes: impl Into<Vec<u8>>) -> Source {
    Source {
        name: name.into(),
        bytes: bytes.into(),
    }
}

/// Imports one file into a fresh store; returns the errors (none if it was accepted) and how
/// many tallies the store then holds.
fn refused(name: &str, bytes: impl Into<Vec<u8>>) -> Vec<RowError> {
    let (_d, store) = empty_store();
    let r = import_sources(&store, vec![src(name, bytes)]);
    let errs = match r {
        Err(ImportError::Rows(e)) => e,
        Err(other) => panic!("{other}"),
        Ok(s) => panic!("accepted: {s:?}"),
    };
    assert_eq!(
        store.tree_len(TreeName::ConsultationTallies),
        0,
        "nothing written"
    );
    errs
}

const HEAD: &str = "date,category,channel,count\n";

#[test]
fn structural_defects_refuse_the_whole_file_with_line_and_column() {
    let f = "consultation_tallies.csv";
    // An unbalanced quote would swallow the rows after it.
    let e = refused(
        f,
        format!(
            "{HEAD}2024-06-01,話し合い支援,来所,1\n\"2024-06-02,話し合い支援,来所,1\n2024-06-03,話し合い支援,来所,1\n"
        ),
    );
    assert_eq!((e[0].line, e[0].col), (3, 1), "{e:?}");
    assert!(e[0].message.ja.contains("引用符"), "{e:?}");
    // A quote closed in the middle of a later row.
    let e = refused(
        f,
        format!("{HEAD}\"2024-06-01,話し合い支援,来所,1\n2024-06-02,\"話し合い支援\"x,来所,1\n"),
    );
    assert!(e.iter().any(|e| e.line == 3), "{e:?}");
    // A NUL byte, in its line and cell.
    let e = refused(f, format!("{HEAD}2024-06-01,話し合い支援,来\0所,1\n"));
    assert_eq!((e[0].line, e[0].col), (2, 3), "{e:?}");
    assert!(
        e[0].to_string().contains("consultation_tallies.csv:2:3"),
        "{}",
        e[0]
    );
    // A duplicated header: which value counts would be a guess.
    let e = refused(
        f,
        "date,category,channel,count,count\n2024-06-01,話し合い支援,来所,1,2\n",
    );
    assert_eq!((e[0].line, e[0].col), (1, 5), "{e:?}");
    // An unknown column: its values would go nowhere.
    let e = refused(
        f,
        "date,category,channel,count,cuont\n2024-06-01,話し合い支援,来所,1,2\n",
    );
    assert!(e[0].message.en.contains("unknown column 'cuont'"), "{e:?}");
    // Cells beyond the header.
    let e = refused(f, format!("{HEAD}2024-06-01,話し合い支援,来所,1,extra\n"));
    assert_eq!((e[0].line, e[0].col), (2, 5), "{e:?}");
    // A line over 1 MiB (a 2 MiB one-line field).
    let e = refused(
        f,
        format!("{HEAD}2024-06-01,{},来所,1\n", "x".repeat(2 << 20)),
    );
    assert_eq!(e[0].line, 2, "{e:?}");
    assert!(e[0].message.en.contains("1 MiB"), "{e:?}");
    // Bytes that are neither UTF-8 nor CP932, at their line (not line 0).
    let mut bytes = format!("{HEAD}2024-06-01,話し合い支援,来所,1\n").into_bytes();
    bytes.extend_from_slice(b"2024-06-02,\xe8\xa9\xb1\xff,x,1\n");
    let e = refused(f, bytes);
    assert_eq!((e[0].line, e[0].col), (3, 2), "{e:?}");
    // Excel's trailing empty columns and rows are still fine.
    let (_d, store) = empty_store();
    import_sources(
        &store,
        vec![src(
            f,
            "date,category,channel,count,,\n2024-06-01,話し合い支援,来所,1,,\n,,,,,\n",
        )],
    )
    .unwrap();
    assert_eq!(store.tree_len(TreeName::ConsultationTallies), 1);
}

#[test]
fn values_over_their_limit_are_refused_naming_place_and_limit() {
    let (_d, store) = demo_store();
    let before = store.tree_len(TreeName::Consultations);
    let head = "date,counselor,client_type,client_name,channel,categories,people,minutes,summary\n";
    let big = "相".repeat((5 << 20) / 3);
    let text = format!("{head}2024-06-01,千葉 由美,individual,,来所,話し合い支援,1,30,{big}\n");
    let Err(ImportError::Rows(e)) = import_sources(&store, vec![src("consultations.csv", text)])
    else {
        panic!("a 5 MiB summary was accepted")
    };
    let s = e[0].to_string();
    assert!(
        s.starts_with("consultations.csv:2:9: column 'summary'"),
        "{s}"
    );
    assert!(s.contains("64 KiB"), "{s}");
    assert!(
        s.chars().count() < 400,
        "the message does not echo the value: {s}"
    );
    assert_eq!(store.tree_len(TreeName::Consultations), before);
    // A summary over 64 KiB on a line under 1 MiB: the field's own limit, with an excerpt.
    let text = format!(
        "{head}2024-06-01,千葉 由美,individual,,来所,話し合い支援,1,30,{}\n",
        "相".repeat(30_000)
    );
    let Err(ImportError::Rows(e)) = import_sources(&store, vec![src("consultations.csv", text)])
    else {
        panic!("a 90,000-byte summary was accepted")
    };
    let s = e[0].text(kyodo::i18n::Lang::Ja);
    assert!(s.starts_with("consultations.csv:2:9: 列「summary」"), "{s}");
    assert!(s.contains("90,000 バイト") && s.contains("64 KiB"), "{s}");
    // A name one character over 200.
    let text = format!(
        "name,kana,organization,role\n{},さとう,市,viewer\n",
        "佐".repeat(201)
    );
    let Err(ImportError::Rows(e)) = import_sources(&store, vec![src("staff.csv", text)]) else {
        panic!("a 201-character name was accepted")
    };
    assert!(e[0].message.ja.contains("200文字"), "{e:?}");
}

#[test]
fn the_largest_allowed_values_and_a_100k_row_file_read_back_and_check_clean() {
    let (_d, store) = demo_store();
    let text64 = |c: char| c.to_string().repeat(64 * 1024 / c.len_utf8());
    let mut csv = kyodo::io::cells::CsvOut::new();
    csv.row(&[
        "body",
        "date",
        "place",
        "attendees",
        "guests",
        "agenda",
        "notes",
        "decisions",
        "follow_ups",
    ])
    .unwrap();
    csv.row(&[
        "一関地区まちづくり協議会".to_string(),
        "2024-06-01".into(),
        "場".repeat(1000),
        String::new(),
        "客".repeat(1000),
        "議".repeat(1000),
        text64('記'),
        text64('決'),
        format!("{};;;", "追".repeat(20_000)),
    ])
    .unwrap();
    let meeting = csv.finish().unwrap();
    let mut tallies = String::from(HEAD);
    for i in 0..100_000u32 {
        tallies.push_str(&format!(
            "2024-{:02}-{:02},話し合い支援,来所,1\n",
            4 + i % 9,
            1 + i % 28
        ));
    }
    let s = import_sources(
        &store,
        vec![
            src("team_meetings.csv", meeting),
            src("consultation_tallies.csv", tallies),
        ],
    )
    .unwrap();
    assert_eq!(s.outcome("consultation_tallies").added, 100_000);
    assert_eq!(s.outcome("team_meetings").added, 1);
    // Every value reads back, and an edit of every text field at its limit is audited.
    let fy = kyodo::domain::FiscalYear(2024);
    let mut m = store
        .list_fy::<kyodo::domain::TeamMeeting>(fy)
        .items
        .into_iter()
        .find(|m| m.notes.len() >= 64 * 1024 - 3)
        .expect("the big meeting");
    m.notes = text64('改');
    m.decisions = text64('更');
    m.agenda = "題".repeat(1000);
    m.place = "所".repeat(1000);
    store.insert(m).unwrap();
    let report = kyodo::store::check::check(&store);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert!(store.audit_entries(1, |_| true).problems.is_empty());
}

#[test]
fn exported_cells_cannot_arm_excel_and_come_back_unchanged() {
    let payloads = [
        "=HYPERLINK(\"http://example.com\",\"click\")",
        "+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
    ];
    let (_d, store) = demo_store();
    let mut batch = kyodo::store::Batch::new();
    let mut want = Vec::new();
    for (i, p) in payloads.iter().enumerate() {
        let mut b = store.list::<kyodo::domain::Body>().items[i].clone();
        b.district = p.to_string();
        want.push((b.id, p.to_string()));
        batch.put(b);
    }
    store.write(batch).unwrap();
    let text = csv_text(&store, "bodies", None, Encoding::Utf8).unwrap();
    for row in csv::Reader::from_reader(text.as_bytes()).records() {
        for cell in row.unwrap().iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a live formula: {cell:?}"
            );
        }
    }
    // Import into a fresh store, export again: identical, and the values are the payloads.
    let (_d2, fresh) = empty_store();
    import_sources(&fresh, vec![src("bodies.csv", text.clone())]).unwrap();
    let again = csv_text(&fresh, "bodies", None, Encoding::Utf8).unwrap();
    assert_eq!(again, text);
    let fresh_bodies = fresh.list::<kyodo::domain::Body>().items;
    let old_bodies = store.list::<kyodo::domain::Body>().items;
    for (id, p) in want {
        let name = &old_bodies.iter().find(|b| b.id == id).unwrap().name;
        let b = fresh_bodies.iter().find(|b| &b.name == name).unwrap();
        assert_eq!(&b.district, &p);
    }
}
