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
    assert_eq!(
        period(Span::Week, d("2023-05-10")),
        (d("2023-05-08"), d("2023-05-14"))
    );
    assert_eq!(
        period(Span::Week, d("2023-05-14")),
        (d("2023-05-08"), d("2023-05-14"))
    );
    assert_eq!(
        period(Span::Month, d("2024-02-10")),
        (d("2024-02-01"), d("2024-02-29"))
    );
    assert_eq!(
        period(Span::Month, d("2023-12-31")),
        (d("2023-12-01"), d("2023-12-31"))
    );
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
    assert!(
        on.entries
            .iter()
            .any(|e| matches!(e, Entry::Due(x) if x.what.starts_with("C2023-002")))
    );
}

#[test]
fn kyodo_agenda_prints_days_in_wareki_within_80_columns() {
    let out = kyodo_ok(&[
        "--demo", "--lang", "ja", "agenda", "--month", "--date", "R5.5.1",
    ]);
    assert!(
        out.starts_with("予定 令和5年5月1日(月)〜令和5年5月31日(水)"),
        "{out}"
    );
    assert!(out.contains("■ 令和5年5月11日(木)"), "{out}");
    assert!(
        out.contains("期限: 次回連絡  C2023-002 活動場所の確保"),
        "{out}"
    );
    assert!(out.contains("チーム会議  "), "{out}");
    for l in out.lines() {
        assert!(
            kyodo::text::width(l) <= 80,
            "{} cells: {l}",
            kyodo::text::width(l)
        );
        if l.starts_with('■') || l.starts_with("予定") {
            assert!(
                !l.contains("2023"),
                "no Gregorian year in a Japanese date: {l}"
            );
        }
    }
    let week = kyodo_ok(&[
        "--demo",
        "agenda",
        "--date",
        "2023-05-10",
        "--format",
        "csv",
    ]);
    let rows: Vec<&str> = week.lines().skip(1).collect();
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|r| ("2023-05-08"..="2023-05-14").contains(&&r[..10])),
        "{week}"
    );
    let bad = kyodo_cmd()
        .args(["--demo", "agenda", "--date", "someday"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn my_month_view_lists_my_days_and_moves_a_month_at_a_time() {
    use kyodo::app::data::Loader;
    use kyodo::app::{Action, AppState, Pane, update};
    let (_dir, mut store) = demo_store();
    let me = store
        .list::<Staff>()
        .items
        .into_iter()
        .find(|s| s.name == "小野寺 和也")
        .unwrap();
    store.set_actor(Actor {
        login: "x".into(),
        staff_id: Some(me.id),
    });
    let mut state = AppState::new(kyodo::i18n::Lang::Ja, FiscalYear(2023), false, (80, 24));
    state.today = d("2026-06-15");
    let mut loader = Loader::new(&store);
    let mut act = |state: &mut AppState, a: Action| {
        let fx = update(state, a);
        kyodo::tui::apply(state, &mut loader, fx);
    };
    act(&mut state, Action::GoPane(Pane::MyWork.index()));
    act(&mut state, Action::NextView);
    let rows = |state: &AppState| -> Vec<String> {
        let data = state.current().data.as_ref().unwrap();
        data.items
            .iter()
            .map(|i| {
                kyodo::app::rows::cells(i, &data.lookups, kyodo::i18n::Lang::Ja, state.fy)[0]
                    .clone()
            })
            .collect()
    };
    // June of the fiscal year on screen (令和5年度), since today is not in it.
    assert_eq!(
        rows(&state)[0],
        "■ 令和5年6月  月の予定  [ 前の月  ] 次の月"
    );
    act(&mut state, Action::PrevFy);
    let may = rows(&state);
    assert_eq!(may[0], "■ 令和5年5月  月の予定  [ 前の月  ] 次の月");
    assert!(may.contains(&"■ 令和5年5月17日(水)".to_string()), "{may:?}");
    assert!(
        may.iter()
            .any(|r| r.contains("チーム会議  舞川地区まちづくり協議会 役員改選に向けた話し合い")),
        "{may:?}"
    );
    // Only my bodies' meetings.
    assert!(
        may.iter()
            .filter(|r| r.contains("チーム会議"))
            .all(|r| r.contains("舞川地区")),
        "{may:?}"
    );
    // Back across April: the fiscal year follows the month.
    for _ in 0..2 {
        act(&mut state, Action::PrevFy);
    }
    assert_eq!(state.fy, FiscalYear(2022));
    assert_eq!(
        rows(&state)[0],
        "■ 令和5年3月  月の予定  [ 前の月  ] 次の月"
    );
}
