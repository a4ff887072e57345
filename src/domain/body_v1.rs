//! The earlier stored layout of [`Body`] (before issue 18.3 added its 面積), read by its
//! [`RecordType::upgrade`](super::RecordType::upgrade) and brought forward with no area. Never
//! change this struct: it is what older databases hold.

use super::*;
use chrono::NaiveDate;
use serde::Deserialize;

/// [`Body`], layout 1.
#[derive(Deserialize)]
pub struct BodyV1 {
    id: BodyId,
    name: String,
    kana: String,
    district: String,
    branch_office: String,
    established_on: NaiveDate,
    dissolved_on: Option<NaiveDate>,
    households: u32,
    population: u32,
    counts_as_of: Option<NaiveDate>,
    citizen_center: Option<CitizenCenter>,
    community_plan: Option<CommunityPlan>,
}

impl From<BodyV1> for Body {
    fn from(b: BodyV1) -> Body {
        Body {
            id: b.id,
            name: b.name,
            kana: b.kana,
            district: b.district,
            branch_office: b.branch_office,
            established_on: b.established_on,
            dissolved_on: b.dissolved_on,
            households: b.households,
            population: b.population,
            counts_as_of: b.counts_as_of,
            citizen_center: b.citizen_center,
            community_plan: b.community_plan,
            area_km2: None,
        }
    }
}
