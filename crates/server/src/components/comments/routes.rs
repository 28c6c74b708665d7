//! Comments' HTTP routes. No SQL here.

use dauys_proto::Comment;

use axum::extract::{Path, State};
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::AppResult;
use crate::http::{blocking, paged, MaybeActor, PageArgs, QueryArgs};
use crate::read;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(proposal_comments))
}

/// Comments on a proposal, a page at a time (`Link: rel="next"`).
#[utoipa::path(get, tag = "comments", path = "/v1/proposals/{id}/comments", params(("id" = String, Path), PageArgs), security((), ("bearer" = [])), responses((status = 200, body = Vec<Comment>), (status = 422, body = dauys_proto::ApiError)))]
pub async fn proposal_comments(
    State(st): State<AppState>,
    MaybeActor(actor): MaybeActor,
    Path(id): Path<String>,
    QueryArgs(p): QueryArgs<PageArgs>,
) -> AppResult<Response> {
    let page = p.page()?;
    let path = format!("/v1/proposals/{id}/comments");
    let (items, more) = blocking(&st, move |_, c| {
        read::comments_of(c, &id, actor.as_ref().map(|a| a.user_id.as_str()), page)
    })
    .await?;
    Ok(paged(&path, &[], page, more, items))
}
