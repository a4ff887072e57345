//! Shared mode: the latency of one durable write through `kyodo serve` (request, role check,
//! transaction, flush + fsync, reply), with 1 and with 8 clients writing at once. Prints the
//! median and p99 per write; nothing here asserts a time (figures go into closing notes).
//!
//! `cargo bench --bench server`

use kyodo::domain::{Category, Channel, ConsultationTally};
use kyodo::server::{Identify, Server};
use kyodo::store::{Batch, Store};
use std::time::{Duration, Instant};

const WRITES_PER_CLIENT: usize = 400;

fn main() {
    // `cargo bench` passes `--bench`; a filter argument that is not ours skips this bench.
    if std::env::args()
        .skip(1)
        .any(|a| !a.starts_with('-') && !"server".contains(a.as_str()))
    {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("db")).expect("open");
    kyodo::io::import::import_sources(&store, kyodo::io::demo::sources()).expect("demo");
    let db = store.path().to_path_buf();
    let socket = dir.path().join("kyodo.sock");
    let server = Server::bind(
        store,
        &socket,
        Identify::ClaimedLoginForTests,
        Box::new(std::io::sink()),
    )
    .expect("bind");
    let stop = server.stopper();
    let handle = std::thread::spawn(move || server.run());
    for clients in [1usize, 8] {
        let mut all: Vec<Duration> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..clients)
                .map(|_| {
                    let (socket, db) = (&socket, &db);
                    scope.spawn(move || {
                        let s = Store::connect_claiming(socket, db, Some("sasaki.hanako"))
                            .expect("connect");
                        let mut times = Vec::with_capacity(WRITES_PER_CLIENT);
                        for i in 0..WRITES_PER_CLIENT {
                            let mut b = Batch::new();
                            b.put(ConsultationTally {
                                id: 0,
                                date: chrono::NaiveDate::from_ymd_opt(2024, 6, 1 + (i % 28) as u32)
                                    .expect("date"),
                                category: Category::DialogueSupport,
                                channel: Channel::Phone,
                                count: 1,
                            });
                            let t = Instant::now();
                            s.write(b).expect("write");
                            times.push(t.elapsed());
                        }
                        times
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| w.join().expect("worker"))
                .collect()
        });
        all.sort();
        let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)];
        println!(
            "server write, {clients} client(s), {} writes: median {:.3} ms, p99 {:.3} ms, max {:.3} ms",
            all.len(),
            pct(0.5).as_secs_f64() * 1e3,
            pct(0.99).as_secs_f64() * 1e3,
            all[all.len() - 1].as_secs_f64() * 1e3
        );
    }
    stop.stop();
    let _ = handle.join();
}
