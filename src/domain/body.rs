//! 地域協働体 (community collaboration bodies) and what belongs to them.

use super::FiscalYear;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Record id of a [`Body`] (big-endian `u64` key in the `bodies` tree).
pub type BodyId = u64;

/// 地域協働体: an area organization of 自治会 and groups that carries out its 地域づくり計画.
/// Ichinoseki has 33 (seed 003).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Body {
    /// Record id.
    pub id: BodyId,
    /// Name, e.g. `一関地域協働体`.
    pub name: String,
    /// よみがな (kana reading) used for sorting and filtering.
    pub kana: String,
    /// 地区: the area (e.g. 花泉).
    pub district: String,
    /// 支所: the city branch office that serves it (`BranchOffice`).
    pub branch_office: String,
    /// 設立日: founding date.
    pub established_on: NaiveDate,
    /// 解散日: dissolution date, if dissolved.
    pub dissolved_on: Option<NaiveDate>,
    /// 世帯数: households, counted at `counts_as_of`.
    pub households: u32,
    /// 人口: population, counted at `counts_as_of`.
    pub population: u32,
    /// Date the household and population counts refer to.
    pub counts_as_of: Option<NaiveDate>,
    /// 市民センター the body uses, if any.
    pub citizen_center: Option<CitizenCenter>,
    /// 地域づくり計画, if adopted.
    pub community_plan: Option<CommunityPlan>,
    /// 面積 in km² (two decimals), for an allocation's 面積割 (seed 003 第2章: amounts that
    /// reflect each body's size); layout 2, issue 18.3.
    #[serde(default)]
    pub area_km2: Option<super::Figure>,
}

/// Record id of a [`BodyCount`].
pub type BodyCountId = u64;

/// 世帯数・人口 of a body counted on a date (住民基本台帳), for allocations whose counts are
/// taken at a stated date (issue 4, "Programs").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodyCount {
    /// Record id.
    pub id: BodyCountId,
    /// Which body.
    pub body_id: BodyId,
    /// Date counted.
    pub as_of: NaiveDate,
    /// 世帯数.
    pub households: u32,
    /// 人口.
    pub population: u32,
}

impl Body {
    /// Whether the body exists (established and not yet dissolved) on `date`.
    pub fn active_on(&self, date: NaiveDate) -> bool {
        self.established_on <= date && self.dissolved_on.is_none_or(|d| d > date)
    }

    /// Households and population in force on `date`: the latest count of this body taken on or
    /// before it, among `counts` and the body's own `households`/`population` (taken on
    /// `counts_as_of`); if every count is later, the earliest one.
    pub fn counts_on(&self, counts: &[BodyCount], date: NaiveDate) -> (u32, u32) {
        let (_, h, p) = self.count_in_force(counts, date);
        (h, p)
    }

    /// As [`Body::counts_on`], with the date the chosen count was taken (`None` for the body's
    /// own figures when their date is unknown): `(as_of, households, population)`.
    pub fn count_in_force(
        &self,
        counts: &[BodyCount],
        date: NaiveDate,
    ) -> (Option<NaiveDate>, u32, u32) {
        let own = (self.counts_as_of, self.households, self.population);
        let all: Vec<(Option<NaiveDate>, u32, u32)> = counts
            .iter()
            .filter(|c| c.body_id == self.id)
            .map(|c| (Some(c.as_of), c.households, c.population))
            .chain([own])
            .collect();
        let key = |c: &&(Option<NaiveDate>, u32, u32)| c.0.unwrap_or(NaiveDate::MIN);
        all.iter()
            .filter(|c| key(c) <= date)
            .max_by_key(key)
            .or_else(|| all.iter().min_by_key(key))
            .copied()
            .unwrap_or(own)
    }

    /// Whether it counts for the `bodies` indicator of fiscal year `fy`: established on or
    /// before the FY's last day and not dissolved by then (docs/DOMAIN.md indicator table).
    pub fn counts_in(&self, fy: FiscalYear) -> bool {
        fy.end().is_some_and(|end| self.active_on(end))
    }
}

/// 市民センター: the community centre a body uses; most run theirs as 指定管理者.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitizenCenter {
    /// Name, e.g. `花泉市民センター`.
    pub name: String,
    /// 指定管理 start date, when the body manages the centre as designated manager.
    pub designated_manager_since: Option<NaiveDate>,
}

/// 地域づくり計画: a body's own community plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityPlan {
    /// Vision (将来像).
    pub vision: String,
    /// First fiscal year of the plan period.
    pub period_start: FiscalYear,
    /// Last fiscal year of the plan period.
    pub period_end: FiscalYear,
    /// Date of last revision (改訂).
    pub last_revised: Option<NaiveDate>,
}
