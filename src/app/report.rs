//! The indicator report: each indicator's value, baseline, target and achievement for a fiscal
//! year. The dashboard and `kyodo report` both call this, so they show the same figures.

use crate::domain::*;
use crate::store::{Store, StoreError};

/// Every active indicator's standing in `fy`: counted ones from the store's counters, entered
/// ones from that year's entries (Ichinoseki plan, 成果指標 table).
///
/// Errors: a store error, or an indicator/entry record that cannot be decoded.
pub fn indicator_statuses(
    store: &Store,
    fy: FiscalYear,
) -> Result<Vec<IndicatorStatus>, StoreError> {
    let ind = store.list::<Indicator>();
    if let Some(e) = ind.problems.into_iter().next() {
        return Err(e);
    }
    let entries = store.list::<IndicatorEntry>();
    if let Some(e) = entries.problems.into_iter().next() {
        return Err(e);
    }
    let mine: Vec<IndicatorEntry> = entries
        .items
        .into_iter()
        .filter(|e| e.fiscal_year == fy)
        .collect();
    let counts = store.fy_counts(fy)?;
    let today = chrono::Local::now().date_naive();
    let mut st = evaluate(&ind.items, &mine, &counts);
    for s in st.iter_mut() {
        s.pace = pace(&s.indicator, fy, s.value, today);
    }
    Ok(st)
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
