//! Stored value format: `[FORMAT_VERSION: u8] ++ bincode 2.0.1 (serde API, standard config)`.
//! Decoding is bounded (`with_limit`) and must consume every byte; failures are values.

use serde::{Serialize, de::DeserializeOwned};

/// Format version byte written before every value.
pub const FORMAT_VERSION: u8 = 1;
/// Largest value kyodo writes or reads, in bytes (2 MiB). One limit for both directions: a
/// value is refused by [`encode`] before it is written, so whatever was written decodes. Every
/// text field has its own, much smaller limit ([`crate::domain::limits`]), so the largest record
/// allowed, and the audit entry of a change to all its fields, fit well inside.
pub const MAX_VALUE_BYTES: usize = 2 << 20;

/// bincode 2.0.1's standard configuration (little-endian, varint) that refuses to decode more
/// than `N` bytes: bincode allocates a declared length before reading it, so every decode of
/// bytes from disk or a socket is bounded (docs/DESIGN.md).
pub fn bounded<const N: usize>() -> bincode::config::Configuration<
    bincode::config::LittleEndian,
    bincode::config::Varint,
    bincode::config::Limit<N>,
> {
    bincode::config::standard().with_limit::<N>()
}

/// Encodes a value with its version byte.
///
/// Errors (as text): the encoded value is over [`MAX_VALUE_BYTES`] (nothing may be written that
/// could not be read back), or serde failed (a bug: every kyodo type serialises).
pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, String> {
    let mut out = vec![FORMAT_VERSION];
    let body = bincode::serde::encode_to_vec(value, bounded::<MAX_VALUE_BYTES>())
        .map_err(|e| e.to_string())?;
    if body.len() > MAX_VALUE_BYTES {
        return Err(format!(
            "the value is {} bytes, over the limit of {MAX_VALUE_BYTES} bytes for one stored value",
            body.len()
        ));
    }
    out.extend_from_slice(&body);
    Ok(out)
}

/// Decodes a value written by [`encode`].
///
/// Errors (as text, wrapped by the caller with tree and key): empty value, unknown format version,
/// bincode failure, or trailing bytes.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    let (&version, body) = bytes.split_first().ok_or("empty value")?;
    if version != FORMAT_VERSION {
        return Err(format!(
            "unknown format version {version} (this kyodo reads {FORMAT_VERSION})"
        ));
    }
    let (value, used): (T, usize) =
        bincode::serde::decode_from_slice(body, bounded::<MAX_VALUE_BYTES>())
            .map_err(|e| e.to_string())?;
    if used != body.len() {
        return Err(format!(
            "{} trailing bytes after the value",
            body.len() - used
        ));
    }
    Ok(value)
}
