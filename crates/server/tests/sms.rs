//! The real `dauys-server` binary and one-time codes: never served without
//! a gateway, and with one, codes go to the provider (retried when it
//! fails) and never into the server's output.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;

const SERVER: &str = env!("CARGO_BIN_EXE_dauys-server");

fn server(args: &[&str]) -> Command {
    let mut cmd = Command::new(SERVER);
    cmd.args(args)
        .env_remove("DAUYS_DEMO")
        .env_remove("DAUYS_SMS_URL")
        .env_remove("DAUYS_DEV")
        .env_remove("DAUYS_SECRET")
        .env_remove("DAUYS_SECRET_FILE")
        .env_remove("DAUYS_DATABASE")
        .env("RUST_LOG", "info");
    cmd
}

#[test]
fn refuses_to_serve_without_a_gateway() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = format!("sqlite:{}", dir.path().join("s.db").display());
    let mut child = server(&["--listen", "127.0.0.1:0", "--database", &db])
        .env("DAUYS_SECRET", "ab".repeat(32))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start");
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the server started without an SMS gateway");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let out = child.wait_with_output().expect("output");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!status.success());
    assert!(err.contains("--sms-url"), "{err}");
    // Admin commands need no gateway.
    let out = server(&["migrate", "--database", &db])
        .output()
        .expect("migrate");
    assert!(out.status.success(), "{out:?}");
}

/// Runs the binary until it exits (or fails the test after a minute).
fn exits(cmd: &mut Command) -> std::process::Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start");
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the server kept running");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    child.wait_with_output().expect("output")
}

#[test]
fn the_key_comes_from_outside_the_database() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = format!("sqlite:{}", dir.path().join("k.db").display());
    let sms = "http://127.0.0.1:9/send?to={phone}&text={text}";
    // With a gateway but no key: refused, saying where the key goes.
    let out = exits(&mut server(&[
        "--listen",
        "127.0.0.1:0",
        "--database",
        &db,
        "--sms-url",
        sms,
    ]));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("DAUYS_SECRET"), "{err}");
    // A key in a file is used, and remembered by fingerprint only: another
    // key later is refused (the IIN hashes would stop matching).
    let key = dir.path().join("key");
    std::fs::write(&key, format!("{}\n", "ab".repeat(32))).expect("key");
    let out = exits(
        server(&["migrate", "--database", &db])
            .arg("--secret-file")
            .arg(&key),
    );
    assert!(out.status.success(), "{out:?}");
    std::fs::write(&key, "cd".repeat(32)).expect("key");
    let out = exits(
        server(&["migrate", "--database", &db])
            .arg("--secret-file")
            .arg(&key),
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not the one the database was made with"),
        "{out:?}"
    );
    // An admin command without the key does not make up a new one.
    let out = exits(&mut server(&[
        "census",
        "import",
        "/dev/null",
        "--database",
        &db,
    ]));
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("kept outside it"),
        "{out:?}"
    );
}

/// One request to the provider: its query pairs and Authorization header.
type Call = (Vec<(String, String)>, Option<String>);

#[derive(Default)]
struct Provider {
    calls: Mutex<Vec<Call>>,
}

async fn send(
    State(p): State<Arc<Provider>>,
    Query(q): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> StatusCode {
    let mut calls = p.calls.lock().expect("lock");
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    calls.push((q, auth));
    // The provider is down for the first request: the gateway retries.
    if calls.len() == 1 {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn codes_go_to_the_provider_and_never_to_the_log() {
    let provider = Arc::new(Provider::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let sms_at = listener.local_addr().expect("addr");
    let app = Router::new()
        .route("/send", post(send))
        .with_state(provider.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let dir = tempfile::tempdir().expect("tmp");
    let db = format!("sqlite:{}", dir.path().join("s.db").display());
    let listen = format!("127.0.0.1:{}", free_port());
    let sms_url = format!("http://{sms_at}/send?to={{phone}}&text={{text}}&key={{token}}");
    let mut child = server(&[
        "--demo",
        "--listen",
        &listen,
        "--database",
        &db,
        "--sms-url",
        &sms_url,
    ])
    .env("DAUYS_SMS_TOKEN", "provider-key-1")
    .env("DAUYS_SMS_LANG", "ru")
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .expect("start");
    let output = Arc::new(Mutex::new(String::new()));
    let mut readers = Vec::new();
    let stdout = child.stdout.take().expect("stdout");
    let stderr = child.stderr.take().expect("stderr");
    for stream in [
        Box::new(stdout) as Box<dyn std::io::Read + Send>,
        Box::new(stderr),
    ] {
        let output = output.clone();
        readers.push(std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let mut o = output.lock().expect("lock");
                o.push_str(&line);
                o.push('\n');
            }
        }));
    }
    let base = format!("http://{listen}");
    let http = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    while http.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(Instant::now() < deadline, "server did not start");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // A resident from the demo census the server printed.
    let (iin, phone) = {
        let o = output.lock().expect("lock");
        o.lines()
            .filter_map(|l| {
                let w: Vec<&str> = l.split_whitespace().collect();
                (w.len() >= 2 && w[0].len() == 12 && w[1].starts_with('+'))
                    .then(|| (w[0].to_string(), w[1].to_string()))
            })
            .next()
            .unwrap_or_else(|| panic!("no census printed: {o}"))
    };
    let r = http
        .post(format!("{base}/v1/auth/otp"))
        .json(&serde_json::json!({"iin": iin}))
        .send()
        .await
        .expect("otp");
    assert_eq!(r.status(), 200);

    // The provider gets it on the second try (the first answered 503).
    let deadline = Instant::now() + Duration::from_secs(30);
    let calls = loop {
        let calls = provider.calls.lock().expect("lock").clone();
        if calls.len() >= 2 {
            break calls;
        }
        assert!(Instant::now() < deadline, "provider got {calls:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(calls.len(), 2, "retried until accepted, then stopped");
    let q = &calls[1].0;
    let get = |k: &str| {
        q.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert_eq!(get("to"), phone);
    assert_eq!(get("key"), "provider-key-1");
    let text = get("text");
    assert!(text.starts_with("Код входа в Dauys"), "{text}");
    let code: String = text.chars().filter(char::is_ascii_digit).collect();
    assert!(code.len() >= 6, "{text}");

    // The code signs in…
    let r = http
        .post(format!("{base}/v1/auth/verify"))
        .json(&serde_json::json!({"iin": iin, "code": code,
            "device_key": "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            "device_name": "sms test"}))
        .send()
        .await
        .expect("verify");
    assert_eq!(r.status(), 200);
    // …and appears nowhere in what the server printed, nor the provider's key.
    let _ = child.kill();
    let _ = child.wait();
    for r in readers {
        let _ = r.join();
    }
    let o = output.lock().expect("lock");
    assert!(!o.contains("OTP "), "{o}");
    assert!(
        !o.split(|c: char| !c.is_ascii_digit()).any(|w| w == code),
        "code in the output: {o}"
    );
    assert!(!o.contains("provider-key-1"), "{o}");
    assert!(o.contains("retrying"), "the failed attempt is logged: {o}");
}
