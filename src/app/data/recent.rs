//! What a body has been doing, for its detail (issue 14): its latest team meetings, the open
//! follow-ups from them and its latest consultations, read through the date indexes of the
//! fiscal year on screen and the one before (never the whole history).

use super::{Loader, take};
use crate::domain::*;

/// A body's recent work, newest first.
#[derive(Debug, Clone, Default)]
pub struct BodyRecent {
    /// The body.
    pub body: BodyId,
    /// Its latest team meetings (at most [`BodyRecent::SHOWN`]).
    pub meetings: Vec<TeamMeeting>,
    /// Follow-ups still open from its meetings of these two years: `(meeting, index)`.
    pub open: Vec<(TeamMeeting, usize)>,
    /// Its latest consultations (at most [`BodyRecent::SHOWN`]).
    pub consultations: Vec<Consultation>,
}

impl BodyRecent {
    /// How many meetings and consultations a detail lists.
    pub const SHOWN: usize = 5;
}

impl Loader<'_> {
    /// The recent work of `body` in fiscal year `fy` and the one before; records that cannot be
    /// read are left out (the lists report them).
    pub fn body_recent(&self, body: BodyId, fy: FiscalYear) -> BodyRecent {
        let mut problems = Vec::new();
        let mut meetings: Vec<TeamMeeting> = Vec::new();
        let mut consultations: Vec<Consultation> = Vec::new();
        for y in [fy, fy.prev()] {
            meetings.extend(
                take(self.store.list_fy::<TeamMeeting>(y), &mut problems)
                    .into_iter()
                    .filter(|m| m.body_id == body),
            );
            consultations.extend(
                take(self.store.list_fy::<Consultation>(y), &mut problems)
                    .into_iter()
                    .filter(|c| c.client == Client::Body(body)),
            );
        }
        meetings.sort_by_key(|m| std::cmp::Reverse((m.date, m.id)));
        consultations.sort_by_key(|c| std::cmp::Reverse((c.date, c.id)));
        let open = meetings
            .iter()
            .flat_map(|m| {
                m.follow_ups
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| !f.done)
                    .map(move |(i, _)| (m.clone(), i))
            })
            .collect();
        meetings.truncate(BodyRecent::SHOWN);
        consultations.truncate(BodyRecent::SHOWN);
        BodyRecent {
            body,
            meetings,
            open,
            consultations,
        }
    }
}
