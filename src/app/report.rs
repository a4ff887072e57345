//! The indicator report: each indicator's value, baseline, target and achievement for a fiscal
//! year. The dashboard and `kyodo report` both call this, so they show the same figures.

use crate::domain::*;
use crate::store::{Store, StoreError};

/// Every active indicator's standing in `fy`: counted ones from the store's counters, entered
/// ones from that year's entries (Ichinoseki plan, 成果指標 table), with the straight-line pace.
///
/// Errors: a store error, or an indicator/entry record that cannot be read.
pub fn indicator_statuses(
    store: &Store,
    fy: FiscalYear,
) -> Result<Vec<IndicatorStatus>, StoreError> {
    Ok(indicator_history(store, &[fy])?
        .pop()
        .map(|(_, s)| s)
        .unwrap_or_default())
}

/// [`indicator_statuses`] for several years, reading indicators, entries and bodies once.
///
/// Errors: as [`indicator_statuses`].
pub fn indicator_history(
    store: &Store,
    years: &[FiscalYear],
) -> Result<Vec<(FiscalYear, Vec<IndicatorStatus>)>, StoreError> {
    indicator_history_on(store, years, chrono::Local::now().date_naive())
}

/// [`indicator_history`] as it stands on `today` (a year under way is judged by the days gone
/// for a flow, and a stock short of its line is 集計中 until the year ends; issue 16.3).
///
/// Errors: as [`indicator_statuses`].
pub fn indicator_history_on(
    store: &Store,
    years: &[FiscalYear],
    today: chrono::NaiveDate,
) -> Result<Vec<(FiscalYear, Vec<IndicatorStatus>)>, StoreError> {
    let indicators = store.list::<Indicator>().whole()?;
    let entries = store.list::<IndicatorEntry>().whole()?;
    let facts = store.year_facts()?;
    years
        .iter()
        .map(|&fy| {
            let mine: Vec<IndicatorEntry> = entries
                .iter()
                .filter(|e| e.fiscal_year == fy)
                .cloned()
                .collect();
            let counts = store.fy_counts_with(fy, &facts)?;
            let mut st = evaluate(&indicators, &mine, &counts);
            for s in st.iter_mut() {
                s.pace = pace(&s.indicator, fy, s.value, today);
            }
            Ok((fy, st))
        })
        .collect()
}

/// An audit entry's local time, `YYYY-MM-DD HH:MM:SS`.
pub fn audit_time(e: &AuditEntry) -> String {
    use chrono::TimeZone;
    chrono::Local
        .timestamp_millis_opt(e.record.at_ms)
        .single()
        .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_else(|| e.record.at_ms.to_string())
}
