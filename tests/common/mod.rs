//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod app;
pub mod server;

use kyodo::store::Store;
use tempfile::TempDir;

/// A fresh store in a temporary directory (sled locks a directory per process, so every test
/// gets its own).
pub fn empty_store() -> (TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    (dir, store)
}

/// A fresh store holding the demo dataset, loaded through the import code.
pub fn demo_store() -> (TempDir, Store) {
    let (dir, store) = empty_store();
    kyodo::io::import::import_sources(&store, kyodo::io::demo::sources()).unwrap();
    (dir, store)
}

/// The demo store acting as the staff member whose login is `login` (what the TUI does for the
/// person logged in); returns the store and that person.
pub fn demo_store_as(login: &str) -> (TempDir, Store, kyodo::domain::Staff) {
    let (dir, mut store) = demo_store();
    let me = store
        .list::<kyodo::domain::Staff>()
        .items
        .into_iter()
        .find(|s| s.login.as_deref() == Some(login))
        .unwrap();
    store.set_actor(kyodo::domain::Actor {
        login: login.into(),
        staff_id: Some(me.id),
    });
    (dir, store, me)
}

/// A database holding the demo dataset, made by the binary's own `import` in a process that has
/// exited: for tests that then run the binary or a server on it (sled may hold its file lock for
/// a moment after an in-process store is dropped). Returns the directory and the database path.
pub fn demo_db() -> (TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/data/demo");
    kyodo_ok(&["--db", db.to_str().unwrap(), "import", demo]);
    (dir, db)
}

/// The kyodo binary as a command with no database, socket or language from the environment,
/// the C locale and a data directory that is never used.
pub fn kyodo_cmd() -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_kyodo"));
    c.env_remove("KYODO_DB")
        .env_remove("KYODO_SOCKET")
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

/// Runs the kyodo binary with `args` (no socket from the environment, C locale) and returns its
/// standard output, failing the test with its standard error if it did not succeed.
pub fn kyodo_ok(args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kyodo"))
        .env_remove("KYODO_SOCKET")
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "kyodo {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `kyodo serve` on `db` as a child process, once it listens, with its log (the first line,
/// "serving …", already read).
pub fn serve_child(
    db: &str,
) -> (
    std::process::Child,
    std::io::BufReader<std::process::ChildStderr>,
) {
    use std::io::BufRead;
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_kyodo"))
        .args(["--db", db, "serve"])
        .env_remove("KYODO_SOCKET")
        // Never the test's own stdout: a server left behind by a failed test must not keep
        // the test run's output open.
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut log = std::io::BufReader::new(server.stderr.take().unwrap());
    let mut first = String::new();
    log.read_line(&mut first).unwrap();
    assert!(first.contains("serving"), "{first}");
    (server, log)
}

/// Sends SIGTERM to `child` and waits for it; returns whether it exited successfully.
pub fn terminate(child: &mut std::process::Child) -> bool {
    // SAFETY: signalling our own child process.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    child.wait().map(|s| s.success()).unwrap_or(false)
}

/// How many records the demo dataset holds: the data rows of every CSV in data/demo (a cell
/// may span lines, so the files are read as CSV), which `kyodo check` counts after an import.
pub fn demo_records() -> usize {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/demo");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.path().extension().is_some_and(|x| x == "csv") {
            n += csv::Reader::from_path(e.path()).unwrap().records().count();
        }
    }
    n
}

/// A UI state on `store` in `lang`, `fy`, with `pane` loaded and open, at `size`.
pub fn state(
    store: &Store,
    lang: kyodo::i18n::Lang,
    fy: kyodo::domain::FiscalYear,
    pane: kyodo::app::Pane,
    size: (u16, u16),
) -> kyodo::app::AppState {
    let mut s = kyodo::app::AppState::new(lang, fy, true, size);
    let mut loader = kyodo::app::data::Loader::new(store);
    kyodo::tui::apply(
        &mut s,
        &mut loader,
        vec![kyodo::app::Effect::Load(kyodo::app::Pane::Dashboard, fy)],
    );
    let effects = kyodo::app::update(&mut s, kyodo::app::Action::GoPane(pane.index()));
    kyodo::tui::apply(&mut s, &mut loader, effects);
    s
}

/// The screen as text, one line per row, wide characters counted once.
pub fn render(s: &kyodo::app::AppState, theme: kyodo::tui::theme::Theme) -> String {
    let (w, h) = s.size;
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    term.draw(|f| kyodo::tui::views::draw(f, s, theme)).unwrap();
    let buf = term.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let mut x = 0;
        let mut line = String::new();
        while x < w {
            let sym = buf[(x, y)].symbol();
            line.push_str(sym);
            x += unicode_width::UnicodeWidthStr::width(sym).max(1) as u16;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Imports one file `name` holding `csv` into a fresh database in `lang`, expects it refused
/// (exit 1, nothing written) and returns what it said on stderr.
pub fn import_refused(name: &str, csv: &str, lang: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, csv).unwrap();
    let db = dir.path().join("db");
    let out = kyodo_cmd()
        .args(["--db", db.to_str().unwrap(), "--lang", lang, "import"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    String::from_utf8_lossy(&out.stderr).into_owned()
}
