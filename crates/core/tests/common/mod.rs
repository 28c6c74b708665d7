//! Test support: an in-process demo server that can be stopped and
//! restarted on the same port and database, and helpers to sign in.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use dauys_core::components::LocalComponent;
use dauys_core::{Home, HomeConfig, KeyStorePolicy, Profile};
use dauys_server::components::Component;
use dauys_server::sms::MemoryGateway;
use serde_json::{json, Value};

pub struct TestServer {
    pub db: PathBuf,
    pub addr: SocketAddr,
    pub gw: Arc<MemoryGateway>,
    task: Option<tokio::task::JoinHandle<()>>,
    /// Components beside the built-ins (kept for restarts).
    components: Vec<Arc<dyn Component>>,
}

impl TestServer {
    /// Seeds the demo into `db` (if empty) and serves it on a free port.
    pub async fn start(db: &Path) -> TestServer {
        TestServer::start_with(db, Vec::new()).await
    }

    /// As [`TestServer::start`], also running `components`.
    pub async fn start_with(db: &Path, components: Vec<Arc<dyn Component>>) -> TestServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut s = TestServer {
            db: db.to_path_buf(),
            addr,
            gw: Arc::new(MemoryGateway::default()),
            task: None,
            components,
        };
        s.serve(listener);
        s
    }

    fn serve(&mut self, listener: tokio::net::TcpListener) {
        let st = dauys_server::open_state(
            &format!("sqlite:{}", self.db.display()),
            None,
            self.gw.clone(),
        )
        .unwrap();
        let st = if self.components.is_empty() {
            st
        } else {
            st.with_components(self.components.clone()).unwrap()
        };
        {
            let mut c = st.pool.get().unwrap();
            dauys_server::demo::seed_if_empty(&st, &mut *c).unwrap();
        }
        self.task = Some(tokio::spawn(async move {
            let _ = dauys_server::serve(listener, st).await;
        }));
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn stop(&mut self) {
        if let Some(t) = self.task.take() {
            t.abort();
        }
    }

    /// Serves again on the same port and database.
    pub async fn restart(&mut self) {
        self.stop();
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let listener = tokio::net::TcpListener::bind(self.addr).await.unwrap();
        self.serve(listener);
    }

    pub fn code_for(&self, phone: &str) -> String {
        self.gw
            .sent
            .lock()
            .unwrap()
            .get(phone)
            .cloned()
            .expect("no code sent")
    }

    /// Read-only view of the server's database.
    pub fn sql(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.db).unwrap()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop();
    }
}

pub fn person(i: usize) -> dauys_server::demo::Person {
    dauys_server::demo::people()[i].clone()
}

/// Signs a demo resident in through the core API; returns the profile.
pub async fn client(home_dir: &Path, srv: &TestServer, who: usize, kiosk: bool) -> (Home, Profile) {
    client_with(home_dir, srv, who, kiosk, Vec::new()).await
}

/// As [`client`], with `components` registered in the home.
pub async fn client_with(
    home_dir: &Path,
    srv: &TestServer,
    who: usize,
    kiosk: bool,
    components: Vec<Arc<dyn LocalComponent>>,
) -> (Home, Profile) {
    let cfg = HomeConfig {
        keys: KeyStorePolicy::FileOnly,
        components,
        ..HomeConfig::default()
    };
    let home = Home::open(home_dir, cfg).unwrap();
    let prof = sign_in(&home, &srv.url(), srv, who, kiosk).await;
    (home, prof)
}

/// Creates resident `who`'s profile in `home` against `url` and signs it
/// in with the code `srv` sent.
async fn sign_in(home: &Home, url: &str, srv: &TestServer, who: usize, kiosk: bool) -> Profile {
    let p = person(who);
    let info = home
        .create_profile(&format!("resident-{who}"), url, kiosk, Some(&p.iin))
        .unwrap();
    let prof = home.open_profile(&info.id).unwrap();
    prof.request_code(&p.iin).await.unwrap();
    prof.verify(&p.iin, &srv.code_for(&p.phone), "test")
        .await
        .unwrap();
    home.mark_signed_in(&info.id).unwrap();
    prof
}

/// Signs in over raw HTTP (officials' set-up); returns a bearer token.
pub async fn raw_login(srv: &TestServer, who: usize) -> String {
    let p = person(who);
    let http = reqwest::Client::new();
    http.post(format!("{}/v1/auth/otp", srv.url()))
        .json(&json!({"iin": p.iin}))
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    let key = ed25519_dalek::SigningKey::from_bytes(&[who as u8 + 1; 32]);
    let r: Value = http
        .post(format!("{}/v1/auth/verify", srv.url()))
        .json(&json!({"iin": p.iin, "code": srv.code_for(&p.phone),
            "device_key": dauys_proto::hex(key.verifying_key().as_bytes()), "device_name": "setup"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    r["token"].as_str().unwrap().to_string()
}

pub async fn action(srv: &TestServer, token: &str, kind: &str, payload: Value) -> String {
    let r: Value = reqwest::Client::new()
        .post(format!("{}/v1/actions/{kind}", srv.url()))
        .bearer_auth(token)
        .json(&payload)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["status"], "accepted", "{kind}: {r}");
    r["entity_id"].as_str().unwrap().to_string()
}

/// Creates a second cycle in voting in the demo city with 3 proposals on
/// the ballot; returns (cycle id, proposal ids).
pub async fn second_voting_cycle(srv: &TestServer) -> (String, Vec<String>) {
    let official = raw_login(srv, 13).await;
    let moderator = raw_login(srv, 14).await;
    let expert = raw_login(srv, 15).await;
    let cy = action(srv, &official, "cycle.create", json!({
        "locality": dauys_server::demo::CITY, "budget": 10_000_000, "max_projects": 2, "rule": "greedy",
        "title": {"kk": "Тест", "ru": "Тест", "en": "Test"}
    }))
    .await;
    let mut ids = Vec::new();
    for i in 0..3 {
        let id = action(srv, &official, "proposal.submit", json!({
            "cycle_id": cy, "title": format!("Test project {i}"), "description": "Қала үшін", "category": "test", "cost": 1_000_000
        }))
        .await;
        action(
            srv,
            &moderator,
            "proposal.moderate",
            json!({"proposal_id": id, "decision": "accept"}),
        )
        .await;
        action(
            srv,
            &expert,
            "proposal.review",
            json!({"proposal_id": id, "feasible": true, "cost_estimate": 1_000_000}),
        )
        .await;
        ids.push(id);
    }
    action(
        srv,
        &official,
        "cycle.phase",
        json!({"cycle_id": cy, "phase": "voting"}),
    )
    .await;
    (cy, ids)
}

/// A photo with EXIF-free pixels, `w`×`h`, as PNG.
pub fn make_photo(path: &Path, w: u32, h: u32, seed: u32) {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        // Smooth gradients with some structure, like a photo (noise would
        // make unrealistically large JPEGs).
        let r = (x * 255 / w.max(1)) as u8;
        let g = (y * 255 / h.max(1)) as u8;
        let b = if ((x / 97) + (y / 89) + seed) & 1 == 0 {
            60
        } else {
            190
        };
        image::Rgb([r, g, b])
    });
    img.save(path).unwrap();
}

/// A TCP proxy that counts bytes and can cut connections after a budget of
/// client→server bytes (a dropped link, without root).
pub struct CutProxy {
    pub addr: SocketAddr,
    pub up: Arc<std::sync::atomic::AtomicU64>,
    pub down: Arc<std::sync::atomic::AtomicU64>,
    /// Remaining client→server bytes before every connection is cut;
    /// `u64::MAX`: unlimited.
    pub budget: Arc<std::sync::atomic::AtomicU64>,
    pub connections: Arc<std::sync::atomic::AtomicU64>,
}

impl CutProxy {
    pub async fn start(upstream: SocketAddr) -> CutProxy {
        use std::sync::atomic::{AtomicU64, Ordering};
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let p = CutProxy {
            addr: l.local_addr().unwrap(),
            up: Arc::new(AtomicU64::new(0)),
            down: Arc::new(AtomicU64::new(0)),
            budget: Arc::new(AtomicU64::new(u64::MAX)),
            connections: Arc::new(AtomicU64::new(0)),
        };
        let (up, down, budget, conns) = (
            p.up.clone(),
            p.down.clone(),
            p.budget.clone(),
            p.connections.clone(),
        );
        tokio::spawn(async move {
            while let Ok((client, _)) = l.accept().await {
                conns.fetch_add(1, Ordering::Relaxed);
                let Ok(server) = tokio::net::TcpStream::connect(upstream).await else {
                    continue;
                };
                let (mut cr, mut cw) = client.into_split();
                let (mut sr, mut sw) = server.into_split();
                let (up, down, budget) = (up.clone(), down.clone(), budget.clone());
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 16 * 1024];
                    let c2s = async {
                        loop {
                            let n = match cr.read(&mut buf).await {
                                Ok(0) | Err(_) => break,
                                Ok(n) => n,
                            };
                            let left = budget.load(Ordering::SeqCst);
                            if left != u64::MAX {
                                if (n as u64) > left {
                                    budget.store(0, Ordering::SeqCst);
                                    break; // cut: drop both halves
                                }
                                budget.store(left - n as u64, Ordering::SeqCst);
                            }
                            up.fetch_add(n as u64, Ordering::Relaxed);
                            if sw.write_all(&buf[..n]).await.is_err() {
                                break;
                            }
                        }
                    };
                    let s2c = async {
                        let mut buf = vec![0u8; 16 * 1024];
                        loop {
                            let n = match sr.read(&mut buf).await {
                                Ok(0) | Err(_) => break,
                                Ok(n) => n,
                            };
                            down.fetch_add(n as u64, Ordering::Relaxed);
                            if cw.write_all(&buf[..n]).await.is_err() {
                                break;
                            }
                        }
                    };
                    tokio::select! { _ = c2s => {}, _ = s2c => {} }
                });
            }
        });
        p
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn reset_counts(&self) {
        self.up.store(0, std::sync::atomic::Ordering::SeqCst);
        self.down.store(0, std::sync::atomic::Ordering::SeqCst);
    }
}

/// Signs in through an arbitrary URL (e.g. a proxy in front of `srv`).
pub async fn client_via(
    home_dir: &Path,
    url: &str,
    srv: &TestServer,
    who: usize,
) -> (Home, Profile) {
    let home = Home::open(
        home_dir,
        HomeConfig {
            keys: KeyStorePolicy::FileOnly,
            ..HomeConfig::default()
        },
    )
    .unwrap();
    let prof = sign_in(&home, url, srv, who, false).await;
    (home, prof)
}

/// A photo with fine detail (large JPEG), `w`×`h`, as PNG.
pub fn make_busy_photo(path: &Path, w: u32, h: u32) {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let v = x
            .wrapping_mul(2654435761)
            .wrapping_add(y.wrapping_mul(40503))
            ^ (x * y);
        image::Rgb([
            (v % 251) as u8,
            ((v >> 8) % 253) as u8,
            ((v >> 16) % 255) as u8,
        ])
    });
    img.save(path).unwrap();
}

/// Every file below `dir`, recursively.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}
