//! Allocation preview (issue 4): every eligible body's inputs and amount under a program's rule,
//! the total against the budget, and a side-by-side comparison with another rule or last year's
//! amounts, optionally paying the larger of the two (a transition after a formula revision).

use super::*;
use std::collections::BTreeMap;

/// What to compare the program's amounts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Compare {
    /// Nothing.
    None,
    /// Amounts decided last year, by body.
    LastYear(BTreeMap<BodyId, i64>),
    /// Another rule (e.g. the current formula while studying a revision), with its name.
    Rule(String, AllocationRule),
}

/// One body's line of the preview. Yen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewRow {
    /// The body.
    pub body_id: BodyId,
    /// Its inputs (counts on the counts date; eligible cost and year for rate programs).
    pub input: AllocationInput,
    /// Amount under the program's rule.
    pub amount: i64,
    /// Amount under the comparison, if any.
    pub compare: Option<i64>,
    /// What would be decided: `amount`, or the larger of the two during a transition.
    pub decided: i64,
}

/// The whole preview. Yen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// Rows, in the order of the bodies given.
    pub rows: Vec<PreviewRow>,
    /// Sum of `decided`.
    pub total: i64,
    /// Sum of `compare`, when comparing.
    pub compare_total: Option<i64>,
    /// The program's budget.
    pub budget: i64,
    /// How much the total is over the budget (0 when within).
    pub over_budget: i64,
    /// The date counts were taken.
    pub counts_date: Option<chrono::NaiveDate>,
}

/// Computes the preview of `program` for `bodies` (sorted as wanted): for a formula or fixed
/// rule every body in existence on the counts date; for a rate rule the bodies with an
/// application (`applications`: the program's grants with an eligible cost).
pub fn preview(
    program: &SubsidyProgram,
    bodies: &[Body],
    counts: &[BodyCount],
    applications: &[Grant],
    compare: &Compare,
    transition: bool,
) -> Preview {
    let date = program.rule.counts_date(program.fiscal_year);
    let mut rows = Vec::new();
    for b in bodies {
        let input = match &program.rule {
            AllocationRule::Rate { .. } => {
                let Some(app) = applications.iter().find(|g| {
                    g.recipient == Recipient::Body(b.id)
                        && g.program_id == program.id
                        && g.eligible_cost.is_some()
                }) else {
                    continue;
                };
                AllocationInput {
                    eligible_cost: app.eligible_cost.unwrap_or(0),
                    project_year: app.project_year.unwrap_or(1),
                    ..Default::default()
                }
            }
            _ => {
                let Some(day) = date else { continue };
                if !b.active_on(day) {
                    continue;
                }
                let (households, population) = b.counts_on(counts, day);
                AllocationInput {
                    households,
                    population,
                    ..Default::default()
                }
            }
        };
        let amount = program.rule.amount(input);
        let cmp = match compare {
            Compare::None => None,
            Compare::LastYear(m) => Some(m.get(&b.id).copied().unwrap_or(0)),
            Compare::Rule(_, r) => Some(r.amount(input)),
        };
        let decided = match (transition, cmp) {
            (true, Some(c)) => amount.max(c),
            _ => amount,
        };
        rows.push(PreviewRow {
            body_id: b.id,
            input,
            amount,
            compare: cmp,
            decided,
        });
    }
    let total: i64 = rows.iter().map(|r| r.decided).sum();
    let compare_total =
        (!matches!(compare, Compare::None)).then(|| rows.iter().filter_map(|r| r.compare).sum());
    Preview {
        total,
        compare_total,
        budget: program.budget,
        over_budget: (total - program.budget).max(0),
        counts_date: date,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn body(id: u64, h: u32, p: u32) -> Body {
        Body {
            id,
            name: format!("b{id}"),
            kana: String::new(),
            district: String::new(),
            branch_office: String::new(),
            established_on: NaiveDate::from_ymd_opt(2015, 4, 1).unwrap(),
            dissolved_on: None,
            households: h,
            population: p,
            counts_as_of: NaiveDate::from_ymd_opt(2022, 4, 1),
            citizen_center: None,
            community_plan: None,
            area_km2: None,
        }
    }

    #[test]
    fn preview_uses_counts_on_the_date_compares_and_transitions() {
        let rule = |per_household| AllocationRule::Formula {
            per_body: 1_000_000,
            per_household,
            per_capita: 0,
            round_unit: 1_000,
            counts_date: None,
            cap: None,
            floor: None,
        };
        let p = SubsidyProgram {
            id: 1,
            name: "x".into(),
            fiscal_year: FiscalYear(2024),
            budget: 3_000_000,
            rule: rule(1_000),
            over_budget_reason: None,
            report_due: Default::default(),
            award_terms: None,
        };
        let bodies = vec![body(1, 100, 250), body(2, 900, 2000)];
        // Body 2 was counted again on 2024-04-01: 800 households; a count after the date is ignored.
        let counts = vec![
            BodyCount {
                id: 9,
                body_id: 2,
                as_of: NaiveDate::from_ymd_opt(2024, 4, 1).unwrap(),
                households: 800,
                population: 1900,
            },
            BodyCount {
                id: 10,
                body_id: 2,
                as_of: NaiveDate::from_ymd_opt(2024, 10, 1).unwrap(),
                households: 1,
                population: 1,
            },
        ];
        let pv = preview(&p, &bodies, &counts, &[], &Compare::None, false);
        assert_eq!(
            pv.rows.iter().map(|r| r.amount).collect::<Vec<_>>(),
            vec![1_100_000, 1_800_000]
        );
        assert_eq!((pv.total, pv.over_budget), (2_900_000, 0));
        // Comparing with a richer old rule; the transition pays the larger of the two.
        let cmp = Compare::Rule("old".into(), rule(1_500));
        let pv = preview(&p, &bodies, &counts, &[], &cmp, true);
        assert_eq!(
            pv.rows
                .iter()
                .map(|r| r.compare.unwrap())
                .collect::<Vec<_>>(),
            vec![1_150_000, 2_200_000]
        );
        assert_eq!(
            pv.rows.iter().map(|r| r.decided).collect::<Vec<_>>(),
            vec![1_150_000, 2_200_000]
        );
        assert_eq!((pv.total, pv.over_budget), (3_350_000, 350_000));
        // A dissolved body is not eligible.
        let mut gone = bodies.clone();
        gone[0].dissolved_on = NaiveDate::from_ymd_opt(2024, 3, 31);
        assert_eq!(
            preview(&p, &gone, &counts, &[], &Compare::None, false)
                .rows
                .len(),
            1
        );
    }
}
