//! Pace by kind of indicator on the demo (issue 16.3): 地域協働体の設立件数 is a stock, so the
//! same 33 bodies in FY2023 read 集計中 while the year runs and 遅れ after it (its line is 33.17),
//! never 順調 mid-year by proration; team meetings, a flow, are held to the days gone.

mod common;

use kyodo::app::report::indicator_history_on;
use kyodo::domain::*;

fn d(y: i32, m: u32, dd: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, dd).unwrap()
}

#[test]
fn the_count_of_bodies_is_pending_in_its_year_and_behind_after_it() {
    let (_dir, store) = common::demo_store();
    let at = |today| {
        let h = indicator_history_on(&store, &[FiscalYear(2023)], today).unwrap();
        let st = h.into_iter().next().unwrap().1;
        let get = |id: &str| st.iter().find(|s| s.indicator.id == id).unwrap().clone();
        (get("bodies"), get("team_meetings"))
    };
    let (bodies, meetings) = at(d(2023, 10, 1));
    assert_eq!(bodies.value, Some(Figure::whole(33)));
    let p = bodies.pace.unwrap();
    assert_eq!(
        (p.expected, p.on_pace, p.pending),
        (Figure(3_317), false, true)
    );
    // Team meetings: 131 in the demo's FY2023 against 132.5 × 184/366 = 66.61 on 2023-10-01.
    let m = meetings.pace.unwrap();
    assert_eq!((m.expected, m.pending), (Figure(6_661), false));
    let (bodies, meetings) = at(d(2024, 6, 1));
    let p = bodies.pace.unwrap();
    assert_eq!(
        (p.expected, p.on_pace, p.pending),
        (Figure(3_317), false, false)
    );
    let m = meetings.pace.unwrap();
    assert_eq!((m.expected, m.on_pace), (Figure(13_250), false));
    // The dashboard's pace column says it in words.
    let lk = kyodo::app::data::Lookups::default();
    let row = |s: IndicatorStatus| {
        kyodo::app::rows::cells(
            &kyodo::app::data::Item::Indicator(s),
            &lk,
            Lang::Ja,
            FiscalYear(2023),
        )[4]
        .clone()
    };
    assert_eq!(row(at(d(2023, 10, 1)).0), "集計中");
    assert_eq!(row(at(d(2024, 6, 1)).0), "遅れ");
}
