//! Opening the database in this process: the lock, leftovers a kill can leave, the schema, the
//! acknowledged-write record and the full read-back after an unclean close.

use super::local::{ID_FLOOR, Local};
use super::*;
use std::fs::File;

impl Local {
    /// Opens (creating, mode 0700, if needed) the database directory at `path`: takes kyodo's
    /// lock, removes what a killed writer left, opens sled, and compares what it holds with
    /// the last acknowledged write. sled caches up to `cache_bytes` of pages (as sled counts
    /// them; the memory they take is several times that).
    ///
    /// Errors: [`StoreError::Locked`] when another process has it open;
    /// [`StoreError::Lost`] when it holds less than was acknowledged;
    /// [`StoreError::Damaged`] when sled cannot read it; [`StoreError::SchemaTooNew`];
    /// [`StoreError::Io`] (with what to do when permission is denied); sled errors.
    pub fn open(path: &Path, cache_bytes: u64) -> Result<Local> {
        let io = |what: String| {
            move |source: std::io::Error| {
                if source.kind() == std::io::ErrorKind::PermissionDenied {
                    StoreError::NoAccess(path.to_path_buf())
                } else {
                    StoreError::Io { what, source }
                }
            }
        };
        private::create_dir_all(path).map_err(io(format!(
            "cannot create the database directory {}",
            path.display()
        )))?;
        let lock = recovery::take_lock(path)
            .map_err(io(format!(
                "cannot lock the database at {}",
                path.display()
            )))?
            .ok_or_else(|| StoreError::Locked(path.to_path_buf()))?;
        let mut notes = recovery::remove_leftovers(path).map_err(io(format!(
            "cannot clean the database directory {}",
            path.display()
        )))?;
        let existed = path.join("db").exists();
        let before = recovery::fingerprint(path).map_err(io(format!(
            "cannot read the database directory {}",
            path.display()
        )))?;
        let clean = recovery::closed_cleanly(path, &before);
        let db = open_sled(path, cache_bytes)?;
        let trees = TreeName::ALL
            .iter()
            .map(|t| db.open_tree(t.name()))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| open_error(path, e))?;
        let db_file = File::open(path.join("db")).ok();
        let (audit_key, new_key) = recovery::audit_key(path).map_err(io(format!(
            "cannot read the audit key of {}",
            path.display()
        )))?;
        let (ack_file, acked) = ack::open(path).map_err(io(format!(
            "cannot read {}",
            path.join("kyodo.ack").display()
        )))?;
        let mut store = Local {
            db,
            trees,
            db_file,
            id_floor: std::sync::atomic::AtomicU64::new(0),
            _lock: lock,
            ack: std::sync::Mutex::new(ack_file),
            committed: std::sync::Mutex::new(ack::AckState::default()),
            gate: std::sync::Mutex::new(()),
            notes: Vec::new(),
            audit_key: std::sync::RwLock::new(audit_key),
            _closer: recovery::CloseMarker(path.to_path_buf()),
        };
        if let Some(v) = store.tree(TreeName::Meta).get(ID_FLOOR)?
            && let Ok(b) = <[u8; 8]>::try_from(v.as_ref())
        {
            store
                .id_floor
                .store(u64::from_be_bytes(b), std::sync::atomic::Ordering::SeqCst);
        }
        // A database from a newer kyodo is left untouched.
        if let Some(v) = store.schema_version()?
            && v > SCHEMA_VERSION
        {
            return Err(StoreError::SchemaTooNew {
                found: v,
                supported: SCHEMA_VERSION,
            });
        }
        let found =
            recovery::meta_state(store.tree(TreeName::Meta)).map_err(|e| open_error(path, e))?;
        let found = match (found, &acked) {
            (Some(f), _) => f,
            // A database from before kyodo kept a write sequence: count once.
            (None, None) => {
                let s = store.start_write_sequence()?;
                if s.seq > 0 {
                    notes.push(crate::domain::Text::new(
                        format!(
                            "{} の記録を数え、保存済みの書き込みの記録を始めました",
                            path.display()
                        ),
                        format!(
                            "counted the records of {} to start its record of acknowledged writes",
                            path.display()
                        ),
                    ));
                }
                s
            }
            (None, Some(_)) => ack::AckState::default(),
        };
        if let Some(a) = &acked
            && !a.missing_in(&found).is_empty()
        {
            return Err(StoreError::Lost(Box::new(recovery::Loss {
                path: path.to_path_buf(),
                acked: a.clone(),
                found,
            })));
        }
        if existed && !clean {
            // The files changed since kyodo last closed them (a crash, a copy, a change by
            // something else): read every record before trusting them.
            let started = std::time::Instant::now();
            let n = store.verify_readable(path, &found)?;
            let ms = started.elapsed().as_millis();
            notes.push(crate::domain::Text::new(
                format!(
                    "{} の {n} 件すべてを使う前に読み直しました({ms} ms): 正常に閉じられなかったか、閉じた後にファイルが変わっています",
                    path.display()
                ),
                format!(
                    "read all {n} entries of {} in {ms} ms before use: it was not closed cleanly, or its files changed since",
                    path.display()
                ),
            ));
        }
        *store.committed.get_mut().unwrap_or_else(|p| p.into_inner()) = found;
        notes.extend(store.undo_unfinished_bulk()?);
        if new_key && !store.tree(TreeName::Audit).is_empty() {
            // An audit chain from before kyodo kept a key: verified as it was, then re-hashed.
            let n = store.rekey_audit()?;
            notes.push(crate::domain::Text::new(
                format!("監査記録の連鎖をデータベースの鍵で付け直しました ({n})"),
                n,
            ));
        }
        store.check_schema()?;
        notes.extend(store.upgrade_layouts()?);
        store.notes.extend(notes);
        Ok(store)
    }

    /// Reads every entry of every tree (sled checks each page's checksum as it reads it) and
    /// compares the record counts with `found` (what meta says). Returns the entries read.
    ///
    /// Errors: [`StoreError::Damaged`] for an unreadable entry, [`StoreError::Lost`] when a
    /// tree holds fewer records than counted.
    fn verify_readable(&self, path: &Path, found: &ack::AckState) -> Result<u64> {
        let mut total = 0u64;
        for &t in TreeName::ALL {
            let mut n = 0u64;
            for kv in self.walk(t, |tree| tree.iter(), false) {
                if let Err(e) = kv {
                    return Err(match e {
                        StoreError::Damaged { detail, .. } => StoreError::Damaged {
                            path: path.to_path_buf(),
                            detail,
                        },
                        other => other,
                    });
                }
                n += 1;
            }
            total += n;
            if let Some(want) = found.counts.get(t.name())
                && n < *want
            {
                let mut short = found.clone();
                short.counts.insert(t.name().to_string(), n);
                return Err(StoreError::Lost(Box::new(recovery::Loss {
                    path: path.to_path_buf(),
                    acked: found.clone(),
                    found: short,
                })));
            }
        }
        Ok(total)
    }

    /// Sets the meta write sequence and record counts of a database that has none (made before
    /// kyodo kept them), counting each record tree once.
    ///
    /// Errors: sled errors.
    fn start_write_sequence(&self) -> Result<ack::AckState> {
        let meta = self.tree(TreeName::Meta);
        let has_records = recovery::counted_trees().any(|t| !self.tree(t).is_empty());
        let mut b = sled::Batch::default();
        b.insert(recovery::WRITE_SEQ, &u64::from(has_records).to_be_bytes());
        for t in recovery::counted_trees() {
            let n = self.tree(t).len() as u64;
            b.insert(recovery::count_key(t), &n.to_be_bytes());
        }
        meta.apply_batch(b)?;
        let state = recovery::meta_state(meta)?.unwrap_or_default();
        *self.committed.lock().unwrap_or_else(|p| p.into_inner()) = state.clone();
        self.sync()?;
        Ok(state)
    }

    /// Schema 3: sets the `follow_ups_open` counters from the meetings (set, not added, so a
    /// migration cut short and run again counts each follow-up once), in one batch.
    fn count_open_follow_ups(&self) -> Result<()> {
        let mut want: std::collections::BTreeMap<Vec<u8>, i64> = Default::default();
        for kv in self.walk(TreeName::TeamMeetings, |t| t.iter(), false) {
            let (k, v) = kv?;
            let m = decode_at::<crate::domain::TeamMeeting>(TreeName::TeamMeetings, &k, &v)?;
            for (name, n) in m.open_follow_up_counts() {
                *want.entry(name.into_bytes()).or_default() += n;
            }
        }
        let mut b = sled::Batch::default();
        for (k, n) in &want {
            b.insert(k.as_slice(), &n.to_be_bytes()[..]);
        }
        self.tree(TreeName::Counters).apply_batch(b)?;
        Ok(())
    }

    fn check_schema(&self) -> Result<()> {
        let meta = self.tree(TreeName::Meta);
        match meta.get(b"schema_version")? {
            Some(v) => {
                let found = v.as_ref().try_into().map(u32::from_be_bytes).map_err(|_| {
                    StoreError::Decode {
                        tree: "meta",
                        key: "schema_version".into(),
                        reason: format!("expected 4 bytes, found {}", v.len()),
                    }
                })?;
                if found > SCHEMA_VERSION {
                    return Err(StoreError::SchemaTooNew {
                        found,
                        supported: SCHEMA_VERSION,
                    });
                }
                if found < SCHEMA_VERSION {
                    // Open has brought it forward (write sequence, keyed audit chain); 3 adds
                    // the counters of open follow-ups, 4 counts those nobody owns (owner 0).
                    if found < 4 {
                        self.count_open_follow_ups()?;
                    }
                    meta.insert(b"schema_version", &SCHEMA_VERSION.to_be_bytes())?;
                    self.sync()?;
                }
                Ok(())
            }
            None => {
                meta.insert(b"schema_version", &SCHEMA_VERSION.to_be_bytes())?;
                self.sync()
            }
        }
    }
}
/// Opens sled at `path`, under kyodo's lock. sled takes its own lock on the `db` file, and a
/// process of ours that is starting a program holds a copy of that descriptor between its fork
/// and the exec, as with kyodo's lock (see [`recovery::take_lock`]): a busy sled lock is tried
/// again for up to 0.2 s before the database is said to be in use.
///
/// Errors: as [`open_error`] maps them.
fn open_sled(path: &Path, cache_bytes: u64) -> Result<sled::Db> {
    let mut attempt = 0;
    loop {
        // A damaged log can make sled panic while it recovers (a flipped bit in a page
        // header): that is a damaged database, refused with how to restore, not a crash.
        let opened = super::guard::catch(|| {
            sled::Config::new()
                .path(path)
                .cache_capacity(cache_bytes)
                .open()
        });
        let Some(opened) = opened else {
            return Err(StoreError::Damaged {
                path: path.to_path_buf(),
                detail: "the storage engine stopped while reading its log".into(),
            });
        };
        match opened.map_err(|e| open_error(path, e)) {
            Err(StoreError::Locked(_)) if attempt < 39 => {
                attempt += 1;
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            other => return other,
        }
    }
}

/// Maps an error from sled's open to kyodo's: its lock, or a damaged log.
pub(super) fn open_error(path: &Path, e: sled::Error) -> StoreError {
    match e {
        sled::Error::Io(ref io)
            if io.kind() == std::io::ErrorKind::Other
                && io.to_string().contains("could not acquire lock") =>
        {
            StoreError::Locked(path.to_path_buf())
        }
        sled::Error::Corruption { .. } => StoreError::Damaged {
            path: path.to_path_buf(),
            detail: e.to_string(),
        },
        other => StoreError::Sled(other),
    }
}
