//! 協働事業評価 (`ProjectEvaluation`): one stage of a 協働事業's yearly evaluation, in its order —
//! 自己評価 by each partner on its own, then the partners' 相互評価, then a 第三者評価 (the citizen
//! committee with the partners, or the participants' questionnaire) that ends with an agreed
//! improvement (issue 19.2). Seed 001 方策7 取組19–20: 「協働主体が相互評価を実施する」,
//! 「相互評価を基に市民協働推進委員と協働主体が事業改善に向け課題等を協議し、その過程と結果を公表
//! する」; seed 003 第4章 (2): 参加者アンケートによる第三者視点の評価、協働推進会議での検証. Every
//! stage scores the same four criteria ([`CRITERIA`], 1–5) with a comment; a stage cannot be
//! recorded before the one it follows (the message names the missing stage), checked where it is
//! typed or imported and by `kyodo check` over what is stored. Declared in this one file and
//! registered by one line of [`crate::record_types!`].

use super::access::Area;
use super::collaboration_project::CollaborationProjectId;
use super::fields::reader::{FieldReader, Fields, Resolver, d, t, vocab};
use super::limits::Limit;
use super::record_type::{RecordKind, RecordType, RefKind};
use super::{FiscalYear, Text};
use crate::vocab;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Record id of a [`ProjectEvaluation`].
pub type ProjectEvaluationId = u64;

vocab! {
    /// 評価の段階, in the order they are recorded (seed 001 取組19–20).
    EvaluationStage {
        /// 自己評価: each partner on its own.
        SelfEvaluation = ("self", "自己評価", "Self-evaluation"),
        /// 相互評価: the partners evaluate each other.
        Mutual = ("mutual", "相互評価", "Mutual evaluation"),
        /// 第三者評価: the committee with the partners, or the participants' survey.
        ThirdParty = ("third_party", "第三者評価", "Third-party evaluation"),
    }
}

impl EvaluationStage {
    /// The stage this one follows (`None` for 自己評価).
    pub fn follows(self) -> Option<EvaluationStage> {
        match self {
            EvaluationStage::SelfEvaluation => None,
            EvaluationStage::Mutual => Some(EvaluationStage::SelfEvaluation),
            EvaluationStage::ThirdParty => Some(EvaluationStage::Mutual),
        }
    }

    /// Its place in the order (0, 1, 2).
    pub fn rank(self) -> usize {
        EvaluationStage::ALL
            .iter()
            .position(|s| *s == self)
            .unwrap_or(0)
    }
}

/// The fixed criteria every stage scores, as `(field, ja, en)`: 目的の共有, 役割分担, 成果, 継続性.
pub const CRITERIA: [(&str, &str, &str); 4] = [
    ("purpose", "目的の共有", "Shared purpose"),
    ("roles", "役割分担", "Division of roles"),
    ("results", "成果", "Results"),
    ("continuity", "継続性", "Continuity"),
];

/// 協働事業評価: one stage by one evaluator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectEvaluation {
    /// Record id.
    pub id: ProjectEvaluationId,
    /// The 協働事業.
    pub project: CollaborationProjectId,
    /// The fiscal year evaluated.
    pub fiscal_year: FiscalYear,
    /// The stage.
    pub stage: EvaluationStage,
    /// 評価者: the partner (自己評価), the partners together, or the committee or survey.
    pub evaluator: String,
    /// 評価日.
    pub evaluated_on: NaiveDate,
    /// Scores 1–5 on [`CRITERIA`], in that order.
    pub scores: [u8; 4],
    /// 所見: the comment.
    pub comment: Option<String>,
    /// 改善策: the agreed improvement (required at 第三者評価, which closes the year).
    pub improvement: Option<String>,
}

/// The label by which a stage is found: `{project number}|{fiscal year}|{stage code}`.
fn stage_label(project: &str, fy: FiscalYear, stage: EvaluationStage) -> String {
    format!("{project}|{}|{}", fy.0, stage.code())
}

/// The refusal of `stage` recorded before the stage it follows (`missing`), for project
/// `number` in `fy`.
pub fn out_of_order(
    number: &str,
    fy: FiscalYear,
    stage: EvaluationStage,
    missing: EvaluationStage,
) -> Text {
    t(
        format!(
            "{number} の{}の{}はまだ記録できません: 先に{}を記録してください",
            fy.ja_label(),
            stage.ja(),
            missing.ja()
        ),
        format!(
            "the {} of {number} for FY{} cannot come yet: record its {} first",
            stage.en().to_lowercase(),
            fy.0,
            missing.en().to_lowercase()
        ),
    )
}

/// The stored evaluations recorded before the stage they follow (a 自己評価 deleted after its
/// 相互評価, or records written before the rule): `(id, message)`, for `kyodo check`.
/// `number` gives a project's 事業番号.
pub fn problems(
    all: &[ProjectEvaluation],
    number: &dyn Fn(CollaborationProjectId) -> String,
) -> Vec<(ProjectEvaluationId, Text)> {
    all.iter()
        .filter_map(|e| {
            let missing = e.stage.follows()?;
            let found = all.iter().any(|o| {
                o.project == e.project && o.fiscal_year == e.fiscal_year && o.stage == missing
            });
            (!found).then(|| {
                (
                    e.id,
                    out_of_order(&number(e.project), e.fiscal_year, e.stage, missing),
                )
            })
        })
        .collect()
}

impl RecordType for ProjectEvaluation {
    const KIND: RecordKind = RecordKind::ProjectEvaluation;
    const NAME: &'static str = "project_evaluations";
    const TITLE: (&'static str, &'static str) = ("協働事業評価", "Project evaluation");
    const PLURAL: (&'static str, &'static str) = ("協働事業評価", "project evaluations");
    const LABEL: &'static str = "evaluation";
    /// After the projects (registered after them); its stages in file order.
    const IMPORT_RANK: u32 = 20;
    const FIELDS: &'static [(&'static str, bool)] = &[
        ("project", true),
        ("fiscal_year", true),
        ("stage", true),
        ("evaluator", true),
        ("evaluated_on", true),
        ("purpose", true),
        ("roles", true),
        ("results", true),
        ("continuity", true),
        ("comment", false),
        ("improvement", false),
    ];
    const LIMITS: &'static [(&'static str, Limit)] = &[
        ("project", Limit::Name),
        ("evaluator", Limit::Name),
        ("comment", Limit::Text),
        ("improvement", Limit::Text),
    ];
    const FIELD_LABELS: &'static [(&'static str, &'static str, &'static str)] = &[
        ("project", "協働事業(事業番号)", "Project no."),
        ("stage", "評価の段階", "Stage"),
        ("evaluator", "評価者", "Evaluator"),
        ("evaluated_on", "評価日", "Evaluated on"),
        ("purpose", "目的の共有(1〜5)", "Shared purpose (1–5)"),
        ("roles", "役割分担(1〜5)", "Division of roles (1–5)"),
        ("results", "成果(1〜5)", "Results (1–5)"),
        ("continuity", "継続性(1〜5)", "Continuity (1–5)"),
        ("comment", "所見", "Comment"),
        ("improvement", "改善策", "Agreed improvement"),
    ];
    /// The scores are in the detail and the report (four narrow columns say nothing at 80).
    const LIST_COLUMNS: &'static [(&'static str, u16)] = &[
        ("evaluated_on", 10),
        ("project", 14),
        ("stage", 12),
        ("evaluator", 0),
    ];
    const AREA: Area = Area::Plan;
    const REFERS_TO: &'static [RefKind] = &[RefKind::Project];
    /// Its project by 事業番号, and the earlier stages of the same project and year.
    const NAMES_BY_LABEL: &'static [RecordKind] = &[
        RecordKind::CollaborationProject,
        RecordKind::ProjectEvaluation,
    ];

    crate::numeric_id!();
    fn natural_key(&self) -> String {
        format!(
            "{}|{}|{}|{}",
            self.project,
            self.fiscal_year.0,
            self.stage.code(),
            self.evaluator
        )
    }
    /// `{事業番号}|{年度}|{段階}` (several 自己評価 share one: it says the stage was recorded).
    fn label(&self, res: &dyn Resolver) -> String {
        stage_label(
            &res.label_of(RecordKind::CollaborationProject, self.project),
            self.fiscal_year,
            self.stage,
        )
    }
    fn read(r: &mut dyn FieldReader, res: &dyn Resolver, id: u64) -> Option<Self> {
        let number = r.req("project");
        let project = if number.is_empty() {
            0
        } else {
            res.labelled(RecordKind::CollaborationProject, &number)
                .unwrap_or_else(|e| {
                    r.error("project", &number, e);
                    0
                })
        };
        let fiscal_year = r.fy("fiscal_year");
        let stage = vocab(r, "stage", EvaluationStage::parse, EvaluationStage::choices);
        let evaluator = r.req("evaluator");
        let evaluated_on = r.date("evaluated_on");
        let mut scores = [0u8; 4];
        for (s, (key, _, _)) in scores.iter_mut().zip(CRITERIA) {
            let v = r.raw(key);
            match super::date_parse::normalize_width(&v).trim().parse::<u8>() {
                Ok(n @ 1..=5) => *s = n,
                _ => r.error(
                    key,
                    &v,
                    t(
                        "1〜5 の整数で入力してください",
                        "a whole number from 1 to 5",
                    ),
                ),
            }
        }
        let comment = r.opt("comment");
        let improvement = r.opt("improvement");
        let stage = stage?;
        if stage == EvaluationStage::ThirdParty && improvement.is_none() {
            r.error(
                "improvement",
                "",
                t(
                    "第三者評価では、協議で合意した改善策を入れてください",
                    "a third-party evaluation records the improvement agreed with the partners",
                ),
            );
        }
        if let Some(missing) = stage.follows()
            && project != 0
            && res
                .labelled(
                    RecordKind::ProjectEvaluation,
                    &stage_label(&number, fiscal_year, missing),
                )
                .is_err()
        {
            r.error(
                "stage",
                stage.ja(),
                out_of_order(&number, fiscal_year, stage, missing),
            );
        }
        r.ok().then_some(ProjectEvaluation {
            id,
            project,
            fiscal_year,
            stage,
            evaluator,
            evaluated_on,
            scores,
            comment,
            improvement,
        })
    }
    fn write(&self, res: &dyn Resolver) -> Fields {
        let mut f = vec![
            (
                "project",
                res.label_of(RecordKind::CollaborationProject, self.project),
            ),
            ("fiscal_year", self.fiscal_year.0.to_string()),
            ("stage", self.stage.ja().to_string()),
            ("evaluator", self.evaluator.clone()),
            ("evaluated_on", d(self.evaluated_on)),
        ];
        for (s, (key, _, _)) in self.scores.iter().zip(CRITERIA) {
            f.push((key, s.to_string()));
        }
        f.push(("comment", self.comment.clone().unwrap_or_default()));
        f.push(("improvement", self.improvement.clone().unwrap_or_default()));
        f
    }
    fn refs(&self) -> Vec<(RefKind, u64)> {
        vec![(RefKind::Project, self.project)]
    }
    fn in_year(&self, fy: FiscalYear, _res: &dyn Resolver) -> bool {
        self.fiscal_year == fy
    }
    fn export_order(&self, other: &Self, _res: &dyn Resolver) -> Ordering {
        (
            self.fiscal_year,
            self.project,
            self.stage.rank(),
            self.evaluated_on,
            &self.evaluator,
        )
            .cmp(&(
                other.fiscal_year,
                other.project,
                other.stage.rank(),
                other.evaluated_on,
                &other.evaluator,
            ))
    }
}
