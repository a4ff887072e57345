//! Application state and the only way it changes: `update(state, action) -> effects`
//! (docs/DESIGN.md). No terminal I/O here, so every behaviour is testable without a screen.

pub mod action;
pub mod agenda;
pub mod audit_text;
pub mod awards;
pub mod data;
pub mod due;
pub mod effects;
pub mod form;
pub mod grantees;
pub mod nav;
pub mod plan_view;
pub mod report;
pub mod resolve;
pub mod rows;
pub mod state;
pub mod subsidy;
pub mod survey;
pub mod update;

pub use action::{Action, Effect};
pub use state::{AppState, Mode, Pane};
pub use update::update;
