//! 職員 (people who use kyodo) and 地域担当 assignments.

use super::{BodyId, FiscalYear};
use crate::vocab;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Record id of a [`Staff`] member.
pub type StaffId = u64;
/// Record id of an [`Assignment`].
pub type AssignmentId = u64;

vocab! {
    /// Which organization a staff member belongs to.
    Organization {
        /// 市 (city employee).
        City = ("city", "市", "City"),
        /// 中間支援組織 (support-centre counselor).
        SupportCenter = ("support_center", "中間支援組織", "Support center"),
    }
}

vocab! {
    /// What a user may do (docs/DESIGN.md, shared use; enforced by the server in a later issue).
    Role {
        /// 管理者: everything.
        Admin = ("admin", "管理者", "Admin"),
        /// まちづくり推進課 coordinator.
        Coordinator = ("coordinator", "調整担当", "Coordinator"),
        /// 地域担当職員.
        Liaison = ("liaison", "地域担当", "Liaison"),
        /// 中間支援 counselor.
        Counselor = ("counselor", "相談員", "Counselor"),
        /// 閲覧のみ.
        Viewer = ("viewer", "閲覧", "Viewer"),
    }
}

vocab! {
    /// Position in a body's liaison team.
    TeamRole {
        /// リーダー.
        Leader = ("leader", "リーダー", "Leader"),
        /// メンバー.
        Member = ("member", "メンバー", "Member"),
    }
}

/// 職員: a person who uses kyodo (city employee or NPO counselor).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staff {
    /// Record id.
    pub id: StaffId,
    /// Full name, e.g. `佐藤 花子`.
    pub name: String,
    /// よみがな, e.g. `さとう はなこ`.
    pub kana: String,
    /// City or support centre.
    pub organization: Organization,
    /// 所属 (section), e.g. `まちづくり推進課`, `花泉支所`.
    pub section: String,
    /// OS login on the shared server, if the person uses kyodo there.
    pub login: Option<String>,
    /// Role.
    pub role: Role,
    /// False once the person has left; kept for history.
    pub active: bool,
}

/// 地域担当: a staff member assigned to a body for a period. Staff rotate each April (人事異動).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// Record id.
    pub id: AssignmentId,
    /// Who.
    pub staff_id: StaffId,
    /// To which body.
    pub body_id: BodyId,
    /// First day.
    pub from: NaiveDate,
    /// Last day; `None` while current.
    pub to: Option<NaiveDate>,
    /// Leader or member.
    pub role: TeamRole,
}

impl Assignment {
    /// Whether the assignment covers `date`.
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.from <= date && self.to.is_none_or(|t| t >= date)
    }

    /// Whether the assignment overlaps fiscal year `fy`.
    pub fn overlaps(&self, fy: FiscalYear) -> bool {
        match (fy.start(), fy.end()) {
            (Some(s), Some(e)) => self.from <= e && self.to.is_none_or(|t| t >= s),
            _ => false,
        }
    }
}
