//! Record forms: one field per column of the record type (domain::fields), edited with
//! ratatui-textarea, checked on save by the same `read_*` functions the CSV import uses, so the
//! rules and messages are the same everywhere. Key handling here is pure; the TUI draws the form
//! and places the real terminal cursor where the next character goes.

use super::resolve::resolve;
use crate::domain::fields::{self, FieldReader, Resolver};
use crate::domain::*;
use crate::i18n::Lang;
use crate::store::Batch;
use crate::text::fold;
use ratatui_textarea::{CursorMove, Input, Key, TextArea};
use std::sync::Arc;

mod context;
mod follow_ups;
mod kinds;
pub(super) mod pick;
mod saved;
pub use context::*;
pub use kinds::*;
mod step;

/// One field: its name (CSV column), how it is edited, its text and its error.
#[derive(Debug, Clone)]
pub struct Field {
    /// Column name, e.g. `established_on`.
    pub key: &'static str,
    /// Editing kind.
    pub kind: FieldKind,
    /// Must not be empty.
    pub required: bool,
    /// The text being edited.
    pub area: TextArea<'static>,
    /// The error shown under the field after a save attempt.
    pub error: Option<Text>,
}

impl Field {
    /// The field's text (lines joined by newlines), trimmed.
    pub fn text(&self) -> String {
        self.area.lines().join("\n").trim().to_string()
    }

    /// Replaces the text and puts the cursor at its end.
    pub fn set_text(&mut self, s: &str) {
        let lines: Vec<String> = if s.is_empty() {
            vec![String::new()]
        } else {
            s.split('\n').map(str::to_string).collect()
        };
        self.area = TextArea::new(lines);
        self.area.move_cursor(CursorMove::Bottom);
        self.area.move_cursor(CursorMove::End);
    }
}

/// Fields that hold yen: an edit form shows them with separators (the reader accepts both).
const YEN_FIELDS: &[&str] = &[
    "amount",
    "applied_amount",
    "budget",
    "cap",
    "confirmed_amount",
    "decided_amount",
    "eligible_cost",
    "fixed_amount",
    "floor",
    "per_body",
    "per_capita",
    "per_household",
    "round_unit",
];

/// What a key did to a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormOutcome {
    /// Still editing.
    Editing,
    /// The user asked to save.
    Save,
    /// The user asked to close without saving.
    Cancel,
}

/// An open form.
#[derive(Debug, Clone)]
pub struct Form {
    /// Record type.
    pub kind: FormKind,
    /// Record id; 0 for a new record.
    pub id: u64,
    /// Fields in order.
    pub fields: Vec<Field>,
    /// Focused field.
    pub focus: usize,
    /// Suggestions for the focused name field.
    pub suggestions: Vec<String>,
    /// Selected suggestion.
    pub suggestion: usize,
    /// A message for the whole form (a refused save).
    pub message: Option<String>,
    /// Text of every field when the form opened (to know whether anything was typed).
    pub initial: Vec<String>,
    /// Names and rules.
    pub ctx: Arc<FormContext>,
    /// What the form is about, for its title (a grant step: body, program and fiscal year).
    pub subject: Option<String>,
    /// The version of the record when it was opened for editing; saving is refused if someone
    /// else changed it since (shared mode, issue 6).
    pub version: Option<u64>,
}

/// A reader over the form's fields that collects errors per field.
struct Reader<'f> {
    fields: &'f [Field],
    errors: Vec<(String, Text)>,
    /// Today: a date typed as month and day alone is the nearest such day.
    today: chrono::NaiveDate,
}

impl FieldReader for Reader<'_> {
    fn raw(&self, key: &str) -> String {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.text())
            .unwrap_or_default()
    }
    fn error(&mut self, key: &str, _value: &str, message: Text) {
        if !self.errors.iter().any(|(k, _)| k == key) {
            self.errors.push((key.to_string(), message));
        }
    }
    fn ok(&self) -> bool {
        self.errors.is_empty()
    }
    fn near(&self) -> Option<chrono::NaiveDate> {
        Some(self.today)
    }
}

impl Form {
    /// A form for a new record of `kind`, with defaults (today, the current user, the fiscal
    /// year on screen, count 1).
    pub fn new(kind: FormKind, ctx: Arc<FormContext>) -> Form {
        let fields = fields::columns::of(kind.table())
            .iter()
            .filter(|(k, _)| {
                !(kind == FormKind::Grant || kind == FormKind::Disbursement) || *k != "fiscal_year"
            })
            .map(|(k, required)| {
                let mut f = Field {
                    key: k,
                    kind: kind_of(kind, k, &ctx),
                    required: *required,
                    area: TextArea::default(),
                    error: None,
                };
                if let FieldKind::Choice(c) = &f.kind
                    && let Some(first) = c.first()
                {
                    let first = first.value.clone();
                    f.set_text(&first);
                }
                f
            })
            .collect();
        let mut form = Form {
            kind,
            id: 0,
            fields,
            focus: 0,
            suggestions: Vec::new(),
            suggestion: 0,
            message: None,
            initial: Vec::new(),
            ctx: ctx.clone(),
            subject: None,
            version: None,
        };
        if form.has_follow_up_rows() {
            form.expand_follow_ups();
        }
        let today = ctx.today.to_string();
        let me = ctx
            .actor
            .staff_id
            .map(|id| ctx.staff_name(id))
            .unwrap_or_default();
        for (k, v) in [
            ("date", today.as_str()),
            ("applied_on", today.as_str()),
            ("from", today.as_str()),
            ("count", "1"),
            ("people", "1"),
            ("counselor", me.as_str()),
            ("client_type", "個人"),
        ] {
            form.set(k, v);
        }
        if kind == FormKind::IndicatorValue {
            form.set("fiscal_year", &ctx.lang.fy(ctx.fy));
        }
        form.initial = form.texts();
        form
    }

    /// A form holding an existing record's fields.
    pub fn edit(
        kind: FormKind,
        id: u64,
        values: Vec<(&'static str, String)>,
        ctx: Arc<FormContext>,
    ) -> Form {
        let lang = ctx.lang;
        let mut form = Form::new(kind, ctx);
        form.id = id;
        if kind == FormKind::Grant {
            // A grant moves forward by its steps; editing one is a correction, audited with a reason.
            form.fields.push(Field {
                key: "reason",
                kind: FieldKind::Line,
                required: true,
                area: TextArea::default(),
                error: None,
            });
        }
        for (k, v) in values {
            // Amounts read as people write them: 2,830,000, not 2830000.
            let v = match (YEN_FIELDS.contains(&k), v.parse::<i64>()) {
                (true, Ok(n)) => crate::domain::money::group_digits(n),
                _ => lang.shown_value(k, v),
            };
            form.set(k, &v);
        }
        form.initial = form.texts();
        form
    }

    /// Sets a field's text (if the form has that field). A meeting's `follow_ups` (the CSV's
    /// text) sets its follow-up rows.
    pub fn set(&mut self, key: &str, value: &str) {
        if key == "follow_ups" && self.has_follow_up_rows() {
            self.set_follow_ups(value);
            return;
        }
        if let Some(f) = self.fields.iter_mut().find(|f| f.key == key) {
            f.set_text(value);
        }
    }

    /// Every field's `(name, text)` as the CSV names them (a meeting's follow-up rows as one
    /// `follow_ups`), for drafts: [`Form::set`] takes each back.
    pub fn values(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .fields
            .iter()
            .filter(|f| !follow_ups::ROW.contains(&f.key))
            .map(|f| (f.key.to_string(), f.area.lines().join("\n")))
            .collect();
        if self.has_follow_up_rows() {
            out.push(("follow_ups".into(), self.follow_ups_text()));
        }
        out
    }

    /// Every field's text, in order.
    pub fn texts(&self) -> Vec<String> {
        self.fields.iter().map(|f| f.text()).collect()
    }

    /// Whether anything was changed since the form opened.
    pub fn dirty(&self) -> bool {
        self.texts() != self.initial
    }

    /// The focused field.
    pub fn focused(&self) -> &Field {
        &self.fields[self.focus.min(self.fields.len().saturating_sub(1))]
    }

    fn focused_mut(&mut self) -> &mut Field {
        let i = self.focus.min(self.fields.len().saturating_sub(1));
        &mut self.fields[i]
    }

    fn move_focus(&mut self, delta: isize) {
        let n = self.fields.len() as isize;
        self.focus = ((self.focus as isize + delta).rem_euclid(n.max(1))) as usize;
        self.suggestions.clear();
    }

    /// Applies one key. Tab/Shift-Tab (and Up/Down on one-line fields) move between fields;
    /// Enter picks a suggestion, adds a line in multi-line fields, or moves on (saves on the last
    /// field); Ctrl-S saves; Esc cancels; Left/Right or digits choose in choice fields.
    pub fn key(&mut self, input: Input) -> FormOutcome {
        let kind = self.focused().kind.clone();
        match input.key {
            Key::Esc => return FormOutcome::Cancel,
            Key::Char('s') if input.ctrl => return FormOutcome::Save,
            Key::Char('n') if input.ctrl => self.add_follow_up(),
            Key::Char('u') if input.ctrl => {
                if matches!(kind, FieldKind::Choice(_)) {
                    return FormOutcome::Editing;
                }
                self.focused_mut().set_text("");
                self.suggestions.clear();
            }
            Key::Tab if input.shift => self.move_focus(-1),
            Key::Tab => self.move_focus(1),
            Key::Enter => {
                if !self.suggestions.is_empty() {
                    self.accept_suggestion();
                } else if kind == FieldKind::Lines {
                    self.focused_mut().area.insert_newline();
                } else if self.focus + 1 == self.fields.len() {
                    return FormOutcome::Save;
                } else {
                    self.move_focus(1);
                }
            }
            Key::Down | Key::Up if !self.suggestions.is_empty() => {
                let n = self.suggestions.len();
                self.suggestion = if input.key == Key::Down {
                    (self.suggestion + 1) % n
                } else {
                    (self.suggestion + n - 1) % n
                };
            }
            Key::Down if kind != FieldKind::Lines => self.move_focus(1),
            Key::Up if kind != FieldKind::Lines => self.move_focus(-1),
            _ => match &kind {
                FieldKind::Choice(options) => self.choose(options, input),
                FieldKind::Flags(options) => self.toggle(options, input),
                _ => {
                    self.focused_mut().area.input(input);
                    self.suggest();
                }
            },
        }
        FormOutcome::Editing
    }

    /// The text of field `key`.
    pub fn text_of(&self, key: &str) -> String {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.text())
            .unwrap_or_default()
    }

    /// Checks every field and builds the write. On errors, each bad field gets its message, the
    /// focus moves to the first one, and `None` is returned: nothing is saved until all are valid.
    pub fn build(&mut self) -> Option<Batch> {
        for f in self.fields.iter_mut() {
            f.error = None;
        }
        self.message = None;
        let ctx = self.ctx.clone();
        let fy_text = match self.kind {
            FormKind::Grant | FormKind::Disbursement => ctx.fy.0.to_string(),
            _ => String::new(),
        };
        let mut extra = self.fields.clone();
        if !fy_text.is_empty() {
            let mut f = Field {
                key: "fiscal_year",
                kind: FieldKind::Line,
                required: true,
                area: TextArea::default(),
                error: None,
            };
            f.set_text(&fy_text);
            extra.push(f);
        }
        let mut r = Reader {
            fields: &extra,
            errors: Vec::new(),
            today: self.ctx.today,
        };
        fields::check_limits(self.kind.table(), &mut r);
        for f in &self.fields {
            if f.required && f.text().is_empty() && !follow_ups::ROW.contains(&f.key) {
                r.error(
                    f.key,
                    "",
                    Text::new(
                        "必須項目です。入力してください",
                        "required; this must not be empty",
                    ),
                );
            }
        }
        let id = self.id;
        let c: &FormContext = &ctx;
        let mut batch = Batch::new();
        let mut fu_errors: Vec<(usize, Text)> = Vec::new();
        match self.kind {
            FormKind::Staff => {
                let st = fields::read_staff(&mut r, id);
                if let Some(st) = &st
                    && let Err(e) = rules::staff_login(st, &c.staff)
                {
                    r.error("login", "", e);
                }
                put(&mut batch, st)
            }
            FormKind::Grant => {
                let g = fields::read_grant(&mut r, c, id);
                if let Some(g) = &g
                    && let Some(other) = c.grants.iter().find(|x| {
                        x.id != g.id && x.program_id == g.program_id && x.recipient == g.recipient
                    })
                {
                    r.error(
                        "body",
                        "",
                        Text::new(
                            format!(
                                "この地域協働体にはこの交付金の交付申請・決定がすでにあります(#{})",
                                other.id
                            ),
                            format!(
                                "this body already has a grant under this program (#{})",
                                other.id
                            ),
                        ),
                    );
                }
                put(&mut batch, g)
            }
            FormKind::Meeting => {
                let (rows, errors) = self.read_follow_ups(c);
                fu_errors = errors;
                let m = fields::read_meeting(&mut r, c, id).map(|mut m| {
                    m.follow_ups = rows;
                    m
                });
                if fu_errors.is_empty() {
                    put(&mut batch, m);
                }
            }
            FormKind::Disbursement => {
                let d = fields::read_disbursement(&mut r, c, id);
                if let Some(d) = &d
                    && let Some(g) = c.grants.iter().find(|g| g.id == d.grant_id)
                {
                    let others: Vec<Disbursement> = c
                        .payments
                        .iter()
                        .filter(|p| p.grant_id == d.grant_id && p.id != d.id)
                        .cloned()
                        .collect();
                    if let Err(e) = rules::payment(g, &others, d) {
                        r.error("amount", "", e);
                    }
                }
                put(&mut batch, d)
            }
            FormKind::GrantStep => {}
            FormKind::IndicatorValue => {
                let e = fields::read_indicator_value(&mut r, c, id).map(|mut e| {
                    if e.id == 0
                        && let Some(old) = c.entries.iter().find(|x| {
                            x.indicator_id == e.indicator_id && x.fiscal_year == e.fiscal_year
                        })
                    {
                        e.id = old.id;
                    }
                    e
                });
                put(&mut batch, e)
            }
            // Every other type reads itself (its module's `RecordType::read`).
            other => {
                if let Some(k) = other.record() {
                    k.visit(ReadInto {
                        reader: &mut r,
                        names: c,
                        id,
                        batch: &mut batch,
                    });
                }
            }
        }
        if self.kind == FormKind::Grant && self.id != 0 {
            let reason = r.raw("reason");
            if reason.is_empty() {
                r.error(
                    "reason",
                    "",
                    Text::new(
                        "交付決定の訂正には理由が必要です(監査記録に残ります)",
                        "a correction of a grant needs a reason (kept in the audit trail)",
                    ),
                );
            }
            batch.note(reason);
        }
        let errors = r.errors;
        if errors.is_empty() && fu_errors.is_empty() {
            if let (Some(n), Some(tree)) = (self.version, self.tree())
                && self.id != 0
            {
                batch.expect_version(tree, crate::store::keys::id_key(self.id), n);
            }
            return Some(batch);
        }
        for (k, m) in &errors {
            // An error on a value the form does not show (its fiscal year is the screen's)
            // goes on the first field rather than nowhere: nothing is refused unsaid.
            let at = self.fields.iter().position(|f| f.key == k).unwrap_or(0);
            if let Some(f) = self.fields.get_mut(at)
                && f.error.is_none()
            {
                f.error = Some(m.clone());
            }
        }
        for (i, m) in fu_errors {
            if let Some(f) = self.fields.get_mut(i) {
                f.error = Some(m);
            }
        }
        if let Some(first) = self.fields.iter().position(|f| f.error.is_some()) {
            self.focus = first;
        }
        None
    }
}

/// Reads a record of the visited type from a form's fields into a batch.
struct ReadInto<'a> {
    reader: &'a mut dyn fields::FieldReader,
    names: &'a dyn fields::Resolver,
    id: u64,
    batch: &'a mut Batch,
}

impl Visit for ReadInto<'_> {
    type Out = ();
    fn visit<T: RecordType>(self) {
        put(self.batch, T::read(self.reader, self.names, self.id));
    }
}

fn put<T: crate::store::records::Record>(batch: &mut Batch, r: Option<T>) {
    if let Some(r) = r {
        batch.put(r);
    }
}
