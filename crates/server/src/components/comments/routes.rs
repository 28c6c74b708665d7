//! Comments' HTTP routes. No SQL here.

use dauys_proto::Comment;

use axum::extract::{Path, State};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::AppResult;
use crate::http::{blocking, MaybeActor};
use crate::read;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(proposal_comments))
}

/// Comments on a proposal.
#[utoipa::path(get, tag = "comments", path = "/v1/proposals/{id}/comments", params(("id" = String, Path)), security((), ("bearer" = [])), responses((status = 200, body = Vec<Comment>)))]
pub async fn proposal_comments(
    State(st): State<AppState>,
    MaybeActor(actor): MaybeActor,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<Comment>>> {
    blocking(&st, move |_, c| {
        read::comments_of(c, &id, actor.as_ref().map(|a| a.user_id.as_str()))
    })
    .await
    .map(Json)
}
