//! Wire framing between `kyodo serve` and its clients: each message is a 4-byte little-endian
//! length followed by that many bytes (bincode 2.0.1, encoded by the store's codec; the typed
//! frames are `store::framed`). A frame longer than [`MAX_FRAME_BYTES`] is refused from its
//! header, before anything is allocated; a body that does not decode exactly means the
//! connection is closed and nothing else is affected (issue 6, item 1).

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

/// Writes `body` as one frame (header and body) and flushes.
///
/// Errors: [`FrameError::Oversize`] (nothing is written), [`FrameError::Io`].
pub fn write_body<W: Write>(w: &mut W, body: &[u8]) -> Result<(), FrameError> {
    w.write_all(&frame_of(body)?)?;
    w.flush()?;
    Ok(())
}

/// `body` with its 4-byte header.
///
/// Errors: [`FrameError::Oversize`].
pub fn frame_of(body: &[u8]) -> Result<Vec<u8>, FrameError> {
    if body.len() > MAX_FRAME_BYTES {
        return Err(FrameError::Oversize(body.len()));
    }
    let len = u32::try_from(body.len()).map_err(|_| FrameError::Oversize(body.len()))?;
    let mut out = Vec::with_capacity(4 + body.len());
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(body);
    Ok(out)
}

/// Reads one frame's body. `Ok(None)` when the stream ends cleanly between frames. The body is
/// allocated only after the header passed the size check.
///
/// Errors: [`FrameError::Oversize`] from the header alone, [`FrameError::Truncated`],
/// [`FrameError::Io`].
pub fn read_body<R: Read>(r: &mut R) -> Result<Option<Vec<u8>>, FrameError> {
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
    Ok(Some(body))
}

/// The body of the first frame in `buf` if it is complete: `Ok(Some((body, bytes used)))`;
/// `Ok(None)` while more bytes are needed. A header announcing more than `max` bytes is refused
/// at once, before its body arrives (so a stranger cannot make the reader wait for, or hold,
/// more than `max`).
///
/// Errors: [`FrameError::Oversize`].
pub fn split_body(buf: &[u8], max: usize) -> Result<Option<(&[u8], usize)>, FrameError> {
    let Some(head) = buf.get(..4) else {
        return Ok(None);
    };
    let len = u32::from_le_bytes([head[0], head[1], head[2], head[3]]) as usize;
    if len > max.min(MAX_FRAME_BYTES) {
        return Err(FrameError::Oversize(len));
    }
    Ok(buf.get(4..4 + len).map(|body| (body, 4 + len)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_round_trip_and_the_stream_ends_cleanly() {
        let mut wire = Vec::new();
        write_body(&mut wire, "話し合い支援".as_bytes()).unwrap();
        write_body(&mut wire, b"").unwrap();
        let mut r = &wire[..];
        assert_eq!(
            read_body(&mut r).unwrap().unwrap(),
            "話し合い支援".as_bytes()
        );
        assert_eq!(read_body(&mut r).unwrap().unwrap(), b"");
        assert!(read_body(&mut r).unwrap().is_none());
        assert_eq!(split_body(&wire[..3], 100).unwrap(), None);
        let (b, used) = split_body(&wire, 100).unwrap().unwrap();
        assert_eq!((b, used), ("話し合い支援".as_bytes(), 22));
    }

    #[test]
    fn an_oversize_header_is_refused_before_the_body() {
        let wire = (u32::MAX).to_le_bytes();
        assert!(matches!(
            read_body(&mut &wire[..]),
            Err(FrameError::Oversize(_))
        ));
        assert!(matches!(
            split_body(&[9, 0, 0, 0], 8),
            Err(FrameError::Oversize(9))
        ));
        let mut out = Vec::new();
        let big = vec![0u8; MAX_FRAME_BYTES + 1];
        assert!(matches!(
            write_body(&mut out, &big),
            Err(FrameError::Oversize(_))
        ));
        assert!(out.is_empty(), "nothing written");
        for wire in [&[5u8, 0][..], &[5, 0, 0, 0, 1]] {
            assert!(matches!(
                read_body(&mut &wire[..]),
                Err(FrameError::Truncated)
            ));
        }
    }
}
