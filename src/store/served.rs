//! What only a server does for its clients: check, repair, backup and import run in
//! `kyodo serve`, asked for over the socket.

use super::*;

impl Store {
    /// The server connection, for the operations only a server runs (check, repair, backup).
    pub(super) fn client(&self) -> Result<&remote::Client> {
        match &self.backend {
            Backend::Remote(c) => Ok(c),
            Backend::Local(_) => Err(StoreError::Invalid("not a server connection".into())),
        }
    }

    /// `kyodo check` run by the server (shared mode). A failure is reported as a problem.
    pub(crate) fn remote_check(&self) -> check::Report {
        match self
            .client()
            .and_then(|c| c.call(&remote::Request::Check, true))
        {
            Ok(remote::Reply::Report(r)) => r,
            other => check::Report {
                records: 0,
                problems: vec![check::Problem {
                    tree: "server".into(),
                    key: String::new(),
                    message: match other {
                        Err(e) => check::said(&e),
                        Ok(reply) => check::said(&remote::unexpected(&reply)),
                    },
                }],
            },
        }
    }

    /// `kyodo check --repair` run by the server (shared mode, admin).
    pub(crate) fn remote_repair(&self) -> Result<check::Repair> {
        match self.client()?.call(&remote::Request::Repair, false)? {
            remote::Reply::Repaired(r) => Ok(r),
            other => Err(remote::unexpected(&other)),
        }
    }

    /// Imports `files` (`(name, bytes)`) through the server: they are sent in parts, and the
    /// server checks and writes them as this connection's user ([`remote::Request::Import`]);
    /// `progress(bytes sent, total)`.
    ///
    /// Errors: [`RemoteImportError::Rows`] when rows are refused (nothing written), else the
    /// store's (a role that may not write a type gets [`StoreError::Denied`]).
    pub fn remote_import(
        &self,
        files: Vec<(String, Vec<u8>)>,
        progress: &dyn Fn(u64, u64),
    ) -> std::result::Result<crate::domain::import_report::ImportSummary, RemoteImportError> {
        let c = self.client().map_err(RemoteImportError::Store)?;
        let total: u64 = files.iter().map(|(_, b)| b.len() as u64).sum();
        let mut sent = 0u64;
        for (name, bytes) in files {
            // An empty file is still announced, so the server says what is wrong with it.
            let mut parts = bytes.chunks(remote::PAGE_BYTES).peekable();
            if parts.peek().is_none() {
                done(
                    c.call(
                        &remote::Request::UploadPart {
                            name: name.clone(),
                            bytes: Vec::new(),
                        },
                        false,
                    )
                    .map_err(RemoteImportError::Store)?,
                )
                .map_err(RemoteImportError::Store)?;
            }
            for part in parts {
                let req = remote::Request::UploadPart {
                    name: name.clone(),
                    bytes: part.to_vec(),
                };
                done(c.call(&req, false).map_err(RemoteImportError::Store)?)
                    .map_err(RemoteImportError::Store)?;
                sent += part.len() as u64;
                progress(sent, total);
            }
        }
        match c
            .call(&remote::Request::Import, false)
            .map_err(RemoteImportError::Store)?
        {
            remote::Reply::Imported(s) => Ok(s),
            remote::Reply::ImportRefused(rows) => Err(RemoteImportError::Rows(rows)),
            other => Err(RemoteImportError::Store(remote::unexpected(&other))),
        }
    }

    /// A backup archive made by the server, streamed to `f` (shared mode, admin).
    pub(crate) fn remote_backup(
        &self,
        f: impl FnMut(&[u8], Option<BTreeMap<String, u64>>) -> Result<()>,
    ) -> Result<()> {
        self.client()?.stream(&remote::Request::Backup, f)
    }
}

pub(crate) fn done(r: remote::Reply) -> Result<()> {
    match r {
        remote::Reply::Done => Ok(()),
        other => Err(remote::unexpected(&other)),
    }
}
