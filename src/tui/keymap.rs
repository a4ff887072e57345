//! (mode, key) → Action. The same tables drive the `?` help and the footer hints, so what the
//! help says is what the program does.

use crate::app::data::Item;
use crate::app::state::View;
use crate::app::{Action, AppState, Mode, Pane};
use crate::i18n::Msg;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::Input;

/// One key binding of normal mode.
pub struct Binding {
    /// Keys that trigger it (modifiers other than Shift must match exactly).
    pub keys: &'static [(KeyCode, KeyModifiers)],
    /// How the keys are written in help and footer.
    pub label: &'static str,
    /// What it does.
    pub help: Msg,
    /// Shown in the footer (where it works).
    pub footer: bool,
    /// Whether it does something on the screen of `state` (the footer shows only those).
    pub works: fn(&AppState) -> bool,
    /// Where it works, for the help (`[]`: everywhere).
    pub place: &'static [Msg],
    /// The action, given the key pressed.
    pub action: fn(&KeyEvent) -> Action,
}

const N: KeyModifiers = KeyModifiers::NONE;

fn everywhere(_: &AppState) -> bool {
    true
}

/// The selected row, if it is a record.
fn on_record(s: &AppState) -> bool {
    s.selected().and_then(Item::record).is_some()
}

/// The selected row can be edited: a record, or an indicator (its definition, or its value of
/// the year when it is entered by hand).
fn editable(s: &AppState) -> bool {
    match s.selected() {
        Some(Item::Indicator(st)) => st.indicator.source == crate::domain::IndicatorSource::Entered,
        Some(Item::IndicatorDef(_)) => true,
        Some(it) => it.record().is_some(),
        None => false,
    }
}

/// The selected row is a follow-up (it can be ticked).
fn on_follow_up(s: &AppState) -> bool {
    matches!(s.selected(), Some(Item::FollowUp(..)))
}

/// The selected row is a body (a meeting can be recorded for it).
fn on_body(s: &AppState) -> bool {
    matches!(s.selected(), Some(Item::Body(_) | Item::MyBody(..)))
}

/// How a binding's keys are written in the help: its label, and its Ctrl keys (`q/Ctrl-C`).
pub fn help_label(b: &Binding) -> String {
    let mut out = b.label.to_string();
    for (code, m) in b.keys {
        if let (KeyCode::Char(c), true) = (code, m.contains(KeyModifiers::CONTROL)) {
            out.push_str(&format!("/Ctrl-{}", c.to_ascii_uppercase()));
        }
    }
    out
}

fn in_view(s: &AppState, views: &[View]) -> bool {
    views.contains(&s.view())
}

fn pane_of(k: &KeyEvent) -> Action {
    match k.code {
        KeyCode::Char(c @ '1'..='8') => Action::GoPane(c as usize - '1' as usize),
        _ => Action::GoPane(0),
    }
}

/// Normal-mode bindings, in help order.
pub static NORMAL: &[Binding] = &[
    Binding {
        keys: &[(KeyCode::Char('j'), N), (KeyCode::Down, N)],
        label: "j/Down",
        help: Msg::KeyDown,
        footer: false,
        works: everywhere,
        place: &[],
        action: |_| Action::Down,
    },
    Binding {
        keys: &[(KeyCode::Char('k'), N), (KeyCode::Up, N)],
        label: "k/Up",
        help: Msg::KeyUp,
        footer: false,
        works: everywhere,
        place: &[],
        action: |_| Action::Up,
    },
    Binding {
        keys: &[
            (KeyCode::PageDown, N),
            (KeyCode::Char('f'), KeyModifiers::CONTROL),
        ],
        label: "PgDn",
        help: Msg::KeyPageDown,
        footer: false,
        works: everywhere,
        place: &[],
        action: |_| Action::PageDown,
    },
    Binding {
        keys: &[
            (KeyCode::PageUp, N),
            (KeyCode::Char('b'), KeyModifiers::CONTROL),
        ],
        label: "PgUp",
        help: Msg::KeyPageUp,
        footer: false,
        works: everywhere,
        place: &[],
        action: |_| Action::PageUp,
    },
    Binding {
        keys: &[(KeyCode::Char('g'), N), (KeyCode::Home, N)],
        label: "g",
        help: Msg::KeyTop,
        footer: false,
        works: everywhere,
        place: &[],
        action: |_| Action::Top,
    },
    Binding {
        keys: &[(KeyCode::Char('G'), N), (KeyCode::End, N)],
        label: "G",
        help: Msg::KeyBottom,
        footer: false,
        works: everywhere,
        place: &[],
        action: |_| Action::Bottom,
    },
    Binding {
        keys: &[(KeyCode::Enter, N)],
        label: "Enter",
        help: Msg::KeyDetail,
        footer: false,
        works: everywhere,
        place: &[],
        action: |_| Action::Enter,
    },
    Binding {
        keys: &[(KeyCode::Esc, N)],
        label: "Esc",
        help: Msg::KeyBack,
        footer: false,
        works: everywhere,
        place: &[],
        action: |_| Action::Back,
    },
    Binding {
        keys: &[(KeyCode::Tab, N)],
        label: "Tab",
        help: Msg::KeyNextPane,
        footer: false,
        works: everywhere,
        place: &[],
        action: |_| Action::NextPane,
    },
    Binding {
        keys: &[(KeyCode::BackTab, N)],
        label: "S-Tab",
        help: Msg::KeyPrevPane,
        footer: false,
        works: everywhere,
        place: &[],
        action: |_| Action::PrevPane,
    },
    Binding {
        keys: &[
            (KeyCode::Char('1'), N),
            (KeyCode::Char('2'), N),
            (KeyCode::Char('3'), N),
            (KeyCode::Char('4'), N),
            (KeyCode::Char('5'), N),
            (KeyCode::Char('6'), N),
            (KeyCode::Char('7'), N),
            (KeyCode::Char('8'), N),
        ],
        label: "1-8",
        help: Msg::KeyPane,
        footer: false,
        works: everywhere,
        place: &[],
        action: pane_of,
    },
    Binding {
        keys: &[(KeyCode::Char('v'), N)],
        label: "v",
        help: Msg::KeyView,
        footer: true,
        works: |s| s.pane.views().len() > 1,
        place: &[],
        action: |_| Action::NextView,
    },
    Binding {
        keys: &[(KeyCode::Char('a'), N)],
        label: "a",
        help: Msg::KeyAdd,
        footer: true,
        works: |s| s.view().form().is_some(),
        place: &[],
        action: |_| Action::Add,
    },
    Binding {
        keys: &[(KeyCode::Char('e'), N)],
        label: "e",
        help: Msg::KeyEdit,
        footer: true,
        works: editable,
        place: &[],
        action: |_| Action::Edit,
    },
    Binding {
        keys: &[(KeyCode::Char('d'), N), (KeyCode::Delete, N)],
        label: "d",
        help: Msg::KeyDelete,
        footer: true,
        works: on_record,
        place: &[],
        action: |_| Action::Delete,
    },
    Binding {
        keys: &[(KeyCode::Char('l'), N)],
        label: "l",
        help: Msg::KeyQuickLog,
        footer: true,
        works: |s| matches!(s.pane, Pane::Dashboard | Pane::Consultations),
        place: &[],
        action: |_| Action::QuickLog,
    },
    Binding {
        keys: &[(KeyCode::Char('m'), N)],
        label: "m",
        help: Msg::KeyMeetingForBody,
        footer: true,
        works: on_body,
        place: &[Msg::PaneBodies, Msg::PaneMyWork],
        action: |_| Action::MeetingForBody,
    },
    Binding {
        keys: &[(KeyCode::Char('r'), N)],
        label: "r",
        help: Msg::KeyRecordResult,
        footer: true,
        works: |s| in_view(s, &[View::PlanActions]),
        place: &[Msg::ViewPlanActions],
        action: |_| Action::RecordResult,
    },
    Binding {
        keys: &[(KeyCode::Char('c'), N)],
        label: "c",
        help: Msg::KeyConsultationForBody,
        footer: false,
        works: on_body,
        place: &[Msg::PaneBodies, Msg::PaneMyWork],
        action: |_| Action::ConsultationForBody,
    },
    Binding {
        keys: &[(KeyCode::Char('x'), N), (KeyCode::Char(' '), N)],
        label: "x",
        help: Msg::KeyToggleDone,
        footer: true,
        works: on_follow_up,
        place: &[Msg::PaneMyWork],
        action: |_| Action::ToggleDone,
    },
    Binding {
        keys: &[(KeyCode::Char('R'), N)],
        label: "R",
        help: Msg::KeyRotate,
        footer: true,
        works: |s| in_view(s, &[View::Assignments]),
        place: &[Msg::ViewAssignments],
        action: |_| Action::Rotate,
    },
    Binding {
        keys: &[(KeyCode::Char('p'), N)],
        label: "p",
        help: Msg::KeyPreview,
        footer: true,
        works: |s| {
            in_view(
                s,
                &[
                    View::Programs,
                    View::Records(crate::domain::RecordKind::AllocationScenario),
                ],
            )
        },
        place: &[Msg::ViewPrograms],
        action: |_| Action::Preview,
    },
    // The same key in the plan view switches plans (the update routes it by view).
    Binding {
        keys: &[(KeyCode::Char('p'), N)],
        label: "p",
        help: Msg::KeyNextPlan,
        footer: true,
        works: |s| in_view(s, &[View::PlanActions]),
        place: &[Msg::ViewPlanActions],
        action: |_| Action::Preview,
    },
    Binding {
        keys: &[(KeyCode::Char('s'), N)],
        label: "s",
        help: Msg::KeyStep,
        footer: true,
        works: |s| in_view(s, &[View::Grants, View::Actions]) && on_record(s),
        place: &[Msg::ViewGrants, Msg::ViewActions],
        action: |_| Action::Step,
    },
    Binding {
        keys: &[(KeyCode::Char('/'), N)],
        label: "/",
        help: Msg::KeyFilter,
        footer: true,
        works: everywhere,
        place: &[],
        action: |_| Action::StartFilter,
    },
    Binding {
        keys: &[(KeyCode::Char('['), N)],
        label: "[",
        help: Msg::KeyPrevFy,
        footer: false,
        works: everywhere,
        place: &[],
        action: |_| Action::PrevFy,
    },
    Binding {
        keys: &[(KeyCode::Char(']'), N)],
        label: "]",
        help: Msg::KeyNextFy,
        footer: false,
        works: everywhere,
        place: &[],
        action: |_| Action::NextFy,
    },
    Binding {
        keys: &[(KeyCode::Char('L'), N)],
        label: "L",
        help: Msg::KeyLatestFy,
        footer: true,
        works: |s| s.latest_hint().is_some(),
        place: &[],
        action: |_| Action::LatestFy,
    },
    Binding {
        keys: &[(KeyCode::Char('?'), N)],
        label: "?",
        help: Msg::KeyHelp,
        footer: true,
        works: everywhere,
        place: &[],
        action: |_| Action::Help,
    },
    Binding {
        keys: &[
            (KeyCode::Char('q'), N),
            (KeyCode::Char('c'), KeyModifiers::CONTROL),
        ],
        label: "q",
        help: Msg::KeyQuit,
        footer: true,
        works: everywhere,
        place: &[],
        action: |_| Action::Quit,
    },
];

/// Filter-mode keys, for the help screen: (label, what it does).
pub static FILTER_HELP: &[(&str, Msg)] =
    &[("Enter", Msg::KeyFilterKeep), ("Esc", Msg::KeyFilterClear)];

fn matches(b: &Binding, key: &KeyEvent) -> bool {
    // Shift is part of the character itself ('G', '?', '['…), so ignore it for Char keys.
    let mods = match key.code {
        KeyCode::Char(_) | KeyCode::BackTab => key.modifiers - KeyModifiers::SHIFT,
        _ => key.modifiers,
    };
    b.keys.iter().any(|(c, m)| *c == key.code && *m == mods)
}

/// The actions for `key` in `mode`. Over SSH an Esc typed just before another key can arrive in
/// the same packet and be read as Alt+key; in normal mode that is taken as Esc, then the key.
pub fn actions_for(mode: Mode, key: &KeyEvent) -> Vec<Action> {
    if let Some(a) = action_for(mode, key) {
        return vec![a];
    }
    if mode == Mode::Normal && key.modifiers.contains(KeyModifiers::ALT) {
        let plain = KeyEvent::new(key.code, key.modifiers - KeyModifiers::ALT);
        if let Some(a) = action_for(mode, &plain) {
            return vec![Action::Back, a];
        }
    }
    Vec::new()
}

/// The action for `key` in `mode`, if any.
pub fn action_for(mode: Mode, key: &KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match mode {
        Mode::Filter => match key.code {
            KeyCode::Esc => Some(Action::Back),
            KeyCode::Enter => Some(Action::FilterAccept),
            KeyCode::Backspace => Some(Action::FilterBackspace),
            KeyCode::Char('c') if ctrl => Some(Action::Quit),
            KeyCode::Down => Some(Action::Down),
            KeyCode::Up => Some(Action::Up),
            KeyCode::Char(c) if !ctrl => Some(Action::FilterChar(c)),
            _ => None,
        },
        Mode::Help => match key.code {
            KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q') => Some(Action::Back),
            KeyCode::Char('c') if ctrl => Some(Action::Quit),
            _ => None,
        },
        Mode::Form => match key.code {
            KeyCode::Char('c') if ctrl => Some(Action::FormKey(Input {
                key: ratatui_textarea::Key::Esc,
                ctrl: false,
                alt: false,
                shift: false,
            })),
            _ => Some(Action::FormKey(Input::from(*key))),
        },
        Mode::Confirm => match key.code {
            KeyCode::Char('y' | 'Y') => Some(Action::Yes),
            KeyCode::Char('n' | 'N') | KeyCode::Esc => Some(Action::No),
            KeyCode::Char('c') if ctrl => Some(Action::Quit),
            _ => None,
        },
        Mode::Quick => match key.code {
            KeyCode::Esc => Some(Action::Back),
            KeyCode::Enter => Some(Action::QuickEnter),
            KeyCode::Backspace => Some(Action::QuickBack),
            KeyCode::Char('c') if ctrl => Some(Action::Quit),
            KeyCode::Char(c) => Some(Action::QuickChar(c)),
            _ => None,
        },
        Mode::Preview => match key.code {
            KeyCode::Esc | KeyCode::Char('q') => Some(Action::Back),
            KeyCode::Char('c') if ctrl => Some(Action::Quit),
            KeyCode::Char('c') => Some(Action::PreviewCompare),
            KeyCode::Char('t') => Some(Action::PreviewTransition),
            KeyCode::Char('A') => Some(Action::PreviewApply),
            KeyCode::Char('j') | KeyCode::Down => Some(Action::Down),
            KeyCode::Char('k') | KeyCode::Up => Some(Action::Up),
            _ => None,
        },
        Mode::Normal => NORMAL
            .iter()
            .find(|b| matches(b, key))
            .map(|b| (b.action)(key)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(c, m)
    }

    #[test]
    fn keys_map_to_actions() {
        assert!(matches!(
            action_for(Mode::Normal, &key(KeyCode::Char('j'), N)),
            Some(Action::Down)
        ));
        assert!(matches!(
            action_for(Mode::Normal, &key(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::Bottom)
        ));
        assert!(matches!(
            action_for(Mode::Normal, &key(KeyCode::Char('4'), N)),
            Some(Action::GoPane(3))
        ));
        assert!(matches!(
            action_for(Mode::Normal, &key(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Action::PrevPane)
        ));
        assert!(matches!(
            action_for(
                Mode::Normal,
                &key(KeyCode::Char('c'), KeyModifiers::CONTROL)
            ),
            Some(Action::Quit)
        ));
        assert!(matches!(
            action_for(Mode::Filter, &key(KeyCode::Char('q'), N)),
            Some(Action::FilterChar('q'))
        ));
        assert!(matches!(
            action_for(Mode::Filter, &key(KeyCode::Char('花'), N)),
            Some(Action::FilterChar('花'))
        ));
        assert!(action_for(Mode::Normal, &key(KeyCode::Char('z'), N)).is_none());
        let alt2 = actions_for(Mode::Normal, &key(KeyCode::Char('2'), KeyModifiers::ALT));
        assert!(matches!(alt2.as_slice(), [Action::Back, Action::GoPane(1)]));
    }
}
