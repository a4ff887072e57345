//! The trees kyodo keeps in sled: one per record type, date indexes, counters, meta, audit,
//! drafts and versions. A tree's position in [`TreeName::ALL`] is stored in version keys.

use super::records;

/// Every tree kyodo keeps. Record trees hold `id → value`; `*ByDate` trees hold index keys.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum TreeName {
    /// [`crate::domain::Body`] by id.
    Bodies,
    /// [`crate::domain::Staff`] by id.
    Staff,
    /// [`crate::domain::BodyCount`] by id.
    BodyCounts,
    /// [`crate::domain::Assignment`] by id.
    Assignments,
    /// [`crate::domain::TeamMeeting`] by id.
    TeamMeetings,
    /// [`crate::domain::Consultation`] by id.
    Consultations,
    /// [`crate::domain::ConsultationTally`] by id.
    ConsultationTallies,
    /// [`crate::domain::BodyActivity`] by id.
    BodyActivities,
    /// [`crate::domain::SubsidyProgram`] by id.
    SubsidyPrograms,
    /// [`crate::domain::Grant`] by id.
    Grants,
    /// [`crate::domain::Disbursement`] by id.
    Disbursements,
    /// [`crate::domain::Indicator`] by its string id.
    Indicators,
    /// [`crate::domain::IndicatorEntry`] by id.
    IndicatorEntries,
    /// [`crate::domain::PlanAction`] by id.
    PlanActions,
    /// Index `fy|date|id` of team meetings.
    TeamMeetingsByDate,
    /// Index `fy|date|id` of consultations.
    ConsultationsByDate,
    /// Index `fy|date|id` of tallies.
    TalliesByDate,
    /// Index `fy|date|id` of activities.
    ActivitiesByDate,
    /// Counter cells `metric/FY/slot → i64` and reference counts `ref/kind/id/tree → i64`.
    Counters,
    /// Schema version, the audit chain's head, and other metadata.
    Meta,
    /// Audit entries by sequence number (append-only, hash-chained).
    Audit,
    /// Unsaved forms kept when a session was cut, by OS login (not records: not audited).
    Drafts,
    /// Record versions: `tree index (1) ++ key → Version` (shared-mode concurrent edits).
    Versions,
}

impl TreeName {
    /// Every tree, in the order they are opened (the index into [`Store`]'s tree vector).
    pub const ALL: [TreeName; 23] = [
        TreeName::Bodies,
        TreeName::Staff,
        TreeName::BodyCounts,
        TreeName::Assignments,
        TreeName::TeamMeetings,
        TreeName::Consultations,
        TreeName::ConsultationTallies,
        TreeName::BodyActivities,
        TreeName::SubsidyPrograms,
        TreeName::Grants,
        TreeName::Disbursements,
        TreeName::Indicators,
        TreeName::IndicatorEntries,
        TreeName::PlanActions,
        TreeName::TeamMeetingsByDate,
        TreeName::ConsultationsByDate,
        TreeName::TalliesByDate,
        TreeName::ActivitiesByDate,
        TreeName::Counters,
        TreeName::Meta,
        TreeName::Audit,
        TreeName::Drafts,
        TreeName::Versions,
    ];

    /// The record tree of a record type named as in CSV files (`indicator_values` is the
    /// `indicator_entries` tree); `None` for other names.
    pub fn of_type(name: &str) -> Option<TreeName> {
        let name = if name == "indicator_values" {
            "indicator_entries"
        } else {
            name
        };
        TreeName::ALL
            .into_iter()
            .find(|t| t.name() == name && records::stored_fn(*t).is_some())
    }

    /// The sled tree name (also the record type's name in CSV and messages).
    pub fn name(self) -> &'static str {
        match self {
            TreeName::Bodies => "bodies",
            TreeName::Staff => "staff",
            TreeName::BodyCounts => "body_counts",
            TreeName::Assignments => "assignments",
            TreeName::TeamMeetings => "team_meetings",
            TreeName::Consultations => "consultations",
            TreeName::ConsultationTallies => "consultation_tallies",
            TreeName::BodyActivities => "body_activities",
            TreeName::SubsidyPrograms => "subsidy_programs",
            TreeName::Grants => "grants",
            TreeName::Disbursements => "disbursements",
            TreeName::Indicators => "indicators",
            TreeName::IndicatorEntries => "indicator_entries",
            TreeName::PlanActions => "plan_actions",
            TreeName::TeamMeetingsByDate => "team_meetings_by_date",
            TreeName::ConsultationsByDate => "consultations_by_date",
            TreeName::TalliesByDate => "consultation_tallies_by_date",
            TreeName::ActivitiesByDate => "body_activities_by_date",
            TreeName::Counters => "counters",
            TreeName::Meta => "meta",
            TreeName::Audit => "audit",
            TreeName::Drafts => "drafts",
            TreeName::Versions => "versions",
        }
    }

    pub(crate) fn index(self) -> usize {
        TreeName::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
}
