//! `update(state, action) -> effects`: the only place state changes.

use super::action::{Action, Effect};
use super::rows::search_text;
use super::state::{AppState, Mode, Pane, PaneState};
use crate::domain::FiscalYear;
use crate::i18n::Lang;
use crate::text::fold;

/// Applies `action` to `state` and returns what the runner must do next (load data).
pub fn update(state: &mut AppState, action: Action) -> Vec<Effect> {
    let rows = state.list_rows();
    match action {
        Action::Down => move_by(state.current_mut(), 1, rows),
        Action::Up => move_by(state.current_mut(), -1, rows),
        Action::PageDown => move_by(state.current_mut(), rows as isize, rows),
        Action::PageUp => move_by(state.current_mut(), -(rows as isize), rows),
        Action::Top => move_by(state.current_mut(), isize::MIN / 2, rows),
        Action::Bottom => move_by(state.current_mut(), isize::MAX / 2, rows),
        Action::Enter => {
            let p = state.current_mut();
            if p.selected_item().is_some() {
                p.detail = true;
            }
        }
        Action::Back => match state.mode {
            Mode::Help => state.mode = Mode::Normal,
            Mode::Filter => {
                state.mode = Mode::Normal;
                let (lang, fy) = (state.lang, state.fy);
                let p = state.current_mut();
                p.filter.clear();
                refilter(p, lang, fy, rows);
            }
            Mode::Normal => {
                let (lang, fy) = (state.lang, state.fy);
                let p = state.current_mut();
                if p.detail {
                    p.detail = false;
                } else if !p.filter.is_empty() {
                    p.filter.clear();
                    refilter(p, lang, fy, rows);
                }
            }
        },
        Action::NextPane => return go_pane(state, (state.pane.index() + 1) % Pane::ALL.len()),
        Action::PrevPane => {
            return go_pane(
                state,
                (state.pane.index() + Pane::ALL.len() - 1) % Pane::ALL.len(),
            );
        }
        Action::GoPane(i) => return go_pane(state, i),
        Action::StartFilter => {
            state.mode = Mode::Filter;
            state.current_mut().detail = false;
        }
        Action::FilterChar(c) => {
            let (lang, fy) = (state.lang, state.fy);
            let p = state.current_mut();
            p.filter.push(c);
            refilter(p, lang, fy, rows);
        }
        Action::FilterBackspace => {
            let (lang, fy) = (state.lang, state.fy);
            let p = state.current_mut();
            p.filter.pop();
            refilter(p, lang, fy, rows);
        }
        Action::FilterAccept => state.mode = Mode::Normal,
        Action::PrevFy => return set_fy(state, state.fy.prev()),
        Action::NextFy => return set_fy(state, state.fy.next()),
        Action::Help => {
            state.mode = if state.mode == Mode::Help {
                Mode::Normal
            } else {
                Mode::Help
            }
        }
        Action::Quit => state.quit = true,
        Action::Resize(w, h) => {
            state.size = (w, h);
            let rows = state.list_rows();
            for p in state.panes.iter_mut() {
                move_by(p, 0, rows);
            }
        }
        Action::Loaded(pane, fy, data) => {
            if fy == state.fy {
                state.status = data
                    .problems
                    .first()
                    .map(|first| format!("{} — {first}", data.problems.len()));
                let lang = state.lang;
                let p = &mut state.panes[pane.index()];
                p.data = Some(*data);
                p.loaded_fy = Some(fy);
                let rows = state.list_rows();
                let p = &mut state.panes[pane.index()];
                refilter_keep(p, lang, fy, rows);
            }
        }
        Action::LoadFailed(msg) => state.status = Some(msg),
    }
    Vec::new()
}

fn go_pane(state: &mut AppState, i: usize) -> Vec<Effect> {
    let Some(pane) = Pane::ALL.get(i).copied() else {
        return Vec::new();
    };
    state.pane = pane;
    state.mode = Mode::Normal;
    if state.current().loaded_fy != Some(state.fy) {
        vec![Effect::Load(pane, state.fy)]
    } else {
        Vec::new()
    }
}

fn set_fy(state: &mut AppState, fy: FiscalYear) -> Vec<Effect> {
    state.fy = fy;
    for p in state.panes.iter_mut() {
        p.detail = false;
    }
    vec![Effect::Load(state.pane, fy)]
}

fn move_by(p: &mut PaneState, delta: isize, rows: usize) {
    let n = p.visible.len();
    if n == 0 {
        p.selected = 0;
        p.offset = 0;
        return;
    }
    let target = (p.selected as isize).saturating_add(delta);
    p.selected = target.clamp(0, n as isize - 1) as usize;
    if p.selected < p.offset {
        p.offset = p.selected;
    } else if p.selected >= p.offset + rows {
        p.offset = p.selected + 1 - rows;
    }
    p.offset = p.offset.min(n.saturating_sub(rows));
}

fn refilter(p: &mut PaneState, lang: Lang, fy: FiscalYear, rows: usize) {
    compute_visible(p, lang, fy);
    p.selected = 0;
    p.offset = 0;
    move_by(p, 0, rows);
}

/// After a reload: keep the selection where it was, clamped to the new list.
fn refilter_keep(p: &mut PaneState, lang: Lang, fy: FiscalYear, rows: usize) {
    compute_visible(p, lang, fy);
    move_by(p, 0, rows);
}

fn compute_visible(p: &mut PaneState, lang: Lang, fy: FiscalYear) {
    let Some(data) = &p.data else {
        p.visible.clear();
        return;
    };
    let needle = fold(&p.filter);
    p.visible = if needle.is_empty() {
        (0..data.items.len()).collect()
    } else {
        data.items
            .iter()
            .enumerate()
            .filter(|(_, it)| search_text(it, &data.lookups, lang, fy).contains(&needle))
            .map(|(i, _)| i)
            .collect()
    };
}
