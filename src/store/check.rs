//! `kyodo check`: verifies what the store keeps beside the records. Every index entry has its
//! record and every record its index entries; every counter equals a recount from the records;
//! every reference points at an existing record; grants keep paid ≤ decided and
//! confirmed ≤ decided (docs/DOMAIN.md, "Grant invariants"); the audit chain is unbroken.

use super::records::{RefKind, stored_fn};
use super::{Local, Store, TreeName, keys};
use crate::domain::{Disbursement, Grant, SubsidyProgram, Text};
use std::collections::{BTreeMap, BTreeSet};
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

/// What the records say the derived trees should hold.
struct Expected {
    index: BTreeMap<TreeName, BTreeSet<Vec<u8>>>,
    counts: BTreeMap<Vec<u8>, i64>,
    /// Entries found in each record tree (readable or not).
    walked: BTreeMap<TreeName, u64>,
}

/// The date index trees.
const INDEXES: &[TreeName] = TreeName::DATE_INDEXES;

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
        Some(l) => repair_local(store, l),
        None => store.remote_repair(),
    }
}

pub(crate) fn repair_local(store: &Store, l: &Local) -> Result<Repair, super::StoreError> {
    let mut report = Report::default();
    let want = expected(l, &mut report, &mut Vec::new(), &mut BTreeMap::new());
    let mut out = Repair::default();
    for &tree in INDEXES {
        let expect = want.index.get(&tree).cloned().unwrap_or_default();
        let have: BTreeSet<Vec<u8>> = store.tree_keys(tree).into_iter().collect();
        let mut b = sled::Batch::default();
        for k in have.difference(&expect) {
            b.remove(k.as_slice());
            out.index_removed += 1;
        }
        for k in expect.difference(&have) {
            b.insert(k.as_slice(), &[][..]);
            out.index_added += 1;
        }
        l.tree(tree).apply_batch(b)?;
    }
    let counters = l.tree(TreeName::Counters);
    let mut have: BTreeMap<Vec<u8>, Option<i64>> = BTreeMap::new();
    for kv in super::guard::walk("counters", counters.iter(), false) {
        let (k, v) = kv?;
        have.insert(
            k.to_vec(),
            v.as_ref().try_into().ok().map(i64::from_be_bytes),
        );
    }
    let mut b = sled::Batch::default();
    for (k, v) in &have {
        let want_v = want.counts.get(k).copied().unwrap_or(0);
        if *v != Some(want_v) {
            if want_v == 0 {
                b.remove(k.as_slice());
            } else {
                b.insert(k.as_slice(), &want_v.to_be_bytes());
            }
            out.counters_fixed += 1;
        }
    }
    for (k, v) in &want.counts {
        if !have.contains_key(k) && *v != 0 {
            b.insert(k.as_slice(), &v.to_be_bytes());
            out.counters_fixed += 1;
        }
    }
    counters.apply_batch(b)?;
    store.sync()?;
    Ok(out)
}

/// Decodes every record once: the index keys and counter values they imply, their references
/// and ids (decode failures go into `report`).
fn expected(
    l: &Local,
    report: &mut Report,
    refs: &mut Vec<(RefKind, u64, TreeName, Vec<u8>)>,
    ids: &mut BTreeMap<TreeName, BTreeSet<u64>>,
) -> Expected {
    let mut expected_index: BTreeMap<TreeName, BTreeSet<Vec<u8>>> = BTreeMap::new();
    let mut expected_counts: BTreeMap<Vec<u8>, i64> = BTreeMap::new();
    let mut walked: BTreeMap<TreeName, u64> = BTreeMap::new();
    for &tree in TreeName::ALL {
        let Some(decode) = stored_fn(tree) else {
            continue;
        };
        for kv in super::guard::walk(tree.name(), l.tree(tree).iter(), false) {
            let (k, v) = match kv {
                Ok(kv) => kv,
                Err(e) => {
                    report.problems.push(problem(tree.name(), b"", said(&e)));
                    continue;
                }
            };
            *walked.entry(tree).or_default() += 1;
            match decode(&v, &k) {
                Ok((eff, _)) => {
                    report.records += 1;
                    if let Some(id) = keys::parse_id(&k) {
                        ids.entry(tree).or_default().insert(id);
                    }
                    for (t, key) in eff.index {
                        expected_index.entry(t).or_default().insert(key);
                    }
                    for (key, d) in eff.counts {
                        *expected_counts.entry(key).or_default() += d;
                    }
                    for (kind, id) in eff.refs {
                        if id != 0 {
                            refs.push((kind, id, tree, k.to_vec()));
                        }
                    }
                }
                Err(e) => report.problems.push(problem(
                    tree.name(),
                    &k,
                    Text::new(format!("読めない記録です: {e}"), e.to_string()),
                )),
            }
        }
    }
    Expected {
        index: expected_index,
        counts: expected_counts,
        walked,
    }
}

/// Walks every tree once and compares.
pub fn check(store: &Store) -> Report {
    match store.local() {
        Some(l) => check_local(store, l),
        None => store.remote_check(),
    }
}

pub(crate) fn check_local(store: &Store, l: &Local) -> Report {
    let mut report = Report::default();
    let mut refs: Vec<(RefKind, u64, TreeName, Vec<u8>)> = Vec::new();
    let mut ids: BTreeMap<TreeName, BTreeSet<u64>> = BTreeMap::new();
    let Expected {
        index: mut expected_index,
        counts: expected_counts,
        mut walked,
    } = expected(l, &mut report, &mut refs, &mut ids);
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
        let want = expected_index.remove(&tree).unwrap_or_default();
        let have: BTreeSet<Vec<u8>> = store.tree_keys(tree).into_iter().collect();
        for k in have.difference(&want) {
            report.problems.push(problem(
                tree.name(),
                k,
                Text::new(
                    "記録のない索引項目です(または日付が古いままです)",
                    "index entry without its record (or with a stale date)",
                ),
            ));
        }
        for k in want.difference(&have) {
            report.problems.push(problem(
                tree.name(),
                k,
                Text::new(
                    "索引に載っていない記録です",
                    "record missing from the index",
                ),
            ));
        }
    }
    let mut have_counts: BTreeMap<Vec<u8>, i64> = BTreeMap::new();
    for kv in super::guard::walk("counters", l.tree(TreeName::Counters).iter(), false).flatten() {
        let v = kv.1.as_ref().try_into().map(i64::from_be_bytes);
        match v {
            Ok(n) => {
                have_counts.insert(kv.0.to_vec(), n);
            }
            Err(_) => report.problems.push(problem(
                "counters",
                &kv.0,
                Text::new(
                    format!("値が {} バイトです(8 バイトのはずです)", kv.1.len()),
                    format!("value is {} bytes, expected 8", kv.1.len()),
                ),
            )),
        }
    }
    let all_keys: BTreeSet<&Vec<u8>> = have_counts.keys().chain(expected_counts.keys()).collect();
    for k in all_keys {
        let have = have_counts.get(k).copied().unwrap_or(0);
        let want = expected_counts.get(k).copied().unwrap_or(0);
        if have != want {
            report.problems.push(problem(
                "counters",
                k,
                Text::new(
                    format!("件数が {have} ですが、記録を数え直すと {want} です"),
                    format!("counter is {have}, a recount of the records gives {want}"),
                ),
            ));
        }
    }
    for (kind, id, from, key) in refs {
        let target = super::records::tree_of_ref(kind);
        if !target
            .and_then(|t| ids.get(&t))
            .is_some_and(|s| s.contains(&id))
        {
            report.problems.push(problem(
                from.name(),
                &key,
                Text::new(
                    format!("存在しない {} {id} を参照しています", kind.name()),
                    format!("refers to {} {id}, which does not exist", kind.name()),
                ),
            ));
        }
    }
    let pays = store.list::<Disbursement>().items;
    let grants = store.list::<Grant>().items;
    for g in &grants {
        let mine: Vec<&Disbursement> = pays.iter().filter(|p| p.grant_id == g.id).collect();
        for t in crate::domain::grant::invariants(g, &mine) {
            report
                .problems
                .push(problem("grants", &keys::id_key(g.id), t));
        }
    }
    for p in store.list::<SubsidyProgram>().items {
        let decided: i64 = grants
            .iter()
            .filter(|g| g.program_id == p.id)
            .filter_map(|g| g.decided_amount)
            .sum();
        if let Some(t) = crate::domain::grant::budget_problem(&p, decided) {
            report
                .problems
                .push(problem("subsidy_programs", &keys::id_key(p.id), t));
        }
    }
    // Rules a record must keep that were not checked when it was written (seed 003 第2章 4:
    // a body cannot manage its 市民センター before it exists).
    for b in store.list::<crate::domain::Body>().items {
        if let Some(since) = b
            .citizen_center
            .as_ref()
            .and_then(|c| c.designated_manager_since)
            && since < b.established_on
        {
            let why = crate::domain::fields::designated_before_founding(b.established_on);
            report.problems.push(problem(
                "bodies",
                &keys::id_key(b.id),
                Text::new(
                    format!("{} 指定管理開始 {since}: {}", b.name, why.ja),
                    format!("{} designated manager since {since}: {}", b.name, why.en),
                ),
            ));
        }
    }
    // 指定管理の期間: none before its manager's founding, none overlapping (issue 18.4).
    let founded: std::collections::BTreeMap<u64, chrono::NaiveDate> = store
        .list::<crate::domain::Body>()
        .items
        .into_iter()
        .map(|b| (b.id, b.established_on))
        .collect();
    let terms = store
        .list::<crate::domain::designation::DesignationTerm>()
        .items;
    for (id, t) in crate::domain::designation::problems(&terms, &|b| founded.get(&b).copied()) {
        report
            .problems
            .push(problem("designation_terms", &keys::id_key(id), t));
    }
    // A grant under a multi-year award within its years and caps (issue 18.2).
    let awards = store.list::<crate::domain::award::Award>().items;
    if !awards.is_empty() {
        let programs = store.list::<crate::domain::SubsidyProgram>().items;
        let grants = store.list::<crate::domain::Grant>().items;
        for (id, t) in crate::domain::award::problems(&awards, &programs, &grants) {
            report
                .problems
                .push(problem("grants", &keys::id_key(id), t));
        }
    }
    // 協働事業評価 in its order: no stage without the one it follows (issue 19.2).
    let evals = store
        .list::<crate::domain::project_evaluation::ProjectEvaluation>()
        .items;
    if !evals.is_empty() {
        let projects = store
            .list::<crate::domain::collaboration_project::CollaborationProject>()
            .items;
        let number = |id: u64| {
            projects
                .iter()
                .find(|p| p.id == id)
                .map_or_else(|| id.to_string(), |p| p.number.clone())
        };
        for (id, t) in crate::domain::project_evaluation::problems(&evals, &number) {
            report
                .problems
                .push(problem("project_evaluations", &keys::id_key(id), t));
        }
    }
    // 研修: no ステップアップ before the same person's 基礎 (issue 19.4).
    let trainings = store.list::<crate::domain::training::Training>().items;
    if !trainings.is_empty() {
        let staff = store.list::<crate::domain::Staff>().items;
        let name = |id: u64| {
            staff
                .iter()
                .find(|s| s.id == id)
                .map_or_else(|| id.to_string(), |s| s.name.clone())
        };
        for (id, t) in crate::domain::training::problems(&trainings, &name) {
            report
                .problems
                .push(problem("trainings", &keys::id_key(id), t));
        }
    }
    // A result must be of an action of its plan (plan name and number; issue 16.2).
    let actions = store.list::<crate::domain::PlanAction>().items;
    for r in store
        .list::<crate::domain::action_result::ActionResult>()
        .items
    {
        if !actions
            .iter()
            .any(|a| a.plan == r.plan && a.number == r.number)
        {
            report.problems.push(problem(
                "action_results",
                &keys::id_key(r.id),
                Text::new(
                    format!(
                        "{} の事業 {} の実績ですが、その事業がありません",
                        r.plan, r.number
                    ),
                    format!(
                        "a result of action {} of {}, which has no such action",
                        r.number, r.plan
                    ),
                ),
            ));
        }
    }
    // An action's period is its plan's, where the plan is a record (issue 16.1).
    let plans = store.list::<crate::domain::plan_record::Plan>().items;
    for a in &actions {
        if let Some(p) = plans.iter().find(|p| p.name == a.plan)
            && (p.start, p.end) != (a.plan_start, a.plan_end)
        {
            report.problems.push(problem(
                "plan_actions",
                &keys::id_key(a.id),
                Text::new(
                    format!(
                        "{} の事業 {} の期間 {}〜{} が計画の期間 {}〜{} と違います",
                        a.plan,
                        a.number,
                        a.plan_start.ja_label(),
                        a.plan_end.ja_label(),
                        p.start.ja_label(),
                        p.end.ja_label()
                    ),
                    format!(
                        "action {} of {} runs {}–{}, but the plan runs {}–{}",
                        a.number, a.plan, a.plan_start, a.plan_end, p.start, p.end
                    ),
                ),
            ));
        }
    }
    // An opinion is of a meeting of its plan, and of an action of that plan (issue 16.4).
    let meetings = store
        .list::<crate::domain::committee_meeting::CommitteeMeeting>()
        .items;
    for o in store
        .list::<crate::domain::committee_opinion::CommitteeOpinion>()
        .items
    {
        let key = keys::id_key(o.id);
        if !meetings
            .iter()
            .any(|m| m.plan == o.plan && m.date == o.meeting_date)
        {
            report.problems.push(problem(
                "committee_opinions",
                &key,
                Text::new(
                    format!(
                        "{} の {} の会議の意見ですが、その会議がありません",
                        o.plan, o.meeting_date
                    ),
                    format!(
                        "an opinion of the {} meeting of {}, which has no such meeting",
                        o.meeting_date, o.plan
                    ),
                ),
            ));
        }
        if let Some(n) = o.action
            && !actions.iter().any(|a| a.plan == o.plan && a.number == n)
        {
            report.problems.push(problem(
                "committee_opinions",
                &key,
                Text::new(
                    format!("{} の事業 {n} への意見ですが、その事業がありません", o.plan),
                    format!(
                        "an opinion on action {n} of {}, which has no such action",
                        o.plan
                    ),
                ),
            ));
        }
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
