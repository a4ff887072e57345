//! Files and directories kyodo creates are private whatever the umask (issue 11, item 1):
//! directories 0700, files 0600, made so explicitly rather than left to the process's umask;
//! and a database found readable by group or others is tightened.

use std::fs::{File, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// Mode of directories kyodo creates.
pub const DIR_MODE: u32 = 0o700;
/// Mode of files kyodo creates.
pub const FILE_MODE: u32 = 0o600;

/// Creates `path` and any missing parents with mode 0700 (existing ones are left as they are).
///
/// Errors: the OS error (e.g. permission denied on a parent).
pub fn create_dir_all(path: &Path) -> std::io::Result<()> {
    if path.is_dir() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(DIR_MODE)
        .create(path)?;
    // The umask may have taken bits away, never added; set exactly.
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(DIR_MODE))
}

/// Opens `path` for reading and writing, creating it with mode 0600.
///
/// Errors: the OS error.
pub fn open_rw(path: &Path) -> std::io::Result<File> {
    let f = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(FILE_MODE)
        .open(path)?;
    let mode = f.metadata()?.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        f.set_permissions(std::fs::Permissions::from_mode(FILE_MODE))?;
    }
    Ok(f)
}

/// Creates (or truncates) `path` for writing with mode 0600.
///
/// Errors: the OS error.
pub fn create(path: &Path) -> std::io::Result<File> {
    let f = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(FILE_MODE)
        .open(path)?;
    f.set_permissions(std::fs::Permissions::from_mode(FILE_MODE))?;
    Ok(f)
}

/// Removes group and other permissions from `dir` and everything under it, except that `dir`
/// itself may keep group search (`keep_group_search`: the server's socket lives there). Returns
/// one line per path changed (`path: 0644 → 0600`).
///
/// Errors: the first path that cannot be read or changed.
pub fn tighten(dir: &Path, keep_group_search: bool) -> std::io::Result<Vec<String>> {
    let mut changed = Vec::new();
    let mut fix = |p: &Path, keep: u32| -> std::io::Result<()> {
        let meta = std::fs::symlink_metadata(p)?;
        if meta.file_type().is_symlink() {
            return Ok(());
        }
        let mode = meta.permissions().mode() & 0o7777;
        let want = mode & !0o077 | (mode & keep);
        if want != mode {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(want))?;
            changed.push(format!("{}: {mode:04o} → {want:04o}", p.display()));
        }
        Ok(())
    };
    fix(dir, if keep_group_search { 0o010 } else { 0 })?;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let entry = entry?;
            let p = entry.path();
            let ft = entry.file_type()?;
            if ft.is_socket() {
                // The socket's 0660 is what lets the group connect.
                continue;
            }
            fix(&p, 0)?;
            if ft.is_dir() {
                stack.push(p);
            }
        }
    }
    Ok(changed)
}

use std::os::unix::fs::FileTypeExt;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_paths_are_private_whatever_the_umask_and_tighten_reports_changes() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("a/b");
        create_dir_all(&d).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&d), 0o700);
        let f = d.join("f");
        drop(open_rw(&f).unwrap());
        assert_eq!(mode(&f), 0o600);
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o755)).unwrap();
        let changed = tighten(&d, true).unwrap();
        assert_eq!(changed.len(), 2, "{changed:?}");
        assert_eq!(mode(&d), 0o710);
        assert_eq!(mode(&f), 0o600);
        assert!(tighten(&d, true).unwrap().is_empty());
    }
}
