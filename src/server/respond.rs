//! What the server answers (issue 6): each request of an authenticated connection, judged
//! against the role table ([`crate::domain::access`]) and answered as encoded frames. Runs on
//! the server's worker threads; the reactor ([`super::reactor`]) sends the frames.

use super::serve::{Session, Shared};
use crate::domain::access::{self, Area};
use crate::domain::{AuditEntry, Role};
use crate::store::framed::encode_frame;
use crate::store::remote::{Notice, PAGE_BYTES, Pairs, Reply, Request, WireError};
use crate::store::{Batch, Store, StoreError, TreeName, keys, records};
use crate::wire::frame::FrameError;
use std::sync::atomic::Ordering;

/// One reply as a frame; a reply too large for one frame becomes an error saying so.
pub(super) fn frame(reply: &Reply) -> Vec<u8> {
    match encode_frame(reply) {
        Ok(b) => b,
        Err(e) => {
            let msg = match e {
                FrameError::Oversize(n) => format!(
                    "the answer is {n} bytes, over the server's limit for one reply; ask for less at a time"
                ),
                other => other.to_string(),
            };
            encode_frame(&Reply::Error(WireError::Other(msg))).unwrap_or_default()
        }
    }
}

/// Answers one request of `session` (whose role is looked up now: a person marked as having
/// left loses access at once): the reply frames, in order.
pub(super) fn answer(shared: &Shared, conn: usize, session: &Session, req: Request) -> Vec<u8> {
    let role = match session.role(shared) {
        Ok(r) => r,
        Err(t) => return frame(&Reply::Error(WireError::Denied(t))),
    };
    let store = shared.store.with_actor(session.actor.clone());
    respond(shared, &store, conn, session, role, req)
}

fn err(e: &StoreError) -> Reply {
    Reply::Error(WireError::from(e))
}

/// Trees a client may read directly (not drafts, versions or the audit trail, which have their
/// own requests).
fn readable(tree: TreeName) -> bool {
    !matches!(
        tree,
        TreeName::Drafts | TreeName::Versions | TreeName::Audit
    )
}

/// A stored value as `role` may see it: redacted as its record type says; one that cannot be
/// read is withheld (an empty value, which the client reports as unreadable) from a role that
/// may not see all of it.
fn shown(tree: TreeName, value: Vec<u8>, role: Role) -> Vec<u8> {
    match records::kind(tree) {
        Some(k) => (k.shown)(&value, role).unwrap_or_default(),
        None => value,
    }
}

/// An audit entry as `role` may see it: each change's values pass through its record type's
/// field rule (a consultation's summary and a group client's name, for most roles).
fn shown_audit(mut e: AuditEntry, role: Role) -> AuditEntry {
    let Some(k) = TreeName::ALL
        .iter()
        .find(|t| t.name() == e.record.record_type)
        .and_then(|t| records::kind(*t))
    else {
        return e;
    };
    for c in &mut e.record.changes {
        for v in [&mut c.before, &mut c.after].into_iter().flatten() {
            // The server wrote these values as JSON; one that does not parse is withheld.
            match serde_json::from_str::<serde_json::Value>(v) {
                Ok(parsed) => {
                    let shown = (k.audit_field)(&c.field, parsed.clone(), role);
                    if shown != parsed {
                        *v = shown.to_string();
                    }
                }
                Err(_) => *v = "null".into(),
            }
        }
    }
    e
}

fn respond(
    shared: &Shared,
    store: &Store,
    conn: usize,
    session: &Session,
    role: Role,
    req: Request,
) -> Vec<u8> {
    let Some(l) = shared.store.local() else {
        return frame(&err(&StoreError::Invalid("no database".into())));
    };
    if matches!(req, Request::Repair | Request::Backup)
        && let Err(t) = access::may_administer(role)
    {
        return frame(&Reply::Error(WireError::Denied(t)));
    }
    let reply = match req {
        Request::Hello { .. } => err(&StoreError::Invalid("hello twice".into())),
        Request::Get { tree, key } if readable(tree) => match l.get_raw(tree, &key) {
            Ok(v) => Reply::Value(v.map(|v| shown(tree, v, role))),
            Err(e) => err(&e),
        },
        Request::Scan {
            tree,
            prefix,
            after,
        } if readable(tree) => pairs(l.page(tree, &prefix, after.as_deref(), |_, v| {
            Some(shown(tree, v.to_vec(), role))
        })),
        Request::ListFy {
            tree,
            index,
            fy,
            after,
        } if readable(tree) && readable(index) => {
            let prefix = keys::fy_prefix(crate::domain::FiscalYear(fy));
            pairs(l.page(index, &prefix, after.as_deref(), |k, _| {
                let id = keys::date_index_id(k)?;
                let v = l.get_raw(tree, &keys::id_key(id)).ok()??;
                Some(shown(tree, v, role))
            }))
        }
        Request::CountFy { index, fy } => {
            Reply::Count(l.count_index(index, crate::domain::FiscalYear(fy)) as u64)
        }
        Request::AuditPage { before } => match l.audit_page(before, 500) {
            Ok((entries, more)) => Reply::Audit {
                entries: entries.into_iter().map(|e| shown_audit(e, role)).collect(),
                more,
            },
            Err(e) => err(&e),
        },
        Request::LatestFy => match store.latest_fy_with_data() {
            Ok(fy) => Reply::Number(fy.map(|f| f.0 as i64)),
            Err(e) => err(&e),
        },
        Request::IsEmpty => Reply::Flag(store.is_empty()),
        Request::TreeLen(t) => Reply::Count(store.tree_len(t) as u64),
        Request::References { kind, id } => match store.references(kind, id) {
            Ok(r) => Reply::Refs(r.iter().map(|(t, n)| (t.to_string(), *n)).collect()),
            Err(e) => err(&e),
        },
        Request::SchemaVersion => match store.schema_version() {
            Ok(v) => Reply::Number(v.map(i64::from)),
            Err(e) => err(&e),
        },
        Request::VerifyAuditChain => Reply::Lines(store.verify_audit_chain()),
        Request::Write(wb) => write(shared, store, session, role, wb),
        Request::UploadPart { name, bytes } => match shared.upload(conn, name, bytes) {
            Ok(()) => Reply::Done,
            Err(t) => Reply::Error(WireError::Denied(t)),
        },
        Request::Import => import(shared, store, session, role, conn),
        Request::PutDraft(d) => match store.put_draft(&session.actor.login, &d) {
            Ok(()) => Reply::Done,
            Err(e) => err(&e),
        },
        Request::GetDraft => match store.draft(&session.actor.login) {
            Ok(d) => Reply::Value(d),
            Err(e) => err(&e),
        },
        Request::DeleteDraft => match store.delete_draft(&session.actor.login) {
            Ok(()) => Reply::Done,
            Err(e) => err(&e),
        },
        Request::Version { tree, key } => match l.version(tree, &key) {
            Ok(v) => Reply::Version(v),
            Err(e) => err(&e),
        },
        Request::Check => Reply::Report(crate::store::check::check(store)),
        Request::Repair => {
            let _w = shared.writes.lock();
            match crate::store::check::repair(store) {
                Ok(r) => {
                    shared.log(&format!(
                        "{} repaired indexes and counters",
                        session.actor.login
                    ));
                    Reply::Repaired(r)
                }
                Err(e) => err(&e),
            }
        }
        Request::Backup => {
            let mut buf = Vec::new();
            let counts = {
                let _w = shared.writes.lock();
                crate::io::backup::write_archive(store, &mut buf)
            };
            return match counts {
                Ok(counts) => {
                    shared.log(&format!(
                        "{} took a backup ({} bytes)",
                        session.actor.login,
                        buf.len()
                    ));
                    // At least one chunk; the last carries the counts.
                    let n = buf.len().div_ceil(PAGE_BYTES).max(1);
                    let mut out = Vec::with_capacity(buf.len() + 64 * n);
                    for i in 0..n {
                        let part = &buf[(i * PAGE_BYTES).min(buf.len())
                            ..((i + 1) * PAGE_BYTES).min(buf.len())];
                        let last = (i + 1 == n).then(|| counts.clone());
                        out.extend(frame(&Reply::Chunk {
                            bytes: part.to_vec(),
                            last,
                        }));
                    }
                    out
                }
                Err(t) => frame(&Reply::Error(WireError::Other(t.en))),
            };
        }
        Request::Get { tree, .. } | Request::Scan { tree, .. } | Request::ListFy { tree, .. } => {
            err(&StoreError::Invalid(format!(
                "{} cannot be read directly",
                tree.name()
            )))
        }
    };
    frame(&reply)
}

/// A page of pairs as a reply.
fn pairs(page: Result<(Pairs, bool), StoreError>) -> Reply {
    match page {
        Ok((pairs, more)) => Reply::Pairs { pairs, more },
        Err(e) => err(&e),
    }
}

/// Checks every operation of a batch against the role table, then applies it.
fn write(
    shared: &Shared,
    store: &Store,
    session: &Session,
    role: Role,
    wb: crate::store::remote::WireBatch,
) -> Reply {
    if shared.stopping.load(Ordering::SeqCst) {
        return err(&StoreError::Remote(
            "the kyodo server is stopping; nothing was written. Try again when it is back".into(),
        ));
    }
    let batch = match Batch::from_wire(wb) {
        Ok(b) => b,
        Err(e) => return err(&e),
    };
    if let Err(reply) = check_roles(store, session, role, &batch) {
        return reply;
    }
    let touched = batch.touched();
    // The server itself checks for concurrent edits: a change or deletion of a stored record
    // must say which version of it the writer saw.
    for (tree, key, _) in &touched {
        let exists = store
            .local()
            .is_some_and(|l| matches!(l.get_raw(*tree, key), Ok(Some(_))));
        if exists && !batch.expects(*tree, key) {
            return Reply::Error(WireError::Denied(crate::domain::Text::new(
                "変更・削除には、読んだときの記録の版を添えてください(読み直してから保存してください)。何も書き込んでいません",
                "an update or deletion must name the version of the record it changes (read it again, then save); nothing was written",
            )));
        }
    }
    let Some(l) = store.local() else {
        return err(&StoreError::Invalid("no database".into()));
    };
    let result = {
        let _w = match shared.writes.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        l.write_unsynced(batch, &session.actor)
            .map(|k| (k, shared.committed.fetch_add(1, Ordering::SeqCst) + 1))
    };
    // Group commit: one flush and fsync covers every write committed before it started, so
    // writers arriving together share it. Nobody is answered before their write is on disk.
    let result = result.and_then(|(keys, mine)| {
        let mut synced = match shared.synced.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        if *synced < mine {
            let upto = shared.committed.load(Ordering::SeqCst);
            l.sync()?;
            *synced = upto;
        }
        Ok(keys)
    });
    match result {
        Ok(keys) => {
            let mut trees: Vec<TreeName> = touched.iter().map(|(t, _, _)| *t).collect();
            trees.sort();
            trees.dedup();
            if trees.contains(&TreeName::Staff) {
                shared.forget_staff();
            }
            shared.notify(Notice {
                trees,
                by: session.actor.login.clone(),
                at_ms: chrono::Utc::now().timestamp_millis(),
            });
            Reply::Written(keys)
        }
        Err(e) => err(&e),
    }
}

/// Judges every operation of `batch` by the role table: a put by the new record, a delete by
/// the stored one, a liaison's update by both (so a meeting cannot be moved out of, or into, a
/// body they are not assigned to).
///
/// Errors: the refusal to send.
fn check_roles(store: &Store, session: &Session, role: Role, batch: &Batch) -> Result<(), Reply> {
    let today = chrono::Local::now().date_naive();
    let assigned: Vec<u64> = match (role, session.actor.staff_id) {
        (Role::Liaison, Some(me)) => store
            .list::<crate::domain::Assignment>()
            .items
            .into_iter()
            .filter(|a| a.staff_id == me && a.from <= today && a.to.is_none_or(|t| t >= today))
            .map(|a| a.body_id)
            .collect(),
        _ => Vec::new(),
    };
    let touched = batch.touched();
    for (tree, key, json) in &touched {
        let Some(area) = Area::of_type(tree.name()) else {
            return Err(err(&StoreError::Invalid(format!(
                "{} cannot be written",
                tree.name()
            ))));
        };
        let body = |j: &serde_json::Value| j.get("body_id").and_then(|b| b.as_u64());
        let state =
            |j: &serde_json::Value| j.get("state").and_then(|s| s.as_str()).map(String::from);
        let mut states: Vec<Option<String>> = json.iter().map(state).collect();
        if role == Role::Liaison
            && let Some(old) = stored_json(store, *tree, key)
        {
            states.push(state(&old));
        }
        for s in &states {
            if let Err(t) = access::may_set_state(role, area, s.as_deref()) {
                return Err(Reply::Error(WireError::Denied(t)));
            }
        }
        let mut bodies: Vec<Option<u64>> = json.iter().map(body).collect();
        if (json.is_none() || role == Role::Liaison)
            && let Some(old) = stored_json(store, *tree, key)
        {
            bodies.push(body(&old));
        }
        if bodies.is_empty() {
            bodies.push(None);
        }
        for b in bodies {
            if let Err(t) = access::may_write(role, area, b, &assigned) {
                return Err(Reply::Error(WireError::Denied(t)));
            }
        }
    }
    Ok(())
}

/// Imports the files uploaded on connection `conn` as the session's user (see
/// [`crate::store::remote::Request::Import`]).
fn import(shared: &Shared, store: &Store, session: &Session, role: Role, conn: usize) -> Reply {
    if shared.stopping.load(Ordering::SeqCst) {
        return err(&StoreError::Remote(
            "the kyodo server is stopping; nothing was written. Try again when it is back".into(),
        ));
    }
    let files = shared.take_uploads(conn);
    let sources = files
        .into_iter()
        .map(|(name, bytes)| crate::io::import::Source { name, bytes })
        .collect();
    use crate::io::import::ImportError;
    // The role checks run on every chunk before it is written; a refusal undoes the import
    // and is answered as it was found.
    let refused: std::cell::RefCell<Option<Reply>> = Default::default();
    let allow = |b: &Batch| {
        check_roles(store, session, role, b).map_err(|reply| {
            *refused.borrow_mut() = Some(reply);
            StoreError::Invalid("refused".into())
        })
    };
    let written = {
        let _w = match shared.writes.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        crate::io::import::import_local(store, sources, &|_, _| {}, &allow)
    };
    if let Some(reply) = refused.into_inner() {
        return reply;
    }
    match written {
        Ok(summary) => {
            let mut trees: Vec<TreeName> = summary
                .per_type
                .iter()
                .filter(|(_, n)| *n > 0)
                .filter_map(|(k, _)| TreeName::of_type(k))
                .collect();
            trees.sort();
            trees.dedup();
            shared.log(&format!(
                "{} imported {} rows",
                session.actor.login,
                summary.per_type.iter().map(|(_, n)| n).sum::<usize>()
            ));
            if trees.contains(&TreeName::Staff) {
                shared.forget_staff();
            }
            shared.notify(Notice {
                trees,
                by: session.actor.login.clone(),
                at_ms: chrono::Utc::now().timestamp_millis(),
            });
            Reply::Imported(summary)
        }
        Err(ImportError::Rows(rows)) => Reply::ImportRefused(rows),
        Err(ImportError::Io(m)) => Reply::Error(WireError::Other(m)),
        Err(ImportError::Store(e)) => err(&e),
    }
}

/// The stored record at `key` in `tree` as JSON, if there is one.
fn stored_json(store: &Store, tree: TreeName, key: &[u8]) -> Option<serde_json::Value> {
    let bytes = store.local()?.get_raw(tree, key).ok()??;
    let decode = records::stored_fn(tree)?;
    decode(&bytes, key).ok().map(|(_, j)| j)
}
