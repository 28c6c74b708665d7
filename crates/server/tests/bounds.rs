//! Bounds and phases, on SQLite and PostgreSQL: a ballot dated in the
//! future does not stand against later ones, and the ballot is fixed once
//! voting has begun (no moderation or review onto it).

mod common;

use common::Server;
use ed25519_dalek::Signer;
use serde_json::json;

async fn bounds_and_phases(srv: Server) {
    let voter = srv.sign_in(&srv.person("resident", 5)).await;
    let cycle = srv.voting_cycle().await;
    let cid = cycle["id"].as_str().expect("id").to_string();
    let projects = srv.ballot_projects(&cid).await;
    let (a, b) = (projects[0].0.clone(), projects[1].0.clone());
    // Cast with the device's clock ten years ahead…
    let mut future = voter.op("ballot.cast", json!({"cycle_id": cid, "proposal_ids": [a]}));
    future.client_ts += 10 * 365 * 24 * 3_600_000;
    future.signature = Some(dauys_proto::hex(
        &voter
            .key
            .sign(&dauys_proto::signing_bytes(&future))
            .to_bytes(),
    ));
    let r = voter.push(&srv, &[future]).await;
    assert!(
        matches!(r[0].outcome, dauys_proto::OpOutcome::Accepted { .. }),
        "{r:?}"
    );
    // …then changes their mind with a correct clock: the later ballot counts.
    let later = voter
        .one(
            &srv,
            "ballot.cast",
            json!({"cycle_id": cid, "proposal_ids": [b]}),
        )
        .await;
    assert_eq!(later["status"], "accepted", "{later}");
    let stored = srv
        .count(
            "SELECT COUNT(*) FROM ballots WHERE user_id = $1 AND proposal_ids LIKE $2",
            vec![voter.me.user_id.as_str().into(), format!("%{b}%").into()],
        )
        .await;
    assert_eq!(stored, 1, "the later ballot is the one stored");

    // Voting has begun: a proposal left accepted is not reviewed onto the
    // ballot, nor one left submitted moderated.
    let expert = srv.sign_in(&srv.person("expert", 0)).await;
    let moderator = srv.sign_in(&srv.person("moderator", 0)).await;
    let left = projects[2].0.clone();
    srv.exec(
        "UPDATE proposals SET status = 'accepted' WHERE id = $1",
        vec![left.as_str().into()],
    )
    .await;
    let r = expert
        .one(
            &srv,
            "proposal.review",
            json!({"proposal_id": left, "feasible": true, "cost_estimate": 1000}),
        )
        .await;
    assert_eq!(
        (&r["status"], &r["code"]),
        (&json!("rejected"), &json!("phase_closed")),
        "{r}"
    );
    srv.exec(
        "UPDATE proposals SET status = 'submitted' WHERE id = $1",
        vec![left.as_str().into()],
    )
    .await;
    let r = moderator
        .one(
            &srv,
            "proposal.moderate",
            json!({"proposal_id": left, "decision": "accept", "reason": ""}),
        )
        .await;
    assert_eq!(
        (&r["status"], &r["code"]),
        (&json!("rejected"), &json!("phase_closed")),
        "{r}"
    );

    // Staff elsewhere are refused without learning where the item is.
    let far = srv.sign_in(&srv.person("official, Almaty region", 0)).await;
    let r = far
        .one(
            &srv,
            "cycle.phase",
            json!({"cycle_id": cid, "phase": "tallying"}),
        )
        .await;
    assert_eq!(r["status"], "rejected", "{r}");
    assert!(!r.to_string().contains(dauys_server::demo::CITY), "{r}");
}
both_backends!(bounds, bounds_and_phases);

/// A vote opens only when every proposal is decided, whichever phases are
/// gone through on the way; closing a cycle outright stays possible.
async fn no_phase_skips_a_proposal(srv: Server) {
    let official = srv.sign_in(&srv.person("official, Pavlodar", 0)).await;
    let resident = srv.sign_in(&srv.person("resident", 1)).await;
    let create = || async {
        let r = official
            .one(
                &srv,
                "cycle.create",
                json!({"locality": dauys_server::demo::CITY, "budget": 1_000_000,
                       "title": {"kk": "Қ", "ru": "К", "en": "C"}}),
            )
            .await;
        r["entity_id"].as_str().expect("cycle").to_string()
    };
    let cycle = create().await;
    let r = resident
        .one(
            &srv,
            "proposal.submit",
            json!({"cycle_id": cycle, "title": "Скамейка", "description": "d",
                   "category": "parks", "cost": 100000}),
        )
        .await;
    let pid = r["entity_id"].as_str().expect("proposal").to_string();
    let phase = |cycle: String, phase: &'static str| {
        let (srv, official) = (&srv, &official);
        async move {
            official
                .one(
                    srv,
                    "cycle.phase",
                    json!({"cycle_id": cycle, "phase": phase}),
                )
                .await
        }
    };
    // Straight to voting, or through moderation: the proposal still waits.
    for to in ["voting", "tallying"] {
        let r = phase(cycle.clone(), to).await;
        assert_eq!(r["status"], "rejected", "{to}: {r}");
        assert_eq!(r["code"], "invalid_transition", "{r}");
    }
    assert_eq!(
        phase(cycle.clone(), "moderation").await["status"],
        "accepted"
    );
    let r = phase(cycle.clone(), "voting").await;
    assert_eq!(r["code"], "invalid_transition", "{r}");
    // Decided (moderated and reviewed): the vote opens, the project on it.
    for (kind, payload) in [
        (
            "proposal.moderate",
            json!({"proposal_id": pid, "decision": "accept", "reason": "ok"}),
        ),
        (
            "proposal.review",
            json!({"proposal_id": pid, "feasible": true, "cost_estimate": 100000}),
        ),
    ] {
        assert_eq!(
            official.one(&srv, kind, payload).await["status"],
            "accepted"
        );
    }
    assert_eq!(phase(cycle.clone(), "voting").await["status"], "accepted");
    let (_, p) = srv.get(&format!("/v1/proposals/{pid}"), None).await;
    assert_eq!(p["status"], "on_ballot", "{p}");
    // Another cycle with a proposal waiting can still be closed outright.
    let other = create().await;
    resident
        .one(
            &srv,
            "proposal.submit",
            json!({"cycle_id": other, "title": "Фонтан", "description": "d",
                   "category": "parks", "cost": 100000}),
        )
        .await;
    assert_eq!(phase(other, "closed").await["status"], "accepted");
}
both_backends!(phase_skips, no_phase_skips_a_proposal);
