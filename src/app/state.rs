//! What the screen shows, as plain data.

use super::data::PaneData;
use super::form::{Form, FormKind};
use crate::domain::access::Area;
use crate::domain::{Category, Channel, FiscalYear, RecordKind};
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
    /// The current user's bodies, follow-ups and meetings.
    MyWork,
    /// The audit trail.
    Audit,
}

/// What a pane lists; `v` switches between a pane's views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum View {
    /// Indicators of the fiscal year.
    Indicators,
    /// Every indicator's definition (retired ones too).
    IndicatorDefs,
    /// The plan's numbered actions with their status per year.
    PlanActions,
    /// Bodies.
    Bodies,
    /// Body activities of the fiscal year.
    Activities,
    /// Staff.
    Staff,
    /// Assignments overlapping the fiscal year.
    Assignments,
    /// Team meetings of the fiscal year.
    Meetings,
    /// Consultations and tallies of the fiscal year.
    Consultations,
    /// Consultation counts per month and category.
    Matrix,
    /// Grants of the fiscal year's programs.
    Grants,
    /// Programs of the fiscal year.
    Programs,
    /// Payments under the fiscal year's programs.
    Payments,
    /// Grants that need action (reports missing, refunds or settlements due), every year.
    Actions,
    /// My work.
    MyWork,
    /// My month: meetings and what falls due, day by day ([`crate::app::agenda`]).
    Agenda,
    /// Audit entries.
    Audit,
    /// Records of a type listed by the generic list ([`RecordType::LIST_COLUMNS`]), in the
    /// pane of its area.
    Records(RecordKind),
}

impl View {
    /// The label shown in the info line.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            View::Records(k) => k.title(lang),
            v => lang.t(v.title()),
        }
    }

    fn title(self) -> Msg {
        match self {
            View::Records(_) => Msg::ViewList,
            View::Indicators => Msg::PaneDashboard,
            View::IndicatorDefs => Msg::ViewIndicatorDefs,
            View::PlanActions => Msg::ViewPlanActions,
            View::Bodies => Msg::ViewBodies,
            View::Activities => Msg::ViewActivities,
            View::Staff => Msg::ViewStaff,
            View::Assignments => Msg::ViewAssignments,
            View::Meetings => Msg::PaneMeetings,
            View::Consultations => Msg::ViewList,
            View::Matrix => Msg::ViewMatrix,
            View::Grants => Msg::ViewGrants,
            View::Programs => Msg::ViewPrograms,
            View::Payments => Msg::ViewPayments,
            View::Actions => Msg::ViewActions,
            View::MyWork => Msg::PaneMyWork,
            View::Agenda => Msg::ViewAgenda,
            View::Audit => Msg::PaneAudit,
        }
    }

    /// The record type `a` adds in this view, if any.
    pub fn form(self) -> Option<FormKind> {
        Some(match self {
            View::Indicators => FormKind::IndicatorValue,
            View::IndicatorDefs => FormKind::Indicator,
            View::PlanActions => FormKind::PlanAction,
            View::Bodies => FormKind::Body,
            View::Activities => FormKind::Activity,
            View::Staff => FormKind::Staff,
            View::Assignments => FormKind::Assignment,
            View::Meetings => FormKind::Meeting,
            View::Consultations | View::Matrix => FormKind::Consultation,
            View::Grants => FormKind::Grant,
            View::Programs => FormKind::Program,
            View::Payments => FormKind::Disbursement,
            View::Records(k) => FormKind::Record(k),
            View::MyWork | View::Agenda | View::Audit | View::Actions => return None,
        })
    }
}

impl Pane {
    /// In tab order (keys 1–8).
    pub const ALL: [Pane; 8] = [
        Pane::Dashboard,
        Pane::Bodies,
        Pane::Staff,
        Pane::Meetings,
        Pane::Consultations,
        Pane::Subsidies,
        Pane::MyWork,
        Pane::Audit,
    ];

    /// The pane's views, in `v` order: its own, then those of the generically listed record
    /// types of its area ([`Pane::of_area`]).
    pub fn views(self) -> &'static [View] {
        use std::sync::OnceLock;
        static VIEWS: OnceLock<Vec<Vec<View>>> = OnceLock::new();
        let all = VIEWS.get_or_init(|| {
            Pane::ALL
                .iter()
                .map(|p| {
                    let mut v = p.own_views().to_vec();
                    v.extend(
                        RecordKind::ALL
                            .iter()
                            .filter(|k| {
                                !k.list_columns().is_empty() && Pane::of_area(k.area()) == *p
                            })
                            .map(|k| View::Records(*k)),
                    );
                    v
                })
                .collect()
        });
        all.get(self.index()).map_or(&[], |v| v.as_slice())
    }

    /// The pane that lists the generically listed record types of `area`.
    pub fn of_area(area: Area) -> Pane {
        match area {
            Area::Staff | Area::Assignments => Pane::Staff,
            Area::Bodies | Area::Activities | Area::Requests => Pane::Bodies,
            Area::Subsidies => Pane::Subsidies,
            Area::Indicators | Area::Plan => Pane::Dashboard,
            Area::Meetings => Pane::Meetings,
            Area::Consultations => Pane::Consultations,
        }
    }

    fn own_views(self) -> &'static [View] {
        match self {
            Pane::Dashboard => &[View::Indicators, View::IndicatorDefs, View::PlanActions],
            Pane::Bodies => &[View::Bodies, View::Activities],
            Pane::Staff => &[View::Staff, View::Assignments],
            Pane::Meetings => &[View::Meetings],
            Pane::Consultations => &[View::Consultations, View::Matrix],
            Pane::Subsidies => &[View::Grants, View::Programs, View::Payments, View::Actions],
            Pane::MyWork => &[View::MyWork, View::Agenda],
            Pane::Audit => &[View::Audit],
        }
    }

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
            Pane::MyWork => Msg::PaneMyWork,
            Pane::Audit => Msg::PaneAudit,
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
    /// A form is open.
    Form,
    /// A yes/no question is open.
    Confirm,
    /// Quick tally logging is open.
    Quick,
    /// An allocation preview is open.
    Preview,
}

/// A yes/no question.
#[derive(Debug, Clone)]
pub enum Confirm {
    /// Delete this record?
    Delete {
        /// Record type.
        kind: FormKind,
        /// Record id.
        id: u64,
        /// What it is, for the question.
        label: String,
    },
    /// Close the form and lose what was typed?
    Discard,
    /// The record could not be deleted; mark it dissolved / inactive instead?
    MarkInactive {
        /// Body or Staff.
        kind: FormKind,
        /// Record id.
        id: u64,
        /// Why it could not be deleted.
        reason: String,
    },
    /// A draft from a cut session was found; open it?
    RestoreDraft(Draft),
    /// Copy the fiscal year's assignments into the next?
    Rotate(FiscalYear),
    /// Create the grants of the open allocation preview?
    ApplyPreview,
}

/// An unsaved form kept when a session was cut (SIGHUP, SIGTERM).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Draft {
    /// Record type.
    pub kind: FormKind,
    /// Record id (0 for new).
    pub id: u64,
    /// Fiscal year the form was opened in.
    pub fy: i32,
    /// `(field, text)` pairs.
    pub fields: Vec<(String, String)>,
}

/// Quick tally logging: category, then channel, then count (default 1) and Enter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuickLog {
    /// Chosen category.
    pub category: Option<Category>,
    /// Chosen channel.
    pub channel: Option<Channel>,
    /// Count typed so far (empty = 1).
    pub count: String,
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
    /// Index into the pane's views.
    pub view: usize,
    /// The plan the user chose in the plan view (`p`), by name; see [`crate::app::plan_view`].
    pub plan: Option<String>,
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
    pub panes: [PaneState; 8],
    /// Terminal size (cols, rows).
    pub size: (u16, u16),
    /// Status line message (errors from loading).
    pub status: Option<String>,
    /// Set when the user asked to quit.
    pub quit: bool,
    /// The open form.
    pub form: Option<Form>,
    /// The open question.
    pub confirm: Option<Confirm>,
    /// Quick tally logging in progress.
    pub quick: Option<QuickLog>,
    /// The open allocation preview.
    pub preview: Option<Box<crate::app::subsidy::PreviewState>>,
    /// A short confirmation shown in the footer ("保存しました").
    pub flash: Option<String>,
    /// The record just saved `(kind, id)`: selected once its list is loaded (issue 14).
    pub select: Option<(FormKind, u64)>,
    /// The recent work of the body whose detail is open (loaded when it opens).
    pub body_recent: Option<Box<crate::app::data::BodyRecent>>,
    /// The latest fiscal year with dated records (`L` goes there), when known.
    pub latest_fy: Option<FiscalYear>,
    /// Today (for defaults and overdue marks).
    pub today: chrono::NaiveDate,
    /// The kyodo server cannot be reached (shared mode); the footer says kyodo is reconnecting.
    pub offline: bool,
    /// The month the month view shows (its first day); `None`: this month.
    pub month: Option<chrono::NaiveDate>,
}

/// Rows of chrome around a list: tab bar, table header, footer.
pub const CHROME_ROWS: u16 = 4;

/// Smallest usable terminal (docs/DESIGN.md: works from 80x24).
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
            form: None,
            confirm: None,
            quick: None,
            preview: None,
            flash: None,
            select: None,
            latest_fy: None,
            body_recent: None,
            today: chrono::Local::now().date_naive(),
            offline: false,
            month: None,
        }
    }

    /// `令和8年度の記録はまだありません。記録のある最新の年度は令和5年度です(L)` when the fiscal year
    /// on screen is after the latest with records; `None` otherwise.
    pub fn latest_hint(&self) -> Option<String> {
        let latest = self.latest_fy.filter(|l| *l < self.fy)?;
        Some(match self.lang {
            Lang::Ja => format!(
                "{}の記録はまだありません。記録のある最新の年度は{}です(L で移動)",
                self.fy.ja_label(),
                latest.ja_label()
            ),
            Lang::En => format!(
                "No records in {} yet; the latest year with records is {} (L goes there)",
                self.fy.en_label(),
                latest.en_label()
            ),
        })
    }

    /// The active pane's current view.
    pub fn view(&self) -> View {
        let p = self.current();
        self.pane.views()[p.view.min(self.pane.views().len() - 1)]
    }

    /// The active pane's state.
    pub fn current(&self) -> &PaneState {
        &self.panes[self.pane.index()]
    }

    /// The row selected in the active pane, if any.
    pub fn selected(&self) -> Option<&crate::app::data::Item> {
        let p = self.current();
        p.data.as_ref()?.items.get(p.selected_item()?)
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
