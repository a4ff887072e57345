//! Carrying out effects through the store, feeding results back into `update`. No terminal
//! here: the TUI loop and the tests both call [`apply`].

use super::action::{Action, Effect};
use super::data::Loader;
use super::form::{Form, FormKind};
use super::state::{AppState, Draft};
use super::update::update;
use crate::domain::fields::Resolver;
use crate::domain::*;
use crate::i18n::Msg;
use crate::store::{Batch, StoreError};
use std::collections::VecDeque;
use std::sync::Arc;

/// Runs `effects` (and the effects their results cause) to completion.
pub fn apply(state: &mut AppState, loader: &mut Loader, effects: Vec<Effect>) {
    let mut queue: VecDeque<Effect> = effects.into();
    while let Some(e) = queue.pop_front() {
        if let Some(action) = run(state, loader, e) {
            queue.extend(update(state, action));
        }
    }
}

/// An existing record's fields, for an edit form: the type writes them itself.
fn fields_of(
    loader: &Loader,
    kind: FormKind,
    id: u64,
    c: &dyn Resolver,
) -> Result<Vec<(&'static str, String)>, String> {
    struct Fields<'a>(&'a crate::store::Store, u64, &'a dyn Resolver);
    impl Visit for Fields<'_> {
        type Out = Result<Vec<(&'static str, String)>, String>;
        fn visit<T: RecordType>(self) -> Self::Out {
            match self.0.get_id::<T>(self.1) {
                Ok(Some(r)) => Ok(r.write(self.2)),
                Ok(None) => Err(format!("record {} no longer exists", self.1)),
                Err(e) => Err(e.to_string()),
            }
        }
    }
    match kind.record() {
        Some(k) if kind != FormKind::Indicator => k.visit(Fields(loader.store(), id, c)),
        _ => Ok(Vec::new()),
    }
}

fn delete(loader: &Loader, kind: FormKind, id: u64) -> Result<(), StoreError> {
    struct Delete<'a>(&'a crate::store::Store, u64);
    impl Visit for Delete<'_> {
        type Out = Result<(), StoreError>;
        fn visit<T: RecordType>(self) -> Self::Out {
            self.0.delete::<T>(self.1)
        }
    }
    match kind.record() {
        Some(RecordKind::Indicator) => Err(StoreError::Invalid(
            "成果指標は削除せず「廃止」にしてください (retire an indicator instead of deleting it)"
                .into(),
        )),
        Some(k) => k.visit(Delete(loader.store(), id)),
        None => Ok(()),
    }
}

fn written(
    loader: &mut Loader,
    r: Result<Vec<Vec<u8>>, StoreError>,
    done: String,
    lang: crate::i18n::Lang,
) -> Action {
    match r {
        Ok(_) => {
            loader.invalidate();
            Action::Written(Ok(done))
        }
        Err(StoreError::Stale(v)) => Action::Stale(v.n, crate::store::stale_message(&v, lang)),
        Err(e) => Action::Written(Err(e.text(lang))),
    }
}

fn run(state: &mut AppState, loader: &mut Loader, effect: Effect) -> Option<Action> {
    let lang = state.lang;
    let store = loader.store();
    Some(match effect {
        Effect::LoadBodyRecent(body, fy) => {
            Action::BodyRecentLoaded(Box::new(loader.body_recent(body, fy)))
        }
        Effect::ForgetTicked => {
            loader.kept.clear();
            return None;
        }
        Effect::Load(pane, fy) => {
            loader.month = Some(
                state
                    .month
                    .unwrap_or_else(|| crate::app::agenda::default_month(fy, state.today)),
            );
            let view = pane.views()[state.panes[pane.index()].view.min(pane.views().len() - 1)];
            match loader.load(pane, view, fy) {
                Ok(data) => Action::Loaded(pane, view, fy, Box::new(data)),
                Err(msg) => Action::LoadFailed(msg),
            }
        }
        Effect::OpenForm { kind, id, prefill } => {
            let mut ctx = loader.form_context(state.fy, state.today, state.lang);
            if let Some(k) = kind.names_from() {
                loader.store().add_labels(&mut ctx.names, k);
            }
            let ctx = Arc::new(ctx);
            let mut form = match id {
                None => Form::new(kind, ctx),
                Some(id) => match fields_of(loader, kind, id, ctx.as_ref()) {
                    Ok(values) => Form::edit(kind, id, values, ctx),
                    Err(msg) => return Some(Action::LoadFailed(msg)),
                },
            };
            if kind == FormKind::GrantStep
                && let Err(msg) = prepare_step_form(&mut form, id.unwrap_or(0), lang)
            {
                return Some(Action::Flash(msg));
            }
            if let (Some(id), Some(tree)) = (id, form.tree()) {
                form.version = store
                    .version(tree, &crate::store::keys::id_key(id))
                    .ok()
                    .map(|v| v.n);
            }
            for (k, v) in &prefill {
                form.set(k, v);
            }
            if id.is_none() {
                // A new meeting whose body is given proposes its team (an edit keeps its own).
                form.propose_team();
            }
            if id.is_none() && !prefill.is_empty() && kind == FormKind::Meeting {
                // A meeting of a chosen body: typing starts where something is still needed.
                if let Some(i) = form
                    .fields
                    .iter()
                    .position(|f| f.required && f.text().is_empty())
                {
                    form.focus = i;
                }
            }
            Action::FormOpened(Box::new(form))
        }
        Effect::Refresh => {
            loader.invalidate();
            return None;
        }
        Effect::Write(job) => {
            let r = store.write(job.batch);
            if let (Ok(keys), Some((kind, fy))) = (&r, job.show) {
                // Show the saved record: its year, and it selected once listed.
                state.select = keys
                    .first()
                    .and_then(|k| crate::store::keys::parse_id(k))
                    .map(|id| (kind, id));
                if let Some(fy) = fy {
                    state.fy = fy;
                    state.latest_fy = state.latest_fy.max(Some(fy));
                }
            }
            written(loader, r, job.done, lang)
        }
        Effect::Delete(kind, id) => match delete(loader, kind, id) {
            Ok(()) => {
                loader.invalidate();
                Action::Written(Ok(lang.t(Msg::Deleted).to_string()))
            }
            Err(StoreError::Referenced { kind: what, refs }) => {
                let what_ja = match what {
                    "body" => "地域協働体",
                    "staff" => "職員",
                    "program" => "交付金",
                    _ => "交付申請・決定",
                };
                let list = |l: crate::i18n::Lang| {
                    refs.iter()
                        .map(|(t, n)| format!("{} {n}", l.table(t)))
                        .collect::<Vec<_>>()
                };
                let reason = match lang {
                    crate::i18n::Lang::Ja => format!(
                        "この{what_ja}は他の記録から参照されているため削除できません({})",
                        list(lang).join("、")
                    ),
                    crate::i18n::Lang::En => format!(
                        "cannot delete this {what}: referred to by {}",
                        list(lang).join(", ")
                    ),
                };
                Action::DeleteRefused { kind, id, reason }
            }
            Err(e) => Action::Written(Err(e.to_string())),
        },
        Effect::MarkInactive(kind, id) => {
            let mut b = Batch::new();
            match kind {
                FormKind::Body => match store.get_id::<Body>(id) {
                    Ok(Some(mut body)) => {
                        if let Err(e) = store.expect_unchanged(&mut b, &body) {
                            return Some(Action::Written(Err(e.text(lang))));
                        }
                        body.dissolved_on = Some(state.today);
                        b.put(body);
                    }
                    other => return Some(Action::Written(Err(format!("{other:?}")))),
                },
                FormKind::Staff => match store.get_id::<Staff>(id) {
                    Ok(Some(mut s)) => {
                        if let Err(e) = store.expect_unchanged(&mut b, &s) {
                            return Some(Action::Written(Err(e.text(lang))));
                        }
                        s.active = false;
                        b.put(s);
                    }
                    other => return Some(Action::Written(Err(format!("{other:?}")))),
                },
                _ => return None,
            }
            b.note("marked inactive instead of deleted");
            let r = store.write(b);
            written(loader, r, lang.t(Msg::Saved).to_string(), lang)
        }
        Effect::Rotate(fy) => {
            let all = store.list::<Assignment>().items;
            let out = rules::rotate(&all, fy);
            let n = out.iter().filter(|a| a.id == 0).count();
            let mut b = Batch::new();
            for a in out {
                if let Some(seen) = all.iter().find(|x| x.id == a.id && a.id != 0)
                    && let Err(e) = store.expect_unchanged(&mut b, seen)
                {
                    return Some(Action::Written(Err(e.text(lang))));
                }
                b.put(a);
            }
            b.note(format!("rotation {} -> {}", fy.0, fy.0 + 1));
            let r = store.write(b);
            written(loader, r, format!("{n} {}", lang.t(Msg::Rotated)), lang)
        }
        Effect::ToggleFollowUp(meeting, index) => match store.get_id::<TeamMeeting>(meeting) {
            Ok(Some(mut m)) => {
                let mut b = Batch::new();
                if let Err(e) = store.expect_unchanged(&mut b, &m) {
                    return Some(Action::Written(Err(e.text(lang))));
                }
                if let Some(f) = m.follow_ups.get_mut(index) {
                    f.done = !f.done;
                }
                if !loader.kept.contains(&(meeting, index)) {
                    loader.kept.push((meeting, index));
                }
                b.put(m);
                let r = store.write(b);
                written(loader, r, lang.t(Msg::Saved).to_string(), lang)
            }
            Ok(None) => Action::Written(Err(format!("meeting {meeting} no longer exists"))),
            Err(e) => Action::Written(Err(e.to_string())),
        },
        Effect::SaveDraft(d) => {
            if let Ok(bytes) = serde_json::to_vec(&d) {
                let _ = store.put_draft(&store.actor().login, &bytes);
            }
            return None;
        }
        Effect::OpenPreview(id) => match crate::app::subsidy::PreviewState::load(store, id) {
            Ok(st) => Action::PreviewOpened(Box::new(st)),
            Err(t) => Action::LoadFailed(t.get(lang).to_string()),
        },
        Effect::OpenScenario(id, fy) => {
            match crate::app::subsidy::PreviewState::load_scenario(store, id, fy) {
                Ok(st) => Action::PreviewOpened(Box::new(st)),
                Err(t) => Action::LoadFailed(t.get(lang).to_string()),
            }
        }
        Effect::ApplyPreview => {
            let st = state.preview.as_ref()?;
            match crate::app::subsidy::apply_preview(store, st, state.today) {
                Ok(n) => {
                    loader.invalidate();
                    Action::Written(Ok(format!("{n} {}", lang.t(Msg::PreviewApplied))))
                }
                Err(t) => Action::Written(Err(t.get(lang).to_string())),
            }
        }
        Effect::GrantStep(id, step, note) => {
            match crate::app::subsidy::run_step(store, id, step, &note) {
                Ok(()) => {
                    loader.invalidate();
                    Action::Written(Ok(lang.t(Msg::Saved).to_string()))
                }
                Err(t) => {
                    if let Some(f) = state.form.as_mut() {
                        f.refuse(t.clone());
                    }
                    Action::Written(Err(t.get(lang).to_string()))
                }
            }
        }
        Effect::DiscardDraft => {
            let _ = store.delete_draft(&store.actor().login);
            return None;
        }
    })
}

/// Sets up a grant-step form for grant `id`: only the steps allowed now (the first chosen),
/// today's date, the amount each step usually takes (applied amount to decide, what is left to
/// pay in advance, the decided amount to confirm), and the grant it is for in its title.
///
/// Errors: the grant has no further step (it is complete), as the message to show.
fn prepare_step_form(form: &mut Form, id: u64, lang: crate::i18n::Lang) -> Result<(), String> {
    use crate::app::form::FieldKind;
    use crate::domain::grant::{StepKind, next_steps};
    form.id = id;
    let ctx = form.ctx.clone();
    let Some(g) = ctx.grants.iter().find(|g| g.id == id) else {
        return Ok(());
    };
    let (program, fy) = ctx.program_of(g.program_id);
    let body = g.recipient.name(ctx.as_ref());
    let pays: Vec<&Disbursement> = ctx.payments.iter().filter(|p| p.grant_id == id).collect();
    let steps = next_steps(g, &pays);
    if steps.is_empty() {
        let short = crate::app::rows::short_body(&body);
        return Err(match lang {
            crate::i18n::Lang::Ja => format!("{short} {program}: 手続きはすべて済んでいます(完了)"),
            crate::i18n::Lang::En => format!("{short} {program}: every step is done (closed)"),
        });
    }
    form.subject = Some(format!("{body} / {program} ({})", lang.fy(fy)));
    if let Some(f) = form.fields.iter_mut().find(|f| f.key == "step") {
        f.kind = FieldKind::Choice(
            steps
                .iter()
                .map(|k| crate::app::form::Opt::terms(k.ja(), k.en()))
                .collect(),
        );
    }
    let m = money(g, &pays);
    let amount = match steps.first() {
        Some(StepKind::Decide) => g.applied_amount,
        Some(StepKind::Advance) => m.decided - m.paid,
        Some(StepKind::Confirm) => m.decided,
        _ => 0,
    };
    if let Some(first) = steps.first() {
        form.set("step", first.ja());
    }
    form.set(
        "amount",
        &if amount > 0 {
            crate::domain::money::group_digits(amount)
        } else {
            String::new()
        },
    );
    form.initial = form.texts();
    Ok(())
}

/// The draft kept for the current user, if any (offered at start).
pub fn pending_draft(loader: &Loader) -> Option<Draft> {
    let s = loader.store();
    let bytes = s.draft(&s.actor().login).ok().flatten()?;
    serde_json::from_slice(&bytes).ok()
}
