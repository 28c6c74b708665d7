//! The server's part of the resident's side (#13): withdrawing a proposal
//! (and keeping the new status from apps that cannot read it), routing help
//! and place centres on localities, and the opt-in SMS when an appeal is
//! answered — on both databases.

mod common;

use common::Server;
use serde_json::{json, Value};

fn rejected_with(r: &Value, code: &str) {
    assert_eq!(
        (r["status"].as_str(), r["code"].as_str()),
        (Some("rejected"), Some(code)),
        "{r}"
    );
}

/// The proposals (ids → status) a pull with entity version `v` brings.
async fn pulled_proposals(srv: &Server, token: &str, v: Option<u32>) -> Vec<(String, String)> {
    let version = v.map(|v| format!("&v={v}")).unwrap_or_default();
    let (s, page) = srv
        .get(
            &format!(
                "/v1/changes?since=0&limit=1000&follow={}{version}",
                dauys_server::demo::CITY
            ),
            Some(token),
        )
        .await;
    assert_eq!(s, 200, "{page}");
    page["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|c| c["type"] == "proposal")
        .map(|c| {
            (
                c["data"]["id"].as_str().unwrap_or_default().to_string(),
                c["data"]["status"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

async fn withdrawing(srv: Server) {
    let cycle = srv.collecting_cycle_id().await;
    let author = srv.sign_in(&srv.person("resident", 0)).await;
    let other = srv.sign_in(&srv.person("resident", 1)).await;
    let moderator = srv.sign_in(&srv.person("moderator, Pavlodar", 0)).await;
    let submit = |title: &'static str| {
        json!({"cycle_id": cycle, "title": title, "description": "Скамейки у школы",
               "category": "urban", "cost": 900_000})
    };
    let r = author
        .one(&srv, "proposal.submit", submit("Скамейки"))
        .await;
    assert_eq!(r["status"], "accepted", "{r}");
    let id = r["entity_id"].as_str().expect("id").to_string();

    // Only its author may take it back; to anyone else it does not exist.
    let w = json!({"proposal_id": id});
    rejected_with(
        &other.one(&srv, "proposal.withdraw", w.clone()).await,
        "not_found",
    );
    rejected_with(
        &moderator.one(&srv, "proposal.withdraw", w.clone()).await,
        "not_found",
    );
    let r = author.one(&srv, "proposal.withdraw", w.clone()).await;
    assert_eq!(r["status"], "accepted", "{r}");
    // Once withdrawn: not again, and no moderator can pass it any more.
    rejected_with(
        &author.one(&srv, "proposal.withdraw", w.clone()).await,
        "invalid_transition",
    );
    rejected_with(
        &moderator
            .one(
                &srv,
                "proposal.moderate",
                json!({"proposal_id": id, "decision": "accept"}),
            )
            .await,
        "invalid_transition",
    );
    // Never public: not listed, not readable by others.
    let (s, _) = srv.get(&format!("/v1/proposals/{id}"), None).await;
    assert_eq!(s, 404, "a withdrawn proposal is not public");
    let (s, list) = srv
        .get(&format!("/v1/cycles/{cycle}/proposals"), None)
        .await;
    assert_eq!(s, 200);
    assert!(
        !list.to_string().contains(&id),
        "withdrawn proposal listed: {list}"
    );
    // The author's app learns it (entity version 2); an app from before
    // the status existed is not sent it (it would fail the whole page).
    let new_app = pulled_proposals(&srv, &author.token, Some(dauys_proto::ENTITY_VERSION)).await;
    assert!(
        new_app.contains(&(id.clone(), "withdrawn".to_string())),
        "{new_app:?}"
    );
    let old_app = pulled_proposals(&srv, &author.token, None).await;
    assert!(
        old_app.iter().all(|(p, _)| p != &id),
        "an old app got a status it cannot read: {old_app:?}"
    );

    // Past moderation it cannot be withdrawn (it is the moderators' now).
    let r = author.one(&srv, "proposal.submit", submit("Фонари")).await;
    let passed = r["entity_id"].as_str().expect("id").to_string();
    let m = moderator
        .one(
            &srv,
            "proposal.moderate",
            json!({"proposal_id": passed, "decision": "accept"}),
        )
        .await;
    assert_eq!(m["status"], "accepted", "{m}");
    rejected_with(
        &author
            .one(&srv, "proposal.withdraw", json!({"proposal_id": passed}))
            .await,
        "invalid_transition",
    );
}
both_backends!(withdraw, withdrawing);

async fn routing_help(srv: Server) {
    let city = dauys_server::demo::CITY;
    let (s, places) = srv.get("/v1/localities", None).await;
    assert_eq!(s, 200);
    let place = |v: &Value, code: &str| -> Value {
        v.as_array()
            .expect("localities")
            .iter()
            .find(|l| l["code"] == code)
            .cloned()
            .expect("place")
    };
    let pvl = place(&places, city);
    assert_eq!(pvl["routes"]["lighting"], "pvl-housing", "{pvl}");
    assert!(pvl["centre"]["lat"].as_f64().is_some_and(|l| l > 52.0));

    let admin = srv.sign_in(&srv.person("administrator", 0)).await;
    let resident = srv.sign_in(&srv.person("resident", 0)).await;
    let route =
        |topic: &str, body: Option<&str>| json!({"locality": city, "topic": topic, "body": body});
    rejected_with(
        &resident
            .one(&srv, "locality.route", route("health", Some("pvl-akimat")))
            .await,
        "forbidden",
    );
    let r = admin
        .one(&srv, "locality.route", route("sorcery", Some("pvl-akimat")))
        .await;
    rejected_with(&r, "invalid_field");
    assert_eq!(r["field"], "topic");
    // A body of another region does not serve the city.
    let r = admin
        .one(
            &srv,
            "locality.route",
            route("health", Some("almaty-region-akimat")),
        )
        .await;
    rejected_with(&r, "invalid_field");
    assert_eq!(r["field"], "body");
    // The region's akimat serves the city; a cleared route goes away.
    let r = admin
        .one(
            &srv,
            "locality.route",
            route("health", Some("pvl-region-akimat")),
        )
        .await;
    assert_eq!(r["status"], "accepted", "{r}");
    let r = admin
        .one(&srv, "locality.route", route("lighting", None))
        .await;
    assert_eq!(r["status"], "accepted", "{r}");
    // Followers get the place again through the change feed.
    let (s, page) = srv
        .get(
            &format!("/v1/changes?since=0&limit=1000&follow={city}&v=2"),
            None,
        )
        .await;
    assert_eq!(s, 200);
    let pushed = page["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .find(|c| c["type"] == "locality" && c["data"]["code"] == city)
        .cloned()
        .expect("the city in the feed");
    assert_eq!(pushed["data"]["routes"]["health"], "pvl-region-akimat");
    assert!(pushed["data"]["routes"].get("lighting").is_none());
}
both_backends!(routes, routing_help);

async fn sms_when_answered(srv: Server) {
    let resident = srv.person("resident", 0);
    let citizen = srv.sign_in(&resident).await;
    let official = srv.sign_in(&srv.person("official, Pavlodar", 0)).await;
    let appeal = |sms: Value| {
        json!({"type": "complaint", "addressee": "pvl-akimat", "subject": "Фонарь",
               "body": "Не горит фонарь", "public": false, "sms_on_answer": sms})
    };
    rejected_with(
        &citizen
            .one(&srv, "appeal.submit", appeal(json!("de")))
            .await,
        "invalid_field",
    );
    let asked = citizen
        .one(&srv, "appeal.submit", appeal(json!("kk")))
        .await;
    let quiet = citizen
        .one(&srv, "appeal.submit", appeal(Value::Null))
        .await;
    let texts = || srv.sms.texts.lock().expect("lock").clone();
    for r in [&asked, &quiet] {
        assert_eq!(r["status"], "accepted", "{r}");
        let id = r["entity_id"].as_str().expect("id");
        let reg = official
            .one(&srv, "appeal.register", json!({"appeal_id": id}))
            .await;
        assert_eq!(reg["status"], "accepted", "{reg}");
    }
    assert!(texts().is_empty(), "registration sends nothing");
    let answer = |r: &Value| json!({"appeal_id": r["entity_id"], "answer": "Фонарь заменён."});
    let op = official.op("appeal.answer", answer(&asked));
    let results = official.push(&srv, std::slice::from_ref(&op)).await;
    assert!(matches!(
        results[0].outcome,
        dauys_proto::OpOutcome::Accepted { .. }
    ));
    let q = official.one(&srv, "appeal.answer", answer(&quiet)).await;
    assert_eq!(q["status"], "accepted", "{q}");
    // The same answer op again (a retry): no second message.
    official.push(&srv, &[op]).await;
    let sent = texts();
    assert_eq!(sent.len(), 1, "one SMS, to who asked: {sent:?}");
    let (phone, text) = &sent[0];
    assert_eq!(phone, &resident.phone);
    let (_, a) = srv
        .get(
            &format!("/v1/appeals/{}", asked["entity_id"].as_str().expect("id")),
            Some(&citizen.token),
        )
        .await;
    let number = a["registration_number"].as_str().expect("registered");
    assert!(text.contains(number), "names the appeal: {text}");
    assert!(
        !text.contains("Фонарь"),
        "no content of the appeal in an SMS: {text}"
    );
    assert!(text.contains("Dauys"), "{text}");
}
both_backends!(sms_on_answer, sms_when_answered);

/// Daily quotas per account: the 21st appeal of a day is refused (and
/// nothing stored), another resident is not affected, and the next day
/// the first is accepted again.
async fn daily_quota(srv: Server) {
    srv.set_today("2026-03-02");
    let flooder = srv.sign_in(&srv.person("resident", 0)).await;
    let other = srv.sign_in(&srv.person("resident", 1)).await;
    let appeal = |n: usize| {
        json!({"type": "request", "addressee": "pvl-akimat", "subject": format!("Запрос {n}"),
               "body": "Текст", "public": false})
    };
    let quota = dauys_proto::OpKind::AppealSubmit
        .daily_quota()
        .expect("appeals have a quota") as usize;
    let ops: Vec<_> = (0..=quota)
        .map(|n| flooder.op("appeal.submit", appeal(n)))
        .collect();
    let results = flooder.push(&srv, &ops).await;
    // Accepted up to the quota (the demo may have used some of it), then
    // refused, and the refused ones are not stored.
    let accepted = results
        .iter()
        .take_while(|r| matches!(r.outcome, dauys_proto::OpOutcome::Accepted { .. }))
        .count();
    assert!(accepted >= 1 && accepted < results.len(), "{results:?}");
    for r in &results[accepted..] {
        match &r.outcome {
            dauys_proto::OpOutcome::Rejected { code, .. } => {
                assert_eq!(*code, dauys_proto::ErrorCode::RateLimited)
            }
            o => panic!("past the quota: {o:?}"),
        }
    }
    let first = results[0].id.to_string();
    let used: &'static str = "SELECT COUNT(*) FROM ops o JOIN appeals a ON a.user_id = o.user_id
         WHERE a.id = $1 AND o.kind = 'appeal.submit' AND o.result LIKE '%accepted%'";
    assert_eq!(
        srv.count(used, vec![first.into()]).await,
        quota as i64,
        "exactly the quota accepted in the day"
    );
    let stored: &'static str = "SELECT COUNT(*) FROM appeals WHERE subject LIKE 'Запрос%'";
    assert_eq!(srv.count(stored, vec![]).await, accepted as i64);
    let r = other.one(&srv, "appeal.submit", appeal(99)).await;
    assert_eq!(r["status"], "accepted", "another account: {r}");
    srv.set_today("2026-03-04");
    let r = flooder.one(&srv, "appeal.submit", appeal(100)).await;
    assert_eq!(r["status"], "accepted", "a new day: {r}");
}
both_backends!(quotas, daily_quota);
