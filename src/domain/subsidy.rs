//! 交付金・補助金: subsidy programs, grants to bodies, and payments against them. Amounts are
//! integer yen (`i64`). Invariants from DOMAIN.md, "Grant invariants".

use super::{BodyId, FiscalYear};
use crate::vocab;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Record id of a [`SubsidyProgram`].
pub type SubsidyProgramId = u64;
/// Record id of a [`Grant`].
pub type GrantId = u64;
/// Record id of a [`Disbursement`].
pub type DisbursementId = u64;

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
}

/// How a program computes each body's amount (均等割 / 世帯割 / 人口割, a rate, or fixed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AllocationRule {
    /// 均等割 + 世帯割 + 人口割, rounded down to `round_unit` yen.
    Formula {
        /// 均等割: yen per body.
        per_body: i64,
        /// 世帯割: yen per household.
        per_household: i64,
        /// 人口割: yen per person.
        per_capita: i64,
        /// Rounding unit in yen (e.g. 1,000); amounts are rounded down to a multiple of it.
        round_unit: i64,
    },
    /// A fixed amount per body.
    Fixed {
        /// Yen per body.
        amount: i64,
    },
}

impl AllocationRule {
    /// Amount for a body of `households` and `population` under this rule, in yen.
    /// Formula amounts are rounded down to the rounding unit (unit ≤ 1 means no rounding).
    pub fn amount(&self, households: u32, population: u32) -> i64 {
        match *self {
            AllocationRule::Formula {
                per_body,
                per_household,
                per_capita,
                round_unit,
            } => {
                let raw =
                    per_body + per_household * households as i64 + per_capita * population as i64;
                if round_unit > 1 {
                    raw - raw.rem_euclid(round_unit)
                } else {
                    raw
                }
            }
            AllocationRule::Fixed { amount } => amount,
        }
    }
}

vocab! {
    /// Where a grant stands. Moves forward only: applied → decided → (advance paid) → reported
    /// → confirmed → settled/refunded → closed (DOMAIN.md, "Grant invariants").
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

/// 交付申請 / 交付決定: one body's grant under one program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    /// Record id.
    pub id: GrantId,
    /// Program.
    pub program_id: SubsidyProgramId,
    /// Recipient body.
    pub body_id: BodyId,
    /// 申請額 in yen.
    pub applied_amount: i64,
    /// 申請日.
    pub applied_on: NaiveDate,
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
    /// Current state.
    pub state: GrantState,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_rounds_down_to_unit() {
        let r = AllocationRule::Formula {
            per_body: 1_000_000,
            per_household: 1_000,
            per_capita: 300,
            round_unit: 1_000,
        };
        // 1,000,000 + 1,000 × 1,234 + 300 × 3,333 = 3,233,900 → rounded down to 3,233,000
        assert_eq!(r.amount(1_234, 3_333), 3_233_000);
        assert_eq!(AllocationRule::Fixed { amount: 5 }.amount(9, 9), 5);
    }
}
