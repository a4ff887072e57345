//! The house's one rule about arrows (issue 13): layers point down only. Every `crate::…` path
//! in src/ (outside comments) must name the file's own layer or one below it. Run by
//! `cargo test`, so an upward import fails CI.

use std::path::{Path, PathBuf};

/// Lowest first. A module may use its own layer and those before it.
const LAYERS: &[&str] = &[
    "text", "domain", "i18n", "wire", "store", "io", "app", "server", "tui", "cli",
];

fn rank(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| *l == module)
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The top-level modules a line names through `crate::` (also inside `use crate::{a, b::c}`).
fn named(line: &str) -> Vec<String> {
    named_at(line).into_iter().map(|(_, m)| m).collect()
}

/// [`named`] with the byte offset of each `crate::` (groups may span lines).
fn named_at(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("crate::") {
        let at = text.len() - rest.len() + i;
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item = String::new();
            let mut at_start = true;
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        at_start = true;
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                if at_start && depth == 0 {
                    if c.is_alphanumeric() || c == '_' {
                        item.push(c);
                    } else if !item.is_empty() {
                        out.push((at, std::mem::take(&mut item)));
                        at_start = false;
                    }
                }
            }
            if at_start && !item.is_empty() {
                out.push((at, item));
            }
        } else {
            let id: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.push((at, id));
        }
    }
    out
}

#[test]
fn no_module_imports_from_a_layer_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    assert!(all.len() > 20, "src/ not found");
    let mut upward = Vec::new();
    for path in &all {
        let rel = path.strip_prefix(&src).unwrap_or(path);
        let first = rel
            .components()
            .next()
            .map(|c| {
                c.as_os_str()
                    .to_string_lossy()
                    .trim_end_matches(".rs")
                    .to_string()
            })
            .unwrap_or_default();
        let Some(own) = rank(&first) else {
            continue; // lib.rs and main.rs sit above everything
        };
        let text = std::fs::read_to_string(path).unwrap_or_default();
        // Comments may name any layer; code may not.
        let code: String = text
            .lines()
            .map(|l| {
                if l.trim_start().starts_with("//") {
                    ""
                } else {
                    l
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        for (at, m) in named_at(&code) {
            if rank(&m).is_some_and(|r| r > own) {
                let line = code[..at].matches('\n').count() + 1;
                upward.push(format!("{}:{line}: {first} uses {m}", rel.display()));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports that point up the layers ({}):\n{}",
        LAYERS.join(" < "),
        upward.join("\n")
    );
}

#[test]
fn the_scanner_sees_grouped_and_nested_paths() {
    assert_eq!(named("use crate::store::Store;"), vec!["store"]);
    assert_eq!(
        named("use crate::{domain::{A, B}, io::x, text};"),
        vec!["domain", "io", "text"]
    );
    assert_eq!(
        named("let x = crate::app::f(crate::tui::g());"),
        vec!["app", "tui"]
    );
    assert_eq!(
        named("use crate::{\n    io::x,\n    server::{a, b},\n};"),
        vec!["io", "server"]
    );
}

/// A record type is declared once (issue 13): the document reference, added by the recipe of
/// docs/RECORD-TYPES.md, is named only by its own module, the one registration list and the
/// `mod` line; import, export, backup, restore, check, the store's trees, access, forms and
/// list panes reach it through the registration.
#[test]
fn a_record_type_is_its_module_and_its_registration_line() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let mut naming: Vec<String> = Vec::new();
    for f in &all {
        let text = std::fs::read_to_string(f).unwrap();
        let words = text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .any(|w| {
                matches!(
                    w,
                    "DocumentRef" | "document_ref" | "document_refs" | "DocumentRefs"
                )
            });
        if words {
            naming.push(f.strip_prefix(&src).unwrap().display().to_string());
        }
    }
    naming.sort();
    assert_eq!(
        naming,
        [
            // Behaviour of its own, not wiring (docs/RECORD-TYPES.md, "What a type may still
            // add elsewhere"; issue 17.4): details list the documents attached to a record
            // (the small table the panes keep), and `kyodo check --files` looks at their paths.
            "app/data/mod.rs",
            "cli/check.rs",
            "domain/document_ref.rs",
            "domain/mod.rs",
            "domain/record_type.rs"
        ]
    );
    for (f, most) in [("app/data/mod.rs", 1), ("cli/check.rs", 1)] {
        let n = std::fs::read_to_string(src.join(f))
            .unwrap()
            .lines()
            .filter(|l| l.contains("DocumentRef") || l.contains("document_ref"))
            .count();
        assert!(
            n <= most,
            "{f} names documents on {n} lines, at most {most}"
        );
    }
    let lines = |f: &str| {
        std::fs::read_to_string(src.join(f))
            .unwrap()
            .lines()
            .filter(|l| l.contains("DocumentRef") || l.contains("document_ref"))
            .count()
    };
    assert_eq!(lines("domain/mod.rs"), 1, "the mod line");
    assert_eq!(lines("domain/record_type.rs"), 1, "the registration line");
}
