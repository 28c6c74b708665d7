//! Open311 GeoReport v2 over real HTTP, on SQLite and — with
//! `DAUYS_TEST_POSTGRES` — PostgreSQL: services, request lists and single
//! requests in JSON and XML, the 90-day window, private appeals never in
//! any answer, and POST by a partner app with a key issued in the console,
//! refused without a key or without a signed-in resident.
//! (`tests/open311/` drives the same endpoints with PyPI's clients.)

mod common;

use common::{Client, Server};
use serde_json::{json, Value};

#[path = "support/console_web.rs"]
mod web;
use web::*;

const BODY: &str = "aktogay-district-akimat";

async fn submit(srv: &Server, resident: &Client, subject: &str, public: bool) -> String {
    let out = resident
        .one(
            srv,
            "appeal.submit",
            json!({"type": "complaint", "addressee": BODY, "subject": subject,
                   "body": format!("{subject}: the text"), "public": public}),
        )
        .await;
    out["entity_id"]
        .as_str()
        .unwrap_or_else(|| panic!("{out}"))
        .to_string()
}

async fn get_json(srv: &Server, path: &str) -> (u16, Value) {
    let r = reqwest::get(srv.url(path)).await.expect("get");
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or(Value::Null))
}

async fn get_text(srv: &Server, path: &str) -> (u16, String, String) {
    let r = reqwest::get(srv.url(path)).await.expect("get");
    let s = r.status().as_u16();
    let ct = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (s, ct, r.text().await.unwrap_or_default())
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|r| r["service_request_id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

async fn post_request(srv: &Server, form: &[(&str, &str)]) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(srv.url("/open311/v2/requests.json?lang=en"))
        .form(form)
        .send()
        .await
        .expect("post");
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or(Value::Null))
}

async fn reads(srv: Server) {
    let resident = srv.sign_in(&srv.person("resident", 0)).await;
    let official = srv
        .sign_in(&srv.person("official, Aktogay district", 0))
        .await;
    let public = submit(&srv, &resident, "street light on Abay street", true).await;
    let private = submit(&srv, &resident, "my neighbour's dog", false).await;
    for (kind, payload) in [
        ("appeal.register", json!({"appeal_id": public})),
        (
            "appeal.answer",
            json!({"appeal_id": public, "answer": "Repaired on Monday."}),
        ),
        ("appeal.register", json!({"appeal_id": private})),
    ] {
        let out = official.one(&srv, kind, payload).await;
        assert_eq!(out["status"], "accepted", "{kind}: {out}");
    }

    // Services: one per form of appeal and body, in both encodings.
    let (s, services) = get_json(&srv, "/open311/v2/services.json?lang=en").await;
    assert_eq!(s, 200);
    let code = format!("{BODY}.complaint");
    let svc = services
        .as_array()
        .and_then(|a| a.iter().find(|x| x["service_code"] == code.as_str()))
        .unwrap_or_else(|| panic!("no {code} in {services}"));
    for field in [
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ] {
        assert!(svc.get(field).is_some(), "service lacks {field}: {svc}");
    }
    assert!(svc["service_name"]
        .as_str()
        .is_some_and(|n| n.starts_with("Complaint")));
    let (s, ct, xml) = get_text(&srv, "/open311/v2/services.xml").await;
    assert_eq!(s, 200);
    assert!(ct.starts_with("text/xml"), "{ct}");
    assert!(xml.contains("<services><service><service_code>"));
    assert!(xml.contains(&format!("<service_code>{code}</service_code>")));
    let (s, def) = get_json(&srv, &format!("/open311/v2/services/{code}.json")).await;
    assert_eq!(s, 200, "{def}");
    assert_eq!(def["service_code"], code.as_str());
    assert_eq!(def["attributes"][1]["code"], "public");
    let (_, _, xml) = get_text(&srv, &format!("/open311/v2/services/{code}.xml")).await;
    assert!(
        xml.contains("<attributes><attribute><variable>true</variable>"),
        "{xml}"
    );
    assert!(xml.contains("<values><value><key>false</key>"), "{xml}");
    let (_, _, xml) = get_text(&srv, "/open311/v2/discovery.xml").await;
    assert!(
        xml.contains("<endpoints><endpoint><specification>"),
        "{xml}"
    );
    assert_eq!(
        get_json(&srv, "/open311/v2/services/nobody.complaint.json")
            .await
            .0,
        404
    );
    assert_eq!(
        get_json(&srv, "/open311/v2/services.json?jurisdiction_id=nowhere")
            .await
            .0,
        404
    );

    // Requests: the public appeal, closed with its answer; never the private one.
    let (s, list) = get_json(&srv, "/open311/v2/requests.json?lang=en").await;
    assert_eq!(s, 200);
    let listed = ids(&list);
    assert!(listed.contains(&public), "{list}");
    assert!(
        !listed.contains(&private),
        "a private appeal listed: {list}"
    );
    let one = list
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|r| r["service_request_id"] == public.as_str())
        })
        .cloned()
        .unwrap_or_default();
    assert_eq!(one["status"], "closed");
    assert_eq!(one["status_notes"], "Repaired on Monday.");
    assert_eq!(one["service_code"], code.as_str());
    assert!(one["agency_responsible"]
        .as_str()
        .is_some_and(|a| a.contains("Aktogay")));
    assert!(one["requested_datetime"]
        .as_str()
        .is_some_and(|d| d.ends_with("+05:00")));
    for (path, what) in [
        (format!("/open311/v2/requests/{private}.json"), "by id"),
        (format!("/open311/v2/tokens/{private}.json"), "by token"),
    ] {
        assert_eq!(get_json(&srv, &path).await.0, 404, "private appeal {what}");
    }
    let (_, by_ids) = get_json(
        &srv,
        &format!("/open311/v2/requests.json?service_request_id={public},{private}"),
    )
    .await;
    assert_eq!(
        ids(&by_ids),
        vec![public.clone()],
        "private id filtered out"
    );
    let (s, single) = get_json(&srv, &format!("/open311/v2/requests/{public}.json")).await;
    assert_eq!(s, 200);
    assert_eq!(ids(&single), vec![public.clone()]);
    let (s, _, xml) = get_text(&srv, "/open311/v2/requests.xml").await;
    assert_eq!(s, 200);
    assert!(xml.contains(&format!(
        "<service_request_id>{public}</service_request_id>"
    )));
    assert!(!xml.contains(&private), "a private appeal in XML");
    // Filters: status, service code, the 90-day window.
    let (_, open) = get_json(&srv, "/open311/v2/requests.json?status=open").await;
    assert!(!ids(&open).contains(&public), "closed listed as open");
    let (_, other) = get_json(
        &srv,
        &format!("/open311/v2/requests.json?service_code={BODY}.proposal"),
    )
    .await;
    assert!(ids(&other).is_empty(), "{other}");
    let (s, err) = get_json(
        &srv,
        "/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
    )
    .await;
    assert_eq!(s, 400);
    assert_eq!(err[0]["code"], 400, "{err}");
    let (s, _) = get_json(
        &srv,
        "/open311/v2/requests.json?start_date=2020-01-01T00:00:00Z",
    )
    .await;
    assert_eq!(s, 200);
    let (s, _, xml) = get_text(&srv, "/open311/v2/requests.xml?status=maybe").await;
    assert_eq!(s, 400);
    assert!(xml.contains("<errors><error><code>400</code>"), "{xml}");
}
both_backends!(open311_reads, reads);

async fn partner_posts(srv: Server) {
    // An administrator issues a key in the console; it is shown once.
    let mut admin = staff(&srv, &srv.person("administrator", 0)).await;
    admin.cookie.push_str("; lang=en");
    let (_, page) = get(&srv, &admin.cookie, "/console/admin/partners").await;
    let op = field(&page, "action=\"/console/admin/partners\"", "op_id");
    // Issued as a `partner.issue` op; the form sent twice (a double click,
    // a re-sent request) stores one key and shows the same one.
    let issue_form = [
        ("csrf", admin.csrf.as_str()),
        ("op_id", op.as_str()),
        ("label", "Qala app, TOO Qala"),
    ];
    let issue = || post(&srv, &admin.cookie, "/console/admin/partners", &issue_form);
    let shown = |html: &str| {
        html.split("<code id=\"new-key\">")
            .nth(1)
            .and_then(|s| s.split('<').next())
            .unwrap_or_default()
            .to_string()
    };
    let r = issue().await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    let html = r.text().await.unwrap_or_default();
    let key = shown(&html);
    assert!(key.starts_with("dauys_pk_"), "{html}");
    let again = issue().await.text().await.unwrap_or_default();
    assert_eq!(shown(&again), key, "the same form shows the same key");
    assert_eq!(
        srv.count("SELECT COUNT(*) FROM partner_keys", vec![]).await,
        1,
        "one key stored"
    );
    assert_eq!(
        srv.count(
            "SELECT COUNT(*) FROM audit_log WHERE kind = 'partner.issue'",
            vec![]
        )
        .await,
        1,
        "issuing is audited"
    );
    let (_, page) = get(&srv, &admin.cookie, "/console/admin/partners").await;
    assert!(page.contains("Qala app"));
    assert!(!page.contains(&key), "the key is shown only once");
    // An official (not an administrator) does not see the page.
    let official = staff(&srv, &srv.person("official, Aktogay district", 0)).await;
    assert_eq!(
        get(&srv, &official.cookie, "/console/admin/partners")
            .await
            .0,
        404
    );

    let resident = srv.sign_in(&srv.person("resident", 0)).await;
    let code = format!("{BODY}.complaint");
    let base = [
        ("service_code", code.as_str()),
        ("description", "The bus stop roof leaks."),
        ("lat", "46.95"),
        ("long", "79.67"),
        ("attribute[public]", "true"),
    ];
    let with = |extra: &[(&'static str, String)]| -> Vec<(String, String)> {
        base.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .chain(extra.iter().map(|(k, v)| (k.to_string(), v.clone())))
            .collect()
    };
    let send = |form: Vec<(String, String)>| {
        let srv = &srv;
        async move {
            let f: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            post_request(srv, &f).await
        }
    };
    // No key, a made-up key: refused, nothing stored.
    let before = srv.count("SELECT COUNT(*) FROM appeals", vec![]).await;
    let (s, e) = send(with(&[("attribute[session]", resident.token.clone())])).await;
    assert_eq!(s, 403, "{e}");
    let (s, _) = send(with(&[
        ("api_key", "dauys_pk_00".into()),
        ("attribute[session]", resident.token.clone()),
    ]))
    .await;
    assert_eq!(s, 403);
    // A key but no resident: the law needs an identified applicant.
    let (s, e) = send(with(&[("api_key", key.clone())])).await;
    assert_eq!(s, 403);
    assert!(
        e[0]["description"]
            .as_str()
            .is_some_and(|d| d.contains("identified applicant")),
        "{e}"
    );
    let (s, _) = send(with(&[
        ("api_key", key.clone()),
        ("attribute[session]", "not-a-session".into()),
    ]))
    .await;
    assert_eq!(s, 403);
    assert_eq!(
        srv.count("SELECT COUNT(*) FROM appeals", vec![]).await,
        before
    );
    // Key + resident: filed, once, whatever the retries.
    let uuid = uuid::Uuid::now_v7().to_string();
    let form = with(&[
        ("api_key", key.clone()),
        ("attribute[session]", resident.token.clone()),
        ("attribute[request_uuid]", uuid.clone()),
    ]);
    let (s, made) = send(form.clone()).await;
    assert_eq!(s, 200, "{made}");
    let id = made[0]["service_request_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(id, uuid);
    let (s, again) = send(form).await;
    assert_eq!(s, 200);
    assert_eq!(again[0]["service_request_id"], id.as_str());
    assert_eq!(
        srv.count("SELECT COUNT(*) FROM appeals", vec![]).await,
        before + 1
    );
    let (s, listed) = get_json(&srv, &format!("/open311/v2/requests/{id}.json")).await;
    assert_eq!(s, 200);
    assert_eq!(listed[0]["status"], "open");
    assert_eq!(listed[0]["lat"], 46.95);
    // The resident sees it as their own appeal in the app.
    let (_, mine) = srv.get("/v1/appeals", Some(&resident.token)).await;
    assert!(mine.to_string().contains(&id));
    // A bad payload is the op's clear rejection, not a 5xx.
    let (s, e) = send(vec![
        ("api_key".into(), key.clone()),
        ("attribute[session]".into(), resident.token.clone()),
        ("service_code".into(), code.clone()),
        ("description".into(), String::new()),
    ])
    .await;
    assert_eq!(s, 400, "{e}");
    // Revoked: the key stops working.
    let (_, page) = get(&srv, &admin.cookie, "/console/admin/partners").await;
    let kid = field(&page, "/console/admin/partners/revoke", "id");
    let rop = field(&page, "/console/admin/partners/revoke", "op_id");
    let r = post(
        &srv,
        &admin.cookie,
        "/console/admin/partners/revoke",
        &[
            ("csrf", admin.csrf.as_str()),
            ("op_id", rop.as_str()),
            ("id", kid.as_str()),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/console/admin/partners?flash=console-flash-partner-revoked")
    );
    let (s, _) = send(with(&[
        ("api_key", key),
        ("attribute[session]", resident.token.clone()),
    ]))
    .await;
    assert_eq!(s, 403);
}
both_backends!(open311_partner_posts, partner_posts);
