//! Actions (what the user or the system asked for) and effects (what the runner must do).

use super::data::PaneData;
use super::form::{Form, FormKind};
use super::state::{Draft, Pane, View};
use crate::domain::FiscalYear;
use crate::store::Batch;
use ratatui_textarea::Input;

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
    /// Close the detail view / help / filter / question.
    Back,
    /// Next pane.
    NextPane,
    /// Previous pane.
    PrevPane,
    /// Go to pane N (0-based).
    GoPane(usize),
    /// Switch the pane's view.
    NextView,
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
    Loaded(Pane, View, FiscalYear, Box<PaneData>),
    /// Loading failed; the message is shown in the status line.
    LoadFailed(String),
    /// `a`: add a record of the view's type.
    Add,
    /// `e`: edit the selected record.
    Edit,
    /// `d`: delete the selected record (asks first).
    Delete,
    /// `l`: quick tally logging.
    QuickLog,
    /// `R`: copy the fiscal year's assignments into the next.
    Rotate,
    /// `x`: tick a follow-up done / not done.
    ToggleDone,
    /// A key typed into the open form.
    FormKey(Input),
    /// A form is ready to show.
    FormOpened(Box<Form>),
    /// `y` to the open question.
    Yes,
    /// `n` to the open question.
    No,
    /// A key in quick logging: a digit chooses, `d` opens the detailed form.
    QuickChar(char),
    /// Enter in quick logging.
    QuickEnter,
    /// Backspace in quick logging.
    QuickBack,
    /// A write finished: `Ok(message)` or `Err(message)`.
    Written(Result<String, String>),
    /// A delete was refused because other records refer to the record.
    DeleteRefused {
        /// Record type.
        kind: FormKind,
        /// Record id.
        id: u64,
        /// The store's message.
        reason: String,
    },
    /// A draft from a cut session was found at start.
    DraftFound(Draft),
    /// The session is being cut: keep the open form as a draft.
    SessionCut,
    /// Someone committed a change (shared mode): reload what is on screen, keeping any open
    /// form as it is.
    Changed,
    /// The kyodo server went away (`false`) or answers again (`true`).
    Connection(bool),
    /// A save was refused because someone changed the record meanwhile: the record's version
    /// now, and the message. The form stays open with the user's input.
    Stale(u64, String),
    /// `p`: open the allocation preview of the selected program.
    Preview,
    /// A preview is ready to show.
    PreviewOpened(Box<crate::app::subsidy::PreviewState>),
    /// `c` in a preview: next comparison.
    PreviewCompare,
    /// `t` in a preview: pay the larger of rule and comparison (transition), or not.
    PreviewTransition,
    /// `A` in a preview: create the grants (asks first).
    PreviewApply,
    /// `s`: take the selected grant's next lifecycle step.
    Step,
    /// A short message for the footer (nothing else changes).
    Flash(String),
    /// A body's recent work was read, for its open detail.
    BodyRecentLoaded(Box<crate::app::data::BodyRecent>),
    /// `c`: record a consultation from the selected body (the form has it as the client).
    ConsultationForBody,
    /// `r` in the plan view: record (or correct) the selected action's result for the year on
    /// screen (issue 16.2).
    RecordResult,
    /// `L`: go to the latest fiscal year with records.
    LatestFy,
    /// `m`: record a team meeting of the selected body (the form has the body and its team).
    MeetingForBody,
}

/// A batch to write, with the message shown once it is durable.
pub struct WriteJob {
    /// The write.
    pub batch: Batch,
    /// Shown after saving, e.g. 保存しました.
    pub done: String,
    /// The saved record's form kind and fiscal year, to show it once saved (`None`: stay).
    pub show: Option<(FormKind, Option<FiscalYear>)>,
}

impl std::fmt::Debug for WriteJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WriteJob({} ops, {:?})", self.batch.len(), self.done)
    }
}

/// Work the runner performs after an update, feeding results back as actions.
#[derive(Debug)]
pub enum Effect {
    /// Load (or reload) a pane's current view for a fiscal year.
    Load(Pane, FiscalYear),
    /// Open a form: a new record (`id` None, with `prefill`), or an existing one.
    OpenForm {
        /// Record type.
        kind: FormKind,
        /// Existing record id.
        id: Option<u64>,
        /// Fields to preset on a new record.
        prefill: Vec<(String, String)>,
    },
    /// Write a batch (then reload what is on screen).
    Write(WriteJob),
    /// Delete a record.
    Delete(FormKind, u64),
    /// Mark a body dissolved (today) or a staff member inactive.
    MarkInactive(FormKind, u64),
    /// Copy a fiscal year's assignments into the next.
    Rotate(FiscalYear),
    /// Tick follow-up `index` of meeting `meeting` done or not done.
    ToggleFollowUp(u64, usize),
    /// Keep a draft of the open form.
    SaveDraft(Draft),
    /// 自分 was left: follow-ups ticked there are no longer listed.
    ForgetTicked,
    /// Read a body's recent work (meetings, open follow-ups, consultations) in a fiscal year.
    LoadBodyRecent(u64, FiscalYear),
    /// Forget the stored draft.
    DiscardDraft,
    /// Open the allocation preview of a program.
    OpenPreview(u64),
    /// Open a 配分シナリオ (by id) beside its year's program, in fiscal year `.1` if it names none.
    OpenScenario(u64, crate::domain::FiscalYear),
    /// Create the grants of the open preview.
    ApplyPreview,
    /// Run a lifecycle step on a grant, with a note for the audit trail.
    GrantStep(u64, crate::domain::grant::Step, String),
    /// Forget cached names and lookups (others changed the data).
    Refresh,
}
