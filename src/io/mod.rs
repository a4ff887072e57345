//! Data exchange: CSV import (the same code loads the demo dataset and users' files).

pub mod autobackup;
pub mod backup;
pub mod cells;
pub mod csv_in;
pub mod decoded;
pub mod demo;
pub mod encoding;
pub mod export;
pub mod import;
pub mod restore;
pub mod synth;

#[cfg(test)]
mod tests {
    #[test]
    fn every_record_type_has_an_area() {
        for t in super::import::FILE_ORDER {
            assert!(crate::domain::access::Area::of_type(t).is_some(), "{t}");
        }
        assert_eq!(crate::domain::access::Area::of_type("audit"), None);
    }

    /// The record-type recipe (docs/RECORD-TYPES.md) spreads a type over several tables; this
    /// walks them all so a type missing from one fails here, naming the table.
    #[test]
    fn every_record_type_is_in_every_table() {
        use crate::store::{Store, TreeName, records};
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db")).unwrap();
        for t in super::import::FILE_ORDER {
            assert!(
                !crate::domain::fields::columns::of(t).is_empty(),
                "{t}: no columns in domain/fields"
            );
            let tree = TreeName::of_type(t).unwrap_or_else(|| panic!("{t}: no tree"));
            assert!(records::kind(tree).is_some(), "{t}: not in records::kind");
            assert!(
                super::export::rows(&store, t, None).is_ok(),
                "{t}: export does not know it"
            );
        }
        // Every record type is in a backup, and restored.
        for &k in crate::domain::RecordKind::ALL {
            assert!(
                super::backup::record_trees().any(|t| t == TreeName::of_kind(k)),
                "{}: not in a backup",
                k.name()
            );
        }
        // And the other way: every record tree is imported.
        for &tree in TreeName::ALL {
            if records::kind(tree).is_some() {
                assert!(
                    super::import::FILE_ORDER
                        .iter()
                        .any(|t| TreeName::of_type(t) == Some(tree)),
                    "{}: a record tree no file imports",
                    tree.name()
                );
            }
        }
    }
}
