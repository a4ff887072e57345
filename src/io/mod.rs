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

#[cfg(test)]
mod tests {
    #[test]
    fn every_record_type_has_an_area() {
        for t in super::import::FILE_ORDER {
            assert!(crate::domain::access::Area::of_type(t).is_some(), "{t}");
        }
        assert_eq!(crate::domain::access::Area::of_type("audit"), None);
    }
}
