//! What a pane shows above its list (per-program totals of the subsidies pane, counts per
//! category of the consultations pane) and a grant's row with its program and payments.

use super::*;

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
    /// Decided, paid, refunded, confirmed and due amounts (domain rules).
    pub money: GrantMoney,
    /// Its multi-year award's years, when it is under one (issue 18.2).
    pub award: Option<crate::app::awards::AwardYears>,
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
    /// Consultation counts (records + tallies) per category and fiscal month.
    Matrix(Vec<(Category, [i64; 12])>),
    /// The plan view: every plan its actions belong to, every action's yearly results and the
    /// committee's opinions (issues 16.2, 16.4), and the events that serve actions (issue 19.3).
    Plan(
        Vec<crate::app::plan_view::PlanInfo>,
        Vec<crate::domain::action_result::ActionResult>,
        Vec<crate::domain::committee_opinion::CommitteeOpinion>,
        Vec<crate::domain::event::Event>,
    ),
    /// Dashboard extras: every indicator's standing in each year from the earliest baseline to
    /// the latest target, and the year's consultations and team meetings per fiscal month.
    Dashboard {
        /// (year, statuses) for each fiscal year of the plan.
        history: Vec<(FiscalYear, Vec<IndicatorStatus>)>,
        /// Consultations (records + tallies) per fiscal month.
        consultations: [i64; 12],
        /// Team meetings per fiscal month.
        meetings: [i64; 12],
        /// How many things the person logged in has overdue today ([`crate::app::due`]);
        /// `None` until counted (the TUI counts after its first frame, so that opening stays as
        /// fast as the dashboard's counters).
        overdue: Option<usize>,
    },
}
