//! The `kyodo` binary: parse the command line and dispatch (see `kyodo::cli`).

/// The allocator: sled copies and frees a node for nearly every write, from several threads,
/// and glibc's malloc, contended between them, took a third of a bulk import's time (issue
/// 20's profile). jemalloc (tikv-jemallocator, MIT/Apache-2.0, kept by the TiKV project)
/// imports 500,000 consultations in 7.6 s where glibc took 11.9 s; mimalloc was as fast but
/// held 140 MiB against 96. Blocks of 256 KiB or more still come from the C library: sled
/// allocates 21 MiB of zeroed histograms at open, which glibc maps as untouched zero pages and
/// jemalloc would write (every process would hold 23 MiB more, the TUI's too).
#[global_allocator]
static ALLOCATOR: Split = Split;

/// Small blocks from jemalloc, large ones from the C library, chosen by layout alone (so a
/// block is always freed where it came from).
struct Split;

/// The size from which a block comes from the C library (sled's histograms are 512 KiB each).
const LARGE: usize = 256 << 10;

fn large(layout: std::alloc::Layout) -> bool {
    // glibc's malloc aligns to 16 bytes; anything stricter stays with jemalloc.
    layout.size() >= LARGE && layout.align() <= 16
}

// SAFETY: each block is allocated and freed by the same allocator, decided by its layout
// (which Rust passes unchanged to dealloc and realloc); a realloc across the threshold copies
// between the two.
unsafe impl std::alloc::GlobalAlloc for Split {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        if large(layout) {
            // SAFETY: a plain C allocation of a non-zero size.
            unsafe { libc::malloc(layout.size()) as *mut u8 }
        } else {
            // SAFETY: as GlobalAlloc::alloc.
            unsafe { tikv_jemallocator::Jemalloc.alloc(layout) }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        if large(layout) {
            // SAFETY: as above; calloc maps fresh zero pages without writing them.
            unsafe { libc::calloc(1, layout.size()) as *mut u8 }
        } else {
            // SAFETY: as GlobalAlloc::alloc_zeroed.
            unsafe { tikv_jemallocator::Jemalloc.alloc_zeroed(layout) }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        if large(layout) {
            // SAFETY: ptr came from libc::malloc or calloc (same layout rule).
            unsafe { libc::free(ptr as *mut libc::c_void) }
        } else {
            // SAFETY: ptr came from jemalloc with this layout.
            unsafe { tikv_jemallocator::Jemalloc.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new: usize) -> *mut u8 {
        // SAFETY: the new layout is valid (GlobalAlloc::realloc's contract).
        let to = unsafe { std::alloc::Layout::from_size_align_unchecked(new, layout.align()) };
        match (large(layout), large(to)) {
            // SAFETY: ptr came from libc with this layout.
            (true, true) => unsafe { libc::realloc(ptr as *mut libc::c_void, new) as *mut u8 },
            // SAFETY: ptr came from jemalloc with this layout.
            (false, false) => unsafe { tikv_jemallocator::Jemalloc.realloc(ptr, layout, new) },
            _ => {
                // SAFETY: a fresh block of the new layout, the old one's bytes copied, the old
                // one freed where it came from.
                unsafe {
                    let p = self.alloc(to);
                    if !p.is_null() {
                        std::ptr::copy_nonoverlapping(ptr, p, layout.size().min(new));
                        self.dealloc(ptr, layout);
                    }
                    p
                }
            }
        }
    }
}

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
