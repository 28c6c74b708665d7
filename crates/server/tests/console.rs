//! The staff console over real HTTP (cookies handled by hand), on SQLite
//! and — with `DAUYS_TEST_POSTGRES` — PostgreSQL.

mod common;

use common::Server;
use serde_json::json;

#[path = "support/console_web.rs"]
mod web;
use web::*;

async fn sign_in_sessions_and_csrf(srv: Server) {
    // Staff: a strict, HttpOnly session cookie scoped to the console.
    let official = srv.person("official, Pavlodar", 0);
    let (r, set) = console_sign_in(&srv, &official).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/console");
    let set = set.expect("session cookie");
    assert!(set.contains("HttpOnly"), "{set}");
    assert!(set.contains("SameSite=Strict"), "{set}");
    assert!(set.contains("Path=/console"), "{set}");
    assert!(!set.contains("Secure"), "plain HTTP here: {set}");
    let stored = srv
        .count("SELECT COUNT(*) FROM console_sessions", vec![])
        .await;
    assert_eq!(stored, 1);
    let token = cookie_value(&set);
    let by_token = srv
        .count(
            "SELECT COUNT(*) FROM console_sessions WHERE token_hash = $1",
            vec![token.clone().into()],
        )
        .await;
    assert_eq!(by_token, 0, "only the token's hash is stored");

    // Behind a TLS proxy the cookies are `Secure`.
    let r = browser()
        .get(srv.url("/console/login"))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .expect("get");
    let pre = set_cookie(&r, "dauys_console_pre").expect("pre cookie");
    assert!(pre.contains("Secure") && pre.contains("HttpOnly"), "{pre}");
    // The sign-in form without its CSRF token: 403, no code sent.
    let code_before = srv.last_code(&official.phone);
    let r = browser()
        .post(srv.url("/console/login"))
        .form(&[("iin", official.iin.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 403);
    let csp = r
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert_eq!(srv.last_code(&official.phone), code_before, "no new code");

    // A resident gets the staff-only page and no session.
    let resident = srv.person("resident", 0);
    let (r, set) = console_sign_in(&srv, &resident).await;
    assert_eq!(r.status(), 403);
    assert!(set.is_none());
    let html = r.text().await.unwrap_or_default();
    assert!(html.contains("lang=\"kk\""));
    assert!(
        html.contains("Тек әкімдік қызметкерлеріне арналған"),
        "{html}"
    );

    // Signed-in pages; without a session, to sign-in.
    let s = staff(&srv, &official).await;
    assert!(!s.csrf.is_empty());
    let (status, html) = get(&srv, &s.cookie, "/console").await;
    assert_eq!(status, 200);
    assert!(html.contains("class=\"skip\""));
    let r = browser()
        .get(srv.url("/console"))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/console/login");

    // Language from Accept-Language, and the lang switch.
    let r = browser()
        .get(srv.url("/console"))
        .header("cookie", &s.cookie)
        .header("accept-language", "ru-RU,ru;q=0.9")
        .send()
        .await
        .expect("get");
    let html = r.text().await.unwrap_or_default();
    assert!(html.contains("lang=\"ru\"") && html.contains("Сводка"));

    // Sign-out without the CSRF token: 403, the session lives on.
    let r = post(&srv, &s.cookie, "/console/logout", &[]).await;
    assert_eq!(r.status(), 403);
    let r = post(&srv, &s.cookie, "/console/logout", &[("csrf", "forged")]).await;
    assert_eq!(r.status(), 403);
    assert_eq!(get(&srv, &s.cookie, "/console").await.0, 200);
    // With it: the session is gone.
    let r = post(&srv, &s.cookie, "/console/logout", &[("csrf", &s.csrf)]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(get(&srv, &s.cookie, "/console").await.0, 303);

    // An idle session is refused (and deleted).
    let s = staff(&srv, &official).await;
    assert_eq!(get(&srv, &s.cookie, "/console").await.0, 200);
    srv.st
        .clock
        .set_offset_ms(srv.st.config.console_idle_ms + 60_000);
    assert_eq!(get(&srv, &s.cookie, "/console").await.0, 303);
    srv.st.clock.set_offset_ms(0);
    assert_eq!(get(&srv, &s.cookie, "/console").await.0, 303);
}
both_backends!(console_sign_in_sessions_csrf, sign_in_sessions_and_csrf);

async fn appeal_through_the_console(srv: Server) {
    let resident = srv.sign_in(&srv.person("resident", 0)).await;
    let subject = "Broken lamp <script>alert(1)</script>";
    let out = resident
        .one(
            &srv,
            "appeal.submit",
            json!({"type": "complaint", "addressee": "pvl-akimat", "subject": subject,
                   "body": "It is dark & <b>unsafe</b>", "public": false}),
        )
        .await;
    let id = out["entity_id"]
        .as_str()
        .unwrap_or_else(|| panic!("{out}"))
        .to_string();
    let page = format!("/console/appeals/{id}");

    let official = staff(&srv, &srv.person("official, Pavlodar", 0)).await;
    // In the queue, escaped.
    let (status, html) = get(&srv, &official.cookie, "/console/appeals?status=submitted").await;
    assert_eq!(status, 200);
    assert!(html.contains(&page));
    assert!(!html.contains("<script>alert(1)</script>"));
    assert!(
        html.contains("&#60;script&#62;") || html.contains("&lt;script&gt;"),
        "{html}"
    );
    let (status, html) = get(&srv, &official.cookie, &page).await;
    assert_eq!(status, 200);
    assert!(!html.contains("<script>") && !html.contains("<b>unsafe"));
    // The applicant: the IIN masked to its last four digits, never whole.
    let iin = srv.person("resident", 0).iin;
    assert!(
        html.contains(&dauys_proto::iin::mask(&iin)),
        "masked IIN on the appeal page"
    );
    assert!(
        !html.contains(&iin[..8]),
        "no more of the IIN than its tail"
    );

    // A POST without the CSRF token: 403, nothing applied.
    let op_id = field(&html, "/register\"", "op_id");
    let r = post(
        &srv,
        &official.cookie,
        &format!("{page}/register"),
        &[("op_id", &op_id)],
    )
    .await;
    assert_eq!(r.status(), 403);
    let ops = srv
        .count(
            "SELECT COUNT(*) FROM ops WHERE id = $1",
            vec![op_id.clone().into()],
        )
        .await;
    assert_eq!(ops, 0);
    let (_, v) = srv
        .get(&format!("/v1/appeals/{id}"), Some(&resident.token))
        .await;
    assert_eq!(v["status"], "submitted");
    let history_before = v["history"].as_array().map_or(0, Vec::len);

    // Register, submitted twice (a double click): applied once.
    for _ in 0..2 {
        let r = post(
            &srv,
            &official.cookie,
            &format!("{page}/register"),
            &[("csrf", &official.csrf), ("op_id", &op_id)],
        )
        .await;
        assert_eq!(r.status(), 303);
        assert_eq!(
            location(&r),
            format!("{page}?flash=console-flash-registered")
        );
    }
    let registered = srv
        .count(
            "SELECT COUNT(*) FROM ops WHERE id = $1",
            vec![op_id.clone().into()],
        )
        .await;
    assert_eq!(registered, 1);
    let (_, v) = srv
        .get(&format!("/v1/appeals/{id}"), Some(&resident.token))
        .await;
    assert_eq!(v["status"], "registered");
    assert_eq!(
        v["history"].as_array().map_or(0, Vec::len),
        history_before + 1,
        "one registration in the timeline"
    );
    let (_, html) = get(
        &srv,
        &official.cookie,
        &format!("{page}?flash=console-flash-registered"),
    )
    .await;
    assert!(html.contains("role=\"status\""));

    // Answer.
    let answer_op = field(&html, "/answer\"", "op_id");
    let r = post(
        &srv,
        &official.cookie,
        &format!("{page}/answer"),
        &[
            ("csrf", &official.csrf),
            ("op_id", &answer_op),
            ("text", "The lamp is fixed."),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), format!("{page}?flash=console-flash-answered"));

    // What the resident's API shows.
    let (s, v) = srv
        .get(&format!("/v1/appeals/{id}"), Some(&resident.token))
        .await;
    assert_eq!(s, 200);
    assert_eq!(v["status"], "answered");
    assert_eq!(v["answer"], "The lamp is fixed.");
    assert!(v["registration_number"]
        .as_str()
        .is_some_and(|n| !n.is_empty()));

    // An official of another region: 404, and nothing in the queue.
    let other = staff(&srv, &srv.person("official, Almaty region", 0)).await;
    let (status, html) = get(&srv, &other.cookie, &page).await;
    assert_eq!(status, 404);
    assert!(!html.contains("Broken lamp"));
    let (_, html) = get(&srv, &other.cookie, "/console/appeals").await;
    assert!(!html.contains(&page));
    let r = post(
        &srv,
        &other.cookie,
        &format!("{page}/dismiss"),
        &[
            ("csrf", &other.csrf),
            ("op_id", &uuid::Uuid::now_v7().to_string()),
            ("text", "no"),
        ],
    )
    .await;
    assert_eq!(r.status(), 404);
    let (_, v) = srv
        .get(&format!("/v1/appeals/{id}"), Some(&resident.token))
        .await;
    assert_eq!(v["status"], "answered");
}
both_backends!(console_appeal_loop, appeal_through_the_console);

/// The attribute `attr="…"` after `after` in the page.
fn attr(html: &str, after: &str, attr: &str) -> String {
    let start = html.find(after).unwrap_or(0);
    let pat = format!("{attr}=\"");
    let rest = &html[start..];
    let i = rest.find(&pat).map(|i| i + pat.len()).unwrap_or(0);
    rest[i..].split('"').next().unwrap_or_default().to_string()
}

async fn submit(srv: &Server, resident: &common::Client, subject: &str) -> String {
    let out = resident
        .one(
            srv,
            "appeal.submit",
            json!({"type": "request", "addressee": "pvl-akimat", "subject": subject,
                   "body": "b", "public": true, "location": {"lat": 52.28, "lon": 76.97}}),
        )
        .await;
    out["entity_id"]
        .as_str()
        .unwrap_or_else(|| panic!("{out}"))
        .to_string()
}

/// Posts the action form `what` of an appeal page with `fields`; the flash
/// id it redirects with.
async fn act(srv: &Server, s: &Session, id: &str, what: &str, fields: &[(&str, &str)]) -> String {
    let page = format!("/console/appeals/{id}");
    let (_, html) = get(srv, &s.cookie, &page).await;
    let op_id = field(&html, &format!("/{what}\""), "op_id");
    let mut form = vec![("csrf", s.csrf.as_str()), ("op_id", op_id.as_str())];
    form.extend_from_slice(fields);
    let r = post(srv, &s.cookie, &format!("{page}/{what}"), &form).await;
    assert_eq!(r.status(), 303);
    location(&r)
        .split_once("?flash=")
        .map(|(_, f)| f.to_string())
        .unwrap_or_default()
}

async fn other_actions(srv: Server) {
    let resident = srv.sign_in(&srv.person("resident", 1)).await;
    let official = staff(&srv, &srv.person("official, Pavlodar", 0)).await;

    // Extend: refused past the legal cap, accepted within it.
    let a = submit(&srv, &resident, "extend me").await;
    assert_eq!(
        act(&srv, &official, &a, "register", &[]).await,
        "console-flash-registered"
    );
    let (_, html) = get(&srv, &official.cookie, &format!("/console/appeals/{a}")).await;
    assert!(html.contains("openstreetmap.org"));
    let cap = attr(&html, "/extend\"", "max");
    let min = attr(&html, "/extend\"", "min");
    let past = dauys_proto::workdays::parse_date(&cap).expect("cap") + time::Duration::days(1);
    let past = dauys_proto::workdays::format_date(past);
    let flash = act(
        &srv,
        &official,
        &a,
        "extend",
        &[("until", &past), ("text", "more time")],
    )
    .await;
    assert!(flash.starts_with("error-"), "{flash}");
    let flash = act(
        &srv,
        &official,
        &a,
        "extend",
        &[("until", &min), ("text", "")],
    )
    .await;
    assert!(flash.starts_with("error-"), "reason required: {flash}");
    let flash = act(
        &srv,
        &official,
        &a,
        "extend",
        &[("until", &min), ("text", "site visit")],
    )
    .await;
    assert_eq!(flash, "console-flash-extended");
    let (_, v) = srv
        .get(&format!("/v1/appeals/{a}"), Some(&resident.token))
        .await;
    assert_eq!(v["status"], "extended");
    assert_eq!(v["due_date"], min.as_str());

    // Redirect to a department.
    let b = submit(&srv, &resident, "redirect me").await;
    let flash = act(
        &srv,
        &official,
        &b,
        "redirect",
        &[("to", "pvl-housing"), ("text", "housing")],
    )
    .await;
    assert_eq!(flash, "console-flash-redirected");
    let (_, v) = srv
        .get(&format!("/v1/appeals/{b}"), Some(&resident.token))
        .await;
    assert_eq!(v["status"], "redirected");
    assert_eq!(v["addressee"], "pvl-housing");

    // Leave without consideration: a reason is required.
    let c = submit(&srv, &resident, "dismiss me").await;
    assert!(act(&srv, &official, &c, "dismiss", &[("text", " ")])
        .await
        .starts_with("error-"));
    assert_eq!(
        act(
            &srv,
            &official,
            &c,
            "dismiss",
            &[("text", "anonymous insults")]
        )
        .await,
        "console-flash-dismissed"
    );
    let (_, v) = srv
        .get(&format!("/v1/appeals/{c}"), Some(&resident.token))
        .await;
    assert_eq!(v["status"], "dismissed");
}
both_backends!(console_other_actions, other_actions);

/// The `<strong>N</strong>` before a dashboard label.
fn count_before(html: &str, label: &str) -> i64 {
    let i = html.find(label).unwrap_or(0);
    let head = &html[..i];
    let s = head.rfind("<strong>").map(|j| j + 8).unwrap_or(0);
    head[s..]
        .split('<')
        .next()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(-1)
}

async fn dashboard_counts(srv: Server) {
    let resident = srv.sign_in(&srv.person("resident", 2)).await;
    let official_p = srv.person("official, Pavlodar", 0);
    let official = staff(&srv, &official_p).await;
    let (_, html) = get(&srv, &official.cookie, "/console?lang=en").await;
    let new_before = count_before(&html, "new (not registered)");
    let overdue_before = count_before(&html, "overdue</a>");
    assert!(new_before >= 0 && overdue_before >= 0, "{html}");
    let a = submit(&srv, &resident, "count me").await;
    let (_, html) = get(&srv, &official.cookie, "/console?lang=en").await;
    assert_eq!(count_before(&html, "new (not registered)"), new_before + 1);
    // Elsewhere: not counted.
    let other = staff(&srv, &srv.person("official, Almaty region", 0)).await;
    let (_, html) = get(&srv, &other.cookie, "/console?lang=en").await;
    let other_new = count_before(&html, "new (not registered)");
    assert!(other_new >= 0);
    assert_eq!(
        act(&srv, &official, &a, "register", &[]).await,
        "console-flash-registered"
    );
    let (_, html) = get(&srv, &other.cookie, "/console?lang=en").await;
    assert_eq!(count_before(&html, "new (not registered)"), other_new);

    // Registered today, it is due in 15 working days: not this week; two
    // days before its due date it is.
    let (_, html) = get(&srv, &official.cookie, "/console?lang=en").await;
    let week_now = count_before(&html, "due within a week");
    assert!(week_now >= 0, "{html}");
    let (_, v) = srv
        .get(&format!("/v1/appeals/{a}"), Some(&resident.token))
        .await;
    let due_day =
        dauys_proto::workdays::parse_date(v["due_date"].as_str().expect("due")).expect("date");
    srv.set_today(&dauys_proto::workdays::format_date(
        due_day - time::Duration::days(2),
    ));
    let official = staff(&srv, &official_p).await;
    let (_, html) = get(&srv, &official.cookie, "/console?lang=en").await;
    assert!(
        count_before(&html, "due within a week") > week_now,
        "{html}"
    );
    srv.st.clock.set_offset_ms(0);

    // Two months on, the registered appeal is overdue, with working days over.
    let (_, v) = srv
        .get(&format!("/v1/appeals/{a}"), Some(&resident.token))
        .await;
    let due =
        dauys_proto::workdays::parse_date(v["due_date"].as_str().expect("due")).expect("date");
    srv.set_today(&dauys_proto::workdays::format_date(
        due + time::Duration::days(60),
    ));
    let official = staff(&srv, &official_p).await;
    let (status, html) = get(&srv, &official.cookie, "/console?lang=en").await;
    assert_eq!(status, 200);
    assert!(
        count_before(&html, "overdue</a>") > overdue_before,
        "{html}"
    );
    assert!(html.contains("working days over"), "{html}");
    let (_, html) = get(
        &srv,
        &official.cookie,
        "/console/appeals?overdue=1&q=count+me",
    )
    .await;
    assert!(html.contains(&format!("/console/appeals/{a}")));
    srv.st.clock.set_offset_ms(0);

    // Proposals: the moderator's "awaiting moderation" and the expert's
    // "awaiting expert review" count each new one, exactly.
    let moderator_console = staff(&srv, &srv.person("moderator, Pavlodar", 0)).await;
    let expert_console = staff(&srv, &srv.person("expert, Pavlodar", 0)).await;
    let dash = |s: &Session| {
        let cookie = s.cookie.clone();
        let srv = &srv;
        async move { get(srv, &cookie, "/console?lang=en").await.1 }
    };
    let moderation = count_before(&dash(&moderator_console).await, "awaiting moderation");
    let review = count_before(&dash(&expert_console).await, "awaiting expert review");
    assert!(moderation >= 0 && review >= 0);
    let collecting = srv.collecting_cycle_id().await;
    let out = resident
        .one(
            &srv,
            "proposal.submit",
            json!({"cycle_id": collecting, "title": "Count this bench", "description": "d",
                   "category": "parks", "cost": 900000}),
        )
        .await;
    let pid = out["entity_id"].as_str().unwrap_or_default().to_string();
    assert_eq!(
        count_before(&dash(&moderator_console).await, "awaiting moderation"),
        moderation + 1
    );
    let moderator = srv.sign_in(&srv.person("moderator, Pavlodar", 0)).await;
    let out = moderator
        .one(
            &srv,
            "proposal.moderate",
            json!({"proposal_id": pid, "decision": "accept"}),
        )
        .await;
    assert_eq!(out["status"], "accepted", "{out}");
    assert_eq!(
        count_before(&dash(&moderator_console).await, "awaiting moderation"),
        moderation
    );
    assert_eq!(
        count_before(&dash(&expert_console).await, "awaiting expert review"),
        review + 1
    );
}
both_backends!(console_dashboard, dashboard_counts);

async fn proposal_moderation(srv: Server) {
    let official = srv.sign_in(&srv.person("official, Pavlodar", 0)).await;
    let r = official
        .one(
            &srv,
            "cycle.create",
            json!({"locality": dauys_server::demo::CITY, "budget": 5000000,
                   "title": {"kk": "Қала", "ru": "Город", "en": "City"}}),
        )
        .await;
    let cycle = r["entity_id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_string();
    let resident = srv.sign_in(&srv.person("resident", 3)).await;
    let mut ids = Vec::new();
    for title in ["Benches <i>now</i>", "Fountain"] {
        let r = resident
            .one(
                &srv,
                "proposal.submit",
                json!({"cycle_id": cycle, "title": title, "description": "d", "category": "parks", "cost": 1000}),
            )
            .await;
        ids.push(
            r["entity_id"]
                .as_str()
                .unwrap_or_else(|| panic!("{r}"))
                .to_string(),
        );
    }
    let moderator = staff(&srv, &srv.person("moderator, Pavlodar", 0)).await;
    let (status, html) = get(&srv, &moderator.cookie, "/console/proposals").await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("/console/proposals/{}/reject", ids[0])));
    assert!(!html.contains("<i>now</i>"), "escaped");

    let decide = |id: String, decision: &'static str, reason: &'static str| {
        let (srv, moderator) = (&srv, &moderator);
        async move {
            let (_, html) = get(srv, &moderator.cookie, "/console/proposals").await;
            let op_id = field(&html, &format!("/{id}/{decision}\""), "op_id");
            let r = post(
                srv,
                &moderator.cookie,
                &format!("/console/proposals/{id}/{decision}"),
                &[
                    ("csrf", &moderator.csrf),
                    ("op_id", &op_id),
                    ("reason", reason),
                ],
            )
            .await;
            assert_eq!(r.status(), 303);
            location(&r)
        }
    };
    // A rejection needs a reason; with one, it is published.
    assert!(decide(ids[0].clone(), "reject", "")
        .await
        .contains("flash=error-"));
    assert_eq!(
        decide(ids[0].clone(), "reject", "Outside the city's competence").await,
        "/console/proposals?flash=console-flash-rejected"
    );
    let (_, v) = srv.get(&format!("/v1/proposals/{}", ids[0]), None).await;
    assert_eq!(v["status"], "rejected", "{v}");
    assert!(v.to_string().contains("Outside the city's competence"));
    assert_eq!(
        decide(ids[1].clone(), "accept", "").await,
        "/console/proposals?flash=console-flash-accepted"
    );
    let (_, v) = srv.get(&format!("/v1/proposals/{}", ids[1]), None).await;
    assert_eq!(v["status"], "accepted");

    // An expert does not moderate: nothing in the queue, 404 on a decision.
    let expert = staff(&srv, &srv.person("expert, Pavlodar", 0)).await;
    let r = resident
        .one(
            &srv,
            "proposal.submit",
            json!({"cycle_id": cycle, "title": "Swings", "description": "d", "category": "parks", "cost": 10}),
        )
        .await;
    let third = r["entity_id"].as_str().unwrap_or_default().to_string();
    let (_, html) = get(&srv, &expert.cookie, "/console/proposals").await;
    assert!(!html.contains(&third));
    let r = post(
        &srv,
        &expert.cookie,
        &format!("/console/proposals/{third}/accept"),
        &[
            ("csrf", &expert.csrf),
            ("op_id", &uuid::Uuid::now_v7().to_string()),
        ],
    )
    .await;
    assert_eq!(r.status(), 404);
}
both_backends!(console_proposal_moderation, proposal_moderation);
