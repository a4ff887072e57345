//! Loading a pane's data from the [`Store`] for one fiscal year. Lists are read through the date
//! indexes (one fiscal year, never a whole tree); the dashboard reads counters.

use super::form::FormKind;
use super::report::indicator_statuses;
use super::state::{Pane, View};
use crate::domain::*;
use crate::store::{Loaded, Store};
use std::collections::BTreeMap;
use std::sync::Arc;

mod generic;
mod item;
mod my_work;
mod recent;
mod summary;
pub use generic::RecordRow;
pub use item::Item;
pub use recent::BodyRecent;
pub use summary::*;

/// Small tables every pane refers to (bodies ≤ 200, staff ≤ 2,000 at the large-city scale).
#[derive(Debug, Default)]
pub struct Lookups {
    /// Bodies by id.
    pub bodies: BTreeMap<BodyId, Body>,
    /// Staff by id.
    pub staff: BTreeMap<StaffId, Staff>,
    /// Every assignment.
    pub assignments: Vec<Assignment>,
    /// Every grant's ledger line (for a body's grants across years).
    pub ledger: Vec<crate::app::subsidy::LedgerRow>,
    /// Every dated 世帯数・人口 count (body_counts: a few per body and year).
    pub body_counts: Vec<BodyCount>,
    /// Every revision of the bodies' 地域づくり計画 (a few per body), for their details.
    pub plan_revisions: Vec<crate::domain::plan_revision::CommunityPlanRevision>,
    /// Every 要望・提言 (a few per body and year), for the bodies' details.
    pub requests: Vec<crate::domain::request::Request>,
    /// Every document reference (a few per grant, meeting or request), for the details of the
    /// records they are attached to.
    pub documents: Vec<crate::domain::document_ref::DocumentRef>,
    /// Every 相談案件 (a few dozen a year), for consultations' details.
    pub cases: Vec<crate::domain::consultation_case::ConsultationCase>,
    /// Every 指定管理 period (a few per centre), for the bodies' details.
    pub terms: Vec<crate::domain::designation::DesignationTerm>,
    /// 自治会 and organisations (grantees that are not bodies).
    pub grantees: crate::app::grantees::Grantees,
    /// Every 研修履歴 (a few per staff member and year), for the staff's details.
    pub trainings: Vec<crate::domain::training::Training>,
    /// Every 職員意識調査 round (one or two a year), to name the one an indicator came from.
    pub surveys: Vec<crate::domain::staff_survey::StaffSurvey>,
    /// Consultation summaries are withheld from this user's role (shared mode, issue 6).
    pub summaries_hidden: bool,
}

impl Lookups {
    /// 世帯数・人口 of `b` in force in `fy` (on its 1 April, issue 15.4): `(as_of, households,
    /// population)` from its dated counts, or its own columns when it has none earlier.
    pub fn counts_in(&self, b: &Body, fy: FiscalYear) -> (Option<chrono::NaiveDate>, u32, u32) {
        match fy.start() {
            Some(start) => b.count_in_force(&self.body_counts, start),
            None => (b.counts_as_of, b.households, b.population),
        }
    }

    /// A body's name, or `#id` if unknown.
    pub fn body_name(&self, id: BodyId) -> String {
        self.bodies
            .get(&id)
            .map(|b| b.name.clone())
            .unwrap_or_else(|| format!("#{id}"))
    }

    /// A grant's recipient's name, or `#id` if unknown.
    pub fn recipient_name(&self, r: Recipient) -> String {
        self.grantees.name(r, &self.bodies)
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
            Summary::Matrix(rows) => rows.len() + 3,
            Summary::Dashboard { .. } => 0,
            Summary::Plan(..) => 1,
        }
    }
}

/// Reads pane data through the store, caching the lookups across loads.
pub struct Loader<'s> {
    store: &'s Store,
    lookups: Option<Arc<Lookups>>,
    /// Follow-ups `(meeting, index)` ticked in 自分 since it was opened: still listed, so a tick
    /// can be undone (issue 14); cleared when the user leaves the pane.
    pub kept: Vec<(TeamMeetingId, usize)>,
    /// The month the month view shows (its first day; `None`: this month), set from the
    /// state before each load.
    pub month: Option<chrono::NaiveDate>,
    /// Whether the dashboard counts what the user has overdue (the TUI turns it on after its
    /// first frame; on by default).
    pub count_overdue: bool,
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
            kept: Vec::new(),
            month: None,
            count_overdue: true,
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
            ledger: match crate::app::subsidy::LedgerData::load(self.store) {
                Ok(d) => d.rows(None, None),
                Err(e) => {
                    problems.push(e.to_string());
                    Vec::new()
                }
            },
            body_counts: take(self.store.list::<BodyCount>(), problems),
            plan_revisions: take(self.store.list(), problems),
            requests: take(self.store.list(), problems),
            documents: take(self.store.list(), problems),
            cases: take(self.store.list(), problems),
            terms: take(self.store.list(), problems),
            trainings: take(self.store.list(), problems),
            surveys: take(self.store.list(), problems),
            grantees: crate::app::grantees::Grantees::load(self.store).unwrap_or_else(|e| {
                problems.push(e.to_string());
                Default::default()
            }),
            summaries_hidden: !crate::domain::access::sees_summaries(self.store.role()),
        });
        self.lookups = Some(l.clone());
        l
    }

    /// A fiscal year's records of a dated type as rows, newest first (one index range scan).
    fn newest_first<T: crate::store::records::Dated>(
        &self,
        fy: FiscalYear,
        problems: &mut Vec<String>,
        row: fn(T) -> Item,
    ) -> Vec<Item> {
        let mut v = take(self.store.list_fy::<T>(fy), problems);
        v.reverse();
        v.into_iter().map(row).collect()
    }

    /// Forgets cached lookups (after a write).
    pub fn invalidate(&mut self) {
        self.lookups = None;
    }

    /// The store this loader reads.
    pub fn store(&self) -> &'s Store {
        self.store
    }

    /// Loads `view` of `pane` for `fy`.
    ///
    /// Errors: a store error that prevents the pane from showing anything (a bad record is
    /// reported in `problems` instead).
    pub fn load(&mut self, pane: Pane, view: View, fy: FiscalYear) -> Result<PaneData, String> {
        let mut problems = Vec::new();
        let mut summary = Summary::None;
        let _ = pane;
        let (items, lookups) = match view {
            View::Records(kind) => {
                let lk = self.lookups(&mut problems);
                let (rows, p) = generic::load(self.store, kind, fy, &lk);
                problems.extend(p);
                (rows.into_iter().map(Item::Record).collect(), lk)
            }
            View::Activities => {
                let lk = self.lookups(&mut problems);
                (self.newest_first(fy, &mut problems, Item::Activity), lk)
            }
            View::Assignments => {
                let lk = self.lookups(&mut problems);
                let mut v: Vec<Assignment> = lk
                    .assignments
                    .iter()
                    .filter(|a| a.overlaps(fy))
                    .cloned()
                    .collect();
                let kana = |id: BodyId| {
                    lk.bodies
                        .get(&id)
                        .map(|b| b.kana.clone())
                        .unwrap_or_default()
                };
                v.sort_by_key(|a| (kana(a.body_id), a.role, a.from));
                (v.into_iter().map(Item::Assignment).collect(), lk.clone())
            }
            View::Matrix => {
                let lk = self.lookups(&mut problems);
                summary = Summary::Matrix(
                    self.store
                        .consultations_by_category(fy)
                        .map_err(|e| e.to_string())?,
                );
                (Vec::new(), lk)
            }
            View::Programs | View::Payments => {
                let lk = self.lookups(&mut problems);
                let grants = self.load(Pane::Subsidies, View::Grants, fy)?;
                let programs: Vec<SubsidyProgram> =
                    take(self.store.list::<SubsidyProgram>(), &mut problems)
                        .into_iter()
                        .filter(|p| p.fiscal_year == fy)
                        .collect();
                let items = if view == View::Programs {
                    let sums = match &grants.summary {
                        Summary::Subsidies(s) => s.clone(),
                        _ => Vec::new(),
                    };
                    programs
                        .into_iter()
                        .map(|p| {
                            let s = sums.iter().find(|s| s.name == p.name).cloned().unwrap_or(
                                ProgramSummary {
                                    name: p.name.clone(),
                                    budget: p.budget,
                                    decided: 0,
                                    paid: 0,
                                },
                            );
                            Item::Program(p, s)
                        })
                        .collect()
                } else {
                    let mut v: Vec<Item> = grants
                        .items
                        .iter()
                        .flat_map(|i| match i {
                            Item::Grant(g) => g
                                .payments
                                .iter()
                                .map(|d| {
                                    Item::Payment(d.clone(), g.grant.recipient, g.program.clone())
                                })
                                .collect(),
                            _ => Vec::new(),
                        })
                        .collect();
                    v.sort_by_key(|i| match i {
                        Item::Payment(d, _, _) => std::cmp::Reverse(d.date),
                        _ => std::cmp::Reverse(chrono::NaiveDate::MIN),
                    });
                    v
                };
                (items, lk)
            }
            View::IndicatorDefs => {
                let mut v = take(self.store.list::<Indicator>(), &mut problems);
                v.sort_by_key(|i| (i.retired, i.order));
                (
                    v.into_iter().map(Item::IndicatorDef).collect(),
                    Arc::new(Lookups::default()),
                )
            }
            View::PlanActions => {
                let mut v = take(self.store.list::<PlanAction>(), &mut problems);
                v.sort_by_key(|a| (a.plan.clone(), a.number));
                let items: Vec<Item> = v.into_iter().map(Item::PlanAction).collect();
                let results = take(self.store.list(), &mut problems);
                let opinions = take(self.store.list(), &mut problems);
                let records: Vec<crate::domain::plan_record::Plan> =
                    take(self.store.list(), &mut problems);
                let plans = crate::app::plan_view::with_records(
                    crate::app::plan_view::plans_of(&items),
                    &records,
                );
                let events = take(self.store.list(), &mut problems);
                summary = Summary::Plan(plans, results, opinions, events);
                (items, Arc::new(Lookups::default()))
            }
            View::Actions => {
                let lk = self.lookups(&mut problems);
                let data =
                    crate::app::subsidy::LedgerData::load(self.store).map_err(|e| e.to_string())?;
                let today = chrono::Local::now().date_naive();
                let items = crate::app::subsidy::actions(&data, today)
                    .into_iter()
                    .map(|(r, a)| Item::ActionRow(r, a))
                    .collect();
                (items, lk)
            }
            View::MyWork => {
                let lk = self.lookups(&mut problems);
                let items = self.my_work(&lk, fy, &mut problems);
                (items, lk)
            }
            View::Agenda => {
                let lk = self.lookups(&mut problems);
                (self.month_view(&lk, &mut problems), lk)
            }
            View::Audit => {
                let entries = self.store.audit_entries(2_000, |_| true);
                problems.extend(entries.problems.iter().map(|e| e.to_string()));
                let lk = self.lookups(&mut problems);
                // Rendered once here, in both languages, so the rows and the filter read names.
                use crate::app::audit_text as words;
                let names = words::names(self.store);
                let rebuilt = words::rebuild_all(self.store, &names, &entries.items);
                let items = entries
                    .items
                    .into_iter()
                    .zip(rebuilt)
                    .map(|(e, r)| {
                        let both = [Lang::Ja, Lang::En].map(|l| words::text(&e, &r, &names, l));
                        Item::Audit(e, Box::new(both))
                    })
                    .collect();
                (items, lk)
            }
            View::Indicators => {
                let st = indicator_statuses(self.store, fy).map_err(|e| e.to_string())?;
                let first = st
                    .iter()
                    .map(|s| s.indicator.baseline_fy)
                    .min()
                    .unwrap_or(fy);
                let last = st.iter().map(|s| s.indicator.target_fy).max().unwrap_or(fy);
                let years: Vec<FiscalYear> = (first.0..=last.0.min(first.0 + 19))
                    .map(FiscalYear)
                    .collect();
                let history = crate::app::report::indicator_history(self.store, &years)
                    .map_err(|e| e.to_string())?;
                let m = |metric| {
                    self.store
                        .counter_months(&metric, fy)
                        .map_err(|e| e.to_string())
                };
                summary = Summary::Dashboard {
                    history,
                    consultations: m(crate::store::records::Metric::Consultations)?,
                    meetings: m(crate::store::records::Metric::TeamMeetings)?,
                    overdue: self.count_overdue.then(|| self.my_overdue()),
                };
                let items = st.into_iter().map(Item::Indicator).collect();
                // Only the survey rounds, to name the one an awareness figure came from.
                let lk = Lookups {
                    surveys: take(self.store.list(), &mut problems),
                    ..Lookups::default()
                };
                (items, Arc::new(lk))
            }
            View::Bodies => {
                let lk = self.lookups(&mut problems);
                let mut v: Vec<Body> = lk.bodies.values().cloned().collect();
                v.sort_by(|a, b| a.kana.cmp(&b.kana));
                (v.into_iter().map(Item::Body).collect(), lk)
            }
            View::Staff => {
                let lk = self.lookups(&mut problems);
                let mut v: Vec<Staff> = lk.staff.values().cloned().collect();
                v.sort_by(|a, b| (!a.active, &a.kana).cmp(&(!b.active, &b.kana)));
                (v.into_iter().map(Item::Staff).collect(), lk)
            }
            View::Meetings => {
                let lk = self.lookups(&mut problems);
                (self.newest_first(fy, &mut problems, Item::Meeting), lk)
            }
            View::Consultations => {
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
            View::Grants => {
                let lk = self.lookups(&mut problems);
                let mut programs = take(self.store.list::<SubsidyProgram>(), &mut problems);
                let grants = take(self.store.list::<Grant>(), &mut problems);
                let payments = take(self.store.list::<Disbursement>(), &mut problems);
                let awards = crate::app::awards::AwardIndex::load(self.store, &programs, &grants)
                    .unwrap_or_else(|e| {
                        problems.push(e.to_string());
                        Default::default()
                    });
                programs.retain(|p| p.fiscal_year == fy);
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
                            let refs: Vec<&Disbursement> = pay.iter().collect();
                            GrantRow {
                                award: awards.of(g, fy),
                                money: money(g, &refs),
                                grant: g.clone(),
                                program: p.name.clone(),
                                payments: pay,
                                paid,
                            }
                        })
                        .collect();
                    mine.sort_by_key(|r| lk.grantees.kana(r.grant.recipient, &lk.bodies));
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

    /// What a form needs: names, programs, grants, payments, indicators, the user, today and
    /// the user's language.
    pub fn form_context(
        &self,
        fy: FiscalYear,
        today: chrono::NaiveDate,
        lang: crate::i18n::Lang,
    ) -> crate::app::form::FormContext {
        let s = self.store;
        crate::app::form::FormContext {
            bodies: s.list::<Body>().items,
            staff: s.list::<Staff>().items,
            programs: s.list::<SubsidyProgram>().items,
            grants: s.list::<Grant>().items,
            payments: s.list::<Disbursement>().items,
            assignments: s.list::<Assignment>().items,
            indicators: s.list::<Indicator>().items,
            plan_actions: s
                .list::<PlanAction>()
                .items
                .into_iter()
                .map(|a| (a.plan, a.number))
                .collect(),
            entries: s.list::<IndicatorEntry>().items,
            names: s.name_tables().0,
            actor: s.actor().clone(),
            today,
            fy,
            lang,
        }
    }
}
