//! Subsidy work through the store: the ledger (per grant, per program, per body), the list of
//! what needs action, running one lifecycle step, and applying an allocation preview — each
//! write one transaction. The TUI, `kyodo report subsidies` and the tests share these.

use crate::domain::allocation::{Compare, Preview, preview};
use crate::domain::designation::DesignationTerm;
use crate::domain::grant::{Step, apply};
use crate::domain::scenario::{self, AllocationScenario};
use crate::domain::*;
use crate::store::{Batch, Store, StoreError};
use std::collections::BTreeMap;

/// One grant's line of the ledger. Yen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerRow {
    /// Grant id.
    pub grant_id: GrantId,
    /// Program name.
    pub program: String,
    /// Program's fiscal year.
    pub fiscal_year: FiscalYear,
    /// 交付先.
    pub recipient: Recipient,
    /// The body it is or belongs to (a 自治会's 地域協働体), if any: whose liaisons answer for it.
    pub body_id: Option<BodyId>,
    /// 交付先の名前: the recipient's name.
    pub body: String,
    /// Decided, paid out, refunded, confirmed and what is still due.
    pub money: GrantMoney,
    /// State.
    pub state: GrantState,
    /// When its 実績報告 is due, by its program's rule ([`ReportDue`]); `None` when the program
    /// sets none.
    pub report_due: Option<chrono::NaiveDate>,
    /// Its multi-year award's years, when it is under one (issue 18.2).
    pub award: Option<crate::app::awards::AwardYears>,
}

impl LedgerRow {
    /// The recipient's name, with the year of its award when it has one: `…の会 (2/3年)`.
    pub fn recipient_label(&self, lang: crate::i18n::Lang) -> String {
        match &self.award {
            Some(a) => format!("{} ({})", self.body, award_year(a, lang)),
            None => self.body.clone(),
        }
    }
}

/// Which year of its award a grant is: `2/3年` (ja), `year 2/3` (en).
pub fn award_year(a: &crate::app::awards::AwardYears, lang: crate::i18n::Lang) -> String {
    match lang {
        crate::i18n::Lang::Ja => format!("{}/{}年", a.year, a.years),
        crate::i18n::Lang::En => format!("year {}/{}", a.year, a.years),
    }
}

/// Everything the ledger needs, read once.
pub struct LedgerData {
    /// Programs.
    pub programs: Vec<SubsidyProgram>,
    /// Grants.
    pub grants: Vec<Grant>,
    /// Payments.
    pub payments: Vec<Disbursement>,
    /// Bodies by id.
    pub bodies: BTreeMap<BodyId, Body>,
    /// 自治会 and organisations.
    pub grantees: crate::app::grantees::Grantees,
    /// Multi-year awards and their years.
    pub awards: crate::app::awards::AwardIndex,
}

impl LedgerData {
    /// Reads programs, grants, payments and bodies.
    ///
    /// Errors: the first record that cannot be read.
    pub fn load(store: &Store) -> Result<LedgerData, StoreError> {
        let grants = store.list::<Grant>().whole()?;
        let programs = store.list::<SubsidyProgram>().whole()?;
        Ok(LedgerData {
            awards: crate::app::awards::AwardIndex::load(store, &programs, &grants)?,
            programs,
            grants,
            payments: store.list::<Disbursement>().whole()?,
            bodies: store
                .list::<Body>()
                .whole()?
                .into_iter()
                .map(|b| (b.id, b))
                .collect(),
            grantees: crate::app::grantees::Grantees::load(store)?,
        })
    }

    /// The payments of a grant.
    pub fn payments_of(&self, grant: GrantId) -> Vec<&Disbursement> {
        self.payments
            .iter()
            .filter(|p| p.grant_id == grant)
            .collect()
    }

    /// Ledger rows of the programs of `fy` (only `program` if given), by program then body reading.
    pub fn rows(&self, fy: Option<FiscalYear>, program: Option<&str>) -> Vec<LedgerRow> {
        let mut out = Vec::new();
        for p in &self.programs {
            if fy.is_some_and(|f| f != p.fiscal_year) || program.is_some_and(|n| n != p.name) {
                continue;
            }
            let mut mine: Vec<LedgerRow> = self
                .grants
                .iter()
                .filter(|g| g.program_id == p.id)
                .map(|g| LedgerRow {
                    grant_id: g.id,
                    program: p.name.clone(),
                    fiscal_year: p.fiscal_year,
                    recipient: g.recipient,
                    body_id: self.grantees.body_of(g.recipient),
                    body: self.grantees.name(g.recipient, &self.bodies),
                    money: money(g, &self.payments_of(g.id)),
                    state: g.state,
                    report_due: p.report_due.due(p.fiscal_year, g.project_end),
                    award: self.awards.of(g, p.fiscal_year),
                })
                .collect();
            mine.sort_by_key(|r| self.grantees.kana(r.recipient, &self.bodies));
            out.extend(mine);
        }
        out
    }
}

/// Why a grant needs someone's attention (issue 4, "Ledger views").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionNeeded {
    /// The fiscal year is over and the 実績報告 has not come in (a program without a due date).
    ReportMissing,
    /// The 実績報告 is due on this date (within [`DUE_SOON_DAYS`], or past it) and has not come
    /// in; `late` = days past the date (negative: days left).
    ReportDue {
        /// The due date.
        due: chrono::NaiveDate,
        /// Days overdue on the day asked (negative: days left).
        late: i64,
    },
    /// Confirmed below what was paid: this much is to be returned (返還).
    RefundDue(i64),
    /// Confirmed above what was paid: this much is still to be paid (精算払).
    SettlementDue(i64),
}

impl ActionNeeded {
    /// Japanese and English wording.
    pub fn text(self, lang: crate::i18n::Lang) -> String {
        match (self, lang) {
            (ActionNeeded::ReportMissing, crate::i18n::Lang::Ja) => "実績報告が未着".into(),
            (ActionNeeded::ReportMissing, _) => "report not received".into(),
            (ActionNeeded::ReportDue { due, late }, l) => match (l, late > 0) {
                // What matters first (a list cuts the end): how late, then the date.
                (crate::i18n::Lang::Ja, true) => {
                    format!("実績報告 {late}日超過 期限{}", l.date(due))
                }
                (crate::i18n::Lang::Ja, false) => {
                    format!("実績報告 あと{}日 期限{}", -late, l.date(due))
                }
                (_, true) => format!("report {late} days late, due {}", l.date(due)),
                (_, false) => format!("report due in {} days, {}", -late, l.date(due)),
            },
            (ActionNeeded::RefundDue(a), l) => match l {
                crate::i18n::Lang::Ja => format!("返還未済 {}", l.yen(a)),
                _ => format!("refund due {}", l.yen(a)),
            },
            (ActionNeeded::SettlementDue(a), l) => match l {
                crate::i18n::Lang::Ja => format!("精算払が未払 {}", l.yen(a)),
                _ => format!("settlement to pay {}", l.yen(a)),
            },
        }
    }
}

/// How many days ahead a due 実績報告 is listed as needing action (and in the due list).
pub const DUE_SOON_DAYS: i64 = 30;

/// What needs action on `today`, over every fiscal year.
pub fn actions(data: &LedgerData, today: chrono::NaiveDate) -> Vec<(LedgerRow, ActionNeeded)> {
    data.rows(None, None)
        .into_iter()
        .filter_map(|r| {
            let ended = r.fiscal_year.end().is_some_and(|e| e < today);
            let owed = matches!(r.state, GrantState::Decided | GrantState::AdvancePaid);
            let a = match (r.state, r.report_due) {
                (_, Some(due)) if owed && (due - today).num_days() <= DUE_SOON_DAYS => {
                    ActionNeeded::ReportDue {
                        due,
                        late: (today - due).num_days(),
                    }
                }
                (_, None) if owed && ended => ActionNeeded::ReportMissing,
                (GrantState::Confirmed, _) if r.money.refund_due > 0 => {
                    ActionNeeded::RefundDue(r.money.refund_due)
                }
                (GrantState::Confirmed, _) if r.money.settlement_due > 0 => {
                    ActionNeeded::SettlementDue(r.money.settlement_due)
                }
                _ => return None,
            };
            Some((r, a))
        })
        .collect()
}

/// Runs one lifecycle step on grant `grant_id`, reading fresh data; the grant and any payment are
/// written in one transaction, with `note` on the audit entries.
///
/// Errors: the step's refusal (nothing is written), or a store error.
pub fn run_step(store: &Store, grant_id: GrantId, step: Step, note: &str) -> Result<(), Text> {
    let data = LedgerData::load(store).map_err(store_text)?;
    let g = data
        .grants
        .iter()
        .find(|g| g.id == grant_id)
        .ok_or_else(|| Text::new("この交付決定は見つかりません", "no such grant"))?;
    let program = data
        .programs
        .iter()
        .find(|p| p.id == g.program_id)
        .ok_or_else(|| Text::new("交付金が見つかりません", "the grant's program is missing"))?;
    let others: i64 = data
        .grants
        .iter()
        .filter(|x| x.program_id == program.id && x.id != g.id)
        .filter_map(|x| x.decided_amount)
        .sum();
    let (next, pay) = apply(g, &data.payments_of(g.id), program, others, step)?;
    if next.decided_amount != g.decided_amount {
        check_award(store, &data, &next)?;
    }
    let mut b = Batch::new();
    store.expect_unchanged(&mut b, g).map_err(store_text)?;
    b.put(next);
    if let Some(p) = pay {
        b.put(p);
    }
    if !note.is_empty() {
        b.note(note);
    }
    store.write(b).map(|_| ()).map_err(store_text)
}

/// A grant under a multi-year award, as a step would leave it, checked against the award
/// ([`crate::domain::award::check_grant`]: a year within its years, the yearly and total caps).
///
/// Errors: the award's refusal, with the numbers; a store error reading the award.
fn check_award(store: &Store, data: &LedgerData, g: &Grant) -> Result<(), Text> {
    use crate::domain::award::{Award, check_grant};
    let Some(id) = g.award else {
        return Ok(());
    };
    match store.get_id::<Award>(id).map_err(store_text)? {
        Some(award) => check_grant(&award, g, &data.programs, &data.grants),
        None => Ok(()),
    }
}

fn store_text(e: StoreError) -> Text {
    Text::new(e.to_string(), e.to_string())
}

/// A program's preview with what it can be compared with.
#[derive(Debug, Clone)]
pub struct PreviewState {
    /// The program.
    pub program: SubsidyProgram,
    /// Comparisons on offer: none, last year's program of the same name, other programs of the
    /// year, and the 配分シナリオ drafted for the year (label, comparison).
    pub options: Vec<(String, Choice)>,
    /// Chosen comparison.
    pub option: usize,
    /// Pay the larger of the rule's and the comparison's amount.
    pub transition: bool,
    /// Bodies, by reading.
    pub bodies: Vec<Body>,
    /// Counts.
    pub counts: Vec<BodyCount>,
    /// 指定管理の期間 (a scenario's 指定管理加算).
    pub terms: Vec<DesignationTerm>,
    /// The program's grants (applications for rate programs; bodies that already have one).
    pub grants: Vec<Grant>,
    /// Decided total of the program's existing grants.
    pub existing_decided: i64,
    /// The computed preview.
    pub preview: Preview,
    /// First row shown.
    pub offset: usize,
}

/// What a preview's rows are compared with.
#[derive(Debug, Clone)]
pub enum Choice {
    /// The program's rule beside nothing, last year's amounts or another rule.
    Compare(Compare),
    /// A draft formula (配分シナリオ) beside the program's current amounts: the rows' amounts are
    /// the current ones, their comparison the scenario's ([`scenario::compare`]).
    Scenario(Box<AllocationScenario>),
}

impl PreviewState {
    /// The scenario being compared, when the chosen comparison is one.
    pub fn scenario(&self) -> Option<&AllocationScenario> {
        match self.options.get(self.option).map(|o| &o.1) {
            Some(Choice::Scenario(s)) => Some(s),
            _ => None,
        }
    }

    /// Recomputes after a change of comparison or transition.
    pub fn recompute(&mut self) {
        let cmp = match self.options.get(self.option).map(|o| &o.1) {
            Some(Choice::Compare(c)) => c.clone(),
            Some(Choice::Scenario(s)) => {
                let on = scenario::Against {
                    program: &self.program,
                    bodies: &self.bodies,
                    counts: &self.counts,
                    terms: &self.terms,
                    grants: &self.grants,
                };
                // Only formula and fixed programs offer scenarios, which always compare.
                if let Ok(pv) = scenario::compare(s, &on) {
                    self.preview = pv;
                    return;
                }
                Compare::None
            }
            None => Compare::None,
        };
        self.preview = preview(
            &self.program,
            &self.bodies,
            &self.counts,
            &self.grants,
            &cmp,
            self.transition,
        );
    }

    /// Reads what a preview of program `id` needs.
    ///
    /// Errors: the program is missing, or a record cannot be read.
    pub fn load(store: &Store, id: SubsidyProgramId) -> Result<PreviewState, Text> {
        let data = LedgerData::load(store).map_err(store_text)?;
        let program = data
            .programs
            .iter()
            .find(|p| p.id == id)
            .cloned()
            .ok_or_else(|| Text::new("交付金が見つかりません", "no such program"))?;
        let mut bodies: Vec<Body> = data.bodies.values().cloned().collect();
        bodies.sort_by(|a, b| a.kana.cmp(&b.kana));
        let grants: Vec<Grant> = data
            .grants
            .iter()
            .filter(|g| g.program_id == id)
            .cloned()
            .collect();
        let mut options = vec![("-".to_string(), Choice::Compare(Compare::None))];
        if let Some(last) = data
            .programs
            .iter()
            .find(|p| p.name == program.name && p.fiscal_year == program.fiscal_year.prev())
        {
            let amounts: BTreeMap<BodyId, i64> = data
                .grants
                .iter()
                .filter(|g| g.program_id == last.id)
                .filter_map(|g| Some((g.recipient.body()?, g.decided_amount?)))
                .collect();
            options.push((
                format!("{} {}", last.fiscal_year.ja_label(), last.name),
                Choice::Compare(Compare::LastYear(amounts)),
            ));
        }
        for other in data.programs.iter().filter(|p| {
            p.id != id
                && p.fiscal_year == program.fiscal_year
                && !matches!(p.rule, AllocationRule::Rate { .. })
        }) {
            options.push((
                other.name.clone(),
                Choice::Compare(Compare::Rule(other.name.clone(), other.rule.clone())),
            ));
        }
        if !matches!(program.rule, AllocationRule::Rate { .. }) {
            let mut drafts = store
                .list::<AllocationScenario>()
                .whole()
                .map_err(store_text)?;
            drafts.retain(|s| s.fiscal_year.is_none_or(|f| f == program.fiscal_year));
            drafts.sort_by(|a, b| a.name.cmp(&b.name));
            for s in drafts {
                options.push((s.name.clone(), Choice::Scenario(Box::new(s))));
            }
        }
        let existing_decided = grants.iter().filter_map(|g| g.decided_amount).sum();
        let counts = store.list::<BodyCount>().items;
        let terms = store
            .list::<DesignationTerm>()
            .whole()
            .map_err(store_text)?;
        let mut st = PreviewState {
            preview: preview(&program, &bodies, &counts, &grants, &Compare::None, false),
            program,
            options,
            option: 0,
            transition: false,
            bodies,
            counts,
            terms,
            grants,
            existing_decided,
            offset: 0,
        };
        st.recompute();
        Ok(st)
    }

    /// The preview of the program scenario `id` is tried against, with the scenario chosen: the
    /// formula or fixed program of the scenario's fiscal year (of `fy` when it names none) with
    /// the largest budget.
    ///
    /// Errors: no such scenario, no such program that year, or a record cannot be read.
    pub fn load_scenario(store: &Store, id: u64, fy: FiscalYear) -> Result<PreviewState, Text> {
        let s = store
            .get_id::<AllocationScenario>(id)
            .map_err(store_text)?
            .ok_or_else(|| Text::new("配分シナリオが見つかりません", "no such scenario"))?;
        let fy = s.fiscal_year.unwrap_or(fy);
        let program = store
            .list::<SubsidyProgram>()
            .whole()
            .map_err(store_text)?
            .into_iter()
            .filter(|p| p.fiscal_year == fy && !matches!(p.rule, AllocationRule::Rate { .. }))
            .max_by_key(|p| p.budget)
            .ok_or_else(|| {
                Text::new(
                    format!("{}には算定式か定額の交付金がありません", fy.ja_label()),
                    format!("FY{} has no formula or fixed program", fy.0),
                )
            })?;
        let mut st = PreviewState::load(store, program.id)?;
        st.option = st
            .options
            .iter()
            .position(|o| matches!(&o.1, Choice::Scenario(x) if x.id == id))
            .unwrap_or(0);
        st.recompute();
        Ok(st)
    }
}

/// Applies a preview: every body in it without a grant under the program gets one, decided at
/// the previewed amount on `today` (rate programs: their applications are decided). One
/// transaction. Returns how many grants were decided.
///
/// Errors: over budget without a recorded reason, or a store error; nothing is written.
pub fn apply_preview(
    store: &Store,
    st: &PreviewState,
    today: chrono::NaiveDate,
) -> Result<usize, Text> {
    let p = &st.program;
    let mut b = Batch::new();
    let mut n = 0;
    let mut added = 0;
    for row in &st.preview.rows {
        match st
            .grants
            .iter()
            .find(|g| g.recipient == Recipient::Body(row.body_id))
        {
            Some(g) if g.state == GrantState::Applied => {
                store.expect_unchanged(&mut b, g).map_err(store_text)?;
                let mut g = g.clone();
                g.decided_amount = Some(row.decided);
                g.decided_on = Some(today);
                g.state = GrantState::Decided;
                added += row.decided;
                b.put(g);
                n += 1;
            }
            Some(_) => {}
            None => {
                b.put(Grant {
                    id: 0,
                    program_id: p.id,
                    recipient: Recipient::Body(row.body_id),
                    applied_amount: row.decided,
                    applied_on: today,
                    eligible_cost: None,
                    project_year: None,
                    decided_amount: Some(row.decided),
                    decided_on: Some(today),
                    reported_on: None,
                    confirmed_amount: None,
                    confirmed_on: None,
                    closed_on: None,
                    state: GrantState::Decided,
                    project_end: None,
                    award: None,
                });
                added += row.decided;
                n += 1;
            }
        }
    }
    if let Some(t) = crate::domain::grant::budget_problem(p, st.existing_decided + added) {
        return Err(t);
    }
    b.note(format!("allocation of {} {}", p.fiscal_year, p.name));
    store.write(b).map_err(store_text)?;
    Ok(n)
}
