//! `kyodo audit [--since DATE] [--user LOGIN] [--format text|csv|json]`: the audit trail,
//! newest first, in words (issue 15.1: names, actions, field labels; see
//! [`crate::app::audit_text`]). JSON keeps the stored fields beside the words.

use crate::app::audit_text::{self, AuditText};
use crate::domain::{AuditEntry, parse_date};
use crate::store::Store;
use crate::text::sanitize;
use chrono::TimeZone;

/// Local time of an entry, `YYYY-MM-DD HH:MM:SS`.
pub fn when(e: &AuditEntry) -> String {
    crate::app::report::audit_time(e)
}

/// Prints entries in `format` and `lang`; returns the exit code (2 for a bad `--since`, 1 when
/// an entry could not be read).
pub fn run(
    store: &Store,
    since: Option<&str>,
    user: Option<&str>,
    format: super::Format,
    lang: crate::i18n::Lang,
) -> anyhow::Result<i32> {
    let since_ms = match since {
        Some(s) => match parse_date(s) {
            Ok(d) => d
                .and_hms_opt(0, 0, 0)
                .and_then(|t| chrono::Local.from_local_datetime(&t).earliest())
                .map(|t| t.timestamp_millis()),
            Err(e) => {
                eprintln!("kyodo audit: --since: {}", e.text().get(lang));
                return Ok(2);
            }
        },
        None => None,
    };
    let entries = store.audit_entries(usize::MAX, |e| {
        since_ms.is_none_or(|s| e.record.at_ms >= s)
            && user.is_none_or(|u| e.record.actor.login == u)
    });
    for p in &entries.problems {
        eprintln!("kyodo audit: {}", crate::text::sanitize(&p.text(lang)));
    }
    let names = audit_text::names(store);
    let texts: Vec<AuditText> = audit_text::rebuild_all(store, &names, &entries.items)
        .iter()
        .zip(&entries.items)
        .map(|(r, e)| audit_text::text(e, r, &names, lang))
        .collect();
    match format {
        super::Format::Json => {
            let v: Vec<serde_json::Value> = entries
                .items
                .iter()
                .zip(&texts)
                .map(|(e, t)| {
                    serde_json::json!({
                        "seq": e.record.seq,
                        "at": when(e),
                        "at_ms": e.record.at_ms,
                        "user": e.record.actor.login,
                        "staff_id": e.record.actor.staff_id,
                        "actor": t.actor,
                        "action": e.record.action.code(),
                        "action_text": t.action,
                        "record_type": e.record.record_type,
                        "record_type_text": t.record_type,
                        "record_key": e.record.record_key,
                        "record": t.record,
                        "changes": e.record.changes.iter().map(|c| serde_json::json!({
                            "field": c.field, "before": c.before, "after": c.after
                        })).collect::<Vec<_>>(),
                        "changes_text": t.changes.iter().map(|c| serde_json::json!({
                            "label": c.label, "before": c.before, "after": c.after
                        })).collect::<Vec<_>>(),
                        "note": e.record.note,
                        "hash": e.hash.iter().map(|b| format!("{b:02x}")).collect::<String>(),
                    })
                })
                .collect();
            println!("{}", serde_json::Value::Array(v));
        }
        super::Format::Csv => {
            let (head, rows) = table(&texts, lang, true);
            let fail = |t: crate::domain::Text| anyhow::anyhow!(t.get(lang).to_string());
            let mut w = crate::io::cells::CsvOut::new();
            for r in std::iter::once(&head).chain(&rows) {
                w.row(r).map_err(fail)?;
            }
            print!("{}", w.finish().map_err(fail)?);
        }
        super::Format::Md | super::Format::Html => {
            let (headers, rows) = table(&texts, lang, false);
            let doc = super::doc::Doc {
                title: lang.t(crate::i18n::Msg::PaneAudit).to_string(),
                right: vec![true],
                headers,
                blocks: vec![super::doc::Block {
                    heading: None,
                    rows,
                    subtotal: None,
                }],
                total: None,
                notes: Vec::new(),
            };
            if format == super::Format::Html {
                print!("{}", super::doc::page_of(&doc, lang));
            } else {
                print!("{}", doc.markdown());
            }
        }
        super::Format::Text => {
            for t in &texts {
                // `#seq when actor action type record  (note)`, leaving out what an entry
                // does not have (an import names no one record).
                let mut line = format!("#{} {} {} {}", t.seq, t.when, sanitize(&t.actor), t.action);
                for part in [&t.record_type, &t.record] {
                    if !part.is_empty() {
                        line += &format!(" {}", sanitize(part));
                    }
                }
                if !t.note.is_empty() {
                    line += &format!("  ({})", sanitize(&t.note));
                }
                println!("{line}");
                for c in &t.changes {
                    println!(
                        "    {}: {} → {}",
                        sanitize(&c.label),
                        sanitize(c.before.as_deref().unwrap_or("-")),
                        sanitize(c.after.as_deref().unwrap_or("-"))
                    );
                }
            }
        }
    }
    Ok(if entries.problems.is_empty() { 0 } else { 1 })
}

/// The audit as a table, one row per changed field (an entry without changes: one row): the
/// entry's number, time, actor, action, record type and record, then field, before, after and
/// note. With `repeat` (CSV, for Excel's filters) every row carries its entry's columns; without
/// (Markdown, for reading) only the entry's first row does.
fn table(
    texts: &[AuditText],
    lang: crate::i18n::Lang,
    repeat: bool,
) -> (Vec<String>, Vec<Vec<String>>) {
    let h = |ja: &str, en: &str| match lang {
        crate::i18n::Lang::Ja => ja.to_string(),
        crate::i18n::Lang::En => en.to_string(),
    };
    let head = vec![
        h("番号", "seq"),
        h("日時", "when"),
        h("操作者", "actor"),
        h("操作", "action"),
        h("種類", "type"),
        h("記録", "record"),
        h("項目", "field"),
        h("変更前", "before"),
        h("変更後", "after"),
        h("備考", "note"),
    ];
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut rows = Vec::new();
    for t in texts {
        let lead = [
            t.seq.to_string(),
            t.when.clone(),
            t.actor.clone(),
            t.action.clone(),
            t.record_type.clone(),
            t.record.clone(),
        ];
        let changes: Vec<[String; 3]> = if t.changes.is_empty() {
            vec![Default::default()]
        } else {
            t.changes
                .iter()
                .map(|c| [c.label.clone(), opt(&c.before), opt(&c.after)])
                .collect()
        };
        for (i, c) in changes.into_iter().enumerate() {
            let mut row = if i == 0 || repeat {
                lead.to_vec()
            } else {
                vec![String::new(); lead.len()]
            };
            row.extend(c);
            row.push(if i == 0 || repeat {
                t.note.clone()
            } else {
                String::new()
            });
            rows.push(row);
        }
    }
    (head, rows)
}
