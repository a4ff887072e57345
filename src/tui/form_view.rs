//! Drawing forms, questions and quick tally logging. The real terminal cursor is placed where
//! the next character goes (wide characters count two cells), so an IME's candidate window
//! follows it; the text scrolls sideways to keep the cursor visible.

use super::theme::Theme;
use crate::app::form::{FieldKind, Form, Opt};
use crate::app::state::{Confirm, QuickLog};
use crate::domain::{Category, Channel};
use crate::i18n::{Lang, Msg};
use crate::text::{pad, sanitize, truncate, width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthChar;

const LABEL: usize = 16;

/// The visible part of `line` in `cells` cells with the cursor (a char index) kept in view:
/// (text shown, cursor column within it).
pub fn scroll_to_cursor(line: &str, cursor: usize, cells: usize) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    let w = |cs: &[char]| cs.iter().map(|c| c.width().unwrap_or(0)).sum::<usize>();
    let cursor = cursor.min(chars.len());
    let mut start = 0;
    while start < cursor && w(&chars[start..cursor]) > cells.saturating_sub(1) {
        start += 1;
    }
    let col = w(&chars[start..cursor]);
    let mut shown = String::new();
    let mut used = 0;
    for c in &chars[start..] {
        let cw = c.width().unwrap_or(0);
        if used + cw > cells {
            break;
        }
        shown.push(*c);
        used += cw;
    }
    (shown, col)
}

/// Splits `s` into lines of at most `cells` display cells, at a space where one is near enough
/// (so a number or a name is not cut in two), else between characters.
pub fn wrap_words(s: &str, cells: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while width(rest) > cells.max(2) {
        let mut used = 0;
        let mut cut = 0;
        let mut space = None;
        for (i, c) in rest.char_indices() {
            let cw = c.width().unwrap_or(0);
            if used + cw > cells.max(2) {
                break;
            }
            used += cw;
            cut = i + c.len_utf8();
            if c == ' ' && used > cells / 2 {
                space = Some(i);
            }
        }
        let (line, next) = match space {
            Some(sp) => (&rest[..sp], &rest[sp + 1..]),
            None => (&rest[..cut], &rest[cut..]),
        };
        out.push(line.to_string());
        rest = next;
    }
    out.push(rest.to_string());
    out
}

/// Splits `s` into pieces of at most `cells` display cells (never inside a character).
pub fn wrap_cells(s: &str, cells: usize) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw > cells.max(2) {
            out.push(String::new());
            w = 0;
        }
        if let Some(last) = out.last_mut() {
            last.push(c);
        }
        w += cw;
    }
    out
}

fn error_lines(e: &str, total_width: usize) -> Vec<String> {
    wrap_cells(
        &format!("! {}", sanitize(e)),
        total_width.saturating_sub(LABEL + 1),
    )
}

/// The options of a choice or checklist field as shown (`1協働・連携`, `[x]3地域課題`), packed
/// into lines of at most `cells` cells so that every option is on screen with its digit.
pub fn option_lines(
    options: &[Opt],
    chosen: &[&str],
    flags: bool,
    cells: usize,
    lang: Lang,
) -> Vec<Vec<(String, bool)>> {
    let mut out: Vec<Vec<(String, bool)>> = vec![Vec::new()];
    let mut used = 0;
    for (n, o) in options.iter().enumerate() {
        let on = chosen.contains(&o.value.as_str());
        let digit = if options.len() <= 9 {
            (n + 1).to_string()
        } else {
            String::new()
        };
        let text = match flags {
            true => format!(
                "{}{digit}{} ",
                if on { "[x]" } else { "[ ]" },
                sanitize(o.shown(lang))
            ),
            false => format!("{digit}{} ", sanitize(o.shown(lang))),
        };
        let w = width(&text);
        if used > 0 && used + w > cells {
            out.push(Vec::new());
            used = 0;
        }
        used += w;
        if let Some(line) = out.last_mut() {
            line.push((text, on));
        }
    }
    out
}

fn field_height(form: &Form, i: usize, total_width: usize, lang: Lang) -> usize {
    let f = &form.fields[i];
    let focused = i == form.focus;
    let value_w = total_width.saturating_sub(LABEL + 1).max(4);
    let mut h = match (&f.kind, focused) {
        (FieldKind::Lines, true) => f.area.lines().len().clamp(1, 4),
        (FieldKind::Flags(o), true) => 1 + option_lines(o, &[], true, value_w, lang).len(),
        (FieldKind::Choice(o), _) => option_lines(o, &[], false, value_w, lang).len(),
        _ => 1,
    };
    if let Some(e) = &f.error {
        h += error_lines(e.get(lang), total_width).len();
    }
    if focused {
        h += form.suggestions.len();
    }
    h
}

/// Draws `form` over `r` (full width: an edge in the middle of a wide character underneath
/// would split it).
pub fn draw_form(f: &mut Frame, lang: Lang, form: &Form, theme: Theme, r: Rect) {
    f.render_widget(Clear, r);
    let title = format!(
        "{}: {}{}",
        lang.t(if form.id == 0 {
            Msg::FormNew
        } else {
            Msg::FormEdit
        }),
        form.kind.title(lang),
        match (&form.subject, form.id) {
            (Some(s), _) => format!(" {}", sanitize(s)),
            (None, 0) => String::new(),
            (None, id) => format!(" #{id}"),
        }
    );
    let mut lines: Vec<Line> = wrap_cells(&title, r.width as usize)
        .into_iter()
        .map(|piece| Line::styled(piece, theme.header()))
        .collect();
    if let Some(m) = &form.message {
        for piece in wrap_cells(&sanitize(m), r.width as usize) {
            lines.push(Line::styled(piece, theme.warn()));
        }
    }
    let avail = (r.height as usize).saturating_sub(lines.len());
    // First field shown: scroll so the focused field and its extras fit.
    let mut start = 0;
    loop {
        let used: usize = (start..=form.focus.min(form.fields.len().saturating_sub(1)))
            .map(|i| field_height(form, i, r.width as usize, lang))
            .sum();
        if used <= avail || start >= form.focus {
            break;
        }
        start += 1;
    }
    let value_w = (r.width as usize).saturating_sub(LABEL + 1).max(4);
    let mut cursor: Option<(u16, u16)> = None;
    for (i, fld) in form.fields.iter().enumerate().skip(start) {
        if lines.len() >= r.height as usize {
            break;
        }
        let focused = i == form.focus;
        let mark = if focused { ">" } else { " " };
        let req = if fld.required { "*" } else { "" };
        let name = lang.field_of(form.kind.table(), fld.key);
        let label = if fld.key == "fu_text" {
            format!("{mark}{name}{}{req}", form.follow_up_number(i))
        } else {
            format!("{mark}{name}{req}")
        };
        let label_style = if focused {
            theme.selected()
        } else if fld.error.is_some() {
            theme.warn()
        } else {
            theme.header()
        };
        let label_span = Span::styled(pad(&label, LABEL), label_style);
        match &fld.kind {
            FieldKind::Choice(options) => {
                let cur = fld.text();
                let packed = option_lines(options, &[cur.as_str()], false, value_w, lang);
                for (k, row) in packed.into_iter().enumerate() {
                    let mut spans = vec![if k == 0 {
                        label_span.clone()
                    } else {
                        Span::raw(" ".repeat(LABEL))
                    }];
                    spans.push(Span::raw(" "));
                    for (text, on) in row {
                        spans.push(Span::styled(
                            text,
                            if on { theme.selected() } else { theme.dim() },
                        ));
                    }
                    lines.push(Line::from(spans));
                }
            }
            FieldKind::Flags(options) => {
                let cur = fld.text();
                let chosen: Vec<&str> = cur.split(';').map(str::trim).collect();
                // The chosen terms as this language says them (the field holds the values).
                let said: Vec<&str> = chosen
                    .iter()
                    .map(|c| {
                        options
                            .iter()
                            .find(|o| o.value == *c)
                            .map(|o| o.shown(lang))
                            .unwrap_or(c)
                    })
                    .collect();
                let spans = vec![
                    label_span,
                    Span::raw(" "),
                    Span::raw(truncate(&sanitize(&said.join(";")), value_w)),
                ];
                lines.push(Line::from(spans));
                if focused {
                    for row in option_lines(options, &chosen, true, value_w, lang) {
                        let mut hint = vec![Span::raw(" ".repeat(LABEL + 1))];
                        for (text, on) in row {
                            hint.push(Span::styled(
                                text,
                                if on { theme.selected() } else { theme.dim() },
                            ));
                        }
                        lines.push(Line::from(hint));
                    }
                }
            }
            _ => {
                let text_lines = fld.area.lines();
                let (row, col) = (fld.area.cursor().0, fld.area.cursor().1);
                let shown_rows: Vec<usize> = if focused && fld.kind == FieldKind::Lines {
                    let n = text_lines.len();
                    let first = (row + 1).saturating_sub(4);
                    (first..n.min(first + 4)).collect()
                } else {
                    vec![if focused { row } else { 0 }]
                };
                for (k, ri) in shown_rows.iter().enumerate() {
                    let line = text_lines.get(*ri).map(String::as_str).unwrap_or("");
                    let clean = sanitize(line);
                    let (shown, cx) = if focused && *ri == row {
                        scroll_to_cursor(&clean, col, value_w)
                    } else {
                        let more = if !focused && text_lines.len() > 1 {
                            " …"
                        } else {
                            ""
                        };
                        (truncate(&format!("{clean}{more}"), value_w), 0)
                    };
                    let prefix = if k == 0 {
                        label_span.clone()
                    } else {
                        Span::raw(" ".repeat(LABEL))
                    };
                    if focused && *ri == row {
                        cursor = Some((r.x + (LABEL + 1 + cx) as u16, r.y + lines.len() as u16));
                    }
                    lines.push(Line::from(vec![prefix, Span::raw(" "), Span::raw(shown)]));
                }
            }
        }
        if let Some(e) = &fld.error {
            for piece in error_lines(e.get(lang), r.width as usize) {
                lines.push(Line::styled(
                    format!("{}{piece}", " ".repeat(LABEL + 1)),
                    theme.warn(),
                ));
            }
        }
        if focused {
            for (n, sug) in form.suggestions.iter().enumerate() {
                let st = if n == form.suggestion {
                    theme.selected()
                } else {
                    theme.dim()
                };
                lines.push(Line::from(vec![
                    Span::raw(" ".repeat(LABEL + 1)),
                    Span::styled(truncate(&sanitize(sug), value_w), st),
                ]));
            }
        }
    }
    f.render_widget(Paragraph::new(lines), r);
    if let Some((x, y)) = cursor
        && y < r.y + r.height
    {
        f.set_cursor_position((x.min(r.x + r.width.saturating_sub(1)), y));
    }
}

/// Draws a yes/no question at the bottom of `r`.
pub fn draw_confirm(f: &mut Frame, lang: Lang, c: &Confirm, theme: Theme, r: Rect) {
    let (first, question) = match c {
        Confirm::Delete { label, .. } => (label.clone(), lang.t(Msg::ConfirmDelete)),
        Confirm::Discard => (String::new(), lang.t(Msg::ConfirmDiscard)),
        Confirm::MarkInactive { reason, .. } => (reason.clone(), lang.t(Msg::OfferInactive)),
        Confirm::RestoreDraft(d) => (
            format!(
                "{} ({})",
                crate::app::form::FormKind::title(d.kind, lang),
                d.fields.iter().filter(|(_, v)| !v.is_empty()).count()
            ),
            lang.t(Msg::DraftFound),
        ),
        Confirm::Rotate(fy) => (lang.fy(*fy), lang.t(Msg::RotateConfirm)),
        Confirm::ApplyPreview => (String::new(), lang.t(Msg::ConfirmApplyPreview)),
    };
    let text = vec![
        Line::styled(sanitize(&first), theme.warn()),
        Line::styled(question.to_string(), theme.selected()),
    ];
    let h = 4.min(r.height);
    let area = Rect::new(r.x, r.y + r.height - h, r.width, h);
    f.render_widget(Clear, area);
    f.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

/// Draws quick tally logging at the bottom of `r`: each step lists its choices by number.
pub fn draw_quick(f: &mut Frame, lang: Lang, q: &QuickLog, theme: Theme, r: Rect) {
    let opts = |labels: Vec<&str>| -> String {
        labels
            .iter()
            .enumerate()
            .map(|(i, l)| format!("{}:{}", i + 1, l))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut lines = vec![Line::styled(lang.t(Msg::QuickLog), theme.header())];
    match (q.category, q.channel) {
        (None, _) => {
            lines.push(Line::from(lang.t(Msg::QuickCategory)));
            lines.push(Line::from(opts(
                Category::ALL.iter().map(|c| c.label(lang)).collect(),
            )));
        }
        (Some(cat), None) => {
            lines.push(Line::from(format!(
                "{}  >  {}",
                cat.label(lang),
                lang.t(Msg::QuickChannel)
            )));
            lines.push(Line::from(opts(
                Channel::ALL.iter().map(|c| c.label(lang)).collect(),
            )));
        }
        (Some(cat), Some(ch)) => {
            lines.push(Line::from(format!(
                "{}  >  {}  >  {}",
                cat.label(lang),
                ch.label(lang),
                lang.t(Msg::QuickCount)
            )));
            lines.push(Line::styled(
                format!(
                    "{}: {}",
                    lang.t(Msg::Count),
                    if q.count.is_empty() { "1" } else { &q.count }
                ),
                theme.selected(),
            ));
        }
    }
    let h = 5.min(r.height);
    let area = Rect::new(r.x, r.y + r.height - h, r.width, h);
    f.render_widget(Clear, area);
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
    let _ = width;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_stays_visible_with_wide_text() {
        assert_eq!(scroll_to_cursor("花泉", 2, 10), ("花泉".to_string(), 4));
        // Cursor at the end of 12 wide characters in 9 cells: the last four show, cursor after.
        assert_eq!(
            scroll_to_cursor("一関地区まちづくり協議会", 12, 9),
            ("り協議会".to_string(), 8)
        );
        // Cursor at the start: the beginning shows.
        assert_eq!(
            scroll_to_cursor("一関地区まちづくり協議会", 0, 9),
            ("一関地区".to_string(), 0)
        );
        assert_eq!(scroll_to_cursor("", 0, 5), (String::new(), 0));
    }
}
