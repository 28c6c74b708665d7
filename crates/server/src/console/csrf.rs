//! CSRF protection: a synchronizer token per console session, rendered in
//! a hidden `csrf` field of every form and compared on every POST before
//! anything is read or applied. The sign-in forms, before a session
//! exists, use a double-submit token (cookie `dauys_console_pre` = field).
//! `SameSite=Strict` cookies are the second line, not the only one.

use axum::response::Response;

use super::pages;
use super::session::Staff;

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
