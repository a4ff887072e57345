//! End-to-end: the real binary in a pseudo-terminal, keys in, screen text out (vt100 parser).
//! Each test sets its own TERM, size and locale; CI has no terminal of its own.

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
