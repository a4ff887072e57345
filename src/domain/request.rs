//! 要望・提言 (`Request`): what a body asked of the city, and how the city answered — received
//! (受付), answered (回答), then reflected in the city's measures (反映), partly (一部反映) or not
//! (見送り, with the reason). Seed 003 事業11 「地域づくり計画」の市政への反映: requests from the
//! bodies are weighed by priority and share of the burden and reflected where they can be;
//! 事業12: exchanges held at a body's request (issue 17.2). The lifecycle moves forward only and
//! every step is dated; the store refuses a step back ([`RecordType::may_replace`]) by every path.
//! Declared in this one file and registered by one line of [`crate::record_types!`].

use super::access::Area;
use super::fields::reader::{FieldReader, Fields, Resolver, body_ref, d, od, t, vocab};
use super::limits::Limit;
use super::record_type::{RecordKind, RecordType, RefKind};
use super::{BodyId, FiscalYear, Text};
use crate::vocab;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Record id of a [`Request`].
pub type RequestId = u64;

/// Days the city gives itself to answer a request that states no 回答期限 (kyodo's default, a
/// month; a request may set its own).
pub const REPLY_DAYS: u64 = 30;

vocab! {
    /// Where a request stands. Forward only: 受付 → 回答 → 反映 / 一部反映 / 見送り.
    RequestState {
        /// 受付: received, awaiting the section's answer.
        Received = ("received", "受付", "Received"),
        /// 回答: the section has answered; what becomes of it is not decided yet.
        Answered = ("answered", "回答", "Answered"),
        /// 反映: reflected in the city's measures.
        Reflected = ("reflected", "反映", "Reflected"),
        /// 一部反映: partly reflected (reason given).
        PartlyReflected = ("partly", "一部反映", "Partly reflected"),
        /// 見送り: not taken up (reason given).
        Declined = ("declined", "見送り", "Declined"),
    }
}

vocab! {
    /// 優先度: how urgent the body rates its request (seed 003 事業11: 事業の優先順位).
    Priority {
        /// 高.
        High = ("high", "高", "High"),
        /// 中.
        Medium = ("medium", "中", "Medium"),
        /// 低.
        Low = ("low", "低", "Low"),
    }
}

impl RequestState {
    /// Whether the request is closed (反映, 一部反映 or 見送り).
    pub fn closed(self) -> bool {
        matches!(
            self,
            RequestState::Reflected | RequestState::PartlyReflected | RequestState::Declined
        )
    }

    /// Its step in the lifecycle: 0 受付, 1 回答, 2 closed.
    fn step(self) -> u8 {
        match self {
            RequestState::Received => 0,
            RequestState::Answered => 1,
            _ => 2,
        }
    }
}

/// 要望・提言: one request of a body to the city.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// Record id.
    pub id: RequestId,
    /// 受付番号, e.g. `R5-003` (unique: importing the same number updates it).
    pub number: String,
    /// The body that made it.
    pub body_id: BodyId,
    /// 受付日.
    pub received_on: NaiveDate,
    /// 要望・提言の内容.
    pub text: String,
    /// 担当課: the city section that answers it, e.g. `道路河川課`.
    pub section: String,
    /// 優先度 as the body gives it.
    pub priority: Priority,
    /// The item of the body's 地域づくり計画 it comes from (its words), if any.
    pub plan_item: String,
    /// 回答期限; `None`: [`REPLY_DAYS`] after it was received.
    pub reply_due: Option<NaiveDate>,
    /// State.
    pub state: RequestState,
    /// 回答日.
    pub answered_on: Option<NaiveDate>,
    /// 回答: the section's answer.
    pub answer: String,
    /// The date it was closed (反映, 一部反映 or 見送り decided).
    pub closed_on: Option<NaiveDate>,
    /// Why it was partly reflected or declined.
    pub reason: String,
}

impl Request {
    /// When the answer is due: its 回答期限, else [`REPLY_DAYS`] after it was received.
    pub fn reply_due_on(&self) -> NaiveDate {
        self.reply_due.unwrap_or_else(|| {
            self.received_on
                .checked_add_days(Days::new(REPLY_DAYS))
                .unwrap_or(self.received_on)
        })
    }
}

/// The refusal of a request that lacks what its state needs.
fn needs(r: &mut dyn FieldReader, field: &str, state: RequestState, ja: &str, en: &str) {
    r.error(
        field,
        "",
        t(
            format!("「{}」にするには{ja}が要ります", state.ja()),
            format!("a request marked {} needs {en}", state.en()),
        ),
    );
}

impl RecordType for Request {
    const KIND: RecordKind = RecordKind::Request;
    const NAME: &'static str = "requests";
    const TITLE: (&'static str, &'static str) = ("要望・提言", "Request");
    const PLURAL: (&'static str, &'static str) = ("要望・提言", "requests");
    const LABEL: &'static str = "request";
    /// After bodies, before the documents that may be attached to it.
    const IMPORT_RANK: u32 = 7;
    const FIELDS: &'static [(&'static str, bool)] = &[
        ("number", true),
        ("body", true),
        ("received_on", true),
        ("text", true),
        ("section", true),
        ("priority", false),
        ("plan_item", false),
        ("reply_due", false),
        ("state", false),
        ("answered_on", false),
        ("answer", false),
        ("closed_on", false),
        ("reason", false),
    ];
    const LIMITS: &'static [(&'static str, Limit)] = &[
        ("number", Limit::Name),
        ("plan_item", Limit::Line),
        ("answer", Limit::Text),
    ];
    const FIELD_LABELS: &'static [(&'static str, &'static str, &'static str)] = &[
        ("number", "受付番号", "Request no."),
        ("received_on", "受付日", "Received"),
        ("text", "要望・提言の内容", "Request"),
        ("section", "担当課", "Section"),
        ("priority", "優先度", "Priority"),
        ("plan_item", "地域づくり計画の項目", "Plan item"),
        ("reply_due", "回答期限", "Reply due"),
        ("state", "状態", "State"),
        ("answered_on", "回答日", "Answered"),
        ("answer", "回答", "Answer"),
        ("closed_on", "反映等の決定日", "Closed"),
        ("reason", "一部反映・見送りの理由", "Reason"),
    ];
    const LIST_COLUMNS: &'static [(&'static str, u16)] = &[
        ("received_on", 10),
        ("number", 8),
        ("body", 14),
        ("state", 8),
        ("section", 10),
        ("text", 0),
    ];
    const AREA: Area = Area::Requests;
    const REFERS_TO: &'static [RefKind] = &[RefKind::Body];
    const FORWARD_ONLY: bool = true;

    crate::numeric_id!();
    fn natural_key(&self) -> String {
        self.number.clone()
    }
    fn read(r: &mut dyn FieldReader, res: &dyn Resolver, id: u64) -> Option<Self> {
        let state = match r.opt("state") {
            Some(_) => vocab(r, "state", RequestState::parse, RequestState::choices),
            None => Some(RequestState::Received),
        }
        .unwrap_or(RequestState::Received);
        let priority = match r.opt("priority") {
            Some(_) => vocab(r, "priority", Priority::parse, Priority::choices),
            None => Some(Priority::Medium),
        }
        .unwrap_or(Priority::Medium);
        let q = Request {
            id,
            number: r.req("number"),
            body_id: body_ref(r, res, "body"),
            received_on: r.date("received_on"),
            text: r.req("text"),
            section: r.req("section"),
            priority,
            plan_item: r.raw("plan_item"),
            reply_due: r.opt_date("reply_due"),
            state,
            answered_on: r.opt_date("answered_on"),
            answer: r.raw("answer"),
            closed_on: r.opt_date("closed_on"),
            reason: r.raw("reason"),
        };
        if r.ok() {
            check_steps(r, &q);
        }
        r.ok().then_some(q)
    }
    fn write(&self, res: &dyn Resolver) -> Fields {
        vec![
            ("number", self.number.clone()),
            ("body", res.body_name(self.body_id)),
            ("received_on", d(self.received_on)),
            ("text", self.text.clone()),
            ("section", self.section.clone()),
            ("priority", self.priority.ja().into()),
            ("plan_item", self.plan_item.clone()),
            ("reply_due", od(self.reply_due)),
            ("state", self.state.ja().into()),
            ("answered_on", od(self.answered_on)),
            ("answer", self.answer.clone()),
            ("closed_on", od(self.closed_on)),
            ("reason", self.reason.clone()),
        ]
    }
    fn refs(&self) -> Vec<(RefKind, u64)> {
        vec![(RefKind::Body, self.body_id)]
    }
    fn in_year(&self, fy: FiscalYear, _res: &dyn Resolver) -> bool {
        fy.contains(self.received_on)
    }
    fn export_order(&self, other: &Self, _res: &dyn Resolver) -> Ordering {
        (self.received_on, &self.number).cmp(&(other.received_on, &other.number))
    }
    fn may_replace(&self, old: &Self) -> Result<(), Text> {
        if self.state.step() < old.state.step() || (old.state.closed() && self.state != old.state) {
            return Err(t(
                format!(
                    "要望 {} は「{}」から「{}」に戻せません(受付 → 回答 → 反映・一部反映・見送り の順に進むだけです)",
                    old.number,
                    old.state.ja(),
                    self.state.ja()
                ),
                format!(
                    "request {} cannot go back from {} to {} (it moves forward only: received → answered → reflected, partly reflected or declined)",
                    old.number,
                    old.state.en(),
                    self.state.en()
                ),
            ));
        }
        let kept = |a: Option<NaiveDate>, b: Option<NaiveDate>| a.is_none() || a == b;
        if !kept(old.answered_on, self.answered_on) || !kept(old.closed_on, self.closed_on) {
            return Err(t(
                format!("要望 {} の済んだ手続きの日付は変えられません", old.number),
                format!(
                    "the date of a step request {} has taken cannot be changed",
                    old.number
                ),
            ));
        }
        Ok(())
    }
}

/// The rules of a request's own fields: each state has what it needs, and steps are dated in
/// order (受付日 ≤ 回答日 ≤ 決定日).
fn check_steps(r: &mut dyn FieldReader, q: &Request) {
    let s = q.state;
    if s.step() >= 1 {
        if q.answered_on.is_none() {
            needs(r, "answered_on", s, "回答日", "the date it was answered");
        }
        if q.answer.trim().is_empty() {
            needs(r, "answer", s, "回答", "the answer");
        }
    }
    if s.closed() && q.closed_on.is_none() {
        needs(r, "closed_on", s, "決定日", "the date it was decided");
    }
    if matches!(s, RequestState::PartlyReflected | RequestState::Declined)
        && q.reason.trim().is_empty()
    {
        needs(r, "reason", s, "理由", "the reason");
    }
    if s.step() == 0 && (q.answered_on.is_some() || q.closed_on.is_some()) {
        r.error(
            "state",
            s.ja(),
            t(
                "回答日・決定日があるときは状態を「回答」以降にしてください",
                "a request with an answer or decision date is past 受付 (Received): set its state",
            ),
        );
    }
    let order = [
        ("received_on", Some(q.received_on)),
        ("answered_on", q.answered_on),
        ("closed_on", q.closed_on),
    ];
    let mut last: Option<(&str, NaiveDate)> = None;
    for (field, date) in order {
        let Some(date) = date else { continue };
        if let Some((before, at)) = last
            && date < at
        {
            r.error(
                field,
                &date.to_string(),
                t(
                    format!("{date} は {before} の {at} より前です"),
                    format!("{date} is before {before} ({at})"),
                ),
            );
        }
        last = Some((field, date));
    }
}
