//! Benchmarks at the demo scale and at the large-city scale of DOMAIN.md (500k consultation
//! records over ten years). Figures go into closing notes; nothing here asserts a time.
//!
//! The large store is generated once into `target/kyodo-bench-large` and reused.

use criterion::{Criterion, criterion_group, criterion_main};
use kyodo::app::data::Loader;
use kyodo::app::{Action, AppState, Effect, Pane, update};
use kyodo::domain::FiscalYear;
use kyodo::i18n::Lang;
use kyodo::store::Store;
use kyodo::tui::{apply, theme::Theme, views};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts the bytes a frame sends to the terminal.
struct Counting(Arc<AtomicUsize>);

impl std::io::Write for Counting {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.fetch_add(buf.len(), Ordering::Relaxed);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn large_store() -> Store {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/kyodo-bench-large");
    let ready = dir.join("READY");
    if !ready.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        let store = Store::open(&dir.join("db")).unwrap();
        let t = std::time::Instant::now();
        kyodo::io::synth::generate(&store, kyodo::io::synth::Scale::LARGE_CITY, 20_000).unwrap();
        eprintln!(
            "generated {} dated records in {:.1} s",
            kyodo::io::synth::Scale::LARGE_CITY.dated_records(),
            t.elapsed().as_secs_f64()
        );
        std::fs::write(&ready, b"").unwrap();
        return store;
    }
    Store::open(&dir.join("db")).unwrap()
}

fn demo(c: &mut Criterion) {
    c.bench_function("demo: import the demo dataset into a fresh store", |b| {
        b.iter(|| {
            let dir = tempfile::tempdir().unwrap();
            let store = Store::open(&dir.path().join("db")).unwrap();
            kyodo::io::import::import_sources(&store, kyodo::io::demo::sources()).unwrap();
        })
    });
}

/// Bytes the terminal receives for one cursor move on a pane, and the frame's draw time.
fn cursor_move(c: &mut Criterion, store: &Store, pane: Pane, fy: FiscalYear, name: &str) {
    let mut state = AppState::new(Lang::Ja, fy, false, (80, 24));
    let mut loader = Loader::new(store);
    let effects = update(&mut state, Action::GoPane(pane.index()));
    apply(&mut state, &mut loader, effects);
    apply(&mut state, &mut loader, vec![Effect::Load(pane, fy)]);
    let bytes = Arc::new(AtomicUsize::new(0));
    let backend = CrosstermBackend::new(Counting(bytes.clone()));
    let mut term = Terminal::with_options(
        backend,
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, 80, 24)),
        },
    )
    .unwrap();
    let theme = Theme { color: true };
    term.draw(|f| views::draw(f, &state, theme)).unwrap();
    bytes.store(0, Ordering::Relaxed);
    update(&mut state, Action::Down);
    term.draw(|f| views::draw(f, &state, theme)).unwrap();
    eprintln!(
        "{name}: {} rows, one cursor move writes {} bytes",
        state.current().visible.len(),
        bytes.load(Ordering::Relaxed)
    );
    let mut down = true;
    c.bench_function(&format!("{name}: cursor move (update + draw)"), |b| {
        b.iter(|| {
            update(&mut state, if down { Action::Down } else { Action::Up });
            down = !down;
            term.draw(|f| views::draw(f, &state, theme)).unwrap();
        })
    });
}

/// From the key that saves (the quick tally's Enter) to "saved" on the state: update, the
/// transaction, flush and fsync, and the reload of what is on screen. Prints median and p99 of
/// 1,000 single measurements, then lets criterion measure the same step.
fn keypress_to_saved(c: &mut Criterion, store: &Store) {
    let fy = FiscalYear(2024);
    let mut state = AppState::new(Lang::Ja, fy, false, (80, 24));
    state.today = chrono::NaiveDate::from_ymd_opt(2024, 6, 3).unwrap();
    let mut loader = Loader::new(store);
    let effects = update(&mut state, Action::GoPane(Pane::Dashboard.index()));
    apply(&mut state, &mut loader, effects);
    let mut once = || {
        for a in [
            Action::QuickLog,
            Action::QuickChar('1'),
            Action::QuickChar('1'),
        ] {
            let e = update(&mut state, a);
            apply(&mut state, &mut loader, e);
        }
        let t = std::time::Instant::now();
        let e = update(&mut state, Action::QuickEnter);
        apply(&mut state, &mut loader, e);
        assert!(
            state
                .flash
                .as_deref()
                .unwrap_or("")
                .starts_with("保存しました")
        );
        t.elapsed()
    };
    let mut times: Vec<std::time::Duration> = (0..1_000).map(|_| once()).collect();
    times.sort();
    eprintln!(
        "keypress to saved (quick tally, dashboard reloaded), 1000 runs: median {:?}, p99 {:?}, max {:?}",
        times[500], times[990], times[999]
    );
    c.bench_function("large: keypress to saved (quick tally)", |b| {
        b.iter(&mut once)
    });
}

/// Preview and apply a formula program for the 200 bodies of the large store: each run adds a
/// new program (so apply always decides 200 grants), loads the preview, applies it.
fn preview_and_apply(c: &mut Criterion, store: &Store) {
    use kyodo::app::subsidy::{PreviewState, apply_preview};
    use kyodo::domain::{AllocationRule, SubsidyProgram};
    let mut n = 0u32;
    let mut new_program = || {
        n += 1;
        store
            .insert(SubsidyProgram {
                id: 0,
                name: format!("試算用交付金{n}"),
                fiscal_year: FiscalYear(2024),
                budget: 10_000_000_000,
                rule: AllocationRule::Formula {
                    per_body: 1_500_000,
                    per_household: 1_000,
                    per_capita: 200,
                    round_unit: 1_000,
                    counts_date: None,
                    cap: None,
                    floor: None,
                },
                over_budget_reason: None,
                report_due: Default::default(),
                award_terms: None,
            })
            .unwrap()
    };
    let today = chrono::NaiveDate::from_ymd_opt(2024, 5, 1).unwrap();
    let mut preview_t = Vec::new();
    let mut apply_t = Vec::new();
    for _ in 0..15 {
        let id = new_program();
        let t = std::time::Instant::now();
        let st = PreviewState::load(store, id).unwrap();
        preview_t.push(t.elapsed());
        assert_eq!(st.preview.rows.len(), 200);
        let t = std::time::Instant::now();
        assert_eq!(apply_preview(store, &st, today).unwrap(), 200);
        apply_t.push(t.elapsed());
    }
    preview_t.sort();
    apply_t.sort();
    eprintln!(
        "200 bodies: preview median {:?} (max {:?}), apply median {:?} (max {:?})",
        preview_t[7], preview_t[14], apply_t[7], apply_t[14]
    );
    let id = new_program();
    c.bench_function("large: allocation preview for 200 bodies", |b| {
        b.iter(|| black_box(PreviewState::load(store, id).unwrap()))
    });
}

fn large(c: &mut Criterion) {
    let store = large_store();
    let fy = FiscalYear(2024);
    c.bench_function(
        "large: dashboard pane load (every plan year + monthly counts)",
        |b| {
            let mut loader = Loader::new(&store);
            b.iter(|| {
                black_box(
                    loader
                        .load(Pane::Dashboard, kyodo::app::state::View::Indicators, fy)
                        .unwrap(),
                )
            })
        },
    );
    c.bench_function("large: dashboard figures for one fiscal year", |b| {
        b.iter(|| black_box(kyodo::app::report::indicator_statuses(&store, fy).unwrap()))
    });
    c.bench_function(
        "large: durable write of one tally (transaction + flush + fsync)",
        |b| {
            b.iter(|| {
                store
                    .insert(kyodo::domain::ConsultationTally {
                        id: 0,
                        date: chrono::NaiveDate::from_ymd_opt(2024, 6, 1).unwrap(),
                        category: kyodo::domain::Category::DialogueSupport,
                        channel: kyodo::domain::Channel::Visit,
                        count: 1,
                    })
                    .unwrap()
            })
        },
    );
    keypress_to_saved(c, &store);
    preview_and_apply(c, &store);
    cursor_move(c, &store, Pane::Dashboard, fy, "large dashboard");
    cursor_move(c, &store, Pane::Meetings, fy, "large meetings");
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = demo, large
}
criterion_main!(benches);
