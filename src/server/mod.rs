//! The shared server of issue 6 ("Shared use on one server", docs/DESIGN.md): one `kyodo serve`
//! process owns the database and answers TUIs and CLI commands over a Unix domain socket. This
//! module holds the server ([`serve`]) and who is on the other end
//! of a socket ([`peer`]); the client side is [`crate::store::remote`].

pub mod peer;
mod reactor;
mod respond;
pub mod serve;

pub use serve::{Identify, Server, Stopper};
