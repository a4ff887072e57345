//! `kyodo agenda [--week|--month] [--date D] [--me] [--format text|json|csv]`: meetings and
//! what falls due, day by day, with 和暦 dates; each text line fits 80 columns (issue 17.5;
//! [`crate::app::agenda`]).

use crate::app::agenda::{Entry, Span, agenda, day_heading, entry_text, period};
use crate::app::due::Whose;
use crate::i18n::{Lang, Msg};
use crate::store::Store;

/// What the command line asked for.
pub struct Args<'a> {
    /// A month instead of a week.
    pub month: bool,
    /// A day inside the period (default today), as typed.
    pub date: Option<&'a str>,
    /// Only what concerns the person logged in.
    pub me: bool,
    /// Output format.
    pub format: super::Format,
}

/// Prints the agenda; returns the exit code (2 for a bad date or an unknown person).
///
/// Errors: a record that cannot be read.
pub fn run(store: &Store, args: Args, lang: Lang) -> anyhow::Result<i32> {
    let today = chrono::Local::now().date_naive();
    let day = match args.date {
        Some(s) => match crate::domain::parse_date_near(s, today) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("kyodo agenda: --date: {}", e.text().get(lang));
                return Ok(2);
            }
        },
        None => today,
    };
    let span = if args.month { Span::Month } else { Span::Week };
    let (from, to) = period(span, day);
    let staff;
    let whose = if args.me {
        staff = super::due::logged_in(store);
        match &staff {
            Some(s) => Whose::Me(s),
            None => {
                eprintln!("kyodo agenda: {}", lang.t(Msg::NoStaffRecord));
                return Ok(2);
            }
        }
    } else {
        Whose::Everyone
    };
    let (days, earlier) =
        agenda(store, from, to, today, whose).map_err(|e| anyhow::anyhow!(e.text(lang)))?;
    let kind_code = |e: &Entry| match e {
        Entry::Meeting(..) => "team_meeting".to_string(),
        Entry::Committee(_) => "committee_meeting".to_string(),
        Entry::Due(d) => format!("due:{}", d.kind.code()),
    };
    match args.format {
        super::Format::Json => {
            let v: Vec<serde_json::Value> = days
                .iter()
                .map(|d| {
                    serde_json::json!({
                        "date": d.date.to_string(),
                        "entries": d.entries.iter().map(|e| serde_json::json!({
                            "kind": kind_code(e),
                            "text": entry_text(e, lang),
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            println!(
                "{}",
                serde_json::json!({"from": from.to_string(), "to": to.to_string(),
                                   "overdue_before": earlier, "days": v})
            );
        }
        super::Format::Csv => {
            let fail = |t: crate::domain::Text| anyhow::anyhow!(t.get(lang).to_string());
            let mut w = crate::io::cells::CsvOut::new();
            w.row(&["date", "kind", "text"]).map_err(fail)?;
            for d in &days {
                for e in &d.entries {
                    w.row(&[d.date.to_string(), kind_code(e), entry_text(e, lang)])
                        .map_err(fail)?;
                }
            }
            print!("{}", w.finish().map_err(fail)?);
        }
        _ => print!("{}", text(&days, earlier, from, to, lang)),
    }
    Ok(0)
}

/// The agenda as lines of at most 80 columns: a title, the overdue count, then each day's
/// heading (和暦 and weekday) and its entries.
pub fn text(
    days: &[crate::app::agenda::Day],
    earlier: usize,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    lang: Lang,
) -> String {
    use crate::text::{sanitize, truncate};
    let mut out = format!(
        "{} {}〜{}\n",
        lang.t(Msg::AgendaTitle),
        day_heading(from, lang),
        day_heading(to, lang)
    );
    if earlier > 0 {
        out += &match lang {
            Lang::Ja => format!("! {earlier}{}\n", lang.t(Msg::AgendaEarlier)),
            Lang::En => format!("! {earlier} {}\n", lang.t(Msg::AgendaEarlier)),
        };
    }
    if days.is_empty() {
        out += &format!("{}\n", lang.t(Msg::AgendaNothing));
    }
    for d in days {
        out += &format!("\n■ {}\n", day_heading(d.date, lang));
        for e in &d.entries {
            out += &format!("  {}\n", truncate(&sanitize(&entry_text(e, lang)), 78));
        }
    }
    out
}
