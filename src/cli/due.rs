//! `kyodo due [--within DAYS] [--me] [--format text|json|csv|md|html]`: everything due or
//! overdue, in date order, with who is responsible (issue 17.3; [`crate::app::due`]). Exits 1
//! when something is overdue, so that a cron job can mail the list; 0 otherwise.

use crate::app::due::{DueItem, Whose, due_items, overdue};
use crate::i18n::{Lang, Msg};
use crate::store::Store;

/// The staff record of the person logged in (`--me`), if they have one.
pub(super) fn logged_in(store: &Store) -> Option<crate::domain::Staff> {
    let id = store.actor().staff_id?;
    store.get_id::<crate::domain::Staff>(id).ok().flatten()
}

/// How an item stands on `today`, in words: `15日超過`, `今日`, `あと3日`.
pub fn standing(item: &DueItem, today: chrono::NaiveDate, lang: Lang) -> String {
    let late = item.late(today);
    match (late, lang) {
        (0, _) => lang.t(Msg::DueToday).to_string(),
        (n, Lang::Ja) if n > 0 => format!("{n}{}", lang.t(Msg::DueOverdueDays)),
        (n, Lang::En) if n > 0 => format!("{n} {}", lang.t(Msg::DueOverdueDays)),
        (n, Lang::Ja) => format!("{}{}日", lang.t(Msg::DueDaysLeft), -n),
        (n, Lang::En) => format!("{} {} days", lang.t(Msg::DueDaysLeft), -n),
    }
}

/// The list's rows as shown: date (和暦 in Japanese), standing, kind, what, body, who.
pub fn rows(items: &[DueItem], today: chrono::NaiveDate, lang: Lang) -> Vec<Vec<String>> {
    items
        .iter()
        .map(|i| {
            vec![
                lang.date(i.due),
                standing(i, today, lang),
                i.kind.label(lang).to_string(),
                i.what.clone(),
                i.body.clone(),
                i.who.clone(),
            ]
        })
        .collect()
}

/// The column headers of [`rows`].
pub fn headers(lang: Lang) -> Vec<String> {
    [
        Msg::DueDate,
        Msg::DueState,
        Msg::DueKindHeader,
        Msg::DueWhat,
        Msg::Body,
        Msg::DueWho,
    ]
    .iter()
    .map(|m| lang.t(*m).to_string())
    .collect()
}

/// Prints what is due within `within` days of today (everything overdue included) for everyone
/// or, with `me`, for the person logged in; returns the exit code: 1 when something is overdue,
/// 2 when `--me` names nobody, else 0.
///
/// Errors: a record that cannot be read.
pub fn run(
    store: &Store,
    within: u32,
    me: bool,
    format: super::Format,
    lang: Lang,
) -> anyhow::Result<i32> {
    let today = chrono::Local::now().date_naive();
    let until = today + chrono::Days::new(within.into());
    let staff;
    let whose = if me {
        staff = logged_in(store);
        match &staff {
            Some(s) => Whose::Me(s),
            None => {
                eprintln!(
                    "kyodo due: {} ({})",
                    lang.t(Msg::NoStaffRecord),
                    crate::text::sanitize(&store.actor().login)
                );
                return Ok(2);
            }
        }
    } else {
        Whose::Everyone
    };
    let items = due_items(store, today, until, whose).map_err(|e| anyhow::anyhow!(e.text(lang)))?;
    let fail = |t: crate::domain::Text| anyhow::anyhow!(t.get(lang).to_string());
    match format {
        super::Format::Json => {
            let v: Vec<serde_json::Value> = items
                .iter()
                .map(|i| {
                    serde_json::json!({
                        "due": i.due.to_string(),
                        "days_overdue": i.late(today),
                        "kind": i.kind.code(),
                        "what": i.what,
                        "body": i.body,
                        "responsible": i.who,
                        "record_type": i.record.0.name(),
                        "record_id": i.record.1,
                    })
                })
                .collect();
            println!("{}", serde_json::Value::Array(v));
        }
        super::Format::Csv => {
            let mut w = crate::io::cells::CsvOut::new();
            w.row(&["due", "days_overdue", "kind", "what", "body", "responsible"])
                .map_err(fail)?;
            for i in &items {
                w.row(&[
                    i.due.to_string(),
                    i.late(today).to_string(),
                    i.kind.code().to_string(),
                    i.what.clone(),
                    i.body.clone(),
                    i.who.clone(),
                ])
                .map_err(fail)?;
            }
            print!("{}", w.finish().map_err(fail)?);
        }
        super::Format::Text | super::Format::Md | super::Format::Html => {
            let late = overdue(&items, today);
            let mut notes = Vec::new();
            if items.is_empty() {
                notes.push(lang.t(Msg::DueNone).to_string());
            } else if late > 0 {
                notes.push(match lang {
                    Lang::Ja => format!("{late}{}", lang.t(Msg::DueOverdueCount)),
                    Lang::En => format!("{late} {}", lang.t(Msg::DueOverdueCount)),
                });
            }
            let doc = super::doc::Doc {
                title: format!("{} ({})", lang.t(Msg::DueTitle), lang.date(today)),
                headers: headers(lang),
                right: vec![false, true],
                blocks: vec![super::doc::Block {
                    heading: None,
                    rows: rows(&items, today, lang),
                    subtotal: None,
                }],
                total: None,
                notes,
            };
            match format {
                super::Format::Md => print!("{}", doc.markdown()),
                super::Format::Html => print!("{}", super::doc::page_of(&doc, lang)),
                _ => print!("{}", doc.text()),
            }
        }
    }
    Ok(if overdue(&items, today) > 0 { 1 } else { 0 })
}
