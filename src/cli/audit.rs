//! `kyodo audit [--since DATE] [--user LOGIN] [--format text|json]`: the audit trail, newest
//! first.

use crate::domain::{AuditEntry, parse_date};
use crate::store::Store;
use crate::text::sanitize;
use chrono::TimeZone;

/// Local time of an entry, `YYYY-MM-DD HH:MM:SS`.
pub fn when(e: &AuditEntry) -> String {
    crate::app::report::audit_time(e)
}

/// One line per change: `field: before → after`.
pub fn describe_changes(e: &AuditEntry) -> Vec<String> {
    e.record
        .changes
        .iter()
        .map(|c| {
            format!(
                "{}: {} → {}",
                c.field,
                c.before.as_deref().unwrap_or("-"),
                c.after.as_deref().unwrap_or("-")
            )
        })
        .collect()
}

/// Prints entries; returns the exit code (2 for a bad `--since`).
pub fn run(
    store: &Store,
    since: Option<&str>,
    user: Option<&str>,
    json: bool,
) -> anyhow::Result<i32> {
    let since_ms = match since {
        Some(s) => match parse_date(s) {
            Ok(d) => d
                .and_hms_opt(0, 0, 0)
                .and_then(|t| chrono::Local.from_local_datetime(&t).earliest())
                .map(|t| t.timestamp_millis()),
            Err(e) => {
                eprintln!("kyodo audit: --since: {e}");
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
        eprintln!("kyodo audit: {p}");
    }
    if json {
        let v: Vec<serde_json::Value> = entries
            .items
            .iter()
            .map(|e| {
                serde_json::json!({
                    "seq": e.record.seq,
                    "at": when(e),
                    "at_ms": e.record.at_ms,
                    "user": e.record.actor.login,
                    "staff_id": e.record.actor.staff_id,
                    "action": e.record.action.code(),
                    "record_type": e.record.record_type,
                    "record_key": e.record.record_key,
                    "changes": e.record.changes.iter().map(|c| serde_json::json!({
                        "field": c.field, "before": c.before, "after": c.after
                    })).collect::<Vec<_>>(),
                    "note": e.record.note,
                    "hash": e.hash.iter().map(|b| format!("{b:02x}")).collect::<String>(),
                })
            })
            .collect();
        println!("{}", serde_json::Value::Array(v));
    } else {
        for e in &entries.items {
            let r = &e.record;
            println!(
                "#{} {} {} {} {} {}{}",
                r.seq,
                when(e),
                sanitize(&r.actor.login),
                r.action.code(),
                r.record_type,
                r.record_key,
                if r.note.is_empty() {
                    String::new()
                } else {
                    format!("  ({})", sanitize(&r.note))
                }
            );
            for c in describe_changes(e) {
                println!("    {}", sanitize(&c));
            }
        }
    }
    Ok(if entries.problems.is_empty() { 0 } else { 1 })
}
