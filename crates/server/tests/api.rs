//! The server's behaviour over real HTTP, on SQLite and on PostgreSQL.

mod common;

use common::Server;
use serde_json::{json, Value};

fn status(v: &Value) -> &str {
    v["status"].as_str().unwrap_or_default()
}
fn code(v: &Value) -> &str {
    v["code"].as_str().unwrap_or_default()
}

async fn push_is_idempotent_under_concurrency(srv: Server) {
    let p = srv.person("resident", 0);
    let client = srv.sign_in(&p).await;
    let cycle = srv.voting_cycle().await;
    let projects = srv
        .ballot_projects(cycle["id"].as_str().unwrap_or_default())
        .await;
    let mut ops = Vec::new();
    for i in 0..50 {
        ops.push(client.op(
            "comment.add",
            json!({"proposal_id": projects[i % projects.len()].0, "body": format!("comment {i}")}),
        ));
        ops.push(client.op(
            "appeal.submit",
            json!({"type": "request", "addressee": "pvl-akimat", "subject": format!("s{i}"), "body": "b", "public": i % 2 == 0}),
        ));
    }
    let comments_before = srv.count("SELECT COUNT(*) FROM comments", vec![]).await;
    let appeals_before = srv.count("SELECT COUNT(*) FROM appeals", vec![]).await;
    let client = std::sync::Arc::new(client);
    let ops = std::sync::Arc::new(ops);
    let srv = std::sync::Arc::new(srv);
    let mut tasks = Vec::new();
    for _ in 0..3 {
        let (client, ops, srv) = (client.clone(), ops.clone(), srv.clone());
        tasks.push(tokio::spawn(async move {
            let mut all = Vec::new();
            for _ in 0..3 {
                all.push(client.push(&srv, &ops).await);
            }
            all
        }));
    }
    let mut responses = Vec::new();
    for t in tasks {
        responses.extend(t.await.expect("task"));
    }
    assert_eq!(responses.len(), 9);
    for r in &responses {
        assert_eq!(r, &responses[0], "every response identical per op");
    }
    assert!(responses[0]
        .iter()
        .all(|r| matches!(r.outcome, dauys_proto::OpOutcome::Accepted { .. })));
    assert_eq!(
        srv.count("SELECT COUNT(*) FROM comments", vec![]).await - comments_before,
        50
    );
    assert_eq!(
        srv.count("SELECT COUNT(*) FROM appeals", vec![]).await - appeals_before,
        50
    );
}
both_backends!(idempotent_push, push_is_idempotent_under_concurrency);

async fn sign_in_rules(srv: Server) {
    let p = srv.person("resident", 1);
    // Bad checksum: a clear, coded error.
    let mut bad = p.iin.clone().into_bytes();
    bad[11] = if bad[11] == b'9' { b'0' } else { bad[11] + 1 };
    let (s, v) = srv
        .post(
            "/v1/auth/otp",
            None,
            &json!({"iin": String::from_utf8(bad).unwrap_or_default()}),
        )
        .await;
    assert_eq!((s, code(&v)), (422, "invalid_iin"), "{v}");
    assert_eq!(v["message_key"], "error-invalid-iin");
    // Unknown but valid IIN: same answer shape, no hint.
    let stranger = dauys_proto::iin::make(
        time::Date::from_calendar_date(1990, time::Month::January, 1).expect("date"),
        dauys_proto::iin::Sex::Male,
        4242,
    )
    .or_else(|| {
        dauys_proto::iin::make(
            time::Date::from_calendar_date(1990, time::Month::January, 1).expect("date"),
            dauys_proto::iin::Sex::Male,
            4243,
        )
    })
    .expect("iin");
    let (s, v) = srv
        .post("/v1/auth/otp", None, &json!({"iin": stranger}))
        .await;
    assert_eq!(s, 200);
    assert!(v["phone_hint"].is_null());

    let key = dauys_proto::hex(
        ed25519_dalek::SigningKey::from_bytes(&common::rand_bytes())
            .verifying_key()
            .as_bytes(),
    );
    let unknown_answer = v.clone();
    let (s, v) = srv.post("/v1/auth/otp", None, &json!({"iin": p.iin})).await;
    assert_eq!(s, 200);
    // The same answer as for an IIN outside the census: no phone digits.
    assert_eq!(v, unknown_answer);
    let good = srv.last_code(&p.phone);
    let wrong = if good == "000000" { "000001" } else { "000000" };
    let verify =
        |code: String| json!({"iin": p.iin, "code": code, "device_key": key, "device_name": "t"});
    let (s, v) = srv
        .post("/v1/auth/verify", None, &verify(wrong.into()))
        .await;
    assert_eq!((s, code(&v)), (401, "code_wrong"), "{v}");
    // Expired: move the clock past the code's lifetime.
    srv.st.clock.set_offset_ms(6 * 60 * 1000);
    let (s, v) = srv
        .post("/v1/auth/verify", None, &verify(good.clone()))
        .await;
    assert_eq!((s, code(&v)), (401, "code_expired"), "{v}");
    srv.st.clock.set_offset_ms(0);
    // Wrong guesses are limited per code.
    let (s, _) = srv.post("/v1/auth/otp", None, &json!({"iin": p.iin})).await;
    assert_eq!(s, 200);
    let good = srv.last_code(&p.phone);
    for _ in 0..5 {
        let (s, _) = srv
            .post("/v1/auth/verify", None, &verify(wrong.into()))
            .await;
        assert_eq!(s, 401);
    }
    let (s, v) = srv.post("/v1/auth/verify", None, &verify(good)).await;
    assert_eq!((s, code(&v)), (429, "rate_limited"), "{v}");
    // Sending codes is limited per hour (2 sent above, 3 more allowed).
    // Past the limit the answer stays the same, but no new code goes out
    // while the last one works: it still signs in.
    for _ in 0..3 {
        let (s, _) = srv.post("/v1/auth/otp", None, &json!({"iin": p.iin})).await;
        assert_eq!(s, 200);
    }
    let last = srv.last_code(&p.phone);
    let (s, v) = srv.post("/v1/auth/otp", None, &json!({"iin": p.iin})).await;
    assert_eq!((s, &v), (200, &unknown_answer), "{v}");
    assert_eq!(srv.last_code(&p.phone), last, "no new code past the limit");
    let (s, v) = srv.post("/v1/auth/verify", None, &verify(last)).await;
    assert_eq!(s, 200, "{v}");
    // A good sign-in works and logout revokes the token.
    let q = srv.person("resident", 2);
    let c = srv.sign_in(&q).await;
    let (s, _) = srv.get("/v1/me", Some(&c.token)).await;
    assert_eq!(s, 200);
    let (s, _) = srv
        .post("/v1/auth/logout", Some(&c.token), &json!({}))
        .await;
    assert_eq!(s, 204);
    let (s, v) = srv.get("/v1/me", Some(&c.token)).await;
    assert_eq!((s, code(&v)), (401, "unauthorized"));
}
both_backends!(sign_in, sign_in_rules);

fn rejected_with(v: &Value, c: &str) {
    assert_eq!(status(v), "rejected", "{v}");
    assert_eq!(code(v), c, "{v}");
}

async fn ballot_rules(srv: Server) {
    let cycle = srv.voting_cycle().await;
    let cid = cycle["id"].as_str().unwrap_or_default().to_string();
    let budget = cycle["budget"].as_i64().unwrap_or_default();
    let mut projects = srv.ballot_projects(&cid).await;
    projects.sort_by_key(|p| -p.1);
    let voter = srv.sign_in(&srv.person("resident", 4)).await;
    // Over budget: the most expensive projects within the count limit.
    let big: Vec<&str> = projects.iter().take(5).map(|p| p.0.as_str()).collect();
    assert!(projects.iter().take(5).map(|p| p.1).sum::<i64>() > budget);
    rejected_with(
        &voter
            .one(
                &srv,
                "ballot.cast",
                json!({"cycle_id": cid, "proposal_ids": big}),
            )
            .await,
        "over_budget",
    );
    // Too many projects (cheapest six).
    let six: Vec<&str> = projects
        .iter()
        .rev()
        .take(6)
        .map(|p| p.0.as_str())
        .collect();
    rejected_with(
        &voter
            .one(
                &srv,
                "ballot.cast",
                json!({"cycle_id": cid, "proposal_ids": six}),
            )
            .await,
        "too_many_projects",
    );
    // Duplicate and unknown projects.
    let p0 = projects[0].0.as_str();
    rejected_with(
        &voter
            .one(
                &srv,
                "ballot.cast",
                json!({"cycle_id": cid, "proposal_ids": [p0, p0]}),
            )
            .await,
        "duplicate_project",
    );
    rejected_with(
        &voter
            .one(
                &srv,
                "ballot.cast",
                json!({"cycle_id": cid, "proposal_ids": ["nope"]}),
            )
            .await,
        "not_on_ballot",
    );
    // Unsigned ballots are refused.
    let mut op = voter.op(
        "ballot.cast",
        json!({"cycle_id": cid, "proposal_ids": [p0]}),
    );
    op.signature = None;
    let r = voter.push(&srv, &[op]).await;
    rejected_with(
        &serde_json::to_value(&r[0]).unwrap_or_default(),
        "bad_signature",
    );
    // A valid ballot, then a replacement: last cast wins, one ballot stored.
    let cheap: Vec<&str> = projects
        .iter()
        .rev()
        .take(2)
        .map(|p| p.0.as_str())
        .collect();
    let first = voter
        .one(
            &srv,
            "ballot.cast",
            json!({"cycle_id": cid, "proposal_ids": cheap}),
        )
        .await;
    assert_eq!(status(&first), "accepted", "{first}");
    assert!(first["receipt"].as_str().is_some_and(|r| r.len() == 19));
    let second = voter
        .one(
            &srv,
            "ballot.cast",
            json!({"cycle_id": cid, "proposal_ids": [cheap[0]]}),
        )
        .await;
    assert_eq!(status(&second), "accepted");
    assert_ne!(first["receipt"], second["receipt"]);
    let n = srv
        .count(
            "SELECT COUNT(*) FROM ballots WHERE cycle_id = $1 AND user_id = $2",
            vec![cid.clone().into(), voter.me.user_id.clone().into()],
        )
        .await;
    assert_eq!(n, 1);
    let (_, changes) = srv.get("/v1/changes?since=0", Some(&voter.token)).await;
    let mine = changes["changes"]
        .as_array()
        .and_then(|c| {
            c.iter()
                .find(|c| c["type"] == "ballot" && c["data"]["cycle_id"] == cid.as_str())
        })
        .cloned()
        .unwrap_or_default();
    assert_eq!(mine["data"]["proposal_ids"], json!([cheap[0]]), "{mine}");
    assert_eq!(mine["data"]["receipt"], second["receipt"]);
    // Not eligible: a resident of another region.
    let other = srv.sign_in(&srv.person("other region", 0)).await;
    rejected_with(
        &other
            .one(
                &srv,
                "ballot.cast",
                json!({"cycle_id": cid, "proposal_ids": [p0]}),
            )
            .await,
        "not_eligible",
    );
    // Under age.
    let young = srv.sign_in(&srv.person("under 16", 0)).await;
    rejected_with(
        &young
            .one(
                &srv,
                "ballot.cast",
                json!({"cycle_id": cid, "proposal_ids": [p0]}),
            )
            .await,
        "under_age",
    );
    // Receipts are checked once voting is over, not before.
    let receipt = second["receipt"].as_str().unwrap_or_default().to_string();
    let (_, v) = srv
        .get(&format!("/v1/cycles/{cid}/receipts/{receipt}"), None)
        .await;
    assert_eq!(code(&v), "phase_closed", "{v}");
    // Voting closed: the official moves the cycle to tallying; results appear.
    let official = srv.sign_in(&srv.person("official, Pavlodar", 0)).await;
    let r = official
        .one(
            &srv,
            "cycle.phase",
            json!({"cycle_id": cid, "phase": "tallying"}),
        )
        .await;
    assert_eq!(status(&r), "accepted", "{r}");
    rejected_with(
        &voter
            .one(
                &srv,
                "ballot.cast",
                json!({"cycle_id": cid, "proposal_ids": [p0]}),
            )
            .await,
        "voting_closed",
    );
    let (_, c) = srv.get(&format!("/v1/cycles/{cid}"), None).await;
    let results = &c["results"];
    assert!(results["cost"].as_i64().unwrap_or(i64::MAX) <= budget);
    assert_eq!(results["voters"], 5, "{results}");
    // Anyone can download the anonymized ballots and recount them.
    let pb = srv
        .http
        .get(srv.url(&format!("/v1/cycles/{cid}/ballots.pb")))
        .send()
        .await
        .expect("pb")
        .text()
        .await
        .expect("text");
    assert!(!pb.contains(&voter.me.user_id), "no internal voter ids");
    let e = dauys_tally::pabulib::parse(&pb).expect("valid pabulib");
    assert_eq!(e.voters.len(), 5);
    let recount = dauys_tally::tally(
        &e,
        e.rule_name().and_then(|r| r.parse().ok()).expect("rule"),
    )
    .expect("tally");
    let mut ids = recount.selected.clone();
    ids.sort();
    assert_eq!(
        serde_json::to_value(&ids).unwrap_or_default(),
        results["selected"]
    );
    let (s, v) = srv
        .get(&format!("/v1/cycles/{}/ballots.pb", "no-such-cycle"), None)
        .await;
    assert_eq!((s, code(&v)), (404, "not_found"));
    // The voter's receipt checks out (typed loosely); the replaced
    // ballot's receipt and a made-up one do not; nothing says the choices.
    let loose = receipt.to_lowercase().replace('-', " ");
    let (s, v) = srv
        .get(
            &format!("/v1/cycles/{cid}/receipts/{}", loose.replace(' ', "%20")),
            None,
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v, json!({"counted": true, "ballots": 5}));
    for other in [
        first["receipt"].as_str().unwrap_or_default(),
        "0000-0000-0000-0000",
    ] {
        let (_, v) = srv
            .get(&format!("/v1/cycles/{cid}/receipts/{other}"), None)
            .await;
        assert_eq!(v["counted"], false, "{other}: {v}");
    }
    let (s, v) = srv
        .get(&format!("/v1/cycles/{cid}/receipts/not-a-receipt"), None)
        .await;
    assert_eq!((s, code(&v)), (422, "invalid_field"), "{v}");
    // The published fingerprints hold the voter's, and one per ballot.
    let txt = srv
        .http
        .get(srv.url(&format!("/v1/cycles/{cid}/receipts.txt")))
        .send()
        .await
        .expect("receipts.txt")
        .text()
        .await
        .expect("text");
    let prints: Vec<&str> = txt.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(prints.len(), 5, "{txt}");
    let mine = dauys_server::components::budgets::receipts::fingerprint(&cid, &receipt);
    assert!(prints.contains(&mine.as_str()), "{txt}");
    assert!(
        !txt.contains(&receipt),
        "receipts themselves are not published"
    );
    // And on the cycle's public page, without JavaScript: a GET form.
    let html = srv
        .http
        .get(srv.url(&format!("/cycles/{cid}/receipt?lang=en&r={receipt}")))
        .send()
        .await
        .expect("receipt page")
        .text()
        .await
        .expect("html");
    assert!(html.contains("Your ballot was counted"), "{html}");
    let html = srv
        .http
        .get(srv.url(&format!(
            "/cycles/{cid}/receipt?lang=en&r=0000-0000-0000-0000"
        )))
        .send()
        .await
        .expect("receipt page")
        .text()
        .await
        .expect("html");
    assert!(html.contains("No counted ballot has this receipt"));
    // Participation on the cycle's page: 5 voted of the census residents
    // old enough (the under-16 resident is not counted as eligible).
    let html = srv
        .http
        .get(srv.url(&format!("/cycles/{cid}?lang=en")))
        .send()
        .await
        .expect("cycle page")
        .text()
        .await
        .expect("html");
    let cells: Vec<i64> = html
        .split("<th scope=\"row\">Everywhere in the cycle</th>")
        .nth(1)
        .unwrap_or_default()
        .split("</tr>")
        .next()
        .unwrap_or_default()
        .split("<td>")
        .filter_map(|c| c.split('<').next()?.trim().parse().ok())
        .collect();
    assert_eq!(cells.get(1), Some(&5), "{html}");
    let adults = srv
        .count(
            "SELECT COUNT(*) FROM residents WHERE birth_date <= '2010-12-31'",
            vec![],
        )
        .await;
    assert!(cells[0] >= 5 && cells[0] <= adults, "{cells:?} of {adults}");
    // Served as stored, not counted again per request: with the ballots
    // gone from the database, the download is still the same file.
    srv.exec(
        "DELETE FROM ballots WHERE cycle_id = $1",
        vec![cid.as_str().into()],
    )
    .await;
    let again = srv
        .http
        .get(srv.url(&format!("/v1/cycles/{cid}/ballots.pb")))
        .send()
        .await
        .expect("pb");
    assert!(again
        .headers()
        .get("cache-control")
        .is_some_and(|v| v.to_str().unwrap_or_default().contains("max-age")));
    assert_eq!(again.text().await.expect("text"), pb);
}
both_backends!(ballots, ballot_rules);

async fn appeal_timeline(srv: Server) {
    // Friday 2026-03-20, right before Nauryz (21–23 March, with 24–25 off in lieu).
    srv.set_today("2026-03-20");
    let citizen = srv.sign_in(&srv.person("resident", 0)).await;
    let official = srv.sign_in(&srv.person("official, Pavlodar", 0)).await;
    let other_official = srv.sign_in(&srv.person("official, Almaty", 0)).await;
    let r = citizen
        .one(&srv, "appeal.submit", json!({"type": "complaint", "addressee": "pvl-housing", "subject": "Нет воды", "body": "Третий день нет воды", "public": false}))
        .await;
    assert_eq!(status(&r), "accepted", "{r}");
    let id = r["entity_id"].as_str().unwrap_or_default().to_string();
    // Citizens and officials elsewhere may not act on it.
    rejected_with(
        &citizen
            .one(&srv, "appeal.register", json!({"appeal_id": id}))
            .await,
        "forbidden",
    );
    rejected_with(
        &other_official
            .one(&srv, "appeal.register", json!({"appeal_id": id}))
            .await,
        "forbidden",
    );
    // The same through REST.
    let (s, v) = srv
        .post(
            "/v1/actions/appeal.register",
            Some(&citizen.token),
            &json!({"appeal_id": id}),
        )
        .await;
    assert_eq!(
        (s, status(&v), code(&v)),
        (200, "rejected", "forbidden"),
        "{v}"
    );
    // Private: others cannot read it, officials of the locality can.
    let (s, _) = srv
        .get(&format!("/v1/appeals/{id}"), Some(&other_official.token))
        .await;
    assert_eq!(s, 404);
    let r = official
        .one(&srv, "appeal.register", json!({"appeal_id": id}))
        .await;
    assert_eq!(status(&r), "accepted", "{r}");
    let (s, a) = srv
        .get(&format!("/v1/appeals/{id}"), Some(&citizen.token))
        .await;
    assert_eq!(s, 200);
    assert_eq!(a["status"], "registered");
    assert_eq!(a["registered_on"], "2026-03-20");
    // 15 working days, skipping the holidays: 26 March … 15 April.
    assert_eq!(a["due_date"], "2026-04-15", "{a}");
    assert!(a["registration_number"]
        .as_str()
        .is_some_and(|n| n.starts_with("PVL-HOUSING-2026-")));
    // Redirect allowed within 3 working days only: 30 March is the 3rd.
    srv.set_today("2026-03-31");
    rejected_with(
        &official
            .one(
                &srv,
                "appeal.redirect",
                json!({"appeal_id": id, "to": "pvl-roads", "reason": "not ours"}),
            )
            .await,
        "deadline_passed",
    );
    // Extension: reasoned, at most two months from registration.
    rejected_with(
        &official
            .one(
                &srv,
                "appeal.extend",
                json!({"appeal_id": id, "until": "2026-05-21", "reason": "need data"}),
            )
            .await,
        "invalid_field",
    );
    let r = official
        .one(
            &srv,
            "appeal.extend",
            json!({"appeal_id": id, "until": "2026-05-20", "reason": "need data"}),
        )
        .await;
    assert_eq!(status(&r), "accepted", "{r}");
    // Overdue once the due date has passed without an answer.
    srv.set_today("2026-05-21");
    // Sessions last 30 days: sign in again after the jump in time.
    let citizen = srv.sign_in(&srv.person("resident", 0)).await;
    let official = srv.sign_in(&srv.person("official, Pavlodar", 0)).await;
    let (_, a) = srv
        .get(&format!("/v1/appeals/{id}"), Some(&citizen.token))
        .await;
    assert_eq!(a["status"], "extended");
    assert_eq!(a["overdue"], true, "{a}");
    let r = official
        .one(
            &srv,
            "appeal.answer",
            json!({"appeal_id": id, "answer": "Водоснабжение восстановлено."}),
        )
        .await;
    assert_eq!(status(&r), "accepted", "{r}");
    let (_, a) = srv
        .get(&format!("/v1/appeals/{id}"), Some(&citizen.token))
        .await;
    assert_eq!(a["overdue"], false);
    let kinds: Vec<&str> = a["history"]
        .as_array()
        .map(|h| h.iter().filter_map(|e| e["status"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(kinds, ["submitted", "registered", "extended", "answered"]);
    // An appeal redirected in time goes to the other body.
    srv.set_today("2026-06-01");
    let citizen = srv.sign_in(&srv.person("resident", 0)).await;
    let official = srv.sign_in(&srv.person("official, Pavlodar", 0)).await;
    let r = citizen.one(&srv, "appeal.submit", json!({"type": "proposal", "addressee": "pvl-akimat", "subject": "Дорога", "body": "Ямы", "public": true})).await;
    let id2 = r["entity_id"].as_str().unwrap_or_default().to_string();
    official
        .one(&srv, "appeal.register", json!({"appeal_id": id2}))
        .await;
    let r = official
        .one(
            &srv,
            "appeal.redirect",
            json!({"appeal_id": id2, "to": "pvl-roads", "reason": "дороги"}),
        )
        .await;
    assert_eq!(status(&r), "accepted", "{r}");
    let (_, a) = srv.get(&format!("/v1/appeals/{id2}"), None).await;
    assert_eq!(
        (a["addressee"].as_str(), a["status"].as_str()),
        (Some("pvl-roads"), Some("redirected"))
    );
}
both_backends!(appeals, appeal_timeline);

async fn officials_scoped(srv: Server) {
    let cycle = srv.voting_cycle().await;
    let cid = cycle["id"].as_str().unwrap_or_default();
    let citizen = srv.sign_in(&srv.person("resident", 0)).await;
    let aktogay = srv.sign_in(&srv.person("official, Aktogay", 0)).await;
    for who in [&citizen, &aktogay] {
        rejected_with(
            &who.one(
                &srv,
                "cycle.phase",
                json!({"cycle_id": cid, "phase": "tallying"}),
            )
            .await,
            "forbidden",
        );
        rejected_with(
            &who.one(&srv, "cycle.create", json!({"locality": dauys_server::demo::CITY, "budget": 1, "title": {"kk": "a", "ru": "a", "en": "a"}})).await,
            "forbidden",
        );
    }
    // The district official may act in a village under the district.
    let r = aktogay
        .one(&srv, "cycle.create", json!({"locality": dauys_server::demo::VILLAGE, "budget": 5000000, "title": {"kk": "Ауыл", "ru": "Село", "en": "Village"}}))
        .await;
    assert_eq!(status(&r), "accepted", "{r}");
    // Moderation needs the moderator role.
    let p = citizen
        .one(
            &srv,
            "proposal.submit",
            json!({"cycle_id": cid, "title": "t", "description": "d", "category": "c", "cost": 5}),
        )
        .await;
    rejected_with(&p, "phase_closed");
}
both_backends!(roles, officials_scoped);

async fn pull_and_privacy(srv: Server) {
    let citizen = srv.sign_in(&srv.person("resident", 0)).await;
    let other = srv.sign_in(&srv.person("resident", 1)).await;
    let (_, first) = srv
        .get(
            &format!("/v1/changes?follow={}&limit=1000", dauys_server::demo::CITY),
            None,
        )
        .await;
    let cursor = first["cursor"].as_str().unwrap_or_default().to_string();
    assert_eq!(first["more"], false);
    // An empty pull is one small response.
    let r = srv
        .http
        .get(srv.url(&format!(
            "/v1/changes?follow={}&since={cursor}",
            dauys_server::demo::CITY
        )))
        .send()
        .await
        .expect("send");
    let body = r.bytes().await.expect("body");
    assert!(body.len() < 200, "{} bytes", body.len());
    let r = citizen
        .one(&srv, "appeal.submit", json!({"type": "statement", "addressee": "pvl-akimat", "subject": "private", "body": "my data", "public": false}))
        .await;
    let id = r["entity_id"].as_str().unwrap_or_default().to_string();
    let path = format!(
        "/v1/changes?follow={}&since={cursor}",
        dauys_server::demo::CITY
    );
    let (_, mine) = srv.get(&path, Some(&citizen.token)).await;
    assert!(mine["changes"]
        .as_array()
        .is_some_and(|c| c.iter().any(|c| c["data"]["id"] == id.as_str())));
    for token in [Some(other.token.as_str()), None] {
        let (_, theirs) = srv.get(&path, token).await;
        assert!(theirs["changes"]
            .as_array()
            .is_some_and(|c| c.iter().all(|c| c["data"]["id"] != id.as_str())));
        let (s, _) = srv.get(&format!("/v1/appeals/{id}"), token).await;
        assert_eq!(s, 404);
    }
    // Bad input: clear 4xx JSON, never 5xx.
    let (s, v) = srv.get("/v1/changes?since=abc", None).await;
    assert_eq!((s, code(&v)), (422, "invalid_field"));
    let r = srv
        .http
        .post(srv.url("/v1/push"))
        .bearer_auth(&citizen.token)
        .body("{not json")
        .header("content-type", "application/json")
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 422);
    let (s, v) = srv.post("/v1/push", None, &json!({"ops": []})).await;
    assert_eq!((s, code(&v)), (401, "unauthorized"));
    let unknown = citizen.one(&srv, "teleport", json!({})).await;
    rejected_with(&unknown, "unknown_kind");
    let (s, v) = srv.get("/v1/openapi.json", None).await;
    assert_eq!(s, 200);
    assert!(v["openapi"].as_str().is_some_and(|o| o.starts_with("3.")));
    // Every route of the API is in the document (routes and paths are one
    // list), with the methods it answers.
    let paths = &v["paths"];
    for (path, method) in [
        ("/healthz", "get"),
        ("/v1/localities", "get"),
        ("/v1/auth/otp", "post"),
        ("/v1/auth/verify", "post"),
        ("/v1/auth/logout", "post"),
        ("/v1/me", "get"),
        ("/v1/push", "post"),
        ("/v1/changes", "get"),
        ("/v1/actions/{kind}", "post"),
        ("/v1/uploads", "post"),
        ("/v1/uploads/{id}", "get"),
        ("/v1/uploads/{id}", "head"),
        ("/v1/uploads/{id}", "patch"),
        ("/v1/cycles", "get"),
        ("/v1/cycles/{id}", "get"),
        ("/v1/cycles/{id}/proposals", "get"),
        ("/v1/cycles/{id}/ballots.pb", "get"),
        ("/v1/cycles/{id}/results.csv", "get"),
        ("/v1/cycles/{id}/receipts.txt", "get"),
        ("/v1/cycles/{id}/receipts/{receipt}", "get"),
        ("/v1/proposals/{id}", "get"),
        ("/v1/proposals/{id}/comments", "get"),
        ("/v1/appeals", "get"),
        ("/v1/appeals/{id}", "get"),
        ("/v1/staff/appeals", "get"),
        ("/v1/staff/proposals", "get"),
        ("/v1/staff/comments", "get"),
        ("/v1/staff/cycles", "get"),
    ] {
        assert!(
            paths[path][method].is_object(),
            "{method} {path} documented"
        );
    }
    assert!(v["components"]["schemas"]["BallotCastPayload"].is_object());
}
both_backends!(pull, pull_and_privacy);

/// A pull riding on a push: the response carries the changes since the
/// cursor, read after the batch was applied (one round trip for both).
async fn push_carries_pull(srv: Server) {
    let citizen = srv.sign_in(&srv.person("resident", 0)).await;
    let city = dauys_server::demo::CITY;
    let (_, first) = srv
        .get(&format!("/v1/changes?follow={city}&limit=1000"), None)
        .await;
    let cursor = first["cursor"].as_str().unwrap_or_default().to_string();
    let proposal = first["changes"]
        .as_array()
        .and_then(|c| {
            c.iter()
                .find(|c| c["type"] == "proposal" && c["data"]["status"] == "on_ballot")
        })
        .map(|c| c["data"]["id"].as_str().unwrap_or_default().to_string())
        .expect("a proposal on the ballot");
    let ops: Vec<_> = (0..3)
        .map(|i| {
            citizen.op(
                "comment.add",
                json!({"proposal_id": proposal, "body": format!("riding {i}")}),
            )
        })
        .collect();
    let (s, v) = srv
        .post(
            "/v1/push",
            Some(&citizen.token),
            &json!({"ops": ops, "pull": {"since": cursor, "follow": [city]}}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert!(v["results"]
        .as_array()
        .is_some_and(|r| r.len() == 3 && r.iter().all(|r| status(r) == "accepted")));
    let changes = v["changes"]["changes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for op in &ops {
        let id = op.id.to_string();
        assert!(
            changes
                .iter()
                .any(|c| c["type"] == "comment" && c["data"]["id"] == id.as_str()),
            "{v}"
        );
    }
    let next = v["changes"]["cursor"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(next.parse::<i64>().unwrap_or(0) > cursor.parse::<i64>().unwrap_or(0));
    assert_eq!(v["changes"]["more"], false);
    // Without `pull` the response is as before: no `changes`.
    let (_, v) = srv
        .post("/v1/push", Some(&citizen.token), &json!({ "ops": ops }))
        .await;
    assert!(v.get("changes").is_none(), "{v}");
    // A bad cursor is refused before anything is applied.
    let op = citizen.op(
        "comment.add",
        json!({"proposal_id": proposal, "body": "never applied"}),
    );
    let (s, v) = srv
        .post(
            "/v1/push",
            Some(&citizen.token),
            &json!({"ops": [op], "pull": {"since": "abc"}}),
        )
        .await;
    assert_eq!((s, code(&v)), (422, "invalid_field"));
    let applied = srv
        .count(
            "SELECT COUNT(*) FROM ops WHERE id = $1",
            vec![op.id.to_string().into()],
        )
        .await;
    assert_eq!(applied, 0);
}
both_backends!(push_pull, push_carries_pull);

async fn resumable_upload(srv: Server) {
    let citizen = srv.sign_in(&srv.person("resident", 0)).await;
    // A PNG's signature, then anything: the server checks what the bytes
    // begin with.
    let data: Vec<u8> = b"\x89PNG\r\n\x1a\n"
        .iter()
        .copied()
        .chain((8..300_000u32).map(|i| (i % 251) as u8))
        .collect();
    let id = uuid::Uuid::now_v7().to_string();
    let create = || {
        srv.http
            .post(srv.url("/v1/uploads"))
            .bearer_auth(&citizen.token)
            .header("Upload-Length", data.len().to_string())
            .header("Idempotency-Key", &id)
            .send()
    };
    let r = create().await.expect("create");
    assert_eq!(r.status().as_u16(), 201);
    let patch = |at: usize, len: usize| {
        srv.http
            .patch(srv.url(&format!("/v1/uploads/{id}")))
            .bearer_auth(&citizen.token)
            .header("Upload-Offset", at.to_string())
            .header("content-type", "application/offset+octet-stream")
            .body(data[at..at + len].to_vec())
            .send()
    };
    assert_eq!(
        patch(0, 100_000).await.expect("patch").status().as_u16(),
        204
    );
    // A retried create (lost response) is the same upload, offset kept.
    let r = create().await.expect("create again");
    assert_eq!(r.headers()["upload-offset"], "100000");
    // A stale offset is refused without corrupting anything.
    assert_eq!(
        patch(0, 100_000).await.expect("patch").status().as_u16(),
        409
    );
    let r = srv
        .http
        .head(srv.url(&format!("/v1/uploads/{id}")))
        .bearer_auth(&citizen.token)
        .send()
        .await
        .expect("head");
    assert_eq!(r.headers()["upload-offset"], "100000");
    // Not complete yet: an appeal cannot reference it.
    let r = citizen
        .one(&srv, "appeal.submit", json!({"type": "complaint", "addressee": "pvl-akimat", "subject": "s", "body": "b", "media": [id]}))
        .await;
    rejected_with(&r, "media_missing");
    assert_eq!(
        patch(100_000, 200_000)
            .await
            .expect("patch")
            .status()
            .as_u16(),
        204
    );
    let r = citizen
        .one(&srv, "appeal.submit", json!({"type": "complaint", "addressee": "pvl-akimat", "subject": "s", "body": "b", "media": [id]}))
        .await;
    assert_eq!(status(&r), "accepted", "{r}");
    // A private appeal's photo: only its author and the officials in its
    // scope get it; anyone else (signed in or not) the 404 of a missing id.
    let photo = |token: Option<String>| {
        let mut r = srv.http.get(srv.url(&format!("/v1/uploads/{id}")));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r.send()
    };
    let neighbour = srv.sign_in(&srv.person("resident", 1)).await;
    let official = srv.sign_in(&srv.person("official, Pavlodar", 0)).await;
    let elsewhere = srv.sign_in(&srv.person("official, Almaty", 0)).await;
    for (who, token, want) in [
        ("anonymous", None, 404),
        ("another resident", Some(neighbour.token.clone()), 404),
        ("an official elsewhere", Some(elsewhere.token.clone()), 404),
        ("the official in scope", Some(official.token.clone()), 200),
    ] {
        let r = photo(token).await.expect("get");
        assert_eq!(r.status().as_u16(), want, "{who}");
    }
    let missing = srv
        .http
        .get(srv.url(&format!("/v1/uploads/{}", uuid::Uuid::now_v7())))
        .bearer_auth(&neighbour.token)
        .send()
        .await
        .expect("get");
    assert_eq!(missing.status(), 404);
    let got = photo(Some(citizen.token.clone())).await.expect("get");
    // Declared nothing (JPEG assumed), checked to be a PNG: served as one,
    // and never sniffed into anything else.
    assert_eq!(got.headers()["content-type"], "image/png");
    assert_eq!(got.headers()["x-content-type-options"], "nosniff");
    assert!(got.headers()["content-security-policy"]
        .to_str()
        .unwrap_or_default()
        .contains("sandbox"));
    assert_eq!(got.bytes().await.expect("bytes").as_ref(), data.as_slice());

    // Not an image (a page, here): the last chunk is refused and the
    // upload is gone.
    let page = b"<html><script>alert(1)</script></html>".to_vec();
    let bad = uuid::Uuid::now_v7().to_string();
    let r = srv
        .http
        .post(srv.url("/v1/uploads"))
        .bearer_auth(&citizen.token)
        .header("Upload-Length", page.len().to_string())
        .header("Idempotency-Key", &bad)
        .header("Media-Type", "image/png")
        .send()
        .await
        .expect("create");
    assert_eq!(r.status().as_u16(), 201);
    let r = srv
        .http
        .patch(srv.url(&format!("/v1/uploads/{bad}")))
        .bearer_auth(&citizen.token)
        .header("Upload-Offset", "0")
        .body(page)
        .send()
        .await
        .expect("patch");
    assert_eq!(r.status().as_u16(), 422);
    let r = srv
        .http
        .head(srv.url(&format!("/v1/uploads/{bad}")))
        .bearer_auth(&citizen.token)
        .send()
        .await
        .expect("head");
    assert_eq!(r.status().as_u16(), 404);
}
both_backends!(uploads, resumable_upload);

async fn census_import(srv: Server) {
    let good = srv.person("resident", 0);
    let fresh = dauys_proto::iin::make(
        time::Date::from_calendar_date(1966, time::Month::June, 6).expect("date"),
        dauys_proto::iin::Sex::Female,
        777,
    )
    .or_else(|| {
        dauys_proto::iin::make(
            time::Date::from_calendar_date(1966, time::Month::June, 6).expect("date"),
            dauys_proto::iin::Sex::Female,
            778,
        )
    })
    .expect("iin");
    let csv = format!(
        "iin,phone,locality\n{fresh},+7 705 111 22 33,553240100\n{},+77010009999,551010000\n123,+77010000000,551010000\n{fresh},+77051112233,999999999\nonly-two,fields\n",
        good.iin
    );
    let st = srv.st.clone();
    let report = tokio::task::spawn_blocking(move || {
        let mut c = st.pool.get().expect("conn");
        let r = dauys_server::census::import_csv(&st, &mut *c, csv.as_bytes()).expect("import");
        dauys_server::census::grant(
            &st,
            &mut *c,
            dauys_proto::Role::Moderator,
            &fresh,
            dauys_server::census::GrantPlace::new(Some("553200000"), None),
        )
        .expect("grant");
        let denied = dauys_server::census::grant(
            &st,
            &mut *c,
            dauys_proto::Role::Moderator,
            &fresh,
            dauys_server::census::GrantPlace::new(Some("nowhere"), None),
        );
        assert!(denied.is_err());
        (
            r.added,
            r.updated,
            r.skipped.iter().map(|s| s.line).collect::<Vec<_>>(),
            fresh,
        )
    })
    .await
    .expect("join");
    assert_eq!((report.0, report.1), (1, 1));
    assert_eq!(report.2, vec![4, 5, 6], "bad rows reported by line");
    // The imported resident can sign in and holds the granted role; no IIN is stored in clear.
    let fresh = report.3;
    let plain = srv
        .count(
            "SELECT COUNT(*) FROM residents WHERE iin_hash = $1",
            vec![fresh.clone().into()],
        )
        .await;
    assert_eq!(plain, 0);
    let p = dauys_server::demo::Person {
        iin: fresh,
        phone: "+77051112233".into(),
        locality: "553240100",
        role: None,
        body: None,
        label: "",
    };
    let c = srv.sign_in(&p).await;
    assert!(c
        .me
        .roles
        .iter()
        .any(|r| r.role == dauys_proto::Role::Moderator
            && r.locality.as_deref() == Some("553200000")));
}
both_backends!(census, census_import);

/// The same ballot pushed by three clients at once, three times each
/// (ballot batches take the writers' lock late, so two of them can apply
/// the same op at once): one ballot, one op-log row, the same answer.
async fn ballots_idempotent_under_concurrency(srv: Server) {
    let voter = srv.sign_in(&srv.person("resident", 1)).await;
    let cycle = srv.voting_cycle().await;
    let cid = cycle["id"].as_str().expect("cycle").to_string();
    let projects = srv.ballot_projects(&cid).await;
    let op = voter.op(
        "ballot.cast",
        json!({"cycle_id": cid, "proposal_ids": [projects[0].0]}),
    );
    let (voter, op, srv) = (
        std::sync::Arc::new(voter),
        std::sync::Arc::new(op),
        std::sync::Arc::new(srv),
    );
    let mut tasks = Vec::new();
    for _ in 0..3 {
        let (voter, op, srv) = (voter.clone(), op.clone(), srv.clone());
        tasks.push(tokio::spawn(async move {
            let mut all = Vec::new();
            for _ in 0..3 {
                all.push(voter.push(&srv, std::slice::from_ref(&*op)).await);
            }
            all
        }));
    }
    let mut responses = Vec::new();
    for t in tasks {
        responses.extend(t.await.expect("task"));
    }
    assert!(responses.iter().all(|r| r == &responses[0]));
    assert!(matches!(
        responses[0][0].outcome,
        dauys_proto::OpOutcome::Accepted { .. }
    ));
    let id = op.id.to_string();
    assert_eq!(
        srv.count(
            "SELECT COUNT(*) FROM ops WHERE id = $1",
            vec![id.as_str().into()]
        )
        .await,
        1
    );
    assert_eq!(
        srv.count(
            "SELECT COUNT(*) FROM ballots WHERE op_id = $1",
            vec![id.as_str().into()]
        )
        .await,
        1
    );
}
both_backends!(idempotent_ballots, ballots_idempotent_under_concurrency);

/// Residents re-vote as fast as they can while the official closes the
/// vote: every ballot the server accepted is the one counted (none is
/// stored after the count), and each resident's counted ballot is their
/// last accepted one.
async fn ballots_racing_the_close(srv: Server) {
    let srv = std::sync::Arc::new(srv);
    let cycle = srv.voting_cycle().await;
    let cid = cycle["id"].as_str().expect("cycle").to_string();
    let projects: Vec<String> = srv
        .ballot_projects(&cid)
        .await
        .into_iter()
        .map(|p| p.0)
        .collect();
    let mut tasks = Vec::new();
    for n in 0..6 {
        let voter = srv.sign_in(&srv.person("resident", n)).await;
        let (srv, cid, projects) = (srv.clone(), cid.clone(), projects.clone());
        tasks.push(tokio::spawn(async move {
            let mut last = None;
            for i in 0.. {
                let mut op = voter.op(
                    "ballot.cast",
                    json!({"cycle_id": cid, "proposal_ids": [projects[(n + i) % projects.len()]]}),
                );
                // Later ballots are later by the device's clock too.
                op.client_ts += i as i64;
                op.signature = Some(dauys_proto::hex(
                    &ed25519_dalek::Signer::sign(&voter.key, &dauys_proto::signing_bytes(&op))
                        .to_bytes(),
                ));
                let r = voter.push(&srv, std::slice::from_ref(&op)).await;
                match &r[0].outcome {
                    dauys_proto::OpOutcome::Accepted { .. } => last = Some(op.id.to_string()),
                    dauys_proto::OpOutcome::Rejected { code, .. } => {
                        assert_eq!(*code, dauys_proto::ErrorCode::VotingClosed);
                        break;
                    }
                }
            }
            (voter.me.user_id.clone(), last)
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let official = srv.sign_in(&srv.person("official, Pavlodar", 0)).await;
    let closed = official
        .one(
            &srv,
            "cycle.phase",
            json!({"cycle_id": cid, "phase": "tallying"}),
        )
        .await;
    assert_eq!(status(&closed), "accepted", "{closed}");
    let mut lasts = Vec::new();
    for t in tasks {
        lasts.push(t.await.expect("voter"));
    }
    let st = srv.st.clone();
    let cid2 = cid.clone();
    let (stored, results) = tokio::task::spawn_blocking(move || {
        let mut c = st.pool.get().expect("conn");
        let stored: Vec<(String, String, String)> = c
            .query(
                "SELECT user_id, op_id, proposal_ids FROM ballots WHERE cycle_id = $1",
                dauys_server::params![&cid2],
            )
            .expect("ballots")
            .iter()
            .map(|r| {
                (
                    r.get("user_id").expect("user"),
                    r.get("op_id").expect("op"),
                    r.get("proposal_ids").expect("ids"),
                )
            })
            .collect();
        let results: String = c
            .query_one(
                "SELECT results FROM cycles WHERE id = $1",
                dauys_server::params![&cid2],
            )
            .expect("q")
            .expect("cycle")
            .get("results")
            .expect("counted");
        (stored, results)
    })
    .await
    .expect("join");
    for (user, last) in &lasts {
        let last = last.as_deref().expect("each resident voted at least once");
        let row = stored
            .iter()
            .find(|b| &b.0 == user)
            .expect("a stored ballot");
        assert_eq!(row.1, last, "the counted ballot is the last accepted one");
    }
    let counted: dauys_proto::CycleResults = serde_json::from_str(&results).expect("results");
    let mut recount = std::collections::BTreeMap::<String, i64>::new();
    for (_, _, ids) in &stored {
        for id in serde_json::from_str::<Vec<String>>(ids).expect("ids") {
            *recount.entry(id).or_default() += 1;
        }
    }
    assert_eq!(counted.voters, stored.len() as i64);
    for (id, n) in &recount {
        assert_eq!(counted.votes.get(id), Some(n), "votes for {id}");
    }
}
both_backends!(ballots_close_race, ballots_racing_the_close);

/// Ballot pushes arriving together share a transaction (the group
/// commit): each is answered as if it were alone. Every resident pushes
/// rounds of [a ballot, a ballot for a project not on the ballot] at once,
/// one resident twice the same op in each round: good ballots accepted
/// with receipts, the bad one refused alone, the ineligible refused with
/// their own reason, the twice-sent op applied once, and each stored
/// ballot the last one its resident was told was accepted.
async fn ballots_pushed_together(srv: Server) {
    let srv = std::sync::Arc::new(srv);
    let cycle = srv.voting_cycle().await;
    let cid = cycle["id"].as_str().expect("cycle").to_string();
    let projects: Vec<String> = srv
        .ballot_projects(&cid)
        .await
        .into_iter()
        .map(|p| p.0)
        .collect();
    let residents = dauys_server::demo::people()
        .into_iter()
        .filter(|p| p.label.contains("resident"))
        .count();
    let mut voters = Vec::new();
    for n in 0..residents {
        voters.push(std::sync::Arc::new(
            srv.sign_in(&srv.person("resident", n)).await,
        ));
    }
    // What each resident is told alone, before any grouping.
    let mut alone = Vec::new();
    for v in &voters {
        let r = v
            .one(
                &srv,
                "ballot.cast",
                json!({"cycle_id": cid, "proposal_ids": [projects[0]]}),
            )
            .await;
        alone.push(r["code"].as_str().map(str::to_string));
    }
    assert!(
        alone.iter().any(Option::is_none),
        "someone may vote: {alone:?}"
    );
    assert!(
        alone.iter().any(Option::is_some),
        "someone may not: {alone:?}"
    );
    let mut last: Vec<Option<String>> = vec![None; voters.len()];
    let mut twice = Vec::new();
    for round in 0..4 {
        let mut tasks = Vec::new();
        for (n, v) in voters.iter().enumerate() {
            let mut good = v.op(
                "ballot.cast",
                json!({"cycle_id": cid, "proposal_ids": [projects[(n + round) % projects.len()]]}),
            );
            good.client_ts += 1 + round as i64;
            good.signature = Some(dauys_proto::hex(
                &ed25519_dalek::Signer::sign(&v.key, &dauys_proto::signing_bytes(&good)).to_bytes(),
            ));
            let bad = v.op(
                "ballot.cast",
                json!({"cycle_id": cid, "proposal_ids": ["not-on-the-ballot"]}),
            );
            let copies = if n == 0 { 2 } else { 1 };
            for _ in 0..copies {
                let (srv, v, ops) = (srv.clone(), v.clone(), vec![good.clone(), bad.clone()]);
                tasks.push((
                    n,
                    good.id,
                    tokio::spawn(async move { v.push(&srv, &ops).await }),
                ));
            }
        }
        for (n, id, t) in tasks {
            let r = t.await.expect("push");
            assert_eq!(r.len(), 2);
            match (&alone[n], &r[0].outcome) {
                (None, dauys_proto::OpOutcome::Accepted { receipt, .. }) => {
                    assert!(receipt.is_some(), "a receipt");
                    last[n] = Some(id.to_string());
                }
                (Some(code), dauys_proto::OpOutcome::Rejected { code: got, .. }) => {
                    assert_eq!(serde_json::to_value(got).expect("code"), json!(code));
                }
                (want, got) => panic!("resident {n}: alone {want:?}, together {got:?}"),
            }
            assert!(
                matches!(r[1].outcome, dauys_proto::OpOutcome::Rejected { .. }),
                "{:?}",
                r[1]
            );
            if n == 0 {
                twice.push((id, r[0].outcome.clone()));
            }
        }
    }
    // The op sent twice at once: one answer, one op-log row, one ballot.
    for pair in twice.chunks(2) {
        assert_eq!(pair[0], pair[1]);
        let id = pair[0].0.to_string();
        assert_eq!(
            srv.count(
                "SELECT COUNT(*) FROM ops WHERE id = $1",
                vec![id.as_str().into()]
            )
            .await,
            1
        );
    }
    for (n, v) in voters.iter().enumerate() {
        let stored = srv
            .count(
                "SELECT COUNT(*) FROM ballots WHERE cycle_id = $1 AND user_id = $2 AND op_id = $3",
                vec![
                    cid.as_str().into(),
                    v.me.user_id.as_str().into(),
                    last[n].clone().unwrap_or_default().into(),
                ],
            )
            .await;
        assert_eq!(stored, i64::from(last[n].is_some()), "resident {n}");
    }
}
both_backends!(grouped_ballots, ballots_pushed_together);

/// A ballot the database itself refuses (here a trigger; in life a value
/// it cannot take) in a group of ballot pushes: that ballot is refused
/// alone, with `internal`, and stored so; the others in its group are
/// accepted (the group is applied again push by push).
async fn a_ballot_the_database_refuses(srv: Server) {
    let srv = std::sync::Arc::new(srv);
    let cycle = srv.voting_cycle().await;
    let cid = cycle["id"].as_str().expect("cycle").to_string();
    let projects = srv.ballot_projects(&cid).await;
    let mut voters = Vec::new();
    for n in 0..7 {
        voters.push(std::sync::Arc::new(
            srv.sign_in(&srv.person("resident", n)).await,
        ));
    }
    let ops: Vec<_> = voters
        .iter()
        .map(|v| {
            v.op(
                "ballot.cast",
                json!({"cycle_id": cid, "proposal_ids": [projects[0].0]}),
            )
        })
        .collect();
    let refused = ops[3].id.to_string();
    let sqlite = srv.dialect() == dauys_server::db::Dialect::Sqlite;
    if sqlite {
        srv.exec_owned(format!(
            "CREATE TRIGGER refuse_one BEFORE INSERT ON ballots WHEN NEW.op_id = '{refused}' \
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
        ))
        .await;
    } else {
        srv.exec_owned(format!(
            "CREATE FUNCTION refuse_one() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             IF NEW.op_id = '{refused}' THEN RAISE EXCEPTION 'refused by the test' USING ERRCODE = 'check_violation'; END IF; \
             RETURN NEW; END $$"
        ))
        .await;
        srv.exec_owned(
            "CREATE TRIGGER refuse_one BEFORE INSERT ON ballots FOR EACH ROW EXECUTE FUNCTION refuse_one()".into(),
        )
        .await;
    }
    for _ in 0..3 {
        let mut tasks = Vec::new();
        for (v, op) in voters.iter().zip(&ops) {
            let (srv, v, op) = (srv.clone(), v.clone(), op.clone());
            tasks.push(tokio::spawn(async move {
                v.push(&srv, std::slice::from_ref(&op)).await
            }));
        }
        for (i, t) in tasks.into_iter().enumerate() {
            let r = t.await.expect("push");
            match (&r[0].outcome, i == 3) {
                (dauys_proto::OpOutcome::Accepted { .. }, false) => {}
                (dauys_proto::OpOutcome::Rejected { code, .. }, true) => {
                    assert_eq!(*code, dauys_proto::ErrorCode::Internal)
                }
                (other, _) => panic!("ballot {i}: {other:?}"),
            }
        }
    }
    assert_eq!(
        srv.count(
            "SELECT COUNT(*) FROM ops WHERE id = $1",
            vec![refused.as_str().into()]
        )
        .await,
        1
    );
    for (i, op) in ops.iter().enumerate() {
        let id = op.id.to_string();
        assert_eq!(
            srv.count(
                "SELECT COUNT(*) FROM ballots WHERE op_id = $1",
                vec![id.as_str().into()]
            )
            .await,
            i64::from(i != 3),
            "ballot {i}"
        );
    }
}
both_backends!(database_refuses_a_ballot, a_ballot_the_database_refuses);

/// Ballot pushes signed in together (`kernel::push_auth`) are told what
/// each would be told alone: at once, residents' good sessions, the same
/// session twice, a made-up token, a signed-out session and a session of
/// a revoked device — 200 with an accepted ballot for the good ones, 401
/// `unauthorized` for the others.
async fn pushes_signed_in_together(srv: Server) {
    let srv = std::sync::Arc::new(srv);
    let cycle = srv.voting_cycle().await;
    let cid = cycle["id"].as_str().expect("cycle").to_string();
    let projects = srv.ballot_projects(&cid).await;
    let mut good = Vec::new();
    for n in 0..5 {
        good.push(srv.sign_in(&srv.person("resident", n)).await);
    }
    let signed_out = srv.sign_in(&srv.person("resident", 5)).await;
    let (s, _) = srv
        .post("/v1/auth/logout", Some(&signed_out.token), &json!({}))
        .await;
    assert!(s < 300, "signed out: {s}");
    let revoked = srv.sign_in(&srv.person("resident", 6)).await;
    srv.exec(
        "UPDATE devices SET revoked = 1 WHERE id = (SELECT device_id FROM sessions WHERE token_hash = $1)",
        vec![dauys_server::crypto::sha256_hex(revoked.token.as_bytes()).into()],
    )
    .await;
    let mut cases: Vec<(String, Value, bool)> = Vec::new();
    for (i, v) in good.iter().enumerate() {
        let op = v.op(
            "ballot.cast",
            json!({"cycle_id": cid, "proposal_ids": [projects[0].0]}),
        );
        let copies = if i == 0 { 2 } else { 1 };
        for _ in 0..copies {
            cases.push((v.token.clone(), json!({ "ops": [op] }), true));
        }
    }
    for (token, who) in [
        ("not-a-session".to_string(), &good[0]),
        (signed_out.token.clone(), &signed_out),
        (revoked.token.clone(), &revoked),
    ] {
        let op = who.op(
            "ballot.cast",
            json!({"cycle_id": cid, "proposal_ids": [projects[0].0]}),
        );
        cases.push((token, json!({ "ops": [op] }), false));
    }
    let mut tasks = Vec::new();
    for (token, body, ok) in cases {
        let srv = srv.clone();
        tasks.push(tokio::spawn(async move {
            let (s, v) = srv.post("/v1/push", Some(&token), &body).await;
            (s, v, ok)
        }));
    }
    for t in tasks {
        let (s, v, ok) = t.await.expect("push");
        if ok {
            assert_eq!(s, 200, "{v}");
            assert_eq!(v["results"][0]["status"], "accepted", "{v}");
        } else {
            assert_eq!(s, 401, "{v}");
            assert_eq!(v["code"], "unauthorized", "{v}");
        }
    }
}
both_backends!(signed_in_together, pushes_signed_in_together);
