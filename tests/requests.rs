//! 要望・提言 (issue 17.2): the lifecycle moves forward only, whichever path writes, each step
//! dated and audited; a request lacking what its state needs is refused with the field.

mod common;
use common::*;
use kyodo::domain::request::{Request, RequestState};
use kyodo::store::Batch;

fn request(store: &kyodo::store::Store, number: &str) -> Request {
    store
        .list::<Request>()
        .items
        .into_iter()
        .find(|r| r.number == number)
        .unwrap()
}

#[test]
fn a_request_cannot_step_back_by_any_path() {
    let (_dir, store) = demo_store();
    // R4-007 was declined (見送り) in the demo.
    let q = request(&store, "R4-007");
    assert_eq!(q.state, RequestState::Declined);
    let mut back = q.clone();
    back.state = RequestState::Answered;
    back.closed_on = None;
    back.reason.clear();
    let mut b = Batch::new();
    b.put(back);
    let e = store.write(b).unwrap_err().to_string();
    assert!(
        e.contains("cannot go back from Declined to Answered"),
        "{e}"
    );
    assert_eq!(request(&store, "R4-007"), q, "nothing was written");
    // A closed request cannot be re-decided either, nor a step's date changed.
    let mut other = q.clone();
    other.state = RequestState::Reflected;
    let mut b = Batch::new();
    b.put(other);
    assert!(store.write(b).is_err());
    let mut moved = q.clone();
    moved.answered_on = moved.answered_on.map(|d| d.succ_opt().unwrap());
    let mut b = Batch::new();
    b.put(moved);
    let e = store.write(b).unwrap_err().to_string();
    assert!(e.contains("cannot be changed"), "{e}");
    // Forward is fine, and audited with the step's fields.
    let mut fwd = request(&store, "R4-004");
    assert_eq!(fwd.state, RequestState::Received);
    fwd.state = RequestState::Answered;
    fwd.answered_on = Some("2023-01-10".parse().unwrap());
    fwd.answer = "検討します".into();
    let mut b = Batch::new();
    b.put(fwd);
    store.write(b).unwrap();
    let audit = store.audit_entries(5, |_| true).items;
    let last = audit
        .iter()
        .find(|e| e.record.record_type == "requests")
        .unwrap();
    let fields: Vec<&str> = last
        .record
        .changes
        .iter()
        .map(|c| c.field.as_str())
        .collect();
    assert!(
        fields.contains(&"state") && fields.contains(&"answered_on"),
        "{fields:?}"
    );
}

#[test]
fn an_import_that_steps_a_request_back_is_refused_naming_the_request() {
    let (_dir, store) = demo_store();
    let csv = "number,body,received_on,text,section,state\n\
               R4-007,中里地区まちづくり協議会,2022-06-17,市民センターのトイレの洋式化,まちづくり推進課,受付\n";
    let src = kyodo::io::import::Source {
        name: "requests.csv".into(),
        bytes: csv.as_bytes().to_vec(),
    };
    let e = kyodo::io::import::import_sources(&store, vec![src])
        .unwrap_err()
        .to_string();
    assert!(e.contains("R4-007"), "{e}");
    assert_eq!(request(&store, "R4-007").state, RequestState::Declined);
}

/// The stderr of importing `csv` as requests.csv into a demo database (which must refuse it).
fn refused_on_demo(csv: &str) -> String {
    let (dir, db) = demo_db();
    let file = dir.path().join("requests.csv");
    std::fs::write(&file, csv).unwrap();
    let out = kyodo_cmd()
        .args(["--db", db.to_str().unwrap(), "--lang", "ja", "import"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn each_state_needs_its_step_and_dates_run_in_order() {
    for (row, field, says) in [
        (
            "R9-1,中里地区まちづくり協議会,2024-06-17,街路灯,道路河川課,回答,,,,",
            "answered_on",
            "回答日",
        ),
        (
            "R9-2,中里地区まちづくり協議会,2024-06-17,街路灯,道路河川課,見送り,2024-07-01,検討,2024-08-01,",
            "reason",
            "理由",
        ),
        (
            "R9-3,中里地区まちづくり協議会,2024-06-17,街路灯,道路河川課,回答,2024-06-01,検討,,",
            "answered_on",
            "より前",
        ),
    ] {
        let csv = format!(
            "number,body,received_on,text,section,state,answered_on,answer,closed_on,reason\n{row}\n"
        );
        let err = refused_on_demo(&csv);
        assert!(err.contains("requests.csv:2:"), "{field}: {err}");
        assert!(err.contains(says), "{field}: {err}");
    }
}

#[test]
fn the_requests_report_counts_by_state_and_section_and_lists_them_for_excel() {
    // FY2024 (令和6年度) on the demo: R6-012 and R6-006 受付, R6-009 回答, R6-003 一部反映.
    let text = kyodo_ok(&["--demo", "--lang", "ja", "report", "requests", "--fy", "R6"]);
    let line = |label: &str| {
        text.lines()
            .find(|l| l.split_whitespace().next() == Some(label))
            .unwrap_or_else(|| panic!("{label}: {text}"))
            .split_whitespace()
            .skip(1)
            .collect::<Vec<_>>()
    };
    assert_eq!(line("受付")[0], "2");
    assert_eq!(line("回答")[0], "1");
    assert_eq!(line("一部反映")[0], "1");
    assert_eq!(line("合計")[0], "4");
    // 担当課別: 道路河川課 holds one, partly reflected.
    assert_eq!(line("道路河川課"), vec!["1", "0", "0", "0", "1", "0"]);
    let csv = kyodo_ok(&[
        "--demo", "report", "requests", "--fy", "2024", "--format", "csv",
    ]);
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 5, "{csv}");
    assert!(rows[0].starts_with("number,body,received_on,text,section"));
    let json: serde_json::Value = serde_json::from_str(&kyodo_ok(&[
        "--demo", "report", "requests", "--fy", "2024", "--format", "json",
    ]))
    .unwrap();
    assert_eq!(json["total"], 4);
    assert_eq!(json["states"]["received"], 2);
    assert_eq!(json["states"]["partly"], 1);
}
