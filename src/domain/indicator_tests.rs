//! Tests of the indicators' values, achievement and pace, worked by hand.
use super::*;

#[test]
fn achievement_is_value_over_target() {
    assert_eq!(
        achievement(Figure::whole(125), Figure::whole(170)),
        Some(0.735)
    );
    assert_eq!(
        achievement(Figure::whole(33), Figure::whole(34)),
        Some(0.971)
    );
    assert_eq!(achievement(Figure::whole(1), Figure(0)), None);
}

#[test]
fn pace_is_a_straight_line_from_baseline_to_target() {
    let ind = ichinoseki_defaults();
    let tm = ind.iter().find(|i| i.id == "team_meetings").unwrap();
    let after = chrono::NaiveDate::from_ymd_opt(2030, 1, 1).unwrap();
    // 125 in FY2022 → 170 in FY2028: +7.5 a year; FY2023 expects 132.5.
    let p = pace(tm, FiscalYear(2023), Some(Figure::whole(131)), after).unwrap();
    assert_eq!(
        p,
        Pace {
            expected: Figure(13_250),
            on_pace: false,
            pending: false
        }
    );
    let p = pace(tm, FiscalYear(2023), Some(Figure::whole(133)), after).unwrap();
    assert!(p.on_pace);
    assert_eq!(
        pace(tm, FiscalYear(2028), Some(Figure::whole(170)), after)
            .unwrap()
            .expected,
        Figure::whole(170)
    );
    assert_eq!(
        pace(tm, FiscalYear(2022), Some(Figure::whole(125)), after).unwrap(),
        Pace {
            expected: Figure::whole(125),
            on_pace: true,
            pending: false
        }
    );
    assert_eq!(
        pace(tm, FiscalYear(2029), Some(Figure::whole(1)), after),
        None
    );
    assert_eq!(pace(tm, FiscalYear(2023), None, after), None);
    // In a year under way a counted figure is held to the share of days gone: on 2023-10-01
    // (day 184 of 366, counting that day) FY2023 expects 132.5 × 184 / 366 = 66.61.
    let mid = chrono::NaiveDate::from_ymd_opt(2023, 10, 1).unwrap();
    let p = pace(tm, FiscalYear(2023), Some(Figure::whole(70)), mid).unwrap();
    assert_eq!(
        p,
        Pace {
            expected: Figure(6_661),
            on_pace: true,
            pending: false
        }
    );
    // Entered indicators are not prorated.
    let web = ind.iter().find(|i| i.id == "web_access").unwrap();
    let p = pace(web, FiscalYear(2023), Some(Figure::whole(7_512)), mid).unwrap();
    assert_eq!(p.expected, Figure(752_750));
}

/// Issue 16.3, worked by hand. 地域協働体の設立件数 (a stock): 33 in FY2022 → 34 in FY2028,
/// 1/6 a year, so FY2023's line is 33.17 whether or not the year is over. The same 33 is
/// 集計中 in the year and 遅れ after it — never 順調 in one and 遅れ in the other because of
/// proration. Team meetings (a flow) stay prorated.
#[test]
fn a_stock_is_held_to_its_whole_line_and_pending_until_its_year_ends() {
    let ind = ichinoseki_defaults();
    let bodies = ind.iter().find(|i| i.id == "bodies").unwrap();
    assert_eq!(bodies.kind(), IndicatorKind::Stock);
    let d = |y, m, dd| chrono::NaiveDate::from_ymd_opt(y, m, dd).unwrap();
    let (mid, after) = (d(2023, 10, 1), d(2024, 4, 1));
    let p = |fy, v, today| pace(bodies, FiscalYear(fy), Some(Figure::whole(v)), today).unwrap();
    let pending = Pace {
        expected: Figure(3_317),
        on_pace: false,
        pending: true,
    };
    let behind = Pace {
        expected: Figure(3_317),
        on_pace: false,
        pending: false,
    };
    assert_eq!(p(2023, 33, mid), pending);
    assert_eq!(p(2023, 33, after), behind);
    // The year's last day is still in it.
    assert!(p(2023, 33, d(2024, 3, 31)).pending);
    // Reaching the line mid-year is 順調 already.
    assert_eq!(
        p(2023, 34, mid),
        Pace {
            expected: Figure(3_317),
            on_pace: true,
            pending: false
        }
    );
    // First year of the plan (the baseline year): the line is the baseline.
    assert_eq!(
        p(2022, 33, d(2022, 6, 1)),
        Pace {
            expected: Figure(3_300),
            on_pace: true,
            pending: false
        }
    );
    // Last year: the line is the target; 33 is pending in the year, behind after it.
    assert_eq!(
        p(2028, 33, d(2028, 9, 1)),
        Pace {
            expected: Figure(3_400),
            on_pace: false,
            pending: true
        }
    );
    assert_eq!(
        p(2028, 33, d(2029, 4, 1)),
        Pace {
            expected: Figure(3_400),
            on_pace: false,
            pending: false
        }
    );
    assert!(p(2028, 34, d(2029, 4, 1)).on_pace);
    // An entered figure (registrants, 41 → 61: +3.33 a year) is a stock too: FY2023's line
    // 44.33, not prorated; 43 is pending mid-year and behind at the end, 45 on pace.
    let bank = ind.iter().find(|i| i.id == "staff_bank").unwrap();
    assert_eq!(bank.kind(), IndicatorKind::Stock);
    let q = |v, today| pace(bank, FiscalYear(2023), Some(Figure::whole(v)), today).unwrap();
    assert_eq!(
        q(43, mid),
        Pace {
            expected: Figure(4_433),
            on_pace: false,
            pending: true
        }
    );
    assert_eq!(
        q(43, after),
        Pace {
            expected: Figure(4_433),
            on_pace: false,
            pending: false
        }
    );
    assert_eq!(
        q(45, mid),
        Pace {
            expected: Figure(4_433),
            on_pace: true,
            pending: false
        }
    );
    // A flow (team meetings, 125 → 170) in the same days: prorated, never pending.
    let tm = ind.iter().find(|i| i.id == "team_meetings").unwrap();
    assert_eq!(tm.kind(), IndicatorKind::Flow);
    let t = pace(tm, FiscalYear(2023), Some(Figure::whole(60)), mid).unwrap();
    assert_eq!(
        t,
        Pace {
            expected: Figure(6_661),
            on_pace: false,
            pending: false
        }
    );
    // The last year of the plan for a flow, on 2028-10-01: day 184 of FY2028's 365 days,
    // so the line is 170 × 184 / 365 = 85.69.
    let t = pace(
        tm,
        FiscalYear(2028),
        Some(Figure::whole(90)),
        d(2028, 10, 1),
    )
    .unwrap();
    assert_eq!(
        t,
        Pace {
            expected: Figure(8_569),
            on_pace: true,
            pending: false
        }
    );
}

#[test]
fn evaluate_counts_and_entries() {
    let ind = ichinoseki_defaults();
    let counts = FyCounts {
        team_meetings: 125,
        bodies: 33,
        ..Default::default()
    };
    let entries = vec![IndicatorEntry {
        id: 1,
        indicator_id: "citizen_center_use".into(),
        fiscal_year: FiscalYear(2022),
        value: Figure(377),
    }];
    let st = evaluate(&ind, &entries, &counts);
    assert_eq!(st.len(), 9);
    let tm = st
        .iter()
        .find(|s| s.indicator.id == "team_meetings")
        .unwrap();
    assert_eq!(tm.value, Some(Figure::whole(125)));
    assert_eq!(tm.achievement, Some(0.735));
    let cc = st
        .iter()
        .find(|s| s.indicator.id == "citizen_center_use")
        .unwrap();
    assert_eq!(cc.value, Some(Figure(377)));
    let aw = st
        .iter()
        .find(|s| s.indicator.id == "staff_awareness")
        .unwrap();
    assert_eq!((aw.value, aw.achievement), (None, None));
}
