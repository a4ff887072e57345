//! What a form knows of the database to resolve names (bodies, staff, programs, grants) and to
//! offer suggestions; the same resolver contract as the CSV import.

use super::*;

/// Everything a form needs to suggest and resolve names and to check rules: loaded once when the
/// form opens.
#[derive(Debug)]
pub struct FormContext {
    /// Bodies (dissolved ones are not suggested).
    pub bodies: Vec<Body>,
    /// Staff (inactive ones are not suggested).
    pub staff: Vec<Staff>,
    /// Programs.
    pub programs: Vec<SubsidyProgram>,
    /// Grants.
    pub grants: Vec<Grant>,
    /// Payments.
    pub payments: Vec<Disbursement>,
    /// Assignments (a body's team, proposed as a meeting's attendees).
    pub assignments: Vec<Assignment>,
    /// Indicators.
    pub indicators: Vec<Indicator>,
    /// Every plan action, as (plan, number).
    pub plan_actions: Vec<(String, u32)>,
    /// Entered indicator values.
    pub entries: Vec<IndicatorEntry>,
    /// Names by id, and the labels of the records this form's type names by label
    /// ([`Resolver::labelled`]; filled for the form's kind when it opens).
    pub names: crate::domain::fields::NameTables,
    /// The person using kyodo.
    pub actor: Actor,
    /// Today.
    pub today: chrono::NaiveDate,
    /// The fiscal year on screen.
    pub fy: FiscalYear,
    /// The user's language (how years and amounts are pre-filled).
    pub lang: crate::i18n::Lang,
}

impl Resolver for FormContext {
    fn body(&self, name: &str) -> Result<BodyId, Text> {
        resolve(&self.bodies, name)
            .map(|b| b.id)
            .map_err(|e| e.text())
    }
    fn staff(&self, name: &str) -> Result<StaffId, Text> {
        resolve(&self.staff, name)
            .map(|s| s.id)
            .map_err(|e| e.text())
    }
    fn program(&self, name: &str, fy: FiscalYear) -> Result<SubsidyProgramId, Text> {
        self.programs
            .iter()
            .find(|p| p.name == name && p.fiscal_year == fy)
            .map(|p| p.id)
            .ok_or_else(|| {
                let names: Vec<String> = self
                    .programs
                    .iter()
                    .filter(|p| p.fiscal_year == fy)
                    .map(|p| p.name.clone())
                    .collect();
                Text::new(
                    format!(
                        "{}に「{name}」という交付金はありません。この年度の交付金: {}",
                        fy.ja_label(),
                        names.join("、")
                    ),
                    format!(
                        "no program '{name}' in {fy}; programs that year: {}",
                        names.join(", ")
                    ),
                )
            })
    }
    fn grant(&self, program: SubsidyProgramId, body: Recipient) -> Result<GrantId, Text> {
        self.grants
            .iter()
            .find(|g| g.program_id == program && g.recipient == body)
            .map(|g| g.id)
            .ok_or_else(|| {
                Text::new(
                    "この交付先にはこの交付金の交付決定がありません。先に交付申請・決定を記録してください",
                    "this recipient has no grant under that program; record the grant first",
                )
            })
    }
    fn indicator(&self, id: &str) -> bool {
        self.indicators.iter().any(|i| i.id == id)
    }
    fn plan_action(&self, plan: &str, number: u32) -> bool {
        self.plan_actions
            .iter()
            .any(|(p, n)| p == plan && *n == number)
    }
    fn labelled(&self, kind: RecordKind, label: &str) -> Result<u64, Text> {
        let want = label.trim();
        self.names
            .labels
            .range((kind, 0)..=(kind, u64::MAX))
            .find(|(_, l)| l.as_str() == want)
            .map(|((_, id), _)| *id)
            .ok_or_else(|| crate::domain::fields::no_label(kind, label))
    }
    fn label_of(&self, kind: RecordKind, id: u64) -> String {
        self.names.label_of(kind, id)
    }
    fn award_terms(&self, id: SubsidyProgramId) -> Option<crate::domain::award::AwardTerms> {
        self.names.award_terms(id)
    }
    fn award(&self, id: crate::domain::award::AwardId) -> crate::domain::award::AwardFacts {
        self.names.award(id)
    }
    fn body_founded(&self, id: BodyId) -> Option<chrono::NaiveDate> {
        self.bodies
            .iter()
            .find(|b| b.id == id)
            .map(|b| b.established_on)
    }
    fn body_name(&self, id: BodyId) -> String {
        self.bodies
            .iter()
            .find(|b| b.id == id)
            .map(|b| b.name.clone())
            .unwrap_or_default()
    }
    fn staff_name(&self, id: StaffId) -> String {
        self.staff
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name.clone())
            .unwrap_or_default()
    }
    fn program_of(&self, id: SubsidyProgramId) -> (String, FiscalYear) {
        self.programs
            .iter()
            .find(|p| p.id == id)
            .map(|p| (p.name.clone(), p.fiscal_year))
            .unwrap_or((String::new(), self.fy))
    }
    fn grant_of(&self, id: GrantId) -> (SubsidyProgramId, Recipient) {
        self.grants
            .iter()
            .find(|g| g.id == id)
            .map(|g| (g.program_id, g.recipient))
            .unwrap_or_default()
    }
}
