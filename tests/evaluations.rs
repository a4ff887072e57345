//! 協働事業 and their evaluation in its order (issue 19.1–19.2): 自己評価 → 相互評価 → 第三者評価,
//! a stage before the one it follows refused with the missing stage named (in a file, in the
//! form, and by `kyodo check` over what is stored), and the publishable report.

mod common;

use common::app::App;
use common::*;
use kyodo::app::data::Item;
use kyodo::app::{Action, Pane};
use kyodo::domain::collaboration_project::CollaborationProject;
use kyodo::domain::project_evaluation::{EvaluationStage, ProjectEvaluation};
use kyodo::domain::*;
use kyodo::i18n::Lang;

const HEADER: &str = "project,fiscal_year,stage,evaluator,evaluated_on,purpose,roles,results,continuity,comment,improvement\n";

fn import(
    store: &kyodo::store::Store,
    dir: &std::path::Path,
    name: &str,
    text: &str,
) -> Result<(), String> {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    kyodo::io::import::import_path(store, &path)
        .map(|_| ())
        .map_err(|e| e.text(Lang::En))
}

#[test]
fn a_stage_before_the_one_it_follows_is_refused_naming_the_missing_stage() {
    let (dir, store) = demo_store();
    let d = dir.path();
    // R5-協働-03 has only its 自己評価 on the demo: a 第三者評価 now is refused, naming 相互評価.
    let third =
        "R5-協働-03,2023,第三者評価,一関市協働推進会議,2024-03-26,3,3,3,3,,参加地区を増やす\n";
    let e = import(
        &store,
        d,
        "project_evaluations.csv",
        &format!("{HEADER}{third}"),
    )
    .unwrap_err();
    assert!(
        e.contains("project_evaluations.csv:2:3")
            && e.contains("record its mutual evaluation first"),
        "{e}"
    );
    // A new year of R5-協働-01: a 相互評価 without any 自己評価 of that year names 自己評価.
    let mutual = "R5-協働-01,2024,相互評価,まちづくり推進課・両協議会,2025-03-10,4,4,4,4,,\n";
    let e = import(
        &store,
        d,
        "project_evaluations.csv",
        &format!("{HEADER}{mutual}"),
    )
    .unwrap_err();
    assert!(e.contains("record its self-evaluation first"), "{e}");
    // In order in one file, the three stages go in; a 第三者評価 without the agreed
    // improvement does not.
    let own = "R5-協働-01,2024,自己評価,まちづくり推進課,2025-03-01,4,4,4,4,,\n";
    let no_improvement = "R5-協働-01,2024,第三者評価,一関市協働推進会議,2025-03-20,4,4,4,4,,\n";
    let e = import(
        &store,
        d,
        "project_evaluations.csv",
        &format!("{HEADER}{own}{mutual}{no_improvement}"),
    )
    .unwrap_err();
    assert!(
        e.contains("project_evaluations.csv:4:11") && e.contains("improvement agreed"),
        "{e}"
    );
    let with =
        "R5-協働-01,2024,第三者評価,一関市協働推進会議,2025-03-20,4,4,4,4,,役割分担表を作る\n";
    import(
        &store,
        d,
        "project_evaluations.csv",
        &format!("{HEADER}{own}{mutual}{with}"),
    )
    .unwrap();
    let n = store
        .list::<ProjectEvaluation>()
        .items
        .iter()
        .filter(|e| e.fiscal_year == FiscalYear(2024))
        .count();
    assert_eq!(n, 3);
    // Scores are 1–5.
    let bad = "R5-協働-03,2023,自己評価,山目地区まちづくり協議会,2024-03-12,0,6,3,x,,\n";
    let e = import(
        &store,
        d,
        "project_evaluations.csv",
        &format!("{HEADER}{bad}"),
    )
    .unwrap_err();
    for col in ["2:6", "2:7", "2:9"] {
        assert!(
            e.contains(&format!("project_evaluations.csv:{col}")),
            "{col}: {e}"
        );
    }
}

#[test]
fn by_keys_alone_third_party_first_is_refused_then_self_mutual_third_are_recorded() {
    let (_d, store, _) = demo_store_as("chiba.megumi");
    let mut app = App::new(&store, 2023);
    let view = (0..12)
        .find(|&v| {
            app.go(Pane::Dashboard, v);
            app.state.current().data.as_ref().is_some_and(|d| {
                d.items.iter().any(
                    |i| matches!(i, Item::Record(r) if r.kind == RecordKind::ProjectEvaluation),
                )
            })
        })
        .expect("a 協働事業評価 view in the dashboard pane");
    let record = |app: &mut App, stage: &str, by: &str, improvement: &str| {
        app.go(Pane::Dashboard, view);
        app.act(Action::Add);
        assert!(app.state.form.is_some());
        app.set("project", "R5-協働-03");
        app.set("fiscal_year", "2023");
        app.state.form.as_mut().unwrap().set("stage", stage);
        app.set("evaluator", by);
        app.set("evaluated_on", "2024-03-20");
        for k in ["purpose", "roles", "results", "continuity"] {
            app.set(k, "4");
        }
        if !improvement.is_empty() {
            app.set("improvement", improvement);
        }
        app.save();
    };
    record(
        &mut app,
        "第三者評価",
        "一関市協働推進会議",
        "開催地区を増やす",
    );
    let err = app.error_text("stage").expect("refused");
    assert!(
        err.ja.contains("先に相互評価を記録してください"),
        "{}",
        err.ja
    );
    app.key(ratatui_textarea::Key::Esc);
    if app.state.confirm.is_some() {
        app.act(Action::Yes);
    }
    assert!(app.state.form.is_none(), "the refused form is discarded");
    record(&mut app, "相互評価", "こども家庭課・おやこ食堂の会", "");
    assert!(
        app.state.form.is_none(),
        "mutual after the demo's self-evaluation"
    );
    record(
        &mut app,
        "第三者評価",
        "一関市協働推進会議",
        "開催地区を増やす",
    );
    assert!(app.state.form.is_none(), "third after mutual");
    let stages: Vec<EvaluationStage> = {
        let p = store
            .list::<CollaborationProject>()
            .items
            .into_iter()
            .find(|p| p.number == "R5-協働-03")
            .unwrap();
        let mut e: Vec<ProjectEvaluation> = store
            .list::<ProjectEvaluation>()
            .items
            .into_iter()
            .filter(|e| e.project == p.id)
            .collect();
        e.sort_by_key(|e| e.stage.rank());
        e.iter().map(|e| e.stage).collect()
    };
    assert_eq!(
        stages,
        vec![
            EvaluationStage::SelfEvaluation,
            EvaluationStage::Mutual,
            EvaluationStage::ThirdParty
        ]
    );
    // Each stage is audited.
    let audited = store
        .audit_entries(100, |e| e.record.record_type == "project_evaluations")
        .items
        .len();
    assert!(audited >= 2, "{audited}");
}

#[test]
fn check_reports_a_stored_stage_whose_earlier_stage_is_gone() {
    let (_d, store) = demo_store();
    // R5-協働-02 has two 自己評価 and a 相互評価: remove the 自己評価 past the readers.
    let p = store
        .list::<CollaborationProject>()
        .items
        .into_iter()
        .find(|p| p.number == "R5-協働-02")
        .unwrap();
    assert!(kyodo::store::check::check(&store).problems.is_empty());
    let mut b = kyodo::store::Batch::new();
    for e in store.list::<ProjectEvaluation>().items {
        if e.project == p.id && e.stage == EvaluationStage::SelfEvaluation {
            b.delete::<ProjectEvaluation>(kyodo::store::keys::id_key(e.id));
        }
    }
    store.write(b).unwrap();
    let report = kyodo::store::check::check(&store);
    let all = format!("{:?}", report.problems);
    assert_eq!(report.problems.len(), 1, "{all}");
    assert!(
        all.contains("R5-協働-02") && all.contains("自己評価"),
        "{all}"
    );
}

#[test]
fn the_report_is_a_publishable_page_with_one_section_per_project_and_stages_side_by_side() {
    let html = kyodo_ok(&[
        "--demo",
        "--lang",
        "ja",
        "report",
        "evaluations",
        "--fy",
        "2023",
        "--format",
        "html",
    ]);
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<html lang=\"ja\">"));
    assert!(html.contains("<h1>令和5年度 協働事業の評価</h1>"));
    // One section per project of the year, in number order.
    let at = |s: &str| html.find(s).unwrap_or_else(|| panic!("{s} missing"));
    assert!(at("R5-協働-01") < at("R5-協働-02") && at("R5-協働-02") < at("R5-協働-03"));
    assert_eq!(html.matches("<section>").count(), 3);
    // The stages in order with their four scores and mean: the 第三者評価 of R5-協働-01.
    assert!(html.contains(
        "<td class=\"short\">第三者評価</td><td>一関市協働推進会議</td><td>2024/03/26</td><td class=\"num\">4</td><td class=\"num\">4</td><td class=\"num\">4</td><td class=\"num\">3</td><td class=\"num\">3.8</td>"
    ), "{html}");
    assert!(html.contains("改善策: 次年度は企画段階から両協議会の職員が加わり"));
    // CSV: a row per stage.
    let csv = kyodo_ok(&[
        "--demo",
        "report",
        "evaluations",
        "--fy",
        "2023",
        "--format",
        "csv",
    ]);
    assert_eq!(csv.lines().count(), 1 + 9, "{csv}");
    assert!(csv.contains(
        "R5-協働-02,里山の保全と環境学習,mutual,生活環境課・いわい里山の会,2024-03-01,4,4,4,3,3.8,"
    ));
    // A year without projects says so.
    let none = kyodo_ok(&["--demo", "report", "evaluations", "--fy", "2019"]);
    assert!(
        none.contains("no joint project runs in this year"),
        "{none}"
    );
}

#[test]
fn a_project_names_known_partners_and_an_action_of_its_plan() {
    let (dir, store) = demo_store();
    let header = "number,title,fiscal_year,last_fy,section,partners,plan,action,form,budget\n";
    let rows = "X-1,試験,2024,2023,まちづくり推進課,存在しない会,,,委託,\n\
                X-2,試験,2024,,まちづくり推進課,花泉地区まちづくり協議会,第3次一関市協働推進計画,99,共催,-1\n\
                X-3,試験,2024,,まちづくり推進課,一関おやこ食堂の会,,,寄付,\n";
    let e = import(
        &store,
        dir.path(),
        "collaboration_projects.csv",
        &format!("{header}{rows}"),
    )
    .unwrap_err();
    for at in ["2:6", "3:8", "3:10", "4:9"] {
        assert!(
            e.contains(&format!("collaboration_projects.csv:{at}")),
            "{at}: {e}"
        );
    }
    let ok = "X-4,試験,2024,2025,まちづくり推進課,一関おやこ食堂の会;花泉地区まちづくり協議会;NPO法人いわい里山の会,第3次一関市協働推進計画,3,協定,\"500,000\"\n";
    import(
        &store,
        dir.path(),
        "collaboration_projects.csv",
        &format!("{header}{ok}"),
    )
    .unwrap();
    let p = store
        .list::<CollaborationProject>()
        .items
        .into_iter()
        .find(|p| p.number == "X-4")
        .unwrap();
    assert_eq!(p.partners.len(), 3);
    assert!(matches!(p.partners[0], Recipient::Organisation(_)));
    assert!(matches!(p.partners[1], Recipient::Body(_)));
    assert_eq!(p.budget, Some(500_000));
    assert!(p.runs_in(FiscalYear(2025)) && !p.runs_in(FiscalYear(2026)));
}
