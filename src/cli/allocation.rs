//! `kyodo report allocation --fy Y --scenario FILE --compare PROGRAM`: each 配分シナリオ in FILE
//! (the columns of allocation_scenarios.csv, read with every check an import makes and nothing
//! stored) beside the current amounts of PROGRAM in fiscal year Y, per body: its counts, area and
//! 加算 conditions, the current amount, the scenario's and the difference (scenario − current),
//! then the totals against the program's budget (issue 18.3; seed 003: 交付金の算定の見直し).
//! CSV amounts are plain integers; the total row's body is 合計/Total and the budget row's is
//! 予算/Budget, whose difference is the scenario total minus the budget (over when positive).

use super::Format;
use super::doc::{Block, Doc};
use crate::domain::allocation::Preview;
use crate::domain::designation::DesignationTerm;
use crate::domain::scenario::{self, Against, AllocationScenario};
use crate::domain::{Body, BodyCount, FiscalYear, Grant, SubsidyProgram, Text};
use crate::i18n::Lang;
use crate::io::encoding::Encoding;
use crate::store::Store;
use std::path::Path;

use super::doc::h;

/// Reads the scenarios of `path`.
///
/// Errors: a missing or unreadable file, no row, or each bad cell at file:line:column.
fn read_scenarios(store: &Store, path: &Path) -> Result<Vec<AllocationScenario>, Text> {
    let shown = crate::text::sanitize(&path.display().to_string());
    let bytes = std::fs::read(path).map_err(|e| {
        Text::new(
            format!("配分シナリオのファイル {shown} を読めません: {e}"),
            format!("cannot read the scenario file {shown}: {e}"),
        )
    })?;
    let found = crate::io::import::read_records::<AllocationScenario>(store, &shown, bytes)
        .map_err(|e| match e {
            crate::io::import::ImportError::Rows(rows) => {
                let list = |lang| {
                    rows.iter()
                        .map(|r| format!("  {}", r.text(lang)))
                        .collect::<Vec<_>>()
                        .join("\n")
                };
                Text::new(
                    format!(
                        "配分シナリオを読めません(エラー {} 件):\n{}",
                        rows.len(),
                        list(Lang::Ja)
                    ),
                    format!(
                        "the scenario file cannot be read ({} error(s)):\n{}",
                        rows.len(),
                        list(Lang::En)
                    ),
                )
            }
            other => Text::new(other.text(Lang::Ja), other.text(Lang::En)),
        })?;
    if found.is_empty() {
        return Err(Text::new(
            format!("{shown} に配分シナリオの行がありません(見出し行の下に 1 行以上)"),
            format!("{shown} holds no scenario (one row or more under the header)"),
        ));
    }
    Ok(found)
}

/// The report: every scenario of `scenario` beside program `compare` of `fy`, in `out`'s format
/// and encoding.
///
/// Errors: `--scenario` or `--compare` missing, the file unreadable or bad (each cell placed),
/// no such program that year (the year's programs named), a rate program, a store error; for
/// CP932, the first field it cannot write.
pub fn report(
    store: &Store,
    fy: FiscalYear,
    scenario: Option<&Path>,
    compare: Option<&str>,
    out: (Format, Encoding),
    lang: Lang,
) -> Result<String, Text> {
    let (format, enc) = out;
    let Some(path) = scenario else {
        return Err(Text::new(
            "--scenario で配分シナリオの CSV を指定してください(列は allocation_scenarios.csv と同じ。kyodo export allocation_scenarios で書き出せます)",
            "give the scenario with --scenario FILE (a CSV with the columns of allocation_scenarios.csv; kyodo export allocation_scenarios writes one)",
        ));
    };
    let Some(name) = compare else {
        return Err(Text::new(
            "--compare で比べる交付金を名前で指定してください(例: --compare 地域づくり交付金)",
            "name the program to compare with --compare (e.g. --compare 地域づくり交付金)",
        ));
    };
    let drafts = read_scenarios(store, path)?;
    let programs = store.list::<SubsidyProgram>().whole()?;
    let Some(program) = programs
        .iter()
        .find(|p| p.name == name.trim() && p.fiscal_year == fy)
    else {
        let of_year: Vec<&str> = programs
            .iter()
            .filter(|p| p.fiscal_year == fy)
            .map(|p| p.name.as_str())
            .collect();
        let name = crate::text::sanitize(name);
        return Err(Text::new(
            format!(
                "{}に交付金「{name}」はありません。この年度の交付金: {}",
                fy.ja_label(),
                of_year.join("、")
            ),
            format!(
                "no program '{name}' in FY{}; that year's programs: {}",
                fy.0,
                of_year.join(", ")
            ),
        ));
    };
    let mut bodies = store.list::<Body>().whole()?;
    bodies.sort_by(|a, b| a.kana.cmp(&b.kana));
    let counts = store.list::<BodyCount>().whole()?;
    let terms = store.list::<DesignationTerm>().whole()?;
    let grants = store.list::<Grant>().whole()?;
    let on = Against {
        program,
        bodies: &bodies,
        counts: &counts,
        terms: &terms,
        grants: &grants,
    };
    let mut results = Vec::new();
    for s in drafts {
        let pv = scenario::compare(&s, &on)?;
        results.push((s, pv));
    }
    let name_of = |id: u64| {
        bodies
            .iter()
            .find(|b| b.id == id)
            .map(|b| b.name.clone())
            .unwrap_or_default()
    };
    for (s, _) in &results {
        crate::io::encoding::check_field(enc, &format!("scenario {}", s.name), "name", &s.name)?;
    }
    Ok(match format {
        Format::Csv => csv(&results, &name_of, lang)?,
        Format::Json => json(&results, program, &name_of),
        _ => {
            let doc = document(&results, program, &name_of, lang);
            match format {
                Format::Md => doc.markdown(),
                Format::Html => super::doc::page_of(&doc, lang),
                _ => doc.text(),
            }
        }
    })
}

fn flags(r: &crate::domain::allocation::PreviewRow, lang: Lang) -> String {
    let mut v = Vec::new();
    if r.input.runs_center {
        v.push(h(lang, "指定管理", "centre"));
    }
    if r.input.has_plan {
        v.push(h(lang, "計画", "plan"));
    }
    v.join(h(lang, "・", ", ").as_str())
}

fn area(r: &crate::domain::allocation::PreviewRow) -> String {
    r.input.area_km2.map(scenario::km2).unwrap_or_default()
}

fn csv(
    results: &[(AllocationScenario, Preview)],
    name_of: &dyn Fn(u64) -> String,
    lang: Lang,
) -> Result<String, Text> {
    let mut rows = vec![
        [
            "scenario",
            "body",
            "households",
            "population",
            "area_km2",
            "runs_center",
            "has_plan",
            "current",
            "scenario_amount",
            "diff",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for (s, pv) in results {
        for r in &pv.rows {
            let sc = r.compare.unwrap_or(0);
            rows.push(vec![
                s.name.clone(),
                name_of(r.body_id),
                r.input.households.to_string(),
                r.input.population.to_string(),
                area(r),
                r.input.runs_center.to_string(),
                r.input.has_plan.to_string(),
                r.decided.to_string(),
                sc.to_string(),
                (sc - r.decided).to_string(),
            ]);
        }
        let total = pv.compare_total.unwrap_or(0);
        let blank = || vec![String::new(); 5];
        let mut t = vec![s.name.clone(), h(lang, "合計", "Total")];
        t.extend(blank());
        t.extend([
            pv.total.to_string(),
            total.to_string(),
            (total - pv.total).to_string(),
        ]);
        rows.push(t);
        let mut b = vec![s.name.clone(), h(lang, "予算", "Budget")];
        b.extend(blank());
        b.extend([
            pv.budget.to_string(),
            pv.budget.to_string(),
            (total - pv.budget).to_string(),
        ]);
        rows.push(b);
    }
    super::ledger::csv_text(rows)
}

fn json(
    results: &[(AllocationScenario, Preview)],
    program: &SubsidyProgram,
    name_of: &dyn Fn(u64) -> String,
) -> String {
    let v: Vec<serde_json::Value> = results
        .iter()
        .map(|(s, pv)| {
            let rows: Vec<serde_json::Value> = pv
                .rows
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "body": name_of(r.body_id), "households": r.input.households,
                        "population": r.input.population,
                        "area_km2": r.input.area_km2.map(|a| a.to_string()),
                        "runs_center": r.input.runs_center, "has_plan": r.input.has_plan,
                        "current": r.decided, "scenario": r.compare,
                    })
                })
                .collect();
            serde_json::json!({
                "scenario": s.name, "formula": s.describe(Lang::En),
                "counts_date": pv.counts_date.map(|d| d.to_string()),
                "current_total": pv.total, "scenario_total": pv.compare_total,
                "budget": pv.budget, "over_budget": pv.over_budget, "rows": rows,
            })
        })
        .collect();
    format!(
        "{}\n",
        serde_json::json!({"fiscal_year": program.fiscal_year.0, "program": program.name,
                           "scenarios": v})
    )
}

fn document(
    results: &[(AllocationScenario, Preview)],
    program: &SubsidyProgram,
    name_of: &dyn Fn(u64) -> String,
    lang: Lang,
) -> Doc {
    let mut notes = Vec::new();
    let blocks = results
        .iter()
        .map(|(s, pv)| {
            let total = pv.compare_total.unwrap_or(0);
            let budget = if total > pv.budget {
                h(lang, "予算超過", "over budget by")
            } else {
                h(lang, "予算の残り", "left in the budget")
            };
            notes.push(format!(
                "{}: {} {} / {} {} — {} {}{}",
                s.name,
                h(lang, "案の合計", "scenario total"),
                lang.yen(total),
                h(lang, "予算", "budget"),
                lang.yen(pv.budget),
                budget,
                lang.yen((total - pv.budget).abs()),
                pv.counts_date
                    .map(|d| format!(" ({} {})", lang.field("counts_date"), lang.date(d)))
                    .unwrap_or_default()
            ));
            Block {
                heading: Some(format!("{} — {}", s.name, s.describe(lang))),
                rows: pv
                    .rows
                    .iter()
                    .map(|r| {
                        let sc = r.compare.unwrap_or(0);
                        vec![
                            name_of(r.body_id),
                            crate::domain::money::group_digits(r.input.households as i64),
                            crate::domain::money::group_digits(r.input.population as i64),
                            area(r),
                            flags(r, lang),
                            lang.yen(r.decided),
                            lang.yen(sc),
                            crate::domain::money::group_digits(sc - r.decided),
                        ]
                    })
                    .collect(),
                subtotal: Some(vec![
                    h(lang, "合計", "Total"),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    lang.yen(pv.total),
                    lang.yen(total),
                    crate::domain::money::group_digits(total - pv.total),
                ]),
            }
        })
        .collect();
    Doc {
        title: format!(
            "{} {} {}",
            lang.fy(program.fiscal_year),
            program.name,
            h(lang, "配分シナリオの比較", "allocation scenarios")
        ),
        headers: vec![
            h(lang, "地域協働体", "Body"),
            lang.field("households").to_string(),
            lang.field("population").to_string(),
            lang.field("area_km2").to_string(),
            h(lang, "加算", "Additions"),
            h(lang, "現行額", "Current"),
            h(lang, "案の額", "Scenario"),
            h(lang, "差(案−現行)", "Difference"),
        ],
        right: vec![false, true, true, true, false, true, true, true],
        blocks,
        total: None,
        notes,
    }
}
