//! Public downloads of a closed vote: anonymized ballots and outcome as
//! pabulib `.pb` (anyone can recount with any pabulib tool) and as CSV.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use dauys_proto::{ErrorCode, Phase};

use crate::error::{AppResult, Reject};
use crate::http::blocking;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/cycles/{id}/ballots.pb", get(ballots_pb))
        .route("/v1/cycles/{id}/results.csv", get(results_csv))
}

/// Projects that were on the ballot, whatever happened to them since.
const COUNTED: &[&str] = &["selected", "not_selected", "in_implementation", "done"];

fn published(
    st: &AppState,
    c: &mut dyn crate::db::Conn,
    id: &str,
) -> AppResult<(dauys_tally::Election, dauys_tally::Outcome)> {
    let cycle = crate::read::cycle(c, id)?
        .ok_or_else(|| Reject::new(ErrorCode::NotFound, "cycle not found"))?;
    if cycle.phase < Phase::Tallying {
        return Err(Reject::new(
            ErrorCode::PhaseClosed,
            "ballots are published once voting is over",
        )
        .into());
    }
    let (e, rule) = super::results::election(c, id, COUNTED)?;
    let out = dauys_tally::tally(&e, rule)
        .map_err(|e| crate::error::AppError::Internal(e.to_string()))?;
    let mut public = e;
    // Stable random voter ids per cycle: repeated downloads are identical.
    let h = crate::crypto::keyed_hash(&st.secret, "anonymize", &[id]);
    let seed = u64::from_str_radix(&h[..16], 16).unwrap_or(1);
    public.anonymize(seed);
    public.set_outcome(&out);
    public.prepare_for_publication();
    Ok((public, out))
}

fn download(body: String, content_type: &'static str, filename: String) -> Response {
    let mut r = body.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// Anonymized ballots and outcome of a cycle in pabulib format.
#[utoipa::path(get, path = "/v1/cycles/{id}/ballots.pb", params(("id" = String, Path)),
    responses((status = 200, description = "pabulib file", content_type = "text/plain"), (status = 404, body = dauys_proto::ApiError), (status = 409, body = dauys_proto::ApiError)))]
pub async fn ballots_pb(State(st): State<AppState>, Path(id): Path<String>) -> AppResult<Response> {
    let name = format!("dauys_{id}.pb");
    let body = blocking(&st, move |st, c| {
        let (public, _) = published(st, c, &id)?;
        Ok(dauys_tally::pabulib::write(&public))
    })
    .await?;
    Ok(download(body, "text/plain; charset=utf-8", name))
}

/// The outcome as CSV: project, cost, votes, selected.
#[utoipa::path(get, path = "/v1/cycles/{id}/results.csv", params(("id" = String, Path)),
    responses((status = 200, description = "CSV", content_type = "text/csv"), (status = 404, body = dauys_proto::ApiError), (status = 409, body = dauys_proto::ApiError)))]
pub async fn results_csv(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let name = format!("dauys_{id}.csv");
    let body = blocking(&st, move |st, c| {
        let (public, out) = published(st, c, &id)?;
        Ok(dauys_tally::outcome_csv(&public, &out))
    })
    .await?;
    Ok(download(body, "text/csv; charset=utf-8", name))
}
