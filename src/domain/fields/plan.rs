//! Fields of 計画の事業 (plan_actions): reading them from a CSV row or a form, writing them back.

use super::*;

/// `(field, required)` of `plan_actions`, in file and form order.
pub const PLAN_ACTIONS: &[(&str, bool)] = &[
    ("plan", true),
    ("plan_start_fy", true),
    ("plan_end_fy", true),
    ("number", true),
    ("policy", true),
    ("measure", false),
    ("title", true),
    ("kind", true),
    ("lead", false),
    ("partners", false),
    ("description", false),
    ("statuses", false),
];

/// Reads a plan action; statuses as `2024:実施;2025:検討` within the plan's period.
pub fn read_plan_action(r: &mut dyn FieldReader, id: PlanActionId) -> Option<PlanAction> {
    let statuses = match crate::domain::plan::parse_statuses(&r.raw("statuses")) {
        Ok(s) => s,
        Err(e) => {
            let v = r.raw("statuses");
            r.error("statuses", &v, e);
            Vec::new()
        }
    };
    let a = PlanAction {
        id,
        plan: r.req("plan"),
        plan_start: r.fy("plan_start_fy"),
        plan_end: r.fy("plan_end_fy"),
        number: r.num("number"),
        policy: r.req("policy"),
        measure: r.raw("measure"),
        title: r.req("title"),
        kind: vocab(r, "kind", ActionStatus::parse, ActionStatus::choices)
            .unwrap_or(ActionStatus::Continuing),
        lead: r.raw("lead"),
        partners: r.raw("partners"),
        description: r.raw("description"),
        statuses,
    };
    if let Some((fy, _)) = a
        .statuses
        .iter()
        .find(|(f, _)| *f < a.plan_start || *f > a.plan_end)
        && r.ok()
    {
        r.error(
            "statuses",
            &fy.0.to_string(),
            t(
                format!(
                    "{} は計画期間({}〜{})の外です",
                    fy.ja_label(),
                    a.plan_start.ja_label(),
                    a.plan_end.ja_label()
                ),
                format!(
                    "{fy} is outside the plan's period ({}–{})",
                    a.plan_start, a.plan_end
                ),
            ),
        );
    }
    r.ok().then_some(a)
}

/// Writes a plan action's fields.
pub fn write_plan_action(a: &PlanAction) -> Fields {
    vec![
        ("plan", a.plan.clone()),
        ("plan_start_fy", a.plan_start.0.to_string()),
        ("plan_end_fy", a.plan_end.0.to_string()),
        ("number", a.number.to_string()),
        ("policy", a.policy.clone()),
        ("measure", a.measure.clone()),
        ("title", a.title.clone()),
        ("kind", a.kind.ja().into()),
        ("lead", a.lead.clone()),
        ("partners", a.partners.clone()),
        ("description", a.description.clone()),
        ("statuses", crate::domain::plan::write_statuses(&a.statuses)),
    ]
}

impl RecordType for PlanAction {
    const KIND: RecordKind = RecordKind::PlanAction;
    const NAME: &'static str = "plan_actions";
    const IMPORT_RANK: u32 = 13;
    const PLURAL: (&'static str, &'static str) = ("計画の事業", "plan actions");
    const TITLE: (&'static str, &'static str) = ("計画の事業", "Plan action");
    const LABEL: &'static str = "plan action";
    const FIELDS: &'static [(&'static str, bool)] = PLAN_ACTIONS;
    const AREA: Area = Area::Plan;
    /// The seed's own term for an action's title (seed 003 第3章: 事業名), as the list says.
    const FIELD_LABELS: &'static [(&'static str, &'static str, &'static str)] =
        &[("title", "事業名", "Action")];
    crate::numeric_id!();
    fn natural_key(&self) -> String {
        format!("{}|{}", self.plan, self.number)
    }
    fn read(r: &mut dyn FieldReader, _: &dyn Resolver, id: u64) -> Option<Self> {
        read_plan_action(r, id)
    }
    fn write(&self, _: &dyn Resolver) -> Fields {
        write_plan_action(self)
    }
    fn in_year(&self, fy: FiscalYear, _: &dyn Resolver) -> bool {
        self.plan_start <= fy && fy <= self.plan_end
    }
    fn export_order(&self, other: &Self, _: &dyn Resolver) -> Ordering {
        (&self.plan, self.number).cmp(&(&other.plan, other.number))
    }
}
