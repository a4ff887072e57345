//! What kyodo writes is what it means (issue 12): every frame of a long scripted session —
//! scrolling by a row and by a page, down and up, in every list pane, with Japanese text, in
//! colour, across resizes — is written through the scroll-region backend into a vt100 parser,
//! and the parsed screen must equal ratatui's TestBackend buffer of the same frame, cell by
//! cell (character, reverse, bold, colours). A frame that changes nothing writes nothing.

mod common;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use kyodo::app::data::Loader;
use kyodo::app::{Action, AppState, Effect, Pane, update};
use kyodo::domain::FiscalYear;
use kyodo::i18n::Lang;
use kyodo::tui::scroll::ScrollBackend;
use kyodo::tui::{apply, keymap, theme::Theme, views};
use ratatui::backend::TestBackend;
use ratatui::layout::Size;
use ratatui::style::{Color, Modifier};
use ratatui::{Terminal, buffer::Buffer};

fn vt_color(c: Color) -> vt100::Color {
    match c {
        Color::Reset => vt100::Color::Default,
        Color::Black => vt100::Color::Idx(0),
        Color::Red => vt100::Color::Idx(1),
        Color::Green => vt100::Color::Idx(2),
        Color::Yellow => vt100::Color::Idx(3),
        Color::Blue => vt100::Color::Idx(4),
        Color::Magenta => vt100::Color::Idx(5),
        Color::Cyan => vt100::Color::Idx(6),
        Color::Gray => vt100::Color::Idx(7),
        Color::DarkGray => vt100::Color::Idx(8),
        Color::LightRed => vt100::Color::Idx(9),
        Color::LightGreen => vt100::Color::Idx(10),
        Color::LightYellow => vt100::Color::Idx(11),
        Color::LightBlue => vt100::Color::Idx(12),
        Color::LightMagenta => vt100::Color::Idx(13),
        Color::LightCyan => vt100::Color::Idx(14),
        Color::White => vt100::Color::Idx(15),
        Color::Indexed(i) => vt100::Color::Idx(i),
        Color::Rgb(r, g, b) => vt100::Color::Rgb(r, g, b),
    }
}

/// The first cell where the parsed terminal differs from the intended frame.
fn first_difference(screen: &vt100::Screen, want: &Buffer) -> Option<String> {
    for y in 0..want.area.height {
        for x in 0..want.area.width {
            let w = &want[(x, y)];
            let Some(got) = screen.cell(y, x) else {
                return Some(format!("({x},{y}) missing"));
            };
            if got.is_wide_continuation() {
                continue;
            }
            let sym = |s: &str| {
                if s.is_empty() {
                    " ".to_string()
                } else {
                    s.to_string()
                }
            };
            // What shows: the character, reverse video and background on every cell; the
            // foreground and bold where there is a character to show them.
            let blank = sym(w.symbol()) == " ";
            let same = sym(got.contents()) == sym(w.symbol())
                && got.inverse() == w.modifier.contains(Modifier::REVERSED)
                && got.bgcolor() == vt_color(w.bg)
                && (blank
                    || (got.bold() == w.modifier.contains(Modifier::BOLD)
                        && got.fgcolor() == vt_color(w.fg)));
            if !same {
                let row: String = (0..want.area.width)
                    .map(|cx| {
                        screen
                            .cell(y, cx)
                            .map(|c| c.contents().to_string())
                            .unwrap_or_default()
                    })
                    .collect();
                return Some(format!(
                    "({x},{y}): terminal {:?} inv={} fg={:?}, frame {:?} {:?} fg={:?}\nterminal row: {row}",
                    got.contents(),
                    got.inverse(),
                    got.fgcolor(),
                    w.symbol(),
                    w.modifier,
                    w.fg
                ));
            }
        }
    }
    None
}

struct Session<'s> {
    state: AppState,
    loader: Loader<'s>,
    term: Terminal<ScrollBackend<Vec<u8>>>,
    parser: vt100::Parser,
    theme: Theme,
    frames: usize,
    scrolled: usize,
}

impl<'s> Session<'s> {
    fn new(store: &'s kyodo::store::Store, size: (u16, u16)) -> Session<'s> {
        let fy = FiscalYear(2022);
        let mut state = AppState::new(Lang::Ja, fy, true, size);
        let mut loader = Loader::new(store);
        apply(
            &mut state,
            &mut loader,
            vec![Effect::Load(Pane::Dashboard, fy)],
        );
        let s = Size::new(size.0, size.1);
        let backend = ScrollBackend::new(Vec::new(), s, true).with_fixed_size(s);
        let mut me = Session {
            state,
            loader,
            term: Terminal::new(backend).unwrap(),
            parser: vt100::Parser::new(size.1, size.0, 0),
            theme: Theme { color: true },
            frames: 0,
            scrolled: 0,
        };
        me.frame("start");
        me
    }

    /// Draws the state through both backends and compares; returns the bytes written.
    fn frame(&mut self, what: &str) -> usize {
        let (w, h) = self.state.size;
        self.term
            .draw(|f| views::draw(f, &self.state, self.theme))
            .unwrap();
        let bytes = std::mem::take(self.term.backend_mut().writer_mut());
        if bytes.windows(3).any(|b| b == b"\x1b[r") {
            self.scrolled += 1;
        }
        self.parser.process(&bytes);
        let mut test = Terminal::new(TestBackend::new(w, h)).unwrap();
        test.draw(|f| views::draw(f, &self.state, self.theme))
            .unwrap();
        if let Some(d) = first_difference(self.parser.screen(), test.backend().buffer()) {
            panic!(
                "after {what} (frame {}): {d}\nwritten: {}",
                self.frames,
                String::from_utf8_lossy(&bytes).escape_debug()
            );
        }
        self.frames += 1;
        bytes.len()
    }

    fn act(&mut self, a: Action) {
        let effects = update(&mut self.state, a);
        apply(&mut self.state, &mut self.loader, effects);
    }

    fn key(&mut self, code: KeyCode, n: usize) {
        for _ in 0..n {
            for a in keymap::actions_for(self.state.mode, &KeyEvent::new(code, KeyModifiers::NONE))
            {
                self.act(a);
            }
            self.frame(&format!("{code:?} in {:?}", self.state.pane));
        }
    }

    fn resize(&mut self, w: u16, h: u16) {
        self.term.backend_mut().set_fixed_size(Size::new(w, h));
        self.parser.screen_mut().set_size(h, w);
        self.act(Action::Resize(w, h));
        self.frame(&format!("resize to {w}x{h}"));
    }
}

#[test]
fn every_frame_of_a_long_session_reads_back_as_drawn() {
    let (_d, store) = common::demo_store();
    let mut s = Session::new(&store, (80, 24));
    for size in [(80u16, 24u16), (120, 40), (80, 24), (200, 50)] {
        if s.state.size != size {
            s.resize(size.0, size.1);
        }
        // Every pane with a list (all but the dashboard).
        for pane in Pane::ALL.into_iter().skip(1) {
            s.act(Action::GoPane(pane.index()));
            s.frame(&format!("{pane:?}"));
            for _view in 0..2 {
                s.key(KeyCode::Down, 30);
                s.key(KeyCode::PageDown, 2);
                s.key(KeyCode::Up, 12);
                s.key(KeyCode::PageUp, 1);
                s.key(KeyCode::Char('G'), 1);
                s.key(KeyCode::Up, 3);
                s.key(KeyCode::Char('g'), 1);
                s.key(KeyCode::Char('v'), 1);
            }
        }
    }
    assert!(s.frames > 1000, "{}", s.frames);
    assert!(
        s.scrolled > 100,
        "the terminal's scrolling was used: {} frames",
        s.scrolled
    );
}

#[test]
fn a_key_that_changes_nothing_writes_nothing() {
    let (_d, store) = common::demo_store();
    let mut s = Session::new(&store, (80, 24));
    s.act(Action::GoPane(Pane::Consultations.index()));
    s.frame("consultations");
    // At the top already: ↑ and g change nothing.
    assert_eq!(s.frame("redraw of the same state"), 0);
    s.key(KeyCode::Up, 1);
    let n = {
        for a in keymap::actions_for(
            s.state.mode,
            &KeyEvent::new(KeyCode::Up, KeyModifiers::NONE),
        ) {
            s.act(a);
        }
        s.frame("↑ at the top")
    };
    assert_eq!(n, 0, "no synchronized-update pair, no cursor dance");
    // A step down writes the two rows it leaves and enters (the selection is reversed across
    // the width, issue 14.6), not the screen: about 2 × 100 bytes of Japanese text.
    for a in keymap::actions_for(
        s.state.mode,
        &KeyEvent::new(KeyCode::Down, KeyModifiers::NONE),
    ) {
        s.act(a);
    }
    let n = s.frame("↓");
    assert!(n > 0 && n < 300, "{n}");
}
