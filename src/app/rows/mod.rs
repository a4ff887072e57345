//! How each item reads on screen: the columns of each pane, a row's cells, its detail view and
//! the text a filter matches. Pure functions of the data and the language.

use super::data::{Item, Lookups};
use super::state::View;
use crate::domain::*;
use crate::i18n::{Lang, Msg};

mod detail;
pub use detail::*;
pub mod related;
mod search;
pub use search::search_text;

/// A column's header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Title {
    /// A label of the message table.
    Msg(Msg),
    /// Field `.1` of a record type: the type's label for it, else the shared one.
    Field(RecordKind, &'static str),
    /// A fiscal year of the plan view (`R6`, `H27`); `true` for the year on screen, marked
    /// `*R7` in the header so that no status cell is cut (issue 16.2).
    Year(FiscalYear, bool),
}

impl Title {
    /// The header in `lang`.
    pub fn text(self, lang: Lang) -> std::borrow::Cow<'static, str> {
        match self {
            Title::Msg(m) => lang.t(m).into(),
            Title::Field(k, f) => lang.field_of(k.file(), f).into(),
            Title::Year(fy, true) => format!("*{}", lang.fy_short(fy)).into(),
            Title::Year(fy, false) => lang.fy_short(fy).into(),
        }
    }
}

/// The plan view's columns for `plan`: number, 事業名, 種別, then one per year of the plan,
/// the year on screen (`fy`) marked (issue 16.2).
pub fn plan_columns(
    plan: &crate::app::plan_view::PlanInfo,
    fy: FiscalYear,
    lang: Lang,
) -> Vec<Column> {
    let mut cols = columns(View::PlanActions);
    cols.extend(plan.years().into_iter().map(|y| {
        // As wide as its header (`*2026` is five cells), at least a status's four.
        let title = Title::Year(y, y == fy);
        let width = (crate::text::width(&title.text(lang)) as u16).max(4);
        Column {
            title,
            width,
            right: false,
            min: width,
        }
    }));
    cols
}

/// A column of a list pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Header label.
    pub title: Title,
    /// Width in cells; 0 = takes the remaining width.
    pub width: u16,
    /// Right-aligned (numbers, money).
    pub right: bool,
    /// How narrow it may get when the name column (the one that takes the rest) is cut: equal
    /// to `width` for a column that must not shrink. For the name column: the width it wants
    /// before the others give up any (names are cut last).
    pub min: u16,
}

const fn col(title: Msg, width: u16, right: bool) -> Column {
    Column {
        title: Title::Msg(title),
        width,
        right,
        min: width,
    }
}

/// A column that gives up cells, down to `min`, while the name column is narrower than it wants.
const fn flex(title: Msg, width: u16, min: u16, right: bool) -> Column {
    Column {
        title: Title::Msg(title),
        width,
        right,
        min,
    }
}

/// The name column: takes the rest of the width, and wants `want` cells before it is cut.
const fn name(title: Msg, want: u16) -> Column {
    Column {
        title: Title::Msg(title),
        width: 0,
        right: false,
        min: want,
    }
}

/// The columns of a view, sized so that every view fits in 80 cells.
pub fn columns(view: View) -> Vec<Column> {
    match view {
        View::Records(k) => k
            .list_columns()
            .iter()
            // A type declares its columns' widths; the one of width 0 is its name (cut last,
            // wanting 20 cells) and the wide ones give up a quarter before it is cut.
            .map(|(f, w)| Column {
                title: Title::Field(k, f),
                width: *w,
                right: false,
                min: match *w {
                    0 => 20,
                    w if w >= 10 => (w * 3).div_ceil(4),
                    w => w,
                },
            })
            .collect(),
        View::Indicators => vec![
            name(Msg::Indicator, 34),
            flex(Msg::Value, 8, 6, true),
            col(Msg::Baseline, 8, true),
            flex(Msg::Target, 8, 6, true),
            col(Msg::Pace, 6, false),
            col(Msg::Achievement, 15, false),
        ],
        View::IndicatorDefs => vec![
            name(Msg::Indicator, 34),
            flex(Msg::Unit, 8, 6, false),
            flex(Msg::Baseline, 8, 6, true),
            col(Msg::BaselineFy, 10, false),
            flex(Msg::Target, 8, 6, true),
            col(Msg::TargetFy, 10, false),
            col(Msg::Retired, 4, false),
        ],
        // The year columns are the shown plan's own ([`plan_columns`]).
        View::PlanActions => vec![
            col(Msg::ActionNo, 3, true),
            name(Msg::ActionTitle, 30),
            col(Msg::Kind, 4, false),
        ],
        View::Bodies => vec![
            name(Msg::Name, 24),
            flex(Msg::District, 6, 4, false),
            flex(Msg::BranchOffice, 10, 8, false),
            col(Msg::Households, 8, true),
            col(Msg::Population, 8, true),
            col(Msg::Established, 10, false),
        ],
        View::Activities => vec![
            col(Msg::Date, 10, false),
            flex(Msg::Body, 24, 14, false),
            name(Msg::Title, 24),
            flex(Msg::Role, 8, 6, false),
            col(Msg::Participants, 6, true),
        ],
        View::Staff => vec![
            col(Msg::Name, 14, false),
            flex(Msg::Kana, 18, 10, false),
            name(Msg::Section, 12),
            flex(Msg::Role, 10, 8, false),
            flex(Msg::Assignments, 14, 10, false),
        ],
        View::Assignments => vec![
            name(Msg::Body, 24),
            col(Msg::Name, 14, false),
            flex(Msg::Role, 8, 6, false),
            col(Msg::Period, 21, false),
        ],
        View::Meetings => vec![
            col(Msg::Date, 10, false),
            flex(Msg::Body, 24, 14, false),
            name(Msg::Agenda, 24),
            col(Msg::OpenFollowUps, 8, true),
        ],
        View::Consultations | View::Matrix => vec![
            col(Msg::Date, 10, false),
            col(Msg::Kind, 8, false),
            flex(Msg::Category, 18, 12, false),
            flex(Msg::Channel, 10, 8, false),
            col(Msg::Count, 5, true),
            name(Msg::Client, 24),
        ],
        View::Grants => vec![
            name(Msg::Recipient, 14),
            flex(Msg::Program, 10, 10, false),
            col(Msg::Decided, 11, true),
            col(Msg::Paid, 11, true),
            flex(Msg::Remaining, 11, 10, true),
            flex(Msg::RefundCol, 11, 10, true),
            flex(Msg::State, 8, 8, false),
        ],
        View::Actions => vec![
            name(Msg::Recipient, 14),
            col(Msg::Program, 10, false),
            flex(Msg::FyCol, 10, 8, false),
            col(Msg::State, 8, false),
            flex(Msg::ViewActions, 22, 18, false),
        ],
        View::Programs => vec![
            name(Msg::Program, 24),
            flex(Msg::Budget, 14, 12, true),
            flex(Msg::Decided, 14, 12, true),
            flex(Msg::Paid, 14, 12, true),
        ],
        View::Payments => vec![
            col(Msg::Date, 10, false),
            name(Msg::Recipient, 20),
            col(Msg::Kind, 8, false),
            col(Msg::Amount, 13, true),
            flex(Msg::Program, 16, 10, false),
        ],
        View::MyWork | View::Agenda => vec![name(Msg::Record, 40)],
        View::Audit => vec![
            col(Msg::When, 19, false),
            flex(Msg::User, 14, 10, false),
            col(Msg::Action, 8, false),
            name(Msg::Record, 24),
            col(Msg::Changes, 4, true),
        ],
    }
}

fn opt_date(lang: Lang, d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| lang.date(d)).unwrap_or_default()
}

/// A figure with separators; a missing one (a baseline not yet entered) said in words, 未入力
/// (issue 15.3).
fn figure(f: Option<Figure>, lang: Lang) -> String {
    f.map(Figure::grouped)
        .unwrap_or_else(|| lang.t(Msg::NotEnteredShort).to_string())
}

/// A row's cells, one per column of its pane (unsanitised: the view sanitises).
pub fn cells(item: &Item, lk: &Lookups, lang: Lang, fy: FiscalYear) -> Vec<String> {
    match item {
        Item::Record(r) => r.cells(lang),
        Item::Indicator(s) => vec![
            match lang {
                Lang::Ja => s.indicator.name_ja.clone(),
                Lang::En => s.indicator.name_en.clone(),
            },
            figure(s.value, lang),
            figure(s.indicator.baseline, lang),
            figure(Some(s.indicator.target), lang),
            match s.pace {
                Some(p) if p.pending => lang.t(Msg::Pending).to_string(),
                Some(p) if p.on_pace => lang.t(Msg::OnPace).to_string(),
                Some(_) => lang.t(Msg::Behind).to_string(),
                None => String::new(),
            },
            s.achievement
                .map(|a| format!("{:.1}%", a * 100.0))
                .unwrap_or_else(|| "-".into()),
        ],
        Item::Body(b) => {
            let (_, households, population) = lk.counts_in(b, fy);
            vec![
                b.name.clone(),
                b.district.clone(),
                b.branch_office.clone(),
                money::group_digits(households as i64),
                money::group_digits(population as i64),
                lang.date(b.established_on),
            ]
        }
        Item::Staff(s) => {
            let bodies: Vec<String> = lk
                .assignments
                .iter()
                .filter(|a| a.staff_id == s.id && a.overlaps(fy))
                .map(|a| short_body(&lk.body_name(a.body_id)))
                .collect();
            vec![
                s.name.clone(),
                s.kana.clone(),
                s.section.clone(),
                if s.active {
                    s.role.label(lang).to_string()
                } else {
                    lang.t(Msg::Inactive).to_string()
                },
                bodies.join(","),
            ]
        }
        Item::Meeting(m) => vec![
            lang.date(m.date),
            lk.body_name(m.body_id),
            m.agenda.clone(),
            {
                let open = m.follow_ups.iter().filter(|f| !f.done).count();
                format!("{open}/{}", m.follow_ups.len())
            },
        ],
        Item::Consultation(c) => vec![
            lang.date(c.date),
            lang.t(Msg::Detailed).to_string(),
            c.categories
                .iter()
                .map(|c| c.label(lang))
                .collect::<Vec<_>>()
                .join("・"),
            c.channel.label(lang).to_string(),
            "1".to_string(),
            client(&c.client, lk, lang),
        ],
        Item::Tally(t) => vec![
            lang.date(t.date),
            lang.t(Msg::Tally).to_string(),
            t.category.label(lang).to_string(),
            t.channel.label(lang).to_string(),
            t.count.to_string(),
            String::new(),
        ],
        Item::Grant(g) => {
            let m = g.money;
            vec![
                lk.recipient_name(g.grant.recipient),
                match &g.award {
                    Some(a) => format!("{}/{} {}", a.year, a.years, short_program(&g.program)),
                    None => short_program(&g.program),
                },
                g.grant
                    .decided_amount
                    .map(|a| lang.yen(a))
                    .unwrap_or_else(|| "-".into()),
                lang.yen(m.paid - m.refunded),
                lang.yen(g.remaining()),
                if m.refund_due > 0 {
                    format!("!{}", lang.yen(m.refund_due))
                } else if m.refunded > 0 {
                    lang.yen(m.refunded)
                } else {
                    String::new()
                },
                g.grant.state.label(lang).to_string(),
            ]
        }
        Item::IndicatorDef(i) => vec![
            match lang {
                Lang::Ja => i.name_ja.clone(),
                Lang::En => i.name_en.clone(),
            },
            match lang {
                Lang::Ja => i.unit_ja.clone(),
                Lang::En => i.unit_en.clone(),
            },
            figure(i.baseline, lang),
            lang.fy(i.baseline_fy),
            figure(Some(i.target), lang),
            lang.fy(i.target_fy),
            if i.retired {
                lang.t(Msg::Retired).to_string()
            } else {
                String::new()
            },
        ],
        Item::PlanAction(a) => {
            let mut v = vec![
                a.number.to_string(),
                a.title.clone(),
                a.kind.short(lang).to_string(),
            ];
            // One column per year of its plan, as [`plan_columns`] heads them (the year on
            // screen is marked in the header, not here, so no status is cut).
            for y in (a.plan_start.0..=a.plan_end.0).take(crate::app::plan_view::MAX_YEARS) {
                v.push(
                    a.status(FiscalYear(y))
                        .map(|s| s.short(lang).to_string())
                        .unwrap_or_default(),
                );
            }
            v
        }
        Item::ActionRow(r, a) => vec![
            r.body.clone(),
            short_program(&r.program),
            lang.fy(r.fiscal_year),
            r.state.label(lang).to_string(),
            a.text(lang),
        ],
        Item::Activity(a) => vec![
            lang.date(a.date),
            lk.body_name(a.body_id),
            a.title.clone(),
            a.role.label(lang).to_string(),
            a.participants.to_string(),
        ],
        Item::Assignment(a) => vec![
            lk.body_name(a.body_id),
            lk.staff_name(a.staff_id),
            a.role.label(lang).to_string(),
            format!("{}〜{}", lang.date(a.from), opt_date(lang, a.to)),
        ],
        Item::Program(p, s) => vec![
            p.name.clone(),
            lang.yen(p.budget),
            lang.yen(s.decided),
            lang.yen(s.paid),
        ],
        Item::Payment(d, recipient, program) => vec![
            lang.date(d.date),
            lk.recipient_name(*recipient),
            d.kind.label(lang).to_string(),
            lang.yen(d.amount),
            program.clone(),
        ],
        Item::Section(Msg::AgendaDay, day) => vec![crate::app::agenda::day_row(day, lang)],
        Item::Section(Msg::AgendaMonthKeys, first) => {
            vec![crate::app::agenda::month_row(first, lang)]
        }
        Item::Agenda(e) => vec![format!("  {}", crate::app::agenda::entry_text(e, lang))],
        Item::Section(m, detail) if detail.is_empty() => vec![format!("■ {}", lang.t(*m))],
        Item::Section(m, detail) => vec![format!("■ {detail}: {}", lang.t(*m))],
        Item::MyBody(b, r) => vec![format!("  {} ({})", b.name, r.label(lang))],
        Item::FollowUp(m, i) => {
            let f = &m.follow_ups[*i];
            let late = f.due.is_some_and(|d| d < chrono::Local::now().date_naive());
            vec![format!(
                "  [{}] {} {} / {}{}",
                if f.done { "x" } else { " " },
                opt_date(lang, f.due),
                f.text,
                lk.body_name(m.body_id),
                if late {
                    format!("  !{}", lang.t(Msg::Overdue))
                } else {
                    String::new()
                }
            )]
        }
        Item::Due(d) => {
            let today = chrono::Local::now().date_naive();
            let place = if d.body.is_empty() { &d.who } else { &d.body };
            vec![format!(
                "      {} {} {} / {}{}",
                lang.date(d.due),
                match lang {
                    Lang::Ja => format!("【{}】", d.kind.label(lang)),
                    Lang::En => format!("[{}]", d.kind.label(lang)),
                },
                d.what,
                place,
                if d.due < today {
                    format!("  !{}", lang.t(Msg::Overdue))
                } else {
                    String::new()
                }
            )]
        }
        Item::MyMeeting(m) => vec![format!(
            "  {} {} {}",
            lang.date(m.date),
            lk.body_name(m.body_id),
            m.agenda
        )],
        Item::Audit(e, t) => {
            let t = &t[usize::from(lang == Lang::En)];
            vec![
                t.when.clone(),
                t.actor.clone(),
                t.action.clone(),
                format!("{} {}  {}", t.record_type, t.record, e.record.note)
                    .trim_end()
                    .to_string(),
                t.changes.len().to_string(),
            ]
        }
    }
}

/// Whether a My work row is an overdue follow-up (highlighted).
pub fn overdue(item: &Item, today: chrono::NaiveDate) -> bool {
    match item {
        Item::FollowUp(m, i) => {
            let f = &m.follow_ups[*i];
            !f.done && f.due.is_some_and(|d| d < today)
        }
        Item::Due(d) => d.due < today,
        _ => false,
    }
}

/// A program's name as a list column shows it: what tells it from the others, without the
/// `地域づくり` and `交付金` most names share (`地域づくりモデル事業交付金` → `モデル事業`;
/// `地域づくり交付金` → `地域づくり`).
pub fn short_program(name: &str) -> String {
    let core = name
        .strip_suffix("交付金")
        .or_else(|| name.strip_suffix("補助金"))
        .unwrap_or(name);
    match core.strip_prefix("地域づくり") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ if !core.is_empty() => core.to_string(),
        _ => name.to_string(),
    }
}

/// A body's name as short lists show it: the part before 地区 (`花泉地区まちづくり協議会` → `花泉`).
pub fn short_body(name: &str) -> String {
    name.split("地区").next().unwrap_or(name).to_string()
}

fn client(c: &Client, lk: &Lookups, lang: Lang) -> String {
    match c {
        Client::Body(id) => lk.body_name(*id),
        Client::Group(n) => n.clone(),
        Client::Individual => lang.t(Msg::Individual).to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_program_is_shown_by_what_tells_it_apart() {
        use super::short_program as s;
        assert_eq!(s("地域づくりモデル事業交付金"), "モデル事業");
        assert_eq!(s("地域づくり交付金"), "地域づくり");
        assert_eq!(s("人材育成補助金"), "人材育成");
        assert_eq!(s("交付金"), "交付金");
        assert_eq!(s("まちづくり基金"), "まちづくり基金");
    }
}
