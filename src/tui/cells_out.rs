//! Writing changed cells to the terminal for [`super::scroll::ScrollBackend`] (issue 12): the
//! fewest cursor moves and attribute changes, a blank row tail erased with EL, attributes reset
//! at the end of every frame.

use ratatui::buffer::{Buffer, Cell};
use std::io::Write;

/// A cell's style, for telling when it changes.
fn style_of(
    c: &Cell,
) -> (
    ratatui::style::Color,
    ratatui::style::Color,
    ratatui::style::Modifier,
) {
    (c.fg, c.bg, c.modifier)
}

/// SGR parameters of a cell's style, after a reset (`0`).
fn sgr(c: &Cell) -> String {
    use ratatui::style::{Color, Modifier};
    let mut p = String::from("0");
    for (m, code) in [
        (Modifier::BOLD, "1"),
        (Modifier::DIM, "2"),
        (Modifier::ITALIC, "3"),
        (Modifier::UNDERLINED, "4"),
        (Modifier::SLOW_BLINK, "5"),
        (Modifier::RAPID_BLINK, "6"),
        (Modifier::REVERSED, "7"),
        (Modifier::HIDDEN, "8"),
        (Modifier::CROSSED_OUT, "9"),
    ] {
        if c.modifier.contains(m) {
            p.push(';');
            p.push_str(code);
        }
    }
    // Offsets from 30 (foreground) or 40 (background); 8 takes an extended colour.
    let color = |col: Color, base: u8, p: &mut String| {
        let offset = match col {
            Color::Reset => return,
            Color::Black => 0,
            Color::Red => 1,
            Color::Green => 2,
            Color::Yellow => 3,
            Color::Blue => 4,
            Color::Magenta => 5,
            Color::Cyan => 6,
            Color::Gray => 7,
            Color::DarkGray => 60,
            Color::LightRed => 61,
            Color::LightGreen => 62,
            Color::LightYellow => 63,
            Color::LightBlue => 64,
            Color::LightMagenta => 65,
            Color::LightCyan => 66,
            Color::White => 67,
            Color::Indexed(i) => {
                p.push_str(&format!(";{};5;{i}", base + 8));
                return;
            }
            Color::Rgb(r, g, b) => {
                p.push_str(&format!(";{};2;{r};{g};{b}", base + 8));
                return;
            }
        };
        p.push_str(&format!(";{}", base + offset));
    };
    color(c.fg, 30, &mut p);
    color(c.bg, 40, &mut p);
    p
}

/// Writes the changed cells in order, moving the cursor only where it must (printing a short
/// gap of unchanged cells instead, when that is shorter) and changing attributes only where
/// they change; ends with the attributes reset. Where a narrow character replaces the left half
/// of a wide one (in `prev`, what the terminal shows), the right half is written too: a
/// terminal blanks it with whatever attributes are current, which need not be its own.
pub(super) fn write_cells(
    out: &mut Vec<u8>,
    diff: &[(u16, u16, &Cell)],
    prev: &Buffer,
    next: &Buffer,
) -> std::io::Result<()> {
    let width = |c: &Cell| unicode_width::UnicodeWidthStr::width(c.symbol()).max(1) as u16;
    let mut cells: Vec<(u16, u16, &Cell)> = Vec::with_capacity(diff.len());
    for (i, &(x, y, c)) in diff.iter().enumerate() {
        cells.push((x, y, c));
        let was_wide = prev.cell((x, y)).is_some_and(|p| width(p) > 1);
        let follows = diff
            .get(i + 1)
            .is_some_and(|&(nx, ny, _)| ny == y && nx == x + 1);
        if width(c) == 1
            && was_wide
            && !follows
            && let Some(half) = next.cell((x + 1, y))
        {
            cells.push((x + 1, y, half));
        }
    }
    let diff = &cells;
    let plain = style_of(&Cell::default());
    let mut style = plain;
    let mut at: Option<(u16, u16)> = None;
    let row_end = next.area.right();
    let mut skip_row: Option<u16> = None;
    for &(x, y, c) in diff {
        if skip_row == Some(y) {
            continue;
        }
        // The rest of the row is plain blanks (a highlight left, a shorter row): erase to the
        // end of the line (EL, 3 bytes) instead of printing them, once that is shorter.
        let blank = |g: &Cell| g.symbol() == " " && style_of(g) == plain;
        if blank(c)
            && row_end - x > 4
            && (x..row_end).all(|gx| next.cell((gx, y)).is_some_and(blank))
        {
            match at {
                Some((ax, ay)) if ay == y && ax == x => {}
                _ => write!(out, "\x1b[{};{}H", y + 1, x + 1)?,
            }
            if style != plain {
                out.extend_from_slice(b"\x1b[0m");
                style = plain;
            }
            out.extend_from_slice(b"\x1b[K");
            at = Some((x, y));
            skip_row = Some(y);
            continue;
        }
        match at {
            Some((ax, ay)) if ay == y && ax == x => {}
            Some((ax, ay)) if ay == y && x > ax => {
                // A few plain narrow cells of the current style in between are shorter to
                // print than a move over them.
                let gap: Vec<&Cell> = (ax..x).filter_map(|gx| next.cell((gx, y))).collect();
                if x - ax <= 3 && gap.iter().all(|g| width(g) == 1 && style_of(g) == style) {
                    for g in gap {
                        out.extend_from_slice(g.symbol().as_bytes());
                    }
                } else {
                    write!(out, "\x1b[{}C", x - ax)?;
                }
            }
            _ => write!(out, "\x1b[{};{}H", y + 1, x + 1)?,
        }
        if style_of(c) != style {
            let s = sgr(c);
            // From plain, the reset is implied.
            let p = if style == plain {
                s.strip_prefix("0;").unwrap_or(&s)
            } else {
                &s
            };
            write!(out, "\x1b[{p}m")?;
            style = style_of(c);
        }
        out.extend_from_slice(c.symbol().as_bytes());
        at = Some((x + width(c), y));
    }
    if style != plain {
        out.extend_from_slice(b"\x1b[0m");
    }
    Ok(())
}
