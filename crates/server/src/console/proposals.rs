//! The proposals moderation queue: accept, ask for changes or reject, with
//! a reason that is required (unless accepting) and published — through
//! the `proposal.moderate` op, like every other staff action.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dauys_proto::OpKind;
use serde_json::json;

use super::action;
use super::appeals::FlashArgs;
use super::csrf::Checked;
use super::pages::{self, Chrome};
use super::session::Staff;
use super::store::{self, IN_MODERATION, MODERATION_ROLES};
use crate::clock::date_of;
use crate::http::blocking;
use crate::state::AppState;

/// Proposals shown at once (oldest first: first come, first moderated;
/// each carries three forms, so 25 keep the page near 40 KB, 2 KB gzipped).
const QUEUE_SIZE: i64 = 25;

pub struct Item {
    pub id: String,
    pub title: String,
    pub description: String,
    pub category: String,
    pub cost: i64,
    pub status: String,
    pub submitted: String,
    /// Fresh op ids of its three forms.
    pub accept_op: String,
    pub changes_op: String,
    pub reject_op: String,
}

#[derive(Template)]
#[template(path = "console/proposals.html")]
pub struct QueuePage {
    pub page: Chrome,
    pub items: Vec<Item>,
}

fn status_label(tr: super::i18n::Tr, s: &str) -> String {
    let id = format!("proposal-status-{}", s.replace('_', "-"));
    if tr.has(&id) {
        tr.t(&id)
    } else {
        s.to_string()
    }
}

/// `GET /console/proposals`.
pub async fn queue(
    State(st): State<AppState>,
    staff: Staff,
    args: Result<Query<FlashArgs>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let tr = staff.tr;
    let flash = args.ok().and_then(|Query(a)| a.flash);
    let actor = staff.actor.clone();
    let loaded = blocking(&st, move |_, c| {
        let scope = store::scope(c, &actor, MODERATION_ROLES)?;
        store::proposals(c, &scope, IN_MODERATION, QUEUE_SIZE)
    })
    .await;
    let rows = match loaded {
        Ok(v) => v,
        Err(e) => return pages::error(tr, &e),
    };
    let p = QueuePage {
        page: Chrome::signed_in(tr, "console-proposals-title", "/console/proposals", &staff)
            .with_flash(flash.as_deref()),
        items: rows
            .into_iter()
            .map(|r| Item {
                status: status_label(tr, &r.status),
                submitted: dauys_proto::workdays::format_date(date_of(r.created_at)),
                accept_op: action::new_op_id(),
                changes_op: action::new_op_id(),
                reject_op: action::new_op_id(),
                id: r.id,
                title: r.title,
                description: r.description,
                category: r.category,
                cost: r.cost,
            })
            .collect(),
    };
    pages::render(StatusCode::OK, &p)
}

/// `POST /console/proposals/{id}/{decision}` (accept, needs_changes,
/// reject): CSRF, scope (404 outside), then the op.
pub async fn moderate(
    State(st): State<AppState>,
    Path((id, decision)): Path<(String, String)>,
    Checked { staff, form }: Checked<action::ReasonForm>,
) -> Response {
    let tr = staff.tr;
    let done = match decision.as_str() {
        "accept" => "console-flash-accepted",
        "needs_changes" => "console-flash-needs-changes",
        "reject" => "console-flash-rejected",
        _ => return pages::not_found(tr),
    };
    if let Err(r) =
        action::in_scope(&st, &staff, MODERATION_ROLES, store::proposal_locality, &id).await
    {
        return r;
    }
    let payload = json!({"proposal_id": id, "decision": decision, "reason": form.reason});
    let outcome = action::run(&st, &staff, &form.op_id, OpKind::ProposalModerate, payload).await;
    action::after(&staff, "/console/proposals", done, outcome)
}
