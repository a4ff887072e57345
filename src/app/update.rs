//! `update(state, action) -> effects`: the only place state changes.

use super::action::{Action, Effect, WriteJob};
use super::data::Item;
use super::form::{FormKind, FormOutcome};
use super::nav::{go_pane, move_by, refilter, refilter_keep, set_fy};
use super::state::{AppState, Confirm, Draft, Mode, Pane, QuickLog, View};
use crate::domain::{Category, Channel, ConsultationTally, FiscalYear, RecordKind};
use crate::i18n::Msg;
use crate::store::Batch;

/// Applies `action` to `state` and returns what the runner must do next.
pub fn update(state: &mut AppState, action: Action) -> Vec<Effect> {
    let rows = state.list_rows();
    if !matches!(action, Action::Loaded(..) | Action::Resize(..)) {
        state.flash = None;
    }
    match action {
        Action::Down | Action::Up if state.mode == Mode::Preview => {
            if let Some(p) = state.preview.as_mut() {
                let n = p.preview.rows.len();
                p.offset = if matches!(action, Action::Down) {
                    (p.offset + 1).min(n.saturating_sub(1))
                } else {
                    p.offset.saturating_sub(1)
                };
            }
        }
        Action::Down => move_by(state.current_mut(), 1, rows),
        Action::Up => move_by(state.current_mut(), -1, rows),
        Action::PageDown => move_by(state.current_mut(), rows as isize, rows),
        Action::PageUp => move_by(state.current_mut(), -(rows as isize), rows),
        Action::Top => move_by(state.current_mut(), isize::MIN / 2, rows),
        Action::Bottom => move_by(state.current_mut(), isize::MAX / 2, rows),
        Action::Enter => {
            let heading = matches!(state.selected(), Some(Item::Section(..)));
            let body = match state.selected() {
                Some(Item::Body(b) | Item::MyBody(b, _)) => Some(b.id),
                _ => None,
            };
            let fy = state.fy;
            let p = state.current_mut();
            if p.selected_item().is_some() && !heading {
                p.detail = true;
                if let Some(id) = body {
                    return vec![Effect::LoadBodyRecent(id, fy)];
                }
            }
        }
        Action::BodyRecentLoaded(r) => state.body_recent = Some(r),
        Action::RecordResult => return crate::app::plan_view::result_form(state),
        Action::ConsultationForBody => {
            if let Some(Item::Body(b) | Item::MyBody(b, _)) = state.selected() {
                return vec![Effect::OpenForm {
                    kind: FormKind::Consultation,
                    id: None,
                    prefill: vec![
                        (
                            "client_type".to_string(),
                            crate::domain::fields::CLIENT_TYPES[0].1.to_string(),
                        ),
                        ("client_name".to_string(), b.name.clone()),
                    ],
                }];
            }
        }
        Action::Back => back(state, rows),
        Action::NextPane => return go_pane(state, (state.pane.index() + 1) % Pane::ALL.len()),
        Action::PrevPane => {
            return go_pane(
                state,
                (state.pane.index() + Pane::ALL.len() - 1) % Pane::ALL.len(),
            );
        }
        Action::GoPane(i) => return go_pane(state, i),
        Action::NextView => {
            let n = state.pane.views().len();
            let fy = state.fy;
            let pane = state.pane;
            let p = state.current_mut();
            if n > 1 {
                p.view = (p.view + 1) % n;
                p.filter.clear();
                p.data = None;
                p.loaded_fy = None;
                p.detail = false;
                p.selected = 0;
                p.offset = 0;
                return vec![Effect::Load(pane, fy)];
            }
        }
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
        Action::PrevFy | Action::NextFy if state.view() == View::Agenda => {
            return crate::app::agenda::step(state, matches!(action, Action::NextFy));
        }
        Action::PrevFy => {
            state.month = None;
            return set_fy(state, state.fy.prev());
        }
        Action::NextFy => {
            state.month = None;
            return set_fy(state, state.fy.next());
        }
        Action::Flash(msg) => state.flash = Some(msg),
        Action::LatestFy => {
            if let Some(l) = state.latest_fy {
                return set_fy(state, l);
            }
        }
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
        Action::Loaded(pane, view, fy, data) => {
            let p = &state.panes[pane.index()];
            let current_view = pane.views()[p.view.min(pane.views().len() - 1)];
            if fy == state.fy && view == current_view {
                state.status = data
                    .problems
                    .first()
                    .map(|first| format!("{} — {first}", data.problems.len()));
                let lang = state.lang;
                let p = &mut state.panes[pane.index()];
                p.data = Some(*data);
                p.loaded_fy = Some(fy);
                let rows = state.list_rows();
                let select = state.select;
                let p = &mut state.panes[pane.index()];
                refilter_keep(p, lang, fy, rows);
                // The record just saved, if this list shows it.
                if let Some(want) = select
                    && let Some(data) = &p.data
                    && let Some(pos) = p
                        .visible
                        .iter()
                        .position(|&i| data.items[i].record() == Some(want))
                {
                    let delta = pos as isize - p.selected as isize;
                    move_by(p, delta, rows);
                    state.select = None;
                }
            }
        }
        Action::LoadFailed(msg) => state.status = Some(msg),
        Action::Add => {
            if let Some(kind) = state.view().form() {
                return vec![Effect::OpenForm {
                    kind,
                    id: None,
                    prefill: Vec::new(),
                }];
            }
        }
        Action::Edit => return edit(state),
        Action::Delete => {
            if let Some((kind, id)) = state.selected().and_then(|i| i.record()) {
                let label = state
                    .selected()
                    .and_then(|i| {
                        let d = state.current().data.as_ref()?;
                        Some(super::rows::cells(i, &d.lookups, state.lang, state.fy).join(" "))
                    })
                    .unwrap_or_default();
                state.confirm = Some(Confirm::Delete { kind, id, label });
                state.mode = Mode::Confirm;
            }
        }
        Action::QuickLog => {
            state.quick = Some(QuickLog::default());
            state.mode = Mode::Quick;
        }
        Action::QuickChar(c) => return quick_char(state, c),
        Action::QuickBack => {
            if let Some(q) = state.quick.as_mut() {
                if !q.count.is_empty() {
                    q.count.pop();
                } else if q.channel.is_some() {
                    q.channel = None;
                } else {
                    q.category = None;
                }
            }
        }
        Action::QuickEnter => return quick_save(state),
        Action::Rotate => {
            if state.view() == View::Assignments {
                state.confirm = Some(Confirm::Rotate(state.fy));
                state.mode = Mode::Confirm;
            }
        }
        Action::ToggleDone => {
            if let Some(Item::FollowUp(m, i)) = state.selected() {
                return vec![Effect::ToggleFollowUp(m.id, *i)];
            }
        }
        Action::FormKey(input) => {
            let Some(form) = state.form.as_mut() else {
                return Vec::new();
            };
            match form.key(input) {
                FormOutcome::Editing => {}
                FormOutcome::Cancel => {
                    if form.dirty() {
                        state.confirm = Some(Confirm::Discard);
                        state.mode = Mode::Confirm;
                    } else {
                        close_form(state);
                    }
                }
                FormOutcome::Save if form.kind == FormKind::GrantStep => {
                    let lang = state.lang;
                    match form.build_step() {
                        Some((step, note)) => return vec![Effect::GrantStep(form.id, step, note)],
                        None => form.message = Some(lang.t(Msg::FixErrors).to_string()),
                    }
                }
                FormOutcome::Save => {
                    let lang = state.lang;
                    let done = form.saved_message(lang);
                    let show = Some((form.kind, form.saved_fy()));
                    match form.build() {
                        Some(batch) => return vec![Effect::Write(WriteJob { batch, done, show })],
                        None => form.message = Some(lang.t(Msg::FixErrors).to_string()),
                    }
                }
            }
        }
        Action::FormOpened(form) => {
            state.form = Some(*form);
            state.mode = Mode::Form;
        }
        Action::Yes => return answer(state, true),
        Action::No => return answer(state, false),
        Action::Written(result) => match result {
            Ok(msg) => {
                if state.form.is_some() {
                    close_form(state);
                }
                state.quick = None;
                state.preview = None;
                if matches!(state.mode, Mode::Quick | Mode::Preview) {
                    state.mode = Mode::Normal;
                }
                state.flash = Some(msg);
                return reload_all(state);
            }
            Err(msg) => {
                let text = format!("{}: {msg}", state.lang.t(Msg::NotSaved));
                match state.form.as_mut() {
                    Some(f) => f.message = Some(text),
                    None => state.flash = Some(text),
                }
            }
        },
        Action::DeleteRefused { kind, id, reason } => {
            if matches!(kind, FormKind::Body | FormKind::Staff) {
                state.confirm = Some(Confirm::MarkInactive { kind, id, reason });
                state.mode = Mode::Confirm;
            } else {
                state.flash = Some(reason);
            }
        }
        Action::DraftFound(d) => {
            state.confirm = Some(Confirm::RestoreDraft(d));
            state.mode = Mode::Confirm;
        }
        Action::Preview => {
            if state.view() == View::PlanActions {
                return crate::app::plan_view::next_plan(state);
            }
            match state.selected() {
                Some(Item::Program(p, _)) => return vec![Effect::OpenPreview(p.id)],
                Some(Item::Record(r)) if r.kind == RecordKind::AllocationScenario => {
                    return vec![Effect::OpenScenario(r.id, state.fy)];
                }
                _ => {}
            }
        }
        Action::PreviewOpened(st) => {
            state.preview = Some(st);
            state.mode = Mode::Preview;
        }
        Action::PreviewCompare => {
            if let Some(p) = state.preview.as_mut() {
                p.option = (p.option + 1) % p.options.len().max(1);
                p.recompute();
            }
        }
        Action::PreviewTransition => {
            if let Some(p) = state.preview.as_mut() {
                p.transition = !p.transition;
                p.recompute();
            }
        }
        Action::PreviewApply => {
            if state
                .preview
                .as_ref()
                .is_some_and(|p| p.scenario().is_some())
            {
                state.flash = Some(state.lang.t(Msg::ScenarioCreatesNothing).to_string());
            } else if state.preview.is_some() {
                state.confirm = Some(Confirm::ApplyPreview);
                state.mode = Mode::Confirm;
            }
        }
        Action::MeetingForBody => {
            if let Some(Item::Body(b) | Item::MyBody(b, _)) = state.selected() {
                return vec![Effect::OpenForm {
                    kind: FormKind::Meeting,
                    id: None,
                    prefill: vec![("body".to_string(), b.name.clone())],
                }];
            }
        }
        Action::Step => {
            let id = match state.selected() {
                Some(Item::Grant(g)) => Some(g.grant.id),
                Some(Item::ActionRow(r, _)) => Some(r.grant_id),
                _ => None,
            };
            if let Some(id) = id {
                return vec![Effect::OpenForm {
                    kind: FormKind::GrantStep,
                    id: Some(id),
                    prefill: Vec::new(),
                }];
            }
        }
        Action::Changed => {
            let mut effects = vec![Effect::Refresh];
            effects.extend(reload_all(state));
            return effects;
        }
        Action::Stale(n, msg) => {
            let text = format!("{}: {msg}", state.lang.t(Msg::NotSaved));
            match state.form.as_mut() {
                Some(f) => {
                    // Saving again now overwrites the other change, knowingly.
                    f.version = Some(n);
                    f.message = Some(text);
                }
                None => state.flash = Some(text),
            }
        }
        Action::Connection(up) => {
            state.offline = !up;
            if up {
                state.flash = Some(state.lang.t(Msg::Reconnected).to_string());
                let mut effects = vec![Effect::Refresh];
                effects.extend(reload_all(state));
                return effects;
            }
        }
        Action::SessionCut => {
            if let Some(form) = &state.form {
                let fields = form.values();
                return vec![Effect::SaveDraft(Draft {
                    kind: form.kind,
                    id: form.id,
                    fy: state.fy.0,
                    fields,
                })];
            }
        }
    }
    Vec::new()
}

fn edit(state: &mut AppState) -> Vec<Effect> {
    if let Some(Item::IndicatorDef(i)) = state.selected() {
        // An indicator is keyed by its id text: the form saves over the same key.
        let prefill = crate::domain::fields::write_indicator(i)
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        return vec![Effect::OpenForm {
            kind: FormKind::Indicator,
            id: None,
            prefill,
        }];
    }
    if let Some(Item::Indicator(st)) = state.selected() {
        if st.indicator.source != crate::domain::IndicatorSource::Entered {
            return Vec::new();
        }
        let mut prefill = vec![
            ("indicator".to_string(), st.indicator.id.clone()),
            ("fiscal_year".to_string(), state.lang.fy(state.fy)),
        ];
        if let Some(v) = st.value {
            prefill.push(("value".to_string(), v.to_string()));
        }
        return vec![Effect::OpenForm {
            kind: FormKind::IndicatorValue,
            id: None,
            prefill,
        }];
    }
    match state.selected().and_then(|i| i.record()) {
        Some((kind, id)) => vec![Effect::OpenForm {
            kind,
            id: Some(id),
            prefill: Vec::new(),
        }],
        None => Vec::new(),
    }
}

fn close_form(state: &mut AppState) {
    state.form = None;
    state.mode = Mode::Normal;
}

fn answer(state: &mut AppState, yes: bool) -> Vec<Effect> {
    let Some(q) = state.confirm.take() else {
        return Vec::new();
    };
    state.mode = if state.form.is_some() {
        Mode::Form
    } else if state.preview.is_some() {
        Mode::Preview
    } else {
        Mode::Normal
    };
    match (q, yes) {
        (Confirm::Delete { kind, id, .. }, true) => vec![Effect::Delete(kind, id)],
        (Confirm::Discard, true) => {
            close_form(state);
            Vec::new()
        }
        (Confirm::MarkInactive { kind, id, .. }, true) => vec![Effect::MarkInactive(kind, id)],
        (Confirm::RestoreDraft(d), true) => {
            state.fy = FiscalYear(d.fy);
            let prefill = d.fields.clone();
            vec![
                Effect::DiscardDraft,
                Effect::OpenForm {
                    kind: d.kind,
                    id: (d.id != 0).then_some(d.id),
                    prefill,
                },
            ]
        }
        (Confirm::RestoreDraft(_), false) => vec![Effect::DiscardDraft],
        (Confirm::Rotate(fy), true) => vec![Effect::Rotate(fy)],
        (Confirm::ApplyPreview, true) => vec![Effect::ApplyPreview],
        _ => Vec::new(),
    }
}

fn quick_char(state: &mut AppState, c: char) -> Vec<Effect> {
    let Some(q) = state.quick.as_mut() else {
        return Vec::new();
    };
    let digit = c.to_digit(10).map(|d| d as usize);
    if q.category.is_none() {
        if c == 'd' {
            state.quick = None;
            state.mode = Mode::Normal;
            return vec![Effect::OpenForm {
                kind: FormKind::Consultation,
                id: None,
                prefill: Vec::new(),
            }];
        }
        if let Some(cat) = digit
            .and_then(|d| d.checked_sub(1))
            .and_then(|i| Category::ALL.get(i))
        {
            q.category = Some(*cat);
        }
    } else if q.channel.is_none() {
        if let Some(ch) = digit
            .and_then(|d| d.checked_sub(1))
            .and_then(|i| Channel::ALL.get(i))
        {
            q.channel = Some(*ch);
        }
    } else if c.is_ascii_digit() && q.count.len() < 4 {
        q.count.push(c);
    }
    Vec::new()
}

fn quick_save(state: &mut AppState) -> Vec<Effect> {
    let Some(q) = state.quick.as_mut() else {
        return Vec::new();
    };
    let (Some(category), Some(channel)) = (q.category, q.channel) else {
        return Vec::new();
    };
    let count = if q.count.is_empty() {
        1
    } else {
        q.count.parse().unwrap_or(0)
    };
    if crate::domain::rules::tally_count(count).is_err() {
        q.count.clear();
        return Vec::new();
    }
    let mut batch = Batch::new();
    batch.put(ConsultationTally {
        id: 0,
        date: state.today,
        category,
        channel,
        count,
    });
    let done = format!(
        "{}: {} {} ×{count}",
        state.lang.t(Msg::Saved),
        category.label(state.lang),
        channel.label(state.lang)
    );
    vec![Effect::Write(WriteJob {
        batch,
        done,
        show: None,
    })]
}

/// After a write: every pane's data is stale; reload the one on screen.
fn reload_all(state: &mut AppState) -> Vec<Effect> {
    for p in state.panes.iter_mut() {
        p.loaded_fy = None;
    }
    vec![Effect::Load(state.pane, state.fy)]
}

fn back(state: &mut AppState, rows: usize) {
    match state.mode {
        Mode::Help => state.mode = Mode::Normal,
        Mode::Quick => {
            state.quick = None;
            state.mode = Mode::Normal;
        }
        Mode::Confirm => {
            let _ = answer(state, false);
        }
        Mode::Form => {}
        Mode::Preview => {
            state.preview = None;
            state.mode = Mode::Normal;
        }
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
    }
}
