//! The bytes between `kyodo serve` and its clients, below both: the length-prefixed framing
//! ([`frame`]). The messages themselves are the store client's ([`crate::store::remote`]); the
//! server ([`crate::server`]) reads and writes the same frames.

pub mod frame;
