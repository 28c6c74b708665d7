//! A real election replayed through `/v1/push`: Warszawa 2026 (61,668
//! approval ballots over 83 projects, greedy with a 3,000-vote threshold,
//! from `../shared/pabulib`), each ballot signed by its own resident's
//! device key and pushed by one of 200 concurrent devices over real HTTP,
//! on SQLite and (when `DAUYS_TEST_POSTGRES` is set) PostgreSQL.
//!
//! Prints throughput and push latency (p50/p99), then closes the vote and
//! checks that what the server stored counts to the city's official
//! selection. Skips with a message where `../shared` is absent.
//!
//! `cargo bench -p dauys-server --features demo --bench replay`
//! (`DAUYS_REPLAY_VOTERS=N` replays only the first N ballots: a quick run,
//! whose selection is not compared).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use dauys_proto::{Op, OpKind, OpOutcome, PushResponse};
use dauys_server::demo;
use dauys_server::error::AppResult;
use dauys_server::sms::MemoryGateway;
use dauys_tally::Election;
use ed25519_dalek::{Signer, SigningKey};
use serde_json::json;

mod support;

const DEVICES: usize = 200;
const FILE: &str = "Poland_Warszawa_2026.pb";

/// One voter, ready before the clock starts: a session token and the
/// signed push body holding their ballot.
struct Voter {
    token: String,
    body: Vec<u8>,
}

fn election_file() -> Option<PathBuf> {
    let dir = std::env::var_os("DAUYS_PABULIB")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/pabulib")
        });
    let f = dir.join(FILE);
    f.is_file().then_some(f)
}

/// A valid, distinct IIN for voter `i` (born 1950–1999, so of voting age).
fn iin_of(i: usize) -> String {
    let start = time::Date::from_calendar_date(1950, time::Month::January, 1).expect("date");
    let day = start + time::Duration::days((i % 18_000) as i64);
    let block = (i / 18_000) as u16;
    (0..100u16)
        .find_map(|k| dauys_proto::iin::make(day, dauys_proto::iin::Sex::Male, 1 + block * 100 + k))
        .expect("an IIN with a valid checksum")
}

fn signing_key(i: usize) -> SigningKey {
    let mut seed = [7u8; 32];
    seed[..8].copy_from_slice(&(i as u64).to_le_bytes());
    SigningKey::from_bytes(&seed)
}

/// The server, the cycle with the election's projects on its ballot, and
/// every voter in the census with a device and a session.
fn setup(
    url: &str,
    e: &Election,
    n: usize,
) -> (
    dauys_server::state::AppState,
    String,
    Vec<(String, String)>,
    Vec<Voter>,
) {
    let sms = Arc::new(MemoryGateway::default());
    let st = dauys_server::open_state(url, None, sms).expect("open");
    let mut c = st.pool.get().expect("conn");
    demo::seed_if_empty(&st, &mut *c).expect("seed");
    let official_p = demo::people()
        .into_iter()
        .find(|p| p.label.starts_with("official, Pavlodar"))
        .expect("official");
    let hash = dauys_server::crypto::iin_hash(&st.secret, &official_p.iin);
    let uid: String = c
        .query_one(
            "SELECT id FROM residents WHERE iin_hash = $1",
            dauys_server::params![hash],
        )
        .expect("q")
        .expect("row")
        .only()
        .expect("id");
    let official =
        dauys_server::auth::load_actor_by_user(&st, &mut *c, &uid, "bench").expect("actor");
    let max = e.meta("max_length").and_then(|v| v.parse::<i64>().ok());
    let threshold = e
        .meta("min_project_score_threshold")
        .and_then(|v| v.parse::<i64>().ok());
    // (pabulib project id, server proposal id), in the file's order: the
    // ballot's order, which breaks ties as the file's does.
    let mut projects = Vec::new();
    let cycle = dauys_server::db::write_tx(&mut *c, |c| -> AppResult<String> {
        projects.clear();
        let cy = demo::act(c, &st, &official, OpKind::CycleCreate, json!({
            "locality": demo::CITY, "budget": e.budget, "max_projects": max,
            "budget_limited_ballot": false, "rule": "greedy-threshold", "min_votes": threshold,
            "title": {"kk": "Warszawa 2026", "ru": "Warszawa 2026", "en": "Warszawa 2026"}}))?;
        for p in &e.projects {
            let id = demo::act(c, &st, &official, OpKind::ProposalSubmit, json!({"cycle_id": cy,
                "title": format!("Projekt {}", p.id), "description": "Warszawa 2026", "category": "c", "cost": p.cost}))?;
            demo::act(c, &st, &official, OpKind::ProposalModerate, json!({"proposal_id": id, "decision": "accept"}))?;
            demo::act(c, &st, &official, OpKind::ProposalReview, json!({"proposal_id": id, "feasible": true, "cost_estimate": p.cost}))?;
            projects.push((p.id.clone(), id));
        }
        demo::act(c, &st, &official, OpKind::CyclePhase, json!({"cycle_id": cy, "phase": "voting"}))?;
        Ok(cy)
    })
    .expect("cycle");
    let now = st.clock.now_ms();
    let mut tokens = Vec::with_capacity(n);
    let mut users = Vec::with_capacity(n);
    // The census, devices and sessions, written directly (the sign-in
    // path is measured elsewhere): 5,000 voters per transaction.
    for chunk in (0..n).collect::<Vec<_>>().chunks(5_000) {
        let mut part = Vec::with_capacity(chunk.len());
        dauys_server::db::write_tx(&mut *c, |c| -> AppResult<()> {
            // A retried transaction starts its chunk over.
            part.clear();
            for &i in chunk {
                let (user, _) = dauys_server::census::upsert_resident(
                    &st,
                    c,
                    &iin_of(i),
                    &format!("+7705{i:07}"),
                    demo::CITY,
                )?;
                let device = uuid::Uuid::now_v7().to_string();
                c.exec(
                    "INSERT INTO devices (id, user_id, public_key, name, created_at) VALUES ($1, $2, $3, 'replay', $4)",
                    dauys_server::params![&device, &user, dauys_proto::hex(signing_key(i).verifying_key().as_bytes()), now],
                )?;
                let token = dauys_server::crypto::random_token();
                c.exec(
                    "INSERT INTO sessions (token_hash, user_id, device_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
                    dauys_server::params![dauys_server::crypto::sha256_hex(token.as_bytes()), &user, &device, now, now + 86_400_000],
                )?;
                part.push((token, user));
            }
            Ok(())
        })
        .expect("voters");
        for (token, user) in part {
            tokens.push(token);
            users.push(user);
        }
    }
    let server = st.server_id.to_string();
    let voters = e.voters[..n]
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let ids: Vec<&str> = v
                .vote
                .iter()
                .map(|&k| projects[k as usize].1.as_str())
                .collect();
            let mut op = Op {
                id: uuid::Uuid::now_v7(),
                kind: "ballot.cast".into(),
                payload: json!({"cycle_id": cycle, "proposal_ids": ids}),
                client_ts: now,
                signature: None,
            };
            op.signature = Some(dauys_proto::hex(
                &signing_key(i)
                    .sign(&dauys_proto::signing_bytes_bound(&op, &server, &users[i]))
                    .to_bytes(),
            ));
            Voter {
                token: tokens[i].clone(),
                body: serde_json::to_vec(&json!({ "ops": [op] })).expect("json"),
            }
        })
        .collect();
    drop(c);
    (st, cycle, projects, voters)
}

async fn run(label: &str, url: String, e: Arc<Election>, n: usize) {
    let t_setup = Instant::now();
    let e2 = e.clone();
    let (st, cycle, projects, voters) = tokio::task::spawn_blocking(move || setup(&url, &e2, n))
        .await
        .expect("setup");
    println!(
        "{label:<10} set-up: {n} voters in the census with a device and a session, {} projects on the ballot ({:.0} s)",
        projects.len(),
        t_setup.elapsed().as_secs_f64()
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(dauys_server::serve(listener, st.clone()));
    let voters = Arc::new(voters);
    let t0 = Instant::now();
    let mut tasks = Vec::new();
    for d in 0..DEVICES {
        let (voters, base) = (voters.clone(), base.clone());
        tasks.push(tokio::spawn(async move {
            // One device, one connection: it carries its share of the
            // city's voters, one push per ballot as each voter's app does.
            let http = reqwest::Client::new();
            let mut lat = Vec::new();
            let mut accepted = 0usize;
            for v in voters.iter().skip(d).step_by(DEVICES) {
                let t = Instant::now();
                let r: PushResponse = http
                    .post(format!("{base}/v1/push"))
                    .bearer_auth(&v.token)
                    .header("content-type", "application/json")
                    .body(v.body.clone())
                    .send()
                    .await
                    .expect("push")
                    .json()
                    .await
                    .expect("json");
                lat.push(t.elapsed());
                for res in &r.results {
                    match &res.outcome {
                        OpOutcome::Accepted { .. } => accepted += 1,
                        other => panic!("ballot refused: {other:?}"),
                    }
                }
            }
            (accepted, lat)
        }));
    }
    let mut accepted = 0;
    let mut lat = Vec::with_capacity(n);
    for t in tasks {
        let (a, l) = t.await.expect("device");
        accepted += a;
        lat.extend(l);
    }
    let secs = t0.elapsed().as_secs_f64();
    lat.sort();
    assert_eq!(accepted, n, "every ballot accepted");
    let (groups, pushes) = st.group_commit.stats();
    let (sign_ins, signed) = st.push_auth.stats();
    println!(
        "{label:<10} {n} ballots from {DEVICES} devices in {secs:.1} s: {:.0} ballots/s; push latency p50 {:.1} ms, p99 {:.1} ms; {:.0} pushes per sign-in batch, {:.0} per group commit",
        n as f64 / secs,
        support::percentile(&lat, 0.50),
        support::percentile(&lat, 0.99),
        signed as f64 / sign_ins.max(1) as f64,
        pushes as f64 / groups.max(1) as f64,
    );
    // Close the vote as the console does, count outside the write lock,
    // and compare what was stored with the official outcome.
    let full = n == e.voters.len();
    let official = e.selected_in_file("1").unwrap_or_default();
    let st2 = st.clone();
    let selected = tokio::task::spawn_blocking(move || {
        let mut c = st2.pool.get().expect("conn");
        let stored: i64 = c
            .query_one(
                "SELECT COUNT(*) AS n FROM ballots WHERE cycle_id = $1",
                dauys_server::params![&cycle],
            )
            .expect("q")
            .expect("row")
            .get("n")
            .expect("n");
        assert_eq!(stored as usize, n, "one stored ballot per voter");
        dauys_server::db::write_tx(&mut *c, |c| -> AppResult<()> {
            c.exec(
                "UPDATE cycles SET phase = 'tallying' WHERE id = $1",
                dauys_server::params![&cycle],
            )?;
            Ok(())
        })
        .expect("close");
        let t = Instant::now();
        dauys_server::components::budgets::cycles::count_closed(
            &mut *c,
            std::slice::from_ref(&cycle),
            st2.clock.now_ms(),
        )
        .expect("count");
        let counted = t.elapsed();
        let mut selected: Vec<String> = c
            .query(
                "SELECT id FROM proposals WHERE cycle_id = $1 AND status = 'selected'",
                dauys_server::params![&cycle],
            )
            .expect("q")
            .iter()
            .map(|r| r.get::<String>("id").expect("id"))
            .map(|id| {
                projects
                    .iter()
                    .find(|(_, p)| *p == id)
                    .map(|(pb, _)| pb.clone())
                    .expect("a project of the file")
            })
            .collect();
        selected.sort();
        (selected, counted)
    })
    .await
    .expect("count");
    let (mut selected, counted) = selected;
    selected.sort();
    let mut official = official;
    official.sort();
    if full {
        assert_eq!(
            selected, official,
            "the stored ballots count to the official selection"
        );
        println!(
            "{label:<10} counted in {:.0} ms: {} projects selected, the official selection",
            counted.as_secs_f64() * 1000.0,
            selected.len()
        );
    } else {
        println!(
            "{label:<10} counted in {:.0} ms: {} projects selected (a partial replay: not compared)",
            counted.as_secs_f64() * 1000.0,
            selected.len()
        );
    }
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let Some(file) = election_file() else {
        println!("replay skipped: {FILE} not found (../shared/pabulib beside the project, or DAUYS_PABULIB)");
        return;
    };
    let text = std::fs::read_to_string(&file).expect("read");
    let e = Arc::new(dauys_tally::pabulib::parse(&text).expect("parse"));
    let n = std::env::var("DAUYS_REPLAY_VOTERS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .map_or(e.voters.len(), |v| v.min(e.voters.len()));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    support::on_both("replay", |label, url| {
        rt.block_on(run(label, url.to_string(), e.clone(), n));
    });
}
