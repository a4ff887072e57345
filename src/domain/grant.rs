//! The grant lifecycle (issue 4, "Grant lifecycle"): 申請 → 交付決定 → 概算払 (zero or more) →
//! 実績報告 → 額の確定 → 精算払 or 返還 → 完了, each step dated, only forward. Every step is
//! checked against the invariants of docs/DOMAIN.md ("Grant invariants") before it is allowed.

#[cfg(test)]
use super::Recipient;
use super::money::yen_ja;
use super::{Disbursement, DisbursementKind, Grant, GrantState, SubsidyProgram, Text, money};
use chrono::NaiveDate;

/// A step of the lifecycle. Amounts in yen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// 交付決定 of `amount`.
    Decide(NaiveDate, i64),
    /// 概算払 of `amount`.
    Advance(NaiveDate, i64),
    /// 実績報告 received.
    Report(NaiveDate),
    /// 額の確定 at `amount`.
    Confirm(NaiveDate, i64),
    /// 精算払 of what is due (confirmed − paid).
    Settle(NaiveDate),
    /// 返還 received of what is due (paid − confirmed).
    Refund(NaiveDate),
    /// 完了.
    Close(NaiveDate),
}

/// The kinds of step, for choosing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    /// See [`Step::Decide`].
    Decide,
    /// See [`Step::Advance`].
    Advance,
    /// See [`Step::Report`].
    Report,
    /// See [`Step::Confirm`].
    Confirm,
    /// See [`Step::Settle`].
    Settle,
    /// See [`Step::Refund`].
    Refund,
    /// See [`Step::Close`].
    Close,
}

impl StepKind {
    /// Every kind, in lifecycle order.
    pub const ALL: [StepKind; 7] = [
        StepKind::Decide,
        StepKind::Advance,
        StepKind::Report,
        StepKind::Confirm,
        StepKind::Settle,
        StepKind::Refund,
        StepKind::Close,
    ];

    /// Japanese term.
    pub fn ja(self) -> &'static str {
        match self {
            StepKind::Decide => "交付決定",
            StepKind::Advance => "概算払",
            StepKind::Report => "実績報告",
            StepKind::Confirm => "額の確定",
            StepKind::Settle => "精算払",
            StepKind::Refund => "返還",
            StepKind::Close => "完了",
        }
    }

    /// English term (as the ledger's states are said in English).
    pub fn en(self) -> &'static str {
        match self {
            StepKind::Decide => "Decide",
            StepKind::Advance => "Advance payment",
            StepKind::Report => "Results report",
            StepKind::Confirm => "Confirm amount",
            StepKind::Settle => "Settlement payment",
            StepKind::Refund => "Refund",
            StepKind::Close => "Close",
        }
    }

    /// Reads the Japanese term.
    pub fn parse(s: &str) -> Option<StepKind> {
        StepKind::ALL.into_iter().find(|k| k.ja() == s.trim())
    }

    /// Whether it takes an amount typed by the user.
    pub fn takes_amount(self) -> bool {
        matches!(
            self,
            StepKind::Decide | StepKind::Advance | StepKind::Confirm
        )
    }
}

impl Step {
    /// The step's kind.
    pub fn kind(self) -> StepKind {
        match self {
            Step::Decide(..) => StepKind::Decide,
            Step::Advance(..) => StepKind::Advance,
            Step::Report(..) => StepKind::Report,
            Step::Confirm(..) => StepKind::Confirm,
            Step::Settle(..) => StepKind::Settle,
            Step::Refund(..) => StepKind::Refund,
            Step::Close(..) => StepKind::Close,
        }
    }

    fn date(self) -> NaiveDate {
        match self {
            Step::Decide(d, _) | Step::Advance(d, _) | Step::Confirm(d, _) => d,
            Step::Report(d) | Step::Settle(d) | Step::Refund(d) | Step::Close(d) => d,
        }
    }
}

/// The latest date recorded on the grant or its payments (a step may not be dated before it).
fn last_date(g: &Grant, payments: &[&Disbursement]) -> NaiveDate {
    [
        Some(g.applied_on),
        g.decided_on,
        g.reported_on,
        g.confirmed_on,
        g.closed_on,
    ]
    .into_iter()
    .flatten()
    .chain(payments.iter().map(|p| p.date))
    .max()
    .unwrap_or(g.applied_on)
}

/// The steps allowed now, in lifecycle order.
pub fn next_steps(g: &Grant, payments: &[&Disbursement]) -> Vec<StepKind> {
    let m = money(g, payments);
    use GrantState as S;
    let mut v = Vec::new();
    match g.state {
        S::Applied => v.push(StepKind::Decide),
        S::Decided | S::AdvancePaid => {
            if m.paid < m.decided {
                v.push(StepKind::Advance);
            }
            v.push(StepKind::Report);
        }
        S::Reported => v.push(StepKind::Confirm),
        S::Confirmed => {
            if m.settlement_due > 0 {
                v.push(StepKind::Settle);
            }
            if m.refund_due > 0 {
                v.push(StepKind::Refund);
            }
            if m.settlement_due == 0 && m.refund_due == 0 {
                v.push(StepKind::Close);
            }
        }
        S::Settled | S::Refunded => v.push(StepKind::Close),
        S::Closed => {}
    }
    v
}

fn refuse(ja: String, en: String) -> Text {
    Text::new(ja, en)
}

/// Applies `step` to grant `g` with its `payments`: the updated grant and, for payments, the new
/// disbursement (id 0). The program's decided total must stay within its budget unless the
/// program allows it (`others_decided` = decided total of the program's other grants).
///
/// Errors: a message (both languages) when the step is not allowed now, is dated before the
/// last step, or would break an invariant (paid ≤ decided; confirmed ≤ decided; budget).
pub fn apply(
    g: &Grant,
    payments: &[&Disbursement],
    program: &SubsidyProgram,
    others_decided: i64,
    step: Step,
) -> Result<(Grant, Option<Disbursement>), Text> {
    let kind = step.kind();
    if !next_steps(g, payments).contains(&kind) {
        return Err(refuse(
            format!(
                "今の状態({})からは「{}」に進めません。手続きは順番にしか進めません",
                g.state.ja(),
                kind.ja()
            ),
            format!(
                "'{}' is not possible from state {}; steps go forward in order",
                kind.ja(),
                g.state.en()
            ),
        ));
    }
    let last = last_date(g, payments);
    if step.date() < last {
        return Err(refuse(
            format!(
                "{}の日付 {} が前の手続きの日 {last} より前です",
                kind.ja(),
                step.date()
            ),
            format!(
                "{} is dated {}, before the previous step ({last})",
                kind.ja(),
                step.date()
            ),
        ));
    }
    let m = money(g, payments);
    let mut next = g.clone();
    let mut pay = None;
    let payment = |kind, date, amount| Disbursement {
        id: 0,
        grant_id: g.id,
        date,
        kind,
        amount,
    };
    match step {
        Step::Decide(on, amount) => {
            if amount <= 0 {
                return Err(refuse(
                    "交付決定額は1円以上にしてください".into(),
                    "the decided amount must be more than 0 yen".into(),
                ));
            }
            let total = others_decided + amount;
            if total > program.budget && program.over_budget_reason.is_none() {
                return Err(refuse(
                    format!(
                        "交付決定額の合計が {} になり、予算額 {} を超えます(超過 {})。認める場合は交付金に理由を記録してください",
                        yen_ja(total),
                        yen_ja(program.budget),
                        yen_ja(total - program.budget)
                    ),
                    format!(
                        "the program's decided total would be {}, over its budget {} by {}; record a reason on the program to allow it",
                        yen_ja(total),
                        yen_ja(program.budget),
                        yen_ja(total - program.budget)
                    ),
                ));
            }
            next.decided_amount = Some(amount);
            next.decided_on = Some(on);
            next.state = GrantState::Decided;
        }
        Step::Advance(on, amount) => {
            if amount <= 0 {
                return Err(refuse(
                    "金額は1円以上にしてください".into(),
                    "amount must be more than 0 yen".into(),
                ));
            }
            if m.paid + amount > m.decided {
                return Err(super::rules::over_decided(amount, m.paid, m.decided));
            }
            pay = Some(payment(DisbursementKind::Advance, on, amount));
            next.state = GrantState::AdvancePaid;
        }
        Step::Report(on) => {
            next.reported_on = Some(on);
            next.state = GrantState::Reported;
        }
        Step::Confirm(on, amount) => {
            if amount < 0 || amount > m.decided {
                return Err(refuse(
                    format!(
                        "確定額 {} は 0円 以上、交付決定額 {} 以下にしてください",
                        yen_ja(amount),
                        yen_ja(m.decided)
                    ),
                    format!(
                        "the confirmed amount {} must be between 0 and the decided {}",
                        yen_ja(amount),
                        yen_ja(m.decided)
                    ),
                ));
            }
            next.confirmed_amount = Some(amount);
            next.confirmed_on = Some(on);
            next.state = GrantState::Confirmed;
        }
        Step::Settle(on) => {
            pay = Some(payment(DisbursementKind::Settlement, on, m.settlement_due));
            next.state = GrantState::Settled;
        }
        Step::Refund(on) => {
            pay = Some(payment(DisbursementKind::Refund, on, m.refund_due));
            next.state = GrantState::Refunded;
        }
        Step::Close(on) => {
            next.closed_on = Some(on);
            next.state = GrantState::Closed;
        }
    }
    Ok((next, pay))
}

/// Every invariant `g` and its payments break, as messages (empty when sound):
/// paid ≤ decided; refunds ≤ paid; confirmed ≤ decided; once settled, refunded or closed,
/// net paid = confirmed.
pub fn invariants(g: &Grant, payments: &[&Disbursement]) -> Vec<Text> {
    let m = money(g, payments);
    let mut out = Vec::new();
    match g.decided_amount {
        Some(d) if m.paid > d => out.push(Text::new(
            format!(
                "支払済 {} が交付決定額 {} を超えています",
                yen_ja(m.paid),
                yen_ja(d)
            ),
            format!(
                "paid {} exceeds decided {} (paid ≤ decided)",
                yen_ja(m.paid),
                yen_ja(d)
            ),
        )),
        None if m.paid > 0 => out.push(Text::new(
            "交付決定の前に支払があります",
            "payments made before a decided amount (交付決定)",
        )),
        _ => {}
    }
    if m.refunded > m.paid {
        out.push(Text::new(
            format!(
                "返還 {} が支払済 {} を超えています",
                yen_ja(m.refunded),
                yen_ja(m.paid)
            ),
            format!(
                "refunded {} exceeds paid {}",
                yen_ja(m.refunded),
                yen_ja(m.paid)
            ),
        ));
    }
    if let (Some(c), Some(d)) = (g.confirmed_amount, g.decided_amount)
        && c > d
    {
        out.push(Text::new(
            format!(
                "確定額 {} が交付決定額 {} を超えています",
                yen_ja(c),
                yen_ja(d)
            ),
            format!(
                "confirmed {} exceeds decided {} (confirmed ≤ decided)",
                yen_ja(c),
                yen_ja(d)
            ),
        ));
    }
    if matches!(
        g.state,
        GrantState::Settled | GrantState::Refunded | GrantState::Closed
    ) && let Some(c) = g.confirmed_amount
        && m.paid - m.refunded != c
    {
        out.push(Text::new(
            format!(
                "{}ですが、差引支払額 {} が確定額 {} と一致しません",
                g.state.ja(),
                yen_ja(m.paid - m.refunded),
                yen_ja(c)
            ),
            format!(
                "state {} but net paid {} differs from confirmed {}",
                g.state.en(),
                yen_ja(m.paid - m.refunded),
                yen_ja(c)
            ),
        ));
    }
    out
}

/// The program's budget rule: the decided total may not exceed the budget unless the program
/// records a reason. Returns the message when broken.
pub fn budget_problem(program: &SubsidyProgram, decided_total: i64) -> Option<Text> {
    (decided_total > program.budget && program.over_budget_reason.is_none()).then(|| {
        Text::new(
            format!(
                "交付決定額の合計 {} が予算額 {} を超えています(理由の記録なし)",
                yen_ja(decided_total),
                yen_ja(program.budget)
            ),
            format!(
                "decided total {} exceeds the budget {} with no reason recorded",
                yen_ja(decided_total),
                yen_ja(program.budget)
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AllocationRule, FiscalYear};

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, m, day).unwrap()
    }

    fn program(budget: i64) -> SubsidyProgram {
        SubsidyProgram {
            id: 1,
            name: "地域づくり交付金".into(),
            fiscal_year: FiscalYear(2024),
            budget,
            rule: AllocationRule::Fixed { amount: 0 },
            over_budget_reason: None,
            report_due: Default::default(),
            award_terms: None,
        }
    }

    fn grant() -> Grant {
        Grant {
            id: 7,
            program_id: 1,
            recipient: Recipient::Body(1),
            applied_amount: 1_000_000,
            applied_on: d(4, 10),
            eligible_cost: None,
            project_year: None,
            decided_amount: None,
            decided_on: None,
            reported_on: None,
            confirmed_amount: None,
            confirmed_on: None,
            closed_on: None,
            state: GrantState::Applied,
            project_end: None,
            award: None,
        }
    }

    #[test]
    fn a_whole_year_with_a_refund() {
        let p = program(10_000_000);
        let mut pays: Vec<Disbursement> = Vec::new();
        let mut g = grant();
        let run = |g: &mut Grant, pays: &mut Vec<Disbursement>, s| {
            let refs: Vec<&Disbursement> = pays.iter().collect();
            let (n, pay) = apply(g, &refs, &p, 0, s).unwrap();
            *g = n;
            pays.extend(pay);
        };
        run(&mut g, &mut pays, Step::Decide(d(5, 1), 1_000_000));
        run(&mut g, &mut pays, Step::Advance(d(5, 20), 800_000));
        run(&mut g, &mut pays, Step::Report(d(8, 1)));
        run(&mut g, &mut pays, Step::Confirm(d(9, 1), 700_000));
        let refs: Vec<&Disbursement> = pays.iter().collect();
        assert_eq!(money(&g, &refs).refund_due, 100_000);
        assert_eq!(next_steps(&g, &refs), vec![StepKind::Refund]);
        run(&mut g, &mut pays, Step::Refund(d(9, 20)));
        run(&mut g, &mut pays, Step::Close(d(9, 30)));
        let refs: Vec<&Disbursement> = pays.iter().collect();
        assert_eq!(g.state, GrantState::Closed);
        assert_eq!(crate::domain::net_paid(refs.iter().copied()), 700_000);
        assert!(invariants(&g, &refs).is_empty());
    }

    #[test]
    fn refused_steps_say_why() {
        let p = program(1_500_000);
        let g = grant();
        let e = apply(&g, &[], &p, 1_000_000, Step::Decide(d(5, 1), 600_000)).unwrap_err();
        assert!(
            e.en.contains("over its budget 1,500,000円 by 100,000円"),
            "{e}"
        );
        assert!(
            apply(&g, &[], &p, 0, Step::Report(d(5, 1)))
                .unwrap_err()
                .en
                .contains("steps go forward")
        );
        let (g, _) = apply(&g, &[], &p, 0, Step::Decide(d(5, 1), 1_000_000)).unwrap();
        assert!(
            apply(&g, &[], &p, 0, Step::Advance(d(4, 30), 1))
                .unwrap_err()
                .en
                .contains("before the previous step")
        );
        assert!(
            apply(&g, &[], &p, 0, Step::Advance(d(5, 2), 1_000_001))
                .unwrap_err()
                .en
                .contains("exceed decided")
        );
        let mut allowed = p.clone();
        allowed.over_budget_reason = Some("補正予算".into());
        assert!(
            apply(
                &grant(),
                &[],
                &allowed,
                1_000_000,
                Step::Decide(d(5, 1), 600_000)
            )
            .is_ok()
        );
    }
}
