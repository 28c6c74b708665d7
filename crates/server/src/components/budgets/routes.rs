//! Budgets' HTTP routes (reads; changes go through ops). No SQL here.

use dauys_proto::{ApiError, Cycle, Proposal};
use serde::Deserialize;

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::AppResult;
use crate::http::{blocking, found, paged, MaybeActor, PageArgs, QueryArgs};
use crate::read;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(cycles))
        .routes(routes!(cycle_get))
        .routes(routes!(cycle_proposals))
        .routes(routes!(proposal_get))
        .merge(super::export::routes())
        .merge(super::receipts::routes())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct CyclesArgs {
    /// Locality code.
    locality: String,
}

/// PB cycles of a locality, newest first, a page at a time (`Link:
/// rel="next"`).
#[utoipa::path(get, tag = "budgets", path = "/v1/cycles", params(CyclesArgs, PageArgs), responses((status = 200, body = Vec<Cycle>), (status = 422, body = ApiError)))]
pub async fn cycles(
    State(st): State<AppState>,
    QueryArgs(a): QueryArgs<CyclesArgs>,
    QueryArgs(p): QueryArgs<PageArgs>,
) -> AppResult<Response> {
    let page = p.page()?;
    let locality = a.locality.clone();
    let (items, more) = blocking(&st, move |_, c| read::cycles_of(c, &a.locality, page)).await?;
    Ok(paged(
        "/v1/cycles",
        &[("locality", &locality)],
        page,
        more,
        items,
    ))
}

/// One PB cycle.
#[utoipa::path(get, tag = "budgets", path = "/v1/cycles/{id}", params(("id" = String, Path)), responses((status = 200, body = Cycle), (status = 404, body = ApiError)))]
pub async fn cycle_get(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> AppResult<Json<Cycle>> {
    let v = blocking(&st, move |_, c| read::cycle(c, &id)).await?;
    found(v, "cycle")
}

/// Public proposals of a cycle (and the viewer's own), in ballot order, a
/// page at a time (`Link: rel="next"`; a page may hold fewer than its
/// limit: it counts proposals the viewer may not see).
#[utoipa::path(get, tag = "budgets", path = "/v1/cycles/{id}/proposals", params(("id" = String, Path), PageArgs), security((), ("bearer" = [])), responses((status = 200, body = Vec<Proposal>), (status = 422, body = ApiError)))]
pub async fn cycle_proposals(
    State(st): State<AppState>,
    MaybeActor(actor): MaybeActor,
    Path(id): Path<String>,
    QueryArgs(p): QueryArgs<PageArgs>,
) -> AppResult<Response> {
    let page = p.page()?;
    let path = format!("/v1/cycles/{id}/proposals");
    let (items, more) = blocking(&st, move |_, c| {
        read::proposals_page(c, &id, actor.as_ref().map(|a| a.user_id.as_str()), page)
    })
    .await?;
    Ok(paged(&path, &[], page, more, items))
}

/// One proposal with its history.
#[utoipa::path(get, tag = "budgets", path = "/v1/proposals/{id}", params(("id" = String, Path)), security((), ("bearer" = [])), responses((status = 200, body = Proposal), (status = 404, body = ApiError)))]
pub async fn proposal_get(
    State(st): State<AppState>,
    MaybeActor(actor): MaybeActor,
    Path(id): Path<String>,
) -> AppResult<Json<Proposal>> {
    let v = blocking(&st, move |_, c| {
        super::store::proposal_for(c, &id, actor.as_ref())
    })
    .await?;
    found(v, "proposal")
}
