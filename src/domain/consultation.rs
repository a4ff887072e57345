//! 相談 (consultations handled by the support centre's counselors) and 相談件数 tallies.

use super::{BodyId, StaffId};
use crate::vocab;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Record id of a [`Consultation`].
pub type ConsultationId = u64;
/// Record id of a [`ConsultationTally`].
pub type ConsultationTallyId = u64;

vocab! {
    /// 相談方法: how the consultation reached the centre.
    Channel {
        /// 来所.
        Visit = ("visit", "来所", "Visit"),
        /// 電話.
        Phone = ("phone", "電話", "Phone"),
        /// メール.
        Email = ("email", "メール", "Email"),
        /// 訪問 (outreach).
        Outreach = ("outreach", "訪問", "Outreach"),
        /// オンライン.
        Online = ("online", "オンライン", "Online"),
    }
}

vocab! {
    /// 相談分野: what a consultation was about. 話し合い支援 is counted as its own indicator
    /// (Ichinoseki plan, 成果指標 table).
    Category {
        /// 話し合い支援 (facilitation of a body's or association's discussions).
        DialogueSupport = ("dialogue_support", "話し合い支援", "Dialogue support"),
        /// 団体の設立・運営.
        Organization = ("organization", "団体運営", "Organization"),
        /// 資金・助成金.
        Funding = ("funding", "資金・助成", "Funding"),
        /// 広報・情報発信.
        Publicity = ("publicity", "広報", "Publicity"),
        /// 人材・ボランティア.
        Volunteers = ("volunteers", "人材・ボランティア", "Volunteers"),
        /// 協働・連携.
        Partnership = ("partnership", "協働・連携", "Partnership"),
        /// 事業企画.
        Planning = ("planning", "事業企画", "Planning"),
        /// その他.
        Other = ("other", "その他", "Other"),
    }
}

/// Who came for advice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Client {
    /// A 地域協働体.
    Body(BodyId),
    /// Another group (自治会, NPO, circle…) by name.
    Group(String),
    /// An individual (no name is stored).
    Individual,
}

/// 相談: one consultation handled by a counselor. Counts 1 toward `consultations`, and 1 toward
/// `dialogue_support` when its categories include 話し合い支援.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consultation {
    /// Record id.
    pub id: ConsultationId,
    /// Date.
    pub date: NaiveDate,
    /// Counselor who handled it.
    pub counselor_id: StaffId,
    /// Client.
    pub client: Client,
    /// Channel.
    pub channel: Channel,
    /// One or more categories (first is the main one).
    pub categories: Vec<Category>,
    /// Number of people who came.
    pub people: u32,
    /// Minutes spent.
    pub minutes: u32,
    /// 相談内容: may hold personal information (個人情報); shown to counselors and admins only.
    pub summary: String,
    /// The 相談案件 it belongs to (a [`super::consultation_case::ConsultationCase`]); 0 for none
    /// (layout 2, issue 17.6).
    #[serde(default)]
    pub case_id: u64,
}

/// [`Consultation`], layout 1 (before it named its case). Never change it: older databases
/// hold it.
#[derive(Deserialize)]
pub struct ConsultationV1 {
    id: ConsultationId,
    date: NaiveDate,
    counselor_id: StaffId,
    client: Client,
    channel: Channel,
    categories: Vec<Category>,
    people: u32,
    minutes: u32,
    summary: String,
}

impl From<ConsultationV1> for Consultation {
    fn from(c: ConsultationV1) -> Consultation {
        Consultation {
            id: c.id,
            date: c.date,
            counselor_id: c.counselor_id,
            client: c.client,
            channel: c.channel,
            categories: c.categories,
            people: c.people,
            minutes: c.minutes,
            summary: c.summary,
            case_id: 0,
        }
    }
}

/// 相談件数: a count-only entry for consultations logged without details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultationTally {
    /// Record id.
    pub id: ConsultationTallyId,
    /// Date.
    pub date: NaiveDate,
    /// Category.
    pub category: Category,
    /// Channel.
    pub channel: Channel,
    /// How many consultations (≥ 1).
    pub count: u32,
}
