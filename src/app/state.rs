//! What the screen shows, as plain data.

use super::data::PaneData;
use crate::domain::FiscalYear;
use crate::i18n::{Lang, Msg};

/// The six panes (issue 2, TUI).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    /// 成果指標 for the selected fiscal year.
    Dashboard,
    /// 地域協働体.
    Bodies,
    /// 職員 and 担当.
    Staff,
    /// チーム会議.
    Meetings,
    /// 相談 and 相談件数.
    Consultations,
    /// 交付金 → grants → payments.
    Subsidies,
}

impl Pane {
    /// In tab order (keys 1–6).
    pub const ALL: [Pane; 6] = [
        Pane::Dashboard,
        Pane::Bodies,
        Pane::Staff,
        Pane::Meetings,
        Pane::Consultations,
        Pane::Subsidies,
    ];

    /// Position in [`Pane::ALL`].
    pub fn index(self) -> usize {
        Pane::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    /// Tab label.
    pub fn title(self) -> Msg {
        match self {
            Pane::Dashboard => Msg::PaneDashboard,
            Pane::Bodies => Msg::PaneBodies,
            Pane::Staff => Msg::PaneStaff,
            Pane::Meetings => Msg::PaneMeetings,
            Pane::Consultations => Msg::PaneConsultations,
            Pane::Subsidies => Msg::PaneSubsidies,
        }
    }
}

/// Input mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Browsing.
    Normal,
    /// Typing a filter after `/`.
    Filter,
    /// The key help is open.
    Help,
}

/// One pane's list position, filter and data.
#[derive(Debug, Default)]
pub struct PaneState {
    /// Loaded data, `None` until loaded for the current fiscal year.
    pub data: Option<PaneData>,
    /// Fiscal year the data is for.
    pub loaded_fy: Option<FiscalYear>,
    /// The filter text.
    pub filter: String,
    /// Indices into `data.items` that match the filter, in display order.
    pub visible: Vec<usize>,
    /// Selected position within `visible`.
    pub selected: usize,
    /// First row drawn (virtualised list).
    pub offset: usize,
    /// Whether the detail view is open.
    pub detail: bool,
}

impl PaneState {
    /// The selected item's index into `data.items`.
    pub fn selected_item(&self) -> Option<usize> {
        self.visible.get(self.selected).copied()
    }
}

/// The whole UI state.
#[derive(Debug)]
pub struct AppState {
    /// UI language.
    pub lang: Lang,
    /// Active pane.
    pub pane: Pane,
    /// Selected fiscal year.
    pub fy: FiscalYear,
    /// Running on the demo dataset.
    pub demo: bool,
    /// Input mode.
    pub mode: Mode,
    /// Per-pane state, indexed by [`Pane::index`].
    pub panes: [PaneState; 6],
    /// Terminal size (cols, rows).
    pub size: (u16, u16),
    /// Status line message (errors from loading).
    pub status: Option<String>,
    /// Set when the user asked to quit.
    pub quit: bool,
}

/// Rows of chrome around a list: tab bar, table header, footer.
pub const CHROME_ROWS: u16 = 4;

/// Smallest usable terminal (DESIGN.md: works from 80x24).
pub const MIN_SIZE: (u16, u16) = (80, 24);

impl AppState {
    /// A new state on the dashboard for `fy`.
    pub fn new(lang: Lang, fy: FiscalYear, demo: bool, size: (u16, u16)) -> AppState {
        AppState {
            lang,
            pane: Pane::Dashboard,
            fy,
            demo,
            mode: Mode::Normal,
            panes: Default::default(),
            size,
            status: None,
            quit: false,
        }
    }

    /// The active pane's state.
    pub fn current(&self) -> &PaneState {
        &self.panes[self.pane.index()]
    }

    /// The active pane's state, mutable.
    pub fn current_mut(&mut self) -> &mut PaneState {
        &mut self.panes[self.pane.index()]
    }

    /// Whether the terminal is below the minimum size.
    pub fn too_small(&self) -> bool {
        self.size.0 < MIN_SIZE.0 || self.size.1 < MIN_SIZE.1
    }

    /// Rows available to the active pane's list.
    pub fn list_rows(&self) -> usize {
        let extra = self
            .current()
            .data
            .as_ref()
            .map(|d| d.header_rows())
            .unwrap_or(0);
        (self.size.1.saturating_sub(CHROME_ROWS) as usize)
            .saturating_sub(extra)
            .max(1)
    }
}
