//! The staff console under load (issue 10, acceptance 6): 100,000 appeals
//! and 10,000 proposals seeded, then the appeals queue and the dashboard
//! requested through the real router as a signed-in city official. Prints
//! server time p50/p95 and bytes per page (raw and gzip), on SQLite and
//! (when `DAUYS_TEST_POSTGRES` is set) PostgreSQL.
//!
//! `cargo bench -p dauys-server --bench console`

use std::time::Instant;

use dauys_server::db::{Conn, Value};
use dauys_server::demo;
use dauys_server::sms::MemoryGateway;

mod support;
use support::*;

const PROPOSALS: usize = 10_000;

/// 10,000 proposals in one cycle of the city, most waiting for a moderator
/// or an expert.
fn seed_proposals(c: &mut dyn Conn, now: i64) {
    let cycle = c
        .query_one(
            "SELECT id FROM cycles WHERE locality = $1 ORDER BY created_at LIMIT 1",
            &[Value::from(demo::CITY)],
        )
        .expect("q")
        .expect("a cycle")
        .only::<String>()
        .expect("id");
    let statuses = [
        "submitted",
        "in_moderation",
        "accepted",
        "expert_review",
        "rejected",
    ];
    let rows = (0..PROPOSALS)
        .map(|i| {
            vec![
                Value::from(format!("bench-proposal-{i:05}")),
                Value::from(cycle.clone()),
                Value::from(demo::CITY),
                Value::from(format!("bench-user-{}", i % 5000)),
                Value::from(format!("Playground {i}")),
                Value::from("Swings and a sandbox for the yard."),
                Value::from("parks"),
                Value::from(1_000_000i64 + i as i64),
                Value::from("[]"),
                Value::from(statuses[i % statuses.len()]),
                Value::from("[]"),
                Value::from(now - i as i64 * 1000),
                Value::from(now),
            ]
        })
        .collect();
    insert_rows(
        c,
        "INSERT INTO proposals (id, cycle_id, locality, author, title, description, category, cost,
           media, status, history, created_at, updated_at)",
        13,
        rows,
    );
}

fn run(label: &str, url: &str) {
    let st = dauys_server::open_state(url, None, std::sync::Arc::new(MemoryGateway::default()))
        .expect("open");
    let mut c = st.pool.get().expect("conn");
    demo::seed_if_empty(&st, &mut *c).expect("seed");
    let t = Instant::now();
    let now = st.clock.now_ms();
    dauys_server::db::write_tx(&mut *c, |c| -> dauys_server::error::AppResult<()> {
        seed_appeals(c, now);
        seed_proposals(c, now);
        Ok(())
    })
    .expect("seed");
    vacuum(&mut *c, url);
    let official = demo::people()
        .into_iter()
        .find(|p| p.label == "official, Pavlodar")
        .expect("official");
    let hash = dauys_server::crypto::iin_hash(&st.secret, &official.iin);
    let uid = c
        .query_one(
            "SELECT id FROM residents WHERE iin_hash = $1",
            &[Value::from(hash)],
        )
        .expect("q")
        .expect("row")
        .only::<String>()
        .expect("id");
    let token = dauys_server::console::session::open(&st, &mut *c, &uid).expect("session");
    drop(c);
    println!(
        "{label}: seeded {APPEALS} appeals and {PROPOSALS} proposals in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let cookie = format!("dauys_console={token}; lang=ru");
    let app = dauys_server::http::router(st);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    for path in [
        "/console/appeals",
        "/console/appeals?status=registered&overdue=1",
        "/console/appeals?q=light+99",
        // Every appeal matches: the worst case, sorting all of them.
        "/console/appeals?q=street",
        "/console",
        "/console/proposals",
    ] {
        let (_, p50, p95, raw, gz) = rt.block_on(measure(&app, &cookie, path));
        println!(
            "{label:<10} {path:<46} p50 {p50:>6.1} ms  p95 {p95:>6.1} ms  {:>5.1} KB ({:>4.1} KB gzip)",
            raw as f64 / 1024.0,
            gz as f64 / 1024.0
        );
    }
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    on_both("console", run);
}
