//! `kyodo report --by month|category|channel|body|district`: the counted figures of a fiscal
//! year broken down, as the city's tables read (headers, per-district blocks with subtotals for
//! `--by body`, a grand total) in text and Markdown, raw numbers in CSV and JSON.

use super::Format;
use super::doc::{Block, Doc};
use crate::domain::{FiscalYear, Text};
use crate::i18n::{Lang, Msg};
use crate::io::encoding::Encoding;
use crate::store::Store;
use serde_json::Value;

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

/// A breakdown before it is rendered: counts as numbers, so CSV and JSON keep them raw while
/// text and Markdown group their digits.
struct Counts {
    /// The header of the group column (地区 for `--by body`), when rows are grouped.
    group: Option<String>,
    /// The label column's header, then one per count.
    headers: Vec<String>,
    /// The same columns' JSON keys, the same in every language (e.g. `team_meetings`).
    keys: Vec<&'static str>,
    /// (group, label, counts) in order.
    rows: Vec<(Option<String>, String, Vec<i64>)>,
    /// A line under the table saying what the total counts (e.g. a consultation in two
    /// categories counts in both).
    note: Option<String>,
}

impl Counts {
    fn render(
        &self,
        format: Format,
        enc: Encoding,
        title: &str,
        lang: Lang,
    ) -> Result<String, Text> {
        let mut headers: Vec<String> = self.group.iter().cloned().collect();
        headers.extend(self.headers.iter().cloned());
        let raw: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|(g, label, v)| {
                let mut r: Vec<String> = g.iter().cloned().collect();
                r.push(label.clone());
                r.extend(v.iter().map(i64::to_string));
                r
            })
            .collect();
        for (i, r) in raw.iter().enumerate() {
            for (h, v) in headers.iter().zip(r) {
                crate::io::encoding::check_field(enc, &format!("row {}", i + 1), h, v)?;
            }
        }
        Ok(match format {
            Format::Csv => {
                let mut all = vec![headers];
                all.extend(raw);
                super::ledger::csv_text(all)?
            }
            Format::Json => {
                let v: Vec<Value> = self
                    .rows
                    .iter()
                    .map(|(g, label, counts)| {
                        let mut m = serde_json::Map::new();
                        if let Some(g) = g {
                            m.insert("district".into(), Value::from(g.clone()));
                        }
                        m.insert(self.keys[0].into(), Value::from(label.clone()));
                        for (k, c) in self.keys[1..].iter().zip(counts) {
                            m.insert(k.to_string(), Value::from(*c));
                        }
                        Value::Object(m)
                    })
                    .collect();
                format!("{}\n", Value::Array(v))
            }
            Format::Text => self.doc(title, lang).text(),
            Format::Md => self.doc(title, lang).markdown(),
            Format::Html => super::doc::page_of(&self.doc(title, lang), lang),
        })
    }

    fn doc(&self, title: &str, lang: Lang) -> Doc {
        let n = |v: i64| crate::domain::money::group_digits(v);
        let width = self.headers.len() - 1;
        let sum = |rows: &[&(Option<String>, String, Vec<i64>)]| {
            let mut t = vec![0i64; width];
            for (_, _, v) in rows {
                for (a, b) in t.iter_mut().zip(v) {
                    *a += b;
                }
            }
            t
        };
        let line = |label: String, v: &[i64]| {
            let mut r = vec![label];
            r.extend(v.iter().map(|c| n(*c)));
            r
        };
        let mut groups: Vec<Option<String>> = Vec::new();
        for (g, _, _) in &self.rows {
            if !groups.contains(g) {
                groups.push(g.clone());
            }
        }
        let blocks = groups
            .into_iter()
            .map(|g| {
                let rows: Vec<&(Option<String>, String, Vec<i64>)> =
                    self.rows.iter().filter(|r| r.0 == g).collect();
                let subtotal = g.as_ref().map(|_| {
                    let label = match lang {
                        Lang::Ja => format!("小計 ({}件)", rows.len()),
                        Lang::En => format!("Subtotal ({})", rows.len()),
                    };
                    line(label, &sum(&rows))
                });
                Block {
                    heading: g,
                    rows: rows.iter().map(|(_, l, v)| line(l.clone(), v)).collect(),
                    subtotal,
                }
            })
            .collect();
        let all: Vec<&(Option<String>, String, Vec<i64>)> = self.rows.iter().collect();
        let mut right = vec![false];
        right.extend(std::iter::repeat_n(true, width));
        Doc {
            title: title.to_string(),
            headers: self.headers.clone(),
            right,
            blocks,
            total: Some(line(lang.t(Msg::Total).to_string(), &sum(&all))),
            notes: self.note.iter().cloned().collect(),
        }
    }
}

/// The counted figures of `fy` broken down `by` month, category, channel, body or district, in
/// `format`: text and Markdown with headers, thousands separators and a grand total (`--by
/// body` in one block per district with its subtotal); CSV and JSON with raw numbers and no
/// total rows (Excel sums them itself).
///
/// Errors: a store error; CP932 refusals naming the row and column.
pub fn breakdown(
    store: &Store,
    fy: FiscalYear,
    by: By,
    format: Format,
    enc: Encoding,
    lang: Lang,
) -> Result<String, Text> {
    let counts = counts(store, fy, by, lang)
        .map_err(|e: crate::store::StoreError| Text::new(e.to_string(), e.to_string()))?;
    let (ja, en) = match by {
        By::Month => ("月別", "by month"),
        By::Category => ("分野別相談件数", "consultations by category"),
        By::Channel => ("方法別相談件数", "consultations by channel"),
        By::Body => ("地域協働体別", "by body"),
        By::District => ("地区別", "by district"),
    };
    let title = match lang {
        Lang::Ja => format!("{} {ja}", lang.fy(fy)),
        Lang::En => format!("{} {en}", lang.fy(fy)),
    };
    counts.render(format, enc, &title, lang)
}

fn counts(store: &Store, fy: FiscalYear, by: By, lang: Lang) -> crate::store::Result<Counts> {
    use crate::domain::{Body, BodyActivity, Category, Channel, Client, Consultation, TeamMeeting};
    use crate::store::records::Metric;
    let ja = lang == Lang::Ja;
    let h = |j: &str, e: &str| if ja { j.to_string() } else { e.to_string() };
    let plain =
        |headers: Vec<String>, keys: Vec<&'static str>, rows: Vec<(String, Vec<i64>)>| Counts {
            group: None,
            headers,
            keys,
            rows: rows.into_iter().map(|(l, v)| (None, l, v)).collect(),
            note: None,
        };
    Ok(match by {
        By::Month => {
            let metrics = [
                (Metric::Consultations, h("相談件数", "Consultations")),
                (
                    Metric::DialogueSupport,
                    h("話し合い支援", "Dialogue support"),
                ),
                (Metric::TeamMeetings, h("チーム会議", "Team meetings")),
                (Metric::BodyActivities, h("活動件数", "Activities")),
            ];
            let months: Vec<[i64; 12]> = metrics
                .iter()
                .map(|(m, _)| store.counter_months(m, fy))
                .collect::<Result<_, _>>()?;
            let rows = (0..12)
                .map(|slot| {
                    let m = FiscalYear::slot_month(slot);
                    const EN: [&str; 12] = [
                        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                        "Nov", "Dec",
                    ];
                    let label = if ja {
                        format!("{m}月")
                    } else {
                        EN.get(m as usize - 1).unwrap_or(&"").to_string()
                    };
                    (label, months.iter().map(|v| v[slot]).collect())
                })
                .collect();
            let mut headers = vec![h("月", "Month")];
            headers.extend(metrics.into_iter().map(|(_, l)| l));
            plain(
                headers,
                vec![
                    "month",
                    "consultations",
                    "dialogue_support",
                    "team_meetings",
                    "activities",
                ],
                rows,
            )
        }
        By::Category => {
            let rows = store
                .consultations_by_category(fy)?
                .into_iter()
                .map(|(c, m): (Category, [i64; 12])| {
                    (c.label(lang).to_string(), vec![m.iter().sum()])
                })
                .collect();
            let mut c = plain(
                vec![h("分野", "Category"), h("件数", "Count")],
                vec!["category", "count"],
                rows,
            );
            c.note = Some(h(
                "(2 分野にわたる相談は両方に数えるため、合計は相談件数より多くなることがあります)",
                "(a consultation in two categories counts in both, so the total may exceed the consultations)",
            ));
            c
        }
        By::Channel => {
            let rows = store
                .consultations_by_channel(fy)?
                .into_iter()
                .map(|(c, v): (Channel, i64)| (c.label(lang).to_string(), vec![v]))
                .collect();
            plain(
                vec![h("方法", "Channel"), h("件数", "Count")],
                vec!["channel", "count"],
                rows,
            )
        }
        By::Body | By::District => {
            let mut bodies = store.list::<Body>().items;
            // Districts in the order their first body comes by kana, bodies by kana within.
            bodies.sort_by(|a, b| a.kana.cmp(&b.kana));
            let mut order: Vec<String> = Vec::new();
            for b in &bodies {
                if !order.contains(&b.district) {
                    order.push(b.district.clone());
                }
            }
            bodies.sort_by_key(|b| order.iter().position(|d| *d == b.district));
            let mut per: std::collections::BTreeMap<u64, [i64; 3]> = Default::default();
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
            let figures = [
                h("チーム会議", "Team meetings"),
                h("活動件数", "Activities"),
                h("相談(協働体から)", "Consultations from the body"),
            ];
            let district = h("地区", "District");
            let mut headers = vec![if by == By::Body {
                h("地域協働体", "Body")
            } else {
                district.clone()
            }];
            headers.extend(figures);
            let mut rows: Vec<(Option<String>, String, Vec<i64>)> = Vec::new();
            for b in &bodies {
                let v = per.get(&b.id).copied().unwrap_or_default().to_vec();
                if by == By::Body {
                    rows.push((Some(b.district.clone()), b.name.clone(), v));
                } else if let Some(last) = rows.last_mut().filter(|r| r.1 == b.district) {
                    for (a, c) in last.2.iter_mut().zip(v) {
                        *a += c;
                    }
                } else {
                    rows.push((None, b.district.clone(), v));
                }
            }
            Counts {
                group: (by == By::Body).then_some(district),
                headers,
                keys: vec![
                    if by == By::Body { "body" } else { "district" },
                    "team_meetings",
                    "activities",
                    "consultations_from_body",
                ],
                rows,
                note: None,
            }
        }
    })
}
