//! 職員意識調査 (issue 19.5): answers imported from a form tool's CSV, anonymously, compute
//! 市職員の協働に対する認知度 for the round's year; sections are shown for groups of 5 or more.

mod common;

use common::*;
use kyodo::app::survey::import_answers;
use kyodo::domain::staff_survey::StaffSurvey;
use kyodo::domain::survey_response::SurveyResponse;
use kyodo::domain::*;
use kyodo::i18n::Lang;

fn awareness(store: &kyodo::store::Store, fy: i32) -> Option<Figure> {
    let ind: Vec<Indicator> = store
        .list::<Indicator>()
        .items
        .into_iter()
        .filter(|i| i.id == "staff_awareness")
        .collect();
    let entries: Vec<IndicatorEntry> = store
        .list::<IndicatorEntry>()
        .items
        .into_iter()
        .filter(|e| e.fiscal_year == FiscalYear(fy))
        .collect();
    let counts = store.fy_counts(FiscalYear(fy)).unwrap();
    kyodo::domain::indicator::evaluate(&ind, &entries, &counts)[0].value
}

#[test]
fn the_demos_round_gives_its_years_awareness_counted_by_hand() {
    let (_d, store) = demo_store();
    let sheets = store.list::<SurveyResponse>().items;
    let q1: Vec<u8> = sheets
        .iter()
        .filter_map(|s| s.answers.first().copied())
        .filter(|p| *p > 0)
        .collect();
    let aware = q1.iter().filter(|p| **p <= 2).count();
    assert_eq!((aware, q1.len()), (91, 133));
    // 91 / 133 = 68.42 % → 68.4.
    assert_eq!(awareness(&store, 2023), Some(Figure(6840)));
    assert_eq!(awareness(&store, 2024), None, "no round, nothing entered");
}

const ROUND: &str = "name,fiscal_year,conducted_on,staff_asked,questions,awareness_question\n令和6年度 職員意識調査,2024,2024-11-20,20,協働を知っていますか;活動を知っていますか,1\n";

/// A Google Forms export: timestamp, mail, section, then the two questions (words or digits).
fn export(rows: &[(&str, &str, &str, &str)]) -> String {
    let mut s = "タイムスタンプ,メールアドレス,所属,協働を知っていますか,活動を知っていますか\n"
        .to_string();
    for (i, (sec, q1, q2, mail)) in rows.iter().enumerate() {
        s += &format!("2024/11/20 9:{i:02}:00,{mail},{sec},{q1},{q2}\n");
    }
    s
}

#[test]
fn importing_a_form_export_changes_the_years_awareness_and_keeps_no_one_identifiable() {
    let (dir, store) = demo_store();
    let path = dir.path().join("staff_surveys.csv");
    std::fs::write(&path, ROUND).unwrap();
    kyodo::io::import::import_path(&store, &path).unwrap();
    let mut rows = Vec::new();
    // まちづくり推進課 6 people (4 aware), 花泉支所 5 (2 aware), 3 in small sections (1 aware).
    for i in 0..6 {
        rows.push((
            "まちづくり推進課",
            if i < 4 {
                "よく知っている"
            } else {
                "知らない"
            },
            "2",
            "a@city.example",
        ));
    }
    for i in 0..5 {
        rows.push((
            "花泉支所",
            if i < 2 { "2" } else { "あまり知らない" },
            "",
            "b@city.example",
        ));
    }
    rows.push(("税務課", "1", "1", "c@city.example"));
    rows.push(("財政課", "4", "4", "d@city.example"));
    rows.push(("農政課", "３", "3", "e@city.example"));
    let csv = export(&rows);
    let n = import_answers(
        &store,
        "令和6年度 職員意識調査",
        "forms.csv",
        csv.as_bytes(),
    )
    .unwrap();
    assert_eq!((n.added, n.known), (14, 0));
    // 4 + 2 + 1 = 7 aware of 14 → 50.0 %.
    assert_eq!(awareness(&store, 2024), Some(Figure(5000)));
    // The same export again adds nothing.
    let again = import_answers(
        &store,
        "令和6年度 職員意識調査",
        "forms.csv",
        csv.as_bytes(),
    )
    .unwrap();
    assert_eq!((again.added, again.known), (0, 14));
    // No mail, name or timestamp anywhere: not in the records, the export, or the audit trail.
    let exported = kyodo::io::export::csv_text(
        &store,
        "survey_responses",
        None,
        kyodo::io::encoding::Encoding::Utf8,
    )
    .unwrap();
    let audit = format!("{:?}", store.audit_entries(10_000, |_| true).items);
    for text in [
        &exported,
        &audit,
        &format!("{:?}", store.list::<SurveyResponse>().items),
    ] {
        assert!(
            !text.contains("city.example") && !text.contains("9:0"),
            "{text}"
        );
    }
    // Sections: the two of 5 or more on their own, the three small ones not shown (3 < 5).
    let out =
        kyodo::cli::survey::report(&store, FiscalYear(2024), kyodo::cli::Format::Text, Lang::Ja)
            .unwrap();
    assert!(out.contains("まちづくり推進課 (6): 66.7%"), "{out}");
    assert!(out.contains("花泉支所 (5): 40%"), "{out}");
    for small in ["税務課", "財政課", "農政課", "その他"] {
        assert!(!out.contains(small), "{small} is a group under 5: {out}");
    }
    assert!(out.contains("回答 14 / 対象 20 人"), "{out}");
}

#[test]
fn a_bad_export_is_refused_whole_with_each_place_named() {
    let (dir, store) = demo_store();
    let path = dir.path().join("staff_surveys.csv");
    std::fs::write(&path, ROUND).unwrap();
    kyodo::io::import::import_path(&store, &path).unwrap();
    let before = store.list::<SurveyResponse>().items.len();
    let csv = export(&[
        ("花泉支所", "1", "2", ""),
        ("花泉支所", "たぶん", "2", ""),
        ("花泉支所", "1", "7", ""),
    ]);
    let e = import_answers(
        &store,
        "令和6年度 職員意識調査",
        "forms.csv",
        csv.as_bytes(),
    )
    .unwrap_err();
    let text: Vec<String> = e.iter().map(|e| e.text(Lang::En)).collect();
    assert_eq!(text.len(), 2, "{text:?}");
    assert!(
        text[0].starts_with("forms.csv:3:4") && text[1].starts_with("forms.csv:4:5"),
        "{text:?}"
    );
    assert_eq!(
        store.list::<SurveyResponse>().items.len(),
        before,
        "the good row is not kept either"
    );
    // An English Google Forms export: Timestamp, Email Address and Score are not questions.
    let english = "Timestamp,Email Address,Score,Section,Q1,Q2\n2024/11/20 9:00:00,x@city.example,,花泉支所,1,2\n";
    let n = import_answers(
        &store,
        "令和6年度 職員意識調査",
        "forms.csv",
        english.as_bytes(),
    )
    .unwrap();
    assert_eq!(n.added, 1);
    assert!(!format!("{:?}", store.list::<SurveyResponse>().items).contains("x@city"));
    let before = store.list::<SurveyResponse>().items.len();
    // A question too many.
    let wide = "タイムスタンプ,所属,Q1,Q2,Q3\n2024/11/20,花泉支所,1,1,1\n";
    let e = import_answers(
        &store,
        "令和6年度 職員意識調査",
        "forms.csv",
        wide.as_bytes(),
    )
    .unwrap_err();
    assert!(
        e[0].text(Lang::En).contains("3 question columns"),
        "{:?}",
        e[0]
    );
    let e = import_answers(&store, "無い調査", "forms.csv", wide.as_bytes()).unwrap_err();
    assert!(e[0].text(Lang::En).contains("no staff survey"));
    assert_eq!(
        store.list::<SurveyResponse>().items.len(),
        before,
        "nothing written"
    );
    // Through the command line too, with the exit code.
    let db = dir.path().join("cli-db");
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/data/demo");
    kyodo_ok(&["--db", db.to_str().unwrap(), "import", demo]);
    let file = dir.path().join("forms.csv");
    std::fs::write(
        &file,
        "タイムスタンプ,所属,Q1,Q2,Q3\n2024/11/20,花泉支所,1,2,x\n",
    )
    .unwrap();
    let out = kyodo_cmd()
        .args([
            "--db",
            db.to_str().unwrap(),
            "survey",
            "import",
            "--round",
            "令和5年度 職員意識調査",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("forms.csv:2:5"));
}

#[test]
fn the_indicator_detail_names_the_round_it_came_from() {
    let (_d, store) = demo_store();
    let mut app = common::app::App::new(&store, 2023);
    app.go(kyodo::app::Pane::Dashboard, 0);
    let data = app.state.current().data.as_ref().unwrap();
    let item = data
        .items
        .iter()
        .find(|i| matches!(i, kyodo::app::data::Item::Indicator(s) if s.indicator.id == "staff_awareness"))
        .expect("on the dashboard");
    let lines = kyodo::app::rows::detail(item, &data.lookups, Lang::Ja, FiscalYear(2023));
    let text: Vec<String> = lines.iter().map(|(l, v)| format!("{l}\t{v}")).collect();
    assert!(
        text.iter()
            .any(|l| l == "調査の回\t令和5年度 職員意識調査 (2023/11/15)"),
        "{text:#?}"
    );
    assert!(text.iter().any(|l| l.contains("68.4")), "{text:#?}");
    let round = store.list::<StaffSurvey>().items.remove(0);
    assert_eq!(round.staff_asked, 146);
}
