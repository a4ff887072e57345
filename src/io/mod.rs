//! Data exchange: CSV import (the same code loads the demo dataset and users' files).

pub mod autobackup;
pub mod backup;
pub mod cells;
pub mod csv_in;
pub mod demo;
pub mod encoding;
pub mod export;
pub mod import;
pub mod restore;
pub mod synth;
