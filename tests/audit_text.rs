//! The audit in words (issue 15.1): names for references, labels for fields, actions in
//! words, in the user's language; the stored entries unchanged.

mod common;

use kyodo::app::audit_text::{names, render};
use kyodo::domain::*;
use kyodo::i18n::Lang;
use kyodo::store::{Batch, keys};

#[test]
fn a_changed_meeting_reads_with_names_and_labels() {
    let (_dir, store, me) = common::demo_store_as("chiba.megumi");
    let meetings = store.list::<TeamMeeting>().items;
    let mut m = meetings[0].clone();
    let bodies = store.list::<Body>().items;
    let other = bodies.iter().find(|b| b.id != m.body_id).unwrap().clone();
    let staff = store.list::<Staff>().items;
    let added = staff.iter().find(|s| !m.attendees.contains(&s.id)).unwrap();
    m.body_id = other.id;
    m.attendees.push(added.id);
    let mut b = Batch::new();
    b.put(m.clone());
    store.write(b).unwrap();
    let entries = store.audit_entries(1, |_| true).items;
    let e = &entries[0];
    let raw: Vec<&str> = e.record.changes.iter().map(|c| c.field.as_str()).collect();
    assert!(raw.contains(&"body_id"), "stored as before: {raw:?}");
    let n = names(&store);
    let ja = render(&store, &n, e, Lang::Ja);
    assert_eq!(ja.action, "変更");
    assert_eq!(ja.record_type, "チーム会議");
    assert!(ja.actor.contains(&me.name), "{}", ja.actor);
    assert!(ja.record.contains(&other.name), "{}", ja.record);
    let body = ja.changes.iter().find(|c| c.label == "地域協働体").unwrap();
    assert_eq!(body.after.as_deref(), Some(other.name.as_str()));
    let who = ja.changes.iter().find(|c| c.label == "出席職員").unwrap();
    assert!(
        who.after.as_deref().unwrap().contains(&added.name),
        "{who:?}"
    );
    for c in &ja.changes {
        let text = format!("{:?}{:?}", c.before, c.after);
        assert!(!text.contains('[') && !c.label.contains('_'), "{c:?}");
    }
    let en = render(&store, &n, e, Lang::En);
    assert_eq!(
        (en.action.as_str(), en.record_type.as_str()),
        ("changed", "Team meeting")
    );
    assert!(
        en.changes.iter().any(|c| c.label == "Body"),
        "{:?}",
        en.changes
    );
    // A delete reads from the entry alone: the record is gone.
    let mut b = Batch::new();
    b.delete::<TeamMeeting>(keys::id_key(m.id));
    store.write(b).unwrap();
    let entries = store.audit_entries(1, |_| true).items;
    let gone = render(&store, &n, &entries[0], Lang::Ja);
    assert_eq!(gone.action, "削除");
    assert!(gone.record.contains(&other.name), "{gone:?}");
    assert!(gone.changes.iter().all(|c| c.after.is_none()), "{gone:?}");

    // The audit pane lists them in words, and `/` finds them by the body's name.
    use kyodo::app::data::Loader;
    use kyodo::app::{Action, AppState, Effect, Pane, update};
    use kyodo::tui::apply;
    let fy = FiscalYear(2024);
    let mut s = AppState::new(Lang::Ja, fy, true, (120, 40));
    let mut loader = Loader::new(&store);
    apply(&mut s, &mut loader, vec![Effect::Load(Pane::Dashboard, fy)]);
    let effects = update(&mut s, Action::GoPane(Pane::Audit.index()));
    apply(&mut s, &mut loader, effects);
    assert_eq!(s.current().visible.len(), 3, "import, change, delete");
    update(&mut s, Action::StartFilter);
    for c in other.name.chars() {
        update(&mut s, Action::FilterChar(c));
    }
    assert_eq!(
        s.current().visible.len(),
        2,
        "the change and the delete name the body"
    );
    update(&mut s, Action::Back);
    update(&mut s, Action::StartFilter);
    for c in me.name.chars() {
        update(&mut s, Action::FilterChar(c));
    }
    assert_eq!(s.current().visible.len(), 2, "the actor by name");
}

/// An indicator whose id is all digits is keyed by those digits, not by the number they make
/// (which would be an id's eight bytes): its change reads in words, from the record as it is.
#[test]
fn a_change_to_an_indicator_named_by_digits_reads_in_words() {
    let (_dir, store, _me) = common::demo_store_as("chiba.megumi");
    let mut ind = store.list::<Indicator>().items.into_iter().next().unwrap();
    ind.id = "12345".into();
    ind.name_ja = "数字の指標".into();
    store.insert(ind.clone()).unwrap();
    ind.name_ja = "数字の指標(改)".into();
    let mut b = Batch::new();
    b.put(ind);
    store.write(b).unwrap();
    let entries = store.audit_entries(1, |_| true).items;
    let e = &entries[0];
    assert_eq!(e.record.record_key, "12345");
    let ja = render(&store, &names(&store), e, Lang::Ja);
    assert_eq!((ja.action.as_str(), ja.record.as_str()), ("変更", "12345"));
    // Read as an id, the record was not found and the values were shown as stored JSON
    // (`"数字の指標"`, quotes and all).
    let name = ja
        .changes
        .iter()
        .find(|c| c.label == "名称(日本語)")
        .unwrap();
    assert_eq!(
        (name.before.as_deref(), name.after.as_deref()),
        (Some("数字の指標"), Some("数字の指標(改)"))
    );
}
