//! End-to-end: the real binary in a pseudo-terminal, keys in, screen text out (vt100 parser).
//! Each test sets its own TERM, size and locale; CI has no terminal of its own.

mod common;

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// Hang guard only: a wait that takes this long means the program is stuck. Not a speed check.
const STUCK: Duration = Duration::from_secs(30);

struct Session {
    master: Box<dyn portable_pty::MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    rx: Receiver<Vec<u8>>,
    parser: vt100::Parser,
    raw: Vec<u8>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Session {
    fn start(args: &[&str], env: &[(&str, &str)], cols: u16, rows: u16) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_kyodo"));
        cmd.args(args);
        cmd.env_clear();
        cmd.env("PATH", std::env::var("PATH").unwrap_or_default());
        cmd.env("HOME", std::env::temp_dir());
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "ja_JP.UTF-8");
        cmd.env("KYODO_LANG", "ja");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        if tx.send(buf[..n].to_vec()).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        Session {
            master: pair.master,
            writer,
            rx,
            parser: vt100::Parser::new(rows, cols, 0),
            raw: Vec::new(),
            child,
        }
    }

    fn pump(&mut self, wait: Duration) -> bool {
        match self.rx.recv_timeout(wait) {
            Ok(bytes) => {
                self.parser.process(&bytes);
                self.raw.extend_from_slice(&bytes);
                true
            }
            Err(_) => false,
        }
    }

    fn screen(&self) -> String {
        self.parser.screen().contents()
    }

    /// Reads output until the screen satisfies `pred`.
    fn wait_for(&mut self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            if start.elapsed() > STUCK {
                panic!("screen never showed {what}; it shows:\n{s}");
            }
            self.pump(Duration::from_millis(200));
        }
    }

    fn wait_text(&mut self, text: &str) -> String {
        self.wait_for(text, |s| s.contains(text))
    }

    fn keys(&mut self, k: &str) {
        self.writer.write_all(k.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Waits for the process to end, draining output; returns its exit status.
    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(st) = self.child.try_wait().unwrap() {
                while self.pump(Duration::from_millis(100)) {}
                return st;
            }
            if start.elapsed() > STUCK {
                panic!("kyodo did not exit; screen:\n{}", self.screen());
            }
            self.pump(Duration::from_millis(100));
        }
    }

    fn assert_restored(&self) {
        let raw = String::from_utf8_lossy(&self.raw);
        let enter = raw
            .rfind("\x1b[?1049h")
            .expect("entered the alternate screen");
        let leave = raw.rfind("\x1b[?1049l").expect("left the alternate screen");
        assert!(leave > enter, "alternate screen left after entering");
        assert!(
            !self.parser.screen().alternate_screen(),
            "back on the main screen"
        );
        assert!(!self.parser.screen().hide_cursor(), "cursor shown again");
    }
}

#[test]
fn demo_visit_every_pane_by_keys_and_quit_restores_terminal() {
    let mut s = Session::start(&["--demo"], &[], 80, 24);
    let dash = s.wait_text("チーム会議の開催数");
    assert!(
        dash.contains("令和5年度"),
        "demo opens on the latest year with data:\n{dash}"
    );
    assert!(dash.contains("131"), "{dash}");
    // What the demo's person has overdue, counted just after the first frame (issue 17.3).
    s.wait_text("件が期限切れです (7 自分)");

    s.keys("2");
    s.wait_text("世帯数");
    s.keys("/");
    s.keys("はないずみ");
    let f = s.wait_text("1/1 件");
    assert!(f.contains("花泉地区まちづくり協議会"), "{f}");
    s.keys("\r");
    s.wait_for("filter accepted", |x| !x.contains("Enter 詳細  Esc"));
    s.keys("\r");
    s.wait_text("担当チーム");
    s.keys("\x1b");
    s.wait_text("世帯数");

    s.keys("3");
    s.wait_text("よみ");
    s.keys("4");
    s.wait_text("議題");
    s.keys("G");
    s.wait_text("131/131");
    s.keys("5");
    let cons = s.wait_text("分野別件数");
    assert!(cons.contains("2,410"), "{cons}");
    s.keys("6");
    s.wait_text("予算");
    s.keys("\t");
    s.wait_text("自分のフォローアップ");
    s.keys("\t");
    s.wait_text("ユーザー");
    s.keys("\t");
    s.wait_text("成果指標");
    s.keys("[");
    let prev = s.wait_text("令和4年度");
    s.wait_for("FY2022 figures", |x| {
        x.lines()
            .any(|l| l.contains("チーム会議の開催数") && l.contains("125"))
    });
    assert!(prev.contains("1 指標"));
    s.keys("?");
    s.wait_text("キー一覧  (Esc/?で閉じる)");
    s.keys("?");
    s.wait_for("help closed", |x| !x.contains("Esc/?で閉じる"));
    s.keys("q");
    let st = s.wait_exit();
    assert!(st.success(), "{st:?}");
    s.assert_restored();
}

#[test]
fn sigterm_and_sighup_restore_the_terminal() {
    for sig in ["-TERM", "-HUP"] {
        let mut s = Session::start(
            &["--demo"],
            &[("NO_COLOR", "1"), ("TERM", "screen")],
            80,
            24,
        );
        s.wait_text("チーム会議の開催数");
        let pid = s.child.process_id().unwrap().to_string();
        let ok = std::process::Command::new("kill")
            .args([sig, &pid])
            .status()
            .unwrap();
        assert!(ok.success());
        s.wait_exit();
        s.assert_restored();
    }
}

#[test]
fn a_panic_restores_the_terminal() {
    let mut s = Session::start(&["--demo"], &[("KYODO_DEBUG_PANIC_KEY", "P")], 80, 24);
    s.wait_text("チーム会議の開催数");
    s.keys("P");
    let st = s.wait_exit();
    assert!(!st.success());
    s.assert_restored();
    assert!(String::from_utf8_lossy(&s.raw).contains("KYODO_DEBUG_PANIC_KEY pressed"));
}

#[test]
fn too_small_then_resized() {
    let mut s = Session::start(&["--demo"], &[("KYODO_LANG", "en")], 60, 20);
    s.wait_text("Terminal too small");
    s.master
        .resize(PtySize {
            rows: 30,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    s.parser.screen_mut().set_size(30, 100);
    s.wait_text("Team meetings held");
    s.keys("q");
    s.wait_exit();
    s.assert_restored();
}

#[test]
fn filter_cursor_sits_after_japanese_text() {
    let mut s = Session::start(&["--demo"], &[], 80, 24);
    s.wait_text("チーム会議の開催数");
    s.keys("2");
    s.wait_text("世帯数");
    s.keys("/花泉");
    s.wait_text("/花泉");
    // "< 令和5年度 > [デモ]  1/5 件 (/ 33)  絞り込み: /花泉" — the real cursor is one cell past 泉
    // (wide characters count two), so an IME's candidate window appears there.
    let start = Instant::now();
    loop {
        let screen = s.screen();
        let row = screen.lines().nth(1).unwrap_or("").to_string();
        let want = (
            1,
            unicode_width::UnicodeWidthStr::width(row.trim_end()) as u16,
        );
        let cur = s.parser.screen().cursor_position();
        if cur == want && !s.parser.screen().hide_cursor() {
            break;
        }
        assert!(
            start.elapsed() < STUCK,
            "cursor at {cur:?}, want {want:?} after: {row}"
        );
        s.pump(Duration::from_millis(200));
    }
    s.keys("\x1b");
    s.wait_for("filter closed", |x| !x.contains("/花泉"));
    s.keys("q");
    s.wait_exit();
}

const TAB: &str = "\t";
const ENTER: &str = "\r";
const CTRL_S: &str = "\x13";
/// Ctrl-A (line start) then Ctrl-K (delete to end): empties a text field.
const CLEAR: &str = "\x01\x0b";

/// A database with the demo data imported by the binary, and sessions on it.
fn demo_db() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db").to_string_lossy().into_owned();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kyodo"))
        .args([
            "--db",
            &db,
            "import",
            concat!(env!("CARGO_MANIFEST_DIR"), "/data/demo"),
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    (dir, db)
}

impl Session {
    /// Fills a form field by field: `Some(text)` replaces the text (a digit chooses in choice
    /// fields), `None` leaves it; Tab moves on. Then Ctrl-S.
    /// Fills a form field by field and saves: `None` keeps a field, `Some(text)` replaces it,
    /// `Some("#3")` chooses option 3 of a choice (a digit goes on to the next field by itself).
    fn fill_and_save(&mut self, values: &[Option<&str>]) {
        for v in values {
            if let Some(digit) = v.and_then(|t| t.strip_prefix('#')) {
                self.keys(digit);
                continue;
            }
            if let Some(t) = v {
                self.keys(CLEAR);
                self.keys(t);
            }
            self.keys(TAB);
        }
        self.keys(CTRL_S);
    }

    fn saved(&mut self) {
        self.wait_text("保存しました");
    }

    fn quit(&mut self) {
        self.keys("q");
        let st = self.wait_exit();
        assert!(st.success(), "{st:?}");
        self.assert_restored();
    }
}

#[test]
fn every_record_type_by_keys_alone_edit_restart_delete() {
    let (_dir, db) = demo_db();
    let args = ["--db", db.as_str()];
    let mut s = Session::start(&args, &[], 80, 24);
    s.wait_text("チーム会議の開催数");
    let body = "試験地区まちづくり協議会";

    // 地域協働体
    s.keys("2");
    s.wait_text("世帯数");
    s.keys("a");
    s.wait_text("新規: 地域協働体");
    s.fill_and_save(&[
        Some(body),
        Some("しけんちくまちづくりきょうぎかい"),
        Some("花泉"),
        Some("花泉支所"),
        Some("R8.4.1"),
        None,
        Some("１２０"),
        Some("300"),
    ]);
    s.saved();
    s.wait_text(body);
    // 職員
    s.keys("3");
    s.wait_text("よみ");
    s.keys("a");
    s.wait_text("新規: 職員");
    s.fill_and_save(&[
        Some("試験 花子"),
        Some("しけん はなこ"),
        None,
        Some("花泉支所"),
        Some("shiken.hanako"),
        Some("#3"),
    ]);
    s.saved();
    // 担当 (the staff pane's second view)
    s.keys("v");
    s.wait_text("担当(v)");
    s.keys("a");
    s.wait_text("新規: 担当");
    s.fill_and_save(&[Some("試験 花子"), Some(body)]);
    s.saved();
    s.keys("/試験");
    let found = s.wait_text("1/1 件");
    assert!(
        found.contains("試験 花子") && found.contains("リーダー"),
        "{found}"
    );
    s.keys("\x1b");
    s.wait_for("filter cleared", |x| !x.contains("/試験"));
    // チーム会議 with an attendee and a follow-up
    s.keys("4");
    s.wait_text("議題");
    s.keys("a");
    s.wait_text("新規: チーム会議");
    s.fill_and_save(&[
        Some(body),
        None,
        Some("試験会館"),
        Some("試験 花子"),
        None,
        Some("試験の議題"),
        None,
        None,
        // Follow-up 1 as a row: text, owner, due.
        Some("会場の予約"),
        Some("試験 花子"),
        Some("2027-01-10"),
    ]);
    s.saved();
    s.wait_text("試験の議題");
    // 相談 (detailed)
    s.keys("5");
    s.wait_text("分野別件数");
    s.keys("a");
    s.wait_text("新規: 相談");
    s.fill_and_save(&[
        None,
        Some("試験 花子"),
        Some("#1"),
        Some(body),
        Some("#2"),
        Some("1"),
        None,
        Some("30"),
        Some("会則の相談"),
    ]);
    s.saved();
    // 相談件数 by quick tally: three keys after l
    s.keys("l");
    s.wait_text("相談件数をすばやく記録");
    s.keys("3");
    s.wait_text("方法を番号で選ぶ");
    s.keys("1");
    s.wait_text("Enterで保存");
    s.keys(ENTER);
    s.wait_text("保存しました: 資金・助成 来所 ×1");
    s.wait_text("合計 2  (詳細 1 / 件数のみ 1)");
    // 活動
    s.keys("2");
    s.wait_text("世帯数");
    s.keys("v");
    s.wait_text("活動(v)");
    s.keys("a");
    s.wait_text("新規: 活動");
    s.fill_and_save(&[
        Some(body),
        None,
        Some("試験の清掃活動"),
        Some("#5"),
        Some("25"),
    ]);
    s.saved();
    s.wait_text("試験の清掃活動");
    // 文書 (a record type declared in its module alone, listed by the generic list)
    s.keys("v");
    s.wait_text("文書(v)");
    s.keys("a");
    s.wait_text("新規: 文書");
    s.fill_and_save(&[
        Some("試験第1号"),
        Some("試験の通知書"),
        None,
        Some(r"\\fs01\試験\1.pdf"),
        Some(body),
    ]);
    s.saved();
    s.wait_text("試験第1号");
    // 地域づくり計画の改訂 (another type declared in its module alone)
    s.keys("v");
    s.wait_text("地域づくり計画の改訂(v)");
    s.keys("a");
    s.wait_text("新規: 地域づくり計画の改訂");
    s.fill_and_save(&[Some(body), Some("R8.5.1"), Some("試験の改訂")]);
    s.saved();
    s.wait_text("試験の改訂");
    // 要望・提言: received, answered, reflected, by keys alone; a step back is refused.
    s.keys("v");
    s.wait_text("要望・提言(v)");
    s.keys("a");
    s.wait_text("新規: 要望・提言");
    s.fill_and_save(&[
        Some("R8-901"),
        Some(body),
        Some("R8.5.10"),
        Some("試験の街路灯"),
        Some("道路河川課"),
    ]);
    s.saved();
    s.wait_text("試験の街路灯");
    s.keys("e");
    s.wait_text("編集: 要望・提言");
    // number, body, received, text, section, priority, plan item, reply due, state → 回答 (#2),
    // answered on, answer.
    s.fill_and_save(&[
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        Some("#2"),
        Some("R8.6.1"),
        Some("設置します"),
    ]);
    s.saved();
    s.keys("e");
    s.wait_text("編集: 要望・提言");
    let mut to_reflected = vec![None; 8];
    to_reflected.extend([Some("#3"), None, None, Some("R8.7.1")]);
    s.fill_and_save(&to_reflected);
    s.saved();
    s.wait_for("reflected", |x| {
        x.lines()
            .any(|l| l.contains("R8-901") && l.contains("反映"))
    });
    s.keys("e");
    s.wait_text("編集: 要望・提言");
    let mut back = vec![None; 8];
    back.push(Some("#1"));
    s.fill_and_save(&back);
    s.wait_text("「回答」以降にしてください");
    s.keys("\x1b");
    s.wait_text("入力を破棄しますか?");
    s.keys("y");
    s.wait_for("form closed", |x| !x.contains("編集: 要望・提言"));
    // 交付金, 交付申請・決定, 支払 (paid never exceeds decided)
    s.keys("6");
    s.wait_text("交付先(v)");
    s.keys("v");
    s.wait_text("交付金(v)");
    s.keys("a");
    s.wait_text("新規: 交付金");
    s.fill_and_save(&[
        Some("試験交付金"),
        Some("R8"),
        Some("1,000,000円"),
        Some("#3"),
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        Some("500,000"),
    ]);
    s.saved();
    s.wait_text("試験交付金");
    s.keys("v");
    s.wait_text("支払(v)");
    s.keys("v");
    s.wait_text("要対応(v)");
    s.keys("v");
    s.wait_text("複数年度の採択(v)");
    s.keys("v");
    s.wait_text("配分シナリオ(v)");
    // A draft formula (any year): typed, saved and listed with its yen grouped.
    s.keys("a");
    s.wait_text("新規: 配分シナリオ");
    s.fill_and_save(&[Some("試験案"), None, Some("1000000")]);
    s.saved();
    s.wait_for("scenario listed", |x| {
        x.lines()
            .any(|l| l.contains("試験案") && l.contains("1,000,000円"))
    });
    s.keys("v");
    s.wait_text("交付先(v)");
    s.keys("a");
    s.wait_text("新規: 交付申請・決定");
    s.fill_and_save(&[
        None,
        Some(body),
        Some("500000"),
        None,
        None,
        None,
        Some("500000"),
        Some("R8.6.1"),
        None,
        None,
        None,
        None,
        Some("#2"),
    ]);
    s.saved();
    s.wait_text("500,000円");
    s.keys("v");
    s.keys("v");
    s.wait_text("支払(v)");
    s.keys("a");
    s.wait_text("新規: 支払・返還");
    s.fill_and_save(&[None, Some(body), None, None, Some("600000")]);
    let refused = s.wait_text("を超えます");
    let joined: String = refused.lines().map(str::trim).collect();
    assert!(
        joined.contains(
            "600,000円 を支払うと支払済額が 600,000円 になり、交付決定額 500,000円 を超えます"
        ),
        "{refused}"
    );
    s.keys(CLEAR);
    s.keys("400000");
    s.keys(CTRL_S);
    s.saved();
    s.wait_text("400,000円");
    // 成果指標の実績 (entered yearly) from the dashboard
    s.keys("1");
    s.wait_text("チーム会議の開催数");
    s.keys("j");
    s.keys("e");
    s.wait_text("成果指標の実績");
    s.fill_and_save(&[None, None, Some("9,000")]);
    s.saved();
    s.wait_for("9,000 on the dashboard", |x| {
        x.lines()
            .any(|l| l.contains("輪っしょい") && l.contains("9,000"))
    });

    // 自治会 and 団体 (grantees, issue 18.1), then edit: the body's households.
    s.keys("2");
    s.keys("v");
    s.wait_text("指定管理の期間(v)");
    s.keys("v");
    s.wait_text("自治会(v)");
    s.keys("a");
    s.wait_text("新規: 自治会");
    s.fill_and_save(&[
        Some("試験自治会"),
        Some("しけんじちかい"),
        Some(body),
        Some("40"),
    ]);
    s.saved();
    s.wait_text("試験自治会");
    s.keys("v");
    s.wait_text("団体(v)");
    s.keys("v");
    s.wait_text("地域協働体(v)");
    s.keys("/しけん");
    s.wait_text("1/1 件");
    s.keys(ENTER);
    s.wait_for("filter accepted", |x| x.contains("v 表示切替"));
    s.keys("e");
    s.wait_text("編集: 地域協働体");
    s.fill_and_save(&[None, None, None, None, None, None, Some("130")]);
    s.saved();
    s.quit();

    // After a restart everything is there.
    let mut s = Session::start(&args, &[], 80, 24);
    s.wait_text("チーム会議の開催数");
    s.wait_for("9,000 kept", |x| {
        x.lines()
            .any(|l| l.contains("輪っしょい") && l.contains("9,000"))
    });
    s.keys("2");
    s.keys("/しけん");
    s.wait_text("1/1 件");
    s.keys(ENTER);
    s.wait_for("filter accepted", |x| x.contains("v 表示切替"));
    s.keys(ENTER);
    let detail = s.wait_text("担当チーム");
    assert!(
        detail.contains("130") && detail.contains("試験 花子"),
        "{detail}"
    );
    s.keys("\x1b");
    s.wait_for("back to list", |x| x.contains("v 表示切替"));
    s.keys("4");
    s.wait_text("試験の議題");
    s.keys("5");
    s.wait_text("合計 2  (詳細 1 / 件数のみ 1)");
    s.keys("7");
    let mine = s.wait_text("このログイン名の職員が登録されていません");
    let login = kyodo::cli::os_login();
    assert!(
        mine.contains(&format!("■ {login}: ")),
        "names the login: {mine}"
    );

    // Delete: the activity goes; the body, still referred to, is offered to be marked dissolved.
    s.keys("2");
    s.keys("v");
    s.wait_text("試験の清掃活動");
    s.keys("d");
    s.wait_text("削除しますか?");
    s.keys("y");
    s.wait_text("削除しました");
    s.wait_text("この年度の記録はありません");
    s.keys("v");
    s.wait_text("文書(v)");
    s.wait_text("試験第1号");
    s.keys("d");
    s.wait_text("削除しますか?");
    s.keys("y");
    s.wait_text("削除しました");
    s.wait_for("document gone", |x| !x.contains("試験第1号"));
    s.keys("v");
    s.wait_text("試験の改訂");
    s.keys("v");
    s.wait_text("R8-901");
    s.keys("v");
    s.wait_text("指定管理の期間(v)");
    s.keys("v");
    s.wait_text("自治会(v)");
    s.keys("v");
    s.wait_text("団体(v)");
    s.keys("v");
    s.wait_text("地域協働体(v)");
    s.keys("/しけん");
    s.wait_text("1/1 件");
    s.keys(ENTER);
    s.wait_for("filter accepted", |x| x.contains("v 表示切替"));
    s.keys("d");
    s.wait_text("削除しますか?");
    s.keys("y");
    let offer = s.wait_text("代わりに解散・無効にしますか?");
    assert!(
        offer.contains("参照されているため削除できません"),
        "{offer}"
    );
    s.keys("y");
    s.saved();
    s.quit();

    // The audit trail holds every change, and check agrees with everything.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kyodo"))
        .args(["--db", &db, "audit", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<(String, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_string(),
                e["record_type"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for t in [
        "bodies",
        "staff",
        "assignments",
        "document_refs",
        "community_plan_revisions",
        "neighborhood_associations",
        "team_meetings",
        "consultations",
        "consultation_tallies",
        "body_activities",
        "subsidy_programs",
        "grants",
        "disbursements",
        "indicator_entries",
    ] {
        assert!(
            kinds.contains(&("create".into(), t.into())),
            "create {t}: {kinds:?}"
        );
    }
    assert!(kinds.contains(&("update".into(), "bodies".into())));
    assert!(kinds.contains(&("delete".into(), "body_activities".into())));
    assert!(kinds.contains(&("delete".into(), "document_refs".into())));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kyodo"))
        .args(["--db", &db, "check"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn japanese_typed_into_a_form_lands_intact_with_the_cursor_after_it() {
    let (_dir, db) = demo_db();
    let mut s = Session::start(&["--db", &db], &[], 80, 24);
    s.wait_text("チーム会議の開催数");
    s.keys("2");
    s.wait_text("世帯数");
    s.keys("a");
    s.wait_text("新規: 地域協働体");
    let text = "一関地区まちづくり協議会ＡＢ";
    s.keys(text);
    let screen = s.wait_text(text);
    let row = screen.lines().position(|l| l.contains(text)).unwrap() as u16;
    // Label column (16 cells) + a space + 28 cells of text: the cursor is on cell 45.
    let want = (
        row,
        16 + 1 + unicode_width::UnicodeWidthStr::width(text) as u16,
    );
    let start = Instant::now();
    while s.parser.screen().cursor_position() != want || s.parser.screen().hide_cursor() {
        assert!(
            start.elapsed() < STUCK,
            "cursor {:?}, want {want:?}",
            s.parser.screen().cursor_position()
        );
        s.pump(Duration::from_millis(200));
    }
    // Backspace removes one whole wide character.
    s.keys("\x7f");
    s.wait_text("一関地区まちづくり協議会Ａ");
    s.keys("\x1b");
    s.wait_text("入力を破棄しますか?");
    s.keys("y");
    s.wait_for("form closed", |x| !x.contains("新規: 地域協働体"));
    s.quit();
}

#[test]
fn a_draft_survives_sighup_and_is_offered_on_the_next_start() {
    let (_dir, db) = demo_db();
    let mut s = Session::start(&["--db", &db], &[], 80, 24);
    s.wait_text("チーム会議の開催数");
    s.keys("4");
    s.wait_text("議題");
    s.keys("a");
    s.wait_text("新規: チーム会議");
    s.keys("花泉地区まちづくり協議会");
    s.keys(TAB);
    s.keys(TAB);
    s.keys("花泉市民センター会議室");
    s.wait_text("花泉市民センター会議室");
    let pid = s.child.process_id().unwrap().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-HUP", &pid])
            .status()
            .unwrap()
            .success()
    );
    s.wait_exit();
    s.assert_restored();

    let mut s = Session::start(&["--db", &db], &[], 80, 24);
    s.wait_text("前回保存されなかった入力(下書き)があります");
    s.keys("y");
    let form = s.wait_text("新規: チーム会議");
    assert!(
        form.contains("花泉市民センター会議室") && form.contains("花泉地区まちづくり協議会"),
        "{form}"
    );
    s.keys(CTRL_S);
    s.wait_text("! 必須項目です");
    s.keys("\x1b");
    s.wait_text("入力を破棄しますか?");
    s.keys("y");
    s.wait_for("form closed", |x| !x.contains("新規: チーム会議"));
    s.quit();
    // Offered once: a third start opens straight on the dashboard.
    let mut s = Session::start(&["--db", &db], &[], 80, 24);
    let screen = s.wait_text("チーム会議の開催数");
    assert!(!screen.contains("下書き"));
    s.quit();
}

#[test]
fn a_coordinator_previews_applies_pays_confirms_lower_and_sees_the_refund_due() {
    let (_dir, db) = demo_db();
    let mut s = Session::start(&["--db", &db], &[], 80, 24);
    s.wait_text("チーム会議の開催数");
    // The FY2024 program: from the current year back to 令和6年度.
    s.keys("6");
    s.wait_text("交付先(v)");
    for _ in 0..2 {
        s.keys("[");
    }
    s.wait_text("令和6年度");
    s.keys("v");
    s.wait_text("交付金(v)");
    s.wait_text("150,000,000円");
    s.keys("p");
    let pv = s.wait_text("配分の試算: 令和6年度 地域づくり交付金");
    assert!(pv.contains("予算内") && pv.contains("/33"), "{pv}");
    s.keys("c");
    s.wait_text("比較: 令和5年度 地域づくり交付金");
    s.keys("A");
    s.wait_text("この試算で交付決定を作成しますか?");
    s.keys("y");
    s.wait_text("33 件の交付決定を作成しました");
    // Back to the grants; the first body's next step is an advance of the whole amount.
    for _ in 0..5 {
        s.keys("v");
    }
    s.wait_text("交付先(v)");
    s.keys("s");
    let form = s.wait_text("交付金の手続き");
    assert!(
        form.contains("1概算払") && form.contains("2実績報告"),
        "{form}"
    );
    // Pay 2,000,000円 in advance.
    s.keys(TAB);
    s.keys(TAB);
    s.keys(CLEAR);
    s.keys("2,000,000");
    s.keys(CTRL_S);
    s.saved();
    s.wait_text("2,000,000円");
    // 実績報告, then 額の確定 at 1,500,000円.
    s.keys("s");
    s.wait_text("交付金の手続き");
    s.keys("2");
    s.keys(CTRL_S);
    s.saved();
    s.wait_text("実績報告");
    s.keys("s");
    s.wait_text("1額の確定");
    s.keys(TAB);
    s.keys(TAB);
    s.keys(CLEAR);
    s.keys("1,500,000");
    s.keys(CTRL_S);
    s.saved();
    let grants = s.wait_text("!500,000円");
    let line = grants.lines().find(|l| l.contains("!500,000円")).unwrap();
    assert!(
        line.contains("額の確定") && line.contains("2,000,000円"),
        "{line}"
    );
    // The refund is due in 要対応, and the ledger report says the same.
    s.keys("v");
    s.keys("v");
    s.keys("v");
    let todo = s.wait_text("要対応(v)");
    s.wait_text("返還未済 500,000円");
    let _ = todo;
    s.quit();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kyodo"))
        .args([
            "--db",
            &db,
            "report",
            "subsidies",
            "--fy",
            "2024",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let due: Vec<&serde_json::Value> = v["grants"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["refund_due"] == 500_000)
        .collect();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0]["confirmed"], 1_500_000);
    assert_eq!(due[0]["paid"], 2_000_000);
}

fn serve(db: &str) -> std::process::Child {
    let (server, mut log) = common::serve_child(db);
    // Keep draining the log so the server never blocks on a full pipe.
    std::thread::spawn(move || std::io::copy(&mut log, &mut std::io::sink()));
    server
}

fn stop(mut server: std::process::Child) {
    assert!(common::terminate(&mut server));
}

#[test]
fn a_tui_on_the_server_shows_anothers_consultation_and_rides_out_a_restart() {
    let (_dir, db) = demo_db();
    let server = serve(&db);
    let mut s = Session::start(&["--db", &db], &[], 100, 30);
    s.wait_text("チーム会議の開催数");
    s.keys("5");
    s.wait_text("分野別件数");
    let today = chrono::Local::now().date_naive();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kyodo"))
        .args([
            "--db",
            &db,
            "log",
            "consultation",
            "--channel",
            "電話",
            "--category",
            "資金・助成",
            "--counselor",
            "千葉 恵",
            "--date",
            &today.to_string(),
        ])
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // No key is pressed: the server's notice redraws the list.
    let screen = s.wait_text(&today.format("%Y/%m/%d").to_string());
    assert!(screen.contains("資金・助成"), "{screen}");

    // A form being typed survives the server going away and coming back.
    s.keys("a");
    s.wait_text("新規: 相談");
    s.keys("再起動中も残る");
    s.wait_text("再起動中も残る");
    stop(server);
    s.wait_text("再接続しています");
    let server = serve(&db);
    s.wait_text("再接続しました");
    let screen = s.screen();
    assert!(
        screen.contains("新規: 相談") && screen.contains("再起動中も残る"),
        "{screen}"
    );
    s.keys("\x1b");
    s.wait_text("入力を破棄しますか?");
    s.keys("y");
    s.wait_for("form closed", |x| !x.contains("新規: 相談"));
    s.quit();
    stop(server);
}

#[test]
fn text_a_command_writes_to_a_terminal_carries_no_raw_escape() {
    let (_dir, db) = demo_db();
    {
        let store = kyodo::store::Store::open(std::path::Path::new(&db)).unwrap();
        let mut b = store.list::<kyodo::domain::Body>().items.remove(0);
        // A name that would clear the screen and set the window title if printed raw.
        b.name = "悪意\x1b[2J\x1b]0;owned\x07地区".into();
        store.insert(b).unwrap();
    }
    for args in [
        vec!["--db", db.as_str(), "export", "bodies"],
        vec![
            "--db",
            db.as_str(),
            "report",
            "--fy",
            "2023",
            "--by",
            "body",
            "--format",
            "csv",
        ],
    ] {
        let mut s = Session::start(&args, &[("KYODO_BACKUP_DIR", "off")], 120, 40);
        assert!(s.wait_exit().success(), "{args:?}");
        assert!(
            !s.raw.contains(&0x1b),
            "{args:?}: a raw ESC reached the terminal"
        );
        let shown = String::from_utf8_lossy(&s.raw);
        assert!(
            shown.contains("悪意␛[2J␛]0;owned␇地区"),
            "{args:?}: {shown}"
        );
    }
    // Into a file the bytes stay as stored.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kyodo"))
        .args(["--db", &db, "export", "bodies"])
        .env("KYODO_BACKUP_DIR", "off")
        .output()
        .unwrap();
    assert!(out.stdout.windows(4).any(|w| w == b"\x1b[2J"));
}

/// Counts the keys a task takes: every key, kana typed to pick a name and dates included, free
/// text (agenda, summary, follow-up text) not (issue 14's rule).
#[derive(Default)]
struct Keys(usize);

impl Keys {
    /// Sends `k`, one key per character (a control key is one).
    fn press(&mut self, s: &mut Session, k: &str) {
        self.0 += k.chars().count();
        s.keys(k);
    }
    /// Sends free text, not counted.
    fn free(&mut self, s: &mut Session, text: &str) {
        s.keys(text);
    }
    /// The keys counted since the last call.
    fn take(&mut self) -> usize {
        std::mem::take(&mut self.0)
    }
}

const CTRL_U: &str = "\x15";

/// Issue 14: each daily task scripted by keys in a pseudo-terminal at 80x24, the record it
/// stores checked, and the keys it takes held to the targets (quick tally ≤ 4, detailed
/// consultation ≤ 14, a meeting with 3 attendees picked by kana and a follow-up with owner and
/// due ≤ 40, ticking a follow-up ≤ 3, one grant step ≤ 3).
#[test]
fn the_daily_tasks_take_few_keys() {
    let (_dir, db) = demo_db();
    // The person at the keyboard is on the staff list.
    let login = kyodo::cli::os_login();
    common::kyodo_ok(&[
        "--db",
        &db,
        "staff",
        "add",
        "--name",
        "試験 一郎",
        "--kana",
        "しけん いちろう",
        "--section",
        "花泉支所",
        "--login",
        &login,
        "--role",
        "管理者",
    ]);
    let open = || kyodo::store::Store::open(std::path::Path::new(&db)).unwrap();
    let mut s = Session::start(&["--db", db.as_str()], &[], 80, 24);
    s.wait_text("記録のある最新の年度は令和5年度です(L で移動)");
    let mut k = Keys::default();
    let mut counts = Vec::new();

    // 1. Quick tally.
    k.press(&mut s, "l");
    s.wait_text("相談件数をすばやく記録");
    k.press(&mut s, "3");
    s.wait_text("方法を番号で選ぶ");
    k.press(&mut s, "1");
    s.wait_text("Enterで保存");
    k.press(&mut s, ENTER);
    s.wait_text("保存しました: 資金・助成 来所 ×1");
    counts.push(("quick tally", k.take(), 4));

    // 2. A detailed consultation from a body (花泉), by phone, on one category.
    k.press(&mut s, "5");
    s.wait_text("分野別件数");
    k.press(&mut s, "a");
    s.wait_text("新規: 相談");
    k.press(&mut s, TAB); // date: today
    k.press(&mut s, TAB); // counselor: me
    k.press(&mut s, "1"); // 地域協働体, and on to its name
    k.press(&mut s, "はな");
    s.wait_text("花泉地区まちづくり協議会");
    k.press(&mut s, ENTER); // picked, and on
    k.press(&mut s, "2"); // channel, and on
    k.press(&mut s, "1"); // category 1
    k.press(&mut s, TAB);
    k.press(&mut s, TAB);
    k.press(&mut s, TAB);
    k.free(&mut s, "会則の改正の進め方");
    k.press(&mut s, CTRL_S);
    s.wait_text("保存しました: 相談");
    counts.push(("detailed consultation", k.take(), 14));

    // 3. A team meeting of 花泉 with three attendees picked by kana and one follow-up.
    k.press(&mut s, "4");
    s.wait_text("議題");
    k.press(&mut s, "a");
    s.wait_text("新規: チーム会議");
    k.press(&mut s, "はないず");
    s.wait_text("花泉地区まちづくり協議会");
    k.press(&mut s, ENTER); // the body, its team proposed, on to the date
    k.press(&mut s, TAB);
    k.press(&mut s, TAB);
    k.press(&mut s, CTRL_U); // not the proposed team: these three
    for kana in ["むらか", "たかは", "すずき"] {
        k.press(&mut s, kana);
        s.wait_for("a suggestion", |x| {
            x.lines()
                .filter(|l| l.starts_with("                 "))
                .count()
                > 0
        });
        k.press(&mut s, ENTER);
    }
    k.press(&mut s, TAB);
    k.press(&mut s, TAB);
    k.free(&mut s, "防災訓練の役割分担");
    k.press(&mut s, TAB);
    k.press(&mut s, TAB);
    k.press(&mut s, TAB);
    k.free(&mut s, "見守り名簿を更新する");
    k.press(&mut s, TAB); // owner: me
    k.press(&mut s, TAB);
    k.press(&mut s, "1/10");
    k.press(&mut s, CTRL_S);
    s.wait_text("保存しました: チーム会議");
    counts.push(("team meeting", k.take(), 40));

    // 4. Tick the follow-up in 自分.
    k.press(&mut s, "7");
    s.wait_text("見守り名簿を更新する");
    k.press(&mut s, "x");
    s.wait_text("保存しました");
    s.wait_text("[x]");
    counts.push(("tick a follow-up", k.take(), 3));

    // 5. One step of a モデル事業 grant (decided → 概算払), the grant chosen by a filter.
    s.keys("6");
    s.wait_text("交付先(v)");
    s.keys("[[[");
    s.wait_text("令和5年度");
    s.keys("/モデル\r");
    s.wait_text("1/3 件");
    k.press(&mut s, "s");
    s.wait_text("交付金の手続き");
    let step = s.wait_text("地域づくりモデル事業交付金 (令和");
    assert!(step.contains("概算払"), "{step}");
    k.press(&mut s, CTRL_S);
    s.wait_text("保存しました");
    counts.push(("grant step (from the grant selected)", k.take() + 1, 3));
    s.quit();

    for (task, n, target) in &counts {
        eprintln!("keys: {task}: {n} (target ≤ {target})");
        assert!(n <= target, "{task}: {n} keys, target ≤ {target}");
    }
    // What the keys stored.
    let store = open();
    let me = store
        .list::<kyodo::domain::Staff>()
        .items
        .into_iter()
        .find(|x| x.login.as_deref() == Some(login.as_str()))
        .unwrap()
        .id;
    let today = chrono::Local::now().date_naive();
    let fy = kyodo::domain::FiscalYear::of(today);
    let c = store
        .list_fy::<kyodo::domain::Consultation>(fy)
        .items
        .into_iter()
        .find(|c| c.summary == "会則の改正の進め方")
        .expect("the consultation");
    assert_eq!(c.counselor_id, me);
    assert!(matches!(c.client, kyodo::domain::Client::Body(_)));
    assert_eq!(c.categories.len(), 1);
    let m = store
        .list_fy::<kyodo::domain::TeamMeeting>(fy)
        .items
        .into_iter()
        .find(|m| m.agenda == "防災訓練の役割分担")
        .expect("the meeting");
    assert_eq!(m.attendees.len(), 3, "{:?}", m.attendees);
    assert_eq!(m.follow_ups.len(), 1);
    let f = &m.follow_ups[0];
    assert_eq!(f.text, "見守り名簿を更新する");
    assert_eq!(f.owner, Some(me));
    assert_eq!(
        f.due,
        Some(kyodo::domain::parse_date_near("1/10", today).unwrap())
    );
    assert!(f.done, "ticked in 自分");
}
