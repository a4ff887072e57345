//! The terminal UI: an Elm-like loop. Input, resize and signals arrive as events on one channel;
//! each becomes an [`Action`] for [`update`]; the screen is redrawn only when something changed,
//! after coalescing a burst of input, inside a synchronized-output frame (DEC 2026).

mod cells_out;
pub mod form_view;
pub mod keymap;
pub mod preview_view;
pub mod scroll;
pub mod terminal;
pub mod theme;
pub mod views;

use crate::app::data::Loader;
use crate::app::effects::pending_draft;
use crate::app::{Action, AppState, Effect, Pane, update};
use crate::domain::FiscalYear;
use crate::i18n::Lang;
use crate::store::Store;
use crossterm::event::{self, Event as CtEvent, KeyEventKind};
use ratatui::Terminal;
use std::io::{BufWriter, Stdout};
use std::path::PathBuf;
use std::sync::mpsc;

/// What the loop waits for.
enum Event {
    Input(CtEvent),
    InputClosed,
    Signal(i32),
    Live(crate::store::Live),
}

/// The fiscal year the dashboard opens on: the current one, or with `--demo` the latest that
/// has data (so a newcomer sees figures, not zeros).
pub fn opening_fy(store: &Store, demo: bool, today: chrono::NaiveDate) -> FiscalYear {
    let current = FiscalYear::of(today);
    if demo {
        store
            .latest_fy_with_data()
            .ok()
            .flatten()
            .unwrap_or(current)
    } else {
        current
    }
}

pub use crate::app::effects::apply;

type Term = Terminal<scroll::ScrollBackend<BufWriter<Stdout>>>;

/// Draws a frame; the backend writes only what differs (nothing when nothing does), inside a
/// synchronized update.
fn draw(term: &mut Term, state: &AppState, theme: theme::Theme) -> std::io::Result<()> {
    term.draw(|f| views::draw(f, state, theme))?;
    Ok(())
}

/// Opens the TUI on `store` until the user quits or the session ends (SIGHUP/SIGTERM).
///
/// Errors: the terminal could not be set up or written.
pub fn run(
    store: &Store,
    lang: Lang,
    demo: bool,
    _demo_dir: Option<PathBuf>,
) -> anyhow::Result<()> {
    let today = chrono::Local::now().date_naive();
    let fy = opening_fy(store, demo, today);
    let (tx, rx) = mpsc::channel::<Event>();
    let mut signals = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGQUIT,
    ])?;
    let sig_handle = signals.handle();
    let tx_sig = tx.clone();
    std::thread::spawn(move || {
        for s in signals.forever() {
            if tx_sig.send(Event::Signal(s)).is_err() {
                break;
            }
        }
    });
    let _guard = terminal::TerminalGuard::enter()?;
    // Create crossterm's event source (and its SIGWINCH handler) before the size is read and the
    // first frame drawn, so a resize in between is not lost.
    let _ = event::poll(std::time::Duration::ZERO)?;
    let tx_live = tx.clone();
    store.subscribe(move |live| tx_live.send(Event::Live(live)).is_ok());
    std::thread::spawn(move || {
        loop {
            match event::read() {
                Ok(ev) => {
                    if tx.send(Event::Input(ev)).is_err() {
                        break;
                    }
                }
                Err(_) => {
                    let _ = tx.send(Event::InputClosed);
                    break;
                }
            }
        }
    });
    let (cols, rows) = crossterm::terminal::size()?;
    let mut term = Terminal::new(scroll::ScrollBackend::new(
        BufWriter::new(std::io::stdout()),
        ratatui::layout::Size::new(cols, rows),
        scroll::scroll_allowed(),
    ))?;
    let size = term.size()?;
    let theme = theme::Theme::from_env();
    let mut state = AppState::new(lang, fy, demo, (size.width, size.height));
    state.latest_fy = store.latest_fy_with_data().ok().flatten();
    if state.latest_fy.is_some_and(|l| l < fy) {
        // The first day of a fiscal year: say where the records are, one key away.
        state.flash = state.latest_hint();
    }
    let mut loader = Loader::new(store);
    // The first frame shows the dashboard's counters; what the user has overdue is counted
    // right after it (it reads grants, requests, cases and follow-ups) and drawn as a change.
    loader.count_overdue = false;
    apply(
        &mut state,
        &mut loader,
        vec![Effect::Load(Pane::Dashboard, fy)],
    );
    if let Some(d) = pending_draft(&loader) {
        let effects = update(&mut state, Action::DraftFound(d));
        apply(&mut state, &mut loader, effects);
    }
    draw(&mut term, &state, theme)?;
    loader.count_overdue = true;
    if state.pane == Pane::Dashboard && state.form.is_none() {
        let fy = state.fy;
        apply(
            &mut state,
            &mut loader,
            vec![Effect::Load(Pane::Dashboard, fy)],
        );
        draw(&mut term, &state, theme)?;
    }
    let mut exit_signal = None;
    // Test hook: a key that panics, so the end-to-end tests can check the panic hook restores
    // the terminal. Off unless KYODO_DEBUG_PANIC_KEY names a character.
    let panic_key = std::env::var("KYODO_DEBUG_PANIC_KEY")
        .ok()
        .and_then(|v| v.chars().next());
    'outer: while let Ok(first) = rx.recv() {
        let mut dirty = false;
        let mut next = Some(first);
        // Coalesce everything already waiting (paste, key repeat) into one redraw.
        while let Some(ev) = next.take().or_else(|| rx.try_recv().ok()) {
            let actions = match ev {
                Event::Signal(s) => {
                    exit_signal = Some(s);
                    // Keep an open form as a draft before the session goes.
                    let effects = update(&mut state, Action::SessionCut);
                    apply(&mut state, &mut loader, effects);
                    break 'outer;
                }
                Event::InputClosed => {
                    let effects = update(&mut state, Action::SessionCut);
                    apply(&mut state, &mut loader, effects);
                    break 'outer;
                }
                Event::Input(CtEvent::Key(k))
                    if panic_key.is_some()
                        && k.code == crossterm::event::KeyCode::Char(panic_key.unwrap_or(' ')) =>
                {
                    panic!("KYODO_DEBUG_PANIC_KEY pressed")
                }
                Event::Input(CtEvent::Key(k)) if k.kind != KeyEventKind::Release => {
                    keymap::actions_for(state.mode, &k)
                }
                Event::Input(CtEvent::Resize(w, h)) => {
                    term.autoresize()?;
                    vec![Action::Resize(w, h)]
                }
                Event::Input(_) => Vec::new(),
                Event::Live(crate::store::Live::Ready) => Vec::new(),
                Event::Live(crate::store::Live::Changed(_)) => vec![Action::Changed],
                Event::Live(crate::store::Live::Lost) => vec![Action::Connection(false)],
                Event::Live(crate::store::Live::Back) => vec![Action::Connection(true)],
            };
            for a in actions {
                let effects = update(&mut state, a);
                apply(&mut state, &mut loader, effects);
                dirty = true;
                if state.quit {
                    break 'outer;
                }
            }
            if state.quit {
                break 'outer;
            }
        }
        if dirty {
            draw(&mut term, &state, theme)?;
        }
    }
    sig_handle.close();
    drop(term);
    drop(_guard);
    if let Some(s) = exit_signal {
        // Conventional exit status for "killed by signal", after the terminal is restored and
        // the caller's temporary demo directory is cleaned up by its drop.
        log_signal(s);
    }
    Ok(())
}

fn log_signal(_s: i32) {}
