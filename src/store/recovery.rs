//! Opening a database safely (issue 10, items 1 and 2): kyodo's own lock on the directory (so
//! what follows happens with nobody else in it), removal of what a killed process leaves
//! behind (sled's unfinished `snap.*.generating`), and the comparison of sled's content with
//! the durable record of the last acknowledged write ([`super::ack`]): a store that holds less
//! than was acknowledged is refused, with what is missing since when and how to restore.

use super::ack::AckState;
use super::{TreeName, keys, records};
use crate::i18n::Lang;
use std::fs::File;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};

/// Meta key of the number of write transactions committed.
pub(super) const WRITE_SEQ: &[u8] = b"write_seq";

/// Meta key of the number of records in `tree`.
pub(super) fn count_key(tree: TreeName) -> Vec<u8> {
    format!("count/{}", tree.name()).into_bytes()
}

/// The trees whose records are counted in meta and in the acknowledgement: every record tree,
/// and the audit trail.
pub(super) fn counted_trees() -> impl Iterator<Item = TreeName> {
    TreeName::ALL
        .iter()
        .copied()
        .filter(|t| records::stored_fn(*t).is_some() || *t == TreeName::Audit)
}

/// Takes kyodo's exclusive lock on the database directory (`<db>/kyodo.lock`, flock), held as
/// long as the returned file is open.
///
/// Errors: `Ok(None)` when another process holds it; the OS error otherwise.
pub(super) fn take_lock(dir: &Path) -> std::io::Result<Option<File>> {
    let f = super::private::open_rw(&dir.join("kyodo.lock"))?;
    // A process of ours that is starting a program holds a copy of every descriptor between
    // its fork and the exec (close-on-exec closes them only then), the lock's too: a lock
    // held that way is let go within moments, so a busy lock is tried again for up to 0.2 s
    // before the database is said to be in use.
    for attempt in 0..40 {
        // SAFETY: flock on a file descriptor we own for the lifetime of `f`.
        let rc = unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if rc == 0 {
            return Ok(Some(f));
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::WouldBlock {
            return Err(e);
        }
        if attempt < 39 {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
    Ok(None)
}

/// Removes what a process killed while writing leaves in the directory: sled's unfinished
/// snapshots (`snap.*.generating`, which make the next open fail). Only called under
/// [`take_lock`]. Returns one line per file removed.
///
/// Errors: the directory cannot be read or a leftover cannot be removed.
pub(super) fn remove_leftovers(dir: &Path) -> std::io::Result<Vec<crate::domain::Text>> {
    let mut removed = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("snap.") && name.ends_with(".generating") {
            std::fs::remove_file(entry.path())?;
            removed.push(crate::domain::Text::new(
                format!(
                    "{} を削除しました(強制終了したプロセスが書きかけで残したスナップショット)",
                    entry.path().display()
                ),
                format!(
                    "removed {} (an unfinished snapshot left by a process that was killed)",
                    entry.path().display()
                ),
            ));
        }
    }
    Ok(removed)
}

/// File written when a database is closed cleanly: the fingerprint of sled's files then.
const CLOSED: &str = "kyodo.closed";

/// A fingerprint of sled's files in `dir` (names, sizes, modification times), so that open can
/// tell whether anything touched them since kyodo last closed the database. kyodo's own files
/// (`kyodo.*`) and the server's socket are left out.
///
/// Errors: the directory cannot be read.
pub(super) fn fingerprint(dir: &Path) -> std::io::Result<[u8; 32]> {
    use sha2::Digest;
    use std::os::unix::fs::MetadataExt;
    let mut entries = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let e = e?;
            let name = e.file_name().to_string_lossy().into_owned();
            if d == dir && (name.starts_with("kyodo.") || name.ends_with(".sock")) {
                continue;
            }
            let m = e.metadata()?;
            if m.is_dir() {
                stack.push(e.path());
                continue;
            }
            let path = e.path();
            let rel = path.strip_prefix(dir).unwrap_or(&path);
            entries.push(format!(
                "{}\0{}\0{}\0{}\0{}",
                rel.display(),
                m.len(),
                m.mtime(),
                m.mtime_nsec(),
                m.ino()
            ));
        }
    }
    entries.sort();
    let mut h = sha2::Sha256::new();
    for e in &entries {
        h.update(e.as_bytes());
        h.update(b"\n");
    }
    Ok(h.finalize().into())
}

/// Whether the database in `dir` was closed cleanly by kyodo and its files are as it left them
/// (`now` is their fingerprint before sled opened them). The record of the clean close is
/// consumed: it holds only until the next open.
pub(super) fn closed_cleanly(dir: &Path, now: &[u8; 32]) -> bool {
    let path = dir.join(CLOSED);
    let same = std::fs::read(&path).is_ok_and(|b| b == now);
    let _ = std::fs::remove_file(&path);
    same
}

/// Writes the record of a clean close (the fingerprint of sled's files now). Errors are
/// ignored: without the record, the next open verifies every record, which is only slower.
pub(super) fn mark_closed(dir: &Path) {
    if let Ok(f) = fingerprint(dir)
        && let Ok(mut file) = super::private::create(&dir.join(CLOSED))
    {
        use std::io::Write;
        let _ = file.write_all(&f).and_then(|_| file.sync_all());
    }
}

/// Writes the record of a clean close when dropped: the last field of [`super::local::Local`],
/// so it runs after sled's handles are gone.
pub(super) struct CloseMarker(pub(super) PathBuf);

impl Drop for CloseMarker {
    fn drop(&mut self) {
        mark_closed(&self.0);
    }
}

/// Reads the database's audit key (`<db>/kyodo.key`, 32 bytes, mode 0600), creating a random
/// one when there is none. Returns the key and whether it was created now.
///
/// Errors: the file cannot be read or written, or holds something other than a key; no
/// randomness from the OS.
pub(super) fn audit_key(dir: &Path) -> std::io::Result<([u8; 32], bool)> {
    let path = dir.join("kyodo.key");
    match std::fs::read(&path) {
        Ok(b) => {
            let key: [u8; 32] = b.as_slice().try_into().map_err(|_| {
                std::io::Error::other(format!("{} is not a kyodo audit key", path.display()))
            })?;
            Ok((key, false))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut key = [0u8; 32];
            // SAFETY: getrandom writes at most 32 bytes into `key`.
            let n = unsafe { libc::getrandom(key.as_mut_ptr().cast(), key.len(), 0) };
            if n != 32 {
                return Err(std::io::Error::last_os_error());
            }
            write_key(dir, &key)?;
            Ok((key, true))
        }
        Err(e) => Err(e),
    }
}

/// Writes the audit key (restore puts the archive's back).
///
/// Errors: the file cannot be written.
pub(super) fn write_key(dir: &Path, key: &[u8; 32]) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = super::private::create(&dir.join("kyodo.key"))?;
    f.write_all(key)?;
    f.sync_all()
}

/// A store that holds less than was acknowledged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loss {
    /// The database directory.
    pub path: PathBuf,
    /// What was acknowledged.
    pub acked: AckState,
    /// What sled holds.
    pub found: AckState,
}

impl Loss {
    /// What is missing since when, and how to restore, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let when = chrono::DateTime::from_timestamp_millis(self.acked.at_ms)
            .map(|t| {
                t.with_timezone(&chrono::Local)
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string()
            })
            .unwrap_or_default();
        let missing = self.acked.missing_in(&self.found);
        let list: Vec<String> = missing
            .iter()
            .map(|(t, a, f)| match lang {
                Lang::Ja => format!("{t} {f}/{a} 件"),
                Lang::En => format!("{t} {f} of {a}"),
            })
            .collect();
        let db = self.path.display();
        match lang {
            Lang::Ja => format!(
                "{db} のデータベースは、保存を確認した内容より少なくなっています(最後に保存を確認した書き込み #{} {when}、データベースにあるのは #{} まで。{})。ファイルが壊れたか、一部だけ戻されたおそれがあります。このデータベースでは動かしません。最新のバックアップから復元してください: `kyodo --db {db} restore --latest`(壊れたデータベースは {db}.damaged-… として残ります)。バックアップファイルを指定するなら `kyodo --db {db} restore FILE`",
                self.acked.seq,
                self.found.seq,
                list.join("、")
            ),
            Lang::En => format!(
                "the database at {db} holds less than was acknowledged (last acknowledged write #{} at {when}; the database holds up to #{}; {}). Its files were damaged or partly put back, so kyodo will not run on it. Restore the latest backup: `kyodo --db {db} restore --latest` (the damaged database is kept as {db}.damaged-…), or name an archive: `kyodo --db {db} restore FILE`",
                self.acked.seq,
                self.found.seq,
                list.join(", ")
            ),
        }
    }
}

/// The message for a database sled itself cannot read (a damaged log or page), in `lang`.
pub fn damaged_message(path: &Path, detail: &str, lang: Lang) -> String {
    let db = path.display();
    match lang {
        Lang::Ja => format!(
            "{db} のデータベースのファイルが壊れていて読めません({detail})。このデータベースでは動かしません。最新のバックアップから復元してください: `kyodo --db {db} restore --latest`(壊れたデータベースは {db}.damaged-… として残ります)"
        ),
        Lang::En => format!(
            "the database files at {db} are damaged and cannot be read ({detail}); kyodo will not run on them. Restore the latest backup: `kyodo --db {db} restore --latest` (the damaged database is kept as {db}.damaged-…)"
        ),
    }
}

/// Reads an 8-byte big-endian counter, 0 when absent or malformed.
pub(super) fn read_u64(v: Option<sled::IVec>) -> u64 {
    v.and_then(|v| v.as_ref().try_into().ok().map(u64::from_be_bytes))
        .unwrap_or(0)
}

/// What the meta tree says the store holds: write sequence, counts per counted tree and the
/// audit head (a handful of keys: O(number of trees)). `None` when the meta tree has no write
/// sequence (a database made before kyodo kept one, or one that lost it).
pub(super) fn meta_state(meta: &sled::Tree) -> sled::Result<Option<AckState>> {
    let Some(seq) = meta.get(WRITE_SEQ)? else {
        return Ok(None);
    };
    let mut s = AckState {
        seq: read_u64(Some(seq)),
        ..AckState::default()
    };
    for t in counted_trees() {
        let n = read_u64(meta.get(count_key(t))?);
        s.counts.insert(t.name().to_string(), n);
    }
    if let Some(h) = meta.get(super::local::AUDIT_HEAD)?
        && h.len() == 40
    {
        s.audit_seq = keys::parse_id(&h[..8]).unwrap_or(0);
        s.audit_hash.copy_from_slice(&h[8..]);
    }
    Ok(Some(s))
}
