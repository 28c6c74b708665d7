//! Ballot ingestion through `/v1/push` in batches of 100, over real HTTP, on
//! SQLite and (when `DAUYS_TEST_POSTGRES` is set) PostgreSQL. Prints figures.
//!
//! `cargo bench -p dauys-server --bench ingest`

use std::sync::Arc;
use std::time::Instant;

use dauys_proto::{Op, OpKind, PushResponse};
use dauys_server::demo;
use dauys_server::sms::MemoryGateway;
use ed25519_dalek::{Signer, SigningKey};
use serde_json::json;

mod support;

const CYCLES: usize = 100;
const VOTERS: usize = 60;
const CONCURRENCY: usize = 4;
/// Timed rounds (the median is printed: one round is under a second).
const ROUNDS: usize = 7;

fn setup(
    url: &str,
) -> (
    dauys_server::state::AppState,
    Arc<MemoryGateway>,
    Vec<String>,
) {
    let sms = Arc::new(MemoryGateway::default());
    // The voters all sign in from 127.0.0.1 before the clock starts: lift
    // the per-client sign-in limits (push itself is not throttled).
    let wide = dauys_server::kernel::throttle::Rate {
        per_second: 1e6,
        burst: 1_000_000,
    };
    let st = dauys_server::open_state(url, None, sms.clone())
        .expect("open")
        .with_limits(dauys_server::kernel::throttle::Limits {
            codes_per_client: wide,
            checks_per_client: wide,
            codes: wide,
            checks: wide,
        });
    let mut c = st.pool.get().expect("conn");
    demo::seed_if_empty(&st, &mut *c).expect("seed");
    let people = demo::people();
    let official_p = people
        .iter()
        .find(|p| p.label.starts_with("official, Pavlodar"))
        .expect("official");
    let hash = dauys_server::crypto::iin_hash(&st.secret, &official_p.iin);
    let uid = c
        .query_one(
            "SELECT id FROM residents WHERE iin_hash = $1",
            dauys_server::params![hash],
        )
        .expect("q")
        .expect("row")
        .only::<String>()
        .expect("id");
    let official =
        dauys_server::auth::load_actor_by_user(&st, &mut *c, &uid, "bench").expect("actor");
    let mut proposals = Vec::new();
    dauys_server::db::write_tx(&mut *c, |c| -> dauys_server::error::AppResult<()> {
        for i in 0..CYCLES {
            let cy = demo::act(c, &st, &official, OpKind::CycleCreate, json!({"locality": demo::CITY, "budget": 1_000_000,
                "title": {"kk": format!("b{i}"), "ru": format!("b{i}"), "en": format!("b{i}")}}))?;
            let p = demo::act(c, &st, &official, OpKind::ProposalSubmit, json!({"cycle_id": cy, "title": "p", "description": "d", "category": "c", "cost": 1000}))?;
            demo::act(c, &st, &official, OpKind::ProposalModerate, json!({"proposal_id": p, "decision": "accept"}))?;
            demo::act(c, &st, &official, OpKind::ProposalReview, json!({"proposal_id": p, "feasible": true, "cost_estimate": 1000}))?;
            demo::act(c, &st, &official, OpKind::CyclePhase, json!({"cycle_id": cy, "phase": "voting"}))?;
            proposals.push(format!("{cy}|{p}"));
        }
        Ok(())
    })
    .expect("setup cycles");
    // Voters: synthetic census entries in the city.
    dauys_server::db::write_tx(&mut *c, |c| -> dauys_server::error::AppResult<()> {
        for i in 0..VOTERS {
            let birth = time::Date::from_calendar_date(
                1980 + (i % 20) as i32,
                time::Month::May,
                1 + (i % 28) as u8,
            )
            .expect("date");
            let iin = (0..50u16)
                .find_map(|k| {
                    dauys_proto::iin::make(
                        birth,
                        dauys_proto::iin::Sex::Female,
                        5000 + i as u16 * 50 + k,
                    )
                })
                .expect("iin");
            dauys_server::census::upsert_resident(
                &st,
                c,
                &iin,
                &format!("+7702{:07}", i),
                demo::CITY,
            )?;
            c.exec(
                "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
                dauys_server::params![format!("bench-voter-{i}"), iin],
            )?;
        }
        Ok(())
    })
    .expect("voters");
    let iins = (0..VOTERS)
        .map(|i| {
            c.query_one(
                "SELECT value FROM settings WHERE key = $1",
                dauys_server::params![format!("bench-voter-{i}")],
            )
            .expect("q")
            .expect("row")
            .only::<String>()
            .expect("s")
        })
        .collect::<Vec<_>>();
    // Start every run from the same state: the set-up's writes moved from
    // the WAL into the database file (they are a different amount in
    // different versions of the seed).
    if c.dialect() == dauys_server::db::Dialect::Sqlite {
        let _ = c.query("PRAGMA wal_checkpoint(TRUNCATE)", &[]);
    }
    drop(c);
    let _ = iins.len();
    (
        st,
        sms,
        proposals
            .into_iter()
            .chain(iins.into_iter().map(|i| format!("IIN{i}")))
            .collect(),
    )
}

async fn run(label: &str, url: String) {
    let (st, sms, items) = tokio::task::spawn_blocking(move || setup(&url))
        .await
        .expect("setup");
    let cycles: Vec<(String, String)> = items
        .iter()
        .filter_map(|s| s.split_once('|'))
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    let iins: Vec<String> = items
        .iter()
        .filter_map(|s| s.strip_prefix("IIN"))
        .map(String::from)
        .collect();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(dauys_server::serve(listener, st.clone()));
    let http = reqwest::Client::new();
    let phones: Vec<String> = (0..VOTERS).map(|i| format!("+7702{:07}", i)).collect();
    // Sign in every voter once.
    let mut voters = Vec::new();
    for (iin, phone) in iins.iter().zip(&phones) {
        http.post(format!("{base}/v1/auth/otp"))
            .json(&json!({"iin": iin}))
            .send()
            .await
            .expect("otp");
        let code = sms
            .sent
            .lock()
            .expect("lock")
            .get(phone)
            .cloned()
            .expect("code");
        let mut seed = [0u8; 32];
        seed[..iin.len().min(32)].copy_from_slice(&iin.as_bytes()[..iin.len().min(32)]);
        let key = SigningKey::from_bytes(&seed);
        let s: serde_json::Value = http
            .post(format!("{base}/v1/auth/verify"))
            .json(&json!({"iin": iin, "code": code, "device_key": dauys_proto::hex(key.verifying_key().as_bytes())}))
            .send().await.expect("verify").json().await.expect("json");
        let token = s["token"].as_str().expect("token").to_string();
        // Signed as today's clients sign: bound to the account and server.
        let me = (
            s["me"]["server_id"]
                .as_str()
                .expect("server id")
                .to_string(),
            s["me"]["user_id"].as_str().expect("user id").to_string(),
        );
        voters.push((token, key, me));
    }
    // Rounds: every voter pushes a signed batch of one ballot per cycle (a
    // later round re-votes, replacing the earlier ballot). Signing is done
    // before the clock starts; the figure is the median round.
    let total = VOTERS * CYCLES;
    let mut rates = Vec::new();
    let mut batches = Arc::new(Vec::new());
    for round in 0..ROUNDS {
        batches = Arc::new(
            voters
                .iter()
                .map(|(token, key, (server, user))| {
                    let ops: Vec<Op> = cycles
                        .iter()
                        .map(|(cy, p)| {
                            let mut op = Op {
                                id: uuid::Uuid::now_v7(),
                                kind: "ballot.cast".into(),
                                payload: json!({"cycle_id": cy, "proposal_ids": [p]}),
                                client_ts: 1 + round as i64,
                                signature: None,
                            };
                            op.signature = Some(dauys_proto::hex(
                                &key.sign(&dauys_proto::signing_bytes_bound(&op, server, user))
                                    .to_bytes(),
                            ));
                            op
                        })
                        .collect();
                    (
                        token.clone(),
                        serde_json::to_vec(&json!({"ops": ops})).expect("json"),
                    )
                })
                .collect::<Vec<_>>(),
        );
        let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let t0 = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..CONCURRENCY {
            let (batches, next, http, base) =
                (batches.clone(), next.clone(), http.clone(), base.clone());
            tasks.push(tokio::spawn(async move {
                let mut accepted = 0usize;
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some((token, body)) = batches.get(i) else {
                        break;
                    };
                    let r: PushResponse = http
                        .post(format!("{base}/v1/push"))
                        .bearer_auth(token)
                        .header("content-type", "application/json")
                        .body(body.clone())
                        .send()
                        .await
                        .expect("push")
                        .json()
                        .await
                        .expect("json");
                    accepted += r
                        .results
                        .iter()
                        .filter(|r| matches!(r.outcome, dauys_proto::OpOutcome::Accepted { .. }))
                        .count();
                }
                accepted
            }));
        }
        let mut accepted = 0;
        for t in tasks {
            accepted += t.await.expect("task");
        }
        let secs = t0.elapsed().as_secs_f64();
        assert_eq!(accepted, total, "every ballot accepted");
        rates.push(total as f64 / secs);
    }
    rates.sort_by(f64::total_cmp);
    println!(
        "{label:<10} {total} ballots in {} pushes of {CYCLES}, {CONCURRENCY} concurrent clients, {ROUNDS} rounds: median {:.0} ballots/s (min {:.0}, max {:.0})",
        VOTERS,
        rates[rates.len() / 2],
        rates[0],
        rates[rates.len() - 1]
    );
    // Re-pushing the same batches (a client retry storm) is answered from the op log.
    let t0 = Instant::now();
    for (token, body) in batches.iter().take(10) {
        http.post(format!("{base}/v1/push"))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
            .await
            .expect("push");
    }
    println!(
        "{label:<10} duplicate re-push: {:.0} ops/s",
        (10 * CYCLES) as f64 / t0.elapsed().as_secs_f64()
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    support::on_both("ingest", |label, url| {
        rt.block_on(run(label, url.to_string()));
    });
}
