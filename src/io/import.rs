//! `kyodo import`: CSV files, one per record type, with a header row (columns documented in
//! data/demo/README.md). A whole import is all-or-nothing: every file is parsed and checked first,
//! every error is listed with file, line and column, and only a clean import is written, in one
//! transaction.

use crate::domain::*;
use crate::store::{Batch, Store, StoreError};
use std::collections::HashMap;
use std::fmt;
use std::path::Path;

/// The record types import understands, in the order they are read (references point back).
pub const FILE_ORDER: [&str; 12] = [
    "bodies",
    "staff",
    "assignments",
    "subsidy_programs",
    "grants",
    "disbursements",
    "team_meetings",
    "consultations",
    "consultation_tallies",
    "body_activities",
    "indicators",
    "indicator_values",
];

/// One problem in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// File name.
    pub file: String,
    /// 1-based line in the file (the header is line 1).
    pub line: u64,
    /// Column name (header), or empty for a whole-row/file problem.
    pub column: String,
    /// The offending value.
    pub value: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.column.is_empty() {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        } else {
            write!(
                f,
                "{}:{}: column '{}' = '{}': {}",
                self.file, self.line, self.column, self.value, self.message
            )
        }
    }
}

/// Why an import was refused. Nothing was written.
#[derive(Debug)]
pub enum ImportError {
    /// The files had errors; every one is listed.
    Rows(Vec<RowError>),
    /// The path could not be read.
    Io(String),
    /// Writing failed.
    Store(StoreError),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Rows(errs) => {
                writeln!(
                    f,
                    "import refused, nothing was written; {} error(s):",
                    errs.len()
                )?;
                for e in errs {
                    writeln!(f, "  {e}")?;
                }
                Ok(())
            }
            ImportError::Io(m) => write!(f, "{m}"),
            ImportError::Store(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ImportError {}

/// Rows imported per record type, in [`FILE_ORDER`].
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    /// `(type, rows)` for each file read.
    pub per_type: Vec<(String, usize)>,
}

impl ImportSummary {
    /// Rows of one type.
    pub fn rows(&self, kind: &str) -> usize {
        self.per_type
            .iter()
            .find(|(k, _)| k == kind)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    }
}

/// A named input: file name (e.g. `bodies.csv`) and its bytes.
pub struct Source {
    /// File name; its stem says the record type.
    pub name: String,
    /// Contents (UTF-8, with or without BOM).
    pub bytes: Vec<u8>,
}

/// Imports a directory of CSV files (any of `<type>.csv`) or one such file.
///
/// Errors: [`ImportError`]; nothing is written unless every row of every file is valid.
pub fn import_path(store: &Store, path: &Path) -> Result<ImportSummary, ImportError> {
    let read = |p: &Path| {
        std::fs::read(p).map_err(|e| ImportError::Io(format!("cannot read {}: {e}", p.display())))
    };
    let mut sources = Vec::new();
    if path.is_dir() {
        let entries = std::fs::read_dir(path)
            .map_err(|e| ImportError::Io(format!("cannot read {}: {e}", path.display())))?;
        for entry in entries.flatten() {
            let p = entry.path();
            if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
                sources.push(Source {
                    name: entry.file_name().to_string_lossy().into_owned(),
                    bytes: read(&p)?,
                });
            }
        }
        if sources.is_empty() {
            return Err(ImportError::Io(format!(
                "{} holds no .csv files; expected files named {}.csv",
                path.display(),
                FILE_ORDER.join(".csv, ")
            )));
        }
    } else {
        sources.push(Source {
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            bytes: read(path)?,
        });
    }
    import_sources(store, sources)
}

/// Imports named sources (see [`import_path`]).
pub fn import_sources(store: &Store, sources: Vec<Source>) -> Result<ImportSummary, ImportError> {
    let mut ctx = Ctx::new(store).map_err(ImportError::Store)?;
    let mut by_kind: HashMap<String, Source> = HashMap::new();
    let mut errors = Vec::new();
    for s in sources {
        let stem = s.name.strip_suffix(".csv").unwrap_or(&s.name).to_string();
        if FILE_ORDER.contains(&stem.as_str()) {
            by_kind.insert(stem, s);
        } else {
            errors.push(RowError {
                file: s.name.clone(),
                line: 0,
                column: String::new(),
                value: String::new(),
                message: format!(
                    "unknown file name; name it after its record type: {}.csv",
                    FILE_ORDER.join(".csv, ")
                ),
            });
        }
    }
    let mut summary = ImportSummary::default();
    for kind in FILE_ORDER {
        let Some(src) = by_kind.remove(kind) else {
            continue;
        };
        let n = ctx.read_file(kind, &src, &mut errors);
        summary.per_type.push((kind.to_string(), n));
    }
    if !errors.is_empty() {
        return Err(ImportError::Rows(errors));
    }
    let summary_text: Vec<String> = summary
        .per_type
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    let mut batch = ctx.batch;
    batch.as_import(format!("imported: {}", summary_text.join(", ")));
    store.write(batch).map_err(ImportError::Store)?;
    Ok(summary)
}

/// Parsing state: what is known by name so far (stored records plus earlier rows).
struct Ctx<'a> {
    store: &'a Store,
    batch: Batch,
    bodies: HashMap<String, BodyId>,
    staff: HashMap<String, StaffId>,
    programs: HashMap<(String, FiscalYear), SubsidyProgramId>,
    grants: HashMap<(SubsidyProgramId, BodyId), GrantId>,
    indicators: HashMap<String, ()>,
}

impl<'a> Ctx<'a> {
    fn new(store: &'a Store) -> Result<Ctx<'a>, StoreError> {
        let mut ctx = Ctx {
            store,
            batch: Batch::new(),
            bodies: HashMap::new(),
            staff: HashMap::new(),
            programs: HashMap::new(),
            grants: HashMap::new(),
            indicators: HashMap::new(),
        };
        for b in first_problem(store.list::<Body>())? {
            ctx.bodies.insert(b.name.clone(), b.id);
            ctx.bodies.entry(b.kana.clone()).or_insert(b.id);
        }
        for s in first_problem(store.list::<Staff>())? {
            ctx.add_staff_names(&s);
        }
        for p in first_problem(store.list::<SubsidyProgram>())? {
            ctx.programs.insert((p.name.clone(), p.fiscal_year), p.id);
        }
        for g in first_problem(store.list::<Grant>())? {
            ctx.grants.insert((g.program_id, g.body_id), g.id);
        }
        for i in first_problem(store.list::<Indicator>())? {
            ctx.indicators.insert(i.id.clone(), ());
        }
        Ok(ctx)
    }

    fn add_staff_names(&mut self, s: &Staff) {
        self.staff.insert(s.name.clone(), s.id);
        self.staff.insert(s.name.replace([' ', '　'], ""), s.id);
        if let Some(l) = &s.login {
            self.staff.insert(l.clone(), s.id);
        }
    }

    fn new_id(&self) -> Result<u64, String> {
        self.store.new_id().map_err(|e| e.to_string())
    }

    /// Reads one file's rows into the batch; returns the number of data rows.
    fn read_file(&mut self, kind: &str, src: &Source, errors: &mut Vec<RowError>) -> usize {
        let text = match decode_text(&src.bytes) {
            Ok(t) => t,
            Err(m) => {
                errors.push(file_error(&src.name, 0, m));
                return 0;
            }
        };
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let headers: Vec<String> = match rdr.headers() {
            Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
            Err(e) => {
                errors.push(file_error(
                    &src.name,
                    1,
                    format!("cannot read the header: {e}"),
                ));
                return 0;
            }
        };
        let required = required_columns(kind);
        let missing: Vec<&str> = required
            .iter()
            .filter(|c| !headers.iter().any(|h| h == *c))
            .copied()
            .collect();
        if !missing.is_empty() {
            errors.push(file_error(
                &src.name,
                1,
                format!(
                    "missing column(s) {}; see data/demo/README.md for {kind}.csv",
                    missing.join(", ")
                ),
            ));
            return 0;
        }
        let mut n = 0;
        for rec in rdr.records() {
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    let line = e.position().map(|p| p.line()).unwrap_or(0);
                    errors.push(file_error(&src.name, line, format!("malformed CSV: {e}")));
                    continue;
                }
            };
            if rec.iter().all(|f| f.trim().is_empty()) {
                continue; // Excel's trailing empty rows
            }
            let line = rec.position().map(|p| p.line()).unwrap_or(0);
            let mut row = Row {
                file: &src.name,
                line,
                headers: &headers,
                rec: &rec,
                errors: Vec::new(),
            };
            let result = self.read_row(kind, &mut row);
            let had_errors = !row.errors.is_empty();
            errors.append(&mut row.errors);
            match result {
                Ok(()) if !had_errors => n += 1,
                Ok(()) => {}
                Err(m) => errors.push(file_error(&src.name, line, m)),
            }
        }
        n
    }

    fn read_row(&mut self, kind: &str, r: &mut Row) -> Result<(), String> {
        match kind {
            "bodies" => {
                let plan = r.opt("plan_vision").map(|vision| CommunityPlan {
                    vision,
                    period_start: r.fy("plan_start_fy"),
                    period_end: r.fy("plan_end_fy"),
                    last_revised: r.opt_date("plan_revised_on"),
                });
                let body = Body {
                    id: self.new_id()?,
                    name: r.req("name"),
                    kana: r.req("kana"),
                    district: r.req("district"),
                    branch_office: r.req("branch_office"),
                    established_on: r.date("established_on"),
                    dissolved_on: r.opt_date("dissolved_on"),
                    households: r.num("households"),
                    population: r.num("population"),
                    counts_as_of: r.opt_date("counts_as_of"),
                    citizen_center: r.opt("citizen_center").map(|name| CitizenCenter {
                        name,
                        designated_manager_since: r.opt_date("designated_manager_since"),
                    }),
                    community_plan: plan,
                };
                if r.ok() {
                    if self.bodies.contains_key(&body.name) {
                        r.err("name", &body.name, "a body of this name already exists");
                    }
                    self.bodies.insert(body.name.clone(), body.id);
                    self.batch.put(body);
                }
            }
            "staff" => {
                let s = Staff {
                    id: self.new_id()?,
                    name: r.req("name"),
                    kana: r.req("kana"),
                    organization: r.vocab(
                        "organization",
                        Organization::parse,
                        Organization::choices,
                    ),
                    section: r.opt("section").unwrap_or_default(),
                    login: r.opt("login"),
                    role: r.vocab("role", Role::parse, Role::choices),
                    active: r.opt_bool("active").unwrap_or(true),
                };
                if r.ok() {
                    self.add_staff_names(&s);
                    self.batch.put(s);
                }
            }
            "assignments" => {
                let a = Assignment {
                    id: self.new_id()?,
                    staff_id: self.staff_ref(r, "staff"),
                    body_id: self.body_ref(r, "body"),
                    from: r.date("from"),
                    to: r.opt_date("to"),
                    role: r.vocab("role", TeamRole::parse, TeamRole::choices),
                };
                if let Some(to) = a.to
                    && to < a.from
                {
                    r.err("to", &to.to_string(), "the period ends before it starts");
                }
                if r.ok() {
                    self.batch.put(a);
                }
            }
            "subsidy_programs" => {
                let rule = match r.req("rule").as_str() {
                    "formula" | "算式" => AllocationRule::Formula {
                        per_body: r.yen("per_body"),
                        per_household: r.yen("per_household"),
                        per_capita: r.yen("per_capita"),
                        round_unit: r
                            .opt("round_unit")
                            .map(|_| r.yen("round_unit"))
                            .unwrap_or(1),
                    },
                    "fixed" | "定額" => AllocationRule::Fixed {
                        amount: r.yen("fixed_amount"),
                    },
                    other => {
                        r.err("rule", other, "rule must be formula or fixed");
                        AllocationRule::Fixed { amount: 0 }
                    }
                };
                let p = SubsidyProgram {
                    id: self.new_id()?,
                    name: r.req("name"),
                    fiscal_year: r.fy("fiscal_year"),
                    budget: r.yen("budget"),
                    rule,
                };
                if r.ok() {
                    self.programs.insert((p.name.clone(), p.fiscal_year), p.id);
                    self.batch.put(p);
                }
            }
            "grants" => {
                let program_id = self.program_ref(r);
                let body_id = self.body_ref(r, "body");
                let g = Grant {
                    id: self.new_id()?,
                    program_id,
                    body_id,
                    applied_amount: r.yen("applied_amount"),
                    applied_on: r.date("applied_on"),
                    decided_amount: r.opt("decided_amount").map(|_| r.yen("decided_amount")),
                    decided_on: r.opt_date("decided_on"),
                    reported_on: r.opt_date("reported_on"),
                    confirmed_amount: r.opt("confirmed_amount").map(|_| r.yen("confirmed_amount")),
                    confirmed_on: r.opt_date("confirmed_on"),
                    state: r.vocab("state", GrantState::parse, GrantState::choices),
                };
                if let (Some(c), Some(d)) = (g.confirmed_amount, g.decided_amount)
                    && c > d
                {
                    r.err(
                        "confirmed_amount",
                        &c.to_string(),
                        &format!("confirmed {c} exceeds decided {d} (confirmed ≤ decided)"),
                    );
                }
                if r.ok() {
                    self.grants.insert((program_id, body_id), g.id);
                    self.batch.put(g);
                }
            }
            "disbursements" => {
                let program_id = self.program_ref(r);
                let body_id = self.body_ref(r, "body");
                let grant_id = match self.grants.get(&(program_id, body_id)) {
                    Some(id) => *id,
                    None => {
                        if r.ok() {
                            r.err("body", &r.get("body"), "no grant for this body under that program; import grants.csv first");
                        }
                        0
                    }
                };
                let d = Disbursement {
                    id: self.new_id()?,
                    grant_id,
                    date: r.date("date"),
                    kind: r.vocab("kind", DisbursementKind::parse, DisbursementKind::choices),
                    amount: r.yen("amount"),
                };
                if d.amount <= 0 && r.ok() {
                    r.err("amount", &d.amount.to_string(), "amount must be positive");
                }
                if r.ok() {
                    self.batch.put(d);
                }
            }
            "team_meetings" => {
                let body_id = self.body_ref(r, "body");
                let attendees = r
                    .list("attendees")
                    .into_iter()
                    .map(|n| self.staff_name(r, "attendees", &n))
                    .collect();
                let mut follow_ups = Vec::new();
                for line in r.get("follow_ups").lines().filter(|l| !l.trim().is_empty()) {
                    let parts: Vec<&str> = line.split(';').map(str::trim).collect();
                    let owner = parts
                        .get(1)
                        .filter(|s| !s.is_empty())
                        .map(|n| self.staff_name(r, "follow_ups", n));
                    let due = match parts.get(2).filter(|s| !s.is_empty()) {
                        Some(s) => match parse_date(s) {
                            Ok(d) => Some(d),
                            Err(e) => {
                                r.err("follow_ups", s, &e.to_string());
                                None
                            }
                        },
                        None => None,
                    };
                    let done = parts.get(3).is_some_and(|s| parse_bool(s) == Some(true));
                    follow_ups.push(FollowUp {
                        text: parts.first().unwrap_or(&"").to_string(),
                        owner,
                        due,
                        done,
                    });
                }
                let m = TeamMeeting {
                    id: self.new_id()?,
                    body_id,
                    date: r.date("date"),
                    place: r.opt("place").unwrap_or_default(),
                    attendees,
                    guests: r.opt("guests").unwrap_or_default(),
                    agenda: r.req("agenda"),
                    notes: r.opt("notes").unwrap_or_default(),
                    decisions: r.opt("decisions").unwrap_or_default(),
                    follow_ups,
                };
                if r.ok() {
                    self.batch.put(m);
                }
            }
            "consultations" => {
                let client = match r.req("client_type").as_str() {
                    "body" | "地域協働体" => Client::Body(self.body_ref(r, "client_name")),
                    "group" | "団体" => Client::Group(r.req("client_name")),
                    "individual" | "個人" => Client::Individual,
                    other => {
                        r.err("client_type", other, "client_type must be 地域協働体, 団体 or 個人 (body, group, individual)");
                        Client::Individual
                    }
                };
                let mut categories = Vec::new();
                for c in r.list("categories") {
                    match Category::parse(&c) {
                        Some(v) => categories.push(v),
                        None => r.err(
                            "categories",
                            &c,
                            &format!("unknown category; use one of {}", Category::choices()),
                        ),
                    }
                }
                if categories.is_empty() && r.ok() {
                    r.err("categories", "", "at least one category is required");
                }
                let c = Consultation {
                    id: self.new_id()?,
                    date: r.date("date"),
                    counselor_id: self.staff_ref(r, "counselor"),
                    client,
                    channel: r.vocab("channel", Channel::parse, Channel::choices),
                    categories,
                    people: r.opt("people").map(|_| r.num("people")).unwrap_or(1),
                    minutes: r.opt("minutes").map(|_| r.num("minutes")).unwrap_or(0),
                    summary: r.opt("summary").unwrap_or_default(),
                };
                if r.ok() {
                    self.batch.put(c);
                }
            }
            "consultation_tallies" => {
                let t = ConsultationTally {
                    id: self.new_id()?,
                    date: r.date("date"),
                    category: r.vocab("category", Category::parse, Category::choices),
                    channel: r.vocab("channel", Channel::parse, Channel::choices),
                    count: r.opt("count").map(|_| r.num("count")).unwrap_or(1),
                };
                if t.count == 0 && r.ok() {
                    r.err("count", "0", "count must be at least 1");
                }
                if r.ok() {
                    self.batch.put(t);
                }
            }
            "body_activities" => {
                let a = BodyActivity {
                    id: self.new_id()?,
                    body_id: self.body_ref(r, "body"),
                    date: r.date("date"),
                    title: r.req("title"),
                    role: r.vocab("role", BodyRole::parse, BodyRole::choices),
                    participants: r
                        .opt("participants")
                        .map(|_| r.num("participants"))
                        .unwrap_or(0),
                };
                if r.ok() {
                    self.batch.put(a);
                }
            }
            "indicators" => {
                let source_text = r.req("source");
                let source = if source_text == "entered" || source_text == "入力" {
                    IndicatorSource::Entered
                } else {
                    match source_text
                        .strip_prefix("counted:")
                        .and_then(CountedMetric::parse)
                    {
                        Some(m) => IndicatorSource::Counted(m),
                        None => {
                            r.err("source", &source_text, "source must be 'entered' or 'counted:<metric>' with metric one of body_activities, dialogue_support, team_meetings, consultations, bodies");
                            IndicatorSource::Entered
                        }
                    }
                };
                let i = Indicator {
                    id: r.req("id"),
                    order: r.num("order"),
                    name_ja: r.req("name_ja"),
                    name_en: r.opt("name_en").unwrap_or_default(),
                    unit_ja: r.req("unit_ja"),
                    unit_en: r.opt("unit_en").unwrap_or_default(),
                    baseline_fy: r.fy("baseline_fy"),
                    baseline: r.opt("baseline").map(|_| r.figure("baseline")),
                    target_fy: r.fy("target_fy"),
                    target: r.figure("target"),
                    source,
                    retired: r.opt_bool("retired").unwrap_or(false),
                };
                if r.ok() {
                    self.indicators.insert(i.id.clone(), ());
                    self.batch.put(i);
                }
            }
            "indicator_values" => {
                let id = r.req("indicator");
                if !id.is_empty() && !self.indicators.contains_key(&id) {
                    r.err(
                        "indicator",
                        &id,
                        "no indicator with this id; import indicators.csv first",
                    );
                }
                let e = IndicatorEntry {
                    id: self.new_id()?,
                    indicator_id: id,
                    fiscal_year: r.fy("fiscal_year"),
                    value: r.figure("value"),
                };
                if r.ok() {
                    self.batch.put(e);
                }
            }
            _ => return Err(format!("unknown record type {kind}")),
        }
        Ok(())
    }

    fn body_ref(&self, r: &mut Row, col: &str) -> BodyId {
        let v = r.req(col);
        if v.is_empty() {
            return 0;
        }
        match self.bodies.get(&v) {
            Some(id) => *id,
            None => {
                let near = candidates(self.bodies.keys(), &v);
                r.err(col, &v, &format!("no body of this name or kana{near}"));
                0
            }
        }
    }

    fn staff_ref(&self, r: &mut Row, col: &str) -> StaffId {
        let v = r.req(col);
        if v.is_empty() {
            return 0;
        }
        self.staff_name(r, col, &v)
    }

    fn staff_name(&self, r: &mut Row, col: &str, name: &str) -> StaffId {
        let key = name.trim();
        match self
            .staff
            .get(key)
            .or_else(|| self.staff.get(&key.replace([' ', '　'], "")))
        {
            Some(id) => *id,
            None => {
                let near = candidates(self.staff.keys(), key);
                r.err(
                    col,
                    key,
                    &format!("no staff member with this name or login{near}"),
                );
                0
            }
        }
    }

    fn program_ref(&self, r: &mut Row) -> SubsidyProgramId {
        let name = r.req("program");
        let fy = r.fy("fiscal_year");
        match self.programs.get(&(name.clone(), fy)) {
            Some(id) => *id,
            None => {
                if !name.is_empty() {
                    r.err(
                        "program",
                        &name,
                        &format!(
                            "no program of this name for {fy}; import subsidy_programs.csv first"
                        ),
                    );
                }
                0
            }
        }
    }
}

fn first_problem<T>(l: crate::store::Loaded<T>) -> Result<Vec<T>, StoreError> {
    match l.problems.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(l.items),
    }
}

/// Up to three known names that contain or are contained in `v`, as " (did you mean …?)".
fn candidates<'k>(keys: impl Iterator<Item = &'k String>, v: &str) -> String {
    let first: String = v.chars().take(2).collect();
    let mut c: Vec<&String> = keys
        .filter(|k| !first.is_empty() && (k.contains(&first) || v.contains(k.as_str())))
        .collect();
    c.sort();
    c.dedup();
    c.truncate(3);
    if c.is_empty() {
        String::new()
    } else {
        format!(
            " (did you mean {}?)",
            c.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
        )
    }
}

/// The columns each file must have.
pub fn required_columns(kind: &str) -> &'static [&'static str] {
    match kind {
        "bodies" => &[
            "name",
            "kana",
            "district",
            "branch_office",
            "established_on",
            "households",
            "population",
        ],
        "staff" => &["name", "kana", "organization", "role"],
        "assignments" => &["staff", "body", "from", "role"],
        "subsidy_programs" => &["name", "fiscal_year", "budget", "rule"],
        "grants" => &[
            "program",
            "fiscal_year",
            "body",
            "applied_amount",
            "applied_on",
            "state",
        ],
        "disbursements" => &["program", "fiscal_year", "body", "date", "kind", "amount"],
        "team_meetings" => &["body", "date", "agenda"],
        "consultations" => &["date", "counselor", "client_type", "channel", "categories"],
        "consultation_tallies" => &["date", "category", "channel", "count"],
        "body_activities" => &["body", "date", "title", "role"],
        "indicators" => &[
            "id",
            "order",
            "name_ja",
            "unit_ja",
            "baseline_fy",
            "target_fy",
            "target",
            "source",
        ],
        "indicator_values" => &["indicator", "fiscal_year", "value"],
        _ => &[],
    }
}

fn file_error(file: &str, line: u64, message: String) -> RowError {
    RowError {
        file: file.to_string(),
        line,
        column: String::new(),
        value: String::new(),
        message,
    }
}

/// UTF-8 with or without BOM.
fn decode_text(bytes: &[u8]) -> Result<String, String> {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8(b.to_vec()).map_err(|e| {
        format!(
            "the file is not UTF-8 (invalid byte at offset {}); save it as CSV UTF-8",
            e.utf8_error().valid_up_to()
        )
    })
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.trim() {
        "1" | "true" | "yes" | "済" | "はい" | "○" | "有効" => Some(true),
        "0" | "false" | "no" | "未" | "いいえ" | "×" | "無効" | "" => Some(false),
        _ => None,
    }
}

/// One CSV row with typed accessors that record errors instead of failing.
struct Row<'r> {
    file: &'r str,
    line: u64,
    headers: &'r [String],
    rec: &'r csv::StringRecord,
    errors: Vec<RowError>,
}

impl Row<'_> {
    fn ok(&self) -> bool {
        self.errors.is_empty()
    }

    fn get(&self, col: &str) -> String {
        self.headers
            .iter()
            .position(|h| h == col)
            .and_then(|i| self.rec.get(i))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    }

    fn err(&mut self, col: &str, value: &str, message: &str) {
        self.errors.push(RowError {
            file: self.file.to_string(),
            line: self.line,
            column: col.to_string(),
            value: value.to_string(),
            message: message.to_string(),
        });
    }

    fn opt(&self, col: &str) -> Option<String> {
        Some(self.get(col)).filter(|s| !s.is_empty())
    }

    fn req(&mut self, col: &str) -> String {
        let v = self.get(col);
        if v.is_empty() {
            self.err(col, "", "required; this column must not be empty");
        }
        v
    }

    fn date(&mut self, col: &str) -> chrono::NaiveDate {
        let v = self.get(col);
        match parse_date(&v) {
            Ok(d) => d,
            Err(e) => {
                self.err(col, &v, &e.to_string());
                chrono::NaiveDate::MIN
            }
        }
    }

    fn opt_date(&mut self, col: &str) -> Option<chrono::NaiveDate> {
        self.opt(col).map(|_| self.date(col))
    }

    fn fy(&mut self, col: &str) -> FiscalYear {
        let v = self.get(col);
        match parse_fiscal_year(&v) {
            Ok(f) => f,
            Err(e) => {
                self.err(col, &v, &e);
                FiscalYear(0)
            }
        }
    }

    fn num(&mut self, col: &str) -> u32 {
        let v = self.get(col);
        let s: String = normalize(&v).chars().filter(|c| *c != ',').collect();
        match s.parse::<u32>() {
            Ok(n) => n,
            Err(_) => {
                self.err(col, &v, "expected a whole number ≥ 0 (e.g. 1,234)");
                0
            }
        }
    }

    fn yen(&mut self, col: &str) -> i64 {
        let v = self.get(col);
        match money::parse_yen(&v) {
            Ok(n) => n,
            Err(e) => {
                self.err(col, &v, &e.to_string());
                0
            }
        }
    }

    fn figure(&mut self, col: &str) -> Figure {
        let v = self.get(col);
        match Figure::parse(&v) {
            Ok(f) => f,
            Err(e) => {
                self.err(col, &v, &e.to_string());
                Figure(0)
            }
        }
    }

    fn opt_bool(&mut self, col: &str) -> Option<bool> {
        let v = self.opt(col)?;
        match parse_bool(&v) {
            Some(b) => Some(b),
            None => {
                self.err(col, &v, "expected 1/0, true/false or はい/いいえ");
                None
            }
        }
    }

    fn vocab<V: Copy + VocabDefault>(
        &mut self,
        col: &str,
        parse: fn(&str) -> Option<V>,
        choices: fn() -> String,
    ) -> V {
        let v = self.get(col);
        match parse(&v) {
            Some(x) => x,
            None => {
                self.err(col, &v, &format!("unknown value; use one of {}", choices()));
                V::fallback()
            }
        }
    }

    /// A `;`-separated list (also accepts `、` and `・`).
    fn list(&self, col: &str) -> Vec<String> {
        self.get(col)
            .split([';', '、', '；'])
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    }
}

fn normalize(s: &str) -> String {
    date_parse::normalize_width(s)
}

/// A placeholder variant used while a row is being collected with errors (never stored).
trait VocabDefault {
    fn fallback() -> Self;
}

macro_rules! vocab_default {
    ($($t:ty),+) => { $(impl VocabDefault for $t { fn fallback() -> Self { <$t>::ALL[0] } })+ };
}
vocab_default!(
    Organization,
    Role,
    TeamRole,
    GrantState,
    DisbursementKind,
    Channel,
    Category,
    BodyRole
);
