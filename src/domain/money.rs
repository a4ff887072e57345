//! Money in integer yen (docs/DOMAIN.md, "Money"): never floats. Shown as `1,500,000円` (ja) or
//! `¥1,500,000` (en).

use super::date_parse::normalize_width;
use thiserror::Error;

/// Groups digits with commas: `1500000` → `1,500,000`; negative numbers keep their sign.
pub fn group_digits(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Japanese form of an amount in yen: `1,500,000円`.
pub fn yen_ja(yen: i64) -> String {
    format!("{}円", group_digits(yen))
}

/// English form of an amount in yen: `¥1,500,000`, `-¥500`.
pub fn yen_en(yen: i64) -> String {
    if yen < 0 {
        format!("-¥{}", group_digits(-yen))
    } else {
        format!("¥{}", group_digits(yen))
    }
}

/// Why an amount could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MoneyParseError {
    /// Not digits (with optional commas, 円 or ¥).
    #[error("'{0}' is not an amount in yen; type digits, e.g. 1500000 or 1,500,000円")]
    NotANumber(String),
    /// Larger than kyodo stores.
    #[error("'{0}' is too large an amount")]
    TooLarge(String),
}

impl MoneyParseError {
    /// Both wordings.
    pub fn text(&self) -> super::Text {
        let ja = match self {
            MoneyParseError::NotANumber(s) => format!(
                "「{s}」は金額として読めません。1500000 や 1,500,000円 のように数字で入力してください"
            ),
            MoneyParseError::TooLarge(s) => format!("「{s}」は大きすぎる金額です"),
        };
        super::Text::new(ja, self.to_string())
    }
}

/// Parses yen: `1500000`, `1,500,000`, `1,500,000円`, `¥1,500,000`, full-width digits.
///
/// Errors: [`MoneyParseError`]. Decimal points are refused (yen are whole).
pub fn parse_yen(input: &str) -> Result<i64, MoneyParseError> {
    let s = normalize_width(input);
    let s = s
        .trim_end_matches('円')
        .trim_start_matches(['¥', '￥'])
        .trim();
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s),
    };
    let digits: String = body.chars().filter(|c| *c != ',').collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(MoneyParseError::NotANumber(input.trim().to_string()));
    }
    let v: i64 = digits
        .parse()
        .map_err(|_| MoneyParseError::TooLarge(input.trim().to_string()))?;
    Ok(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(yen_ja(1_500_000), "1,500,000円");
        assert_eq!(yen_en(1_500_000), "¥1,500,000");
        assert_eq!(yen_en(-500), "-¥500");
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(1000), "1,000");
        assert_eq!(group_digits(-1234567), "-1,234,567");
    }

    #[test]
    fn parses() {
        for s in [
            "1500000",
            "1,500,000",
            "1,500,000円",
            "¥1,500,000",
            "１，５００，０００円",
        ] {
            assert_eq!(parse_yen(s), Ok(1_500_000), "{s}");
        }
        assert!(parse_yen("1.5").is_err());
        assert!(parse_yen("").is_err());
        assert!(parse_yen("99999999999999999999").is_err());
    }
}
