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
