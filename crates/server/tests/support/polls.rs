//! The server half of a tiny test-only "polls" component (one op kind,
//! `poll.vote`, payload `{poll_id, choice}`, its own table and one GET
//! route). Shared by the server's component test and the client core's
//! end-to-end component test, which include this file with `#[path]`.

use axum::extract::{Path, State};
use axum::Json;
use dauys_proto::{ErrorCode, Op};
use dauys_server::components::{Component, Migration, ParsedOp};
use dauys_server::db::Conn;
use dauys_server::error::{AppResult, Reject};
use dauys_server::kernel::ops::{Applied, Ctx};
use dauys_server::params;
use dauys_server::state::AppState;
use serde::Deserialize;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub const KIND: &str = "poll.vote";

/// The payload of a `poll.vote` op, as both halves read it.
#[derive(Deserialize)]
pub struct Vote {
    pub poll_id: String,
    pub choice: String,
}

pub struct PollsServer;

/// Votes of a poll (its route and OpenAPI entry come from one `routes!`).
#[utoipa::path(get, tag = "polls", path = "/v1/polls/{id}/votes", params(("id" = String, Path)),
    responses((status = 200, description = "the poll's vote count")))]
async fn votes(
    State(st): State<AppState>,
    Path(poll): Path<String>,
) -> AppResult<Json<serde_json::Value>> {
    dauys_server::http::blocking(&st, move |_, c| {
        let n = c
            .query_one(
                "SELECT COUNT(*) AS n FROM poll_votes WHERE poll_id = $1",
                params![&poll],
            )?
            .map(|r| r.get::<i64>("n"))
            .transpose()?
            .unwrap_or(0);
        Ok(Json(json!({ "poll_id": poll, "votes": n })))
    })
    .await
}

impl Component for PollsServer {
    fn name(&self) -> &'static str {
        "polls"
    }

    fn op_kinds(&self) -> Vec<&'static str> {
        vec![KIND]
    }

    fn parse(&self, _kind: &str, payload: &serde_json::Value) -> Result<ParsedOp, Reject> {
        let v = Vote::deserialize(payload).map_err(|e| {
            Reject::new(ErrorCode::InvalidJson, e.to_string()).with_field("payload")
        })?;
        if !matches!(v.choice.as_str(), "yes" | "no") {
            return Err(
                Reject::new(ErrorCode::InvalidField, "choice is yes or no").with_field("choice")
            );
        }
        Ok(ParsedOp::new(v))
    }

    fn apply(
        &self,
        c: &mut dyn Conn,
        ctx: &mut Ctx,
        op: &Op,
        body: &ParsedOp,
    ) -> AppResult<Applied> {
        let v: &Vote = body.get()?;
        // Keyed by op id: the kernel's op log already answers a re-pushed
        // op without calling `apply` again.
        let id = op.id.to_string();
        c.exec(
            "INSERT INTO poll_votes (id, poll_id, user_id, choice) VALUES ($1, $2, $3, $4)",
            params![&id, &v.poll_id, &ctx.actor.user_id, &v.choice],
        )?;
        Ok(Applied {
            entity_id: id,
            receipt: None,
        })
    }

    fn migrations(&self) -> &'static [Migration] {
        &[(
            1,
            "CREATE TABLE poll_votes (id TEXT PRIMARY KEY, poll_id TEXT NOT NULL,
               user_id TEXT NOT NULL, choice TEXT NOT NULL)",
        )]
    }

    fn routes(&self) -> OpenApiRouter<AppState> {
        OpenApiRouter::new().routes(routes!(votes))
    }
}
