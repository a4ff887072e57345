//! `kyodo report training --fy Y`: the year's staff training (issue 19.4; seed 003 事業5 職員研修,
//! seed 000 外部研修と参加報告会): attendance by training, by section (staff trained of the
//! section's active staff), and the share of the city's active staff trained that year, with the
//! report-backs still owed. A person counts once per line however many sessions they attended.

use super::Format;
use super::doc::{Block, Doc};
use crate::domain::training::Training;
use crate::domain::{FiscalYear, Organization, Staff, StaffId, Text};
use crate::i18n::Lang;
use crate::store::Store;
use std::collections::{BTreeMap, BTreeSet};

use super::doc::h;

/// `part / whole` as a percentage with one decimal (`37.5%`), `-` when `whole` is 0.
fn share(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "-".into();
    }
    let tenths = (part * 1000 + whole / 2) / whole;
    format!("{}.{}%", tenths / 10, tenths % 10)
}

/// The report of fiscal year `fy`, in `format`.
///
/// Errors: a record that cannot be read.
pub fn training(store: &Store, fy: FiscalYear, format: Format, lang: Lang) -> Result<String, Text> {
    let staff: BTreeMap<StaffId, Staff> = store
        .list::<Staff>()
        .whole()?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let year: Vec<Training> = store
        .list::<Training>()
        .whole()?
        .into_iter()
        .filter(|t| FiscalYear::of(t.attended_on) == fy)
        .collect();
    let mut by_title: BTreeMap<&str, BTreeSet<StaffId>> = BTreeMap::new();
    for t in &year {
        by_title.entry(&t.title).or_default().insert(t.staff_id);
    }
    let trained: BTreeSet<StaffId> = year.iter().map(|t| t.staff_id).collect();
    let city: Vec<&Staff> = staff
        .values()
        .filter(|s| s.active && s.organization == Organization::City)
        .collect();
    let mut by_section: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for s in &city {
        let e = by_section.entry(&s.section).or_default();
        e.1 += 1;
        if trained.contains(&s.id) {
            e.0 += 1;
        }
    }
    let city_trained = city.iter().filter(|s| trained.contains(&s.id)).count();
    let owed = year.iter().filter(|t| t.report_owed()).count();
    Ok(match format {
        Format::Csv => {
            let mut rows = vec![
                ["by", "name", "trained", "staff", "share"]
                    .map(String::from)
                    .to_vec(),
            ];
            for (t, who) in &by_title {
                rows.push(vec![
                    "training".into(),
                    t.to_string(),
                    who.len().to_string(),
                    String::new(),
                    String::new(),
                ]);
            }
            for (sec, (n, all)) in &by_section {
                rows.push(vec![
                    "section".into(),
                    sec.to_string(),
                    n.to_string(),
                    all.to_string(),
                    share(*n, *all),
                ]);
            }
            rows.push(vec![
                "city".into(),
                String::new(),
                city_trained.to_string(),
                city.len().to_string(),
                share(city_trained, city.len()),
            ]);
            super::ledger::csv_text(rows)?
        }
        Format::Json => format!(
            "{}\n",
            serde_json::json!({
                "fiscal_year": fy.0,
                "by_training": by_title.iter().map(|(t, w)| serde_json::json!({"training": t, "trained": w.len()})).collect::<Vec<_>>(),
                "by_section": by_section.iter().map(|(s, (n, a))| serde_json::json!({"section": s, "trained": n, "staff": a})).collect::<Vec<_>>(),
                "city_staff": city.len(), "city_trained": city_trained, "report_backs_owed": owed,
            })
        ),
        _ => {
            let trainings = Doc {
                title: format!(
                    "{} {}",
                    lang.fy(fy),
                    h(lang, "職員研修の受講状況", "staff training")
                ),
                headers: vec![h(lang, "研修名", "Training"), h(lang, "受講者", "Trained")],
                right: vec![false, true],
                blocks: vec![Block {
                    heading: None,
                    rows: by_title
                        .iter()
                        .map(|(t, w)| vec![t.to_string(), w.len().to_string()])
                        .collect(),
                    subtotal: None,
                }],
                total: None,
                notes: Vec::new(),
            };
            let sections = Doc {
                title: h(lang, "所属別", "By section"),
                headers: vec![
                    h(lang, "所属", "Section"),
                    h(lang, "受講者", "Trained"),
                    h(lang, "職員数", "Staff"),
                    h(lang, "割合", "Share"),
                ],
                right: vec![false, true, true, true],
                blocks: vec![Block {
                    heading: None,
                    rows: by_section
                        .iter()
                        .map(|(s, (n, a))| {
                            vec![s.to_string(), n.to_string(), a.to_string(), share(*n, *a)]
                        })
                        .collect(),
                    subtotal: None,
                }],
                total: Some(vec![
                    h(lang, "市職員", "City staff"),
                    city_trained.to_string(),
                    city.len().to_string(),
                    share(city_trained, city.len()),
                ]),
                notes: vec![match lang {
                    Lang::Ja => format!("報告会が未開催の研修: {owed} 件"),
                    Lang::En => format!("report-backs still owed: {owed}"),
                }],
            };
            match format {
                Format::Md => format!("{}\n{}", trainings.markdown(), sections.markdown_at(2)),
                Format::Html => super::doc::html_page(
                    &trainings.title,
                    "",
                    &(trainings.html() + &sections.html()),
                    if lang == Lang::Ja { "ja" } else { "en" },
                ),
                _ => format!("{}\n{}", trainings.text(), sections.text()),
            }
        }
    })
}
