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
