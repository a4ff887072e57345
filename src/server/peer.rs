//! Who is on the other end of a Unix socket: the kernel's peer credentials (SO_PEERCRED on
//! Linux), not anything the client says, and the OS login of that user id. The server maps the
//! login to a Staff record and its role (issue 6, "Identity and roles").

use std::os::fd::AsRawFd;

/// The user id of the process that connected `stream`, from the kernel.
///
/// Errors: the `getsockopt` failure (e.g. not a Unix socket).
#[cfg(target_os = "linux")]
pub fn peer_uid(stream: &impl AsRawFd) -> std::io::Result<u32> {
    let mut cred = libc::ucred {
        pid: 0,
        uid: 0,
        gid: 0,
    };
    let mut len = std::mem::size_of::<libc::ucred>() as libc::socklen_t;
    // SAFETY: `cred` and `len` are valid for writes of the sizes passed; the fd is open for the
    // lifetime of `stream`.
    let rc = unsafe {
        libc::getsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_PEERCRED,
            (&mut cred as *mut libc::ucred).cast(),
            &mut len,
        )
    };
    if rc != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(cred.uid)
}

/// The password-database name of user id `uid` (e.g. `sato.hanako`), or `None` when the id has
/// no entry or its name is not UTF-8.
pub fn login_of_uid(uid: u32) -> Option<String> {
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut buf = vec![0 as libc::c_char; 4096];
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: getpwuid_r writes only into the buffers we pass; the name pointer it returns
    // points into `buf`, which outlives its use here.
    let rc = unsafe { libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result) };
    if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
        return None;
    }
    let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
    name.to_str()
        .ok()
        .filter(|n| !n.is_empty())
        .map(String::from)
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use std::os::unix::net::UnixStream;

    #[test]
    fn the_peer_of_a_socket_pair_is_this_process_user() {
        let (a, _b) = UnixStream::pair().unwrap();
        // SAFETY: getuid cannot fail.
        let me = unsafe { libc::getuid() };
        assert_eq!(peer_uid(&a).unwrap(), me);
        assert_eq!(login_of_uid(me), login_of_uid(peer_uid(&a).unwrap()));
        assert_eq!(login_of_uid(u32::MAX - 7), None, "no such user");
    }
}
