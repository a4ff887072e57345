//! Moving through a list and filtering it: the selection skips headings (自分's sections are not
//! records), and a filter of several words keeps the rows that match every one, a month such as
//! `2024/03` or `R6.3` matching that month's dates.

use super::action::Effect;
use super::data::Item;
use super::rows::search_text;
use super::state::{AppState, Mode, Pane, PaneState};
use crate::domain::FiscalYear;
use crate::i18n::Lang;
use crate::text::fold;

/// Whether row `pos` of the visible list is a heading.
fn is_heading(p: &PaneState, pos: usize) -> bool {
    let Some(data) = &p.data else {
        return false;
    };
    p.visible
        .get(pos)
        .and_then(|&i| data.items.get(i))
        .is_some_and(|it| matches!(it, Item::Section(..)))
}

/// Moves the selection by `delta` rows (clamped), onto a record: a heading is stepped over in
/// the direction of the move (or forward, then back, when there is nowhere further to go).
pub(super) fn move_by(p: &mut PaneState, delta: isize, rows: usize) {
    let n = p.visible.len();
    if n == 0 {
        p.selected = 0;
        p.offset = 0;
        return;
    }
    let target = (p.selected as isize).saturating_add(delta);
    let mut at = target.clamp(0, n as isize - 1) as usize;
    let forward = delta >= 0;
    let along = |from: usize, fwd: bool| -> Option<usize> {
        let mut i = from;
        loop {
            if !is_heading(p, i) {
                return Some(i);
            }
            i = if fwd {
                (i + 1 < n).then_some(i + 1)?
            } else {
                i.checked_sub(1)?
            };
        }
    };
    if let Some(i) = along(at, forward).or_else(|| along(at, !forward)) {
        at = i;
    }
    p.selected = at;
    if p.selected < p.offset {
        p.offset = p.selected;
    } else if p.selected >= p.offset + rows {
        p.offset = p.selected + 1 - rows;
    }
    // Keep the heading above the first record in view when the list starts with one.
    if p.offset > 0 && p.offset == p.selected && is_heading(p, p.selected - 1) {
        p.offset -= 1;
    }
    p.offset = p.offset.min(n.saturating_sub(rows));
}

pub(super) fn refilter(p: &mut PaneState, lang: Lang, fy: FiscalYear, rows: usize) {
    compute_visible(p, lang, fy);
    p.selected = 0;
    p.offset = 0;
    move_by(p, 0, rows);
}

/// After a reload: keep the selection where it was, clamped to the new list.
pub(super) fn refilter_keep(p: &mut PaneState, lang: Lang, fy: FiscalYear, rows: usize) {
    compute_visible(p, lang, fy);
    move_by(p, 0, rows);
}

/// The forms one filter word matches: itself (folded), and for a month (`2024/03`, `2024-3`,
/// `R6.3`, `令和6年3月`) that month as dates are written (`2024-03`, `2024/03`).
pub fn term_forms(word: &str) -> Vec<String> {
    let mut out = vec![fold(word)];
    let w = crate::domain::date_parse::normalize_width(word);
    let month = w.strip_suffix('月').unwrap_or(&w).replace('年', "/");
    let day_one = ["/1", ".1", "-1"]
        .iter()
        .find_map(|d| crate::domain::parse_date(&format!("{month}{d}")).ok());
    if let Some(d) = day_one {
        out.push(d.format("%Y-%m").to_string());
        out.push(d.format("%Y/%m").to_string());
    }
    out
}

/// The rows of `p` that match its filter: every word of it, in any of its forms
/// ([`term_forms`]), somewhere in the row's names, kana and cells.
pub(super) fn compute_visible(p: &mut PaneState, lang: Lang, fy: FiscalYear) {
    let Some(data) = &p.data else {
        p.visible.clear();
        return;
    };
    let words: Vec<Vec<String>> = p.filter.split_whitespace().map(term_forms).collect();
    // The plan view lists one plan's actions (issue 16.2).
    let plans = match &data.summary {
        super::data::Summary::Plan(plans, ..) => plans.as_slice(),
        _ => &[],
    };
    let plan = super::plan_view::shown(plans, p.plan.as_deref(), fy);
    let in_plan = |it: &Item| super::plan_view::in_plan(it, plan);
    p.visible = if words.is_empty() {
        (0..data.items.len())
            .filter(|i| in_plan(&data.items[*i]))
            .collect()
    } else {
        data.items
            .iter()
            .enumerate()
            .filter(|(_, it)| in_plan(it))
            .filter(|(_, it)| {
                let text = search_text(it, &data.lookups, lang, fy);
                words.iter().all(|forms| {
                    forms
                        .iter()
                        .any(|f| !f.is_empty() && text.contains(f.as_str()))
                })
            })
            .map(|(i, _)| i)
            .collect()
    };
}

/// Goes to pane `i` (loading it when its year is not loaded), forgetting 自分's ticked
/// follow-ups when leaving it.
pub(super) fn go_pane(state: &mut AppState, i: usize) -> Vec<Effect> {
    let Some(pane) = Pane::ALL.get(i).copied() else {
        return Vec::new();
    };
    let mut effects = Vec::new();
    if state.pane == Pane::MyWork && pane != Pane::MyWork {
        // Ticked follow-ups stay listed only while 自分 is open.
        state.panes[Pane::MyWork.index()].loaded_fy = None;
        effects.push(Effect::ForgetTicked);
    }
    state.pane = pane;
    state.mode = Mode::Normal;
    if state.current().loaded_fy != Some(state.fy) {
        effects.push(Effect::Load(pane, state.fy));
    }
    effects
}

/// Sets the fiscal year on screen and loads the pane for it.
pub(crate) fn set_fy(state: &mut AppState, fy: FiscalYear) -> Vec<Effect> {
    state.fy = fy;
    for p in state.panes.iter_mut() {
        p.detail = false;
    }
    vec![Effect::Load(state.pane, fy)]
}
