//! The plan view's line above its list (issue 16.2): the plan shown, its period, and where it
//! stands among the plans (`p` switches).

use super::Theme;
use crate::app::AppState;
use crate::app::plan_view::PlanInfo;
use crate::i18n::Msg;
use ratatui::text::{Line, Span};

/// `第3次一関市協働推進計画 令和6年度〜令和10年度  計画 2/2`, or `None` outside the plan view.
pub(super) fn summary_line(
    s: &AppState,
    plans: &[PlanInfo],
    theme: Theme,
) -> Option<Line<'static>> {
    let lang = s.lang;
    let p = crate::app::plan_view::current(s)?;
    let at = plans.iter().position(|q| q == p).map_or(0, |i| i + 1);
    Some(Line::from(vec![
        Span::styled(crate::text::sanitize(&p.name), theme.header()),
        Span::raw(format!(
            " {}〜{}{}  {} {at}/{}",
            lang.fy(p.start),
            lang.fy(p.end),
            p.revised
                .map(|d| format!(" {} {}", lang.t(Msg::PlanRevised), lang.date(d)))
                .unwrap_or_default(),
            lang.t(Msg::PlanOf),
            plans.len()
        )),
    ]))
}
