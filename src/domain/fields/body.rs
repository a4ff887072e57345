//! Fields of 地域協働体 (bodies) and their household/population counts (body_counts): reading them from a CSV row or a form, writing them back.

use super::*;

/// `(field, required)` of `bodies`, in file and form order.
pub const BODIES: &[(&str, bool)] = &[
    ("name", true),
    ("kana", true),
    ("district", true),
    ("branch_office", true),
    ("established_on", true),
    ("dissolved_on", false),
    ("households", true),
    ("population", true),
    ("counts_as_of", false),
    ("citizen_center", false),
    ("designated_manager_since", false),
    ("plan_vision", false),
    ("plan_start_fy", false),
    ("plan_end_fy", false),
    ("plan_revised_on", false),
    ("area_km2", false),
];

/// `(field, required)` of `body_counts`, in file and form order.
pub const BODY_COUNTS: &[(&str, bool)] = &[
    ("body", true),
    ("as_of", true),
    ("households", true),
    ("population", true),
];

/// Reads a body. `id` is kept (0 for a new one).
pub fn read_body(r: &mut dyn FieldReader, id: BodyId) -> Option<Body> {
    let community_plan = r.opt("plan_vision").map(|vision| CommunityPlan {
        vision,
        period_start: r.fy("plan_start_fy"),
        period_end: r.fy("plan_end_fy"),
        last_revised: r.opt_date("plan_revised_on"),
    });
    let citizen_center = r.opt("citizen_center").map(|name| CitizenCenter {
        name,
        designated_manager_since: r.opt_date("designated_manager_since"),
    });
    let b = Body {
        id,
        name: r.req("name"),
        kana: r.req("kana"),
        district: r.req("district"),
        branch_office: r.req("branch_office"),
        established_on: r.date("established_on"),
        dissolved_on: r.opt_date("dissolved_on"),
        households: r.num("households"),
        population: r.num("population"),
        counts_as_of: r.opt_date("counts_as_of"),
        citizen_center,
        community_plan,
        area_km2: r.opt("area_km2").map(|_| r.figure("area_km2")),
    };
    if let Some(a) = b.area_km2.filter(|a| a.0 <= 0)
        && r.ok()
    {
        r.error(
            "area_km2",
            &a.to_string(),
            t(
                "面積は 0 より大きい km² で入力してください(例: 63.52)",
                "the area must be more than 0 km² (e.g. 63.52)",
            ),
        );
    }
    if let Some(dis) = b.dissolved_on
        && dis < b.established_on
        && r.ok()
    {
        r.error(
            "dissolved_on",
            &dis.to_string(),
            t(
                "解散日が設立日より前です",
                "dissolved before it was established",
            ),
        );
    }
    if let Some(since) = b
        .citizen_center
        .as_ref()
        .and_then(|c| c.designated_manager_since)
        && since < b.established_on
        && r.ok()
    {
        r.error(
            "designated_manager_since",
            &since.to_string(),
            designated_before_founding(b.established_on),
        );
    }
    r.ok().then_some(b)
}

/// 指定管理 cannot start before its manager exists (seed 003 第2章 4: the body manages its
/// 市民センター as 指定管理者): the message for a start before `established_on`, used by the
/// reader and by `kyodo check` for records stored before the rule.
pub fn designated_before_founding(established_on: chrono::NaiveDate) -> Text {
    t(
        format!(
            "指定管理の開始が地域協働体の設立日({established_on})より前です。設立日以降の日付にしてください"
        ),
        format!(
            "designated management starts before the body was established ({established_on}); use a date on or after it"
        ),
    )
}

/// Writes a body's fields.
pub fn write_body(b: &Body) -> Fields {
    let plan = b.community_plan.as_ref();
    vec![
        ("name", b.name.clone()),
        ("kana", b.kana.clone()),
        ("district", b.district.clone()),
        ("branch_office", b.branch_office.clone()),
        ("established_on", d(b.established_on)),
        ("dissolved_on", od(b.dissolved_on)),
        ("households", b.households.to_string()),
        ("population", b.population.to_string()),
        ("counts_as_of", od(b.counts_as_of)),
        (
            "citizen_center",
            b.citizen_center
                .as_ref()
                .map(|c| c.name.clone())
                .unwrap_or_default(),
        ),
        (
            "designated_manager_since",
            od(b.citizen_center
                .as_ref()
                .and_then(|c| c.designated_manager_since)),
        ),
        (
            "plan_vision",
            plan.map(|p| p.vision.clone()).unwrap_or_default(),
        ),
        (
            "plan_start_fy",
            plan.map(|p| p.period_start.0.to_string())
                .unwrap_or_default(),
        ),
        (
            "plan_end_fy",
            plan.map(|p| p.period_end.0.to_string()).unwrap_or_default(),
        ),
        ("plan_revised_on", od(plan.and_then(|p| p.last_revised))),
        (
            "area_km2",
            b.area_km2.map(|a| a.to_string()).unwrap_or_default(),
        ),
    ]
}

/// Reads a body's count of households and population on a date.
pub fn read_body_count(
    r: &mut dyn FieldReader,
    res: &dyn Resolver,
    id: BodyCountId,
) -> Option<BodyCount> {
    let c = BodyCount {
        id,
        body_id: body_ref(r, res, "body"),
        as_of: r.date("as_of"),
        households: r.num("households"),
        population: r.num("population"),
    };
    r.ok().then_some(c)
}

/// Writes a body count's fields.
pub fn write_body_count(c: &BodyCount, res: &dyn Resolver) -> Fields {
    vec![
        ("body", res.body_name(c.body_id)),
        ("as_of", d(c.as_of)),
        ("households", c.households.to_string()),
        ("population", c.population.to_string()),
    ]
}

impl RecordType for Body {
    const KIND: RecordKind = RecordKind::Body;
    const NAME: &'static str = "bodies";
    const IMPORT_RANK: u32 = 0;
    const PLURAL: (&'static str, &'static str) = ("地域協働体", "bodies");
    const TITLE: (&'static str, &'static str) = ("地域協働体", "Body");
    const LABEL: &'static str = "body";
    const FIELDS: &'static [(&'static str, bool)] = BODIES;
    const AREA: Area = Area::Bodies;
    const REF: Option<RefKind> = Some(RefKind::Body);
    const LAYOUT: u32 = 2;
    crate::numeric_id!();
    fn upgrade<O: crate::domain::Older>(older: &O) -> Option<Self> {
        older
            .read::<crate::domain::body_v1::BodyV1>()
            .map(Into::into)
    }
    fn natural_key(&self) -> String {
        self.name.clone()
    }
    fn read(r: &mut dyn FieldReader, _: &dyn Resolver, id: u64) -> Option<Self> {
        read_body(r, id)
    }
    fn write(&self, _: &dyn Resolver) -> Fields {
        write_body(self)
    }
    fn export_order(&self, other: &Self, _: &dyn Resolver) -> Ordering {
        self.kana.cmp(&other.kana)
    }
}

impl RecordType for BodyCount {
    const KIND: RecordKind = RecordKind::BodyCount;
    const NAME: &'static str = "body_counts";
    const IMPORT_RANK: u32 = 1;
    const PLURAL: (&'static str, &'static str) = ("世帯数・人口", "counts");
    const TITLE: (&'static str, &'static str) = ("世帯数・人口", "Body count");
    const LABEL: &'static str = "body count";
    const FIELDS: &'static [(&'static str, bool)] = BODY_COUNTS;
    const AREA: Area = Area::Bodies;
    const REFERS_TO: &'static [RefKind] = &[RefKind::Body];
    crate::numeric_id!();
    fn natural_key(&self) -> String {
        format!("{}|{}", self.body_id, self.as_of)
    }
    fn read(r: &mut dyn FieldReader, res: &dyn Resolver, id: u64) -> Option<Self> {
        read_body_count(r, res, id)
    }
    fn write(&self, res: &dyn Resolver) -> Fields {
        write_body_count(self, res)
    }
    fn refs(&self) -> Vec<(RefKind, u64)> {
        vec![(RefKind::Body, self.body_id)]
    }
    fn in_year(&self, fy: FiscalYear, _: &dyn Resolver) -> bool {
        fy.contains(self.as_of)
    }
    fn export_order(&self, other: &Self, res: &dyn Resolver) -> Ordering {
        (self.as_of, res.body_name(self.body_id)).cmp(&(other.as_of, res.body_name(other.body_id)))
    }
}
