//! 計画 (`Plan`): a collaboration plan as a record — its name, period (first and last fiscal
//! year), vision, the indicators it measures itself by and its revision history (issue 16.1;
//! seed 003: 第3次一関市協働推進計画, R6–R10, 策定 令和6年3月; seed 001: 新庄市協働推進計画,
//! H27–H31, 平成27年3月). Its policy/measure structure and actions are its
//! [`crate::domain::PlanAction`]s, which name it and are numbered within it. Declared in this one
//! file and registered by one line of [`crate::record_types!`].

use super::FiscalYear;
use super::access::Area;
use super::fields::reader::{FieldReader, Fields, Resolver, t};
use super::limits::Limit;
use super::record_type::{RecordKind, RecordType};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Record id of a [`Plan`].
pub type PlanId = u64;

/// 計画: one plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// Record id.
    pub id: PlanId,
    /// Its name, as its actions carry it (unique), e.g. `第3次一関市協働推進計画`.
    pub name: String,
    /// 計画開始年度.
    pub start: FiscalYear,
    /// 計画終了年度.
    pub end: FiscalYear,
    /// Its vision or aim (目指す姿), in a line.
    pub vision: String,
    /// The ids of the indicators it measures itself by (成果指標), in its order.
    pub indicators: Vec<String>,
    /// 改訂履歴: (date, what changed), oldest first; the first is usually its adoption (策定).
    pub revisions: Vec<(NaiveDate, String)>,
}

/// Reads `2024-03-29 策定` lines (any date form kyodo reads, then a space, then the text).
fn parse_revisions(s: &str) -> Result<Vec<(NaiveDate, String)>, super::Text> {
    let mut out = Vec::new();
    for line in s.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (date, what) = line.split_once([' ', '　']).unwrap_or((line, ""));
        let d = super::parse_date(date).map_err(|e| {
            t(
                format!("「{line}」の日付が読めません: {}", e.text().ja),
                format!("cannot read the date of '{line}': {}", e.text().en),
            )
        })?;
        out.push((d, what.trim().to_string()));
    }
    out.sort_by_key(|(d, _)| *d);
    Ok(out)
}

impl RecordType for Plan {
    const KIND: RecordKind = RecordKind::Plan;
    const NAME: &'static str = "plans";
    const TITLE: (&'static str, &'static str) = ("計画", "Plan");
    const PLURAL: (&'static str, &'static str) = ("計画", "plans");
    const LABEL: &'static str = "plan";
    const FIELDS: &'static [(&'static str, bool)] = &[
        ("name", true),
        ("start_fy", true),
        ("end_fy", true),
        ("vision", false),
        ("indicators", false),
        ("revisions", false),
    ];
    const LIMITS: &'static [(&'static str, Limit)] = &[
        ("vision", Limit::Line),
        ("indicators", Limit::List),
        ("revisions", Limit::Text),
    ];
    const FIELD_LABELS: &'static [(&'static str, &'static str, &'static str)] = &[
        ("name", "計画の名称", "Name"),
        ("start_fy", "計画開始年度", "First FY"),
        ("end_fy", "計画終了年度", "Last FY"),
        ("vision", "目指す姿", "Vision"),
        ("indicators", "成果指標", "Indicators"),
        (
            "revisions",
            "改訂履歴(1行に「日付 内容」)",
            "Revisions (a line each: date text)",
        ),
    ];
    const LIST_COLUMNS: &'static [(&'static str, u16)] =
        &[("name", 0), ("start_fy", 10), ("end_fy", 10)];
    const AREA: Area = Area::Plan;
    const IMPORT_RANK: u32 = 17;

    crate::numeric_id!();
    fn natural_key(&self) -> String {
        self.name.clone()
    }
    fn read(r: &mut dyn FieldReader, res: &dyn Resolver, id: u64) -> Option<Self> {
        let name = r.req("name");
        let start = r.fy("start_fy");
        let end = r.fy("end_fy");
        if end < start && r.ok() {
            r.error(
                "end_fy",
                &end.0.to_string(),
                t(
                    "計画終了年度が開始年度より前です",
                    "the last year is before the first",
                ),
            );
        }
        let list = r.raw("indicators");
        let indicators: Vec<String> = list
            .split([';', '、'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        if let Some(bad) = indicators.iter().find(|i| !res.indicator(i)) {
            r.error(
                "indicators",
                bad,
                t(
                    "この id の成果指標がありません。先に indicators.csv を取り込んでください",
                    "no indicator with this id; import indicators.csv first",
                ),
            );
        }
        let revisions = match parse_revisions(&r.raw("revisions")) {
            Ok(v) => v,
            Err(e) => {
                let v = r.raw("revisions");
                r.error("revisions", &v, e);
                Vec::new()
            }
        };
        let p = Plan {
            id,
            name,
            start,
            end,
            vision: r.raw("vision"),
            indicators,
            revisions,
        };
        r.ok().then_some(p)
    }
    fn write(&self, _res: &dyn Resolver) -> Fields {
        vec![
            ("name", self.name.clone()),
            ("start_fy", self.start.0.to_string()),
            ("end_fy", self.end.0.to_string()),
            ("vision", self.vision.clone()),
            ("indicators", self.indicators.join(";")),
            (
                "revisions",
                self.revisions
                    .iter()
                    .map(|(d, w)| format!("{d} {w}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
        ]
    }
    fn in_year(&self, fy: FiscalYear, _res: &dyn Resolver) -> bool {
        self.start <= fy && fy <= self.end
    }
    fn export_order(&self, other: &Self, _res: &dyn Resolver) -> Ordering {
        (self.start, &self.name).cmp(&(other.start, &other.name))
    }
}
