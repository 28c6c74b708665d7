//! Staff roles and the JSON inbox, over real HTTP on SQLite and
//! PostgreSQL: `GET /v1/staff/appeals` (filters, cursor, scope, private
//! appeals, who gets 401/403), a moderator cannot answer appeals, an
//! expert cannot moderate.

mod common;

use common::Server;
use serde_json::json;

#[path = "support/console_web.rs"]
mod web;
use web::*;

async fn roles_and_inbox(srv: Server) {
    let resident = srv.sign_in(&srv.person("resident", 1)).await;
    let mut mine = Vec::new();
    for (subject, public) in [
        ("Инбокс арык 1", true),
        ("Инбокс арык 2", false),
        ("Инбокс арык 3", true),
    ] {
        let out = resident
            .one(
                &srv,
                "appeal.submit",
                json!({"type": "complaint", "addressee": "pvl-akimat", "subject": subject,
                       "body": "Арык засорён", "public": public}),
            )
            .await;
        mine.push(out["entity_id"].as_str().expect("id").to_string());
    }
    // The city's official: all three (the private one too), two per page.
    let official = srv.sign_in(&srv.person("official, Pavlodar", 0)).await;
    let (s, page) = srv
        .get(
            "/v1/staff/appeals?q=инбокс+арык&limit=2",
            Some(&official.token),
        )
        .await;
    assert_eq!(s, 200, "{page}");
    let first: Vec<String> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|a| a["id"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(first.len(), 2, "{page}");
    let cursor = page["next_cursor"]
        .as_str()
        .expect("a next page")
        .to_string();
    let (_, next) = srv
        .get(
            &format!("/v1/staff/appeals?q=инбокс+арык&limit=2&cursor={cursor}"),
            Some(&official.token),
        )
        .await;
    let rest: Vec<String> = next["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|a| a["id"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(rest.len(), 1, "{next}");
    assert!(next["next_cursor"].is_null());
    let mut all: Vec<String> = first.into_iter().chain(rest).collect();
    all.sort();
    let mut want = mine.clone();
    want.sort();
    assert_eq!(all, want, "every appeal once, the private one included");
    // Filters: registered ones only → none of these yet.
    let (_, reg) = srv
        .get(
            "/v1/staff/appeals?q=инбокс&status=registered",
            Some(&official.token),
        )
        .await;
    assert_eq!(reg["items"].as_array().map(Vec::len), Some(0), "{reg}");
    // By body, and by due date (only registered appeals have one).
    let count = |path: String| {
        let (srv, token) = (&srv, official.token.clone());
        async move {
            let (_, v) = srv.get(&path, Some(&token)).await;
            v["items"].as_array().map(Vec::len).unwrap_or(usize::MAX)
        }
    };
    assert_eq!(
        count("/v1/staff/appeals?q=инбокс&body=pvl-akimat".into()).await,
        3
    );
    assert_eq!(
        count("/v1/staff/appeals?q=инбокс&body=pvl-housing".into()).await,
        0
    );
    let r = official
        .one(&srv, "appeal.register", json!({"appeal_id": mine[1]}))
        .await;
    assert_eq!(r["status"], "accepted", "{r}");
    assert_eq!(
        count("/v1/staff/appeals?q=инбокс&due_before=2099-01-01".into()).await,
        1
    );
    assert_eq!(
        count("/v1/staff/appeals?q=инбокс&due_before=2000-01-01".into()).await,
        0
    );
    let console_official = staff(&srv, &srv.person("official, Pavlodar", 0)).await;
    let (_, html) = get(
        &srv,
        &console_official.cookie,
        "/console/appeals?q=%D0%B8%D0%BD%D0%B1%D0%BE%D0%BA%D1%81&body=pvl-akimat&due_before=2099-01-01",
    )
    .await;
    assert!(html.contains("Инбокс арык 2"), "{html}");
    assert!(!html.contains("Инбокс арык 1"), "{html}");
    assert!(html.contains("value=\"pvl-akimat\" selected"), "{html}");
    assert!(html.contains("value=\"2099-01-01\""), "{html}");
    // Elsewhere: nothing of these. Anonymous: 401. A resident, a moderator: 403.
    let far = srv.sign_in(&srv.person("official, Almaty region", 0)).await;
    let (s, other) = srv
        .get("/v1/staff/appeals?q=инбокс", Some(&far.token))
        .await;
    assert_eq!(s, 200);
    assert_eq!(other["items"].as_array().map(Vec::len), Some(0), "{other}");
    let (s, _) = srv.get("/v1/staff/appeals", None).await;
    assert_eq!(s, 401);
    let (s, _) = srv.get("/v1/staff/appeals", Some(&resident.token)).await;
    assert_eq!(s, 403);
    let moderator_api = srv.sign_in(&srv.person("moderator", 0)).await;
    let (s, _) = srv
        .get("/v1/staff/appeals", Some(&moderator_api.token))
        .await;
    assert_eq!(s, 403);

    // A moderator cannot answer an appeal, even posting the form by hand.
    let moderator = staff(&srv, &srv.person("moderator", 0)).await;
    let r = post(
        &srv,
        &moderator.cookie,
        &format!("/console/appeals/{}/answer", mine[0]),
        &[
            ("csrf", moderator.csrf.as_str()),
            ("op_id", "01900000-0000-7000-8000-0000000000a1"),
            ("text", "answered by the wrong person"),
        ],
    )
    .await;
    assert!(matches!(r.status().as_u16(), 403 | 404), "{}", r.status());
    let (_, a) = srv
        .get(&format!("/v1/appeals/{}", mine[0]), Some(&resident.token))
        .await;
    assert_eq!(a["status"], "submitted", "{a}");
    // (mine[0] was never registered; mine[1] was, above.)
    assert!(a["answer"].is_null() || a["answer"] == "", "{a}");

    // An expert cannot moderate a proposal.
    let collecting = srv.collecting_cycle_id().await;
    let out = resident
        .one(
            &srv,
            "proposal.submit",
            json!({"cycle_id": collecting, "title": "Фонтан", "description": "Фонтан в парке",
                   "category": "parks", "cost": 900000}),
        )
        .await;
    let pid = out["entity_id"].as_str().expect("proposal").to_string();
    let expert = staff(&srv, &srv.person("expert", 0)).await;
    let r = post(
        &srv,
        &expert.cookie,
        &format!("/console/proposals/{pid}/accept"),
        &[
            ("csrf", expert.csrf.as_str()),
            ("op_id", "01900000-0000-7000-8000-0000000000a2"),
            ("reason", "looks fine"),
        ],
    )
    .await;
    assert!(
        matches!(r.status().as_u16(), 303 | 403 | 404),
        "{}",
        r.status()
    );
    let (_, p) = srv
        .get(&format!("/v1/proposals/{pid}"), Some(&resident.token))
        .await;
    assert!(
        matches!(p["status"].as_str(), Some("submitted" | "in_moderation")),
        "still waiting for a moderator: {p}"
    );
}
both_backends!(staff_roles, roles_and_inbox);

/// A department's official (a grant for one body) works on the appeals
/// addressed to that body and on nothing else: not the rest of the city's
/// appeals, not moderation; the city official redirects to them.
async fn department_official(srv: Server) {
    let resident = srv.sign_in(&srv.person("resident", 2)).await;
    let out = resident
        .one(
            &srv,
            "appeal.submit",
            json!({"type": "complaint", "addressee": "pvl-akimat", "subject": "Отдел фонарь",
                   "body": "Не горит фонарь во дворе", "public": false}),
        )
        .await;
    let id = out["entity_id"].as_str().expect("id").to_string();
    let housing = srv
        .sign_in(&srv.person("official, housing department", 0))
        .await;
    let listed = |token: String| {
        let srv = &srv;
        async move {
            let (s, v) = srv
                .get("/v1/staff/appeals?q=отдел+фонарь", Some(&token))
                .await;
            assert_eq!(s, 200, "{v}");
            v["items"].as_array().map(Vec::len).unwrap_or(usize::MAX)
        }
    };
    // Addressed to the city akimat: not theirs, in the list, by id, by op.
    assert_eq!(listed(housing.token.clone()).await, 0);
    let (s, _) = srv
        .get(&format!("/v1/appeals/{id}"), Some(&housing.token))
        .await;
    assert_eq!(s, 404);
    let r = housing
        .one(&srv, "appeal.register", json!({"appeal_id": id}))
        .await;
    assert_eq!(r["status"], "rejected", "{r}");
    assert_eq!(r["code"], "forbidden", "{r}");
    let console_housing = staff(&srv, &srv.person("official, housing department", 0)).await;
    let (s, _) = get(
        &srv,
        &console_housing.cookie,
        &format!("/console/appeals/{id}"),
    )
    .await;
    assert_eq!(s, 404);

    // The city official redirects it to housing: now it is theirs.
    let city = srv.sign_in(&srv.person("official, Pavlodar", 0)).await;
    let r = city
        .one(
            &srv,
            "appeal.redirect",
            json!({"appeal_id": id, "to": "pvl-housing", "reason": "Освещение дворов — жилищный отдел"}),
        )
        .await;
    assert_eq!(r["status"], "accepted", "{r}");
    assert_eq!(listed(housing.token.clone()).await, 1);
    let (s, _) = get(
        &srv,
        &console_housing.cookie,
        &format!("/console/appeals/{id}"),
    )
    .await;
    assert_eq!(s, 200);
    for (kind, payload) in [
        ("appeal.register", json!({"appeal_id": id})),
        (
            "appeal.answer",
            json!({"appeal_id": id, "answer": "Фонарь заменят до пятницы"}),
        ),
    ] {
        let r = housing.one(&srv, kind, payload).await;
        assert_eq!(r["status"], "accepted", "{kind}: {r}");
    }
    let (_, a) = srv
        .get(&format!("/v1/appeals/{id}"), Some(&resident.token))
        .await;
    assert_eq!(a["status"], "answered", "{a}");
    // The city official still sees it (the body lies in the city).
    assert_eq!(listed(city.token.clone()).await, 1);

    // Nothing beyond appeals: no proposals inbox, no moderation, no cycles.
    let (s, _) = srv.get("/v1/staff/proposals", Some(&housing.token)).await;
    assert_eq!(s, 403);
    let collecting = srv.collecting_cycle_id().await;
    let p = resident
        .one(
            &srv,
            "proposal.submit",
            json!({"cycle_id": collecting, "title": "Скамейки", "description": "Скамейки во дворе",
                   "category": "parks", "cost": 500000}),
        )
        .await;
    let pid = p["entity_id"].as_str().expect("proposal").to_string();
    let r = housing
        .one(
            &srv,
            "proposal.moderate",
            json!({"proposal_id": pid, "decision": "accept", "reason": "ok"}),
        )
        .await;
    assert_eq!(r["status"], "rejected", "{r}");
    let (_, dash) = get(&srv, &console_housing.cookie, "/console").await;
    assert!(dash.contains("href=\"/console/appeals\""), "{dash}");
    assert!(!dash.contains("href=\"/console/proposals\""), "{dash}");
    assert!(!dash.contains("href=\"/console/cycles\""), "{dash}");

    // Grants of a body: officials only, a body that exists; revoked by body.
    let admin = srv.sign_in(&srv.person("administrator", 0)).await;
    let someone = srv.person("resident", 3);
    for (payload, field) in [
        (
            json!({"iin": someone.iin, "role": "moderator", "body": "pvl-housing"}),
            "body",
        ),
        (
            json!({"iin": someone.iin, "role": "official", "body": "no-such-body"}),
            "body",
        ),
        (
            json!({"iin": someone.iin, "role": "official", "body": "pvl-housing", "locality": "194030100"}),
            "locality",
        ),
    ] {
        let r = admin.one(&srv, "role.grant", payload.clone()).await;
        assert_eq!(r["status"], "rejected", "{payload}: {r}");
        assert_eq!(r["field"], field, "{payload}: {r}");
    }
    let r = admin
        .one(
            &srv,
            "role.grant",
            json!({"iin": someone.iin, "role": "official", "body": "pvl-roads", "label": "Дороги"}),
        )
        .await;
    assert_eq!(r["status"], "accepted", "{r}");
    let user = r["entity_id"].as_str().expect("user").to_string();
    let them = srv.sign_in(&someone).await;
    let (_, me) = srv.get("/v1/me", Some(&them.token)).await;
    assert!(
        me["roles"]
            .as_array()
            .expect("roles")
            .iter()
            .any(|g| g["body"] == "pvl-roads" && g["locality"] == "551010000"),
        "{me}"
    );
    let r = admin
        .one(
            &srv,
            "role.revoke",
            json!({"user_id": user, "role": "official", "locality": "551010000"}),
        )
        .await;
    assert_eq!(
        r["status"], "rejected",
        "the whole-locality grant is not theirs: {r}"
    );
    let r = admin
        .one(
            &srv,
            "role.revoke",
            json!({"user_id": user, "role": "official", "locality": "551010000", "body": "pvl-roads"}),
        )
        .await;
    assert_eq!(r["status"], "accepted", "{r}");
}
both_backends!(department_officials, department_official);
