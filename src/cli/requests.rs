//! `kyodo report requests --fy Y`: the 要望・提言 received in a fiscal year — how many stand in
//! each state, how many each 担当課 holds and in what state, and the list (CSV for Excel, one
//! row per request with every step's date) (issue 17.2; seed 003 事業11: the city reports how
//! the bodies' requests were reflected).

use super::Format;
use super::doc::{Block, Doc};
use crate::domain::request::{Request, RequestState};
use crate::domain::{FiscalYear, RecordType, Text};
use crate::i18n::Lang;
use crate::io::encoding::Encoding;
use crate::store::Store;
use serde_json::json;
use std::collections::BTreeMap;

use super::doc::h;

/// The report of the requests received in `fy`, in `format`.
///
/// Errors: a record that cannot be read; for CP932, the first field it cannot write.
pub fn requests(
    store: &Store,
    fy: FiscalYear,
    format: Format,
    enc: Encoding,
    lang: Lang,
) -> Result<String, Text> {
    let (names, problems) = store.name_tables();
    if let Some(e) = problems.into_iter().next() {
        return Err(Text::new(e.to_string(), e.to_string()));
    }
    let loaded = store.list::<Request>();
    if let Some(e) = loaded.problems.into_iter().next() {
        return Err(Text::new(e.to_string(), e.to_string()));
    }
    let mut reqs: Vec<Request> = loaded
        .items
        .into_iter()
        .filter(|r| r.in_year(fy, &names))
        .collect();
    reqs.sort_by(|a, b| (a.received_on, &a.number).cmp(&(b.received_on, &b.number)));
    let by_state =
        |state: RequestState, of: &[&Request]| of.iter().filter(|r| r.state == state).count();
    let all: Vec<&Request> = reqs.iter().collect();
    let mut sections: BTreeMap<&str, Vec<&Request>> = BTreeMap::new();
    for r in &reqs {
        sections.entry(r.section.as_str()).or_default().push(r);
    }
    let fields: Vec<(&str, String)> = Request::FIELDS
        .iter()
        .map(|(f, _)| (*f, lang.field_of("requests", f).to_string()))
        .collect();
    let rows: Vec<Vec<String>> = reqs
        .iter()
        .map(|r| r.write(&names).into_iter().map(|(_, v)| v).collect())
        .collect();
    for (r, cells) in reqs.iter().zip(&rows) {
        for ((_, label), v) in fields.iter().zip(cells) {
            crate::io::encoding::check_field(enc, &format!("request {}", r.number), label, v)?;
        }
    }
    Ok(match format {
        Format::Csv => {
            let mut table = vec![fields.iter().map(|(f, _)| f.to_string()).collect()];
            table.extend(rows);
            super::ledger::csv_text(table)?
        }
        Format::Json => {
            let states: serde_json::Map<String, serde_json::Value> = RequestState::ALL
                .iter()
                .map(|s| (s.code().to_string(), json!(by_state(*s, &all))))
                .collect();
            let by_section: Vec<serde_json::Value> = sections
                .iter()
                .map(|(sec, of)| {
                    let states: serde_json::Map<String, serde_json::Value> = RequestState::ALL
                        .iter()
                        .map(|s| (s.code().to_string(), json!(by_state(*s, of))))
                        .collect();
                    json!({"section": sec, "total": of.len(), "states": states})
                })
                .collect();
            let list: Vec<serde_json::Value> = reqs
                .iter()
                .map(|r| {
                    json!({
                        "number": r.number, "body": names.bodies.get(&r.body_id),
                        "received_on": r.received_on.to_string(), "text": r.text,
                        "section": r.section, "priority": r.priority.code(),
                        "plan_item": r.plan_item, "reply_due": r.reply_due_on().to_string(),
                        "state": r.state.code(),
                        "answered_on": r.answered_on.map(|d| d.to_string()),
                        "answer": r.answer,
                        "closed_on": r.closed_on.map(|d| d.to_string()), "reason": r.reason,
                    })
                })
                .collect();
            format!(
                "{}\n",
                json!({"fiscal_year": fy.0, "total": reqs.len(), "states": states,
                       "sections": by_section, "requests": list})
            )
        }
        Format::Text | Format::Md | Format::Html => {
            let docs = docs(&reqs, &all, &sections, &rows, &fields, fy, lang);
            match format {
                Format::Text => docs.iter().map(Doc::text).collect::<Vec<_>>().join("\n"),
                Format::Md => docs
                    .iter()
                    .map(Doc::markdown)
                    .collect::<Vec<_>>()
                    .join("\n"),
                _ => {
                    let body: String = docs.iter().map(Doc::html).collect();
                    let code = if lang == Lang::Ja { "ja" } else { "en" };
                    super::doc::html_page(&docs[0].title, "", &body, code)
                }
            }
        }
    })
}

/// The three tables: by state, by 担当課 (with each state), and the list.
fn docs(
    reqs: &[Request],
    all: &[&Request],
    sections: &BTreeMap<&str, Vec<&Request>>,
    rows: &[Vec<String>],
    fields: &[(&str, String)],
    fy: FiscalYear,
    lang: Lang,
) -> Vec<Doc> {
    let count =
        |state: RequestState, of: &[&Request]| of.iter().filter(|r| r.state == state).count();
    let total = h(lang, "合計", "Total");
    let by_state = Doc {
        title: format!(
            "{} {}",
            lang.fy(fy),
            h(lang, "要望・提言の状況", "requests")
        ),
        headers: vec![h(lang, "状態", "State"), h(lang, "件数", "Requests")],
        right: vec![false, true],
        blocks: vec![Block {
            heading: None,
            rows: RequestState::ALL
                .iter()
                .map(|s| vec![s.label(lang).to_string(), count(*s, all).to_string()])
                .collect(),
            subtotal: None,
        }],
        total: Some(vec![total.clone(), reqs.len().to_string()]),
        notes: Vec::new(),
    };
    let mut headers = vec![h(lang, "担当課", "Section"), h(lang, "件数", "Requests")];
    headers.extend(RequestState::ALL.iter().map(|s| s.label(lang).to_string()));
    let by_section = Doc {
        title: h(lang, "担当課別", "By section"),
        right: std::iter::once(false)
            .chain(std::iter::repeat_n(true, headers.len() - 1))
            .collect(),
        headers,
        blocks: vec![Block {
            heading: None,
            rows: sections
                .iter()
                .map(|(sec, of)| {
                    let mut r = vec![sec.to_string(), of.len().to_string()];
                    r.extend(RequestState::ALL.iter().map(|s| count(*s, of).to_string()));
                    r
                })
                .collect(),
            subtotal: None,
        }],
        total: None,
        notes: Vec::new(),
    };
    // The list: number, body, received, state, section, text.
    let pick = ["number", "body", "received_on", "state", "section", "text"];
    let at: Vec<usize> = pick
        .iter()
        .filter_map(|p| fields.iter().position(|(f, _)| f == p))
        .collect();
    let list = Doc {
        title: h(lang, "一覧", "List"),
        headers: at.iter().map(|&i| fields[i].1.clone()).collect(),
        right: Vec::new(),
        blocks: vec![Block {
            heading: None,
            rows: rows
                .iter()
                .zip(reqs)
                .map(|(r, q)| {
                    at.iter()
                        .map(|&i| match fields[i].0 {
                            "received_on" => lang.date(q.received_on),
                            "state" => q.state.label(lang).to_string(),
                            _ => r[i].clone(),
                        })
                        .collect()
                })
                .collect(),
            subtotal: None,
        }],
        total: None,
        notes: Vec::new(),
    };
    vec![by_state, by_section, list]
}
