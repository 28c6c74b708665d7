//! Bulk registration from the appeals queue: each ticked line carries its
//! appeal id and its own op id (`<appeal>:<op>`, rendered with the page),
//! so the batch is one push of one `appeal.register` op per appeal —
//! applied once each, however often the form is sent — and one appeal
//! refused (already registered by a colleague, out of scope) does not
//! stop the others.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use dauys_proto::{Op, OpKind, OpOutcome};
use serde_json::json;

use super::csrf;
use super::pages;
use super::session::Staff;
use super::store;
use crate::http::blocking;
use crate::push;
use crate::read;
use crate::state::AppState;

/// At most this many appeals in one form (a queue page shows 50).
const MAX_PICKS: usize = 100;

/// The form's CSRF token and its `(appeal id, op id)` picks.
fn parse(body: &[u8]) -> (String, Vec<(String, uuid::Uuid)>) {
    let mut token = String::new();
    let mut picks = Vec::new();
    for (k, v) in form_urlencoded::parse(body) {
        match k.as_ref() {
            "csrf" => token = v.into_owned(),
            "pick" if picks.len() < MAX_PICKS => {
                if let Some((appeal, op)) = v.split_once(':') {
                    if let Ok(op) = uuid::Uuid::parse_str(op) {
                        picks.push((appeal.to_string(), op));
                    }
                }
            }
            _ => {}
        }
    }
    (token, picks)
}

/// `POST /console/appeals/register`.
pub async fn register(State(st): State<AppState>, staff: Staff, body: Bytes) -> Response {
    let (token, picks) = parse(&body);
    if let Some(r) = csrf::refused(&staff, &token) {
        return r;
    }
    if picks.is_empty() {
        return Redirect::to("/console/appeals?flash=console-flash-none-selected").into_response();
    }
    let actor = staff.actor.clone();
    let now = st.clock.now_ms();
    let done = blocking(&st, move |st, c| {
        // Out-of-scope lines are dropped silently (as a 404 would say
        // nothing); the op would refuse them anyway.
        let scope = store::appeal_scope(c, &actor)?;
        let mut ops = Vec::with_capacity(picks.len());
        for (appeal, op) in picks {
            if read::appeal_place(c, &appeal)?.is_some_and(|at| scope.holds(&at)) {
                ops.push(Op {
                    id: op,
                    kind: OpKind::AppealRegister.as_str().to_string(),
                    payload: json!({ "appeal_id": appeal }),
                    client_ts: now,
                    signature: None,
                });
            }
        }
        let results = push::push(st, c, &actor, &ops)?;
        let accepted = results
            .iter()
            .filter(|r| matches!(r.outcome, OpOutcome::Accepted { .. }))
            .count();
        Ok((accepted, results.len()))
    })
    .await;
    match done {
        Ok((n, all)) if n == all && n > 0 => {
            Redirect::to("/console/appeals?flash=console-flash-bulk-registered").into_response()
        }
        Ok(_) => Redirect::to("/console/appeals?flash=console-flash-bulk-partial").into_response(),
        Err(e) => pages::error(staff.tr, &e),
    }
}
