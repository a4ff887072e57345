//! Command line (clap): which command, which database, and the demo switch.

pub mod agenda;
pub mod allocation;
pub mod audit;
pub mod bar;
mod breakdown;
pub mod centers;
pub mod check;
pub mod doc;
pub mod due;
pub mod evaluations;
pub mod help;
pub mod import;
mod ledger;
pub mod log;
pub mod progress;
pub mod report;
pub mod requests;
mod restore;
mod session;
pub mod staff;
pub mod survey;
pub mod training;
use restore::*;
pub use session::*;

use crate::domain::FiscalYear;
use crate::store::Store;
use clap::{Parser, Subcommand, ValueEnum};
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;

/// kyodo — 協働のまちづくり: community collaboration bodies, liaison staff, team meetings,
/// consultations, subsidies and the plan's indicators, in the terminal.
#[derive(Debug, Parser)]
#[command(name = "kyodo", version, about, long_about = None)]
pub struct Cli {
    /// Database directory [default: $XDG_DATA_HOME/kyodo/db]
    #[arg(long, global = true, env = "KYODO_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Use a fresh temporary copy of the demo dataset (your own database is never touched)
    #[arg(long, global = true)]
    pub demo: bool,
    /// Language of every message and report: ja or en (default: KYODO_LANG, then the locale)
    #[arg(long, global = true, value_name = "LANG", value_parser = ["ja", "en"])]
    pub lang: Option<String>,
    /// What to do; without a command, kyodo opens the TUI
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import CSV files: a directory of <type>.csv files, or one file (see data/demo/README.md)
    Import {
        /// A directory of CSV files, or one CSV file named after its record type
        path: PathBuf,
    },
    /// Print a report: the plan's indicators (default), the subsidy ledger, a plan's progress or the requests
    Report {
        /// Which report
        #[arg(value_enum, default_value_t = ReportKind::Indicators)]
        kind: ReportKind,
        /// Fiscal year: 2022, FY2022, R4 or 令和4年度 [default: the current fiscal year]
        #[arg(long, value_name = "YEAR", value_parser = parse_fy_arg)]
        fy: Option<FiscalYear>,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Output encoding (cp932 refuses characters it cannot write, naming the record and field)
        #[arg(long, value_enum, default_value_t = crate::io::encoding::Encoding::Utf8)]
        encoding: crate::io::encoding::Encoding,
        /// Subsidies: only this program (by name)
        #[arg(long)]
        program: Option<String>,
        /// Indicators: break the counted figures down by month, category, channel, body or district
        #[arg(long, value_enum)]
        by: Option<report::By>,
        /// Progress: the plan, by name (e.g. 第3次一関市協働推進計画)
        #[arg(long)]
        plan: Option<String>,
        /// Allocation: the 配分シナリオ to try, a CSV in the layout of allocation_scenarios.csv
        #[arg(long, value_name = "FILE")]
        scenario: Option<PathBuf>,
        /// Allocation: the program of the year whose current amounts it is set beside (by name)
        #[arg(long, value_name = "PROGRAM")]
        compare: Option<String>,
    },
    /// 職員意識調査: import a round's answers as a form tool exports them
    Survey {
        /// What to do
        #[command(subcommand)]
        what: survey::SurveyCommand,
    },
    /// Record one tally, consultation or team meeting from the shell
    Log {
        /// What to record
        #[command(subcommand)]
        what: log::LogCommand,
    },
    /// Print the audit trail (who changed what, when), newest first
    Audit {
        /// Only entries on or after this date
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// Only entries by this OS login
        #[arg(long, value_name = "LOGIN")]
        user: Option<String>,
        /// Output format (text, csv for Excel, or json)
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Verify indexes, counters, references, grant invariants and the audit chain
    Check {
        /// Rebuild indexes and counters from the records first, and say what changed
        #[arg(long)]
        repair: bool,
        /// Also report documents whose path (not a URL) does not exist on this machine
        #[arg(long)]
        files: bool,
    },
    /// Write the whole database to FILE (a compressed archive that does not depend on the engine)
    Backup {
        /// The archive to write (replaced atomically)
        file: PathBuf,
    },
    /// Restore an archive made by `kyodo backup` into the database named by --db: a new or
    /// empty one, or one kyodo refuses to run on (it is kept beside as PATH.damaged-…). The
    /// archive is verified before anything is switched in.
    Restore {
        /// The archive to read
        #[arg(required_unless_present = "latest", conflicts_with = "latest")]
        file: Option<PathBuf>,
        /// The newest automatic backup of this database (see `kyodo serve`, README "Backups")
        #[arg(long)]
        latest: bool,
    },
    /// Serve the database to everyone on this machine over a Unix socket (shared use; README,
    /// "Shared server"). Other kyodo commands and TUIs use it when it answers.
    Serve {
        /// Socket path [default: KYODO_SOCKET, else <db>/kyodo.sock]
        #[arg(long, value_name = "PATH")]
        socket: Option<PathBuf>,
        /// Append the server's log to this file instead of standard error
        #[arg(long, value_name = "FILE")]
        log: Option<PathBuf>,
    },
    /// List staff, add people, and set their role or login, or mark them as having left
    Staff {
        /// What to do
        #[command(subcommand)]
        what: staff::StaffCommand,
    },
    /// List everything due or overdue in date order (follow-ups, grant reports, request
    /// replies, case contacts) with who is responsible; exits 1 when something is overdue
    Due {
        /// Also what falls due within this many days
        #[arg(long, value_name = "DAYS", default_value_t = 14)]
        within: u32,
        /// Only what the person logged in is responsible for
        #[arg(long)]
        me: bool,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Meetings and what falls due, day by day, for a week (default) or a month
    Agenda {
        /// The week of the day given (Monday to Sunday; the default)
        #[arg(long, conflicts_with = "month")]
        week: bool,
        /// The calendar month of the day given
        #[arg(long)]
        month: bool,
        /// A day inside the period (default today): 2024-05-12, R6.5.12, 5/12
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
        /// Only the meetings of my bodies or that I attend, and what is due for me
        #[arg(long)]
        me: bool,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Write one record type as CSV in the layout `kyodo import` reads (Excel-ready)
    Export {
        /// The record type, as its CSV file is named (bodies, team_meetings, consultations,
        /// grants, …; an unknown name is answered with the whole list)
        kind: String,
        /// Only this fiscal year (dated records, programs and their grants and payments)
        #[arg(long, value_name = "YEAR", value_parser = parse_fy_arg)]
        fy: Option<FiscalYear>,
        /// Output encoding (cp932 refuses characters it cannot write, naming the record and field)
        #[arg(long, value_enum, default_value_t = crate::io::encoding::Encoding::Utf8Bom)]
        encoding: crate::io::encoding::Encoding,
        /// Write to this file instead of standard output
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

/// Which report `kyodo report` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportKind {
    /// Every plan indicator for the fiscal year (成果指標).
    Indicators,
    /// The subsidy ledger: each grant's decided, paid, confirmed and due amounts (交付金台帳).
    Subsidies,
    /// A plan's yearly progress report for its committee (--plan; 進捗状況報告).
    Progress,
    /// The bodies' requests of the year: counts by state and by section, and the list (要望・提言).
    Requests,
    /// Each 市民センター: under 指定管理 that year or not, by whom, period and fee (指定管理).
    Centers,
    /// A 配分シナリオ (--scenario FILE) beside a program's current amounts (--compare), per body.
    Allocation,
    /// The year's 協働事業 with their evaluations, stage by stage (協働事業評価; publishable).
    Evaluations,
    /// Staff training of the year: by training, by section, the share of city staff trained.
    Training,
    /// The year's 職員意識調査: response rate, awareness, answers, sections of 5 or more.
    Survey,
}

/// Report output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned text for reading.
    Text,
    /// JSON for programs.
    Json,
    /// CSV for Excel.
    Csv,
    /// Markdown for documents (headers, one table per program or group, subtotals).
    Md,
    /// One printable HTML file (A4; for the committee or the archive).
    Html,
}

fn parse_fy_arg(s: &str) -> Result<FiscalYear, String> {
    crate::domain::parse_fiscal_year(s)
        .map_err(|t| t.get(crate::i18n::Lang::from_env()).to_string())
}

/// What `kyodo export` says once written (on standard error, so the CSV on standard output
/// stays clean): how many rows of which type went where, and for consultations that the tallies
/// are a type of their own.
fn export_said(
    kind: &str,
    rows: usize,
    path: Option<&std::path::Path>,
    lang: crate::i18n::Lang,
) -> String {
    use crate::i18n::Lang;
    let to = path.map_or_else(
        || lang.t(crate::i18n::Msg::StandardOutput).to_string(),
        |p| crate::text::sanitize(&p.display().to_string()),
    );
    let table = lang.table(kind);
    let mut s = match lang {
        Lang::Ja => format!("kyodo export: {table} {rows}件を {to} に書き出しました"),
        Lang::En => format!("kyodo export: wrote {rows} rows of {table} to {to}"),
    };
    if kind == "consultations" {
        s.push_str(match lang {
            Lang::Ja => "(件数だけの記録は consultation_tallies で別に書き出します)",
            Lang::En => " (counted-only records are exported as consultation_tallies)",
        });
    }
    s
}

/// `kyodo backup`'s work with a progress bar (see [`bar::Bar`]).
fn backup_with_bar(
    store: &crate::store::Store,
    file: &std::path::Path,
) -> Result<crate::io::backup::Counts, crate::domain::Text> {
    let bar = bar::Bar::new(crate::i18n::Msg::BarBackup);
    let out = crate::io::backup::backup_with(store, file, &|done, total| bar.set(done, total));
    bar.finish();
    out
}

/// Writes `bytes` to `path` through a temporary file in the same directory, fsynced and renamed
/// into place, so a reader never sees half a file.
///
/// Errors: the directory cannot be written.
pub fn write_file_atomically(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Runs kyodo with `cli`; returns the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<i32> {
    let lang = crate::i18n::Lang::from_env();
    if let Some(Command::Restore { file, latest }) = &cli.command {
        return restore(&cli, file.as_deref(), *latest, lang);
    }
    let mut session = open_session(&cli)?;
    if !matches!(cli.command, Some(Command::Serve { .. })) {
        // (The server writes them to its log.)
        for note in session.store.open_notes() {
            eprintln!("kyodo: {}", crate::text::sanitize(note.get(lang)));
        }
    }
    let actor = current_actor(&session.store, cli.demo);
    session.store.set_actor(actor);
    // Embedded: the day's automatic backup, in the background while the TUI runs, else after
    // the command (kyodo serve makes its own).
    let auto_backup = !cli.demo
        && session.store.socket().is_none()
        && !matches!(cli.command, Some(Command::Serve { .. }));
    if auto_backup && cli.command.is_none() {
        spawn_auto_backup(&session.store);
    }
    let code = match &cli.command {
        None => {
            crate::tui::run(
                &session.store,
                lang,
                cli.demo,
                session.demo_dir.as_ref().map(|d| d.path().to_path_buf()),
            )?;
            0
        }
        Some(Command::Import { path }) => import::run(&session.store, path, lang),
        Some(Command::Log { what }) => log::run(&session.store, what),
        Some(Command::Survey { what }) => survey::run(&session.store, what, lang),
        Some(Command::Staff { what }) => staff::run(&session.store, what, lang),
        Some(Command::Serve { socket, log }) => {
            let store = session.store.with_actor(session.store.actor().clone());
            serve(store, socket.as_deref(), log.as_deref())?
        }
        Some(Command::Agenda {
            week: _,
            month,
            date,
            me,
            format,
        }) => agenda::run(
            &session.store,
            agenda::Args {
                month: *month,
                date: date.as_deref(),
                me: *me,
                format: *format,
            },
            lang,
        )?,
        Some(Command::Due { within, me, format }) => {
            due::run(&session.store, *within, *me, *format, lang)?
        }
        Some(Command::Audit {
            since,
            user,
            format,
        }) => audit::run(
            &session.store,
            since.as_deref(),
            user.as_deref(),
            *format,
            lang,
        )?,
        Some(Command::Check { repair, files }) => check::run(&session.store, *repair, *files, lang),
        Some(Command::Backup { file }) => match backup_with_bar(&session.store, file) {
            Ok(counts) => {
                let total: u64 = counts
                    .iter()
                    .filter(|(k, _)| *k != "audit")
                    .map(|(_, n)| n)
                    .sum();
                let (f, audit) = (file.display(), counts.get("audit").copied().unwrap_or(0));
                let said = crate::domain::Text::new(
                    format!(
                        "{f} にバックアップを書き出しました: 記録 {total} 件、監査記録 {audit} 件"
                    ),
                    format!("backup written to {f}: {total} records, {audit} audit entries"),
                );
                println!("{}", said.get(lang));
                0
            }
            Err(t) => {
                eprintln!("kyodo backup: {}", crate::text::sanitize(t.get(lang)));
                1
            }
        },
        Some(Command::Restore { .. }) => unreachable_restore(),
        Some(Command::Export {
            kind,
            fy,
            encoding,
            output,
        }) => {
            let bar = bar::Bar::new(crate::i18n::Msg::BarExport);
            let text = crate::io::export::csv_text_with(
                &session.store,
                kind,
                *fy,
                *encoding,
                &|done, total| bar.set(done, total),
            );
            bar.finish();
            let rows = text.as_ref().map_or(0, |t| {
                csv::ReaderBuilder::new()
                    .from_reader(t.as_bytes())
                    .records()
                    .count()
            });
            let said = export_said(kind, rows, output.as_deref(), lang);
            match (text, output) {
                (Ok(t), Some(path)) => match crate::io::encoding::encode(*encoding, &t)
                    .map_err(|e| e.get(lang).to_string())
                    .and_then(|b| {
                        write_file_atomically(path, &b)
                            .map_err(|e| format!("{}: {e}", path.display()))
                    }) {
                    Ok(()) => {
                        eprintln!("{said}");
                        0
                    }
                    Err(m) => {
                        eprintln!("kyodo export: {}", crate::text::sanitize(&m));
                        1
                    }
                },
                (out, None) => {
                    let ok = out.is_ok();
                    let code = report::emit("export", out, *encoding, lang);
                    if ok && code == 0 {
                        eprintln!("{said}");
                    }
                    code
                }
                (Err(t), Some(_)) => {
                    eprintln!("kyodo export: {}", crate::text::sanitize(t.get(lang)));
                    1
                }
            }
        }
        Some(Command::Report {
            kind,
            fy,
            format,
            encoding,
            program,
            by,
            plan,
            scenario,
            compare,
        }) => {
            let fy = fy.unwrap_or_else(|| FiscalYear::of(chrono::Local::now().date_naive()));
            let out = match kind {
                ReportKind::Indicators => match by {
                    Some(b) => report::breakdown(&session.store, fy, *b, *format, *encoding, lang),
                    None => report::indicators(&session.store, fy, *format, lang),
                },
                ReportKind::Progress => match plan {
                    Some(name) => progress::progress(&session.store, name, fy, *format, lang),
                    None => Err(crate::domain::Text::new(
                        "--plan で計画を名前で指定してください(例: --plan 第3次一関市協働推進計画)",
                        "name the plan with --plan (e.g. --plan 第3次一関市協働推進計画)",
                    )),
                },
                ReportKind::Centers => {
                    centers::centers(&session.store, fy, *format, *encoding, lang)
                }
                ReportKind::Training => training::training(&session.store, fy, *format, lang),
                ReportKind::Survey => survey::report(&session.store, fy, *format, lang),
                ReportKind::Evaluations => {
                    evaluations::evaluations(&session.store, fy, *format, *encoding, lang)
                }
                ReportKind::Allocation => allocation::report(
                    &session.store,
                    fy,
                    scenario.as_deref(),
                    compare.as_deref(),
                    (*format, *encoding),
                    lang,
                ),
                ReportKind::Requests => {
                    requests::requests(&session.store, fy, *format, *encoding, lang)
                }
                ReportKind::Subsidies => report::subsidies(
                    &session.store,
                    fy,
                    program.as_deref(),
                    *format,
                    *encoding,
                    lang,
                ),
            };
            if session.store.is_empty() {
                // A bare header says nothing to a newcomer: say how to get records.
                eprintln!("{}", lang.t(crate::i18n::Msg::EmptyDatabaseHint));
            }
            report::emit("report", out, *encoding, lang)
        }
    };
    if auto_backup && cli.command.is_some() {
        auto_backup_after(&session.store, lang);
    }
    Ok(code)
}
