//! A participatory component added from outside both crates, end to end:
//! a tiny `polls` component (one op kind, `poll.vote`, payload
//! `{poll_id, choice}`) defined in tests only — its server half in
//! `crates/server/tests/support/polls.rs` (shared with the server's own
//! component test), its client half here — queued offline by the client
//! core and applied by a real in-process server over HTTP.
//!
//! To add a component:
//! 1. Server half: implement `dauys_server::components::Component` —
//!    `name`, the op kinds it owns (`op_kinds`), `parse` (payload → typed
//!    value, or the op's rejection), `apply` (its effect inside the push
//!    transaction; the kernel's op log makes a re-pushed op id answer with
//!    the stored result instead of applying twice), its own tables
//!    (`migrations`) and routes (`routes`). See `PollsServer` in
//!    `crates/server/tests/support/polls.rs`.
//! 2. Register it in ONE place on the server: `AppState::with_components`
//!    (see [`server`]; a built-in one is listed in `components::builtin`).
//! 3. Client half: implement `dauys_core::components::LocalComponent` for
//!    the same op kinds — `apply_local` (local effect, in the op's own
//!    transaction), `undo_on_reject`, `describe` (its outbox line), and
//!    optionally its own local tables (`migrations`), `to_draft`, `media`,
//!    `requires_signature`. See [`PollsClient`].
//! 4. Register it in ONE place on the client: `HomeConfig::components`
//!    (see [`client`]); every profile of that home then knows the kind.
//! 5. Queue its ops with `Profile::queue_op(kind, payload)`; the outbox,
//!    sync, retries and rejections work as for built-in ops.

mod common;
#[path = "../../server/tests/support/polls.rs"]
mod polls;

use std::sync::Arc;

use common::TestServer;
use dauys_core::components::{Described, LocalComponent, LocalCx, LocalMigration};
use dauys_core::{CoreError, Home, OpState, Profile, SyncOptions};
use dauys_proto::Op;
use polls::{PollsServer, Vote, KIND};
use serde::Deserialize;
use serde_json::json;

// ---- Client half -------------------------------------------------------

struct PollsClient;

fn vote_of(op: &Op) -> Option<Vote> {
    Vote::deserialize(&op.payload).ok()
}

impl LocalComponent for PollsClient {
    fn name(&self) -> &'static str {
        "polls"
    }

    fn op_kinds(&self) -> Vec<&'static str> {
        vec![KIND]
    }

    fn migrations(&self) -> &'static [LocalMigration] {
        &[(
            1,
            "CREATE TABLE my_poll_votes (op_id TEXT PRIMARY KEY, poll_id TEXT NOT NULL,
               choice TEXT NOT NULL)",
        )]
    }

    /// The vote shows as "my vote" at once, in the op's transaction; a
    /// payload that is not a vote refuses the action (nothing queued).
    fn apply_local(&self, cx: &LocalCx, op: &Op) -> dauys_core::Result<()> {
        let v = Vote::deserialize(&op.payload)?;
        cx.conn().execute(
            "INSERT INTO my_poll_votes (op_id, poll_id, choice) VALUES (?1, ?2, ?3)",
            rusqlite::params![op.id.to_string(), v.poll_id, v.choice],
        )?;
        Ok(())
    }

    fn undo_on_reject(&self, cx: &LocalCx, op: &Op) -> dauys_core::Result<()> {
        cx.conn().execute(
            "DELETE FROM my_poll_votes WHERE op_id = ?1",
            [op.id.to_string()],
        )?;
        Ok(())
    }

    fn describe(&self, op: &Op) -> Described {
        match vote_of(op) {
            Some(v) => Described {
                summary: format!("poll {}: {}", v.poll_id, v.choice),
                target: Some(v.poll_id),
            },
            None => Described::default(),
        }
    }
}

// ---- Registration: one place each ---------------------------------------

/// The server, with the polls component registered (step 2).
async fn server(db: &std::path::Path) -> TestServer {
    TestServer::start_with(db, vec![Arc::new(PollsServer)]).await
}

/// A signed-in resident whose home registers the client half (step 4).
async fn client(dir: &std::path::Path, srv: &TestServer) -> (Home, Profile) {
    common::client_with(dir, srv, 0, false, vec![Arc::new(PollsClient)]).await
}

// ---- The flow -----------------------------------------------------------

/// `my_poll_votes` rows of the profile, read through SQLite directly (the
/// component's own table; the core has no query for it).
fn local_votes(home: &Home, p: &Profile) -> Vec<(String, String)> {
    let db = home.dir().join("profiles").join(p.id()).join("profile.db");
    let c = rusqlite::Connection::open(db).unwrap();
    let mut st = c
        .prepare("SELECT poll_id, choice FROM my_poll_votes ORDER BY poll_id")
        .unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

async fn server_votes(srv: &TestServer, poll: &str) -> i64 {
    let v: serde_json::Value = reqwest::get(format!("{}/v1/polls/{poll}/votes", srv.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["votes"].as_i64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_component_from_outside_queues_syncs_and_is_undone_on_reject() {
    let dir = tempfile::tempdir().unwrap();
    let mut srv = server(&dir.path().join("server.db")).await;
    let (home, p) = client(&dir.path().join("home"), &srv).await;

    // Offline: queued with its local effect, shown in the outbox.
    srv.stop();
    let id = p
        .queue_op(KIND, json!({"poll_id": "p1", "choice": "yes"}))
        .unwrap();
    assert_eq!(local_votes(&home, &p), vec![("p1".into(), "yes".into())]);
    let e = p.outbox_entry(id).unwrap().unwrap();
    assert_eq!(e.state, OpState::Queued);
    assert_eq!(e.kind, KIND);
    assert_eq!(e.summary, "poll p1: yes");
    assert_eq!(e.target.as_deref(), Some("p1"));

    // Kinds nobody owns are refused before anything is queued; a payload
    // the component's local effect cannot read refuses the action.
    assert!(matches!(
        p.queue_op("poll.close", json!({})),
        Err(CoreError::UnknownOpKind(k)) if k == "poll.close"
    ));
    assert!(p.queue_op(KIND, json!({"poll_id": 7})).is_err());
    assert_eq!(p.outbox().unwrap().len(), 1, "nothing else was queued");

    // Online: delivered, applied once.
    srv.restart().await;
    let r = p.sync(&SyncOptions::default()).await.unwrap();
    assert_eq!((r.accepted, r.rejected, r.remaining), (1, 0, 0), "{r:?}");
    let OpState::Accepted { entity_id, .. } = p.op_state(id).unwrap().unwrap() else {
        panic!("not accepted");
    };
    assert_eq!(entity_id, id.to_string());
    assert_eq!(server_votes(&srv, "p1").await, 1);

    // The answer was lost (as after a crash): the op goes out again with
    // the same id, and the server's op log answers without a second vote.
    {
        let db = home.dir().join("profiles").join(p.id()).join("profile.db");
        let c = rusqlite::Connection::open(db).unwrap();
        c.execute(
            "UPDATE outbox SET state = 'queued' WHERE id = ?1",
            [id.to_string()],
        )
        .unwrap();
    }
    assert_eq!(p.op_state(id).unwrap(), Some(OpState::Queued));
    let r = p.sync(&SyncOptions::default()).await.unwrap();
    assert_eq!((r.accepted, r.remaining), (1, 0), "{r:?}");
    assert!(matches!(
        p.op_state(id).unwrap(),
        Some(OpState::Accepted { entity_id, .. }) if entity_id == id.to_string()
    ));
    assert_eq!(server_votes(&srv, "p1").await, 1, "re-push counted once");

    // The server refuses a choice it does not know: rejected with its
    // code, and the local vote is undone.
    let bad = p
        .queue_op(KIND, json!({"poll_id": "p2", "choice": "maybe"}))
        .unwrap();
    assert_eq!(local_votes(&home, &p).len(), 2);
    let r = p.sync(&SyncOptions::default()).await.unwrap();
    assert_eq!((r.accepted, r.rejected), (0, 1), "{r:?}");
    match p.op_state(bad).unwrap() {
        Some(OpState::Rejected {
            code,
            field,
            draft_id,
            ..
        }) => {
            assert_eq!(code, "invalid_field");
            assert_eq!(field.as_deref(), Some("choice"));
            assert_eq!(draft_id, None, "no draft: the component has no form");
        }
        s => panic!("not rejected: {s:?}"),
    }
    assert_eq!(local_votes(&home, &p), vec![("p1".into(), "yes".into())]);
    assert_eq!(server_votes(&srv, "p2").await, 0);
}

/// Built-in kinds keep their typed actions (which run the shared rules);
/// a home refuses two components claiming one kind.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queue_op_is_for_registered_components_only() {
    let dir = tempfile::tempdir().unwrap();
    let srv = server(&dir.path().join("server.db")).await;
    let (_home, p) = client(&dir.path().join("home"), &srv).await;
    assert!(matches!(
        p.queue_op(
            "ballot.cast",
            json!({"cycle_id": "c", "proposal_ids": ["x"]})
        ),
        Err(CoreError::Invalid(_))
    ));
    assert!(p.outbox().unwrap().is_empty());

    let twice = dauys_core::HomeConfig {
        keys: dauys_core::KeyStorePolicy::FileOnly,
        components: vec![Arc::new(PollsClient), Arc::new(PollsClient)],
        ..dauys_core::HomeConfig::default()
    };
    assert!(matches!(
        Home::open(dir.path().join("home2"), twice),
        Err(CoreError::Invalid(_))
    ));
}
