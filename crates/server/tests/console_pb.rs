//! The console's participatory budgeting pages over real HTTP, on SQLite
//! and — with `DAUYS_TEST_POSTGRES` — PostgreSQL: expert review,
//! implementation updates, cycles created and moved through their phases.

mod common;

use common::Server;
use serde_json::json;

#[path = "support/console_web.rs"]
mod web;
use web::*;

async fn staff_en(srv: &Server, label: &str) -> Session {
    let mut s = staff(srv, &srv.person(label, 0)).await;
    s.cookie.push_str("; lang=en");
    s
}

/// The hidden `op_id` of the form posting to `action`.
fn op_of(html: &str, action: &str) -> String {
    let at = html
        .find(&format!("action=\"{action}\""))
        .unwrap_or_else(|| panic!("no form to {action}: {html}"));
    field(&html[at..], "", "op_id")
}

async fn review_and_progress(srv: Server) {
    // A proposal accepted by the moderator waits for the experts.
    let collecting = srv.collecting_cycle_id().await;
    let resident = srv.sign_in(&srv.person("resident", 0)).await;
    let out = resident
        .one(
            &srv,
            "proposal.submit",
            json!({"cycle_id": collecting, "title": "Benches <in> the park", "description": "d",
                   "category": "parks", "cost": 900000}),
        )
        .await;
    let id = out["entity_id"].as_str().unwrap_or_default().to_string();
    let moderator = srv.sign_in(&srv.person("moderator, Pavlodar", 0)).await;
    let out = moderator
        .one(
            &srv,
            "proposal.moderate",
            json!({"proposal_id": id, "decision": "accept"}),
        )
        .await;
    assert_eq!(out["status"], "accepted", "{out}");

    let mod_console = staff_en(&srv, "moderator, Pavlodar").await;
    assert_eq!(
        get(&srv, &mod_console.cookie, "/console/reviews").await.0,
        404
    );
    let expert = staff_en(&srv, "expert, Pavlodar").await;
    let (status, html) = get(&srv, &expert.cookie, "/console/reviews").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Benches &#60;in&#62; the park")
            || html.contains("Benches &lt;in&gt; the park")
    );
    let action = format!("/console/work/{id}/review");
    let op = op_of(&html, &action);
    let form = [
        ("csrf", expert.csrf.as_str()),
        ("op_id", op.as_str()),
        ("feasible", "yes"),
        ("cost_estimate", "1 100 000"),
        ("note", "Estimate checked with the parks department"),
    ];
    for _ in 0..2 {
        let r = post(&srv, &expert.cookie, &action, &form).await;
        assert_eq!(
            location(&r),
            "/console/reviews?flash=console-flash-reviewed"
        );
    }
    let (_, v) = srv.get(&format!("/v1/proposals/{id}"), None).await;
    assert_eq!(v["status"], "on_ballot", "{v}");
    assert_eq!(v["expert_cost"], 1_100_000);
    let reviews: &'static str =
        "SELECT COUNT(*) FROM audit_log WHERE kind = 'proposal.review' AND op_id = $1";
    assert_eq!(srv.count(reviews, vec![op.clone().into()]).await, 1);

    // Implementation: the official publishes progress on a selected project.
    let official = staff_en(&srv, "official, Pavlodar").await;
    let (status, html) = get(&srv, &official.cookie, "/console/implementation").await;
    assert_eq!(status, 200);
    let at = html.find("/console/work/").expect("a project being built");
    let action: String = html[at..].split('"').next().unwrap_or_default().to_string();
    let project = action.split('/').nth(3).unwrap_or_default().to_string();
    let op = op_of(&html, &action);
    // With a photo of the works, as a browser sends the form (multipart);
    // sent twice: one update, one photo.
    let photo = include_bytes!("../../cli/tests/data/tiny.png").to_vec();
    for _ in 0..2 {
        let form = reqwest::multipart::Form::new()
            .text("csrf", official.csrf.clone())
            .text("op_id", op.clone())
            .text("progress", "40")
            .text("note", "Foundations poured")
            .part(
                "photo",
                reqwest::multipart::Part::bytes(photo.clone())
                    .file_name("works.png")
                    .mime_str("image/png")
                    .expect("mime"),
            );
        let r = browser()
            .post(srv.url(&action))
            .header("cookie", &official.cookie)
            .multipart(form)
            .send()
            .await
            .expect("post");
        assert_eq!(
            location(&r),
            "/console/implementation?flash=console-flash-progress"
        );
    }
    let (_, v) = srv.get(&format!("/v1/proposals/{project}"), None).await;
    assert_eq!(v["progress"], 40, "{v}");
    let photo_id = format!("{op}-photo");
    let media: Vec<String> = serde_json::from_value(v["media"].clone()).unwrap_or_default();
    assert_eq!(media.iter().filter(|m| **m == photo_id).count(), 1, "{v}");
    let r = browser()
        .get(srv.url(&format!("/v1/uploads/{photo_id}")))
        .send()
        .await
        .expect("photo");
    assert_eq!(r.bytes().await.expect("bytes").to_vec(), photo);
    // Without the CSRF token: refused.
    let form = reqwest::multipart::Form::new().text("op_id", uuid::Uuid::now_v7().to_string());
    let r = browser()
        .post(srv.url(&action))
        .header("cookie", &official.cookie)
        .multipart(form)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 403);
    // The public cycle page shows it.
    let cycle = v["cycle_id"].as_str().unwrap_or_default().to_string();
    let page = reqwest::get(srv.url(&format!("/cycles/{cycle}?lang=en")))
        .await
        .expect("page")
        .text()
        .await
        .unwrap_or_default();
    assert!(page.contains(&format!("/v1/uploads/{photo_id}")), "{page}");
    // The expert does not update progress.
    assert_eq!(
        get(&srv, &expert.cookie, "/console/implementation").await.0,
        404
    );
}
both_backends!(console_review_progress, review_and_progress);

async fn cycles_created_and_moved(srv: Server) {
    let official = staff_en(&srv, "official, Pavlodar").await;
    let (status, html) = get(&srv, &official.cookie, "/console/cycles").await;
    assert_eq!(status, 200);
    let op = op_of(&html, "/console/cycles");
    let form = [
        ("csrf", official.csrf.as_str()),
        ("op_id", op.as_str()),
        ("locality", "551010000"),
        ("title_kk", "Жаңа цикл"),
        ("title_ru", "Новый цикл"),
        ("title_en", "New cycle"),
        ("budget", "10 000 000"),
        ("rule", "greedy"),
        ("max_projects", "3"),
        ("budget_limited", "1"),
        ("min_age", "16"),
        ("voting", "2027-03-01"),
        ("tallying", "2027-03-15"),
    ];
    for _ in 0..2 {
        let r = post(&srv, &official.cookie, "/console/cycles", &form).await;
        assert_eq!(
            location(&r),
            "/console/cycles?flash=console-flash-cycle-created"
        );
    }
    let created: &'static str = "SELECT COUNT(*) FROM cycles WHERE title_en = 'New cycle'";
    assert_eq!(srv.count(created, vec![]).await, 1, "created once");
    let (_, html) = get(&srv, &official.cookie, "/console/cycles").await;
    assert!(html.contains("New cycle"));
    // Its voting starts within a week (on the server's clock): the
    // dashboard says so.
    // (Moving the clock ends sessions: sign in again each time.)
    srv.set_today("2027-02-25");
    let later = staff_en(&srv, "official, Pavlodar").await;
    let (_, html) = get(&srv, &later.cookie, "/console").await;
    assert!(
        html.contains("New cycle</a> · Voting · 2027-03-01"),
        "{html}"
    );
    srv.set_today("2027-02-01");
    let earlier = staff_en(&srv, "official, Pavlodar").await;
    let (_, html) = get(&srv, &earlier.cookie, "/console").await;
    assert!(!html.contains("New cycle</a>"), "not yet: {html}");
    let official = earlier;

    // The voting cycle, moved on after a confirmation page that explains
    // the counting rule; the results are then published.
    let cycles = srv.get("/v1/cycles?locality=551010000", None).await.1;
    let voting = cycles
        .as_array()
        .and_then(|a| a.iter().find(|c| c["phase"] == "voting"))
        .and_then(|c| c["id"].as_str())
        .expect("a voting cycle")
        .to_string();
    let page = format!("/console/cycles/{voting}/phase");
    let (status, html) = get(&srv, &official.cookie, &page).await;
    assert_eq!(status, 200);
    assert!(html.contains("How winners are chosen"), "{html}");
    let other = staff_en(&srv, "official, Almaty region").await;
    assert_eq!(get(&srv, &other.cookie, &page).await.0, 404);
    let r = post(
        &srv,
        &other.cookie,
        &page,
        &[
            ("csrf", &other.csrf),
            ("op_id", &uuid::Uuid::now_v7().to_string()),
            ("phase", "tallying"),
        ],
    )
    .await;
    assert_eq!(r.status(), 404);
    let op = op_of(&html, &page);
    let r = post(
        &srv,
        &official.cookie,
        &page,
        &[
            ("csrf", &official.csrf),
            ("op_id", &op),
            ("phase", "tallying"),
        ],
    )
    .await;
    assert_eq!(
        location(&r),
        "/console/cycles?flash=console-flash-phase-moved"
    );
    let (_, v) = srv.get(&format!("/v1/cycles/{voting}"), None).await;
    assert_eq!(v["phase"], "tallying");
    assert!(
        v["results"]["selected"].is_array(),
        "results published: {v}"
    );
    // A moderator has no cycles page.
    let moderator = staff_en(&srv, "moderator, Pavlodar").await;
    assert_eq!(get(&srv, &moderator.cookie, "/console/cycles").await.0, 404);
}
both_backends!(console_cycles, cycles_created_and_moved);

async fn comment_moderation(srv: Server) {
    let cycles = srv.get("/v1/cycles?locality=551010000", None).await.1;
    let voting = cycles
        .as_array()
        .and_then(|a| a.iter().find(|c| c["phase"] == "voting"))
        .and_then(|c| c["id"].as_str())
        .expect("a voting cycle")
        .to_string();
    let proposals = srv
        .get(&format!("/v1/cycles/{voting}/proposals"), None)
        .await
        .1;
    let pid = proposals[0]["id"].as_str().expect("a proposal").to_string();
    let resident = srv.sign_in(&srv.person("resident", 0)).await;
    let out = resident
        .one(
            &srv,
            "comment.add",
            json!({"target": {"kind": "proposal", "id": pid}, "body": "Buy my tractor, call 8701…"}),
        )
        .await;
    let cid = out["entity_id"].as_str().unwrap_or_default().to_string();

    let moderator = staff_en(&srv, "moderator, Pavlodar").await;
    let (status, html) = get(&srv, &moderator.cookie, "/console/comments").await;
    assert_eq!(status, 200);
    assert!(html.contains("Buy my tractor"));
    let action = format!("/console/comments/{cid}/hide");
    let op = op_of(&html, &action);
    // No reason: refused, still visible.
    let r = post(
        &srv,
        &moderator.cookie,
        &action,
        &[
            ("csrf", &moderator.csrf),
            ("op_id", &uuid::Uuid::now_v7().to_string()),
            ("reason", " "),
        ],
    )
    .await;
    assert!(location(&r).contains("flash=error-"), "{}", location(&r));
    for _ in 0..2 {
        let r = post(
            &srv,
            &moderator.cookie,
            &action,
            &[
                ("csrf", &moderator.csrf),
                ("op_id", &op),
                ("reason", "Advertising"),
            ],
        )
        .await;
        assert_eq!(
            location(&r),
            "/console/comments?flash=console-flash-comment-hidden"
        );
    }
    // Everyone sees the place of the comment and the reason, not its text.
    let (_, v) = srv
        .get(&format!("/v1/proposals/{pid}/comments"), None)
        .await;
    let c = v
        .as_array()
        .and_then(|a| a.iter().find(|c| c["id"] == cid.as_str()))
        .expect("the comment keeps its place")
        .clone();
    assert_eq!(c["visible"], false);
    assert_eq!(c["moderation_note"], "Advertising");
    assert_eq!(c["body"], "");
    // Its author still reads their text.
    let (_, v) = srv
        .get(
            &format!("/v1/proposals/{pid}/comments"),
            Some(&resident.token),
        )
        .await;
    assert!(v.to_string().contains("Buy my tractor"));
    // An expert does not moderate comments.
    let expert = staff_en(&srv, "expert, Pavlodar").await;
    assert_eq!(get(&srv, &expert.cookie, "/console/comments").await.0, 404);
    let r = post(
        &srv,
        &expert.cookie,
        &format!("/console/comments/{cid}/show"),
        &[
            ("csrf", &expert.csrf),
            ("op_id", &uuid::Uuid::now_v7().to_string()),
        ],
    )
    .await;
    assert_eq!(r.status(), 404);
}
both_backends!(console_comments, comment_moderation);

async fn staff_json_inbox(srv: Server) {
    let moderator = srv.sign_in(&srv.person("moderator, Pavlodar", 0)).await;
    let (s, v) = srv.get("/v1/staff/proposals", Some(&moderator.token)).await;
    assert_eq!(s, 200, "{v}");
    let items = v.as_array().expect("a list");
    assert!(
        !items.is_empty(),
        "the demo has proposals awaiting moderation"
    );
    assert!(items
        .iter()
        .all(|p| ["submitted", "in_moderation"].contains(&p["status"].as_str().unwrap_or(""))));
    // A moderator is no expert; an expert does not moderate.
    assert_eq!(
        srv.get("/v1/staff/proposals?stage=review", Some(&moderator.token))
            .await
            .0,
        403
    );
    let expert = srv.sign_in(&srv.person("expert, Pavlodar", 0)).await;
    assert_eq!(
        srv.get("/v1/staff/proposals", Some(&expert.token)).await.0,
        403
    );
    assert_eq!(
        srv.get("/v1/staff/proposals?stage=review", Some(&expert.token))
            .await
            .0,
        200
    );
    assert_eq!(
        srv.get("/v1/staff/proposals?stage=other", Some(&expert.token))
            .await
            .0,
        422
    );
    let (s, v) = srv
        .get("/v1/staff/comments?limit=5", Some(&moderator.token))
        .await;
    assert_eq!(s, 200, "{v}");
    assert!(v.as_array().is_some_and(|a| a.len() <= 5));
    assert_eq!(
        srv.get("/v1/staff/comments", Some(&expert.token)).await.0,
        403
    );
    let official = srv.sign_in(&srv.person("official, Pavlodar", 0)).await;
    let (s, v) = srv.get("/v1/staff/cycles", Some(&official.token)).await;
    assert_eq!(s, 200, "{v}");
    let voting = v
        .as_array()
        .and_then(|a| a.iter().find(|c| c["cycle"]["phase"] == "voting"))
        .expect("the voting cycle");
    assert_eq!(voting["next_phase"], "tallying");
    // Another region's official sees none of the city's cycles.
    let other = srv.sign_in(&srv.person("official, Almaty region", 0)).await;
    let (_, v) = srv.get("/v1/staff/cycles", Some(&other.token)).await;
    assert!(v
        .as_array()
        .is_some_and(|a| a.iter().all(|c| c["cycle"]["locality"] != "551010000")));
    let resident = srv.sign_in(&srv.person("resident", 0)).await;
    assert_eq!(
        srv.get("/v1/staff/cycles", Some(&resident.token)).await.0,
        403
    );
    assert_eq!(srv.get("/v1/staff/cycles", None).await.0, 401);
}
both_backends!(staff_inbox_json, staff_json_inbox);

async fn empty_cycle_is_counted(srv: Server) {
    let official = srv.sign_in(&srv.person("official, Pavlodar", 0)).await;
    let out = official
        .one(
            &srv,
            "cycle.create",
            json!({"locality": "551010000", "budget": 1000,
                   "title": {"kk": "Бос", "ru": "Пустой", "en": "Empty"}}),
        )
        .await;
    let cycle = out["entity_id"].as_str().expect("created").to_string();
    for phase in ["voting", "tallying"] {
        let out = official
            .one(
                &srv,
                "cycle.phase",
                json!({"cycle_id": cycle, "phase": phase}),
            )
            .await;
        assert_eq!(out["status"], "accepted", "{phase}: {out}");
    }
    let (_, v) = srv.get(&format!("/v1/cycles/{cycle}"), None).await;
    assert_eq!(v["results"]["voters"], 0, "{v}");
}
both_backends!(empty_cycle, empty_cycle_is_counted);
