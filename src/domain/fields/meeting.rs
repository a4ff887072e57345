//! Fields of チーム会議 (team_meetings): reading them from a CSV row or a form, writing them back.

use super::*;

/// `(field, required)` of `team_meetings`, in file and form order.
pub const TEAM_MEETINGS: &[(&str, bool)] = &[
    ("body", true),
    ("date", true),
    ("place", false),
    ("attendees", false),
    ("guests", false),
    ("agenda", true),
    ("notes", false),
    ("decisions", false),
    ("follow_ups", false),
];

/// Reads a team meeting. Follow-ups: one per line, `text;owner;due;done`.
pub fn read_meeting(
    r: &mut dyn FieldReader,
    res: &dyn Resolver,
    id: TeamMeetingId,
) -> Option<TeamMeeting> {
    let body_id = body_ref(r, res, "body");
    let attendees = r
        .list("attendees")
        .into_iter()
        .map(|n| staff_ref(r, res, "attendees", &n))
        .collect();
    let mut follow_ups = Vec::new();
    let raw = r.raw("follow_ups");
    for (n, line) in raw
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        let parts = split_follow_up(line);
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        let text = parts.first().copied().unwrap_or("").to_string();
        if text.is_empty() {
            r.error(
                "follow_ups",
                line,
                t(
                    format!("フォローアップ{}: 内容が空です。「内容;担当;期限;済/未」の形で書いてください", n + 1),
                    format!("follow-up {}: the text is empty; write 'text;owner;due;done'", n + 1),
                ),
            );
        }
        let owner = parts
            .get(1)
            .filter(|s| !s.is_empty())
            .map(|o| staff_ref(r, res, "follow_ups", o));
        let due = match parts.get(2).filter(|s| !s.is_empty()) {
            Some(s) => match parse_date(s) {
                Ok(x) => Some(x),
                Err(e) => {
                    r.error(
                        "follow_ups",
                        s,
                        t(
                            format!("フォローアップ{}: {}", n + 1, e.ja()),
                            format!("follow-up {}: {e}", n + 1),
                        ),
                    );
                    None
                }
            },
            None => None,
        };
        let done = parts.get(3).is_some_and(|s| parse_bool(s) == Some(true));
        follow_ups.push(FollowUp {
            text,
            owner,
            due,
            done,
        });
    }
    let m = TeamMeeting {
        id,
        body_id,
        date: r.date("date"),
        place: r.raw("place"),
        attendees,
        guests: r.raw("guests"),
        agenda: r.req("agenda"),
        notes: r.raw("notes"),
        decisions: r.raw("decisions"),
        follow_ups,
    };
    r.ok().then_some(m)
}

/// Splits one follow-up line `text;owner;due;done` (`；` too) into its parts, trimmed. The text
/// may itself hold `;`: with more than four parts, the last three are owner, due and done.
pub fn split_follow_up(line: &str) -> Vec<String> {
    let seps: Vec<(usize, usize)> = line
        .char_indices()
        .filter(|(_, c)| *c == ';' || *c == '；')
        .map(|(i, c)| (i, c.len_utf8()))
        .collect();
    let cut = seps.len().saturating_sub(3);
    let mut parts = Vec::new();
    let mut start = 0;
    for &(i, n) in &seps[cut..] {
        parts.push(line[start..i].trim().to_string());
        start = i + n;
    }
    parts.push(line[start..].trim().to_string());
    parts
}

/// Writes a meeting's fields.
pub fn write_meeting(m: &TeamMeeting, res: &dyn Resolver) -> Fields {
    let fus: Vec<String> = m
        .follow_ups
        .iter()
        .map(|f| {
            format!(
                "{};{};{};{}",
                f.text,
                f.owner.map(|o| res.staff_name(o)).unwrap_or_default(),
                od(f.due),
                if f.done { "済" } else { "未" }
            )
        })
        .collect();
    vec![
        ("body", res.body_name(m.body_id)),
        ("date", d(m.date)),
        ("place", m.place.clone()),
        (
            "attendees",
            m.attendees
                .iter()
                .map(|a| res.staff_name(*a))
                .collect::<Vec<_>>()
                .join(";"),
        ),
        ("guests", m.guests.clone()),
        ("agenda", m.agenda.clone()),
        ("notes", m.notes.clone()),
        ("decisions", m.decisions.clone()),
        ("follow_ups", fus.join("\n")),
    ]
}

impl RecordType for TeamMeeting {
    const KIND: RecordKind = RecordKind::TeamMeeting;
    const NAME: &'static str = "team_meetings";
    const IMPORT_RANK: u32 = 7;
    const PLURAL: (&'static str, &'static str) = ("チーム会議", "team meetings");
    const TITLE: (&'static str, &'static str) = ("チーム会議", "Team meeting");
    const LABEL: &'static str = "meeting";
    const FIELD_LABELS: &'static [(&'static str, &'static str, &'static str)] = &[
        ("fu_text", "フォローアップ", "Follow-up"),
        ("fu_owner", "　担当者", "  owner"),
        ("fu_due", "　期限", "  due"),
        ("fu_done", "　済/未", "  done"),
    ];
    const FIELDS: &'static [(&'static str, bool)] = TEAM_MEETINGS;
    const AREA: Area = Area::Meetings;
    const REFERS_TO: &'static [RefKind] = &[RefKind::Body, RefKind::Staff];
    const BY_DATE: Option<&'static str> = Some("team_meetings_by_date");
    crate::numeric_id!();
    fn natural_key(&self) -> String {
        format!("{}|{}|{}", self.body_id, self.date, self.agenda)
    }
    fn read(r: &mut dyn FieldReader, res: &dyn Resolver, id: u64) -> Option<Self> {
        read_meeting(r, res, id)
    }
    /// `地域協働体/日付/議題`, e.g. `花泉地区まちづくり協議会/2023-05-01/夏祭り`.
    fn label(&self, res: &dyn Resolver) -> String {
        format!(
            "{}/{}/{}",
            res.body_name(self.body_id),
            self.date,
            self.agenda
        )
    }
    fn write(&self, res: &dyn Resolver) -> Fields {
        write_meeting(self, res)
    }
    fn refs(&self) -> Vec<(RefKind, u64)> {
        let mut v = vec![(RefKind::Body, self.body_id)];
        v.extend(self.attendees.iter().map(|s| (RefKind::Staff, *s)));
        v.extend(
            self.follow_ups
                .iter()
                .filter_map(|f| f.owner.map(|o| (RefKind::Staff, o))),
        );
        v
    }
    fn date(&self) -> Option<NaiveDate> {
        Some(self.date)
    }
    fn counts(&self) -> Vec<(Metric, NaiveDate, i64)> {
        vec![(Metric::TeamMeetings, self.date, 1)]
    }
    fn keyed_counts(&self) -> Vec<(String, i64)> {
        self.open_follow_up_counts()
    }
}
