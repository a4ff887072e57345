//! 成果指標: the plan's indicators, their values for a fiscal year and achievement against the
//! target. Defaults from the Ichinoseki 第3次協働推進計画 (seed 003, 成果指標 table; docs/DOMAIN.md).

use super::{Figure, FiscalYear};
use crate::vocab;
use serde::{Deserialize, Serialize};

vocab! {
    /// What a counted indicator counts (docs/DOMAIN.md, "source in kyodo").
    CountedMetric {
        /// `BodyActivity` records in the FY.
        BodyActivities = ("body_activities", "活動件数", "Body activities"),
        /// Consultations + tallies with category 話し合い支援.
        DialogueSupport = ("dialogue_support", "話し合い支援件数", "Dialogue support"),
        /// `TeamMeeting` records in the FY.
        TeamMeetings = ("team_meetings", "チーム会議数", "Team meetings"),
        /// Consultations + tally counts.
        Consultations = ("consultations", "相談件数", "Consultations"),
        /// Bodies established on or before the FY's last day and not dissolved.
        Bodies = ("bodies", "地域協働体数", "Bodies"),
        /// まちづくりスタッフバンク registrants on the FY's last day (issue 19.6).
        StaffBank = ("staff_bank", "スタッフバンク登録者数", "Staff bank registrants"),
        /// 市職員の協働に対する認知度 from the FY's latest 職員意識調査 round (issue 19.5).
        StaffAwareness = ("staff_awareness", "職員意識調査の認知度", "Staff survey awareness"),
    }
}

/// Where an indicator's yearly value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum IndicatorSource {
    /// Entered by a coordinator once a year.
    Entered,
    /// Counted from records.
    Counted(CountedMetric),
}

/// 成果指標: a plan indicator with unit, baseline and target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicator {
    /// Stable id, e.g. `team_meetings` (docs/DOMAIN.md indicator table).
    pub id: String,
    /// Display order on the dashboard.
    pub order: u32,
    /// Japanese name, e.g. `チーム会議の開催数`.
    pub name_ja: String,
    /// English name.
    pub name_en: String,
    /// Unit in Japanese, e.g. `回`, `件`, `%`.
    pub unit_ja: String,
    /// Unit in English.
    pub unit_en: String,
    /// Baseline fiscal year and value (`None` value where the plan gives —).
    pub baseline_fy: FiscalYear,
    /// Baseline value, if known.
    pub baseline: Option<Figure>,
    /// Target fiscal year.
    pub target_fy: FiscalYear,
    /// Target value.
    pub target: Figure,
    /// Entered or counted.
    pub source: IndicatorSource,
    /// Retired indicators stay in history but leave the dashboard.
    pub retired: bool,
}

/// An entered-yearly value of an indicator for one fiscal year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorEntry {
    /// Record id.
    pub id: u64,
    /// Indicator id, e.g. `web_access`.
    pub indicator_id: String,
    /// Fiscal year.
    pub fiscal_year: FiscalYear,
    /// Value.
    pub value: Figure,
}

/// Counts for one fiscal year, read from the store's counters (no scan of records).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FyCounts {
    /// Body activities in the FY.
    pub body_activities: i64,
    /// 話し合い支援 consultations + tally counts in the FY.
    pub dialogue_support: i64,
    /// Team meetings in the FY.
    pub team_meetings: i64,
    /// Consultations + tally counts in the FY.
    pub consultations: i64,
    /// Bodies counted for the FY.
    pub bodies: i64,
    /// まちづくりスタッフバンク registrants on the FY's last day.
    pub staff_bank: i64,
    /// The awareness (%) of the FY's latest 職員意識調査 round with answers, and that round.
    pub staff_awareness: Option<(Figure, u64)>,
}

impl FyCounts {
    /// The count for one metric.
    pub fn get(&self, m: CountedMetric) -> i64 {
        match m {
            CountedMetric::BodyActivities => self.body_activities,
            CountedMetric::DialogueSupport => self.dialogue_support,
            CountedMetric::TeamMeetings => self.team_meetings,
            CountedMetric::Consultations => self.consultations,
            CountedMetric::Bodies => self.bodies,
            CountedMetric::StaffBank => self.staff_bank,
            CountedMetric::StaffAwareness => self.staff_awareness.map_or(0, |a| a.0.0 / 100),
        }
    }
}

/// One indicator's standing in a fiscal year.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorStatus {
    /// The indicator.
    pub indicator: Indicator,
    /// Value for the year; `None` where nothing was entered.
    pub value: Option<Figure>,
    /// value / target, rounded to 3 decimals; `None` when no value or target is 0.
    pub achievement: Option<f64>,
    /// Where the year stands against a straight line from baseline to target, when known.
    pub pace: Option<Pace>,
    /// The 職員意識調査 round (id) the value was computed from, for an awareness indicator.
    pub from_survey: Option<u64>,
}

/// The straight-line pace from baseline to target (issue 5, "Dashboard"; issue 16.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pace {
    /// The value the line gives for the year (for a flow in a year still under way, prorated
    /// by the days elapsed; a stock's never).
    pub expected: Figure,
    /// At or past the line (in the target's direction).
    pub on_pace: bool,
    /// 集計中: a stock short of its line in a year not yet over. Its year-end value is what is
    /// compared, so it is neither 順調 nor 遅れ until then.
    pub pending: bool,
}

/// How an indicator's yearly figure accrues (issue 16.3), which decides how its pace is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndicatorKind {
    /// フロー: counted in the year (team meetings, consultations, 話し合い支援, activities);
    /// mid-year it is held to the share of the year's days gone.
    Flow,
    /// ストック: what stands at the year's end (bodies established, registrants, any entered
    /// yearly figure); compared at its year-end value against the line, never prorated.
    Stock,
}

impl Indicator {
    /// Its kind: counted activity is a flow; the count of bodies and every entered figure are
    /// stocks (an entered value is the year's own figure, known at its end).
    pub fn kind(&self) -> IndicatorKind {
        match self.source {
            IndicatorSource::Counted(
                CountedMetric::Bodies | CountedMetric::StaffBank | CountedMetric::StaffAwareness,
            )
            | IndicatorSource::Entered => IndicatorKind::Stock,
            IndicatorSource::Counted(_) => IndicatorKind::Flow,
        }
    }
}

/// The straight-line pace of `ind` for fiscal year `fy` with `value`: the baseline moved toward
/// the target by (fy − baseline year) / (target year − baseline year) of the way, rounded to the
/// nearest hundredth. A flow ([`IndicatorKind::Flow`]) in a year still under way on `today` is
/// held to that line prorated by the share of the year's days elapsed (counts accumulate); a
/// stock is held to the whole line, and while its year is not over a stock short of it is
/// [`Pace::pending`] (集計中) rather than behind. `None` without a baseline, outside
/// baseline..=target years, or without a value.
pub fn pace(
    ind: &Indicator,
    fy: FiscalYear,
    value: Option<Figure>,
    today: chrono::NaiveDate,
) -> Option<Pace> {
    let (base, value) = (ind.baseline?, value?);
    let span = (ind.target_fy.0 - ind.baseline_fy.0) as i64;
    let step = (fy.0 - ind.baseline_fy.0) as i64;
    if span <= 0 || step < 0 || step > span {
        return None;
    }
    let num = (ind.target.0 - base.0) as i128 * step as i128;
    let mut expected = base.0 + ((num * 2 + span as i128).div_euclid(2 * span as i128)) as i64;
    let not_over = fy.end().is_none_or(|end| today <= end);
    if let (IndicatorKind::Flow, Some(start), Some(end)) = (ind.kind(), fy.start(), fy.end())
        && today >= start
        && today < end
    {
        let days = (end - start).num_days() + 1;
        let elapsed = (today - start).num_days() + 1;
        expected = (expected as i128 * elapsed as i128 / days as i128) as i64;
    }
    let on_pace = if ind.target >= base {
        value.0 >= expected
    } else {
        value.0 <= expected
    };
    Some(Pace {
        expected: Figure(expected),
        on_pace,
        pending: ind.kind() == IndicatorKind::Stock && not_over && !on_pace,
    })
}

/// Computes each indicator's value and achievement for one fiscal year.
///
/// Counted indicators take their value from `counts`; entered ones from `entries` (the entries of
/// that fiscal year). Achievement = value / target (docs/DOMAIN.md; issue 2).
pub fn evaluate(
    indicators: &[Indicator],
    entries: &[IndicatorEntry],
    counts: &FyCounts,
) -> Vec<IndicatorStatus> {
    let mut out: Vec<IndicatorStatus> = indicators
        .iter()
        .filter(|i| !i.retired)
        .map(|i| {
            let entered = || {
                entries
                    .iter()
                    .find(|e| e.indicator_id == i.id)
                    .map(|e| e.value)
            };
            let value = match i.source {
                // Registrants are counted once the registry holds that year; a year before it
                // keeps the figure entered for it (docs/DOMAIN.md, the indicator table).
                IndicatorSource::Counted(CountedMetric::StaffBank) if counts.staff_bank == 0 => {
                    entered().or(Some(Figure(0)))
                }
                // The survey's share, to its decimal; a year without a round keeps its entry.
                IndicatorSource::Counted(CountedMetric::StaffAwareness) => {
                    counts.staff_awareness.map(|a| a.0).or_else(entered)
                }
                IndicatorSource::Counted(m) => Some(Figure::whole(counts.get(m))),
                IndicatorSource::Entered => entered(),
            };
            let achievement = value.and_then(|v| achievement(v, i.target));
            let from_survey = match i.source {
                IndicatorSource::Counted(CountedMetric::StaffAwareness) => {
                    counts.staff_awareness.map(|a| a.1)
                }
                _ => None,
            };
            IndicatorStatus {
                indicator: i.clone(),
                value,
                achievement,
                pace: None,
                from_survey,
            }
        })
        .collect();
    out.sort_by_key(|s| s.indicator.order);
    out
}

/// value / target rounded to three decimals; `None` if the target is zero.
pub fn achievement(value: Figure, target: Figure) -> Option<f64> {
    if target.0 == 0 {
        return None;
    }
    Some((value.0 as f64 / target.0 as f64 * 1000.0).round() / 1000.0)
}

/// The nine indicators of the Ichinoseki plan (seed 003, 成果指標 table; docs/DOMAIN.md).
/// Baseline FY2022 (令和4年度), target FY2028 (令和10年度).
pub fn ichinoseki_defaults() -> Vec<Indicator> {
    /// (id, name ja, name en, unit ja, unit en, baseline in hundredths, target in hundredths, source)
    type Row = (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        Option<i64>,
        i64,
        IndicatorSource,
    );
    use CountedMetric as M;
    use IndicatorSource::{Counted, Entered};
    let rows: [Row; 9] = [
        (
            "citizen_center_use",
            "市民1人当たりの市民センター利用回数",
            "Citizen center visits per resident",
            "回/年",
            "visits/yr",
            Some(377),
            423,
            Entered,
        ),
        (
            "web_access",
            "輪っしょい!!WEBへの年間アクセス数",
            "Annual visits to Wasshoi!! WEB",
            "件",
            "visits",
            Some(703_300),
            1_000_000,
            Entered,
        ),
        (
            "staff_bank",
            "まちづくりスタッフバンクの登録者数",
            "Registered in the staff bank",
            "人",
            "people",
            Some(4_100),
            6_100,
            Entered,
        ),
        (
            "staff_awareness",
            "市職員の協働に対する認知度",
            "City staff awareness of collaboration",
            "%",
            "%",
            None,
            9_000,
            Entered,
        ),
        (
            "body_activities",
            "地域協働体の活動件数",
            "Activities of collaboration bodies",
            "件",
            "activities",
            Some(46_600),
            48_600,
            Counted(M::BodyActivities),
        ),
        (
            "dialogue_support",
            "市民活動センターによる話し合い支援の件数",
            "Dialogue support by the activity center",
            "件",
            "cases",
            Some(13_800),
            15_000,
            Counted(M::DialogueSupport),
        ),
        (
            "team_meetings",
            "チーム会議の開催数",
            "Team meetings held",
            "回",
            "meetings",
            Some(12_500),
            17_000,
            Counted(M::TeamMeetings),
        ),
        (
            "consultations",
            "市民活動センター年間相談件数",
            "Consultations at the activity center",
            "件",
            "cases",
            Some(233_500),
            250_000,
            Counted(M::Consultations),
        ),
        (
            "bodies",
            "地域協働体の設立件数",
            "Collaboration bodies established",
            "件",
            "bodies",
            Some(3_300),
            3_400,
            Counted(M::Bodies),
        ),
    ];
    rows.into_iter()
        .enumerate()
        .map(
            |(n, (id, ja, en, uja, uen, base, target, source))| Indicator {
                id: id.to_string(),
                order: n as u32 + 1,
                name_ja: ja.to_string(),
                name_en: en.to_string(),
                unit_ja: uja.to_string(),
                unit_en: uen.to_string(),
                baseline_fy: FiscalYear(2022),
                baseline: base.map(Figure),
                target_fy: FiscalYear(2028),
                target: Figure(target),
                source,
                retired: false,
            },
        )
        .collect()
}

#[cfg(test)]
#[path = "indicator_tests.rs"]
mod tests;
