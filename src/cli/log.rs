//! `kyodo log tally|consultation|meeting`: one record from the shell, for scripts and
//! one-liners. Names resolve by exact name or kana (or login for staff); unknown or ambiguous
//! names are errors that list candidates. Nothing is written unless every argument is valid.

use crate::app::resolve::resolve;
use crate::domain::*;
use crate::store::Store;
use clap::{Args, Subcommand};

/// What to log.
#[derive(Debug, Subcommand)]
pub enum LogCommand {
    /// A 相談件数 tally: count-only consultations
    Tally(TallyArgs),
    /// A detailed 相談 (consultation)
    Consultation(ConsultationArgs),
    /// A チーム会議 (team meeting)
    Meeting(MeetingArgs),
}

/// `kyodo log tally`.
#[derive(Debug, Args)]
pub struct TallyArgs {
    /// Category, e.g. 話し合い支援 or dialogue_support
    #[arg(long)]
    pub category: String,
    /// Channel: 来所, 電話, メール, 訪問, オンライン (or visit, phone, email, outreach, online)
    #[arg(long)]
    pub channel: String,
    /// How many consultations
    #[arg(long, default_value_t = 1)]
    pub count: u32,
    /// Date (2024-04-01, R6.4.1, 令和6年4月1日…) [default: today]
    #[arg(long)]
    pub date: Option<String>,
}

/// `kyodo log consultation`.
#[derive(Debug, Args)]
pub struct ConsultationArgs {
    /// Channel: 来所, 電話, メール, 訪問, オンライン
    #[arg(long)]
    pub channel: String,
    /// Category (repeat for several; the first is the main one)
    #[arg(long = "category", required = true)]
    pub categories: Vec<String>,
    /// Client: a body, by name or kana
    #[arg(long, conflicts_with = "client_group")]
    pub client_body: Option<String>,
    /// Client: another group (自治会, NPO…), by name
    #[arg(long)]
    pub client_group: Option<String>,
    /// Counselor by name, kana or login [default: you]
    #[arg(long)]
    pub counselor: Option<String>,
    /// Date [default: today]
    #[arg(long)]
    pub date: Option<String>,
    /// Number of people
    #[arg(long, default_value_t = 1)]
    pub people: u32,
    /// Minutes spent
    #[arg(long, default_value_t = 0)]
    pub minutes: u32,
    /// 相談内容 (may hold personal information)
    #[arg(long, default_value = "")]
    pub summary: String,
    /// The 相談案件 it belongs to, by its number (e.g. C2023-001)
    #[arg(long, value_name = "NUMBER")]
    pub case: Option<String>,
}

/// `kyodo log meeting`.
#[derive(Debug, Args)]
pub struct MeetingArgs {
    /// Body, by name or kana
    #[arg(long)]
    pub body: String,
    /// Date
    #[arg(long)]
    pub date: String,
    /// 議題
    #[arg(long)]
    pub agenda: String,
    /// 場所
    #[arg(long, default_value = "")]
    pub place: String,
    /// Attending staff by name, kana or login (repeat)
    #[arg(long = "attendee")]
    pub attendees: Vec<String>,
    /// Other attendees as written (body officers, guests)
    #[arg(long, default_value = "")]
    pub guests: String,
    /// 記録
    #[arg(long, default_value = "")]
    pub notes: String,
    /// 決定事項
    #[arg(long, default_value = "")]
    pub decisions: String,
}

/// The id of the 相談案件 numbered `number`.
///
/// Errors: no case has that number (the message lists the open ones).
fn case_id(store: &Store, number: &str) -> Result<u64, Text> {
    use crate::domain::consultation_case::{CaseStatus, ConsultationCase};
    let cases = store.list::<ConsultationCase>().items;
    if let Some(c) = cases.iter().find(|c| c.number == number.trim()) {
        return Ok(c.id);
    }
    let open: Vec<&str> = cases
        .iter()
        .filter(|c| c.status == CaseStatus::Continuing)
        .map(|c| c.number.as_str())
        .collect();
    Err(Text::new(
        format!(
            "--case: 「{number}」という相談案件はありません。継続中の案件: {}",
            open.join("、")
        ),
        format!(
            "--case: no case '{number}'; continuing cases: {}",
            open.join(", ")
        ),
    ))
}

fn date_or_today(d: &Option<String>) -> Result<chrono::NaiveDate, Text> {
    match d {
        Some(s) => parse_date(s).map_err(|e| e.text().prefixed("--date: ")),
        None => Ok(chrono::Local::now().date_naive()),
    }
}

fn vocab<T>(
    flag: &str,
    v: &str,
    parse: fn(&str) -> Option<T>,
    choices: fn() -> String,
) -> Result<T, Text> {
    parse(v).ok_or_else(|| {
        Text::new(
            format!(
                "--{flag}: 「{v}」は使えません。次のどれかにしてください: {}",
                choices()
            ),
            format!("--{flag}: unknown value '{v}'; use one of {}", choices()),
        )
    })
}

/// Checks each `(flag, field, value)` against the field's size limit.
fn within_limits(args: &[(&str, &str, &str)]) -> Result<(), Text> {
    for (flag, field, v) in args {
        crate::domain::limits::check_field(field, v)
            .map_err(|e| e.prefixed(&format!("--{flag}: ")))?;
    }
    Ok(())
}

/// Builds the record the arguments describe, or says what is wrong.
fn build(store: &Store, cmd: &LogCommand) -> Result<(Text, crate::store::Batch), Text> {
    match cmd {
        LogCommand::Tally(_) => {}
        LogCommand::Consultation(a) => within_limits(&[
            ("summary", "summary", &a.summary),
            (
                "client-group",
                "client_name",
                a.client_group.as_deref().unwrap_or(""),
            ),
        ])?,
        LogCommand::Meeting(a) => within_limits(&[
            ("agenda", "agenda", &a.agenda),
            ("place", "place", &a.place),
            ("guests", "guests", &a.guests),
            ("notes", "notes", &a.notes),
            ("decisions", "decisions", &a.decisions),
        ])?,
    }
    let mut b = crate::store::Batch::new();
    let bodies = store.list::<Body>().items;
    let staff = store.list::<Staff>().items;
    let desc = match cmd {
        LogCommand::Tally(a) => {
            let t = ConsultationTally {
                id: 0,
                date: date_or_today(&a.date)?,
                category: vocab("category", &a.category, Category::parse, Category::choices)?,
                channel: vocab("channel", &a.channel, Channel::parse, Channel::choices)?,
                count: a.count,
            };
            rules::tally_count(t.count).map_err(|e| e.prefixed("--count: "))?;
            let d = Text::new(
                format!(
                    "相談件数 {} {} {} ×{}",
                    Lang::Ja.date(t.date),
                    t.category.ja(),
                    t.channel.ja(),
                    t.count
                ),
                format!(
                    "tally {} {} {} ×{}",
                    t.date,
                    t.category.label(Lang::En),
                    t.channel.label(Lang::En),
                    t.count
                ),
            );
            b.put(t);
            d
        }
        LogCommand::Consultation(a) => {
            let counselor = match &a.counselor {
                Some(n) => {
                    resolve(&staff, n)
                        .map_err(|e| e.text().prefixed("--counselor: "))?
                        .id
                }
                None => store.actor().staff_id.ok_or_else(|| {
                    let login = &store.actor().login;
                    Text::new(
                        format!("あなた(OS ログイン「{login}」)は kyodo の職員に登録されていません。--counselor 氏名 を指定してください"),
                        format!("you (OS login '{login}') are not a staff member in kyodo; pass --counselor NAME"),
                    )
                })?,
            };
            let client = match (&a.client_body, &a.client_group) {
                (Some(n), _) => Client::Body(
                    resolve(&bodies, n)
                        .map_err(|e| e.text().prefixed("--client-body: "))?
                        .id,
                ),
                (None, Some(g)) if !g.trim().is_empty() => Client::Group(g.trim().to_string()),
                _ => Client::Individual,
            };
            let mut categories = Vec::new();
            for c in &a.categories {
                categories.push(vocab("category", c, Category::parse, Category::choices)?);
            }
            let c = Consultation {
                id: 0,
                date: date_or_today(&a.date)?,
                counselor_id: counselor,
                client,
                channel: vocab("channel", &a.channel, Channel::parse, Channel::choices)?,
                categories,
                people: a.people,
                minutes: a.minutes,
                summary: a.summary.clone(),
                case_id: match &a.case {
                    None => 0,
                    Some(n) => case_id(store, n)?,
                },
            };
            let cats = |l: Lang| {
                c.categories
                    .iter()
                    .map(|x| x.label(l))
                    .collect::<Vec<_>>()
                    .join("・")
            };
            let d = Text::new(
                format!("相談 {} {}", Lang::Ja.date(c.date), cats(Lang::Ja)),
                format!("consultation {} {}", c.date, cats(Lang::En)),
            );
            b.put(c);
            d
        }
        LogCommand::Meeting(a) => {
            let body = resolve(&bodies, &a.body).map_err(|e| e.text().prefixed("--body: "))?;
            let mut attendees = Vec::new();
            for n in &a.attendees {
                attendees.push(
                    resolve(&staff, n)
                        .map_err(|e| e.text().prefixed("--attendee: "))?
                        .id,
                );
            }
            if a.agenda.trim().is_empty() {
                return Err(Text::new(
                    "--agenda: 必須です。何についての会議かを書いてください",
                    "--agenda: required; say what the meeting was about",
                ));
            }
            let m = TeamMeeting {
                id: 0,
                body_id: body.id,
                date: parse_date(&a.date).map_err(|e| e.text().prefixed("--date: "))?,
                place: a.place.clone(),
                attendees,
                guests: a.guests.clone(),
                agenda: a.agenda.clone(),
                notes: a.notes.clone(),
                decisions: a.decisions.clone(),
                follow_ups: Vec::new(),
            };
            let d = Text::new(
                format!("チーム会議 {} {}", Lang::Ja.date(m.date), body.name),
                format!("team meeting {} {}", m.date, body.name),
            );
            b.put(m);
            d
        }
    };
    Ok((desc, b))
}

/// Runs `kyodo log`; returns the exit code (0 saved, 2 invalid input, 1 storage error).
pub fn run(store: &Store, cmd: &LogCommand) -> i32 {
    let lang = Lang::from_env();
    match build(store, cmd) {
        Err(msg) => {
            eprintln!("kyodo log: {}", crate::text::sanitize(msg.get(lang)));
            2
        }
        Ok((desc, batch)) => match store.write(batch) {
            Ok(keys) => {
                let id = keys
                    .first()
                    .and_then(|k| crate::store::keys::parse_id(k))
                    .unwrap_or(0);
                println!(
                    "{}: {} (#{id})",
                    lang.t(crate::i18n::Msg::CliSaved),
                    crate::text::sanitize(desc.get(lang))
                );
                0
            }
            Err(e) => {
                eprintln!(
                    "kyodo log: {}: {}",
                    lang.t(crate::i18n::Msg::CliNotSaved),
                    crate::text::sanitize(&e.text(lang))
                );
                1
            }
        },
    }
}
