//! Actions (what the user or the system asked for) and effects (what the runner must do).

use super::data::PaneData;
use super::state::Pane;
use crate::domain::FiscalYear;

/// Every state change goes through one of these.
#[derive(Debug)]
pub enum Action {
    /// Move the selection down one row.
    Down,
    /// Up one row.
    Up,
    /// Down one page.
    PageDown,
    /// Up one page.
    PageUp,
    /// First row.
    Top,
    /// Last row.
    Bottom,
    /// Open the detail view of the selected row.
    Enter,
    /// Close the detail view / help / filter.
    Back,
    /// Next pane.
    NextPane,
    /// Previous pane.
    PrevPane,
    /// Go to pane N (0-based).
    GoPane(usize),
    /// Start typing a filter.
    StartFilter,
    /// A character typed into the filter.
    FilterChar(char),
    /// Backspace in the filter.
    FilterBackspace,
    /// Keep the filter and return to the list.
    FilterAccept,
    /// Previous fiscal year.
    PrevFy,
    /// Next fiscal year.
    NextFy,
    /// Toggle the key help.
    Help,
    /// Quit.
    Quit,
    /// The terminal is now `cols` × `rows`.
    Resize(u16, u16),
    /// Data for a pane arrived.
    Loaded(Pane, FiscalYear, Box<PaneData>),
    /// Loading failed; the message is shown in the status line.
    LoadFailed(String),
}

/// Work the runner performs after an update, feeding results back as actions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Load (or reload) a pane's data for a fiscal year.
    Load(Pane, FiscalYear),
}
