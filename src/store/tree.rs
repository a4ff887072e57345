//! The trees kyodo keeps in sled: one per record type, date indexes, counters, meta, audit,
//! drafts and versions. A tree's position in [`TreeName::ALL`] is stored in version keys.

use crate::domain::{RecordKind, RecordType};

macro_rules! declare_trees {
    ($($t:ident $(in $m:ident)? => $tree:ident $(/ $index:ident)?,)*) => {
        /// Every tree kyodo keeps: one per record type (`id → value`, from
        /// [`crate::record_types!`]), a `fy|date|id` index per dated type, then counters, meta,
        /// audit, drafts and versions.
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize,
        )]
        pub enum TreeName {
            $(
                #[doc = concat!("`", stringify!($t), "` records by id (or name).")]
                $tree,
            )*
            $($(
                #[doc = concat!("Index `fy|date|id` of `", stringify!($t), "` records.")]
                $index,
            )?)*
            /// Counter cells `metric/FY/slot → i64` and reference counts `ref/kind/id/tree → i64`.
            Counters,
            /// Schema version, the audit chain's head, and other metadata.
            Meta,
            /// Audit entries by sequence number (append-only, hash-chained).
            Audit,
            /// Unsaved forms kept when a session was cut, by OS login (not records: not audited).
            Drafts,
            /// Record versions: `tree index (1) ++ key → Version` (shared-mode concurrent edits).
            Versions,
        }

        impl TreeName {
            /// Every tree, in the order they are opened (the index into [`Store`]'s tree
            /// vector); record trees first, in [`crate::record_types!`]'s order.
            pub const ALL: &'static [TreeName] = &[
                $(TreeName::$tree,)*
                $($(TreeName::$index,)?)*
                TreeName::Counters,
                TreeName::Meta,
                TreeName::Audit,
                TreeName::Drafts,
                TreeName::Versions,
            ];

            /// The `fy|date|id` index trees, one per dated record type.
            pub const DATE_INDEXES: &'static [TreeName] = &[$($(TreeName::$index,)?)*];

            /// The record tree of `kind`.
            pub const fn of_kind(kind: RecordKind) -> TreeName {
                match kind {
                    $(RecordKind::$t => TreeName::$tree,)*
                }
            }

            /// The record type kept in this tree; `None` for index and other trees.
            pub const fn kind(self) -> Option<RecordKind> {
                match self {
                    $(TreeName::$tree => Some(RecordKind::$t),)*
                    _ => None,
                }
            }

            /// The date index tree of `kind`, if it is listed by date.
            pub const fn index_of(kind: RecordKind) -> Option<TreeName> {
                #[allow(unreachable_patterns)]
                match kind {
                    $($(RecordKind::$t => Some(TreeName::$index),)?)*
                    _ => None,
                }
            }

            /// The sled tree name (also the record type's name in CSV and messages).
            pub fn name(self) -> &'static str {
                match self {
                    $(TreeName::$tree => <crate::domain::$($m::)?$t as RecordType>::NAME,)*
                    $($(TreeName::$index => index_name(RecordKind::$t),)?)*
                    TreeName::Counters => "counters",
                    TreeName::Meta => "meta",
                    TreeName::Audit => "audit",
                    TreeName::Drafts => "drafts",
                    TreeName::Versions => "versions",
                }
            }
        }
    };
}
crate::record_types!(declare_trees);

impl TreeName {
    /// The record tree of a record type named as in CSV files or by its tree name
    /// (`indicator_values` is the `indicator_entries` tree); `None` for other names.
    pub fn of_type(name: &str) -> Option<TreeName> {
        RecordKind::of_name(name).map(TreeName::of_kind)
    }

    pub(crate) fn index(self) -> usize {
        TreeName::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
}

/// The [`RecordType::BY_DATE`] name of `kind`'s index tree.
fn index_name(kind: RecordKind) -> &'static str {
    struct V;
    impl crate::domain::Visit for V {
        type Out = &'static str;
        fn visit<T: RecordType>(self) -> &'static str {
            T::BY_DATE.unwrap_or("by_date")
        }
    }
    kind.visit(V)
}
