//! The binary's command line: report output, import, errors and the demo switch.

use std::process::Command;

fn kyodo() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kyodo"));
    c.env_remove("KYODO_DB")
        .env_remove("KYODO_LANG")
        .env("LANG", "C")
        .env(
            "XDG_DATA_HOME",
            std::env::temp_dir().join("kyodo-test-never-used"),
        );
    c
}

#[test]
fn demo_report_json_gives_the_fy2022_baseline() {
    let out = kyodo()
        .args(["--demo", "report", "--fy", "2022", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["fiscal_year"], 2022);
    assert_eq!(v["label"], "令和4年度");
    let ind = v["indicators"].as_array().unwrap();
    let get = |id: &str| ind.iter().find(|i| i["id"] == id).unwrap().clone();
    for (id, value, target) in [
        ("bodies", 33, 34),
        ("team_meetings", 125, 170),
        ("consultations", 2335, 2500),
        ("dialogue_support", 138, 150),
        ("body_activities", 466, 486),
        ("web_access", 7033, 10000),
        ("staff_bank", 41, 61),
    ] {
        let i = get(id);
        assert_eq!(i["value"], value, "{id}");
        assert_eq!(i["baseline"]["value"], value, "{id} baseline");
        assert_eq!(i["baseline"]["fiscal_year"], 2022);
        assert_eq!(i["target"]["value"], target, "{id} target");
        assert_eq!(i["target"]["fiscal_year"], 2028);
    }
    let tm = get("team_meetings");
    assert_eq!(tm["name"], "チーム会議の開催数");
    assert_eq!(tm["unit"], "回");
    assert_eq!(tm["achievement"], 0.735);
    assert_eq!(get("citizen_center_use")["value"], 3.77);
    assert_eq!(get("staff_awareness")["value"], serde_json::Value::Null);
    assert_eq!(get("staff_awareness")["target"]["value"], 90);
    // The documented key order.
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(r#"{"fiscal_year":2022,"label":"令和4年度""#),
        "{text}"
    );
}

#[test]
fn text_and_csv_reports_follow_the_language() {
    let out = kyodo()
        .env("KYODO_LANG", "ja")
        .args(["--demo", "report", "--fy", "R4"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("令和4年度") && text.contains("チーム会議の開催数"),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.contains("チーム会議の開催数") && l.contains("125") && l.contains("73.5%"))
    );
    let out = kyodo()
        .args(["--demo", "report", "--fy", "2022", "--format", "csv"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("id,Indicator,Unit,Value FY2022"), "{text}");
    assert!(
        text.contains("team_meetings,Team meetings held,meetings,125,2022,125,2028,170,0.735"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 10);
}

#[test]
fn import_reports_rows_and_rejects_bad_files_with_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/data/demo");
    let out = kyodo()
        .args(["--db"])
        .arg(&db)
        .args(["import", demo])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines()
            .any(|l| l.starts_with("bodies") && l.trim_end().ends_with(" 33")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("team_meetings") && l.trim_end().ends_with(" 256")),
        "{text}"
    );

    let bad = dir.path().join("staff.csv");
    std::fs::write(
        &bad,
        "name,kana,organization,role\n佐藤 一郎,さとう いちろう,市,boss\n",
    )
    .unwrap();
    let db2 = dir.path().join("db2");
    let out = kyodo()
        .arg("--db")
        .arg(&db2)
        .arg("import")
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("staff.csv:2: column 'role' = 'boss'"), "{err}");
    assert!(err.contains("nothing was written"), "{err}");
}

#[test]
fn a_locked_database_gets_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let _held = kyodo::store::Store::open(&db).unwrap();
    let out = kyodo()
        .arg("--db")
        .arg(&db)
        .args(["report", "--fy", "2022"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("in use by another kyodo process"), "{err}");
}

#[test]
fn bad_fiscal_year_is_a_usage_error() {
    let out = kyodo()
        .args(["--demo", "report", "--fy", "next"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("R6"));
}

#[test]
fn every_subcommand_has_help() {
    for args in [
        vec!["--help"],
        vec!["import", "--help"],
        vec!["report", "--help"],
    ] {
        let out = kyodo().args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("Usage"));
    }
}
