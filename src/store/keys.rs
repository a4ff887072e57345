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
/// Built without `format!`: an import, a restore and `kyodo check` make several per record.
pub fn counter_key(metric: &str, fy: FiscalYear, slot: usize) -> Vec<u8> {
    counter_key_of(&[metric], fy, slot)
}

/// [`counter_key`] of a metric whose name is `parts` joined (`category.` and a code).
pub fn counter_key_of(parts: &[&str], fy: FiscalYear, slot: usize) -> Vec<u8> {
    let (Ok(year), true) = (u64::try_from(fy.0), slot < 100) else {
        // Out of the four-digit range no real fiscal year reaches: the general form.
        return format!("{}/{:04}/{slot:02}", parts.concat(), fy.0).into_bytes();
    };
    let mut k = Vec::with_capacity(parts.iter().map(|p| p.len()).sum::<usize>() + 8);
    for p in parts {
        k.extend_from_slice(p.as_bytes());
    }
    k.push(b'/');
    push_padded(&mut k, year, 4);
    k.push(b'/');
    push_padded(&mut k, slot as u64, 2);
    k
}

/// Appends `n` in decimal, zero-padded to at least `width` digits (as `{n:0width$}`).
pub fn push_padded(out: &mut Vec<u8>, n: u64, width: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let len = digits.len() - i;
    out.extend(std::iter::repeat_n(b'0', width.saturating_sub(len)));
    out.extend_from_slice(&digits[i..]);
}

/// Prefix of all of a metric's cells in one fiscal year.
pub fn counter_prefix(metric: &str, fy: FiscalYear) -> Vec<u8> {
    format!("{metric}/{:04}/", fy.0).into_bytes()
}

/// The store keys an audit entry's `record_key` may stand for, to be tried in this order: an
/// id's eight bytes when it reads as a number, then the name's own bytes. A record keyed by a
/// name is named by that name ([`show_key`]), except that a name of eight bytes is named by the
/// number they make, whose id key is the name; an all-digit name ("12345", an indicator's id)
/// reads as a number too, and is found by its second key.
pub fn audited_keys(record_key: &str) -> impl Iterator<Item = Vec<u8>> + '_ {
    let id = record_key.parse::<u64>().ok().map(id_key);
    id.into_iter()
        .chain(std::iter::once(record_key.as_bytes().to_vec()))
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
    fn keys_built_by_hand_read_as_format_would_write_them() {
        for (fy, slot) in [(2024, 0), (2024, 11), (999, 5), (0, 3), (12345, 7), (-3, 1)] {
            assert_eq!(
                counter_key("consultations", FiscalYear(fy), slot),
                format!("consultations/{fy:04}/{slot:02}").into_bytes()
            );
            assert_eq!(
                counter_key_of(&["category.", "funding"], FiscalYear(fy), slot),
                format!("category.funding/{fy:04}/{slot:02}").into_bytes()
            );
        }
        for (n, w) in [(0u64, 20), (7, 20), (u64::MAX, 20), (12, 2), (123, 2)] {
            let mut out = Vec::new();
            push_padded(&mut out, n, w);
            assert_eq!(out, format!("{n:0w$}").into_bytes());
        }
    }

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
