//! Styles: a 16-colour palette by default (truecolor is not assumed over SSH); with `NO_COLOR`
//! no colour at all, and the selection stays visible through reverse video.

use ratatui::style::{Color, Modifier, Style};

/// The styles the views use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// Whether colour may be used.
    pub color: bool,
}

impl Theme {
    /// Colour unless `NO_COLOR` is set to anything non-empty (no-color.org).
    pub fn from_env() -> Theme {
        Theme {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    fn fg(self, c: Color) -> Style {
        if self.color {
            Style::default().fg(c)
        } else {
            Style::default()
        }
    }

    /// Table headers and labels.
    pub fn header(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    /// The selected row.
    pub fn selected(self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }

    /// The active tab.
    pub fn tab_active(self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    /// Less important text.
    pub fn dim(self) -> Style {
        if self.color {
            Style::default().fg(Color::DarkGray)
        } else {
            Style::default()
        }
    }

    /// Warnings and errors.
    pub fn warn(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    /// Empty part of a gauge.
    pub fn gauge_empty(self) -> Style {
        if self.color {
            Style::default().bg(Color::DarkGray)
        } else {
            Style::default()
        }
    }

    /// Filled part of a gauge, by achievement.
    pub fn gauge(self, achievement: f64) -> Style {
        let c = if achievement >= 1.0 {
            Color::Green
        } else if achievement >= 0.8 {
            Color::Cyan
        } else {
            Color::Yellow
        };
        if self.color {
            Style::default().bg(c).fg(Color::Black)
        } else {
            Style::default()
        }
    }
}
