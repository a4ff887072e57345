//! The agenda (issue 17.5): for a week or a month, day by day, the チーム会議 and 協働推進会議
//! held and everything falling due ([`crate::app::due`]). `kyodo agenda` prints it; the 自分
//! pane's month view shows it.
//!
//! Read cost: the meetings of the fiscal years the period touches (through their date index);
//! committee meetings, a small table; the due list.

use crate::app::due::{DueItem, Whose, due_items};
use crate::domain::committee_meeting::CommitteeMeeting;
use crate::domain::*;
use crate::i18n::Msg;
use crate::store::{Store, StoreError};
use chrono::{Datelike, Days, Months, NaiveDate};

/// One thing on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A チーム会議 (its body's name beside it).
    Meeting(TeamMeeting, String),
    /// A 協働推進会議 of a plan.
    Committee(CommitteeMeeting),
    /// Something due that day.
    Due(DueItem),
}

/// One day of the agenda and what is on it (days with nothing are left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    /// The day.
    pub date: NaiveDate,
    /// Meetings first (by kind), then what is due.
    pub entries: Vec<Entry>,
}

/// The span an agenda covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// Monday to Sunday of the week of the day given.
    Week,
    /// The calendar month of the day given.
    Month,
}

/// The first and last day of the `span` holding `day`.
pub fn period(span: Span, day: NaiveDate) -> (NaiveDate, NaiveDate) {
    match span {
        Span::Week => {
            let from = day - Days::new(day.weekday().num_days_from_monday().into());
            (from, from + Days::new(6))
        }
        Span::Month => {
            let from = day.with_day(1).unwrap_or(day);
            let to = (from + Months::new(1)).pred_opt().unwrap_or(from);
            (from, to)
        }
    }
}

/// The weekday of `d` as Japanese say it in dates: 月 … 日, or Mon … Sun.
pub fn weekday(d: NaiveDate, lang: Lang) -> &'static str {
    let n = d.weekday().num_days_from_monday() as usize;
    match lang {
        Lang::Ja => ["月", "火", "水", "木", "金", "土", "日"][n],
        Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][n],
    }
}

/// The agenda from `from` to `to` (inclusive) for `whose` (with [`Whose::Me`]: the meetings of
/// the bodies they are assigned to or that they attended, and what is due for them), as seen on
/// `today`; plus how many things were already overdue before `from`.
///
/// Errors: a record that cannot be read.
pub fn agenda(
    store: &Store,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
    whose: Whose,
) -> Result<(Vec<Day>, usize), StoreError> {
    let mut entries: Vec<(NaiveDate, Entry)> = Vec::new();
    let bodies: std::collections::BTreeMap<BodyId, String> = store
        .list::<Body>()
        .items
        .into_iter()
        .map(|b| (b.id, b.name))
        .collect();
    let mine: Vec<BodyId> = match whose {
        Whose::Me(me) => store
            .list::<Assignment>()
            .items
            .into_iter()
            .filter(|a| a.staff_id == me.id && a.from <= to && a.to.is_none_or(|t| t >= from))
            .map(|a| a.body_id)
            .collect(),
        Whose::Everyone => Vec::new(),
    };
    let mut fy = FiscalYear::of(from);
    while fy <= FiscalYear::of(to) {
        let l = store.list_fy::<TeamMeeting>(fy);
        if let Some(e) = l.problems.into_iter().next() {
            return Err(e);
        }
        for m in l.items {
            let ours = match whose {
                Whose::Everyone => true,
                Whose::Me(me) => mine.contains(&m.body_id) || m.attendees.contains(&me.id),
            };
            if m.date >= from && m.date <= to && ours {
                let name = bodies.get(&m.body_id).cloned().unwrap_or_default();
                entries.push((m.date, Entry::Meeting(m, name)));
            }
        }
        fy = fy.next();
    }
    if matches!(whose, Whose::Everyone)
        || matches!(whose, Whose::Me(s) if matches!(s.role, Role::Coordinator | Role::Admin))
    {
        for c in store.list::<CommitteeMeeting>().items {
            if c.date >= from && c.date <= to {
                entries.push((c.date, Entry::Committee(c)));
            }
        }
    }
    let due = due_items(store, today, to, whose)?;
    let before = due.iter().filter(|d| d.due < from && d.due < today).count();
    entries.extend(
        due.into_iter()
            .filter(|d| d.due >= from && d.due <= to)
            .map(|d| (d.due, Entry::Due(d))),
    );
    let rank = |e: &Entry| match e {
        Entry::Committee(_) => 0,
        Entry::Meeting(..) => 1,
        Entry::Due(_) => 2,
    };
    entries.sort_by_key(|(date, e)| (*date, rank(e)));
    let mut days: Vec<Day> = Vec::new();
    for (date, e) in entries {
        match days.last_mut() {
            Some(d) if d.date == date => d.entries.push(e),
            _ => days.push(Day {
                date,
                entries: vec![e],
            }),
        }
    }
    Ok((days, before))
}

/// One entry in words, for a line under its day: what kind, what, where or who.
pub fn entry_text(e: &Entry, lang: Lang) -> String {
    let (kind, what) = match e {
        Entry::Meeting(m, body) => {
            let place = if m.place.is_empty() {
                String::new()
            } else {
                format!(" ({})", m.place)
            };
            (
                lang.t(Msg::AgendaMeeting).to_string(),
                format!("{body} {}{place}", m.agenda),
            )
        }
        Entry::Committee(c) => (
            lang.t(Msg::AgendaCommittee).to_string(),
            format!("{} {}", c.plan, c.agenda),
        ),
        Entry::Due(d) => {
            let who = if d.who.is_empty() {
                String::new()
            } else {
                format!(" ({})", d.who)
            };
            let on = if d.body.is_empty() {
                String::new()
            } else {
                format!(" / {}", d.body)
            };
            (
                format!("{}: {}", lang.t(Msg::DueDate), d.kind.label(lang)),
                format!("{}{on}{who}", d.what),
            )
        }
    };
    format!("{kind}  {what}")
}

/// A day's heading: `令和5年5月12日(金)` / `Fri 2023-05-12`.
pub fn day_heading(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!("{}({})", ja_date(d), weekday(d, lang)),
        Lang::En => format!("{} {}", weekday(d, lang), d),
    }
}

/// A day heading row of the month view: `■ 令和5年5月12日(金)` (`day` as stored in the row:
/// ISO `2023-05-12`).
pub fn day_row(day: &str, lang: Lang) -> String {
    match day.parse::<NaiveDate>() {
        Ok(d) => format!("■ {}", day_heading(d, lang)),
        Err(_) => format!("■ {day}"),
    }
}

/// The month view's top row: `■ 令和5年5月  月の予定  [ 前の月  ] 次の月` / `■ May 2023 …`
/// (`first` as stored in the row: the month's first day, ISO).
pub fn month_row(first: &str, lang: Lang) -> String {
    let keys = lang.t(Msg::AgendaMonthKeys);
    let Ok(d) = first.parse::<NaiveDate>() else {
        return format!("■ {keys}");
    };
    let month = match (lang, Era::of(d)) {
        (Lang::Ja, Some((era, y))) => {
            format!(
                "{}{}年{}月",
                era.ja(),
                crate::domain::fiscal_year::era_year(y),
                d.month()
            )
        }
        _ => d.format("%B %Y").to_string(),
    };
    format!("■ {month}  {keys}")
}

/// The month after (`delta` 1) or before (-1) the one `month` is in, as its first day.
pub fn step_month(month: NaiveDate, delta: i32) -> NaiveDate {
    let first = month.with_day(1).unwrap_or(month);
    if delta >= 0 {
        first + Months::new(delta as u32)
    } else {
        first - Months::new(delta.unsigned_abs())
    }
}

/// `[` / `]` in the month view: the month before or after, and the fiscal year it falls in.
pub fn step(state: &mut crate::app::AppState, forward: bool) -> Vec<crate::app::Effect> {
    let now = state
        .month
        .unwrap_or_else(|| default_month(state.fy, state.today));
    let month = step_month(now, if forward { 1 } else { -1 });
    state.month = Some(month);
    crate::app::nav::set_fy(state, FiscalYear::of(month))
}

/// The month the month view opens on for fiscal year `fy`: this month when `today` is in it,
/// else the same calendar month in `fy` (December of 令和5年度 is 2023-12), as its first day.
pub fn default_month(fy: FiscalYear, today: NaiveDate) -> NaiveDate {
    if FiscalYear::of(today) == fy {
        return today.with_day(1).unwrap_or(today);
    }
    let year = if today.month() >= 4 { fy.0 } else { fy.0 + 1 };
    NaiveDate::from_ymd_opt(year, today.month(), 1).unwrap_or(today)
}
