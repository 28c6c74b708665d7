//! Appeals' HTTP routes (reads; changes go through ops). No SQL here.

use dauys_proto::{ApiError, Appeal};

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{self, Actor};
use crate::error::AppResult;
use crate::http::{blocking, found, paged, MaybeActor, PageArgs, QueryArgs};
use crate::read;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(my_appeals))
        .routes(routes!(appeal_get))
        .merge(super::open311::routes().into())
}

/// One appeal: public ones for anyone, private ones for the applicant and
/// officials of the addressed locality.
#[utoipa::path(get, tag = "appeals", path = "/v1/appeals/{id}", params(("id" = String, Path)), security((), ("bearer" = [])), responses((status = 200, body = Appeal), (status = 404, body = ApiError)))]
pub async fn appeal_get(
    State(st): State<AppState>,
    MaybeActor(actor): MaybeActor,
    Path(id): Path<String>,
) -> AppResult<Json<Appeal>> {
    let v = blocking(&st, move |st, c| {
        let official = match (&actor, read::appeal_place(c, &id)?) {
            (Some(a), Some(at)) => auth::require_role_at(
                c,
                a,
                &[dauys_proto::Role::Official],
                &at.locality,
                at.body.as_deref(),
            )
            .is_ok(),
            _ => false,
        };
        read::appeal(
            c,
            &id,
            actor.as_ref().map(|a| a.user_id.as_str()),
            official,
            st.clock.today(),
        )
    })
    .await?;
    found(v, "appeal")
}

/// The signed-in user's appeals, newest first, a page at a time (`Link:
/// rel="next"`).
#[utoipa::path(get, tag = "appeals", path = "/v1/appeals", params(PageArgs), security(("bearer" = [])), responses((status = 200, body = Vec<Appeal>), (status = 401, body = ApiError), (status = 422, body = ApiError)))]
pub async fn my_appeals(
    State(st): State<AppState>,
    actor: Actor,
    QueryArgs(p): QueryArgs<PageArgs>,
) -> AppResult<Response> {
    let page = p.page()?;
    let (items, more) = blocking(&st, move |st, c| {
        read::appeals_of_user(c, &actor.user_id, st.clock.today(), page)
    })
    .await?;
    Ok(paged("/v1/appeals", &[], page, more, items))
}
