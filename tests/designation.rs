//! 指定管理 terms per 市民センター (issue 18.4): designation periods with manager and fee, none
//! before the manager's founding, none overlapping; renewal due within the next fiscal year;
//! `kyodo report centers` counts the centres under 指定管理 (30 of 33 in FY2023 on the demo).

mod common;
use common::*;
use kyodo::app::due::{DueKind, Whose, due_items};
use kyodo::domain::designation::DesignationTerm;
use kyodo::domain::*;

fn d(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

#[test]
fn thirty_of_thirty_three_centres_are_designated_in_fy2023() {
    let text = kyodo_ok(&["--demo", "--lang", "ja", "report", "centers", "--fy", "R5"]);
    assert!(text.contains("30 / 33 館"), "{text}");
    assert!(text.contains("直営"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&kyodo_ok(&[
        "--demo", "report", "centers", "--fy", "2023", "--format", "json",
    ]))
    .unwrap();
    assert_eq!(
        (json["centers"].clone(), json["designated"].clone()),
        (33.into(), 30.into())
    );
    let csv = kyodo_ok(&[
        "--demo", "report", "centers", "--fy", "2023", "--format", "csv",
    ]);
    assert_eq!(csv.lines().count(), 34);
}

#[test]
fn a_term_before_its_managers_founding_is_refused_where_it_comes_in() {
    let (dir, db) = demo_db();
    // 一関地区まちづくり協議会 was founded 2017-03-20 (bodies.csv).
    let file = dir.path().join("designation_terms.csv");
    std::fs::write(
        &file,
        "center,manager,from,to,yearly_fee\n一関市民センター,一関地区まちづくり協議会,2016-04-01,2017-03-31,0\n",
    )
    .unwrap();
    let out = kyodo_cmd()
        .args(["--db", db.to_str().unwrap(), "--lang", "ja", "import"])
        .arg(&file)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("designation_terms.csv:2:3") && err.contains("2017-03-20"),
        "{err}"
    );
}

#[test]
fn check_reports_stored_terms_that_overlap_or_precede_their_manager() {
    let (_dir, store) = demo_store();
    let terms = store.list::<DesignationTerm>().items;
    let first = terms[0].clone();
    let mut overlap = first.clone();
    overlap.id = 0;
    overlap.from = first.to.pred_opt().unwrap();
    overlap.to = first.to + chrono::Days::new(400);
    let body = store
        .get_id::<Body>(first.manager_body_id)
        .unwrap()
        .unwrap();
    let early = DesignationTerm {
        id: 0,
        center: "試験センター".into(),
        manager_body_id: body.id,
        from: body.established_on.pred_opt().unwrap(),
        to: body.established_on + chrono::Days::new(30),
        yearly_fee: 0,
    };
    let mut b = kyodo::store::Batch::new();
    b.put(overlap);
    b.put(early);
    store.write(b).unwrap();
    let report = kyodo::store::check::check(&store);
    let said: Vec<String> = report.problems.iter().map(|p| p.text(Lang::En)).collect();
    assert!(said.iter().any(|s| s.contains("overlaps")), "{said:?}");
    assert!(
        said.iter()
            .any(|s| s.contains("before its manager was founded")),
        "{said:?}"
    );
    // The overlapping period overlaps both its neighbours; the early one is before founding.
    assert_eq!(said.len(), 3, "{said:?}");
}

#[test]
fn a_term_ending_within_the_next_fiscal_year_is_due_for_renewal() {
    let (_dir, store) = demo_store();
    let today = d("2026-06-01");
    let items = due_items(&store, today, today, Whose::Everyone).unwrap();
    let renewals: Vec<_> = items
        .iter()
        .filter(|i| i.kind == DueKind::Renewal)
        .collect();
    let terms = store.list::<DesignationTerm>().items;
    // Exactly the periods that end by 2028-03-31 (the end of FY2027) with no later period.
    let want: Vec<&DesignationTerm> = terms
        .iter()
        .filter(|x| x.to <= d("2028-03-31"))
        .filter(|x| !terms.iter().any(|y| y.center == x.center && y.from > x.to))
        .collect();
    assert!(!want.is_empty());
    assert_eq!(renewals.len(), want.len(), "{renewals:?}");
    for w in want {
        assert!(
            renewals
                .iter()
                .any(|r| r.due == w.to && r.what.starts_with(&w.center))
        );
    }
}

#[test]
fn a_bodys_detail_lists_its_centres_designations() {
    let (_dir, store) = demo_store();
    let mut state = kyodo::app::AppState::new(Lang::Ja, FiscalYear(2023), false, (100, 40));
    let mut loader = kyodo::app::data::Loader::new(&store);
    let fx = kyodo::app::update(
        &mut state,
        kyodo::app::Action::GoPane(kyodo::app::Pane::Bodies.index()),
    );
    kyodo::tui::apply(&mut state, &mut loader, fx);
    let data = state.current().data.as_ref().unwrap();
    let item = data
        .items
        .iter()
        .find(|i| matches!(i, kyodo::app::data::Item::Body(b) if b.name == "一関地区まちづくり協議会"))
        .unwrap();
    let lines = kyodo::app::rows::detail(item, &data.lookups, Lang::Ja, FiscalYear(2023));
    let text: Vec<String> = lines.iter().map(|(l, v)| format!("{l}\t{v}")).collect();
    assert!(
        text.iter()
            .any(|l| l
                == "指定管理の期間\t2022/04/01〜2027/03/31 一関地区まちづくり協議会 4,060,000円"),
        "{text:?}"
    );
}
