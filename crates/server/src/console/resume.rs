//! A form sent after the session expired is not lost. The middleware keeps
//! the body of every console form POST (small, URL-encoded); when the
//! handler answers "sign in first" (the session is gone), the sign-in page
//! is shown instead of a bare redirect, carrying the form along in hidden
//! fields. After signing in, the person sees what they had typed and sends
//! it again with one button — with the form's own op id, so an action
//! that did get through before is not applied twice.

use askama::Template;
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::pages::{self, Chrome};
use super::session::Staff;
use crate::state::AppState;

/// Bodies above this are not kept (console forms are a few hundred bytes;
/// the census file is multipart and never kept).
const KEEP_MAX: usize = 64 * 1024;

/// A form kept across the sign-in: where it went and its fields (without
/// the old session's CSRF token).
#[derive(Debug, Clone, Default)]
pub struct Kept {
    pub to: String,
    pub fields: Vec<(String, String)>,
}

impl Kept {
    /// From the sign-in forms' hidden `resume_to` and `resume` fields.
    pub fn from_hidden(to: &str, encoded: &str) -> Option<Kept> {
        if !pages::is_console_path(to) || is_sign_in(to) {
            return None;
        }
        Some(Kept {
            to: to.to_string(),
            fields: form_urlencoded::parse(encoded.as_bytes())
                .filter(|(k, _)| k != "csrf")
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        })
    }

    /// The fields, URL-encoded (the value of the hidden `resume` field).
    pub fn encoded(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(self.fields.iter())
            .finish()
    }

    /// What the person typed (ids left out), for them to recognise.
    pub fn typed(&self) -> Vec<String> {
        self.fields
            .iter()
            .filter(|(k, v)| !v.trim().is_empty() && !k.ends_with("id") && k != "pick")
            .map(|(_, v)| v.clone())
            .collect()
    }
}

fn is_sign_in(path: &str) -> bool {
    path.starts_with("/console/login") || path == "/console/logout"
}

fn is_form(req: &Request) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

/// The middleware (on the console's routes).
pub async fn keep_form(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if req.method() != Method::POST || !is_form(&req) || is_sign_in(&path) {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let headers = parts.headers.clone();
    let Ok(bytes) = to_bytes(body, KEEP_MAX).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let r = next
        .run(Request::from_parts(parts, Body::from(bytes.clone())))
        .await;
    if !pages::is_to_login(&r) {
        return r;
    }
    let kept = Kept::from_hidden(&path, &String::from_utf8_lossy(&bytes));
    super::login::expired_page(&headers, super::session::secure(&st, &headers), kept)
}

/// After signing in: the kept form, to send again.
#[derive(Template)]
#[template(path = "console/resume.html")]
pub struct ResumePage {
    pub page: Chrome,
    pub to: String,
    pub fields: Vec<(String, String)>,
    pub typed: Vec<String>,
}

impl ResumePage {
    pub fn new(staff: &Staff, kept: Kept) -> ResumePage {
        ResumePage {
            page: Chrome::signed_in(staff.tr, "console-resume-title", "/console", staff),
            typed: kept.typed(),
            to: kept.to,
            fields: kept.fields,
        }
    }
}
