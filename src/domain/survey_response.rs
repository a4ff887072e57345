//! 職員意識調査の回答 (`SurveyResponse`): one anonymous answer sheet of a [`StaffSurvey`] round —
//! the respondent's section and a point (1–4, 0 unanswered) per question, with no staff id, name
//! or mail (issue 19.5). A sheet is known again by a digest of the row it came from, so importing
//! the same export twice adds nothing. Sections are reported only for groups of 5 or more
//! (`kyodo report survey`). Not listed on screen (a sheet is no one's record to browse).
//! Declared in this one file and registered by one line of [`crate::record_types!`].

use super::FiscalYear;
use super::access::Area;
use super::fields::reader::{FieldReader, Fields, Resolver, t};
use super::limits::Limit;
use super::record_type::{RecordKind, RecordType, RefKind};
use super::staff_survey::StaffSurveyId;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Record id of a [`SurveyResponse`].
pub type SurveyResponseId = u64;

/// The smallest group whose answers a report shows on their own (issue 19.5: 5 or more).
pub const MIN_GROUP: usize = 5;

/// One answer sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyResponse {
    /// Record id.
    pub id: SurveyResponseId,
    /// The round.
    pub round: StaffSurveyId,
    /// 所属: the respondent's section as answered (may be empty).
    pub section: String,
    /// Points per question, in the round's order: 1–4, 0 unanswered.
    pub answers: Vec<u8>,
    /// A digest of the source row (16 hex digits), to know a re-imported sheet.
    pub digest: String,
}

impl RecordType for SurveyResponse {
    const KIND: RecordKind = RecordKind::SurveyResponse;
    const NAME: &'static str = "survey_responses";
    const TITLE: (&'static str, &'static str) = ("意識調査の回答", "Survey response");
    const PLURAL: (&'static str, &'static str) = ("意識調査の回答", "survey responses");
    const LABEL: &'static str = "response";
    /// After the rounds they name.
    const IMPORT_RANK: u32 = 26;
    const FIELDS: &'static [(&'static str, bool)] = &[
        ("round", true),
        ("section", false),
        ("answers", true),
        ("digest", true),
    ];
    const LIMITS: &'static [(&'static str, Limit)] = &[
        ("round", Limit::Name),
        ("section", Limit::Name),
        ("answers", Limit::List),
        ("digest", Limit::Value),
    ];
    const FIELD_LABELS: &'static [(&'static str, &'static str, &'static str)] = &[
        ("round", "調査名", "Survey"),
        ("section", "所属", "Section"),
        ("answers", "回答", "Answers"),
    ];
    const AREA: Area = Area::Indicators;
    const REFERS_TO: &'static [RefKind] = &[RefKind::Survey];
    const NAMES_BY_LABEL: &'static [RecordKind] = &[RecordKind::StaffSurvey];

    crate::numeric_id!();
    fn natural_key(&self) -> String {
        format!("{}|{}", self.round, self.digest)
    }
    fn read(r: &mut dyn FieldReader, res: &dyn Resolver, id: u64) -> Option<Self> {
        let name = r.req("round");
        let round = if name.is_empty() {
            0
        } else {
            res.labelled(RecordKind::StaffSurvey, &name)
                .unwrap_or_else(|e| {
                    r.error("round", &name, e);
                    0
                })
        };
        let section = r.raw("section");
        let text = r.raw("answers");
        let answers: Option<Vec<u8>> = text
            .split(';')
            .map(super::staff_survey::scale_point)
            .collect();
        let digest = r.req("digest");
        let answers = match answers {
            Some(a) if !text.is_empty() => a,
            _ => {
                r.error(
                    "answers",
                    &text,
                    t(
                        "回答は設問の順に 1〜4(空欄は無回答)を ; で区切って入れてください",
                        "give each question's point 1–4 (empty for none), ; separated, in order",
                    ),
                );
                Vec::new()
            }
        };
        r.ok().then_some(SurveyResponse {
            id,
            round,
            section,
            answers,
            digest,
        })
    }
    fn write(&self, res: &dyn Resolver) -> Fields {
        let answers: Vec<String> = self
            .answers
            .iter()
            .map(|a| {
                if *a == 0 {
                    String::new()
                } else {
                    a.to_string()
                }
            })
            .collect();
        vec![
            ("round", res.label_of(RecordKind::StaffSurvey, self.round)),
            ("section", self.section.clone()),
            ("answers", answers.join(";")),
            ("digest", self.digest.clone()),
        ]
    }
    fn refs(&self) -> Vec<(RefKind, u64)> {
        vec![(RefKind::Survey, self.round)]
    }
    fn in_year(&self, _fy: FiscalYear, _res: &dyn Resolver) -> bool {
        true
    }
    fn export_order(&self, other: &Self, res: &dyn Resolver) -> Ordering {
        let round = |x: &SurveyResponse| res.label_of(RecordKind::StaffSurvey, x.round);
        (round(self), &self.digest).cmp(&(round(other), &other.digest))
    }
}
