//! 自分 (My work): what is due for the user (every open follow-up they own however old, from
//! the open-follow-up counters, those ticked since the pane opened, and the reports, replies and
//! case contacts of [`crate::app::due`]), each part by date, then their bodies and recent meetings.

use super::{Item, Loader, Lookups, take};
use crate::domain::*;

impl Loader<'_> {
    /// My work: my open follow-ups (however old) by due date, my current bodies, and meetings of my
    /// bodies or that I attended (the fiscal year on screen and the one before, read through the
    /// index; on screen is the current year unless the user moved).
    pub(super) fn my_work(
        &self,
        lk: &Lookups,
        fy: FiscalYear,
        problems: &mut Vec<String>,
    ) -> Vec<Item> {
        use crate::i18n::Msg;
        let me = self.store.actor().staff_id;
        let mut out = Vec::new();
        let Some(me) = me else {
            out.push(Item::Section(
                Msg::NoStaffRecord,
                self.store.actor().login.clone(),
            ));
            return out;
        };
        let today = chrono::Local::now().date_naive();
        let mut bodies = vec![Item::Section(Msg::MyBodies, String::new())];
        let mut mine: Vec<(Body, TeamRole)> = lk
            .assignments
            .iter()
            .filter(|a| a.staff_id == me && a.covers(today))
            .filter_map(|a| lk.bodies.get(&a.body_id).map(|b| (b.clone(), a.role)))
            .collect();
        mine.sort_by(|a, b| a.0.kana.cmp(&b.0.kana));
        let my_bodies: Vec<BodyId> = mine.iter().map(|(b, _)| b.id).collect();
        bodies.extend(mine.into_iter().map(|(b, r)| Item::MyBody(b, r)));
        let mut meetings = Vec::new();
        for y in [fy.prev(), fy] {
            meetings.extend(take(self.store.list_fy::<TeamMeeting>(y), problems));
        }
        // Every open follow-up, however old (from the open-follow-up counters), and the ones
        // ticked since the pane was opened (so a tick can be taken back).
        let mut ids = match self.store.meetings_with_open_follow_ups(me) {
            Ok(ids) => ids,
            Err(e) => {
                problems.push(e.to_string());
                Vec::new()
            }
        };
        ids.extend(self.kept.iter().map(|(m, _)| *m));
        ids.sort_unstable();
        ids.dedup();
        let mut fus: Vec<Item> = Vec::new();
        for id in ids {
            let m = match self.store.get_id::<TeamMeeting>(id) {
                Ok(Some(m)) => m,
                Ok(None) => continue,
                Err(e) => {
                    problems.push(e.to_string());
                    continue;
                }
            };
            for (i, f) in m.follow_ups.iter().enumerate() {
                if f.owner == Some(me) && (!f.done || self.kept.contains(&(m.id, i))) {
                    fus.push(Item::FollowUp(m.clone(), i));
                }
            }
        }
        // Oldest due first (overdue ones come first); none due last.
        fus.sort_by_key(|i| match i {
            Item::FollowUp(m, n) => (
                m.follow_ups[*n].due.unwrap_or(chrono::NaiveDate::MAX),
                m.date,
            ),
            _ => (chrono::NaiveDate::MAX, chrono::NaiveDate::MAX),
        });
        // What is due comes first: `7 x` ticks the most overdue follow-up.
        out.push(Item::Section(Msg::MyFollowUps, String::new()));
        out.extend(fus);
        // Then the rest of what is due for me within two weeks, in date order: reports of my
        // bodies, replies of my section, my cases' next contacts ([`crate::app::due`]).
        if let Some(staff) = lk.staff.get(&me) {
            let until = today + chrono::Days::new(14);
            match crate::app::due::due_items(
                self.store,
                today,
                until,
                crate::app::due::Whose::Me(staff),
            ) {
                Ok(items) => {
                    let other: Vec<Item> = items
                        .into_iter()
                        .filter(|d| d.kind != crate::app::due::DueKind::FollowUp)
                        .map(Item::Due)
                        .collect();
                    if !other.is_empty() {
                        out.push(Item::Section(Msg::MyDue, String::new()));
                        out.extend(other);
                    }
                }
                Err(e) => problems.push(e.to_string()),
            }
        }
        out.extend(bodies);
        out.push(Item::Section(Msg::MyMeetings, String::new()));
        let mut recent: Vec<TeamMeeting> = meetings
            .into_iter()
            .filter(|m| my_bodies.contains(&m.body_id) || m.attendees.contains(&me))
            .collect();
        recent.sort_by_key(|m| std::cmp::Reverse(m.date));
        out.extend(recent.into_iter().take(10).map(Item::MyMeeting));
        out
    }

    /// How many things the person logged in has overdue today (0 without a staff record).
    pub(super) fn my_overdue(&self) -> usize {
        let today = chrono::Local::now().date_naive();
        let Some(me) = self.store.actor().staff_id else {
            return 0;
        };
        let Ok(Some(staff)) = self.store.get_id::<Staff>(me) else {
            return 0;
        };
        let until = today.pred_opt().unwrap_or(today);
        crate::app::due::due_items(self.store, today, until, crate::app::due::Whose::Me(&staff))
            .map(|v| v.len())
            .unwrap_or(0)
    }

    /// The month view: the month (a heading with the keys that move it), then each day's
    /// meetings and what falls due for me ([`crate::app::agenda`]), or for everyone without a
    /// staff record of my own.
    pub(super) fn month_view(&self, lk: &Lookups, problems: &mut Vec<String>) -> Vec<Item> {
        use crate::app::agenda::{Span, agenda, period};
        use crate::i18n::Msg;
        let today = chrono::Local::now().date_naive();
        let (from, to) = period(Span::Month, self.month.unwrap_or(today));
        let me = self.store.actor().staff_id.and_then(|id| lk.staff.get(&id));
        let whose = match me {
            Some(s) => crate::app::due::Whose::Me(s),
            None => crate::app::due::Whose::Everyone,
        };
        let mut out = vec![Item::Section(Msg::AgendaMonthKeys, from.to_string())];
        match agenda(self.store, from, to, today, whose) {
            Ok((days, _)) => {
                for d in days {
                    out.push(Item::Section(Msg::AgendaDay, d.date.to_string()));
                    out.extend(d.entries.into_iter().map(Item::Agenda));
                }
            }
            Err(e) => problems.push(e.to_string()),
        }
        out
    }
}
