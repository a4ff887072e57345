//! What is due: one list of everything with a date someone must meet (issue 17.3) — the
//! follow-ups of チーム会議, grants' 実績報告 (by their program's [`ReportDue`] rule), answers to
//! bodies' 要望・提言, the next contact of continuing 相談案件, and 指定管理 periods ending within
//! the next fiscal year (their renewal, issue 18.4) — in date order, with who is responsible. `kyodo due`, `kyodo agenda` and the TUI's 自分 pane read it.
//!
//! Read cost: grants, programs, requests and cases are small tables read whole; follow-ups come
//! from the open-follow-up counters (only meetings that hold open ones are read).
//!
//! [`ReportDue`]: crate::domain::report_due::ReportDue

use crate::domain::consultation_case::{CaseStatus, ConsultationCase};
use crate::domain::request::Request;
use crate::domain::*;
use crate::store::{Store, StoreError};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// What kind of thing is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DueKind {
    /// A チーム会議's follow-up (フォローアップ).
    FollowUp,
    /// A grant's 実績報告.
    Report,
    /// The answer to a 要望・提言.
    Reply,
    /// The next contact of a 相談案件.
    Contact,
    /// The renewal of a 市民センター's 指定管理 whose period ends (by its last day).
    Renewal,
    /// The 参加報告会 a staff member owes after a training (issue 19.4).
    ReportBack,
}

impl DueKind {
    /// Its name on screen.
    pub fn label(self, lang: Lang) -> &'static str {
        let (ja, en) = match self {
            DueKind::FollowUp => ("フォローアップ", "Follow-up"),
            DueKind::Report => ("実績報告", "Report"),
            DueKind::Reply => ("要望への回答", "Request reply"),
            DueKind::Contact => ("次回連絡", "Next contact"),
            DueKind::Renewal => ("指定管理の更新", "Designation renewal"),
            DueKind::ReportBack => ("研修の報告会", "Training report-back"),
        };
        match lang {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }

    /// Its stable code (JSON, CSV).
    pub fn code(self) -> &'static str {
        match self {
            DueKind::FollowUp => "follow_up",
            DueKind::Report => "report",
            DueKind::Reply => "reply",
            DueKind::Contact => "contact",
            DueKind::Renewal => "renewal",
            DueKind::ReportBack => "report_back",
        }
    }
}

/// One thing due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueItem {
    /// The date it is due.
    pub due: NaiveDate,
    /// What kind of thing.
    pub kind: DueKind,
    /// What is to be done, in the record's own words (a follow-up's text, a program's name, a
    /// request's number and text, a case's number and title).
    pub what: String,
    /// The body it concerns (0 for none).
    pub body_id: BodyId,
    /// The body's name (empty for none).
    pub body: String,
    /// Who is responsible, in words: the owner, the 担当課, the body's 地域担当, the counselor
    /// (empty when nobody is set).
    pub who: String,
    /// The staff member responsible, when one person is.
    pub owner: Option<StaffId>,
    /// The record it comes from: its kind and id (for a follow-up, its meeting).
    pub record: (RecordKind, u64),
    /// For a follow-up, its position in its meeting's list.
    pub follow_up: Option<usize>,
}

impl DueItem {
    /// Days past its date on `today` (negative: days left).
    pub fn late(&self, today: NaiveDate) -> i64 {
        (today - self.due).num_days()
    }
}

/// Whose items: everyone's, or one person's (`--me`, the 自分 pane).
#[derive(Debug, Clone, Copy)]
pub enum Whose<'a> {
    /// Everything.
    Everyone,
    /// What `me` is responsible for: their follow-ups and cases; reports of the bodies they are
    /// assigned to; replies of their section or their bodies; for a coordinator or admin, every
    /// report and reply (they route them).
    Me(&'a Staff),
}

/// Everything due on or before `until` (overdue ones included, however old), for `whose`, in
/// date order (then kind, then what).
///
/// Errors: a record that cannot be read.
pub fn due_items(
    store: &Store,
    today: NaiveDate,
    until: NaiveDate,
    whose: Whose,
) -> Result<Vec<DueItem>, StoreError> {
    let bodies: BTreeMap<BodyId, Body> = store
        .list::<Body>()
        .whole()?
        .into_iter()
        .map(|b| (b.id, b))
        .collect();
    let staff: BTreeMap<StaffId, Staff> = store
        .list::<Staff>()
        .whole()?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let assignments: Vec<Assignment> = store
        .list::<Assignment>()
        .whole()?
        .into_iter()
        .filter(|a| a.covers(today))
        .collect();
    let body_name = |id: BodyId| bodies.get(&id).map(|b| b.name.clone()).unwrap_or_default();
    let staff_name = |id: StaffId| staff.get(&id).map(|s| s.name.clone()).unwrap_or_default();
    let liaisons = |body: BodyId| {
        let mut team: Vec<&Assignment> = assignments.iter().filter(|a| a.body_id == body).collect();
        team.sort_by_key(|a| (a.role != TeamRole::Leader, a.staff_id));
        team.iter()
            .map(|a| staff_name(a.staff_id))
            .collect::<Vec<_>>()
            .join("、")
    };
    let (me, routes) = match whose {
        Whose::Everyone => (None, true),
        Whose::Me(s) => (Some(s), matches!(s.role, Role::Coordinator | Role::Admin)),
    };
    let mine_body = |body: BodyId| {
        me.is_some_and(|m| {
            assignments
                .iter()
                .any(|a| a.staff_id == m.id && a.body_id == body)
        })
    };
    let mut out = Vec::new();
    // Follow-ups: only the meetings that hold open ones.
    let meetings = match me {
        Some(m) => store.meetings_with_open_follow_ups(m.id)?,
        None => store.meetings_with_any_open_follow_ups()?,
    };
    for id in meetings {
        let Some(m) = store.get_id::<TeamMeeting>(id)? else {
            continue;
        };
        for (i, f) in m.follow_ups.iter().enumerate() {
            let Some(due) = f.due else { continue };
            if f.done || due > until || me.is_some_and(|s| f.owner != Some(s.id)) {
                continue;
            }
            out.push(DueItem {
                due,
                kind: DueKind::FollowUp,
                what: f.text.clone(),
                body_id: m.body_id,
                body: body_name(m.body_id),
                who: f.owner.map(staff_name).unwrap_or_default(),
                owner: f.owner,
                record: (RecordKind::TeamMeeting, m.id),
                follow_up: Some(i),
            });
        }
    }
    // 実績報告 of grants decided and not yet reported, by their program's rule.
    let programs: BTreeMap<SubsidyProgramId, SubsidyProgram> = store
        .list::<SubsidyProgram>()
        .whole()?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let grantees = crate::app::grantees::Grantees::load(store)?;
    for g in store.list::<Grant>().whole()? {
        let Some(p) = programs.get(&g.program_id) else {
            continue;
        };
        // A 自治会's grant is answered for by its body's liaisons; an organisation's by nobody
        // named (coordinators route it).
        let body_id = grantees.body_of(g.recipient).unwrap_or(0);
        let owed = matches!(g.state, GrantState::Decided | GrantState::AdvancePaid)
            && g.reported_on.is_none();
        let Some(due) = p.report_due.due(p.fiscal_year, g.project_end) else {
            continue;
        };
        if !owed || due > until || (me.is_some() && !routes && !mine_body(body_id)) {
            continue;
        }
        out.push(DueItem {
            due,
            kind: DueKind::Report,
            what: format!("{} ({})", p.name, p.fiscal_year.0),
            body_id,
            body: grantees.name(g.recipient, &bodies),
            who: liaisons(body_id),
            owner: None,
            record: (RecordKind::Grant, g.id),
            follow_up: None,
        });
    }
    // Answers to requests still 受付.
    for q in store.list::<Request>().whole()? {
        let due = q.reply_due_on();
        let theirs = me.is_some_and(|m| !m.section.is_empty() && m.section == q.section);
        if q.state != crate::domain::request::RequestState::Received
            || due > until
            || (me.is_some() && !routes && !theirs && !mine_body(q.body_id))
        {
            continue;
        }
        out.push(DueItem {
            due,
            kind: DueKind::Reply,
            what: format!("{} {}", q.number, q.text),
            body_id: q.body_id,
            body: body_name(q.body_id),
            who: q.section.clone(),
            owner: None,
            record: (RecordKind::Request, q.id),
            follow_up: None,
        });
    }
    // Next contacts of continuing cases.
    for c in store.list::<ConsultationCase>().whole()? {
        let Some(due) = c.next_contact else { continue };
        if c.status != CaseStatus::Continuing
            || due > until
            || me.is_some_and(|m| m.id != c.counselor_id)
        {
            continue;
        }
        out.push(DueItem {
            due,
            kind: DueKind::Contact,
            what: format!("{} {}", c.number, c.title),
            body_id: 0,
            body: String::new(),
            who: staff_name(c.counselor_id),
            owner: Some(c.counselor_id),
            record: (RecordKind::ConsultationCase, c.id),
            follow_up: None,
        });
    }
    // 指定管理 periods ending by the end of next fiscal year with no period after them: their
    // renewal is due by their last day (for coordinators, who prepare the designation, and the
    // managing body's liaisons).
    let terms = store
        .list::<crate::domain::designation::DesignationTerm>()
        .whole()?;
    let horizon = FiscalYear::of(today).next().end().unwrap_or(until);
    for x in &terms {
        let renewed = terms.iter().any(|y| y.center == x.center && y.from > x.to);
        if renewed
            || x.to > horizon.max(until)
            || (me.is_some() && !routes && !mine_body(x.manager_body_id))
        {
            continue;
        }
        out.push(DueItem {
            due: x.to,
            kind: DueKind::Renewal,
            what: format!("{} ({}〜{})", x.center, x.from, x.to),
            body_id: x.manager_body_id,
            body: body_name(x.manager_body_id),
            who: liaisons(x.manager_body_id),
            owner: None,
            record: (RecordKind::DesignationTerm, x.id),
            follow_up: None,
        });
    }
    // Report-backs owed after a training, by the attendee.
    for x in store.list::<crate::domain::training::Training>().whole()? {
        let Some(due) = x.report_due.filter(|_| x.report_owed()) else {
            continue;
        };
        if due > until || me.is_some_and(|m| m.id != x.staff_id) {
            continue;
        }
        out.push(DueItem {
            due,
            kind: DueKind::ReportBack,
            what: x.title.clone(),
            body_id: 0,
            body: String::new(),
            who: staff_name(x.staff_id),
            owner: Some(x.staff_id),
            record: (RecordKind::Training, x.id),
            follow_up: None,
        });
    }
    out.sort_by(|a, b| (a.due, a.kind, &a.what).cmp(&(b.due, b.kind, &b.what)));
    Ok(out)
}

/// How many of `items` are overdue on `today` (due before it).
pub fn overdue(items: &[DueItem], today: NaiveDate) -> usize {
    items.iter().filter(|i| i.due < today).count()
}
