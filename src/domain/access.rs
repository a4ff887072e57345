//! Who may change and see what: the role table of issue 6 ("Identity and roles"), as pure rules
//! the shared server applies to each request (docs/DESIGN.md, "Shared use on one server"). Embedded
//! use (no server) acts as [`Role::Admin`]: roles cannot protect files their reader owns.
//!
//! | role        | may write                                                       |
//! |-------------|-----------------------------------------------------------------|
//! | admin       | everything, including staff and roles                           |
//! | coordinator | bodies (and their counts), assignments, subsidies, indicators, plan |
//! | liaison     | meetings (with follow-ups) and activities of bodies they are assigned to |
//! | counselor   | consultations and tallies                                       |
//! | viewer      | nothing                                                         |
//!
//! Everyone may read everything except consultation summaries (相談内容), which only counselors
//! and admins see ([`redact`]).

use super::{BodyId, Client, Consultation, Role, Text};

/// What a write touches, for the role table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// 職員 and their roles and logins.
    Staff,
    /// 地域協働体 and their dated counts (BodyCount).
    Bodies,
    /// 地域担当 assignments.
    Assignments,
    /// 交付金: programs, grants and disbursements.
    Subsidies,
    /// 成果指標 and their entered yearly values.
    Indicators,
    /// The plan's actions (事業) and their statuses.
    Plan,
    /// チーム会議, with their follow-ups.
    Meetings,
    /// 地域協働体の活動.
    Activities,
    /// 相談 and 相談件数 tallies.
    Consultations,
    /// 要望・提言: liaisons record those of their bodies (受付); coordinators route and close.
    Requests,
}

impl Area {
    /// The area of a record type named as in CSV files and `kyodo export` (e.g. `grants`,
    /// `team_meetings`): its [`RecordType::AREA`](super::RecordType::AREA); `None` for a name
    /// that is not a record type.
    pub fn of_type(name: &str) -> Option<Area> {
        super::RecordKind::of_name(name).map(super::RecordKind::area)
    }

    fn label(self) -> (&'static str, &'static str) {
        match self {
            Area::Staff => ("職員と役割", "staff and roles"),
            Area::Bodies => ("地域協働体", "bodies"),
            Area::Assignments => ("地域担当の割り当て", "assignments"),
            Area::Subsidies => ("交付金", "subsidies"),
            Area::Indicators => ("成果指標", "indicators"),
            Area::Plan => ("計画の事業", "plan actions"),
            Area::Meetings => ("チーム会議", "team meetings"),
            Area::Activities => ("活動", "activities"),
            Area::Consultations => ("相談", "consultations"),
            Area::Requests => ("要望・提言", "requests"),
        }
    }
}

/// Whether `role` may write a record of `area`. `body` is the body the record belongs to
/// (meetings and activities), and `assigned` the bodies the person is assigned to on the day of
/// the request; a liaison may write only for those.
///
/// Errors: a message naming the role and what it may not change, in both languages.
pub fn may_write(
    role: Role,
    area: Area,
    body: Option<BodyId>,
    assigned: &[BodyId],
) -> Result<(), Text> {
    let allowed = match role {
        Role::Admin => true,
        Role::Coordinator => matches!(
            area,
            Area::Bodies
                | Area::Assignments
                | Area::Subsidies
                | Area::Indicators
                | Area::Plan
                | Area::Requests
        ),
        Role::Liaison => {
            matches!(area, Area::Meetings | Area::Activities | Area::Requests)
                && body.is_some_and(|b| assigned.contains(&b))
        }
        Role::Counselor => area == Area::Consultations,
        Role::Viewer => false,
    };
    if allowed {
        return Ok(());
    }
    let (ja, en) = area.label();
    if role == Role::Liaison && matches!(area, Area::Meetings | Area::Activities | Area::Requests) {
        return Err(Text::new(
            format!("地域担当は担当している地域協働体の{ja}だけを記録できます"),
            format!("a liaison records {en} only for the bodies they are assigned to"),
        ));
    }
    Err(Text::new(
        format!(
            "役割「{}」では{ja}を変更できません。管理者に依頼してください",
            role.ja()
        ),
        format!(
            "the {} role may not change {en}; ask an admin",
            role.en().to_lowercase()
        ),
    ))
}

/// Whether `role` may write a record of `area` in lifecycle state `state` (its stored JSON
/// term, e.g. `"Received"`): a liaison records a body's requests as received (受付) only; the
/// answer and what becomes of it are the coordinators' (seed 003 事業11; issue 17.2).
///
/// Errors: a message saying who may take the step, in both languages.
pub fn may_set_state(role: Role, area: Area, state: Option<&str>) -> Result<(), Text> {
    if role == Role::Liaison && area == Area::Requests && state.is_some_and(|s| s != "Received") {
        return Err(Text::new(
            "要望・提言の回答と反映等の決定は協働推進の担当(コーディネーター)が記録します。地域担当は受付まで記録できます",
            "a request's answer and decision are recorded by a coordinator; a liaison records it as received",
        ));
    }
    Ok(())
}

/// Whether `role` may do what needs the whole database: a backup (it holds every summary) and
/// `kyodo check --repair`. Admins only.
///
/// Errors: a message naming the role, in both languages.
pub fn may_administer(role: Role) -> Result<(), Text> {
    if role == Role::Admin {
        return Ok(());
    }
    Err(Text::new(
        format!(
            "役割「{}」ではこの操作はできません。管理者に依頼してください",
            role.ja()
        ),
        format!(
            "the {} role may not do this; ask an admin",
            role.en().to_lowercase()
        ),
    ))
}

/// Whether `role` sees consultation summaries (相談内容, which may hold personal information).
pub fn sees_summaries(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Counselor)
}

/// A consultation as `role` may see it. Counselors and admins get it whole. Others get the date,
/// client type, categories, channel and counts: the summary is emptied and a group client's name
/// removed. A body client keeps its body, since a 地域協働体 is a public organization named in
/// the city's own reports, not a person.
pub fn redact(mut c: Consultation, role: Role) -> Consultation {
    if !sees_summaries(role) {
        c.summary.clear();
        if let Client::Group(name) = &mut c.client {
            name.clear();
        }
    }
    c
}

/// One field of a consultation in an audit diff (its JSON), as `role` may see it: the same rule
/// as [`redact`] — the summary is emptied and a group client's name removed.
pub fn redact_field(field: &str, value: serde_json::Value, role: Role) -> serde_json::Value {
    if sees_summaries(role) {
        return value;
    }
    match field {
        "summary" if value.is_string() => serde_json::Value::String(String::new()),
        "client" if value.get("Group").is_some() => serde_json::json!({"Group": ""}),
        _ => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Category, Channel};

    const AREAS: [Area; 10] = [
        Area::Staff,
        Area::Bodies,
        Area::Assignments,
        Area::Subsidies,
        Area::Indicators,
        Area::Plan,
        Area::Meetings,
        Area::Activities,
        Area::Consultations,
        Area::Requests,
    ];

    #[test]
    fn each_role_writes_what_the_table_says_and_nothing_else() {
        use Area::*;
        let table: [(Role, &[Area]); 5] = [
            (Role::Admin, &AREAS),
            (
                Role::Coordinator,
                &[Bodies, Assignments, Subsidies, Indicators, Plan, Requests],
            ),
            (Role::Liaison, &[Meetings, Activities, Requests]),
            (Role::Counselor, &[Consultations]),
            (Role::Viewer, &[]),
        ];
        for (role, allowed) in table {
            for area in AREAS {
                let ok = may_write(role, area, Some(7), &[7]).is_ok();
                assert_eq!(ok, allowed.contains(&area), "{role:?} {area:?}");
            }
        }
        let e = may_write(Role::Liaison, Meetings, Some(8), &[7]).unwrap_err();
        assert_eq!(
            e.en,
            "a liaison records team meetings only for the bodies they are assigned to"
        );
        assert!(may_write(Role::Liaison, Activities, None, &[7]).is_err());
        // A liaison records a request as received; the answer and decision are coordinators'.
        assert!(may_set_state(Role::Liaison, Requests, Some("Received")).is_ok());
        for s in ["Answered", "Reflected", "Declined"] {
            assert!(
                may_set_state(Role::Liaison, Requests, Some(s)).is_err(),
                "{s}"
            );
            assert!(
                may_set_state(Role::Coordinator, Requests, Some(s)).is_ok(),
                "{s}"
            );
        }
        assert!(may_set_state(Role::Liaison, Meetings, Some("Answered")).is_ok());
        let e = may_write(Role::Viewer, Staff, None, &[]).unwrap_err();
        assert_eq!(
            e.en,
            "the viewer role may not change staff and roles; ask an admin"
        );
        assert_eq!(
            e.ja,
            "役割「閲覧」では職員と役割を変更できません。管理者に依頼してください"
        );
    }

    #[test]
    fn only_admins_administer() {
        assert!(may_administer(Role::Admin).is_ok());
        for role in [
            Role::Coordinator,
            Role::Liaison,
            Role::Counselor,
            Role::Viewer,
        ] {
            assert!(may_administer(role).is_err(), "{role:?}");
        }
    }

    #[test]
    fn summaries_only_for_counselors_and_admins() {
        let c = Consultation {
            id: 1,
            date: chrono::NaiveDate::from_ymd_opt(2024, 5, 1).unwrap(),
            counselor_id: 3,
            client: Client::Group("山田さんの子育てサークル".into()),
            channel: Channel::Phone,
            categories: vec![Category::DialogueSupport],
            people: 2,
            minutes: 30,
            summary: "個人の事情を含む相談内容".into(),
            case_id: 0,
        };
        for role in [Role::Admin, Role::Counselor] {
            assert_eq!(redact(c.clone(), role), c);
        }
        for role in [Role::Coordinator, Role::Liaison, Role::Viewer] {
            let r = redact(c.clone(), role);
            assert_eq!(r.summary, "");
            assert_eq!(r.client, Client::Group(String::new()));
            assert_eq!(
                (r.date, r.channel, &r.categories, r.people, r.minutes),
                (c.date, c.channel, &c.categories, c.people, c.minutes)
            );
        }
    }
}
