//! Typed frames: a message encoded by the store's codec (bincode 2.0.1, bounded decode) inside
//! the wire's length-prefixed framing ([`crate::wire::frame`]). Used by the store's client and
//! by the server, which sits above the store. A body must decode exactly (no trailing bytes).

use super::codec::bounded;
use crate::wire::frame::{
    FrameError, MAX_FRAME_BYTES, frame_of, read_body, split_body, write_body,
};
use serde::{Serialize, de::DeserializeOwned};
use std::io::{Read, Write};

fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, FrameError> {
    bincode::serde::encode_to_vec(value, bincode::config::standard())
        .map_err(|e| FrameError::Malformed(e.to_string()))
}

fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, FrameError> {
    let (value, used): (T, usize) =
        bincode::serde::decode_from_slice(body, bounded::<MAX_FRAME_BYTES>())
            .map_err(|e| FrameError::Malformed(e.to_string()))?;
    if used != body.len() {
        return Err(FrameError::Malformed(format!(
            "{} trailing bytes after the message",
            body.len() - used
        )));
    }
    Ok(value)
}

/// Writes `value` as one frame and flushes.
///
/// Errors: [`FrameError::Oversize`] (nothing is written), [`FrameError::Malformed`] if it does
/// not serialise, [`FrameError::Io`].
pub fn write_frame<W: Write, T: Serialize>(w: &mut W, value: &T) -> Result<(), FrameError> {
    write_body(w, &encode(value)?)
}

/// Reads one frame. `Ok(None)` when the stream ends cleanly between frames.
///
/// Errors: [`FrameError::Oversize`] from the header alone, [`FrameError::Truncated`],
/// [`FrameError::Malformed`], [`FrameError::Io`].
pub fn read_frame<R: Read, T: DeserializeOwned>(r: &mut R) -> Result<Option<T>, FrameError> {
    read_body(r)?.map(|b| decode(&b)).transpose()
}

/// Encodes `value` as one frame (header and body).
///
/// Errors: [`FrameError::Oversize`], [`FrameError::Malformed`] if it does not serialise.
pub fn encode_frame<T: Serialize>(value: &T) -> Result<Vec<u8>, FrameError> {
    frame_of(&encode(value)?)
}

/// Decodes the first frame in `buf` if it is complete: `Ok(Some((value, bytes used)))`;
/// `Ok(None)` while more bytes are needed; a header over `max` is refused before its body.
///
/// Errors: [`FrameError::Oversize`], [`FrameError::Malformed`].
pub fn parse_frame<T: DeserializeOwned>(
    buf: &[u8],
    max: usize,
) -> Result<Option<(T, usize)>, FrameError> {
    match split_body(buf, max)? {
        Some((body, used)) => Ok(Some((decode(body)?, used))),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::frame::{FrameError, MAX_FRAME_BYTES};
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    enum Msg {
        Ping,
        Tally { count: u32, note: String },
    }

    #[test]
    fn frames_round_trip_back_to_back_and_end_cleanly() {
        let mut wire = Vec::new();
        let a = Msg::Tally {
            count: 3,
            note: "話し合い支援".into(),
        };
        write_frame(&mut wire, &a).unwrap();
        write_frame(&mut wire, &Msg::Ping).unwrap();
        let mut r = &wire[..];
        assert_eq!(read_frame::<_, Msg>(&mut r).unwrap(), Some(a));
        assert_eq!(read_frame::<_, Msg>(&mut r).unwrap(), Some(Msg::Ping));
        assert!(read_frame::<_, Msg>(&mut r).unwrap().is_none());
    }

    #[test]
    fn an_oversize_header_is_refused_before_reading_the_body() {
        let wire = (u32::MAX).to_le_bytes();
        let e = read_frame::<_, Msg>(&mut &wire[..]).unwrap_err();
        assert!(
            matches!(e, FrameError::Oversize(n) if n == u32::MAX as usize),
            "{e}"
        );
        let big = "x".repeat(MAX_FRAME_BYTES + 1);
        let mut out = Vec::new();
        assert!(matches!(
            write_frame(&mut out, &big),
            Err(FrameError::Oversize(_))
        ));
        assert!(out.is_empty(), "nothing written");
    }

    #[test]
    fn malformed_truncated_and_trailing_frames_are_errors() {
        // Variant 9 does not exist.
        let wire = [1, 0, 0, 0, 9];
        assert!(matches!(
            read_frame::<_, Msg>(&mut &wire[..]),
            Err(FrameError::Malformed(_))
        ));
        // A string length far past the frame.
        let wire = [4, 0, 0, 0, 1, 3, 251, 255];
        assert!(matches!(
            read_frame::<_, Msg>(&mut &wire[..]),
            Err(FrameError::Malformed(_))
        ));
        // Ping plus a stray byte.
        let wire = [2, 0, 0, 0, 0, 0];
        assert!(matches!(
            read_frame::<_, Msg>(&mut &wire[..]),
            Err(FrameError::Malformed(m)) if m.contains("1 trailing")
        ));
        for wire in [&[5u8, 0][..], &[5, 0, 0, 0, 1]] {
            assert!(matches!(
                read_frame::<_, Msg>(&mut &wire[..]),
                Err(FrameError::Truncated)
            ));
        }
    }
}
