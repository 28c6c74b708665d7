//! Public downloads of a closed vote: anonymized ballots and outcome as
//! pabulib `.pb` (anyone can recount with any pabulib tool) and as CSV.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use dauys_proto::{ErrorCode, Phase};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::{self, Conn};
use crate::error::{AppResult, Reject};
use crate::http::blocking;
use crate::params;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(ballots_pb))
        .routes(routes!(results_csv))
}

/// Projects that were on the ballot, whatever happened to them since.
const COUNTED: &[&str] = &["selected", "not_selected", "in_implementation", "done"];

fn published(
    st: &AppState,
    c: &mut dyn Conn,
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

/// A counted cycle's downloads, made once and then read from the database:
/// counting again on every anonymous request (thousands of Equal Shares
/// runs) let anyone keep the server's cores busy.
struct Exports {
    pb: String,
    csv: String,
}

/// One cycle's downloads are made at a time in this process: a crowd
/// arriving when results are published waits for the first to finish and
/// then reads what it stored, instead of counting once each.
static MAKING: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn exports(st: &AppState, c: &mut dyn Conn, id: &str) -> AppResult<Exports> {
    let read = |c: &mut dyn Conn| -> AppResult<Option<Exports>> {
        c.query_one(
            "SELECT pb, csv FROM cycle_exports WHERE cycle_id = $1",
            params![id],
        )?
        .map(|r| -> AppResult<Exports> {
            Ok(Exports {
                pb: r.get("pb")?,
                csv: r.get("csv")?,
            })
        })
        .transpose()
    };
    if let Some(e) = read(c)? {
        return Ok(e);
    }
    let _turn = MAKING.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(e) = read(c)? {
        return Ok(e);
    }
    // Checks that the cycle exists and is counted, then counts (outside
    // any write transaction), then stores in a short one.
    let (public, out) = published(st, c, id)?;
    let made = Exports {
        pb: dauys_tally::pabulib::write(&public),
        csv: dauys_tally::outcome_csv(&public, &out),
    };
    let now = st.clock.now_ms();
    db::write_tx(c, |c| {
        c.exec(
            "INSERT INTO cycle_exports (cycle_id, pb, csv, made_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (cycle_id) DO NOTHING",
            params![id, &made.pb, &made.csv, now],
        )
    })?;
    Ok(made)
}

fn download(body: String, content_type: &'static str, filename: String) -> Response {
    let mut r = body.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    // Counted results never change: proxies may keep them for a day.
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    r
}

/// Anonymized ballots and outcome of a cycle in pabulib format.
#[utoipa::path(get, path = "/v1/cycles/{id}/ballots.pb", params(("id" = String, Path)),
    responses((status = 200, description = "pabulib file", content_type = "text/plain"), (status = 404, body = dauys_proto::ApiError), (status = 409, body = dauys_proto::ApiError)))]
pub async fn ballots_pb(State(st): State<AppState>, Path(id): Path<String>) -> AppResult<Response> {
    let name = format!("dauys_{id}.pb");
    let body = blocking(&st, move |st, c| Ok(exports(st, c, &id)?.pb)).await?;
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
    let body = blocking(&st, move |st, c| Ok(exports(st, c, &id)?.csv)).await?;
    Ok(download(body, "text/csv; charset=utf-8", name))
}
