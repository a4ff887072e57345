//! Choosing in a form: options by digit or arrow, checklists, and names picked from
//! suggestions by name or kana (a meeting's body proposes its team as attendees).

use super::*;
use crate::app::resolve::{Named, matches};

impl Form {
    pub(super) fn choose(&mut self, options: &[super::kinds::Opt], input: Input) {
        if options.is_empty() {
            return;
        }
        let cur = self.focused().text();
        let i = options.iter().position(|o| o.value == cur).unwrap_or(0);
        let n = options.len();
        let next = match input.key {
            Key::Right | Key::Char(' ') => (i + 1) % n,
            Key::Left => (i + n - 1) % n,
            Key::Char(c @ '1'..='9') if (c as usize - '1' as usize) < n => {
                c as usize - '1' as usize
            }
            _ => return,
        };
        let v = options[next].value.clone();
        self.focused_mut().set_text(&v);
        if self.kind == FormKind::Disbursement
            && self.focused().key == "kind"
            && v == DisbursementKind::Refund.ja()
        {
            self.propose_refund();
        }
        // A digit is a whole answer: go on to the next field.
        if matches!(input.key, Key::Char('1'..='9')) && self.focus + 1 < self.fields.len() {
            self.move_focus(1);
        }
    }

    /// A payment that is a 返還: its amount is what the grant's body owes back (paid beyond the
    /// confirmed amount), when the amount is still empty.
    fn propose_refund(&mut self) {
        if !self.text_of("amount").is_empty() {
            return;
        }
        let ctx = self.ctx.clone();
        let Ok(program) = ctx.program(&self.text_of("program"), ctx.fy) else {
            return;
        };
        let Ok(body) = crate::domain::recipient::find(ctx.as_ref(), &self.text_of("body")) else {
            return;
        };
        let Some(g) = ctx
            .grants
            .iter()
            .find(|g| g.program_id == program && g.recipient == body)
        else {
            return;
        };
        let pays: Vec<&Disbursement> = ctx.payments.iter().filter(|p| p.grant_id == g.id).collect();
        let due = crate::domain::money(g, &pays).refund_due;
        if due > 0 {
            self.set("amount", &crate::domain::money::group_digits(due));
        }
    }

    pub(super) fn toggle(&mut self, options: &[super::kinds::Opt], input: Input) {
        let Key::Char(c @ '1'..='9') = input.key else {
            if input.key == Key::Backspace {
                self.focused_mut().set_text("");
            }
            return;
        };
        let Some(opt) = options.get(c as usize - '1' as usize).map(|o| &o.value) else {
            return;
        };
        let mut cur: Vec<String> = self
            .focused()
            .text()
            .split(';')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        if let Some(p) = cur.iter().position(|x| x == opt) {
            cur.remove(p);
        } else {
            cur.push(opt.clone());
        }
        let v = cur.join(";");
        self.focused_mut().set_text(&v);
    }

    /// The part of the focused field that names a record (the last `;` item for lists).
    fn name_query(&self) -> String {
        let t = self.focused().text();
        match self.focused().kind {
            FieldKind::StaffList => t.rsplit(';').next().unwrap_or("").trim().to_string(),
            _ => t,
        }
    }

    pub(super) fn suggest(&mut self) {
        self.suggestions.clear();
        self.suggestion = 0;
        let q = fold(&self.name_query());
        if q.is_empty() {
            return;
        }
        let pick = |names: Vec<String>| names.into_iter().take(6).collect::<Vec<_>>();
        self.suggestions = match self.focused().kind {
            FieldKind::BodyRef => {
                if self.kind == FormKind::Consultation
                    && self.text_of("client_type") != fields::CLIENT_TYPES[0].1
                {
                    return;
                }
                let mut names = named(&self.ctx.bodies, &q);
                // A type that names 自治会 by label takes any grantee where it names a body.
                if self.kind.names_from().is_some_and(|k| {
                    k.names_by_label()
                        .contains(&crate::domain::RecordKind::NeighborhoodAssociation)
                }) {
                    names.extend(self.recipient_suggestions(&q));
                }
                pick(names)
            }
            FieldKind::StaffRef if self.focused().key == "fu_owner" => {
                pick(self.owner_suggestions(&q))
            }
            FieldKind::StaffRef | FieldKind::StaffList => pick(named(&self.ctx.staff, &q)),
            _ => Vec::new(),
        };
        // An exact, complete name needs no list.
        if self.suggestions.len() == 1 && fold(&self.suggestions[0]) == q {
            self.suggestions.clear();
        }
    }

    pub(super) fn accept_suggestion(&mut self) {
        let Some(name) = self.suggestions.get(self.suggestion).cloned() else {
            return;
        };
        let text = match self.focused().kind {
            FieldKind::StaffList => {
                let t = self.focused().text();
                let mut parts: Vec<&str> = t.split(';').map(str::trim).collect();
                parts.pop();
                parts.push(&name);
                let mut s = parts
                    .into_iter()
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
                    .join(";");
                s.push(';');
                s
            }
            _ => name,
        };
        self.focused_mut().set_text(&text);
        self.suggestions.clear();
        let key = self.focused().key;
        if key == "body" {
            self.propose_team();
            self.propose_award();
        }
        // A single name is complete once picked: go on (a list stays for the next name).
        if self.focused().kind != FieldKind::StaffList && self.focus + 1 < self.fields.len() {
            self.move_focus(1);
        }
    }

    /// A grant under a multi-year program whose recipient is picked takes that recipient's
    /// award of the program, when there is exactly one and none is typed yet (issue 18.2).
    fn propose_award(&mut self) {
        if self.kind != FormKind::Grant || !self.text_of("award").is_empty() {
            return;
        }
        let ctx = self.ctx.clone();
        let program = self.text_of("program");
        let Ok(recipient) = crate::domain::recipient::find(ctx.as_ref(), &self.text_of("body"))
        else {
            return;
        };
        let fy = ctx.fy;
        let mut mine = ctx.names.awards.values().filter(|a| {
            a.program == program && a.recipient == recipient && a.year_of(fy).is_some()
        });
        if let (Some(a), None) = (mine.next(), mine.next()) {
            let number = a.number.clone();
            self.set("award", &number);
        }
    }

    /// A meeting whose body is chosen (picked, or pre-filled from the body) proposes the body's
    /// team on the meeting's date as its attendees, if none are typed yet.
    pub fn propose_team(&mut self) {
        if self.kind != FormKind::Meeting || !self.text_of("attendees").is_empty() {
            return;
        }
        let Ok(body) = self.ctx.body(&self.text_of("body")) else {
            return;
        };
        let on = parse_date_near(&self.text_of("date"), self.ctx.today).unwrap_or(self.ctx.today);
        let mut team: Vec<&Assignment> = self
            .ctx
            .assignments
            .iter()
            .filter(|a| a.body_id == body && a.covers(on))
            .collect();
        team.sort_by_key(|a| (a.role, a.staff_id));
        let names: Vec<String> = team
            .iter()
            .map(|a| self.ctx.staff_name(a.staff_id))
            .collect();
        if !names.is_empty() {
            let mut text = names.join(";");
            text.push(';');
            self.set("attendees", &text);
        }
    }
}

impl Form {
    /// 自治会 and organisations whose name contains `q` (folded), for a grant's recipient.
    fn recipient_suggestions(&self, q: &str) -> Vec<String> {
        self.ctx
            .names
            .labels
            .iter()
            .filter(|((k, _), name)| {
                crate::domain::recipient::LABELLED.contains(k) && fold(name).contains(q)
            })
            .map(|(_, name)| name.clone())
            .collect()
    }
}

pub(super) fn named<T: Named>(items: &[T], q: &str) -> Vec<String> {
    items
        .iter()
        .filter(|i| i.pickable() && matches(*i, q))
        .map(|i| i.name().to_string())
        .collect()
}
