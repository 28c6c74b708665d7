//! Closing a vote and counting it are two steps: the phase change commits,
//! then the votes are counted outside the write lock and stored in a short
//! transaction of their own. A server stopped between the two counts the
//! vote when it starts again — on SQLite and PostgreSQL.

mod common;

use common::{Backend, Server};

async fn counted_at_start(backend: Backend) {
    let Some(srv) = Server::start(backend).await else {
        return;
    };
    let cycle = srv.voting_cycle().await;
    let cid = cycle["id"].as_str().expect("id").to_string();
    let voters = srv
        .count(
            "SELECT COUNT(*) FROM ballots WHERE cycle_id = $1",
            vec![cid.as_str().into()],
        )
        .await;
    assert!(voters > 0);
    // The phase change committed; the count after it never ran.
    srv.exec(
        "UPDATE cycles SET phase = 'tallying' WHERE id = $1",
        vec![cid.as_str().into()],
    )
    .await;
    let (_, c) = srv.get(&format!("/v1/cycles/{cid}"), None).await;
    assert!(c["results"].is_null(), "{c}");
    // A server starting on this database counts it.
    srv.start_another_on_same_db().await;
    let (_, c) = srv.get(&format!("/v1/cycles/{cid}"), None).await;
    assert_eq!(c["results"]["voters"].as_i64(), Some(voters), "{c}");
    let (_, props) = srv.get(&format!("/v1/cycles/{cid}/proposals"), None).await;
    let statuses: Vec<&str> = props
        .as_array()
        .expect("proposals")
        .iter()
        .filter_map(|p| p["status"].as_str())
        .collect();
    assert!(statuses.contains(&"selected"), "{statuses:?}");
    assert!(!statuses.contains(&"on_ballot"), "{statuses:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_closed_vote_is_counted_at_start_sqlite() {
    counted_at_start(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_closed_vote_is_counted_at_start_postgres() {
    counted_at_start(Backend::Postgres).await;
}

/// Uploads left unfinished for over a week are deleted when a server
/// starts (and hourly); recent and complete ones stay.
async fn unfinished_uploads(backend: Backend) {
    let Some(srv) = Server::start(backend).await else {
        return;
    };
    let week = dauys_server::kernel::uploads::UNFINISHED_KEPT_MS;
    let now = dauys_server::clock::now_ms();
    for (id, received, created) in [
        ("old-unfinished", 10, now - week - 60_000),
        ("new-unfinished", 10, now - 60_000),
        ("old-complete", 100, now - week - 60_000),
    ] {
        srv.exec(
            "INSERT INTO uploads (id, user_id, length, received, content_type, created_at)
             VALUES ($1, 'u', 100, $2, 'image/png', $3)",
            vec![id.into(), i64::from(received).into(), created.into()],
        )
        .await;
        srv.exec(
            "INSERT INTO upload_chunks (upload_id, start_at, data) VALUES ($1, 0, 'AAAA')",
            vec![id.into()],
        )
        .await;
    }
    srv.start_another_on_same_db().await;
    let ids = srv
        .count(
            "SELECT COUNT(*) FROM uploads WHERE id IN ('new-unfinished', 'old-complete')",
            vec![],
        )
        .await;
    assert_eq!(ids, 2, "recent and complete uploads stay");
    let chunks = srv
        .count(
            "SELECT COUNT(*) FROM upload_chunks WHERE upload_id = 'old-unfinished'",
            vec![],
        )
        .await;
    assert_eq!(chunks, 0);
    let gone = srv
        .count(
            "SELECT COUNT(*) FROM uploads WHERE id = 'old-unfinished'",
            vec![],
        )
        .await;
    assert_eq!(gone, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn unfinished_uploads_are_deleted_sqlite() {
    unfinished_uploads(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn unfinished_uploads_are_deleted_postgres() {
    unfinished_uploads(Backend::Postgres).await;
}

/// A threshold cycle needs its minimum of votes (and only it has one),
/// the count applies it, the `.pb` file publishes it and the cycle's page
/// explains it.
async fn threshold_cycles(backend: Backend) {
    let Some(srv) = Server::start(backend).await else {
        return;
    };
    let official = srv.sign_in(&srv.person("official, Pavlodar", 0)).await;
    let create = |rule: &'static str, min_votes: serde_json::Value| {
        let (srv, official) = (&srv, &official);
        async move {
            official
                .one(
                    srv,
                    "cycle.create",
                    serde_json::json!({"locality": dauys_server::demo::CITY, "budget": 1_000_000,
                        "title": {"kk": "Шек", "ru": "Порог", "en": "Threshold"},
                        "rule": rule, "min_votes": min_votes}),
                )
                .await
        }
    };
    for (rule, min) in [
        ("greedy-threshold", serde_json::Value::Null),
        ("greedy-threshold", 0.into()),
        ("greedy", 5.into()),
    ] {
        let r = create(rule, min.clone()).await;
        assert_eq!(r["status"], "rejected", "{rule} {min}: {r}");
        assert_eq!(r["field"], "min_votes", "{r}");
    }
    let r = create("greedy-threshold", 3.into()).await;
    assert_eq!(r["status"], "accepted", "{r}");
    let (_, made) = srv
        .get(
            &format!("/v1/cycles/{}", r["entity_id"].as_str().unwrap_or("")),
            None,
        )
        .await;
    assert_eq!(made["min_votes"], 3, "{made}");

    // The demo's vote, counted with a minimum no project reaches.
    let cycle = srv.voting_cycle().await;
    let cid = cycle["id"].as_str().expect("id").to_string();
    srv.exec(
        "UPDATE cycles SET rule = 'greedy-threshold', min_votes = 1000000, phase = 'tallying' WHERE id = $1",
        vec![cid.as_str().into()],
    )
    .await;
    srv.start_another_on_same_db().await;
    let (_, c) = srv.get(&format!("/v1/cycles/{cid}"), None).await;
    assert_eq!(c["results"]["selected"], serde_json::json!([]), "{c}");
    assert!(c["results"]["voters"].as_i64().unwrap_or(0) > 0, "{c}");
    let pb = srv
        .http
        .get(srv.url(&format!("/v1/cycles/{cid}/ballots.pb")))
        .send()
        .await
        .expect("pb")
        .text()
        .await
        .expect("text");
    assert!(pb.contains("min_project_score_threshold;1000000"), "{pb}");
    let page = srv
        .http
        .get(srv.url(&format!("/cycles/{cid}?lang=en")))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("text");
    assert!(page.contains("The minimum is 1000000 votes."), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn threshold_cycles_sqlite() {
    threshold_cycles(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn threshold_cycles_postgres() {
    threshold_cycles(Backend::Postgres).await;
}

/// A database a newer server migrated is refused by an older one (it would
/// misread what it does not know, a department's grant for one).
async fn newer_schema_refused(backend: Backend) {
    let Some(srv) = Server::start(backend).await else {
        return;
    };
    srv.exec(
        "INSERT INTO schema_migrations (version, applied_at) VALUES (100000, 0)",
        vec![],
    )
    .await;
    let st = srv.st.clone();
    let err = tokio::task::spawn_blocking(move || {
        let mut c = st.pool.get().expect("conn");
        dauys_server::db::schema::migrate(&mut *c).err()
    })
    .await
    .expect("join");
    let msg = err.map(|e| e.to_string()).unwrap_or_default();
    assert!(msg.contains("newer than this server"), "{msg}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn newer_schema_refused_sqlite() {
    newer_schema_refused(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn newer_schema_refused_postgres() {
    newer_schema_refused(Backend::Postgres).await;
}
