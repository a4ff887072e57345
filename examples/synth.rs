//! Writes a generated dataset into a new database (diagnostics and measurement).
//!
//! `cargo run --release --example synth -- DB [SCALE]`, where SCALE is `large` (the large-city
//! scale of DOMAIN.md, 630,000 dated records), `10k` (ten thousand dated records over two
//! fiscal years, the small-city start-up target) or `consultations N` (N consultations in the
//! current fiscal year, for measuring a scrolling list).
fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: synth DB [large|10k]");
        std::process::exit(2);
    };
    let scale = match args.next().as_deref() {
        None | Some("large") => kyodo::io::synth::Scale::LARGE_CITY,
        Some("10k") => kyodo::io::synth::Scale {
            bodies: 33,
            staff: 120,
            years: 2,
            last_fy: 2024,
            consultations: 2_000,
            tallies: 1_500,
            meetings: 500,
            activities: 1_000,
        },
        Some("consultations") => kyodo::io::synth::Scale {
            bodies: 33,
            staff: 120,
            years: 1,
            last_fy: kyodo::domain::FiscalYear::of(chrono::Local::now().date_naive()).0,
            consultations: args.next().and_then(|n| n.parse().ok()).unwrap_or(10_000),
            tallies: 0,
            meetings: 0,
            activities: 0,
        },
        Some(other) => {
            eprintln!("unknown scale {other:?}: use large, 10k or consultations N");
            std::process::exit(2);
        }
    };
    let result = kyodo::store::Store::open(std::path::Path::new(&path))
        .and_then(|store| kyodo::io::synth::generate(&store, scale, 20_000));
    if let Err(e) = result {
        eprintln!("synth: {e}");
        std::process::exit(1);
    }
    println!("{} dated records in {path}", scale.dated_records());
}
