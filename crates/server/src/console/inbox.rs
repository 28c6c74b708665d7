//! `GET /v1/staff/appeals`: the officials' inbox as JSON, with the
//! console's scoping and filters (the same `store::appeals_queue`).

use axum::extract::State;
use axum::Json;
use dauys_proto::{ApiError, Appeal, ErrorCode};
use serde::{Deserialize, Serialize};

use super::appeals::QueueArgs;
use super::store::{self, StaffComment, StaffProposal, APPEAL_ROLES};
use crate::auth::Actor;
use crate::error::{AppError, AppResult, Reject};
use crate::http::{blocking, QueryArgs};
use crate::read;
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The staff inbox routes (in the OpenAPI document; merged by `http::api`).
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(staff_appeals))
        .routes(routes!(staff_proposals))
        .routes(routes!(staff_comments))
        .routes(routes!(staff_cycles))
}

/// One page of the inbox.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StaffAppealsPage {
    /// Appeals by due date (unregistered ones last, by arrival).
    pub items: Vec<Appeal>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct StaffAppealsArgs {
    /// An appeal status, e.g. `submitted`.
    #[serde(default)]
    status: Option<String>,
    /// An appeal type, e.g. `complaint`.
    #[serde(default, rename = "type")]
    appeal_type: Option<String>,
    /// `1` or `true`: open appeals past their due date only.
    #[serde(default)]
    overdue: Option<String>,
    /// Words in the subject or text.
    #[serde(default)]
    q: Option<String>,
    /// Addressed to this body, e.g. `pvl-akimat`.
    #[serde(default)]
    body: Option<String>,
    /// Due on or before this day, `YYYY-MM-DD`.
    #[serde(default)]
    due_before: Option<String>,
    /// Opaque cursor from the previous page.
    #[serde(default)]
    cursor: Option<String>,
    /// Page size (1–200, default 50).
    #[serde(default)]
    limit: Option<i64>,
}

/// Appeals addressed to bodies in the caller's scope (private ones
/// included), filtered, by due date, with a cursor. Staff with no appeal
/// role get `403`.
#[utoipa::path(get, tag = "staff", path = "/v1/staff/appeals", params(StaffAppealsArgs), security(("bearer" = [])),
    responses((status = 200, body = StaffAppealsPage), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn staff_appeals(
    State(st): State<AppState>,
    actor: Actor,
    QueryArgs(args): QueryArgs<StaffAppealsArgs>,
) -> AppResult<Json<StaffAppealsPage>> {
    // The cursor is the position in the ordered result (opaque to clients:
    // it may become a keyset position without a change of the API).
    let offset = match args.cursor.as_deref() {
        None | Some("") => 0,
        Some(c) => c
            .parse::<i64>()
            .ok()
            .filter(|v| *v >= 0)
            .ok_or_else(|| Reject::field("cursor", "not a cursor"))?,
    };
    let limit = args.limit.unwrap_or(50).clamp(1, 200);
    let filter = QueueArgs {
        status: args.status.unwrap_or_default(),
        appeal_type: args.appeal_type.unwrap_or_default(),
        overdue: match args.overdue.as_deref() {
            Some("1") | Some("true") => "1".into(),
            _ => String::new(),
        },
        q: args.q.unwrap_or_default(),
        body: args.body.unwrap_or_default(),
        due_before: args.due_before.unwrap_or_default(),
        page: None,
        flash: None,
    }
    .filter();
    blocking(&st, move |st, c| {
        let scope = store::granted_appeal_scope(c, &actor)?.ok_or_else(|| {
            AppError::from(Reject::new(
                ErrorCode::Forbidden,
                "requires an appeals role",
            ))
        })?;
        let today = st.clock.today();
        let mut rows = store::appeals_queue(c, &scope, &filter, today, offset, limit + 1)?;
        let more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        let ids: Vec<String> = rows.into_iter().map(|r| r.id).collect();
        let mut found = read::appeals(c, &ids, Some(&actor.user_id), true, today)?;
        found.sort_by_key(|a| ids.iter().position(|i| *i == a.id));
        Ok(Json(StaffAppealsPage {
            items: found,
            next_cursor: more.then(|| (offset + limit).to_string()),
        }))
    })
    .await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct StaffProposalsArgs {
    /// `moderation` (default) or `review`.
    #[serde(default)]
    stage: Option<String>,
    /// Page size (1–200, default 50); oldest first.
    #[serde(default)]
    limit: Option<i64>,
}

/// Proposals waiting for moderation or for the experts, in the caller's
/// scope, oldest first. Staff without the stage's role get `403`.
#[utoipa::path(get, tag = "staff", path = "/v1/staff/proposals", params(StaffProposalsArgs), security(("bearer" = [])),
    responses((status = 200, body = Vec<StaffProposal>), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn staff_proposals(
    State(st): State<AppState>,
    actor: Actor,
    QueryArgs(args): QueryArgs<StaffProposalsArgs>,
) -> AppResult<Json<Vec<StaffProposal>>> {
    let (roles, statuses) = match args.stage.as_deref().unwrap_or("moderation") {
        "moderation" => (store::MODERATION_ROLES, store::IN_MODERATION),
        "review" => (store::REVIEW_ROLES, store::IN_REVIEW),
        _ => return Err(Reject::field("stage", "moderation or review").into()),
    };
    let limit = args.limit.unwrap_or(50).clamp(1, 200);
    blocking(&st, move |_, c| {
        let scope = store::granted_scope(c, &actor, roles)?.ok_or_else(|| {
            AppError::from(Reject::new(
                ErrorCode::Forbidden,
                "requires a role for this stage",
            ))
        })?;
        Ok(Json(store::proposals(c, &scope, statuses, limit)?))
    })
    .await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct StaffLimitArgs {
    /// Page size (1–200, default 50).
    #[serde(default)]
    limit: Option<i64>,
}

/// The latest comments in the caller's moderation scope, newest first.
#[utoipa::path(get, tag = "staff", path = "/v1/staff/comments", params(StaffLimitArgs), security(("bearer" = [])),
    responses((status = 200, body = Vec<StaffComment>), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn staff_comments(
    State(st): State<AppState>,
    actor: Actor,
    QueryArgs(args): QueryArgs<StaffLimitArgs>,
) -> AppResult<Json<Vec<StaffComment>>> {
    let limit = args.limit.unwrap_or(50).clamp(1, 200);
    blocking(&st, move |_, c| {
        let scope = store::granted_scope(c, &actor, store::MODERATION_ROLES)?.ok_or_else(|| {
            AppError::from(Reject::new(
                ErrorCode::Forbidden,
                "requires a moderation role",
            ))
        })?;
        Ok(Json(store::comments(c, &scope, limit)?))
    })
    .await
}

/// A cycle with its next stage and that stage's scheduled date.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StaffCycle {
    pub cycle: dauys_proto::Cycle,
    pub next_phase: Option<dauys_proto::Phase>,
    /// `YYYY-MM-DD`, when the schedule has it.
    pub next_date: Option<String>,
}

/// The cycles in the caller's scope (officials), newest first.
#[utoipa::path(get, tag = "staff", path = "/v1/staff/cycles", security(("bearer" = [])),
    responses((status = 200, body = Vec<StaffCycle>), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
pub async fn staff_cycles(
    State(st): State<AppState>,
    actor: Actor,
) -> AppResult<Json<Vec<StaffCycle>>> {
    blocking(&st, move |_, c| {
        let scope = store::granted_scope(c, &actor, APPEAL_ROLES)?.ok_or_else(|| {
            AppError::from(Reject::new(
                ErrorCode::Forbidden,
                "requires an official's role",
            ))
        })?;
        let ids = store::cycle_ids(c, &scope)?;
        let mut cycles = read::cycles(c, &ids)?;
        cycles.sort_by_key(|cy| ids.iter().position(|i| *i == cy.id));
        Ok(Json(
            cycles
                .into_iter()
                .map(|cy| {
                    let next = super::cycles::next_phase(cy.phase);
                    StaffCycle {
                        next_date: next.and_then(|n| cy.schedule.get(n.as_str()).cloned()),
                        next_phase: next,
                        cycle: cy,
                    }
                })
                .collect(),
        ))
    })
    .await
}
