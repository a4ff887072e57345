//! An audit entry as an auditor reads it (issue 15.1): who by name, the action in words, the
//! record by its name, each changed field by its label with values as the screens and CSV
//! show them (names for references, labels for enumerations). Only the rendering: the stored
//! entries and their hash chain are untouched.

use crate::domain::fields::{Fields, NameTables};
use crate::domain::{AuditAction, AuditEntry, RecordKind, RecordType, Visit};
use crate::i18n::{Lang, Msg};
use crate::store::Store;
use serde_json::Value;

/// One changed field: its label, and its value before and after (`None`: absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldText {
    /// The field's label in the user's language (e.g. 地域協働体).
    pub label: String,
    /// Before, as shown (e.g. the body's name, not its id).
    pub before: Option<String>,
    /// After, as shown.
    pub after: Option<String>,
}

/// An entry in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditText {
    /// Sequence number.
    pub seq: u64,
    /// Local time, `YYYY-MM-DD HH:MM:SS`.
    pub when: String,
    /// The actor: staff name and login (`佐藤 花子 (sato.hanako)`), or the login alone.
    pub actor: String,
    /// The action in words (登録 / 変更 / 削除 / 取込 / 移行).
    pub action: String,
    /// The record's type in words (地域協働体, チーム会議…) or the stored name if unknown.
    pub record_type: String,
    /// The record by its name (a body's or person's name, a grant's body and program), else its
    /// key.
    pub record: String,
    /// Changed fields.
    pub changes: Vec<FieldText>,
    /// The entry's note (a reason, an import's counts).
    pub note: String,
}

/// Names for ids, read once for many entries (a tree that cannot be read whole leaves its
/// ids showing as numbers).
pub fn names(store: &Store) -> NameTables {
    store.name_tables().0
}

/// The action in words.
pub fn action_text(a: AuditAction, lang: Lang) -> &'static str {
    lang.t(match a {
        AuditAction::Create => Msg::AuditCreate,
        AuditAction::Update => Msg::AuditUpdate,
        AuditAction::Delete => Msg::AuditDelete,
        AuditAction::Import => Msg::AuditImport,
        AuditAction::Migrate => Msg::AuditMigrate,
    })
}

/// An entry's record as written before and after it, in no language: what rebuilding costs
/// (a store read, JSON, writing the fields), done once whatever the languages shown.
#[derive(Debug, Clone, Default)]
pub struct Rebuilt {
    /// The record's type, if known.
    kind: Option<RecordKind>,
    /// Its natural key, and its fields as CSV writes them before and after (empty: absent);
    /// `None` when it could not be rebuilt (its stored values are shown instead).
    written: Option<(String, Fields, Fields)>,
}

/// Rebuilds `e` over the record as stored now (one entry; see [`rebuild_all`] for a list).
pub fn render(store: &Store, names: &NameTables, e: &AuditEntry, lang: Lang) -> AuditText {
    text(e, &rebuild(store, names, e, None).0, names, lang)
}

/// Rebuilds `entries` (newest first, as the store lists them). Walking back from the record
/// as stored now, each entry is read over the record as it left it, so a change to a record
/// since deleted or changed again still reads with names.
pub fn rebuild_all(store: &Store, names: &NameTables, entries: &[AuditEntry]) -> Vec<Rebuilt> {
    use std::collections::HashMap;
    // The record after the entry being read (as the next newer entry found it before itself).
    let mut after: HashMap<(String, String), Option<serde_json::Map<String, Value>>> =
        HashMap::new();
    entries
        .iter()
        .map(|e| {
            let r = &e.record;
            let id = (r.record_type.clone(), r.record_key.clone());
            let known = after.remove(&id);
            let (rebuilt, before) = rebuild(store, names, e, known);
            after.insert(id, before);
            rebuilt
        })
        .collect()
}

/// `after`: the record after the entry, when known from newer entries (`Some(None)`: it did
/// not exist); `None`: as stored now. Gives the rebuild and the record before the entry.
fn rebuild(
    store: &Store,
    names: &NameTables,
    e: &AuditEntry,
    after: Option<Option<serde_json::Map<String, Value>>>,
) -> (Rebuilt, Option<serde_json::Map<String, Value>>) {
    let kind = RecordKind::of_name(&e.record.record_type);
    let (written, before) = kind.map_or((None, None), |k| {
        k.visit(Rebuild {
            store,
            names,
            e,
            base: after,
        })
    });
    (Rebuilt { kind, written }, before)
}

/// `e` in words in `lang`, from its rebuild.
pub fn text(e: &AuditEntry, rebuilt: &Rebuilt, names: &NameTables, lang: Lang) -> AuditText {
    let r = &e.record;
    let actor = match r.actor.staff_id.and_then(|id| names.staff.get(&id)) {
        Some(n) if *n != r.actor.login => format!("{n} ({})", r.actor.login),
        _ => r.actor.login.clone(),
    };
    let raw = || {
        r.changes
            .iter()
            .map(|c| FieldText {
                label: lang.field(&c.field).to_string(),
                before: c.before.clone(),
                after: c.after.clone(),
            })
            .collect()
    };
    // An import or a migration is not one record: its note says what it did.
    let (record, changes) = match (rebuilt.kind, &rebuilt.written) {
        (None, _) => (String::new(), raw()),
        (Some(k), Some(w)) => words(k, w, lang),
        (Some(_), None) => (r.record_key.clone(), raw()),
    };
    AuditText {
        seq: r.seq,
        when: crate::app::report::audit_time(e),
        actor,
        action: action_text(r.action, lang).to_string(),
        record_type: rebuilt
            .kind
            .map_or(String::new(), |k| k.title(lang).to_string()),
        record,
        changes,
        note: note_text(&r.note, lang),
    }
}

/// An entry's note in `lang`. An import's note is stored as
/// `imported: bodies 33 (+33 ~0 =0), staff 152 (+152 ~0 =0)` (added, updated, unchanged); it is
/// said with the record types' names (「取込: 地域協働体 33 件(追加 33・更新 0・変更なし 0)、…」).
/// Any other note (a reason typed by a person) is shown as it was written.
pub fn note_text(note: &str, lang: Lang) -> String {
    let Some(list) = note.strip_prefix("imported: ") else {
        return note.to_string();
    };
    let part = |item: &str| -> Option<String> {
        let (name, rest) = item.split_once(' ')?;
        let (total, counts) = rest.split_once(" (+")?;
        let (added, rest) = counts.split_once(" ~")?;
        let (updated, unchanged) = rest.trim_end_matches(')').split_once(" =")?;
        let n = |s: &str| {
            s.parse::<i64>()
                .ok()
                .map(crate::domain::money::group_digits)
        };
        let (total, added, updated, unchanged) = (n(total)?, n(added)?, n(updated)?, n(unchanged)?);
        Some(match lang {
            Lang::Ja => format!(
                "{} {total} 件(追加 {added}・更新 {updated}・変更なし {unchanged})",
                lang.table(name)
            ),
            Lang::En => format!(
                "{} {total} (added {added}, updated {updated}, unchanged {unchanged})",
                lang.table(name)
            ),
        })
    };
    let parts: Option<Vec<String>> = list.split(", ").map(part).collect();
    match parts {
        Some(p) if lang == Lang::Ja => p.join("、"),
        Some(p) => p.join("; "),
        None => note.to_string(),
    }
}

struct Rebuild<'a> {
    store: &'a Store,
    names: &'a NameTables,
    e: &'a AuditEntry,
    /// The record after the entry (see [`rebuild`]).
    base: Option<Option<serde_json::Map<String, Value>>>,
}

impl Visit for Rebuild<'_> {
    /// The natural key and written fields before and after (see [`Rebuilt`]), and the record
    /// as it was before the entry (`None`: it did not exist, or could not be rebuilt).
    type Out = (
        Option<(String, Fields, Fields)>,
        Option<serde_json::Map<String, Value>>,
    );
    fn visit<T: RecordType>(self) -> Self::Out {
        let r = &self.e.record;
        let now: Option<Value> = match self.base {
            Some(known) => known.map(Value::Object),
            None => crate::store::keys::audited_keys(&r.record_key)
                .find_map(|key| self.store.get::<T>(&key).ok().flatten())
                .and_then(|t| serde_json::to_value(t).ok()),
        };
        // The record on either side: the changes over the record after the entry (or alone,
        // when they hold every field, as a create's and a delete's do).
        let side = |before: bool| -> Option<T> {
            let mut obj = match &now {
                Some(Value::Object(m)) => m.clone(),
                _ => serde_json::Map::new(),
            };
            let mut present = false;
            for c in &r.changes {
                let v = if before { &c.before } else { &c.after };
                match v {
                    Some(text) => {
                        obj.insert(c.field.clone(), serde_json::from_str(text).ok()?);
                        present = true;
                    }
                    None => {
                        obj.remove(&c.field);
                    }
                }
            }
            let absent = (before && r.action == AuditAction::Create)
                || (!before && r.action == AuditAction::Delete);
            if absent || (!present && now.is_none()) {
                return None;
            }
            serde_json::from_value(Value::Object(obj)).ok()
        };
        let (b, a) = (side(true), side(false));
        let before_state = b
            .as_ref()
            .and_then(|t| serde_json::to_value(t).ok())
            .and_then(|v| match v {
                Value::Object(m) => Some(m),
                _ => None,
            });
        let written = b.as_ref().or(a.as_ref()).map(|shown| {
            let w = |t: &Option<T>| t.as_ref().map(|t| t.write(self.names)).unwrap_or_default();
            (shown.natural_key(), w(&b), w(&a))
        });
        (written, before_state)
    }
}

/// The record's name and its changed fields in `lang`, from its written fields.
fn words(
    kind: RecordKind,
    (natural, wb, wa): &(String, Fields, Fields),
    lang: Lang,
) -> (String, Vec<FieldText>) {
    // A record by its name; one keyed by several fields (a tally, a meeting) by its first few
    // short values as written (date, body, category…).
    let name = wa.iter().chain(wb).find(|(k, _)| *k == "name");
    let record = if let Some((_, n)) = name.filter(|(_, n)| !n.is_empty()) {
        n.clone()
    } else if natural.contains('|') || natural.is_empty() {
        let w = if wa.is_empty() { wb } else { wa };
        w.iter()
            .map(|(k, v)| show_value(lang, k, v.clone()))
            .filter(|v| !v.is_empty() && crate::text::width(v) <= 24)
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        natural.clone()
    };
    let get = |w: &Fields, k: &str| w.iter().find(|(f, _)| *f == k).map(|(_, v)| v.clone());
    let mut keys: Vec<&'static str> = wb.iter().map(|(k, _)| *k).collect();
    for (k, _) in wa {
        if !keys.contains(k) {
            keys.push(k);
        }
    }
    let changes = keys
        .into_iter()
        .filter_map(|k| {
            let (before, after) = (get(wb, k), get(wa, k));
            let blank = |v: &Option<String>| v.as_deref().is_none_or(str::is_empty);
            if before == after || (blank(&before) && blank(&after)) {
                return None;
            }
            let show =
                |v: Option<String>| v.filter(|s| !s.is_empty()).map(|s| show_value(lang, k, s));
            Some(FieldText {
                label: lang.field_of(kind.name(), k).to_string(),
                before: show(before),
                after: show(after),
            })
        })
        .collect();
    (record, changes)
}

/// A written value as the screens show it: years in the user's calendar, dates in the user's
/// format (`2024/05/01`), the rest as written.
fn show_value(lang: Lang, key: &str, v: String) -> String {
    match chrono::NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d") {
        Ok(d) => lang.date(d),
        Err(_) => lang.said_value(key, v),
    }
}
