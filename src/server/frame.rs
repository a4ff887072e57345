//! Wire framing between `kyodo serve` and its clients: each message is a 4-byte little-endian
//! length followed by that many bytes of bincode 2.0.1 (serde API, standard config). A frame
//! longer than [`MAX_FRAME_BYTES`] is refused from its header, before anything is allocated, and
//! a body must decode exactly (no trailing bytes); either error means the connection is closed
//! and nothing else is affected (issue 6, item 1).

use serde::{Serialize, de::DeserializeOwned};
use std::io::{Read, Write};

/// Largest frame body, in bytes (8 MiB: a year's list of a large city's consultations fits;
/// bigger answers are paged).
pub const MAX_FRAME_BYTES: usize = 8 << 20;

/// Why a frame could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    /// The header announced, or the value needs, more than [`MAX_FRAME_BYTES`].
    #[error("frame of {0} bytes is over the {MAX_FRAME_BYTES}-byte limit")]
    Oversize(usize),
    /// The body is not a valid message (bincode error or trailing bytes).
    #[error("malformed frame: {0}")]
    Malformed(String),
    /// The stream ended inside a frame.
    #[error("connection closed inside a frame")]
    Truncated,
    /// Reading or writing the socket failed.
    #[error("socket: {0}")]
    Io(#[from] std::io::Error),
}

/// Writes `value` as one frame and flushes.
///
/// Errors: [`FrameError::Oversize`] (nothing is written), [`FrameError::Malformed`] if it does
/// not serialise, [`FrameError::Io`].
pub fn write_frame<W: Write, T: Serialize>(w: &mut W, value: &T) -> Result<(), FrameError> {
    let body = bincode::serde::encode_to_vec(value, bincode::config::standard())
        .map_err(|e| FrameError::Malformed(e.to_string()))?;
    if body.len() > MAX_FRAME_BYTES {
        return Err(FrameError::Oversize(body.len()));
    }
    let len = u32::try_from(body.len()).map_err(|_| FrameError::Oversize(body.len()))?;
    let mut out = Vec::with_capacity(4 + body.len());
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&body);
    w.write_all(&out)?;
    w.flush()?;
    Ok(())
}

/// Reads one frame. `Ok(None)` when the stream ends cleanly between frames.
///
/// Errors: [`FrameError::Oversize`] from the header alone, [`FrameError::Truncated`],
/// [`FrameError::Malformed`], [`FrameError::Io`].
pub fn read_frame<R: Read, T: DeserializeOwned>(r: &mut R) -> Result<Option<T>, FrameError> {
    let mut head = [0u8; 4];
    let mut got = 0;
    while got < 4 {
        match r.read(&mut head[got..]) {
            Ok(0) if got == 0 => return Ok(None),
            Ok(0) => return Err(FrameError::Truncated),
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    let len = u32::from_le_bytes(head) as usize;
    if len > MAX_FRAME_BYTES {
        return Err(FrameError::Oversize(len));
    }
    let mut body = vec![0u8; len];
    r.read_exact(&mut body).map_err(|e| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => FrameError::Truncated,
        _ => FrameError::Io(e),
    })?;
    let (value, used): (T, usize) =
        bincode::serde::decode_from_slice(&body, crate::store::codec::bounded::<MAX_FRAME_BYTES>())
            .map_err(|e| FrameError::Malformed(e.to_string()))?;
    if used != len {
        return Err(FrameError::Malformed(format!(
            "{} trailing bytes after the message",
            len - used
        )));
    }
    Ok(Some(value))
}

/// Encodes `value` as one frame (header and body).
///
/// Errors: [`FrameError::Oversize`], [`FrameError::Malformed`] if it does not serialise.
pub fn encode_frame<T: Serialize>(value: &T) -> Result<Vec<u8>, FrameError> {
    let mut out = Vec::new();
    write_frame(&mut out, value)?;
    Ok(out)
}

/// Decodes the first frame in `buf` if it is complete: `Ok(Some((value, bytes used)))`;
/// `Ok(None)` while more bytes are needed. A header announcing more than `max` bytes is refused
/// at once, before its body arrives (so a stranger cannot make the reader wait for, or hold,
/// more than `max`).
///
/// Errors: [`FrameError::Oversize`], [`FrameError::Malformed`].
pub fn parse_frame<T: DeserializeOwned>(
    buf: &[u8],
    max: usize,
) -> Result<Option<(T, usize)>, FrameError> {
    let Some(head) = buf.get(..4) else {
        return Ok(None);
    };
    let len = u32::from_le_bytes([head[0], head[1], head[2], head[3]]) as usize;
    if len > max.min(MAX_FRAME_BYTES) {
        return Err(FrameError::Oversize(len));
    }
    let Some(body) = buf.get(4..4 + len) else {
        return Ok(None);
    };
    let (value, used): (T, usize) =
        bincode::serde::decode_from_slice(body, crate::store::codec::bounded::<MAX_FRAME_BYTES>())
            .map_err(|e| FrameError::Malformed(e.to_string()))?;
    if used != len {
        return Err(FrameError::Malformed(format!(
            "{} trailing bytes after the message",
            len - used
        )));
    }
    Ok(Some((value, 4 + len)))
}

#[cfg(test)]
mod tests {
    use super::*;
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
