//! The dashboard pane: each indicator with its pace, sparkline and monthly bar chart.

use super::*;

pub(super) fn indicator_spans<'a>(
    c: &[String],
    achievement: Option<f64>,
    cols: &[Column],
    ws: &[usize],
    theme: Theme,
) -> Vec<Span<'a>> {
    let text = line_of(&c[..5], &cols[..5], &ws[..5]);
    let gauge_w = ws[5].saturating_sub(7);
    let mut spans = vec![Span::raw(format!("{text} "))];
    match achievement {
        Some(a) => {
            let filled = ((a.clamp(0.0, 1.0)) * gauge_w as f64).round() as usize;
            let (on, off) = if theme.color {
                (" ".repeat(filled), " ".repeat(gauge_w - filled))
            } else {
                ("#".repeat(filled), ".".repeat(gauge_w - filled))
            };
            spans.push(Span::styled(on, theme.gauge(a)));
            spans.push(Span::styled(off, theme.gauge_empty()));
            spans.push(Span::raw(pad_left(&c[5], 7)));
        }
        None => spans.push(Span::raw(pad(&c[5], ws[5]))),
    }
    spans
}

/// Under the dashboard's table: the year's period and pace count, the selected indicator year by
/// year against its straight-line pace, and two month-by-month bar charts (consultations, team
/// meetings). ASCII only: block characters are ambiguous-width in CJK terminals.
pub(super) fn dashboard_panel<'a>(s: &AppState, data: &PaneData, theme: Theme) -> Paragraph<'a> {
    let lang = s.lang;
    let Summary::Dashboard {
        history,
        consultations,
        meetings,
        overdue,
    } = &data.summary
    else {
        return Paragraph::new("");
    };
    let period = match (s.fy.start(), s.fy.end()) {
        (Some(a), Some(b)) => format!("{}〜{}", lang.date(a), lang.date(b)),
        _ => String::new(),
    };
    let statuses = data.items.iter().filter_map(|i| match i {
        Item::Indicator(st) => st.pace,
        _ => None,
    });
    // A stock short of its line in a year not yet over is neither (集計中, issue 16.3).
    let (on, behind, pending) = statuses.fold((0, 0, 0), |(a, b, c), p| match p {
        p if p.pending => (a, b, c + 1),
        p if p.on_pace => (a + 1, b, c),
        _ => (a, b + 1, c),
    });
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{} ", lang.fy(s.fy)), theme.header()),
        Span::raw(format!(
            "{period}  {} {on} / {} {behind}{}",
            lang.t(Msg::OnPace),
            lang.t(Msg::Behind),
            if pending > 0 {
                format!(" / {} {pending}", lang.t(Msg::Pending))
            } else {
                String::new()
            }
        )),
    ])];
    if let Some(overdue) = overdue.filter(|n| *n > 0) {
        // What the person logged in has overdue, and where to see it (自分, 7).
        let said = match lang {
            crate::i18n::Lang::Ja => {
                format!("  ! {overdue}{} (7 自分)", lang.t(Msg::DueOverdueCount))
            }
            crate::i18n::Lang::En => {
                format!("  ! {overdue} {} (7 My work)", lang.t(Msg::DueOverdueCount))
            }
        };
        lines[0].spans.push(Span::styled(said, theme.warn()));
    }
    let selected = s
        .current()
        .selected_item()
        .and_then(|i| match &data.items[i] {
            Item::Indicator(st) => Some(st.indicator.id.clone()),
            _ => None,
        });
    if let Some(id) = selected {
        let mut parts = Vec::new();
        let short = |fy: crate::domain::FiscalYear| lang.fy_short(fy);
        let current = crate::domain::FiscalYear::of(s.today);
        let mut target = None;
        for (fy, st) in history {
            let Some(x) = st.iter().find(|x| x.indicator.id == id) else {
                continue;
            };
            target = Some((x.indicator.target_fy, x.indicator.target));
            if *fy > current {
                break;
            }
            let short = short(*fy);
            let v = x.value.map(|v| v.to_string()).unwrap_or_else(|| "-".into());
            let mark = match x.pace {
                Some(p) if !p.on_pace && !p.pending => format!("<{}", p.expected),
                _ => String::new(),
            };
            parts.push(format!("{short}:{v}{mark}"));
        }
        if let Some((tfy, t)) = target {
            parts.push(format!("-> {} {}:{t}", lang.t(Msg::Target), short(tfy)));
        }
        // A sparkline of every plan year, baseline to target: each year's value as a share of
        // the target on an ASCII ramp (block characters are ambiguous-width in CJK terminals);
        // years not reached yet are blank.
        let spark: String = history
            .iter()
            .filter_map(|(fy, st)| st.iter().find(|x| x.indicator.id == id).map(|x| (*fy, x)))
            .map(|(fy, x)| match (x.value, fy <= current) {
                (Some(v), true) if x.indicator.target.0 > 0 => {
                    sparkline_char(v.0 as f64 / x.indicator.target.0 as f64)
                }
                _ => ' ',
            })
            .collect();
        parts.insert(0, format!("[{spark}]"));
        lines.push(Line::styled(
            crate::text::truncate(&parts.join(" "), s.size.0 as usize),
            theme.dim(),
        ));
    }
    let a = bar_chart(lang.t(Msg::MonthlyConsultations), consultations, 4, lang);
    let b = bar_chart(lang.t(Msg::MonthlyMeetings), meetings, 4, lang);
    for (x, y) in a.iter().zip(&b) {
        lines.push(Line::from(format!("{}  {}", pad(x, 37), y)));
    }
    Paragraph::new(lines)
}

/// One sparkline cell for `share` of the target: ` .:-=+*#%@` from none to all (or more).
pub fn sparkline_char(share: f64) -> char {
    const RAMP: [char; 10] = [' ', '.', ':', '-', '=', '+', '*', '#', '%', '@'];
    let i = (share.clamp(0.0, 1.0) * 9.0).round() as usize;
    RAMP[i.min(9)]
}

/// A vertical bar chart of twelve fiscal months (April first), `height` rows of `#`, with a
/// title line (and the year's total) and a line of month numbers: 37 cells wide.
pub fn bar_chart(title: &str, values: &[i64; 12], height: usize, lang: Lang) -> Vec<String> {
    let max = values.iter().copied().max().unwrap_or(0).max(1);
    let total: i64 = values.iter().sum();
    let mut out = vec![format!(
        "{title} {} {} (max {})",
        lang.t(Msg::Total),
        crate::domain::money::group_digits(total),
        max
    )];
    for row in (1..=height).rev() {
        let mut line = String::new();
        for v in values {
            // Bar height: the value's share of the largest, rounded; at least one row if any.
            let bar = ((*v * height as i64 * 2 + max) / (2 * max)).max(i64::from(*v > 0));
            let filled = bar >= row as i64;
            line.push_str(if filled { "## " } else { "   " });
        }
        out.push(line);
    }
    out.push(
        (0..12)
            .map(|i| format!("{:<3}", crate::domain::FiscalYear::slot_month(i)))
            .collect(),
    );
    out
}
