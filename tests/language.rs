//! One language setting, obeyed everywhere (issue 15, part 2): `--lang`, then `KYODO_LANG`,
//! then the locale (LC_ALL, LC_MESSAGES, LANG) choose the language of help, usage errors,
//! import and check messages alike.

use std::process::{Command, Output};

/// The binary with no language setting at all but the ones a test gives it.
fn kyodo(env: &[(&str, &str)]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kyodo"));
    c.env_remove("KYODO_DB")
        .env_remove("KYODO_LANG")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env(
            "XDG_DATA_HOME",
            std::env::temp_dir().join("kyodo-test-never-used"),
        );
    for (k, v) in env {
        c.env(k, v);
    }
    c
}

fn run(env: &[(&str, &str)], args: &[&str]) -> Output {
    kyodo(env).args(args).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// clap's own English words that must never show in a Japanese help screen.
const ENGLISH_HELP: [&str; 7] = [
    "Usage:",
    "Options:",
    "Commands:",
    "Print help",
    "[default:",
    "[possible values",
    "[env:",
];

#[test]
fn japanese_help_is_japanese_throughout() {
    let out = run(&[], &["--lang", "ja", "log", "meeting", "--help"]);
    assert!(out.status.success());
    let help = text(&out.stdout);
    for word in [
        "使い方:",
        "オプション:",
        "議題",
        "ヘルプを表示する",
        "[環境変数: KYODO_DB]",
    ] {
        assert!(help.contains(word), "{word} missing from:\n{help}");
    }
    for word in ENGLISH_HELP {
        assert!(!help.contains(word), "{word} in Japanese help:\n{help}");
    }
    // `kyodo help X` is the same screen as `kyodo X --help`.
    let via_help = run(&[], &["--lang", "ja", "help", "log", "meeting"]);
    assert_eq!(text(&via_help.stdout), help);
}

#[test]
fn every_subcommand_has_japanese_help_with_no_english_left() {
    let top = text(&run(&[("KYODO_LANG", "ja")], &["--help"]).stdout);
    assert!(top.contains("コマンド:"), "{top}");
    for sub in [
        "import", "report", "log", "audit", "check", "backup", "restore", "serve", "staff",
        "export",
    ] {
        let out = run(&[("KYODO_LANG", "ja")], &[sub, "--help"]);
        assert!(out.status.success(), "{sub}");
        let help = text(&out.stdout);
        assert!(help.contains("使い方:"), "{sub}:\n{help}");
        for word in ENGLISH_HELP {
            assert!(!help.contains(word), "{word} in `{sub} --help`:\n{help}");
        }
    }
    // Choices are listed in Japanese words.
    let report = text(&run(&[("KYODO_LANG", "ja")], &["report", "--help"]).stdout);
    assert!(report.contains("[値: text, json, csv"), "{report}");
}

#[test]
fn the_flag_beats_the_variable_which_beats_the_locale() {
    let ja = |out: Output| text(&out.stdout).contains("使い方:");
    // The locale alone.
    assert!(ja(run(&[("LANG", "ja_JP.UTF-8")], &["--help"])));
    assert!(!ja(run(&[("LANG", "C")], &["--help"])));
    // LC_ALL wins over LANG, as it does for every program.
    assert!(!ja(run(
        &[("LANG", "ja_JP.UTF-8"), ("LC_ALL", "C")],
        &["--help"]
    )));
    assert!(ja(run(
        &[("LANG", "C"), ("LC_MESSAGES", "ja_JP.UTF-8")],
        &["--help"]
    )));
    // KYODO_LANG wins over the locale, --lang over both.
    assert!(!ja(run(
        &[("LANG", "ja_JP.UTF-8"), ("KYODO_LANG", "en")],
        &["--help"]
    )));
    assert!(ja(run(
        &[("LANG", "C"), ("KYODO_LANG", "en")],
        &["--lang", "ja", "--help"]
    )));
    assert!(!ja(run(
        &[("KYODO_LANG", "ja")],
        &["--lang", "en", "--help"]
    )));
    // The flag counts wherever it is on the line.
    assert!(ja(run(&[], &["report", "--help", "--lang", "ja"])));
}

#[test]
fn usage_errors_are_in_the_users_language_with_the_offending_value() {
    let out = run(&[], &["--lang", "ja", "report", "--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.starts_with("エラー: "), "{err}");
    for part in ["「xml」", "text, json, csv", "使い方: kyodo report"] {
        assert!(err.contains(part), "{part} missing: {err}");
    }
    assert!(!err.contains("error:") && !err.contains("Usage"), "{err}");
    let out = run(&[], &["--lang", "ja", "report", "--fy", "1800"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("「1800」") && err.contains("令和6年度"),
        "{err}"
    );
    let out = run(&[], &["--lang", "ja", "log", "tally", "--bogus"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("「--bogus」"));
    // English stays clap's own.
    let out = run(&[], &["--lang", "en", "report", "--format", "xml"]);
    let err = text(&out.stderr);
    assert!(err.contains("invalid value 'xml'"), "{err}");
}

#[test]
fn import_and_check_speak_the_chosen_language() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db = db.to_str().unwrap();
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/data/demo");
    assert!(run(&[], &["--db", db, "import", demo]).status.success());
    let ja = run(&[("LANG", "ja_JP.UTF-8")], &["--db", db, "check"]);
    assert!(ja.status.success());
    assert!(
        text(&ja.stdout).starts_with("問題なし"),
        "{}",
        text(&ja.stdout)
    );
    let en = run(&[("LANG", "C")], &["--db", db, "check"]);
    assert!(text(&en.stdout).starts_with("ok: "), "{}", text(&en.stdout));

    let bad = dir.path().join("bad");
    std::fs::create_dir(&bad).unwrap();
    std::fs::write(
        bad.join("team_meetings.csv"),
        "body,date,agenda\nnosuch,2024-05-01,x\n",
    )
    .unwrap();
    let bad = bad.to_str().unwrap();
    let ja = run(&[], &["--lang", "ja", "--db", db, "import", bad]);
    assert_eq!(ja.status.code(), Some(1));
    let err = text(&ja.stderr);
    for part in [
        "何も書き込んでいません",
        "team_meetings.csv:2:1",
        "「nosuch」",
        "地域協働体",
    ] {
        assert!(err.contains(part), "{part} missing: {err}");
    }
    let en = run(&[], &["--lang", "en", "--db", db, "import", bad]);
    let err = text(&en.stderr);
    for part in [
        "nothing was written",
        "team_meetings.csv:2:1",
        "'nosuch'",
        "no body",
    ] {
        assert!(err.contains(part), "{part} missing: {err}");
    }
    // A refused log names the value in Japanese; the store is as it was.
    let out = run(
        &[("KYODO_LANG", "ja")],
        &[
            "--db",
            db,
            "log",
            "meeting",
            "--body",
            "nosuch",
            "--date",
            "2024-05-01",
            "--agenda",
            "x",
        ],
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("「nosuch」"));
    let ja = run(&[("KYODO_LANG", "ja")], &["--db", db, "check"]);
    assert!(text(&ja.stdout).starts_with("問題なし"));
    // The import's audit entry says what it did in words, in either language.
    let ja = text(&run(&[("KYODO_LANG", "ja")], &["--db", db, "audit"]).stdout);
    let line = ja.lines().find(|l| l.starts_with("#1 ")).unwrap();
    assert!(
        line.contains(" 取込  (地域協働体 33 件(追加 33・更新 0・変更なし 0)、"),
        "{line}"
    );
    assert!(
        !line.contains("imported") && !line.contains("(+33"),
        "{line}"
    );
    let en = text(&run(&[("KYODO_LANG", "en")], &["--db", db, "audit"]).stdout);
    let line = en.lines().find(|l| l.starts_with("#1 ")).unwrap();
    assert!(
        line.contains(" imported  (bodies 33 (added 33, updated 0, unchanged 0); "),
        "{line}"
    );
    // The import summary names each type in Japanese beside its file.
    let again = text(&run(&[("KYODO_LANG", "ja")], &["--db", db, "import", demo]).stdout);
    assert!(
        again
            .lines()
            .any(|l| l.starts_with("地域協働体 (bodies) ") && l.contains("変更なし 33")),
        "{again}"
    );
}

#[test]
fn an_english_audit_says_terms_in_english_and_a_japanese_one_in_japanese() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db = db.to_str().unwrap();
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/data/demo");
    assert!(run(&[], &["--db", db, "import", demo]).status.success());
    let logged = run(
        &[],
        &[
            "--db",
            db,
            "log",
            "tally",
            "--category",
            "話し合い支援",
            "--channel",
            "来所",
            "--date",
            "2024-05-01",
        ],
    );
    assert!(logged.status.success(), "{}", text(&logged.stderr));
    let person = "藤原 健";
    let set = run(
        &[],
        &["--db", db, "staff", "set-role", person, "coordinator"],
    );
    assert!(set.status.success(), "{}", text(&set.stderr));
    let en = text(&run(&[], &["--lang", "en", "--db", db, "audit"]).stdout);
    for line in [
        "    Role: Liaison → Coordinator",
        "    Category: - → Dialogue support",
        "    Channel: - → Visit",
    ] {
        assert!(en.contains(line), "{line} missing:\n{en}");
    }
    assert!(
        en.contains("created Tally 2024-05-01 Dialogue support Visit"),
        "{en}"
    );
    let ja = text(&run(&[], &["--lang", "ja", "--db", db, "audit"]).stdout);
    for line in [
        "    役割: 地域担当 → 調整担当",
        "    分野: - → 話し合い支援",
    ] {
        assert!(ja.contains(line), "{line} missing:\n{ja}");
    }
}
