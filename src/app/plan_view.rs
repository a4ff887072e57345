//! The plan view (計画の事業, issue 16.2): one plan at a time, with its own years as columns,
//! the plan's name and period above the list, the year on screen marked in the header (never
//! inside a status cell), `p` to switch plans and `[`/`]` that follow the plan in force.
//!
//! Rule: the view shows the plan the user chose if it covers the fiscal year on screen, else the
//! plan in force that year (the latest-starting one covering it), else the chosen one, else the
//! last plan. Switching plans moves the year into the new plan's period (its nearest year), so
//! the marked year and the columns always agree.

use super::action::Effect;
use super::data::{Item, Summary};
use super::form::FormKind;
use super::state::{AppState, View};
use crate::domain::FiscalYear;
use crate::domain::action_result::ActionResult;

/// A plan as the view knows it: its name and period (from its actions' `plan`, `plan_start`,
/// `plan_end`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanInfo {
    /// The plan's name, e.g. `第3次一関市協働推進計画`.
    pub name: String,
    /// First fiscal year of its period.
    pub start: FiscalYear,
    /// Last fiscal year of its period.
    pub end: FiscalYear,
    /// How many actions it has.
    pub actions: usize,
    /// Its latest revision (or adoption) date, from its plan record (issue 16.1).
    pub revised: Option<chrono::NaiveDate>,
}

impl PlanInfo {
    /// Whether `fy` is in the plan's period.
    pub fn covers(&self, fy: FiscalYear) -> bool {
        self.start <= fy && fy <= self.end
    }

    /// The plan's years, first to last (at most [`MAX_YEARS`], the columns a screen holds).
    pub fn years(&self) -> Vec<FiscalYear> {
        (self.start.0..=self.end.0)
            .take(MAX_YEARS)
            .map(FiscalYear)
            .collect()
    }
}

/// The most year columns the plan view shows (a plan of ten years fits 80 columns).
pub const MAX_YEARS: usize = 10;

/// The plans of `items` (plan actions), in order of their first year, then name.
pub fn plans_of(items: &[Item]) -> Vec<PlanInfo> {
    let mut plans: Vec<PlanInfo> = Vec::new();
    for it in items {
        if let Item::PlanAction(a) = it {
            match plans.iter_mut().find(|p| p.name == a.plan) {
                Some(p) => {
                    p.start = p.start.min(a.plan_start);
                    p.end = p.end.max(a.plan_end);
                    p.actions += 1;
                }
                None => plans.push(PlanInfo {
                    name: a.plan.clone(),
                    start: a.plan_start,
                    end: a.plan_end,
                    actions: 1,
                    revised: None,
                }),
            }
        }
    }
    plans.sort_by(|a, b| (a.start, &a.name).cmp(&(b.start, &b.name)));
    plans
}

/// [`plans_of`] with the plans' own records: a record's period wins over its actions', its
/// latest revision is kept, and a plan with no action yet is listed too.
pub fn with_records(
    mut plans: Vec<PlanInfo>,
    records: &[crate::domain::plan_record::Plan],
) -> Vec<PlanInfo> {
    for r in records {
        let revised = r.revisions.last().map(|(d, _)| *d);
        match plans.iter_mut().find(|p| p.name == r.name) {
            Some(p) => {
                (p.start, p.end, p.revised) = (r.start, r.end, revised);
            }
            None => plans.push(PlanInfo {
                name: r.name.clone(),
                start: r.start,
                end: r.end,
                actions: 0,
                revised,
            }),
        }
    }
    plans.sort_by(|a, b| (a.start, &a.name).cmp(&(b.start, &b.name)));
    plans
}

/// The plan shown for `fy` when the user chose `chosen` (see the module's rule).
pub fn shown<'a>(
    plans: &'a [PlanInfo],
    chosen: Option<&str>,
    fy: FiscalYear,
) -> Option<&'a PlanInfo> {
    let chosen = chosen.and_then(|c| plans.iter().find(|p| p.name == c));
    if let Some(c) = chosen.filter(|c| c.covers(fy)) {
        return Some(c);
    }
    plans
        .iter()
        .filter(|p| p.covers(fy))
        .max_by_key(|p| p.start)
        .or(chosen)
        .or(plans.last())
}

/// The plans listed by the current pane's data, if it is the plan view.
fn plans(state: &AppState) -> Option<&[PlanInfo]> {
    match state.current().data.as_ref().map(|d| &d.summary) {
        Some(Summary::Plan(plans, ..)) => Some(plans),
        _ => None,
    }
}

/// The plan the current pane shows, if it is the plan view.
pub fn current(state: &AppState) -> Option<&PlanInfo> {
    if state.view() != View::PlanActions {
        return None;
    }
    shown(plans(state)?, state.current().plan.as_deref(), state.fy)
}

/// `p` in the plan view: the next plan (after the last, the first), with the year moved into
/// its period when it is outside.
pub fn next_plan(state: &mut AppState) -> Vec<Effect> {
    let Some(plans) = plans(state) else {
        return Vec::new();
    };
    if plans.is_empty() {
        return Vec::new();
    }
    let now = shown(plans, state.current().plan.as_deref(), state.fy)
        .and_then(|p| plans.iter().position(|q| q == p))
        .unwrap_or(0);
    let next = plans[(now + 1) % plans.len()].clone();
    let fy = FiscalYear(state.fy.0.clamp(next.start.0, next.end.0));
    state.current_mut().plan = Some(next.name);
    if fy != state.fy {
        state.fy = fy;
        for p in state.panes.iter_mut() {
            p.detail = false;
        }
        return vec![Effect::Load(state.pane, fy)];
    }
    let (lang, rows) = (state.lang, state.list_rows());
    super::nav::refilter(state.current_mut(), lang, fy, rows);
    Vec::new()
}

/// The results of `plans`' data, if the current pane is the plan view.
fn results(state: &AppState) -> &[ActionResult] {
    match state.current().data.as_ref().map(|d| &d.summary) {
        Some(Summary::Plan(_, results, ..)) => results,
        _ => &[],
    }
}

/// `r` on an action: its result for the year on screen in a form — the stored one to correct,
/// else a new one with the plan, number, year and the planned status filled in.
pub fn result_form(state: &mut AppState) -> Vec<Effect> {
    let Some(Item::PlanAction(a)) = state.selected() else {
        return Vec::new();
    };
    let fy = state.fy;
    let kind = FormKind::Record(crate::domain::RecordKind::ActionResult);
    if let Some(r) = results(state)
        .iter()
        .find(|r| r.plan == a.plan && r.number == a.number && r.fiscal_year == fy)
    {
        return vec![Effect::OpenForm {
            kind,
            id: Some(r.id),
            prefill: Vec::new(),
        }];
    }
    let planned = a
        .status(fy)
        .unwrap_or(crate::domain::ActionStatus::Implementing);
    vec![Effect::OpenForm {
        kind,
        id: None,
        prefill: vec![
            ("plan".into(), a.plan.clone()),
            ("number".into(), a.number.to_string()),
            ("fiscal_year".into(), state.lang.fy(fy)),
            ("status".into(), planned.ja().into()),
        ],
    }]
}

/// The lines an action's detail adds (issue 16.2): for each year of its plan that has a
/// result, the planned and actual status, the self-rating and what was done, with what the
/// action's events held that year (issue 19.3: 講座・研修 N回・参加 M人).
pub fn result_lines(
    a: &crate::domain::PlanAction,
    results: &[ActionResult],
    events: &[crate::domain::event::Event],
    lang: crate::i18n::Lang,
) -> Vec<(String, String)> {
    use crate::i18n::Msg;
    let mut mine: Vec<&ActionResult> = results
        .iter()
        .filter(|r| r.plan == a.plan && r.number == a.number)
        .collect();
    mine.sort_by_key(|r| r.fiscal_year);
    let mut out = Vec::new();
    for (n, r) in mine.into_iter().enumerate() {
        let planned = a.status(r.fiscal_year).map_or("-", |s| s.label(lang));
        out.push((
            if n == 0 {
                lang.t(Msg::ResultsByYear).to_string()
            } else {
                String::new()
            },
            format!(
                "{} {} {planned} → {} / {}",
                lang.fy(r.fiscal_year),
                lang.t(Msg::Planned),
                r.status.label(lang),
                r.rating.label(lang)
            ),
        ));
        let count = r
            .count
            .map(|c| {
                format!(
                    " ({} {})",
                    lang.t(Msg::CountLabel),
                    crate::domain::money::group_digits(c)
                )
            })
            .unwrap_or_default();
        if !r.summary.is_empty() || !count.is_empty() {
            out.push((String::new(), format!("  {}{count}", r.summary)));
        }
        let held = crate::domain::event::held_text(events, &a.plan, a.number, r.fiscal_year, lang);
        if !held.is_empty() {
            out.push((String::new(), format!("  {held}")));
        }
    }
    out
}

/// The lines an action's detail adds for the committee (issue 16.4): each opinion on it, with
/// the meeting's date and year, and the city's response (未回答 while there is none).
pub fn opinion_lines(
    a: &crate::domain::PlanAction,
    opinions: &[crate::domain::committee_opinion::CommitteeOpinion],
    lang: crate::i18n::Lang,
) -> Vec<(String, String)> {
    use crate::i18n::Msg;
    let mut mine: Vec<_> = opinions
        .iter()
        .filter(|o| o.plan == a.plan && o.action == Some(a.number))
        .collect();
    mine.sort_by_key(|o| o.meeting_date);
    let mut out = Vec::new();
    for (n, o) in mine.into_iter().enumerate() {
        let head = if n == 0 {
            lang.t(Msg::CommitteeOpinions).to_string()
        } else {
            String::new()
        };
        let year = o
            .fiscal_year
            .map(|y| format!(" ({})", lang.fy(y)))
            .unwrap_or_default();
        out.push((
            head,
            format!("{}{year} {}", lang.date(o.meeting_date), o.opinion),
        ));
        let response = if o.response.is_empty() {
            lang.t(Msg::NotAnswered).to_string()
        } else {
            o.response.clone()
        };
        out.push((
            String::new(),
            format!("  → {}: {response}", lang.t(Msg::CityResponse)),
        ));
    }
    out
}

/// Whether the plan view, showing `plan` (from [`shown`]), lists `item`.
pub fn in_plan(item: &Item, plan: Option<&PlanInfo>) -> bool {
    match (item, plan) {
        (Item::PlanAction(a), Some(p)) => a.plan == p.name,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(name: &str, start: i32, end: i32) -> PlanInfo {
        PlanInfo {
            name: name.into(),
            start: FiscalYear(start),
            end: FiscalYear(end),
            actions: 1,
            revised: None,
        }
    }

    #[test]
    fn the_chosen_plan_unless_another_is_in_force_that_year() {
        let plans = [plan("新庄", 2015, 2019), plan("一関", 2024, 2028)];
        let name = |p: Option<&PlanInfo>| p.map(|p| p.name.clone());
        // Nothing chosen: the plan in force, else the last.
        assert_eq!(
            name(shown(&plans, None, FiscalYear(2017))).as_deref(),
            Some("新庄")
        );
        assert_eq!(
            name(shown(&plans, None, FiscalYear(2026))).as_deref(),
            Some("一関")
        );
        assert_eq!(
            name(shown(&plans, None, FiscalYear(2022))).as_deref(),
            Some("一関")
        );
        // Chosen: kept in a year no plan covers, left for the plan in force in its years.
        assert_eq!(
            name(shown(&plans, Some("新庄"), FiscalYear(2022))).as_deref(),
            Some("新庄")
        );
        assert_eq!(
            name(shown(&plans, Some("新庄"), FiscalYear(2025))).as_deref(),
            Some("一関")
        );
        assert_eq!(
            name(shown(&plans, Some("一関"), FiscalYear(2016))).as_deref(),
            Some("新庄")
        );
        assert_eq!(plans[0].years().len(), 5);
        assert_eq!(plan("長い", 2020, 2040).years().len(), MAX_YEARS);
    }
}
