//! `kyodo report subsidies`: the ledger of a fiscal year's grants as text (headers, one block
//! per program with its subtotal, the grand total), CSV or JSON.

use super::Format;

use super::doc::{Block, Doc};
use crate::domain::{FiscalYear, Text};
use crate::i18n::{Lang, Msg};
use crate::io::encoding::Encoding;
use crate::store::Store;
use serde_json::{Value, json};

/// Rows as CSV for Excel, every cell neutralised against formula injection.
pub(super) fn csv_text(rows: Vec<Vec<String>>) -> Result<String, Text> {
    let mut w = crate::io::cells::CsvOut::new();
    for r in rows {
        w.row(&r)?;
    }
    w.finish()
}
/// The subsidy ledger of `fy` (one program if named): each grant's decided, paid, refunded,
/// confirmed, refund and settlement due, state and payments. CSV amounts are plain integers
/// (Excel reads them as numbers); text shows yen with separators.
///
/// Errors: a store error; for CP932, the first field it cannot write (record and field named).
pub fn subsidies(
    store: &Store,
    fy: FiscalYear,
    program: Option<&str>,
    format: Format,
    enc: Encoding,
    lang: Lang,
) -> Result<String, Text> {
    let data = crate::app::subsidy::LedgerData::load(store)
        .map_err(|e| Text::new(e.to_string(), e.to_string()))?;
    if let Some(name) = program
        && !data
            .programs
            .iter()
            .any(|p| p.name == name && p.fiscal_year == fy)
    {
        let names: Vec<&str> = data
            .programs
            .iter()
            .filter(|p| p.fiscal_year == fy)
            .map(|p| p.name.as_str())
            .collect();
        return Err(Text::new(
            format!(
                "{}に「{name}」という交付金はありません。この年度: {}",
                fy.ja_label(),
                names.join("、")
            ),
            format!(
                "no program '{name}' in {fy}; that year has: {}",
                names.join(", ")
            ),
        ));
    }
    let rows = data.rows(Some(fy), program);
    let payments = |id| {
        data.payments_of(id)
            .iter()
            .map(|p| format!("{} {} {}", p.date, p.kind.label(lang), p.amount))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let h = |ja: &'static str, en: &'static str| if lang == Lang::Ja { ja } else { en };
    let header: Vec<String> = [
        h("交付金", "program"),
        h("年度", "fiscal_year"),
        h("交付先", "recipient"),
        h("交付決定額", "decided"),
        h("支払額", "paid"),
        h("返還額", "refunded"),
        h("確定額", "confirmed"),
        h("返還未済", "refund_due"),
        h("精算払未払", "settlement_due"),
        h("状態", "state"),
        h("支払明細", "payments"),
        h("採択", "award"),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut table: Vec<Vec<String>> = Vec::new();
    for r in &rows {
        let m = r.money;
        let cells = vec![
            r.program.clone(),
            r.fiscal_year.0.to_string(),
            r.body.clone(),
            m.decided.to_string(),
            m.paid.to_string(),
            m.refunded.to_string(),
            m.confirmed.map(|c| c.to_string()).unwrap_or_default(),
            m.refund_due.to_string(),
            m.settlement_due.to_string(),
            r.state.label(lang).to_string(),
            payments(r.grant_id),
            r.award
                .as_ref()
                .map(|a| format!("{} {}/{}", a.number, a.year, a.years))
                .unwrap_or_default(),
        ];
        for (name, v) in header.iter().zip(&cells) {
            crate::io::encoding::check_field(
                enc,
                &format!("grant {} ({})", r.grant_id, r.body),
                name,
                v,
            )?;
        }
        table.push(cells);
    }
    Ok(match format {
        Format::Csv => {
            let mut all = vec![header];
            all.extend(table);
            csv_text(all)?
        }
        Format::Json => {
            let v: Vec<Value> = rows
                .iter()
                .map(|r| {
                    let m = r.money;
                    json!({
                        "grant_id": r.grant_id, "program": r.program, "fiscal_year": r.fiscal_year.0,
                        "recipient": r.body, "recipient_kind": r.recipient.kind_code(),
                        "award": r.award.as_ref().map(|a| json!({"number": a.number, "year": a.year, "years": a.years})), "decided": m.decided, "paid": m.paid, "refunded": m.refunded,
                        "confirmed": m.confirmed, "refund_due": m.refund_due,
                        "settlement_due": m.settlement_due, "state": r.state.code(),
                        "payments": data.payments_of(r.grant_id).iter().map(|p| json!({
                            "date": p.date.to_string(), "kind": p.kind.code(), "amount": p.amount
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            format!(
                "{}\n",
                json!({"fiscal_year": fy.0, "label": fy.ja_label(), "grants": v})
            )
        }
        Format::Text => ledger_doc(&rows, fy, lang).text(),
        Format::Md => ledger_doc(&rows, fy, lang).markdown(),
        Format::Html => super::doc::page_of(&ledger_doc(&rows, fy, lang), lang),
    })
}

/// The ledger as the city's own tables read (issue 15.3): a header row, one block per program
/// with its subtotal, then the grand total; yen with separators (円 / ¥), a grant not yet
/// confirmed shows 「-」 as its confirmed amount.
fn ledger_doc(rows: &[crate::app::subsidy::LedgerRow], fy: FiscalYear, lang: Lang) -> Doc {
    use crate::app::subsidy::LedgerRow;
    let h =
        |ja: &'static str, en: &'static str| (if lang == Lang::Ja { ja } else { en }).to_string();
    let y = |v: i64| lang.yen(v);
    let sums = |rs: &[&LedgerRow]| {
        let mut t = [0i64; 5];
        for r in rs {
            let m = r.money;
            t[0] += m.decided;
            t[1] += m.paid - m.refunded;
            t[2] += m.confirmed.unwrap_or(0);
            t[3] += m.refund_due;
            t[4] += m.settlement_due;
        }
        t
    };
    let total_row = |label: String, t: [i64; 5]| {
        let mut r = vec![label];
        r.extend(t.iter().map(|v| y(*v)));
        r.push(String::new());
        r
    };
    let mut programs: Vec<&str> = Vec::new();
    for r in rows {
        if !programs.contains(&r.program.as_str()) {
            programs.push(&r.program);
        }
    }
    let blocks = programs
        .iter()
        .map(|program| {
            let block: Vec<&LedgerRow> = rows.iter().filter(|r| r.program == *program).collect();
            let due = |v: i64| if v > 0 { y(v) } else { String::new() };
            Block {
                heading: Some(program.to_string()),
                rows: block
                    .iter()
                    .map(|r| {
                        let m = r.money;
                        vec![
                            r.recipient_label(lang),
                            y(m.decided),
                            y(m.paid - m.refunded),
                            m.confirmed.map(y).unwrap_or_else(|| "-".into()),
                            due(m.refund_due),
                            due(m.settlement_due),
                            r.state.label(lang).to_string(),
                        ]
                    })
                    .collect(),
                subtotal: Some(total_row(
                    format!("{} ({}{})", h("小計", "Subtotal"), block.len(), h("件", "")),
                    sums(&block),
                )),
            }
        })
        .collect();
    let all: Vec<&LedgerRow> = rows.iter().collect();
    Doc {
        title: format!("{} {}", lang.fy(fy), h("交付金台帳", "subsidy ledger")),
        headers: vec![
            lang.t(Msg::Recipient).to_string(),
            h("交付決定額", "Decided"),
            h("支払額", "Paid"),
            h("確定額", "Confirmed"),
            h("返還未済", "Refund due"),
            h("精算払未払", "Settlement due"),
            lang.t(Msg::State).to_string(),
        ],
        right: vec![false, true, true, true, true, true, false],
        blocks,
        total: Some(total_row(lang.t(Msg::Total).to_string(), sums(&all))),
        notes: Vec::new(),
    }
}
