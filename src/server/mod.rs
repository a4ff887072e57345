//! The shared server of issue 6 ("Shared use on one server", DESIGN.md): one `kyodo serve`
//! process owns the database and answers TUIs and CLI commands over a Unix domain socket. This
//! module holds its foundations so far: the wire framing ([`frame`]) and who is on the other
//! end of a socket ([`peer`]). The request loop and the client side of the `Store` API are not
//! built yet.

pub mod frame;
pub mod peer;
