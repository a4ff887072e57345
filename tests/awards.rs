//! Multi-year awards (issue 18.2, seed 002: 「最長3年、年150万円以内」 against an action plan of
//! 「原則として5年以上」): an award spans up to N years with a per-year and an optional total cap,
//! each year's grant linked to it; a year beyond N or an amount over a cap is refused with the
//! numbers; a program can require a plan of M years; the ledger shows an award's years together.

mod common;
use common::*;
use kyodo::app::subsidy::{LedgerData, run_step};
use kyodo::domain::award::Award;
use kyodo::domain::grant::Step;
use kyodo::domain::*;

const JINZAI: &str = "協働人材育成事業助成金";

fn d(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

/// An application under `award` to program `program`, as stored (not through a reader).
fn applied(award: &Award, program: u64, amount: i64, on: &str, year: u32) -> Grant {
    Grant {
        id: 0,
        program_id: program,
        recipient: award.recipient,
        applied_amount: amount,
        applied_on: d(on),
        eligible_cost: None,
        project_year: Some(year),
        decided_amount: None,
        decided_on: None,
        reported_on: None,
        confirmed_amount: None,
        confirmed_on: None,
        closed_on: None,
        state: GrantState::Applied,
        project_end: None,
        award: Some(award.id),
    }
}

/// Imports the files `files` (name, contents) into `db` from a directory of their own;
/// returns (success, stderr).
fn import(db: &std::path::Path, lang: &str, files: &[(&str, &str)]) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let out = kyodo_cmd()
        .args(["--db", db.to_str().unwrap(), "--lang", lang, "import"])
        .arg(dir.path())
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const FY2026: &str = "name,fiscal_year,budget,rule,rates,cap,round_unit,award_years,award_year_cap,plan_min_years\n\
    協働人材育成事業助成金,2026,\"1,500,000\",rate,1/1,\"1,500,000\",1000,3,\"1,500,000\",5\n";

#[test]
fn the_demo_award_shows_its_three_years_together() {
    let (_dir, store) = demo_store();
    let data = LedgerData::load(&store).unwrap();
    let row = data
        .rows(Some(FiscalYear(2024)), Some(JINZAI))
        .pop()
        .expect("year 2 of the demo award");
    let a = row.award.clone().expect("linked to its award");
    assert_eq!((a.number.as_str(), a.year, a.years), ("R5-人材-01", 2, 3));
    assert_eq!(
        a.list
            .iter()
            .map(|(fy, g)| (fy.0, g.map(|(amount, _)| amount)))
            .collect::<Vec<_>>(),
        vec![
            (2023, Some(1_500_000)),
            (2024, Some(1_400_000)),
            (2025, None)
        ]
    );
    assert_eq!(
        row.recipient_label(kyodo::i18n::Lang::Ja),
        "NPO法人いわい里山の会 (2/3年)"
    );
    let csv = kyodo_ok(&[
        "--demo",
        "--lang",
        "ja",
        "report",
        "subsidies",
        "--fy",
        "2024",
        "--format",
        "csv",
    ]);
    assert!(
        csv.lines()
            .any(|l| l.starts_with(JINZAI) && l.ends_with("R5-人材-01 2/3")),
        "{csv}"
    );
}

#[test]
fn a_fourth_year_is_refused_with_the_numbers() {
    let (_dir, db) = demo_db();
    let grant = "program,fiscal_year,body,applied_amount,applied_on,state,award\n\
        協働人材育成事業助成金,2026,NPO法人いわい里山の会,\"1,000,000\",2026-04-10,applied,R5-人材-01\n";
    let (ok, err) = import(
        &db,
        "ja",
        &[("subsidy_programs.csv", FY2026), ("grants.csv", grant)],
    );
    assert!(!ok);
    assert!(
        err.contains("grants.csv:2:7")
            && err.contains("4年目")
            && err.contains("令和5年度〜令和7年度")
            && err.contains("最長3年"),
        "{err}"
    );
    // Year 3 is accepted, and takes its year of the award.
    let year3 = "program,fiscal_year,body,applied_amount,applied_on,state,award\n\
        協働人材育成事業助成金,2025,NPO法人いわい里山の会,\"1,000,000\",2025-04-10,applied,R5-人材-01\n";
    let (ok, err) = import(&db, "ja", &[("grants.csv", year3)]);
    assert!(ok, "{err}");
    let csv = kyodo_ok(&["--db", db.to_str().unwrap(), "export", "grants"]);
    let line = csv
        .lines()
        .find(|l| l.starts_with("協働人材育成事業助成金,2025,"))
        .unwrap();
    assert!(
        line.contains(",3,") && line.ends_with(",R5-人材-01"),
        "{line}"
    );
}

#[test]
fn an_amount_over_the_yearly_cap_is_refused_in_the_file_and_at_the_decision() {
    let (dir, store) = demo_store();
    let _ = dir;
    // At the decision (交付決定, a lifecycle step), on the stored year 3.
    let award = store.list::<Award>().items.pop().unwrap();
    let p2025 = store
        .list::<SubsidyProgram>()
        .items
        .into_iter()
        .find(|p| p.name == JINZAI && p.fiscal_year == FiscalYear(2025))
        .unwrap();
    let mut b = kyodo::store::Batch::new();
    b.put(applied(&award, p2025.id, 1_200_000, "2025-04-10", 3));
    store.write(b).unwrap();
    let g = store
        .list::<Grant>()
        .items
        .into_iter()
        .find(|g| g.program_id == p2025.id)
        .unwrap();
    let e = run_step(&store, g.id, Step::Decide(d("2025-05-20"), 1_600_000), "").unwrap_err();
    assert!(
        e.ja.contains("1,600,000円") && e.ja.contains("上限 1,500,000円") && e.ja.contains("3年目"),
        "{}",
        e.ja
    );
    assert!(
        e.en.contains("¥1,600,000 is over the yearly cap of ¥1,500,000"),
        "{}",
        e.en
    );
    let still: Grant = store.get_id(g.id).unwrap().unwrap();
    assert_eq!(still.state, GrantState::Applied, "nothing written");
    // Within the cap, year 3 goes through its lifecycle.
    for s in [
        Step::Decide(d("2025-05-20"), 1_500_000),
        Step::Advance(d("2025-06-30"), 1_000_000),
        Step::Report(d("2026-04-20")),
        Step::Confirm(d("2026-05-10"), 1_450_000),
        Step::Settle(d("2026-05-31")),
        Step::Close(d("2026-06-30")),
    ] {
        run_step(&store, g.id, s, "").unwrap();
    }
    let done: Grant = store.get_id(g.id).unwrap().unwrap();
    assert_eq!(done.state, GrantState::Closed);
    assert!(kyodo::store::check::check(&store).problems.is_empty());
}

#[test]
fn a_total_cap_counts_the_other_years() {
    let (_dir, db) = demo_db();
    let files = [
        (
            "subsidy_programs.csv",
            "name,fiscal_year,budget,rule,fixed_amount,award_years,award_year_cap,award_total_cap\n\
             試験助成,2023,\"9,000,000\",fixed,0,3,\"1,500,000\",\"3,000,000\"\n\
             試験助成,2024,\"9,000,000\",fixed,0,3,\"1,500,000\",\"3,000,000\"\n",
        ),
        (
            "awards.csv",
            "number,program,fiscal_year,body,years,decided_on\n\
             T-1,試験助成,2023,一関おやこ食堂の会,2,2023-04-20\n",
        ),
        (
            "grants.csv",
            "program,fiscal_year,body,applied_amount,applied_on,state,award\n\
             試験助成,2023,一関おやこ食堂の会,\"1,500,000\",2023-05-01,applied,T-1\n\
             試験助成,2024,一関おやこ食堂の会,\"1,600,000\",2024-05-01,applied,T-1\n",
        ),
    ];
    let (ok, err) = import(&db, "en", &files);
    assert!(!ok);
    // The second year is over its yearly cap; at 1,500,000 it fits the total exactly.
    assert!(
        err.contains("grants.csv:3:4") && err.contains("¥1,600,000"),
        "{err}"
    );
    let mut fixed = files;
    fixed[2].1 = "program,fiscal_year,body,applied_amount,applied_on,state,award\n\
             試験助成,2023,一関おやこ食堂の会,\"1,500,000\",2023-05-01,applied,T-1\n\
             試験助成,2024,一関おやこ食堂の会,\"1,500,000\",2024-05-01,applied,T-1\n";
    let (ok, err) = import(&db, "en", &fixed);
    assert!(ok, "{err}");
    // A total cap below the two years together is refused, naming both sums.
    let mut tight = fixed;
    tight[0].1 = "name,fiscal_year,budget,rule,fixed_amount,award_years,award_year_cap,award_total_cap\n\
             試験助成,2023,\"9,000,000\",fixed,0,3,\"1,500,000\",\"2,500,000\"\n\
             試験助成,2024,\"9,000,000\",fixed,0,3,\"1,500,000\",\"2,500,000\"\n";
    let (ok, err) = import(&db, "en", &tight);
    assert!(!ok);
    assert!(
        err.contains("would total ¥3,000,000 over its cap of ¥2,500,000"),
        "{err}"
    );
}

#[test]
fn a_program_that_requires_a_plan_refuses_an_award_without_one_of_m_years() {
    let (_dir, db) = demo_db();
    let awards = |plan: &str| {
        format!(
            "number,program,fiscal_year,body,years,decided_on,plan,plan_from,plan_to\n\
             R6-人材-02,協働人材育成事業助成金,2024,一関おやこ食堂の会,2,2024-05-01,{plan}\n"
        )
    };
    let (ok, err) = import(&db, "ja", &[("awards.csv", &awards(",,"))]);
    assert!(!ok);
    assert!(
        err.contains("5年以上の計画(アクションプラン)を求めます"),
        "{err}"
    );
    let (ok, err) = import(
        &db,
        "ja",
        &[("awards.csv", &awards("食堂の計画,2024,2027"))],
    );
    assert!(!ok);
    assert!(
        err.contains("awards.csv:2:9") && err.contains("令和6年度〜令和9年度の4年です"),
        "{err}"
    );
    let (ok, err) = import(
        &db,
        "ja",
        &[("awards.csv", &awards("食堂の計画,2024,2028"))],
    );
    assert!(ok, "{err}");
    // An award longer than the program's N years is refused too.
    let long = "number,program,fiscal_year,body,years,decided_on,plan,plan_from,plan_to\n\
        R6-人材-03,協働人材育成事業助成金,2024,一関おやこ食堂の会,4,2024-05-01,計画,2024,2030\n";
    let (ok, err) = import(&db, "ja", &[("awards.csv", long)]);
    assert!(!ok);
    assert!(
        err.contains("採択期間 4 年: この交付金は1〜3年です"),
        "{err}"
    );
}

#[test]
fn a_grant_under_a_multi_year_program_needs_its_award_of_the_same_recipient() {
    let (_dir, db) = demo_db();
    let (ok, err) = import(
        &db,
        "en",
        &[(
            "grants.csv",
            "program,fiscal_year,body,applied_amount,applied_on,state\n\
             協働人材育成事業助成金,2025,一関おやこ食堂の会,\"500,000\",2025-04-10,applied\n",
        )],
    );
    assert!(!ok);
    assert!(
        err.contains("this program funds multi-year awards"),
        "{err}"
    );
    let (ok, err) = import(
        &db,
        "en",
        &[(
            "grants.csv",
            "program,fiscal_year,body,applied_amount,applied_on,state,award\n\
             協働人材育成事業助成金,2025,一関おやこ食堂の会,\"500,000\",2025-04-10,applied,R5-人材-01\n",
        )],
    );
    assert!(!ok);
    assert!(
        err.contains("award R5-人材-01 is under 協働人材育成事業助成金 to NPO法人いわい里山の会"),
        "{err}"
    );
}

#[test]
fn check_reports_a_stored_grant_beyond_its_awards_years() {
    let (_dir, store) = demo_store();
    let award = store.list::<Award>().items.pop().unwrap();
    let mut b = kyodo::store::Batch::new();
    b.put(SubsidyProgram {
        id: 0,
        name: JINZAI.into(),
        fiscal_year: FiscalYear(2026),
        budget: 1_500_000,
        rule: AllocationRule::Fixed { amount: 0 },
        over_budget_reason: None,
        report_due: Default::default(),
        award_terms: None,
    });
    store.write(b).unwrap();
    let p = store
        .list::<SubsidyProgram>()
        .items
        .into_iter()
        .find(|p| p.fiscal_year == FiscalYear(2026))
        .unwrap();
    // Written past the readers (as an older kyodo or another tool might have).
    let mut b = kyodo::store::Batch::new();
    b.put(applied(&award, p.id, 900_000, "2026-04-10", 4));
    store.write(b).unwrap();
    let report = kyodo::store::check::check(&store);
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
    assert!(
        format!("{:?}", report.problems[0]).contains("4年目"),
        "{:?}",
        report.problems
    );
}

#[test]
fn year_three_is_recorded_in_the_grant_form_and_a_fourth_is_refused_there() {
    use common::app::App;
    use kyodo::app::{Action, Pane};
    use ratatui_textarea::Key;
    let (_d, store, _) = demo_store_as("chiba.megumi");
    let award = store.list::<Award>().items.pop().unwrap();
    let mut b = kyodo::store::Batch::new();
    b.put(SubsidyProgram {
        id: 0,
        name: JINZAI.into(),
        fiscal_year: FiscalYear(2026),
        budget: 3_000_000,
        rule: AllocationRule::Fixed { amount: 0 },
        over_budget_reason: None,
        report_due: Default::default(),
        award_terms: Some(kyodo::domain::award::AwardTerms {
            max_years: 3,
            year_cap: 1_500_000,
            total_cap: None,
            plan_min_years: Some(5),
        }),
    });
    store.write(b).unwrap();
    let add = |app: &mut App, fy: i32| {
        app.go(Pane::Subsidies, 0);
        app.act(Action::Add);
        let form = app.state.form.as_mut().unwrap();
        form.focus = form.fields.iter().position(|f| f.key == "program").unwrap();
        app.key(Key::Char('1'));
        assert_eq!(
            app.state.form.as_ref().unwrap().text_of("program"),
            JINZAI,
            "FY{fy}"
        );
        // Picking the recipient proposes its award of the program, when the year is one of it.
        app.set("body", "いわい里山");
        app.key(Key::Enter);
        let proposed = app.state.form.as_ref().unwrap().text_of("award");
        assert_eq!(proposed.is_empty(), fy == 2026, "FY{fy}: {proposed}");
        app.set("applied_amount", "1,200,000");
        app.set("award", "R5-人材-01");
        app.save();
    };
    let mut app = App::new(&store, 2025);
    add(&mut app, 2025);
    assert!(app.state.form.is_none(), "year 3 saved");
    let g = store
        .list::<Grant>()
        .items
        .into_iter()
        .find(|g| g.award == Some(award.id) && g.applied_amount == 1_200_000)
        .unwrap();
    assert_eq!(g.project_year, Some(3));
    let mut app = App::new(&store, 2026);
    add(&mut app, 2026);
    let errors: Vec<_> = app
        .state
        .form
        .iter()
        .flat_map(|f| f.fields.iter())
        .filter_map(|f| f.error.as_ref().map(|e| (f.key, e.ja.clone())))
        .collect();
    let err = app
        .error_text("award")
        .unwrap_or_else(|| panic!("the year is refused: {errors:?}"));
    assert!(
        err.ja.contains("4年目") && err.ja.contains("最長3年"),
        "{}",
        err.ja
    );
    assert_eq!(
        store
            .list::<Grant>()
            .items
            .iter()
            .filter(|g| g.award == Some(award.id))
            .count(),
        3,
        "nothing saved"
    );
}
