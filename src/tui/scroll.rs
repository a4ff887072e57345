//! Output that costs what changed (issue 12): a [`Backend`] between ratatui and the terminal
//! that keeps the screen it last sent. When a frame differs from it by a band of rows shifted
//! up or down (a list scrolled by a row or a few), it moves that band with the terminal's own
//! scrolling region (DECSTBM `CSI t;b r`, then `CSI n S` or `CSI n T`, then `CSI r`) and writes
//! only the cells that still differ: ncurses's scroll optimisation, for every pane without it
//! knowing. A frame that changes nothing, cursor included, writes nothing at all. Output is
//! wrapped in synchronized update (DEC mode 2026) only when there is some.
//!
//! `TERM=dumb` (or `KYODO_SCROLL=off`) keeps to the plain cell diff.

use super::cells_out::write_cells;
use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Position, Rect, Size};
use std::io::Write;

/// The backend (see the module comment), over a crossterm backend writing to `W`.
pub struct ScrollBackend<W: Write> {
    out: W,
    /// What the terminal shows.
    shown: Buffer,
    /// A hash of each row of `shown`.
    hashes: Vec<u64>,
    /// Cells ratatui sent for the frame being made.
    pending: Vec<(u16, u16, Cell)>,
    /// Whether to use scrolling regions.
    scroll: bool,
    /// The cursor the frame wants: visible, and where.
    want_visible: bool,
    want_at: Option<Position>,
    /// The cursor as the terminal has it (`None`: not known, e.g. after writing cells).
    is_visible: Option<bool>,
    is_at: Option<Position>,
    /// A size ratatui's Terminal is told in tests, instead of the real terminal's.
    fixed: Option<Size>,
}

/// Whether scrolling regions may be used on this terminal: not on `TERM=dumb`, and not when
/// `KYODO_SCROLL=off`.
pub fn scroll_allowed() -> bool {
    let term = std::env::var("TERM").unwrap_or_default();
    let off = std::env::var("KYODO_SCROLL").is_ok_and(|v| v == "off" || v == "0");
    !(term == "dumb" || term.is_empty() || off)
}

impl<W: Write> ScrollBackend<W> {
    /// A backend writing to `out`, whose screen (of `size`) is taken to be blank, as after the
    /// alternate screen is entered and cleared. `scroll`: whether to use scrolling regions.
    pub fn new(out: W, size: Size, scroll: bool) -> ScrollBackend<W> {
        ScrollBackend {
            out,
            shown: Buffer::empty(Rect::new(0, 0, size.width, size.height)),
            hashes: Vec::new(),
            pending: Vec::new(),
            scroll,
            want_visible: false,
            want_at: None,
            is_visible: None,
            is_at: None,
            fixed: None,
        }
    }

    /// Reports `size` as the terminal's size (tests, which have no terminal).
    pub fn with_fixed_size(mut self, size: Size) -> ScrollBackend<W> {
        self.fixed = Some(size);
        self
    }

    /// Changes the size reported in tests (as a terminal's resize would).
    pub fn set_fixed_size(&mut self, size: Size) {
        self.fixed = Some(size);
    }

    /// The writer, mutably (tests take what was written).
    pub fn writer_mut(&mut self) -> &mut W {
        &mut self.out
    }

    /// Forgets what the terminal shows (after a resize, or anything else that may have
    /// changed it): the next frame is drawn whole.
    fn reset(&mut self, size: Size) {
        self.shown = Buffer::empty(Rect::new(0, 0, size.width, size.height));
        self.hashes.clear();
        self.is_at = None;
        self.is_visible = None;
    }
}

/// A row's cells, for comparing rows.
fn row(buf: &Buffer, y: u16) -> &[Cell] {
    let w = buf.area.width as usize;
    let start = y as usize * w;
    &buf.content[start..start + w]
}

/// A fast, non-cryptographic hasher (rustc's "Fx"): rows are hashed every frame, only to find
/// candidates, which are then compared cell by cell.
struct Fx(u64);

impl std::hash::Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }
}

/// A hash of row `y` of `b` (only to find candidate rows; they are then compared cell by cell).
fn row_hash(b: &Buffer, y: u16) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut s = Fx(0);
    for c in row(b, y) {
        (c.symbol(), c.fg, c.bg, c.modifier).hash(&mut s);
    }
    s.finish()
}

/// Cells of the new row `a` equal to the old row `b`.
fn alike(new: &Buffer, a: i32, old: &Buffer, b: i32) -> usize {
    row(new, a as u16)
        .iter()
        .zip(row(old, b as u16))
        .filter(|(x, y)| x == y)
        .count()
}

/// The best band of rows that moved: `(top, bottom, shift)` in the new frame's rows, where the
/// new row `r` is (nearly) the old row `r + shift` for every `r` in `top..bottom` (shift > 0:
/// the content moved up; < 0: down). A band is found by rows that moved exactly, then widened
/// by up to two rows at each end that moved with a small change (a selection marker, a count),
/// and taken when it saves more cells than a repaint of `shift` rows costs.
fn find_shift(old: &Buffer, ho: &[u64], new: &Buffer, hn: &[u64]) -> Option<(u16, u16, i32)> {
    let h = old.area.height as i32;
    let w = old.area.width as usize;
    if h != new.area.height as i32
        || old.area.width != new.area.width
        || h < 3
        || ho.len() != h as usize
        || hn.len() != h as usize
    {
        return None;
    }
    // Fewer than three changed rows cannot hold a band worth moving (a cursor step).
    if (0..h as usize).filter(|y| hn[*y] != ho[*y]).count() < 3 {
        return None;
    }
    // Cells already right in each row.
    let in_place: Vec<usize> = (0..h)
        .map(|y| {
            if hn[y as usize] == ho[y as usize] {
                w
            } else {
                alike(new, y, old, y)
            }
        })
        .collect();
    // (top, bottom, shift, cells saved)
    let mut best: Option<(i32, i32, i32, usize)> = None;
    // A jump of more than half the screen is a page: repainting it is as cheap.
    for k in 1..=h / 2 {
        for shift in [k, -k] {
            let exact = |r: i32| {
                let src = r + shift;
                (0..h).contains(&src)
                    && hn[r as usize] == ho[src as usize]
                    && hn[r as usize] != ho[r as usize]
            };
            let near = |x: i32| {
                let src = x + shift;
                if !(0..h).contains(&x) || !(0..h).contains(&src) {
                    return None;
                }
                let a = alike(new, x, old, src);
                (a * 4 >= w * 3 && a > in_place[x as usize]).then_some(a)
            };
            let mut r = 0;
            while r < h {
                if !exact(r) {
                    r += 1;
                    continue;
                }
                let (mut top, mut bottom) = (r, r);
                let mut saved = 0usize;
                while bottom < h && exact(bottom) {
                    saved += w - in_place[bottom as usize];
                    bottom += 1;
                }
                r = bottom;
                // Widen by rows that moved with a small change.
                for _ in 0..2 {
                    if let Some(a) = near(top - 1) {
                        top -= 1;
                        saved += a - in_place[top as usize];
                    }
                    if let Some(a) = near(bottom) {
                        saved += a - in_place[bottom as usize];
                        bottom += 1;
                    }
                }
                if bottom - top >= 2 && saved > w * k as usize && best.is_none_or(|b| saved > b.3) {
                    best = Some((top, bottom, shift, saved));
                }
            }
        }
    }
    best.map(|(t, b, s, _)| (t as u16, b as u16, s))
}

/// Moves the rows of `buf` as the terminal does for a scroll of `shift` rows within the region
/// `top..bottom` (0-based, bottom exclusive): rows scrolled in are blank.
fn scroll_buffer(buf: &mut Buffer, top: u16, bottom: u16, shift: i32) {
    let w = buf.area.width as usize;
    let (top, bottom) = (top as usize, bottom as usize);
    let n = shift.unsigned_abs() as usize;
    let rows = &mut buf.content[top * w..bottom * w];
    if shift > 0 {
        rows.rotate_left(n * w);
        let len = rows.len();
        rows[len - n * w..].fill(Cell::default());
    } else {
        rows.rotate_right(n * w);
        rows[..n * w].fill(Cell::default());
    }
}

impl<W: Write> ScrollBackend<W> {
    /// Writes the frame: the band scroll, the cells that differ, the cursor; all inside one
    /// synchronized update, or nothing when nothing differs.
    fn present(&mut self) -> std::io::Result<()> {
        // The frame as ratatui holds it: its changes applied to what is shown. Under a wide
        // character ratatui's buffer holds blank cells it does not send; they are blanked here
        // too, so both diffs agree on what the terminal shows.
        let mut next = self.shown.clone();
        let sent = std::mem::take(&mut self.pending);
        for (x, y, c) in &sent {
            let (x, y) = (*x, *y);
            let wide = unicode_width::UnicodeWidthStr::width(c.symbol()).max(1) as u16;
            if let Some(cell) = next.cell_mut((x, y)) {
                *cell = c.clone();
            }
            for i in 1..wide {
                if let Some(cell) = next.cell_mut((x + i, y)) {
                    *cell = Cell::default();
                }
            }
        }
        let mut out: Vec<u8> = Vec::new();
        let mut drew = false;
        // A band worth moving needs at least three changed rows (a cursor step changes two).
        let mut rows: Vec<u16> = sent.iter().map(|(_, y, _)| *y).collect();
        rows.dedup();
        let height = next.area.height;
        if self.hashes.len() != height as usize {
            self.hashes = (0..height).map(|y| row_hash(&self.shown, y)).collect();
        }
        // Rows ratatui did not touch keep their hash.
        let mut next_hashes = self.hashes.clone();
        for y in &rows {
            if let Some(h) = next_hashes.get_mut(*y as usize) {
                *h = row_hash(&next, *y);
            }
        }
        if self.scroll
            && rows.len() >= 3
            && let Some((top, bottom, shift)) =
                find_shift(&self.shown, &self.hashes, &next, &next_hashes)
        {
            // The region covers the band and where it came from.
            let (rt, rb) = if shift > 0 {
                (top, bottom + shift as u16)
            } else {
                (top - shift.unsigned_abs() as u16, bottom)
            };
            // Every frame ends with the attributes reset (`write_cells`), so the lines scrolled
            // in are blank in the default colours.
            write!(out, "\x1b[{};{}r", rt + 1, rb)?;
            if shift > 0 {
                write!(out, "\x1b[{shift}S")?;
            } else {
                write!(out, "\x1b[{}T", shift.unsigned_abs())?;
            }
            write!(out, "\x1b[r")?;
            scroll_buffer(&mut self.shown, rt, rb, shift);
            // DECSTBM puts the cursor home.
            self.is_at = None;
            drew = true;
        }
        // Without a scroll, what differs is what ratatui sent; after one, it is diffed again.
        let diff: Vec<(u16, u16, &Cell)> = if drew {
            self.shown.diff(&next)
        } else {
            sent.iter().map(|(x, y, c)| (*x, *y, c)).collect()
        };
        if !diff.is_empty() {
            write_cells(&mut out, &diff, &self.shown, &next)?;
            self.is_at = None;
            drew = true;
        }
        self.shown = next;
        self.hashes = next_hashes;
        if self.want_visible {
            if let Some(p) = self.want_at
                && self.is_at != Some(p)
            {
                crossterm::queue!(out, crossterm::cursor::MoveTo(p.x, p.y))?;
                self.is_at = Some(p);
            }
            if self.is_visible != Some(true) {
                crossterm::queue!(out, crossterm::cursor::Show)?;
                self.is_visible = Some(true);
            }
        } else if self.is_visible != Some(false) {
            crossterm::queue!(out, crossterm::cursor::Hide)?;
            self.is_visible = Some(false);
        }
        if out.is_empty() {
            return Ok(());
        }
        let w = &mut self.out;
        if drew {
            w.write_all(b"\x1b[?2026h")?;
            w.write_all(&out)?;
            w.write_all(b"\x1b[?2026l")?;
        } else {
            w.write_all(&out)?;
        }
        w.flush()
    }
}

impl<W: Write> Backend for ScrollBackend<W> {
    type Error = std::io::Error;

    fn draw<'a, I>(&mut self, content: I) -> std::io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.pending
            .extend(content.map(|(x, y, c)| (x, y, c.clone())));
        Ok(())
    }

    fn hide_cursor(&mut self) -> std::io::Result<()> {
        self.want_visible = false;
        Ok(())
    }

    fn show_cursor(&mut self) -> std::io::Result<()> {
        self.want_visible = true;
        Ok(())
    }

    fn get_cursor_position(&mut self) -> std::io::Result<Position> {
        Ok(self.want_at.unwrap_or_default())
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> std::io::Result<()> {
        self.want_at = Some(position.into());
        Ok(())
    }

    fn clear(&mut self) -> std::io::Result<()> {
        let size = self.size()?;
        self.pending.clear();
        self.reset(size);
        let mut c = CrosstermBackend::new(&mut self.out);
        c.clear()?;
        Backend::flush(&mut c)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> std::io::Result<()> {
        let size = self.size()?;
        self.reset(size);
        let mut c = CrosstermBackend::new(&mut self.out);
        c.clear_region(clear_type)?;
        Backend::flush(&mut c)
    }

    fn size(&self) -> std::io::Result<Size> {
        match self.fixed {
            Some(s) => Ok(s),
            None => {
                let (w, h) = crossterm::terminal::size()?;
                Ok(Size::new(w, h))
            }
        }
    }

    fn window_size(&mut self) -> std::io::Result<WindowSize> {
        let w = crossterm::terminal::window_size()?;
        Ok(WindowSize {
            columns_rows: Size::new(w.columns, w.rows),
            pixels: Size::new(w.width, w.height),
        })
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let size = self.size()?;
        if size.width != self.shown.area.width || size.height != self.shown.area.height {
            // ratatui clears the terminal on a resize and redraws everything.
            self.reset(size);
        }
        self.present()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(rows: &[&str]) -> Buffer {
        Buffer::with_lines(rows.iter().copied())
    }

    #[test]
    fn a_list_scrolled_by_one_is_one_band_moved_up() {
        let shift = |a: &Buffer, b: &Buffer| {
            let h = |x: &Buffer| {
                (0..x.area.height)
                    .map(|y| row_hash(x, y))
                    .collect::<Vec<_>>()
            };
            find_shift(a, &h(a), b, &h(b))
        };
        let old = lines(&["head", "alpha", "bravo", "charlie", "delta", "echo", "foot"]);
        let new = lines(&["head", "bravo", "charlie", "delta", "echo", "fox", "foot"]);
        assert_eq!(shift(&old, &new), Some((1, 5, 1)));
        let back = lines(&["head", "zulu", "alpha", "bravo", "charlie", "delta", "foot"]);
        assert_eq!(shift(&old, &back), Some((2, 6, -1)));
        assert_eq!(shift(&old, &old), None, "nothing moved");
        let mut b = old.clone();
        scroll_buffer(&mut b, 1, 6, 1);
        assert_eq!(
            b,
            lines(&["head", "bravo", "charlie", "delta", "echo", "", "foot"])
        );
    }
}
