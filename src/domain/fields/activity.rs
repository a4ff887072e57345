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
