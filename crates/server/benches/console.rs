//! The staff console under load (issue 10, acceptance 6): 100,000 appeals
//! and 10,000 proposals seeded, then the appeals queue and the dashboard
//! requested through the real router as a signed-in city official. Prints
//! server time p50/p95 and bytes per page (raw and gzip), on SQLite and
//! (when `DAUYS_TEST_POSTGRES` is set) PostgreSQL.
//!
//! `cargo bench -p dauys-server --bench console`

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use dauys_server::db::{Conn, Value};
use dauys_server::demo;
use dauys_server::sms::MemoryGateway;
use tower::ServiceExt;

const APPEALS: usize = 100_000;
const PROPOSALS: usize = 10_000;
const ROWS_PER_INSERT: usize = 200;
const SAMPLES: usize = 200;

/// Localities the appeals are spread over (the city and two villages).
const PLACES: &[(&str, &str)] = &[
    ("551010000", "pvl-akimat"),
    ("551010000", "pvl-housing"),
    ("553230100", "aktogay-okrug-akimat"),
];
const STATUSES: &[&str] = &[
    "submitted",
    "registered",
    "redirected",
    "extended",
    "answered",
    "answered",
    "answered",
    "dismissed",
];
const TYPES: &[&str] = &["complaint", "statement", "proposal", "request", "response"];

fn opt(v: Option<String>) -> Value {
    v.map_or(Value::Null, Value::from)
}

fn insert_rows(c: &mut dyn Conn, head: &str, cols: usize, rows: Vec<Vec<Value>>) {
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut sql = String::from(head);
        let mut params = Vec::with_capacity(chunk.len() * cols);
        for (i, row) in chunk.iter().enumerate() {
            sql.push_str(if i == 0 { " VALUES " } else { ", " });
            let marks: Vec<String> = (1..=cols).map(|k| format!("${}", i * cols + k)).collect();
            sql.push_str(&format!("({})", marks.join(", ")));
            params.extend(row.iter().cloned());
        }
        c.exec(&sql, &params).expect("insert");
    }
}

/// 100,000 appeals: the mix of statuses an akimat's year leaves, due
/// dates spread over six months around today.
fn seed_appeals(c: &mut dyn Conn, now: i64) {
    let mut rows = Vec::with_capacity(APPEALS);
    for i in 0..APPEALS {
        let (loc, body) = PLACES[i % PLACES.len()];
        let status = STATUSES[i % STATUSES.len()];
        let registered = status != "submitted";
        let due = registered.then(|| {
            let day = (i % 180) as i64 - 120;
            let d = time::Date::from_calendar_date(2026, time::Month::December, 4).expect("date")
                + time::Duration::days(day);
            dauys_proto::workdays::format_date(d)
        });
        rows.push(vec![
            Value::from(format!("bench-appeal-{i:06}")),
            Value::from(format!("bench-user-{}", i % 5000)),
            Value::from(TYPES[i % TYPES.len()]),
            Value::from(body),
            Value::from(loc),
            Value::from(format!("Street light {i} does not work")),
            Value::from(
                "Since Monday the street light in front of house 12 is out. Please repair it.",
            ),
            Value::from(i64::from(i % 3 == 0)),
            Value::from("[]"),
            Value::from(status),
            opt(registered.then(|| format!("ЖТ-{i:06}"))),
            Value::from(now - (APPEALS - i) as i64 * 60_000),
            opt(due.clone()),
            opt(due),
            Value::from("[]"),
            Value::from(""),
            Value::from(now),
        ]);
    }
    insert_rows(
        c,
        "INSERT INTO appeals (id, user_id, appeal_type, addressee, locality, subject, body, public,
           media, status, reg_number, submitted_at, registered_on, due_date, history, signature,
           updated_at)",
        17,
        rows,
    );
}

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
        .str(0)
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

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

async fn measure(app: &axum::Router, cookie: &str, path: &str) -> (f64, f64, usize, usize) {
    let get = |gzip: bool| {
        let mut b = Request::get(path).header("cookie", cookie);
        if gzip {
            b = b.header("accept-encoding", "gzip");
        }
        b.body(Body::empty()).expect("request")
    };
    let body = |r: axum::response::Response| async move {
        assert!(r.status().is_success(), "{path}: {}", r.status());
        axum::body::to_bytes(r.into_body(), usize::MAX)
            .await
            .expect("body")
            .len()
    };
    let raw = body(app.clone().oneshot(get(false)).await.expect("call")).await;
    let gz = body(app.clone().oneshot(get(true)).await.expect("call")).await;
    let mut times = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let t = Instant::now();
        let r = app.clone().oneshot(get(false)).await.expect("call");
        body(r).await;
        times.push(t.elapsed());
    }
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.95), raw, gz)
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
    // What autovacuum leaves on a live server: statistics, and PostgreSQL's
    // visibility map (without it no scan is index-only).
    let vacuum = if url.starts_with("postgres") {
        "VACUUM ANALYZE"
    } else {
        "ANALYZE"
    };
    c.batch(vacuum).expect("vacuum");
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
        .str(0)
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
        "/console",
        "/console/proposals",
    ] {
        let (p50, p95, raw, gz) = rt.block_on(measure(&app, &cookie, path));
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
    let dir = std::env::temp_dir().join(format!("dauys-console-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    run(
        "SQLite",
        &format!("sqlite:{}", dir.join("bench.db").display()),
    );
    let _ = std::fs::remove_dir_all(&dir);
    match std::env::var("DAUYS_TEST_POSTGRES") {
        Ok(url) => {
            let db = format!("dauys_console_bench_{}", std::process::id());
            let admin = postgres_admin(&url);
            admin(&format!("DROP DATABASE IF EXISTS {db}"));
            admin(&format!("CREATE DATABASE {db}"));
            let u = replace_db(&url, &db);
            run("PostgreSQL", &u);
            if std::env::var_os("DAUYS_BENCH_KEEP").is_none() {
                admin(&format!("DROP DATABASE {db} WITH (FORCE)"));
            }
        }
        Err(_) => println!("PostgreSQL: skipped (set DAUYS_TEST_POSTGRES)"),
    }
}

/// Runs admin statements on the server's maintenance database.
fn postgres_admin(url: &str) -> impl Fn(&str) + '_ {
    move |sql: &str| {
        let mut c = postgres::Client::connect(url, postgres::NoTls).expect("connect");
        c.batch_execute(sql).expect("admin statement");
    }
}

fn replace_db(url: &str, db: &str) -> String {
    match url.rfind('/') {
        Some(i) => format!("{}/{db}", &url[..i]),
        None => url.to_string(),
    }
}
