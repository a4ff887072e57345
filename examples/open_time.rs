//! Times opening a database and reading one fiscal year's dashboard figures (diagnostics).
fn main() {
    let path = std::env::args().nth(1).expect("usage: open_time DB");
    let raw = std::env::args().nth(2).is_some();
    let t = std::time::Instant::now();
    if raw {
        let db = sled::Config::new()
            .path(&path)
            .cache_capacity(
                std::env::var("CACHE_MB")
                    .ok()
                    .and_then(|v| v.parse::<u64>().ok())
                    .map(|mb| mb << 20)
                    .unwrap_or(kyodo::store::CACHE_BYTES),
            )
            .open()
            .unwrap();
        println!("sled open {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
        drop(db);
        return;
    }
    let store = kyodo::store::Store::open(std::path::Path::new(&path)).unwrap();
    let open = t.elapsed();
    let t = std::time::Instant::now();
    let st =
        kyodo::app::report::indicator_statuses(&store, kyodo::domain::FiscalYear(2024)).unwrap();
    println!(
        "open {:.1} ms, dashboard {:.3} ms ({} indicators)",
        open.as_secs_f64() * 1e3,
        t.elapsed().as_secs_f64() * 1e3,
        st.len()
    );
    // The due list (issue 17.3): everyone's, and one liaison's (what 自分 and the dashboard's
    // overdue count read).
    let today = chrono::Local::now().date_naive();
    let until = today + chrono::Days::new(14);
    let t = std::time::Instant::now();
    let all =
        kyodo::app::due::due_items(&store, today, until, kyodo::app::due::Whose::Everyone).unwrap();
    let everyone = t.elapsed();
    let staff = store.list::<kyodo::domain::Staff>().items;
    if let Some(me) = staff
        .iter()
        .find(|s| s.role == kyodo::domain::Role::Liaison)
    {
        let t = std::time::Instant::now();
        let mine = kyodo::app::due::due_items(&store, today, until, kyodo::app::due::Whose::Me(me))
            .unwrap();
        println!(
            "due list: everyone {:.2} ms ({} items), one liaison {:.2} ms ({} items)",
            everyone.as_secs_f64() * 1e3,
            all.len(),
            t.elapsed().as_secs_f64() * 1e3,
            mine.len()
        );
    }
}
