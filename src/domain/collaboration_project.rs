//! 協働事業 (`CollaborationProject`): a project the city runs with partners — bodies, 自治会,
//! NPOs, groups, companies (the grantee kinds of issue 18.1) — for one or more fiscal years, under
//! an action of the plan, in a form such as 委託 or 実行委員会 (issue 19.1; seed 001 方策7 取組18:
//! 「市民が関わった方が効果の高いものについて協働化を進める」; seed 003 第4章 (2) 評価と検証).
//! Its yearly evaluation is [`super::project_evaluation`]. Declared in this one file and
//! registered by one line of [`crate::record_types!`].

use super::FiscalYear;
use super::access::Area;
use super::fields::reader::{FieldReader, Fields, Resolver, t, vocab};
use super::limits::Limit;
use super::recipient::{self, Recipient};
use super::record_type::{RecordKind, RecordType, RefKind};
use crate::vocab;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Record id of a [`CollaborationProject`].
pub type CollaborationProjectId = u64;

vocab! {
    /// 協働の形態: how the city and its partners work together (the usual forms of 協働事業).
    CollaborationForm {
        /// 委託: the city commissions the partner.
        Commission = ("commission", "委託", "Commission"),
        /// 補助: the city subsidises the partner's project.
        Subsidy = ("subsidy", "補助", "Subsidy"),
        /// 共催: held together.
        CoHosting = ("cohosting", "共催", "Co-hosting"),
        /// 実行委員会: a committee of the partners runs it.
        Committee = ("committee", "実行委員会", "Executive committee"),
        /// 協定: under an agreement.
        Agreement = ("agreement", "協定", "Agreement"),
        /// 後援: the city endorses it.
        Endorsement = ("endorsement", "後援", "Endorsement"),
        /// その他.
        Other = ("other", "その他", "Other"),
    }
}

/// 協働事業: one joint project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollaborationProject {
    /// Record id.
    pub id: CollaborationProjectId,
    /// 事業番号, e.g. `R5-協働-01`: unique, how its evaluations name it.
    pub number: String,
    /// 事業名.
    pub title: String,
    /// The first fiscal year it runs.
    pub first_fy: FiscalYear,
    /// The last fiscal year it runs (≥ `first_fy`).
    pub last_fy: FiscalYear,
    /// 担当課: the city section responsible, e.g. `まちづくり推進課`.
    pub section: String,
    /// 協働の相手: bodies, 自治会 and organisations (one or more).
    pub partners: Vec<Recipient>,
    /// The plan and action number it serves (`第3次一関市協働推進計画`, 12), when it serves one.
    pub action: Option<(String, u32)>,
    /// 協働の形態.
    pub form: CollaborationForm,
    /// 予算額 in yen, when it has one.
    pub budget: Option<i64>,
}

impl CollaborationProject {
    /// Whether it runs in fiscal year `fy`.
    pub fn runs_in(&self, fy: FiscalYear) -> bool {
        self.first_fy <= fy && fy <= self.last_fy
    }
}

impl RecordType for CollaborationProject {
    const KIND: RecordKind = RecordKind::CollaborationProject;
    const NAME: &'static str = "collaboration_projects";
    const TITLE: (&'static str, &'static str) = ("協働事業", "Joint project");
    const PLURAL: (&'static str, &'static str) = ("協働事業", "joint projects");
    const LABEL: &'static str = "project";
    /// After the partners it names (bodies, 自治会, organisations) and the plan's actions.
    const IMPORT_RANK: u32 = 19;
    const FIELDS: &'static [(&'static str, bool)] = &[
        ("number", true),
        ("title", true),
        ("fiscal_year", true),
        ("last_fy", false),
        ("section", true),
        ("partners", true),
        ("plan", false),
        ("action", false),
        ("form", true),
        ("budget", false),
    ];
    const LIMITS: &'static [(&'static str, Limit)] = &[
        ("number", Limit::Name),
        ("title", Limit::Line),
        ("section", Limit::Name),
        ("partners", Limit::List),
        ("plan", Limit::Name),
    ];
    const FIELD_LABELS: &'static [(&'static str, &'static str, &'static str)] = &[
        ("number", "事業番号", "Project no."),
        ("title", "事業名", "Title"),
        ("fiscal_year", "開始年度", "First year"),
        ("last_fy", "終了年度", "Last year"),
        ("section", "担当課", "Section"),
        ("partners", "協働の相手", "Partners"),
        ("action", "事業(計画の番号)", "Plan action no."),
        ("form", "協働の形態", "Form"),
    ];
    const LIST_COLUMNS: &'static [(&'static str, u16)] = &[
        ("number", 12),
        ("title", 24),
        ("form", 10),
        ("section", 14),
        ("partners", 0),
    ];
    const AREA: Area = Area::Plan;
    const REF: Option<RefKind> = Some(RefKind::Project);
    const REFERS_TO: &'static [RefKind] =
        &[RefKind::Body, RefKind::Association, RefKind::Organisation];
    const NAMES_BY_LABEL: &'static [RecordKind] = recipient::LABELLED;

    crate::numeric_id!();
    fn natural_key(&self) -> String {
        self.number.clone()
    }
    fn read(r: &mut dyn FieldReader, res: &dyn Resolver, id: u64) -> Option<Self> {
        let number = r.req("number");
        let title = r.req("title");
        let first_fy = r.fy("fiscal_year");
        let last_fy = r.opt("last_fy").map(|_| r.fy("last_fy"));
        let section = r.req("section");
        let mut partners = Vec::new();
        let names = r.list("partners");
        if names.is_empty() {
            r.req("partners");
        }
        for name in names {
            match recipient::find(res, &name) {
                Ok(p) if !partners.contains(&p) => partners.push(p),
                Ok(_) => {}
                Err(e) => r.error("partners", &name, e),
            }
        }
        let action = super::event::plan_action(r, res);
        let form = vocab(
            r,
            "form",
            CollaborationForm::parse,
            CollaborationForm::choices,
        );
        let budget = r.opt_yen("budget");
        let last_fy = last_fy.unwrap_or(first_fy);
        if last_fy < first_fy && r.ok() {
            r.error(
                "last_fy",
                &last_fy.0.to_string(),
                t(
                    "終了年度が開始年度より前です",
                    "the last year is before the first",
                ),
            );
        }
        if budget.is_some_and(|b| b < 0) {
            let v = r.raw("budget");
            r.error(
                "budget",
                &v,
                t("0円以上で入力してください", "must be 0 yen or more"),
            );
        }
        let form = form?;
        r.ok().then_some(CollaborationProject {
            id,
            number,
            title,
            first_fy,
            last_fy,
            section,
            partners,
            action,
            form,
            budget,
        })
    }
    fn write(&self, res: &dyn Resolver) -> Fields {
        let names: Vec<String> = self.partners.iter().map(|p| p.name(res)).collect();
        vec![
            ("number", self.number.clone()),
            ("title", self.title.clone()),
            ("fiscal_year", self.first_fy.0.to_string()),
            ("last_fy", self.last_fy.0.to_string()),
            ("section", self.section.clone()),
            ("partners", names.join(";")),
            (
                "plan",
                self.action
                    .as_ref()
                    .map(|a| a.0.clone())
                    .unwrap_or_default(),
            ),
            (
                "action",
                self.action
                    .as_ref()
                    .map(|a| a.1.to_string())
                    .unwrap_or_default(),
            ),
            ("form", self.form.ja().to_string()),
            (
                "budget",
                self.budget.map(|b| b.to_string()).unwrap_or_default(),
            ),
        ]
    }
    fn refs(&self) -> Vec<(RefKind, u64)> {
        self.partners.iter().map(|p| p.reference()).collect()
    }
    fn in_year(&self, fy: FiscalYear, _res: &dyn Resolver) -> bool {
        self.runs_in(fy)
    }
    fn export_order(&self, other: &Self, _res: &dyn Resolver) -> Ordering {
        (self.first_fy, &self.number).cmp(&(other.first_fy, &other.number))
    }
}
