//! A CSV file's text read a block at a time (issue 20), so that importing a file of any size
//! holds a block of it, not all of it: which encoding it is in ([`detect`]: UTF-8 with or
//! without BOM, else CP932) together with its structural scan ([`scan`]), its text as UTF-8
//! ([`Decoded`]), and its text in whole characters ([`text_blocks`]).

use crate::domain::Text;
use crate::domain::import_report::RowError;
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;

/// Bytes read at a time.
const BLOCK: usize = 1 << 16;

/// The UTF-8 byte order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Where a file's bytes are: in memory (sent to the server, the demo, tests) or on disk.
pub enum Input {
    /// The whole file, in memory.
    Bytes(Vec<u8>),
    /// A file read from disk a block at a time.
    File(PathBuf),
}

impl Input {
    /// A reader from the file's first byte.
    ///
    /// Errors: the file cannot be opened.
    pub fn open(&self) -> std::io::Result<Box<dyn Read + '_>> {
        Ok(match self {
            Input::Bytes(b) => Box::new(b.as_slice()),
            Input::File(p) => Box::new(std::fs::File::open(p)?),
        })
    }

    /// Its size in bytes (0 when a file cannot be read; opening it then says why).
    pub fn len(&self) -> u64 {
        match self {
            Input::Bytes(b) => b.len() as u64,
            Input::File(p) => std::fs::metadata(p).map_or(0, |m| m.len()),
        }
    }

    /// Whether it holds no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The text encodings a CSV file may be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, with or without BOM.
    Utf8,
    /// CP932 (Shift_JIS as Windows writes it; Excel's "CSV").
    Cp932,
}

/// The refusal of a file that cannot be read, at `file`:0.
pub(crate) fn io_error(file: &str, e: std::io::Error) -> Box<RowError> {
    Box::new(RowError {
        file: file.to_string(),
        line: 0,
        col: 0,
        column: String::new(),
        value: String::new(),
        message: Text::new(
            format!("ファイルが読めません: {e}"),
            format!("cannot read the file: {e}"),
        ),
    })
}

/// Calls `f` with each block of `r` (after a BOM, when `skip_bom`) and the offset of its first
/// byte.
fn blocks(
    r: &mut dyn Read,
    skip_bom: bool,
    mut f: impl FnMut(u64, &[u8]) -> bool,
) -> std::io::Result<()> {
    let mut r = BufReader::with_capacity(BLOCK, r);
    if skip_bom && r.fill_buf()?.starts_with(BOM) {
        r.consume(BOM.len());
    }
    let mut at = 0u64;
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        let n = buf.len();
        if !f(at, buf) {
            return Ok(());
        }
        at += n as u64;
        r.consume(n);
    }
}

/// Offset (after the BOM) of the first byte that is not UTF-8, if any.
fn utf8_bad(input: &Input) -> std::io::Result<Option<u64>> {
    let mut carry: Vec<u8> = Vec::new();
    let mut bad = None;
    let mut end = 0u64;
    blocks(&mut input.open()?, true, |at, buf| {
        let start = at - carry.len() as u64;
        carry.extend_from_slice(buf);
        end = at + buf.len() as u64;
        match std::str::from_utf8(&carry) {
            Ok(_) => carry.clear(),
            Err(e) if e.error_len().is_none() => {
                carry.drain(..e.valid_up_to());
            }
            Err(e) => {
                bad = Some(start + e.valid_up_to() as u64);
                return false;
            }
        }
        true
    })?;
    Ok(bad.or((!carry.is_empty()).then(|| end - carry.len() as u64)))
}

/// Offset of the first byte that is not CP932, if any.
fn cp932_bad(input: &Input) -> std::io::Result<Option<u64>> {
    let mut dec = encoding_rs::SHIFT_JIS.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(BLOCK * 3 + 16);
    let mut bad = None;
    blocks(&mut input.open()?, true, |at, buf| {
        let mut src = buf;
        let mut base = at;
        loop {
            out.clear();
            let (res, read) = dec.decode_to_string_without_replacement(src, &mut out, false);
            match res {
                encoding_rs::DecoderResult::InputEmpty => return true,
                encoding_rs::DecoderResult::OutputFull => {
                    src = &src[read..];
                    base += read as u64;
                }
                encoding_rs::DecoderResult::Malformed(b, after) => {
                    bad = Some(base + read.saturating_sub(b as usize + after as usize) as u64);
                    return false;
                }
            }
        }
    })?;
    if bad.is_none() {
        out.clear();
        if let (encoding_rs::DecoderResult::Malformed(..), _) =
            dec.decode_to_string_without_replacement(b"", &mut out, true)
        {
            bad = Some(input.len().saturating_sub(1));
        }
    }
    Ok(bad)
}

/// Line and cell of byte `offset` (after the BOM), read from the input up to there (see
/// [`super::csv_in::position`]).
fn position_of(input: &Input, offset: u64) -> std::io::Result<((u64, u32), u8)> {
    let mut head = Vec::new();
    let mut r = BufReader::new(input.open()?);
    if r.fill_buf()?.starts_with(BOM) {
        r.consume(BOM.len());
    }
    r.take(offset + 1).read_to_end(&mut head)?;
    let byte = head.get(offset as usize).copied().unwrap_or(0);
    Ok((super::csv_in::position(&head, offset as usize), byte))
}

/// The encoding of a file's text: UTF-8 when all of it reads as UTF-8 (a BOM is skipped), else
/// CP932 when all of it reads so. Reads the file once or twice, a block at a time.
///
/// Errors: the place (line, cell) of the first byte neither encoding reads, naming the one
/// that read further as the likely one; a file that cannot be read.
pub fn detect(file: &str, input: &Input) -> Result<Encoding, Box<RowError>> {
    let io = |e| io_error(file, e);
    let Some(u) = utf8_bad(input).map_err(io)? else {
        return Ok(Encoding::Utf8);
    };
    let Some(s) = cp932_bad(input).map_err(io)? else {
        return Ok(Encoding::Cp932);
    };
    let (at, likely) = if u >= s { (u, "UTF-8") } else { (s, "CP932") };
    let ((line, col), byte) = position_of(input, at).map_err(io)?;
    Err(super::csv_in::undecodable(file, line, col, byte, likely))
}

/// A file's encoding and what its structural scan found ([`super::csv_in::Scanner`]), in
/// one pass for a UTF-8 file (the scan reads it as UTF-8 and so checks that it is), in the
/// passes of [`detect`] and a scan of the decoded text otherwise.
///
/// Errors: as [`detect`].
pub fn scan(file: &str, input: &Input) -> Result<(Encoding, Vec<RowError>), Box<RowError>> {
    let io = |e| io_error(file, e);
    let scan_as = |enc| -> std::io::Result<Vec<RowError>> {
        let mut scanner = super::csv_in::Scanner::new(file);
        let mut text = Decoded::new(input.open()?, enc)?;
        text_blocks(&mut text, |t| scanner.feed(t))?;
        Ok(scanner.finish())
    };
    match scan_as(Encoding::Utf8) {
        Ok(found) => Ok((Encoding::Utf8, found)),
        Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
            let enc = detect(file, input)?;
            Ok((enc, scan_as(enc).map_err(io)?))
        }
        Err(e) => Err(io(e)),
    }
}

/// A file's text as UTF-8 bytes, decoded a block at a time (a BOM is dropped).
pub struct Decoded<'a> {
    inner: BufReader<Box<dyn Read + 'a>>,
    /// The CP932 decoder and the decoded block not yet read; `None` for UTF-8.
    cp932: Option<(encoding_rs::Decoder, String, usize)>,
    done: bool,
}

impl<'a> Decoded<'a> {
    /// Reads `inner` as text in `enc`.
    ///
    /// Errors: the first read's.
    pub fn new(inner: Box<dyn Read + 'a>, enc: Encoding) -> std::io::Result<Decoded<'a>> {
        let mut inner = BufReader::with_capacity(BLOCK, inner);
        if inner.fill_buf()?.starts_with(BOM) {
            inner.consume(BOM.len());
        }
        let cp932 = (enc == Encoding::Cp932).then(|| {
            (
                encoding_rs::SHIFT_JIS.new_decoder_without_bom_handling(),
                String::with_capacity(BLOCK * 3 + 16),
                0,
            )
        });
        Ok(Decoded {
            inner,
            cp932,
            done: false,
        })
    }
}

impl Read for Decoded<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let Some((dec, out, pos)) = self.cp932.as_mut() else {
            return self.inner.read(buf);
        };
        loop {
            if *pos < out.len() {
                let n = buf.len().min(out.len() - *pos);
                buf[..n].copy_from_slice(&out.as_bytes()[*pos..*pos + n]);
                *pos += n;
                return Ok(n);
            }
            if self.done {
                return Ok(0);
            }
            out.clear();
            *pos = 0;
            let src = self.inner.fill_buf()?;
            let last = src.is_empty();
            let (_, read, _) = dec.decode_to_string(src, out, last);
            self.inner.consume(read);
            self.done = last;
        }
    }
}

/// Calls `f` with the text of `r` (UTF-8) in pieces that end on whole characters.
///
/// Errors: a read error, or bytes that are not UTF-8 (`InvalidData`).
pub fn text_blocks(r: &mut dyn Read, mut f: impl FnMut(&str)) -> std::io::Result<()> {
    let mut carry: Vec<u8> = Vec::new();
    let mut failed = None;
    blocks(r, false, |_, buf| {
        carry.extend_from_slice(buf);
        let upto = match std::str::from_utf8(&carry) {
            Ok(_) => carry.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(e) => {
                failed = Some(e);
                return false;
            }
        };
        if let Ok(s) = std::str::from_utf8(&carry[..upto]) {
            f(s);
        }
        carry.drain(..upto);
        true
    })?;
    match failed {
        Some(e) => Err(std::io::Error::new(std::io::ErrorKind::InvalidData, e)),
        None if !carry.is_empty() => Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "the text ends inside a character",
        )),
        None => Ok(()),
    }
}
