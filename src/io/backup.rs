//! `kyodo backup FILE` / `kyodo restore FILE --db PATH`: the whole database as a gzip-compressed
//! JSON-lines archive that does not depend on the storage engine: a header (format, version,
//! schema version, time), every record as its domain JSON with its type, the audit trail entry by
//! entry (hashes kept), and a trailer with the counts (a cut-off file is detected). Indexes and
//! counters are not stored: restore rebuilds them by writing the records, and `kyodo check`
//! confirms the result. The archive is written to a temporary file, fsynced, then renamed.

use crate::domain::*;
use crate::store::{Batch, Store, TreeName, records::Record};
use flate2::{Compression, read::GzDecoder, write::GzEncoder};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;

/// Archive format name and version written in the header.
pub const FORMAT: &str = "kyodo-backup";
/// Version of the archive layout.
pub const VERSION: u64 = 1;

/// The record trees a backup holds, in the order a restore writes them (referenced first).
pub const RECORD_TREES: [TreeName; 14] = [
    TreeName::Bodies,
    TreeName::BodyCounts,
    TreeName::Staff,
    TreeName::Assignments,
    TreeName::SubsidyPrograms,
    TreeName::Grants,
    TreeName::Disbursements,
    TreeName::TeamMeetings,
    TreeName::Consultations,
    TreeName::ConsultationTallies,
    TreeName::BodyActivities,
    TreeName::Indicators,
    TreeName::IndicatorEntries,
    TreeName::PlanActions,
];

/// How many records of each type (and audit entries) an archive holds.
pub type Counts = BTreeMap<String, u64>;

fn text(e: impl std::fmt::Display) -> Text {
    Text::new(e.to_string(), e.to_string())
}

/// Writes the whole database to `path`: through a server, the archive the server makes while
/// writes wait (so it is consistent while others use the database); else from this process.
///
/// Errors: the file cannot be written, or a record cannot be read (nothing is left at `path`).
pub fn backup(store: &Store, path: &Path) -> Result<Counts, Text> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = tempfile::NamedTempFile::new_in(dir).map_err(text)?;
    let counts = if store.socket().is_some() {
        let mut w = std::io::BufWriter::new(tmp.as_file());
        let mut counts = Counts::new();
        store
            .remote_backup(|bytes, c| {
                if let Some(c) = c {
                    counts = c;
                }
                w.write_all(bytes)
                    .map_err(|e| crate::store::StoreError::Io {
                        what: "cannot write the backup file".into(),
                        source: e,
                    })
            })
            .map_err(|e| text(e.to_string()))?;
        w.flush().map_err(text)?;
        counts
    } else {
        write_archive(store, std::io::BufWriter::new(tmp.as_file()))?
    };
    tmp.as_file().sync_all().map_err(text)?;
    tmp.persist(path).map_err(|e| text(e.error))?;
    Ok(counts)
}

/// Writes the whole database as a compressed archive to `out`. Returns the counts written in
/// its trailer.
///
/// Errors: a record cannot be read, or `out` cannot be written.
pub fn write_archive(store: &Store, out: impl Write) -> Result<Counts, Text> {
    let mut gz = GzEncoder::new(out, Compression::default());
    let mut counts = Counts::new();
    let header = json!({
        "format": FORMAT,
        "version": VERSION,
        "schema_version": store.schema_version().ok().flatten(),
        "created_at": chrono::Utc::now().to_rfc3339(),
        "by": store.actor().login,
    });
    writeln!(gz, "{header}").map_err(text)?;
    for tree in RECORD_TREES {
        let name = tree.name();
        let n = store
            .for_each_record(tree, |r| {
                writeln!(gz, "{}", json!({"t": name, "r": r})).map_err(|e| e.to_string())
            })
            .map_err(text)?;
        counts.insert(name.to_string(), n as u64);
    }
    let n = store
        .for_each_audit(|e| {
            let v = serde_json::to_value(e).map_err(|e| e.to_string())?;
            writeln!(gz, "{}", json!({"t": "audit", "r": v})).map_err(|e| e.to_string())
        })
        .map_err(text)?;
    counts.insert("audit".into(), n as u64);
    writeln!(gz, "{}", json!({"end": true, "counts": counts})).map_err(text)?;
    let mut inner = gz.finish().map_err(text)?;
    inner.flush().map_err(text)?;
    Ok(counts)
}

fn put_json<T: Record>(b: &mut Batch, v: Value) -> Result<(), String> {
    let r: T = serde_json::from_value(v).map_err(|e| e.to_string())?;
    b.put(r);
    Ok(())
}

fn put_line(b: &mut Batch, t: &str, v: Value) -> Result<(), String> {
    match t {
        "bodies" => put_json::<Body>(b, v),
        "body_counts" => put_json::<BodyCount>(b, v),
        "staff" => put_json::<Staff>(b, v),
        "assignments" => put_json::<Assignment>(b, v),
        "subsidy_programs" => put_json::<SubsidyProgram>(b, v),
        "grants" => put_json::<Grant>(b, v),
        "disbursements" => put_json::<Disbursement>(b, v),
        "team_meetings" => put_json::<TeamMeeting>(b, v),
        "consultations" => put_json::<Consultation>(b, v),
        "consultation_tallies" => put_json::<ConsultationTally>(b, v),
        "body_activities" => put_json::<BodyActivity>(b, v),
        "indicators" => put_json::<Indicator>(b, v),
        "indicator_entries" => put_json::<IndicatorEntry>(b, v),
        "plan_actions" => put_json::<PlanAction>(b, v),
        other => Err(format!("unknown record type '{other}'")),
    }
}

/// Restores the archive at `path` into `store`, which must hold no records. Records are written
/// in transactions of `chunk`, each rebuilding indexes and counters; the audit trail is restored
/// exactly. Returns the counts read.
///
/// Errors: the store is not empty; the file is not a kyodo backup, is of a newer version, is cut
/// off, or has a line that cannot be read (its line number is given).
pub fn restore(store: &Store, path: &Path, chunk: usize) -> Result<Counts, Text> {
    if !store.is_empty() {
        return Err(Text::new(
            "復元先のデータベースが空ではありません。新しい --db を指定してください(既存のデータは上書きしません)",
            "the target database is not empty; name a new --db (restore never overwrites data)",
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| text(format!("{}: {e}", path.display())))?;
    let mut lines = BufReader::new(GzDecoder::new(file)).lines();
    let bad =
        |n: usize, why: String| Text::new(format!("{} 行目: {why}", n), format!("line {n}: {why}"));
    let header: Value = match lines.next() {
        Some(Ok(l)) => serde_json::from_str(&l).map_err(|e| bad(1, e.to_string()))?,
        _ => {
            return Err(Text::new(
                "kyodo のバックアップではありません(gzip の JSON 行ではない)",
                "not a kyodo backup (not gzip-compressed JSON lines)",
            ));
        }
    };
    if header["format"] != FORMAT {
        return Err(Text::new(
            "kyodo のバックアップではありません",
            "not a kyodo backup",
        ));
    }
    if header["version"].as_u64().unwrap_or(u64::MAX) > VERSION {
        return Err(Text::new(
            "新しい版の kyodo で作られたバックアップです。kyodo を更新してください",
            "this backup was made by a newer kyodo; upgrade kyodo",
        ));
    }
    let mut counts = Counts::new();
    let mut audit: Vec<AuditEntry> = Vec::new();
    let mut batch = Batch::new();
    batch.restoring();
    let mut trailer = None;
    let mut max_id = 0u64;
    for (i, line) in lines.enumerate() {
        let n = i + 2;
        let line = line.map_err(|e| bad(n, e.to_string()))?;
        let v: Value = serde_json::from_str(&line).map_err(|e| bad(n, e.to_string()))?;
        if v["end"] == true {
            trailer = Some(v["counts"].clone());
            break;
        }
        let t = v["t"].as_str().unwrap_or("").to_string();
        let r = v["r"].clone();
        if let Some(id) = r["id"].as_u64() {
            max_id = max_id.max(id);
        }
        if t == "audit" {
            audit.push(serde_json::from_value(r).map_err(|e| bad(n, e.to_string()))?);
        } else {
            put_line(&mut batch, &t, r).map_err(|e| bad(n, e))?;
        }
        *counts.entry(t).or_default() += 1;
        if batch.len() >= chunk {
            let mut full = std::mem::take(&mut batch);
            full.restoring();
            store.write(full).map_err(text)?;
            batch.restoring();
        }
    }
    let Some(trailer) = trailer else {
        return Err(Text::new(
            "バックアップが途中で切れています(最後の行がありません)",
            "the backup is cut off (its last line is missing)",
        ));
    };
    for (k, v) in &counts {
        if trailer[k].as_u64() != Some(*v) {
            return Err(Text::new(
                format!(
                    "{k} の件数が合いません(記録 {}、読めたもの {v})",
                    trailer[k]
                ),
                format!("{k}: the backup says {} but {v} were read", trailer[k]),
            ));
        }
    }
    // New records made after the restore must not reuse a restored id.
    store.raise_id_floor(max_id).map_err(text)?;
    if !batch.is_empty() {
        store.write(batch).map_err(text)?;
    }
    store.restore_audit(&audit).map_err(text)?;
    Ok(counts)
}
