//! Shared by the CLI tests: the real server binary as a child process.
#![allow(dead_code)]

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub fn dauys() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_dauys"))
}

/// The test binary itself, re-run as a demo server (`serve_child`): the
/// same code as `dauys-server --demo`, built with this test, killable with
/// SIGKILL like the real binary.
pub fn server_bin() -> PathBuf {
    std::env::current_exe().expect("current exe")
}

/// Not a test: the body of the server child process.
#[test]
#[ignore = "runs only as the server child of other tests"]
fn serve_child() {
    let (Ok(db), Ok(listen)) = (
        std::env::var("DAUYS_TEST_SERVE_DB"),
        std::env::var("DAUYS_TEST_SERVE_LISTEN"),
    ) else {
        return;
    };
    // A path is a SQLite file; a `postgres://` URL is shared by every
    // instance started on it. Opened before the runtime: PostgreSQL's
    // client blocks, which a runtime's thread may not.
    let url = if db.starts_with("postgres") {
        db.clone()
    } else {
        format!("sqlite:{db}")
    };
    let st = dauys_server::open_state(&url, None, Arc::new(dauys_server::sms::LogGateway)).unwrap();
    {
        let mut c = st.pool.get().unwrap();
        dauys_server::demo::seed_if_empty(&st, &mut *c).unwrap();
        // More residents (rows `iin,phone,locality`), for tests with many
        // devices; imported again by every start (an upsert).
        if let Ok(csv) = std::env::var("DAUYS_TEST_SERVE_CENSUS") {
            let f = std::fs::File::open(csv).unwrap();
            dauys_server::census::import_csv(&st, &mut *c, f).unwrap();
        }
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let l = tokio::net::TcpListener::bind(&listen).await.unwrap();
        dauys_server::serve(l, st).await.unwrap();
    });
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub struct Server {
    pub bin: PathBuf,
    pub db: PathBuf,
    pub listen: String,
    pub child: Option<Child>,
    pub otp: Arc<Mutex<Vec<(String, String)>>>,
    /// Codes already handed out per phone: `code_for` waits for a newer one
    /// (the server prints a code after answering, so a test asking right
    /// after a request could otherwise get the previous, used code).
    pub taken: Mutex<std::collections::HashMap<String, usize>>,
    pub census: Arc<Mutex<Vec<String>>>,
    /// Messages the server's log gateway sent (`SMS <phone> <text>`).
    pub sms: Arc<Mutex<Vec<(String, String)>>>,
    /// Extra census rows the server imports when it starts.
    pub census_csv: Option<PathBuf>,
}

impl Server {
    /// A server on a free local port with its database `server.db` in `dir`.
    pub fn start_in(dir: &Path) -> Server {
        Server::start(
            &dir.join("server.db"),
            &format!("127.0.0.1:{}", free_port()),
        )
    }

    pub fn start(db: &Path, listen: &str) -> Server {
        let mut s = Server::new(db, listen);
        s.spawn();
        s
    }

    /// A server not started yet (set `census_csv`, then `spawn`).
    pub fn new(db: &Path, listen: &str) -> Server {
        Server {
            bin: server_bin(),
            db: db.to_path_buf(),
            listen: listen.to_string(),
            child: None,
            otp: Arc::default(),
            taken: Mutex::default(),
            census: Arc::default(),
            sms: Arc::default(),
            census_csv: None,
        }
    }

    pub fn spawn(&mut self) {
        let mut child = Command::new(&self.bin)
            .args([
                "--exact",
                "support::serve_child",
                "--ignored",
                "--nocapture",
                "--test-threads",
                "1",
            ])
            .env("DAUYS_TEST_SERVE_DB", &self.db)
            .env("DAUYS_TEST_SERVE_LISTEN", &self.listen)
            .envs(
                self.census_csv
                    .iter()
                    .map(|p| ("DAUYS_TEST_SERVE_CENSUS", p)),
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dauys-server");
        let out = child.stdout.take().expect("stdout");
        let otp = self.otp.clone();
        let census = self.census.clone();
        let sms = self.sms.clone();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
                // The harness may print "test … " before the first line.
                let line = match line.find("OTP ") {
                    Some(i) => line[i..].to_string(),
                    None => line,
                };
                let parts: Vec<&str> = line.split_whitespace().collect();
                if let Some(rest) = line.split_once("SMS ").map(|(_, r)| r) {
                    if let Some((phone, text)) = rest.split_once(' ') {
                        sms.lock()
                            .unwrap()
                            .push((phone.to_string(), text.to_string()));
                    }
                } else if parts.len() == 3 && parts[0] == "OTP" {
                    otp.lock()
                        .unwrap()
                        .push((parts[1].to_string(), parts[2].to_string()));
                } else if parts
                    .first()
                    .is_some_and(|w| w.len() == 12 && w.chars().all(|c| c.is_ascii_digit()))
                {
                    census.lock().unwrap().push(line.clone());
                }
            }
        });
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(60);
        while std::net::TcpStream::connect(&self.listen).is_err() {
            assert!(Instant::now() < deadline, "server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.listen)
    }

    /// SIGKILL.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// The one-time code of the latest request for `phone` — one not handed
    /// out before (each request prints exactly one code).
    pub fn code_for(&self, phone: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut taken = self.taken.lock().unwrap();
        let before = taken.get(phone).copied().unwrap_or(0);
        loop {
            let codes: Vec<String> = self
                .otp
                .lock()
                .unwrap()
                .iter()
                .filter(|(p, _)| p == phone)
                .map(|(_, c)| c.clone())
                .collect();
            if codes.len() > before {
                taken.insert(phone.to_string(), codes.len());
                return codes[codes.len() - 1].clone();
            }
            assert!(Instant::now() < deadline, "no new OTP for {phone}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn sql(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.db).unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Runs `dauys --home HOME --server URL ARGS…`; returns (exit code, stdout).
pub fn run(home: &Path, server: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(dauys())
        .arg("--home")
        .arg(home)
        .args(["--server", server, "--key-files"])
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run dauys");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Demo resident `i` (IIN, phone) from the server's census table.
pub fn person(i: usize) -> (String, String) {
    let p = &dauys_server::demo::people()[i];
    (p.iin.clone(), p.phone.clone())
}

/// Signs resident `i` in with the CLI.
pub fn login(home: &Path, srv: &Server, i: usize, extra: &[&str]) {
    let (iin, phone) = person(i);
    let mut a = vec!["login", "--iin", iin.as_str()];
    a.extend_from_slice(extra);
    let (code, out, err) = run(home, &srv.url(), &a);
    assert_eq!(code, 0, "{out}{err}");
    let otp = srv.code_for(&phone);
    a.extend_from_slice(&["--code", otp.as_str()]);
    let (code, out, err) = run(home, &srv.url(), &a);
    assert_eq!(code, 0, "{out}{err}");
}

/// Opens the CLI's home through the library, keys in files (as the CLI
/// tests run it: no OS keyring on CI).
pub fn open_home(home: &Path) -> dauys_core::Home {
    dauys_core::Home::open(
        home,
        dauys_core::HomeConfig {
            keys: dauys_core::KeyStorePolicy::FileOnly,
            ..dauys_core::HomeConfig::default()
        },
    )
    .unwrap()
}

/// Parses the CLI's `--json` output.
pub fn json(out: &str) -> serde_json::Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

/// The cycle in its voting phase, as `dauys --json cycles` lists it.
pub fn voting_cycle(home: &Path, url: &str) -> serde_json::Value {
    let cycles = json(&run(home, url, &["--json", "cycles"]).1);
    cycles
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["phase"] == "voting")
        .unwrap()
        .clone()
}

/// Ids of the cycle's proposals on the ballot, as `dauys --json proposals` lists them.
pub fn on_ballot_ids(home: &Path, url: &str, cycle: &str) -> Vec<String> {
    let props = json(&run(home, url, &["--json", "proposals", "--cycle", cycle]).1);
    props
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["status"] == "on_ballot")
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect()
}

/// A small seeded generator (the seed is printed, so a failing run of the
/// crash tests can be replayed).
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}
