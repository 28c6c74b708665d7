//! HTTP access to the server's `/v1` API (reqwest + rustls, gzip).

use std::io::Write;
use std::time::Duration;

use dauys_proto::{
    ApiError, ErrorCode, Locality, Op, OtpRequest, OtpResponse, PullRequest, PullResponse,
    PushRequest, PushResponse, SessionResponse, VerifyRequest,
};
use reqwest::{StatusCode, Url};

use crate::error::{CoreError, Result};

/// Network settings, tuned for 2G by default.
#[derive(Debug, Clone)]
pub struct NetConfig {
    /// TCP + TLS connect timeout.
    pub connect_timeout: Duration,
    /// No byte received for this long: the connection is stalled, drop it
    /// and retry instead of waiting forever.
    pub read_timeout: Duration,
    /// Slowest link we plan for (bytes/s): per-request deadlines are
    /// `base_timeout + body / min_rate`.
    pub min_rate: u64,
    pub base_timeout: Duration,
    /// Accept plain `http://` to non-loopback hosts (developer setting; the
    /// shaped-network tests need it).
    pub allow_insecure_http: bool,
}

impl Default for NetConfig {
    fn default() -> Self {
        NetConfig {
            connect_timeout: Duration::from_secs(20),
            read_timeout: Duration::from_secs(30),
            min_rate: 2_000,
            base_timeout: Duration::from_secs(45),
            allow_insecure_http: std::env::var("DAUYS_ALLOW_INSECURE_HTTP").is_ok_and(|v| v == "1"),
        }
    }
}

/// Checks the server URL: https anywhere, http only on loopback or when
/// allowed explicitly.
pub fn check_url(url: &str, allow_insecure_http: bool) -> Result<Url> {
    let u = Url::parse(url).map_err(|e| CoreError::Invalid(format!("server URL {url}: {e}")))?;
    match u.scheme() {
        "https" => Ok(u),
        "http" => {
            let loopback = match u.host() {
                Some(url::Host::Domain(d)) => d == "localhost",
                Some(url::Host::Ipv4(a)) => a.is_loopback(),
                Some(url::Host::Ipv6(a)) => a.is_loopback(),
                None => false,
            };
            if loopback || allow_insecure_http {
                Ok(u)
            } else {
                Err(CoreError::InsecureUrl(url.to_string()))
            }
        }
        other => Err(CoreError::Invalid(format!(
            "unsupported URL scheme {other}"
        ))),
    }
}

/// Counts of bytes put on and taken off the wire by one request (bodies
/// as transmitted, i.e. compressed, plus an estimate of the headers).
#[derive(Debug, Clone, Copy, Default)]
pub struct Wire {
    pub up: u64,
    pub down: u64,
}

/// A thin client of the `/v1` API.
#[derive(Clone)]
pub struct Api {
    client: reqwest::Client,
    base: Url,
    cfg: NetConfig,
}

fn api_error(status: StatusCode, body: &[u8]) -> CoreError {
    match serde_json::from_slice::<ApiError>(body) {
        Ok(e) => CoreError::Api {
            status: status.as_u16(),
            code: e.code,
            message_key: e.message_key,
            detail: e.detail,
        },
        Err(_) => CoreError::Api {
            status: status.as_u16(),
            code: ErrorCode::Internal,
            message_key: ErrorCode::Internal.message_key(),
            detail: format!(
                "HTTP {status}: {}",
                String::from_utf8_lossy(&body[..body.len().min(200)])
            ),
        },
    }
}

/// Rough header size of a request/response (for progress figures).
const HEADER_ESTIMATE: u64 = 200;

/// Bytes a page of changes may take on the wire, for request deadlines.
const PULL_BUDGET: u64 = 256 * 1024;

impl Api {
    pub fn new(server: &str, cfg: NetConfig) -> Result<Api> {
        let base = check_url(server, cfg.allow_insecure_http)?;
        let client = reqwest::Client::builder()
            .connect_timeout(cfg.connect_timeout)
            .read_timeout(cfg.read_timeout)
            .pool_idle_timeout(Duration::from_secs(60))
            .tcp_keepalive(Duration::from_secs(30))
            .gzip(true)
            .user_agent(concat!("dauys-core/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Api { client, base, cfg })
    }

    pub fn base(&self) -> &Url {
        &self.base
    }

    fn url(&self, path: &str) -> Result<Url> {
        self.base
            .join(path)
            .map_err(|e| CoreError::Invalid(format!("URL {path}: {e}")))
    }

    fn deadline(&self, bytes: u64) -> Duration {
        self.cfg.base_timeout + Duration::from_secs(bytes / self.cfg.min_rate.max(1))
    }

    async fn finish(
        resp: reqwest::Response,
        wire: &mut Wire,
    ) -> Result<(StatusCode, reqwest::header::HeaderMap, Vec<u8>)> {
        let status = resp.status();
        let headers = resp.headers().clone();
        // Compressed length when the server said it; else decoded length.
        let declared = resp.content_length();
        let body = resp.bytes().await?.to_vec();
        wire.down += HEADER_ESTIMATE + declared.unwrap_or(body.len() as u64);
        if status.is_success() {
            Ok((status, headers, body))
        } else {
            Err(api_error(status, &body))
        }
    }

    async fn json_post<Req: serde::Serialize, Resp: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        token: Option<&str>,
        req: &Req,
        // Response bytes to allow for in the deadline, beyond the base.
        expect_down: u64,
        wire: &mut Wire,
    ) -> Result<Resp> {
        let raw = serde_json::to_vec(req)?;
        // Compress bodies worth compressing (the server accepts gzip).
        let (body, gz) = if raw.len() > 512 {
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            enc.write_all(&raw)?;
            (enc.finish()?, true)
        } else {
            (raw, false)
        };
        wire.up += HEADER_ESTIMATE + body.len() as u64;
        let mut rb = self
            .client
            .post(self.url(path)?)
            .timeout(self.deadline(body.len() as u64 + expect_down))
            .header("content-type", "application/json");
        if gz {
            rb = rb.header("content-encoding", "gzip");
        }
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        let (_, _, body) = Self::finish(rb.body(body).send().await?, wire).await?;
        Ok(serde_json::from_slice(&body)?)
    }

    pub async fn request_otp(&self, iin: &str) -> Result<OtpResponse> {
        let mut w = Wire::default();
        self.json_post(
            "/v1/auth/otp",
            None,
            &OtpRequest { iin: iin.into() },
            0,
            &mut w,
        )
        .await
    }

    pub async fn verify(&self, req: &VerifyRequest) -> Result<SessionResponse> {
        let mut w = Wire::default();
        self.json_post("/v1/auth/verify", None, req, 0, &mut w)
            .await
    }

    pub async fn logout(&self, token: &str) -> Result<()> {
        let mut w = Wire::default();
        let resp = self
            .client
            .post(self.url("/v1/auth/logout")?)
            .timeout(self.deadline(0))
            .bearer_auth(token)
            .send()
            .await?;
        Self::finish(resp, &mut w).await.map(|_| ())
    }

    /// Pushes a batch; with `pull`, the response also carries the first
    /// page of changes (one round trip for delivery and refresh).
    pub async fn push(
        &self,
        token: &str,
        ops: &[Op],
        pull: Option<PullRequest>,
        wire: &mut Wire,
    ) -> Result<PushResponse> {
        let expect_down = if pull.is_some() { PULL_BUDGET } else { 0 };
        self.json_post(
            "/v1/push",
            Some(token),
            &PushRequest {
                ops: ops.to_vec(),
                pull,
            },
            expect_down,
            wire,
        )
        .await
    }

    pub async fn pull(
        &self,
        token: Option<&str>,
        since: &str,
        follow: &[String],
        limit: u32,
        wire: &mut Wire,
    ) -> Result<PullResponse> {
        let mut url = self.url("/v1/changes")?;
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("since", since);
            if !follow.is_empty() {
                q.append_pair("follow", &follow.join(","));
            }
            q.append_pair("limit", &limit.to_string());
            q.append_pair("v", &dauys_proto::ENTITY_VERSION.to_string());
        }
        wire.up += HEADER_ESTIMATE;
        let mut rb = self.client.get(url).timeout(self.deadline(PULL_BUDGET));
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        let (_, _, body) = Self::finish(rb.send().await?, wire).await?;
        Ok(serde_json::from_slice(&body)?)
    }

    pub async fn localities(&self) -> Result<Vec<Locality>> {
        let mut w = Wire::default();
        let resp = self
            .client
            .get(self.url("/v1/localities")?)
            .timeout(self.deadline(128 * 1024))
            .send()
            .await?;
        let (_, _, body) = Self::finish(resp, &mut w).await?;
        Ok(serde_json::from_slice(&body)?)
    }

    /// A cycle's published receipt fingerprints (`receipts.txt`, public).
    /// Fetched whole, so the server never learns which receipt is checked.
    pub async fn receipts(&self, cycle_id: &str) -> Result<String> {
        let path = format!("/v1/cycles/{}/receipts.txt", urlencode(cycle_id));
        let body = self.get_body(&path, None, PULL_BUDGET).await?;
        String::from_utf8(body).map_err(|_| CoreError::Net("receipts.txt is not text".into()))
    }

    /// The bytes of a complete upload the user may see.
    pub async fn download(&self, token: Option<&str>, id: &str) -> Result<Vec<u8>> {
        let path = format!("/v1/uploads/{}", urlencode(id));
        self.get_body(&path, token, dauys_proto::limits::MAX_MEDIA_BYTES)
            .await
    }

    /// A GET's body, with a deadline for `expect_down` bytes.
    async fn get_body(&self, path: &str, token: Option<&str>, expect_down: u64) -> Result<Vec<u8>> {
        let mut rb = self
            .client
            .get(self.url(path)?)
            .timeout(self.deadline(expect_down));
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        let (_, _, body) = Self::finish(rb.send().await?, &mut Wire::default()).await?;
        Ok(body)
    }

    fn offset_of(h: &reqwest::header::HeaderMap) -> Result<u64> {
        h.get("upload-offset")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| CoreError::Net("server sent no Upload-Offset".into()))
    }

    /// Creates (idempotently: the id is the Idempotency-Key) an upload and
    /// returns the server's offset for it.
    pub async fn upload_create(
        &self,
        token: &str,
        id: &str,
        length: u64,
        media_type: &str,
        wire: &mut Wire,
    ) -> Result<u64> {
        wire.up += HEADER_ESTIMATE;
        let resp = self
            .client
            .post(self.url("/v1/uploads")?)
            .timeout(self.deadline(0))
            .bearer_auth(token)
            .header("tus-resumable", "1.0.0")
            .header("upload-length", length)
            .header("idempotency-key", id)
            .header("media-type", media_type)
            .send()
            .await?;
        let (_, h, _) = Self::finish(resp, wire).await?;
        Self::offset_of(&h)
    }

    pub async fn upload_head(&self, token: &str, id: &str, wire: &mut Wire) -> Result<u64> {
        wire.up += HEADER_ESTIMATE;
        let resp = self
            .client
            .head(self.url(&format!("/v1/uploads/{id}"))?)
            .timeout(self.deadline(0))
            .bearer_auth(token)
            .header("tus-resumable", "1.0.0")
            .send()
            .await?;
        let (_, h, _) = Self::finish(resp, wire).await?;
        Self::offset_of(&h)
    }

    /// Sends one chunk at `offset`; returns the new offset.
    pub async fn upload_patch(
        &self,
        token: &str,
        id: &str,
        offset: u64,
        chunk: Vec<u8>,
        wire: &mut Wire,
    ) -> Result<u64> {
        let len = chunk.len() as u64;
        wire.up += HEADER_ESTIMATE + len;
        let resp = self
            .client
            .patch(self.url(&format!("/v1/uploads/{id}"))?)
            .timeout(self.deadline(len))
            .bearer_auth(token)
            .header("tus-resumable", "1.0.0")
            .header("upload-offset", offset)
            .header("content-type", "application/offset+octet-stream")
            .body(chunk)
            .send()
            .await?;
        let (_, h, _) = Self::finish(resp, wire).await?;
        Self::offset_of(&h)
    }
}

/// A path segment, percent-encoded (ids are UUIDs; this keeps it so).
fn urlencode(segment: &str) -> String {
    url::form_urlencoded::byte_serialize(segment.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_on_loopback() {
        assert!(check_url("http://127.0.0.1:8080", false).is_ok());
        assert!(check_url("http://localhost:1", false).is_ok());
        assert!(check_url("http://[::1]:1", false).is_ok());
        assert!(check_url("https://dauys.kz", false).is_ok());
        assert!(matches!(
            check_url("http://10.199.0.1:8080", false),
            Err(CoreError::InsecureUrl(_))
        ));
        assert!(check_url("http://10.199.0.1:8080", true).is_ok());
        assert!(check_url("ftp://x", true).is_err());
    }
}
