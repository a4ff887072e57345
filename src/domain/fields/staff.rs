//! Fields of 職員 (staff) and 担当 (assignments): reading them from a CSV row or a form, writing them back.

use super::*;

/// `(field, required)` of `staff`, in file and form order.
pub const STAFF: &[(&str, bool)] = &[
    ("name", true),
    ("kana", true),
    ("organization", true),
    ("section", false),
    ("login", false),
    ("role", true),
    ("active", false),
];

/// `(field, required)` of `assignments`, in file and form order.
pub const ASSIGNMENTS: &[(&str, bool)] = &[
    ("staff", true),
    ("body", true),
    ("from", true),
    ("to", false),
    ("role", true),
];

/// Reads a staff member.
pub fn read_staff(r: &mut dyn FieldReader, id: StaffId) -> Option<Staff> {
    let s = Staff {
        id,
        name: r.req("name"),
        kana: r.req("kana"),
        organization: vocab(
            r,
            "organization",
            Organization::parse,
            Organization::choices,
        )
        .unwrap_or(Organization::City),
        section: r.raw("section"),
        login: r.opt("login"),
        role: vocab(r, "role", Role::parse, Role::choices).unwrap_or(Role::Viewer),
        active: r.opt_bool("active").unwrap_or(true),
    };
    r.ok().then_some(s)
}

/// Writes a staff member's fields.
pub fn write_staff(s: &Staff) -> Fields {
    vec![
        ("name", s.name.clone()),
        ("kana", s.kana.clone()),
        ("organization", s.organization.ja().into()),
        ("section", s.section.clone()),
        ("login", s.login.clone().unwrap_or_default()),
        ("role", s.role.ja().into()),
        ("active", if s.active { "はい" } else { "いいえ" }.into()),
    ]
}

/// Reads an assignment; the period must not end before it starts.
pub fn read_assignment(
    r: &mut dyn FieldReader,
    res: &dyn Resolver,
    id: AssignmentId,
) -> Option<Assignment> {
    let staff_name = r.req("staff");
    let staff_id = if staff_name.is_empty() {
        0
    } else {
        staff_ref(r, res, "staff", &staff_name)
    };
    let a = Assignment {
        id,
        staff_id,
        body_id: body_ref(r, res, "body"),
        from: r.date("from"),
        to: r.opt_date("to"),
        role: vocab(r, "role", TeamRole::parse, TeamRole::choices).unwrap_or(TeamRole::Member),
    };
    if let Err(e) = rules::assignment(&a)
        && r.ok()
    {
        r.error("to", &od(a.to), e);
    }
    r.ok().then_some(a)
}

/// Writes an assignment's fields.
pub fn write_assignment(a: &Assignment, res: &dyn Resolver) -> Fields {
    vec![
        ("staff", res.staff_name(a.staff_id)),
        ("body", res.body_name(a.body_id)),
        ("from", d(a.from)),
        ("to", od(a.to)),
        ("role", a.role.ja().into()),
    ]
}

impl RecordType for Staff {
    const KIND: RecordKind = RecordKind::Staff;
    const NAME: &'static str = "staff";
    const IMPORT_RANK: u32 = 2;
    const PLURAL: (&'static str, &'static str) = ("職員", "staff");
    const TITLE: (&'static str, &'static str) = ("職員", "Staff member");
    const LABEL: &'static str = "staff";
    const FIELDS: &'static [(&'static str, bool)] = STAFF;
    const AREA: Area = Area::Staff;
    const REF: Option<RefKind> = Some(RefKind::Staff);
    crate::numeric_id!();
    fn natural_key(&self) -> String {
        self.login.clone().unwrap_or_else(|| self.name.clone())
    }
    fn read(r: &mut dyn FieldReader, _: &dyn Resolver, id: u64) -> Option<Self> {
        read_staff(r, id)
    }
    fn write(&self, _: &dyn Resolver) -> Fields {
        write_staff(self)
    }
    fn export_order(&self, other: &Self, _: &dyn Resolver) -> Ordering {
        self.kana.cmp(&other.kana)
    }
}

impl RecordType for Assignment {
    const KIND: RecordKind = RecordKind::Assignment;
    const NAME: &'static str = "assignments";
    const IMPORT_RANK: u32 = 3;
    const PLURAL: (&'static str, &'static str) = ("担当", "assignments");
    const TITLE: (&'static str, &'static str) = ("担当", "Assignment");
    const LABEL: &'static str = "assignment";
    const FIELDS: &'static [(&'static str, bool)] = ASSIGNMENTS;
    const AREA: Area = Area::Assignments;
    const REFERS_TO: &'static [RefKind] = &[RefKind::Body, RefKind::Staff];
    crate::numeric_id!();
    fn natural_key(&self) -> String {
        format!("{}|{}|{}", self.staff_id, self.body_id, self.from)
    }
    fn read(r: &mut dyn FieldReader, res: &dyn Resolver, id: u64) -> Option<Self> {
        read_assignment(r, res, id)
    }
    fn write(&self, res: &dyn Resolver) -> Fields {
        write_assignment(self, res)
    }
    fn refs(&self) -> Vec<(RefKind, u64)> {
        vec![
            (RefKind::Staff, self.staff_id),
            (RefKind::Body, self.body_id),
        ]
    }
    fn in_year(&self, fy: FiscalYear, _: &dyn Resolver) -> bool {
        self.overlaps(fy)
    }
}
