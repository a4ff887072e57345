//! Key layouts: big-endian ids and composite index keys `fy | yyyymmdd | id`, so that a fiscal
//! year's records are one range scan in date order.

use crate::domain::FiscalYear;
use chrono::{Datelike, NaiveDate};

/// Key of a record with a numeric id: 8 bytes big-endian.
pub fn id_key(id: u64) -> Vec<u8> {
    id.to_be_bytes().to_vec()
}

/// Reads a numeric id key; `None` if it is not 8 bytes.
pub fn parse_id(key: &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(key.try_into().ok()?))
}

/// Prefix of a fiscal year in date index keys: the FY as a big-endian `u16` offset from year 0.
pub fn fy_prefix(fy: FiscalYear) -> [u8; 2] {
    (fy.0.clamp(0, u16::MAX as i32) as u16).to_be_bytes()
}

/// Date index key: `fy (2) | yyyymmdd (4) | id (8)`, all big-endian.
pub fn date_index_key(date: NaiveDate, id: u64) -> Vec<u8> {
    let mut k = Vec::with_capacity(14);
    k.extend_from_slice(&fy_prefix(FiscalYear::of(date)));
    let ymd = date.year().max(0) as u32 * 10_000 + date.month() * 100 + date.day();
    k.extend_from_slice(&ymd.to_be_bytes());
    k.extend_from_slice(&id.to_be_bytes());
    k
}

/// The record id at the end of a date index key.
pub fn date_index_id(key: &[u8]) -> Option<u64> {
    parse_id(key.get(6..14)?)
}

/// Key of a counter cell: `metric/FYYY/MM` where MM is the fiscal month slot 00 (April)..11.
pub fn counter_key(metric: &str, fy: FiscalYear, slot: usize) -> Vec<u8> {
    format!("{metric}/{:04}/{slot:02}", fy.0).into_bytes()
}

/// Prefix of all of a metric's cells in one fiscal year.
pub fn counter_prefix(metric: &str, fy: FiscalYear) -> Vec<u8> {
    format!("{metric}/{:04}/", fy.0).into_bytes()
}

/// A key shown to a person: UTF-8 when printable, else hex.
pub fn show_key(key: &[u8]) -> String {
    match std::str::from_utf8(key) {
        Ok(s) if s.chars().all(|c| !c.is_control()) => s.to_string(),
        _ => key.iter().map(|b| format!("{b:02x}")).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_keys_sort_by_fy_then_date_then_id() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        let a = date_index_key(d(2023, 3, 31), 9);
        let b = date_index_key(d(2023, 4, 1), 1);
        let c = date_index_key(d(2023, 4, 1), 2);
        assert!(a < b && b < c);
        assert_eq!(&a[..2], &fy_prefix(FiscalYear(2022)));
        assert_eq!(date_index_id(&c), Some(2));
    }
}
