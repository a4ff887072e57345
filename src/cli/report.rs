//! `kyodo report --fy YEAR [--format text|json|csv]`: every indicator for one fiscal year.
//! The same figures as the dashboard (both call [`crate::app::report::indicator_statuses`]).

use super::Format;
use super::doc::{Block, Doc};
use crate::app::report::indicator_statuses;
use crate::domain::{Figure, FiscalYear, IndicatorStatus, Text};
use crate::i18n::{Lang, Msg};
use crate::io::encoding::Encoding;
use crate::store::Store;
use serde_json::{Value, json};

use super::ledger::csv_text;
pub use super::ledger::subsidies;

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
/// stderr when the report could not be made or encoded). On a terminal, text from the database
/// is neutralised as the TUI does (no control character or escape sequence reaches it raw);
/// into a file or a pipe the bytes are written as they are.
pub fn emit(command: &str, out: Result<String, Text>, enc: Encoding, lang: Lang) -> i32 {
    use std::io::IsTerminal;
    let tty = std::io::stdout().is_terminal();
    let out = out.map(|t| {
        if tty {
            crate::text::sanitize_multiline(&t)
        } else {
            t
        }
    });
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
            eprintln!(
                "kyodo {command}: {}",
                crate::text::sanitize_multiline(t.get(lang))
            );
            1
        }
    }
}

pub use super::breakdown::{By, breakdown};

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
            let h = |m: Msg| lang.t(m).to_string();
            let mut rows = vec![vec![
                "id".to_string(),
                h(Msg::Indicator),
                h(Msg::Unit),
                format!("{} {}", h(Msg::Value), lang.fy(fy)),
                lang.field("baseline_fy").to_string(),
                h(Msg::Baseline),
                lang.field("target_fy").to_string(),
                h(Msg::Target),
                h(Msg::Achievement),
            ]];
            for s in &st {
                let i = &s.indicator;
                rows.push(vec![
                    i.id.clone(),
                    name(s),
                    unit(s),
                    show(s.value),
                    i.baseline_fy.0.to_string(),
                    show(i.baseline),
                    i.target_fy.0.to_string(),
                    i.target.to_string(),
                    s.achievement.map(|a| format!("{a:.3}")).unwrap_or_default(),
                ]);
            }
            out.extend_from_slice(csv_text(rows)?.as_bytes());
        }
        Format::Text => out.extend_from_slice(indicator_doc(fy, &st, lang).text().as_bytes()),
        Format::Md => out.extend_from_slice(indicator_doc(fy, &st, lang).markdown().as_bytes()),
        Format::Html => out
            .extend_from_slice(super::doc::page_of(&indicator_doc(fy, &st, lang), lang).as_bytes()),
    }
    Ok(())
}

/// The indicator table as the plan writes it (issue 15.3): figures with separators, years in
/// the user's calendar (令和4年度 / FY2022), a missing figure said in words (未入力).
fn indicator_doc(fy: FiscalYear, st: &[IndicatorStatus], lang: Lang) -> Doc {
    let missing = lang.t(Msg::NotEntered);
    let fig = |f: Option<Figure>| f.map(Figure::grouped).unwrap_or(missing.to_string());
    let rows = st
        .iter()
        .map(|s| {
            let i = &s.indicator;
            let (name, unit) = match lang {
                Lang::Ja => (&i.name_ja, &i.unit_ja),
                Lang::En => (&i.name_en, &i.unit_en),
            };
            vec![
                name.clone(),
                fig(s.value),
                fig(i.baseline),
                lang.fy(i.baseline_fy),
                i.target.grouped(),
                lang.fy(i.target_fy),
                s.achievement
                    .map(|a| format!("{:.1}%", a * 100.0))
                    .unwrap_or_else(|| "-".into()),
                unit.clone(),
            ]
        })
        .collect();
    Doc {
        title: format!("{} {}", lang.t(Msg::Indicator), lang.fy(fy)),
        headers: [
            lang.t(Msg::Indicator),
            lang.t(Msg::Value),
            lang.t(Msg::Baseline),
            lang.field("baseline_fy"),
            lang.t(Msg::Target),
            lang.field("target_fy"),
            lang.t(Msg::Achievement),
            lang.t(Msg::Unit),
        ]
        .map(str::to_string)
        .to_vec(),
        right: vec![false, true, true, true, true, true, true, false],
        blocks: vec![Block {
            heading: None,
            rows,
            subtotal: None,
        }],
        total: None,
        notes: Vec::new(),
    }
}
