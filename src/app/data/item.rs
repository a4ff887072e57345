//! One row of a list pane ([`Item`]) and the stored record it shows.

use super::*;

/// One row of a list pane.
#[derive(Debug, Clone)]
pub enum Item {
    /// A dashboard indicator.
    Indicator(IndicatorStatus),
    /// A body.
    Body(Body),
    /// A staff member.
    Staff(Staff),
    /// A team meeting.
    Meeting(TeamMeeting),
    /// A detailed consultation.
    Consultation(Consultation),
    /// A tally entry.
    Tally(ConsultationTally),
    /// A grant.
    Grant(GrantRow),
    /// A body activity.
    Activity(BodyActivity),
    /// An assignment.
    Assignment(Assignment),
    /// A subsidy program with its totals.
    Program(SubsidyProgram, ProgramSummary),
    /// A payment, with the body and program it went to.
    Payment(Disbursement, Recipient, String),
    /// A heading inside a list (My work), with optional detail text.
    Section(crate::i18n::Msg, String),
    /// One of my bodies, with my role on its team.
    MyBody(Body, TeamRole),
    /// Follow-up `index` of a meeting.
    FollowUp(TeamMeeting, usize),
    /// An audit entry, and its words in Japanese and English ([`crate::app::audit_text`]).
    Audit(AuditEntry, Box<[crate::app::audit_text::AuditText; 2]>),
    /// A recent meeting in My work.
    MyMeeting(TeamMeeting),
    /// An indicator's definition.
    IndicatorDef(Indicator),
    /// A plan action.
    PlanAction(PlanAction),
    /// A record of a type listed by the generic list.
    Record(RecordRow),
    /// A grant that needs action, and why.
    ActionRow(
        crate::app::subsidy::LedgerRow,
        crate::app::subsidy::ActionNeeded,
    ),
    /// Something due that is not a follow-up (a report, a reply, a case's next contact) in My
    /// work ([`crate::app::due`]).
    Due(crate::app::due::DueItem),
    /// A meeting or something due on a day of the month view ([`crate::app::agenda`]).
    Agenda(crate::app::agenda::Entry),
}

impl Item {
    /// The stored record this row shows, as (form kind, id), for edit and delete.
    pub fn record(&self) -> Option<(FormKind, u64)> {
        Some(match self {
            Item::Body(b) | Item::MyBody(b, _) => (FormKind::Body, b.id),
            Item::Staff(s) => (FormKind::Staff, s.id),
            Item::Meeting(m) | Item::FollowUp(m, _) | Item::MyMeeting(m) => {
                (FormKind::Meeting, m.id)
            }
            Item::Consultation(c) => (FormKind::Consultation, c.id),
            Item::Tally(t) => (FormKind::Tally, t.id),
            Item::Grant(g) => (FormKind::Grant, g.grant.id),
            Item::Activity(a) => (FormKind::Activity, a.id),
            Item::Assignment(a) => (FormKind::Assignment, a.id),
            Item::Program(p, _) => (FormKind::Program, p.id),
            Item::Payment(d, _, _) => (FormKind::Disbursement, d.id),
            Item::ActionRow(r, _) => (FormKind::Grant, r.grant_id),
            Item::IndicatorDef(_) => (FormKind::Indicator, 0),
            Item::PlanAction(a) => (FormKind::PlanAction, a.id),
            Item::Record(r) => (FormKind::Record(r.kind), r.id),
            Item::Due(d) | Item::Agenda(crate::app::agenda::Entry::Due(d)) => match d.record.0 {
                RecordKind::Grant => (FormKind::Grant, d.record.1),
                RecordKind::TeamMeeting => (FormKind::Meeting, d.record.1),
                k => (FormKind::Record(k), d.record.1),
            },
            Item::Agenda(crate::app::agenda::Entry::Meeting(m, _)) => (FormKind::Meeting, m.id),
            Item::Agenda(crate::app::agenda::Entry::Committee(c)) => {
                (FormKind::Record(RecordKind::CommitteeMeeting), c.id)
            }
            Item::Indicator(_) | Item::Section(..) | Item::Audit(..) => return None,
        })
    }
}
