//! `kyodo survey import --round NAME FILE` (a 職員意識調査 round's answers, as a form tool exports
//! them; [`crate::app::survey`]) and `kyodo report survey --fy Y`: each round of the year with its
//! response rate, the awareness it gives 市職員の協働に対する認知度, each question's answers on the
//! scale, and the awareness by section for sections of 5 respondents or more (smaller ones
//! together, shown only when they are 5 or more together; issue 19.5).

use super::Format;
use super::doc::{Block, Doc};
use crate::domain::staff_survey::{SCALE, StaffSurvey, awareness};
use crate::domain::survey_response::{MIN_GROUP, SurveyResponse};
use crate::domain::{FiscalYear, Text};
use crate::i18n::Lang;
use crate::store::Store;
use clap::Subcommand;
use std::path::PathBuf;

/// What `kyodo survey` does.
#[derive(Debug, Subcommand)]
pub enum SurveyCommand {
    /// Import a round's answers from the CSV a form tool exports (anonymous: section and answers only)
    Import {
        /// The round (調査名), recorded first in staff_surveys
        #[arg(long)]
        round: String,
        /// The exported CSV (UTF-8 or CP932)
        file: PathBuf,
    },
}

/// Runs `kyodo survey`; returns the exit code (1 when refused, nothing written).
pub fn run(store: &Store, what: &SurveyCommand, lang: Lang) -> i32 {
    let SurveyCommand::Import { round, file } = what;
    let shown = crate::text::sanitize(&file.display().to_string());
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("kyodo survey: {shown}: {e}");
            return 1;
        }
    };
    match crate::app::survey::import_answers(store, round, &shown, &bytes) {
        Ok(n) => {
            println!(
                "{}",
                match lang {
                    Lang::Ja => format!(
                        "{} 件の回答を取り込みました(取り込み済み {} 件)",
                        n.added, n.known
                    ),
                    Lang::En => format!(
                        "{} answer sheets imported ({} already there)",
                        n.added, n.known
                    ),
                }
            );
            0
        }
        Err(errors) => {
            eprintln!(
                "{}",
                match lang {
                    Lang::Ja => format!(
                        "取り込みを中止しました。何も書き込んでいません。エラー {} 件:",
                        errors.len()
                    ),
                    Lang::En => format!(
                        "import refused, nothing was written; {} error(s):",
                        errors.len()
                    ),
                }
            );
            for e in errors {
                eprintln!("  {}", crate::text::sanitize(&e.text(lang)));
            }
            1
        }
    }
}

use super::doc::h;

fn pct(a: Option<crate::domain::Figure>) -> String {
    a.map(|f| format!("{f}%")).unwrap_or_else(|| "-".into())
}

/// The report of fiscal year `fy`, in `format` (csv: one row per question and scale point, then
/// per section group).
///
/// Errors: a record that cannot be read.
pub fn report(store: &Store, fy: FiscalYear, format: Format, lang: Lang) -> Result<String, Text> {
    let mut rounds: Vec<StaffSurvey> = store
        .list::<StaffSurvey>()
        .whole()?
        .into_iter()
        .filter(|r| r.fiscal_year == fy)
        .collect();
    rounds.sort_by_key(|r| r.conducted_on);
    let sheets = store.list::<SurveyResponse>().whole()?;
    let mut docs = Vec::new();
    let mut csv = vec![
        ["survey", "by", "item", "value", "count"]
            .map(String::from)
            .to_vec(),
    ];
    for r in &rounds {
        let mine: Vec<&SurveyResponse> = sheets.iter().filter(|s| s.round == r.id).collect();
        let answers: Vec<&[u8]> = mine.iter().map(|s| s.answers.as_slice()).collect();
        let total = awareness(r, &answers);
        csv.push(vec![
            r.name.clone(),
            "round".into(),
            "responses".into(),
            mine.len().to_string(),
            r.staff_asked.to_string(),
        ]);
        csv.push(vec![
            r.name.clone(),
            "round".into(),
            "awareness".into(),
            pct(total),
            String::new(),
        ]);
        let mut rows = Vec::new();
        for (qi, q) in r.questions.iter().enumerate() {
            let mut row = vec![format!("{}. {q}", qi + 1)];
            for p in 1..=4u8 {
                let n = answers.iter().filter(|a| a.get(qi) == Some(&p)).count();
                row.push(n.to_string());
                csv.push(vec![
                    r.name.clone(),
                    "question".into(),
                    q.clone(),
                    SCALE[p as usize - 1].0.into(),
                    n.to_string(),
                ]);
            }
            rows.push(row);
        }
        // By section: groups of 5 or more on their own, the rest together if they are 5 or more.
        let mut groups: std::collections::BTreeMap<&str, Vec<&[u8]>> = Default::default();
        for s in &mine {
            groups
                .entry(s.section.as_str())
                .or_default()
                .push(&s.answers);
        }
        let mut by_section = Vec::new();
        let mut rest: Vec<&[u8]> = Vec::new();
        for (sec, a) in &groups {
            if a.len() >= MIN_GROUP && !sec.is_empty() {
                by_section.push((sec.to_string(), a.len(), awareness(r, a)));
            } else {
                rest.extend(a.iter().copied());
            }
        }
        if rest.len() >= MIN_GROUP {
            by_section.push((
                h(
                    lang,
                    "その他(5人未満の所属など)",
                    "others (sections under 5, none given)",
                ),
                rest.len(),
                awareness(r, &rest),
            ));
        }
        for (sec, n, a) in &by_section {
            csv.push(vec![
                r.name.clone(),
                "section".into(),
                sec.clone(),
                pct(*a),
                n.to_string(),
            ]);
        }
        let mut headers = vec![h(lang, "設問", "Question")];
        headers.extend(SCALE.iter().map(|s| h(lang, s.0, s.1)));
        docs.push(Doc {
            title: format!("{} ({})", r.name, lang.date(r.conducted_on)),
            headers,
            right: vec![false, true, true, true, true],
            blocks: vec![Block {
                heading: None,
                rows,
                subtotal: None,
            }],
            total: None,
            notes: std::iter::once(match lang {
                Lang::Ja => format!(
                    "回答 {} / 対象 {} 人 — 市職員の協働に対する認知度(設問{}で「よく知っている」「ある程度知っている」): {}",
                    mine.len(), r.staff_asked, r.awareness_question, pct(total)
                ),
                Lang::En => format!(
                    "{} answers of {} staff asked — awareness (question {}, well or somewhat aware): {}",
                    mine.len(), r.staff_asked, r.awareness_question, pct(total)
                ),
            })
            .chain(by_section.iter().map(|(s, n, a)| format!("{s} ({n}): {}", pct(*a))))
            .chain(std::iter::once(h(
                lang,
                "所属別は回答者5人以上の所属だけを示します",
                "sections are shown only for 5 respondents or more",
            )))
            .collect(),
        });
    }
    Ok(match format {
        Format::Csv => super::ledger::csv_text(csv)?,
        Format::Md => docs
            .iter()
            .map(|d| d.markdown())
            .collect::<Vec<_>>()
            .join("\n"),
        Format::Html => super::doc::html_page(
            &format!(
                "{} {}",
                lang.fy(fy),
                h(lang, "職員意識調査", "staff survey")
            ),
            "",
            &docs.iter().map(|d| d.html()).collect::<String>(),
            if lang == Lang::Ja { "ja" } else { "en" },
        ),
        _ if docs.is_empty() => format!(
            "{}\n",
            h(
                lang,
                "この年度の職員意識調査はありません",
                "no staff survey in this year"
            )
        ),
        _ => docs.iter().map(|d| d.text()).collect::<Vec<_>>().join("\n"),
    })
}
