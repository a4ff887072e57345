//! `kyodo check`: verifies what the store keeps beside the records. Every index entry has its
//! record and every record its index entries; every counter equals a recount from the records;
//! every reference points at an existing record; grants keep paid ≤ decided and
//! confirmed ≤ decided (docs/DOMAIN.md, "Grant invariants"); the audit chain is unbroken.

use super::check_walk::{Digest, Expected, Finding, expected, index_digests};
use super::records;
use super::{Local, Store, TreeName, keys};
use crate::domain::Text;
use std::collections::BTreeMap;
use std::fmt;

/// One problem found, with the record it concerns.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    /// Tree, e.g. `team_meetings_by_date`.
    pub tree: String,
    /// Key, printable.
    pub key: String,
    /// What is wrong, in both languages.
    pub message: Text,
}

impl Problem {
    /// The problem in `lang`: `tree key: message`.
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        let m = self.message.get(lang);
        if self.key.is_empty() {
            format!("{}: {m}", self.tree)
        } else {
            format!("{} {}: {m}", self.tree, self.key)
        }
    }
}

/// An error's own words as a message in both languages (errors below the message table speak
/// English only; the Japanese side says what kind of failure it is).
pub fn said(e: &dyn std::fmt::Display) -> Text {
    Text::new(format!("エラー: {e}"), e.to_string())
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(crate::i18n::Lang::En))
    }
}

/// What a check looked at and found.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Report {
    /// Records decoded.
    pub records: usize,
    /// Problems, in tree order.
    pub problems: Vec<Problem>,
}

fn problem(tree: &str, key: &[u8], message: Text) -> Problem {
    Problem {
        tree: tree.to_string(),
        key: keys::parse_id(key)
            .map(|id| id.to_string())
            .unwrap_or_else(|| keys::show_key(key)),
        message,
    }
}

/// A finding of the walk of the records as a problem of the report.
fn worded(f: Finding) -> Problem {
    match f {
        Finding::Unwalkable(tree, e) => problem(tree.name(), b"", said(&e)),
        Finding::Unreadable(tree, key, e) => problem(
            tree.name(),
            &key,
            Text::new(format!("読めない記録です: {e}"), e),
        ),
        Finding::Dangling(tree, key, kind, id) => problem(
            tree.name(),
            &key,
            Text::new(
                format!("存在しない {} {id} を参照しています", kind.name()),
                format!("refers to {} {id}, which does not exist", kind.name()),
            ),
        ),
    }
}

/// The date index trees.
const INDEXES: &[TreeName] = TreeName::DATE_INDEXES;

/// An index entry that differs from what its records imply.
enum IndexDiff {
    /// An entry whose record is gone or says another date: to remove.
    Stale(Vec<u8>),
    /// A record's entry that is not there: to add.
    Missing(Vec<u8>),
}

/// The entries of date index `index` that differ from its records, found by walking the index
/// (each entry's record looked up by the id in its key) and then the records (each entry
/// looked up in the index): memory is the differences, not the index. Walk errors go into
/// `report`.
fn index_diffs(l: &Local, index: TreeName, report: &mut Report) -> Vec<IndexDiff> {
    let mut out = Vec::new();
    let Some(owner) = TreeName::ALL
        .iter()
        .copied()
        .find(|t| t.kind().and_then(TreeName::index_of) == Some(index))
    else {
        return out;
    };
    let Some(kind) = records::kind(owner) else {
        return out;
    };
    let implies = |id: Option<u64>, k: &[u8]| -> bool {
        let Some(id) = id else { return false };
        match l.tree(owner).get(keys::id_key(id)) {
            Ok(Some(v)) => (kind.effects)(&v, &keys::id_key(id))
                .is_ok_and(|e| e.index.iter().any(|(t, x)| *t == index && x == k)),
            _ => false,
        }
    };
    for kv in l.walk(index, |t| t.iter(), false) {
        match kv {
            Ok((k, _)) => {
                if !implies(keys::date_index_id(&k), &k) {
                    out.push(IndexDiff::Stale(k.to_vec()));
                }
            }
            Err(e) => {
                report.problems.push(problem(index.name(), b"", said(&e)));
                break;
            }
        }
    }
    for (k, v) in l.walk(owner, |t| t.iter(), false).flatten() {
        let Ok(eff) = (kind.effects)(&v, &k) else {
            continue;
        };
        for (t, x) in eff.index {
            if t == index && !l.tree(index).contains_key(&x).unwrap_or(false) {
                out.push(IndexDiff::Missing(x));
            }
        }
    }
    out
}

/// The counters that differ from `want` (the recount): `(key, stored value or None when it is
/// not 8 bytes, recount)`, found by walking the counters tree and `want` side by side in key
/// order. Walk errors go into `report`.
fn counter_diffs(
    l: &Local,
    want: &BTreeMap<Vec<u8>, i64>,
    report: &mut Report,
) -> Vec<(Vec<u8>, Option<i64>, i64)> {
    let mut out = Vec::new();
    let mut wants = want.iter().peekable();
    for kv in l.walk(TreeName::Counters, |t| t.iter(), false) {
        let (k, v) = match kv {
            Ok(kv) => kv,
            Err(e) => {
                report.problems.push(problem("counters", b"", said(&e)));
                break;
            }
        };
        while let Some((wk, wv)) = wants.next_if(|(wk, _)| wk.as_slice() < k.as_ref()) {
            if *wv != 0 {
                out.push((wk.clone(), Some(0), *wv));
            }
        }
        let w = wants
            .next_if(|(wk, _)| wk.as_slice() == k.as_ref())
            .map_or(0, |(_, v)| *v);
        let have = v.as_ref().try_into().ok().map(i64::from_be_bytes);
        if have != Some(w) {
            out.push((k.to_vec(), have, w));
        }
    }
    for (wk, wv) in wants {
        if *wv != 0 {
            out.push((wk.clone(), Some(0), *wv));
        }
    }
    out
}

/// What `kyodo check --repair` changed.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Repair {
    /// Index entries added (records that were missing from an index).
    pub index_added: usize,
    /// Index entries removed (pointing at no record, or at a stale date).
    pub index_removed: usize,
    /// Counters set to their recount.
    pub counters_fixed: usize,
}

/// Rebuilds the date indexes and the counters from the records, changing only what differs,
/// then makes it durable. Records, the audit trail and grants are never changed: what is wrong
/// there stays in `kyodo check`'s report.
///
/// Errors: a sled error (what was already applied stays; running it again finishes the job).
pub fn repair(store: &Store) -> Result<Repair, super::StoreError> {
    match store.local() {
        Some(l) => repair_local(l),
        None => store.remote_repair(),
    }
}

pub(crate) fn repair_local(l: &Local) -> Result<Repair, super::StoreError> {
    let mut report = Report::default();
    let want = expected(l, &|_, _| {}, false);
    let mut out = Repair::default();
    for &tree in INDEXES {
        let mut b = sled::Batch::default();
        for d in index_diffs(l, tree, &mut report) {
            match d {
                IndexDiff::Stale(k) => {
                    b.remove(k);
                    out.index_removed += 1;
                }
                IndexDiff::Missing(k) => {
                    b.insert(k, &[][..]);
                    out.index_added += 1;
                }
            }
        }
        l.tree(tree).apply_batch(b)?;
    }
    let mut b = sled::Batch::default();
    for (k, _, w) in counter_diffs(l, &want.counts, &mut report) {
        if w == 0 {
            b.remove(k);
        } else {
            b.insert(k, &w.to_be_bytes());
        }
        out.counters_fixed += 1;
    }
    l.tree(TreeName::Counters).apply_batch(b)?;
    l.sync()?;
    Ok(out)
}

/// Walks every tree once and compares.
pub fn check(store: &Store) -> Report {
    check_with(store, &|_, _| {})
}

/// [`check`], calling `progress(records read, records in all)` as it walks the records (in
/// this process; through a server the server checks and nothing is reported until the end).
pub fn check_with(store: &Store, progress: &dyn Fn(u64, u64)) -> Report {
    match store.local() {
        Some(l) => check_local(store, l, progress),
        None => store.remote_check(),
    }
}

/// [`check`] of the database in this process, in memory bounded by what is wrong (not by the
/// number of records): records are walked once, one at a time; indexes are compared by digest;
/// a reference is looked up once per record it names (see [`super::check_walk`]).
pub(crate) fn check_local(store: &Store, l: &Local, progress: &dyn Fn(u64, u64)) -> Report {
    let mut report = Report::default();
    // The index trees are digested by a thread of their own while the records are walked.
    let (
        Expected {
            index: expected_index,
            counts: expected_counts,
            mut walked,
            records,
            unreadable,
            dangling,
        },
        index_digests,
    ) = std::thread::scope(|s| {
        let digests = s.spawn(|| index_digests(l));
        let expected = expected(l, progress, true);
        let digests = digests.join().unwrap_or_default();
        (expected, digests)
    });
    report.records = records;
    report.problems.extend(unreadable.into_iter().map(worded));
    walked.insert(TreeName::Audit, l.tree_len(TreeName::Audit) as u64);
    let acked = l.acknowledged();
    for t in super::recovery::counted_trees() {
        let have = walked.get(&t).copied().unwrap_or(0);
        let want = acked.counts.get(t.name()).copied().unwrap_or(0);
        if have < want {
            report.problems.push(problem(
                t.name(),
                b"",
                Text::new(
                    format!(
                        "記録が {have} 件しかありません。最後に確定した書き込み(#{})の時点では {want} 件ありました: 記録が失われています。`kyodo --db {} restore --latest` で最新のバックアップを復元してください",
                        acked.seq,
                        store.path().display()
                    ),
                    format!(
                        "holds {have} records, but {want} were there at the last acknowledged write (#{}): records are lost; restore the latest backup with `kyodo --db {} restore --latest`",
                        acked.seq,
                        store.path().display()
                    ),
                ),
            ));
        } else if have > want {
            report.problems.push(problem(
                t.name(),
                b"",
                Text::new(
                    format!("記録が {have} 件あり、kyodo が数えた {want} 件より多くなっています: kyodo の外からデータベースに書き込まれています"),
                    format!("holds {have} records, more than the {want} kyodo counted: something wrote to the database outside kyodo"),
                ),
            ));
        }
    }
    for &tree in INDEXES {
        let have = index_digests
            .get(&tree)
            .copied()
            .unwrap_or_else(Digest::unreadable);
        if have == expected_index.get(&tree).copied().unwrap_or_default() {
            continue;
        }
        for d in index_diffs(l, tree, &mut report) {
            report.problems.push(match d {
                IndexDiff::Stale(k) => problem(
                    tree.name(),
                    &k,
                    Text::new(
                        "記録のない索引項目です(または日付が古いままです)",
                        "index entry without its record (or with a stale date)",
                    ),
                ),
                IndexDiff::Missing(k) => problem(
                    tree.name(),
                    &k,
                    Text::new(
                        "索引に載っていない記録です",
                        "record missing from the index",
                    ),
                ),
            });
        }
    }
    for (k, have, want) in counter_diffs(l, &expected_counts, &mut report) {
        let Some(have) = have else {
            let len = l
                .tree(TreeName::Counters)
                .get(&k)
                .ok()
                .flatten()
                .map_or(0, |v| v.len());
            report.problems.push(problem(
                "counters",
                &k,
                Text::new(
                    format!("値が {len} バイトです(8 バイトのはずです)"),
                    format!("value is {len} bytes, expected 8"),
                ),
            ));
            if want != 0 {
                report.problems.push(problem(
                    "counters",
                    &k,
                    Text::new(
                        format!("件数が 0 ですが、記録を数え直すと {want} です"),
                        format!("counter is 0, a recount of the records gives {want}"),
                    ),
                ));
            }
            continue;
        };
        report.problems.push(problem(
            "counters",
            &k,
            Text::new(
                format!("件数が {have} ですが、記録を数え直すと {want} です"),
                format!("counter is {have}, a recount of the records gives {want}"),
            ),
        ));
    }
    report.problems.extend(dangling.into_iter().map(worded));
    for (tree, key, message) in super::check_rules::rules(store) {
        report.problems.push(problem(tree, &key, message));
    }
    for message in store.verify_audit_chain() {
        report.problems.push(Problem {
            tree: "audit".into(),
            key: String::new(),
            message,
        });
    }
    report
}
