//! Importing a 職員意識調査 round's answers from the CSV a form tool exports (Google Forms,
//! Microsoft Forms, LoGo フォーム: a timestamp, maybe a mail or name, the section, then one column
//! per question), anonymously (issue 19.5): the section and each answer's point are kept; the
//! timestamp, mail and name columns are never stored (a sheet is known again by a digest of its
//! timestamp, section and answers, so importing the same export twice adds nothing). The whole
//! file goes in one transaction or not at all; every bad cell is reported at file:line:column.

use crate::domain::Text;
use crate::domain::import_report::RowError;
use crate::domain::staff_survey::{SCALE, StaffSurvey, scale_point};
use crate::domain::survey_response::SurveyResponse;
use crate::store::{Batch, Store};
use sha2::{Digest, Sha256};

/// Headers taken as the respondent's section.
const SECTION: &[&str] = &[
    "所属",
    "所属課",
    "所属部署",
    "部署",
    "課",
    "section",
    "department",
];
/// Headers never stored besides [`TIME`]: who answered, and the form tool's own columns.
const DROPPED: &[&str] = &[
    "最終変更時刻",
    "last modified time",
    "id",
    "メールアドレス",
    "メール アドレス",
    "メール",
    "email",
    "e-mail",
    "email address",
    "名前",
    "氏名",
    "name",
    "回答者",
    "ユーザー名",
    "username",
    "合計点",
    "スコア",
    "score",
    "total points",
];
/// Headers that go into the digest but are not stored (the time answered).
const TIME: &[&str] = &[
    "タイムスタンプ",
    "timestamp",
    "開始時刻",
    "完了時刻",
    "start time",
    "completion time",
];

fn is(header: &str, names: &[&str]) -> bool {
    let h = header.trim().to_lowercase();
    names.iter().any(|n| h == n.to_lowercase())
}

fn at(file: &str, line: u64, col: u32, column: &str, value: &str, message: Text) -> RowError {
    RowError {
        file: file.to_string(),
        line,
        col,
        column: column.to_string(),
        value: value.to_string(),
        message,
    }
}

/// What an import did: sheets added, sheets already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Imported {
    /// New sheets.
    pub added: usize,
    /// Sheets already imported (same digest), skipped.
    pub known: usize,
}

/// Imports the answers in `bytes` (the file `file`, UTF-8 or CP932) into the round named
/// `round`, in one transaction.
///
/// Errors: no such round; a file that cannot be read; not one question column per question of
/// the round; an answer off the scale (each placed at file:line:column); a store error. Nothing
/// is written on any error.
pub fn import_answers(
    store: &Store,
    round: &str,
    file: &str,
    bytes: &[u8],
) -> Result<Imported, Vec<RowError>> {
    let one = |m: Text| vec![at(file, 0, 0, "", "", m)];
    let store_err = |e: crate::store::StoreError| one(e.into());
    let r: StaffSurvey = store
        .list::<StaffSurvey>()
        .whole()
        .map_err(store_err)?
        .into_iter()
        .find(|s| s.name == round.trim())
        .ok_or_else(|| {
            one(Text::new(
                format!(
                    "職員意識調査「{round}」がありません。先に調査(staff_surveys)を登録してください"
                ),
                format!("no staff survey '{round}'; record the round (staff_surveys) first"),
            ))
        })?;
    let text = crate::io::csv_in::decode(file, bytes).map_err(|e| vec![*e])?;
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| {
            one(Text::new(
                format!("見出し行が読めません: {e}"),
                format!("cannot read the header: {e}"),
            ))
        })?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let section = headers.iter().position(|h| is(h, SECTION));
    let times: Vec<usize> = (0..headers.len())
        .filter(|&i| is(&headers[i], TIME))
        .collect();
    let questions: Vec<usize> = (0..headers.len())
        .filter(|&i| Some(i) != section && !is(&headers[i], TIME) && !is(&headers[i], DROPPED))
        .collect();
    if questions.len() != r.questions.len() {
        return Err(vec![at(
            file,
            1,
            0,
            "",
            "",
            Text::new(
                format!(
                    "設問の列が {} 列あります。「{}」の設問は {} 問です(所属・タイムスタンプ・メール・氏名の列のほかは設問として読みます)",
                    questions.len(),
                    r.name,
                    r.questions.len()
                ),
                format!(
                    "{} question columns, but '{}' has {} questions (every column but section, timestamp, mail and name is read as a question)",
                    questions.len(),
                    r.name,
                    r.questions.len()
                ),
            ),
        )]);
    }
    let known: std::collections::BTreeSet<String> = store
        .list::<SurveyResponse>()
        .whole()
        .map_err(store_err)?
        .into_iter()
        .filter(|s| s.round == r.id)
        .map(|s| s.digest)
        .collect();
    let mut errors = Vec::new();
    let mut sheets = Vec::new();
    let mut skipped = 0;
    let mut seen = std::collections::BTreeSet::new();
    for rec in rdr.records() {
        let rec = match rec {
            Ok(rec) => rec,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(at(
                    file,
                    line,
                    0,
                    "",
                    "",
                    Text::new(
                        format!("CSV として読めません: {e}"),
                        format!("malformed CSV: {e}"),
                    ),
                ));
                continue;
            }
        };
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = rec.position().map_or(0, |p| p.line());
        let mut answers = Vec::with_capacity(questions.len());
        for &i in &questions {
            let v = rec.get(i).unwrap_or("");
            match scale_point(v) {
                Some(p) => answers.push(p),
                None => errors.push(at(
                    file,
                    line,
                    i as u32 + 1,
                    &headers[i],
                    v,
                    Text::new(
                        format!(
                            "尺度にない回答です。1〜4 か「{}」のどれかにしてください",
                            SCALE.map(|s| s.0).join("・")
                        ),
                        format!(
                            "not on the scale; use 1–4 or one of {}",
                            SCALE.map(|s| s.1).join(", ")
                        ),
                    ),
                )),
            }
        }
        let sect = section
            .and_then(|i| rec.get(i))
            .unwrap_or("")
            .trim()
            .to_string();
        let (max, _) = crate::domain::limits::Limit::Name.max();
        if sect.chars().count() > max {
            errors.push(at(
                file,
                line,
                section.map_or(0, |i| i as u32 + 1),
                "section",
                "",
                Text::new(
                    format!("所属が長すぎます({max}文字まで)"),
                    format!("the section is too long (at most {max} characters)"),
                ),
            ));
            continue;
        }
        let mut h = Sha256::new();
        for &i in &times {
            h.update(rec.get(i).unwrap_or("").as_bytes());
            h.update([0]);
        }
        h.update(sect.as_bytes());
        h.update(&answers);
        let digest: String = h.finalize()[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        if known.contains(&digest) || !seen.insert(digest.clone()) {
            skipped += 1;
            continue;
        }
        sheets.push(SurveyResponse {
            id: 0,
            round: r.id,
            section: sect,
            answers,
            digest,
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let added = sheets.len();
    if added > 0 {
        let mut b = Batch::new();
        for s in sheets {
            b.put_unaudited(s);
        }
        b.as_import(format!("survey answers: {added} sheets into {}", r.name));
        store.write(b).map_err(store_err)?;
    }
    Ok(Imported {
        added,
        known: skipped,
    })
}
