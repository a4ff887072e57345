//! A report as the city's own tables are laid out (issue 15.3): a title, column headers, one
//! block per program or group with its subtotal, and a grand total; rendered as aligned text
//! for the terminal or as Markdown for documents. CSV and JSON are not made from here: they
//! keep raw numbers and ISO dates for Excel and programs.

use crate::text::{pad, pad_left, sanitize, width};

/// One block of rows: a program, a district, or the whole table when it has no groups.
#[derive(Debug, Clone, Default)]
pub struct Block {
    /// The block's name (■ in text, a `##` heading in Markdown); `None` for an ungrouped table.
    pub heading: Option<String>,
    /// The rows, each one cell per header, already formatted (separators, 円/¥, 和暦).
    pub rows: Vec<Vec<String>>,
    /// The block's subtotal row (its first cell the label, e.g. 「小計 (33件)」).
    pub subtotal: Option<Vec<String>>,
}

/// A whole report: what [`Doc::text`] and [`Doc::markdown`] render.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    /// The title line (e.g. 「令和5年度 交付金台帳」).
    pub title: String,
    /// The column headers.
    pub headers: Vec<String>,
    /// Which columns are right-aligned (figures); the others are left-aligned.
    pub right: Vec<bool>,
    /// The blocks in order.
    pub blocks: Vec<Block>,
    /// The grand total row (its first cell the label, 合計 / Total).
    pub total: Option<Vec<String>>,
    /// Lines printed under the table (e.g. what a total counts).
    pub notes: Vec<String>,
}

impl Doc {
    fn grouped(&self) -> bool {
        self.blocks.iter().any(|b| b.heading.is_some())
    }

    fn is_right(&self, col: usize) -> bool {
        self.right.get(col).copied().unwrap_or(false)
    }

    /// Aligned text: East Asian wide characters count two columns; every cell from the
    /// database passes [`sanitize`] so no control character reaches the terminal.
    pub fn text(&self) -> String {
        let indent = if self.grouped() { "  " } else { "" };
        let first = |c: &str, body: bool| {
            if body {
                format!("{indent}{}", sanitize(c))
            } else {
                sanitize(c)
            }
        };
        let n = self.headers.len();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| width(h)).collect();
        let mut measure = |r: &[String], body: bool| {
            for (i, c) in r.iter().enumerate().take(n) {
                let w = if i == 0 {
                    width(&first(c, body))
                } else {
                    width(&sanitize(c))
                };
                widths[i] = widths[i].max(w);
            }
        };
        for b in &self.blocks {
            for r in b.rows.iter().chain(&b.subtotal) {
                measure(r, true);
            }
        }
        if let Some(t) = &self.total {
            measure(t, false);
        }
        let line = |r: &[String], body: bool| {
            let cells: Vec<String> = (0..n)
                .map(|i| {
                    let c = r.get(i).map(String::as_str).unwrap_or("");
                    let c = if i == 0 { first(c, body) } else { sanitize(c) };
                    if self.is_right(i) {
                        pad_left(&c, widths[i])
                    } else {
                        pad(&c, widths[i])
                    }
                })
                .collect();
            format!("{}\n", cells.join("  ").trim_end())
        };
        let mut out = format!("{}\n{}", sanitize(&self.title), line(&self.headers, false));
        for b in &self.blocks {
            if let Some(h) = &b.heading {
                out += &format!("\n■ {}\n", sanitize(h));
            }
            for r in &b.rows {
                out += &line(r, true);
            }
            if let Some(s) = &b.subtotal {
                out += &line(s, true);
            }
        }
        if let Some(t) = &self.total {
            if self.grouped() {
                out.push('\n');
            }
            out += &line(t, false);
        }
        for note in &self.notes {
            out += &format!("{}\n", sanitize(note));
        }
        out
    }

    /// Markdown: `# title`, a `## heading` and a pipe table per block (subtotal in bold), the
    /// grand total as its own table. Cells are escaped so text from the database cannot add
    /// links, emphasis or columns.
    pub fn markdown(&self) -> String {
        let head = {
            let names: Vec<String> = self.headers.iter().map(|h| md_cell(h)).collect();
            let rule: Vec<&str> = (0..self.headers.len())
                .map(|i| if self.is_right(i) { "---:" } else { "---" })
                .collect();
            format!("| {} |\n| {} |\n", names.join(" | "), rule.join(" | "))
        };
        let row = |r: &[String], bold: bool| {
            let cells: Vec<String> = (0..self.headers.len())
                .map(|i| {
                    let c = md_cell(r.get(i).map(String::as_str).unwrap_or(""));
                    if bold && !c.is_empty() {
                        format!("**{c}**")
                    } else {
                        c
                    }
                })
                .collect();
            format!("| {} |\n", cells.join(" | "))
        };
        let mut out = format!("# {}\n", md_cell(&self.title));
        for b in &self.blocks {
            out.push('\n');
            if let Some(h) = &b.heading {
                out += &format!("## {}\n\n", md_cell(h));
            }
            out += &head;
            for r in &b.rows {
                out += &row(r, false);
            }
            if let Some(s) = &b.subtotal {
                out += &row(s, true);
            }
        }
        if let Some(t) = &self.total {
            out.push('\n');
            if self.grouped() {
                out += &head;
            }
            out += &row(t, true);
        }
        if !self.notes.is_empty() {
            out.push('\n');
            for note in &self.notes {
                out += &format!("{}\n", md_cell(note));
            }
        }
        out
    }
}

/// One Markdown table cell: control characters neutralised, line breaks as spaces, and the
/// characters Markdown gives meaning to (`| \ * _ [ ] < > ` # ~`) escaped.
pub fn md_cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in sanitize(&s.replace(['\r', '\n'], " ")).chars() {
        if matches!(
            ch,
            '|' | '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '`' | '#' | '~'
        ) {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Doc {
        let s = |v: &[&str]| v.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        Doc {
            title: "T".into(),
            headers: s(&["name", "n"]),
            right: vec![false, true],
            blocks: vec![
                Block {
                    heading: Some("A".into()),
                    rows: vec![s(&["一関", "1,000"]), s(&["x|y", "5"])],
                    subtotal: Some(s(&["subtotal", "1,005"])),
                },
                Block {
                    heading: Some("B".into()),
                    rows: vec![s(&["z", "2"])],
                    subtotal: Some(s(&["subtotal", "2"])),
                },
            ],
            total: Some(s(&["total", "1,007"])),
            notes: vec![],
        }
    }

    #[test]
    fn text_aligns_wide_names_and_right_aligns_figures() {
        let t = doc().text();
        assert_eq!(
            t,
            "T\nname            n\n\n■ A\n  一関      1,000\n  x|y           5\n  subtotal  1,005\n\n■ B\n  z             2\n  subtotal      2\n\ntotal       1,007\n"
        );
    }

    #[test]
    fn markdown_has_a_table_per_block_and_escapes_cells() {
        let m = doc().markdown();
        assert!(m.starts_with("# T\n\n## A\n\n| name | n |\n| --- | ---: |\n| 一関 | 1,000 |\n"));
        assert!(m.contains("| x\\|y | 5 |"), "{m}");
        assert!(m.contains("| **subtotal** | **1,005** |"));
        assert!(m.ends_with("| **total** | **1,007** |\n"), "{m}");
        assert_eq!(
            md_cell("[a](javascript:x) *b*\n#c"),
            "\\[a\\](javascript:x) \\*b\\* \\#c"
        );
    }
}
