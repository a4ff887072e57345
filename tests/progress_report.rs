//! The yearly progress report of a plan (issue 16.5): every indicator's figure for every year
//! equals the dashboard's; actions, committee opinions and subsidies are there; Markdown, HTML
//! and CSV in both languages.

mod common;

use kyodo::cli::Format;
use kyodo::cli::progress::progress;
use kyodo::domain::FiscalYear;
use kyodo::i18n::Lang;

const PLAN: &str = "第3次一関市協働推進計画";

#[test]
fn every_indicator_figure_of_every_year_equals_the_dashboards() {
    let (_dir, store) = common::demo_store();
    let csv = progress(&store, PLAN, FiscalYear(2028), Format::Csv, Lang::Ja).unwrap();
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv.as_bytes());
    let rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    // The indicator section: 区分, 年度, id, 実績, 基準値, 目標値, 目標年度, 達成率, ペース.
    let start = rows.iter().position(|r| r[0] == "成果指標").unwrap() + 2;
    let mut checked = 0;
    for row in rows[start..].iter().take_while(|r| r.len() > 2) {
        let fy = FiscalYear(row[1].parse().unwrap());
        let st = kyodo::app::report::indicator_statuses(&store, fy).unwrap();
        let s = st.iter().find(|s| s.indicator.id == row[2]).unwrap();
        assert_eq!(
            row[3],
            s.value.map(|v| v.to_string()).unwrap_or_default(),
            "{row:?}"
        );
        assert_eq!(
            row[7],
            s.achievement.map(|a| format!("{a:.3}")).unwrap_or_default(),
            "{row:?}"
        );
        let pace = match s.pace {
            Some(p) if p.pending => "集計中",
            Some(p) if p.on_pace => "順調",
            Some(_) => "遅れ",
            None => "",
        };
        assert_eq!(row[8], pace, "{row:?}");
        checked += 1;
    }
    // Nine indicators from the baseline year FY2022 to the plan's last year FY2028.
    assert_eq!(checked, 9 * 7);
    assert!(csv.contains("7033"), "raw numbers for Excel");
}

#[test]
fn the_report_holds_actions_opinions_and_subsidies_in_both_languages() {
    let (_dir, store) = common::demo_store();
    let md = progress(&store, PLAN, FiscalYear(2025), Format::Md, Lang::Ja).unwrap();
    for part in [
        "# 第3次一関市協働推進計画 進捗状況報告",
        "## 計画の改訂履歴",
        "| 2024/03/29 | 策定 |",
        "## 成果指標",
        "### 輪っしょい!!WEBへの年間アクセス数 (件)",
        "| 令和4年度 | 7,033 | 7,033 | 10,000 | 令和10年度 | 70.3% | 順調 |",
        "## 事業の進捗",
        "| 11 | 「地域づくり計画」の市政への反映 | 令和6年度 | 検討 |",
        "| 13 | 地域づくり交付金などによる支援 | 令和6年度 | 実施 | 実施 |",
        " | 33 | 地域づくり交付金を33団体に交付した。 |",
        "## 協働推進会議の意見",
        "未回答",
        "## 交付金の実績",
        "**152,443,000円**", // 148,773,000 + 自治会等活動費総合補助金 2,170,000 + 協働人材育成 1,500,000
    ] {
        assert!(md.contains(part), "{part} missing:\n{md}");
    }
    insta::assert_snapshot!("progress_md_ja", md);
    let en = progress(&store, PLAN, FiscalYear(2025), Format::Md, Lang::En).unwrap();
    assert!(
        en.contains("progress report") && en.contains("¥152,443,000"),
        "{en}"
    );
    assert!(en.contains("not yet answered"));
    insta::assert_snapshot!("progress_md_en", en);
    let html = progress(&store, PLAN, FiscalYear(2025), Format::Html, Lang::Ja).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<html lang=\"ja\">"));
    assert!(html.contains("size: A4") && html.contains("thead { display: table-header-group; }"));
    assert_eq!(html.matches("<section>").count(), 5);
    assert!(!html.contains("http"), "one self-contained file");
}

#[test]
fn a_wrong_plan_or_year_is_refused_with_what_there_is() {
    let (_dir, store) = common::demo_store();
    let e = progress(&store, "なし", FiscalYear(2025), Format::Md, Lang::Ja).unwrap_err();
    assert!(
        e.ja.contains("「なし」という計画はありません") && e.ja.contains("新庄市協働推進計画"),
        "{}",
        e.ja
    );
    let e = progress(&store, PLAN, FiscalYear(2020), Format::Md, Lang::En).unwrap_err();
    assert!(e.en.contains("before the plan's period"), "{}", e.en);
    // Shinjo's plan reports its own years.
    let md = progress(
        &store,
        "新庄市協働推進計画",
        FiscalYear(2030),
        Format::Md,
        Lang::Ja,
    )
    .unwrap();
    assert!(md.contains("平成27年度〜令和元年度"), "{md}");
    assert!(
        md.contains("| 20 | 協働事業評価制度の導入 | 令和元年度 |"),
        "{md}"
    );
}

#[test]
fn the_command_line_prints_it_and_asks_for_the_plan() {
    let out = common::kyodo_cmd()
        .args([
            "--demo", "--lang", "ja", "report", "progress", "--fy", "2025", "--format", "html",
        ])
        .arg("--plan")
        .arg(PLAN)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("<h1>第3次一関市協働推進計画 進捗状況報告</h1>")
    );
    let out = common::kyodo_cmd()
        .args(["--demo", "--lang", "ja", "report", "progress"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--plan で計画を名前で指定してください"));
}

/// Issue 16.1: a plan is a record — its indicators choose the report's (Shinjo's has none),
/// an unknown indicator id is refused at import, and check reports an action whose period is
/// not its plan's.
#[test]
fn a_plan_record_chooses_its_indicators_and_holds_its_actions_to_its_period() {
    let (_dir, store) = common::demo_store();
    let md = progress(
        &store,
        "新庄市協働推進計画",
        FiscalYear(2019),
        Format::Md,
        Lang::Ja,
    )
    .unwrap();
    assert!(
        md.contains("この計画に成果指標は登録されていません"),
        "{md}"
    );
    assert!(
        !md.contains("チーム会議の開催数"),
        "not Ichinoseki's indicators"
    );
    assert!(md.contains("| 2015/03/31 | 策定 |"), "{md}");
    let mut a = store
        .list::<kyodo::domain::PlanAction>()
        .items
        .into_iter()
        .find(|a| a.plan == "新庄市協働推進計画" && a.number == 1)
        .unwrap();
    a.plan_end = FiscalYear(2020);
    let mut b = kyodo::store::Batch::new();
    b.put(a);
    store.write(b).unwrap();
    let p = kyodo::store::check::check(&store).problems;
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].text(Lang::En)
            .contains("runs FY2015–FY2020, but the plan runs FY2015–FY2019")
    );

    let err = common::import_refused(
        "plans.csv",
        "name,start_fy,end_fy,indicators,revisions\n試験計画,R8,R12,nosuch,2026-04-01 策定\n",
        "en",
    );
    assert!(
        err.contains("plans.csv:2:4") && err.contains("'nosuch'") && err.contains("no indicator"),
        "{err}"
    );
}
