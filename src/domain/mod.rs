//! Plain types and rules of 協働のまちづくり: no I/O, no terminal, no storage (docs/DESIGN.md).
//! Vocabulary and rules follow docs/DOMAIN.md; each type's doc names the Japanese term.

pub mod access;
pub mod action_result;
pub mod activity;
pub mod allocation;
pub mod audit;
pub mod body;
pub mod committee_meeting;
pub mod committee_opinion;
pub mod consultation;
pub mod date_parse;
pub mod document_ref;
pub mod fields;
pub mod figure;
pub mod fiscal_year;
pub mod grant;
pub mod import_report;
pub mod indicator;
pub mod lang;
pub mod limits;
pub mod meeting;
pub mod money;
pub mod plan;
pub mod plan_record;
pub mod plan_revision;
pub mod record_type;
pub mod rules;
pub mod staff;
pub mod subsidy;
pub mod text;
pub mod vocab;

pub use activity::*;
pub use audit::{Actor, AuditAction, AuditEntry, AuditRecord, FieldChange};
pub use body::*;
pub use consultation::*;
pub use date_parse::{DateParseError, parse_date, parse_date_near};
pub use figure::Figure;
pub use fiscal_year::{Era, FiscalYear, ja_date, parse_fiscal_year};
pub use indicator::*;
pub use lang::Lang;
pub use meeting::*;
pub use plan::{ActionStatus, PlanAction, PlanActionId};
pub use record_type::{Key, Metric, RecordKind, RecordType, RefKind, Visit};
pub use staff::*;
pub use subsidy::*;
pub use text::Text;
