//! Text made safe and aligned for a terminal: control characters and escape sequences from the
//! database or input are neutralised, and widths are counted in display cells (CJK = 2) with
//! unicode-width.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Replaces every control character (C0, DEL, C1 — so ESC and CSI cannot start a sequence) with
/// a visible substitute: C0 as its Control Picture (ESC → ␛), others as U+FFFD. Newlines and tabs
/// become a space (fields are single-line on screen).
pub fn sanitize(s: &str) -> String {
    if !s.chars().any(needs_sanitizing) {
        return s.to_string();
    }
    s.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
            '\u{7f}' => '␡',
            c if needs_sanitizing(c) => '\u{fffd}',
            c => c,
        })
        .collect()
}

fn needs_sanitizing(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Display width in terminal cells.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `max` cells, ending with `~` when cut (ASCII: `…` is ambiguous-width and takes 2 cells in many CJK terminals); never splits a wide character.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw > max - 1 {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('~');
    out
}

/// Truncates then pads with spaces to exactly `cells` cells (left-aligned).
pub fn pad(s: &str, cells: usize) -> String {
    let t = truncate(s, cells);
    let w = width(&t);
    format!("{t}{}", " ".repeat(cells.saturating_sub(w)))
}

/// Truncates then pads on the left to exactly `cells` cells (right-aligned, for numbers).
pub fn pad_left(s: &str, cells: usize) -> String {
    let t = truncate(s, cells);
    let w = width(&t);
    format!("{}{t}", " ".repeat(cells.saturating_sub(w)))
}

/// Folds text for matching: katakana → hiragana, full-width ASCII → ASCII, lowercase, no spaces.
/// So `/ハナ`, `/はな` and `/hana` match what a person expects.
pub fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            '！'..='～' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// Like [`sanitize`] but keeps line breaks (for multi-line messages such as error lists).
pub fn sanitize_multiline(s: &str) -> String {
    s.split('\n').map(sanitize).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitizes_escapes() {
        assert_eq!(sanitize("ok\x1b[31mred"), "ok␛[31mred");
        assert_eq!(sanitize("a\nb\tc"), "a b c");
        assert_eq!(sanitize("\u{9b}2J"), "\u{fffd}2J");
        assert_eq!(sanitize("日本語"), "日本語");
        assert!(!sanitize("x\u{202e}y").contains('\u{202e}'));
    }

    #[test]
    fn widths() {
        assert_eq!(width("一関"), 4);
        assert_eq!(truncate("一関地区まちづくり協議会", 9), "一関地区~");
        assert_eq!(width(&pad("一関地区まちづくり協議会", 9)), 9);
        assert_eq!(pad("花泉", 6), "花泉  ");
        assert_eq!(pad_left("125", 5), "  125");
    }

    #[test]
    fn folding() {
        assert_eq!(fold("ハナイズミ"), "はないずみ");
        assert_eq!(fold("ＡＢＣ d"), "abcd");
    }
}
