//! What every console page shares: the page chrome (title, navigation,
//! language links, sign-out form, flash), rendering, security headers and
//! the message pages (staff only, 403, 404, error).

use askama::Template;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

use super::i18n::{LangLink, Tr};
use super::session::Staff;
use crate::error::AppError;

/// The parts of the layout (`templates/console/base.html`).
pub struct Chrome {
    pub tr: Tr,
    pub title: String,
    pub signed_in: bool,
    /// The session's CSRF token (the sign-out form); empty when signed out.
    pub csrf: String,
    pub langs: Vec<LangLink>,
    /// A localized notice after an action (POST-redirect-GET).
    pub flash: Option<String>,
    pub flash_error: bool,
    /// Which navigation links the caller's roles lead to.
    pub nav: Nav,
}

/// The sections of the navigation a staff member works in (by role; an
/// administrator works in all of them).
#[derive(Debug, Clone, Copy, Default)]
pub struct Nav {
    pub appeals: bool,
    /// Cycles and implementation (a locality's officials).
    pub cycles: bool,
    pub moderation: bool,
    pub review: bool,
    pub admin: bool,
}

impl Nav {
    pub fn of(actor: &crate::auth::Actor) -> Nav {
        use dauys_proto::Role;
        let has = |r: Role| {
            actor
                .roles
                .iter()
                .any(|g| g.body.is_none() && (g.role == r || g.role == Role::Admin))
        };
        // A department's official works on its appeals only.
        let department = actor.roles.iter().any(|g| g.body.is_some());
        Nav {
            appeals: has(Role::Official) || department,
            cycles: has(Role::Official),
            moderation: has(Role::Moderator) || has(Role::Official),
            review: has(Role::Expert) || has(Role::Official),
            admin: actor.roles.iter().any(|g| g.role == Role::Admin),
        }
    }
}

impl Chrome {
    /// `path` is where the language links come back to.
    pub fn new(tr: Tr, title_id: &str, path: &str) -> Chrome {
        let next = if is_console_path(path) {
            path
        } else {
            "/console"
        };
        Chrome {
            tr,
            title: tr.t(title_id),
            signed_in: false,
            csrf: String::new(),
            langs: LangLink::all(tr, |l| format!("/console/lang?to={}&next={next}", l.code())),
            flash: None,
            flash_error: false,
            nav: Nav::default(),
        }
    }

    pub fn signed_in(tr: Tr, title_id: &str, path: &str, staff: &Staff) -> Chrome {
        let mut c = Chrome::new(tr, title_id, path);
        c.signed_in = true;
        c.csrf = staff.session.csrf.clone();
        c.nav = Nav::of(&staff.actor);
        c
    }

    /// Shows a flash message named in the query, if it is one of ours:
    /// `console-flash-*` (done) or `error-*` (refused). Anything else is
    /// ignored, so a link cannot put arbitrary text on the page.
    pub fn with_flash(mut self, flash: Option<&str>) -> Chrome {
        if let Some(id) = flash {
            let ours = id.starts_with("console-flash-") || id.starts_with("error-");
            if ours && self.tr.has(id) {
                self.flash_error = id.starts_with("error-");
                self.flash = Some(self.tr.t(id));
            }
        }
        self
    }
}

/// A same-site console path safe to redirect to (no `//host`, no scheme).
pub fn is_console_path(p: &str) -> bool {
    (p == "/console" || p.starts_with("/console/"))
        && !p.contains("//")
        && !p.contains('\\')
        && p.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/-_.".contains(c))
}

/// Renders a page with the console's headers.
pub fn render(status: StatusCode, t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => html_response(status, html),
        Err(e) => {
            tracing::error!(error = %e, "console template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}

fn html_response(status: StatusCode, html: String) -> Response {
    let mut r = (status, html).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}

/// Headers on every console response: no scripts, no framing, no caching
/// of pages that show personal data.
pub async fn security_headers(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    r
}

/// A page with a heading, a paragraph and a link onwards.
#[derive(Template)]
#[template(path = "console/message.html")]
pub struct MessagePage {
    pub page: Chrome,
    pub text: String,
    pub link_href: String,
    pub link_text: String,
}

fn message(
    status: StatusCode,
    tr: Tr,
    title_id: &str,
    text_id: &str,
    link: (&str, &str),
) -> Response {
    render(
        status,
        &MessagePage {
            page: Chrome::new(tr, title_id, "/console"),
            text: tr.t(text_id),
            link_href: link.0.to_string(),
            link_text: tr.t(link.1),
        },
    )
}

/// To the sign-in page (no session, or it expired).
pub fn to_login() -> Response {
    Redirect::to("/console/login").into_response()
}

/// Whether a response is [`to_login`]'s (how `resume.rs` spots a form
/// that arrived after its session expired).
pub fn is_to_login(r: &Response) -> bool {
    r.status() == StatusCode::SEE_OTHER
        && r.headers()
            .get(header::LOCATION)
            .is_some_and(|v| v == "/console/login")
}

/// A resident (or anyone without a staff role) signed in.
pub fn staff_only(tr: Tr) -> Response {
    message(
        StatusCode::FORBIDDEN,
        tr,
        "console-staff-only-title",
        "console-staff-only-text",
        ("/console/login", "console-back-to-sign-in"),
    )
}

/// A POST without the session's CSRF token: nothing was applied.
pub fn csrf_refused(tr: Tr) -> Response {
    message(
        StatusCode::FORBIDDEN,
        tr,
        "console-csrf-title",
        "console-csrf-text",
        ("/console", "console-back-to-dashboard"),
    )
}

/// Not found, or outside the caller's scope (the same page: no hint).
pub fn not_found(tr: Tr) -> Response {
    message(
        StatusCode::NOT_FOUND,
        tr,
        "console-not-found-title",
        "console-not-found-text",
        ("/console", "console-back-to-dashboard"),
    )
}

/// A failure of the server (logged; the page says to retry).
pub fn error(tr: Tr, e: &AppError) -> Response {
    match e {
        AppError::Reject(r) if r.code == dauys_proto::ErrorCode::NotFound => not_found(tr),
        _ => {
            tracing::error!(error = %e, "console request failed");
            message(
                StatusCode::SERVICE_UNAVAILABLE,
                tr,
                "console-error-title",
                "console-error-text",
                ("/console", "console-back-to-dashboard"),
            )
        }
    }
}

/// What a handler loaded, or the response for its absence: `None` (no such
/// item, or none in the caller's scope) is the 404 page, an error the
/// error page.
// The `Err` is the response sent at once, as in every handler's early
// return; boxing it would only add an allocation.
#[allow(clippy::result_large_err)]
pub fn found<T>(tr: Tr, loaded: crate::error::AppResult<Option<T>>) -> Result<T, Response> {
    match loaded {
        Ok(Some(v)) => Ok(v),
        Ok(None) => Err(not_found(tr)),
        Err(e) => Err(error(tr, &e)),
    }
}
