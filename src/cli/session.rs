//! The run's session: which database a command opens (the user's, through `kyodo serve` when
//! one answers, or a temporary demo copy), and who is acting (the OS login and its staff member).

use super::{Cli, Command};
use crate::store::Store;
use std::path::PathBuf;

/// A database opened for one run: the user's, or a temporary demo copy removed on exit.
pub struct Session {
    /// The store.
    pub store: Store,
    /// The demo's temporary directory, if any (dropped last, after the store).
    pub demo_dir: Option<tempfile::TempDir>,
}

/// The default database directory: `$XDG_DATA_HOME/kyodo/db` (via the `directories` crate).
///
/// Errors: when no home directory can be found (set `--db` or `KYODO_DB`).
pub fn default_db_path() -> anyhow::Result<PathBuf> {
    directories::ProjectDirs::from("", "", "kyodo")
        .map(|d| d.data_dir().join("db"))
        .ok_or_else(|| {
            let said = crate::domain::Text::new(
                "データベースを置くホームディレクトリが見つかりません。--db PATH を指定するか KYODO_DB を設定してください",
                "cannot find a home directory for the database; pass --db PATH or set KYODO_DB",
            );
            anyhow::anyhow!("{}", said.get(crate::i18n::Lang::from_env()))
        })
}

/// Opens the database the command line names, or a fresh demo copy with `--demo`.
///
/// Errors: the store's open errors (locked, schema too new, I/O) and demo import errors.
pub fn open_session(cli: &Cli) -> anyhow::Result<Session> {
    if cli.demo {
        let dir = tempfile::Builder::new().prefix("kyodo-demo-").tempdir()?;
        let mut store = Store::open(&dir.path().join("db"))?;
        store.set_actor(crate::domain::Actor {
            login: os_login(),
            staff_id: None,
        });
        crate::io::import::import_sources(&store, crate::io::demo::sources()).map_err(|e| {
            let lang = crate::i18n::Lang::from_env();
            let said = crate::domain::Text::new(
                "デモデータを読み込めませんでした",
                "the demo dataset did not load",
            );
            anyhow::anyhow!("{}: {}", said.get(lang), e.text(lang))
        })?;
        return Ok(Session {
            store,
            demo_dir: Some(dir),
        });
    }
    let path = match &cli.db {
        Some(p) => p.clone(),
        None => default_db_path()?,
    };
    // The server itself, and a restore into a new database, work on the files directly.
    let direct = matches!(
        cli.command,
        Some(Command::Serve { .. } | Command::Restore { .. })
    );
    let socket = socket_path(&path);
    if !direct {
        match Store::connect(&socket, &path) {
            Ok(store) => {
                return Ok(Session {
                    store,
                    demo_dir: None,
                });
            }
            Err(crate::store::StoreError::Denied(t)) => {
                anyhow::bail!("{}", t.get(crate::i18n::Lang::from_env()))
            }
            Err(_) => {}
        }
    }
    // The commands that stream the whole database once run with a small page cache.
    let cache = match cli.command {
        Some(Command::Import { .. }) => crate::store::BULK_CACHE_BYTES,
        // A backup and a check read each page once, in order: a cache only holds what is not
        // read again.
        Some(Command::Backup { .. } | Command::Check { .. }) => crate::store::SCAN_CACHE_BYTES,
        _ => crate::store::CACHE_BYTES,
    };
    match Store::open_with_cache(&path, cache) {
        Ok(store) => Ok(Session {
            store,
            demo_dir: None,
        }),
        Err(crate::store::StoreError::Locked(_)) if !direct => {
            let (db, sock) = (path.display(), socket.display());
            let said = crate::domain::Text::new(
                format!(
                    "{db} のデータベースは別の kyodo が開いていて、{sock} に kyodo サーバーが応答しません。\
                     もう一方の kyodo を閉じるか、何人かで共有するなら `kyodo serve --db {db}` を起動してください\
                     (README「Shared server」)"
                ),
                format!(
                    "the database at {db} is open in another kyodo, and no kyodo server answers at {sock}. \
                     Close the other kyodo, or let several people share the database: start `kyodo serve --db {db}` \
                     (README, \"Shared server\")"
                ),
            );
            anyhow::bail!("{}", said.get(crate::i18n::Lang::from_env()))
        }
        Err(e) => anyhow::bail!("{}", e.text(crate::i18n::Lang::from_env())),
    }
}

/// The server socket for the database at `db`: `KYODO_SOCKET`, else `<db>/kyodo.sock`.
pub fn socket_path(db: &std::path::Path) -> PathBuf {
    std::env::var_os("KYODO_SOCKET")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| db.join("kyodo.sock"))
}

/// The OS login of the person running kyodo: the password-database name of the real user id
/// (what SSH logged in), else `USER`/`LOGNAME`, else `uid:N`.
pub fn os_login() -> String {
    // SAFETY: getuid cannot fail.
    let uid = unsafe { libc::getuid() };
    if let Some(name) = crate::server::peer::login_of_uid(uid) {
        return name;
    }
    ["USER", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| format!("uid:{uid}"))
}

/// The acting user: the OS login and the active staff member with that login, if any
/// (docs/DOMAIN.md, "Who did it"). With `--demo`, a login unknown to the demo data acts as the demo's
/// administrator, so a newcomer can try every job.
pub fn current_actor(store: &Store, demo: bool) -> crate::domain::Actor {
    let login = os_login();
    let staff = store.list::<crate::domain::Staff>().items;
    let mine = staff
        .iter()
        .find(|s| s.active && s.login.as_deref() == Some(login.as_str()))
        .map(|s| s.id)
        .or_else(|| demo.then(|| demo_persona(store)).flatten());
    crate::domain::Actor {
        login,
        staff_id: mine,
    }
}

/// The staff member a newcomer plays in the demo: the liaison who owns the most open follow-ups
/// in the latest year with data, so "My work" shows real work.
fn demo_persona(store: &Store) -> Option<u64> {
    let fy = store.latest_fy_with_data().ok().flatten()?;
    let mut owners: std::collections::BTreeMap<u64, usize> = std::collections::BTreeMap::new();
    for m in store.list_fy::<crate::domain::TeamMeeting>(fy).items {
        for f in m.follow_ups.iter().filter(|f| !f.done) {
            if let Some(o) = f.owner {
                *owners.entry(o).or_default() += 1;
            }
        }
    }
    owners
        .into_iter()
        .max_by_key(|(id, n)| (*n, std::cmp::Reverse(*id)))
        .map(|(id, _)| id)
}
