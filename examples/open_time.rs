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
}
