//! Fields of 交付金 programs (subsidy_programs), 交付申請・決定 (grants), 支払・返還 (disbursements) and grant steps: reading them from a CSV row or a form, writing them back.

use super::*;

/// `(field, required)` of `subsidy_programs`, in file and form order.
pub const SUBSIDY_PROGRAMS: &[(&str, bool)] = &[
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
    ("report_due", false),
    ("award_years", false),
    ("award_year_cap", false),
    ("award_total_cap", false),
    ("plan_min_years", false),
];

/// `(field, required)` of `grants`, in file and form order.
pub const GRANTS: &[(&str, bool)] = &[
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
    ("project_end", false),
    ("award", false),
];

/// `(field, required)` of `disbursements`, in file and form order.
pub const DISBURSEMENTS: &[(&str, bool)] = &[
    ("program", true),
    ("fiscal_year", true),
    ("body", true),
    ("date", true),
    ("kind", true),
    ("amount", true),
];

/// `(field, required)` of `grant_steps`, in file and form order.
pub const GRANT_STEPS: &[(&str, bool)] = &[
    ("step", true),
    ("date", true),
    ("amount", false),
    ("note", false),
];

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
    let award_terms = super::award_link::read_award_terms(r);
    let p = SubsidyProgram {
        award_terms,
        id,
        name: r.req("name"),
        fiscal_year: r.fy("fiscal_year"),
        budget: r.yen("budget"),
        rule,
        over_budget_reason: r.opt("over_budget_reason"),
        report_due: match ReportDue::parse(&r.raw("report_due")) {
            Ok(rule) => rule,
            Err(e) => {
                let v = r.raw("report_due");
                r.error("report_due", &v, e);
                ReportDue::Unset
            }
        },
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
        ("report_due", p.report_due.write()),
    ]);
    let t = p.award_terms;
    f.extend([
        (
            "award_years",
            t.map(|t| t.max_years.to_string()).unwrap_or_default(),
        ),
        ("award_year_cap", oy(t.map(|t| t.year_cap))),
        ("award_total_cap", oy(t.and_then(|t| t.total_cap))),
        (
            "plan_min_years",
            t.and_then(|t| t.plan_min_years)
                .map(|m| m.to_string())
                .unwrap_or_default(),
        ),
    ]);
    f
}

/// Reads a grant; confirmed ≤ decided (docs/DOMAIN.md, "Grant invariants").
pub fn read_grant(r: &mut dyn FieldReader, res: &dyn Resolver, id: GrantId) -> Option<Grant> {
    let g = Grant {
        id,
        program_id: program_ref(r, res),
        recipient: crate::domain::recipient::recipient_ref(r, res, "body"),
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
        project_end: r.opt_date("project_end"),
        award: None,
    };
    let mut g = g;
    super::award_link::read_award_link(r, res, &mut g);
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
        ("body", g.recipient.name(res)),
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
        ("project_end", od(g.project_end)),
        (
            "award",
            g.award
                .map(|a| res.label_of(RecordKind::Award, a))
                .unwrap_or_default(),
        ),
    ]
}

/// Reads a payment; the grant is found from program, fiscal year and recipient (`body`).
pub fn read_disbursement(
    r: &mut dyn FieldReader,
    res: &dyn Resolver,
    id: DisbursementId,
) -> Option<Disbursement> {
    let program = program_ref(r, res);
    let body = crate::domain::recipient::recipient_ref(r, res, "body");
    let grant_id = if program != 0 && body != Recipient::default() {
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
        ("body", body.name(res)),
        ("date", d(x.date)),
        ("kind", x.kind.ja().into()),
        ("amount", x.amount.to_string()),
    ]
}

impl RecordType for SubsidyProgram {
    const KIND: RecordKind = RecordKind::SubsidyProgram;
    const NAME: &'static str = "subsidy_programs";
    const IMPORT_RANK: u32 = 4;
    const PLURAL: (&'static str, &'static str) = ("交付金", "programs");
    const TITLE: (&'static str, &'static str) = ("交付金", "Subsidy program");
    const LABEL: &'static str = "program";
    const FIELDS: &'static [(&'static str, bool)] = SUBSIDY_PROGRAMS;
    const AREA: Area = Area::Subsidies;
    const REF: Option<RefKind> = Some(RefKind::Program);
    const LAYOUT: u32 = 3;
    crate::numeric_id!();
    fn upgrade<O: crate::domain::Older>(older: &O) -> Option<Self> {
        use crate::domain::subsidy_v1::{ProgramV1, ProgramV2};
        older
            .read::<ProgramV2>()
            .map(Into::into)
            .or_else(|| older.read::<ProgramV1>().map(Into::into))
    }
    fn natural_key(&self) -> String {
        format!("{}|{}", self.name, self.fiscal_year.0)
    }
    fn read(r: &mut dyn FieldReader, _: &dyn Resolver, id: u64) -> Option<Self> {
        read_program(r, id)
    }
    fn write(&self, _: &dyn Resolver) -> Fields {
        write_program(self)
    }
    fn in_year(&self, fy: FiscalYear, _: &dyn Resolver) -> bool {
        self.fiscal_year == fy
    }
}

impl RecordType for Grant {
    const KIND: RecordKind = RecordKind::Grant;
    const NAME: &'static str = "grants";
    const IMPORT_RANK: u32 = 5;
    const PLURAL: (&'static str, &'static str) = ("交付申請・決定", "grants");
    const TITLE: (&'static str, &'static str) = ("交付申請・決定", "Grant");
    const LABEL: &'static str = "grant";
    const FIELDS: &'static [(&'static str, bool)] = GRANTS;
    const AREA: Area = Area::Subsidies;
    const REF: Option<RefKind> = Some(RefKind::Grant);
    const REFERS_TO: &'static [RefKind] = &[
        RefKind::Body,
        RefKind::Program,
        RefKind::Association,
        RefKind::Organisation,
        RefKind::Award,
    ];
    const LAYOUT: u32 = 3;
    /// Its recipient (a 自治会 or organisation) and its award are named by label.
    const NAMES_BY_LABEL: &'static [RecordKind] = &[
        RecordKind::NeighborhoodAssociation,
        RecordKind::Organisation,
        RecordKind::Award,
    ];
    crate::numeric_id!();
    fn upgrade<O: crate::domain::Older>(older: &O) -> Option<Self> {
        use crate::domain::subsidy_v1::{GrantV1, GrantV2};
        older
            .read::<GrantV2>()
            .map(Into::into)
            .or_else(|| older.read::<GrantV1>().map(Into::into))
    }
    fn natural_key(&self) -> String {
        format!("{}|{}", self.program_id, self.recipient.key())
    }
    fn read(r: &mut dyn FieldReader, res: &dyn Resolver, id: u64) -> Option<Self> {
        read_grant(r, res, id)
    }
    /// `交付金/年度/交付先`, e.g. `地域づくり交付金/2022/花泉地区まちづくり協議会`.
    fn label(&self, res: &dyn Resolver) -> String {
        let (name, fy) = res.program_of(self.program_id);
        format!("{name}/{}/{}", fy.0, self.recipient.name(res))
    }
    fn write(&self, res: &dyn Resolver) -> Fields {
        write_grant(self, res)
    }
    fn refs(&self) -> Vec<(RefKind, u64)> {
        let mut refs = vec![
            (RefKind::Program, self.program_id),
            self.recipient.reference(),
        ];
        refs.extend(self.award.map(|a| (RefKind::Award, a)));
        refs
    }
    fn in_year(&self, fy: FiscalYear, res: &dyn Resolver) -> bool {
        res.program_of(self.program_id).1 == fy
    }
}

impl RecordType for Disbursement {
    const KIND: RecordKind = RecordKind::Disbursement;
    const NAME: &'static str = "disbursements";
    const IMPORT_RANK: u32 = 6;
    const PLURAL: (&'static str, &'static str) = ("支払", "payments");
    const TITLE: (&'static str, &'static str) = ("支払・返還", "Payment");
    const LABEL: &'static str = "payment";
    const FIELDS: &'static [(&'static str, bool)] = DISBURSEMENTS;
    const AREA: Area = Area::Subsidies;
    const REFERS_TO: &'static [RefKind] = &[RefKind::Grant];
    const NAMES_BY_LABEL: &'static [RecordKind] = crate::domain::recipient::LABELLED;
    crate::numeric_id!();
    fn natural_key(&self) -> String {
        format!(
            "{}|{}|{}|{}",
            self.grant_id,
            self.date,
            self.kind.code(),
            self.amount
        )
    }
    fn read(r: &mut dyn FieldReader, res: &dyn Resolver, id: u64) -> Option<Self> {
        read_disbursement(r, res, id)
    }
    /// `交付金/年度/地域協働体/日付/種別`, e.g. `地域づくり交付金/2022/花泉地区まちづくり協議会/2022-05-31/概算払`.
    fn label(&self, res: &dyn Resolver) -> String {
        let (program, body) = res.grant_of(self.grant_id);
        let (name, fy) = res.program_of(program);
        format!(
            "{name}/{}/{}/{}/{}",
            fy.0,
            body.name(res),
            self.date,
            self.kind.ja()
        )
    }
    fn write(&self, res: &dyn Resolver) -> Fields {
        write_disbursement(self, res)
    }
    fn refs(&self) -> Vec<(RefKind, u64)> {
        vec![(RefKind::Grant, self.grant_id)]
    }
    fn in_year(&self, fy: FiscalYear, res: &dyn Resolver) -> bool {
        res.program_of(res.grant_of(self.grant_id).0).1 == fy
    }
    fn export_order(&self, other: &Self, _: &dyn Resolver) -> Ordering {
        (self.date, self.id).cmp(&(other.date, other.id))
    }
}
