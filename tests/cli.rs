//! The binary's command line: report output, import, errors and the demo switch.

use std::process::Command;

fn kyodo() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kyodo"));
    c.env_remove("KYODO_DB")
        .env_remove("KYODO_LANG")
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
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
    assert!(
        out.stderr.is_empty(),
        "no progress bar when stderr is not a terminal: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines()
            .any(|l| l.starts_with("bodies")
                && l.contains(" 33  (added 33, updated 0, unchanged 0)")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("team_meetings") && l.contains(" 256  (added 256,")),
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
    assert!(
        err.contains("staff.csv:2:4: column 'role' = 'boss'"),
        "{err}"
    );
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
    assert!(
        err.contains("is open in another kyodo, and no kyodo server answers at"),
        "{err}"
    );
    assert!(
        err.contains(&format!("start `kyodo serve --db {}`", db.display())),
        "says how to share it: {err}"
    );
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

/// A database directory holding the demo data, imported by the binary.
fn demo_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/data/demo");
    let out = kyodo()
        .arg("--db")
        .arg(&db)
        .args(["import", demo])
        .output()
        .unwrap();
    assert!(out.status.success());
    (dir, db)
}

fn run_db(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    kyodo().arg("--db").arg(db).args(args).output().unwrap()
}

#[test]
fn log_tally_consultation_and_meeting_from_the_shell() {
    let (_dir, db) = demo_db();
    let out = run_db(
        &db,
        &[
            "log",
            "tally",
            "--category",
            "話し合い支援",
            "--channel",
            "来所",
            "--count",
            "3",
            "--date",
            "R6.4.2",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .starts_with("saved: tally 2024-04-02 Dialogue support Visit ×3")
    );
    let out = run_db(&db, &["report", "--fy", "2024", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ds = v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "dialogue_support")
        .unwrap()
        .clone();
    assert_eq!(ds["value"], 3);

    let out = run_db(
        &db,
        &[
            "log",
            "consultation",
            "--channel",
            "電話",
            "--category",
            "資金・助成",
            "--category",
            "話し合い支援",
            "--client-body",
            "ハナイズミチクマチヅクリキョウギカイ",
            "--counselor",
            "伊藤 陽子",
            "--date",
            "2024-04-03",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run_db(
        &db,
        &[
            "log",
            "meeting",
            "--body",
            "花泉地区まちづくり協議会",
            "--date",
            "令和6年4月5日",
            "--agenda",
            "夏祭りの企画",
            "--attendee",
            "iwabuchi.yumi",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run_db(&db, &["report", "--fy", "2024", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let get = |id: &str| {
        v["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap()["value"]
            .clone()
    };
    assert_eq!(
        (
            get("dialogue_support"),
            get("consultations"),
            get("team_meetings")
        ),
        (4.into(), 4.into(), 1.into())
    );
}

#[test]
fn log_refuses_bad_input_with_candidates_and_writes_nothing() {
    let (_dir, db) = demo_db();
    let cases: [(&[&str], &str); 6] = [
        (
            &["log", "tally", "--category", "相談", "--channel", "来所"],
            "--category: unknown value '相談'; use one of 話し合い支援",
        ),
        (
            &[
                "log",
                "tally",
                "--category",
                "その他",
                "--channel",
                "来所",
                "--count",
                "0",
            ],
            "--count: count must be at least 1",
        ),
        (
            &[
                "log",
                "tally",
                "--category",
                "その他",
                "--channel",
                "来所",
                "--date",
                "H31.5.1",
            ],
            "--date: 'H31.5.1' is outside the 平成 era",
        ),
        (
            &[
                "log", "meeting", "--body", "地区", "--date", "R6.5.1", "--agenda", "x",
            ],
            "--body: '地区' matches several: 一関地区まちづくり協議会",
        ),
        (
            &[
                "log",
                "meeting",
                "--body",
                "花泉地区まちづくり協議",
                "--date",
                "R6.5.1",
                "--agenda",
                "x",
                "--attendee",
                "岩渕",
            ],
            "--attendee: '岩渕' matches several: ",
        ),
        (
            &[
                "log", "meeting", "--body", "花泉xx", "--date", "R6.5.1", "--agenda", "x",
            ],
            "no record named '花泉xx'; did you mean: 花泉地区まちづくり協議会",
        ),
    ];
    for (args, want) in cases {
        let out = run_db(&db, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{args:?}: {err}");
    }
    let out = run_db(&db, &["audit"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text.lines().filter(|l| l.starts_with('#')).count(),
        1,
        "only the import: {text}"
    );
}

#[test]
fn audit_lists_changes_newest_first_and_filters() {
    let (_dir, db) = demo_db();
    run_db(
        &db,
        &["log", "tally", "--category", "その他", "--channel", "電話"],
    );
    let out = run_db(&db, &["audit", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let a = v.as_array().unwrap();
    assert_eq!(a.len(), 2);
    assert_eq!(a[0]["action"], "create");
    assert_eq!(a[0]["record_type"], "consultation_tallies");
    assert_eq!(a[1]["action"], "import");
    let changes = a[0]["changes"].as_array().unwrap();
    assert!(
        changes.iter().any(|c| c["field"] == "category"
            && c["after"] == "\"Other\""
            && c["before"].is_null())
    );
    let me = a[0]["user"].as_str().unwrap().to_string();
    assert!(!me.is_empty());
    let out = run_db(&db, &["audit", "--user", "nobody.here", "--format", "json"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
    let out = run_db(&db, &["audit", "--user", &me, "--since", "2000-01-01"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.starts_with('#'))
            .count(),
        2
    );
    let out = run_db(&db, &["audit", "--since", "2999-01-01"]);
    assert!(String::from_utf8_lossy(&out.stdout).is_empty());
}

#[test]
fn check_passes_on_the_demo_and_reports_a_tampered_audit_entry() {
    let (_dir, db) = demo_db();
    run_db(
        &db,
        &["log", "tally", "--category", "その他", "--channel", "電話"],
    );
    let out = run_db(&db, &["check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        text.starts_with("ok: ") && text.contains(" records, indexes, counters"),
        "{text}"
    );
    {
        let store = kyodo::store::Store::open(&db).unwrap();
        let mut e = store.audit_entries(1, |_| true).items.remove(0);
        e.record.note = "書き換え".into();
        let bytes = kyodo::store::codec::encode(&e).unwrap();
        store
            .raw_put(
                kyodo::store::TreeName::Audit,
                &e.record.seq.to_be_bytes(),
                &bytes,
            )
            .unwrap();
    }
    // sled releases its file lock when its threads stop; retry while another process would
    // still see it locked (bounded).
    let mut out = run_db(&db, &["check"]);
    for _ in 0..500 {
        if !String::from_utf8_lossy(&out.stderr).contains("in use") {
            break;
        }
        std::thread::yield_now();
        out = run_db(&db, &["check"]);
    }
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("audit: audit entry 2: content does not match its hash"),
        "{text}"
    );
}

#[test]
fn report_by_breakdowns_add_up_to_the_dashboard_figures() {
    let run = |by: &str| {
        let out = kyodo()
            .args([
                "--demo", "report", "--fy", "2022", "--by", by, "--format", "json",
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    // JSON keys are the same in every language; rows only (a program sums them).
    let months = run("month");
    let rows = months.as_array().unwrap();
    assert_eq!(rows.len(), 12);
    let sum = |rows: &[serde_json::Value], k: &str| -> i64 {
        rows.iter().map(|r| r[k].as_i64().unwrap()).sum()
    };
    assert_eq!(
        (sum(rows, "consultations"), sum(rows, "dialogue_support")),
        (2335, 138)
    );
    assert_eq!(
        (sum(rows, "team_meetings"), sum(rows, "activities")),
        (125, 466)
    );
    let channels = run("channel");
    assert_eq!(
        channels
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["count"].as_i64().unwrap())
            .sum::<i64>(),
        2335
    );
    let districts = run("district");
    let d = districts.as_array().unwrap();
    assert_eq!(d.len(), 8);
    assert_eq!(
        d.iter()
            .map(|r| r["team_meetings"].as_i64().unwrap())
            .sum::<i64>(),
        125
    );
    assert_eq!(
        d.iter()
            .map(|r| r["activities"].as_i64().unwrap())
            .sum::<i64>(),
        466
    );
    let bodies = run("body");
    assert_eq!(bodies.as_array().unwrap().len(), 33);
    let cats = run("category");
    let ds = cats
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["category"] == "Dialogue support")
        .unwrap()
        .clone();
    assert_eq!(ds["count"], 138);
}

#[test]
fn staff_are_added_and_given_roles_and_logins_from_the_shell() {
    let (_dir, db) = demo_db();
    let text = |o: &std::process::Output| {
        (
            String::from_utf8_lossy(&o.stdout).to_string(),
            String::from_utf8_lossy(&o.stderr).to_string(),
        )
    };
    let before = run_db(&db, &["staff", "list", "--all"]);
    let add = [
        "staff",
        "add",
        "--name",
        "新井 一郎",
        "--kana",
        "あらい いちろう",
        "--section",
        "花泉支所",
        "--login",
        "arai",
        "--role",
        "相談員",
    ];
    let out = run_db(&db, &add);
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    assert!(
        text(&out).0.starts_with("saved: 新井 一郎 (#"),
        "{:?}",
        text(&out)
    );
    // Refusals: exit 2, a message that says what to fix, and nothing written.
    let refusals: [(&[&str], &str); 4] = [
        (
            &["staff", "set-login", "新井 一郎", "chiba.megumi"],
            "kyodo staff: login \"chiba.megumi\" already belongs to 千葉 恵 (#100); choose another, or deactivate that staff member first\n",
        ),
        (
            &["staff", "set-login", "arai", "新井"],
            "kyodo staff: login \"新井\" is not an OS user name; use up to 32 ASCII letters, digits, '.', '_' or '-' (e.g. sato.hanako)\n",
        ),
        (
            &["staff", "set-role", "arai", "boss"],
            "kyodo staff: no role \"boss\"; use one of: 管理者, 調整担当, 地域担当, 相談員, 閲覧\n",
        ),
        (
            &add,
            "kyodo staff: login \"arai\" already belongs to 新井 一郎 (#",
        ),
    ];
    let audit_before = run_db(&db, &["audit", "--format", "json"]).stdout;
    for (args, msg) in refusals {
        let out = run_db(&db, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(text(&out).1.starts_with(msg), "{args:?}: {}", text(&out).1);
    }
    assert_eq!(
        run_db(&db, &["audit", "--format", "json"]).stdout,
        audit_before
    );
    for args in [
        &["staff", "set-role", "あらい いちろう", "coordinator"][..],
        &["staff", "set-login", "arai", "arai.ichiro"],
    ] {
        let out = run_db(&db, args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {:?}", text(&out));
    }
    let list = text(&run_db(&db, &["staff", "list"])).0;
    let row = list.lines().find(|l| l.contains("新井 一郎")).unwrap();
    assert!(
        row.contains("花泉支所") && row.contains("arai.ichiro"),
        "{row}"
    );
    assert!(row.contains("Coordinator") && row.ends_with("yes"), "{row}");
    // Columns line up by display width: the login column starts at the same cell in every row.
    let col = |l: &str| {
        let at = l.find("arai.ichiro").or_else(|| l.find("chiba.megumi"))?;
        Some(unicode_width::UnicodeWidthStr::width(&l[..at]))
    };
    let chiba = list.lines().find(|l| l.contains("chiba.megumi")).unwrap();
    assert_eq!(col(row), col(chiba));
    let out = run_db(&db, &["staff", "deactivate", "arai.ichiro"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(!text(&run_db(&db, &["staff", "list"])).0.contains("新井"));
    assert!(
        text(&run_db(&db, &["staff", "list", "--all"]))
            .0
            .contains("left")
    );
    assert_eq!(
        text(&before).0.lines().count() + 1,
        text(&run_db(&db, &["staff", "list", "--all"]))
            .0
            .lines()
            .count()
    );
    let audit = text(&run_db(&db, &["audit"])).0;
    // In words (issue 15.1): the person by name, fields by label, terms in the user's language.
    for change in [
        "changed Staff member 新井 一郎",
        "Active: yes → no",
        "Login: arai → arai.ichiro",
        "Role: Counselor → Coordinator",
    ] {
        assert!(audit.contains(change), "{change} in {audit}");
    }
}

/// Issue 14: `export` says how many rows of what went where (and that tallies are exported on
/// their own); `report` on an empty database says how to get records.
#[test]
fn export_says_what_it_wrote_and_an_empty_report_says_how_to_start() {
    let (dir, db) = demo_db();
    let file = dir.path().join("grants.csv");
    let out = run_db(&db, &["export", "grants", "-o", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    let rows = csv::Reader::from_path(&file).unwrap().records().count();
    assert!(rows > 0);
    assert!(
        err.contains(&format!(
            "wrote {rows} rows of grants to {}",
            file.display()
        )),
        "{err}"
    );
    let out = run_db(&db, &["export", "consultations"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("consultation_tallies"), "{err}");
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("wrote"),
        "stdout is the CSV alone"
    );
    let empty = dir.path().join("empty");
    let out = run_db(&empty, &["report", "indicators"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("kyodo import DIR") && err.contains("kyodo --demo"),
        "{err}"
    );
}
