//! The allocation preview (配分の試算, issue 4) and a 配分シナリオ beside a program's current
//! amounts (issue 18.3), drawn over the pane.

use super::theme::Theme;
use crate::i18n::{Lang, Msg};
use crate::text::{pad, sanitize, truncate};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};

/// Draws an allocation preview over `r`: the rule, the counts date, the comparison, one line per
/// body (inputs, amount, comparison and difference), and the total against the budget.
pub fn draw_preview(
    f: &mut Frame,
    lang: Lang,
    p: &crate::app::subsidy::PreviewState,
    theme: Theme,
    r: Rect,
) {
    use crate::domain::AllocationRule;
    use crate::text::pad_left;
    f.render_widget(Clear, r);
    let pv = &p.preview;
    let rate = matches!(p.program.rule, AllocationRule::Rate { .. });
    let scn = p.scenario();
    let mut lines = vec![
        Line::styled(
            format!(
                "{}: {} {}",
                lang.t(Msg::PreviewTitle),
                lang.fy(p.program.fiscal_year),
                sanitize(&p.program.name)
            ),
            theme.header(),
        ),
        Line::from(truncate(
            &sanitize(&match scn {
                Some(s) => format!("{}: {}", lang.t(Msg::ScenarioOf), s.describe(lang)),
                None => p.program.rule.describe(lang),
            }),
            r.width as usize,
        )),
    ];
    // The counts date leads the comparison line: the rule alone fills 80 cells (issue 14.7).
    let cmp = p.options.get(p.option).map(|o| o.0.as_str()).unwrap_or("-");
    lines.push(Line::from(truncate(
        &format!(
            "{}{}: {}{}",
            pv.counts_date
                .filter(|_| !rate)
                .map(|d| format!("{} {}  ", lang.field("as_of"), lang.date(d)))
                .unwrap_or_default(),
            lang.t(Msg::CompareWith),
            sanitize(cmp),
            if p.transition {
                format!("  [{}]", lang.t(Msg::Transition))
            } else {
                String::new()
            }
        ),
        r.width as usize,
    )));
    let (c1, c2) = if rate {
        (lang.field("eligible_cost"), lang.field("project_year"))
    } else if scn.is_some() {
        (lang.field("households"), lang.t(Msg::AreaShort))
    } else {
        (lang.field("households"), lang.field("population"))
    };
    let (h_amount, h_cmp, h_diff) = match scn {
        Some(_) => (Msg::CurrentAmount, Msg::ScenarioAmount, Msg::ScenarioDiff),
        None => (Msg::Amount, Msg::CompareWith, Msg::Diff),
    };
    // A scenario adds a column of the 加算 each body meets (指 = runs its centre, 計 = plan).
    let flags_w = if scn.is_some() { 5 } else { 0 };
    let name_w = (r.width as usize)
        .saturating_sub(2 + 10 + 8 + 13 + 13 + 12 + 5 + flags_w)
        .clamp(8, 24);
    let flags = |f: String| match scn {
        Some(_) => format!("{} ", pad(&f, 4)),
        None => String::new(),
    };
    lines.push(Line::styled(
        format!(
            "  {} {}{} {} {} {} {}",
            pad(lang.t(Msg::Body), name_w),
            flags(lang.t(Msg::AdditionsShort).to_string()),
            pad_left(c1, 10),
            pad_left(c2, 8),
            pad_left(lang.t(h_amount), 13),
            pad_left(lang.t(h_cmp), 13),
            pad_left(lang.t(h_diff), 12)
        ),
        theme.header(),
    ));
    let body_rows = (r.height as usize).saturating_sub(lines.len() + 2);
    let name = |id| {
        p.bodies
            .iter()
            .find(|b| b.id == id)
            .map(|b| b.name.as_str())
            .unwrap_or("")
    };
    for row in pv.rows.iter().skip(p.offset).take(body_rows) {
        let (a, b) = if rate {
            (
                lang.yen(row.input.eligible_cost),
                row.input.project_year.to_string(),
            )
        } else {
            (
                crate::domain::money::group_digits(row.input.households as i64),
                match scn {
                    Some(_) => row
                        .input
                        .area_km2
                        .map(crate::domain::scenario::km2)
                        .unwrap_or_default(),
                    None => crate::domain::money::group_digits(row.input.population as i64),
                },
            )
        };
        let cmp = row.compare.map(|c| lang.yen(c)).unwrap_or_default();
        // A scenario's difference is what adopting it would change: scenario − current.
        let diff = row
            .compare
            .map(|c| match scn {
                Some(_) => c - row.decided,
                None => row.decided - c,
            })
            .map(crate::domain::money::group_digits)
            .unwrap_or_default();
        let met = [
            (row.input.runs_center, Msg::CenterMark),
            (row.input.has_plan, Msg::PlanMark),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, m)| lang.t(*m))
        .collect::<String>();
        lines.push(Line::from(format!(
            "  {} {}{} {} {} {} {}",
            pad(
                &sanitize(&crate::app::rows::short_body(name(row.body_id))),
                name_w
            ),
            flags(met),
            pad_left(&a, 10),
            pad_left(&b, 8),
            pad_left(&lang.yen(row.decided), 13),
            pad_left(&cmp, 13),
            pad_left(&diff, 12)
        )));
    }
    let (total_msg, shown_total) = match (scn, pv.compare_total) {
        (Some(_), Some(c)) => (Msg::ScenarioTotal, c),
        _ => (Msg::Total, pv.total),
    };
    let budget_line = format!(
        "{} {}  {} {}  {}",
        lang.t(total_msg),
        lang.yen(shown_total),
        lang.t(Msg::Budget),
        lang.yen(pv.budget),
        if pv.over_budget > 0 {
            format!("{} {}", lang.t(Msg::OverBudget), lang.yen(pv.over_budget))
        } else {
            lang.t(Msg::WithinBudget).to_string()
        }
    );
    // A scenario's current total goes on the line below: the budget line fills 80 cells.
    let (cmp_total, current) = match scn {
        Some(_) => (
            String::new(),
            format!("  {} {}", lang.t(Msg::CurrentTotal), lang.yen(pv.total)),
        ),
        None => (
            pv.compare_total
                .map(|c| format!("  ({} {})", lang.t(Msg::CompareWith), lang.yen(c)))
                .unwrap_or_default(),
            String::new(),
        ),
    };
    let style = if pv.over_budget > 0 {
        theme.warn()
    } else {
        theme.header()
    };
    let y = r.y + r.height.saturating_sub(2);
    f.render_widget(
        Paragraph::new(lines),
        Rect::new(r.x, r.y, r.width, r.height.saturating_sub(2)),
    );
    f.render_widget(
        Paragraph::new(vec![
            Line::styled(
                truncate(&format!("{budget_line}{cmp_total}"), r.width as usize),
                style,
            ),
            Line::from(truncate(
                &format!(
                    "{}/{}{current}",
                    (p.offset + 1).min(pv.rows.len()),
                    pv.rows.len()
                ),
                r.width as usize,
            )),
        ]),
        Rect::new(r.x, y, r.width, 2),
    );
}
