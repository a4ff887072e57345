//! Views on ratatui's TestBackend with the demo data, and the app's update logic driven by
//! actions (no terminal needed).

mod common;

use common::demo_store;
use kyodo::app::data::Loader;
use kyodo::app::{Action, AppState, Effect, Mode, Pane, update};
use kyodo::domain::FiscalYear;
use kyodo::i18n::Lang;
use kyodo::tui::{apply, theme::Theme, views};
use ratatui::{Terminal, backend::TestBackend};
use unicode_width::UnicodeWidthStr;

use common::{render, state};

const PLAIN: Theme = Theme { color: false };

#[test]
fn every_pane_at_80x24_in_japanese() {
    let (_dir, store) = demo_store();
    for pane in Pane::ALL {
        let s = state(&store, Lang::Ja, FiscalYear(2022), pane, (80, 24));
        let screen = render(&s, PLAIN);
        for line in screen.lines() {
            assert!(
                UnicodeWidthStr::width(line) <= 80,
                "{pane:?} overflows: {line}"
            );
        }
        // Audit entries carry the time they were written.
        insta::with_settings!({filters => vec![(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", "[time]")]}, {
            insta::assert_snapshot!(format!("pane_{pane:?}_ja_80x24"), screen);
        });
    }
}

#[test]
fn details_at_80x24_in_japanese() {
    let (_dir, store) = demo_store();
    for pane in [
        Pane::Bodies,
        Pane::Staff,
        Pane::Meetings,
        Pane::Consultations,
        Pane::Subsidies,
    ] {
        let mut s = state(&store, Lang::Ja, FiscalYear(2022), pane, (80, 24));
        update(&mut s, Action::Enter);
        assert!(s.current().detail);
        insta::assert_snapshot!(format!("detail_{pane:?}_ja_80x24"), render(&s, PLAIN));
    }
}

#[test]
fn dashboard_in_english_and_help() {
    let (_dir, store) = demo_store();
    let mut s = state(
        &store,
        Lang::En,
        FiscalYear(2022),
        Pane::Dashboard,
        (80, 24),
    );
    let screen = render(&s, PLAIN);
    assert!(screen.contains("FY2022"), "{screen}");
    assert!(screen.contains("Team meetings held"), "{screen}");
    assert!(screen.contains("73.5%"), "{screen}");
    insta::assert_snapshot!("dashboard_en_80x24", screen);
    update(&mut s, Action::Help);
    let help = render(&s, PLAIN);
    // Every binding of the keymap table is listed, its keys (Ctrl ones too) and meaning on one
    // line.
    for b in kyodo::tui::keymap::NORMAL {
        let what = Lang::En.t(b.help);
        let keys = kyodo::tui::keymap::help_label(b);
        assert!(
            help.lines()
                .any(|l| l.contains(&format!("{keys} ")) && l.contains(what)),
            "help lacks {keys} {what}:\n{help}"
        );
    }
    assert!(help.contains("q/Ctrl-C"), "{help}");
}

#[test]
fn gauge_is_readable_without_colour() {
    let (_dir, store) = demo_store();
    let s = state(
        &store,
        Lang::Ja,
        FiscalYear(2022),
        Pane::Dashboard,
        (80, 24),
    );
    let screen = render(&s, PLAIN);
    let line = screen
        .lines()
        .find(|l| l.contains("チーム会議の開催数"))
        .unwrap();
    assert!(
        line.contains("######..") && !line.contains("#######") && line.contains("73.5%"),
        "{line}"
    );
}

#[test]
fn too_small_and_resize_sweep() {
    let (_dir, store) = demo_store();
    let mut s = state(&store, Lang::Ja, FiscalYear(2022), Pane::Bodies, (79, 24));
    assert!(render(&s, PLAIN).contains("端末が小さすぎます"));
    for (w, h) in [
        (80, 23),
        (20, 5),
        (1, 1),
        (80, 24),
        (120, 40),
        (200, 50),
        (81, 25),
    ] {
        update(&mut s, Action::Resize(w, h));
        update(&mut s, Action::Bottom);
        let screen = render(&s, PLAIN);
        if w >= 80 && h >= 24 {
            assert!(screen.contains("地域協働体"), "{w}x{h}");
            // The last row is visible after Bottom.
            assert!(screen.contains("33/33"), "{w}x{h}\n{screen}");
        } else {
            assert!(screen.contains("端末") || w < 20, "{w}x{h}");
        }
    }
}

#[test]
fn navigation_clamps_and_scrolls() {
    let (_dir, store) = demo_store();
    let mut s = state(&store, Lang::Ja, FiscalYear(2022), Pane::Meetings, (80, 24));
    assert_eq!(s.current().visible.len(), 125);
    update(&mut s, Action::Up);
    assert_eq!(s.current().selected, 0);
    update(&mut s, Action::PageDown);
    let rows = s.list_rows();
    assert_eq!(s.current().selected, rows);
    assert!(s.current().offset > 0);
    update(&mut s, Action::Bottom);
    assert_eq!(s.current().selected, 124);
    assert_eq!(s.current().offset, 125 - rows);
    update(&mut s, Action::Down);
    assert_eq!(s.current().selected, 124);
    update(&mut s, Action::Top);
    assert_eq!((s.current().selected, s.current().offset), (0, 0));
    // Only the visible rows are drawn: the 125th meeting is not on screen at the top.
    let screen = render(&s, PLAIN);
    assert_eq!(screen.lines().count(), 24);
}

#[test]
fn filter_matches_japanese_and_kana() {
    let (_dir, store) = demo_store();
    let mut s = state(&store, Lang::Ja, FiscalYear(2022), Pane::Bodies, (80, 24));
    update(&mut s, Action::StartFilter);
    assert_eq!(s.mode, Mode::Filter);
    for c in "ハナイズミ".chars() {
        update(&mut s, Action::FilterChar(c));
    }
    assert_eq!(
        s.current().visible.len(),
        1,
        "katakana matches the kana reading"
    );
    let screen = render(&s, PLAIN);
    assert!(screen.contains("花泉地区まちづくり協議会"), "{screen}");
    update(&mut s, Action::FilterAccept);
    assert_eq!(s.mode, Mode::Normal);
    update(&mut s, Action::Back);
    assert_eq!(s.current().visible.len(), 33, "Esc clears the filter");
    update(&mut s, Action::StartFilter);
    for c in "大東".chars() {
        update(&mut s, Action::FilterChar(c));
    }
    assert_eq!(s.current().visible.len(), 6, "district name matches");
    update(&mut s, Action::FilterBackspace);
    update(&mut s, Action::FilterBackspace);
    assert_eq!(s.current().visible.len(), 33);
}

#[test]
fn fiscal_year_keys_reload_figures() {
    let (_dir, store) = demo_store();
    let mut s = state(
        &store,
        Lang::Ja,
        FiscalYear(2023),
        Pane::Dashboard,
        (80, 24),
    );
    assert!(render(&s, PLAIN).contains("令和5年度"));
    let mut loader = Loader::new(&store);
    let effects = update(&mut s, Action::PrevFy);
    assert!(matches!(
        effects.as_slice(),
        [Effect::Load(Pane::Dashboard, FiscalYear(2022))]
    ));
    apply(&mut s, &mut loader, effects);
    let screen = render(&s, PLAIN);
    assert!(screen.contains("令和4年度"), "{screen}");
    let line = screen
        .lines()
        .find(|l| l.contains("チーム会議の開催数"))
        .unwrap();
    assert!(line.contains("125"), "{line}");
    // Meetings pane follows the selected year when visited.
    let effects = update(&mut s, Action::GoPane(3));
    apply(&mut s, &mut loader, effects);
    assert_eq!(s.current().visible.len(), 125);
    let effects = update(&mut s, Action::NextFy);
    apply(&mut s, &mut loader, effects);
    assert_eq!(s.current().visible.len(), 131);
}

#[test]
fn demo_opens_on_the_latest_year_with_data() {
    let (_dir, store) = demo_store();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    assert_eq!(
        kyodo::tui::opening_fy(&store, true, today),
        FiscalYear(2023)
    );
    assert_eq!(
        kyodo::tui::opening_fy(&store, false, today),
        FiscalYear(2026)
    );
}

#[test]
fn control_characters_from_data_are_neutralised() {
    let (_dir, store) = demo_store();
    let mut b = store.list::<kyodo::domain::Body>().items.remove(0);
    b.name = "悪意\x1b[2J\x1b]0;owned\x07名".into();
    store.insert(b).unwrap();
    let s = state(&store, Lang::Ja, FiscalYear(2022), Pane::Bodies, (80, 24));
    let screen = render(&s, PLAIN);
    assert!(!screen.contains('\x1b') && !screen.contains('\x07'));
    assert!(screen.contains("悪意␛[2J"), "{screen}");
}

#[test]
fn dashboard_shows_pace_and_monthly_charts_without_colour() {
    let (_dir, store) = demo_store();
    let mut s = state(
        &store,
        Lang::Ja,
        FiscalYear(2023),
        Pane::Dashboard,
        (80, 24),
    );
    s.today = chrono::NaiveDate::from_ymd_opt(2024, 6, 1).unwrap();
    let screen = render(&s, PLAIN);
    // 125 → 170 over six years: FY2023 expects 132.5, 131 is behind; 472 activities beat 469.3.
    let tm = screen
        .lines()
        .find(|l| l.contains("チーム会議の開催数"))
        .unwrap();
    assert!(tm.contains("遅れ"), "{tm}");
    let act = screen
        .lines()
        .find(|l| l.contains("地域協働体の活動件数"))
        .unwrap();
    assert!(act.contains("順調"), "{act}");
    assert!(screen.contains("相談件数(月別) 合計 2,410"), "{screen}");
    assert!(screen.contains("チーム会議(月別) 合計 131"), "{screen}");
    assert!(
        screen
            .lines()
            .any(|l| l.starts_with("4  5  6  7  8  9  10 11 12 1  2  3")),
        "{screen}"
    );
    assert!(screen.contains("##"));
    // The selected indicator year by year, up to the year on screen's today, then its target.
    for _ in 0..6 {
        update(&mut s, Action::Down);
    }
    let screen = render(&s, PLAIN);
    // The sparkline: R4 125/170 and R5 131/170 are 7 of 9 steps on the ramp ('#'), R6 had
    // nothing (' '), later years are not reached yet (blank).
    assert!(screen.contains("[##     ]"), "{screen}");
    assert!(
        screen.contains("R4:125 R5:131<132.5 R6:0<140 -> 目標値 R10:170"),
        "{screen}"
    );
}

/// Issue 14: every option of a choice or checklist is on screen at 80x24, with its digit (the
/// consultation's 分野 and the tally's 分野 were cut after the fifth).
#[test]
fn every_choice_is_on_screen_with_its_digit_at_80x24() {
    use kyodo::app::form::FieldKind;
    use kyodo::domain::Category;
    use ratatui_textarea::{Input, Key};
    let (_dir, store) = demo_store();
    let mut loader = Loader::new(&store);
    for (field, flags) in [("categories", true), ("category", false)] {
        let mut s = state(
            &store,
            Lang::Ja,
            FiscalYear(2022),
            Pane::Consultations,
            (80, 24),
        );
        if flags {
            let effects = update(&mut s, Action::Add);
            apply(&mut s, &mut loader, effects);
        } else {
            // A tally's edit form.
            let p = s.current();
            let data = p.data.as_ref().unwrap();
            let pos = p
                .visible
                .iter()
                .position(|&i| matches!(data.items[i], kyodo::app::data::Item::Tally(_)))
                .expect("a tally is listed");
            for _ in 0..pos {
                let effects = update(&mut s, Action::Down);
                apply(&mut s, &mut loader, effects);
            }
            let effects = update(&mut s, Action::Edit);
            apply(&mut s, &mut loader, effects);
        }
        let form = s.form.as_mut().expect("a form is open");
        let at = form.fields.iter().position(|f| f.key == field).unwrap();
        assert!(matches!(
            form.fields[at].kind,
            FieldKind::Flags(_) | FieldKind::Choice(_)
        ));
        while s.form.as_ref().unwrap().focus != at {
            let effects = update(
                &mut s,
                Action::FormKey(Input {
                    key: Key::Tab,
                    ctrl: false,
                    alt: false,
                    shift: false,
                }),
            );
            apply(&mut s, &mut loader, effects);
        }
        let screen = render(&s, PLAIN);
        for (n, c) in Category::ALL.iter().enumerate() {
            let shown = format!("{}{}", n + 1, c.ja());
            assert!(
                screen.contains(&shown),
                "{field}: {shown} not on screen:\n{screen}"
            );
        }
    }
}

/// Issue 14: columns by priority. At 80 cells the figures give up cells to the indicator's name
/// (names are cut last); at 120 nothing shrinks, and in the consultations list the extra width
/// goes to the client's name, not to 分野.
#[test]
fn names_are_cut_last_and_extra_width_goes_to_them() {
    use kyodo::app::rows::columns;
    use kyodo::app::state::View;
    use kyodo::tui::views::widths;
    let cols = columns(View::Indicators);
    let (w80, w120) = (widths(&cols, 78), widths(&cols, 118));
    assert!(w80[0] >= 32, "{w80:?}");
    assert!(
        w80[1] < cols[1].width as usize,
        "a figure gave cells: {w80:?}"
    );
    assert_eq!(
        w80.iter().sum::<usize>() + cols.len() - 1,
        78,
        "fits: {w80:?}"
    );
    assert_eq!(w120[1], cols[1].width as usize, "{w120:?}");
    let c = columns(View::Consultations);
    let w = widths(&c, 118);
    let client = c.len() - 1;
    assert!(
        w[client] > w[2],
        "the client's name, not 分野, takes the extra: {w:?}"
    );
}

#[test]
fn the_selected_row_is_reversed_across_its_width_without_colour() {
    let (_dir, store) = demo_store();
    for (pane, size) in [
        (Pane::Consultations, (80, 24)),
        (Pane::Bodies, (120, 40)),
        (Pane::Dashboard, (80, 24)),
    ] {
        let mut s = state(&store, Lang::Ja, FiscalYear(2022), pane, size);
        update(&mut s, Action::Down);
        let (w, h) = s.size;
        let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
        term.draw(|f| views::draw(f, &s, PLAIN)).unwrap();
        let buf = term.backend().buffer();
        // Cells shown reversed (a wide character covers two).
        let reversed = |y: u16| {
            let mut x = 0;
            let mut n = 0;
            while x < w {
                let c = &buf[(x, y)];
                let cw = UnicodeWidthStr::width(c.symbol()).max(1);
                if c.modifier.contains(ratatui::style::Modifier::REVERSED) {
                    n += cw;
                }
                x += cw as u16;
            }
            n
        };
        let marked: Vec<u16> = (0..h).filter(|&y| buf[(0, y)].symbol() == ">").collect();
        assert_eq!(marked.len(), 1, "{pane:?}: one selected row");
        let y = marked[0];
        assert_eq!(
            reversed(y),
            w as usize,
            "{pane:?}: the whole row at {w} columns"
        );
        for other in (0..h).filter(|&o| o != y && o > 1 && o + 1 < h) {
            assert_eq!(reversed(other), 0, "{pane:?}: row {other} is not selected");
        }
    }
}

/// Issue 14.7 for every list: one name column; at 80 columns the row fits, and the name is
/// narrower than it wants only once every other column has given what it may; at 200 columns
/// nothing is shrunk and the extra goes to the name.
#[test]
fn every_list_declares_its_name_column_and_fits() {
    use kyodo::app::Pane;
    use kyodo::app::rows::columns;
    use kyodo::tui::views::widths;
    for pane in Pane::ALL {
        for &view in pane.views() {
            let cols = columns(view);
            let names: Vec<usize> = (0..cols.len()).filter(|&i| cols[i].width == 0).collect();
            assert_eq!(names.len(), 1, "{view:?}: one name column");
            let n = names[0];
            assert!(
                cols[n].min >= 12,
                "{view:?}: the name says how wide it wants to be"
            );
            for total in [78u16, 118, 198] {
                let ws = widths(&cols, total);
                let used = ws.iter().sum::<usize>() + cols.len() - 1;
                assert!(used <= total as usize, "{view:?} at {total}: {ws:?}");
                if ws[n] < cols[n].min as usize {
                    for (i, c) in cols.iter().enumerate().filter(|(i, _)| *i != n) {
                        assert_eq!(ws[i], c.min as usize, "{view:?} at {total}: {ws:?}");
                    }
                } else {
                    for (i, c) in cols.iter().enumerate().filter(|(i, _)| *i != n) {
                        assert!(ws[i] >= c.min as usize, "{view:?} at {total}: {ws:?}");
                    }
                }
            }
            let wide = widths(&cols, 198);
            for (i, c) in cols.iter().enumerate().filter(|(i, _)| *i != n) {
                assert_eq!(wide[i], c.width as usize, "{view:?}: nothing shrunk at 200");
            }
            assert!(wide[n] >= widths(&cols, 78)[n], "{view:?}");
        }
    }
}

/// Issue 15.3: no Gregorian year in a Japanese view; the indicator definitions and a plan
/// action's detail write their years as 令和.
#[test]
fn japanese_views_write_years_in_reiwa() {
    let (_dir, store) = demo_store();
    let fy = FiscalYear(2024);
    let mut s = AppState::new(Lang::Ja, fy, true, (100, 30));
    let mut loader = Loader::new(&store);
    apply(&mut s, &mut loader, vec![Effect::Load(Pane::Dashboard, fy)]);
    let effects = update(&mut s, Action::NextView);
    apply(&mut s, &mut loader, effects);
    let defs = render(&s, PLAIN);
    let web = defs.lines().find(|l| l.contains("WEB")).unwrap_or_default();
    assert!(
        web.contains("令和4年度") && web.contains("令和10年度"),
        "{defs}"
    );
    assert!(!defs.contains("2022") && !defs.contains("2028"), "{defs}");
    let effects = update(&mut s, Action::NextView);
    apply(&mut s, &mut loader, effects);
    let effects = update(&mut s, Action::Enter);
    apply(&mut s, &mut loader, effects);
    let plan = render(&s, PLAIN);
    assert!(
        plan.contains("令和6年度") && !plan.contains(" 2024\n"),
        "{plan}"
    );
}
