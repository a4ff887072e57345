//! The `kyodo` binary: parse the command line and dispatch (see `kyodo::cli`).

/// The allocator: sled copies and frees a node for nearly every write, from several threads,
/// and glibc's malloc, contended between them, took a third of a bulk import's time (issue
/// 20's profile). jemalloc (tikv-jemallocator, MIT/Apache-2.0, kept by the TiKV project)
/// imports 500,000 consultations in 7.6 s where glibc took 11.9 s, at the same peak memory
/// (96 against 89 MiB); mimalloc was as fast but held 140 MiB.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    // A command-line tool piped into `head` should stop quietly, not panic on a closed pipe.
    // SAFETY: setting a signal's disposition to the default before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // Every file and directory kyodo creates (the database and what sled writes into it later,
    // backups, exports, logs) is private whatever the caller's umask (issue 11); the few that
    // must be shared (the server's socket, its directory's group search bit) are set so
    // explicitly.
    // SAFETY: umask only changes this process's file-creation mask.
    unsafe {
        libc::umask(0o077);
    }
    // `--lang` wins over KYODO_LANG and the locale (issue 15.2): set, before the command line
    // is parsed (its errors and help are in that language too), where every part of kyodo
    // reads the language from.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = kyodo::cli::help::lang_of_args(&args);
    // SAFETY: no other thread has started yet; nothing reads the environment concurrently.
    unsafe {
        std::env::set_var(
            "KYODO_LANG",
            match lang {
                kyodo::i18n::Lang::Ja => "ja",
                kyodo::i18n::Lang::En => "en",
            },
        );
    }
    let cli = kyodo::cli::help::parse(args, lang);
    match kyodo::cli::run(cli) {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!(
                "kyodo: {}",
                kyodo::text::sanitize_multiline(&format!("{e:#}"))
            );
            std::process::exit(1);
        }
    }
}
