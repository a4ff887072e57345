//! 配分シナリオ (`AllocationScenario`): a draft allocation formula, kept to be tried against a
//! program's current amounts without creating any program or grant (issue 18.3). Seed 003
//! (第2章 3 and 第3章 事業13): the bodies asked for 「地域協働体の規模に応じた交付金の見直し」
//! and better pay for their staff, so a draft adds to 均等割・世帯割・人口割 a 面積割 (per km²)
//! and fixed 加算 for bodies that meet a condition: running their 市民センター under 指定管理
//! on the counts date, or having a 地域づくり計画 in force in the year. The formula part is
//! rounded down to a unit and held between a floor and a cap; the 加算 are added after, as they
//! pay for a task and not for size. [`compare`] sets every body's current amount beside the
//! scenario's. Declared in this one file and registered by one line of [`crate::record_types!`].

use super::access::Area;
use super::allocation::{Preview, PreviewRow};
use super::designation::{DesignationTerm, manages_center_on};
use super::fields::reader::{FieldReader, Fields, Resolver, od, t};
use super::limits::Limit;
use super::record_type::{RecordKind, RecordType};
use super::{
    AllocationInput, AllocationRule, Body, BodyCount, FiscalYear, Grant, Recipient, SubsidyProgram,
    Text,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Record id of an [`AllocationScenario`].
pub type AllocationScenarioId = u64;

/// 配分シナリオ: a draft formula. Yen are `i64` (≥ 0); the area rate is yen per km².
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationScenario {
    /// Record id.
    pub id: AllocationScenarioId,
    /// 案の名前, e.g. `面積割・指定管理加算案`: unique.
    pub name: String,
    /// The fiscal year it is drafted for, if said (the TUI offers it for that year's programs
    /// only; `None` = any year).
    pub fiscal_year: Option<FiscalYear>,
    /// 均等割: yen per body.
    pub per_body: i64,
    /// 世帯割: yen per household.
    pub per_household: i64,
    /// 人口割: yen per person.
    pub per_capita: i64,
    /// 面積割: yen per km² of the body's area (a body without an area gets none).
    pub per_km2: i64,
    /// 指定管理加算: yen for a body that manages its 市民センター on the counts date.
    pub center_addition: i64,
    /// 計画加算: yen for a body whose 地域づくり計画 covers the fiscal year.
    pub plan_addition: i64,
    /// 下限 of the formula part (before the 加算).
    pub floor: Option<i64>,
    /// 上限 of the formula part (before the 加算).
    pub cap: Option<i64>,
    /// The formula part is rounded down to a multiple of this many yen (≤ 1: not rounded).
    pub round_unit: i64,
    /// Date the counts are taken; `None` = the compared program's.
    pub counts_date: Option<NaiveDate>,
    /// 備考.
    pub note: Option<String>,
}

/// An area as shown: km² with two decimals (`17.10`).
pub fn km2(a: super::Figure) -> String {
    format!("{}.{:02}", a.0 / 100, a.0.rem_euclid(100))
}

fn round_down(amount: i64, unit: i64) -> i64 {
    if unit > 1 {
        amount - amount.rem_euclid(unit)
    } else {
        amount
    }
}

impl AllocationScenario {
    /// The amount for one body, in yen: (均等割 + 世帯割 × households + 人口割 × persons +
    /// 面積割 × km², the area part rounded down to the yen), rounded down to `round_unit`, held
    /// between `floor` and `cap`, plus each 加算 whose condition the body meets.
    pub fn amount(&self, input: AllocationInput) -> i64 {
        let area = input
            .area_km2
            .map_or(0, |a| (self.per_km2 as i128 * a.0 as i128).div_euclid(100));
        let raw = self.per_body as i128
            + self.per_household as i128 * input.households as i128
            + self.per_capita as i128 * input.population as i128
            + area;
        let mut a = round_down(raw.clamp(0, i64::MAX as i128) as i64, self.round_unit);
        if let Some(f) = self.floor {
            a = a.max(f);
        }
        if let Some(c) = self.cap {
            a = a.min(c);
        }
        let add = if input.runs_center {
            self.center_addition
        } else {
            0
        } + if input.has_plan {
            self.plan_addition
        } else {
            0
        };
        a.saturating_add(add)
    }

    /// A short description, e.g. `均等割 1,000,000円 + 世帯割 1,000円 + 面積割 5,000円/km² +
    /// 指定管理加算 300,000円 (1,000円未満切捨て)`: the parts that are not zero.
    pub fn describe(&self, lang: super::Lang) -> String {
        let ja = lang == super::Lang::Ja;
        let y = |v: i64| lang.yen(v);
        let parts: [(i64, &str, &str, &str); 6] = [
            (self.per_body, "均等割", "per body", ""),
            (self.per_household, "世帯割", "per household", ""),
            (self.per_capita, "人口割", "per person", ""),
            (self.per_km2, "面積割", "per km²", "/km²"),
            (self.center_addition, "指定管理加算", "centre addition", ""),
            (self.plan_addition, "計画加算", "plan addition", ""),
        ];
        let mut s = parts
            .iter()
            .filter(|p| p.0 != 0)
            .map(|(v, j, e, unit)| {
                if ja {
                    format!("{j} {}{unit}", y(*v))
                } else {
                    format!("{} {e}", y(*v))
                }
            })
            .collect::<Vec<_>>()
            .join(" + ");
        if self.round_unit > 1 {
            s += &if ja {
                format!(" ({}未満切捨て)", y(self.round_unit))
            } else {
                format!(" (rounded down to {})", y(self.round_unit))
            };
        }
        for (v, j, e) in [(self.floor, "下限", "floor"), (self.cap, "上限", "cap")] {
            if let Some(v) = v {
                s += &if ja {
                    format!(" {j} {}", y(v))
                } else {
                    format!(" {e} {}", y(v))
                };
            }
        }
        s
    }
}

/// What body `b` brings to an allocation on `day` in fiscal year `fy`: its households and
/// population in force that day (`counts`), its area, whether it manages its 市民センター that
/// day (`terms`, [`manages_center_on`]) and whether its 地域づくり計画 covers `fy`.
pub fn input_on(
    b: &Body,
    counts: &[BodyCount],
    terms: &[DesignationTerm],
    day: NaiveDate,
    fy: FiscalYear,
) -> AllocationInput {
    let (households, population) = b.counts_on(counts, day);
    AllocationInput {
        households,
        population,
        area_km2: b.area_km2,
        runs_center: manages_center_on(b, terms, day),
        has_plan: b
            .community_plan
            .as_ref()
            .is_some_and(|p| p.period_start <= fy && fy <= p.period_end),
        ..Default::default()
    }
}

/// What a scenario is compared with and on: the program, the bodies (sorted as wanted), their
/// dated counts, the 指定管理 periods and the program's grants.
pub struct Against<'a> {
    /// The program whose current amounts are compared (a formula or fixed rule).
    pub program: &'a SubsidyProgram,
    /// Bodies, in the order the rows should follow.
    pub bodies: &'a [Body],
    /// Dated counts of households and population.
    pub counts: &'a [BodyCount],
    /// 指定管理の期間.
    pub terms: &'a [DesignationTerm],
    /// Grants (those of other programs are ignored).
    pub grants: &'a [Grant],
}

/// Every body in existence on the counts date (the scenario's, else the program's), with its
/// current amount and the scenario's: `amount` and `decided` are the current amount (the decided
/// amount of its grant under the program, else what the program's rule gives), `compare` the
/// scenario's; the totals, and the scenario's total against the program's budget
/// (`over_budget`). Yen.
///
/// Errors: a program whose amounts follow applications (a rate rule), which has no amount per
/// body to compare with.
pub fn compare(s: &AllocationScenario, on: &Against) -> Result<Preview, Text> {
    let p = on.program;
    if matches!(p.rule, AllocationRule::Rate { .. }) {
        return Err(t(
            format!(
                "{}は対象経費の割合で交付する交付金です: 配分シナリオは均等割などの算定式か定額の交付金と比べてください",
                p.name
            ),
            format!(
                "{} pays a share of eligible costs; compare a scenario with a formula or fixed program",
                p.name
            ),
        ));
    }
    let program_day = p.rule.counts_date(p.fiscal_year);
    let day = s.counts_date.or(program_day);
    let mut rows = Vec::new();
    for b in on.bodies {
        let Some(day) = day.filter(|d| b.active_on(*d)) else {
            continue;
        };
        let input = input_on(b, on.counts, on.terms, day, p.fiscal_year);
        let current = on
            .grants
            .iter()
            .find(|g| g.program_id == p.id && g.recipient == Recipient::Body(b.id))
            .and_then(|g| g.decided_amount)
            .unwrap_or_else(|| {
                let at = program_day.unwrap_or(day);
                p.rule
                    .amount(input_on(b, on.counts, on.terms, at, p.fiscal_year))
            });
        rows.push(PreviewRow {
            body_id: b.id,
            input,
            amount: current,
            compare: Some(s.amount(input)),
            decided: current,
        });
    }
    let total: i64 = rows.iter().map(|r| r.decided).sum();
    let scenario: i64 = rows.iter().filter_map(|r| r.compare).sum();
    Ok(Preview {
        total,
        compare_total: Some(scenario),
        budget: p.budget,
        over_budget: (scenario - p.budget).max(0),
        counts_date: day,
        rows,
    })
}

const YEN_FIELDS: [&str; 6] = [
    "per_body",
    "per_household",
    "per_capita",
    "per_km2",
    "center_addition",
    "plan_addition",
];

impl RecordType for AllocationScenario {
    const KIND: RecordKind = RecordKind::AllocationScenario;
    const NAME: &'static str = "allocation_scenarios";
    const TITLE: (&'static str, &'static str) = ("配分シナリオ", "Allocation scenario");
    const PLURAL: (&'static str, &'static str) = ("配分シナリオ", "allocation scenarios");
    const LABEL: &'static str = "scenario";
    const FIELDS: &'static [(&'static str, bool)] = &[
        ("name", true),
        ("fiscal_year", false),
        ("per_body", false),
        ("per_household", false),
        ("per_capita", false),
        ("per_km2", false),
        ("center_addition", false),
        ("plan_addition", false),
        ("floor", false),
        ("cap", false),
        ("round_unit", false),
        ("counts_date", false),
        ("note", false),
    ];
    const LIMITS: &'static [(&'static str, Limit)] =
        &[("name", Limit::Name), ("note", Limit::Text)];
    const FIELD_LABELS: &'static [(&'static str, &'static str, &'static str)] = &[
        ("name", "案の名前", "Scenario"),
        ("per_household", "世帯割(1世帯)", "Per household"),
        ("per_capita", "人口割(1人)", "Per person"),
        ("per_km2", "面積割(1km²)", "Per km²"),
        ("center_addition", "指定管理加算", "Centre addition"),
        ("plan_addition", "計画加算", "Plan addition"),
        ("floor", "下限(加算前)", "Floor (before additions)"),
        ("cap", "上限(加算前)", "Cap (before additions)"),
    ];
    const LIST_COLUMNS: &'static [(&'static str, u16)] = &[
        ("name", 26),
        ("fiscal_year", 10),
        ("per_body", 12),
        ("per_km2", 12),
        ("center_addition", 0),
    ];
    const AREA: Area = Area::Subsidies;

    crate::numeric_id!();
    fn natural_key(&self) -> String {
        self.name.clone()
    }
    fn read(r: &mut dyn FieldReader, _res: &dyn Resolver, id: u64) -> Option<Self> {
        let name = r.req("name");
        let fiscal_year = r.opt("fiscal_year").map(|_| r.fy("fiscal_year"));
        let mut yen = [0i64; 6];
        for (v, key) in yen.iter_mut().zip(YEN_FIELDS) {
            *v = r.opt_yen(key).unwrap_or(0);
        }
        let floor = r.opt_yen("floor");
        let cap = r.opt_yen("cap");
        let round_unit = r.opt_yen("round_unit").unwrap_or(1);
        let counts_date = r.opt_date("counts_date");
        let note = r.opt("note");
        let negative = YEN_FIELDS
            .iter()
            .zip(yen)
            .map(|(k, v)| (*k, Some(v)))
            .chain([
                ("floor", floor),
                ("cap", cap),
                ("round_unit", Some(round_unit)),
            ])
            .find(|(_, v)| v.is_some_and(|v| v < 0));
        if let Some((key, _)) = negative {
            let v = r.raw(key);
            r.error(
                key,
                &v,
                t("0円以上で入力してください", "must be 0 yen or more"),
            );
        }
        if let (Some(f), Some(c)) = (floor, cap)
            && f > c
            && r.ok()
        {
            r.error(
                "floor",
                &f.to_string(),
                t(
                    "下限が上限より大きくなっています",
                    "the floor is above the cap",
                ),
            );
        }
        let [
            per_body,
            per_household,
            per_capita,
            per_km2,
            center_addition,
            plan_addition,
        ] = yen;
        r.ok().then_some(AllocationScenario {
            id,
            name,
            fiscal_year,
            per_body,
            per_household,
            per_capita,
            per_km2,
            center_addition,
            plan_addition,
            floor,
            cap,
            round_unit,
            counts_date,
            note,
        })
    }
    fn write(&self, _res: &dyn Resolver) -> Fields {
        let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        vec![
            ("name", self.name.clone()),
            (
                "fiscal_year",
                self.fiscal_year
                    .map(|f| f.0.to_string())
                    .unwrap_or_default(),
            ),
            ("per_body", self.per_body.to_string()),
            ("per_household", self.per_household.to_string()),
            ("per_capita", self.per_capita.to_string()),
            ("per_km2", self.per_km2.to_string()),
            ("center_addition", self.center_addition.to_string()),
            ("plan_addition", self.plan_addition.to_string()),
            ("floor", opt(self.floor)),
            ("cap", opt(self.cap)),
            ("round_unit", self.round_unit.to_string()),
            ("counts_date", od(self.counts_date)),
            ("note", self.note.clone().unwrap_or_default()),
        ]
    }
    fn in_year(&self, fy: FiscalYear, _res: &dyn Resolver) -> bool {
        self.fiscal_year.is_none_or(|f| f == fy)
    }
    fn export_order(&self, other: &Self, _res: &dyn Resolver) -> Ordering {
        (self.fiscal_year, &self.name).cmp(&(other.fiscal_year, &other.name))
    }
}
