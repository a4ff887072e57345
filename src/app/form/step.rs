//! A form's target tree and the grant-step form (申請・決定・実績報告・確定 and payments): what a
//! step records and how its amount is read.

use super::*;

impl Form {
    /// The tree of the record this form edits in place (none for lifecycle steps and
    /// indicators, which are not kept by numeric id).
    pub fn tree(&self) -> Option<crate::store::TreeName> {
        match self.kind {
            FormKind::GrantStep | FormKind::Indicator => None,
            k => crate::store::TreeName::of_type(k.table()),
        }
    }

    /// The step a grant-step form describes, with its note; errors go under the fields.
    pub fn build_step(&mut self) -> Option<(crate::domain::grant::Step, String)> {
        use crate::domain::grant::{Step, StepKind};
        for f in self.fields.iter_mut() {
            f.error = None;
        }
        let mut r = Reader {
            fields: &self.fields,
            errors: Vec::new(),
            today: self.ctx.today,
        };
        fields::check_limits("grant_steps", &mut r);
        let kind = StepKind::parse(&r.raw("step"));
        let date = r.date("date");
        let amount = match kind {
            Some(k) if k.takes_amount() => {
                if r.raw("amount").is_empty() {
                    r.error(
                        "amount",
                        "",
                        Text::new("金額を入力してください", "type the amount"),
                    );
                    0
                } else {
                    r.yen("amount")
                }
            }
            _ => 0,
        };
        let note = r.raw("note");
        let errors = std::mem::take(&mut r.errors);
        let step = kind.map(|k| match k {
            StepKind::Decide => Step::Decide(date, amount),
            StepKind::Advance => Step::Advance(date, amount),
            StepKind::Report => Step::Report(date),
            StepKind::Confirm => Step::Confirm(date, amount),
            StepKind::Settle => Step::Settle(date),
            StepKind::Refund => Step::Refund(date),
            StepKind::Close => Step::Close(date),
        });
        if errors.is_empty()
            && let Some(s) = step
        {
            return Some((s, note));
        }
        for (k, m) in errors {
            if let Some(f) = self.fields.iter_mut().find(|f| f.key == k) {
                f.error = Some(m);
            }
        }
        None
    }

    /// Shows a refusal from the rules under the field it concerns (the amount for money rules,
    /// else the step or date).
    pub fn refuse(&mut self, t: Text) {
        let key = if t.en.contains("before the previous step") {
            "date"
        } else if t.en.contains("paid") || t.en.contains("amount") || t.en.contains("budget") {
            "amount"
        } else {
            "step"
        };
        if let Some(f) = self.fields.iter_mut().find(|f| f.key == key) {
            f.error = Some(t);
        }
    }
}
