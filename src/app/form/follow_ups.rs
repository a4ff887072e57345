//! A meeting form's follow-ups as rows (issue 14): each is four fields — its text, its owner
//! (picked like attendees, the meeting's attendees first; the person recording is the default),
//! its due date, and done — instead of one field in the CSV's `text;owner;due;done` format.
//! Ctrl-N adds a row. On the way in and out (edit, drafts, prefill) the rows travel as the
//! CSV's `follow_ups` text, so everything else sees one field.

use super::*;
use crate::domain::limits::Limit;
use pick::named;

/// Keys of one follow-up row's fields, in order.
pub const ROW: [&str; 4] = ["fu_text", "fu_owner", "fu_due", "fu_done"];

/// `未` / `済`: the done field's choices (the first is a new row's).
const DONE: [&str; 2] = ["未", "済"];

impl Form {
    /// Whether this form edits follow-ups as rows.
    pub fn has_follow_up_rows(&self) -> bool {
        self.kind == FormKind::Meeting
    }

    /// The fields of a new, empty follow-up row (owner: the person recording).
    fn follow_up_row(&self) -> Vec<Field> {
        let me = self
            .ctx
            .actor
            .staff_id
            .map(|id| self.ctx.staff_name(id))
            .unwrap_or_default();
        ROW.iter()
            .map(|k| {
                let mut f = Field {
                    key: k,
                    kind: match *k {
                        "fu_owner" => FieldKind::StaffRef,
                        "fu_done" => FieldKind::Choice(vec![
                            super::kinds::Opt::terms(DONE[0], "open"),
                            super::kinds::Opt::terms(DONE[1], "done"),
                        ]),
                        _ => FieldKind::Line,
                    },
                    required: *k == "fu_owner",
                    area: TextArea::default(),
                    error: None,
                };
                match *k {
                    "fu_owner" => f.set_text(&me),
                    "fu_done" => f.set_text(DONE[0]),
                    _ => {}
                }
                f
            })
            .collect()
    }

    /// Replaces the `follow_ups` field of a new meeting form by one empty row.
    pub(super) fn expand_follow_ups(&mut self) {
        if let Some(at) = self.fields.iter().position(|f| f.key == "follow_ups") {
            let row = self.follow_up_row();
            self.fields.splice(at..=at, row);
        }
    }

    /// Ctrl-N: adds an empty follow-up row after the focused one (or after the last) and
    /// focuses its text.
    pub fn add_follow_up(&mut self) {
        if !self.has_follow_up_rows() {
            return;
        }
        let rows = self.row_starts();
        let after = rows
            .iter()
            .rev()
            .find(|&&s| s <= self.focus)
            .or(rows.last())
            .map_or(self.fields.len(), |s| s + ROW.len());
        let row = self.follow_up_row();
        self.fields.splice(after..after, row);
        self.focus = after;
        self.suggestions.clear();
    }

    /// Index of each row's first field.
    fn row_starts(&self) -> Vec<usize> {
        self.fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.key == ROW[0])
            .map(|(i, _)| i)
            .collect()
    }

    /// Which row (1-based) the field at `i` belongs to, for its label.
    pub fn follow_up_number(&self, i: usize) -> usize {
        self.row_starts().iter().filter(|&&s| s <= i).count()
    }

    /// Sets the rows from the CSV's `follow_ups` text (one `text;owner;due;done` per line; the
    /// text may itself hold `;`): every line a row, and one empty row if there are none.
    pub(super) fn set_follow_ups(&mut self, value: &str) {
        let starts = self.row_starts();
        let (Some(&first), Some(&last)) = (starts.first(), starts.last()) else {
            return;
        };
        let mut rows: Vec<Field> = Vec::new();
        for line in value.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let parts = crate::domain::fields::split_follow_up(line);
            let mut row = self.follow_up_row();
            for (f, v) in row.iter_mut().zip(parts.iter()) {
                let v = if f.key == "fu_done" {
                    if crate::domain::fields::parse_bool(v) == Some(true) {
                        DONE[1]
                    } else {
                        DONE[0]
                    }
                } else {
                    v.as_str()
                };
                f.set_text(v);
            }
            rows.extend(row);
        }
        if rows.is_empty() {
            rows = self.follow_up_row();
        }
        self.fields.splice(first..last + ROW.len(), rows);
        self.focus = self.focus.min(self.fields.len().saturating_sub(1));
    }

    /// The rows as the CSV's `follow_ups` text (rows without text left out).
    pub fn follow_ups_text(&self) -> String {
        self.row_starts()
            .iter()
            .filter_map(|&s| {
                let v: Vec<String> = (0..ROW.len()).map(|k| self.fields[s + k].text()).collect();
                (!v[0].is_empty()).then(|| v.join(";"))
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Reads the rows: the follow-ups, or the errors `(field index, message)` under the fields
    /// (a row with text needs an owner who is on the staff list; a due date must be a date).
    pub(super) fn read_follow_ups(
        &self,
        res: &dyn Resolver,
    ) -> (Vec<FollowUp>, Vec<(usize, Text)>) {
        let mut out = Vec::new();
        let mut errors = Vec::new();
        for s in self.row_starts() {
            let text = self.fields[s].text();
            let (owner, due, done) = (
                self.fields[s + 1].text(),
                self.fields[s + 2].text(),
                self.fields[s + 3].text(),
            );
            if text.is_empty() {
                if !due.is_empty() {
                    errors.push((
                        s,
                        Text::new(
                            "内容を入力してください(不要なら期限も消してください)",
                            "type what is to be done (or clear the due date too)",
                        ),
                    ));
                }
                continue;
            }
            if let Err(e) = Limit::Line.check(&text) {
                errors.push((s, e));
            }
            let owner_id = if owner.is_empty() {
                errors.push((
                    s + 1,
                    Text::new(
                        "担当者を選んでください(名前かよみを入力して Enter)",
                        "choose who does it (type a name or kana, then Enter)",
                    ),
                ));
                None
            } else {
                match res.staff(&owner) {
                    Ok(id) => Some(id),
                    Err(e) => {
                        errors.push((s + 1, e));
                        None
                    }
                }
            };
            let due = if due.is_empty() {
                None
            } else {
                match crate::domain::parse_date_near(&due, self.ctx.today) {
                    Ok(d) => Some(d),
                    Err(e) => {
                        errors.push((s + 2, Text::new(e.ja(), e.to_string())));
                        None
                    }
                }
            };
            out.push(FollowUp {
                text,
                owner: owner_id,
                due,
                done: done == DONE[1],
            });
        }
        // All rows together are the meeting's `follow_ups` field, with its limit.
        if let (Err(e), Some(&s)) = (
            crate::domain::limits::check_field("follow_ups", &self.follow_ups_text()),
            self.row_starts().first(),
        ) {
            errors.push((s, e));
        }
        (out, errors)
    }

    /// Names for the focused owner field: the meeting's attendees first, then everyone else
    /// who matches `q` (folded).
    pub(super) fn owner_suggestions(&self, q: &str) -> Vec<String> {
        let attendees: Vec<String> = self
            .text_of("attendees")
            .split(';')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        let mut names: Vec<String> = named(&self.ctx.staff, q);
        names.sort_by_key(|n| !attendees.contains(n));
        if q.is_empty() {
            names.retain(|n| attendees.contains(n));
        }
        names
    }
}
