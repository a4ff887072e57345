//! Strict reading of CSV files (issue 10, item 5): before any row is read, the whole file is
//! decoded and scanned, and anything that would make rows disappear, merge or shift refuses the
//! file with its place (`file:line:column`, the column being the cell's position in its row):
//! bytes that are neither UTF-8 nor CP932, control characters (NUL…), a quote that is never
//! closed or is followed by more text, a line over [`MAX_LINE_BYTES`]; then, per row, a
//! duplicated or unknown header, and cells beyond the header.

use crate::domain::Text;
use crate::domain::import_report::RowError;

/// Longest physical line accepted, in bytes (1 MiB: a row with every text field at its limit
/// fits several times over).
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Line (1-based) and cell (1-based) of byte `offset` of a CSV text: lines count every `\n`,
/// cells every `,` outside quotes. Works on CP932 bytes too (its trail bytes never equal `,`,
/// `"` or `\n`).
pub fn position(bytes: &[u8], offset: usize) -> (u64, u32) {
    let (mut line, mut cell, mut quoted) = (1u64, 1u32, false);
    let mut at_start = true;
    for &b in &bytes[..offset.min(bytes.len())] {
        match b {
            b'"' if quoted => quoted = false,
            b'"' if at_start => quoted = true,
            b',' if !quoted => {
                cell += 1;
                at_start = true;
                continue;
            }
            b'\n' => {
                line += 1;
                if !quoted {
                    cell = 1;
                    at_start = true;
                    continue;
                }
            }
            _ => {}
        }
        at_start = false;
    }
    (line, cell)
}

fn err(file: &str, line: u64, col: u32, message: Text) -> RowError {
    RowError {
        file: file.to_string(),
        line,
        col,
        column: String::new(),
        value: String::new(),
        message,
    }
}

/// Decodes a file that is UTF-8 (with or without BOM) or CP932.
///
/// Errors: the place of the first byte that neither encoding can read (the encoding that read
/// further is named as the file's likely one).
pub fn decode(file: &str, bytes: &[u8]) -> Result<String, Box<RowError>> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let utf8_bad = match std::str::from_utf8(body) {
        Ok(s) => return Ok(s.to_string()),
        Err(e) => e.valid_up_to(),
    };
    let mut dec = encoding_rs::SHIFT_JIS.new_decoder_without_bom_handling();
    let cap = dec
        .max_utf8_buffer_length_without_replacement(body.len())
        .unwrap_or(body.len() * 3);
    let mut out = String::with_capacity(cap);
    let (res, read) = dec.decode_to_string_without_replacement(body, &mut out, true);
    let sjis_bad = match res {
        encoding_rs::DecoderResult::InputEmpty => return Ok(out),
        encoding_rs::DecoderResult::Malformed(bad, after) => {
            read.saturating_sub(bad as usize + after as usize)
        }
        encoding_rs::DecoderResult::OutputFull => read,
    };
    let (at, likely) = if utf8_bad >= sjis_bad {
        (utf8_bad, "UTF-8")
    } else {
        (sjis_bad, "CP932")
    };
    let (line, col) = position(body, at);
    let byte = body.get(at).copied().unwrap_or(0);
    Err(undecodable(file, line, col, byte, likely))
}

/// The refusal of a file whose `byte` at `line`, cell `col` neither UTF-8 nor CP932 reads
/// (`likely`: the encoding that read further).
pub fn undecodable(file: &str, line: u64, col: u32, byte: u8, likely: &str) -> Box<RowError> {
    Box::new(err(
        file,
        line,
        col,
        Text::new(
            format!(
                "この位置のバイト 0x{byte:02X} は UTF-8 としても CP932 としても読めません(ここまでは {likely} として読めました)。壊れた文字を直すか、CSV UTF-8 で保存し直してください"
            ),
            format!(
                "the byte 0x{byte:02X} here is neither UTF-8 nor CP932 (the file reads as {likely} up to here); fix the damaged character or save the file as CSV UTF-8"
            ),
        ),
    ))
}

/// Why a character may not appear in a CSV file: control characters (C0 other than TAB, CR and
/// LF; DEL; C1) are not text, and NUL usually means a binary or damaged file.
fn forbidden(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\r' | '\n')
}

/// Scans a decoded CSV text for what would silently lose or merge rows. Returns every problem
/// found (at most one per kind of problem per line, and at most 50 in all).
pub fn scan(file: &str, text: &str) -> Vec<RowError> {
    let mut s = Scanner::new(file);
    s.feed(text);
    s.finish()
}

/// [`scan`] over a text that arrives in pieces (a file read a block at a time, so memory does
/// not grow with it): [`Scanner::feed`] each piece in order, then [`Scanner::finish`].
pub struct Scanner {
    file: String,
    out: Vec<RowError>,
    line: u64,
    cell: u32,
    /// Byte offset (in the text) of the current line's start, and of the next character.
    line_start: usize,
    pos: usize,
    quoted: bool,
    /// A `"` inside quotes whose meaning (`""` or the closing quote) the next character says.
    quote_pending: bool,
    opened: (u64, u32),
    at_start: bool,
    after_close: bool,
    reported_line: u64,
    /// The cell in which the current line passed MAX_LINE_BYTES, if it did.
    crossed: Option<u32>,
}

impl Scanner {
    /// A scanner of the text of `file` (named in its messages).
    pub fn new(file: &str) -> Scanner {
        Scanner {
            file: file.to_string(),
            out: Vec::new(),
            line: 1,
            cell: 1,
            line_start: 0,
            pos: 0,
            quoted: false,
            quote_pending: false,
            opened: (0, 0),
            at_start: true,
            after_close: false,
            reported_line: 0,
            crossed: None,
        }
    }

    /// Scans the next piece of the text.
    pub fn feed(&mut self, text: &str) {
        for c in text.chars() {
            if self.out.len() >= 50 {
                return;
            }
            let i = self.pos;
            self.pos += c.len_utf8();
            if self.quote_pending {
                self.quote_pending = false;
                if c == '"' {
                    continue; // `""`: a quote inside the cell
                }
                self.quoted = false;
                self.after_close = true;
            }
            self.char(i, c);
        }
    }

    fn char(&mut self, i: usize, c: char) {
        if self.crossed.is_none() && i - self.line_start > MAX_LINE_BYTES {
            self.crossed = Some(self.cell);
        }
        if forbidden(c) && self.reported_line != self.line {
            self.reported_line = self.line;
            let name = if c == '\0' {
                "NUL".to_string()
            } else {
                format!("U+{:04X}", c as u32)
            };
            self.out.push(err(
                &self.file,
                self.line,
                self.cell,
                Text::new(
                    format!(
                        "制御文字 {name} は文字として読めません。削除してください(バイナリや壊れたファイルではありませんか)"
                    ),
                    format!(
                        "the control character {name} is not text; remove it (is this a binary or damaged file?)"
                    ),
                ),
            ));
        }
        if self.after_close {
            self.after_close = false;
            if !matches!(c, ',' | '\r' | '\n') {
                let (l, k) = self.opened;
                self.out.push(err(
                    &self.file,
                    self.line,
                    self.cell,
                    Text::new(
                        format!(
                            "閉じた引用符 \" の後に文字が続いています。{l}行目{k}列で開いた引用符が、間の行を一つのセルにしています。セル内の \" は \"\" と書いてください"
                        ),
                        format!(
                            "text follows a closing quote; the quote opened at line {l}, column {k} makes the lines between one cell. Write a quote inside a cell as \"\""
                        ),
                    ),
                ));
            }
        }
        match c {
            '"' if self.quoted => {
                self.quote_pending = true;
                return;
            }
            '"' if self.at_start => {
                self.quoted = true;
                self.opened = (self.line, self.cell);
            }
            ',' if !self.quoted => {
                self.cell += 1;
                self.at_start = true;
                return;
            }
            '\n' => {
                if let Some(at) = self.crossed.take() {
                    self.out
                        .push(long_line(&self.file, self.line, at, i - self.line_start));
                }
                self.line += 1;
                self.line_start = i + 1;
                if !self.quoted {
                    self.cell = 1;
                    self.at_start = true;
                    return;
                }
            }
            _ => {}
        }
        self.at_start = false;
    }

    /// Every problem found (see [`scan`]).
    pub fn finish(mut self) -> Vec<RowError> {
        if self.quote_pending {
            self.quoted = false; // the closing quote was the text's last character
        }
        if let Some(at) = self.crossed {
            self.out.push(long_line(
                &self.file,
                self.line,
                at,
                self.pos - self.line_start,
            ));
        }
        if self.quoted {
            self.out.push(err(
                &self.file,
                self.opened.0,
                self.opened.1,
                Text::new(
                    "ここで開いた引用符 \" が最後まで閉じられていません。この後の行がすべて一つのセルになってしまいます。引用符を閉じてください(セル内の \" は \"\")",
                    "a quote opened here is never closed, so every line after it would be one cell; close it (write a quote inside a cell as \"\")",
                ),
            ));
        }
        self.out
    }
}

fn long_line(file: &str, line: u64, cell: u32, len: usize) -> RowError {
    let (n, lim) = (
        crate::domain::money::group_digits(len as i64),
        crate::domain::money::group_digits(MAX_LINE_BYTES as i64),
    );
    err(
        file,
        line,
        cell,
        Text::new(
            format!(
                "この行は {n} バイトで、1行の上限 {lim} バイト(1 MiB)をこのセルで超えています。長い文章は上限(64 KiB など)の内に分けてください"
            ),
            format!(
                "this line is {n} bytes and passes the limit of {lim} bytes (1 MiB) for one line in this cell; split long text within its field's limit (e.g. 64 KiB)"
            ),
        ),
    )
}

/// Checks a header row: every name known for the record type (`known`), none twice. Empty
/// names are allowed (Excel's trailing columns) as long as their cells are empty, which
/// [`check_cells`] sees.
pub fn check_header(file: &str, headers: &[String], known: &[&str]) -> Vec<RowError> {
    let mut out = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        if h.is_empty() {
            continue;
        }
        if let Some(j) = headers[..i].iter().position(|p| p == h) {
            out.push(err(
                file,
                1,
                i as u32 + 1,
                Text::new(
                    format!(
                        "列名「{h}」が {}列目と{}列目の二度あります。どちらの値を使うか決められないので、一つにしてください",
                        j + 1,
                        i + 1
                    ),
                    format!(
                        "the column '{h}' appears twice (columns {} and {}); which value to use is ambiguous: keep one",
                        j + 1,
                        i + 1
                    ),
                ),
            ));
        } else if !known.contains(&h.as_str()) {
            out.push(err(
                file,
                1,
                i as u32 + 1,
                Text::new(
                    format!(
                        "列名「{h}」はこの種類の列ではありません(値が取り込まれずに失われます)。使える列: {}",
                        known.join(", ")
                    ),
                    format!(
                        "unknown column '{h}' (its values would be lost); the columns are: {}",
                        known.join(", ")
                    ),
                ),
            ));
        }
    }
    out
}

/// Checks one row's cells against the header: a non-empty cell beyond the header, or under an
/// unnamed header column, would be lost.
pub fn check_cells(
    file: &str,
    line: u64,
    headers: &[String],
    rec: &csv::StringRecord,
) -> Option<RowError> {
    rec.iter().enumerate().find_map(|(i, v)| {
        let named = headers.get(i).is_some_and(|h| !h.is_empty());
        (!named && !v.trim().is_empty()).then(|| {
            err(
                file,
                line,
                i as u32 + 1,
                Text::new(
                    format!(
                        "{}列目に値がありますが、見出しのない列です(値が失われます)。見出しを付けるか値を消してください",
                        i + 1
                    ),
                    format!(
                        "cell {} has a value but no column header (it would be lost); add the header or remove the value",
                        i + 1
                    ),
                ),
            )
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_cells_outside_quotes() {
        let s = b"a,b,c\n\"x,\ny\",2,3\n";
        assert_eq!(position(s, 0), (1, 1));
        assert_eq!(position(s, 4), (1, 3));
        // Inside the quoted cell spanning lines 2-3, the comma does not start a cell.
        let after = s.iter().position(|b| *b == b'2').unwrap();
        assert_eq!(position(s, after), (3, 2));
    }

    #[test]
    fn scan_finds_unbalanced_quotes_nul_and_text_after_a_quote() {
        let e = scan("x.csv", "a,b\n\"open,1\n2,3\n");
        assert_eq!(e.len(), 1);
        assert_eq!((e[0].line, e[0].col), (2, 1));
        let e = scan("x.csv", "a,b\n\"x,1\ny,2\n\"z\",3\n");
        assert!(
            e.iter()
                .any(|e| e.line == 4 && e.message.en.contains("line 2, column 1")),
            "{e:?}"
        );
        let e = scan("x.csv", "a,b\n1,x\u{0}y\n");
        assert_eq!((e[0].line, e[0].col), (2, 2));
        assert!(e[0].message.en.contains("NUL"));
        assert!(scan("x.csv", "a,b\n\"multi\nline\",\"q\"\"q\"\n").is_empty());
    }

    proptest::proptest! {
        /// Fed in pieces split anywhere (on characters), the scanner finds what one pass over
        /// the whole text finds: quotes across pieces, `""` split in two, NULs, long lines.
        #[test]
        fn a_scan_in_pieces_finds_what_one_scan_finds(
            cells in proptest::collection::vec("[a,\"\n\r\u{0}あ]{0,6}", 0..40),
            cuts in proptest::collection::vec(0usize..200, 0..8),
        ) {
            let text: String = cells.concat();
            let whole = scan("x.csv", &text);
            let chars: Vec<char> = text.chars().collect();
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(chars.len())).collect();
            cuts.sort();
            let mut s = Scanner::new("x.csv");
            let mut from = 0;
            for c in cuts.into_iter().chain([chars.len()]) {
                s.feed(&chars[from..c].iter().collect::<String>());
                from = c;
            }
            let pieces = s.finish();
            let key = |v: &[RowError]| -> Vec<(u64, u32, String)> {
                v.iter().map(|e| (e.line, e.col, e.message.en.clone())).collect()
            };
            proptest::prop_assert_eq!(key(&whole), key(&pieces));
        }
    }

    #[test]
    fn a_scan_still_finds_a_long_line_and_an_unclosed_quote_at_the_end() {
        let long = format!("a,b\n1,{}\n", "x".repeat(MAX_LINE_BYTES + 10));
        let e = scan("x.csv", &long);
        assert_eq!((e.len(), e[0].line, e[0].col), (1, 2, 2), "{e:?}");
        let e = scan("x.csv", "a,b\n\"x\"\"");
        assert_eq!((e.len(), e[0].line), (1, 2), "{e:?}");
        assert!(scan("x.csv", "a,b\n\"x\"\"\"").is_empty());
    }

    #[test]
    fn decode_names_the_place_of_bad_bytes() {
        let mut b = "a,b\n一関,2\n".as_bytes().to_vec();
        b.extend_from_slice(b"3,\xff\xfe\n");
        let e = decode("x.csv", &b).unwrap_err();
        assert_eq!((e.line, e.col), (3, 2), "{e:?}");
        assert!(
            e.message.en.contains("UTF-8 up to here"),
            "{}",
            e.message.en
        );
        let sjis = encoding_rs::SHIFT_JIS
            .encode("a,b\n一関,2\n")
            .0
            .into_owned();
        assert_eq!(decode("x.csv", &sjis).unwrap(), "a,b\n一関,2\n");
    }
}
