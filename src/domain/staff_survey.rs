//! 職員意識調査 (`StaffSurvey`): one round of the city staff's awareness survey — when, how many
//! staff were asked, its questions — whose anonymous answers ([`super::survey_response`]) compute
//! the indicator 市職員の協働に対する認知度 for its fiscal year (issue 19.5; seed 003 事業6
//! 職員意識調査の実施, indicator target 90 %). Every question is answered on one fixed four-point
//! scale ([`SCALE`]); the awareness is the share of answers to the round's awareness question in
//! its top two points. Declared in this one file and registered by one line of
//! [`crate::record_types!`].

use super::access::Area;
use super::fields::reader::{FieldReader, Fields, Resolver, d, t};
use super::limits::Limit;
use super::record_type::{RecordKind, RecordType, RefKind};
use super::{Figure, FiscalYear};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Record id of a [`StaffSurvey`].
pub type StaffSurveyId = u64;

/// The fixed answer scale, 1 to 4, as `(ja, en)`: 1–2 count as aware.
pub const SCALE: [(&str, &str); 4] = [
    ("よく知っている", "well aware"),
    ("ある程度知っている", "somewhat aware"),
    ("あまり知らない", "hardly aware"),
    ("知らない", "not aware"),
];

/// The scale point (1–4) an answer names: its digit (full width too) or its words in either
/// language; `None` for anything else. An empty answer is 0 (no answer).
pub fn scale_point(answer: &str) -> Option<u8> {
    let a = super::date_parse::normalize_width(answer);
    let a = a.trim();
    if a.is_empty() {
        return Some(0);
    }
    if let Ok(n @ 1..=4) = a.parse::<u8>() {
        return Some(n);
    }
    SCALE
        .iter()
        .position(|(ja, en)| a == *ja || a.eq_ignore_ascii_case(en))
        .map(|i| i as u8 + 1)
}

/// 職員意識調査: one round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffSurvey {
    /// Record id.
    pub id: StaffSurveyId,
    /// 調査名, e.g. `令和5年度 職員意識調査`: unique, how its answers name it.
    pub name: String,
    /// The fiscal year whose indicator it measures.
    pub fiscal_year: FiscalYear,
    /// 実施日.
    pub conducted_on: NaiveDate,
    /// 対象職員数: how many staff were asked.
    pub staff_asked: u32,
    /// 設問, in order (their answers are in the same order).
    pub questions: Vec<String>,
    /// Which question (1-based) measures 協働の認知度.
    pub awareness_question: u32,
}

/// The awareness of `round` from `answers` (each response's points, 0 = unanswered): the share
/// of responses answering its awareness question with 1 or 2, in percent to one decimal
/// (rounded half up); `None` when nobody answered it.
pub fn awareness(round: &StaffSurvey, answers: &[&[u8]]) -> Option<Figure> {
    let q = round.awareness_question.max(1) as usize - 1;
    let given: Vec<u8> = answers
        .iter()
        .filter_map(|a| a.get(q).copied())
        .filter(|p| *p > 0)
        .collect();
    if given.is_empty() {
        return None;
    }
    let aware = given.iter().filter(|p| **p <= 2).count() as i64;
    let n = given.len() as i64;
    let tenths = (aware * 1000 + n / 2) / n;
    Some(Figure(tenths * 10))
}

impl RecordType for StaffSurvey {
    const KIND: RecordKind = RecordKind::StaffSurvey;
    const NAME: &'static str = "staff_surveys";
    const TITLE: (&'static str, &'static str) = ("職員意識調査", "Staff survey");
    const PLURAL: (&'static str, &'static str) = ("職員意識調査", "staff surveys");
    const LABEL: &'static str = "survey";
    const IMPORT_RANK: u32 = 25;
    const FIELDS: &'static [(&'static str, bool)] = &[
        ("name", true),
        ("fiscal_year", true),
        ("conducted_on", true),
        ("staff_asked", true),
        ("questions", true),
        ("awareness_question", false),
    ];
    const LIMITS: &'static [(&'static str, Limit)] =
        &[("name", Limit::Name), ("questions", Limit::List)];
    const FIELD_LABELS: &'static [(&'static str, &'static str, &'static str)] = &[
        ("name", "調査名", "Survey"),
        ("conducted_on", "実施日", "Conducted on"),
        ("staff_asked", "対象職員数", "Staff asked"),
        ("questions", "設問(; 区切り)", "Questions (; separated)"),
        (
            "awareness_question",
            "認知度の設問番号",
            "Awareness question no.",
        ),
    ];
    const LIST_COLUMNS: &'static [(&'static str, u16)] = &[
        ("conducted_on", 10),
        ("fiscal_year", 10),
        ("staff_asked", 8),
        ("name", 0),
    ];
    const AREA: Area = Area::Indicators;
    const REF: Option<RefKind> = Some(RefKind::Survey);

    crate::numeric_id!();
    fn natural_key(&self) -> String {
        self.name.clone()
    }
    fn read(r: &mut dyn FieldReader, _res: &dyn Resolver, id: u64) -> Option<Self> {
        let name = r.req("name");
        let fiscal_year = r.fy("fiscal_year");
        let conducted_on = r.date("conducted_on");
        let staff_asked = r.num("staff_asked");
        let questions = r.list("questions");
        if questions.is_empty() {
            r.req("questions");
        }
        let awareness_question = r.num_or("awareness_question", 1);
        if (awareness_question == 0 || awareness_question as usize > questions.len())
            && !questions.is_empty()
        {
            r.error(
                "awareness_question",
                &awareness_question.to_string(),
                t(
                    format!(
                        "設問は {} 問です。1〜{} の番号を入れてください",
                        questions.len(),
                        questions.len()
                    ),
                    format!(
                        "there are {} questions; give a number from 1 to {}",
                        questions.len(),
                        questions.len()
                    ),
                ),
            );
        }
        r.ok().then_some(StaffSurvey {
            id,
            name,
            fiscal_year,
            conducted_on,
            staff_asked,
            questions,
            awareness_question,
        })
    }
    fn write(&self, _res: &dyn Resolver) -> Fields {
        vec![
            ("name", self.name.clone()),
            ("fiscal_year", self.fiscal_year.0.to_string()),
            ("conducted_on", d(self.conducted_on)),
            ("staff_asked", self.staff_asked.to_string()),
            ("questions", self.questions.join(";")),
            ("awareness_question", self.awareness_question.to_string()),
        ]
    }
    fn in_year(&self, fy: FiscalYear, _res: &dyn Resolver) -> bool {
        self.fiscal_year == fy
    }
    fn export_order(&self, other: &Self, _res: &dyn Resolver) -> Ordering {
        (self.conducted_on, &self.name).cmp(&(other.conducted_on, &other.name))
    }
}
