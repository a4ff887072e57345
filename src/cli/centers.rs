//! `kyodo report centers --fy Y`: each 市民センター, whether it is under 指定管理 that year, by
//! whom, for which period and fee, and how many of all are (seed 003 第2章 4: 30 of 33 by FY2023;
//! issue 18.4). A centre counts when a 指定管理 period is in force at some time in the year; a
//! centre with no period recorded counts by its body's 指定管理開始日.

use super::Format;
use super::doc::{Block, Doc};
use crate::domain::designation::DesignationTerm;
use crate::domain::{Body, FiscalYear, Text};
use crate::i18n::Lang;
use crate::io::encoding::Encoding;
use crate::store::Store;

use super::doc::h;

/// One centre's line: (centre, body it belongs to, managed, manager, from, to, fee).
struct Line {
    center: String,
    body: String,
    managed: bool,
    manager: String,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
    fee: Option<i64>,
}

/// The report of fiscal year `fy`, in `format`.
///
/// Errors: a record that cannot be read; for CP932, the first field it cannot write.
pub fn centers(
    store: &Store,
    fy: FiscalYear,
    format: Format,
    enc: Encoding,
    lang: Lang,
) -> Result<String, Text> {
    let err = |e: crate::store::StoreError| Text::new(e.to_string(), e.to_string());
    let bodies = store.list::<Body>();
    if let Some(e) = bodies.problems.into_iter().next() {
        return Err(err(e));
    }
    let terms = store.list::<DesignationTerm>();
    if let Some(e) = terms.problems.into_iter().next() {
        return Err(err(e));
    }
    let mut bodies = bodies.items;
    bodies.sort_by(|a, b| a.kana.cmp(&b.kana));
    let name_of = |id: u64| {
        bodies
            .iter()
            .find(|b| b.id == id)
            .map(|b| b.name.clone())
            .unwrap_or_default()
    };
    let mut lines = Vec::new();
    for b in &bodies {
        let Some(c) = &b.citizen_center else { continue };
        let mine: Vec<&DesignationTerm> =
            terms.items.iter().filter(|t| t.center == c.name).collect();
        let line = match mine
            .iter()
            .filter(|t| t.in_force_in(fy))
            .max_by_key(|t| t.from)
        {
            Some(t) => Line {
                center: c.name.clone(),
                body: b.name.clone(),
                managed: true,
                manager: name_of(t.manager_body_id),
                from: Some(t.from),
                to: Some(t.to),
                fee: Some(t.yearly_fee),
            },
            None => {
                let since = c.designated_manager_since.filter(|_| mine.is_empty());
                let managed = since.is_some_and(|s| fy.end().is_some_and(|e| s <= e));
                Line {
                    center: c.name.clone(),
                    body: b.name.clone(),
                    managed,
                    manager: if managed {
                        b.name.clone()
                    } else {
                        String::new()
                    },
                    from: since.filter(|_| managed),
                    to: None,
                    fee: None,
                }
            }
        };
        lines.push(line);
    }
    let managed = lines.iter().filter(|l| l.managed).count();
    let yes = h(lang, "指定管理", "designated");
    let no = h(lang, "直営", "run by the city");
    for l in &lines {
        for (f, v) in [("center", &l.center), ("manager", &l.manager)] {
            crate::io::encoding::check_field(enc, &format!("centre {}", l.center), f, v)?;
        }
    }
    Ok(match format {
        Format::Csv => {
            let mut rows = vec![
                [
                    "center",
                    "body",
                    "designated",
                    "manager",
                    "from",
                    "to",
                    "yearly_fee",
                ]
                .map(String::from)
                .to_vec(),
            ];
            for l in &lines {
                rows.push(vec![
                    l.center.clone(),
                    l.body.clone(),
                    l.managed.to_string(),
                    l.manager.clone(),
                    l.from.map(|d| d.to_string()).unwrap_or_default(),
                    l.to.map(|d| d.to_string()).unwrap_or_default(),
                    l.fee.map(|f| f.to_string()).unwrap_or_default(),
                ]);
            }
            super::ledger::csv_text(rows)?
        }
        Format::Json => {
            let v: Vec<serde_json::Value> = lines
                .iter()
                .map(|l| {
                    serde_json::json!({
                        "center": l.center, "body": l.body, "designated": l.managed,
                        "manager": l.manager, "from": l.from.map(|d| d.to_string()),
                        "to": l.to.map(|d| d.to_string()), "yearly_fee": l.fee,
                    })
                })
                .collect();
            format!(
                "{}\n",
                serde_json::json!({"fiscal_year": fy.0, "centers": lines.len(),
                                   "designated": managed, "lines": v})
            )
        }
        _ => {
            let doc = Doc {
                title: format!(
                    "{} {}",
                    lang.fy(fy),
                    h(lang, "市民センターの指定管理", "citizen centres")
                ),
                headers: vec![
                    h(lang, "市民センター", "Centre"),
                    h(lang, "管理", "Run"),
                    h(lang, "指定管理者", "Manager"),
                    h(lang, "期間", "Period"),
                    h(lang, "指定管理料(年額)", "Yearly fee"),
                ],
                right: vec![false, false, false, false, true],
                blocks: vec![Block {
                    heading: None,
                    rows: lines
                        .iter()
                        .map(|l| {
                            vec![
                                l.center.clone(),
                                if l.managed { yes.clone() } else { no.clone() },
                                l.manager.clone(),
                                match (l.from, l.to) {
                                    (Some(a), Some(b)) => {
                                        format!("{}〜{}", lang.date(a), lang.date(b))
                                    }
                                    (Some(a), None) => format!("{}〜", lang.date(a)),
                                    _ => String::new(),
                                },
                                l.fee.map(|f| lang.yen(f)).unwrap_or_default(),
                            ]
                        })
                        .collect(),
                    subtotal: None,
                }],
                total: Some(vec![
                    h(lang, "指定管理", "Designated"),
                    match lang {
                        Lang::Ja => format!("{managed} / {} 館", lines.len()),
                        Lang::En => format!("{managed} of {} centres", lines.len()),
                    },
                ]),
                notes: Vec::new(),
            };
            match format {
                Format::Md => doc.markdown(),
                Format::Html => super::doc::page_of(&doc, lang),
                _ => doc.text(),
            }
        }
    })
}
