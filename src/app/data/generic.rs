//! Rows of a record type listed by the generic list (a type's [`RecordType::LIST_COLUMNS`]):
//! loaded, written and shown as the type declares, with no code here per type.

use super::Lookups;
use crate::domain::fields::{Fields, NameTables};
use crate::domain::*;
use crate::store::Store;

/// One record of a generically listed type: its kind, id and fields as the type writes them.
#[derive(Debug, Clone)]
pub struct RecordRow {
    /// Its record type.
    pub kind: RecordKind,
    /// Its id.
    pub id: u64,
    /// Its fields, in [`RecordType::FIELDS`] order.
    pub fields: Fields,
    /// For a 相談案件, its consultations in date order (its timeline, from the store's
    /// `case/…` counters); empty for other types.
    pub timeline: Vec<Consultation>,
}

impl RecordRow {
    /// The value of `field` (empty if the type has no such field).
    pub fn get(&self, field: &str) -> &str {
        self.fields
            .iter()
            .find(|(k, _)| *k == field)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Its list cells, one per [`RecordKind::list_columns`] entry, as `lang` says them (a
    /// closed vocabulary's term in English, a year in the user's calendar).
    pub fn cells(&self, lang: crate::i18n::Lang) -> Vec<String> {
        self.kind
            .list_columns()
            .iter()
            .map(|(f, _)| lang.said_value(f, self.get(f).to_string()))
            .collect()
    }
}

/// The records of `kind` in fiscal year `fy` (through its date index when it has one, else
/// by [`RecordType::in_year`] over its tree, which a generically listed type keeps small), newest
/// first by [`RecordType::export_order`], with the problems of records that could not be read.
pub fn load(
    store: &Store,
    kind: RecordKind,
    fy: FiscalYear,
    lk: &Lookups,
) -> (Vec<RecordRow>, Vec<String>) {
    struct Load<'a>(&'a Store, FiscalYear, &'a Lookups);
    impl Visit for Load<'_> {
        type Out = (Vec<RecordRow>, Vec<String>);
        fn visit<T: RecordType>(self) -> Self::Out {
            let Load(store, fy, lk) = self;
            let mut names = NameTables {
                bodies: lk
                    .bodies
                    .iter()
                    .map(|(id, b)| (*id, b.name.clone()))
                    .collect(),
                staff: lk
                    .staff
                    .iter()
                    .map(|(id, p)| (*id, p.name.clone()))
                    .collect(),
                ..NameTables::default()
            };
            if !T::NAMES_BY_LABEL.is_empty() {
                // Grants' and payments' labels name their program.
                let (all, _) = store.name_tables();
                names.programs = all.programs;
                names.grants = all.grants;
            }
            let mut problems: Vec<String> = store
                .add_labels(&mut names, T::KIND)
                .iter()
                .map(|e| e.to_string())
                .collect();
            let loaded = store.list_year::<T>(fy, &names);
            problems.extend(loaded.problems.iter().map(|e| e.to_string()));
            let mut v: Vec<T> = loaded.items;
            v.sort_by(|a, b| b.export_order(a, &names));
            let rows = v
                .iter()
                .map(|r| RecordRow {
                    kind: T::KIND,
                    id: match RecordType::key(r) {
                        Key::Id(id) => id,
                        Key::Name(_) => 0,
                    },
                    fields: r.write(&names),
                    timeline: Vec::new(),
                })
                .collect::<Vec<RecordRow>>();
            let mut rows = rows;
            if T::KIND == RecordKind::ConsultationCase {
                for row in &mut rows {
                    match store.case_timeline(row.id) {
                        Ok(t) => row.timeline = t,
                        Err(e) => problems.push(e.to_string()),
                    }
                }
            }
            (rows, problems)
        }
    }
    kind.visit(Load(store, fy, lk))
}
