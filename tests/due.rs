//! One due list (issue 17.3): follow-ups, grant reports by their program's rule, request
//! replies and case contacts, in date order with who is responsible; `kyodo due` exits 1 when
//! something is overdue.

mod common;
use common::*;
use kyodo::app::due::{DueKind, Whose, due_items, overdue};
use kyodo::domain::*;

fn d(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

fn staff_named(store: &kyodo::store::Store, name: &str) -> Staff {
    store
        .list::<Staff>()
        .items
        .into_iter()
        .find(|s| s.name == name)
        .unwrap()
}

#[test]
fn reports_fall_due_by_their_programs_rule() {
    let (_dir, store) = demo_store();
    let today = d("2024-04-10");
    let items = due_items(&store, today, d("2024-04-30"), Whose::Everyone).unwrap();
    let reports: Vec<_> = items
        .iter()
        .filter(|i| i.kind == DueKind::Report)
        .map(|i| (i.due.to_string(), i.body.as_str(), i.late(today)))
        .collect();
    // 地域づくりモデル事業交付金 (FY2023, 完了後30日): one project ended 2024-02-29, so its report
    // was due 2024-03-30; the other two give no end date, so the fiscal year's end counts:
    // 2024-03-31 + 30 days = 2024-04-30. The 地域づくり交付金 grants were all reported.
    assert_eq!(
        reports,
        vec![
            // 自治会等活動費総合補助金 (完了後30日): 千厩本町自治会's project ended 2024-01-31.
            ("2024-03-01".to_string(), "千厩本町自治会", 40),
            ("2024-03-30".to_string(), "中里地区まちづくり協議会", 11),
            ("2024-04-30".to_string(), "日形地区まちづくり協議会", -20),
            ("2024-04-30".to_string(), "猿沢地区まちづくり協議会", -20),
        ]
    );
    // In date order, and the earliest is the most overdue.
    assert!(items.windows(2).all(|w| w[0].due <= w[1].due));
    // Nothing due after `until` is listed.
    let soon = due_items(&store, today, today, Whose::Everyone).unwrap();
    assert!(soon.iter().all(|i| i.due <= today));
    assert!(overdue(&soon, today) > 0);
}

#[test]
fn each_person_sees_what_they_answer_for() {
    let (_dir, store) = demo_store();
    let today = d("2024-04-10");
    let until = d("2024-12-31");
    // The counselor of case C2023-002 has its next contact in their list, and nobody else's
    // follow-ups.
    let counselor = staff_named(&store, "千葉 直子");
    let mine = due_items(&store, today, until, Whose::Me(&counselor)).unwrap();
    let contact = mine
        .iter()
        .find(|i| i.kind == DueKind::Contact)
        .expect("the case's next contact");
    assert_eq!(contact.what, "C2023-002 活動場所の確保");
    assert_eq!(contact.due, d("2023-05-11"));
    assert!(
        mine.iter()
            .all(|i| i.owner.is_none_or(|o| o == counselor.id))
    );
    // A liaison: their own follow-ups, and the reports and replies of the bodies they work
    // for, none of another body's.
    let liaison = staff_named(&store, "伊藤 亮");
    let mine = due_items(&store, today, until, Whose::Me(&liaison)).unwrap();
    assert!(
        mine.iter()
            .any(|i| i.kind == DueKind::Report && i.body == "中里地区まちづくり協議会")
    );
    assert!(
        mine.iter()
            .filter(|i| i.kind == DueKind::FollowUp)
            .all(|i| i.owner == Some(liaison.id))
    );
    assert!(!mine.iter().any(|i| i.body == "猿沢地区まちづくり協議会"));
    // Everyone's list holds at least what each person's does.
    let all = due_items(&store, today, until, Whose::Everyone).unwrap();
    assert!(mine.iter().all(|i| all.contains(i)));
}

#[test]
fn a_follow_up_nobody_owns_is_still_due() {
    let (_dir, store) = demo_store();
    let mut m = store.list_fy::<TeamMeeting>(FiscalYear(2023)).items[0].clone();
    m.follow_ups.push(FollowUp {
        text: "担当の決まっていない宿題".into(),
        owner: None,
        due: Some(d("2023-06-01")),
        done: false,
    });
    let mut b = kyodo::store::Batch::new();
    b.put(m);
    store.write(b).unwrap();
    let all = due_items(&store, d("2024-04-10"), d("2024-04-10"), Whose::Everyone).unwrap();
    let it = all
        .iter()
        .find(|i| i.what == "担当の決まっていない宿題")
        .expect("listed");
    assert_eq!((it.who.as_str(), it.owner), ("", None));
}

#[test]
fn kyodo_due_lists_the_overdue_with_owners_and_exits_1() {
    let out = kyodo_cmd()
        .args(["--demo", "--lang", "ja", "due"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    for want in [
        "実績報告",
        "地域づくりモデル事業交付金 (2023)",
        "2024/03/30",
        "フォローアップ",
        "要望への回答",
        "R4-004",
        "都市住宅課",
        "次回連絡",
        "件が期限切れです",
    ] {
        assert!(text.contains(want), "{want}: {text}");
    }
    // 和暦 would be 令和; the list shows dates as the Japanese screens do, without a Gregorian
    // year in words, and each line names who is responsible.
    assert!(text.lines().skip(2).all(|l| !l.trim().is_empty()));
    let run = |format: &str| {
        let o = kyodo_cmd()
            .args(["--demo", "due", "--format", format])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let csv = run("csv");
    assert!(
        csv.starts_with("due,days_overdue,kind,what,body,responsible"),
        "{csv}"
    );
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    assert!(
        json.as_array()
            .unwrap()
            .iter()
            .any(|i| i["kind"] == "report")
    );
}

#[test]
fn nothing_due_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let out = kyodo_cmd()
        .args(["--db", db.to_str().unwrap(), "due"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Nothing is due"));
}

#[test]
fn my_work_is_the_due_list_and_the_dashboard_counts_what_is_overdue() {
    use kyodo::app::Pane;
    use kyodo::app::data::{Item, Summary};
    let (_dir, mut store) = demo_store();
    let counselor = staff_named(&store, "千葉 直子");
    store.set_actor(Actor {
        login: "x".into(),
        staff_id: Some(counselor.id),
    });
    let today = chrono::Local::now().date_naive();
    let mine = due_items(
        &store,
        today,
        today.pred_opt().unwrap(),
        Whose::Me(&counselor),
    )
    .unwrap();
    assert!(!mine.is_empty());
    let s = state(
        &store,
        kyodo::i18n::Lang::Ja,
        FiscalYear(2023),
        Pane::Dashboard,
        (80, 24),
    );
    let Some(Summary::Dashboard { overdue, .. }) = s.current().data.as_ref().map(|d| &d.summary)
    else {
        panic!("no dashboard")
    };
    assert_eq!(*overdue, Some(mine.len()));
    let screen = render(&s, kyodo::tui::theme::Theme { color: false });
    assert!(
        screen.contains(&format!("! {}件が期限切れです (7 自分)", mine.len())),
        "{screen}"
    );
    let s = state(
        &store,
        kyodo::i18n::Lang::Ja,
        FiscalYear(2023),
        Pane::MyWork,
        (100, 30),
    );
    let items = &s.current().data.as_ref().unwrap().items;
    let contact = items
        .iter()
        .find_map(|i| match i {
            Item::Due(d) if d.kind == DueKind::Contact => Some(d),
            _ => None,
        })
        .expect("the case's next contact in My work");
    assert_eq!(contact.what, "C2023-002 活動場所の確保");
    let screen = render(&s, kyodo::tui::theme::Theme { color: false });
    assert!(screen.contains("【次回連絡】 C2023-002"), "{screen}");
}

#[test]
fn the_needs_action_list_gives_each_reports_due_date_and_days_overdue() {
    use kyodo::app::subsidy::{ActionNeeded, LedgerData, actions};
    let (_dir, store) = demo_store();
    let data = LedgerData::load(&store).unwrap();
    let found: Vec<(String, String)> = actions(&data, d("2024-04-10"))
        .into_iter()
        .filter(|(_, a)| matches!(a, ActionNeeded::ReportDue { .. }))
        .map(|(r, a)| (r.body, a.text(kyodo::i18n::Lang::Ja)))
        .collect();
    assert!(
        found.contains(&(
            "中里地区まちづくり協議会".into(),
            "実績報告 11日超過 期限2024/03/30".into()
        )),
        "{found:?}"
    );
    assert!(
        found.contains(&(
            "猿沢地区まちづくり協議会".into(),
            "実績報告 あと20日 期限2024/04/30".into()
        )),
        "{found:?}"
    );
    // A program without a rule keeps saying the report has not come in once its year is over.
    let en = ActionNeeded::ReportDue {
        due: d("2024-03-30"),
        late: 11,
    }
    .text(kyodo::i18n::Lang::En);
    assert_eq!(en, "report 11 days late, due 2024-03-30");
}
