//! The command line in the user's language (issue 15.2): `--help` and clap's own errors in
//! Japanese when the language is Japanese. clap writes English only, so the English texts stay
//! the doc comments on [`super::Cli`] and this module holds their Japanese side, keyed by the
//! command path and argument id; a test walks the whole command tree and fails on a command
//! or argument without its Japanese help, and on a key that names nothing.

use crate::i18n::Lang;
use clap::{Arg, ArgAction, Command, CommandFactory, FromArgMatches};

/// The Japanese help of each command (`"log meeting"`, `""` for kyodo itself) and argument
/// (`"log meeting:body"`; global arguments under the root, `":db"`).
pub const JAPANESE: &[(&str, &str)] = &[
    (
        "",
        "協働のまちづくりのための、キーボードで操作する端末プログラム(コマンドなしで画面を開きます)",
    ),
    (
        ":db",
        "データベースのディレクトリ(既定: $XDG_DATA_HOME/kyodo/db)",
    ),
    (
        ":demo",
        "デモデータの一時的な複製を使う(自分のデータベースには触れません)",
    ),
    (
        ":lang",
        "すべての表示とレポートの言語: ja か en(既定: KYODO_LANG、次にロケール)",
    ),
    (
        "import",
        "CSV を取り込む: <種類>.csv を置いたディレクトリか、1 つのファイル(data/demo/README.md 参照)",
    ),
    (
        "import:path",
        "CSV ファイルのディレクトリ、または記録の種類の名前を付けた CSV ファイル 1 つ",
    ),
    (
        "report",
        "レポートを出力する: 計画の成果指標(既定)、交付金台帳、計画の進捗状況、要望・提言",
    ),
    (
        "report:kind",
        "どのレポートか(indicators = 成果指標、subsidies = 交付金台帳、progress = 計画の進捗状況、requests = 要望・提言、centers = 市民センターの指定管理、allocation = 配分シナリオと現行額の比較、evaluations = 協働事業の評価、training = 職員研修の受講状況、survey = 職員意識調査)",
    ),
    (
        "report:fy",
        "年度: 2022、FY2022、R4、令和4年度(既定: 今年度)",
    ),
    (
        "report:format",
        "出力形式(text = 読むための表、json、csv = Excel 用)",
    ),
    (
        "report:encoding",
        "文字コード(cp932 は書けない文字があると、記録と項目を示して止めます)",
    ),
    ("report:program", "交付金: この事業だけ(名称で)"),
    (
        "report:scenario",
        "配分の比較: 試す配分シナリオ(allocation_scenarios.csv と同じ列の CSV)",
    ),
    (
        "report:compare",
        "配分の比較: 現行額を並べる交付金(その年度の、名称で)",
    ),
    (
        "report:plan",
        "進捗状況報告: 計画の名前(例: 第3次一関市協働推進計画)",
    ),
    (
        "report:by",
        "成果指標: 件数を月・分類・方法・協働体・地区別に分ける",
    ),
    (
        "survey",
        "職員意識調査: フォームから書き出した回答を取り込む",
    ),
    (
        "survey import",
        "回答の CSV を取り込む(所属と回答だけを匿名で保存し、タイムスタンプ・メール・氏名は保存しない)",
    ),
    (
        "survey import:round",
        "調査名(先に staff_surveys に登録した回)",
    ),
    ("survey import:file", "書き出した CSV(UTF-8 か CP932)"),
    ("log", "件数・相談・チーム会議を 1 件、シェルから記録する"),
    ("log tally", "相談件数(件数だけの相談)"),
    (
        "log tally:category",
        "分類(例: 話し合い支援 または dialogue_support)",
    ),
    (
        "log tally:channel",
        "方法: 来所、電話、メール、訪問、オンライン",
    ),
    ("log tally:count", "件数"),
    (
        "log tally:date",
        "日付(2024-04-01、R6.4.1、令和6年4月1日など。既定: 今日)",
    ),
    ("log consultation", "相談(内容まで記録する)"),
    (
        "log consultation:channel",
        "方法: 来所、電話、メール、訪問、オンライン",
    ),
    (
        "log consultation:categories",
        "分類(複数なら繰り返す。最初が主な分類)",
    ),
    (
        "log consultation:client_body",
        "相談者: 地域協働体(名称かよみで)",
    ),
    (
        "log consultation:client_group",
        "相談者: その他の団体(自治会、NPO など。名称で)",
    ),
    (
        "log consultation:counselor",
        "相談員(氏名、よみ、ログインで。既定: 自分)",
    ),
    ("log consultation:date", "日付(既定: 今日)"),
    ("log consultation:people", "人数"),
    ("log consultation:minutes", "対応時間(分)"),
    (
        "log consultation:case",
        "この相談が属する相談案件(案件番号で。例: C2023-001)",
    ),
    (
        "log consultation:summary",
        "相談内容(個人情報を含むことがあります)",
    ),
    ("log meeting", "チーム会議"),
    ("log meeting:body", "地域協働体(名称かよみで)"),
    ("log meeting:date", "日付"),
    ("log meeting:agenda", "議題"),
    ("log meeting:place", "場所"),
    (
        "log meeting:attendees",
        "出席した職員(氏名、よみ、ログインで。複数なら繰り返す)",
    ),
    (
        "log meeting:guests",
        "その他出席者(協働体の役員、来賓など。書いたとおりに)",
    ),
    ("log meeting:notes", "記録"),
    ("log meeting:decisions", "決定事項"),
    (
        "audit",
        "監査記録(誰が、いつ、何を変えたか)を新しい順に出力する",
    ),
    (
        "due",
        "期限のあるもの(フォローアップ、実績報告、要望への回答、相談案件の次回連絡)を期限順に、担当とともに出力する。期限切れがあれば終了コード 1",
    ),
    (
        "agenda",
        "会議と期限のあるものを日ごとに出力する(既定は週、--month で月)",
    ),
    ("agenda:week", "指定した日を含む週(月曜〜日曜、既定)"),
    ("agenda:month", "指定した日を含む月"),
    (
        "agenda:date",
        "期間に含まれる日(既定: 今日): 2024-05-12、R6.5.12、5/12",
    ),
    (
        "agenda:me",
        "自分の担当の地域協働体の会議と自分の出席する会議、自分の期限だけ",
    ),
    ("agenda:format", "出力形式"),
    ("due:within", "この日数のうちに期限が来るものも含める"),
    ("due:me", "ログインしている本人が担当するものだけ"),
    ("due:format", "出力形式"),
    ("audit:since", "この日以降の記録だけ"),
    ("audit:user", "この OS ログインの記録だけ"),
    ("audit:format", "出力形式(text、csv = Excel 用、json)"),
    (
        "check",
        "索引、件数、参照、交付金の整合、監査記録の連鎖を確かめる",
    ),
    (
        "check:files",
        "文書の保管場所のうち、この計算機に存在しないパス(URL を除く)も報告する",
    ),
    (
        "check:repair",
        "先に記録から索引と件数を作り直し、何が変わったかを示す",
    ),
    (
        "backup",
        "データベース全体を FILE に書き出す(保存形式に依存しない圧縮アーカイブ)",
    ),
    ("backup:file", "書き出すアーカイブ(一度に置き換えます)"),
    (
        "restore",
        "kyodo backup で作ったアーカイブを --db のデータベースに復元する: 新しいか空のもの、または kyodo が使用を拒んだもの(PATH.damaged-… として脇に残します)。切り替える前にアーカイブを検証します",
    ),
    ("restore:file", "読み込むアーカイブ"),
    (
        "restore:latest",
        "このデータベースの最新の自動バックアップ(kyodo serve、README「Backups」参照)",
    ),
    (
        "serve",
        "この計算機の全員に Unix ソケットでデータベースを共有する(README「Shared server」参照)。他の kyodo のコマンドと画面は、応答があればこれを使います",
    ),
    (
        "serve:socket",
        "ソケットのパス(既定: KYODO_SOCKET、なければ <db>/kyodo.sock)",
    ),
    (
        "serve:log",
        "サーバーのログを標準エラーではなくこのファイルに追記する",
    ),
    (
        "staff",
        "職員の一覧、追加、役割やログインの設定、退職の記録",
    ),
    (
        "staff list",
        "職員の一覧(--all がなければ在籍者だけ): ID、氏名、よみ、所属組織、所属、ログイン、役割",
    ),
    ("staff list:all", "退職した人も含める"),
    ("staff add", "職員を追加する"),
    ("staff add:name", "氏名(例: \"佐藤 花子\")"),
    ("staff add:kana", "よみがな(例: \"さとう はなこ\")"),
    (
        "staff add:organization",
        "市 または 中間支援組織(city または support_center)",
    ),
    ("staff add:section", "所属(例: まちづくり推進課、花泉支所)"),
    (
        "staff add:login",
        "この計算機の OS ログイン(例: sato.hanako)",
    ),
    (
        "staff add:role",
        "管理者、調整担当、地域担当、相談員、閲覧(admin, coordinator, liaison, counselor, viewer)",
    ),
    ("staff set-role", "役割を変える"),
    ("staff set-role:person", "氏名、よみ、ログイン"),
    (
        "staff set-role:role",
        "管理者、調整担当、地域担当、相談員、閲覧(admin, coordinator, liaison, counselor, viewer)",
    ),
    ("staff set-login", "OS ログインを設定する(\"\" で外す)"),
    ("staff set-login:person", "氏名、よみ、ログイン"),
    ("staff set-login:login", "OS のユーザー名(例: sato.hanako)"),
    (
        "staff deactivate",
        "退職として記録する(履歴は残り、ログインは使えなくなります)",
    ),
    ("staff deactivate:person", "氏名、よみ、ログイン"),
    (
        "export",
        "記録の種類を 1 つ、kyodo import が読む形の CSV で書き出す(Excel で開けます)",
    ),
    (
        "export:kind",
        "記録の種類(CSV ファイルの名前: bodies、team_meetings、consultations、grants など。知らない名前には一覧で答えます)",
    ),
    (
        "export:fy",
        "この年度だけ(日付のある記録、事業とその交付金・支払)",
    ),
    (
        "export:encoding",
        "文字コード(cp932 は書けない文字があると、記録と項目を示して止めます)",
    ),
    ("export:output", "標準出力ではなくこのファイルに書く"),
];

/// The Japanese help for `key`, if the table has it.
fn japanese(key: &str) -> Option<&'static str> {
    JAPANESE.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// Every command path and argument key of `cmd` (built-in `help`/`version` excepted), for the
/// test that the table covers them.
pub fn keys(cmd: &Command, path: &str, out: &mut Vec<String>) {
    out.push(path.to_string());
    for a in cmd.get_arguments() {
        let id = a.get_id().as_str();
        if id != "help" && id != "version" && (path.is_empty() || !a.is_global_set()) {
            out.push(format!("{path}:{id}"));
        }
    }
    for s in cmd.get_subcommands() {
        let p = if path.is_empty() {
            s.get_name().to_string()
        } else {
            format!("{path} {}", s.get_name())
        };
        keys(s, &p, out);
    }
}

/// `a` with its Japanese help, and its default, choices and environment variable said in
/// Japanese instead of clap's English brackets.
fn localize_arg(a: Arg, help: &str) -> Arg {
    let mut extra = String::new();
    // (A flag's true/false is not a choice to list.)
    let takes_values = a.get_action().takes_values();
    let values: Vec<String> = (if takes_values {
        a.get_possible_values()
    } else {
        Vec::new()
    })
    .iter()
    .filter(|v| !v.is_hide_set())
    .map(|v| v.get_name().to_string())
    .collect();
    if !values.is_empty() {
        extra += &format!(" [値: {}]", values.join(", "));
    }
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && !defaults.iter().all(|d| d.is_empty()) {
        extra += &format!(" [既定: {}]", defaults.join(", "));
    }
    if let Some(env) = a.get_env() {
        extra += &format!(" [環境変数: {}]", env.to_string_lossy());
    }
    let a = a.help(format!("{help}{extra}")).hide_env(true);
    if takes_values {
        a.hide_possible_values(true).hide_default_value(true)
    } else {
        a
    }
}

/// `cmd` (at `path`) and everything under it with Japanese help, headings and flags.
fn localize(cmd: Command, path: &str) -> Command {
    let mut cmd = cmd;
    if let Some(about) = japanese(path) {
        cmd = cmd.about(about).long_about(None);
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().as_str().to_string())
        .collect();
    for id in ids {
        if let Some(h) = japanese(&format!("{path}:{id}")) {
            cmd = cmd.mut_arg(id, |a| localize_arg(a, h));
        }
    }
    let has_positionals = cmd.get_positionals().next().is_some();
    let has_subcommands = cmd.has_subcommands();
    let mut template = String::from("{about-with-newline}\n使い方: {usage}\n");
    if has_subcommands {
        template += "\nコマンド:\n{subcommands}\n";
    }
    if has_positionals {
        template += "\n引数:\n{positionals}\n";
    }
    template += "\nオプション:\n{options}{after-help}\n";
    cmd = cmd
        .help_template(template)
        .subcommand_value_name("コマンド")
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("ヘルプを表示する"),
        );
    if path.is_empty() {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("版を表示する"),
        );
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        let p = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        cmd = cmd.mut_subcommand(name, |s| localize(s, &p));
    }
    cmd
}

/// The command tree in `lang`: clap's own for English, Japanese throughout for Japanese.
pub fn command(lang: Lang) -> Command {
    match lang {
        Lang::En => super::Cli::command(),
        Lang::Ja => localize(super::Cli::command(), ""),
    }
}

/// The language the command line asks for: `--lang ja|en` (also `--lang=ja`) if given, else
/// KYODO_LANG and the locale ([`Lang::from_env`]).
pub fn lang_of_args(args: &[std::ffi::OsString]) -> Lang {
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        let v = match a.strip_prefix("--lang") {
            Some("") => it.next().map(|v| v.into_owned()),
            Some(rest) => rest.strip_prefix('=').map(str::to_string),
            None => None,
        };
        match v.as_deref() {
            Some("ja") => return Lang::Ja,
            Some("en") => return Lang::En,
            _ => {}
        }
    }
    Lang::from_env()
}

/// clap's error in Japanese: what is wrong (the argument and value clap names), the usage,
/// and where to read more. English keeps clap's own wording.
fn japanese_error(e: &clap::Error, cmd: &mut Command, args: &[std::ffi::OsString]) -> String {
    use clap::error::{ContextKind, ErrorKind};
    let ctx = |k: ContextKind| e.get(k).map(|v| v.to_string()).unwrap_or_default();
    let what = match e.kind() {
        ErrorKind::InvalidValue => format!(
            "{} の値「{}」は使えません。使える値: {}",
            ctx(ContextKind::InvalidArg),
            ctx(ContextKind::InvalidValue),
            ctx(ContextKind::ValidValue)
        ),
        ErrorKind::UnknownArgument => format!(
            "知らない引数「{}」です{}",
            ctx(ContextKind::InvalidArg),
            e.get(ContextKind::SuggestedArg)
                .map(|s| format!("(もしかして {s})"))
                .unwrap_or_default()
        ),
        ErrorKind::InvalidSubcommand => format!(
            "知らないコマンド「{}」です{}",
            ctx(ContextKind::InvalidSubcommand),
            e.get(ContextKind::SuggestedSubcommand)
                .map(|s| format!("(もしかして {s})"))
                .unwrap_or_default()
        ),
        ErrorKind::MissingRequiredArgument => {
            format!("必須の引数がありません: {}", ctx(ContextKind::InvalidArg))
        }
        ErrorKind::MissingSubcommand => "コマンドを指定してください".to_string(),
        ErrorKind::ArgumentConflict => format!(
            "{} と {} は一緒に使えません",
            ctx(ContextKind::InvalidArg),
            ctx(ContextKind::PriorArg)
        ),
        ErrorKind::ValueValidation => format!(
            "{} の値「{}」が正しくありません: {}",
            ctx(ContextKind::InvalidArg),
            ctx(ContextKind::InvalidValue),
            e.source().map(|s| s.to_string()).unwrap_or_default()
        ),
        ErrorKind::TooManyValues => {
            format!("{} は 1 回だけ指定できます", ctx(ContextKind::InvalidArg))
        }
        ErrorKind::NoEquals | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("{} に値を指定してください", ctx(ContextKind::InvalidArg))
        }
        _ => format!("引数が正しくありません: {}", e.kind()),
    };
    // The usage of the (sub)command the error is in: follow the words naming subcommands.
    let words: Vec<String> = args
        .iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let usage = usage_at(cmd, &words);
    let usage = usage.strip_prefix("Usage: ").unwrap_or(&usage);
    format!("エラー: {what}\n\n使い方: {usage}\n\n詳しくは --help を見てください。\n")
}

use std::error::Error as _;

/// The usage line of the subcommand `words` lead to (the first word naming a subcommand of
/// `cmd` descends into it).
fn usage_at(cmd: &mut Command, words: &[String]) -> String {
    match words.iter().position(|w| cmd.find_subcommand(w).is_some()) {
        Some(i) => match cmd.find_subcommand_mut(&words[i]) {
            Some(sub) => usage_at(sub, &words[i + 1..]),
            None => cmd.render_usage().to_string(),
        },
        None => cmd.render_usage().to_string(),
    }
}

/// Parses `args` (the program name first) in `lang` (from [`lang_of_args`]). Help and version are
/// printed and the process exits 0; an error is printed in that language and it exits 2.
pub fn parse(args: Vec<std::ffi::OsString>, lang: Lang) -> super::Cli {
    let mut cmd = command(lang);
    // `kyodo help log meeting` is `kyodo log meeting --help` (the built-in help command writes
    // English only); `help` is the first word that is neither an option nor an option's value.
    let mut args = args;
    if lang == Lang::Ja {
        let mut i = 1;
        while i < args.len() {
            let a = args[i].to_string_lossy();
            if a == "--lang" || a == "--db" {
                i += 2;
            } else if a.starts_with('-') {
                i += 1;
            } else {
                if a == "help" {
                    args.remove(i);
                    args.push("--help".into());
                }
                break;
            }
        }
    }
    let parsed = cmd
        .try_get_matches_from_mut(args.clone())
        .and_then(|m| super::Cli::from_arg_matches(&m));
    match parsed {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            let shown = matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            );
            if shown || lang == Lang::En {
                e.exit();
            }
            eprint!("{}", japanese_error(&e, &mut cmd, &args));
            std::process::exit(2);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command and argument has its Japanese help, and every entry names one of them.
    #[test]
    fn every_command_and_argument_has_japanese_help() {
        let mut all = Vec::new();
        keys(&super::super::Cli::command(), "", &mut all);
        let missing: Vec<&String> = all.iter().filter(|k| japanese(k).is_none()).collect();
        assert!(missing.is_empty(), "no Japanese help for {missing:?}");
        let stale: Vec<&str> = JAPANESE
            .iter()
            .map(|(k, _)| *k)
            .filter(|k| !all.iter().any(|a| a == k))
            .collect();
        assert!(stale.is_empty(), "Japanese help for nothing: {stale:?}");
    }

    #[test]
    fn the_language_flag_is_read_before_parsing() {
        let a = |v: &[&str]| v.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert_eq!(
            lang_of_args(&a(&["kyodo", "--lang", "ja", "report"])),
            Lang::Ja
        );
        assert_eq!(
            lang_of_args(&a(&["kyodo", "report", "--lang=en"])),
            Lang::En
        );
        assert_eq!(
            lang_of_args(&a(&["kyodo", "--lang", "en", "--lang", "ja"])),
            Lang::En
        );
    }
}
