//! The rules between records that `kyodo check` verifies beyond what each write checked
//! (grant invariants, budgets, 指定管理 periods, awards, evaluation order, training stages,
//! plan actions, results and opinions). They read the small record types only.

use super::{Store, keys};
use crate::domain::{Disbursement, Grant, SubsidyProgram, Text};

/// A broken rule: the tree and key of the record it concerns, and what is wrong.
pub(super) type Broken = (&'static str, Vec<u8>, Text);

/// What [`rules`] found.
#[derive(Default)]
pub(super) struct Report {
    pub(super) problems: Vec<Broken>,
}

fn problem(tree: &'static str, key: &[u8], message: Text) -> Broken {
    (tree, key.to_vec(), message)
}

/// Every broken rule between records.
pub(super) fn rules(store: &Store) -> Vec<Broken> {
    let mut report = Report::default();
    let report = &mut report;
    let pays = store.list::<Disbursement>().items;
    let grants = store.list::<Grant>().items;
    for g in &grants {
        let mine: Vec<&Disbursement> = pays.iter().filter(|p| p.grant_id == g.id).collect();
        for t in crate::domain::grant::invariants(g, &mine) {
            report
                .problems
                .push(problem("grants", &keys::id_key(g.id), t));
        }
    }
    for p in store.list::<SubsidyProgram>().items {
        let decided: i64 = grants
            .iter()
            .filter(|g| g.program_id == p.id)
            .filter_map(|g| g.decided_amount)
            .sum();
        if let Some(t) = crate::domain::grant::budget_problem(&p, decided) {
            report
                .problems
                .push(problem("subsidy_programs", &keys::id_key(p.id), t));
        }
    }
    // Rules a record must keep that were not checked when it was written (seed 003 第2章 4:
    // a body cannot manage its 市民センター before it exists).
    for b in store.list::<crate::domain::Body>().items {
        if let Some(since) = b
            .citizen_center
            .as_ref()
            .and_then(|c| c.designated_manager_since)
            && since < b.established_on
        {
            let why = crate::domain::fields::designated_before_founding(b.established_on);
            report.problems.push(problem(
                "bodies",
                &keys::id_key(b.id),
                Text::new(
                    format!("{} 指定管理開始 {since}: {}", b.name, why.ja),
                    format!("{} designated manager since {since}: {}", b.name, why.en),
                ),
            ));
        }
    }
    // 指定管理の期間: none before its manager's founding, none overlapping (issue 18.4).
    let founded: std::collections::BTreeMap<u64, chrono::NaiveDate> = store
        .list::<crate::domain::Body>()
        .items
        .into_iter()
        .map(|b| (b.id, b.established_on))
        .collect();
    let terms = store
        .list::<crate::domain::designation::DesignationTerm>()
        .items;
    for (id, t) in crate::domain::designation::problems(&terms, &|b| founded.get(&b).copied()) {
        report
            .problems
            .push(problem("designation_terms", &keys::id_key(id), t));
    }
    // A grant under a multi-year award within its years and caps (issue 18.2).
    let awards = store.list::<crate::domain::award::Award>().items;
    if !awards.is_empty() {
        let programs = store.list::<crate::domain::SubsidyProgram>().items;
        let grants = store.list::<crate::domain::Grant>().items;
        for (id, t) in crate::domain::award::problems(&awards, &programs, &grants) {
            report
                .problems
                .push(problem("grants", &keys::id_key(id), t));
        }
    }
    // 協働事業評価 in its order: no stage without the one it follows (issue 19.2).
    let evals = store
        .list::<crate::domain::project_evaluation::ProjectEvaluation>()
        .items;
    if !evals.is_empty() {
        let projects = store
            .list::<crate::domain::collaboration_project::CollaborationProject>()
            .items;
        let number = |id: u64| {
            projects
                .iter()
                .find(|p| p.id == id)
                .map_or_else(|| id.to_string(), |p| p.number.clone())
        };
        for (id, t) in crate::domain::project_evaluation::problems(&evals, &number) {
            report
                .problems
                .push(problem("project_evaluations", &keys::id_key(id), t));
        }
    }
    // 研修: no ステップアップ before the same person's 基礎 (issue 19.4).
    let trainings = store.list::<crate::domain::training::Training>().items;
    if !trainings.is_empty() {
        let staff = store.list::<crate::domain::Staff>().items;
        let name = |id: u64| {
            staff
                .iter()
                .find(|s| s.id == id)
                .map_or_else(|| id.to_string(), |s| s.name.clone())
        };
        for (id, t) in crate::domain::training::problems(&trainings, &name) {
            report
                .problems
                .push(problem("trainings", &keys::id_key(id), t));
        }
    }
    // A result must be of an action of its plan (plan name and number; issue 16.2).
    let actions = store.list::<crate::domain::PlanAction>().items;
    for r in store
        .list::<crate::domain::action_result::ActionResult>()
        .items
    {
        if !actions
            .iter()
            .any(|a| a.plan == r.plan && a.number == r.number)
        {
            report.problems.push(problem(
                "action_results",
                &keys::id_key(r.id),
                Text::new(
                    format!(
                        "{} の事業 {} の実績ですが、その事業がありません",
                        r.plan, r.number
                    ),
                    format!(
                        "a result of action {} of {}, which has no such action",
                        r.number, r.plan
                    ),
                ),
            ));
        }
    }
    // An action's period is its plan's, where the plan is a record (issue 16.1).
    let plans = store.list::<crate::domain::plan_record::Plan>().items;
    for a in &actions {
        if let Some(p) = plans.iter().find(|p| p.name == a.plan)
            && (p.start, p.end) != (a.plan_start, a.plan_end)
        {
            report.problems.push(problem(
                "plan_actions",
                &keys::id_key(a.id),
                Text::new(
                    format!(
                        "{} の事業 {} の期間 {}〜{} が計画の期間 {}〜{} と違います",
                        a.plan,
                        a.number,
                        a.plan_start.ja_label(),
                        a.plan_end.ja_label(),
                        p.start.ja_label(),
                        p.end.ja_label()
                    ),
                    format!(
                        "action {} of {} runs {}–{}, but the plan runs {}–{}",
                        a.number, a.plan, a.plan_start, a.plan_end, p.start, p.end
                    ),
                ),
            ));
        }
    }
    // An opinion is of a meeting of its plan, and of an action of that plan (issue 16.4).
    let meetings = store
        .list::<crate::domain::committee_meeting::CommitteeMeeting>()
        .items;
    for o in store
        .list::<crate::domain::committee_opinion::CommitteeOpinion>()
        .items
    {
        let key = keys::id_key(o.id);
        if !meetings
            .iter()
            .any(|m| m.plan == o.plan && m.date == o.meeting_date)
        {
            report.problems.push(problem(
                "committee_opinions",
                &key,
                Text::new(
                    format!(
                        "{} の {} の会議の意見ですが、その会議がありません",
                        o.plan, o.meeting_date
                    ),
                    format!(
                        "an opinion of the {} meeting of {}, which has no such meeting",
                        o.meeting_date, o.plan
                    ),
                ),
            ));
        }
        if let Some(n) = o.action
            && !actions.iter().any(|a| a.plan == o.plan && a.number == n)
        {
            report.problems.push(problem(
                "committee_opinions",
                &key,
                Text::new(
                    format!("{} の事業 {n} への意見ですが、その事業がありません", o.plan),
                    format!(
                        "an opinion on action {n} of {}, which has no such action",
                        o.plan
                    ),
                ),
            ));
        }
    }
    std::mem::take(&mut report.problems)
}
