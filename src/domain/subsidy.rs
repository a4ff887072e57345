//! 交付金・補助金: subsidy programs, grants to bodies, and payments against them. Amounts are
//! integer yen (`i64`); rates are exact fractions. Invariants from docs/DOMAIN.md, "Grant invariants",
//! and issue 4.

use super::{FiscalYear, Text};
use crate::vocab;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Record id of a [`SubsidyProgram`].
pub type SubsidyProgramId = u64;
/// Record id of a [`Grant`].
pub type GrantId = u64;
/// Record id of a [`Disbursement`].
pub type DisbursementId = u64;

/// An exact fraction, e.g. 2/3 (never a float).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fraction {
    /// Numerator (≥ 0).
    pub num: i64,
    /// Denominator (> 0).
    pub den: i64,
}

impl Fraction {
    /// `amount × num / den`, rounded down, in exact integer arithmetic.
    pub fn of(self, amount: i64) -> i64 {
        if self.den <= 0 {
            return 0;
        }
        ((amount as i128 * self.num as i128).div_euclid(self.den as i128)) as i64
    }

    /// Reads `2/3`, `1/2`, `１／３`, or a whole number (`1` = 1/1).
    ///
    /// Errors: a message when it is not a fraction between 0 and 1.
    pub fn parse(s: &str) -> Result<Fraction, Text> {
        let t = super::date_parse::normalize_width(s);
        let bad = || {
            Text::new(
                format!(
                    "「{}」は割合として読めません。2/3 のように分数で入力してください",
                    s.trim()
                ),
                format!("'{}' is not a rate; write a fraction such as 2/3", s.trim()),
            )
        };
        let (n, d) = match t.split_once('/') {
            Some((n, d)) => (
                n.trim().parse::<i64>().map_err(|_| bad())?,
                d.trim().parse::<i64>().map_err(|_| bad())?,
            ),
            None => (t.trim().parse::<i64>().map_err(|_| bad())?, 1),
        };
        if d <= 0 || n < 0 || n > d {
            return Err(bad());
        }
        Ok(Fraction { num: n, den: d })
    }
}

impl fmt::Display for Fraction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.num, self.den)
    }
}

/// 交付金 / 補助金: a subsidy program for one fiscal year, e.g. 地域づくり交付金 令和4年度.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubsidyProgram {
    /// Record id.
    pub id: SubsidyProgramId,
    /// Name, e.g. `地域づくり交付金`.
    pub name: String,
    /// The fiscal year it funds.
    pub fiscal_year: FiscalYear,
    /// 予算額 in yen.
    pub budget: i64,
    /// How amounts are allocated.
    pub rule: AllocationRule,
    /// Why deciding more than the budget is allowed (補正予算 etc.); `None` = never allowed.
    pub over_budget_reason: Option<String>,
    /// 実績報告の期限: when its grants' reports are due (layout 2, issue 17.1).
    #[serde(default)]
    pub report_due: super::report_due::ReportDue,
    /// 複数年度交付の条件, when this program funds multi-year awards (layout 3, issue 18.2).
    #[serde(default)]
    pub award_terms: Option<super::award::AwardTerms>,
}

/// How a program computes each body's amount (issue 4, "Programs").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AllocationRule {
    /// 均等割 + 世帯割 + 人口割 with counts taken at a stated date, rounded down to `round_unit`
    /// yen, then held between `floor` and `cap` when given.
    Formula {
        /// 均等割: yen per body.
        per_body: i64,
        /// 世帯割: yen per household.
        per_household: i64,
        /// 人口割: yen per person.
        per_capita: i64,
        /// Rounding unit in yen (amounts are rounded down to a multiple of it; ≤ 1 = none).
        round_unit: i64,
        /// Date the counts are taken; `None` = April 1 of the program's fiscal year.
        counts_date: Option<NaiveDate>,
        /// Most a body may receive.
        cap: Option<i64>,
        /// Least a body receives.
        floor: Option<i64>,
    },
    /// A share of the eligible cost by year of the body's project (e.g. 2/3, 1/2, 1/3 in years
    /// 1–3; later years use the last rate), rounded down to `round_unit`, at most `cap`.
    Rate {
        /// Rate in project year 1, 2, 3…
        rates: Vec<Fraction>,
        /// Most a body may receive.
        cap: Option<i64>,
        /// Rounding unit in yen.
        round_unit: i64,
    },
    /// The same amount for every body.
    Fixed {
        /// Yen per body.
        amount: i64,
    },
}

fn round_down(amount: i64, unit: i64) -> i64 {
    if unit > 1 {
        amount - amount.rem_euclid(unit)
    } else {
        amount
    }
}

/// What one body brings to an allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AllocationInput {
    /// 世帯数 on the counts date.
    pub households: u32,
    /// 人口 on the counts date.
    pub population: u32,
    /// 対象経費 in yen (rate rule).
    pub eligible_cost: i64,
    /// Year of the body's project, from 1 (rate rule).
    pub project_year: u32,
    /// 面積 in km², when known (a scenario's 面積割, issue 18.3).
    pub area_km2: Option<super::Figure>,
    /// Whether the body manages its 市民センター under 指定管理 on the counts date (a
    /// scenario's 指定管理加算).
    pub runs_center: bool,
    /// Whether the body's 地域づくり計画 covers the fiscal year (a scenario's 計画加算).
    pub has_plan: bool,
}

impl AllocationRule {
    /// The amount for one body, in yen.
    pub fn amount(&self, input: AllocationInput) -> i64 {
        match self {
            AllocationRule::Formula {
                per_body,
                per_household,
                per_capita,
                round_unit,
                cap,
                floor,
                ..
            } => {
                let raw = per_body
                    + per_household * input.households as i64
                    + per_capita * input.population as i64;
                let mut a = round_down(raw, *round_unit);
                if let Some(f) = floor {
                    a = a.max(*f);
                }
                if let Some(c) = cap {
                    a = a.min(*c);
                }
                a
            }
            AllocationRule::Rate {
                rates,
                cap,
                round_unit,
            } => {
                let year = input.project_year.max(1) as usize;
                let Some(rate) = rates.get(year - 1).or(rates.last()) else {
                    return 0;
                };
                let a = round_down(rate.of(input.eligible_cost), *round_unit);
                cap.map_or(a, |c| a.min(c))
            }
            AllocationRule::Fixed { amount } => *amount,
        }
    }

    /// The date counts are taken for fiscal year `fy` (formula rule; April 1 by default).
    pub fn counts_date(&self, fy: FiscalYear) -> Option<NaiveDate> {
        match self {
            AllocationRule::Formula { counts_date, .. } => counts_date.or(fy.start()),
            _ => fy.start(),
        }
    }

    /// A short description, e.g. `均等割 1,500,000円 + 世帯割 1,000円 + 人口割 200円 (1,000円未満切捨て)`.
    pub fn describe(&self, lang: crate::domain::lang::Lang) -> String {
        let y = |v: i64| lang.yen(v);
        let ja = lang == crate::domain::lang::Lang::Ja;
        match self {
            AllocationRule::Formula {
                per_body,
                per_household,
                per_capita,
                round_unit,
                cap,
                floor,
                ..
            } => {
                let mut s = if ja {
                    format!(
                        "均等割 {} + 世帯割 {} + 人口割 {}",
                        y(*per_body),
                        y(*per_household),
                        y(*per_capita)
                    )
                } else {
                    format!(
                        "{} per body + {} per household + {} per person",
                        y(*per_body),
                        y(*per_household),
                        y(*per_capita)
                    )
                };
                if *round_unit > 1 {
                    s += &if ja {
                        format!(" ({}未満切捨て)", y(*round_unit))
                    } else {
                        format!(" (rounded down to {})", y(*round_unit))
                    };
                }
                if let Some(f) = floor {
                    s += &if ja {
                        format!(" 下限 {}", y(*f))
                    } else {
                        format!(" floor {}", y(*f))
                    };
                }
                if let Some(c) = cap {
                    s += &if ja {
                        format!(" 上限 {}", y(*c))
                    } else {
                        format!(" cap {}", y(*c))
                    };
                }
                s
            }
            AllocationRule::Rate { rates, cap, .. } => {
                let r: Vec<String> = rates.iter().map(|f| f.to_string()).collect();
                let mut s = if ja {
                    format!("対象経費 × {} (1年目から)", r.join(", "))
                } else {
                    format!("eligible cost × {} (from year 1)", r.join(", "))
                };
                if let Some(c) = cap {
                    s += &if ja {
                        format!(" 上限 {}", y(*c))
                    } else {
                        format!(" cap {}", y(*c))
                    };
                }
                s
            }
            AllocationRule::Fixed { amount } => {
                if ja {
                    format!("定額 {}", y(*amount))
                } else {
                    format!("fixed {}", y(*amount))
                }
            }
        }
    }
}

vocab! {
    /// Where a grant stands. Moves forward only: 申請 → 交付決定 → 概算払 → 実績報告 → 額の確定 →
    /// 精算払/返還 → 完了 (issue 4, "Grant lifecycle").
    GrantState {
        /// 交付申請.
        Applied = ("applied", "申請", "Applied"),
        /// 交付決定.
        Decided = ("decided", "交付決定", "Decided"),
        /// 概算払済.
        AdvancePaid = ("advance_paid", "概算払", "Advance paid"),
        /// 実績報告.
        Reported = ("reported", "実績報告", "Reported"),
        /// 額の確定.
        Confirmed = ("confirmed", "額の確定", "Confirmed"),
        /// 精算払済.
        Settled = ("settled", "精算払", "Settled"),
        /// 返還済.
        Refunded = ("refunded", "返還", "Refunded"),
        /// 完了.
        Closed = ("closed", "完了", "Closed"),
    }
}

/// 交付申請 / 交付決定: one recipient's grant under one program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    /// Record id.
    pub id: GrantId,
    /// Program.
    pub program_id: SubsidyProgramId,
    /// 交付先: the body, 自治会 or organisation it goes to (layout 3, issue 18.1; a body
    /// before).
    pub recipient: super::Recipient,
    /// 申請額 in yen.
    pub applied_amount: i64,
    /// 申請日.
    pub applied_on: NaiveDate,
    /// 対象経費 in yen (rate programs).
    pub eligible_cost: Option<i64>,
    /// Year of the body's project, from 1 (rate programs).
    pub project_year: Option<u32>,
    /// 交付決定額 in yen.
    pub decided_amount: Option<i64>,
    /// 交付決定日.
    pub decided_on: Option<NaiveDate>,
    /// 実績報告日.
    pub reported_on: Option<NaiveDate>,
    /// 確定額 in yen.
    pub confirmed_amount: Option<i64>,
    /// 確定日.
    pub confirmed_on: Option<NaiveDate>,
    /// 完了日.
    pub closed_on: Option<NaiveDate>,
    /// Current state.
    pub state: GrantState,
    /// 事業完了日: when the body's funded project ended, from which a program's
    /// [`ReportDue::AfterProjectEnd`](super::report_due::ReportDue) counts (layout 2, issue 17.1).
    #[serde(default)]
    pub project_end: Option<NaiveDate>,
    /// 複数年度の採択 this year's grant belongs to, if any (layout 3 with the recipient; issue
    /// 18.2). Its year of the award is [`Grant::project_year`].
    #[serde(default)]
    pub award: Option<super::award::AwardId>,
}

vocab! {
    /// Kind of money movement against a grant.
    DisbursementKind {
        /// 概算払: advance payment.
        Advance = ("advance", "概算払", "Advance"),
        /// 精算払: settlement payment (confirmed − paid when positive).
        Settlement = ("settlement", "精算払", "Settlement"),
        /// 返還: money returned by the body (paid − confirmed when positive).
        Refund = ("refund", "返還", "Refund"),
    }
}

/// 概算払 / 精算払 / 返還: one payment against a grant, amount in yen (always positive; the kind
/// says the direction).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disbursement {
    /// Record id.
    pub id: DisbursementId,
    /// Grant paid against.
    pub grant_id: GrantId,
    /// Date.
    pub date: NaiveDate,
    /// Direction.
    pub kind: DisbursementKind,
    /// Yen, > 0.
    pub amount: i64,
}

/// Net yen paid to the body by `payments`: advances + settlements − refunds.
pub fn net_paid<'a>(payments: impl IntoIterator<Item = &'a Disbursement>) -> i64 {
    payments
        .into_iter()
        .map(|d| match d.kind {
            DisbursementKind::Advance | DisbursementKind::Settlement => d.amount,
            DisbursementKind::Refund => -d.amount,
        })
        .sum()
}

/// Yen paid out (advances + settlements), refunds not subtracted.
pub fn paid_out<'a>(payments: impl IntoIterator<Item = &'a Disbursement>) -> i64 {
    payments
        .into_iter()
        .filter(|d| d.kind != DisbursementKind::Refund)
        .map(|d| d.amount)
        .sum()
}

/// Yen refunded.
pub fn refunded<'a>(payments: impl IntoIterator<Item = &'a Disbursement>) -> i64 {
    payments
        .into_iter()
        .filter(|d| d.kind == DisbursementKind::Refund)
        .map(|d| d.amount)
        .sum()
}

/// A grant's money at a glance (issue 4, "Ledger").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GrantMoney {
    /// 交付決定額.
    pub decided: i64,
    /// Paid out (advances + settlements).
    pub paid: i64,
    /// Refunded.
    pub refunded: i64,
    /// 確定額, if confirmed.
    pub confirmed: Option<i64>,
    /// 返還 still due: paid − refunded − confirmed, when positive.
    pub refund_due: i64,
    /// 精算払 still due: confirmed − (paid − refunded), when positive.
    pub settlement_due: i64,
}

/// The money of `g` given its payments.
pub fn money(g: &Grant, payments: &[&Disbursement]) -> GrantMoney {
    let paid = paid_out(payments.iter().copied());
    let back = refunded(payments.iter().copied());
    let net = paid - back;
    let (refund_due, settlement_due) = match g.confirmed_amount {
        Some(c) => ((net - c).max(0), (c - net).max(0)),
        None => (0, 0),
    };
    GrantMoney {
        decided: g.decided_amount.unwrap_or(0),
        paid,
        refunded: back,
        confirmed: g.confirmed_amount,
        refund_due,
        settlement_due,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn formula(cap: Option<i64>, floor: Option<i64>) -> AllocationRule {
        AllocationRule::Formula {
            per_body: 1_000_000,
            per_household: 1_000,
            per_capita: 300,
            round_unit: 1_000,
            counts_date: None,
            cap,
            floor,
        }
    }

    fn input(h: u32, p: u32) -> AllocationInput {
        AllocationInput {
            households: h,
            population: p,
            ..Default::default()
        }
    }

    #[test]
    fn formula_rounds_down_to_unit_then_applies_floor_and_cap() {
        // 1,000,000 + 1,000 × 1,234 + 300 × 3,333 = 3,233,900 → rounded down to 3,233,000
        assert_eq!(formula(None, None).amount(input(1_234, 3_333)), 3_233_000);
        // 1,000,000 + 1,000 × 10 + 300 × 21 = 1,016,300 → 1,016,000, raised to the floor 1,200,000
        assert_eq!(
            formula(None, Some(1_200_000)).amount(input(10, 21)),
            1_200_000
        );
        // 1,000,000 + 5,000,000 + 300 × 12,001 = 9,600,300 → 9,600,000, held to the cap 5,000,000
        assert_eq!(
            formula(Some(5_000_000), None).amount(input(5_000, 12_001)),
            5_000_000
        );
        assert_eq!(AllocationRule::Fixed { amount: 5 }.amount(input(9, 9)), 5);
    }

    #[test]
    fn rate_rule_by_project_year() {
        let r = AllocationRule::Rate {
            rates: vec![
                Fraction { num: 2, den: 3 },
                Fraction { num: 1, den: 2 },
                Fraction { num: 1, den: 3 },
            ],
            cap: Some(1_500_000),
            round_unit: 1_000,
        };
        let a = |cost, year| {
            r.amount(AllocationInput {
                eligible_cost: cost,
                project_year: year,
                ..Default::default()
            })
        };
        // Year 1: 1,000,000 × 2/3 = 666,666.6… → 666,666 → 666,000
        assert_eq!(a(1_000_000, 1), 666_000);
        // Year 2: 1,000,000 × 1/2 = 500,000
        assert_eq!(a(1_000_000, 2), 500_000);
        // Year 3: 1,000,000 × 1/3 = 333,333 → 333,000
        assert_eq!(a(1_000_000, 3), 333_000);
        // Year 4 keeps the last rate; a large project is held to the cap.
        assert_eq!(a(1_000_000, 4), 333_000);
        assert_eq!(a(3_000_000, 1), 1_500_000);
    }

    #[test]
    fn fractions_are_exact() {
        assert_eq!(Fraction::parse("2/3").unwrap(), Fraction { num: 2, den: 3 });
        assert_eq!(
            Fraction::parse("１／３").unwrap(),
            Fraction { num: 1, den: 3 }
        );
        assert!(Fraction::parse("0.5").is_err());
        assert!(Fraction::parse("3/2").is_err());
        assert_eq!(
            Fraction { num: 1, den: 3 }.of(i64::MAX / 2),
            (i64::MAX / 2) / 3
        );
    }
}
