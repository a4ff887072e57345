//! Store round trips, index and counter consistency after import, decode errors, and import
//! refusals with file/line/column.

mod common;

use chrono::NaiveDate;
use common::{demo_store, empty_store};
use kyodo::domain::audit::{Actor, AuditAction, AuditEntry, FieldChange};
use kyodo::domain::*;
use kyodo::io::import::{ImportError, Source, import_sources};
use kyodo::store::records::Metric;
use kyodo::store::{Batch, Store, StoreError, TreeName, keys};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn meeting(body_id: u64, date: NaiveDate) -> TeamMeeting {
    TeamMeeting {
        id: 0,
        body_id,
        date,
        place: "花泉市民センター".into(),
        attendees: vec![1, 2],
        guests: "会長".into(),
        agenda: "防災訓練の準備".into(),
        notes: "記録\n二行目".into(),
        decisions: String::new(),
        follow_ups: vec![FollowUp {
            text: "会場の予約".into(),
            owner: Some(1),
            due: Some(date),
            done: false,
        }],
    }
}

#[test]
fn round_trip_every_field_and_update_moves_index_and_counters() {
    let (_dir, store) = empty_store();
    assert_eq!(
        store.schema_version().unwrap(),
        Some(kyodo::store::SCHEMA_VERSION)
    );
    let id = store.insert(meeting(7, d(2023, 3, 31))).unwrap();
    let got: TeamMeeting = store.get_id(id).unwrap().unwrap();
    assert_eq!(
        got,
        TeamMeeting {
            id,
            ..meeting(7, d(2023, 3, 31))
        }
    );
    assert_eq!(
        store
            .counter_total(&Metric::TeamMeetings, FiscalYear(2022))
            .unwrap(),
        1
    );
    assert_eq!(
        store.list_fy::<TeamMeeting>(FiscalYear(2022)).items.len(),
        1
    );

    // Moving the meeting into April moves it to FY2023: index and counters follow.
    let mut moved = got.clone();
    moved.date = d(2023, 4, 1);
    let mut b = Batch::new();
    b.put(moved.clone());
    store.write(b).unwrap();
    assert_eq!(
        store
            .counter_total(&Metric::TeamMeetings, FiscalYear(2022))
            .unwrap(),
        0
    );
    assert_eq!(
        store
            .counter_total(&Metric::TeamMeetings, FiscalYear(2023))
            .unwrap(),
        1
    );
    assert!(
        store
            .list_fy::<TeamMeeting>(FiscalYear(2022))
            .items
            .is_empty()
    );
    assert_eq!(
        store.list_fy::<TeamMeeting>(FiscalYear(2023)).items,
        vec![moved]
    );
    assert_eq!(store.tree_len(TreeName::TeamMeetingsByDate), 1);
    assert_eq!(
        store
            .counter_months(&Metric::TeamMeetings, FiscalYear(2023))
            .unwrap()[0],
        1,
        "April is fiscal month slot 0"
    );
}

#[test]
fn written_data_survives_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let store = kyodo::store::Store::open(&path).unwrap();
        store.insert(meeting(1, d(2022, 6, 1))).unwrap();
    }
    // sled frees its lock lazily; reopen in a child process would be cleaner, but the same
    // process can reopen once the Db is dropped and its threads have stopped.
    let mut reopened = None;
    for _ in 0..200 {
        match kyodo::store::Store::open(&path) {
            Ok(s) => {
                reopened = Some(s);
                break;
            }
            Err(StoreError::Locked(_)) => std::thread::yield_now(),
            Err(e) => panic!("{e}"),
        }
    }
    let store = reopened.expect("database reopens");
    assert_eq!(
        store
            .counter_total(&Metric::TeamMeetings, FiscalYear(2022))
            .unwrap(),
        1
    );
}

/// Recounts every counter from the records and compares with the counters tree, and checks that
/// every index entry has its record and every dated record its index entry.
#[test]
fn demo_import_indexes_and_counters_match_a_recount() {
    let (_dir, store) = demo_store();
    for fy in [
        FiscalYear(2021),
        FiscalYear(2022),
        FiscalYear(2023),
        FiscalYear(2024),
    ] {
        let meetings = store.list_fy::<TeamMeeting>(fy);
        let cons = store.list_fy::<Consultation>(fy);
        let tallies = store.list_fy::<ConsultationTally>(fy);
        let acts = store.list_fy::<BodyActivity>(fy);
        assert!(meetings.problems.is_empty() && cons.problems.is_empty());
        assert!(tallies.problems.is_empty() && acts.problems.is_empty());
        assert!(meetings.items.iter().all(|m| fy.contains(m.date)));
        let recount_cons =
            cons.items.len() as i64 + tallies.items.iter().map(|t| t.count as i64).sum::<i64>();
        let recount_ds = cons
            .items
            .iter()
            .filter(|c| c.categories.contains(&Category::DialogueSupport))
            .count() as i64
            + tallies
                .items
                .iter()
                .filter(|t| t.category == Category::DialogueSupport)
                .map(|t| t.count as i64)
                .sum::<i64>();
        let c = store.fy_counts(fy).unwrap();
        assert_eq!(c.team_meetings, meetings.items.len() as i64, "{fy}");
        assert_eq!(c.body_activities, acts.items.len() as i64, "{fy}");
        assert_eq!(c.consultations, recount_cons, "{fy}");
        assert_eq!(c.dialogue_support, recount_ds, "{fy}");
        for ch in Channel::ALL {
            let n = cons.items.iter().filter(|x| x.channel == *ch).count() as i64
                + tallies
                    .items
                    .iter()
                    .filter(|t| t.channel == *ch)
                    .map(|t| t.count as i64)
                    .sum::<i64>();
            assert_eq!(store.counter_total(&Metric::Channel(*ch), fy).unwrap(), n);
        }
    }
    // Every record has exactly one index entry, and every index entry its record.
    assert_eq!(
        store.tree_len(TreeName::TeamMeetings),
        store.tree_len(TreeName::TeamMeetingsByDate)
    );
    assert_eq!(
        store.tree_len(TreeName::Consultations),
        store.tree_len(TreeName::ConsultationsByDate)
    );
    assert_eq!(
        store.tree_len(TreeName::ConsultationTallies),
        store.tree_len(TreeName::TalliesByDate)
    );
    assert_eq!(
        store.tree_len(TreeName::BodyActivities),
        store.tree_len(TreeName::ActivitiesByDate)
    );
}

#[test]
fn demo_reproduces_the_fy2022_baseline() {
    let (_dir, store) = demo_store();
    let c = store.fy_counts(FiscalYear(2022)).unwrap();
    assert_eq!(
        (
            c.bodies,
            c.team_meetings,
            c.consultations,
            c.dialogue_support,
            c.body_activities
        ),
        (33, 125, 2335, 138, 466)
    );
    let bodies = store.list::<Body>().items;
    assert_eq!(bodies.len(), 33);
    let districts: std::collections::BTreeSet<&str> =
        bodies.iter().map(|b| b.district.as_str()).collect();
    for name in [
        "一関", "花泉", "大東", "千厩", "東山", "室根", "川崎", "藤沢",
    ] {
        assert!(districts.contains(name), "{name}");
    }
    // Every body has a team of 2–4 with exactly one leader, in each demo year.
    let assignments = store.list::<Assignment>().items;
    for b in &bodies {
        for day in [d(2022, 10, 1), d(2023, 10, 1)] {
            let team: Vec<_> = assignments
                .iter()
                .filter(|a| a.body_id == b.id && a.covers(day))
                .collect();
            assert!(
                (2..=4).contains(&team.len()),
                "{} {day}: {}",
                b.name,
                team.len()
            );
            assert_eq!(
                team.iter().filter(|a| a.role == TeamRole::Leader).count(),
                1,
                "{}",
                b.name
            );
        }
    }
    // Some rotate in April 2023.
    assert!(assignments.iter().any(|a| a.from == d(2023, 4, 1)));
    assert!(assignments.iter().any(|a| a.to == Some(d(2023, 3, 31))));
    // A grant per body per year, with advances and settlements; paid never exceeds decided.
    let programs = store.list::<SubsidyProgram>().items;
    // 地域づくり交付金 FY2022–2024 (2024 not yet allocated), the FY2023 model program (2/3, 1/2,
    // 1/3), the FY2023 自治会等活動費総合補助金 and the FY2023–2025 協働人材育成事業助成金.
    assert_eq!(programs.len(), 8);
    let model = programs
        .iter()
        .find(|p| p.name == "地域づくりモデル事業交付金")
        .unwrap();
    assert!(matches!(&model.rule, AllocationRule::Rate { rates, .. } if rates.len() == 3));
    let fy2024 = programs
        .iter()
        .find(|p| p.fiscal_year == FiscalYear(2024) && p.name == "地域づくり交付金")
        .unwrap();
    let grants = store.list::<Grant>().items;
    let pays = store.list::<Disbursement>().items;
    assert_eq!(grants.len(), 66 + 3 + 4 + 2);
    assert!(!grants.iter().any(|g| g.program_id == fy2024.id));
    assert!(pays.iter().any(|p| p.kind == DisbursementKind::Advance));
    assert!(pays.iter().any(|p| p.kind == DisbursementKind::Settlement));
    for g in &grants {
        let mine: Vec<_> = pays.iter().filter(|p| p.grant_id == g.id).collect();
        let paid = net_paid(mine.iter().copied());
        let advances: i64 = mine
            .iter()
            .filter(|p| p.kind != DisbursementKind::Refund)
            .map(|p| p.amount)
            .sum();
        assert!(advances <= g.decided_amount.unwrap_or(0), "paid ≤ decided");
        assert!(g.confirmed_amount.unwrap_or(0) <= g.decided_amount.unwrap_or(0));
        if g.state == GrantState::Closed || g.state == GrantState::Refunded {
            assert_eq!(
                paid,
                g.confirmed_amount.unwrap(),
                "settled grants net to confirmed"
            );
        }
    }
}

#[test]
fn a_corrupted_value_is_an_error_naming_tree_and_key() {
    let (_dir, store) = demo_store();
    let body = store.list::<Body>().items.remove(0);
    let key = keys::id_key(body.id);
    store
        .raw_put(TreeName::Bodies, &key, &[1, 0xff, 0xff, 0xff])
        .unwrap();
    match store.get::<Body>(&key) {
        Err(StoreError::Decode { tree, key: k, .. }) => {
            assert_eq!(tree, "bodies");
            assert_eq!(k, keys::show_key(&key));
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    // A list reports the bad record beside the 32 good ones instead of failing.
    let all = store.list::<Body>();
    assert_eq!(all.items.len(), 32);
    assert_eq!(all.problems.len(), 1);
    assert!(all.problems[0].to_string().contains("bodies"));
    // Wrong version byte and trailing bytes are refused too.
    store.raw_put(TreeName::Bodies, &key, &[9, 0]).unwrap();
    assert!(
        store
            .get::<Body>(&key)
            .unwrap_err()
            .to_string()
            .contains("format version 9")
    );
    let mut good = kyodo::store::codec::encode(&body).unwrap();
    good.push(0);
    store.raw_put(TreeName::Bodies, &key, &good).unwrap();
    assert!(
        store
            .get::<Body>(&key)
            .unwrap_err()
            .to_string()
            .contains("trailing")
    );
}

#[test]
fn a_bad_file_is_refused_whole_with_line_and_column() {
    let (_dir, store) = demo_store();
    let before = store.tree_len(TreeName::ConsultationTallies);
    let csv = "date,category,channel,count\n\
               2024-05-01,話し合い支援,来所,2\n\
               2024-13-01,話し合い支援,来所,1\n\
               R6.5.2,相談したい,電話,1\n\
               令和6年5月3日,団体運営,来所,x\n\
               ,,,\n";
    let err = import_sources(
        &store,
        vec![Source {
            name: "consultation_tallies.csv".into(),
            bytes: csv.as_bytes().to_vec(),
        }],
    )
    .unwrap_err();
    let ImportError::Rows(errs) = err else {
        panic!("expected row errors")
    };
    let got: Vec<(u64, &str, &str)> = errs
        .iter()
        .map(|e| (e.line, e.column.as_str(), e.value.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (3, "date", "2024-13-01"),
            (4, "category", "相談したい"),
            (5, "count", "x")
        ]
    );
    assert!(
        errs[1].message.en.contains("話し合い支援"),
        "lists the choices"
    );
    assert_eq!(errs[0].file, "consultation_tallies.csv");
    assert_eq!(
        store.tree_len(TreeName::ConsultationTallies),
        before,
        "nothing written"
    );
}

#[test]
fn unknown_names_are_errors_with_candidates() {
    let (_dir, store) = demo_store();
    let csv = "body,date,title,role\n花泉地区,2024-05-01,夏祭り,活性化\n";
    let err = import_sources(
        &store,
        vec![Source {
            name: "body_activities.csv".into(),
            bytes: csv.as_bytes().to_vec(),
        }],
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("花泉地区まちづくり協議会"), "{err}");
    assert!(err.contains("body_activities.csv:2"), "{err}");
}

#[test]
fn import_accepts_bom_fullwidth_and_era_dates() {
    let (_dir, store) = demo_store();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice("date,category,channel,count\nＲ６．５．１,話し合い支援,来所,３\n令和6年5月2日,dialogue_support,phone,1\n".as_bytes());
    let s = import_sources(
        &store,
        vec![Source {
            name: "consultation_tallies.csv".into(),
            bytes,
        }],
    )
    .unwrap();
    assert_eq!(s.rows("consultation_tallies"), 2);
    assert_eq!(
        store
            .counter_total(&Metric::DialogueSupport, FiscalYear(2024))
            .unwrap(),
        4
    );
}

#[test]
fn a_referenced_body_cannot_be_deleted_and_the_refusal_changes_nothing() {
    let (_dir, mut store) = demo_store();
    store.set_actor(Actor {
        login: "chiba.megumi".into(),
        staff_id: None,
    });
    let body = store
        .list::<Body>()
        .items
        .into_iter()
        .find(|b| b.name == "花泉地区まちづくり協議会")
        .unwrap();
    let refs = store
        .references(kyodo::store::records::RefKind::Body, body.id)
        .unwrap();
    let names: Vec<&str> = refs.iter().map(|(t, _)| *t).collect();
    assert!(
        names.contains(&"assignments") && names.contains(&"team_meetings"),
        "{refs:?}"
    );
    assert!(
        names.contains(&"grants") && names.contains(&"body_activities"),
        "{refs:?}"
    );
    let audit_before = store.tree_len(TreeName::Audit);
    let err = store.delete::<Body>(body.id).unwrap_err();
    match &err {
        StoreError::Referenced { kind, refs: r } => {
            assert_eq!(*kind, "body");
            assert_eq!(r, &refs);
        }
        other => panic!("{other}"),
    }
    assert!(err.to_string().contains("mark it inactive"), "{err}");
    assert!(store.get_id::<Body>(body.id).unwrap().is_some());
    assert_eq!(store.tree_len(TreeName::Audit), audit_before);

    // A body nothing refers to can be deleted; deleting it twice is NotFound.
    let id = store
        .insert(Body {
            id: 0,
            name: "新設地区".into(),
            ..body.clone()
        })
        .unwrap();
    store.delete::<Body>(id).unwrap();
    assert!(store.get_id::<Body>(id).unwrap().is_none());
    assert!(matches!(
        store.delete::<Body>(id),
        Err(StoreError::NotFound { .. })
    ));
    // Once its meetings are gone a staff member's references drop.
    let m = store
        .list_fy::<TeamMeeting>(FiscalYear(2022))
        .items
        .remove(0);
    let staff = m.attendees[0];
    let before = store
        .references(kyodo::store::records::RefKind::Staff, staff)
        .unwrap();
    store.delete::<TeamMeeting>(m.id).unwrap();
    let after = store
        .references(kyodo::store::records::RefKind::Staff, staff)
        .unwrap();
    let count = |v: &[(&str, i64)]| {
        v.iter()
            .find(|(t, _)| *t == "team_meetings")
            .map(|x| x.1)
            .unwrap_or(0)
    };
    assert_eq!(count(&after), count(&before) - 1);
    assert_eq!(
        store
            .counter_total(&Metric::TeamMeetings, FiscalYear(2022))
            .unwrap(),
        124
    );
}

#[test]
fn every_change_is_audited_with_before_and_after() {
    let (_dir, mut store) = demo_store();
    // The import is one entry with its counts.
    let import = store.audit_entries(10, |_| true).items;
    assert_eq!(import.len(), 1);
    assert_eq!(import[0].record.action, AuditAction::Import);
    assert!(
        import[0].record.note.contains("bodies 33"),
        "{}",
        import[0].record.note
    );

    store.set_actor(Actor {
        login: "sato.hanako".into(),
        staff_id: Some(42),
    });
    let id = store
        .insert(ConsultationTally {
            id: 0,
            date: d(2024, 5, 1),
            category: Category::DialogueSupport,
            channel: Channel::Visit,
            count: 2,
        })
        .unwrap();
    let mut t: ConsultationTally = store.get_id(id).unwrap().unwrap();
    t.count = 3;
    let mut b = Batch::new();
    b.put(t.clone());
    b.note("数え間違いの訂正");
    store.write(b).unwrap();
    // Writing the same value again records nothing.
    let mut b = Batch::new();
    b.put(t);
    store.write(b).unwrap();
    store.delete::<ConsultationTally>(id).unwrap();

    let e = store
        .audit_entries(10, |e| e.record.record_type == "consultation_tallies")
        .items;
    assert_eq!(e.len(), 3, "create, update, delete (newest first)");
    let (del, upd, cre) = (&e[0].record, &e[1].record, &e[2].record);
    assert_eq!(
        (cre.action, upd.action, del.action),
        (
            AuditAction::Create,
            AuditAction::Update,
            AuditAction::Delete
        )
    );
    assert_eq!(cre.record_key, id.to_string());
    assert_eq!(cre.actor.login, "sato.hanako");
    assert_eq!(cre.actor.staff_id, Some(42));
    assert!(
        cre.changes
            .iter()
            .any(|c| c.field == "count" && c.before.is_none() && c.after.as_deref() == Some("2"))
    );
    assert_eq!(
        upd.changes,
        vec![FieldChange {
            field: "count".into(),
            before: Some("2".into()),
            after: Some("3".into())
        }]
    );
    assert_eq!(upd.note, "数え間違いの訂正");
    assert!(
        del.changes
            .iter()
            .any(|c| c.field == "count" && c.before.as_deref() == Some("3") && c.after.is_none())
    );
    assert!(e[0].record.seq > e[1].record.seq && e[1].record.seq > e[2].record.seq);
    assert!(store.verify_audit_chain().is_empty());
}

#[test]
fn a_tampered_or_removed_audit_entry_breaks_the_chain() {
    let (_dir, store) = demo_store();
    for n in 1..=3 {
        store
            .insert(ConsultationTally {
                id: 0,
                date: d(2024, 5, n),
                category: Category::Other,
                channel: Channel::Phone,
                count: 1,
            })
            .unwrap();
    }
    assert!(store.verify_audit_chain().is_empty());
    // Change who did entry 2 without fixing the hash.
    let key = 2u64.to_be_bytes();
    let mut entry: AuditEntry = store
        .audit_entries(10, |e| e.record.seq == 2)
        .items
        .remove(0);
    entry.record.actor.login = "someone.else".into();
    let bytes = kyodo::store::codec::encode(&entry).unwrap();
    store.raw_put(TreeName::Audit, &key, &bytes).unwrap();
    let problems = store.verify_audit_chain();
    assert!(
        problems
            .iter()
            .any(|p| p.en.contains("entry 2") && p.en.contains("altered")),
        "{problems:?}"
    );
}

#[test]
fn check_detects_each_kind_of_seeded_corruption() {
    let (_dir, store) = demo_store();
    assert!(kyodo::store::check::check(&store).problems.is_empty());
    // An index entry whose record is gone, a counter off by one, a payment over the decided
    // amount (written past the rules), and a reference to a missing body.
    let m = store
        .list_fy::<TeamMeeting>(FiscalYear(2022))
        .items
        .remove(0);
    store
        .raw_put(
            TreeName::TeamMeetingsByDate,
            &keys::date_index_key(d(2022, 4, 2), 999),
            b"",
        )
        .unwrap();
    store
        .raw_put(
            TreeName::Counters,
            &keys::counter_key("team_meetings", FiscalYear(2022), 0),
            &7i64.to_be_bytes(),
        )
        .unwrap();
    let g = store.list::<Grant>().items.remove(0);
    let mut b = Batch::new();
    b.put(Disbursement {
        id: 0,
        grant_id: g.id,
        date: d(2023, 1, 1),
        kind: DisbursementKind::Advance,
        amount: g.decided_amount.unwrap(),
    });
    store.write(b).unwrap();
    let mut orphan = m.clone();
    orphan.id = 0;
    orphan.body_id = 123_456_789;
    store.insert(orphan).unwrap();
    let report = kyodo::store::check::check(&store);
    let text: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    let has = |s: &str| text.iter().any(|t| t.contains(s));
    assert!(
        has("team_meetings_by_date") && has("index entry without its record"),
        "{text:#?}"
    );
    assert!(
        has("counters team_meetings/2022/00: counter is") && has("a recount of the records gives"),
        "{text:#?}"
    );
    assert!(has("exceeds decided"), "{text:#?}");
    assert!(
        has("refers to body 123456789, which does not exist"),
        "{text:#?}"
    );
    assert!(
        text.iter()
            .any(|t| t.starts_with(&format!("grants {}: paid", g.id))),
        "{text:#?}"
    );
}

#[test]
fn repair_rebuilds_indexes_and_counters_and_leaves_the_rest_reported() {
    let (_dir, store) = demo_store();
    let m = store
        .list_fy::<TeamMeeting>(FiscalYear(2022))
        .items
        .remove(0);
    // An orphan index entry, a record missing from its index, a wrong counter, a missing one.
    store
        .raw_put(
            TreeName::TeamMeetingsByDate,
            &keys::date_index_key(d(2022, 4, 2), 999),
            b"",
        )
        .unwrap();
    let t = store
        .list_fy::<ConsultationTally>(FiscalYear(2022))
        .items
        .remove(0);
    store
        .raw_remove(TreeName::TalliesByDate, &keys::date_index_key(t.date, t.id))
        .unwrap();
    store
        .raw_put(
            TreeName::Counters,
            &keys::counter_key("team_meetings", FiscalYear(2022), 0),
            &7i64.to_be_bytes(),
        )
        .unwrap();
    store
        .raw_remove(
            TreeName::Counters,
            &keys::counter_key(
                "body_activities",
                FiscalYear::of(m.date),
                FiscalYear::month_slot(m.date),
            ),
        )
        .unwrap();
    assert_eq!(kyodo::store::check::check(&store).problems.len(), 4);
    let r = kyodo::store::check::repair(&store).unwrap();
    assert_eq!(
        (r.index_added, r.index_removed, r.counters_fixed),
        (1, 1, 2)
    );
    assert!(kyodo::store::check::check(&store).problems.is_empty());
    assert_eq!(
        store.fy_counts(FiscalYear(2022)).unwrap().team_meetings,
        125
    );
    // Repairing again changes nothing.
    assert_eq!(
        kyodo::store::check::repair(&store).unwrap(),
        kyodo::store::check::Repair::default()
    );
}

/// Schema 3 (issue 14): a version-2 database, which kept no counters of open follow-ups, gets
/// them when it is opened, counted once even if the upgrade is cut short and run again; then
/// 自分 finds every open follow-up from the counters and `check` agrees.
#[test]
fn a_version_2_database_gets_its_open_follow_up_counters_on_open() {
    let (_dir, db) = common::demo_db();
    let wanted = |store: &Store| {
        let mut by_owner: std::collections::BTreeMap<u64, Vec<u64>> = Default::default();
        for m in store.list::<TeamMeeting>().items {
            for f in &m.follow_ups {
                if let (Some(o), false) = (f.owner, f.done) {
                    by_owner.entry(o).or_default().push(m.id);
                }
            }
        }
        for v in by_owner.values_mut() {
            v.sort_unstable();
            v.dedup();
        }
        by_owner
    };
    for _ in 0..2 {
        // Make it a version-2 database: no such counters, schema 2.
        {
            let raw = sled::open(&db).unwrap();
            let counters = raw.open_tree("counters").unwrap();
            let keys: Vec<_> = counters
                .scan_prefix(b"follow_ups_open/")
                .keys()
                .map(|k| k.unwrap())
                .collect();
            for k in keys {
                counters.remove(k).unwrap();
            }
            raw.open_tree("meta")
                .unwrap()
                .insert(b"schema_version", &2u32.to_be_bytes())
                .unwrap();
            raw.flush().unwrap();
        }
        let store = Store::open(&db).unwrap();
        assert_eq!(
            store.schema_version().unwrap(),
            Some(kyodo::store::SCHEMA_VERSION)
        );
        let want = wanted(&store);
        assert!(!want.is_empty(), "the demo has open follow-ups");
        for (owner, meetings) in &want {
            let mut got = store.meetings_with_open_follow_ups(*owner).unwrap();
            got.sort_unstable();
            assert_eq!(&got, meetings, "owner {owner}");
        }
        let report = kyodo::store::check::check(&store);
        assert!(report.problems.is_empty(), "{:?}", report.problems);
    }
}

/// Issue 14: a CSV whose header row uses the labels the screens show (Japanese or English)
/// imports like one with the column names.
#[test]
fn headers_as_the_screens_write_them_are_accepted() {
    use kyodo::i18n::Lang;
    for lang in [Lang::Ja, Lang::En] {
        let (_d, store) = demo_store();
        let cols = ["date", "category", "channel", "count"];
        let header: Vec<&str> = cols
            .iter()
            .map(|c| lang.field_of("consultation_tallies", c))
            .collect();
        assert!(header.iter().zip(cols).all(|(h, c)| *h != c), "{header:?}");
        let text = format!("{}\n2024-05-07,広報,電話,3\n", header.join(","));
        let before = store
            .counter_total(&Metric::Consultations, FiscalYear(2024))
            .unwrap();
        let summary = import_sources(
            &store,
            vec![Source {
                name: "consultation_tallies.csv".into(),
                bytes: text.into_bytes(),
            }],
        )
        .unwrap_or_else(|e| panic!("{lang:?}: {e}"));
        assert_eq!(summary.rows("consultation_tallies"), 1);
        assert_eq!(
            store
                .counter_total(&Metric::Consultations, FiscalYear(2024))
                .unwrap(),
            before + 3
        );
    }
    assert_eq!(Lang::Ja.field_of("consultation_tallies", "count"), "件数");
}

/// `kyodo check` on a wrong counter says what to do: rebuild it with `--repair`, or restore the
/// latest backup if records themselves are damaged (a flipped bit can land in either).
#[test]
fn check_says_how_to_repair_or_restore_when_it_finds_a_problem() {
    let (_dir, db) = common::demo_db();
    {
        let store = Store::open(&db).unwrap();
        store
            .raw_put(
                TreeName::Counters,
                &keys::counter_key("team_meetings", FiscalYear(2022), 0),
                &7i64.to_be_bytes(),
            )
            .unwrap();
    }
    let out = common::kyodo_cmd()
        .args(["--db", db.to_str().unwrap(), "check"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text.contains("check --repair") && text.contains("restore --latest"),
        "{text}"
    );
    let ok = common::kyodo_ok(&["--db", db.to_str().unwrap(), "check", "--repair"]);
    assert!(
        ok.contains("ok:") && !ok.contains("restore --latest"),
        "{ok}"
    );
}
