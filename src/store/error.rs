//! What can go wrong in the store, each with a message that says what to do.

use super::*;

/// What can go wrong in the store. Every variant's message says what happened and what to do.
#[derive(Debug, Error)]
pub enum StoreError {
    /// Another process has the database open (sled allows one).
    #[error(
        "the database at {0} is in use by another kyodo process; close it (or wait for it to finish) and try again"
    )]
    Locked(PathBuf),
    /// sled failed (I/O).
    #[error("database error: {0}")]
    Sled(sled::Error),
    /// sled found damage it cannot read past: the database must be restored.
    #[error("{}", recovery::damaged_message(.path, .detail, crate::i18n::Lang::En))]
    Damaged {
        /// The database directory ("" when not known where the error arose).
        path: PathBuf,
        /// sled's description.
        detail: String,
    },
    /// The database holds less than was acknowledged (issue 10): kyodo refuses to run on it.
    #[error("{}", .0.message(crate::i18n::Lang::En))]
    Lost(Box<recovery::Loss>),
    /// The user may not reach the database's directory or files.
    #[error("{}", no_access_message(.0, crate::i18n::Lang::En))]
    NoAccess(PathBuf),
    /// File system error outside sled.
    #[error("{what}: {source}")]
    Io {
        /// What kyodo was doing.
        what: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// A stored value could not be decoded.
    #[error("cannot read the value in tree '{tree}' at key {key}: {reason} (run `kyodo check`)")]
    Decode {
        /// Tree name.
        tree: &'static str,
        /// Key, printable or hex.
        key: String,
        /// What was wrong.
        reason: String,
    },
    /// A value could not be encoded (a bug).
    #[error("cannot encode a {0} record: {1}")]
    Encode(&'static str, String),
    /// The database was written by a newer kyodo.
    #[error(
        "this database has schema version {found}, newer than this kyodo understands ({supported}); upgrade kyodo"
    )]
    SchemaTooNew {
        /// Version found.
        found: u32,
        /// Version this build supports.
        supported: u32,
    },
    /// A referenced record does not exist, or a value breaks a rule.
    #[error("{0}")]
    Invalid(String),
    /// A record to change or delete is not there (another session may have deleted it).
    #[error("no {tree} record with key {key}; it may have been deleted meanwhile")]
    NotFound {
        /// Tree name.
        tree: &'static str,
        /// Key, printable.
        key: String,
    },
    /// The server refused this user the operation (role table, issue 6).
    #[error("{}", .0.en)]
    Denied(crate::domain::Text),
    /// The record changed after the caller read it (shared mode); nothing was written.
    #[error("{}", stale_message(.0, crate::i18n::Lang::En))]
    Stale(remote::Version),
    /// The kyodo server cannot be reached (it stopped, or the connection broke).
    #[error("{0}; reconnecting when it is back")]
    Disconnected(String),
    /// The kyodo server reported an error.
    #[error("{0}")]
    Remote(String),
    /// An operation that needs the database files to itself was asked of a server.
    #[error(
        "{0} needs the database to itself: stop `kyodo serve`, then run it on the server's --db"
    )]
    Exclusive(&'static str),
    /// A record others refer to cannot be deleted.
    #[error("cannot delete this {kind}: {}; mark it inactive (dissolved) instead", describe_refs(.refs))]
    Referenced {
        /// What was to be deleted (`body`, `staff`, …).
        kind: &'static str,
        /// `(referring tree, count)` for every tree that refers to it.
        refs: Vec<(&'static str, i64)>,
    },
}

/// What to do when the database cannot be reached for lack of permission, in `lang`.
pub fn no_access_message(path: &Path, lang: crate::i18n::Lang) -> String {
    let db = path.display();
    match lang {
        crate::i18n::Lang::Ja => format!(
            "{db} のデータベースを開く権限がありません。共有サーバー(kyodo serve)で使っているなら、管理者にあなたのログインを kyodo-users グループに加えてもらい(usermod -aG kyodo-users ログイン名)、ログインし直してください。自分のデータベースなら、そのディレクトリの持ち主と権限を確かめてください"
        ),
        crate::i18n::Lang::En => format!(
            "you may not open the database at {db} (permission denied). If it is shared through `kyodo serve`, ask an admin to add your login to the kyodo-users group (usermod -aG kyodo-users LOGIN) and log in again; if it is your own, check the directory's owner and mode"
        ),
    }
}

/// The message for a refused stale update, in `lang`: who changed the record and when.
pub fn stale_message(v: &remote::Version, lang: crate::i18n::Lang) -> String {
    let at = chrono::DateTime::from_timestamp_millis(v.at_ms)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_default();
    match lang {
        crate::i18n::Lang::Ja => format!(
            "この記録はあなたが開いた後に {} が {at} に変更しました。入力はそのまま残っています。内容を確かめ、上書きするならもう一度保存してください",
            v.by
        ),
        crate::i18n::Lang::En => format!(
            "{} changed this record at {at}, after you opened it; your input is kept. Check it, and save again to overwrite their change",
            v.by
        ),
    }
}

impl From<sled::Error> for StoreError {
    fn from(e: sled::Error) -> StoreError {
        match e {
            sled::Error::Corruption { .. } => StoreError::Damaged {
                path: PathBuf::new(),
                detail: e.to_string(),
            },
            other => StoreError::Sled(other),
        }
    }
}

impl From<StoreError> for crate::domain::Text {
    /// The message in both languages ([`StoreError::text`]), for callers that answer in `Text`.
    fn from(e: StoreError) -> crate::domain::Text {
        use crate::i18n::Lang;
        crate::domain::Text::new(e.text(Lang::Ja), e.text(Lang::En))
    }
}

impl StoreError {
    /// The message in `lang` (the UI language) where one exists in both, else the English one.
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        match self {
            StoreError::Denied(t) => t.get(lang).to_string(),
            StoreError::Stale(v) => stale_message(v, lang),
            StoreError::Lost(l) => l.message(lang),
            StoreError::NoAccess(p) => no_access_message(p, lang),
            StoreError::Damaged { path, detail } => recovery::damaged_message(path, detail, lang),
            other => other.to_string(),
        }
    }
}

fn describe_refs(refs: &[(&'static str, i64)]) -> String {
    let parts: Vec<String> = refs.iter().map(|(t, n)| format!("{n} {t}")).collect();
    format!("referred to by {}", parts.join(", "))
}

/// Why an import through a server did not happen.
#[derive(Debug)]
pub enum RemoteImportError {
    /// Rows were refused (every one listed); nothing was written.
    Rows(Vec<crate::domain::import_report::RowError>),
    /// The store (or server) failed or refused.
    Store(StoreError),
}

/// Result alias for store operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
