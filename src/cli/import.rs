//! `kyodo import PATH`.

use crate::i18n::Lang;
use crate::store::Store;
use std::path::Path;

/// Imports `path` and prints rows per type; on failure prints every error to stderr.
/// Returns the exit code: 0 on success, 1 when the import was refused.
pub fn run(store: &Store, path: &Path, lang: crate::i18n::Lang) -> i32 {
    let bar = super::bar::Bar::new(crate::i18n::Msg::BarImport);
    let result = crate::io::import::import_path_with(store, path, &|done, total| {
        if done >= total {
            bar.say(crate::i18n::Msg::BarWriting);
        }
        bar.set(done, total);
    });
    bar.finish();
    match result {
        Ok(summary) => {
            let total: usize = summary.per_type.iter().map(|(_, n)| n).sum();
            // Each type by its name in the user's language and its file name (what to fix).
            let label = |kind: &str| match lang {
                Lang::Ja => format!("{} ({kind})", lang.table(kind)),
                Lang::En => kind.to_string(),
            };
            let total_word = lang.t(crate::i18n::Msg::Total);
            let w = summary
                .per_type
                .iter()
                .map(|(k, _)| crate::text::width(&label(k)))
                .chain([crate::text::width(total_word)])
                .max()
                .unwrap_or(22);
            for (kind, n) in &summary.per_type {
                let t = summary.outcome(kind);
                let (a, u, s) = (t.added, t.updated, t.unchanged);
                let said = crate::domain::Text::new(
                    format!("(追加 {a}、更新 {u}、変更なし {s})"),
                    format!("(added {a}, updated {u}, unchanged {s})"),
                );
                println!(
                    "{} {n:>7}  {}",
                    crate::text::pad(&label(kind), w),
                    said.get(lang)
                );
            }
            println!("{} {total:>7}", crate::text::pad(total_word, w));
            0
        }
        Err(e) => {
            eprint!("{}", crate::text::sanitize_multiline(&e.text(lang)));
            eprintln!();
            1
        }
    }
}
