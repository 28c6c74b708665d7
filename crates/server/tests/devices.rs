//! Device keys, on SQLite and PostgreSQL: weak keys refused, a key belongs
//! to one account, a revoked device stays revoked, and a ballot records
//! the key whose signature verified it.

mod common;

use common::Server;
use ed25519_dalek::SigningKey;
use serde_json::json;

async fn sign_in_with(
    srv: &Server,
    label: &str,
    nth: usize,
    key: &str,
) -> (u16, serde_json::Value) {
    let p = srv.person(label, nth);
    let (s, _) = srv.post("/v1/auth/otp", None, &json!({"iin": p.iin})).await;
    assert_eq!(s, 200);
    let code = srv.last_code(&p.phone);
    srv.post(
        "/v1/auth/verify",
        None,
        &json!({"iin": p.iin, "code": code, "device_key": key, "device_name": "t"}),
    )
    .await
}

async fn device_keys(srv: Server) {
    // The identity point: small order, "verifies" forged signatures.
    let weak = format!("01{}", "00".repeat(31));
    let (s, v) = sign_in_with(&srv, "resident", 0, &weak).await;
    assert_eq!((s, &v["field"]), (422, &json!("device_key")), "{v}");

    // One key, one account: a second account cannot take it over.
    let key = SigningKey::from_bytes(&common::rand_bytes());
    let hex = dauys_proto::hex(key.verifying_key().as_bytes());
    let (s, v) = sign_in_with(&srv, "resident", 0, &hex).await;
    assert_eq!(s, 200, "{v}");
    let (s, v) = sign_in_with(&srv, "resident", 1, &hex).await;
    assert_eq!((s, &v["field"]), (422, &json!("device_key")), "{v}");
    // The owner signs in with it again as often as they like.
    let (s, v) = sign_in_with(&srv, "resident", 0, &hex).await;
    assert_eq!(s, 200, "{v}");

    // A revoked device is not brought back by signing in again.
    srv.exec(
        "UPDATE devices SET revoked = 1 WHERE public_key = $1",
        vec![hex.as_str().into()],
    )
    .await;
    let (s, v) = sign_in_with(&srv, "resident", 0, &hex).await;
    assert_eq!((s, &v["code"]), (403, &json!("forbidden")), "{v}");

    // The ballot row names the key that verified it.
    let voter = srv.sign_in(&srv.person("resident", 4)).await;
    let cycle = srv.voting_cycle().await;
    let cid = cycle["id"].as_str().expect("id").to_string();
    let project = srv.ballot_projects(&cid).await[0].0.clone();
    let out = voter
        .one(
            &srv,
            "ballot.cast",
            json!({"cycle_id": cid, "proposal_ids": [project]}),
        )
        .await;
    assert_eq!(out["status"], "accepted", "{out}");
    let signed = srv
        .count(
            "SELECT COUNT(*) FROM ballots WHERE user_id = $1 AND device_key = $2",
            vec![
                voter.me.user_id.as_str().into(),
                dauys_proto::hex(voter.key.verifying_key().as_bytes()).into(),
            ],
        )
        .await;
    assert_eq!(signed, 1);
}
both_backends!(keys, device_keys);

/// A batch's signatures are checked together (one batch verification):
/// a forged signature or one whose `R` is of small order among good ones
/// is the rejection of its own op only; a re-sent batch gets the same
/// answers from the op log.
async fn batch_signatures(srv: Server) {
    use ed25519_dalek::Signer;
    let voter = srv.sign_in(&srv.person("resident", 5)).await;
    let cycle = srv.voting_cycle().await;
    let cid = cycle["id"].as_str().expect("id").to_string();
    let project = srv.ballot_projects(&cid).await[0].0.clone();
    let mut ops: Vec<dauys_proto::Op> = (0..12)
        .map(|_| {
            voter.op(
                "ballot.cast",
                json!({"cycle_id": cid, "proposal_ids": [project]}),
            )
        })
        .collect();
    // Op 3: signed by a key this resident never registered.
    let stranger = SigningKey::from_bytes(&common::rand_bytes());
    ops[3].signature = Some(dauys_proto::hex(
        &stranger
            .sign(&dauys_proto::signing_bytes(&ops[3]))
            .to_bytes(),
    ));
    // Op 7: R replaced by the identity point's encoding (small order).
    let mut sig = dauys_proto::unhex(ops[7].signature.as_deref().expect("sig")).expect("hex");
    sig[..32].copy_from_slice(&{
        let mut id = [0u8; 32];
        id[0] = 1;
        id
    });
    ops[7].signature = Some(dauys_proto::hex(&sig));
    let verdicts = |results: &[dauys_proto::OpResult]| -> Vec<String> {
        results
            .iter()
            .map(|r| match &r.outcome {
                dauys_proto::OpOutcome::Accepted { .. } => "accepted".to_string(),
                dauys_proto::OpOutcome::Rejected { code, .. } => code.as_str().to_string(),
            })
            .collect()
    };
    let first = verdicts(&voter.push(&srv, &ops).await);
    for (i, v) in first.iter().enumerate() {
        let want = if i == 3 || i == 7 {
            "bad_signature"
        } else {
            "accepted"
        };
        assert_eq!(v, want, "op {i}: {first:?}");
    }
    assert_eq!(verdicts(&voter.push(&srv, &ops).await), first);
}
both_backends!(batches, batch_signatures);

/// Protocol v2: a signature bound to the account and this server. Bound
/// signatures are accepted; one bound to another server or another account
/// is refused; and once a key has signed bound ops, its unbound (v1)
/// signatures on ops made since — a downgrade — are refused, while a key
/// that never did (an old client) is still answered, and so is an op the
/// device made before its upgrade (an outbox may send it late).
async fn bound_signatures(srv: Server) {
    use ed25519_dalek::Signer;
    let a = srv.sign_in(&srv.person("resident", 3)).await;
    assert!(!a.me.server_id.is_empty(), "the session names the server");
    let (_, me) = srv.get("/v1/me", Some(&a.token)).await;
    assert_eq!(me["server_id"], a.me.server_id.as_str());
    let appeal = |n: usize| {
        json!({"type": "request", "addressee": "pvl-akimat", "subject": format!("Bound {n}"),
               "body": "b", "public": false})
    };
    let signed = |c: &common::Client, n: usize, server: &str, user: &str| {
        let mut op = c.op("appeal.submit", appeal(n));
        let bytes = if server.is_empty() {
            dauys_proto::signing_bytes(&op)
        } else {
            dauys_proto::signing_bytes_bound(&op, server, user)
        };
        op.signature = Some(dauys_proto::hex(&c.key.sign(&bytes).to_bytes()));
        op
    };
    let outcome = |r: &[dauys_proto::OpResult]| serde_json::to_value(&r[0]).expect("json");
    // An old client's (v1) op, before the key signed any bound one: answered.
    let r = a.push(&srv, &[signed(&a, 1, "", "")]).await;
    assert_eq!(outcome(&r)["status"], "accepted", "{:?}", r);
    // Queued (v1) before the device's upgrade, delivered after it: the
    // outbox may send it late (its photo still uploading).
    let queued_before = signed(&a, 6, "", "");
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    // Bound to this server and account: accepted.
    let server = a.me.server_id.clone();
    let user = a.me.user_id.clone();
    let r = a.push(&srv, &[signed(&a, 2, &server, &user)]).await;
    assert_eq!(outcome(&r)["status"], "accepted", "{:?}", r);
    // Bound to another server, or to another account: refused.
    for (s, u) in [
        ("another-server", user.as_str()),
        (server.as_str(), "someone-else"),
    ] {
        let r = a.push(&srv, &[signed(&a, 3, s, u)]).await;
        let v = outcome(&r);
        assert_eq!(v["code"], "bad_signature", "bound to {s}/{u}: {v}");
    }
    // The key now signs bound ops: an unbound signature of it on an op
    // made since is refused; on one made before, answered.
    let r = a.push(&srv, &[signed(&a, 4, "", "")]).await;
    assert_eq!(outcome(&r)["code"], "bad_signature", "{:?}", r);
    let r = a.push(&srv, &[queued_before]).await;
    assert_eq!(outcome(&r)["status"], "accepted", "{:?}", r);
    // Another device of another resident, still an old client: answered.
    let b = srv.sign_in(&srv.person("resident", 4)).await;
    let r = b.push(&srv, &[signed(&b, 5, "", "")]).await;
    assert_eq!(outcome(&r)["status"], "accepted", "{:?}", r);
    let stored: &'static str = "SELECT COUNT(*) FROM appeals WHERE subject LIKE 'Bound %'";
    assert_eq!(srv.count(stored, vec![]).await, 4);
}
both_backends!(bound, bound_signatures);
