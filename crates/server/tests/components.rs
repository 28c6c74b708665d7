//! A component from outside the server crate: a tiny "polls" component
//! (`support/polls.rs`: one op kind, `poll.vote`, its own table — its own
//! migration — and one GET route), registered in exactly one place (`with_components`
//! below). Its ops go through `/v1/push` and the kernel's op log like any
//! built-in op, so re-pushing one is idempotent.

mod common;

#[path = "support/polls.rs"]
mod polls;

use std::sync::Arc;

use common::{Backend, Server};
use polls::{PollsServer, KIND};
use serde_json::json;

async fn poll_component(backend: Backend) {
    // The one place the component is registered.
    let Some(srv) = Server::start_custom(
        backend,
        true,
        |_| {},
        |st| st.with_components(vec![Arc::new(PollsServer)]),
    )
    .await
    else {
        return;
    };
    let citizen = srv.sign_in(&srv.person("resident", 0)).await;
    let op = citizen.op(KIND, json!({"poll_id": "p1", "choice": "yes"}));
    let first = citizen.push(&srv, std::slice::from_ref(&op)).await;
    let again = citizen.push(&srv, std::slice::from_ref(&op)).await;
    assert!(
        matches!(first[0].outcome, dauys_proto::OpOutcome::Accepted { .. }),
        "{first:?}"
    );
    assert_eq!(first, again, "a re-push returns the stored result");
    let (s, v) = srv.get("/v1/polls/p1/votes", None).await;
    assert_eq!(s, 200);
    assert_eq!(v["votes"], 1, "applied once");
    // Its route is in the OpenAPI document: routes and paths are one list.
    let (s, doc) = srv.get("/v1/openapi.json", None).await;
    assert_eq!(s, 200);
    assert!(
        doc["paths"]["/v1/polls/{id}/votes"]["get"].is_object(),
        "{}",
        doc["paths"]
    );
    // Its payload errors are per-op rejections, like built-in ones.
    let bad = citizen.one(&srv, KIND, json!({"poll_id": 5})).await;
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
