//! `kyodo report evaluations --fy Y`: the publishable list of the year's 協働事業 evaluations
//! (seed 001 方策7 取組20: 「その過程と結果を公表する」; issue 19.2). One section per 協働事業 that
//! runs in the year: its form, section, partners and plan action, then its stages in order
//! (自己評価 → 相互評価 → 第三者評価) with the four criteria side by side and their mean, each
//! stage's comment, and the agreed improvement; a project with no stage yet says so. CSV is one
//! row per stage (scores as plain numbers).

use super::Format;
use super::doc::{Block, Doc};
use crate::domain::collaboration_project::CollaborationProject;
use crate::domain::fields::NameTables;
use crate::domain::project_evaluation::{CRITERIA, ProjectEvaluation};
use crate::domain::{FiscalYear, RecordKind, Text};
use crate::i18n::Lang;
use crate::io::encoding::Encoding;
use crate::store::Store;

use super::doc::h;

/// Mean of four scores with one decimal (`3.8`).
fn mean(scores: &[u8; 4]) -> String {
    let sum: u32 = scores.iter().map(|s| *s as u32).sum();
    // One decimal, rounded half up, in integers: sum / 4 × 10.
    let tenths = (sum * 10 + 2) / 4;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// The report of fiscal year `fy`, in `format`.
///
/// Errors: a record that cannot be read; for CP932, the first field it cannot write.
pub fn evaluations(
    store: &Store,
    fy: FiscalYear,
    format: Format,
    enc: Encoding,
    lang: Lang,
) -> Result<String, Text> {
    let mut projects: Vec<CollaborationProject> = store
        .list::<CollaborationProject>()
        .whole()?
        .into_iter()
        .filter(|p| p.runs_in(fy))
        .collect();
    projects.sort_by(|a, b| a.number.cmp(&b.number));
    let mut evals: Vec<ProjectEvaluation> = store
        .list::<ProjectEvaluation>()
        .whole()?
        .into_iter()
        .filter(|e| e.fiscal_year == fy)
        .collect();
    evals.sort_by(|a, b| {
        (a.stage.rank(), a.evaluated_on, &a.evaluator).cmp(&(
            b.stage.rank(),
            b.evaluated_on,
            &b.evaluator,
        ))
    });
    let (mut names, _) = store.name_tables();
    if let Some(p) = store
        .add_labels(&mut names, RecordKind::CollaborationProject)
        .into_iter()
        .next()
    {
        return Err(p.into());
    }
    let partners = |p: &CollaborationProject, names: &NameTables| {
        p.partners
            .iter()
            .map(|x| x.name(names))
            .collect::<Vec<_>>()
            .join(h(lang, "、", ", ").as_str())
    };
    for e in &evals {
        let what = format!("evaluation {}", e.id);
        crate::io::encoding::check_field(enc, &what, "evaluator", &e.evaluator)?;
    }
    let stages_of = |p: &CollaborationProject| -> Vec<&ProjectEvaluation> {
        evals.iter().filter(|e| e.project == p.id).collect()
    };
    Ok(match format {
        Format::Csv => {
            let mut head: Vec<String> = ["number", "title", "stage", "evaluator", "evaluated_on"]
                .map(String::from)
                .to_vec();
            head.extend(CRITERIA.iter().map(|c| c.0.to_string()));
            head.extend(["mean", "comment", "improvement"].map(String::from));
            let mut rows = vec![head];
            for p in &projects {
                for e in stages_of(p) {
                    let mut r = vec![
                        p.number.clone(),
                        p.title.clone(),
                        e.stage.code().to_string(),
                        e.evaluator.clone(),
                        e.evaluated_on.to_string(),
                    ];
                    r.extend(e.scores.iter().map(|s| s.to_string()));
                    r.push(mean(&e.scores));
                    r.push(e.comment.clone().unwrap_or_default());
                    r.push(e.improvement.clone().unwrap_or_default());
                    rows.push(r);
                }
            }
            super::ledger::csv_text(rows)?
        }
        Format::Json => {
            let v: Vec<serde_json::Value> = projects
                .iter()
                .map(|p| {
                    let stages: Vec<serde_json::Value> = stages_of(p)
                        .iter()
                        .map(|e| {
                            serde_json::json!({
                                "stage": e.stage.code(), "evaluator": e.evaluator,
                                "evaluated_on": e.evaluated_on.to_string(),
                                "scores": e.scores, "comment": e.comment,
                                "improvement": e.improvement,
                            })
                        })
                        .collect();
                    serde_json::json!({
                        "number": p.number, "title": p.title, "form": p.form.code(),
                        "section": p.section, "partners": partners(p, &names),
                        "stages": stages,
                    })
                })
                .collect();
            format!(
                "{}\n",
                serde_json::json!({"fiscal_year": fy.0, "projects": v})
            )
        }
        _ => {
            let title = format!(
                "{} {}",
                lang.fy(fy),
                h(lang, "協働事業の評価", "joint project evaluations")
            );
            let docs: Vec<Doc> = projects
                .iter()
                .map(|p| section(p, &stages_of(p), &partners(p, &names), lang))
                .collect();
            let empty = h(
                lang,
                "この年度に実施中の協働事業はありません",
                "no joint project runs in this year",
            );
            match format {
                Format::Md => {
                    let mut s = format!("# {}\n", super::doc::md_cell(&title));
                    for d in &docs {
                        s.push('\n');
                        s += &d.markdown_at(2);
                    }
                    if docs.is_empty() {
                        s += &format!("\n{empty}\n");
                    }
                    s
                }
                Format::Html => {
                    let body: String = docs.iter().map(|d| d.html()).collect();
                    let body = if docs.is_empty() {
                        format!("<p>{}</p>\n", super::doc::html_escape(&empty))
                    } else {
                        body
                    };
                    let code = if lang == Lang::Ja { "ja" } else { "en" };
                    super::doc::html_page(
                        &title,
                        &h(
                            lang,
                            "自己評価 → 相互評価 → 第三者評価(各項目 1〜5)",
                            "self → mutual → third-party evaluation (each criterion 1–5)",
                        ),
                        &body,
                        code,
                    )
                }
                _ => {
                    let mut s = format!("{}\n", crate::text::sanitize(&title));
                    for d in &docs {
                        s.push('\n');
                        s += &d.text();
                    }
                    if docs.is_empty() {
                        s += &format!("{empty}\n");
                    }
                    s
                }
            }
        }
    })
}

/// One project's section: its facts as the first notes, a row per stage, then each stage's
/// comment and the agreed improvement.
fn section(
    p: &CollaborationProject,
    stages: &[&ProjectEvaluation],
    partners: &str,
    lang: Lang,
) -> Doc {
    let mut headers = vec![
        h(lang, "段階", "Stage"),
        h(lang, "評価者", "Evaluator"),
        h(lang, "評価日", "Date"),
    ];
    headers.extend(CRITERIA.iter().map(|c| h(lang, c.1, c.2)));
    headers.push(h(lang, "平均", "Mean"));
    let stage = |e: &ProjectEvaluation| match lang {
        Lang::Ja => e.stage.ja().to_string(),
        Lang::En => e.stage.en().to_string(),
    };
    let rows = stages
        .iter()
        .map(|e| {
            let mut r = vec![stage(e), e.evaluator.clone(), lang.date(e.evaluated_on)];
            r.extend(e.scores.iter().map(|s| s.to_string()));
            r.push(mean(&e.scores));
            r
        })
        .collect();
    let form = match lang {
        Lang::Ja => p.form.ja(),
        Lang::En => p.form.en(),
    };
    let facts = format!(
        "{}: {form} / {}: {} / {}: {partners}{}",
        h(lang, "形態", "Form"),
        h(lang, "担当課", "Section"),
        p.section,
        h(lang, "協働の相手", "Partners"),
        p.action
            .as_ref()
            .map(|(plan, n)| format!(" / {plan} {} {n}", h(lang, "事業", "action")))
            .unwrap_or_default()
    );
    let mut notes = Vec::new();
    if stages.is_empty() {
        notes.push(h(lang, "評価はまだありません", "not yet evaluated"));
    }
    for e in stages {
        if let Some(c) = &e.comment {
            notes.push(format!("{}({}): {c}", stage(e), e.evaluator));
        }
    }
    for e in stages {
        if let Some(i) = &e.improvement {
            notes.push(format!("{}: {i}", h(lang, "改善策", "Agreed improvement")));
        }
    }
    Doc {
        title: format!("{} {}", p.number, p.title),
        right: vec![false, false, false, true, true, true, true, true],
        headers,
        blocks: vec![Block {
            heading: Some(facts),
            rows,
            subtotal: None,
        }],
        total: None,
        notes,
    }
}
