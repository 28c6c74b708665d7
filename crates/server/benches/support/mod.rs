//! What the server's benchmarks share: seeding 100,000 appeals with one
//! multi-row INSERT per 200, percentiles, and running a measurement on
//! SQLite and (with `DAUYS_TEST_POSTGRES`) on a fresh PostgreSQL database.
#![allow(dead_code)] // each bench uses part of it

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use tower::ServiceExt;

use dauys_server::db::{Conn, Value};

pub const APPEALS: usize = 100_000;
pub const ROWS_PER_INSERT: usize = 200;
/// Requests timed per page.
pub const SAMPLES: usize = 200;

/// Localities the appeals are spread over (the city and two villages).
pub const PLACES: &[(&str, &str)] = &[
    ("551010000", "pvl-akimat"),
    ("551010000", "pvl-housing"),
    ("553230100", "aktogay-okrug-akimat"),
];
pub const STATUSES: &[&str] = &[
    "submitted",
    "registered",
    "redirected",
    "extended",
    "answered",
    "answered",
    "answered",
    "dismissed",
];
pub const TYPES: &[&str] = &["complaint", "statement", "proposal", "request", "response"];

pub fn opt(v: Option<String>) -> Value {
    v.map_or(Value::Null, Value::from)
}

pub fn insert_rows(c: &mut dyn Conn, head: &str, cols: usize, rows: Vec<Vec<Value>>) {
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
/// The timeline an appeal of `status` submitted at `at` has: registered
/// the next day, answered 3 to 20 days later (what the public figures read).
fn history(status: &str, at: i64, i: usize) -> String {
    const DAY: i64 = 86_400_000;
    let mut h = vec![serde_json::json!({"at": at, "status": "submitted", "note": ""})];
    if status != "submitted" {
        h.push(serde_json::json!({"at": at + DAY, "status": "registered", "note": ""}));
    }
    if status == "answered" {
        let days = 3 + (i % 18) as i64;
        h.push(serde_json::json!({"at": at + days * DAY, "status": "answered", "note": "done"}));
    }
    serde_json::Value::from(h).to_string()
}

pub fn seed_appeals(c: &mut dyn Conn, now: i64) {
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
            Value::from(history(status, now - (APPEALS - i) as i64 * 60_000, i)),
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

pub fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

/// Runs `run(label, url)` on SQLite in a temporary directory and, when
/// `DAUYS_TEST_POSTGRES` is set, on a fresh PostgreSQL database.
pub fn on_both(name: &str, run: impl Fn(&str, &str)) {
    let dir = std::env::temp_dir().join(format!("dauys-{name}-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    run(
        "SQLite",
        &format!("sqlite:{}", dir.join("bench.db").display()),
    );
    if std::env::var_os("DAUYS_BENCH_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    } else {
        println!("SQLite database kept in {}", dir.display());
    }
    match std::env::var("DAUYS_TEST_POSTGRES") {
        Ok(url) => {
            let db = format!("dauys_{name}_bench_{}", std::process::id());
            let admin = postgres_admin(&url);
            admin(&format!("DROP DATABASE IF EXISTS {db}"));
            admin(&format!("CREATE DATABASE {db}"));
            run("PostgreSQL", &replace_db(&url, &db));
            if std::env::var_os("DAUYS_BENCH_KEEP").is_none() {
                admin(&format!("DROP DATABASE {db} WITH (FORCE)"));
            }
        }
        Err(_) => println!("PostgreSQL: skipped (set DAUYS_TEST_POSTGRES)"),
    }
}

/// What autovacuum leaves on a live server: statistics, and PostgreSQL's
/// visibility map (without it no scan is index-only).
pub fn vacuum(c: &mut dyn Conn, url: &str) {
    let sql = if url.starts_with("postgres") {
        "VACUUM ANALYZE"
    } else {
        "ANALYZE"
    };
    c.batch(sql).expect("vacuum");
}

/// Runs admin statements on the server's maintenance database.
pub fn postgres_admin(url: &str) -> impl Fn(&str) + '_ {
    move |sql: &str| {
        let mut c = postgres::Client::connect(url, postgres::NoTls).expect("connect");
        c.batch_execute(sql).expect("admin statement");
    }
}

pub fn replace_db(url: &str, db: &str) -> String {
    match url.rfind('/') {
        Some(i) => format!("{}/{db}", &url[..i]),
        None => url.to_string(),
    }
}

/// Server time p50/p95 (ms) of `path` through the real router, and its
/// bytes raw and gzip; `cookie` may be empty.
pub async fn measure(
    app: &axum::Router,
    cookie: &str,
    path: &str,
) -> (f64, f64, f64, usize, usize) {
    let get = |gzip: bool| {
        let mut b = Request::get(path);
        if !cookie.is_empty() {
            b = b.header("cookie", cookie);
        }
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
    let t = Instant::now();
    let raw = body(app.clone().oneshot(get(false)).await.expect("call")).await;
    let first = t.elapsed().as_secs_f64() * 1000.0;
    let gz = body(app.clone().oneshot(get(true)).await.expect("call")).await;
    let mut times = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let t = Instant::now();
        let r = app.clone().oneshot(get(false)).await.expect("call");
        body(r).await;
        times.push(t.elapsed());
    }
    times.sort();
    (
        first,
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        raw,
        gz,
    )
}
