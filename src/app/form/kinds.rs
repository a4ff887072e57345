//! Which record a form edits and what kind of input each of its fields takes (a choice, a name
//! picked by kana, several lines).

use super::*;

/// Which record a form edits (its table name is the CSV file name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum FormKind {
    /// 地域協働体.
    Body,
    /// 職員.
    Staff,
    /// 担当.
    Assignment,
    /// チーム会議 (with attendees and follow-ups).
    Meeting,
    /// 相談.
    Consultation,
    /// 相談件数.
    Tally,
    /// 活動.
    Activity,
    /// 交付金.
    Program,
    /// 交付申請・決定.
    Grant,
    /// 支払.
    Disbursement,
    /// 成果指標の実績値 (entered yearly).
    IndicatorValue,
    /// The next step of a grant's lifecycle (交付決定, 概算払, 実績報告, 額の確定, …).
    GrantStep,
    /// 成果指標 definition (id, name, unit, baseline, target, source, retired).
    Indicator,
    /// 事業 of the plan, with its status per year.
    PlanAction,
    /// Any other record type: its fields as the type declares them ([`RecordType::FIELDS`]),
    /// read and written by the type itself.
    Record(RecordKind),
}

impl FormKind {
    /// The record type's table name (the CSV file name, and `domain::fields::columns`).
    pub fn table(self) -> &'static str {
        match self {
            FormKind::Body => "bodies",
            FormKind::Staff => "staff",
            FormKind::Assignment => "assignments",
            FormKind::Meeting => "team_meetings",
            FormKind::Consultation => "consultations",
            FormKind::Tally => "consultation_tallies",
            FormKind::Activity => "body_activities",
            FormKind::Program => "subsidy_programs",
            FormKind::Grant => "grants",
            FormKind::Disbursement => "disbursements",
            FormKind::IndicatorValue => "indicator_values",
            FormKind::GrantStep => "grant_steps",
            FormKind::Indicator => "indicators",
            FormKind::PlanAction => "plan_actions",
            FormKind::Record(k) => k.file(),
        }
    }

    /// The record type whose references this form names (its labels are loaded when it opens):
    /// the type it saves, or a grant for a grant step (which names its grant by recipient).
    pub fn names_from(self) -> Option<RecordKind> {
        match self {
            FormKind::GrantStep => Some(RecordKind::Grant),
            k => k.record(),
        }
    }

    /// The record type this form saves; `None` for a grant step (which adds to a grant).
    pub fn record(self) -> Option<RecordKind> {
        Some(match self {
            FormKind::Body => RecordKind::Body,
            FormKind::Staff => RecordKind::Staff,
            FormKind::Assignment => RecordKind::Assignment,
            FormKind::Meeting => RecordKind::TeamMeeting,
            FormKind::Consultation => RecordKind::Consultation,
            FormKind::Tally => RecordKind::ConsultationTally,
            FormKind::Activity => RecordKind::BodyActivity,
            FormKind::Program => RecordKind::SubsidyProgram,
            FormKind::Grant => RecordKind::Grant,
            FormKind::Disbursement => RecordKind::Disbursement,
            FormKind::IndicatorValue => RecordKind::IndicatorEntry,
            FormKind::Indicator => RecordKind::Indicator,
            FormKind::PlanAction => RecordKind::PlanAction,
            FormKind::Record(k) => k,
            FormKind::GrantStep => return None,
        })
    }

    /// Title, Japanese and English.
    pub fn title(self, lang: Lang) -> &'static str {
        let (ja, en) = match self {
            FormKind::Record(k) => return k.title(lang),
            FormKind::Body => ("地域協働体", "Body"),
            FormKind::Staff => ("職員", "Staff member"),
            FormKind::Assignment => ("担当", "Assignment"),
            FormKind::Meeting => ("チーム会議", "Team meeting"),
            FormKind::Consultation => ("相談", "Consultation"),
            FormKind::Tally => ("相談件数", "Tally"),
            FormKind::Activity => ("活動", "Activity"),
            FormKind::Program => ("交付金", "Subsidy program"),
            FormKind::Grant => ("交付申請・決定", "Grant"),
            FormKind::Disbursement => ("支払・返還", "Payment"),
            FormKind::IndicatorValue => ("成果指標の実績", "Indicator value"),
            FormKind::GrantStep => ("交付金の手続き", "Grant step"),
            FormKind::Indicator => ("成果指標", "Indicator"),
            FormKind::PlanAction => ("計画の事業", "Plan action"),
        };
        match lang {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }
}

/// How a field is edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    /// One line of text (also dates, numbers, yen, fiscal years).
    Line,
    /// Several lines (notes, follow-ups: Enter adds a line).
    Lines,
    /// One of fixed terms: Left/Right or a digit chooses.
    Choice(Vec<Opt>),
    /// Any of fixed terms, `;`-separated: a digit toggles one.
    Flags(Vec<Opt>),
    /// A body, with suggestions by name or kana as you type.
    BodyRef,
    /// A staff member, with suggestions.
    StaffRef,
    /// Several staff members, `;`-separated, with suggestions for the last one.
    StaffList,
}

/// One term a Choice or Flags field offers: the value the field holds (what the record's
/// reader reads back: a Japanese term, a code or an id) and how it is shown in each language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opt {
    /// What the field's text becomes when this is chosen.
    pub value: String,
    /// Shown in a Japanese view.
    pub ja: String,
    /// Shown in an English view.
    pub en: String,
}

impl Opt {
    /// A term shown as `ja` / `en` whose value is its Japanese term.
    pub fn terms(ja: &str, en: &str) -> Opt {
        Opt {
            value: ja.to_string(),
            ja: ja.to_string(),
            en: en.to_string(),
        }
    }

    /// How it is shown in `lang`.
    pub fn shown(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }

    /// The values of `opts`, in order.
    pub fn values(opts: &[Opt]) -> Vec<&str> {
        opts.iter().map(|o| o.value.as_str()).collect()
    }
}

/// A choice of a vocabulary's terms (value = the Japanese term, which its reader reads).
pub(super) fn choices<V: Copy>(
    all: &[V],
    ja: fn(V) -> &'static str,
    en: fn(V) -> &'static str,
) -> FieldKind {
    FieldKind::Choice(all.iter().map(|v| Opt::terms(ja(*v), en(*v))).collect())
}

pub(super) fn kind_of(form: FormKind, key: &str, ctx: &FormContext) -> FieldKind {
    match (form, key) {
        (FormKind::Staff, "organization") => {
            choices(Organization::ALL, Organization::ja, Organization::en)
        }
        (FormKind::Staff, "role") => choices(Role::ALL, Role::ja, Role::en),
        (FormKind::Assignment, "role") => choices(TeamRole::ALL, TeamRole::ja, TeamRole::en),
        (FormKind::Program, "rule") => FieldKind::Choice(
            [
                ("formula", "配分式", "formula"),
                ("rate", "補助率", "rate"),
                ("fixed", "定額", "fixed"),
            ]
            .map(|(value, ja, en)| Opt {
                value: value.into(),
                ja: ja.into(),
                en: en.into(),
            })
            .to_vec(),
        ),
        (FormKind::Grant, "state") => choices(GrantState::ALL, GrantState::ja, GrantState::en),
        (FormKind::Grant | FormKind::Disbursement, "program") => {
            let mut names: Vec<String> = ctx
                .programs
                .iter()
                .filter(|p| p.fiscal_year == ctx.fy)
                .map(|p| p.name.clone())
                .collect();
            names.dedup();
            FieldKind::Choice(names.iter().map(|n| Opt::terms(n, n)).collect())
        }
        (FormKind::Disbursement, "kind") => choices(
            DisbursementKind::ALL,
            DisbursementKind::ja,
            DisbursementKind::en,
        ),
        (FormKind::Consultation, "client_type") => FieldKind::Choice(
            fields::CLIENT_TYPES
                .iter()
                .map(|c| Opt::terms(c.1, c.2))
                .collect(),
        ),
        (FormKind::Consultation | FormKind::Tally, "channel") => {
            choices(Channel::ALL, Channel::ja, Channel::en)
        }
        (FormKind::Consultation, "categories") => FieldKind::Flags(
            Category::ALL
                .iter()
                .map(|c| Opt::terms(c.ja(), c.en()))
                .collect(),
        ),
        (FormKind::Tally, "category") => choices(Category::ALL, Category::ja, Category::en),
        (FormKind::Activity, "role") => choices(BodyRole::ALL, BodyRole::ja, BodyRole::en),
        (FormKind::IndicatorValue, "indicator") => FieldKind::Choice(
            ctx.indicators
                .iter()
                .filter(|i| i.source == IndicatorSource::Entered && !i.retired)
                .map(|i| Opt {
                    value: i.id.clone(),
                    ja: i.name_ja.clone(),
                    en: i.name_en.clone(),
                })
                .collect(),
        ),
        (_, "body") => FieldKind::BodyRef,
        (FormKind::Consultation, "client_name") => FieldKind::BodyRef,
        (_, "staff" | "counselor") => FieldKind::StaffRef,
        (_, "attendees") => FieldKind::StaffList,
        (FormKind::GrantStep, "step") => FieldKind::Choice(
            crate::domain::grant::StepKind::ALL
                .iter()
                .map(|k| Opt::terms(k.ja(), k.en()))
                .collect(),
        ),
        (FormKind::Indicator, "source") => FieldKind::Choice(
            std::iter::once(Opt {
                value: "entered".into(),
                ja: "入力".into(),
                en: "entered".into(),
            })
            .chain(CountedMetric::ALL.iter().map(|m| Opt {
                value: format!("counted:{}", m.code()),
                ja: format!("集計:{}", m.ja()),
                en: format!("counted: {}", m.en()),
            }))
            .collect(),
        ),
        // The first choice is a new record's default: staff are active, indicators are not retired.
        (FormKind::PlanAction, "kind") => {
            choices(ActionStatus::ALL, ActionStatus::ja, ActionStatus::en)
        }
        (FormKind::Record(RecordKind::ActionResult), "status") => {
            choices(ActionStatus::ALL, ActionStatus::ja, ActionStatus::en)
        }
        (FormKind::Record(RecordKind::ActionResult), "rating") => {
            use crate::domain::action_result::Rating;
            choices(Rating::ALL, Rating::ja, Rating::en)
        }
        (FormKind::Record(RecordKind::ActionResult), "summary") => FieldKind::Lines,
        (FormKind::Record(RecordKind::Request), "state") => {
            use crate::domain::request::RequestState;
            choices(RequestState::ALL, RequestState::ja, RequestState::en)
        }
        (FormKind::Record(RecordKind::Request), "priority") => {
            use crate::domain::request::Priority;
            // The first choice is a new request's default: 中.
            let order = [Priority::Medium, Priority::High, Priority::Low];
            choices(&order, Priority::ja, Priority::en)
        }
        (FormKind::Record(RecordKind::Request), "text" | "answer" | "reason") => FieldKind::Lines,
        (FormKind::Record(RecordKind::ConsultationCase), "status") => {
            use crate::domain::consultation_case::CaseStatus;
            choices(CaseStatus::ALL, CaseStatus::ja, CaseStatus::en)
        }
        (FormKind::Record(RecordKind::ConsultationCase), "referral_kind") => {
            use crate::domain::consultation_case::ReferralKind;
            choices(ReferralKind::ALL, ReferralKind::ja, ReferralKind::en)
        }
        (FormKind::Record(RecordKind::ConsultationCase), "referral_outcome") => FieldKind::Lines,
        (FormKind::PlanAction, "description") => FieldKind::Lines,
        (FormKind::Staff, "active") => {
            FieldKind::Choice(vec![Opt::terms("はい", "yes"), Opt::terms("いいえ", "no")])
        }
        (FormKind::Indicator, "retired") => {
            FieldKind::Choice(vec![Opt::terms("いいえ", "no"), Opt::terms("はい", "yes")])
        }
        (_, "notes" | "decisions" | "follow_ups" | "summary") => FieldKind::Lines,
        _ => FieldKind::Line,
    }
}
