//! 講座・研修 and the staff's training history (issue 19.3–19.4): 基礎 before ステップアップ per
//! person, the report-back owed in the due list, the history in the staff detail, the training
//! report, and events counted in their action's 実績.

mod common;

use chrono::NaiveDate;
use common::app::App;
use common::*;
use kyodo::app::Pane;
use kyodo::app::data::Item;
use kyodo::app::due::{DueKind, Whose, due_items};
use kyodo::domain::event::{Event, held};
use kyodo::domain::training::Training;
use kyodo::domain::*;
use kyodo::i18n::Lang;

fn d(s: &str) -> NaiveDate {
    parse_date(s).unwrap()
}

const HEADER: &str = "staff,title,attended_on,external,course,stage,report_due,reported_on\n";

fn import(store: &kyodo::store::Store, dir: &std::path::Path, text: &str) -> Result<(), String> {
    let path = dir.join("trainings.csv");
    std::fs::write(&path, text).unwrap();
    kyodo::io::import::import_path(store, &path)
        .map(|_| ())
        .map_err(|e| e.text(Lang::En))
}

#[test]
fn a_step_up_needs_the_same_persons_basic_of_the_series_first() {
    let (dir, store) = demo_store();
    // 千葉 恵 (the admin) took no 地域コーディネーター研修 on the demo.
    let step = "千葉 恵,地域コーディネーター研修(ステップアップ),2025-11-07,,地域コーディネーター研修,ステップアップ,,\n";
    let e = import(&store, dir.path(), &format!("{HEADER}{step}")).unwrap_err();
    assert!(
        e.contains("trainings.csv:2:6")
            && e.contains("千葉 恵 has not taken the basic stage of 地域コーディネーター研修"),
        "{e}"
    );
    // Another series' 基礎 does not count; the same series' 基礎 earlier in the file does.
    let other = "千葉 恵,防災研修(基礎),2025-06-01,,防災研修,基礎,,\n";
    assert!(import(&store, dir.path(), &format!("{HEADER}{other}{step}")).is_err());
    let basic =
        "千葉 恵,地域コーディネーター研修(基礎),2025-06-13,,地域コーディネーター研修,基礎,,\n";
    import(&store, dir.path(), &format!("{HEADER}{basic}{step}")).unwrap();
    // A series without a stage, or a report-back due before the training, is refused.
    let half = "千葉 恵,研修,2025-06-13,,地域コーディネーター研修,,,\n";
    let early = "千葉 恵,外部研修,2025-06-13,はい,,,2025-06-01,\n";
    let e = import(&store, dir.path(), &format!("{HEADER}{half}{early}")).unwrap_err();
    assert!(
        e.contains("trainings.csv:2:6") && e.contains("trainings.csv:3:7"),
        "{e}"
    );
    assert!(kyodo::store::check::check(&store).problems.is_empty());
}

#[test]
fn check_reports_a_stored_step_up_dated_before_its_basic() {
    let (_d, store) = demo_store();
    let basic = store
        .list::<Training>()
        .items
        .into_iter()
        .find(|t| t.title.ends_with("(基礎)"))
        .unwrap();
    // Written past the readers: the same person's step-up, a day before the basic.
    let mut b = kyodo::store::Batch::new();
    b.put(Training {
        id: 0,
        title: "地域コーディネーター研修(ステップアップ)".into(),
        attended_on: basic.attended_on.pred_opt().unwrap(),
        course: Some((
            "地域コーディネーター研修".into(),
            kyodo::domain::event::CourseStage::StepUp,
        )),
        ..basic.clone()
    });
    store.write(b).unwrap();
    let report = kyodo::store::check::check(&store);
    let all = format!("{:?}", report.problems);
    assert_eq!(report.problems.len(), 1, "{all}");
    assert!(all.contains("基礎をまだ受講していません"), "{all}");
}

#[test]
fn an_owed_report_back_is_due_for_its_attendee_until_it_is_held() {
    let (_d, store) = demo_store();
    let owed = store
        .list::<Training>()
        .items
        .into_iter()
        .find(|t| t.report_owed())
        .expect("the demo owes one report-back");
    let today = d("2027-01-04");
    // Not within the fortnight from 2027-01-04; within a month.
    let soon = due_items(&store, today, d("2027-01-18"), Whose::Everyone).unwrap();
    assert!(!soon.iter().any(|i| i.kind == DueKind::ReportBack));
    let items = due_items(&store, today, d("2027-02-01"), Whose::Everyone).unwrap();
    let item = items
        .iter()
        .find(|i| i.kind == DueKind::ReportBack)
        .expect("in the due list");
    assert_eq!(
        (item.due, item.owner),
        (d("2027-01-29"), Some(owed.staff_id))
    );
    let who = store
        .list::<Staff>()
        .items
        .into_iter()
        .find(|s| s.id == owed.staff_id)
        .unwrap();
    let mine = due_items(&store, today, d("2027-02-01"), Whose::Me(&who)).unwrap();
    assert!(mine.iter().any(|i| i.kind == DueKind::ReportBack));
    let other = store
        .list::<Staff>()
        .items
        .into_iter()
        .find(|s| s.id != owed.staff_id && s.role == Role::Liaison)
        .unwrap();
    let theirs = due_items(&store, today, d("2027-02-01"), Whose::Me(&other)).unwrap();
    assert!(!theirs.iter().any(|i| i.kind == DueKind::ReportBack));
    // Held: no longer due.
    let mut b = kyodo::store::Batch::new();
    b.put(Training {
        reported_on: Some(d("2027-01-20")),
        ..owed
    });
    store.write(b).unwrap();
    let items = due_items(&store, today, d("2027-02-01"), Whose::Everyone).unwrap();
    assert!(!items.iter().any(|i| i.kind == DueKind::ReportBack));
}

#[test]
fn the_staff_detail_shows_the_training_history_with_its_report_back() {
    let (_d, store) = demo_store();
    let t = store
        .list::<Training>()
        .items
        .into_iter()
        .find(|t| t.external && t.reported_on.is_some())
        .unwrap();
    let mut app = App::new(&store, 2024);
    app.go(Pane::Staff, 0);
    let data = app.state.current().data.as_ref().unwrap();
    let item = data
        .items
        .iter()
        .find(|i| matches!(i, Item::Staff(s) if s.id == t.staff_id))
        .unwrap();
    let lines = kyodo::app::rows::detail(item, &data.lookups, Lang::Ja, FiscalYear(2024));
    let text: Vec<String> = lines.iter().map(|(l, v)| format!("{l}\t{v}")).collect();
    assert!(
        text.iter().any(|l| l.starts_with("研修履歴")
            && l.contains("2024/08/20 協働のまちづくり実践研修(外部) / 報告会 2025/03/10")),
        "{text:#?}"
    );
}

#[test]
fn the_training_report_gives_participation_by_training_and_section_and_the_share_trained() {
    let csv = kyodo_ok(&[
        "--demo", "report", "training", "--fy", "2024", "--format", "csv",
    ]);
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let get = |by: &str, name: &str| {
        rows.iter()
            .find(|r| r[0].ends_with(by) && r[1] == name)
            .unwrap_or_else(|| panic!("{by} {name}: {csv}"))
            .clone()
    };
    assert_eq!(get("training", "地域コーディネーター研修(基礎)")[2], "12");
    assert_eq!(
        get("training", "地域コーディネーター研修(ステップアップ)")[2],
        "6"
    );
    // By hand from the demo's trainings.csv: distinct city staff trained in FY2024, of the
    // active city staff.
    let (_d, store) = demo_store();
    let staff = store.list::<Staff>().items;
    let city: Vec<&Staff> = staff
        .iter()
        .filter(|s| s.active && s.organization == Organization::City)
        .collect();
    let mut trained: Vec<u64> = store
        .list::<Training>()
        .items
        .iter()
        .filter(|t| FiscalYear::of(t.attended_on) == FiscalYear(2024))
        .map(|t| t.staff_id)
        .collect();
    trained.sort();
    trained.dedup();
    let city_row = get("city", "");
    assert_eq!(city_row[2], trained.len().to_string());
    assert_eq!(city_row[3], city.len().to_string());
    let sections: usize = rows
        .iter()
        .filter(|r| r[0].ends_with("section"))
        .map(|r| r[2].parse::<usize>().unwrap())
        .sum();
    assert_eq!(
        sections,
        trained.len(),
        "each trained person once, in their section"
    );
}

#[test]
fn an_actions_events_count_in_its_yearly_result() {
    let (_d, store) = demo_store();
    let events = store.list::<Event>().items;
    let plan = "第3次一関市協働推進計画";
    // 事業5 職員研修の実施 in FY2024: 新採用職員研修 24 + 基礎 18 + ステップアップ 9 + 報告会 15.
    assert_eq!(held(&events, plan, 5, FiscalYear(2024)), (4, 66));
    assert_eq!(held(&events, plan, 5, FiscalYear(2023)), (0, 0));
    let out = kyodo_ok(&[
        "--demo", "--lang", "ja", "report", "progress", "--plan", plan, "--fy", "2024",
    ]);
    let line = out
        .lines()
        .find(|l| l.contains("職員研修の実施") && l.contains("令和6年度"))
        .unwrap();
    assert!(line.contains("講座・研修 4回・参加 66人"), "{line}");
}
