//! Fiscal-year-true details (issue 15.4): a body's households and population are those in
//! force in the fiscal year on screen (body_counts, with the date counted), its detail says
//! what it did that year and when its plan was revised, and the plan's action title is the
//! seed's 事業名 in the list, the detail and the form alike.

mod common;

use kyodo::app::data::{Item, Loader};
use kyodo::app::effects::apply;
use kyodo::app::rows::{body_year_lines, cells, detail};
use kyodo::app::{Action, AppState, Pane, update};
use kyodo::domain::*;
use kyodo::i18n::Lang;

fn lines_for(
    store: &kyodo::store::Store,
    fy: i32,
    name: &str,
    lang: Lang,
) -> Vec<(String, String)> {
    let mut state = AppState::new(lang, FiscalYear(fy), false, (100, 40));
    let mut loader = Loader::new(store);
    let mut act = |state: &mut AppState, a: Action| {
        let fx = update(state, a);
        apply(state, &mut loader, fx);
    };
    act(&mut state, Action::GoPane(Pane::Bodies.index()));
    let items = state.current().data.as_ref().unwrap().items.clone();
    let pos = items
        .iter()
        .position(|i| matches!(i, Item::Body(b) if b.name == name))
        .unwrap();
    let at = state
        .current()
        .visible
        .iter()
        .position(|&i| i == pos)
        .unwrap();
    while state.current().selected != at {
        act(&mut state, Action::Down);
    }
    act(&mut state, Action::Enter);
    let data = state.current().data.as_ref().unwrap();
    let lk = data.lookups.clone();
    let mut d = detail(&items[pos], &lk, lang, FiscalYear(fy));
    let recent = state.body_recent.clone().expect("read with the detail");
    assert_eq!(recent.fy, FiscalYear(fy));
    body_year_lines(&mut d, &recent, lang);
    // The list row says the same households as the detail.
    let row = cells(&items[pos], &lk, lang, FiscalYear(fy));
    let households = d
        .iter()
        .find(|(l, _)| l == lang.t(kyodo::i18n::Msg::Households))
        .unwrap();
    assert!(
        households.1.starts_with(&row[3]),
        "{row:?} vs {households:?}"
    );
    d
}

fn value<'a>(d: &'a [(String, String)], label: &str) -> &'a str {
    d.iter()
        .find(|(l, _)| l == label)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {label} in {d:?}"))
}

#[test]
fn households_and_population_are_those_in_force_in_the_year_on_screen() {
    let (_dir, store) = common::demo_store();
    let name = "一関地区まちづくり協議会";
    // data/demo/bodies.csv (2022-04-01) and body_counts.csv (2023-04-01, 2024-04-01).
    for (fy, households, population, as_of) in [
        (2022, "885", "2,229", "2022/04/01"),
        (2023, "861", "2,191", "2023/04/01"),
        (2024, "846", "2,176", "2024/04/01"),
        (2026, "846", "2,176", "2024/04/01"),
    ] {
        let d = lines_for(&store, fy, name, Lang::Ja);
        assert_eq!(
            value(&d, "世帯数"),
            format!("{households} ({as_of} 現在)"),
            "FY{fy}"
        );
        assert_eq!(value(&d, "人口"), population, "FY{fy}");
    }
    let en = lines_for(&store, 2023, name, Lang::En);
    assert_eq!(value(&en, "Households"), "861 (as of 2023-04-01)");
}

#[test]
fn a_bodys_detail_counts_what_it_did_in_the_year() {
    let (_dir, store) = common::demo_store();
    let name = "一関地区まちづくり協議会";
    let body = store
        .list::<Body>()
        .items
        .into_iter()
        .find(|b| b.name == name)
        .unwrap();
    for fy in [2022, 2023] {
        let y = FiscalYear(fy);
        let meetings = store
            .list_fy::<TeamMeeting>(y)
            .items
            .iter()
            .filter(|m| m.body_id == body.id)
            .count();
        let consultations = store
            .list_fy::<Consultation>(y)
            .items
            .iter()
            .filter(|c| c.client == Client::Body(body.id))
            .count();
        let activities = store
            .list_fy::<BodyActivity>(y)
            .items
            .iter()
            .filter(|a| a.body_id == body.id)
            .count();
        assert!(meetings > 0 && activities > 0);
        let d = lines_for(&store, fy, name, Lang::Ja);
        assert_eq!(
            value(&d, &format!("{}の件数", y.ja_label())),
            format!("チーム会議 {meetings} / 相談 {consultations} / 活動 {activities}")
        );
    }
}

#[test]
fn a_bodys_detail_lists_its_plan_revisions_newest_first() {
    let (_dir, store) = common::demo_store();
    // data/demo/community_plan_revisions.csv: 興田 revised its plan twice.
    let d = lines_for(&store, 2023, "興田地区まちづくり協議会", Lang::Ja);
    let at = d
        .iter()
        .position(|(l, _)| l == "改訂履歴")
        .expect("a history");
    assert_eq!(d[at].1, "2023/03/20 若者の参画を目標に加えた");
    assert_eq!(
        d[at + 1],
        (
            String::new(),
            "2022/03/15 若者の参画を目標に加えた".to_string()
        )
    );
    let en = lines_for(&store, 2023, "興田地区まちづくり協議会", Lang::En);
    assert!(
        en.iter()
            .any(|(l, v)| l == "Revisions" && v.starts_with("2023-03-20 "))
    );
    // A body that has not revised its plan shows no history.
    let none = lines_for(&store, 2023, "一関地区まちづくり協議会", Lang::Ja);
    assert!(
        !none.iter().any(|(l, _)| l == "改訂履歴" || l == "改訂日"),
        "{none:?}"
    );
}

#[test]
fn the_plan_actions_title_is_jigyomei_everywhere() {
    assert_eq!(Lang::Ja.field_of("plan_actions", "title"), "事業名");
    assert_eq!(Lang::Ja.t(kyodo::i18n::Msg::ActionTitle), "事業名");
    assert_eq!(Lang::En.field_of("plan_actions", "title"), "Action");
    // Other records' titles keep their own term.
    assert_eq!(Lang::Ja.field_of("body_activities", "title"), "活動名");
}
