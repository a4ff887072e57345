//! A database written before a record type gained a field (its stored layout is older) is
//! brought forward when it is opened, in place and once, and reads as before (issue 17: the
//! program's 実績報告の期限 and the grant's 事業完了日 are layout 2).

mod common;
use common::*;
use kyodo::domain::*;
use kyodo::store::codec;
use serde::Serialize;

/// [`Grant`] as kyodo stored it before layout 2 (same fields, same order).
#[derive(Serialize)]
struct GrantV1 {
    id: u64,
    program_id: u64,
    body_id: u64,
    applied_amount: i64,
    applied_on: chrono::NaiveDate,
    eligible_cost: Option<i64>,
    project_year: Option<u32>,
    decided_amount: Option<i64>,
    decided_on: Option<chrono::NaiveDate>,
    reported_on: Option<chrono::NaiveDate>,
    confirmed_amount: Option<i64>,
    confirmed_on: Option<chrono::NaiveDate>,
    closed_on: Option<chrono::NaiveDate>,
    state: GrantState,
}

#[derive(Serialize)]
struct ProgramV1 {
    id: u64,
    name: String,
    fiscal_year: FiscalYear,
    budget: i64,
    rule: AllocationRule,
    over_budget_reason: Option<String>,
}

/// [`Body`] as kyodo stored it before layout 2 (issue 18.3 added its area).
#[derive(Serialize)]
struct BodyV1 {
    id: u64,
    name: String,
    kana: String,
    district: String,
    branch_office: String,
    established_on: chrono::NaiveDate,
    dissolved_on: Option<chrono::NaiveDate>,
    households: u32,
    population: u32,
    counts_as_of: Option<chrono::NaiveDate>,
    citizen_center: Option<CitizenCenter>,
    community_plan: Option<CommunityPlan>,
}

/// Rewrites the demo's programs and grants as layout 1 and marks the database schema 3, as a
/// kyodo of stop 25 left it.
fn make_old(db: &std::path::Path) {
    let s = sled::open(db).unwrap();
    let grants = s.open_tree("grants").unwrap();
    for kv in grants.iter() {
        let (k, v) = kv.unwrap();
        let g: Grant = codec::decode(&v).unwrap();
        assert!(g.project_end.is_none() || g.state != GrantState::Applied);
        // Layout 1 knew bodies only: a 自治会's grant stays as layout 3 holds it.
        let Some(body_id) = g.recipient.body() else {
            continue;
        };
        let old = GrantV1 {
            id: g.id,
            program_id: g.program_id,
            body_id,
            applied_amount: g.applied_amount,
            applied_on: g.applied_on,
            eligible_cost: g.eligible_cost,
            project_year: g.project_year,
            decided_amount: g.decided_amount,
            decided_on: g.decided_on,
            reported_on: g.reported_on,
            confirmed_amount: g.confirmed_amount,
            confirmed_on: g.confirmed_on,
            closed_on: g.closed_on,
            state: g.state,
        };
        grants.insert(k, codec::encode(&old).unwrap()).unwrap();
    }
    let programs = s.open_tree("subsidy_programs").unwrap();
    for kv in programs.iter() {
        let (k, v) = kv.unwrap();
        let p: SubsidyProgram = codec::decode(&v).unwrap();
        let old = ProgramV1 {
            id: p.id,
            name: p.name,
            fiscal_year: p.fiscal_year,
            budget: p.budget,
            rule: p.rule,
            over_budget_reason: p.over_budget_reason,
        };
        programs.insert(k, codec::encode(&old).unwrap()).unwrap();
    }
    let bodies = s.open_tree("bodies").unwrap();
    for kv in bodies.iter() {
        let (k, v) = kv.unwrap();
        let b: Body = codec::decode(&v).unwrap();
        let old = BodyV1 {
            id: b.id,
            name: b.name,
            kana: b.kana,
            district: b.district,
            branch_office: b.branch_office,
            established_on: b.established_on,
            dissolved_on: b.dissolved_on,
            households: b.households,
            population: b.population,
            counts_as_of: b.counts_as_of,
            citizen_center: b.citizen_center,
            community_plan: b.community_plan,
        };
        bodies.insert(k, codec::encode(&old).unwrap()).unwrap();
    }
    let meta = s.open_tree("meta").unwrap();
    meta.remove("layout/bodies").unwrap();
    meta.remove("layout/grants").unwrap();
    meta.remove("layout/subsidy_programs").unwrap();
    meta.insert("schema_version", &3u32.to_be_bytes()).unwrap();
    s.flush().unwrap();
}

#[test]
fn an_older_layout_is_brought_forward_once_and_reads_as_before() {
    let (_dir, db) = demo_db();
    let d = db.to_str().unwrap();
    // Without the new fields' values, so that layout 1 holds everything.
    let before_grants = kyodo_ok(&["--db", d, "export", "grants"]);
    let before_programs = kyodo_ok(&["--db", d, "export", "subsidy_programs"]);
    let before_bodies = kyodo_ok(&["--db", d, "export", "bodies"]);
    make_old(&db);
    {
        // The old layout no longer decodes as the new one: without the upgrade, kyodo would
        // refuse the database.
        let s = sled::open(&db).unwrap();
        let v = s
            .open_tree("grants")
            .unwrap()
            .iter()
            .next()
            .unwrap()
            .unwrap()
            .1;
        assert!(codec::decode::<Grant>(&v).is_err());
    }
    let first = kyodo_cmd().args(["--db", d, "check"]).output().unwrap();
    let err = String::from_utf8_lossy(&first.stderr);
    assert!(first.status.success(), "{err}");
    assert!(err.contains("forward to the new layout"), "{err}");
    // Everything but the new fields (the last columns), which layout 1 did not hold: a grant's
    // project_end and award, a program's report_due and multi-year terms.
    let old_columns = |csv: &str, n: usize| -> Vec<String> {
        csv.lines()
            .map(|l| {
                let mut l = l;
                for _ in 0..n {
                    l = l.rsplit_once(',').map_or(l, |(a, _)| a);
                }
                l.to_string()
            })
            .collect()
    };
    let after_grants = kyodo_ok(&["--db", d, "export", "grants"]);
    assert_eq!(
        old_columns(&after_grants, 2),
        old_columns(&before_grants, 2)
    );
    // (A grant to a 自治会 or organisation was written as layout 3 holds it.)
    assert!(
        after_grants
            .lines()
            .skip(1)
            .filter(|l| !l.starts_with("自治会等活動費総合補助金,")
                && !l.starts_with("協働人材育成事業助成金,"))
            .all(|l| l.ends_with(",,"))
    );
    let after_programs = kyodo_ok(&["--db", d, "export", "subsidy_programs"]);
    assert_eq!(
        old_columns(&after_programs, 5),
        old_columns(&before_programs, 5)
    );
    // A body keeps everything but its area, which layout 1 did not hold.
    let after_bodies = kyodo_ok(&["--db", d, "export", "bodies"]);
    assert_eq!(
        old_columns(&after_bodies, 1),
        old_columns(&before_bodies, 1)
    );
    assert!(after_bodies.lines().skip(1).all(|l| l.ends_with(',')));
    assert!(!before_bodies.lines().skip(1).any(|l| l.ends_with(',')));
    let again = kyodo_cmd().args(["--db", d, "check"]).output().unwrap();
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(!err.contains("layout"), "converted twice: {err}");
}
