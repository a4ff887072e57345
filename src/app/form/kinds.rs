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
    Choice(Vec<String>),
    /// Any of fixed terms, `;`-separated: a digit toggles one.
    Flags(Vec<String>),
    /// A body, with suggestions by name or kana as you type.
    BodyRef,
    /// A staff member, with suggestions.
    StaffRef,
    /// Several staff members, `;`-separated, with suggestions for the last one.
    StaffList,
}

pub(super) fn choices<V: Copy>(all: &[V], ja: fn(V) -> &'static str) -> FieldKind {
    FieldKind::Choice(all.iter().map(|v| ja(*v).to_string()).collect())
}

pub(super) fn kind_of(form: FormKind, key: &str, ctx: &FormContext) -> FieldKind {
    match (form, key) {
        (FormKind::Staff, "organization") => choices(Organization::ALL, Organization::ja),
        (FormKind::Staff, "role") => choices(Role::ALL, Role::ja),
        (FormKind::Assignment, "role") => choices(TeamRole::ALL, TeamRole::ja),
        (FormKind::Program, "rule") => {
            FieldKind::Choice(vec!["formula".into(), "rate".into(), "fixed".into()])
        }
        (FormKind::Grant, "state") => choices(GrantState::ALL, GrantState::ja),
        (FormKind::Grant | FormKind::Disbursement, "program") => {
            let mut names: Vec<String> = ctx
                .programs
                .iter()
                .filter(|p| p.fiscal_year == ctx.fy)
                .map(|p| p.name.clone())
                .collect();
            names.dedup();
            FieldKind::Choice(names)
        }
        (FormKind::Disbursement, "kind") => choices(DisbursementKind::ALL, DisbursementKind::ja),
        (FormKind::Consultation, "client_type") => FieldKind::Choice(
            fields::CLIENT_TYPES
                .iter()
                .map(|c| c.1.to_string())
                .collect(),
        ),
        (FormKind::Consultation | FormKind::Tally, "channel") => choices(Channel::ALL, Channel::ja),
        (FormKind::Consultation, "categories") => {
            FieldKind::Flags(Category::ALL.iter().map(|c| c.ja().to_string()).collect())
        }
        (FormKind::Tally, "category") => choices(Category::ALL, Category::ja),
        (FormKind::Activity, "role") => choices(BodyRole::ALL, BodyRole::ja),
        (FormKind::IndicatorValue, "indicator") => FieldKind::Choice(
            ctx.indicators
                .iter()
                .filter(|i| i.source == IndicatorSource::Entered && !i.retired)
                .map(|i| i.id.clone())
                .collect(),
        ),
        (_, "body") => FieldKind::BodyRef,
        (FormKind::Consultation, "client_name") => FieldKind::BodyRef,
        (_, "staff" | "counselor") => FieldKind::StaffRef,
        (_, "attendees") => FieldKind::StaffList,
        (FormKind::GrantStep, "step") => FieldKind::Choice(
            crate::domain::grant::StepKind::ALL
                .iter()
                .map(|k| k.ja().to_string())
                .collect(),
        ),
        (FormKind::Indicator, "source") => FieldKind::Choice(
            std::iter::once("entered".to_string())
                .chain(
                    CountedMetric::ALL
                        .iter()
                        .map(|m| format!("counted:{}", m.code())),
                )
                .collect(),
        ),
        // The first choice is a new record's default: staff are active, indicators are not retired.
        (FormKind::PlanAction, "kind") => choices(ActionStatus::ALL, ActionStatus::ja),
        (FormKind::PlanAction, "description") => FieldKind::Lines,
        (FormKind::Staff, "active") => FieldKind::Choice(vec!["はい".into(), "いいえ".into()]),
        (FormKind::Indicator, "retired") => FieldKind::Choice(vec!["いいえ".into(), "はい".into()]),
        (_, "notes" | "decisions" | "follow_ups" | "summary") => FieldKind::Lines,
        _ => FieldKind::Line,
    }
}
