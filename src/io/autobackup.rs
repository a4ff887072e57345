//! Automatic backups (issue 10, item 3): `kyodo serve`, and the embedded program at most once a
//! day, write a backup archive ([`super::backup`]) into a private directory beside the database
//! and keep a rotating set of them: by default the newest archive of each of the last 7 days, of
//! each of the last 4 weeks and of each of the last 12 months. A refused database is then at
//! most a day from whole: `kyodo --db PATH restore --latest`.
//!
//! Place: `KYODO_BACKUP_DIR`, else `<db>.backups` (`off` turns automatic backups off). Counts:
//! `KYODO_BACKUP_KEEP=daily,weekly,monthly` (default `7,4,12`). Archives are named
//! `kyodo-YYYYMMDD-HHMMSS.backup.gz` (local time); no other file in the directory is touched.

use crate::domain::Text;
use crate::store::Store;
use chrono::{Datelike, NaiveDateTime};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// How many archives to keep: the newest of each of the last `daily` days, `weekly` ISO weeks
/// and `monthly` months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keep {
    /// Days.
    pub daily: usize,
    /// ISO weeks.
    pub weekly: usize,
    /// Months.
    pub monthly: usize,
}

impl Default for Keep {
    fn default() -> Self {
        Keep {
            daily: 7,
            weekly: 4,
            monthly: 12,
        }
    }
}

impl Keep {
    /// `daily,weekly,monthly` (e.g. `7,4,12`); `None` when malformed.
    pub fn parse(s: &str) -> Option<Keep> {
        let v: Vec<usize> = s
            .split(',')
            .map(|p| p.trim().parse().ok())
            .collect::<Option<_>>()?;
        match v[..] {
            [daily, weekly, monthly] if daily > 0 => Some(Keep {
                daily,
                weekly,
                monthly,
            }),
            _ => None,
        }
    }

    /// From `KYODO_BACKUP_KEEP`, else the default.
    pub fn from_env() -> Keep {
        std::env::var("KYODO_BACKUP_KEEP")
            .ok()
            .and_then(|v| Keep::parse(&v))
            .unwrap_or_default()
    }
}

/// The automatic backups' directory for the database at `db`: `KYODO_BACKUP_DIR`, else
/// `<db>.backups`; `None` when `KYODO_BACKUP_DIR=off`.
pub fn dir_for(db: &Path) -> Option<PathBuf> {
    match std::env::var_os("KYODO_BACKUP_DIR") {
        Some(v) if v == "off" => None,
        Some(v) if !v.is_empty() => Some(PathBuf::from(v)),
        _ => Some(PathBuf::from(format!("{}.backups", db.display()))),
    }
}

const PREFIX: &str = "kyodo-";
const SUFFIX: &str = ".backup.gz";

/// When an archive named `name` was made, if it is one of ours.
fn made_at(name: &str) -> Option<NaiveDateTime> {
    let stamp = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S").ok()
}

/// The automatic archives in `dir`, newest first.
pub fn archives(dir: &Path) -> Vec<(NaiveDateTime, PathBuf)> {
    let mut out: Vec<(NaiveDateTime, PathBuf)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name();
            made_at(&name.to_string_lossy()).map(|t| (t, e.path()))
        })
        .collect();
    out.sort_by_key(|a| std::cmp::Reverse(a.0));
    out
}

/// The newest automatic archive in `dir`.
pub fn latest(dir: &Path) -> Option<PathBuf> {
    archives(dir).into_iter().next().map(|(_, p)| p)
}

/// Whether an archive is due: none made on `now`'s day.
pub fn due(dir: &Path, now: NaiveDateTime) -> bool {
    archives(dir)
        .first()
        .is_none_or(|(t, _)| t.date() != now.date())
}

/// The archives of `all` (newest first) that `keep` does not keep.
pub fn to_prune(all: &[(NaiveDateTime, PathBuf)], keep: Keep) -> Vec<PathBuf> {
    let mut kept: BTreeSet<usize> = BTreeSet::new();
    let mut pick = |n: usize, bucket: &dyn Fn(&NaiveDateTime) -> (i32, u32)| {
        let mut seen = BTreeSet::new();
        for (i, (t, _)) in all.iter().enumerate() {
            if seen.len() >= n {
                break;
            }
            if seen.insert(bucket(t)) {
                kept.insert(i);
            }
        }
    };
    pick(keep.daily, &|t| (t.year(), t.ordinal()));
    pick(keep.weekly, &|t| {
        let w = t.iso_week();
        (w.year(), w.week())
    });
    pick(keep.monthly, &|t| (t.year(), t.month()));
    all.iter()
        .enumerate()
        .filter(|(i, _)| !kept.contains(i))
        .map(|(_, (_, p))| p.clone())
        .collect()
}

/// Writes an archive of `store` into `dir` now (writes wait while it is made, so it is
/// consistent) and prunes the old ones. Returns the new archive's path and the paths removed.
///
/// Errors: the directory cannot be made or written, or a record cannot be read (then no
/// archive is left half-written, and none is removed).
pub fn run(
    store: &Store,
    dir: &Path,
    keep: Keep,
    now: NaiveDateTime,
) -> Result<(PathBuf, Vec<PathBuf>), Text> {
    crate::store::private::create_dir_all(dir).map_err(|e| {
        Text::new(
            format!("バックアップの置き場 {} を作れません: {e}", dir.display()),
            format!("cannot create the backup directory {}: {e}", dir.display()),
        )
    })?;
    let path = dir.join(format!("{PREFIX}{}{SUFFIX}", now.format("%Y%m%d-%H%M%S")));
    store.paused_writes(|| super::backup::backup(store, &path))?;
    let removed = to_prune(&archives(dir), keep);
    for p in &removed {
        let _ = std::fs::remove_file(p);
    }
    Ok((path, removed))
}

/// [`run`] when an archive is due and automatic backups are on for `store`'s database
/// (embedded use: at most once a day). `Ok(None)` when nothing was due.
///
/// Errors: see [`run`].
pub fn run_if_due(store: &Store) -> Result<Option<PathBuf>, Text> {
    let Some(dir) = dir_for(store.path()) else {
        return Ok(None);
    };
    let now = chrono::Local::now().naive_local();
    if !due(&dir, now) {
        return Ok(None);
    }
    run(store, &dir, Keep::from_env(), now).map(|(p, _)| Some(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_keeps_the_newest_of_each_day_week_and_month() {
        let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
            .unwrap()
            .and_hms_opt(3, 0, 0)
            .unwrap();
        // One archive a day for 400 days, newest first, plus a second one on the last day.
        let mut all: Vec<(NaiveDateTime, PathBuf)> = (0..400)
            .map(|d| {
                let t = start + chrono::Duration::days(d);
                (t, PathBuf::from(format!("{d}")))
            })
            .collect();
        all.push((
            all[399].0 + chrono::Duration::hours(1),
            PathBuf::from("extra"),
        ));
        all.sort_by_key(|a| std::cmp::Reverse(a.0));
        let pruned = to_prune(&all, Keep::default());
        let kept = all.len() - pruned.len();
        // 7 days; 4 weeks and 12 months overlap the newest days, adding at most 3 + 11.
        assert!((7..=7 + 3 + 11).contains(&kept), "{kept}");
        assert!(
            !pruned.contains(&PathBuf::from("extra")),
            "the newest is kept"
        );
        assert!(
            pruned.contains(&PathBuf::from("399")),
            "an older one of the same day goes"
        );
        assert!(
            pruned.contains(&PathBuf::from("0")),
            "more than 12 months old"
        );
        assert_eq!(
            Keep::parse("3,2,1"),
            Some(Keep {
                daily: 3,
                weekly: 2,
                monthly: 1
            })
        );
        assert_eq!(Keep::parse("0,1,1"), None);
        assert_eq!(
            made_at("kyodo-20261202-031500.backup.gz").map(|t| t.to_string()),
            Some("2026-12-02 03:15:00".to_string())
        );
    }
}
