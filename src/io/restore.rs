//! `kyodo --db PATH restore FILE|--latest` (issue 10, item 6): all or nothing, and verified.
//! The new database is built in a private directory beside the target and switched in (one
//! `renameat2` exchange) only after the trailer's counts and the whole-archive SHA-256 match,
//! the audit chain verifies, every audited record reads as its audit trail says, and `check`
//! finds nothing; anything else leaves no directory behind. The archive is read a bounded line
//! at a time (a line over [`MAX_LINE`] is refused), and records and audit entries are written
//! in parts, so memory does not grow with the archive (a gzip bomb is refused early).
//!
//! The target may be absent, an empty database, or one kyodo refuses to run on (it holds less
//! than was acknowledged, or sled cannot read it): that one is kept beside the new one as
//! `PATH.damaged-YYYYMMDD-HHMMSS`. A database that holds records is never replaced.

use super::backup::{Counts, FORMAT, VERSION, hex, text};
use crate::domain::*;
use crate::store::{Batch, Store, StoreError};
use flate2::read::GzDecoder;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

/// Longest archive line accepted (two stored values' worth: a record's JSON is larger than its
/// stored form, never by this much).
pub const MAX_LINE: usize = 2 * crate::store::codec::MAX_VALUE_BYTES;

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// Records per type and audit entries, as read and verified.
    pub counts: Counts,
    /// Where a damaged database that was replaced now is.
    pub moved_aside: Option<PathBuf>,
    /// What could not be verified (an archive made before archives carried a digest).
    pub warnings: Vec<Text>,
}

/// What is at the target path.
enum Target {
    Absent,
    Empty,
    Damaged,
}

fn inspect(target: &Path) -> Result<Target, Text> {
    if !target.exists() {
        return Ok(Target::Absent);
    }
    if std::fs::read_dir(target)
        .map_err(|e| text(format!("{}: {e}", target.display())))?
        .next()
        .is_none()
    {
        return Ok(Target::Empty);
    }
    match Store::open(target) {
        Ok(s) if s.is_empty() => Ok(Target::Empty),
        Ok(_) => Err(Text::new(
            format!(
                "復元先 {} のデータベースには記録があります。新しい --db を指定してください(既存のデータは上書きしません)",
                target.display()
            ),
            format!(
                "the target database {} is not empty; name a new --db (restore never overwrites data)",
                target.display()
            ),
        )),
        Err(StoreError::Lost(_) | StoreError::Damaged { .. }) => Ok(Target::Damaged),
        Err(StoreError::Locked(_)) => Err(Text::new(
            format!(
                "{} は別の kyodo(kyodo serve など)が使っています。止めてから復元してください",
                target.display()
            ),
            format!(
                "{} is in use by another kyodo (kyodo serve?); stop it, then restore",
                target.display()
            ),
        )),
        Err(e) => Err(text(e)),
    }
}

/// Removes the directory being built unless the restore got to the switch.
struct Aside {
    dir: PathBuf,
    keep: bool,
}

impl Drop for Aside {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn bad(n: u64, why: impl std::fmt::Display) -> Text {
    Text::new(
        format!("バックアップの {n} 行目: {why}"),
        format!("backup line {n}: {why}"),
    )
}

/// Reads one line of at most [`MAX_LINE`] bytes into `buf` (without its `\n`). `Ok(false)` at
/// the end of the archive.
fn read_line<R: BufRead>(r: &mut R, buf: &mut Vec<u8>, n: u64) -> Result<bool, Text> {
    buf.clear();
    let got = std::io::Read::take(&mut *r, MAX_LINE as u64 + 1)
        .read_until(b'\n', buf)
        .map_err(|e| bad(n, e))?;
    if got == 0 {
        return Ok(false);
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
    } else if buf.len() > MAX_LINE {
        return Err(bad(
            n,
            format!("longer than {MAX_LINE} bytes: this is not a kyodo backup (or it is damaged)"),
        ));
    }
    Ok(true)
}

/// Restores the archive at `archive` into the database directory `target` (see the module
/// comment), writing `chunk` records per transaction; `progress(bytes read)` as it goes.
///
/// Errors: the target holds records or is in use; the archive is not a kyodo backup, is of a
/// newer version, is cut off, has a line that cannot be read (its number is given), or does not
/// verify (counts, digest, audit chain, audit against records, check). Nothing is left behind.
pub fn restore(
    target: &Path,
    archive: &Path,
    chunk: usize,
    progress: &dyn Fn(u64),
) -> Result<Restored, Text> {
    let state = inspect(target)?;
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "db".into());
    let dir = parent.join(format!(".{name}.restoring-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut aside = Aside {
        dir: dir.clone(),
        keep: false,
    };
    let file =
        std::fs::File::open(archive).map_err(|e| text(format!("{}: {e}", archive.display())))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let counting = Counting {
        inner: file,
        read: 0,
    };
    let mut rd = BufReader::new(GzDecoder::new(counting));
    let (counts, warnings) = {
        let store = Store::open_with_cache(&dir, crate::store::BULK_CACHE_BYTES).map_err(text)?;
        let r = build(&store, &mut rd, chunk, progress, size)?;
        verify(&store)?;
        r
    };
    switch(target, &dir, state, &mut aside).map(|moved_aside| Restored {
        counts,
        moved_aside,
        warnings,
    })
}

/// A reader that counts the compressed bytes read (for progress).
struct Counting<R> {
    inner: R,
    read: u64,
}

impl<R: std::io::Read> std::io::Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

/// Reads the archive into `store`: header, records, audit entries, trailer; checks counts and
/// digest, and that every audited record reads as its trail says.
fn build(
    store: &Store,
    rd: &mut BufReader<GzDecoder<Counting<std::fs::File>>>,
    chunk: usize,
    progress: &dyn Fn(u64),
    _size: u64,
) -> Result<(Counts, Vec<Text>), Text> {
    let not_backup = || {
        Text::new(
            "kyodo のバックアップではありません(gzip の JSON 行ではない)",
            "not a kyodo backup (not gzip-compressed JSON lines)",
        )
    };
    let mut line = Vec::new();
    let mut hash = Sha256::new();
    if !read_line(rd, &mut line, 1).map_err(|_| not_backup())? {
        return Err(not_backup());
    }
    let header: Value = serde_json::from_slice(&line).map_err(|_| not_backup())?;
    if header["format"] != FORMAT {
        return Err(not_backup());
    }
    let version = header["version"].as_u64().unwrap_or(u64::MAX);
    if version > VERSION {
        return Err(Text::new(
            "新しい版の kyodo で作られたバックアップです。kyodo を更新してください",
            "this backup was made by a newer kyodo; upgrade kyodo",
        ));
    }
    hash.update(&line);
    hash.update(b"\n");
    // The chain's key travels with the archive; an archive without one holds a chain hashed
    // before chains were keyed, re-hashed once it is restored.
    let key = match header["audit_key"].as_str() {
        Some(hex) => Some(parse_key(hex).ok_or_else(|| bad(1, "the audit key is malformed"))?),
        None => None,
    };
    if let Some(k) = key {
        store.set_audit_key(k).map_err(text)?;
    }
    let mut counts = Counts::new();
    // The database is being built aside and is thrown away unless all of it is restored, so
    // its records go in as a bulk write with no undo marker, durable at the end.
    let mut bulk = store.bulk(false).map_err(text)?;
    let mut fresh: Vec<Box<dyn crate::store::records::ErasedRecord>> = Vec::new();
    let mut audit: Vec<AuditEntry> = Vec::new();
    let mut trail = Trail::default();
    let mut max_id = 0u64;
    let mut n = 1u64;
    let trailer = loop {
        n += 1;
        if !read_line(rd, &mut line, n)? {
            return Err(Text::new(
                "バックアップが途中で切れています(最後の行がありません)",
                "the backup is cut off (its last line is missing)",
            ));
        }
        let l: Line = serde_json::from_slice(&line).map_err(|e| bad(n, e))?;
        if l.end {
            break serde_json::from_slice::<Value>(&line).map_err(|e| bad(n, e))?;
        }
        hash.update(&line);
        hash.update(b"\n");
        let t = l.t.as_deref().unwrap_or("").to_string();
        let r = l.r.map_or("null", |r| r.get());
        if t == "audit" {
            let e: AuditEntry = serde_json::from_str(r).map_err(|e| bad(n, e))?;
            trail.apply(&e);
            audit.push(e);
            if audit.len() >= chunk {
                store.restore_audit(&audit).map_err(|e| bad(n, e))?;
                audit.clear();
            }
        } else {
            let (rec, id) = record_of_line(&t, r).map_err(|e| bad(n, e))?;
            max_id = max_id.max(id.unwrap_or(0));
            fresh.push(rec);
            if fresh.len() >= chunk {
                bulk.put_new(std::mem::take(&mut fresh))
                    .map_err(|e| bad(n, e))?;
            }
        }
        *counts.entry(t).or_default() += 1;
        if n.is_multiple_of(10_000) {
            progress(rd.get_ref().get_ref().read);
        }
    };
    if read_line(rd, &mut line, n + 1)? {
        return Err(bad(n + 1, "data after the last line"));
    }
    bulk.put_new(fresh).map_err(text)?;
    let mut last = Batch::new();
    last.restoring();
    bulk.finish(last).map_err(text)?;
    store.restore_audit(&audit).map_err(text)?;
    for (k, v) in &counts {
        if trailer["counts"][k].as_u64() != Some(*v) {
            return Err(Text::new(
                format!(
                    "{k} の件数が合いません(記録 {}、読めたもの {v})",
                    trailer["counts"][k]
                ),
                format!(
                    "{k}: the backup says {} but {v} were read",
                    trailer["counts"][k]
                ),
            ));
        }
    }
    let mut warnings = Vec::new();
    match trailer["sha256"].as_str() {
        Some(d) if d == hex(&hash.finalize()) => {}
        Some(_) => {
            return Err(Text::new(
                "バックアップの内容がダイジェスト(SHA-256)と合いません。ファイルが壊れたか書き換えられています",
                "the backup's content does not match its digest (SHA-256): the file was damaged or changed",
            ));
        }
        None => warnings.push(Text::new(
            "このバックアップはダイジェストのない古い形式です。件数と監査記録の連鎖だけを確かめました",
            "this backup is of the older kind without a digest; only its counts and audit chain were verified",
        )),
    }
    store.raise_id_floor(max_id).map_err(text)?;
    trail.compare(store)?;
    if key.is_none() && counts.get("audit").copied().unwrap_or(0) > 0 {
        let note = store.rekey_audit().map_err(text)?;
        if note.contains("break") {
            return Err(Text::new(
                format!("バックアップの監査記録の連鎖が壊れています: {note}"),
                format!("the backup's audit chain is broken: {note}"),
            ));
        }
    }
    progress(rd.get_ref().get_ref().read);
    Ok((counts, warnings))
}

/// The restored database's own checks: the audit chain and `kyodo check`.
fn verify(store: &Store) -> Result<(), Text> {
    let chain = store.verify_audit_chain();
    if let Some(p) = chain.first() {
        return Err(Text::new(
            format!("バックアップの監査記録の連鎖が壊れています: {}", p.ja),
            format!("the backup's audit chain is broken: {}", p.en),
        ));
    }
    let report = crate::store::check::check(store);
    if let Some(p) = report.problems.first() {
        return Err(Text::new(
            format!(
                "復元したデータベースの検査で問題が {} 件見つかりました(例: {p})。復元しませんでした",
                report.problems.len()
            ),
            format!(
                "check found {} problem(s) in the restored database (e.g. {p}); nothing was restored",
                report.problems.len()
            ),
        ));
    }
    Ok(())
}

/// Puts the built database at `target` in one step.
fn switch(
    target: &Path,
    built: &Path,
    state: Target,
    aside: &mut Aside,
) -> Result<Option<PathBuf>, Text> {
    let io = |e: std::io::Error| text(format!("{}: {e}", target.display()));
    let moved = match state {
        Target::Absent => {
            std::fs::rename(built, target).map_err(io)?;
            None
        }
        Target::Empty | Target::Damaged => {
            exchange(built, target).map_err(io)?;
            // `built` now names the old database.
            if matches!(state, Target::Empty) {
                let _ = std::fs::remove_dir_all(built);
                None
            } else {
                let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
                let to = PathBuf::from(format!("{}.damaged-{stamp}", target.display()));
                std::fs::rename(built, &to).map_err(io)?;
                Some(to)
            }
        }
    };
    aside.keep = true;
    if let Some(p) = target.parent()
        && let Ok(d) = std::fs::File::open(if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        })
    {
        let _ = d.sync_all();
    }
    Ok(moved)
}

/// Swaps two paths atomically (Linux `renameat2(RENAME_EXCHANGE)`).
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let ca = std::ffi::CString::new(a.as_os_str().as_bytes())?;
    let cb = std::ffi::CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: two NUL-terminated paths that outlive the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// A 32-byte key from 64 hex digits.
fn parse_key(hex: &str) -> Option<[u8; 32]> {
    if hex.len() != 64 {
        return None;
    }
    let mut k = [0u8; 32];
    for (i, b) in k.iter_mut().enumerate() {
        *b = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(k)
}

/// One line of an archive as a restore reads it: a record or audit entry (`t`, with `r` left
/// as its JSON text, parsed once straight into its type), or the trailer (`end`).
#[derive(serde::Deserialize)]
struct Line<'a> {
    #[serde(default)]
    end: bool,
    #[serde(borrow)]
    t: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow)]
    r: Option<&'a serde_json::value::RawValue>,
}

/// The record of an archive line of type `t` (whatever type the tree's registered kind is, so
/// a new record type needs nothing here), and its numeric id when its type has one.
///
/// Errors: an unknown type, or serde's reason the JSON is not such a record.
fn record_of_line(
    t: &str,
    json: &str,
) -> Result<(Box<dyn crate::store::records::ErasedRecord>, Option<u64>), String> {
    let kind = crate::store::TreeName::of_type(t)
        .and_then(crate::store::records::kind)
        .ok_or_else(|| format!("unknown record type '{t}'"))?;
    let rec = (kind.from_json)(json)?;
    let id = if kind.numeric {
        crate::store::keys::parse_id(&rec.key())
    } else {
        None
    };
    Ok((rec, id))
}

/// What the audit trail says each audited record holds: per `(type, key)`, the SHA-256 of each
/// field's JSON after its latest audited change (records created by a bulk import have no
/// entries of their own, and are not in it until they are changed).
#[derive(Default)]
struct Trail {
    records: BTreeMap<(String, String), BTreeMap<String, [u8; 32]>>,
}

fn field_hash(json: &str) -> [u8; 32] {
    Sha256::digest(json.as_bytes()).into()
}

impl Trail {
    fn apply(&mut self, e: &AuditEntry) {
        let r = &e.record;
        let key = (r.record_type.clone(), r.record_key.clone());
        match r.action {
            AuditAction::Create | AuditAction::Update => {
                let fields = self.records.entry(key).or_default();
                for c in &r.changes {
                    match &c.after {
                        Some(v) => {
                            fields.insert(c.field.clone(), field_hash(v));
                        }
                        None => {
                            fields.remove(&c.field);
                        }
                    }
                }
            }
            AuditAction::Delete => {
                self.records.remove(&key);
            }
            AuditAction::Import | AuditAction::Migrate => {}
        }
    }

    /// Every audited record is in the restored store with the fields its trail says.
    fn compare(mut self, store: &Store) -> Result<(), Text> {
        let changed = |t: &str, k: &str, f: &str| {
            Text::new(
                format!(
                    "復元する {t} {k} の「{f}」が監査記録と合いません。バックアップが書き換えられています"
                ),
                format!(
                    "{t} {k}: the field '{f}' differs from its audit trail; the backup was changed"
                ),
            )
        };
        // Only the audited records are looked up, by key: a restore of records imported in
        // bulk (no entries of their own) reads none of them here.
        for ((t, k), fields) in std::mem::take(&mut self.records) {
            let Some(json) = audited_record(store, &t, &k).map_err(text)? else {
                self.records.insert((t, k), fields);
                break;
            };
            for (f, h) in fields {
                if field_hash(&json[&f].to_string()) != h {
                    return Err(changed(&t, &k, &f));
                }
            }
        }
        if let Some(((t, k), _)) = self.records.into_iter().next() {
            return Err(Text::new(
                format!(
                    "監査記録にある {t} {k} がバックアップにありません。バックアップが書き換えられています"
                ),
                format!(
                    "the audit trail has {t} {k}, which the backup lacks; the backup was changed"
                ),
            ));
        }
        Ok(())
    }
}

/// The stored record an audit entry names (type `t` and its `record_key`: an id in decimal, or
/// a name), as JSON, if it is there under that key and says so in its own `id`.
///
/// Errors: a value that cannot be decoded, or a sled error.
fn audited_record(store: &Store, t: &str, k: &str) -> Result<Option<Value>, StoreError> {
    let Some(tree) = crate::store::TreeName::of_type(t) else {
        return Ok(None);
    };
    // An entry keys a record by its id, or by its name; a name of eight bytes was written as
    // the number those bytes make.
    for key in crate::store::keys::audited_keys(k) {
        if let Some(json) = store.record_json(tree, &key)? {
            let named = match &json["id"] {
                Value::Number(n) => n.to_string() == k,
                Value::String(s) => {
                    s == k
                        || crate::store::keys::parse_id(s.as_bytes())
                            .is_some_and(|id| id.to_string() == k)
                }
                _ => false,
            };
            if named {
                return Ok(Some(json));
            }
        }
    }
    Ok(None)
}
