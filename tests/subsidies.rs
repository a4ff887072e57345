//! Subsidies: allocation examples computed by hand, the rate rule across years, property tests of
//! the grant lifecycle against the store, ledger totals, and the ledger CSV in every encoding.

mod common;

use chrono::NaiveDate;
use common::{demo_store, empty_store};
use kyodo::app::subsidy::{LedgerData, PreviewState, apply_preview, run_step};
use kyodo::cli::Format;
use kyodo::domain::grant::{Step, invariants};
use kyodo::domain::*;
use kyodo::i18n::Lang;
use kyodo::io::encoding::Encoding;
use kyodo::store::{Batch, Store, TreeName};
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn program_id(store: &Store, name: &str, fy: i32) -> u64 {
    store
        .list::<SubsidyProgram>()
        .items
        .into_iter()
        .find(|p| p.name == name && p.fiscal_year == FiscalYear(fy))
        .unwrap()
        .id
}

#[test]
fn formula_preview_on_the_demo_matches_a_hand_computation() {
    let (_d, store) = demo_store();
    let st = PreviewState::load(&store, program_id(&store, "地域づくり交付金", 2024)).unwrap();
    assert_eq!(st.preview.counts_date, Some(d(2024, 4, 1)));
    assert_eq!(
        st.preview.rows.len(),
        33,
        "every body established by April 1"
    );
    // 一関: counts of 2024-04-01 from body_counts.csv, by hand:
    // 1,500,000 + 1,000 × households + 200 × population, rounded down to 1,000.
    let ichi = store
        .list::<Body>()
        .items
        .into_iter()
        .find(|b| b.name == "一関地区まちづくり協議会")
        .unwrap();
    let c = store
        .list::<BodyCount>()
        .items
        .into_iter()
        .find(|c| c.body_id == ichi.id && c.as_of == d(2024, 4, 1))
        .unwrap();
    let raw = 1_500_000 + 1_000 * c.households as i64 + 200 * c.population as i64;
    let row = st
        .preview
        .rows
        .iter()
        .find(|r| r.body_id == ichi.id)
        .unwrap();
    assert_eq!(
        (row.input.households, row.input.population),
        (c.households, c.population)
    );
    assert_eq!(row.amount, raw / 1_000 * 1_000);
    assert_eq!(
        st.preview.total,
        st.preview.rows.iter().map(|r| r.amount).sum::<i64>()
    );
    assert_eq!(st.preview.over_budget, 0);
}

#[test]
fn rate_rule_across_project_years_on_the_demo() {
    let (_d, store) = demo_store();
    let st = PreviewState::load(
        &store,
        program_id(&store, "地域づくりモデル事業交付金", 2023),
    )
    .unwrap();
    let mut got: Vec<(i64, u32, i64)> = st
        .preview
        .rows
        .iter()
        .map(|r| (r.input.eligible_cost, r.input.project_year, r.amount))
        .collect();
    got.sort();
    // Year 1: 1,200,000 × 2/3 = 800,000; year 2: 900,000 × 1/2 = 450,000;
    // year 3: 1,800,000 × 1/3 = 600,000 (all under the 1,000,000 cap).
    assert_eq!(
        got,
        vec![
            (900_000, 2, 450_000),
            (1_200_000, 1, 800_000),
            (1_800_000, 3, 600_000)
        ]
    );
}

#[test]
fn applying_a_preview_decides_every_grant_in_one_write_and_respects_the_budget() {
    let (_d, store) = demo_store();
    let pid = program_id(&store, "地域づくり交付金", 2024);
    let mut st = PreviewState::load(&store, pid).unwrap();
    // Over budget without a reason: refused, nothing written.
    st.program.budget = st.preview.total - 1;
    st.recompute();
    let audit = store.tree_len(TreeName::Audit);
    let e = apply_preview(&store, &st, d(2024, 5, 1)).unwrap_err();
    assert!(e.en.contains("exceeds the budget"), "{e}");
    assert_eq!(store.tree_len(TreeName::Audit), audit);
    let st = PreviewState::load(&store, pid).unwrap();
    assert_eq!(apply_preview(&store, &st, d(2024, 5, 1)).unwrap(), 33);
    assert_eq!(
        store.tree_len(TreeName::Audit),
        audit + 33,
        "one audit entry per grant, one transaction"
    );
    let data = LedgerData::load(&store).unwrap();
    let rows = data.rows(Some(FiscalYear(2024)), Some("地域づくり交付金"));
    assert_eq!(rows.len(), 33);
    assert_eq!(
        rows.iter().map(|r| r.money.decided).sum::<i64>(),
        st.preview.total
    );
    // Applying again adds nothing (every body has its grant).
    let again = PreviewState::load(&store, pid).unwrap();
    assert_eq!(apply_preview(&store, &again, d(2024, 5, 2)).unwrap(), 0);
    assert!(kyodo::store::check::check(&store).problems.is_empty());
}

#[test]
fn ledger_totals_equal_the_sum_of_disbursements() {
    let (_d, store) = demo_store();
    let data = LedgerData::load(&store).unwrap();
    for fy in [2022, 2023] {
        let rows = data.rows(Some(FiscalYear(fy)), None);
        let ids: Vec<u64> = rows.iter().map(|r| r.grant_id).collect();
        let pays: Vec<&Disbursement> = data
            .payments
            .iter()
            .filter(|p| ids.contains(&p.grant_id))
            .collect();
        assert_eq!(
            rows.iter().map(|r| r.money.paid).sum::<i64>(),
            paid_out(pays.iter().copied())
        );
        assert_eq!(
            rows.iter().map(|r| r.money.refunded).sum::<i64>(),
            refunded(pays.iter().copied())
        );
        assert_eq!(
            rows.iter()
                .map(|r| r.money.paid - r.money.refunded)
                .sum::<i64>(),
            net_paid(pays.iter().copied())
        );
    }
}

/// (program, body, decided, paid, refunded, confirmed, refund due, settlement due)
type CsvRow = (String, String, i64, i64, i64, Option<i64>, i64, i64);

#[test]
fn ledger_csv_reads_back_equal_in_every_encoding() {
    let (_d, store) = demo_store();
    let data = LedgerData::load(&store).unwrap();
    let rows = data.rows(Some(FiscalYear(2023)), None);
    for enc in [Encoding::Utf8, Encoding::Utf8Bom, Encoding::Cp932] {
        let text = kyodo::cli::report::subsidies(
            &store,
            FiscalYear(2023),
            None,
            Format::Csv,
            enc,
            Lang::Ja,
        )
        .unwrap();
        let bytes = kyodo::io::encoding::encode(enc, &text).unwrap();
        if enc == Encoding::Utf8Bom {
            assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        }
        if enc == Encoding::Cp932 {
            assert!(
                std::str::from_utf8(&bytes).is_err(),
                "really CP932, not UTF-8"
            );
        }
        let back = kyodo::io::encoding::decode(&bytes).unwrap();
        let mut r = csv::Reader::from_reader(back.as_bytes());
        let got: Vec<CsvRow> = r
            .records()
            .map(|rec| {
                let rec = rec.unwrap();
                let n = |i: usize| rec[i].parse::<i64>().unwrap();
                let c = (!rec[6].is_empty()).then(|| n(6));
                (
                    rec[0].to_string(),
                    rec[2].to_string(),
                    n(3),
                    n(4),
                    n(5),
                    c,
                    n(7),
                    n(8),
                )
            })
            .collect();
        let want: Vec<_> = rows
            .iter()
            .map(|r| {
                let m = r.money;
                (
                    r.program.clone(),
                    r.body.clone(),
                    m.decided,
                    m.paid,
                    m.refunded,
                    m.confirmed,
                    m.refund_due,
                    m.settlement_due,
                )
            })
            .collect();
        assert_eq!(got, want, "{enc:?}");
    }
}

#[test]
fn cp932_names_the_record_and_field_it_cannot_write() {
    let (_d, store) = demo_store();
    let mut b = store
        .list::<Body>()
        .items
        .into_iter()
        .find(|b| b.name == "一関地区まちづくり協議会")
        .unwrap();
    b.name = "𠮷田地区まちづくり協議会".into();
    store.insert(b).unwrap();
    let e = kyodo::cli::report::subsidies(
        &store,
        FiscalYear(2023),
        None,
        Format::Csv,
        Encoding::Cp932,
        Lang::En,
    )
    .unwrap_err();
    assert!(
        e.en.contains("(𠮷田地区まちづくり協議会), field 'recipient'") && e.en.contains("U+20BB7"),
        "{e}"
    );
    assert!(
        kyodo::cli::report::subsidies(
            &store,
            FiscalYear(2023),
            None,
            Format::Csv,
            Encoding::Utf8Bom,
            Lang::En
        )
        .is_ok()
    );
}

/// A store with one body, one program (budget 5,000,000) and one application of 1,000,000.
fn lifecycle_store() -> (tempfile::TempDir, Store, u64) {
    let (dir, store) = empty_store();
    let mut b = Batch::new();
    b.put(Body {
        id: 1,
        name: "試験地区".into(),
        kana: "しけん".into(),
        district: "花泉".into(),
        branch_office: "花泉支所".into(),
        established_on: d(2015, 4, 1),
        dissolved_on: None,
        households: 100,
        population: 250,
        counts_as_of: None,
        citizen_center: None,
        community_plan: None,
        area_km2: None,
    });
    b.put(SubsidyProgram {
        id: 2,
        name: "交付金".into(),
        fiscal_year: FiscalYear(2024),
        budget: 5_000_000,
        rule: AllocationRule::Fixed { amount: 1_000_000 },
        over_budget_reason: None,
        report_due: Default::default(),
        award_terms: None,
    });
    b.put(Grant {
        id: 3,
        program_id: 2,
        recipient: Recipient::Body(1),
        applied_amount: 1_000_000,
        applied_on: d(2024, 4, 10),
        eligible_cost: None,
        project_year: None,
        decided_amount: None,
        decided_on: None,
        reported_on: None,
        confirmed_amount: None,
        confirmed_on: None,
        closed_on: None,
        state: GrantState::Applied,
        project_end: None,
        award: None,
    });
    store.write(b).unwrap();
    (dir, store, 3)
}

fn step_strategy() -> impl Strategy<Value = (bool, u8, i64, i64)> {
    // (take a step allowed now?, which step, amount in thousands up to 7,000,000 yen, days
    // after 2024-04-01). Mostly allowed steps, so sequences get deep into the lifecycle.
    (
        proptest::bool::weighted(0.75),
        0u8..7,
        0i64..7_000,
        0i64..400,
    )
}

fn snapshot(store: &Store) -> (Vec<Grant>, Vec<Disbursement>, usize, Vec<Vec<u8>>) {
    (
        store.list::<Grant>().items,
        store.list::<Disbursement>().items,
        store.tree_len(TreeName::Audit),
        store.tree_keys(TreeName::Counters),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    /// Random sequences of lifecycle steps and payments: every accepted step keeps every
    /// invariant (checked by the domain and by `kyodo check`), every refused step leaves the
    /// store exactly as it was.
    #[test]
    fn lifecycle_never_breaks_an_invariant(steps in proptest::collection::vec(step_strategy(), 1..14)) {
        let (_dir, store, gid) = lifecycle_store();
        for (allowed, k, amount, days) in steps {
            let on = d(2024, 4, 1) + chrono::Duration::days(days);
            let amount = amount * 1_000;
            let g: Grant = store.get_id(gid).unwrap().unwrap();
            let pays = store.list::<Disbursement>().items;
            let refs: Vec<&Disbursement> = pays.iter().collect();
            let next = kyodo::domain::grant::next_steps(&g, &refs);
            let kind = if allowed && !next.is_empty() {
                next[k as usize % next.len()]
            } else {
                kyodo::domain::grant::StepKind::ALL[k as usize % 7]
            };
            use kyodo::domain::grant::StepKind as K;
            let step = match kind {
                K::Decide => Step::Decide(on, amount),
                K::Advance => Step::Advance(on, amount),
                K::Report => Step::Report(on),
                K::Confirm => Step::Confirm(on, amount),
                K::Settle => Step::Settle(on),
                K::Refund => Step::Refund(on),
                K::Close => Step::Close(on),
            };
            let before = snapshot(&store);
            match run_step(&store, gid, step, "") {
                Ok(()) => {
                    let g: Grant = store.get_id(gid).unwrap().unwrap();
                    let pays = store.list::<Disbursement>().items;
                    let refs: Vec<&Disbursement> = pays.iter().collect();
                    prop_assert!(invariants(&g, &refs).is_empty(), "{:?}", invariants(&g, &refs));
                    let m = money(&g, &refs);
                    prop_assert!(m.paid <= m.decided);
                    if let Some(c) = m.confirmed {
                        prop_assert!(c <= m.decided);
                    }
                }
                Err(_) => prop_assert_eq!(snapshot(&store), before, "a refused step changed the store"),
            }
            let report = kyodo::store::check::check(&store);
            prop_assert!(report.problems.is_empty(), "{:?}", report.problems);
        }
    }
}

/// The biased sequences do reach the end of the lifecycle: a fixed walk through every step.
#[test]
fn a_full_walk_through_the_lifecycle_via_the_store() {
    let (_dir, store, gid) = lifecycle_store();
    for s in [
        Step::Decide(d(2024, 5, 1), 1_000_000),
        Step::Advance(d(2024, 5, 20), 600_000),
        Step::Advance(d(2024, 6, 20), 300_000),
        Step::Report(d(2025, 4, 20)),
        Step::Confirm(d(2025, 5, 10), 950_000),
        Step::Settle(d(2025, 5, 31)),
        Step::Close(d(2025, 6, 30)),
    ] {
        run_step(&store, gid, s, "").unwrap();
    }
    let g: Grant = store.get_id(gid).unwrap().unwrap();
    assert_eq!(g.state, GrantState::Closed);
    let pays = store.list::<Disbursement>().items;
    assert_eq!(
        pays.iter().map(|p| (p.kind, p.amount)).collect::<Vec<_>>(),
        vec![
            (DisbursementKind::Advance, 600_000),
            (DisbursementKind::Advance, 300_000),
            (DisbursementKind::Settlement, 50_000),
        ]
    );
    assert!(kyodo::store::check::check(&store).problems.is_empty());
}

/// Issue 14.7: at 80 columns the preview shows its whole counts date (it used to be cut at
/// the end of the rule's line), in both languages.
#[test]
fn the_preview_shows_its_counts_date_whole_at_80_columns() {
    use kyodo::tui::{preview_view::draw_preview, theme::Theme};
    use ratatui::{Terminal, backend::TestBackend};
    let (_dir, store) = demo_store();
    let st = PreviewState::load(&store, program_id(&store, "地域づくり交付金", 2024)).unwrap();
    for (lang, want) in [
        (Lang::Ja, "基準日 2024/04/01"),
        (Lang::En, "As of 2024-04-01"),
    ] {
        let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
        term.draw(|f| draw_preview(f, lang, &st, Theme { color: false }, f.area()))
            .unwrap();
        let buf = term.backend().buffer();
        let mut screen = String::new();
        for y in 0..24 {
            let mut x = 0;
            while x < 80 {
                let sym = buf[(x, y)].symbol();
                screen.push_str(sym);
                x += unicode_width::UnicodeWidthStr::width(sym).max(1) as u16;
            }
            screen.push('\n');
        }
        assert!(screen.contains(want), "{lang:?}:\n{screen}");
    }
}
