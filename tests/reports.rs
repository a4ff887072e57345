//! Reports that read like the city's tables (issue 15.3): headers, program blocks with
//! subtotals, figures with separators, years in the user's calendar, a missing figure in words;
//! one snapshot per report and language.

mod common;

fn report(lang: &str, args: &[&str]) -> String {
    let out = common::kyodo_cmd()
        .env("KYODO_LANG", lang)
        .arg("--demo")
        .arg("report")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_indicator_report_writes_figures_as_the_seed_does() {
    let ja = report("ja", &["--fy", "2022"]);
    let web = ja.lines().find(|l| l.contains("WEB")).unwrap();
    assert!(web.contains("7,033") && web.contains("10,000"), "{web}");
    assert!(
        web.contains("令和4年度") && web.contains("令和10年度"),
        "{web}"
    );
    assert!(
        !ja.contains("(2022)"),
        "no Gregorian year in Japanese:\n{ja}"
    );
    let aware = ja.lines().find(|l| l.contains("認知度")).unwrap();
    assert!(aware.contains("未入力"), "{aware}");
    insta::assert_snapshot!("indicators_ja", ja);
    let en = report("en", &["--fy", "2022"]);
    assert!(en.contains("not entered") && en.contains("FY2028") && en.contains("7,033"));
    assert!(en.lines().next().is_some_and(|l| l.is_ascii()), "{en}");
    insta::assert_snapshot!("indicators_en", en);
    let csv = report("ja", &["--fy", "2022", "--format", "csv"]);
    assert!(
        csv.lines()
            .next()
            .is_some_and(|h| h.contains("基準年度") && h.contains("目標年度"))
    );
    assert!(
        csv.contains(",7033,"),
        "CSV keeps raw numbers for Excel:\n{csv}"
    );
}

#[test]
fn the_ledger_has_headers_program_blocks_and_subtotals() {
    let ja = report("ja", &["subsidies", "--fy", "2023"]);
    let lines: Vec<&str> = ja.lines().collect();
    assert!(
        lines[1].contains("交付決定額") && lines[1].contains("状態"),
        "{ja}"
    );
    let blocks: Vec<&&str> = lines.iter().filter(|l| l.starts_with("■ ")).collect();
    assert_eq!(blocks.len(), 4, "{ja}");
    assert!(blocks[1].contains("モデル事業"), "{ja}");
    assert!(blocks[2].contains("自治会等活動費総合補助金"), "{ja}");
    let subs: Vec<&&str> = lines.iter().filter(|l| l.contains("小計")).collect();
    assert_eq!(subs.len(), 4, "{ja}");
    assert!(
        subs[0].contains("(33件)") && subs[0].contains("146,923,000円"),
        "{ja}"
    );
    assert!(
        subs[1].contains("(3件)") && subs[1].contains("1,850,000円"),
        "{ja}"
    );
    let total = lines.last().unwrap();
    assert!(
        total.starts_with("合計") && total.contains("152,443,000円"),
        "{total}"
    );
    insta::assert_snapshot!("ledger_ja", ja);
    let en = report("en", &["subsidies", "--fy", "2023"]);
    assert!(
        en.contains("Subtotal (33)") && en.contains("¥152,443,000"),
        "{en}"
    );
    insta::assert_snapshot!("ledger_en", en);
}

/// Issue 15.2: `--lang` wins over KYODO_LANG and the locale, for reports and errors alike.
#[test]
fn the_lang_flag_wins_over_the_environment() {
    let run = |env_lang: &str, args: &[&str]| {
        common::kyodo_cmd()
            .env("KYODO_LANG", env_lang)
            .env("LANG", "ja_JP.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .args(args)
            .output()
            .unwrap()
    };
    let en = run("ja", &["--demo", "--lang", "en", "report", "--fy", "2022"]);
    let en = String::from_utf8(en.stdout).unwrap();
    assert!(en.starts_with("Indicator FY2022"), "{en}");
    let ja = run("en", &["--demo", "report", "--fy", "2022", "--lang", "ja"]);
    let ja = String::from_utf8(ja.stdout).unwrap();
    assert!(ja.starts_with("成果指標 令和4年度"), "{ja}");
    let err = run(
        "en",
        &[
            "--demo",
            "--lang",
            "ja",
            "report",
            "subsidies",
            "--fy",
            "2023",
            "--program",
            "なし",
        ],
    );
    let err = String::from_utf8(err.stderr).unwrap();
    assert!(err.contains("という交付金はありません"), "{err}");
}

/// Markdown (issue 15.3): the same tables as text, a `##` section and pipe table per program,
/// figures right-aligned, subtotals and the grand total in bold.
#[test]
fn markdown_reports_have_a_table_per_program_with_subtotals() {
    for lang in ["ja", "en"] {
        let md = report(lang, &["subsidies", "--fy", "2023", "--format", "md"]);
        assert_eq!(md.matches("\n## ").count(), 4, "{md}");
        assert!(md.contains("| --- | ---: |"), "{md}");
        let (sub, total, yen) = if lang == "ja" {
            ("**小計 (33件)**", "**合計**", "**152,443,000円**")
        } else {
            ("**Subtotal (33)**", "**Total**", "**¥152,443,000**")
        };
        assert!(
            md.contains(sub) && md.contains(total) && md.contains(yen),
            "{md}"
        );
        insta::assert_snapshot!(format!("ledger_md_{lang}"), md);
        let md = report(lang, &["--fy", "2022", "--format", "md"]);
        assert!(md.starts_with("# "), "{md}");
        assert!(md.contains("| 7,033 |"), "{md}");
        insta::assert_snapshot!(format!("indicators_md_{lang}"), md);
    }
}

/// `--by`: headers, thousands separators, a grand total; `--by body` in one block per
/// district whose subtotals add up to the total (FY2022: the seed's 125 team meetings); CSV
/// with raw numbers and no total row.
#[test]
fn breakdowns_have_headers_blocks_and_totals_in_both_languages() {
    for by in ["month", "category", "channel", "body", "district"] {
        for lang in ["ja", "en"] {
            let text = report(lang, &["--fy", "2022", "--by", by]);
            let total = if lang == "ja" { "合計" } else { "Total" };
            let last_table_line = text
                .lines()
                .rfind(|l| l.starts_with(total))
                .unwrap_or_else(|| panic!("no total in --by {by}:\n{text}"));
            assert!(!last_table_line.is_empty());
            insta::assert_snapshot!(format!("by_{by}_{lang}"), text);
        }
    }
    let body = report("ja", &["--fy", "2022", "--by", "body"]);
    let meetings = |l: &str| -> i64 {
        let cells: Vec<&str> = l.split_whitespace().collect();
        cells[cells.len() - 3].replace(',', "").parse().unwrap()
    };
    let subtotals: i64 = body
        .lines()
        .filter(|l| l.trim_start().starts_with("小計"))
        .map(meetings)
        .sum();
    let total = meetings(body.lines().rfind(|l| l.starts_with("合計")).unwrap());
    assert_eq!((subtotals, total), (125, 125), "{body}");
    assert!(body.matches("■ ").count() >= 7, "{body}");
    let csv = report("ja", &["--fy", "2022", "--by", "month", "--format", "csv"]);
    assert!(!csv.contains("合計"), "{csv}");
    assert!(csv.lines().skip(1).all(|l| !l.contains('"')), "{csv}");
    let csv = report("ja", &["--fy", "2022", "--by", "body", "--format", "csv"]);
    assert!(csv.starts_with("地区,地域協働体,"), "{csv}");
}
