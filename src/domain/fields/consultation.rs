//! Fields of 相談 (consultations) and 相談件数 (consultation_tallies): reading them from a CSV row or a form, writing them back.

use super::*;

/// `(field, required)` of `consultations`, in file and form order.
pub const CONSULTATIONS: &[(&str, bool)] = &[
    ("date", true),
    ("counselor", true),
    ("client_type", true),
    ("client_name", false),
    ("channel", true),
    ("categories", true),
    ("people", false),
    ("minutes", false),
    ("summary", false),
    ("case", false),
];

/// `(field, required)` of `consultation_tallies`, in file and form order.
pub const CONSULTATION_TALLIES: &[(&str, bool)] = &[
    ("date", true),
    ("category", true),
    ("channel", true),
    ("count", true),
];

/// Client type words: 地域協働体 / 団体 / 個人.
pub const CLIENT_TYPES: [(&str, &str, &str); 3] = [
    ("body", "地域協働体", "Body"),
    ("group", "団体", "Group"),
    ("individual", "個人", "Individual"),
];

/// Reads a consultation.
pub fn read_consultation(
    r: &mut dyn FieldReader,
    res: &dyn Resolver,
    id: ConsultationId,
) -> Option<Consultation> {
    let ctype = r.req("client_type");
    let client = match CLIENT_TYPES
        .iter()
        .position(|(c, j, e)| *c == ctype || *j == ctype || e.eq_ignore_ascii_case(&ctype))
    {
        Some(0) => Client::Body(body_ref(r, res, "client_name")),
        Some(1) => Client::Group(r.req("client_name")),
        Some(_) => Client::Individual,
        None => {
            if !ctype.is_empty() {
                r.error(
                    "client_type",
                    &ctype,
                    t(
                        "相談者の種別は 地域協働体、団体、個人 のどれかにしてください",
                        "client type must be 地域協働体, 団体 or 個人 (body, group, individual)",
                    ),
                );
            }
            Client::Individual
        }
    };
    let mut categories = Vec::new();
    for c in r.list("categories") {
        match Category::parse(&c) {
            Some(v) if !categories.contains(&v) => categories.push(v),
            Some(_) => {}
            None => r.error(
                "categories",
                &c,
                t(
                    format!(
                        "分野が違います。次のどれかにしてください: {}",
                        Category::choices()
                    ),
                    format!("unknown category; use one of {}", Category::choices()),
                ),
            ),
        }
    }
    if categories.is_empty() && r.ok() {
        r.error(
            "categories",
            "",
            t(
                "分野を1つ以上選んでください",
                "choose at least one category",
            ),
        );
    }
    let counselor_name = r.req("counselor");
    let counselor_id = if counselor_name.is_empty() {
        0
    } else {
        staff_ref(r, res, "counselor", &counselor_name)
    };
    let c = Consultation {
        id,
        date: r.date("date"),
        counselor_id,
        client,
        channel: vocab(r, "channel", Channel::parse, Channel::choices).unwrap_or(Channel::Visit),
        categories,
        people: r.num_or("people", 1),
        minutes: r.num_or("minutes", 0),
        summary: r.raw("summary"),
        case_id: match r.opt("case") {
            Some(number) => res
                .labelled(RecordKind::ConsultationCase, &number)
                .unwrap_or_else(|e| {
                    r.error("case", &number, e);
                    0
                }),
            None => 0,
        },
    };
    r.ok().then_some(c)
}

/// Writes a consultation's fields.
pub fn write_consultation(c: &Consultation, res: &dyn Resolver) -> Fields {
    let (ctype, cname) = match &c.client {
        Client::Body(b) => (CLIENT_TYPES[0].1, res.body_name(*b)),
        Client::Group(g) => (CLIENT_TYPES[1].1, g.clone()),
        Client::Individual => (CLIENT_TYPES[2].1, String::new()),
    };
    vec![
        ("date", d(c.date)),
        ("counselor", res.staff_name(c.counselor_id)),
        ("client_type", ctype.into()),
        ("client_name", cname),
        ("channel", c.channel.ja().into()),
        (
            "categories",
            c.categories
                .iter()
                .map(|x| x.ja())
                .collect::<Vec<_>>()
                .join(";"),
        ),
        ("people", c.people.to_string()),
        ("minutes", c.minutes.to_string()),
        ("summary", c.summary.clone()),
        (
            "case",
            match c.case_id {
                0 => String::new(),
                id => res.label_of(RecordKind::ConsultationCase, id),
            },
        ),
    ]
}

/// Reads a tally; count ≥ 1.
pub fn read_tally(r: &mut dyn FieldReader, id: ConsultationTallyId) -> Option<ConsultationTally> {
    let t = ConsultationTally {
        id,
        date: r.date("date"),
        category: vocab(r, "category", Category::parse, Category::choices)
            .unwrap_or(Category::Other),
        channel: vocab(r, "channel", Channel::parse, Channel::choices).unwrap_or(Channel::Visit),
        count: r.num_or("count", 1),
    };
    if let Err(e) = rules::tally_count(t.count)
        && r.ok()
    {
        r.error("count", &t.count.to_string(), e);
    }
    r.ok().then_some(t)
}

/// Writes a tally's fields.
pub fn write_tally(t: &ConsultationTally) -> Fields {
    vec![
        ("date", d(t.date)),
        ("category", t.category.ja().into()),
        ("channel", t.channel.ja().into()),
        ("count", t.count.to_string()),
    ]
}

/// The counter key that puts consultation `id` in the timeline of case `case`.
pub fn case_timeline_key(case: u64, id: ConsultationId) -> String {
    format!("{}{id:020}", case_timeline_prefix(case))
}

/// The counter prefix of case `case`'s consultations (see [`case_timeline_key`]).
pub fn case_timeline_prefix(case: u64) -> String {
    format!("case/{case:020}/")
}

impl RecordType for Consultation {
    const KIND: RecordKind = RecordKind::Consultation;
    const NAME: &'static str = "consultations";
    const IMPORT_RANK: u32 = 8;
    const PLURAL: (&'static str, &'static str) = ("相談", "consultations");
    const TITLE: (&'static str, &'static str) = ("相談", "Consultation");
    const LABEL: &'static str = "consultation";
    const FIELDS: &'static [(&'static str, bool)] = CONSULTATIONS;
    const AREA: Area = Area::Consultations;
    const REFERS_TO: &'static [RefKind] = &[RefKind::Body, RefKind::Staff, RefKind::Case];
    const BY_DATE: Option<&'static str> = Some("consultations_by_date");
    const LAYOUT: u32 = 2;
    const NAMES_BY_LABEL: &'static [RecordKind] = &[RecordKind::ConsultationCase];
    crate::numeric_id!();
    fn upgrade<O: crate::domain::Older>(older: &O) -> Option<Self> {
        older
            .read::<crate::domain::consultation::ConsultationV1>()
            .map(Into::into)
    }
    fn natural_key(&self) -> String {
        format!(
            "{}|{}|{:?}|{}|{:?}|{}",
            self.date,
            self.counselor_id,
            self.client,
            self.channel.code(),
            self.categories,
            self.summary
        )
    }
    fn read(r: &mut dyn FieldReader, res: &dyn Resolver, id: u64) -> Option<Self> {
        read_consultation(r, res, id)
    }
    fn write(&self, res: &dyn Resolver) -> Fields {
        write_consultation(self, res)
    }
    fn refs(&self) -> Vec<(RefKind, u64)> {
        let mut v = vec![
            (RefKind::Staff, self.counselor_id),
            (RefKind::Case, self.case_id),
        ];
        if let Client::Body(b) = self.client {
            v.push((RefKind::Body, b));
        }
        v
    }
    /// Its place in its case's timeline: `case/<case>/<consultation>` (none without a case).
    fn keyed_counts(&self) -> Vec<(String, i64)> {
        match self.case_id {
            0 => Vec::new(),
            c => vec![(case_timeline_key(c, self.id), 1)],
        }
    }
    fn date(&self) -> Option<NaiveDate> {
        Some(self.date)
    }
    /// What a consultation counts toward (docs/DOMAIN.md's indicator table): 1 consultation,
    /// 1 record, its channel, each of its categories once, and 話し合い支援 when among them.
    fn counts(&self) -> Vec<(Metric, NaiveDate, i64)> {
        let d = self.date;
        let mut v = vec![
            (Metric::Consultations, d, 1),
            (Metric::ConsultationRecords, d, 1),
            (Metric::Channel(self.channel), d, 1),
        ];
        let mut cats = self.categories.clone();
        cats.sort();
        cats.dedup();
        for cat in cats {
            v.push((Metric::Category(cat), d, 1));
            if cat == Category::DialogueSupport {
                v.push((Metric::DialogueSupport, d, 1));
            }
        }
        v
    }
    fn redacts(role: Role) -> bool {
        !crate::domain::access::sees_summaries(role)
    }
    fn redact(&mut self, role: Role) {
        *self = crate::domain::access::redact(self.clone(), role);
    }
    fn redact_field(field: &str, value: serde_json::Value, role: Role) -> serde_json::Value {
        crate::domain::access::redact_field(field, value, role)
    }
}

impl RecordType for ConsultationTally {
    const KIND: RecordKind = RecordKind::ConsultationTally;
    const NAME: &'static str = "consultation_tallies";
    const IMPORT_RANK: u32 = 9;
    const PLURAL: (&'static str, &'static str) = ("相談件数", "tallies");
    const TITLE: (&'static str, &'static str) = ("相談件数", "Tally");
    const LABEL: &'static str = "tally";
    const FIELDS: &'static [(&'static str, bool)] = CONSULTATION_TALLIES;
    const AREA: Area = Area::Consultations;
    const BY_DATE: Option<&'static str> = Some("consultation_tallies_by_date");
    crate::numeric_id!();
    fn natural_key(&self) -> String {
        format!(
            "{}|{}|{}|{}",
            self.date,
            self.category.code(),
            self.channel.code(),
            self.count
        )
    }
    fn read(r: &mut dyn FieldReader, _: &dyn Resolver, id: u64) -> Option<Self> {
        read_tally(r, id)
    }
    fn write(&self, _: &dyn Resolver) -> Fields {
        write_tally(self)
    }
    fn date(&self) -> Option<NaiveDate> {
        Some(self.date)
    }
    /// A tally counts its count toward consultations, its channel and its category.
    fn counts(&self) -> Vec<(Metric, NaiveDate, i64)> {
        let (d, n) = (self.date, self.count as i64);
        let mut v = vec![
            (Metric::Consultations, d, n),
            (Metric::Channel(self.channel), d, n),
            (Metric::Category(self.category), d, n),
        ];
        if self.category == Category::DialogueSupport {
            v.push((Metric::DialogueSupport, d, n));
        }
        v
    }
}
