//! Console sessions: a random token in an `HttpOnly`, `SameSite=Strict`
//! cookie scoped to `/console` (`Secure` over TLS); the database keeps only
//! its hash, the user, the session's CSRF token and when it was last used.
//! A session idle for longer than `Config::console_idle_ms` is deleted on
//! its next use; signing out deletes it.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum::response::Response;
use dauys_proto::Role;

use super::i18n::{Lang, Tr};
use super::pages;
use super::store::sessions;
use crate::auth::{self, Actor};
use crate::crypto;
use crate::db::{self, Conn};
use crate::error::AppResult;
use crate::http::blocking;
use crate::state::AppState;

/// Default idle timeout of a console session.
pub const IDLE_TIMEOUT_MS: i64 = 30 * 60 * 1000;
/// The session cookie.
pub const COOKIE: &str = "dauys_console";
/// The sign-in form's CSRF cookie (double submit: no session exists yet).
pub const PRE_COOKIE: &str = "dauys_console_pre";
/// The language cookie.
pub const LANG_COOKIE: &str = "lang";
/// `last_seen` is written at most this often (a write per page view would
/// queue every reader behind the write gate).
const TOUCH_EVERY_MS: i64 = 60 * 1000;

/// A live console session.
#[derive(Debug, Clone)]
pub struct ConsoleSession {
    pub token_hash: String,
    pub user_id: String,
    /// The synchronizer token every form of this session carries.
    pub csrf: String,
}

/// Opens a session for `user_id`; returns the cookie's token.
pub fn open(st: &AppState, c: &mut dyn Conn, user_id: &str) -> AppResult<String> {
    let token = crypto::random_token();
    let token_hash = crypto::sha256_hex(token.as_bytes());
    let csrf = crypto::random_token();
    let now = st.clock.now_ms();
    db::write_tx(c, |c| sessions::insert(c, &token_hash, user_id, &csrf, now))?;
    Ok(token)
}

/// The live session of a cookie token; an idle one is deleted.
pub fn find(st: &AppState, c: &mut dyn Conn, token: &str) -> AppResult<Option<ConsoleSession>> {
    let token_hash = crypto::sha256_hex(token.as_bytes());
    let Some(sessions::Stored {
        user_id,
        csrf,
        last_seen,
    }) = sessions::get(c, &token_hash)?
    else {
        return Ok(None);
    };
    let now = st.clock.now_ms();
    if now - last_seen > st.config.console_idle_ms {
        close(c, &token_hash)?;
        return Ok(None);
    }
    if now - last_seen > TOUCH_EVERY_MS {
        db::write_tx(c, |c| sessions::touch(c, &token_hash, now))?;
    }
    Ok(Some(ConsoleSession {
        token_hash,
        user_id,
        csrf,
    }))
}

/// Deletes a session (sign-out, idle timeout).
pub fn close(c: &mut dyn Conn, token_hash: &str) -> AppResult<()> {
    db::write_tx(c, |c| sessions::delete(c, token_hash))
}

/// Whether the user holds any staff role (official, moderator, expert,
/// admin): residents do not get into the console.
pub fn is_staff(actor: &Actor) -> bool {
    actor.roles.iter().any(|g| g.role != Role::Citizen)
}

/// A cookie's value from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
}

/// Whether cookies must carry `Secure`: the server serves TLS itself, or a
/// TLS proxy says so.
pub fn secure(st: &AppState, headers: &HeaderMap) -> bool {
    st.config.secure_cookies
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// A `Set-Cookie` value for the console (`max_age` 0 deletes it).
pub fn set_cookie(name: &str, value: &str, secure: bool, max_age_s: Option<i64>) -> String {
    let mut s = format!("{name}={value}; Path=/console; HttpOnly; SameSite=Strict");
    if let Some(age) = max_age_s {
        s.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        s.push_str("; Secure");
    }
    s
}

/// The language of a request (query `lang`, cookie, `Accept-Language`).
pub fn lang_of(parts: &Parts) -> Lang {
    let query = parts.uri.query().and_then(|q| {
        q.split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == "lang")
            .map(|(_, v)| v.to_string())
    });
    let accept = parts
        .headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    Lang::negotiate(
        query.as_deref(),
        cookie(&parts.headers, LANG_COOKIE).as_deref(),
        accept,
    )
}

/// A signed-in staff member: handlers taking it run only for a live
/// console session of a user who still holds a staff role. Without one the
/// browser is sent to sign in (303); a resident gets the "staff only" page.
pub struct Staff {
    pub actor: Actor,
    pub session: ConsoleSession,
    pub tr: Tr,
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Staff, Response> {
        let tr = Tr::new(lang_of(parts));
        let Some(token) = cookie(&parts.headers, COOKIE) else {
            return Err(pages::to_login());
        };
        let found = blocking(st, move |st, c| {
            let Some(s) = find(st, c, &token)? else {
                return Ok(None);
            };
            let actor = auth::load_actor_by_user(st, c, &s.user_id, "")?;
            Ok(Some((s, actor)))
        })
        .await;
        match found {
            Ok(Some((session, actor))) if is_staff(&actor) => Ok(Staff { actor, session, tr }),
            Ok(Some(_)) => Err(pages::staff_only(tr)),
            Ok(None) => Err(pages::to_login()),
            Err(e) => Err(pages::error(tr, &e)),
        }
    }
}
