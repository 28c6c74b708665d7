//! Work on accepted proposals: the experts' review (feasible or not, a cost
//! estimate, a note — `proposal.review`) and, for selected projects, the
//! officials' implementation updates (progress %, a milestone note —
//! `proposal.progress`). Scoped like every console page; 404 outside.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use dauys_proto::{OpKind, ProposalStatus, Role};
use serde::Deserialize;
use serde_json::json;

use super::action;
use super::appeals::FlashArgs;
use super::csrf;
use super::pages::{self, Chrome};
use super::session::Staff;
use super::store::{self, IN_IMPLEMENTATION, IN_REVIEW, REVIEW_ROLES};
use crate::http::blocking;
use crate::state::AppState;

/// Proposals shown at once, oldest first.
const QUEUE_SIZE: i64 = 50;
/// Who updates a project's progress (what `proposal.progress` requires).
const PROGRESS_ROLES: &[Role] = &[Role::Official];

pub struct Item {
    pub id: String,
    pub title: String,
    pub description: String,
    pub category: String,
    pub cost: i64,
    pub progress: i64,
    pub op: String,
}

#[derive(Template)]
#[template(path = "console/reviews.html")]
pub struct ReviewsPage {
    pub page: Chrome,
    pub items: Vec<Item>,
    /// `review` or `progress`: which forms the items get.
    pub kind: &'static str,
}

async fn list(
    st: &AppState,
    staff: &Staff,
    roles: &'static [Role],
    statuses: &'static [ProposalStatus],
) -> Result<Vec<Item>, Response> {
    let actor = staff.actor.clone();
    let rows = blocking(st, move |_, c| {
        let scope = store::scope(c, &actor, roles)?;
        if scope.is_empty() {
            return Ok(None);
        }
        store::proposals(c, &scope, statuses, QUEUE_SIZE).map(Some)
    })
    .await;
    match rows {
        Ok(Some(rows)) => Ok(rows
            .into_iter()
            .map(|r| Item {
                op: action::new_op_id(),
                progress: r.progress.unwrap_or(0),
                id: r.id,
                title: r.title,
                description: r.description,
                category: r.category,
                cost: r.cost,
            })
            .collect()),
        Ok(None) => Err(pages::not_found(staff.tr)),
        Err(e) => Err(pages::error(staff.tr, &e)),
    }
}

/// `GET /console/reviews`.
pub async fn reviews(
    State(st): State<AppState>,
    staff: Staff,
    args: Result<Query<FlashArgs>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let items = match list(&st, &staff, REVIEW_ROLES, IN_REVIEW).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let flash = args.ok().and_then(|Query(a)| a.flash);
    let p = ReviewsPage {
        page: Chrome::signed_in(
            staff.tr,
            "console-reviews-title",
            "/console/reviews",
            &staff,
        )
        .with_flash(flash.as_deref()),
        items,
        kind: "review",
    };
    pages::render(StatusCode::OK, &p)
}

/// `GET /console/implementation`.
pub async fn implementation(
    State(st): State<AppState>,
    staff: Staff,
    args: Result<Query<FlashArgs>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let items = match list(&st, &staff, PROGRESS_ROLES, IN_IMPLEMENTATION).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let flash = args.ok().and_then(|Query(a)| a.flash);
    let p = ReviewsPage {
        page: Chrome::signed_in(
            staff.tr,
            "console-implementation-title",
            "/console/implementation",
            &staff,
        )
        .with_flash(flash.as_deref()),
        items,
        kind: "progress",
    };
    pages::render(StatusCode::OK, &p)
}

#[derive(Debug, Default, Deserialize)]
pub struct WorkForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    op_id: String,
    #[serde(default)]
    feasible: String,
    #[serde(default)]
    cost_estimate: String,
    #[serde(default)]
    progress: String,
    #[serde(default)]
    note: String,
}

/// A number field; a wrong one becomes -1, which the op refuses with its
/// own localized error.
fn number(s: &str) -> i64 {
    s.trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .parse()
        .unwrap_or(-1)
}

/// `POST /console/work/{id}/review` and `/console/work/{id}/progress`.
pub async fn act(
    State(st): State<AppState>,
    staff: Staff,
    Path((id, what)): Path<(String, String)>,
    form: Result<Form<WorkForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let f = form.map(|Form(f)| f).unwrap_or_default();
    if let Some(r) = csrf::refused(&staff, &f.csrf) {
        return r;
    }
    let (kind, roles, payload, back, done) = match what.as_str() {
        "review" => (
            OpKind::ProposalReview,
            REVIEW_ROLES,
            json!({"proposal_id": id, "feasible": f.feasible == "yes",
                   "cost_estimate": number(&f.cost_estimate), "note": f.note}),
            "/console/reviews",
            "console-flash-reviewed",
        ),
        "progress" => (
            OpKind::ProposalProgress,
            PROGRESS_ROLES,
            json!({"proposal_id": id, "progress": number(&f.progress), "note": f.note}),
            "/console/implementation",
            "console-flash-progress",
        ),
        _ => return pages::not_found(staff.tr),
    };
    let actor = staff.actor.clone();
    let id2 = id.clone();
    let in_scope = blocking(&st, move |_, c| {
        let Some(loc) = store::proposal_locality(c, &id2)? else {
            return Ok(false);
        };
        Ok(store::scope(c, &actor, roles)?.contains(&loc))
    })
    .await;
    match in_scope {
        Ok(true) => {}
        Ok(false) => return pages::not_found(staff.tr),
        Err(e) => return pages::error(staff.tr, &e),
    }
    let outcome = action::run(&st, &staff, &f.op_id, kind, payload).await;
    action::after(&staff, back, done, outcome)
}
