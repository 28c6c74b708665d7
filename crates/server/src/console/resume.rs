//! A form sent after the session expired is not lost. The middleware keeps
//! the body of every console form POST (small, URL-encoded); when the
//! handler answers "sign in first" (the session is gone), the sign-in page
//! is shown instead of a bare redirect, carrying the form along in hidden
//! fields. After signing in, the person sees what they had typed and sends
//! it again with one button — with the form's own op id, so an action
//! that did get through before is not applied twice.
//!
//! Multipart forms (an implementation update with a photo, the census
//! file) keep their text fields the same way; a file cannot travel in a
//! hidden field, so the form sent again is multipart too, with an empty
//! file input for each file the form had and a line asking to choose it
//! again.

use askama::Template;
use axum::body::{to_bytes, Body};
use axum::extract::{FromRequest, FromRequestParts, Multipart, Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;

use super::pages::{self, Chrome};
use super::session::Staff;
use crate::state::AppState;

/// URL-encoded bodies above this are not kept (console forms are a few
/// hundred bytes).
const KEEP_MAX: usize = 64 * 1024;
/// Multipart bodies of a request without a live session are read up to
/// this much to keep their text fields (a photo or a census file beyond it
/// is dropped: the form comes back without what it held). Requests with a
/// live session are never read here.
const KEEP_MULTIPART_MAX: usize = 1024 * 1024;

/// In the hidden `resume` field, beside the form's own fields: that the
/// form was multipart, and the names of its file inputs. Console forms
/// have no fields of these names.
const MULTIPART_MARK: &str = "_resume_multipart";
const FILE_MARK: &str = "_resume_file";

/// A form kept across the sign-in: where it went and its fields (without
/// the old session's CSRF token).
#[derive(Debug, Clone, Default)]
pub struct Kept {
    pub to: String,
    pub fields: Vec<(String, String)>,
    /// Sent as `multipart/form-data` (it must be sent again so).
    pub multipart: bool,
    /// Its file inputs, to choose again.
    pub files: Vec<String>,
}

impl Kept {
    /// From the sign-in forms' hidden `resume_to` and `resume` fields.
    pub fn from_hidden(to: &str, encoded: &str) -> Option<Kept> {
        if !pages::is_console_path(to) || is_sign_in(to) {
            return None;
        }
        let mut kept = Kept {
            to: to.to_string(),
            ..Kept::default()
        };
        for (k, v) in form_urlencoded::parse(encoded.as_bytes()) {
            match k.as_ref() {
                "csrf" => {}
                MULTIPART_MARK => kept.multipart = true,
                FILE_MARK => kept.files.push(v.into_owned()),
                _ => kept.fields.push((k.into_owned(), v.into_owned())),
            }
        }
        Some(kept)
    }

    /// The fields, URL-encoded (the value of the hidden `resume` field).
    pub fn encoded(&self) -> String {
        let marks = self
            .multipart
            .then(|| (MULTIPART_MARK.to_string(), "1".to_string()))
            .into_iter()
            .chain(
                self.files
                    .iter()
                    .map(|f| (FILE_MARK.to_string(), f.clone())),
            );
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(self.fields.iter().cloned().chain(marks))
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

/// How a POST's body is encoded, for the forms this keeps.
#[derive(Clone, Copy, PartialEq)]
enum Encoding {
    UrlEncoded,
    Multipart,
}

fn encoding(req: &Request) -> Option<Encoding> {
    let ct = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())?;
    if ct.starts_with("application/x-www-form-urlencoded") {
        Some(Encoding::UrlEncoded)
    } else if ct.starts_with("multipart/form-data") {
        Some(Encoding::Multipart)
    } else {
        None
    }
}

/// A multipart body's text fields, and the names of its file inputs.
async fn multipart_fields(
    content_type: Option<HeaderValue>,
    bytes: axum::body::Bytes,
) -> (Vec<(String, String)>, Vec<String>) {
    let (mut fields, mut files) = (Vec::new(), Vec::new());
    let mut req = Request::new(Body::from(bytes));
    if let Some(ct) = content_type {
        req.headers_mut().insert(header::CONTENT_TYPE, ct);
    }
    let Ok(mut m) = Multipart::from_request(req, &()).await else {
        return (fields, files);
    };
    while let Ok(Some(field)) = m.next_field().await {
        let name = field.name().unwrap_or_default().to_string();
        if field.file_name().is_some() {
            if !files.contains(&name) {
                files.push(name);
            }
        } else if let Ok(text) = field.text().await {
            fields.push((name, text));
        }
    }
    (fields, files)
}

/// The middleware (on the console's routes).
pub async fn keep_form(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let Some(enc) = encoding(&req).filter(|_| req.method() == Method::POST && !is_sign_in(&path))
    else {
        return next.run(req).await;
    };
    let (mut parts, body) = req.into_parts();
    // A live session: the handler reads the body itself (nothing is
    // buffered here for it, an upload included).
    if Staff::from_request_parts(&mut parts, &st).await.is_ok() {
        return next.run(Request::from_parts(parts, body)).await;
    }
    let headers = parts.headers.clone();
    let max = match enc {
        Encoding::UrlEncoded => KEEP_MAX,
        Encoding::Multipart => KEEP_MULTIPART_MAX,
    };
    let Ok(bytes) = to_bytes(body, max).await else {
        // Too big to keep; without a session it is refused anyway.
        let secure = super::session::secure(&st, &headers);
        return super::login::expired_page(&headers, secure, None);
    };
    let r = next
        .run(Request::from_parts(parts, Body::from(bytes.clone())))
        .await;
    if !pages::is_to_login(&r) {
        return r;
    }
    let kept = match enc {
        Encoding::UrlEncoded => Kept::from_hidden(&path, &String::from_utf8_lossy(&bytes)),
        Encoding::Multipart => {
            let (fields, files) =
                multipart_fields(headers.get(header::CONTENT_TYPE).cloned(), bytes).await;
            Kept::from_hidden(&path, "").map(|k| Kept {
                fields: fields.into_iter().filter(|(k, _)| k != "csrf").collect(),
                multipart: true,
                files,
                ..k
            })
        }
    };
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
    pub multipart: bool,
    pub files: Vec<String>,
}

impl ResumePage {
    pub fn new(staff: &Staff, kept: Kept) -> ResumePage {
        ResumePage {
            page: Chrome::signed_in(staff.tr, "console-resume-title", "/console", staff),
            typed: kept.typed(),
            to: kept.to,
            fields: kept.fields,
            multipart: kept.multipart,
            files: kept.files,
        }
    }
}
