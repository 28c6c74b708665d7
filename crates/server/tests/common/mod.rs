//! Test harness: a real server on loopback (SQLite file, or PostgreSQL when
//! `DAUYS_TEST_POSTGRES` is set), real HTTP, demo data, signing clients.
#![allow(dead_code)]

use std::sync::Arc;

use dauys_proto::{Op, OpResult, PushResponse, SessionResponse};
use dauys_server::demo::{self, Person};
use dauys_server::sms::MemoryGateway;
use dauys_server::state::AppState;
use ed25519_dalek::{Signer, SigningKey};
use serde_json::{json, Value};

pub struct Server {
    pub base: String,
    pub st: AppState,
    pub sms: Arc<MemoryGateway>,
    pub http: reqwest::Client,
    /// The database's URL (another server may open it too).
    pub db_url: String,
    _dir: Option<TempDir>,
    _db: Option<PgDb>,
}

/// A test's own PostgreSQL database, dropped when the test ends (hundreds
/// of tests each leaving ~8 MB filled CI disks).
pub struct PgDb {
    admin: String,
    name: String,
}

impl Drop for PgDb {
    fn drop(&mut self) {
        let (admin, name) = (self.admin.clone(), self.name.clone());
        // Its own thread: a test's runtime may not block, and `FORCE` ends
        // the server's pooled connections.
        let _ = std::thread::spawn(move || {
            if let Ok(mut c) = postgres::Client::connect(&admin, postgres::NoTls) {
                let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        })
        .join();
    }
}

pub struct TempDir(pub std::path::PathBuf);
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh, empty PostgreSQL database for one test, or `None` to skip.
fn postgres_url() -> Option<(String, PgDb)> {
    let admin = std::env::var("DAUYS_TEST_POSTGRES").ok()?;
    let name = format!("dauys_test_{}", uuid::Uuid::now_v7().simple());
    let admin2 = admin.clone();
    let name2 = name.clone();
    std::thread::spawn(move || {
        let mut c = postgres::Client::connect(&admin2, postgres::NoTls)
            .expect("connect to DAUYS_TEST_POSTGRES");
        c.batch_execute(&format!("CREATE DATABASE {name2}"))
            .expect("create test database");
    })
    .join()
    .expect("create database thread");
    let (prefix, _) = admin
        .rsplit_once('/')
        .expect("postgres URL with a database name");
    let url = format!("{prefix}/{name}");
    Some((url, PgDb { admin, name }))
}

impl Server {
    /// Starts a seeded demo server, or returns `None` (after saying why) when
    /// the backend is not available here.
    pub async fn start(backend: Backend) -> Option<Server> {
        Self::start_with(backend, true).await
    }

    pub async fn start_with(backend: Backend, seed: bool) -> Option<Server> {
        Self::start_prepared(backend, seed, |_| {}).await
    }

    /// Like [`Server::start_with`], running `prepare` on the fresh database
    /// URL before the server opens it (e.g. to leave an older schema).
    pub async fn start_prepared(
        backend: Backend,
        seed: bool,
        prepare: impl FnOnce(&str) + Send + 'static,
    ) -> Option<Server> {
        Self::start_custom(backend, seed, prepare, Ok).await
    }

    /// The most general start: `prepare` runs on the fresh database URL,
    /// `configure` on the opened state (e.g. to register components).
    pub async fn start_custom(
        backend: Backend,
        seed: bool,
        prepare: impl FnOnce(&str) + Send + 'static,
        configure: impl FnOnce(AppState) -> dauys_server::error::AppResult<AppState> + Send + 'static,
    ) -> Option<Server> {
        let (url, dir, db) = match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(format!("dauys-test-{}", uuid::Uuid::now_v7()));
                std::fs::create_dir_all(&dir).ok()?;
                (
                    format!("sqlite:{}", dir.join("t.db").display()),
                    Some(TempDir(dir)),
                    None,
                )
            }
            Backend::Postgres => match tokio::task::spawn_blocking(postgres_url).await.ok()? {
                Some((u, db)) => (u, None, Some(db)),
                None => {
                    eprintln!("SKIP: DAUYS_TEST_POSTGRES is not set; PostgreSQL variant not run");
                    return None;
                }
            },
        };
        let sms = Arc::new(MemoryGateway::default());
        let sms2 = sms.clone();
        let db_url = url.clone();
        let st = tokio::task::spawn_blocking(move || {
            prepare(&url);
            let st = dauys_server::open_state(&url, None, sms2).expect("open state");
            let st = configure(st).expect("configure state");
            if seed {
                let mut c = st.pool.get().expect("conn");
                demo::seed_if_empty(&st, &mut *c).expect("seed demo");
            }
            st
        })
        .await
        .expect("join");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let st2 = st.clone();
        tokio::spawn(async move {
            let _ = dauys_server::serve(listener, st2).await;
        });
        Some(Server {
            base,
            st,
            sms,
            http: reqwest::Client::builder()
                .gzip(true)
                .build()
                .expect("client"),
            db_url,
            _dir: dir,
            _db: db,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> (u16, Value) {
        let mut rq = self.http.post(self.url(path)).json(body);
        if let Some(t) = token {
            rq = rq.bearer_auth(t);
        }
        let r = rq.send().await.expect("send");
        let status = r.status().as_u16();
        let v = r.json::<Value>().await.unwrap_or(Value::Null);
        (status, v)
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> (u16, Value) {
        let mut rq = self.http.get(self.url(path));
        if let Some(t) = token {
            rq = rq.bearer_auth(t);
        }
        let r = rq.send().await.expect("send");
        let status = r.status().as_u16();
        (status, r.json::<Value>().await.unwrap_or(Value::Null))
    }

    pub fn last_code(&self, phone: &str) -> String {
        self.sms
            .sent
            .lock()
            .expect("lock")
            .get(phone)
            .cloned()
            .expect("a code was sent")
    }

    /// Signs in a person with a fresh device key.
    pub async fn sign_in(&self, p: &Person) -> Client {
        let (s, _) = self
            .post("/v1/auth/otp", None, &json!({"iin": p.iin}))
            .await;
        assert_eq!(s, 200);
        let key = SigningKey::from_bytes(&rand_bytes());
        let code = self.last_code(&p.phone);
        let (s, v) = self
            .post(
                "/v1/auth/verify",
                None,
                &json!({"iin": p.iin, "code": code, "device_key": dauys_proto::hex(key.verifying_key().as_bytes()), "device_name": "test"}),
            )
            .await;
        assert_eq!(s, 200, "{v}");
        let sess: SessionResponse = serde_json::from_value(v).expect("session");
        Client {
            token: sess.token,
            key,
            me: sess.me,
        }
    }

    /// Runs SQL against the server's database (for counting effects).
    pub async fn count(&self, sql: &'static str, params: Vec<dauys_server::db::Value>) -> i64 {
        let st = self.st.clone();
        tokio::task::spawn_blocking(move || {
            let mut c = st.pool.get().expect("conn");
            c.query_one(sql, &params)
                .expect("query")
                .expect("row")
                .only::<i64>()
                .expect("int")
        })
        .await
        .expect("join")
    }

    /// Runs a statement against the server's database (to set up a state
    /// no op can reach).
    pub async fn exec(&self, sql: &'static str, params: Vec<dauys_server::db::Value>) {
        let st = self.st.clone();
        tokio::task::spawn_blocking(move || {
            let mut c = st.pool.get().expect("conn");
            c.exec(sql, &params).expect("exec");
        })
        .await
        .expect("join");
    }

    /// Runs SQL text (no parameters) against the server's database.
    pub async fn exec_owned(&self, sql: String) {
        let st = self.st.clone();
        tokio::task::spawn_blocking(move || {
            let mut c = st.pool.get().expect("conn");
            c.batch(&sql).expect("exec");
        })
        .await
        .expect("join");
    }

    pub fn dialect(&self) -> dauys_server::db::Dialect {
        self.st.pool.dialect()
    }

    /// What a second server starting on this database does at start-up
    /// (migrations, housekeeping), run to completion.
    pub async fn start_another_on_same_db(&self) {
        let url = self.db_url.clone();
        tokio::task::spawn_blocking(move || {
            dauys_server::open_state(&url, None, Arc::new(MemoryGateway::default())).map(|_| ())
        })
        .await
        .expect("join")
        .expect("open state");
    }

    pub fn set_today(&self, date: &str) {
        let d = dauys_proto::workdays::parse_date(date).expect("date");
        self.st.clock.set_now_ms(dauys_server::clock::noon_ms(d));
    }

    pub fn person(&self, label_contains: &str, nth: usize) -> Person {
        demo::people()
            .into_iter()
            .filter(|p| p.label.contains(label_contains))
            .nth(nth)
            .expect("person")
    }

    /// Voting cycle of the demo city.
    pub async fn voting_cycle(&self) -> Value {
        self.cycle_in_phase("voting").await
    }

    /// Id of the demo city's cycle collecting proposals.
    pub async fn collecting_cycle_id(&self) -> String {
        let c = self.cycle_in_phase("collecting").await;
        c["id"].as_str().expect("id").to_string()
    }

    /// The demo city's cycle in `phase`.
    async fn cycle_in_phase(&self, phase: &str) -> Value {
        let (_, v) = self
            .get(&format!("/v1/cycles?locality={}", demo::CITY), None)
            .await;
        v.as_array()
            .expect("cycles")
            .iter()
            .find(|c| c["phase"] == phase)
            .cloned()
            .unwrap_or_else(|| panic!("a {phase} cycle"))
    }

    pub async fn ballot_projects(&self, cycle_id: &str) -> Vec<(String, i64)> {
        let (_, v) = self
            .get(&format!("/v1/cycles/{cycle_id}/proposals"), None)
            .await;
        v.as_array()
            .expect("proposals")
            .iter()
            .filter(|p| p["status"] == "on_ballot")
            .map(|p| {
                (
                    p["id"].as_str().unwrap_or_default().to_string(),
                    p["expert_cost"].as_i64().unwrap_or(0),
                )
            })
            .collect()
    }
}

pub fn rand_bytes() -> [u8; 32] {
    use rand::RngCore;
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    b
}

pub struct Client {
    pub token: String,
    pub key: SigningKey,
    pub me: dauys_proto::Me,
}

impl Client {
    pub fn op(&self, kind: &str, payload: Value) -> Op {
        let mut op = Op {
            id: uuid::Uuid::now_v7(),
            kind: kind.into(),
            payload,
            client_ts: dauys_server::clock::now_ms(),
            signature: None,
        };
        op.signature = Some(dauys_proto::hex(
            &self.key.sign(&dauys_proto::signing_bytes(&op)).to_bytes(),
        ));
        op
    }

    pub async fn push(&self, srv: &Server, ops: &[Op]) -> Vec<OpResult> {
        let (s, v) = srv
            .post("/v1/push", Some(&self.token), &json!({ "ops": ops }))
            .await;
        assert_eq!(s, 200, "{v}");
        serde_json::from_value::<PushResponse>(v)
            .expect("push response")
            .results
    }

    /// Pushes one op and returns its outcome as JSON.
    pub async fn one(&self, srv: &Server, kind: &str, payload: Value) -> Value {
        let op = self.op(kind, payload);
        let r = self.push(srv, std::slice::from_ref(&op)).await;
        serde_json::to_value(&r[0]).expect("json")
    }
}

/// Generates a SQLite and a PostgreSQL variant of an async test body.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, $body:ident) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                if let Some(s) = common::Server::start(common::Backend::Sqlite).await {
                    $body(s).await;
                }
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                if let Some(s) = common::Server::start(common::Backend::Postgres).await {
                    $body(s).await;
                }
            }
        }
    };
}
