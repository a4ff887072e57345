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
        self.markdown_at(1)
    }

    /// [`Doc::markdown`] as a section of a larger document: the title a heading of `level`
    /// (`##` for 2), the blocks one level below.
    pub fn markdown_at(&self, level: usize) -> String {
        let hashes = "#".repeat(level);
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
        let mut out = format!("{hashes} {}\n", md_cell(&self.title));
        for b in &self.blocks {
            out.push('\n');
            if let Some(h) = &b.heading {
                out += &format!("{hashes}# {}\n\n", md_cell(h));
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

impl Doc {
    /// The document as an HTML `<section>`: an `<h2>` title, an `<h3>` and a table per block
    /// (header row repeated on every printed page, subtotals and totals bold), notes as
    /// paragraphs. Every cell is escaped ([`html_escape`]).
    pub fn html(&self) -> String {
        let head: String = self
            .headers
            .iter()
            .enumerate()
            .map(|(i, h)| format!("<th{}>{}</th>", self.align(i), html_escape(h)))
            .collect();
        let row = |r: &[String], class: &str| {
            let cells: String = (0..self.headers.len())
                .map(|i| {
                    let c = r.get(i).map(String::as_str).unwrap_or("");
                    // A short term (a year, a status, a rating) is never broken over lines.
                    let class = match (self.is_right(i), c.chars().count() <= 6) {
                        (true, _) => " class=\"num\"",
                        (false, true) => " class=\"short\"",
                        (false, false) => "",
                    };
                    format!("<td{class}>{}</td>", html_escape(c))
                })
                .collect();
            format!("<tr{class}>{cells}</tr>\n")
        };
        let mut out = format!("<section>\n<h2>{}</h2>\n", html_escape(&self.title));
        for b in &self.blocks {
            if let Some(h) = &b.heading {
                out += &format!("<h3>{}</h3>\n", html_escape(h));
            }
            out += &format!("<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n");
            for r in &b.rows {
                out += &row(r, "");
            }
            if let Some(s) = &b.subtotal {
                out += &row(s, " class=\"sum\"");
            }
            out += "</tbody>\n</table>\n";
        }
        if let Some(t) = &self.total {
            out += &format!(
                "<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{}</tbody>\n</table>\n",
                row(t, " class=\"sum\"")
            );
        }
        for n in &self.notes {
            out += &format!("<p class=\"note\">{}</p>\n", html_escape(n));
        }
        out + "</section>\n"
    }

    fn align(&self, col: usize) -> &'static str {
        if self.is_right(col) {
            " class=\"num\""
        } else {
            ""
        }
    }
}

/// A whole printable HTML file: `title`, then `body` (sections from [`Doc::html`]); one file
/// with its own style — A4 portrait, the system's Japanese fonts, tables that repeat their
/// header on each page and never split a row. `lang` is `ja` or `en` (the page's language).
pub fn html_page(title: &str, subtitle: &str, body: &str, lang: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<header><h1>{t}</h1><p>{s}</p></header>\n{body}</body>\n</html>\n",
        t = html_escape(title),
        s = html_escape(subtitle),
    )
}

/// One document as a whole printable page ([`html_page`]).
pub fn page_of(doc: &Doc, lang: crate::i18n::Lang) -> String {
    let code = if lang == crate::i18n::Lang::Ja {
        "ja"
    } else {
        "en"
    };
    html_page(&doc.title, "", &doc.html(), code)
}

const STYLE: &str = "@page { size: A4; margin: 16mm 14mm; }
body { font-family: 'Noto Sans CJK JP', 'Noto Sans JP', 'Hiragino Sans', 'Yu Gothic', 'Meiryo', sans-serif; font-size: 10pt; line-height: 1.45; color: #000; margin: 0 auto; max-width: 182mm; }
h1 { font-size: 16pt; margin: 0 0 2mm; }
header p { margin: 0 0 6mm; color: #333; }
h2 { font-size: 13pt; border-bottom: 1.5pt solid #000; padding-bottom: 1mm; margin: 8mm 0 3mm; break-after: avoid; }
h3 { font-size: 11pt; margin: 5mm 0 2mm; break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 0 0 3mm; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 0.5pt solid #777; padding: 1mm 1.5mm; vertical-align: top; text-align: left; }
th { background: #eee; font-weight: bold; }
.num { text-align: right; white-space: nowrap; }
.short, th { white-space: nowrap; }
tr.sum td { font-weight: bold; background: #f6f6f6; }
p.note { font-size: 9pt; color: #333; }
section { break-inside: auto; }
";

/// `ja` or `en`, as `lang` says (a report's own headings).
pub(crate) fn h(lang: crate::i18n::Lang, ja: &str, en: &str) -> String {
    match lang {
        crate::i18n::Lang::Ja => ja.to_string(),
        crate::i18n::Lang::En => en.to_string(),
    }
}

/// Text for HTML: `& < > \" '` as entities, control characters neutralised.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in sanitize(s).chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
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
    fn html_has_a_table_per_block_escaped_and_a_page_of_its_own() {
        let mut d = doc();
        d.blocks[0].rows[1][0] = "<script>alert(1)</script>".into();
        let h = d.html();
        assert!(
            h.contains("<h3>A</h3>") && h.contains("<td class=\"num\">1,000</td>"),
            "{h}"
        );
        assert!(h.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !h.contains("<script>"));
        assert!(h.contains("<tr class=\"sum\"><td>subtotal</td>"));
        let page = html_page("T", "sub", &h, "ja");
        assert!(page.starts_with("<!DOCTYPE html>") && page.contains("size: A4"));
        assert!(!page.contains("http"), "self-contained: nothing fetched");
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
