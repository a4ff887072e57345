//! Loading a pane's data from the [`Store`] for one fiscal year. Lists are read through the date
//! indexes (one fiscal year, never a whole tree); the dashboard reads counters.

use super::report::indicator_statuses;
use super::state::Pane;
use crate::domain::*;
use crate::store::{Loaded, Store};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Small tables every pane refers to (bodies ≤ 200, staff ≤ 2,000 at the large-city scale).
#[derive(Debug, Default)]
pub struct Lookups {
    /// Bodies by id.
    pub bodies: BTreeMap<BodyId, Body>,
    /// Staff by id.
    pub staff: BTreeMap<StaffId, Staff>,
    /// Every assignment.
    pub assignments: Vec<Assignment>,
}

impl Lookups {
    /// A body's name, or `#id` if unknown.
    pub fn body_name(&self, id: BodyId) -> String {
        self.bodies
            .get(&id)
            .map(|b| b.name.clone())
            .unwrap_or_else(|| format!("#{id}"))
    }

    /// A staff member's name, or `#id` if unknown.
    pub fn staff_name(&self, id: StaffId) -> String {
        self.staff
            .get(&id)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| format!("#{id}"))
    }

    /// Assignments to `body` overlapping `fy`, leaders first.
    pub fn team(&self, body: BodyId, fy: FiscalYear) -> Vec<&Assignment> {
        let mut t: Vec<&Assignment> = self
            .assignments
            .iter()
            .filter(|a| a.body_id == body && a.overlaps(fy))
            .collect();
        t.sort_by_key(|a| (a.role, a.from));
        t
    }
}

/// A grant with what the Subsidies pane shows beside it.
#[derive(Debug, Clone)]
pub struct GrantRow {
    /// The grant.
    pub grant: Grant,
    /// Its program's name.
    pub program: String,
    /// Payments against it, by date.
    pub payments: Vec<Disbursement>,
    /// Net paid in yen (advances + settlements − refunds).
    pub paid: i64,
}

impl GrantRow {
    /// What is still to be paid, in yen: the confirmed amount once confirmed (額の確定), else the
    /// decided amount, minus net paid. Negative means a refund is due (返還).
    pub fn remaining(&self) -> i64 {
        self.grant
            .confirmed_amount
            .or(self.grant.decided_amount)
            .unwrap_or(0)
            - self.paid
    }
}

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
}

/// Totals of one subsidy program in the selected fiscal year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramSummary {
    /// Name.
    pub name: String,
    /// Budget in yen.
    pub budget: i64,
    /// Sum of decided amounts in yen.
    pub decided: i64,
    /// Sum of net payments in yen.
    pub paid: i64,
}

/// Pane-specific figures shown above the list.
#[derive(Debug, Clone)]
pub enum Summary {
    /// Nothing extra.
    None,
    /// Consultations: totals by category for the FY, and the split of records and tallies.
    Consultations {
        /// (category, count per fiscal month).
        by_category: Vec<(Category, [i64; 12])>,
        /// Consultations + tally counts.
        total: i64,
        /// Detailed records.
        records: i64,
    },
    /// Subsidies: per-program totals.
    Subsidies(Vec<ProgramSummary>),
}

/// What a pane shows for one fiscal year.
#[derive(Debug, Clone)]
pub struct PaneData {
    /// Rows, in display order.
    pub items: Vec<Item>,
    /// Names and teams.
    pub lookups: Arc<Lookups>,
    /// Figures above the list.
    pub summary: Summary,
    /// Messages about records that could not be read.
    pub problems: Vec<String>,
}

impl PaneData {
    /// Rows the summary takes above the list.
    pub fn header_rows(&self) -> usize {
        match &self.summary {
            Summary::None => 0,
            Summary::Consultations { .. } => 3,
            Summary::Subsidies(p) => p.len().max(1),
        }
    }
}

/// Reads pane data through the store, caching the lookups across loads.
pub struct Loader<'s> {
    store: &'s Store,
    lookups: Option<Arc<Lookups>>,
}

fn take<T>(l: Loaded<T>, problems: &mut Vec<String>) -> Vec<T> {
    problems.extend(l.problems.into_iter().map(|e| e.to_string()));
    l.items
}

impl<'s> Loader<'s> {
    /// A loader over `store`.
    pub fn new(store: &'s Store) -> Loader<'s> {
        Loader {
            store,
            lookups: None,
        }
    }

    fn lookups(&mut self, problems: &mut Vec<String>) -> Arc<Lookups> {
        if let Some(l) = &self.lookups {
            return l.clone();
        }
        let l = Arc::new(Lookups {
            bodies: take(self.store.list::<Body>(), problems)
                .into_iter()
                .map(|b| (b.id, b))
                .collect(),
            staff: take(self.store.list::<Staff>(), problems)
                .into_iter()
                .map(|s| (s.id, s))
                .collect(),
            assignments: take(self.store.list::<Assignment>(), problems),
        });
        self.lookups = Some(l.clone());
        l
    }

    /// Loads `pane` for `fy`.
    ///
    /// Errors: a store error that prevents the pane from showing anything (a bad record is
    /// reported in `problems` instead).
    pub fn load(&mut self, pane: Pane, fy: FiscalYear) -> Result<PaneData, String> {
        let mut problems = Vec::new();
        let mut summary = Summary::None;
        let (items, lookups) = match pane {
            Pane::Dashboard => {
                let st = indicator_statuses(self.store, fy).map_err(|e| e.to_string())?;
                let items = st.into_iter().map(Item::Indicator).collect();
                (items, Arc::new(Lookups::default()))
            }
            Pane::Bodies => {
                let lk = self.lookups(&mut problems);
                let mut v: Vec<Body> = lk.bodies.values().cloned().collect();
                v.sort_by(|a, b| a.kana.cmp(&b.kana));
                (v.into_iter().map(Item::Body).collect(), lk)
            }
            Pane::Staff => {
                let lk = self.lookups(&mut problems);
                let mut v: Vec<Staff> = lk.staff.values().cloned().collect();
                v.sort_by(|a, b| (!a.active, &a.kana).cmp(&(!b.active, &b.kana)));
                (v.into_iter().map(Item::Staff).collect(), lk)
            }
            Pane::Meetings => {
                let lk = self.lookups(&mut problems);
                let mut v = take(self.store.list_fy::<TeamMeeting>(fy), &mut problems);
                v.reverse();
                (v.into_iter().map(Item::Meeting).collect(), lk)
            }
            Pane::Consultations => {
                let lk = self.lookups(&mut problems);
                let cons = take(self.store.list_fy::<Consultation>(fy), &mut problems);
                let tallies = take(self.store.list_fy::<ConsultationTally>(fy), &mut problems);
                let mut items: Vec<(chrono::NaiveDate, Item)> = cons
                    .into_iter()
                    .map(|c| (c.date, Item::Consultation(c)))
                    .chain(tallies.into_iter().map(|t| (t.date, Item::Tally(t))))
                    .collect();
                items.sort_by_key(|(date, _)| std::cmp::Reverse(*date));
                let by_category = self
                    .store
                    .consultations_by_category(fy)
                    .map_err(|e| e.to_string())?;
                let total = self
                    .store
                    .counter_total(&crate::store::records::Metric::Consultations, fy)
                    .map_err(|e| e.to_string())?;
                let records = self
                    .store
                    .counter_total(&crate::store::records::Metric::ConsultationRecords, fy)
                    .map_err(|e| e.to_string())?;
                summary = Summary::Consultations {
                    by_category,
                    total,
                    records,
                };
                (items.into_iter().map(|(_, i)| i).collect(), lk)
            }
            Pane::Subsidies => {
                let lk = self.lookups(&mut problems);
                let programs: Vec<SubsidyProgram> =
                    take(self.store.list::<SubsidyProgram>(), &mut problems)
                        .into_iter()
                        .filter(|p| p.fiscal_year == fy)
                        .collect();
                let grants = take(self.store.list::<Grant>(), &mut problems);
                let payments = take(self.store.list::<Disbursement>(), &mut problems);
                let mut rows = Vec::new();
                let mut sums = Vec::new();
                for p in &programs {
                    let mut s = ProgramSummary {
                        name: p.name.clone(),
                        budget: p.budget,
                        decided: 0,
                        paid: 0,
                    };
                    let mut mine: Vec<GrantRow> = grants
                        .iter()
                        .filter(|g| g.program_id == p.id)
                        .map(|g| {
                            let mut pay: Vec<Disbursement> = payments
                                .iter()
                                .filter(|d| d.grant_id == g.id)
                                .cloned()
                                .collect();
                            pay.sort_by_key(|d| d.date);
                            let paid = net_paid(&pay);
                            GrantRow {
                                grant: g.clone(),
                                program: p.name.clone(),
                                payments: pay,
                                paid,
                            }
                        })
                        .collect();
                    mine.sort_by_key(|r| {
                        lk.bodies
                            .get(&r.grant.body_id)
                            .map(|b| b.kana.clone())
                            .unwrap_or_default()
                    });
                    for r in &mine {
                        s.decided += r.grant.decided_amount.unwrap_or(0);
                        s.paid += r.paid;
                    }
                    sums.push(s);
                    rows.extend(mine.into_iter().map(Item::Grant));
                }
                summary = Summary::Subsidies(sums);
                (rows, lk)
            }
        };
        Ok(PaneData {
            items,
            lookups,
            summary,
            problems,
        })
    }
}
