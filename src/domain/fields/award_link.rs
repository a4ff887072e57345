//! Fields that tie grants to multi-year awards (issue 18.2, seed 002 「最長3年、年150万円以内」):
//! a program's multi-year terms, and a grant's `award` checked against its award.

use super::*;

/// Reads a program's multi-year terms (issue 18.2, seed 002 「最長3年、年150万円以内」): none
/// when `award_years` is empty.
pub(super) fn read_award_terms(
    r: &mut dyn FieldReader,
) -> Option<crate::domain::award::AwardTerms> {
    let years = r.opt("award_years").map(|_| r.num("award_years"));
    let cap = r.opt_yen("award_year_cap");
    let total_cap = r.opt_yen("award_total_cap");
    let plan_min_years = r.opt("plan_min_years").map(|_| r.num("plan_min_years"));
    let Some(max_years) = years else {
        for (key, given) in [
            ("award_year_cap", cap.is_some()),
            ("award_total_cap", total_cap.is_some()),
            ("plan_min_years", plan_min_years.is_some()),
        ] {
            if given {
                let v = r.raw(key);
                r.error(
                    key,
                    &v,
                    t(
                        "複数年度の条件には最長年数(award_years)も入れてください",
                        "multi-year terms need award_years (the most years an award runs) too",
                    ),
                );
            }
        }
        return None;
    };
    if max_years == 0 {
        r.error(
            "award_years",
            "0",
            t("最長年数は1年以上です", "award_years must be 1 or more"),
        );
    }
    let Some(year_cap) = cap else {
        r.error(
            "award_year_cap",
            "",
            t(
                "複数年度の交付には年度ごとの上限額(award_year_cap)を入れてください",
                "a multi-year program needs award_year_cap (the most a year's grant may be)",
            ),
        );
        return None;
    };
    Some(crate::domain::award::AwardTerms {
        max_years,
        year_cap,
        total_cap,
        plan_min_years,
    })
}

/// Reads the grant's `award` (its 採択番号) and checks the grant against it (issue 18.2, seed
/// 002): same program and recipient, a year within the award's years, the yearly and total
/// caps; a program with multi-year terms takes no grant without its award. Sets the grant's
/// `project_year` to its year of the award.
pub(super) fn read_award_link(r: &mut dyn FieldReader, res: &dyn Resolver, g: &mut Grant) {
    let label = r.opt("award");
    let terms = res.award_terms(g.program_id);
    let Some(label) = label else {
        if terms.is_some() && r.ok() {
            r.error(
                "award",
                "",
                t(
                    "この交付金は複数年度の採択に基づいて交付します: 採択番号(award)を入れてください",
                    "this program funds multi-year awards: give the grant's award (its number)",
                ),
            );
        }
        return;
    };
    let id = match res.labelled(RecordKind::Award, &label) {
        Ok(id) => id,
        Err(e) => return r.error("award", &label, e),
    };
    g.award = Some(id);
    let facts = res.award(id);
    let (Some(award), Some(terms)) = (facts.award, facts.terms) else {
        return;
    };
    if !r.ok() {
        return;
    }
    let (program, fy) = res.program_of(g.program_id);
    if program != award.program || g.recipient != award.recipient {
        return r.error(
            "award",
            &label,
            t(
                format!(
                    "採択 {label} は {} の {} への採択です",
                    award.program,
                    award.recipient.name(res)
                ),
                format!(
                    "award {label} is under {} to {}",
                    award.program,
                    award.recipient.name(res)
                ),
            ),
        );
    }
    let amount = crate::domain::award::counted(g);
    match crate::domain::award::check_year(&award, &terms, fy, amount, &facts.years) {
        Ok(k) => match g.project_year {
            None => g.project_year = Some(k),
            Some(p) if p != k => r.error(
                "project_year",
                &p.to_string(),
                t(
                    format!("採択 {label} では {} は{k}年目です", fy.ja_label()),
                    format!("FY{} is year {k} of award {label}", fy.0),
                ),
            ),
            Some(_) => {}
        },
        Err(e) => {
            let key = if amount > terms.year_cap || award.year_of(fy).is_some() {
                if g.decided_amount.is_some() {
                    "decided_amount"
                } else {
                    "applied_amount"
                }
            } else {
                "award"
            };
            let v = r.raw(key);
            r.error(key, &v, e);
        }
    }
}
