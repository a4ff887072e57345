//! Recording work through the app's actions, without a terminal: forms and their validation
//! (one test per rule, with the exact message shown), pickers, referential safety, rotation,
//! quick tally logging, My work, and drafts.

mod common;

use common::app::App;
use common::demo_store;
use kyodo::app::data::Item;
use kyodo::app::effects::pending_draft;
use kyodo::app::form::FormKind;
use kyodo::app::state::{Confirm, Mode};
use kyodo::app::{Action, Effect, Pane};
use kyodo::domain::*;
use kyodo::i18n::Lang;
use kyodo::store::Store;
use kyodo::store::records::Metric;
use ratatui_textarea::{Input, Key};

fn store_with_actor() -> (tempfile::TempDir, Store) {
    let (dir, store, _) = common::demo_store_as("chiba.megumi");
    (dir, store)
}

#[test]
fn a_field_over_its_size_limit_is_refused_with_the_limit() {
    let (_d, store) = store_with_actor();
    let before = store.list::<Body>().items.len();
    let mut app = App::new(&store, 2023);
    app.go(Pane::Bodies, 0);
    app.act(Action::Add);
    let form = app.state.form.as_mut().unwrap();
    form.set("name", &"新".repeat(201));
    app.save();
    let e = app.error_text("name").expect("an error under the name");
    assert!(
        e.ja.contains("201文字") && e.ja.contains("上限は 200文字"),
        "{e:?}"
    );
    assert_eq!(app.state.mode, Mode::Form, "the form stays open");
    assert_eq!(store.list::<Body>().items.len(), before, "nothing saved");
}

#[test]
fn required_fields_are_marked_and_nothing_is_saved() {
    let (_d, store) = store_with_actor();
    let mut app = App::new(&store, 2023);
    app.go(Pane::Bodies, 0);
    app.act(Action::Add);
    assert_eq!(app.state.mode, Mode::Form);
    app.set("name", "新しい地区まちづくり協議会");
    app.save();
    for k in [
        "kana",
        "district",
        "branch_office",
        "established_on",
        "households",
        "population",
    ] {
        assert_eq!(
            app.error(k).as_deref(),
            Some("required; this must not be empty"),
            "{k}"
        );
    }
    assert_eq!(app.error("name"), None);
    assert_eq!(
        app.error_text("kana").unwrap().ja,
        "必須項目です。入力してください"
    );
    let form = app.state.form.as_ref().unwrap();
    assert_eq!(
        form.fields[form.focus].key, "kana",
        "focus moves to the first bad field"
    );
    assert_eq!(store.list::<Body>().items.len(), 33, "nothing saved");
}

#[test]
fn dates_in_every_accepted_form_and_a_clear_error() {
    let (_d, store) = store_with_actor();
    let mut app = App::new(&store, 2024);
    app.go(Pane::Bodies, 1);
    for (n, date) in [
        "2024-04-01",
        "2024/4/1",
        "R6.4.1",
        "令和6年4月1日",
        "２０２４／４／１",
    ]
    .iter()
    .enumerate()
    {
        app.act(Action::Add);
        app.set("body", "花泉地区まちづくり協議会");
        app.set("date", date);
        app.set("title", &format!("夏祭り{n}"));
        app.save();
        assert!(app.state.form.is_none(), "{date}: {:?}", app.error("date"));
        assert_eq!(
            app.state.flash.as_deref(),
            Some("保存しました: 活動 令和6年4月1日 (令和6年度)"),
            "the save says what, when and in which year"
        );
    }
    assert_eq!(
        store
            .counter_months(&Metric::BodyActivities, FiscalYear(2024))
            .unwrap()[0],
        5
    );
    app.act(Action::Add);
    app.set("body", "花泉地区まちづくり協議会");
    app.set("date", "2024-13-01");
    app.set("title", "x");
    app.save();
    assert_eq!(
        app.error("date").as_deref(),
        Some("'2024-13-01' is not a day in the calendar (check the month and day)")
    );
    assert_eq!(
        app.error_text("date").unwrap().ja,
        "「2024-13-01」という日はありません(月と日を確認してください)"
    );
    app.set("date", "H31.5.1");
    app.save();
    assert_eq!(
        app.error("date").as_deref(),
        Some(
            "'H31.5.1' is outside the 平成 era (1989-01-08..2019-04-30); write it in the era in force on that day"
        )
    );
}

#[test]
fn yen_with_commas_and_full_width_digits_and_payments_never_exceed_decided() {
    let (_d, store) = store_with_actor();
    let mut app = App::new(&store, 2023);
    app.go(Pane::Subsidies, 2);
    let body = "一関地区まちづくり協議会";
    let grant = store
        .list::<Grant>()
        .items
        .into_iter()
        .find(|g| {
            g.decided_on
                .is_some_and(|d| FiscalYear::of(d) == FiscalYear(2023))
                && store
                    .get_id::<Body>(g.recipient.body().unwrap_or(0))
                    .unwrap()
                    .is_some_and(|b| b.name == body)
        })
        .unwrap();
    // Already paid in full: one more yen is refused with the numbers.
    let d = kyodo::domain::money::yen_ja(grant.decided_amount.unwrap());
    let over = kyodo::domain::money::yen_ja(grant.decided_amount.unwrap() + 1);
    app.act(Action::Add);
    app.set("body", body);
    app.set("date", "R6.3.1");
    app.set("amount", "１円");
    app.save();
    assert_eq!(
        app.error("amount").unwrap(),
        format!(
            "paying 1円 would make paid {over} exceed decided {d} (already paid {d}; at most 0円 can still be paid)"
        )
    );
    assert_eq!(
        app.error_text("amount").unwrap().ja,
        format!(
            "1円 を支払うと支払済額が {over} になり、交付決定額 {d} を超えます(支払済 {d}、残り 0円 まで支払えます)"
        )
    );
    app.set("amount", "1.5");
    app.save();
    assert_eq!(
        app.error("amount").as_deref(),
        Some("'1.5' is not an amount in yen; type digits, e.g. 1500000 or 1,500,000円")
    );
    // A refund with commas and 円 is accepted.
    let form = app.state.form.as_mut().unwrap();
    form.set("kind", "返還");
    app.set("amount", "１０，０００円");
    app.save();
    assert!(app.state.form.is_none(), "{:?}", app.error("amount"));
    let refunds: Vec<Disbursement> = store
        .list::<Disbursement>()
        .items
        .into_iter()
        .filter(|d| d.grant_id == grant.id && d.kind == DisbursementKind::Refund)
        .collect();
    assert_eq!(refunds.len(), 1);
    assert_eq!(refunds[0].amount, 10_000);
}

#[test]
fn assignment_cannot_end_before_it_starts() {
    let (_d, store) = store_with_actor();
    let mut app = App::new(&store, 2023);
    app.go(Pane::Staff, 1);
    app.act(Action::Add);
    app.set("staff", "千葉 恵");
    app.set("body", "花泉地区まちづくり協議会");
    app.set("from", "2024-04-01");
    app.set("to", "2024-03-31");
    app.save();
    assert_eq!(
        app.error("to").as_deref(),
        Some(
            "the period ends (2024-03-31) before it starts (2024-04-01); make the end date on or after the start"
        )
    );
}

#[test]
fn a_login_already_held_by_an_active_person_is_refused_on_the_field() {
    let (_d, store) = store_with_actor();
    let before = store.list::<Staff>().items.len();
    let mut app = App::new(&store, 2023);
    app.go(Pane::Staff, 0);
    app.act(Action::Add);
    app.set("name", "新井 一郎");
    app.set("kana", "あらい いちろう");
    app.set("section", "まちづくり推進課");
    app.set("login", "chiba.megumi");
    app.save();
    let e = app
        .error_text("login")
        .expect("an error on the login field");
    assert!(
        e.en.starts_with("login \"chiba.megumi\" already belongs to 千葉 恵 (#"),
        "{}",
        e.en
    );
    assert!(e.ja.contains("すでに千葉 恵"), "{}", e.ja);
    assert_eq!(store.list::<Staff>().items.len(), before, "nothing saved");
    app.set("login", "arai ichiro");
    app.save();
    assert!(app.error("login").unwrap().contains("not an OS user name"));
    app.set("login", "arai.ichiro");
    app.save();
    assert_eq!(app.state.mode, Mode::Normal, "saved and closed");
    assert!(
        store
            .list::<Staff>()
            .items
            .iter()
            .any(|s| s.login.as_deref() == Some("arai.ichiro"))
    );
}

#[test]
fn pickers_filter_by_name_or_kana_as_you_type_and_skip_inactive() {
    let (_d, store) = store_with_actor();
    let mut app = App::new(&store, 2023);
    app.go(Pane::Meetings, 0);
    app.act(Action::Add);
    let form = app.state.form.as_mut().unwrap();
    form.focus = form.fields.iter().position(|f| f.key == "body").unwrap();
    app.type_text("ハナイ");
    assert_eq!(
        app.state.form.as_ref().unwrap().suggestions,
        vec!["花泉地区まちづくり協議会"]
    );
    app.key(Key::Enter);
    let form = app.state.form.as_ref().unwrap();
    assert_eq!(form.text_of("body"), "花泉地区まちづくり協議会");
    assert!(form.suggestions.is_empty());
    // Attendees: suggestions for the name being typed after ';'; the inactive leaver is absent.
    let leaver = store
        .list::<Staff>()
        .items
        .into_iter()
        .find(|s| !s.active)
        .unwrap();
    let surname = leaver.kana.split(' ').next().unwrap().to_string();
    let form = app.state.form.as_mut().unwrap();
    form.focus = form
        .fields
        .iter()
        .position(|f| f.key == "attendees")
        .unwrap();
    app.type_text(&surname);
    let sugg = app.state.form.as_ref().unwrap().suggestions.clone();
    assert!(!sugg.is_empty() && !sugg.contains(&leaver.name), "{sugg:?}");
}

#[test]
fn referenced_body_offers_to_mark_dissolved_and_leaves_pickers() {
    let (_d, store) = store_with_actor();
    let mut app = App::new(&store, 2023);
    app.go(Pane::Bodies, 0);
    let idx = app
        .items()
        .iter()
        .position(|i| matches!(i, Item::Body(b) if b.name == "花泉地区まちづくり協議会"))
        .unwrap();
    let pos = app
        .state
        .current()
        .visible
        .iter()
        .position(|v| *v == idx)
        .unwrap();
    app.state.current_mut().selected = pos;
    app.act(Action::Delete);
    assert!(matches!(app.state.confirm, Some(Confirm::Delete { .. })));
    app.act(Action::Yes);
    match &app.state.confirm {
        Some(Confirm::MarkInactive { reason, .. }) => {
            assert!(
                reason.starts_with("この地域協働体は他の記録から参照されているため削除できません"),
                "{reason}"
            );
            assert!(
                reason.contains("チーム会議") && reason.contains("担当"),
                "{reason}"
            );
        }
        other => panic!("{other:?}"),
    }
    app.act(Action::Yes);
    let b = store
        .list::<Body>()
        .items
        .into_iter()
        .find(|b| b.name == "花泉地区まちづくり協議会")
        .unwrap();
    assert_eq!(b.dissolved_on, Some(app.state.today));
    // Still in history and reports (FY2023 counts it), gone from pickers.
    assert_eq!(store.fy_counts(FiscalYear(2023)).unwrap().bodies, 33);
    app.go(Pane::Meetings, 0);
    app.act(Action::Add);
    let form = app.state.form.as_mut().unwrap();
    form.focus = form.fields.iter().position(|f| f.key == "body").unwrap();
    app.type_text("はないずみ");
    assert!(app.state.form.as_ref().unwrap().suggestions.is_empty());
    app.ctrl('s');
    assert!(
        app.error("body")
            .unwrap()
            .starts_with("no record named 'はないずみ'")
    );
}

#[test]
fn an_unreferenced_record_is_deleted_after_confirmation() {
    let (_d, store) = store_with_actor();
    let mut app = App::new(&store, 2022);
    app.go(Pane::Bodies, 1);
    let before = app.items().len();
    app.act(Action::Delete);
    app.act(Action::No);
    assert_eq!(app.items().len(), before);
    app.act(Action::Delete);
    app.act(Action::Yes);
    assert_eq!(app.state.flash.as_deref(), Some("削除しました"));
    assert_eq!(app.items().len(), before - 1);
    assert_eq!(
        store.fy_counts(FiscalYear(2022)).unwrap().body_activities,
        465
    );
}

#[test]
fn editing_keeps_id_and_is_audited_field_by_field() {
    let (_d, store) = store_with_actor();
    let mut app = App::new(&store, 2023);
    app.go(Pane::Bodies, 0);
    let Item::Body(b) = &app.items()[app.state.current().visible[0]] else {
        panic!()
    };
    let id = b.id;
    app.act(Action::Edit);
    assert_eq!(app.state.form.as_ref().unwrap().id, id);
    app.set("households", "1,000");
    app.save();
    assert_eq!(store.get_id::<Body>(id).unwrap().unwrap().households, 1000);
    let e = store.audit_entries(1, |_| true).items.remove(0);
    assert_eq!(e.record.action, AuditAction::Update);
    assert_eq!(e.record.actor.login, "chiba.megumi");
    assert_eq!(e.record.changes.len(), 1);
    assert_eq!(e.record.changes[0].field, "households");
    assert_eq!(e.record.changes[0].after.as_deref(), Some("1000"));
}

#[test]
fn saving_over_someone_elses_change_is_refused_and_keeps_the_input() {
    let (_d, store) = store_with_actor();
    let mut app = App::new(&store, 2023);
    app.go(Pane::Bodies, 0);
    let Item::Body(b) = &app.items()[app.state.current().visible[0]] else {
        panic!()
    };
    let id = b.id;
    app.act(Action::Edit);
    app.set("households", "1,000");
    // Meanwhile someone else saves the same body.
    let mut other = store.get_id::<Body>(id).unwrap().unwrap();
    other.population = 4321;
    let mut b = kyodo::store::Batch::new();
    b.put(other);
    store.write(b).unwrap();
    app.save();
    let form = app.state.form.as_ref().expect("the form stays open");
    let msg = form.message.clone().unwrap_or_default();
    assert!(
        msg.starts_with("保存できませんでした: この記録はあなたが開いた後に chiba.megumi が"),
        "{msg}"
    );
    assert!(msg.contains("入力はそのまま残っています"), "{msg}");
    assert_eq!(
        form.fields
            .iter()
            .find(|f| f.key == "households")
            .unwrap()
            .text(),
        "1,000",
        "what was typed is kept"
    );
    let now = store.get_id::<Body>(id).unwrap().unwrap();
    assert_eq!((now.population, now.households == 1000), (4321, false));
    // Saving again, knowingly, overwrites.
    app.save();
    assert!(app.state.form.is_none(), "saved");
    let now = store.get_id::<Body>(id).unwrap().unwrap();
    assert_eq!(now.households, 1000);
}

#[test]
fn rotation_copies_the_years_assignments_into_april() {
    let (_d, store) = store_with_actor();
    let mut app = App::new(&store, 2023);
    app.go(Pane::Staff, 1);
    let before = store.list::<Assignment>().items;
    let continuing = before
        .iter()
        .filter(|a| a.covers(FiscalYear(2023).end().unwrap()) && a.to.is_none())
        .count();
    app.act(Action::Rotate);
    assert!(matches!(
        app.state.confirm,
        Some(Confirm::Rotate(FiscalYear(2023)))
    ));
    app.act(Action::Yes);
    assert_eq!(
        app.state.flash.as_deref(),
        Some(format!("{continuing} 件の担当を翌年度にコピーしました").as_str())
    );
    let after = store.list::<Assignment>().items;
    assert_eq!(after.len(), before.len() + continuing);
    let april = chrono::NaiveDate::from_ymd_opt(2024, 4, 1).unwrap();
    assert_eq!(after.iter().filter(|a| a.from == april).count(), continuing);
    // Every body still has exactly one leader on April 1.
    for b in store.list::<Body>().items {
        let leaders = after
            .iter()
            .filter(|a| a.body_id == b.id && a.covers(april) && a.role == TeamRole::Leader)
            .count();
        assert_eq!(leaders, 1, "{}", b.name);
    }
}

#[test]
fn quick_tally_in_three_keys_updates_the_counts_on_screen() {
    let (_d, store) = store_with_actor();
    let mut app = App::new(&store, 2024);
    app.go(Pane::Consultations, 1);
    let cell = |app: &App| match &app.state.current().data.as_ref().unwrap().summary {
        kyodo::app::data::Summary::Matrix(rows) => rows[0].1[2],
        _ => panic!("matrix view"),
    };
    assert_eq!(cell(&app), 0);
    app.act(Action::QuickLog);
    let keys = [
        Action::QuickChar('1'),
        Action::QuickChar('1'),
        Action::QuickEnter,
    ];
    let n = keys.len();
    for k in keys {
        app.act(k);
    }
    assert!(n <= 5);
    assert_eq!(
        app.state.flash.as_deref(),
        Some("保存しました: 話し合い支援 来所 ×1")
    );
    assert_eq!(
        cell(&app),
        1,
        "June, 話し合い支援: the matrix on screen was reloaded"
    );
    // A count other than 1: digits before Enter.
    for k in [
        Action::QuickLog,
        Action::QuickChar('8'),
        Action::QuickChar('2'),
        Action::QuickChar('1'),
        Action::QuickChar('2'),
        Action::QuickEnter,
    ] {
        app.act(k);
    }
    assert_eq!(
        store
            .counter_total(&Metric::Consultations, FiscalYear(2024))
            .unwrap(),
        13
    );
    // `d` opens the detailed form, pre-filled with today and the current user.
    app.act(Action::QuickLog);
    app.act(Action::QuickChar('d'));
    let form = app.state.form.as_ref().unwrap();
    assert_eq!(form.kind, FormKind::Consultation);
    assert_eq!(form.text_of("date"), "2024-06-03");
    assert_eq!(form.text_of("counselor"), "千葉 恵");
}

#[test]
fn my_work_lists_open_follow_ups_by_due_date_and_ticks_them() {
    let (_d, mut store) = demo_store();
    // The liaison with the most open follow-ups in FY2023.
    let mut owners = std::collections::BTreeMap::new();
    for m in store.list_fy::<TeamMeeting>(FiscalYear(2023)).items {
        for f in m.follow_ups.iter().filter(|f| !f.done) {
            *owners.entry(f.owner.unwrap()).or_insert(0) += 1;
        }
    }
    let (&me, &open) = owners.iter().max_by_key(|(_, n)| **n).unwrap();
    store.set_actor(Actor {
        login: "x".into(),
        staff_id: Some(me),
    });
    let mut app = App::new(&store, 2023);
    app.go(Pane::MyWork, 0);
    let fus: Vec<(chrono::NaiveDate, u64, usize)> = app
        .items()
        .iter()
        .filter_map(|i| match i {
            Item::FollowUp(m, n) => Some((m.follow_ups[*n].due.unwrap(), m.id, *n)),
            _ => None,
        })
        .collect();
    assert_eq!(fus.len(), open);
    assert!(
        fus.windows(2).all(|w| w[0].0 <= w[1].0),
        "sorted by due date"
    );
    assert!(app.items().iter().any(|i| matches!(i, Item::MyBody(..))));
    assert!(kyodo::app::rows::overdue(
        app.items()
            .iter()
            .find(|i| matches!(i, Item::FollowUp(..)))
            .unwrap(),
        app.state.today
    ));
    let pos = app
        .items()
        .iter()
        .position(|i| matches!(i, Item::FollowUp(..)))
        .unwrap();
    app.state.current_mut().selected = app
        .state
        .current()
        .visible
        .iter()
        .position(|v| *v == pos)
        .unwrap();
    app.act(Action::ToggleDone);
    let m: TeamMeeting = store.get_id(fus[0].1).unwrap().unwrap();
    assert!(m.follow_ups[fus[0].2].done);
    let e = store.audit_entries(1, |_| true).items.remove(0);
    assert_eq!(e.record.changes[0].field, "follow_ups");
    // The ticked one stays listed, done, until the pane is left: a tick can be taken back.
    let listed = |app: &App| -> Vec<(u64, usize, bool)> {
        app.items()
            .iter()
            .filter_map(|i| match i {
                Item::FollowUp(m, n) => Some((m.id, *n, m.follow_ups[*n].done)),
                _ => None,
            })
            .collect()
    };
    let now = listed(&app);
    assert_eq!(now.len(), open);
    assert!(now.contains(&(fus[0].1, fus[0].2, true)), "{now:?}");
    assert!(matches!(
        app.items()[app.state.current().selected_item().unwrap()],
        Item::FollowUp(..)
    ));
    app.act(Action::ToggleDone);
    let m: TeamMeeting = store.get_id(fus[0].1).unwrap().unwrap();
    assert!(!m.follow_ups[fus[0].2].done, "ticked back");
    app.act(Action::ToggleDone);
    app.go(Pane::Bodies, 0);
    app.go(Pane::MyWork, 0);
    assert_eq!(listed(&app).len(), open - 1, "gone once the pane was left");
    // However old: a follow-up from FY2015 still open is listed, first (the most overdue).
    let body = store.list::<Body>().items[0].id;
    let mut b = kyodo::store::Batch::new();
    b.put(TeamMeeting {
        id: 0,
        body_id: body,
        date: chrono::NaiveDate::from_ymd_opt(2015, 6, 1).unwrap(),
        place: String::new(),
        attendees: vec![me],
        guests: String::new(),
        agenda: "古い会議".into(),
        notes: String::new(),
        decisions: String::new(),
        follow_ups: vec![FollowUp {
            text: "十年前の宿題".into(),
            owner: Some(me),
            due: chrono::NaiveDate::from_ymd_opt(2015, 7, 1),
            done: false,
        }],
    });
    store.write(b).unwrap();
    app.go(Pane::Bodies, 0);
    app.go(Pane::MyWork, 0);
    let first = app
        .items()
        .iter()
        .find_map(|i| match i {
            Item::FollowUp(m, n) => Some(m.follow_ups[*n].text.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(first, "十年前の宿題");
    // Headings are not selectable: the selection starts on a record.
    let at = app.state.current().selected_item().unwrap();
    assert!(!matches!(app.items()[at], Item::Section(..)));
}

#[test]
fn a_cut_session_keeps_the_form_as_a_draft_offered_next_time() {
    let (_d, store) = store_with_actor();
    let mut app = App::new(&store, 2023);
    app.go(Pane::Meetings, 0);
    app.act(Action::Add);
    app.set("agenda", "防災訓練の打合せ");
    app.act(Action::SessionCut);
    assert!(pending_draft(&app.loader).is_some());
    // Next start.
    let mut next = App::new(&store, 2026);
    let d = pending_draft(&next.loader).unwrap();
    next.act(Action::DraftFound(d));
    assert!(matches!(next.state.confirm, Some(Confirm::RestoreDraft(_))));
    next.act(Action::Yes);
    let form = next.state.form.as_ref().unwrap();
    assert_eq!(form.kind, FormKind::Meeting);
    assert_eq!(form.text_of("agenda"), "防災訓練の打合せ");
    assert_eq!(next.state.fy, FiscalYear(2023));
    assert!(pending_draft(&next.loader).is_none(), "offered once");
    let _ = Effect::DiscardDraft;
}

#[test]
fn indicator_values_are_edited_from_the_dashboard() {
    let (_d, store) = store_with_actor();
    let mut app = App::new(&store, 2024);
    app.act(Action::GoPane(0));
    app.act(Action::Down); // web_access
    app.act(Action::Edit);
    let form = app
        .state
        .form
        .as_ref()
        .expect("entered indicators are editable");
    assert_eq!(form.text_of("indicator"), "web_access");
    // The year in the user's calendar (issue 15.3), read back as the same year.
    assert_eq!(
        form.text_of("fiscal_year"),
        app.state.lang.fy(FiscalYear(2024))
    );
    assert_eq!(
        kyodo::domain::parse_fiscal_year(&form.text_of("fiscal_year")).ok(),
        Some(FiscalYear(2024))
    );
    app.set("value", "8,123");
    app.save();
    let st = kyodo::app::report::indicator_statuses(&store, FiscalYear(2024)).unwrap();
    let w = st.iter().find(|s| s.indicator.id == "web_access").unwrap();
    assert_eq!(w.value, Some(Figure::whole(8123)));
    // Editing again updates the same entry rather than adding a second one.
    app.act(Action::Edit);
    app.set("value", "8,200");
    app.save();
    let n = store
        .list::<IndicatorEntry>()
        .items
        .iter()
        .filter(|e| e.fiscal_year == FiscalYear(2024))
        .count();
    assert_eq!(n, 1);
    // Counted indicators are not edited by hand.
    app.act(Action::Bottom);
    app.act(Action::Edit);
    assert!(app.state.form.is_none());
}

#[test]
fn indicators_are_defined_edited_and_retired() {
    let (_d, store) = store_with_actor();
    let mut app = App::new(&store, 2024);
    app.go(Pane::Dashboard, 1);
    assert_eq!(app.items().len(), 9);
    app.act(Action::Add);
    for (k, v) in [
        ("id", "volunteer_hours"),
        ("order", "10"),
        ("name_ja", "ボランティア活動時間"),
        ("unit_ja", "時間"),
        ("baseline_fy", "R4"),
        ("baseline", "1,200"),
        ("target_fy", "R10"),
        ("target", "2000"),
    ] {
        app.set(k, v);
    }
    app.save();
    assert!(
        app.state.form.is_none(),
        "{:?}",
        app.state.form.as_ref().map(|f| f.message.clone())
    );
    let st = kyodo::app::report::indicator_statuses(&store, FiscalYear(2024)).unwrap();
    assert_eq!(st.len(), 10);
    assert_eq!(st.last().unwrap().indicator.target, Figure::whole(2000));
    // Edit the new one: retire it; it leaves the dashboard but stays defined.
    app.go(Pane::Dashboard, 1);
    let pos = app
        .items()
        .iter()
        .position(|i| matches!(i, Item::IndicatorDef(d) if d.id == "volunteer_hours"))
        .unwrap();
    app.state.current_mut().selected = app
        .state
        .current()
        .visible
        .iter()
        .position(|v| *v == pos)
        .unwrap();
    app.act(Action::Edit);
    assert_eq!(
        app.state.form.as_ref().unwrap().text_of("name_ja"),
        "ボランティア活動時間"
    );
    let form = app.state.form.as_mut().unwrap();
    form.set("retired", "はい");
    app.save();
    let st = kyodo::app::report::indicator_statuses(&store, FiscalYear(2024)).unwrap();
    assert_eq!(st.len(), 9, "retired indicators leave the dashboard");
    assert_eq!(
        store.list::<Indicator>().items.len(),
        10,
        "and stay in history"
    );
    let e = store.audit_entries(1, |_| true).items.remove(0);
    assert_eq!(e.record.record_type, "indicators");
    assert_eq!(e.record.changes[0].field, "retired");
    // Deleting is refused in favour of retiring.
    app.act(Action::Delete);
    app.act(Action::Yes);
    assert!(app.state.flash.as_deref().unwrap_or("").contains("廃止"));
    assert_eq!(store.list::<Indicator>().items.len(), 10);
}

#[test]
fn plan_actions_carry_the_seeds_statuses_and_are_set_from_the_dashboard() {
    let (_d, store) = store_with_actor();
    let all: Vec<PlanAction> = store
        .list::<PlanAction>()
        .items
        .into_iter()
        .filter(|a| a.plan == "第3次一関市協働推進計画")
        .collect();
    assert_eq!(all.len(), 18, "Ichinoseki's 18 事業 (seed 003)");
    let policies: std::collections::BTreeSet<&str> =
        all.iter().map(|a| a.policy.as_str()).collect();
    assert_eq!(policies.len(), 3);
    let a11 = all.iter().find(|a| a.number == 11).unwrap();
    assert_eq!(
        a11.status(FiscalYear(2024)),
        Some(ActionStatus::Considering)
    );
    assert_eq!(
        a11.status(FiscalYear(2026)),
        Some(ActionStatus::Implementing)
    );
    assert!(
        all.iter()
            .filter(|a| a.number != 11)
            .all(|a| a.status(FiscalYear(2024)) == Some(ActionStatus::Implementing))
    );
    // Set 事業11's FY2024 status to 実施 through the form.
    let mut app = App::new(&store, 2024);
    app.go(Pane::Dashboard, 2);
    let pos = app
        .items()
        .iter()
        .position(|i| matches!(i, Item::PlanAction(a) if a.id == a11.id))
        .unwrap();
    app.state.current_mut().selected = app
        .state
        .current()
        .visible
        .iter()
        .position(|v| *v == pos)
        .unwrap();
    app.act(Action::Edit);
    assert_eq!(
        app.state.form.as_ref().unwrap().text_of("statuses"),
        "2024:検討;2025:検討;2026:実施;2027:実施;2028:実施"
    );
    app.set("statuses", "R6:実施;R7:実施;R8:実施;R9:実施;R10:完了");
    app.save();
    let a: PlanAction = store.get_id(a11.id).unwrap().unwrap();
    assert_eq!(a.status(FiscalYear(2024)), Some(ActionStatus::Implementing));
    assert_eq!(a.status(FiscalYear(2028)), Some(ActionStatus::Done));
    // A year outside the plan is refused with the reason.
    app.act(Action::Edit);
    app.set("statuses", "2030:実施");
    app.save();
    assert!(
        app.error("statuses")
            .unwrap()
            .contains("outside the plan's period")
    );
}

/// A record type declared in its module alone (docs/RECORD-TYPES.md) gets a list, a form with
/// its own labels, validation, edit and delete from the generic machinery.
#[test]
fn a_generically_listed_type_is_added_edited_listed_and_deleted() {
    use kyodo::app::rows::{cells, columns, detail};
    use kyodo::domain::document_ref::DocumentRef;
    let (_d, store) = store_with_actor();
    let docs = |s: &Store| s.list::<DocumentRef>().items;
    let before = docs(&store).len();
    let mut app = App::new(&store, 2024);
    app.go(Pane::Bodies, 2);
    assert_eq!(
        app.state.view().label(Lang::Ja),
        "文書",
        "the third view of the bodies pane lists documents"
    );
    let heads: Vec<String> = columns(app.state.view())
        .iter()
        .map(|c| c.title.text(Lang::Ja).into_owned())
        .collect();
    assert_eq!(heads, ["日付", "文書番号", "件名", "地域協働体"]);
    app.act(Action::Add);
    assert_eq!(
        app.state.form.as_ref().unwrap().kind.title(Lang::Ja),
        "文書"
    );
    // Every bad field is reported, with how to fix it; nothing is saved.
    app.set("number", "");
    app.set("title", "令和6年度交付決定通知書");
    app.set("date", "2024-13-01");
    app.set("body", "どこにもない地区");
    app.save();
    assert_eq!(
        app.error("number").as_deref(),
        Some("required; this must not be empty")
    );
    assert!(app.error("date").is_some());
    assert!(
        app.error("body").unwrap().contains("no record named"),
        "{:?}",
        app.error("body")
    );
    assert_eq!(docs(&store).len(), before, "nothing saved");
    // The type's own size limit (a path may be long, a number not too long).
    app.set("number", &"1".repeat(201));
    app.set("date", "R6.5.10");
    app.set("body", "花泉地区まちづくり協議会");
    app.set("location", &"a".repeat(1_001));
    app.save();
    assert!(app.error("number").unwrap().contains("200 characters"));
    assert!(app.error("location").unwrap().contains("1,000 characters"));
    app.set("number", "一関市指令まち第999号");
    app.set("location", r"\\fs01\まちづくり推進課\999.pdf");
    app.save();
    assert!(app.state.form.is_none(), "{:?}", app.state.form);
    let saved = docs(&store);
    assert_eq!(saved.len(), before + 1);
    let d = saved
        .iter()
        .find(|d| d.number == "一関市指令まち第999号")
        .unwrap();
    assert_eq!(
        d.date,
        chrono::NaiveDate::from_ymd_opt(2024, 5, 10).unwrap()
    );
    assert_ne!(d.body_id, 0);
    // Listed in its year, with its cells and a detail of every field under its own labels.
    let row = app
        .items()
        .iter()
        .position(|i| matches!(i, Item::Record(r) if r.id == d.id))
        .expect("listed in FY2024");
    let item = &app.items()[row];
    let lk = &app.state.current().data.as_ref().unwrap().lookups;
    assert_eq!(
        cells(item, lk, Lang::Ja, FiscalYear(2024)),
        [
            "2024-05-10",
            "一関市指令まち第999号",
            "令和6年度交付決定通知書",
            "花泉地区まちづくり協議会"
        ]
    );
    let shown = detail(item, lk, Lang::En, FiscalYear(2024));
    assert!(
        shown.contains(&("Kept at".into(), r"\\fs01\まちづくり推進課\999.pdf".into())),
        "{shown:?}"
    );
    // Edit: the form is filled from the record, and saving updates it in place.
    let id = d.id;
    app.select(|i| matches!(i, Item::Record(r) if r.id == id));
    app.act(Action::Edit);
    let form = app.state.form.as_ref().expect("edit form");
    assert_eq!(form.text_of("title"), "令和6年度交付決定通知書");
    app.set("title", "令和6年度交付決定通知書(訂正)");
    app.save();
    assert!(app.state.form.is_none());
    let d2 = store.get_id::<DocumentRef>(d.id).unwrap().unwrap();
    assert_eq!(d2.title, "令和6年度交付決定通知書(訂正)");
    // Delete.
    app.act(Action::Delete);
    assert!(matches!(app.state.confirm, Some(Confirm::Delete { .. })));
    app.act(Action::Yes);
    assert_eq!(store.get_id::<DocumentRef>(d.id).unwrap(), None);
}

/// Issue 14: a save says what was saved, its date and fiscal year, and the list moves to that
/// year with the record selected (a record dated today no longer vanishes into another year).
#[test]
fn a_save_moves_to_the_records_year_and_selects_it() {
    let (_d, store) = store_with_actor();
    let mut app = App::new(&store, 2022);
    app.go(Pane::Consultations, 0);
    app.act(Action::Add);
    app.set("date", "6/1");
    app.set("categories", "1");
    app.set("summary", "総会の進め方の相談");
    app.save();
    assert!(
        app.state.form.is_none(),
        "{:?}",
        app.state.form.as_ref().map(|f| f.texts())
    );
    assert_eq!(
        app.state.flash.as_deref(),
        Some("保存しました: 相談 令和6年6月1日 (令和6年度)")
    );
    assert_eq!(app.state.fy, FiscalYear(2024), "moved to the record's year");
    let at = app.state.current().selected_item().unwrap();
    match &app.items()[at] {
        Item::Consultation(c) => assert_eq!(c.summary, "総会の進め方の相談"),
        other => panic!("selected {other:?}"),
    }
}

/// Issue 14: a body's detail lists its recent meetings, open follow-ups and consultations, and
/// from it `m` and `c` record a meeting (body and team filled in) or a consultation (the body as
/// the client).
#[test]
fn a_bodys_detail_shows_its_recent_work_and_records_for_it() {
    let (_d, store) = store_with_actor();
    let mut app = App::new(&store, 2023);
    app.go(Pane::Bodies, 0);
    app.select(|i| matches!(i, Item::Body(b) if b.name == "花泉地区まちづくり協議会"));
    app.act(Action::Enter);
    assert!(app.state.current().detail);
    let recent = app
        .state
        .body_recent
        .clone()
        .expect("loaded with the detail");
    assert!(!recent.meetings.is_empty());
    assert!(
        recent.meetings.windows(2).all(|w| w[0].date >= w[1].date),
        "newest first"
    );
    let lk = app.state.current().data.as_ref().unwrap().lookups.clone();
    let lines = kyodo::app::rows::body_recent_lines(&recent, &lk, Lang::Ja);
    assert!(
        lines.iter().any(|(l, _)| l == "最近のチーム会議"),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|(_, v)| v.contains(&recent.meetings[0].agenda))
    );
    app.act(Action::ConsultationForBody);
    let form = app.state.form.as_ref().expect("a consultation form");
    assert_eq!(form.kind, kyodo::app::form::FormKind::Consultation);
    assert_eq!(form.text_of("client_name"), "花泉地区まちづくり協議会");
    assert_eq!(form.text_of("client_type"), "地域協働体");
    app.act(Action::FormKey(Input {
        key: Key::Esc,
        ctrl: false,
        alt: false,
        shift: false,
    }));
    app.state.confirm = None;
    app.state.form = None;
    app.state.mode = Mode::Normal;
    app.act(Action::MeetingForBody);
    let form = app.state.form.as_ref().expect("a meeting form");
    assert_eq!(form.text_of("body"), "花泉地区まちづくり協議会");
    assert!(!form.text_of("attendees").is_empty(), "its team proposed");
    assert_eq!(
        form.focused().key,
        "agenda",
        "typing starts at what is still needed"
    );
}

/// Issue 14: amounts in an edit form read with separators, and save back unchanged.
#[test]
fn amounts_in_an_edit_form_have_separators() {
    let (_d, store) = store_with_actor();
    let mut app = App::new(&store, 2023);
    app.go(Pane::Subsidies, 0);
    app.act(Action::Edit);
    let form = app.state.form.as_ref().expect("a grant's edit form");
    let decided = form.text_of("decided_amount");
    assert!(
        decided.contains(',') && !decided.ends_with('円'),
        "{decided}"
    );
    assert!(!form.dirty(), "formatting is not an edit");
}

/// Issue 14: choosing 返還 in a payment form fills in what the body owes back.
#[test]
fn a_refund_starts_at_the_amount_due() {
    let (_d, store) = store_with_actor();
    let mut app = App::new(&store, 2023);
    app.go(Pane::Subsidies, 2);
    app.act(Action::Add);
    assert_eq!(
        app.state.form.as_ref().unwrap().kind,
        kyodo::app::form::FormKind::Disbursement
    );
    app.set("body", "渋民地区まちづくり協議会");
    let form = app.state.form.as_mut().unwrap();
    form.focus = form.fields.iter().position(|f| f.key == "kind").unwrap();
    let digit = DisbursementKind::ALL
        .iter()
        .position(|k| *k == DisbursementKind::Refund)
        .unwrap();
    app.key(Key::Char(char::from(b'1' + digit as u8)));
    let form = app.state.form.as_ref().unwrap();
    assert_eq!(form.text_of("kind"), "返還");
    assert_eq!(form.text_of("amount"), "130,000");
}

/// Editing a meeting recorded without attendees keeps it so: only a new meeting is proposed its
/// body's team.
#[test]
fn an_edited_meeting_is_not_given_the_team() {
    let (_d, store) = store_with_actor();
    let body = store
        .list::<Body>()
        .items
        .into_iter()
        .find(|b| b.name == "花泉地区まちづくり協議会")
        .unwrap();
    let mut b = kyodo::store::Batch::new();
    b.put(TeamMeeting {
        id: 0,
        body_id: body.id,
        date: chrono::NaiveDate::from_ymd_opt(2024, 5, 20).unwrap(),
        place: String::new(),
        attendees: Vec::new(),
        guests: String::new(),
        agenda: "出席者なしの記録".into(),
        notes: String::new(),
        decisions: String::new(),
        follow_ups: Vec::new(),
    });
    store.write(b).unwrap();
    let mut app = App::new(&store, 2024);
    app.go(Pane::Meetings, 0);
    app.select(|i| matches!(i, Item::Meeting(m) if m.agenda == "出席者なしの記録"));
    app.act(Action::Edit);
    let form = app.state.form.as_ref().expect("the edit form");
    assert_eq!(form.text_of("attendees"), "");
    assert!(!form.dirty());
}
