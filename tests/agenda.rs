//! The agenda (issue 17.5): meetings and what falls due, day by day, for a week or a month,
//! with 和暦 dates, every line readable at 80 columns.

mod common;
use common::*;
use kyodo::app::agenda::{Entry, Span, agenda, period};
use kyodo::app::due::Whose;
use kyodo::domain::*;

fn d(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

#[test]
fn a_week_runs_monday_to_sunday_and_a_month_its_calendar() {
    assert_eq!(period(Span::Week, d("2023-05-10")), (d("2023-05-08"), d("2023-05-14")));
    assert_eq!(period(Span::Week, d("2023-05-14")), (d("2023-05-08"), d("2023-05-14")));
    assert_eq!(period(Span::Month, d("2024-02-10")), (d("2024-02-01"), d("2024-02-29")));
    assert_eq!(period(Span::Month, d("2023-12-31")), (d("2023-12-01"), d("2023-12-31")));
}

#[test]
fn each_day_lists_its_meetings_and_what_falls_due() {
    let (_dir, store) = demo_store();
    let (from, to) = (d("2023-05-01"), d("2023-05-31"));
    let (days, _) = agenda(&store, from, to, d("2023-05-01"), Whose::Everyone).unwrap();
    // Every team meeting of May 2023, on its day, and nothing outside the month.
    let meetings: Vec<_> = store
        .list_fy::<TeamMeeting>(FiscalYear(2023))
        .items
        .into_iter()
        .filter(|m| m.date >= from && m.date <= to)
        .collect();
    let listed: usize = days
        .iter()
        .map(|day| {
            day.entries
                .iter()
                .filter(|e| matches!(e, Entry::Meeting(m, _) if m.date == day.date))
                .count()
        })
        .sum();
    assert_eq!(listed, meetings.len());
    assert!(days.iter().all(|day| day.date >= from && day.date <= to));
    assert!(days.windows(2).all(|w| w[0].date < w[1].date));
    // The case C2023-002's next contact (2023-05-11) is on its day.
    let on = days.iter().find(|x| x.date == d("2023-05-11")).unwrap();
    assert!(on.entries.iter().any(|e| matches!(e, Entry::Due(x) if x.what.starts_with("C2023-002"))));
}

#[test]
fn kyodo_agenda_prints_days_in_wareki_within_80_columns() {
    let out = kyodo_ok(&["--demo", "--lang", "ja", "agenda", "--month", "--date", "R5.5.1"]);
    assert!(out.starts_with("予定 令和5年5月1日(月)〜令和5年5月31日(水)"), "{out}");
    assert!(out.contains("■ 令和5年5月11日(木)"), "{out}");
    assert!(out.contains("期限: 次回連絡  C2023-002 活動場所の確保"), "{out}");
    assert!(out.contains("チーム会議  "), "{out}");
    for l in out.lines() {
        assert!(kyodo::text::width(l) <= 80, "{} cells: {l}", kyodo::text::width(l));
        if l.starts_with('■') || l.starts_with("予定") {
            assert!(!l.contains("2023"), "no Gregorian year in a Japanese date: {l}");
        }
    }
    let week = kyodo_ok(&["--demo", "agenda", "--date", "2023-05-10", "--format", "csv"]);
    let rows: Vec<&str> = week.lines().skip(1).collect();
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|r| ("2023-05-08"..="2023-05-14").contains(&&r[..10])),
        "{week}"
    );
    let bad = kyodo_cmd().args(["--demo", "agenda", "--date", "someday"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}
