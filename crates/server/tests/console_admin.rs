//! The console's administration over real HTTP, on SQLite and — with
//! `DAUYS_TEST_POSTGRES` — PostgreSQL: staff grants as ops (idempotent,
//! scoped, audited), the census import with its report, the audit log.

mod common;

use common::Server;
use serde_json::json;

#[path = "support/console_web.rs"]
mod web;
use web::*;

/// A staff session that reads the console in English.
async fn staff_en(srv: &Server, label: &str) -> Session {
    let mut s = staff(srv, &srv.person(label, 0)).await;
    s.cookie.push_str("; lang=en");
    s
}

async fn audit_rows(srv: &Server, kind: &str) -> i64 {
    let sql: &'static str = "SELECT COUNT(*) FROM audit_log WHERE kind = $1";
    srv.count(sql, vec![kind.to_string().into()]).await
}

async fn grants_and_revokes(srv: Server) {
    let admin = staff_en(&srv, "administrator").await;
    let (status, html) = get(&srv, &admin.cookie, "/console/admin").await;
    assert_eq!(status, 200);
    assert!(html.contains("Demo official, Pavlodar"), "staff listed");
    // Phones masked, never in full.
    let official = srv.person("official, Pavlodar", 0);
    assert!(!html.contains(&official.phone));

    // Someone else's staff page is not for an official: the same 404.
    let off = staff(&srv, &official).await;
    for path in ["/console/admin", "/console/audit", "/console/admin/census"] {
        assert_eq!(get(&srv, &off.cookie, path).await.0, 404, "{path}");
    }
    let (_, dash) = get(&srv, &off.cookie, "/console").await;
    assert!(
        !dash.contains("/console/admin"),
        "no admin link for an official"
    );

    // A resident becomes a moderator of the city: a form sent twice
    // applies once.
    let resident = srv.person("resident", 1);
    let (r, _) = console_sign_in(&srv, &resident).await;
    assert_eq!(r.status(), 403, "a resident cannot open the console");
    let op = field(&html, "/console/admin/grant", "op_id");
    let form = [
        ("csrf", admin.csrf.as_str()),
        ("op_id", op.as_str()),
        ("iin", resident.iin.as_str()),
        ("role", "moderator"),
        ("locality", "551010000"),
        ("label", "A. Nurlanova <i>, moderator"),
    ];
    // Without the CSRF token: refused, nothing applied.
    let r = post(&srv, &admin.cookie, "/console/admin/grant", &form[1..]).await;
    assert_eq!(r.status(), 403);
    for _ in 0..2 {
        let r = post(&srv, &admin.cookie, "/console/admin/grant", &form).await;
        assert_eq!(r.status(), 303);
        assert_eq!(location(&r), "/console/admin?flash=console-flash-granted");
    }
    let moderators: &'static str =
        "SELECT COUNT(*) FROM roles WHERE role = 'moderator' AND label LIKE 'A. Nurlanova%'";
    assert_eq!(srv.count(moderators, vec![]).await, 1);
    assert_eq!(audit_rows(&srv, "role.grant").await, 1, "audited once");
    let new_mod = staff(&srv, &resident).await;
    assert_eq!(
        get(&srv, &new_mod.cookie, "/console/proposals").await.0,
        200
    );

    // The audit log shows who did it, escaped.
    let (status, html) = get(&srv, &admin.cookie, "/console/audit").await;
    assert_eq!(status, 200);
    assert!(html.contains("Granted a role"), "{html}");
    assert!(html.contains(&op));
    let (_, html) = get(&srv, &admin.cookie, "/console/admin").await;
    assert!(html.contains("A. Nurlanova &#60;i&#62;") || html.contains("A. Nurlanova &lt;i&gt;"));

    // Unknown IIN: a localized refusal, nothing granted.
    let bad = field(&html, "/console/admin/grant", "op_id");
    let r = post(
        &srv,
        &admin.cookie,
        "/console/admin/grant",
        &[
            ("csrf", &admin.csrf),
            ("op_id", &bad),
            ("iin", "123"),
            ("role", "expert"),
            ("locality", "551010000"),
        ],
    )
    .await;
    assert!(location(&r).contains("flash=error-"), "{}", location(&r));

    // Revoke: the moderator's session no longer opens staff pages.
    let user_id = {
        let start = html.find("A. Nurlanova").expect("listed");
        field(&html[start..], "/console/admin/revoke", "user_id")
    };
    let revoke = field(
        &html[html.find("A. Nurlanova").unwrap_or(0)..],
        "/console/admin/revoke",
        "op_id",
    );
    let r = post(
        &srv,
        &admin.cookie,
        "/console/admin/revoke",
        &[
            ("csrf", &admin.csrf),
            ("op_id", &revoke),
            ("user_id", &user_id),
            ("role", "moderator"),
            ("locality", "551010000"),
        ],
    )
    .await;
    assert_eq!(location(&r), "/console/admin?flash=console-flash-revoked");
    assert_eq!(srv.count(moderators, vec![]).await, 0);
    let (status, _) = get(&srv, &new_mod.cookie, "/console/proposals").await;
    assert_ne!(
        status, 200,
        "a revoked moderator still works in the console"
    );

    // An official cannot grant, even with a valid session and token.
    let r = post(
        &srv,
        &off.cookie,
        "/console/admin/grant",
        &[
            ("csrf", &off.csrf),
            ("op_id", &uuid::Uuid::now_v7().to_string()),
            ("iin", &resident.iin),
            ("role", "admin"),
        ],
    )
    .await;
    assert_eq!(r.status(), 404);
    // Nor through the API: the op itself checks the role.
    let api = srv.sign_in(&official).await;
    let out = api
        .one(
            &srv,
            "role.grant",
            json!({"iin": resident.iin, "role": "admin"}),
        )
        .await;
    assert_eq!(out["status"], "rejected", "{out}");
    assert_eq!(out["code"], "forbidden", "{out}");
}
both_backends!(console_grants, grants_and_revokes);

/// A multipart form as a browser sends it (one file).
async fn post_census(srv: &Server, s: &Session, op: &str, csv: &str) -> (u16, String) {
    let form = reqwest::multipart::Form::new()
        .text("csrf", s.csrf.clone())
        .text("op_id", op.to_string())
        .part(
            "file",
            reqwest::multipart::Part::bytes(csv.as_bytes().to_vec())
                .file_name("census.csv")
                .mime_str("text/csv")
                .expect("mime"),
        );
    let r = browser()
        .post(srv.url("/console/admin/census"))
        .header("cookie", &s.cookie)
        .multipart(form)
        .send()
        .await
        .expect("post");
    let status = r.status().as_u16();
    (status, r.text().await.unwrap_or_default())
}

async fn census_import(srv: Server) {
    let admin = staff_en(&srv, "administrator").await;
    let (status, html) = get(&srv, &admin.cookie, "/console/admin/census").await;
    assert_eq!(status, 200);
    let op = field(&html, "/console/admin/census", "op_id");
    // Line 3: a bad check digit; line 4: an unknown locality; line 5: two columns.
    let csv = "iin,phone,locality\n\
               000101500001,+77019990001,551010000\n\
               000101500002,+77019990002,551010000\n\
               000202500000,+77019990003,999999999\n\
               000303500011,+77019990004\n";
    let (status, html) = post_census(&srv, &admin, &op, csv).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("1 resident added"), "{html}");
    assert!(html.contains("3 rows left out"), "{html}");
    for line in ["<td>3</td>", "<td>4</td>", "<td>5</td>"] {
        assert!(html.contains(line), "line {line} reported: {html}");
    }
    assert!(html.contains("The IIN is not valid"));
    assert!(html.contains("No such locality code"));
    assert!(html.contains("••••••••0002"), "IIN masked in the report");
    assert!(!html.contains("000101500002"), "no IIN in full");
    // The same form again: imported once.
    let (_, again) = post_census(&srv, &admin, &op, csv).await;
    assert!(again.contains("already imported"), "{again}");
    assert_eq!(audit_rows(&srv, "census.import").await, 1);
    // A wrong CSRF token: refused.
    let forged = Session {
        cookie: admin.cookie.clone(),
        csrf: "forged".into(),
    };
    let (status, _) = post_census(&srv, &forged, &uuid::Uuid::now_v7().to_string(), csv).await;
    assert_eq!(status, 403);
}
both_backends!(console_census, census_import);

async fn staff_actions_are_audited(srv: Server) {
    let resident = srv.sign_in(&srv.person("resident", 0)).await;
    let out = resident
        .one(
            &srv,
            "appeal.submit",
            json!({"type": "request", "addressee": "pvl-akimat", "subject": "Audit me",
                   "body": "b", "public": false}),
        )
        .await;
    let id = out["entity_id"].as_str().unwrap_or_default().to_string();
    let official = staff_en(&srv, "official, Pavlodar").await;
    let page = format!("/console/appeals/{id}");
    let (_, html) = get(&srv, &official.cookie, &page).await;
    let op = field(&html, "/register\"", "op_id");
    let r = post(
        &srv,
        &official.cookie,
        &format!("{page}/register"),
        &[("csrf", &official.csrf), ("op_id", &op)],
    )
    .await;
    assert_eq!(r.status(), 303);
    // Residents' own acts are not in the audit log; the staff action is.
    assert_eq!(audit_rows(&srv, "appeal.submit").await, 0);
    let by_op: &'static str =
        "SELECT COUNT(*) FROM audit_log WHERE op_id = $1 AND entity_id = $2 AND outcome = 'accepted'";
    assert_eq!(
        srv.count(by_op, vec![op.clone().into(), id.into()]).await,
        1
    );
    let admin = staff_en(&srv, "administrator").await;
    let (_, html) = get(&srv, &admin.cookie, "/console/audit").await;
    assert!(html.contains("Registered an appeal"));
    assert!(html.contains("Demo official, Pavlodar"));
    assert!(html.contains(&op));
}
both_backends!(console_audit, staff_actions_are_audited);

async fn answer_templates(srv: Server) {
    let admin = staff_en(&srv, "administrator").await;
    // The demo's own templates went through the same op path (audited).
    let seeded = audit_rows(&srv, "template.save").await;
    assert_eq!(seeded, 2, "the demo saves two templates as ops");
    let (status, html) = get(&srv, &admin.cookie, "/console/admin/templates").await;
    assert_eq!(status, 200);
    let op = field(&html, "action=\"/console/admin/templates\"", "op_id");
    let form = [
        ("csrf", admin.csrf.as_str()),
        ("op_id", op.as_str()),
        ("type", "request"),
        ("locality", "551010000"),
        ("title", "Street lighting <fixed>"),
        (
            "body",
            "Dear applicant, the lamp on your street was replaced.",
        ),
    ];
    for _ in 0..2 {
        let r = post(&srv, &admin.cookie, "/console/admin/templates", &form).await;
        assert_eq!(
            location(&r),
            "/console/admin/templates?flash=console-flash-template-saved"
        );
    }
    let n: &'static str = "SELECT COUNT(*) FROM answer_templates WHERE title LIKE 'Street%'";
    assert_eq!(srv.count(n, vec![]).await, 1, "saved once");

    // An official answering a request in the city starts from it.
    let resident = srv.sign_in(&srv.person("resident", 0)).await;
    let out = resident
        .one(
            &srv,
            "appeal.submit",
            json!({"type": "request", "addressee": "pvl-akimat", "subject": "Lamp",
                   "body": "b", "public": false}),
        )
        .await;
    let id = out["entity_id"].as_str().unwrap_or_default().to_string();
    let official = staff_en(&srv, "official, Pavlodar").await;
    let page = format!("/console/appeals/{id}");
    let (_, html) = get(&srv, &official.cookie, &page).await;
    let op = field(&html, "/register\"", "op_id");
    post(
        &srv,
        &official.cookie,
        &format!("{page}/register"),
        &[("csrf", &official.csrf), ("op_id", &op)],
    )
    .await;
    let (_, html) = get(&srv, &official.cookie, &page).await;
    let link = format!("{page}?template={op_t}", op_t = form[1].1);
    assert!(html.contains(&link), "template offered: {html}");
    assert!(
        html.contains("Street lighting &#60;fixed&#62;")
            || html.contains("Street lighting &lt;fixed&gt;")
    );
    let (_, html) = get(&srv, &official.cookie, &link).await;
    assert!(html.contains(">Dear applicant, the lamp on your street was replaced.</textarea>"));
    // Not offered for another type of appeal, nor to another region.
    let other = staff_en(&srv, "official, Almaty region").await;
    assert_eq!(get(&srv, &other.cookie, &link).await.0, 404);

    // Officials do not keep templates: no page, and the op refuses.
    assert_eq!(
        get(&srv, &official.cookie, "/console/admin/templates")
            .await
            .0,
        404
    );
    let r = post(
        &srv,
        &official.cookie,
        "/console/admin/templates/delete",
        &[
            ("csrf", &official.csrf),
            ("op_id", &uuid::Uuid::now_v7().to_string()),
            ("id", form[1].1),
        ],
    )
    .await;
    assert!(location(&r).contains("flash=error-"), "{}", location(&r));
    assert_eq!(srv.count(n, vec![]).await, 1);
    // The administrator deletes it.
    let (_, html) = get(&srv, &admin.cookie, "/console/admin/templates").await;
    let del = field(&html, "/console/admin/templates/delete", "op_id");
    let r = post(
        &srv,
        &admin.cookie,
        "/console/admin/templates/delete",
        &[("csrf", &admin.csrf), ("op_id", &del), ("id", form[1].1)],
    )
    .await;
    assert_eq!(
        location(&r),
        "/console/admin/templates?flash=console-flash-template-deleted"
    );
    assert_eq!(srv.count(n, vec![]).await, 0);
    assert_eq!(audit_rows(&srv, "template.save").await, seeded + 1);
}
both_backends!(console_templates, answer_templates);

/// Routing help kept from the console: the city's table shows the demo's
/// routes; saving a row is a `locality.route` op (once per form, audited);
/// a place outside the administrator's scope, or a staff member who is no
/// administrator, gets a 404.
async fn routing_table(srv: Server) {
    let admin = staff_en(&srv, "administrator").await;
    let r = web::browser()
        .get(srv.url("/console/admin/routes?locality=551010000"))
        .header("cookie", &admin.cookie)
        .send()
        .await
        .expect("get");
    assert_eq!(location(&r), "/console/admin/routes/551010000");
    let page = "/console/admin/routes/551010000";
    let (status, html) = get(&srv, &admin.cookie, page).await;
    assert_eq!(status, 200);
    assert!(html.contains("Street lights"), "topics in words");
    let lighting = html
        .split("id=\"route-lighting\"")
        .nth(1)
        .and_then(|s| s.split("</select>").next())
        .expect("the lighting row")
        .to_string();
    assert!(
        lighting.contains("value=\"pvl-housing\" selected"),
        "{lighting}"
    );
    // Each row's form: its op id, then its topic.
    let row = html.find("value=\"health\"").expect("the health row");
    let start = html[..row].rfind("name=\"op_id\" value=\"").expect("op id") + 20;
    let op = html[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string();
    let form = [
        ("csrf", admin.csrf.as_str()),
        ("op_id", op.as_str()),
        ("topic", "health"),
        ("body", "pvl-region-akimat"),
    ];
    for _ in 0..2 {
        let r = post(&srv, &admin.cookie, page, &form).await;
        assert_eq!(
            location(&r),
            format!("{page}?flash=console-flash-route-saved")
        );
    }
    assert_eq!(audit_rows(&srv, "locality.route").await, 1, "saved once");
    let (_, html) = get(&srv, &admin.cookie, page).await;
    let health = html
        .split("id=\"route-health\"")
        .nth(1)
        .and_then(|s| s.split("</select>").next())
        .unwrap_or_default()
        .to_string();
    assert!(
        health.contains("value=\"pvl-region-akimat\" selected"),
        "{health}"
    );
    // Not an administrator: as if the page did not exist.
    let official = staff_en(&srv, "official, Pavlodar").await;
    assert_eq!(get(&srv, &official.cookie, page).await.0, 404);
    // Without the form's token: refused before anything is applied.
    let r = post(
        &srv,
        &admin.cookie,
        page,
        &[("op_id", "x"), ("topic", "health"), ("body", "")],
    )
    .await;
    assert_eq!(r.status().as_u16(), 403);
}
both_backends!(console_routes, routing_table);
