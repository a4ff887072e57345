//! The text a `/` filter matches for a row: its visible cells, folded, with the readings
//! (kana) of the names it shows, so that 「はないずみ」 finds 花泉.

use super::cells;
use crate::app::data::{Item, Lookups};
use crate::domain::*;
use crate::i18n::Lang;
use crate::text::fold;

/// The folded text a `/` filter matches against: names, kana and the visible cells.
pub fn search_text(item: &Item, lk: &Lookups, lang: Lang, fy: FiscalYear) -> String {
    let mut s = cells(item, lk, lang, fy).join(" ");
    match item {
        Item::Record(r) => {
            for (_, v) in &r.fields {
                s.push(' ');
                s.push_str(v);
            }
        }
        Item::Body(b) => {
            s.push(' ');
            s.push_str(&b.kana);
        }
        Item::Activity(BodyActivity { body_id, .. })
        | Item::Assignment(Assignment { body_id, .. }) => {
            if let Some(b) = lk.bodies.get(body_id) {
                s.push(' ');
                s.push_str(&b.kana);
            }
        }
        Item::Payment(_, r, _) => {
            s.push(' ');
            s.push_str(&lk.grantees.kana(*r, &lk.bodies));
        }
        Item::Meeting(m) => {
            if let Some(b) = lk.bodies.get(&m.body_id) {
                s.push(' ');
                s.push_str(&b.kana);
            }
        }
        Item::Grant(g) => {
            s.push(' ');
            s.push_str(&lk.grantees.kana(g.grant.recipient, &lk.bodies));
            // The program, so `/モデル` finds the モデル事業 grants.
            s.push(' ');
            s.push_str(&g.program);
        }
        Item::Consultation(c) => {
            s.push(' ');
            s.push_str(&lk.staff_name(c.counselor_id));
            if let Client::Body(id) = c.client
                && let Some(b) = lk.bodies.get(&id)
            {
                s.push(' ');
                s.push_str(&b.kana);
            }
        }
        Item::Indicator(i) => {
            s.push(' ');
            s.push_str(&i.indicator.id);
        }
        Item::Audit(e, texts) => {
            // What the auditor reads, in both languages: actor, record, labels, values.
            s.push(' ');
            for t in texts.iter() {
                for part in [&t.actor, &t.action, &t.record_type, &t.record] {
                    s.push_str(part);
                    s.push(' ');
                }
                for c in &t.changes {
                    s.push_str(&c.label);
                    s.push(' ');
                    s.push_str(c.after.as_deref().or(c.before.as_deref()).unwrap_or(""));
                    s.push(' ');
                }
            }
            s.push_str(&e.record.record_type);
        }
        _ => {}
    }
    fold(&s)
}
