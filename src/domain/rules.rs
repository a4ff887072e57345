//! Validation rules shared by every way of entering data (TUI forms, `kyodo log`, import).
//! Each returns a message that says what is wrong and how to fix it.

use super::{Assignment, Disbursement, DisbursementKind, Grant};
use chrono::NaiveDate;

/// An assignment period must not end before it starts (issue 3, "Validation").
pub fn assignment_period(from: NaiveDate, to: Option<NaiveDate>) -> Result<(), String> {
    match to {
        Some(t) if t < from => Err(format!(
            "the period ends ({t}) before it starts ({from}); make the end date on or after the start"
        )),
        _ => Ok(()),
    }
}

/// Checks a whole assignment.
pub fn assignment(a: &Assignment) -> Result<(), String> {
    assignment_period(a.from, a.to)
}

/// A tally counts at least one consultation.
pub fn tally_count(count: u32) -> Result<(), String> {
    if count == 0 {
        Err("count must be at least 1".into())
    } else {
        Ok(())
    }
}

/// A payment against `grant`, given the payments already made (`existing`, not including the
/// one being edited), must keep paid ≤ decided (DOMAIN.md, "Grant invariants"). Refunds reduce
/// what was paid and cannot exceed it. Amounts in yen.
pub fn payment(grant: &Grant, existing: &[Disbursement], new: &Disbursement) -> Result<(), String> {
    if new.amount <= 0 {
        return Err("amount must be more than 0 yen".into());
    }
    let paid: i64 = existing
        .iter()
        .filter(|d| d.kind != DisbursementKind::Refund)
        .map(|d| d.amount)
        .sum();
    let refunded: i64 = existing
        .iter()
        .filter(|d| d.kind == DisbursementKind::Refund)
        .map(|d| d.amount)
        .sum();
    match new.kind {
        DisbursementKind::Refund => {
            if refunded + new.amount > paid {
                return Err(format!(
                    "a refund of {} would return more than was paid ({} paid, {} already refunded)",
                    super::money::yen_ja(new.amount),
                    super::money::yen_ja(paid),
                    super::money::yen_ja(refunded)
                ));
            }
        }
        _ => {
            let Some(decided) = grant.decided_amount else {
                return Err("no amount has been decided (交付決定) for this grant yet; record the decision first".into());
            };
            if paid + new.amount > decided {
                return Err(format!(
                    "paying {} would make paid {} exceed decided {} (already paid {}; at most {} can still be paid)",
                    super::money::yen_ja(new.amount),
                    super::money::yen_ja(paid + new.amount),
                    super::money::yen_ja(decided),
                    super::money::yen_ja(paid),
                    super::money::yen_ja((decided - paid).max(0))
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::GrantState;

    fn grant(decided: Option<i64>) -> Grant {
        Grant {
            id: 1,
            program_id: 1,
            body_id: 1,
            applied_amount: 1_000_000,
            applied_on: NaiveDate::from_ymd_opt(2024, 4, 10).unwrap(),
            decided_amount: decided,
            decided_on: None,
            reported_on: None,
            confirmed_amount: None,
            confirmed_on: None,
            state: GrantState::Decided,
        }
    }

    fn pay(kind: DisbursementKind, amount: i64) -> Disbursement {
        Disbursement {
            id: 0,
            grant_id: 1,
            date: NaiveDate::from_ymd_opt(2024, 5, 1).unwrap(),
            kind,
            amount,
        }
    }

    #[test]
    fn paid_never_exceeds_decided() {
        let g = grant(Some(1_000_000));
        let done = [pay(DisbursementKind::Advance, 800_000)];
        assert!(payment(&g, &done, &pay(DisbursementKind::Settlement, 200_000)).is_ok());
        let e = payment(&g, &done, &pay(DisbursementKind::Settlement, 200_001)).unwrap_err();
        assert!(
            e.contains("1,000,001円") && e.contains("1,000,000円") && e.contains("200,000円"),
            "{e}"
        );
        assert!(payment(&grant(None), &[], &pay(DisbursementKind::Advance, 1)).is_err());
        assert!(payment(&g, &done, &pay(DisbursementKind::Refund, 800_001)).is_err());
        assert!(payment(&g, &done, &pay(DisbursementKind::Refund, 100_000)).is_ok());
        assert!(payment(&g, &done, &pay(DisbursementKind::Advance, 0)).is_err());
    }

    #[test]
    fn periods() {
        let d = |m| NaiveDate::from_ymd_opt(2024, m, 1).unwrap();
        assert!(assignment_period(d(4), Some(d(3))).is_err());
        assert!(assignment_period(d(4), Some(d(4))).is_ok());
        assert!(assignment_period(d(4), None).is_ok());
    }
}
