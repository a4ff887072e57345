//! kyodo: a keyboard-driven terminal program for 協働のまちづくり (community collaboration) in a
//! Japanese city. Layers (docs/DESIGN.md): `domain` (rules, no I/O) ← `store` (the only sled code) ←
//! `app` (state and actions) ← `tui` / `cli`. `io` reads and writes files through `store`.

#![deny(missing_docs)]
#![deny(clippy::unwrap_used, clippy::expect_used)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod app;
pub mod cli;
pub mod domain;
pub mod i18n;
pub mod io;
pub mod server;
pub mod store;
pub mod text;
pub mod tui;
pub mod wire;
