//! The progress bars of the bulk commands (import, export, backup, restore, check; issue 20.4):
//! on stderr, only on a terminal, and only once the work has gone on for a second, so a quick
//! command and a piped or scheduled one stay silent.

use crate::i18n::Msg;
use std::cell::RefCell;
use std::time::{Duration, Instant};

/// How long work goes on before its bar appears.
const AFTER: Duration = Duration::from_secs(1);

/// A progress bar that appears once its work has run for [`AFTER`] on a terminal.
pub struct Bar {
    what: Msg,
    started: Instant,
    shown: RefCell<Option<indicatif::ProgressBar>>,
    message: RefCell<Option<Msg>>,
    lang: crate::i18n::Lang,
}

impl Bar {
    /// A bar for work named `what` (e.g. [`Msg::BarBackup`]), in the user's language,
    /// starting now.
    pub fn new(what: Msg) -> Bar {
        Bar {
            what,
            started: Instant::now(),
            shown: RefCell::new(None),
            message: RefCell::new(None),
            lang: crate::i18n::Lang::from_env(),
        }
    }

    /// `done` of `total` (records, or bytes) are done.
    pub fn set(&self, done: u64, total: u64) {
        use std::io::IsTerminal;
        let mut shown = self.shown.borrow_mut();
        if shown.is_none() {
            if self.started.elapsed() < AFTER || !std::io::stderr().is_terminal() {
                return;
            }
            let bar = indicatif::ProgressBar::new(total);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {percent:>3}% {eta}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                    .progress_chars("#>-"),
            );
            bar.set_message(self.lang.t(self.message.borrow().unwrap_or(self.what)));
            *shown = Some(bar);
        }
        if let Some(b) = shown.as_ref() {
            b.set_length(total);
            b.set_position(done);
        }
    }

    /// Names what is being done now (e.g. [`Msg::BarWriting`] once the files are read).
    pub fn say(&self, message: Msg) {
        *self.message.borrow_mut() = Some(message);
        if let Some(b) = self.shown.borrow().as_ref() {
            b.set_message(self.lang.t(message));
        }
    }

    /// Clears the bar, if it was shown.
    pub fn finish(&self) {
        if let Some(b) = self.shown.borrow().as_ref() {
            b.finish_and_clear();
        }
    }
}
