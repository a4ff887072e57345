//! 研修履歴 (`Training`): one staff member's attendance at a course or an external training, with
//! the report-back session (参加報告会) owed after it (issue 19.4; seed 000: 外部研修 followed by a
//! 参加報告会; seed 003 事業5 職員研修; seed 004 地域コーディネーター研修 基礎 → ステップアップ). A
//! ステップアップ stage of a series needs the same person's 基礎 of that series recorded first
//! (the message names it); `kyodo check` also reports a ステップアップ dated before its 基礎. An
//! owed report-back is due by its date for that person. Declared in this one file and registered
//! by one line of [`crate::record_types!`].

use super::access::Area;
use super::event::CourseStage;
use super::fields::reader::{FieldReader, Fields, Resolver, d, od, staff_ref, t};
use super::limits::Limit;
use super::record_type::{RecordKind, RecordType, RefKind};
use super::{FiscalYear, StaffId, Text};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Record id of a [`Training`].
pub type TrainingId = u64;

/// 研修履歴: who attended what, when, and the report-back after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Training {
    /// Record id.
    pub id: TrainingId,
    /// The staff member.
    pub staff_id: StaffId,
    /// 研修名, e.g. `地域コーディネーター研修(基礎)` or an external one.
    pub title: String,
    /// 受講日.
    pub attended_on: NaiveDate,
    /// 外部研修: held by another organisation (the attendee reports back).
    pub external: bool,
    /// The series and stage, for a staged course (`地域コーディネーター研修`, 基礎).
    pub course: Option<(String, CourseStage)>,
    /// 報告会の期限: by when the attendee reports back, when one is owed.
    pub report_due: Option<NaiveDate>,
    /// 報告会の開催日: when the report-back was held.
    pub reported_on: Option<NaiveDate>,
}

impl Training {
    /// Whether a report-back is owed and not yet held.
    pub fn report_owed(&self) -> bool {
        self.report_due.is_some() && self.reported_on.is_none()
    }
}

/// `{staff name}|{series}|{stage code}`: how a ステップアップ finds the same person's 基礎.
fn stage_label(staff: &str, course: &str, stage: CourseStage) -> String {
    format!("{staff}|{course}|{}", stage.code())
}

/// The refusal of a ステップアップ without the person's 基礎 of the series.
pub fn without_basic(staff: &str, course: &str) -> Text {
    t(
        format!("{staff} さんは{course}の基礎をまだ受講していません: 先に基礎を記録してください"),
        format!("{staff} has not taken the basic stage of {course}: record it first"),
    )
}

/// The stored ステップアップ stages without an earlier 基礎 of the same person and series:
/// `(id, message)`, for `kyodo check`. `name` gives a staff member's name.
pub fn problems(all: &[Training], name: &dyn Fn(StaffId) -> String) -> Vec<(TrainingId, Text)> {
    all.iter()
        .filter_map(|x| {
            let (course, CourseStage::StepUp) = x.course.as_ref()? else {
                return None;
            };
            let basic = all.iter().any(|y| {
                y.staff_id == x.staff_id
                    && y.attended_on <= x.attended_on
                    && y.course.as_ref() == Some(&(course.clone(), CourseStage::Basic))
            });
            (!basic).then(|| (x.id, without_basic(&name(x.staff_id), course)))
        })
        .collect()
}

impl RecordType for Training {
    const KIND: RecordKind = RecordKind::Training;
    const NAME: &'static str = "trainings";
    const TITLE: (&'static str, &'static str) = ("研修履歴", "Training");
    const PLURAL: (&'static str, &'static str) = ("研修履歴", "trainings");
    const LABEL: &'static str = "training";
    /// After staff; its stages in file order.
    const IMPORT_RANK: u32 = 22;
    const FIELDS: &'static [(&'static str, bool)] = &[
        ("staff", true),
        ("title", true),
        ("attended_on", true),
        ("external", false),
        ("course", false),
        ("stage", false),
        ("report_due", false),
        ("reported_on", false),
    ];
    const LIMITS: &'static [(&'static str, Limit)] = &[
        ("staff", Limit::Name),
        ("title", Limit::Line),
        ("course", Limit::Name),
    ];
    const FIELD_LABELS: &'static [(&'static str, &'static str, &'static str)] = &[
        ("staff", "職員", "Staff"),
        ("title", "研修名", "Training"),
        ("attended_on", "受講日", "Attended on"),
        ("external", "外部研修", "External"),
        ("course", "講座の系列", "Course series"),
        ("stage", "段階", "Stage"),
        ("report_due", "報告会の期限", "Report back by"),
        ("reported_on", "報告会の開催日", "Reported back on"),
    ];
    const LIST_COLUMNS: &'static [(&'static str, u16)] = &[
        ("attended_on", 10),
        ("staff", 12),
        ("report_due", 12),
        ("reported_on", 14),
        ("title", 0),
    ];
    const AREA: Area = Area::Plan;
    const REFERS_TO: &'static [RefKind] = &[RefKind::Staff];
    /// Earlier stages of the same person and series.
    const NAMES_BY_LABEL: &'static [RecordKind] = &[RecordKind::Training];

    crate::numeric_id!();
    fn natural_key(&self) -> String {
        format!("{}|{}|{}", self.staff_id, self.title, self.attended_on)
    }
    /// `{staff}|{series}|{stage}` for a staged course, else its natural key.
    fn label(&self, res: &dyn Resolver) -> String {
        match &self.course {
            Some((c, s)) => stage_label(&res.staff_name(self.staff_id), c, *s),
            None => self.natural_key(),
        }
    }
    fn read(r: &mut dyn FieldReader, res: &dyn Resolver, id: u64) -> Option<Self> {
        let staff = r.req("staff");
        let staff_id = if staff.is_empty() {
            0
        } else {
            staff_ref(r, res, "staff", &staff)
        };
        let title = r.req("title");
        let attended_on = r.date("attended_on");
        let external = r.opt_bool("external").unwrap_or(false);
        let course = super::event::read_course(r);
        let report_due = r.opt_date("report_due");
        let reported_on = r.opt_date("reported_on");
        if let Some((c, CourseStage::StepUp)) = &course
            && r.ok()
        {
            let name = res.staff_name(staff_id);
            let name = if name.is_empty() { staff.clone() } else { name };
            if res
                .labelled(
                    RecordKind::Training,
                    &stage_label(&name, c, CourseStage::Basic),
                )
                .is_err()
            {
                let v = r.raw("stage");
                r.error("stage", &v, without_basic(&name, c));
            }
        }
        if let Some(due) = report_due
            && due < attended_on
            && r.ok()
        {
            r.error(
                "report_due",
                &due.to_string(),
                t(
                    "報告会の期限が受講日より前です",
                    "the report-back is due before the training",
                ),
            );
        }
        r.ok().then_some(Training {
            id,
            staff_id,
            title,
            attended_on,
            external,
            course,
            report_due,
            reported_on,
        })
    }
    fn write(&self, res: &dyn Resolver) -> Fields {
        let (course, stage) = match &self.course {
            Some((c, s)) => (c.clone(), s.ja().to_string()),
            None => (String::new(), String::new()),
        };
        vec![
            ("staff", res.staff_name(self.staff_id)),
            ("title", self.title.clone()),
            ("attended_on", d(self.attended_on)),
            (
                "external",
                if self.external { "はい" } else { "いいえ" }.into(),
            ),
            ("course", course),
            ("stage", stage),
            ("report_due", od(self.report_due)),
            ("reported_on", od(self.reported_on)),
        ]
    }
    fn refs(&self) -> Vec<(RefKind, u64)> {
        vec![(RefKind::Staff, self.staff_id)]
    }
    fn in_year(&self, fy: FiscalYear, _res: &dyn Resolver) -> bool {
        FiscalYear::of(self.attended_on) == fy
    }
    fn export_order(&self, other: &Self, res: &dyn Resolver) -> Ordering {
        (self.attended_on, res.staff_name(self.staff_id), &self.title).cmp(&(
            other.attended_on,
            res.staff_name(other.staff_id),
            &other.title,
        ))
    }
}
