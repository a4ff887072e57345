//! Fields of 協働体の活動 (body_activities): reading them from a CSV row or a form, writing them back.

use super::*;

/// `(field, required)` of `body_activities`, in file and form order.
pub const BODY_ACTIVITIES: &[(&str, bool)] = &[
    ("body", true),
    ("date", true),
    ("title", true),
    ("role", true),
    ("participants", false),
];

/// Reads an activity.
pub fn read_activity(
    r: &mut dyn FieldReader,
    res: &dyn Resolver,
    id: BodyActivityId,
) -> Option<BodyActivity> {
    let a = BodyActivity {
        id,
        body_id: body_ref(r, res, "body"),
        date: r.date("date"),
        title: r.req("title"),
        role: vocab(r, "role", BodyRole::parse, BodyRole::choices)
            .unwrap_or(BodyRole::BasicSupport),
        participants: r.num_or("participants", 0),
    };
    r.ok().then_some(a)
}

/// Writes an activity's fields.
pub fn write_activity(a: &BodyActivity, res: &dyn Resolver) -> Fields {
    vec![
        ("body", res.body_name(a.body_id)),
        ("date", d(a.date)),
        ("title", a.title.clone()),
        ("role", a.role.ja().into()),
        ("participants", a.participants.to_string()),
    ]
}

impl RecordType for BodyActivity {
    const KIND: RecordKind = RecordKind::BodyActivity;
    const NAME: &'static str = "body_activities";
    const IMPORT_RANK: u32 = 10;
    const PLURAL: (&'static str, &'static str) = ("活動", "activities");
    const TITLE: (&'static str, &'static str) = ("活動", "Activity");
    const LABEL: &'static str = "activity";
    const FIELDS: &'static [(&'static str, bool)] = BODY_ACTIVITIES;
    const AREA: Area = Area::Activities;
    const REFERS_TO: &'static [RefKind] = &[RefKind::Body];
    const BY_DATE: Option<&'static str> = Some("body_activities_by_date");
    crate::numeric_id!();
    fn natural_key(&self) -> String {
        format!("{}|{}|{}", self.body_id, self.date, self.title)
    }
    fn read(r: &mut dyn FieldReader, res: &dyn Resolver, id: u64) -> Option<Self> {
        read_activity(r, res, id)
    }
    fn write(&self, res: &dyn Resolver) -> Fields {
        write_activity(self, res)
    }
    fn refs(&self) -> Vec<(RefKind, u64)> {
        vec![(RefKind::Body, self.body_id)]
    }
    fn date(&self) -> Option<NaiveDate> {
        Some(self.date)
    }
    fn counts(&self) -> Vec<(Metric, NaiveDate, i64)> {
        vec![(Metric::BodyActivities, self.date, 1)]
    }
}
