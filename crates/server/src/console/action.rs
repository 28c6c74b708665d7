//! Staff actions from console forms, through the app's own op path.
//!
//! Each form carries an op id (a UUIDv7 generated when the form was
//! rendered, in the hidden `op_id` field). The action becomes a proto `Op`
//! with that id and goes through `push::push` — the function behind
//! `POST /v1/push` and `/v1/actions/{kind}`: the component registry parses
//! it, `push::apply_and_record` applies it in a savepoint of one write
//! transaction and records it in the op log. A double-submitted form sends
//! the same op id again and gets the stored outcome: it applies once.
//!
//! Signatures: only `appeal.submit` and `ballot.cast` must be signed by a
//! device key (`OpKind::requires_signature`), because they are a
//! resident's own acts queued offline. Staff kinds are accepted unsigned
//! from an authenticated session, as `/v1/actions/{kind}` does for
//! officials' tools; a console session has no device key, so console ops
//! are deliberately sent unsigned, authenticated by the session cookie and
//! the CSRF token, and authorized by the component (`require_role`) as
//! every other op is.

use axum::response::{IntoResponse, Redirect, Response};
use dauys_proto::{ErrorCode, Op, OpKind, OpOutcome, Role};

use super::session::Staff;
use super::{pages, store};
use crate::db::Conn;
use crate::error::{AppError, AppResult, Reject};
use crate::http::blocking;
use crate::push;
use crate::state::AppState;

/// Applies one staff op; its outcome (accepted, or the rule's rejection).
pub async fn run(
    st: &AppState,
    staff: &Staff,
    op_id: &str,
    kind: OpKind,
    payload: serde_json::Value,
) -> AppResult<OpOutcome> {
    let id = uuid::Uuid::parse_str(op_id.trim())
        .map_err(|_| Reject::field("op_id", "expected the form's op id"))?;
    let op = Op {
        id,
        kind: kind.as_str().to_string(),
        payload,
        client_ts: st.clock.now_ms(),
        signature: None,
    };
    let actor = staff.actor.clone();
    blocking(st, move |st, c| {
        let mut results = push::push(st, c, &actor, std::slice::from_ref(&op))?;
        results
            .pop()
            .map(|r| r.outcome)
            .ok_or_else(|| AppError::Internal("empty push result".into()))
    })
    .await
}

/// After an action: back to `back` (303) with a localized flash — `done`
/// when accepted, the rejection's `error-*` message otherwise.
pub fn after(staff: &Staff, back: &str, done: &str, outcome: AppResult<OpOutcome>) -> Response {
    let flash = match outcome {
        Ok(OpOutcome::Accepted { .. }) => done.to_string(),
        Ok(OpOutcome::Rejected { code, .. }) => code.message_key(),
        Err(AppError::Reject(r)) if r.code != ErrorCode::NotFound => r.code.message_key(),
        Err(e) => return pages::error(staff.tr, &e),
    };
    Redirect::to(&format!("{back}?flash={flash}")).into_response()
}

/// A fresh op id for a form being rendered.
pub fn new_op_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Where an item lies: its locality, `None` when there is no such item.
pub type Locate = fn(&mut dyn Conn, &str) -> AppResult<Option<String>>;

/// The scope check before a staff action: `Ok` when the item `id`, placed
/// by `locate`, lies in the staff's scope for `roles`; otherwise the
/// response to send — 404 whether the item is elsewhere or missing, so a
/// refusal gives no hint of other localities.
pub async fn in_scope(
    st: &AppState,
    staff: &Staff,
    roles: &'static [Role],
    locate: Locate,
    id: &str,
) -> Result<(), Response> {
    let id = id.to_string();
    inside(st, staff, move |c, actor| {
        let Some(loc) = locate(c, &id)? else {
            return Ok(false);
        };
        Ok(store::scope(c, actor, roles)?.contains(&loc))
    })
    .await
}

/// [`in_scope`] for an appeal: its locality or its body (a department's
/// official) in the staff's appeal scope.
pub async fn appeal_in_scope(st: &AppState, staff: &Staff, id: &str) -> Result<(), Response> {
    let id = id.to_string();
    inside(st, staff, move |c, actor| {
        let Some(at) = crate::read::appeal_place(c, &id)? else {
            return Ok(false);
        };
        Ok(store::appeal_scope(c, actor)?.holds(&at))
    })
    .await
}

async fn inside(
    st: &AppState,
    staff: &Staff,
    check: impl FnOnce(&mut dyn Conn, &crate::auth::Actor) -> AppResult<bool> + Send + 'static,
) -> Result<(), Response> {
    let actor = staff.actor.clone();
    match blocking(st, move |_, c| check(c, &actor)).await {
        Ok(true) => Ok(()),
        Ok(false) => Err(pages::not_found(staff.tr)),
        Err(e) => Err(pages::error(staff.tr, &e)),
    }
}

/// The fields of a form that acts on one item with a reason: the CSRF
/// token, the op id rendered with the form, and the reason or note.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub op_id: String,
    #[serde(default)]
    pub reason: String,
}

super::csrf::csrf_forms!(ReasonForm);
