//! The plan view (issue 16.2): each plan with its own years, its name and period above the
//! list, the year on screen marked in the header without hiding a status, `p` to switch plans
//! (moving the year into the plan) and `[`/`]` that follow the plan in force.

mod common;

use common::{demo_store, render, state};
use kyodo::app::data::Item;
use kyodo::app::state::View;
use kyodo::app::{Action, Pane};
use kyodo::domain::FiscalYear;
use kyodo::i18n::Lang;
use kyodo::tui::theme::Theme;

const PLAIN: Theme = Theme { color: false };

fn shown_plans(s: &kyodo::app::AppState) -> Vec<String> {
    let data = s.current().data.as_ref().unwrap();
    let mut names: Vec<String> = s
        .current()
        .visible
        .iter()
        .filter_map(|&i| match &data.items[i] {
            Item::PlanAction(a) => Some(a.plan.clone()),
            _ => None,
        })
        .collect();
    names.dedup();
    names
}

#[test]
fn each_plan_with_its_own_years_and_the_year_marked_in_the_header() {
    let (_dir, store) = demo_store();
    let mut s = state(
        &store,
        Lang::Ja,
        FiscalYear(2025),
        Pane::Dashboard,
        (80, 24),
    );
    let mut loader = kyodo::app::data::Loader::new(&store);
    let mut act = |s: &mut kyodo::app::AppState, a: Action| {
        let fx = kyodo::app::update(s, a);
        kyodo::tui::apply(s, &mut loader, fx);
    };
    while s.view() != View::PlanActions {
        act(&mut s, Action::NextView);
    }
    assert_eq!(shown_plans(&s), ["第3次一関市協働推進計画"]);
    assert_eq!(s.current().visible.len(), 18);
    let screen = render(&s, PLAIN);
    assert!(
        screen
            .contains("第3次一関市協働推進計画 令和6年度〜令和10年度 改訂日 2026/03/19  計画 2/2"),
        "{screen}"
    );
    let head = screen.lines().find(|l| l.contains("事業名")).unwrap();
    assert!(head.contains("R6   *R7  R8   R9   R10"), "{head}");
    // 事業11 is 検討 in R6–R7: its R7 cell reads in full, never cut by a marker.
    let row11 = screen.lines().find(|l| l.contains("市政への反映")).unwrap();
    assert!(row11.ends_with("検討 検討 実施 実施 実施"), "{row11}");
    assert!(!screen.contains('~') || !row11.contains('~'), "{row11}");
    insta::assert_snapshot!("plan_ichinoseki_ja_80x24", screen);

    // p: Shinjo's plan, its 20 actions numbered 1–20, the year moved into H27–R1.
    act(&mut s, Action::Preview);
    assert_eq!(s.fy, FiscalYear(2019));
    assert_eq!(shown_plans(&s), ["新庄市協働推進計画"]);
    let data = s.current().data.as_ref().unwrap();
    let numbers: Vec<u32> = s
        .current()
        .visible
        .iter()
        .filter_map(|&i| match &data.items[i] {
            Item::PlanAction(a) => Some(a.number),
            _ => None,
        })
        .collect();
    assert_eq!(numbers, (1..=20).collect::<Vec<_>>());
    let screen = render(&s, PLAIN);
    let head = screen.lines().find(|l| l.contains("事業名")).unwrap();
    assert!(head.contains("H27  H28  H29  H30  *R1"), "{head}");
    assert!(
        screen.contains("新庄市協働推進計画 平成27年度〜令和元年度 改訂日 2015/03/31  計画 1/2"),
        "{screen}"
    );
    insta::assert_snapshot!("plan_shinjo_ja_80x24", screen);

    // [ and ]: inside Shinjo's years it stays; a year no plan covers keeps the chosen plan;
    // a year of the other plan shows the plan in force.
    act(&mut s, Action::PrevFy);
    assert_eq!(
        (s.fy, shown_plans(&s)),
        (FiscalYear(2018), vec!["新庄市協働推進計画".to_string()])
    );
    act(&mut s, Action::NextFy);
    act(&mut s, Action::NextFy);
    assert_eq!(
        (s.fy, shown_plans(&s)),
        (FiscalYear(2020), vec!["新庄市協働推進計画".to_string()])
    );
    for _ in 0..4 {
        act(&mut s, Action::NextFy);
    }
    assert_eq!(
        (s.fy, shown_plans(&s)),
        (
            FiscalYear(2024),
            vec!["第3次一関市協働推進計画".to_string()]
        )
    );
    // p again from Ichinoseki goes round to Shinjo.
    act(&mut s, Action::Preview);
    assert_eq!(shown_plans(&s), ["新庄市協働推進計画"]);
    act(&mut s, Action::Preview);
    assert_eq!(shown_plans(&s), ["第3次一関市協働推進計画"]);
    assert_eq!(s.fy, FiscalYear(2024));

    // In English the years are the calendar's.
    let en = state(
        &store,
        Lang::En,
        FiscalYear(2026),
        Pane::Dashboard,
        (80, 24),
    );
    let mut en = en;
    while en.view() != View::PlanActions {
        let fx = kyodo::app::update(&mut en, Action::NextView);
        let mut l = kyodo::app::data::Loader::new(&store);
        kyodo::tui::apply(&mut en, &mut l, fx);
    }
    let screen = render(&en, PLAIN);
    assert!(screen.contains("2024 2025 *2026 2027"), "{screen}");
    assert!(
        screen.contains("Expd Impl Impl Impl  Impl Impl"),
        "{screen}"
    );
}

/// `r` on an action records its result for the year on screen: a new one has the plan, number,
/// year and planned status filled in; the action's detail then lists it; `r` again corrects it.
#[test]
fn r_records_an_actions_result_for_the_year_and_the_detail_lists_it() {
    use kyodo::domain::action_result::{ActionResult, Rating};
    use ratatui_textarea::{Input, Key};
    let (_dir, store, _) = common::demo_store_as("chiba.megumi");
    let mut s = state(
        &store,
        Lang::Ja,
        FiscalYear(2026),
        Pane::Dashboard,
        (80, 40),
    );
    let mut loader = kyodo::app::data::Loader::new(&store);
    let mut act = |s: &mut kyodo::app::AppState, a: Action| {
        let fx = kyodo::app::update(s, a);
        kyodo::tui::apply(s, &mut loader, fx);
    };
    let key = |k: Key| {
        Action::FormKey(Input {
            key: k,
            ctrl: false,
            alt: false,
            shift: false,
        })
    };
    while s.view() != View::PlanActions {
        act(&mut s, Action::NextView);
    }
    // 事業11: 検討 in R6–R7, 実施 from R8 (R8 = FY2026 on screen).
    while !matches!(s.selected(), Some(Item::PlanAction(a)) if a.number == 11) {
        act(&mut s, Action::Down);
    }
    let before = store.list::<ActionResult>().items.len();
    act(&mut s, Action::RecordResult);
    let form = s.form.as_ref().expect("a result form");
    assert_eq!(form.text_of("plan"), "第3次一関市協働推進計画");
    assert_eq!(form.text_of("number"), "11");
    assert_eq!(form.text_of("fiscal_year"), "令和8年度");
    assert_eq!(form.text_of("status"), "実施", "the planned status");
    // Rating: the third choice (C 遅れ); what was done.
    let at = |s: &kyodo::app::AppState, k: &str| {
        s.form
            .as_ref()
            .unwrap()
            .fields
            .iter()
            .position(|f| f.key == k)
            .unwrap()
    };
    let rating = at(&s, "rating");
    s.form.as_mut().unwrap().focus = rating;
    act(&mut s, key(Key::Char('3')));
    let summary = at(&s, "summary");
    s.form.as_mut().unwrap().focus = summary;
    for c in "要望12件を担当課に照会した".chars() {
        act(&mut s, key(Key::Char(c)));
    }
    act(
        &mut s,
        Action::FormKey(Input {
            key: Key::Char('s'),
            ctrl: true,
            alt: false,
            shift: false,
        }),
    );
    assert!(s.form.is_none(), "saved: {:?}", s.flash);
    let all = store.list::<ActionResult>().items;
    assert_eq!(all.len(), before + 1);
    let r = all
        .iter()
        .find(|r| r.number == 11 && r.fiscal_year == FiscalYear(2026))
        .unwrap();
    assert_eq!(
        (r.rating, r.summary.as_str()),
        (Rating::Behind, "要望12件を担当課に照会した")
    );
    // The detail lists the action's results by year, this one among them.
    act(&mut s, Action::Enter);
    let screen = render(&s, PLAIN);
    assert!(
        screen.contains("令和8年度 計画 実施 → 実施 / C 遅れ"),
        "{screen}"
    );
    assert!(screen.contains("要望12件を担当課に照会した"), "{screen}");
    assert!(screen.contains("令和6年度 計画 検討 →"), "{screen}");
    // r again opens the stored result to correct it, not a second one.
    act(&mut s, Action::Back);
    act(&mut s, Action::RecordResult);
    assert!(
        s.form
            .as_ref()
            .unwrap()
            .text_of("summary")
            .contains("要望12件")
    );
}

#[test]
fn check_reports_a_result_of_no_action() {
    use kyodo::domain::action_result::{ActionResult, Rating};
    let (_dir, store) = demo_store();
    assert!(kyodo::store::check::check(&store).problems.is_empty());
    let mut b = kyodo::store::Batch::new();
    b.put(ActionResult {
        id: 0,
        plan: "第3次一関市協働推進計画".into(),
        number: 99,
        fiscal_year: FiscalYear(2024),
        status: kyodo::domain::ActionStatus::Implementing,
        summary: String::new(),
        count: None,
        rating: Rating::OnTrack,
    });
    store.write(b).unwrap();
    let p = kyodo::store::check::check(&store).problems;
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].text(Lang::Ja)
            .contains("事業 99 の実績ですが、その事業がありません")
    );
}

/// Issue 16.4: the committee's opinions on an action, with the city's response, in its detail;
/// check reports an opinion of a meeting that does not exist.
#[test]
fn an_actions_detail_lists_the_committees_opinions_and_the_citys_responses() {
    use kyodo::domain::committee_opinion::CommitteeOpinion;
    let (_dir, store) = demo_store();
    let actions = store.list::<kyodo::domain::PlanAction>().items;
    let a11 = actions
        .iter()
        .find(|a| a.plan == "第3次一関市協働推進計画" && a.number == 11)
        .unwrap();
    // A result with the action's count says it beside what was done.
    let a13 = actions
        .iter()
        .find(|a| a.plan == "第3次一関市協働推進計画" && a.number == 13)
        .unwrap();
    let results = store
        .list::<kyodo::domain::action_result::ActionResult>()
        .items;
    let events = store.list::<kyodo::domain::event::Event>().items;
    let r13 = kyodo::app::plan_view::result_lines(a13, &results, &events, Lang::Ja);
    assert_eq!(
        r13[1].1, "  地域づくり交付金を33団体に交付した。 (件数 33)",
        "{r13:?}"
    );
    // The action's events of the year under its result (issue 19.3): 事業5 in FY2024 held
    // 新採用職員研修 24, 基礎 18, ステップアップ 9 and 報告会 15.
    let a5 = actions
        .iter()
        .find(|a| a.plan == "第3次一関市協働推進計画" && a.number == 5)
        .unwrap();
    let r5 = kyodo::app::plan_view::result_lines(a5, &results, &events, Lang::Ja);
    assert!(
        r5.iter().any(|l| l.1 == "  講座・研修 4回・参加 66人"),
        "{r5:?}"
    );
    assert!(
        !kyodo::app::plan_view::result_lines(a5, &results, &[], Lang::Ja)
            .iter()
            .any(|l| l.1.contains("講座・研修")),
        "without events, nothing is said"
    );
    let opinions = store.list::<CommitteeOpinion>().items;
    let lines = kyodo::app::plan_view::opinion_lines(a11, &opinions, Lang::Ja);
    assert_eq!(lines[0].0, "協働推進会議の意見");
    assert!(
        lines[0]
            .1
            .starts_with("2025/07/15 (令和6年度) 地域づくり計画の要望"),
        "{lines:?}"
    );
    assert!(lines[1].1.contains("市の対応: 令和7年度から"), "{lines:?}");
    assert_eq!(
        lines[3].1, "  → 市の対応: 未回答",
        "the R7 opinion has no response yet"
    );
    let en = kyodo::app::plan_view::opinion_lines(a11, &opinions, Lang::En);
    assert_eq!(en[3].1, "  → city's response: not yet answered");
    let mut b = kyodo::store::Batch::new();
    let mut stray = opinions[0].clone();
    stray.id = 0;
    stray.meeting_date = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    b.put(stray);
    store.write(b).unwrap();
    let p = kyodo::store::check::check(&store).problems;
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].text(Lang::Ja)
            .contains("2025-01-01 の会議の意見ですが、その会議がありません")
    );
}

/// A result or opinion naming an action its plan does not have is refused where it is typed or
/// imported, with the plan and number named — not stored for `check` to find later.
#[test]
fn a_result_of_an_action_the_plan_does_not_have_is_refused() {
    let err = common::import_refused(
        "action_results.csv",
        "plan,number,fiscal_year,status,rating\n第3次一関市協働推進計画,99,R6,実施,A\n",
        "ja",
    );
    // (A fresh database has no plan actions at all: every result is refused the same way.)
    assert!(
        err.contains("action_results.csv:2:2") && err.contains("事業 99 はありません"),
        "{err}"
    );
    let (_dir, store, _) = common::demo_store_as("chiba.megumi");
    let mut s = state(
        &store,
        Lang::Ja,
        FiscalYear(2025),
        Pane::Dashboard,
        (80, 24),
    );
    let mut loader = kyodo::app::data::Loader::new(&store);
    let mut act = |s: &mut kyodo::app::AppState, a: Action| {
        let fx = kyodo::app::update(s, a);
        kyodo::tui::apply(s, &mut loader, fx);
    };
    while s.view() != View::PlanActions {
        act(&mut s, Action::NextView);
    }
    act(&mut s, Action::RecordResult);
    let before = store
        .list::<kyodo::domain::action_result::ActionResult>()
        .items
        .len();
    // A key typed into the plan's name by mistake.
    s.form.as_mut().unwrap().focus = 0;
    act(
        &mut s,
        Action::FormKey(ratatui_textarea::Input {
            key: ratatui_textarea::Key::Char('3'),
            ctrl: false,
            alt: false,
            shift: false,
        }),
    );
    act(
        &mut s,
        Action::FormKey(ratatui_textarea::Input {
            key: ratatui_textarea::Key::Char('s'),
            ctrl: true,
            alt: false,
            shift: false,
        }),
    );
    let form = s.form.as_ref().expect("still open, refused");
    let number = form.fields.iter().find(|f| f.key == "number").unwrap();
    assert!(
        number.error.as_ref().is_some_and(|e| e
            .ja
            .contains("「第3次一関市協働推進計画3」に事業 1 はありません")),
        "{:?}",
        number.error
    );
    assert_eq!(
        store
            .list::<kyodo::domain::action_result::ActionResult>()
            .items
            .len(),
        before
    );
}
