//! `cargo bench -p dauys-core --bench sync`: printed figures (not a timed test).
//! Local enqueue rate, push throughput on loopback, bytes of an empty pull,
//! initial pull size, FTS p95 over 10,000 proposals.

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::atomic::Ordering;
use std::time::Instant;

use common::*;
use dauys_core::*;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(run());
}

async fn run() {
    let dir = tempfile::tempdir().unwrap();
    let srv = TestServer::start(&dir.path().join("server.db")).await;
    let proxy = CutProxy::start(srv.addr).await;
    let (_h, p) = client_via(&dir.path().join("home"), &proxy.url(), &srv, 0).await;

    // Initial pull of the demo city (text only).
    proxy.reset_counts();
    let r = p.sync(&SyncOptions::default()).await.unwrap();
    println!(
        "initial pull (demo city, {} changes): {} B down on the wire, {} requests",
        r.pulled,
        proxy.down.load(Ordering::SeqCst),
        r.requests
    );
    let pid = p.proposals(&ProposalQuery::default()).unwrap()[0]
        .id
        .clone();

    // (1) local enqueue rate.
    const N: usize = 2000;
    let t = Instant::now();
    for i in 0..N {
        p.add_comment(&CommentInput {
            proposal_id: pid.clone(),
            body: format!("Бенчмарк пікірі {i}: жақсы жоба, қолдаймын"),
        })
        .unwrap();
    }
    let dt = t.elapsed();
    println!(
        "enqueue: {N} comment ops in {dt:?} = {:.0} ops/s (each durable: WAL, synchronous=FULL)",
        N as f64 / dt.as_secs_f64()
    );

    // (2) push throughput on loopback.
    proxy.reset_counts();
    let t = Instant::now();
    let r = p
        .sync(&SyncOptions {
            pull: false,
            batch_size: 200,
            ..Default::default()
        })
        .await
        .unwrap();
    let dt = t.elapsed();
    assert!(r.delivered());
    let up = proxy.up.load(Ordering::SeqCst);
    println!(
        "push: {} ops in {dt:?} = {:.0} ops/s over loopback; {} requests, {up} B up on the wire ({:.0} B/op, gzip)",
        r.accepted,
        r.accepted as f64 / dt.as_secs_f64(),
        r.requests,
        up as f64 / r.accepted as f64
    );
    // 100 comments as one batch: wire size (what gprs would carry).
    for i in 0..100 {
        p.add_comment(&CommentInput {
            proposal_id: pid.clone(),
            body: format!("Comment {i}: a good project, I support it"),
        })
        .unwrap();
    }
    proxy.reset_counts();
    let r = p
        .sync(&SyncOptions {
            pull: false,
            ..Default::default()
        })
        .await
        .unwrap();
    println!(
        "100 queued comments: {} request(s), {} B up + {} B down on the wire",
        r.requests,
        proxy.up.load(Ordering::SeqCst),
        proxy.down.load(Ordering::SeqCst)
    );

    // (3) empty pull.
    p.sync(&SyncOptions::default()).await.unwrap();
    proxy.reset_counts();
    let r = p.sync(&SyncOptions::default()).await.unwrap();
    println!(
        "empty pull: {} round trip(s), {} B up + {} B down on the wire",
        r.requests,
        proxy.up.load(Ordering::SeqCst),
        proxy.down.load(Ordering::SeqCst)
    );

    // (4) FTS over 10,000 proposals.
    let db = dir
        .path()
        .join("home")
        .join("profiles")
        .join(p.id())
        .join("profile.db");
    {
        let mut c = rusqlite::Connection::open(&db).unwrap();
        let tx = c.transaction().unwrap();
        let words = [
            "балалар",
            "ойын",
            "алаңы",
            "жарық",
            "жол",
            "мектеп",
            "саябақ",
            "детская",
            "площадка",
            "освещение",
            "дорога",
            "школа",
            "парк",
            "велосипед",
            "children",
            "playground",
            "street",
            "lights",
            "school",
            "park",
            "bike",
            "қоқыс",
            "орындық",
            "тротуар",
            "остановка",
            "спорт",
            "ағаш",
            "деревья",
            "trees",
            "бассейн",
        ];
        for i in 0..10_000usize {
            let t: Vec<&str> = (0..4)
                .map(|k| words[(i * 7 + k * 13 + i / 3) % words.len()])
                .collect();
            let d: Vec<&str> = (0..20)
                .map(|k| words[(i * 11 + k * 5 + k * k) % words.len()])
                .collect();
            let title = format!("{} {}", t.join(" "), i);
            let data = serde_json::json!({"id": format!("bench-{i}"), "cycle_id": "bench", "locality": "x", "title": title,
                "description": d.join(" "), "category": "bench", "cost": 1000, "location": null, "media": [], "status": "on_ballot",
                "expert_cost": null, "expert_note": null, "votes": null, "progress": null, "history": [], "mine": false,
                "created_at": 0, "updated_at": 0});
            tx.execute(
                "INSERT INTO proposals (id, cycle_id, locality, status, title, description, category, data) VALUES (?1, 'bench', 'x', 'on_ballot', ?2, ?3, 'bench', ?4)",
                rusqlite::params![format!("bench-{i}"), title, d.join(" "), data.to_string()],
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
    let queries = [
        "балалар ойын",
        "жарык",
        "ДЕТСКАЯ площ",
        "school park",
        "ағаш",
        "велосипед жол",
        "остановка",
        "trees",
    ];
    let mut times = Vec::new();
    let mut hits = 0;
    for round in 0..50 {
        for q in &queries {
            let t = Instant::now();
            hits += p
                .proposals(&ProposalQuery {
                    search: Some(q.to_string()),
                    limit: Some(50),
                    ..Default::default()
                })
                .unwrap()
                .len();
            times.push(t.elapsed());
            let _ = round;
        }
    }
    times.sort();
    let p95 = times[times.len() * 95 / 100];
    let p50 = times[times.len() / 2];
    println!("FTS over 10,000 proposals (top 50, bm25): p50 {p50:?}, p95 {p95:?} ({} queries, {hits} hits)", times.len());
}
