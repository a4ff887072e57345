//! Records as named text fields, both ways: `read_*` turns fields (a CSV row, a TUI form) into a
//! record, reporting every bad field with a message that says how to fix it; `write_*` turns a
//! record into the same fields (to fill an edit form, or to export). One place per record type,
//! so import, forms and export accept and produce exactly the same thing. Field names are the
//! CSV column names documented in data/demo/README.md.

use super::*;
use chrono::NaiveDate;

/// Both wordings of a message.
fn t(ja: impl Into<String>, en: impl Into<String>) -> Text {
    Text::new(ja, en)
}

/// A source of named text fields that collects errors.
pub trait FieldReader {
    /// The field's text, trimmed; empty if absent.
    fn raw(&self, key: &str) -> String;
    /// Records that `key` holding `value` is wrong, and why.
    fn error(&mut self, key: &str, value: &str, message: Text);
    /// Whether no error has been recorded.
    fn ok(&self) -> bool;

    /// Whether a plain number is an Excel date serial (files from Excel; not typed input).
    fn excel_serials(&self) -> bool {
        false
    }

    /// The field, or `None` if empty.
    fn opt(&self, key: &str) -> Option<String> {
        Some(self.raw(key)).filter(|s| !s.is_empty())
    }

    /// A required field.
    fn req(&mut self, key: &str) -> String {
        let v = self.raw(key);
        if v.is_empty() {
            self.error(
                key,
                "",
                t(
                    "必須項目です。入力してください",
                    "required; this must not be empty",
                ),
            );
        }
        v
    }

    /// A required date in any accepted form (and, from Excel files, a date serial).
    fn date(&mut self, key: &str) -> NaiveDate {
        let v = self.raw(key);
        if self.excel_serials()
            && let Some(d) = excel_serial(&v)
        {
            return d;
        }
        match parse_date(&v) {
            Ok(d) => d,
            Err(e) => {
                self.error(key, &v, e.text());
                NaiveDate::MIN
            }
        }
    }

    /// An optional date.
    fn opt_date(&mut self, key: &str) -> Option<NaiveDate> {
        self.opt(key).map(|_| self.date(key))
    }

    /// A fiscal year (2024, FY2024, R6, 令和6年度).
    fn fy(&mut self, key: &str) -> FiscalYear {
        let v = self.raw(key);
        match parse_fiscal_year(&v) {
            Ok(f) => f,
            Err(e) => {
                self.error(key, &v, e);
                FiscalYear(0)
            }
        }
    }

    /// A whole number ≥ 0 (commas and full-width digits accepted).
    fn num(&mut self, key: &str) -> u32 {
        let v = self.raw(key);
        let s: String = date_parse::normalize_width(&v)
            .chars()
            .filter(|c| *c != ',')
            .collect();
        match s.parse::<u32>() {
            Ok(n) => n,
            Err(_) => {
                self.error(
                    key,
                    &v,
                    t(
                        "0以上の整数を入力してください(例: 1,234)",
                        "expected a whole number ≥ 0 (e.g. 1,234)",
                    ),
                );
                0
            }
        }
    }

    /// A whole number, `default` when empty.
    fn num_or(&mut self, key: &str, default: u32) -> u32 {
        self.opt(key).map(|_| self.num(key)).unwrap_or(default)
    }

    /// Yen (commas, 円, ¥, full-width digits accepted).
    fn yen(&mut self, key: &str) -> i64 {
        let v = self.raw(key);
        match money::parse_yen(&v) {
            Ok(n) => n,
            Err(e) => {
                self.error(key, &v, e.text());
                0
            }
        }
    }

    /// Optional yen.
    fn opt_yen(&mut self, key: &str) -> Option<i64> {
        self.opt(key).map(|_| self.yen(key))
    }

    /// A decimal figure with up to two places.
    fn figure(&mut self, key: &str) -> Figure {
        let v = self.raw(key);
        match Figure::parse(&v) {
            Ok(f) => f,
            Err(e) => {
                self.error(key, &v, e.text());
                Figure(0)
            }
        }
    }

    /// A yes/no field: 1/0, true/false, はい/いいえ, 済/未, 有効/無効.
    fn opt_bool(&mut self, key: &str) -> Option<bool> {
        let v = self.opt(key)?;
        match parse_bool(&v) {
            Some(b) => Some(b),
            None => {
                self.error(
                    key,
                    &v,
                    t(
                        "1/0 または はい/いいえ で入力してください",
                        "expected 1/0, true/false or はい/いいえ",
                    ),
                );
                None
            }
        }
    }

    /// A `;`-separated list (also `、` and `；`).
    fn list(&self, key: &str) -> Vec<String> {
        self.raw(key)
            .split([';', '、', '；'])
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    }
}

/// A term of a closed vocabulary (code, Japanese or English); `None` (and an error) if unknown.
pub fn vocab<V>(
    r: &mut dyn FieldReader,
    key: &str,
    parse: fn(&str) -> Option<V>,
    choices: fn() -> String,
) -> Option<V> {
    let v = r.raw(key);
    let out = parse(&v);
    if out.is_none() {
        r.error(
            key,
            &v,
            t(
                format!(
                    "選べる値ではありません。次のどれかにしてください: {}",
                    choices()
                ),
                format!("unknown value; use one of {}", choices()),
            ),
        );
    }
    out
}

/// An Excel date serial (days since 1899-12-30, e.g. `45383` = 2024-04-01; `45383.0` too), for
/// dates between 1950 and 2150; `None` for anything else.
pub fn excel_serial(s: &str) -> Option<NaiveDate> {
    let t = date_parse::normalize_width(s);
    let t = t.strip_suffix(".0").unwrap_or(&t);
    if t.is_empty() || t.len() > 6 || !t.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n: i64 = t.parse().ok()?;
    if !(18_264..=91_311).contains(&n) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_signed(chrono::Duration::days(n))
}

/// Reads yes/no words.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s.trim() {
        "1" | "true" | "yes" | "済" | "はい" | "○" | "有効" => Some(true),
        "0" | "false" | "no" | "未" | "いいえ" | "×" | "無効" | "" => Some(false),
        _ => None,
    }
}

/// Finds records by the names people type, and names records for writing.
pub trait Resolver {
    /// A body by name or kana.
    fn body(&self, name: &str) -> Result<BodyId, Text>;
    /// A staff member by name, kana or login.
    fn staff(&self, name: &str) -> Result<StaffId, Text>;
    /// A program by name and fiscal year.
    fn program(&self, name: &str, fy: FiscalYear) -> Result<SubsidyProgramId, Text>;
    /// The grant of `body` under `program`.
    fn grant(&self, program: SubsidyProgramId, body: BodyId) -> Result<GrantId, Text>;
    /// Whether an indicator with this id exists.
    fn indicator(&self, id: &str) -> bool;
    /// A body's name.
    fn body_name(&self, id: BodyId) -> String;
    /// A staff member's name.
    fn staff_name(&self, id: StaffId) -> String;
    /// A program's name and fiscal year.
    fn program_of(&self, id: SubsidyProgramId) -> (String, FiscalYear);
    /// A grant's program and body.
    fn grant_of(&self, id: GrantId) -> (SubsidyProgramId, BodyId);
}

fn body_ref(r: &mut dyn FieldReader, res: &dyn Resolver, key: &str) -> BodyId {
    let v = r.req(key);
    if v.is_empty() {
        return 0;
    }
    res.body(&v).unwrap_or_else(|e| {
        r.error(key, &v, e);
        0
    })
}

fn staff_ref(r: &mut dyn FieldReader, res: &dyn Resolver, key: &str, name: &str) -> StaffId {
    res.staff(name).unwrap_or_else(|e| {
        r.error(key, name, e);
        0
    })
}

fn program_ref(r: &mut dyn FieldReader, res: &dyn Resolver) -> SubsidyProgramId {
    let name = r.req("program");
    let fy = r.fy("fiscal_year");
    if name.is_empty() {
        return 0;
    }
    res.program(&name, fy).unwrap_or_else(|e| {
        r.error("program", &name, e);
        0
    })
}

/// Checks every field of `kind` present in `r` against its size limit
/// ([`super::limits::limit_of`]), recording an error (with a short excerpt of the value) for each
/// one over it. Import and forms call it before reading a record, so nothing over a limit is
/// ever written.
pub fn check_limits(kind: &str, r: &mut dyn FieldReader) {
    for (col, _) in columns::of(kind) {
        let v = r.raw(col);
        if let Err(t) = super::limits::check_field(col, &v) {
            let excerpt: String = v.chars().take(20).collect();
            r.error(col, &format!("{excerpt}…"), t);
        }
    }
}

/// The record types, their CSV/form field names, and which are required.
pub mod columns {
    /// `(field, required)` of each record type, in file and form order.
    pub fn of(kind: &str) -> &'static [(&'static str, bool)] {
        match kind {
            "bodies" => &[
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
            ],
            "staff" => &[
                ("name", true),
                ("kana", true),
                ("organization", true),
                ("section", false),
                ("login", false),
                ("role", true),
                ("active", false),
            ],
            "assignments" => &[
                ("staff", true),
                ("body", true),
                ("from", true),
                ("to", false),
                ("role", true),
            ],
            "body_counts" => &[
                ("body", true),
                ("as_of", true),
                ("households", true),
                ("population", true),
            ],
            "subsidy_programs" => &[
                ("name", true),
                ("fiscal_year", true),
                ("budget", true),
                ("rule", true),
                ("per_body", false),
                ("per_household", false),
                ("per_capita", false),
                ("round_unit", false),
                ("counts_date", false),
                ("floor", false),
                ("cap", false),
                ("rates", false),
                ("fixed_amount", false),
                ("over_budget_reason", false),
            ],
            "grants" => &[
                ("program", true),
                ("fiscal_year", true),
                ("body", true),
                ("applied_amount", true),
                ("applied_on", true),
                ("eligible_cost", false),
                ("project_year", false),
                ("decided_amount", false),
                ("decided_on", false),
                ("reported_on", false),
                ("confirmed_amount", false),
                ("confirmed_on", false),
                ("closed_on", false),
                ("state", true),
            ],
            "disbursements" => &[
                ("program", true),
                ("fiscal_year", true),
                ("body", true),
                ("date", true),
                ("kind", true),
                ("amount", true),
            ],
            "team_meetings" => &[
                ("body", true),
                ("date", true),
                ("place", false),
                ("attendees", false),
                ("guests", false),
                ("agenda", true),
                ("notes", false),
                ("decisions", false),
                ("follow_ups", false),
            ],
            "consultations" => &[
                ("date", true),
                ("counselor", true),
                ("client_type", true),
                ("client_name", false),
                ("channel", true),
                ("categories", true),
                ("people", false),
                ("minutes", false),
                ("summary", false),
            ],
            "consultation_tallies" => &[
                ("date", true),
                ("category", true),
                ("channel", true),
                ("count", true),
            ],
            "body_activities" => &[
                ("body", true),
                ("date", true),
                ("title", true),
                ("role", true),
                ("participants", false),
            ],
            "indicators" => &[
                ("id", true),
                ("order", true),
                ("name_ja", true),
                ("name_en", false),
                ("unit_ja", true),
                ("unit_en", false),
                ("baseline_fy", true),
                ("baseline", false),
                ("target_fy", true),
                ("target", true),
                ("source", true),
                ("retired", false),
            ],
            "indicator_values" => &[("indicator", true), ("fiscal_year", true), ("value", true)],
            "plan_actions" => &[
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
            ],
            "grant_steps" => &[
                ("step", true),
                ("date", true),
                ("amount", false),
                ("note", false),
            ],
            _ => &[],
        }
    }
}

type Fields = Vec<(&'static str, String)>;

fn d(x: NaiveDate) -> String {
    x.to_string()
}

fn od(x: Option<NaiveDate>) -> String {
    x.map(d).unwrap_or_default()
}

fn oy(x: Option<i64>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

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
    };
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
    r.ok().then_some(b)
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
    ]
}

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

/// Reads a subsidy program.
pub fn read_program(r: &mut dyn FieldReader, id: SubsidyProgramId) -> Option<SubsidyProgram> {
    let rule = match r.req("rule").as_str() {
        "formula" | "算式" => AllocationRule::Formula {
            per_body: r.opt_yen("per_body").unwrap_or(0),
            per_household: r.opt_yen("per_household").unwrap_or(0),
            per_capita: r.opt_yen("per_capita").unwrap_or(0),
            round_unit: r.opt_yen("round_unit").unwrap_or(1),
            counts_date: r.opt_date("counts_date"),
            cap: r.opt_yen("cap"),
            floor: r.opt_yen("floor"),
        },
        "rate" | "補助率" => {
            let mut rates = Vec::new();
            for f in r.list("rates") {
                match Fraction::parse(&f) {
                    Ok(x) => rates.push(x),
                    Err(e) => r.error("rates", &f, e),
                }
            }
            if rates.is_empty() && r.ok() {
                r.error(
                    "rates",
                    "",
                    t(
                        "補助率を 2/3;1/2;1/3 のように年目順に入力してください",
                        "give the rates by project year, e.g. 2/3;1/2;1/3",
                    ),
                );
            }
            AllocationRule::Rate {
                rates,
                cap: r.opt_yen("cap"),
                round_unit: r.opt_yen("round_unit").unwrap_or(1),
            }
        }
        "fixed" | "定額" => AllocationRule::Fixed {
            amount: r.yen("fixed_amount"),
        },
        "" => AllocationRule::Fixed { amount: 0 },
        other => {
            let o = other.to_string();
            r.error(
                "rule",
                &o,
                t(
                    "配分方法は formula(算式)、rate(補助率)、fixed(定額) のどれかにしてください",
                    "rule must be formula (算式), rate (補助率) or fixed (定額)",
                ),
            );
            AllocationRule::Fixed { amount: 0 }
        }
    };
    if let AllocationRule::Formula {
        cap: Some(c),
        floor: Some(f),
        ..
    } = rule
        && f > c
        && r.ok()
    {
        r.error(
            "floor",
            &f.to_string(),
            t("下限が上限を超えています", "the floor is above the cap"),
        );
    }
    let p = SubsidyProgram {
        id,
        name: r.req("name"),
        fiscal_year: r.fy("fiscal_year"),
        budget: r.yen("budget"),
        rule,
        over_budget_reason: r.opt("over_budget_reason"),
    };
    r.ok().then_some(p)
}

/// Writes a program's fields.
pub fn write_program(p: &SubsidyProgram) -> Fields {
    let mut f: Fields = vec![
        ("name", p.name.clone()),
        ("fiscal_year", p.fiscal_year.0.to_string()),
        ("budget", p.budget.to_string()),
    ];
    let (
        rule,
        per_body,
        per_household,
        per_capita,
        round_unit,
        counts_date,
        floor,
        cap,
        rates,
        fixed,
    ) = match &p.rule {
        AllocationRule::Formula {
            per_body,
            per_household,
            per_capita,
            round_unit,
            counts_date,
            cap,
            floor,
        } => (
            "formula",
            per_body.to_string(),
            per_household.to_string(),
            per_capita.to_string(),
            round_unit.to_string(),
            od(*counts_date),
            oy(*floor),
            oy(*cap),
            String::new(),
            String::new(),
        ),
        AllocationRule::Rate {
            rates,
            cap,
            round_unit,
        } => (
            "rate",
            String::new(),
            String::new(),
            String::new(),
            round_unit.to_string(),
            String::new(),
            String::new(),
            oy(*cap),
            rates
                .iter()
                .map(|r| r.to_string())
                .collect::<Vec<_>>()
                .join(";"),
            String::new(),
        ),
        AllocationRule::Fixed { amount } => (
            "fixed",
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            amount.to_string(),
        ),
    };
    f.extend([
        ("rule", rule.to_string()),
        ("per_body", per_body),
        ("per_household", per_household),
        ("per_capita", per_capita),
        ("round_unit", round_unit),
        ("counts_date", counts_date),
        ("floor", floor),
        ("cap", cap),
        ("rates", rates),
        ("fixed_amount", fixed),
        (
            "over_budget_reason",
            p.over_budget_reason.clone().unwrap_or_default(),
        ),
    ]);
    f
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

/// Reads a grant; confirmed ≤ decided (DOMAIN.md, "Grant invariants").
pub fn read_grant(r: &mut dyn FieldReader, res: &dyn Resolver, id: GrantId) -> Option<Grant> {
    let g = Grant {
        id,
        program_id: program_ref(r, res),
        body_id: body_ref(r, res, "body"),
        applied_amount: r.yen("applied_amount"),
        applied_on: r.date("applied_on"),
        eligible_cost: r.opt_yen("eligible_cost"),
        project_year: r.opt("project_year").map(|_| r.num("project_year")),
        decided_amount: r.opt_yen("decided_amount"),
        decided_on: r.opt_date("decided_on"),
        reported_on: r.opt_date("reported_on"),
        confirmed_amount: r.opt_yen("confirmed_amount"),
        confirmed_on: r.opt_date("confirmed_on"),
        closed_on: r.opt_date("closed_on"),
        state: vocab(r, "state", GrantState::parse, GrantState::choices)
            .unwrap_or(GrantState::Applied),
    };
    if let (Some(c), Some(dec)) = (g.confirmed_amount, g.decided_amount)
        && c > dec
        && r.ok()
    {
        r.error(
            "confirmed_amount",
            &c.to_string(),
            t(
                format!(
                    "確定額 {} が交付決定額 {} を超えています(確定額 ≤ 交付決定額)",
                    money::yen_ja(c),
                    money::yen_ja(dec)
                ),
                format!(
                    "confirmed {} exceeds decided {} (confirmed ≤ decided)",
                    money::yen_ja(c),
                    money::yen_ja(dec)
                ),
            ),
        );
    }
    r.ok().then_some(g)
}

/// Writes a grant's fields.
pub fn write_grant(g: &Grant, res: &dyn Resolver) -> Fields {
    let (program, fy) = res.program_of(g.program_id);
    vec![
        ("program", program),
        ("fiscal_year", fy.0.to_string()),
        ("body", res.body_name(g.body_id)),
        ("applied_amount", g.applied_amount.to_string()),
        ("applied_on", d(g.applied_on)),
        ("eligible_cost", oy(g.eligible_cost)),
        (
            "project_year",
            g.project_year.map(|y| y.to_string()).unwrap_or_default(),
        ),
        ("decided_amount", oy(g.decided_amount)),
        ("decided_on", od(g.decided_on)),
        ("reported_on", od(g.reported_on)),
        ("confirmed_amount", oy(g.confirmed_amount)),
        ("confirmed_on", od(g.confirmed_on)),
        ("closed_on", od(g.closed_on)),
        ("state", g.state.ja().into()),
    ]
}

/// Reads a payment; the grant is found from program, fiscal year and body.
pub fn read_disbursement(
    r: &mut dyn FieldReader,
    res: &dyn Resolver,
    id: DisbursementId,
) -> Option<Disbursement> {
    let program = program_ref(r, res);
    let body = body_ref(r, res, "body");
    let grant_id = if program != 0 && body != 0 {
        res.grant(program, body).unwrap_or_else(|e| {
            let b = r.raw("body");
            r.error("body", &b, e);
            0
        })
    } else {
        0
    };
    let x = Disbursement {
        id,
        grant_id,
        date: r.date("date"),
        kind: vocab(
            r,
            "kind",
            DisbursementKind::parse,
            DisbursementKind::choices,
        )
        .unwrap_or(DisbursementKind::Advance),
        amount: r.yen("amount"),
    };
    if x.amount <= 0 && r.ok() {
        r.error(
            "amount",
            &x.amount.to_string(),
            t(
                "金額は1円以上にしてください",
                "amount must be more than 0 yen",
            ),
        );
    }
    r.ok().then_some(x)
}

/// Writes a payment's fields.
pub fn write_disbursement(x: &Disbursement, res: &dyn Resolver) -> Fields {
    let (program, body) = res.grant_of(x.grant_id);
    let (name, fy) = res.program_of(program);
    vec![
        ("program", name),
        ("fiscal_year", fy.0.to_string()),
        ("body", res.body_name(body)),
        ("date", d(x.date)),
        ("kind", x.kind.ja().into()),
        ("amount", x.amount.to_string()),
    ]
}

/// Reads a team meeting. Follow-ups: one per line, `text;owner;due;done`.
pub fn read_meeting(
    r: &mut dyn FieldReader,
    res: &dyn Resolver,
    id: TeamMeetingId,
) -> Option<TeamMeeting> {
    let body_id = body_ref(r, res, "body");
    let attendees = r
        .list("attendees")
        .into_iter()
        .map(|n| staff_ref(r, res, "attendees", &n))
        .collect();
    let mut follow_ups = Vec::new();
    let raw = r.raw("follow_ups");
    for (n, line) in raw
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        let parts: Vec<&str> = line.split([';', '；']).map(str::trim).collect();
        let text = parts.first().copied().unwrap_or("").to_string();
        if text.is_empty() {
            r.error(
                "follow_ups",
                line,
                t(
                    format!("フォローアップ{}: 内容が空です。「内容;担当;期限;済/未」の形で書いてください", n + 1),
                    format!("follow-up {}: the text is empty; write 'text;owner;due;done'", n + 1),
                ),
            );
        }
        let owner = parts
            .get(1)
            .filter(|s| !s.is_empty())
            .map(|o| staff_ref(r, res, "follow_ups", o));
        let due = match parts.get(2).filter(|s| !s.is_empty()) {
            Some(s) => match parse_date(s) {
                Ok(x) => Some(x),
                Err(e) => {
                    r.error(
                        "follow_ups",
                        s,
                        t(
                            format!("フォローアップ{}: {}", n + 1, e.ja()),
                            format!("follow-up {}: {e}", n + 1),
                        ),
                    );
                    None
                }
            },
            None => None,
        };
        let done = parts.get(3).is_some_and(|s| parse_bool(s) == Some(true));
        follow_ups.push(FollowUp {
            text,
            owner,
            due,
            done,
        });
    }
    let m = TeamMeeting {
        id,
        body_id,
        date: r.date("date"),
        place: r.raw("place"),
        attendees,
        guests: r.raw("guests"),
        agenda: r.req("agenda"),
        notes: r.raw("notes"),
        decisions: r.raw("decisions"),
        follow_ups,
    };
    r.ok().then_some(m)
}

/// Writes a meeting's fields.
pub fn write_meeting(m: &TeamMeeting, res: &dyn Resolver) -> Fields {
    let fus: Vec<String> = m
        .follow_ups
        .iter()
        .map(|f| {
            format!(
                "{};{};{};{}",
                f.text,
                f.owner.map(|o| res.staff_name(o)).unwrap_or_default(),
                od(f.due),
                if f.done { "済" } else { "未" }
            )
        })
        .collect();
    vec![
        ("body", res.body_name(m.body_id)),
        ("date", d(m.date)),
        ("place", m.place.clone()),
        (
            "attendees",
            m.attendees
                .iter()
                .map(|a| res.staff_name(*a))
                .collect::<Vec<_>>()
                .join(";"),
        ),
        ("guests", m.guests.clone()),
        ("agenda", m.agenda.clone()),
        ("notes", m.notes.clone()),
        ("decisions", m.decisions.clone()),
        ("follow_ups", fus.join("\n")),
    ]
}

/// Client type words: 地域協働体 / 団体 / 個人.
pub const CLIENT_TYPES: [(&str, &str, &str); 3] = [
    ("body", "地域協働体", "Body"),
    ("group", "団体", "Group"),
    ("individual", "個人", "Individual"),
];

/// Reads a consultation.
pub fn read_consultation(
    r: &mut dyn FieldReader,
    res: &dyn Resolver,
    id: ConsultationId,
) -> Option<Consultation> {
    let ctype = r.req("client_type");
    let client = match CLIENT_TYPES
        .iter()
        .position(|(c, j, e)| *c == ctype || *j == ctype || e.eq_ignore_ascii_case(&ctype))
    {
        Some(0) => Client::Body(body_ref(r, res, "client_name")),
        Some(1) => Client::Group(r.req("client_name")),
        Some(_) => Client::Individual,
        None => {
            if !ctype.is_empty() {
                r.error(
                    "client_type",
                    &ctype,
                    t(
                        "相談者の種別は 地域協働体、団体、個人 のどれかにしてください",
                        "client type must be 地域協働体, 団体 or 個人 (body, group, individual)",
                    ),
                );
            }
            Client::Individual
        }
    };
    let mut categories = Vec::new();
    for c in r.list("categories") {
        match Category::parse(&c) {
            Some(v) if !categories.contains(&v) => categories.push(v),
            Some(_) => {}
            None => r.error(
                "categories",
                &c,
                t(
                    format!(
                        "分野が違います。次のどれかにしてください: {}",
                        Category::choices()
                    ),
                    format!("unknown category; use one of {}", Category::choices()),
                ),
            ),
        }
    }
    if categories.is_empty() && r.ok() {
        r.error(
            "categories",
            "",
            t(
                "分野を1つ以上選んでください",
                "choose at least one category",
            ),
        );
    }
    let counselor_name = r.req("counselor");
    let counselor_id = if counselor_name.is_empty() {
        0
    } else {
        staff_ref(r, res, "counselor", &counselor_name)
    };
    let c = Consultation {
        id,
        date: r.date("date"),
        counselor_id,
        client,
        channel: vocab(r, "channel", Channel::parse, Channel::choices).unwrap_or(Channel::Visit),
        categories,
        people: r.num_or("people", 1),
        minutes: r.num_or("minutes", 0),
        summary: r.raw("summary"),
    };
    r.ok().then_some(c)
}

/// Writes a consultation's fields.
pub fn write_consultation(c: &Consultation, res: &dyn Resolver) -> Fields {
    let (ctype, cname) = match &c.client {
        Client::Body(b) => (CLIENT_TYPES[0].1, res.body_name(*b)),
        Client::Group(g) => (CLIENT_TYPES[1].1, g.clone()),
        Client::Individual => (CLIENT_TYPES[2].1, String::new()),
    };
    vec![
        ("date", d(c.date)),
        ("counselor", res.staff_name(c.counselor_id)),
        ("client_type", ctype.into()),
        ("client_name", cname),
        ("channel", c.channel.ja().into()),
        (
            "categories",
            c.categories
                .iter()
                .map(|x| x.ja())
                .collect::<Vec<_>>()
                .join(";"),
        ),
        ("people", c.people.to_string()),
        ("minutes", c.minutes.to_string()),
        ("summary", c.summary.clone()),
    ]
}

/// Reads a tally; count ≥ 1.
pub fn read_tally(r: &mut dyn FieldReader, id: ConsultationTallyId) -> Option<ConsultationTally> {
    let t = ConsultationTally {
        id,
        date: r.date("date"),
        category: vocab(r, "category", Category::parse, Category::choices)
            .unwrap_or(Category::Other),
        channel: vocab(r, "channel", Channel::parse, Channel::choices).unwrap_or(Channel::Visit),
        count: r.num_or("count", 1),
    };
    if let Err(e) = rules::tally_count(t.count)
        && r.ok()
    {
        r.error("count", &t.count.to_string(), e);
    }
    r.ok().then_some(t)
}

/// Writes a tally's fields.
pub fn write_tally(t: &ConsultationTally) -> Fields {
    vec![
        ("date", d(t.date)),
        ("category", t.category.ja().into()),
        ("channel", t.channel.ja().into()),
        ("count", t.count.to_string()),
    ]
}

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

/// Reads an indicator definition.
pub fn read_indicator(r: &mut dyn FieldReader) -> Option<Indicator> {
    let source_text = r.req("source");
    let source = if source_text == "entered" || source_text == "入力" {
        IndicatorSource::Entered
    } else {
        match source_text
            .strip_prefix("counted:")
            .and_then(CountedMetric::parse)
        {
            Some(m) => IndicatorSource::Counted(m),
            None => {
                r.error("source", &source_text, t("source は entered か counted:<指標> にしてください(body_activities, dialogue_support, team_meetings, consultations, bodies)", "source must be 'entered' or 'counted:<metric>' with metric one of body_activities, dialogue_support, team_meetings, consultations, bodies"));
                IndicatorSource::Entered
            }
        }
    };
    let i = Indicator {
        id: r.req("id"),
        order: r.num("order"),
        name_ja: r.req("name_ja"),
        name_en: r.raw("name_en"),
        unit_ja: r.req("unit_ja"),
        unit_en: r.raw("unit_en"),
        baseline_fy: r.fy("baseline_fy"),
        baseline: r.opt("baseline").map(|_| r.figure("baseline")),
        target_fy: r.fy("target_fy"),
        target: r.figure("target"),
        source,
        retired: r.opt_bool("retired").unwrap_or(false),
    };
    r.ok().then_some(i)
}

/// Writes an indicator definition's fields.
pub fn write_indicator(i: &Indicator) -> Fields {
    let fig = |f: Option<Figure>| f.map(|f| f.to_string()).unwrap_or_default();
    vec![
        ("id", i.id.clone()),
        ("order", i.order.to_string()),
        ("name_ja", i.name_ja.clone()),
        ("name_en", i.name_en.clone()),
        ("unit_ja", i.unit_ja.clone()),
        ("unit_en", i.unit_en.clone()),
        ("baseline_fy", i.baseline_fy.0.to_string()),
        ("baseline", fig(i.baseline)),
        ("target_fy", i.target_fy.0.to_string()),
        ("target", i.target.to_string()),
        (
            "source",
            match i.source {
                IndicatorSource::Entered => "entered".to_string(),
                IndicatorSource::Counted(m) => format!("counted:{}", m.code()),
            },
        ),
        (
            "retired",
            if i.retired { "はい" } else { "いいえ" }.to_string(),
        ),
    ]
}

/// Reads an entered indicator value.
pub fn read_indicator_value(
    r: &mut dyn FieldReader,
    res: &dyn Resolver,
    id: u64,
) -> Option<IndicatorEntry> {
    let indicator_id = r.req("indicator");
    if !indicator_id.is_empty() && !res.indicator(&indicator_id) {
        r.error(
            "indicator",
            &indicator_id,
            t(
                "この id の成果指標がありません。先に indicators.csv を取り込んでください",
                "no indicator with this id; import indicators.csv first",
            ),
        );
    }
    let e = IndicatorEntry {
        id,
        indicator_id,
        fiscal_year: r.fy("fiscal_year"),
        value: r.figure("value"),
    };
    r.ok().then_some(e)
}

/// Reads a plan action; statuses as `2024:実施;2025:検討` within the plan's period.
pub fn read_plan_action(r: &mut dyn FieldReader, id: PlanActionId) -> Option<PlanAction> {
    let statuses = match plan::parse_statuses(&r.raw("statuses")) {
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
        ("statuses", plan::write_statuses(&a.statuses)),
    ]
}

/// Writes an entered indicator value's fields.
pub fn write_indicator_value(e: &IndicatorEntry) -> Fields {
    vec![
        ("indicator", e.indicator_id.clone()),
        ("fiscal_year", e.fiscal_year.0.to_string()),
        ("value", e.value.to_string()),
    ]
}

#[cfg(test)]
mod serial_tests {
    use super::*;

    #[test]
    fn excel_serials() {
        assert_eq!(excel_serial("45383"), NaiveDate::from_ymd_opt(2024, 4, 1));
        assert_eq!(excel_serial("45383.0"), NaiveDate::from_ymd_opt(2024, 4, 1));
        assert_eq!(
            excel_serial("４５３８３"),
            NaiveDate::from_ymd_opt(2024, 4, 1)
        );
        assert_eq!(excel_serial("2024"), None);
        assert_eq!(excel_serial("45383.5"), None);
    }
}
