//! The durable record of the last acknowledged write, kept outside sled (issue 10, item 2;
//! docs/DESIGN.md "Storage"): sled cannot tell a torn tail from damage in the middle of its log and
//! on open silently drops everything after the first bad checksum, so kyodo remembers, beside
//! the database, how far it had got: the write sequence number, the audit chain's head and the
//! number of records in every record tree. It is written after sled's flush and fsync and
//! before the user is told "saved"; open and `check` compare sled's content with it and refuse
//! a store that holds less.
//!
//! File `<db>/kyodo.ack`: two slots of [`SLOT`] bytes, written alternately (slot = seq % 2) with
//! `pwrite` + `fdatasync`, each `magic (8) | payload length (u32 LE) | payload (bincode) |
//! sha256(payload)[..16]`. A torn write damages only the slot being written; the other still
//! holds the previous state, which sled has too.

use super::codec;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::os::unix::fs::FileExt;
use std::path::Path;

/// Size of one slot.
const SLOT: usize = 4096;
/// First bytes of a slot.
const MAGIC: &[u8; 8] = b"KYODOAK1";

/// How far the store had got at an acknowledged write.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AckState {
    /// Write transactions committed since the database was made (meta `write_seq`).
    pub seq: u64,
    /// When the write was acknowledged, in milliseconds since the Unix epoch (UTC).
    pub at_ms: i64,
    /// The audit chain's head: sequence number and hash of the last entry.
    pub audit_seq: u64,
    /// Hash of the last audit entry (zeros when there is none).
    pub audit_hash: [u8; 32],
    /// Records per record tree (and `audit` entries), by tree name.
    pub counts: BTreeMap<String, u64>,
}

impl AckState {
    /// What `found` lacks of `self` (the acknowledged state): `(tree, acknowledged, found)` for
    /// every tree that holds fewer records, and whether the sequence or audit head went back.
    /// Empty when `found` holds at least everything acknowledged.
    pub fn missing_in(&self, found: &AckState) -> Vec<(String, u64, u64)> {
        let mut out: Vec<(String, u64, u64)> = self
            .counts
            .iter()
            .filter_map(|(t, n)| {
                let f = found.counts.get(t).copied().unwrap_or(0);
                (f < *n).then(|| (t.clone(), *n, f))
            })
            .collect();
        if out.is_empty() && (found.seq < self.seq || found.audit_seq < self.audit_seq) {
            out.push(("writes".into(), self.seq, found.seq));
        }
        out
    }

    fn payload(&self) -> Result<Vec<u8>, String> {
        codec::encode(self)
    }
}

/// The ack file of one database, open for writing.
pub struct AckFile {
    file: File,
    /// Sequence number last written to the file.
    written: u64,
}

/// Opens (creating, mode 0600) `<db>/kyodo.ack` and reads the newest valid slot.
///
/// Errors: the file cannot be opened or read.
pub fn open(dir: &Path) -> std::io::Result<(AckFile, Option<AckState>)> {
    let path = dir.join("kyodo.ack");
    let mut file = super::private::open_rw(&path)?;
    let mut bytes = Vec::new();
    // Never more than the two slots, whatever the file claims to be.
    (&mut file).take(2 * SLOT as u64).read_to_end(&mut bytes)?;
    let state = [0, 1]
        .iter()
        .filter_map(|i| read_slot(bytes.get(i * SLOT..(i + 1) * SLOT)?))
        .max_by_key(|s| s.seq);
    let written = state.as_ref().map_or(0, |s| s.seq);
    Ok((AckFile { file, written }, state))
}

fn read_slot(slot: &[u8]) -> Option<AckState> {
    if slot.get(..8)? != MAGIC {
        return None;
    }
    let len = u32::from_le_bytes(slot.get(8..12)?.try_into().ok()?) as usize;
    let payload = slot.get(12..12 + len)?;
    let sum = slot.get(12 + len..12 + len + 16)?;
    let digest = sha2::Sha256::digest(payload);
    if &digest[..16] != sum {
        return None;
    }
    codec::decode(payload).ok()
}

use sha2::Digest;

impl AckFile {
    /// Writes `state` durably (its slot, then `fdatasync`), unless a state at least as new is
    /// already written.
    ///
    /// Errors: the state does not fit a slot (more record trees than kyodo has), or the write
    /// or sync failed.
    pub fn write(&mut self, state: &AckState) -> std::io::Result<()> {
        if state.seq <= self.written && self.written != 0 {
            return Ok(());
        }
        let payload = state.payload().map_err(std::io::Error::other)?;
        if 12 + payload.len() + 16 > SLOT {
            return Err(std::io::Error::other(
                "the acknowledgement does not fit its slot",
            ));
        }
        let mut slot = vec![0u8; SLOT];
        slot[..8].copy_from_slice(MAGIC);
        slot[8..12].copy_from_slice(&(payload.len() as u32).to_le_bytes());
        slot[12..12 + payload.len()].copy_from_slice(&payload);
        let digest = sha2::Sha256::digest(&payload);
        slot[12 + payload.len()..12 + payload.len() + 16].copy_from_slice(&digest[..16]);
        let at = (state.seq % 2) * SLOT as u64;
        self.file.write_all_at(&slot, at)?;
        self.file.sync_data()?;
        self.written = state.seq;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(seq: u64) -> AckState {
        AckState {
            seq,
            at_ms: 1,
            audit_seq: seq,
            audit_hash: [seq as u8; 32],
            counts: [("bodies".to_string(), seq * 10)].into_iter().collect(),
        }
    }

    #[test]
    fn the_newest_valid_slot_wins_and_a_torn_slot_falls_back() {
        let dir = tempfile::tempdir().unwrap();
        let (mut f, none) = open(dir.path()).unwrap();
        assert_eq!(none, None);
        f.write(&state(1)).unwrap();
        f.write(&state(2)).unwrap();
        assert_eq!(open(dir.path()).unwrap().1, Some(state(2)));
        // Tear slot 0 (seq 2): the reader falls back to seq 1.
        let p = dir.path().join("kyodo.ack");
        let mut bytes = std::fs::read(&p).unwrap();
        bytes[20] ^= 0xff;
        std::fs::write(&p, &bytes).unwrap();
        assert_eq!(open(dir.path()).unwrap().1, Some(state(1)));
        let missing = state(2).missing_in(&state(1));
        assert_eq!(missing, vec![("bodies".to_string(), 20, 10)]);
        assert!(state(1).missing_in(&state(2)).is_empty());
    }
}
