//! Where one-time codes (and residents' opt-in notices) go.
//!
//! A real deployment sends them through an SMS provider over HTTP
//! ([`HttpGateway`]); printing them ([`LogGateway`]) is for the demo and
//! development only, since whoever reads a log with codes in it can sign in
//! as anyone (`main.rs` refuses to serve without a real gateway otherwise).

use std::sync::Arc;
use std::time::Duration;

use backon::{ExponentialBuilder, Retryable};
use tokio::sync::{mpsc, Semaphore};

use crate::console::i18n::{Lang, Tr};

pub trait SmsGateway: Send + Sync {
    fn send_code(&self, phone: &str, code: &str);
    /// A ready message (a notice the resident asked for).
    fn send_text(&self, phone: &str, text: &str);
}

/// Prints `OTP <phone> <code>` on stdout (demo, development and tests).
pub struct LogGateway;

impl SmsGateway for LogGateway {
    fn send_code(&self, phone: &str, code: &str) {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "OTP {phone} {code}");
        let _ = out.flush();
    }

    fn send_text(&self, phone: &str, text: &str) {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "SMS {phone} {text}");
        let _ = out.flush();
    }
}

/// Keeps the last code per phone, and every message, in memory
/// (in-process tests).
#[derive(Default)]
pub struct MemoryGateway {
    pub sent: std::sync::Mutex<std::collections::HashMap<String, String>>,
    pub texts: std::sync::Mutex<Vec<(String, String)>>,
}

impl SmsGateway for MemoryGateway {
    fn send_code(&self, phone: &str, code: &str) {
        if let Ok(mut m) = self.sent.lock() {
            m.insert(phone.to_string(), code.to_string());
        }
    }

    fn send_text(&self, phone: &str, text: &str) {
        if let Ok(mut m) = self.texts.lock() {
            m.push((phone.to_string(), text.to_string()));
        }
    }
}

/// For commands that never send a code (`migrate`, `census`, `user`).
pub struct NoGateway;

impl SmsGateway for NoGateway {
    fn send_code(&self, _phone: &str, _code: &str) {
        tracing::error!("no SMS gateway configured: code not sent");
    }

    fn send_text(&self, _phone: &str, _text: &str) {
        tracing::error!("no SMS gateway configured: message not sent");
    }
}

/// How to reach an SMS provider.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// The provider's URL. With `{phone}` (and `{text}`, `{token}`) in it,
    /// those are filled in (URL-encoded) and the request is a POST with no
    /// body — the shape of most Kazakh providers' "send" endpoints. Without,
    /// it is a POST of `{"to": phone, "text": message}` with the token as a
    /// bearer token.
    pub url: String,
    /// The provider's API key (from the environment, never the database).
    pub token: Option<String>,
    /// The language of the message.
    pub lang: Lang,
    /// Per attempt.
    pub timeout: Duration,
    /// Attempts after the first (with exponential backoff).
    pub retries: usize,
}

impl HttpConfig {
    pub fn new(url: impl Into<String>, token: Option<String>, lang: Lang) -> HttpConfig {
        HttpConfig {
            url: url.into(),
            token,
            lang,
            timeout: Duration::from_secs(10),
            retries: 3,
        }
    }
}

/// Codes waiting to go out; beyond this, new ones are dropped (and logged)
/// rather than piling up while the provider is down.
const QUEUE: usize = 1024;
/// Requests to the provider at once.
const PARALLEL: usize = 8;

/// Sends codes through an HTTP SMS provider, off the request path: the
/// sign-in answer does not wait for the provider, and a slow or failing
/// provider (timeouts, retries with backoff) holds no server thread.
pub struct HttpGateway {
    queue: mpsc::Sender<(String, String)>,
    lang: crate::console::i18n::Lang,
}

#[derive(Debug, thiserror::Error)]
pub enum SmsError {
    #[error("SMS provider URL: {0}")]
    Url(String),
    #[error("SMS client: {0}")]
    Client(#[from] reqwest::Error),
    #[error("SMS worker: {0}")]
    Worker(#[from] std::io::Error),
}

impl HttpGateway {
    /// Checks the configuration and starts the sending worker (its own
    /// thread and runtime, so it works from any caller).
    pub fn start(cfg: HttpConfig) -> Result<HttpGateway, SmsError> {
        let parsed = reqwest::Url::parse(&cfg.url.replace(['{', '}'], ""))
            .map_err(|e| SmsError::Url(e.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(SmsError::Url("expected http:// or https://".into()));
        }
        let client = reqwest::Client::builder().timeout(cfg.timeout).build()?;
        let lang = cfg.lang;
        let (tx, mut rx) = mpsc::channel::<(String, String)>(QUEUE);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let cfg = Arc::new(cfg);
        std::thread::Builder::new()
            .name("sms".into())
            .spawn(move || {
                rt.block_on(async move {
                    let slots = Arc::new(Semaphore::new(PARALLEL));
                    while let Some((phone, text)) = rx.recv().await {
                        let Ok(slot) = slots.clone().acquire_owned().await else {
                            break;
                        };
                        let (client, cfg) = (client.clone(), cfg.clone());
                        tokio::spawn(async move {
                            deliver(&client, &cfg, &phone, &text).await;
                            drop(slot);
                        });
                    }
                })
            })?;
        Ok(HttpGateway { queue: tx, lang })
    }
}

impl SmsGateway for HttpGateway {
    fn send_code(&self, phone: &str, code: &str) {
        self.send_text(phone, &message(self.lang, code));
    }

    fn send_text(&self, phone: &str, text: &str) {
        if self
            .queue
            .try_send((phone.to_string(), text.to_string()))
            .is_err()
        {
            tracing::error!("SMS queue full or closed: a message was not sent");
        }
    }
}

/// The message in the configured language.
pub fn message(lang: Lang, code: &str) -> String {
    Tr::new(lang).s("sms-code", "code", code)
}

async fn deliver(client: &reqwest::Client, cfg: &HttpConfig, phone: &str, text: &str) {
    let attempt = || async {
        let req = if cfg.url.contains("{phone}") {
            let enc =
                |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
            let url = cfg
                .url
                .replace("{phone}", &enc(phone))
                .replace("{text}", &enc(text))
                .replace("{token}", &enc(cfg.token.as_deref().unwrap_or_default()));
            client.post(url)
        } else {
            let req = client
                .post(&cfg.url)
                .json(&serde_json::json!({"to": phone, "text": text}));
            match &cfg.token {
                Some(t) => req.bearer_auth(t),
                None => req,
            }
        };
        req.send().await?.error_for_status().map(|_| ())
    };
    let policy = ExponentialBuilder::default()
        .with_min_delay(Duration::from_millis(500))
        .with_max_times(cfg.retries)
        .with_jitter();
    match attempt
        .retry(policy)
        .sleep(tokio::time::sleep)
        .notify(|e, after| tracing::warn!(error = %without_url(e), ?after, "SMS provider failed; retrying"))
        .await
    {
        // Never the code or the phone in the log.
        Ok(()) => tracing::info!("message handed to the SMS provider"),
        Err(e) => tracing::error!(error = %without_url(&e), "SMS provider failed; message not sent"),
    }
}

/// The error without its URL, which may hold the phone, the text (the
/// code) and the provider's key.
fn without_url(e: &reqwest::Error) -> String {
    let status = e
        .status()
        .map(|s| s.as_u16().to_string())
        .unwrap_or_default();
    let kind = if e.is_timeout() {
        "timeout"
    } else if e.is_connect() {
        "connect"
    } else if e.is_status() {
        "status"
    } else {
        "request"
    };
    format!("{kind} {status}").trim().to_string()
}
