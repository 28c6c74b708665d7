//! Old clients keep working: a push batch recorded in the wire shape of the
//! client before the typed protocol (`tests/fixtures/push-v1.json`: untyped
//! payloads, `comment.add` with `proposal_id`, appeals signed with a fixed
//! device key) gets the same results as before, on both backends.

mod common;

use common::Server;
use dauys_proto::{Op, PushResponse};
use ed25519_dalek::{Signer, SigningKey};
use serde_json::{json, Value};

const FIXTURE: &str = include_str!("fixtures/push-v1.json");

/// Replaces `{proposal}`/`{cycle}` in every string of `v`.
fn fill(v: &mut Value, proposal: &str, cycle: &str) {
    match v {
        Value::String(s) => *s = s.replace("{proposal}", proposal).replace("{cycle}", cycle),
        Value::Array(a) => a.iter_mut().for_each(|x| fill(x, proposal, cycle)),
        Value::Object(o) => o.values_mut().for_each(|x| fill(x, proposal, cycle)),
        _ => {}
    }
}

fn check(results: &[Value], expected: &[Value]) {
    assert_eq!(results.len(), expected.len());
    for (i, (r, e)) in results.iter().zip(expected).enumerate() {
        assert_eq!(r["status"], e["status"], "op {i}: {r}");
        if let Some(code) = e.get("code") {
            assert_eq!(&r["code"], code, "op {i}: {r}");
        }
        if let Some(field) = e.get("field") {
            assert_eq!(&r["field"], field, "op {i}: {r}");
        }
        if e["receipt"] == true {
            assert!(r["receipt"].is_string(), "op {i}: {r}");
        }
    }
}

async fn recorded_batch_is_accepted(srv: Server) {
    let fx: Value = serde_json::from_str(FIXTURE).expect("fixture");
    let seed = dauys_proto::unhex(fx["device_seed"].as_str().expect("seed")).expect("hex");
    let key = SigningKey::from_bytes(&<[u8; 32]>::try_from(seed.as_slice()).expect("32 bytes"));
    assert_eq!(
        dauys_proto::hex(key.verifying_key().as_bytes()),
        fx["device_key"].as_str().expect("device key")
    );
    // Sign in with the recorded device key.
    let person = srv.person("resident", 4);
    let (s, _) = srv
        .post("/v1/auth/otp", None, &json!({"iin": person.iin}))
        .await;
    assert_eq!(s, 200);
    let code = srv.last_code(&person.phone);
    let (s, session) = srv
        .post(
            "/v1/auth/verify",
            None,
            &json!({"iin": person.iin, "code": code, "device_key": fx["device_key"], "device_name": "v1 client"}),
        )
        .await;
    assert_eq!(s, 200, "{session}");
    let token = session["token"].as_str().expect("token").to_string();

    let cycle = srv.voting_cycle().await;
    let cycle_id = cycle["id"].as_str().expect("cycle").to_string();
    let (proposal, _) = srv
        .ballot_projects(&cycle_id)
        .await
        .into_iter()
        .min_by_key(|p| p.1)
        .expect("a project on the ballot");
    let mut ops = fx["ops"].clone();
    fill(&mut ops, &proposal, &cycle_id);
    for op in ops.as_array_mut().expect("ops") {
        if op["signature"] == "{sign}" {
            let parsed: Op = serde_json::from_value(op.clone()).expect("op");
            op["signature"] = json!(dauys_proto::hex(
                &key.sign(&dauys_proto::signing_bytes(&parsed)).to_bytes()
            ));
        }
    }
    let batch = json!({ "ops": ops });
    let expected = fx["expected"].as_array().expect("expected");

    let (s, first) = srv.post("/v1/push", Some(&token), &batch).await;
    assert_eq!(s, 200, "{first}");
    let first_results = first["results"].as_array().expect("results").clone();
    check(&first_results, expected);
    // The response parses as today's typed response too.
    serde_json::from_value::<PushResponse>(first.clone()).expect("push response");

    // A re-push (the client never got the answer) returns the stored results.
    let (s, again) = srv.post("/v1/push", Some(&token), &batch).await;
    assert_eq!(s, 200, "{again}");
    assert_eq!(
        again["results"].as_array().expect("results"),
        &first_results
    );

    // The effects are served in today's shapes.
    let appeal_id = first_results[0]["entity_id"].as_str().expect("appeal id");
    let (s, appeal) = srv.get(&format!("/v1/appeals/{appeal_id}"), None).await;
    assert_eq!(s, 200);
    assert_eq!(appeal["subject"], "Broken street light");
    assert_eq!(appeal["location"]["lat"], 52.2873);
    let (_, comments) = srv
        .get(&format!("/v1/proposals/{proposal}/comments"), None)
        .await;
    let comment_id = first_results[3]["entity_id"].as_str().expect("comment id");
    let comment = comments
        .as_array()
        .expect("comments")
        .iter()
        .find(|c| c["id"] == comment_id)
        .expect("the recorded comment is listed");
    assert_eq!(comment["proposal_id"], proposal.as_str());
    assert_eq!(comment["body"], "Жақсы идея!");
    let (_, changes) = srv
        .get(
            &format!("/v1/changes?follow={}&limit=1000", dauys_server::demo::CITY),
            Some(&token),
        )
        .await;
    let ballot = changes["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .find(|c| c["type"] == "ballot" && c["data"]["cycle_id"] == cycle_id.as_str())
        .expect("the ballot comes back to its voter");
    assert_eq!(ballot["data"]["proposal_ids"], json!([proposal]));
}
both_backends!(recorded_push, recorded_batch_is_accepted);
