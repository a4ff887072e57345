//! Validation rules shared by every way of entering data (TUI forms, `kyodo log`, import).
//! Each returns a message that says what is wrong and how to fix it.

use super::{Assignment, Disbursement, DisbursementKind, Grant, Staff, Text};
use chrono::NaiveDate;

/// An assignment period must not end before it starts (issue 3, "Validation").
pub fn assignment_period(from: NaiveDate, to: Option<NaiveDate>) -> Result<(), Text> {
    match to {
        Some(t) if t < from => Err(Text::new(
            format!("終了日({t})が開始日({from})より前です。終了日を開始日以降にしてください"),
            format!(
                "the period ends ({t}) before it starts ({from}); make the end date on or after the start"
            ),
        )),
        _ => Ok(()),
    }
}

/// Checks a whole assignment.
pub fn assignment(a: &Assignment) -> Result<(), Text> {
    assignment_period(a.from, a.to)
}

/// A tally counts at least one consultation.
pub fn tally_count(count: u32) -> Result<(), Text> {
    if count == 0 {
        Err(Text::new(
            "件数は1以上にしてください",
            "count must be at least 1",
        ))
    } else {
        Ok(())
    }
}

/// A payment against `grant`, given the payments already made (`existing`, not including the
/// one being edited), must keep paid ≤ decided (docs/DOMAIN.md, "Grant invariants"). Refunds reduce
/// what was paid and cannot exceed it. Amounts in yen.
pub fn payment(grant: &Grant, existing: &[Disbursement], new: &Disbursement) -> Result<(), Text> {
    if new.amount <= 0 {
        return Err(Text::new(
            "金額は1円以上にしてください",
            "amount must be more than 0 yen",
        ));
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
                let (a, p, r) = (
                    super::money::yen_ja(new.amount),
                    super::money::yen_ja(paid),
                    super::money::yen_ja(refunded),
                );
                return Err(Text::new(
                    format!("{a} の返還は支払済額を超えます(支払済 {p}、返還済 {r})"),
                    format!(
                        "a refund of {a} would return more than was paid ({p} paid, {r} already refunded)"
                    ),
                ));
            }
        }
        _ => {
            let Some(decided) = grant.decided_amount else {
                return Err(Text::new(
                    "この交付金はまだ交付決定額がありません。先に交付決定を記録してください",
                    "no amount has been decided (交付決定) for this grant yet; record the decision first",
                ));
            };
            if paid + new.amount > decided {
                return Err(over_decided(new.amount, paid, decided));
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
            recipient: crate::domain::Recipient::Body(1),
            applied_amount: 1_000_000,
            applied_on: NaiveDate::from_ymd_opt(2024, 4, 10).unwrap(),
            eligible_cost: None,
            project_year: None,
            decided_amount: decided,
            decided_on: None,
            reported_on: None,
            confirmed_amount: None,
            confirmed_on: None,
            closed_on: None,
            state: GrantState::Decided,
            project_end: None,
            award: None,
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
        let e = payment(&g, &done, &pay(DisbursementKind::Settlement, 200_001))
            .unwrap_err()
            .en;
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
    fn logins_are_unix_names_held_by_one_active_person() {
        let person = |id, login: &str, active| Staff {
            id,
            name: format!("職員{id}"),
            kana: String::new(),
            organization: crate::domain::Organization::City,
            section: String::new(),
            login: Some(login.to_string()),
            role: crate::domain::Role::Viewer,
            active,
        };
        let all = vec![person(1, "sato", true), person(2, "old", false)];
        assert!(
            staff_login(&person(1, "sato", true), &all).is_ok(),
            "itself"
        );
        let e = staff_login(&person(3, "sato", true), &all).unwrap_err();
        assert!(e.en.contains("職員1 (#1)"), "{}", e.en);
        assert!(staff_login(&person(3, "sato", false), &all).is_ok());
        assert!(
            staff_login(&person(3, "old", true), &all).is_ok(),
            "retired holder"
        );
        for bad in ["", "-x", "佐藤", "a b", "x;rm", &"a".repeat(33)] {
            assert!(staff_login(&person(3, bad, true), &all).is_err(), "{bad:?}");
        }
        assert!(staff_login(&person(3, "sato.hanako_2-b", true), &all).is_ok());
    }

    #[test]
    fn periods() {
        let d = |m| NaiveDate::from_ymd_opt(2024, m, 1).unwrap();
        assert!(assignment_period(d(4), Some(d(3))).is_err());
        assert!(assignment_period(d(4), Some(d(4))).is_ok());
        assert!(assignment_period(d(4), None).is_ok());
    }
}

/// A staff member's OS login, used to know who is at the keyboard (and, on a shared server, to
/// map the socket's peer user to a role; docs/DESIGN.md, "Shared use on one server"). It must look
/// like a Unix user name (1–32 characters: ASCII letters, digits, `.`, `_`, `-`; not starting
/// with `-`), and no other *active* staff member may hold it, or the login would be ambiguous.
/// `others` may include `staff` itself (matched by id and ignored). No login is always allowed.
pub fn staff_login(staff: &Staff, others: &[Staff]) -> Result<(), Text> {
    let Some(login) = staff.login.as_deref() else {
        return Ok(());
    };
    let well_formed = !login.is_empty()
        && login.len() <= 32
        && !login.starts_with('-')
        && login
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if !well_formed {
        return Err(Text::new(
            format!(
                "ログイン「{login}」はOSのユーザー名の形ではありません。英数字と . _ - で32文字以内にしてください(例: sato.hanako)"
            ),
            format!(
                "login {login:?} is not an OS user name; use up to 32 ASCII letters, digits, '.', '_' or '-' (e.g. sato.hanako)"
            ),
        ));
    }
    if staff.active
        && let Some(other) = others
            .iter()
            .find(|o| o.id != staff.id && o.active && o.login.as_deref() == Some(login))
    {
        return Err(Text::new(
            format!(
                "ログイン「{login}」はすでに{}(#{})が使っています。別のログインにするか、先にその職員を退職にしてください",
                other.name, other.id
            ),
            format!(
                "login {login:?} already belongs to {} (#{}); choose another, or deactivate that staff member first",
                other.name, other.id
            ),
        ));
    }
    Ok(())
}

/// The refusal of a payment of `amount` that would take paid (`paid` so far) over `decided`,
/// with every number (docs/DOMAIN.md, "Grant invariants": paid ≤ decided). Yen.
pub fn over_decided(amount: i64, paid: i64, decided: i64) -> Text {
    let y = super::money::yen_ja;
    let (a, total, d, p, left) = (
        y(amount),
        y(paid + amount),
        y(decided),
        y(paid),
        y((decided - paid).max(0)),
    );
    Text::new(
        format!(
            "{a} を支払うと支払済額が {total} になり、交付決定額 {d} を超えます(支払済 {p}、残り {left} まで支払えます)"
        ),
        format!(
            "paying {a} would make paid {total} exceed decided {d} (already paid {p}; at most {left} can still be paid)"
        ),
    )
}

/// 人事異動 (April rotation): copies fiscal year `fy`'s assignments into the next one. Every
/// assignment that continues past `fy`'s last day is closed on that day, and an identical one
/// starts on April 1 of the next year, for the coordinator to adjust. Assignments that end on or
/// before the last day are not copied. Running it twice changes nothing more.
/// Returns the records to write (closed ones keep their id; new ones have id 0).
pub fn rotate(assignments: &[Assignment], fy: super::FiscalYear) -> Vec<Assignment> {
    let (Some(end), Some(next_start)) = (fy.end(), fy.next().start()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for a in assignments {
        if a.from <= end && a.to.is_none_or(|t| t > end) {
            let mut closed = a.clone();
            closed.to = Some(end);
            let mut copy = a.clone();
            copy.id = 0;
            copy.from = next_start;
            out.push(closed);
            out.push(copy);
        }
    }
    out
}

#[cfg(test)]
mod rotate_tests {
    use super::*;
    use crate::domain::{FiscalYear, TeamRole};

    #[test]
    fn rotation_closes_and_copies_once() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let a = |id, from, to| Assignment {
            id,
            staff_id: id,
            body_id: 1,
            from,
            to,
            role: TeamRole::Member,
        };
        let list = vec![
            a(1, d(2021, 4, 1), None),                  // continues: copied
            a(2, d(2021, 4, 1), Some(d(2024, 3, 31))),  // leaves at year end: not copied
            a(3, d(2023, 10, 1), Some(d(2025, 3, 31))), // continues to a later end: copied with it
            a(4, d(2024, 4, 1), None),                  // starts next year: untouched
        ];
        let out = rotate(&list, FiscalYear(2023));
        assert_eq!(out.len(), 4);
        assert_eq!((out[0].id, out[0].to), (1, Some(d(2024, 3, 31))));
        assert_eq!(
            (out[1].id, out[1].from, out[1].to),
            (0, d(2024, 4, 1), None)
        );
        assert_eq!(
            (out[3].id, out[3].from, out[3].to),
            (0, d(2024, 4, 1), Some(d(2025, 3, 31)))
        );
        // Applying the result and rotating again finds nothing to do.
        let mut after: Vec<Assignment> = list
            .iter()
            .filter(|x| x.id == 2 || x.id == 4)
            .cloned()
            .collect();
        after.extend(out.into_iter().enumerate().map(|(i, mut x)| {
            if x.id == 0 {
                x.id = 10 + i as u64;
            }
            x
        }));
        assert!(rotate(&after, FiscalYear(2023)).is_empty());
    }
}
