//! What a record's detail lists besides its own fields: the documents attached to it (文書,
//! issue 17.4), a body's 要望・提言 (17.2), a 相談案件's consultations as a timeline and a
//! consultation's case (17.6). From the small tables of [`Lookups`] and the timeline a case row
//! carries; no store reads here.

use super::*;

/// The record an item shows, for the documents attached to it.
fn subject(item: &Item) -> Option<(RecordKind, u64)> {
    Some(match item {
        Item::Body(b) => (RecordKind::Body, b.id),
        Item::Grant(g) => (RecordKind::Grant, g.grant.id),
        Item::ActionRow(r, _) => (RecordKind::Grant, r.grant_id),
        Item::Meeting(m) => (RecordKind::TeamMeeting, m.id),
        Item::Payment(d, _, _) => (RecordKind::Disbursement, d.id),
        Item::Record(r) => (r.kind, r.id),
        _ => return None,
    })
}

/// `label` on the first line of a list, "" on the others (the detail's continuation).
fn listed(label: String, lines: Vec<String>) -> Vec<(String, String)> {
    lines
        .into_iter()
        .enumerate()
        .map(|(n, v)| (if n == 0 { label.clone() } else { String::new() }, v))
        .collect()
}

/// The related lines of `item`'s detail, each `(label, value)`.
pub fn lines(item: &Item, lk: &Lookups, lang: Lang) -> Vec<(String, String)> {
    let l = |m: Msg| lang.t(m).to_string();
    let mut out = Vec::new();
    if let Item::Grant(g) = item
        && let Some(due) = lk
            .ledger
            .iter()
            .find(|r| r.grant_id == g.grant.id)
            .and_then(|r| r.report_due)
    {
        // 実績報告の期限 by the program's rule, and how it stands.
        let today = chrono::Local::now().date_naive();
        let stands = match g.grant.reported_on {
            Some(on) => format!("{} {}", lang.field("reported_on"), lang.date(on)),
            None => crate::app::subsidy::ActionNeeded::ReportDue {
                due,
                late: (today - due).num_days(),
            }
            .text(lang),
        };
        out.push((
            lang.field("report_due").to_string(),
            format!("{}  ({stands})", lang.date(due)),
        ));
        if let Some(end) = g.grant.project_end {
            out.push((lang.field("project_end").to_string(), lang.date(end)));
        }
    }
    if let Some((kind, id)) = subject(item) {
        // Attached to it; for a body also those that concern it without being attached.
        let mut docs: Vec<_> = lk
            .documents
            .iter()
            .filter(|d| {
                d.subject == Some((kind, id)) || (kind == RecordKind::Body && d.body_id == id)
            })
            .collect();
        docs.sort_by_key(|d| (d.date, d.number.clone()));
        docs.dedup_by_key(|d| d.id);
        let docs = docs
            .iter()
            .map(|d| {
                let at = if d.location.is_empty() {
                    String::new()
                } else {
                    format!("  {}", d.location)
                };
                format!("{} {} {}{at}", lang.date(d.date), d.number, d.title)
            })
            .collect();
        out.extend(listed(l(Msg::Documents), docs));
    }
    if let Item::Body(b) = item
        && let Some(c) = &b.citizen_center
    {
        // The centre's designations, newest first, whoever managed it.
        let mut terms: Vec<_> = lk.terms.iter().filter(|x| x.center == c.name).collect();
        terms.sort_by_key(|x| std::cmp::Reverse(x.from));
        let lines = terms
            .iter()
            .map(|x| {
                format!(
                    "{}〜{} {} {}",
                    lang.date(x.from),
                    lang.date(x.to),
                    lk.body_name(x.manager_body_id),
                    lang.yen(x.yearly_fee)
                )
            })
            .collect();
        out.extend(listed(l(Msg::Designations), lines));
    }
    if let Item::Body(b) = item {
        let mut reqs: Vec<_> = lk.requests.iter().filter(|r| r.body_id == b.id).collect();
        reqs.sort_by_key(|r| std::cmp::Reverse((r.received_on, r.number.clone())));
        let reqs = reqs
            .iter()
            .map(|r| {
                format!(
                    "{} {} [{}] {} ({})",
                    lang.date(r.received_on),
                    r.number,
                    r.state.label(lang),
                    r.text,
                    r.section
                )
            })
            .collect();
        out.extend(listed(l(Msg::Requests), reqs));
    }
    if let Item::Record(r) = item
        && r.kind == RecordKind::ConsultationCase
    {
        let t = r
            .timeline
            .iter()
            .map(|c| {
                let cats: Vec<&str> = c.categories.iter().map(|x| x.label(lang)).collect();
                format!(
                    "{} {} {} {}",
                    lang.date(c.date),
                    lk.staff_name(c.counselor_id),
                    c.channel.label(lang),
                    cats.join(if lang == Lang::Ja { "・" } else { ", " })
                )
            })
            .collect::<Vec<_>>();
        let label = format!("{} ({})", l(Msg::Timeline), t.len());
        out.extend(listed(label, t));
    }
    if let Item::Consultation(c) = item
        && c.case_id != 0
        && let Some(case) = lk.cases.iter().find(|k| k.id == c.case_id)
    {
        out.push((
            lang.field("case").to_string(),
            format!("{} {}", case.number, case.title),
        ));
    }
    out
}
