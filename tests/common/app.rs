//! Driving the app through its actions without a terminal, as the TUI does (forms, panes,
//! keys): shared by the form and grantee tests.

use kyodo::app::data::{Item, Loader};
use kyodo::app::effects::apply;
use kyodo::app::{Action, AppState, Pane, update};
use kyodo::domain::*;
use kyodo::i18n::Lang;
use kyodo::store::Store;
use ratatui_textarea::{Input, Key};

/// The app on a store, with today fixed at 2024-06-03 and the Japanese interface.
pub struct App<'s> {
    /// The app's state, as the TUI holds it.
    pub state: AppState,
    /// What loads and writes, on the test's store.
    pub loader: Loader<'s>,
}

impl<'s> App<'s> {
    pub fn new(store: &'s Store, fy: i32) -> App<'s> {
        let mut state = AppState::new(Lang::Ja, FiscalYear(fy), false, (80, 24));
        state.today = chrono::NaiveDate::from_ymd_opt(2024, 6, 3).unwrap();
        let mut app = App {
            state,
            loader: Loader::new(store),
        };
        app.act(Action::GoPane(1));
        app
    }

    pub fn act(&mut self, a: Action) {
        let effects = update(&mut self.state, a);
        apply(&mut self.state, &mut self.loader, effects);
    }

    pub fn go(&mut self, pane: Pane, view: usize) {
        self.act(Action::GoPane(pane.index()));
        while self.state.current().view != view {
            self.act(Action::NextView);
        }
    }

    pub fn key(&mut self, key: Key) {
        self.act(Action::FormKey(Input {
            key,
            ctrl: false,
            alt: false,
            shift: false,
        }));
    }

    pub fn ctrl(&mut self, c: char) {
        self.act(Action::FormKey(Input {
            key: Key::Char(c),
            ctrl: true,
            alt: false,
            shift: false,
        }));
    }

    pub fn type_text(&mut self, s: &str) {
        for c in s.chars() {
            self.key(Key::Char(c));
        }
    }

    /// Focuses field `key` and replaces its text.
    pub fn set(&mut self, key: &str, value: &str) {
        let form = self.state.form.as_mut().expect("a form is open");
        form.focus = form.fields.iter().position(|f| f.key == key).expect(key);
        form.set(key, "");
        self.type_text(value);
    }

    pub fn save(&mut self) {
        self.ctrl('s');
    }

    /// The English wording of a field's error.
    pub fn error(&self, key: &str) -> Option<String> {
        self.error_text(key).map(|t| t.en)
    }

    pub fn error_text(&self, key: &str) -> Option<Text> {
        let form = self.state.form.as_ref()?;
        form.fields.iter().find(|f| f.key == key)?.error.clone()
    }

    pub fn items(&self) -> &[Item] {
        &self.state.current().data.as_ref().unwrap().items
    }

    /// Moves the selection by keys (↓) onto the first row matching `pred`.
    pub fn select(&mut self, pred: impl Fn(&Item) -> bool) {
        let pos = self.items().iter().position(pred).expect("a matching row");
        let at = self
            .state
            .current()
            .visible
            .iter()
            .position(|&i| i == pos)
            .expect("the row is shown");
        while self.state.current().selected != at {
            self.act(Action::Down);
        }
    }
}
