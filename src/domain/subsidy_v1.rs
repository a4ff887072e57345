//! The earlier stored layouts of [`SubsidyProgram`] and [`Grant`] (before issue 17 added the
//! program's 実績報告の期限 and the grant's 事業完了日), read by their
//! [`RecordType::upgrade`](super::RecordType::upgrade) and brought forward with the new field
//! unset. Never change these structs: they are what older databases hold.

use super::report_due::ReportDue;
use super::*;
use chrono::NaiveDate;
use serde::Deserialize;

/// [`SubsidyProgram`], layout 1.
#[derive(Deserialize)]
pub struct ProgramV1 {
    id: SubsidyProgramId,
    name: String,
    fiscal_year: FiscalYear,
    budget: i64,
    rule: AllocationRule,
    over_budget_reason: Option<String>,
}

impl From<ProgramV1> for SubsidyProgram {
    fn from(p: ProgramV1) -> SubsidyProgram {
        SubsidyProgram {
            id: p.id,
            name: p.name,
            fiscal_year: p.fiscal_year,
            budget: p.budget,
            rule: p.rule,
            over_budget_reason: p.over_budget_reason,
            report_due: ReportDue::Unset,
            award_terms: None,
        }
    }
}

/// [`Grant`], layout 1.
#[derive(Deserialize)]
pub struct GrantV1 {
    id: GrantId,
    program_id: SubsidyProgramId,
    body_id: BodyId,
    applied_amount: i64,
    applied_on: NaiveDate,
    eligible_cost: Option<i64>,
    project_year: Option<u32>,
    decided_amount: Option<i64>,
    decided_on: Option<NaiveDate>,
    reported_on: Option<NaiveDate>,
    confirmed_amount: Option<i64>,
    confirmed_on: Option<NaiveDate>,
    closed_on: Option<NaiveDate>,
    state: GrantState,
}

impl From<GrantV1> for Grant {
    fn from(g: GrantV1) -> Grant {
        Grant {
            id: g.id,
            program_id: g.program_id,
            recipient: Recipient::Body(g.body_id),
            applied_amount: g.applied_amount,
            applied_on: g.applied_on,
            eligible_cost: g.eligible_cost,
            project_year: g.project_year,
            decided_amount: g.decided_amount,
            decided_on: g.decided_on,
            reported_on: g.reported_on,
            confirmed_amount: g.confirmed_amount,
            confirmed_on: g.confirmed_on,
            closed_on: g.closed_on,
            state: g.state,
            project_end: None,
            award: None,
        }
    }
}

/// [`Grant`], layout 2 (issue 17.1 added the 事業完了日; issue 18.1 made the body a
/// [`Recipient`]).
#[derive(Deserialize)]
pub struct GrantV2 {
    id: GrantId,
    program_id: SubsidyProgramId,
    body_id: BodyId,
    applied_amount: i64,
    applied_on: NaiveDate,
    eligible_cost: Option<i64>,
    project_year: Option<u32>,
    decided_amount: Option<i64>,
    decided_on: Option<NaiveDate>,
    reported_on: Option<NaiveDate>,
    confirmed_amount: Option<i64>,
    confirmed_on: Option<NaiveDate>,
    closed_on: Option<NaiveDate>,
    state: GrantState,
    project_end: Option<NaiveDate>,
}

impl From<GrantV2> for Grant {
    fn from(g: GrantV2) -> Grant {
        Grant {
            id: g.id,
            program_id: g.program_id,
            recipient: Recipient::Body(g.body_id),
            applied_amount: g.applied_amount,
            applied_on: g.applied_on,
            eligible_cost: g.eligible_cost,
            project_year: g.project_year,
            decided_amount: g.decided_amount,
            decided_on: g.decided_on,
            reported_on: g.reported_on,
            confirmed_amount: g.confirmed_amount,
            confirmed_on: g.confirmed_on,
            closed_on: g.closed_on,
            state: g.state,
            project_end: g.project_end,
            award: None,
        }
    }
}

/// [`SubsidyProgram`], layout 2 (issue 17.1 added the 実績報告の期限; issue 18.2 the
/// multi-year terms).
#[derive(Deserialize)]
pub struct ProgramV2 {
    id: SubsidyProgramId,
    name: String,
    fiscal_year: FiscalYear,
    budget: i64,
    rule: AllocationRule,
    over_budget_reason: Option<String>,
    report_due: ReportDue,
}

impl From<ProgramV2> for SubsidyProgram {
    fn from(p: ProgramV2) -> SubsidyProgram {
        SubsidyProgram {
            id: p.id,
            name: p.name,
            fiscal_year: p.fiscal_year,
            budget: p.budget,
            rule: p.rule,
            over_budget_reason: p.over_budget_reason,
            report_due: p.report_due,
            award_terms: None,
        }
    }
}
