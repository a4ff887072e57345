//! `kyodo report --fy YEAR [--format text|json|csv]`: every indicator for one fiscal year.
//! The same figures as the dashboard (both call [`crate::app::report::indicator_statuses`]).

use super::Format;
use crate::app::report::indicator_statuses;
use crate::domain::{Figure, FiscalYear, IndicatorStatus};
use crate::i18n::{Lang, Msg};
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

/// Prints the report; returns the exit code.
///
/// Errors: store errors; writing to stdout.
pub fn run(store: &Store, fy: FiscalYear, format: Format, lang: Lang) -> anyhow::Result<i32> {
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
        Format::Json => println!("{}", json_report(fy, &st)),
        Format::Csv => {
            let mut w = csv::Writer::from_writer(std::io::stdout());
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
            println!("{} {}", lang.t(Msg::Indicator), lang.fy(fy));
            let nw = st
                .iter()
                .map(|s| width(&sanitize(&name(s))))
                .max()
                .unwrap_or(10)
                .max(width(lang.t(Msg::Indicator)));
            println!(
                "{} {} {} {} {} {}",
                pad(lang.t(Msg::Indicator), nw),
                pad_left(lang.t(Msg::Value), 10),
                pad_left(lang.t(Msg::Baseline), 16),
                pad_left(lang.t(Msg::Target), 16),
                pad_left(lang.t(Msg::Achievement), 8),
                lang.t(Msg::Unit)
            );
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
                println!(
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
                );
            }
        }
    }
    Ok(0)
}
