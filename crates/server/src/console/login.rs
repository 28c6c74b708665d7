//! Sign-in (IIN, then the one-time code of the app's own OTP flow in
//! `kernel/auth.rs`), sign-out and the language switch.

use crate::kernel::throttle::ClientKey;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use super::csrf::{self, Checked};
use super::i18n::{Lang, Tr};
use super::pages::{self, Chrome};
use super::resume::{Kept, ResumePage};
use super::session::{self, Staff, COOKIE, LANG_COOKIE, PRE_COOKIE};
use crate::auth;
use crate::crypto;
use crate::error::AppError;
use crate::http::blocking;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "console/login.html")]
pub struct LoginPage {
    pub page: Chrome,
    /// The double-submit token of the sign-in forms.
    pub pre: String,
    /// Second step: the code was sent.
    pub code_step: bool,
    pub iin: String,
    pub phone_hint: String,
    pub error: Option<String>,
    /// A form kept from an expired session, carried through both steps.
    pub resume_to: String,
    pub resume: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    iin: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    resume_to: String,
    #[serde(default)]
    resume: String,
}

impl LoginForm {
    fn kept(&self) -> Option<Kept> {
        Kept::from_hidden(&self.resume_to, &self.resume)
    }
}

fn tr_of(headers: &HeaderMap) -> Tr {
    let accept = headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    Tr::new(Lang::negotiate(
        None,
        session::cookie(headers, LANG_COOKIE).as_deref(),
        accept,
    ))
}

fn login_page(tr: Tr, pre: String, code_step: bool, iin: String) -> LoginPage {
    LoginPage {
        page: Chrome::new(tr, "console-sign-in-title", "/console/login"),
        pre,
        code_step,
        iin,
        phone_hint: String::new(),
        error: None,
        resume_to: String::new(),
        resume: String::new(),
    }
}

impl LoginPage {
    /// Carries a kept form through the sign-in steps.
    fn keeping(mut self, kept: Option<&Kept>) -> LoginPage {
        if let Some(k) = kept {
            self.resume_to = k.to.clone();
            self.resume = k.encoded();
            self.page.flash = Some(self.page.tr.t("console-session-expired"));
        }
        self
    }
}

/// The sign-in form; sets the form's double-submit cookie if missing.
pub async fn form(State(st): State<AppState>, headers: HeaderMap) -> Response {
    sign_in_page(&headers, session::secure(&st, &headers), None)
}

fn sign_in_page(headers: &HeaderMap, secure: bool, kept: Option<Kept>) -> Response {
    let tr = tr_of(headers);
    let pre = session::cookie(headers, PRE_COOKIE)
        .filter(|v| !v.is_empty())
        .unwrap_or_else(crypto::random_token);
    let cookie = session::set_cookie(PRE_COOKIE, &pre, secure, None);
    let page = login_page(tr, pre, false, String::new()).keeping(kept.as_ref());
    let mut r = pages::render(StatusCode::OK, &page);
    if let Ok(v) = cookie.parse() {
        r.headers_mut().insert(SET_COOKIE, v);
    }
    r
}

/// Instead of the bare redirect to sign-in a form POST got when its
/// session had expired: the sign-in page, keeping the form (see `resume.rs`).
pub fn expired_page(headers: &HeaderMap, secure: bool, kept: Option<Kept>) -> Response {
    sign_in_page(headers, secure, kept)
}

/// The sign-in forms' CSRF check: the field must equal the cookie.
fn pre_token(headers: &HeaderMap, form: &LoginForm) -> Option<String> {
    session::cookie(headers, PRE_COOKIE).filter(|pre| csrf::matches(pre, &form.csrf))
}

fn rejected(
    tr: Tr,
    pre: String,
    code_step: bool,
    iin: String,
    kept: Option<&Kept>,
    e: &AppError,
) -> Response {
    match e {
        AppError::Reject(r) => {
            let mut p = login_page(tr, pre, code_step, iin).keeping(kept);
            p.error = Some(tr.t(&r.code.message_key()));
            pages::render(crate::error::status_of(r.code), &p)
        }
        other => pages::error(tr, other),
    }
}

/// A sign-in form's pre-session CSRF token (`None`: refused) and its IIN
/// field, trimmed and bounded.
fn checked(headers: &HeaderMap, form: &LoginForm) -> Option<(String, String)> {
    let pre = pre_token(headers, form)?;
    Some((pre, form.iin.trim().chars().take(20).collect()))
}

/// Step 1: IIN → a code to the phone on file (the app's own OTP flow).
pub async fn request_code(
    State(st): State<AppState>,
    client: ClientKey,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let tr = tr_of(&headers);
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let Some((pre, iin)) = checked(&headers, &form) else {
        return pages::csrf_refused(tr);
    };
    let iin2 = iin.clone();
    match blocking(&st, move |st, c| auth::request_otp(st, c, &iin2, &client)).await {
        Ok(sent) => {
            let mut p = login_page(tr, pre, true, iin).keeping(form.kept().as_ref());
            if let Some(hint) = sent.phone_hint {
                p.phone_hint = tr.s("console-code-sent", "phone", &hint);
            } else {
                p.phone_hint = tr.t("console-code-sent-maybe");
            }
            pages::render(StatusCode::OK, &p)
        }
        Err(e) => rejected(tr, pre, false, iin, form.kept().as_ref(), &e),
    }
}

/// Step 2: IIN + code → a console session for staff; residents get the
/// "staff only" page and no session.
pub async fn verify(
    State(st): State<AppState>,
    client: ClientKey,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let tr = tr_of(&headers);
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let Some((pre, iin)) = checked(&headers, &form) else {
        return pages::csrf_refused(tr);
    };
    let (iin2, code) = (iin.clone(), form.code.clone());
    let opened = blocking(&st, move |st, c| {
        let user_id = auth::verify_code(st, c, &iin2, &code, &client)?;
        let actor = auth::load_actor_by_user(st, c, &user_id, "")?;
        if !session::is_staff(&actor) {
            return Ok(None);
        }
        let token = session::open(st, c, &user_id)?;
        let s = session::find(st, c, &token)?
            .ok_or_else(|| AppError::Internal("session just opened is gone".into()))?;
        Ok(Some((
            token,
            Staff {
                actor,
                session: s,
                tr,
            },
        )))
    })
    .await;
    match opened {
        Ok(Some((token, staff))) => {
            tracing::info!("console session opened");
            let secure = session::secure(&st, &headers);
            let mut r = match form.kept() {
                Some(k) => pages::render(StatusCode::OK, &ResumePage::new(&staff, k)),
                None => Redirect::to("/console").into_response(),
            };
            let cookies = [
                session::set_cookie(COOKIE, &token, secure, None),
                session::set_cookie(PRE_COOKIE, "", secure, Some(0)),
            ];
            for c in cookies {
                if let Ok(v) = c.parse() {
                    r.headers_mut().append(SET_COOKIE, v);
                }
            }
            r
        }
        Ok(None) => pages::staff_only(tr),
        Err(e) => rejected(tr, pre, true, iin, form.kept().as_ref(), &e),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

/// Sign-out (POST with the session's CSRF token): the session is deleted.
pub async fn logout(
    State(st): State<AppState>,
    headers: HeaderMap,
    Checked { staff, .. }: Checked<CsrfOnly>,
) -> Response {
    let hash = staff.session.token_hash.clone();
    if let Err(e) = blocking(&st, move |_, c| session::close(c, &hash)).await {
        return pages::error(staff.tr, &e);
    }
    let mut r = Redirect::to("/console/login").into_response();
    let gone = session::set_cookie(COOKIE, "", session::secure(&st, &headers), Some(0));
    if let Ok(v) = gone.parse() {
        r.headers_mut().insert(SET_COOKIE, v);
    }
    r
}

#[derive(Debug, Deserialize)]
pub struct LangArgs {
    #[serde(default)]
    to: String,
    #[serde(default)]
    next: String,
}

/// The language switch: remembers the choice and goes back (a console
/// path only, never another site).
pub async fn switch_lang(
    State(st): State<AppState>,
    headers: HeaderMap,
    Query(args): Query<LangArgs>,
) -> Response {
    let next = if pages::is_console_path(&args.next) {
        args.next.as_str()
    } else {
        "/console"
    };
    let mut r = Redirect::to(next).into_response();
    if let Some(lang) = Lang::parse(&args.to) {
        let c = session::set_cookie(
            LANG_COOKIE,
            lang.code(),
            session::secure(&st, &headers),
            Some(365 * 24 * 3600),
        );
        if let Ok(v) = c.parse() {
            r.headers_mut().insert(SET_COOKIE, v);
        }
    }
    r
}

super::csrf::csrf_forms!(CsrfOnly);
