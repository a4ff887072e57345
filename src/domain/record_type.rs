//! What every kind of record declares about itself, once, in its own module ([`RecordType`]),
//! and the one list of record types ([`record_types!`]) from which the store's trees, import,
//! export, restore, check, access, forms and list panes take what they need
//! (docs/RECORD-TYPES.md).

use super::access::Area;
use super::fields::reader::{FieldReader, Fields, Resolver};
use super::limits::Limit;
use super::{Category, Channel, FiscalYear, Role};
use chrono::NaiveDate;
use serde::{Serialize, de::DeserializeOwned};
use std::cmp::Ordering;

/// A record's key in its tree: a numeric id (most types) or a name chosen by people
/// (成果指標 ids such as `I-1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key<'a> {
    /// A number kyodo assigns (0 until stored).
    Id(u64),
    /// A name given in the file or form.
    Name(&'a str),
}

/// Kinds of record that others refer to and that therefore cannot simply be deleted (the
/// store keeps a `ref/<name>/<id>/<tree>` counter per reference; the names are stored).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum RefKind {
    /// A 地域協働体.
    Body,
    /// A staff member.
    Staff,
    /// A subsidy program.
    Program,
    /// A grant.
    Grant,
    /// A 相談案件.
    Case,
    /// A 自治会.
    Association,
    /// An organisation (団体).
    Organisation,
    /// A multi-year award (複数年度の採択).
    Award,
    /// A 協働事業.
    Project,
    /// A まちづくりスタッフバンク registrant.
    Registrant,
    /// A 職員意識調査 round.
    Survey,
}

impl RefKind {
    /// Every kind.
    pub const ALL: [RefKind; 11] = [
        RefKind::Body,
        RefKind::Staff,
        RefKind::Program,
        RefKind::Grant,
        RefKind::Case,
        RefKind::Association,
        RefKind::Organisation,
        RefKind::Award,
        RefKind::Project,
        RefKind::Registrant,
        RefKind::Survey,
    ];

    /// Name used in counter keys and messages (stored: never change one).
    pub fn name(self) -> &'static str {
        match self {
            RefKind::Body => "body",
            RefKind::Staff => "staff",
            RefKind::Program => "program",
            RefKind::Grant => "grant",
            RefKind::Case => "case",
            RefKind::Association => "association",
            RefKind::Organisation => "organisation",
            RefKind::Award => "award",
            RefKind::Project => "project",
            RefKind::Registrant => "registrant",
            RefKind::Survey => "survey",
        }
    }
}

/// A counter the store keeps per fiscal year and fiscal month (the figures of the plan's
/// indicator table, docs/DOMAIN.md "Indicators", without scanning records).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Team meetings held.
    TeamMeetings,
    /// Consultations: detailed records count 1 each, tallies their count.
    Consultations,
    /// Consultations and tallies with category 話し合い支援.
    DialogueSupport,
    /// Body activities.
    BodyActivities,
    /// Consultations and tallies per category (a record with two categories counts in both).
    Category(Category),
    /// Consultations and tallies per channel.
    Channel(Channel),
    /// Detailed consultation records.
    ConsultationRecords,
}

impl Metric {
    /// The counter's name, the first part of its keys (stored: never change one).
    pub fn name(&self) -> String {
        self.name_parts().concat()
    }

    /// [`Metric::name`] in the parts it is joined from, with nothing allocated (a counter key
    /// is made several times per record written).
    pub fn name_parts(&self) -> [&'static str; 2] {
        match self {
            Metric::TeamMeetings => ["team_meetings", ""],
            Metric::Consultations => ["consultations", ""],
            Metric::DialogueSupport => ["dialogue_support", ""],
            Metric::BodyActivities => ["body_activities", ""],
            Metric::Category(c) => ["category.", c.code()],
            Metric::Channel(c) => ["channel.", c.code()],
            Metric::ConsultationRecords => ["consultation_records", ""],
        }
    }
}

/// Everything the rest of kyodo needs to know of one kind of record, declared in the type's own
/// module. Layers above take it from here: the store (tree, key, references, counters, date
/// index, redaction), import and export (fields, natural key, year, order), access (area), and
/// the screens (title, fields, list cells).
pub trait RecordType: Serialize + DeserializeOwned + Clone + Send + Sync + 'static {
    /// Its place in the list of record types.
    const KIND: RecordKind;
    /// Its name: the store's tree and `kyodo export`'s type, e.g. `team_meetings` (stored:
    /// never change one).
    const NAME: &'static str;
    /// Its CSV file's name without `.csv`, and its form's field table, when not [`Self::NAME`].
    const FILE: &'static str = Self::NAME;
    /// Where it comes in an import of several files (lower first; equal ranks keep
    /// [`record_types!`]'s order): after every type it refers to. A new type can keep the
    /// default, which reads it after every type that has a rank.
    const IMPORT_RANK: u32 = u32::MAX;
    /// Its name on screen and in messages, Japanese and English (the seed's term).
    const TITLE: (&'static str, &'static str);
    /// Its records counted in messages (`3 bodies`, 「地域協働体 3件」), Japanese and English.
    const PLURAL: (&'static str, &'static str) = Self::TITLE;
    /// One record in messages, e.g. `meeting` in `meeting 12`.
    const LABEL: &'static str;
    /// Its fields `(name, required)` in file and form order: the CSV columns and form fields.
    const FIELDS: &'static [(&'static str, bool)];
    /// Size limits of its fields where not [`limit_of`](super::limits::limit_of)'s (checked
    /// before anything is written).
    const LIMITS: &'static [(&'static str, Limit)] = &[];
    /// Labels of its own fields `(field, ja, en)`, where the shared table
    /// (`i18n::FIELD_LABELS`) has none or a different meaning.
    const FIELD_LABELS: &'static [(&'static str, &'static str, &'static str)] = &[];
    /// The fields a list of its records shows `(field, width in cells; 0 = the rest)`, when it
    /// is listed by the generic list (a view in the pane of its [`RecordType::AREA`]); empty
    /// for a type with a list of its own.
    const LIST_COLUMNS: &'static [(&'static str, u16)] = &[];
    /// What a write of it touches, for the role table (docs/DOMAIN.md "Roles").
    const AREA: Area;
    /// How others refer to it, if they may (then it cannot be deleted while they do).
    const REF: Option<RefKind> = None;
    /// The kinds its records may refer to (see [`RecordType::refs`]).
    const REFERS_TO: &'static [RefKind] = &[];
    /// The name of its `fy|date|id` index tree, for a type listed per fiscal year by date.
    const BY_DATE: Option<&'static str> = None;
    /// The layout of its stored values: 1 for the first, raised by one each time a field is
    /// added (new fields go last, `#[serde(default)]` so that older backups read). The store
    /// brings values of an earlier layout forward through [`RecordType::upgrade`] when it opens
    /// the database (docs/RECORD-TYPES.md, "Adding a field").
    const LAYOUT: u32 = 1;
    /// The kinds whose records it names by their label ([`RecordType::label`]; what a reader
    /// resolves with [`Resolver::labelled`] and a writer writes with [`Resolver::label_of`]):
    /// import, export and forms load those labels for it.
    const NAMES_BY_LABEL: &'static [RecordKind] = &[];
    /// Whether a stored record may only move forward ([`RecordType::may_replace`] is asked
    /// on every update, by every path that writes: forms, import, the server).
    const FORWARD_ONLY: bool = false;
    /// Whether its records are keyed by a numeric id (set by [`crate::numeric_id!`]); a bulk
    /// import that is undone removes such records by id.
    const NUMERIC_ID: bool = false;

    /// Its key in its tree.
    fn key(&self) -> Key<'_>;
    /// Sets its numeric id (a type keyed by name ignores it).
    fn set_id(&mut self, id: u64);
    /// What makes two records the same one when a file is imported again (import matches on
    /// it and updates instead of adding; docs/DOMAIN.md "Import").
    fn natural_key(&self) -> String;
    /// Reads a record from named fields (a CSV row or a form), reporting every bad field to
    /// `r`; `None` when any was bad. `id` is the record's id (0 for a new one).
    fn read(r: &mut dyn FieldReader, res: &dyn Resolver, id: u64) -> Option<Self>;
    /// The record as the same named fields ([`RecordType::read`] reads them back).
    fn write(&self, res: &dyn Resolver) -> Fields;
    /// The records it refers to.
    fn refs(&self) -> Vec<(RefKind, u64)> {
        Vec::new()
    }
    /// Its date, for a type with a date index ([`RecordType::BY_DATE`]).
    fn date(&self) -> Option<NaiveDate> {
        None
    }
    /// The counters it adds to: `(metric, date, amount)`.
    fn counts(&self) -> Vec<(Metric, NaiveDate, i64)> {
        Vec::new()
    }
    /// Counters under names of its own, whatever the year: `(name, amount)`, kept by the store
    /// like the metrics (an update takes back what the old version counted), read by prefix.
    fn keyed_counts(&self) -> Vec<(String, i64)> {
        Vec::new()
    }
    /// Whether it belongs to fiscal year `fy` (`kyodo export --fy`); every record by default.
    fn in_year(&self, fy: FiscalYear, _res: &dyn Resolver) -> bool {
        match self.date() {
            Some(d) => fy.contains(d),
            None => true,
        }
    }
    /// The order of export files (ties keep the store's order).
    fn export_order(&self, _other: &Self, _res: &dyn Resolver) -> Ordering {
        Ordering::Equal
    }
    /// Fields whose content the audit trail never holds (personal details that may be erased on
    /// request): their diffs say a value was set, changed to empty or left, as `●●●`, never the
    /// value itself.
    const PRIVATE: &'static [&'static str] = &[];
    /// Whether `role` sees less of this type than is stored (docs/DOMAIN.md "Privacy").
    fn redacts(_role: Role) -> bool {
        false
    }
    /// Removes what `role` may not see.
    fn redact(&mut self, _role: Role) {}
    /// One field's value in an audit diff (JSON), as `role` may see it.
    fn redact_field(_field: &str, value: serde_json::Value, _role: Role) -> serde_json::Value {
        value
    }
    /// How another record names this one in a file or form, unique within its type: by
    /// default its [`RecordType::natural_key`].
    fn label(&self, _res: &dyn Resolver) -> String {
        self.natural_key()
    }
    /// A value stored in an earlier layout ([`RecordType::LAYOUT`]), read as that layout's
    /// struct through `older` and brought forward; `None` when it is none of them. It must
    /// keep everything the store derives (keys, indexes, counters).
    fn upgrade<O: Older>(_older: &O) -> Option<Self> {
        None
    }
    /// Whether `self` may replace the stored `old` (for a [`RecordType::FORWARD_ONLY`] type:
    /// a lifecycle that moves forward only).
    ///
    /// Errors: what is refused and why, in both languages.
    fn may_replace(&self, _old: &Self) -> Result<(), super::Text> {
        Ok(())
    }
    /// Its cells in a list pane, one per [`RecordType::FIELDS`] entry by default (its fields
    /// as written).
    fn cells(&self, res: &dyn Resolver) -> Vec<String> {
        self.write(res).into_iter().map(|(_, v)| v).collect()
    }
}

/// A stored value of an earlier layout, as the store hands it to [`RecordType::upgrade`].
pub trait Older {
    /// The value decoded as `V` (an earlier layout's struct), if it is one.
    fn read<V: DeserializeOwned>(&self) -> Option<V>;
}

/// The [`RecordType::key`] and [`RecordType::set_id`] of a type keyed by its `id: u64` field
/// (most types), written inside its `impl RecordType`.
#[macro_export]
macro_rules! numeric_id {
    () => {
        const NUMERIC_ID: bool = true;
        fn key(&self) -> $crate::domain::Key<'_> {
            $crate::domain::Key::Id(self.id)
        }
        fn set_id(&mut self, id: u64) {
            self.id = id;
        }
    };
}

/// Something done for one record type, whatever it is: [`RecordKind::visit`] calls
/// [`Visit::visit`] with the type of a kind, so generic code reaches every registered type
/// without a match per type.
pub trait Visit {
    /// What the visit gives back.
    type Out;
    /// Does it for type `T`.
    fn visit<T: RecordType>(self) -> Self::Out;
}

/// Calls `$then! { Type $(in module)? => Tree $(/ DateIndexTree)?, … }` with every record type,
/// in the store's order. **The one registration of a record type**: append a line here (a
/// tree's position is stored in version keys, so never reorder), after the types it refers to;
/// `in module` names the type's module in `domain` when it is not re-exported there.
#[macro_export]
macro_rules! record_types {
    ($then:ident) => {
        $then! {
            Body => Bodies,
            Staff => Staff,
            BodyCount => BodyCounts,
            Assignment => Assignments,
            TeamMeeting => TeamMeetings / TeamMeetingsByDate,
            Consultation => Consultations / ConsultationsByDate,
            ConsultationTally => ConsultationTallies / TalliesByDate,
            BodyActivity => BodyActivities / ActivitiesByDate,
            SubsidyProgram => SubsidyPrograms,
            Grant => Grants,
            Disbursement => Disbursements,
            Indicator => Indicators,
            IndicatorEntry => IndicatorEntries,
            PlanAction => PlanActions,
            DocumentRef in document_ref => DocumentRefs,
            CommunityPlanRevision in plan_revision => CommunityPlanRevisions,
            ActionResult in action_result => ActionResults,
            CommitteeMeeting in committee_meeting => CommitteeMeetings,
            CommitteeOpinion in committee_opinion => CommitteeOpinions,
            Plan in plan_record => Plans,
            Request in request => Requests,
            ConsultationCase in consultation_case => ConsultationCases,
            DesignationTerm in designation => DesignationTerms,
            NeighborhoodAssociation in neighborhood_association => NeighborhoodAssociations,
            Organisation in organisation => Organisations,
            Award in award => Awards,
            AllocationScenario in scenario => AllocationScenarios,
            CollaborationProject in collaboration_project => CollaborationProjects,
            ProjectEvaluation in project_evaluation => ProjectEvaluations,
            Event in event => Events,
            Training in training => Trainings,
            StaffBankRegistrant in staff_bank => StaffBankRegistrants,
            Appointment in appointment => Appointments,
            StaffSurvey in staff_survey => StaffSurveys,
            SurveyResponse in survey_response => SurveyResponses,
        }
    };
}

macro_rules! declare_kinds {
    ($($t:ident $(in $m:ident)? => $tree:ident $(/ $index:ident)?,)*) => {
        /// Which record type, as a value: one per line of [`record_types!`], in its order.
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize,
        )]
        pub enum RecordKind {
            $(
                #[doc = concat!("A `", stringify!($t), "`.")]
                $t,
            )*
        }

        impl RecordKind {
            /// Every record type, in the store's order.
            pub const ALL: &'static [RecordKind] = &[$(RecordKind::$t),*];

            /// Runs `v` with this kind's type.
            pub fn visit<V: Visit>(self, v: V) -> V::Out {
                match self {
                    $(RecordKind::$t => v.visit::<super::$($m::)?$t>(),)*
                }
            }
        }
    };
}
record_types!(declare_kinds);

/// The constants of one record type, as a value (one row per kind, from its
/// [`RecordType`] impl), so that code holding a [`RecordKind`] reads them without a visit.
struct Info {
    name: &'static str,
    file: &'static str,
    title: (&'static str, &'static str),
    plural: (&'static str, &'static str),
    fields: &'static [(&'static str, bool)],
    limits: &'static [(&'static str, Limit)],
    list_columns: &'static [(&'static str, u16)],
    field_labels: &'static [(&'static str, &'static str, &'static str)],
    area: Area,
    as_ref: Option<RefKind>,
    refers_to: &'static [RefKind],
}

macro_rules! kind_info {
    ($($t:ident $(in $m:ident)? => $tree:ident $(/ $index:ident)?,)*) => {
        /// [`Info`] of every kind, in [`RecordKind::ALL`]'s order.
        static INFO: &[Info] = &[$({
            type T = super::$($m::)?$t;
            Info {
                name: <T as RecordType>::NAME,
                file: <T as RecordType>::FILE,
                title: <T as RecordType>::TITLE,
                plural: <T as RecordType>::PLURAL,
                fields: <T as RecordType>::FIELDS,
                limits: <T as RecordType>::LIMITS,
                list_columns: <T as RecordType>::LIST_COLUMNS,
                field_labels: <T as RecordType>::FIELD_LABELS,
                area: <T as RecordType>::AREA,
                as_ref: <T as RecordType>::REF,
                refers_to: <T as RecordType>::REFERS_TO,
            }
        }),*];
    };
}
record_types!(kind_info);

/// `(ja, en)` in `lang`.
fn in_lang((ja, en): (&'static str, &'static str), lang: super::Lang) -> &'static str {
    match lang {
        super::Lang::Ja => ja,
        super::Lang::En => en,
    }
}

impl RecordKind {
    fn info(self) -> &'static Info {
        &INFO[self as usize]
    }

    /// Its [`RecordType::NAME`].
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Its [`RecordType::FILE`].
    pub fn file(self) -> &'static str {
        self.info().file
    }

    /// Its [`RecordType::TITLE`] in `lang`.
    pub fn title(self, lang: super::Lang) -> &'static str {
        in_lang(self.info().title, lang)
    }

    /// Its [`RecordType::PLURAL`] in `lang`.
    pub fn plural(self, lang: super::Lang) -> &'static str {
        in_lang(self.info().plural, lang)
    }

    /// Its [`RecordType::FIELDS`].
    pub fn fields(self) -> &'static [(&'static str, bool)] {
        self.info().fields
    }

    /// Its [`RecordType::LIMITS`].
    pub fn limits(self) -> &'static [(&'static str, Limit)] {
        self.info().limits
    }

    /// Its [`RecordType::LIST_COLUMNS`].
    pub fn list_columns(self) -> &'static [(&'static str, u16)] {
        self.info().list_columns
    }

    /// Its own label of `field` ([`RecordType::FIELD_LABELS`]) in `lang`, if it has one.
    pub fn field_label(self, field: &str, lang: super::Lang) -> Option<&'static str> {
        let (_, ja, en) = self
            .info()
            .field_labels
            .iter()
            .find(|(f, _, _)| *f == field)?;
        Some(in_lang((ja, en), lang))
    }

    /// Its [`RecordType::AREA`].
    pub fn area(self) -> Area {
        self.info().area
    }

    /// The kinds whose records may refer to `kind` (their [`RecordType::REFERS_TO`]).
    pub fn referring_to(kind: RefKind) -> impl Iterator<Item = RecordKind> {
        RecordKind::ALL
            .iter()
            .copied()
            .filter(move |k| k.info().refers_to.contains(&kind))
    }

    /// The kind others refer to as `kind`.
    pub fn of_ref(kind: RefKind) -> Option<RecordKind> {
        RecordKind::ALL
            .iter()
            .copied()
            .find(|k| k.as_ref() == Some(kind))
    }

    /// Its [`RecordType::REF`].
    pub fn as_ref(self) -> Option<RefKind> {
        self.info().as_ref
    }

    /// Whether records of another kind name records of this one by label (it is in some
    /// type's [`RecordType::NAMES_BY_LABEL`]).
    pub fn is_labelled(self) -> bool {
        static LABELLED: std::sync::OnceLock<Vec<RecordKind>> = std::sync::OnceLock::new();
        LABELLED
            .get_or_init(|| {
                RecordKind::ALL
                    .iter()
                    .flat_map(|k| k.names_by_label().iter().copied())
                    .collect()
            })
            .contains(&self)
    }

    /// The kinds records of this kind name by label ([`RecordType::NAMES_BY_LABEL`]).
    pub fn names_by_label(self) -> &'static [RecordKind] {
        struct Named;
        impl Visit for Named {
            type Out = &'static [RecordKind];
            fn visit<T: RecordType>(self) -> Self::Out {
                T::NAMES_BY_LABEL
            }
        }
        self.visit(Named)
    }

    /// The kind named `name` as a tree/type name or a file name (`indicator_values`).
    pub fn of_name(name: &str) -> Option<RecordKind> {
        RecordKind::ALL
            .iter()
            .copied()
            .find(|k| k.name() == name || k.file() == name)
    }
}
