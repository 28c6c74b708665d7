//! Round trips per request stay bounded: a pull page loads each entity kind
//! with one query (per chunk of ids), whatever the page size.

mod common;

use common::Server;
use dauys_proto::{Entity, PullResponse};
use dauys_server::db::Counting;
use serde_json::json;

/// Statements one pull page may run: localities walk, the change rows, and
/// up to two chunks per entity kind (six kinds), with room to spare.
const MAX_PULL_QUERIES: usize = 15;

fn kind_of(e: &Entity) -> &'static str {
    match e {
        Entity::Locality(_) => "locality",
        Entity::Cycle(_) => "cycle",
        Entity::Proposal(_) => "proposal",
        Entity::Comment(_) => "comment",
        Entity::Appeal(_) => "appeal",
        Entity::Ballot(_) => "ballot",
    }
}

fn id_of(e: &Entity) -> String {
    match e {
        Entity::Locality(x) => x.code.clone(),
        Entity::Cycle(x) => x.id.clone(),
        Entity::Proposal(x) => x.id.clone(),
        Entity::Comment(x) => x.id.clone(),
        Entity::Appeal(x) => x.id.clone(),
        Entity::Ballot(x) => x.cycle_id.clone(),
    }
}

async fn pull_page_queries_are_bounded(srv: Server) {
    let citizen = srv.sign_in(&srv.person("resident", 0)).await;
    let cycle = srv.voting_cycle().await;
    let cycle_id = cycle["id"].as_str().expect("cycle id").to_string();
    let projects = srv.ballot_projects(&cycle_id).await;
    let (proposal, _) = projects.first().cloned().expect("a project on the ballot");
    // 1,000 new changes of several kinds: comments, public and private
    // appeals — from four residents (each within the daily quotas).
    let mut authors = Vec::new();
    for n in 1..4 {
        authors.push(srv.sign_in(&srv.person("resident", n)).await);
    }
    let authors: Vec<&common::Client> = std::iter::once(&citizen).chain(authors.iter()).collect();
    for batch in 0..2 {
        for (a, author) in authors.iter().enumerate() {
            let mut ops = Vec::new();
            for i in 0..122 {
                ops.push(author.op(
                    "comment.add",
                    json!({"proposal_id": proposal, "body": format!("comment {batch}/{a}/{i}")}),
                ));
            }
            if a == 0 {
                for i in 0..10 {
                    ops.push(author.op(
                        "appeal.submit",
                        json!({"type": "statement", "addressee": "pvl-akimat",
                        "subject": format!("s{batch}/{i}"), "body": "b", "public": i % 2 == 0}),
                    ));
                }
            }
            let results = author.push(&srv, &ops).await;
            assert!(results
                .iter()
                .all(|r| matches!(r.outcome, dauys_proto::OpOutcome::Accepted { .. })));
        }
    }
    let st = srv.st.clone();
    let viewer = citizen.me.user_id.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = st.pool.get().expect("conn");
        let today = st.clock.today();
        let follow = vec![dauys_server::demo::CITY.to_string()];
        for limit in [1000u32, 10] {
            let mut since = 0i64;
            let mut biggest = 0;
            loop {
                let mut counting = Counting::new(&mut *conn);
                let page: PullResponse = dauys_server::pull::pull(
                    &mut counting,
                    Some(&viewer),
                    since,
                    &follow,
                    limit,
                    today,
                    dauys_proto::ENTITY_VERSION,
                )
                .expect("pull");
                let queries = counting.count();
                assert!(
                    queries <= MAX_PULL_QUERIES,
                    "a pull page (limit {limit}, {} changes) ran {queries} queries",
                    page.changes.len()
                );
                eprintln!(
                    "pull page limit {limit}: {} changes, {queries} queries",
                    page.changes.len()
                );
                biggest = biggest.max(page.changes.len());
                // Batched loading serves exactly what loading one by one would.
                for ch in &page.changes {
                    let one = dauys_server::read::entity(
                        &mut *conn,
                        kind_of(&ch.entity),
                        &id_of(&ch.entity),
                        Some(&viewer),
                        today,
                    )
                    .expect("entity");
                    assert_eq!(one.as_ref(), Some(&ch.entity));
                }
                since = page.cursor.parse().expect("cursor");
                if !page.more {
                    break;
                }
            }
            if limit == 1000 {
                assert!(
                    biggest >= 900,
                    "a full page holds ~1,000 changes ({biggest})"
                );
            }
        }
    })
    .await
    .expect("join");
}
both_backends!(pull_queries, pull_page_queries_are_bounded);
