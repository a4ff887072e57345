//! Only the server decides (issue 11): private files from the first byte whatever the umask;
//! no write without its audit entry, whatever a raw client sends; the fields a role may not see
//! reach only counselors and admins by every read path; imports through the server, judged by
//! the role table; refusals that say what to do.

mod common;

use kyodo::domain::*;
use kyodo::store::framed::{read_frame, write_frame};
use kyodo::store::remote::{Reply, Request, WireBatch, WireOp};
use kyodo::store::{Batch, Store, StoreError, TreeName, keys};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};

const ADMIN: &str = "chiba.megumi";
const COORDINATOR: &str = "koyama.tomoko";
const LIAISON: &str = "miura.satoshi";
const COUNSELOR: &str = "sasaki.hanako";
const VIEWER: &str = "onodera.sho";
const ROLES: [(&str, bool); 5] = [
    (ADMIN, true),
    (COUNSELOR, true),
    (COORDINATOR, false),
    (LIAISON, false),
    (VIEWER, false),
];

use common::server::Running;

/// Every path under `dir` with its mode.
fn modes(dir: &Path) -> Vec<(PathBuf, u32)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let m = std::fs::symlink_metadata(e.path()).unwrap();
            out.push((e.path(), m.permissions().mode() & 0o777));
            if m.is_dir() {
                stack.push(e.path());
            }
        }
    }
    out
}

/// The kyodo binary run under umask 022 (as a first import by a service account would be,
/// before a unit's UMask applies).
fn kyodo_022(args: &[&str]) -> std::process::Output {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_kyodo"));
    c.args(args)
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("KYODO_SOCKET");
    // SAFETY: umask in the child before exec.
    unsafe {
        c.pre_exec(|| {
            libc::umask(0o022);
            Ok(())
        });
    }
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn everything_kyodo_creates_is_private_under_umask_022() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let db = dir.path().join("db");
    let d = db.to_str().unwrap();
    kyodo_022(&["--db", d, "import", "data/demo"]);
    let archive = dir.path().join("manual.backup.gz");
    kyodo_022(&["--db", d, "backup", archive.to_str().unwrap()]);
    let restored = dir.path().join("restored");
    kyodo_022(&[
        "--db",
        restored.to_str().unwrap(),
        "restore",
        archive.to_str().unwrap(),
    ]);
    let csv = dir.path().join("out.csv");
    kyodo_022(&[
        "--db",
        d,
        "export",
        "consultations",
        "-o",
        csv.to_str().unwrap(),
    ]);
    let all = modes(dir.path());
    assert!(
        all.iter().any(|(p, _)| p.ends_with("db.backups")),
        "{all:?}"
    );
    for (p, m) in &all {
        assert_eq!(m & 0o077, 0, "{} is {m:04o}", p.display());
    }
    // A database found readable (made by an old kyodo, or copied) is tightened by the server,
    // which says what it changed.
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(db.join("db"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let (mut server, mut log) = common::serve_child(d);
    // The server tightens before it answers anyone: once a client is through its hello, the
    // modes are final (reading the log for a line instead can wait for ever if it differs).
    let client = kyodo::store::Store::connect(&db.join("kyodo.sock"), &db).unwrap();
    drop(client);
    let m = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(
        m(&db),
        0o710,
        "the group may reach the socket, not list the database"
    );
    assert_eq!(m(&db.join("db")), 0o600);
    assert_eq!(m(&db.join("kyodo.sock")), 0o660);
    assert!(common::terminate(&mut server));
    let mut said = String::new();
    std::io::Read::read_to_string(&mut log, &mut said).unwrap();
    assert!(
        said.lines()
            .any(|l| l.contains("made private") && l.contains("0644 → 0600")),
        "{said}"
    );
}

#[test]
fn a_raw_client_cannot_write_without_the_server_auditing_and_versioning_it() {
    let r = Running::start_with(|_| {});
    let admin = r.client(ADMIN);
    let grant = admin
        .list::<Grant>()
        .items
        .into_iter()
        .find(|g| g.decided_amount.is_some())
        .unwrap();
    let key = keys::id_key(grant.id);
    let audit_before = admin.audit_entries(usize::MAX, |_| true).items.len();
    let mut changed = grant.clone();
    changed.decided_amount = Some(99_000_000);
    let put = WireOp::Put {
        tree: TreeName::Grants,
        value: kyodo::store::codec::encode(&changed).unwrap(),
    };
    // An overwrite that names no version is refused, and nothing is written.
    let mut raw = r.raw(COORDINATOR);
    let wb = WireBatch {
        ops: vec![put.clone()],
        note: String::new(),
        expect: Vec::new(),
    };
    write_frame(&mut raw, &Request::Write(wb)).unwrap();
    match read_frame::<_, Reply>(&mut raw).unwrap() {
        Some(Reply::Error(kyodo::store::remote::WireError::Denied(t))) => {
            assert!(t.en.contains("must name the version"), "{}", t.en)
        }
        other => panic!("an unversioned overwrite was not refused: {other:?}"),
    }
    assert_eq!(
        admin.get_id::<Grant>(grant.id).unwrap(),
        Some(grant.clone())
    );
    assert_eq!(
        admin.audit_entries(usize::MAX, |_| true).items.len(),
        audit_before
    );
    // With the version it is written, and audited under the verified user, field by field.
    let v = admin.version(TreeName::Grants, &key).unwrap();
    let wb = WireBatch {
        ops: vec![put],
        note: String::new(),
        expect: vec![(TreeName::Grants, key.clone(), v.n)],
    };
    write_frame(&mut raw, &Request::Write(wb)).unwrap();
    assert!(matches!(
        read_frame::<_, Reply>(&mut raw).unwrap(),
        Some(Reply::Written(_))
    ));
    let e = admin.audit_entries(1, |_| true).items.remove(0);
    assert_eq!(e.record.actor.login, COORDINATOR);
    assert_eq!(e.record.action, AuditAction::Update);
    assert!(
        e.record
            .changes
            .iter()
            .any(|c| c.field == "decided_amount" && c.after.as_deref() == Some("99000000")),
        "{:?}",
        e.record.changes
    );
    assert_eq!(admin.version(TreeName::Grants, &key).unwrap().n, v.n + 1);
    // (check rightly reports the decided total over the budget now; the audit trail is whole.)
    let report = kyodo::store::check::check(&admin);
    assert!(
        report
            .problems
            .iter()
            .all(|p| p.tree != "audit" && p.tree != "counters"),
        "{:?}",
        report.problems
    );
    // A client speaking the old protocol (where it could ask for no audit) is turned away.
    let mut old = UnixStream::connect(&r.socket).unwrap();
    write_frame(
        &mut old,
        &Request::Hello {
            protocol: 1,
            subscribe: false,
            claimed_login: Some(COORDINATOR.into()),
        },
    )
    .unwrap();
    assert!(matches!(
        read_frame::<_, Reply>(&mut old).unwrap(),
        Some(Reply::Refused(_))
    ));
}

const SUMMARY: &str = "MARKER-SUMMARY-個人の事情";
const GROUP: &str = "MARKER-GROUP-山田家の見守り";

#[test]
fn private_fields_reach_only_counselors_and_admins_by_every_path() {
    let mut broken_key = Vec::new();
    let r = Running::start_with(|store| {
        let counselor = store
            .list::<Staff>()
            .items
            .into_iter()
            .find(|s| s.login.as_deref() == Some(COUNSELOR))
            .unwrap();
        let mut b = Batch::new();
        b.put(Consultation {
            id: 0,
            date: chrono::NaiveDate::from_ymd_opt(2023, 6, 1).unwrap(),
            counselor_id: counselor.id,
            client: Client::Group(GROUP.into()),
            channel: Channel::Phone,
            categories: vec![Category::DialogueSupport],
            people: 1,
            minutes: 20,
            summary: SUMMARY.into(),
            case_id: 0,
        });
        let keys = store.write(b).unwrap();
        // And one that changed later, so its diff is in the trail too.
        let id = keys::parse_id(&keys[0]).unwrap();
        let mut c = store.get_id::<Consultation>(id).unwrap().unwrap();
        c.summary = format!("{SUMMARY}-2");
        c.client = Client::Group(format!("{GROUP}-2"));
        store.insert(c).unwrap();
        // A stored consultation that no longer decodes, with a marker in its bytes.
        let mut bad = vec![1u8, 0xff, 0xff];
        bad.extend_from_slice(SUMMARY.as_bytes());
        broken_key = keys::id_key(999_999_999);
        store
            .raw_put(TreeName::Consultations, &broken_key, &bad)
            .unwrap();
    });
    let fy = FiscalYear(2023);
    let mut matrix = Vec::new();
    for (login, sees) in ROLES {
        let s = r.client(login);
        let paths: Vec<(&str, String)> = vec![
            (
                "get",
                format!(
                    "{:?}",
                    s.get_id::<Consultation>(
                        keys::parse_id(
                            &s.list_fy::<Consultation>(fy)
                                .items
                                .iter()
                                .find(|c| matches!(&c.client, Client::Group(_)) && c.minutes == 20)
                                .map(|c| keys::id_key(c.id))
                                .unwrap()
                        )
                        .unwrap()
                    )
                ),
            ),
            ("list", format!("{:?}", s.list::<Consultation>().items)),
            (
                "list_fy",
                format!("{:?}", s.list_fy::<Consultation>(fy).items),
            ),
            ("undecodable", {
                // The bytes as sent, not as decoded.
                let mut raw = r.raw(login);
                write_frame(
                    &mut raw,
                    &Request::Get {
                        tree: TreeName::Consultations,
                        key: broken_key.clone(),
                    },
                )
                .unwrap();
                match read_frame::<_, Reply>(&mut raw).unwrap() {
                    Some(Reply::Value(v)) => {
                        String::from_utf8_lossy(&v.unwrap_or_default()).into_owned()
                    }
                    other => format!("{other:?}"),
                }
            }),
            (
                "audit",
                format!("{:?}", s.audit_entries(usize::MAX, |_| true).items),
            ),
            (
                "export csv",
                kyodo::io::export::csv_text(
                    &s,
                    "consultations",
                    Some(fy),
                    kyodo::io::encoding::Encoding::Utf8,
                )
                .unwrap(),
            ),
            (
                "report by category",
                kyodo::cli::report::breakdown(
                    &s,
                    fy,
                    kyodo::cli::report::By::Category,
                    kyodo::cli::Format::Json,
                    kyodo::io::encoding::Encoding::Utf8,
                    kyodo::i18n::Lang::Ja,
                )
                .unwrap(),
            ),
        ];
        for (path, text) in &paths {
            let shows = text.contains("MARKER-SUMMARY") || text.contains("MARKER-GROUP");
            if *path == "report by category" {
                assert!(!shows, "{login} {path}");
                continue;
            }
            assert_eq!(
                shows,
                sees,
                "{login} by {path}: {}",
                &text[..text.len().min(300)]
            );
            matrix.push((login, *path, shows));
        }
    }
    eprintln!("role × path (shows the planted markers): {matrix:?}");
    // The hashes a viewer is sent are keyed: re-hashing a guessed summary does not confirm it.
    let viewer = r.client(VIEWER);
    let e = viewer
        .audit_entries(usize::MAX, |e| e.record.record_type == "consultations")
        .items
        .into_iter()
        .find(|e| e.record.action == AuditAction::Create)
        .unwrap();
    let mut guess = e.record.clone();
    for c in &mut guess.changes {
        if c.field == "summary" {
            c.after = Some(serde_json::to_string(SUMMARY).unwrap());
        }
    }
    let body = kyodo::store::codec::encode(&guess).unwrap();
    assert_ne!(
        kyodo::domain::audit::plain_chain_hash(&e.prev_hash, &body),
        e.hash
    );
    // A role that may not see is told why, in both languages, by the TUI's wording.
    let viewer = r.client(VIEWER);
    assert!(matches!(
        viewer.get::<Consultation>(&broken_key),
        Err(StoreError::Decode { .. })
    ));
}

#[test]
fn imports_go_through_the_server_for_whoever_may_write_those_records() {
    let r = Running::start_with(|_| {});
    let coordinator = r.client(COORDINATOR);
    let body = "name,kana,district,branch_office,established_on,households,population\n新しい地区まちづくり協議会,あたらしいちく,花泉,花泉支所,2026-04-01,120,300\n";
    let src = |name: &str, text: &str| kyodo::io::import::Source {
        name: name.into(),
        bytes: text.as_bytes().to_vec(),
    };
    let s = kyodo::io::import::import_sources(&coordinator, vec![src("bodies.csv", body)]).unwrap();
    assert_eq!(s.outcome("bodies").added, 1);
    let bodies = coordinator.list::<Body>().items;
    let new = bodies
        .iter()
        .find(|b| b.name == "新しい地区まちづくり協議会")
        .unwrap();
    assert!(new.id > 0, "the server gave the id");
    let e = coordinator.audit_entries(1, |_| true).items.remove(0);
    assert_eq!(
        (e.record.action, e.record.actor.login.as_str()),
        (AuditAction::Import, COORDINATOR)
    );
    // Row errors come back as embedded import gives them: file:line:column, in both languages.
    let bad = "name,kana,district,branch_office,established_on,households,population\nX,x,花泉,花泉支所,2026-13-01,1,1\n";
    match kyodo::io::import::import_sources(&coordinator, vec![src("bodies.csv", bad)]) {
        Err(kyodo::io::import::ImportError::Rows(rows)) => {
            let ja = rows[0].text(kyodo::i18n::Lang::Ja);
            assert!(
                ja.starts_with("bodies.csv:2:5: 列「established_on」"),
                "{ja}"
            );
        }
        other => panic!("{other:?}"),
    }
    // A counselor may import tallies, not bodies; nothing is written when refused.
    let counselor = r.client(COUNSELOR);
    let n = counselor.list::<Body>().items.len();
    let body2 = body.replace("新しい", "別の");
    match kyodo::io::import::import_sources(&counselor, vec![src("bodies.csv", &body2)]) {
        Err(kyodo::io::import::ImportError::Store(StoreError::Denied(t))) => {
            assert!(t.ja.contains("相談員"), "{}", t.ja)
        }
        other => panic!("a counselor imported bodies: {other:?}"),
    }
    assert_eq!(counselor.list::<Body>().items.len(), n);
    let tallies = "date,category,channel,count\n2026-06-01,話し合い支援,来所,2\n";
    kyodo::io::import::import_sources(&counselor, vec![src("consultation_tallies.csv", tallies)])
        .unwrap();
    // A liaison imports meetings of the bodies they are assigned to only.
    let liaison = r.client(LIAISON);
    let me = liaison.actor().staff_id.unwrap();
    let today = chrono::Local::now().date_naive();
    let assigned: Vec<u64> = liaison
        .list::<Assignment>()
        .items
        .iter()
        .filter(|a| a.staff_id == me && a.from <= today && a.to.is_none_or(|t| t >= today))
        .map(|a| a.body_id)
        .collect();
    let all = liaison.list::<Body>().items;
    let mine = all.iter().find(|b| assigned.contains(&b.id)).unwrap();
    let other = all.iter().find(|b| !assigned.contains(&b.id)).unwrap();
    let meeting = |b: &Body| format!("body,date,agenda\n{},2026-06-02,取り込みの会議\n", b.name);
    kyodo::io::import::import_sources(&liaison, vec![src("team_meetings.csv", &meeting(mine))])
        .unwrap();
    assert!(matches!(
        kyodo::io::import::import_sources(
            &liaison,
            vec![src("team_meetings.csv", &meeting(other))]
        ),
        Err(kyodo::io::import::ImportError::Store(StoreError::Denied(_)))
    ));
    assert!(
        kyodo::store::check::check(&r.client(ADMIN))
            .problems
            .is_empty()
    );
}

#[test]
fn a_user_who_may_not_reach_the_database_is_told_to_ask_for_the_group() {
    // Run as the unprivileged `nobody` against a database directory it cannot enter.
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    let db = dir.path().join("db");
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_kyodo"));
    c.args(["--db", db.to_str().unwrap(), "staff", "list"])
        .env("KYODO_LANG", "ja")
        .env_remove("KYODO_SOCKET");
    // SAFETY: dropping privileges in the child before exec.
    unsafe {
        c.pre_exec(|| {
            if libc::getuid() == 0 {
                libc::setgid(65534);
                libc::setuid(65534);
            }
            Ok(())
        });
    }
    let out = c.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    if unsafe { libc::getuid() } != 0 {
        // Not root: the directory is ours, so nothing to refuse; the rule is still covered.
        return;
    }
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("kyodo-users") && err.contains("権限がありません"),
        "{err}"
    );
}

/// The downgrade step of the test below, run in a child process (`KYODO_DOWNGRADE_DB` set): sled
/// may hold its file lock for a moment after a `Db` is dropped, so the database is made in a
/// process that then exits, and only then opened by the binary.
#[test]
fn downgrade_child() {
    let Ok(db) = std::env::var("KYODO_DOWNGRADE_DB") else {
        return;
    };
    let db = std::path::PathBuf::from(db);
    let store = Store::open(&db).unwrap();
    kyodo::io::import::import_sources(&store, kyodo::io::demo::sources()).unwrap();
    let mut b = store.list::<Body>().items.remove(0);
    b.households += 1;
    store.insert(b).unwrap();
    // Make it look like a version-1 database: plain SHA-256 links, no key file.
    let mut prev = [0u8; 32];
    for k in store.tree_keys(TreeName::Audit) {
        let mut e: AuditEntry = store
            .audit_entries(usize::MAX, |_| true)
            .items
            .into_iter()
            .find(|e| e.record.seq.to_be_bytes().as_slice() == k.as_slice())
            .unwrap();
        let body = kyodo::store::codec::encode(&e.record).unwrap();
        e.prev_hash = prev;
        e.hash = kyodo::domain::audit::plain_chain_hash(&prev, &body);
        prev = e.hash;
        store
            .raw_put(
                TreeName::Audit,
                &k,
                &kyodo::store::codec::encode(&e).unwrap(),
            )
            .unwrap();
    }
    let n = store.tree_len(TreeName::Audit) as u64;
    let mut head = n.to_be_bytes().to_vec();
    head.extend_from_slice(&prev);
    store.raw_put(TreeName::Meta, b"audit_head", &head).unwrap();
}

#[test]
fn an_audit_chain_from_before_the_key_is_verified_then_rehashed_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let st = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "downgrade_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("KYODO_DOWNGRADE_DB", &db)
        .env("KYODO_BACKUP_DIR", "off")
        .status()
        .unwrap();
    assert!(st.success());
    std::fs::remove_file(db.join("kyodo.key")).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kyodo"))
        .args(["--db", db.to_str().unwrap(), "check"])
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("KYODO_BACKUP_DIR", "off")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("verified, then re-hashed"), "{err}");
    assert!(
        out.status.success(),
        "{err}{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let store = Store::open(&db).unwrap();
    let last = store.audit_entries(1, |_| true).items.remove(0);
    assert_eq!(last.record.action, AuditAction::Migrate);
    assert!(store.verify_audit_chain().is_empty());
    drop(dir);
}
