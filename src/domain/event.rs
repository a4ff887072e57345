//! 講座・研修・意見交換会 (`Event`): one event or course held on a date — a 担い手養成講座, a
//! 階層別職員研修, a 意見交換会 between the bodies and the city, a セミナー, the 自治会長サミット —
//! with its organiser, audience, the plan action it serves and how many took part (issue 19.3;
//! seed 003 事業3 学習機会の提供, 事業5 職員研修, 事業12 意見交換の場; seed 000 横結人財育成研修;
//! seed 004 地域コーディネーター研修 in two stages, 基礎 → ステップアップ). A course of a series
//! names its series (`course`) and stage; who of the staff attended is their training history
//! ([`super::training`]). Its participants count in the action's 実績 for its fiscal year.
//! Declared in this one file and registered by one line of [`crate::record_types!`].

use super::FiscalYear;
use super::access::Area;
use super::fields::reader::{FieldReader, Fields, Resolver, d, t, vocab};
use super::limits::Limit;
use super::record_type::{RecordKind, RecordType};
use crate::vocab;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Record id of an [`Event`].
pub type EventId = u64;

vocab! {
    /// What kind of event.
    EventKind {
        /// 講座 (e.g. 担い手養成講座).
        Course = ("course", "講座", "Course"),
        /// 研修会 (e.g. 階層別職員研修, 新採用職員研修).
        Training = ("training", "研修会", "Training"),
        /// 意見交換会.
        Exchange = ("exchange", "意見交換会", "Exchange meeting"),
        /// セミナー.
        Seminar = ("seminar", "セミナー", "Seminar"),
        /// サミット (e.g. 自治会長サミット).
        Summit = ("summit", "サミット", "Summit"),
        /// 報告会 (e.g. a 参加報告会 after an external training).
        ReportBack = ("report_back", "報告会", "Report-back session"),
    }
}

vocab! {
    /// Who an event is for.
    Audience {
        /// 市民.
        Citizens = ("citizens", "市民", "Citizens"),
        /// 地域協働体の職員・役員.
        BodiesStaff = ("bodies_staff", "協働体職員", "Bodies' staff"),
        /// 市職員.
        CityStaff = ("city_staff", "市職員", "City staff"),
    }
}

vocab! {
    /// 段階 of a course given in stages (seed 004: 基礎 then ステップアップ).
    CourseStage {
        /// 基礎.
        Basic = ("basic", "基礎", "Basic"),
        /// ステップアップ: open to those who did 基礎.
        StepUp = ("step_up", "ステップアップ", "Step-up"),
    }
}

/// 講座・研修: one event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Record id.
    pub id: EventId,
    /// 名称, e.g. `地域コーディネーター研修(基礎)`.
    pub title: String,
    /// Its kind.
    pub kind: EventKind,
    /// 開催日.
    pub date: NaiveDate,
    /// 主催: the section, body or organisation that holds it.
    pub organiser: String,
    /// 対象.
    pub audience: Audience,
    /// The plan and action number it serves, when it serves one.
    pub action: Option<(String, u32)>,
    /// 参加者数.
    pub participants: u32,
    /// The series a staged course belongs to (e.g. `地域コーディネーター研修`), with its stage.
    pub course: Option<(String, CourseStage)>,
}

impl RecordType for Event {
    const KIND: RecordKind = RecordKind::Event;
    const NAME: &'static str = "events";
    const TITLE: (&'static str, &'static str) = ("講座・研修", "Event");
    const PLURAL: (&'static str, &'static str) = ("講座・研修", "events");
    const LABEL: &'static str = "event";
    /// After the plan's actions it serves.
    const IMPORT_RANK: u32 = 21;
    const FIELDS: &'static [(&'static str, bool)] = &[
        ("title", true),
        ("kind", true),
        ("date", true),
        ("organiser", true),
        ("audience", true),
        ("plan", false),
        ("action", false),
        ("participants", true),
        ("course", false),
        ("stage", false),
    ];
    const LIMITS: &'static [(&'static str, Limit)] = &[
        ("title", Limit::Line),
        ("organiser", Limit::Name),
        ("plan", Limit::Name),
        ("course", Limit::Name),
    ];
    const FIELD_LABELS: &'static [(&'static str, &'static str, &'static str)] = &[
        ("title", "名称", "Title"),
        ("kind", "種類", "Kind"),
        ("date", "開催日", "Date"),
        ("organiser", "主催", "Organiser"),
        ("audience", "対象", "Audience"),
        ("action", "事業(計画の番号)", "Plan action no."),
        ("participants", "参加者数", "Participants"),
        ("course", "講座の系列", "Course series"),
        ("stage", "段階", "Stage"),
    ];
    const LIST_COLUMNS: &'static [(&'static str, u16)] = &[
        ("date", 10),
        ("kind", 10),
        ("participants", 8),
        ("audience", 10),
        ("title", 0),
    ];
    const AREA: Area = Area::Plan;

    crate::numeric_id!();
    fn natural_key(&self) -> String {
        format!("{}|{}", self.title, self.date)
    }
    fn read(r: &mut dyn FieldReader, res: &dyn Resolver, id: u64) -> Option<Self> {
        let title = r.req("title");
        let kind = vocab(r, "kind", EventKind::parse, EventKind::choices);
        let date = r.date("date");
        let organiser = r.req("organiser");
        let audience = vocab(r, "audience", Audience::parse, Audience::choices);
        let action = plan_action(r, res);
        let participants = r.num("participants");
        let course = read_course(r);
        let (kind, audience) = (kind?, audience?);
        r.ok().then_some(Event {
            id,
            title,
            kind,
            date,
            organiser,
            audience,
            action,
            participants,
            course,
        })
    }
    fn write(&self, _res: &dyn Resolver) -> Fields {
        let (plan, action) = match &self.action {
            Some((p, n)) => (p.clone(), n.to_string()),
            None => (String::new(), String::new()),
        };
        let (course, stage) = match &self.course {
            Some((c, s)) => (c.clone(), s.ja().to_string()),
            None => (String::new(), String::new()),
        };
        vec![
            ("title", self.title.clone()),
            ("kind", self.kind.ja().to_string()),
            ("date", d(self.date)),
            ("organiser", self.organiser.clone()),
            ("audience", self.audience.ja().to_string()),
            ("plan", plan),
            ("action", action),
            ("participants", self.participants.to_string()),
            ("course", course),
            ("stage", stage),
        ]
    }
    fn in_year(&self, fy: FiscalYear, _res: &dyn Resolver) -> bool {
        FiscalYear::of(self.date) == fy
    }
    fn export_order(&self, other: &Self, _res: &dyn Resolver) -> Ordering {
        (self.date, &self.title).cmp(&(other.date, &other.title))
    }
}

/// What the events serving action `number` of `plan` held in fiscal year `fy`: `(events,
/// participants)` (issue 19.3: they count in the action's 実績 for the year).
pub fn held(events: &[Event], plan: &str, number: u32, fy: FiscalYear) -> (usize, u64) {
    events
        .iter()
        .filter(|e| {
            FiscalYear::of(e.date) == fy
                && e.action
                    .as_ref()
                    .is_some_and(|(p, n)| p == plan && *n == number)
        })
        .fold((0, 0), |(n, p), e| (n + 1, p + e.participants as u64))
}

/// [`held`] in words for an action's 実績: `講座・研修 3回・参加 85人`; empty when none.
pub fn held_text(
    events: &[Event],
    plan: &str,
    number: u32,
    fy: FiscalYear,
    lang: super::Lang,
) -> String {
    match held(events, plan, number, fy) {
        (0, _) => String::new(),
        (n, p) => match lang {
            super::Lang::Ja => format!("講座・研修 {n}回・参加 {p}人"),
            super::Lang::En => format!("{n} event(s), {p} participants"),
        },
    }
}

/// Reads the optional `course` (series) and `stage` pair of a staged course: both or neither.
pub(crate) fn read_course(r: &mut dyn FieldReader) -> Option<(String, CourseStage)> {
    let course = r.opt("course");
    let stage = r
        .opt("stage")
        .and_then(|_| vocab(r, "stage", CourseStage::parse, CourseStage::choices));
    match (course, stage) {
        (Some(c), Some(s)) => Some((c, s)),
        (None, None) => None,
        (c, _) => {
            r.error(
                if c.is_some() { "stage" } else { "course" },
                "",
                t(
                    "段階のある講座は、系列名と段階(基礎・ステップアップ)を両方入れてください",
                    "a staged course gives both its series and its stage (basic, step-up)",
                ),
            );
            None
        }
    }
}

/// Reads the optional `plan` and `action` (number) pair: both or neither, and an action the
/// plan has.
pub(crate) fn plan_action(r: &mut dyn FieldReader, res: &dyn Resolver) -> Option<(String, u32)> {
    let plan = r.opt("plan");
    let number = r.opt("action").map(|_| r.num("action"));
    match (plan, number) {
        (Some(p), Some(n)) => {
            if r.ok() && !res.plan_action(&p, n) {
                r.error(
                    "action",
                    &n.to_string(),
                    t(
                        format!("{p} に事業 {n} がありません。計画の事業の番号を入れてください"),
                        format!("{p} has no action {n}; give the number of one of its actions"),
                    ),
                );
            }
            Some((p, n))
        }
        (None, None) => None,
        (p, _) => {
            r.error(
                if p.is_some() { "action" } else { "plan" },
                "",
                t(
                    "計画と事業の番号は両方入れてください(例: 第3次一関市協働推進計画 と 12)",
                    "give both the plan and the action number (e.g. 第3次一関市協働推進計画 and 12)",
                ),
            );
            None
        }
    }
}
