//! Comments with a polymorphic target `{kind, id}`: both wire forms land,
//! and comments stored before targets existed migrate on both databases.

mod common;

use common::{Backend, Server};
use dauys_server::db::{schema, Pool};
use dauys_server::params;
use serde_json::json;

/// A proposal on the ballot of the demo city's voting cycle.
async fn on_ballot(srv: &Server) -> String {
    let cycle = srv.voting_cycle().await;
    let cycle_id = cycle["id"].as_str().expect("cycle").to_string();
    let (proposal, _) = srv
        .ballot_projects(&cycle_id)
        .await
        .into_iter()
        .next()
        .expect("a project");
    proposal
}

async fn both_wire_forms(srv: Server) {
    let citizen = srv.sign_in(&srv.person("resident", 0)).await;
    let proposal = on_ballot(&srv).await;
    let old = citizen
        .one(
            &srv,
            "comment.add",
            json!({"proposal_id": proposal, "body": "old form"}),
        )
        .await;
    let new = citizen
        .one(
            &srv,
            "comment.add",
            json!({"target": {"kind": "proposal", "id": proposal}, "body": "new form"}),
        )
        .await;
    assert_eq!(old["status"], "accepted", "{old}");
    assert_eq!(new["status"], "accepted", "{new}");
    let (s, list) = srv
        .get(&format!("/v1/proposals/{proposal}/comments"), None)
        .await;
    assert_eq!(s, 200);
    for (r, body) in [(&old, "old form"), (&new, "new form")] {
        let c = list
            .as_array()
            .expect("comments")
            .iter()
            .find(|c| c["id"] == r["entity_id"])
            .unwrap_or_else(|| panic!("{body} listed: {list}"));
        assert_eq!(c["body"], body);
        assert_eq!(c["proposal_id"], proposal.as_str());
        assert_eq!(c["target"], json!({"kind": "proposal", "id": proposal}));
    }
    // A kind nothing answers for, and an item that does not exist.
    let r = citizen
        .one(
            &srv,
            "comment.add",
            json!({"target": {"kind": "meeting", "id": "m1"}, "body": "x"}),
        )
        .await;
    assert_eq!(
        (&r["status"], &r["code"]),
        (&json!("rejected"), &json!("invalid_field"))
    );
    assert_eq!(r["field"], "target");
    let r = citizen
        .one(
            &srv,
            "comment.add",
            json!({"target": {"kind": "proposal", "id": "nope"}, "body": "x"}),
        )
        .await;
    assert_eq!(
        (&r["status"], &r["code"]),
        (&json!("rejected"), &json!("not_found"))
    );
}
both_backends!(wire_forms, both_wire_forms);

/// A database left by the server before comment targets (schema version 1)
/// with one proposal comment: after migrating, the comment is still served,
/// listed under its proposal and through the change feed.
async fn migrated_comment_is_served(backend: Backend) {
    let Some(srv) = Server::start_prepared(backend, false, |url| {
        let pool = Pool::open(url).expect("pool");
        let mut c = pool.get().expect("conn");
        assert_eq!(schema::migrate_to(&mut *c, 1).expect("v1"), 1);
        for (sql, p) in [
            (
                "INSERT INTO localities (code, parent, level, name_kk, name_ru, name_en)
                 VALUES ('L1', NULL, 'city', 'Қ', 'Г', 'C')",
                params![],
            ),
            (
                "INSERT INTO cycles (id, locality, title_kk, title_ru, title_en, budget, max_projects,
                   budget_limited, rule, min_age, phase, schedule, results, created_at, updated_at)
                 VALUES ('c1', 'L1', 't', 't', 't', 1000, NULL, 1, 'greedy', 16, 'voting', '{}', NULL, 1, 1)",
                params![],
            ),
            (
                "INSERT INTO proposals (id, cycle_id, locality, author, title, description, category, cost,
                   lat, lon, media, status, expert_cost, expert_note, votes, progress, history, created_at, updated_at)
                 VALUES ('p1', 'c1', 'L1', 'u1', 'Park', 'd', 'ecology', 100, NULL, NULL, '[]', 'on_ballot',
                   NULL, NULL, NULL, NULL, '[]', 1, 1)",
                params![],
            ),
            (
                "INSERT INTO comments (id, proposal_id, locality, author, body, visible, created_at)
                 VALUES ('k1', 'p1', 'L1', 'u2', 'from before', 1, 5)",
                params![],
            ),
            (
                "INSERT INTO changes (locality, owner, kind, entity_id, ts) VALUES ('L1', 'u2', 'comment', 'k1', 5)",
                params![],
            ),
        ] {
            c.exec(sql, p).expect("v1 row");
        }
    })
    .await
    else {
        return;
    };
    let (s, list) = srv.get("/v1/proposals/p1/comments", None).await;
    assert_eq!(s, 200);
    let expected = json!([{
        "id": "k1", "target": {"kind": "proposal", "id": "p1"}, "proposal_id": "p1",
        "locality": "L1", "body": "from before", "visible": true, "mine": false, "created_at": 5
    }]);
    assert_eq!(list, expected);
    let (_, feed) = srv.get("/v1/changes?follow=L1", None).await;
    let served = feed["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .find(|c| c["type"] == "comment")
        .expect("the comment in the feed");
    assert_eq!(served["data"], expected[0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn migrated_comment_sqlite() {
    migrated_comment_is_served(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn migrated_comment_postgres() {
    migrated_comment_is_served(Backend::Postgres).await;
}

/// A comment on a proposal still hidden (in moderation: its author may
/// comment on it) reaches nobody else — not a follower of the locality
/// through the change feed, not an anonymous list — and shows once the
/// proposal is public.
async fn comments_on_hidden_items(srv: Server) {
    let author = srv.sign_in(&srv.person("resident", 2)).await;
    let neighbour = srv.sign_in(&srv.person("resident", 3)).await;
    let city = dauys_server::demo::CITY;
    let collecting = srv.collecting_cycle_id().await;
    let (_, before) = srv
        .get(&format!("/v1/changes?follow={city}&limit=1000"), None)
        .await;
    let cursor = before["cursor"].as_str().unwrap_or_default().to_string();
    let out = author
        .one(
            &srv,
            "proposal.submit",
            json!({"cycle_id": collecting, "title": "Скамейки", "description": "Скамейки у школы",
                   "category": "city", "cost": 300000}),
        )
        .await;
    let pid = out["entity_id"].as_str().expect("proposal").to_string();
    let said = author
        .one(
            &srv,
            "comment.add",
            json!({"proposal_id": pid, "body": "секретный черновик"}),
        )
        .await;
    assert_eq!(said["status"], "accepted", "{said}");
    let feed_text = |token: Option<String>| {
        let srv = &srv;
        let path = format!("/v1/changes?follow={city}&since={cursor}&limit=1000");
        async move { srv.get(&path, token.as_deref()).await.1.to_string() }
    };
    assert!(!feed_text(None).await.contains("секретный"));
    assert!(!feed_text(Some(neighbour.token.clone()))
        .await
        .contains("секретный"));
    assert!(feed_text(Some(author.token.clone()))
        .await
        .contains("секретный"));
    let (_, list) = srv
        .get(&format!("/v1/proposals/{pid}/comments"), None)
        .await;
    assert_eq!(list, json!([]), "{list}");
    // Accepted by the moderator: now public, and so is the comment.
    let moderator = srv.sign_in(&srv.person("moderator", 0)).await;
    let m = moderator
        .one(
            &srv,
            "proposal.moderate",
            json!({"proposal_id": pid, "decision": "accept", "reason": "ok"}),
        )
        .await;
    assert_eq!(m["status"], "accepted", "{m}");
    let (_, list) = srv
        .get(&format!("/v1/proposals/{pid}/comments"), None)
        .await;
    assert!(list.to_string().contains("секретный"), "{list}");
}
both_backends!(hidden_items, comments_on_hidden_items);

/// A resident reports a comment to the moderators: counted once per
/// resident, first in the moderators' queue; a hidden or unknown comment
/// cannot be reported.
async fn reported_comments(srv: Server) {
    let author = srv.sign_in(&srv.person("resident", 0)).await;
    let reporter = srv.sign_in(&srv.person("resident", 1)).await;
    let proposal = on_ballot(&srv).await;
    let added = author
        .one(
            &srv,
            "comment.add",
            json!({"proposal_id": proposal, "body": "rude words"}),
        )
        .await;
    let id = added["entity_id"].as_str().expect("id").to_string();
    for _ in 0..2 {
        let r = reporter
            .one(
                &srv,
                "comment.report",
                json!({"comment_id": id, "reason": "insults"}),
            )
            .await;
        assert_eq!(r["status"], "accepted", "{r}");
    }
    assert_eq!(
        srv.count(
            "SELECT reports FROM comments WHERE id = $1",
            vec![id.clone().into()]
        )
        .await,
        1,
        "one report per resident"
    );
    // First in the moderators' queue, with the count.
    let moderator = srv.sign_in(&srv.person("moderator, Pavlodar", 0)).await;
    let (s, queue) = srv
        .get("/v1/staff/comments?limit=5", Some(&moderator.token))
        .await;
    assert_eq!(s, 200, "{queue}");
    assert_eq!(queue[0]["id"], id.as_str(), "{queue}");
    assert_eq!(queue[0]["reports"], 1);
    // Unknown, or hidden by the moderator: nothing to report.
    let r = reporter
        .one(&srv, "comment.report", json!({"comment_id": "nope"}))
        .await;
    assert_eq!(
        (&r["status"], &r["code"]),
        (&json!("rejected"), &json!("not_found"))
    );
    let hid = moderator
        .one(
            &srv,
            "comment.moderate",
            json!({"comment_id": id, "visible": false, "reason": "insults"}),
        )
        .await;
    assert_eq!(hid["status"], "accepted", "{hid}");
    let other = srv.sign_in(&srv.person("resident", 2)).await;
    let r = other
        .one(&srv, "comment.report", json!({"comment_id": id}))
        .await;
    assert_eq!(r["code"], "not_found", "{r}");
}
both_backends!(report_comments, reported_comments);
