//! `kyodo restore` and `kyodo serve` as commands: what they print, and the automatic backups
//! that follow a command.

use super::*;

/// The day's automatic backup of an embedded database, in a background thread (the TUI).
pub(super) fn spawn_auto_backup(store: &Store) {
    let store = store.with_actor(store.actor().clone());
    std::thread::spawn(move || {
        if let Err(t) = crate::io::autobackup::run_if_due(&store) {
            // The TUI shows nothing of it; the next command will try again and say why.
            let _ = t;
        }
    });
}

/// The day's automatic backup after an embedded command; a failure is said on stderr.
pub(super) fn auto_backup_after(store: &Store, lang: crate::i18n::Lang) {
    if let Err(t) = crate::io::autobackup::run_if_due(store) {
        let said = crate::domain::Text::new(
            "自動バックアップに失敗しました",
            "the automatic backup failed",
        );
        eprintln!(
            "kyodo: {}: {}",
            said.get(lang),
            crate::text::sanitize(t.get(lang))
        );
    }
}

pub(super) fn unreachable_restore() -> i32 {
    // Restore is handled before a database is opened (it builds a new one aside).
    2
}

/// `kyodo --db PATH restore FILE|--latest`; returns the exit code.
pub(super) fn restore(
    cli: &Cli,
    file: Option<&std::path::Path>,
    latest: bool,
    lang: crate::i18n::Lang,
) -> anyhow::Result<i32> {
    let target = match &cli.db {
        Some(p) => p.clone(),
        None => default_db_path()?,
    };
    let archive = match (file, latest) {
        (Some(f), _) => f.to_path_buf(),
        (None, _) => {
            let t = target.display();
            let dir = crate::io::autobackup::dir_for(&target).ok_or_else(|| {
                let said = crate::domain::Text::new(
                    format!("自動バックアップは止められています(KYODO_BACKUP_DIR=off)。アーカイブを指定してください: kyodo --db {t} restore FILE"),
                    format!("automatic backups are off (KYODO_BACKUP_DIR=off); name an archive: kyodo --db {t} restore FILE"),
                );
                anyhow::anyhow!("{}", said.get(lang))
            })?;
            crate::io::autobackup::latest(&dir).ok_or_else(|| {
                let d = dir.display();
                let said = crate::domain::Text::new(
                    format!("{d} に自動バックアップがありません。`kyodo backup` で作ったアーカイブを指定してください: kyodo --db {t} restore FILE"),
                    format!("no automatic backup in {d}; name an archive made with `kyodo backup`: kyodo --db {t} restore FILE"),
                );
                anyhow::anyhow!("{}", said.get(lang))
            })?
        }
    };
    let bar = super::bar::Bar::new(crate::i18n::Msg::BarRestore);
    let size = std::fs::metadata(&archive).map(|m| m.len()).unwrap_or(0);
    let result = crate::io::restore::restore(
        &target,
        &archive,
        crate::io::import::IMPORT_CHUNK,
        &|read| {
            if read >= size {
                bar.say(crate::i18n::Msg::BarChecking);
            }
            bar.set(read, size);
        },
    );
    bar.finish();
    match result {
        Ok(r) => {
            for w in &r.warnings {
                eprintln!("kyodo restore: {}", crate::text::sanitize(w.get(lang)));
            }
            let records: u64 = r
                .counts
                .iter()
                .filter(|(k, _)| *k != "audit")
                .map(|(_, n)| n)
                .sum();
            let audit = r.counts.get("audit").copied().unwrap_or(0);
            let (a, t) = (archive.display(), target.display());
            let said = crate::domain::Text::new(
                format!(
                    "{a} から {t} に記録 {records} 件と監査記録 {audit} 件を復元しました。件数、ダイジェスト、監査記録の連鎖、検査を確かめました"
                ),
                format!(
                    "restored {records} records and {audit} audit entries from {a} into {t}; verified: counts, digest, audit chain, check"
                ),
            );
            println!("{}", said.get(lang));
            if let Some(p) = r.moved_aside {
                let p = p.display();
                let said = crate::domain::Text::new(
                    format!("壊れたデータベースは {p} に残してあります"),
                    format!("the damaged database is kept at {p}"),
                );
                println!("{}", said.get(lang));
            }
            Ok(0)
        }
        Err(t) => {
            eprintln!("kyodo restore: {}", crate::text::sanitize(t.get(lang)));
            Ok(1)
        }
    }
}

/// Runs `kyodo serve` until SIGTERM or SIGINT; returns the exit code.
///
/// Errors: the socket cannot be bound (another server answers there), the log cannot be
/// opened, or the final flush failed.
pub(super) fn serve(
    store: Store,
    socket: Option<&std::path::Path>,
    log: Option<&std::path::Path>,
) -> anyhow::Result<i32> {
    let socket = socket
        .map(PathBuf::from)
        .unwrap_or_else(|| socket_path(store.path()));
    let log: Box<dyn std::io::Write + Send> = match log {
        Some(p) => Box::new(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .mode(0o600)
                .open(p)
                .map_err(|e| {
                    let p = p.display();
                    let said = crate::domain::Text::new(
                        format!("ログ {p} を開けません: {e}"),
                        format!("cannot open the log {p}: {e}"),
                    );
                    anyhow::anyhow!("{}", said.get(crate::i18n::Lang::from_env()))
                })?,
        ),
        None => Box::new(std::io::stderr()),
    };
    let server =
        crate::server::Server::bind(store, &socket, crate::server::Identify::PeerCred, log)?;
    let stopper = server.stopper();
    let mut signals = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGHUP,
    ])?;
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            stopper.stop();
        }
    });
    server.run()?;
    Ok(0)
}
