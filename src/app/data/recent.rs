//! What a body has been doing, for its detail (issue 14): its latest team meetings, the open
//! follow-ups from them and its latest consultations, read through the date indexes of the
//! fiscal year on screen and the one before (never the whole history).

use super::{Loader, take};
use crate::domain::*;

/// A body's recent work, newest first.
#[derive(Debug, Clone)]
pub struct BodyRecent {
    /// The body.
    pub body: BodyId,
    /// Its latest team meetings (at most [`BodyRecent::SHOWN`]).
    pub meetings: Vec<TeamMeeting>,
    /// Follow-ups still open from its meetings of these two years: `(meeting, index)`.
    pub open: Vec<(TeamMeeting, usize)>,
    /// Its latest consultations (at most [`BodyRecent::SHOWN`]).
    pub consultations: Vec<Consultation>,
    /// The fiscal year these were read for (the one on screen).
    pub fy: FiscalYear,
    /// What it did in the fiscal year: team meetings, consultations from it, activities.
    pub year: [usize; 3],
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
        let activities = take(self.store.list_fy::<BodyActivity>(fy), &mut problems)
            .iter()
            .filter(|a| a.body_id == body)
            .count();
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
        let in_fy = |d: chrono::NaiveDate| FiscalYear::of(d) == fy;
        let year = [
            meetings.iter().filter(|m| in_fy(m.date)).count(),
            consultations.iter().filter(|c| in_fy(c.date)).count(),
            activities,
        ];
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
            fy,
            year,
        }
    }
}
