//! Text encodings for files people open in Excel: UTF-8, UTF-8 with BOM (Excel's "CSV UTF-8"),
//! and CP932 (Shift_JIS as Windows writes it). CP932 output never substitutes a character it
//! cannot write: the caller learns which record and field held it.

use crate::domain::Text;

/// An output encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Encoding {
    /// UTF-8 without BOM.
    Utf8,
    /// UTF-8 with a byte-order mark (opens correctly in Excel).
    Utf8Bom,
    /// CP932 / Shift_JIS (older Excel on Japanese Windows).
    Cp932,
}

/// The first character of `s` that CP932 cannot write, if any.
pub fn cp932_unencodable(s: &str) -> Option<char> {
    let (_, _, had_errors) = encoding_rs::SHIFT_JIS.encode(s);
    if !had_errors {
        return None;
    }
    s.chars().find(|c| {
        let mut buf = [0u8; 4];
        encoding_rs::SHIFT_JIS.encode(c.encode_utf8(&mut buf)).2
    })
}

/// Checks one field before writing it in `enc`.
///
/// Errors: for CP932, a message naming `record` and `field` and the character.
pub fn check_field(enc: Encoding, record: &str, field: &str, value: &str) -> Result<(), Text> {
    if enc != Encoding::Cp932 {
        return Ok(());
    }
    match cp932_unencodable(value) {
        None => Ok(()),
        Some(c) => Err(Text::new(
            format!(
                "{record} の「{field}」にある文字「{c}」(U+{:04X}) は CP932 で書けません。--encoding utf8-bom を使うか、その文字を直してください",
                c as u32
            ),
            format!(
                "{record}, field '{field}': the character '{c}' (U+{:04X}) cannot be written in CP932; use --encoding utf8-bom or change that character",
                c as u32
            ),
        )),
    }
}

/// Encodes the whole text (fields already checked with [`check_field`]).
///
/// Errors: for CP932, the first character that cannot be written.
pub fn encode(enc: Encoding, text: &str) -> Result<Vec<u8>, Text> {
    Ok(match enc {
        Encoding::Utf8 => text.as_bytes().to_vec(),
        Encoding::Utf8Bom => {
            let mut v = b"\xEF\xBB\xBF".to_vec();
            v.extend_from_slice(text.as_bytes());
            v
        }
        Encoding::Cp932 => {
            if let Some(c) = cp932_unencodable(text) {
                return Err(Text::new(
                    format!("文字「{c}」は CP932 で書けません"),
                    format!("the character '{c}' cannot be written in CP932"),
                ));
            }
            encoding_rs::SHIFT_JIS.encode(text).0.into_owned()
        }
    })
}

/// Decodes bytes that are UTF-8 (with or without BOM) or, failing that, CP932.
pub fn decode(bytes: &[u8]) -> Result<String, Text> {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(b) {
        return Ok(s.to_string());
    }
    let (s, _, had_errors) = encoding_rs::SHIFT_JIS.decode(b);
    if had_errors {
        return Err(Text::new(
            "ファイルが UTF-8 でも CP932 でもありません。CSV UTF-8 で保存し直してください",
            "the file is neither UTF-8 nor CP932; save it as CSV UTF-8",
        ));
    }
    Ok(s.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cp932_round_trip_and_refusal() {
        let s = "一関地区まちづくり協議会,1,500,000円,①";
        let bytes = encode(Encoding::Cp932, s).unwrap();
        assert_eq!(
            decode(&bytes).unwrap(),
            s,
            "NEC special characters such as ① are in CP932"
        );
        assert_eq!(
            cp932_unencodable("髙橋"),
            None,
            "IBM extension 髙 is in CP932"
        );
        assert_eq!(cp932_unencodable("𠮷野"), Some('𠮷'));
        let e = check_field(Encoding::Cp932, "grant 12", "body", "𠮷野地区").unwrap_err();
        assert!(
            e.en.contains("grant 12, field 'body'") && e.en.contains("U+20BB7"),
            "{e}"
        );
        assert_eq!(decode(&encode(Encoding::Utf8Bom, s).unwrap()).unwrap(), s);
    }
}
