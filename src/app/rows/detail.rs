//! An item's detail view: every field with its label, in the user's language.

use super::*;

/// The detail view of an item: (label, value) lines; a label of "" continues the previous one.
pub fn detail(item: &Item, lk: &Lookups, lang: Lang, fy: FiscalYear) -> Vec<(String, String)> {
    let l = |m: Msg| lang.t(m).to_string();
    let mut out: Vec<(String, String)> = Vec::new();
    match item {
        Item::Record(r) => {
            for (k, v) in &r.fields {
                out.push((
                    lang.field_of(r.kind.file(), k).to_string(),
                    lang.said_value(k, v.clone()),
                ));
            }
        }
        Item::Indicator(s) => {
            let i = &s.indicator;
            let unit = match lang {
                Lang::Ja => &i.unit_ja,
                Lang::En => &i.unit_en,
            };
            out.push((l(Msg::Indicator), cells(item, lk, lang, fy)[0].clone()));
            out.push(("id".into(), i.id.clone()));
            out.push((l(Msg::Unit), unit.clone()));
            out.push((
                l(Msg::Value),
                format!("{} ({})", cells(item, lk, lang, fy)[1], lang.fy(fy)),
            ));
            out.push((
                l(Msg::Baseline),
                format!("{} ({})", figure(i.baseline, lang), lang.fy(i.baseline_fy)),
            ));
            out.push((
                l(Msg::Target),
                format!(
                    "{} ({})",
                    figure(Some(i.target), lang),
                    lang.fy(i.target_fy)
                ),
            ));
            out.push((l(Msg::Achievement), cells(item, lk, lang, fy)[5].clone()));
            if let Some(p) = s.pace {
                out.push((
                    l(Msg::Pace),
                    format!(
                        "{} ({} {})",
                        cells(item, lk, lang, fy)[4],
                        l(Msg::PaceLine),
                        figure(Some(p.expected), lang)
                    ),
                ));
            }
            let src = match i.source {
                IndicatorSource::Entered => match lang {
                    Lang::Ja => "毎年度入力".to_string(),
                    Lang::En => "entered yearly".to_string(),
                },
                IndicatorSource::Counted(m) => match lang {
                    Lang::Ja => format!("記録から集計: {}", m.ja()),
                    Lang::En => format!("counted from records: {}", m.en()),
                },
            };
            out.push((l(Msg::Source), src));
            // Which survey round the value came from (issue 19.5).
            if let Some(r) = s
                .from_survey
                .and_then(|id| lk.surveys.iter().find(|r| r.id == id))
            {
                out.push((
                    l(Msg::FromSurvey),
                    format!("{} ({})", r.name, lang.date(r.conducted_on)),
                ));
            }
        }
        Item::Body(b) => {
            out.push((l(Msg::Name), b.name.clone()));
            out.push((l(Msg::Kana), b.kana.clone()));
            out.push((l(Msg::District), b.district.clone()));
            out.push((l(Msg::BranchOffice), b.branch_office.clone()));
            out.push((l(Msg::Established), lang.date(b.established_on)));
            out.push((l(Msg::Dissolved), opt_date(lang, b.dissolved_on)));
            // The counts in force in the fiscal year on screen, with the date they were taken.
            let (as_of, households, population) = lk.counts_in(b, fy);
            let asof = as_of
                .map(|d| match lang {
                    Lang::Ja => format!(" ({} {})", lang.date(d), l(Msg::AsOf)),
                    Lang::En => format!(" ({} {})", l(Msg::AsOf), lang.date(d)),
                })
                .unwrap_or_default();
            out.push((
                l(Msg::Households),
                format!("{}{asof}", money::group_digits(households as i64)),
            ));
            out.push((l(Msg::Population), money::group_digits(population as i64)));
            if let Some(a) = b.area_km2 {
                out.push((
                    l(Msg::Area),
                    format!("{} km²", crate::domain::scenario::km2(a)),
                ));
            }
            if let Some(c) = &b.citizen_center {
                out.push((l(Msg::CitizenCenter), c.name.clone()));
                out.push((
                    l(Msg::DesignatedManager),
                    c.designated_manager_since
                        .map(|d| lang.date(d))
                        .unwrap_or_else(|| l(Msg::No)),
                ));
            }
            if let Some(p) = &b.community_plan {
                out.push((
                    l(Msg::CommunityPlan),
                    format!("{}〜{}", lang.fy(p.period_start), lang.fy(p.period_end)),
                ));
                out.push((String::new(), p.vision.clone()));
                // Its revision history, newest first (or the plan's own 改訂日 without one).
                let mut revisions: Vec<_> = lk
                    .plan_revisions
                    .iter()
                    .filter(|r| r.body_id == b.id)
                    .collect();
                revisions.sort_by_key(|r| std::cmp::Reverse(r.date));
                if revisions.is_empty()
                    && let Some(d) = p.last_revised
                {
                    out.push((l(Msg::PlanRevised), lang.date(d)));
                }
                for (n, r) in revisions.iter().enumerate() {
                    out.push((
                        if n == 0 {
                            l(Msg::PlanRevisions)
                        } else {
                            String::new()
                        },
                        format!("{} {}", lang.date(r.date), r.summary),
                    ));
                }
            }
            let mut first = true;
            for r in lk
                .ledger
                .iter()
                .filter(|r| r.recipient == Recipient::Body(b.id))
            {
                out.push((
                    if first {
                        l(Msg::GrantsAcrossYears)
                    } else {
                        String::new()
                    },
                    format!(
                        "{} {} {} {} / {} {} {}",
                        lang.fy(r.fiscal_year),
                        r.program,
                        l(Msg::DecidedShort),
                        lang.yen(r.money.decided),
                        l(Msg::PaidShort),
                        lang.yen(r.money.paid - r.money.refunded),
                        r.state.label(lang)
                    ),
                ));
                first = false;
            }
            let mut first = true;
            for a in lk.team(b.id, fy) {
                let period = format!(
                    "{}〜{}",
                    lang.date(a.from),
                    a.to.map(|d| lang.date(d)).unwrap_or_default()
                );
                out.push((
                    if first {
                        format!("{} {}", l(Msg::Team), lang.fy(fy))
                    } else {
                        String::new()
                    },
                    format!(
                        "{} ({}) {period}",
                        lk.staff_name(a.staff_id),
                        a.role.label(lang)
                    ),
                ));
                first = false;
            }
        }
        Item::Staff(s) => {
            out.push((l(Msg::Name), s.name.clone()));
            out.push((l(Msg::Kana), s.kana.clone()));
            out.push((l(Msg::Organization), s.organization.label(lang).into()));
            out.push((l(Msg::Section), s.section.clone()));
            out.push((l(Msg::Login), s.login.clone().unwrap_or_default()));
            out.push((l(Msg::Role), s.role.label(lang).into()));
            out.push((
                l(Msg::Active),
                if s.active {
                    l(Msg::Yes)
                } else {
                    l(Msg::Inactive)
                },
            ));
            let mut mine: Vec<_> = lk
                .assignments
                .iter()
                .filter(|a| a.staff_id == s.id)
                .collect();
            mine.sort_by_key(|a| a.from);
            let mut first = true;
            for a in mine {
                out.push((
                    if first {
                        l(Msg::Assignments)
                    } else {
                        String::new()
                    },
                    format!(
                        "{} ({}) {}〜{}",
                        lk.body_name(a.body_id),
                        a.role.label(lang),
                        lang.date(a.from),
                        opt_date(lang, a.to)
                    ),
                ));
                first = false;
            }
            // 研修履歴 (issue 19.4): oldest first, with the report-back held or owed.
            let mut had: Vec<_> = lk.trainings.iter().filter(|t| t.staff_id == s.id).collect();
            had.sort_by_key(|t| t.attended_on);
            for (i, t) in had.into_iter().enumerate() {
                let back = match (t.reported_on, t.report_due) {
                    (Some(on), _) => format!(" / {} {}", l(Msg::ReportedBack), lang.date(on)),
                    (None, Some(due)) => {
                        format!(" / {} {}", l(Msg::ReportBackOwed), lang.date(due))
                    }
                    (None, None) => String::new(),
                };
                let label = if i == 0 {
                    l(Msg::TrainingHistory)
                } else {
                    String::new()
                };
                out.push((
                    label,
                    format!("{} {}{back}", lang.date(t.attended_on), t.title),
                ));
            }
        }
        Item::Meeting(m) => {
            out.push((l(Msg::Date), lang.date(m.date)));
            out.push((l(Msg::Body), lk.body_name(m.body_id)));
            out.push((l(Msg::Place), m.place.clone()));
            out.push((
                l(Msg::Attendees),
                m.attendees
                    .iter()
                    .map(|a| lk.staff_name(*a))
                    .collect::<Vec<_>>()
                    .join("、"),
            ));
            out.push((l(Msg::Guests), m.guests.clone()));
            out.push((l(Msg::Agenda), m.agenda.clone()));
            out.push((l(Msg::Notes), m.notes.clone()));
            out.push((l(Msg::Decisions), m.decisions.clone()));
            let mut first = true;
            for f in &m.follow_ups {
                out.push((
                    if first {
                        l(Msg::FollowUps)
                    } else {
                        String::new()
                    },
                    format!(
                        "[{}] {} / {} {} {}",
                        if f.done { "x" } else { " " },
                        f.text,
                        f.owner.map(|o| lk.staff_name(o)).unwrap_or_default(),
                        l(Msg::Due),
                        opt_date(lang, f.due)
                    ),
                ));
                first = false;
            }
        }
        Item::Consultation(c) => {
            out.push((l(Msg::Date), lang.date(c.date)));
            out.push((l(Msg::Counselor), lk.staff_name(c.counselor_id)));
            out.push((l(Msg::Client), client(&c.client, lk, lang)));
            out.push((l(Msg::Channel), c.channel.label(lang).into()));
            out.push((l(Msg::Category), cells(item, lk, lang, fy)[2].clone()));
            out.push((l(Msg::People), c.people.to_string()));
            out.push((l(Msg::Minutes), c.minutes.to_string()));
            out.push((
                l(Msg::Summary),
                if lk.summaries_hidden && c.summary.is_empty() {
                    l(Msg::SummaryWithheld)
                } else {
                    c.summary.clone()
                },
            ));
        }
        Item::Tally(t) => {
            out.push((l(Msg::Date), lang.date(t.date)));
            out.push((l(Msg::Kind), l(Msg::Tally)));
            out.push((l(Msg::Category), t.category.label(lang).into()));
            out.push((l(Msg::Channel), t.channel.label(lang).into()));
            out.push((l(Msg::Count), t.count.to_string()));
        }
        Item::Grant(g) => {
            let gr = &g.grant;
            let yen = |a: Option<i64>| a.map(|a| lang.yen(a)).unwrap_or_else(|| "-".into());
            out.push((l(Msg::Program), format!("{} {}", g.program, lang.fy(fy))));
            out.push((l(Msg::Recipient), lk.recipient_name(gr.recipient)));
            out.push((
                l(Msg::Applied),
                format!(
                    "{} ({})",
                    lang.yen(gr.applied_amount),
                    lang.date(gr.applied_on)
                ),
            ));
            out.push((
                l(Msg::Decided),
                format!(
                    "{} ({})",
                    yen(gr.decided_amount),
                    opt_date(lang, gr.decided_on)
                ),
            ));
            out.push((l(Msg::Paid), lang.yen(g.paid)));
            out.push((l(Msg::Remaining), lang.yen(g.remaining())));
            out.push((
                l(Msg::Confirmed),
                format!(
                    "{} ({})",
                    yen(gr.confirmed_amount),
                    opt_date(lang, gr.confirmed_on)
                ),
            ));
            out.push((l(Msg::State), gr.state.label(lang).into()));
            if let Some(a) = &g.award {
                award_lines(&mut out, a, lang);
            }
            let mut first = true;
            for d in &g.payments {
                out.push((
                    if first {
                        l(Msg::Disbursements)
                    } else {
                        String::new()
                    },
                    format!(
                        "{} {} {}",
                        lang.date(d.date),
                        d.kind.label(lang),
                        lang.yen(d.amount)
                    ),
                ));
                first = false;
            }
        }
        Item::Activity(_) | Item::Assignment(_) | Item::Program(..) | Item::Payment(..) => {
            let cols = columns(match item {
                Item::Activity(_) => View::Activities,
                Item::Assignment(_) => View::Assignments,
                Item::Program(..) => View::Programs,
                _ => View::Payments,
            });
            for (c, v) in cols.iter().zip(cells(item, lk, lang, fy)) {
                out.push((c.title.text(lang).to_string(), v));
            }
        }
        Item::PlanAction(a) => {
            for (k, v) in crate::domain::fields::write_plan_action(a) {
                if k != "statuses" {
                    out.push((
                        lang.field_of("plan_actions", k).to_string(),
                        lang.said_value(k, v),
                    ));
                }
            }
            let mut first = true;
            for (y, st) in &a.statuses {
                out.push((
                    if first {
                        l(Msg::StatusByYear)
                    } else {
                        String::new()
                    },
                    format!("{} {}", lang.fy(*y), st.label(lang)),
                ));
                first = false;
            }
        }
        Item::IndicatorDef(i) => {
            for (k, v) in crate::domain::fields::write_indicator(i) {
                out.push((lang.field(k).to_string(), lang.said_value(k, v)));
            }
        }
        Item::ActionRow(r, a) => {
            out.push((l(Msg::Body), r.body.clone()));
            out.push((
                l(Msg::Program),
                format!("{} {}", r.program, lang.fy(r.fiscal_year)),
            ));
            out.push((l(Msg::Decided), lang.yen(r.money.decided)));
            out.push((l(Msg::Paid), lang.yen(r.money.paid - r.money.refunded)));
            out.push((
                l(Msg::Confirmed),
                r.money
                    .confirmed
                    .map(|c| lang.yen(c))
                    .unwrap_or_else(|| "-".into()),
            ));
            out.push((l(Msg::State), r.state.label(lang).into()));
            out.push((l(Msg::ViewActions), a.text(lang)));
        }
        Item::Section(..) | Item::MyBody(..) => {
            if let Item::MyBody(b, _) = item {
                return detail(&Item::Body(b.clone()), lk, lang, fy);
            }
        }
        Item::FollowUp(m, _) | Item::MyMeeting(m) => {
            return detail(&Item::Meeting(m.clone()), lk, lang, fy);
        }
        Item::Agenda(crate::app::agenda::Entry::Meeting(m, _)) => {
            return detail(&Item::Meeting(m.clone()), lk, lang, fy);
        }
        Item::Agenda(crate::app::agenda::Entry::Due(d)) => {
            return detail(&Item::Due(d.clone()), lk, lang, fy);
        }
        Item::Agenda(e @ crate::app::agenda::Entry::Committee(c)) => {
            out.push((l(Msg::Date), lang.date(c.date)));
            out.push((String::new(), crate::app::agenda::entry_text(e, lang)));
            if !c.members.is_empty() {
                out.push((String::new(), c.members.clone()));
            }
        }
        Item::Due(d) => {
            out.push((l(Msg::DueKindHeader), d.kind.label(lang).into()));
            out.push((l(Msg::DueDate), lang.date(d.due)));
            out.push((l(Msg::DueWhat), d.what.clone()));
            if !d.body.is_empty() {
                out.push((l(Msg::Body), d.body.clone()));
            }
            out.push((l(Msg::DueWho), d.who.clone()));
        }
        Item::Audit(e, texts) => {
            let r = &e.record;
            let t = &texts[usize::from(lang == Lang::En)];
            out.push(("#".into(), r.seq.to_string()));
            out.push((l(Msg::When), t.when.clone()));
            out.push((l(Msg::User), t.actor.clone()));
            out.push((l(Msg::Action), t.action.clone()));
            out.push((l(Msg::Record), format!("{} {}", t.record_type, t.record)));
            if !r.note.is_empty() {
                out.push((l(Msg::Notes), r.note.clone()));
            }
            let mut first = true;
            for c in &t.changes {
                out.push((
                    if first {
                        l(Msg::Changes)
                    } else {
                        String::new()
                    },
                    format!(
                        "{}: {} → {}",
                        c.label,
                        c.before.as_deref().unwrap_or("-"),
                        c.after.as_deref().unwrap_or("-")
                    ),
                ));
                first = false;
            }
        }
    }
    out.extend(super::related::lines(item, lk, lang));
    out
}

/// The line a body's detail adds once its fiscal year has been read (issue 15.4): what it did
/// that year (team meetings, consultations from it, activities), under its population.
pub fn body_year_lines(
    d: &mut Vec<(String, String)>,
    r: &crate::app::data::BodyRecent,
    lang: Lang,
) {
    let l = |m: Msg| lang.t(m).to_string();
    let [meetings, consultations, activities] = r.year;
    let at = d
        .iter()
        .position(|(label, _)| *label == l(Msg::Population))
        .map_or(d.len(), |i| i + 1);
    d.insert(
        at,
        (
            format!("{}{}", lang.fy(r.fy), l(Msg::YearCounts)),
            format!(
                "{} {meetings} / {} {consultations} / {} {activities}",
                l(Msg::MeetingsShort),
                l(Msg::ConsultationsShort),
                l(Msg::ActivitiesShort)
            ),
        ),
    );
}

/// The lines a body's detail adds for its recent work: its latest meetings, the follow-ups
/// still open from them (owner and due), and its latest consultations.
pub fn body_recent_lines(
    r: &crate::app::data::BodyRecent,
    lk: &Lookups,
    lang: Lang,
) -> Vec<(String, String)> {
    let l = |m: Msg| lang.t(m).to_string();
    let mut out = Vec::new();
    let section = |title: Msg, rows: Vec<String>, out: &mut Vec<(String, String)>| {
        for (n, row) in rows.into_iter().enumerate() {
            out.push((if n == 0 { l(title) } else { String::new() }, row));
        }
    };
    section(
        Msg::RecentMeetings,
        r.meetings
            .iter()
            .map(|m| format!("{} {}", lang.date(m.date), m.agenda))
            .collect(),
        &mut out,
    );
    section(
        Msg::BodyOpenFollowUps,
        r.open
            .iter()
            .map(|(m, i)| {
                let f = &m.follow_ups[*i];
                format!(
                    "{} {} / {}",
                    f.due.map(|d| lang.date(d)).unwrap_or_else(|| "-".into()),
                    f.text,
                    f.owner.map(|o| lk.staff_name(o)).unwrap_or_default()
                )
            })
            .collect(),
        &mut out,
    );
    section(
        Msg::RecentConsultations,
        r.consultations
            .iter()
            .map(|c| {
                let what: Vec<&str> = c.categories.iter().map(|k| k.label(lang)).collect();
                format!(
                    "{} {} ({})",
                    lang.date(c.date),
                    what.join("・"),
                    lk.staff_name(c.counselor_id)
                )
            })
            .collect(),
        &mut out,
    );
    out
}

/// A multi-year award's years together (issue 18.2): `R5-人材-01 (2/3年)`, then each year with
/// its grant's amount and state, or "未申請" when not granted yet.
fn award_lines(out: &mut Vec<(String, String)>, a: &crate::app::awards::AwardYears, lang: Lang) {
    out.push((
        lang.t(Msg::Award).to_string(),
        format!(
            "{} ({})",
            a.number,
            crate::app::subsidy::award_year(a, lang)
        ),
    ));
    for (i, (fy, g)) in a.list.iter().enumerate() {
        let what = match g {
            Some((amount, state)) => format!("{} {}", lang.yen(*amount), state.label(lang)),
            None => lang.t(Msg::NotYetApplied).to_string(),
        };
        let mark = if i as u32 + 1 == a.year { "▸" } else { " " };
        out.push((String::new(), format!("{mark}{} {what}", lang.fy(*fy))));
    }
}
