//! `kyodo check`: every invariant the store keeps; each problem printed with the record it
//! concerns; exit status 1 when any.

use crate::domain::Text;
use crate::i18n::Lang;
use crate::store::Store;

/// Runs the check (after a repair of indexes and counters when asked) and prints the result;
/// returns the exit code (1 when problems remain).
pub fn run(store: &Store, repair: bool, files: bool, lang: Lang) -> i32 {
    if repair {
        match crate::store::check::repair(store) {
            Ok(r) => {
                let (a, d, c) = (r.index_added, r.index_removed, r.counters_fixed);
                let t = Text::new(
                    format!(
                        "修復: 索引項目を {a} 件追加、{d} 件削除し、件数 {c} 個を数え直した値にしました"
                    ),
                    format!(
                        "repair: {a} index entries added, {d} removed, {c} counters set to their recount"
                    ),
                );
                println!("{}", t.get(lang));
            }
            Err(e) => {
                let t = Text::new(
                    format!(
                        "修復が途中で止まりました: {} (もう一度実行すると続きを行います)",
                        e.text(Lang::Ja)
                    ),
                    format!(
                        "repair stopped: {} (run it again to finish)",
                        e.text(Lang::En)
                    ),
                );
                eprintln!("kyodo check: {}", crate::text::sanitize(t.get(lang)));
                return 1;
            }
        }
    }
    let bar = super::bar::Bar::new(crate::i18n::Msg::BarChecking);
    let report = crate::store::check::check_with(store, &|done, total| bar.set(done, total));
    bar.finish();
    for p in &report.problems {
        println!("{}", crate::text::sanitize(&p.text(lang)));
    }
    let missing = if files { missing_files(store, lang) } else { 0 };
    let (n, records) = (report.problems.len() + missing, report.records);
    let t = if n == 0 {
        Text::new(
            format!(
                "問題なし: 記録 {records} 件、索引・件数・参照・監査記録の連鎖が一致しています"
            ),
            format!(
                "ok: {records} records, indexes, counters, references and the audit chain agree"
            ),
        )
    } else {
        Text::new(
            format!("記録 {records} 件に問題が {n} 件あります"),
            format!("{n} problem(s) in {records} records"),
        )
    };
    println!("{}", t.get(lang));
    if report.problems.is_empty() {
        return i32::from(n > 0);
    }
    // What to do: a wrong index or counter is rebuilt from the records; damaged records come
    // back from the last backup.
    let db = crate::text::sanitize(&store.path().display().to_string());
    let advice = Text::new(
        format!(
            "索引や件数だけが合わないときは `kyodo --db {db} check --repair` で記録から作り直せます。記録そのものが壊れているときは `kyodo --db {db} restore --latest` で最新のバックアップを復元してください"
        ),
        format!(
            "an index or counter that does not agree is rebuilt from the records with `kyodo --db {db} check --repair`; if records themselves are damaged, restore the latest backup with `kyodo --db {db} restore --latest`"
        ),
    );
    println!("{}", advice.get(lang));
    1
}

/// `--files`: prints each document reference whose location is a path (not a URL) that does
/// not exist on this machine, with its 文書番号; returns how many (issue 17.4).
fn missing_files(store: &Store, lang: Lang) -> usize {
    let docs = store.list::<crate::domain::document_ref::DocumentRef>();
    for p in &docs.problems {
        println!("{}", crate::text::sanitize(&p.text(lang)));
    }
    let mut n = docs.problems.len();
    for d in docs.items.iter().filter(|d| d.is_path()) {
        let path = std::path::Path::new(d.location.trim());
        if path.exists() {
            continue;
        }
        n += 1;
        let t = Text::new(
            format!(
                "文書 {}: 保管場所 {} が見つかりません(ファイルを移したときは文書の保管場所を直してください)",
                d.number, d.location
            ),
            format!(
                "document {}: {} does not exist (if the file moved, correct the document's location)",
                d.number, d.location
            ),
        );
        println!("{}", crate::text::sanitize(t.get(lang)));
    }
    n
}
