//! 活動: activities carried out by bodies, counted as 地域協働体の活動件数.

use super::BodyId;
use crate::vocab;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Record id of a [`BodyActivity`].
pub type BodyActivityId = u64;

vocab! {
    /// The bodies' five roles (seed 003, 活動の事例 table), used as activity categories.
    BodyRole {
        /// 行政機能・基礎的コミュニティ機能の支援補完.
        BasicSupport = ("basic_support", "支援補完", "Basic support"),
        /// 多様な住民参画によるコミュニティ機能の再生・創出.
        Participation = ("participation", "住民参画", "Participation"),
        /// 地域意見の調整・集約.
        Coordination = ("coordination", "意見集約", "Coordination"),
        /// 地域の人材育成・確保.
        HumanResources = ("human_resources", "人材育成", "People"),
        /// 新たなまちづくり・活性化.
        Revitalization = ("revitalization", "活性化", "Revitalization"),
    }
}

/// 活動: one activity a body carried out (event, patrol, salon…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodyActivity {
    /// Record id.
    pub id: BodyActivityId,
    /// Which body.
    pub body_id: BodyId,
    /// Date held.
    pub date: NaiveDate,
    /// Title, e.g. `防災訓練`.
    pub title: String,
    /// Role category.
    pub role: BodyRole,
    /// Number of participants.
    pub participants: u32,
}
