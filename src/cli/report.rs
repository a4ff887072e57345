//! `kyodo report --fy YEAR [--format text|json|csv]`: every indicator for one fiscal year.
//! The same figures as the dashboard (both call [`crate::app::report::indicator_statuses`]).

use super::Format;
use crate::app::report::indicator_statuses;
use crate::domain::{Figure, FiscalYear, GrantMoney, IndicatorStatus, Text};
use crate::i18n::{Lang, Msg};
use crate::io::encoding::Encoding;
use crate::store::Store;
use crate::text::{pad, pad_left, sanitize, width};
use serde_json::{Value, json};

/// A figure as a JSON number: integer when whole (125), else decimal (3.77).
pub fn figure_json(f: Option<Figure>) -> Value {
    match f {
        None => Value::Null,
        Some(f) if f.is_whole() => json!(f.0 / 100),
        Some(f) => serde_json::Number::from_f64(f.as_f64())
            .map(Value::Number)
            .unwrap_or(Value::Null),
    }
}

/// The JSON report: `{"fiscal_year":2022,"label":"令和4年度","indicators":[…]}` with the
/// Japanese label and names (the plan's official wording) and English beside them.
pub fn json_report(fy: FiscalYear, st: &[IndicatorStatus]) -> Value {
    let indicators: Vec<Value> = st
        .iter()
        .map(|s| {
            let i = &s.indicator;
            json!({
                "id": i.id,
                "name": i.name_ja,
                "name_en": i.name_en,
                "unit": i.unit_ja,
                "value": figure_json(s.value),
                "baseline": {"fiscal_year": i.baseline_fy.0, "value": figure_json(i.baseline)},
                "target": {"fiscal_year": i.target_fy.0, "value": figure_json(Some(i.target))},
                "achievement": s.achievement,
            })
        })
        .collect();
    json!({
        "fiscal_year": fy.0,
        "label": fy.ja_label(),
        "label_en": fy.en_label(),
        "indicators": indicators,
    })
}

fn show(f: Option<Figure>) -> String {
    f.map(|f| f.to_string()).unwrap_or_default()
}

/// Writes a report's text to stdout in `enc`; returns the exit code (1 with the reason on
/// stderr when the report could not be made or encoded).
pub fn emit(command: &str, out: Result<String, Text>, enc: Encoding, lang: Lang) -> i32 {
    let bytes = out.and_then(|text| crate::io::encoding::encode(enc, &text));
    match bytes {
        Ok(b) => {
            use std::io::Write;
            let mut so = std::io::stdout().lock();
            if so.write_all(&b).and_then(|_| so.flush()).is_err() {
                return 1;
            }
            0
        }
        Err(t) => {
            eprintln!("kyodo {command}: {}", sanitize(t.get(lang)));
            1
        }
    }
}

fn csv_text(rows: Vec<Vec<String>>) -> Result<String, Text> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.write_record(&r)
            .map_err(|e| Text::new(e.to_string(), e.to_string()))?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Text::new(e.to_string(), e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| Text::new(e.to_string(), e.to_string()))
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
        h("地域協働体", "body"),
        h("交付決定額", "decided"),
        h("支払額", "paid"),
        h("返還額", "refunded"),
        h("確定額", "confirmed"),
        h("返還未済", "refund_due"),
        h("精算払未払", "settlement_due"),
        h("状態", "state"),
        h("支払明細", "payments"),
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
    let total = |f: fn(&GrantMoney) -> i64| rows.iter().map(|r| f(&r.money)).sum::<i64>();
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
                        "body": r.body, "decided": m.decided, "paid": m.paid, "refunded": m.refunded,
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
        Format::Text => {
            let y = |v: i64| lang.yen(v);
            let mut out = format!("{} {}\n", lang.fy(fy), h("交付金台帳", "subsidy ledger"));
            let nw = rows
                .iter()
                .map(|r| width(&sanitize(&r.body)))
                .max()
                .unwrap_or(8)
                .max(8);
            for r in &rows {
                let m = r.money;
                out += &format!(
                    "{} {} {} {} {} {} {}\n",
                    pad(&sanitize(&r.body), nw),
                    pad_left(&y(m.decided), 14),
                    pad_left(&y(m.paid - m.refunded), 14),
                    pad_left(&m.confirmed.map(y).unwrap_or_else(|| "-".into()), 14),
                    pad_left(
                        &if m.refund_due > 0 {
                            format!("{}{}", h("返還", "refund "), y(m.refund_due))
                        } else {
                            String::new()
                        },
                        16
                    ),
                    pad_left(
                        &if m.settlement_due > 0 {
                            format!("{}{}", h("精算", "settle "), y(m.settlement_due))
                        } else {
                            String::new()
                        },
                        16
                    ),
                    r.state.label(lang)
                );
            }
            out += &format!(
                "{} {} {} {}\n",
                pad(h("合計", "total"), nw),
                pad_left(&y(total(|m| m.decided)), 14),
                pad_left(&y(total(|m| m.paid - m.refunded)), 14),
                pad_left(&y(total(|m| m.confirmed.unwrap_or(0))), 14),
            );
            out
        }
    })
}

/// The indicator report as text in `format`.
///
/// Errors: a store error.
pub fn indicators(
    store: &Store,
    fy: FiscalYear,
    format: Format,
    lang: Lang,
) -> Result<String, Text> {
    let mut buf: Vec<u8> = Vec::new();
    write_indicators(store, fy, format, lang, &mut buf)
        .map_err(|e| Text::new(e.to_string(), e.to_string()))?;
    String::from_utf8(buf).map_err(|e| Text::new(e.to_string(), e.to_string()))
}

fn write_indicators(
    store: &Store,
    fy: FiscalYear,
    format: Format,
    lang: Lang,
    out: &mut Vec<u8>,
) -> anyhow::Result<()> {
    use std::io::Write;
    let st = indicator_statuses(store, fy)?;
    let name = |s: &IndicatorStatus| match lang {
        Lang::Ja => s.indicator.name_ja.clone(),
        Lang::En => s.indicator.name_en.clone(),
    };
    let unit = |s: &IndicatorStatus| match lang {
        Lang::Ja => s.indicator.unit_ja.clone(),
        Lang::En => s.indicator.unit_en.clone(),
    };
    match format {
        Format::Json => writeln!(out, "{}", json_report(fy, &st))?,
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut *out);
            let h = |m: Msg| lang.t(m);
            w.write_record([
                "id",
                h(Msg::Indicator),
                h(Msg::Unit),
                &format!("{} {}", h(Msg::Value), lang.fy(fy)),
                &format!("{} FY", h(Msg::Baseline)),
                h(Msg::Baseline),
                &format!("{} FY", h(Msg::Target)),
                h(Msg::Target),
                h(Msg::Achievement),
            ])?;
            for s in &st {
                let i = &s.indicator;
                w.write_record([
                    i.id.clone(),
                    name(s),
                    unit(s),
                    show(s.value),
                    i.baseline_fy.0.to_string(),
                    show(i.baseline),
                    i.target_fy.0.to_string(),
                    i.target.to_string(),
                    s.achievement.map(|a| format!("{a:.3}")).unwrap_or_default(),
                ])?;
            }
            w.flush()?;
        }
        Format::Text => {
            writeln!(out, "{} {}", lang.t(Msg::Indicator), lang.fy(fy))?;
            let nw = st
                .iter()
                .map(|s| width(&sanitize(&name(s))))
                .max()
                .unwrap_or(10)
                .max(width(lang.t(Msg::Indicator)));
            writeln!(
                out,
                "{} {} {} {} {} {}",
                pad(lang.t(Msg::Indicator), nw),
                pad_left(lang.t(Msg::Value), 10),
                pad_left(lang.t(Msg::Baseline), 16),
                pad_left(lang.t(Msg::Target), 16),
                pad_left(lang.t(Msg::Achievement), 8),
                lang.t(Msg::Unit)
            )?;
            for s in &st {
                let i = &s.indicator;
                let value = match s.value {
                    Some(v) => v.to_string(),
                    None => lang.t(Msg::NotEntered).to_string(),
                };
                let base = match i.baseline {
                    Some(b) => format!("{b} ({})", i.baseline_fy.0),
                    None => format!("- ({})", i.baseline_fy.0),
                };
                writeln!(
                    out,
                    "{} {} {} {} {} {}",
                    pad(&sanitize(&name(s)), nw),
                    pad_left(&value, 10),
                    pad_left(&base, 16),
                    pad_left(&format!("{} ({})", i.target, i.target_fy.0), 16),
                    pad_left(
                        &s.achievement
                            .map(|a| format!("{:.1}%", a * 100.0))
                            .unwrap_or_else(|| "-".into()),
                        8
                    ),
                    sanitize(&unit(s))
                )?;
            }
        }
    }
    Ok(())
}
