//! 複数年度の採択 (`Award`): one grantee's project funded over several fiscal years under one
//! program, each year's grant linked to it (issue 18.2). The rule comes from seed 002 (JCRD
//! 人材育成パッケージプログラム): 「最長3年、年150万円以内を上限に助成」, against an action plan
//! (アクションプラン) that runs 「原則として5年以上」, attached to the application. A program
//! states these terms ([`AwardTerms`]: N years, a per-year cap, an optional total cap, the
//! plan's minimum length M); an award is refused without a plan of M years or more, and a year's
//! grant beyond N years or over a cap is refused with the numbers ([`check_year`]). Declared in
//! this one file and registered by one line of [`crate::record_types!`].

use super::access::Area;
use super::fields::reader::{FieldReader, Fields, Resolver, d, t};
use super::limits::Limit;
use super::money::{yen_en, yen_ja};
use super::recipient::Recipient;
use super::record_type::{RecordKind, RecordType, RefKind};
use super::{FiscalYear, GrantId, Text};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Record id of an [`Award`].
pub type AwardId = u64;

/// 複数年度交付の条件: what a program's 交付要綱 allows one award (seed 002: 3 years, 1,500,000円
/// a year, an action plan of 5 years or more).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwardTerms {
    /// 最長年数 N: an award runs at most this many fiscal years (≥ 1).
    pub max_years: u32,
    /// 年度ごとの上限 in yen: no year's grant may exceed it.
    pub year_cap: i64,
    /// 総額の上限 in yen over all the award's years, when the program sets one.
    pub total_cap: Option<i64>,
    /// 計画期間の下限 M in years: the application must attach a plan this long, when set.
    pub plan_min_years: Option<u32>,
}

/// 採択: one multi-year award.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Award {
    /// Record id.
    pub id: AwardId,
    /// 採択番号, e.g. `R5-人材-01`: unique, how a grant names its award.
    pub number: String,
    /// The program's name (`SubsidyProgram::name`); each year's grant is under the program of
    /// that name and year.
    pub program: String,
    /// 交付先.
    pub recipient: Recipient,
    /// The first fiscal year (1年目).
    pub first_fy: FiscalYear,
    /// 採択期間 in years (1 ≤ years ≤ the program's N).
    pub years: u32,
    /// 採択日.
    pub decided_on: NaiveDate,
    /// The attached plan's title (アクションプラン), if any.
    pub plan: Option<String>,
    /// The plan's first and last fiscal year (both inclusive), when a plan is attached.
    pub plan_period: Option<(FiscalYear, FiscalYear)>,
}

impl Award {
    /// The last fiscal year it covers.
    pub fn last_fy(&self) -> FiscalYear {
        FiscalYear(self.first_fy.0 + self.years.max(1) as i32 - 1)
    }

    /// Which year of the award `fy` is (1-based), or `None` outside its years.
    pub fn year_of(&self, fy: FiscalYear) -> Option<u32> {
        (fy >= self.first_fy && fy <= self.last_fy()).then(|| (fy.0 - self.first_fy.0 + 1) as u32)
    }
}

/// What a grant under an award is checked against: the award, its program's terms and the
/// amounts of its other years' grants (`(grant, fiscal year, yen)`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AwardFacts {
    /// The award, when known.
    pub award: Option<Award>,
    /// The terms of the program of the award's first year.
    pub terms: Option<AwardTerms>,
    /// The award's grants as `(grant, fiscal year, decided or else applied amount in yen)`.
    pub years: Vec<(GrantId, FiscalYear, i64)>,
}

fn fy_ja(fy: FiscalYear) -> String {
    fy.ja_label()
}

/// Checks a grant of `amount` yen for fiscal year `fy` under `award` (seed 002: at most N years,
/// at most the per-year cap, the total within the total cap); `others` are the award's grants
/// of other years. Returns which year of the award it is (1-based).
///
/// Errors: the year outside the award's years or the program's N, an amount over the per-year
/// cap, or a total over the total cap, each with the numbers, in both languages.
pub fn check_year(
    award: &Award,
    terms: &AwardTerms,
    fy: FiscalYear,
    amount: i64,
    others: &[(GrantId, FiscalYear, i64)],
) -> Result<u32, Text> {
    let k = fy.0 - award.first_fy.0 + 1;
    let allowed = award.years.min(terms.max_years) as i32;
    if k < 1 || k > allowed {
        return Err(t(
            format!(
                "{}は採択 {} の{}年目にあたります: 採択期間は{}年({}〜{})で、最長{}年です",
                fy_ja(fy),
                award.number,
                k,
                allowed,
                fy_ja(award.first_fy),
                fy_ja(FiscalYear(award.first_fy.0 + allowed - 1)),
                terms.max_years
            ),
            format!(
                "FY{} would be year {k} of award {}, which runs {allowed} years (FY{}–FY{}; at most {})",
                fy.0,
                award.number,
                award.first_fy.0,
                award.first_fy.0 + allowed - 1,
                terms.max_years
            ),
        ));
    }
    if amount > terms.year_cap {
        return Err(t(
            format!(
                "{}は年度ごとの上限 {} を超えています(採択 {} の{}年目)",
                yen_ja(amount),
                yen_ja(terms.year_cap),
                award.number,
                k
            ),
            format!(
                "{} is over the yearly cap of {} (award {}, year {k})",
                yen_en(amount),
                yen_en(terms.year_cap),
                award.number
            ),
        ));
    }
    if let Some(cap) = terms.total_cap {
        let before: i64 = others
            .iter()
            .filter(|(_, y, _)| *y != fy)
            .map(|(_, _, a)| a)
            .sum();
        if before + amount > cap {
            return Err(t(
                format!(
                    "採択 {} の総額が上限 {} を超えます(他の年度 {} + この年度 {} = {})",
                    award.number,
                    yen_ja(cap),
                    yen_ja(before),
                    yen_ja(amount),
                    yen_ja(before + amount)
                ),
                format!(
                    "award {} would total {} over its cap of {} (other years {} + this year {})",
                    award.number,
                    yen_en(before + amount),
                    yen_en(cap),
                    yen_en(before),
                    yen_en(amount)
                ),
            ));
        }
    }
    Ok(k as u32)
}

/// Checks an award's attached plan against the program's minimum length `min` in years
/// (seed 002: 「原則として5年以上」).
///
/// Errors: no plan, or a plan shorter than `min` years, with its period.
pub fn check_plan(
    plan: Option<&str>,
    period: Option<(FiscalYear, FiscalYear)>,
    min: u32,
) -> Result<(), Text> {
    let Some((from, to)) = period.filter(|_| plan.is_some_and(|p| !p.trim().is_empty())) else {
        return Err(t(
            format!(
                "この交付金は{min}年以上の計画(アクションプラン)を求めます: 計画名と期間(plan, plan_from, plan_to)を入れてください"
            ),
            format!(
                "this program requires a plan (action plan) of {min} years or more: give plan, plan_from and plan_to"
            ),
        ));
    };
    let span = to.0 - from.0 + 1;
    if span < min as i32 {
        return Err(t(
            format!(
                "計画の期間は{}〜{}の{}年です: この交付金は{}年以上の計画を求めます",
                fy_ja(from),
                fy_ja(to),
                span,
                min
            ),
            format!(
                "the plan runs {span} years (FY{}–FY{}); this program requires {min} years or more",
                from.0, to.0
            ),
        ));
    }
    Ok(())
}

impl RecordType for Award {
    const KIND: RecordKind = RecordKind::Award;
    const NAME: &'static str = "awards";
    const TITLE: (&'static str, &'static str) = ("複数年度の採択", "Multi-year award");
    const PLURAL: (&'static str, &'static str) = ("複数年度の採択", "multi-year awards");
    const LABEL: &'static str = "award";
    /// After programs and grantees (registered after them), before the grants that name it.
    const IMPORT_RANK: u32 = 4;
    const FIELDS: &'static [(&'static str, bool)] = &[
        ("number", true),
        ("program", true),
        ("fiscal_year", true),
        ("body", true),
        ("years", true),
        ("decided_on", true),
        ("plan", false),
        ("plan_from", false),
        ("plan_to", false),
    ];
    const LIMITS: &'static [(&'static str, Limit)] = &[
        ("number", Limit::Name),
        ("program", Limit::Name),
        ("body", Limit::Name),
        ("plan", Limit::Line),
    ];
    const FIELD_LABELS: &'static [(&'static str, &'static str, &'static str)] = &[
        ("number", "採択番号", "Award no."),
        ("fiscal_year", "初年度", "First year"),
        ("body", "交付先", "Recipient"),
        ("years", "採択期間(年)", "Years"),
        ("decided_on", "採択日", "Decided on"),
        ("plan", "計画(アクションプラン)", "Plan"),
        ("plan_from", "計画の初年度", "Plan from"),
        ("plan_to", "計画の最終年度", "Plan to"),
    ];
    const LIST_COLUMNS: &'static [(&'static str, u16)] = &[
        ("number", 14),
        ("fiscal_year", 10),
        ("years", 6),
        ("body", 22),
        ("program", 0),
    ];
    const AREA: Area = Area::Subsidies;
    const REF: Option<RefKind> = Some(RefKind::Award);
    const REFERS_TO: &'static [RefKind] =
        &[RefKind::Body, RefKind::Association, RefKind::Organisation];
    const NAMES_BY_LABEL: &'static [RecordKind] = super::recipient::LABELLED;

    crate::numeric_id!();
    fn natural_key(&self) -> String {
        self.number.clone()
    }
    fn read(r: &mut dyn FieldReader, res: &dyn Resolver, id: u64) -> Option<Self> {
        let number = r.req("number");
        let program = r.req("program");
        let first_fy = r.fy("fiscal_year");
        let terms = match res.program(&program, first_fy) {
            Ok(p) => res.award_terms(p),
            Err(e) => {
                r.error("program", &program, e);
                None
            }
        };
        let recipient = super::recipient::recipient_ref(r, res, "body");
        let years = r.num("years");
        let decided_on = r.date("decided_on");
        let plan = r.opt("plan");
        let plan_from = r.opt("plan_from").map(|_| r.fy("plan_from"));
        let plan_to = r.opt("plan_to").map(|_| r.fy("plan_to"));
        let plan_period = plan_from.zip(plan_to);
        if !r.ok() {
            return None;
        }
        let Some(terms) = terms else {
            r.error(
                "program",
                &program,
                t(
                    format!(
                        "{program}({})には複数年度の条件がありません: 交付金に award_years と award_year_cap を設定してください",
                        fy_ja(first_fy)
                    ),
                    format!(
                        "{program} (FY{}) sets no multi-year terms: give the program award_years and award_year_cap",
                        first_fy.0
                    ),
                ),
            );
            return None;
        };
        if years == 0 || years > terms.max_years {
            r.error(
                "years",
                &years.to_string(),
                t(
                    format!(
                        "採択期間 {years} 年: この交付金は1〜{}年です",
                        terms.max_years
                    ),
                    format!(
                        "{years} years: this program awards 1 to {} years",
                        terms.max_years
                    ),
                ),
            );
        }
        if let Some((f, l)) = plan_period
            && l < f
        {
            r.error(
                "plan_to",
                &l.0.to_string(),
                t(
                    "計画の最終年度が初年度より前です",
                    "the plan ends before it starts",
                ),
            );
        }
        if let Some(min) = terms.plan_min_years
            && r.ok()
            && let Err(e) = check_plan(plan.as_deref(), plan_period, min)
        {
            let v = r.raw("plan_to");
            r.error(
                if plan_period.is_some() {
                    "plan_to"
                } else {
                    "plan"
                },
                &v,
                e,
            );
        }
        r.ok().then_some(Award {
            id,
            number,
            program,
            recipient,
            first_fy,
            years,
            decided_on,
            plan,
            plan_period,
        })
    }
    fn write(&self, res: &dyn Resolver) -> Fields {
        let fy = |f: Option<FiscalYear>| f.map(|f| f.0.to_string()).unwrap_or_default();
        vec![
            ("number", self.number.clone()),
            ("program", self.program.clone()),
            ("fiscal_year", self.first_fy.0.to_string()),
            ("body", self.recipient.name(res)),
            ("years", self.years.to_string()),
            ("decided_on", d(self.decided_on)),
            ("plan", self.plan.clone().unwrap_or_default()),
            ("plan_from", fy(self.plan_period.map(|p| p.0))),
            ("plan_to", fy(self.plan_period.map(|p| p.1))),
        ]
    }
    fn refs(&self) -> Vec<(RefKind, u64)> {
        vec![self.recipient.reference()]
    }
    fn in_year(&self, fy: FiscalYear, _res: &dyn Resolver) -> bool {
        self.year_of(fy).is_some()
    }
    fn export_order(&self, other: &Self, _res: &dyn Resolver) -> Ordering {
        (self.first_fy, &self.number).cmp(&(other.first_fy, &other.number))
    }
}

/// What a grant counts against its award's caps, in yen: the decided amount once decided,
/// else the amount applied for.
pub fn counted(g: &super::Grant) -> i64 {
    g.decided_amount.unwrap_or(g.applied_amount)
}

/// The terms award `a` runs under: those of the program of its name and first year.
pub fn terms_of(a: &Award, programs: &[super::SubsidyProgram]) -> Option<AwardTerms> {
    programs
        .iter()
        .find(|p| p.name == a.program && p.fiscal_year == a.first_fy)
        .and_then(|p| p.award_terms)
}

/// Checks grant `g` (as stored, or as a step would leave it) against its award `a`, given the
/// programs and the other grants as read: its program and recipient are the award's, and
/// [`check_year`] holds with the award's other years. `Ok` when the award's program sets no
/// terms or `g`'s program is unknown.
///
/// Errors: what is wrong, with the numbers, in both languages.
pub fn check_grant(
    a: &Award,
    g: &super::Grant,
    programs: &[super::SubsidyProgram],
    grants: &[super::Grant],
) -> Result<(), Text> {
    let program = |id: u64| programs.iter().find(|x| x.id == id);
    let Some(p) = program(g.program_id) else {
        return Ok(());
    };
    if p.name != a.program || g.recipient != a.recipient {
        return Err(t(
            format!("採択 {} とは別の交付金または交付先の交付決定です", a.number),
            format!("its program or recipient is not award {}'s", a.number),
        ));
    }
    let Some(terms) = terms_of(a, programs) else {
        return Ok(());
    };
    let others: Vec<_> = grants
        .iter()
        .filter(|x| x.award == Some(a.id) && x.id != g.id)
        .filter_map(|x| Some((x.id, program(x.program_id)?.fiscal_year, counted(x))))
        .collect();
    check_year(a, &terms, p.fiscal_year, counted(g), &others).map(|_| ())
}

/// The stored grants that break their award's rules (for `kyodo check`, whatever path wrote
/// them), by [`check_grant`]. Returns `(grant id, what is wrong)`.
pub fn problems(
    awards: &[Award],
    programs: &[super::SubsidyProgram],
    grants: &[super::Grant],
) -> Vec<(GrantId, Text)> {
    grants
        .iter()
        .filter_map(|g| {
            let a = awards.iter().find(|a| Some(a.id) == g.award)?;
            check_grant(a, g, programs, grants).err().map(|e| (g.id, e))
        })
        .collect()
}
