//! The grantees that are not bodies — 自治会 and organisations (issue 18.1) — read once, few
//! enough to hold (a city has hundreds of 自治会 at most), so that ledgers, lists and the due
//! list can name any grant's recipient, sort by its reading and find the body a 自治会 belongs
//! to (whose liaisons answer for its grants).

use crate::domain::neighborhood_association::NeighborhoodAssociation;
use crate::domain::organisation::Organisation;
use crate::domain::{Body, BodyId, Recipient};
use crate::store::{Store, StoreError};
use std::collections::BTreeMap;

/// 自治会 and organisations by id.
#[derive(Debug, Clone, Default)]
pub struct Grantees {
    /// 自治会 by id.
    pub associations: BTreeMap<u64, NeighborhoodAssociation>,
    /// Organisations by id.
    pub organisations: BTreeMap<u64, Organisation>,
}

impl Grantees {
    /// Reads both trees.
    ///
    /// Errors: the first record that cannot be read.
    pub fn load(store: &Store) -> Result<Grantees, StoreError> {
        Ok(Grantees {
            associations: store
                .list::<NeighborhoodAssociation>()
                .whole()?
                .into_iter()
                .map(|x| (x.id, x))
                .collect(),
            organisations: store
                .list::<Organisation>()
                .whole()?
                .into_iter()
                .map(|x| (x.id, x))
                .collect(),
        })
    }

    /// The recipient's name (`#id` when unknown).
    pub fn name(&self, r: Recipient, bodies: &BTreeMap<BodyId, Body>) -> String {
        let found = match r {
            Recipient::Body(b) => bodies.get(&b).map(|b| b.name.clone()),
            Recipient::Association(a) => self.associations.get(&a).map(|x| x.name.clone()),
            Recipient::Organisation(o) => self.organisations.get(&o).map(|x| x.name.clone()),
        };
        found.unwrap_or_else(|| format!("#{}", r.key()))
    }

    /// The recipient's reading, for sorting (empty when unknown).
    pub fn kana(&self, r: Recipient, bodies: &BTreeMap<BodyId, Body>) -> String {
        match r {
            Recipient::Body(b) => bodies.get(&b).map(|b| b.kana.clone()),
            Recipient::Association(a) => self.associations.get(&a).map(|x| x.kana.clone()),
            Recipient::Organisation(o) => self.organisations.get(&o).map(|x| x.kana.clone()),
        }
        .unwrap_or_default()
    }

    /// The body the recipient is or belongs to (a 自治会's 地域協働体); `None` for an
    /// organisation or a 自治会 of no body.
    pub fn body_of(&self, r: Recipient) -> Option<BodyId> {
        match r {
            Recipient::Body(b) => Some(b),
            Recipient::Association(a) => self.associations.get(&a).and_then(|x| x.body_id),
            Recipient::Organisation(_) => None,
        }
    }
}
