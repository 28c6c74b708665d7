//! A component from outside the server crate: a tiny "polls" component
//! with one op kind (`poll.answer`), its own table (its own migration) and
//! one GET route, registered in exactly one place (`with_components`
//! below). Its ops go through `/v1/push` and the kernel's op log like any
//! built-in op, so re-pushing one is idempotent.

mod common;

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use common::{Backend, Server};
use dauys_proto::{ErrorCode, Op};
use dauys_server::components::{Component, Migration, ParsedOp};
use dauys_server::db::Conn;
use dauys_server::error::{AppResult, Reject};
use dauys_server::kernel::ops::{Applied, Ctx};
use dauys_server::params;
use dauys_server::state::AppState;
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
struct PollAnswer {
    poll_id: String,
    choice: String,
}

struct Polls;

async fn answers(
    State(st): State<AppState>,
    Path(poll): Path<String>,
) -> AppResult<Json<serde_json::Value>> {
    dauys_server::http::blocking(&st, move |_, c| {
        let n = c
            .query_one(
                "SELECT COUNT(*) AS n FROM poll_answers WHERE poll_id = $1",
                params![&poll],
            )?
            .map(|r| r.get::<i64>("n"))
            .transpose()?
            .unwrap_or(0);
        Ok(Json(json!({ "poll_id": poll, "answers": n })))
    })
    .await
}

impl Component for Polls {
    fn name(&self) -> &'static str {
        "polls"
    }

    fn op_kinds(&self) -> Vec<&'static str> {
        vec!["poll.answer"]
    }

    fn parse(&self, _kind: &str, payload: &serde_json::Value) -> Result<ParsedOp, Reject> {
        PollAnswer::deserialize(payload)
            .map(ParsedOp::new)
            .map_err(|e| Reject::new(ErrorCode::InvalidJson, e.to_string()).with_field("payload"))
    }

    fn apply(
        &self,
        c: &mut dyn Conn,
        ctx: &mut Ctx,
        op: &Op,
        body: &ParsedOp,
    ) -> AppResult<Applied> {
        let a: &PollAnswer = body.get()?;
        let id = op.id.to_string();
        c.exec(
            "INSERT INTO poll_answers (id, poll_id, user_id, choice) VALUES ($1, $2, $3, $4)",
            params![&id, &a.poll_id, &ctx.actor.user_id, &a.choice],
        )?;
        Ok(Applied {
            entity_id: id,
            receipt: None,
        })
    }

    fn migrations(&self) -> &'static [Migration] {
        &[(
            1,
            "CREATE TABLE poll_answers (id TEXT PRIMARY KEY, poll_id TEXT NOT NULL,
               user_id TEXT NOT NULL, choice TEXT NOT NULL)",
        )]
    }

    fn routes(&self) -> Router<AppState> {
        Router::new().route("/v1/polls/{id}/answers", get(answers))
    }
}

async fn poll_component(backend: Backend) {
    // The one place the component is registered.
    let Some(srv) = Server::start_custom(
        backend,
        true,
        |_| {},
        |st| st.with_components(vec![Arc::new(Polls)]),
    )
    .await
    else {
        return;
    };
    let citizen = srv.sign_in(&srv.person("resident", 0)).await;
    let op = citizen.op("poll.answer", json!({"poll_id": "p1", "choice": "yes"}));
    let first = citizen.push(&srv, std::slice::from_ref(&op)).await;
    let again = citizen.push(&srv, std::slice::from_ref(&op)).await;
    assert!(
        matches!(first[0].outcome, dauys_proto::OpOutcome::Accepted { .. }),
        "{first:?}"
    );
    assert_eq!(first, again, "a re-push returns the stored result");
    let (s, v) = srv.get("/v1/polls/p1/answers", None).await;
    assert_eq!(s, 200);
    assert_eq!(v["answers"], 1, "applied once");
    // Its payload errors are per-op rejections, like built-in ones.
    let bad = citizen
        .one(&srv, "poll.answer", json!({"poll_id": 5}))
        .await;
    assert_eq!(
        (&bad["status"], &bad["code"]),
        (&json!("rejected"), &json!("invalid_json"))
    );
    // Built-in components still work beside it.
    let (s, _) = srv
        .get(
            &format!("/v1/cycles?locality={}", dauys_server::demo::CITY),
            None,
        )
        .await;
    assert_eq!(s, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn poll_component_sqlite() {
    poll_component(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn poll_component_postgres() {
    poll_component(Backend::Postgres).await;
}
