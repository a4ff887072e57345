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

/// Name prefix of the counters of open follow-ups per owner: `follow_ups_open/<owner>/<meeting>`
/// counts the open follow-ups of one meeting that `owner` does (so 自分 finds every open one of
/// a person, however old, without reading every meeting; issue 14). Owner 0 counts those nobody
/// owns (schema 4).
pub const FOLLOW_UPS_OPEN: &str = "follow_ups_open";

/// The counter prefix of `owner`'s open follow-ups (see [`FOLLOW_UPS_OPEN`]).
pub fn open_follow_ups_prefix(owner: StaffId) -> String {
    format!("{FOLLOW_UPS_OPEN}/{owner:020}/")
}

impl TeamMeeting {
    /// The counters of its open follow-ups, one per owner: `(name, count)`.
    pub fn open_follow_up_counts(&self) -> Vec<(String, i64)> {
        let mut by_owner: std::collections::BTreeMap<StaffId, i64> = Default::default();
        // Those nobody owns yet are counted under owner 0, so the due list finds them too.
        for f in self.follow_ups.iter().filter(|f| !f.done) {
            *by_owner.entry(f.owner.unwrap_or(0)).or_default() += 1;
        }
        by_owner
            .into_iter()
            .map(|(o, n)| (format!("{}{:020}", open_follow_ups_prefix(o), self.id), n))
            .collect()
    }
}
