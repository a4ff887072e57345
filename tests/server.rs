//! Shared mode (issue 6): a real server on a temporary socket, clients through the same Store
//! API the TUI and CLI use. The server is started with claimed logins, so one OS account can
//! play every role; `kyodo serve` itself only trusts SO_PEERCRED.

mod common;

use kyodo::domain::*;
use kyodo::store::framed::write_frame;
use kyodo::store::remote::Request;
use kyodo::store::{Batch, Live, Store, StoreError, TreeName, keys};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use common::server::Running;

const ADMIN: &str = "chiba.megumi";
const COORDINATOR: &str = "koyama.tomoko";
const LIAISON: &str = "miura.satoshi";
const COUNSELOR: &str = "sasaki.hanako";
const VIEWER: &str = "onodera.sho";

fn tally(day: u32) -> ConsultationTally {
    ConsultationTally {
        id: 0,
        date: chrono::NaiveDate::from_ymd_opt(2024, 5, day).unwrap(),
        category: Category::DialogueSupport,
        channel: Channel::Visit,
        count: 1,
    }
}

fn tallies(s: &Store) -> usize {
    s.list_fy::<ConsultationTally>(FiscalYear(2024)).items.len()
}

#[test]
fn eight_clients_writing_at_once_lose_nothing() {
    let r = Running::start();
    let before = tallies(&r.client(ADMIN));
    let consultations_before = r
        .client(ADMIN)
        .fy_counts(FiscalYear(2024))
        .unwrap()
        .consultations;
    std::thread::scope(|scope| {
        for c in 0..8u32 {
            let r = &r;
            scope.spawn(move || {
                let s = r.client(COUNSELOR);
                for i in 0..25 {
                    let mut b = Batch::new();
                    b.put(tally(1 + (c * 25 + i) % 28));
                    s.write(b).unwrap();
                }
            });
        }
    });
    let s = r.client(ADMIN);
    assert_eq!(tallies(&s), before + 200);
    assert_eq!(
        s.fy_counts(FiscalYear(2024)).unwrap().consultations,
        consultations_before + 200
    );
    let report = kyodo::store::check::check(&s);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    let mine = s.audit_entries(1_000, |e| e.record.actor.login == COUNSELOR);
    assert_eq!(
        mine.items.len(),
        200,
        "each write audited as the verified user"
    );
}

#[test]
fn an_update_against_a_stale_version_is_refused_with_who_and_when() {
    let r = Running::start();
    let (a, b) = (r.client(ADMIN), r.client(COORDINATOR));
    let body = a.list::<Body>().items[0].clone();
    let key = keys::id_key(body.id);
    let seen_a = a.version(TreeName::Bodies, &key).unwrap().n;
    let seen_b = b.version(TreeName::Bodies, &key).unwrap().n;
    assert_eq!(seen_a, seen_b);

    let mut mine = body.clone();
    mine.households += 1;
    let mut w = Batch::new();
    w.put(mine.clone());
    w.expect_version(TreeName::Bodies, key.clone(), seen_a);
    a.write(w).unwrap();

    let mut theirs = body.clone();
    theirs.population += 7;
    let mut w = Batch::new();
    w.put(theirs.clone());
    w.expect_version(TreeName::Bodies, key.clone(), seen_b);
    match b.write(w) {
        Err(StoreError::Stale(v)) => {
            assert_eq!(v.by, ADMIN);
            assert_eq!(v.n, seen_a + 1);
            let msg = kyodo::store::stale_message(&v, kyodo::i18n::Lang::En);
            assert!(
                msg.starts_with("chiba.megumi changed this record at "),
                "{msg}"
            );
            assert!(msg.contains("your input is kept"), "{msg}");
        }
        other => panic!("expected a stale refusal, got {other:?}"),
    }
    assert_eq!(
        b.get_id::<Body>(body.id).unwrap(),
        Some(mine),
        "nothing written"
    );
    // Having seen the new version, the second writer may save over it.
    let now = b.version(TreeName::Bodies, &key).unwrap().n;
    let mut w = Batch::new();
    w.put(theirs.clone());
    w.expect_version(TreeName::Bodies, key, now);
    b.write(w).unwrap();
    assert_eq!(a.get_id::<Body>(body.id).unwrap(), Some(theirs));
}

#[test]
fn a_change_by_one_client_reaches_another_clients_subscription() {
    let r = Running::start();
    let watcher = r.client(VIEWER);
    let (tx, rx) = std::sync::mpsc::channel();
    watcher.subscribe(move |live| tx.send(live).is_ok());
    // A safety net so a broken server fails the test instead of hanging it.
    let next = || rx.recv_timeout(Duration::from_secs(30)).unwrap();
    assert_eq!(next(), Live::Ready);
    let writer = r.client(COUNSELOR);
    let mut b = Batch::new();
    b.put(tally(3));
    writer.write(b).unwrap();
    match next() {
        Live::Changed(n) => {
            assert_eq!(n.by, COUNSELOR);
            assert!(n.trees.contains(&TreeName::ConsultationTallies), "{n:?}");
        }
        other => panic!("expected a change, got {other:?}"),
    }
    // And the watcher reads it.
    assert_eq!(tallies(&watcher), tallies(&writer));
}

#[test]
fn a_client_killed_mid_request_leaves_the_server_and_data_intact() {
    let r = Running::start();
    let s = r.client(ADMIN);
    let before = tallies(&s);
    {
        use std::io::Write;
        let mut raw = r.raw(COUNSELOR);
        // A write request cut after 10 of its 100 announced bytes, then the process is gone.
        raw.write_all(&100u32.to_le_bytes()).unwrap();
        raw.write_all(&[7u8; 10]).unwrap();
    }
    // A real client process killed while it runs.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kyodo"))
        .arg("--db")
        .arg(&r.db)
        .args(["export", "consultations"])
        .env("KYODO_SOCKET", &r.socket)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let mut b = Batch::new();
    b.put(tally(9));
    s.write(b).unwrap();
    assert_eq!(tallies(&s), before + 1);
    let report = kyodo::store::check::check(&s);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

#[test]
fn malformed_and_oversize_frames_close_only_their_connection() {
    use std::io::{Read, Write};
    let r = Running::start();
    let s = r.client(ADMIN);
    let closed = |mut c: UnixStream| {
        let mut buf = [0u8; 16];
        // The server closes the connection: end of stream (or a reset).
        matches!(c.read(&mut buf), Ok(0) | Err(_))
    };
    let mut oversize = r.raw(COUNSELOR);
    oversize.write_all(&u32::MAX.to_le_bytes()).unwrap();
    assert!(closed(oversize), "oversize frame");
    let mut malformed = r.raw(COUNSELOR);
    malformed.write_all(&3u32.to_le_bytes()).unwrap();
    malformed.write_all(&[250, 1, 2]).unwrap();
    assert!(closed(malformed), "malformed frame");
    let mut no_hello = UnixStream::connect(&r.socket).unwrap();
    write_frame(&mut no_hello, &Request::IsEmpty).unwrap();
    assert!(closed(no_hello), "a request before the hello");
    // Everyone else carries on.
    assert_eq!(s.list::<Body>().items.len(), 33);
    let mut b = Batch::new();
    b.put(tally(4));
    s.write(b).unwrap();
}

/// What each role tries, and whether the table allows it.
#[test]
fn each_role_is_allowed_and_refused_as_the_table_says() {
    let r = Running::start();
    let admin = r.client(ADMIN);
    let today = chrono::Local::now().date_naive();
    let staff = admin.list::<Staff>().items;
    let liaison = staff
        .iter()
        .find(|s| s.login.as_deref() == Some(LIAISON))
        .unwrap();
    let assignments = admin.list::<Assignment>().items;
    let assigned = |b: u64| {
        assignments.iter().any(|a| {
            a.staff_id == liaison.id
                && a.body_id == b
                && a.from <= today
                && a.to.is_none_or(|t| t >= today)
        })
    };
    let bodies = admin.list::<Body>().items;
    let mine = bodies.iter().find(|b| assigned(b.id)).unwrap().id;
    let other = bodies.iter().find(|b| !assigned(b.id)).unwrap().id;
    let program = admin.list::<SubsidyProgram>().items[0].clone();
    let liaison_id = liaison.id;
    let meeting = move |body_id| TeamMeeting {
        id: 0,
        body_id,
        date: today,
        place: "支所".into(),
        attendees: vec![liaison_id],
        guests: String::new(),
        agenda: "夏祭りの準備".into(),
        notes: String::new(),
        decisions: String::new(),
        follow_ups: Vec::new(),
    };
    let request = move |body_id, answered: bool| kyodo::domain::request::Request {
        id: 0,
        number: format!("T-{body_id}-{answered}"),
        body_id,
        received_on: today,
        text: "街路灯".into(),
        section: "道路河川課".into(),
        priority: kyodo::domain::request::Priority::Medium,
        plan_item: String::new(),
        reply_due: None,
        state: if answered {
            kyodo::domain::request::RequestState::Answered
        } else {
            kyodo::domain::request::RequestState::Received
        },
        answered_on: answered.then_some(today),
        answer: if answered {
            "設置します".into()
        } else {
            String::new()
        },
        closed_on: None,
        reason: String::new(),
    };
    type Try = Box<dyn Fn(&Store) -> Result<Vec<Vec<u8>>, StoreError>>;
    type Fill = Box<dyn Fn(&Store, &mut Batch)>;
    let put = |f: Fill| -> Try {
        Box::new(move |s: &Store| {
            let mut b = Batch::new();
            f(s, &mut b);
            s.write(b)
        })
    };
    // An update names the version it changes (the server refuses one that does not).
    fn update<T: kyodo::store::records::Record + PartialEq>(s: &Store, b: &mut Batch, r: &T) {
        let key = r.key();
        let v = s.version(T::TREE, &key).unwrap();
        b.expect_version(T::TREE, key, v.n);
        b.put(r.clone());
    }
    let body0 = bodies[0].clone();
    let staff0 = staff[1].clone();
    let attempts: Vec<(&str, Try)> = vec![
        ("bodies", put(Box::new(move |s, b| update(s, b, &body0)))),
        ("staff", put(Box::new(move |s, b| update(s, b, &staff0)))),
        (
            "subsidies",
            put(Box::new(move |s, b| update(s, b, &program))),
        ),
        ("consultations", put(Box::new(|_, b| b.put(tally(5))))),
        (
            "meeting, assigned body",
            put(Box::new(move |_, b| b.put(meeting(mine)))),
        ),
        (
            "meeting, other body",
            put(Box::new(move |_, b| b.put(meeting(other)))),
        ),
        (
            "request received, assigned body",
            put(Box::new(move |_, b| b.put(request(mine, false)))),
        ),
        (
            "request answered, assigned body",
            put(Box::new(move |_, b| b.put(request(mine, true)))),
        ),
        (
            "request received, other body",
            put(Box::new(move |_, b| b.put(request(other, false)))),
        ),
    ];
    // 要望・提言: a liaison records those of their bodies as received; answering is a
    // coordinator's (issue 17.2).
    let table: [(&str, [bool; 9]); 5] = [
        (ADMIN, [true; 9]),
        (
            COORDINATOR,
            [true, false, true, false, false, false, true, true, true],
        ),
        (
            LIAISON,
            [false, false, false, false, true, false, true, false, false],
        ),
        (
            COUNSELOR,
            [false, false, false, true, false, false, false, false, false],
        ),
        (VIEWER, [false; 9]),
    ];
    for (login, allowed) in table {
        let s = r.client(login);
        for ((what, attempt), ok) in attempts.iter().zip(allowed) {
            let audit_before = admin.audit_entries(usize::MAX, |_| true).items.len();
            match attempt(&s) {
                Ok(_) => assert!(ok, "{login} may not write {what}"),
                Err(StoreError::Denied(t)) => {
                    assert!(!ok, "{login} may write {what}: {}", t.en);
                    assert!(!t.ja.is_empty() && !t.en.is_empty());
                    assert_eq!(
                        admin.audit_entries(usize::MAX, |_| true).items.len(),
                        audit_before,
                        "a refusal writes nothing"
                    );
                }
                Err(e) => panic!("{login} {what}: {e}"),
            }
        }
    }
    // Summaries: counselors and admins only.
    let fy = FiscalYear(2023);
    let with_summary = |s: &Store| {
        s.list_fy::<Consultation>(fy)
            .items
            .iter()
            .filter(|c| !c.summary.is_empty())
            .count()
    };
    let full = with_summary(&r.client(COUNSELOR));
    assert!(full > 100, "{full}");
    assert_eq!(with_summary(&admin), full);
    for login in [COORDINATOR, LIAISON, VIEWER] {
        let s = r.client(login);
        assert_eq!(with_summary(&s), 0, "{login}");
        let one = s.list_fy::<Consultation>(fy).items[0].clone();
        assert!(
            !one.categories.is_empty() && one.people > 0,
            "the rest is there"
        );
    }
    // And in the audit trail's diffs.
    let counselor = r.client(COUNSELOR);
    let seen = counselor.list_fy::<Consultation>(fy).items[0].clone();
    let mut c = seen.clone();
    c.summary = "個人名を含む相談内容".into();
    let mut b = Batch::new();
    counselor.expect_unchanged(&mut b, &seen).unwrap();
    b.put(c);
    counselor.write(b).unwrap();
    let summary_change = |s: &Store| {
        s.audit_entries(1, |e| e.record.record_type == "consultations")
            .items
            .into_iter()
            .flat_map(|e| e.record.changes)
            .find(|c| c.field == "summary")
            .and_then(|c| c.after)
            .unwrap_or_default()
    };
    assert!(summary_change(&counselor).contains("個人名を含む相談内容"));
    assert_eq!(summary_change(&r.client(COORDINATOR)), "\"\"");
    // The TUI says the summary is withheld rather than showing an empty field.
    let seen = r.client(VIEWER).list_fy::<Consultation>(fy).items[0].clone();
    let lk = kyodo::app::data::Lookups {
        summaries_hidden: true,
        ..Default::default()
    };
    let d = kyodo::app::rows::detail(
        &kyodo::app::data::Item::Consultation(seen),
        &lk,
        kyodo::i18n::Lang::Ja,
        fy,
    );
    assert!(
        d.iter()
            .any(|(_, v)| v == "(相談内容は相談員と管理者だけが見られます)"),
        "{d:?}"
    );
    // A login with no staff record is refused by name.
    match Store::connect_claiming(&r.socket, &r.db, Some("nobody.here")) {
        Err(StoreError::Denied(t)) => {
            assert!(
                t.en.contains("'nobody.here' is not a kyodo staff member"),
                "{}",
                t.en
            );
            assert!(
                t.en.contains("kyodo staff set-login NAME nobody.here"),
                "{}",
                t.en
            );
        }
        other => panic!("expected a refusal, got {:?}", other.err()),
    }
    // A person who leaves loses access at once, on a connection already open.
    let viewer = r.client(VIEWER);
    let mut gone = staff
        .iter()
        .find(|s| s.login.as_deref() == Some(VIEWER))
        .unwrap()
        .clone();
    let mut b = Batch::new();
    admin.expect_unchanged(&mut b, &gone).unwrap();
    gone.active = false;
    b.put(gone);
    admin.write(b).unwrap();
    assert!(matches!(
        viewer.get_id::<Body>(mine),
        Err(StoreError::Denied(_))
    ));
}

#[test]
fn kyodo_serve_stops_on_sigterm_with_every_acknowledged_write_on_disk() {
    // The binary serves a database a fresh process made (sled frees its lock only when the
    // process that opened it ends).
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db = db.to_str().unwrap();
    common::kyodo_ok(&[
        "--db",
        db,
        "import",
        concat!(env!("CARGO_MANIFEST_DIR"), "/data/demo"),
    ]);
    let (mut server, mut log) = common::serve_child(db);
    let count = || {
        common::kyodo_ok(&["--db", db, "export", "consultation_tallies", "--fy", "2024"])
            .lines()
            .count()
    };
    let before = count();
    for day in 1..=5 {
        let date = format!("2024-05-0{day}");
        let args = [
            "--db",
            db,
            "log",
            "tally",
            "--category",
            "話し合い支援",
            "--channel",
            "来所",
            "--date",
            &date,
        ];
        common::kyodo_ok(&args);
    }
    assert!(common::terminate(&mut server), "clean exit");
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut log, &mut rest).unwrap();
    assert!(
        rest.contains("stopped; every acknowledged write is on disk"),
        "{rest}"
    );
    assert!(!dir.path().join("db/kyodo.sock").exists(), "socket removed");
    // Read by a process that opens the files itself.
    assert_eq!(count(), before + 5);
    let audit = common::kyodo_ok(&["--db", db, "audit", "--format", "json"]);
    let entries: serde_json::Value = serde_json::from_str(&audit).unwrap();
    let tallies_logged = entries
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["record_type"] == "consultation_tallies")
        .count();
    assert_eq!(tallies_logged, 5);
}

#[test]
fn a_backup_through_the_server_is_whole_and_for_admins_only() {
    let r = Running::start();
    let admin = r.client(ADMIN);
    let mut b = Batch::new();
    b.put(tally(6));
    admin.write(b).unwrap();
    let file = r._dir.path().join("shared.kyodo.gz");
    match kyodo::io::backup::backup(&r.client(COORDINATOR), &file) {
        Err(t) => assert!(
            t.en.contains("the coordinator role may not do this"),
            "{}",
            t.en
        ),
        Ok(_) => panic!("a coordinator took a backup"),
    }
    assert!(!file.exists(), "nothing left behind");
    let counts = kyodo::io::backup::backup(&admin, &file).unwrap();
    let d = tempfile::tempdir().unwrap();
    let target = d.path().join("db");
    let restored = kyodo::io::restore::restore(&target, &file, 20_000, &|_| {}).unwrap();
    assert_eq!(restored.counts, counts);
    let fresh = kyodo::store::Store::open(&target).unwrap();
    assert_eq!(tallies(&fresh), tallies(&admin));
    assert_eq!(
        fresh.list_fy::<Consultation>(FiscalYear(2023)).items,
        admin.list_fy::<Consultation>(FiscalYear(2023)).items,
        "summaries included"
    );
    assert!(kyodo::store::check::check(&fresh).problems.is_empty());
}
