//! The public pages under load (issue 11, acceptance 6): 100,000 appeals
//! and 60,000 ballots (with their 60,000 voters in the census) seeded,
//! then the accountability page, a locality's home, the accountability
//! export and a counted cycle's results page requested through the real
//! router, as anyone (no sign-in). Prints the first request's time (the
//! figures computed: what the first visitor after a change waits), server
//! time p50/p95 after it (from the figures cache, `public/cache.rs`), and
//! bytes per page raw and gzip — on SQLite and (when
//! `DAUYS_TEST_POSTGRES` is set) PostgreSQL.
//!
//! `cargo bench -p dauys-server --bench public`

use std::time::Instant;

use dauys_server::db::{Conn, Value};
use dauys_server::demo;
use dauys_server::sms::MemoryGateway;

mod support;
use support::*;

const BALLOTS: usize = 60_000;

/// 60,000 residents of the city's villages and districts, each with a
/// counted ballot of 1–3 projects in the finished cycle.
fn seed_ballots(c: &mut dyn Conn, cycle: &str, projects: &[String], now: i64) {
    let places = ["551010000", "553230100", "553200000"];
    let residents = (0..BALLOTS)
        .map(|i| {
            vec![
                Value::from(format!("bench-voter-{i:06}")),
                Value::from(format!("bench-iin-hash-{i:06}")),
                Value::from(format!("+7700{i:07}")),
                Value::from(places[i % places.len()]),
                Value::from(format!("{}-0{}-1{}", 1950 + i % 55, 1 + i % 9, i % 10)),
                Value::from(now),
            ]
        })
        .collect();
    insert_rows(
        c,
        "INSERT INTO residents (id, iin_hash, phone, locality, birth_date, created_at)",
        6,
        residents,
    );
    let ballots = (0..BALLOTS)
        .map(|i| {
            let chosen: Vec<&String> = projects.iter().skip(i % 3).take(1 + i % 3).collect();
            vec![
                Value::from(cycle),
                Value::from(format!("bench-voter-{i:06}")),
                Value::from(format!("bench-op-{i:06}")),
                Value::from(serde_json::to_string(&chosen).expect("json")),
                Value::from(format!("{:04X}-{:04X}-0000-0000", i / 65536, i % 65536)),
                Value::from(now),
                Value::from(now),
                Value::from(""),
                Value::from(""),
            ]
        })
        .collect();
    insert_rows(
        c,
        "INSERT INTO ballots (cycle_id, user_id, op_id, proposal_ids, receipt, client_ts, cast_at,
           signature, device_key)",
        9,
        ballots,
    );
}

fn run(label: &str, url: &str) {
    let st = dauys_server::open_state(url, None, std::sync::Arc::new(MemoryGateway::default()))
        .expect("open");
    let mut c = st.pool.get().expect("conn");
    demo::seed_if_empty(&st, &mut *c).expect("seed");
    let cycle = c
        .query_one(
            "SELECT id FROM cycles WHERE phase = 'implementation' ORDER BY created_at LIMIT 1",
            &[],
        )
        .expect("q")
        .expect("a counted cycle")
        .only::<String>()
        .expect("id");
    let projects: Vec<String> = c
        .query(
            "SELECT id FROM proposals WHERE cycle_id = $1 ORDER BY id",
            &[Value::from(cycle.clone())],
        )
        .expect("q")
        .iter()
        .map(|r| r.only::<String>().expect("id"))
        .collect();
    let t = Instant::now();
    let now = st.clock.now_ms();
    dauys_server::db::write_tx(&mut *c, |c| -> dauys_server::error::AppResult<()> {
        seed_appeals(c, now);
        seed_ballots(c, &cycle, &projects, now);
        Ok(())
    })
    .expect("seed");
    vacuum(&mut *c, url);
    drop(c);
    println!(
        "{label}: seeded {APPEALS} appeals and {BALLOTS} ballots in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let app = dauys_server::http::router(st);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    for path in [
        "/l/551010000/accountability?lang=ru".to_string(),
        "/l/550000000/accountability?lang=ru".into(),
        "/l/551010000?lang=ru".into(),
        "/l/551010000/accountability.csv".into(),
        format!("/cycles/{cycle}?lang=ru"),
    ] {
        let (first, p50, p95, raw, gz) = rt.block_on(measure(&app, "", &path));
        println!(
            "{label:<10} {path:<46} first {first:>6.1} ms  p50 {p50:>5.1} ms  p95 {p95:>5.1} ms  {:>5.1} KB ({:>4.1} KB gzip)",
            raw as f64 / 1024.0,
            gz as f64 / 1024.0
        );
    }
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    on_both("public", run);
}
