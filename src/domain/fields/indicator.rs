//! Fields of 成果指標 (indicators) and their yearly values (indicator_values): reading them from a CSV row or a form, writing them back.

use super::*;

/// `(field, required)` of `indicators`, in file and form order.
pub const INDICATORS: &[(&str, bool)] = &[
    ("id", true),
    ("order", true),
    ("name_ja", true),
    ("name_en", false),
    ("unit_ja", true),
    ("unit_en", false),
    ("baseline_fy", true),
    ("baseline", false),
    ("target_fy", true),
    ("target", true),
    ("source", true),
    ("retired", false),
];

/// `(field, required)` of `indicator_values`, in file and form order.
pub const INDICATOR_VALUES: &[(&str, bool)] =
    &[("indicator", true), ("fiscal_year", true), ("value", true)];

/// Reads an indicator definition.
pub fn read_indicator(r: &mut dyn FieldReader) -> Option<Indicator> {
    let source_text = r.req("source");
    let source = if source_text == "entered" || source_text == "入力" {
        IndicatorSource::Entered
    } else {
        match source_text
            .strip_prefix("counted:")
            .and_then(CountedMetric::parse)
        {
            Some(m) => IndicatorSource::Counted(m),
            None => {
                r.error("source", &source_text, t("source は entered か counted:<指標> にしてください(body_activities, dialogue_support, team_meetings, consultations, bodies, staff_bank, staff_awareness)", "source must be 'entered' or 'counted:<metric>' with metric one of body_activities, dialogue_support, team_meetings, consultations, bodies, staff_bank, staff_awareness"));
                IndicatorSource::Entered
            }
        }
    };
    let i = Indicator {
        id: r.req("id"),
        order: r.num("order"),
        name_ja: r.req("name_ja"),
        name_en: r.raw("name_en"),
        unit_ja: r.req("unit_ja"),
        unit_en: r.raw("unit_en"),
        baseline_fy: r.fy("baseline_fy"),
        baseline: r.opt("baseline").map(|_| r.figure("baseline")),
        target_fy: r.fy("target_fy"),
        target: r.figure("target"),
        source,
        retired: r.opt_bool("retired").unwrap_or(false),
    };
    r.ok().then_some(i)
}

/// Writes an indicator definition's fields.
pub fn write_indicator(i: &Indicator) -> Fields {
    let fig = |f: Option<Figure>| f.map(|f| f.to_string()).unwrap_or_default();
    vec![
        ("id", i.id.clone()),
        ("order", i.order.to_string()),
        ("name_ja", i.name_ja.clone()),
        ("name_en", i.name_en.clone()),
        ("unit_ja", i.unit_ja.clone()),
        ("unit_en", i.unit_en.clone()),
        ("baseline_fy", i.baseline_fy.0.to_string()),
        ("baseline", fig(i.baseline)),
        ("target_fy", i.target_fy.0.to_string()),
        ("target", i.target.to_string()),
        (
            "source",
            match i.source {
                IndicatorSource::Entered => "entered".to_string(),
                IndicatorSource::Counted(m) => format!("counted:{}", m.code()),
            },
        ),
        (
            "retired",
            if i.retired { "はい" } else { "いいえ" }.to_string(),
        ),
    ]
}

/// Reads an entered indicator value.
pub fn read_indicator_value(
    r: &mut dyn FieldReader,
    res: &dyn Resolver,
    id: u64,
) -> Option<IndicatorEntry> {
    let indicator_id = r.req("indicator");
    if !indicator_id.is_empty() && !res.indicator(&indicator_id) {
        r.error(
            "indicator",
            &indicator_id,
            t(
                "この id の成果指標がありません。先に indicators.csv を取り込んでください",
                "no indicator with this id; import indicators.csv first",
            ),
        );
    }
    let e = IndicatorEntry {
        id,
        indicator_id,
        fiscal_year: r.fy("fiscal_year"),
        value: r.figure("value"),
    };
    r.ok().then_some(e)
}

/// Writes an entered indicator value's fields.
pub fn write_indicator_value(e: &IndicatorEntry) -> Fields {
    vec![
        ("indicator", e.indicator_id.clone()),
        ("fiscal_year", e.fiscal_year.0.to_string()),
        ("value", e.value.to_string()),
    ]
}

impl RecordType for Indicator {
    const KIND: RecordKind = RecordKind::Indicator;
    const NAME: &'static str = "indicators";
    const IMPORT_RANK: u32 = 11;
    const PLURAL: (&'static str, &'static str) = ("成果指標", "indicators");
    const TITLE: (&'static str, &'static str) = ("成果指標", "Indicator");
    const LABEL: &'static str = "indicator";
    const FIELDS: &'static [(&'static str, bool)] = INDICATORS;
    const AREA: Area = Area::Indicators;
    fn key(&self) -> Key<'_> {
        Key::Name(&self.id)
    }
    fn set_id(&mut self, _: u64) {}
    fn natural_key(&self) -> String {
        self.id.clone()
    }
    fn read(r: &mut dyn FieldReader, _: &dyn Resolver, _: u64) -> Option<Self> {
        read_indicator(r)
    }
    fn write(&self, _: &dyn Resolver) -> Fields {
        write_indicator(self)
    }
    fn export_order(&self, other: &Self, _: &dyn Resolver) -> Ordering {
        self.order.cmp(&other.order)
    }
}

impl RecordType for IndicatorEntry {
    const KIND: RecordKind = RecordKind::IndicatorEntry;
    const NAME: &'static str = "indicator_entries";
    const IMPORT_RANK: u32 = 12;
    const PLURAL: (&'static str, &'static str) = ("成果指標の実績", "indicator values");
    const FILE: &'static str = "indicator_values";
    const TITLE: (&'static str, &'static str) = ("成果指標の実績", "Indicator value");
    const LABEL: &'static str = "indicator value";
    const FIELDS: &'static [(&'static str, bool)] = INDICATOR_VALUES;
    const AREA: Area = Area::Indicators;
    crate::numeric_id!();
    fn natural_key(&self) -> String {
        format!("{}|{}", self.indicator_id, self.fiscal_year.0)
    }
    fn read(r: &mut dyn FieldReader, res: &dyn Resolver, id: u64) -> Option<Self> {
        read_indicator_value(r, res, id)
    }
    fn write(&self, _: &dyn Resolver) -> Fields {
        write_indicator_value(self)
    }
    fn in_year(&self, fy: FiscalYear, _: &dyn Resolver) -> bool {
        self.fiscal_year == fy
    }
    fn export_order(&self, other: &Self, _: &dyn Resolver) -> Ordering {
        (self.fiscal_year, &self.indicator_id).cmp(&(other.fiscal_year, &other.indicator_id))
    }
}
