//! CSRF protection: a synchronizer token per console session, rendered in
//! a hidden `csrf` field of every form and compared on every POST before
//! anything is read or applied. The sign-in forms, before a session
//! exists, use a double-submit token (cookie `dauys_console_pre` = field).
//! `SameSite=Strict` cookies are the second line, not the only one.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::response::Response;
use axum::Form;
use serde::de::DeserializeOwned;

use super::pages;
use super::session::Staff;
use crate::state::AppState;

/// Equal without an early exit on the first differing byte.
pub fn matches(expected: &str, given: &str) -> bool {
    let (a, b) = (expected.as_bytes(), given.as_bytes());
    if a.is_empty() || a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The session's token must come back in the form; otherwise the 403
/// page to answer with (nothing may be applied then).
pub fn refused(staff: &Staff, given: &str) -> Option<Response> {
    if matches(&staff.session.csrf, given) {
        None
    } else {
        tracing::warn!(user = %staff.actor.user_id, "console POST with a wrong CSRF token");
        Some(pages::csrf_refused(staff.tr))
    }
}

/// A console form that carries the session's synchronizer token.
pub trait CsrfForm {
    fn csrf(&self) -> &str;
}

/// Implements [`CsrfForm`] for form structs with a `csrf` field.
macro_rules! csrf_forms {
    ($($t:ty),* $(,)?) => {
        $(impl $crate::console::csrf::CsrfForm for $t {
            fn csrf(&self) -> &str {
                &self.csrf
            }
        })*
    };
}
pub(crate) use csrf_forms;

/// A console POST whose CSRF token matched: the signed-in staff member and
/// the form. Extracted in that order — no session: the sign-in page; a
/// wrong or missing token: the 403 page, before the handler runs. A form
/// that does not parse is read as empty (its token is then missing too).
pub struct Checked<T> {
    pub staff: Staff,
    pub form: T,
}

impl<T> FromRequest<AppState> for Checked<T>
where
    T: CsrfForm + DeserializeOwned + Default + Send,
{
    type Rejection = Response;

    async fn from_request(req: Request, st: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let staff = Staff::from_request_parts(&mut parts, st).await?;
        let form = Form::<T>::from_request(Request::from_parts(parts, body), st)
            .await
            .map(|Form(f)| f)
            .unwrap_or_default();
        match refused(&staff, form.csrf()) {
            Some(r) => Err(r),
            None => Ok(Checked { staff, form }),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn compares_whole_tokens() {
        assert!(super::matches("abc", "abc"));
        assert!(!super::matches("abc", "abd"));
        assert!(!super::matches("abc", "ab"));
        assert!(!super::matches("", ""));
    }
}
