//! `kyodo export TYPE`: one record type as CSV with the column layout `kyodo import` reads
//! (data/demo/README.md), written by the same field codec (`domain::fields::write_*`), so an
//! exported file imports back to the same records. Excel-ready: UTF-8, UTF-8 with BOM or CP932.

use super::encoding::{Encoding, check_field};
use crate::domain::fields::{self, Resolver, columns};
use crate::domain::*;
use crate::store::{Loaded, Store, records::Record};
use std::collections::BTreeMap;

/// The record types `export` writes: exactly the ones `kyodo import` reads, in its order.
pub use super::import::FILE_ORDER as TYPES;

/// One exported record: a label for messages (e.g. `grant 12`) and its fields by column name.
pub type ExportRow = (String, Vec<(&'static str, String)>);

/// Names for ids, read once from the store (only what writing needs).
struct Names {
    bodies: BTreeMap<BodyId, String>,
    staff: BTreeMap<StaffId, String>,
    programs: BTreeMap<SubsidyProgramId, (String, FiscalYear)>,
    grants: BTreeMap<GrantId, (SubsidyProgramId, BodyId)>,
}

impl Resolver for Names {
    fn body(&self, _: &str) -> Result<BodyId, Text> {
        Err(Text::new("", ""))
    }
    fn staff(&self, _: &str) -> Result<StaffId, Text> {
        Err(Text::new("", ""))
    }
    fn program(&self, _: &str, _: FiscalYear) -> Result<SubsidyProgramId, Text> {
        Err(Text::new("", ""))
    }
    fn grant(&self, _: SubsidyProgramId, _: BodyId) -> Result<GrantId, Text> {
        Err(Text::new("", ""))
    }
    fn indicator(&self, _: &str) -> bool {
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
    fn grant_of(&self, id: GrantId) -> (SubsidyProgramId, BodyId) {
        self.grants.get(&id).copied().unwrap_or((0, 0))
    }
}

fn all<T>(l: Loaded<T>) -> Result<Vec<T>, Text> {
    match l.problems.into_iter().next() {
        Some(e) => Err(Text::new(e.to_string(), e.to_string())),
        None => Ok(l.items),
    }
}

/// Rows of `kind` (fields by column name), limited to fiscal year `fy` when given: dated records
/// by their date, programs by their year, grants and payments by their program's year,
/// assignments that overlap it, counts taken in it. Bodies, staff and indicators are always whole.
///
/// Errors: an unknown type (the message lists the types), or a record that cannot be read.
pub fn rows(store: &Store, kind: &str, fy: Option<FiscalYear>) -> Result<Vec<ExportRow>, Text> {
    let programs = all(store.list::<SubsidyProgram>())?;
    let grants = all(store.list::<Grant>())?;
    let names = Names {
        bodies: all(store.list::<Body>())?
            .into_iter()
            .map(|b| (b.id, b.name))
            .collect(),
        staff: all(store.list::<Staff>())?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect(),
        programs: programs
            .iter()
            .map(|p| (p.id, (p.name.clone(), p.fiscal_year)))
            .collect(),
        grants: grants
            .iter()
            .map(|g| (g.id, (g.program_id, g.body_id)))
            .collect(),
    };
    let in_fy = |d: chrono::NaiveDate| fy.is_none_or(|f| f.contains(d));
    let program_in_fy = |p: SubsidyProgramId| {
        fy.is_none_or(|f| names.programs.get(&p).is_some_and(|(_, y)| *y == f))
    };
    let label = |t: &str, id: u64| format!("{t} {id}");
    fn dated<T: Record + crate::store::records::Dated>(
        store: &Store,
        fy: Option<FiscalYear>,
    ) -> Result<Vec<T>, Text> {
        match fy {
            Some(f) => all(store.list_fy::<T>(f)),
            None => all(store.list::<T>()),
        }
    }
    let out: Vec<ExportRow> = match kind {
        "bodies" => {
            let mut v = all(store.list::<Body>())?;
            v.sort_by(|a, b| a.kana.cmp(&b.kana));
            v.iter()
                .map(|b| (label("body", b.id), fields::write_body(b)))
                .collect()
        }
        "body_counts" => {
            let mut v: Vec<BodyCount> = all(store.list::<BodyCount>())?
                .into_iter()
                .filter(|c| in_fy(c.as_of))
                .collect();
            v.sort_by_key(|c| (c.as_of, names.body_name(c.body_id)));
            v.iter()
                .map(|c| {
                    (
                        label("body count", c.id),
                        fields::write_body_count(c, &names),
                    )
                })
                .collect()
        }
        "staff" => {
            let mut v = all(store.list::<Staff>())?;
            v.sort_by(|a, b| a.kana.cmp(&b.kana));
            v.iter()
                .map(|s| (label("staff", s.id), fields::write_staff(s)))
                .collect()
        }
        "assignments" => all(store.list::<Assignment>())?
            .iter()
            .filter(|a| fy.is_none_or(|f| a.overlaps(f)))
            .map(|a| {
                (
                    label("assignment", a.id),
                    fields::write_assignment(a, &names),
                )
            })
            .collect(),
        "subsidy_programs" => programs
            .iter()
            .filter(|p| program_in_fy(p.id))
            .map(|p| (label("program", p.id), fields::write_program(p)))
            .collect(),
        "grants" => grants
            .iter()
            .filter(|g| program_in_fy(g.program_id))
            .map(|g| (label("grant", g.id), fields::write_grant(g, &names)))
            .collect(),
        "disbursements" => {
            let mut v: Vec<Disbursement> = all(store.list::<Disbursement>())?
                .into_iter()
                .filter(|d| program_in_fy(names.grant_of(d.grant_id).0))
                .collect();
            v.sort_by_key(|d| (d.date, d.id));
            v.iter()
                .map(|d| {
                    (
                        label("payment", d.id),
                        fields::write_disbursement(d, &names),
                    )
                })
                .collect()
        }
        "team_meetings" => dated::<TeamMeeting>(store, fy)?
            .iter()
            .map(|m| (label("meeting", m.id), fields::write_meeting(m, &names)))
            .collect(),
        "consultations" => dated::<Consultation>(store, fy)?
            .iter()
            .map(|c| {
                (
                    label("consultation", c.id),
                    fields::write_consultation(c, &names),
                )
            })
            .collect(),
        "consultation_tallies" => dated::<ConsultationTally>(store, fy)?
            .iter()
            .map(|t| (label("tally", t.id), fields::write_tally(t)))
            .collect(),
        "body_activities" => dated::<BodyActivity>(store, fy)?
            .iter()
            .map(|a| (label("activity", a.id), fields::write_activity(a, &names)))
            .collect(),
        "indicators" => {
            let mut v = all(store.list::<Indicator>())?;
            v.sort_by_key(|i| i.order);
            v.iter()
                .map(|i| (format!("indicator {}", i.id), fields::write_indicator(i)))
                .collect()
        }
        "indicator_values" => {
            let mut v: Vec<IndicatorEntry> = all(store.list::<IndicatorEntry>())?
                .into_iter()
                .filter(|e| fy.is_none_or(|f| e.fiscal_year == f))
                .collect();
            v.sort_by_key(|e| (e.fiscal_year, e.indicator_id.clone()));
            v.iter()
                .map(|e| {
                    (
                        label("indicator value", e.id),
                        fields::write_indicator_value(e),
                    )
                })
                .collect()
        }
        "plan_actions" => {
            let mut v = all(store.list::<PlanAction>())?;
            v.retain(|a| fy.is_none_or(|f| a.plan_start <= f && f <= a.plan_end));
            v.sort_by_key(|a| (a.plan.clone(), a.number));
            v.iter()
                .map(|a| (label("plan action", a.id), fields::write_plan_action(a)))
                .collect()
        }
        other => {
            return Err(Text::new(
                format!(
                    "「{other}」という種類はありません。次のどれかです: {}",
                    TYPES.join(", ")
                ),
                format!("no record type '{other}'; use one of {}", TYPES.join(", ")),
            ));
        }
    };
    // Dated records are exported in date order (the index order).
    Ok(out)
}

/// The CSV text of `kind` with a header row of the import's column names, every field checked
/// for `enc` first.
///
/// Errors: see [`rows`]; for CP932, the record and column holding a character it cannot write.
pub fn csv_text(
    store: &Store,
    kind: &str,
    fy: Option<FiscalYear>,
    enc: Encoding,
) -> Result<String, Text> {
    csv_text_with(store, kind, fy, enc, &|_, _| {})
}

/// [`csv_text`], calling `progress(rows written, rows)` as it goes.
pub fn csv_text_with(
    store: &Store,
    kind: &str,
    fy: Option<FiscalYear>,
    enc: Encoding,
    progress: &dyn Fn(u64, u64),
) -> Result<String, Text> {
    let cols: Vec<&str> = columns::of(kind).iter().map(|(c, _)| *c).collect();
    let data = rows(store, kind, fy)?;
    let mut w = super::cells::CsvOut::new();
    w.row(&cols)?;
    let total = data.len() as u64;
    for (n, (record, fields)) in data.iter().enumerate() {
        if n % 5_000 == 0 {
            progress(n as u64, total);
        }
        let mut line = Vec::with_capacity(cols.len());
        for c in &cols {
            let v = fields
                .iter()
                .find(|(k, _)| k == c)
                .map(|(_, v)| v.as_str())
                .unwrap_or("");
            check_field(enc, record, c, v)?;
            line.push(v);
        }
        w.row(&line)?;
    }
    w.finish()
}
