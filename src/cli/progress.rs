//! `kyodo report progress --plan NAME [--fy Y] --format text|md|html|csv|json`: the yearly
//! progress report of a plan for its committee (issue 16.5; seed 003 第4章: each year the city
//! reports every 事業's progress and the indicators to the 協働推進会議). For the plan's years up
//! to Y: every indicator year by year (the dashboard's own figures: both come from
//! [`crate::app::report::indicator_history`]), each action's planned and actual status, rating
//! and 実績 per year, the committee's opinions and the city's responses, and the subsidy totals
//! per program and year.

use super::Format;
use super::doc::{Block, Doc};
use crate::domain::action_result::ActionResult;
use crate::domain::committee_meeting::CommitteeMeeting;
use crate::domain::committee_opinion::CommitteeOpinion;
use crate::domain::{Figure, FiscalYear, PlanAction, Text};
use crate::i18n::{Lang, Msg};
use crate::store::Store;

/// How a section writes its figures: for people (separators, 和暦, words) or raw for CSV.
#[derive(Clone, Copy, PartialEq)]
enum Style {
    Shown,
    Raw,
}

/// The progress report of plan `plan` up to `fy` in `format`.
///
/// Errors: no plan of that name (the plans there are named), `fy` before the plan's first
/// year, a store error.
pub fn progress(
    store: &Store,
    plan: &str,
    fy: FiscalYear,
    format: Format,
    lang: Lang,
) -> Result<String, Text> {
    let err = |e: crate::store::StoreError| Text::new(e.to_string(), e.to_string());
    let actions: Vec<PlanAction> = store.list::<PlanAction>().items;
    let mine: Vec<&PlanAction> = actions.iter().filter(|a| a.plan == plan).collect();
    // The plan's own record (period, indicators, revisions) when there is one (issue 16.1),
    // else what its actions say.
    let record = store
        .list::<crate::domain::plan_record::Plan>()
        .items
        .into_iter()
        .find(|p| p.name == plan);
    let (Some(start), Some(end)) = (
        record
            .as_ref()
            .map(|p| p.start)
            .or(mine.iter().map(|a| a.plan_start).min()),
        record
            .as_ref()
            .map(|p| p.end)
            .or(mine.iter().map(|a| a.plan_end).max()),
    ) else {
        let mut names: Vec<&str> = actions.iter().map(|a| a.plan.as_str()).collect();
        names.dedup();
        return Err(Text::new(
            format!(
                "「{plan}」という計画はありません。あるもの: {}",
                names.join("、")
            ),
            format!("no plan named '{plan}'; there are: {}", names.join(", ")),
        ));
    };
    if fy < start {
        return Err(Text::new(
            format!(
                "{}は計画の期間({}〜)より前です",
                fy.ja_label(),
                start.ja_label()
            ),
            format!("{fy} is before the plan's period (from {start})"),
        ));
    }
    let years: Vec<FiscalYear> = (start.0..=fy.min(end).0).map(FiscalYear).collect();
    let last = *years.last().unwrap_or(&start);
    // Indicators from their baseline year (the plan's starting point), the rest from the
    // plan's first year.
    // (From the definitions alone: the figures are read once, below.)
    let baseline = store
        .list::<crate::domain::Indicator>()
        .items
        .iter()
        .filter(|i| !i.retired)
        .filter(|i| record.as_ref().is_none_or(|p| p.indicators.contains(&i.id)))
        .map(|i| i.baseline_fy)
        .min()
        .unwrap_or(start)
        .min(start);
    let indicator_years: Vec<FiscalYear> = (baseline.0..=last.0).map(FiscalYear).collect();
    let mut history =
        crate::app::report::indicator_history(store, &indicator_years).map_err(err)?;
    if let Some(p) = &record {
        // Only the plan's own indicators, in its order.
        for (_, st) in history.iter_mut() {
            st.retain(|s| p.indicators.contains(&s.indicator.id));
            st.sort_by_key(|s| p.indicators.iter().position(|i| *i == s.indicator.id));
        }
    }
    let results: Vec<ActionResult> = store.list().items;
    let events: Vec<crate::domain::event::Event> = store.list().items;
    let meetings: Vec<CommitteeMeeting> = store.list().items;
    let opinions: Vec<CommitteeOpinion> = store.list().items;
    let ledger = crate::app::subsidy::LedgerData::load(store).map_err(err)?;
    let sections = |style: Style| {
        let mut out = Vec::new();
        if let Some(p) = &record {
            out.push(revisions(p, lang, style));
        }
        out.push(indicators(&history, lang, style));
        out.push(action_section(
            &mine,
            &years,
            (&results, &events),
            lang,
            style,
        ));
        out.push(committee(plan, &meetings, &opinions, &history, lang, style));
        out.push(money(&ledger, &indicator_years, lang, style));
        out
    };
    let (title, subtitle) = match lang {
        Lang::Ja => (
            format!("{plan} 進捗状況報告"),
            format!(
                "{}〜{}(計画期間 {}〜{})",
                start.ja_label(),
                last.ja_label(),
                start.ja_label(),
                end.ja_label()
            ),
        ),
        Lang::En => (
            format!("{plan}: progress report"),
            format!("{start}–{last} (plan period {start}–{end})"),
        ),
    };
    Ok(match format {
        Format::Text => {
            let mut s = format!("{title}\n{subtitle}\n\n");
            for d in sections(Style::Shown) {
                s += &d.text();
                s.push('\n');
            }
            s
        }
        Format::Md => {
            let mut s = format!(
                "# {}\n\n{}\n",
                super::doc::md_cell(&title),
                super::doc::md_cell(&subtitle)
            );
            for d in sections(Style::Shown) {
                s.push('\n');
                s += &d.markdown_at(2);
            }
            s
        }
        Format::Html => {
            let body: String = sections(Style::Shown).iter().map(Doc::html).collect();
            super::doc::html_page(
                &title,
                &subtitle,
                &body,
                if lang == Lang::Ja { "ja" } else { "en" },
            )
        }
        Format::Json => {
            return Err(Text::new(
                "進捗状況報告は text、md、html、csv で出力します",
                "the progress report is written as text, md, html or csv",
            ));
        }
        Format::Csv => {
            // One sheet: each section as a titled table, raw numbers and years for Excel.
            let mut w = crate::io::cells::CsvOut::flexible();
            for d in sections(Style::Raw) {
                w.row(std::slice::from_ref(&d.title))?;
                let grouped = d.blocks.iter().any(|b| b.heading.is_some());
                let mut head = Vec::new();
                if grouped {
                    head.push(lang.t(Msg::ReportSection).to_string());
                }
                head.extend(d.headers.iter().cloned());
                w.row(&head)?;
                for b in &d.blocks {
                    for r in &b.rows {
                        let mut row: Vec<String> = Vec::new();
                        if grouped {
                            row.push(b.heading.clone().unwrap_or_default());
                        }
                        row.extend(r.iter().cloned());
                        w.row(&row)?;
                    }
                }
                w.row(&[""])?;
            }
            w.finish()?
        }
    })
}

use super::doc::h;

fn year(lang: Lang, style: Style, fy: FiscalYear) -> String {
    match style {
        Style::Shown => lang.fy(fy),
        Style::Raw => fy.0.to_string(),
    }
}

fn figure(lang: Lang, style: Style, f: Option<Figure>) -> String {
    match (style, f) {
        (Style::Shown, Some(f)) => f.grouped(),
        (Style::Shown, None) => lang.t(Msg::NotEntered).to_string(),
        (Style::Raw, Some(f)) => f.to_string(),
        (Style::Raw, None) => String::new(),
    }
}

/// 計画の改訂履歴: the plan's adoption and revisions, oldest first.
fn revisions(p: &crate::domain::plan_record::Plan, lang: Lang, style: Style) -> Doc {
    let rows = p
        .revisions
        .iter()
        .map(|(d, what)| {
            let date = match style {
                Style::Shown => lang.date(*d),
                Style::Raw => d.to_string(),
            };
            vec![date, what.clone()]
        })
        .collect();
    let mut notes = Vec::new();
    if !p.vision.is_empty() {
        notes.push(format!("{}: {}", h(lang, "目指す姿", "Vision"), p.vision));
    }
    Doc {
        title: h(lang, "計画の改訂履歴", "Revisions of the plan"),
        headers: vec![h(lang, "日付", "Date"), h(lang, "内容", "What changed")],
        right: Vec::new(),
        blocks: vec![Block {
            heading: None,
            rows,
            subtotal: None,
        }],
        total: None,
        notes,
    }
}

/// 成果指標: one block per indicator, a row per year.
fn indicators(
    history: &[(FiscalYear, Vec<crate::domain::IndicatorStatus>)],
    lang: Lang,
    style: Style,
) -> Doc {
    let mut blocks: Vec<Block> = Vec::new();
    let ids: Vec<String> = history
        .first()
        .map(|(_, st)| st.iter().map(|s| s.indicator.id.clone()).collect())
        .unwrap_or_default();
    for id in ids {
        let mut block = Block::default();
        for (fy, st) in history {
            let Some(s) = st.iter().find(|s| s.indicator.id == id) else {
                continue;
            };
            let i = &s.indicator;
            block.heading.get_or_insert_with(|| {
                let name = if lang == Lang::Ja {
                    &i.name_ja
                } else {
                    &i.name_en
                };
                let unit = if lang == Lang::Ja {
                    &i.unit_ja
                } else {
                    &i.unit_en
                };
                format!("{name} ({unit})")
            });
            let pace = match s.pace {
                Some(p) if p.pending => lang.t(Msg::Pending),
                Some(p) if p.on_pace => lang.t(Msg::OnPace),
                Some(_) => lang.t(Msg::Behind),
                None => "",
            };
            let achieved = match (style, s.achievement) {
                (Style::Shown, Some(a)) => format!("{:.1}%", a * 100.0),
                (Style::Raw, Some(a)) => format!("{a:.3}"),
                (_, None) => String::new(),
            };
            let mut row = vec![year(lang, style, *fy)];
            if style == Style::Raw {
                row.push(i.id.clone());
            }
            row.extend([
                figure(lang, style, s.value),
                figure(lang, style, i.baseline),
                figure(lang, style, Some(i.target)),
                year(lang, style, i.target_fy),
                achieved,
                pace.to_string(),
            ]);
            block.rows.push(row);
        }
        blocks.push(block);
    }
    let mut notes = vec![h(
        lang,
        "ペース: 基準値から目標値への直線との比較。件数の積み上げ(フロー)は年度途中なら経過日数で按分、年度末の値(ストック)は按分せず、年度途中で届いていなければ「集計中」。",
        "Pace: against the straight line from baseline to target. A count of the year (flow) is prorated by the days gone while the year runs; a year-end figure (stock) is not, and reads \"so far\" until its year ends.",
    )];
    if blocks.is_empty() {
        notes = vec![h(
            lang,
            "この計画に成果指標は登録されていません",
            "The plan has no indicators",
        )];
    }
    Doc {
        title: lang.t(Msg::Indicator).to_string(),
        headers: [h(lang, "年度", "FY")]
            .into_iter()
            .chain((style == Style::Raw).then(|| "id".to_string()))
            .chain([
                lang.t(Msg::Value).into(),
                lang.t(Msg::Baseline).into(),
                lang.t(Msg::Target).into(),
                lang.field("target_fy").into(),
                lang.t(Msg::Achievement).into(),
                lang.t(Msg::Pace).into(),
            ])
            .collect(),
        right: [false]
            .into_iter()
            .chain((style == Style::Raw).then_some(false))
            .chain([true, true, true, false, true, false])
            .collect(),
        blocks,
        total: None,
        notes,
    }
}

/// 事業の進捗: one block per 基本方針, a row per action and year.
fn action_section(
    actions: &[&PlanAction],
    years: &[FiscalYear],
    (results, events): (&[ActionResult], &[crate::domain::event::Event]),
    lang: Lang,
    style: Style,
) -> Doc {
    let mut blocks: Vec<Block> = Vec::new();
    let mut sorted: Vec<&&PlanAction> = actions.iter().collect();
    sorted.sort_by_key(|a| a.number);
    for a in sorted {
        if blocks.last().and_then(|b| b.heading.as_deref()) != Some(a.policy.as_str()) {
            blocks.push(Block {
                heading: Some(a.policy.clone()),
                ..Block::default()
            });
        }
        let Some(block) = blocks.last_mut() else {
            continue;
        };
        for fy in years {
            let r = results
                .iter()
                .find(|r| r.plan == a.plan && r.number == a.number && r.fiscal_year == *fy);
            block.rows.push(vec![
                a.number.to_string(),
                a.title.clone(),
                year(lang, style, *fy),
                a.status(*fy)
                    .map(|s| s.label(lang).to_string())
                    .unwrap_or_default(),
                r.map(|r| r.status.label(lang).to_string())
                    .unwrap_or_else(|| lang.t(Msg::NotEntered).to_string()),
                r.map(|r| r.rating.label(lang).to_string())
                    .unwrap_or_default(),
                r.and_then(|r| r.count)
                    .map(|c| match style {
                        Style::Shown => crate::domain::money::group_digits(c),
                        Style::Raw => c.to_string(),
                    })
                    .unwrap_or_default(),
                // With what the action's events held that year (issue 19.3).
                [
                    r.map(|r| r.summary.clone()).unwrap_or_default(),
                    crate::domain::event::held_text(events, &a.plan, a.number, *fy, lang),
                ]
                .iter()
                .filter(|s| !s.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(" / "),
            ]);
        }
    }
    Doc {
        title: h(lang, "事業の進捗", "Actions"),
        headers: vec![
            h(lang, "No", "No"),
            lang.t(Msg::ActionTitle).into(),
            h(lang, "年度", "FY"),
            h(lang, "計画", "Planned"),
            h(lang, "実績", "Actual"),
            h(lang, "自己評価", "Rating"),
            h(lang, "件数", "Count"),
            h(lang, "実績の内容", "What was done"),
        ],
        right: vec![true, false, false, false, false, false, true],
        blocks,
        total: None,
        notes: Vec::new(),
    }
}

/// 協働推進会議: one block per meeting, a row per opinion with the city's response.
fn committee(
    plan: &str,
    meetings: &[CommitteeMeeting],
    opinions: &[CommitteeOpinion],
    history: &[(FiscalYear, Vec<crate::domain::IndicatorStatus>)],
    lang: Lang,
    style: Style,
) -> Doc {
    let mut mine: Vec<&CommitteeMeeting> = meetings.iter().filter(|m| m.plan == plan).collect();
    mine.sort_by_key(|m| m.date);
    let indicator_name = |id: &str| {
        history
            .iter()
            .flat_map(|(_, st)| st.iter())
            .find(|s| s.indicator.id == id)
            .map(|s| {
                if lang == Lang::Ja {
                    s.indicator.name_ja.clone()
                } else {
                    s.indicator.name_en.clone()
                }
            })
            .unwrap_or_else(|| id.to_string())
    };
    let blocks = mine
        .iter()
        .map(|m| {
            let date = match style {
                Style::Shown => lang.date(m.date),
                Style::Raw => m.date.to_string(),
            };
            let rows = opinions
                .iter()
                .filter(|o| o.plan == plan && o.meeting_date == m.date)
                .map(|o| {
                    let about = match (o.action, &o.indicator) {
                        (Some(n), _) => format!(
                            "{} {n}{}",
                            h(lang, "事業", "Action"),
                            o.fiscal_year
                                .map(|y| format!(" ({})", year(lang, style, y)))
                                .unwrap_or_default()
                        ),
                        (None, Some(i)) => indicator_name(i),
                        (None, None) => h(lang, "計画全体", "The plan"),
                    };
                    let response = if o.response.is_empty() {
                        lang.t(Msg::NotAnswered).to_string()
                    } else {
                        o.response.clone()
                    };
                    vec![about, o.opinion.clone(), response]
                })
                .collect();
            Block {
                heading: Some(format!("{date} {} ({})", m.agenda, m.members)),
                rows,
                subtotal: None,
            }
        })
        .collect();
    Doc {
        title: lang.t(Msg::CommitteeOpinions).to_string(),
        headers: vec![
            h(lang, "対象", "About"),
            h(lang, "意見", "Opinion"),
            h(lang, "市の対応", "City's response"),
        ],
        right: Vec::new(),
        blocks,
        total: None,
        notes: Vec::new(),
    }
}

/// 交付金: per year, each program's decided, paid and confirmed totals, and the year's total.
fn money(
    ledger: &crate::app::subsidy::LedgerData,
    years: &[FiscalYear],
    lang: Lang,
    style: Style,
) -> Doc {
    let yen = |v: i64| match style {
        Style::Shown => lang.yen(v),
        Style::Raw => v.to_string(),
    };
    let mut blocks = Vec::new();
    for fy in years {
        let rows = ledger.rows(Some(*fy), None);
        if rows.is_empty() {
            continue;
        }
        let mut programs: Vec<(String, [i64; 4])> = Vec::new();
        for r in &rows {
            let i = match programs.iter().position(|(p, _)| *p == r.program) {
                Some(i) => i,
                None => {
                    programs.push((r.program.clone(), [0; 4]));
                    programs.len() - 1
                }
            };
            let t = &mut programs[i].1;
            t[0] += 1;
            t[1] += r.money.decided;
            t[2] += r.money.paid - r.money.refunded;
            t[3] += r.money.confirmed.unwrap_or(0);
        }
        let line = |name: String, t: [i64; 4]| {
            vec![name, t[0].to_string(), yen(t[1]), yen(t[2]), yen(t[3])]
        };
        let mut sum = [0i64; 4];
        for (_, t) in &programs {
            for k in 0..4 {
                sum[k] += t[k];
            }
        }
        blocks.push(Block {
            heading: Some(year(lang, style, *fy)),
            rows: programs.into_iter().map(|(p, t)| line(p, t)).collect(),
            subtotal: Some(line(lang.t(Msg::Total).to_string(), sum)),
        });
    }
    let notes = if blocks.is_empty() {
        vec![h(
            lang,
            "この期間の交付金はありません",
            "No grants in these years",
        )]
    } else {
        Vec::new()
    };
    Doc {
        title: h(lang, "交付金の実績", "Subsidies"),
        headers: vec![
            lang.field("program").into(),
            h(lang, "件数", "Grants"),
            h(lang, "交付決定額", "Decided"),
            h(lang, "支払額", "Paid"),
            h(lang, "確定額", "Confirmed"),
        ],
        right: vec![false, true, true, true, true],
        blocks,
        total: None,
        notes,
    }
}
