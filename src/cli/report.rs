//! `kyodo report --fy YEAR [--format text|json|csv]`: every indicator for one fiscal year.
//! The same figures as the dashboard (both call [`crate::app::report::indicator_statuses`]).

use super::Format;
use crate::app::report::indicator_statuses;
use crate::domain::{Figure, FiscalYear, IndicatorStatus, Text};
use crate::i18n::{Lang, Msg};
use crate::io::encoding::Encoding;
use crate::store::Store;
use crate::text::{pad, pad_left, sanitize, width};
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
            eprintln!("kyodo {command}: {}", sanitize(t.get(lang)));
            1
        }
    }
}

/// How `kyodo report --by` breaks the counted figures down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum By {
    /// Per month of the fiscal year (April first): consultations, 話し合い支援, meetings, activities.
    Month,
    /// Consultations per category (a consultation with two categories counts in both).
    Category,
    /// Consultations per channel.
    Channel,
    /// Per body: team meetings, activities and consultations of the body.
    Body,
    /// Per district: the same summed over its bodies.
    District,
}

/// A table as text (aligned), CSV or JSON (one object per row, keys = headers).
///
/// Errors: for CP932, the row and column holding a character it cannot write.
pub fn table(
    headers: &[String],
    rows: &[Vec<String>],
    format: Format,
    enc: Encoding,
    title: &str,
) -> Result<String, Text> {
    for (i, r) in rows.iter().enumerate() {
        for (h, v) in headers.iter().zip(r) {
            crate::io::encoding::check_field(enc, &format!("row {}", i + 1), h, v)?;
        }
    }
    Ok(match format {
        Format::Csv => {
            let mut all = vec![headers.to_vec()];
            all.extend(rows.iter().cloned());
            csv_text(all)?
        }
        Format::Json => {
            let v: Vec<Value> = rows
                .iter()
                .map(|r| {
                    let mut m = serde_json::Map::new();
                    for (h, c) in headers.iter().zip(r) {
                        let val = c
                            .replace(',', "")
                            .parse::<i64>()
                            .map(Value::from)
                            .unwrap_or_else(|_| Value::from(c.clone()));
                        m.insert(h.clone(), val);
                    }
                    Value::Object(m)
                })
                .collect();
            format!("{}\n", Value::Array(v))
        }
        Format::Text => {
            let widths: Vec<usize> = (0..headers.len())
                .map(|i| {
                    rows.iter()
                        .map(|r| width(&sanitize(&r[i])))
                        .chain([width(&headers[i])])
                        .max()
                        .unwrap_or(4)
                })
                .collect();
            let line = |cells: &[String]| {
                cells
                    .iter()
                    .zip(&widths)
                    .enumerate()
                    .map(|(i, (c, w))| {
                        if i == 0 {
                            pad(&sanitize(c), *w)
                        } else {
                            pad_left(&sanitize(c), *w)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("  ")
            };
            let mut out = format!("{title}\n{}\n", line(headers));
            for r in rows {
                out += &line(r);
                out.push('\n');
            }
            out
        }
    })
}

/// The counted figures of `fy` broken down `by` month, category, channel, body or district.
///
/// Errors: a store error; CP932 refusals.
pub fn breakdown(
    store: &Store,
    fy: FiscalYear,
    by: By,
    format: Format,
    enc: Encoding,
    lang: Lang,
) -> Result<String, Text> {
    use crate::domain::{Body, BodyActivity, Category, Channel, Client, Consultation, TeamMeeting};
    use crate::store::records::Metric;
    let err = |e: crate::store::StoreError| Text::new(e.to_string(), e.to_string());
    let ja = lang == Lang::Ja;
    let h = |j: &str, e: &str| if ja { j.to_string() } else { e.to_string() };
    let n = |v: i64| crate::domain::money::group_digits(v);
    let (headers, rows): (Vec<String>, Vec<Vec<String>>) = match by {
        By::Month => {
            let metrics = [
                (Metric::Consultations, h("相談件数", "consultations")),
                (
                    Metric::DialogueSupport,
                    h("話し合い支援", "dialogue support"),
                ),
                (Metric::TeamMeetings, h("チーム会議", "team meetings")),
                (Metric::BodyActivities, h("活動件数", "activities")),
            ];
            let months: Vec<[i64; 12]> = metrics
                .iter()
                .map(|(m, _)| store.counter_months(m, fy))
                .collect::<Result<_, _>>()
                .map_err(err)?;
            let mut rows: Vec<Vec<String>> = (0..12)
                .map(|slot| {
                    let mut r = vec![format!(
                        "{}{}",
                        FiscalYear::slot_month(slot),
                        if ja { "月" } else { "" }
                    )];
                    r.extend(months.iter().map(|m| n(m[slot])));
                    r
                })
                .collect();
            let mut total = vec![h("合計", "total")];
            total.extend(months.iter().map(|m| n(m.iter().sum())));
            rows.push(total);
            let mut headers = vec![h("月", "month")];
            headers.extend(metrics.into_iter().map(|(_, l)| l));
            (headers, rows)
        }
        By::Category => {
            let rows = store
                .consultations_by_category(fy)
                .map_err(err)?
                .into_iter()
                .map(|(c, m): (Category, [i64; 12])| {
                    vec![c.label(lang).to_string(), n(m.iter().sum())]
                })
                .collect();
            (vec![h("分野", "category"), h("件数", "count")], rows)
        }
        By::Channel => {
            let rows = store
                .consultations_by_channel(fy)
                .map_err(err)?
                .into_iter()
                .map(|(c, v): (Channel, i64)| vec![c.label(lang).to_string(), n(v)])
                .collect();
            (vec![h("方法", "channel"), h("件数", "count")], rows)
        }
        By::Body | By::District => {
            let mut bodies = store.list::<Body>().items;
            bodies.sort_by(|a, b| a.kana.cmp(&b.kana));
            let mut per: std::collections::BTreeMap<u64, [i64; 3]> =
                std::collections::BTreeMap::new();
            for m in store.list_fy::<TeamMeeting>(fy).items {
                per.entry(m.body_id).or_default()[0] += 1;
            }
            for a in store.list_fy::<BodyActivity>(fy).items {
                per.entry(a.body_id).or_default()[1] += 1;
            }
            for c in store.list_fy::<Consultation>(fy).items {
                if let Client::Body(b) = c.client {
                    per.entry(b).or_default()[2] += 1;
                }
            }
            let headers = vec![
                if by == By::Body {
                    h("地域協働体", "body")
                } else {
                    h("地区", "district")
                },
                h("チーム会議", "team meetings"),
                h("活動件数", "activities"),
                h("相談(協働体から)", "consultations from the body"),
            ];
            let mut rows: Vec<Vec<String>> = Vec::new();
            if by == By::Body {
                for b in &bodies {
                    let v = per.get(&b.id).copied().unwrap_or_default();
                    rows.push(vec![b.name.clone(), n(v[0]), n(v[1]), n(v[2])]);
                }
            } else {
                let mut districts: Vec<String> = Vec::new();
                let mut sums: std::collections::BTreeMap<String, [i64; 3]> =
                    std::collections::BTreeMap::new();
                for b in &bodies {
                    if !districts.contains(&b.district) {
                        districts.push(b.district.clone());
                    }
                    let v = per.get(&b.id).copied().unwrap_or_default();
                    let s = sums.entry(b.district.clone()).or_default();
                    for i in 0..3 {
                        s[i] += v[i];
                    }
                }
                for d in districts {
                    let v = sums[&d];
                    rows.push(vec![d, n(v[0]), n(v[1]), n(v[2])]);
                }
            }
            (headers, rows)
        }
    };
    let title = format!("{} {}", lang.fy(fy), h("内訳", "breakdown"));
    table(&headers, &rows, format, enc, &title)
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
        Format::Text => {
            writeln!(out, "{} {}", lang.t(Msg::Indicator), lang.fy(fy))?;
            let nw = st
                .iter()
                .map(|s| width(&sanitize(&name(s))))
                .max()
                .unwrap_or(10)
                .max(width(lang.t(Msg::Indicator)));
            // Figures with separators, years in the user's calendar (令和4年度 / FY2022), a
            // missing figure said in words (issue 15.3).
            let missing = lang.t(Msg::NotEntered);
            let fig = |f: Option<Figure>| f.map(Figure::grouped).unwrap_or(missing.to_string());
            let heads = [
                lang.t(Msg::Value),
                lang.t(Msg::Baseline),
                lang.field("baseline_fy"),
                lang.t(Msg::Target),
                lang.field("target_fy"),
                lang.t(Msg::Achievement),
            ];
            let rows: Vec<[String; 6]> = st
                .iter()
                .map(|s| {
                    let i = &s.indicator;
                    [
                        fig(s.value),
                        fig(i.baseline),
                        lang.fy(i.baseline_fy),
                        i.target.grouped(),
                        lang.fy(i.target_fy),
                        s.achievement
                            .map(|a| format!("{:.1}%", a * 100.0))
                            .unwrap_or_else(|| "-".into()),
                    ]
                })
                .collect();
            let mut ws = heads.map(width);
            for r in &rows {
                for (w, c) in ws.iter_mut().zip(r) {
                    *w = (*w).max(width(c));
                }
            }
            let mut line = pad(lang.t(Msg::Indicator), nw);
            for (h, w) in heads.iter().zip(ws) {
                line += &format!(" {}", pad_left(h, w));
            }
            writeln!(out, "{line} {}", lang.t(Msg::Unit))?;
            for (s, cells) in st.iter().zip(&rows) {
                let mut line = pad(&sanitize(&name(s)), nw);
                for (c, w) in cells.iter().zip(ws) {
                    line += &format!(" {}", pad_left(c, w));
                }
                writeln!(out, "{line} {}", sanitize(&unit(s)))?;
            }
        }
    }
    Ok(())
}
