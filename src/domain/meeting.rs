//! チーム会議 (liaison team meetings) and フォローアップ items.

use super::{BodyId, StaffId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Record id of a [`TeamMeeting`].
pub type TeamMeetingId = u64;

/// チーム会議: a meeting of a body's liaison team, often with body officers. Counted for the
/// `team_meetings` indicator by its date's fiscal year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMeeting {
    /// Record id.
    pub id: TeamMeetingId,
    /// Which body's team met.
    pub body_id: BodyId,
    /// Date held.
    pub date: NaiveDate,
    /// 場所, e.g. `花泉市民センター`.
    pub place: String,
    /// Staff who attended.
    pub attendees: Vec<StaffId>,
    /// Other attendees as written (body officers, guests).
    pub guests: String,
    /// 議題.
    pub agenda: String,
    /// 記録 (notes).
    pub notes: String,
    /// 決定事項.
    pub decisions: String,
    /// Action items.
    pub follow_ups: Vec<FollowUp>,
}

/// フォローアップ: an action item from a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    /// What is to be done.
    pub text: String,
    /// Who does it.
    pub owner: Option<StaffId>,
    /// By when.
    pub due: Option<NaiveDate>,
    /// Done yet.
    pub done: bool,
}
