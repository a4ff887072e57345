//! A multi-year award's years side by side (issue 18.2: "the ledger shows an award's years
//! together"): for a grant under an award, which year it is and every year's grant of the award.

use crate::domain::award::{Award, AwardId};
use crate::domain::{FiscalYear, Grant, GrantState, SubsidyProgram, SubsidyProgramId};
use crate::store::{Store, StoreError};
use std::collections::BTreeMap;

/// One award's years as the ledger shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwardYears {
    /// 採択番号.
    pub number: String,
    /// Which year of the award this grant is (1-based).
    pub year: u32,
    /// 採択期間 in years.
    pub years: u32,
    /// The award's first fiscal year.
    pub first_fy: FiscalYear,
    /// Every year of the award in order: the fiscal year and, when granted, the decided (else
    /// applied) amount in yen and the grant's state.
    pub list: Vec<(FiscalYear, Option<(i64, GrantState)>)>,
}

/// Awards and their grants by year, read once for a screen or report.
#[derive(Debug, Default)]
pub struct AwardIndex {
    awards: BTreeMap<AwardId, Award>,
    years: BTreeMap<AwardId, BTreeMap<FiscalYear, (i64, GrantState)>>,
}

impl AwardIndex {
    /// Reads the awards that `grants` name, taking their years from `programs` (already read
    /// by the caller); reads nothing when no grant names an award (the common case costs no
    /// tree scan).
    ///
    /// Errors: the awards tree cannot be read whole.
    pub fn load(
        store: &Store,
        programs: &[SubsidyProgram],
        grants: &[Grant],
    ) -> Result<AwardIndex, StoreError> {
        if !grants.iter().any(|g| g.award.is_some()) {
            return Ok(AwardIndex::default());
        }
        let fy: BTreeMap<SubsidyProgramId, FiscalYear> =
            programs.iter().map(|p| (p.id, p.fiscal_year)).collect();
        let mut years: BTreeMap<AwardId, BTreeMap<FiscalYear, (i64, GrantState)>> = BTreeMap::new();
        for g in grants {
            if let (Some(a), Some(y)) = (g.award, fy.get(&g.program_id)) {
                years
                    .entry(a)
                    .or_default()
                    .insert(*y, (crate::domain::award::counted(g), g.state));
            }
        }
        Ok(AwardIndex {
            awards: store
                .list::<Award>()
                .whole()?
                .into_iter()
                .map(|a| (a.id, a))
                .collect(),
            years,
        })
    }

    /// The award years of grant `g` of fiscal year `fy`, when it is under an award.
    pub fn of(&self, g: &Grant, fy: FiscalYear) -> Option<AwardYears> {
        let a = self.awards.get(&g.award?)?;
        let granted = self.years.get(&a.id);
        Some(AwardYears {
            number: a.number.clone(),
            year: a.year_of(fy).unwrap_or(0),
            years: a.years,
            first_fy: a.first_fy,
            list: (0..a.years as i32)
                .map(|i| {
                    let y = FiscalYear(a.first_fy.0 + i);
                    (y, granted.and_then(|m| m.get(&y).copied()))
                })
                .collect(),
        })
    }
}
