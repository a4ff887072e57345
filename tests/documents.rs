//! Records carry their papers and their history (issue 17.2, 17.4, 17.6): documents attached to
//! a grant or request show in its detail, a body's detail lists its requests, a case lists its
//! consultations as a timeline, and `kyodo check --files` reports paths that do not exist.

mod common;
use common::*;
use kyodo::app::data::{Item, Loader};
use kyodo::app::effects::apply;
use kyodo::app::rows::detail;
use kyodo::app::{Action, AppState, Pane, update};
use kyodo::domain::*;
use kyodo::i18n::Lang;

/// Every item of `pane`'s views with its detail lines, in `fy`.
fn details(
    store: &kyodo::store::Store,
    pane: Pane,
    fy: i32,
    lang: Lang,
) -> Vec<(Item, Vec<(String, String)>)> {
    let mut state = AppState::new(lang, FiscalYear(fy), false, (100, 40));
    let mut loader = Loader::new(store);
    let mut out = Vec::new();
    let fx = update(&mut state, Action::GoPane(pane.index()));
    apply(&mut state, &mut loader, fx);
    for _ in 0..pane.views().len() {
        let data = state.current().data.as_ref().unwrap();
        let lk = data.lookups.clone();
        for i in &data.items {
            out.push((i.clone(), detail(i, &lk, lang, FiscalYear(fy))));
        }
        let fx = update(&mut state, Action::NextView);
        apply(&mut state, &mut loader, fx);
    }
    out
}

fn joined(d: &[(String, String)]) -> String {
    d.iter()
        .map(|(l, v)| format!("{l}\t{v}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_grant_shows_its_decision_notice_and_a_body_its_requests() {
    let (_dir, store) = demo_store();
    let all = details(&store, Pane::Subsidies, 2022, Lang::Ja);
    let (_, d) = all
        .iter()
        .find(|(_, d)| {
            d.iter().any(|(_, v)| v == "磐清水地区まちづくり協議会")
                && d.iter().any(|(_, v)| v.contains("交付決定通知書"))
        })
        .expect("the grant");
    let text = joined(d);
    assert!(
        text.contains("文書\t2022/05/08 一関市指令まち第1号 令和4年度地域づくり交付金交付決定通知書(磐清水地区まちづくり協議会)"),
        "{text}"
    );
    let bodies = details(&store, Pane::Bodies, 2024, Lang::Ja);
    let (_, d) = bodies
        .iter()
        .find(|(i, _)| matches!(i, Item::Body(b) if b.name == "千厩地区まちづくり協議会"))
        .unwrap();
    let text = joined(d);
    assert!(
        text.contains("要望・提言\t2024/04/10 R6-012 [受付] 地域づくり交付金の算定への面積割の導入 (まちづくり推進課)"),
        "{text}"
    );
    // A request's own detail shows its answer, filed as a document.
    let (_, d) = bodies
        .iter()
        .find(|(i, _)| matches!(i, Item::Record(r) if r.kind == RecordKind::Request && r.get("number") == "R6-009"))
        .expect("the request, in the bodies pane");
    assert!(
        joined(d).contains("地域の祭りへの観光面での支援について(回答)"),
        "{d:?}"
    );
}

#[test]
fn a_case_lists_its_consultations_as_a_timeline() {
    let (_dir, store) = demo_store();
    let all = details(&store, Pane::Consultations, 2023, Lang::Ja);
    let (_, d) = all
        .iter()
        .find(|(i, _)| matches!(i, Item::Record(r) if r.get("number") == "C2023-001"))
        .expect("the case, in the consultations pane");
    let text = joined(d);
    assert!(text.contains("相談の経過 (3)"), "{text}");
    let consultations = store.list_fy::<Consultation>(FiscalYear(2023)).items;
    let case = store
        .list::<kyodo::domain::consultation_case::ConsultationCase>()
        .items
        .into_iter()
        .find(|c| c.number == "C2023-001")
        .unwrap();
    let mine: Vec<_> = consultations
        .iter()
        .filter(|c| c.case_id == case.id)
        .collect();
    assert_eq!(mine.len(), 3);
    for c in &mine {
        assert!(text.contains(&Lang::Ja.date(c.date)), "{text}");
    }
    // Counts of consultations are those of the consultations, whatever their cases.
    assert_eq!(consultations.len(), 450);
}

#[test]
fn check_files_reports_paths_that_do_not_exist() {
    let (dir, db) = demo_db();
    let d = db.to_str().unwrap();
    let there = dir.path().join("kept.pdf");
    std::fs::write(&there, b"%PDF").unwrap();
    let csv = format!(
        "number,title,date,location\n\
         試験第1号,あるファイル,2024-04-01,{}\n\
         試験第2号,ないファイル,2024-04-01,{}\n\
         試験第3号,ウェブ,2024-04-01,https://example.jp/x\n",
        there.display(),
        dir.path().join("gone.pdf").display()
    );
    let file = dir.path().join("document_refs.csv");
    std::fs::write(&file, csv).unwrap();
    kyodo_ok(&["--db", d, "import", file.to_str().unwrap()]);
    let out = kyodo_cmd()
        .args(["--db", d, "check", "--files"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("document 試験第2号") && text.contains("gone.pdf"),
        "{text}"
    );
    assert!(
        !text.contains("試験第1号") && !text.contains("試験第3号"),
        "{text}"
    );
    // Without --files, paths are not looked at (the demo's file server is not this machine).
    let plain = kyodo_cmd().args(["--db", d, "check"]).output().unwrap();
    assert_eq!(plain.status.code(), Some(0));
}

#[test]
fn a_consultation_logged_from_the_shell_joins_its_case() {
    let (_dir, db) = demo_db();
    let d = db.to_str().unwrap();
    let base = [
        "--db",
        d,
        "log",
        "consultation",
        "--counselor",
        "千葉 直子",
        "--channel",
        "電話",
        "--category",
        "資金・助成",
    ];
    let bad = kyodo_cmd()
        .args(base)
        .args(["--case", "C1999-9"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("no case 'C1999-9'") && err.contains("C2023-002"),
        "{err}"
    );
    kyodo_ok(&[&base[..], &["--case", "C2023-002", "--date", "2023-06-01"]].concat());
    let store = kyodo::store::Store::open(&db).unwrap();
    let case = store
        .list::<kyodo::domain::consultation_case::ConsultationCase>()
        .items
        .into_iter()
        .find(|c| c.number == "C2023-002")
        .unwrap();
    let timeline = store.case_timeline(case.id).unwrap();
    assert_eq!(timeline.len(), 4);
    assert!(timeline.iter().any(|c| c.date.to_string() == "2023-06-01"));
}

#[test]
fn a_grants_detail_gives_its_report_due_date() {
    let (_dir, store) = demo_store();
    let all = details(&store, Pane::Subsidies, 2023, Lang::Ja);
    let texts: Vec<String> = all.iter().map(|(_, d)| joined(d)).collect();
    // The モデル事業 grant whose project ended on 2024-02-29: due 30 days later, not reported.
    assert!(
        texts
            .iter()
            .any(|t| t.contains("実績報告の期限\t2024/03/30  (実績報告 ")
                && t.contains("日超過 期限2024/03/30)")
                && t.contains("事業完了日\t2024/02/29")),
        "{texts:?}"
    );
    // A 地域づくり交付金 grant, reported: the due date and the day it came in.
    assert!(
        texts
            .iter()
            .any(|t| t.contains("実績報告の期限\t2024/04/30  (実績報告日 2024/04/")),
        "{texts:?}"
    );
}
