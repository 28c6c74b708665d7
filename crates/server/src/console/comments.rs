//! Comment moderation: the latest comments in the moderator's scope, each
//! hidden with a reason — required, and published with the hidden comment
//! as "hidden by the moderator: …" — or shown again (`comment.moderate`).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dauys_proto::workdays::format_date;
use dauys_proto::OpKind;
use serde_json::json;

use super::action;
use super::appeals::FlashArgs;
use super::csrf::Checked;
use super::pages::{self, Chrome};
use super::session::Staff;
use super::store::{self, MODERATION_ROLES};
use crate::clock::date_of;
use crate::http::blocking;
use crate::state::AppState;

/// Comments shown at once.
const PAGE: i64 = 50;

pub struct Line {
    pub id: String,
    pub on: String,
    pub body: String,
    pub date: String,
    pub visible: bool,
    pub note: String,
    pub op: String,
    /// "Reported by N residents", '' when not reported.
    pub reported: String,
}

#[derive(Template)]
#[template(path = "console/comments.html")]
pub struct CommentsPage {
    pub page: Chrome,
    pub lines: Vec<Line>,
}

/// `GET /console/comments`.
pub async fn page(
    State(st): State<AppState>,
    staff: Staff,
    args: Result<Query<FlashArgs>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let tr = staff.tr;
    let actor = staff.actor.clone();
    let rows = blocking(&st, move |_, c| {
        let Some(scope) = store::granted_scope(c, &actor, MODERATION_ROLES)? else {
            return Ok(None);
        };
        store::comments(c, &scope, PAGE).map(Some)
    })
    .await;
    let rows = match pages::found(tr, rows) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let flash = args.ok().and_then(|Query(a)| a.flash);
    let p = CommentsPage {
        page: Chrome::signed_in(tr, "console-comments-title", "/console/comments", &staff)
            .with_flash(flash.as_deref()),
        lines: rows
            .into_iter()
            .map(|r| Line {
                on: format!("{} {}", r.target_kind, r.target_id),
                date: format_date(date_of(r.created_at)),
                op: action::new_op_id(),
                id: r.id,
                body: r.body,
                visible: r.visible,
                note: r.moderation_note,
                reported: if r.reports > 0 && r.visible {
                    tr.n("console-comment-reported", "count", r.reports)
                } else {
                    String::new()
                },
            })
            .collect(),
    };
    pages::render(StatusCode::OK, &p)
}

/// `POST /console/comments/{id}/hide` and `/console/comments/{id}/show`.
pub async fn moderate(
    State(st): State<AppState>,
    Path((id, what)): Path<(String, String)>,
    Checked { staff, form: f }: Checked<action::ReasonForm>,
) -> Response {
    let (visible, done) = match what.as_str() {
        "hide" => (false, "console-flash-comment-hidden"),
        "show" => (true, "console-flash-comment-shown"),
        _ => return pages::not_found(staff.tr),
    };
    if let Err(r) =
        action::in_scope(&st, &staff, MODERATION_ROLES, store::comment_locality, &id).await
    {
        return r;
    }
    let payload = json!({"comment_id": id, "visible": visible, "reason": f.reason});
    let outcome = action::run(&st, &staff, &f.op_id, OpKind::CommentModerate, payload).await;
    action::after(&staff, "/console/comments", done, outcome)
}
