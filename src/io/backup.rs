//! `kyodo backup FILE`: the whole database as a gzip-compressed JSON-lines archive that does
//! not depend on the storage engine: a header (format, version, schema version, time), every
//! record as its domain JSON with its type, the audit trail entry by entry (hashes kept), and a
//! trailer with the counts and the SHA-256 of every line before it, so that a cut-off, damaged
//! or edited archive is refused by [`super::restore`]. Indexes and counters are not stored:
//! restore rebuilds them by writing the records. The archive is written to a private temporary
//! file beside the target, fsynced, then renamed.

use crate::domain::*;
use crate::store::{Store, TreeName};
use flate2::{Compression, write::GzEncoder};
use serde_json::json;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// Archive format name and version written in the header.
pub const FORMAT: &str = "kyodo-backup";
/// Version of the archive layout (2: the trailer carries `sha256`).
pub const VERSION: u64 = 2;

/// The record trees a backup holds: every record type's, in the order a restore writes them
/// (the import's, referenced first).
pub fn record_trees() -> impl Iterator<Item = TreeName> {
    super::import::FILE_ORDER
        .iter()
        .filter_map(|t| TreeName::of_type(t))
}

/// How many records of each type (and audit entries) an archive holds.
pub type Counts = BTreeMap<String, u64>;

pub(crate) fn text(e: impl std::fmt::Display) -> Text {
    Text::new(e.to_string(), e.to_string())
}

/// Writes the whole database to `path`: through a server, the archive the server makes while
/// writes wait (so it is consistent while others use the database); else from this process.
///
/// Errors: the file cannot be written, or a record cannot be read (nothing is left at `path`).
pub fn backup(store: &Store, path: &Path) -> Result<Counts, Text> {
    backup_with(store, path, &|_, _| {})
}

/// [`backup`], calling `progress(records written, records in all)` as it goes (from this
/// process; through a server, once at the end).
///
/// Errors: as [`backup`].
pub fn backup_with(
    store: &Store,
    path: &Path,
    progress: &dyn Fn(u64, u64),
) -> Result<Counts, Text> {
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
        write_archive_with(store, std::io::BufWriter::new(tmp.as_file()), progress)?
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
    write_archive_with(store, out, &|_, _| {})
}

/// [`write_archive`] with `progress(records written, records in all)` every few thousand
/// records. The archive is compressed at gzip's fastest level: the JSON lines compress to a
/// tenth either way, and level 6 spent most of a backup's time (issue 20's profile).
///
/// Errors: as [`write_archive`].
pub fn write_archive_with(
    store: &Store,
    out: impl Write,
    progress: &dyn Fn(u64, u64),
) -> Result<Counts, Text> {
    let mut gz = Hashing::new(GzEncoder::new(out, Compression::fast()));
    let total: u64 = record_trees().map(|t| store.record_count(t)).sum::<u64>()
        + store.record_count(TreeName::Audit);
    let mut done = 0u64;
    let mut counts = Counts::new();
    let header = json!({
        "format": FORMAT,
        "version": VERSION,
        "schema_version": store.schema_version().ok().flatten(),
        "created_at": chrono::Utc::now().to_rfc3339(),
        "by": store.actor().login,
        // The audit chain's key: the archive is as private as the database (admins only).
        "audit_key": store.audit_key().map(|k| hex(&k)),
    });
    writeln!(gz, "{header}").map_err(text)?;
    for tree in record_trees() {
        let name = tree.name();
        let n = store
            .write_records_json(tree, &mut gz, || {
                done += 1;
                if done.is_multiple_of(4096) {
                    progress(done, total);
                }
            })
            .map_err(text)?;
        counts.insert(name.to_string(), n as u64);
    }
    let n = store
        .for_each_audit(|e| {
            gz.write_all(b"{\"t\":\"audit\",\"r\":")
                .map_err(|e| e.to_string())?;
            serde_json::to_writer(&mut gz, e).map_err(|e| e.to_string())?;
            gz.write_all(b"}\n").map_err(|e| e.to_string())?;
            done += 1;
            if done.is_multiple_of(4096) {
                progress(done, total);
            }
            Ok(())
        })
        .map_err(text)?;
    counts.insert("audit".into(), n as u64);
    let digest = gz.hex_digest().map_err(text)?;
    writeln!(
        gz,
        "{}",
        json!({"end": true, "counts": counts, "sha256": digest})
    )
    .map_err(text)?;
    let mut inner = gz.into_inner().map_err(text)?.finish().map_err(text)?;
    inner.flush().map_err(text)?;
    progress(total, total);
    Ok(counts)
}

/// A writer that hashes what passes through it (the archive's lines, before compression),
/// gathering small writes into blocks of [`Hashing::BLOCK`] bytes first: flate2 clears its
/// output buffer on every write it is given, so a JSON token per write spent more than half of
/// a backup's time in `memset` (issue 20's profile).
pub(crate) struct Hashing<W: Write> {
    inner: W,
    hash: sha2::Sha256,
    buf: Vec<u8>,
}

impl<W: Write> Hashing<W> {
    /// Bytes gathered before they are hashed and passed on.
    const BLOCK: usize = 128 << 10;

    pub(crate) fn new(inner: W) -> Hashing<W> {
        use sha2::Digest;
        Hashing {
            inner,
            hash: sha2::Sha256::new(),
            buf: Vec::with_capacity(Self::BLOCK),
        }
    }

    fn drain(&mut self) -> std::io::Result<()> {
        use sha2::Digest;
        self.hash.update(&self.buf);
        self.inner.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }

    /// The SHA-256 of everything written so far, in hex (what was gathered is passed on first).
    ///
    /// Errors: the inner writer's.
    pub(crate) fn hex_digest(&mut self) -> std::io::Result<String> {
        use sha2::Digest;
        self.drain()?;
        Ok(hex(&self.hash.clone().finalize()))
    }

    /// The inner writer, after everything gathered is passed on.
    ///
    /// Errors: the inner writer's.
    pub(crate) fn into_inner(mut self) -> std::io::Result<W> {
        self.drain()?;
        Ok(self.inner)
    }
}

/// Bytes as lower-case hex.
pub(crate) fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.buf.len() + buf.len() > Self::BLOCK {
            self.drain()?;
        }
        if buf.len() >= Self::BLOCK {
            use sha2::Digest;
            self.hash.update(buf);
            self.inner.write_all(buf)?;
        } else {
            self.buf.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.drain()?;
        self.inner.flush()
    }
}
