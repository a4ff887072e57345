//! Drawing `AppState` with ratatui: tab bar, info line, the active pane (virtualised list or
//! detail), footer, and the help popup. Every string from data goes through `sanitize`; widths are
//! display cells. No borders: box-drawing characters are ambiguous-width in CJK terminals.

use super::keymap::{FILTER_HELP, NORMAL};
use super::theme::Theme;
use crate::app::data::{Item, PaneData, Summary};
use crate::app::rows::{Column, cells, columns, detail};
use crate::app::{AppState, Mode, Pane};
use crate::i18n::{Lang, Msg};
use crate::text::{pad, pad_left, sanitize, width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
mod dashboard;
mod plan;
pub use dashboard::{bar_chart, sparkline_char};
use dashboard::{dashboard_panel, indicator_spans};

/// Draws the whole screen.
pub fn draw(f: &mut Frame, s: &AppState, theme: Theme) {
    let area = f.area();
    if s.too_small() {
        let msg = sanitize(s.lang.t(Msg::TooSmall));
        f.render_widget(
            Paragraph::new(vec![
                Line::from(msg),
                Line::from(format!("{}x{}", area.width, area.height)),
            ])
            .wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    let row = |y: u16, h: u16| Rect::new(area.x, area.y + y, area.width, h);
    draw_tabs(f, s, theme, row(0, 1));
    draw_info(f, s, theme, row(1, 1));
    let body = row(2, area.height.saturating_sub(3));
    let p = s.current();
    match &p.data {
        None => f.render_widget(Paragraph::new(""), body),
        Some(data) if p.detail => draw_detail(f, s, data, theme, body),
        Some(data) => draw_list(f, s, data, theme, body),
    }
    draw_footer(f, s, theme, row(area.height - 1, 1));
    if s.mode == Mode::Help {
        draw_help(f, s, theme, area);
    }
    if let Some(form) = &s.form {
        super::form_view::draw_form(f, s.lang, form, theme, body);
    }
    if let Some(p) = &s.preview {
        super::preview_view::draw_preview(f, s.lang, p, theme, body);
    }
    if let Some(q) = &s.quick {
        super::form_view::draw_quick(f, s.lang, q, theme, body);
    }
    if let Some(c) = &s.confirm {
        super::form_view::draw_confirm(f, s.lang, c, theme, body);
    }
}

fn draw_matrix(
    f: &mut Frame,
    s: &AppState,
    rows: &[(crate::domain::Category, [i64; 12])],
    theme: Theme,
    r: Rect,
) {
    let lang = s.lang;
    let name_w = 18;
    let mut head = pad(lang.t(Msg::Category), name_w);
    for slot in 0..12 {
        head.push_str(&pad_left(
            &format!(
                "{}{}",
                crate::domain::FiscalYear::slot_month(slot),
                if lang == Lang::Ja { "月" } else { "" }
            ),
            4,
        ));
    }
    head.push_str(&pad_left(lang.t(Msg::Total), 7));
    let mut lines = vec![
        Line::styled(lang.t(Msg::ViewMatrix).to_string(), theme.header()),
        Line::styled(head, theme.header()),
    ];
    let mut totals = [0i64; 12];
    for (cat, months) in rows {
        let mut l = pad(cat.label(lang), name_w);
        for (i, m) in months.iter().enumerate() {
            totals[i] += m;
            l.push_str(&pad_left(&m.to_string(), 4));
        }
        l.push_str(&pad_left(
            &crate::domain::money::group_digits(months.iter().sum()),
            7,
        ));
        lines.push(Line::from(l));
    }
    let mut l = pad(lang.t(Msg::Total), name_w);
    for t in totals {
        l.push_str(&pad_left(&t.to_string(), 4));
    }
    l.push_str(&pad_left(
        &crate::domain::money::group_digits(totals.iter().sum()),
        7,
    ));
    lines.push(Line::styled(l, theme.header()));
    lines.push(Line::styled(
        match lang {
            Lang::Ja => "※ 1件の相談が複数の分野にわたる場合は各分野に数えます(合計は分野別の合計)",
            Lang::En => {
                "A consultation with several categories counts in each (totals are per category)"
            }
        },
        theme.dim(),
    ));
    f.render_widget(Paragraph::new(lines), r);
}

fn draw_tabs(f: &mut Frame, s: &AppState, theme: Theme, r: Rect) {
    let mut spans = Vec::new();
    for (i, p) in Pane::ALL.iter().enumerate() {
        let label = format!("{} {}", i + 1, s.lang.t(p.title()));
        let style = if *p == s.pane {
            theme.tab_active()
        } else {
            Style::default()
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), r);
}

fn draw_info(f: &mut Frame, s: &AppState, theme: Theme, r: Rect) {
    let p = s.current();
    let mut spans = vec![Span::styled(
        format!("< {} >", s.lang.fy(s.fy)),
        theme.header(),
    )];
    if s.demo {
        spans.push(Span::styled(
            format!(" [{}]", s.lang.t(Msg::DemoBadge)),
            theme.warn(),
        ));
    }
    if s.pane.views().len() > 1 {
        spans.push(Span::styled(
            format!(" {}(v)", s.view().label(s.lang)),
            theme.header(),
        ));
    }
    if let Some(data) = &p.data
        && s.pane != Pane::Dashboard
    {
        let shown = if p.visible.is_empty() {
            0
        } else {
            p.selected + 1
        };
        spans.push(Span::raw(format!(
            "  {}/{} {}",
            shown,
            p.visible.len(),
            s.lang.t(Msg::Records)
        )));
        if data.items.len() != p.visible.len() {
            spans.push(Span::styled(
                format!(" ({} {})", s.lang.t(Msg::Of), data.items.len()),
                theme.dim(),
            ));
        }
    }
    if s.mode == Mode::Filter || !p.filter.is_empty() {
        spans.push(Span::styled(
            format!("  {}: /{}", s.lang.t(Msg::Filter), sanitize(&p.filter)),
            theme.warn(),
        ));
    }
    // The real cursor sits after the filter text, so an IME's candidates appear there; its
    // column is the width of exactly what is drawn.
    let used: usize = spans.iter().map(|sp| width(&sp.content)).sum();
    f.render_widget(Paragraph::new(Line::from(spans)), r);
    if s.mode == Mode::Filter {
        f.set_cursor_position((r.x + used.min(r.width as usize - 1) as u16, r.y));
    }
}

/// Widest the fill column grows on a wide terminal, so figures stay next to their names.
const MAX_FILL: usize = 56;

/// Cells taken by the selection marker at the start of each row.
const MARKER: u16 = 2;

/// Column widths for `total` cells, by the columns' priorities: fixed ones as given; the name
/// column (width 0) takes the rest, up to [`MAX_FILL`]; while it is narrower than it wants, the
/// columns that may shrink give up cells, one at a time from the one with most to spare, down to
/// their minimum (so names are cut last). Depends on the widths alone, never on the rows shown,
/// so scrolling never re-lays a list out.
pub fn widths(cols: &[Column], total: u16) -> Vec<usize> {
    let mut ws: Vec<usize> = cols.iter().map(|c| c.width as usize).collect();
    let gaps = cols.len().saturating_sub(1);
    let cap = if cols.len() == 1 {
        usize::MAX
    } else {
        MAX_FILL
    };
    let fill_at = cols.iter().position(|c| c.width == 0);
    let want = fill_at.map_or(0, |i| cols[i].min as usize);
    let rest = |ws: &[usize]| {
        let fixed: usize = ws
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != fill_at)
            .map(|(_, w)| w)
            .sum();
        (total as usize).saturating_sub(fixed + gaps)
    };
    while rest(&ws) < want {
        let spare = (0..cols.len())
            .filter(|i| Some(*i) != fill_at && ws[*i] > cols[*i].min as usize)
            .max_by_key(|i| ws[*i] - cols[*i].min as usize);
        match spare {
            Some(i) => ws[i] -= 1,
            None => break,
        }
    }
    if let Some(i) = fill_at {
        ws[i] = rest(&ws).clamp(4, cap.max(4));
    }
    ws
}

fn line_of(cells: &[String], cols: &[Column], ws: &[usize]) -> String {
    let mut out = String::new();
    for (i, ((c, col), w)) in cells.iter().zip(cols).zip(ws).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let c = sanitize(c);
        out.push_str(&if col.right {
            pad_left(&c, *w)
        } else {
            pad(&c, *w)
        });
    }
    out
}

fn draw_summary(f: &mut Frame, s: &AppState, data: &PaneData, theme: Theme, r: Rect) {
    let lang = s.lang;
    let lines: Vec<Line> = match &data.summary {
        Summary::None | Summary::Matrix(_) | Summary::Dashboard { .. } => return,
        Summary::Plan(plans, ..) => match plan::summary_line(s, plans, theme) {
            Some(line) => vec![line],
            None => return,
        },
        Summary::Consultations {
            by_category,
            total,
            records,
        } => {
            let mut cats: Vec<String> = by_category
                .iter()
                .map(|(c, m)| format!("{} {}", c.label(lang), m.iter().sum::<i64>()))
                .collect();
            let half = cats.len().div_ceil(2);
            let second = cats.split_off(half);
            vec![
                Line::from(vec![
                    Span::styled(
                        format!("{} ", lang.t(Msg::CountsByCategory)),
                        theme.header(),
                    ),
                    Span::raw(format!(
                        "{} {}  ({} {} / {} {})",
                        lang.t(Msg::Total),
                        crate::domain::money::group_digits(*total),
                        lang.t(Msg::Detailed),
                        crate::domain::money::group_digits(*records),
                        lang.t(Msg::Tally),
                        crate::domain::money::group_digits(total - records)
                    )),
                ]),
                Line::from(format!("  {}", cats.join("  "))),
                Line::from(format!("  {}", second.join("  "))),
            ]
        }
        Summary::Subsidies(programs) => {
            if programs.is_empty() {
                vec![Line::styled(lang.t(Msg::NoRecords), theme.dim())]
            } else {
                programs
                    .iter()
                    .map(|p| {
                        Line::from(vec![
                            Span::styled(format!("{} ", sanitize(&p.name)), theme.header()),
                            Span::raw(format!(
                                "{} {} {} {} {} {}",
                                lang.t(Msg::BudgetShort),
                                lang.yen(p.budget),
                                lang.t(Msg::DecidedShort),
                                lang.yen(p.decided),
                                lang.t(Msg::PaidShort),
                                lang.yen(p.paid)
                            )),
                        ])
                    })
                    .collect()
            }
        }
    };
    f.render_widget(Paragraph::new(lines), r);
}

fn draw_list(f: &mut Frame, s: &AppState, data: &PaneData, theme: Theme, r: Rect) {
    let p = s.current();
    if let Summary::Matrix(rows) = &data.summary {
        draw_matrix(f, s, rows, theme, r);
        return;
    }
    let cols = match crate::app::plan_view::current(s) {
        Some(plan) => crate::app::rows::plan_columns(plan, s.fy, s.lang),
        None => columns(s.view()),
    };
    // Each row starts with a 2-cell selection marker, and the selected row is reversed across
    // its width; a cursor move rewrites the two rows it leaves and enters.
    let ws = widths(&cols, r.width.saturating_sub(MARKER));
    let head = data.header_rows() as u16;
    if head > 0 {
        draw_summary(f, s, data, theme, Rect::new(r.x, r.y, r.width, head));
    }
    let header: Vec<String> = cols
        .iter()
        .map(|c| c.title.text(s.lang).to_string())
        .collect();
    let mut lines = vec![Line::styled(
        format!("  {}", line_of(&header, &cols, &ws)),
        theme.header(),
    )];
    let rows = s.list_rows();
    if p.visible.is_empty() {
        let msg = match (data.items.is_empty(), s.latest_hint()) {
            (true, Some(hint)) => hint,
            (true, None) => s.lang.t(Msg::NoRecords).to_string(),
            (false, _) => s.lang.t(Msg::NoMatch).to_string(),
        };
        for piece in crate::tui::form_view::wrap_cells(&msg, r.width as usize) {
            lines.push(Line::styled(piece, theme.dim()));
        }
    }
    for (pos, &idx) in p.visible.iter().enumerate().skip(p.offset).take(rows) {
        let item = &data.items[idx];
        let c = cells(item, &data.lookups, s.lang, s.fy);
        // The marker is reversed with the rest of the row (`selected_row`).
        let mut spans = vec![Span::raw(if pos == p.selected { "> " } else { "  " })];
        if let Item::Indicator(st) = item {
            spans.extend(indicator_spans(&c, st.achievement, &cols, &ws, theme));
        } else if let Item::Section(..) = item {
            spans.push(Span::styled(line_of(&c, &cols, &ws), theme.header()));
        } else if crate::app::rows::overdue(item, s.today) {
            spans.push(Span::styled(line_of(&c, &cols, &ws), theme.warn()));
        } else {
            spans.push(Span::raw(line_of(&c, &cols, &ws)));
        }
        if pos == p.selected {
            spans = selected_row(spans, r.width, theme);
        }
        lines.push(Line::from(spans));
    }
    let list_area = Rect::new(r.x, r.y + head, r.width, r.height.saturating_sub(head));
    f.render_widget(Paragraph::new(lines), list_area);
    if s.pane == Pane::Dashboard {
        // Below the indicators: what the figures mean (static, so moving the selection stays
        // cheap; Enter shows an indicator's definition).
        let used = (p.visible.len().min(rows) + 2) as u16;
        if list_area.height > used + 1 {
            let area = Rect::new(r.x, list_area.y + used, r.width, list_area.height - used);
            f.render_widget(dashboard_panel(s, data, theme), area);
        }
    }
    if let Some(msg) = &s.status {
        let y = r.y + r.height.saturating_sub(1);
        f.render_widget(
            Paragraph::new(Line::styled(sanitize(msg), theme.warn())),
            Rect::new(r.x, y, r.width, 1),
        );
    }
}

/// The selected row read across its width (issue 14.6): reverse video over every span but a
/// gauge's coloured cells (which keep their colour), padded to `width` cells.
fn selected_row(spans: Vec<Span<'_>>, width_cells: u16, theme: Theme) -> Vec<Span<'_>> {
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    let mut out: Vec<Span> = spans
        .into_iter()
        .map(|s| {
            if s.style.bg.is_some() {
                s
            } else {
                s.patch_style(theme.selected())
            }
        })
        .collect();
    let rest = (width_cells as usize).saturating_sub(used);
    if rest > 0 {
        out.push(Span::styled(" ".repeat(rest), theme.selected()));
    }
    out
}

/// A detail's `(label, value)` lines, a value too long for the width wrapped under itself (not
/// under the label).
fn detail_paragraph<'a>(d: &[(String, String)], theme: Theme, width_cells: u16) -> Paragraph<'a> {
    let lw = d.iter().map(|(l, _)| width(l)).max().unwrap_or(8).min(22);
    let value_w = (width_cells as usize).saturating_sub(lw + 1).max(8);
    let mut lines: Vec<Line> = Vec::new();
    for (l, v) in d {
        for (n, piece) in crate::tui::form_view::wrap_words(&sanitize(v), value_w)
            .into_iter()
            .enumerate()
        {
            let label = if n == 0 { sanitize(l) } else { String::new() };
            lines.push(Line::from(vec![
                Span::styled(format!("{} ", pad(&label, lw)), theme.header()),
                Span::raw(piece),
            ]));
        }
    }
    Paragraph::new(lines)
}

fn draw_detail(f: &mut Frame, s: &AppState, data: &PaneData, theme: Theme, r: Rect) {
    let p = s.current();
    let Some(idx) = p.selected_item() else {
        return;
    };
    let item = &data.items[idx];
    let mut d = detail(item, &data.lookups, s.lang, s.fy);
    if let (Item::Body(b) | Item::MyBody(b, _), Some(recent)) = (item, &s.body_recent)
        && recent.body == b.id
        && recent.fy == s.fy
    {
        crate::app::rows::body_year_lines(&mut d, recent, s.lang);
        d.extend(crate::app::rows::body_recent_lines(
            recent,
            &data.lookups,
            s.lang,
        ));
    }
    if let (Item::PlanAction(a), Summary::Plan(_, results, opinions, events)) =
        (item, &data.summary)
    {
        d.extend(crate::app::plan_view::result_lines(
            a, results, events, s.lang,
        ));
        d.extend(crate::app::plan_view::opinion_lines(a, opinions, s.lang));
    }
    f.render_widget(detail_paragraph(&d, theme, r.width), r);
}

fn draw_footer(f: &mut Frame, s: &AppState, theme: Theme, r: Rect) {
    let lang = s.lang;
    if s.offline {
        f.render_widget(
            Paragraph::new(Line::styled(
                crate::text::truncate(lang.t(Msg::Reconnecting), r.width as usize),
                theme.warn(),
            )),
            r,
        );
        return;
    }
    if let Some(msg) = &s.flash {
        f.render_widget(
            Paragraph::new(Line::styled(
                crate::text::truncate(&sanitize(msg), r.width as usize),
                theme.warn(),
            )),
            r,
        );
        return;
    }
    let hints: Vec<String> = match s.mode {
        Mode::Form => {
            // In a follow-up row, how to add one; elsewhere, how to clear a field.
            let in_rows = s
                .form
                .as_ref()
                .is_some_and(|f| f.has_follow_up_rows() && f.focused().key.starts_with("fu_"));
            vec![
                lang.t(Msg::FormKeys).to_string(),
                lang.t(if in_rows {
                    Msg::FormAddFollowUp
                } else {
                    Msg::FormClearKey
                })
                .to_string(),
            ]
        }
        Mode::Preview => vec![lang.t(Msg::PreviewKeys).to_string()],
        Mode::Confirm | Mode::Quick => vec!["Esc".to_string()],
        Mode::Filter => FILTER_HELP
            .iter()
            .map(|(k, m)| format!("{k} {}", lang.t(*m)))
            .collect(),
        _ if s.current().detail => {
            let mut v = vec![
                format!("Esc {}", lang.t(Msg::KeyBack)),
                format!("j/k {}/{}", lang.t(Msg::KeyDown), lang.t(Msg::KeyUp)),
            ];
            // What can be done from here (a body: a meeting or a consultation for it).
            v.extend(
                NORMAL
                    .iter()
                    .filter(|b| matches!(b.label, "e" | "m" | "c") && (b.works)(s))
                    .map(|b| format!("{} {}", b.label, lang.t(b.help))),
            );
            v
        }
        // The keys that do something here, from the keymap.
        _ => NORMAL
            .iter()
            .filter(|b| b.footer && (b.works)(s))
            .map(|b| format!("{} {}", b.label, lang.t(b.help)))
            .collect(),
    };
    let text = crate::text::truncate(&hints.join("  "), r.width as usize);
    f.render_widget(Paragraph::new(Line::styled(text, theme.dim())), r);
}

fn draw_help(f: &mut Frame, s: &AppState, theme: Theme, area: Rect) {
    let lang = s.lang;
    let mut items: Vec<(String, String)> = NORMAL
        .iter()
        .map(|b| {
            let mut what = lang.t(b.help).to_string();
            if !b.place.is_empty() {
                let places: Vec<&str> = b.place.iter().map(|m| lang.t(*m)).collect();
                what.push_str(&format!(" ({})", places.join("・")));
            }
            (crate::tui::keymap::help_label(b), what)
        })
        .collect();
    items.push((String::new(), String::new()));
    items.push((format!("{} (/)", lang.t(Msg::Filter)), String::new()));
    for (k, m) in FILTER_HELP {
        items.push((k.to_string(), lang.t(*m).to_string()));
    }
    items.push((String::new(), String::new()));
    items.push((lang.t(Msg::FormKeys).to_string(), String::new()));
    items.push((lang.t(Msg::FormClearKey).to_string(), String::new()));
    items.push((lang.t(Msg::FormAddFollowUp).to_string(), String::new()));
    items.push((String::new(), String::new()));
    items.push((lang.t(Msg::PreviewKeys).to_string(), String::new()));
    // Full width over the body: a popup edge could split a wide character underneath it.
    let r = Rect::new(
        area.x,
        area.y + 2,
        area.width,
        area.height.saturating_sub(3),
    );
    let rows = (r.height as usize).saturating_sub(1).max(1);
    let columns = items.len().div_ceil(rows);
    let col_w = (r.width as usize / columns.max(1)).max(20);
    let mut lines = vec![Line::styled(
        format!("{}  ({})", lang.t(Msg::Help), lang.t(Msg::HelpClose)),
        theme.header(),
    )];
    for row in 0..rows.min(items.len()) {
        let mut text = String::new();
        for c in 0..columns {
            if let Some((k, what)) = items.get(c * rows + row) {
                let cell = if what.is_empty() {
                    k.clone()
                } else {
                    format!("  {} {}", pad(k, 12), what)
                };
                text.push_str(&pad(&cell, col_w));
            }
        }
        lines.push(Line::from(text));
    }
    f.render_widget(Clear, r);
    f.render_widget(Paragraph::new(lines), r);
}

/// Language-independent check used by tests: the label of a pane in `lang`.
pub fn pane_label(p: Pane, lang: Lang) -> &'static str {
    lang.t(p.title())
}
