//! Reading and writing named fields: the reader that collects every bad field
//! ([`FieldReader`]), the names-to-ids resolver ([`Resolver`]), and the small helpers every record
//! type's fields use.

use super::super::*;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Both wordings of a message.
pub(crate) fn t(ja: impl Into<String>, en: impl Into<String>) -> Text {
    Text::new(ja, en)
}

/// A source of named text fields that collects errors.
pub trait FieldReader {
    /// The field's text, trimmed; empty if absent.
    fn raw(&self, key: &str) -> String;
    /// Records that `key` holding `value` is wrong, and why.
    fn error(&mut self, key: &str, value: &str, message: Text);
    /// Whether no error has been recorded.
    fn ok(&self) -> bool;

    /// Whether a plain number is an Excel date serial (files from Excel; not typed input).
    fn excel_serials(&self) -> bool {
        false
    }

    /// The field, or `None` if empty.
    fn opt(&self, key: &str) -> Option<String> {
        Some(self.raw(key)).filter(|s| !s.is_empty())
    }

    /// A required field.
    fn req(&mut self, key: &str) -> String {
        let v = self.raw(key);
        if v.is_empty() {
            self.error(
                key,
                "",
                t(
                    "必須項目です。入力してください",
                    "required; this must not be empty",
                ),
            );
        }
        v
    }

    /// A required date in any accepted form (and, from Excel files, a date serial).
    fn date(&mut self, key: &str) -> NaiveDate {
        let v = self.raw(key);
        if self.excel_serials()
            && let Some(d) = excel_serial(&v)
        {
            return d;
        }
        let parsed = match self.near() {
            Some(today) => crate::domain::parse_date_near(&v, today),
            None => parse_date(&v),
        };
        match parsed {
            Ok(d) => d,
            Err(e) => {
                self.error(key, &v, e.text());
                NaiveDate::MIN
            }
        }
    }

    /// The day a month and day typed alone (`6/1`) is taken near: `Some(today)` for what people
    /// type in forms ([`crate::domain::parse_date_near`]); `None` for files, which must carry the
    /// year.
    fn near(&self) -> Option<NaiveDate> {
        None
    }

    /// An optional date.
    fn opt_date(&mut self, key: &str) -> Option<NaiveDate> {
        self.opt(key).map(|_| self.date(key))
    }

    /// A fiscal year (2024, FY2024, R6, 令和6年度).
    fn fy(&mut self, key: &str) -> FiscalYear {
        let v = self.raw(key);
        match parse_fiscal_year(&v) {
            Ok(f) => f,
            Err(e) => {
                self.error(key, &v, e);
                FiscalYear(0)
            }
        }
    }

    /// A whole number ≥ 0 (commas and full-width digits accepted).
    fn num(&mut self, key: &str) -> u32 {
        let v = self.raw(key);
        let s: String = date_parse::normalize_width(&v)
            .chars()
            .filter(|c| *c != ',')
            .collect();
        match s.parse::<u32>() {
            Ok(n) => n,
            Err(_) => {
                self.error(
                    key,
                    &v,
                    t(
                        "0以上の整数を入力してください(例: 1,234)",
                        "expected a whole number ≥ 0 (e.g. 1,234)",
                    ),
                );
                0
            }
        }
    }

    /// A whole number, `default` when empty.
    fn num_or(&mut self, key: &str, default: u32) -> u32 {
        self.opt(key).map(|_| self.num(key)).unwrap_or(default)
    }

    /// Yen (commas, 円, ¥, full-width digits accepted).
    fn yen(&mut self, key: &str) -> i64 {
        let v = self.raw(key);
        match money::parse_yen(&v) {
            Ok(n) => n,
            Err(e) => {
                self.error(key, &v, e.text());
                0
            }
        }
    }

    /// Optional yen.
    fn opt_yen(&mut self, key: &str) -> Option<i64> {
        self.opt(key).map(|_| self.yen(key))
    }

    /// A decimal figure with up to two places.
    fn figure(&mut self, key: &str) -> Figure {
        let v = self.raw(key);
        match Figure::parse(&v) {
            Ok(f) => f,
            Err(e) => {
                self.error(key, &v, e.text());
                Figure(0)
            }
        }
    }

    /// A yes/no field: 1/0, true/false, はい/いいえ, 済/未, 有効/無効.
    fn opt_bool(&mut self, key: &str) -> Option<bool> {
        let v = self.opt(key)?;
        match parse_bool(&v) {
            Some(b) => Some(b),
            None => {
                self.error(
                    key,
                    &v,
                    t(
                        "1/0 または はい/いいえ で入力してください",
                        "expected 1/0, true/false or はい/いいえ",
                    ),
                );
                None
            }
        }
    }

    /// A `;`-separated list (also `、` and `；`).
    fn list(&self, key: &str) -> Vec<String> {
        self.raw(key)
            .split([';', '、', '；'])
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    }
}

/// A term of a closed vocabulary (code, Japanese or English); `None` (and an error) if unknown.
pub fn vocab<V>(
    r: &mut dyn FieldReader,
    key: &str,
    parse: fn(&str) -> Option<V>,
    choices: fn() -> String,
) -> Option<V> {
    let v = r.raw(key);
    let out = parse(&v);
    if out.is_none() {
        r.error(
            key,
            &v,
            t(
                format!(
                    "選べる値ではありません。次のどれかにしてください: {}",
                    choices()
                ),
                format!("unknown value; use one of {}", choices()),
            ),
        );
    }
    out
}

/// An Excel date serial (days since 1899-12-30, e.g. `45383` = 2024-04-01; `45383.0` too), for
/// dates between 1950 and 2150; `None` for anything else.
pub fn excel_serial(s: &str) -> Option<NaiveDate> {
    let t = date_parse::normalize_width(s);
    let t = t.strip_suffix(".0").unwrap_or(&t);
    if t.is_empty() || t.len() > 6 || !t.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n: i64 = t.parse().ok()?;
    if !(18_264..=91_311).contains(&n) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_signed(chrono::Duration::days(n))
}

/// Reads yes/no words.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s.trim() {
        "1" | "true" | "yes" | "済" | "はい" | "○" | "有効" => Some(true),
        "0" | "false" | "no" | "未" | "いいえ" | "×" | "無効" | "" => Some(false),
        _ => None,
    }
}

/// Finds records by the names people type, and names records for writing.
pub trait Resolver {
    /// A body by name or kana.
    fn body(&self, name: &str) -> Result<BodyId, Text>;
    /// A staff member by name, kana or login.
    fn staff(&self, name: &str) -> Result<StaffId, Text>;
    /// A program by name and fiscal year.
    fn program(&self, name: &str, fy: FiscalYear) -> Result<SubsidyProgramId, Text>;
    /// The grant to `recipient` under `program`.
    fn grant(
        &self,
        program: SubsidyProgramId,
        recipient: super::super::Recipient,
    ) -> Result<GrantId, Text>;
    /// Whether an indicator with this id exists.
    fn indicator(&self, id: &str) -> bool;
    /// Whether plan `plan` has an action numbered `number`.
    fn plan_action(&self, plan: &str, number: u32) -> bool;
    /// A body's name.
    fn body_name(&self, id: BodyId) -> String;
    /// A staff member's name.
    fn staff_name(&self, id: StaffId) -> String;
    /// A program's name and fiscal year.
    fn program_of(&self, id: SubsidyProgramId) -> (String, FiscalYear);
    /// A grant's program and recipient.
    fn grant_of(&self, id: GrantId) -> (SubsidyProgramId, super::super::Recipient);
    /// The record of `kind` whose [`RecordType::label`](super::super::RecordType::label) is
    /// `label` (how one record names another in a file or form: a 相談案件's number, a grant's
    /// `交付金/年度/地域協働体`). A resolver that cannot look records up refuses.
    fn labelled(&self, kind: super::super::RecordKind, label: &str) -> Result<u64, Text> {
        Err(no_label(kind, label))
    }
    /// The label of record `id` of `kind` (empty when unknown).
    fn label_of(&self, _kind: super::super::RecordKind, _id: u64) -> String {
        String::new()
    }
    /// When body `id` was founded (設立日), where the resolver knows it.
    fn body_founded(&self, _id: BodyId) -> Option<NaiveDate> {
        None
    }
    /// The multi-year terms of program `id` (issue 18.2), where the resolver knows them.
    fn award_terms(&self, _id: SubsidyProgramId) -> Option<crate::domain::award::AwardTerms> {
        None
    }
    /// What a grant under award `id` is checked against (issue 18.2), where the resolver
    /// knows it (empty facts otherwise).
    fn award(&self, _id: crate::domain::award::AwardId) -> crate::domain::award::AwardFacts {
        Default::default()
    }
}

/// The refusal of a label that names no record of `kind`.
pub fn no_label(kind: super::super::RecordKind, label: &str) -> Text {
    use super::super::Lang;
    Text::new(
        format!("「{label}」という{}は見つかりません", kind.title(Lang::Ja)),
        format!("no {} '{label}'", kind.title(Lang::En).to_lowercase()),
    )
}

pub(crate) fn body_ref(r: &mut dyn FieldReader, res: &dyn Resolver, key: &str) -> BodyId {
    let v = r.req(key);
    if v.is_empty() {
        return 0;
    }
    res.body(&v).unwrap_or_else(|e| {
        r.error(key, &v, e);
        0
    })
}

pub(crate) fn staff_ref(
    r: &mut dyn FieldReader,
    res: &dyn Resolver,
    key: &str,
    name: &str,
) -> StaffId {
    res.staff(name).unwrap_or_else(|e| {
        r.error(key, name, e);
        0
    })
}

pub(crate) fn program_ref(r: &mut dyn FieldReader, res: &dyn Resolver) -> SubsidyProgramId {
    let name = r.req("program");
    let fy = r.fy("fiscal_year");
    if name.is_empty() {
        return 0;
    }
    res.program(&name, fy).unwrap_or_else(|e| {
        r.error("program", &name, e);
        0
    })
}

/// A record as named fields `(name, text)`, in file order.
pub type Fields = Vec<(&'static str, String)>;

pub(crate) fn d(x: NaiveDate) -> String {
    x.to_string()
}

pub(crate) fn od(x: Option<NaiveDate>) -> String {
    x.map(d).unwrap_or_default()
}

pub(crate) fn oy(x: Option<i64>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

/// Names for ids (what writing a record's fields needs, and all it can do: looking a name up
/// is refused). Export fills it from the store; a list fills what it shows.
#[derive(Debug, Default)]
pub struct NameTables {
    /// Bodies' names by id.
    pub bodies: BTreeMap<BodyId, String>,
    /// Staff members' names by id.
    pub staff: BTreeMap<StaffId, String>,
    /// Programs' names and years by id.
    pub programs: BTreeMap<SubsidyProgramId, (String, FiscalYear)>,
    /// Grants' program and recipient by id.
    pub grants: BTreeMap<GrantId, (SubsidyProgramId, super::super::Recipient)>,
    /// Labels of records others name by label ([`Resolver::label_of`]), by kind and id.
    pub labels: BTreeMap<(super::super::RecordKind, u64), String>,
    /// Bodies' founding dates by id ([`Resolver::body_founded`]).
    pub founded: BTreeMap<BodyId, NaiveDate>,
    /// Programs' multi-year terms by program id ([`Resolver::award_terms`]).
    pub award_terms: BTreeMap<SubsidyProgramId, crate::domain::award::AwardTerms>,
    /// Multi-year awards by id ([`Resolver::award`]).
    pub awards: BTreeMap<crate::domain::award::AwardId, crate::domain::award::Award>,
    /// Each award's grants: `grant → (fiscal year, decided or else applied yen)`.
    pub award_grants: BTreeMap<crate::domain::award::AwardId, BTreeMap<GrantId, (FiscalYear, i64)>>,
}

impl NameTables {
    /// Remembers grant `g` (of fiscal year `fy`) under its award, if it has one.
    pub fn learn_award_grant(&mut self, g: &crate::domain::Grant, fy: FiscalYear) {
        for m in self.award_grants.values_mut() {
            m.remove(&g.id);
        }
        if let Some(a) = g.award {
            self.award_grants
                .entry(a)
                .or_default()
                .insert(g.id, (fy, crate::domain::award::counted(g)));
        }
    }
}

impl Resolver for NameTables {
    fn body(&self, _: &str) -> Result<BodyId, Text> {
        Err(Text::new("", ""))
    }
    fn staff(&self, _: &str) -> Result<StaffId, Text> {
        Err(Text::new("", ""))
    }
    fn program(&self, _: &str, _: FiscalYear) -> Result<SubsidyProgramId, Text> {
        Err(Text::new("", ""))
    }
    fn grant(&self, _: SubsidyProgramId, _: super::super::Recipient) -> Result<GrantId, Text> {
        Err(Text::new("", ""))
    }
    fn indicator(&self, _: &str) -> bool {
        false
    }
    fn plan_action(&self, _: &str, _: u32) -> bool {
        false
    }
    fn body_name(&self, id: BodyId) -> String {
        self.bodies.get(&id).cloned().unwrap_or_default()
    }
    fn staff_name(&self, id: StaffId) -> String {
        self.staff.get(&id).cloned().unwrap_or_default()
    }
    fn program_of(&self, id: SubsidyProgramId) -> (String, FiscalYear) {
        self.programs
            .get(&id)
            .cloned()
            .unwrap_or((String::new(), FiscalYear(0)))
    }
    fn grant_of(&self, id: GrantId) -> (SubsidyProgramId, super::super::Recipient) {
        self.grants.get(&id).copied().unwrap_or_default()
    }
    fn label_of(&self, kind: super::super::RecordKind, id: u64) -> String {
        self.labels.get(&(kind, id)).cloned().unwrap_or_default()
    }
    fn body_founded(&self, id: BodyId) -> Option<NaiveDate> {
        self.founded.get(&id).copied()
    }
    fn award_terms(&self, id: SubsidyProgramId) -> Option<crate::domain::award::AwardTerms> {
        self.award_terms.get(&id).copied()
    }
    fn award(&self, id: crate::domain::award::AwardId) -> crate::domain::award::AwardFacts {
        let award = self.awards.get(&id).cloned();
        let terms = award.as_ref().and_then(|a| {
            self.programs
                .iter()
                .find(|(_, (n, fy))| *n == a.program && *fy == a.first_fy)
                .and_then(|(p, _)| self.award_terms.get(p).copied())
        });
        crate::domain::award::AwardFacts {
            award,
            terms,
            years: self
                .award_grants
                .get(&id)
                .map(|m| m.iter().map(|(g, (fy, a))| (*g, *fy, *a)).collect())
                .unwrap_or_default(),
        }
    }
}
