//! 配分シナリオ (issue 18.3): a draft formula with 面積割 and 加算 computed by hand, set beside a
//! program's current amounts (decided grants, else the rule) without creating anything, in the
//! TUI's preview and as `kyodo report allocation … --format csv`.

mod common;

use chrono::NaiveDate;
use common::app::App;
use common::*;
use kyodo::app::data::Item;
use kyodo::app::{Action, Pane};
use kyodo::domain::designation::DesignationTerm;
use kyodo::domain::scenario::{Against, AllocationScenario, compare};
use kyodo::domain::*;
use kyodo::store::TreeName;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn draft() -> AllocationScenario {
    AllocationScenario {
        id: 1,
        name: "案".into(),
        fiscal_year: Some(FiscalYear(2024)),
        per_body: 1_000_000,
        per_household: 900,
        per_capita: 200,
        per_km2: 20_000,
        center_addition: 300_000,
        plan_addition: 100_000,
        floor: Some(2_500_000),
        cap: Some(4_000_000),
        round_unit: 1_000,
        counts_date: None,
        note: None,
    }
}

fn input(h: u32, p: u32, area: Option<i64>, center: bool, plan: bool) -> AllocationInput {
    AllocationInput {
        households: h,
        population: p,
        area_km2: area.map(Figure),
        runs_center: center,
        has_plan: plan,
        ..Default::default()
    }
}

#[test]
fn a_scenario_amount_is_the_formula_rounded_held_between_floor_and_cap_plus_its_additions() {
    let s = draft();
    // 1,000,000 + 900 × 846 + 200 × 2,176 + 20,000 × 50.11 km² = 3,198,800 → 3,198,000;
    // within 2,500,000..4,000,000; + 300,000 (centre) + 100,000 (plan) = 3,598,000.
    assert_eq!(
        s.amount(input(846, 2_176, Some(5_011), true, true)),
        3_598_000
    );
    // 1,000,000 + 90,000 + 50,000 = 1,140,000, no area: the floor, no addition.
    assert_eq!(s.amount(input(100, 250, None, false, false)), 2_500_000);
    // 1,000,000 + 4,500,000 + 2,400,000 + 200,000 = 8,100,000: the cap 4,000,000, and the
    // centre addition on top (the 加算 pay for a task, after the cap).
    assert_eq!(
        s.amount(input(5_000, 12_000, Some(1_000), true, false)),
        4_300_000
    );
    // The area part is rounded down to the yen: 333 × 0.01 km² = 3.33 → 3.
    let tiny = AllocationScenario {
        per_body: 0,
        per_household: 0,
        per_capita: 0,
        per_km2: 333,
        floor: None,
        cap: None,
        round_unit: 1,
        ..draft()
    };
    assert_eq!(tiny.amount(input(0, 0, Some(1), false, false)), 3);
    assert_eq!(tiny.amount(input(0, 0, Some(1), false, true)), 100_003);
}

fn body(id: u64, h: u32, p: u32, area: Option<i64>) -> Body {
    Body {
        id,
        name: format!("b{id}"),
        kana: format!("b{id}"),
        district: String::new(),
        branch_office: String::new(),
        established_on: d(2015, 4, 1),
        dissolved_on: None,
        households: h,
        population: p,
        counts_as_of: Some(d(2022, 4, 1)),
        citizen_center: Some(CitizenCenter {
            name: format!("c{id}"),
            designated_manager_since: None,
        }),
        community_plan: None,
        area_km2: area.map(Figure),
    }
}

#[test]
fn compare_sets_each_bodys_current_amount_beside_the_scenario_and_the_total_beside_the_budget() {
    let program = SubsidyProgram {
        id: 10,
        name: "交付金".into(),
        fiscal_year: FiscalYear(2024),
        budget: 10_000_000,
        rule: AllocationRule::Formula {
            per_body: 1_000_000,
            per_household: 1_000,
            per_capita: 0,
            round_unit: 1_000,
            counts_date: None,
            cap: None,
            floor: None,
        },
        over_budget_reason: None,
        report_due: Default::default(),
        award_terms: None,
    };
    // b1 runs its centre under a period in force on 2024-04-01 and has a plan covering FY2024;
    // b2's centre has no period recorded but its 指定管理開始日 is before; b3's only period ended
    // on 2024-03-31; b4 was dissolved before the counts date.
    let mut b1 = body(1, 2_000, 5_000, Some(4_000));
    b1.community_plan = Some(CommunityPlan {
        vision: "v".into(),
        period_start: FiscalYear(2022),
        period_end: FiscalYear(2026),
        last_revised: None,
    });
    let mut b2 = body(2, 500, 1_200, Some(1_000));
    b2.citizen_center.as_mut().unwrap().designated_manager_since = Some(d(2020, 4, 1));
    let b3 = body(3, 1_000, 2_500, None);
    let mut b4 = body(4, 800, 2_000, Some(900));
    b4.dissolved_on = Some(d(2024, 3, 31));
    let terms = vec![
        DesignationTerm {
            id: 20,
            center: "c1".into(),
            manager_body_id: 1,
            from: d(2021, 4, 1),
            to: d(2026, 3, 31),
            yearly_fee: 1,
        },
        DesignationTerm {
            id: 21,
            center: "c3".into(),
            manager_body_id: 3,
            from: d(2019, 4, 1),
            to: d(2024, 3, 31),
            yearly_fee: 1,
        },
    ];
    // b1's grant was decided at 3,100,000 (not what the rule gives): that is its current amount.
    let grant = Grant {
        id: 30,
        program_id: 10,
        recipient: Recipient::Body(1),
        applied_amount: 3_100_000,
        applied_on: d(2024, 4, 10),
        eligible_cost: None,
        project_year: None,
        decided_amount: Some(3_100_000),
        decided_on: Some(d(2024, 4, 20)),
        reported_on: None,
        confirmed_amount: None,
        confirmed_on: None,
        closed_on: None,
        state: GrantState::Decided,
        project_end: None,
        award: None,
    };
    let bodies = vec![b1, b2, b3, b4];
    let on = Against {
        program: &program,
        bodies: &bodies,
        counts: &[],
        terms: &terms,
        grants: &[grant],
    };
    let pv = compare(&draft(), &on).unwrap();
    let rows: Vec<(u64, bool, bool, i64, Option<i64>)> = pv
        .rows
        .iter()
        .map(|r| {
            (
                r.body_id,
                r.input.runs_center,
                r.input.has_plan,
                r.decided,
                r.compare,
            )
        })
        .collect();
    // b1: 1,000,000 + 1,800,000 + 1,000,000 + 800,000 = 4,600,000 → cap 4,000,000 + 400,000.
    // b2: 1,000,000 + 450,000 + 240,000 + 200,000 = 1,890,000 → floor 2,500,000 + 300,000;
    //     current 1,000,000 + 500,000 = 1,500,000.
    // b3: 1,000,000 + 900,000 + 500,000 = 2,400,000 → floor 2,500,000; current 2,000,000.
    assert_eq!(
        rows,
        vec![
            (1, true, true, 3_100_000, Some(4_400_000)),
            (2, true, false, 1_500_000, Some(2_800_000)),
            (3, false, false, 2_000_000, Some(2_500_000)),
        ]
    );
    assert_eq!(pv.total, 6_600_000);
    assert_eq!(pv.compare_total, Some(9_700_000));
    assert_eq!((pv.budget, pv.over_budget), (10_000_000, 0));
    // A tighter budget: the scenario's total is what goes over.
    let tight = SubsidyProgram {
        budget: 9_000_000,
        ..program.clone()
    };
    let pv = compare(
        &draft(),
        &Against {
            program: &tight,
            ..on
        },
    )
    .unwrap();
    assert_eq!(pv.over_budget, 700_000);
    // A program paying shares of eligible costs has no per-body amount to compare with.
    let rate = SubsidyProgram {
        rule: AllocationRule::Rate {
            rates: vec![],
            cap: None,
            round_unit: 1,
        },
        ..program.clone()
    };
    let e = compare(
        &draft(),
        &Against {
            program: &rate,
            ..on
        },
    )
    .unwrap_err();
    assert!(e.en.contains("share of eligible costs"), "{}", e.en);
}

const REPORT: &[&str] = &["report", "allocation", "--fy", "2024", "--compare"];

#[test]
fn the_report_prints_the_demos_scenarios_beside_the_current_amounts_as_csv_and_writes_nothing() {
    let (dir, db) = demo_db();
    let d_ = db.to_str().unwrap();
    let file = dir.path().join("draft.csv");
    std::fs::write(
        &file,
        kyodo_ok(&["--db", d_, "export", "allocation_scenarios"]),
    )
    .unwrap();
    let audit = |db: &std::path::Path| {
        let s = kyodo::store::Store::open(db).unwrap();
        s.tree_len(TreeName::Audit)
    };
    let before = audit(&db);
    let mut args = vec!["--db", d_];
    args.extend(REPORT);
    args.extend(["地域づくり交付金", "--format", "csv", "--scenario"]);
    args.push(file.to_str().unwrap());
    let csv = kyodo_ok(&args);
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].ends_with(
        "scenario,body,households,population,area_km2,runs_center,has_plan,current,scenario_amount,diff"
    ));
    // 一関 on 2024-04-01: 846 households, 2,176 persons, 50.11 km², runs its centre, plan in force.
    // Current (the rule, no grant yet): 1,500,000 + 846,000 + 435,200 = 2,781,200 → 2,781,000.
    // 均等割縮小・面積割案: 1,000,000 + 761,400 + 435,200 + 1,002,200 = 3,198,800 → 3,198,000,
    // above the floor, + 300,000 + 100,000 = 3,598,000.
    assert!(
        lines.contains(
            &"均等割縮小・面積割案(例示),一関地区まちづくり協議会,846,2176,50.11,true,true,2781000,3598000,817000"
        ),
        "{csv}"
    );
    // Per scenario: 33 bodies, a total row that adds them up, a budget row.
    for name in ["均等割縮小・面積割案(例示)", "面積割・指定管理加算案(例示)"]
    {
        let mine: Vec<Vec<&str>> = lines
            .iter()
            .filter(|l| l.starts_with(name))
            .map(|l| l.split(',').collect())
            .collect();
        assert_eq!(mine.len(), 35, "{name}");
        let sum = |col: usize| -> i64 {
            mine[..33]
                .iter()
                .map(|r| r[col].parse::<i64>().unwrap())
                .sum()
        };
        let total = &mine[33];
        assert_eq!(total[1], "Total");
        assert_eq!(total[7].parse::<i64>().unwrap(), sum(7));
        assert_eq!(total[8].parse::<i64>().unwrap(), sum(8));
        let budget = &mine[34];
        assert_eq!((budget[1], budget[7]), ("Budget", "150000000"));
        assert_eq!(
            budget[9].parse::<i64>().unwrap(),
            sum(8) - 150_000_000,
            "the scenario total against the budget"
        );
    }
    // Only bodies managing their centre on 2024-04-01 get the centre addition: the demo's 30.
    let centre = lines
        .iter()
        .filter(|l| l.starts_with("面積割・指定管理加算案") && l.contains(",true,"))
        .filter(|l| l.split(',').nth(5) == Some("true"))
        .count();
    assert_eq!(centre, 30);
    assert_eq!(
        audit(&db),
        before,
        "a scenario is tried, nothing is written"
    );
}

#[test]
fn a_bad_scenario_file_or_program_is_refused_with_where_and_how_to_fix() {
    let (dir, db) = demo_db();
    let d_ = db.to_str().unwrap();
    let file = dir.path().join("draft.csv");
    // Refused, and what it said on standard error.
    let refused = |args: &[&str]| {
        let out = kyodo_cmd().args(["--db", d_]).args(args).output().unwrap();
        assert!(!out.status.success(), "{args:?}");
        String::from_utf8_lossy(&out.stderr).to_string()
    };
    let run = |extra: &[&str]| refused(&[REPORT, extra].concat());
    let f = file.to_str().unwrap();
    std::fs::write(
        &file,
        "name,per_body,per_km2,floor,cap\n案,abc,-5,,\n二,1,1,9,3\n",
    )
    .unwrap();
    let err = run(&["地域づくり交付金", "--scenario", f]);
    assert!(err.contains("draft.csv:2:2: column 'per_body'"), "{err}");
    assert!(
        err.contains("draft.csv:2:3: column 'per_km2' = '-5'"),
        "{err}"
    );
    assert!(
        err.contains("draft.csv:3:4: column 'floor'") && err.contains("above the cap"),
        "{err}"
    );
    // One error per line, so that each can be read and fixed.
    assert_eq!(err.lines().count(), 4, "{err}");
    std::fs::write(&file, "name,per_body\n").unwrap();
    assert!(run(&["地域づくり交付金", "--scenario", f]).contains("holds no scenario"));
    std::fs::write(&file, "name,per_body\n案,1000000\n").unwrap();
    let err = run(&["未知の交付金", "--scenario", f]);
    assert!(
        err.contains("no program '未知の交付金' in FY2024") && err.contains("地域づくり交付金"),
        "{err}"
    );
    let allocation = ["report", "allocation", "--scenario", f];
    assert!(refused(&[&allocation[..], &["--fy", "2024"]].concat()).contains("--compare"));
    let rate = ["--fy", "2023", "--compare", "地域づくりモデル事業交付金"];
    assert!(refused(&[&allocation[..], &rate].concat()).contains("share of eligible costs"));
}

#[test]
fn in_the_tui_a_scenario_is_a_comparison_of_the_programs_preview_and_creates_no_grant() {
    let (_d, store) = demo_store();
    let mut app = App::new(&store, 2024);
    // The programs view of the subsidies pane, on 令和6年度 地域づくり交付金.
    app.go(Pane::Subsidies, 1);
    app.select(|i| matches!(i, Item::Program(p, _) if p.name == "地域づくり交付金"));
    app.act(Action::Preview);
    let cli = {
        let p = app.state.preview.as_ref().expect("the preview is open");
        assert!(p.scenario().is_none());
        p.preview.total
    };
    while app
        .state
        .preview
        .as_ref()
        .unwrap()
        .scenario()
        .is_none_or(|s| !s.name.starts_with("均等割縮小"))
    {
        app.act(Action::PreviewCompare);
    }
    let p = app.state.preview.as_ref().unwrap();
    assert_eq!(p.preview.rows.len(), 33);
    assert_eq!(
        p.preview.total, cli,
        "the current amounts are the program's"
    );
    let ichi = p
        .bodies
        .iter()
        .find(|b| b.name == "一関地区まちづくり協議会")
        .unwrap()
        .id;
    let row = p.preview.rows.iter().find(|r| r.body_id == ichi).unwrap();
    assert_eq!((row.decided, row.compare), (2_781_000, Some(3_598_000)));
    // A creates nothing while a scenario is compared.
    let grants = store.list::<Grant>().items.len();
    app.act(Action::PreviewApply);
    assert!(app.state.confirm.is_none());
    assert!(
        app.state
            .flash
            .as_deref()
            .unwrap_or("")
            .contains("交付決定は作りません")
    );
    assert_eq!(store.list::<Grant>().items.len(), grants);
    // From the scenarios' own list, p opens the same comparison with that scenario chosen.
    app.act(Action::Back);
    let scenarios = (0..8)
        .find(|&v| {
            app.go(Pane::Subsidies, v);
            app.items()
                .iter()
                .any(|i| matches!(i, Item::Record(r) if r.kind == RecordKind::AllocationScenario))
        })
        .expect("a 配分シナリオ view in the subsidies pane");
    app.go(Pane::Subsidies, scenarios);
    app.select(|i| matches!(i, Item::Record(r) if r.get("name").starts_with("面積割")));
    app.act(Action::Preview);
    let p = app.state.preview.as_ref().expect("opened from the list");
    assert_eq!(p.program.name, "地域づくり交付金");
    assert!(p.scenario().is_some_and(|s| s.name.starts_with("面積割")));
}

#[test]
fn a_bodys_area_is_read_with_two_decimals_and_must_be_more_than_zero() {
    let (dir, store) = empty_store();
    let row = |area: &str| {
        format!(
            "name,kana,district,branch_office,established_on,households,population,area_km2\n\
             花泉,はないずみ,花泉,花泉支所,2015-04-01,100,250,{area}\n"
        )
    };
    let path = dir.path().join("bodies.csv");
    for bad in ["0", "-3", "12.345", "広い"] {
        std::fs::write(&path, row(bad)).unwrap();
        let e = kyodo::io::import::import_path(&store, &path).unwrap_err();
        assert!(
            e.text(kyodo::i18n::Lang::En).contains("bodies.csv:2:8"),
            "{bad}: {e}"
        );
    }
    std::fs::write(&path, row("63.5")).unwrap();
    kyodo::io::import::import_path(&store, &path).unwrap();
    let b = store.list::<Body>().items.remove(0);
    assert_eq!(b.area_km2, Some(Figure(6_350)));
    assert_eq!(kyodo::domain::scenario::km2(Figure(6_350)), "63.50");
}
