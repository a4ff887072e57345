//! The store's reads: one record, a tree, a fiscal year's dated records, counters and
//! indicator counts, and raw tree access for checks.

use super::*;

impl Store {
    /// Names for ids (bodies, staff, programs, grants: what writing a record's fields needs),
    /// with the problems of any tree that could not be read whole (its records then missing).
    pub fn name_tables(&self) -> (crate::domain::fields::NameTables, Vec<StoreError>) {
        use crate::domain::{Body, Grant, Staff, SubsidyProgram};
        fn take<T>(l: Loaded<T>, problems: &mut Vec<StoreError>) -> Vec<T> {
            problems.extend(l.problems);
            l.items
        }
        let mut problems = Vec::new();
        let bodies = take(self.list::<Body>(), &mut problems);
        let staff = take(self.list::<Staff>(), &mut problems);
        let programs = take(self.list::<SubsidyProgram>(), &mut problems);
        let grants = take(self.list::<Grant>(), &mut problems);
        let awards = take(self.list::<crate::domain::award::Award>(), &mut problems);
        let award_terms = programs
            .iter()
            .filter_map(|p| p.award_terms.map(|t| (p.id, t)))
            .collect();
        let mut names = crate::domain::fields::NameTables {
            award_terms,
            awards: awards.into_iter().map(|a| (a.id, a)).collect(),
            award_grants: Default::default(),
            founded: bodies.iter().map(|b| (b.id, b.established_on)).collect(),
            bodies: bodies.into_iter().map(|b| (b.id, b.name)).collect(),
            staff: staff.into_iter().map(|s| (s.id, s.name)).collect(),
            programs: programs
                .into_iter()
                .map(|p| (p.id, (p.name, p.fiscal_year)))
                .collect(),
            grants: grants
                .iter()
                .map(|g| (g.id, (g.program_id, g.recipient)))
                .collect(),
            labels: Default::default(),
        };
        for g in grants.iter().filter(|g| g.award.is_some()) {
            let fy = crate::domain::fields::Resolver::program_of(&names, g.program_id).1;
            names.learn_award_grant(g, fy);
        }
        (names, problems)
    }

    /// Adds to `names` the labels ([`crate::domain::RecordType::label`]) of every record of
    /// the kinds that a record of `of` names by label (its `NAMES_BY_LABEL`), and of the kinds
    /// those labels are made of, reading each of those trees once. Returns the problems of trees that could not be read whole.
    pub fn add_labels(
        &self,
        names: &mut crate::domain::fields::NameTables,
        of: crate::domain::RecordKind,
    ) -> Vec<StoreError> {
        use crate::domain::{RecordType, Visit};
        struct Labels<'a>(&'a Store, &'a crate::domain::fields::NameTables);
        impl Visit for Labels<'_> {
            type Out = (Vec<(u64, String)>, Vec<StoreError>);
            fn visit<T: RecordType>(self) -> Self::Out {
                let l = self.0.list::<T>();
                let out = l
                    .items
                    .iter()
                    .filter_map(|r| match r.key() {
                        crate::domain::Key::Id(id) => Some((id, r.label(self.1))),
                        crate::domain::Key::Name(_) => None,
                    })
                    .collect();
                (out, l.problems)
            }
        }
        let mut problems = Vec::new();
        for &kind in of.names_by_label() {
            if names
                .labels
                .range((kind, 0)..=(kind, u64::MAX))
                .next()
                .is_some()
            {
                continue;
            }
            // A label may be made of other labels (a grant's names its 自治会): those first.
            if kind != of {
                problems.extend(self.add_labels(names, kind));
            }
            let (labels, p) = kind.visit(Labels(self, names));
            problems.extend(p);
            names
                .labels
                .extend(labels.into_iter().map(|(id, l)| ((kind, id), l)));
        }
        problems
    }

    /// Reads one record by key.
    ///
    /// Errors: [`StoreError::Decode`] naming tree and key.
    pub fn get<T: Record>(&self, key: &[u8]) -> Result<Option<T>> {
        match &self.backend {
            Backend::Local(l) => l.get(key),
            Backend::Remote(c) => {
                let req = remote::Request::Get {
                    tree: T::TREE,
                    key: key.to_vec(),
                };
                match c.call(&req, true)? {
                    remote::Reply::Value(Some(v)) => decode_at::<T>(T::TREE, key, &v).map(Some),
                    remote::Reply::Value(None) => Ok(None),
                    other => Err(remote::unexpected(&other)),
                }
            }
        }
    }

    /// Reads one record by numeric id.
    ///
    /// Errors: as [`Store::get`].
    pub fn get_id<T: Record>(&self, id: u64) -> Result<Option<T>> {
        self.get(&keys::id_key(id))
    }

    /// The records of a type that belong to fiscal year `fy` (its [`RecordType::in_year`],
    /// which may need names from `names`): through its date index when it has one, in date
    /// order; else its whole table, in key order, filtered.
    ///
    /// [`RecordType::in_year`]: crate::domain::RecordType::in_year
    pub fn list_year<T: crate::domain::RecordType>(
        &self,
        fy: FiscalYear,
        names: &dyn crate::domain::fields::Resolver,
    ) -> Loaded<T> {
        match <T as Record>::INDEX {
            Some(_) => self.list_fy::<T>(fy),
            None => {
                let mut l = self.list::<T>();
                l.items.retain(|r| r.in_year(fy, names));
                l
            }
        }
    }

    /// Reads every record of a small table (bodies, staff, programs, indicators…), in key order.
    /// Not for the date-indexed tables at scale: use [`Store::list_fy`].
    pub fn list<T: Record>(&self) -> Loaded<T> {
        if let Backend::Local(l) = &self.backend {
            return l.list();
        }
        let mut out = Loaded::default();
        let r = self.scan_pairs(T::TREE, b"", |k, v| {
            out.add(decode_at::<T>(T::TREE, k, v));
            Ok(())
        });
        if let Err(e) = r {
            out.problems.push(e);
        }
        out
    }

    /// Reads the records of one fiscal year through the date index, in date order; a type
    /// without one ([`Record::INDEX`]) gives a problem and no records.
    pub fn list_fy<T: Record>(&self, fy: FiscalYear) -> Loaded<T> {
        let c = match &self.backend {
            Backend::Local(l) => return l.list_fy(fy),
            Backend::Remote(c) => c,
        };
        let mut out = Loaded::default();
        let Some(date_index) = T::INDEX else {
            out.problems.push(super::local_read::no_index(T::TREE));
            return out;
        };
        let r = c.pages(
            |after| remote::Request::ListFy {
                tree: T::TREE,
                index: date_index,
                fy: fy.0,
                after,
            },
            |k, v| {
                out.add(decode_at::<T>(T::TREE, &k, &v));
                Ok(())
            },
        );
        if let Err(e) = r {
            out.problems.push(e);
        }
        out
    }

    /// Number of index entries of a date-indexed type in one fiscal year (keys only); 0 when
    /// the server cannot be reached.
    pub fn count_fy<T: Dated>(&self, fy: FiscalYear) -> usize {
        match &self.backend {
            Backend::Local(l) => l.count_fy::<T>(fy),
            Backend::Remote(c) => {
                let req = remote::Request::CountFy {
                    index: T::DATE_INDEX,
                    fy: fy.0,
                };
                match c.call(&req, true) {
                    Ok(remote::Reply::Count(n)) => n as usize,
                    _ => 0,
                }
            }
        }
    }

    /// Monthly cells of a counter for one fiscal year: index 0 = April … 11 = March.
    ///
    /// Errors: sled errors; a malformed cell is a [`StoreError::Decode`].
    pub fn counter_months(&self, metric: &Metric, fy: FiscalYear) -> Result<[i64; 12]> {
        // One range scan over the year's (at most twelve) cells.
        let mut out = [0i64; 12];
        let prefix = keys::counter_prefix(&metric.name(), fy);
        self.scan_pairs(TreeName::Counters, &prefix, |k, v| {
            put_month_cell(&prefix, k, v, &mut out)
        })?;
        Ok(out)
    }

    /// The ids that end the keys of the positive counters under `prefix` (`…/<id>`): how the
    /// store finds the records a counter index points at (open follow-ups, a case's
    /// consultations, a record's documents) without reading the records around them.
    ///
    /// Errors: a counter that cannot be read.
    pub fn ids_under(&self, prefix: &str) -> Result<Vec<u64>> {
        let prefix = prefix.as_bytes();
        let mut out = Vec::new();
        self.scan_pairs(TreeName::Counters, prefix, |k, v| {
            let n = v.try_into().map(i64::from_be_bytes).unwrap_or(0);
            if n > 0
                && let Some(id) = std::str::from_utf8(&k[prefix.len()..])
                    .ok()
                    .and_then(|s| s.rsplit('/').next())
                    .and_then(|s| s.parse::<u64>().ok())
            {
                out.push(id);
            }
            Ok(())
        })?;
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    /// The meetings that hold open follow-ups of `owner`, whatever their year (from the
    /// `follow_ups_open` counters, so the cost grows with what is open, not with the meetings).
    ///
    /// Errors: a counter that cannot be read.
    pub fn meetings_with_open_follow_ups(
        &self,
        owner: crate::domain::StaffId,
    ) -> Result<Vec<crate::domain::TeamMeetingId>> {
        self.ids_under(&crate::domain::open_follow_ups_prefix(owner))
    }

    /// The meetings that hold open follow-ups of anyone (see
    /// [`Store::meetings_with_open_follow_ups`]), each once, in id order.
    ///
    /// Errors: a counter that cannot be read.
    pub fn meetings_with_any_open_follow_ups(&self) -> Result<Vec<crate::domain::TeamMeetingId>> {
        self.ids_under(&format!("{}/", crate::domain::FOLLOW_UPS_OPEN))
    }

    /// The consultations of 相談案件 `case`, in date order (from the `case/…` counters its
    /// consultations keep, so only they are read; redacted as the role may see them).
    ///
    /// Errors: a counter or record that cannot be read.
    pub fn case_timeline(&self, case: u64) -> Result<Vec<crate::domain::Consultation>> {
        let ids = self.ids_under(&crate::domain::fields::case_timeline_prefix(case))?;
        let mut out = Vec::new();
        for id in ids {
            if let Some(c) = self.get_id::<crate::domain::Consultation>(id)? {
                out.push(c);
            }
        }
        out.sort_by_key(|c| (c.date, c.id));
        Ok(out)
    }

    /// A counter's total for one fiscal year.
    ///
    /// Errors: as [`Store::counter_months`].
    pub fn counter_total(&self, metric: &Metric, fy: FiscalYear) -> Result<i64> {
        Ok(self.counter_months(metric, fy)?.iter().sum())
    }

    /// Every counted indicator's figure for `fy`, from counters (plus the bodies table, which
    /// holds at most a few hundred records). Cost does not grow with the number of records.
    ///
    /// Errors: the first body that cannot be read; counter errors.
    pub fn fy_counts(&self, fy: FiscalYear) -> Result<FyCounts> {
        self.fy_counts_with(fy, &self.year_facts()?)
    }

    /// What the yearly counts read besides counters, read once for any number of years: the
    /// bodies, the staff bank's registrants and the 職員意識調査 rounds and sheets (small trees).
    ///
    /// Errors: a record that cannot be read.
    pub fn year_facts(&self) -> Result<YearFacts> {
        Ok(YearFacts {
            bodies: self.list::<Body>().whole()?,
            registrants: self.list().whole()?,
            rounds: self.list().whole()?,
            sheets: self.list().whole()?,
        })
    }

    /// [`Store::fy_counts`] with the facts already read ([`Store::year_facts`]).
    ///
    /// Errors: counter errors.
    pub fn fy_counts_with(&self, fy: FiscalYear, facts: &YearFacts) -> Result<FyCounts> {
        Ok(FyCounts {
            body_activities: self.counter_total(&Metric::BodyActivities, fy)?,
            dialogue_support: self.counter_total(&Metric::DialogueSupport, fy)?,
            team_meetings: self.counter_total(&Metric::TeamMeetings, fy)?,
            consultations: self.counter_total(&Metric::Consultations, fy)?,
            bodies: facts.bodies.iter().filter(|b| b.counts_in(fy)).count() as i64,
            staff_bank: crate::domain::staff_bank::active_at(&facts.registrants, fy),
            staff_awareness: awareness_in(fy, &facts.rounds, &facts.sheets),
        })
    }

    /// Consultation counts (records + tallies) per category and fiscal month.
    ///
    /// Errors: counter errors.
    pub fn consultations_by_category(&self, fy: FiscalYear) -> Result<Vec<(Category, [i64; 12])>> {
        Category::ALL
            .iter()
            .map(|c| Ok((*c, self.counter_months(&Metric::Category(*c), fy)?)))
            .collect()
    }

    /// Consultation counts (records + tallies) per channel for the fiscal year.
    ///
    /// Errors: counter errors.
    pub fn consultations_by_channel(&self, fy: FiscalYear) -> Result<Vec<(Channel, i64)>> {
        Channel::ALL
            .iter()
            .map(|c| Ok((*c, self.counter_total(&Metric::Channel(*c), fy)?)))
            .collect()
    }

    /// The latest fiscal year that has any dated record (meetings, consultations, tallies,
    /// activities), read from the last key of each date index.
    pub fn latest_fy_with_data(&self) -> Result<Option<FiscalYear>> {
        match &self.backend {
            Backend::Local(l) => l.latest_fy_with_data(),
            Backend::Remote(c) => match c.call(&remote::Request::LatestFy, true)? {
                remote::Reply::Number(n) => Ok(n.map(|n| FiscalYear(n as i32))),
                other => Err(remote::unexpected(&other)),
            },
        }
    }

    /// Whether the database holds no records at all (meta aside). Through a server that cannot
    /// be reached: `false`.
    pub fn is_empty(&self) -> bool {
        match &self.backend {
            Backend::Local(l) => l.is_empty(),
            Backend::Remote(c) => matches!(
                c.call(&remote::Request::IsEmpty, true),
                Ok(remote::Reply::Flag(true))
            ),
        }
    }

    /// Raw access for tests of corruption handling: overwrite a value's bytes without decoding.
    #[doc(hidden)]
    pub fn raw_put(&self, tree: TreeName, key: &[u8], value: &[u8]) -> Result<()> {
        match &self.backend {
            Backend::Local(l) => l.raw_put(tree, key, value),
            Backend::Remote(_) => Err(StoreError::Exclusive("raw access")),
        }
    }

    /// Raw access for tests of corruption handling: remove a key without its effects.
    #[doc(hidden)]
    pub fn raw_remove(&self, tree: TreeName, key: &[u8]) -> Result<()> {
        match &self.backend {
            Backend::Local(l) => l.raw_remove(tree, key),
            Backend::Remote(_) => Err(StoreError::Exclusive("raw access")),
        }
    }

    /// Number of entries in a tree (tests and `check`); 0 when the server cannot be reached.
    pub fn tree_len(&self, tree: TreeName) -> usize {
        match &self.backend {
            Backend::Local(l) => l.tree_len(tree),
            Backend::Remote(c) => match c.call(&remote::Request::TreeLen(tree), true) {
                Ok(remote::Reply::Count(n)) => n as usize,
                _ => 0,
            },
        }
    }

    /// Every key of a tree (tests and `check`; never used on a hot path).
    pub fn tree_keys(&self, tree: TreeName) -> Vec<Vec<u8>> {
        if let Backend::Local(l) = &self.backend {
            return l.tree_keys(tree);
        }
        let mut out = Vec::new();
        let _ = self.scan_pairs(tree, b"", |k, _| {
            out.push(k.to_vec());
            Ok(())
        });
        out
    }
}

/// What yearly counts read besides counters ([`Store::year_facts`]).
#[derive(Debug, Default)]
pub struct YearFacts {
    /// Every body.
    pub bodies: Vec<Body>,
    /// Every まちづくりスタッフバンク registrant.
    pub registrants: Vec<crate::domain::staff_bank::StaffBankRegistrant>,
    /// Every 職員意識調査 round.
    pub rounds: Vec<crate::domain::staff_survey::StaffSurvey>,
    /// Every answer sheet.
    pub sheets: Vec<crate::domain::survey_response::SurveyResponse>,
}

/// The awareness of fiscal year `fy`'s latest 職員意識調査 round that has answers, and that
/// round's id (issue 19.5).
fn awareness_in(
    fy: FiscalYear,
    rounds: &[crate::domain::staff_survey::StaffSurvey],
    sheets: &[crate::domain::survey_response::SurveyResponse],
) -> Option<(crate::domain::Figure, u64)> {
    let mut mine: Vec<&crate::domain::staff_survey::StaffSurvey> =
        rounds.iter().filter(|r| r.fiscal_year == fy).collect();
    mine.sort_by_key(|r| std::cmp::Reverse(r.conducted_on));
    mine.iter().find_map(|r| {
        let answers: Vec<&[u8]> = sheets
            .iter()
            .filter(|s| s.round == r.id)
            .map(|s| s.answers.as_slice())
            .collect();
        crate::domain::staff_survey::awareness(r, &answers).map(|a| (a, r.id))
    })
}
