//! Writing to non-blocking sockets: as much as a socket takes now, the rest queued.

use super::*;

/// Writes `bytes` to the non-blocking socket `fd` as far as it takes them now; returns the
/// rest, or `Err` when the connection is broken.
pub(super) fn write_now(fd: std::os::fd::RawFd, bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut done = 0;
    while done < bytes.len() {
        // SAFETY: `fd` is open for the whole call (see [`Job::fd`]); the buffer is valid.
        let n = unsafe {
            libc::send(
                fd,
                bytes[done..].as_ptr().cast(),
                bytes.len() - done,
                libc::MSG_NOSIGNAL,
            )
        };
        if n < 0 {
            let e = std::io::Error::last_os_error();
            match e.kind() {
                ErrorKind::WouldBlock => break,
                ErrorKind::Interrupted => continue,
                _ => return Err(e),
            }
        }
        done += n as usize;
    }
    Ok(bytes[done..].to_vec())
}

/// Writes as much queued output as the socket takes.
///
/// Errors: the connection is broken.
pub(super) fn flush(c: &mut Conn) -> std::io::Result<()> {
    while let Some(front) = c.out.front() {
        match c.stream.write(&front[c.written..]) {
            Ok(0) => return Err(ErrorKind::WriteZero.into()),
            Ok(n) => {
                c.written += n;
                if c.written == front.len() {
                    c.out.pop_front();
                    c.written = 0;
                }
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(()),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
