//! What every public page shares: the language (from `?lang=` or
//! `Accept-Language`), the layout's parts, rendering with an `ETag`, a
//! `Last-Modified` and cache headers (304 when the client already has the
//! page), and the security headers.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use askama::Template;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::console::i18n::{Lang, LangLink, Tr};
use crate::error::AppError;

/// How long a proxy or browser may reuse a page without asking (then it
/// revalidates with the `ETag`, a 304 of a few hundred bytes).
const MAX_AGE_S: u32 = 60;

/// The `lang` query of a public URL.
#[derive(Debug, Default, serde::Deserialize)]
pub struct LangArg {
    #[serde(default)]
    pub lang: Option<String>,
}

/// The language of a request: `?lang=`, else `Accept-Language`, else Kazakh.
pub fn tr_of(lang: Option<&str>, headers: &HeaderMap) -> Tr {
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    Tr::new(Lang::negotiate(lang, None, accept))
}

/// The layout's parts (`templates/public/base.html`).
pub struct Chrome {
    pub tr: Tr,
    pub title: String,
    /// `lang=xx`, appended to every link so the language stays chosen.
    pub q: String,
    pub langs: Vec<LangLink>,
    /// Breadcrumbs: (href, name), the last one the current page.
    pub crumbs: Vec<(String, String)>,
}

impl Chrome {
    /// `path` is this page's path (the language links point back to it).
    pub fn new(tr: Tr, title: String, path: &str) -> Chrome {
        let sep = if path.contains('?') { '&' } else { '?' };
        Chrome {
            tr,
            title,
            q: format!("lang={}", tr.lang.code()),
            langs: LangLink::all(tr, |l| format!("{path}{sep}lang={}", l.code())),
            crumbs: Vec::new(),
        }
    }

    pub fn crumb(mut self, href: String, name: String) -> Chrome {
        self.crumbs.push((href, name));
        self
    }
}

/// Renders a page: 200 with `ETag` and cache headers, or 304 when the
/// request's `If-None-Match` names this very page.
pub fn render(headers: &HeaderMap, t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => cached(headers, html.into_bytes(), "text/html; charset=utf-8"),
        Err(e) => {
            tracing::error!(error = %e, "public template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}

/// Versions of documents remembered with when they were first served
/// here; past this many the memory starts again (pages then only look
/// newer: a 200 instead of a 304, never a stale page).
const VERSIONS_KEPT: usize = 50_000;

/// When this version of a document (its hash) was first served by this
/// instance, in whole seconds: its `Last-Modified`. Pages are rendered
/// from many tables (and today's date), so the time their bytes first
/// appeared is the one modification time every page type has. A newer
/// version always gets a later time than an older one had (it cannot be
/// rendered before the change that made it), except within one second —
/// the resolution of HTTP dates, which is why the `ETag` is the validator
/// browsers use first.
fn first_served(version: [u8; 12]) -> SystemTime {
    static SEEN: Mutex<Option<HashMap<[u8; 12], u64>>> = Mutex::new(None);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let secs = match SEEN.lock() {
        Ok(mut seen) => {
            let map = seen.get_or_insert_with(HashMap::new);
            if map.len() >= VERSIONS_KEPT && !map.contains_key(&version) {
                map.clear();
            }
            *map.entry(version).or_insert(now)
        }
        // A poisoned lock only loses the memory: the page looks new.
        Err(_) => now,
    };
    UNIX_EPOCH + Duration::from_secs(secs)
}

/// Whether the client's copy is this one: `If-None-Match` names our
/// `ETag`, or — only when it sends no `If-None-Match` (RFC 9110 §13.1.3) —
/// `If-Modified-Since` is not before our `Last-Modified`.
fn client_has(headers: &HeaderMap, etag: &str, modified: SystemTime) -> bool {
    if let Some(v) = headers.get(header::IF_NONE_MATCH) {
        // Weak comparison (RFC 9110 §8.8.3.2): compression may change the bytes.
        let ours = etag.trim_start_matches("W/");
        return v.to_str().is_ok_and(|v| {
            v.split(',')
                .any(|t| t.trim().trim_start_matches("W/") == ours)
        });
    }
    headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok())
        .is_some_and(|since| modified <= since)
}

/// A public document with a weak `ETag` (a hash of its bytes), a
/// `Last-Modified` (304 when the client has it) and cache headers that let
/// a proxy serve it.
pub fn cached(headers: &HeaderMap, body: Vec<u8>, content_type: &'static str) -> Response {
    let digest = Sha256::digest(&body);
    let mut version = [0u8; 12];
    version.copy_from_slice(&digest[..12]);
    let etag = format!(
        "W/\"{}\"",
        version
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let modified = first_served(version);
    let fresh = client_has(headers, &etag, modified);
    let mut r = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (StatusCode::OK, body).into_response()
    };
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&httpdate::fmt_http_date(modified)) {
        h.insert(header::LAST_MODIFIED, v);
    }
    if let Ok(v) = HeaderValue::from_str(&format!("public, max-age={MAX_AGE_S}")) {
        h.insert(header::CACHE_CONTROL, v);
    }
    h.insert(header::VARY, HeaderValue::from_static("Accept-Language"));
    r
}

/// A page with a heading and a paragraph (not found, error).
#[derive(Template)]
#[template(path = "public/message.html")]
pub struct MessagePage {
    pub page: Chrome,
    pub text: String,
}

/// What a page loaded (`blocking(…)` answering `Ok(Some(data))`), or the
/// page to answer with instead: 404 for `None`, the error page for an error.
// The `Err` is the response itself, returned once per request straight to
// axum: boxing it would only add an allocation.
#[allow(clippy::result_large_err)]
pub fn loaded<T>(tr: Tr, r: Result<Option<T>, AppError>) -> Result<T, Response> {
    match r {
        Ok(Some(v)) => Ok(v),
        Ok(None) => Err(not_found(tr)),
        Err(e) => Err(error(tr, &e)),
    }
}

pub fn not_found(tr: Tr) -> Response {
    let p = MessagePage {
        page: Chrome::new(tr, tr.t("console-not-found-title"), "/"),
        text: tr.t("public-not-found-text"),
    };
    let mut r = render(&HeaderMap::new(), &p);
    *r.status_mut() = StatusCode::NOT_FOUND;
    r
}

pub fn error(tr: Tr, e: &AppError) -> Response {
    tracing::error!(error = %e, "public page failed");
    let p = MessagePage {
        page: Chrome::new(tr, tr.t("console-error-title"), "/"),
        text: tr.t("console-error-text"),
    };
    let mut r = render(&HeaderMap::new(), &p);
    *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    r.headers_mut().remove(header::CACHE_CONTROL);
    r
}

/// No scripts, no framing; images from this server only.
pub async fn security_headers(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    r
}

/// Money in tenge the language's way (the app's `money` message and digit
/// grouping): `1 234 567 ₸`, `₸1,234,567`.
pub fn tenge(tr: Tr, v: i64) -> String {
    let sep = if tr.lang == Lang::En { "," } else { "\u{a0}" };
    tr.s(
        "money",
        "amount",
        &dauys_proto::format::group_digits(v, sep),
    )
}
